package checkin

import (
	"encoding/binary"
	"strconv"
	"unicode/utf8"

	"github.com/piaowu/wht93/codes"
)

// The binary layouts of Pass and Entry are built from these pieces: strings
// as a uvarint length and the bytes (UTF-8), unsigned integers as uvarints,
// instants as a zigzag varint of microseconds since 1970 UTC. Decoding is
// strict: every length within bounds, no byte left over.

const maxBinaryString = 255

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decoder reads a binary value; the first error sticks.
type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = ErrEncoding.Atf("offset", strconv.Itoa(d.off), "二进制数据在"+what+"处格式错误", "malformed binary data at "+what)
	}
}

func (d *decoder) byte(what string) byte {
	if d.err != nil {
		return 0
	}
	if d.off >= len(d.b) {
		d.fail(what)
		return 0
	}
	c := d.b[d.off]
	d.off++
	return c
}

// minimal reports whether the varint in b (its whole encoding) has no padding
// group: a value has exactly one encoding, so what decodes re-encodes to itself.
func minimal(b []byte) bool { return len(b) == 1 || b[len(b)-1] != 0 }

func (d *decoder) uvarint(what string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 || !minimal(d.b[d.off:d.off+n]) {
		d.fail(what)
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) varint(what string) int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b[d.off:])
	if n <= 0 || !minimal(d.b[d.off:d.off+n]) {
		d.fail(what)
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) string(what string) string {
	n := d.uvarint(what)
	if d.err != nil {
		return ""
	}
	if n > maxBinaryString || n > uint64(len(d.b)-d.off) {
		d.fail(what)
		return ""
	}
	s := string(d.b[d.off : d.off+int(n)])
	if !utf8.ValidString(s) {
		d.fail(what)
		return ""
	}
	d.off += int(n)
	return s
}

func (d *decoder) bytes(n int, what string) []byte {
	if d.err != nil {
		return nil
	}
	if n > len(d.b)-d.off {
		d.fail(what)
		return nil
	}
	out := d.b[d.off : d.off+n]
	d.off += n
	return out
}

func (d *decoder) end() error {
	if d.err == nil && d.off != len(d.b) {
		d.fail("end (trailing bytes)")
	}
	return d.err
}

// decodeTicket parses a ticket code read from a binary value: only its
// canonical text, so that a value has one encoding.
func decodeTicket(code string) (codes.TicketCode, error) {
	tc, err := codes.ParseTicketCode(code)
	if err != nil || tc.String() != code {
		return codes.TicketCode{}, ErrEncoding.Atf("ticket", code, "演出票编码无效", "invalid ticket code")
	}
	return tc, nil
}
