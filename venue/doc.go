// Package venue holds venues, their halls and the halls' seat templates (clause
// 6.3.1 of WH/T 93-2021, tests E.2.1.1 and E.2.1.2).
//
// A [Venue] carries every field of 6.3.1.1 and [Venue.Validate] reports every
// violation at once: the province, city and district must be those of one GB/T 2260
// region — the region coded in the venue code's first six digits when the venue has
// a code (the district; for a city without districts, the city) — and each hall code
// must start with the venue code. Contact names and phones are masked in errors.
//
// A [Template] is the standard set of seats of a seated hall (6.3.1.2), the basis of
// every session's seating chart. A seat is located by floor, area, row and number
// (the hall is the template's) and the location is unique. Seats have compact ids
// ([SeatID], 0 … Len()-1) so that a seating chart can keep per-seat state in slices;
// each row and each area is a contiguous id range, and a seat's Pos says which
// seats of its row are neighbours. Unseated halls have a capacity and no template.
//
// Templates are built from a compact description ([Spec]: areas of rows with seat
// ranges, odd or even numbering, skipped seats, aisles, optional drawing
// coordinates), from explicit seats ([NewTemplate]), or read from CSV ([ReadCSV]) or
// JSON ([ReadJSON]), which report every bad line with its number:
//
//	tpl, err := venue.Build(venue.Spec{Hall: "大剧场", Sections: []venue.Section{{
//		Floor: "一层", Area: "A区",
//		Rows: []venue.RowBlock{
//			{From: 1, To: 20, Seats: venue.SeatRange{From: 29, To: 1, Parity: venue.OddNumbers}},
//			{From: 1, To: 20, Seats: venue.SeatRange{From: 2, To: 30, Parity: venue.EvenNumbers}, Gap: 1},
//		},
//	}}})
//	if err != nil {
//		for _, v := range wht93.ViolationsOf(err) { … v.Field, v.Zh, v.En … }
//	}
//	id, _ := tpl.Lookup(venue.Location{Floor: "一层", Area: "A区", Row: "3排", Number: "12号"})
//
// Everything here is a value or an immutable template: no I/O beyond the reader
// passed in, no shared state. A Template is safe for concurrent use.
package venue
