package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// ResultCode is the envelope's code. The standard writes it as a JSON string
// ("200"); a number (200) is accepted too. It marshals as a string.
type ResultCode int

// MarshalJSON writes the code as a JSON string, as in A.2.2.4.
func (c ResultCode) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.Itoa(int(c)) + `"`), nil
}

// UnmarshalJSON accepts a JSON string of decimal digits or a JSON integer.
func (c *ResultCode) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if len(s) >= 2 && s[0] == '"' {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		s = str
	}
	if s == "" || len(s) > 9 {
		return fmt.Errorf("envelope code %.20q is not a result code", s)
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return fmt.Errorf("envelope code %.20q is not a result code", s)
		}
		n = n*10 + int(s[i]-'0')
	}
	*c = ResultCode(n)
	return nil
}

// Envelope is the outer object of every answer (A.2.2.4). Data holds the
// endpoint's own answer, still encoded.
type Envelope struct {
	Code    ResultCode      `json:"code"`
	Data    json.RawMessage `json:"data"`
	Msg     string          `json:"msg"`
	Success bool            `json:"success"`
}

// OK reports whether the envelope says success: code 200 and success true.
func (e *Envelope) OK() bool { return e.Code == CodeOK && e.Success }

// Page is the data of a paged answer (A.2.2.4).
type Page[T any] struct {
	DataList []T `json:"dataList"`
	Page     int `json:"page"`
	PageSize int `json:"pageSize"`
	TotalRow int `json:"totalRow"`
}

var errNoCode = errors.New("envelope has no code")

// DecodeEnvelope decodes an answer body. It fails when the body is not one JSON
// object with a code; it does not judge the code (see [Envelope.OK]). msg may be
// a string or any other JSON value (kept as its JSON text); success may be a
// boolean or the string "true"/"false". It never panics, whatever the input.
func DecodeEnvelope(body []byte) (Envelope, error) {
	var raw struct {
		Code    *ResultCode     `json:"code"`
		Data    json.RawMessage `json:"data"`
		Msg     json.RawMessage `json:"msg"`
		Success json.RawMessage `json:"success"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return Envelope{}, fmt.Errorf("%w: %v", ErrMalformedResponse, err)
	}
	if raw.Code == nil {
		return Envelope{}, fmt.Errorf("%w: %v", ErrMalformedResponse, errNoCode)
	}
	env := Envelope{Code: *raw.Code, Data: raw.Data}
	if m := bytes.TrimSpace(raw.Msg); len(m) > 0 && string(m) != "null" {
		if m[0] != '"' || json.Unmarshal(m, &env.Msg) != nil {
			env.Msg = string(m)
		}
	}
	switch string(bytes.TrimSpace(raw.Success)) {
	case "true", `"true"`:
		env.Success = true
	case "", "null", "false", `"false"`:
		// Absent or false: a code of 200 alone is not trusted as success.
	default:
		return Envelope{}, fmt.Errorf("%w: success is neither boolean nor \"true\"/\"false\"", ErrMalformedResponse)
	}
	return env, nil
}
