package checkin

import (
	"strconv"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/ticket"
)

// Scan is what a gate's device reads and sends for a decision: the method,
// the code read (QR, paper, RFID) or the blind index of the document read (ID
// card), for 人票证合一 the holder's document presented with the code and
// whether the device matched the person to it, and which gate, device and
// instant. ID is the device's id for this scan (a UUID, say): a device that
// retries a scan after a lost answer sends the same id and gets the same
// answer, counted once.
//
// The document itself never travels: the device (or the node it talks to)
// indexes it with the host's realname.BlindIndexer and sends the index
// (see [IDScan]). A Scan is a plain value.
type Scan struct {
	ID         string
	Method     Method
	Credential string              // QR, Paper, RFID: the credential text read
	Holder     realname.BlindIndex // IDCard: the document read; with a code, the document presented with it
	// FaceMatched says the device matched the person at the gate to the
	// document (人证核验: a face match against the card's photo).
	FaceMatched bool
	Gate        string
	Device      string
	At          time.Time
}

// IDScan returns the blind index of the document read from an identity card,
// for Scan.Holder: the document's number stays on the device.
func IDScan(ix *realname.BlindIndexer, doc realname.Document) realname.BlindIndex {
	return ix.Index(doc)
}

// HasHolder reports whether the scan carries a document's blind index.
func (s *Scan) HasHolder() bool { return s.Holder != realname.BlindIndex{} }

// Validate returns every violation of the scan: an id, a known method, the
// code or the document its method reads, a gate and a device, an instant.
func (s *Scan) Validate() error {
	var vs wht93.Violations
	if !idOK(s.ID) {
		vs = append(vs, ErrScan.Atf("id", s.ID, "检票请求ID应为1至64个字母、数字或 . _ : -", "scan id must be 1 to 64 letters, digits, '.', '_', ':' or '-'"))
	}
	switch {
	case !s.Method.Valid():
		vs = append(vs, ErrScan.Atf("method", strconv.Itoa(int(s.Method)), "检票方式无效", "invalid method"))
	case s.Method.ReadsCredential() && s.Credential == "":
		vs = append(vs, ErrScan.Atf("credential", "", "未读到票码", "no code was read"))
	case s.Method.ReadsCredential() && len(s.Credential) > ticket.MaxCredentialLen:
		vs = append(vs, ErrScan.Atf("credential", strconv.Itoa(len(s.Credential))+" bytes", "票码过长", "the code read is too long"))
	case s.Method == IDCard && !s.HasHolder():
		vs = append(vs, ErrScan.Atf("holder", "", "未读到证件", "no document was read"))
	case s.Method == IDCard && s.Credential != "":
		vs = append(vs, ErrScan.Atf("credential", "…", "证件检票不应同时带有票码", "an ID-card scan carries no code"))
	}
	if !textOK(s.Gate, 1, MaxNameLen) {
		vs = append(vs, ErrScan.Atf("gate", s.Gate, "检票口名称应为1至64个字符", "gate name must be 1 to 64 characters"))
	}
	if !textOK(s.Device, 1, MaxNameLen) {
		vs = append(vs, ErrScan.Atf("device", s.Device, "设备名称应为1至64个字符", "device name must be 1 to 64 characters"))
	}
	if s.At.IsZero() || s.At.Year() < 2000 || s.At.Year() > 9999 {
		vs = append(vs, ErrScan.Atf("at", s.At.Format(time.RFC3339), "检票时间缺失或超出范围", "scan time is missing or out of range"))
	}
	return vs.Err()
}
