/*
 * diag.c: the diagnostics list.
 */
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

void
diags_init(struct diags *d)
{

	STAILQ_INIT(&d->head);
	d->nerrors = d->nwarnings = 0;
	d->oom = false;
}

void
diags_free(struct diags *d)
{
	struct diag *x;

	while ((x = STAILQ_FIRST(&d->head)) != NULL) {
		STAILQ_REMOVE_HEAD(&d->head, entry);
		free(x->file);
		free(x->msg);
		free(x);
	}
	diags_init(d);
}

static void
diag_vadd(struct diags *d, enum diag_level lvl, const char *file,
    unsigned line, long long off, const char *fmt, va_list ap)
{
	struct diag *x;

	if (lvl == DIAG_ERROR)
		d->nerrors++;
	else if (lvl == DIAG_WARN)
		d->nwarnings++;
	if ((x = calloc(1, sizeof(*x))) == NULL) {
		d->oom = true;
		return;
	}
	x->level = lvl;
	x->line = line;
	x->offset = off;
	if ((file != NULL && (x->file = strdup(file)) == NULL) ||
	    vasprintf(&x->msg, fmt, ap) < 0) {
		free(x->file);
		free(x);
		d->oom = true;
		return;
	}
	STAILQ_INSERT_TAIL(&d->head, x, entry);
}

void
diag_add(struct diags *d, enum diag_level lvl, const char *file,
    unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, lvl, file, line, -1, fmt, ap);
	va_end(ap);
}

void
diag_add_off(struct diags *d, enum diag_level lvl, const char *file,
    long long off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, lvl, file, 0, off, fmt, ap);
	va_end(ap);
}

const char *
diag_level_name(enum diag_level lvl)
{

	switch (lvl) {
	case DIAG_NOTE:
		return ("note");
	case DIAG_WARN:
		return ("warning");
	case DIAG_ERROR:
		return ("error");
	}
	return ("?");
}
