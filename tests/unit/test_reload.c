/* reload: SIGHUP builds a new configuration from the file, validates it
 * and swaps in only the keys the key table marks reloadable; the key
 * table's verdicts come out of config_changes. */
#include "testutil.h"

#include <unistd.h>

#include "config.h"
#include "log.h"
#include "reload.h"

struct change {
	char what[160];
	bool reloadable;
};

struct changes {
	struct change c[16];
	size_t n;
};

static void collect(void *user, const char *section, const char *key, bool reloadable,
		    const char *running, const char *next)
{
	struct changes *ch = user;
	assert_true(ch->n < 16);
	snprintf(ch->c[ch->n].what, sizeof(ch->c[ch->n].what), "[%s] %s: %s -> %s", section, key,
		 running, next);
	ch->c[ch->n++].reloadable = reloadable;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static struct config *load_file(const char *path)
{
	char errs[1024];
	struct config *c = config_new();
	assert_int_equal(config_load(c, path, errs, sizeof(errs)), 0);
	return c;
}

static const char BEFORE[] =
	"[kafka]\nbootstrap.servers = a:9092\nsasl.password = old\n"
	"[ingest]\nbatch_size = 100\n[log]\nlevel = info\n";
static const char AFTER[] =
	"[kafka]\nbootstrap.servers = b:9092\nsasl.password = new\nclient.rack = r1\n"
	"[ingest]\nbatch_size = 200\n[log]\nlevel = debug\n";

static void changes_name_each_key_with_the_tables_verdict(void **state)
{
	(void)state;
	char errs[1024];
	struct config *a = config_new(), *b = config_new();
	assert_int_equal(config_load_string(a, "a.ini", BEFORE, errs, sizeof(errs)), 0);
	assert_int_equal(config_load_string(b, "b.ini", AFTER, errs, sizeof(errs)), 0);
	struct changes ch = {0};
	assert_int_equal(config_changes(a, b, collect, &ch), 5);
	assert_int_equal(ch.n, 5);
	assert_string_equal(ch.c[0].what, "[kafka] bootstrap.servers: a:9092 -> b:9092");
	assert_string_equal(ch.c[1].what, "[kafka] sasl.password: ******** -> ********");
	assert_string_equal(ch.c[2].what, "[kafka] client.rack: (not set) -> r1");
	assert_string_equal(ch.c[3].what, "[ingest] batch_size: 100 -> 200");
	assert_string_equal(ch.c[4].what, "[log] level: info -> debug");
	for (size_t i = 0; i < 4; i++)
		assert_false(ch.c[i].reloadable);
	assert_true(ch.c[4].reloadable);

	/* Unchanged: nothing to say; a removed [kafka] key is named. */
	struct changes none = {0};
	assert_int_equal(config_changes(a, a, collect, &none), 0);
	struct changes back = {0};
	assert_int_equal(config_changes(b, a, collect, &back), 5);
	assert_string_equal(back.c[2].what, "[kafka] client.rack: r1 -> (not set)");

	config_apply_reloadable(a, b);
	assert_int_equal(a->log_level, LOG_LVL_DEBUG);
	assert_int_equal(a->batch_size, 100);
	assert_string_equal(a->kafka[0].value, "a:9092");
	config_free(a);
	config_free(b);
}

static void reload_swaps_only_reloadable_keys(void **state)
{
	(void)state;
	char path[] = "/tmp/disclosed-reload-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_file(path, BEFORE);
	struct config *running = load_file(path);
	log_set_level((enum log_level)running->log_level);

	write_file(path, AFTER);
	assert_int_equal(reload_config(running), 0);
	assert_int_equal(running->log_level, LOG_LVL_DEBUG);
	assert_int_equal(log_get_level(), LOG_LVL_DEBUG);
	assert_int_equal(running->batch_size, 100);  /* needs a restart */
	assert_int_equal(running->nkafka, 2);
	assert_string_equal(running->kafka[0].value, "a:9092");

	/* A file with errors changes nothing. */
	write_file(path, "[log]\nlevel = warn\n[ingest]\nbatch_size = many\n");
	assert_int_equal(reload_config(running), -1);
	assert_int_equal(running->log_level, LOG_LVL_DEBUG);
	assert_int_equal(log_get_level(), LOG_LVL_DEBUG);

	unlink(path);
	config_free(running);
	log_set_level(LOG_LVL_INFO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(changes_name_each_key_with_the_tables_verdict),
		cmocka_unit_test(reload_swaps_only_reloadable_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
