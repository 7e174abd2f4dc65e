package platformsim_test

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
	"github.com/piaowu/wht93/codes"
)

func startSim(t *testing.T, cfg platformsim.Config) (*platformsim.Sim, *http.Client) {
	t.Helper()
	sim, err := platformsim.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: sim.CAPool()}}, Timeout: 10 * time.Second}
	t.Cleanup(hc.CloseIdleConnections)
	return sim, hc
}

// post sends body to path and decodes the answer into out (if not nil).
func post(t *testing.T, hc *http.Client, sim *platformsim.Sim, path, body string, out any) int {
	t.Helper()
	resp, err := hc.Post(sim.URL()+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: %s: %v", path, b, err)
		}
	}
	return resp.StatusCode
}

func token(t *testing.T, hc *http.Client, sim *platformsim.Sim) string {
	var env struct {
		Code client.ResultCode
		Data client.AccessTokenResponse
	}
	post(t, hc, sim, client.PathAccessToken, `{"appId":"`+sim.AppID()+`","secret":"`+sim.Secret()+`"}`, &env)
	if env.Code != 200 || env.Data.AccessToken == "" {
		t.Fatalf("token: %+v", env)
	}
	return env.Data.AccessToken
}

func TestStandardVenuesAreRealAndCoded(t *testing.T) {
	sim, _ := startSim(t, platformsim.Config{})
	seated, unseated := 0, 0
	for _, v := range sim.Venues() {
		r, ok := codes.LookupRegion(strconv.FormatInt(v.DistrictID, 10))
		if !ok || !r.InUse() {
			t.Errorf("%s: district %d not a GB/T 2260 code in use", v.VenueName, v.DistrictID)
		}
		if _, err := codes.ParseVenueCode(v.VenueCode); err != nil || v.VenueCode[:6] != strconv.FormatInt(v.DistrictID, 10) {
			t.Errorf("venue code %s: %v", v.VenueCode, err)
		}
		if v.HallNum != len(v.HallList) {
			t.Errorf("%s: hallNum %d, %d halls", v.VenueCode, v.HallNum, len(v.HallList))
		}
		for i, h := range v.HallList {
			if _, err := codes.ParseHallCode(h.HallCode); err != nil || h.HallCode != v.VenueCode+[]string{"01", "02", "03"}[i] {
				t.Errorf("hall code %s: %v", h.HallCode, err)
			}
			if h.HasSeat == client.Seated {
				seated++
				if h.SeatNum <= 0 || h.SeatingCapacity != 0 {
					t.Errorf("%s: seated hall with %d seats", h.HallCode, h.SeatNum)
				}
			} else {
				unseated++
				if h.SeatingCapacity <= 0 || h.SeatNum != 0 {
					t.Errorf("%s: unseated hall with capacity %d", h.HallCode, h.SeatingCapacity)
				}
			}
		}
	}
	if seated == 0 || unseated == 0 {
		t.Fatalf("%d seated, %d unseated halls", seated, unseated)
	}
}

func TestStandardTypesMatchAppendixD(t *testing.T) {
	level2 := 0
	for _, ty := range platformsim.StandardTypes() {
		switch ty.Level {
		case 1:
			if ty.TypeID < 10 || ty.TypeID > 60 || ty.TypeID%10 != 0 || ty.ParentTypeID.Valid {
				t.Errorf("level 1 %+v", ty)
			}
		case 2:
			level2++
			if !codes.TypeCode(ty.TypeID).Valid() || ty.ParentTypeID.Int != ty.TypeID/100 {
				t.Errorf("level 2 %+v", ty)
			}
		default:
			t.Errorf("level %d", ty.Level)
		}
	}
	if want := len(codes.PerformanceTypes()); level2 != want {
		t.Fatalf("%d level-2 types, Appendix D has %d", level2, want)
	}
}

func TestStrictDecoding(t *testing.T) {
	sim, hc := startSim(t, platformsim.Config{})
	tok := token(t, hc, sim)
	var env client.Envelope
	post(t, hc, sim, client.PathVenueList, `{"accessToken":"`+tok+`","pageNo":1,"pageSize":10,"extra":1}`, &env)
	if env.Code != client.CodeInvalidParams || !strings.Contains(env.Msg, "extra") {
		t.Fatalf("unknown field accepted: %+v", env)
	}
	post(t, hc, sim, client.PathVenueList, `{"accessToken":"`+tok+`","pageNo":1,"pageSize":500}`, &env)
	if env.Code != client.CodeInvalidParams || !strings.Contains(env.Msg, "pageSize") {
		t.Fatalf("pageSize 500 accepted: %+v", env)
	}
	post(t, hc, sim, client.PathVenueList, `{"accessToken":"nope","pageNo":1,"pageSize":10}`, &env)
	if env.Code != client.CodeTokenInvalid || env.Success {
		t.Fatalf("bad token: %+v", env)
	}
	post(t, hc, sim, client.PathAccessToken, `{"appId":"`+sim.AppID()+`","secret":"wrong"}`, &env)
	if env.Code != client.CodeBadCredentials || strings.Contains(env.Msg, "wrong") {
		t.Fatalf("bad secret: %+v", env)
	}
	if st := post(t, hc, sim, client.PathPerformanceTypes, `{}`, nil); st != http.StatusMethodNotAllowed {
		t.Fatalf("POST to the GET endpoint: %d", st)
	}
	if st := post(t, hc, sim, "/nope", `{}`, nil); st != http.StatusNotFound {
		t.Fatalf("unknown path: %d", st)
	}
	if st := post(t, hc, sim, "/_sim/outage", `{"on":true}`, nil); st != http.StatusNotFound {
		t.Fatalf("admin endpoint served without Config.Admin: %d", st)
	}
}

func TestVenueSaveNumbering(t *testing.T) {
	sim, hc := startSim(t, platformsim.Config{})
	tok := token(t, hc, sim)
	var env struct {
		Code client.ResultCode
		Msg  string
		Data client.VenueSaveResponse
	}
	// A second venue in 东城区 (the list has one): 110101002; its first hall 01.
	post(t, hc, sim, client.PathVenueSave, `{"accessToken":"`+tok+`","provinceId":110000,"cityId":110100,"districtId":110101,
		"venueName":"新剧场","venueAddress":"东城区某路2号","hasHall":1,"hallName":"一厅","hasSeat":0,"seatingCapacity":300}`, &env)
	if env.Code != 200 || env.Data.VenueCode != "110101002" || env.Data.HallCode != "11010100201" {
		t.Fatalf("%+v", env)
	}
	// Another hall in an existing venue: the next number.
	post(t, hc, sim, client.PathVenueSave, `{"accessToken":"`+tok+`","venueCode":"110101002","hasHall":1,"hallName":"二厅","hasSeat":1,"seatNum":120}`, &env)
	if env.Code != 200 || env.Data.HallCode != "11010100202" {
		t.Fatalf("%+v", env)
	}
	// A venue without halls answers no hall code.
	env.Data = client.VenueSaveResponse{}
	post(t, hc, sim, client.PathVenueSave, `{"accessToken":"`+tok+`","provinceId":440000,"cityId":440300,"districtId":440305,
		"venueName":"海边广场","venueAddress":"南山区","hasHall":0,"hasSeat":0,"seatingCapacity":5000}`, &env)
	if env.Code != 200 || env.Data.VenueCode != "440305002" || env.Data.HallCode != "" {
		t.Fatalf("%+v", env)
	}
	// A district that does not exist, or ids that do not agree.
	for _, body := range []string{
		`{"accessToken":"` + tok + `","provinceId":110000,"cityId":110100,"districtId":110199,"venueName":"x","venueAddress":"x","hasHall":0,"hasSeat":0,"seatingCapacity":1}`,
		`{"accessToken":"` + tok + `","provinceId":310000,"cityId":310100,"districtId":110101,"venueName":"x","venueAddress":"x","hasHall":0,"hasSeat":0,"seatingCapacity":1}`,
	} {
		post(t, hc, sim, client.PathVenueSave, body, &env)
		if env.Code != client.CodeInvalidParams {
			t.Fatalf("%s: %+v", body, env)
		}
	}
}

func TestAdminEndpoints(t *testing.T) {
	sim, hc := startSim(t, platformsim.Config{Admin: true})
	tok := token(t, hc, sim)
	var ok struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if st := post(t, hc, sim, "/_sim/fault", `{"path":"/standard/venue/list","code":5100,"times":2,"retryAfter":"3"}`, &ok); st != 200 || !ok.OK {
		t.Fatal(st, ok)
	}
	list := `{"accessToken":"` + tok + `","pageNo":1,"pageSize":10}`
	for range 2 {
		resp, err := hc.Post(sim.URL()+client.PathVenueList, "application/json", strings.NewReader(list))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		env, _ := client.DecodeEnvelope(b)
		if env.Code != 5100 || resp.Header.Get("Retry-After") != "3" {
			t.Fatalf("%s %v", b, resp.Header)
		}
	}
	var env client.Envelope
	if post(t, hc, sim, client.PathVenueList, list, &env); env.Code != 200 {
		t.Fatalf("fault outlived its count: %+v", env)
	}
	post(t, hc, sim, "/_sim/expire-tokens", ``, &ok)
	if post(t, hc, sim, client.PathVenueList, list, &env); env.Code != client.CodeTokenInvalid {
		t.Fatalf("after expire-tokens: %+v", env)
	}
	post(t, hc, sim, "/_sim/expires-in", `{"seconds":60}`, &ok)
	var te struct{ Data client.AccessTokenResponse }
	post(t, hc, sim, client.PathAccessToken, `{"appId":"`+sim.AppID()+`","secret":"`+sim.Secret()+`"}`, &te)
	if te.Data.ExpiresIn != 60 {
		t.Fatalf("expiresIn %d", te.Data.ExpiresIn)
	}
	post(t, hc, sim, "/_sim/outage", `{"on":true}`, &ok)
	if _, err := hc.Post(sim.URL()+client.PathVenueList, "application/json", strings.NewReader(list)); err == nil {
		t.Fatal("outage answered")
	}
	post(t, hc, sim, "/_sim/clear", ``, &ok)
	if post(t, hc, sim, client.PathAccessToken, `{"appId":"`+sim.AppID()+`","secret":"`+sim.Secret()+`"}`, &env); env.Code != 200 {
		t.Fatalf("after clear: %+v", env)
	}
	for _, bad := range []string{`{"code":1234}`, `{"code":4000,"drop":true}`, `{}`, `{"hang":"soon"}`, `{"path":"report"  ,"code":4000}`, `{"bogus":1}`} {
		if st := post(t, hc, sim, "/_sim/fault", bad, &ok); st != http.StatusBadRequest || ok.OK || ok.Error == "" {
			t.Errorf("%s: %d %+v", bad, st, ok)
		}
	}
	for path, bad := range map[string]string{"/_sim/outage": `{}`, "/_sim/random": `{"rate":2}`, "/_sim/expires-in": `{"seconds":0}`} {
		if st := post(t, hc, sim, path, bad, &ok); st != http.StatusBadRequest {
			t.Errorf("%s %s: %d", path, bad, st)
		}
	}
	resp, err := hc.Get(sim.URL() + "/_sim/state")
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Calls  map[string]int
		Counts platformsim.Counts
	}
	json.NewDecoder(resp.Body).Decode(&state)
	resp.Body.Close()
	if state.Calls[client.PathVenueList] != 5 || state.Counts.Venues != 10 {
		t.Fatalf("state %+v", state)
	}
	resp, err = hc.Get(sim.URL() + "/_sim/messages")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(b)
	if !strings.Contains(text, "[fault: code 5100]") || !strings.Contains(text, "POST /standard/venue/list") || strings.Contains(text, sim.Secret()) || strings.Contains(text, tok) {
		t.Fatalf("messages:\n%s", text)
	}
}

func TestRandomFaultsRepeatWithTheSeed(t *testing.T) {
	run := func() []string {
		sim, hc := startSim(t, platformsim.Config{})
		tok := token(t, hc, sim)
		sim.SetRandomFaults(0.5, 42)
		var out []string
		for range 30 {
			resp, err := hc.Post(sim.URL()+client.PathVenueList, "application/json",
				strings.NewReader(`{"accessToken":"`+tok+`","pageNo":1,"pageSize":1}`))
			if err != nil {
				out = append(out, "drop")
				continue
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			env, _ := client.DecodeEnvelope(b)
			out = append(out, resp.Status+"/"+strconv.Itoa(int(env.Code)))
		}
		return out
	}
	a, b := run(), run()
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatalf("same seed, different faults:\n%v\n%v", a, b)
	}
	faults := 0
	for _, x := range a {
		if x != "200 OK/200" {
			faults++
		}
	}
	if faults < 5 || faults > 25 {
		t.Fatalf("%d faults in 30 calls at rate 0.5", faults)
	}
}

func TestMask(t *testing.T) {
	cases := map[string]string{
		`{"appId":"a","secret":"s3cr3t"}`:                    `{"appId":"a","secret":"***"}`,
		`{"accessToken": "0123456789abcdef","x":1}`:          `{"accessToken": "0123***","x":1}`,
		`/standard/performance/type/list?accessToken=abcdef`: `/standard/performance/type/list?accessToken=abcd***`,
		`{"accessToken":"abc"}`:                              `{"accessToken":"***"}`,
	}
	for in, want := range cases {
		if got := platformsim.Mask(in); got != want {
			t.Errorf("%s → %s, want %s", in, got, want)
		}
	}
}

func TestMessageLogIsReadable(t *testing.T) {
	var buf bytes.Buffer
	sim, hc := startSim(t, platformsim.Config{MessageLog: &buf, Secret: "hidden-secret-123"})
	tok := token(t, hc, sim)
	post(t, hc, sim, client.PathVenueList, `{"accessToken":"`+tok+`","pageNo":1,"pageSize":1}`, nil)
	out := buf.String()
	for _, want := range []string{"#1 ", "POST /getAccessToken", `"secret": "***"`, "← HTTP 200", `"venueCode": "110101001"`, "#2 "} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hidden-secret-123") || strings.Contains(out, tok) {
		t.Fatalf("secret shown:\n%s", out)
	}
	if ms := sim.Messages(); len(ms) != 2 || ms[0].Seq != 1 || !bytes.Contains(ms[0].Request, []byte("hidden-secret-123")) {
		t.Fatalf("messages %+v", ms)
	}
}

func TestPlainHTTPAndClose(t *testing.T) {
	sim, err := platformsim.Start(platformsim.Config{PlainHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	if sim.CAPool() != nil || sim.CAPEM() != nil || !strings.HasPrefix(sim.URL(), "http://127.0.0.1:") {
		t.Fatal(sim.URL())
	}
	resp, err := http.Post(sim.URL()+client.PathAccessToken, "application/json", strings.NewReader(`{"appId":"sim-app","secret":"sim-secret"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// A hanging call ends when the simulator closes.
	sim.Inject(platformsim.Fault{Hang: platformsim.Duration(time.Hour)})
	done := make(chan error)
	go func() {
		_, err := http.Post(sim.URL()+client.PathAccessToken, "application/json", strings.NewReader(`{}`))
		done <- err
	}()
	for sim.Calls(client.PathAccessToken) < 2 {
		time.Sleep(time.Millisecond)
	}
	sim.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("answered")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close left a call hanging")
	}
	if _, err := platformsim.Start(platformsim.Config{Addr: "256.0.0.1:1"}); err == nil {
		t.Fatal("bad address accepted")
	}
}
