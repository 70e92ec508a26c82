/*
 * db: connecting to PostgreSQL the same way everywhere.
 */
#ifndef DISCLOSED_DB_H
#define DISCLOSED_DB_H

#include <libpq-fe.h>
#include <stddef.h>

/* Connect with `conninfo` (its values override our defaults: a 10 s
 * connect timeout and `app` as fallback_application_name) and pin the
 * session to UTC. NULL with a one-line reason in err on failure. */
PGconn *db_connect(const char *conninfo, const char *app, char *err, size_t errlen);

/* A second connection made as conn was (host, user, password, TLS: the
 * values libpq used), pinned to UTC as db_connect does. NULL with a
 * one-line reason in err on failure. */
PGconn *db_connect_like(PGconn *conn, char *err, size_t errlen);

/* Run sql, a statement without parameters, on conn: 0, or -1 with
 * "<what> failed: <PostgreSQL's message>" on one line in err. */
int db_exec(PGconn *conn, const char *sql, const char *what, char *err, size_t errlen);

/* PostgreSQL's multi-line messages on one line: newlines and tabs become
 * spaces, trailing spaces go. */
void db_one_line(char *s);

struct config;
/* db_connect with the configuration's [postgresql] conninfo (and password
 * file); on failure prints "<prog>: <reason>" to stderr and returns NULL. */
PGconn *db_connect_config(const struct config *c, const char *prog);

#endif
