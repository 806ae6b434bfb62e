/*
 * host_freebsd_rom.c: reading an expansion ROM on the live FreeBSD host.
 *
 * Only the read-only path the kernel sanctions is used: PCIOCGETBAR and
 * PCIOCBARMMAP on the ROM BAR (0x30), which the kernel allows only when it
 * has reserved the BAR and decodes it (pci_bar_mmap() in pci_user.c returns
 * EBUSY otherwise).  ptvm never writes the ROM BAR or the command register
 * itself: for a device on ppt(4) the kernel has not reserved the ROM BAR
 * (pci.c reserves it only when a driver allocates it), ppt_attach() turns
 * memory decoding off, the ROM decoder may be shared with a memory BAR, and
 * a VM may be using the device.  Enabling it behind the kernel's back could
 * decode an unassigned or conflicting address, or disturb a running guest.
 */
#include "compat.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/pciio.h>

#include <dev/pci/pcireg.h>
#include <vm/vm.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host_rom.h"

#define ROM_PATH_DEVPCI	"/dev/pci"	/* _PATH_DEVPCI of pciconf(8) */

static struct pcisel
rom_pcisel(const struct pci_dev *dev)
{
	struct pcisel s;

	memset(&s, 0, sizeof(s));
	s.pc_domain = dev->sel.domain;
	s.pc_bus = (uint8_t)dev->sel.bus;
	s.pc_dev = (uint8_t)dev->sel.slot;
	s.pc_func = (uint8_t)dev->sel.func;
	return (s);
}

/* Whether the kernel has the ROM BAR reserved and decoding. */
static int
rom_bar_state(int fd, const struct pci_dev *dev, struct diags *d)
{
	struct pci_bar_io bio;

	memset(&bio, 0, sizeof(bio));
	bio.pbi_sel = rom_pcisel(dev);
	bio.pbi_reg = PCIR_BIOS;
	if (ioctl(fd, PCIOCGETBAR, &bio) != 0) {
		if (errno == EINVAL) {
			diag_add(d, DIAG_ERROR, NULL, 0, "the kernel has not "
			    "reserved the ROM BAR of this device (no driver "
			    "mapped it), so it cannot be read safely");
			return (EBUSY);
		}
		diag_add(d, DIAG_ERROR, NULL, 0, "PCIOCGETBAR: %s",
		    strerror(errno));
		return (errno);
	}
	if (!bio.pbi_enabled) {
		diag_add(d, DIAG_ERROR, NULL, 0, "the ROM BAR is not decoded "
		    "(ROM enable or memory decoding is off); ptvm does not "
		    "enable it behind the kernel's back");
		return (EBUSY);
	}
	return (0);
}

static int
rom_bar_copy(int fd, const struct pci_dev *dev, uint8_t **buf, size_t *len,
    struct diags *d)
{
	struct pci_bar_mmap pbm;
	size_t n;

	memset(&pbm, 0, sizeof(pbm));
	pbm.pbm_sel = rom_pcisel(dev);
	pbm.pbm_reg = PCIR_BIOS;
	pbm.pbm_flags = 0;			/* read-only mapping */
	pbm.pbm_memattr = VM_MEMATTR_UNCACHEABLE;
	if (ioctl(fd, PCIOCBARMMAP, &pbm) != 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, "PCIOCBARMMAP: %s",
		    strerror(errno));
		return (errno);
	}
	n = pbm.pbm_bar_length < HOST_ROM_MAX ? (size_t)pbm.pbm_bar_length :
	    HOST_ROM_MAX;
	if ((*buf = malloc(n)) == NULL) {
		(void)munmap(pbm.pbm_map_base, pbm.pbm_map_length);
		return (ENOMEM);
	}
	memcpy(*buf, (const uint8_t *)pbm.pbm_map_base + pbm.pbm_bar_off, n);
	*len = n;
	(void)munmap(pbm.pbm_map_base, pbm.pbm_map_length);
	return (0);
}

int
host_rom_read(struct host *h, const struct pci_dev *dev, uint8_t **buf,
    size_t *len, struct diags *d)
{
	int fd, e;

	*buf = NULL;
	*len = 0;
	if (h != NULL && h->dir != NULL) {
		diag_add(d, DIAG_ERROR, NULL, 0, "reading a ROM BAR needs the "
		    "live host; this is a captured host (-H)");
		return (ENOTSUP);
	}
	/* PCIOCBARMMAP needs FWRITE even for a read-only mapping. */
	if ((fd = open(ROM_PATH_DEVPCI, O_RDWR | O_CLOEXEC)) < 0) {
		e = errno;
		diag_add(d, DIAG_ERROR, ROM_PATH_DEVPCI, 0, "%s", strerror(e));
		return (e);
	}
	if ((e = rom_bar_state(fd, dev, d)) == 0)
		e = rom_bar_copy(fd, dev, buf, len, d);
	(void)close(fd);
	return (e);
}
