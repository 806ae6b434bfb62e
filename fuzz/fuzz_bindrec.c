/*
 * libFuzzer target: the bindings record, RUNDIR/bindings (lib/bindrec.c).
 * A line that parses formats to a line that parses to the same record;
 * dropping nothing keeps the file; dropping every recorded function leaves
 * exactly the lines that are not records, byte for byte; a lookup finds
 * the last record of a function.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "bindrec.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAXREC	64

static bool
same(const struct bindrec *a, const struct bindrec *b)
{

	return (pci_sel_eq(&a->sel, &b->sel) &&
	    strcmp(a->driver, b->driver) == 0 && strcmp(a->how, b->how) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *buf, *p, *nl, *end, *q;
	struct bindrec r, r2, rec[MAXREC];
	struct pci_sel sels[MAXREC];
	struct strbuf a, kept;
	size_t n, i, ql;

	buf = (const char *)data;
	end = buf + len;
	n = 0;
	sb_init(&a);
	sb_init(&kept);
	for (p = buf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (bindrec_parse_line(p, (size_t)(nl - p), &r) != 0) {
			sb_putn(&kept, p, (size_t)(nl - p));
			sb_putc(&kept, '\n');
			continue;
		}
		sb_reset(&a);
		if (bindrec_format(&r, &a) != 0 || a.oom || a.len < 2 ||
		    a.s[a.len - 1] != '\n' ||
		    bindrec_parse_line(a.s, a.len - 1, &r2) != 0 ||
		    !same(&r, &r2))
			abort();
		if (n < MAXREC) {
			rec[n] = r;
			sels[n++] = r.sel;
		}
	}
	/* Dropping nothing keeps every line. */
	sb_reset(&a);
	bindrec_drop(buf, len, NULL, 0, &a);
	if (!a.oom && (a.len < len || memcmp(sb_str(&a), buf, len) != 0 ||
	    a.len > len + 1))
		abort();
	/* A lookup gives the last record of its function. */
	for (i = 0; i < n; i++) {
		size_t k, last = i;

		for (k = 0; k < n; k++)
			if (pci_sel_eq(&rec[k].sel, &rec[i].sel))
				last = k;
		if (bindrec_find(buf, len, &rec[i].sel, &r) != 0 ||
		    (n < MAXREC && !same(&r, &rec[last])))
			abort();
	}
	/* Dropping every recorded function leaves what is not a record. */
	if (n < MAXREC) {
		sb_reset(&a);
		bindrec_drop(buf, len, sels, n, &a);
		if (!a.oom && !kept.oom && (a.len != kept.len ||
		    memcmp(sb_str(&a), sb_str(&kept), a.len) != 0))
			abort();
		q = sb_str(&a);
		ql = a.len;
		for (i = 0; i < n; i++)
			if (bindrec_find(q, ql, &sels[i], &r) == 0)
				abort();
	}
	sb_free(&a);
	sb_free(&kept);
	return (0);
}
