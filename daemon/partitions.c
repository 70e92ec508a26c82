#include "partitions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"

struct partitions {
	rd_kafka_t *rk;
	char *const *topics;
	size_t ntopics;
	struct assigned *as;
	size_t nas, cap;
	rd_kafka_topic_partition_list_t *refused; /* to assign again; NULL if none */
};

struct partitions *partitions_new(rd_kafka_t *rk, char *const *topics, size_t ntopics)
{
	struct partitions *ps = xcalloc(1, sizeof(*ps));
	ps->rk = rk;
	ps->topics = topics;
	ps->ntopics = ntopics;
	return ps;
}

void partitions_free(struct partitions *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->nas; i++)
		free(ps->as[i].topic);
	free(ps->as);
	if (ps->refused)
		rd_kafka_topic_partition_list_destroy(ps->refused);
	free(ps);
}

struct assigned *partitions_find(struct partitions *ps, const char *topic, int32_t p)
{
	for (size_t i = 0; i < ps->nas; i++)
		if (ps->as[i].partition == p && strcmp(ps->as[i].topic, topic) == 0)
			return &ps->as[i];
	return NULL;
}

size_t partitions_count(const struct partitions *ps) { return ps->nas; }

bool partitions_all_active(const struct partitions *ps)
{
	bool all = ps->nas > 0;
	for (size_t i = 0; i < ps->nas; i++)
		all &= ps->as[i].active;
	return all;
}

static rd_kafka_topic_partition_list_t *assigned_list(struct partitions *ps, bool only_active,
						      bool with_next)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)ps->nas + 1);
	for (size_t i = 0; i < ps->nas; i++) {
		struct assigned *a = &ps->as[i];
		if (only_active && !a->active)
			continue;
		rd_kafka_topic_partition_t *tp =
			rd_kafka_topic_partition_list_add(l, a->topic, a->partition);
		if (with_next)
			tp->offset = a->next >= 0 ? a->next : RD_KAFKA_OFFSET_BEGINNING;
	}
	return l;
}

/* "topic[0,3] other[1]"-like list of the partitions, for the log. */
static void describe(const rd_kafka_topic_partition_list_t *parts, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (int i = 0; i < parts->cnt && n + 1 < cap; i++) {
		int w = snprintf(out + n, cap - n, "%s%s/%d", i ? " " : "", parts->elems[i].topic,
				 parts->elems[i].partition);
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

/* ---- rebalancing ------------------------------------------------------- */

bool partitions_cooperative(rd_kafka_t *rk)
{
	const char *proto = rd_kafka_rebalance_protocol(rk);
	return proto && strcmp(proto, "COOPERATIVE") == 0;
}

/* gcc 12's analyzer loses track of a pointer stored at a variable index
 * (the topic in ps->as[ps->nas++]) and reports it leaked; partitions_free
 * and forget_listed free it, as lib/config.c explains for the same case. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
void partitions_add(struct partitions *ps, const rd_kafka_topic_partition_list_t *parts)
{
	for (int i = 0; i < parts->cnt; i++) {
		if (partitions_find(ps, parts->elems[i].topic, parts->elems[i].partition))
			continue;
		if (ps->nas == ps->cap) {
			ps->cap = ps->cap ? 2 * ps->cap : 32;
			struct assigned *as = realloc(ps->as, ps->cap * sizeof(*as));
			if (!as)
				abort();
			ps->as = as;
		}
		char *t = strdup(parts->elems[i].topic);
		if (!t)
			abort();
		int ti = -1;
		for (size_t k = 0; k < ps->ntopics && k < METRICS_TOPICS; k++)
			if (strcmp(ps->topics[k], t) == 0)
				ti = (int)k;
		ps->as[ps->nas++] = (struct assigned){t, strlen(t), parts->elems[i].partition, ti,
						      false, true, -1, -1, -1, INT64_MIN};
	}
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* Drop the listed partitions from the table (their batches are settled). */
static void forget_listed(struct partitions *ps, const rd_kafka_topic_partition_list_t *parts)
{
	for (int i = 0; i < parts->cnt; i++) {
		struct assigned *a = partitions_find(ps, parts->elems[i].topic,
						     parts->elems[i].partition);
		if (!a)
			continue;
		free(a->topic);
		*a = ps->as[--ps->nas];
	}
}

/* After a refused assignment: forget the partitions here, release those
 * librdkafka does hold (a conflict with what it already had) so that the
 * retry starts clean at PostgreSQL's positions, and keep all of them for
 * partitions_take_refused. */
static void keep_refused(struct partitions *ps, const rd_kafka_topic_partition_list_t *parts,
			 bool coop)
{
	rd_kafka_topic_partition_list_t *held = NULL, *release;
	if (rd_kafka_assignment(ps->rk, &held) != RD_KAFKA_RESP_ERR_NO_ERROR)
		held = NULL;
	release = rd_kafka_topic_partition_list_new(parts->cnt);
	if (!ps->refused)
		ps->refused = rd_kafka_topic_partition_list_new(parts->cnt);
	for (int i = 0; i < parts->cnt; i++) {
		const char *t = parts->elems[i].topic;
		int32_t p = parts->elems[i].partition;
		if (held && rd_kafka_topic_partition_list_find(held, t, p))
			rd_kafka_topic_partition_list_add(release, t, p);
		if (!rd_kafka_topic_partition_list_find(ps->refused, t, p))
			rd_kafka_topic_partition_list_add(ps->refused, t, p);
	}
	forget_listed(ps, parts);
	if (coop && release->cnt) {
		rd_kafka_error_t *e = rd_kafka_incremental_unassign(ps->rk, release);
		if (e) {
			log_error("releasing %d partition(s) after a refused assignment failed: %s",
				  release->cnt, rd_kafka_error_string(e));
			rd_kafka_error_destroy(e);
		}
	}
	rd_kafka_topic_partition_list_destroy(release);
	if (held)
		rd_kafka_topic_partition_list_destroy(held);
}

/* Hand an assignment change to librdkafka: incrementally (cooperative) or
 * as the whole new assignment (eager: parts when assigning, none when
 * revoking). 0, or -1 with librdkafka's reason in why. */
static int apply(struct partitions *ps, const rd_kafka_topic_partition_list_t *parts, bool coop,
		 bool assign, char *why, size_t whylen)
{
	if (coop) {
		rd_kafka_error_t *e = assign ? rd_kafka_incremental_assign(ps->rk, parts)
					     : rd_kafka_incremental_unassign(ps->rk, parts);
		if (!e)
			return 0;
		snprintf(why, whylen, "%s", rd_kafka_error_string(e));
		rd_kafka_error_destroy(e);
		return -1;
	}
	rd_kafka_resp_err_t e = rd_kafka_assign(ps->rk, assign ? parts : NULL);
	if (!e)
		return 0;
	snprintf(why, whylen, "%s", rd_kafka_err2str(e));
	return -1;
}

int partitions_assign(struct partitions *ps, rd_kafka_topic_partition_list_t *parts,
		      bool coop, bool known)
{
	for (int i = 0; i < parts->cnt; i++) {
		struct assigned *a = partitions_find(ps, parts->elems[i].topic,
						     parts->elems[i].partition);
		parts->elems[i].offset = known && a && a->next >= 0 ? a->next
						 : RD_KAFKA_OFFSET_BEGINNING;
	}
	char why[512];
	if (apply(ps, parts, coop, true, why, sizeof(why)) != 0) {
		char list[1024];
		describe(parts, list, sizeof(list));
		log_error("%s assignment of %d partition(s) refused, assigning them again in a "
			  "second: %s (partitions %s)", coop ? "incremental" : "eager", parts->cnt,
			  why, list);
		keep_refused(ps, parts, coop);
		return -1;
	}
	/* Nothing may flow until we know where PostgreSQL left off. */
	if (!known)
		rd_kafka_pause_partitions(ps->rk, parts);
	log_info("assigned %d partition(s)%s", parts->cnt,
		 known ? "" : ", paused until PostgreSQL answers");
	return 0;
}

rd_kafka_topic_partition_list_t *partitions_take_refused(struct partitions *ps)
{
	rd_kafka_topic_partition_list_t *l = ps->refused;
	ps->refused = NULL;
	return l;
}

bool partitions_lost(struct partitions *ps)
{
	return rd_kafka_assignment_lost(ps->rk) != 0;
}

void partitions_revoke(struct partitions *ps, const rd_kafka_topic_partition_list_t *parts,
		       bool coop)
{
	forget_listed(ps, parts);
	/* A refused assignment that is revoked meanwhile is no longer ours. */
	if (ps->refused) {
		rd_kafka_topic_partition_list_t *keep =
			rd_kafka_topic_partition_list_new(ps->refused->cnt);
		for (int i = 0; i < ps->refused->cnt; i++) {
			const rd_kafka_topic_partition_t *r = &ps->refused->elems[i];
			if (coop && !rd_kafka_topic_partition_list_find(parts, r->topic,
									r->partition))
				rd_kafka_topic_partition_list_add(keep, r->topic, r->partition);
		}
		rd_kafka_topic_partition_list_destroy(ps->refused);
		ps->refused = keep->cnt ? keep : NULL;
		if (!ps->refused)
			rd_kafka_topic_partition_list_destroy(keep);
	}
	/* librdkafka keeps a partition's pause after it is revoked: one paused
	 * for an outage and assigned to us again later would stay paused for
	 * good. Whatever leaves our assignment leaves it unpaused. */
	if (parts->cnt) {
		/* A copy: librdkafka writes each partition's outcome into the list. */
		rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_copy(parts);
		rd_kafka_resume_partitions(ps->rk, l);
		rd_kafka_topic_partition_list_destroy(l);
	}
	char why[512];
	if (apply(ps, parts, coop, false, why, sizeof(why)) != 0) {
		char list[1024];
		describe(parts, list, sizeof(list));
		log_error("releasing %d revoked partition(s) failed: %s (partitions %s)",
			  parts->cnt, why, list);
	}
	log_info("revoked %d partition(s)", parts->cnt);
}

void partitions_revoke_all(struct partitions *ps)
{
	rd_kafka_topic_partition_list_t *l = assigned_list(ps, false, false);
	partitions_revoke(ps, l, false);
	rd_kafka_topic_partition_list_destroy(l);
}

/* ---- positions --------------------------------------------------------- */

int partitions_activate(struct partitions *ps, struct pgw *pg, char *err, size_t errlen)
{
	size_t n = 0;
	struct part_offset *po = xcalloc(ps->nas + 1, sizeof(*po));
	for (size_t i = 0; i < ps->nas; i++)
		if (!ps->as[i].active)
			po[n++] = (struct part_offset){ps->as[i].topic, ps->as[i].partition, -1,
						       INT64_MIN};
	int rc = n ? pgw_fetch_offsets(pg, po, n, err, errlen) : 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct assigned *a = partitions_find(ps, po[i].topic, po[i].partition);
		if (!a)
			continue; /* not reached: po was built from ps->as just above */
		a->active = true;
		a->first = true;
		a->committed = a->pending = a->next = po[i].next_offset;
		a->max_time_us = po[i].max_time_us;
		log_info("partition active topic=%s partition=%d start=%lld%s", a->topic,
			 a->partition, (long long)a->next,
			 a->next < 0 ? " (nothing stored: from the beginning)" : "");
	}
	free(po);
	return rc;
}

void partitions_pause_all(struct partitions *ps)
{
	rd_kafka_topic_partition_list_t *l = assigned_list(ps, false, false);
	if (l->cnt)
		rd_kafka_pause_partitions(ps->rk, l);
	rd_kafka_topic_partition_list_destroy(l);
}

/* Messages dropped while paused are fetched again from the new position. */
void partitions_seek_and_resume(struct partitions *ps)
{
	rd_kafka_topic_partition_list_t *l = assigned_list(ps, true, true);
	if (l->cnt) {
		rd_kafka_error_t *e = rd_kafka_seek_partitions(ps->rk, l, 5000);
		if (e) {
			log_warn("seek failed: %s", rd_kafka_error_string(e));
			rd_kafka_error_destroy(e);
		}
		for (int i = 0; i < l->cnt; i++)
			if (l->elems[i].err)
				log_warn("seek failed topic=%s partition=%d offset=%lld: %s",
					 l->elems[i].topic, l->elems[i].partition,
					 (long long)l->elems[i].offset,
					 rd_kafka_err2str(l->elems[i].err));
		rd_kafka_resume_partitions(ps->rk, l);
	}
	for (size_t i = 0; i < ps->nas; i++)
		ps->as[i].first = true;
	rd_kafka_topic_partition_list_destroy(l);
}

void partitions_batch_pending(struct partitions *ps, struct batch *b)
{
	size_t np;
	struct batch_part *parts = batch_parts(b, &np);
	for (size_t i = 0; i < np; i++) {
		struct assigned *a = partitions_find(ps, parts[i].topic, parts[i].partition);
		if (a)
			a->pending = parts[i].next_offset;
	}
}

void partitions_batch_committed(struct partitions *ps, struct batch *b)
{
	size_t np;
	struct batch_part *parts = batch_parts(b, &np);
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)np);
	for (size_t i = 0; i < np; i++) {
		struct assigned *a = partitions_find(ps, parts[i].topic, parts[i].partition);
		if (a) {
			a->committed = parts[i].next_offset;
			if (parts[i].max_time_us > a->max_time_us)
				a->max_time_us = parts[i].max_time_us;
		}
		rd_kafka_topic_partition_list_add(l, parts[i].topic, parts[i].partition)->offset =
			parts[i].next_offset;
	}
	/* Informational only (Kafka's lag tools); PostgreSQL stays the truth. */
	rd_kafka_commit(ps->rk, l, 1);
	rd_kafka_topic_partition_list_destroy(l);
}

void partitions_rewind(struct partitions *ps, bool all)
{
	for (size_t i = 0; i < ps->nas; i++) {
		struct assigned *a = &ps->as[i];
		if (all)
			a->pending = a->committed;
		a->next = a->pending;
	}
}

void partitions_forget(struct partitions *ps)
{
	for (size_t i = 0; i < ps->nas; i++)
		ps->as[i].active = false;
}

long long partitions_snapshot(struct partitions *ps, struct metrics_snapshot *s)
{
	long long lag = 0;
	s->nparts = 0;
	for (size_t i = 0; i < ps->nas && s->nparts < METRICS_PARTS; i++) {
		struct metrics_partition *p = &s->parts[s->nparts++];
		struct assigned *a = &ps->as[i];
		int64_t lo = -1, hi = -1;
		snprintf(p->topic, sizeof(p->topic), "%s", a->topic);
		p->partition = a->partition;
		p->committed = a->committed;
		p->max_time_us = a->max_time_us;
		if (rd_kafka_get_watermark_offsets(ps->rk, a->topic, a->partition, &lo, &hi) !=
		    RD_KAFKA_RESP_ERR_NO_ERROR)
			hi = -1;
		p->high = hi;
		if (hi >= 0)
			lag += hi - (p->committed < 0 ? lo : p->committed);
	}
	return lag;
}
