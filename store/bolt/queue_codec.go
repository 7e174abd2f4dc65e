package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/report"
)

// Record values of the "rec" bucket, format 1:
//
//	version 1 | state 1 | attempts uvarint | lease token uvarint
//	| enqueued, due, next, lease expiry, done: varint micros since 1970 (-1: zero time)
//	| day: year uvarint, month 1, day 1
//	| key, stream, endpoint, last cause: uvarint length + bytes
//	| body: the rest
//
// Keys of "rec", "free" and "dead" are sequences as 8 bytes big-endian,
// so that the keys sort in sequence order.
const recordVersion = 1

var errCorrupt = errors.New("bolt: queue record is corrupt")

func putMicro(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return binary.AppendVarint(b, -1)
	}
	return binary.AppendVarint(b, t.UnixMicro())
}

// putString appends s as its length (uvarint) and its bytes: the strings of
// queue records and of inventory values.
func putString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// recordSize is an upper bound of the encoded size of r.
func recordSize(r *report.Record) int {
	return 2 + 2*binary.MaxVarintLen64 + 5*binary.MaxVarintLen64 + binary.MaxVarintLen64 + 2 +
		4*binary.MaxVarintLen64 + len(r.Key) + len(r.Stream) + len(r.Endpoint) + len(r.LastCause) + len(r.Body)
}

func encodeRecord(r *report.Record) []byte {
	return appendRecord(make([]byte, 0, recordSize(r)), r)
}

// appendRecord appends the encoding of r to b.
func appendRecord(b []byte, r *report.Record) []byte {
	b = append(b, recordVersion, byte(r.State))
	b = binary.AppendUvarint(b, uint64(r.Attempts))
	b = binary.AppendUvarint(b, r.LeaseToken)
	b = putMicro(b, r.Enqueued)
	b = putMicro(b, r.Due)
	b = putMicro(b, r.Next)
	b = putMicro(b, r.LeaseExpiry)
	b = putMicro(b, r.Done)
	b = binary.AppendUvarint(b, uint64(r.Day.Year))
	b = append(b, byte(r.Day.Month), byte(r.Day.Day))
	b = putString(b, r.Key)
	b = putString(b, r.Stream)
	b = putString(b, r.Endpoint)
	b = putString(b, r.LastCause)
	return append(b, r.Body...)
}

// draftSize is an upper bound of the encoded size of the record that d
// becomes.
func draftSize(d *report.Draft) int {
	return recordSize(&report.Record{Key: d.Key, Stream: d.Stream, Endpoint: d.Endpoint, Body: d.Body})
}

// appendDraft appends the encoding of the record that d becomes when enqueued
// at now: Pending, due for its first attempt at now.
func appendDraft(b []byte, d *report.Draft, now time.Time) []byte {
	return appendRecord(b, &report.Record{Key: d.Key, Stream: d.Stream, Endpoint: d.Endpoint, Body: d.Body,
		Day: d.Day, Due: d.Due, Enqueued: now, State: report.Pending, Next: now})
}

type reader struct {
	b   []byte
	err error
}

func (d *reader) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *reader) micro() time.Time {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return time.Time{}
	}
	d.b = d.b[n:]
	if v == -1 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

func (d *reader) byte() byte {
	if len(d.b) == 0 {
		d.err = errCorrupt
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *reader) string() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.err = errCorrupt
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// decodeRecord decodes the value of record seq. The body is copied: bbolt's
// memory is valid only inside its transaction.
func decodeRecord(seq uint64, v []byte) (*report.Record, error) {
	d := reader{b: v}
	if d.byte() != recordVersion {
		return nil, fmt.Errorf("%w: record %d has an unknown version", errCorrupt, seq)
	}
	r := &report.Record{Seq: seq}
	r.State = report.State(d.byte())
	r.Attempts = int(d.uvarint())
	r.LeaseToken = d.uvarint()
	r.Enqueued, r.Due, r.Next, r.LeaseExpiry, r.Done = d.micro(), d.micro(), d.micro(), d.micro(), d.micro()
	r.Day = wht93.Date{Year: int(d.uvarint())}
	r.Day.Month, r.Day.Day = time.Month(d.byte()), int(d.byte())
	r.Key, r.Stream, r.Endpoint, r.LastCause = d.string(), d.string(), d.string(), d.string()
	if d.err != nil || r.State < report.Pending || r.State > report.Acked {
		return nil, fmt.Errorf("%w: record %d", errCorrupt, seq)
	}
	r.Body = append([]byte{}, d.b...)
	return r, nil
}

// slab hands out the values of one transaction from a few large allocations:
// bbolt keeps a value (not a key) until the transaction ends.
type slab struct {
	buf   []byte
	chunk int // size of the next allocation: doubles up to 64 KiB
}

// take returns n bytes of the slab.
func (s *slab) take(n int) []byte {
	if cap(s.buf)-len(s.buf) < n {
		s.chunk = min(max(2*s.chunk, 512), 64<<10)
		s.buf = make([]byte, 0, max(s.chunk, n))
	}
	i := len(s.buf)
	s.buf = s.buf[:i+n]
	return s.buf[i : i+n : i+n]
}

// record returns the encoding of r in the slab.
func (s *slab) record(r *report.Record) []byte {
	b := appendRecord(s.take(recordSize(r))[:0], r)
	s.buf = s.buf[:len(s.buf)-(cap(b)-len(b))] // give back what the bound overestimated
	return b
}

// u64 returns v as 8 bytes big-endian in the slab.
func (s *slab) u64(v uint64) []byte {
	b := s.take(8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// time returns an instant as an index value in the slab (see valTime).
func (s *slab) time(t time.Time) []byte { return s.u64(uint64(t.UnixMicro())) }

// lane returns a lane value in the slab: the eligible and due times as micros,
// 8 bytes big-endian each (see valTime).
func (s *slab) lane(eligible, due int64) []byte {
	b := s.take(16)
	binary.BigEndian.PutUint64(b, uint64(eligible))
	binary.BigEndian.PutUint64(b[8:], uint64(due))
	return b
}

// laneDue returns the due time of a lane value; valTime reads its eligible
// time.
func laneDue(v []byte) int64 { return int64(binary.BigEndian.Uint64(v[8:])) }

func keySeq(k []byte) uint64 { return binary.BigEndian.Uint64(k) }

// valTime decodes an index value written by slab.time: micros as 8 bytes
// big-endian (every stored time lies after 1970, so the order of the bytes is
// the order of the times).
func valTime(v []byte) int64 { return int64(binary.BigEndian.Uint64(v)) }

// streamPrefix is the start of the "strm" keys of a stream: its length as a
// uvarint, then its bytes. A stream key is the prefix and the sequence.
func streamPrefix(stream string) []byte {
	b := binary.AppendUvarint(make([]byte, 0, len(stream)+2+8), uint64(len(stream)))
	return append(b, stream...)
}

// splitStreamKey returns the prefix and sequence of a "strm" key.
func splitStreamKey(k []byte) ([]byte, uint64, bool) {
	n, w := binary.Uvarint(k)
	if w <= 0 || uint64(len(k)) != uint64(w)+n+8 {
		return nil, 0, false
	}
	p := len(k) - 8
	return k[:p], binary.BigEndian.Uint64(k[p:]), true
}
