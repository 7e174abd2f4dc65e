// Package platformsim is a simulator of the platform of WH/T 93-2021 Appendix A
// (演出票务信息采集与服务系统), as clause 8.2.2 asks: an in-process HTTPS server, in
// the style of net/http/httptest, that implements the twelve endpoints with the
// validation of their tables, so that a ticketing system — and this SDK's own
// tests — can exercise every path without the real platform.
//
// It starts on a loopback port with its own certificate authority (hand
// [Sim.CAPool] to the client, or write [Sim.CAPEM] to a file for another
// process), issues credentials and tokens, generates venue and hall codes
// (Appendix B: region 6 + venue 3 + hall 2) and session codes (Appendix C: hall
// code + yyyymmdd + the session's number that day in that hall), and keeps what
// was reported, queryable from Go with how many times each record arrived. It
// keeps a message log of every exchange, shown readably with the secret and
// tokens masked (8.2.2.2), and prints it as it passes when Config.MessageLog is
// set.
//
// Faults are injected from Go ([Sim.Inject], [Sim.SetOutage],
// [Sim.ExpireTokens], [Sim.SetExpiresIn], [Sim.SetRandomFaults]) or, with
// Config.Admin, over HTTP under /_sim/ (see [Sim.Handler]): the next N calls, or
// the calls to one endpoint, answer a code of table A.2 or an HTTP status, hang,
// or drop the connection.
//
// It starts seeded with sample venues in real GB/T 2260 districts, seated and
// unseated halls ([StandardVenues]), and the type list of Appendix D
// ([StandardTypes]).
//
//	sim, err := platformsim.Start(platformsim.Config{})
//	defer sim.Close()
//	c, err := client.New(sim.ClientConfig())
//	sim.Inject(platformsim.Fault{Path: client.PathTicket, Code: 5100, Times: 2})
//	err = c.ReportTicket(ctx, req) // retried twice, then accepted
//	fmt.Println(sim.Tickets(sessionCode))
//
// A Sim is safe for concurrent use. It is a test tool: it keeps everything in
// memory and trusts its admin endpoints to anyone who can reach them.
package platformsim
