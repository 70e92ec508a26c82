#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ini.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

enum ctype { C_STR, C_LONG, C_LIST, C_LEVEL, C_BOOL };

struct ckey {
	const char *section;
	const char *name;
	enum ctype type;
	size_t off;
	long min, max;
	bool secret;
	const char *def;
	bool reloadable; /* SIGHUP applies a new value; others need a restart */
};

#define O(f) offsetof(struct config, f)

/* The one table of keys: type, range, default, and whether SIGHUP applies
 * a new value (reload.c swaps those in; the rest need a restart). Anything not listed here
 * (except under [kafka]) is an error, so a misspelt key never silently
 * falls back to its default. */
static const struct ckey keys[] = {
	{"postgresql", "conninfo", C_STR, O(pg_conninfo), 0, 0, true,
	 "dbname=disclosed", false},
	{"postgresql", "password_file", C_STR, O(pg_password_file), 0, 0, false, "", false},
	{"postgresql", "synchronous_commit", C_BOOL, O(pg_synchronous_commit), 0, 0, false,
	 "on", false},
	{"kafka_sasl", "password_file", C_STR, O(kafka_password_file), 0, 0, false, "", false},
	{"topics", "subscribe", C_LIST, O(topics), 0, 0, false,
	 "disclosure.complaints,disclosure.receptions,disclosure.publications,"
	 "disclosure.newmedia,disclosure.applications,disclosure.reviews,"
	 "disclosure.stats", false},
	{"ingest", "group_id", C_STR, O(group_id), 0, 0, false, "disclosed", false},
	{"ingest", "batch_size", C_LONG, O(batch_size), 1, 1000000, false, "5000", false},
	{"ingest", "flush_interval_ms", C_LONG, O(flush_interval_ms), 1, 600000, false, "20",
	 false},
	{"ingest", "max_batch_bytes", C_LONG, O(max_batch_bytes), 65536, 1L << 30, false,
	 "33554432", false},
	{"ingest", "max_event_bytes", C_LONG, O(max_event_bytes), 1024, 1L << 28, false,
	 "1048576", false},
	{"ingest", "retry_backoff_max_ms", C_LONG, O(retry_backoff_max_ms), 100, 3600000,
	 false, "1000", false},
	{"ingest", "shutdown_timeout_ms", C_LONG, O(shutdown_timeout_ms), 0, 600000,
	 false, "10000", false},
	{"ingest", "time_zone", C_STR, O(time_zone), 0, 0, false, "Asia/Shanghai", false},
	{"report", "conninfo", C_STR, O(report_conninfo), 0, 0, true, "", false},
	{"report", "texts_dir", C_STR, O(report_texts_dir), 0, 0, false, "/etc/disclosed/texts",
	 false},
	{"report", "output_dir", C_STR, O(report_output_dir), 0, 0, false,
	 "/var/lib/disclosed/reports", false},
	{"privacy", "hmac_key_file", C_STR, O(hmac_key_file), 0, 0, false,
	 "/etc/disclosed/pii.key", false},
	{"metrics", "listen", C_STR, O(metrics_listen), 0, 0, false, "", false},
	{"log", "level", C_LEVEL, O(log_level), 0, 0, false, "info", true},
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))
_Static_assert(NKEYS <= CONFIG_MAX_KEYS, "raise CONFIG_MAX_KEYS");

struct loadctx {
	struct config *c;
	const char *name;
	int line;
	int nerr;
	char *errs;
	size_t errlen;
	bool list_seen; /* the file already set [topics] subscribe */
	bool indented;  /* the current line continues the previous key */
};

static void adderr(struct loadctx *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void adderr(struct loadctx *x, const char *fmt, ...)
{
	size_t used = strlen(x->errs);
	va_list ap;
	x->nerr++;
	if (used + 1 >= x->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(x->errs + used, x->errlen - used, fmt, ap);
	va_end(ap);
	used = strlen(x->errs);
	if (used + 1 < x->errlen) {
		x->errs[used] = '\n';
		x->errs[used + 1] = '\0';
	}
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

static void free_list(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

/* Split "a, b ,c" into trimmed, non-empty items. */
static int parse_list(const char *v, char ***out, size_t *n)
{
	char *copy = xstrdup(v), *save = NULL;
	char **l = NULL;
	size_t cnt = 0;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ' || *t == '\t')
			t++;
		char *e = t + strlen(t);
		while (e > t && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (!*t)
			continue;
		char **nl = realloc(l, (cnt + 1) * sizeof(*l));
		if (!nl)
			abort();
		l = nl;
		l[cnt++] = xstrdup(t);
	}
	free(copy);
	*out = l;
	*n = cnt;
	return cnt ? 0 : -1;
}

/* gcc 12's analyzer loses track of pointers stored at a computed offset
 * (k->off) or a variable index (c->kafka[i]): a later store there looks as
 * if it dropped them, and every stored string reads as leaked. config_free
 * frees them (the unit tests under ASan's leak check confirm it), so its leak
 * check is off for the two functions that store into the config. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
static int apply(struct config *c, const struct ckey *k, const char *value,
		 bool append, char *err, size_t errlen)
{
	void *field = (char *)c + k->off;
	switch (k->type) {
	case C_STR:
		if (append && *(char **)field) {
			char *old = *(char **)field, *n = malloc(strlen(old) + strlen(value) + 2);
			if (!n)
				abort();
			sprintf(n, "%s %s", old, value);
			free(old);
			*(char **)field = n;
			return 0;
		}
		free(*(char **)field);
		*(char **)field = xstrdup(value);
		return 0;
	case C_LONG: {
		char *end;
		errno = 0;
		long v = strtol(value, &end, 10);
		if (errno || end == value || *end) {
			snprintf(err, errlen, "[%s] %s = \"%s\" is not a whole number",
				 k->section, k->name, value);
			return -1;
		}
		if (v < k->min || v > k->max) {
			snprintf(err, errlen, "[%s] %s = %ld is outside %ld..%ld",
				 k->section, k->name, v, k->min, k->max);
			return -1;
		}
		*(long *)field = v;
		return 0;
	}
	case C_LIST: {
		char **l;
		size_t n;
		if (parse_list(value, &l, &n)) {
			snprintf(err, errlen, "[%s] %s is empty", k->section, k->name);
			return -1;
		}
		if (append) {
			char **nl = realloc(c->topics, (c->ntopics + n) * sizeof(*nl));
			if (!nl)
				abort();
			memcpy(nl + c->ntopics, l, n * sizeof(*l));
			c->topics = nl;
			c->ntopics += n;
			free(l);
			return 0;
		}
		free_list(c->topics, c->ntopics);
		c->topics = l;
		c->ntopics = n;
		return 0;
	}
	case C_BOOL: {
		static const char *const yes[] = {"on", "true", "yes", "1"};
		static const char *const no[] = {"off", "false", "no", "0"};
		for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
			if (strcmp(value, yes[i]) == 0 || strcmp(value, no[i]) == 0) {
				*(bool *)field = strcmp(value, yes[i]) == 0;
				return 0;
			}
		snprintf(err, errlen, "[%s] %s = \"%s\" is not on or off", k->section, k->name,
			 value);
		return -1;
	}
	case C_LEVEL: {
		int lvl = log_level_parse(value);
		if (lvl < 0) {
			snprintf(err, errlen, "[%s] %s = \"%s\" is not one of "
				 "error, warn, notice, info, debug", k->section, k->name, value);
			return -1;
		}
		*(int *)field = lvl;
		return 0;
	}
	}
	return -1;
}

/* line: where the key was read (0: not from a file), kept for [kafka]
 * keys, which librdkafka checks later. */
static int set_key(struct config *c, const char *section, const char *key,
		   const char *value, int line, bool *list_seen, bool continued, char *err,
		   size_t errlen)
{
	if (strcmp(section, "kafka") == 0) {
		for (size_t i = 0; i < c->nkafka; i++) {
			if (strcmp(c->kafka[i].key, key) == 0) {
				free(c->kafka[i].value);
				c->kafka[i].value = xstrdup(value);
				c->kafka[i].line = line;
				return 0;
			}
		}
		struct kv *n = realloc(c->kafka, (c->nkafka + 1) * sizeof(*n));
		if (!n)
			abort();
		c->kafka = n;
		c->kafka[c->nkafka++] = (struct kv){xstrdup(key), xstrdup(value), line};
		return 0;
	}
	bool known_section = false;
	for (size_t i = 0; i < NKEYS; i++) {
		if (strcmp(keys[i].section, section) != 0)
			continue;
		known_section = true;
		if (strcmp(keys[i].name, key) != 0)
			continue;
		/* A list continues over repeated keys and indented lines. */
		bool append = (keys[i].type == C_LIST && list_seen && *list_seen) ||
			      (keys[i].type == C_STR && continued);
		if (keys[i].type == C_LIST && list_seen)
			*list_seen = true;
		if (!(keys[i].type == C_LIST && append) && !continued)
			c->key_line[i] = line;
		return apply(c, &keys[i], value, append, err, errlen);
	}
	if (!known_section)
		snprintf(err, errlen, "unknown section [%s]", section);
	else
		snprintf(err, errlen, "unknown key \"%s\" in [%s]", key, section);
	return -1;
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

int config_set(struct config *c, const char *section, const char *key,
	       const char *value, char *err, size_t errlen)
{
	return set_key(c, section, key, value, 0, NULL, false, err, errlen);
}

static int on_key(void *user, const char *section, const char *name,
		  const char *value)
{
	struct loadctx *x = user;
	char err[512];
	if (set_key(x->c, section, name, value, x->line, &x->list_seen, x->indented, err,
		    sizeof(err)))
		adderr(x, "%s:%d: %s", x->name, x->line, err);
	return 1; /* keep going: report every error, not just the first */
}

/* inih calls the reader once per line, before the handler for that line,
 * which is how we know line numbers without INI_HANDLER_LINENO. */
struct reader {
	struct loadctx *x;
	FILE *f;
	const char *s;
};

static char *read_line(char *str, int num, void *stream)
{
	struct reader *r = stream;
	char *res;
	if (r->f) {
		res = fgets(str, num, r->f);
	} else {
		if (!*r->s)
			return NULL;
		size_t n = strcspn(r->s, "\n");
		if (n + 1 < (size_t)num && r->s[n] == '\n')
			n++;
		if (n >= (size_t)num)
			n = (size_t)num - 1;
		memcpy(str, r->s, n);
		str[n] = '\0';
		r->s += n;
		res = str;
	}
	if (!res)
		return NULL;
	r->x->line++;
	r->x->indented = res[0] == ' ' || res[0] == '\t';
	size_t len = strlen(res);
	if (len == (size_t)num - 1 && res[len - 1] != '\n') {
		/* The line filled inih's buffer: fine if it ends right here,
		 * otherwise say so instead of parsing the rest as a line. */
		int ch = r->f ? fgetc(r->f) : (unsigned char)*r->s;
		if (!r->f && ch)
			r->s++;
		if (ch != '\n' && ch != EOF && ch != 0) {
			adderr(r->x, "%s:%d: line longer than %d bytes; continue a long "
			       "value on indented lines", r->x->name, r->x->line, num - 2);
			if (r->f)
				while ((ch = fgetc(r->f)) != EOF && ch != '\n')
					;
			else
				r->s += strcspn(r->s, "\n") + (r->s[strcspn(r->s, "\n")] ? 1 : 0);
			snprintf(str, (size_t)num, ";");
		}
	}
	return res;
}

static int load(struct config *c, const char *name, FILE *f, const char *s,
		char *errs, size_t errlen)
{
	struct loadctx x = {c, name, 0, 0, errs, errlen, false, false};
	struct reader r = {&x, f, s};
	errs[0] = '\0';
	int rc = ini_parse_stream(read_line, &r, on_key, &x);
	if (rc > 0)
		adderr(&x, "%s:%d: not a [section], key = value, or comment line",
		       name, rc);
	else if (rc < 0)
		adderr(&x, "%s: could not be parsed (out of memory)", name);
	free(c->path);
	c->path = xstrdup(name);
	return x.nerr;
}

int config_load(struct config *c, const char *path, char *errs, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(errs, errlen, "%s: cannot open: %s\n", path, strerror(errno));
		return 1;
	}
	int n = load(c, path, f, NULL, errs, errlen);
	fclose(f);
	return n;
}

int config_load_string(struct config *c, const char *name, const char *text,
		       char *errs, size_t errlen)
{
	return load(c, name, NULL, text, errs, errlen);
}

struct config *config_new(void)
{
	struct config *c = calloc(1, sizeof(*c));
	char err[256];
	if (!c)
		abort();
	for (size_t i = 0; i < NKEYS; i++)
		if (apply(c, &keys[i], keys[i].def, false, err, sizeof(err)) &&
		    keys[i].type != C_LIST)
			abort(); /* a bad default is a programming error */
	return c;
}

static bool kafka_secret(const char *key)
{
	return strstr(key, "password") || strstr(key, "secret") ||
	       strstr(key, ".key.pem") || strstr(key, "sasl.oauthbearer.config");
}

/* Print a conninfo with its password masked, in keyword/value form
 * (spaces around '=', quoted values with \ escapes) and URI form. */
static void print_conninfo(const char *ci, FILE *out)
{
	if (strncmp(ci, "postgresql://", 13) == 0 || strncmp(ci, "postgres://", 11) == 0) {
		const char *auth = strstr(ci, "://") + 3;
		size_t alen = strcspn(auth, "@/?");
		const char *colon = auth[alen] == '@' ? memchr(auth, ':', alen) : NULL;
		if (colon) {
			fwrite(ci, 1, (size_t)(colon + 1 - ci), out);
			fputs("********", out);
			ci = auth + alen;
		}
		const char *q = strstr(ci, "password=");
		if (q) {
			fwrite(ci, 1, (size_t)(q + 9 - ci), out);
			fputs("********", out);
			ci = q + 9 + strcspn(q + 9, "&");
		}
		fputs(ci, out);
		return;
	}
	for (const char *p = ci; *p;) {
		const char *start = p;
		p += strspn(p, " \t\r\n");
		const char *kw = p;
		p += strcspn(p, " \t\r\n=");
		bool secret = p - kw == 8 && memcmp(kw, "password", 8) == 0;
		p += strspn(p, " \t\r\n");
		if (*p == '=') {
			p++;
			p += strspn(p, " \t\r\n");
		}
		const char *val = p;
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
		} else {
			p += strcspn(p, " \t\r\n");
		}
		fwrite(start, 1, (size_t)(val - start), out);
		if (secret)
			fputs("********", out);
		else
			fwrite(val, 1, (size_t)(p - val), out);
	}
}

/* One key's value as config_print shows it (secrets masked). */
static void print_value(const struct config *c, const struct ckey *k, FILE *out)
{
	const void *field = (const char *)c + k->off;
	switch (k->type) {
	case C_STR:
		if (k->secret) /* a conninfo: its password masked */
			print_conninfo(*(char *const *)field, out);
		else
			fputs(*(char *const *)field, out);
		break;
	case C_LONG:
		fprintf(out, "%ld", *(const long *)field);
		break;
	case C_LIST:
		for (size_t j = 0; j < c->ntopics; j++)
			fprintf(out, "%s%s", j ? ", " : "", c->topics[j]);
		break;
	case C_LEVEL:
		fputs(log_level_name((enum log_level) * (const int *)field), out);
		break;
	case C_BOOL:
		fputs(*(const bool *)field ? "on" : "off", out);
		break;
	}
}

void config_print(const struct config *c, FILE *out)
{
	const char *sect = "";
	fprintf(out, "# effective configuration of %s (secrets masked)\n",
		c->path ? c->path : "(defaults)");
	fprintf(out, "[kafka]\n");
	for (size_t i = 0; i < c->nkafka; i++)
		fprintf(out, "%s = %s\n", c->kafka[i].key,
			kafka_secret(c->kafka[i].key) ? "********" : c->kafka[i].value);
	for (size_t i = 0; i < NKEYS; i++) {
		const struct ckey *k = &keys[i];
		if (strcmp(sect, k->section) != 0) {
			sect = k->section;
			fprintf(out, "\n[%s]\n", sect);
		}
		fprintf(out, "%s = ", k->name);
		print_value(c, k, out);
		fputc('\n', out);
	}
}

/* Unequal values of one key; the printed form compares every type (and
 * a changed secret shows as a change, masked). */
static bool key_differs(const struct config *a, const struct config *b, const struct ckey *k)
{
	const void *fa = (const char *)a + k->off, *fb = (const char *)b + k->off;
	switch (k->type) {
	case C_STR:
		return strcmp(*(char *const *)fa, *(char *const *)fb) != 0;
	case C_LONG:
		return *(const long *)fa != *(const long *)fb;
	case C_LEVEL:
		return *(const int *)fa != *(const int *)fb;
	case C_BOOL:
		return *(const bool *)fa != *(const bool *)fb;
	case C_LIST:
		if (a->ntopics != b->ntopics)
			return true;
		for (size_t j = 0; j < a->ntopics; j++)
			if (strcmp(a->topics[j], b->topics[j]) != 0)
				return true;
		return false;
	}
	return true;
}

static const char *kafka_value(const struct config *c, const char *key)
{
	for (size_t i = 0; i < c->nkafka; i++)
		if (strcmp(c->kafka[i].key, key) == 0)
			return c->kafka[i].value;
	return NULL;
}

/* A [kafka] key set in `in` but absent or different in `other`. */
static size_t kafka_changes(const struct config *in, const struct config *other,
			    bool in_is_next, config_change_fn *fn, void *user)
{
	size_t n = 0;
	for (size_t i = 0; i < in->nkafka; i++) {
		const char *key = in->kafka[i].key, *v = in->kafka[i].value;
		const char *o = kafka_value(other, key);
		if (o && (!in_is_next || strcmp(o, v) == 0))
			continue; /* changed values are reported once, from next */
		bool secret = kafka_secret(key);
		const char *shown = secret ? "********" : v;
		const char *oshown = !o ? "(not set)" : secret ? "********" : o;
		if (in_is_next)
			fn(user, "kafka", key, false, oshown, shown);
		else
			fn(user, "kafka", key, false, shown, "(not set)");
		n++;
	}
	return n;
}

size_t config_changes(const struct config *running, const struct config *next,
		      config_change_fn *fn, void *user)
{
	size_t n = kafka_changes(next, running, true, fn, user) +
		   kafka_changes(running, next, false, fn, user);
	for (size_t i = 0; i < NKEYS; i++) {
		const struct ckey *k = &keys[i];
		if (!key_differs(running, next, k))
			continue;
		char *was = NULL, *now = NULL;
		size_t wl = 0, nl = 0;
		FILE *fw = open_memstream(&was, &wl), *fn2 = open_memstream(&now, &nl);
		if (!fw || !fn2)
			abort();
		print_value(running, k, fw);
		print_value(next, k, fn2);
		fclose(fw);
		fclose(fn2);
		fn(user, k->section, k->name, k->reloadable, was, now);
		free(was);
		free(now);
		n++;
	}
	return n;
}

void config_apply_reloadable(struct config *running, const struct config *next)
{
	char err[256];
	for (size_t i = 0; i < NKEYS; i++) {
		const struct ckey *k = &keys[i];
		if (!k->reloadable || !key_differs(running, next, k))
			continue;
		void *to = (char *)running + k->off;
		const void *from = (const char *)next + k->off;
		switch (k->type) {
		case C_STR:
			if (apply(running, k, *(char *const *)from, false, err, sizeof(err)))
				abort(); /* a string always applies */
			break;
		case C_LONG:
			*(long *)to = *(const long *)from;
			break;
		case C_LEVEL:
			*(int *)to = *(const int *)from;
			break;
		case C_BOOL:
			*(bool *)to = *(const bool *)from;
			break;
		case C_LIST:
			abort(); /* no list is reloadable: the topics are the subscription */
		}
	}
}

/* The first line of a secret file, without its line end. */
static int read_secret(const char *path, const char *what, char *out, size_t cap,
		       char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s %s: cannot open: %s", what, path, strerror(errno));
		return -1;
	}
	bool got = fgets(out, (int)cap, f) != NULL;
	/* A line that filled the buffer without its end was cut: say so
	 * rather than log in with part of a password. */
	bool cut = got && !strchr(out, '\n') && fgetc(f) != EOF;
	fclose(f);
	if (cut) {
		explicit_bzero(out, cap);
		snprintf(err, errlen, "%s %s: the first line is longer than %zu bytes", what,
			 path, cap - 2);
		return -1;
	}
	if (got)
		out[strcspn(out, "\r\n")] = '\0';
	if (!got || !*out) {
		snprintf(err, errlen, "%s %s is empty", what, path);
		return -1;
	}
	return 0;
}

int config_kafka_password(const struct config *c, char *out, size_t cap, char *err,
			  size_t errlen)
{
	if (!c->kafka_password_file || !*c->kafka_password_file)
		return 0;
	return read_secret(c->kafka_password_file, "[kafka_sasl] password_file", out, cap,
			   err, errlen) ? -1 : 1;
}

char *config_pg_conninfo(const struct config *c, char *err, size_t errlen)
{
	char pw[512];
	if (!c->pg_password_file || !*c->pg_password_file)
		return xstrdup(c->pg_conninfo);
	if (read_secret(c->pg_password_file, "[postgresql] password_file", pw, sizeof(pw), err,
			errlen))
		return NULL;
	/* conninfo values are quoted with '...' and \ escapes. */
	size_t n = strlen(c->pg_conninfo) + 2 * strlen(pw) + 16;
	char *ci = malloc(n), *o;
	if (!ci)
		abort();
	o = ci + sprintf(ci, "%s password='", c->pg_conninfo);
	for (const char *p = pw; *p; p++) {
		if (*p == '\'' || *p == '\\')
			*o++ = '\\';
		*o++ = *p;
	}
	strcpy(o, "'");
	explicit_bzero(pw, sizeof(pw));
	return ci;
}

int config_hmac_key(const struct config *c, unsigned char *key, size_t cap, size_t *len)
{
	*len = 0;
	if (!c->hmac_key_file || !*c->hmac_key_file) {
		log_warn("[privacy] hmac_key_file is not set: personal identifiers in events "
			 "are dropped, not stored");
		return -1;
	}
	FILE *f = fopen(c->hmac_key_file, "rb");
	if (!f) {
		log_warn("[privacy] hmac_key_file %s: %s: personal identifiers in events are "
			 "dropped, not stored", c->hmac_key_file, strerror(errno));
		return -1;
	}
	size_t n = fread(key, 1, cap, f);
	fclose(f);
	while (n && (key[n - 1] == '\n' || key[n - 1] == '\r'))
		n--;
	if (n < 16) {
		log_warn("[privacy] hmac_key_file %s holds %zu bytes; at least 16 are needed: "
			 "personal identifiers are dropped, not stored", c->hmac_key_file, n);
		explicit_bzero(key, cap);
		return -1;
	}
	*len = n;
	return 0;
}

/* ---- --check-config ------------------------------------------------------- */

struct findings {
	const struct config *c;
	char *errs;
	size_t errlen;
	int nerr;
};

static void note(struct findings *f, bool warn, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* One finding: "FILE:LINE: [warning: ]what", one line (values with a line
 * end would forge a second finding, so they are cut there). */
static void note(struct findings *f, bool warn, int line, const char *fmt, ...)
{
	size_t used = strlen(f->errs);
	va_list ap;
	if (!warn)
		f->nerr++;
	if (used + 2 >= f->errlen)
		return;
	if (line)
		snprintf(f->errs + used, f->errlen - used, "%s:%d: %s", f->c->path, line,
			 warn ? "warning: " : "");
	else
		snprintf(f->errs + used, f->errlen - used, "%s: %s", f->c->path ? f->c->path : "-",
			 warn ? "warning: " : "");
	size_t start = used = strlen(f->errs);
	va_start(ap, fmt);
	vsnprintf(f->errs + used, f->errlen - used, fmt, ap);
	va_end(ap);
	for (char *p = f->errs + start; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	used = strlen(f->errs);
	if (used + 1 < f->errlen) {
		f->errs[used] = '\n';
		f->errs[used + 1] = '\0';
	}
}

static int line_of(const struct config *c, const char *section, const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
			return c->key_line[i];
	return 0;
}

int config_time_zone_check(const char *tz, char *why, size_t whylen)
{
	const char *dir = getenv("TZDIR");
	char path[4096], magic[4];
	struct stat st;
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	if (!*tz || tz[0] == '/' || strstr(tz, "..")) {
		snprintf(why, whylen, "is not a time zone name (like Asia/Shanghai)");
		return -1;
	}
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "not checked: no time zone database at %s (install tzdata)", dir);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, tz);
	FILE *z = fopen(path, "rb");
	size_t n = z ? fread(magic, 1, sizeof(magic), z) : 0;
	if (z)
		fclose(z);
	if (n == sizeof(magic) && memcmp(magic, "TZif", 4) == 0)
		return 0;
	snprintf(why, whylen, "is not a time zone: %s %s (names are like Asia/Shanghai; see %s)",
		 path, z ? "is not a zone file" : "does not exist", dir);
	return -1;
}

static void check_time_zone(struct findings *f)
{
	char why[4300];
	int rc = config_time_zone_check(f->c->time_zone, why, sizeof(why));
	if (rc)
		note(f, rc > 0, line_of(f->c, "ingest", "time_zone"), "[ingest] time_zone = \"%s\" %s",
		     f->c->time_zone, why);
}

/* A file the daemon or the report reads. secret: must not be readable by
 * group or others (an error: the secret is exposed already). optional:
 * missing is a warning with its consequence (`then`). */
static void check_file(struct findings *f, int line, const char *key, const char *path,
		       bool secret, const char *then)
{
	struct stat st;
	if (stat(path, &st)) {
		note(f, then != NULL, line, "%s = \"%s\": %s%s%s", key, path, strerror(errno),
		     then ? ": " : "", then ? then : "");
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		note(f, false, line, "%s = \"%s\" is not a regular file", key, path);
		return;
	}
	if (access(path, R_OK))
		note(f, false, line, "%s = \"%s\" cannot be read by this user: %s", key, path,
		     strerror(errno));
	if (secret && (st.st_mode & 077))
		note(f, false, line, "%s = \"%s\" is open to group or others (mode %04o): a "
		     "secret must be readable by its owner only (chmod 600)", key, path,
		     (unsigned)(st.st_mode & 07777));
}

static void check_dir(struct findings *f, const char *section, const char *name,
		      const char *path, const char *then)
{
	struct stat st;
	int line = line_of(f->c, section, name);
	if (stat(path, &st))
		note(f, true, line, "[%s] %s = \"%s\": %s: %s", section, name, path,
		     strerror(errno), then);
	else if (!S_ISDIR(st.st_mode))
		note(f, false, line, "[%s] %s = \"%s\" is not a folder", section, name, path);
}

static void check_conninfo(struct findings *f, const char *section, const char *ci)
{
	char *msg = NULL;
	PQconninfoOption *o = PQconninfoParse(ci, &msg);
	if (!o)
		note(f, false, line_of(f->c, section, "conninfo"), "[%s] conninfo is not a libpq "
		     "connection string: %s", section, msg ? msg : "out of memory");
	PQconninfoFree(o);
	PQfreemem(msg);
}

int config_parse_listen(const char *hostport, char *host, size_t hostlen, int *port,
			char *err, size_t errlen)
{
	const char *colon = strrchr(hostport, ':');
	char *end;
	long p = colon ? strtol(colon + 1, &end, 10) : 0;
	if (!colon || colon[1] == '\0' || *end || (size_t)(colon - hostport) >= hostlen ||
	    colon == hostport) {
		snprintf(err, errlen, "[metrics] listen = \"%s\" is not host:port", hostport);
		return -1;
	}
	if (p <= 0 || p > 65535) {
		snprintf(err, errlen, "[metrics] listen = \"%s\": port %ld is outside 1..65535",
			 hostport, p);
		return -1;
	}
	snprintf(host, hostlen, "%.*s", (int)(colon - hostport), hostport);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, hostlen, "127.0.0.1");
	struct in_addr a;
	if (inet_pton(AF_INET, host, &a) != 1) {
		snprintf(err, errlen, "[metrics] listen = \"%s\": \"%.*s\" is not an IPv4 address",
			 hostport, (int)(colon - hostport), hostport);
		return -1;
	}
	*port = (int)p;
	return 0;
}

int config_check(const struct config *c, char *errs, size_t errlen)
{
	struct findings f = {c, errs, errlen, 0};
	char host[64], err[512];
	int port;
	errs[0] = '\0';
	check_time_zone(&f);
	check_conninfo(&f, "postgresql", c->pg_conninfo);
	if (*c->report_conninfo)
		check_conninfo(&f, "report", c->report_conninfo);
	if (*c->pg_password_file)
		check_file(&f, line_of(c, "postgresql", "password_file"),
			   "[postgresql] password_file", c->pg_password_file, true, NULL);
	if (*c->kafka_password_file)
		check_file(&f, line_of(c, "kafka_sasl", "password_file"),
			   "[kafka_sasl] password_file", c->kafka_password_file, true, NULL);
	/* Without the key the daemon runs and drops personal identifiers,
	 * as documented: a warning, unless the key is exposed. */
	if (*c->hmac_key_file)
		check_file(&f, line_of(c, "privacy", "hmac_key_file"), "[privacy] hmac_key_file",
			   c->hmac_key_file, true,
			   "personal identifiers in events will be dropped, not stored");
	else
		note(&f, true, 0, "[privacy] hmac_key_file is not set: personal identifiers in "
		     "events will be dropped, not stored");
	for (size_t i = 0; i < c->nkafka; i++) {
		const struct kv *k = &c->kafka[i];
		char key[160];
		bool secret = strcmp(k->key, "ssl.key.location") == 0 ||
			      strcmp(k->key, "ssl.keystore.location") == 0;
		if (!secret && strcmp(k->key, "ssl.ca.location") != 0 &&
		    strcmp(k->key, "ssl.certificate.location") != 0)
			continue;
		if (strcmp(k->value, "probe") == 0)
			continue; /* librdkafka looks in the usual places */
		snprintf(key, sizeof(key), "[kafka] %s", k->key);
		check_file(&f, k->line, key, k->value, secret, NULL);
	}
	check_dir(&f, "report", "texts_dir", c->report_texts_dir,
		  "reports will show agency ids and no sections 五 and 六");
	if (*c->metrics_listen &&
	    config_parse_listen(c->metrics_listen, host, sizeof(host), &port, err, sizeof(err)))
		note(&f, false, line_of(c, "metrics", "listen"), "%s", err);
	return f.nerr;
}

void config_free(struct config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nkafka; i++) {
		free(c->kafka[i].key);
		free(c->kafka[i].value);
	}
	free(c->kafka);
	free_list(c->topics, c->ntopics);
	for (size_t i = 0; i < NKEYS; i++)
		if (keys[i].type == C_STR)
			free(*(char **)((char *)c + keys[i].off));
	free(c->path);
	free(c);
}
