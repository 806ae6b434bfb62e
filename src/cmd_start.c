/*
 * cmd_start.c: "ptvm start" and "restart"; the engine (engine/start.c)
 * does the work, this file says what it found.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "ptvm.h"

/* The checks before a start: what fails or warns is said; -1 refuses. */
static int
start_preflight(void *arg, struct vm_load *ld)
{
	struct ptvm_ctx *ctx = arg;
	struct checks *cs;
	size_t i;
	int rv;

	if ((cs = calloc(1, sizeof(*cs))) == NULL)
		return (-1);
	rv = 0;
	(void)out_diags(ctx);		/* what the start said before */
	if (check_vm(ctx, ld, cs) != 0)
		rv = -1;
	for (i = 0; rv == 0 && i < cs->n; i++) {
		if (cs->c[i].status != CHK_FAIL && cs->c[i].status != CHK_WARN)
			continue;
		fprintf(stderr, "ptvm: %s: %s: %s: %s\n", ld->vm.name,
		    cs->c[i].status == CHK_FAIL ? "FAIL" : "warning",
		    cs->c[i].what, cs->c[i].msg);
		if (cs->c[i].fix[0] != '\0')
			fprintf(stderr, "ptvm: %s:   fix: %s\n", ld->vm.name,
			    cs->c[i].fix);
	}
	if (rv == 0 && cs->count[CHK_FAIL] > 0) {
		fprintf(stderr, "ptvm: %s: not started: %d check%s failed "
		    "(ptvm check %s)\n", ld->vm.name, cs->count[CHK_FAIL],
		    cs->count[CHK_FAIL] == 1 ? "" : "s", ld->vm.name);
		rv = -1;
	}
	free(cs);
	return (rv);
}


/* -F: the supervisor's log lines, on stderr as they come. */
static void
start_log(void *arg, const char *vm, enum diag_level lvl, const char *msg)
{

	(void)out_diags(arg);
	fprintf(stderr, "ptvm: %s: %s%s\n", vm, lvl == DIAG_ERROR ? "error: " :
	    lvl == DIAG_WARN ? "warning: " : "", msg);
}

static int
start_vm(struct ptvm_ctx *ctx, const char *arg, bool fg, bool force)
{
	struct eng_start_opts so = {
		.foreground = fg,
		.force = force,
		.preflight = start_preflight,
		.log = start_log,
		.report = out_report,
		.arg = ctx,
	};
	int rv;

	rv = eng_start(&ctx->eng, arg, &so);
	(void)out_diags(ctx);
	return (rv);
}

int
cmd_start(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef defs[] = {
		{ 'F', 'F', "foreground", false, NULL },
		{ 'f', 0, "ignore-dirty", false, NULL },
		{ 'f', 0, "force", false, "--ignore-dirty" },
		OPTDEF_END
	};
	struct opts o;
	bool fg, force;
	int ch;

	fg = force = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		switch (ch) {
		case 'F':
			fg = true;
			break;
		case 'f':
			force = true;
			break;
		default:
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		}
	}
	argc = opt_operands(&o, &argv);
	if (argc != 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "one VM"));
	return (start_vm(ctx, argv[0], fg, force));
}

int
cmd_restart(struct ptvm_ctx *ctx, int argc, char **argv)
{
	int timeout, within, argi, rv;
	bool force;

	if (stop_opts(ctx, argc, argv, &timeout, &force, &within, &argi) != 0)
		return (EXIT_USAGE);
	if (!vm_name_ok(argv[argi])) {
		diag_err(&ctx->diags, NULL, 0, "%s: restart takes a VM name, "
		    "not a path", argv[argi]);
		(void)out_diags(ctx);
		return (EXIT_USAGE);
	}
	rv = stop_vm(ctx, argv[argi], timeout, force, within);
	if (rv != EXIT_OK) {
		diag_err(&ctx->diags, NULL, 0, "%s: not started again",
		    argv[argi]);
		(void)out_diags(ctx);
		return (rv);
	}
	return (start_vm(ctx, argv[argi], false, force));
}
