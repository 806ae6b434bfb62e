/*
 * cmd_pci.c: "ptvm pci show|save|diff|restore", configuration-space
 * evidence.  The images, decoders, diff and restore plan live in
 * lib/pcicfg*.c; this file reads and writes files, talks to the host
 * boundary and prints.
 */
#include "compat.h"

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostop.h"
#include "life.h"
#include "pcicfg.h"
#include "ptvm.h"
#include "util.h"

static int
pci_usage(struct ptvm_ctx *ctx, const char *msg)
{

	/* NULL: opt_next has said what was wrong. */
	if (msg == NULL)
		return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
	return (out_usage_error(ctx->cmdname, ctx->cmd, "%s", msg));
}

/* A saved or dumped image from a file; diagnostics name the file. */
static int
load_file(struct ptvm_ctx *ctx, const char *path, struct pcicfg *img)
{
	char *buf;
	size_t len;
	int e, rc;

	if ((e = LH->ops->lf_read(LH, path, PCICFG_MAXFILE, &buf, &len)) != 0) {
		diag_err(&ctx->diags, path, 0, "%s", e == EFBIG ? "larger "
		    "than 1 MiB: not a configuration-space dump" :
		    sys_strerror(e));
		return (-1);
	}
	rc = pcicfg_parse(buf, len, path, NULL, img, &ctx->diags);
	free(buf);
	return (rc);
}

static bool
is_dir(const char *path)
{
	struct host_stat st;

	return (LH->ops->lf_stat(LH, path, false,
	    &st) == 0 && st.type == HOST_F_DIR);
}

static bool
is_file(const char *path)
{
	struct host_stat st;

	return (LH->ops->lf_stat(LH, path, false,
	    &st) == 0 && st.type == HOST_F_REG);
}

/* The file of a function in a save directory: DIR/pci0:B:S:F.txt. */
static int
save_path(const char *dir, const struct pci_sel *sel, char *buf, size_t len)
{
	char name[64];

	pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
	return ((size_t)snprintf(buf, len, "%s/%s.txt", dir, name) >= len ?
	    -1 : 0);
}

/*
 * Reads one function through the host boundary and writes its save file;
 * also used by "host capture" for DIR/pci.
 */
int
pci_save_dev(struct ptvm_ctx *ctx, struct host *h, const struct pci_dev *dev,
    const char *dir, bool force)
{
	struct host_stat st;
	struct pcicfg *img;
	struct strbuf sb, title;
	char path[PATH_MAX], name[48];
	int e;

	if (save_path(dir, &dev->sel, path, sizeof(path)) != 0) {
		diag_err(&ctx->diags, dir, 0, "path too long");
		return (-1);
	}
	if (!force && LH->ops->lf_stat(LH, path, false,
	    &st) == 0) {
		diag_err(&ctx->diags, path, 0, "exists; use -f to replace it");
		return (-1);
	}
	if ((img = malloc(sizeof(*img))) == NULL)
		return (-1);
	if (h->ops->pci_cfg_read(h, &dev->sel, img, &ctx->diags) != 0) {
		free(img);
		return (-1);
	}
	sb_init(&sb);
	sb_init(&title);
	pci_dev_name(dev, name, sizeof(name));
	sb_printf(&title, "%s: %s%s%s (%s host)", name,
	    dev->vendor_name != NULL ? dev->vendor_name : "",
	    dev->vendor_name != NULL ? " " : "", dev->device_name != NULL ?
	    dev->device_name : "", h->ops->name);
	pcicfg_format(img, sb_str(&title), &sb);
	e = sb.oom ? ENOMEM : LH->ops->lf_write(LH, path, sb_str(&sb), sb.len,
	    0644, 0);
	if (e != 0)
		diag_err(&ctx->diags, path, 0, "%s", sys_strerror(e));
	else
		printf("%s: %zu bytes -> %s (signature: %s)\n", name,
		    img->size, path, pcicfg_sig_name(pcicfg_signature(img,
		    NULL)));
	sb_free(&sb);
	sb_free(&title);
	free(img);
	return (e == 0 ? 0 : -1);
}

int
cmd_pci_save(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct pci_list l;
	struct pci_dev *d;
	struct host *h;
	const char *dir;
	char err[256];
	static const struct optdef defs[] = {
		{ 'f', 'f', "overwrite", false, NULL },
		OPTDEF_END
	};
	struct opts o;
	bool force;
	int ch, i, bad, e;

	force = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		if (ch != 'f')
			return (pci_usage(ctx, NULL));
		force = true;
	}
	argc = opt_operands(&o, &argv);
	if (argc < 2)
		return (pci_usage(ctx, "selectors and a directory expected"));
	dir = argv[argc - 1];
	if (ctx_host(ctx, &h) != 0 || ctx_pci(ctx, &l) != 0) {
		pci_list_free(&l);
		return (EXIT_FAIL);
	}
	for (i = bad = 0; i < argc - 1; i++)
		if (pci_lookup(&l, argv[i], err, sizeof(err)) == NULL) {
			diag_err(&ctx->diags, NULL, 0, "%s", err);
			bad++;
		}
	if (bad == 0 && (e = LH->ops->lf_mkdir(LH, dir, 0755, true)) != 0) {
		diag_err(&ctx->diags, dir, 0, "cannot create directory: %s",
		    strerror(e));
		bad++;
	}
	for (i = 0; bad == 0 && i < argc - 1; i++) {
		d = pci_lookup(&l, argv[i], err, sizeof(err));
		bad += pci_save_dev(ctx, h, d, dir, force) != 0;
	}
	pci_list_free(&l);
	return (bad > 0 ? EXIT_FAIL : EXIT_OK);
}

/*
 * show
 */
static const struct optdef json_opts[] = {
	{ 'j', 0, "json", false, NULL },
	OPTDEF_END
};

/* A file, or a function of the host. */
static int
load_any(struct ptvm_ctx *ctx, const char *arg, struct pcicfg *img,
    char *name, size_t len)
{
	struct pci_list l;
	struct pci_dev *d;
	struct host *h;
	char err[256];
	int e;

	if (is_file(arg)) {
		strlcpy(name, arg, len);
		return (load_file(ctx, arg, img));
	}
	if (ctx_host(ctx, &h) != 0 || ctx_pci(ctx, &l) != 0) {
		pci_list_free(&l);
		return (-1);
	}
	if ((d = pci_lookup(&l, arg, err, sizeof(err))) == NULL) {
		diag_err(&ctx->diags, NULL, 0, "%s (nor is it a file)", err);
		pci_list_free(&l);
		return (-1);
	}
	pci_sel_fmt(&d->sel, SEL_PCICONF, name, len);
	e = h->ops->pci_cfg_read(h, &d->sel, img, &ctx->diags);
	pci_list_free(&l);
	return (e == 0 ? 0 : -1);
}

int
cmd_pci_show(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct pcicfg *img;
	struct strbuf sb;
	struct json j;
	char name[PATH_MAX];
	struct opts o;
	bool json;
	int ch, rc;

	json = false;
	opt_init(&o, ctx->cmdname, argc, argv, json_opts);
	while ((ch = opt_next(&o)) != OPT_END) {
		if (ch != 'j')
			return (pci_usage(ctx, NULL));
		json = true;
	}
	if (opt_operands(&o, &argv) != 1)
		return (pci_usage(ctx, "one selector or file expected"));
	if ((img = malloc(sizeof(*img))) == NULL)
		return (EXIT_FAIL);
	if (load_any(ctx, argv[0], img, name, sizeof(name)) != 0) {
		free(img);
		return (EXIT_FAIL);
	}
	sb_init(&sb);
	if (json) {
		json_init(&j, &sb);
		json_obj(&j, NULL);
		json_str(&j, "source", name);
		if (img->have_sel) {
			pci_sel_fmt(&img->sel, SEL_PCICONF, name,
			    sizeof(name));
			json_str(&j, "function", name);
		} else
			json_null(&j, "function");
		pcicfg_json(img, &j, "config");
		json_end(&j);
		out_json(&sb);
	} else {
		printf("%s: %zu bytes of configuration space\n", name,
		    img->size);
		pcicfg_describe(img, "  ", &sb);
		fwrite(sb_str(&sb), 1, sb.len, stdout);
	}
	rc = pcicfg_signature(img, NULL) == PCICFG_SIG_NONE ? EXIT_OK :
	    EXIT_FAIL;
	sb_free(&sb);
	free(img);
	return (rc);
}

/*
 * diff
 */
struct pair {
	char		 a[PATH_MAX];
	char		 b[PATH_MAX];
	char		 name[64];
};

struct diffrun {
	struct pair	*pairs;
	size_t		 npairs;
	char		**only_a, **only_b;
	size_t		 nonly_a, nonly_b;
	char		**na, **nb;	/* directory listings */
	size_t		 nna, nnb;
};

static bool
has_name(char **names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (true);
	return (false);
}

static bool
txt_name(const char *s)
{
	size_t n = strlen(s);

	return (n > 4 && strcmp(s + n - 4, ".txt") == 0 && s[0] != '.');
}

/* The files of both directories, paired by name. */
static int
pair_dirs(struct ptvm_ctx *ctx, const char *a, const char *b,
    struct diffrun *r)
{
	size_t i, n;
	int e;

	if ((e = LH->ops->lf_list(LH, a, &r->na, &r->nna)) != 0 ||
	    (e = LH->ops->lf_list(LH, b, &r->nb, &r->nnb)) != 0) {
		diag_err(&ctx->diags, r->na == NULL ? a : b, 0, "%s",
		    strerror(e));
		return (-1);
	}
	n = r->nna + r->nnb + 1;
	if ((r->pairs = calloc(n, sizeof(*r->pairs))) == NULL ||
	    (r->only_a = calloc(n, sizeof(char *))) == NULL ||
	    (r->only_b = calloc(n, sizeof(char *))) == NULL)
		return (-1);
	for (i = 0; i < r->nna; i++) {
		if (!txt_name(r->na[i]))
			continue;
		if (!has_name(r->nb, r->nnb, r->na[i])) {
			r->only_a[r->nonly_a++] = r->na[i];
			continue;
		}
		snprintf(r->pairs[r->npairs].a, PATH_MAX, "%s/%s", a, r->na[i]);
		snprintf(r->pairs[r->npairs].b, PATH_MAX, "%s/%s", b, r->na[i]);
		snprintf(r->pairs[r->npairs].name, 64, "%.*s",
		    (int)strlen(r->na[i]) - 4, r->na[i]);
		r->npairs++;
	}
	for (i = 0; i < r->nnb; i++)
		if (txt_name(r->nb[i]) && !has_name(r->na, r->nna, r->nb[i]))
			r->only_b[r->nonly_b++] = r->nb[i];
	if (r->npairs == 0 && r->nonly_a + r->nonly_b == 0) {
		diag_err(&ctx->diags, NULL, 0, "no *.txt save files in %s or "
		    "%s", a, b);
		return (-1);
	}
	return (0);
}

static void
diffrun_free(struct diffrun *r)
{

	free(r->pairs);
	free(r->only_a);
	free(r->only_b);
	host_names_free(r->na, r->nna);
	host_names_free(r->nb, r->nnb);
}

/* Diffs one pair; -1 when a file cannot be read. */
static int
diff_pair(struct ptvm_ctx *ctx, struct pair *p, struct pcicfg_diff *d,
    struct pcicfg *a, struct pcicfg *b)
{
	int ea, eb;

	ea = load_file(ctx, p->a, a);
	eb = load_file(ctx, p->b, b);
	if (ea != 0 || eb != 0)
		return (-1);
	if (a->have_sel)
		pci_sel_fmt(&a->sel, SEL_PCICONF, p->name, sizeof(p->name));
	pcicfg_diff(a, b, d);
	return (0);
}

static void
diff_print_only(const char *dir, char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s: only in %s\n", names[i], dir);
}

static void
json_names(struct json *j, const char *key, char **names, size_t n)
{
	size_t i;

	json_arr(j, key);
	for (i = 0; i < n; i++)
		json_str(j, NULL, names[i]);
	json_end(j);
}

static int
diff_report(struct ptvm_ctx *ctx, struct diffrun *r, const char *da,
    const char *db, bool json)
{
	struct pcicfg *a, *b;
	struct pcicfg_diff *d;
	enum pcicfg_sig worst;
	struct strbuf sb;
	struct json j;
	size_t i;
	int bad;

	a = malloc(sizeof(*a));
	b = malloc(sizeof(*b));
	d = malloc(sizeof(*d));
	sb_init(&sb);
	json_init(&j, &sb);
	json_obj(&j, NULL);
	json_arr(&j, "functions");
	worst = PCICFG_SIG_NONE;
	for (i = bad = 0; a != NULL && b != NULL && d != NULL &&
	    i < r->npairs; i++) {
		if (diff_pair(ctx, &r->pairs[i], d, a, b) != 0) {
			bad++;
			continue;
		}
		if (d->worst > worst)
			worst = d->worst;
		if (json) {
			json_obj(&j, NULL);
			json_str(&j, "name", r->pairs[i].name);
			json_str(&j, "a", r->pairs[i].a);
			json_str(&j, "b", r->pairs[i].b);
			pcicfg_diff_json(d, &j, "diff");
			json_end(&j);
			continue;
		}
		printf("%s (%s -> %s):\n", r->pairs[i].name, r->pairs[i].a,
		    r->pairs[i].b);
		sb_reset(&sb);
		pcicfg_diff_text(d, &sb);
		fwrite(sb_str(&sb), 1, sb.len, stdout);
	}
	if (json) {
		json_end(&j);
		json_names(&j, "only_in_a", r->only_a, r->nonly_a);
		json_names(&j, "only_in_b", r->only_b, r->nonly_b);
		json_str(&j, "signature", pcicfg_sig_name(worst));
		json_end(&j);
		out_json(&sb);
	} else {
		diff_print_only(da, r->only_a, r->nonly_a);
		diff_print_only(db, r->only_b, r->nonly_b);
	}
	if (a == NULL || b == NULL || d == NULL)
		bad++;
	free(a);
	free(b);
	free(d);
	sb_free(&sb);
	return (bad > 0 || worst != PCICFG_SIG_NONE ? EXIT_FAIL : EXIT_OK);
}

int
cmd_pci_diff(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct diffrun r;
	const char *a, *b;
	struct opts o;
	bool json;
	int ch, rc;

	json = false;
	opt_init(&o, ctx->cmdname, argc, argv, json_opts);
	while ((ch = opt_next(&o)) != OPT_END) {
		if (ch != 'j')
			return (pci_usage(ctx, NULL));
		json = true;
	}
	if (opt_operands(&o, &argv) != 2)
		return (pci_usage(ctx, "two files or two directories "
		    "expected"));
	a = argv[0];
	b = argv[1];
	memset(&r, 0, sizeof(r));
	if (is_dir(a) && is_dir(b)) {
		if (pair_dirs(ctx, a, b, &r) != 0) {
			diffrun_free(&r);
			return (EXIT_FAIL);
		}
	} else if (is_dir(a) || is_dir(b)) {
		return (pci_usage(ctx, "compare two files or two directories"));
	} else {
		if ((r.pairs = calloc(1, sizeof(*r.pairs))) == NULL)
			return (EXIT_FAIL);
		strlcpy(r.pairs[0].a, a, sizeof(r.pairs[0].a));
		strlcpy(r.pairs[0].b, b, sizeof(r.pairs[0].b));
		strlcpy(r.pairs[0].name, a, sizeof(r.pairs[0].name));
		r.npairs = 1;
	}
	rc = diff_report(ctx, &r, a, b, json);
	diffrun_free(&r);
	return (rc);
}

/*
 * restore
 */
static const struct optdef restore_opts[] = {
	{ 'n', 'n', "dry-run", false, NULL },
	{ 'U', 0, "unsafe-vendor-registers", false, NULL },
	OPTDEF_END
};

/*
 * Only a function on ppt(4), which no host driver uses, that no VM owns:
 * PCIOCWRITE does not check either.
 */
static int
restore_allowed(struct ptvm_ctx *ctx, struct host *h,
    const struct pci_dev *d, const char *sel)
{
	char name[48];

	pci_dev_name(d, name, sizeof(name));
	if (!pci_is_ppt(d)) {
		diag_err(&ctx->diags, NULL, 0, "%s is %s, not on ppt: ptvm "
		    "writes the configuration space only of functions on "
		    "ppt(4), which no host driver uses; bind it first "
		    "(ptvm bind %s)", sel, name, sel);
		return (-1);
	}
	return (life_free_of_vms(h, &d->sel, sel, name, "nothing is written",
	    &ctx->diags));
}

static void
write_line(const struct pci_dev *d, const struct pcicfg_write *w,
    struct strbuf *sb)
{
	struct hostop op;
	char sel[32];

	pci_sel_fmt(&d->sel, SEL_PCICONF, sel, sizeof(sel));
	memset(&op, 0, sizeof(op));
	op.kind = HOP_PCI_WRITE;
	op.a = sel;
	op.reg = w->off;
	op.width = w->width;
	op.val = w->val;
	sb_reset(sb);
	hostop_fmt(&op, sb);
}

static int
restore_run(struct ptvm_ctx *ctx, struct host *h, const struct pci_dev *d,
    const struct pcicfg_plan *p, bool dry)
{
	struct strbuf sb;
	size_t i;
	int e;

	sb_init(&sb);
	for (i = 0, e = 0; i < p->n && e == 0; i++) {
		write_line(d, &p->w[i], &sb);
		printf("%s%-48s # %s%s\n", dry ? "would run: " : "",
		    sb_str(&sb), p->w[i].what, p->w[i].delay_ms ?
		    ", then wait 10 ms" : "");
		if (dry)
			continue;
		if ((e = h->ops->pci_cfg_write(h, &d->sel, p->w[i].off,
		    p->w[i].width, p->w[i].val)) != 0)
			diag_err(&ctx->diags, NULL, 0, "%s: %s (%s); the "
			    "writes before it were made", sb_str(&sb),
			    strerror(e), util_errname(e));
		else if (p->w[i].delay_ms > 0)
			h->ops->pause(h, p->w[i].delay_ms);
	}
	sb_free(&sb);
	return (e == 0 ? 0 : -1);
}

/* The saved image of the function: DIR/pci0:B:S:F.txt or a file. */
static int
restore_saved(struct ptvm_ctx *ctx, const char *arg, const struct pci_dev *d,
    const char *sel, struct pcicfg *img)
{
	char path[PATH_MAX], fsel[32];

	if (is_dir(arg)) {
		if (save_path(arg, &d->sel, path, sizeof(path)) != 0)
			return (-1);
	} else
		strlcpy(path, arg, sizeof(path));
	if (load_file(ctx, path, img) != 0)
		return (-1);
	if (img->have_sel && !pci_sel_eq(&img->sel, &d->sel)) {
		pci_sel_fmt(&img->sel, SEL_PCICONF, fsel, sizeof(fsel));
		diag_err(&ctx->diags, path, 0, "holds the configuration space "
		    "of %s, not of %s", fsel, sel);
		return (-1);
	}
	return (0);
}

struct restore_st {
	struct pcicfg	 saved, cur;
	struct pcicfg_plan plan;
};

static int
restore(struct ptvm_ctx *ctx, struct host *h, const struct pci_dev *d,
    const char *arg, unsigned flags, bool dry)
{
	struct restore_st *st;
	char sel[32];
	size_t i, nv;
	int rc;

	pci_sel_fmt(&d->sel, SEL_PCICONF, sel, sizeof(sel));
	if (restore_allowed(ctx, h, d, sel) != 0 ||
	    (st = malloc(sizeof(*st))) == NULL)
		return (-1);
	rc = -1;
	if (restore_saved(ctx, arg, d, sel, &st->saved) != 0 ||
	    h->ops->pci_cfg_read(h, &d->sel, &st->cur, &ctx->diags) != 0 ||
	    pcicfg_restore_plan(&st->saved, &st->cur, flags, &st->plan,
	    &ctx->diags) != 0)
		goto out;
	for (i = nv = 0; i < st->plan.n; i++)
		nv += st->plan.w[i].vendor;
	if (nv > 0)
		diag_warn(&ctx->diags, NULL, 0, "%zu vendor-specific "
		    "register%s will be written because of "
		    "--unsafe-vendor-registers: a wrong value can hang the "
		    "device or the host", nv, nv == 1 ? "" : "s");
	if (st->plan.n == 0)
		printf("%s: nothing to restore: the registers ptvm restores "
		    "already match the saved image\n", sel);
	if (restore_run(ctx, h, d, &st->plan, dry) != 0)
		goto out;
	rc = 0;
	if (dry || st->plan.n == 0 ||
	    h->ops->pci_cfg_read(h, &d->sel, &st->cur, &ctx->diags) != 0)
		goto out;
	printf("%s: %zu write%s made; signature now: %s\n", sel, st->plan.n,
	    st->plan.n == 1 ? "" : "s",
	    pcicfg_sig_name(pcicfg_signature(&st->cur, NULL)));
out:
	free(st);
	return (rc);
}

int
cmd_pci_restore(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct pci_list l;
	struct pci_dev *d;
	struct host *h;
	unsigned flags;
	char err[256];
	struct opts o;
	bool dry;
	int ch, rc;

	dry = false;
	flags = 0;
	opt_init(&o, ctx->cmdname, argc, argv, restore_opts);
	while ((ch = opt_next(&o)) != OPT_END) {
		if (ch == 'n')
			dry = true;
		else if (ch == 'U')
			flags |= PCICFG_RESTORE_VENDOR;
		else
			return (pci_usage(ctx, NULL));
	}
	if ((argc = opt_operands(&o, &argv)) != 2)
		return (pci_usage(ctx, "a selector and a directory or file "
		    "expected"));
	if (ctx_host(ctx, &h) != 0 || ctx_pci(ctx, &l) != 0) {
		pci_list_free(&l);
		return (EXIT_FAIL);
	}
	if ((d = pci_lookup(&l, argv[0], err, sizeof(err))) == NULL) {
		diag_err(&ctx->diags, NULL, 0, "%s", err);
		pci_list_free(&l);
		return (EXIT_FAIL);
	}
	rc = restore(ctx, h, d, argv[1], flags, dry);
	pci_list_free(&l);
	return (rc == 0 ? EXIT_OK : EXIT_FAIL);
}
