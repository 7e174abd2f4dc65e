package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"
)

// Version is the version of the canonical encoding this package writes.
const Version uint8 = 1

// magic opens every canonical encoding: it keeps an entry's hash from being the
// hash of anything else.
const magic = "WHT93AUD"

// Canonical returns the canonical encoding of the entry, version 1, the bytes its
// hash covers. Every integer is big-endian; every text is its length as a uint32
// followed by its bytes:
//
//	"WHT93AUD"            8 bytes, ASCII
//	version               1 byte, 1
//	seq                   uint64
//	time                  int64, microseconds since 1970-01-01T00:00:00Z
//	user                  uint32 length, bytes
//	action                uint32 length, bytes
//	object type           uint32 length, bytes
//	object id             uint32 length, bytes
//	content               uint32 length, bytes (UTF-8)
//	detail                uint32 length, bytes (JSON or empty)
//	prev                  32 bytes, the hash of entry seq-1 (zeros for entry 1)
//
// and Hash = SHA-256(Canonical). The encoding is injective: two different entries
// never encode alike. A later version will change the version byte and keep this
// one readable.
func (e *Entry) Canonical() []byte {
	return e.appendCanonical(make([]byte, 0, e.canonicalSize()))
}

func (e *Entry) canonicalSize() int {
	return len(magic) + 1 + 8 + 8 + 6*4 + len(e.User) + len(e.Action) + len(e.Object.Type) +
		len(e.Object.ID) + len(e.Content) + len(e.Detail) + len(e.Prev)
}

func (e *Entry) appendCanonical(b []byte) []byte {
	b = append(b, magic...)
	b = append(b, e.Version)
	b = binary.BigEndian.AppendUint64(b, e.Seq)
	b = binary.BigEndian.AppendUint64(b, uint64(e.Time.UnixMicro()))
	for _, s := range [...]string{e.User, string(e.Action), e.Object.Type, e.Object.ID, e.Content} {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(e.Detail)))
	b = append(b, e.Detail...)
	return append(b, e.Prev[:]...)
}

// ComputeHash returns SHA-256 over the entry's canonical encoding: what its Hash
// must be. It does not read e.Hash.
func (e *Entry) ComputeHash() Hash {
	return sha256.Sum256(e.Canonical())
}

// hasher computes hashes with one reusable buffer; it is not safe for concurrent
// use.
type hasher struct{ buf []byte }

func (h *hasher) sum(e *Entry) Hash {
	h.buf = e.appendCanonical(h.buf[:0])
	return sha256.Sum256(h.buf)
}

// Seal turns checked records (the output of [CheckRecords]) into the entries that
// follow head: sequence head.Seq+1 onwards, each carrying the hash of the one
// before it. A store calls it under the lock or in the transaction in which it
// read its head, and then stores the entries and makes the last one its head.
func Seal(head Anchor, recs []Record) []Entry {
	out := make([]Entry, len(recs))
	prev := head.Hash
	var h hasher
	for i, r := range recs {
		e := Entry{Seq: head.Seq + uint64(i) + 1, Version: Version, Record: r, Prev: prev}
		e.Hash = h.sum(&e)
		prev = e.Hash
		out[i] = e
	}
	return out
}

// MarshalBinary returns the entry's binary form: its canonical encoding followed
// by its 32-byte hash. store/bolt keeps entries in this form; it is also a
// portable export format.
func (e Entry) MarshalBinary() ([]byte, error) {
	b := e.appendCanonical(make([]byte, 0, e.canonicalSize()+len(e.Hash)))
	return append(b, e.Hash[:]...), nil
}

// UnmarshalBinary decodes the binary form of [Entry.MarshalBinary]. It checks the
// structure only — magic, version, lengths within the limits, nothing left over —
// and not the hash or the fields' rules, which are for [Verify] to report at the
// entry's sequence. A malformed input is an [ErrEncoding] violation and leaves e
// unchanged.
func (e *Entry) UnmarshalBinary(b []byte) error {
	d := decoder{b: b, s: string(b)} // one copy: the texts are parts of it
	var n Entry
	if string(d.bytes(len(magic))) != magic {
		return d.fail("magic", "缺少 WHT93AUD 标记", "missing the WHT93AUD mark")
	}
	n.Version = d.byte()
	if d.err == nil && n.Version != Version {
		return d.fail("version", fmt.Sprintf("不支持的编码版本%d", n.Version), fmt.Sprintf("unsupported encoding version %d", n.Version))
	}
	n.Seq = d.uint64()
	micros := int64(d.uint64())
	n.User = d.text("user", MaxUser)
	n.Action = Action(d.text("action", MaxAction))
	n.Object.Type = d.text("object.type", MaxObjectType)
	n.Object.ID = d.text("object.id", MaxObjectID)
	n.Content = d.text("content", MaxContent)
	if detail := d.text("detail", MaxDetail); detail != "" {
		n.Detail = []byte(detail)
	}
	copy(n.Prev[:], d.bytes(len(n.Prev)))
	copy(n.Hash[:], d.bytes(len(n.Hash)))
	if d.err != nil {
		return d.err
	}
	if len(d.b) != 0 {
		return d.fail("", fmt.Sprintf("末尾多出%d字节", len(d.b)), fmt.Sprintf("%d bytes left over", len(d.b)))
	}
	n.Time = time.UnixMicro(micros).UTC()
	*e = n
	return nil
}

type decoder struct {
	b   []byte
	s   string // b as a string, for texts that share its memory
	off int
	err error
}

func (d *decoder) fail(field, zh, en string) error {
	if d.err == nil {
		f := "entry"
		if field != "" {
			f += "." + field
		}
		d.err = ErrEncoding.Atf(f, "offset "+strconv.Itoa(d.off), zh, en)
	}
	return d.err
}

func (d *decoder) bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	if len(d.b) < n {
		d.fail("", "数据提前结束", "input ends early")
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	d.off += n
	return v
}

func (d *decoder) byte() uint8 {
	if v := d.bytes(1); v != nil {
		return v[0]
	}
	return 0
}

func (d *decoder) uint64() uint64 {
	if v := d.bytes(8); v != nil {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

func (d *decoder) text(field string, max int) string {
	v := d.bytes(4)
	if v == nil {
		return ""
	}
	n := binary.BigEndian.Uint32(v)
	if n > uint32(max) {
		d.fail(field, fmt.Sprintf("长度%d超出上限%d", n, max), fmt.Sprintf("length %d over the limit of %d", n, max))
		return ""
	}
	start := d.off
	if d.bytes(int(n)) == nil && n > 0 {
		return ""
	}
	return d.s[start:d.off]
}
