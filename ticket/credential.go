package ticket

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strconv"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
)

// The e-ticket credential (6.2.3, E.1.5) is the text a QR code carries:
//
//	WT1.<base64url without padding of: body ‖ signature>
//
// body, a fixed layout (integers big-endian):
//
//	offset  size  field
//	0       1     format, 1
//	1       1     k, the key id's length, 1–32
//	2       k     key id: ASCII letters, digits, '.', '_', '-'
//	2+k     1     n, the ticket code's length, 22–50
//	3+k     n     ticket code (6.1.5): the session code (21 digits) and the id
//	3+k+n   4     version, from 1 (the credential serial)
//	7+k+n   8     not before, Unix seconds (signed)
//	15+k+n  8     not after, Unix seconds (signed); after the show it has passed
//
// signature: 64 bytes, Ed25519 (RFC 8032, crypto/ed25519) over
// "wht93/ticket-credential/v1" ‖ 0x00 ‖ body, under the key named by the key id.
//
// The session code is the first 21 digits of the ticket code and is not repeated.
// A credential of a 48-byte ticket code and a 6-character key id is 149 bytes,
// 203 characters of text: byte-mode QR version 10 at error-correction level M.
// Decoding is strict, so that one text decodes to one credential and re-encodes to
// the same text: the prefix exactly; the URL-safe base64 alphabet only (no padding,
// no line breaks, zero trailing bits); every length within its bounds; the ticket
// code in canonical form; not before earlier than not after; nothing after the
// signature.
const (
	// CredentialPrefix starts every credential text: the scheme and its format.
	CredentialPrefix = "WT1."
	credentialFormat = 1
	credentialDomain = "wht93/ticket-credential/v1\x00"
	maxKeyID         = 32
	fixedBody        = 1 + 1 + 1 + 4 + 8 + 8
	maxBody          = fixedBody + maxKeyID + codes.MaxTicketLen
	// MaxCredentialLen is the longest credential text, in bytes.
	MaxCredentialLen = len(CredentialPrefix) + (maxBody+ed25519.SignatureSize)*4/3 + 1
)

var b64 = base64.RawURLEncoding.Strict()

// The rules of credentials. A gate's verifier rejects a credential with a
// violation of exactly one of them (test with errors.Is).
var (
	// ErrCredentialFormat is the rule that a credential text has the format above.
	ErrCredentialFormat = wht93.NewRule("ticket.credential.format", "电子票凭证格式错误", "malformed e-ticket credential")
	// ErrCredentialKey is the rule that a credential names a key the verifier holds.
	ErrCredentialKey = wht93.NewRule("ticket.credential.key", "电子票凭证的签名密钥未知", "e-ticket credential signed with an unknown key")
	// ErrCredentialSignature is the rule that a credential's signature verifies:
	// it fails for any change to the text and for a forged one.
	ErrCredentialSignature = wht93.NewRule("ticket.credential.signature", "电子票凭证签名无效：已被篡改或伪造", "e-ticket credential signature is invalid: altered or forged")
	// ErrCredentialNotYet is the rule that a credential is used from its not-before
	// instant.
	ErrCredentialNotYet = wht93.NewRule("ticket.credential.not_yet", "电子票凭证尚未生效", "e-ticket credential is not valid yet")
	// ErrCredentialExpired is the rule that a credential is used before its
	// not-after instant, the end of the show (E.1.5 c).
	ErrCredentialExpired = wht93.NewRule("ticket.credential.expired", "电子票凭证已失效（演出已结束）", "e-ticket credential has expired (the show has ended)")
	// ErrCredentialRevoked is the rule that a credential is the ticket's live one:
	// not superseded by a re-issue (transfer, reprint) and not of a refunded or
	// void ticket.
	ErrCredentialRevoked = wht93.NewRule("ticket.credential.revoked", "电子票凭证已作废（已重新出码、退票或作废）", "e-ticket credential is revoked (re-issued, refunded or void)")
	// ErrCredentialInput is the rule that a credential to sign has a ticket code, a
	// version from 1, and a validity whose start is before its end.
	ErrCredentialInput = wht93.NewRule("ticket.credential.input", "待签发的电子票凭证信息不完整", "the credential to sign is incomplete")
	// ErrSigningKey is the rule that a signing or verifying key is an Ed25519 key
	// under a key id of 1 to 32 ASCII letters, digits, '.', '_' and '-'.
	ErrSigningKey = wht93.NewRule("ticket.credential.signing_key", "签名密钥或密钥标识无效", "invalid signing key or key id")
)

// Credential is what an e-ticket's QR code says: which ticket (and so which
// session), which version of its code, when it is valid, and which key signed it.
// One ticket has one live credential: each re-issue bumps the version and revokes
// the ones before (see [RevocationSet]). Times are whole seconds.
//
// A Credential is a plain, comparable value, safe for concurrent use.
type Credential struct {
	Ticket    codes.TicketCode
	Version   uint32
	NotBefore time.Time
	NotAfter  time.Time
	KeyID     string // the signer's key id; set by Sign and by decoding
}

// Session returns the session code the credential is for.
func (c Credential) Session() codes.SessionCode { return c.Ticket.Session() }

// CredentialOf returns the credential of ticket t's current version, valid from
// notBefore (the issue, or the doors opening) until the ticket's validity ends
// (the end of its session). The ticket must be valid.
func CredentialOf(t *Ticket, notBefore time.Time) (Credential, error) {
	if t.Status != Valid {
		return Credential{}, ErrNotLive.Atf("status", t.Status.String(), "演出票"+t.Status.Zh(), "the ticket is "+t.Status.String())
	}
	c := Credential{Ticket: t.Code, Version: t.Version, NotBefore: notBefore, NotAfter: t.NotAfter}
	if err := c.check(); err != nil {
		return Credential{}, err
	}
	return c, nil
}

// check returns the violations of a credential to sign.
func (c Credential) check() error {
	var vs wht93.Violations
	if c.Ticket.IsZero() {
		vs = append(vs, ErrCredentialInput.At("ticketCode", ""))
	}
	if c.Version == 0 {
		vs = append(vs, ErrCredentialInput.At("version", "0"))
	}
	if c.NotBefore.IsZero() || c.NotAfter.IsZero() || c.NotBefore.Unix() >= c.NotAfter.Unix() {
		vs = append(vs, ErrCredentialInput.Atf("notAfter", fmtTime(c.NotAfter),
			"有效期应有起止时间且开始早于结束（按秒计）", "validity needs a start before its end, in whole seconds"))
	}
	return vs.Err()
}

// appendBody appends the body of c under key id to dst.
func (c Credential) appendBody(dst []byte) []byte {
	code := c.Ticket.String()
	dst = append(dst, credentialFormat, byte(len(c.KeyID)))
	dst = append(dst, c.KeyID...)
	dst = append(dst, byte(len(code)))
	dst = append(dst, code...)
	dst = binary.BigEndian.AppendUint32(dst, c.Version)
	dst = binary.BigEndian.AppendUint64(dst, uint64(c.NotBefore.Unix()))
	dst = binary.BigEndian.AppendUint64(dst, uint64(c.NotAfter.Unix()))
	return dst
}

// encode returns the text of body ‖ sig.
func encode(body, sig []byte) string {
	raw := make([]byte, 0, len(body)+len(sig))
	raw = append(append(raw, body...), sig...)
	out := make([]byte, len(CredentialPrefix)+b64.EncodedLen(len(raw)))
	copy(out, CredentialPrefix)
	b64.Encode(out[len(CredentialPrefix):], raw)
	return string(out)
}

// Signed is a decoded credential with its signature, not yet verified: what
// [ParseCredential] returns for inspection (a support desk reading a customer's
// code). Only a [Verifier] says whether it is genuine. A Signed is a plain value, safe for concurrent reads.
type Signed struct {
	Credential
	Signature [ed25519.SignatureSize]byte
}

// String encodes the credential and its signature as credential text. For a
// Signed returned by ParseCredential it is the text parsed.
func (s Signed) String() string {
	var buf [maxBody]byte
	return encode(s.appendBody(buf[:0]), s.Signature[:])
}

// ParseCredential decodes a credential text without verifying its signature, or
// returns an ErrCredentialFormat violation. It never panics, whatever the input.
func ParseCredential(text string) (Signed, error) {
	var buf [maxBody + ed25519.SignatureSize]byte
	c, body, err := decode(text, &buf)
	if err != nil {
		return Signed{}, err
	}
	c.KeyID = string(bodyKeyID(body))
	s := Signed{Credential: c}
	copy(s.Signature[:], buf[len(body):])
	return s, nil
}

func formatErr(text, zh, en string) error {
	return ErrCredentialFormat.Atf("credential", shown(text, nil), "电子票凭证格式错误："+zh, "malformed e-ticket credential: "+en)
}

// decode parses text into buf and returns the credential without its KeyID (see
// bodyKeyID), the body and the error. The signature is buf[len(body):][:64].
func decode(text string, buf *[maxBody + ed25519.SignatureSize]byte) (Credential, []byte, error) {
	if len(text) > MaxCredentialLen {
		return Credential{}, nil, formatErr(text, "过长", "too long")
	}
	if len(text) < len(CredentialPrefix) || text[:len(CredentialPrefix)] != CredentialPrefix {
		return Credential{}, nil, formatErr(text, "前缀应为 "+CredentialPrefix, "must begin with "+CredentialPrefix)
	}
	enc := text[len(CredentialPrefix):]
	for i := 0; i < len(enc); i++ {
		ch := enc[i]
		if !('A' <= ch && ch <= 'Z' || 'a' <= ch && ch <= 'z' || '0' <= ch && ch <= '9' || ch == '-' || ch == '_') {
			return Credential{}, nil, formatErr(text, "含有 base64url 以外的字符", "has a character outside base64url")
		}
	}
	if b64.DecodedLen(len(enc)) > len(buf) {
		return Credential{}, nil, formatErr(text, "过长", "too long")
	}
	n, err := b64.Decode(buf[:], []byte(enc))
	if err != nil {
		return Credential{}, nil, formatErr(text, "base64url 解码失败", "base64url does not decode")
	}
	raw := buf[:n]
	if len(raw) < fixedBody+1+22+ed25519.SignatureSize || raw[0] != credentialFormat {
		return Credential{}, nil, formatErr(text, "版本或长度不符", "wrong format or length")
	}
	k := int(raw[1])
	if k < 1 || k > maxKeyID || 2+k >= len(raw) || !validKeyIDBytes(raw[2:2+k]) {
		return Credential{}, nil, formatErr(text, "密钥标识无效", "bad key id")
	}
	p := 2 + k
	l := int(raw[p])
	p++
	if l < 22 || l > codes.MaxTicketLen || len(raw) != p+l+4+8+8+ed25519.SignatureSize {
		return Credential{}, nil, formatErr(text, "演出票编码长度或总长度不符", "wrong ticket code or total length")
	}
	codeBytes := raw[p : p+l]
	p += l
	c := Credential{Version: binary.BigEndian.Uint32(raw[p:])}
	nb := int64(binary.BigEndian.Uint64(raw[p+4:]))
	na := int64(binary.BigEndian.Uint64(raw[p+12:]))
	p += 20
	if c.Version == 0 || nb >= na {
		return Credential{}, nil, formatErr(text, "版本为0或有效期无效", "version 0 or bad validity")
	}
	code, err := codes.ParseTicketCode(string(codeBytes))
	if err != nil || code.String() != string(codeBytes) {
		return Credential{}, nil, formatErr(text, "演出票编码无效", "bad ticket code")
	}
	c.Ticket = code
	c.NotBefore = time.Unix(nb, 0).In(wht93.CST)
	c.NotAfter = time.Unix(na, 0).In(wht93.CST)
	return c, raw[:p], nil
}

// bodyKeyID returns the key id of a decoded body.
func bodyKeyID(body []byte) []byte { return body[2 : 2+int(body[1])] }

func validKeyIDBytes(b []byte) bool {
	for _, ch := range b {
		if !('A' <= ch && ch <= 'Z' || 'a' <= ch && ch <= 'z' || '0' <= ch && ch <= '9' || ch == '-' || ch == '_' || ch == '.') {
			return false
		}
	}
	return true
}

func validKeyID(id string) bool {
	return len(id) >= 1 && len(id) <= maxKeyID && validKeyIDBytes([]byte(id))
}

// Signer signs credentials with one Ed25519 private key under its key id. Gates
// hold only the public key (Signer.PublicKey) under the same id. Key rotation: sign
// with a new Signer under a new id, and give the gates both public keys until the
// old credentials have expired.
//
// A Signer is immutable and safe for concurrent use. Ed25519 signing is
// deterministic: no random source is needed.
type Signer struct {
	keyID string
	key   ed25519.PrivateKey
}

// NewSigner returns a signer under keyID (1 to 32 ASCII letters, digits, '.', '_',
// '-'; it is written into every credential, so it is not secret) with the private
// key (ed25519.GenerateKey, or ed25519.NewKeyFromSeed from the host's secret
// store). The key is copied.
func NewSigner(keyID string, key ed25519.PrivateKey) (*Signer, error) {
	var vs wht93.Violations
	if !validKeyID(keyID) {
		vs = append(vs, ErrSigningKey.At("keyId", shown(keyID, nil)))
	}
	if len(key) != ed25519.PrivateKeySize {
		vs = append(vs, ErrSigningKey.Atf("key", strconv.Itoa(len(key)), "Ed25519 私钥应为64字节", "an Ed25519 private key has 64 bytes"))
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return &Signer{keyID: keyID, key: append(ed25519.PrivateKey(nil), key...)}, nil
}

// KeyID returns the signer's key id.
func (s *Signer) KeyID() string { return s.keyID }

// PublicKey returns the public key gates verify with.
func (s *Signer) PublicKey() ed25519.PublicKey {
	return append(ed25519.PublicKey(nil), s.key.Public().(ed25519.PublicKey)...)
}

// Sign returns the credential text of c, signed under the signer's key id (c's own
// KeyID is ignored). Times are truncated to whole seconds. c needs a ticket code,
// a version from 1 and a validity whose start is before its end.
func (s *Signer) Sign(c Credential) (string, error) {
	if err := c.check(); err != nil {
		return "", err
	}
	c.KeyID = s.keyID
	var buf [len(credentialDomain) + maxBody]byte
	msg := c.appendBody(append(buf[:0], credentialDomain...))
	sig := ed25519.Sign(s.key, msg)
	return encode(msg[len(credentialDomain):], sig), nil
}

// Verifier checks credentials offline, as a gate does: it holds only public keys,
// each under its key id. A Verifier is immutable and safe for concurrent use.
type Verifier struct {
	keys map[string]verifyKey
}

type verifyKey struct {
	id  string
	pub ed25519.PublicKey
}

// NewVerifier returns a verifier with the public keys under their key ids. The
// keys are copied.
func NewVerifier(keys map[string]ed25519.PublicKey) (*Verifier, error) {
	var vs wht93.Violations
	v := &Verifier{keys: make(map[string]verifyKey, len(keys))}
	for id, pub := range keys {
		switch {
		case !validKeyID(id):
			vs = append(vs, ErrSigningKey.At("keys", shown(id, nil)))
		case len(pub) != ed25519.PublicKeySize:
			vs = append(vs, ErrSigningKey.Atf("keys["+id+"]", strconv.Itoa(len(pub)), "Ed25519 公钥应为32字节", "an Ed25519 public key has 32 bytes"))
		default:
			v.keys[id] = verifyKey{id: id, pub: append(ed25519.PublicKey(nil), pub...)}
		}
	}
	if len(keys) == 0 {
		vs = append(vs, ErrSigningKey.Atf("keys", "", "至少需要一个公钥", "at least one public key is required"))
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return v, nil
}

// Liveness is what a gate knows of re-issued and cancelled credentials.
// [RevocationSet] implements it; a host may implement it on its own store. A
// Verifier shared between goroutines calls LiveVersion concurrently: an
// implementation must allow that.
type Liveness interface {
	// LiveVersion returns the lowest credential version of the ticket that is still
	// live — lower versions are revoked — and true; 0 and true when every version
	// is revoked (the ticket is refunded or void); false when nothing is known of
	// the ticket, in which case any version that verifies is accepted.
	LiveVersion(ticket codes.TicketCode) (min uint32, known bool)
}

// Verify checks a credential text at the instant now, offline: its format, its key,
// its signature, its validity (from not before, until not after: after the show
// the credential no longer verifies, E.1.5 c) and, when live is not nil, that it
// is not revoked. It returns the credential, or a violation of exactly one of
// ErrCredentialFormat, ErrCredentialKey, ErrCredentialSignature,
// ErrCredentialNotYet, ErrCredentialExpired and ErrCredentialRevoked, checked in
// that order.
func (v *Verifier) Verify(text string, now time.Time, live Liveness) (Credential, error) {
	return v.verify(text, now, live, nil)
}

// CredentialDigest returns the SHA-256 digest of a credential text, byte for
// byte: what the issuing side records of the text it issued, for
// [Verifier.VerifyKnown]. It is not secret, and it does not check the text. A
// text of at most MaxCredentialLen bytes (every credential) is hashed without
// allocating.
func CredentialDigest(text string) [sha256.Size]byte {
	if len(text) > MaxCredentialLen {
		return sha256.Sum256([]byte(text))
	}
	var b [MaxCredentialLen]byte
	return sha256.Sum256(b[:copy(b[:], text)])
}

// VerifyKnown is Verify for a text whose digest the caller was given by the
// side that issued it: when digest is not zero and is [CredentialDigest] of
// text, the text is byte for byte the credential that side signed and
// recorded, so its signature was checked when it was made, and VerifyKnown
// skips the Ed25519 check — the cost of a verification. Every other check is
// Verify's, in the same order and with the same violations: the format, the
// key id (a verifier that no longer holds the key id refuses even a recorded
// text, as Verify does), the validity and the revocation. Otherwise (a zero
// digest, or another text's) it is Verify.
//
// It is sound as long as the digest comes from where the caller trusts to
// say which credentials were issued at all (a gate's replica of the online
// side's passes): a text that hashes to a recorded digest is that recorded
// text, since making another text with the same SHA-256 digest is infeasible;
// an altered or forged text has another digest and gets the full check. For a
// recorded text it returns what Verify returns, except that a signature that
// would not verify under the key the verifier holds for its key id is not
// noticed: rotate keys under new key ids, never by replacing a key under an
// id.
func (v *Verifier) VerifyKnown(text string, now time.Time, live Liveness, digest [sha256.Size]byte) (Credential, error) {
	return v.verify(text, now, live, func(codes.TicketCode) [sha256.Size]byte { return digest })
}

// VerifyRecorded is VerifyKnown for a caller that keeps the recorded digests
// by ticket: recorded is called once, with the ticket code the text decodes
// to (after the format and the key id are checked), and returns that ticket's
// recorded digest, zero when none. The text is decoded once.
func (v *Verifier) VerifyRecorded(text string, now time.Time, live Liveness, recorded func(codes.TicketCode) [sha256.Size]byte) (Credential, error) {
	return v.verify(text, now, live, recorded)
}

// verify is Verify, without the signature check when recorded (nil: none)
// gives the digest of text for its ticket.
func (v *Verifier) verify(text string, now time.Time, live Liveness, recorded func(codes.TicketCode) [sha256.Size]byte) (Credential, error) {
	var buf [len(credentialDomain) + maxBody + ed25519.SignatureSize]byte
	raw := (*[maxBody + ed25519.SignatureSize]byte)(buf[len(credentialDomain):])
	c, body, err := decode(text, raw)
	if err != nil {
		return Credential{}, err
	}
	k, ok := v.keys[string(bodyKeyID(body))] // no allocation
	if !ok {
		return Credential{}, ErrCredentialKey.At("keyId", string(bodyKeyID(body)))
	}
	c.KeyID = k.id
	var digest [sha256.Size]byte
	if recorded != nil {
		digest = recorded(c.Ticket)
	}
	if digest == ([sha256.Size]byte{}) || CredentialDigest(text) != digest {
		copy(buf[:], credentialDomain)
		msg := buf[:len(credentialDomain)+len(body)]
		if !ed25519.Verify(k.pub, msg, buf[len(msg):len(msg)+ed25519.SignatureSize]) {
			return Credential{}, ErrCredentialSignature.At("signature", c.Ticket.String())
		}
	}
	switch {
	case now.Unix() < c.NotBefore.Unix():
		return Credential{}, ErrCredentialNotYet.Atf("notBefore", fmtTime(c.NotBefore),
			"电子票凭证自 "+fmtTime(c.NotBefore)+" 起生效", "the credential is valid from "+fmtTime(c.NotBefore))
	case now.Unix() >= c.NotAfter.Unix():
		return Credential{}, ErrCredentialExpired.Atf("notAfter", fmtTime(c.NotAfter),
			"电子票凭证已于 "+fmtTime(c.NotAfter)+" 失效（演出已结束）", "the credential expired at "+fmtTime(c.NotAfter)+" (the show has ended)")
	}
	if live != nil {
		if min, known := live.LiveVersion(c.Ticket); known && (min == 0 || c.Version < min) {
			if min == 0 {
				return Credential{}, ErrCredentialRevoked.Atf("ticketCode", c.Ticket.String(),
					"演出票已退票或作废，电子票凭证无效", "the ticket is refunded or void: the credential is revoked")
			}
			return Credential{}, ErrCredentialRevoked.Atf("version", strconv.FormatUint(uint64(c.Version), 10),
				"电子票凭证已被第 "+strconv.FormatUint(uint64(min), 10)+" 版取代", "the credential is superseded by version "+strconv.FormatUint(uint64(min), 10))
		}
	}
	return c, nil
}

// RevocationSet is the revocation list a gate holds: for each ticket, the lowest
// live credential version, or that the ticket is cancelled. It only grows: a
// revocation is never undone, and an older update applied after a newer one
// changes nothing (updates commute), so that gates may receive them in any order.
//
// A RevocationSet is safe for concurrent reads (LiveVersion, Len); updates need
// exclusive access (guard it with a sync.RWMutex, or update a copy and swap it in
// with an atomic.Pointer). The zero value is an empty set ready to use.
type RevocationSet struct {
	min map[codes.TicketCode]uint32 // 0: cancelled
}

// Supersede revokes every version of the ticket's credential below version.
func (r *RevocationSet) Supersede(ticket codes.TicketCode, version uint32) {
	if r.min == nil {
		r.min = make(map[codes.TicketCode]uint32)
	}
	if cur, ok := r.min[ticket]; ok && (cur == 0 || cur >= version) {
		return
	}
	r.min[ticket] = version
}

// Cancel revokes every version of the ticket's credential (refunded, void).
func (r *RevocationSet) Cancel(ticket codes.TicketCode) {
	if r.min == nil {
		r.min = make(map[codes.TicketCode]uint32)
	}
	r.min[ticket] = 0
}

// Apply updates the set from a ticket record: a ticket that is not valid is
// cancelled, a valid one has every version below its current one revoked.
func (r *RevocationSet) Apply(t *Ticket) {
	if t.Status != Valid {
		r.Cancel(t.Code)
		return
	}
	if t.Version > 1 {
		r.Supersede(t.Code, t.Version)
	}
}

// LiveVersion implements [Liveness].
func (r *RevocationSet) LiveVersion(ticket codes.TicketCode) (uint32, bool) {
	v, ok := r.min[ticket]
	return v, ok
}

// Len returns the number of tickets in the set.
func (r *RevocationSet) Len() int { return len(r.min) }
