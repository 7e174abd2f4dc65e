package storetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
)

// TestEntries runs the conformance suite of [checkin.Store] on the stores
// open makes. open is called once per subtest and must return an empty store
// of its own; it releases what it opens with t.Cleanup. The suite covers
// admission up to the maximum and refusal beyond it, every field kept (times
// to the microsecond, in China Standard Time), idempotent ids, import counted
// whatever the maximum and idempotent, invalid arguments (refused with their
// violations, nothing stored), the change feed by cursor, and concurrent
// admissions of one ticket (never more than the maximum) with a reader
// tailing the feed (every entry seen once, in order). Each misbehaviour fails
// the subtest that found it.
func TestEntries(t *testing.T, open func(t *testing.T) checkin.Store) {
	cases := []struct {
		name string
		fn   func(*testing.T, checkin.Store)
	}{
		{"Admit", entTestAdmit},
		{"Duplicate", entTestDuplicate},
		{"Invalid", entTestInvalid},
		{"Import", entTestImport},
		{"Changes", entTestChanges},
		{"Concurrent", entTestConcurrent},
		{"Context", entTestContext},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, open(t)) })
	}
}

// TestEntriesReopen checks that a durable store keeps its entries, counts and
// change feed across a close and a reopen, as across a restart. open returns
// an empty store and a reopen function; reopen closes the store it was given
// (and any store a previous reopen returned) and opens the same data again.
func TestEntriesReopen(t *testing.T, open func(t *testing.T) (checkin.Store, func() checkin.Store)) {
	ctx := context.Background()
	s, reopen := open(t)
	a := entAdmit(t, s, entEntry("r1", 1, 0), 2)
	b := entAdmit(t, s, entEntry("r2", 1, 1), 2)
	entImport(t, s, 1, entEntry("r3", 1, 2))
	before := entChanges(t, s, 0, checkin.MaxChanges)
	s = reopen()
	if n := entCount(t, s, entTicket(1)); n != 3 {
		t.Fatalf("count after reopen = %d, want 3", n)
	}
	entWantChanges(t, "after reopen", entChanges(t, s, 0, checkin.MaxChanges), before)
	if got := entAdmitAny(t, s, entEntry("r4", 1, 3), 3); got.Admitted {
		t.Fatalf("a fourth entry was admitted at a maximum of 3 after reopen: %+v", got)
	}
	if got := entAdmitAny(t, s, entEntry("r1", 1, 9), 9); !got.Duplicate || got.Entry != a.Entry {
		t.Fatalf("re-admitting r1 after reopen = %+v, want the duplicate %+v", got, a.Entry)
	}
	c := entAdmit(t, s, entEntry("r5", 1, 4), 4)
	if c.Entry.Count != 4 {
		t.Fatalf("count of the entry after reopen = %d, want 4", c.Entry.Count)
	}
	s = reopen()
	all := entChanges(t, s, 0, checkin.MaxChanges)
	if len(all) != 4 || all[3].Entry.ID != "r5" || all[3].Seq <= before[2].Seq {
		t.Fatalf("changes after second reopen: %+v", all)
	}
	es, err := s.Entries(ctx, entTicket(1))
	if err != nil || len(es) != 4 || es[0] != a.Entry || es[1] != b.Entry {
		t.Fatalf("Entries after second reopen = %+v, %v", es, err)
	}
}

// entBase is the suite's starting instant; its nanoseconds check that stores
// keep times to the microsecond.
var entBase = time.Date(2025, 5, 20, 18, 0, 0, 123456789, time.UTC)

// entTicket returns the i-th ticket of the suite's session.
func entTicket(i int) codes.TicketCode {
	s, err := codes.ParseSessionCode("110101001012025052001")
	if err != nil {
		panic(err)
	}
	c, err := codes.NewTicketCode(s, "T"+strconv.Itoa(i))
	if err != nil {
		panic(err)
	}
	return c
}

// entEntry returns an entry with the id of ticket i at second sec.
func entEntry(id string, i, sec int) checkin.Entry {
	return checkin.Entry{
		ID: id, Ticket: entTicket(i), SessionID: "sess-1", Tier: "A区-680", RealName: 3,
		Method: checkin.Method(1 + (i+sec)%4), Gate: "东门 " + strconv.Itoa(i%3), Device: "东门-0" + strconv.Itoa(sec%7),
		Node: "lan-东", At: entBase.Add(time.Duration(sec) * time.Second), Count: 1,
	}
}

func entAdmitAny(t testing.TB, s checkin.Store, e checkin.Entry, max int) checkin.Admission {
	t.Helper()
	a, err := s.Admit(context.Background(), e, max)
	if err != nil {
		t.Fatalf("Admit(%s, %d): %v", e.ID, max, err)
	}
	return a
}

func entAdmit(t testing.TB, s checkin.Store, e checkin.Entry, max int) checkin.Admission {
	t.Helper()
	a := entAdmitAny(t, s, e, max)
	if !a.Admitted || a.Duplicate {
		t.Fatalf("Admit(%s, %d) = %+v, want admitted", e.ID, max, a)
	}
	want := e.Normalized()
	want.Count = a.Count
	entWantEntry(t, "admitted entry", a.Entry, want)
	return a
}

func entImport(t testing.TB, s checkin.Store, wantNew int, es ...checkin.Entry) {
	t.Helper()
	n, err := s.Import(context.Background(), es...)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if n != wantNew {
		t.Fatalf("Import stored %d new entries, want %d", n, wantNew)
	}
}

func entCount(t testing.TB, s checkin.Store, c codes.TicketCode) int {
	t.Helper()
	n, err := s.Count(context.Background(), c)
	if err != nil {
		t.Fatalf("Count: %v", err)
	}
	return n
}

func entChanges(t testing.TB, s checkin.Store, after uint64, limit int) []checkin.Change {
	t.Helper()
	cs, err := s.Changes(context.Background(), after, limit)
	if err != nil {
		t.Fatalf("Changes(%d, %d): %v", after, limit, err)
	}
	for i, c := range cs {
		if c.Seq <= after || (i > 0 && c.Seq <= cs[i-1].Seq) {
			t.Fatalf("Changes(%d, %d): sequence %d at %d is not ascending after the cursor", after, limit, c.Seq, i)
		}
	}
	if len(cs) > limit {
		t.Fatalf("Changes(%d, %d) returned %d", after, limit, len(cs))
	}
	return cs
}

// entWantEntry compares two entries field by field, times with Equal, and
// checks that the store returns times in China Standard Time.
func entWantEntry(t testing.TB, what string, got, want checkin.Entry) {
	t.Helper()
	if !got.At.Equal(want.At) {
		t.Fatalf("%s: time %v, want %v (kept to the microsecond)", what, got.At, want.At)
	}
	if _, off := got.At.Zone(); off != 8*3600 {
		t.Fatalf("%s: time %v is not in China Standard Time", what, got.At)
	}
	got.At = want.At
	if got != want {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func entWantChanges(t testing.TB, what string, got, want []checkin.Change) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d changes, want %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i].Seq != want[i].Seq {
			t.Fatalf("%s: change %d has sequence %d, want %d", what, i, got[i].Seq, want[i].Seq)
		}
		entWantEntry(t, what, got[i].Entry, want[i].Entry)
	}
}

func entTestAdmit(t *testing.T, s checkin.Store) {
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		a := entAdmit(t, s, entEntry("a"+strconv.Itoa(i), 1, i), 3)
		if a.Count != i || a.Entry.Count != i {
			t.Fatalf("entry %d: count %d (entry says %d)", i, a.Count, a.Entry.Count)
		}
	}
	a := entAdmitAny(t, s, entEntry("a4", 1, 4), 3)
	if a.Admitted || a.Duplicate || a.Count != 3 || a.Entry != (checkin.Entry{}) {
		t.Fatalf("fourth entry at a maximum of 3: %+v, want refused with count 3", a)
	}
	// A higher maximum admits again; another ticket has its own count.
	if a := entAdmit(t, s, entEntry("a5", 1, 5), 4); a.Count != 4 {
		t.Fatalf("at a maximum of 4: count %d", a.Count)
	}
	if a := entAdmit(t, s, entEntry("b1", 2, 6), 1); a.Count != 1 {
		t.Fatalf("ticket 2: count %d", a.Count)
	}
	if n := entCount(t, s, entTicket(1)); n != 4 {
		t.Fatalf("Count(ticket 1) = %d, want 4", n)
	}
	if n := entCount(t, s, entTicket(99)); n != 0 {
		t.Fatalf("Count(unknown ticket) = %d, want 0", n)
	}
	es, err := s.Entries(ctx, entTicket(1))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a1", "a2", "a3", "a5"}
	if len(es) != len(want) {
		t.Fatalf("Entries(ticket 1) has %d, want %d", len(es), len(want))
	}
	for i, e := range es {
		w := entEntry(want[i], 1, []int{1, 2, 3, 5}[i]).Normalized()
		w.Count = i + 1
		entWantEntry(t, "Entries(ticket 1)", e, w)
	}
	if es, err := s.Entries(ctx, entTicket(99)); err != nil || len(es) != 0 {
		t.Fatalf("Entries(unknown ticket) = %v, %v", es, err)
	}
	// A time far from now and in another zone, and long texts, are kept.
	e := entEntry("x-"+string(make([]byte, 0))+"0123456789012345678901234567890123456789012345678901234567890", 3, 0)
	e.At = time.Date(2099, 12, 31, 23, 59, 59, 999999999, time.FixedZone("X", -5*3600))
	e.Gate = "检票口名称最多六十四个字符检票口名称最多六十四个字符检票口名称最多六十四个字符检票口名称最多六十四个字符检票口名称最多"
	e.SessionID, e.Tier = "", ""
	entAdmit(t, s, e, 1)
}

func entTestDuplicate(t *testing.T, s checkin.Store) {
	first := entAdmit(t, s, entEntry("d1", 1, 1), 1)
	// The same id again — even for another ticket, another time — is the same entry.
	for _, e := range []checkin.Entry{entEntry("d1", 1, 1), entEntry("d1", 1, 7), entEntry("d1", 2, 8)} {
		a := entAdmitAny(t, s, e, 5)
		if !a.Admitted || !a.Duplicate || a.Count != 1 {
			t.Fatalf("re-admitting d1: %+v, want the duplicate with count 1", a)
		}
		entWantEntry(t, "duplicate", a.Entry, first.Entry)
	}
	if n := entCount(t, s, entTicket(2)); n != 0 {
		t.Fatalf("a duplicate id counted on another ticket: %d", n)
	}
	// Imported ids are duplicates too.
	entImport(t, s, 1, entEntry("d2", 3, 2))
	if a := entAdmitAny(t, s, entEntry("d2", 3, 2), 5); !a.Duplicate || a.Count != 1 {
		t.Fatalf("admitting an imported id: %+v", a)
	}
	if n := len(entChanges(t, s, 0, 100)); n != 2 {
		t.Fatalf("%d changes, want 2", n)
	}
}

func entTestInvalid(t *testing.T, s checkin.Store) {
	ctx := context.Background()
	bad := []struct {
		name string
		e    checkin.Entry
		max  int
		rule *wht93.Rule
	}{
		{"no id", func() checkin.Entry { e := entEntry("", 1, 0); return e }(), 1, checkin.ErrEntry},
		{"id with a space", entEntry("a b", 1, 0), 1, checkin.ErrEntry},
		{"no ticket", func() checkin.Entry { e := entEntry("i1", 1, 0); e.Ticket = codes.TicketCode{}; return e }(), 1, checkin.ErrEntry},
		{"no gate", func() checkin.Entry { e := entEntry("i2", 1, 0); e.Gate = ""; return e }(), 1, checkin.ErrEntry},
		{"bad method", func() checkin.Entry { e := entEntry("i3", 1, 0); e.Method = 9; return e }(), 1, checkin.ErrEntry},
		{"no time", func() checkin.Entry { e := entEntry("i4", 1, 0); e.At = time.Time{}; return e }(), 1, checkin.ErrEntry},
		{"max 0", entEntry("i5", 1, 0), 0, checkin.ErrPolicy},
		{"max too high", entEntry("i6", 1, 0), checkin.MaxEntries + 1, checkin.ErrPolicy},
	}
	for _, b := range bad {
		a, err := s.Admit(ctx, b.e, b.max)
		if !errors.Is(err, b.rule) || len(wht93.ViolationsOf(err)) == 0 {
			t.Fatalf("%s: Admit = %+v, %v; want a violation of %s", b.name, a, err, b.rule.Code())
		}
	}
	if _, err := s.Import(ctx); !errors.Is(err, checkin.ErrEntry) {
		t.Fatalf("Import of nothing: %v", err)
	}
	good := entEntry("ok", 1, 0)
	zero := entEntry("zero", 1, 0)
	zero.Count = 0
	if _, err := s.Import(ctx, good, zero); !errors.Is(err, checkin.ErrEntry) {
		t.Fatalf("Import with a count of 0: %v", err)
	} else if vs := wht93.ViolationsOf(err); len(vs) != 1 || vs[0].Field != "entries[1].count" {
		t.Fatalf("Import's violations %v, want one at entries[1].count", vs)
	}
	for _, lim := range []int{0, -1, checkin.MaxChanges + 1} {
		if _, err := s.Changes(ctx, 0, lim); !errors.Is(err, checkin.ErrRead) {
			t.Fatalf("Changes(limit %d): %v", lim, err)
		}
	}
	if n := len(entChanges(t, s, 0, 100)); n != 0 {
		t.Fatalf("invalid calls stored %d entries", n)
	}
}

func entTestImport(t *testing.T, s checkin.Store) {
	ctx := context.Background()
	entAdmit(t, s, entEntry("online-1", 1, 1), 1)
	// Two LAN nodes admitted the same ticket while cut off: both count.
	lan1 := entEntry("lan1-1", 1, 2)
	lan2 := entEntry("lan2-1", 1, 3)
	lan2.Node, lan2.Count = "lan-西", 1
	entImport(t, s, 2, lan1, lan2, lan1)
	entImport(t, s, 0, lan2, lan1, entEntry("online-1", 1, 1))
	if n := entCount(t, s, entTicket(1)); n != 3 {
		t.Fatalf("count after import = %d, want 3", n)
	}
	es, err := s.Entries(ctx, entTicket(1))
	if err != nil || len(es) != 3 {
		t.Fatalf("Entries = %v, %v", es, err)
	}
	entWantEntry(t, "imported entry", es[2], lan2.Normalized()) // kept as given, Count 1
	if c := checkin.Resolve(es, 1); len(c.Over) != 2 || c.Kept[0].ID != "online-1" {
		t.Fatalf("Resolve = %+v", c)
	}
	// Over the maximum, Admit refuses.
	if a := entAdmitAny(t, s, entEntry("online-2", 1, 9), 2); a.Admitted || a.Count != 3 {
		t.Fatalf("Admit above the maximum: %+v", a)
	}
	// A big import.
	var many []checkin.Entry
	for i := range 1500 {
		many = append(many, entEntry("m"+strconv.Itoa(i), 100+i%50, i))
	}
	entImport(t, s, 1500, many...)
	if n := entCount(t, s, entTicket(100)); n != 30 {
		t.Fatalf("count of ticket 100 = %d, want 30", n)
	}
}

func entTestChanges(t *testing.T, s checkin.Store) {
	var want []string
	for i := range 25 {
		id := "c" + strconv.Itoa(i)
		if i%5 == 4 {
			entImport(t, s, 1, entEntry(id, i%4, i))
		} else {
			entAdmit(t, s, entEntry(id, 50+i, i), 1)
		}
		want = append(want, id)
	}
	all := entChanges(t, s, 0, checkin.MaxChanges)
	if len(all) != 25 {
		t.Fatalf("%d changes, want 25", len(all))
	}
	for i, c := range all {
		if c.Entry.ID != want[i] {
			t.Fatalf("change %d is %s, want %s (in the order stored)", i, c.Entry.ID, want[i])
		}
	}
	// Pages of 7 by cursor give the same, once each.
	var paged []checkin.Change
	for after := uint64(0); ; {
		p := entChanges(t, s, after, 7)
		if len(p) == 0 {
			break
		}
		paged = append(paged, p...)
		after = p[len(p)-1].Seq
	}
	entWantChanges(t, "paged", paged, all)
	if p := entChanges(t, s, all[24].Seq, 10); len(p) != 0 {
		t.Fatalf("changes after the last: %d", len(p))
	}
	if p := entChanges(t, s, ^uint64(0), 10); len(p) != 0 {
		t.Fatalf("changes after the largest sequence: %d", len(p))
	}
	if p := entChanges(t, s, all[9].Seq, 1); len(p) != 1 || p[0].Seq != all[10].Seq {
		t.Fatalf("changes after the tenth: %+v", p)
	}
}

// entTestConcurrent: many goroutines admit entries to a few tickets at once,
// with several maxima, while a reader tails the change feed. No ticket goes
// over its maximum, each id counts once, and the reader sees every entry once
// in ascending order.
func entTestConcurrent(t *testing.T, s checkin.Store) {
	const workers, perWorker, tickets, max = 16, 40, 10, 3
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	admitted := map[string]checkin.Entry{}
	seen := map[string]uint64{}
	var tailErr error
	tailDone := make(chan struct{})
	stop := make(chan struct{})
	go func() {
		defer close(tailDone)
		var after uint64
		draining := false
		for {
			if !draining {
				select {
				case <-stop: // the writers are done: read to the end, then stop
					draining = true
				default:
				}
			}
			cs, err := s.Changes(ctx, after, 50)
			if err != nil {
				tailErr = err
				return
			}
			if len(cs) == 0 && draining {
				return
			}
			for _, c := range cs {
				if c.Seq <= after {
					tailErr = fmt.Errorf("change %d after cursor %d", c.Seq, after)
					return
				}
				if _, dup := seen[c.Entry.ID]; dup {
					tailErr = fmt.Errorf("entry %s seen twice", c.Entry.ID)
					return
				}
				seen[c.Entry.ID] = c.Seq
				after = c.Seq
			}
		}
	}()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				id := fmt.Sprintf("w%d-%d", w, i)
				if i%7 == 3 {
					id = fmt.Sprintf("w%d-%d", w, i-1) // a retry
				}
				e := entEntry(id, i%tickets, w*perWorker+i)
				a, err := s.Admit(ctx, e, max)
				if err != nil {
					errs <- err
					return
				}
				if a.Admitted {
					mu.Lock()
					if old, ok := admitted[id]; ok && (!a.Duplicate || old != a.Entry) {
						mu.Unlock()
						errs <- fmt.Errorf("id %s admitted twice: %+v then %+v", id, old, a)
						return
					}
					admitted[id] = a.Entry
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	close(stop)
	<-tailDone
	final := entChanges(t, s, 0, checkin.MaxChanges)
	if tailErr != nil {
		t.Fatalf("tailing reader: %v", tailErr)
	}
	perTicket := map[codes.TicketCode][]int{}
	for _, c := range final {
		perTicket[c.Entry.Ticket] = append(perTicket[c.Entry.Ticket], c.Entry.Count)
		if _, ok := admitted[c.Entry.ID]; !ok {
			t.Fatalf("stored entry %s was never reported admitted", c.Entry.ID)
		}
		if seen[c.Entry.ID] != c.Seq {
			t.Fatalf("tailing reader missed %s (seq %d)", c.Entry.ID, c.Seq)
		}
	}
	if len(final) != len(admitted) || len(seen) != len(final) {
		t.Fatalf("%d stored, %d admitted, %d seen by the tail", len(final), len(admitted), len(seen))
	}
	for i := range tickets {
		counts := perTicket[entTicket(i)]
		if len(counts) != max {
			t.Fatalf("ticket %d has %d entries, want exactly the maximum %d", i, len(counts), max)
		}
		for j, c := range counts {
			if c != j+1 {
				t.Fatalf("ticket %d: entry %d has count %d", i, j, c)
			}
		}
		if n := entCount(t, s, entTicket(i)); n != max {
			t.Fatalf("Count(ticket %d) = %d", i, n)
		}
	}
}

func entTestContext(t *testing.T, s checkin.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Admit(ctx, entEntry("ctx", 1, 0), 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("Admit with a cancelled context: %v", err)
	}
	if n := len(entChanges(t, s, 0, 10)); n != 0 {
		t.Fatalf("a cancelled Admit stored %d entries", n)
	}
}
