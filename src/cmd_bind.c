/*
 * cmd_bind.c: "ptvm bind" and "ptvm unbind".
 */
#include "compat.h"

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
