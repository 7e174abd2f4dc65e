package codes

import (
	"database/sql/driver"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/piaowu/wht93"
)

// TicketCode is a ticket code of clause 6.1.5: the 21-digit session code followed
// by an id unique within the session, at most 50 bytes in all. The standard
// leaves the id to the ticketing system and counts the limit in bytes; this
// package allows the id the characters A–Z, a–z, 0–9, '-' and '_' (the URL-safe
// alphabet of RFC 4648), so that a byte is a character in every encoding the
// code may pass through (UTF-8, GB 18030, URLs, QR codes) and the 50 bytes mean
// the same everywhere. Ids are case-sensitive; the generators of this package
// emit digits and upper-case letters only, so that a database that compares
// case-insensitively cannot merge two of them.
//
// The zero TicketCode is no code: it marshals to "" and is NULL in SQL, and ""
// unmarshals or scans to it. A TicketCode is an immutable value, comparable, and
// safe for concurrent use.
type TicketCode struct{ s string }

// ticketIDChar is the set of bytes a ticket id may hold.
var ticketIDChar = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
		t[c+'a'-'A'] = true
	}
	t['-'], t['_'] = true, true
	return t
}()

// validTicketID reports whether id is 1 to MaxTicketIDLen allowed bytes.
func validTicketID(id string) bool {
	if len(id) == 0 || len(id) > MaxTicketIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !ticketIDChar[id[i]] {
			return false
		}
	}
	return true
}

// checkTicketID appends the violation of [ErrTicketChar] for the first byte of id
// that is not allowed, at character position offset+1 of the code.
func checkTicketID(vs wht93.Violations, field, value, id string, offset int) wht93.Violations {
	for i := 0; i < len(id); i++ {
		if !ticketIDChar[id[i]] {
			r, _ := utf8.DecodeRuneInString(id[i:])
			pos := offset + utf8.RuneCountInString(id[:i]) + 1
			return append(vs, ErrTicketChar.Atf(field, value,
				fmt.Sprintf("演出票唯一识别码第%d位%q不是英文字母、数字、-或_", pos, r),
				fmt.Sprintf("character %d %q of the ticket id is not an ASCII letter, digit, '-' or '_'", pos, r)))
		}
	}
	return vs
}

// CheckTicketCode normalises s (see [Normalize]) and checks it as a ticket code,
// returning every violation, warnings included: a code of fewer than 22 bytes
// ([ErrLength]: a session code and at least one character of id), of more than 50
// ([ErrTicketLength]), the rules of [CheckSessionCode] on its first 21
// characters, and characters outside the id's alphabet ([ErrTicketChar]). The code
// is zero when there is an error.
func CheckTicketCode(s string) (TicketCode, wht93.Violations) {
	const field = fieldTicket
	t := Normalize(s)
	if t == "" {
		return TicketCode{}, wht93.Violations{emptyViolation(field, s, KindTicket)}
	}
	if len(t) <= lenSession {
		vs := wht93.Violations{ErrLength.Atf(field, s,
			fmt.Sprintf("演出票编码应为21位场次编码加唯一识别码，至少22个字节，实为%d个", len(t)),
			fmt.Sprintf("ticket code must be a 21-digit session code and an id, at least 22 bytes, got %d", len(t)))}
		if i := firstNonDigit(t); i >= 0 {
			vs = append(vs, nonDigit(field, s, t, i))
		}
		return TicketCode{}, vs
	}
	var vs wht93.Violations
	if len(t) > MaxTicketLen {
		vs = append(vs, ErrTicketLength.Atf(field, s,
			fmt.Sprintf("演出票编码不得多于50个字节，实为%d个", len(t)),
			fmt.Sprintf("ticket code must be at most 50 bytes, got %d", len(t))))
	}
	vs = checkLayout(vs, field, s, t, lenSession)
	vs = checkTicketID(vs, field, s, t[lenSession:], utf8.RuneCountInString(t[:lenSession]))
	if vs.Err() != nil {
		return TicketCode{}, vs
	}
	return TicketCode{t}, vs
}

// ParseTicketCode is [CheckTicketCode] returning an error (as [wht93.Violations])
// only for error-level violations. For a plain ASCII code it does not allocate
// once the region data has loaded.
func ParseTicketCode(s string) (TicketCode, error) {
	if len(s) > lenSession && len(s) <= MaxTicketLen && fastPrefix(s, lenSession) && validTicketID(s[lenSession:]) {
		return TicketCode{s}, nil
	}
	c, vs := CheckTicketCode(s)
	return c, vs.Err()
}

// NewTicketCode returns the code of the ticket with id in session: id is 1 to 29
// bytes of A–Z, a–z, 0–9, '-' and '_'. The ticketing system must keep id unique
// within the session; the generators below do so by construction or by chance.
func NewTicketCode(session SessionCode, id string) (TicketCode, error) {
	var vs wht93.Violations
	if session.IsZero() {
		vs = append(vs, emptyViolation(fieldSession, "", KindSession))
	}
	switch {
	case id == "":
		vs = append(vs, ErrEmpty.Atf("ticketId", id, "演出票唯一识别码为空", "ticket id is empty"))
	case len(id) > MaxTicketIDLen:
		vs = append(vs, ErrTicketLength.Atf("ticketId", id,
			fmt.Sprintf("演出票唯一识别码不得多于%d个字节（编码共50个），实为%d个", MaxTicketIDLen, len(id)),
			fmt.Sprintf("ticket id must be at most %d bytes (50 for the code), got %d", MaxTicketIDLen, len(id))))
	}
	vs = checkTicketID(vs, "ticketId", id, id, 0)
	if vs != nil {
		return TicketCode{}, vs
	}
	return TicketCode{session.s + id}, nil
}

// String returns the code, or "" for the zero code.
func (c TicketCode) String() string { return c.s }

// IsZero reports whether c is the zero code.
func (c TicketCode) IsZero() bool { return c.s == "" }

// Kind returns [KindTicket].
func (TicketCode) Kind() Kind { return KindTicket }

// Session returns the session part (the first 21 digits).
func (c TicketCode) Session() SessionCode { return SessionCode{prefix(c.s, lenSession)} }

// ID returns the ticket's id within its session (what follows the session code).
func (c TicketCode) ID() string {
	if len(c.s) < lenSession {
		return ""
	}
	return c.s[lenSession:]
}

// Hall returns the hall part (digits 1–11).
func (c TicketCode) Hall() HallCode { return HallCode{prefix(c.s, lenHall)} }

// Region returns the GB/T 2260 row of the ticket's region (zero for the zero
// code).
func (c TicketCode) Region() Region { return c.Session().Region() }

// AppendParts appends the session, the ticket id (and the seat or sequence number
// an id of [SeatTicketCode] or [SequenceTicketCode] carries), then the parts of
// the session code.
func (c TicketCode) AppendParts(dst []Part) []Part {
	if c.s == "" {
		return dst
	}
	id := c.ID()
	dst = append(dst,
		Part{Key: "session", Label: "演出场次编码", Value: c.s[:lenSession], Text: c.s[:lenSession]},
		Part{Key: "ticketId", Label: "演出票唯一识别码", Value: id, Text: id})
	if st, ok := c.Seat(); ok {
		dst = append(dst, Part{Key: "seat", Label: "座位", Value: id[1:], Text: st.Zh(), En: st.String()})
	} else if n, ok := c.Sequence(); ok {
		dst = append(dst, Part{Key: "sequence", Label: "出票序号", Value: id[1:], Text: strconv.FormatUint(n, 10)})
	}
	return c.Session().AppendParts(dst)
}

// Parts returns the parts of [TicketCode.AppendParts].
func (c TicketCode) Parts() []Part { return c.AppendParts(nil) }

// MarshalText returns the code; "" for the zero code.
func (c TicketCode) MarshalText() ([]byte, error) { return []byte(c.s), nil }

// UnmarshalText parses a code; "" gives the zero code.
func (c *TicketCode) UnmarshalText(b []byte) error {
	return unmarshalCode(c, string(b), ParseTicketCode)
}

// Scan implements sql.Scanner: NULL and "" give the zero code.
func (c *TicketCode) Scan(src any) error { return scanCode(c, src, ParseTicketCode) }

// Value implements driver.Valuer: the zero code is NULL.
func (c TicketCode) Value() (driver.Value, error) { return valueCode(c.s) }

// The generators. Each id begins with a letter naming its scheme, so that ids of
// different schemes never meet within one session: S seat, N sequence, R random.

// Seat locates a seat for [SeatTicketCode]: numbers, not the names printed on the
// ticket (the ticketing system maps its floor, area and row names to numbers).
type Seat struct {
	Floor  int // 0–99; 0 when the hall has one floor
	Area   int // 0–999; 0 when the hall has no areas
	Row    int // 0–999; 0 when the area has no rows
	Number int // 0–9999: the seat's number in its row
	// Issue counts the tickets sold for the seat before this one in the session
	// (0–99): a seat sold again after a refund gets a new code, and the refunded
	// ticket keeps its own.
	Issue int
}

// String formats the seat as "floor 1 area 2 row 3 seat 4 issue 0".
func (s Seat) String() string {
	return fmt.Sprintf("floor %d area %d row %d seat %d issue %d", s.Floor, s.Area, s.Row, s.Number, s.Issue)
}

// Zh formats the seat in Chinese: "1层 2区 3排 4号", with "（第2次售出）" after it
// for a seat sold again.
func (s Seat) Zh() string {
	z := fmt.Sprintf("%d层 %d区 %d排 %d号", s.Floor, s.Area, s.Row, s.Number)
	if s.Issue > 0 {
		z += fmt.Sprintf("（第%d次售出）", s.Issue+1)
	}
	return z
}

const seatIDLen = 1 + 2 + 3 + 3 + 4 + 2

// SeatTicketCode returns the code of the ticket for seat in session: the id is
// "S" and the five numbers with leading zeros to 2, 3, 3, 4 and 2 digits
// (S01002003000400: floor 1, area 2, row 3, seat 4, issue 0), 36 bytes in all.
//
// Guarantee: distinct seats (or issues) give distinct codes, by construction — the
// id is a fixed-width decimal encoding of the five numbers, so two seats share an
// id only when all five numbers are equal. A number out of its range is an error,
// never truncated.
func SeatTicketCode(session SessionCode, seat Seat) (TicketCode, error) {
	var vs wht93.Violations
	if session.IsZero() {
		vs = append(vs, emptyViolation(fieldSession, "", KindSession))
	}
	for _, f := range []struct {
		name   string
		n, max int
	}{{"floor", seat.Floor, 99}, {"area", seat.Area, 999}, {"row", seat.Row, 999}, {"seat", seat.Number, 9999}, {"issue", seat.Issue, 99}} {
		if f.n < 0 || f.n > f.max {
			vs = append(vs, rangeViolation(f.name, f.n, 0, f.max))
		}
	}
	if vs != nil {
		return TicketCode{}, vs
	}
	id := "S" + pad(seat.Floor, 2) + pad(seat.Area, 3) + pad(seat.Row, 3) + pad(seat.Number, 4) + pad(seat.Issue, 2)
	return TicketCode{session.s + id}, nil
}

// Seat returns the seat an id of [SeatTicketCode] encodes, or false for an id of
// another form.
func (c TicketCode) Seat() (Seat, bool) {
	id := c.ID()
	if len(id) != seatIDLen || id[0] != 'S' || firstNonDigit(id[1:]) >= 0 {
		return Seat{}, false
	}
	return Seat{Floor: num(id[1:3]), Area: num(id[3:6]), Row: num(id[6:9]), Number: num(id[9:13]), Issue: num(id[13:15])}, true
}

const seqMinDigits = 8

// SequenceTicketCode returns the code of ticket number n of session: the id is "N"
// and n in decimal with leading zeros to at least 8 digits (N00000042), 30 to 42
// bytes in all.
//
// Guarantee: distinct n give distinct codes, by construction (the encoding is
// one-to-one). The caller supplies n from a counter it keeps per session (a
// database sequence, an atomic counter) and must never hand out one n twice.
func SequenceTicketCode(session SessionCode, n uint64) (TicketCode, error) {
	if session.IsZero() {
		return TicketCode{}, wht93.Violations{emptyViolation(fieldSession, "", KindSession)}
	}
	d := strconv.FormatUint(n, 10)
	for len(d) < seqMinDigits {
		d = "0" + d
	}
	return TicketCode{session.s + "N" + d}, nil
}

// Sequence returns the number an id of [SequenceTicketCode] encodes, or false for
// an id of another form.
func (c TicketCode) Sequence() (uint64, bool) {
	id := c.ID()
	if len(id) < 1+seqMinDigits || id[0] != 'N' || firstNonDigit(id[1:]) >= 0 {
		return 0, false
	}
	if len(id) > 1+seqMinDigits && id[1] == '0' {
		return 0, false // not the canonical form: leading zeros beyond 8 digits
	}
	n, err := strconv.ParseUint(id[1:], 10, 64)
	return n, err == nil
}

// crockford is Crockford's base-32 alphabet: digits and upper-case letters less
// I, L, O and U, so that an id read aloud or retyped is not misread.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// randomIDChars is the number of base-32 characters of a random id: 130 bits.
const randomIDChars = 26

// RandomTicketCode returns a code whose id is "R" and 26 characters of Crockford's
// base 32 drawn from rand (130 bits), 48 bytes in all. Pass crypto/rand.Reader in
// production; a deterministic reader makes tests repeatable.
//
// Guarantee: with a cryptographically secure rand the id cannot be guessed from
// other tickets' codes (130 bits of entropy), and two ids of one session collide
// with probability about n²/2^131 for n tickets — negligible, but not zero: keep a
// unique index on the code and draw again on a conflict. An error of rand is
// returned, never papered over.
func RandomTicketCode(session SessionCode, rand io.Reader) (TicketCode, error) {
	if session.IsZero() {
		return TicketCode{}, wht93.Violations{emptyViolation(fieldSession, "", KindSession)}
	}
	var buf [17]byte // 136 bits, of which 130 are used
	if _, err := io.ReadFull(rand, buf[:]); err != nil {
		return TicketCode{}, fmt.Errorf("codes: reading random bytes for a ticket id: %w", err)
	}
	b := make([]byte, 0, lenSession+1+randomIDChars)
	b = append(b, session.s...)
	b = append(b, 'R')
	var acc uint32
	bits := 0
	for i := 0; len(b) < cap(b); {
		if bits < 5 {
			acc = acc<<8 | uint32(buf[i])
			i++
			bits += 8
		}
		bits -= 5
		b = append(b, crockford[(acc>>bits)&31])
	}
	return TicketCode{string(b)}, nil
}
