package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
)

// A vendor's first report: a token, the standard venue list, session codes for
// a performance, a price tier and a batch of tickets. The platform here is the
// simulator; against the real one only the Config changes (its URL, the appId
// and secret it issued, and RootCAs nil to trust the system's CAs).
func Example() {
	sim, err := platformsim.Start(platformsim.Config{AppID: "vendor-001", Secret: "issued-off-line"})
	if err != nil {
		log.Fatal(err)
	}
	defer sim.Close()

	c, err := client.New(client.Config{
		BaseURL: sim.URL(),    // https://127.0.0.1:port
		AppID:   "vendor-001", // issued by the platform off-line (A.3.1.2)
		Secret:  "issued-off-line",
		RootCAs: sim.CAPool(), // the simulator's own CA
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	// 1. The token is fetched on first use and shared; Token shows it exists.
	if _, err := c.Token(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println("token: ok")

	// 2. Pull the full standard venue list (A.3.2.2) and find the hall.
	venues, err := c.AllVenues(ctx, client.VenueListRequest{})
	if err != nil {
		log.Fatal(err)
	}
	var hall client.Hall
	for _, v := range venues {
		if v.VenueName == "黄浦大剧院" {
			hall = v.HallList[0]
		}
	}
	fmt.Println("venues:", len(venues), "hall:", hall.HallCode, hall.HallName, hall.SeatNum, "seats")

	// 3. Report the performance and its sessions; the platform answers their codes.
	at := func(day, hour int) client.DateTime {
		return c.DateTime(time.Date(2024, 6, day, hour, 30, 0, 0, wht93.CST))
	}
	codes, err := c.RequestSessionCodes(ctx, &client.SessionCodeRequest{
		PerformanceID: "perf-42", PerformanceName: "雷雨", TypeID: 1001, // 话剧 (Appendix D)
		Approval: "沪演审〔2024〕第0042号",
		SessionList: []client.SessionInfo{
			{SessionID: "s-1", SessionName: "首演", HallCode: hall.HallCode, HasSeat: client.Seated,
				SessionStartTime: at(1, 19), SessionEndTime: at(1, 22), SeatingChart: "https://vendor.example.cn/chart/42.png"},
			{SessionID: "s-2", SessionName: "加演", HallCode: hall.HallCode, HasSeat: client.Seated,
				SessionStartTime: at(2, 14), SessionEndTime: at(2, 17), SeatingChart: "https://vendor.example.cn/chart/42.png"},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("s-1:", codes["s-1"])
	fmt.Println("s-2:", codes["s-2"])

	// 4. A price tier of the first session (money in fen).
	price, _ := wht93.ParseYuan("ticketPrice", "380")
	err = c.ReportInventory(ctx, &client.ReportInventoryRequest{SessionCode: codes["s-1"], PriceList: []client.PriceTier{{
		PerformanceID: "perf-42", SessionID: "s-1", PriceID: "A", PriceName: "A档",
		TicketPrice: price, AvailableInventory: 1200, UnavailableInventory: 0}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("tier A:", price, "yuan")

	// 5. A batch of tickets (at most 200 per call).
	var tickets []client.TicketInfo
	for i := range 200 {
		tickets = append(tickets, client.TicketInfo{TicketID: fmt.Sprintf("%s%04d", codes["s-1"], i+1),
			AvailableSale: client.Sellable, FloorName: "1层", AreaName: "池座",
			RowName: fmt.Sprintf("%d排", i/25+1), SeatNo: fmt.Sprintf("%d号", i%25+1)})
	}
	err = c.ReportTicket(ctx, &client.ReportTicketRequest{PerformanceID: "perf-42", SessionID: "s-1",
		SessionCode: codes["s-1"], PriceID: "A", TicketList: tickets})
	if err != nil {
		log.Fatal(err)
	}
	n := sim.Counts()
	fmt.Println("platform holds:", n.Sessions, "sessions,", n.Tiers, "tier,", n.Tickets, "tickets")
	// Output:
	// token: ok
	// venues: 10 hall: 31010100101 大剧场 1800 seats
	// s-1: 310101001012024060101
	// s-2: 310101001012024060201
	// tier A: 380.00 yuan
	// platform holds: 2 sessions, 1 tier, 200 tickets
}

// Classify tells a report queue what to do with a failed call.
func ExampleClassify() {
	sim, err := platformsim.Start(platformsim.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer sim.Close()
	c, err := client.New(sim.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	sim.Inject(platformsim.Fault{Path: client.PathPerformanceUpdate, Code: client.CodeDockingStatus})
	err = c.UpdatePerformance(ctx, &client.UpdatePerformanceRequest{PerformanceID: "perf-1"})
	fmt.Println(client.Classify(err), errors.Is(err, client.ErrDockingStatus))

	err = c.UpdatePerformance(ctx, &client.UpdatePerformanceRequest{PerformanceID: "never-reported"})
	fmt.Println(client.Classify(err), errors.Is(err, client.ErrInvalidParams))

	err = c.UpdatePerformance(ctx, &client.UpdatePerformanceRequest{})
	fmt.Println(client.Classify(err), err)
	// Output:
	// needs-operator true
	// permanent true
	// permanent performanceId: 必填字段为空 / required field is empty: ""
}
