/*
 * vmimport.c: a bhyve configuration (from a command line) written as a VM
 * file.  Devices become ptvm keys with slot= so the guest keeps its PCI
 * layout; settings that differ from ptvm's defaults are written out so
 * that "ptvm show" gives the same configuration back; anything without a
 * ptvm key stays a bhyve key.  The guide's mistakes are corrected with a
 * comment saying what was there.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcfg.h"
#include "strbuf.h"
#include "vmconf.h"

/* Keys written already (as ptvm keys or on purpose left out). */
struct imp {
	const struct bcfg *cfg;
	bool		*done;
	struct strbuf	*out;
	struct diags	*d;
};

static const char *
get(struct imp *im, const char *key, bool take)
{
	struct bcfg_var *v;

	if ((v = bcfg_find(im->cfg, key)) == NULL)
		return (NULL);
	if (take)
		im->done[v - im->cfg->v] = true;
	return (v->val);
}

static const char *
dget(struct imp *im, unsigned b, unsigned s, unsigned f, const char *what,
    bool take)
{
	char key[96];

	(void)snprintf(key, sizeof(key), "pci.%u.%u.%u.%s", b, s, f, what);
	return (get(im, key, take));
}

/* Marks every key of a device taken once it was written as a ptvm key. */
static void
dtake_all(struct imp *im, unsigned b, unsigned s, unsigned f)
{
	char pfx[48];
	size_t i, n;

	n = (size_t)snprintf(pfx, sizeof(pfx), "pci.%u.%u.%u.", b, s, f);
	for (i = 0; i < im->cfg->n; i++)
		if (strncmp(im->cfg->v[i].key, pfx, n) == 0)
			im->done[i] = true;
}

/* Options of a device that are neither its main value nor ptvm's own. */
static void
dopts(struct imp *im, unsigned b, unsigned s, unsigned f, const char *sub,
    const char *const *skip)
{
	char pfx[64];
	const char *k;
	size_t i, n, j;

	n = (size_t)snprintf(pfx, sizeof(pfx), "pci.%u.%u.%u.%s", b, s, f,
	    sub);
	for (i = 0; i < im->cfg->n; i++) {
		k = im->cfg->v[i].key;
		if (strncmp(k, pfx, n) != 0 || strchr(k + n, '.') != NULL)
			continue;
		for (j = 0; skip[j] != NULL; j++)
			if (strcmp(k + n, skip[j]) == 0)
				break;
		if (skip[j] != NULL)
			continue;
		sb_printf(im->out, ",%s=%s", k + n, im->cfg->v[i].val);
	}
}

static void
dev_one(struct imp *im, unsigned b, unsigned s, unsigned f, const char *dev)
{
	static const char *const pt[] = { "device", "bus", "slot", "func",
	    "rom", NULL };
	static const char *const blk[] = { "device", "path", NULL };
	static const char *const port[] = { "type", "path", NULL };
	static const char *const net[] = { "device", "backend", NULL };
	static const char *const fb[] = { "device", "tcp", NULL };
	const char *v, *t, *x;
	char slot[24];

	if (b == 0)
		(void)snprintf(slot, sizeof(slot), "%u:%u", s, f);
	else
		(void)snprintf(slot, sizeof(slot), "%u:%u:%u", b, s, f);
	if (strcmp(dev, "passthru") == 0 && dget(im, b, s, f, "bus", false) &&
	    dget(im, b, s, f, "slot", false) && dget(im, b, s, f, "func",
	    false)) {
		sb_printf(im->out, "passthru=%s/%s/%s", dget(im, b, s, f,
		    "bus", false), dget(im, b, s, f, "slot", false),
		    dget(im, b, s, f, "func", false));
		if ((v = dget(im, b, s, f, "rom", false)) != NULL)
			sb_printf(im->out, ",rom=%s", v);
		dopts(im, b, s, f, "", pt);
	} else if ((strcmp(dev, "nvme") == 0 || strcmp(dev, "virtio-blk") ==
	    0) && (v = dget(im, b, s, f, "path", false)) != NULL) {
		sb_printf(im->out, "disk=%s", v);
		if (strcmp(dev, "nvme") != 0)
			sb_printf(im->out, ",type=%s", dev);
		dopts(im, b, s, f, "", blk);
	} else if (strcmp(dev, "ahci") == 0 &&
	    (v = dget(im, b, s, f, "port.0.path", false)) != NULL &&
	    (t = dget(im, b, s, f, "port.0.type", false)) != NULL &&
	    dget(im, b, s, f, "port.1.path", false) == NULL) {
		if (strcmp(t, "cd") == 0)
			sb_printf(im->out, "cdrom=%s", v);
		else
			sb_printf(im->out, "disk=%s,type=ahci", v);
		dopts(im, b, s, f, "port.0.", port);
	} else if ((strcmp(dev, "virtio-net") == 0 || strcmp(dev, "e1000") ==
	    0) && (v = dget(im, b, s, f, "backend", false)) != NULL &&
	    (strncmp(v, "tap", 3) == 0 || strncmp(v, "vmnet", 5) == 0)) {
		sb_printf(im->out, "net=%s", v);
		if (strcmp(dev, "e1000") == 0)
			sb_puts(im->out, ",type=e1000");
		dopts(im, b, s, f, "", net);
	} else if (strcmp(dev, "fbuf") == 0 &&
	    (v = dget(im, b, s, f, "tcp", false)) != NULL && f < 7 &&
	    (x = dget(im, b, s, f + 1, "device", false)) != NULL &&
	    strcmp(x, "xhci") == 0 &&
	    (x = dget(im, b, s, f + 1, "slot.1.device", false)) != NULL &&
	    strcmp(x, "tablet") == 0) {
		sb_printf(im->out, "vnc=%s", v);
		dopts(im, b, s, f, "", fb);
		dtake_all(im, b, s, f + 1);
	} else {
		return;		/* stays as bhyve keys */
	}
	sb_printf(im->out, ",slot=%s\n", slot);
	dtake_all(im, b, s, f);
}

static void
devices(struct imp *im)
{
	unsigned b, s, f;
	size_t i;
	int n;

	for (i = 0; i < im->cfg->n; i++) {
		n = 0;
		if (im->done[i] || sscanf(im->cfg->v[i].key,
		    "pci.%u.%u.%u.device%n", &b, &s, &f, &n) != 3 || n == 0 ||
		    im->cfg->v[i].key[n] != '\0')
			continue;
		if ((b == 0 && s == 0 && f == 0 &&
		    strcmp(im->cfg->v[i].val, "hostbridge") == 0) ||
		    (b == 0 && s == 31 && f == 0 &&
		    strcmp(im->cfg->v[i].val, "lpc") == 0)) {
			im->done[i] = true;	/* ptvm's defaults */
			continue;
		}
		dev_one(im, b, s, f, im->cfg->v[i].val);
	}
}

/* The guide's mistakes that bhyve ignores, and what was meant. */
static const char *
corrected(const char *key, char *buf, size_t len)
{

	if (strncmp(key, "chasis.", 7) == 0) {
		(void)snprintf(buf, len, "chassis.%s", key + 7);
		return (buf);
	}
	if (strcmp(key, "bios.family_name") == 0)
		return ("system.family_name");
	return (NULL);
}

/* ptvm's defaults; a script that differs keeps its own value. */
static const char *const ptvm_defaults[][2] = {
	{ "acpi_tables", "true" },
	{ "destroy_on_poweroff", "true" },
	{ "memory.wired", "true" },
	{ "x86.vmexit_on_hlt", "true" },
	{ "x86.strictmsr", "false" },
};

static void
flags(struct imp *im)
{
	const char *v;
	size_t i;

	for (i = 0; i < nitems(ptvm_defaults); i++) {
		v = get(im, ptvm_defaults[i][0], true);
		if (v == NULL)
			sb_printf(im->out, "# not in the script; ptvm's "
			    "default is %s\n%s=%s\n", ptvm_defaults[i][1],
			    ptvm_defaults[i][0], strcmp(ptvm_defaults[i][1],
			    "true") == 0 ? "false" : "true");
		else if (bcfg_bool(v) != bcfg_bool(ptvm_defaults[i][1]))
			sb_printf(im->out, "%s=%s\n", ptvm_defaults[i][0], v);
	}
}

static void
pins(struct imp *im)
{
	char key[32];
	const char *v;
	bool any;
	int i;

	any = false;
	for (i = 0; i < VM_MAXVCPUS; i++) {
		(void)snprintf(key, sizeof(key), "vcpu.%d.cpuset", i);
		if ((v = get(im, key, false)) == NULL ||
		    strspn(v, "0123456789") != strlen(v))
			continue;	/* a CPU list stays a bhyve key */
		(void)get(im, key, true);
		sb_printf(im->out, "%s%d:%s", any ? " " : "pin=", i, v);
		any = true;
	}
	if (any)
		sb_putc(im->out, '\n');
	else
		sb_puts(im->out, "# The script does not pin; ptvm can plan it: "
		    "pin=threads\npin=none\n");
}

/*
 * "-c N" alone: bhyve's calc_topology() makes sockets the vCPU count and
 * cores and threads 1 (docs/freebsd.md B-ISO3), while ptvm gives one
 * socket of N cores; said, since a Windows client guest uses at most two
 * sockets and so saw two of the script's vCPUs.
 */
static void
topology_note(struct imp *im, const char *cpus)
{
	const struct bcfg_var *cv;

	if (bcfg_find(im->cfg, "sockets") != NULL ||
	    bcfg_find(im->cfg, "cores") != NULL ||
	    bcfg_find(im->cfg, "threads") != NULL ||
	    strcmp(cpus, "1") == 0)
		return;
	cv = bcfg_find(im->cfg, "cpus");
	diag_warn(im->d, cv->file, cv->line, "-c %s without sockets gives the "
	    "guest %s sockets of 1 core (bhyve's calc_topology); ptvm gives "
	    "it 1 socket of %s cores; write sockets=%s to keep the script's",
	    cpus, cpus, cpus, cpus);
	sb_printf(im->out, "# -c %s without sockets gave the guest %s sockets "
	    "of 1 core (bhyve\n# sets sockets=cpus); ptvm gives it 1 socket "
	    "of %s cores (Windows client\n# editions use at most 2 sockets). "
	    "sockets=%s keeps the script's.\n", cpus, cpus, cpus, cpus);
}

int
vm_import(const struct bcfg *cfg, const char *src, struct strbuf *out,
    struct diags *d)
{
	struct imp im;
	const char *v;
	char buf[96];
	const char *fix;
	size_t i;

	memset(&im, 0, sizeof(im));
	im.cfg = cfg;
	im.out = out;
	im.d = d;
	if ((im.done = calloc(cfg->n + 1, sizeof(bool))) == NULL)
		return (-1);
	sb_printf(out, "# Imported by ptvm from %s (ptvm.conf(5)).\n", src);
	if (get(&im, "name", true) == NULL)
		diag_warn(d, src, 0, "the bhyve command line names no VM");
	if ((v = get(&im, "cpus", true)) != NULL) {
		topology_note(&im, v);
		sb_printf(out, "cpus=%s\n", v);
	}
	if ((v = get(&im, "memory.size", true)) != NULL)
		sb_printf(out, "memory=%s\n", v);
	pins(&im);
	if ((v = get(&im, "lpc.bootrom", true)) != NULL)
		sb_printf(out, "firmware=%s\n", v);
	if ((v = get(&im, "lpc.bootvars", true)) != NULL)
		sb_printf(out, "firmware.vars=%s\n", v);
	else if (v == NULL && bcfg_get(cfg, "lpc.bootrom") != NULL)
		sb_puts(out, "firmware.vars=none\n");
	v = get(&im, "lpc.com1.path", false);
	if (v != NULL && strncmp(v, "/dev/nmdm", 9) == 0 &&
	    v[strlen(v) - 1] == 'A') {
		(void)get(&im, "lpc.com1.path", true);
		sb_printf(out, "console=%s\n", v);
	} else if (v == NULL)
		sb_puts(out, "console=none\n");
	flags(&im);
	devices(&im);
	for (i = 0; i < cfg->n; i++) {
		if (im.done[i])
			continue;
		if ((fix = corrected(cfg->v[i].key, buf, sizeof(buf))) !=
		    NULL) {
			diag_warn(d, cfg->v[i].file, cfg->v[i].line, "%s: "
			    "bhyve has no such key and ignores it without a "
			    "word; written as %s", cfg->v[i].key, fix);
			sb_printf(out, "# was %s, which bhyve ignores\n%s=%s\n",
			    cfg->v[i].key, fix, cfg->v[i].val);
			continue;
		}
		sb_printf(out, "%s=%s\n", cfg->v[i].key, cfg->v[i].val);
	}
	free(im.done);
	return (0);
}
