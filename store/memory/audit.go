package memory

import (
	"context"
	"slices"
	"sync"

	"github.com/piaowu/wht93/audit"
)

// AuditLog is an [audit.Store] held in memory. It is not durable: its entries
// live as long as the value. It is for tests and demonstrations; it keeps the
// rest of the contract (one chain under concurrent appenders, no update or
// delete).
//
// An AuditLog is safe for concurrent use; its zero value is not usable, call
// [NewAuditLog].
type AuditLog struct {
	mu      sync.RWMutex
	entries []audit.Entry // ascending by Seq
	head    audit.Anchor
}

// NewAuditLog returns an empty log.
func NewAuditLog() *AuditLog { return &AuditLog{} }

var _ audit.Store = (*AuditLog)(nil)

// Append implements [audit.Store].
func (l *AuditLog) Append(ctx context.Context, recs ...audit.Record) ([]audit.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	checked, err := audit.CheckRecords(recs)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	es := audit.Seal(l.head, checked)
	for _, e := range es {
		l.entries = append(l.entries, copyEntry(e))
	}
	l.head = es[len(es)-1].Anchor()
	return es, nil
}

// Head implements [audit.Store].
func (l *AuditLog) Head(ctx context.Context) (audit.Anchor, error) {
	if err := ctx.Err(); err != nil {
		return audit.Anchor{}, err
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.head, nil
}

// Read implements [audit.Store].
func (l *AuditLog) Read(ctx context.Context, after uint64, limit int) ([]audit.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := audit.CheckRead(limit); err != nil {
		return nil, err
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	i, _ := slices.BinarySearchFunc(l.entries, after+1, func(e audit.Entry, seq uint64) int {
		switch {
		case e.Seq < seq:
			return -1
		case e.Seq > seq:
			return 1
		}
		return 0
	})
	if after == ^uint64(0) {
		i = len(l.entries)
	}
	end := min(len(l.entries), i+limit)
	out := make([]audit.Entry, 0, end-i)
	for _, e := range l.entries[i:end] {
		out = append(out, copyEntry(e))
	}
	return out, nil
}

func copyEntry(e audit.Entry) audit.Entry {
	if e.Detail != nil {
		e.Detail = slices.Clone(e.Detail)
	}
	return e
}
