/* clock: the one monotonic clock the daemon measures with (timeouts,
 * backoff, commit latency), in milliseconds. */
#ifndef DISCLOSED_CLOCK_H
#define DISCLOSED_CLOCK_H

#include <time.h>

static inline double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

#endif
