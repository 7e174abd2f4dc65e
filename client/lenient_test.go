package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/piaowu/wht93/client"
)

// TestOtherPlatformShapes: a platform that writes the code as a number, the
// hallList as JSON text in a string and no totalRow is still read, and the
// venue pull stops at the first short page.
func TestOtherPlatformShapes(t *testing.T) {
	pages := 0
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case client.PathAccessToken:
			fmt.Fprint(w, `{"code":200,"data":{"accessToken":"abc","expiresIn":7200},"msg":"ok","success":true}`)
		case client.PathVenueList:
			pages++
			var q client.VenueListRequest
			json.Unmarshal(body, &q)
			n := client.MaxPageSize
			if q.PageNo == 2 {
				n = 3
			}
			list := make([]map[string]any, n)
			for i := range list {
				list[i] = map[string]any{"venueCode": fmt.Sprintf("110101%03d", i), "hallList": `[{"hallCode":"11010100101","hasSeat":"1"}]`}
				if i > 0 {
					list[i]["hallList"] = `[]`
				}
			}
			list[0]["hallList"] = `[{"hallCode":"11010100101","hasSeat":1,"seatNum":10}]`
			b, _ := json.Marshal(map[string]any{"code": 200, "success": true, "data": map[string]any{"dataList": list, "page": q.PageNo}})
			w.Write(b)
		}
	}))
	defer srv.Close()
	c, err := client.New(client.Config{BaseURL: srv.URL, AppID: "a", Secret: "s",
		RootCAs: srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	all, err := c.AllVenues(context.Background(), client.VenueListRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != client.MaxPageSize+3 || pages != 2 || all[0].HallList[0].SeatNum != 10 {
		t.Fatalf("%d venues in %d pages", len(all), pages)
	}
}
