package postgres

import (
	"strconv"
	"strings"

	"github.com/piaowu/wht93/venue"
)

// The inventory's migrations. Seat rows carry what a transition must check — the
// tier id, the access kind (0 open, -1 blocked, -2 staff only, 1 reserved) and the
// channel a reserved seat is for — by name, so that a chart change cannot give a
// stale request a different meaning. Seat rows have no index but their key and
// leave room on their pages (fillfactor 70), so that holds and sales update them
// in place (HOT). A hold key is a row of inventory_holds: inserting it is what
// makes a key unique, and it lists the seats to release.
var inventorySteps = []step{{
	version: 1,
	name:    "seats, holds, tickets, counters",
	sql: []string{
		`CREATE TABLE {{schema}}.inventory_charts (
			session     text    PRIMARY KEY,
			version     bigint  NOT NULL,
			fingerprint bytea   NOT NULL,
			seats       integer NOT NULL
		)`,
		`CREATE TABLE {{schema}}.inventory_seats (
			session text     NOT NULL,
			seat    integer  NOT NULL,
			tier    text     NOT NULL,
			kind    smallint NOT NULL,
			channel text,
			state   smallint NOT NULL DEFAULT 1,
			hold    text,
			owner   text,
			expires bigint,
			ticket  bigint,
			amount  bigint,
			PRIMARY KEY (session, seat)
		) WITH (fillfactor = 70)`,
		`CREATE TABLE {{schema}}.inventory_holds (
			session text      NOT NULL,
			key     text      NOT NULL,
			expires bigint    NOT NULL,
			seats   integer[] NOT NULL,
			PRIMARY KEY (session, key)
		)`,
		`CREATE SEQUENCE {{schema}}.inventory_serial AS bigint`,
		`CREATE TABLE {{schema}}.inventory_tickets (
			session     text     NOT NULL,
			serial      bigint   NOT NULL,
			seat        integer  NOT NULL,
			tier        text     NOT NULL,
			type        smallint NOT NULL,
			order_key   text     NOT NULL,
			buyer       text     NOT NULL,
			channel     text     NOT NULL,
			staff       text     NOT NULL,
			id_index    bytea,
			amount      bigint   NOT NULL,
			sold_at     bigint   NOT NULL,
			refunded_at bigint,
			keys        text[]   NOT NULL,
			PRIMARY KEY (session, serial)
		)`,
		`CREATE INDEX inventory_tickets_order ON {{schema}}.inventory_tickets (session, order_key)`,
		`CREATE TABLE {{schema}}.inventory_counters (
			key text   PRIMARY KEY,
			n   bigint NOT NULL
		)`,
		// inventory_hold and inventory_sell are a hold and a sale, each one
		// statement (one round trip, one commit); a mismatch raises an exception,
		// which undoes the statement whole. They run with generic plans, planned
		// once per connection: re-planning each call costs more than running it.
		invHoldFunc,
		invSellFunc,
		// inventory_abort undoes the whole statement that calls it: a hold or a sale
		// is one statement, which must take all its seats and counters or none.
		`CREATE FUNCTION {{schema}}.inventory_abort(reason text) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
		BEGIN
			RAISE EXCEPTION 'wht93_inventory_abort:%', reason;
		END
		$$`,
	},
}}

// The statements, with {{schema}} put in by DB.expand.
const (
	// A hold: the key's row is inserted, or taken over from an expired hold; a
	// key with a live hold, or used by a sale, inserts nothing and so holds
	// nothing. p_tier '' takes seats of any tier.
	invHoldFunc = `CREATE FUNCTION {{schema}}.inventory_hold(p_session text, p_version bigint, p_key text, p_owner text,
	p_expires bigint, p_seats integer[], p_now bigint, p_channel text, p_staff boolean, p_tier text)
RETURNS bigint LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	n bigint;
BEGIN
	WITH chart AS (
		SELECT 1 FROM {{schema}}.inventory_charts WHERE session = p_session AND version = p_version
	), k AS (
		INSERT INTO {{schema}}.inventory_holds AS h (session, key, expires, seats)
		SELECT p_session, p_key, p_expires, p_seats
		WHERE EXISTS (SELECT 1 FROM chart)
			AND NOT EXISTS (SELECT 1 FROM {{schema}}.inventory_tickets t WHERE t.session = p_session AND t.order_key = p_key)
		ON CONFLICT (session, key) DO UPDATE SET expires = excluded.expires, seats = excluded.seats
			WHERE h.expires <= p_now
		RETURNING 1
	), u AS (
		UPDATE {{schema}}.inventory_seats AS st
		SET state = 2, hold = p_key, owner = p_owner, expires = p_expires, ticket = NULL, amount = NULL
		WHERE st.session = p_session AND st.seat = ANY(p_seats)
			AND (st.state = 1 OR (st.state = 2 AND st.expires <= p_now))
			AND st.kind <> -1 AND (st.kind = 0 OR (st.kind = 1 AND st.channel = p_channel) OR p_staff)
			AND (p_tier = '' OR st.tier = p_tier)
			AND EXISTS (SELECT 1 FROM k)
		RETURNING 1
	)
	SELECT count(*) INTO n FROM u;
	IF n <> cardinality(p_seats) THEN
		RAISE EXCEPTION 'wht93_inventory_abort:hold';
	END IF;
	RETURN n;
END
$$`

	// A sale: the seats held by the live hold become Sold with a new ticket
	// each, and the counters are added to; it returns the serials in the order
	// of the seats.
	invSellFunc = `CREATE FUNCTION {{schema}}.inventory_sell(p_session text, p_version bigint, p_key text, p_now bigint,
	p_seats integer[], p_amounts bigint[], p_tiers text[], p_types smallint[], p_buyer text, p_channel text, p_staff text,
	p_ids text[], p_keys text[], p_ckeys text[], p_adds bigint[], p_maxes bigint[])
RETURNS text LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	sold bigint;
	over bigint;
	serials text;
BEGIN
	WITH chart AS (
		SELECT 1 FROM {{schema}}.inventory_charts WHERE session = p_session AND version = p_version
	), t AS MATERIALIZED (
		SELECT x.seat, x.amount, x.tier, x.type, x.idx, x.keys, x.ord, nextval('{{schema}}.inventory_serial') AS serial
		FROM unnest(p_seats, p_amounts, p_tiers, p_types, p_ids, p_keys) WITH ORDINALITY AS x(seat, amount, tier, type, idx, keys, ord)
	), s AS (
		UPDATE {{schema}}.inventory_seats AS st
		SET state = 3, hold = NULL, owner = NULL, expires = NULL, ticket = t.serial, amount = t.amount
		FROM t
		WHERE st.session = p_session AND st.seat = t.seat AND st.state = 2 AND st.hold = p_key AND st.expires > p_now
			AND EXISTS (SELECT 1 FROM chart)
		RETURNING t.serial, t.ord
	), k AS (
		INSERT INTO {{schema}}.inventory_counters AS c (key, n)
		SELECT x.key, x.add FROM unnest(p_ckeys, p_adds) AS x(key, add)
		ON CONFLICT (key) DO UPDATE SET n = c.n + excluded.n
		RETURNING c.key, c.n
	), ins AS (
		INSERT INTO {{schema}}.inventory_tickets
			(session, serial, seat, tier, type, order_key, buyer, channel, staff, id_index, amount, sold_at, keys)
		SELECT p_session, t.serial, t.seat, t.tier, t.type, p_key, p_buyer, p_channel, p_staff,
			CASE WHEN t.idx = '' THEN NULL ELSE decode(t.idx, 'hex') END, t.amount, p_now, t.keys::text[]
		FROM t JOIN s USING (serial)
		RETURNING 1
	)
	SELECT (SELECT count(*) FROM s),
		(SELECT count(*) FROM k JOIN unnest(p_ckeys, p_maxes) AS m(key, max) ON k.key = m.key WHERE m.max > 0 AND k.n > m.max),
		(SELECT string_agg(serial::text, ',' ORDER BY ord) FROM s)
	INTO sold, over, serials;
	IF sold <> cardinality(p_seats) THEN
		RAISE EXCEPTION 'wht93_inventory_abort:seats';
	END IF;
	IF over > 0 THEN
		RAISE EXCEPTION 'wht93_inventory_abort:counters';
	END IF;
	RETURN serials;
END
$$`

	invHoldSQL = `SELECT {{schema}}.inventory_hold($1, $2, $3, $4, $5, $6::integer[], $7, $8, $9, $10)`

	invSellSQL = `SELECT {{schema}}.inventory_sell($1, $2, $3, $4, $5::integer[], $6::bigint[], $7::text[], $8::smallint[],
	$9, $10, $11, $12::text[], $13::text[], $14::text[], $15::bigint[], $16::bigint[])`

	// $1 session, $2 version, $3 serial, $4 now.
	invRefundSQL = `
WITH chart AS (
	SELECT 1 FROM {{schema}}.inventory_charts WHERE session = $1 AND version = $2
), t AS (
	UPDATE {{schema}}.inventory_tickets SET refunded_at = $4
	WHERE serial = $3 AND session = $1 AND refunded_at IS NULL AND EXISTS (SELECT 1 FROM chart)
	RETURNING ` + invTicketCols + `
), s AS (
	UPDATE {{schema}}.inventory_seats SET state = 1, ticket = NULL, amount = NULL
	WHERE session = $1 AND seat = (SELECT seat FROM t) AND ticket = $3 AND state = 3
), c AS (
	UPDATE {{schema}}.inventory_counters SET n = n - 1 WHERE key IN (SELECT unnest(keys) FROM t)
)
SELECT ` + invTicketOut + ` FROM t`

	// $1 session, $2 version, $3 hold key, $4 now. The key's row is expired, so
	// that the key may be used again.
	invReleaseSQL = `
WITH h AS (
	UPDATE {{schema}}.inventory_holds SET expires = 0
	WHERE session = $1 AND key = $3 AND expires > $4
		AND EXISTS (SELECT 1 FROM {{schema}}.inventory_charts WHERE session = $1 AND version = $2)
	RETURNING seats
)
UPDATE {{schema}}.inventory_seats SET state = 1, hold = NULL, owner = NULL, expires = NULL
WHERE session = $1 AND seat IN (SELECT unnest(seats) FROM h) AND hold = $3 AND state = 2 AND expires > $4`

	// $1 session, $2 now. One statement: one snapshot.
	invSnapshotSQL = `
SELECT c.version, c.fingerprint,
	coalesce((SELECT string_agg(CASE WHEN s.state = 2 AND s.expires <= $2 THEN '1' ELSE s.state::text END, '' ORDER BY s.seat)
		FROM {{schema}}.inventory_seats s WHERE s.session = $1), ''),
	coalesce((SELECT string_agg(x.tier || chr(31) || x.total::text, chr(30))
		FROM (SELECT tier, sum(amount) AS total FROM {{schema}}.inventory_seats WHERE session = $1 AND state = 3 GROUP BY tier) x), '')
FROM {{schema}}.inventory_charts c WHERE c.session = $1`

	invTicketCols = `serial, seat, tier, type, order_key, buyer, channel, staff, id_index, amount, sold_at, refunded_at, keys`
	invTicketOut  = `serial, seat, tier, type, order_key, buyer, channel, staff, id_index, amount, sold_at, refunded_at, keys::text`

	// The columns of a seat row, as scanSeat reads them.
	invSeatCols = `seat, state, coalesce(hold, ''), coalesce(owner, ''), coalesce(expires, 0), coalesce(ticket, 0), coalesce(amount, 0)`

	// $1 session, $2 non-available seats only.
	invSeatRowsSQL = `
SELECT ` + invSeatCols + `
FROM {{schema}}.inventory_seats WHERE session = $1 AND state <> 1`

	invChartSQL = `SELECT version, fingerprint, seats FROM {{schema}}.inventory_charts WHERE session = $1`
)

// pgIntArray writes integers as an array literal: {1,2,3}.
func pgIntArray[T ~int32 | ~int64 | ~int | ~int16](xs []T) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(int64(x), 10))
	}
	b.WriteByte('}')
	return b.String()
}

// pgTextArray writes strings as an array literal, each quoted: {"a","b \"c\""}.
func pgTextArray(xs []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		for j := 0; j < len(x); j++ {
			if c := x[j]; c == '"' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(x[j])
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// pgParseTextArray reads a one-dimensional text array literal as PostgreSQL
// writes it: elements quoted when they need to be, NULL not expected.
func pgParseTextArray(s string) ([]string, bool) {
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, false
	}
	s = s[1 : len(s)-1]
	var out []string
	for len(s) > 0 {
		var el strings.Builder
		if s[0] == '"' {
			i := 1
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				el.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, false
			}
			s = s[i+1:]
		} else {
			i := strings.IndexByte(s, ',')
			if i < 0 {
				i = len(s)
			}
			el.WriteString(s[:i])
			s = s[i:]
		}
		out = append(out, el.String())
		if len(s) > 0 {
			if s[0] != ',' {
				return nil, false
			}
			s = s[1:]
		}
	}
	return out, true
}

func seatInts(ids []venue.SeatID) string { return pgIntArray(ids) }
