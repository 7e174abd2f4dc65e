// Command wht93 is the command line of the WH/T 93-2021 SDK: it checks the
// standard's codes and real-name document numbers, one at a time or by the million
// from standard input, and runs the reporting platform's simulator.
//
//	wht93 check [--json] CODE...    check codes (region, venue, hall, session, ticket, type)
//	wht93 check [--json] -          check one code a line from standard input
//	wht93 id [--type TYPE] [--json] NUMBER...|-
//	                                validate identity document numbers
//	wht93 platform serve [flags]    run the Appendix A platform simulator
//	wht93 gate simulate [flags]     run simulated check-in gates (8.2.3)
//	wht93 queue (--db PATH | --dsn DSN) stats|list|show|retry|bury
//	                                inspect and re-drive the report queue
//
// Results go to standard output, errors and summaries to standard error. The exit
// status is 0 when everything checked is valid, 1 when anything is invalid and 2
// for a usage error.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `wht93 — WH/T 93-2021 演出票务系统 SDK 命令行 / command line

用法 / usage:
  wht93 check [--json] CODE...       检查编码 / check codes (region 6, venue 9, hall 11,
                                     session 21, ticket 22–50 bytes, performance type 4)
  wht93 check [--json] -             从标准输入逐行检查 / one code a line from standard input
  wht93 id [--type TYPE] [--json] NUMBER...|-
                                     校验证件号码 / validate document numbers
  wht93 platform serve [flags]       运行上报平台模拟器 / run the platform simulator
  wht93 gate simulate [flags]        运行检票设备模拟器 / run simulated check-in gates
  wht93 queue (--db PATH | --dsn DSN) stats|list|show|retry|bury
                                     查看并重新投递上报队列 / inspect and re-drive the report queue

退出状态 / exit status: 0 全部有效 all valid, 1 有无效项 any invalid, 2 用法错误 usage error
`

// Exit statuses.
const (
	exitOK      = 0
	exitInvalid = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches a command line and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "check":
		return runCheck(args[1:], stdin, stdout, stderr)
	case "id":
		return runID(args[1:], stdin, stdout, stderr)
	case "platform":
		return runPlatform(args[1:], stdout, stderr)
	case "queue":
		return runQueue(args[1:], stdout, stderr)
	case "gate":
		return runGate(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "未知命令 / unknown command: %q\n\n%s", args[0], usage)
	return exitUsage
}
