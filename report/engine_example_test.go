package report_test

import (
	"context"
	"fmt"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/memory"
)

// A session's tickets are enqueued before its code is known, with a
// SessionRef; the engine sends the code request first and writes the code
// into the tickets when it sends them.
func ExampleEngine() {
	sim, _ := platformsim.Start(platformsim.Config{})
	defer sim.Close()
	c, _ := client.New(sim.ClientConfig())
	defer c.Close()
	ctx := context.Background()
	f := c.Format()
	day := wht93.DateOf(time.Date(2024, 6, 1, 12, 0, 0, 0, wht93.CST))
	at := func(h int) client.DateTime { return f.DateTime(time.Date(2024, 6, 2, h, 0, 0, 0, wht93.CST)) }

	var hall string
	for _, v := range sim.Venues() {
		for _, h := range v.HallList {
			if hall == "" && h.HasSeat == client.Unseated && h.EnableState == client.Enabled && h.ManagementStatus == client.StatusOpen {
				hall = h.HallCode
			}
		}
	}
	ref := report.SessionRef("S1")
	code, _ := report.NewDraft(f, "P1/code", day, &client.SessionCodeRequest{PerformanceID: "P1", PerformanceName: "茶馆", TypeID: 1001,
		SessionList: []client.SessionInfo{{SessionID: "S1", SessionName: "首演", HallCode: hall,
			SessionStartTime: at(19), SessionEndTime: at(21), HasSeat: client.Unseated}}})
	tier, _ := report.NewDraft(f, "S1/tier", day, &client.ReportInventoryRequest{SessionCode: ref, PriceList: []client.PriceTier{{
		PerformanceID: "P1", SessionID: "S1", PriceID: "A", PriceName: "草坪", TicketPrice: 8000, AvailableInventory: 250}}})
	tickets := &client.ReportTicketRequest{PerformanceID: "P1", SessionID: "S1", SessionCode: ref, PriceID: "A"}
	for i := range 250 {
		tickets.TicketList = append(tickets.TicketList, client.TicketInfo{TicketID: fmt.Sprintf("T%03d", i), AvailableSale: client.Sellable})
	}
	batches, _ := report.TicketDrafts(f, "S1/tickets", day, tickets) // 200 + 50

	q := memory.NewQueue()
	drafts := append([]report.Draft{tier}, batches...)
	drafts = append(drafts, code) // the code request last: the reports wait for it
	if _, err := q.Enqueue(ctx, time.Now(), drafts...); err != nil {
		fmt.Println(err)
		return
	}
	e, _ := report.NewEngine(report.EngineConfig{Queue: q, Sender: c})
	for range 3 { // Run(ctx) does this in a loop
		if _, err := e.DrainOnce(ctx); err != nil {
			fmt.Println(err)
		}
	}
	// The business day is long past: every record went out as backfill (补报).
	s, _ := sim.Session("S1")
	st := e.Stats()
	fmt.Println("delivered:", st.Acked, "of", len(drafts), "backfill:", st.Backfill)
	fmt.Println("tickets at the platform:", len(sim.Tickets(s.SessionCode)))
	// Output:
	// delivered: 4 of 4 backfill: 4
	// tickets at the platform: 250
}
