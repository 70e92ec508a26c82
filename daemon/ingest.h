/*
 * ingest: the consume loop. Polls Kafka, decodes each message into the
 * current batch, and commits the batch to PostgreSQL at `batch_size`
 * events or `flush_interval_ms`, whichever comes first. Partitions start at
 * the offsets stored in PostgreSQL; during a PostgreSQL outage they are
 * paused while polling goes on (so the group keeps us) and resumed exactly
 * where the last commit left them.
 */
#ifndef DISCLOSED_INGEST_H
#define DISCLOSED_INGEST_H


#include <stddef.h>

#include "config.h"

struct ingest;


/* Borrows cfg for its lifetime; SIGHUP swaps in its reloadable keys. sigfd
 * is a non-blocking signalfd for SIGTERM/SIGINT (stop) and SIGHUP (reload), read in the loop; -1 for none.
 * Starts the metrics endpoint when [metrics] listen is set. NULL with err
 * when the Kafka client or the endpoint cannot be set up. */
struct ingest *ingest_new(struct config *cfg, const char *conninfo, int sigfd,
			  char *err, size_t errlen);
/* Run until SIGTERM or SIGINT, then commit what is in flight, leave the
 * group and return 0. Returns -1 only when it cannot start (e.g. the schema is
 * not migrated). */
int ingest_run(struct ingest *g);
void ingest_free(struct ingest *g);

#endif
