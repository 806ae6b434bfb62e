/*
 * cmd_autostart.c: "ptvm autostart VM on|off": the VM in the boot order of
 * etc/rc.d/ptvm, ptvm_enable and ptvm_list of /etc/rc.conf edited as
 * sysrc(8) does (lib/rcconf.c); the boot order for "ptvm list"; and what
 * boot will do for "ptvm check --boot".
 */
#include "compat.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "opt.h"
#include "ptvm.h"
#include "rcconf.h"
#include "util.h"
#include "vmconf.h"
#include "vmload.h"

#define RC_CONF		"/etc/rc.conf"
#define AUTO_MAX	64

/* The rc.conf text of the host ("" when there is none); -1 said. */
static int
rc_read(struct ptvm_ctx *ctx, struct host **h, char **buf, size_t *len)
{
	int e;

	if (ctx_host(ctx, h) != 0)
		return (-1);
	if ((e = (*h)->ops->file_read(*h, RC_CONF, buf, len)) == ENOENT) {
		*len = 0;
		return ((*buf = strdup("")) == NULL ? -1 : 0);
	}
	if (e != 0) {
		diag_err(&ctx->diags, RC_CONF, 0, "%s", sys_strerror(e));
		return (-1);
	}
	return (0);
}

/* ptvm_list as words; -1 said (a value ptvm does not edit). */
static int
rc_list(struct ptvm_ctx *ctx, const char *buf, size_t len, char **words,
    size_t *n, unsigned *line)
{
	char *v, *p, *w, why[160];
	int rc;

	*n = 0;
	if ((rc = rcconf_get(buf, len, "ptvm_list", &v, line, why,
	    sizeof(why))) < 0) {
		diag_err(&ctx->diags, RC_CONF, *line, "%s", why);
		return (-1);
	}
	if (rc == 1)
		return (0);
	for (p = v; (w = strsep(&p, " \t")) != NULL;) {
		if (*w == '\0')
			continue;
		if (*n == AUTO_MAX || (words[*n] = strdup(w)) == NULL) {
			free(v);
			return (-1);
		}
		(*n)++;
	}
	free(v);
	return (0);
}

static void
words_free(char **w, size_t n)
{

	while (n > 0)
		free(w[--n]);
}

/* Whether ptvm_enable says yes, as rc.subr's checkyesno reads it. */
static bool
rc_enabled(const char *buf, size_t len, unsigned *line)
{
	char *v, why[160];
	bool yes;

	if (rcconf_get(buf, len, "ptvm_enable", &v, line, why,
	    sizeof(why)) != 0)
		return (false);
	yes = strcasecmp(v, "YES") == 0 || strcasecmp(v, "TRUE") == 0 ||
	    strcasecmp(v, "ON") == 0 || strcmp(v, "1") == 0;
	free(v);
	return (yes);
}

static void
say_set(const char *name, const char *old, const char *val, unsigned line,
    const char *root)
{

	if (old != NULL)
		printf("%s%s:%u: %s=\"%s\" (was %s=\"%s\")\n", root, RC_CONF,
		    line, name, val, name, old);
	else
		printf("%s%s:%u: %s=\"%s\" (added)\n", root, RC_CONF, line,
		    name, val);
}

int
cmd_autostart(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef defs[] = {
		{ 'o', 0, "order", true, NULL },
		OPTDEF_END
	};
	struct opts op;
	struct vm_load ld;
	struct strbuf a, b, list;
	struct host *h;
	char *buf, *words[AUTO_MAX + 1], *olde, *oldl, *tmp, why[160];
	char root[1100];
	const char *vm;
	long long order;
	size_t len, n, i, k, pos;
	unsigned line, eline;
	bool on, enabled;
	int ch, rv, e;

	order = 0;
	opt_init(&op, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&op)) != OPT_END) {
		switch (ch) {
		case 'o':
			if (util_strtonum(op.arg, 1, AUTO_MAX, &order) != 0)
				return (out_usage_error(ctx->cmdname, ctx->cmd,
				    "--order %s: give a place from 1 to %d",
				    op.arg, AUTO_MAX));
			break;
		default:
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		}
	}
	argc = opt_operands(&op, &argv);
	if (argc != 2 || (strcmp(argv[1], "on") != 0 &&
	    strcmp(argv[1], "off") != 0))
		return (out_usage_error(ctx->cmdname, ctx->cmd, "give a VM, "
		    "then on or off"));
	vm = argv[0];
	on = strcmp(argv[1], "on") == 0;
	if (!on && order != 0)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "--order goes "
		    "with on"));
	if (!vm_name_ok(vm))
		return (out_usage_error(ctx->cmdname, ctx->cmd, "\"%s\" is not "
		    "a VM name", vm));
	/* A VM to start at boot must load now. */
	if (on) {
		vm_load_init(&ld);
		e = vm_load(&ctx->eng, vm, &ld);
		vm_load_free(&ld);
		if (e != 0)
			return (EXIT_FAIL);
	}
	if (rc_read(ctx, &h, &buf, &len) != 0)
		return (EXIT_FAIL);
	rv = EXIT_FAIL;
	n = 0;
	olde = oldl = NULL;
	sb_init(&a);
	sb_init(&b);
	sb_init(&list);
	if (rc_list(ctx, buf, len, words, &n, &line) != 0)
		goto out;
	for (i = 0; i < n && strcmp(words[i], vm) != 0; i++)
		;
	pos = i < n ? i : SIZE_MAX;
	if (pos != SIZE_MAX) {	/* taken out; put back below when on */
		free(words[i]);
		for (k = i; k + 1 < n; k++)
			words[k] = words[k + 1];
		n--;
	} else if (!on) {
		printf("%s is not in ptvm_list: boot does not start it; "
		    "nothing to change\n", vm);
		rv = EXIT_OK;
		goto out;
	}
	if (on) {
		k = order != 0 ? (size_t)order - 1 : pos != SIZE_MAX ? pos : n;
		if (k > n)
			k = n;
		for (i = n; i > k; i--)
			words[i] = words[i - 1];
		if ((words[k] = strdup(vm)) == NULL)
			goto out;
		n++;
	}
	for (i = 0; i < n; i++)
		sb_printf(&list, "%s%s", i > 0 ? " " : "", words[i]);
	(void)rcconf_get(buf, len, "ptvm_list", &oldl, &line, why,
	    sizeof(why));
	if (rcconf_set(buf, len, "ptvm_list", sb_str(&list), &a, &line, why,
	    sizeof(why)) != 0) {
		diag_err(&ctx->diags, RC_CONF, line, "%s", why);
		goto out;
	}
	enabled = rc_enabled(sb_str(&a), a.len, &eline);
	if (on && !enabled) {
		(void)rcconf_get(sb_str(&a), a.len, "ptvm_enable", &olde,
		    &eline, why, sizeof(why));
		if (rcconf_set(sb_str(&a), a.len, "ptvm_enable", "YES", &b,
		    &eline, why, sizeof(why)) != 0) {
			diag_err(&ctx->diags, RC_CONF, eline, "%s", why);
			goto out;
		}
	} else
		sb_putn(&b, sb_str(&a), a.len);
	if (a.oom || b.oom || list.oom)
		goto out;
	if (b.len == len && memcmp(b.s, buf, len) == 0) {
		printf("%s: already says so; nothing to change\n", RC_CONF);
		rv = EXIT_OK;
		goto out;
	}
	if ((e = h->ops->file_write(h, RC_CONF, b.s, b.len, 0644)) != 0) {
		diag_err(&ctx->diags, RC_CONF, 0, "cannot write it: %s",
		    sys_strerror(e));
		goto out;
	}
	(void)snprintf(root, sizeof(root), "%s%s", ctx->eng.hostdir != NULL ?
	    ctx->eng.hostdir : "", ctx->eng.hostdir != NULL ? "/root" : "");
	/* Line numbers of the final text. */
	(void)rcconf_get(b.s, b.len, "ptvm_list", &tmp, &line, why,
	    sizeof(why));
	free(tmp);
	if (oldl == NULL || strcmp(oldl, sb_str(&list)) != 0)
		say_set("ptvm_list", oldl, sb_str(&list), line, root);
	if (on && !enabled) {
		(void)rcconf_get(b.s, b.len, "ptvm_enable", &tmp, &eline, why,
		    sizeof(why));
		free(tmp);
		say_set("ptvm_enable", olde, "YES", eline, root);
	}
	if (n == 0)
		printf("boot starts no VM (ptvm_list is empty); at shutdown "
		    "rc.d/ptvm still stops the VMs started by hand\n");
	else {
		printf("boot order:");
		for (i = 0; i < n; i++)
			printf(" %zu. %s", i + 1, words[i]);
		printf("\n");
	}
	if (on)
		printf("next: ptvm %s%s%scheck --boot %s\n", ctx->eng.hostdir !=
		    NULL ? "-H " : "", ctx->eng.hostdir != NULL ? ctx->eng.hostdir :
		    "", ctx->eng.hostdir != NULL ? " " : "", vm);
	rv = EXIT_OK;
out:
	words_free(words, n);
	free(olde);
	free(oldl);
	free(buf);
	sb_free(&a);
	sb_free(&b);
	sb_free(&list);
	return (rv);
}

/* For "ptvm list": the boot order, when rc.conf names one. */
void
autostart_print(struct ptvm_ctx *ctx)
{
	struct host *h;
	char *buf, *words[AUTO_MAX + 1];
	size_t len, n, i;
	unsigned line;
	bool en;

	if (rc_read(ctx, &h, &buf, &len) != 0) {
		diags_free(&ctx->diags);
		diags_init(&ctx->diags);
		return;
	}
	if (rc_list(ctx, buf, len, words, &n, &line) == 0 && n > 0) {
		en = rc_enabled(buf, len, &line);
		printf("boot order (rc.conf ptvm_list%s):", en ? "" :
		    "; ptvm_enable is not YES, so boot starts none");
		for (i = 0; i < n; i++)
			printf(" %zu. %s", i + 1, words[i]);
		printf("\n");
		words_free(words, n);
	} else {
		diags_free(&ctx->diags);
		diags_init(&ctx->diags);
	}
	free(buf);
}

static void
boot_add(struct checks *cs, enum chk_status st, const char *fix,
    const char *fmt, ...) __printflike(4, 5);

static void
boot_add(struct checks *cs, enum chk_status st, const char *fix,
    const char *fmt, ...)
{
	struct check *c;
	va_list ap;

	if (cs->n == nitems(cs->c))
		return;
	c = &cs->c[cs->n++];
	c->status = st;
	c->what = "boot";
	va_start(ap, fmt);
	(void)vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
	(void)snprintf(c->fix, sizeof(c->fix), "%s", fix != NULL ? fix : "");
	cs->count[st]++;
}

/* "check --boot": what rc.d/ptvm will do with the VM at the next boot. */
void
check_boot(struct ptvm_ctx *ctx, const struct vm_load *ld, struct checks *cs)
{
	struct host *h;
	char *buf, *words[AUTO_MAX + 1], fix[160];
	const char *name = ld->vm.name;
	size_t len, n, i;
	unsigned line, eline;
	bool en;

	if (rc_read(ctx, &h, &buf, &len) != 0) {
		boot_add(cs, CHK_SKIP, NULL, "%s cannot be read", RC_CONF);
		return;
	}
	(void)snprintf(fix, sizeof(fix), "ptvm autostart %s on", name);
	if (rc_list(ctx, buf, len, words, &n, &line) != 0) {
		boot_add(cs, CHK_FAIL, "edit ptvm_list in /etc/rc.conf by hand",
		    "ptvm_list of %s is not a plain list", RC_CONF);
		free(buf);
		return;
	}
	for (i = 0; i < n && strcmp(words[i], name) != 0; i++)
		;
	en = rc_enabled(buf, len, &eline);
	if (i == n)
		boot_add(cs, CHK_WARN, fix, "%s is not in ptvm_list of %s: "
		    "boot does not start it", name, RC_CONF);
	else if (!en)
		boot_add(cs, CHK_WARN, fix, "%s is in ptvm_list (%zu of %zu) "
		    "but ptvm_enable is not YES: boot starts no VM", name,
		    i + 1, n);
	else
		boot_add(cs, CHK_PASS, NULL, "boot starts %s (%zu of %zu in "
		    "ptvm_list) from rc.d/ptvm, after the network and the "
		    "logins, with this same preflight", name, i + 1, n);
	if (i < n && en && ld->vm.life.console_gpu_take)
		boot_add(cs, CHK_PASS, NULL, "its GPU drives the console: "
		    "console_gpu=take binds it at that start (run-time "
		    "binding, no loader.conf pptdevs needed); the console "
		    "shows the boot, then goes dark until the VM stops");
	if (i < n && en)
		boot_add(cs, CHK_PASS, NULL, "at shutdown rc.d/ptvm stops it "
		    "through ACPI, in the reverse order, within "
		    "rcshutdown_timeout");
	words_free(words, n);
	free(buf);
}
