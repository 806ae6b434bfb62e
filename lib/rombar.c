/*
 * rombar.c: the ROM BAR read of rom dump, one sequence for the live and
 * the captured host (docs/freebsd.md D-ROM1 to D-ROM8).
 *
 * The kernel offers no read of a ROM BAR it has not reserved: PCIOCBARMMAP
 * needs the BAR's map record, which pci.c creates for the ROM only when a
 * driver allocates it, and then refuses it anyway (D-ROM1, D-ROM2).  So
 * the sequence is the one the PCI specification describes for firmware:
 * size the BAR with the enable bit clear, set memory decoding and the ROM
 * enable bit, read the window through /dev/mem, and put both registers
 * back.  Every write is recorded before it is made and undone, last
 * first, on every path, and each undo is read back.
 */
#include "compat.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rombar.h"

#define RB_UNDO		4
#define RB_HDRTYPE	0x0e
#define RB_BAR0		0x10
#define RB_NBARS	6
#define RB_MAXIMG	64

struct rb_undo {
	unsigned	 reg;
	unsigned	 width;
	uint32_t	 val;
};

struct rb {
	const struct rombar_io	*io;
	const char		*name;
	struct diags		*d;
	struct rb_undo		 undo[RB_UNDO];
	size_t			 nundo;
};

static int
rb_read(struct rb *r, unsigned reg, unsigned width, uint32_t *v)
{
	int e;

	if ((e = r->io->cfg_read(r->io->arg, reg, width, v)) != 0)
		diag_err(r->d, NULL, 0, "%s: reading register 0x%02x: %s",
		    r->name, reg, strerror(e));
	return (e);
}

/* Records old, then writes val; rb_restore() writes old back. */
static int
rb_set(struct rb *r, unsigned reg, unsigned width, uint32_t old,
    uint32_t val)
{
	int e;

	if (r->nundo == RB_UNDO)
		return (ENOSPC);
	r->undo[r->nundo].reg = reg;
	r->undo[r->nundo].width = width;
	r->undo[r->nundo].val = old;
	r->nundo++;
	if ((e = r->io->cfg_write(r->io->arg, reg, width, val)) != 0)
		diag_err(r->d, NULL, 0, "%s: writing 0x%0*x to register "
		    "0x%02x: %s", r->name, (int)(width * 2), (unsigned)val,
		    reg, strerror(e));
	return (e);
}

/* Writes back every recorded register, last first, and reads each back. */
static int
rb_restore(struct rb *r)
{
	const struct rb_undo *u;
	uint32_t v;
	int e, rc;

	for (rc = 0; r->nundo > 0; ) {
		u = &r->undo[--r->nundo];
		v = ~u->val;
		e = r->io->cfg_write(r->io->arg, u->reg, u->width, u->val);
		if (e == 0)
			e = r->io->cfg_read(r->io->arg, u->reg, u->width, &v);
		if (e == 0 && v != u->val)
			e = EIO;
		if (e == 0)
			continue;
		diag_err(r->d, NULL, 0, "%s: register 0x%02x was not restored "
		    "to 0x%0*x (%s): restore it with 'pciconf -w %s%s "
		    "0x%02x 0x%0*x' before the device is used", r->name,
		    u->reg, (int)(u->width * 2), (unsigned)u->val,
		    e == EIO ? "it reads back differently" : strerror(e),
		    u->width == 2 ? "-h " : "", r->name, u->reg,
		    (int)(u->width * 2), (unsigned)u->val);
		rc = EIO;
	}
	return (rc);
}

/*
 * Sizes the ROM BAR: all address bits written as ones with the enable bit
 * clear (so nothing decodes meanwhile), read back, restored.  *mask gets
 * the address bits the device implements, 0 for no ROM.
 */
static int
rb_size(struct rb *r, uint32_t rom, uint32_t *mask)
{
	uint32_t probe;
	int e, e2;

	probe = 0;
	e = rb_set(r, ROMBAR_REG, 4, rom, ROMBAR_ADDR);
	if (e == 0)
		e = rb_read(r, ROMBAR_REG, 4, &probe);
	e2 = rb_restore(r);
	*mask = probe & ROMBAR_ADDR;
	return (e != 0 ? e : e2);
}

/*
 * With memory decoding off, turning it on decodes every memory BAR at its
 * address: refuse when an implemented one has none (it would decode at
 * 0, over RAM).  BARs reading 0 are sized (decoding is off) to tell an
 * unimplemented one from an unassigned one.
 */
static int
rb_bars_placed(struct rb *r)
{
	uint32_t v, hi, plo, phi;
	unsigned i, reg;
	bool is64;
	int e, e2;

	for (i = 0; i < RB_NBARS; i++) {
		reg = RB_BAR0 + 4 * i;
		hi = phi = 0;
		if ((e = rb_read(r, reg, 4, &v)) != 0)
			return (e);
		if ((v & 1) != 0)
			continue;			/* I/O: not enabled */
		is64 = ((v >> 1) & 3) == 2 && i + 1 < RB_NBARS;
		if (is64 && (e = rb_read(r, reg + 4, 4, &hi)) != 0)
			return (e);
		if ((v & ~0xfu) != 0 || hi != 0) {
			i += is64 ? 1 : 0;
			continue;
		}
		plo = 0;
		e = rb_set(r, reg, 4, v, 0xffffffffu);
		if (e == 0 && is64)
			e = rb_set(r, reg + 4, 4, hi, 0xffffffffu);
		if (e == 0)
			e = rb_read(r, reg, 4, &plo);
		if (e == 0 && is64)
			e = rb_read(r, reg + 4, 4, &phi);
		e2 = rb_restore(r);
		if (e != 0 || e2 != 0)
			return (e != 0 ? e : e2);
		if ((plo & ~0xfu) != 0 || phi != 0) {
			diag_err(r->d, NULL, 0, "%s: BAR %u (0x%02x) is "
			    "implemented but has no address, and memory "
			    "decoding is off: turning it on to read the ROM "
			    "would decode that BAR at 0; nothing was enabled",
			    r->name, i, reg);
			return (ENXIO);
		}
		i += is64 ? 1 : 0;
	}
	return (0);
}

static unsigned
rb_le16(const uint8_t *p)
{

	return ((unsigned)p[0] | (unsigned)p[1] << 8);
}

/* The end of the last image (PCI Firmware spec image chain), or n. */
static size_t
rb_images_end(const uint8_t *b, size_t n)
{
	size_t off, p, ilen, end;
	int k;

	for (off = end = 0, k = 0; k < RB_MAXIMG; k++) {
		if (off + 0x1a > n || b[off] != 0x55 || b[off + 1] != 0xaa)
			break;
		p = off + rb_le16(b + off + 0x18);
		if (p + 0x18 > n || memcmp(b + p, "PCIR", 4) != 0)
			break;
		if ((ilen = (size_t)rb_le16(b + p + 0x10) * 512) == 0)
			break;
		if ((end = off + ilen) >= n)
			return (n);
		if ((b[p + 0x15] & 0x80) != 0)
			return (end);
		off = end;
	}
	return (end > 0 ? end : n);
}

/* Checks what was read, and cuts it at the end of the last image. */
static int
rb_check(struct rb *r, uint32_t base, uint8_t **buf, size_t *len)
{
	uint8_t *b;
	size_t end;

	b = *buf;
	if (*len < 2 || b[0] != 0x55 || b[1] != 0xaa) {
		diag_err(r->d, NULL, 0, "%s: the ROM window at 0x%08x starts "
		    "%02x %02x, not with the 55 AA of a ROM image: the device "
		    "did not decode its ROM (some keep it hidden once the "
		    "firmware has copied it); nothing was kept", r->name,
		    (unsigned)base, *len > 0 ? b[0] : 0, *len > 1 ? b[1] : 0);
		return (EIO);
	}
	end = rb_images_end(b, *len);
	if (end < *len) {
		*len = end;
		if ((b = realloc(b, end)) != NULL)
			*buf = b;
	}
	return (0);
}

/* The registers and the window: everything rombar_read() refuses on. */
static int
rb_plan(struct rb *r, uint32_t *cmd, uint32_t *rom, uint32_t *size)
{
	uint32_t hdr, mask, base;
	int e;

	if ((e = rb_read(r, RB_HDRTYPE, 1, &hdr)) != 0 ||
	    (e = rb_read(r, ROMBAR_CMD, 2, cmd)) != 0 ||
	    (e = rb_read(r, ROMBAR_REG, 4, rom)) != 0)
		return (e);
	if ((hdr & 0x7f) != 0) {
		diag_err(r->d, NULL, 0, "%s: header type %u is not an "
		    "endpoint's (0): its ROM BAR is elsewhere and ptvm reads "
		    "endpoints only", r->name, hdr & 0x7f);
		return (ENXIO);
	}
	if ((base = *rom & ROMBAR_ADDR) == 0) {
		diag_err(r->d, NULL, 0, "%s: the ROM BAR (0x30 = 0x%08x) has "
		    "no address: the firmware assigned none, or a reset (as "
		    "when a VM takes or releases the function) cleared it, and "
		    "the kernel places and restores a ROM BAR only for a "
		    "driver that allocates it; nothing was written", r->name,
		    (unsigned)*rom);
		return (ENXIO);
	}
	if ((e = rb_size(r, *rom, &mask)) != 0)
		return (e);
	if (mask == 0) {
		diag_err(r->d, NULL, 0, "%s: has no expansion ROM (its ROM "
		    "BAR keeps no address bits)", r->name);
		return (ENXIO);
	}
	*size = mask & (~mask + 1);
	if (base == mask || (base & (*size - 1)) != 0) {
		diag_err(r->d, NULL, 0, "%s: the ROM BAR address 0x%08x is "
		    "not a placement of its %u KiB window (the firmware "
		    "disabled it); nothing was enabled", r->name,
		    (unsigned)base, (unsigned)(*size / 1024));
		return (ENXIO);
	}
	if ((*cmd & ROMBAR_CMD_MEMEN) == 0)
		return (rb_bars_placed(r));
	return (0);
}

int
rombar_read(const struct rombar_io *io, const char *name, size_t max,
    uint8_t **buf, size_t *len, struct diags *d)
{
	struct rb r;
	uint32_t cmd, rom, size;
	uint8_t *b;
	size_t n;
	int e, e2;

	*buf = NULL;
	*len = 0;
	memset(&r, 0, sizeof(r));
	r.io = io;
	r.name = name;
	r.d = d;
	if ((e = rb_plan(&r, &cmd, &rom, &size)) != 0)
		return (e);
	b = NULL;
	n = size < max ? size : max;
	if ((cmd & ROMBAR_CMD_MEMEN) == 0)
		e = rb_set(&r, ROMBAR_CMD, 2, cmd, cmd | ROMBAR_CMD_MEMEN);
	if (e == 0 && (rom & ROMBAR_ENABLE) == 0)
		e = rb_set(&r, ROMBAR_REG, 4, rom, rom | ROMBAR_ENABLE);
	if (e == 0 && (b = malloc(n)) == NULL)
		e = ENOMEM;
	if (e == 0 && (e = io->mem_read(io->arg, rom & ROMBAR_ADDR, b,
	    n)) != 0)
		diag_err(d, NULL, 0, "%s: reading %zu bytes of physical "
		    "memory at 0x%08x (/dev/mem): %s", name, n,
		    (unsigned)(rom & ROMBAR_ADDR), strerror(e));
	e2 = rb_restore(&r);
	if (e == 0)
		e = e2;
	if (e == 0) {
		*buf = b;
		*len = n;
		if ((e = rb_check(&r, rom & ROMBAR_ADDR, buf, len)) == 0)
			return (0);
		b = *buf;
		*buf = NULL;
		*len = 0;
	}
	free(b);
	return (e);
}
