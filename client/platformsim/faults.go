package platformsim

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"
)

// Fault is an answer the simulator gives instead of the normal one (a plain
// value). Code,
// HTTPStatus and Drop are exclusive; Hang may come with any of them, or alone
// (the answer is then the normal one, late).
type Fault struct {
	// Path limits the fault to one endpoint, such as "/report/ticket"; empty
	// means any endpoint.
	Path string `json:"path,omitempty"`
	// Times is how many matching calls get the fault: 0 means 1, a negative
	// number means every call until [Sim.ClearFaults].
	Times int `json:"times,omitempty"`
	// Code is an envelope code to answer with HTTP 200 (4000…5100).
	Code int `json:"code,omitempty"`
	// Msg is the envelope's msg (default: the meaning of Code in table A.2).
	Msg string `json:"msg,omitempty"`
	// HTTPStatus answers that status with an empty body.
	HTTPStatus int `json:"httpStatus,omitempty"`
	// RetryAfter is sent as the Retry-After header with Code or HTTPStatus.
	RetryAfter string `json:"retryAfter,omitempty"`
	// Hang holds the answer this long, or until the client goes away.
	Hang Duration `json:"hang,omitempty"`
	// Drop closes the connection without an answer.
	Drop bool `json:"drop,omitempty"`
}

// Duration is a time.Duration that reads and writes JSON as "1.5s".
type Duration time.Duration

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads "1.5s" or a number of nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n int64
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("duration: %s", b)
		}
		*d = Duration(n)
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// String names the fault as the message log shows it.
func (f Fault) String() string {
	switch {
	case f.Drop:
		return "drop connection"
	case f.Code != 0:
		return fmt.Sprintf("code %d", f.Code)
	case f.HTTPStatus != 0:
		return fmt.Sprintf("HTTP %d", f.HTTPStatus)
	case f.Hang > 0:
		return fmt.Sprintf("hang %s", time.Duration(f.Hang))
	}
	return "none"
}

type fault struct {
	Fault
	left int // < 0: until cleared
}

type randomFaults struct {
	rate float64
	rnd  *rand.Rand
}

var randomChoices = []Fault{{Code: 5000}, {Code: 5100}, {HTTPStatus: 503}, {HTTPStatus: 429, RetryAfter: "0"}, {Drop: true}}

// Inject queues a fault. Faults apply in the order injected: a call takes the
// first queued fault whose Path matches it.
func (s *Sim) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	left := f.Times
	if left == 0 {
		left = 1
	}
	s.faults = append(s.faults, &fault{Fault: f, left: left})
}

// ClearFaults removes every queued fault, the outage and the random faults.
func (s *Sim) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults, s.outage, s.random = nil, false, nil
}

// PendingFaults returns how many queued faults have calls left.
func (s *Sim) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.faults)
}

// SetOutage switches the outage on or off: while on, every connection is dropped
// without an answer, as if the platform were unreachable.
func (s *Sim) SetOutage(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outage = on
}

// SetRandomFaults makes each call fail with probability rate (0 turns it off),
// drawing among 5000, 5100, HTTP 503, HTTP 429 and a dropped connection from a
// generator seeded with seed, so that a run can be repeated.
func (s *Sim) SetRandomFaults(rate float64, seed uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rate <= 0 {
		s.random = nil
		return
	}
	s.random = &randomFaults{rate: rate, rnd: rand.New(rand.NewPCG(seed, seed+1))}
}

// ExpireTokens makes every token issued so far invalid: the next call with one
// is answered 4200.
func (s *Sim) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// SetExpiresIn sets the lifetime in seconds of the tokens issued from now on.
func (s *Sim) SetExpiresIn(seconds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if seconds > 0 {
		s.expiresIn = seconds
	}
}

// takeFault returns the fault for a call to path, if any. Called with s.mu held.
func (s *Sim) takeFault(path string) (Fault, bool) {
	if s.outage {
		return Fault{Drop: true}, true
	}
	for i, f := range s.faults {
		if f.Path != "" && f.Path != path {
			continue
		}
		if f.left > 0 {
			f.left--
			if f.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return f.Fault, true
	}
	if r := s.random; r != nil && r.rnd.Float64() < r.rate {
		return randomChoices[r.rnd.IntN(len(randomChoices))], true
	}
	return Fault{}, false
}
