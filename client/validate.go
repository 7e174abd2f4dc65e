package client

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
)

// Rules of the tables of Appendix A, checked before a request is sent. A failed
// check returns every violation as wht93.Violations and nothing is sent.
var (
	ErrRequired   = wht93.NewRule("client.field.required", "必填字段为空", "required field is empty")
	ErrTooLong    = wht93.NewRule("client.field.length", "字段超过规定长度", "field longer than the table allows")
	ErrEnum       = wht93.NewRule("client.field.enum", "取值不在规定范围内", "value is not one the table allows")
	ErrRange      = wht93.NewRule("client.field.range", "数值超出允许范围", "number out of the allowed range")
	ErrDateTime   = wht93.NewRule("client.field.datetime", "时间格式错误", "DateTime in the wrong format")
	ErrTimeOrder  = wht93.NewRule("client.field.time_order", "结束时间早于开始时间", "end time before start time")
	ErrBatchSize  = wht93.NewRule("client.batch.size", "批量条数超出上限", "too many entries in one call")
	ErrBatchEmpty = wht93.NewRule("client.batch.empty", "列表不能为空", "list must not be empty")
	ErrDuplicate  = wht93.NewRule("client.batch.duplicate", "列表内标识重复", "identifier repeated within the list")
	ErrCodeFormat = wht93.NewRule("client.field.code", "编码格式错误", "code in the wrong format")
	ErrSeatFields = wht93.NewRule("client.ticket.seat", "座位信息（楼层、区域、排、座）须同时填写，且同批一致",
		"seat fields (floor, area, row, seat) must be all present or all absent, alike across the batch")
	ErrTicketNum = wht93.NewRule("client.order.ticket_num", "购票数量与票单数量不一致", "ticketNum differs from the number of sub-orders")
)

// Batch limits.
const (
	// MaxTicketsPerCall is the limit of A.3.3.5 (一次最多200个).
	MaxTicketsPerCall = 200
	// MaxOrdersPerCall is the limit of A.3.3.6 (一次最多20个订单).
	MaxOrdersPerCall = 20
	// MaxCheckinsPerCall bounds /report/checking like /report/ticket (a decision:
	// the standard names no limit).
	MaxCheckinsPerCall = 200
	// MaxPageSize is the largest pageSize of /standard/venue/list.
	MaxPageSize = 200
)

// checker accumulates violations. Field paths are the wire names.
type checker struct {
	vs wht93.Violations
	f  Format
}

// str checks a String field: required when req, at most max characters.
func (c *checker) str(field, v string, max int, req bool) {
	if v == "" {
		if req {
			c.vs = append(c.vs, ErrRequired.At(field, ""))
		}
		return
	}
	if !utf8.ValidString(v) {
		c.vs = append(c.vs, ErrTooLong.Atf(field, shorten(v), "字段不是有效的 UTF-8", "field is not valid UTF-8"))
		return
	}
	if n := utf8.RuneCountInString(v); n > max {
		c.vs = append(c.vs, ErrTooLong.Atf(field, shorten(v),
			fmt.Sprintf("长度 %d 超过 %d 个字符", n, max),
			fmt.Sprintf("%d characters, at most %d allowed", n, max)))
	}
}

// enum checks that v is one of allowed.
func (c *checker) enum(field string, v int, allowed ...int) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	c.vs = append(c.vs, ErrEnum.Atf(field, strconv.Itoa(v),
		fmt.Sprintf("取值应为 %v 之一", allowed), fmt.Sprintf("must be one of %v", allowed)))
}

// min checks v >= lo.
func (c *checker) min(field string, v int64, lo int64) {
	if v < lo {
		c.vs = append(c.vs, ErrRange.Atf(field, strconv.FormatInt(v, 10),
			fmt.Sprintf("不能小于 %d", lo), fmt.Sprintf("must be at least %d", lo)))
	}
}

// code checks a code of Appendix B or C with the codes package: a session code
// (21 digits), a hall code (11) or a venue code (9); a field that accepts both a
// hall and a venue code (hallCode of /performance/code) passes kind "hall|venue".
// Only error-level findings count; the field path is the wire name.
func (c *checker) code(field, v string, req bool, kind string) {
	if v == "" {
		if req {
			c.vs = append(c.vs, ErrRequired.At(field, ""))
		}
		return
	}
	var vs wht93.Violations
	switch {
	case kind == "session":
		_, vs = codes.CheckSessionCode(v)
	case kind == "venue" || (kind == "hall|venue" && len(v) == 9):
		_, vs = codes.CheckVenueCode(v)
	default:
		_, vs = codes.CheckHallCode(v)
	}
	for _, x := range vs.Errors() {
		y := *x
		y.Field = field
		if y.Value != v {
			y.Value = shorten(v)
		}
		c.vs = append(c.vs, &y)
	}
}

// region checks an optional (0 = absent) GB/T 2260 code of six digits.
func (c *checker) region(field string, v int64, req bool) {
	if v == 0 {
		if req {
			c.vs = append(c.vs, ErrRequired.At(field, "0"))
		}
		return
	}
	if v < 110000 || v > 999999 {
		c.vs = append(c.vs, ErrCodeFormat.Atf(field, strconv.FormatInt(v, 10),
			"行政区划代码应为6位数字", "region code must be 6 digits (GB/T 2260)"))
	}
}

// typeID checks a performance type code of Appendix D (1001 话剧, 1000 drama of
// another type, 5000 综艺…).
func (c *checker) typeID(field string, v int, req bool) {
	if v == 0 {
		if req {
			c.vs = append(c.vs, ErrRequired.At(field, "0"))
		}
		return
	}
	if v < 1000 || v > 9999 || !codes.TypeCode(v).Valid() {
		c.vs = append(c.vs, ErrCodeFormat.Atf(field, strconv.Itoa(v),
			"演出类型编码应为附录D的4位编码", "performance type must be a 4-digit Appendix D code"))
	}
}

// batch checks the length of a list.
func (c *checker) batch(field string, n, max int) {
	if n == 0 {
		c.vs = append(c.vs, ErrBatchEmpty.At(field, "[]"))
		return
	}
	if max > 0 && n > max {
		c.vs = append(c.vs, ErrBatchSize.Atf(field, strconv.Itoa(n),
			fmt.Sprintf("一次最多 %d 条，实有 %d 条", max, n),
			fmt.Sprintf("at most %d per call, got %d", max, n)))
	}
}

// unique records a duplicate identifier within a list.
func (c *checker) unique(seen map[string]int, field, v string) {
	if v == "" {
		return
	}
	if _, dup := seen[v]; dup {
		c.vs = append(c.vs, ErrDuplicate.At(field, shorten(v)))
		return
	}
	seen[v] = len(seen)
}

// nested adds the violations of entry i of the list field, if any (the path is
// only built when there is something to report).
func (c *checker) nested(field string, i int, vs wht93.Violations) {
	if len(vs) > 0 {
		c.vs = append(c.vs, vs.In(idx(field, i))...)
	}
}

// shorten keeps at most 60 characters of a value quoted in a violation, so that a
// 10,000-character description does not flood the error.
func shorten(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	r := []rune(s)
	return string(r[:57]) + "..."
}

func idx(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }
