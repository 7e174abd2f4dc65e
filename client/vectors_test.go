package client_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
)

// validating is a request that checks itself against its table.
type validating interface {
	Validate(client.Format) wht93.Violations
}

func TestRequestVectors(t *testing.T) {
	f := client.DefaultFormat()
	cases := []struct {
		file string
		req  validating
		want []string
	}{
		{"valid-ticket.json", &client.ReportTicketRequest{}, nil},
		{"invalid-ticket.json", &client.ReportTicketRequest{}, []string{"performanceId=client.field.required",
			"sessionCode=codes.session.date", "ticketList[0].availableSale=client.field.enum", "ticketList[0]=client.ticket.seat",
			"ticketList[1].ticketId=client.batch.duplicate"}},
		{"valid-order.json", &client.ReportOrderRequest{}, nil},
		{"invalid-order.json", &client.ReportOrderRequest{}, []string{"channelType=client.field.enum", "orderTime=client.field.datetime",
			"ticketNum=client.order.ticket_num", "totalAmount=client.field.range"}},
	}
	for _, tc := range cases {
		b, err := os.ReadFile("testdata/requests/" + tc.file)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(tc.req); err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if got := fields(tc.req.Validate(f).Errors()); strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s:\n got %v\nwant %v", tc.file, got, tc.want)
		}
	}
}

// FuzzValidateRequests: any JSON body decoded into any request validates
// without panicking, and a request that passes marshals back to JSON that
// decodes and passes again.
func FuzzValidateRequests(f *testing.F) {
	for _, name := range []string{"valid-ticket.json", "invalid-ticket.json", "valid-order.json", "invalid-order.json"} {
		b, err := os.ReadFile("testdata/requests/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	format := client.DefaultFormat()
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, mk := range []func() validating{
			func() validating {
				return &client.ReportTicketRequest{}
			},
			func() validating {
				return &client.ReportOrderRequest{}
			},
			func() validating {
				return &client.SessionCodeRequest{}
			},
			func() validating {
				return &client.ReportRefundRequest{}
			},
			func() validating {
				return &client.ReportCheckingRequest{}
			},
			func() validating {
				return &client.VenueSaveRequest{}
			},
		} {
			r := mk()
			if json.Unmarshal(b, r) != nil {
				continue
			}
			if r.Validate(format).Err() != nil {
				continue
			}
			out, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			again := mk()
			if err := json.Unmarshal(out, again); err != nil {
				t.Fatalf("%s: %v", out, err)
			}
			if err := again.Validate(format).Err(); err != nil {
				t.Fatalf("valid request invalid after a round trip: %v", err)
			}
		}
	})
}

// FuzzFormatParse: Parse never panics and what it accepts formats back to the
// same text.
func FuzzFormatParse(f *testing.F) {
	for _, s := range []string{"2024-06-01 19:30:05", "2024-02-29 00:00:00", "2023-02-29 00:00:00", "2024-6-1 1:2:3", ""} {
		f.Add(s)
	}
	format := client.DefaultFormat()
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := format.Parse(client.DateTime(s))
		if err != nil {
			return
		}
		if got := format.DateTime(tm); string(got) != s {
			t.Fatalf("%q parsed to %v, formats as %q", s, tm, got)
		}
		if tm.Location() != format.Location && tm.In(format.Location).Format(time.DateTime) != s {
			t.Fatalf("zone lost for %q", s)
		}
	})
}
