package platformsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// adminRoutes serves the fault-injection endpoints. Every one answers JSON
// {"ok":true,...} or HTTP 400 with {"ok":false,"error":"..."}; they are neither
// faulted nor logged as messages.
//
//	POST /_sim/fault          a Fault as JSON: queue it
//	POST /_sim/clear          clear faults, outage and random faults
//	POST /_sim/outage         {"on":true|false}
//	POST /_sim/random         {"rate":0.1,"seed":7}
//	POST /_sim/expire-tokens  every issued token becomes invalid (4200)
//	POST /_sim/expires-in     {"seconds":60}: lifetime of new tokens
//	GET  /_sim/state          counts of records, calls and pending faults
//	GET  /_sim/messages       the recent exchanges, readable, secrets masked
func (s *Sim) adminRoutes(mux *http.ServeMux) {
	reply := func(w http.ResponseWriter, status int, v map[string]any) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	// post serves an admin action whose JSON body (if any) decodes into a fresh
	// value per request.
	post := func(path string, apply func(dec *json.Decoder) error) {
		mux.HandleFunc("POST "+path, func(w http.ResponseWriter, r *http.Request) {
			dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
			dec.DisallowUnknownFields()
			if err := apply(dec); err != nil {
				reply(w, http.StatusBadRequest, map[string]any{"ok": false, "error": err.Error()})
				return
			}
			reply(w, http.StatusOK, map[string]any{"ok": true})
		})
	}
	mux.HandleFunc("POST /_sim/fault", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
		dec.DisallowUnknownFields()
		err := dec.Decode(&f)
		if err == nil {
			err = checkFault(f)
		}
		if err != nil {
			reply(w, http.StatusBadRequest, map[string]any{"ok": false, "error": err.Error()})
			return
		}
		s.Inject(f)
		reply(w, http.StatusOK, map[string]any{"ok": true, "fault": f.String()})
	})
	post("/_sim/clear", func(*json.Decoder) error { s.ClearFaults(); return nil })
	post("/_sim/expire-tokens", func(*json.Decoder) error { s.ExpireTokens(); return nil })
	post("/_sim/outage", func(dec *json.Decoder) error {
		var v struct {
			On *bool `json:"on"`
		}
		if err := dec.Decode(&v); err != nil {
			return err
		}
		if v.On == nil {
			return fmt.Errorf(`want {"on":true} or {"on":false}`)
		}
		s.SetOutage(*v.On)
		return nil
	})
	post("/_sim/random", func(dec *json.Decoder) error {
		var v struct {
			Rate float64 `json:"rate"`
			Seed uint64  `json:"seed"`
		}
		if err := dec.Decode(&v); err != nil {
			return err
		}
		if v.Rate < 0 || v.Rate > 1 {
			return fmt.Errorf("rate %v is not in [0, 1]", v.Rate)
		}
		s.SetRandomFaults(v.Rate, v.Seed)
		return nil
	})
	post("/_sim/expires-in", func(dec *json.Decoder) error {
		var v struct {
			Seconds int `json:"seconds"`
		}
		if err := dec.Decode(&v); err != nil {
			return err
		}
		if v.Seconds <= 0 {
			return fmt.Errorf("seconds must be positive")
		}
		s.SetExpiresIn(v.Seconds)
		return nil
	})
	mux.HandleFunc("GET /_sim/state", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		calls := make(map[string]int, len(s.calls))
		for k, v := range s.calls {
			calls[k] = v
		}
		pending, outageOn := len(s.faults), s.outage
		s.mu.Unlock()
		reply(w, http.StatusOK, map[string]any{"ok": true, "counts": s.Counts(), "calls": calls,
			"pendingFaults": pending, "outage": outageOn})
	})
	mux.HandleFunc("GET /_sim/messages", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		for _, m := range s.Messages() {
			fmt.Fprintln(w, m.String())
		}
	})
}

// checkFault refuses a fault that would not do what its sender means.
func checkFault(f Fault) error {
	n := 0
	if f.Code != 0 {
		n++
		if _, ok := codeMsg[f.Code]; !ok || f.Code == 200 {
			return fmt.Errorf("code %d is not an error code of table A.2", f.Code)
		}
	}
	if f.HTTPStatus != 0 {
		n++
		if f.HTTPStatus < 100 || f.HTTPStatus > 599 {
			return fmt.Errorf("httpStatus %d is not an HTTP status", f.HTTPStatus)
		}
	}
	if f.Drop {
		n++
	}
	if n > 1 {
		return fmt.Errorf("code, httpStatus and drop are exclusive")
	}
	if n == 0 && f.Hang <= 0 {
		return fmt.Errorf("a fault needs code, httpStatus, drop or hang")
	}
	if f.Path != "" && !strings.HasPrefix(f.Path, "/") {
		return fmt.Errorf("path %q must start with /", f.Path)
	}
	return nil
}
