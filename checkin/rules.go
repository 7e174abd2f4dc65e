package checkin

import "github.com/piaowu/wht93"

// The reasons a gate refuses entry (6.3.6.1, E.2.7). A refused [Decision]
// carries a violation of exactly one of them: errors.Is(d.Err(), ErrMaxEntries)
// tells which, Rule.Code gives a stable code for a device or a log, and the
// violation's messages are what the device shows, in Chinese and English.
var (
	// ErrMaxEntries is the rule of 6.3.6.1 that a ticket enters at most the
	// maximum number of times the ticketing system sets (1 unless the policy says
	// otherwise): a ticket already used that many times is refused with the
	// wording of E.2.7 c) and f).
	ErrMaxEntries = wht93.NewRule("checkin.max_entries",
		"演出票检票次数超过演出票务系统设置的最大值，不可再次检票入场",
		"the ticket has been checked in the maximum number of times the ticketing system allows: no further entry")
	// ErrRefunded is the rule that a refunded ticket does not enter.
	ErrRefunded = wht93.NewRule("checkin.refunded", "演出票已退票，不可检票入场", "the ticket has been refunded: no entry")
	// ErrVoid is the rule that a void ticket (cancelled, issued in error) does not
	// enter.
	ErrVoid = wht93.NewRule("checkin.void", "演出票已作废，不可检票入场", "the ticket is void: no entry")
	// ErrSuperseded is the rule that only a ticket's live code enters: a code
	// replaced by a re-issue, a transfer or a reprint (an earlier paper ticket,
	// the e-ticket's code after printing) is refused (6.2.3).
	ErrSuperseded = wht93.NewRule("checkin.superseded", "该票码已被重新出票、转让或重新打印的票码取代，已失效",
		"this code has been replaced by a re-issued, transferred or reprinted one")
	// ErrWrongSession is the rule that a gate admits the tickets of its own
	// session only.
	ErrWrongSession = wht93.NewRule("checkin.wrong_session", "演出票不属于本场次，不可检票入场", "the ticket is for another session: no entry")
	// ErrNotOpen is the rule that entry starts when the gates open (the policy's
	// time before the session starts) and a code is used from its not-before
	// instant.
	ErrNotOpen = wht93.NewRule("checkin.not_open", "尚未开始检票入场", "entry has not opened yet")
	// ErrClosed is the rule that entry stops at the policy's last entry time.
	ErrClosed = wht93.NewRule("checkin.closed", "已停止检票入场", "entry has closed")
	// ErrExpired is the rule of E.1.5 c) that after the show ends a ticket is no
	// longer valid.
	ErrExpired = wht93.NewRule("checkin.expired", "演出已结束，演出票已失效", "the show has ended: the ticket has expired")
	// ErrForged is the rule that a code's signature verifies under a key the
	// gate holds: a forged or altered code is refused.
	ErrForged = wht93.NewRule("checkin.forged", "票码验签失败，疑似伪造或篡改", "the code's signature does not verify: forged or altered")
	// ErrUnreadable is the rule that a code read has the credential format.
	ErrUnreadable = wht93.NewRule("checkin.unreadable", "无法识别的票码", "unreadable code")
	// ErrUnknown is the rule that the ticket (or, for an ID card, a ticket of the
	// document for this session) is known to the ticketing system.
	ErrUnknown = wht93.NewRule("checkin.unknown", "查无此票", "no such ticket")
	// ErrMethod is the rule that a gate accepts only the methods its policy
	// allows.
	ErrMethod = wht93.NewRule("checkin.method", "本检票口不支持该检票方式", "this gate does not accept this check-in method")
	// ErrIdentity is the rule of 人票证合一 (6.3.6.1): under it, a real-name ticket
	// enters only with the holder's document, and only when the device has matched
	// the person to the document.
	ErrIdentity = wht93.NewRule("checkin.identity", "人票证不一致：证件与演出票实名信息不符，或人证核验未通过",
		"person, ticket and ID do not match: the document is not the ticket's holder's, or the person was not matched to it")
)

// The rules of the values this package takes in.
var (
	// ErrScan is the rule that a scan names its method, gate, device, instant and
	// id, and carries what its method reads (a code, or a document's blind index).
	ErrScan = wht93.NewRule("checkin.scan", "检票请求不完整或有误", "the scan is incomplete or malformed")
	// ErrPolicy is the rule that an entry policy is of a session with its code,
	// not cancelled, with a maximum of 1 to MaxEntries entries, known methods and
	// an entry window inside the session's validity.
	ErrPolicy = wht93.NewRule("checkin.policy", "检票规则设置有误", "the entry policy is malformed")
	// ErrEntry is the rule that an entry record has an id, a ticket, a method,
	// a gate, a device, a node, an instant and its count, each within its bounds.
	ErrEntry = wht93.NewRule("checkin.entry", "检票记录不完整或有误", "the entry record is incomplete or malformed")
	// ErrPass is the rule that a pass (a gate's view of a ticket) has a ticket
	// code, a known status and real-name mode, and a credential version.
	ErrPass = wht93.NewRule("checkin.pass", "检票数据不完整或有误", "the pass is incomplete or malformed")
	// ErrEncoding is the rule that a binary pass or entry has the layout of this
	// package (see [Entry.MarshalBinary]).
	ErrEncoding = wht93.NewRule("checkin.encoding", "检票数据编码格式错误", "malformed binary encoding")
	// ErrStore is the rule that an entry store answers as its contract says; a
	// store that does not is reported with it, not believed.
	ErrStore = wht93.NewRule("checkin.store", "检票存储返回了违反约定的结果", "the entry store broke its contract")
	// ErrRead is the rule that a read of changes asks for 1 to MaxChanges
	// entries.
	ErrRead = wht93.NewRule("checkin.read", "读取数量应为1至10000", "a read asks for 1 to 10000 entries")
	// ErrClosedStore is returned by a store used after it was closed.
	ErrClosedStore = wht93.NewRule("checkin.store.closed", "检票存储已关闭", "the entry store is closed")
	// ErrSession is the rule that a pass added to a book is of the book's session.
	ErrSession = wht93.NewRule("checkin.session", "演出票不属于该场次", "the ticket is not of this session")
	// ErrMonitor is the rule that a monitor's settings and the heartbeats it is
	// given are within their bounds.
	ErrMonitor = wht93.NewRule("checkin.monitor", "监控设置或心跳数据有误", "monitor settings or heartbeat are malformed")
)

// Reasons returns the rules a refused decision may carry, for a device or a
// transport that gets a reason code back and wants the rule (see RuleOf).
func Reasons() []*wht93.Rule {
	return []*wht93.Rule{ErrMaxEntries, ErrRefunded, ErrVoid, ErrSuperseded, ErrWrongSession, ErrNotOpen, ErrClosed,
		ErrExpired, ErrForged, ErrUnreadable, ErrUnknown, ErrMethod, ErrIdentity, ErrScan}
}

// RuleOf returns the rule of this package with the code (a refusal reason or
// a rule of its inputs), or nil.
func RuleOf(code string) *wht93.Rule {
	for _, r := range append(Reasons(), ErrPolicy, ErrEntry, ErrPass, ErrEncoding, ErrStore, ErrRead, ErrClosedStore, ErrSession, ErrMonitor) {
		if r.Code() == code {
			return r
		}
	}
	return nil
}
