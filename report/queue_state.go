package report

import "time"

// The functions of this file are the state changes of a [Record] that every
// [Queue] implementation makes, written once: a store that changes records in
// Go applies them to its copy of the record and stores the result, and a store
// that keeps the figures of [Stats] as counters adds the [Counts] they return.
// They check nothing: the caller has checked the arguments (CheckAck, …) and
// that the record's state allows the change ([ClaimHolds], [RedriveAllowed],
// [BuryAllowed]).

// Counts are the counted figures of [Stats]: a record's share of them (see
// [CountsOf]), or what a change of records adds to them. Counts is a plain
// value.
type Counts struct {
	Depth, Leased, Failing, Attempts, Dead, Acked, Backfill int64
}

// CountsOf returns record r's share of the figures of [Stats]: an open record
// counts in Depth, in Leased if it is Leased, in Failing if it has a last
// cause and with its attempts in Attempts; a Dead record in Dead; an Acked
// record in Acked, and in Backfill if it was acked after its due time.
func CountsOf(r *Record) Counts {
	var c Counts
	switch r.State {
	case Pending, Leased:
		c.Depth = 1
		if r.State == Leased {
			c.Leased = 1
		}
		if r.LastCause != "" {
			c.Failing = 1
		}
		c.Attempts = int64(r.Attempts)
	case Dead:
		c.Dead = 1
	case Acked:
		c.Acked = 1
		if r.Backfill() {
			c.Backfill = 1
		}
	}
	return c
}

// Add adds d to c.
func (c *Counts) Add(d Counts) {
	c.Depth += d.Depth
	c.Leased += d.Leased
	c.Failing += d.Failing
	c.Attempts += d.Attempts
	c.Dead += d.Dead
	c.Acked += d.Acked
	c.Backfill += d.Backfill
}

// Sub subtracts d from c.
func (c *Counts) Sub(d Counts) {
	c.Add(Counts{-d.Depth, -d.Leased, -d.Failing, -d.Attempts, -d.Dead, -d.Acked, -d.Backfill})
}

// Stats returns the figures c as [Stats], Oldest and OldestAge zero.
func (c Counts) Stats() Stats {
	return Stats{Depth: c.Depth, Leased: c.Leased, Failing: c.Failing, Attempts: c.Attempts,
		Dead: c.Dead, Acked: c.Acked, Backfill: c.Backfill}
}

// change applies fn to r and returns what it changed r's share of the
// figures by.
func change(r *Record, fn func()) Counts {
	before := CountsOf(r)
	fn()
	after := CountsOf(r)
	after.Sub(before)
	return after
}

// ApplyLease leases the open record r until expiry: Leased, one attempt more,
// a new lease token. It returns what the figures change by.
func ApplyLease(r *Record, expiry time.Time) Counts {
	return change(r, func() {
		r.State = Leased
		r.Attempts++
		r.LeaseToken++
		r.LeaseExpiry = expiry
	})
}

// ApplyAck marks the Leased record r Acked at now. It returns what the figures
// change by.
func ApplyAck(r *Record, now time.Time) Counts {
	return change(r, func() {
		r.State = Acked
		r.Done = now
	})
}

// ApplyRetry returns the Leased record r to Pending with its next attempt at
// next and cause as its last cause. It returns what the figures change by.
func ApplyRetry(r *Record, next time.Time, cause string) Counts {
	return change(r, func() {
		r.State = Pending
		r.Next = next
		r.LastCause = cause
	})
}

// ApplyBury moves the open record r to the dead-letter set at now with cause
// as its last cause (Bury and BuryRecord). It returns what the figures change
// by.
func ApplyBury(r *Record, now time.Time, cause string) Counts {
	return change(r, func() {
		r.State = Dead
		r.Done = now
		r.LastCause = cause
	})
}

// ApplyRedrive returns the Dead record r to Pending, due at now, with its
// attempts set to zero and its last cause kept. It returns what the figures
// change by.
func ApplyRedrive(r *Record, now time.Time) Counts {
	return change(r, func() {
		r.State = Pending
		r.Attempts = 0
		r.Next = now
		r.Done = time.Time{}
	})
}

// ClaimHolds reports whether c is the claim of r's current lease: r (nil for
// no record) is Leased under c's token. Ack, Retry and Bury change only such
// records.
func ClaimHolds(r *Record, c Claim) bool {
	return r != nil && r.State == Leased && r.LeaseToken == c.Token
}

// Repeated reports whether r (nil for no record) is already in state again
// under claim c: a call repeated after it took effect (again is Acked for an
// Ack), which is no error. An again of 0 (Retry, Bury) never matches.
func Repeated(r *Record, c Claim, again State) bool {
	return r != nil && again != 0 && r.State == again && r.LeaseToken == c.Token
}

// RedriveAllowed returns nil when r may be re-driven (it is Dead), else the
// [ErrState] violation for it.
func RedriveAllowed(r *Record) error {
	if r.State != Dead {
		return WrongState(r.Seq, r.State)
	}
	return nil
}

// BuryAllowed returns nil when r may be buried by hand (it is Pending or
// Leased), else the [ErrState] violation for it.
func BuryAllowed(r *Record) error {
	if !r.State.Open() {
		return WrongState(r.Seq, r.State)
	}
	return nil
}
