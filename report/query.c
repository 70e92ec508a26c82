/* Runs the report's queries, embedded from sql/report, so the binary runs
 * the SQL it was built and tested with. */
#include <string.h>

#include "embedded.h"
#include "report.h"

extern const struct embedded_file report_sql[];
extern const size_t nreport_sql;

PGresult *report_query(PGconn *conn, const char *name, int n, const Oid *types,
		       const char *const *params, char *err, size_t errlen)
{
	const struct embedded_file *f = embedded_find(report_sql, nreport_sql, name);
	if (!f) {
		snprintf(err, errlen, "sql/report/%s: not built into this binary", name);
		return NULL;
	}
	PGresult *res = PQexecParams(conn, f->data, n, types, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		snprintf(err, errlen, "sql/report/%s: %s", name, PQresultErrorMessage(res));
		err[strcspn(err, "\n")] = '\0';
		PQclear(res);
		return NULL;
	}
	return res;
}
