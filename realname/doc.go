// Package realname implements the real-name rules of WH/T 93-2021: the identity
// documents a buyer presents for a real-name sale (clause 6.3.3.1) and the
// validation of their numbers (E.2.3), masking of names and numbers on printed
// tickets and in logs (6.3.5), field encryption and blind indexing of buyers'
// personal data (7.1.1.3), and the real-name modes of a sale — none, one ID per
// order (一单一证), one ID per ticket (一票一证), Appendix A's authMode 1/2/3 —
// with the rules they impose on an order and on a transfer (6.3.3.2).
//
// # Documents
//
// [Validate] checks a number as one of ten [DocType]s and returns a [Document], or
// every violation at once as [wht93.Violations] whose values are masked:
//
//   - resident identity card (居民身份证, resident-id): 18 characters of
//     GB 11643-1999 — a GB/T 2260 address code of any edition since 1981 (or a
//     summary code such as 440401 市辖区 whose prefecture exists; a code whose
//     province alone exists is a warning), a birth date that exists, is not before
//     1900 and not after today, a sequence number and the ISO 7064 MOD 11-2 check
//     digit. The 15-digit first-generation form (GB 11643-1989) is recognised and
//     upgraded to 18 digits, with a warning;
//   - residence permits for Hong Kong and Macao residents (810000 / 820000) and for
//     Taiwan residents (830000): the same 18-character rules with a fixed prefix;
//   - foreign permanent resident ID card: the 2023 form (9, issuing province,
//     ISO 3166-1 numeric nationality, birth date, sequence, MOD 11-2 check digit)
//     and the earlier 15-character form (alpha-3 nationality and 12 digits);
//   - Mainland travel permits for Hong Kong and Macao residents (H/M and 8 or 10
//     digits) and for Taiwan residents (8 or 10 digits; the booklet form adds a
//     letter); HKSAR (K, KJ, H) and Macao SAR (MA) passports: shape only, their
//     issuers publish no check;
//   - passports (PRC or foreign): 5 to 17 capital letters and digits; the form says
//     whether it has the shape of a PRC passport;
//   - soldier and officer IDs: no public format exists, so only length (4–20),
//     characters (letters, digits, Chinese characters) and a digit are checked.
//
// Numbers are normalised first ([Normalize]: trimmed, full-width folded, letters
// upper-cased). [Candidates] says which types a number could be when the type is
// not given. today is always a parameter: the package never reads the clock.
//
// # Personal data
//
// [Document] and [Holder] keep the number and the name in unexported fields and
// print them masked ([MaskNumber], [MaskName]) through String, GoString, Format and
// slog's LogValue; only Number and Name return them whole. At rest they are
// encrypted with a [Keyring] (AES-256-GCM, key ids for rotation, bound to field and
// record) and found again through a [BlindIndexer] (HMAC-SHA256 of type and
// canonical number, under a separate key).
//
// # Usage
//
//	today := wht93.DateOf(time.Now())
//	doc, err := realname.Validate(realname.TypeResidentID, input, today)
//	if err != nil {
//		return err // wht93.Violations: every broken rule, number masked
//	}
//	ct, err := keyring.Encrypt([]byte(doc.Number()), "buyer.idNumber", buyerID)
//	idx := indexer.Index(doc) // count tickets per ID for the purchase limit
//	if vs := realname.ModePerTicket.CheckOrder(orderDoc, ticketDocs); vs.Err() != nil {
//		return vs
//	}
//	slog.Info("sold", "holder", holder) // logs 张** resident-id 110101**********3X
//
// Everything in the package is a value or immutable after construction and safe
// for concurrent use; it holds no mutable package state and does no I/O.
package realname
