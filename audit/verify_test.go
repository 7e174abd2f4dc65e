package audit_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
	"unicode"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/audit"
	"github.com/piaowu/wht93/store/memory"
)

// sliceStore serves entries as they lie in a slice, in slice order, as a raw
// storage would after tampering; head is what the store believes its head is.
type sliceStore struct {
	entries []audit.Entry
	head    audit.Anchor
}

func (s *sliceStore) Append(context.Context, ...audit.Record) ([]audit.Entry, error) {
	return nil, errors.New("read-only")
}

func (s *sliceStore) Head(context.Context) (audit.Anchor, error) { return s.head, nil }

func (s *sliceStore) Read(_ context.Context, after uint64, limit int) ([]audit.Entry, error) {
	if err := audit.CheckRead(limit); err != nil {
		return nil, err
	}
	var out []audit.Entry
	for _, e := range s.entries {
		if e.Seq > after && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func genChain(t *rapid.T, n int) []audit.Entry {
	users := []string{"op-1", "op-2", "box:07", "admin"}
	recs := make([]audit.Record, n)
	for i := range recs {
		recs[i] = audit.Record{
			Time:    t0.Add(time.Duration(rapid.Int64Range(0, 1e12).Draw(t, "µs")) * time.Microsecond),
			User:    rapid.SampledFrom(users).Draw(t, "user"),
			Action:  rapid.SampledFrom(append(audit.Actions(), "acme.approve")).Draw(t, "action"),
			Content: rapid.StringOfN(rapid.RuneFrom(nil, unicode.Han, unicode.Latin, unicode.Punct, unicode.Zs), 0, 20, 200).Draw(t, "content"),
		}
		if rapid.Bool().Draw(t, "object") {
			recs[i].Object = audit.Object{Type: "ticket", ID: rapid.StringMatching(`[A-Z0-9-]{1,20}`).Draw(t, "id")}
		}
		if rapid.Bool().Draw(t, "detail") {
			recs[i].Detail = fmt.Appendf(nil, `{"n":%d}`, rapid.Int().Draw(t, "n"))
		}
	}
	checked, err := audit.CheckRecords(recs)
	if err != nil {
		t.Fatalf("generated records are invalid: %v", err)
	}
	return audit.Seal(audit.Anchor{}, checked)
}

// edit changes one field of e for real.
func edit(t *rapid.T, e *audit.Entry) {
	switch rapid.IntRange(0, 8).Draw(t, "field") {
	case 0:
		e.Content += "改"
	case 1:
		e.User += "x"
	case 2:
		e.Time = e.Time.Add(time.Duration(rapid.Int64Range(1, 1e9).Draw(t, "shift")) * time.Microsecond)
	case 3:
		if e.Action == audit.ActionRefund {
			e.Action = audit.ActionSale
		} else {
			e.Action = audit.ActionRefund
		}
	case 4:
		e.Object.ID += "9"
		e.Object.Type = "ticket"
	case 5:
		e.Detail = append(slices.Clone(e.Detail), ' ')
	case 6:
		e.Prev[rapid.IntRange(0, 31).Draw(t, "byte")] ^= 1 << rapid.IntRange(0, 7).Draw(t, "bit")
	case 7:
		e.Hash[rapid.IntRange(0, 31).Draw(t, "byte")] ^= 1 << rapid.IntRange(0, 7).Draw(t, "bit")
	case 8:
		e.Seq += uint64(rapid.IntRange(1, 3).Draw(t, "seq"))
	}
}

// TestTamperFound is the property: any single edit, deletion or swap of a
// random chain is found, and the first finding names the sequence where it was
// done.
func TestTamperFound(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 40).Draw(t, "n")
		chain := genChain(t, n)
		s := &sliceStore{entries: slices.Clone(chain), head: chain[n-1].Anchor()}
		k := rapid.IntRange(1, n).Draw(t, "k") // the sequence tampered with
		var want []*wht93.Rule
		wantSeq := uint64(k)
		switch kind := rapid.SampledFrom([]string{"none", "edit", "rehash", "delete", "swapPlaces", "swapContents"}).Draw(t, "kind"); kind {
		case "none":
			sum, err := audit.Verify(context.Background(), s)
			if err != nil || sum.Checked != uint64(n) {
				t.Fatalf("untouched chain: %+v, %v", sum, err)
			}
			return
		case "edit":
			e := &s.entries[k-1]
			seq := e.Seq
			edit(t, e)
			if e.Seq != seq { // moved beyond its place: seen as missing at its place
				want = []*wht93.Rule{audit.ErrMissing}
			} else {
				want = []*wht93.Rule{audit.ErrEdited}
			}
		case "rehash":
			e := &s.entries[k-1]
			e.Content += "改"
			e.Hash = e.ComputeHash()
			if k < n {
				want, wantSeq = []*wht93.Rule{audit.ErrLink}, uint64(k+1)
			} else {
				want = []*wht93.Rule{audit.ErrHead}
			}
		case "delete":
			s.entries = slices.Delete(s.entries, k-1, k)
			want = []*wht93.Rule{audit.ErrMissing}
		case "swapPlaces":
			if k == n {
				t.Skip("no entry after the last to swap with")
			}
			s.entries[k-1], s.entries[k] = s.entries[k], s.entries[k-1]
			want = []*wht93.Rule{audit.ErrMissing, audit.ErrOrder}
		case "swapContents":
			if k == n {
				t.Skip("no entry after the last to swap with")
			}
			a, b := s.entries[k-1], s.entries[k]
			a.Seq, b.Seq = b.Seq, a.Seq
			s.entries[k-1], s.entries[k] = b, a
			want = []*wht93.Rule{audit.ErrEdited}
		}
		_, err := audit.Verify(context.Background(), s)
		var faults audit.Faults
		if !errors.As(err, &faults) {
			t.Fatalf("tampering not found: %v", err)
		}
		f := faults.First()
		if f.Seq != wantSeq || !slices.Contains(want, f.Rule()) {
			t.Fatalf("first finding %s at %d; want one of %v at %d (all: %v)", f.Rule().Code(), f.Seq, codes(want), wantSeq, err)
		}
	})
}

func codes(rules []*wht93.Rule) []string {
	var out []string
	for _, r := range rules {
		out = append(out, r.Code())
	}
	return out
}

func TestVerifierStream(t *testing.T) {
	recs := make([]audit.Record, 6)
	for i := range recs {
		recs[i] = audit.Record{Time: t0.Add(time.Duration(i) * time.Minute), User: "op-1", Action: audit.ActionCheckIn}
	}
	chain := audit.Seal(audit.Anchor{}, recs)
	run := func(from audit.Anchor, head audit.Anchor, anchors []audit.Anchor, es ...audit.Entry) error {
		v := audit.NewVerifier(from, anchors...)
		for i := range es {
			v.Next(&es[i])
		}
		return v.End(head)
	}
	head := chain[5].Anchor()
	type finding struct {
		code string
		seq  uint64
	}
	for _, c := range []struct {
		name    string
		from    audit.Anchor
		head    audit.Anchor
		anchors []audit.Anchor
		es      []audit.Entry
		want    []finding
	}{
		{name: "whole", head: head, es: chain},
		{name: "from anchor", from: chain[2].Anchor(), head: head, es: chain[3:]},
		{name: "empty", es: nil},
		{name: "duplicate", head: head, es: append(slices.Clone(chain[:3]), chain[2:]...),
			want: []finding{{"audit.order", 3}}},
		{name: "two gaps", head: head, es: []audit.Entry{chain[0], chain[2], chain[5]},
			want: []finding{{"audit.missing", 2}, {"audit.missing", 4}}},
		{name: "truncated", head: head, es: chain[:4], want: []finding{{"audit.missing", 5}}},
		{name: "head differs", head: audit.Anchor{Seq: 6, Hash: chain[0].Hash}, es: chain,
			want: []finding{{"audit.head", 6}}},
		{name: "wrong start", from: chain[1].Anchor(), head: head, es: chain[3:],
			want: []finding{{"audit.missing", 3}}},
		{name: "anchor met", head: head, anchors: []audit.Anchor{chain[1].Anchor(), chain[4].Anchor()}, es: chain},
		{name: "anchor differs", head: head, anchors: []audit.Anchor{{Seq: 2, Hash: chain[0].Hash}}, es: chain,
			want: []finding{{"audit.anchor", 2}}},
		{name: "anchor deleted", head: head, anchors: []audit.Anchor{chain[1].Anchor()}, es: append([]audit.Entry{chain[0]}, chain[2:]...),
			want: []finding{{"audit.missing", 2}, {"audit.anchor", 2}}},
		{name: "anchor not reached", head: head, anchors: []audit.Anchor{{Seq: 9, Hash: chain[0].Hash}}, es: chain,
			want: []finding{{"audit.anchor", 9}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := run(c.from, c.head, c.anchors, c.es...)
			var got []finding
			var faults audit.Faults
			if errors.As(err, &faults) {
				for _, f := range faults {
					got = append(got, finding{f.Rule().Code(), f.Seq})
				}
			} else if err != nil {
				t.Fatalf("End: %v", err)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Fatalf("findings %v, want %v (%v)", got, c.want, err)
			}
		})
	}
}

func TestVerifyMaxFaults(t *testing.T) {
	recs := make([]audit.Record, 50)
	for i := range recs {
		recs[i] = audit.Record{Time: t0, User: "op-1", Action: audit.ActionPrint}
	}
	chain := audit.Seal(audit.Anchor{}, recs)
	for i := range chain {
		chain[i].Content = "改"
	}
	s := &sliceStore{entries: chain, head: chain[49].Anchor()}
	_, err := audit.VerifyWith(context.Background(), s, audit.VerifyOptions{MaxFaults: 5})
	var faults audit.Faults
	if !errors.As(err, &faults) || len(faults) != 5 || faults[4].Seq != 5 {
		t.Fatalf("VerifyWith(MaxFaults 5) = %v", err)
	}
	_, err = audit.Verify(context.Background(), s)
	if !errors.As(err, &faults) || len(faults) != 50 {
		t.Fatalf("Verify found %d faults, want 50", len(faults))
	}
}

// lyingStore returns what its lie makes of a good store's answer.
type lyingStore struct {
	*memory.AuditLog
	lie func([]audit.Entry) []audit.Entry
}

func (s lyingStore) Append(ctx context.Context, recs ...audit.Record) ([]audit.Entry, error) {
	es, err := s.AuditLog.Append(ctx, recs...)
	return s.lie(es), err
}

func TestAppendChecksStore(t *testing.T) {
	ctx := context.Background()
	recs := []audit.Record{rec(), rec()}
	for _, c := range []struct {
		name  string
		lie   func([]audit.Entry) []audit.Entry
		field string
	}{
		{"one missing", func(es []audit.Entry) []audit.Entry { return es[:1] }, "entries"},
		{"seq zero", func(es []audit.Entry) []audit.Entry { es[0].Seq = 0; return es }, "entries[0].seq"},
		{"seq gap", func(es []audit.Entry) []audit.Entry { es[1].Seq++; return es }, "entries[1].seq"},
		{"not chained", func(es []audit.Entry) []audit.Entry { es[1].Prev = audit.Hash{}; return es }, "entries[1].prev"},
		{"bad hash", func(es []audit.Entry) []audit.Entry { es[0].Hash[0] ^= 1; return es }, "entries[0].hash"},
		{"other content", func(es []audit.Entry) []audit.Entry {
			es[1].Content = "x"
			es[1].Hash = es[1].ComputeHash()
			return es
		}, "entries[1]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := lyingStore{memory.NewAuditLog(), c.lie}
			_, err := audit.Append(ctx, s, recs...)
			vs := wht93.ViolationsOf(err)
			if !errors.Is(err, audit.ErrStore) || len(vs) != 1 || vs[0].Field != c.field {
				t.Fatalf("Append = %v, want ErrStore at %s", err, c.field)
			}
		})
	}
	honest := lyingStore{memory.NewAuditLog(), func(es []audit.Entry) []audit.Entry { return es }}
	if _, err := audit.Append(ctx, honest, recs...); err != nil {
		t.Fatalf("Append on an honest store: %v", err)
	}
	if _, err := audit.Append(ctx, honest, audit.Record{}); !errors.Is(err, audit.ErrTime) {
		t.Fatalf("Append of an invalid record: %v, want ErrTime", err)
	}
}

// stuckStore returns the same page whatever the cursor: its reads never move
// forward.
type stuckStore struct{ sliceStore }

func (s *stuckStore) Read(ctx context.Context, after uint64, limit int) ([]audit.Entry, error) {
	return s.entries[:1], nil
}

func TestVerifyStuckStore(t *testing.T) {
	chain := audit.Seal(audit.Anchor{}, []audit.Record{rec(), rec(), rec()})
	s := &stuckStore{sliceStore{entries: chain, head: chain[2].Anchor()}}
	_, err := audit.Verify(context.Background(), s)
	if !errors.Is(err, audit.ErrStore) {
		t.Fatalf("Verify on a store whose reads do not advance: %v, want ErrStore", err)
	}
}
