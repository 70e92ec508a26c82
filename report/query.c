/* Runs the report's queries, embedded from sql/report, so the binary runs
 * the SQL it was built and tested with. */
#include <string.h>

#include "embedded.h"
#include "report.h"

extern const struct embedded_file report_sql[];
extern const size_t nreport_sql;

int report_send(PGconn *conn, const char *name, int n, const Oid *types,
		const char *const *params, char *err, size_t errlen)
{
	const struct embedded_file *f = embedded_find(report_sql, nreport_sql, name);
	if (!f) {
		snprintf(err, errlen, "sql/report/%s: not built into this binary", name);
		return -1;
	}
	if (!PQsendQueryParams(conn, f->data, n, types, params, NULL, NULL, 0)) {
		snprintf(err, errlen, "sql/report/%s: %s", name, PQerrorMessage(conn));
		err[strcspn(err, "\n")] = '\0';
		return -1;
	}
	return 0;
}

PGresult *report_receive(PGconn *conn, const char *name, char *err, size_t errlen)
{
	PGresult *res = PQgetResult(conn), *more;
	/* One statement, one result: read on to the end of it. */
	while ((more = PQgetResult(conn)))
		PQclear(more);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		snprintf(err, errlen, "sql/report/%s: %s", name,
			 res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
		err[strcspn(err, "\n")] = '\0';
		PQclear(res);
		return NULL;
	}
	return res;
}

json_t *report_first_column(const PGresult *res)
{
	json_t *a = json_array();
	for (int i = 0; res && i < PQntuples(res); i++)
		json_array_append_new(a, json_string(PQgetvalue(res, i, 0)));
	return a;
}

/* What PQexecParams does, in the two steps above. */
PGresult *report_query(PGconn *conn, const char *name, int n, const Oid *types,
		       const char *const *params, char *err, size_t errlen)
{
	return report_send(conn, name, n, types, params, err, errlen)
		       ? NULL
		       : report_receive(conn, name, err, errlen);
}
