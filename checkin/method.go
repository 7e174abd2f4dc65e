package checkin

import (
	"strconv"
	"strings"
)

// Method is how a gate reads a ticket (6.3.6.1: RFID chip tickets, QR codes,
// identity documents; 人票证合一 is a [Policy] setting on top of them). The
// values 1–3 are Appendix A's checkingType; RFID has 4, reported as a physical
// ticket (see [Method.CheckingType]). A Method is a small value, safe for
// concurrent use.
type Method uint8

// The check-in methods.
const (
	// QR reads the e-ticket's signed credential from a phone's screen
	// (ticket.Signer, "WT1.…"): checkingType 1, 二维码电子票.
	QR Method = 1
	// IDCard reads the holder's identity document (a card reader); the gate
	// finds the holder's tickets of the session by the document's blind index:
	// checkingType 2, 身份证.
	IDCard Method = 2
	// Paper reads the barcode of a printed ticket: the credential printed on it
	// (ticket.Printer), whose version is the paper's serial, so that only the
	// latest print enters: checkingType 3, 纸质票.
	Paper Method = 3
	// RFID reads an RFID chip ticket (a card, a wristband) whose chip holds the
	// ticket's signed credential, written when the chip was encoded. Appendix A
	// has no checkingType for it: it is reported as 3, a physical ticket.
	RFID Method = 4
)

var methodNames = [...]struct{ en, zh string }{
	QR:     {"qr", "二维码电子票"},
	IDCard: {"id-card", "身份证件"},
	Paper:  {"paper", "纸质票"},
	RFID:   {"rfid", "RFID芯片票"},
}

// Methods returns the four methods in order.
func Methods() []Method { return []Method{QR, IDCard, Paper, RFID} }

// Valid reports whether m is one of the methods.
func (m Method) Valid() bool { return m >= QR && m <= RFID }

// String returns "qr", "id-card", "paper" or "rfid".
func (m Method) String() string {
	if !m.Valid() {
		return "method(" + strconv.Itoa(int(m)) + ")"
	}
	return methodNames[m].en
}

// Zh returns the method's name in Chinese.
func (m Method) Zh() string {
	if !m.Valid() {
		return "未知检票方式"
	}
	return methodNames[m].zh
}

// CheckingType returns Appendix A's checkingType of an entry by this method:
// 1 QR e-ticket, 2 ID card, 3 paper ticket (and RFID chip ticket); 0 for an
// invalid method.
func (m Method) CheckingType() int {
	switch m {
	case QR:
		return 1
	case IDCard:
		return 2
	case Paper, RFID:
		return 3
	}
	return 0
}

// ReadsCredential reports whether the method reads a signed credential (QR,
// paper, RFID) rather than a document.
func (m Method) ReadsCredential() bool { return m == QR || m == Paper || m == RFID }

// ParseMethod returns the method named s: "qr", "id-card", "paper", "rfid"
// (case-insensitive), or its Chinese name.
func ParseMethod(s string) (Method, error) {
	t := strings.TrimSpace(s)
	for _, m := range Methods() {
		if strings.EqualFold(t, methodNames[m].en) || t == methodNames[m].zh {
			return m, nil
		}
	}
	return 0, ErrScan.Atf("method", s, "检票方式应为 qr、id-card、paper 或 rfid", "method must be qr, id-card, paper or rfid")
}

// MarshalText returns the method's name.
func (m Method) MarshalText() ([]byte, error) {
	if !m.Valid() {
		return nil, ErrScan.Atf("method", strconv.Itoa(int(m)), "检票方式无效", "invalid method")
	}
	return []byte(m.String()), nil
}

// UnmarshalText parses a name ParseMethod accepts.
func (m *Method) UnmarshalText(b []byte) error {
	v, err := ParseMethod(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// MethodSet is a set of methods, a policy's allowed methods. The zero
// MethodSet is empty. It is a small value, safe for concurrent use.
type MethodSet uint8

// MethodsOf returns the set of the given methods; invalid ones are left out.
func MethodsOf(ms ...Method) MethodSet {
	var s MethodSet
	for _, m := range ms {
		if m.Valid() {
			s |= 1 << m
		}
	}
	return s
}

// AllMethods is the set of every method.
const AllMethods MethodSet = 1<<QR | 1<<IDCard | 1<<Paper | 1<<RFID

// Has reports whether m is in the set.
func (s MethodSet) Has(m Method) bool { return m.Valid() && s&(1<<m) != 0 }

// List returns the methods of the set in order.
func (s MethodSet) List() []Method {
	var out []Method
	for _, m := range Methods() {
		if s.Has(m) {
			out = append(out, m)
		}
	}
	return out
}

// String returns the methods joined by "+", "qr+paper".
func (s MethodSet) String() string {
	var parts []string
	for _, m := range s.List() {
		parts = append(parts, m.String())
	}
	return strings.Join(parts, "+")
}
