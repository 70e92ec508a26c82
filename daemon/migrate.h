/*
 * migrate: ordered, checksummed schema migrations. The SQL files under
 * sql/migrations are compiled into the binary; `disclosed migrate` applies
 * the missing ones in one transaction and refuses to touch a database where
 * an applied migration differs from the file it was applied from.
 */
#ifndef DISCLOSED_MIGRATE_H
#define DISCLOSED_MIGRATE_H

#include <libpq-fe.h>
#include <stddef.h>

#include "embedded.h"

/* The files of sql/migrations, in order of their number. */
extern const struct embedded_file migrations[];
extern const size_t nmigrations;

/* Apply what is missing. Returns the number applied (0 when up to date), or
 * -1 with err. Idempotent; concurrent callers serialize on a lock. */
int migrate_apply(PGconn *conn, char *err, size_t errlen);

/* What the database's schema is to this build. */
enum migrate_state {
	MIGRATE_CURRENT,    /* every embedded migration applied, unchanged */
	MIGRATE_MISSING,    /* no disclosed schema, or a migration not applied */
	MIGRATE_MISMATCH,   /* an unknown migration, or one changed after it was applied */
	MIGRATE_UNREADABLE, /* the record of migrations could not be read */
};

/* MIGRATE_CURRENT, or the state with err saying what is wrong (the
 * daemon refuses to start on an unmigrated database). */
enum migrate_state migrate_check(PGconn *conn, char *err, size_t errlen);

#endif
