/*
 * gpu.c: finds the GPUs of a PCI list, their sibling functions and the
 * PCIe switch bridges of the card, and recommends what to pass through.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "pci.h"

static bool
same_slot(const struct pci_dev *a, const struct pci_dev *b)
{

	return (a->sel.domain == b->sel.domain && a->sel.bus == b->sel.bus &&
	    a->sel.slot == b->sel.slot);
}

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
 * A card with its own PCIe switch (AMD Navi and later) shows an upstream
 * port on bus B-2 and a downstream port on bus B-1 of the same vendor as
 * the GPU on bus B.  Those bridges can never be passed through.
 */
static int
find_switch(struct pci_list *l, struct gpu_group *g)
{
	const struct pci_dev *gpu, *d;
	unsigned bus;
	size_t i;
	int depth;
	bool found;

	gpu = &l->dev[g->gpu];
	bus = gpu->sel.bus;
	for (depth = 0; depth < 2 && bus > 0; depth++) {
		bus--;
		found = false;
		for (i = 0; i < l->n; i++) {
			d = &l->dev[i];
			if (d->sel.domain != gpu->sel.domain ||
			    d->sel.bus != bus || !pci_is_bridge(d) ||
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

bool
gpu_is_console(struct pci_list *l, const struct pci_dev *gpu, int console_unit,
    bool *guess)
{
	const struct pci_dev *d, *first;
	size_t i, ndisp;

	*guess = false;
	if (console_unit >= 0)
		return (strcmp(gpu->driver, "vgapci") == 0 &&
		    gpu->unit == console_unit);
	/*
	 * Unknown: FreeBSD takes the first VGA adapter it finds.  With a
	 * single display device that is certain; otherwise it is the
	 * lowest vgapci unit, which is only a guess.
	 */
	ndisp = 0;
	first = NULL;
	for (i = 0; i < l->n; i++) {
		d = &l->dev[i];
		if (!pci_is_display(d) || pci_is_bridge(d))
			continue;
		ndisp++;
		if (strcmp(d->driver, "vgapci") == 0 &&
		    (first == NULL || d->unit < first->unit))
			first = d;
	}
	if (ndisp == 1)
		return (true);
	*guess = true;
	return (first == gpu);
}

int
gpu_group(struct pci_list *l, int console_unit, struct gpu_list *out)
{
	struct gpu_group *g, *ng;
	struct pci_dev *d, *f;
	size_t i, j, k, nppt;
	bool guess, seen;

	out->g = NULL;
	out->n = 0;
	for (i = 0; i < l->n; i++) {
		d = &l->dev[i];
		if (!pci_is_display(d) || pci_is_bridge(d))
			continue;
		seen = false;
		for (k = 0; k < out->n; k++)
			if (same_slot(&l->dev[out->g[k].gpu], d))
				seen = true;
		if (seen)
			continue;
		ng = reallocarray(out->g, out->n + 1, sizeof(*ng));
		if (ng == NULL)
			goto fail;
		out->g = ng;
		g = &out->g[out->n++];
		memset(g, 0, sizeof(*g));
		g->gpu = i;
		nppt = 0;
		for (j = 0; j < l->n; j++) {
			f = &l->dev[j];
			if (!same_slot(f, d))
				continue;
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
		if (gpu_is_console(l, d, console_unit, &guess))
			g->flags |= GPU_CONSOLE | (guess ? GPU_CONSOLE_GUESS :
			    0);
		if (find_switch(l, g) != 0)
			goto fail;
	}
	return (0);
fail:
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
