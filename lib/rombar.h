/*
 * rombar.h: reading an expansion ROM through the ROM BAR of a function
 * that no driver and no VM uses (rom dump), as one sequence of
 * configuration reads and writes and one physical memory read.  The host
 * supplies the three accesses; this file makes no OS call.
 */
#ifndef PTVM_ROMBAR_H
#define PTVM_ROMBAR_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define ROMBAR_REG		0x30		/* PCIR_BIOS, header type 0 */
#define ROMBAR_ENABLE		0x00000001u	/* PCIM_BIOS_ENABLE */
#define ROMBAR_ADDR		0xfffff800u	/* PCIM_BIOS_ADDR_MASK */
#define ROMBAR_CMD		0x04		/* PCIR_COMMAND */
#define ROMBAR_CMD_MEMEN	0x0002u		/* PCIM_CMD_MEMEN */

struct rombar_io {
	void	*arg;
	/* PCIOCREAD / PCIOCWRITE of the function: 0 or an errno value. */
	int	(*cfg_read)(void *, unsigned, unsigned, uint32_t *);
	int	(*cfg_write)(void *, unsigned, unsigned, uint32_t);
	/* len bytes of physical memory at pa (/dev/mem): 0 or errno. */
	int	(*mem_read)(void *, uint64_t, uint8_t *, size_t);
};

/*
 * Reads the ROM of the function called name (for messages): sizes the ROM
 * BAR, turns on memory decoding and the ROM enable bit where they are
 * off, reads at most max bytes (cut at the end of the last image), and
 * restores every register it wrote, in reverse order, on every path.
 * *buf is malloc'd.  Returns 0 or an errno value with an error in d:
 * ENXIO (no ROM, no address, or a BAR that would decode at 0), EIO (a
 * register did not read back as restored, or no ROM signature).
 */
int	rombar_read(const struct rombar_io *, const char *name, size_t max,
	    uint8_t **buf, size_t *len, struct diags *d);

#endif /* PTVM_ROMBAR_H */
