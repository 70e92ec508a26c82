/*
 * partitions: the partitions this consumer is assigned and where each one
 * stands: the next offset stored in PostgreSQL, the end of the batch in
 * flight, the next offset to read. Applies the group's assignments and
 * revocations to librdkafka (cooperative or eager), checking what it
 * answers; positions come from PostgreSQL, never from Kafka's commits.
 * Consume thread only.
 */
#ifndef DISCLOSED_PARTITIONS_H
#define DISCLOSED_PARTITIONS_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "metrics.h"
#include "pgwriter.h"

/* One assigned partition. */
struct assigned {
	char *topic;       /* owned; batches borrow it until committed or dropped */
	size_t topic_len;
	int32_t partition;
	int topic_idx;     /* in [topics] subscribe, for metrics; -1 if not listed */
	bool active;       /* start offset known from PostgreSQL */
	bool first;        /* nothing received since (re)positioning */
	int64_t committed; /* next offset stored in PostgreSQL; -1 none */
	int64_t pending;   /* after the batch in flight, if any; else committed */
	int64_t next;      /* next offset to add to the batch; -1 from start */
	int64_t max_time_us; /* latest stored event time, INT64_MIN unknown */
};

struct partitions;

/* Borrows rk and topics (the [topics] list, for metrics indexes). */
struct partitions *partitions_new(rd_kafka_t *rk, char *const *topics, size_t ntopics);
void partitions_free(struct partitions *ps);

struct assigned *partitions_find(struct partitions *ps, const char *topic, int32_t p);
size_t partitions_count(const struct partitions *ps);
bool partitions_all_active(const struct partitions *ps);

/* ---- rebalancing ---- */

/* The group uses the cooperative protocol (incremental assign/unassign). */
bool partitions_cooperative(rd_kafka_t *rk);
/* Record newly assigned partitions, not yet active. */
void partitions_add(struct partitions *ps, const rd_kafka_topic_partition_list_t *parts);
/* Hand the assignment to librdkafka: at the stored positions when known,
 * else from the beginning and paused until PostgreSQL answers. -1 when
 * librdkafka refuses it (logged): the partitions are forgotten here,
 * released where librdkafka holds them, and kept for
 * partitions_take_refused. */
int partitions_assign(struct partitions *ps, rd_kafka_topic_partition_list_t *parts,
		      bool coop, bool known);
/* Partitions whose assignment librdkafka refused, to assign again (the
 * caller destroys the list); NULL when none. */
rd_kafka_topic_partition_list_t *partitions_take_refused(struct partitions *ps);
/* The revoked partitions were lost (session timeout, fenced): someone
 * else may own them already, so nothing of theirs may be committed. */
bool partitions_lost(struct partitions *ps);
/* Forget revoked partitions and release them in librdkafka. */
void partitions_revoke(struct partitions *ps, const rd_kafka_topic_partition_list_t *parts,
		       bool coop);

/* A failed rebalance: forget every partition and clear the assignment
 * (eager), so the next assignment starts from PostgreSQL's offsets. */
void partitions_revoke_all(struct partitions *ps);

/* ---- positions ---- */

/* Learn the stored offsets of partitions not yet active. 0, or -1 with
 * err. The connection must be idle. */
int partitions_activate(struct partitions *ps, struct pgw *pg, char *err, size_t errlen);
void partitions_pause_all(struct partitions *ps);
/* Reposition every active partition at the first offset not yet in
 * PostgreSQL or in a batch, and let it flow again. */
void partitions_seek_and_resume(struct partitions *ps);
/* A batch went to the writer / was committed: its ends become pending /
 * committed (the latter also told to Kafka, for its lag tools). */
void partitions_batch_pending(struct partitions *ps, struct batch *b);
void partitions_batch_committed(struct partitions *ps, struct batch *b);
/* Uncommitted messages were dropped: read again after the batch in flight,
 * or (all) from what PostgreSQL holds. */
void partitions_rewind(struct partitions *ps, bool all);
/* Positions unknown (stale fence): every partition re-reads PostgreSQL. */
void partitions_forget(struct partitions *ps);
/* Fill s->parts and s->nparts; returns the total lag. */
long long partitions_snapshot(struct partitions *ps, struct metrics_snapshot *s);

#endif
