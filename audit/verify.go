package audit

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/piaowu/wht93"
)

// Fault is one finding of a verification: what is wrong ([ErrEdited], [ErrLink],
// [ErrMissing], [ErrOrder], [ErrHead], [ErrAnchor], [ErrMalformed]) and at which
// sequence number. errors.Is(f, ErrEdited) tests the kind; errors.As finds the
// Fault for its Seq. A Fault is a plain value.
type Fault struct {
	// Seq is the sequence number where the log is wrong: the edited entry, the
	// first missing one, the one out of order or out of its chain.
	Seq uint64
	// Violation says what is wrong, in Chinese and English, with the sequence as
	// its value.
	Violation *wht93.Violation
}

func newFault(rule *wht93.Rule, seq uint64, zh, en string) *Fault {
	return &Fault{Seq: seq, Violation: rule.Atf("seq", strconv.FormatUint(seq, 10), zh, en)}
}

// Rule returns the kind of finding.
func (f *Fault) Rule() *wht93.Rule { return f.Violation.Rule }

// Error formats the finding, for example
// `seq: 第5条记录内容与其哈希不符（记录被修改） / entry 5 does not match its hash (edited): "5"`.
func (f *Fault) Error() string { return f.Violation.Error() }

// Unwrap returns the violation, so that errors.Is finds the rule and
// wht93.ViolationsOf finds the violation.
func (f *Fault) Unwrap() error { return f.Violation }

// Faults is every finding of one verification, in the order found. It is the
// error [Verify] returns when the log is not intact. It is a plain value.
type Faults []*Fault

// Error joins the findings with "; ".
func (fs Faults) Error() string {
	errs := make([]error, len(fs))
	for i, f := range fs {
		errs[i] = f
	}
	return errors.Join(errs...).Error()
}

// Unwrap returns the findings as errors.
func (fs Faults) Unwrap() []error {
	errs := make([]error, len(fs))
	for i, f := range fs {
		errs[i] = f
	}
	return errs
}

// First returns the finding of lowest sequence, or nil.
func (fs Faults) First() *Fault {
	var first *Fault
	for _, f := range fs {
		if first == nil || f.Seq < first.Seq {
			first = f
		}
	}
	return first
}

// DefaultMaxFaults is how many findings a verification collects before it stops,
// unless told otherwise.
const DefaultMaxFaults = 100

// Verifier checks a stream of entries, in the order a store returns them, against
// the chain they must form: consecutive sequence numbers from a starting anchor,
// each entry carrying the hash of the one before it, each hash matching its
// entry's canonical encoding, each field one a record could have. Feed it with
// [Verifier.Next] and end with [Verifier.End]. It collects findings and goes on
// after each (after a gap it takes up the chain again at the next entry), so one
// pass reports every damaged place, up to its maximum.
//
// [Verify] drives a Verifier over a store; use one directly to check an exported
// stream of entries. A Verifier is not safe for concurrent use.
type Verifier struct {
	next    uint64 // sequence expected next
	prev    Hash   // hash the next entry must carry
	linked  bool   // prev is known (false after a gap)
	count   uint64
	faults  Faults
	max     int
	anchors map[uint64]Hash
	h       hasher
}

// NewVerifier returns a verifier of the entries after from: from.Seq+1 onwards,
// the first carrying from.Hash. The zero Anchor verifies a log from its first
// entry. anchors are trusted checkpoints exported earlier ([Store.Head] then): the
// entry at each one's sequence must have its hash, and the log must reach it.
func NewVerifier(from Anchor, anchors ...Anchor) *Verifier {
	v := &Verifier{next: from.Seq + 1, prev: from.Hash, linked: true, max: DefaultMaxFaults}
	for _, a := range anchors {
		if a.Seq > from.Seq {
			if v.anchors == nil {
				v.anchors = make(map[uint64]Hash)
			}
			v.anchors[a.Seq] = a.Hash
		}
	}
	return v
}

// SetMaxFaults sets how many findings the verifier collects (at least 1); it
// reports [Verifier.Full] when it has them.
func (v *Verifier) SetMaxFaults(n int) { v.max = max(n, 1) }

// Full reports whether the verifier has collected its maximum of findings; a
// caller stops feeding it then.
func (v *Verifier) Full() bool { return len(v.faults) >= v.max }

func (v *Verifier) add(f *Fault) {
	if len(v.faults) < v.max {
		v.faults = append(v.faults, f)
	}
}

// Next checks the next entry of the stream.
func (v *Verifier) Next(e *Entry) {
	switch {
	case e.Seq < v.next:
		v.add(newFault(ErrOrder, e.Seq,
			fmt.Sprintf("第%d条记录出现在第%d条之后（顺序被调换或记录重复）", e.Seq, v.next-1),
			fmt.Sprintf("entry %d comes after entry %d (reordered or duplicated)", e.Seq, v.next-1)))
		return
	case e.Seq > v.next:
		v.add(missing(v.next, e.Seq-1))
		for s := v.next; s < e.Seq; s++ {
			v.checkAnchorMissing(s)
		}
		v.linked = false
	}
	switch {
	case e.Version != Version:
		v.add(newFault(ErrMalformed, e.Seq,
			fmt.Sprintf("第%d条记录的编码版本%d未知", e.Seq, e.Version),
			fmt.Sprintf("entry %d has the unknown encoding version %d", e.Seq, e.Version)))
	case e.Hash != v.h.sum(e):
		v.add(newFault(ErrEdited, e.Seq,
			fmt.Sprintf("第%d条记录内容与其哈希不符（记录被修改）", e.Seq),
			fmt.Sprintf("entry %d does not match its hash (edited)", e.Seq)))
	case v.linked && e.Prev != v.prev:
		v.add(newFault(ErrLink, e.Seq,
			fmt.Sprintf("第%d条记录未接续第%d条的哈希（第%d条被替换，或本条被插入）", e.Seq, e.Seq-1, e.Seq-1),
			fmt.Sprintf("entry %d does not chain to entry %d (entry %d was replaced, or this one inserted)", e.Seq, e.Seq-1, e.Seq-1)))
	default:
		if recordViolations(e.Record).Err() != nil || !e.Time.Equal(e.Time.Truncate(time.Microsecond)) {
			v.add(newFault(ErrMalformed, e.Seq,
				fmt.Sprintf("第%d条记录含有不可能的字段（绕过追加写入）", e.Seq),
				fmt.Sprintf("entry %d holds a field no record could have (written around Append)", e.Seq)))
		}
	}
	if h, ok := v.anchors[e.Seq]; ok && h != e.Hash {
		v.add(newFault(ErrAnchor, e.Seq,
			fmt.Sprintf("第%d条记录与可信锚点的哈希不符", e.Seq),
			fmt.Sprintf("entry %d differs from the trusted anchor", e.Seq)))
	}
	delete(v.anchors, e.Seq)
	v.prev, v.linked, v.next = e.Hash, true, e.Seq+1
	v.count++
}

func missing(from, to uint64) *Fault {
	if from == to {
		return newFault(ErrMissing, from, fmt.Sprintf("第%d条记录缺失（被删除）", from),
			fmt.Sprintf("entry %d is missing (deleted)", from))
	}
	return newFault(ErrMissing, from, fmt.Sprintf("第%d至%d条记录缺失（被删除）", from, to),
		fmt.Sprintf("entries %d to %d are missing (deleted)", from, to))
}

func (v *Verifier) checkAnchorMissing(seq uint64) {
	if _, ok := v.anchors[seq]; ok {
		delete(v.anchors, seq)
		v.add(newFault(ErrAnchor, seq, fmt.Sprintf("可信锚点所在的第%d条记录已不存在", seq),
			fmt.Sprintf("entry %d of a trusted anchor is gone", seq)))
	}
}

// Fault records a finding reported by the store while reading (an entry it could
// not decode); the verifier takes up the chain again after it.
func (v *Verifier) Fault(f *Fault) {
	if f.Seq > v.next {
		v.add(missing(v.next, f.Seq-1))
	}
	v.add(f)
	if f.Seq >= v.next {
		for s := v.next; s <= f.Seq; s++ {
			v.checkAnchorMissing(s)
		}
		v.next, v.linked = f.Seq+1, false
	}
}

// End ends the stream at the store's head: the last entry must be the head's
// sequence with the head's hash, and every trusted anchor must have been met. It
// returns the findings of the whole stream as [Faults], or nil.
func (v *Verifier) End(head Anchor) error {
	switch {
	case head.Seq >= v.next:
		v.add(missing(v.next, head.Seq))
		for s := v.next; s <= head.Seq; s++ {
			v.checkAnchorMissing(s)
		}
	case head.Seq+1 == v.next && v.linked && head.Hash != v.prev:
		v.add(newFault(ErrHead, head.Seq,
			fmt.Sprintf("第%d条记录的哈希与存储的链头不符", head.Seq),
			fmt.Sprintf("entry %d does not match the store's head", head.Seq)))
	}
	for seq := range v.anchors {
		v.add(newFault(ErrAnchor, seq, fmt.Sprintf("日志未达到可信锚点所在的第%d条", seq),
			fmt.Sprintf("the log does not reach entry %d of a trusted anchor", seq)))
	}
	v.anchors = nil
	if len(v.faults) == 0 {
		return nil
	}
	return v.faults
}

// Checked returns how many entries the verifier has been fed.
func (v *Verifier) Checked() uint64 { return v.count }

// Summary is the outcome of a verification; a plain value.
type Summary struct {
	// From is where the verification started (the zero Anchor: the first entry).
	From Anchor
	// Head is the store's head when the verification started; entries appended
	// after it are left for the next verification.
	Head Anchor
	// Checked is the number of entries read and checked.
	Checked uint64
}

// VerifyOptions say where a verification starts and what it must meet; a plain
// value.
type VerifyOptions struct {
	// From is a trusted anchor to start after (an earlier verification's Head,
	// kept outside the store): the entries up to it are not read again. The zero
	// Anchor verifies the whole log.
	From Anchor
	// Anchors are trusted checkpoints exported earlier: each must still be on the
	// chain.
	Anchors []Anchor
	// MaxFaults is how many findings to collect before stopping;
	// zero means [DefaultMaxFaults].
	MaxFaults int
}

// Verify reads the whole log in s and checks that it is intact: every entry from
// the first to the store's head present once and in order, each matching its hash
// and carrying the hash of the one before it, the last matching the head. It
// returns nil, or [Faults] naming each edited, deleted, inserted or reordered
// entry by its sequence (test with errors.Is(err, audit.ErrEdited) and so on, or
// errors.As(err, &faults)); any other error is the store's, and the
// verification did not finish.
func Verify(ctx context.Context, s Store) (Summary, error) {
	return VerifyWith(ctx, s, VerifyOptions{})
}

// VerifyWith is [Verify] with options: start after a trusted anchor, check
// earlier anchors, bound the findings.
func VerifyWith(ctx context.Context, s Store, o VerifyOptions) (Summary, error) {
	head, err := s.Head(ctx)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{From: o.From, Head: head}
	v := NewVerifier(o.From, o.Anchors...)
	if o.MaxFaults > 0 {
		v.SetMaxFaults(o.MaxFaults)
	}
	if o.From.Seq > head.Seq {
		v.add(newFault(ErrAnchor, o.From.Seq,
			fmt.Sprintf("日志只有%d条，未达到起点锚点第%d条", head.Seq, o.From.Seq),
			fmt.Sprintf("the log has %d entries, short of the starting anchor at %d", head.Seq, o.From.Seq)))
		return sum, v.faults
	}
	if o.From.Seq > 0 {
		// The starting anchor must still be on the chain: read its entry.
		es, err := s.Read(ctx, o.From.Seq-1, 1)
		var f *Fault
		switch {
		case errors.As(err, &f):
			v.add(f)
		case err != nil:
			return sum, err
		case len(es) == 0 || es[0].Seq != o.From.Seq || es[0].Hash != o.From.Hash || es[0].Hash != v.h.sum(&es[0]):
			v.add(newFault(ErrAnchor, o.From.Seq,
				fmt.Sprintf("起点锚点所在的第%d条记录与锚点不符", o.From.Seq),
				fmt.Sprintf("entry %d differs from the starting anchor", o.From.Seq)))
		}
	}
	p := pager{s: s, after: o.From.Seq, until: head.Seq}
	for !v.Full() {
		page, err := p.next(ctx)
		var f *Fault
		if errors.As(err, &f) && f.Seq > p.after {
			v.Fault(f)
			p.after = f.Seq
			continue
		}
		if err != nil {
			sum.Checked = v.count
			return sum, err
		}
		if page == nil {
			break
		}
		for i := range page {
			v.Next(&page[i])
		}
		if err := ctx.Err(); err != nil {
			sum.Checked = v.count
			return sum, err
		}
	}
	sum.Checked = v.count
	if v.Full() {
		return sum, v.faults
	}
	return sum, v.End(head)
}

// Malformed returns the finding a store's Read reports for the entry stored at
// seq that it cannot decode (cause says why), so that [Verify] can report it and
// go on after it.
func Malformed(seq uint64, cause error) *Fault {
	return newFault(ErrMalformed, seq,
		fmt.Sprintf("第%d条记录无法解析：%v", seq, cause),
		fmt.Sprintf("entry %d cannot be decoded: %v", seq, cause))
}
