/*
 * host_rom_none.c: systems other than FreeBSD cannot read a ROM BAR.
 */
#include "compat.h"

#include <errno.h>

#include "host_rom.h"

int
host_rom_read(struct host *h, const struct pci_dev *dev, uint8_t **buf,
    size_t *len, struct diags *d)
{

	(void)dev;
	*buf = NULL;
	*len = 0;
	diag_add(d, DIAG_ERROR, NULL, 0, "reading a ROM BAR needs the live "
	    "FreeBSD host%s", h != NULL && h->dir != NULL ?
	    "; this is a captured host (-H)" : "");
	return (ENOTSUP);
}
