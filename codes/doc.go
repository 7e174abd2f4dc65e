// Package codes implements the coding rules of WH/T 93-2021 (clauses 6.1.3–6.1.7,
// Appendices B, C and D) and the GB/T 2260 administrative division codes they are
// built on.
//
// # Codes
//
//	region   (GB/T 2260)   6   110101                      province 2 + city 2 + county 2
//	venue    (App. B)      9   110101001                   region + venue sequence in the county 3
//	hall     (App. B)     11   11010100101                 venue + hall sequence in the venue 2
//	session  (App. C)     21   110101001012024052701       hall + yyyymmdd + session of the day 2
//	ticket   (6.1.5)   22–50   110101001012024052701N…     session + an id unique in the session
//	type     (App. D)      4   1001                        category 2 + type 2
//
// Each code is a type ([RegionCode], [VenueCode], [HallCode], [SessionCode],
// [TicketCode], [TypeCode]) with a Check function returning every violation
// (warnings included), a Parse function returning an error only for error-level
// violations, constructors from parts (NewVenueCode, NewHallCode, NewSessionCode,
// NewTicketCode), accessors for the parts, String, MarshalText/UnmarshalText (so
// JSON), and database/sql Scan/Value. [VenueType] enumerates the twelve venue
// types of clause 6.1.7.
//
// Input is normalised first ([Normalize]): full-width characters (１２３) become
// ASCII and surrounding white space is dropped; anything else that is not the
// format is an error. Violations are [wht93.Violation]s of the sentinel rules
// declared in this package (ErrLength, ErrNonDigit, ErrRegionUnknown,
// ErrSessionDate, …), with the field named as Appendix A names it (sessionCode,
// hallCode, venueCode, typeId; ticketCode and regionCode otherwise) and the input
// as the value. The error a Parse function returns is the [wht93.Violations] of
// every finding, warnings included.
//
// # Decisions where the standard is silent
//
//   - A region code no longer in use is recognised and reported as a warning
//     ([ErrRegionAbolished]): a code keeps the region it was issued with. A new
//     venue code ([NewVenueCode]) needs a region in use.
//   - Venue sequence 000 and hall sequence 00 are warnings ([ErrVenueSequence],
//     [ErrHallSequence]): the standard does not forbid them in so many words, and
//     the platform, not the SDK, issues these codes. Session number 00 is an
//     error ([ErrSessionNumber]): the 00th session of a day does not exist.
//   - A ticket's id is ASCII letters, digits, '-' and '_' ([TicketCode]).
//   - The zero value of every code is "no code": it marshals to "", is NULL in SQL,
//     and "" (or NULL) unmarshals or scans to it — a session's code is empty until
//     the platform issues it. Check IsZero where a code is required.
//   - Region data: the embedded gb2260/areacodes.csv (yescallop/areacodes, CC0,
//     every code since 1981) is parsed once, on first use; lookups after that do
//     not allocate. ParseSessionCode of 21 ASCII digits neither.
//
// # Usage
//
//	sc, err := codes.ParseSessionCode("110101001012024052701")
//	if err != nil {
//		for _, v := range wht93.ViolationsOf(err) { log.Print(v) } // every violation
//	}
//	sc.Hall()            // 11010100101
//	sc.Region().Path()   // 北京市 东城区
//	sc.Date()            // 2024-05-27
//	sc.Number()          // 1
//
//	tc, err := codes.SequenceTicketCode(sc, 42)              // unique by construction
//	tc, err = codes.RandomTicketCode(sc, crypto/rand.Reader) // unguessable
//
//	c, vs := codes.Check(line) // any kind, by its shape (see Classify); vs: every finding
//	if c != nil {
//		parts = c.AppendParts(parts[:0]) // region names, date, sequences, type name
//	}
//
// Every type of the package is an immutable value, safe for concurrent use; the
// package holds no mutable state visible to callers.
package codes
