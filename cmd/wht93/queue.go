package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver for --dsn

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/bolt"
	"github.com/piaowu/wht93/store/postgres"
)

const queueUsage = `用法 / usage:
  wht93 queue (--db PATH | --dsn DSN [--schema S]) [--json] SUBCOMMAND [ARGS]

  stats                              队列概况 / depth, oldest age, attempts, dead, backfill
  list [--dead|--late] [--limit N] [--after SEQ]
                                     列出待发送（默认）、死信或逾期记录 /
                                     list open (default), dead or late records
  show SEQ                           显示记录及报文（个人信息已脱敏）/
                                     show a record and its body (personal data masked)
  retry SEQ | --all-dead             重新投递死信 / re-drive dead records
  bury SEQ --reason TEXT             手工移入死信 / bury a record by hand

  --db PATH      bolt 队列文件 / bolt queue file (must exist)
  --dsn DSN      PostgreSQL 连接串 / PostgreSQL connection string
  --schema S     PostgreSQL 模式 / schema (default "wht93")
  --json         每项输出一行JSON / one JSON object a line

退出状态 / exit status: 0 成功 ok, 1 失败 failed (no such record, wrong state, store error), 2 用法错误 usage error
`

// queueLockTimeout is how long the command waits for a process holding the
// bolt file (bolt allows one process per file).
const queueLockTimeout = 3 * time.Second

// queueOpenTimeout bounds connecting to PostgreSQL and migrating its schema.
const queueOpenTimeout = 15 * time.Second

// queueCmd is one run of `wht93 queue`; now is its clock.
type queueCmd struct {
	now            func() time.Time
	stdout, stderr io.Writer

	db, dsn, schema string
	asJSON          bool
}

func runQueue(args []string, stdout, stderr io.Writer) int {
	c := &queueCmd{now: time.Now, stdout: stdout, stderr: stderr}
	return c.run(args)
}

// commonFlags adds the flags every subcommand takes, bound to c, to fs.
func (c *queueCmd) commonFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.db, "db", c.db, "bolt 队列文件 / bolt queue file")
	fs.StringVar(&c.dsn, "dsn", c.dsn, "PostgreSQL 连接串 / PostgreSQL connection string")
	fs.StringVar(&c.schema, "schema", c.schema, "PostgreSQL 模式 / schema")
	fs.BoolVar(&c.asJSON, "json", c.asJSON, "每项输出一行JSON / one JSON object a line")
}

func (c *queueCmd) newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("queue "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // usage errors are written once, by usageError
	c.commonFlags(fs)
	return fs
}

// usageError writes a usage error and returns exitUsage.
func (c *queueCmd) usageError(format string, a ...any) int {
	fmt.Fprintf(c.stderr, format+"\n\n", a...)
	fmt.Fprint(c.stderr, queueUsage)
	return exitUsage
}

// badFlags answers a flag parsing error: the usage on stdout for -h, a usage
// error otherwise.
func (c *queueCmd) badFlags(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(c.stdout, queueUsage)
		return exitOK
	}
	return c.usageError("参数错误 / bad arguments: %v", err)
}

// parseInterleaved parses flags that may come before, between or after the
// positional arguments, and returns the positional arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// fs.Parse stops at "--" (consumed) or at the first non-flag.
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func (c *queueCmd) run(args []string) int {
	top := c.newFlags("")
	if err := top.Parse(args); err != nil {
		return c.badFlags(err)
	}
	if top.NArg() == 0 {
		return c.usageError("缺少子命令 / missing subcommand")
	}
	sub, rest := top.Arg(0), top.Args()[1:]
	switch sub {
	case "stats":
		return c.stats(rest)
	case "list":
		return c.list(rest)
	case "show":
		return c.show(rest)
	case "retry":
		return c.retry(rest)
	case "bury":
		return c.bury(rest)
	case "help":
		fmt.Fprint(c.stdout, queueUsage)
		return exitOK
	}
	return c.usageError("未知子命令 / unknown subcommand: %q", sub)
}

// checkStore checks that exactly one store is named.
func (c *queueCmd) checkStore() error {
	switch {
	case c.db == "" && c.dsn == "":
		return errors.New("须指定 --db 或 --dsn / give --db or --dsn")
	case c.db != "" && c.dsn != "":
		return errors.New("--db 与 --dsn 只能选一 / give --db or --dsn, not both")
	case c.db != "" && c.schema != "":
		return errors.New("--schema 仅用于 --dsn / --schema goes with --dsn")
	}
	return nil
}

// open opens the queue; close releases it.
func (c *queueCmd) open(ctx context.Context) (q report.Queue, closeFn func(), err error) {
	if c.db != "" {
		// bolt.Open creates a missing file: an operator's typo must not make an
		// empty queue that then reports "nothing stuck".
		if _, err := os.Stat(c.db); err != nil {
			return nil, nil, fmt.Errorf("无法打开队列文件 / cannot open queue file: %w", err)
		}
		bq, db, err := bolt.OpenQueue(c.db, &bolt.Options{LockTimeout: queueLockTimeout})
		if err != nil {
			return nil, nil, fmt.Errorf("无法打开队列文件 / cannot open queue file %s: %w", c.db, err)
		}
		return bq, func() { db.Close() }, nil
	}
	sqlDB, err := sql.Open("pgx", c.dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("无法连接数据库 / cannot connect to the database: %w", err)
	}
	pdb, err := postgres.Open(ctx, sqlDB, &postgres.Options{Schema: c.schema})
	if err != nil {
		sqlDB.Close()
		return nil, nil, fmt.Errorf("无法打开数据库 / cannot open the database: %w", err)
	}
	pq, err := pdb.Queue(ctx)
	if err != nil {
		sqlDB.Close()
		return nil, nil, fmt.Errorf("无法打开队列 / cannot open the queue: %w", err)
	}
	return pq, func() { sqlDB.Close() }, nil
}

// withQueue opens the queue, calls fn with a buffered stdout, and returns fn's
// status, or exitInvalid when the queue cannot be opened.
func (c *queueCmd) withQueue(fn func(ctx context.Context, q report.Queue, w *bufio.Writer) int) int {
	if err := c.checkStore(); err != nil {
		return c.usageError("%v", err)
	}
	ctx := context.Background()
	openCtx, cancel := context.WithTimeout(ctx, queueOpenTimeout)
	q, closeFn, err := c.open(openCtx)
	cancel()
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return exitInvalid
	}
	defer closeFn()
	w := bufio.NewWriter(c.stdout)
	rc := fn(ctx, q, w)
	if err := w.Flush(); err != nil {
		fmt.Fprintf(c.stderr, "写入失败 / write failed: %v\n", err)
		return exitInvalid
	}
	return rc
}

// fail reports an error of the queue and returns exitInvalid.
func (c *queueCmd) fail(what string, err error) int {
	fmt.Fprintf(c.stderr, "%s: %v\n", what, err)
	return exitInvalid
}

// parseSeq parses a sequence given by hand.
func parseSeq(s string) (uint64, error) {
	seq, err := strconv.ParseUint(s, 10, 64)
	if err != nil || seq == 0 {
		return 0, fmt.Errorf("序号须为正整数 / sequence must be a positive integer: %q", s)
	}
	return seq, report.CheckSeq(seq)
}

// fmtTime formats a time in China Standard Time, "-" for the zero time.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(wht93.CST).Format(time.RFC3339)
}

// jsonTime is a time for --json: RFC 3339 in China Standard Time, omitted when zero.
func jsonTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(wht93.CST).Format(time.RFC3339Nano)
}

// oneLiner replaces the characters that break a tab-separated column.
var oneLiner = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")

// oneLine makes a text fit in one tab-separated column.
func oneLine(s string) string {
	if s == "" {
		return "-"
	}
	return oneLiner.Replace(s)
}

// ---- stats ----

type statsJSON struct {
	Depth            int64   `json:"depth"`
	Leased           int64   `json:"leased"`
	Failing          int64   `json:"failing"`
	Attempts         int64   `json:"attempts"`
	Oldest           string  `json:"oldest,omitempty"`
	OldestAgeSeconds float64 `json:"oldestAgeSeconds"`
	Dead             int64   `json:"dead"`
	Acked            int64   `json:"acked"`
	Backfill         int64   `json:"backfill"`
}

func (c *queueCmd) stats(args []string) int {
	fs := c.newFlags("stats")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return c.badFlags(err)
	}
	if len(pos) != 0 {
		return c.usageError("stats 不接受参数 / stats takes no arguments: %q", pos)
	}
	return c.withQueue(func(ctx context.Context, q report.Queue, w *bufio.Writer) int {
		s, err := q.Stats(ctx, c.now())
		if err != nil {
			return c.fail("无法读取队列概况 / cannot read the queue's figures", err)
		}
		if c.asJSON {
			writeJSONLine(w, statsJSON{s.Depth, s.Leased, s.Failing, s.Attempts,
				jsonTime(s.Oldest), s.OldestAge.Seconds(), s.Dead, s.Acked, s.Backfill})
			return exitOK
		}
		fmt.Fprintf(w, "待发送 / depth:\t%d (租出 / leased %d, 失败过 / failing %d)\n", s.Depth, s.Leased, s.Failing)
		if s.Depth > 0 {
			fmt.Fprintf(w, "最早记录 / oldest:\t%s (已等待 / age %s)\n", fmtTime(s.Oldest), s.OldestAge.Round(time.Second))
		} else {
			fmt.Fprintf(w, "最早记录 / oldest:\t-\n")
		}
		fmt.Fprintf(w, "尝试次数 / attempts:\t%d\n", s.Attempts)
		fmt.Fprintf(w, "死信 / dead:\t%d\n", s.Dead)
		fmt.Fprintf(w, "已送达 / acked:\t%d (补报 / backfill %d)\n", s.Acked, s.Backfill)
		return exitOK
	})
}

// ---- list ----

type recordJSON struct {
	Seq         uint64          `json:"seq"`
	State       string          `json:"state"`
	Endpoint    string          `json:"endpoint"`
	Stream      string          `json:"stream,omitempty"`
	Key         string          `json:"key,omitempty"`
	Day         string          `json:"day"`
	Due         string          `json:"due"`
	Late        bool            `json:"late"`
	Enqueued    string          `json:"enqueued,omitempty"`
	Attempts    int             `json:"attempts"`
	Next        string          `json:"next,omitempty"`
	LeaseExpiry string          `json:"leaseExpiry,omitempty"`
	Done        string          `json:"done,omitempty"`
	LastCause   string          `json:"lastCause,omitempty"`
	Body        json.RawMessage `json:"body,omitempty"`
	BodyBytes   *int            `json:"bodyBytes,omitempty"`
	BodyNote    string          `json:"bodyNote,omitempty"`
}

func toRecordJSON(r report.Record, now time.Time) recordJSON {
	j := recordJSON{
		Seq: r.Seq, State: r.State.String(), Endpoint: r.Endpoint, Stream: r.Stream,
		Day: r.Day.String(), Due: jsonTime(r.Due), Late: r.Late(now),
		Attempts: r.Attempts, LastCause: maskText(r.LastCause), Done: jsonTime(r.Done),
	}
	if r.State == report.Pending {
		j.Next = jsonTime(r.Next)
	}
	return j
}

// nextColumn is the next attempt of a pending record, the lease expiry of a
// leased one, "-" otherwise.
func nextColumn(r report.Record) string {
	switch r.State {
	case report.Pending:
		return fmtTime(r.Next)
	case report.Leased:
		return "lease→" + fmtTime(r.LeaseExpiry)
	}
	return "-"
}

const listHeader = "序号/SEQ\t状态/STATE\t接口/ENDPOINT\t流/STREAM\t业务日/DAY\t截止/DUE\t尝试/ATTEMPTS\t下次/NEXT\t原因/LAST CAUSE\n"

func (c *queueCmd) list(args []string) int {
	fs := c.newFlags("list")
	dead := fs.Bool("dead", false, "死信 / dead records")
	late := fs.Bool("late", false, "逾期 / late records")
	limit := fs.Int("limit", 100, "最多条数 / most records")
	after := fs.Uint64("after", 0, "从该序号之后 / records after this sequence")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return c.badFlags(err)
	}
	if len(pos) != 0 {
		return c.usageError("list 不接受位置参数 / list takes no positional arguments: %q", pos)
	}
	if *dead && *late {
		return c.usageError("--dead 与 --late 只能选一 / give --dead or --late, not both")
	}
	if *limit < 1 || *limit > report.MaxList {
		return c.usageError("--limit 须在 1 至 %d 之间 / --limit must be 1 to %d: %d", report.MaxList, report.MaxList, *limit)
	}
	now := c.now()
	lq := report.ListQuery{Filter: report.ListOpen, Now: now, After: *after, Limit: *limit}
	switch {
	case *dead:
		lq.Filter = report.ListDead
	case *late:
		lq.Filter = report.ListLate
	}
	return c.withQueue(func(ctx context.Context, q report.Queue, w *bufio.Writer) int {
		recs, err := q.List(ctx, lq)
		if err != nil {
			return c.fail("无法列出记录 / cannot list records", err)
		}
		if !c.asJSON {
			if len(recs) == 0 {
				fmt.Fprintf(c.stderr, "没有%s记录 / no %s records\n", filterZh(lq.Filter), lq.Filter)
				return exitOK
			}
			w.WriteString(listHeader)
		}
		for _, r := range recs {
			if c.asJSON {
				writeJSONLine(w, toRecordJSON(r, now))
				continue
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", r.Seq, r.State, r.Endpoint,
				oneLine(r.Stream), r.Day, fmtTime(r.Due), r.Attempts, nextColumn(r), oneLine(maskText(r.LastCause)))
		}
		if len(recs) == lq.Limit {
			last := recs[len(recs)-1].Seq
			fmt.Fprintf(c.stderr, "可能还有更多记录，续查用 --after %d / there may be more records: use --after %d\n", last, last)
		}
		return exitOK
	})
}

func filterZh(f report.Filter) string {
	switch f {
	case report.ListDead:
		return "死信"
	case report.ListLate:
		return "逾期"
	}
	return "待发送"
}

// ---- show ----

func (c *queueCmd) show(args []string) int {
	fs := c.newFlags("show")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return c.badFlags(err)
	}
	if len(pos) != 1 {
		return c.usageError("show 需要一个序号 / show takes one sequence")
	}
	seq, err := parseSeq(pos[0])
	if err != nil {
		return c.usageError("%v", err)
	}
	return c.withQueue(func(ctx context.Context, q report.Queue, w *bufio.Writer) int {
		r, err := q.Get(ctx, seq)
		if err != nil {
			return c.fail("无法读取记录 / cannot read the record", err)
		}
		now := c.now()
		body, berr := maskBody(r.Body)
		if c.asJSON {
			j := toRecordJSON(r, now)
			j.Key, j.Enqueued = maskText(r.Key), jsonTime(r.Enqueued)
			j.LeaseExpiry = jsonTime(r.LeaseExpiry)
			n := len(r.Body)
			j.BodyBytes = &n
			if berr != nil {
				j.BodyNote = "not JSON, not shown"
			} else {
				j.Body = body
			}
			writeJSONLine(w, j)
			return exitOK
		}
		fmt.Fprintf(w, "序号 / seq:\t%d\n", r.Seq)
		fmt.Fprintf(w, "状态 / state:\t%s\n", r.State)
		fmt.Fprintf(w, "接口 / endpoint:\t%s\n", r.Endpoint)
		fmt.Fprintf(w, "排序流 / stream:\t%s\n", oneLine(r.Stream))
		fmt.Fprintf(w, "幂等键 / key:\t%s\n", oneLine(maskText(r.Key)))
		fmt.Fprintf(w, "业务日 / day:\t%s\n", r.Day)
		lateMark := ""
		if r.Late(now) {
			lateMark = " (逾期 / late)"
		}
		fmt.Fprintf(w, "截止 / due:\t%s%s\n", fmtTime(r.Due), lateMark)
		fmt.Fprintf(w, "入队 / enqueued:\t%s\n", fmtTime(r.Enqueued))
		fmt.Fprintf(w, "尝试 / attempts:\t%d\n", r.Attempts)
		fmt.Fprintf(w, "下次 / next:\t%s\n", nextColumn(r))
		fmt.Fprintf(w, "租约到期 / lease expiry:\t%s\n", fmtTime(r.LeaseExpiry))
		fmt.Fprintf(w, "完成 / done:\t%s\n", fmtTime(r.Done))
		fmt.Fprintf(w, "原因 / last cause:\t%s\n", oneLine(maskText(r.LastCause)))
		if berr != nil {
			fmt.Fprintf(w, "报文 / body:\t不是JSON，不显示（%d 字节）/ not JSON, not shown (%d bytes)\n", len(r.Body), len(r.Body))
			return exitOK
		}
		var pretty bytes.Buffer
		json.Indent(&pretty, body, "", "  ") // body is valid JSON: maskBody wrote it
		fmt.Fprintf(w, "报文（个人信息已脱敏）/ body (personal data masked), %d bytes:\n%s\n", len(r.Body), pretty.Bytes())
		return exitOK
	})
}

// ---- retry ----

type actionJSON struct {
	Seq    uint64          `json:"seq"`
	Action string          `json:"action"`
	OK     bool            `json:"ok"`
	Error  []violationJSON `json:"error,omitempty"`
	Detail string          `json:"detail,omitempty"`
}

// writeAction writes the outcome of an action on one record; it returns
// whether it succeeded.
func (c *queueCmd) writeAction(w *bufio.Writer, seq uint64, action, zh string, err error) bool {
	if c.asJSON {
		a := actionJSON{Seq: seq, Action: action, OK: err == nil}
		if err != nil {
			if vs := wht93.ViolationsOf(err); len(vs) > 0 {
				a.Error = violationsJSON(vs)
			} else {
				a.Detail = err.Error()
			}
		}
		writeJSONLine(w, a)
		return err == nil
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "%s失败 / %s failed: %v\n", zh, action, err)
		return false
	}
	fmt.Fprintf(w, "%d\t已%s / %s\n", seq, zh, pastTense(action))
	return true
}

func pastTense(action string) string {
	if action == "bury" {
		return "buried"
	}
	return "re-driven"
}

func (c *queueCmd) retry(args []string) int {
	fs := c.newFlags("retry")
	allDead := fs.Bool("all-dead", false, "重新投递全部死信 / re-drive every dead record")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return c.badFlags(err)
	}
	var seq uint64
	switch {
	case *allDead && len(pos) != 0:
		return c.usageError("序号与 --all-dead 只能选一 / give a sequence or --all-dead, not both")
	case !*allDead && len(pos) != 1:
		return c.usageError("retry 需要一个序号或 --all-dead / retry takes one sequence or --all-dead")
	case !*allDead:
		if seq, err = parseSeq(pos[0]); err != nil {
			return c.usageError("%v", err)
		}
	}
	return c.withQueue(func(ctx context.Context, q report.Queue, w *bufio.Writer) int {
		if !*allDead {
			if !c.writeAction(w, seq, "redrive", "重新投递", q.Redrive(ctx, c.now(), seq)) {
				return exitInvalid
			}
			return exitOK
		}
		done, failed := 0, 0
		var after uint64
		for {
			recs, err := q.List(ctx, report.ListQuery{Filter: report.ListDead, After: after, Limit: report.MaxList})
			if err != nil {
				w.Flush()
				return c.fail("无法列出死信 / cannot list dead records", err)
			}
			for _, r := range recs {
				if c.writeAction(w, r.Seq, "redrive", "重新投递", q.Redrive(ctx, c.now(), r.Seq)) {
					done++
				} else {
					failed++
				}
			}
			if len(recs) < report.MaxList {
				break
			}
			after = recs[len(recs)-1].Seq
		}
		fmt.Fprintf(c.stderr, "已重新投递 %d 条，失败 %d 条 / %d re-driven, %d failed\n", done, failed, done, failed)
		if failed > 0 {
			return exitInvalid
		}
		return exitOK
	})
}

// ---- bury ----

func (c *queueCmd) bury(args []string) int {
	fs := c.newFlags("bury")
	reason := fs.String("reason", "", "原因 / why the record is buried")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return c.badFlags(err)
	}
	if len(pos) != 1 {
		return c.usageError("bury 需要一个序号 / bury takes one sequence")
	}
	seq, err := parseSeq(pos[0])
	if err != nil {
		return c.usageError("%v", err)
	}
	if strings.TrimSpace(*reason) == "" {
		return c.usageError("bury 需要 --reason / bury needs --reason")
	}
	if err := report.CheckCause("reason", *reason); err != nil {
		return c.usageError("%v", err)
	}
	return c.withQueue(func(ctx context.Context, q report.Queue, w *bufio.Writer) int {
		if !c.writeAction(w, seq, "bury", "移入死信", q.BuryRecord(ctx, c.now(), seq, *reason)) {
			return exitInvalid
		}
		return exitOK
	})
}

// ---- masking ----

// maskBody returns the JSON body, compacted, with the values of the members that
// carry personal data masked (see personalKind), and every string that has the
// shape of a resident identity number masked wherever it is. It fails on a body
// that is not one JSON value: such a body is not printed.
func maskBody(body []byte) (json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var out bytes.Buffer
	if err := maskValue(dec, &out, kindNone); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON value")
	}
	return out.Bytes(), nil
}

type personal uint8

const (
	kindNone   personal = iota
	kindName            // a person's name: realname.MaskName
	kindNumber          // a document number, phone, e-mail, address: realname.MaskNumber
)

// nameOwners are the words that, followed by "name", make a member a person's
// name (buyerName, real_name…); sessionName, priceName and the like are not.
var nameOwners = map[string]bool{
	"": true, "real": true, "buyer": true, "user": true, "holder": true, "audience": true,
	"viewer": true, "contact": true, "person": true, "customer": true, "attendee": true,
	"passenger": true, "full": true, "true": true, "id": true, "idcard": true, "cert": true,
	"owner": true, "member": true, "guest": true, "spectator": true, "consignee": true,
	"receiver": true, "recipient": true, "purchaser": true, "visitor": true, "family": true,
	"given": true, "first": true, "last": true, "nick": true, "legal": true,
}

// numberSuffixes end the member names that carry a document number.
var numberSuffixes = []string{
	"idno", "idnum", "idnumber", "idcard", "idcardno", "idcardnumber", "idcode",
	"certno", "certnum", "certnumber", "certcode", "certificateno", "certificatenumber",
	"documentno", "documentnumber", "docno", "docnumber", "passportno", "passportnumber",
	"identityno", "identitynumber", "identitycard", "cardno", "cardnumber", "licenseno",
}

// personalKind classifies a member name.
func personalKind(key string) personal {
	k := strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(key))
	if name, ok := strings.CutSuffix(k, "name"); ok && nameOwners[name] {
		return kindName
	}
	for _, s := range numberSuffixes {
		if strings.HasSuffix(k, s) {
			return kindNumber
		}
	}
	if strings.Contains(k, "mobile") || strings.Contains(k, "phone") || strings.Contains(k, "email") ||
		strings.HasSuffix(k, "tel") || strings.HasSuffix(k, "telephone") || strings.Contains(k, "address") {
		return kindNumber
	}
	return kindNone
}

// looksLikeResidentID reports whether s has the shape of an 18-character
// resident identity number: 17 digits and a digit or X, with a birth year from
// 1900 to 2099 and a month 01 to 12. Such a string is masked wherever it is.
func looksLikeResidentID(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := range 17 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	if c := s[17]; (c < '0' || c > '9') && c != 'X' && c != 'x' {
		return false
	}
	year, month := s[6:8], s[10:12]
	return (year == "19" || year == "20") && month >= "01" && month <= "12"
}

func maskString(kind personal, s string) string {
	t := strings.TrimSpace(s)
	if kind == kindName && !looksLikeResidentID(t) {
		// A text MaskName gives back unchanged is masked as a number instead.
		if m := realname.MaskName(s); m != s || utf8.RuneCountInString(t) <= 1 {
			return m
		}
		return realname.MaskNumber(t)
	}
	if kind != kindNone || looksLikeResidentID(t) {
		return realname.MaskNumber(t)
	}
	return s
}

// maskText masks every run of 18 characters with the shape of a resident
// identity number (see looksLikeResidentID) in a free text such as a cause or
// a key, where no member name says what a value is.
func maskText(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i+18 <= len(s); i++ {
		if (i > 0 && isDigit(s[i-1])) || (i+18 < len(s) && (isDigit(s[i+18]) || s[i+18] == 'X' || s[i+18] == 'x')) {
			continue
		}
		if looksLikeResidentID(s[i : i+18]) {
			b.WriteString(s[last:i])
			b.WriteString(realname.MaskNumber(s[i : i+18]))
			last = i + 18
			i += 17
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// maskValue copies one JSON value from dec to out, masking it by kind (the kind
// of the member it is the value of, inherited by the elements of arrays and
// objects under it).
func maskValue(dec *json.Decoder, out *bytes.Buffer, kind personal) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			out.WriteByte('{')
			for i := 0; dec.More(); i++ {
				ktok, err := dec.Token()
				if err != nil {
					return err
				}
				key, _ := ktok.(string)
				if i > 0 {
					out.WriteByte(',')
				}
				writeJSONString(out, key)
				out.WriteByte(':')
				k := personalKind(key)
				if k == kindNone {
					k = kind
				}
				if err := maskValue(dec, out, k); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // '}'
				return err
			}
			out.WriteByte('}')
		case '[':
			out.WriteByte('[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					out.WriteByte(',')
				}
				if err := maskValue(dec, out, kind); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // ']'
				return err
			}
			out.WriteByte(']')
		default:
			return fmt.Errorf("unexpected %v", t)
		}
	case string:
		writeJSONString(out, maskString(kind, t))
	case json.Number:
		if kind != kindNone { // a phone or number written as a JSON number
			writeJSONString(out, maskString(kindNumber, t.String()))
		} else {
			out.WriteString(t.String())
		}
	case bool:
		out.WriteString(strconv.FormatBool(t))
	case nil:
		out.WriteString("null")
	}
	return nil
}

func writeJSONString(out *bytes.Buffer, s string) {
	b, _ := json.Marshal(s) // a string always marshals
	out.Write(b)
}
