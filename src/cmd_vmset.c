/*
 * cmd_vmset.c: commands that set keys of a VM file in place, as the disk
 * commands do (vmedit_set(): comments and order kept, checked, written
 * atomically): "ptvm pin --set" and "ptvm smbios".
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcfg.h"
#include "bhyvekeys.h"
#include "disk.h"
#include "kv.h"
#include "opt.h"
#include "pin.h"
#include "ptvm.h"
#include "vmconf.h"
#include "vmedit.h"
#include "vmload.h"

/* "-H DIR " when -H was given, for the next command to run. */
static const char *
hflag(struct ptvm_ctx *ctx, char *buf, size_t len)
{

	if (ctx->eng.hostdir == NULL)
		return ("");
	(void)snprintf(buf, len, "-H %s ", ctx->eng.hostdir);
	return (buf);
}

static void
changes_print(const char *file, const struct vmedit *e)
{
	static const char *const how[] = { "added", "changed",
	    "uncommented", "commented" };
	size_t i;

	for (i = 0; i < e->n; i++)
		if (e->c[i].before != NULL && e->c[i].kind == VME_REPLACED)
			printf("%s:%u: %s (was %s)\n", file, e->c[i].line,
			    e->c[i].after, e->c[i].before);
		else
			printf("%s:%u: %s (%s)\n", file, e->c[i].line,
			    e->c[i].after, how[e->c[i].kind]);
}

int
vm_set_keys(struct ptvm_ctx *ctx, const char *vm, const struct vmedit_pair *p,
    size_t n, const char *comment)
{
	struct vm_load ld;
	struct vmedit e;
	char why[512], hf[1100];
	int rv, run;

	vm_load_init(&ld);
	vmedit_init(&e);
	rv = EXIT_FAIL;
	if (vm_load(&ctx->eng, vm, &ld) != 0)
		goto out;
	/* pin=none loads no topology; the new pin= may need it. */
	if (ld.topo == NULL && eng_topo(&ctx->eng, &ld.topo) == 0)
		ld.env.topo = ld.topo;
	if (vmedit_set(ld.buf, ld.len, ld.path, p, n, comment, &e,
	    &ctx->diags) != 0 ||
	    vm_recompile(&ctx->eng, &ld, e.out.s, e.out.len) != 0)
		goto out;
	if (e.n == 0) {
		printf("%s: already says so; nothing to change\n", ld.path);
		rv = EXIT_OK;
		goto out;
	}
	if (vm_write(&ctx->eng, vm, &ld, e.out.s, e.out.len) != 0)
		goto out;
	changes_print(ld.path, &e);
	if ((run = vm_running(&ctx->eng, ld.vm.name, why, sizeof(why))) != 0)
		printf("%s %s (%s): the change takes effect at its next "
		    "start\n", ld.vm.name, run > 0 ? "is running" :
		    "may be running", why);
	printf("next: ptvm %scheck %s\n", hflag(ctx, hf, sizeof(hf)),
	    ld.vm.name);
	rv = EXIT_OK;
out:
	vmedit_free(&e);
	vm_load_free(&ld);
	return (rv);
}

/* ---- pin --set ---- */

int
pin_set(struct ptvm_ctx *ctx, const char *vm, const struct pin_req *req)
{
	struct vmedit_pair p[3];
	struct strbuf rs;
	char n[16];
	size_t k;
	int rv;

	(void)snprintf(n, sizeof(n), "%d", req->nvcpus);
	k = 0;
	p[k].key = "cpus";
	p[k++].val = n;
	p[k].key = "pin";
	p[k++].val = pin_policy_name(req->policy);
	sb_init(&rs);
	if (req->reserve_set) {
		if (topo_set_count(&req->reserve) == 0)
			sb_puts(&rs, "none");
		else
			cpuset_format(&req->reserve, &rs);
		p[k].key = "pin.reserve";
		p[k++].val = sb_str(&rs);
	}
	rv = rs.oom ? EXIT_FAIL : vm_set_keys(ctx, vm, p, k,
	    "# vCPUs and their pins (ptvm pin --set)\n");
	sb_free(&rs);
	return (rv);
}

/* ---- set ---- */

/*
 * "ptvm set vm key=value ...": the keys set where they are, a commented
 * "#key=..." line taken back (import's commented passthru line), or
 * added at the end; the new file must compile (vm_set_keys), so a key
 * ptvm.conf(5) does not know, or a value it refuses, changes nothing.
 */
int
cmd_set(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef defs[] = { OPTDEF_END };
	struct vmedit_pair p[32];
	struct opts o;
	char *eq;
	int i, n;

	opt_init(&o, ctx->cmdname, argc, argv, defs);
	if (opt_next(&o) != OPT_END)
		return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
	if ((n = opt_operands(&o, &argv)) < 2)
		return (out_usage_error(ctx->cmdname, ctx->cmd,
		    "a VM and at least one key=value"));
	if (n - 1 > (int)nitems(p))
		return (out_usage_error(ctx->cmdname, ctx->cmd,
		    "at most %zu keys at a time", nitems(p)));
	for (i = 1; i < n; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL || eq == argv[i]) {
			diag_err(&ctx->diags, NULL, 0, "%s: not key=value "
			    "(ptvm.conf(5) lists the keys)", argv[i]);
			(void)out_diags(ctx);
			return (EXIT_USAGE);
		}
		*eq = '\0';
		p[i - 1].key = argv[i];
		p[i - 1].val = eq + 1;
	}
	return (vm_set_keys(ctx, argv[0], p, (size_t)(n - 1),
	    "# set by ptvm set\n"));
}

/* ---- smbios ---- */

/* The keys of bhyve's SMBIOS tables (smbiostbl.c, docs/freebsd.md). */
static const char *const smbios_keys[] = {
	"bios.vendor", "bios.version", "bios.release_date",
	"system.family_name", "system.manufacturer", "system.product_name",
	"system.serial_number", "system.sku", "system.version",
	"board.manufacturer", "board.product_name", "board.version",
	"board.serial_number", "board.asset_tag", "board.location",
	"chassis.manufacturer", "chassis.version", "chassis.serial_number",
	"chassis.asset_tag", "chassis.sku",
};

static const char *const lpc_keys[] = {
	"pci.0.31.0.pcireg.vendor", "pci.0.31.0.pcireg.device",
	"pci.0.31.0.pcireg.subvendor", "pci.0.31.0.pcireg.subdevice",
};

static bool
smbios_key(const char *k)
{
	size_t i;

	for (i = 0; i < nitems(smbios_keys); i++)
		if (strcmp(k, smbios_keys[i]) == 0)
			return (true);
	return (false);
}

static bool
lpc_key(const char *k)
{
	size_t i;

	for (i = 0; i < nitems(lpc_keys); i++)
		if (strcmp(k, lpc_keys[i]) == 0)
			return (true);
	return (false);
}

/* The guide's mistakes bhyve ignores, as vmimport.c corrects them. */
static const char *
smbios_corrected(const char *key, char *buf, size_t len)
{

	if (strncmp(key, "chasis.", 7) == 0) {
		(void)snprintf(buf, len, "chassis.%s", key + 7);
		return (buf);
	}
	if (strcmp(key, "bios.family_name") == 0)
		return ("system.family_name");
	return (NULL);
}

/* What the guest sees: the compiled configuration's SMBIOS and LPC. */
static int
smbios_show(struct ptvm_ctx *ctx, const char *vm)
{
	struct vm_load ld;
	const struct bcfg_var *v;
	const struct pci_dev *d;
	size_t i;
	bool any;

	vm_load_init(&ld);
	if (vm_load(&ctx->eng, vm, &ld) != 0) {
		vm_load_free(&ld);
		return (EXIT_FAIL);
	}
	printf("SMBIOS strings the guest of %s sees (unset: bhyve's own, "
	    "which name bhyve):\n", ld.vm.name);
	for (i = 0; i < nitems(smbios_keys); i++) {
		v = bcfg_find(&ld.vm.cfg, smbios_keys[i]);
		printf("  %-22s %s\n", smbios_keys[i], v != NULL ? v->val :
		    "(bhyve's default)");
	}
	printf("LPC bridge (guest pci0:0:31:0):\n");
	for (any = false, i = 0; i < nitems(lpc_keys); i++)
		if ((v = bcfg_find(&ld.vm.cfg, lpc_keys[i])) != NULL) {
			printf("  %-28s %s\n", lpc_keys[i] + 11, v->val);
			any = true;
		}
	if (!any)
		printf("  bhyve's own IDs (8086:7000, an Intel PIIX3); lpc=host "
		    "shows the host's\n");
	else if (ld.env.pci != NULL || ctx_pci(ctx, &ld.pci) == 0)
		for (i = 0; i < ld.pci.n; i++) {
			d = &ld.pci.dev[i];
			if (d->class >> 8 == 0x0601) {
				printf("  host: the host's ISA/LPC bridge at "
				    "pci0:%u:%u:%u, %04x:%04x subsystem "
				    "%04x:%04x\n", d->sel.bus, d->sel.slot,
				    d->sel.func, d->vendor, d->device,
				    d->subvendor, d->subdevice);
				break;
			}
		}
	vm_load_free(&ld);
	return (EXIT_OK);
}

/* smbios VM host: the host's kenv smbios.* strings. */
static int
smbios_host(struct ptvm_ctx *ctx, struct vmedit_pair *p, char **vals,
    size_t *n)
{
	struct host *h;
	const char *kenv, *key;
	char *val;
	size_t i;

	if (ctx_host(ctx, &h) != 0)
		return (-1);
	*n = 0;
	for (i = 0; vm_smbios_map(i, &kenv, &key) == 0; i++) {
		if (h->ops->kenv_get(h, kenv, &val) != 0)
			continue;
		if (*val == '\0') {
			free(val);
			continue;
		}
		vals[*n] = val;
		p[*n].key = key;
		p[*n].val = val;
		(*n)++;
	}
	if (*n == 0) {
		diag_err(&ctx->diags, NULL, 0, "the host's kenv has no "
		    "smbios.* strings (kenv | grep smbios); give a file of "
		    "key=value lines instead");
		return (-1);
	}
	return (0);
}

/* smbios VM FILE: key=value lines, each checked against bhyve's keys. */
static int
smbios_file(struct ptvm_ctx *ctx, const char *file, struct vmedit_pair *p,
    char **vals, size_t *n, size_t max)
{
	struct vmconf c;
	const char *key;
	char *buf, fix[64];
	size_t len, i, k;
	int e, bad;

	if ((e = LH->ops->lf_read(LH, file, 1 << 16, &buf, &len)) != 0) {
		diag_err(&ctx->diags, file, 0, "%s", sys_strerror(e));
		return (-1);
	}
	/* The guide's "-o key=value" lines as they are: "-o " is blanked. */
	for (i = 0; i < len; i = k + 1) {
		for (k = i; k < len && (buf[k] == ' ' || buf[k] == '\t'); k++)
			;
		if (k + 2 < len && buf[k] == '-' && buf[k + 1] == 'o' &&
		    (buf[k + 2] == ' ' || buf[k + 2] == '\t'))
			buf[k] = buf[k + 1] = ' ';
		for (k = i; k < len && buf[k] != '\n'; k++)
			;
	}
	e = vmconf_parse(buf, len, file, "smbios", &c, &ctx->diags);
	free(buf);
	if (e != 0)
		return (-1);
	*n = 0;
	bad = 0;
	for (i = 0; i < c.n; i++) {
		key = c.l[i].key;
		if (smbios_corrected(key, fix, sizeof(fix)) != NULL) {
			diag_warn(&ctx->diags, file, c.l[i].line, "%s: bhyve "
			    "has no such key and ignores it without a word; "
			    "written as %s", key, smbios_corrected(key, fix,
			    sizeof(fix)));
			key = smbios_corrected(key, fix, sizeof(fix));
		}
		if (!smbios_key(key) && !lpc_key(key)) {
			diag_err(&ctx->diags, file, c.l[i].line, "%s: not one "
			    "of bhyve's SMBIOS keys (bios.*, system.*, board.*, "
			    "chassis.*) or the LPC bridge's "
			    "(pci.0.31.0.pcireg.*)", key);
			bad = 1;
			continue;
		}
		for (k = 0; k < *n && strcmp(p[k].key, key) != 0; k++)
			;
		if (*n == max) {
			bad = 1;
			break;
		}
		if ((vals[2 * *n] = strdup(key)) == NULL ||
		    (vals[2 * *n + 1] = strdup(c.l[i].val)) == NULL) {
			free(vals[2 * *n]);
			bad = 1;
			break;
		}
		if (k < *n) {	/* the later line wins */
			diag_warn(&ctx->diags, file, c.l[i].line, "%s is given "
			    "twice; this line counts", key);
			p[k].val = vals[2 * *n + 1];
			free(vals[2 * *n]);
			vals[2 * *n] = NULL;
			continue;
		}
		p[*n].key = vals[2 * *n];
		p[*n].val = vals[2 * *n + 1];
		(*n)++;
	}
	vmconf_free(&c);
	if (!bad && *n == 0) {
		diag_err(&ctx->diags, file, 0, "no key=value lines");
		bad = 1;
	}
	return (bad ? -1 : 0);
}

int
cmd_smbios(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef defs[] = {
		{ 's', 0, "show", false, NULL },
		OPTDEF_END
	};
	struct opts o;
	struct vmedit_pair p[64];
	char *vals[128];
	size_t n, i;
	bool show;
	int ch, rv;

	show = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		switch (ch) {
		case 's':
			show = true;
			break;
		default:
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		}
	}
	argc = opt_operands(&o, &argv);
	if (show && argc == 1)
		return (smbios_show(ctx, argv[0]));
	if (show || argc != 2)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "give a VM and "
		    "host or a file of key=value lines, or --show and a VM"));
	memset(vals, 0, sizeof(vals));
	n = 0;
	if (strcmp(argv[1], "host") == 0)
		rv = smbios_host(ctx, p, vals, &n);
	else
		rv = smbios_file(ctx, argv[1], p, vals, &n, nitems(p));
	if (rv == 0)
		rv = vm_set_keys(ctx, argv[0], p, n, strcmp(argv[1], "host") ==
		    0 ? "# SMBIOS strings: the host's (ptvm smbios VM host)\n" :
		    "# SMBIOS strings (ptvm smbios)\n");
	else
		rv = EXIT_FAIL;
	for (i = 0; i < nitems(vals); i++)
		free(vals[i]);
	return (rv);
}
