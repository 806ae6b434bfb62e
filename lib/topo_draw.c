/*
 * topo_draw.c: the machine as text: a picture for people and JSON for
 * scripts.
 *
 *	node 0  L3 0: CPUs 0-11
 *	  cpu  [ 0  1] [ 2  3] [ 4  5] [ 6  7] [ 8  9] [10 11]
 *	  vm   [ h  h] [v0  .] [v1  .] [v2 v5] [v3  .] [v4  .]
 *	                               ^^^^^^^
 *
 * A cell is a core, [threads]; E-cores that share an L2 are one cell,
 * {core|core|...}.  With a plan, the second row says who runs on each
 * thread and a core carrying two or more vCPUs is underlined with ^.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pin.h"
#include "strbuf.h"
#include "topo.h"

#define DRAW_WIDTH	72

struct draw {
	const struct topo	*t;
	const struct pin_plan	*plan;
	int			*vcpu;		/* [maxcpu], -1 none */
	int			 w;		/* width of one thread */
	struct strbuf		 row[4];	/* kind, cpu, vm, marks */
	bool			 marks;
};

static void
draw_token(struct draw *dr, const struct topo_core *co, int i)
{
	char buf[16];
	int c, v;

	c = co->cpu[i];
	sb_printf(&dr->row[1], "%*d", dr->w, c);
	if (dr->plan == NULL)
		return;
	v = dr->vcpu[c];
	if (v >= 0)
		snprintf(buf, sizeof(buf), "v%d", v);
	else
		snprintf(buf, sizeof(buf), "%s",
		    topo_set_has(&dr->plan->reserved, c) ? "h" : ".");
	sb_printf(&dr->row[2], "%*s", dr->w, buf);
}

static void
draw_pad(struct draw *dr)
{
	size_t i, n;

	n = dr->row[1].len;
	for (i = 0; i < 4; i++)
		while (dr->row[i].len < n)
			sb_putc(&dr->row[i], ' ');
}

static void
draw_put(struct draw *dr, const char *s)
{

	sb_puts(&dr->row[1], s);
	if (dr->plan != NULL)
		sb_puts(&dr->row[2], s);
}

/* One cell: a core, or the cores [first, last) of an L2 cluster. */
static void
draw_cell(struct draw *dr, int first, int last)
{
	const struct topo_core *co;
	size_t start;
	int c, i, nv;
	char ch;

	draw_pad(dr);
	start = dr->row[1].len;
	co = &dr->t->core[first];
	sb_printf(&dr->row[0], "%s", dr->t->hybrid ?
	    topo_class_name(co->class) : "");
	draw_put(dr, last - first > 1 ? "{" : "[");
	for (c = first; c < last; c++) {
		co = &dr->t->core[c];
		nv = 0;
		for (i = 0; i < co->nthreads; i++) {
			if (i > 0 || c > first)
				draw_put(dr, i > 0 ? " " : "|");
			draw_token(dr, co, i);
			nv += dr->plan != NULL && dr->vcpu[co->cpu[i]] >= 0;
		}
		ch = nv >= 2 ? '^' : ' ';
		dr->marks |= nv >= 2;
		while (dr->row[3].len < start)
			sb_putc(&dr->row[3], ' ');
		while (dr->row[3].len < dr->row[1].len)
			sb_putc(&dr->row[3], ch);
		start = dr->row[1].len;
	}
	draw_put(dr, last - first > 1 ? "}" : "]");
	draw_put(dr, " ");
}

static void
draw_flush(struct draw *dr, struct strbuf *out)
{
	static const char *title[4] = { "    ", "cpu ", "vm  ", "    " };
	int i;

	if (dr->row[1].len == 0)
		return;
	for (i = 0; i < 4; i++) {
		if ((i == 0 && !dr->t->hybrid) || (i == 2 && !dr->plan) ||
		    (i == 3 && !dr->marks)) {
			sb_reset(&dr->row[i]);
			continue;
		}
		while (dr->row[i].len > 0 &&
		    dr->row[i].s[dr->row[i].len - 1] == ' ')
			dr->row[i].s[--dr->row[i].len] = '\0';
		sb_printf(out, "  %s %s\n", title[i], sb_str(&dr->row[i]));
		sb_reset(&dr->row[i]);
	}
	dr->marks = false;
}

static void
draw_l3(struct draw *dr, int l3, struct strbuf *out)
{
	const struct topo *t;
	struct topo_set s;
	size_t cellw;
	int c, e, i, end;

	t = dr->t;
	topo_set_zero(&s);
	end = t->l3[l3].first_core + t->l3[l3].ncores;
	for (c = t->l3[l3].first_core; c < end; c++)
		for (i = 0; i < t->core[c].nthreads; i++)
			topo_set_add(&s, t->core[c].cpu[i]);
	sb_printf(out, "node %d  L3 %d: CPUs ", t->l3[l3].node, l3);
	cpuset_format(&s, out);
	sb_putc(out, '\n');
	for (c = t->l3[l3].first_core; c < end; c = e) {
		e = c + 1;
		if (t->core[c].l2 >= 0)
			while (e < end && t->core[e].l2 == t->core[c].l2)
				e++;
		for (cellw = 2, i = c; i < e; i++)
			cellw += (size_t)t->core[i].nthreads *
			    (size_t)(dr->w + 1);
		if (dr->row[1].len + cellw > DRAW_WIDTH)
			draw_flush(dr, out);
		draw_cell(dr, c, e);
	}
	draw_flush(dr, out);
}

static void
draw_header(const struct topo *t, struct strbuf *out)
{
	int i, ne;

	sb_printf(out, "%d CPUs, %d cores", t->ncpus, t->ncores);
	if (t->max_threads > 1)
		sb_printf(out, " (SMT, up to %d threads per core)",
		    t->max_threads);
	sb_printf(out, ", %d L3 domain%s, %d NUMA node%s\n", t->nl3,
	    t->nl3 == 1 ? "" : "s", t->nnodes, t->nnodes == 1 ? "" : "s");
	if (!t->hybrid)
		return;
	for (ne = 0, i = 0; i < t->ncores; i++)
		ne += t->core[i].class == TOPO_CLASS_E;
	sb_printf(out, "hybrid: %d P-cores, %d E-cores in %d L2 clusters "
	    "{...}\n", t->ncores - ne, ne, t->nl2);
}

void
topo_draw(const struct topo *t, const struct pin_plan *plan,
    struct strbuf *out)
{
	struct draw dr;
	char buf[16];
	int i;

	memset(&dr, 0, sizeof(dr));
	dr.t = t;
	dr.plan = plan;
	dr.w = snprintf(buf, sizeof(buf), "%d", t->maxcpu - 1);
	if (plan != NULL) {
		if ((dr.vcpu = malloc(sizeof(int) * (size_t)t->maxcpu)) ==
		    NULL) {
			out->oom = true;
			return;
		}
		memset(dr.vcpu, 0xff, sizeof(int) * (size_t)t->maxcpu);
		for (i = 0; i < plan->nvcpus; i++)
			if (plan->cpu[i] >= 0 && plan->cpu[i] < t->maxcpu)
				dr.vcpu[plan->cpu[i]] = i;
		i = snprintf(buf, sizeof(buf), "v%d", plan->nvcpus - 1);
		dr.w = i > dr.w ? i : dr.w;
	}
	for (i = 0; i < 4; i++)
		sb_init(&dr.row[i]);
	draw_header(t, out);
	for (i = 0; i < t->nl3; i++)
		draw_l3(&dr, i, out);
	if (plan != NULL)
		sb_printf(out, "vN: vCPU N, h: kept by the host, .: free, "
		    "^: a core carrying two or more vCPUs\n");
	for (i = 0; i < 4; i++)
		sb_free(&dr.row[i]);
	free(dr.vcpu);
}

static void
topo_json_core(const struct topo_core *co, struct json *j)
{
	int i;

	json_obj(j, NULL);
	json_str(j, "class", co->class == TOPO_CLASS_ANY ? NULL :
	    topo_class_name(co->class));
	if (co->l2 >= 0)
		json_int(j, "l2_cluster", co->l2);
	else
		json_null(j, "l2_cluster");
	json_arr(j, "cpus");
	for (i = 0; i < co->nthreads; i++)
		json_int(j, NULL, co->cpu[i]);
	json_end(j);
	json_end(j);
}

void
topo_json(const struct topo *t, struct json *j)
{
	int n, l, c, end;

	json_int(j, "cpus", t->ncpus);
	json_int(j, "cores", t->ncores);
	json_int(j, "max_threads_per_core", t->max_threads);
	json_bool(j, "hybrid", t->hybrid);
	json_int(j, "l2_clusters", t->nl2);
	json_int(j, "mask_words", t->mask_words);
	json_arr(j, "numa_nodes");
	for (n = 0; n < t->nnodes; n++) {
		json_obj(j, NULL);
		json_int(j, "node", n);
		json_arr(j, "l3_domains");
		for (l = t->node[n].first_l3;
		    l < t->node[n].first_l3 + t->node[n].nl3; l++) {
			json_obj(j, NULL);
			json_int(j, "l3", l);
			json_arr(j, "cores");
			end = t->l3[l].first_core + t->l3[l].ncores;
			for (c = t->l3[l].first_core; c < end; c++)
				topo_json_core(&t->core[c], j);
			json_end(j);
			json_end(j);
		}
		json_end(j);
		json_end(j);
	}
	json_end(j);
}
