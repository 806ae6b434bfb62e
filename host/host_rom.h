/*
 * host_rom.h: reading a device's expansion ROM on the live host.  To be
 * merged into host.h; kept apart so that host_freebsd.c stays untouched.
 */
#ifndef PTVM_HOST_ROM_H
#define PTVM_HOST_ROM_H

#include "compat.h"
#include "diag.h"
#include "host.h"
#include "pci.h"

#define HOST_ROM_MAX	(16 * 1024 * 1024)

/*
 * Reads the expansion ROM of dev through its ROM BAR, only where the kernel
 * already decodes it (no configuration write).  Returns 0 and a malloc'd
 * buffer, or an errno value with the reason in diags: ENOTSUP on other
 * systems and captured hosts, EBUSY when the ROM BAR is not decoded.
 */
int	host_rom_read(struct host *, const struct pci_dev *, uint8_t **,
	    size_t *, struct diags *);

#endif /* PTVM_HOST_ROM_H */
