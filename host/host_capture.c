/*
 * host_capture.c: a captured host ("ptvm -H DIR").  DIR holds what stock
 * FreeBSD commands print:
 *
 *	pciconf.txt	pciconf -lv (or -lbcv, or the pre-13 card=/chip= form)
 *	topology.xml	sysctl -n kern.sched.topology_spec
 *	sysctl.txt	sysctl -a ("name: value" lines)
 *	kenv.txt	kenv
 *	kldstat.txt	kldstat
 *	vmm.txt		one running VM a line: NAME [B/S/F ...] ("?" = unknown)
 *	camcontrol.txt, mount.txt, zpool-status.txt, swap.txt, netstat-rn.txt
 *			what host_tools[] print (host.h): what the host
 *			itself uses; absent, that stays unknown
 *	rom/pci0:B:S:F.rom  a function's expansion ROM (rom dump)
 *	pci/pci0:B:S:F.txt  a function's configuration space, as
 *			"pciconf -r pci0:B:S:F 0:0xfff" prints it
 *
 * Nothing of the machine ptvm runs on is read or changed.  Each change is
 * appended to DIR/journal as the equivalent FreeBSD command and replayed
 * when the directory is opened again, so later commands see it
 * (configuration writes, "pciconf -w", as plain byte stores).  Changes
 * behave as the FreeBSD 14 kernel does (see lib/bindplan.c for the facts).
 * DIR/fail lists commands that fail ("devctl detach pci0:6:0:0: EBUSY");
 * DIR/bin holds programs run in place of bhyve, bhyvectl, zfs ...; files
 * of the host live under DIR/root; runtime state under DIR/run.
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
#include "hostsys.h"
#include "sysutil.h"
#include "hostop.h"
#include "kv.h"
#include "pci.h"
#include "rombar.h"
#include "strbuf.h"
#include "util.h"

#define CAP_MAXFILE	(64 * 1024 * 1024)

struct simdev {
	char		 host_driver[PCI_NAMELEN];	/* "" = none */
	bool		 fixed;
	bool		 attached;
};

/* A journaled configuration write. */
struct cfgwrite {
	struct pci_sel	 sel;
	unsigned	 reg;
	unsigned	 width;
	uint32_t	 val;
};

struct failrule {
	char		*cmd;
	int		 err;
};

struct cap {
	bool		 loaded;
	bool		 have_pci;
	int		 pci_err;
	struct diags	 pci_diags;
	struct pci_list	 pci;
	struct simdev	*sim;
	struct kv_list	 kenv;
	struct kv_list	 kld;
	bool		 have_kld;
	struct kv_list	 sysctl;
	bool		 sysctl_loaded;
	bool		 have_sysctl;
	struct kv_list	 sysctl_set;	/* journaled sysctl changes */
	struct host_vm_list vms;
	struct failrule	*fail;
	size_t		 nfail;
	struct cfgwrite	*cfgw;
	size_t		 ncfgw;
	bool		 replaying;
};

static char *
cap_path(struct host *h, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", h->dir, name) < 0)
		return (NULL);
	return (p);
}

/* Reads DIR/name; ENOENT when absent. */
static int
cap_read(struct host *h, const char *name, char **buf, size_t *len)
{
	char *p;
	int e;

	if ((p = cap_path(h, name)) == NULL)
		return (ENOMEM);
	e = sys_read_file(p, CAP_MAXFILE, buf, len);
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
guess_driver(const struct cap *c, const struct pci_dev *d)
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

static void
sim_init(struct cap *c)
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
load_pci(struct host *h, struct cap *c)
{
	char *buf;
	size_t len;
	int e;

	e = cap_read(h, "pciconf.txt", &buf, &len);
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
load_kv(struct host *h, const char *name, struct kv_list *l, bool *have,
    int (*parse)(const char *, size_t, const char *, struct kv_list *,
    struct diags *), struct diags *d)
{
	char *buf;
	size_t len;
	int e;

	e = cap_read(h, name, &buf, &len);
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
load_vms(struct host *h, struct cap *c, struct diags *d)
{
	struct capf_vms l;
	char *buf;
	size_t len, i;
	int e;

	if ((e = cap_read(h, "vmm.txt", &buf, &len)) != 0)
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
load_fail(struct host *h, struct cap *c, struct diags *d)
{
	struct capf_fail *f;
	char *buf;
	size_t len, n, i;
	int e;

	if ((e = cap_read(h, "fail", &buf, &len)) != 0)
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
sim_vmm(struct cap *c)
{

	return (kv_get(&c->kld, "vmm.ko") != NULL ||
	    kv_get(&c->kld, "vmm") != NULL);
}

static void
sim_renumber_none(struct cap *c)
{
	size_t i;
	int n;

	for (i = 0, n = 0; i < c->pci.n; i++)
		if (pci_is_none(&c->pci.dev[i]))
			c->pci.dev[i].unit = n++;
}

static void
sim_set_name(struct cap *c, size_t i, const char *drv)
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

static bool
sim_ppt_listed(struct cap *c, const struct pci_sel *s)
{
	const char *v[PPTDEVS_VARS];

	v[0] = kv_get(&c->kenv, "pptdevs");
	v[1] = kv_get(&c->kenv, "pptdevs2");
	v[2] = kv_get(&c->kenv, "pptdevs3");
	return (pptdevs_has(v, s));
}

/* device_probe_and_attach() of function i. */
static int
sim_probe(struct cap *c, size_t i)
{
	struct pci_dev *d = &c->pci.dev[i];
	struct simdev *sd = &c->sim[i];
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

static bool
sim_vm_owned(struct cap *c, size_t i)
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

static int
sim_detach(struct cap *c, size_t i)
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

static int
sim_set_driver(struct cap *c, size_t i, const char *drv, bool force)
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

static int
sim_clear_driver(struct cap *c, size_t i, bool force)
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

static void
sim_probe_unattached(struct cap *c)
{
	size_t i;

	for (i = 0; i < c->pci.n; i++)
		if (!c->sim[i].attached)
			(void)sim_probe(c, i);
}

/* A tunable as the kernel reads an integer one: base 0, non-zero on. */
static bool
sim_tunable_on(const struct cap *c, const char *name, const char *legacy)
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
sim_vms_exist(struct host *h, struct cap *c)
{
	char p[PATH_MAX], **names;
	size_t n, i;
	bool any;

	if (c->vms.n > 0)
		return (true);
	if ((size_t)snprintf(p, sizeof(p), "%s/vmm", h->rundir) >= sizeof(p) ||
	    sys_dir_list(p, &names, &n) != 0)
		return (false);
	for (i = 0, any = false; i < n; i++)
		any |= names[i][0] != '.' && strstr(names[i], ".tmp") == NULL;
	host_names_free(names, n);
	return (any);
}

static int
sim_kld(struct host *h, struct cap *c, const char *name, bool load)
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
	if (sim_vms_exist(h, c))
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

static int
sim_dev(struct cap *c, const char *name, size_t *ip)
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

#define CAP_MAXCFGW	(1024 * 1024)

static int
sim_cfg_write(struct cap *c, size_t i, const struct hostop *op)
{
	struct cfgwrite *n;

	if (c->ncfgw >= CAP_MAXCFGW)
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
sim_apply(struct host *h, const struct hostop *op)
{
	struct cap *c = h->priv;
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
		return (sim_kld(h, c, op->a, op->kind == HOP_KLDLOAD));
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
	if ((e = sim_dev(c, op->a, &i)) != 0)
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

static int
journal_append(struct host *h, const char *line)
{
	char *p;
	int fd, e;
	size_t n;

	if ((p = cap_path(h, "journal")) == NULL)
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
cap_took_effect(const struct hostop *op, int e)
{

	return (e == 0 || (e == ENXIO && (op->kind == HOP_CLEAR_DRIVER ||
	    op->kind == HOP_SET_DRIVER)));
}

/*
 * Runs a change: the failure rules first, then the simulation, then the
 * journal line (or a comment saying it failed).
 */
static int
cap_change(struct host *h, const struct hostop *op)
{
	struct cap *c = h->priv;
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
		e = sim_apply(h, op);
		if (e != 0 && cap_took_effect(op, e)) {
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
	else if (journal_append(h, sb_str(&line)) != 0 && e == 0)
		e = EIO;
	sb_free(&sb);
	sb_free(&line);
	return (e);
}

static int
replay_journal(struct host *h, struct diags *d)
{
	struct hostop_parsed hp;
	const char *p, *end, *nl;
	char *buf, err[160];
	unsigned line;
	size_t len;
	int e;

	if ((e = cap_read(h, "journal", &buf, &len)) != 0)
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
		if ((e = sim_apply(h, &hp.op)) != 0 &&
		    !cap_took_effect(&hp.op, e))
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

/*
 * The operations.
 */
static int
cap_pci_list(struct host *h, struct pci_list *out, struct diags *d)
{
	struct cap *c = h->priv;
	struct diag *x;

	STAILQ_FOREACH(x, &c->pci_diags.head, entry)
		if (x->offset >= 0)
			diag_add_off(d, x->level, x->file, x->offset, "%s",
			    x->msg);
		else
			diag_add(d, x->level, x->file, x->line, "%s", x->msg);
	if (!c->have_pci) {
		diag_err(d, NULL, 0, "%s/pciconf.txt is missing: capture it "
		    "on the host with 'pciconf -lv > pciconf.txt'", h->dir);
		return (ENOENT);
	}
	if (c->pci_err != 0)
		return (c->pci_err);
	return (pci_list_copy(out, &c->pci) == 0 ? 0 : ENOMEM);
}

static int
cap_sysctl_get_text(struct host *h, const char *name, char **val,
    size_t *vlen)
{
	struct cap *c = h->priv;
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
		e = cap_read(h, "topology.xml", val, vlen);
		if (e != ENOENT)
			return (e);
	}
	if (!c->sysctl_loaded) {
		c->sysctl_loaded = true;
		diags_init(&d);
		(void)load_kv(h, "sysctl.txt", &c->sysctl, &c->have_sysctl,
		    kv_parse_sysctl, &d);
		diags_free(&d);
	}
	e = kv_dup(&c->sysctl, name, val);
out:
	if (e == 0)
		*vlen = strlen(*val);
	return (e);
}

static int
cap_sysctl_get(struct host *h, const char *name, char **val)
{
	size_t len;

	return (cap_sysctl_get_text(h, name, val, &len));
}

static int
cap_sysctl_set(struct host *h, const char *name, const char *val)
{
	struct hostop op = { .kind = HOP_SYSCTL_SET, .a = name, .b = val };

	return (cap_change(h, &op));
}

static int
cap_kenv_get(struct host *h, const char *name, char **val)
{
	struct cap *c = h->priv;

	*val = NULL;
	return (kv_dup(&c->kenv, name, val));
}

static int
cap_kenv_set(struct host *h, const char *name, const char *val)
{
	struct hostop op = { .kind = HOP_KENV_SET, .a = name, .b = val };

	return (cap_change(h, &op));
}

static int
cap_kenv_unset(struct host *h, const char *name)
{
	struct hostop op = { .kind = HOP_KENV_UNSET, .a = name };

	return (cap_change(h, &op));
}

static int
cap_kld_loaded(struct host *h, const char *name, bool *loaded)
{
	struct cap *c = h->priv;
	char file[64];

	snprintf(file, sizeof(file), "%s%s", name,
	    strstr(name, ".ko") != NULL ? "" : ".ko");
	*loaded = kv_get(&c->kld, file) != NULL ||
	    kv_get(&c->kld, name) != NULL;
	return (c->have_kld || *loaded ? 0 : ENOENT);
}

static int
cap_kld_load(struct host *h, const char *name)
{
	struct hostop op = { .kind = HOP_KLDLOAD, .a = name };

	return (cap_change(h, &op));
}

static int
cap_kld_unload(struct host *h, const char *name)
{
	struct hostop op = { .kind = HOP_KLDUNLOAD, .a = name };

	return (cap_change(h, &op));
}

static int
cap_dev_detach(struct host *h, const char *dev, bool force)
{
	struct hostop op = { .kind = HOP_DETACH, .a = dev, .force = force };

	return (cap_change(h, &op));
}

static int
cap_dev_attach(struct host *h, const char *dev)
{
	struct hostop op = { .kind = HOP_ATTACH, .a = dev };

	return (cap_change(h, &op));
}

static int
cap_dev_set_driver(struct host *h, const char *dev, const char *drv,
    bool force)
{
	struct hostop op = { .kind = HOP_SET_DRIVER, .a = dev, .b = drv,
	    .force = force };

	return (cap_change(h, &op));
}

static int
cap_dev_clear_driver(struct host *h, const char *dev, bool force)
{
	struct hostop op = { .kind = HOP_CLEAR_DRIVER, .a = dev,
	    .force = force };

	return (cap_change(h, &op));
}

static int
cap_dev_rescan(struct host *h, const char *dev)
{
	struct hostop op = { .kind = HOP_RESCAN, .a = dev };

	return (cap_change(h, &op));
}

/*
 * vmm.txt, plus the VMs the bhyve stand-in created in DIR/run/vmm (it
 * removes them as the kernel would, on a -D power-off or bhyvectl
 * --destroy).
 */
static int
cap_vm_list(struct host *h, struct host_vm_list *out)
{
	struct cap *c = h->priv;
	char p[PATH_MAX], **names;
	size_t i, j, nn, cap;
	int e;

	out->vm = NULL;
	out->n = 0;
	names = NULL;
	nn = 0;
	if ((size_t)snprintf(p, sizeof(p), "%s/vmm", h->rundir) < sizeof(p) &&
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
static int
root_path(struct host *h, const char *path, char *buf, size_t len)
{

	if (path[0] != '/' || strstr(path, "/../") != NULL ||
	    (strlen(path) >= 3 && strcmp(path + strlen(path) - 3, "/..") == 0))
		return (EINVAL);
	if ((size_t)snprintf(buf, len, "%s/root%s", h->dir, path) >= len)
		return (ENAMETOOLONG);
	return (0);
}

static int
cap_file_read(struct host *h, const char *path, char **buf, size_t *len)
{
	char p[PATH_MAX];
	int e;

	if ((e = root_path(h, path, p, sizeof(p))) != 0)
		return (e);
	return (sys_read_file(p, CAP_MAXFILE, buf, len));
}

static int
cap_file_stat(struct host *h, const char *path, struct host_stat *st)
{
	char p[PATH_MAX];
	int e;

	if ((e = root_path(h, path, p, sizeof(p))) != 0)
		return (e);
	/* A capture cannot hold device nodes: a file under /dev stands in. */
	return (sys_stat(p, strncmp(path, "/dev/", 5) == 0, st));
}

static int
cap_dir_list(struct host *h, const char *path, char ***names, size_t *n)
{
	char p[PATH_MAX];
	int e;

	if ((e = root_path(h, path, p, sizeof(p))) != 0)
		return (e);
	return (sys_dir_list(p, names, n));
}

static int
cap_file_write(struct host *h, const char *path, const char *data,
    size_t len, int mode)
{
	struct hostop op = { .kind = HOP_INSTALL, .b = path, .mode = mode };
	char p[PATH_MAX], rel[PATH_MAX], *slash;
	int e;

	if ((e = root_path(h, path, p, sizeof(p))) != 0)
		return (e);
	snprintf(rel, sizeof(rel), "root%s", path);
	op.a = rel;
	if ((slash = strrchr(p, '/')) != NULL) {
		*slash = '\0';
		e = sys_mkdir_p(p, 0755);
		*slash = '/';
		if (e != 0)
			return (e);
	}
	if ((e = sys_write_atomic(p, data, len, mode)) != 0)
		return (e);
	return (cap_change(h, &op));
}

/*
 * The stand-in for program argv0: DIR/bin/NAME, run only when the
 * environment says PTVM_STANDINS=1 (the tests and benchmarks).  A
 * capture is data: attached to a bug report, its programs must never run
 * by accident.  Without it, changes are journaled and nothing runs.
 */
static bool
cap_standin(struct host *h, const char *argv0, char *path, size_t sz)
{
	const char *base, *v;
	struct stat sb;

	if ((v = getenv("PTVM_STANDINS")) == NULL || strcmp(v, "1") != 0)
		return (false);
	base = strrchr(argv0, '/');
	base = base != NULL ? base + 1 : argv0;
	if (base[0] == '\0' || base[0] == '.' ||
	    (size_t)snprintf(path, sz, "%s/bin/%s", h->dir, base) >= sz)
		return (false);
	return (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    access(path, X_OK) == 0);
}

static int
cap_run(struct host *h, char *const *argv, struct host_proc *pr)
{
	struct hostop op = { .kind = HOP_EXEC,
	    .argv = (const char *const *)argv };
	char path[PATH_MAX];
	int e;

	pr->ran = false;
	pr->status = pr->signal = 0;
	if ((e = cap_change(h, &op)) != 0)
		return (e);
	if (!cap_standin(h, argv[0], path, sizeof(path)))
		return (0);
	e = sys_spawn_wait(path, argv, -1, host_run_timeout(argv), pr);
	pr->ran = e == 0 || e == ETIMEDOUT;
	return (e);
}

static int
cap_spawn(struct host *h, char *const *argv, int outfd, int *pid)
{
	struct hostop op = { .kind = HOP_EXEC,
	    .argv = (const char *const *)argv };
	char path[PATH_MAX];
	int e;

	if (argv == NULL || argv[0] == NULL)
		return (EINVAL);
	if ((e = cap_change(h, &op)) != 0)
		return (e);
	if (!cap_standin(h, argv[0], path, sizeof(path)))
		return (ENOENT);
	return (sys_spawn_fd(path, argv, outfd, pid));
}

/*
 * DIR/run/vmm/NAME, written by the bhyve stand-in (tests/bin/bhyve):
 * "pid=N", "running=yes|no", "acpi=yes|no" lines.
 */
static int
cap_vm_probe(struct host *h, const char *name, int pid,
    struct host_probe *pr)
{
	struct capf_probe cp;
	char p[PATH_MAX], *buf;
	size_t len;
	int e;

	pr->alive = false;
	pr->running = pr->acpi = -1;
	if (strchr(name, '/') != NULL || name[0] == '.' ||
	    (size_t)snprintf(p, sizeof(p), "%s/vmm/%s", h->rundir, name) >=
	    sizeof(p))
		return (EINVAL);
	if ((e = sys_read_file(p, CAP_MAXFILE, &buf, &len)) != 0)
		return (e == ENOENT ? 0 : e);
	capf_probe_parse(buf, len, &cp);
	free(buf);
	if (cp.pid == pid && pid > 0 && sys_pid_alive(pid)) {
		pr->alive = true;
		pr->running = cp.running;
		pr->acpi = cp.acpi;
	}
	return (0);
}

/* A reading program: DIR/bin/NAME when present, never journaled. */
static int
cap_run_output(struct host *h, char *const *argv, struct host_proc *pr,
    char **out, size_t *len)
{
	char path[PATH_MAX];
	int e;

	pr->ran = false;
	pr->status = pr->signal = 0;
	*out = NULL;
	*len = 0;
	if (argv == NULL || argv[0] == NULL)
		return (EINVAL);
	if (!cap_standin(h, argv[0], path, sizeof(path)))
		return (0);
	e = sys_spawn_output(path, argv, HOST_OUTPUT_MAX,
	    host_run_timeout(argv), pr, out, len);
	pr->ran = e == 0 || e == ETIMEDOUT;
	return (e);
}

/*
 * The ROM BAR (docs/freebsd.md D-ROM1 to D-ROM8).  DIR/rom/pci0:B:S:F.rom
 * is what the function's ROM window holds.  The window is the file's size
 * rounded up to a power of two, at least 2 KiB, and the ROM BAR keeps only
 * the address bits above it, so sizing reads back the mask (D-ROM4).  The
 * window answers physical reads at the BAR's address only while memory
 * decoding (0x04 bit 1) and the ROM enable bit (0x30 bit 0) are both on;
 * otherwise a read gets all ones, as an undecoded address does (D-ROM3).
 * rom dump runs lib/rombar.c over this model: reads are the capture with
 * the journaled writes applied, writes are journaled (and DIR/fail can
 * fail them), and each physical read leaves a comment in the journal.
 */
#define CAP_ROM_MIN	2048

static int	cap_pci_cfg_read(struct host *, const struct pci_sel *,
		    struct pcicfg *, struct diags *);
static int	cap_pci_cfg_write(struct host *, const struct pci_sel *,
		    unsigned, unsigned, uint32_t);

static int
cap_rom_path(struct host *h, const struct pci_sel *sel, char *p, size_t n)
{
	char name[64];

	pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
	return (snprintf(p, n, "%s/rom/%s.rom", h->dir, name) >= (int)n ?
	    ENAMETOOLONG : 0);
}

/* The address bits the ROM BAR keeps; false when no ROM is captured. */
static bool
cap_rom_mask(struct host *h, const struct pci_sel *sel, uint32_t *mask)
{
	char p[PATH_MAX];
	struct stat st;
	uint64_t w;

	if (cap_rom_path(h, sel, p, sizeof(p)) != 0 || stat(p, &st) != 0 ||
	    !S_ISREG(st.st_mode) || st.st_size > HOST_ROM_MAX)
		return (false);
	for (w = CAP_ROM_MIN; w < (uint64_t)st.st_size; w <<= 1)
		;
	*mask = (uint32_t)~(w - 1) & ROMBAR_ADDR;
	return (true);
}

struct cap_romio {
	struct host		*h;
	const struct pci_sel	*sel;
	const char		*name;
	const uint8_t		*rom;
	size_t			 romlen;
	struct diags		*d;
};

static int
cap_romio_cfg(struct cap_romio *ri, struct pcicfg *img)
{

	return (cap_pci_cfg_read(ri->h, ri->sel, img, ri->d));
}

static int
cap_rom_cfg_read(void *arg, unsigned reg, unsigned width, uint32_t *val)
{
	struct cap_romio *ri = arg;
	struct pcicfg img;
	int e;

	if ((e = cap_romio_cfg(ri, &img)) != 0)
		return (e);
	return (pcicfg_get(&img, reg, width, val) ? 0 : EIO);
}

static int
cap_rom_cfg_write(void *arg, unsigned reg, unsigned width, uint32_t val)
{
	struct cap_romio *ri = arg;

	return (cap_pci_cfg_write(ri->h, ri->sel, reg, width, val));
}

static int
cap_rom_mem_read(void *arg, uint64_t pa, uint8_t *buf, size_t len)
{
	struct cap_romio *ri = arg;
	struct pcicfg img;
	struct strbuf sb;
	uint32_t cmd, rom, mask;
	uint64_t base, a;
	bool on;
	size_t i;
	int e;

	if ((e = cap_romio_cfg(ri, &img)) != 0)
		return (e);
	if (!pcicfg_get(&img, ROMBAR_CMD, 2, &cmd) ||
	    !pcicfg_get(&img, ROMBAR_REG, 4, &rom) ||
	    !cap_rom_mask(ri->h, ri->sel, &mask))
		return (EIO);
	base = rom & mask;
	on = (cmd & ROMBAR_CMD_MEMEN) != 0 && (rom & ROMBAR_ENABLE) != 0;
	for (i = 0; i < len; i++) {
		a = pa + i;
		buf[i] = on && a >= base && a - base < ri->romlen ?
		    ri->rom[a - base] : 0xff;
	}
	sb_init(&sb);
	sb_printf(&sb, "# dd if=/dev/mem bs=%u skip=%ju count=%zu: %s ROM "
	    "window at 0x%08jx%s", CAP_ROM_MIN, (uintmax_t)(pa / CAP_ROM_MIN),
	    (len + CAP_ROM_MIN - 1) / CAP_ROM_MIN, ri->name, (uintmax_t)pa,
	    on ? "" : ", not decoded: all ones");
	e = sb.oom ? ENOMEM : journal_append(ri->h, sb_str(&sb));
	sb_free(&sb);
	return (e);
}

static int
cap_rom_read(struct host *h, const struct pci_sel *sel, uint8_t **buf,
    size_t *len, struct diags *d)
{
	struct cap_romio ri;
	struct rombar_io io;
	char name[64], p[PATH_MAX];
	char *b;
	size_t blen;
	int e;

	*buf = NULL;
	*len = 0;
	pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
	if ((e = cap_rom_path(h, sel, p, sizeof(p))) != 0)
		return (e);
	if ((e = sys_read_file(p, HOST_ROM_MAX, &b, &blen)) != 0) {
		if (e == ENOENT)
			diag_add(d, DIAG_ERROR, p, 0, "this captured host has "
			    "no ROM of %s (rom/%s.rom stands for what its ROM "
			    "BAR decodes)", name, name);
		else
			diag_add(d, DIAG_ERROR, p, 0, "%s", sys_strerror(e));
		return (e);
	}
	ri.h = h;
	ri.sel = sel;
	ri.name = name;
	ri.rom = (const uint8_t *)b;
	ri.romlen = blen;
	ri.d = d;
	io.arg = &ri;
	io.cfg_read = cap_rom_cfg_read;
	io.cfg_write = cap_rom_cfg_write;
	io.mem_read = cap_rom_mem_read;
	e = rombar_read(&io, name, HOST_ROM_MAX, buf, len, d);
	free(b);
	return (e);
}

/*
 * DIR/pci/pci0:B:S:F.txt holds the configuration space; the journaled
 * writes are applied over it in order.
 */
static int
cap_pci_cfg_read(struct host *h, const struct pci_sel *sel,
    struct pcicfg *img, struct diags *d)
{
	struct cap *c = h->priv;
	char name[64], rel[96], p[PATH_MAX];
	const struct cfgwrite *w;
	size_t len, i;
	uint32_t mask, v;
	char *buf;
	bool rombar;
	int e;

	pcicfg_init(img);
	pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
	snprintf(rel, sizeof(rel), "pci/%s.txt", name);
	if (snprintf(p, sizeof(p), "%s/%s", h->dir, rel) >= (int)sizeof(p))
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
	rombar = (img->b[0x0e] & 0x7f) == 0 && cap_rom_mask(h, sel, &mask);
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

static int
cap_pci_cfg_write(struct host *h, const struct pci_sel *sel, unsigned reg,
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
	return (cap_change(h, &op));
}

static void
cap_pause(struct host *h, unsigned ms)
{

	(void)h;
	(void)ms;
}

static void
cap_close(struct host *h)
{
	struct cap *c = h->priv;
	size_t i;

	if (c == NULL)
		return;
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

/*
 * DIR/tty: the terminal ptvm is taken to run on ("ttyv0", "pts/2"), one
 * line; absent, it runs on none (a script, rc(8) at boot).
 */
static int
cap_tty_name(struct host *h, char *buf, size_t sz)
{
	char *s;
	size_t len, n;
	int e;

	if ((e = cap_read(h, "tty", &s, &len)) != 0)
		return (e == ENOENT ? ENOTTY : e);
	n = strcspn(s, "\r\n");
	if (n == 0 || n >= sz || memchr(s, '\0', n) != NULL) {
		free(s);
		return (ENOTTY);
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strncmp(buf, "/dev/", 5) == 0)
		memmove(buf, buf + 5, n - 4);
	free(s);
	return (0);
}

/* DIR/FILE of host_tools[]; ENOENT when not captured. */
static int
cap_tool_output(struct host *h, enum host_tool t, char **out, size_t *len)
{

	*out = NULL;
	*len = 0;
	if ((unsigned)t >= HT_NTOOLS)
		return (EINVAL);
	return (cap_read(h, host_tools[t].file, out, len));
}

/* The engine's operations: HOSTSYS_OPS, then poll and the clock. */
static int64_t	cap_now(struct host *);
static void	cap_sleep(struct host *, unsigned);
static int	cap_fd_poll(struct host *, struct pollfd *, size_t, int);

static const struct host_ops cap_ops = {
	.name = "captured",
	.close = cap_close,
	.pci_list = cap_pci_list,
	.sysctl_get = cap_sysctl_get,
	.sysctl_get_text = cap_sysctl_get_text,
	.sysctl_set = cap_sysctl_set,
	.kenv_get = cap_kenv_get,
	.kenv_set = cap_kenv_set,
	.kenv_unset = cap_kenv_unset,
	.kld_loaded = cap_kld_loaded,
	.kld_load = cap_kld_load,
	.kld_unload = cap_kld_unload,
	.dev_detach = cap_dev_detach,
	.dev_attach = cap_dev_attach,
	.dev_set_driver = cap_dev_set_driver,
	.dev_clear_driver = cap_dev_clear_driver,
	.dev_rescan = cap_dev_rescan,
	.vm_list = cap_vm_list,
	.file_read = cap_file_read,
	.file_write = cap_file_write,
	.file_stat = cap_file_stat,
	.dir_list = cap_dir_list,
	.run = cap_run,
	.run_output = cap_run_output,
	.spawn = cap_spawn,
	.vm_probe = cap_vm_probe,
	.pause = cap_pause,
	.rom_read = cap_rom_read,
	.pci_cfg_read = cap_pci_cfg_read,
	.pci_cfg_write = cap_pci_cfg_write,
	.tty_name = cap_tty_name,
	.tool_output = cap_tool_output,
	HOSTSYS_OPS
	.fd_poll = cap_fd_poll,
	.now = cap_now,
	.sleep = cap_sleep,
};

static char *
cap_sub(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return (NULL);
	return (p);
}

int
host_open_captured(struct host **hp, const char *dir, struct diags *d)
{
	struct host *h;
	struct cap *c;
	struct stat sb;
	int e;

	*hp = NULL;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		diag_err(d, dir, 0, "not a captured host directory: %s",
		    stat(dir, &sb) != 0 ? strerror(errno) :
		    "not a directory");
		return (ENOENT);
	}
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		free(h);
		return (ENOMEM);
	}
	h->ops = &cap_ops;
	h->priv = c;
	diags_init(&c->pci_diags);
	/* Absolute: a daemonized supervisor and the logs name it. */
	if ((h->dir = realpath(dir, NULL)) == NULL ||
	    (h->rundir = cap_sub(h->dir, "run")) == NULL ||
	    (h->logdir = cap_sub(h->dir, "log")) == NULL) {
		host_close(h);
		return (ENOMEM);
	}
	if ((e = load_pci(h, c)) != 0 ||
	    (e = load_kv(h, "kenv.txt", &c->kenv, NULL, kv_parse_kenv, d)) ||
	    (e = load_kv(h, "kldstat.txt", &c->kld, &c->have_kld,
	    kv_parse_kldstat, d)) != 0 ||
	    (c->sim != NULL && (sim_init(c), false)) ||
	    (e = load_vms(h, c, d)) != 0 || (e = load_fail(h, c, d)) != 0 ||
	    (e = replay_journal(h, d)) != 0) {
		host_close(h);
		return (e);
	}
	*hp = h;
	return (0);
}

/*
 * The engine's operations (host.h, from st_read on).  The runtime files,
 * locks, processes and sockets are hostsys.c's, as on the live host: the
 * captured host's run and log directories (DIR/run, DIR/log) are real
 * directories, and its supervisor and stand-ins real processes.  Its
 * clock goes through cap_clock, which a test harness may replace
 * (host_capture_clock) to run the supervisor's timers without waiting.
 */
static struct host_clock cap_clock;

struct host_clock
host_capture_clock(const struct host_clock *c)
{
	struct host_clock old = cap_clock;

	if (c != NULL)
		cap_clock = *c;
	else
		memset(&cap_clock, 0, sizeof(cap_clock));
	return (old);
}

static int64_t
cap_now(struct host *h)
{

	(void)h;
	return (cap_clock.now != NULL ? cap_clock.now(cap_clock.arg) :
	    hs_mono_ms());
}

static void
cap_sleep(struct host *h, unsigned ms)
{

	(void)h;
	if (cap_clock.sleep != NULL)
		cap_clock.sleep(cap_clock.arg, ms);
	else
		hs_sleep_ms(ms);
}

/*
 * poll(2) under the clock: with a test clock, a wait of ms > 0 waits at
 * most the clock's real_ms of real time (the real processes' events
 * still arrive), and when nothing came the clock moves on by ms, as if
 * the whole timeout had passed.  A wait without a timeout (-1) blocks.
 */
static int
cap_fd_poll(struct host *h, struct pollfd *pfd, size_t n, int ms)
{
	int r;

	if (cap_clock.now == NULL || ms <= 0)
		return (hs_fd_poll(h, pfd, n, ms));
	r = hs_fd_poll(h, pfd, n, cap_clock.real_ms < ms ?
	    cap_clock.real_ms : ms);
	if (r == 0 && cap_clock.sleep != NULL)
		cap_clock.sleep(cap_clock.arg, (unsigned)ms);
	return (r);
}
