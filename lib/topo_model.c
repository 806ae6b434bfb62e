/*
 * topo_model.c: from the kernel's scheduling groups to nodes, L3 domains,
 * L2 clusters and cores.
 *
 * A group flagged THREAD/SMT/HTT is one core; a CPU in no such group is a
 * core of one thread.  A group flagged NODE is a NUMA node, a group of
 * cache-level 3 an L3 domain (split by node if it ever spans two).  A
 * non-root group of cache-level 2 that holds two or more cores is an L2
 * cluster; when some cores are in clusters and others are not, the CPU is
 * hybrid: cluster cores are E-cores, the others P-cores.  CPUs outside any
 * NODE or L3 group share one implicit node or L3 domain.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "topo.h"
#include "topo_impl.h"

struct topo_keys {
	int	 core[TOPO_MAXCPU];	/* innermost THREAD group */
	int	 l3[TOPO_MAXCPU];	/* innermost cache-level 3 group */
	int	 node[TOPO_MAXCPU];	/* innermost NODE group */
	int	 l2[TOPO_MAXCPU];	/* innermost non-SMT L2 group */
};

static bool
topo_set_subset(const struct topo_set *a, const struct topo_set *b)
{
	int i;

	for (i = 0; i < TOPO_SETWORDS; i++)
		if ((a->w[i] & ~b->w[i]) != 0)
			return (false);
	return (true);
}

static int
topo_set_common(const struct topo_set *a, const struct topo_set *b)
{
	int i;

	for (i = 0; i < TOPO_SETWORDS; i++)
		if ((a->w[i] & b->w[i]) != 0)
			return (i * 64 + __builtin_ctzll(a->w[i] & b->w[i]));
	return (-1);
}

static void
topo_set_or(struct topo_set *a, const struct topo_set *b)
{
	int i;

	for (i = 0; i < TOPO_SETWORDS; i++)
		a->w[i] |= b->w[i];
}

/* Count and mask are the kernel's redundancy: warn, trust the list. */
static void
topo_crosscheck(const struct topo_raw *raw, const char *file,
    struct diags *d)
{
	const struct topo_group *g;
	int i, n, words;

	words = 0;
	for (i = 0; i < raw->ngroups; i++) {
		g = &raw->g[i];
		n = topo_set_count(&g->cpus);
		if (g->count >= 0 && g->count != n)
			diag_warn(d, file, g->cpu_line, "count=\"%d\" but %d CPUs "
			    "listed; using the list", g->count, n);
		if (!g->has_mask)
			continue;
		if (!topo_set_equal(&g->mask, &g->cpus))
			diag_warn(d, file, g->cpu_line, "mask does not match the "
			    "CPU list; using the list");
		if (words == 0)
			words = g->mask_words;
		else if (g->mask_words != words)
			diag_warn(d, file, g->cpu_line, "mask of %d words, "
			    "earlier masks have %d", g->mask_words, words);
	}
}

/* Children inside their parent, siblings disjoint. */
static int
topo_check_nesting(const struct topo_raw *raw, const char *file,
    struct diags *d)
{
	struct topo_set *kids;
	const struct topo_group *g;
	int i, p, c, rv;

	if ((kids = calloc((size_t)raw->ngroups + 1, sizeof(*kids))) == NULL) {
		diag_err(d, file, 0, "out of memory");
		return (-1);
	}
	rv = 0;
	for (i = 0; i < raw->ngroups && rv == 0; i++) {
		g = &raw->g[i];
		p = g->parent < 0 ? raw->ngroups : g->parent;
		if (g->parent >= 0 &&
		    !topo_set_subset(&g->cpus, &raw->g[g->parent].cpus)) {
			diag_err(d, file, g->line, "group has CPUs that its "
			    "parent group (line %u) does not",
			    raw->g[g->parent].line);
			rv = -1;
		} else if ((c = topo_set_common(&g->cpus, &kids[p])) >= 0) {
			diag_err(d, file, g->line, "CPU %d is in two sibling "
			    "groups", c);
			rv = -1;
		}
		topo_set_or(&kids[p], &g->cpus);
	}
	free(kids);
	return (rv);
}

static void
topo_fill_keys(const struct topo_raw *raw, struct topo_keys *k)
{
	const struct topo_group *g;
	int i, c;

	memset(k, 0xff, sizeof(*k));		/* all -1 */
	for (i = 0; i < raw->ngroups; i++) {
		g = &raw->g[i];
		for (c = topo_set_next(&g->cpus, 0); c >= 0;
		    c = topo_set_next(&g->cpus, c + 1)) {
			if (g->flags & TOPO_GF_THREAD)
				k->core[c] = i;
			if (g->flags & TOPO_GF_NODE)
				k->node[c] = i;
			if (g->cache_level == 3)
				k->l3[c] = i;
			if (g->cache_level == 2 && g->parent >= 0 &&
			    !(g->flags & TOPO_GF_THREAD))
				k->l2[c] = i;
		}
	}
}

/* Cores in CPU order; core.l3 and core.node hold group keys for now. */
static int
topo_build_cores(const struct topo_raw *raw, const struct topo_keys *k,
    const char *file, struct topo *t, struct diags *d)
{
	struct topo_core *co;
	int *gcore, c, idx;

	if ((gcore = malloc(sizeof(int) * ((size_t)raw->ngroups + 1))) == NULL)
		return (-1);
	memset(gcore, 0xff, sizeof(int) * ((size_t)raw->ngroups + 1));
	for (c = topo_set_next(&t->all, 0); c >= 0;
	    c = topo_set_next(&t->all, c + 1)) {
		idx = k->core[c] >= 0 ? gcore[k->core[c]] : -1;
		if (idx < 0) {
			idx = t->ncores++;
			if (k->core[c] >= 0)
				gcore[k->core[c]] = idx;
			co = &t->core[idx];
			co->l3 = k->l3[c];
			co->node = k->node[c];
			co->l2 = k->l2[c];
		}
		co = &t->core[idx];
		if (co->nthreads == TOPO_MAXTHREADS || co->l3 != k->l3[c] ||
		    co->node != k->node[c]) {
			if (co->nthreads == TOPO_MAXTHREADS)
				diag_err(d, file, raw->g[k->core[c]].line,
				    "core with more than %d threads",
				    TOPO_MAXTHREADS);
			else
				diag_err(d, file, raw->g[k->core[c]].line,
				    "threads of one core in different L3 "
				    "groups or nodes");
			free(gcore);
			return (-1);
		}
		co->cpu[co->nthreads++] = c;
		t->cpu_core[c] = idx;
	}
	free(gcore);
	return (0);
}

/*
 * Numbers nodes and L3 domains by their lowest CPU, L3 domains grouped by
 * node; rewrites core.node and core.l3 from group keys to indices.
 */
static int
topo_number_domains(const struct topo_raw *raw, struct topo *t)
{
	int *gnode, *l3key, *l3node, *rank, i, j, n;

	n = raw->ngroups + 1;
	gnode = malloc(sizeof(int) * (size_t)n);
	l3key = malloc(sizeof(int) * (size_t)t->ncores);
	l3node = malloc(sizeof(int) * (size_t)t->ncores);
	rank = malloc(sizeof(int) * (size_t)t->ncores);
	if (gnode == NULL || l3key == NULL || l3node == NULL || rank == NULL) {
		free(gnode), free(l3key), free(l3node), free(rank);
		return (-1);
	}
	memset(gnode, 0xff, sizeof(int) * (size_t)n);
	for (i = 0; i < t->ncores; i++) {
		j = t->core[i].node < 0 ? raw->ngroups : t->core[i].node;
		if (gnode[j] < 0)
			gnode[j] = t->nnodes++;
		t->core[i].node = gnode[j];
		/* L3 domain: (L3 group, node), numbered on first sight. */
		for (j = 0; j < t->nl3; j++)
			if (l3key[j] == t->core[i].l3 &&
			    l3node[j] == t->core[i].node)
				break;
		if (j == t->nl3) {
			l3key[j] = t->core[i].l3;
			l3node[j] = t->core[i].node;
			t->nl3++;
		}
		t->core[i].l3 = j;
	}
	/* Renumber L3 domains node by node. */
	for (n = 0, i = 0; i < t->nnodes; i++)
		for (j = 0; j < t->nl3; j++)
			if (l3node[j] == i)
				rank[j] = n++;
	for (i = 0; i < t->ncores; i++)
		t->core[i].l3 = rank[t->core[i].l3];
	free(gnode), free(l3key), free(l3node), free(rank);
	return (0);
}

static int
topo_core_cmp(const void *a, const void *b)
{
	const struct topo_core *x, *y;

	x = a;
	y = b;
	if (x->l3 != y->l3)
		return (x->l3 < y->l3 ? -1 : 1);
	return (x->cpu[0] < y->cpu[0] ? -1 : x->cpu[0] > y->cpu[0]);
}

/* Sorts cores by domain and fills the node and L3 tables. */
static int
topo_index(struct topo *t)
{
	int i, j;

	qsort(t->core, (size_t)t->ncores, sizeof(*t->core), topo_core_cmp);
	t->l3 = calloc((size_t)t->nl3, sizeof(*t->l3));
	t->node = calloc((size_t)t->nnodes, sizeof(*t->node));
	if (t->l3 == NULL || t->node == NULL)
		return (-1);
	for (i = 0; i < t->ncores; i++) {
		for (j = 0; j < t->core[i].nthreads; j++)
			t->cpu_core[t->core[i].cpu[j]] = i;
		if (t->l3[t->core[i].l3].ncores++ == 0) {
			t->l3[t->core[i].l3].first_core = i;
			t->l3[t->core[i].l3].node = t->core[i].node;
		}
		if (t->core[i].nthreads > t->max_threads)
			t->max_threads = t->core[i].nthreads;
	}
	for (i = t->nl3 - 1; i >= 0; i--) {
		t->node[t->l3[i].node].first_l3 = i;
		t->node[t->l3[i].node].nl3++;
	}
	return (0);
}

/* L2 clusters of two or more cores; hybrid when only some cores are. */
static int
topo_clusters(const struct topo_raw *raw, struct topo *t)
{
	int *ncore, *id, i, g;
	bool lone;

	ncore = calloc((size_t)raw->ngroups, sizeof(int));
	id = malloc(sizeof(int) * (size_t)raw->ngroups);
	if (ncore == NULL || id == NULL) {
		free(ncore), free(id);
		return (-1);
	}
	memset(id, 0xff, sizeof(int) * (size_t)raw->ngroups);
	for (i = 0; i < t->ncores; i++)
		if (t->core[i].l2 >= 0)
			ncore[t->core[i].l2]++;
	lone = false;
	for (i = 0; i < t->ncores; i++) {
		g = t->core[i].l2;
		if (g >= 0 && ncore[g] >= 2) {
			if (id[g] < 0)
				id[g] = t->nl2++;
			t->core[i].l2 = id[g];
		} else {
			t->core[i].l2 = -1;
			lone = true;
		}
	}
	t->hybrid = t->nl2 > 0 && lone;
	for (i = 0; i < t->ncores && t->hybrid; i++)
		t->core[i].class = t->core[i].l2 >= 0 ? TOPO_CLASS_E :
		    TOPO_CLASS_P;
	free(ncore), free(id);
	return (0);
}

int
topo_model(const struct topo_raw *raw, const char *file, struct topo *t,
    struct diags *d)
{
	struct topo_keys *k;
	int i, rv;

	topo_crosscheck(raw, file, d);
	if (topo_check_nesting(raw, file, d) != 0)
		return (-1);
	for (i = 0; i < raw->ngroups; i++)
		if (raw->g[i].parent < 0)
			topo_set_or(&t->all, &raw->g[i].cpus);
	if ((t->ncpus = topo_set_count(&t->all)) == 0) {
		diag_err(d, file, raw->g[0].line, "no CPUs in the topology");
		return (-1);
	}
	for (i = 0; i < TOPO_MAXCPU; i++)
		if (topo_set_has(&t->all, i))
			t->maxcpu = i + 1;
	t->mask_words = raw->g[0].has_mask ? raw->g[0].mask_words : 0;
	k = malloc(sizeof(*k));
	t->cpu_core = malloc(sizeof(int) * (size_t)t->maxcpu);
	t->core = calloc((size_t)t->ncpus, sizeof(*t->core));
	if (k == NULL || t->cpu_core == NULL || t->core == NULL) {
		free(k);
		diag_err(d, file, 0, "out of memory");
		return (-1);
	}
	memset(t->cpu_core, 0xff, sizeof(int) * (size_t)t->maxcpu);
	topo_fill_keys(raw, k);
	rv = topo_build_cores(raw, k, file, t, d);
	free(k);
	if (rv != 0)
		return (-1);
	if (topo_number_domains(raw, t) != 0 || topo_index(t) != 0 ||
	    topo_clusters(raw, t) != 0) {
		diag_err(d, file, 0, "out of memory");
		return (-1);
	}
	return (0);
}
