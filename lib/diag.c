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

/*
 * The length of the UTF-8 sequence at s (at most n bytes) of a printable
 * character at or above U+00A0, or 0: C1 controls (U+0080-U+009F), overlong
 * forms, surrogates and broken sequences are not text for a terminal.
 */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t k, i;
	unsigned long c;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4;
	else
		return (0);
	if (n < k)
		return (0);
	c = s[0] & (0x7f >> k);
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < 0xa0 || (k == 3 && c < 0x800) || (k == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return (0);
	return (k);
}

/*
 * A diagnostic quotes what it was given (a file's bytes, a file name);
 * none may reach the terminal raw: every byte that is not printable
 * ASCII or UTF-8 text becomes \xNN.  NULL when out of memory.
 */
static char *
diag_escape(char *s)
{
	const unsigned char *p;
	size_t n, k, len;
	char *r, *q;

	len = strlen(s);
	for (p = (const unsigned char *)s, n = 0; *p != '\0'; p += k) {
		k = *p >= 0x20 && *p < 0x7f ? 1 :
		    utf8_len(p, len - (size_t)(p - (const unsigned char *)s));
		n += k == 0 ? 4 : k;
		if (k == 0)
			k = 1;
	}
	if (n == len)
		return (s);
	if ((r = malloc(n + 1)) == NULL) {
		free(s);
		return (NULL);
	}
	for (p = (const unsigned char *)s, q = r; *p != '\0'; p += k) {
		k = *p >= 0x20 && *p < 0x7f ? 1 :
		    utf8_len(p, len - (size_t)(p - (const unsigned char *)s));
		if (k == 0) {
			(void)snprintf(q, 5, "\\x%02x", *p);
			q += 4;
			k = 1;
		} else {
			memcpy(q, p, k);
			q += k;
		}
	}
	*q = '\0';
	free(s);
	return (r);
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
	    (file != NULL && (x->file = diag_escape(x->file)) == NULL) ||
	    vasprintf(&x->msg, fmt, ap) < 0 ||
	    (x->msg = diag_escape(x->msg)) == NULL) {
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
