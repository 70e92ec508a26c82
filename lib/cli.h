/*
 * cli: what both programs' command lines share: the exit statuses (from
 * <sysexits.h>, the same situation gives the same status in every command
 * of disclosed and disclosed-report) and the one-line error with a hint.
 */
#ifndef DISCLOSED_CLI_H
#define DISCLOSED_CLI_H

#include <sysexits.h>

enum cli_exit {
	CLI_OK = 0,
	/* The command ran and a check it makes failed (a report's
	 * identity): the output exists but must not be trusted. */
	CLI_CHECK_FAILED = 1,
	CLI_USAGE = EX_USAGE,             /* 64: bad option, argument or command */
	CLI_DATA = EX_DATAERR,            /* 65: the input data is wrong */
	CLI_NOINPUT = EX_NOINPUT,         /* 66: a named input does not exist */
	CLI_UNAVAILABLE = EX_UNAVAILABLE, /* 69: PostgreSQL or Kafka failed */
	CLI_SOFTWARE = EX_SOFTWARE,       /* 70: an internal error */
	CLI_CANTCREAT = EX_CANTCREAT,     /* 73: an output cannot be written */
	CLI_CONFIG = EX_CONFIG,           /* 78: the configuration is wrong */
};

/* "PROG: message" on stderr, then "Try 'HINT'." when hint is not NULL
 * (e.g. "disclosed help migrate"). The message is one line. */
void cli_error(const char *prog, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
