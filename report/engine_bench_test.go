package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/report"
)

// BenchmarkEngineSession80k delivers one session of 80,000 tickets (400
// requests of 200, in one ordering stream after the session code) from a
// memory queue to the simulator over TLS, at Rate 1000 requests/s. The
// encoding and the enqueue are not timed.
func BenchmarkEngineSession80k(b *testing.B) {
	w := newWorld(b, nil)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		b.StopTimer()
		n++
		perf := fmt.Sprintf("B%d", n)
		ds := w.show(b, perf, 1, 0)[:1] // the code request
		sid := perf + "-S0"
		ref := report.SessionRef(sid)
		tier, err := report.NewDraft(w.f, sid+"/tier", w.day, &client.ReportInventoryRequest{SessionCode: ref, PriceList: []client.PriceTier{{
			PerformanceID: perf, SessionID: sid, PriceID: "P100", PriceName: "草坪", TicketPrice: 10000, AvailableInventory: 80000}}})
		if err != nil {
			b.Fatal(err)
		}
		ds = append(ds, tier)
		tr := &client.ReportTicketRequest{PerformanceID: perf, SessionID: sid, SessionCode: ref, PriceID: "P100"}
		for i := range 80000 {
			tr.TicketList = append(tr.TicketList, client.TicketInfo{TicketID: fmt.Sprintf("T%05d", i), AvailableSale: client.Sellable})
		}
		batches, err := report.TicketDrafts(w.f, sid+"/t", w.day, tr)
		if err != nil {
			b.Fatal(err)
		}
		ds = append(ds, batches...)
		q := newMemoryQueue()
		if _, err := q.Enqueue(context.Background(), time.Now(), ds...); err != nil {
			b.Fatal(err)
		}
		e, _ := report.NewEngine(report.EngineConfig{Queue: q, Sender: w.c, Rate: 1000, Burst: 100})
		b.StartTimer()
		for {
			p, err := e.DrainOnce(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			if p.Leased == 0 {
				break
			}
		}
		b.StopTimer()
		if st := e.Stats(); st.Acked != int64(len(ds)) {
			b.Fatalf("delivered %d of %d", st.Acked, len(ds))
		}
		if got := len(w.sim.Tickets(func() string { s, _ := w.sim.Session(sid); return s.SessionCode }())); got != 80000 {
			b.Fatalf("%d tickets at the platform", got)
		}
		b.StartTimer()
	}
}
