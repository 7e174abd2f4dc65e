package memory

import (
	"context"
	"slices"
	"testing"

	"github.com/piaowu/wht93/audit"
	"github.com/piaowu/wht93/store/storetest"
)

func TestAudit(t *testing.T) {
	storetest.TestAudit(t, func(*testing.T) audit.Store { return NewAuditLog() })
}

func TestAuditShared(t *testing.T) {
	storetest.TestAuditShared(t, func(*testing.T) []audit.Store {
		l := NewAuditLog()
		return []audit.Store{l, l, l}
	})
}

func TestAuditTamper(t *testing.T) {
	storetest.TestAuditTamper(t, func(*testing.T) (audit.Store, storetest.AuditTamperer) {
		l := NewAuditLog()
		return l, auditTamperer{l}
	})
}

// auditTamperer edits the log's slice directly, as raw access to its storage
// would.
type auditTamperer struct{ l *AuditLog }

func (tm auditTamperer) find(seq uint64) (int, bool) {
	return slices.BinarySearchFunc(tm.l.entries, seq, func(e audit.Entry, s uint64) int {
		switch {
		case e.Seq < s:
			return -1
		case e.Seq > s:
			return 1
		}
		return 0
	})
}

func (tm auditTamperer) Put(_ context.Context, e audit.Entry) error {
	tm.l.mu.Lock()
	defer tm.l.mu.Unlock()
	i, found := tm.find(e.Seq)
	if found {
		tm.l.entries[i] = copyEntry(e)
	} else {
		tm.l.entries = slices.Insert(tm.l.entries, i, copyEntry(e))
	}
	return nil
}

func (tm auditTamperer) Delete(_ context.Context, seq uint64) error {
	tm.l.mu.Lock()
	defer tm.l.mu.Unlock()
	if i, found := tm.find(seq); found {
		tm.l.entries = slices.Delete(tm.l.entries, i, i+1)
	}
	return nil
}
