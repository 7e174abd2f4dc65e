package session_test

import (
	"errors"
	"math/big"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/session"
)

// A two-day pass: one ticket of any tier on the 20th and one of tier A on the 21st
// for 1500.00 a set.
func twoDayPass() session.Bundle {
	return session.Bundle{Items: []session.BundleItem{
		{SessionID: "sess-1", Quantity: 1},
		{SessionID: "sess-2", Tier: "A", Quantity: 1},
	}, Price: wht93.Yuan(1500)}
}

func TestBundleAllocate(t *testing.T) {
	b := twoDayPass()
	lines := []session.Line{
		{SessionID: "sess-1", Tier: "B", Price: wht93.Yuan(680)},
		{SessionID: "sess-2", Tier: "A", Price: wht93.Yuan(1280)},
	}
	got, err := b.Allocate(lines)
	if err != nil {
		t.Fatal(err)
	}
	// 1500 × 680/1960 = 520.4081… → 520.41; 1500 × 1280/1960 = 979.5918… → 979.59.
	if !slices.Equal(got, []wht93.Fen{52041, 97959}) {
		t.Fatalf("allocation %v", got)
	}
	// Two sets in one order.
	two := append(slices.Clone(lines), lines...)
	got, err = b.Allocate(two)
	if err != nil {
		t.Fatal(err)
	}
	if sum(got) != wht93.Yuan(3000) {
		t.Fatalf("two sets: %v", got)
	}
	// Not whole sets, a ticket of another tier, a bundle dearer than its tickets.
	if _, err := b.Allocate(lines[:1]); !errors.Is(err, session.ErrBundleMatch) {
		t.Fatalf("half a set: %v", err)
	}
	wrong := slices.Clone(lines)
	wrong[1].Tier = "B"
	if _, err := b.Allocate(wrong); !errors.Is(err, session.ErrBundleMatch) {
		t.Fatalf("wrong tier: %v", err)
	}
	cheap := slices.Clone(lines)
	cheap[0].Price, cheap[1].Price = wht93.Yuan(100), wht93.Yuan(100)
	if _, err := b.Allocate(cheap); !errors.Is(err, session.ErrBundleAbovePrice) {
		t.Fatalf("bundle above list: %v", err)
	}
	free := []session.Line{{SessionID: "sess-1", Tier: "B"}, {SessionID: "sess-2", Tier: "A"}}
	zero := session.Bundle{Items: b.Items}
	if got, err := zero.Allocate(free); err != nil || sum(got) != 0 {
		t.Fatalf("free bundle: %v %v", got, err)
	}
	for _, bad := range []session.Bundle{
		{Items: []session.BundleItem{{SessionID: "sess-1", Quantity: 1}}, Price: 1},
		{Items: []session.BundleItem{{SessionID: "sess-1", Quantity: 1}, {SessionID: "sess-1", Quantity: 1}}, Price: 1},
		{Items: []session.BundleItem{{SessionID: "", Quantity: 2}}, Price: 1},
		{Items: []session.BundleItem{{SessionID: "s", Quantity: 2}}, Price: -1},
	} {
		if err := bad.Validate(); !errors.Is(err, session.ErrBundle) && !errors.Is(err, session.ErrText) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func sum(fs []wht93.Fen) wht93.Fen {
	var s wht93.Fen
	for _, f := range fs {
		s += f
	}
	return s
}

// The allocation sums exactly to the sets' price, never exceeds a list price, and
// gives each line its exact proportional share rounded down or up by less than a
// fen.
func TestPropertyBundleAllocation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nItems := rapid.IntRange(1, 4).Draw(t, "items")
		var b session.Bundle
		for i := range nItems {
			b.Items = append(b.Items, session.BundleItem{SessionID: string(rune('a' + i)), Quantity: rapid.IntRange(1, 3).Draw(t, "qty")})
		}
		if nItems == 1 && b.Items[0].Quantity == 1 {
			b.Items[0].Quantity = 2
		}
		sets := rapid.IntRange(1, 3).Draw(t, "sets")
		var lines []session.Line
		var list wht93.Fen
		for range sets {
			for _, it := range b.Items {
				for range it.Quantity {
					p := wht93.Fen(rapid.Int64Range(0, 1e9).Draw(t, "price"))
					lines = append(lines, session.Line{SessionID: it.SessionID, Tier: "T", Price: p})
					list += p
				}
			}
		}
		setList := list / wht93.Fen(sets)
		b.Price = wht93.Fen(rapid.Int64Range(0, int64(setList)).Draw(t, "bundle"))
		got, err := b.Allocate(lines)
		if err != nil {
			t.Fatalf("valid bundle refused: %v", err)
		}
		total := b.Price * wht93.Fen(sets)
		if sum(got) != total {
			t.Fatalf("allocated %v of %v", sum(got), total)
		}
		for i, a := range got {
			if a < 0 || a > lines[i].Price {
				t.Fatalf("line %d: %v of list %v", i, a, lines[i].Price)
			}
			if list == 0 {
				continue
			}
			exact := new(big.Rat).SetFrac(big.NewInt(int64(total)*1), big.NewInt(int64(list)))
			exact.Mul(exact, new(big.Rat).SetInt64(int64(lines[i].Price)))
			diff := new(big.Rat).Sub(new(big.Rat).SetInt64(int64(a)), exact)
			if diff.Abs(diff).Cmp(big.NewRat(1, 1)) >= 0 {
				t.Fatalf("line %d: %v, exact share %v", i, a, exact.FloatString(3))
			}
		}
	})
}

func TestPolicyBundleQuote(t *testing.T) {
	p := session.Policy{ID: "pass", Name: "两日通票", PerformanceID: "perf-1", ValidFrom: at(1, 0, 0), ValidUntil: at(20, 0, 0),
		Scope: session.Scope{Sessions: []string{"sess-1", "sess-2"}}, Bundle: ptr(twoDayPass())}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	q, err := p.Quote(at(2, 0, 0), "web", []session.Line{
		{SessionID: "sess-2", Tier: "A", Price: wht93.Yuan(1280)},
		{SessionID: "sess-1", Tier: "C", Price: wht93.Yuan(380)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if q.Total != wht93.Yuan(1500) || q.Saved() != wht93.Yuan(160) {
		t.Fatalf("quote %+v", q)
	}
}

func ptr[T any](v T) *T { return &v }
