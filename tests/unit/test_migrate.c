/* migrate: which embedded migrations are applied, in one transaction, and
 * what is refused (a changed migration, one this build does not know, a
 * failing statement), against a fake libpq: the PQ* calls migrate.c makes
 * are wrapped at link time (-Wl,--wrap, see CMakeLists.txt) and answered
 * from a small in-memory schema_migration table. */
#include "testutil.h"

#include <libpq-fe.h>

#include "digest.h"
#include "migrate.h"

/* ---- the fake server ------------------------------------------------------ */

#define MAX_ROWS 64 /* the migrations and a few more */
#define MAX_LOG 64

struct row {
	char version[16], name[64], sha[65];
};

/* What the fake database holds and what it was asked. Reset by setup(). */
static struct {
	bool schema;            /* disclosed.schema_migration exists */
	struct row rows[MAX_ROWS];
	int nrows;
	const char *fail_on;    /* a statement starting with this fails */
	char *log[MAX_LOG];     /* every statement, in order (first 40 bytes) */
	int nlog;
} db;

/* The fake table's next row; a test that outgrows it fails here. */
static struct row *new_row(void)
{
	assert_true(db.nrows < MAX_ROWS);
	return &db.rows[db.nrows++];
}

/* The __wrap_PQ* functions below replace libpq's for migrate.c: the linker
 * calls them (--wrap), so cppcheck sees no caller and is told so on each. */

/* A result: PGresult is opaque to callers, so the fake owns its layout. */
struct fake_result {
	ExecStatusType status;
	int ntuples;
	bool isnull;
	const char *error;
};

static PGresult *result(ExecStatusType st, int ntuples)
{
	struct fake_result *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	r->status = st;
	r->ntuples = ntuples;
	r->error = st == PGRES_FATAL_ERROR ? "ERROR:  boom\n" : "";
	return (PGresult *)r;
}

static void log_statement(const char *sql)
{
	assert_true(db.nlog < MAX_LOG);
	db.log[db.nlog++] = strndup(sql, 40);
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

PGresult *__wrap_PQexec(PGconn *conn, const char *sql);
/* cppcheck-suppress unusedFunction */
PGresult *__wrap_PQexec(PGconn *conn, const char *sql)
{
	(void)conn;
	log_statement(sql);
	if (db.fail_on && starts(sql, db.fail_on))
		return result(PGRES_FATAL_ERROR, 0);
	if (starts(sql, "SELECT version, name, sha256 FROM disclosed.schema_migration"))
		return result(PGRES_TUPLES_OK, db.nrows);
	if (starts(sql, "SELECT to_regclass")) {
		PGresult *r = result(PGRES_TUPLES_OK, 1);
		((struct fake_result *)r)->isnull = !db.schema;
		return r;
	}
	if (starts(sql, "CREATE SCHEMA IF NOT EXISTS disclosed"))
		db.schema = true;
	return result(PGRES_COMMAND_OK, 0);
}

PGresult *__wrap_PQexecParams(PGconn *conn, const char *sql, int n, const Oid *types,
			      const char *const *values, const int *lengths,
			      const int *formats, int binary);
/* cppcheck-suppress unusedFunction */
PGresult *__wrap_PQexecParams(PGconn *conn, const char *sql, int n, const Oid *types,
			      const char *const *values, const int *lengths,
			      const int *formats, int binary)
{
	(void)conn, (void)types, (void)lengths, (void)formats, (void)binary;
	log_statement(sql);
	if (db.fail_on && starts(sql, db.fail_on))
		return result(PGRES_FATAL_ERROR, 0);
	assert_true(starts(sql, "INSERT INTO disclosed.schema_migration"));
	assert_int_equal(n, 3);
	struct row *r = new_row();
	snprintf(r->version, sizeof(r->version), "%s", values[0]);
	snprintf(r->name, sizeof(r->name), "%s", values[1]);
	snprintf(r->sha, sizeof(r->sha), "%s", values[2]);
	return result(PGRES_COMMAND_OK, 0);
}

ExecStatusType __wrap_PQresultStatus(const PGresult *r);
/* cppcheck-suppress unusedFunction */
ExecStatusType __wrap_PQresultStatus(const PGresult *r)
{
	return r ? ((const struct fake_result *)r)->status : PGRES_FATAL_ERROR;
}

int __wrap_PQntuples(const PGresult *r);
/* cppcheck-suppress unusedFunction */
int __wrap_PQntuples(const PGresult *r) { return ((const struct fake_result *)r)->ntuples; }

char *__wrap_PQresultErrorMessage(const PGresult *r);
/* cppcheck-suppress unusedFunction */
char *__wrap_PQresultErrorMessage(const PGresult *r)
{
	return (char *)((const struct fake_result *)r)->error;
}

int __wrap_PQgetisnull(const PGresult *r, int row, int col);
/* cppcheck-suppress unusedFunction */
int __wrap_PQgetisnull(const PGresult *r, int row, int col)
{
	(void)row, (void)col;
	return ((const struct fake_result *)r)->isnull;
}

/* Only the schema_migration query has tuples to read. */
char *__wrap_PQgetvalue(const PGresult *r, int row, int col);
/* cppcheck-suppress unusedFunction */
char *__wrap_PQgetvalue(const PGresult *r, int row, int col)
{
	assert_true(row < ((const struct fake_result *)r)->ntuples && row < db.nrows);
	struct row *w = &db.rows[row];
	switch (col) {
	case 0: return w->version;
	case 1: return w->name;
	default: return w->sha;
	}
}

void __wrap_PQclear(PGresult *r);
/* cppcheck-suppress unusedFunction */
void __wrap_PQclear(PGresult *r) { free(r); }

/* ---- helpers ------------------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	memset(&db, 0, sizeof(db));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < db.nlog; i++)
		free(db.log[i]);
	return 0;
}

/* Record embedded migration i as applied, unchanged. */
static void applied(size_t i)
{
	struct row *r = new_row();
	snprintf(r->version, sizeof(r->version), "%d", atoi(migrations[i].name));
	snprintf(r->name, sizeof(r->name), "%s", migrations[i].name);
	sha256_hex(migrations[i].data, migrations[i].len, r->sha);
}

/* How many statements were logged that start like migration i's file. */
static int ran(size_t i)
{
	char head[41];
	snprintf(head, sizeof(head), "%.40s", migrations[i].data);
	int n = 0;
	for (int k = 0; k < db.nlog; k++)
		n += strcmp(db.log[k], head) == 0;
	return n;
}

static int logged(const char *statement)
{
	int n = 0;
	for (int k = 0; k < db.nlog; k++)
		n += strcmp(db.log[k], statement) == 0;
	return n;
}

/* ---- migrate_apply ------------------------------------------------------------- */

TEST(test_the_build_embeds_its_migrations_in_order)
{
	/* Increasing, not necessarily contiguous: numbers are handed out
	 * ahead of the changes that use them, which may land in any order. */
	assert_true(nmigrations >= 2);
	assert_int_equal(atoi(migrations[0].name), 1);
	for (size_t i = 1; i < nmigrations; i++)
		assert_true(atoi(migrations[i].name) > atoi(migrations[i - 1].name));
}

TEST(test_a_new_database_gets_every_migration_in_one_transaction)
{
	char err[512] = "";
	assert_int_equal(migrate_apply(NULL, err, sizeof(err)), (int)nmigrations);
	assert_string_equal(err, "");
	assert_string_equal(db.log[0], "BEGIN");
	assert_string_equal(db.log[db.nlog - 1], "COMMIT");
	assert_int_equal(logged("ROLLBACK"), 0);
	assert_int_equal(db.nrows, (int)nmigrations);
	for (size_t i = 0; i < nmigrations; i++) {
		char sha[65];
		sha256_hex(migrations[i].data, migrations[i].len, sha);
		assert_int_equal(ran(i), 1);
		assert_int_equal(atoi(db.rows[i].version), atoi(migrations[i].name));
		assert_string_equal(db.rows[i].name, migrations[i].name);
		assert_string_equal(db.rows[i].sha, sha);
	}
}

TEST(test_an_up_to_date_database_applies_nothing)
{
	for (size_t i = 0; i < nmigrations; i++)
		applied(i);
	char err[512] = "";
	assert_int_equal(migrate_apply(NULL, err, sizeof(err)), 0);
	for (size_t i = 0; i < nmigrations; i++)
		assert_int_equal(ran(i), 0);
	assert_int_equal(db.nrows, (int)nmigrations);
	assert_int_equal(logged("COMMIT"), 1);
}

TEST(test_only_the_missing_migrations_are_applied_from_the_first_missing)
{
	applied(0);
	char err[512] = "";
	assert_int_equal(migrate_apply(NULL, err, sizeof(err)), (int)nmigrations - 1);
	assert_int_equal(ran(0), 0);
	for (size_t i = 1; i < nmigrations; i++)
		assert_int_equal(ran(i), 1);
	assert_int_equal(db.nrows, (int)nmigrations);
	assert_string_equal(db.rows[1].name, migrations[1].name);
}

TEST(test_a_changed_migration_is_refused_and_nothing_applied)
{
	for (size_t i = 0; i < nmigrations; i++)
		applied(i);
	db.nrows = 1;
	memset(db.rows[0].sha, '0', 64);
	char err[512] = "", want[256];
	assert_int_equal(migrate_apply(NULL, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "migration %s was changed after it was applied "
		 "(applied sha256 000000000000…", migrations[0].name);
	assert_true(starts(err, want));
	for (size_t i = 0; i < nmigrations; i++)
		assert_int_equal(ran(i), 0);
	assert_int_equal(logged("ROLLBACK"), 1);
	assert_int_equal(logged("COMMIT"), 0);
}

TEST(test_a_migration_this_build_does_not_know_is_refused)
{
	for (size_t i = 0; i < nmigrations; i++)
		applied(i);
	struct row *r = new_row();
	snprintf(r->version, sizeof(r->version), "9999");
	snprintf(r->name, sizeof(r->name), "9999_future.sql");
	memset(r->sha, 'a', 64);
	char err[512] = "";
	assert_int_equal(migrate_apply(NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "the database has migration 9999 (9999_future.sql) that this "
				 "build does not know; is a newer disclosed in use?");
	assert_int_equal(logged("ROLLBACK"), 1);
}

TEST(test_a_failing_migration_rolls_everything_back_and_names_it)
{
	db.fail_on = migrations[1].data;
	char err[512] = "", want[256];
	assert_int_equal(migrate_apply(NULL, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "migration %s failed: ERROR:  boom", migrations[1].name);
	assert_string_equal(err, want);
	assert_int_equal(ran(0), 1);
	assert_int_equal(ran(1), 1);
	for (size_t i = 2; i < nmigrations; i++)
		assert_int_equal(ran(i), 0);
	assert_int_equal(logged("ROLLBACK"), 1);
	assert_int_equal(logged("COMMIT"), 0);
}

TEST(test_a_failing_record_of_a_migration_rolls_back)
{
	db.fail_on = "INSERT INTO disclosed.schema_migration";
	char err[512] = "", want[256];
	assert_int_equal(migrate_apply(NULL, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "recording %s failed: ERROR:  boom", migrations[0].name);
	assert_true(starts(err, want));
	assert_int_equal(logged("ROLLBACK"), 1);
	assert_int_equal(logged("COMMIT"), 0);
}

/* ---- migrate_check --------------------------------------------------------------- */

TEST(test_check_without_the_schema_says_to_migrate)
{
	char err[512] = "";
	assert_int_equal(migrate_check(NULL, err, sizeof(err)), MIGRATE_MISSING);
	assert_string_equal(err, "the database has no disclosed schema; run `disclosed migrate` first");
}

TEST(test_check_names_the_first_migration_not_applied)
{
	db.schema = true;
	applied(0);
	char err[512] = "", want[256];
	assert_int_equal(migrate_check(NULL, err, sizeof(err)), MIGRATE_MISSING);
	snprintf(want, sizeof(want), "migration %s is not applied; run `disclosed migrate` first",
		 migrations[1].name);
	assert_string_equal(err, want);
}

TEST(test_check_refuses_a_changed_migration)
{
	db.schema = true;
	for (size_t i = 0; i < nmigrations; i++)
		applied(i);
	db.rows[nmigrations - 1].sha[0] ^= 1;
	char err[512] = "";
	assert_int_equal(migrate_check(NULL, err, sizeof(err)), MIGRATE_MISMATCH);
	assert_non_null(strstr(err, "was changed after it was applied"));
	assert_non_null(strstr(err, migrations[nmigrations - 1].name));
}

TEST(test_check_passes_when_every_migration_is_applied_unchanged)
{
	db.schema = true;
	for (size_t i = 0; i < nmigrations; i++)
		applied(i);
	char err[512] = "";
	assert_int_equal(migrate_check(NULL, err, sizeof(err)), MIGRATE_CURRENT);
	assert_string_equal(err, "");
	/* It only reads. */
	assert_int_equal(logged("BEGIN"), 0);
	assert_int_equal(db.nrows, (int)nmigrations);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_the_build_embeds_its_migrations_in_order),
		T(test_a_new_database_gets_every_migration_in_one_transaction),
		T(test_an_up_to_date_database_applies_nothing),
		T(test_only_the_missing_migrations_are_applied_from_the_first_missing),
		T(test_a_changed_migration_is_refused_and_nothing_applied),
		T(test_a_migration_this_build_does_not_know_is_refused),
		T(test_a_failing_migration_rolls_everything_back_and_names_it),
		T(test_a_failing_record_of_a_migration_rolls_back),
		T(test_check_without_the_schema_says_to_migrate),
		T(test_check_names_the_first_migration_not_applied),
		T(test_check_refuses_a_changed_migration),
		T(test_check_passes_when_every_migration_is_applied_unchanged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
