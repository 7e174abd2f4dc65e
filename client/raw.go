package client

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/piaowu/wht93"
)

// ErrStoredBody is a stored body that SendStored cannot send: not one JSON
// object, already carrying an accessToken, or bound for an endpoint that takes
// no stored body.
var ErrStoredBody = wht93.NewRule("client.stored.body",
	"存储的报文体须为不含 accessToken 的 JSON 对象，且发往上报类接口",
	"stored body must be a JSON object without accessToken, bound for a POST endpoint")

// storedPaths are the endpoints a stored body may go to: every POST of A.3
// except /getAccessToken.
var storedPaths = map[string]bool{
	PathVenueList: true, PathVenueSave: true, PathSessionCode: true,
	PathPerformanceUpdate: true, PathSessionUpdate: true, PathInventory: true,
	PathTicket: true, PathOrder: true, PathRefundOrder: true, PathChecking: true,
}

// SendStored sends a request body kept in a report queue to path (a POST
// endpoint of A.3) and returns the answer's data, still encoded. The body is a
// JSON object without accessToken, exactly as it was stored; the client adds
// "accessToken":"…" right after the opening brace and sends the rest byte for
// byte. Token handling (4200: one new token, one more try), retries and errors
// are those of the typed methods, so Classify applies to the error. A body that
// is not such an object, or a path that takes none, is a violation of
// ErrStoredBody and nothing is sent. The body is only read.
func (c *Client) SendStored(ctx context.Context, path string, body []byte) (json.RawMessage, error) {
	if err := CheckStored(path, body); err != nil {
		return nil, err
	}
	return c.authorized(ctx, func(tok string) (json.RawMessage, error) {
		return c.do(ctx, http.MethodPost, path, c.base+path, spliceToken(body, tok))
	})
}

// CheckStored checks that body can be sent to path by SendStored: path is a
// POST endpoint of A.3 other than /getAccessToken, and body is one JSON object
// (leading white space allowed) without a top-level accessToken member.
func CheckStored(path string, body []byte) error {
	var vs wht93.Violations
	if !storedPaths[path] {
		vs = append(vs, ErrStoredBody.Atf("path", path, "该接口不接受存储的报文体", "this endpoint takes no stored body"))
	}
	if err := checkStoredBody(body); err != nil {
		vs = append(vs, err)
	}
	return vs.Err()
}

func checkStoredBody(body []byte) *wht93.Violation {
	// The body is never shown: a report carries buyers' data. Its size is.
	short := func() string { return strconv.Itoa(len(body)) + " bytes" }
	if !json.Valid(body) {
		return ErrStoredBody.Atf("body", short(), "不是合法的 JSON", "not valid JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	t, err := dec.Token()
	if err != nil || t != json.Delim('{') {
		return ErrStoredBody.Atf("body", short(), "不是 JSON 对象", "not a JSON object")
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return ErrStoredBody.Atf("body", short(), "不是 JSON 对象", "not a JSON object")
		}
		if k == "accessToken" {
			// The value is never shown: it may be a token.
			return ErrStoredBody.Atf("body.accessToken", "***", "存储的报文体不得含 accessToken", "a stored body must not carry accessToken")
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return ErrStoredBody.Atf("body", short(), "不是 JSON 对象", "not a JSON object")
		}
	}
	return nil
}

// spliceToken returns body with "accessToken":tok as its first member. body
// has passed checkStoredBody.
func spliceToken(body []byte, tok string) []byte {
	brace := bytes.IndexByte(body, '{')
	rest := body[brace+1:]
	qt, _ := json.Marshal(tok)
	out := make([]byte, 0, len(body)+len(qt)+16)
	out = append(out, body[:brace+1]...)
	out = append(out, `"accessToken":`...)
	out = append(out, qt...)
	if len(bytes.TrimSpace(rest)) > 0 && bytes.TrimSpace(rest)[0] != '}' {
		out = append(out, ',')
	}
	return append(out, rest...)
}
