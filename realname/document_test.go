package realname

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// No way of printing a Document or a Holder reveals the number or the name.
func TestPersonalDataNeverPrintsWhole(t *testing.T) {
	d, err := ParseResidentID(acceptanceID, testToday)
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHolder("欧阳娜娜", d)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	logger.Info("sale", "buyer", h, "doc", d)
	textLogs := bytes.Buffer{}
	slog.New(slog.NewTextHandler(&textLogs, nil)).Info("sale", "buyer", h, "doc", d, "ptr", &d)
	js, _ := json.Marshal(struct {
		D Document
		H Holder
	}{d, h})
	var outputs []string
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10v"} {
		outputs = append(outputs, fmt.Sprintf(f, d), fmt.Sprintf(f, h), fmt.Sprintf(f, &d), fmt.Sprintf(f, []Document{d}),
			fmt.Sprintf(f, struct{ H Holder }{h}))
	}
	outputs = append(outputs, d.String(), h.String(), d.GoString(), h.GoString(), logs.String(), textLogs.String(), string(js))
	for _, o := range outputs {
		if strings.Contains(o, acceptanceID) || strings.Contains(o, "娜娜") ||
			strings.Contains(strings.ToUpper(o), strings.ToUpper(fmt.Sprintf("%x", acceptanceID))) {
			t.Errorf("personal data printed: %s", o)
		}
	}
	if !strings.Contains(logs.String(), `"number":"110101**********3X"`) || !strings.Contains(logs.String(), `"name":"欧阳**"`) {
		t.Errorf("log lacks the masked values: %s", logs.String())
	}
	if got := fmt.Sprint(h); got != "欧阳** resident-id 110101**********3X" {
		t.Errorf("Holder prints %q", got)
	}
	if h.Name() != "欧阳娜娜" || h.Document().Number() != acceptanceID {
		t.Error("accessors do not return the data")
	}
}

func TestNewHolder(t *testing.T) {
	d, _ := ParseResidentID(acceptanceID, testToday)
	for _, tc := range []struct {
		name string
		doc  Document
		ok   bool
	}{
		{"张三", d, true},
		{" 张三 ", d, true},
		{"", d, false},
		{"张\x00三", d, false},
		{strings.Repeat("张", 101), d, false},
		{"张三", Document{}, false},
	} {
		h, err := NewHolder(tc.name, tc.doc)
		if (err == nil) != tc.ok {
			t.Errorf("NewHolder(%q): %v", tc.name, err)
		}
		if err == nil && h.Name() != strings.TrimSpace(tc.name) {
			t.Errorf("name %q", h.Name())
		}
		if err != nil && strings.Contains(err.Error(), tc.name) && len(tc.name) > 3 {
			t.Errorf("error reveals the name: %v", err)
		}
	}
}
