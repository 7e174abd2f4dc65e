package memory

import (
	"context"
	"sort"
	"sync"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
)

// Entries is a [checkin.Store] held in memory. It is not durable: its entries
// live as long as the value. It is for tests, demonstrations and the device
// simulator; it keeps the rest of the contract (atomic count-if-below-maximum,
// idempotent ids, a change feed in commit order).
//
// An Entries is safe for concurrent use; its zero value is not usable, call
// [NewEntries].
type Entries struct {
	mu       sync.RWMutex
	log      []checkin.Change // ascending by Seq
	byID     map[string]int   // index in log
	byTicket map[codes.TicketCode][]int
}

var _ checkin.Store = (*Entries)(nil)

// NewEntries returns an empty entry store.
func NewEntries() *Entries {
	return &Entries{byID: map[string]int{}, byTicket: map[codes.TicketCode][]int{}}
}

// Admit implements [checkin.Store].
func (s *Entries) Admit(ctx context.Context, e checkin.Entry, max int) (checkin.Admission, error) {
	if err := ctx.Err(); err != nil {
		return checkin.Admission{}, err
	}
	e, err := checkin.CheckAdmit(e, max)
	if err != nil {
		return checkin.Admission{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if i, ok := s.byID[e.ID]; ok {
		old := s.log[i].Entry
		return checkin.Admission{Entry: old, Admitted: true, Duplicate: true, Count: len(s.byTicket[old.Ticket])}, nil
	}
	n := len(s.byTicket[e.Ticket])
	if n >= max {
		return checkin.Admission{Count: n}, nil
	}
	e.Count = n + 1
	s.add(e)
	return checkin.Admission{Entry: e, Admitted: true, Count: n + 1}, nil
}

func (s *Entries) add(e checkin.Entry) {
	s.log = append(s.log, checkin.Change{Seq: uint64(len(s.log) + 1), Entry: e})
	s.byID[e.ID] = len(s.log) - 1
	s.byTicket[e.Ticket] = append(s.byTicket[e.Ticket], len(s.log)-1)
}

// Import implements [checkin.Store].
func (s *Entries) Import(ctx context.Context, es ...checkin.Entry) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	es, err := checkin.CheckImport(es)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	added := 0
	for _, e := range es {
		if _, ok := s.byID[e.ID]; ok {
			continue
		}
		s.add(e)
		added++
	}
	return added, nil
}

// Count implements [checkin.Store].
func (s *Entries) Count(ctx context.Context, code codes.TicketCode) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.byTicket[code]), nil
}

// Entries implements [checkin.Store].
func (s *Entries) Entries(ctx context.Context, code codes.TicketCode) ([]checkin.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]checkin.Entry, 0, len(s.byTicket[code]))
	for _, i := range s.byTicket[code] {
		out = append(out, s.log[i].Entry)
	}
	return out, nil
}

// Changes implements [checkin.Store].
func (s *Entries) Changes(ctx context.Context, after uint64, limit int) ([]checkin.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkin.CheckRead(limit); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	i := sort.Search(len(s.log), func(i int) bool { return s.log[i].Seq > after })
	j := min(len(s.log), i+limit)
	out := make([]checkin.Change, j-i)
	copy(out, s.log[i:j])
	return out, nil
}
