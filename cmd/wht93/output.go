package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/piaowu/wht93"
)

// maxLine is the longest input line read whole; every code and document number is
// far shorter, so a longer line is reported as invalid, never cut silently.
const maxLine = 64 << 10

var errLineTooLong = wht93.NewRule("cli.line_too_long", "输入行过长", "input line too long")

// eachInput calls fn with every input: the arguments, or with the single argument
// "-" every line of stdin (without its line ending). fn returns whether the input
// was valid. eachInput returns the counts of valid and invalid inputs.
func eachInput(args []string, stdin io.Reader, fn func(in string, tooLong bool) bool) (valid, invalid int, err error) {
	count := func(ok bool) {
		if ok {
			valid++
		} else {
			invalid++
		}
	}
	if len(args) != 1 || args[0] != "-" {
		for _, a := range args {
			count(fn(a, false))
		}
		return valid, invalid, nil
	}
	r := bufio.NewReaderSize(stdin, maxLine)
	for {
		line, err := r.ReadSlice('\n')
		tooLong := false
		if errors.Is(err, bufio.ErrBufferFull) {
			tooLong = true
			for errors.Is(err, bufio.ErrBufferFull) { // skip the rest of the line
				_, err = r.ReadSlice('\n')
			}
			line = line[:0]
		}
		if len(line) > 0 || tooLong {
			s := strings.TrimRight(string(line), "\r\n")
			count(fn(s, tooLong))
		}
		if err == io.EOF {
			return valid, invalid, nil
		}
		if err != nil {
			return valid, invalid, err
		}
	}
}

// violationJSON is a violation as --json prints it.
type violationJSON struct {
	Code    string `json:"code"`
	Field   string `json:"field"`
	Value   string `json:"value"`
	Zh      string `json:"zh"`
	En      string `json:"en"`
	Warning bool   `json:"warning,omitempty"`
}

func violationsJSON(vs wht93.Violations) []violationJSON {
	out := make([]violationJSON, len(vs))
	for i, v := range vs {
		out[i] = violationJSON{v.Code(), v.Field, v.Value, v.Zh, v.En, v.Warning}
	}
	return out
}

// writeJSONLine writes v as one line of JSON.
func writeJSONLine(w *bufio.Writer, v any) {
	b, err := json.Marshal(v)
	if err != nil { // only plain values are written; this cannot happen
		b = []byte(fmt.Sprintf(`{"error":%q}`, err.Error()))
	}
	w.Write(b)
	w.WriteByte('\n')
}

// writeViolations writes the violations on one line, separated by "; ".
func writeViolations(w *bufio.Writer, vs wht93.Violations) {
	for i, v := range vs {
		if i > 0 {
			w.WriteString("; ")
		}
		if v.Warning {
			w.WriteString("提示/warning: ")
		}
		w.WriteString(v.Error())
	}
}

// finish ends a run of eachInput over args: it flushes w, reports a read or write
// error (exit status 2), writes the summary of a run over standard input and
// returns the exit status for the counts.
func finish(w *bufio.Writer, stderr io.Writer, args []string, valid, invalid int, err error) int {
	if ferr := w.Flush(); ferr != nil && err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintf(stderr, "读取或写入失败 / read or write failed: %v\n", err)
		return exitUsage
	}
	if len(args) == 1 && args[0] == "-" {
		summary(stderr, valid, invalid)
	}
	return status(invalid)
}

// summary writes the closing count of a run over standard input.
func summary(stderr io.Writer, valid, invalid int) {
	fmt.Fprintf(stderr, "共 %d 项：有效 %d，无效 %d / %d checked: %d valid, %d invalid\n",
		valid+invalid, valid, invalid, valid+invalid, valid, invalid)
}

// status returns the exit status for the counts.
func status(invalid int) int {
	if invalid > 0 {
		return exitInvalid
	}
	return exitOK
}

// verbFlags starts a command that takes one verb ("wht93 gate simulate"): when
// args start with verb it returns the verb's flag set, printing usage on a flag
// error; otherwise it prints usage (to stdout when help is asked for) and returns
// nil and the exit status.
func verbFlags(args []string, command, verb, usage string, stdout, stderr io.Writer) (*flag.FlagSet, int) {
	if len(args) == 0 || args[0] != verb {
		if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(stdout, usage)
			return nil, exitOK
		}
		fmt.Fprint(stderr, usage)
		return nil, exitUsage
	}
	fs := flag.NewFlagSet("wht93 "+command+" "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	return fs, exitOK
}
