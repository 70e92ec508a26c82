#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

void db_one_line(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
}

int db_exec(PGconn *conn, const char *sql, const char *what, char *err, size_t errlen)
{
	PGresult *r = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = 0;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s failed: %s", what, PQresultErrorMessage(r));
		db_one_line(err);
		rc = -1;
	}
	PQclear(r);
	return rc;
}

/* The session as every connection of ours starts it. */
static PGconn *pinned(PGconn *conn, char *err, size_t errlen)
{
	if (PQstatus(conn) != CONNECTION_OK) {
		snprintf(err, errlen, "connecting to PostgreSQL failed: %s", PQerrorMessage(conn));
		db_one_line(err);
		PQfinish(conn);
		return NULL;
	}
	PQclear(PQexec(conn, "SET TimeZone = 'UTC'"));
	return conn;
}

PGconn *db_connect_like(PGconn *conn, char *err, size_t errlen)
{
	PQconninfoOption *opts = PQconninfo(conn), *o;
	if (!opts) {
		snprintf(err, errlen, "connecting to PostgreSQL failed: out of memory");
		return NULL;
	}
	size_t n = 1;
	for (o = opts; o->keyword; o++)
		n++;
	const char **kw = calloc(n, sizeof(*kw)), **val = calloc(n, sizeof(*val));
	if (!kw || !val)
		abort();
	n = 0;
	for (o = opts; o->keyword; o++)
		if (o->val) {
			kw[n] = o->keyword;
			val[n++] = o->val;
		}
	PGconn *again = PQconnectdbParams(kw, val, 0);
	free(kw);
	free(val);
	PQconninfoFree(opts);
	return pinned(again, err, errlen);
}

PGconn *db_connect(const char *conninfo, const char *app, char *err, size_t errlen)
{
	/* Defaults first: values in the operator's conninfo override them. */
	const char *kw[] = {"fallback_application_name", "connect_timeout", "dbname", NULL};
	const char *val[] = {app, "10", conninfo, NULL};
	return pinned(PQconnectdbParams(kw, val, 1), err, errlen);
}

PGconn *db_connect_config(const struct config *c, const char *prog)
{
	char err[1024];
	char *ci = config_pg_conninfo(c, err, sizeof(err));
	PGconn *conn = ci ? db_connect(ci, prog, err, sizeof(err)) : NULL;
	if (ci) {
		explicit_bzero(ci, strlen(ci));
		free(ci);
	}
	if (!conn)
		fprintf(stderr, "%s: %s\n", prog, err);
	return conn;
}
