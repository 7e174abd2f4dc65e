package main

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
)

// TestQuickstart runs the walk-through and checks what it says at each step.
func TestQuickstart(t *testing.T) {
	var out bytes.Buffer
	seeded := rand.NewChaCha8([32]byte{1})
	if err := run(&out, seeded, wht93.Date{Year: 2026, Month: time.November, Day: 27}, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"110101 北京市 东城区: 县级, 在用",
		"110103 北京市 崇文区: 县级, 弃用",
		"session 110101001012024052701",
		"演出日期: 2024-05-27",
		"2023-02-29",
		"seat-derived 110101001012024052701S",
		"1003: 戏剧类 / 音乐剧",
		"1090 rejected",
		"valid, born 1990-03-07",
		"one digit changed:",
		"decrypts to the same number: true",
		"moved to another record: refused",
		"blind index equal for a full-width, lower-case x entry of the same number: true",
		"authMode 3 一票一证",
		"sold 一层 A区 1排 3号 tier A 880.00",
		"refused: policies[limit-2]",
		"sold 2 through agent for 960.00",
		"预留座位",
		"issued 2 reserved seats by admin01",
		"box office sess-1: 100 tickets, sold 4 for 3520.00",
		"session sess-1 has code 110101001012025052001",
		"issued 110101001012025052001N00000001, 一层 A区 1排 3号, holder 张* resident-id 110101**********3X",
		"verifies offline at the show: true",
		"after the show it no longer does (E.1.5 c): true",
		"print 2 (reprint true, reason \"卡纸\")",
		"the first paper is void: true; the printed face masks the holder: true",
		"QR symbol for the gate: true",
		"李* 110105**********2X → 王* 110102**********31, code version 1 → 2",
		"refunded 110101001012025052001N00000001: paid 880.00, fee 176.00, returned 704.00",
		"its e-ticket code is void at the gate: true",
		"box office sess-1 now: sold 3 for 2640.00, remaining 97",
		"the refunded seat can be held again",
		"operation log: 6 entries, the chain verifies",
		"LAN node pulled 4 passes",
		"演出票检票次数超过演出票务系统设置的最大值，不可再次检票入场",
		"warning: 客流预警",
		"id-card 准予入场",
		"LAN node pushed 2 entries up; online count of the ID-card ticket: 1",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, number := range []string{"11010119900307803X", "11010519491231002X", "110102198801010031", "张三", "李四", "王五"} {
		if strings.Contains(s, number) {
			t.Errorf("personal data printed whole: %s", number)
		}
	}
}
