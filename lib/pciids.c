/*
 * pciids.c: lookups in the pci.ids text format:
 *	VVVV  Vendor name
 *	<TAB>DDDD  Device name
 *	<TAB><TAB>SSSS SSSS  Subsystem name
 * followed by a class section starting with "C ".
 */
#include "compat.h"

#include <string.h>

#include "pciids.h"
#include "util.h"

static int
hex4(const char *s, size_t n, uint16_t *v)
{
	const char *p;
	unsigned long x;
	size_t i;

	if (n < 4)
		return (-1);
	for (i = 0; i < 4; i++)
		if (strchr("0123456789abcdefABCDEF", s[i]) == NULL ||
		    s[i] == '\0')
			return (-1);
	p = s;
	if (util_parse_ulong_end(&p, s + 4, 16, 0xffff, &x) != 0 ||
	    p != s + 4)
		return (-1);
	*v = (uint16_t)x;
	return (0);
}

/* The name after "XXXX  " on a line of length n, trimmed. */
static void
line_name(const char *s, size_t n, struct pciids_name *out)
{
	size_t i;

	i = 4;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	out->s = s + i;
	out->len = n - i;
}

int
pciids_lookup(const char *buf, size_t len, uint16_t vendor, uint16_t device,
    struct pciids_name *vname, struct pciids_name *dname)
{
	const char *p, *end, *nl;
	size_t n;
	uint16_t v;
	bool invendor;

	vname->s = dname->s = NULL;
	vname->len = dname->len = 0;
	invendor = false;
	end = buf + len;
	for (p = buf; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n == 0 || p[0] == '#')
			continue;
		if (p[0] == 'C' && n > 1 && p[1] == ' ')
			break;		/* class section: no more vendors */
		if (p[0] != '\t') {
			if (invendor)
				break;	/* the vendor's devices are over */
			if (hex4(p, n, &v) == 0 && v == vendor) {
				line_name(p, n, vname);
				invendor = true;
			}
			continue;
		}
		if (!invendor || n < 2 || p[1] == '\t')
			continue;
		if (hex4(p + 1, n - 1, &v) == 0 && v == device) {
			line_name(p + 1, n - 1, dname);
			break;
		}
	}
	return (vname->len > 0 ? 0 : -1);
}
