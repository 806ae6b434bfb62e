/*
 * cmd_host.c: "ptvm host setup" and "ptvm host capture".
 */
#include "compat.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "ptvm.h"
#include "loaderconf.h"
#include "util.h"

#define DROPIN		"/boot/loader.conf.d/ptvm.conf"
#define SYSCTL_LOCAL	"/etc/sysctl.conf.local"

static const char dropin_header[] =
    "# GPU passthrough settings for bhyve, read by loader(8) at boot.\n"
    "# Written by \"ptvm host setup --persistent\"; ptvm updates the\n"
    "# lines it owns and keeps everything else.\n";

/* The functions to pass: the named ones, else those on ppt now. */
static int
setup_ents(struct ptvm_ctx *ctx, struct bind_env *env, int argc,
    char **argv, char ents[][16], size_t max, size_t *n)
{
	const struct pci_dev *d;
	size_t *idx, ni, i;
	int bad;

	*n = 0;
	if (argc == 0) {
		for (i = 0; i < env->pci.n && *n < max; i++)
			if (pci_is_ppt(&env->pci.dev[i]))
				pci_sel_fmt(&env->pci.dev[i].sel, SEL_BHYVE,
				    ents[(*n)++], 16);
		return (0);
	}
	if (bind_resolve(&ctx->eng, env, argc, argv, &idx, &ni) != 0) {
		free(idx);
		return (-1);
	}
	for (i = 0, bad = 0; i < ni && *n < max; i++) {
		d = &env->pci.dev[idx[i]];
		if (pci_is_bridge(d) || d->sel.domain != 0) {
			diag_err(&ctx->diags, NULL, 0, "%s cannot be passed "
			    "through (%s)", argv[i], pci_is_bridge(d) ?
			    "a PCI bridge" : "not in PCI domain 0");
			bad++;
			continue;
		}
		pci_sel_fmt(&d->sel, SEL_BHYVE, ents[(*n)++], 16);
	}
	free(idx);
	return (bad > 0 ? -1 : 0);
}

/* Sets name in *cur (a malloc'd file image) keeping everything else. */
static int
edit(char **cur, size_t *len, enum conf_style st, const char *name,
    const char *value, const char *comment)
{
	struct strbuf out;

	sb_init(&out);
	(void)conf_set(*cur, *len, st, name, value, comment, &out);
	if (out.oom) {
		sb_free(&out);
		return (ENOMEM);
	}
	free(*cur);
	*cur = out.s != NULL ? out.s : strdup("");
	*len = out.len;
	return (*cur == NULL ? ENOMEM : 0);
}

/*
 * The other loader files that set what the drop-in sets (freebsd.md#L1):
 * loader(8) reads /boot/loader.conf, then /boot/loader.conf.d/ *.conf in
 * directory order, then (since FreeBSD 14.1) /boot/loader.conf.local, and
 * the value read last wins.  So loader.conf.local overrides the drop-in,
 * another drop-in is a toss-up, and loader.conf is overridden by it.
 */
static void
warn_loader_file(struct ptvm_ctx *ctx, struct host *h, const char *path,
    int rank)
{
	static const char *const keys[] = { "pptdevs", "pptdevs2",
	    "pptdevs3", "vmm_load", "hw.vmm.amdvi.enable" };
	char *buf, *v;
	size_t len, i;

	if (h->ops->file_read(h, path, &buf, &len) != 0)
		return;
	for (i = 0; i < nitems(keys); i++) {
		if ((v = conf_get(buf, len, keys[i])) == NULL)
			continue;
		if (rank < 0)
			diag_note(&ctx->diags, path, 0, "also sets %s=\"%s\"; "
			    "%s is read after it and wins", keys[i], v, DROPIN);
		else if (rank == 0)
			diag_warn(&ctx->diags, path, 0, "also sets %s=\"%s\": "
			    "loader(8) reads the files of /boot/loader.conf.d "
			    "in directory order, so which value wins is not "
			    "defined; remove it there", keys[i], v);
		else
			diag_warn(&ctx->diags, path, 0, "also sets %s=\"%s\", "
			    "which overrides %s (loader(8) reads "
			    "loader.conf.local last since FreeBSD 14.1); remove "
			    "it there", keys[i], v, DROPIN);
		free(v);
	}
	free(buf);
}

static void
warn_loader_conf(struct ptvm_ctx *ctx, struct host *h)
{
	char **names, path[PATH_MAX];
	size_t n, i, k;

	warn_loader_file(ctx, h, "/boot/loader.conf", -1);
	if (h->ops->dir_list(h, "/boot/loader.conf.d", &names, &n) == 0) {
		for (i = 0; i < n; i++) {
			k = strlen(names[i]);
			if (k <= 5 || strcmp(names[i] + k - 5, ".conf") != 0 ||
			    strcmp(names[i], "ptvm.conf") == 0 ||
			    (size_t)snprintf(path, sizeof(path),
			    "/boot/loader.conf.d/%s", names[i]) >= sizeof(path))
				continue;
			warn_loader_file(ctx, h, path, 0);
		}
		host_names_free(names, n);
	}
	warn_loader_file(ctx, h, "/boot/loader.conf.local", 1);
}

static int
write_conf(struct ptvm_ctx *ctx, struct host *h, const char *path,
    const char *data, size_t len, bool dry)
{
	int e;

	printf("%s %s:\n%s", dry ? "would write" : "wrote", path, data);
	if (dry)
		return (0);
	if ((e = h->ops->file_write(h, path, data, len, 0644)) != 0) {
		diag_err(&ctx->diags, path, 0, "cannot write: %s",
		    sys_strerror(e));
		return (-1);
	}
	return (0);
}

static int
setup_persistent(struct ptvm_ctx *ctx, struct host *h, struct bind_env *env,
    char ents[][16], size_t n, bool dry)
{
	char vals[PPTDEVS_VARS][PPTDEVS_MAXLEN + 1];
	const char *ptrs[3 * 64];
	static const char *const names[PPTDEVS_VARS] = { "pptdevs",
	    "pptdevs2", "pptdevs3" };
	char *cur;
	size_t len, i;
	int v;

	for (i = 0; i < n; i++)
		ptrs[i] = ents[i];
	if (pptdevs_split(ptrs, n, vals) < 0) {
		diag_err(&ctx->diags, NULL, 0, "too many functions for "
		    "pptdevs, pptdevs2 and pptdevs3");
		return (EXIT_FAIL);
	}
	if (n == 0)
		diag_warn(&ctx->diags, NULL, 0, "no functions named and none "
		    "on ppt: the drop-in only loads vmm; name them, e.g. "
		    "'ptvm host setup --persistent 6/0/0 6/0/1'");
	if (h->ops->file_read(h, DROPIN, &cur, &len) != 0) {
		if ((cur = strdup(dropin_header)) == NULL)
			return (EXIT_FAIL);
		len = strlen(cur);
	}
	if (edit(&cur, &len, CONF_LOADER, "vmm_load", "YES", NULL) != 0 ||
	    (env->st.amd && edit(&cur, &len, CONF_LOADER,
	    "hw.vmm.amdvi.enable", "1", "AMD-Vi: the IOMMU for passthrough") !=
	    0))
		goto fail;
	for (v = 0; v < PPTDEVS_VARS; v++)
		if (edit(&cur, &len, CONF_LOADER, names[v], vals[v][0] ?
		    vals[v] : NULL, v == 0 ? "functions ppt(4) takes at boot" :
		    NULL) != 0)
			goto fail;
	warn_loader_conf(ctx, h);
	if (write_conf(ctx, h, DROPIN, cur, len, dry) != 0)
		goto fail;
	free(cur);
	if (h->ops->file_read(h, SYSCTL_LOCAL, &cur, &len) != 0) {
		cur = strdup("");
		len = 0;
	}
	if (cur == NULL || edit(&cur, &len, CONF_SYSCTL, "kern.consmute", "1",
	    "ptvm: nothing may draw on a GPU that a VM owns") != 0 ||
	    write_conf(ctx, h, SYSCTL_LOCAL, cur, len, dry) != 0)
		goto fail;
	free(cur);
	if (!dry)
		printf("Reboot for the loader settings to take effect.\n");
	return (EXIT_OK);
fail:
	free(cur);
	return (EXIT_FAIL);
}

static int
do_op(struct ptvm_ctx *ctx, struct host *h, const struct hostop *op,
    bool dry)
{
	struct strbuf sb;
	int e;

	sb_init(&sb);
	hostop_fmt(op, &sb);
	e = 0;
	if (!dry) {
		switch (op->kind) {
		case HOP_KENV_SET:
			e = h->ops->kenv_set(h, op->a, op->b);
			break;
		case HOP_KLDLOAD:
			e = h->ops->kld_load(h, op->a);
			break;
		case HOP_SYSCTL_SET:
			e = h->ops->sysctl_set(h, op->a, op->b);
			break;
		default:
			e = EINVAL;
		}
	}
	if (e != 0)
		diag_err(&ctx->diags, NULL, 0, "%s: %s (%s)", sb_str(&sb),
		    strerror(e), util_errname(e));
	else
		printf("%s%s\n", dry ? "would run: " : "", sb_str(&sb));
	sb_free(&sb);
	return (e);
}

static int
setup_runtime(struct ptvm_ctx *ctx, struct host *h, struct bind_env *env,
    char ents[][16], size_t n, bool dry)
{
	char vals[PPTDEVS_VARS][PPTDEVS_MAXLEN + 1];
	static const char *const names[PPTDEVS_VARS] = { "pptdevs",
	    "pptdevs2", "pptdevs3" };
	const char *ptrs[3 * 64];
	struct hostop op;
	long long mute;
	size_t i;
	int v, bad;

	bad = 0;
	memset(&op, 0, sizeof(op));
	if (!env->st.vmm_loaded) {
		op.kind = HOP_KENV_SET;
		if (env->st.amd && (env->amdvi_kenv == NULL ||
		    strcmp(env->amdvi_kenv, "1") != 0)) {
			op.a = "hw.vmm.amdvi.enable";
			op.b = "1";
			bad += do_op(ctx, h, &op, dry) != 0;
		}
		for (i = 0; i < n; i++)
			ptrs[i] = ents[i];
		if (n > 0 && pptdevs_split(ptrs, n, vals) > 0)
			for (v = 0; v < PPTDEVS_VARS && vals[v][0]; v++) {
				op.a = names[v];
				op.b = vals[v];
				bad += do_op(ctx, h, &op, dry) != 0;
			}
		op.kind = HOP_KLDLOAD;
		op.a = "vmm";
		op.b = NULL;
		bad += do_op(ctx, h, &op, dry) != 0;
	} else if (env->st.amd && env->st.amdvi_sysctl == 0)
		diag_warn(&ctx->diags, NULL, 0, "vmm.ko is loaded with "
		    "hw.vmm.amdvi.enable=0: passthrough has no IOMMU; unload "
		    "vmm (no VM may run) and run this again, or use "
		    "--persistent and reboot");
	else
		printf("vmm.ko is loaded already\n");
	if (host_sysctl_int(h, "kern.consmute", &mute) != 0 || mute != 1) {
		op.kind = HOP_SYSCTL_SET;
		op.a = "kern.consmute";
		op.b = "1";
		bad += do_op(ctx, h, &op, dry) != 0;
	}
	return (bad > 0 ? EXIT_FAIL : EXIT_OK);
}

int
cmd_host_setup(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef defs[] = {
		{ 'n', 'n', "dry-run", false, NULL },
		{ 'p', 0, "persistent", false, NULL },
		OPTDEF_END
	};
	struct bind_env env;
	struct opts o;
	struct host *h;
	char ents[3 * 64][16];
	size_t n;
	bool dry, persistent;
	int ch, rv;

	dry = persistent = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		switch (ch) {
		case 'n':
			dry = true;
			break;
		case 'p':
			persistent = true;
			break;
		default:
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		}
	}
	argc = opt_operands(&o, &argv);
	if (ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	rv = EXIT_FAIL;
	if (bind_env_read(&ctx->eng, h, &env) == 0 && setup_ents(ctx, &env,
	    argc, argv, ents, nitems(ents), &n) == 0)
		rv = persistent ? setup_persistent(ctx, h, &env, ents, n, dry) :
		    setup_runtime(ctx, h, &env, ents, n, dry);
	bind_env_free(&env);
	return (rv);
}

/*
 * DIR/pci: the configuration space of every display function and the
 * other functions of its slot, for "pci diff" and "pci restore -n" under
 * -H.  A function that cannot be read is reported and skipped.
 */
static int
capture_pci(struct ptvm_ctx *ctx, struct host *h, const char *dir)
{
	const struct pci_dev *g, *d;
	struct pci_list l;
	char pdir[PATH_MAX];
	size_t i, k;
	int e, bad;

	if (ctx_pci(ctx, &l) != 0) {
		pci_list_free(&l);
		return (-1);
	}
	if (snprintf(pdir, sizeof(pdir), "%s/pci", dir) >= (int)sizeof(pdir) ||
	    (e = LH->ops->lf_mkdir(LH, pdir, 0755,
	    true)) != 0) {
		diag_err(&ctx->diags, pdir, 0, "cannot create directory");
		pci_list_free(&l);
		return (-1);
	}
	for (i = bad = 0; i < l.n; i++) {
		d = &l.dev[i];
		for (k = 0; k < l.n; k++) {
			g = &l.dev[k];
			if (pci_is_display(g) &&
			    g->sel.domain == d->sel.domain &&
			    g->sel.bus == d->sel.bus &&
			    g->sel.slot == d->sel.slot)
				break;
		}
		if (k < l.n && pci_save_dev(ctx, h, d, pdir, true) != 0)
			bad++;
	}
	pci_list_free(&l);
	return (bad > 0 ? -1 : 0);
}

int
cmd_host_capture(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef noopts[] = { OPTDEF_END };
	const char *dir;
	struct host *h;
	struct opts o;

	opt_init(&o, ctx->cmdname, argc, argv, noopts);
	if (opt_next(&o) != OPT_END)
		return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
	if (opt_operands(&o, &argv) != 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd,
		    "one directory expected"));
	dir = argv[0];
	if (ctx->eng.hostdir != NULL) {
		diag_err(&ctx->diags, NULL, 0, "host capture reads the live "
		    "host; it cannot be used with -H");
		return (EXIT_FAIL);
	}
	if (ctx_host(ctx, &h) != 0 ||
	    host_capture_live(h, dir, &ctx->diags) != 0 ||
	    capture_pci(ctx, h, dir) != 0)
		return (EXIT_FAIL);
	printf("captured this host in %s\n", dir);
	return (EXIT_OK);
}

/*
 * host restore: what crashed supervisors left behind (engine/restore.c).
 */
int
cmd_host_restore(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef defs[] = {
		{ 'u', 'u', "unbind", false, NULL },
		OPTDEF_END
	};
	struct opts o;
	bool unbind, any;
	int ch, failed;

	unbind = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		if (ch != 'u')
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		unbind = true;
	}
	if (opt_operands(&o, &argv) != 0)
		return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
	if ((failed = eng_host_restore(&ctx->eng, unbind, &any, out_report,
	    ctx)) < 0)
		return (EXIT_FAIL);
	(void)out_diags(ctx);
	if (!any)
		printf("nothing to restore\n");
	(void)out_diags(ctx);
	return (failed > 0 ? EXIT_FAIL : EXIT_OK);
}
