package ticket_test

import (
	"bytes"
	"fmt"
	"regexp"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/ticket"
)

// A paper ticket whose face carries the QR symbol of its credential, for the gate
// to scan (WH/T 93 Appendix A checkingType 1): a 44 mm square under the texts.
func ExampleQRCode() {
	s := exSession()
	layout := ticket.Layout{ID: "face-1", FontFamily: "Noto Sans CJK SC, sans-serif", Pages: []ticket.Page{{
		Size: "80x120", Width: 80, Height: 120,
		Fields: []ticket.Field{
			{Text: "{sessionName} {date} {startTime}", X: 4, Y: 10, FontSize: 9},
			{Text: "{venue} {hall} {area} {seat}", X: 4, Y: 18, FontSize: 9},
			{Text: "{price} {ticketType} {ticketCode}", X: 4, Y: 26, FontSize: 7},
			{Text: "{purchaseNotice} {refundNotice}", X: 4, Y: 90, FontSize: 6, Width: 72},
			{Text: "{platformPhone} {platformWeb}", X: 4, Y: 115, FontSize: 6},
		},
		QRCodes: []ticket.QRCode{{Var: ticket.VarCredential, X: 18, Y: 36, Size: 44}}, // level M
	}}}
	printer := check(ticket.NewPrinter(exSigner, exKeyring))
	_, printed := check2(printer.Print(exTicket(), ticket.PrintJob{Session: &s, Layout: &layout, Size: "80x120",
		Platform: ticket.Platform{Phone: "400-123-4567", Web: "https://tickets.example.cn"},
		Notice:   ticket.Notice{Purchase: "一人一票。", Refund: "7日内不退。"},
		By:       "box-office-1", At: time.Date(2025, time.May, 20, 18, 0, 0, 0, wht93.CST)}))

	sym := check(ticket.EncodeQR(printed.Credential, ticket.QRLevelM))
	fmt.Printf("credential of %d characters: version %d, %d×%d modules and a quiet zone of %d\n",
		len(printed.Credential), sym.Version(), sym.Size(), sym.Size(), ticket.QRQuietZone)
	fmt.Printf("%s\n", regexp.MustCompile(`<g class="qr"[^>]*>`).Find(printed.SVG))
	path := regexp.MustCompile(`<path [^>]*d="(.{40})`).FindSubmatch(printed.SVG)
	fmt.Printf("%s…\n", path[1])
	fmt.Println(bytes.Count(printed.SVG, []byte("<path")), bytes.Contains(printed.SVG, []byte("<image")))
	// Output:
	// credential of 172 characters: version 9, 53×53 modules and a quiet zone of 4
	// <g class="qr" transform="translate(18 36) scale(0.7213114754098361)">
	// M4 4h1v1h-1zM5 4h1v1h-1zM6 4h1v1h-1zM7 4…
	// 1 false
}
