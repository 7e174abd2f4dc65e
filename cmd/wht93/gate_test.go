package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestGateSimulate(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"lan in process", []string{"simulate", "--gates", "3", "--scans", "30", "--seed", "2"},
			[]string{"局域网节点 lan-1 从在线服务器增量下载 38 张票", "准予入场", "演出票检票次数超过演出票务系统设置的最大值，不可再次检票入场",
				"共检票 30 次", "与预期不符 0", "局域网节点 lan-1 向在线服务器回传", "设备 G01-D1（检票口 G01）：网络 局域网"}},
		{"online over http with wire messages", []string{"simulate", "--mode", "online", "--transport", "http", "--gates", "2", "--scans", "10", "--wire"},
			[]string{"检票设备经 HTTP 连接 http://127.0.0.1:", `→ {"id":"sim-1-G01-000000","method":`, `← {"accepted":`, "与预期不符 0", "网络 在线"}},
		{"lan over http on bolt with a crowd warning", []string{"simulate", "--transport", "http", "--store", filepath.Join(t.TempDir(), "e.db"),
			"--scans", "40", "--capacity", "10", "--dup", "0", "--quiet"},
			[]string{"局域网节点 lan-1 从在线服务器增量下载 48 张票", "⚠ 客流预警警报：场内人数 9，达到容量 10 的预警线 9", "与预期不符 0"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := runGate(tc.args, &out, &errOut); code != exitOK {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Fatalf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestGateUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"run"}, {"simulate", "--mode", "x"}, {"simulate", "--transport", "udp"},
		{"simulate", "--scans", "0"}, {"simulate", "--gates", "0"}, {"simulate", "--dup", "2"}, {"simulate", "extra"}, {"simulate", "--max", "0"}} {
		var out, errOut bytes.Buffer
		if code := runGate(args, &out, &errOut); code != exitUsage || errOut.Len() == 0 {
			t.Fatalf("%q: exit %d, stderr %q", args, code, errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	if code := runGate([]string{"help"}, &out, &errOut); code != exitOK || !strings.Contains(out.String(), "wht93 gate simulate") {
		t.Fatalf("help: %d %q", code, out.String())
	}
}
