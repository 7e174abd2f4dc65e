package client

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/piaowu/wht93"
)

// Result codes of Appendix A (tables A.1 and A.2).
const (
	CodeOK             = 200  // 请求成功
	CodeInvalidParams  = 4000 // 请求参数非法
	CodeNoPermission   = 4100 // 对接权限验证失败，无该接口权限
	CodeTokenInvalid   = 4200 // token已失效，请重新获取 token
	CodeBadCredentials = 4300 // 账号或密钥错误
	CodeDockingStatus  = 4400 // 对接状态错误
	CodeSystemError    = 5000 // 系统异常，请重新上报数据
	CodeBusy           = 5100 // 服务器繁忙，请稍后重试
)

// Sentinels for errors.Is, one per result code of table A.2, and for the failures
// that carry no result code. An [*Error] matches the sentinel of its code.
var (
	ErrInvalidParams  = wht93.NewRule("client.4000", "请求参数非法", "request parameters invalid")
	ErrNoPermission   = wht93.NewRule("client.4100", "对接权限验证失败，无该接口权限", "no permission for this interface")
	ErrTokenInvalid   = wht93.NewRule("client.4200", "token已失效，请重新获取 token", "access token no longer valid")
	ErrBadCredentials = wht93.NewRule("client.4300", "账号或密钥错误", "appId or secret wrong")
	ErrDockingStatus  = wht93.NewRule("client.4400", "对接状态错误", "docking status wrong")
	ErrSystemError    = wht93.NewRule("client.5000", "系统异常，请重新上报数据", "platform system error, report again")
	ErrBusy           = wht93.NewRule("client.5100", "服务器繁忙，请稍后重试", "platform busy, retry later")

	// ErrUnknownCode is an envelope code that table A.2 does not define.
	ErrUnknownCode = wht93.NewRule("client.code.unknown", "平台返回未定义的结果码", "platform answered an undefined result code")
	// ErrHTTPStatus is an HTTP status other than 200.
	ErrHTTPStatus = wht93.NewRule("client.http.status", "平台返回异常 HTTP 状态", "platform answered an unexpected HTTP status")
	// ErrMalformedResponse is a body that is not the envelope of A.2.2.4.
	ErrMalformedResponse = wht93.NewRule("client.response.malformed", "平台返回的报文无法解析", "platform response is not a valid envelope")
	// ErrTransport is a connection error or time-out: no answer arrived.
	ErrTransport = wht93.NewRule("client.transport", "无法连接平台或请求超时", "platform unreachable or request timed out")
	// ErrTLS is a certificate the client does not trust: a configuration
	// problem (RootCAs) or an impostor, never retried.
	ErrTLS = wht93.NewRule("client.tls", "平台证书校验失败", "platform certificate verification failed")
	// ErrRetryBudget marks a failure after which no retry was made because the
	// client's retry budget was spent (an outage is not multiplied by retries).
	ErrRetryBudget = wht93.NewRule("client.retry.budget", "重试额度已用尽，未再重试", "retry budget exhausted, not retried")
	// ErrRefreshBackoff marks a token refresh that was not attempted because the
	// previous one failed moments ago; the error of that refresh is wrapped too.
	ErrRefreshBackoff = wht93.NewRule("client.token.backoff", "获取 accessToken 刚刚失败，暂不重试", "access token refresh failed recently, not retried yet")
)

func ruleOf(code int) *wht93.Rule {
	switch code {
	case CodeInvalidParams:
		return ErrInvalidParams
	case CodeNoPermission:
		return ErrNoPermission
	case CodeTokenInvalid:
		return ErrTokenInvalid
	case CodeBadCredentials:
		return ErrBadCredentials
	case CodeDockingStatus:
		return ErrDockingStatus
	case CodeSystemError:
		return ErrSystemError
	case CodeBusy:
		return ErrBusy
	}
	return nil
}

// Error is a failed call to the platform. It carries the envelope code and the
// platform's msg when an envelope arrived, the endpoint, the HTTP status (0 when no
// answer arrived) and the cause. errors.Is(err, ErrBusy) and the like hold for the
// sentinel of its code; errors.Is also finds the sentinels of the cause (for example
// ErrTransport, ErrRetryBudget). An Error is immutable once returned.
type Error struct {
	// Code is the envelope's result code; 0 when no envelope was decoded.
	Code int
	// Msg is the platform's msg, at most 200 characters of it.
	Msg string
	// Endpoint is the path called, such as "/report/ticket".
	Endpoint string
	// HTTPStatus is the status of the last answer; 0 when none arrived.
	HTTPStatus int
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the cause when there was no envelope or something came on top of it
	// (transport error, retry budget, malformed body); nil otherwise.
	Err error
}

// Error formats the failure in Chinese and English, naming the endpoint, the code,
// the platform's msg, the HTTP status and the cause. It never contains the token,
// the secret or a request body.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Endpoint)
	b.WriteString(": ")
	if e.Code != 0 {
		b.WriteString(strconv.Itoa(e.Code))
		b.WriteString(" ")
		if r := ruleOf(e.Code); r != nil {
			b.WriteString(r.Error())
		} else {
			b.WriteString(ErrUnknownCode.Error())
		}
		if e.Msg != "" {
			fmt.Fprintf(&b, " (平台 msg / platform msg: %q)", e.Msg)
		}
	}
	if e.Err != nil {
		if e.Code != 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Err.Error())
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " [HTTP %d]", e.HTTPStatus)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " [%d 次尝试 / attempts]", e.Attempts)
	}
	return b.String()
}

// Unwrap returns the sentinel of the code and the cause.
func (e *Error) Unwrap() []error {
	var out []error
	if r := ruleOf(e.Code); r != nil {
		out = append(out, r)
	} else if e.Code != 0 && e.Code != CodeOK {
		out = append(out, ErrUnknownCode)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// Class is what the caller (the report queue) should do about a failed call.
type Class int

const (
	// Retryable: send the same report again later (transport errors, HTTP 429 and
	// 5xx, 5000, 5100, a spent retry budget, a cancelled context).
	Retryable Class = iota + 1
	// Permanent: this payload will never be accepted (4000, or the request failed
	// the client's own validation); dead-letter it with the cause.
	Permanent
	// NeedsOperator: nothing succeeds until a person acts (4100, 4300, 4400, an
	// undefined code, an HTTP status that means the configuration is wrong); stop
	// sending that kind of report and raise an alert.
	NeedsOperator
)

// String names the class.
func (c Class) String() string {
	switch c {
	case Retryable:
		return "retryable"
	case Permanent:
		return "permanent"
	case NeedsOperator:
		return "needs-operator"
	}
	return "none"
}

// Classify returns the class of err; 0 for nil. An error that is neither an [*Error]
// nor a validation failure (wht93 violations) is Retryable.
func Classify(err error) Class {
	if err == nil {
		return 0
	}
	if len(wht93.ViolationsOf(err).Errors()) > 0 {
		return Permanent
	}
	if errors.Is(err, ErrTLS) {
		return NeedsOperator
	}
	var e *Error
	if !errors.As(err, &e) {
		return Retryable
	}
	switch e.Code {
	case CodeInvalidParams:
		return Permanent
	case CodeNoPermission, CodeBadCredentials, CodeDockingStatus:
		return NeedsOperator
	case CodeTokenInvalid, CodeSystemError, CodeBusy:
		return Retryable
	case 0, CodeOK:
	default:
		if e.Code >= 5000 && e.Code < 6000 {
			return Retryable
		}
		return NeedsOperator
	}
	switch s := e.HTTPStatus; {
	case s == 0, s == 200, s == 429, s >= 500:
		return Retryable
	case s == 400, s == 413, s == 422:
		return Permanent
	default: // 401, 403, 404, 405...: the configuration is wrong
		return NeedsOperator
	}
}
