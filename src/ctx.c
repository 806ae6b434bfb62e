/*
 * ctx.c: the command context: opens the live or captured host on first
 * use and reads what several commands need.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pciids.h"
#include "topo.h"
#include "ptvm.h"

int
ctx_host(struct ptvm_ctx *ctx, struct host **hp)
{
	int e;

	if (ctx->host == NULL) {
		e = ctx->hostdir != NULL ?
		    host_open_captured(&ctx->host, ctx->hostdir, &ctx->diags) :
		    host_open_live(&ctx->host, &ctx->diags);
		if (e != 0)
			return (e);
	}
	*hp = ctx->host;
	return (0);
}

/* The pci.ids database: the captured directory's own, then the system's. */
static char *
pciids_load(struct ptvm_ctx *ctx, size_t *len)
{
	static const char *const sys[] = {
		"/usr/share/misc/pci_vendors",
		"/usr/local/share/pciids/pci.ids",
		"/usr/share/misc/pci.ids",
		"/usr/share/hwdata/pci.ids",
	};
	char *buf, *p;
	size_t i;

	buf = NULL;
	if (ctx->hostdir != NULL && asprintf(&p, "%s/pci.ids",
	    ctx->hostdir) >= 0) {
		if (sys_read_file(p, 32 << 20, &buf, len) != 0)
			buf = NULL;
		free(p);
		if (buf != NULL)
			return (buf);
	}
	if (getenv("PTVM_PCIIDS") != NULL)
		return (sys_read_file(getenv("PTVM_PCIIDS"), 32 << 20, &buf,
		    len) == 0 ? buf : NULL);
	for (i = 0; i < nitems(sys); i++)
		if (sys_read_file(sys[i], 32 << 20, &buf, len) == 0)
			return (buf);
	return (NULL);
}

/* Fills in names the host did not give from the pci.ids database. */
static void
ctx_names(struct ptvm_ctx *ctx, struct pci_list *l)
{
	struct pciids_name vn, dn;
	struct pci_dev *d;
	char *db;
	size_t len, i;

	for (i = 0; i < l->n; i++)
		if (l->dev[i].vendor_name == NULL ||
		    l->dev[i].device_name == NULL)
			break;
	if (i == l->n || (db = pciids_load(ctx, &len)) == NULL)
		return;
	for (; i < l->n; i++) {
		d = &l->dev[i];
		if (d->vendor_name != NULL && d->device_name != NULL)
			continue;
		(void)pciids_lookup(db, len, d->vendor, d->device, &vn, &dn);
		if (d->vendor_name == NULL && vn.len > 0)
			d->vendor_name = strndup(vn.s, vn.len);
		if (d->device_name == NULL && dn.len > 0)
			d->device_name = strndup(dn.s, dn.len);
	}
	free(db);
}

int
ctx_pci(struct ptvm_ctx *ctx, struct pci_list *l)
{
	struct host *h;
	int e;

	pci_list_init(l);
	if ((e = ctx_host(ctx, &h)) != 0)
		return (e);
	if ((e = h->ops->pci_list(h, l, &ctx->diags)) != 0)
		return (e);
	ctx_names(ctx, l);
	return (0);
}

/* hw.pci.default_vgapci_unit: the vgapci driving the console, or -1. */
int
ctx_console_unit(struct ptvm_ctx *ctx)
{
	struct host *h;
	long long v;

	if (ctx_host(ctx, &h) != 0 ||
	    host_sysctl_int(h, "hw.pci.default_vgapci_unit", &v) != 0 ||
	    v < 0 || v > 9999)
		return (-1);
	return ((int)v);
}

#define TOPO_SYSCTL	"kern.sched.topology_spec"

/* The host's topology: the live sysctl or the captured topology.xml. */
int
ctx_topo(struct ptvm_ctx *ctx, struct topo *t)
{
	struct host *h;
	char *xml;
	size_t len;
	int e, rv;

	if (ctx_host(ctx, &h) != 0)
		return (-1);
	if ((e = h->ops->sysctl_get_text(h, TOPO_SYSCTL, &xml, &len)) != 0) {
		diag_err(&ctx->diags, NULL, 0, "cannot read %s: %s",
		    ctx->hostdir != NULL ? "topology.xml" : TOPO_SYSCTL,
		    sys_strerror(e));
		return (-1);
	}
	rv = topo_parse(xml, len, ctx->hostdir != NULL ?
	    "topology.xml" : TOPO_SYSCTL, t, &ctx->diags);
	free(xml);
	return (rv);
}
