/*
 * pin.c: the vCPU pinning planner (rules in pin.h).
 *
 * The plan is made in three steps.  The best value of rule 2 is known in
 * closed form from the usable threads of each core.  Then the smallest
 * set of NUMA nodes, and inside it of L3 domains, that can still reach
 * that value is searched: every subset of nodes when there are at most
 * PIN_EXACT_NODES of them, the largest L3 domains first inside.  Last,
 * cores are taken inside those domains, P-cores and fullest E clusters
 * first, lowest CPU numbers breaking ties.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pin.h"
#include "topo.h"

#define PIN_EXACT_NODES	12

struct pin_unit {			/* an L3 domain */
	int	 hist[TOPO_MAXTHREADS + 1];	/* cores by usable threads */
	int	 free;			/* cores with a usable thread */
	int	 pcores;		/* of them, not E-cores */
};

struct pin_state {
	const struct topo	*t;
	const struct pin_req	*req;
	struct pin_plan		*plan;
	int			 n;
	int			 usable[TOPO_MAXCPU];	/* per core */
	int			 cfree[TOPO_MAXCPU];	/* per L2 cluster */
	struct pin_unit		*u;
	int			 nfree;		/* free cores, whole host */
	int			 cstar;		/* cores policy: fewest cores */
	int			 uorder[TOPO_MAXCPU];	/* L3s, best first */
	int			 sel[TOPO_MAXCPU];	/* chosen L3 domains */
	int			 nsel;
	int			 rank[TOPO_MAXCPU];	/* per L3, -1 unused */
	int			 take[TOPO_MAXCPU];	/* vCPUs per core */
	int			 order[TOPO_MAXCPU];	/* cores, taken order */
	int			 norder;
};

int
pin_policy_parse(const char *s, enum pin_policy *p)
{

	if (strcmp(s, "threads") == 0)
		*p = PIN_THREADS;
	else if (strcmp(s, "cores") == 0)
		*p = PIN_CORES;
	else
		return (-1);
	return (0);
}

const char *
pin_policy_name(enum pin_policy p)
{

	return (p == PIN_CORES ? "cores" : "threads");
}

/* Rule 1: the reserved CPUs, checked against the host. */
static int
pin_reserve(struct pin_state *st, struct diags *d)
{
	const struct topo *t;
	const struct topo_core *co;
	int c, i;

	t = st->t;
	topo_set_zero(&st->plan->reserved);
	if (st->req->reserve_set) {
		for (c = topo_set_next(&st->req->reserve, 0); c >= 0;
		    c = topo_set_next(&st->req->reserve, c + 1)) {
			if (!topo_set_has(&t->all, c)) {
				diag_err(d, NULL, 0, "--reserve: CPU %d does "
				    "not exist (this host has CPUs 0-%d)", c,
				    t->maxcpu - 1);
				return (-1);
			}
		}
		st->plan->reserved = st->req->reserve;
	} else if (st->n < t->ncores) {
		co = topo_cpu_core(t, topo_set_next(&t->all, 0));
		for (i = 0; i < co->nthreads; i++)
			topo_set_add(&st->plan->reserved, co->cpu[i]);
	}
	return (0);
}

static int
pin_threadrank(const struct topo_core *co)
{

	return (co->class == TOPO_CLASS_E ? 1 : 0);
}

/* Usable threads per core and per L3 domain. */
static int
pin_count(struct pin_state *st, struct diags *d)
{
	const struct topo *t;
	const struct topo_core *co;
	int i, j, total;

	t = st->t;
	total = 0;
	for (i = 0; i < t->ncores; i++) {
		co = &t->core[i];
		for (j = 0; j < co->nthreads; j++)
			if (!topo_set_has(&st->plan->reserved, co->cpu[j]))
				st->usable[i]++;
		st->u[co->l3].hist[st->usable[i]]++;
		if (st->usable[i] > 0) {
			st->nfree++;
			st->u[co->l3].free++;
			st->u[co->l3].pcores += pin_threadrank(co) == 0;
			if (co->l2 >= 0)
				st->cfree[co->l2]++;
		}
		total += st->usable[i];
	}
	if (total == 0) {
		diag_err(d, NULL, 0, "the reserved CPUs leave none for the VM");
		return (-1);
	}
	if (st->n > total) {
		diag_err(d, NULL, 0, "%d vCPUs, but only %d of the host's %d "
		    "CPUs are usable (%d reserved)", st->n, total, t->ncpus,
		    topo_set_count(&st->plan->reserved));
		return (-1);
	}
	return (0);
}

/* Fewest cores that hold n vCPUs, from a histogram of capacities. */
static int
pin_fewest_cores(const int *hist, int n)
{
	int k, cores, take;

	cores = 0;
	for (k = TOPO_MAXTHREADS; k > 0 && n > 0; k--) {
		take = (n + k - 1) / k;
		if (take > hist[k])
			take = hist[k];
		cores += take;
		n -= take * k;
	}
	return (n > 0 ? -1 : cores);
}

struct pin_acc {
	int	 hist[TOPO_MAXTHREADS + 1];
	int	 nfree;
};

static void
pin_acc_add(struct pin_acc *acc, const struct pin_unit *u)
{
	int k;

	acc->nfree += u->free;
	for (k = 1; k <= TOPO_MAXTHREADS; k++)
		acc->hist[k] += u->hist[k];
}

/* Do the domains summed in acc reach the best value of rule 2? */
static bool
pin_acc_ok(const struct pin_state *st, const struct pin_acc *acc)
{
	int k;

	if (st->req->policy == PIN_THREADS)
		return (st->n <= st->nfree ? acc->nfree >= st->n :
		    acc->nfree == st->nfree);
	k = pin_fewest_cores(acc->hist, st->n);
	return (k >= 0 && k <= st->cstar);
}

/* Larger domains first: more of the policy's resource, more P-cores. */
static int
pin_unit_cmp(const struct pin_state *st, const struct pin_unit *x,
    const struct pin_unit *y, int a, int b)
{
	int k;

	if (st->req->policy == PIN_CORES) {
		for (k = TOPO_MAXTHREADS; k > 0; k--)
			if (x->hist[k] != y->hist[k])
				return (x->hist[k] > y->hist[k] ? -1 : 1);
	} else if (x->free != y->free)
		return (x->free > y->free ? -1 : 1);
	if (x->pcores != y->pcores)
		return (x->pcores > y->pcores ? -1 : 1);
	return (a < b ? -1 : a > b);
}

static int
pin_unit_qcmp(const void *a, const void *b, void *arg)
{

	const struct pin_state *st;
	int x, y;

	st = arg;
	x = *(const int *)a;
	y = *(const int *)b;
	return (pin_unit_cmp(st, &st->u[x], &st->u[y], x, y));
}

/* Sorts the L3 domains once, best first (insertion sort, stable). */
static void
pin_sort_units(struct pin_state *st)
{
	int i, j, v;

	for (i = 0; i < st->t->nl3; i++) {
		v = i;
		for (j = i; j > 0 &&
		    pin_unit_qcmp(&v, &st->uorder[j - 1], st) < 0; j--)
			st->uorder[j] = st->uorder[j - 1];
		st->uorder[j] = v;
	}
}

/*
 * The best L3 domains of the nodes marked in nodes (all when NULL) that
 * reach the best value of rule 2: their number, or -1.
 */
static int
pin_units_of(const struct pin_state *st, const bool *nodes, int *list)
{
	struct pin_acc acc;
	int i, n, u;

	memset(&acc, 0, sizeof(acc));
	n = 0;
	for (i = 0; i < st->t->nl3; i++) {
		u = st->uorder[i];
		if (st->u[u].free == 0 ||
		    (nodes != NULL && !nodes[st->t->l3[u].node]))
			continue;
		list[n++] = u;
		pin_acc_add(&acc, &st->u[u]);
		if (pin_acc_ok(st, &acc))
			return (n);
	}
	return (-1);
}

/* More than PIN_EXACT_NODES nodes: the largest nodes first. */
static int
pin_nodes_greedy(struct pin_state *st)
{
	struct pin_unit *nu;
	bool *nodes;
	int *ord, i, j, v, m;

	nu = calloc((size_t)st->t->nnodes, sizeof(*nu));
	ord = calloc((size_t)st->t->nnodes, sizeof(*ord));
	nodes = calloc((size_t)st->t->nnodes, sizeof(*nodes));
	if (nu == NULL || ord == NULL || nodes == NULL) {
		free(nu), free(ord), free(nodes);
		return (-1);
	}
	for (i = 0; i < st->t->nl3; i++) {
		v = st->t->l3[i].node;
		nu[v].free += st->u[i].free;
		nu[v].pcores += st->u[i].pcores;
		for (j = 0; j <= TOPO_MAXTHREADS; j++)
			nu[v].hist[j] += st->u[i].hist[j];
	}
	for (i = 0; i < st->t->nnodes; i++) {
		for (j = i; j > 0 && pin_unit_cmp(st, &nu[i], &nu[ord[j - 1]],
		    i, ord[j - 1]) < 0; j--)
			ord[j] = ord[j - 1];
		ord[j] = i;
	}
	m = -1;
	for (i = 0; i < st->t->nnodes && m < 0; i++) {
		nodes[ord[i]] = true;
		m = pin_units_of(st, nodes, st->sel);
	}
	free(nu), free(ord), free(nodes);
	return (m);
}

/* Free cores in the domains of list: the larger, the better on a tie. */
static int
pin_room(const struct pin_state *st, const int *list, int n)
{
	int i, room;

	for (room = 0, i = 0; i < n; i++)
		room += st->u[list[i]].free;
	return (room);
}

/*
 * Rule 3: fewest nodes, then fewest L3 domains; between equals, the most
 * free cores (away from the host's), then the lowest nodes.  Fills
 * st->sel.
 */
static int
pin_choose_units(struct pin_state *st)
{
	bool nodes[PIN_EXACT_NODES];
	int list[TOPO_MAXCPU], k, m, best, i, room;
	unsigned mask;

	best = -1;
	room = 0;
	if (st->t->nnodes > PIN_EXACT_NODES)
		return (st->nsel = pin_nodes_greedy(st));
	for (k = 1; k <= st->t->nnodes && best < 0; k++) {
		for (mask = 1; mask < 1U << st->t->nnodes; mask++) {
			if (__builtin_popcount(mask) != k)
				continue;
			for (i = 0; i < st->t->nnodes; i++)
				nodes[i] = (mask >> i) & 1;
			m = pin_units_of(st, nodes, list);
			if (m <= 0 || (best >= 0 && (m > best || (m == best &&
			    pin_room(st, list, m) <= room))))
				continue;
			best = m;
			room = pin_room(st, list, m);
			memcpy(st->sel, list, sizeof(int) * (size_t)m);
		}
	}
	return (st->nsel = best);
}

struct pin_key {
	int	 k[5];
	int	 core;
};

static int
pin_key_cmp(const void *a, const void *b)
{
	const struct pin_key *x, *y;
	int i;

	x = a;
	y = b;
	for (i = 0; i < 5; i++)
		if (x->k[i] != y->k[i])
			return (x->k[i] < y->k[i] ? -1 : 1);
	return (x->core < y->core ? -1 : x->core > y->core);
}

/*
 * The usable cores of the chosen domains in the order they are taken:
 * (by capacity,) P before E, domain, fullest E cluster, lowest CPU.
 */
static int
pin_candidates(const struct pin_state *st, bool bycap, struct pin_key *key)
{
	const struct topo_core *co;
	int i, n;

	n = 0;
	for (i = 0; i < st->t->ncores; i++) {
		co = &st->t->core[i];
		if (st->usable[i] == 0 || st->rank[co->l3] < 0)
			continue;
		key[n].k[0] = bycap ? -st->usable[i] : 0;
		key[n].k[1] = pin_threadrank(co);
		key[n].k[2] = st->rank[co->l3];
		key[n].k[3] = co->l2 < 0 ? 0 :
		    -st->cfree[co->l2] * TOPO_MAXCPU + co->l2;
		key[n].k[4] = co->cpu[0];
		key[n].core = i;
		n++;
	}
	qsort(key, (size_t)n, sizeof(*key), pin_key_cmp);
	return (n);
}

static void
pin_take(struct pin_state *st, int core, int n)
{

	if (st->take[core] == 0)
		st->order[st->norder++] = core;
	st->take[core] += n;
}

/* threads: one vCPU per core, then siblings of cores already used. */
static void
pin_fill_threads(struct pin_state *st, struct pin_key *key)
{
	int i, n, left, more;

	n = pin_candidates(st, false, key);
	for (i = 0; i < n && i < st->n; i++)
		pin_take(st, key[i].core, 1);
	left = st->n - i;
	for (i = 0; i < n && left > 0; i++) {
		more = st->usable[key[i].core] - 1;
		if (more > left)
			more = left;
		pin_take(st, key[i].core, more);
		left -= more;
	}
}

/*
 * cores: whole cores, largest first; the rest on one more core, one that
 * it fills exactly if possible, a P-core before an E-core.
 */
static void
pin_fill_cores(struct pin_state *st, struct pin_key *key)
{
	int i, j, n, left, best, score, bscore, c;

	n = pin_candidates(st, true, key);
	left = st->n;
	for (i = 0; i < n && left >= st->usable[key[i].core]; i++) {
		pin_take(st, key[i].core, st->usable[key[i].core]);
		left -= st->usable[key[i].core];
	}
	best = -1;
	bscore = 0;
	for (j = i; j < n && left > 0; j++) {
		c = key[j].core;
		if (st->usable[c] < left)
			continue;
		score = (st->usable[c] == left ? 0 : 1) +
		    2 * pin_threadrank(&st->t->core[c]);
		if (best < 0 || score < bscore) {
			best = c;
			bscore = score;
		}
	}
	if (best >= 0)
		pin_take(st, best, left);
}

/* The n-th usable thread of a core. */
static int
pin_thread(const struct pin_state *st, int core, int n)
{
	const struct topo_core *co;
	int i;

	co = &st->t->core[core];
	for (i = 0; i < co->nthreads; i++)
		if (!topo_set_has(&st->plan->reserved, co->cpu[i]) && n-- == 0)
			return (co->cpu[i]);
	return (-1);
}

/*
 * vCPU numbers: when every core carries T vCPUs, they come in groups of
 * T siblings and the guest sees T threads per core; otherwise the threads
 * policy numbers first threads first, the cores policy core by core.
 */
static void
pin_emit(struct pin_state *st)
{
	struct pin_plan *p;
	int i, j, v, T, most;

	p = st->plan;
	T = st->take[st->order[0]];
	most = 0;
	for (i = 0; i < st->norder; i++) {
		if (st->take[st->order[i]] != T)
			T = 1;
		if (st->take[st->order[i]] > most)
			most = st->take[st->order[i]];
	}
	v = 0;
	if (T > 1 || st->req->policy == PIN_CORES) {
		for (i = 0; i < st->norder; i++)
			for (j = 0; j < st->take[st->order[i]]; j++)
				p->cpu[v++] = pin_thread(st, st->order[i], j);
	} else {
		for (j = 0; j < most; j++)
			for (i = 0; i < st->norder; i++)
				if (st->take[st->order[i]] > j)
					p->cpu[v++] = pin_thread(st,
					    st->order[i], j);
	}
	p->sockets = 1;
	p->threads = T;
	p->cores = st->n / T;
	for (i = 0; i < st->n; i++)
		topo_set_add(&p->used, p->cpu[i]);
}

void
pin_measure(const struct topo *t, const int *cpu, int n,
    struct pin_metrics *m)
{
	unsigned char *per, *l3, *node, *l2;
	const struct topo_core *co;
	int i, c;

	memset(m, 0, sizeof(*m));
	per = calloc((size_t)t->ncores + 1, 1);
	l3 = calloc((size_t)t->nl3 + 1, 1);
	node = calloc((size_t)t->nnodes + 1, 1);
	l2 = calloc((size_t)t->nl2 + 1, 1);
	for (i = 0; i < n && per != NULL && l3 != NULL && node != NULL &&
	    l2 != NULL; i++) {
		if ((co = topo_cpu_core(t, cpu[i])) == NULL)
			continue;
		c = (int)(co - t->core);
		if (per[c] < 255 && ++per[c] == 2)
			m->shared_cores++;
		if (per[c] != 1)
			continue;
		m->cores_used++;
		m->l3_domains += l3[co->l3]++ == 0;
		m->numa_nodes += node[co->node]++ == 0;
		if (co->class == TOPO_CLASS_E)
			m->ecores++;
		if (co->l2 >= 0 && co->class == TOPO_CLASS_E)
			m->eclusters += l2[co->l2]++ == 0;
	}
	free(per), free(l3), free(node), free(l2);
}

static int
pin_state_init(struct pin_state *st, const struct topo *t,
    const struct pin_req *req, struct pin_plan *plan, struct diags *d)
{
	int hist[TOPO_MAXTHREADS + 1], i;

	memset(plan, 0, sizeof(*plan));
	plan->nvcpus = req->nvcpus;
	plan->policy = req->policy;
	st->t = t;
	st->req = req;
	st->plan = plan;
	st->n = req->nvcpus;
	if (st->n < 1 || st->n > t->ncpus) {
		diag_err(d, NULL, 0, "%d vCPUs: this host has %d CPUs",
		    st->n, t->ncpus);
		return (-1);
	}
	if ((st->u = calloc((size_t)t->nl3, sizeof(*st->u))) == NULL) {
		diag_err(d, NULL, 0, "out of memory");
		return (-1);
	}
	if (pin_reserve(st, d) != 0 || pin_count(st, d) != 0)
		return (-1);
	memset(hist, 0, sizeof(hist));
	for (i = 0; i < t->ncores; i++)
		hist[st->usable[i]]++;
	st->cstar = pin_fewest_cores(hist, st->n);
	memset(st->rank, 0xff, sizeof(st->rank));
	return (0);
}

int
pin_plan(const struct topo *t, const struct pin_req *req,
    struct pin_plan *plan, struct diags *d)
{
	struct pin_state *st;
	struct pin_key *key;
	int i, rv;

	st = calloc(1, sizeof(*st));
	key = calloc((size_t)t->ncores, sizeof(*key));
	rv = -1;
	if (st == NULL || key == NULL)
		diag_err(d, NULL, 0, "out of memory");
	else if (pin_state_init(st, t, req, plan, d) == 0) {
		pin_sort_units(st);
		if (pin_choose_units(st) <= 0)
			diag_err(d, NULL, 0, "no placement of %d vCPUs found",
			    st->n);
		else {
			for (i = 0; i < st->nsel; i++)
				st->rank[st->sel[i]] = i;
			if (req->policy == PIN_CORES)
				pin_fill_cores(st, key);
			else
				pin_fill_threads(st, key);
			pin_emit(st);
			pin_measure(t, plan->cpu, st->n, &plan->m);
			rv = 0;
		}
	}
	if (st != NULL)
		free(st->u);
	free(st);
	free(key);
	return (rv);
}
