package storetest

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piaowu/wht93/report"
)

// exercise runs producers and consumers on the handles at once and checks what
// came out against what went in: every record leased exactly once (leases do
// not expire here), acked, with its body intact, and within each stream leased
// only after the record ahead of it was acked.
func exercise(t *testing.T, qs []report.Queue) {
	const (
		producers   = 8
		perProducer = 60
		consumers   = 4
	)
	streams := []string{"", "s-a", "s-b", "s-c"}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	now := base

	var (
		mu       sync.Mutex
		bodies   = map[uint64][]byte{} // seq → body, from the producers
		keySeq   = map[string]uint64{} // key → seq
		streamOf = map[uint64]string{}
		leases   = map[uint64]int{}   // seq → times leased
		leasedAt = map[uint64]int64{} // seq → logical time of its lease
		batchOf  = map[uint64]int64{} // seq → the Lease call that returned it
		ackedAt  = map[uint64]int64{} // seq → logical time just before its Ack
		leasedB  = map[uint64][]byte{}
		clock    atomic.Int64
		running  atomic.Int32
		failures = make(chan string, 100)
	)
	fail := func(format string, args ...any) {
		select {
		case failures <- fmt.Sprintf(format, args...):
		default:
		}
		cancel()
	}

	var wg sync.WaitGroup
	running.Store(producers)
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer running.Add(-1)
			q := qs[p%len(qs)]
			for i := 0; i < perProducer; {
				n := min(1+i%3, perProducer-i)
				ds := make([]report.Draft, 0, n+1)
				for j := range n {
					k := fmt.Sprintf("p%d-%d", p, i+j)
					d := draft(k, streams[(p+i+j)%len(streams)])
					d.Body = append(d.Body, k...)
					ds = append(ds, d)
				}
				if i > 0 { // the previous key again: a duplicate
					ds = append(ds, draft(fmt.Sprintf("p%d-%d", p, i-1), "ignored"))
				}
				res, err := q.Enqueue(ctx, now, ds...)
				if err != nil {
					fail("producer %d: Enqueue: %v", p, err)
					return
				}
				mu.Lock()
				for j, r := range res {
					d := ds[j]
					if j == n {
						if !r.Duplicate || r.Seq != keySeq[d.Key] {
							fail("producer %d: re-enqueue of %s = %+v, want a duplicate of %d", p, d.Key, r, keySeq[d.Key])
						}
						continue
					}
					if r.Duplicate || bodies[r.Seq] != nil {
						fail("producer %d: new key %s got %+v, a sequence already given", p, d.Key, r)
					}
					bodies[r.Seq] = d.Body
					keySeq[d.Key] = r.Seq
					streamOf[r.Seq] = d.Stream
				}
				mu.Unlock()
				i += n
			}
		}()
	}
	for c := range consumers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := qs[c%len(qs)]
			for ctx.Err() == nil {
				recs, err := q.Lease(ctx, now, time.Hour, 1+c*3)
				if err != nil {
					fail("consumer %d: Lease: %v", c, err)
					return
				}
				if len(recs) == 0 {
					if running.Load() == 0 {
						s, err := q.Stats(ctx, now)
						if err != nil {
							fail("consumer %d: Stats: %v", c, err)
							return
						}
						if s.Depth == 0 {
							return
						}
					}
					runtime.Gosched()
					continue
				}
				b := clock.Add(1)
				mu.Lock()
				for _, r := range recs {
					leases[r.Seq]++
					leasedAt[r.Seq] = b
					batchOf[r.Seq] = b
					leasedB[r.Seq] = r.Body
				}
				for _, r := range recs {
					ackedAt[r.Seq] = clock.Add(1)
				}
				mu.Unlock()
				cs := claims(recs)
				if c%2 == 0 { // ack one by one, or all at once
					for _, cl := range cs {
						if err := q.Ack(ctx, now, cl); err != nil {
							fail("consumer %d: Ack: %v", c, err)
							return
						}
					}
				} else if err := q.Ack(ctx, now, cs...); err != nil {
					fail("consumer %d: Ack: %v", c, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	if t.Failed() {
		return
	}
	if len(bodies) != producers*perProducer {
		t.Fatalf("%d records enqueued, want %d", len(bodies), producers*perProducer)
	}
	perStream := map[string][]uint64{}
	for seq, body := range bodies {
		if leases[seq] != 1 {
			t.Errorf("record %d leased %d times, want once", seq, leases[seq])
			continue
		}
		if !bytes.Equal(leasedB[seq], body) {
			t.Errorf("record %d leased with body %q, enqueued %q", seq, leasedB[seq], body)
		}
		if s := streamOf[seq]; s != "" {
			perStream[s] = append(perStream[s], seq)
		}
	}
	for seq := range leases {
		if bodies[seq] == nil {
			t.Errorf("record %d leased but never enqueued", seq)
		}
	}
	for s, seqs := range perStream {
		slices.Sort(seqs)
		for i := 1; i < len(seqs); i++ {
			prev, cur := seqs[i-1], seqs[i]
			if batchOf[prev] != batchOf[cur] && ackedAt[prev] >= leasedAt[cur] {
				t.Errorf("stream %s: record %d leased (at %d) before record %d ahead of it was acked (at %d)",
					s, cur, leasedAt[cur], prev, ackedAt[prev])
			}
		}
	}
	for _, q := range qs {
		st, err := q.Stats(context.Background(), now)
		if err != nil {
			t.Fatalf("Stats: %v", err)
		}
		if st.Depth != 0 || st.Acked != int64(len(bodies)) || st.Leased != 0 {
			t.Errorf("stats after draining: %+v, want depth 0 and %d acked", st, len(bodies))
		}
	}
}
