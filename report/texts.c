/* The agency's texts of its report (see texts.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "report.h"
#include "texts.h"

const char *const texts_files[TEXT__COUNT] = {"name.txt", "one.txt", "five.txt", "six.txt"};

/* The file's text without comment lines and trailing blank space; NULL
 * when it holds nothing else. -1 when it cannot be read. */
static int read_lines(FILE *f, char **text)
{
	char *buf = NULL, *line = NULL; /* buf owned by the memstream until fclose */
	size_t len = 0, cap = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return -1;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) != -1) {
		if (n >= 2 && line[n - 2] == '\r') /* written on Windows */
			memcpy(line + n - 2, "\n", 2);
		if (line[0] != '#')
			fputs(line, m);
	}
	free(line);
	/* m is closed on every path: buf and len are valid only after it. */
	int rc = ferror(f) ? -1 : 0;
	if (fclose(m))
		rc = -1;
	while (len && strchr("\n\r \t", buf[len - 1]))
		buf[--len] = '\0';
	if (rc || !len) {
		free(buf);
		buf = NULL;
	}
	*text = buf;
	return rc;
}

/* Every {name} in text is a known figure; else -1 with err naming the file
 * and line. Comment lines were dropped, so lines are counted in the file. */
static int check_placeholders(const char *path, FILE *f, char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = 0;
	rewind(f);
	while (!rc && getline(&line, &cap, f) != -1) {
		lineno++;
		if (line[0] == '#')
			continue;
		for (const char *p = strchr(line, '{'); p && !rc; p = strchr(p + 1, '{')) {
			const char *close = strchr(p, '}');
			size_t n = close ? (size_t)(close - p - 1) : strcspn(p + 1, "\r\n");
			if (close && tmpl_placeholder_known(p + 1, n))
				continue;
			snprintf(err, errlen, "%s:%d: unknown placeholder {%.*s%s (docs/report.md lists "
				 "the figures a text may name)", path, lineno, (int)n, p + 1,
				 close ? "}" : ": no closing }");
			rc = -1;
		}
	}
	free(line);
	return rc;
}

/* One text: the year folder's, else the agency's. *text NULL when missing;
 * -1 with err when unreadable or (placeholders) naming an unknown figure. */
static int load_one(const struct report *r, const char *dir, const char *file, bool placeholders,
		    char **text, char *missing, size_t mlen, char *err, size_t errlen)
{
	char path[4096];
	*text = NULL;
	for (int pass = 0; pass < 2 && !*text; pass++) {
		if (pass == 0)
			snprintf(path, sizeof(path), "%s/%s/%d/%s", dir, r->agency, r->year, file);
		else
			snprintf(path, sizeof(path), "%s/%s/%s", dir, r->agency, file);
		FILE *f = fopen(path, "r");
		if (!f && errno == ENOENT)
			continue;
		int rc = f ? read_lines(f, text) : -1;
		if (rc) {
			snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		} else if (*text && placeholders) {
			rc = check_placeholders(path, f, err, errlen);
		}
		if (f)
			fclose(f);
		if (rc) {
			free(*text);
			*text = NULL;
			return -1;
		}
	}
	if (!*text)
		snprintf(missing, mlen, "%s/%s/%s", dir, r->agency, file);
	return 0;
}

int texts_load(struct report *r, const char *dir, struct texts_result *res, char *err,
	       size_t errlen)
{
	char *got[TEXT__COUNT] = {0};
	res->nmissing = 0;
	for (int i = 0; i < TEXT__COUNT; i++) {
		char *m = res->missing[res->nmissing];
		m[0] = '\0';
		if (load_one(r, dir, texts_files[i], i == TEXT_ONE, &got[i], m,
			     sizeof(res->missing[0]), err, errlen))
			goto fail;
		if (m[0])
			res->nmissing++;
	}
	if (got[TEXT_NAME]) {
		got[TEXT_NAME][strcspn(got[TEXT_NAME], "\r\n")] = '\0';
		snprintf(r->name, sizeof(r->name), "%s", got[TEXT_NAME]);
	}
	free(got[TEXT_NAME]);
	r->one = got[TEXT_ONE];
	r->five = got[TEXT_FIVE];
	r->six = got[TEXT_SIX];
	return 0;
fail:
	for (int i = 0; i < TEXT__COUNT; i++)
		free(got[i]);
	return -1;
}
