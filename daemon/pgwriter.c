#include "pgwriter.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "buf.h"
#include "clock.h"
#include "log.h"
#include "migrate.h"
#include "sink.h"

struct pgw {
	PGconn *conn;
	char *conninfo;
	char *group_id;
	char *member_id;
	bool staged;       /* staging tables hold rows of this transaction */
	bool sync_commit;  /* a batch's COMMIT waits for the WAL flush */
	struct buf cols[BATCH_MAX_KINDS]; /* each kind's COPY column list */
	struct buf quar_cols; /* the quarantine's */
	struct buf sql;    /* statement text, reused */
	struct buf arr[5]; /* array parameters of the fence, reused */
	char sqlstate[6];  /* of the last statement that failed; "" when it had none */
	double folded_at;  /* when span_month's deltas were last folded */
};

/* Why PostgreSQL refused a range of events, as it said it: the SQLSTATE is
 * taken where the result was read, the message is for people. */
struct pg_failure {
	char sqlstate[6];
	char msg[512];
};

/* What a failed statement means for the batch. */
enum verdict { V_OK, V_DATA, V_FAIL };

struct pgw *pgw_new(const char *conninfo, const char *group_id)
{
	struct pgw *w = calloc(1, sizeof(*w));
	if (!w || !(w->conninfo = strdup(conninfo)) || !(w->group_id = strdup(group_id)))
		abort();
	for (size_t i = 0; event_kinds[i]; i++)
		sink_kind_columns(event_kinds[i], ", ", &w->cols[i]);
	sink_quarantine_columns(", ", &w->quar_cols);
	return w;
}

void pgw_free(struct pgw *w)
{
	if (!w)
		return;
	if (w->conn)
		PQfinish(w->conn);
	free(w->conninfo);
	free(w->group_id);
	free(w->member_id);
	buf_free(&w->sql);
	for (size_t i = 0; i < BATCH_MAX_KINDS; i++)
		buf_free(&w->cols[i]);
	buf_free(&w->quar_cols);
	for (size_t i = 0; i < 5; i++)
		buf_free(&w->arr[i]);
	free(w);
}

void pgw_set_member(struct pgw *w, const char *member_id)
{
	free(w->member_id);
	w->member_id = member_id ? strdup(member_id) : NULL;
}

bool pgw_connected(const struct pgw *w)
{
	return w->conn && PQstatus(w->conn) == CONNECTION_OK;
}

const char *pgw_sqlstate(const struct pgw *w) { return w->sqlstate; }

void pgw_set_sync_commit(struct pgw *w, bool on) { w->sync_commit = on; }

bool pgw_alive(struct pgw *w)
{
	/* Reads what the server sent since the last statement: a session it
	 * ended (a crash, a restart, pg_terminate_backend) shows here. */
	return pgw_connected(w) && PQconsumeInput(w->conn) && PQstatus(w->conn) == CONNECTION_OK;
}

/* Classify a result: data errors are the batch's fault, everything else
 * (connection loss, shutdown, deadlock, permissions) is retried later. */
static enum verdict judge(struct pgw *w, PGresult *r, ExecStatusType want, char *err,
			  size_t errlen, const char *what)
{
	if (PQresultStatus(r) == want)
		return V_OK;
	const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	snprintf(w->sqlstate, sizeof(w->sqlstate), "%s", st ? st : "");
	snprintf(err, errlen, "%s: %s%s%s", what, st ? "SQLSTATE " : "", st ? st : "",
		 st ? ": " : "");
	size_t n = strlen(err);
	snprintf(err + n, errlen - n, "%s", PQresultErrorMessage(r));
	db_one_line(err);
	if (st && (strncmp(st, "22", 2) == 0 || strncmp(st, "23", 2) == 0))
		return V_DATA;
	return V_FAIL;
}

static enum verdict run(struct pgw *w, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(w->conn, sql);
	enum verdict v = judge(w, r, PGRES_COMMAND_OK, err, errlen, sql);
	PQclear(r);
	return v;
}

static const char *const session_sql =
	"SET statement_timeout = '60s';"
	"SET idle_in_transaction_session_timeout = '120s';";

static int make_staging(struct pgw *w, char *err, size_t errlen)
{
	struct buf *s = &w->sql;
	buf_reset(s);
	buf_printf(s, "CREATE TEMP TABLE stage_quarantine ON COMMIT DELETE ROWS AS"
		      " SELECT %s FROM disclosed.quarantine WITH NO DATA;",
		   buf_cstr(&w->quar_cols));
	for (size_t i = 0; event_kinds[i]; i++)
		buf_printf(s, "CREATE TEMP TABLE stage_%s ON COMMIT DELETE ROWS AS"
			      " SELECT * FROM disclosed.%s WITH NO DATA;",
			   event_kinds[i]->table, event_kinds[i]->table);
	PGresult *r = PQexec(w->conn, buf_cstr(s));
	int rc = judge(w, r, PGRES_COMMAND_OK, err, errlen, "creating staging tables") == V_OK ? 0 : -1;
	PQclear(r);
	return rc;
}

bool pgw_conn_needs_operator(enum pgw_conn v)
{
	return v == PGW_CONN_NOT_MIGRATED || v == PGW_CONN_SCHEMA_MISMATCH ||
	       v == PGW_CONN_SCHEMA_UNREADABLE;
}

static enum pgw_conn schema_verdict(enum migrate_state st)
{
	switch (st) {
	case MIGRATE_CURRENT:
		return PGW_CONN_OK;
	case MIGRATE_MISSING:
		return PGW_CONN_NOT_MIGRATED;
	case MIGRATE_MISMATCH:
		return PGW_CONN_SCHEMA_MISMATCH;
	case MIGRATE_UNREADABLE:
		break;
	}
	return PGW_CONN_SCHEMA_UNREADABLE;
}

enum pgw_conn pgw_connect(struct pgw *w, char *err, size_t errlen)
{
	enum pgw_conn v = PGW_CONN_SESSION;
	w->sqlstate[0] = '\0';
	if (w->conn)
		PQfinish(w->conn);
	w->conn = db_connect(w->conninfo, "disclosed", err, errlen);
	if (!w->conn)
		return PGW_CONN_UNREACHABLE;
	if (run(w, session_sql, err, errlen) != V_OK)
		goto fail;
	v = schema_verdict(migrate_check(w->conn, err, errlen));
	if (v != PGW_CONN_OK)
		goto fail;
	if (make_staging(w, err, errlen)) {
		v = PGW_CONN_SESSION;
		goto fail;
	}
	return PGW_CONN_OK;
fail:
	PQfinish(w->conn);
	w->conn = NULL;
	return v;
}


/* Sends one COPY's rows, after PostgreSQL asked for them (PGRES_COPY_IN). */
static enum verdict copy_send(struct pgw *w, const char *table, const char *p, size_t n,
			      char *err, size_t errlen)
{
	/* libpq buffers; sending in 1 MB pieces keeps its copy small. */
	const size_t chunk = 1 << 20;
	for (size_t off = 0; off < n; off += chunk) {
		size_t len = n - off < chunk ? n - off : chunk;
		if (PQputCopyData(w->conn, p + off, (int)len) != 1)
			goto fail;
	}
	if (PQputCopyEnd(w->conn, NULL) == 1)
		return V_OK;
fail:
	snprintf(err, errlen, "COPY into %s: %s", table, PQerrorMessage(w->conn));
	db_one_line(err);
	return V_FAIL;
}

/* One COPY's rows for a copies() query. */
struct copy_part {
	const char *table;
	const char *p;
	size_t n;
	bool counted; /* its rows are events (added to *rows) */
};

/* Runs sql, whose COPY ... FROM STDIN statements are parts[0..np) in that
 * order, as one query: PostgreSQL starts each COPY as soon as the one before
 * it ends, so a table costs one round trip instead of two, and statements
 * around the COPYs (a savepoint) ride along. At the first error PostgreSQL
 * skips the rest of the query; its verdict is the result's. */
static enum verdict copies(struct pgw *w, const char *sql, const struct copy_part *parts,
			   size_t np, size_t *rows, char *err, size_t errlen)
{
	if (!PQsendQuery(w->conn, sql)) {
		snprintf(err, errlen, "sending COPY: %s", PQerrorMessage(w->conn));
		db_one_line(err);
		return V_FAIL;
	}
	enum verdict v = V_OK;
	size_t sent = 0, done = 0;
	PGresult *r;
	while ((r = PQgetResult(w->conn))) {
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_COPY_IN) {
			/* A COPY the query did not name would be a bug: end it empty. */
			if (v != V_OK || sent >= np)
				PQputCopyEnd(w->conn, v == V_OK ? "unexpected COPY" : "aborted");
			else if (copy_send(w, parts[sent].table, parts[sent].p, parts[sent].n, err,
					   errlen) != V_OK)
				v = V_FAIL;
			sent++;
		} else if (v == V_OK) {
			v = judge(w, r, PGRES_COMMAND_OK, err, errlen, "COPY");
			bool copied = v == V_OK && strncmp(PQcmdStatus(r), "COPY ", 5) == 0;
			if (copied && done < np && parts[done].counted && rows)
				*rows += strtoull(PQcmdTuples(r), NULL, 10);
			done += copied;
		}
		PQclear(r);
	}
	if (v == V_OK && done != np) {
		snprintf(err, errlen, "COPY: %zu of %zu tables stored", done, np);
		return V_FAIL;
	}
	return v;
}

/* COPY a slice of text into one of the session's staging tables. */
static enum verdict copy_in(struct pgw *w, const char *stage, const char *cols,
			    const char *p, size_t n, char *err, size_t errlen)
{
	struct buf *sql = &w->sql;
	buf_reset(sql);
	buf_printf(sql, "COPY pg_temp.%s (%s) FROM STDIN", stage, cols);
	struct copy_part part = {stage, p, n, false};
	return copies(w, buf_cstr(sql), &part, 1, NULL, err, errlen);
}

/* Appends, for each kind in the mask, pre<index>post, the first after lead
 * and the others after sep: the final SELECT over a statement's CTEs. */
static void each_cte(struct buf *s, uint32_t kinds, const char *lead, const char *sep,
		     const char *pre, const char *post)
{
	for (size_t i = 0; event_kinds[i]; i++) {
		if (!(kinds & (1u << i)))
			continue;
		buf_printf(s, "%s%s%zu%s", lead, pre, i, post);
		lead = sep;
	}
}

/* The statement that moves staged rows into place, skipping events whose
 * identity is already stored, in their table (its primary key) or under
 * another type (disclosed.event_identity; quarantine_conflicts set those
 * aside), and recording the identities of the rows it stores. */
static void build_insert(struct pgw *w, uint32_t kinds)
{
	struct buf *s = &w->sql;
	const char *sep = "WITH ";
	buf_reset(s);
	for (size_t i = 0; event_kinds[i]; i++) {
		if (!(kinds & (1u << i)))
			continue;
		const char *cols = buf_cstr(&w->cols[i]);
		buf_printf(s, "%sk%zu AS (INSERT INTO disclosed.%s (%s) SELECT %s FROM"
			      " pg_temp.stage_%s s WHERE NOT EXISTS (SELECT 1 FROM"
			      " disclosed.event_identity e WHERE e.source = s.source AND"
			      " e.event_id = s.event_id) ON CONFLICT (source, event_id) DO NOTHING"
			      " RETURNING source, event_id)", sep, i, event_kinds[i]->table, cols,
			   cols, event_kinds[i]->table);
		sep = ", ";
	}
	/* The batch holds each identity once (batch.c), so the CTEs' rows
	 * never share one. */
	buf_puts(s, ", ids AS (INSERT INTO disclosed.event_identity (source, event_id)");
	each_cte(s, kinds, " ", " UNION ALL ", "SELECT * FROM k", "");
	buf_puts(s, " ON CONFLICT DO NOTHING)");
	each_cte(s, kinds, " SELECT ", " + ", "(SELECT count(*) FROM k", ")");
}

/* Staged rows of a range that was stored stay until COMMIT; the next range
 * of a bisection must not see them. */
static enum verdict clear_staging(struct pgw *w, char *err, size_t errlen)
{
	if (!w->staged)
		return V_OK;
	struct buf *s = &w->sql;
	buf_reset(s);
	buf_puts(s, "TRUNCATE ");
	for (size_t i = 0; event_kinds[i]; i++)
		buf_printf(s, "%spg_temp.stage_%s", i ? ", " : "", event_kinds[i]->table);
	w->staged = false;
	return run(w, buf_cstr(s), err, errlen) == V_OK ? V_OK : V_FAIL;
}

/* Sets aside the staged events whose identity is stored with other
 * content, in their own table or under another type; *r holds their rows
 * (topic, partition, offset, id, reason). */
static enum verdict quarantine_conflicts(struct pgw *w, uint32_t kinds, PGresult **r,
					 char *err, size_t errlen)
{
	struct buf *s = &w->sql;
	const char *sep = "WITH ";
	char stage[128];
	buf_reset(s);
	for (size_t i = 0; event_kinds[i]; i++) {
		if (!(kinds & (1u << i)))
			continue;
		snprintf(stage, sizeof(stage), "pg_temp.stage_%s", event_kinds[i]->table);
		buf_printf(s, "%sc%zu AS (", sep, i);
		sink_quarantine_conflicts_sql(event_kinds[i], stage, s);
		buf_printf(s, "), x%zu AS (", i);
		sink_quarantine_other_type_sql(event_kinds[i], stage, s);
		buf_putc(s, ')');
		sep = ", ";
	}
	each_cte(s, kinds, " ", " UNION ALL ", "SELECT * FROM c", "");
	each_cte(s, kinds, " UNION ALL ", " UNION ALL ", "SELECT * FROM x", "");
	*r = PQexec(w->conn, buf_cstr(s));
	return judge(w, *r, PGRES_TUPLES_OK, err, errlen, "quarantining conflicting duplicates");
}

static void log_conflicts(PGresult *r)
{
	for (int i = 0; i < PQntuples(r); i++) {
		struct log_fields f = {
			.lineage = true, .topic = PQgetvalue(r, i, 0),
			.partition = (int32_t)strtol(PQgetvalue(r, i, 1), NULL, 10),
			.offset = strtoll(PQgetvalue(r, i, 2), NULL, 10),
			.reason = "conflicting_duplicate", .event_id = PQgetvalue(r, i, 3)};
		log_event(LOG_LVL_WARN, &f, "event quarantined topic=%s partition=%d offset=%lld "
			  "reason=conflicting_duplicate: %s", f.topic, f.partition,
			  (long long)f.offset, PQgetvalue(r, i, 4));
	}
}

static enum verdict store_range(struct pgw *w, struct batch *b, size_t lo, size_t hi,
				struct pgw_result *res, char *err, size_t errlen)
{
	const char *p;
	size_t n;
	uint32_t kinds = batch_kinds_in(b, lo, hi);
	if (clear_staging(w, err, errlen) != V_OK)
		return V_FAIL;
	enum verdict v = V_OK;
	for (size_t i = 0; v == V_OK && event_kinds[i]; i++) {
		if (!(kinds & (1u << i)))
			continue;
		char table[96];
		snprintf(table, sizeof(table), "stage_%s", event_kinds[i]->table);
		batch_kind_slice(b, (uint32_t)i, lo, hi, &p, &n);
		v = copy_in(w, table, buf_cstr(&w->cols[i]), p, n, err, errlen);
	}
	if (v != V_OK)
		return v;
	w->staged = true;
	/* Before the insert, which skips every stored identity. */
	PGresult *c = NULL;
	v = quarantine_conflicts(w, kinds, &c, err, errlen);
	if (v != V_OK) {
		PQclear(c);
		return v;
	}
	build_insert(w, kinds);
	PGresult *r = PQexec(w->conn, buf_cstr(&w->sql));
	v = judge(w, r, PGRES_TUPLES_OK, err, errlen, "storing the batch");
	if (v == V_OK) {
		res->stored += strtoull(PQgetvalue(r, 0, 0), NULL, 10);
		res->conflicting += (size_t)PQntuples(c);
		log_conflicts(c); /* only now: a refused range is tried again */
	}
	PQclear(r);
	PQclear(c);
	return v;
}

/* Quarantine one event that PostgreSQL refused, from its staged row. */
static enum verdict reject_one(struct pgw *w, struct batch *b, size_t i,
			       const struct pg_failure *why, char *err, size_t errlen)
{
	const char *p;
	size_t n;
	char table[96];
	uint32_t k = batch_event_at(b, i)->kind;
	if (clear_staging(w, err, errlen) != V_OK)
		return V_FAIL;
	snprintf(table, sizeof(table), "stage_%s", event_kinds[k]->table);
	batch_kind_slice(b, k, i, i + 1, &p, &n);
	enum verdict v = copy_in(w, table, buf_cstr(&w->cols[k]), p, n, err, errlen);
	if (v != V_OK)
		return V_FAIL;
	w->staged = true;
	const char *params[] = {why->msg, why->sqlstate, event_kinds[k]->type};
	char stage[128];
	snprintf(stage, sizeof(stage), "pg_temp.%s", table);
	sink_quarantine_reject_sql(stage, &w->sql);
	PGresult *r = PQexecParams(w->conn, buf_cstr(&w->sql), 3, NULL, params, NULL, NULL, 0);
	v = judge(w, r, PGRES_TUPLES_OK, err, errlen, "quarantining a rejected event");
	if (v == V_OK && PQntuples(r) == 1) {
		struct log_fields f = {
			.lineage = true, .topic = PQgetvalue(r, 0, 0),
			.partition = (int32_t)strtol(PQgetvalue(r, 0, 1), NULL, 10),
			.offset = strtoll(PQgetvalue(r, 0, 2), NULL, 10), .reason = "db_rejected",
			.event_id = PQgetisnull(r, 0, 3) ? NULL : PQgetvalue(r, 0, 3),
			.agency = PQgetisnull(r, 0, 4) ? NULL : PQgetvalue(r, 0, 4),
			.sqlstate = *why->sqlstate ? why->sqlstate : NULL};
		log_event(LOG_LVL_WARN, &f, "event rejected by PostgreSQL, quarantined: %s",
			  why->msg);
	}
	PQclear(r);
	return v == V_OK ? V_OK : V_FAIL;
}

/* The fast path: COPY straight into the kind tables, as a bulk load would.
 * Duplicates are rare (the offset fence stops replays), so when one shows
 * up (a unique violation, in disclosed.event_identity for any identity
 * already stored whatever its type) or any row is refused, the savepoint is rolled
 * back and the batch goes the staged way, which skips stored events and
 * isolates bad rows. Returns V_DATA for "take the staged path". */
static enum verdict store_direct(struct pgw *w, struct batch *b, struct pgw_result *res,
				 char *err, size_t errlen)
{
	char why[512];
	struct copy_part parts[BATCH_MAX_KINDS + 1];
	size_t np = 0, hi = batch_events(b), stored = 0;
	uint32_t kinds = batch_kinds_in(b, 0, hi);
	struct buf *sql = &w->sql;
	buf_reset(sql);
	/* First the identities: one key across types, so that an identity
	 * stored under another type is refused here like a re-delivery. */
	buf_puts(sql, "SAVEPOINT d; COPY disclosed.event_identity (source, event_id) FROM STDIN");
	parts[np] = (struct copy_part){"disclosed.event_identity", NULL, 0, false};
	batch_identity_copy(b, &parts[np].p, &parts[np].n);
	np++;
	for (size_t i = 0; event_kinds[i]; i++) {
		if (!(kinds & (1u << i)))
			continue;
		buf_printf(sql, "; COPY disclosed.%s (%s) FROM STDIN", event_kinds[i]->table,
			   buf_cstr(&w->cols[i]));
		parts[np] = (struct copy_part){event_kinds[i]->table, NULL, 0, true};
		batch_kind_slice(b, (uint32_t)i, 0, hi, &parts[np].p, &parts[np].n);
		np++;
	}
	buf_puts(sql, "; RELEASE SAVEPOINT d");
	enum verdict v = copies(w, buf_cstr(sql), parts, np, &stored, why, sizeof(why));
	if (v == V_OK) {
		res->stored += stored;
		return V_OK;
	}
	if (v == V_FAIL) {
		snprintf(err, errlen, "%s", why);
		return V_FAIL;
	}
	log_debug("direct COPY refused, taking the staged path: %s", why);
	/* The query stopped at the refused COPY, after its SAVEPOINT. */
	if (run(w, "ROLLBACK TO SAVEPOINT d", err, errlen) != V_OK ||
	    run(w, "RELEASE SAVEPOINT d", err, errlen) != V_OK)
		return V_FAIL;
	return V_DATA;
}

/* Store events [lo, hi) under a savepoint; on a data error split the range
 * and try the halves, down to single events, which are quarantined. */
static enum verdict bisect(struct pgw *w, struct batch *b, size_t lo, size_t hi,
			   struct pgw_result *res, char *err, size_t errlen)
{
	struct pg_failure why;
	bool staged_before = w->staged;
	if (run(w, "SAVEPOINT s", err, errlen) != V_OK)
		return V_FAIL;
	enum verdict v = store_range(w, b, lo, hi, res, why.msg, sizeof(why.msg));
	if (v == V_FAIL) {
		snprintf(err, errlen, "%s", why.msg);
		return V_FAIL;
	}
	memcpy(why.sqlstate, w->sqlstate, sizeof(why.sqlstate));
	if (v == V_OK)
		return run(w, "RELEASE SAVEPOINT s", err, errlen) == V_OK ? V_OK : V_FAIL;
	if (run(w, "ROLLBACK TO SAVEPOINT s", err, errlen) != V_OK ||
	    run(w, "RELEASE SAVEPOINT s", err, errlen) != V_OK)
		return V_FAIL;
	w->staged = staged_before; /* the rollback undid our TRUNCATE too */
	if (hi - lo == 1) {
		res->db_rejected++; /* logged with its lineage once set aside */
		return reject_one(w, b, lo, &why, err, errlen);
	}
	size_t mid = lo + (hi - lo) / 2;
	if (bisect(w, b, lo, mid, res, err, errlen) != V_OK)
		return V_FAIL;
	return bisect(w, b, mid, hi, res, err, errlen);
}

/* Every event of the batch: the direct COPY, or when PostgreSQL refuses
 * some row, bisection down to the rows to quarantine. */
static enum verdict store_events(struct pgw *w, struct batch *b, struct pgw_result *res,
				 char *err, size_t errlen)
{
	if (!batch_events(b))
		return V_OK;
	enum verdict v = store_direct(w, b, res, err, errlen);
	if (v == V_DATA)
		v = bisect(w, b, 0, batch_events(b), res, err, errlen);
	return v;
}

static void pg_text_array(struct buf *a)
{
	buf_reset(a);
	buf_putc(a, '{');
}

static void arr_next(struct buf *a)
{
	if (a->len > 1)
		buf_putc(a, ',');
}

static void arr_str(struct buf *a, const char *s)
{
	arr_next(a);
	buf_putc(a, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(a, '\\');
		buf_putc(a, *s);
	}
	buf_putc(a, '"');
}

static void arr_int(struct buf *a, int64_t v, bool null)
{
	arr_next(a);
	if (null)
		buf_puts(a, "NULL");
	else
		buf_put_i64(a, v);
}

/* Advance every partition's stored offset, but only from the value this
 * consumer expects. A zombie that lost its partitions finds the stored
 * value moved on and writes nothing (a stale commit becomes a no-op). */
static enum verdict fence(struct pgw *w, struct batch *b, bool *stale, char *err,
			  size_t errlen)
{
	size_t np;
	struct batch_part *parts = batch_parts(b, &np);
	for (size_t i = 0; i < 5; i++)
		pg_text_array(&w->arr[i]);
	for (size_t i = 0; i < np; i++) {
		arr_str(&w->arr[0], parts[i].topic);
		arr_int(&w->arr[1], parts[i].partition, false);
		arr_int(&w->arr[2], parts[i].next_offset, false);
		arr_int(&w->arr[3], parts[i].expected, false);
		arr_int(&w->arr[4], parts[i].max_time_us, parts[i].max_time_us == INT64_MIN);
	}
	const char *params[7];
	params[0] = w->group_id;
	for (size_t i = 0; i < 5; i++) {
		buf_putc(&w->arr[i], '}');
		params[i + 1] = buf_cstr(&w->arr[i]);
	}
	params[6] = w->member_id;
	PGresult *r = PQexecParams(w->conn, sink_offsets_advance_sql, 7, NULL, params, NULL,
				   NULL, 0);
	enum verdict v = judge(w, r, PGRES_TUPLES_OK, err, errlen, "advancing offsets");
	/* prev_offset -1 never matches a stored row: "nothing stored" expected
	 * but something is, so someone else got there first. */
	if (v == V_OK)
		*stale = (size_t)PQntuples(r) != np;
	PQclear(r);
	return v == V_DATA ? V_FAIL : v;
}

static enum verdict store_quarantine(struct pgw *w, struct batch *b, char *err,
				     size_t errlen)
{
	const char *p;
	size_t n;
	batch_quarantine_copy(b, &p, &n);
	if (!n)
		return V_OK;
	const char *cols = buf_cstr(&w->quar_cols);
	enum verdict v = copy_in(w, "stage_quarantine", cols, p, n, err, errlen);
	if (v != V_OK)
		return V_FAIL;
	buf_reset(&w->sql);
	buf_printf(&w->sql, "INSERT INTO disclosed.quarantine (%s) SELECT %s FROM"
		   " pg_temp.stage_quarantine ON CONFLICT DO NOTHING", cols, cols);
	return run(w, buf_cstr(&w->sql), err, errlen) == V_OK ? V_OK : V_FAIL;
}

/* One attempt at the batch's transaction. */
static enum pgw_rc commit_once(struct pgw *w, struct batch *b, struct pgw_result *res,
			       char *err, size_t errlen)
{
	w->sqlstate[0] = '\0';
	bool stale = false;
	memset(res, 0, sizeof(*res));
	w->staged = false; /* ON COMMIT DELETE ROWS emptied them */
	if (!pgw_connected(w)) {
		snprintf(err, errlen, "not connected to PostgreSQL");
		return PGW_RETRY;
	}
	/* Without waiting for the flush when so configured: what a crash of
	 * PostgreSQL takes back takes its offsets with it, and the committer
	 * reads every position again after a lost connection. */
	if (run(w, w->sync_commit ? "BEGIN" : "BEGIN; SET LOCAL synchronous_commit = off", err,
		errlen) != V_OK)
		goto retry;
	if (fence(w, b, &stale, err, errlen) != V_OK)
		goto retry;
	if (stale) {
		run(w, "ROLLBACK", err, errlen);
		snprintf(err, errlen, "a partition's stored offset moved on (rebalance "
			 "or another consumer): batch dropped, re-reading from PostgreSQL");
		return PGW_STALE;
	}
	if (store_events(w, b, res, err, errlen) != V_OK)
		goto retry;
	if (store_quarantine(w, b, err, errlen) != V_OK)
		goto retry;
	if (run(w, "COMMIT", err, errlen) != V_OK)
		goto retry; /* outcome unknown: the fence sorts it out on retry */
	res->quarantined = batch_quarantined(b);
	res->duplicates = batch_events(b) - res->stored - res->db_rejected -
			  res->conflicting + batch_duplicates(b);
	return PGW_OK;
retry:
	if (pgw_connected(w)) {
		PGresult *r = PQexec(w->conn, "ROLLBACK");
		PQclear(r);
	}
	return PGW_RETRY;
}

/* PostgreSQL ended our transaction for another's sake: a deadlock with
 * another member's batch (both storing events of one case, whose span row
 * each updates), or a serialization failure. Nothing is wrong with the
 * batch, the connection or the server; the same transaction goes through
 * once the other commits. */
static bool lost_to_another(const struct pgw *w)
{
	return strcmp(w->sqlstate, "40P01") == 0 || strcmp(w->sqlstate, "40001") == 0;
}

/* Folds the running counts' deltas (migration 0020), after a commit and
 * at most every FOLD_EVERY_MS: readers then sum one row per key and the
 * deltas of the last seconds. Another member folding meanwhile makes this
 * a no-op; a failure costs nothing but a line, and it is tried again later. */
#define FOLD_EVERY_MS 10000.0

static void fold_counts(struct pgw *w, double now)
{
	if (now - w->folded_at < FOLD_EVERY_MS)
		return;
	w->folded_at = now;
	char err[512];
	PGresult *r = PQexec(w->conn, "SELECT disclosed.span_month_compact()");
	if (judge(w, r, PGRES_TUPLES_OK, err, sizeof(err), "folding disclosed.span_month") != V_OK)
		log_warn("%s", err);
	PQclear(r);
}

enum pgw_rc pgw_commit(struct pgw *w, struct batch *b, struct pgw_result *res,
		       char *err, size_t errlen)
{
	double t0 = now_ms();
	enum pgw_rc rc;
	size_t retries = 0;
	/* Tried again at once, not as an outage: pausing every partition
	 * and backing off would only stall the members behind a lock. */
	while ((rc = commit_once(w, b, res, err, errlen)) == PGW_RETRY && lost_to_another(w) &&
	       pgw_connected(w) && retries < PGW_CONFLICT_RETRIES) {
		retries++;
		struct log_fields f = {.sqlstate = w->sqlstate};
		log_event(LOG_LVL_NOTICE, &f, "batch rolled back by PostgreSQL for another "
			  "transaction's sake, trying it again at once (%zu of %d): %s",
			  retries, PGW_CONFLICT_RETRIES, err);
	}
	res->lock_retries = retries;
	res->commit_ms = now_ms() - t0;
	if (rc == PGW_OK)
		fold_counts(w, t0 + res->commit_ms);
	return rc;
}

int pgw_fetch_offsets(struct pgw *w, struct part_offset *po, size_t n, char *err,
		      size_t errlen)
{
	if (!pgw_connected(w)) {
		snprintf(err, errlen, "not connected to PostgreSQL");
		return -1;
	}
	pg_text_array(&w->arr[0]);
	pg_text_array(&w->arr[1]);
	for (size_t i = 0; i < n; i++) {
		arr_str(&w->arr[0], po[i].topic);
		arr_int(&w->arr[1], po[i].partition, false);
		po[i].next_offset = -1;
		po[i].max_time_us = INT64_MIN;
	}
	buf_putc(&w->arr[0], '}');
	buf_putc(&w->arr[1], '}');
	const char *params[] = {w->group_id, buf_cstr(&w->arr[0]), buf_cstr(&w->arr[1])};
	PGresult *r = PQexecParams(w->conn, sink_offsets_read_sql, 3, NULL, params, NULL,
				   NULL, 0);
	int rc = -1;
	if (judge(w, r, PGRES_TUPLES_OK, err, errlen, "reading stored offsets") != V_OK)
		goto out;
	for (int row = 0; row < PQntuples(r); row++) {
		const char *t = PQgetvalue(r, row, 0);
		int32_t p = (int32_t)atoi(PQgetvalue(r, row, 1));
		for (size_t i = 0; i < n; i++)
			if (po[i].partition == p && strcmp(po[i].topic, t) == 0) {
				po[i].next_offset = strtoll(PQgetvalue(r, row, 2), NULL, 10);
				if (!PQgetisnull(r, row, 3))
					po[i].max_time_us = strtoll(PQgetvalue(r, row, 3), NULL, 10);
			}
	}
	rc = 0;
out:
	PQclear(r);
	return rc;
}

int pgw_replay(struct pgw *w, struct batch *b, const char *ids, struct pgw_result *res,
	       char *err, size_t errlen)
{
	memset(res, 0, sizeof(*res));
	w->staged = false;
	if (run(w, "BEGIN", err, errlen) != V_OK)
		return -1;
	/* Marked first: an event PostgreSQL refuses again gets its row back,
	 * unmarked and with the new reason, from reject_one. */
	const char *params[] = {ids};
	PGresult *r = PQexecParams(w->conn, "UPDATE disclosed.quarantine SET replayed_at = now()"
				   " WHERE id = ANY($1::bigint[])", 1, NULL, params, NULL, NULL, 0);
	enum verdict v = judge(w, r, PGRES_COMMAND_OK, err, errlen, "marking replayed events");
	PQclear(r);
	if (v != V_OK)
		goto fail;
	if (store_events(w, b, res, err, errlen) != V_OK)
		goto fail;
	if (run(w, "COMMIT", err, errlen) != V_OK)
		goto fail;
	res->duplicates = batch_events(b) - res->stored - res->db_rejected - res->conflicting;
	return 0;
fail:
	PQclear(PQexec(w->conn, "ROLLBACK"));
	return -1;
}
