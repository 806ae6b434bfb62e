/*
 * kmodel.c: the kernel model (kmodel.h).  Each rule below behaves as a
 * row of docs/freebsd.md says the FreeBSD 14 kernel does; the comment at
 * each names the row.
 */
#include "compat.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bindplan.h"
#include "capfile.h"
#include "host.h"
#include "hostop.h"
#include "kmodel.h"
#include "kv.h"
#include "pci.h"
#include "rombar.h"
#include "strbuf.h"
#include "sysutil.h"
#include "util.h"

static char *
km_path(struct kmodel *c, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", c->dir, name) < 0)
		return (NULL);
	return (p);
}

/* Reads DIR/name; ENOENT when absent. */
int
km_read(struct kmodel *c, const char *name, char **buf, size_t *len)
{
	char *p;
	int e;

	if ((p = km_path(c, name)) == NULL)
		return (ENOMEM);
	e = sys_read_file(p, KM_MAXFILE, buf, len);
	free(p);
	return (e);
}

/*
 * The driver a function captured on ppt (or on none) gets when it is
 * released: whatever loaded driver bids best (freebsd.md#D3).  What is
 * loaded is known from the capture only: a driver another function of
 * the same class is attached to, or for a display controller vgapci,
 * which every captured kernel attaches to them.  Nothing else is
 * invented: the guide's HDMI audio is none0, so no HDA driver is loaded
 * there, and a released audio function stays unattached.
 */
static const char *
guess_driver(const struct kmodel *c, const struct pci_dev *d)
{
	const struct pci_dev *o;
	size_t i;

	for (i = 0; i < c->pci.n; i++) {
		o = &c->pci.dev[i];
		if (o != d && (o->class >> 8) == (d->class >> 8) &&
		    !pci_is_ppt(o) && !pci_is_none(o) && o->driver[0] != '\0')
			return (o->driver);
	}
	if (pci_is_display(d))
		return ("vgapci");
	/* snd_hda.ko registers the driver hdac (sound/pci/hda/hdac.c). */
	if ((d->class >> 8) == 0x0403 && (kv_get(&c->kld, "snd_hda.ko") !=
	    NULL || kv_get(&c->kld, "snd_hda") != NULL))
		return ("hdac");
	return ("");
}

/*
 * The kernel as captured: what pciconf shows attached is attached; a
 * function on ppt or on none releases to guess_driver()'s (#D3, #V6).
 */
static void
sim_init(struct kmodel *c)
{
	struct pci_dev *d;
	size_t i;

	for (i = 0; i < c->pci.n; i++) {
		d = &c->pci.dev[i];
		c->sim[i].attached = !pci_is_none(d);
		c->sim[i].fixed = false;
		if (pci_is_ppt(d) || pci_is_none(d))
			strlcpy(c->sim[i].host_driver, pci_is_none(d) ? "" :
			    guess_driver(c, d), sizeof(c->sim[i].host_driver));
		else
			strlcpy(c->sim[i].host_driver, d->driver,
			    sizeof(c->sim[i].host_driver));
	}
}

static int
load_pci(struct kmodel *c)
{
	char *buf;
	size_t len;
	int e;

	e = km_read(c, "pciconf.txt", &buf, &len);
	if (e == ENOENT)
		return (0);
	c->have_pci = true;
	if (e != 0) {
		c->pci_err = e;
		diag_err(&c->pci_diags, "pciconf.txt", 0, "cannot read: %s",
		    sys_strerror(e));
		return (0);
	}
	if (pci_parse(buf, len, "pciconf.txt", &c->pci, &c->pci_diags) != 0)
		c->pci_err = EINVAL;
	free(buf);
	if ((c->sim = calloc(c->pci.n + 1, sizeof(*c->sim))) == NULL)
		return (ENOMEM);
	return (0);
}

static int
load_kv(struct kmodel *c, const char *name, struct kv_list *l, bool *have,
    int (*parse)(const char *, size_t, const char *, struct kv_list *,
    struct diags *), struct diags *d)
{
	char *buf;
	size_t len;
	int e;

	e = km_read(c, name, &buf, &len);
	if (e == ENOENT)
		return (0);
	if (e != 0) {
		diag_err(d, name, 0, "cannot read: %s", sys_strerror(e));
		return (e);
	}
	if (have != NULL)
		*have = true;
	e = parse(buf, len, name, l, d) == 0 ? 0 : EINVAL;
	free(buf);
	return (e);
}

/*
 * vmm.txt: "NAME [B/S/F ...]" a line, as from ls /dev/vmm plus devices
 * (lib/capfile.c parses it).
 */
static int
load_vms(struct kmodel *c, struct diags *d)
{
	struct capf_vms l;
	char *buf;
	size_t len, i;
	int e;

	if ((e = km_read(c, "vmm.txt", &buf, &len)) != 0)
		return (e == ENOENT ? 0 : e);
	e = capf_vmm_parse(buf, len, "vmm.txt", &l, d);
	free(buf);
	if (e == 0 && l.n > 0 &&
	    (c->vms.vm = calloc(l.n, sizeof(*c->vms.vm))) == NULL)
		e = ENOMEM;
	for (i = 0; e == 0 && i < l.n; i++) {
		strlcpy(c->vms.vm[i].name, l.vm[i].name,
		    sizeof(c->vms.vm[i].name));
		c->vms.vm[i].devs = l.vm[i].devs;
		c->vms.vm[i].ndevs = l.vm[i].ndevs;
		c->vms.vm[i].devs_known = l.vm[i].devs_known;
		l.vm[i].devs = NULL;
		c->vms.n++;
	}
	capf_vms_free(&l);
	return (e);
}

/* DIR/fail: "COMMAND LINE: ERRNO" a line (lib/capfile.c). */
static int
load_fail(struct kmodel *c, struct diags *d)
{
	struct capf_fail *f;
	char *buf;
	size_t len, n, i;
	int e;

	if ((e = km_read(c, "fail", &buf, &len)) != 0)
		return (e == ENOENT ? 0 : e);
	e = capf_fail_parse(buf, len, "fail", &f, &n, d);
	free(buf);
	if (e != 0)
		return (0);	/* as before: no rules when memory is short */
	if (n > 0 && (c->fail = calloc(n, sizeof(*c->fail))) == NULL) {
		capf_fail_free(f, n);
		return (0);
	}
	for (i = 0; i < n; i++) {
		c->fail[i].cmd = f[i].cmd;
		c->fail[i].err = f[i].err;
		f[i].cmd = NULL;
	}
	c->nfail = n;
	capf_fail_free(f, n);
	return (0);
}

/*
 * The simulated kernel.
 */
static bool
sim_vmm(struct kmodel *c)
{

	return (kv_get(&c->kld, "vmm.ko") != NULL ||
	    kv_get(&c->kld, "vmm") != NULL);
}

bool
km_vmm_loaded(struct kmodel *c)
{

	return (sim_vmm(c));
}

/* pciconf -l numbers the unattached functions afresh each run (#D8). */
static void
sim_renumber_none(struct kmodel *c)
{
	size_t i;
	int n;

	for (i = 0, n = 0; i < c->pci.n; i++)
		if (pci_is_none(&c->pci.dev[i]))
			c->pci.dev[i].unit = n++;
}

/* An attaching driver gets its lowest free unit (newbus; #D3). */
static void
sim_set_name(struct kmodel *c, size_t i, const char *drv)
{
	size_t k;
	int unit;
	bool used;

	if (strcmp(c->pci.dev[i].driver, drv) == 0 && c->pci.dev[i].unit >= 0)
		return;
	for (unit = 0;; unit++) {
		used = false;
		for (k = 0; k < c->pci.n && !used; k++)
			used = k != i && c->pci.dev[k].unit == unit &&
			    strcmp(c->pci.dev[k].driver, drv) == 0;
		if (!used)
			break;
	}
	strlcpy(c->pci.dev[i].driver, drv, sizeof(c->pci.dev[i].driver));
	c->pci.dev[i].unit = unit;
}

/* kenv pptdevs, pptdevs2, pptdevs3 list the function (#V6). */
static bool
sim_ppt_listed(struct kmodel *c, const struct pci_sel *s)
{
	const char *v[PPTDEVS_VARS];

	v[0] = kv_get(&c->kenv, "pptdevs");
	v[1] = kv_get(&c->kenv, "pptdevs2");
	v[2] = kv_get(&c->kenv, "pptdevs3");
	return (pptdevs_has(v, s));
}

/*
 * device_probe_and_attach() of function i: a fixed class probes only its
 * driver (ppt: vmm loaded, type-0 header); else ppt bids first for a
 * function pptdevs lists, then the host's driver (#V6, #D3).
 */
static int
sim_probe(struct kmodel *c, size_t i)
{
	struct pci_dev *d = &c->pci.dev[i];
	struct km_dev *sd = &c->sim[i];
	bool endpoint = (d->hdr & 0x7f) == 0;
	const char *drv;

	if (sd->fixed) {
		if (pci_is_ppt(d) ? (!sim_vmm(c) || !endpoint) :
		    strcmp(d->driver, sd->host_driver) != 0)
			return (ENXIO);
		sd->attached = true;
		return (0);
	}
	if (sim_vmm(c) && endpoint && sim_ppt_listed(c, &d->sel))
		drv = "ppt";
	else if (sd->host_driver[0] != '\0')
		drv = sd->host_driver;
	else
		return (ENXIO);
	sim_set_name(c, i, drv);
	sd->attached = true;
	return (0);
}

/* ppt_detach is EBUSY while a VM owns the function (#V-PPT1, #D2). */
static bool
sim_vm_owned(struct kmodel *c, size_t i)
{
	size_t v, k;

	if (!pci_is_ppt(&c->pci.dev[i]))
		return (false);
	for (v = 0; v < c->vms.n; v++)
		for (k = 0; k < c->vms.vm[v].ndevs; k++)
			if (pci_sel_eq(&c->vms.vm[v].devs[k],
			    &c->pci.dev[i].sel))
				return (true);
	return (false);
}

/* DEV_DETACH: ENXIO when not attached, the driver's error (#D2). */
static int
sim_detach(struct kmodel *c, size_t i)
{

	if (!c->sim[i].attached)
		return (ENXIO);
	if (sim_vm_owned(c, i))
		return (EBUSY);
	c->sim[i].attached = false;
	if (!c->sim[i].fixed) {
		strlcpy(c->pci.dev[i].driver, "none",
		    sizeof(c->pci.dev[i].driver));
		c->pci.dev[i].unit = -1;
	}
	return (0);
}

/*
 * DEV_SET_DRIVER: ENOENT for a driver the bus lacks (ppt without vmm),
 * EBUSY when attached without -f, then fix the class and probe (#D3).
 */
static int
sim_set_driver(struct kmodel *c, size_t i, const char *drv, bool force)
{
	int e;

	if (strcmp(drv, "ppt") == 0 && !sim_vmm(c))
		return (ENOENT);
	if (strcmp(c->pci.dev[i].driver, drv) == 0)
		return (0);
	if (c->sim[i].attached) {
		if (!force)
			return (EBUSY);
		if ((e = sim_detach(c, i)) != 0)
			return (e);
	}
	c->sim[i].fixed = true;
	sim_set_name(c, i, drv);
	return (sim_probe(c, i));
}

/* DEV_CLEAR_DRIVER: nothing unless fixed; EBUSY without -f (#D3). */
static int
sim_clear_driver(struct kmodel *c, size_t i, bool force)
{
	int e;

	if (!c->sim[i].fixed)
		return (0);
	if (c->sim[i].attached) {
		if (!force)
			return (EBUSY);
		if ((e = sim_detach(c, i)) != 0)
			return (e);
	}
	c->sim[i].fixed = false;
	strlcpy(c->pci.dev[i].driver, "none", sizeof(c->pci.dev[i].driver));
	c->pci.dev[i].unit = -1;
	/*
	 * DEV_CLEAR_DRIVER returns device_probe_and_attach()'s error: ENXIO
	 * when no loaded driver bids, after the class change (#D3).
	 */
	return (sim_probe(c, i));
}

/* A driver module loading probes every unattached function (#V6). */
static void
sim_probe_unattached(struct kmodel *c)
{
	size_t i;

	for (i = 0; i < c->pci.n; i++)
		if (!c->sim[i].attached)
			(void)sim_probe(c, i);
}

/* A tunable as the kernel reads an integer one: base 0, non-zero on (#L4). */
static bool
sim_tunable_on(const struct kmodel *c, const char *name, const char *legacy)
{
	const char *v;
	char *end;
	long long n;

	if ((v = kv_get(&c->kenv, name)) == NULL &&
	    (v = kv_get(&c->kenv, legacy)) == NULL)
		return (false);
	n = strtoll(v, &end, 0);
	return (end != v && n != 0);
}

/* Whether any VM exists: vmm.ko will not unload then (#V7). */
static bool
sim_vms_exist(struct kmodel *c)
{
	char p[PATH_MAX], **names;
	size_t n, i;
	bool any;

	if (c->vms.n > 0)
		return (true);
	if ((size_t)snprintf(p, sizeof(p), "%s/vmm", c->rundir) >= sizeof(p) ||
	    sys_dir_list(p, &names, &n) != 0)
		return (false);
	for (i = 0, any = false; i < n; i++)
		any |= names[i][0] != '.' && strstr(names[i], ".tmp") == NULL;
	host_names_free(names, n);
	return (any);
}

/* kldload and kldunload (#L3, #L4, #V2, #V7). */
static int
sim_kld(struct kmodel *c, const char *name, bool load)
{
	size_t i;
	char file[64];

	snprintf(file, sizeof(file), "%s%s", name,
	    strstr(name, ".ko") != NULL ? "" : ".ko");
	if (strcmp(file, "vmm.ko") != 0)
		return (kv_set(&c->kld, file, load ? "" : NULL) == 0 ? 0 :
		    ENOMEM);
	/* The live host takes loading a loaded module as done (#L4). */
	if (load == sim_vmm(c))
		return (load ? 0 : ENOENT);
	if (load) {
		if (kv_set(&c->kld, file, "") != 0)
			return (ENOMEM);
		/*
		 * The module's tunables are read once, at load (CTLFLAG_RDTUN,
		 * freebsd.md#V2), and the IOMMU is set up only when the first
		 * VM with a passthru device is created (#V1).
		 */
		if (kv_set(&c->sysctl_set, "hw.vmm.amdvi.enable",
		    sim_tunable_on(c, "hw.vmm.amdvi.enable",
		    "hw.vmm.amdvi_enable") ? "1" : "0") != 0 ||
		    kv_set(&c->sysctl_set, "hw.vmm.iommu.initialized", "0") != 0)
			return (ENOMEM);
		sim_probe_unattached(c);
		return (0);
	}
	/* vmmdev_cleanup() refuses while any VM exists (#V7). */
	if (sim_vms_exist(c))
		return (EBUSY);
	for (i = 0; i < c->pci.n; i++)
		if (pci_is_ppt(&c->pci.dev[i]) && c->sim[i].attached)
			(void)sim_detach(c, i);
	/* Its sysctl tree goes with it (#V2). */
	(void)kv_set(&c->sysctl_set, "hw.vmm.amdvi.enable", NULL);
	(void)kv_set(&c->sysctl_set, "hw.vmm.iommu.initialized", NULL);
	(void)kv_set(&c->kld, "vmm", NULL);
	return (kv_set(&c->kld, file, NULL) == 0 ? 0 : ENOMEM);
}

/* devctl2 finds a device by name or by pciD:B:S:F (#D4). */
int
km_dev(struct kmodel *c, const char *name, size_t *ip)
{
	struct pci_dev *d;
	char err[160];

	if (!c->have_pci)
		return (ENOENT);
	if ((d = pci_lookup(&c->pci, name, err, sizeof(err))) == NULL)
		return (ENOENT);
	*ip = (size_t)(d - c->pci.dev);
	return (0);
}

#define KM_MAXCFGW	(1024 * 1024)

/* PCIOCWRITE goes through with no ownership check (#D-ROM5). */
static int
sim_cfg_write(struct kmodel *c, size_t i, const struct hostop *op)
{
	struct km_cfgwrite *n;

	if (c->ncfgw >= KM_MAXCFGW)
		return (ENOSPC);
	if ((n = reallocarray(c->cfgw, c->ncfgw + 1, sizeof(*n))) == NULL)
		return (ENOMEM);
	c->cfgw = n;
	n[c->ncfgw].sel = c->pci.dev[i].sel;
	n[c->ncfgw].reg = op->reg;
	n[c->ncfgw].width = op->width;
	n[c->ncfgw].val = op->val;
	c->ncfgw++;
	return (0);
}

/* Applies one host operation to the simulated host. */
static int
sim_apply(struct kmodel *c, const struct hostop *op)
{
	size_t i;
	int e;

	switch (op->kind) {
	case HOP_KENV_SET:
		/* KENV_MNAMELEN and KENV_MVALLEN: 128 bytes (#K1). */
		if (strlen(op->a) > 128 || strlen(op->b) > 128)
			return (ENAMETOOLONG);
		return (kv_set(&c->kenv, op->a, op->b) == 0 ? 0 : ENOMEM);
	case HOP_KENV_UNSET:
		if (kv_get(&c->kenv, op->a) == NULL)
			return (ENOENT);
		return (kv_set(&c->kenv, op->a, NULL) == 0 ? 0 : ENOMEM);
	case HOP_SYSCTL_SET:
		return (kv_set(&c->sysctl_set, op->a, op->b) == 0 ? 0 :
		    ENOMEM);
	case HOP_KLDLOAD:
	case HOP_KLDUNLOAD:
		return (sim_kld(c, op->a, op->kind == HOP_KLDLOAD));
	case HOP_INSTALL:
	case HOP_EXEC:
		return (0);
	default:
		break;
	}
	/*
	 * A bus rescan only enumerates new functions and deletes vanished
	 * ones (pci_rescan_method, freebsd.md#D4): nothing here changes.
	 */
	if (op->kind == HOP_RESCAN && strncmp(op->a, "pci", 3) == 0 &&
	    strchr(op->a, ':') == NULL)
		return (0);
	if ((e = km_dev(c, op->a, &i)) != 0)
		return (e);
	switch (op->kind) {
	case HOP_DETACH:
		e = sim_detach(c, i);
		break;
	case HOP_ATTACH:
		e = c->sim[i].attached ? EBUSY : sim_probe(c, i);
		break;
	case HOP_SET_DRIVER:
		e = sim_set_driver(c, i, op->b, op->force);
		break;
	case HOP_CLEAR_DRIVER:
		e = sim_clear_driver(c, i, op->force);
		break;
	case HOP_RESCAN:
		e = c->sim[i].attached ? 0 : ENXIO;
		break;
	case HOP_PCI_WRITE:
		e = sim_cfg_write(c, i, op);
		break;
	default:
		e = EINVAL;
	}
	sim_renumber_none(c);
	return (e);
}

int
km_journal(struct kmodel *c, const char *line)
{
	char *p;
	int fd, e;
	size_t n;

	if ((p = km_path(c, "journal")) == NULL)
		return (ENOMEM);
	e = sys_open_append(p, 0644, &fd);
	free(p);
	if (e != 0)
		return (e);
	n = strlen(line);
	e = 0;
	if (write(fd, line, n) != (ssize_t)n || write(fd, "\n", 1) != 1)
		e = errno != 0 ? errno : EIO;
	if (close(fd) != 0 && e == 0)
		e = errno;
	return (e);
}

/*
 * Whether a change that returned e took effect all the same: set and
 * clear driver fix or unfix the class before they probe, and return the
 * probe's ENXIO when no driver attaches (freebsd.md#D3).
 */
static bool
km_took_effect(const struct hostop *op, int e)
{

	return (e == 0 || (e == ENXIO && (op->kind == HOP_CLEAR_DRIVER ||
	    op->kind == HOP_SET_DRIVER)));
}

/*
 * Runs a change: the failure rules first, then the simulation, then the
 * journal line (or a comment saying it failed).
 */
int
km_change(struct kmodel *c, const struct hostop *op)
{
	struct strbuf sb, line;
	size_t i;
	int e;

	sb_init(&sb);
	sb_init(&line);
	hostop_fmt(op, &sb);
	e = 0;
	for (i = 0; i < c->nfail; i++)
		if (strcmp(c->fail[i].cmd, sb_str(&sb)) == 0)
			e = c->fail[i].err;
	/*
	 * DEV_DETACH (freebsd.md#D2): -f skips only device_quiesce(); the
	 * driver's own detach runs either way.  So a rule "devctl detach SEL"
	 * (the driver's detach refuses) holds for "devctl detach -f SEL"
	 * too, and a rule "devctl quiesce SEL" (its quiesce refuses) fails
	 * only the detach without -f.
	 */
	if (e == 0 && op->kind == HOP_DETACH)
		for (i = 0; i < c->nfail; i++)
			if ((op->force && strncmp(c->fail[i].cmd,
			    "devctl detach ", 14) == 0 &&
			    strcmp(c->fail[i].cmd + 14, op->a) == 0) ||
			    (!op->force && strncmp(c->fail[i].cmd,
			    "devctl quiesce ", 15) == 0 &&
			    strcmp(c->fail[i].cmd + 15, op->a) == 0))
				e = c->fail[i].err;
	if (e == 0) {
		e = sim_apply(c, op);
		if (e != 0 && km_took_effect(op, e)) {
			sb_printf(&line, "%s\n# (%s: done, but no driver "
			    "attached)", sb_str(&sb), util_errname(e));
			goto journal;
		}
	}
	if (e == 0)
		sb_puts(&line, sb_str(&sb));
	else
		sb_printf(&line, "# failed (%s): %s", util_errname(e),
		    sb_str(&sb));
journal:
	if (line.oom)
		e = ENOMEM;
	else if (km_journal(c, sb_str(&line)) != 0 && e == 0)
		e = EIO;
	sb_free(&sb);
	sb_free(&line);
	return (e);
}

static int
replay_journal(struct kmodel *c, struct diags *d)
{
	struct hostop_parsed hp;
	const char *p, *end, *nl;
	char *buf, err[160];
	unsigned line;
	size_t len;
	int e;

	if ((e = km_read(c, "journal", &buf, &len)) != 0)
		return (e == ENOENT ? 0 : e);
	end = buf + len;
	line = 0;
	for (p = buf; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p || *p == '#')
			continue;
		if (hostop_parse(p, (size_t)(nl - p), &hp, err,
		    sizeof(err)) != 0) {
			diag_warn(d, "journal", line, "%s; line ignored", err);
			continue;
		}
		if ((e = sim_apply(c, &hp.op)) != 0 &&
		    !km_took_effect(&hp.op, e))
			diag_warn(d, "journal", line, "replaying this change "
			    "failed (%s); line ignored", strerror(e));
		hostop_parsed_free(&hp);
	}
	free(buf);
	return (0);
}

/* A malloc'd copy of name's value in l; ENOENT when unset. */
static int
kv_dup(const struct kv_list *l, const char *name, char **val)
{
	const char *v;

	if ((v = kv_get(l, name)) == NULL)
		return (ENOENT);
	return ((*val = strdup(v)) == NULL ? ENOMEM : 0);
}

/* sysctl by name: a journaled change, else the capture (#V2, #SY1). */
int
km_sysctl_get(struct kmodel *c, const char *name, char **val,
    size_t *vlen)
{
	struct diags d;
	int e;

	*val = NULL;
	*vlen = 0;
	if (kv_get(&c->sysctl_set, name) != NULL) {
		e = kv_dup(&c->sysctl_set, name, val);
		goto out;
	}
	/* vmm.ko's sysctl tree exists only while it is loaded (#V2). */
	if (strncmp(name, "hw.vmm.", 7) == 0 && !sim_vmm(c))
		return (ENOENT);
	/* The file whole: a NUL in it is for the topology parser to say. */
	if (strcmp(name, "kern.sched.topology_spec") == 0) {
		e = km_read(c, "topology.xml", val, vlen);
		if (e != ENOENT)
			return (e);
	}
	if (!c->sysctl_loaded) {
		c->sysctl_loaded = true;
		diags_init(&d);
		(void)load_kv(c, "sysctl.txt", &c->sysctl, &c->have_sysctl,
		    kv_parse_sysctl, &d);
		diags_free(&d);
	}
	e = kv_dup(&c->sysctl, name, val);
out:
	if (e == 0)
		*vlen = strlen(*val);
	return (e);
}

/* KENV_GET: ENOENT when unset (#K1). */
int
km_kenv_get(struct kmodel *c, const char *name, char **val)
{

	*val = NULL;
	return (kv_dup(&c->kenv, name, val));
}

/* kldfind by "vmm" or "vmm.ko" (#L6). */
int
km_kld_loaded(struct kmodel *c, const char *name, bool *loaded)
{
	char file[64];

	snprintf(file, sizeof(file), "%s%s", name,
	    strstr(name, ".ko") != NULL ? "" : ".ko");
	*loaded = kv_get(&c->kld, file) != NULL ||
	    kv_get(&c->kld, name) != NULL;
	return (c->have_kld || *loaded ? 0 : ENOENT);
}

/*
 * vmm.txt, plus the VMs the bhyve stand-in created in DIR/run/vmm (it
 * removes them as the kernel would, on a -D power-off or bhyvectl
 * --destroy).  Each VM is a /dev/vmm node (#V7).
 */
int
km_vm_list(struct kmodel *c, struct host_vm_list *out)
{
	char p[PATH_MAX], **names;
	size_t i, j, nn, cap;
	int e;

	out->vm = NULL;
	out->n = 0;
	names = NULL;
	nn = 0;
	if ((size_t)snprintf(p, sizeof(p), "%s/vmm", c->rundir) < sizeof(p) &&
	    (e = sys_dir_list(p, &names, &nn)) != 0 && e != ENOENT &&
	    e != ENOTDIR)
		return (e);
	cap = c->vms.n + nn;
	if (cap == 0)
		return (0);
	if ((out->vm = calloc(cap, sizeof(*out->vm))) == NULL) {
		host_names_free(names, nn);
		return (ENOMEM);
	}
	for (i = 0; i < c->vms.n; i++) {
		out->vm[i] = c->vms.vm[i];
		out->vm[i].devs = NULL;
		if (c->vms.vm[i].ndevs > 0 && (out->vm[i].devs = calloc(
		    c->vms.vm[i].ndevs, sizeof(struct pci_sel))) == NULL) {
			out->n = i;
			host_vm_list_free(out);
			host_names_free(names, nn);
			return (ENOMEM);
		}
		if (c->vms.vm[i].ndevs > 0)
			memcpy(out->vm[i].devs, c->vms.vm[i].devs,
			    c->vms.vm[i].ndevs * sizeof(struct pci_sel));
	}
	out->n = c->vms.n;
	for (i = 0; i < nn; i++) {
		j = strlen(names[i]);
		if (names[i][0] == '.' || j >= sizeof(out->vm[0].name) ||
		    (j > 4 && strcmp(names[i] + j - 4, ".tmp") == 0))
			continue;	/* the stand-in's temporary files */
		for (j = 0; j < out->n; j++)
			if (strcmp(out->vm[j].name, names[i]) == 0)
				break;
		if (j < out->n)
			continue;
		memset(&out->vm[out->n], 0, sizeof(out->vm[0]));
		strlcpy(out->vm[out->n].name, names[i],
		    sizeof(out->vm[0].name));
		out->vm[out->n].devs_known = false;
		out->n++;
	}
	host_names_free(names, nn);
	return (0);
}

/* DIR/root + an absolute path without ".." components. */
/* DIR/rom/pci0:B:S:F.rom: what the function's ROM window holds. */
int
km_rom_file(struct kmodel *c, const struct pci_sel *sel, char *p, size_t n)
{
	char name[64];

	pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
	return (snprintf(p, n, "%s/rom/%s.rom", c->dir, name) >= (int)n ?
	    ENAMETOOLONG : 0);
}

/* The address bits the ROM BAR keeps; false when no ROM is captured. */
bool
km_rom_mask(struct kmodel *c, const struct pci_sel *sel, uint32_t *mask)
{
	char p[PATH_MAX];
	struct stat st;
	uint64_t w;

	if (km_rom_file(c, sel, p, sizeof(p)) != 0 || stat(p, &st) != 0 ||
	    !S_ISREG(st.st_mode) || st.st_size > HOST_ROM_MAX)
		return (false);
	for (w = KM_ROM_MIN; w < (uint64_t)st.st_size; w <<= 1)
		;
	*mask = (uint32_t)~(w - 1) & ROMBAR_ADDR;
	return (true);
}

/*
 * The ROM BAR (docs/freebsd.md D-ROM1 to D-ROM8).  rom/pci0:B:S:F.rom is
 * what the function's ROM window holds.  The window is the file's size
 * rounded up to a power of two, at least 2 KiB, and the ROM BAR keeps only
 * the address bits above it, so sizing reads back the mask (D-ROM4).  The
 * window answers physical reads at the BAR's address only while memory
 * decoding (0x04 bit 1) and the ROM enable bit (0x30 bit 0) are both on;
 * otherwise a read gets all ones, as an undecoded address does (D-ROM3).
 */
int
km_rom_window(struct kmodel *c, const struct pci_sel *sel, const uint8_t *rom,
    size_t romlen, uint64_t pa, uint8_t *buf, size_t len, struct diags *d)
{
	struct pcicfg img;
	struct strbuf sb;
	char name[64];
	uint32_t cmd, bar, mask;
	uint64_t base, a;
	bool on;
	size_t i;
	int e;

	if ((e = km_cfg_read(c, sel, &img, d)) != 0)
		return (e);
	if (!pcicfg_get(&img, ROMBAR_CMD, 2, &cmd) ||
	    !pcicfg_get(&img, ROMBAR_REG, 4, &bar) ||
	    !km_rom_mask(c, sel, &mask))
		return (EIO);
	pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
	base = bar & mask;
	on = (cmd & ROMBAR_CMD_MEMEN) != 0 && (bar & ROMBAR_ENABLE) != 0;
	for (i = 0; i < len; i++) {
		a = pa + i;
		buf[i] = on && a >= base && a - base < romlen ?
		    rom[a - base] : 0xff;
	}
	sb_init(&sb);
	sb_printf(&sb, "# dd if=/dev/mem bs=%u skip=%ju count=%zu: %s ROM "
	    "window at 0x%08jx%s", KM_ROM_MIN, (uintmax_t)(pa / KM_ROM_MIN),
	    (len + KM_ROM_MIN - 1) / KM_ROM_MIN, name, (uintmax_t)pa,
	    on ? "" : ", not decoded: all ones");
	e = sb.oom ? ENOMEM : km_journal(c, sb_str(&sb));
	sb_free(&sb);
	return (e);
}

/*
 * DIR/pci/pci0:B:S:F.txt holds the configuration space; the journaled
 * writes are applied over it in order.
 */
int
km_cfg_read(struct kmodel *c, const struct pci_sel *sel,
    struct pcicfg *img, struct diags *d)
{
	char name[64], rel[96], p[PATH_MAX];
	const struct km_cfgwrite *w;
	size_t len, i;
	uint32_t mask, v;
	char *buf;
	bool rombar;
	int e;

	pcicfg_init(img);
	pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
	snprintf(rel, sizeof(rel), "pci/%s.txt", name);
	if (snprintf(p, sizeof(p), "%s/%s", c->dir, rel) >= (int)sizeof(p))
		return (ENAMETOOLONG);
	if ((e = sys_read_file(p, PCICFG_MAXFILE, &buf, &len)) != 0) {
		if (e == ENOENT)
			diag_err(d, rel, 0, "this captured host has no "
			    "configuration space of %s: capture it with "
			    "'pciconf -r %s 0:0xfff > %s'", name, name, rel);
		else
			diag_err(d, rel, 0, "cannot read: %s", sys_strerror(e));
		return (e);
	}
	e = pcicfg_parse(buf, len, rel, NULL, img, d) == 0 ? 0 : EINVAL;
	free(buf);
	if (e != 0)
		return (e);
	img->sel = *sel;
	img->have_sel = true;
	rombar = (img->b[0x0e] & 0x7f) == 0 && km_rom_mask(c, sel, &mask);
	for (i = 0; i < c->ncfgw; i++) {
		w = &c->cfgw[i];
		if (!pci_sel_eq(&w->sel, sel))
			continue;
		v = w->val;
		/* The ROM BAR keeps the address bits of its window (D-ROM4). */
		if (rombar && w->reg == ROMBAR_REG && w->width == 4)
			v &= mask | ~ROMBAR_ADDR;
		pcicfg_set(img, w->reg, w->width, v);
	}
	return (0);
}

int
km_cfg_write(struct kmodel *c, const struct pci_sel *sel, unsigned reg,
    unsigned width, uint32_t val)
{
	struct hostop op = { .kind = HOP_PCI_WRITE, .reg = reg,
	    .width = width, .val = val };
	char name[64];

	if ((width != 1 && width != 2 && width != 4) || reg % width != 0 ||
	    reg > PCICFG_EXT - width ||
	    (width < 4 && val >> (8 * width) != 0))
		return (EINVAL);
	pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
	op.a = name;
	return (km_change(c, &op));
}

void
km_close(struct kmodel *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->dir);
	free(c->rundir);
	pci_list_free(&c->pci);
	diags_free(&c->pci_diags);
	free(c->sim);
	kv_free(&c->kenv);
	kv_free(&c->kld);
	kv_free(&c->sysctl);
	kv_free(&c->sysctl_set);
	host_vm_list_free(&c->vms);
	for (i = 0; i < c->nfail; i++)
		free(c->fail[i].cmd);
	free(c->fail);
	free(c->cfgw);
	free(c);
}

int
km_open(struct kmodel **cp, const char *dir, const char *rundir,
    struct diags *d)
{
	struct kmodel *c;
	int e;

	*cp = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (ENOMEM);
	diags_init(&c->pci_diags);
	if ((c->dir = strdup(dir)) == NULL ||
	    (c->rundir = strdup(rundir)) == NULL) {
		km_close(c);
		return (ENOMEM);
	}
	if ((e = load_pci(c)) != 0 ||
	    (e = load_kv(c, "kenv.txt", &c->kenv, NULL, kv_parse_kenv, d)) ||
	    (e = load_kv(c, "kldstat.txt", &c->kld, &c->have_kld,
	    kv_parse_kldstat, d)) != 0 ||
	    (c->sim != NULL && (sim_init(c), false)) ||
	    (e = load_vms(c, d)) != 0 || (e = load_fail(c, d)) != 0 ||
	    (e = replay_journal(c, d)) != 0) {
		km_close(c);
		return (e);
	}
	*cp = c;
	return (0);
}
