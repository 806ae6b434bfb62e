/*
 * eng.c: the engine's context: opens the live or captured host on first
 * use and reads what several parts need.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng.h"
#include "pciids.h"

int
eng_host(struct eng *eng, struct host **hp)
{
	int e;

	if (eng->host == NULL) {
		e = eng->hostdir != NULL ?
		    host_open_captured(&eng->host, eng->hostdir, eng->diags) :
		    host_open_live(&eng->host, eng->diags);
		if (e != 0)
			return (e);
	}
	*hp = eng->host;
	return (0);
}

/* The pci.ids database: the captured directory's own, then the system's. */
static char *
pciids_load(struct eng *eng, size_t *len)
{
	static const char *const sys[] = {
		"/usr/share/misc/pci_vendors",
		"/usr/local/share/pciids/pci.ids",
		"/usr/share/misc/pci.ids",
		"/usr/share/hwdata/pci.ids",
	};
	struct host *h = host_local();
	char *buf, *p;
	size_t i;

	buf = NULL;
	if (eng->hostdir != NULL && asprintf(&p, "%s/pci.ids",
	    eng->hostdir) >= 0) {
		if (h->ops->lf_read(h, p, 32 << 20, &buf, len) != 0)
			buf = NULL;
		free(p);
		if (buf != NULL)
			return (buf);
	}
	if (getenv("PTVM_PCIIDS") != NULL)
		return (h->ops->lf_read(h, getenv("PTVM_PCIIDS"), 32 << 20,
		    &buf, len) == 0 ? buf : NULL);
	for (i = 0; i < nitems(sys); i++)
		if (h->ops->lf_read(h, sys[i], 32 << 20, &buf, len) == 0)
			return (buf);
	return (NULL);
}

/* Fills in names the host did not give from the pci.ids database. */
static void
eng_names(struct eng *eng, struct pci_list *l)
{
	struct pciids_name vn, dn;
	struct pci_dev *d;
	char *db;
	size_t len, i;

	for (i = 0; i < l->n; i++)
		if (l->dev[i].vendor_name == NULL ||
		    l->dev[i].device_name == NULL)
			break;
	if (i == l->n || (db = pciids_load(eng, &len)) == NULL)
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
eng_pci(struct eng *eng, struct pci_list *l)
{
	struct host *h;
	int e;

	pci_list_init(l);
	if ((e = eng_host(eng, &h)) != 0)
		return (e);
	if ((e = h->ops->pci_list(h, l, eng->diags)) != 0)
		return (e);
	eng_names(eng, l);
	return (0);
}

/* hw.pci.default_vgapci_unit: the vgapci driving the console, or -1. */
int
eng_console_unit(struct eng *eng)
{
	struct host *h;
	long long v;

	if (eng_host(eng, &h) != 0 ||
	    host_sysctl_int(h, "hw.pci.default_vgapci_unit", &v) != 0 ||
	    v < 0 || v > 9999)
		return (-1);
	return ((int)v);
}
