package ticket

import (
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/venue"
)

// Type is a ticket's type (出票类型, clause 3 and 6.2.1.2), numbered as Appendix A's
// ticketType: 1 sellable, 2 staff, 3 complimentary. A Type is a small value, safe
// for concurrent use.
type Type uint8

// The ticket types of the standard.
const (
	Sellable      Type = 1 // 可售票: sold to the public
	Staff         Type = 2 // 工作票: reserved for supervisors and staff, not sold
	Complimentary Type = 3 // 赠票: given free to partners, not sold
)

// Valid reports whether t is one of the three types.
func (t Type) Valid() bool { return t >= Sellable && t <= Complimentary }

// String returns "sellable", "staff" or "complimentary".
func (t Type) String() string {
	switch t {
	case Sellable:
		return "sellable"
	case Staff:
		return "staff"
	case Complimentary:
		return "complimentary"
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// Zh returns 可售票, 工作票 or 赠票.
func (t Type) Zh() string {
	switch t {
	case Sellable:
		return "可售票"
	case Staff:
		return "工作票"
	case Complimentary:
		return "赠票"
	}
	return t.String()
}

// Status is where a ticket is in its life. A ticket is issued Valid; a refund makes
// it Refunded, a cancellation (an issue in error, a cancelled session) Void. Both
// are final. Entries at the gate are counted by the check-in system, not here. A
// Status is a small value, safe for concurrent use.
type Status uint8

// The statuses of a ticket.
const (
	Valid    Status = 1 // 有效
	Refunded Status = 2 // 已退票
	Void     Status = 3 // 已作废
)

// String returns "valid", "refunded" or "void".
func (s Status) String() string {
	switch s {
	case Valid:
		return "valid"
	case Refunded:
		return "refunded"
	case Void:
		return "void"
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// Zh returns 有效, 已退票 or 已作废.
func (s Status) Zh() string {
	switch s {
	case Valid:
		return "有效"
	case Refunded:
		return "已退票"
	case Void:
		return "已作废"
	}
	return s.String()
}

// Method is how a ticket reaches its holder (履约服务, 7.1.3.5). A Method is a small
// value, safe for concurrent use.
type Method uint8

// The fulfilment methods.
const (
	// Electronic sends the e-ticket's credential to the buyer (in the app, by SMS).
	Electronic Method = 1
	// Pickup gives the buyer a voucher code (取票凭证) to collect the ticket at the
	// box office or a kiosk, where it is printed.
	Pickup Method = 2
	// Courier sends the paper ticket by courier (票券快递).
	Courier Method = 3
)

// String returns "electronic", "pickup" or "courier".
func (m Method) String() string {
	switch m {
	case Electronic:
		return "electronic"
	case Pickup:
		return "pickup"
	case Courier:
		return "courier"
	}
	return "Method(" + strconv.Itoa(int(m)) + ")"
}

// Zh returns 电子票, 取票凭证 or 快递.
func (m Method) Zh() string {
	switch m {
	case Electronic:
		return "电子票"
	case Pickup:
		return "取票凭证"
	case Courier:
		return "快递"
	}
	return m.String()
}

// Fulfilment is how a ticket is delivered and how far the delivery has gone. A
// Fulfilment is a plain value: safe for concurrent reads.
type Fulfilment struct {
	Method Method `json:"method"`
	// PickupCode is the voucher code (Pickup): 12 digits, shown to the buyer,
	// presented at the box office (see [Ticket.Collect]).
	PickupCode  string    `json:"pickupCode,omitempty"`
	CollectedAt time.Time `json:"collectedAt,omitzero"`
	// Courier is the recipient (Courier), encrypted.
	Courier   SealedAddress `json:"courier,omitzero"`
	Carrier   string        `json:"carrier,omitempty"`  // set by Ship
	Tracking  string        `json:"tracking,omitempty"` // set by Ship
	ShippedAt time.Time     `json:"shippedAt,omitzero"`
}

// Ticket is the record of one ticket (6.2.1.1: every ticket sold matches one
// record): its code, session, seat, tier and price, type and mode, real-name
// holder, fulfilment, status, and the serials that keep one live code per ticket —
// the credential version (bumped by each re-issue, print and transfer) and the
// paper serial (the credential version printed on the live paper ticket).
//
// Tickets are created by [Issuer.Issue] and changed by methods that return a new
// value (Print, Transfer, Reissue, Refund, Void, Collect, Ship); the host stores
// them. The fields are exported for storage (JSON tags given); [Ticket.Validate]
// checks a value read back. A Ticket is a plain value: safe for concurrent reads,
// not for concurrent mutation; copies share the holder's ciphertext slices, which
// are never modified in place.
type Ticket struct {
	Code      codes.TicketCode `json:"ticketCode"`
	SessionID string           `json:"sessionId"`
	OrderID   string           `json:"orderId,omitempty"`
	BuyerID   string           `json:"buyerId,omitempty"`
	// HolderID is the account the ticket was transferred to; empty while the
	// buyer holds it.
	HolderID string `json:"holderId,omitempty"`
	// Seat is the seat's location; the zero Location for an unseated session (无座).
	Seat  venue.Location     `json:"seat,omitzero"`
	Tier  string             `json:"tier"`
	Price wht93.Fen          `json:"price"`
	Type  Type               `json:"ticketType"`
	Mode  session.TicketMode `json:"ticketMode"`
	// RealName is the real-name mode the ticket was sold under.
	RealName   realname.Mode `json:"authMode"`
	Holder     SealedHolder  `json:"holder,omitzero"`
	Fulfilment Fulfilment    `json:"fulfilment"`

	Status   Status    `json:"status"`
	IssuedAt time.Time `json:"issuedAt"`
	// NotAfter is the end of the ticket's validity: the end of its session. From
	// then on it is not live and its credential no longer verifies (E.1.5 c).
	NotAfter time.Time `json:"notAfter"`
	// Version is the current credential version, from 1 (see [Credential]).
	Version uint32 `json:"version"`
	// Prints counts the prints; PaperSerial is the version the live paper carries
	// (0 when never printed, or when a later re-issue has voided the paper).
	Prints      int    `json:"prints,omitempty"`
	PaperSerial uint32 `json:"paperSerial,omitempty"`
	Transfers   int    `json:"transfers,omitempty"`
	// ClosedAt and Reason say when and why a ticket was refunded or voided.
	ClosedAt time.Time `json:"closedAt,omitzero"`
	Reason   string    `json:"reason,omitempty"`
}

// Session returns the ticket's session code (the first 21 digits of its code).
func (t *Ticket) Session() codes.SessionCode { return t.Code.Session() }

// Seated reports whether the ticket has a seat.
func (t *Ticket) Seated() bool { return t.Seat != venue.Location{} }

// Live reports whether the ticket is valid at now: neither refunded nor void, and
// before the end of its session.
func (t *Ticket) Live(now time.Time) bool { return t.Status == Valid && now.Before(t.NotAfter) }

// CheckLive returns nil when the ticket is live at now, and an ErrNotLive
// violation saying why not.
func (t *Ticket) CheckLive(now time.Time) error {
	switch {
	case t.Status != Valid:
		return ErrNotLive.Atf("status", t.Status.String(), "演出票"+t.Status.Zh(), "the ticket is "+t.Status.String())
	case now.IsZero():
		return ErrTime.At("at", "")
	case !now.Before(t.NotAfter):
		return ErrNotLive.Atf("notAfter", fmtTime(t.NotAfter), "演出已结束，演出票已失效", "the show has ended: the ticket is no longer valid")
	}
	return nil
}

// SeatLabel returns the seat as the face shows it, "一层 A区 3排 12号", or "无座".
func (t *Ticket) SeatLabel() string {
	if !t.Seated() {
		return Unseated
	}
	return t.Seat.String()
}

// Unseated is what a face shows in place of a seat for an unseated session
// (6.2.1.2: 无座类型应标明).
const Unseated = "无座"

// Sale is what the inventory's sale produced for one ticket: the seat (zero when
// unseated), the price tier and price, the ticket type and mode, the buyer and,
// for a real-name session, the holder; and how the ticket is to be delivered.
// A Sale is a plain value, safe for concurrent reads.
type Sale struct {
	OrderID string
	BuyerID string
	Seat    venue.Location
	Tier    string
	Price   wht93.Fen
	Type    Type
	Mode    session.TicketMode
	// Holder is the real-name holder: required under a real-name mode (under
	// 一单一证, the order's holder on every ticket), allowed otherwise.
	Holder realname.Holder
	// Delivery is the fulfilment method; Address the courier recipient (Courier).
	Delivery Method
	Address  Address
}

// Issuer issues tickets: it seals holders and courier addresses with the host's
// keyring and blind indexer, and draws pick-up codes from its random source.
// An Issuer is immutable and safe for concurrent use when its random source is
// (crypto/rand.Reader is).
type Issuer struct {
	keyring *realname.Keyring
	indexer *realname.BlindIndexer
	rand    io.Reader
}

// NewIssuer returns an issuer that encrypts personal data with k, indexes
// documents with ix and draws pick-up codes from rand (crypto/rand.Reader in
// production).
func NewIssuer(k *realname.Keyring, ix *realname.BlindIndexer, rand io.Reader) (*Issuer, error) {
	var vs wht93.Violations
	if k == nil {
		vs = append(vs, realname.ErrKey.Atf("keyring", "", "需要密钥环", "a keyring is required"))
	}
	if ix == nil {
		vs = append(vs, realname.ErrBlindIndexKey.Atf("indexer", "", "需要盲索引", "a blind indexer is required"))
	}
	if rand == nil {
		vs = append(vs, ErrText.Atf("rand", "", "需要随机数源", "a random source is required"))
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return &Issuer{keyring: k, indexer: ix, rand: rand}, nil
}

// Keyring returns the issuer's keyring.
func (is *Issuer) Keyring() *realname.Keyring { return is.keyring }

// Indexer returns the issuer's blind indexer.
func (is *Issuer) Indexer() *realname.BlindIndexer { return is.indexer }

// Issue returns the ticket of a sale in session s under the ticket code code
// (made with the codes package: codes.RandomTicketCode, codes.SeatTicketCode or
// codes.SequenceTicketCode of s.Code), issued at the instant at. The session must
// have its code, not be cancelled and not have ended; the seat must be whole for a
// seated session and absent for an unseated one; the mode one the session issues;
// a real-name session's ticket needs its holder. Every violation is returned at
// once, and then no ticket.
//
// The ticket starts Valid with credential version 1, valid until the session
// ends. Issue does not check the sale window or the inventory: the sale that
// produced the input did.
func (is *Issuer) Issue(s *session.Session, code codes.TicketCode, sale Sale, at time.Time) (Ticket, error) {
	var vs wht93.Violations
	switch {
	case s == nil:
		return Ticket{}, ErrSession.At("session", "")
	case s.Code.IsZero():
		vs = append(vs, ErrSession.Atf("sessionCode", "", "场次尚无场次编码", "the session has no session code yet"))
	case s.Cancelled:
		vs = append(vs, ErrSession.Atf("sessionStatus", s.ID, "场次已取消", "the session is cancelled"))
	}
	if at.IsZero() || !at.Before(s.End) {
		vs = append(vs, ErrSession.Atf("at", fmtTime(at), "出票时间缺失或场次已结束", "issue time is missing or the session has ended"))
	}
	switch {
	case code.IsZero():
		vs = append(vs, ErrCode.At("ticketCode", ""))
	case !s.Code.IsZero() && code.Session() != s.Code:
		vs = append(vs, ErrCode.Atf("ticketCode", code.String(), "演出票编码前21位应为场次编码 "+s.Code.String(), "the ticket code's first 21 digits must be the session code "+s.Code.String()))
	}
	vs = text{field: "sessionId", value: s.ID, max: maxID}.check(vs)
	vs = text{field: "orderId", value: sale.OrderID, max: maxID, optional: true}.check(vs)
	vs = text{field: "buyerId", value: sale.BuyerID, max: maxID, optional: true}.check(vs)
	vs = text{field: "tier", value: sale.Tier, max: maxID}.check(vs)
	vs = append(vs, checkSeat(s.Seated, sale.Seat)...)
	if sale.Price < 0 {
		vs = append(vs, ErrPrice.At("price", sale.Price.String()))
	}
	if !sale.Type.Valid() {
		vs = append(vs, ErrType.At("ticketType", strconv.Itoa(int(sale.Type))))
	}
	if (sale.Mode != session.Paper && sale.Mode != session.Electronic) || !s.TicketModes.Has(sale.Mode) {
		vs = append(vs, ErrMode.Atf("ticketMode", strconv.Itoa(int(sale.Mode)),
			"该场次发售的演出票种类为 "+s.TicketModes.String(), "the session issues "+s.TicketModes.String()))
	}
	if !s.RealName.Valid() {
		vs = append(vs, ErrHolder.Atf("authMode", strconv.Itoa(int(s.RealName)), "场次实名方式无效", "the session's real-name mode is invalid"))
	} else if s.RealName.RealName() && sale.Holder.IsZero() {
		vs = append(vs, ErrHolder.Atf("holder", "", "实名购票（"+s.RealName.Zh()+"）的演出票应有持票人", "a ticket sold under "+s.RealName.String()+" needs its holder"))
	}
	vs = append(vs, checkDelivery(sale.Delivery, sale.Mode, sale.Address)...)
	if err := vs.Err(); err != nil {
		return Ticket{}, err
	}

	t := Ticket{
		Code: code, SessionID: s.ID, OrderID: sale.OrderID, BuyerID: sale.BuyerID,
		Seat: sale.Seat, Tier: sale.Tier, Price: sale.Price, Type: sale.Type, Mode: sale.Mode,
		RealName: s.RealName, Status: Valid, IssuedAt: at, NotAfter: s.End, Version: 1,
		Fulfilment: Fulfilment{Method: sale.Delivery},
	}
	var err error
	if !sale.Holder.IsZero() {
		if t.Holder, err = Seal(is.keyring, is.indexer, code, sale.Holder); err != nil {
			return Ticket{}, err
		}
	}
	switch sale.Delivery {
	case Pickup:
		if t.Fulfilment.PickupCode, err = NewPickupCode(is.rand); err != nil {
			return Ticket{}, err
		}
	case Courier:
		if t.Fulfilment.Courier, err = sealAddress(is.keyring, code, sale.Address); err != nil {
			return Ticket{}, err
		}
	}
	return t, nil
}

func checkSeat(seated bool, l venue.Location) wht93.Violations {
	if !seated {
		if l != (venue.Location{}) {
			return wht93.Violations{ErrSeat.Atf("seat", l.String(), "无座场次的演出票不应有座位", "an unseated session's ticket has no seat")}
		}
		return nil
	}
	if l == (venue.Location{}) {
		return wht93.Violations{ErrSeat.Atf("seat", "", "有座场次的演出票应有座位", "a seated session's ticket needs its seat")}
	}
	if vs := l.Check(); len(vs) > 0 {
		return vs.In("seat")
	}
	return nil
}

func checkDelivery(m Method, mode session.TicketMode, a Address) wht93.Violations {
	switch m {
	case Electronic:
		if mode != session.Electronic {
			return wht93.Violations{ErrFulfilment.Atf("delivery", m.String(), "纸质票不能以电子票方式交付", "a paper ticket cannot be delivered electronically")}
		}
	case Pickup:
	case Courier:
		if mode != session.Paper {
			return wht93.Violations{ErrFulfilment.Atf("delivery", m.String(), "快递只适用于纸质票", "courier delivery is for paper tickets")}
		}
		return a.Check().In("address")
	default:
		return wht93.Violations{ErrFulfilment.At("delivery", strconv.Itoa(int(m)))}
	}
	if a != (Address{}) {
		return wht93.Violations{ErrFulfilment.Atf("address", a.String(), "只有快递需要收件地址", "only a courier delivery takes an address")}
	}
	return nil
}

// pickupDigits is the length of a pick-up code.
const pickupDigits = 12

// NewPickupCode returns a pick-up voucher code: 12 decimal digits (about 40
// bits) drawn uniformly from rand by rejection sampling. An error of rand is
// returned.
func NewPickupCode(rand io.Reader) (string, error) {
	const n = 1_000_000_000_000 // 10^12
	const limit = math.MaxUint64 - math.MaxUint64%n
	var b [8]byte
	for {
		if _, err := io.ReadFull(rand, b[:]); err != nil {
			return "", fmt.Errorf("ticket: pick-up code: %w", err)
		}
		if v := binary.BigEndian.Uint64(b[:]); v < limit {
			return fmt.Sprintf("%012d", v%n), nil
		}
	}
}

// Collect records the collection of a ticket delivered by Pickup, at the instant at,
// against the voucher code presented: it must be the ticket's (compared in
// constant time), the ticket live and not yet collected.
func (t Ticket) Collect(code string, at time.Time) (Ticket, error) {
	if err := t.CheckLive(at); err != nil {
		return t, err
	}
	f := t.Fulfilment
	if f.Method != Pickup || !f.CollectedAt.IsZero() || len(code) != pickupDigits ||
		subtle.ConstantTimeCompare([]byte(code), []byte(f.PickupCode)) != 1 {
		return t, ErrPickupCode.At("pickupCode", realname.MaskNumber(code))
	}
	t.Fulfilment.CollectedAt = at
	return t, nil
}

// Ship records the dispatch of a ticket delivered by Courier: the carrier and its
// tracking number, at the instant at.
func (t Ticket) Ship(carrier, tracking string, at time.Time) (Ticket, error) {
	var vs wht93.Violations
	if err := t.CheckLive(at); err != nil {
		return t, err
	}
	if t.Fulfilment.Method != Courier {
		vs = append(vs, ErrFulfilment.Atf("method", t.Fulfilment.Method.String(), "该演出票不以快递交付", "the ticket is not delivered by courier"))
	}
	vs = text{field: "carrier", value: carrier, max: maxBy}.check(vs)
	vs = text{field: "tracking", value: tracking, max: maxBy}.check(vs)
	if err := vs.Err(); err != nil {
		return t, err
	}
	t.Fulfilment.Carrier, t.Fulfilment.Tracking, t.Fulfilment.ShippedAt = carrier, tracking, at
	return t, nil
}

// bump returns the next credential version.
func (t *Ticket) bump() (uint32, error) {
	if t.Version == 0 || t.Version == math.MaxUint32 {
		return 0, ErrVersion.At("version", strconv.FormatUint(uint64(t.Version), 10))
	}
	return t.Version + 1, nil
}

// Reissue gives the ticket a new credential version (a lost phone, a code that
// leaked): the old credential and any paper printed with it are revoked, so that
// the ticket has one live code (6.2.3). The ticket must be live at the instant at.
// Print and Transfer re-issue by themselves.
func (t Ticket) Reissue(at time.Time) (Ticket, error) {
	if err := t.CheckLive(at); err != nil {
		return t, err
	}
	v, err := t.bump()
	if err != nil {
		return t, err
	}
	t.Version = v
	t.PaperSerial = 0
	return t, nil
}

// Refund marks the ticket refunded at the instant at, for reason: its credential
// and paper are void from then on (6.3.4). Only a valid ticket can be refunded; the
// refund rules (how late, what fee) are the refund package's.
func (t Ticket) Refund(at time.Time, reason string) (Ticket, error) {
	return t.close(Refunded, at, reason)
}

// Void cancels the ticket at the instant at, for reason (issued in error, the
// session cancelled): its credential and paper are void from then on.
func (t Ticket) Void(at time.Time, reason string) (Ticket, error) {
	return t.close(Void, at, reason)
}

func (t Ticket) close(s Status, at time.Time, reason string) (Ticket, error) {
	var vs wht93.Violations
	if t.Status != Valid {
		vs = append(vs, ErrNotLive.Atf("status", t.Status.String(), "演出票"+t.Status.Zh(), "the ticket is "+t.Status.String()))
	}
	if at.IsZero() {
		vs = append(vs, ErrTime.At("at", ""))
	}
	vs = text{field: "reason", value: reason, max: maxReason}.check(vs)
	if err := vs.Err(); err != nil {
		return t, err
	}
	t.Status, t.ClosedAt, t.Reason = s, at, reason
	return t, nil
}

// Validate checks a ticket record (for example one read back from storage) and
// returns every violation, nil when none.
func (t *Ticket) Validate() error {
	var vs wht93.Violations
	if t.Code.IsZero() {
		vs = append(vs, ErrCode.At("ticketCode", ""))
	}
	vs = text{field: "sessionId", value: t.SessionID, max: maxID}.check(vs)
	vs = text{field: "orderId", value: t.OrderID, max: maxID, optional: true}.check(vs)
	vs = text{field: "buyerId", value: t.BuyerID, max: maxID, optional: true}.check(vs)
	vs = text{field: "tier", value: t.Tier, max: maxID}.check(vs)
	if t.Seated() {
		vs = append(vs, checkSeat(true, t.Seat)...)
	}
	if t.Price < 0 {
		vs = append(vs, ErrPrice.At("price", t.Price.String()))
	}
	if !t.Type.Valid() {
		vs = append(vs, ErrType.At("ticketType", strconv.Itoa(int(t.Type))))
	}
	if t.Mode != session.Paper && t.Mode != session.Electronic {
		vs = append(vs, ErrMode.At("ticketMode", strconv.Itoa(int(t.Mode))))
	}
	if !t.RealName.Valid() {
		vs = append(vs, ErrHolder.Atf("authMode", strconv.Itoa(int(t.RealName)), "实名方式无效", "real-name mode is invalid"))
	} else if t.RealName.RealName() && t.Holder.IsZero() {
		vs = append(vs, ErrHolder.At("holder", ""))
	}
	if !t.Holder.IsZero() && (!t.Holder.DocType.Valid() || len(t.Holder.Name) == 0 || len(t.Holder.Number) == 0) {
		vs = append(vs, ErrHolder.Atf("holder", t.Holder.DocType.String(), "持票人记录不完整", "the holder record is incomplete"))
	}
	f := t.Fulfilment
	switch {
	case f.Method == Electronic && t.Mode != session.Electronic,
		f.Method == Courier && (t.Mode != session.Paper || f.Courier.IsZero()),
		f.Method == Pickup && len(f.PickupCode) != pickupDigits,
		f.Method < Electronic || f.Method > Courier:
		vs = append(vs, ErrFulfilment.At("fulfilment.method", f.Method.String()))
	}
	switch t.Status {
	case Valid:
	case Refunded, Void:
		if t.ClosedAt.IsZero() {
			vs = append(vs, ErrTime.At("closedAt", ""))
		}
	default:
		vs = append(vs, ErrStatus.At("status", strconv.Itoa(int(t.Status))))
	}
	if t.IssuedAt.IsZero() || !t.IssuedAt.Before(t.NotAfter) {
		vs = append(vs, ErrTime.Atf("notAfter", fmtTime(t.NotAfter), "有效期应晚于出票时间", "validity must end after the issue time"))
	}
	if t.Version == 0 || t.PaperSerial > t.Version {
		vs = append(vs, ErrVersion.At("version", strconv.FormatUint(uint64(t.Version), 10)))
	}
	if t.Prints < 0 || t.Transfers < 0 || (t.Prints == 0 && t.PaperSerial != 0) {
		vs = append(vs, ErrVersion.Atf("prints", strconv.Itoa(t.Prints), "打印次数无效", "print count is invalid"))
	}
	return vs.Err()
}
