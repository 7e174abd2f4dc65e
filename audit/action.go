package audit

import "strings"

// Action is what an operator did, as a code: one of the constants below, which
// cover the operations clause 6.4.3.3 names and the other duties of a ticketing
// system, or a host-defined action. A host-defined action carries a namespace —
// "acme.discountApprove" — so that it never collides with an action a later
// version of this package adds (the package's own codes have no dot).
//
// Syntax: 1 to [MaxAction] bytes of ASCII letters, digits, '_', '-' and '.',
// starting with a letter. An Action is a plain value, safe for concurrent use.
type Action string

// The actions of clause 6.4.3.3 and the other duties of a ticketing system.
const (
	ActionLogin    Action = "login"    // 登录
	ActionLogout   Action = "logout"   // 登出
	ActionShow     Action = "show"     // 演出活动信息管理: performances, create / edit / delete
	ActionSession  Action = "session"  // 场次管理: sessions, create / edit / delete, sales status
	ActionSeating  Action = "seating"  // 座位与票价管理: seating charts, price tiers, holds
	ActionSale     Action = "sale"     // 售票
	ActionPrint    Action = "print"    // 打票
	ActionReprint  Action = "reprint"  // 重打票
	ActionRefund   Action = "refund"   // 退票
	ActionTransfer Action = "transfer" // 实名票转赠
	ActionCheckIn  Action = "checkin"  // 检票
	ActionConfig   Action = "config"   // 系统配置
	ActionReport   Action = "report"   // 数据上报
	ActionUser     Action = "user"     // 用户与权限管理
	ActionExport   Action = "export"   // 数据导出
	ActionBackup   Action = "backup"   // 备份与恢复
	ActionAudit    Action = "audit"    // 日志查验: verifying or exporting this log
)

var actionNames = map[Action][2]string{
	ActionLogin:    {"登录", "login"},
	ActionLogout:   {"登出", "logout"},
	ActionShow:     {"演出活动信息管理", "performance management"},
	ActionSession:  {"场次管理", "session management"},
	ActionSeating:  {"座位与票价管理", "seat and price management"},
	ActionSale:     {"售票", "sale"},
	ActionPrint:    {"打票", "print"},
	ActionReprint:  {"重打票", "reprint"},
	ActionRefund:   {"退票", "refund"},
	ActionTransfer: {"实名票转赠", "transfer"},
	ActionCheckIn:  {"检票", "check-in"},
	ActionConfig:   {"系统配置", "configuration"},
	ActionReport:   {"数据上报", "report"},
	ActionUser:     {"用户与权限管理", "user management"},
	ActionExport:   {"数据导出", "export"},
	ActionBackup:   {"备份与恢复", "backup and restore"},
	ActionAudit:    {"日志查验", "log verification"},
}

// Actions returns the package's own actions in a fixed order, for a host's
// filter lists and reports.
func Actions() []Action {
	return []Action{
		ActionLogin, ActionLogout, ActionShow, ActionSession, ActionSeating, ActionSale,
		ActionPrint, ActionReprint, ActionRefund, ActionTransfer, ActionCheckIn,
		ActionConfig, ActionReport, ActionUser, ActionExport, ActionBackup, ActionAudit,
	}
}

// Builtin reports whether a is one of the package's own actions.
func (a Action) Builtin() bool {
	_, ok := actionNames[a]
	return ok
}

// HostDefined reports whether a is a well-formed host-defined action: it has a
// namespace ("acme.approve").
func (a Action) HostDefined() bool {
	return validCode(string(a), MaxAction) && strings.Contains(string(a), ".")
}

// Valid reports whether a may be logged: a built-in or a host-defined action.
func (a Action) Valid() bool { return a.Builtin() || a.HostDefined() }

// Zh returns the action's Chinese name ("售票"), or its code for a host-defined
// action.
func (a Action) Zh() string {
	if n, ok := actionNames[a]; ok {
		return n[0]
	}
	return string(a)
}

// En returns the action's English name ("sale"), or its code for a host-defined
// action.
func (a Action) En() string {
	if n, ok := actionNames[a]; ok {
		return n[1]
	}
	return string(a)
}

// String returns the code.
func (a Action) String() string { return string(a) }

// validCode reports whether s is 1 to max bytes of ASCII letters, digits, '_',
// '-', '.' and ':', starting with a letter. Actions use it without ':'.
func validCode(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	if c := s[0]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '-', c == '.':
		default:
			return false
		}
	}
	return true
}
