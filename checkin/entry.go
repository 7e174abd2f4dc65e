package checkin

import (
	"encoding/binary"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
)

// Bounds of an entry's texts.
const (
	// MaxIDLen bounds an entry id: 1 to 64 ASCII letters, digits, '.', '_', ':'
	// and '-'.
	MaxIDLen = 64
	// MaxNameLen bounds a gate, device or node name, in characters.
	MaxNameLen = 64
)

// Entry is the record of one admission (6.3.6.1: 记录并更新检票时间、次数和状态):
// which ticket entered, when, the how-manieth entry of the ticket it was where
// it was admitted, through which gate and device, by which method, at which
// node (the online server or a LAN node), with the ticket's session id, price
// tier and real-name mode for /report/checking.
//
// ID identifies the admission everywhere: a device retrying a scan, a LAN node
// pushing its entries up twice, an online server sending them down again all
// carry the same id, and a store counts an id once. Times are kept to the
// microsecond.
//
// An Entry is a plain, comparable value, safe for concurrent use.
type Entry struct {
	ID        string
	Ticket    codes.TicketCode
	SessionID string
	Tier      string
	RealName  realname.Mode
	Method    Method
	Gate      string
	Device    string
	Node      string
	At        time.Time
	// Count is the how-manieth entry of the ticket this was at the node that
	// admitted it (1 for the first). After two LAN nodes cut off from each other
	// both admit a ticket, both entries say 1: see [Resolve].
	Count int
}

// Session returns the entry's session code.
func (e *Entry) Session() codes.SessionCode { return e.Ticket.Session() }

// Validate returns every violation of the entry, nil when none. Names are
// 1 to MaxNameLen characters without control characters or surrounding space.
func (e *Entry) Validate() error {
	var vs wht93.Violations
	if !idOK(e.ID) {
		vs = append(vs, ErrEntry.Atf("id", e.ID, "检票记录ID应为1至64个字母、数字或 . _ : -", "entry id must be 1 to 64 letters, digits, '.', '_', ':' or '-'"))
	}
	if e.Ticket.IsZero() {
		vs = append(vs, ErrEntry.Atf("ticket", "", "缺少演出票编码", "ticket code is missing"))
	}
	if !textOK(e.SessionID, 0, 50) {
		vs = append(vs, ErrEntry.Atf("sessionId", e.SessionID, "场次ID最多50个字符，不含控制字符", "session id is at most 50 characters without control characters"))
	}
	if !textOK(e.Tier, 0, 50) {
		vs = append(vs, ErrEntry.Atf("tier", e.Tier, "票价ID最多50个字符，不含控制字符", "price id is at most 50 characters without control characters"))
	}
	if !e.RealName.Valid() {
		vs = append(vs, ErrEntry.Atf("realName", strconv.Itoa(int(e.RealName)), "实名方式无效", "invalid real-name mode"))
	}
	if !e.Method.Valid() {
		vs = append(vs, ErrEntry.Atf("method", strconv.Itoa(int(e.Method)), "检票方式无效", "invalid method"))
	}
	for _, f := range []struct{ name, v string }{{"gate", e.Gate}, {"device", e.Device}, {"node", e.Node}} {
		if !textOK(f.v, 1, MaxNameLen) {
			vs = append(vs, ErrEntry.Atf(f.name, f.v, "名称应为1至64个字符，不含控制字符和首尾空格", "name must be 1 to 64 characters without control characters or surrounding space"))
		}
	}
	if e.At.IsZero() || e.At.Year() < 2000 || e.At.Year() > 9999 {
		vs = append(vs, ErrEntry.Atf("at", e.At.Format(time.RFC3339), "检票时间缺失或超出范围", "entry time is missing or out of range"))
	}
	if e.Count < 1 || e.Count > MaxEntries {
		vs = append(vs, ErrEntry.Atf("count", strconv.Itoa(e.Count), "检票次数应为1至10000", "entry count must be 1 to 10000"))
	}
	return vs.Err()
}

// Normalized returns the entry with its time in China Standard Time, truncated
// to the microsecond, as stores keep it.
func (e Entry) Normalized() Entry {
	e.At = time.UnixMicro(e.At.UnixMicro()).In(wht93.CST)
	return e
}

// Checking is the data of one check-in for Appendix A's /report/checking
// (table A.37): the report package maps it onto the wire. A Checking is a
// plain value.
type Checking struct {
	TicketID    string    // ticketId: the ticket code
	SessionID   string    // sessionId
	PriceID     string    // priceId: the price tier
	SessionCode string    // sessionCode
	Time        time.Time // checkingTime
	Type        int       // checkingType: 1 QR e-ticket, 2 ID card, 3 paper ticket
	AuthType    int       // authType: 1 real-name, 2 not real-name
}

// Checking returns the entry's data for /report/checking.
func (e *Entry) Checking() Checking {
	return Checking{
		TicketID: e.Ticket.String(), SessionID: e.SessionID, PriceID: e.Tier,
		SessionCode: e.Ticket.Session().String(), Time: e.At.In(wht93.CST),
		Type: e.Method.CheckingType(), AuthType: e.RealName.AuthType(),
	}
}

const entryFormat = 1

// MarshalBinary encodes the entry for storage and transport: a format byte
// (1); the id, ticket code, session id and tier as strings; the real-name mode
// and method as bytes; the gate, device and node as strings; the instant in
// microseconds since 1970 UTC as a zigzag varint; the count as a uvarint.
// Strings are a uvarint length and UTF-8 bytes. An invalid entry is an error.
func (e Entry) MarshalBinary() ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return e.appendBinary(make([]byte, 0, 160)), nil
}

// AppendBinary appends the encoding of a valid entry to b (see
// MarshalBinary); an invalid entry is an error and b is returned unchanged.
func (e Entry) AppendBinary(b []byte) ([]byte, error) {
	if err := e.Validate(); err != nil {
		return b, err
	}
	return e.appendBinary(b), nil
}

func (e *Entry) appendBinary(b []byte) []byte {
	b = append(b, entryFormat)
	b = appendString(b, e.ID)
	b = appendString(b, e.Ticket.String())
	b = appendString(b, e.SessionID)
	b = appendString(b, e.Tier)
	b = append(b, byte(e.RealName), byte(e.Method))
	b = appendString(b, e.Gate)
	b = appendString(b, e.Device)
	b = appendString(b, e.Node)
	b = binary.AppendVarint(b, e.At.UnixMicro())
	return binary.AppendUvarint(b, uint64(e.Count))
}

// UnmarshalBinary decodes what MarshalBinary encodes, strictly, and validates
// the entry. It never panics.
func (e *Entry) UnmarshalBinary(b []byte) error {
	d := decoder{b: b}
	f, err := d.entry()
	if err == nil {
		err = d.end()
	}
	if err != nil {
		return err
	}
	*e = f
	return nil
}

func (d *decoder) entry() (Entry, error) {
	var e Entry
	if f := d.byte("format"); d.err == nil && f != entryFormat {
		d.fail("format")
	}
	e.ID = d.string("id")
	code := d.string("ticket")
	e.SessionID = d.string("sessionId")
	e.Tier = d.string("tier")
	e.RealName = realname.Mode(d.byte("realName"))
	e.Method = Method(d.byte("method"))
	e.Gate = d.string("gate")
	e.Device = d.string("device")
	e.Node = d.string("node")
	at := d.varint("at")
	n := d.uvarint("count")
	if d.err != nil {
		return Entry{}, d.err
	}
	tc, err := decodeTicket(code)
	if err != nil {
		return Entry{}, err
	}
	if n > MaxEntries {
		d.fail("count")
		return Entry{}, d.err
	}
	e.Ticket, e.Count = tc, int(n)
	e.At = time.UnixMicro(at).In(wht93.CST)
	if err := e.Validate(); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// idOK reports whether s is an entry id.
func idOK(s string) bool {
	if len(s) == 0 || len(s) > MaxIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// textOK reports whether s is valid UTF-8 of min to max characters without
// control characters or surrounding space.
func textOK(s string, min, max int) bool {
	n := utf8.RuneCountInString(s)
	if n < min || n > max || !utf8.ValidString(s) {
		return false
	}
	if s != strings.TrimSpace(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
