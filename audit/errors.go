package audit

import "github.com/piaowu/wht93"

// Rules of a record. A record that breaks one is refused by [CheckRecords] (and so by
// every store's Append) with a [wht93.Violation] naming the field; nothing is
// stored.
var (
	// ErrTime is the rule that a record has a time between the years 1 and 9999.
	ErrTime = wht93.NewRule("audit.time", "操作时间缺失或超出范围", "operation time missing or out of range")
	// ErrUser is the rule that the user is an operator id: 1 to [MaxUser] bytes of
	// ASCII letters, digits and ". _ : -".
	ErrUser = wht93.NewRule("audit.user", "操作用户应为操作员编号（1–128个字母、数字或 . _ : -）",
		"user must be an operator id (1–128 letters, digits or . _ : -)")
	// ErrPersonalData is the rule that the user is not personal data in clear: not
	// a mobile phone number or a resident identity number (log the operator's id).
	ErrPersonalData = wht93.NewRule("audit.personalData", "操作用户不得为手机号或证件号等个人信息，应使用操作员编号",
		"user must not be personal data such as a phone or ID number; use the operator id")
	// ErrAction is the rule that the action is one of the package's [Action]s or a
	// host-defined action with a namespace ("acme.approve").
	ErrAction = wht93.NewRule("audit.action", "操作类型未定义；自定义操作须带命名空间，如 acme.approve",
		"unknown action; a host-defined action needs a namespace, such as acme.approve")
	// ErrObject is the rule that the object's type is a code (ASCII letters,
	// digits, ". _ -", starting with a letter, at most [MaxObjectType] bytes) and its id printable UTF-8 of at
	// most [MaxObjectID] bytes, and that an id has a type.
	ErrObject = wht93.NewRule("audit.object", "操作对象的类型或编号不合规", "object type or id is invalid")
	// ErrText is the rule that the content is valid UTF-8 without NUL.
	ErrText = wht93.NewRule("audit.text", "操作内容应为不含 NUL 的 UTF-8 文本", "content must be UTF-8 text without NUL")
	// ErrTooLong is the rule that the content and the detail fit their limits
	// ([MaxContent], [MaxDetail]). Nothing is ever cut to fit.
	ErrTooLong = wht93.NewRule("audit.tooLong", "操作内容超出长度上限（不会被截断）", "content exceeds its size limit (it is never truncated)")
	// ErrDetail is the rule that the structured detail, when present, is valid JSON.
	ErrDetail = wht93.NewRule("audit.detail", "结构化明细应为合法 JSON", "detail must be valid JSON")
	// ErrBatch is the rule that one Append carries 1 to [MaxBatch] records.
	ErrBatch = wht93.NewRule("audit.batch", "一次追加的记录数应为1至1000条", "one append carries 1 to 1000 records")
	// ErrRead is the rule that a read asks for 1 to [MaxRead] entries.
	ErrRead = wht93.NewRule("audit.read", "一次读取的条数应为1至10000条", "one read asks for 1 to 10000 entries")
	// ErrAnchorFormat is the rule that an exported anchor reads
	// "wht93-audit-v1:<seq>:<64 hex digits>".
	ErrAnchorFormat = wht93.NewRule("audit.anchorFormat", "锚点格式应为 wht93-audit-v1:<序号>:<64位十六进制>",
		`anchor must read "wht93-audit-v1:<seq>:<64 hex digits>"`)
	// ErrEncoding is the rule that a binary entry follows the canonical encoding
	// (see [Entry.MarshalBinary]).
	ErrEncoding = wht93.NewRule("audit.encoding", "日志记录的二进制编码不合规", "binary audit entry is malformed")
)

// Rules of a store. [Append] checks what a store returns and reports a store that
// breaks the port's contract with ErrStore.
var (
	// ErrStore is the rule that a store returns, for each record appended, the
	// sealed entry that continues its chain.
	ErrStore = wht93.NewRule("audit.store", "日志存储返回的结果违反接口约定", "audit store broke its contract")
	// ErrClosed is returned by a store used after Close.
	ErrClosed = wht93.NewRule("audit.closed", "日志存储已关闭", "audit store is closed")
)

// Findings of a verification. Each [Fault] is a violation of one of them at a
// sequence number.
var (
	// ErrEdited: the entry's content does not give its stored hash; the entry was
	// edited after it was written.
	ErrEdited = wht93.NewRule("audit.edited", "记录内容与其哈希不符（记录被修改）", "entry does not match its hash (edited)")
	// ErrLink: the entry does not carry the hash of the entry before it; the entry
	// before it was replaced (and re-hashed), or this one was inserted.
	ErrLink = wht93.NewRule("audit.link", "记录未接续前一条记录的哈希（前一条被替换或本条被插入）",
		"entry does not chain to the previous entry (it was replaced or inserted)")
	// ErrMissing: sequence numbers are missing; those entries were deleted.
	ErrMissing = wht93.NewRule("audit.missing", "记录缺失（被删除）", "entries missing (deleted)")
	// ErrOrder: an entry comes after one with a higher or equal sequence; the log
	// was reordered or an entry duplicated.
	ErrOrder = wht93.NewRule("audit.order", "记录顺序错乱（被调换或重复）", "entry out of order (reordered or duplicated)")
	// ErrHead: the store's head (its record of the last entry) does not match the
	// last entry.
	ErrHead = wht93.NewRule("audit.head", "日志末条记录与存储的链头不符", "last entry does not match the store's head")
	// ErrAnchor: an entry differs from a trusted anchor exported earlier, or the
	// log no longer reaches the anchor.
	ErrAnchor = wht93.NewRule("audit.anchor", "记录与可信锚点不符", "entry differs from a trusted anchor")
	// ErrMalformed: a stored entry cannot be decoded, has an unknown version or
	// holds a field that no record could have.
	ErrMalformed = wht93.NewRule("audit.malformed", "记录无法解析或含有不可能的字段", "entry cannot be decoded or holds an impossible field")
)
