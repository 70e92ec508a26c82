#include "cli.h"

#include <stdarg.h>
#include <stdio.h>

void cli_error(const char *prog, const char *hint, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (hint)
		fprintf(stderr, "Try '%s'.\n", hint);
}
