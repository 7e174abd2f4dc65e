package memory

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/audit"
)

// BenchmarkAuditVerify measures the verification of a log of 1,000,000
// entries held in memory: reading, re-hashing and chaining every entry.
func BenchmarkAuditVerify(b *testing.B) {
	const n = 1_000_000
	l := NewAuditLog()
	ctx := context.Background()
	t0 := time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST)
	recs := make([]audit.Record, audit.MaxBatch)
	for i := 0; i < n; i += len(recs) {
		for j := range recs {
			k := i + j
			recs[j] = audit.Record{
				Time: t0.Add(time.Duration(k) * time.Second), User: "op-" + strconv.Itoa(k%50), Action: audit.ActionSale,
				Object: audit.Object{Type: "order", ID: "A-" + strconv.Itoa(k)}, Content: "售出2张，共256.00元",
			}
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
