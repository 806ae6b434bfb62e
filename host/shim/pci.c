/*
 * pci.c: pci(4) for the FreeBSD shim, the ioctls of /dev/pci over the
 * kernel model, as sys/dev/pci/pci_user.c pci_ioctl() answers them
 * (docs/freebsd.md D10, D-ROM5), and /dev/mem reads of ROM windows.
 */
#include "compat.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbshim.h"
#include "kmodel.h"
#include "sysutil.h"
#include "pci.h"
#include "pcicfg.h"
#include "rombar.h"
#include "util.h"

#include <sys/pciio.h>		/* host/shim/include */

/* The device list never changes under the shim: one generation. */
#define SHIM_PCI_GENERATION	1

static void
shim_conf(const struct kmodel *km, size_t i, struct pci_conf *pc)
{
	const struct pci_dev *d = &km->pci.dev[i];

	memset(pc, 0, sizeof(*pc));
	pc->pc_sel.pc_domain = d->sel.domain;
	pc->pc_sel.pc_bus = (uint8_t)d->sel.bus;
	pc->pc_sel.pc_dev = (uint8_t)d->sel.slot;
	pc->pc_sel.pc_func = (uint8_t)d->sel.func;
	pc->pc_hdr = d->hdr;
	pc->pc_subvendor = d->subvendor;
	pc->pc_subdevice = d->subdevice;
	pc->pc_vendor = d->vendor;
	pc->pc_device = d->device;
	pc->pc_class = (uint8_t)(d->class >> 16);
	pc->pc_subclass = (uint8_t)(d->class >> 8);
	pc->pc_progif = (uint8_t)d->class;
	pc->pc_revid = d->rev;
	/* No driver: pd_name empty, pd_unit 0 (pci_ioctl, #D10). */
	if (km->sim[i].attached && strcmp(d->driver, "none") != 0 &&
	    d->unit >= 0) {
		strlcpy(pc->pd_name, d->driver, sizeof(pc->pd_name));
		pc->pd_unit = (unsigned long)d->unit;
	}
}

/* pci_conf_match(): 0 when some pattern matches. */
static int
shim_conf_match(const struct pci_match_conf *m, unsigned n,
    const struct pci_conf *pc)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (m[i].flags == PCI_GETCONF_NO_MATCH)
			continue;
		if (((m[i].flags & PCI_GETCONF_MATCH_DOMAIN) != 0 &&
		    pc->pc_sel.pc_domain != m[i].pc_sel.pc_domain) ||
		    ((m[i].flags & PCI_GETCONF_MATCH_BUS) != 0 &&
		    pc->pc_sel.pc_bus != m[i].pc_sel.pc_bus) ||
		    ((m[i].flags & PCI_GETCONF_MATCH_DEV) != 0 &&
		    pc->pc_sel.pc_dev != m[i].pc_sel.pc_dev) ||
		    ((m[i].flags & PCI_GETCONF_MATCH_FUNC) != 0 &&
		    pc->pc_sel.pc_func != m[i].pc_sel.pc_func) ||
		    ((m[i].flags & PCI_GETCONF_MATCH_VENDOR) != 0 &&
		    pc->pc_vendor != m[i].pc_vendor) ||
		    ((m[i].flags & PCI_GETCONF_MATCH_DEVICE) != 0 &&
		    pc->pc_device != m[i].pc_device) ||
		    ((m[i].flags & PCI_GETCONF_MATCH_CLASS) != 0 &&
		    pc->pc_class != m[i].pc_class) ||
		    ((m[i].flags & PCI_GETCONF_MATCH_UNIT) != 0 &&
		    pc->pd_unit != m[i].pd_unit) ||
		    ((m[i].flags & PCI_GETCONF_MATCH_NAME) != 0 &&
		    strncmp(m[i].pd_name, pc->pd_name,
		    sizeof(pc->pd_name)) != 0))
			continue;
		return (0);
	}
	return (1);
}

/*
 * PCIOCGETCONF (#D10): as many records as fit the buffer from offset on;
 * status MORE_DEVS when the walk stopped before the list's end (a full
 * buffer), LAST_DEVICE otherwise; an offset with another generation is
 * LIST_CHANGED; a pattern buffer whose length is not num_patterns
 * records is PCI_GETCONF_ERROR with EINVAL.
 */
static int
shim_getconf(struct kmodel *km, struct pci_conf_io *cio)
{
	struct pci_conf pc;
	size_t n, ionum, i;

	n = km->pci.n;
	cio->num_matches = 0;
	if (cio->offset != 0 && cio->generation != SHIM_PCI_GENERATION) {
		cio->status = PCI_GETCONF_LIST_CHANGED;
		return (0);
	}
	if (cio->offset >= n) {
		cio->status = PCI_GETCONF_LAST_DEVICE;
		return (0);
	}
	ionum = cio->match_buf_len / sizeof(struct pci_conf);
	if (ionum > n)
		ionum = n;
	if (cio->num_patterns > 0 && cio->num_patterns < n &&
	    cio->pat_buf_len > 0) {
		if (cio->num_patterns * sizeof(struct pci_match_conf) !=
		    cio->pat_buf_len) {
			cio->status = PCI_GETCONF_ERROR;
			return (shim_fail(EINVAL));
		}
	} else if (cio->num_patterns > 0 || cio->pat_buf_len > 0) {
		cio->status = PCI_GETCONF_ERROR;
		return (shim_fail(EINVAL));
	}
	for (i = 0; i < n && cio->num_matches < ionum; i++) {
		if (i < cio->offset)
			continue;
		shim_conf(km, i, &pc);
		if (cio->num_patterns == 0 || shim_conf_match(cio->patterns,
		    cio->num_patterns, &pc) == 0)
			cio->matches[cio->num_matches++] = pc;
	}
	cio->offset = (uint32_t)i;
	cio->generation = SHIM_PCI_GENERATION;
	cio->status = i < n ? PCI_GETCONF_MORE_DEVS : PCI_GETCONF_LAST_DEVICE;
	return (0);
}

static void
put(struct pcicfg *img, unsigned reg, unsigned width, uint32_t v)
{

	pcicfg_set(img, reg, width, v);
}

static const uint16_t shim_pcie_types[] = {
	[PCIE_ENDPOINT] = 0x0000,
	[PCIE_LEGACY_ENDPOINT] = 0x0010,
	[PCIE_ROOT_PORT] = 0x0040,
	[PCIE_UPSTREAM_PORT] = 0x0050,
	[PCIE_DOWNSTREAM_PORT] = 0x0060,
	[PCIE_PCIE_PCI_BRIDGE] = 0x0070,
	[PCIE_PCI_PCIE_BRIDGE] = 0x0080,
	[PCIE_ROOT_ENDPOINT] = 0x0090,
	[PCIE_ROOT_EC] = 0x00a0,
	[PCIE_OTHER] = 0x00f0,
};

/*
 * A function whose configuration space is not captured (no
 * pci/pci0:B:S:F.txt): its header and capability list as its pciconf
 * -lbcv lines describe them (MSI at 0x50, MSI-X at 0x60, PCI Express at
 * 0x70, SR-IOV at 0x100), so that reading it tells what the capture
 * tells.  The rest reads as zeros.
 */
static void
shim_cfg_synth(const struct pci_dev *d, struct pcicfg *img)
{
	unsigned prev, off, end;

	pcicfg_init(img);
	end = d->pcie != PCIE_NONE ? PCICFG_EXT : PCICFG_STD;
	for (off = 0; off < end; off += 4)
		put(img, off, 4, 0);
	put(img, 0x00, 2, d->vendor);
	put(img, 0x02, 2, d->device);
	put(img, 0x08, 4, (uint32_t)d->class << 8 | d->rev);
	put(img, 0x0e, 1, d->hdr);
	if ((d->hdr & 0x7f) == 0) {
		put(img, 0x2c, 2, d->subvendor);
		put(img, 0x2e, 2, d->subdevice);
	}
	if (!d->msi && !d->msix && d->pcie == PCIE_NONE)
		return;
	put(img, 0x06, 2, 0x0010);
	prev = (d->hdr & 0x7f) == 2 ? 0x14 : 0x34;
	if (d->msi) {
		put(img, prev, 1, 0x50);
		put(img, 0x50, 1, 0x05);
		prev = 0x51;
	}
	if (d->msix) {
		put(img, prev, 1, 0x60);
		put(img, 0x60, 1, 0x11);
		prev = 0x61;
	}
	if (d->pcie != PCIE_NONE) {
		put(img, prev, 1, 0x70);
		put(img, 0x70, 1, 0x10);
		put(img, 0x72, 2, 0x0002 | shim_pcie_types[d->pcie]);
		put(img, 0x74, 4, d->flr ? 0x10000000 : 0);
		if (d->sriov)
			put(img, 0x100, 4, 0x00010010);
	}
}

/* The function at sel; ENODEV when the model has none (#D-ROM5). */
static int
shim_cfg(struct kmodel *km, const struct pcisel *ps, struct pci_sel *sel,
    struct pcicfg *img)
{
	struct diags d;
	size_t i;
	int e;

	sel->domain = ps->pc_domain;
	sel->bus = ps->pc_bus;
	sel->slot = ps->pc_dev;
	sel->func = ps->pc_func;
	for (i = 0; i < km->pci.n; i++)
		if (pci_sel_eq(&km->pci.dev[i].sel, sel))
			break;
	if (i == km->pci.n)
		return (ENODEV);
	if (img == NULL)
		return (0);
	diags_init(&d);
	e = km_cfg_read(km, sel, img, &d);
	diags_free(&d);
	if (e == ENOENT) {
		/* A capture without capability lines tells none. */
		if (!km->pci.dev[i].caps_known)
			return (EIO);
		shim_cfg_synth(&km->pci.dev[i], img);
		e = 0;
	}
	return (e);
}

/*
 * PCIOCREAD and PCIOCWRITE (#D-ROM5): need /dev/pci open for writing
 * (EPERM), a width of 1, 2 or 4 and a register aligned to it (EINVAL);
 * ENODEV when no function has the selector.  Beyond what was captured a
 * read gets all ones, as beyond the space the bridge decodes.
 */
static int
shim_pci_io(struct kmodel *km, bool write, struct pci_io *io)
{
	struct pcicfg img;
	struct pci_sel sel;
	uint32_t v;
	int e;

	if ((io->pi_width != 1 && io->pi_width != 2 && io->pi_width != 4) ||
	    io->pi_reg < 0 || (io->pi_reg & (io->pi_width - 1)) != 0)
		return (shim_fail(EINVAL));
	if ((e = shim_cfg(km, &io->pi_sel, &sel, write ? NULL : &img)) != 0)
		return (shim_fail(e));
	if (write) {
		if (io->pi_reg > PCICFG_EXT - io->pi_width)
			return (0);
		v = io->pi_width == 4 ? io->pi_data :
		    io->pi_data & ((1U << (8 * io->pi_width)) - 1);
		e = km_cfg_write(km, &sel, (unsigned)io->pi_reg,
		    (unsigned)io->pi_width, v);
		return (e == 0 ? 0 : shim_fail(e));
	}
	if (!pcicfg_get(&img, (unsigned)io->pi_reg, (unsigned)io->pi_width,
	    &v))
		v = io->pi_width == 4 ? 0xffffffff :
		    (1U << (8 * io->pi_width)) - 1;
	io->pi_data = v;
	return (0);
}

int
shim_pci_ioctl(bool rw, unsigned long req, void *arg)
{
	struct kmodel *km;

	if ((km = shim_km()) == NULL)
		return (-1);
	if (!rw && req != PCIOCGETCONF && req != PCIOCGETBAR)
		return (shim_fail(EPERM));
	if (req == PCIOCGETCONF)
		return (shim_getconf(km, arg));
	if (req == PCIOCREAD || req == PCIOCWRITE)
		return (shim_pci_io(km, req == PCIOCWRITE, arg));
	return (shim_fail(ENOTTY));
}

/*
 * /dev/mem (memrw(), D-ROM7): the physical address answers from the ROM
 * window of the function whose ROM BAR holds it (kmodel.c
 * km_rom_window: all ones unless decoding); no function: all ones.
 */
ssize_t
shim_mem_read(void *buf, size_t len, off_t off)
{
	struct kmodel *km;
	struct pcicfg img;
	struct diags d;
	char p[PATH_MAX], *rom;
	uint32_t bar, mask;
	uint64_t pa;
	size_t i, romlen;
	int e;

	if ((km = shim_km()) == NULL)
		return (-1);
	if (off < 0)
		return (shim_fail(EINVAL));
	pa = (uint64_t)off;
	diags_init(&d);
	for (i = 0; i < km->pci.n; i++) {
		const struct pci_sel *sel = &km->pci.dev[i].sel;

		if (!km_rom_mask(km, sel, &mask) ||
		    km_cfg_read(km, sel, &img, &d) != 0 ||
		    !pcicfg_get(&img, ROMBAR_REG, 4, &bar) ||
		    (bar & mask) == 0 || pa < (bar & mask) ||
		    pa - (bar & mask) >= (uint64_t)(~mask & ROMBAR_ADDR) + 1)
			continue;
		if (km_rom_file(km, sel, p, sizeof(p)) != 0 ||
		    sys_read_file(p, HOST_ROM_MAX, &rom, &romlen) != 0)
			continue;
		e = km_rom_window(km, sel, (const uint8_t *)rom, romlen, pa,
		    buf, len, &d);
		free(rom);
		diags_free(&d);
		return (e == 0 ? (ssize_t)len : shim_fail(e));
	}
	diags_free(&d);
	memset(buf, 0xff, len);
	return ((ssize_t)len);
}
