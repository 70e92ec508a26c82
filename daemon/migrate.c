#include "migrate.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "digest.h"
#include "log.h"

static int version_of(const char *name) { return atoi(name); }

/* Compare the database's record with the embedded list. Sets *pending to
 * the index of the first embedded migration not yet applied. */
static enum migrate_state compare(PGconn *conn, size_t *pending, char *err, size_t errlen)
{
	PGresult *r = PQexec(conn, "SELECT version, name, sha256 FROM "
				   "disclosed.schema_migration ORDER BY version");
	enum migrate_state rc = MIGRATE_UNREADABLE;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "reading disclosed.schema_migration failed: %s",
			 PQresultErrorMessage(r));
		err[strcspn(err, "\n")] = '\0';
		goto out;
	}
	rc = MIGRATE_MISMATCH;
	int rows = PQntuples(r);
	for (int i = 0; i < rows; i++) {
		int v = atoi(PQgetvalue(r, i, 0));
		const char *name = PQgetvalue(r, i, 1), *sum = PQgetvalue(r, i, 2);
		if ((size_t)i >= nmigrations || version_of(migrations[i].name) != v) {
			snprintf(err, errlen, "the database has migration %d (%s) that "
				 "this build does not know; is a newer disclosed in use?",
				 v, name);
			goto out;
		}
		char now[65];
		sha256_hex(migrations[i].data, migrations[i].len, now);
		if (strcmp(now, sum) != 0) {
			snprintf(err, errlen, "migration %s was changed after it was "
				 "applied (applied sha256 %.12s…, file now %.12s…); restore "
				 "it and put the change in a new migration", name, sum, now);
			goto out;
		}
	}
	*pending = (size_t)rows;
	rc = MIGRATE_CURRENT;
out:
	PQclear(r);
	return rc;
}

static const char bootstrap[] =
	"CREATE SCHEMA IF NOT EXISTS disclosed;"
	"CREATE TABLE IF NOT EXISTS disclosed.schema_migration ("
	" version integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now())";

int migrate_apply(PGconn *conn, char *err, size_t errlen)
{
	size_t pending = 0;
	int applied = 0;
	if (db_exec(conn, "BEGIN", "BEGIN", err, errlen))
		return -1;
	if (db_exec(conn, "SELECT pg_advisory_xact_lock(hashtext('disclosed.migrate'))",
		    "taking the migration lock", err, errlen) ||
	    db_exec(conn, bootstrap, "creating schema disclosed", err, errlen) ||
	    compare(conn, &pending, err, errlen) != MIGRATE_CURRENT)
		goto fail;
	for (size_t i = pending; i < nmigrations; i++) {
		char sum[65], what[128], vbuf[16];
		sha256_hex(migrations[i].data, migrations[i].len, sum);
		snprintf(what, sizeof(what), "migration %s", migrations[i].name);
		if (db_exec(conn, migrations[i].data, what, err, errlen))
			goto fail;
		snprintf(vbuf, sizeof(vbuf), "%d", version_of(migrations[i].name));
		const char *params[] = {vbuf, migrations[i].name, sum};
		PGresult *r = PQexecParams(conn,
			"INSERT INTO disclosed.schema_migration (version, name, sha256) "
			"VALUES ($1, $2, $3)", 3, NULL, params, NULL, NULL, 0);
		bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			snprintf(err, errlen, "recording %s failed: %s", migrations[i].name,
				 PQresultErrorMessage(r));
		PQclear(r);
		if (!ok)
			goto fail;
		log_info("migration applied name=%s sha256=%.12s", migrations[i].name, sum);
		applied++;
	}
	if (db_exec(conn, "COMMIT", "COMMIT", err, errlen))
		goto fail;
	return applied;
fail:
	PQclear(PQexec(conn, "ROLLBACK"));
	return -1;
}

enum migrate_state migrate_check(PGconn *conn, char *err, size_t errlen)
{
	size_t pending = 0;
	PGresult *r = PQexec(conn, "SELECT to_regclass('disclosed.schema_migration')");
	bool exists = PQresultStatus(r) == PGRES_TUPLES_OK && !PQgetisnull(r, 0, 0);
	PQclear(r);
	if (!exists) {
		snprintf(err, errlen, "the database has no disclosed schema; run "
			 "`disclosed migrate` first");
		return MIGRATE_MISSING;
	}
	enum migrate_state st = compare(conn, &pending, err, errlen);
	if (st != MIGRATE_CURRENT)
		return st;
	if (pending < nmigrations) {
		snprintf(err, errlen, "migration %s is not applied; run `disclosed "
			 "migrate` first", migrations[pending].name);
		return MIGRATE_MISSING;
	}
	return MIGRATE_CURRENT;
}
