package postgres

import (
	"testing"

	"github.com/piaowu/wht93/audit"
	"github.com/piaowu/wht93/store/storetest"
)

// BenchmarkAuditAppend measures committed appends of one record each, by 1
// appender and by 64 concurrent appenders (each append one transaction that
// locks the head row).
func BenchmarkAuditAppend(b *testing.B) {
	storetest.BenchmarkAuditAppend(b, func(b *testing.B, appenders int) audit.Store {
		sqlDB := auditSQL(b)
		sqlDB.SetMaxOpenConns(appenders + 2)
		sqlDB.SetMaxIdleConns(appenders + 2)
		l, _ := auditOpenLog(b, sqlDB, auditSchema(b, sqlDB))
		return l
	})
}
