package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/piaowu/wht93/audit"
)

// The operation log's tables. wht93_audit_entries holds one row per entry, its
// fields in columns (the time as microseconds since 1970 UTC in at_us, exactly
// what the hash covers, and as a timestamptz in at for people reading the table;
// detail NULL when empty), with the previous hash and the entry's hash.
// wht93_audit_head holds one row, the last entry's sequence and hash (zeros for
// an empty log): Append locks it FOR UPDATE, which makes appenders in every
// process form one chain. Triggers refuse UPDATE, DELETE and TRUNCATE on the
// entries table to everyone, the owner included; only dropping the triggers or
// the table gets around them, and verification finds what was done then.
var auditSteps = []step{{
	version: 1,
	name:    "operation log: entries, head, append-only triggers",
	sql: []string{
		`CREATE TABLE {{schema}}.wht93_audit_entries (
			seq         bigint   PRIMARY KEY CHECK (seq > 0),
			version     smallint NOT NULL,
			at_us       bigint   NOT NULL,
			at          timestamptz GENERATED ALWAYS AS (to_timestamp(at_us::double precision / 1000000)) STORED,
			user_id     text     NOT NULL,
			action      text     NOT NULL,
			object_type text     NOT NULL,
			object_id   text     NOT NULL,
			content     text     NOT NULL,
			detail      bytea,
			prev        bytea    NOT NULL,
			hash        bytea    NOT NULL
		)`,
		`CREATE TABLE {{schema}}.wht93_audit_head (
			id   boolean PRIMARY KEY DEFAULT true CHECK (id),
			seq  bigint  NOT NULL CHECK (seq >= 0),
			hash bytea   NOT NULL CHECK (length(hash) = 32)
		)`,
		`INSERT INTO {{schema}}.wht93_audit_head (id, seq, hash) VALUES (true, 0, decode(repeat('00', 32), 'hex'))`,
		`CREATE FUNCTION {{schema}}.wht93_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			RAISE EXCEPTION '操作日志只能追加，拒绝 % / the operation log is append-only: % refused', TG_OP, TG_OP
				USING ERRCODE = 'insufficient_privilege';
		END
		$$`,
		`CREATE TRIGGER wht93_audit_append_only BEFORE UPDATE OR DELETE ON {{schema}}.wht93_audit_entries
			FOR EACH ROW EXECUTE FUNCTION {{schema}}.wht93_audit_refuse()`,
		`CREATE TRIGGER wht93_audit_no_truncate BEFORE TRUNCATE ON {{schema}}.wht93_audit_entries
			FOR EACH STATEMENT EXECUTE FUNCTION {{schema}}.wht93_audit_refuse()`,
	},
}}

// AuditLog is the [audit.Store] of a PostgreSQL schema: an append is committed
// when it returns, and appenders in any number of processes sharing the schema
// form one chain. It has no way to change or remove an entry, and the table's
// triggers refuse UPDATE, DELETE and TRUNCATE. Take it from [DB.AuditLog].
//
// Group commit. Appends made at the same time through one AuditLog share a
// transaction: while one transaction runs, the appends that arrive wait, and
// the next transaction takes all of them (up to [audit.MaxBatch] records), each
// call's records kept together and in order. So concurrent appenders pay for
// one head-row lock and one commit between them rather than one each. A failed
// transaction fails every call in it. An AuditLog is safe for concurrent use.
type AuditLog struct {
	db    *DB
	group groupCommit[audit.Record, audit.Entry] // of checked records
}

var _ audit.Store = (*AuditLog)(nil)

// AuditLog returns the schema's operation log, creating its tables on first
// use (migration component "audit").
func (db *DB) AuditLog(ctx context.Context) (*AuditLog, error) {
	if err := db.migrate(ctx, "audit", auditSteps); err != nil {
		return nil, err
	}
	l := &AuditLog{db: db}
	l.group = groupCommit[audit.Record, audit.Entry]{max: audit.MaxBatch, run: l.appendTx}
	return l, nil
}

// Append implements [audit.Store]. If ctx ends while the call waits for its
// transaction, it returns ctx.Err() and its entries may still be committed.
func (l *AuditLog) Append(ctx context.Context, recs ...audit.Record) ([]audit.Entry, error) {
	checked, err := audit.CheckRecords(recs)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return l.group.submit(ctx, checked)
}

const auditColumns = `seq, version, at_us, user_id, action, object_type, object_id, content, detail, prev, hash`

// appendTx appends checked records in one transaction: it locks the head
// row, seals the records after it, inserts them and moves the head.
func (l *AuditLog) appendTx(ctx context.Context, checked []audit.Record) ([]audit.Entry, error) {
	var out []audit.Entry
	err := l.db.inTx(ctx, func(tx *sql.Tx) error {
		out = nil
		var (
			seq  int64
			hash []byte
		)
		err := tx.QueryRowContext(ctx, l.db.expand(
			`SELECT seq, hash FROM {{schema}}.wht93_audit_head WHERE id FOR UPDATE`)).Scan(&seq, &hash)
		if err != nil {
			return err
		}
		if seq < 0 || len(hash) != len(audit.Hash{}) {
			return fmt.Errorf("postgres: the audit head is damaged (seq %d, %d-byte hash)", seq, len(hash))
		}
		head := audit.Anchor{Seq: uint64(seq)}
		copy(head.Hash[:], hash)
		es := audit.Seal(head, checked)
		if es[len(es)-1].Seq > math.MaxInt64 {
			return fmt.Errorf("postgres: the operation log is full")
		}
		var q strings.Builder
		q.WriteString(l.db.expand(`INSERT INTO {{schema}}.wht93_audit_entries (` + auditColumns + `) VALUES `))
		args := make([]any, 0, len(es)*11)
		for i, e := range es {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(")
			for j := range 11 {
				if j > 0 {
					q.WriteString(", ")
				}
				q.WriteString("$" + strconv.Itoa(len(args)+j+1))
			}
			q.WriteString(")")
			var detail []byte
			if len(e.Detail) > 0 {
				detail = e.Detail
			}
			args = append(args, int64(e.Seq), int16(e.Version), e.Time.UnixMicro(), e.User, string(e.Action),
				e.Object.Type, e.Object.ID, e.Content, detail, e.Prev[:], e.Hash[:])
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
		last := es[len(es)-1]
		if _, err := tx.ExecContext(ctx, l.db.expand(`UPDATE {{schema}}.wht93_audit_head SET seq = $1, hash = $2 WHERE id`),
			int64(last.Seq), last.Hash[:]); err != nil {
			return err
		}
		out = es
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Head implements [audit.Store].
func (l *AuditLog) Head(ctx context.Context) (audit.Anchor, error) {
	var (
		seq  int64
		hash []byte
	)
	err := l.db.sql.QueryRowContext(ctx, l.db.expand(`SELECT seq, hash FROM {{schema}}.wht93_audit_head WHERE id`)).Scan(&seq, &hash)
	if err != nil {
		return audit.Anchor{}, err
	}
	if seq < 0 || len(hash) != len(audit.Hash{}) {
		return audit.Anchor{}, fmt.Errorf("postgres: the audit head is damaged (seq %d, %d-byte hash)", seq, len(hash))
	}
	a := audit.Anchor{Seq: uint64(seq)}
	copy(a.Hash[:], hash)
	return a, nil
}

// Read implements [audit.Store]. A row that no entry could have written (a
// hash or previous hash that is not 32 bytes, a version out of range) is
// reported as an [audit.Malformed] fault when it is the first of the page (the
// page before it is returned first).
func (l *AuditLog) Read(ctx context.Context, after uint64, limit int) ([]audit.Entry, error) {
	if err := audit.CheckRead(limit); err != nil {
		return nil, err
	}
	out := []audit.Entry{}
	if after >= math.MaxInt64 {
		return out, nil
	}
	rows, err := l.db.sql.QueryContext(ctx, l.db.expand(
		`SELECT `+auditColumns+` FROM {{schema}}.wht93_audit_entries WHERE seq > $1 ORDER BY seq LIMIT $2`),
		int64(after), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			seq, atUS        int64
			version          int16
			user, action     string
			otype, oid, text string
			detail, prev, h  []byte
		)
		if err := rows.Scan(&seq, &version, &atUS, &user, &action, &otype, &oid, &text, &detail, &prev, &h); err != nil {
			return nil, err
		}
		var bad string
		switch {
		case len(prev) != len(audit.Hash{}) || len(h) != len(audit.Hash{}):
			bad = fmt.Sprintf("hashes of %d and %d bytes", len(prev), len(h))
		case version < 0 || version > math.MaxUint8:
			bad = fmt.Sprintf("version %d", version)
		}
		if bad != "" {
			if len(out) > 0 {
				return out, nil
			}
			return nil, audit.Malformed(uint64(seq), fmt.Errorf("%s", bad))
		}
		e := audit.Entry{Seq: uint64(seq), Version: uint8(version), Record: audit.Record{
			Time: time.UnixMicro(atUS).UTC(), User: user, Action: audit.Action(action),
			Object: audit.Object{Type: otype, ID: oid}, Content: text,
		}}
		if len(detail) > 0 {
			e.Detail = detail
		}
		copy(e.Prev[:], prev)
		copy(e.Hash[:], h)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
