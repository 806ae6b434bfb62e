/*
 * cmd_bind.c: "ptvm bind" and "ptvm unbind".
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bind.h"
#include "loaderconf.h"
#include "ptvm.h"

#define DROPIN		"/boot/loader.conf.d/ptvm.conf"

static void
log_stdout(void *arg, const char *line)
{

	(void)arg;
	printf("%s\n", line);
	fflush(stdout);
}

/* Whether the words of v hold w. */
static bool
has_word(const char *v, const char *w)
{
	const char *p;
	size_t n;

	n = strlen(w);
	for (p = v; (p = strstr(p, w)) != NULL; p += n)
		if ((p == v || p[-1] == ' ' || p[-1] == '\t') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\t'))
			return (true);
	return (false);
}

/*
 * After unbind: a loader file whose pptdevs names a function given back
 * binds it to ppt again at the next boot; said, with how to stop that.
 */
static void
unbind_boot_note(struct host *h, const struct bind_env *env,
    const size_t *devs, size_t ndevs)
{
	static const char *const keys[] = { "pptdevs", "pptdevs2",
	    "pptdevs3" };
	char **names, path[1100], sel[32], keep[512];
	const char *files[66];
	char *buf, *v, *w, *p;
	size_t nf, n, i, k, d, len;

	nf = 0;
	files[nf++] = "/boot/loader.conf";
	names = NULL;
	n = 0;
	if (h->ops->dir_list(h, "/boot/loader.conf.d", &names, &n) != 0)
		names = NULL, n = 0;
	for (i = 0; i < n && nf < nitems(files) - 1; i++) {
		k = strlen(names[i]);
		if (k > 5 && strcmp(names[i] + k - 5, ".conf") == 0 &&
		    snprintf(path, sizeof(path), "/boot/loader.conf.d/%s",
		    names[i]) < (int)sizeof(path) && (files[nf] =
		    strdup(path)) != NULL)
			nf++;
	}
	if (names != NULL)
		host_names_free(names, n);
	files[nf++] = "/boot/loader.conf.local";
	for (i = 0; i < nf; i++) {
		if (h->ops->file_read(h, files[i], &buf, &len) != 0)
			continue;
		keep[0] = '\0';
		for (k = 0; k < nitems(keys); k++) {
			if ((v = conf_get(buf, len, keys[k])) == NULL)
				continue;
			/* The functions that stay in the file's lists. */
			for (p = v; (w = strsep(&p, " \t")) != NULL;) {
				if (*w == '\0')
					continue;
				for (d = 0; d < ndevs; d++) {
					pci_sel_fmt(&env->pci.dev[devs[d]].sel,
					    SEL_BHYVE, sel, sizeof(sel));
					if (strcmp(sel, w) == 0)
						break;
				}
				if (d == ndevs && strlen(keep) + strlen(w) + 2 <
				    sizeof(keep)) {
					if (keep[0] != '\0')
						(void)strlcat(keep, " ",
						    sizeof(keep));
					(void)strlcat(keep, w, sizeof(keep));
				}
			}
			free(v);
		}
		for (d = 0; d < ndevs; d++) {
			pci_sel_fmt(&env->pci.dev[devs[d]].sel, SEL_BHYVE, sel,
			    sizeof(sel));
			for (k = 0; k < nitems(keys); k++) {
				if ((v = conf_get(buf, len, keys[k])) == NULL)
					continue;
				if (!has_word(v, sel)) {
					free(v);
					continue;
				}
				printf("note: %s sets %s=\"%s\": the loader "
				    "binds %s to ppt again at the next boot; ",
				    files[i], keys[k], v, sel);
				free(v);
				if (strcmp(files[i], DROPIN) != 0)
					printf("remove %s from that line to "
					    "keep it with the host\n", sel);
				else if (keep[0] != '\0')
					printf("to keep it with the host, "
					    "rewrite the drop-in without it: "
					    "ptvm host setup --persistent %s\n",
					    keep);
				else
					printf("to keep it with the host, "
					    "rewrite the drop-in without "
					    "pptdevs: ptvm host setup "
					    "--persistent (with no function on "
					    "ppt), or delete its pptdevs line\n");
				break;
			}
		}
		free(buf);
	}
	for (i = 1; i + 1 < nf; i++)
		free(__DECONST(char *, files[i]));
}

static int
bind_common(struct ptvm_ctx *ctx, int argc, char **argv, bool unbind)
{
	static const struct optdef bind_defs[] = {
		{ 'n', 'n', "dry-run", false, NULL },
		{ 'U', 0, "host-use", true, NULL },
		{ 'C', 0, "console-gpu", true, NULL },
		{ 'f', 'f', NULL, false, "--console-gpu=take" },
		OPTDEF_END
	}, unbind_defs[] = {
		{ 'n', 'n', "dry-run", false, NULL },
		OPTDEF_END
	};
	struct bind_opts o = { .force = false };
	struct opts op;
	struct bind_env env;
	struct bind_plan p;
	struct host *h;
	size_t *devs, ndevs;
	bool dry, bad;
	int ch, rv;

	dry = false;
	opt_init(&op, ctx->cmdname, argc, argv, unbind ? unbind_defs :
	    bind_defs);
	while ((ch = opt_next(&op)) != OPT_END) {
		switch (ch) {
		case 'U':
		case 'C':
			if (strcmp(op.arg, "take") != 0 &&
			    strcmp(op.arg, "refuse") != 0)
				return (out_usage_error(ctx->cmdname,
				    ctx->cmd, "%s: \"%s\" is not take or "
				    "refuse", op.spelled, op.arg));
			*(ch == 'U' ? &o.host_use_take : &o.force) =
			    strcmp(op.arg, "take") == 0;
			break;
		case 'f':
			o.force = true;
			break;
		case 'n':
			dry = true;
			break;
		default:
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		}
	}
	argc = opt_operands(&op, &argv);
	if (argc < 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd,
		    "no selector given"));
	if (ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	bind_plan_init(&p);
	devs = NULL;
	rv = EXIT_FAIL;
	if (bind_env_read(&ctx->eng, h, &env) != 0)
		goto out;
	/* Check everything named before failing, to report it all once. */
	bad = bind_resolve(&ctx->eng, &env, argc, argv, &devs, &ndevs) != 0;
	if (devs == NULL || (unbind ? unbind_plan_make(&env.st, devs, ndevs,
	    &p, &ctx->diags) : bind_plan_make(&env.st, devs, ndevs, &o, &p,
	    &ctx->diags)) != 0 || bad)
		goto out;
	if (p.ndevs == 0) {
		rv = EXIT_OK;
		goto out;
	}
	if (dry) {
		printf("# ptvm %s would run:\n", unbind ? "unbind" : "bind");
		bind_plan_print(&p, log_stdout, NULL);
		rv = EXIT_OK;
		goto out;
	}
	rv = unbind ? unbind_execute(&ctx->eng, h, &env, &p, log_stdout, NULL) :
	    bind_execute(&ctx->eng, h, &env, &p, log_stdout, NULL);
	if (unbind && rv == EXIT_OK)
		unbind_boot_note(h, &env, devs, ndevs);
out:
	free(devs);
	bind_plan_free(&p);
	bind_env_free(&env);
	return (rv);
}

int
cmd_bind(struct ptvm_ctx *ctx, int argc, char **argv)
{

	return (bind_common(ctx, argc, argv, false));
}

int
cmd_unbind(struct ptvm_ctx *ctx, int argc, char **argv)
{

	return (bind_common(ctx, argc, argv, true));
}
