package inventory

import "sort"

// ledger keeps a board's tickets by serial in pages of ledgerPage tickets, so that
// recording one never copies the others.
type ledger struct {
	pages [][]Ticket
	n     int
}

const ledgerPage = 256

func (l *ledger) len() int { return l.n }

func (l *ledger) at(i int) *Ticket { return &l.pages[i/ledgerPage][i%ledgerPage] }

// push appends a copy of *t and returns the copy.
func (l *ledger) push(t *Ticket) *Ticket {
	if l.n%ledgerPage == 0 {
		l.pages = append(l.pages, make([]Ticket, 0, ledgerPage))
	}
	p := &l.pages[len(l.pages)-1]
	*p = append(*p, *t)
	l.n++
	return &(*p)[len(*p)-1]
}

// search returns the index of the first ticket whose serial is not below serial,
// and whether its serial is serial.
func (l *ledger) search(serial int64) (int, bool) {
	i := sort.Search(l.n, func(i int) bool { return l.at(i).Serial >= serial })
	return i, i < l.n && l.at(i).Serial == serial
}

// add records a copy of *t in serial order (serials normally arrive in
// increasing order) and returns the copy.
func (l *ledger) add(t *Ticket) *Ticket {
	if l.n == 0 || l.at(l.n-1).Serial < t.Serial {
		return l.push(t)
	}
	return l.insert(t)
}

// insert records a copy of *t before the tickets of higher serials.
//
//go:noinline
func (l *ledger) insert(t *Ticket) *Ticket {
	j, _ := l.search(t.Serial)
	l.push(t)
	for i := l.n - 1; i > j; i-- {
		*l.at(i) = *l.at(i - 1)
	}
	*l.at(j) = *t
	return l.at(j)
}
