package report

import (
	"context"
	"strconv"
	"time"

	"github.com/piaowu/wht93"
)

// Queue is the durable report queue (clause 6.3.8, test E.3.4): every request that
// must reach the platform is enqueued before it is sent, and leaves the queue's
// waiting set only when the platform has taken it (ack) or an operator or a
// permanent error has given up on it (bury). It is a port: store/memory,
// store/bolt and store/postgres implement it, store/storetest.TestQueue checks any
// implementation, and a host may write its own on its database.
//
// # Contract
//
// Durability. When Enqueue, Lease, Ack, Retry, Bury, Redrive, BuryRecord or Purge
// returns nil, its effect is durable (fsynced or committed) and survives a crash
// of the process or of the machine. A call that returns an error may or may not
// have taken effect (a cancelled context, a lost connection); every call is safe
// to repeat: Enqueue deduplicates by key, Ack of an acked record with the same
// claim succeeds again, and the others report [ErrLeaseLost] or [ErrState].
// Operations are atomic: a call with many records applies to all of them in one
// durable step (Ack, Retry and Bury apply to every claim that still holds and
// report the others).
//
// Sequence. Enqueue assigns each new record a sequence number larger than that of
// every record enqueued before it (in the same process or another). Sequences may
// have gaps. "Oldest" means "lowest sequence" throughout.
//
// States. A record is [Pending] (waiting for its next attempt time), [Leased] (held
// by one sender until its lease expires), [Dead] (buried, with its cause) or
// [Acked] (delivered). Reading a record never changes or removes it. Pending and
// Leased records are the queue's depth. Only Purge removes records, and only acked
// ones.
//
//	Enqueue → Pending ⇄ Leased → Acked
//	              ↑    ↘   ↓ Retry (back to Pending, with next time and cause)
//	      Redrive └──── Dead ← Bury, BuryRecord
//
// Leases. Lease hands out due records: a Pending record whose next attempt time is
// at or before now, or a Leased record whose lease has expired at now (its sender
// is presumed gone). Leasing sets the record Leased until now+ttl (computed before
// truncation to the microsecond), counts one more
// attempt and gives it a new lease token; the pair (sequence, token) is the
// record's [Claim]. Ack, Retry and Bury take claims and succeed only while the
// record is still Leased under that claim: once it has been leased again, the old
// claim reports [ErrLeaseLost]. A claim stays good after its lease expires as
// long as nobody has leased the record again.
//
// Order. Lease returns the due, eligible records of lowest sequence, up to max,
// in ascending sequence. Records with the same non-empty [Draft.Stream] form an
// ordering stream (one session and the records that depend on it): a record of a
// stream is eligible only when every earlier record of its stream is Acked, Dead,
// or due and leased in the same call. So within a stream nothing is leased before
// the record ahead of it is acked or buried, and one call may hand out a run of
// consecutive records of a stream, which its sender must deliver in order: if
// one fails, the sender retries it and the rest of the run after it (or lets
// their leases expire) instead of delivering them. Records with an empty stream
// are independent of each other. Without concurrent callers the result is exact:
// no eligible record of lower sequence is left out. Concurrent callers (several
// processes on one PostgreSQL queue) never receive the same record while its
// lease holds; each may see fewer records than are eligible.
//
// Idempotency. [Draft.Key] names the report, not the attempt. Enqueueing a draft
// whose key is already in the queue (in any state, until the record is purged)
// stores nothing and returns the existing record's sequence with
// [Enqueued.Duplicate] set; the stored record keeps its first body. A changed
// report needs a new key. Within one Enqueue call a repeated key dedupes the same
// way.
//
// Bodies and times. The body is stored and returned byte for byte. Every time is
// given by the caller (the now, next and due parameters) and stored to the
// microsecond; times come back in UTC (compare them with Equal). Returned records
// and bodies are the caller's own copies.
//
// Errors. Bad arguments are [wht93.Violations] of this package's rules
// (ErrQueueKey, ErrQueueTime, …) and change nothing. Errors that concern records
// are [wht93.Violation]s of [ErrNotFound], [ErrLeaseLost] and [ErrState], with
// the sequence as the value; test them with errors.Is. A closed store returns
// [ErrClosed]. Any other error is the store's own (I/O, database).
//
// Concurrency. Implementations are safe for concurrent use by many goroutines;
// store/postgres is also safe for several processes sharing one queue.
type Queue interface {
	// Enqueue stores drafts as new Pending records, due for their first attempt at
	// now, in one durable step, and returns one [Enqueued] per draft in the same
	// order. Drafts whose key is already known are deduplicated (see the type's
	// contract). An invalid draft fails the whole call: nothing is stored.
	Enqueue(ctx context.Context, now time.Time, drafts ...Draft) ([]Enqueued, error)

	// Lease leases up to max (1 to [MaxLease]) eligible records until now+ttl and
	// returns them, bodies included, in ascending sequence (see Order in the
	// type's contract). It returns an empty slice when nothing is due.
	Lease(ctx context.Context, now time.Time, ttl time.Duration, max int) ([]Record, error)

	// Ack marks the claimed records Acked at now: delivered. Claims that no longer
	// hold are reported as violations of [ErrLeaseLost] (a claim whose record is
	// already Acked under that same claim is not an error); the others are acked.
	Ack(ctx context.Context, now time.Time, claims ...Claim) error

	// Retry returns the claimed records to Pending with their next attempt at
	// next and cause as their last cause (1 to [MaxCause] bytes; see [ClipCause]).
	// Claims that no longer hold are reported as with Ack.
	Retry(ctx context.Context, next time.Time, cause string, claims ...Claim) error

	// Bury moves the claimed records to the dead-letter set at now, with cause as
	// their last cause. Claims that no longer hold are reported as with Ack.
	Bury(ctx context.Context, now time.Time, cause string, claims ...Claim) error

	// Get returns the record with sequence seq, or an [ErrNotFound] violation.
	Get(ctx context.Context, seq uint64) (Record, error)

	// List returns the records that q selects, in ascending sequence.
	List(ctx context.Context, q ListQuery) ([]Record, error)

	// Stats returns the queue's figures at now.
	Stats(ctx context.Context, now time.Time) (Stats, error)

	// Redrive returns a Dead record to Pending, due at now, with its attempts set
	// to zero and its last cause kept: an operator re-drives it after fixing what
	// made it fail. It is an [ErrState] violation when the record is not Dead. The
	// record takes its old place (its sequence) in its stream again.
	Redrive(ctx context.Context, now time.Time, seq uint64) error

	// BuryRecord buries a Pending or Leased record by hand at now with cause (an
	// operator gives up on it); a sender's claim on it no longer holds. It is an
	// [ErrState] violation when the record is Dead or Acked.
	BuryRecord(ctx context.Context, now time.Time, seq uint64, cause string) error

	// Purge deletes up to max (1 to [MaxList]) Acked records acked before the
	// given time, lowest sequence first, and returns how many it deleted. Their
	// keys are forgotten: enqueueing one again makes a new record.
	Purge(ctx context.Context, ackedBefore time.Time, max int) (int, error)
}

// State is where a record stands in its life. The zero State is not a state.
type State uint8

// The states of a record; see [Queue].
const (
	// Pending records wait for their next attempt time.
	Pending State = 1
	// Leased records are held by a sender until their lease expires.
	Leased State = 2
	// Dead records were buried with a cause; Redrive returns them to Pending.
	Dead State = 3
	// Acked records were delivered.
	Acked State = 4
)

// String returns "pending", "leased", "dead" or "acked".
func (s State) String() string {
	switch s {
	case Pending:
		return "pending"
	case Leased:
		return "leased"
	case Dead:
		return "dead"
	case Acked:
		return "acked"
	}
	return "state(" + strconv.Itoa(int(s)) + ")"
}

// Open reports whether the state is Pending or Leased: the record still waits
// to be delivered.
func (s State) Open() bool { return s == Pending || s == Leased }

// Draft is a request to enqueue. It is a plain value; the queue copies what it
// keeps.
type Draft struct {
	// Key names the report for deduplication: 1 to [MaxKey] bytes of UTF-8,
	// without NUL. The same report enqueued again must carry the same key.
	Key string
	// Stream is the ordering stream (for example one session's code); empty for
	// a record that depends on no other. 0 to [MaxKey] bytes of UTF-8, no NUL.
	Stream string
	// Endpoint is the platform path the body goes to, for example
	// "/report/ticket": 1 to [MaxKey] bytes of UTF-8, no NUL.
	Endpoint string
	// Body is the exact request body (0 to [MaxBody] bytes), replayed byte for
	// byte; the access token is not part of it (it is added at send time).
	Body []byte
	// Day is the business day the data belongs to (China Standard Time).
	Day wht93.Date
	// Due is when the platform must have the record. Zero means [DueOf](Day):
	// 12:00 the next day, China Standard Time (clause 6.3.8).
	Due time.Time
}

// Enqueued is the outcome of one draft of an Enqueue call.
type Enqueued struct {
	// Seq is the record's sequence: the new record's, or the existing record's
	// when the key was already known.
	Seq uint64
	// Duplicate reports that the key was already known and nothing was stored.
	Duplicate bool
}

// Record is one stored request and where it stands. It is a plain value: a
// snapshot, not a handle.
type Record struct {
	Seq      uint64     // assigned at enqueue, strictly increasing
	Key      string     // idempotency key
	Stream   string     // ordering stream, empty for none
	Endpoint string     // platform path
	Body     []byte     // the exact request body
	Day      wht93.Date // business day
	Due      time.Time  // deadline; delivered later it is backfill (补报)
	Enqueued time.Time  // when it was enqueued (the enqueuer's now)

	State    State
	Attempts int       // leases so far (reset by Redrive)
	Next     time.Time // earliest next attempt while Pending
	// LastCause is why the last attempt failed or why the record was buried;
	// empty until then.
	LastCause string
	// LeaseToken changes on every lease; 0 for a record never leased.
	LeaseToken uint64
	// LeaseExpiry is when the current or last lease ends; zero if never leased.
	LeaseExpiry time.Time
	// Done is when the record was acked or buried; zero while it is open.
	Done time.Time
}

// Claim returns the claim of the record's current lease.
func (r Record) Claim() Claim { return Claim{Seq: r.Seq, Token: r.LeaseToken} }

// Late reports whether the record missed its deadline as of now: it is not
// acked and its due time is before now, or it was acked after its due time.
// Pass a later now to find the records at risk.
func (r Record) Late(now time.Time) bool {
	if r.State == Acked {
		return r.Done.After(r.Due)
	}
	return r.Due.Before(now)
}

// Backfill reports whether the record was delivered after its due time: it
// went to the platform as backfill (补报).
func (r Record) Backfill() bool { return r.State == Acked && r.Done.After(r.Due) }

// Claim identifies one lease of one record: the right to ack, retry or bury it.
type Claim struct {
	Seq   uint64
	Token uint64
}

// String formats the claim as "seq/token".
func (c Claim) String() string {
	return strconv.FormatUint(c.Seq, 10) + "/" + strconv.FormatUint(c.Token, 10)
}

// Filter selects the records that List returns.
type Filter uint8

// The filters of [ListQuery].
const (
	// ListOpen lists Pending and Leased records.
	ListOpen Filter = 1
	// ListDead lists the dead-letter set.
	ListDead Filter = 2
	// ListLate lists the records not acked (open or dead) whose due time is
	// before ListQuery.Now: late at Now, or at risk if Now is in the future.
	ListLate Filter = 3
)

// String returns "open", "dead" or "late".
func (f Filter) String() string {
	switch f {
	case ListOpen:
		return "open"
	case ListDead:
		return "dead"
	case ListLate:
		return "late"
	}
	return "filter(" + strconv.Itoa(int(f)) + ")"
}

// ListQuery selects records for List. Results come in ascending sequence; page
// through them by passing the last sequence seen as After.
type ListQuery struct {
	Filter Filter
	// Now is the instant ListLate compares due times with; unused otherwise.
	Now time.Time
	// After skips the records with a sequence at or below it.
	After uint64
	// Limit is the most records returned: 1 to [MaxList]; 0 means 100.
	Limit int
}

// Stats are the queue's figures at one instant.
type Stats struct {
	// Depth is the number of open records: Pending and Leased.
	Depth int64
	// Leased is the number of records in state Leased, expired leases included.
	Leased int64
	// Failing is the number of open records with a last cause: they failed at
	// least once (or were buried once and re-driven).
	Failing int64
	// Attempts is the sum of the attempts of the open records.
	Attempts int64
	// Oldest is the enqueue time of the open record of lowest sequence; zero
	// when Depth is 0.
	Oldest time.Time
	// OldestAge is now minus Oldest, never negative; 0 when Depth is 0.
	OldestAge time.Duration
	// Dead is the number of records in the dead-letter set.
	Dead int64
	// Acked is the number of acked records not yet purged.
	Acked int64
	// Backfill is the number of those acked after their due time (补报).
	Backfill int64
}

// DueOf returns the deadline of a business day's data: 12:00 the next day,
// China Standard Time (clause 6.3.8).
func DueOf(day wht93.Date) time.Time { return day.AddDays(1).At(12, 0) }
