/*
 * gpu.c: finds the GPUs of a PCI list, their sibling functions and the
 * PCIe switch bridges of the card, and recommends what to pass through.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "pci.h"

static int
idx_push(size_t **v, size_t *n, size_t x)
{
	size_t *nv;

	if ((nv = reallocarray(*v, *n + 1, sizeof(**v))) == NULL)
		return (-1);
	nv[(*n)++] = x;
	*v = nv;
	return (0);
}

/*
 * The functions of the list in an order that makes a slot, and a bus,
 * one run: by domain, bus, slot, then list order (so that each run keeps
 * the order of the list).  Built once per gpu_group() call, which makes
 * grouping O(n log n) instead of a scan of the list for every GPU.
 */
struct gpu_index {
	const struct pci_list *l;
	size_t		*slot;		/* by domain, bus, slot, list order */
	size_t		*bus;		/* by domain, bus, list order */
};

/* What the index sorts by: the list, and whether the slot counts. */
struct gpu_key {
	const struct pci_list	*l;
	bool			 slot;
};

static int
cmp_dev(const void *a, const void *b, const void *arg)
{
	const struct gpu_key *k = arg;
	const struct pci_dev *x, *y;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	x = &k->l->dev[i];
	y = &k->l->dev[j];
	if (x->sel.domain != y->sel.domain)
		return (x->sel.domain < y->sel.domain ? -1 : 1);
	if (x->sel.bus != y->sel.bus)
		return (x->sel.bus < y->sel.bus ? -1 : 1);
	if (k->slot && x->sel.slot != y->sel.slot)
		return (x->sel.slot < y->sel.slot ? -1 : 1);
	return (i < j ? -1 : i > j);
}

/*
 * A stable merge sort of our own: qsort(3) is not stable, and qsort_r's
 * argument order differs between glibc and FreeBSD before 14.
 */
static void
msort(size_t *v, size_t *tmp, size_t n,
    int (*cmp)(const void *, const void *, const void *), const void *arg)
{
	size_t h, i, j, k;

	if (n < 2)
		return;
	h = n / 2;
	msort(v, tmp, h, cmp, arg);
	msort(v + h, tmp, n - h, cmp, arg);
	for (i = 0, j = h, k = 0; i < h && j < n; )
		tmp[k++] = cmp(&v[j], &v[i], arg) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

static void
gpu_index_free(struct gpu_index *x)
{

	free(x->slot);
	free(x->bus);
}

static int
gpu_index_build(struct gpu_index *x, const struct pci_list *l)
{
	size_t i, *tmp;

	x->l = l;
	x->slot = reallocarray(NULL, l->n + 1, sizeof(*x->slot));
	x->bus = reallocarray(NULL, l->n + 1, sizeof(*x->bus));
	tmp = reallocarray(NULL, l->n + 1, sizeof(*tmp));
	if (x->slot == NULL || x->bus == NULL || tmp == NULL) {
		free(tmp);
		gpu_index_free(x);
		return (-1);
	}
	for (i = 0; i < l->n; i++)
		x->slot[i] = x->bus[i] = i;
	msort(x->slot, tmp, l->n, cmp_dev, &(struct gpu_key){ l, true });
	msort(x->bus, tmp, l->n, cmp_dev, &(struct gpu_key){ l, false });
	free(tmp);
	return (0);
}

/*
 * The run of v (sorted by key) whose devices match d by domain and bus,
 * and by slot when slot is true: [*lo, *hi).
 */
static void
gpu_index_run(const struct gpu_index *x, const size_t *v, unsigned domain,
    unsigned bus, int slot, size_t *lo, size_t *hi)
{
	const struct pci_dev *e;
	size_t a, b, m;
	int c;

#define	KEYCMP(e) ((e)->sel.domain != domain ?			\
	((e)->sel.domain < domain ? -1 : 1) :				\
	(e)->sel.bus != bus ? ((e)->sel.bus < bus ? -1 : 1) :		\
	slot < 0 || (int)(e)->sel.slot == slot ? 0 :			\
	((int)(e)->sel.slot < slot ? -1 : 1))
	a = 0;
	b = x->l->n;
	while (a < b) {			/* first element not below the key */
		m = a + (b - a) / 2;
		e = &x->l->dev[v[m]];
		c = KEYCMP(e);
		if (c < 0)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	b = x->l->n;
	while (a < b) {			/* first element above the key */
		m = a + (b - a) / 2;
		e = &x->l->dev[v[m]];
		c = KEYCMP(e);
		if (c <= 0)
			a = m + 1;
		else
			b = m;
	}
	*hi = a;
#undef KEYCMP
}

/*
 * A card with its own PCIe switch (AMD Navi and later) shows an upstream
 * port on bus B-2 and a downstream port on bus B-1 of the same vendor as
 * the GPU on bus B.  Those bridges can never be passed through.
 */
static int
find_switch(const struct gpu_index *x, struct gpu_group *g)
{
	const struct pci_list *l = x->l;
	const struct pci_dev *gpu, *d;
	unsigned bus;
	size_t i, lo, hi;
	int depth;
	bool found;

	gpu = &l->dev[g->gpu];
	bus = gpu->sel.bus;
	for (depth = 0; depth < 2 && bus > 0; depth++) {
		bus--;
		found = false;
		gpu_index_run(x, x->bus, gpu->sel.domain, bus, -1, &lo, &hi);
		for (; lo < hi; lo++) {
			i = x->bus[lo];
			d = &l->dev[i];
			if (!pci_is_bridge(d) ||
			    (d->class >> 8) != 0x0604 ||
			    d->vendor != gpu->vendor)
				continue;
			if (d->pcie != PCIE_NONE &&
			    d->pcie != PCIE_UPSTREAM_PORT &&
			    d->pcie != PCIE_DOWNSTREAM_PORT)
				continue;
			if (idx_push(&g->bridges, &g->nbridges, i) != 0)
				return (-1);
			found = true;
		}
		if (!found)
			break;
	}
	if (g->nbridges > 0)
		g->flags |= GPU_BEHIND_SWITCH;
	/* Found walking up; list them from the root port's side down. */
	for (i = 0; i < g->nbridges / 2; i++) {
		size_t t = g->bridges[i];

		g->bridges[i] = g->bridges[g->nbridges - 1 - i];
		g->bridges[g->nbridges - 1 - i] = t;
	}
	return (0);
}

/*
 * With the console's vgapci unit unknown, FreeBSD takes the first VGA
 * adapter it finds.  With a single display device that is certain;
 * otherwise it is the lowest vgapci unit, which is only a guess.  Counted
 * once for the list.
 */
struct gpu_console {
	size_t			 ndisp;
	const struct pci_dev	*first;
};

static void
console_scan(const struct pci_list *l, struct gpu_console *cc)
{
	const struct pci_dev *d;
	size_t i;

	cc->ndisp = 0;
	cc->first = NULL;
	for (i = 0; i < l->n; i++) {
		d = &l->dev[i];
		if (!pci_is_display(d) || pci_is_bridge(d))
			continue;
		cc->ndisp++;
		if (strcmp(d->driver, "vgapci") == 0 &&
		    (cc->first == NULL || d->unit < cc->first->unit))
			cc->first = d;
	}
}

static bool
console_is(const struct gpu_console *cc, const struct pci_dev *gpu,
    int console_unit, bool *guess)
{

	*guess = false;
	if (console_unit >= 0)
		return (strcmp(gpu->driver, "vgapci") == 0 &&
		    gpu->unit == console_unit);
	if (cc->ndisp == 1)
		return (true);
	*guess = true;
	return (cc->first == gpu);
}

bool
gpu_is_console(struct pci_list *l, const struct pci_dev *gpu, int console_unit,
    bool *guess)
{
	struct gpu_console cc;

	cc.ndisp = 0;
	cc.first = NULL;
	if (console_unit < 0)
		console_scan(l, &cc);
	return (console_is(&cc, gpu, console_unit, guess));
}

int
gpu_group(struct pci_list *l, int console_unit, struct gpu_list *out)
{
	struct gpu_index x;
	struct gpu_console cc;
	struct gpu_group *g, *ng;
	struct pci_dev *d, *f;
	size_t i, j, lo, hi, nppt;
	bool guess, *done;

	out->g = NULL;
	out->n = 0;
	if (gpu_index_build(&x, l) != 0)
		return (-1);
	/* done[p]: the slot run starting at x.slot[p] has its group. */
	if ((done = calloc(l->n + 1, sizeof(*done))) == NULL) {
		gpu_index_free(&x);
		return (-1);
	}
	console_scan(l, &cc);
	for (i = 0; i < l->n; i++) {
		d = &l->dev[i];
		if (!pci_is_display(d) || pci_is_bridge(d))
			continue;
		gpu_index_run(&x, x.slot, d->sel.domain, d->sel.bus,
		    (int)d->sel.slot, &lo, &hi);
		if (done[lo])
			continue;
		done[lo] = true;
		ng = reallocarray(out->g, out->n + 1, sizeof(*ng));
		if (ng == NULL)
			goto fail;
		out->g = ng;
		g = &out->g[out->n++];
		memset(g, 0, sizeof(*g));
		g->gpu = i;
		nppt = 0;
		for (; lo < hi; lo++) {
			j = x.slot[lo];
			f = &l->dev[j];
			if (idx_push(&g->funcs, &g->nfuncs, j) != 0)
				goto fail;
			if (pci_is_bridge(f))
				continue;
			if (idx_push(&g->rec, &g->nrec, j) != 0)
				goto fail;
			if (pci_is_ppt(f))
				nppt++;
			if (f->caps_known && !f->msi && !f->msix)
				g->flags |= GPU_NO_MSI;
		}
		if (nppt > 0 && nppt < g->nrec)
			g->flags |= GPU_PARTLY_PPT;
		else if (nppt > 0)
			g->flags |= GPU_ALL_PPT;
		if (d->sel.domain != 0)
			g->flags |= GPU_NONZERO_DOMAIN;
		if (console_is(&cc, d, console_unit, &guess))
			g->flags |= GPU_CONSOLE | (guess ? GPU_CONSOLE_GUESS :
			    0);
		if (find_switch(&x, g) != 0)
			goto fail;
	}
	free(done);
	gpu_index_free(&x);
	return (0);
fail:
	free(done);
	gpu_index_free(&x);
	gpu_list_free(out);
	return (-1);
}

void
gpu_list_free(struct gpu_list *gl)
{
	size_t i;

	for (i = 0; i < gl->n; i++) {
		free(gl->g[i].funcs);
		free(gl->g[i].rec);
		free(gl->g[i].bridges);
	}
	free(gl->g);
	gl->g = NULL;
	gl->n = 0;
}

const char *
gpu_func_role(const struct pci_dev *d)
{

	if (pci_is_bridge(d))
		return ("PCIe switch bridge");
	if (pci_is_display(d))
		return ("GPU");
	if ((d->class >> 8) == 0x0403)
		return ("HDMI/DP audio");
	if (d->class == 0x0c0330)
		return ("USB xHCI");
	if ((d->class >> 8) == 0x0c80)
		return ("USB-C UCSI");
	return (pci_class_desc(d->class));
}
