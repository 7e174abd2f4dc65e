package ticket

import (
	"strconv"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
)

// ErrPaperSuperseded is the rule that only the latest print of a ticket is valid
// paper: a reprint, a transfer or a re-issue voids the paper printed before
// (6.2.2 uniqueness, 6.3.5).
var ErrPaperSuperseded = wht93.NewRule("ticket.paper.superseded", "该纸质票已被重新打印或重新出码取代，已作废", "this paper ticket is superseded by a reprint or a re-issue and is void")

// PrintRecord is the record of one print of a ticket (6.3.5, E.2.6): which ticket,
// the how-manieth print, the serial of the paper (the credential version its code
// carries) and the serial of the paper it voids, who printed it, when and why. A
// record with N above 1 is a reprint record (重打记录). A PrintRecord is a plain
// value, safe for concurrent use.
type PrintRecord struct {
	Ticket     codes.TicketCode `json:"ticketCode"`
	N          int              `json:"n"`
	Serial     uint32           `json:"serial"`
	Supersedes uint32           `json:"supersedes,omitempty"` // 0: no live paper before
	By         string           `json:"by"`
	At         time.Time        `json:"at"`
	Reason     string           `json:"reason,omitempty"`
}

// Reprint reports whether the record is of a reprint.
func (r PrintRecord) Reprint() bool { return r.N > 1 }

// Values returns the print's layout variables: printNo, printSerial, printedAt.
func (r PrintRecord) Values() Values {
	return Values{
		VarPrintNo:     strconv.Itoa(r.N),
		VarPrintSerial: strconv.FormatUint(uint64(r.Serial), 10),
		VarPrintedAt:   r.At.In(wht93.CST).Format("2006-01-02 15:04"),
	}
}

// Print records a print of ticket t (an e-ticket printed as a paper ticket, 6.3.5,
// or a paper ticket printed at the box office) by the operator by at the instant
// at. The first print needs no reason; a reprint (after a print error, a jammed
// printer) needs one. The ticket must be live.
//
// Each print re-issues the ticket's code: the paper carries the new credential
// version as its serial, and every earlier code — the e-ticket's, the earlier
// paper's — is revoked, so the ticket keeps one live code (6.2.3) and only the
// latest paper is valid (6.2.2). It returns the updated ticket and the print
// record; on error, t unchanged.
func Print(t Ticket, by string, at time.Time, reason string) (Ticket, PrintRecord, error) {
	var vs wht93.Violations
	if err := t.CheckLive(at); err != nil {
		vs = append(vs, wht93.ViolationsOf(err)...)
	}
	vs = text{field: "by", value: by, max: maxBy}.check(vs)
	vs = text{field: "reason", value: reason, max: maxReason, optional: t.Prints == 0}.check(vs)
	v, err := t.bump()
	if err != nil {
		vs = append(vs, wht93.ViolationsOf(err)...)
	}
	if err := vs.Err(); err != nil {
		return t, PrintRecord{}, err
	}
	rec := PrintRecord{Ticket: t.Code, N: t.Prints + 1, Serial: v, Supersedes: t.PaperSerial, By: by, At: at, Reason: reason}
	t.Version, t.PaperSerial = v, v
	t.Prints++
	return t, rec, nil
}

// CheckPaper returns nil when the paper ticket of serial serial is the ticket's
// valid paper at now: the ticket is live and the serial is that of its latest
// print, not superseded by a reprint, a transfer or a re-issue.
func (t *Ticket) CheckPaper(serial uint32, now time.Time) error {
	if err := t.CheckLive(now); err != nil {
		return err
	}
	if serial == 0 || serial != t.PaperSerial || serial != t.Version {
		return ErrPaperSuperseded.At("serial", strconv.FormatUint(uint64(serial), 10))
	}
	return nil
}

// Printer prints tickets: it records the print, signs the paper's credential and
// renders the face with the session's layout, holders masked. A Printer is
// immutable and safe for concurrent use.
type Printer struct {
	signer  *Signer
	keyring *realname.Keyring
}

// NewPrinter returns a printer that signs with signer and decrypts holders with k
// to mask them (k may be nil when no ticket printed is real-name).
func NewPrinter(signer *Signer, k *realname.Keyring) (*Printer, error) {
	if signer == nil {
		return nil, ErrSigningKey.Atf("signer", "", "打印需要签名密钥", "printing needs a signer")
	}
	return &Printer{signer: signer, keyring: k}, nil
}

// PrintJob is one print request: the ticket's session, the platform information
// and notice of its face, the layout and paper size, the operator, the instant and,
// for a reprint, the reason. It is a plain value, safe for concurrent reads.
type PrintJob struct {
	Session  *session.Session
	Platform Platform
	Notice   Notice
	Layout   *Layout
	Size     string
	By       string
	At       time.Time
	Reason   string
}

// Printed is the result of a print: the record, the face printed, the paper's
// credential text (for its QR code), and the SVG of the face. It is a plain value, safe for concurrent reads.
type Printed struct {
	Record     PrintRecord
	Face       Face
	Credential string
	SVG        []byte
}

// Print prints ticket t as the job says: it records the print ([Print]), builds the
// face with the holder masked (clause 6.3.5: the name keeps the family name, the
// document number is partly hidden), signs the new credential (valid from the
// print until the show ends) and renders the layout with the face's and the
// print's variables and the credential. Nothing changes unless every step
// succeeds: on error it returns t unchanged.
func (p *Printer) Print(t Ticket, job PrintJob) (Ticket, Printed, error) {
	if job.Layout == nil {
		return t, Printed{}, ErrLayout.Atf("layout", "", "打印需要票面版式", "printing needs a layout")
	}
	nt, rec, err := Print(t, job.By, job.At, job.Reason)
	if err != nil {
		return t, Printed{}, err
	}
	var holder MaskedHolder
	if !nt.Holder.IsZero() {
		if holder, err = nt.Holder.Masked(p.keyring, nt.Code); err != nil {
			return t, Printed{}, err
		}
	}
	face, err := FaceOf(&nt, job.Session, job.Platform, job.Notice, holder)
	if err != nil {
		return t, Printed{}, err
	}
	cred, err := CredentialOf(&nt, job.At)
	if err != nil {
		return t, Printed{}, err
	}
	text, err := p.signer.Sign(cred)
	if err != nil {
		return t, Printed{}, err
	}
	svg, err := job.Layout.Render(job.Size, face.Values().With(rec.Values()).With(Values{VarCredential: text}))
	if err != nil {
		return t, Printed{}, err
	}
	return nt, Printed{Record: rec, Face: face, Credential: text, SVG: svg}, nil
}
