package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
)

// checkResult is one line of `wht93 check --json`.
type checkResult struct {
	Input      string          `json:"input"`
	Valid      bool            `json:"valid"`
	Kind       string          `json:"kind,omitempty"`
	Code       string          `json:"code,omitempty"`
	Parts      []codes.Part    `json:"parts,omitempty"`
	Violations []violationJSON `json:"violations,omitempty"`
}

func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "每项输出一行JSON / one JSON object a line")
	fs.Usage = func() {
		fmt.Fprint(stderr, "用法 / usage: wht93 check [--json] CODE... | -\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	w := bufio.NewWriterSize(stdout, 64<<10)
	var parts []codes.Part
	valid, invalid, err := eachInput(fs.Args(), stdin, func(in string, tooLong bool) bool {
		var c codes.Code
		var vs wht93.Violations
		if tooLong {
			vs = wht93.Violations{errLineTooLong.At("code", fmt.Sprintf("%d+ bytes", maxLine))}
		} else {
			c, vs = codes.Check(in)
		}
		ok := c != nil
		if c != nil {
			parts = c.AppendParts(parts[:0])
		}
		if *asJSON {
			r := checkResult{Input: in, Valid: ok, Violations: violationsJSON(vs)}
			if c != nil {
				r.Kind, r.Code, r.Parts = c.Kind().String(), c.String(), parts
			}
			writeJSONLine(w, r)
			return ok
		}
		if ok {
			w.WriteString("OK\t")
		} else {
			w.WriteString("INVALID\t")
		}
		w.WriteString(in)
		w.WriteByte('\t')
		if c != nil {
			k := c.Kind()
			w.WriteString(k.Zh())
			w.WriteByte('/')
			w.WriteString(k.En())
			w.WriteByte('\t')
			for i, p := range parts {
				if i > 0 {
					w.WriteString("; ")
				}
				w.WriteString(p.Label)
				w.WriteByte('=')
				w.WriteString(p.Value)
				if p.Text != p.Value {
					w.WriteByte(' ')
					w.WriteString(p.Text)
				}
			}
			if len(vs) > 0 {
				w.WriteByte('\t')
			}
		}
		writeViolations(w, vs)
		w.WriteByte('\n')
		return ok
	})
	return finish(w, stderr, fs.Args(), valid, invalid, err)
}
