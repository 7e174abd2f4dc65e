package bolt_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/bolt"
)

// The engine saves the codes it obtains from /performance/code in the code
// book; after a restart, the reports that name their session by
// report.SessionRef resolve from it.
func ExampleDB_CodeBook() {
	dir, _ := os.MkdirTemp("", "codebook")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "wht93.db")
	ctx := context.Background()

	db, _ := bolt.Open(path, nil)
	codes, _ := db.CodeBook()
	_ = codes.SaveSessionCodes(ctx, map[string]string{"S1": "11010100120240601001"})
	db.Close() // the process ends

	db, _ = bolt.Open(path, nil)
	defer db.Close()
	codes, _ = db.CodeBook()
	var _ report.CodeBook = codes // report.EngineConfig{Queue: q, Sender: c, Codes: codes}
	code, ok, _ := codes.SessionCode(ctx, "S1")
	fmt.Println(code, ok)
	_, ok, _ = codes.SessionCode(ctx, "S2")
	fmt.Println(ok)
	// Output:
	// 11010100120240601001 true
	// false
}
