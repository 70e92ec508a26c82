/* metrics: the per-agency latest event time table and the /metrics text
 * (build info, event times, last commit, process metrics). */
#include "testutil.h"

#include "agency_times.h"
#include "metrics.h"

static void agency_times_keep_the_latest(void **state)
{
	(void)state;
	static struct agency_times t, u;
	agency_times_reset(&t);
	agency_times_note(&t, "yaodu-xinfang", 13, 200);
	agency_times_note(&t, "yaodu-xinfang", 13, 100);
	agency_times_note(&t, "yaodu-xinfangXX", 13, 300); /* length counts, not the NUL */
	agency_times_note(&t, "beicheng", 8, 50);
	assert_int_equal(t.n, 2);
	agency_times_reset(&u);
	agency_times_note(&u, "beicheng", 8, 70);
	agency_times_note(&u, "nancheng", 8, 10);
	agency_times_merge(&t, &u);
	assert_int_equal(t.n, 3);
	int64_t seen = 0;
	for (size_t i = 0; i < AGENCY_TIMES_SLOTS; i++) {
		if (strcmp(t.slot[i].name, "yaodu-xinfang") == 0)
			assert_int_equal(t.slot[i].time_us, 300), seen += 1;
		if (strcmp(t.slot[i].name, "beicheng") == 0)
			assert_int_equal(t.slot[i].time_us, 70), seen += 10;
		if (strcmp(t.slot[i].name, "nancheng") == 0)
			assert_int_equal(t.slot[i].time_us, 10), seen += 100;
	}
	assert_int_equal(seen, 111);
	agency_times_reset(&t);
	assert_int_equal(t.n, 0);
	for (size_t i = 0; i < AGENCY_TIMES_SLOTS; i++)
		assert_int_equal(t.slot[i].name[0], 0);
}

static void agency_times_bounded(void **state)
{
	(void)state;
	static struct agency_times t;
	agency_times_reset(&t);
	char name[32];
	for (int i = 0; i < AGENCY_TIMES_MAX + 10; i++) {
		int n = snprintf(name, sizeof(name), "agency-%d", i);
		agency_times_note(&t, name, (size_t)n, i);
	}
	assert_int_equal(t.n, AGENCY_TIMES_MAX);
	assert_int_equal(t.untracked, 10);
	char longname[AGENCY_NAME_MAX + 2];
	memset(longname, 'a', sizeof(longname));
	agency_times_note(&t, longname, sizeof(longname), 1);
	assert_int_equal(t.untracked, 11);
}

static void format_has_the_operator_metrics(void **state)
{
	(void)state;
	char *topics[] = {"complaints"};
	struct metrics *m = metrics_new(topics, 1);
	static struct metrics_snapshot s;
	memset(&s, 0, sizeof(s));
	s.nparts = 2;
	s.parts[0] = (struct metrics_partition){"complaints", 0, 5, 9, 1704038400123456};
	s.parts[1] = (struct metrics_partition){"complaints", 1, -1, 0, INT64_MIN};
	s.last_commit_us = 1735660800000000;
	agency_times_reset(&s.agencies);
	agency_times_note(&s.agencies, "yaodu-xinfang", 13, 1704038400000000);
	metrics_publish(m, &s);
	char *text = metrics_format(m);
	assert_has(text, "\ndisclosed_partition_latest_event_time_seconds{topic=\"complaints\","
			 "partition=\"0\"} 1704038400.123456\n");
	assert_lacks(text, "disclosed_partition_latest_event_time_seconds{topic=\"complaints\","
			   "partition=\"1\"}");
	assert_has(text, "\ndisclosed_agency_latest_event_time_seconds{agency="
			 "\"yaodu-xinfang\"} 1704038400.000000\n");
	assert_has(text, "\ndisclosed_last_commit_timestamp_seconds 1735660800.000000\n");
	assert_has(text, "\ndisclosed_build_info{version=\"");
	assert_has(text, "\",librdkafka=\"");
	assert_has(text, "\",libpq=\"");
	assert_has(text, "\nprocess_start_time_seconds 1");
	assert_has(text, "\nprocess_cpu_seconds_total ");
	assert_has(text, "\nprocess_resident_memory_bytes ");
	assert_has(text, "\nprocess_open_fds ");
	assert_lacks(text, "\nprocess_resident_memory_bytes 0\n");
	free(text);
	metrics_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(agency_times_keep_the_latest),
		cmocka_unit_test(agency_times_bounded),
		cmocka_unit_test(format_has_the_operator_metrics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
