/*
 * bindrec.c: the bindings record (see bindrec.h).
 */
#include "compat.h"

#include <string.h>

#include "bindrec.h"

/*
 * A driver name: what pciconf prints before the unit, or "none"; one word
 * of letters, digits, '_', '-' and '.'.
 */
static bool
bindrec_driver_ok(const char *s)
{
	size_t i;

	if (s[0] == '\0' || strlen(s) >= PCI_NAMELEN)
		return (false);
	for (i = 0; s[i] != '\0'; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '_' &&
		    s[i] != '-' && s[i] != '.')
			return (false);
	return (true);
}

static bool
bindrec_how_ok(const char *s)
{

	return (strcmp(s, "fixed") == 0 || strcmp(s, "boot") == 0);
}

/* The next space-separated word of s[*i..n) into w (size sz). */
static int
bindrec_word(const char *s, size_t n, size_t *i, char *w, size_t sz)
{
	size_t j;

	while (*i < n && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
	for (j = 0; *i < n && s[*i] != ' ' && s[*i] != '\t'; (*i)++, j++) {
		if (j + 1 >= sz || s[*i] == '\0')
			return (-1);
		w[j] = s[*i];
	}
	w[j] = '\0';
	return (j > 0 ? 0 : -1);
}

int
bindrec_parse_line(const char *s, size_t n, struct bindrec *r)
{
	char sel[32], err[8], extra[2];
	size_t i;

	memset(r, 0, sizeof(*r));
	i = 0;
	if (bindrec_word(s, n, &i, sel, sizeof(sel)) != 0 ||
	    bindrec_word(s, n, &i, r->driver, sizeof(r->driver)) != 0 ||
	    bindrec_word(s, n, &i, r->how, sizeof(r->how)) != 0 ||
	    bindrec_word(s, n, &i, extra, sizeof(extra)) == 0 || i != n)
		return (-1);
	if (strncmp(sel, "pci", 3) != 0 ||
	    pci_sel_parse(sel, &r->sel, err, sizeof(err)) != 0 ||
	    !bindrec_driver_ok(r->driver) || !bindrec_how_ok(r->how))
		return (-1);
	return (0);
}

int
bindrec_find(const char *buf, size_t len, const struct pci_sel *sel,
    struct bindrec *out)
{
	const char *p, *nl, *end;
	struct bindrec r;
	int found;

	if (len == 0)
		return (-1);
	found = -1;
	end = buf + len;
	for (p = buf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (bindrec_parse_line(p, (size_t)(nl - p), &r) == 0 &&
		    pci_sel_eq(&r.sel, sel)) {
			*out = r;
			found = 0;
		}
	}
	return (found);
}

void
bindrec_drop(const char *buf, size_t len, const struct pci_sel *drop,
    size_t n, struct strbuf *out)
{
	const char *p, *nl, *end;
	struct bindrec r;
	size_t i;
	bool keep;

	if (len == 0)
		return;
	end = buf + len;
	for (p = buf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		keep = true;
		if (bindrec_parse_line(p, (size_t)(nl - p), &r) == 0)
			for (i = 0; i < n; i++)
				if (pci_sel_eq(&r.sel, &drop[i]))
					keep = false;
		if (keep) {
			sb_putn(out, p, (size_t)(nl - p));
			sb_putc(out, '\n');
		}
	}
}

int
bindrec_format(const struct bindrec *r, struct strbuf *out)
{
	char sel[32];

	if (!bindrec_driver_ok(r->driver) || !bindrec_how_ok(r->how))
		return (-1);
	pci_sel_fmt(&r->sel, SEL_PCICONF, sel, sizeof(sel));
	sb_printf(out, "%s %s %s\n", sel, r->driver, r->how);
	return (0);
}
