package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/audit"
)

// TestAudit runs the conformance suite of [audit.Store] on the logs that open
// makes. open is called once per subtest and must return an empty log of its
// own; it releases what it opens with t.Cleanup. The suite covers appending
// (single records and batches, every field kept exactly, sequences and hashes),
// invalid records (refused with their violations, nothing stored), reading by
// cursor, [audit.Append]'s check of the store's answers, concurrent appenders
// (one valid chain, nothing lost or repeated), verification from the start and
// from an anchor, and the absence of any way to change an entry through the
// port. Each misbehaviour fails the subtest that found it.
func TestAudit(t *testing.T, open func(t *testing.T) audit.Store) {
	cases := []struct {
		name string
		fn   func(*testing.T, audit.Store)
	}{
		{"Append", testAuditAppend},
		{"Invalid", testAuditInvalid},
		{"Read", testAuditRead},
		{"Concurrent", testAuditConcurrent},
		{"Verify", testAuditVerify},
		{"NoUpdate", testAuditNoUpdate},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, open(t)) })
	}
}

// TestAuditReopen checks that a durable log keeps its chain across a close and
// a reopen, as across a restart of the process. open returns an empty log and a
// reopen function; reopen closes the log it was given (and any log a previous
// reopen returned) and opens the same data again.
func TestAuditReopen(t *testing.T, open func(t *testing.T) (audit.Store, func() audit.Store)) {
	ctx := context.Background()
	s, reopen := open(t)
	first := auditAppend(t, s, auditRecords(0, 5)...)
	head := auditHead(t, s)
	s = reopen()
	if got := auditHead(t, s); got != head {
		t.Fatalf("Head after reopen = %v, want %v", got, head)
	}
	auditWantEntries(t, "after reopen", auditReadAll(t, s), first)
	more := auditAppend(t, s, auditRecords(5, 3)...)
	if more[0].Seq != 6 || more[0].Prev != head.Hash {
		t.Fatalf("first entry after reopen: seq %d prev %v, want seq 6 prev %v", more[0].Seq, more[0].Prev, head.Hash)
	}
	s = reopen()
	auditWantEntries(t, "after second reopen", auditReadAll(t, s), append(first, more...))
	sum, err := audit.Verify(ctx, s)
	if err != nil || sum.Checked != 8 {
		t.Fatalf("Verify after reopen = %+v, %v; want 8 entries checked, no error", sum, err)
	}
}

// TestAuditShared checks a log shared by several handles, as several processes
// appending to one log have: open returns two or more handles on one new, empty
// log (for example one per database connection pool). Appenders run on every
// handle at once; the entries must form one chain with every record once.
func TestAuditShared(t *testing.T, open func(t *testing.T) []audit.Store) {
	ss := open(t)
	if len(ss) < 2 {
		t.Fatalf("open returned %d handles, want at least 2", len(ss))
	}
	auditExercise(t, ss, 4, 25)
}

// AuditTamperer edits a log's storage behind the port's back, as someone with
// raw access to the file or the database would. It exists only for tests: a
// store's own test implements it (for store/postgres by disabling the table's
// trigger) and hands it to [TestAuditTamper], which checks that [audit.Verify]
// finds each kind of tampering at the right sequence.
type AuditTamperer interface {
	// Put stores e exactly as given at sequence e.Seq, replacing the entry
	// there or adding one; it changes nothing else (not the head).
	Put(ctx context.Context, e audit.Entry) error
	// Delete removes the entry at seq; it changes nothing else.
	Delete(ctx context.Context, seq uint64) error
}

// TestAuditTamper checks that verification finds every kind of tampering with a
// stored log, and names the right sequence: an edited entry, an edited entry
// whose hash was recomputed, a deleted entry (in the middle, the first, the
// last), two entries swapped, an entry inserted with the rest renumbered, an
// entry planted beyond the head, a suffix rewritten as a consistent chain
// (found by the head and by a trusted anchor), and that verification from an
// anchor checks the anchor. open returns a new empty log and its tamperer.
func TestAuditTamper(t *testing.T, open func(t *testing.T) (audit.Store, AuditTamperer)) {
	const n = 8
	type tamper struct {
		name  string
		do    func(t *testing.T, es []audit.Entry, tm AuditTamperer)
		opts  func(es []audit.Entry) audit.VerifyOptions
		rule  *wht93.Rule
		seq   uint64
		clean bool // verification must pass
	}
	ctx := context.Background()
	put := func(t *testing.T, tm AuditTamperer, e audit.Entry) {
		t.Helper()
		if err := tm.Put(ctx, e); err != nil {
			t.Fatalf("tamper Put(%d): %v", e.Seq, err)
		}
	}
	del := func(t *testing.T, tm AuditTamperer, seq uint64) {
		t.Helper()
		if err := tm.Delete(ctx, seq); err != nil {
			t.Fatalf("tamper Delete(%d): %v", seq, err)
		}
	}
	cases := []tamper{
		{name: "Untouched", do: func(*testing.T, []audit.Entry, AuditTamperer) {}, clean: true},
		{name: "PutSame", do: func(t *testing.T, es []audit.Entry, tm AuditTamperer) { put(t, tm, es[3]) }, clean: true},
		{name: "EditContent", rule: audit.ErrEdited, seq: 4, do: func(t *testing.T, es []audit.Entry, tm AuditTamperer) {
			e := es[3]
			e.Content = "退票1张（已改）"
			put(t, tm, e)
		}},
		{name: "EditUser", rule: audit.ErrEdited, seq: 1, do: func(t *testing.T, es []audit.Entry, tm AuditTamperer) {
			e := es[0]
			e.User = "op-999"
			put(t, tm, e)
		}},
		{name: "EditTime", rule: audit.ErrEdited, seq: n, do: func(t *testing.T, es []audit.Entry, tm AuditTamperer) {
			e := es[n-1]
			e.Time = e.Time.Add(-time.Hour)
			put(t, tm, e)
		}},
		{name: "EditDetail", rule: audit.ErrEdited, seq: 2, do: func(t *testing.T, es []audit.Entry, tm AuditTamperer) {
			e := es[1]
			e.Detail = []byte(`{"tickets":3}`)
			put(t, tm, e)
		}},
		{name: "EditAndRehash", rule: audit.ErrLink, seq: 6, do: func(t *testing.T, es []audit.Entry, tm AuditTamperer) {
			e := es[4]
			e.Action = audit.ActionLogin
			e.Hash = e.ComputeHash()
			put(t, tm, e)
		}},
		{name: "DeleteMiddle", rule: audit.ErrMissing, seq: 3, do: func(t *testing.T, _ []audit.Entry, tm AuditTamperer) { del(t, tm, 3) }},
		{name: "DeleteFirst", rule: audit.ErrMissing, seq: 1, do: func(t *testing.T, _ []audit.Entry, tm AuditTamperer) { del(t, tm, 1) }},
		{name: "DeleteLast", rule: audit.ErrMissing, seq: n, do: func(t *testing.T, _ []audit.Entry, tm AuditTamperer) { del(t, tm, n) }},
		{name: "DeleteAll", rule: audit.ErrMissing, seq: 1, do: func(t *testing.T, _ []audit.Entry, tm AuditTamperer) {
			for s := uint64(1); s <= n; s++ {
				del(t, tm, s)
			}
		}},
		{name: "Swap", rule: audit.ErrEdited, seq: 5, do: func(t *testing.T, es []audit.Entry, tm AuditTamperer) {
			a, b := es[4], es[5]
			a.Seq, b.Seq = b.Seq, a.Seq
			put(t, tm, a)
			put(t, tm, b)
		}},
		{name: "Insert", rule: audit.ErrEdited, seq: 4, do: func(t *testing.T, es []audit.Entry, tm AuditTamperer) {
			// A forged entry takes sequence 4 and the rest move up by one.
			for i := n - 1; i >= 3; i-- {
				e := es[i]
				e.Seq++
				put(t, tm, e)
			}
			forged := es[3]
			forged.Content = "伪造的记录"
			put(t, tm, forged)
		}},
		{name: "InsertRechained", rule: audit.ErrHead, seq: n, do: func(t *testing.T, es []audit.Entry, tm AuditTamperer) {
			// A forged entry after entry 3, the rest re-sealed after it, the last
			// one dropped so that the count matches the head: only the head knows.
			recs := []audit.Record{es[2].Record}
			recs[0].Content = "伪造的记录"
			for _, e := range es[3 : n-1] {
				recs = append(recs, e.Record)
			}
			for _, e := range audit.Seal(es[2].Anchor(), recs) {
				put(t, tm, e)
			}
		}},
		{name: "RewriteSuffix", rule: audit.ErrAnchor, seq: 5, do: func(t *testing.T, es []audit.Entry, tm AuditTamperer) {
			recs := make([]audit.Record, 0, n-4)
			for _, e := range es[4:] {
				r := e.Record
				r.User = "op-forged"
				recs = append(recs, r)
			}
			for _, e := range audit.Seal(es[3].Anchor(), recs) {
				put(t, tm, e)
			}
		}, opts: func(es []audit.Entry) audit.VerifyOptions {
			return audit.VerifyOptions{Anchors: []audit.Anchor{es[4].Anchor()}}
		}},
		{name: "PlantedBeyondHead", clean: true, do: func(t *testing.T, es []audit.Entry, tm AuditTamperer) {
			// Beyond the head an entry is not part of the log yet; verification
			// covers the log up to the head it read.
			extra := audit.Seal(es[n-1].Anchor(), []audit.Record{es[0].Record})
			put(t, tm, extra[0])
		}},
		{name: "FromAnchorEdited", rule: audit.ErrAnchor, seq: 3, do: func(t *testing.T, es []audit.Entry, tm AuditTamperer) {
			e := es[2]
			e.Content = "改"
			e.Hash = e.ComputeHash()
			put(t, tm, e)
		}, opts: func(es []audit.Entry) audit.VerifyOptions { return audit.VerifyOptions{From: es[2].Anchor()} }},
		{name: "FromAnchorLater", rule: audit.ErrEdited, seq: 7, do: func(t *testing.T, es []audit.Entry, tm AuditTamperer) {
			e := es[1] // before the anchor: not read again
			e.Content = "改"
			put(t, tm, e)
			e = es[6]
			e.Content = "改"
			put(t, tm, e)
		}, opts: func(es []audit.Entry) audit.VerifyOptions { return audit.VerifyOptions{From: es[4].Anchor()} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, tm := open(t)
			es := auditAppend(t, s, auditRecords(0, n)...)
			c.do(t, es, tm)
			var o audit.VerifyOptions
			if c.opts != nil {
				o = c.opts(es)
			}
			sum, err := audit.VerifyWith(ctx, s, o)
			if c.clean {
				if err != nil {
					t.Fatalf("VerifyWith: %v", err)
				}
				return
			}
			var faults audit.Faults
			if !errors.As(err, &faults) {
				t.Fatalf("VerifyWith = %+v, %v; want audit.Faults", sum, err)
			}
			first := faults.First()
			if first.Rule() != c.rule || first.Seq != c.seq {
				t.Fatalf("first finding %s at %d (%v); want %s at %d", first.Rule().Code(), first.Seq, err, c.rule.Code(), c.seq)
			}
			if !errors.Is(err, c.rule) || len(wht93.ViolationsOf(err)) != len(faults) {
				t.Fatalf("error %v: errors.Is(%s) false or violations not found", err, c.rule.Code())
			}
		})
	}
}

func testAuditAppend(t *testing.T, s audit.Store) {
	ctx := context.Background()
	if h := auditHead(t, s); h != (audit.Anchor{}) {
		t.Fatalf("Head of an empty log = %v, want the zero Anchor", h)
	}
	if es := auditRead(t, s, 0, 10); len(es) != 0 {
		t.Fatalf("Read of an empty log returned %d entries", len(es))
	}
	recs := auditRecords(0, 6)
	one := auditAppend(t, s, recs[0])
	batch := auditAppend(t, s, recs[1:]...)
	got := append(one, batch...)
	for i, e := range got {
		if e.Seq != uint64(i+1) {
			t.Fatalf("entry %d has sequence %d", i, e.Seq)
		}
		if e.Version != audit.Version {
			t.Fatalf("entry %d has version %d, want %d", e.Seq, e.Version, audit.Version)
		}
		want := recs[i]
		want.Time = want.Time.UTC().Truncate(time.Microsecond)
		auditWantRecord(t, fmt.Sprintf("Append result %d", e.Seq), e.Record, want)
		if e.Hash != e.ComputeHash() {
			t.Fatalf("entry %d: hash does not match its canonical encoding", e.Seq)
		}
		prev := audit.Hash{}
		if i > 0 {
			prev = got[i-1].Hash
		}
		if e.Prev != prev {
			t.Fatalf("entry %d: prev %v, want %v", e.Seq, e.Prev, prev)
		}
		if e.Time.Location() != time.UTC {
			t.Fatalf("entry %d: time in %v, want UTC", e.Seq, e.Time.Location())
		}
	}
	if h := auditHead(t, s); h != got[5].Anchor() {
		t.Fatalf("Head = %v, want %v", h, got[5].Anchor())
	}
	auditWantEntries(t, "Read", auditReadAll(t, s), got)
	// The checked entry point accepts what the store returns.
	es, err := audit.Append(ctx, s, auditRecords(6, 2)...)
	if err != nil {
		t.Fatalf("audit.Append: %v", err)
	}
	if es[0].Seq != 7 || es[0].Prev != got[5].Hash {
		t.Fatalf("audit.Append: first entry seq %d prev %v", es[0].Seq, es[0].Prev)
	}
	// Returned entries are the caller's own: changing them changes nothing stored.
	es[0].Detail = append(es[0].Detail[:0], "xx"...)
	es[1].Content = "changed"
	if _, err := audit.Verify(ctx, s); err != nil {
		t.Fatalf("Verify after changing returned entries: %v", err)
	}
}

func testAuditInvalid(t *testing.T, s audit.Store) {
	ctx := context.Background()
	before := auditAppend(t, s, auditRecords(0, 2)...)
	ok := auditRecords(10, 1)[0]
	with := func(f func(r *audit.Record)) audit.Record { r := ok; f(&r); return r }
	cases := []struct {
		name  string
		rec   audit.Record
		rule  *wht93.Rule
		field string
	}{
		{"zero time", with(func(r *audit.Record) { r.Time = time.Time{} }), audit.ErrTime, "records[1].time"},
		{"no user", with(func(r *audit.Record) { r.User = "" }), audit.ErrUser, "records[1].user"},
		{"user is a name", with(func(r *audit.Record) { r.User = "张三" }), audit.ErrUser, "records[1].user"},
		{"user is a phone", with(func(r *audit.Record) { r.User = "13812345678" }), audit.ErrPersonalData, "records[1].user"},
		{"user is an ID number", with(func(r *audit.Record) { r.User = "11010119900307803X" }), audit.ErrPersonalData, "records[1].user"},
		{"unknown action", with(func(r *audit.Record) { r.Action = "approve" }), audit.ErrAction, "records[1].action"},
		{"empty action", with(func(r *audit.Record) { r.Action = "" }), audit.ErrAction, "records[1].action"},
		{"id without type", with(func(r *audit.Record) { r.Object = audit.Object{ID: "A1"} }), audit.ErrObject, "records[1].object.type"},
		{"bad object type", with(func(r *audit.Record) { r.Object.Type = "订单" }), audit.ErrObject, "records[1].object.type"},
		{"content too long", with(func(r *audit.Record) { r.Content = strings.Repeat("票", audit.MaxContent/3+1) }), audit.ErrTooLong, "records[1].content"},
		{"content with NUL", with(func(r *audit.Record) { r.Content = "a\x00b" }), audit.ErrText, "records[1].content"},
		{"content not UTF-8", with(func(r *audit.Record) { r.Content = "a\xffb" }), audit.ErrText, "records[1].content"},
		{"detail not JSON", with(func(r *audit.Record) { r.Detail = []byte("{") }), audit.ErrDetail, "records[1].detail"},
		{"detail too long", with(func(r *audit.Record) { r.Detail = []byte(`"` + strings.Repeat("x", audit.MaxDetail) + `"`) }), audit.ErrTooLong, "records[1].detail"},
	}
	for _, c := range cases {
		_, err := s.Append(ctx, ok, c.rec, ok)
		if !errors.Is(err, c.rule) {
			t.Fatalf("%s: Append error %v, want %s", c.name, err, c.rule.Code())
		}
		vs := wht93.ViolationsOf(err)
		if len(vs) == 0 || vs[0].Field != c.field {
			t.Fatalf("%s: violations %v, want one at %s", c.name, vs, c.field)
		}
		for _, pd := range []string{"张三", "13812345678", "11010119900307803X"} {
			if strings.Contains(err.Error(), pd) {
				t.Fatalf("%s: error %q shows personal data in clear", c.name, err)
			}
		}
	}
	for _, n := range []int{0, audit.MaxBatch + 1} {
		recs := make([]audit.Record, n)
		for i := range recs {
			recs[i] = ok
		}
		if _, err := s.Append(ctx, recs...); !errors.Is(err, audit.ErrBatch) {
			t.Fatalf("Append of %d records: error %v, want %s", n, err, audit.ErrBatch.Code())
		}
	}
	for _, limit := range []int{0, -1, audit.MaxRead + 1} {
		if _, err := s.Read(ctx, 0, limit); !errors.Is(err, audit.ErrRead) {
			t.Fatalf("Read limit %d: error %v, want %s", limit, err, audit.ErrRead.Code())
		}
	}
	// Nothing was stored: the log is still the two entries of before.
	if h := auditHead(t, s); h != before[1].Anchor() {
		t.Fatalf("Head after refused appends = %v, want %v", h, before[1].Anchor())
	}
	auditWantEntries(t, "after refused appends", auditReadAll(t, s), before)
	// The largest record that fits is stored whole.
	big := with(func(r *audit.Record) {
		r.User = strings.Repeat("u", audit.MaxUser)
		r.Action = audit.Action("a." + strings.Repeat("b", audit.MaxAction-2))
		r.Object = audit.Object{Type: strings.Repeat("t", audit.MaxObjectType), ID: strings.Repeat("号", audit.MaxObjectID/3)}
		r.Content = strings.Repeat("x", audit.MaxContent)
		r.Detail = []byte(`"` + strings.Repeat("y", audit.MaxDetail-2) + `"`)
	})
	es := auditAppend(t, s, big)
	auditWantEntries(t, "largest record", auditRead(t, s, 2, 1), es)
}

func testAuditRead(t *testing.T, s audit.Store) {
	es := auditAppend(t, s, auditRecords(0, 25)...)
	for _, c := range []struct {
		after uint64
		limit int
		from  int // index of the first entry expected
		n     int
	}{
		{0, 1, 0, 1}, {0, 10, 0, 10}, {10, 10, 10, 10}, {20, 10, 20, 5}, {24, 3, 24, 1},
		{25, 5, 0, 0}, {1000, 5, 0, 0}, {^uint64(0), 5, 0, 0}, {0, audit.MaxRead, 0, 25},
	} {
		got := auditRead(t, s, c.after, c.limit)
		var want []audit.Entry
		if c.n > 0 {
			want = es[c.from : c.from+c.n]
		}
		auditWantEntries(t, fmt.Sprintf("Read(%d, %d)", c.after, c.limit), got, want)
	}
	// The iterator reads in pages up to the head.
	var n uint64
	for e, err := range audit.Entries(context.Background(), s, 5) {
		if err != nil {
			t.Fatalf("Entries: %v", err)
		}
		n++
		if e.Seq != 5+n {
			t.Fatalf("Entries yielded seq %d, want %d", e.Seq, 5+n)
		}
	}
	if n != 20 {
		t.Fatalf("Entries yielded %d entries, want 20", n)
	}
}

func testAuditConcurrent(t *testing.T, s audit.Store) {
	auditExercise(t, []audit.Store{s}, 16, 20)
}

// auditExercise runs appenders on the handles at once — each appends perWorker
// times, every third time a batch of three — and checks the outcome: one chain
// without gaps, every record once, each appender's entries in its own order,
// what Append returned equal to what is stored.
func auditExercise(t *testing.T, ss []audit.Store, workersPerHandle, perWorker int) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var (
		mu       sync.Mutex
		returned = map[uint64]audit.Entry{}
		wg       sync.WaitGroup
		errs     = make(chan error, len(ss)*workersPerHandle)
		total    int
	)
	for h, s := range ss {
		for w := range workersPerHandle {
			user := fmt.Sprintf("op-%d-%d", h, w)
			for i := range perWorker {
				total++
				if i%3 == 2 {
					total += 2
				}
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				var last uint64
				for i := range perWorker {
					recs := []audit.Record{auditRecord(user, i, 0)}
					if i%3 == 2 {
						recs = append(recs, auditRecord(user, i, 1), auditRecord(user, i, 2))
					}
					es, err := audit.Append(ctx, s, recs...)
					if err != nil {
						errs <- fmt.Errorf("%s: Append %d: %w", user, i, err)
						return
					}
					if es[0].Seq <= last {
						errs <- fmt.Errorf("%s: Append %d got seq %d after %d", user, i, es[0].Seq, last)
						return
					}
					last = es[len(es)-1].Seq
					mu.Lock()
					for _, e := range es {
						if _, dup := returned[e.Seq]; dup {
							mu.Unlock()
							errs <- fmt.Errorf("sequence %d returned twice", e.Seq)
							return
						}
						returned[e.Seq] = e
					}
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(returned) != total {
		t.Fatalf("%d entries returned, want %d", len(returned), total)
	}
	head := auditHead(t, ss[0])
	if head.Seq != uint64(total) || head != returned[uint64(total)].Anchor() {
		t.Fatalf("Head = %v, want seq %d with the hash returned for it", head, total)
	}
	stored := auditReadAll(t, ss[len(ss)-1])
	if len(stored) != total {
		t.Fatalf("%d entries stored, want %d", len(stored), total)
	}
	seen := map[string]bool{}
	for _, e := range stored {
		auditWantEntries(t, "stored entry", []audit.Entry{e}, []audit.Entry{returned[e.Seq]})
		key := e.User + "/" + e.Content + "/" + e.Object.ID
		if seen[key] {
			t.Fatalf("record %s stored twice", key)
		}
		seen[key] = true
	}
	sum, err := audit.Verify(ctx, ss[0])
	if err != nil || sum.Checked != uint64(total) {
		t.Fatalf("Verify = %+v, %v; want %d entries checked, no error", sum, err, total)
	}
}

func testAuditVerify(t *testing.T, s audit.Store) {
	ctx := context.Background()
	sum, err := audit.Verify(ctx, s)
	if err != nil || sum.Checked != 0 || sum.Head != (audit.Anchor{}) {
		t.Fatalf("Verify of an empty log = %+v, %v", sum, err)
	}
	es := auditAppend(t, s, auditRecords(0, 12)...)
	sum, err = audit.Verify(ctx, s)
	if err != nil || sum.Checked != 12 || sum.Head != es[11].Anchor() {
		t.Fatalf("Verify = %+v, %v; want 12 entries up to %v", sum, err, es[11].Anchor())
	}
	// From a trusted anchor only the entries after it are read.
	sum, err = audit.VerifyWith(ctx, s, audit.VerifyOptions{From: es[7].Anchor(), Anchors: []audit.Anchor{es[2].Anchor(), es[9].Anchor()}})
	if err != nil || sum.Checked != 4 {
		t.Fatalf("VerifyWith(from 8) = %+v, %v; want 4 entries checked", sum, err)
	}
	// An anchor that is not on the chain is reported.
	forged := es[9].Anchor()
	forged.Hash[0] ^= 1
	_, err = audit.VerifyWith(ctx, s, audit.VerifyOptions{Anchors: []audit.Anchor{forged}})
	auditWantFault(t, "a forged anchor", err, audit.ErrAnchor, 10)
	_, err = audit.VerifyWith(ctx, s, audit.VerifyOptions{From: forged})
	auditWantFault(t, "a forged starting anchor", err, audit.ErrAnchor, 10)
	_, err = audit.VerifyWith(ctx, s, audit.VerifyOptions{Anchors: []audit.Anchor{{Seq: 40, Hash: es[0].Hash}}})
	auditWantFault(t, "an anchor beyond the head", err, audit.ErrAnchor, 40)
	_, err = audit.VerifyWith(ctx, s, audit.VerifyOptions{From: audit.Anchor{Seq: 40, Hash: es[0].Hash}})
	auditWantFault(t, "a starting anchor beyond the head", err, audit.ErrAnchor, 40)
}

// testAuditNoUpdate checks that the store offers no way to change or remove an
// entry: neither the port nor the concrete type has a method that could.
func testAuditNoUpdate(t *testing.T, s audit.Store) {
	for _, name := range []string{"Update", "Delete", "Remove", "Put", "Set", "Edit", "Truncate", "Purge", "Replace"} {
		if m, ok := auditMethod(s, name); ok {
			t.Fatalf("%T has a method %s: an operation log must not be editable", s, m)
		}
	}
}

func auditWantFault(t *testing.T, what string, err error, rule *wht93.Rule, seq uint64) {
	t.Helper()
	var faults audit.Faults
	if !errors.As(err, &faults) {
		t.Fatalf("%s: error %v, want audit.Faults", what, err)
	}
	if f := faults.First(); f.Rule() != rule || f.Seq != seq {
		t.Fatalf("%s: first finding %s at %d (%v), want %s at %d", what, f.Rule().Code(), f.Seq, err, rule.Code(), seq)
	}
}

// auditBase is the time of the suite's first record; its nanoseconds check
// that stores keep times to the microsecond.
var auditBase = time.Date(2024, 5, 27, 10, 0, 0, 123456789, wht93.CST)

// auditRecords returns n varied records numbered from first.
func auditRecords(first, n int) []audit.Record {
	out := make([]audit.Record, n)
	for i := range out {
		out[i] = auditRecord(fmt.Sprintf("op-%03d", (first+i)%7), first+i, 0)
	}
	return out
}

func auditRecord(user string, i, part int) audit.Record {
	actions := audit.Actions()
	r := audit.Record{
		Time:    auditBase.Add(time.Duration(i) * time.Minute),
		User:    user,
		Action:  actions[i%len(actions)],
		Object:  audit.Object{Type: "order", ID: fmt.Sprintf("A-%d-%d", i, part)},
		Content: fmt.Sprintf("第%d条操作 #%d/%d：售出2张\n备注\t\"引号\"", i, i, part),
	}
	switch i % 4 {
	case 1:
		r.Object = audit.Object{}
		r.Action = audit.ActionLogin
	case 2:
		r.Detail = []byte(fmt.Sprintf(`{"tickets":[%d,%d],"amount":"128.00","备注":"é"}`, i, part))
	case 3:
		r.Action = "acme.discountApprove"
		r.Content = ""
	}
	return r
}

func auditAppend(t testing.TB, s audit.Store, recs ...audit.Record) []audit.Entry {
	t.Helper()
	es, err := audit.Append(context.Background(), s, recs...)
	if err != nil {
		t.Fatalf("Append: %v", err)
	}
	return es
}

func auditHead(t testing.TB, s audit.Store) audit.Anchor {
	t.Helper()
	h, err := s.Head(context.Background())
	if err != nil {
		t.Fatalf("Head: %v", err)
	}
	return h
}

func auditRead(t testing.TB, s audit.Store, after uint64, limit int) []audit.Entry {
	t.Helper()
	es, err := s.Read(context.Background(), after, limit)
	if err != nil {
		t.Fatalf("Read(%d, %d): %v", after, limit, err)
	}
	if len(es) > limit {
		t.Fatalf("Read(%d, %d) returned %d entries", after, limit, len(es))
	}
	return es
}

func auditReadAll(t testing.TB, s audit.Store) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	after := uint64(0)
	for {
		page := auditRead(t, s, after, 7)
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		after = page[len(page)-1].Seq
	}
}

func auditWantRecord(t testing.TB, what string, got, want audit.Record) {
	t.Helper()
	var d []string
	if !got.Time.Equal(want.Time) {
		d = append(d, fmt.Sprintf("Time = %s, want %s", got.Time.Format(time.RFC3339Nano), want.Time.Format(time.RFC3339Nano)))
	}
	if got.User != want.User {
		d = append(d, fmt.Sprintf("User = %q, want %q", got.User, want.User))
	}
	if got.Action != want.Action {
		d = append(d, fmt.Sprintf("Action = %q, want %q", got.Action, want.Action))
	}
	if got.Object != want.Object {
		d = append(d, fmt.Sprintf("Object = %+v, want %+v", got.Object, want.Object))
	}
	if got.Content != want.Content {
		d = append(d, fmt.Sprintf("Content = %q, want %q", got.Content, want.Content))
	}
	if string(got.Detail) != string(want.Detail) {
		d = append(d, fmt.Sprintf("Detail = %q, want %q", got.Detail, want.Detail))
	}
	if len(d) > 0 {
		t.Fatalf("%s: %s", what, strings.Join(d, "; "))
	}
}

func auditWantEntries(t testing.TB, what string, got, want []audit.Entry) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d entries, want %d", what, len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Seq != w.Seq || g.Version != w.Version || g.Prev != w.Prev || g.Hash != w.Hash {
			t.Fatalf("%s: entry %d: seq %d version %d prev %v hash %v; want seq %d version %d prev %v hash %v",
				what, i, g.Seq, g.Version, g.Prev, g.Hash, w.Seq, w.Version, w.Prev, w.Hash)
		}
		auditWantRecord(t, fmt.Sprintf("%s: entry %d", what, g.Seq), g.Record, w.Record)
		if g.Time.Location() != time.UTC {
			t.Fatalf("%s: entry %d: time in %v, want UTC", what, g.Seq, g.Time.Location())
		}
	}
}
