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

PGconn *db_connect(const char *conninfo, const char *app, char *err, size_t errlen)
{
	/* Defaults first: values in the operator's conninfo override them. */
	const char *kw[] = {"fallback_application_name", "connect_timeout", "dbname", NULL};
	const char *val[] = {app, "10", conninfo, NULL};
	PGconn *conn = PQconnectdbParams(kw, val, 1);
	if (PQstatus(conn) != CONNECTION_OK) {
		snprintf(err, errlen, "connecting to PostgreSQL failed: %s", PQerrorMessage(conn));
		db_one_line(err);
		PQfinish(conn);
		return NULL;
	}
	PQclear(PQexec(conn, "SET TimeZone = 'UTC'"));
	return conn;
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
