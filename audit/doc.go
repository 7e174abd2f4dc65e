// Package audit is the operation log of clause 6.4.3.3 (test E.3.8): every
// operation of a ticketing system's users — login, logout, performance and
// session management, seats and prices, sale, print and reprint, refund,
// transfer, check-in, configuration, reporting, and actions the host defines — is
// recorded with its time, user, action, object and content, in a log that cannot
// be edited without it being found.
//
// # Entries and the chain
//
// A [Record] is what the host logs; a [Store] seals it into an [Entry] with the
// next sequence number (1, 2, 3, … without gaps) and the hash of the entry before
// it, and keeps it. The hash is SHA-256 over the entry's canonical encoding
// (documented on [Entry.Canonical], versioned by [Version]) which covers every
// field and the previous hash, so changing, removing, inserting or reordering an
// entry breaks the chain at that place. The user is an operator id, never a name,
// phone or document number ([ErrPersonalData]); content over its size limit is
// refused ([ErrTooLong]), never cut.
//
// The store port has Append, Head and Read, and nothing that changes or removes
// an entry. store/memory, store/bolt and store/postgres implement it (the last
// refuses UPDATE and DELETE on its table with a trigger), and
// store/storetest.TestAudit checks any implementation.
//
// # Verification
//
// [Verify] reads the whole log and reports every edited, deleted, inserted or
// reordered entry as a [Fault] naming its sequence and what is wrong, in Chinese
// and English ([ErrEdited], [ErrLink], [ErrMissing], [ErrOrder], [ErrHead]). For
// a log of years, export the head now and then ([Anchor], its text form
// "wht93-audit-v1:<seq>:<hash>") to somewhere the log's operators cannot write;
// [VerifyWith] then starts after such an anchor, or checks that earlier anchors
// are still on the chain ([ErrAnchor]). [Verifier] checks any stream of
// entries, such as an export read back from [Entry.MarshalBinary] form.
//
// # Usage
//
//	log, db, err := bolt.OpenAuditLog("/var/lib/tickets/ops.db", nil)
//	defer db.Close()
//	_, err = audit.Append(ctx, log, audit.Record{
//		Time: now, User: "op-007", Action: audit.ActionRefund,
//		Object:  audit.Object{Type: "order", ID: "A-1001"},
//		Content: "退票2张，退款256.00元",
//	})
//	sum, err := audit.Verify(ctx, log) // nil, or audit.Faults naming each damaged entry
//	fmt.Println(sum.Head)              // wht93-audit-v1:1842:9f3c…: keep it elsewhere
//
// The package is pure: no I/O but through the store, no goroutines, no clock (the
// time is in the record), and it imports only the root package and the standard
// library.
package audit
