/*
 * libFuzzer target: pci.ids lookups (lib/pciids.c).  The first four bytes
 * are the vendor and device looked up, the rest the database.  A name
 * found lies inside the database, on one line, trimmed.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "pciids.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct pciids_name *n, const char *buf, size_t len)
{

	if (n->len == 0)
		return;
	if (n->s < buf || n->s + n->len > buf + len ||
	    memchr(n->s, '\n', n->len) != NULL || n->s[0] == ' ' ||
	    n->s[0] == '\t' || n->s[n->len - 1] == ' ' ||
	    n->s[n->len - 1] == '\r')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct pciids_name v, d;
	const char *db;
	uint16_t vendor, device;
	int r;

	if (len < 4)
		return (0);
	vendor = (uint16_t)(data[0] << 8 | data[1]);
	device = (uint16_t)(data[2] << 8 | data[3]);
	db = (const char *)data + 4;
	r = pciids_lookup(db, len - 4, vendor, device, &v, &d);
	check(&v, db, len - 4);
	check(&d, db, len - 4);
	if ((r == 0) != (v.len > 0))
		abort();
	return (0);
}
