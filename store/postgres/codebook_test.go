package postgres_test

import (
	"context"
	"testing"

	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/postgres"
	"github.com/piaowu/wht93/store/storetest"
)

func openCodeBook(t *testing.T, schema string) *postgres.CodeBook {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, testDB(t), &postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.CodeBook(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCodeBook(t *testing.T) {
	storetest.TestCodeBook(t, func(t *testing.T) (report.CodeBook, func() report.CodeBook) {
		schema := freshSchema(t, testDB(t))
		// reopen is another process on the same schema: its migration finds
		// the table already there.
		return openCodeBook(t, schema), func() report.CodeBook { return openCodeBook(t, schema) }
	})
}
