package memory_test

import (
	"testing"

	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/storetest"
)

// The in-memory code book lives in package report; the kit runs on it here,
// beside the other stores' runs.
func TestCodeBook(t *testing.T) {
	storetest.TestCodeBook(t, func(t *testing.T) (report.CodeBook, func() report.CodeBook) {
		b := &report.MemoryCodeBook{}
		return b, func() report.CodeBook { return b }
	})
}
