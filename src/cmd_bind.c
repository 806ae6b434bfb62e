/*
 * cmd_bind.c: "ptvm bind" and "ptvm unbind".
 */
#include "compat.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bind.h"
#include "ptvm.h"

static void
log_stdout(void *arg, const char *line)
{

	(void)arg;
	printf("%s\n", line);
	fflush(stdout);
}

static int
bind_common(struct ptvm_ctx *ctx, int argc, char **argv, bool unbind)
{
	static const struct option lo[] = {
		{ "host-use", required_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 },
	};
	struct bind_opts o = { .force = false };
	struct bind_env env;
	struct bind_plan p;
	struct host *h;
	size_t *devs, ndevs;
	bool dry, bad;
	int ch, rv;

	dry = false;
	while ((ch = getopt_long(argc, argv, unbind ? "n" : "fn",
	    unbind ? lo + 1 : lo, NULL)) != -1) {
		switch (ch) {
		case 'U':
			if (strcmp(optarg, "take") != 0 &&
			    strcmp(optarg, "refuse") != 0)
				return (out_usage_error(ctx->cmdname,
				    ctx->cmd, "--host-use: \"%s\" is not "
				    "take", optarg));
			o.host_use_take = strcmp(optarg, "take") == 0;
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
	argc -= optind;
	argv += optind;
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
