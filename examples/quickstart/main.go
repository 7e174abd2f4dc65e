// Command quickstart walks through what the wht93 SDK does on its embedded
// defaults, printing each step: the codes of WH/T 93-2021 (GB/T 2260 regions,
// venue, hall, session and ticket codes, performance types), the real-name
// document rules (validation, masking, field encryption, the blind index that
// per-ID purchase limits use), a sale on the embedded store (a bbolt file in a
// temporary folder) and check-in at a LAN node. Later chapters of the ticket
// lifecycle join it as the SDK grows.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/store/bolt"
)

func main() {
	dir, err := os.MkdirTemp("", "wht93-quickstart-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
	err = run(os.Stdout, rand.Reader, wht93.DateOf(time.Now()), dir)
	os.RemoveAll(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run prints the walk-through to w. rand feeds the unguessable ticket code and the
// encryption nonces; today is the date against which birth dates are checked; dir
// holds the embedded store's file.
func run(w io.Writer, rand io.Reader, today wht93.Date, dir string) error {
	step := func(title string) { fmt.Fprintf(w, "\n== %s\n", title) }
	if err := runCodes(w, rand, today, step); err != nil {
		return err
	}

	ctx := context.Background()
	db, err := bolt.Open(filepath.Join(dir, "wht93.db"), nil)
	if err != nil {
		return err
	}
	defer db.Close()

	// The host's keys: from its secret store in production, derived here for the demo.
	encKey := sha256.Sum256([]byte("quickstart encryption key"))
	idxKey := sha256.Sum256([]byte("quickstart blind-index key"))
	ring, err := realname.NewKeyring(rand, "k1", map[string][]byte{"k1": encKey[:]})
	if err != nil {
		return err
	}
	indexer, err := realname.NewBlindIndexer(idxKey[:])
	if err != nil {
		return err
	}

	step("7. 售票 sales: venue, sessions, tiers A–D, a limit of 2, two channels, a reserved block (6.3.1, 6.3.2)")
	inv, err := db.Inventory()
	if err != nil {
		return err
	}
	s, err := runSales(ctx, w, inv, indexer, today)
	if err != nil {
		return err
	}

	step("8. 售后 after the sale: e-tickets, print and reprint, transfer, refund, the operation log (6.2, 6.3.3–6.3.5, 6.4.3.3)")
	log, err := db.AuditLog()
	if err != nil {
		return err
	}
	after := afterSale{keyring: ring, indexer: indexer, rand: rand, log: log, today: today}
	if err := after.run(ctx, w, s); err != nil {
		return err
	}

	step("9. 检票 check-in at a LAN node (6.3.6)")
	entries, err := db.Entries()
	if err != nil {
		return err
	}
	return runCheckIn(ctx, w, entries)
}

// runCodes walks through the codes and the real-name documents.
func runCodes(w io.Writer, rand io.Reader, today wht93.Date, step func(string)) error {
	step("1. 行政区划 GB/T 2260 region codes")
	for _, c := range []string{"110101", "110103", "440401"} {
		if r, ok := codes.LookupRegion(c); ok {
			fmt.Fprintf(w, "%s %s %s: %s, %s\n", r.Code, r.Province, r.Name, r.Level, r.Status)
			continue
		}
		fmt.Fprintf(w, "%s: not in GB/T 2260 (a summary code such as 市辖区 that some ID numbers keep)\n", c)
	}

	step("2. 场所、场厅、场次编码 venue, hall and session codes (Appendices B, C)")
	region, err := codes.ParseRegionCode("110101")
	if err != nil {
		return err
	}
	venue, err := codes.NewVenueCode(region, 1)
	if err != nil {
		return err
	}
	hall, err := codes.NewHallCode(venue, 1)
	if err != nil {
		return err
	}
	session, err := codes.NewSessionCode(hall, wht93.Date{Year: 2024, Month: time.May, Day: 27}, 1)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "venue %s, hall %s, session %s\n", venue, hall, session)
	for _, p := range session.Parts() {
		fmt.Fprintf(w, "  %s: %s\n", p.Label, p.Text)
	}
	if _, err := codes.ParseSessionCode("110101001012023022901"); err != nil {
		fmt.Fprintf(w, "rejected: %v\n", err)
	}

	step("3. 演出票编码 ticket codes (6.1.5, at most 50 bytes)")
	bySeat, err := codes.SeatTicketCode(session, codes.Seat{Floor: 1, Area: 2, Row: 3, Number: 12})
	if err != nil {
		return err
	}
	bySeq, err := codes.SequenceTicketCode(session, 42)
	if err != nil {
		return err
	}
	random, err := codes.RandomTicketCode(session, rand)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "seat-derived %s (%d bytes)\nsequence     %s (%d bytes)\nunguessable  %s… (%d bytes)\n",
		bySeat, len(bySeat.String()), bySeq, len(bySeq.String()), random.String()[:24], len(random.String()))

	step("4. 演出类型 performance types (Appendix D)")
	for _, s := range []string{"1003", "1000", "5000", "1090"} {
		t, err := codes.ParseTypeCode(s)
		if err != nil {
			fmt.Fprintf(w, "%s rejected: %v\n", s, err)
			continue
		}
		var names []string
		for _, p := range t.Parts() {
			names = append(names, p.Text)
		}
		fmt.Fprintf(w, "%s: %s\n", t, strings.Join(names, " / "))
	}

	step("5. 实名证件 real-name documents (6.3.3.1)")
	doc, err := realname.Validate(realname.TypeResidentID, "11010119900307803X", today)
	if err != nil {
		return err
	}
	birth, _ := doc.Birth()
	fmt.Fprintf(w, "resident ID %v: valid, born %s, %s\n", doc, birth, doc.Sex().Zh())
	if _, err := realname.Validate(realname.TypeResidentID, "11010119900307813X", today); err != nil {
		fmt.Fprintf(w, "one digit changed: %v\n", err)
	}
	for _, n := range []string{"H1234567890", "E12345678"} {
		fmt.Fprintf(w, "%s could be: %v\n", realname.MaskNumber(n), realname.Candidates(n, today))
	}
	fmt.Fprintf(w, "printed on a ticket: %s %v\n", realname.MaskName("张三丰"), doc)

	step("6. 加密与盲索引 field encryption and blind index (7.1.1.3)")
	// Keys come from the host's secret store; these are derived for the demo only.
	encKey := sha256.Sum256([]byte("quickstart encryption key"))
	idxKey := sha256.Sum256([]byte("quickstart blind-index key"))
	ring, err := realname.NewKeyring(rand, "k1", map[string][]byte{"k1": encKey[:]})
	if err != nil {
		return err
	}
	sealed, err := ring.Encrypt([]byte(doc.Number()), "holder.number", "order-1")
	if err != nil {
		return err
	}
	opened, err := ring.Decrypt(sealed, "holder.number", "order-1")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "encrypted under key %s: %d bytes; decrypts to the same number: %v\n",
		ring.Current(), len(sealed), string(opened) == doc.Number())
	if _, err := ring.Decrypt(sealed, "holder.number", "order-2"); err != nil {
		fmt.Fprintln(w, "moved to another record: refused")
	}
	indexer, err := realname.NewBlindIndexer(idxKey[:])
	if err != nil {
		return err
	}
	same, err := realname.Validate(realname.TypeResidentID, " １１０１０１１９９００３０７８０３x ", today)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "blind index equal for a full-width, lower-case x entry of the same number: %v\n",
		indexer.Index(doc) == indexer.Index(same))
	fmt.Fprintf(w, "real-name modes: %s\n", strings.Join(modeNames(), ", "))
	return nil
}

func modeNames() []string {
	var out []string
	for _, m := range []realname.Mode{realname.ModeNone, realname.ModePerOrder, realname.ModePerTicket} {
		out = append(out, fmt.Sprintf("authMode %d %s", int(m), m.Zh()))
	}
	return out
}
