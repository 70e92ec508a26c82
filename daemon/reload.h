/*
 * reload: SIGHUP. Builds a new configuration from the running one's file,
 * validates it, and swaps in the values of the keys the configuration's
 * key table marks reloadable (today [log] level); every other key that
 * changed is named as needing a restart. A file with errors changes
 * nothing. Consume thread only.
 */
#ifndef DISCLOSED_RELOAD_H
#define DISCLOSED_RELOAD_H

#include "config.h"

/* Returns 0 when the new file was taken, -1 when it had errors (logged). */
int reload_config(struct config *running);

#endif
