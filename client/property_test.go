package client_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/piaowu/wht93/client"
	"pgregory.net/rapid"
)

// A generated batch of well-formed tickets validates; breaking one field of one
// ticket gives exactly one violation, at that ticket's path.
func TestTicketBatchProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, client.MaxTicketsPerCall).Draw(t, "n")
		seated := rapid.Bool().Draw(t, "seated")
		list := make([]client.TicketInfo, n)
		for i := range list {
			list[i] = client.TicketInfo{TicketID: fmt.Sprintf("T%d", i), AvailableSale: rapid.SampledFrom([]int{1, 2}).Draw(t, "sale")}
			if seated {
				list[i].FloorName = rapid.StringMatching(`[1-9]层`).Draw(t, "floor")
				list[i].AreaName = rapid.StringMatching(`[A-Z]区`).Draw(t, "area")
				list[i].RowName = strconv.Itoa(i/30+1) + "排"
				list[i].SeatNo = strconv.Itoa(i%30+1) + "号"
			}
		}
		r := client.ReportTicketRequest{PerformanceID: "p", SessionID: "s", SessionCode: "310101001012024060101", PriceID: "A", TicketList: list}
		f := client.DefaultFormat()
		if vs := r.ValidateSeated(f, seated); len(vs) != 0 {
			t.Fatalf("valid batch refused: %v", vs)
		}
		k := rapid.IntRange(0, n-1).Draw(t, "broken")
		broken := append([]client.TicketInfo(nil), list...)
		switch rapid.IntRange(0, 2).Draw(t, "how") {
		case 0:
			broken[k].AvailableSale = 0
		case 1:
			broken[k].TicketID = rapid.StringMatching(`[a-z]{51,60}`).Draw(t, "long")
		case 2:
			broken[k].TicketID = ""
		}
		r.TicketList = broken
		vs := r.Validate(f)
		if len(vs) != 1 || vs[0].Field[:len(fmt.Sprintf("ticketList[%d].", k))] != fmt.Sprintf("ticketList[%d].", k) {
			t.Fatalf("one broken field gave %v", vs)
		}
	})
}

// The envelope code reads the same from a string and from a number, and
// marshals to the string form.
func TestResultCodeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 999999999).Draw(t, "code")
		var a, b client.ResultCode
		if err := json.Unmarshal([]byte(strconv.Itoa(n)), &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(strconv.Quote(strconv.Itoa(n))), &b); err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(a)
		if int(a) != n || a != b || string(out) != strconv.Quote(strconv.Itoa(n)) {
			t.Fatalf("%d: %d %d %s", n, a, b, out)
		}
	})
}
