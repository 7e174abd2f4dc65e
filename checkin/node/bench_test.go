package node_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/gatesim"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/internal/cputime"
	"github.com/piaowu/wht93/store/bolt"
	"github.com/piaowu/wht93/store/memory"
	"github.com/piaowu/wht93/store/postgres"
)

// The benchmarks of a stadium's gate rush: a session of 80,000 tickets,
// 100 gates scanning at once at a LAN node whose entries are durable (bolt or
// PostgreSQL), and the replica sync of the 80,000 passes. The fixture takes a
// few seconds to make (80,000 holders sealed, 80,000 codes signed) and is made
// once per process.
const benchTickets = 80_000

var (
	benchOnce sync.Once
	benchFx   *gatesim.Fixture
	benchErr  error
)

func benchFixture(b *testing.B) *gatesim.Fixture {
	b.Helper()
	benchOnce.Do(func() {
		benchFx, benchErr = gatesim.NewFixture(gatesim.FixtureOptions{Tickets: benchTickets, Seed: 80})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchFx
}

// benchDecisions runs 100 gates (b.SetParallelism) scanning distinct tickets
// at a LAN node on st. The maximum is high enough that every decision admits
// and writes an entry: each one is a durable decision (verified code,
// atomic count, committed entry).
//
// The tickets come in the order of their codes and the scan ids in the order
// of the scans, unless shuffled: then the tickets come in a random order, as
// a crowd arrives, and each gate numbers its own scans ("g7-1234"), so that
// the keys a store indexes by ticket and by scan id are spread over its index
// instead of following each other.
//
// The book records the codes' digests (gatesim.Fixture.CodeDigests), so that
// a decision does not verify the signature of a code the online side issued;
// WHT93_BENCH_NO_CODE_DIGESTS=1 leaves them out, to compare with every
// signature verified.
func benchDecisions(b *testing.B, st checkin.Store, shuffled bool) {
	f := benchFixture(b)
	if os.Getenv("WHT93_BENCH_NO_CODE_DIGESTS") == "1" {
		plain := *f
		plain.CodeDigests = false
		f = &plain
	}
	order := make([]int, benchTickets)
	for i := range order {
		order[i] = i
	}
	if shuffled {
		rand.New(rand.NewPCG(93, 636)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	var gates atomic.Int64
	p, err := f.Policy(checkin.Rules{MaxEntries: checkin.MaxEntries})
	if err != nil {
		b.Fatal(err)
	}
	book, err := f.Book()
	if err != nil {
		b.Fatal(err)
	}
	n, err := node.New(node.Config{Name: "lan-bench", Mode: checkin.NetLAN, Policy: p, Verifier: f.Verifier, Store: st, Book: book})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var next atomic.Int64
	var refused atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(50) // × GOMAXPROCS (2 here) = 100 gates
	b.ResetTimer()
	cpu0, cpuOK := cputime.Process()
	b.RunParallel(func(pb *testing.PB) {
		gate, scans := gates.Add(1), 0
		for pb.Next() {
			k := next.Add(1)
			i := order[k%benchTickets]
			id := fmt.Sprintf("b%d", k)
			if shuffled {
				scans++
				id = fmt.Sprintf("g%d-%d", gate, scans)
			}
			s := checkin.Scan{ID: id, Method: checkin.QR, Credential: f.Credentials[i],
				Gate: "G", Device: "D", At: f.Doors().Add(time.Duration(k) * time.Microsecond)}
			d, err := n.Scan(ctx, s)
			if err != nil {
				b.Error(err)
				return
			}
			if !d.Accepted {
				refused.Add(1)
			}
		}
	})
	b.StopTimer()
	cpu1, _ := cputime.Process()
	if refused.Load() > 0 {
		b.Fatalf("%d scans refused", refused.Load())
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
	if cpuOK {
		// The process's CPU time (all goroutines: gates, committer, GC) per
		// decision: steadier than the rate on a shared machine.
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/1e3/float64(b.N), "cpu-µs/decision")
	}
}

// BenchmarkLANDecisionsBolt: 100 gates at a LAN node on a bolt file (the
// default group commit; smaller commits were slower here).
func BenchmarkLANDecisionsBolt(b *testing.B) {
	st, db, err := bolt.OpenEntries(filepath.Join(b.TempDir(), "entries.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	benchDecisions(b, st, false)
}

// BenchmarkLANShuffledDecisionsBolt: the same with the tickets in a random
// order and the scan ids numbered by gate, as in a real rush: each admission
// then writes its own pages of the file's ticket and scan-id indexes.
func BenchmarkLANShuffledDecisionsBolt(b *testing.B) {
	st, db, err := bolt.OpenEntries(filepath.Join(b.TempDir(), "entries.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	benchDecisions(b, st, true)
}

// BenchmarkLANDecisionsMemory: the same without durability, for the cost of
// the decision itself (Ed25519 verification dominates when the codes'
// digests are left out).
func BenchmarkLANDecisionsMemory(b *testing.B) {
	benchDecisions(b, memory.NewEntries(), false)
}

// BenchmarkLANDecisionsPostgres: the same on PostgreSQL (WHT93_TEST_PG_DSN).
func BenchmarkLANDecisionsPostgres(b *testing.B) {
	benchDecisions(b, benchPG(b), false)
}

func benchPG(b *testing.B) *postgres.Entries {
	dsn := os.Getenv("WHT93_TEST_PG_DSN")
	if dsn == "" {
		b.Skip(`no PostgreSQL: set WHT93_TEST_PG_DSN, for example with eval "$(scripts/pg-test-server start)"`)
	}
	sqlDB, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	sqlDB.SetMaxOpenConns(8)
	schema := fmt.Sprintf("bench_entry_%d", time.Now().UnixNano())
	b.Cleanup(func() {
		sqlDB.Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`)
		sqlDB.Close()
	})
	ctx := context.Background()
	db, err := postgres.Open(ctx, sqlDB, &postgres.Options{Schema: schema})
	if err != nil {
		b.Fatal(err)
	}
	st, err := db.Entries(ctx)
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// benchSync measures one full replica sync of the 80,000 passes into a new
// LAN node through up.
func benchSync(b *testing.B, up func(on *node.Node) node.Upstream) {
	f := benchFixture(b)
	p, _ := f.Policy(checkin.Rules{})
	book, err := f.Book()
	if err != nil {
		b.Fatal(err)
	}
	on, err := node.New(node.Config{Name: "online", Mode: checkin.NetOnline, Policy: p, Verifier: f.Verifier, Store: memory.NewEntries(), Book: book})
	if err != nil {
		b.Fatal(err)
	}
	u := up(on)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		ln, err := node.New(node.Config{Name: "lan", Mode: checkin.NetLAN, Policy: p, Verifier: f.Verifier, Store: memory.NewEntries()})
		if err != nil {
			b.Fatal(err)
		}
		r, err := ln.Sync(ctx, u)
		if err != nil || r.Passes != benchTickets {
			b.Fatalf("sync: %+v %v", r, err)
		}
	}
	b.ReportMetric(float64(benchTickets)*float64(b.N)/b.Elapsed().Seconds(), "passes/s")
}

// BenchmarkReplicaSync: a LAN node pulls the 80,000 passes in process.
func BenchmarkReplicaSync(b *testing.B) {
	benchSync(b, func(on *node.Node) node.Upstream { return on })
}

// BenchmarkReplicaSyncHTTP: the same over HTTP on loopback.
func BenchmarkReplicaSyncHTTP(b *testing.B) {
	benchSync(b, func(on *node.Node) node.Upstream {
		srv := httptest.NewServer(node.Handler(on))
		b.Cleanup(srv.Close)
		c, err := node.NewClient(srv.URL, srv.Client())
		if err != nil {
			b.Fatal(err)
		}
		return c
	})
}
