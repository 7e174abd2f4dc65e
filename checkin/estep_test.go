package checkin_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/store/memory"
	"github.com/piaowu/wht93/ticket"
)

// e27Message is the wording E.2.7 c) and f) expect of a second entry.
const e27Message = "演出票检票次数超过演出票务系统设置的最大值，不可再次检票入场"

// E.1.5 c): after the show ends, the e-ticket no longer admits anyone.
func TestE1_5c_ExpiredAfterShow(t *testing.T) {
	w := newWorld(t)
	c := w.checker("online", checkin.Rules{})
	_, cred := w.issue(&w.sess, idZhang)
	st := memory.NewEntries()
	ctx := context.Background()
	for i, when := range []time.Time{w.sess.End, w.sess.End.Add(time.Second), w.sess.End.Add(24 * time.Hour)} {
		d := must[checkin.Decision](t)(c.Enter(ctx, st, qr("s"+strconv.Itoa(i), cred, when), w.book))
		if d.Accepted || !errors.Is(d.Err(), checkin.ErrExpired) {
			t.Fatalf("at %v: %v, want %s", when, d, checkin.ErrExpired.Code())
		}
	}
	// Before the end it admits.
	if d := must[checkin.Decision](t)(c.Enter(ctx, st, qr("s9", cred, w.sess.End.Add(-time.Second)), w.book)); !d.Accepted {
		t.Fatalf("before the end: %v", d)
	}
	if n := must[int](t)(st.Count(ctx, must[ticket.Signed](t)(ticket.ParseCredential(cred)).Ticket)); n != 1 {
		t.Fatalf("count %d, want the one entry before the end", n)
	}
}

// E.2.7 a)–f): a bought ticket checks in once, the entry is recorded with its
// time, count and status, a second entry is refused with the standard's
// message; the same by ID card for a real-name ticket.
func TestE2_7_CheckIn(t *testing.T) {
	w := newWorld(t)
	c := w.checker("online", checkin.Rules{})
	st := memory.NewEntries()
	ctx := context.Background()

	// a) buy a ticket on sale; it checks in.
	tk, cred := w.issue(&w.sess, idZhang)
	d := must[checkin.Decision](t)(c.Enter(ctx, st, qr("scan-a", cred, at(20, 19, 0)), w.book))
	if !d.Accepted || d.Entry.Count != 1 {
		t.Fatalf("a) %v", d)
	}
	// b) one record with the time, count and status of the entry.
	es := must[[]checkin.Entry](t)(st.Entries(ctx, tk.Code))
	if len(es) != 1 || !es[0].At.Equal(at(20, 19, 0)) || es[0].Count != 1 || es[0].Method != checkin.QR || es[0].Gate != "东1" {
		t.Fatalf("b) records %+v", es)
	}
	// c) a second scan is refused with the wording of E.2.7.
	d = must[checkin.Decision](t)(c.Enter(ctx, st, qr("scan-c", cred, at(20, 19, 1)), w.book))
	if d.Accepted || !errors.Is(d.Err(), checkin.ErrMaxEntries) || d.Zh() != e27Message {
		t.Fatalf("c) %v", d)
	}
	if !strings.Contains(d.Err().Error(), e27Message) {
		t.Fatalf("c) error text %q", d.Err())
	}

	// d) buy another ticket with the ID card of 李四; the card checks in.
	tk2, _ := w.issue(&w.sess, idLi)
	d = must[checkin.Decision](t)(c.Enter(ctx, st, card(w, "scan-d", idLi, at(20, 19, 5)), w.book))
	if !d.Accepted || d.Entry.Ticket != tk2.Code || d.Entry.Method != checkin.IDCard {
		t.Fatalf("d) %v", d)
	}
	// e) one purchase record for the card, one entry record.
	if held := w.book.Holding(checkin.IDScan(w.indexer, w.doc(idLi))); len(held) != 1 || held[0].Ticket != tk2.Code {
		t.Fatalf("e) purchases of the card: %+v", held)
	}
	if es := must[[]checkin.Entry](t)(st.Entries(ctx, tk2.Code)); len(es) != 1 || es[0].Count != 1 {
		t.Fatalf("e) records %+v", es)
	}
	// f) the card again: refused with the same wording.
	d = must[checkin.Decision](t)(c.Enter(ctx, st, card(w, "scan-f", idLi, at(20, 19, 6)), w.book))
	if d.Accepted || !errors.Is(d.Err(), checkin.ErrMaxEntries) || d.Zh() != e27Message || d.Ticket != tk2.Code {
		t.Fatalf("f) %v", d)
	}
	if n := must[int](t)(st.Count(ctx, tk2.Code)); n != 1 {
		t.Fatalf("f) count %d", n)
	}
}

// E.2.8 a)–c): entry works, scanning over the flow threshold raises a
// 客流预警警报, and the devices' network and battery can be seen.
func TestE2_8_Monitoring(t *testing.T) {
	w := newWorld(t)
	c := w.checker("online", checkin.Rules{})
	st := memory.NewEntries()
	ctx := context.Background()
	var warnings []checkin.FlowWarning
	flow := must[*checkin.FlowMonitor](t)(checkin.NewFlowMonitor(checkin.FlowSettings{
		Capacity: 10, GateRate: 5, OnWarning: func(fw checkin.FlowWarning) { warnings = append(warnings, fw) },
	}))
	devices := must[*checkin.DeviceMonitor](t)(checkin.NewDeviceMonitor(checkin.DeviceSettings{}))

	// a) a ticket checks in.
	admitted := 0
	for i := range 12 {
		_, cred := w.issue(&w.sess, idZhang)
		s := qr("scan-"+string(rune('a'+i)), cred, at(20, 19, 0).Add(time.Duration(i)*time.Second))
		d := must[checkin.Decision](t)(c.Enter(ctx, st, s, w.book))
		if !d.Accepted {
			t.Fatalf("a) %v", d)
		}
		admitted++
		flow.Entered(s.Gate, s.At)
		devices.Scanned(s.Device, s.Gate, s.At)
	}
	// b) more than 5 a minute at one gate, 9 of 10 inside: warnings.
	if len(warnings) != 2 || warnings[0].Kind != checkin.GateRate || warnings[1].Kind != checkin.Crowd {
		t.Fatalf("b) warnings %v", warnings)
	}
	for _, fw := range warnings {
		if !strings.HasPrefix(fw.Zh(), "客流预警警报") {
			t.Fatalf("b) %q", fw.Zh())
		}
	}
	st8 := flow.Stats(at(20, 19, 0).Add(11 * time.Second))
	if st8.PerGate["东1"] != 12 || st8.Inside != admitted || st8.Capacity != 10 {
		t.Fatalf("b) stats %+v", st8)
	}
	// c) the devices' state: network and battery.
	if err := devices.Heartbeat(checkin.Heartbeat{Device: "东1-01", Gate: "东1", At: at(20, 19, 1), Network: checkin.NetLAN, Battery: 15}); err != nil {
		t.Fatal(err)
	}
	ds := devices.Devices(at(20, 19, 1))
	if len(ds) != 1 || ds[0].Network != checkin.NetLAN || ds[0].Battery != 15 || !ds[0].LowBattery || ds[0].Scans != 12 {
		t.Fatalf("c) %+v", ds)
	}
	if !strings.Contains(ds[0].Zh(), "电量 15%") || !strings.Contains(ds[0].Zh(), "局域网") {
		t.Fatalf("c) %q", ds[0].Zh())
	}
}
