/*
 * texts: the agency's own texts of its report, read from the texts folder
 * (docs/report.md): DIR/<agency>/name.txt (its full name: heading and
 * signature), one.txt (section 一's narrative, a paragraph per line, with
 * placeholders for computed figures), five.txt and six.txt; a year folder
 * DIR/<agency>/<year>/ overrides any of them. Lines starting with '#' are
 * comments: the shipped templates (config/texts/TEMPLATE) are commented,
 * and a file holding nothing else counts as missing.
 */
#ifndef DISCLOSED_REPORT_TEXTS_H
#define DISCLOSED_REPORT_TEXTS_H

#include <stddef.h>

struct report;

enum texts_file { TEXT_NAME, TEXT_ONE, TEXT_FIVE, TEXT_SIX, TEXT__COUNT };
extern const char *const texts_files[TEXT__COUNT]; /* "name.txt", ... */

struct texts_result {
	/* The files not found (or only comments), as the agency folder's path. */
	char missing[TEXT__COUNT][4096];
	size_t nmissing;
};

/* Read r->agency's texts for r->year from dir into r (name, one, five,
 * six; r->name stays the agency id without name.txt). 0, with what is
 * missing in res; -1 with err naming the file and line when a text holds
 * an unknown placeholder or cannot be read. */
int texts_load(struct report *r, const char *dir, struct texts_result *res, char *err,
	       size_t errlen);

#endif
