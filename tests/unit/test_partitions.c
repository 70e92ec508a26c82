/* partitions: positions through a batch's life, and an assignment that
 * librdkafka refuses is handled (forgotten here, kept for a retry), not
 * dropped. A consumer that never reaches a broker is enough: nothing here
 * needs one. */
#include "testutil.h"

#include <librdkafka/rdkafka.h>

#include "batch.h"
#include "partitions.h"

static char *topics[] = {"disclosure.complaints", "disclosure.receptions"};

/* in_group: with a group.id (assignments need one). Without, Kafka
 * commits fail at once instead of waiting for a coordinator. */
static rd_kafka_t *offline_consumer(bool in_group)
{
	char err[256];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	assert_int_equal(rd_kafka_conf_set(conf, "bootstrap.servers", "127.0.0.1:1", err,
					   sizeof(err)), RD_KAFKA_CONF_OK);
	if (in_group)
		assert_int_equal(rd_kafka_conf_set(conf, "group.id", "unit", err, sizeof(err)),
				 RD_KAFKA_CONF_OK);
	assert_int_equal(rd_kafka_conf_set(conf, "log_level", "0", err, sizeof(err)),
			 RD_KAFKA_CONF_OK);
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
	assert_non_null(rk);
	return rk;
}

/* Without a broker, leaving the group would wait for the coordinator. */
static void close_consumer(rd_kafka_t *rk)
{
	rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

static rd_kafka_topic_partition_list_t *two_partitions(void)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(2);
	rd_kafka_topic_partition_list_add(l, topics[1], 0);
	rd_kafka_topic_partition_list_add(l, topics[1], 3);
	return l;
}

/* A table for rk holding two_partitions (not assigned yet), in *l. */
static struct partitions *holding_two(rd_kafka_t *rk, rd_kafka_topic_partition_list_t **l)
{
	struct partitions *ps = partitions_new(rk, topics, 2);
	*l = two_partitions();
	partitions_add(ps, *l);
	return ps;
}

static void release_all(struct partitions *ps, rd_kafka_topic_partition_list_t *l,
			rd_kafka_t *rk)
{
	rd_kafka_topic_partition_list_destroy(l);
	partitions_free(ps);
	close_consumer(rk);
}

/* librdkafka refuses an incremental assignment that overlaps what it
 * holds: the partitions leave the table, the held ones are released, and
 * all come back from take_refused, which then assigns cleanly. */
static void refused_assignment_is_kept_for_retry(void **state)
{
	(void)state;
	rd_kafka_t *rk = offline_consumer(true);
	rd_kafka_topic_partition_list_t *l;
	struct partitions *ps = holding_two(rk, &l);
	assert_int_equal(partitions_count(ps), 2);
	assert_int_equal(partitions_find(ps, topics[1], 3)->topic_idx, 1);
	assert_false(partitions_all_active(ps));
	assert_int_equal(partitions_assign(ps, l, true, false), 0);
	assert_null(partitions_take_refused(ps));

	/* The same two again plus a third: a conflict. */
	rd_kafka_topic_partition_list_t *l3 = two_partitions();
	rd_kafka_topic_partition_list_add(l3, topics[0], 1);
	partitions_add(ps, l3);
	assert_int_equal(partitions_count(ps), 3);
	assert_int_equal(partitions_assign(ps, l3, true, false), -1);
	assert_int_equal(partitions_count(ps), 0);
	assert_null(partitions_find(ps, topics[1], 0));
	rd_kafka_topic_partition_list_t *held = NULL;
	assert_int_equal(rd_kafka_assignment(rk, &held), RD_KAFKA_RESP_ERR_NO_ERROR);
	assert_int_equal(held->cnt, 0); /* released for a clean retry */
	rd_kafka_topic_partition_list_destroy(held);

	rd_kafka_topic_partition_list_t *r = partitions_take_refused(ps);
	assert_non_null(r);
	assert_int_equal(r->cnt, 3);
	assert_non_null(rd_kafka_topic_partition_list_find(r, topics[0], 1));
	assert_null(partitions_take_refused(ps)); /* taken once */
	partitions_add(ps, r);
	assert_int_equal(partitions_assign(ps, r, true, false), 0);
	assert_int_equal(partitions_count(ps), 3);
	rd_kafka_topic_partition_list_destroy(r);

	/* Refused while a revoke of the same partitions comes: nothing left. */
	assert_int_equal(partitions_assign(ps, l3, true, false), -1);
	partitions_revoke(ps, l3, true);
	assert_null(partitions_take_refused(ps));

	/* A failed rebalance forgets everything. */
	partitions_add(ps, l);
	assert_int_equal(partitions_assign(ps, l, false, false), 0);
	partitions_revoke_all(ps);
	assert_int_equal(partitions_count(ps), 0);

	rd_kafka_topic_partition_list_destroy(l3);
	release_all(ps, l, rk);
}

/* next / pending / committed through submit, commit and drops. */
static void positions_follow_the_batch(void **state)
{
	(void)state;
	rd_kafka_t *rk = offline_consumer(false);
	rd_kafka_topic_partition_list_t *l;
	struct partitions *ps = holding_two(rk, &l);
	struct assigned *a = partitions_find(ps, topics[1], 0);
	a->active = true;
	a->committed = a->pending = 10;
	a->next = 15; /* 10..14 read into a batch */

	struct batch *b = batch_new(16);
	for (int64_t o = 10; o < 15; o++)
		batch_note_offset(b, a->topic, 0, o, a->pending, INT64_MIN);
	partitions_batch_pending(ps, b);
	assert_int_equal(a->pending, 15);
	assert_int_equal(a->committed, 10);

	a->next = 18; /* 15..17 in the next batch, then that one is dropped */
	partitions_rewind(ps, false);
	assert_int_equal(a->next, 15);

	partitions_batch_committed(ps, b);
	assert_int_equal(a->committed, 15);

	a->pending = a->next = 20;
	partitions_rewind(ps, true); /* all dropped: back to what PostgreSQL holds */
	assert_int_equal(a->pending, 15);
	assert_int_equal(a->next, 15);

	assert_false(partitions_all_active(ps));
	partitions_find(ps, topics[1], 3)->active = true;
	assert_true(partitions_all_active(ps));
	partitions_forget(ps);
	assert_false(a->active);

	batch_free(b);
	release_all(ps, l, rk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refused_assignment_is_kept_for_retry),
		cmocka_unit_test(positions_follow_the_batch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
