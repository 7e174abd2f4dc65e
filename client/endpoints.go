package client

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"sort"
	"strings"

	"github.com/piaowu/wht93"
)

// ErrNilRequest is a nil request pointer.
var ErrNilRequest = wht93.NewRule("client.request.nil", "请求为空", "request is nil")

func nilReq(path string) error {
	return wht93.Violations{ErrNilRequest.At(path, "nil")}
}

// GetAccessToken calls /getAccessToken (A.3.1) with the configured appId and
// secret. Callers rarely need it: every other method takes its token from the
// client's token source, which calls this when needed.
func (c *Client) GetAccessToken(ctx context.Context) (*AccessTokenResponse, error) {
	req := &AccessTokenRequest{AppID: c.appID, Secret: c.secret}
	if err := req.Validate(c.format).Err(); err != nil {
		return nil, err
	}
	data, err := c.send(ctx, http.MethodPost, PathAccessToken, "", func(string) any { return req })
	if err != nil {
		return nil, err
	}
	var out AccessTokenResponse
	if err := c.decodeData(PathAccessToken, data, &out); err != nil {
		return nil, err
	}
	if out.AccessToken == "" {
		return nil, &Error{Code: CodeOK, Endpoint: PathAccessToken, HTTPStatus: http.StatusOK,
			Err: fmt.Errorf("%w: no accessToken in the answer", ErrMalformedResponse)}
	}
	return &out, nil
}

type noFields struct{}

func (noFields) Validate(Format) wht93.Violations { return nil }

// PerformanceTypes calls GET /standard/performance/type/list (A.3.2.1) and returns
// the full list of performance types. The access token goes in the query string
// (a decision: a GET has no body).
func (c *Client) PerformanceTypes(ctx context.Context) ([]PerformanceType, error) {
	var out []PerformanceType
	err := c.call(ctx, http.MethodGet, PathPerformanceTypes, noFields{}, nil, &out)
	return out, err
}

// ListVenues calls /standard/venue/list (A.3.2.2) for one page.
func (c *Client) ListVenues(ctx context.Context, r *VenueListRequest) (*Page[Venue], error) {
	if r == nil {
		return nil, nilReq(PathVenueList)
	}
	var out Page[Venue]
	err := c.call(ctx, http.MethodPost, PathVenueList, r, func(tok string) any { cp := *r; cp.AccessToken = tok; return &cp }, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// maxVenuePages bounds a venue pull (a million venues), so that a platform that
// ignores pageNo cannot keep the iteration going for ever.
const maxVenuePages = 5000

// Venues iterates over every venue matching filter (its PageNo and PageSize are
// ignored), fetching pages of 200 as the loop goes. An error ends the iteration
// after being yielded once.
func (c *Client) Venues(ctx context.Context, filter VenueListRequest) iter.Seq2[Venue, error] {
	return func(yield func(Venue, error) bool) {
		seen := 0
		for page := 1; ; page++ {
			r := filter
			r.PageNo, r.PageSize = page, MaxPageSize
			p, err := c.ListVenues(ctx, &r)
			if err != nil {
				yield(Venue{}, err)
				return
			}
			for _, v := range p.DataList {
				if !yield(v, nil) {
					return
				}
			}
			seen += len(p.DataList)
			switch {
			case len(p.DataList) == 0,
				p.TotalRow > 0 && seen >= p.TotalRow,
				p.TotalRow <= 0 && len(p.DataList) < MaxPageSize: // no totalRow: a short page is the last
				return
			case page >= maxVenuePages:
				yield(Venue{}, &Error{Code: CodeOK, Endpoint: PathVenueList, HTTPStatus: http.StatusOK,
					Err: fmt.Errorf("%w: more than %d pages (totalRow %d): the platform does not page", ErrMalformedResponse, maxVenuePages, p.TotalRow)})
				return
			}
		}
	}
}

// AllVenues pulls the whole standard venue list (A.3.2.2 asks for a full pull
// before reporting, stored by the caller and refreshed on a schedule). It fails
// rather than return a partial list.
func (c *Client) AllVenues(ctx context.Context, filter VenueListRequest) ([]Venue, error) {
	var out []Venue
	for v, err := range c.Venues(ctx, filter) {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// SaveVenue calls /standard/venue/save (A.3.2.3) to obtain the codes of a venue
// or hall that is not in the standard list.
func (c *Client) SaveVenue(ctx context.Context, r *VenueSaveRequest) (*VenueSaveResponse, error) {
	if r == nil {
		return nil, nilReq(PathVenueSave)
	}
	var out VenueSaveResponse
	err := c.call(ctx, http.MethodPost, PathVenueSave, r, func(tok string) any { cp := *r; cp.AccessToken = tok; return &cp }, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// RequestSessionCodes calls /performance/code (A.3.3.1): it reports a performance
// and its sessions and returns the session code the platform gave each sessionId.
// An answer that lacks a code for a session of the request is an error.
func (c *Client) RequestSessionCodes(ctx context.Context, r *SessionCodeRequest) (SessionCodes, error) {
	if r == nil {
		return nil, nilReq(PathSessionCode)
	}
	var out SessionCodes
	err := c.call(ctx, http.MethodPost, PathSessionCode, r, func(tok string) any { cp := *r; cp.AccessToken = tok; return &cp }, &out)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, s := range r.SessionList {
		if code := out[s.SessionID]; len(code) != 21 {
			missing = append(missing, s.SessionID)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return out, &Error{Code: CodeOK, Endpoint: PathSessionCode, HTTPStatus: http.StatusOK,
			Err: fmt.Errorf("%w: no 21-digit session code for sessionId %s", ErrMalformedResponse, strings.Join(missing, ", "))}
	}
	return out, nil
}

// UpdatePerformance calls /report/performance/update (A.3.3.2).
func (c *Client) UpdatePerformance(ctx context.Context, r *UpdatePerformanceRequest) error {
	if r == nil {
		return nilReq(PathPerformanceUpdate)
	}
	return c.call(ctx, http.MethodPost, PathPerformanceUpdate, r, func(tok string) any { cp := *r; cp.AccessToken = tok; return &cp }, nil)
}

// UpdateSession calls /report/session/update (A.3.3.3).
func (c *Client) UpdateSession(ctx context.Context, r *UpdateSessionRequest) error {
	if r == nil {
		return nilReq(PathSessionUpdate)
	}
	return c.call(ctx, http.MethodPost, PathSessionUpdate, r, func(tok string) any { cp := *r; cp.AccessToken = tok; return &cp }, nil)
}

// ReportInventory calls /report/inventory (A.3.3.4): price tiers, created or updated.
func (c *Client) ReportInventory(ctx context.Context, r *ReportInventoryRequest) error {
	if r == nil {
		return nilReq(PathInventory)
	}
	return c.call(ctx, http.MethodPost, PathInventory, r, func(tok string) any { cp := *r; cp.AccessToken = tok; return &cp }, nil)
}

// ReportTicket calls /report/ticket (A.3.3.5): at most 200 tickets of one session
// and one price tier, created or updated.
func (c *Client) ReportTicket(ctx context.Context, r *ReportTicketRequest) error {
	if r == nil {
		return nilReq(PathTicket)
	}
	return c.call(ctx, http.MethodPost, PathTicket, r, func(tok string) any { cp := *r; cp.AccessToken = tok; return &cp }, nil)
}

// ReportOrder calls /report/order (A.3.3.6) for one order.
func (c *Client) ReportOrder(ctx context.Context, r *ReportOrderRequest) error {
	if r == nil {
		return nilReq(PathOrder)
	}
	return c.call(ctx, http.MethodPost, PathOrder, r, func(tok string) any { cp := *r; cp.AccessToken = tok; return &cp }, nil)
}

// ReportOrders reports at most 20 orders (A.3.3.6) in one step. All are validated
// first; if any is invalid, every violation is returned (field paths prefixed
// "orders[i]") and nothing is sent. Then they are sent in order, one request
// each (the table's literal shape), stopping at the first failure, whose error
// is returned with the index of the order; the orders before it were accepted.
func (c *Client) ReportOrders(ctx context.Context, orders []ReportOrderRequest) error {
	var vs wht93.Violations
	var ck checker
	ck.batch("orders", len(orders), MaxOrdersPerCall)
	vs = append(vs, ck.vs...)
	for i := range orders {
		vs = append(vs, orders[i].Validate(c.format).In(idx("orders", i))...)
	}
	if err := vs.Err(); err != nil {
		return err
	}
	for i := range orders {
		if err := c.ReportOrder(ctx, &orders[i]); err != nil {
			return &OrderError{Index: i, Err: err}
		}
	}
	return nil
}

// OrderError is the failure of one order of [Client.ReportOrders]; Index is its
// place in the slice. It is immutable once returned.
type OrderError struct {
	Index int
	Err   error
}

// Error names the order and its failure.
func (e *OrderError) Error() string { return fmt.Sprintf("orders[%d]: %v", e.Index, e.Err) }

// Unwrap returns the order's error.
func (e *OrderError) Unwrap() error { return e.Err }

// ReportRefund calls /report/refundOrder (A.3.3.7).
func (c *Client) ReportRefund(ctx context.Context, r *ReportRefundRequest) error {
	if r == nil {
		return nilReq(PathRefundOrder)
	}
	return c.call(ctx, http.MethodPost, PathRefundOrder, r, func(tok string) any { cp := *r; cp.AccessToken = tok; return &cp }, nil)
}

// ReportChecking calls /report/checking (A.3.3.8): check-ins, at most 200 per call.
func (c *Client) ReportChecking(ctx context.Context, r *ReportCheckingRequest) error {
	if r == nil {
		return nilReq(PathChecking)
	}
	return c.call(ctx, http.MethodPost, PathChecking, r, func(tok string) any { cp := *r; cp.AccessToken = tok; return &cp }, nil)
}
