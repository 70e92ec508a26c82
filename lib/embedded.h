/* embedded: files compiled into the binary by cmake/embed_sql.cmake (the
 * schema migrations, the report queries), so a binary always runs the SQL
 * it was built and tested with. */
#ifndef DISCLOSED_EMBEDDED_H
#define DISCLOSED_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name; /* file name, e.g. "0001_core.sql" */
	const char *data; /* NUL-terminated */
	size_t len;
};

/* The file called `name` in a table of n files, or NULL. */
const struct embedded_file *embedded_find(const struct embedded_file *files, size_t n,
					  const char *name);

#endif
