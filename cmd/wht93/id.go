package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/realname"
)

// idResult is one line of `wht93 id --json`. The number is masked: document
// numbers are personal data and never printed whole.
type idResult struct {
	Number     string             `json:"number"`
	Valid      bool               `json:"valid"`
	Type       string             `json:"type,omitempty"`
	Candidates []realname.DocType `json:"candidates,omitempty"`
	Birth      string             `json:"birth,omitempty"`
	Sex        string             `json:"sex,omitempty"`
	Region     string             `json:"region,omitempty"`
	Violations []violationJSON    `json:"violations,omitempty"`
}

func runID(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("id", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "每项输出一行JSON / one JSON object a line")
	typeName := fs.String("type", "", "证件类型 / document type: "+docTypeNames())
	fs.Usage = func() {
		fmt.Fprint(stderr, "用法 / usage: wht93 id [--type TYPE] [--json] NUMBER... | -\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	var docType realname.DocType
	if *typeName != "" {
		t, err := realname.ParseDocType(*typeName)
		if err != nil {
			fmt.Fprintf(stderr, "%v\n可用类型 / types: %s\n", err, docTypeNames())
			return exitUsage
		}
		docType = t
	}
	today := wht93.DateOf(time.Now())
	w := bufio.NewWriterSize(stdout, 64<<10)
	valid, invalid, err := eachInput(fs.Args(), stdin, func(in string, tooLong bool) bool {
		r := idResult{Number: realname.MaskNumber(realname.Normalize(in))}
		var vs wht93.Violations
		switch {
		case tooLong:
			r.Number = ""
			vs = wht93.Violations{errLineTooLong.At("number", fmt.Sprintf("%d+ bytes", maxLine))}
		case docType != 0:
			doc, err := realname.Validate(docType, in, today)
			r.Type = docType.String()
			if err != nil {
				vs = wht93.ViolationsOf(err)
				if vs == nil { // not a rule violation: still report it, masked by realname
					vs = wht93.Violations{errUnexpected.At("number", r.Number)}
				}
			} else {
				r.Valid = true
				describe(&r, doc)
				vs = doc.Warnings()
			}
		default:
			r.Candidates = realname.Candidates(in, today)
			r.Valid = len(r.Candidates) > 0
			if !r.Valid {
				vs = wht93.Violations{errNoType.At("number", r.Number)}
			} else if doc, err := realname.Validate(r.Candidates[0], in, today); err == nil {
				describe(&r, doc)
			}
		}
		r.Violations = violationsJSON(vs)
		if *asJSON {
			writeJSONLine(w, r)
			return r.Valid
		}
		if r.Valid {
			w.WriteString("OK\t")
		} else {
			w.WriteString("INVALID\t")
		}
		w.WriteString(r.Number)
		w.WriteByte('\t')
		switch {
		case docType != 0:
			w.WriteString(docType.Zh() + "/" + docType.String())
		case len(r.Candidates) > 0:
			names := make([]string, len(r.Candidates))
			for i, t := range r.Candidates {
				names[i] = t.Zh() + "/" + t.String()
			}
			w.WriteString("可能为/could be: " + strings.Join(names, ", "))
		}
		for _, kv := range [][2]string{{"出生日期/birth", r.Birth}, {"性别/sex", r.Sex}, {"地区/region", r.Region}} {
			if kv[1] != "" {
				w.WriteString("\t" + kv[0] + "=" + kv[1])
			}
		}
		if len(vs) > 0 {
			w.WriteByte('\t')
			writeViolations(w, vs)
		}
		w.WriteByte('\n')
		return r.Valid
	})
	return finish(w, stderr, fs.Args(), valid, invalid, err)
}

var (
	errNoType     = wht93.NewRule("cli.no_doc_type", "不是任何一种证件的有效号码", "not a valid number of any document type")
	errUnexpected = wht93.NewRule("cli.unexpected", "无法校验该号码", "the number could not be checked")
)

// describe fills what the document encodes.
func describe(r *idResult, doc realname.Document) {
	if b, ok := doc.Birth(); ok {
		r.Birth = b.String()
	}
	if s := doc.Sex(); s != realname.SexUnknown {
		r.Sex = s.Zh() + "/" + s.String()
	}
	if reg, ok := doc.Region(); ok {
		r.Region = reg.Province
		if reg.Prefecture != "" && reg.Prefecture != reg.Province && reg.Prefecture != "直辖" {
			r.Region += " " + reg.Prefecture
		}
		if reg.Name != reg.Province && reg.Name != reg.Prefecture {
			r.Region += " " + reg.Name
		}
	}
}

func docTypeNames() string {
	var names []string
	for _, t := range realname.DocTypes() {
		names = append(names, t.String())
	}
	return strings.Join(names, ", ")
}
