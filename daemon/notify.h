/*
 * notify: the service manager protocol (sd_notify). Every call is a no-op
 * when not started by systemd (no NOTIFY_SOCKET), so call sites stay clean.
 */
#ifndef DISCLOSED_NOTIFY_H
#define DISCLOSED_NOTIFY_H

#include <stdint.h>

void notify_ready(void);
void notify_stopping(void);
void notify_reloading(void);
/* STATUS=<line>, shown by systemctl status. */
void notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* WATCHDOG=1. */
void notify_watchdog(void);
/* The watchdog interval the manager asked for, in microseconds; 0 if none. */
uint64_t notify_watchdog_usec(void);

#endif
