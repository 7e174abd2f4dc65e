package platformsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Message is one exchange with the simulator, kept for display (clause 8.2.2.2:
// 具备通信报文显示功能). Request and Response are the bodies as they went over the
// wire; [Message.String] shows them with the secret and the access token masked.
type Message struct {
	Seq      int
	Time     time.Time
	Method   string
	Path     string
	Request  []byte
	Status   int
	Response []byte
	// Fault names the injected fault that shaped the answer, if any.
	Fault    string
	Duration time.Duration
}

var secretField = regexp.MustCompile(`("(?:secret|accessToken)"\s*:\s*")([^"]*)(")`)
var tokenQuery = regexp.MustCompile(`(accessToken=)([^&\s]*)`)

// Mask hides the values of the "secret" and "accessToken" fields of a JSON body
// and of an accessToken query parameter, keeping the first 4 characters of a
// token so that exchanges can be told apart.
func Mask(s string) string {
	keep := func(v string, n int) string {
		if len(v) <= n {
			return "***"
		}
		return v[:n] + "***"
	}
	s = secretField.ReplaceAllStringFunc(s, func(m string) string {
		p := secretField.FindStringSubmatch(m)
		n := 4
		if strings.HasPrefix(p[1], `"secret"`) {
			n = 0
		}
		return p[1] + keep(p[2], n) + p[3]
	})
	return tokenQuery.ReplaceAllStringFunc(s, func(m string) string {
		p := tokenQuery.FindStringSubmatch(m)
		return p[1] + keep(p[2], 4)
	})
}

func pretty(b []byte) string {
	if len(b) == 0 {
		return "(empty)"
	}
	var buf bytes.Buffer
	if json.Indent(&buf, b, "  ", "  ") == nil {
		return buf.String()
	}
	return fmt.Sprintf("%q", b)
}

// String shows the exchange in readable form, secrets masked.
func (m Message) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s %s %s", m.Seq, m.Time.Format("2006-01-02 15:04:05.000"), m.Method, Mask(m.Path))
	if m.Fault != "" {
		fmt.Fprintf(&b, "  [fault: %s]", m.Fault)
	}
	fmt.Fprintf(&b, "\n  → %s\n", Mask(pretty(m.Request)))
	if m.Status == 0 {
		b.WriteString("  ← (no answer: connection dropped)\n")
	} else {
		fmt.Fprintf(&b, "  ← HTTP %d (%s) %s\n", m.Status, m.Duration.Round(time.Microsecond), Mask(pretty(m.Response)))
	}
	return b.String()
}

// Messages returns the recent exchanges, oldest first.
func (s *Sim) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// MessagesTo returns the recent exchanges with one endpoint, oldest first.
func (s *Sim) MessagesTo(path string) []Message {
	var out []Message
	for _, m := range s.Messages() {
		if m.Path == path {
			out = append(out, m)
		}
	}
	return out
}

func (s *Sim) record(m Message) {
	s.mu.Lock()
	s.msgSeq++
	m.Seq = s.msgSeq
	s.msgs = append(s.msgs, m)
	if over := len(s.msgs) - s.cfg.KeepMessages; over > 0 {
		s.msgs = append(s.msgs[:0:0], s.msgs[over:]...)
	}
	s.mu.Unlock()
	if w := s.cfg.MessageLog; w != nil {
		s.logMu.Lock()
		fmt.Fprint(w, m.String())
		s.logMu.Unlock()
	}
}
