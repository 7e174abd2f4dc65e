package codes

import "github.com/piaowu/wht93"

// The rules of this package. Every parser reports every rule its input breaks, each
// as a [wht93.Violation] of one of these sentinels (test with errors.Is, or collect
// with [wht93.ViolationsOf]). The rules marked "warning" are soft findings: the
// Check functions report them with Warning set, the Parse functions accept the code.
var (
	// ErrEmpty is the rule that a code is given (after trimming spaces).
	ErrEmpty = wht93.NewRule("codes.empty", "编码为空", "code is empty")
	// ErrLength is the rule that a code has its kind's length: region 6, venue 9,
	// hall 11, session 21, ticket at least 22, performance type 4.
	ErrLength = wht93.NewRule("codes.length", "编码长度不符", "code has the wrong length")
	// ErrNonDigit is the rule that a code (a ticket code's first 21 characters) is
	// made of the digits 0–9 only.
	ErrNonDigit = wht93.NewRule("codes.digit", "编码应只含数字", "code must be digits only")
	// ErrKind is the rule that an input has the shape of some code: see [Classify].
	ErrKind = wht93.NewRule("codes.kind", "无法识别的编码", "not a code of any kind")
	// ErrRegionUnknown is the rule that the first six digits are a GB/T 2260 code
	// (any year since 1981).
	ErrRegionUnknown = wht93.NewRule("codes.region.unknown",
		"行政区划代码不存在（GB/T 2260）", "region code unknown in GB/T 2260")
	// ErrRegionAbolished (warning when parsing) flags a region code that GB/T 2260
	// no longer uses. Codes keep the region they were issued with, so parsing
	// accepts it; constructing a new venue code in such a region is an error.
	ErrRegionAbolished = wht93.NewRule("codes.region.abolished",
		"行政区划代码已不再使用", "region code no longer in use")
	// ErrVenueSequence (warning) flags venue sequence number 000 (Appendix B, digits
	// 7–9). The standard does not forbid it in so many words, but a sequence
	// number counts from 001, and the platform issues venue codes, so a code that
	// carries 000 is reported and accepted.
	ErrVenueSequence = wht93.NewRule("codes.venue.sequence",
		"演出场所序号为000", "venue sequence number is 000")
	// ErrHallSequence (warning) flags hall sequence number 00 (Appendix B, digits
	// 10–11), for the same reasons as [ErrVenueSequence].
	ErrHallSequence = wht93.NewRule("codes.hall.sequence",
		"场厅序号为00", "hall sequence number is 00")
	// ErrSessionDate is the rule that digits 12–19 of a session code are a date
	// that exists (Appendix C: year 4, month 2, day 2): no 2023-02-29.
	ErrSessionDate = wht93.NewRule("codes.session.date", "演出日期不存在", "session date does not exist")
	// ErrSessionNumber is the rule that digits 20–21 of a session code, the
	// session's number within its day (演出当日的场次数), count from 01.
	ErrSessionNumber = wht93.NewRule("codes.session.number",
		"当日场次序号不能为00", "session number of the day must not be 00")
	// ErrTicketLength is the rule of clause 6.1.5: a ticket code has at most 50
	// bytes.
	ErrTicketLength = wht93.NewRule("codes.ticket.length",
		"演出票编码不得多于50个字节", "ticket code must be at most 50 bytes")
	// ErrTicketChar is the rule that a ticket's id (the part after the session
	// code) is made of ASCII letters, digits, '-' and '_': see [TicketCode].
	ErrTicketChar = wht93.NewRule("codes.ticket.char",
		"演出票唯一识别码只能含英文字母、数字、-和_", "ticket id may hold only ASCII letters, digits, '-' and '_'")
	// ErrTypeUnknown is the rule that a performance type code is one of Appendix D.
	ErrTypeUnknown = wht93.NewRule("codes.type.unknown",
		"演出类型编码不存在（附录D）", "performance type code not in Appendix D")
	// ErrVenueTypeUnknown is the rule that a venue type is one of clause 6.1.7.
	ErrVenueTypeUnknown = wht93.NewRule("codes.venuetype.unknown",
		"演出场所类型不存在（6.1.7）", "venue type not in clause 6.1.7")
	// ErrRange is the rule that a number given to build a code fits its digits
	// (venue sequence 1–999, hall sequence 1–99, session number 1–99, …).
	ErrRange = wht93.NewRule("codes.range", "编码组成部分超出范围", "code part out of range")
)

// The field names of violations: Appendix A's names where it has one.
const (
	fieldRegion  = "regionCode"
	fieldVenue   = "venueCode"
	fieldHall    = "hallCode"
	fieldSession = "sessionCode"
	fieldTicket  = "ticketCode"
	fieldType    = "typeId"
)
