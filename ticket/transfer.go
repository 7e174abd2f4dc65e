package ticket

import (
	"strconv"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
)

// ErrConfirmation is the rule of real-name transfer (6.3.3.2, E.2.4 d) that the
// recipient's identity is confirmed before the holder changes: a confirmation of
// the recipient's document, by a named method with the host's reference, made no
// later than the transfer and at most MaxConfirmationAge before it.
var ErrConfirmation = wht93.NewRule("ticket.transfer.confirmation", "受让人未完成实名认证，或认证信息与其证件不符、已过期", "the recipient's identity is not confirmed, or the confirmation is of another document or stale")

// MaxConfirmationAge is how long an identity confirmation stays usable for a
// transfer.
const MaxConfirmationAge = 30 * time.Minute

// Confirmation is the outcome of the host's identity verification of a recipient
// (实名认证: a face match, a check against the ID card authority): which document
// it confirmed (its blind index, BlindIndexer.Index of the document verified), how,
// the host's reference for the check, and when. The SDK does not verify identities;
// it requires that the host did, for this document, recently. A Confirmation is a
// plain value, safe for concurrent reads.
type Confirmation struct {
	Index     realname.BlindIndex
	Method    string // "face", "id-authority", "bank-card" …
	Reference string // the host's id of the verification
	At        time.Time
}

// TransferRequest asks to transfer a ticket (实名转让, 6.3.3.2; 转赠, E.2.4). It is a
// plain value, safe for concurrent reads.
type TransferRequest struct {
	// Recipient is the new holder: required for a real-name ticket, validated
	// (realname.Validate), not the current holder.
	Recipient realname.Holder
	// Confirmation is the host's confirmation of the recipient's identity: required
	// for a real-name ticket.
	Confirmation Confirmation
	// ToAccount is the recipient's account: required for a ticket that is not
	// real-name, optional otherwise.
	ToAccount string
	// Held is how many live tickets the recipient's document already holds in the
	// scope of Limits, counted by the caller in the step that records the
	// transfer; Limits are the limits of that scope (the session's, or a policy's).
	// The recipient may hold at most Limits.PerID with this ticket.
	Held   int
	Limits session.Limits
	By     string // the operator or the account that transfers
	At     time.Time
}

// TransferRecord is the record of a transfer: the ticket, the how-manieth transfer,
// the holders before and after (masked, with their blind indexes for look-ups), the
// accounts, the identity confirmation, the credential versions, who and when. It
// holds no personal data in the clear. A TransferRecord is a plain value, safe for concurrent reads.
type TransferRecord struct {
	Ticket      codes.TicketCode    `json:"ticketCode"`
	N           int                 `json:"n"`
	From        MaskedHolder        `json:"from,omitzero"`
	To          MaskedHolder        `json:"to,omitzero"`
	FromIndex   realname.BlindIndex `json:"fromIndex,omitzero"`
	ToIndex     realname.BlindIndex `json:"toIndex,omitzero"`
	FromAccount string              `json:"fromAccount,omitempty"`
	ToAccount   string              `json:"toAccount,omitempty"`
	Method      string              `json:"method,omitempty"`    // of the confirmation
	Reference   string              `json:"reference,omitempty"` // of the confirmation
	ConfirmedAt time.Time           `json:"confirmedAt,omitzero"`
	OldVersion  uint32              `json:"oldVersion"`
	NewVersion  uint32              `json:"newVersion"`
	By          string              `json:"by"`
	At          time.Time           `json:"at"`
}

// Transfer transfers ticket t to the recipient of req (6.3.3.2, E.2.4). For a
// real-name ticket the recipient's document must be a valid one other than the
// holder's (realname.Mode.CheckTransfer), their identity confirmed for that
// document (req.Confirmation), and the recipient within the per-ID limit with this
// ticket; only then does the holder change — sealed anew under the issuer's
// keyring. Every transfer re-issues the code: the old credential and any paper are
// revoked. The ticket must be live. It returns the updated ticket and the transfer
// record, or every violation and t unchanged.
func (is *Issuer) Transfer(t Ticket, req TransferRequest) (Ticket, TransferRecord, error) {
	var vs wht93.Violations
	if err := t.CheckLive(req.At); err != nil {
		vs = append(vs, wht93.ViolationsOf(err)...)
	}
	vs = text{field: "by", value: req.By, max: maxBy}.check(vs)
	vs = text{field: "toAccount", value: req.ToAccount, max: maxID, optional: t.RealName.RealName()}.check(vs)
	var toIndex realname.BlindIndex
	if !req.Recipient.IsZero() {
		toIndex = is.indexer.Index(req.Recipient.Document())
	}
	if t.RealName.RealName() {
		vs = append(vs, t.RealName.CheckTransfer(realname.Document{}, req.Recipient.Document())...)
		if !req.Recipient.IsZero() && toIndex == t.Holder.Index {
			vs = append(vs, realname.ErrTransferSameHolder.At("recipient.document", req.Recipient.Document().String()))
		}
		vs = append(vs, checkConfirmation(req.Confirmation, toIndex, req.At, req.Recipient.IsZero())...)
		if req.Held < 0 {
			vs = append(vs, session.ErrOrderSize.At("held", strconv.Itoa(req.Held)))
		} else if !req.Recipient.IsZero() {
			lim := session.Limits{PerID: req.Limits.PerID}
			err := lim.Check(t.RealName, session.Order{Tickets: 1, IDs: []realname.BlindIndex{toIndex}},
				session.Held{ByID: map[realname.BlindIndex]int{toIndex: req.Held}})
			vs = append(vs, wht93.ViolationsOf(err).In("recipient")...)
		}
	} else if !req.Recipient.IsZero() && toIndex == t.Holder.Index {
		vs = append(vs, realname.ErrTransferSameHolder.At("recipient.document", req.Recipient.Document().String()))
	}
	v, err := t.bump()
	if err != nil {
		vs = append(vs, wht93.ViolationsOf(err)...)
	}
	if err := vs.Err(); err != nil {
		return t, TransferRecord{}, err
	}

	rec := TransferRecord{
		Ticket: t.Code, N: t.Transfers + 1, FromIndex: t.Holder.Index, ToIndex: toIndex,
		FromAccount: t.HolderID, ToAccount: req.ToAccount, OldVersion: t.Version, NewVersion: v,
		By: req.By, At: req.At,
	}
	if rec.FromAccount == "" {
		rec.FromAccount = t.BuyerID
	}
	if t.RealName.RealName() {
		rec.Method, rec.Reference, rec.ConfirmedAt = req.Confirmation.Method, req.Confirmation.Reference, req.Confirmation.At
	}
	if !t.Holder.IsZero() {
		if rec.From, err = t.Holder.Masked(is.keyring, t.Code); err != nil {
			return t, TransferRecord{}, err
		}
	}
	var sealed SealedHolder
	if !req.Recipient.IsZero() {
		if sealed, err = Seal(is.keyring, is.indexer, t.Code, req.Recipient); err != nil {
			return t, TransferRecord{}, err
		}
		rec.To = MaskHolder(req.Recipient)
	}
	t.Holder = sealed
	t.HolderID = req.ToAccount
	t.Version, t.PaperSerial = v, 0
	t.Transfers++
	return t, rec, nil
}

func checkConfirmation(c Confirmation, to realname.BlindIndex, at time.Time, noRecipient bool) wht93.Violations {
	var vs wht93.Violations
	if c == (Confirmation{}) {
		return wht93.Violations{ErrConfirmation.Atf("confirmation", "", "受让人须先完成实名认证", "the recipient's identity must be confirmed first")}
	}
	if !noRecipient && c.Index != to {
		vs = append(vs, ErrConfirmation.Atf("confirmation.index", "", "实名认证的证件不是受让人的证件", "the confirmation is of another document than the recipient's"))
	}
	vs = text{field: "confirmation.method", value: c.Method, max: maxBy}.check(vs)
	vs = text{field: "confirmation.reference", value: c.Reference, max: maxID}.check(vs)
	switch {
	case c.At.IsZero() || c.At.After(at):
		vs = append(vs, ErrConfirmation.Atf("confirmation.at", fmtTime(c.At), "实名认证时间缺失或晚于转让时间", "the confirmation time is missing or after the transfer"))
	case at.Sub(c.At) > MaxConfirmationAge:
		vs = append(vs, ErrConfirmation.Atf("confirmation.at", fmtTime(c.At), "实名认证已超过30分钟，请重新认证", "the confirmation is more than 30 minutes old: confirm again"))
	}
	return vs
}
