package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
	"github.com/piaowu/wht93/store/postgres"
)

func openTokenStore(t *testing.T, schema, account string) *postgres.TokenStore {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, testDB(t), &postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.TokenStore(ctx, account)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTokenStoreKeepsTheLongestLivedToken(t *testing.T) {
	ctx := context.Background()
	schema := freshSchema(t, testDB(t))
	s := openTokenStore(t, schema, "vendor-1")
	if _, ok, err := s.Load(ctx); ok || err != nil {
		t.Fatalf("empty store: ok %v, err %v", ok, err)
	}
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 123456000, time.UTC)
	newer := client.Token{AccessToken: "tok-2", Expiry: t0.Add(2 * time.Hour)}
	older := client.Token{AccessToken: "tok-1", Expiry: t0.Add(time.Hour)}
	for _, tok := range []client.Token{newer, older} {
		if err := s.Save(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	got, ok, err := s.Load(ctx)
	if err != nil || !ok || got.AccessToken != "tok-2" || !got.Expiry.Equal(newer.Expiry) {
		t.Fatalf("Load = %+v, %v, %v; want the longer-lived tok-2", got, ok, err)
	}
	// Another account in the same schema has its own token.
	other := openTokenStore(t, schema, "vendor-2")
	if _, ok, _ := other.Load(ctx); ok {
		t.Fatal("a token leaked to another account")
	}
}

func TestTokenStoreRefusesBadAccounts(t *testing.T) {
	db, err := postgres.Open(context.Background(), testDB(t), &postgres.Options{Schema: freshSchema(t, testDB(t))})
	if err != nil {
		t.Fatal(err)
	}
	for _, account := range []string{"", strings.Repeat("a", 257), "a\x00b", "\xff"} {
		if _, err := db.TokenStore(context.Background(), account); !errors.Is(err, postgres.ErrTokenAccount) {
			t.Errorf("account %q: %v", account, err)
		}
	}
}

// Processes that share the store ask the platform for one token between them.
func TestTokenStoreSharedBetweenClients(t *testing.T) {
	sim, err := platformsim.Start(platformsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	schema := freshSchema(t, testDB(t))
	var clients []*client.Client
	for i := 0; i < 3; i++ {
		cfg := sim.ClientConfig()
		cfg.TokenStore = openTokenStore(t, schema, cfg.AppID)
		c, err := client.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		clients = append(clients, c)
	}
	ctx := context.Background()
	first, err := clients[0].Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, c := range clients[1:] {
		wg.Add(1)
		go func(c *client.Client) {
			defer wg.Done()
			tok, err := c.Token(ctx)
			if err != nil || tok.AccessToken != first.AccessToken {
				t.Errorf("second process: %v, same token %v", err, tok.AccessToken == first.AccessToken)
			}
		}(c)
	}
	wg.Wait()
	if n := sim.Calls(client.PathAccessToken); n != 1 {
		t.Fatalf("%d calls of /getAccessToken, want 1", n)
	}
}
