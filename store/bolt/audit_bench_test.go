package bolt

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/piaowu/wht93/audit"
	"github.com/piaowu/wht93/store/storetest"
)

// BenchmarkAuditAppend measures durable appends of one record each (every
// append is fsynced before it returns), by 1 appender and by 64 concurrent
// appenders sharing group commits.
func BenchmarkAuditAppend(b *testing.B) {
	storetest.BenchmarkAuditAppend(b, func(b *testing.B, _ int) audit.Store {
		l, db, err := OpenAuditLog(filepath.Join(b.TempDir(), "audit.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return l
	})
}

// BenchmarkAuditVerify measures the verification of a log of 1,000,000
// entries read from the file.
func BenchmarkAuditVerify(b *testing.B) {
	const n = 1_000_000
	l, db, err := OpenAuditLog(filepath.Join(b.TempDir(), "audit.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	recs := make([]audit.Record, audit.MaxBatch)
	for i := 0; i < n; i += len(recs) {
		for j := range recs {
			recs[j] = storetest.BenchAuditRecord(i + j)
		}
		if _, err := l.Append(ctx, recs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		sum, err := audit.Verify(ctx, l)
		if err != nil || sum.Checked != n {
			b.Fatalf("Verify = %+v, %v", sum, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/entry")
}
