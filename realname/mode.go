package realname

import (
	"strconv"

	"github.com/piaowu/wht93"
)

// Mode is the real-name mode of a sale (实名方式), with the values of Appendix A's
// authMode on the order report: 1 not real-name, 2 one ID per order (一单一证),
// 3 one ID per ticket (一票一证). It marshals as that number. The zero Mode is not
// a mode. A Mode is a small value, safe for concurrent use.
type Mode uint8

// The real-name modes of Appendix A.
const (
	ModeNone      Mode = 1 // 非实名: no document required
	ModePerOrder  Mode = 2 // 一单一证: one document for the whole order
	ModePerTicket Mode = 3 // 一票一证: one distinct document for each ticket
)

var (
	// ErrMode is the rule that a real-name mode is 1, 2 or 3 (Appendix A authMode).
	ErrMode = wht93.NewRule("realname.mode", "实名方式应为1（非实名）、2（一单一证）或3（一票一证）", "real-name mode must be 1 (none), 2 (one ID per order) or 3 (one ID per ticket)")
	// ErrDocumentRequired is the rule that a real-name sale has the document its
	// mode asks for: the order's under 一单一证, each ticket's under 一票一证.
	ErrDocumentRequired = wht93.NewRule("realname.document_required", "实名购票须提供有效证件", "a real-name sale requires a valid document")
	// ErrOneDocumentPerOrder is the rule of 一单一证: every ticket of the order is
	// under the order's one document.
	ErrOneDocumentPerOrder = wht93.NewRule("realname.one_document_per_order", "一单一证：订单内所有门票应使用同一证件", "one ID per order: every ticket of the order is under the order's document")
	// ErrDuplicateDocument is the rule of 一票一证: no two tickets of the order are
	// under the same document.
	ErrDuplicateDocument = wht93.NewRule("realname.duplicate_document", "一票一证：同一证件不能用于订单内的两张门票", "one ID per ticket: a document is used for two tickets of the order")
	// ErrTransferSameHolder is the rule of real-name transfer (clause 6.3.3.2) that
	// a ticket is transferred to another person.
	ErrTransferSameHolder = wht93.NewRule("realname.transfer_same_holder", "实名转让的受让人不能是原持票人", "a real-name transfer goes to another person")
)

// ParseMode returns the mode of an Appendix A authMode value.
func ParseMode(authMode int) (Mode, error) {
	m := Mode(authMode)
	if authMode < 0 || authMode > 255 || !m.Valid() {
		return 0, ErrMode.At("authMode", strconv.Itoa(authMode))
	}
	return m, nil
}

// Valid reports whether m is one of the three modes.
func (m Mode) Valid() bool { return m >= ModeNone && m <= ModePerTicket }

// RealName reports whether the mode asks for documents (一单一证 or 一票一证).
func (m Mode) RealName() bool { return m == ModePerOrder || m == ModePerTicket }

// AuthType returns Appendix A's authType of a check-in under this mode: 1
// real-name, 2 not real-name.
func (m Mode) AuthType() int {
	if m.RealName() {
		return 1
	}
	return 2
}

// String returns "none", "per-order" or "per-ticket".
func (m Mode) String() string {
	switch m {
	case ModeNone:
		return "none"
	case ModePerOrder:
		return "per-order"
	case ModePerTicket:
		return "per-ticket"
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// Zh returns 非实名, 一单一证 or 一票一证.
func (m Mode) Zh() string {
	switch m {
	case ModeNone:
		return "非实名"
	case ModePerOrder:
		return "一单一证"
	case ModePerTicket:
		return "一票一证"
	}
	return ""
}

// CheckOrder checks the documents of an order against the mode and returns every
// violation (nil when the order complies). order is the document the order was
// placed with, tickets[i] the document of its i-th ticket; a zero [Document] is no
// document. The documents are expected to be validated already ([Validate]);
// they are compared by type and canonical number ([Document.Equal]).
//
//   - ModeNone: nothing is required; documents given are allowed.
//   - ModePerOrder (一单一证): the order has a document, and a ticket has either
//     none or that same one.
//   - ModePerTicket (一票一证): every ticket has a document, and no two tickets
//     have the same one; the order's own document (the buyer's) is not required.
//
// Field paths are "document" for the order and "tickets[i].document" for a
// ticket; values are masked.
func (m Mode) CheckOrder(order Document, tickets []Document) wht93.Violations {
	var vs wht93.Violations
	switch m {
	case ModeNone:
	case ModePerOrder:
		if order.IsZero() {
			vs = append(vs, ErrDocumentRequired.Atf("document", "", "一单一证：订单须提供证件", "one ID per order: the order needs a document"))
		}
		for i, t := range tickets {
			if !t.IsZero() && !order.IsZero() && !t.Equal(order) {
				vs = append(vs, ErrOneDocumentPerOrder.At(ticketField(i), t.String()))
			}
		}
	case ModePerTicket:
		type key struct {
			t DocType
			n string
		}
		first := make(map[key]int, len(tickets))
		for i, t := range tickets {
			if t.IsZero() {
				vs = append(vs, ErrDocumentRequired.Atf(ticketField(i), "", "一票一证：每张门票须提供证件", "one ID per ticket: each ticket needs a document"))
				continue
			}
			k := key{t.typ, t.number}
			if j, dup := first[k]; dup {
				vs = append(vs, ErrDuplicateDocument.Atf(ticketField(i), t.String(),
					"一票一证：与第 "+strconv.Itoa(j)+" 张门票证件相同",
					"one ID per ticket: same document as ticket "+strconv.Itoa(j)))
				continue
			}
			first[k] = i
		}
	default:
		vs = append(vs, ErrMode.At("authMode", strconv.Itoa(int(m))))
	}
	return vs
}

func ticketField(i int) string { return "tickets[" + strconv.Itoa(i) + "].document" }

// CheckTransfer checks a real-name transfer of a ticket (clause 6.3.3.2, E.2.4):
// under a real-name mode the recipient presents a valid document (to, validated
// with [Validate]: a zero Document is none) that is not the current holder's. Under
// ModeNone a transfer needs no document. It returns every violation, nil when
// the transfer may complete.
func (m Mode) CheckTransfer(from, to Document) wht93.Violations {
	if !m.Valid() {
		return wht93.Violations{ErrMode.At("authMode", strconv.Itoa(int(m)))}
	}
	if !m.RealName() {
		return nil
	}
	if to.IsZero() {
		return wht93.Violations{ErrDocumentRequired.Atf("recipient.document", "",
			"实名转让：受让人须提供有效证件", "real-name transfer: the recipient needs a valid document")}
	}
	if to.Equal(from) {
		return wht93.Violations{ErrTransferSameHolder.At("recipient.document", to.String())}
	}
	return nil
}
