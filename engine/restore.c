/*
 * restore.c: "host restore": what crashed supervisors left behind.
 */
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "util.h"

struct rrun {
	struct eng	*eng;
	eng_report_fn	*fn;
	void		*arg;
	const char	*name;
};

static void
life_say(void *arg, enum diag_level lvl, const char *msg)
{
	struct rrun *r = arg;

	if (lvl == DIAG_NOTE && r->fn != NULL)
		r->fn(r->arg, r->name, lvl, msg);
	else if (lvl != DIAG_NOTE)
		diag_add(r->eng->diags, lvl, NULL, 0, "%s: %s", r->name, msg);
}

int
eng_host_restore(struct eng *eng, bool unbind, bool *anyp, eng_report_fn *fn,
    void *arg)
{
	struct life_paths p;
	struct host *h;
	struct host_stat hs;
	struct rrun r;
	char **names, line[256];
	size_t n, i, k;
	bool any;
	int spid, failed, rv, undone;

	*anyp = false;
	if (eng_host(eng, &h) != 0)
		return (-1);
	if (h->ops->st_list(h, h->rundir, &names, &n) != 0)
		return (0);
	r.eng = eng;
	r.fn = fn;
	r.arg = arg;
	failed = 0;
	any = false;
	for (i = 0; i < n; i++) {
		k = strlen(names[i]);
		if (k > 7 && strcmp(names[i] + k - 7, ".status") == 0)
			names[i][k - 7] = '\0';
		else if (k > 5 && strcmp(names[i] + k - 5, ".undo") == 0)
			names[i][k - 5] = '\0';
		else
			continue;
		if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
			continue;	/* NAME.status after NAME.undo */
		if (!vm_name_ok(names[i]) || life_paths(h, names[i], &p) != 0)
			continue;
		r.name = names[i];
		if (life_supervisor(&p, &spid)) {
			(void)snprintf(line, sizeof(line), "supervised by pid "
			    "%d; left alone", spid);
			life_say(&r, DIAG_NOTE, line);
			continue;
		}
		rv = life_recover(eng, h, names[i], unbind, &undone, life_say,
		    &r);
		any |= rv > 0;
		if (rv == 2) {
			/* Its journal is what the running guest still uses. */
			(void)snprintf(line, sizeof(line), "left alone: bhyve "
			    "still runs; ptvm stop %s, then ptvm host restore",
			    names[i]);
			life_say(&r, DIAG_NOTE, line);
			continue;
		}
		/* Once: recovering may have undone it (or said why not). */
		if (undone >= 0)
			failed += undone;
		else if (h->ops->st_stat(h, p.undo, &hs) == 0) {
			any = true;
			failed += undo_restore(eng, h, names[i], unbind,
			    life_say, &r);
		}
	}
	host_names_free(names, n);
	*anyp = any;
	return (failed);
}
