package client_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
)

// benchShow reports a session in the 80,000-seat stadium of the standard list
// and returns what a ticket batch needs.
func benchShow(b *testing.B, e *env) (perfID, sessionID, code, price string) {
	ctx := context.Background()
	venues, err := e.c.AllVenues(ctx, client.VenueListRequest{DistrictID: 440305})
	if err != nil {
		b.Fatal(err)
	}
	hall := venues[0].HallList[0] // 体育场, 80,000 seats
	if hall.SeatNum != 80000 {
		b.Fatalf("hall %+v", hall)
	}
	at := func(h int) client.DateTime { return e.c.DateTime(time.Date(2024, 8, 1, h, 0, 0, 0, wht93.CST)) }
	codes, err := e.c.RequestSessionCodes(ctx, &client.SessionCodeRequest{PerformanceID: "stadium", PerformanceName: "演唱会",
		TypeID: 2003, SessionList: []client.SessionInfo{{SessionID: "night", SessionName: "夜场", HallCode: hall.HallCode,
			SessionStartTime: at(19), SessionEndTime: at(22), HasSeat: client.Seated, SeatingChart: "https://example.cn/s.png"}}})
	if err != nil {
		b.Fatal(err)
	}
	code = codes["night"]
	if err := e.c.ReportInventory(ctx, &client.ReportInventoryRequest{SessionCode: code, PriceList: []client.PriceTier{{
		PerformanceID: "stadium", SessionID: "night", PriceID: "A", PriceName: "A", TicketPrice: 88000, AvailableInventory: 80000}}}); err != nil {
		b.Fatal(err)
	}
	return "stadium", "night", code, "A"
}

// batches returns n batches of 200 seated tickets with distinct seats.
func batches(perfID, sessionID, code, price string, n int) []*client.ReportTicketRequest {
	out := make([]*client.ReportTicketRequest, n)
	for i := range out {
		list := make([]client.TicketInfo, 200)
		for j := range list {
			list[j] = client.TicketInfo{TicketID: fmt.Sprintf("%s%06d", code, i*200+j), AvailableSale: client.Sellable,
				FloorName: fmt.Sprintf("%d层", i%4+1), AreaName: fmt.Sprintf("%d区", i), RowName: fmt.Sprintf("%d排", j/20+1), SeatNo: fmt.Sprintf("%d号", j%20+1)}
		}
		out[i] = &client.ReportTicketRequest{PerformanceID: perfID, SessionID: sessionID, SessionCode: code, PriceID: price, TicketList: list}
	}
	return out
}

func benchEnv(b *testing.B) *env {
	e := start(b, platformsim.Config{KeepMessages: 16}, func(c *client.Config) {
		c.Logger = nil
		c.Clock = nil
		c.MaxConnsPerHost = 16
	})
	return e
}

// plainPost is the peer: net/http + encoding/json posting the same body to the
// same simulator over the same kind of TLS connection, decoding the envelope.
type plainPoster struct {
	hc    *http.Client
	url   string
	token string
}

func (p *plainPoster) post(r *client.ReportTicketRequest) error {
	cp := *r
	cp.AccessToken = p.token
	body, err := json.Marshal(&cp)
	if err != nil {
		return err
	}
	resp, err := p.hc.Post(p.url+client.PathTicket, "application/json; charset=utf-8", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var env struct {
		Code    json.RawMessage `json:"code"`
		Data    json.RawMessage `json:"data"`
		Msg     string          `json:"msg"`
		Success bool            `json:"success"`
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return err
	}
	if !env.Success {
		return fmt.Errorf("%s %s", env.Code, env.Msg)
	}
	return nil
}

func newPlain(b *testing.B, e *env) *plainPoster {
	tok, err := e.c.Token(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: e.sim.CAPool()}, ForceAttemptHTTP2: true, MaxIdleConnsPerHost: 16}
	b.Cleanup(tr.CloseIdleConnections)
	return &plainPoster{hc: &http.Client{Transport: tr}, url: e.sim.URL(), token: tok.AccessToken}
}

// BenchmarkClientOverhead posts the same 200-ticket batches through the client
// and through plain net/http + encoding/json, alternating call by call in one
// run, and reports each one's time per call and their ratio.
func BenchmarkClientOverhead(b *testing.B) {
	e := benchEnv(b)
	perf, sess, code, price := benchShow(b, e)
	reqs := batches(perf, sess, code, price, 16)
	plain := newPlain(b, e)
	ctx := context.Background()
	var tc, tp time.Duration
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		r := reqs[i%len(reqs)]
		i++
		t0 := time.Now()
		if err := e.c.ReportTicket(ctx, r); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := plain.post(r); err != nil {
			b.Fatal(err)
		}
		tp += time.Since(t1)
		tc += t1.Sub(t0)
	}
	b.ReportMetric(float64(tc.Nanoseconds())/float64(i), "client-ns/call")
	b.ReportMetric(float64(tp.Nanoseconds())/float64(i), "plain-ns/call")
	b.ReportMetric(float64(tc)/float64(tp), "ratio")
}

// BenchmarkStadium80000 reports an 80,000-seat stadium: 400 calls of
// /report/ticket with 200 tickets each, from 8 goroutines, per operation.
func BenchmarkStadium80000(b *testing.B) {
	for _, peer := range []string{"client", "plain"} {
		b.Run(peer, func(b *testing.B) {
			e := benchEnv(b)
			perf, sess, code, price := benchShow(b, e)
			reqs := batches(perf, sess, code, price, 400)
			plain := newPlain(b, e)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				work := make(chan *client.ReportTicketRequest, len(reqs))
				for _, r := range reqs {
					work <- r
				}
				close(work)
				var wg sync.WaitGroup
				errs := make(chan error, 8)
				for range 8 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for r := range work {
							var err error
							if peer == "client" {
								err = e.c.ReportTicket(ctx, r)
							} else {
								err = plain.post(r)
							}
							if err != nil {
								errs <- err
								return
							}
						}
					}()
				}
				wg.Wait()
				close(errs)
				if err := <-errs; err != nil {
					b.Fatal(err)
				}
			}
			if n := len(e.sim.Tickets(code)); n != 80000 {
				b.Fatalf("%d tickets on the platform", n)
			}
			b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N), "s/stadium")
		})
	}
}
