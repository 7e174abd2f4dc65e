package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/piaowu/wht93"
)

// Limits of the queue's arguments. Every implementation enforces them through
// the Check functions below, so that a record valid for one store is valid for
// all.
const (
	MaxKey    = 256     // bytes of a key, stream or endpoint
	MaxBody   = 8 << 20 // bytes of a body
	MaxCause  = 2048    // bytes of a cause
	MaxBatch  = 10000   // drafts of one Enqueue, claims of one Ack, Retry or Bury
	MaxLease  = 10000   // records of one Lease
	MaxList   = 10000   // records of one List or Purge
	MaxTTL    = 30 * 24 * time.Hour
	MinTTL    = time.Millisecond
	listLimit = 100 // the default of ListQuery.Limit
)

// Rules of the queue. Each error a queue returns for bad arguments or for a
// record in the wrong state is a [wht93.Violation] of one of them.
var (
	ErrQueueKey      = wht93.NewRule("queue.key", "幂等键须为1至256字节的UTF-8文本，不含NUL", "idempotency key must be 1 to 256 bytes of UTF-8 without NUL")
	ErrQueueStream   = wht93.NewRule("queue.stream", "排序流须为至多256字节的UTF-8文本，不含NUL", "stream must be at most 256 bytes of UTF-8 without NUL")
	ErrQueueEndpoint = wht93.NewRule("queue.endpoint", "接口路径须为1至256字节的UTF-8文本，不含NUL", "endpoint must be 1 to 256 bytes of UTF-8 without NUL")
	ErrQueueBody     = wht93.NewRule("queue.body", "报文体超过8 MiB", "body exceeds 8 MiB")
	ErrQueueDay      = wht93.NewRule("queue.day", "业务日期无效", "business day is not a valid date")
	ErrQueueTime     = wht93.NewRule("queue.time", "时间须在1970年至9999年之间", "time must lie between 1970 and 9999")
	ErrQueueCause    = wht93.NewRule("queue.cause", "原因须为1至2048字节的UTF-8文本，不含NUL", "cause must be 1 to 2048 bytes of UTF-8 without NUL")
	ErrQueueBatch    = wht93.NewRule("queue.batch", "一次调用的记录数须为1至10000", "one call takes 1 to 10000 records")
	ErrQueueClaim    = wht93.NewRule("queue.claim", "租约凭据无效或重复", "claim is invalid or repeated")
	ErrQueueLease    = wht93.NewRule("queue.lease", "租约参数无效", "lease arguments are invalid")
	ErrQueueList     = wht93.NewRule("queue.list", "查询参数无效", "list query is invalid")

	// ErrNotFound is a sequence that names no stored record.
	ErrNotFound = wht93.NewRule("queue.not_found", "队列中没有该记录", "no such record in the queue")
	// ErrLeaseLost is a claim that no longer holds: the record was leased again,
	// acked, retried, buried or re-driven since.
	ErrLeaseLost = wht93.NewRule("queue.lease_lost", "租约已失效", "lease no longer held")
	// ErrState is an operation the record's state does not allow, such as
	// re-driving a record that is not dead.
	ErrState = wht93.NewRule("queue.state", "记录当前状态不允许该操作", "record's state does not allow this")
	// ErrClosed is a call on a closed store.
	ErrClosed = wht93.NewRule("queue.closed", "队列存储已关闭", "queue store is closed")
)

var (
	minTime = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Micro returns t in UTC truncated to the microsecond, without a monotonic
// clock reading: the form in which queues store and return times.
func Micro(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.UnixMicro(t.UnixMicro()).UTC()
}

// CheckTime returns [Micro](t), or a violation at field when t lies outside the
// years 1970 to 9999 (the zero time included).
func CheckTime(field string, t time.Time) (time.Time, error) {
	if t.Before(minTime) || !t.Before(maxTime) {
		return time.Time{}, ErrQueueTime.At(field, t.Format(time.RFC3339Nano))
	}
	return Micro(t), nil
}

func badText(s string, min int) bool {
	return len(s) < min || len(s) > MaxKey || !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0
}

// shown returns a value for an error message: at most 64 bytes of it.
func shown(s string) string {
	if len(s) <= 64 {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	cut := 64
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.ToValidUTF8(s[:cut], "\uFFFD") + fmt.Sprintf("…(%d bytes)", len(s))
}

// CheckDrafts checks the drafts of one Enqueue call and returns copies ready to
// store: Due defaulted to [DueOf](Day), times in [Micro] form, bodies copied.
// The error reports every violation, at "drafts[i].field".
func CheckDrafts(drafts []Draft) ([]Draft, error) {
	var vs wht93.Violations
	if len(drafts) == 0 || len(drafts) > MaxBatch {
		return nil, wht93.Violations{ErrQueueBatch.At("drafts", strconv.Itoa(len(drafts)))}
	}
	out := make([]Draft, len(drafts))
	for i, d := range drafts {
		at := func(f string) string { return "drafts[" + strconv.Itoa(i) + "]." + f }
		if badText(d.Key, 1) {
			vs = append(vs, ErrQueueKey.At(at("key"), shown(d.Key)))
		}
		if badText(d.Stream, 0) {
			vs = append(vs, ErrQueueStream.At(at("stream"), shown(d.Stream)))
		}
		if badText(d.Endpoint, 1) {
			vs = append(vs, ErrQueueEndpoint.At(at("endpoint"), shown(d.Endpoint)))
		}
		if len(d.Body) > MaxBody {
			vs = append(vs, ErrQueueBody.At(at("body"), strconv.Itoa(len(d.Body))+" bytes"))
		}
		if !d.Day.Valid() || d.Day.Year < 1970 {
			vs = append(vs, ErrQueueDay.At(at("day"), d.Day.String()))
		} else if d.Due.IsZero() {
			d.Due = DueOf(d.Day)
		}
		if !d.Due.IsZero() {
			due, err := CheckTime(at("due"), d.Due)
			if err != nil {
				vs = append(vs, err.(*wht93.Violation))
			}
			d.Due = due
		}
		d.Body = append([]byte(nil), d.Body...)
		out[i] = d
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// CheckEnqueue checks the arguments of an Enqueue and returns now in [Micro]
// form and the drafts as [CheckDrafts] returns them.
func CheckEnqueue(now time.Time, drafts []Draft) (time.Time, []Draft, error) {
	now, err := CheckTime("now", now)
	if err != nil {
		return time.Time{}, nil, err
	}
	ds, err := CheckDrafts(drafts)
	if err != nil {
		return time.Time{}, nil, err
	}
	return now, ds, nil
}

// CheckCause checks the cause of a Retry, Bury or BuryRecord.
func CheckCause(field, cause string) error {
	if cause == "" || len(cause) > MaxCause || !utf8.ValidString(cause) || strings.IndexByte(cause, 0) >= 0 {
		return wht93.Violations{ErrQueueCause.At(field, shown(cause))}
	}
	return nil
}

// ClipCause makes any text a valid cause: invalid UTF-8 and NUL bytes become
// U+FFFD, an empty text becomes "unknown", and a text longer than [MaxCause]
// keeps its head and says how much was cut, so that nothing is cut silently.
func ClipCause(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	if s == "" {
		return "unknown"
	}
	if len(s) <= MaxCause {
		return s
	}
	tail := fmt.Sprintf(" …[%d bytes cut]", len(s))
	cut := MaxCause - len(tail)
	for !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf(" …[%d bytes cut]", len(s)-cut)
}

// CheckClaims checks the claims of one Ack, Retry or Bury: 1 to [MaxBatch]
// claims, each of a record leased at least once, no sequence twice.
func CheckClaims(claims []Claim) error {
	if len(claims) == 0 || len(claims) > MaxBatch {
		return wht93.Violations{ErrQueueBatch.At("claims", strconv.Itoa(len(claims)))}
	}
	var vs wht93.Violations
	seen := make(map[uint64]struct{}, len(claims))
	for i, c := range claims {
		if _, dup := seen[c.Seq]; dup || c.Seq == 0 || c.Token == 0 {
			vs = append(vs, ErrQueueClaim.At("claims["+strconv.Itoa(i)+"]", c.String()))
		}
		seen[c.Seq] = struct{}{}
	}
	return vs.Err()
}

// CheckAck checks the arguments of an Ack and returns now in [Micro] form.
func CheckAck(now time.Time, claims []Claim) (time.Time, error) {
	now, err := CheckTime("now", now)
	return checked(now, err, CheckClaims(claims))
}

// CheckRetry checks the arguments of a Retry and returns next in [Micro] form.
func CheckRetry(next time.Time, cause string, claims []Claim) (time.Time, error) {
	next, err := CheckTime("next", next)
	return checked(next, err, CheckCause("cause", cause), CheckClaims(claims))
}

// CheckBury checks the arguments of a Bury and returns now in [Micro] form.
func CheckBury(now time.Time, cause string, claims []Claim) (time.Time, error) {
	now, err := CheckTime("now", now)
	return checked(now, err, CheckCause("cause", cause), CheckClaims(claims))
}

// CheckRedrive checks the arguments of a Redrive and returns now in [Micro]
// form.
func CheckRedrive(now time.Time, seq uint64) (time.Time, error) {
	now, err := CheckTime("now", now)
	return checked(now, err, CheckSeq(seq))
}

// CheckBuryRecord checks the arguments of a BuryRecord and returns now in
// [Micro] form.
func CheckBuryRecord(now time.Time, seq uint64, cause string) (time.Time, error) {
	now, err := CheckTime("now", now)
	return checked(now, err, CheckSeq(seq), CheckCause("cause", cause))
}

// checked returns t when no check failed, else the zero time and the first
// error in the order of the arguments.
func checked(t time.Time, errs ...error) (time.Time, error) {
	for _, err := range errs {
		if err != nil {
			return time.Time{}, err
		}
	}
	return t, nil
}

// CheckLease checks the arguments of a Lease.
func CheckLease(ttl time.Duration, max int) error {
	var vs wht93.Violations
	if ttl < MinTTL || ttl > MaxTTL {
		vs = append(vs, ErrQueueLease.Atf("ttl", ttl.String(),
			"租约时长须在1毫秒至30天之间", "lease ttl must be 1ms to 30 days"))
	}
	if max < 1 || max > MaxLease {
		vs = append(vs, ErrQueueLease.Atf("max", strconv.Itoa(max),
			"一次租用的记录数须为1至10000", "one lease takes 1 to 10000 records"))
	}
	return vs.Err()
}

// CheckLeaseTimes checks the now of a Lease and returns it and the lease
// expiry now+ttl, both in [Micro] form.
func CheckLeaseTimes(now time.Time, ttl time.Duration) (time.Time, time.Time, error) {
	n, err := CheckTime("now", now)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	e, err := CheckTime("ttl", now.Add(ttl))
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	return n, e, nil
}

// CheckList checks a list query and returns it with its defaults filled in
// (Limit 100, Now in [Micro] form).
func CheckList(q ListQuery) (ListQuery, error) {
	var vs wht93.Violations
	if q.Filter != ListOpen && q.Filter != ListDead && q.Filter != ListLate {
		vs = append(vs, ErrQueueList.Atf("filter", q.Filter.String(),
			"过滤条件须为 open、dead 或 late", "filter must be open, dead or late"))
	}
	if q.Limit == 0 {
		q.Limit = listLimit
	}
	if q.Limit < 1 || q.Limit > MaxList {
		vs = append(vs, ErrQueueList.Atf("limit", strconv.Itoa(q.Limit),
			"条数须为1至10000", "limit must be 1 to 10000"))
	}
	if q.Filter == ListLate {
		now, err := CheckTime("now", q.Now)
		if err != nil {
			vs = append(vs, err.(*wht93.Violation))
		}
		q.Now = now
	} else {
		q.Now = time.Time{}
	}
	if err := vs.Err(); err != nil {
		return ListQuery{}, err
	}
	return q, nil
}

// CheckMax checks the max of a Purge (1 to [MaxList]).
func CheckMax(field string, max int) error {
	if max < 1 || max > MaxList {
		return wht93.Violations{ErrQueueList.Atf(field, strconv.Itoa(max),
			"条数须为1至10000", "count must be 1 to 10000")}
	}
	return nil
}

// CheckSeq checks a sequence given by hand (0 names no record).
func CheckSeq(seq uint64) error {
	if seq == 0 {
		return wht93.Violations{ErrNotFound.At("seq", "0")}
	}
	return nil
}

// NotFound returns the [ErrNotFound] violation for seq.
func NotFound(seq uint64) error { return ErrNotFound.At("seq", strconv.FormatUint(seq, 10)) }

// WrongState returns the [ErrState] violation for a record in state s.
func WrongState(seq uint64, s State) error {
	return ErrState.Atf("seq", strconv.FormatUint(seq, 10),
		"记录状态为 "+s.String()+"，不允许该操作", "record is "+s.String()+", which does not allow this")
}

// LeaseLost returns the [ErrLeaseLost] violations for the claims that no longer
// hold, or nil when there are none.
func LeaseLost(lost []Claim) error {
	if len(lost) == 0 {
		return nil
	}
	vs := make(wht93.Violations, len(lost))
	for i, c := range lost {
		vs[i] = ErrLeaseLost.At("claim", c.String())
	}
	return vs
}

// Closed returns the [ErrClosed] error.
func Closed() error { return ErrClosed.At("queue", "closed") }
