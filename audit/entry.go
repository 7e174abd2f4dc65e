package audit

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/piaowu/wht93"
)

// Limits of a record and of the port's calls.
const (
	MaxUser       = 128      // bytes of Record.User
	MaxAction     = 64       // bytes of Record.Action
	MaxObjectType = 64       // bytes of Object.Type
	MaxObjectID   = 256      // bytes of Object.ID
	MaxContent    = 4 << 10  // bytes of Record.Content
	MaxDetail     = 64 << 10 // bytes of Record.Detail
	MaxBatch      = 1000     // records in one Append
	MaxRead       = 10000    // entries in one Read
)

// Object is what an operation acted on: a type code ("show", "session", "order",
// "ticket", "user", "config", …: ASCII letters, digits, '_', '-', '.', starting
// with a letter, at most [MaxObjectType] bytes) and its id in the host's system
// (printable UTF-8, at most [MaxObjectID] bytes). The zero Object means "no
// object" (a login, a logout); an id without a type is an error. An Object is
// a plain value.
type Object struct {
	Type string
	ID   string
}

// IsZero reports whether o is "no object".
func (o Object) IsZero() bool { return o.Type == "" && o.ID == "" }

// String returns "type:id", "type" or "".
func (o Object) String() string {
	if o.ID == "" {
		return o.Type
	}
	return o.Type + ":" + o.ID
}

// Record is one operation to log: the input of Append. It is a plain value.
//
// User is the operator's id in the host's system, never personal data in clear: a
// name, phone number or document number is refused ([ErrUser], [ErrPersonalData]).
// Content says what was done in words (Chinese or English, at most [MaxContent]
// bytes, newlines allowed) and Detail optionally says it as JSON (at most
// [MaxDetail] bytes, kept byte for byte). Content and Detail too must carry
// personal data masked (see package realname's MaskName and MaskNumber): the log
// is kept for years and shown to inspectors.
type Record struct {
	// Time is when the operation happened. It is kept to the microsecond, in UTC
	// (the hash covers exactly what is kept).
	Time    time.Time
	User    string
	Action  Action
	Object  Object
	Content string
	Detail  []byte
}

// Hash is a SHA-256 digest: the hash of an entry, or of the entry before it. It
// is a plain value.
type Hash [32]byte

// IsZero reports whether h is all zeros, the "previous hash" of entry 1.
func (h Hash) IsZero() bool { return h == Hash{} }

// String returns the hash as 64 lower-case hex digits.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// Entry is a record as the log holds it: sealed with its sequence number, the hash
// of the entry before it and its own hash (see [Entry.Canonical]). Entries are
// values; a store returns copies.
type Entry struct {
	// Seq is the entry's place in the log: 1 for the first entry, then one more
	// for each, without gaps.
	Seq uint64
	// Version is the version of the canonical encoding the hash covers; this
	// package writes [Version].
	Version uint8
	Record
	// Prev is the hash of entry Seq-1 (zero for entry 1).
	Prev Hash
	// Hash is SHA-256 over the canonical encoding of the entry (Prev included).
	Hash Hash
}

// Anchor returns the entry's position and hash.
func (e Entry) Anchor() Anchor { return Anchor{Seq: e.Seq, Hash: e.Hash} }

// String formats the entry as a line of the log, for an operator or an inspector:
//
//	#3 2024-05-27 10:02:00 CST op-007 售票(sale) order:A-1001 售出2张 [3f2a…]
func (e Entry) String() string {
	var b strings.Builder
	b.WriteString("#")
	b.WriteString(strconv.FormatUint(e.Seq, 10))
	b.WriteString(" ")
	b.WriteString(e.Time.In(wht93.CST).Format("2006-01-02 15:04:05 MST"))
	b.WriteString(" ")
	b.WriteString(e.User)
	b.WriteString(" ")
	b.WriteString(e.Action.Zh())
	if e.Action.Builtin() {
		b.WriteString("(" + e.Action.En() + ")")
	}
	if !e.Object.IsZero() {
		b.WriteString(" ")
		b.WriteString(e.Object.String())
	}
	if e.Content != "" {
		b.WriteString(" ")
		q := strconv.Quote(e.Content) // newlines and controls escaped: one line per entry
		b.WriteString(q[1 : len(q)-1])
	}
	fmt.Fprintf(&b, " [%x…]", e.Hash[:4])
	return b.String()
}

// Anchor is a position in a log and the hash of the entry there: the head of a
// log, or a checkpoint exported for external anchoring (printed, sent to another
// system, timestamped) so that a later verification can prove the log still holds
// it. The zero Anchor is the empty log. Its text form is
// "wht93-audit-v1:<seq>:<64 hex digits>". An Anchor is a plain value.
type Anchor struct {
	Seq  uint64
	Hash Hash
}

const anchorPrefix = "wht93-audit-v1:"

// String returns the anchor's text form.
func (a Anchor) String() string {
	return anchorPrefix + strconv.FormatUint(a.Seq, 10) + ":" + a.Hash.String()
}

// MarshalText returns the anchor's text form.
func (a Anchor) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText parses the anchor's text form.
func (a *Anchor) UnmarshalText(b []byte) error {
	v, err := ParseAnchor("anchor", string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// ParseAnchor parses "wht93-audit-v1:<seq>:<64 hex digits>" (the hex in either
// case). The zero anchor "wht93-audit-v1:0:000…0" is the empty log; a non-zero
// sequence with a zero hash, or sequence 0 with another hash, is an error.
func ParseAnchor(field, s string) (Anchor, error) {
	bad := func() (Anchor, error) { return Anchor{}, ErrAnchorFormat.At(field, clip(s, 100)) }
	rest, ok := strings.CutPrefix(s, anchorPrefix)
	if !ok {
		return bad()
	}
	seqText, hexText, ok := strings.Cut(rest, ":")
	if !ok || seqText == "" || len(seqText) > 20 || (len(seqText) > 1 && seqText[0] == '0') || len(hexText) != 64 {
		return bad()
	}
	for i := range len(seqText) {
		if seqText[i] < '0' || seqText[i] > '9' {
			return bad()
		}
	}
	seq, err := strconv.ParseUint(seqText, 10, 64)
	if err != nil {
		return bad()
	}
	var h Hash
	if _, err := hex.Decode(h[:], []byte(hexText)); err != nil {
		return bad()
	}
	if (seq == 0) != h.IsZero() {
		return bad()
	}
	return Anchor{Seq: seq, Hash: h}, nil
}

// clip returns s cut to at most n bytes at a rune boundary with "…" added, for
// error values only.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// CheckRecords checks records for Append and returns them normalized (time
// truncated to the microsecond, in UTC; detail copied), or every violation at once
// as [wht93.Violations] with field paths "records[i].user" and so on. Values that
// may be personal data are masked in the violations. Stores call it before they
// seal; [Append] calls it before the store.
func CheckRecords(recs []Record) ([]Record, error) {
	if len(recs) == 0 || len(recs) > MaxBatch {
		return nil, ErrBatch.At("records", strconv.Itoa(len(recs)))
	}
	out := make([]Record, len(recs))
	var vs wht93.Violations
	for i, r := range recs {
		n, rv := checkRecord(r)
		vs = append(vs, rv.In("records["+strconv.Itoa(i)+"]")...)
		out[i] = n
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Check checks one record and returns it normalized, or its violations.
func (r Record) Check() (Record, error) {
	n, vs := checkRecord(r)
	if err := vs.Err(); err != nil {
		return Record{}, err
	}
	return n, nil
}

var (
	minTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)
)

func checkRecord(r Record) (Record, wht93.Violations) {
	vs := recordViolations(r)
	n := r
	n.Time = r.Time.UTC().Truncate(time.Microsecond)
	if len(r.Detail) == 0 {
		n.Detail = nil
	} else {
		n.Detail = append([]byte(nil), r.Detail...)
	}
	return n, vs
}

// recordViolations returns the record's violations; it allocates nothing for a
// valid record.
func recordViolations(r Record) wht93.Violations {
	var vs wht93.Violations
	t := r.Time.UTC().Truncate(time.Microsecond)
	if r.Time.IsZero() || t.Before(minTime) || t.After(maxTime) {
		vs = append(vs, ErrTime.At("time", r.Time.Format(time.RFC3339Nano)))
	}
	if v := checkUser(r.User); v != nil {
		vs = append(vs, v)
	}
	if !r.Action.Valid() {
		vs = append(vs, ErrAction.At("action", clip(string(r.Action), 80)))
	}
	vs = append(vs, checkObject(r.Object)...)
	switch {
	case len(r.Content) > MaxContent:
		vs = append(vs, ErrTooLong.Atf("content", strconv.Itoa(len(r.Content))+" bytes",
			fmt.Sprintf("操作内容%d字节，超出上限%d字节（不会被截断）", len(r.Content), MaxContent),
			fmt.Sprintf("content is %d bytes, over the limit of %d (it is never truncated)", len(r.Content), MaxContent)))
	case !utf8.ValidString(r.Content) || strings.IndexByte(r.Content, 0) >= 0:
		vs = append(vs, ErrText.At("content", clip(strings.ToValidUTF8(r.Content, "\uFFFD"), 80)))
	}
	switch {
	case len(r.Detail) > MaxDetail:
		vs = append(vs, ErrTooLong.Atf("detail", strconv.Itoa(len(r.Detail))+" bytes",
			fmt.Sprintf("结构化明细%d字节，超出上限%d字节（不会被截断）", len(r.Detail), MaxDetail),
			fmt.Sprintf("detail is %d bytes, over the limit of %d (it is never truncated)", len(r.Detail), MaxDetail)))
	case len(r.Detail) > 0 && !json.Valid(r.Detail):
		vs = append(vs, ErrDetail.At("detail", clip(strings.ToValidUTF8(string(r.Detail), "\uFFFD"), 80)))
	}
	return vs
}

func checkUser(u string) *wht93.Violation {
	ok := u != "" && len(u) <= MaxUser
	for i := 0; ok && i < len(u); i++ {
		c := u[i]
		ok = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-'
	}
	if !ok {
		return ErrUser.At("user", maskUser(u))
	}
	if looksPersonal(u) {
		return ErrPersonalData.At("user", maskUser(u))
	}
	return nil
}

// maskUser shows at most the first two and the last byte of a value that may be
// personal data, and its length.
func maskUser(u string) string {
	u = strings.ToValidUTF8(u, "?")
	r := []rune(u)
	if len(r) <= 3 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:2]) + strings.Repeat("*", min(len(r)-3, 16)) + string(r[len(r)-1:])
}

// looksPersonal reports whether an operator id is in fact a mainland mobile number
// (optionally +86 / 86 first) or an 18-character resident identity number with a
// valid ISO 7064 MOD 11-2 check digit.
func looksPersonal(u string) bool {
	s := strings.TrimPrefix(strings.TrimPrefix(u, "+"), "86")
	if len(s) == 11 && s[0] == '1' && s[1] >= '3' && allDigits(s) {
		return true
	}
	if len(u) == 18 && allDigits(u[:17]) && (u[17] == 'X' || u[17] == 'x' || u[17] >= '0' && u[17] <= '9') {
		weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
		sum := 0
		for i, w := range weights {
			sum += int(u[i]-'0') * w
		}
		return "10X98765432"[sum%11] == upper(u[17])
	}
	return false
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func checkObject(o Object) wht93.Violations {
	var vs wht93.Violations
	if o.Type != "" && !validCode(o.Type, MaxObjectType) {
		vs = append(vs, ErrObject.Atf("object.type", clip(strings.ToValidUTF8(o.Type, "\uFFFD"), 80),
			"对象类型应为1–64个字母、数字或 . _ -，以字母开头", "object type must be 1–64 letters, digits or . _ -, starting with a letter"))
	}
	switch {
	case o.ID != "" && o.Type == "":
		vs = append(vs, ErrObject.Atf("object.type", "", "有对象编号时须给出对象类型", "an object id needs an object type"))
	case len(o.ID) > MaxObjectID || !printable(o.ID):
		vs = append(vs, ErrObject.Atf("object.id", clip(strings.ToValidUTF8(o.ID, "\uFFFD"), 80),
			"对象编号应为不超过256字节的可打印 UTF-8 文本", "object id must be printable UTF-8 of at most 256 bytes"))
	}
	return vs
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}
