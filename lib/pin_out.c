/*
 * pin_out.c: a pin plan as bhyve flags, bhyve configuration, JSON, and
 * the cpuset(1) runs that isolate the host from it.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pin.h"
#include "strbuf.h"
#include "topo.h"

/* "-p 0:2 -p 1:4": bhyve takes -p vcpu:hostcpu, one flag per vCPU. */
void
pin_bhyve_flags(const struct pin_plan *p, struct strbuf *sb)
{
	int i;

	for (i = 0; i < p->nvcpus; i++)
		sb_printf(sb, "%s-p %d:%d", i > 0 ? " " : "", i, p->cpu[i]);
}

/* bhyve_config(5) lines: the topology, then vcpu.N.cpuset. */
void
pin_config(const struct pin_plan *p, struct strbuf *sb)
{
	int i;

	sb_printf(sb, "cpus=%d\nsockets=%d\ncores=%d\nthreads=%d\n",
	    p->nvcpus, p->sockets, p->cores, p->threads);
	for (i = 0; i < p->nvcpus; i++)
		sb_printf(sb, "vcpu.%d.cpuset=%d\n", i, p->cpu[i]);
}

static void
pin_json_set(struct json *j, const char *key, const struct topo_set *s)
{
	int c;

	json_arr(j, key);
	for (c = topo_set_next(s, 0); c >= 0; c = topo_set_next(s, c + 1))
		json_int(j, NULL, c);
	json_end(j);
}

void
pin_json(const struct pin_plan *p, struct json *j, const char *key)
{
	int i;

	json_obj(j, key);
	json_int(j, "vcpus", p->nvcpus);
	json_str(j, "policy", pin_policy_name(p->policy));
	json_arr(j, "pins");
	for (i = 0; i < p->nvcpus; i++) {
		json_obj(j, NULL);
		json_int(j, "vcpu", i);
		json_int(j, "cpu", p->cpu[i]);
		json_end(j);
	}
	json_end(j);
	json_obj(j, "guest");
	json_int(j, "sockets", p->sockets);
	json_int(j, "cores", p->cores);
	json_int(j, "threads", p->threads);
	json_end(j);
	pin_json_set(j, "reserved", &p->reserved);
	json_int(j, "l3_domains", p->m.l3_domains);
	json_int(j, "numa_nodes", p->m.numa_nodes);
	json_int(j, "shared_cores", p->m.shared_cores);
	json_end(j);
}

static char *
pin_list_str(const struct topo_set *s)
{
	struct strbuf sb;

	sb_init(&sb);
	cpuset_format(s, &sb);
	if (sb.oom) {
		sb_free(&sb);
		return (NULL);
	}
	return (sb.s != NULL ? sb.s : strdup(""));
}

/*
 * cpuset(1): "cpuset -l HOST -s 1" moves every process of the default
 * set (all of userland) to the host's CPUs (freebsd.md C4), "cpuset -c -l
 * VM bhyve ..." starts bhyve in a new set, made under the root and so
 * not bound by set 1, restricted to the VM's CPUs, where every vCPU pin
 * lies (C2, C5), and "cpuset -l ALL -s 1" gives the host everything
 * back.
 */
int
pin_isolate(const struct topo *t, const struct pin_plan *p,
    struct pin_isolation *iso, struct diags *d)
{
	struct topo_set all;
	int i;

	memset(iso, 0, sizeof(*iso));
	all = t->all;
	iso->vm = p->used;
	iso->host = t->all;
	for (i = 0; i < p->nvcpus; i++)
		topo_set_del(&iso->host, p->cpu[i]);
	if (topo_set_count(&iso->host) == 0) {
		diag_err(d, NULL, 0, "the VM uses every CPU; nothing is left "
		    "to isolate the host on");
		return (-1);
	}
	iso->lists[0] = pin_list_str(&iso->host);
	iso->lists[1] = pin_list_str(&iso->vm);
	iso->lists[2] = pin_list_str(&all);
	if (iso->lists[0] == NULL || iso->lists[1] == NULL ||
	    iso->lists[2] == NULL) {
		pin_isolation_free(iso);
		diag_err(d, NULL, 0, "out of memory");
		return (-1);
	}
	iso->apply[0] = iso->launch[0] = iso->undo[0] = "cpuset";
	iso->apply[1] = iso->undo[1] = "-l";
	iso->apply[2] = iso->lists[0];
	iso->undo[2] = iso->lists[2];
	iso->apply[3] = iso->undo[3] = "-s";
	iso->apply[4] = iso->undo[4] = "1";
	iso->launch[1] = "-c";
	iso->launch[2] = "-l";
	iso->launch[3] = iso->lists[1];
	return (0);
}

char *const *
pin_launch_prefix(const struct topo *t, const struct pin_plan *p,
    bool isolate, struct pin_isolation *iso)
{
	struct diags d;
	int rv;

	if (!isolate || t == NULL || p == NULL)
		return (NULL);
	diags_init(&d);
	rv = pin_isolate(t, p, iso, &d);
	diags_free(&d);
	return (rv == 0 ? iso->launch : NULL);
}

void
pin_isolation_free(struct pin_isolation *iso)
{
	int i;

	for (i = 0; i < 3; i++)
		free(iso->lists[i]);
	memset(iso, 0, sizeof(*iso));
}
