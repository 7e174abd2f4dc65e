package checkin_test

import (
	"errors"
	"testing"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/ticket"
	"pgregory.net/rapid"
)

// TestBook: passes only move forward, changes come once each by cursor, and
// holders are found by their index.
func TestBook(t *testing.T) {
	w := newWorld(t)
	tk, _ := w.issue(&w.sess, idZhang)
	if c := w.book.Cursor(); c != 1 {
		t.Fatalf("cursor %d", c)
	}
	v1 := checkin.PassOf(&tk)
	re := must[ticket.Ticket](t)(tk.Reissue(at(15, 0, 0)))
	ref := must[ticket.Ticket](t)(re.Refund(at(16, 0, 0), "退票"))
	// The refund, then the re-issue and the first version arriving late.
	if n := must[int](t)(w.book.Put(checkin.PassOf(&ref), checkin.PassOf(&re), v1)); n != 1 {
		t.Fatalf("Put changed %d, want 1 (the refund)", n)
	}
	if p, _ := w.book.Pass(tk.Code); p.Status != ticket.Refunded || p.Version != 2 {
		t.Fatalf("pass %+v", p)
	}
	if v, known := w.book.LiveVersion(tk.Code); v != 0 || !known {
		t.Fatalf("LiveVersion %d %v", v, known)
	}
	ch := must[[]checkin.PassChange](t)(w.book.Changes(0, 10))
	if len(ch) != 1 || ch[0].Seq != 2 || ch[0].Pass.Status != ticket.Refunded {
		t.Fatalf("changes %+v", ch)
	}
	if ch := must[[]checkin.PassChange](t)(w.book.Changes(2, 10)); len(ch) != 0 {
		t.Fatalf("changes after 2: %+v", ch)
	}
	// Another session's pass is refused.
	other, _ := w.mint(&w.other, idZhang)
	if _, err := w.book.Put(checkin.PassOf(&other)); !errors.Is(err, checkin.ErrSession) {
		t.Fatalf("other session: %v", err)
	}
	if _, err := w.book.Changes(0, 0); !errors.Is(err, checkin.ErrRead) {
		t.Fatalf("limit 0: %v", err)
	}
	// A transfer moves the pass to the new holder's index.
	tk2, _ := w.issue(&w.sess, idZhang)
	p := checkin.PassOf(&tk2)
	p.Version++
	p.Holder = card(w, "x", idLi, at(20, 19, 0)).Holder
	must[int](t)(w.book.Put(p))
	if h := w.book.Holding(card(w, "x", idZhang, at(20, 19, 0)).Holder); len(h) != 1 || h[0].Ticket != tk.Code {
		t.Fatalf("zhang holds %+v", h)
	}
	if h := w.book.Holding(p.Holder); len(h) != 1 || h[0].Ticket != tk2.Code {
		t.Fatalf("li holds %+v", h)
	}
}

// TestBookReplica: a replica that pulls changes page by page, in any
// interleaving with updates (code digests recorded included), ends equal to
// the book (a rapid property).
func TestBookReplica(t *testing.T) {
	w := newWorld(t)
	var tks []ticket.Ticket
	for range 8 {
		tk, _ := w.mint(&w.sess, idZhang)
		tks = append(tks, tk)
	}
	rapid.Check(t, func(rt *rapid.T) {
		src := checkin.NewBook(w.sess.Code)
		dst := checkin.NewBook(w.sess.Code)
		state := make([]ticket.Ticket, len(tks))
		copy(state, tks)
		var cursor uint64
		pull := func(limit int) {
			ch, err := src.Changes(cursor, limit)
			if err != nil {
				rt.Fatal(err)
			}
			for _, c := range ch {
				if c.Seq <= cursor {
					rt.Fatalf("seq %d not after cursor %d", c.Seq, cursor)
				}
				must[int](rt)(dst.Put(c.Pass))
				cursor = c.Seq
			}
		}
		for range rapid.IntRange(1, 40).Draw(rt, "steps") {
			i := rapid.IntRange(0, len(state)-1).Draw(rt, "ticket")
			switch rapid.IntRange(0, 4).Draw(rt, "op") {
			case 0:
				must[int](rt)(src.Put(checkin.PassOf(&state[i])))
			case 1:
				if state[i].Status == ticket.Valid {
					state[i] = must[ticket.Ticket](rt)(state[i].Reissue(at(15, 0, 0)))
					must[int](rt)(src.Put(checkin.PassOf(&state[i])))
				}
			case 2:
				if state[i].Status == ticket.Valid {
					state[i] = must[ticket.Ticket](rt)(state[i].Refund(at(15, 0, 0), "退票"))
					must[int](rt)(src.Put(checkin.PassOf(&state[i])))
				}
			case 3:
				pull(rapid.IntRange(1, 3).Draw(rt, "limit"))
			case 4: // the live code's digest, of one of two signings of the version
				if state[i].Status == ticket.Valid {
					p := checkin.PassOf(&state[i])
					nb := at(10+rapid.IntRange(0, 1).Draw(rt, "signing"), 12, 0)
					text := must[string](rt)(w.signer.Sign(must[ticket.Credential](rt)(ticket.CredentialOf(&state[i], nb))))
					if err := p.SetCredential(text); err != nil {
						rt.Fatal(err)
					}
					must[int](rt)(src.Put(p))
				}
			}
		}
		for {
			before := cursor
			pull(2)
			if cursor == before {
				break
			}
		}
		if src.Len() != dst.Len() {
			rt.Fatalf("replica has %d passes, source %d", dst.Len(), src.Len())
		}
		for i := range state {
			a, okA := src.Pass(state[i].Code)
			b, okB := dst.Pass(state[i].Code)
			if okA != okB || a != b {
				rt.Fatalf("ticket %d: source %+v, replica %+v", i, a, b)
			}
		}
	})
}
