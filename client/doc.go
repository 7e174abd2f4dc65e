// Package client is the typed client of the reporting interface of WH/T 93-2021
// Appendix A: the twelve endpoints through which a ticketing system (演出票务管理系统)
// reports performances, sessions, price tiers, tickets, orders, refunds and
// check-ins to the government platform (演出票务信息采集与服务系统).
//
// Wire structs carry exactly the fields of the tables, with their JSON names;
// money is [wht93.Fen] (integer fen); DateTime fields are [DateTime] strings that
// the caller writes with [Client.DateTime] in the configured layout and zone
// (default "2006-01-02 15:04:05", UTC+8). Before anything is sent, a request is
// validated against its table and every violation is returned as
// wht93.Violations; an invalid request makes no call.
//
// A [Client] is safe for concurrent use. It keeps the access token in a
// [TokenSource] (one refresh for any number of callers, early refresh in the
// background, a 4200 answer drops the token and retries the call once, a failed
// refresh is not retried in a storm), retries transport errors, HTTP 429/5xx and
// the codes 5000/5100 with capped, jittered back-off bounded by a retry budget,
// and returns an [*Error] whose [Classify] says what the caller should do:
// Retryable, Permanent (4000, invalid request) or NeedsOperator (4100, 4300,
// 4400). It never logs a body, the secret or the token.
//
//	c, err := client.New(client.Config{
//		BaseURL: "https://platform.example.cn", AppID: appID, Secret: secret,
//		Logger:  slog.Default(),
//	})
//	venues, err := c.AllVenues(ctx, client.VenueListRequest{})
//	codes, err := c.RequestSessionCodes(ctx, &client.SessionCodeRequest{...})
//	err = c.ReportTicket(ctx, &client.ReportTicketRequest{...})
//	switch client.Classify(err) {
//	case client.Retryable:     // queue it again later
//	case client.Permanent:     // dead-letter it with err
//	case client.NeedsOperator: // stop this kind of report, alert
//	}
//
// Request and answer structs are plain values. The client only reads a request
// (it copies it to add the token), so one request may be sent from several
// goroutines as long as none of them modifies it.
//
// The package client/platformsim is an in-process platform for tests.
package client
