/*
 * output.c: everything the front end prints that is not a command's own
 * report: diagnostics, usage, JSON documents.
 */
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "ptvm.h"

/* Prints and clears the collected diagnostics; returns the error count. */
int
out_diags(struct ptvm_ctx *ctx)
{
	struct diag *x;
	int nerr;

	STAILQ_FOREACH(x, &ctx->diags.head, entry) {
		fprintf(stderr, "ptvm: ");
		if (x->file != NULL) {
			fprintf(stderr, "%s:", x->file);
			if (x->line > 0)
				fprintf(stderr, "%u:", x->line);
			if (x->offset >= 0)
				fprintf(stderr, " offset 0x%llx:", x->offset);
			fprintf(stderr, " ");
		}
		fprintf(stderr, "%s: %s\n", diag_level_name(x->level), x->msg);
	}
	if (ctx->diags.oom)
		fprintf(stderr, "ptvm: error: out of memory while reporting "
		    "problems; some messages are missing\n");
	nerr = ctx->diags.nerrors;
	diags_free(&ctx->diags);
	return (nerr);
}

/*
 * The engine's report callback (eng_report_fn), arg the context: the
 * diagnostics collected so far first, so that they keep their order.
 */
void
out_report(void *arg, const char *vm, enum diag_level lvl, const char *msg)
{
	struct ptvm_ctx *ctx = arg;

	(void)out_diags(ctx);
	fprintf(lvl == DIAG_NOTE ? stdout : stderr, "%s: %s%s\n", vm,
	    lvl == DIAG_ERROR ? "error: " : lvl == DIAG_WARN ? "warning: " :
	    "", msg);
	fflush(stdout);
}

void
out_json(struct strbuf *sb)
{

	if (sb->oom) {
		fprintf(stderr, "ptvm: error: out of memory building JSON\n");
		return;
	}
	fwrite(sb_str(sb), 1, sb->len, stdout);
	fputc('\n', stdout);
}

void
out_usage(const char *prefix, const struct cmd *c)
{

	for (; c->name != NULL; c++)
		fprintf(stderr, "usage: ptvm %s%s%s %s\n", prefix,
		    *prefix ? " " : "", c->name, c->synopsis);
}

int
out_usage_error(const char *name, const struct cmd *c, const char *fmt, ...)
{
	va_list ap;

	/* No message: opt_next has said what was wrong. */
	if (fmt != NULL) {
		fprintf(stderr, "ptvm: %s: ", name);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	if (c != NULL)
		fprintf(stderr, "usage: ptvm %s %s\n", name, c->synopsis);
	return (EXIT_USAGE);
}
