package platformsim_test

import (
	"context"
	"fmt"
	"log"

	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
)

// A test of a reporting path under faults: the platform is busy twice, then
// accepts; the simulator shows what arrived and how often.
func Example() {
	sim, err := platformsim.Start(platformsim.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer sim.Close()
	c, err := client.New(sim.ClientConfig()) // trusts the simulator's CA
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	sim.Inject(platformsim.Fault{Path: client.PathVenueList, Code: client.CodeBusy, Times: 2})
	venues, err := c.AllVenues(context.Background(), client.VenueListRequest{DistrictID: 110101})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(venues[0].VenueCode, venues[0].VenueName, len(venues[0].HallList), "halls")
	fmt.Println("calls:", sim.Calls(client.PathVenueList), "token fetches:", sim.Calls(client.PathAccessToken))
	for _, m := range sim.MessagesTo(client.PathVenueList) {
		fmt.Println(m.Seq, m.Status, m.Fault)
	}
	// Output:
	// 110101001 东城示范剧场 3 halls
	// calls: 3 token fetches: 1
	// 2 200 code 5100
	// 3 200 code 5100
	// 4 200
}
