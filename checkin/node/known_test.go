package node_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/gatesim"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/store/memory"
	"github.com/piaowu/wht93/ticket"
)

// TestSyncedCodeDigests: the passes' code digests reach a LAN node through
// the replica sync, in process and over HTTP, and the LAN node decides with
// them. Its verifier holds another public key under the codes' key id, so
// that every signature check fails: the fixture's codes are admitted only
// because their digests came down with the passes; a forged code is refused,
// and so is every code when the online side recorded no digests.
func TestSyncedCodeDigests(t *testing.T) {
	f := fx(t)
	if !f.CodeDigests {
		t.Fatal("NewFixture records the digests by default")
	}
	wrongKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x43}, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	wrong, err := ticket.NewVerifier(map[string]ed25519.PublicKey{f.Signer.KeyID(): wrongKey})
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.Policy(checkin.Rules{})
	if err != nil {
		t.Fatal(err)
	}
	lanNode := func(name string) *node.Node {
		n, err := node.New(node.Config{Name: name, Mode: checkin.NetLAN, Policy: p, Verifier: wrong, Store: memory.NewEntries()})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	forger, err := ticket.NewSigner(f.Signer.KeyID(), ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := ticket.ParseCredential(f.Credentials[0])
	if err != nil {
		t.Fatal(err)
	}
	forged, err := forger.Sign(signed.Credential)
	if err != nil {
		t.Fatal(err)
	}

	on := online(t, f, checkin.Rules{}, nil)
	srv := httptest.NewServer(node.Handler(on))
	defer srv.Close()
	client, err := node.NewClient(srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		up   node.Upstream
	}{{"in process", on}, {"over HTTP", client}} {
		t.Run(tc.name, func(t *testing.T) {
			ln := lanNode("lan-" + tc.name)
			if r := mustSync(t, ln, tc.up); r.Passes != 43 {
				t.Fatalf("sync: %+v", r)
			}
			for i, text := range f.Credentials {
				if p, _ := ln.Book().Pass(f.Tickets[i].Code); p.CodeDigest != ticket.CredentialDigest(text) {
					t.Fatalf("pass %d came down without its code's digest", i)
				}
			}
			for _, i := range []int{0, 7, 39} {
				if d := mustScan(t, ln, scan(f, id("s", i), i, "东1", i)); !d.Accepted || d.Entry.Node != ln.Name() {
					t.Fatalf("ticket %d: %v", i, d)
				}
			}
			if d := mustScan(t, ln, scan(f, "again", 7, "东1", 50)); d.Accepted || !errors.Is(d.Err(), checkin.ErrMaxEntries) {
				t.Fatalf("second entry: %v", d)
			}
			s := scan(f, "forged", 1, "东1", 60)
			s.Credential = forged
			if d := mustScan(t, ln, s); d.Accepted || !errors.Is(d.Err(), checkin.ErrForged) {
				t.Fatalf("forged: %v", d)
			}
			s = scan(f, "refunded", 0, "东1", 61)
			s.Credential = f.RefundedCredentials[0]
			if d := mustScan(t, ln, s); d.Accepted || !errors.Is(d.Err(), checkin.ErrRefunded) {
				t.Fatalf("refunded: %v", d)
			}
		})
	}

	// Without digests on the online side, the same LAN node checks every
	// signature, and the wrong key refuses them all.
	plain := *f
	plain.CodeDigests = false
	book, err := plain.Book()
	if err != nil {
		t.Fatal(err)
	}
	on2 := newNode(t, &plain, "online", checkin.NetOnline, book, memory.NewEntries(), checkin.Rules{}, nil)
	ln := lanNode("lan-plain")
	mustSync(t, ln, on2)
	if d := mustScan(t, ln, scan(f, "s", 0, "东1", 0)); d.Accepted || !errors.Is(d.Err(), checkin.ErrForged) {
		t.Fatalf("without digests: %v", d)
	}
	if d := mustScan(t, lanWithRightKey(t, &plain, on2), scan(f, "s", 0, "东1", 0)); !d.Accepted {
		t.Fatalf("without digests, the right key: %v", d)
	}
}

// lanWithRightKey returns a LAN node with the fixture's verifier, synced from
// up.
func lanWithRightKey(t *testing.T, f *gatesim.Fixture, up node.Upstream) *node.Node {
	t.Helper()
	n := lan(t, f, "lan-right", checkin.Rules{}, nil)
	mustSync(t, n, up)
	return n
}
