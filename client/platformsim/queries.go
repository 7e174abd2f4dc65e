package platformsim

import (
	"sort"

	"github.com/piaowu/wht93/client"
)

// Counts is how many of each kind of record the simulator holds.
type Counts struct {
	Venues, Performances, Sessions, Tiers, Tickets, Orders, Refunds, Checkins int
}

// Counts returns how many records of each kind were reported (or seeded).
func (s *Sim) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	return Counts{Venues: len(st.venues), Performances: len(st.perfs), Sessions: len(st.sessions),
		Tiers: len(st.tiers), Tickets: len(st.tickets), Orders: len(st.orders), Refunds: len(st.refunds),
		Checkins: len(st.checkins)}
}

// Performance returns a reported performance.
func (s *Sim) Performance(id string) (PerformanceRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.perfs[id]
	if p == nil {
		return PerformanceRecord{}, false
	}
	return *p, true
}

// Session returns a reported session by its sessionId.
func (s *Sim) Session(sessionID string) (SessionRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.st.sessions[sessionID]
	if r == nil {
		return SessionRecord{}, false
	}
	return *r, true
}

// Sessions returns the reported sessions, by session code.
func (s *Sim) Sessions() []SessionRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SessionRecord, 0, len(s.st.sessions))
	for _, r := range s.st.sessions {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SessionCode < out[j].SessionCode })
	return out
}

// Tiers returns the price tiers of a session, by priceId.
func (s *Sim) Tiers(sessionCode string) []TierRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []TierRecord
	for k, t := range s.st.tiers {
		if k.code == sessionCode {
			out = append(out, *t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Tier.PriceID < out[j].Tier.PriceID })
	return out
}

// Tickets returns the tickets of a session, by ticketId.
func (s *Sim) Tickets(sessionCode string) []TicketRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []TicketRecord
	for k, t := range s.st.tickets {
		if k.code == sessionCode {
			out = append(out, *t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ticket.TicketID < out[j].Ticket.TicketID })
	return out
}

// Ticket returns one ticket of a session.
func (s *Sim) Ticket(sessionCode, ticketID string) (TicketRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.st.tickets[sessionKey{sessionCode, ticketID}]
	if t == nil {
		return TicketRecord{}, false
	}
	return *t, true
}

// Order returns a reported order.
func (s *Sim) Order(orderID string) (OrderRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orders[orderID]
	if o == nil {
		return OrderRecord{}, false
	}
	return *o, true
}

// Refund returns a reported refund.
func (s *Sim) Refund(refundOrderID string) (RefundRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.st.refunds[refundOrderID]
	if r == nil {
		return RefundRecord{}, false
	}
	return *r, true
}

// Checkins returns the reported check-ins of a session, by ticketId then time.
func (s *Sim) Checkins(sessionCode string) []CheckinRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CheckinRecord
	for _, c := range s.st.checkins {
		if c.Checkin.SessionCode == sessionCode {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Checkin, out[j].Checkin
		return a.TicketID < b.TicketID || (a.TicketID == b.TicketID && a.CheckingTime < b.CheckingTime)
	})
	return out
}

// Venues returns the venue list as /standard/venue/list would, all pages.
func (s *Sim) Venues() []client.Venue {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.venueList(&client.VenueListRequest{PageNo: 1, PageSize: len(s.st.venues) + 1})
	return p.DataList
}

// AddVenue adds a venue to the standard list, as the platform's operators do,
// and returns it with its codes.
func (s *Sim) AddVenue(v VenueSeed) (client.Venue, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.st.addVenue(v.DistrictID, v.Name, v.Address, false)
	if err != nil {
		return client.Venue{}, err
	}
	rec.v.VenueType, rec.v.ManagementCompany = v.Type, v.ManagementCompany
	for _, h := range v.Halls {
		hall, err := s.st.addHall(rec, h.Name, h.Seats > 0, h.Seats, h.Capacity)
		if err != nil {
			return client.Venue{}, err
		}
		if h.ManagementStatus != 0 {
			hall.ManagementStatus = h.ManagementStatus
		}
		if h.Disabled {
			hall.EnableState = client.Disabled
		}
	}
	out := rec.v
	out.HallList = append(client.HallList{}, rec.v.HallList...)
	return out, nil
}
