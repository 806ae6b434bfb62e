/*
 * cmd_stop.c: "ptvm stop"; the engine (engine/stop.c) does the work.
 */
#include "compat.h"

#include <stdio.h>
#include <unistd.h>

#include "ptvm.h"
#include "util.h"

/* The time a guest has left to power off, on a terminal; -1 clears. */
static void
stop_countdown(void *arg, const char *vm, int64_t secs)
{

	(void)arg;
	if (secs < 0)
		fprintf(stderr, "\r\033[K");
	else
		fprintf(stderr, "\r\033[K%s: waiting for the guest to power "
		    "off: %lld s", vm, (long long)secs);
}

int
stop_vm(struct ptvm_ctx *ctx, const char *name, int timeout, bool force,
    int within)
{
	struct eng_stop_opts so = {
		.timeout = timeout,
		.within = within,
		.force = force,
		.report = out_report,
		.countdown = isatty(STDERR_FILENO) ? stop_countdown : NULL,
		.arg = ctx,
	};
	int rv;

	rv = eng_stop(&ctx->eng, name, &so);
	(void)out_diags(ctx);
	return (rv);
}

int
stop_opts(struct ptvm_ctx *ctx, int argc, char **argv, int *timeout,
    bool *force, int *within, int *argi)
{
	static const struct optdef defs[] = {
		{ 't', 't', "timeout", true, NULL },
		{ 'w', 0, "within", true, NULL },
		{ 'f', 0, "kill", false, NULL },
		{ 'f', 0, "force", false, "--kill" },
		OPTDEF_END
	};
	struct opts o;
	char **ops;
	long long v;
	int ch;

	*timeout = *within = 0;
	*force = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		switch (ch) {
		case 't':
		case 'w':
			if (util_strtonum(o.arg, 1, 86400, &v) != 0) {
				(void)out_usage_error(ctx->cmdname, ctx->cmd,
				    "%s: %s: seconds from 1 to 86400",
				    o.spelled, o.arg);
				return (-1);
			}
			*(ch == 't' ? timeout : within) = (int)v;
			break;
		case 'f':
			*force = true;
			break;
		default:
			(void)out_usage_error(ctx->cmdname, ctx->cmd, NULL);
			return (-1);
		}
	}
	*argi = 1;	/* opt_operands: argv[1] on */
	if (opt_operands(&o, &ops) != 1) {
		(void)out_usage_error(ctx->cmdname, ctx->cmd, "one VM");
		return (-1);
	}
	return (0);
}

int
cmd_stop(struct ptvm_ctx *ctx, int argc, char **argv)
{
	int timeout, within, argi;
	bool force;

	if (stop_opts(ctx, argc, argv, &timeout, &force, &within, &argi) != 0)
		return (EXIT_USAGE);
	return (stop_vm(ctx, argv[argi], timeout, force, within));
}

