/*
 * host_freebsd.c: the live FreeBSD host.  Compiled on FreeBSD, and for the
 * tests on Linux over the FreeBSD shim (host/shim/, "make check-live"),
 * which answers its kernel calls from a captured host's kernel model.
 *
 * Every function returns 0 or an errno value and never prints; messages
 * go to the caller's struct diags where the signature has one.
 *
 * FreeBSD facts this file relies on (read in freebsd-src, not copied):
 *
 * - sys/sys/pciio.h, usr.sbin/pciconf/pciconf.c, sys/dev/pci/pci_user.c:
 *   PCIOCGETCONF returns the device list in chunks; status
 *   PCI_GETCONF_MORE_DEVS asks for another call with the returned offset
 *   and generation, PCI_GETCONF_LIST_CHANGED means the list changed
 *   between calls and must be read again from offset 0.  An empty pd_name
 *   is a device without a driver, which pciconf prints as "noneN" with N
 *   counting such devices.  PCIOCREAD needs /dev/pci open for writing.
 * - sys/dev/pci/pcireg.h: capability list at PCIR_CAP_PTR (0x34, 0x14 for
 *   CardBus headers) when PCIM_STATUS_CAPPRESENT is set; MSI is 0x05,
 *   PCI Express 0x10 (port type in PCIER_FLAGS & PCIEM_FLAGS_TYPE, FLR in
 *   PCIER_DEVICE_CAP & PCIEM_CAP_FLR), MSI-X 0x11; extended capabilities
 *   from 0x100, SR-IOV is 0x0010.
 * - sys/kern/subr_bus.c devctl2_ioctl: a device is found by name or by a
 *   bus locator ("pci0:6:0:0").  DEV_SET_DRIVER needs the driver to exist
 *   on the device's bus (ENOENT otherwise), detaches an attached device
 *   only with DEVF_SET_DRIVER_DETACH (EBUSY otherwise), then fixes the
 *   device class and probes.  DEV_CLEAR_DRIVER is a no-op (0) unless the
 *   class was fixed, and detaches only with DEVF_CLEAR_DRIVER_DETACH.
 *   DEV_DETACH of a device that is not attached is ENXIO; without force
 *   the device is quiesced first.  lib/libdevctl/devctl.c returns -1 and
 *   errno from the ioctl on /dev/devctl2.
 * - sys/amd64/vmm/io/ppt.c: ppt probes only header-type-0 functions
 *   (bridges never attach); functions listed in pptdevs probe with
 *   priority 0, others only with BUS_PROBE_NOWILDCARD, that is when the
 *   driver is set explicitly (devctl set driver).  ppt_detach is EBUSY
 *   while a VM owns the device.
 * - sys/kern/kern_linker.c: kldfind matches "vmm" and "vmm.ko"; a module
 *   compiled into the kernel is found by modfind(2) instead.
 * - sbin/sysctl/sysctl.c: the type of an OID comes from the oidfmt node
 *   {0, 4, mib...}: a u_int kind (CTLTYPE mask) followed by a format.
 * - sys/kern/kern_environment.c: KENV_GET returns the copied length,
 *   ENOENT when unset; KENV_UNSET is ENOENT when unset.
 * - usr.sbin/bhyve/bhyverun.c, pci_emul.c, pci_passthru.c, config.c,
 *   bhyve_config.5: options taking an argument are "cfGklmopsKrU";
 *   "-s [bus:]slot[:func],passthru,B/S/F|pciB:S:F|pci0:B:S:F|pptN[,k=v]"
 *   becomes config node pci.BUS.SLOT.FUNC with device=passthru and
 *   bus/slot/func (integers as strtol reads them) or pptdev=pptN; "-o
 *   key=value" and "-k FILE" (lines key=value, '#' comments) set the same
 *   tree; the VM name is the single operand or the "name" key.  Once
 *   running, bhyve calls setproctitle(vmname), so kern.proc.args of a
 *   running bhyve is "bhyve: NAME" and its original arguments are gone:
 *   its VM is then listed with devs_known false (the kernel's ppt_detach
 *   EBUSY stays the real guard).
 * - host capture writes vmm.txt in the captured-host format of ptvm(8):
 *   "NAME B/S/F ..." a line, "?" when the functions cannot be told.
 */
#include "compat.h"

#include <sys/param.h>
#include <sys/ioctl.h>
#include <sys/linker.h>
#include <sys/module.h>
#include <sys/pciio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysctl.h>
#include <sys/user.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <dev/pci/pcireg.h>

#include <devctl.h>
#include <errno.h>
#include <fcntl.h>
#include <kenv.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bhyveproc.h"
#include "host.h"
#include "hostsys.h"
#include "sysutil.h"
#include "kv.h"
#include "pci.h"
#include "rombar.h"
#include "strbuf.h"
#include "util.h"

#define HFB_PATH_PCI		"/dev/pci"
#define HFB_PATH_VMM		"/dev/vmm"
#define HFB_PATH_MEM		"/dev/mem"
#define HFB_RUNDIR		"/var/run/ptvm"
#define HFB_LOGDIR		"/var/log/ptvm"
#define HFB_PCI_CHUNK		256	/* struct pci_conf per ioctl */
#define HFB_PCI_RESTARTS	8	/* LIST_CHANGED retries */
#define HFB_PCI_CALLS		4096	/* MORE_DEVS calls per pass */
#define HFB_CAP_MAX		48	/* capability list walk bound */
#define HFB_ECAP_MAX		((PCIE_REGMAX + 1 - PCIR_EXTCAP) / 4)
#define HFB_SYSCTL_MAX		(64 * 1024 * 1024)
#define HFB_KENV_MAX		4096
#define HFB_FILE_MAX		(16 * 1024 * 1024)
#define HFB_ARGS_MAX		(4 * 1024 * 1024)
#define HFB_MAXVMS		1024

extern char **environ;

/*
 * The live host's own state: the root its configuration files are read
 * and written under, as pkg -r takes one: "/" in production; the FreeBSD
 * shim (host/shim/) gives a captured host's DIR/root.  Kernel interfaces
 * (/dev/pci, /dev/mem, /dev/vmm, sysctl, kenv, devctl) are the kernel's
 * and take no root.
 */
struct hfb {
	char		*root;		/* "/" or a directory, no trailing / */
};

/* root + an absolute path. */
static int
hfb_path(struct host *h, const char *path, char *buf, size_t len)
{
	const struct hfb *p = h->priv;

	if (p == NULL || strcmp(p->root, "/") == 0 || path[0] != '/')
		return (strlcpy(buf, path, len) >= len ? ENAMETOOLONG : 0);
	if ((size_t)snprintf(buf, len, "%s%s", p->root, path) >= len)
		return (ENAMETOOLONG);
	return (0);
}

/*
 * Expansion ROMs (rom dump): lib/rombar.c runs the sequence, this file
 * gives it PCIOCREAD, PCIOCWRITE and /dev/mem (docs/freebsd.md D-ROM1 to
 * D-ROM8).  PCIOCBARMMAP is of no use for a ROM BAR: pci_bar_mmap() wants
 * the BAR's map record (pci.c makes one for the ROM only when a driver
 * allocates it), then pci_bar_enabled(), which needs the ROM enable bit,
 * and then PCI_BAR_MEM(), which that same bit fails (EIO).  /dev/pci open
 * for writing needs securelevel 0 or less (pci_open); /dev/mem opened
 * read-only needs only PRIV_KMEM_READ (memopen), and memrw() reads an
 * address past the direct map through a pmap_mapdev() mapping.
 */
struct hfb_romio {
	int		 pci;
	int		 mem;
	struct pcisel	 sel;
};

static struct pcisel
rom_pcisel(const struct pci_sel *sel)
{
	struct pcisel s;

	memset(&s, 0, sizeof(s));
	s.pc_domain = sel->domain;
	s.pc_bus = (uint8_t)sel->bus;
	s.pc_dev = (uint8_t)sel->slot;
	s.pc_func = (uint8_t)sel->func;
	return (s);
}

static int
rom_cfg_read(void *arg, unsigned reg, unsigned width, uint32_t *val)
{
	struct hfb_romio *ri = arg;
	struct pci_io pi;

	memset(&pi, 0, sizeof(pi));
	pi.pi_sel = ri->sel;
	pi.pi_reg = (int)reg;
	pi.pi_width = (int)width;
	if (ioctl(ri->pci, PCIOCREAD, &pi) == -1)
		return (errno);
	*val = pi.pi_data;
	return (0);
}

static int
rom_cfg_write(void *arg, unsigned reg, unsigned width, uint32_t val)
{
	struct hfb_romio *ri = arg;
	struct pci_io pi;

	memset(&pi, 0, sizeof(pi));
	pi.pi_sel = ri->sel;
	pi.pi_reg = (int)reg;
	pi.pi_width = (int)width;
	pi.pi_data = val;
	return (ioctl(ri->pci, PCIOCWRITE, &pi) == -1 ? errno : 0);
}

static int
rom_mem_read(void *arg, uint64_t pa, uint8_t *buf, size_t len)
{
	struct hfb_romio *ri = arg;
	size_t off;
	ssize_t n;

	for (off = 0; off < len; off += (size_t)n)
		if ((n = pread(ri->mem, buf + off, len - off,
		    (off_t)(pa + off))) <= 0)
			return (n < 0 ? errno : EIO);
	return (0);
}

static int
hfb_rom_read(struct host *h __unused, const struct pci_sel *sel, uint8_t **buf,
    size_t *len, struct diags *d)
{
	struct rombar_io io;
	struct hfb_romio ri;
	char name[32];
	int e;

	*buf = NULL;
	*len = 0;
	ri.sel = rom_pcisel(sel);
	if ((ri.pci = open(HFB_PATH_PCI, O_RDWR | O_CLOEXEC)) < 0) {
		e = errno;
		diag_err(d, HFB_PATH_PCI, 0, "%s%s", strerror(e), e == EPERM ?
		    " (configuration writes need root and securelevel 0 or "
		    "less)" : e == EACCES ? " (needs root)" : "");
		return (e);
	}
	if ((ri.mem = open(HFB_PATH_MEM, O_RDONLY | O_CLOEXEC)) < 0) {
		e = errno;
		diag_err(d, HFB_PATH_MEM, 0, "%s%s", strerror(e), e == EPERM ||
		    e == EACCES ? " (needs root)" : "");
		(void)close(ri.pci);
		return (e);
	}
	pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
	io.arg = &ri;
	io.cfg_read = rom_cfg_read;
	io.cfg_write = rom_cfg_write;
	io.mem_read = rom_mem_read;
	e = rombar_read(&io, name, HOST_ROM_MAX, buf, len, d);
	(void)close(ri.mem);
	(void)close(ri.pci);
	return (e);
}

/* ttyname(3) of standard input, output or error, without "/dev/". */
static int
hfb_tty_name(struct host *h __unused, char *buf, size_t sz)
{
	char path[PATH_MAX];
	int fd;

	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		if (ttyname_r(fd, path, sizeof(path)) != 0)
			continue;
		if (strlcpy(buf, strncmp(path, "/dev/", 5) == 0 ? path + 5 :
		    path, sz) >= sz)
			return (ENAMETOOLONG);
		return (0);
	}
	return (ENOTTY);
}

static const struct host_ops hfb_ops;

/*
 * Configuration space (sys/dev/pci/pci_user.c): PCIOCREAD and PCIOCWRITE
 * need /dev/pci open for writing (EPERM otherwise), take a width of 1, 2
 * or 4 and a non-negative register aligned to it (EINVAL), and fail with
 * ENODEV when no function has the selector.  Beyond the space the bridge
 * decodes (0xff without ECAM, 0xfff with it) reads return all ones and
 * writes are dropped, so the extended space is read only for functions
 * with a PCI Express capability.
 */
static int
hfb_cfg_open(struct diags *d)
{
	int fd, e;

	if ((fd = open(HFB_PATH_PCI, O_RDWR | O_CLOEXEC)) < 0) {
		e = errno;
		diag_err(d, HFB_PATH_PCI, 0, "%s%s", strerror(e), e == EACCES ||
		    e == EPERM ? " (configuration space needs root)" : "");
		return (-e);
	}
	return (fd);
}

static int
hfb_pci_cfg_read(struct host *h __unused, const struct pci_sel *sel,
    struct pcicfg *img, struct diags *d)
{
	struct pcicfg_info in;
	struct pci_io pi;
	unsigned off, end;
	int fd, e;

	pcicfg_init(img);
	if ((fd = hfb_cfg_open(d)) < 0)
		return (-fd);
	e = 0;
	for (off = 0, end = PCICFG_STD; off < end && e == 0; off += 4) {
		memset(&pi, 0, sizeof(pi));
		pi.pi_sel = rom_pcisel(sel);
		pi.pi_reg = (int)off;
		pi.pi_width = 4;
		if (ioctl(fd, PCIOCREAD, &pi) == -1) {
			e = errno;
			break;
		}
		pcicfg_set(img, off, 4, pi.pi_data);
		if (off + 4 == PCICFG_STD) {
			pcicfg_decode(img, &in);
			if (in.pcie_off != 0)
				end = PCICFG_EXT;
		}
	}
	(void)close(fd);
	if (e != 0)
		diag_err(d, HFB_PATH_PCI, 0, "PCIOCREAD at 0x%03x: %s%s", off,
		    strerror(e), e == ENODEV ? " (no such function)" : "");
	img->sel = *sel;
	img->have_sel = true;
	return (e);
}

static int
hfb_pci_cfg_write(struct host *h __unused, const struct pci_sel *sel,
    unsigned reg, unsigned width, uint32_t val)
{
	struct diags d;
	struct pci_io pi;
	int fd, e;

	if ((width != 1 && width != 2 && width != 4) || reg % width != 0 ||
	    reg > PCICFG_EXT - width)
		return (EINVAL);
	diags_init(&d);
	fd = hfb_cfg_open(&d);
	diags_free(&d);
	if (fd < 0)
		return (-fd);
	memset(&pi, 0, sizeof(pi));
	pi.pi_sel = rom_pcisel(sel);
	pi.pi_reg = (int)reg;
	pi.pi_width = (int)width;
	pi.pi_data = val;
	e = ioctl(fd, PCIOCWRITE, &pi) == -1 ? errno : 0;
	(void)close(fd);
	return (e);
}

/*
 * PCI devices.
 */

static int
hfb_cfg_read(int fd, const struct pcisel *sel, int reg, int width,
    uint32_t *val)
{
	struct pci_io pi;

	memset(&pi, 0, sizeof(pi));
	pi.pi_sel = *sel;
	pi.pi_reg = reg;
	pi.pi_width = width;
	if (ioctl(fd, PCIOCREAD, &pi) == -1)
		return (errno);
	*val = pi.pi_data;
	return (0);
}

static enum pcie_type
hfb_pcie_type(uint32_t flags)
{

	switch (flags & PCIEM_FLAGS_TYPE) {
	case PCIEM_TYPE_ENDPOINT:
		return (PCIE_ENDPOINT);
	case PCIEM_TYPE_LEGACY_ENDPOINT:
		return (PCIE_LEGACY_ENDPOINT);
	case PCIEM_TYPE_ROOT_PORT:
		return (PCIE_ROOT_PORT);
	case PCIEM_TYPE_UPSTREAM_PORT:
		return (PCIE_UPSTREAM_PORT);
	case PCIEM_TYPE_DOWNSTREAM_PORT:
		return (PCIE_DOWNSTREAM_PORT);
	case PCIEM_TYPE_PCI_BRIDGE:
		return (PCIE_PCIE_PCI_BRIDGE);
	case PCIEM_TYPE_PCIE_BRIDGE:
		return (PCIE_PCI_PCIE_BRIDGE);
	case PCIEM_TYPE_ROOT_INT_EP:
		return (PCIE_ROOT_ENDPOINT);
	case PCIEM_TYPE_ROOT_EC:
		return (PCIE_ROOT_EC);
	default:
		return (PCIE_OTHER);
	}
}

/* The PCI Express capability at ptr: port type and FLR. */
static void
hfb_cap_pcie(int fd, const struct pcisel *sel, int ptr, struct pci_dev *d)
{
	uint32_t v;

	d->pcie = PCIE_OTHER;
	if (hfb_cfg_read(fd, sel, ptr + PCIER_FLAGS, 2, &v) == 0)
		d->pcie = hfb_pcie_type(v);
	if (hfb_cfg_read(fd, sel, ptr + PCIER_DEVICE_CAP, 4, &v) == 0 &&
	    (v & PCIEM_CAP_FLR) != 0)
		d->flr = true;
}

/* Extended capabilities (PCI Express only): SR-IOV. */
static void
hfb_ecaps(int fd, const struct pcisel *sel, struct pci_dev *d)
{
	uint32_t ecap;
	int ptr, i;

	ptr = PCIR_EXTCAP;
	for (i = 0; i < HFB_ECAP_MAX; i++) {
		if (hfb_cfg_read(fd, sel, ptr, 4, &ecap) != 0 ||
		    ecap == 0 || ecap == 0xffffffff)
			return;
		if (PCI_EXTCAP_ID(ecap) == PCIZ_SRIOV)
			d->sriov = true;
		ptr = (int)PCI_EXTCAP_NEXTPTR(ecap) & ~3;
		if (ptr < PCIR_EXTCAP || ptr > PCIE_REGMAX - 3)
			return;
	}
}

/*
 * Walks the capability list of one function, as "pciconf -c" does.
 * caps_known is set only when the list could be read to its end.
 */
static void
hfb_caps(int fd, const struct pci_conf *pc, struct pci_dev *d)
{
	uint32_t v;
	int ptr, i;
	bool pcie;

	if (hfb_cfg_read(fd, &pc->pc_sel, PCIR_STATUS, 2, &v) != 0)
		return;
	if ((v & PCIM_STATUS_CAPPRESENT) == 0) {
		d->caps_known = true;
		return;
	}
	switch (pc->pc_hdr & PCIM_HDRTYPE) {
	case PCIM_HDRTYPE_NORMAL:
	case PCIM_HDRTYPE_BRIDGE:
		ptr = PCIR_CAP_PTR;
		break;
	case PCIM_HDRTYPE_CARDBUS:
		ptr = PCIR_CAP_PTR_2;
		break;
	default:
		return;
	}
	if (hfb_cfg_read(fd, &pc->pc_sel, ptr, 1, &v) != 0)
		return;
	pcie = false;
	for (ptr = (int)(v & 0xfc), i = 0; ptr != 0 && i < HFB_CAP_MAX; i++) {
		if (ptr < 0x40 ||
		    hfb_cfg_read(fd, &pc->pc_sel, ptr, 2, &v) != 0)
			return;
		switch (v & 0xff) {
		case PCIY_MSI:
			d->msi = true;
			break;
		case PCIY_MSIX:
			d->msix = true;
			break;
		case PCIY_EXPRESS:
			hfb_cap_pcie(fd, &pc->pc_sel, ptr, d);
			pcie = true;
			break;
		}
		ptr = (int)((v >> 8) & 0xfc);
	}
	d->caps_known = true;
	if (pcie)
		hfb_ecaps(fd, &pc->pc_sel, d);
}

/* Fills a device of the model from one struct pci_conf. */
static int
hfb_conf_dev(const struct pci_conf *pc, struct pci_dev *d, unsigned *nnone)
{

	d->sel.domain = pc->pc_sel.pc_domain;
	d->sel.bus = pc->pc_sel.pc_bus;
	d->sel.slot = pc->pc_sel.pc_dev;
	d->sel.func = pc->pc_sel.pc_func;
	if (pc->pd_name[0] == '\0') {
		strlcpy(d->driver, "none", sizeof(d->driver));
		d->unit = (int)(*nnone)++;
	} else {
		if (strnlen(pc->pd_name, sizeof(pc->pd_name)) >=
		    sizeof(pc->pd_name))
			return (EINVAL);
		strlcpy(d->driver, pc->pd_name, sizeof(d->driver));
		d->unit = pc->pd_unit <= INT_MAX ? (int)pc->pd_unit : -1;
	}
	d->class = (uint32_t)pc->pc_class << 16 |
	    (uint32_t)pc->pc_subclass << 8 | pc->pc_progif;
	d->rev = pc->pc_revid;
	d->hdr = pc->pc_hdr;
	d->vendor = pc->pc_vendor;
	d->device = pc->pc_device;
	d->subvendor = pc->pc_subvendor;
	d->subdevice = pc->pc_subdevice;
	d->pcie = PCIE_NONE;
	d->line = 0;
	return (0);
}

/*
 * One pass over the kernel's device list.  Returns 0, EAGAIN when the
 * list changed under us (the caller starts again), or an errno value.
 */
static int
hfb_getconf(int fd, bool caps, struct pci_list *l, struct diags *dg)
{
	struct pci_conf conf[HFB_PCI_CHUNK];
	struct pci_conf_io pc;
	struct pci_dev *d;
	unsigned nnone, calls, i;
	int e;

	memset(&pc, 0, sizeof(pc));
	pc.match_buf_len = sizeof(conf);
	pc.matches = conf;
	nnone = 0;
	calls = 0;
	do {
		if (++calls > HFB_PCI_CALLS)
			return (EOVERFLOW);
		if (ioctl(fd, PCIOCGETCONF, &pc) == -1)
			return (errno);
		if (pc.status == PCI_GETCONF_LIST_CHANGED)
			return (EAGAIN);
		if (pc.status == PCI_GETCONF_ERROR ||
		    pc.num_matches > HFB_PCI_CHUNK) {
			diag_err(dg, HFB_PATH_PCI, 0, "PCIOCGETCONF failed");
			return (EIO);
		}
		for (i = 0; i < pc.num_matches; i++) {
			if ((d = pci_list_add(l)) == NULL)
				return (ENOMEM);
			if ((e = hfb_conf_dev(&conf[i], d, &nnone)) != 0)
				return (e);
			if (caps)
				hfb_caps(fd, &conf[i], d);
		}
	} while (pc.status == PCI_GETCONF_MORE_DEVS);
	return (0);
}

/* Moves the devices of src to the end of dst; src is left empty. */
static int
hfb_list_move(struct pci_list *dst, struct pci_list *src)
{
	struct pci_dev *d;
	size_t i;

	if (dst->n == 0) {
		pci_list_free(dst);
		*dst = *src;
		pci_list_init(src);
		return (0);
	}
	for (i = 0; i < src->n; i++) {
		if ((d = pci_list_add(dst)) == NULL)
			return (ENOMEM);
		*d = src->dev[i];
		memset(&src->dev[i], 0, sizeof(src->dev[i]));
	}
	pci_list_free(src);
	return (0);
}

/* Opens /dev/pci for writing (PCIOCREAD needs it), else read-only. */
static int
hfb_open_pci(int *fd, bool *rw, struct diags *dg)
{
	int e;

	*rw = true;
	if ((*fd = open(HFB_PATH_PCI, O_RDWR | O_CLOEXEC)) >= 0)
		return (0);
	*rw = false;
	if ((*fd = open(HFB_PATH_PCI, O_RDONLY | O_CLOEXEC)) >= 0) {
		diag_note(dg, HFB_PATH_PCI, 0, "opened read-only (not "
		    "root?): PCI capabilities are not read");
		return (0);
	}
	e = errno;
	diag_err(dg, HFB_PATH_PCI, 0, "%s", strerror(e));
	return (e);
}

static int
hfb_pci_list(struct host *h __unused, struct pci_list *l, struct diags *dg)
{
	struct pci_list tmp;
	unsigned tries;
	int fd, e;
	bool rw;

	if ((e = hfb_open_pci(&fd, &rw, dg)) != 0)
		return (e);
	pci_list_init(&tmp);
	e = EAGAIN;
	for (tries = 0; e == EAGAIN && tries < HFB_PCI_RESTARTS; tries++) {
		pci_list_free(&tmp);
		e = hfb_getconf(fd, rw, &tmp, dg);
	}
	close(fd);
	if (e == EAGAIN)
		diag_err(dg, HFB_PATH_PCI, 0, "the PCI device list kept "
		    "changing while it was read; try again");
	else if (e != 0 && e != EIO)
		diag_err(dg, HFB_PATH_PCI, 0, "PCIOCGETCONF: %s",
		    strerror(e));
	if (e == 0) {
		pci_list_sort(&tmp);
		e = hfb_list_move(l, &tmp);
	}
	pci_list_free(&tmp);
	return (e);
}

/*
 * sysctl(3).
 */

struct hfb_ctype {
	unsigned	 type;
	size_t		 size;
	bool		 sign;
};

static const struct hfb_ctype hfb_ctypes[] = {
	{ CTLTYPE_INT,   sizeof(int),		true },
	{ CTLTYPE_UINT,  sizeof(unsigned),	false },
	{ CTLTYPE_LONG,  sizeof(long),		true },
	{ CTLTYPE_ULONG, sizeof(unsigned long),	false },
	{ CTLTYPE_S8,    1,			true },
	{ CTLTYPE_S16,   2,			true },
	{ CTLTYPE_S32,   4,			true },
	{ CTLTYPE_S64,   8,			true },
	{ CTLTYPE_U8,    1,			false },
	{ CTLTYPE_U16,   2,			false },
	{ CTLTYPE_U32,   4,			false },
	{ CTLTYPE_U64,   8,			false },
};

static const struct hfb_ctype *
hfb_ctype(unsigned kind)
{
	size_t i;

	for (i = 0; i < nitems(hfb_ctypes); i++)
		if (hfb_ctypes[i].type == (kind & CTLTYPE))
			return (&hfb_ctypes[i]);
	return (NULL);
}

/* Name to MIB, and the OID's kind from the oidfmt node {0, 4, mib...}. */
static int
hfb_sysctl_oid(const char *name, int *mib, size_t *miblen, unsigned *kind)
{
	int qoid[CTL_MAXNAME + 2];
	unsigned char buf[1024];
	size_t len;

	*miblen = CTL_MAXNAME;
	if (sysctlnametomib(name, mib, miblen) == -1)
		return (errno);
	qoid[0] = 0;
	qoid[1] = 4;
	memcpy(qoid + 2, mib, *miblen * sizeof(int));
	len = sizeof(buf);
	if (sysctl(qoid, (u_int)(*miblen + 2), buf, &len, NULL, 0) == -1)
		return (errno);
	if (len < sizeof(u_int))
		return (EINVAL);
	memcpy(kind, buf, sizeof(*kind));
	return (0);
}

/*
 * Reads the raw value, sized by the kernel, with room for growth.  The
 * buffer is NUL-terminated after *len bytes.
 */
static int
hfb_sysctl_raw(const int *mib, size_t miblen, char **buf, size_t *len)
{
	size_t need, cap;
	char *b;
	int tries;

	for (tries = 0; tries < 4; tries++) {
		need = 0;
		if (sysctl(mib, (u_int)miblen, NULL, &need, NULL, 0) == -1)
			return (errno);
		cap = need + need / 4 + 64;
		if (cap > HFB_SYSCTL_MAX)
			return (EFBIG);
		if ((b = malloc(cap + 1)) == NULL)
			return (ENOMEM);
		*len = cap;
		if (sysctl(mib, (u_int)miblen, b, len, NULL, 0) == 0) {
			b[*len] = '\0';
			*buf = b;
			return (0);
		}
		free(b);
		if (errno != ENOMEM)
			return (errno);
	}
	return (EAGAIN);
}

/* Formats integers of one type as decimal text, several separated. */
static int
hfb_sysctl_fmt_int(const struct hfb_ctype *t, const char *raw, size_t len,
    char **val)
{
	char *s, *p;
	size_t i, cap;
	int64_t sv;
	uint64_t uv;

	cap = (len / t->size) * 22 + 1;
	if ((s = malloc(cap)) == NULL)
		return (ENOMEM);
	p = s;
	*p = '\0';
	for (i = 0; i + t->size <= len; i += t->size) {
		uv = 0;
		memcpy(&uv, raw + i, t->size);	/* little-endian amd64 */
		if (t->sign && t->size < 8 &&
		    (uv & (1ULL << (t->size * 8 - 1))) != 0)
			uv |= ~0ULL << (t->size * 8);
		sv = (int64_t)uv;
		p += snprintf(p, cap - (size_t)(p - s), "%s", i > 0 ? " " : "");
		if (t->sign)
			p += snprintf(p, cap - (size_t)(p - s), "%jd",
			    (intmax_t)sv);
		else
			p += snprintf(p, cap - (size_t)(p - s), "%ju",
			    (uintmax_t)uv);
	}
	*val = s;
	return (0);
}

static int
hfb_sysctl_get_text(struct host *h __unused, const char *name, char **val,
    size_t *vlen)
{
	const struct hfb_ctype *t;
	int mib[CTL_MAXNAME];
	size_t miblen, len;
	unsigned kind;
	char *raw;
	int e;

	*val = NULL;
	*vlen = 0;
	if ((e = hfb_sysctl_oid(name, mib, &miblen, &kind)) != 0)
		return (e);
	t = hfb_ctype(kind);
	if (t == NULL && (kind & CTLTYPE) != CTLTYPE_STRING)
		return (EFTYPE);
	if ((e = hfb_sysctl_raw(mib, miblen, &raw, &len)) != 0)
		return (e);
	if (t != NULL) {
		if ((e = hfb_sysctl_fmt_int(t, raw, len, val)) == 0)
			*vlen = strlen(*val);
		free(raw);
		return (e);
	}
	/*
	 * One terminating NUL is dropped, whether or not the length counts
	 * it; any other NUL stays, for the value's parser to report.
	 */
	if (len > 0 && raw[len - 1] == '\0')
		len--;
	raw[len] = '\0';		/* hfb_sysctl_raw left room for it */
	*val = raw;
	*vlen = len;
	return (0);
}

static int
hfb_sysctl_get(struct host *h, const char *name, char **val)
{
	size_t len;

	return (hfb_sysctl_get_text(h, name, val, &len));
}

/* Parses decimal text into an integer of the OID's type, range-checked. */
static int
hfb_sysctl_parse_int(const struct hfb_ctype *t, const char *s,
    unsigned char *out)
{
	long long v, lo, hi;
	unsigned bits;

	bits = (unsigned)t->size * 8;
	if (t->sign) {
		hi = bits >= 64 ? LLONG_MAX : (1LL << (bits - 1)) - 1;
		lo = -hi - 1;
	} else {
		/* Unsigned 64-bit values above LLONG_MAX are not accepted. */
		hi = bits >= 64 ? LLONG_MAX : (long long)((1ULL << bits) - 1);
		lo = 0;
	}
	if (util_strtonum(s, lo, hi, &v) != 0)
		return (EINVAL);
	memcpy(out, &v, t->size);	/* little-endian amd64 */
	return (0);
}

static int
hfb_sysctl_set(struct host *h __unused, const char *name, const char *val)
{
	const struct hfb_ctype *t;
	unsigned char num[8];
	int mib[CTL_MAXNAME];
	size_t miblen;
	unsigned kind;
	int e;

	if ((e = hfb_sysctl_oid(name, mib, &miblen, &kind)) != 0)
		return (e);
	if ((kind & CTLTYPE) == CTLTYPE_STRING) {
		if (sysctl(mib, (u_int)miblen, NULL, NULL, val,
		    strlen(val)) == -1)
			return (errno);
		return (0);
	}
	if ((t = hfb_ctype(kind)) == NULL)
		return (EFTYPE);
	if ((e = hfb_sysctl_parse_int(t, val, num)) != 0)
		return (e);
	if (sysctl(mib, (u_int)miblen, NULL, NULL, num, t->size) == -1)
		return (errno);
	return (0);
}

/*
 * kenv(2).
 */

static int
hfb_kenv_get(struct host *h __unused, const char *name, char **val)
{
	char buf[HFB_KENV_MAX + 1];
	int n;

	*val = NULL;
	if ((n = kenv(KENV_GET, name, buf, HFB_KENV_MAX)) == -1)
		return (errno);
	if (n < 0 || n > HFB_KENV_MAX)
		return (EINVAL);
	buf[n] = '\0';
	if ((*val = strdup(buf)) == NULL)
		return (ENOMEM);
	return (0);
}

static int
hfb_kenv_set(struct host *h __unused, const char *name, const char *val)
{
	char *copy;
	size_t len;
	int e;

	len = strlen(val) + 1;
	if (len > INT_MAX)
		return (EINVAL);
	if ((copy = strdup(val)) == NULL)
		return (ENOMEM);
	e = kenv(KENV_SET, name, copy, (int)len) == -1 ? errno : 0;
	free(copy);
	return (e);
}

static int
hfb_kenv_unset(struct host *h __unused, const char *name)
{

	if (kenv(KENV_UNSET, name, NULL, 0) == -1)
		return (errno);
	return (0);
}

/*
 * Kernel modules.
 */

/* kldfind(2) by "vmm" or "vmm.ko", whichever the caller did not give. */
static int
hfb_kld_fileid(const char *name, int *id)
{
	char alt[MAXPATHLEN];
	size_t n;

	if ((*id = kldfind(name)) != -1)
		return (0);
	if (errno != ENOENT)
		return (errno);
	n = strlen(name);
	if (n > 3 && strcmp(name + n - 3, ".ko") == 0)
		snprintf(alt, sizeof(alt), "%.*s", (int)(n - 3), name);
	else if (snprintf(alt, sizeof(alt), "%s.ko", name) >=
	    (int)sizeof(alt))
		return (ENAMETOOLONG);
	if ((*id = kldfind(alt)) != -1)
		return (0);
	return (errno);
}

static int
hfb_kld_loaded(struct host *h __unused, const char *name, bool *loaded)
{
	char mod[MAXPATHLEN];
	size_t n;
	int id, e;

	*loaded = false;
	if ((e = hfb_kld_fileid(name, &id)) == 0) {
		*loaded = true;
		return (0);
	}
	if (e != ENOENT)
		return (e);
	/* Compiled into the kernel: the module exists without a file. */
	n = strlen(name);
	if (n > 3 && strcmp(name + n - 3, ".ko") == 0)
		n -= 3;
	snprintf(mod, sizeof(mod), "%.*s", (int)n, name);
	if (modfind(mod) != -1)
		*loaded = true;
	return (0);
}

static int
hfb_kld_load(struct host *h, const char *name)
{
	bool loaded;
	int e;

	if ((e = hfb_kld_loaded(h, name, &loaded)) != 0)
		return (e);
	if (loaded)
		return (0);
	if (kldload(name) == -1)
		return (errno == EEXIST ? 0 : errno);
	return (0);
}

static int
hfb_kld_unload(struct host *h __unused, const char *name)
{
	int id, e;

	if ((e = hfb_kld_fileid(name, &id)) != 0)
		return (e);
	if (kldunload(id) == -1)
		return (errno);
	return (0);
}

/*
 * libdevctl.
 */

static int
hfb_dev_detach(struct host *h __unused, const char *dev, bool force)
{

	return (devctl_detach(dev, force) == -1 ? errno : 0);
}

static int
hfb_dev_attach(struct host *h __unused, const char *dev)
{

	return (devctl_attach(dev) == -1 ? errno : 0);
}

static int
hfb_dev_set_driver(struct host *h __unused, const char *dev,
    const char *driver, bool force)
{

	return (devctl_set_driver(dev, driver, force) == -1 ? errno : 0);
}

static int
hfb_dev_clear_driver(struct host *h __unused, const char *dev, bool force)
{

	return (devctl_clear_driver(dev, force) == -1 ? errno : 0);
}

static int
hfb_dev_rescan(struct host *h __unused, const char *dev)
{

	return (devctl_rescan(dev) == -1 ? errno : 0);
}

/*
 * VMs and the passthrough functions they use.  The bhyve configuration
 * of a process is rebuilt from its arguments as bhyve builds it: a tree of
 * string values (here a flat kv_list keyed by the full dotted name).
 */

/* The configuration of one bhyve process, as far as ptvm can tell. */
struct hfb_bhyve {
	char		 name[64];
	struct pci_sel	*devs;
	size_t		 ndevs;
	bool		 known;		/* devs is the complete set */
};

/* The current directory of a process, for its relative paths. */
static int
hfb_proc_cwd(pid_t pid, char *buf, size_t len)
{
	struct kinfo_file kf;
	int mib[4];
	size_t n;

	mib[0] = CTL_KERN;
	mib[1] = KERN_PROC;
	mib[2] = KERN_PROC_CWD;
	mib[3] = (int)pid;
	n = sizeof(kf);
	memset(&kf, 0, sizeof(kf));
	if (sysctl(mib, 4, &kf, &n, NULL, 0) == -1)
		return (errno);
	if (n < sizeof(kf) || kf.kf_path[0] != '/' ||
	    strnlen(kf.kf_path, sizeof(kf.kf_path)) >= sizeof(kf.kf_path))
		return (ENOENT);
	if (strlcpy(buf, kf.kf_path, len) >= len)
		return (ENAMETOOLONG);
	return (0);
}

/*
 * "-k FILE", for lib/bhyveproc.c: the file, a relative path taken from
 * the process's current directory.
 */
static int
hfb_cfg_file(void *arg, const char *path, char **buf, size_t *len)
{
	char full[PATH_MAX], cwd[PATH_MAX];
	pid_t pid = *(pid_t *)arg;
	int e;

	if (path[0] != '/') {
		if ((e = hfb_proc_cwd(pid, cwd, sizeof(cwd))) != 0)
			return (e);
		if (snprintf(full, sizeof(full), "%s/%s", cwd, path) >=
		    (int)sizeof(full))
			return (ENAMETOOLONG);
		path = full;
	}
	return (sys_read_file(path, 1024 * 1024, buf, len));
}

/* The function of a ppt device name ("ppt0") through PCIOCGETCONF. */
static int
hfb_ppt_sel(void *arg __unused, const char *name, struct pci_sel *sel)
{
	struct pci_match_conf pat;
	struct pci_conf conf;
	struct pci_conf_io pc;
	unsigned long unit;
	const char *p;
	int fd, e;

	p = name + 3;
	if (strncmp(name, "ppt", 3) != 0 ||
	    util_parse_ulong(&p, 10, INT_MAX, &unit) != 0 || *p != '\0')
		return (EINVAL);
	memset(&pat, 0, sizeof(pat));
	strlcpy(pat.pd_name, "ppt", sizeof(pat.pd_name));
	pat.pd_unit = unit;
	pat.flags = PCI_GETCONF_MATCH_NAME | PCI_GETCONF_MATCH_UNIT;
	memset(&pc, 0, sizeof(pc));
	pc.pat_buf_len = sizeof(pat);
	pc.num_patterns = 1;
	pc.patterns = &pat;
	pc.match_buf_len = sizeof(conf);
	pc.matches = &conf;
	if ((fd = open(HFB_PATH_PCI, O_RDONLY | O_CLOEXEC)) < 0)
		return (errno);
	e = ioctl(fd, PCIOCGETCONF, &pc) == -1 ? errno : 0;
	close(fd);
	if (e == 0 && (pc.status == PCI_GETCONF_ERROR || pc.num_matches != 1))
		e = ENOENT;
	if (e != 0)
		return (e);
	sel->domain = conf.pc_sel.pc_domain;
	sel->bus = conf.pc_sel.pc_bus;
	sel->slot = conf.pc_sel.pc_dev;
	sel->func = conf.pc_sel.pc_func;
	return (0);
}

/*
 * One bhyve process: its VM name and passthru functions.  A running
 * bhyve has replaced its arguments with "bhyve: NAME" (setproctitle), so
 * then only the name is known.
 */
static int
hfb_bhyve_proc(pid_t pid, struct hfb_bhyve *b)
{
	struct kv_list cfg;
	const char *name;
	char *raw, **argv;
	size_t len;
	int mib[4], argc, e;

	mib[0] = CTL_KERN;
	mib[1] = KERN_PROC;
	mib[2] = KERN_PROC_ARGS;
	mib[3] = (int)pid;
	if ((e = hfb_sysctl_raw(mib, 4, &raw, &len)) != 0)
		return (e);
	if ((e = bproc_split_args(raw, len, &argv, &argc)) != 0) {
		free(argv);
		free(raw);
		return (e);
	}
	kv_init(&cfg);
	name = NULL;
	if (argc == 1 && strncmp(argv[0], "bhyve: ", 7) == 0)
		name = argv[0] + 7;
	else if (bproc_args(&cfg, argc, argv, hfb_cfg_file, &pid) == 0) {
		name = kv_get(&cfg, "name");
		e = bproc_devs(&cfg, hfb_ppt_sel, NULL, &b->devs, &b->ndevs,
		    &b->known);
	}
	if (name != NULL)
		strlcpy(b->name, name, sizeof(b->name));
	kv_free(&cfg);
	free(argv);
	free(raw);
	return (e);
}

static void
hfb_bhyves_free(struct hfb_bhyve *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(b[i].devs);
	free(b);
}

/* Every bhyve process (kern.proc.proc), with what can be learned of it. */
static int
hfb_bhyves(struct hfb_bhyve **bp, size_t *np)
{
	struct kinfo_proc *kp;
	struct hfb_bhyve *b;
	char *raw;
	size_t len, n, i, nb;
	int mib[3], e;

	mib[0] = CTL_KERN;
	mib[1] = KERN_PROC;
	mib[2] = KERN_PROC_PROC;
	if ((e = hfb_sysctl_raw(mib, 3, &raw, &len)) != 0)
		return (e);
	kp = (struct kinfo_proc *)(void *)raw;
	n = len / sizeof(*kp);
	if (n > 0 && kp[0].ki_structsize != (int)sizeof(*kp)) {
		free(raw);
		return (EPROTO);
	}
	if ((b = calloc(n + 1, sizeof(*b))) == NULL) {
		free(raw);
		return (ENOMEM);
	}
	for (i = nb = 0; i < n; i++) {
		if (strncmp(kp[i].ki_comm, "bhyve", sizeof(kp[i].ki_comm)) != 0)
			continue;
		e = hfb_bhyve_proc(kp[i].ki_pid, &b[nb]);
		if (e == ENOMEM)
			break;
		/* A process that exited meanwhile is simply not counted. */
		if (e != ESRCH)
			nb++;
		e = 0;
	}
	free(raw);
	if (e != 0) {
		hfb_bhyves_free(b, nb + 1);
		return (e);
	}
	*bp = b;
	*np = nb;
	return (0);
}

/* The names in /dev/vmm, sorted; none when vmm is not loaded. */
static int
hfb_vm_names(struct host_vm_list *l)
{
	char **names;
	size_t n, i;
	int e;

	l->vm = NULL;
	l->n = 0;
	if ((e = sys_dir_list(HFB_PATH_VMM, &names, &n)) != 0)
		return (e == ENOENT ? 0 : e);
	if (n > 0 && (l->vm = calloc(n < HFB_MAXVMS ? n : HFB_MAXVMS,
	    sizeof(*l->vm))) == NULL) {
		host_names_free(names, n);
		return (ENOMEM);
	}
	for (i = 0; i < n && l->n < HFB_MAXVMS; i++) {
		if (names[i][0] == '.' ||
		    strlen(names[i]) >= sizeof(l->vm[0].name))
			continue;
		strlcpy(l->vm[l->n].name, names[i], sizeof(l->vm[0].name));
		l->n++;
	}
	host_names_free(names, n);
	return (0);
}

/* Gives a VM the functions of every bhyve process that runs it. */
static int
hfb_vm_attach(struct host_vm *vm, const struct hfb_bhyve *b, size_t nb)
{
	struct pci_sel *nd;
	size_t i, found;

	vm->devs = NULL;
	vm->ndevs = 0;
	vm->devs_known = true;
	for (i = found = 0; i < nb; i++) {
		if (strcmp(b[i].name, vm->name) != 0)
			continue;
		found++;
		if (!b[i].known) {
			vm->devs_known = false;
			continue;
		}
		if (b[i].ndevs == 0)
			continue;
		nd = reallocarray(vm->devs, vm->ndevs + b[i].ndevs,
		    sizeof(*nd));
		if (nd == NULL)
			return (ENOMEM);
		memcpy(nd + vm->ndevs, b[i].devs, b[i].ndevs * sizeof(*nd));
		vm->devs = nd;
		vm->ndevs += b[i].ndevs;
	}
	/* No process: bhyve may restart it, and it may hold devices. */
	if (found == 0)
		vm->devs_known = false;
	if (!vm->devs_known) {
		free(vm->devs);
		vm->devs = NULL;
		vm->ndevs = 0;
	}
	return (0);
}

static int
hfb_vm_list(struct host *h __unused, struct host_vm_list *l)
{
	struct hfb_bhyve *b;
	size_t nb, i;
	int e;

	if ((e = hfb_vm_names(l)) != 0 || l->n == 0)
		return (e);
	b = NULL;
	nb = 0;
	if (hfb_bhyves(&b, &nb) != 0) {
		/* Processes unreadable: nothing is known of any VM. */
		for (i = 0; i < l->n; i++)
			l->vm[i].devs_known = false;
		return (0);
	}
	for (i = 0; i < l->n && e == 0; i++)
		e = hfb_vm_attach(&l->vm[i], b, nb);
	hfb_bhyves_free(b, nb);
	if (e != 0)
		host_vm_list_free(l);
	return (e);
}

/*
 * Files, programs, waiting.
 */

static int
hfb_file_read(struct host *h, const char *path, char **buf, size_t *len)
{
	char p[PATH_MAX];
	int e;

	if ((e = hfb_path(h, path, p, sizeof(p))) != 0)
		return (e);
	return (sys_read_file(p, HFB_FILE_MAX, buf, len));
}

static int
hfb_file_stat(struct host *h, const char *path, struct host_stat *st)
{
	char p[PATH_MAX];
	int e;

	if ((e = hfb_path(h, path, p, sizeof(p))) != 0)
		return (e);
	return (sys_stat(p, false, st));
}

static int
hfb_dir_list(struct host *h, const char *path, char ***names, size_t *n)
{
	char p[PATH_MAX];
	int e;

	if ((e = hfb_path(h, path, p, sizeof(p))) != 0)
		return (e);
	return (sys_dir_list(p, names, n));
}

/* Writes atomically; ptvm's runtime directory is created on demand. */
static int
hfb_file_write(struct host *h, const char *path, const char *data,
    size_t len, int mode)
{
	char p[PATH_MAX], *slash;
	size_t rl;
	int e;

	rl = strlen(h->rundir);
	if (strncmp(path, h->rundir, rl) == 0 && path[rl] == '/' &&
	    (e = sys_mkdir_p(h->rundir, 0755)) != 0)
		return (e);
	if ((e = hfb_path(h, path, p, sizeof(p))) != 0)
		return (e);
	/*
	 * A directory the file needs is made, as the captured host does:
	 * /usr/local/etc/ptvm on a host ptvm never wrote to, or
	 * /boot/loader.conf.d where the installer made none (found by
	 * check-live: the shimmed live host failed where -H succeeded).
	 */
	if ((slash = strrchr(p, '/')) != NULL && slash != p) {
		*slash = '\0';
		e = sys_mkdir_p(p, 0755);
		*slash = '/';
		if (e != 0)
			return (e);
	}
	return (sys_write_atomic(p, data, len, mode));
}

/* A program name is looked up in the base and ports directories only. */
static int
hfb_which(const char *prog, char *path, size_t len)
{
	static const char *const dirs[] = { "/sbin", "/bin", "/usr/sbin",
	    "/usr/bin", "/usr/local/sbin", "/usr/local/bin" };
	size_t i;

	if (strchr(prog, '/') != NULL) {
		if (strlcpy(path, prog, len) >= len)
			return (ENAMETOOLONG);
		return (0);
	}
	for (i = 0; i < nitems(dirs); i++) {
		if (snprintf(path, len, "%s/%s", dirs[i], prog) >= (int)len)
			return (ENAMETOOLONG);
		if (access(path, X_OK) == 0)
			return (0);
	}
	return (ENOENT);
}

static int
hfb_run(struct host *h __unused, char *const *argv, struct host_proc *p)
{
	char path[PATH_MAX];
	int e;

	p->status = p->signal = 0;
	p->ran = false;
	if (argv == NULL || argv[0] == NULL)
		return (EINVAL);
	if ((e = hfb_which(argv[0], path, sizeof(path))) != 0)
		return (e);
	e = sys_spawn_wait(path, argv, -1, host_run_timeout(argv), p);
	p->ran = e == 0 || e == ETIMEDOUT;
	return (e);
}

static int
hfb_spawn(struct host *h __unused, char *const *argv, int outfd, int *pid)
{
	char path[PATH_MAX];
	int e;

	if (argv == NULL || argv[0] == NULL)
		return (EINVAL);
	if ((e = hfb_which(argv[0], path, sizeof(path))) != 0)
		return (e);
	return (sys_spawn_fd(path, argv, outfd, pid));
}

/*
 * kinfo_proc of pid: still a bhyve (ki_comm), ACPI enabled when SIGTERM
 * is in ki_sigignore (pm.c sets SIG_IGN once the guest wrote
 * BHYVE_ACPI_ENABLE), the guest running once the arguments became the
 * title "bhyve: NAME" (bhyverun.c setproctitle after every setup step).
 */
static int
hfb_vm_probe(struct host *h __unused, const char *name, int pid,
    struct host_probe *pr)
{
	struct kinfo_proc kp;
	size_t len;
	char *raw;
	int mib[4], e;

	pr->alive = false;
	pr->running = pr->acpi = -1;
	if (pid <= 0)
		return (EINVAL);
	mib[0] = CTL_KERN;
	mib[1] = KERN_PROC;
	mib[2] = KERN_PROC_PID;
	mib[3] = pid;
	len = sizeof(kp);
	if (sysctl(mib, 4, &kp, &len, NULL, 0) != 0)
		return (errno == ESRCH ? 0 : errno);
	/* A zombie is found too (pget without PGET_NOTWEXIT, #P3): gone. */
	if (len != sizeof(kp) || strcmp(kp.ki_comm, "bhyve") != 0 ||
	    kp.ki_stat == SZOMB)
		return (0);
	pr->acpi = SIGISMEMBER(kp.ki_sigignore, SIGTERM) ? 1 : 0;
	mib[2] = KERN_PROC_ARGS;
	if ((e = hfb_sysctl_raw(mib, 4, &raw, &len)) != 0)
		return (e == ESRCH ? 0 : e);
	pr->running = len > 7 && strncmp(raw, "bhyve: ", 7) == 0 ? 1 : 0;
	if (pr->running == 1 && strnlen(raw + 7, len - 7) < len - 7 &&
	    strcmp(raw + 7, name) != 0) {
		free(raw);
		pr->running = pr->acpi = -1;
		return (0);		/* the pid now runs another VM */
	}
	free(raw);
	pr->alive = true;
	return (0);
}

static int
hfb_run_output(struct host *h __unused, char *const *argv,
    struct host_proc *p, char **out, size_t *len)
{
	char path[PATH_MAX];
	int e;

	p->status = p->signal = 0;
	p->ran = false;
	*out = NULL;
	*len = 0;
	if (argv == NULL || argv[0] == NULL)
		return (EINVAL);
	if ((e = hfb_which(argv[0], path, sizeof(path))) != 0)
		return (e);
	e = sys_spawn_output(path, argv, HOST_OUTPUT_MAX,
	    host_run_timeout(argv), p, out, len);
	p->ran = e == 0 || e == ETIMEDOUT;
	return (e);
}

static void
hfb_pause(struct host *h __unused, unsigned ms)
{
	struct timespec ts, rem;
	int i;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	for (i = 0; i < 1000 && nanosleep(&ts, &rem) == -1 &&
	    errno == EINTR; i++)
		ts = rem;
}

static void
hfb_close(struct host *h)
{
	struct hfb *p = h->priv;

	/* host_close() frees dir, rundir and the host itself. */
	if (p != NULL)
		free(p->root);
	free(p);
	h->priv = NULL;
}

/*
 * A host_tools[] program's output.  zpool is left alone while zfs.ko is
 * not loaded: libzfs would load it, and no pool can be imported without
 * it, so the answer is "no pools".
 */
static int
hfb_tool_output(struct host *h, enum host_tool t, char **out, size_t *len)
{
	bool loaded;
	struct host_proc pr;
	int e;

	*out = NULL;
	*len = 0;
	if ((unsigned)t >= HT_NTOOLS)
		return (EINVAL);
	if (t == HT_ZPOOL && hfb_kld_loaded(h, "zfs", &loaded) == 0 &&
	    !loaded) {
		if ((*out = strdup("")) == NULL)
			return (ENOMEM);
		return (0);
	}
	if ((e = sys_spawn_output(host_tools[t].argv[0], host_tools[t].argv,
	    HOST_OUTPUT_MAX, host_run_timeout(host_tools[t].argv), &pr, out,
	    len)) != 0)
		return (e == ENOMEM ? e : ENOENT);
	if (pr.status != 0 || pr.signal != 0) {
		free(*out);
		*out = NULL;
		*len = 0;
		return (ENOENT);
	}
	return (0);
}

/* The engine's operations: HOSTSYS_OPS, then poll and the clock. */
static int64_t	hfb_now(struct host *);
static void	hfb_sleep(struct host *, unsigned);
/* Issue 18's operations: at the end of this file. */
static int	hfb_dir_make(struct host *, const char *, int);
static int	hfb_file_remove(struct host *, const char *);
static int	hfb_proc_stop(struct host *, int, const char *);
static int	hfb_tcp_probe(struct host *, const char *, int, unsigned, int *);

static const struct host_ops hfb_ops = {
	.name = "live",
	.close = hfb_close,
	.pci_list = hfb_pci_list,
	.sysctl_get = hfb_sysctl_get,
	.sysctl_get_text = hfb_sysctl_get_text,
	.sysctl_set = hfb_sysctl_set,
	.kenv_get = hfb_kenv_get,
	.kenv_set = hfb_kenv_set,
	.kenv_unset = hfb_kenv_unset,
	.kld_loaded = hfb_kld_loaded,
	.kld_load = hfb_kld_load,
	.kld_unload = hfb_kld_unload,
	.dev_detach = hfb_dev_detach,
	.dev_attach = hfb_dev_attach,
	.dev_set_driver = hfb_dev_set_driver,
	.dev_clear_driver = hfb_dev_clear_driver,
	.dev_rescan = hfb_dev_rescan,
	.vm_list = hfb_vm_list,
	.file_read = hfb_file_read,
	.file_write = hfb_file_write,
	.file_stat = hfb_file_stat,
	.dir_list = hfb_dir_list,
	.run = hfb_run,
	.run_output = hfb_run_output,
	.spawn = hfb_spawn,
	.vm_probe = hfb_vm_probe,
	.pause = hfb_pause,
	.rom_read = hfb_rom_read,
	.pci_cfg_read = hfb_pci_cfg_read,
	.pci_cfg_write = hfb_pci_cfg_write,
	.tty_name = hfb_tty_name,
	.tool_output = hfb_tool_output,
	HOSTSYS_OPS
	.fd_poll = hs_fd_poll,
	.now = hfb_now,
	.sleep = hfb_sleep,
	.dir_make = hfb_dir_make,
	.file_remove = hfb_file_remove,
	.proc_stop = hfb_proc_stop,
	.tcp_probe = hfb_tcp_probe,
};

int
host_open_root(struct host **hp, const char *root, const char *rundir,
    const char *logdir, struct diags *dg)
{
	struct host *h;
	struct hfb *p;
	size_t n;

	*hp = NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		diag_err(dg, NULL, 0, "out of memory");
		return (ENOMEM);
	}
	h->ops = &hfb_ops;
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (h->priv = p, p->root = strdup(root)) == NULL ||
	    (h->rundir = strdup(rundir)) == NULL ||
	    (h->logdir = strdup(logdir)) == NULL) {
		host_close(h);
		diag_err(dg, NULL, 0, "out of memory");
		return (ENOMEM);
	}
	n = strlen(p->root);
	while (n > 1 && p->root[n - 1] == '/')
		p->root[--n] = '\0';
	*hp = h;
	return (0);
}

int
host_open_live(struct host **hp, struct diags *dg)
{

	return (host_open_root(hp, "/", HFB_RUNDIR, HFB_LOGDIR, dg));
}

/*
 * "ptvm host capture DIR": what stock FreeBSD commands print, one file
 * each, written atomically (temporary file, fsync, rename).
 */

struct hfb_capfile {
	const char	*file;
	char *const	 argv[4];
};

static const struct hfb_capfile hfb_capfiles[] = {
	{ "pciconf.txt",  { "/usr/sbin/pciconf", "-lbcv", NULL } },
	{ "sysctl.txt",   { "/sbin/sysctl", "-a", NULL } },
	{ "topology.xml", { "/sbin/sysctl", "-n", "kern.sched.topology_spec",
	    NULL } },
	{ "kenv.txt",     { "/bin/kenv", NULL } },
	{ "kldstat.txt",  { "/sbin/kldstat", NULL } },
};

/*
 * Runs one capture command into DIR/FILE.  A command that fails but
 * printed something (sysctl -a can, for a few unreadable OIDs) keeps its
 * output with a warning.
 */
static int
hfb_capture_one(const char *dir, const struct hfb_capfile *c,
    struct diags *dg)
{
	char tmp[PATH_MAX], path[PATH_MAX], why[512];
	struct host_proc pr;
	struct stat sb;
	int fd, e;

	if (snprintf(path, sizeof(path), "%s/%s", dir, c->file) >=
	    (int)sizeof(path)) {
		diag_err(dg, dir, 0, "path too long");
		return (ENAMETOOLONG);
	}
	if ((e = sys_atomic_open(path, tmp, sizeof(tmp), &fd)) != 0) {
		diag_err(dg, path, 0, "%s", sys_strerror(e));
		return (e);
	}
	e = sys_spawn_wait(c->argv[0], c->argv, fd, host_run_timeout(c->argv),
	    &pr);
	if (e == 0 && fstat(fd, &sb) == 0 && pr.status != 0) {
		if (sb.st_size == 0)
			e = EIO;
		diag_add(dg, e != 0 ? DIAG_ERROR : DIAG_WARN, path, 0, "%s",
		    host_proc_str(c->argv, 0, &pr, why, sizeof(why)));
	} else if (e != 0)
		diag_err(dg, path, 0, "%s", host_proc_str(c->argv, e, &pr,
		    why, sizeof(why)));
	return (sys_atomic_commit(fd, tmp, path, 0644, 0, e));
}

/*
 * DIR/vmm.txt: one VM of /dev/vmm a line, its name and the functions it
 * uses ("winpt 6/0/0 6/0/1"), or "?" when they cannot be told.
 */
static int
hfb_capture_vmm(struct host *h, const char *dir, struct diags *dg)
{
	struct host_vm_list l;
	struct strbuf sb;
	char path[PATH_MAX], sel[32];
	size_t i, k;
	int e;

	if (snprintf(path, sizeof(path), "%s/vmm.txt", dir) >=
	    (int)sizeof(path))
		return (ENAMETOOLONG);
	if ((e = hfb_vm_list(h, &l)) != 0) {
		diag_err(dg, HFB_PATH_VMM, 0, "%s", strerror(e));
		return (e);
	}
	sb_init(&sb);
	for (i = 0; i < l.n; i++) {
		sb_puts(&sb, l.vm[i].name);
		if (!l.vm[i].devs_known)
			sb_puts(&sb, " ?");
		for (k = 0; k < l.vm[i].ndevs; k++) {
			pci_sel_fmt(&l.vm[i].devs[k], SEL_BHYVE, sel,
			    sizeof(sel));
			sb_printf(&sb, " %s", sel);
		}
		sb_putc(&sb, '\n');
	}
	if (sb.oom)
		e = ENOMEM;
	else
		e = sys_write_atomic(path, sb.len > 0 ? sb.s : "", sb.len,
		    0644);
	if (e != 0)
		diag_err(dg, path, 0, "%s", strerror(e));
	sb_free(&sb);
	host_vm_list_free(&l);
	return (e);
}

/*
 * DIR/FILE of a host_tools[] program.  One that fails leaves no file, with
 * a warning: under -H what it tells is then unknown, and check refuses
 * the storage or network controllers it would have cleared.
 */
static int
hfb_capture_tool(struct host *h, const char *dir, enum host_tool t,
    struct diags *dg)
{
	char path[PATH_MAX];
	size_t len;
	char *out;
	int e;

	if (snprintf(path, sizeof(path), "%s/%s", dir, host_tools[t].file) >=
	    (int)sizeof(path))
		return (ENAMETOOLONG);
	if ((e = hfb_tool_output(h, t, &out, &len)) != 0) {
		diag_warn(dg, path, 0, "%s did not run to a zero exit: not "
		    "written; what it tells (the host's use of its disks or "
		    "network, its sound or USB devices, its neighbours) is "
		    "unknown to ptvm -H", host_tools[t].argv[0]);
		return (0);
	}
	if ((e = sys_write_atomic(path, out, len, 0644)) != 0)
		diag_err(dg, path, 0, "%s", strerror(e));
	free(out);
	return (e);
}

int
host_capture_live(struct host *h, const char *dir, struct diags *dg)
{
	size_t i;
	int e, first;

	if ((e = sys_mkdir_p(dir, 0755)) != 0) {
		diag_err(dg, dir, 0, "cannot create directory: %s",
		    strerror(e));
		return (e);
	}
	static const struct hfb_capfile plain = { "pciconf.txt",
	    { "/usr/sbin/pciconf", "-lv", NULL } };

	first = 0;
	for (i = 0; i < nitems(hfb_capfiles); i++) {
		e = hfb_capture_one(dir, &hfb_capfiles[i], dg);
		/*
		 * -c opens /dev/pci for writing, which securelevel > 0 (or
		 * not being root) refuses (pciconf.c list_devs, pci_open;
		 * freebsd.md#D8): the list without capabilities then.
		 */
		if (e != 0 && strcmp(hfb_capfiles[i].file, "pciconf.txt") == 0 &&
		    (e = hfb_capture_one(dir, &plain, dg)) == 0)
			diag_warn(dg, "pciconf.txt", 0, "captured with pciconf "
			    "-lv: capabilities are missing (securelevel > 0, or "
			    "not root)");
		if (e != 0 && first == 0)
			first = e;
	}
	if ((e = hfb_capture_vmm(h, dir, dg)) != 0 && first == 0)
		first = e;
	for (i = 0; i < HT_NTOOLS; i++)
		if ((e = hfb_capture_tool(h, dir, (enum host_tool)i, dg)) != 0 &&
		    first == 0)
			first = e;
	return (first);
}

/*
 * The engine's operations (host.h, from st_read on): hostsys.c's, the
 * same POSIX code as the captured host's, with FreeBSD's run and log
 * directories (HFB_RUNDIR, HFB_LOGDIR) as the only roots of st_*; the
 * real clock.
 */
static int64_t
hfb_now(struct host *h)
{

	(void)h;
	return (hs_mono_ms());
}

static void
hfb_sleep(struct host *h, unsigned ms)
{

	(void)h;
	hs_sleep_ms(ms);
}

/*
 * ---- Issue 18: the desktop devices ----
 */

static int
hfb_dir_make(struct host *h, const char *path, int mode)
{
	char p[PATH_MAX];
	int e;

	/* Below the host's root, as every file_* path (host_open_root). */
	if (path[0] != '/')
		return (EINVAL);
	if ((e = hfb_path(h, path, p, sizeof(p))) != 0)
		return (e);
	return (hs_path_mkdir(p, mode));
}

static int
hfb_file_remove(struct host *h, const char *path)
{
	char p[PATH_MAX];
	int e;

	if (path[0] != '/')
		return (EINVAL);
	if ((e = hfb_path(h, path, p, sizeof(p))) != 0)
		return (e);
	return (hs_path_remove(p));
}

/* Whether pid is still comm (kinfo_proc ki_comm), not a zombie (#P3). */
static bool
hfb_is_comm(int pid, const char *comm)
{
	struct kinfo_proc kp;
	size_t len;
	int mib[4];

	mib[0] = CTL_KERN;
	mib[1] = KERN_PROC;
	mib[2] = KERN_PROC_PID;
	mib[3] = pid;
	len = sizeof(kp);
	if (sysctl(mib, 4, &kp, &len, NULL, 0) != 0 || len != sizeof(kp))
		return (false);
	return (strcmp(kp.ki_comm, comm) == 0 && kp.ki_stat != SZOMB);
}

static int
hfb_proc_stop(struct host *h __unused, int pid, const char *comm)
{
	int i;

	if (pid <= 1)
		return (EINVAL);
	if (!hfb_is_comm(pid, comm))
		return (0);
	if (kill(pid, SIGTERM) != 0)
		return (errno == ESRCH ? 0 : errno);
	for (i = 0; i < 200 && hfb_is_comm(pid, comm); i++) {
		/* The supervisor's own child: reaped here. */
		if (waitpid(pid, NULL, WNOHANG) == pid)
			break;
		(void)usleep(10000);
	}
	if (hfb_is_comm(pid, comm) && kill(pid, SIGKILL) != 0 &&
	    errno != ESRCH)
		return (errno);
	return (0);
}

/* A non-blocking connect(2), waited for with poll(2) up to ms. */
static int
hfb_tcp_probe(struct host *h __unused, const char *addr, int port,
    unsigned ms, int *open)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4;
	struct sockaddr_in6 *s6;
	struct pollfd pfd;
	socklen_t sl, el;
	int fd, e, err;

	*open = 0;
	memset(&ss, 0, sizeof(ss));
	s4 = (struct sockaddr_in *)&ss;
	s6 = (struct sockaddr_in6 *)&ss;
	if (port <= 0 || port > 65535)
		return (EINVAL);
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		sl = sizeof(*s4);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*s6);
	} else
		return (EINVAL);
	/* connect(2) takes the length from sl: getsockaddr sets sa_len (#N5). */
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) < 0)
		return (errno);
	e = 0;
	if (connect(fd, (struct sockaddr *)&ss, sl) == 0)
		*open = 1;
	else if (errno == EINPROGRESS) {
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, (int)ms) == 1) {
			el = sizeof(err);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
			    &el) == 0 && err == 0)
				*open = 1;
		}
	} else if (errno != ECONNREFUSED && errno != EHOSTUNREACH &&
	    errno != ENETUNREACH)
		e = errno;
	(void)close(fd);
	return (e);
}
