/*
 * topo_gen.h: synthetic kern.sched.topology_spec in the exact format of
 * sys/kern/subr_smp.c: one space of indent per level plus one for the
 * group's lines, level = 1 + indent / 2, masks as "%lx" words separated
 * by commas (least significant first), CPU lists as "0, 1, 2", groups of
 * one CPU left out, flags only when set.  Shared by the topo and pin
 * tests.
 */
#ifndef PTVM_TOPO_GEN_H
#define PTVM_TOPO_GEN_H

#include "compat.h"

#include <string.h>

#include "strbuf.h"
#include "topo.h"

struct gen_shape {
	const char	*name;
	int		 nodes;		/* NUMA nodes; 1: no NODE group */
	int		 l3;		/* L3 domains per node */
	int		 cores;		/* P (or only) cores per L3 */
	int		 smt;		/* threads per such core */
	int		 eclusters;	/* E clusters per L3 */
	int		 ecores;	/* E-cores per cluster */
	bool		 split;		/* siblings numbered i and i + N/2 */
	int		 words;		/* mask words: 2, 4 or 16 */
};

#define GEN_F_THREAD	0x1
#define GEN_F_NODE	0x2

static __unused int
gen_ncpus(const struct gen_shape *s)
{

	return (s->nodes * s->l3 * (s->cores * s->smt +
	    s->eclusters * s->ecores));
}

/* CPU of thread t of P-core k (global), or of E-core e when t < 0. */
static __unused int
gen_cpu(const struct gen_shape *s, int k, int t)
{
	int pc;

	pc = s->nodes * s->l3 * s->cores;
	if (t < 0)
		return (pc * s->smt + k);
	return (s->split ? t * pc + k : k * s->smt + t);
}

static __unused void
gen_open(struct strbuf *sb, const struct gen_shape *s, int indent,
    int cl, const struct topo_set *cpus, unsigned flags, bool kids)
{
	int c, i;
	bool first;

	sb_printf(sb, "%*s<group level=\"%d\" cache-level=\"%d\">\n", indent,
	    "", 1 + indent / 2, cl);
	sb_printf(sb, "%*s <cpu count=\"%d\" mask=\"", indent, "",
	    topo_set_count(cpus));
	for (i = 0; i < s->words; i++)
		sb_printf(sb, "%s%lx", i > 0 ? "," : "",
		    (unsigned long)cpus->w[i]);
	sb_puts(sb, "\">");
	first = true;
	for (c = topo_set_next(cpus, 0); c >= 0; c = topo_set_next(cpus, c + 1)) {
		sb_printf(sb, "%s%d", first ? "" : ", ", c);
		first = false;
	}
	sb_puts(sb, "</cpu>\n");
	if (flags != 0) {
		sb_printf(sb, "%*s <flags>", indent, "");
		if (flags & GEN_F_THREAD)
			sb_puts(sb, "<flag name=\"THREAD\">THREAD group</flag>"
			    "<flag name=\"SMT\">SMT group</flag>");
		if (flags & GEN_F_NODE)
			sb_puts(sb, "<flag name=\"NODE\">NUMA node</flag>");
		sb_puts(sb, "</flags>\n");
	}
	if (kids)
		sb_printf(sb, "%*s <children>\n", indent, "");
}

static __unused void
gen_close(struct strbuf *sb, int indent, bool kids)
{

	if (kids)
		sb_printf(sb, "%*s </children>\n", indent, "");
	sb_printf(sb, "%*s</group>\n", indent, "");
}

/* The CPUs of L3 domain l (global index), and its groups. */
static __unused void
gen_l3_set(const struct gen_shape *s, int l, struct topo_set *set)
{
	int k, t, e;

	topo_set_zero(set);
	for (k = l * s->cores; k < (l + 1) * s->cores; k++)
		for (t = 0; t < s->smt; t++)
			topo_set_add(set, gen_cpu(s, k, t));
	for (e = l * s->eclusters * s->ecores;
	    e < (l + 1) * s->eclusters * s->ecores; e++)
		topo_set_add(set, gen_cpu(s, e, -1));
}

static __unused void
gen_l3_kids(struct strbuf *sb, const struct gen_shape *s, int l, int indent)
{
	struct topo_set set;
	int k, t, e, j;

	for (k = l * s->cores; k < (l + 1) * s->cores && s->smt > 1; k++) {
		topo_set_zero(&set);
		for (t = 0; t < s->smt; t++)
			topo_set_add(&set, gen_cpu(s, k, t));
		gen_open(sb, s, indent, 2, &set, GEN_F_THREAD, false);
		gen_close(sb, indent, false);
	}
	for (j = 0; j < s->eclusters && s->ecores > 1; j++) {
		topo_set_zero(&set);
		for (e = 0; e < s->ecores; e++)
			topo_set_add(&set, gen_cpu(s, (l * s->eclusters + j) *
			    s->ecores + e, -1));
		gen_open(sb, s, indent, 2, &set, 0, false);
		gen_close(sb, indent, false);
	}
}

static __unused bool
gen_l3_has_kids(const struct gen_shape *s)
{

	return ((s->smt > 1 && s->cores > 0) ||
	    (s->eclusters > 0 && s->ecores > 1));
}

/* A node: the L3 groups, or the node is the L3 group when it has one. */
static __unused void
gen_node(struct strbuf *sb, const struct gen_shape *s, int n, int indent,
    unsigned flags)
{
	struct topo_set set, one;
	int l, i;
	bool kids;

	topo_set_zero(&set);
	for (l = n * s->l3; l < (n + 1) * s->l3; l++) {
		gen_l3_set(s, l, &one);
		for (i = 0; i < TOPO_SETWORDS; i++)
			set.w[i] |= one.w[i];
	}
	if (s->l3 == 1) {
		kids = gen_l3_has_kids(s);
		/* One core only: the kernel flags the group itself. */
		if (s->cores == 1 && s->eclusters == 0 && s->smt > 1) {
			flags |= GEN_F_THREAD;
			kids = false;
		}
		gen_open(sb, s, indent, 3, &set, flags, kids);
		if (kids)
			gen_l3_kids(sb, s, n, indent + 2);
		gen_close(sb, indent, kids);
		return;
	}
	gen_open(sb, s, indent, 0, &set, flags, true);
	kids = gen_l3_has_kids(s);
	for (l = n * s->l3; l < (n + 1) * s->l3; l++) {
		gen_l3_set(s, l, &one);
		gen_open(sb, s, indent + 2, 3, &one, 0, kids);
		gen_l3_kids(sb, s, l, indent + 4);
		gen_close(sb, indent + 2, kids);
	}
	gen_close(sb, indent, true);
}

/* The whole document; sb must be initialised. */
static __unused void
gen_topology(struct strbuf *sb, const struct gen_shape *s)
{
	struct topo_set all;
	int n, c;

	sb_puts(sb, "<groups>\n");
	if (s->nodes == 1)
		gen_node(sb, s, 0, 1, 0);
	else {
		topo_set_zero(&all);
		for (c = 0; c < gen_ncpus(s); c++)
			topo_set_add(&all, c);
		gen_open(sb, s, 1, 0, &all, 0, true);
		for (n = 0; n < s->nodes; n++)
			gen_node(sb, s, n, 3, GEN_F_NODE);
		gen_close(sb, 1, true);
	}
	sb_puts(sb, "</groups>\n");
}

/* Every machine shape of issue 4. */
static const struct gen_shape gen_shapes[] __unused = {
	{ "desktop-6c12t", 1, 1, 6, 2, 0, 0, false, 16 },
	{ "ryzen-2ccd-8c16t", 1, 2, 4, 2, 0, 0, false, 16 },
	{ "ryzen-2ccd-16c32t", 1, 2, 8, 2, 0, 0, false, 16 },
	{ "threadripper-4l3-16c32t", 1, 4, 4, 2, 0, 0, false, 16 },
	{ "epyc-8l3-nosmt", 1, 8, 4, 1, 0, 0, false, 16 },
	{ "dual-socket-smt", 2, 1, 4, 2, 0, 0, false, 16 },
	{ "dual-socket-2l3-smt", 2, 2, 2, 2, 0, 0, false, 16 },
	{ "quad-node-smt", 4, 1, 4, 2, 0, 0, false, 16 },
	{ "dual-socket-nosmt", 2, 1, 6, 1, 0, 0, false, 16 },
	{ "hybrid-6p8e-smt", 1, 1, 6, 2, 2, 4, false, 16 },
	{ "hybrid-4p8e-nosmt", 1, 1, 4, 1, 2, 4, false, 16 },
	{ "hybrid-2p8e-smt-split", 1, 1, 2, 2, 2, 4, true, 16 },
	{ "flat-8-nosmt", 1, 1, 8, 1, 0, 0, false, 2 },
	{ "split-8c16t", 1, 1, 8, 2, 0, 0, true, 4 },
	{ "split-2ccd-8c16t", 1, 2, 4, 2, 0, 0, true, 16 },
	{ "single-core-smt", 1, 1, 1, 2, 0, 0, false, 16 },
};

static const struct gen_shape gen_big __unused =
	{ "epyc-1024", 4, 8, 16, 2, 0, 0, false, 16 };

#endif /* PTVM_TOPO_GEN_H */
