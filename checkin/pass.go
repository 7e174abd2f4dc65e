package checkin

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/ticket"
)

// Pass is what a gate knows of one ticket: the ticket record reduced to what
// entry needs — the code (and so the session), the management system's session
// id and price tier (for /report/checking), the real-name mode and the holder's
// blind index (for ID-card entry and 人票证合一), the status, the live credential
// version and paper serial, the end of validity, and the digest of the live
// credential text when the issuing side recorded it. It holds no personal data
// in the clear, not even encrypted: a LAN node's replica is a list of passes.
//
// A Pass is a plain, comparable value, safe for concurrent use.
type Pass struct {
	Ticket    codes.TicketCode
	SessionID string // Appendix A sessionId
	Tier      string // Appendix A priceId
	RealName  realname.Mode
	// Holder is the blind index of the real-name holder's document; zero for a
	// ticket without one.
	Holder realname.BlindIndex
	Status ticket.Status
	// Version is the ticket's current credential version: lower versions are
	// revoked (6.2.3). PaperSerial is the version the live paper carries, 0 when
	// there is none.
	Version     uint32
	PaperSerial uint32
	NotAfter    time.Time
	// CodeDigest is the SHA-256 digest of the ticket's live credential text
	// (ticket.CredentialDigest), as the side that issued it recorded it; zero
	// when unknown. A scanned code equal to it byte for byte skips the
	// signature check (ticket.Verifier.VerifyKnown), the cost of a decision:
	// the passes come from the online side, which is trusted to say which
	// tickets exist at all, and a code with the recorded digest is the code it
	// issued (making another text with the same SHA-256 digest is infeasible),
	// whose signature was checked when it was made. Everything else is checked
	// as for any code: its key id, validity, version, session, the ticket's
	// status, entries and holder. A different code — altered, forged, or
	// another genuine version — gets the full check. Set it with
	// [Pass.SetCredential] when the code is issued or re-issued.
	CodeDigest [sha256.Size]byte
}

// PassOf returns the pass of a ticket record. It cannot know the ticket's
// credential text: record it with [Pass.SetCredential].
func PassOf(t *ticket.Ticket) Pass {
	return Pass{
		Ticket: t.Code, SessionID: t.SessionID, Tier: t.Tier, RealName: t.RealName,
		Holder: t.Holder.Index, Status: t.Status, Version: t.Version, PaperSerial: t.PaperSerial,
		NotAfter: t.NotAfter,
	}
}

// SetCredential records the digest of text, the ticket's live credential as
// it was just issued or re-issued (a transfer, a reprint), in p.CodeDigest.
// The text must be a credential of p's ticket at p's version: it is decoded,
// not verified (the issuing side signed it). A bad text is an ErrPass
// violation and changes nothing.
func (p *Pass) SetCredential(text string) error {
	s, err := ticket.ParseCredential(text)
	switch {
	case err != nil:
		return ErrPass.Atf("credential", clip(text), "电子票凭证无法解读", "the credential does not decode")
	case s.Ticket != p.Ticket:
		return ErrPass.Atf("credential", clip(text), "电子票凭证属于另一张演出票 "+s.Ticket.String(), "the credential is of another ticket, "+s.Ticket.String())
	case s.Version != p.Version:
		v := strconv.FormatUint(uint64(s.Version), 10)
		return ErrPass.Atf("credential", clip(text), "电子票凭证为第 "+v+" 版，不是演出票的当前版本", "the credential is version "+v+", not the ticket's current one")
	}
	p.CodeDigest = ticket.CredentialDigest(text)
	return nil
}

// HasCodeDigest reports whether the pass records its credential's digest.
func (p *Pass) HasCodeDigest() bool { return p.CodeDigest != [sha256.Size]byte{} }

// HasHolder reports whether the pass names a real-name holder.
func (p *Pass) HasHolder() bool { return p.Holder != realname.BlindIndex{} }

// LiveVersion returns the lowest live credential version, as ticket.Liveness
// does: the current version for a valid ticket, 0 for a refunded or void one.
func (p *Pass) LiveVersion() uint32 {
	if p.Status != ticket.Valid {
		return 0
	}
	return p.Version
}

// Validate returns every violation of the pass, nil when none.
func (p *Pass) Validate() error {
	var vs wht93.Violations
	if p.Ticket.IsZero() {
		vs = append(vs, ErrPass.Atf("ticket", "", "缺少演出票编码", "ticket code is missing"))
	}
	if !textOK(p.SessionID, 0, 50) {
		vs = append(vs, ErrPass.Atf("sessionId", p.SessionID, "场次ID最多50个字符，不含控制字符", "session id is at most 50 characters without control characters"))
	}
	if !textOK(p.Tier, 0, 50) {
		vs = append(vs, ErrPass.Atf("tier", p.Tier, "票价ID最多50个字符，不含控制字符", "price id is at most 50 characters without control characters"))
	}
	if !p.RealName.Valid() {
		vs = append(vs, ErrPass.Atf("realName", strconv.Itoa(int(p.RealName)), "实名方式无效", "invalid real-name mode"))
	}
	if p.Status < ticket.Valid || p.Status > ticket.Void {
		vs = append(vs, ErrPass.Atf("status", strconv.Itoa(int(p.Status)), "演出票状态无效", "invalid ticket status"))
	}
	if p.Version == 0 {
		vs = append(vs, ErrPass.Atf("version", "0", "电子票凭证版本应从1开始", "credential version counts from 1"))
	}
	if p.PaperSerial > p.Version {
		vs = append(vs, ErrPass.Atf("paperSerial", strconv.FormatUint(uint64(p.PaperSerial), 10), "纸质票序号不能大于凭证版本", "paper serial is above the credential version"))
	}
	if p.NotAfter.IsZero() {
		vs = append(vs, ErrPass.Atf("notAfter", "", "缺少有效期截止时间", "end of validity is missing"))
	}
	return vs.Err()
}

// newer reports whether p should replace q of the same ticket in a replica:
// passes only move forward — a refund or a voiding is final, and a valid
// pass replaces another only with a version not below it — so that updates
// applied in any order leave the same pass. Of two valid passes of the same
// version and paper serial, one with a credential digest replaces one
// without, and of two digests (the version signed twice: both codes are
// genuine and live) the greater bytewise stays, so that replicas agree.
func (p *Pass) newer(q *Pass) bool {
	switch {
	case q.Status != ticket.Valid && p.Status != ticket.Valid:
		return p.Status > q.Status && p.Version >= q.Version // void after refund: keep the later word
	case q.Status != ticket.Valid:
		return false
	case p.Status != ticket.Valid:
		return true
	}
	switch {
	case p.Version != q.Version:
		return p.Version > q.Version
	case p.PaperSerial != q.PaperSerial:
		return p.PaperSerial > q.PaperSerial
	}
	return bytes.Compare(p.CodeDigest[:], q.CodeDigest[:]) > 0
}

// The formats of a pass's encoding: 1 without a credential digest, 2 with one.
const (
	passFormat       = 1
	passFormatDigest = 2
)

// MarshalBinary encodes the pass, compactly, for a replica's transport and
// storage: a format byte, the ticket code, session id and tier as strings,
// the real-name mode and status as bytes, the version and paper serial as
// uvarints, the end of validity in microseconds, a byte saying whether the
// 32-byte holder index follows, and, in format 2, the 32-byte credential
// digest. Strings are a uvarint length and UTF-8 bytes. A pass without a
// digest is written in format 1, as before format 2 existed, and one with a
// digest in format 2: one pass, one encoding. UnmarshalBinary reads both.
func (p Pass) MarshalBinary() ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p.appendBinary(make([]byte, 0, 128)), nil
}

func (p *Pass) appendBinary(b []byte) []byte {
	if p.HasCodeDigest() {
		b = append(b, passFormatDigest)
	} else {
		b = append(b, passFormat)
	}
	b = appendString(b, p.Ticket.String())
	b = appendString(b, p.SessionID)
	b = appendString(b, p.Tier)
	b = append(b, byte(p.RealName), byte(p.Status))
	b = binary.AppendUvarint(b, uint64(p.Version))
	b = binary.AppendUvarint(b, uint64(p.PaperSerial))
	b = binary.AppendVarint(b, p.NotAfter.UnixMicro())
	if p.HasHolder() {
		b = append(b, 1)
		b = append(b, p.Holder[:]...)
	} else {
		b = append(b, 0)
	}
	if p.HasCodeDigest() {
		b = append(b, p.CodeDigest[:]...)
	}
	return b
}

// UnmarshalBinary decodes what MarshalBinary encodes, strictly, and validates
// the pass. It never panics.
func (p *Pass) UnmarshalBinary(b []byte) error {
	d := decoder{b: b}
	q, err := d.pass()
	if err == nil {
		err = d.end()
	}
	if err != nil {
		return err
	}
	*p = q
	return nil
}

func (d *decoder) pass() (Pass, error) {
	var p Pass
	f := d.byte("format")
	if d.err == nil && f != passFormat && f != passFormatDigest {
		d.fail("format")
	}
	code := d.string("ticket")
	p.SessionID = d.string("sessionId")
	p.Tier = d.string("tier")
	p.RealName = realname.Mode(d.byte("realName"))
	p.Status = ticket.Status(d.byte("status"))
	v := d.uvarint("version")
	s := d.uvarint("paperSerial")
	at := d.varint("notAfter")
	switch h := d.byte("holder"); {
	case d.err != nil:
	case h == 1:
		copy(p.Holder[:], d.bytes(32, "holder"))
		if d.err == nil && !p.HasHolder() {
			d.fail("holder") // a zero index is written as absent: one pass, one encoding
		}
	case h != 0:
		d.fail("holder")
	}
	if f == passFormatDigest {
		copy(p.CodeDigest[:], d.bytes(sha256.Size, "codeDigest"))
		if d.err == nil && !p.HasCodeDigest() {
			d.fail("codeDigest") // a pass without a digest is written in format 1
		}
	}
	if d.err != nil {
		return Pass{}, d.err
	}
	if v > 1<<32-1 || s > 1<<32-1 {
		d.fail("version")
		return Pass{}, d.err
	}
	tc, err := decodeTicket(code)
	if err != nil {
		return Pass{}, err
	}
	p.Ticket, p.Version, p.PaperSerial = tc, uint32(v), uint32(s)
	p.NotAfter = time.UnixMicro(at).In(wht93.CST)
	if err := p.Validate(); err != nil {
		return Pass{}, err
	}
	return p, nil
}
