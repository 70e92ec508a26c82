/*
 * procstat: the standard process_* metrics (as the Prometheus client
 * libraries name them) read from /proc/self at each scrape, so the
 * dashboard and the restart alert work as for any other exporter.
 */
#ifndef DISCLOSED_PROCSTAT_H
#define DISCLOSED_PROCSTAT_H

#include "buf.h"

/* Append process_cpu_seconds_total, process_start_time_seconds,
 * process_resident_memory_bytes, process_virtual_memory_bytes,
 * process_open_fds and process_max_fds. A value /proc cannot give is left
 * out rather than reported as 0. */
void procstat_format(struct buf *b);

#endif
