#include "reload.h"

#include <stdbool.h>

#include "log.h"
#include "notify.h"

static void on_change(void *user, const char *section, const char *key, bool reloadable,
		      const char *running, const char *next)
{
	(void)user;
	if (!reloadable)
		log_warn("reload: \"[%s] %s = %s\" needs a restart to apply (running with "
			 "\"%s\")", section, key, next, running);
}

int reload_config(struct config *running)
{
	char errs[4096];
	int rc = -1;
	notify_reloading();
	struct config *next = config_new();
	int n = config_load(next, running->path, errs, sizeof(errs));
	if (n) {
		log_error("reload of %s failed with %d error(s), keeping the running "
			  "configuration: %s", running->path, n, errs);
		goto out;
	}
	size_t changed = config_changes(running, next, on_change, NULL);
	if (next->log_level != running->log_level)
		log_notice("reload: log level is now %s",
			   log_level_name((enum log_level)next->log_level));
	if (changed == 0)
		log_notice("reload: no change in %s", running->path);
	config_apply_reloadable(running, next);
	log_set_level((enum log_level)running->log_level);
	rc = 0;
out:
	config_free(next);
	notify_ready();
	return rc;
}
