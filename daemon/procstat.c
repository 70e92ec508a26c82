#include "procstat.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

struct proc_stat {
	unsigned long long utime, stime, starttime, vsize;
	long long rss; /* pages */
};

/* /proc/self/stat: the fields after the command name, which is in
 * parentheses and may itself hold spaces or parentheses. */
static int read_stat(struct proc_stat *ps)
{
	char line[1024];
	FILE *f = fopen("/proc/self/stat", "r");
	if (!f)
		return -1;
	char *got = fgets(line, sizeof(line), f);
	fclose(f);
	char *p = got ? strrchr(line, ')') : NULL;
	if (!p)
		return -1;
	/* Fields 3..24 of proc(5): state is 3, utime 14, stime 15,
	 * starttime 22, vsize 23, rss 24. */
	int n = sscanf(p + 1,
		       " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d"
		       " %*d %*d %llu %llu %lld",
		       &ps->utime, &ps->stime, &ps->starttime, &ps->vsize, &ps->rss);
	return n == 5 ? 0 : -1;
}

/* Boot time in seconds since the epoch (/proc/stat btime), 0 unknown. */
static long long boot_time(void)
{
	char line[256];
	long long bt = 0;
	FILE *f = fopen("/proc/stat", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %lld", &bt) == 1)
			break;
	fclose(f);
	return bt;
}

static long open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	long n = 0;
	/* readdir is safe here: the DIR is private to this call, and
	 * readdir_r is deprecated by glibc. */
	/* cppcheck-suppress readdirCalled */
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the one opendir holds */
}

static void gauge(struct buf *b, const char *name, const char *help, const char *type,
		  double v)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name, help, name, type, name, v);
}

void procstat_format(struct buf *b)
{
	struct proc_stat ps;
	long tick = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
	if (read_stat(&ps) == 0 && tick > 0) {
		gauge(b, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
		      "counter", (double)(ps.utime + ps.stime) / (double)tick);
		long long bt = boot_time();
		if (bt > 0)
			gauge(b, "process_start_time_seconds",
			      "Start time of the process since unix epoch in seconds.", "gauge",
			      (double)bt + (double)ps.starttime / (double)tick);
		gauge(b, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge",
		      (double)ps.rss * (double)page);
		gauge(b, "process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge",
		      (double)ps.vsize);
	}
	long fds = open_fds();
	if (fds >= 0)
		gauge(b, "process_open_fds", "Number of open file descriptors.", "gauge", (double)fds);
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		gauge(b, "process_max_fds", "Maximum number of open file descriptors.", "gauge",
		      (double)rl.rlim_cur);
}
