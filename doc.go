// Package wht93 holds the conventions every package of the SDK shares: the error
// convention (a [Rule] sentinel per rule of the standard, a [Violation] naming the
// field and the value, [Violations] carrying every violation of a value at once),
// money in integer fen ([Fen]) and China Standard Time ([CST], [Date]).
//
// The SDK implements WH/T 93-2021 (演出票务系统服务及技术规范). The packages that do
// the work live below this one: codes, realname, and the rest listed in README.md.
// This package imports nothing of the SDK and holds no mutable state.
package wht93
