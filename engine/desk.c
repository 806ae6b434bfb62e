/*
 * desk.c: where a desktop VM's guest is (issue 18): its addresses from
 * the host's neighbour tables ("arp -an", "ndp -an", freebsd.md#A1, A2)
 * by the MACs of its nets (freebsd.md#A3), and, with remote=sunshine,
 * whether Sunshine answers there: the supervisor probes while bhyve runs
 * (desk_supervise_tick) and keeps the answer in RUNDIR/NAME.remote,
 * which status reads (eng_guest_addrs).
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "util.h"

#define PROBE_MS	300

static int
remote_path(struct host *h, const struct vm *vm, char *buf, size_t len)
{

	return ((size_t)snprintf(buf, len, "%s/%s.remote", h->rundir,
	    vm->name) < len ? 0 : ENAMETOOLONG);
}

/* What the supervisor found, if it is recent enough. */
static void
probe_result(struct host *h, const struct vm *vm, bool running,
    struct guest_addrs *g)
{
	char path[PATH_MAX], *buf, *p, *line;
	long long t, now;
	size_t len;

	g->age = -1;
	if (!running) {
		g->probe_why = "the VM does not run";
		return;
	}
	g->probe_why = "not probed yet (the supervisor probes every "
	    "15 s while the VM runs)";
	if (remote_path(h, vm, path, sizeof(path)) != 0 ||
	    h->ops->st_read(h, path, 4096, &buf, &len) != 0)
		return;
	t = -1;
	for (p = buf; (line = strsep(&p, "\n")) != NULL;) {
		if (strncmp(line, "time=", 5) == 0 &&
		    util_strtonum(line + 5, 0, INT64_MAX, &t) != 0)
			t = -1;
		else if (strncmp(line, "address=", 8) == 0)
			(void)strlcpy(g->probed, line + 8, sizeof(g->probed));
		else if (strncmp(line, "answers=", 8) == 0)
			g->answers = strcmp(line + 8, "yes") == 0 ? 1 :
			    strcmp(line + 8, "no") == 0 ? 0 : -1;
		else if (strncmp(line, "why=", 4) == 0)
			(void)strlcpy(g->why, line + 4, sizeof(g->why));
	}
	free(buf);
	/* A result older than a few rounds is a supervisor's that ended. */
	now = (long long)(h->ops->wall(h) / 1000);
	if (t < 0 || now - t > 4 * DESK_PROBE_S) {
		g->answers = -1;
		return;
	}
	g->age = now - t;
	if (g->answers < 0 && g->why[0] != '\0')
		g->probe_why = g->why;
}

static bool
guest_mac(const struct vm *vm, const uint8_t *mac)
{
	size_t i;

	for (i = 0; i < vm->ndev; i++)
		if (vm->dev[i].kind == VMD_NET &&
		    memcmp(vm->dev[i].mac, mac, 6) == 0)
			return (true);
	return (false);
}

void
eng_guest_addrs(struct host *h, const struct vm *vm, bool running,
    struct guest_addrs *g)
{
	struct diags d;
	size_t len, i, k;
	char *s;

	memset(g, 0, sizeof(*g));
	neigh_init(&g->nl);
	g->v4 = -1;
	g->answers = -1;
	diags_init(&d);
	if (h->ops->tool_output(h, HT_ARP, &s, &len) == 0) {
		g->have_arp = neigh_parse_arp(s, len, "arp -an", &g->nl,
		    &d) == 0;
		free(s);
	}
	if (h->ops->tool_output(h, HT_NDP, &s, &len) == 0) {
		g->have_ndp = neigh_parse_ndp(s, len, "ndp -an", &g->nl,
		    &d) == 0;
		free(s);
	}
	diags_free(&d);
	/*
	 * Only the guest's entries, never the host's own (permanent), in the
	 * tables' order; none for a VM that does not run (a stale entry).
	 */
	for (i = k = 0; running && i < g->nl.count; i++)
		if (!g->nl.n[i].permanent && guest_mac(vm, g->nl.n[i].mac))
			g->nl.n[k++] = g->nl.n[i];
	g->nl.count = k;
	for (i = 0; i < g->nl.count; i++)
		if (!g->nl.n[i].v6 && g->v4 < 0)
			g->v4 = (int)i;
	if (vm->remote == VM_REMOTE_SUNSHINE)
		probe_result(h, vm, running, g);
}

void
eng_guest_addrs_free(struct guest_addrs *g)
{

	neigh_free(&g->nl);
}

/*
 * The supervisor probes: the guest's own IPv4 address only, for at most
 * PROBE_MS, every DESK_PROBE_S seconds while bhyve runs.  The answer goes
 * to RUNDIR/NAME.remote: "time=T", "address=A", "answers=yes|no|unknown",
 * "why=..." lines.
 */
void
desk_supervise_tick(struct host *h, const struct vm *vm, int64_t now,
    int64_t *next)
{
	struct guest_addrs g;
	char path[PATH_MAX], buf[512];
	const char *why;
	int open, e, n;

	if (vm->remote != VM_REMOTE_SUNSHINE || now < *next)
		return;
	*next = now + DESK_PROBE_S * 1000;
	eng_guest_addrs(h, vm, true, &g);
	open = -1;
	why = NULL;
	if (g.v4 < 0)
		why = "the guest's address is not known yet";
	else if ((e = h->ops->tcp_probe(h, g.nl.n[g.v4].addr,
	    DESK_SUNSHINE_PORT, PROBE_MS, &open)) != 0) {
		open = -1;
		why = e == ENOENT && h->dir != NULL ? "not captured "
		    "(DIR/reach.txt)" : sys_strerror(e);
	}
	n = snprintf(buf, sizeof(buf), "time=%lld\naddress=%s\nanswers=%s\n"
	    "why=%s\n", (long long)(h->ops->wall(h) / 1000), g.v4 >= 0 ?
	    g.nl.n[g.v4].addr : "", open == 1 ? "yes" : open == 0 ? "no" :
	    "unknown", why != NULL ? why : "");
	if (remote_path(h, vm, path, sizeof(path)) == 0 && n > 0 &&
	    (size_t)n < sizeof(buf))
		(void)h->ops->st_write(h, path, buf, (size_t)n, 0644, 0);
	eng_guest_addrs_free(&g);
}
