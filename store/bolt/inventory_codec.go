package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/venue"
)

// Values of the inventory's buckets, format 1 (see inventory.go for the buckets):
//
//	meta    version 8 | fingerprint 32 | seats 4
//	seat    1 | state 1 | Held: expires varint ns, hold, owner | Sold: ticket varint, amount varint
//	ticket  1 | seat varint | tier | type 1 | order, buyer, channel, staff | has ID 1 [| ID 32]
//	        | amount varint | sold at varint ns | refunded 1 [| refunded at varint ns] | keys uvarint, each key
//
// Strings are a uvarint length and the bytes. Seat keys are seat ids as 4 bytes
// big-endian; ticket keys serials as 8 bytes big-endian; an Available seat has no
// value.
const invRecordVersion = 1

var errInvCorrupt = errors.New("bolt: inventory record is corrupt")

type invMeta struct {
	version int64
	fp      [32]byte
	seats   int
}

func encodeInvMeta(m invMeta) []byte {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 44), uint64(m.version))
	b = append(b, m.fp[:]...)
	return binary.BigEndian.AppendUint32(b, uint32(m.seats))
}

func decodeInvMeta(v []byte) (invMeta, error) {
	if len(v) != 44 {
		return invMeta{}, fmt.Errorf("%w: chart meta of %d bytes", errInvCorrupt, len(v))
	}
	m := invMeta{version: int64(binary.BigEndian.Uint64(v)), seats: int(binary.BigEndian.Uint32(v[40:]))}
	copy(m.fp[:], v[8:40])
	return m, nil
}

func invSeatKey(id venue.SeatID) []byte {
	return binary.BigEndian.AppendUint32(make([]byte, 0, 4), uint32(id))
}

func invSerialKey(s int64) []byte { return seqKey(uint64(s)) }

// encodeInvSeat returns the value of a seat record, nil for an Available seat.
func encodeInvSeat(r inventory.SeatRecord) []byte {
	switch r.State {
	case inventory.Held:
		b := append(make([]byte, 0, 16+len(r.Hold)+len(r.Owner)), invRecordVersion, byte(r.State))
		b = binary.AppendVarint(b, r.Expires.UnixNano())
		b = putString(b, r.Hold)
		return putString(b, r.Owner)
	case inventory.Sold:
		b := append(make([]byte, 0, 22), invRecordVersion, byte(r.State))
		b = binary.AppendVarint(b, r.Ticket)
		return binary.AppendVarint(b, int64(r.Amount))
	}
	return nil
}

type invReader struct {
	b   []byte
	err error
}

func (d *invReader) fail() { d.err = errInvCorrupt }

// varint and uvarint read the shortest encoding only, so that a record has one
// encoding.
func (d *invReader) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 || n != len(binary.AppendVarint(nil, v)) {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *invReader) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 || n != len(binary.AppendUvarint(nil, v)) {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *invReader) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *invReader) bytes(n int) []byte {
	if len(d.b) < n {
		d.fail()
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *invReader) string() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// decodeInvSeat decodes the record of seat id.
func decodeInvSeat(id venue.SeatID, v []byte) (inventory.SeatRecord, error) {
	d := invReader{b: v}
	r := inventory.SeatRecord{Seat: id}
	if d.byte() != invRecordVersion {
		return r, fmt.Errorf("%w: seat %d has an unknown version", errInvCorrupt, id)
	}
	r.State = inventory.State(d.byte())
	switch r.State {
	case inventory.Held:
		r.Expires = time.Unix(0, d.varint())
		r.Hold = d.string()
		r.Owner = d.string()
	case inventory.Sold:
		r.Ticket = d.varint()
		r.Amount = wht93.Fen(d.varint())
	default:
		d.fail()
	}
	if d.err != nil || len(d.b) != 0 || (r.State == inventory.Sold && r.Ticket <= 0) {
		return r, fmt.Errorf("%w: seat %d", errInvCorrupt, id)
	}
	return r, nil
}

func encodeInvTicket(t *inventory.Ticket) []byte {
	n := 64 + len(t.Tier) + len(t.Order) + len(t.Buyer) + len(t.Channel) + len(t.Staff) + 32
	for _, k := range t.Keys {
		n += len(k) + binary.MaxVarintLen64
	}
	b := append(make([]byte, 0, n), invRecordVersion)
	b = binary.AppendVarint(b, int64(t.Seat))
	b = putString(b, t.Tier)
	b = append(b, byte(t.Type))
	b = putString(b, t.Order)
	b = putString(b, t.Buyer)
	b = putString(b, t.Channel)
	b = putString(b, t.Staff)
	if t.HasID {
		b = append(b, 1)
		b = append(b, t.ID[:]...)
	} else {
		b = append(b, 0)
	}
	b = binary.AppendVarint(b, int64(t.Amount))
	b = binary.AppendVarint(b, t.SoldAt.UnixNano())
	if t.RefundedAt.IsZero() {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = binary.AppendVarint(b, t.RefundedAt.UnixNano())
	}
	b = binary.AppendUvarint(b, uint64(len(t.Keys)))
	for _, k := range t.Keys {
		b = putString(b, k)
	}
	return b
}

// decodeInvTicket decodes ticket serial of session sid.
func decodeInvTicket(sid string, serial int64, v []byte) (inventory.Ticket, error) {
	d := invReader{b: v}
	t := inventory.Ticket{Serial: serial, Session: sid}
	if d.byte() != invRecordVersion {
		return t, fmt.Errorf("%w: ticket %d has an unknown version", errInvCorrupt, serial)
	}
	seat := d.varint()
	if seat < 0 || seat > math.MaxInt32 {
		d.fail()
	}
	t.Seat = venue.SeatID(seat)
	t.Tier = d.string()
	t.Type = inventory.TicketType(d.byte())
	t.Order, t.Buyer, t.Channel, t.Staff = d.string(), d.string(), d.string(), d.string()
	switch d.byte() {
	case 0:
	case 1:
		t.HasID = true
		if id := d.bytes(32); id != nil {
			t.ID = realname.BlindIndex(id)
		}
	default:
		d.fail()
	}
	if d.err != nil {
		return t, fmt.Errorf("%w: ticket %d", errInvCorrupt, serial)
	}
	t.Amount = wht93.Fen(d.varint())
	t.SoldAt = time.Unix(0, d.varint())
	switch d.byte() {
	case 0:
	case 1:
		t.RefundedAt = time.Unix(0, d.varint())
	default:
		d.fail()
	}
	n := d.uvarint()
	if d.err == nil && n > uint64(len(d.b)) {
		d.fail()
	}
	for i := uint64(0); i < n && d.err == nil; i++ {
		t.Keys = append(t.Keys, d.string())
	}
	if d.err != nil || len(d.b) != 0 || !t.Type.Valid() || serial <= 0 {
		return t, fmt.Errorf("%w: ticket %d", errInvCorrupt, serial)
	}
	return t, nil
}
