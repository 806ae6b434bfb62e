/*
 * rom.c: PCI option ROM (VBIOS) parsing, as EDK2's PciBusDxe walks it.
 *
 * An option ROM is a chain of images, each on a 512-byte boundary and
 * starting with 55 AA.  The 16-bit word at 0x18 points (DWORD-aligned) to
 * the PCI data structure "PCIR": vendor/device, class, image length in
 * 512-byte units, code type and the indicator whose bit 7 marks the last
 * image.  NVIDIA adds images with other signatures after the PCI-visible
 * chain, linked by its "NPDE" extension.  AMD boards carry an ATOMBIOS
 * header found through the word at 0x48.
 *
 * NVIDIA's NPDE ("NVIDIA PCI data extension"), as Linux reads it
 * (nouveau nvkm/subdev/bios/npde.c nvbios_npdeTe/Tp, image.c
 * nvbios_imagen; nova-core vbios.rs NpdeStruct): 16-byte aligned after the
 * PCIR (PCIR offset + PCIR length 0x0A, rounded up), "NPDE", revision (16
 * bits) at 4, length at 6, sub-image length in 512-byte units at 8 and
 * the last-image flag (bit 7) at 0x0A.  When present, its length and flag
 * chain the images, whatever the image's vendor: on Ampere, Ada and
 * Blackwell boards the EFI image's PCIR says 0000:0000 and its NPDE links
 * the FwSec images (code type 0xE0) that follow.  An NBSI image (0x70)
 * ends the chain.  nouveau's nvkm_bios_new (base.c) takes image0_size
 * from the first image and imaged_addr from the first 0xE0 image after it:
 * the PC-AT image is at offset 0 of what the GPU exposes.
 *
 * A full-flash dump (nvflash, flashrom) of those boards holds the IFR
 * area and FwSec images first, then that ROM: the ROM is where "ptvm rom
 * trim" cuts, the first x86 image on a 512-byte boundary.
 *
 * Every read goes through rom_has() first.
 */
#include "compat.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "pci.h"
#include "rom.h"

#define ROM_SIG_PC	0xAA55		/* 55 AA */
#define ROM_SIG_NV	0xBB77		/* NVIDIA's hidden images */
#define ROM_SIG_VN	0x4E56		/* "VN" */
#define ROM_HDRLEN	0x1A		/* up to and including the PCIR ptr */
#define ROM_PCIRLEN	0x18		/* PCIR fields read here */
#define ROM_EFI_SIG	0x0EF1
#define ROM_UNIT	512

static bool
rom_has(size_t len, size_t off, size_t n)
{

	return (off <= len && n <= len - off);
}

static uint16_t
rd16(const uint8_t *p)
{

	return ((uint16_t)(p[0] | (p[1] << 8)));
}

static uint32_t
rd32(const uint8_t *p)
{

	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

const char *
rom_code_type_name(uint8_t t)
{

	switch (t) {
	case ROM_CODE_X86:
		return ("x86");
	case ROM_CODE_OF:
		return ("openfirmware");
	case ROM_CODE_HPPA:
		return ("hppa");
	case ROM_CODE_EFI:
		return ("efi");
	case ROM_CODE_NV70:
	case ROM_CODE_NVE0:
		return ("nvidia");
	default:
		return ("unknown");
	}
}

const char *
rom_code_type_desc(uint8_t t)
{

	switch (t) {
	case ROM_CODE_X86:
		return ("x86 PC-AT (legacy BIOS code)");
	case ROM_CODE_OF:
		return ("Open Firmware");
	case ROM_CODE_HPPA:
		return ("PA-RISC");
	case ROM_CODE_EFI:
		return ("EFI");
	case ROM_CODE_NV70:
		return ("NVIDIA private (0x70)");
	case ROM_CODE_NVE0:
		return ("NVIDIA FwSec (0xE0)");
	default:
		return ("unknown");
	}
}

const char *
rom_class_name(uint32_t class)
{

	switch (class >> 16) {
	case 0x00:
		return (class == 0 ? NULL : "unclassified");
	case 0x01:
		return ("storage");
	case 0x02:
		return ("network");
	case 0x03:
		return ("display");
	case 0x04:
		return ("multimedia");
	case 0x05:
		return ("memory");
	case 0x06:
		return ("bridge");
	case 0x07:
		return ("communication");
	case 0x08:
		return ("system peripheral");
	case 0x09:
		return ("input");
	case 0x0B:
		return ("processor");
	case 0x0C:
		return ("serial bus");
	case 0x0D:
		return ("wireless");
	case 0x12:
		return ("processing accelerator");
	default:
		return ("other");
	}
}

/* What the code of an image is, by its code type and the class it names. */
static const char *
rom_code_role(uint8_t type, uint32_t class)
{
	unsigned base;

	base = class >> 16;
	if (type == ROM_CODE_X86)
		return (base == 0x03 ? "legacy VGA BIOS" : base == 0x02 ?
		    "legacy PXE boot ROM" : base == 0x01 ? "legacy boot ROM" :
		    "legacy BIOS code");
	if (type == ROM_CODE_EFI)
		return (base == 0x03 ? "UEFI GOP driver" : base == 0x02 ?
		    "UEFI network driver" : base == 0x01 ?
		    "UEFI storage driver" : "UEFI driver");
	return (NULL);
}

void
rom_image_desc(const struct rom_image *im, char *buf, size_t n)
{
	const char *cls, *role;

	cls = rom_class_name(im->class);
	role = rom_code_role(im->code_type, im->class);
	if (role == NULL)
		(void)snprintf(buf, n, "%s%s%s%s", rom_code_type_desc(
		    im->code_type), cls != NULL ? ", " : "",
		    cls != NULL ? cls : "", cls != NULL ? " controller" : "");
	else
		(void)snprintf(buf, n, "%s, %s%s (%s)",
		    im->code_type == ROM_CODE_X86 ? "x86 PC-AT" : "EFI",
		    cls != NULL ? cls : "no class in its PCIR",
		    cls != NULL ? " controller" : "", role);
}

const char *
rom_efi_machine_name(uint16_t m)
{

	switch (m) {
	case ROM_EFI_IA32:
		return ("IA32");
	case ROM_EFI_IA64:
		return ("IA64");
	case ROM_EFI_EBC:
		return ("EBC");
	case ROM_EFI_X64:
		return ("X64");
	case ROM_EFI_ARM:
		return ("ARM");
	case ROM_EFI_AA64:
		return ("AARCH64");
	case ROM_EFI_RV64:
		return ("RISCV64");
	case ROM_EFI_LA64:
		return ("LOONGARCH64");
	default:
		return ("unknown");
	}
}

const char *
rom_efi_subsystem_name(uint16_t s)
{

	switch (s) {
	case 10:
		return ("application");
	case 11:
		return ("boot service driver");
	case 12:
		return ("runtime driver");
	default:
		return ("unknown");
	}
}

/* The image signature at off, or 0 when there is none. */
static uint16_t
rom_sig(const uint8_t *buf, size_t len, size_t off)
{
	uint16_t s;

	if (!rom_has(len, off, 2))
		return (0);
	s = rd16(buf + off);
	if (s == ROM_SIG_PC || s == ROM_SIG_NV || s == ROM_SIG_VN)
		return (s);
	return (0);
}

/*
 * Whether a well-formed image header with a PCIR starts at off; the code
 * type is returned in *type.  Used to find the ROM after leading junk.
 */
static bool
rom_header_ok(const uint8_t *buf, size_t len, size_t off, uint8_t *type)
{
	size_t p;

	if (rom_sig(buf, len, off) != ROM_SIG_PC ||
	    !rom_has(len, off, ROM_HDRLEN))
		return (false);
	p = rd16(buf + off + 0x18);
	if (p == 0 || (p & 3) != 0 || !rom_has(len, off + p, ROM_PCIRLEN))
		return (false);
	if (memcmp(buf + off + p, "PCIR", 4) != 0 &&
	    memcmp(buf + off + p, "NPDS", 4) != 0)
		return (false);
	if (rd16(buf + off + p + 0x10) == 0)
		return (false);
	if (type != NULL)
		*type = buf[off + p + 0x14];
	return (true);
}

/* rom_header_ok, counted: the work a parse does is bounded (rom_info). */
static bool
rom_probe(const uint8_t *buf, size_t len, size_t off, uint8_t *type,
    size_t *probes)
{

	(*probes)++;
	return (rom_header_ok(buf, len, off, type));
}

/*
 * The first valid image header: at any offset of the first
 * ROM_SCAN_UNALIGNED bytes (a dump tool's header has any length), then
 * on 512-byte boundaries only (images are 512-byte aligned).  Only a
 * 55 AA pair is probed.  Returns len if there is none.
 */
static size_t
rom_scan(const uint8_t *buf, size_t len, size_t *probes)
{
	const uint8_t *q;
	size_t off, lim;

	lim = len < ROM_SCAN_UNALIGNED ? len : ROM_SCAN_UNALIGNED;
	for (off = 0; off + 1 < lim; off++) {
		q = memchr(buf + off, 0x55, lim - off - 1);
		if (q == NULL)
			break;
		off = (size_t)(q - buf);
		if (buf[off + 1] == 0xAA && rom_probe(buf, len, off, NULL,
		    probes))
			return (off);
	}
	for (off = (lim + ROM_UNIT - 1) / ROM_UNIT * ROM_UNIT; off < len;
	    off += ROM_UNIT)
		if (rom_probe(buf, len, off, NULL, probes))
			return (off);
	return (len);
}

/* An "NVGI" (NVIDIA IFR) header's length (big-endian, at 0x15), or 0. */
static size_t
rom_nvgi(const uint8_t *buf, size_t len)
{
	size_t j;

	if (!rom_has(len, 0, 0x17) || memcmp(buf, "NVGI", 4) != 0)
		return (0);
	j = (size_t)buf[0x15] << 8 | buf[0x16];
	return (j > 0 && rom_sig(buf, len, j) != 0 ? j : 0);
}

/* The first x86 image with a valid PCIR at base + k * 512, or len. */
static size_t
rom_x86_from(const uint8_t *buf, size_t len, size_t base, size_t *probes)
{
	size_t o;
	uint8_t t;

	for (o = base; o < len; o += ROM_UNIT)
		if (rom_probe(buf, len, o, &t, probes) && t == ROM_CODE_X86)
			return (o);
	return (len);
}

/*
 * Where "ptvm rom trim" cuts: the first x86 image on a 512-byte boundary
 * of the file, or of the first header found (after an NVGI header or a
 * dump tool's header of any length).  *first gets that header, or len.
 */
static size_t
rom_x86_start(const uint8_t *buf, size_t len, size_t *first, size_t *probes)
{
	size_t a, b;

	*first = rom_nvgi(buf, len);
	if (*first == 0)
		*first = rom_scan(buf, len, probes);
	a = rom_x86_from(buf, len, 0, probes);
	if (*first < len && *first % ROM_UNIT != 0) {
		b = rom_x86_from(buf, len, *first % ROM_UNIT, probes);
		if (b < a)
			a = b;
	}
	return (a);
}

/* The image headers on 512-byte boundaries before the ROM. */
static void
rom_prefix(const uint8_t *buf, size_t len, struct rom_info *ri)
{
	struct rom_prefix *p;
	const uint8_t *r;
	size_t o;
	uint8_t t;

	for (o = ri->junk % ROM_UNIT; o < ri->junk; o += ROM_UNIT) {
		if (!rom_probe(buf, len, o, &t, &ri->probes))
			continue;
		if (t == ROM_CODE_NVE0 && !ri->nv_flash) {
			ri->nv_flash = true;
			ri->ifr_end = o;
		}
		if (ri->npre == ROM_MAXPREFIX) {
			ri->npre_more++;
			continue;
		}
		p = &ri->pre[ri->npre++];
		r = buf + o + rd16(buf + o + 0x18);
		p->offset = o;
		p->code_type = t;
		p->vendor = rd16(r + 0x04);
		p->device = rd16(r + 0x06);
		p->length = (size_t)rd16(r + 0x10) * ROM_UNIT;
	}
}

/*
 * Where the ROM starts.  At 0 when a 55 AA image is there (its errors are
 * reported), unless it is a FwSec image: a full NVIDIA flash starts with
 * its IFR area and FwSec images, and the ROM is the x86 image after them.
 * Otherwise the x86 image trim would cut at, else the first valid header
 * (an EFI-only ROM after a header).
 */
static void
rom_find_start(const uint8_t *buf, size_t len, struct rom_info *ri)
{
	size_t first, x86;
	uint8_t t;
	bool nvgi;

	ri->junk = 0;
	ri->junk_kind = NULL;
	if (rom_sig(buf, len, 0) == ROM_SIG_PC && !(rom_probe(buf, len, 0,
	    &t, &ri->probes) && t == ROM_CODE_NVE0))
		return;
	nvgi = rom_nvgi(buf, len) != 0;
	x86 = rom_x86_start(buf, len, &first, &ri->probes);
	ri->junk = x86 < len ? x86 : first < len ? first : 0;
	if (ri->junk == 0)
		return;
	rom_prefix(buf, len, ri);
	ri->junk_kind = nvgi ? "NVIDIA IFR (NVGI) header" : ri->nv_flash ?
	    "NVIDIA flash data: IFR area and FwSec images" :
	    "unknown header (nvflash or dump tool)";
}

/* PCI 3.0 device list: 16-bit IDs ending with 0. */
static void
rom_read_devlist(const uint8_t *buf, size_t len, const char *file,
    struct rom_image *im, struct diags *d)
{
	size_t p, i;
	uint16_t id;

	p = rd16(buf + im->pcir + 0x08);
	if (im->pcir_rev < 3 || p == 0)
		return;
	p += im->pcir;
	for (i = 0; ; i++) {
		if (!rom_has(len, p + 2 * i, 2)) {
			diag_add_off(d, DIAG_ERROR, file, (long long)p,
			    "device list runs past the end of the file");
			return;
		}
		id = rd16(buf + p + 2 * i);
		if (id == 0)
			return;
		if (i == ROM_MAXDEVLIST) {
			diag_add_off(d, DIAG_WARN, file, (long long)p,
			    "device list longer than %d entries; rest ignored",
			    ROM_MAXDEVLIST);
			return;
		}
		im->devlist[im->ndevlist++] = id;
	}
}

/* Reads the PCIR of the image at im->offset.  -1 ends the walk. */
static int
rom_read_pcir(const uint8_t *buf, size_t len, const char *file,
    struct rom_image *im, struct diags *d)
{
	size_t off, p;
	const uint8_t *r;

	off = im->offset;
	p = rd16(buf + off + 0x18);
	if (p == 0) {
		diag_add_off(d, DIAG_ERROR, file, (long long)(off + 0x18),
		    "PCIR pointer is 0: not a PCI expansion ROM "
		    "(an ISA or system BIOS image?)");
		return (-1);
	}
	if ((p & 3) != 0) {
		diag_add_off(d, DIAG_ERROR, file, (long long)(off + 0x18),
		    "PCIR pointer 0x%zx is not DWORD-aligned", p);
		return (-1);
	}
	if (!rom_has(len, off + p, ROM_PCIRLEN)) {
		diag_add_off(d, DIAG_ERROR, file, (long long)(off + 0x18),
		    "PCIR pointer 0x%zx points past the end of the file", p);
		return (-1);
	}
	im->pcir = off + p;
	r = buf + im->pcir;
	if (memcmp(r, "PCIR", 4) != 0 && memcmp(r, "NPDS", 4) != 0) {
		diag_add_off(d, DIAG_ERROR, file, (long long)im->pcir,
		    "PCIR signature missing");
		return (-1);
	}
	memcpy(im->pcir_sig, r, 4);
	im->vendor = rd16(r + 0x04);
	im->device = rd16(r + 0x06);
	im->pcir_rev = r[0x0C];
	im->class = (uint32_t)r[0x0F] << 16 | (uint32_t)r[0x0E] << 8 | r[0x0D];
	im->length = (size_t)rd16(r + 0x10) * ROM_UNIT;
	im->code_rev = rd16(r + 0x12);
	im->code_type = r[0x14];
	im->last = (r[0x15] & 0x80) != 0;
	rom_read_devlist(buf, len, file, im, d);
	return (0);
}

/* x86 images: the byte sum over the initialization size must be 0. */
static void
rom_read_x86(const uint8_t *buf, size_t len, const char *file,
    struct rom_image *im, struct diags *d)
{
	size_t i, n;
	uint8_t sum;

	n = (size_t)buf[im->offset + 2] * ROM_UNIT;
	im->init_size = n;
	if (n == 0) {
		diag_add_off(d, DIAG_WARN, file, (long long)(im->offset + 2),
		    "x86 image has an initialization size of 0");
		return;
	}
	if (!rom_has(len, im->offset, n)) {
		diag_add_off(d, DIAG_ERROR, file, (long long)(im->offset + 2),
		    "initialization size 0x%zx runs past the end of the file",
		    n);
		return;
	}
	for (sum = 0, i = 0; i < n; i++)
		sum = (uint8_t)(sum + buf[im->offset + i]);
	im->checksum = sum;
	im->checksum_ok = sum == 0;
	if (!im->checksum_ok)
		diag_add_off(d, DIAG_WARN, file, (long long)im->offset,
		    "x86 image checksum is bad (byte sum 0x%02x over 0x%zx "
		    "bytes, expected 0); legacy BIOSes refuse it, UEFI does "
		    "not check it", sum, n);
}

/* EFI images: the EFI_PCI_EXPANSION_ROM_HEADER fields. */
static void
rom_read_efi(const uint8_t *buf, size_t len, const char *file,
    struct rom_image *im, struct diags *d)
{
	struct rom_efi *e;
	const uint8_t *h;
	size_t mz;

	e = &im->efi;
	h = buf + im->offset;
	if (rd32(h + 4) != ROM_EFI_SIG) {
		diag_add_off(d, DIAG_ERROR, file, (long long)(im->offset + 4),
		    "EFI image without the 0x0EF1 EFI signature");
		return;
	}
	e->present = true;
	e->subsystem = rd16(h + 0x08);
	e->machine = rd16(h + 0x0A);
	e->compression = rd16(h + 0x0C);
	e->image_off = rd16(h + 0x16);
	mz = im->offset + e->image_off;
	e->mz = rom_has(len, mz, 2) && buf[mz] == 'M' && buf[mz + 1] == 'Z';
	if (e->compression > 1)
		diag_add_off(d, DIAG_ERROR, file, (long long)(im->offset + 0x0C),
		    "EFI image has unknown compression type %u",
		    e->compression);
	else if (e->compression == 0 && !e->mz)
		diag_add_off(d, DIAG_ERROR, file, (long long)mz,
		    "EFI image offset 0x%x has no \"MZ\" PE header",
		    e->image_off);
	if (e->subsystem != 11 && e->subsystem != 12)
		diag_add_off(d, DIAG_WARN, file, (long long)(im->offset + 8),
		    "EFI image subsystem %u is not a driver; firmware will not "
		    "load it", e->subsystem);
	e->loadable = e->machine == ROM_EFI_X64 && e->compression <= 1 &&
	    (e->compression == 1 || e->mz) &&
	    (e->subsystem == 11 || e->subsystem == 12) && !im->truncated;
}

/* NVIDIA's PCI data extension, 16-byte aligned after the PCIR. */
static void
rom_read_npde(const uint8_t *buf, size_t len, struct rom_image *im)
{
	size_t p;

	p = im->pcir + rd16(buf + im->pcir + 0x0A);
	p = im->offset + (((p - im->offset) + 0x0F) & ~(size_t)0x0F);
	if (!rom_has(len, p, 0x0B) || memcmp(buf + p, "NPDE", 4) != 0)
		return;
	im->npde = true;
	im->npde_rev = rd16(buf + p + 0x04);
	im->npde_length = (size_t)rd16(buf + p + 0x08) * ROM_UNIT;
	im->npde_last = (buf[p + 0x0A] & 0x80) != 0;
}

/* Reads one image at off.  Returns 0, or -1 when the walk must stop. */
static int
rom_read_image(const uint8_t *buf, size_t len, const char *file, size_t off,
    struct rom_image *im, struct diags *d)
{

	memset(im, 0, sizeof(*im));
	im->offset = off;
	if (!rom_has(len, off, ROM_HDRLEN)) {
		diag_add_off(d, DIAG_ERROR, file, (long long)off,
		    "image header truncated: %zu bytes left, 26 needed",
		    len - off);
		return (-1);
	}
	if ((im->sig = rom_sig(buf, len, off)) == 0) {
		diag_add_off(d, DIAG_ERROR, file, (long long)off,
		    "image signature 55 AA missing (found %02x %02x)",
		    buf[off], buf[off + 1]);
		return (-1);
	}
	if (rom_read_pcir(buf, len, file, im, d) != 0)
		return (-1);
	if (im->length == 0) {
		diag_add_off(d, DIAG_ERROR, file, (long long)(im->pcir + 0x10),
		    "image length is 0");
		return (-1);
	}
	if (!rom_has(len, off, im->length)) {
		im->truncated = true;
		diag_add_off(d, DIAG_ERROR, file, (long long)off,
		    "image truncated: its length is 0x%zx but the file ends "
		    "0x%zx bytes after its start", im->length, len - off);
	}
	if (im->code_type == ROM_CODE_X86 && im->sig == ROM_SIG_PC)
		rom_read_x86(buf, len, file, im, d);
	else if (im->code_type == ROM_CODE_EFI)
		rom_read_efi(buf, len, file, im, d);
	/* Any vendor: the EFI image of a GeForce says 0000 (see above). */
	rom_read_npde(buf, len, im);
	return (0);
}

/* Reads an image the firmware does not see; its problems are not ours. */
static int
rom_read_hidden(const uint8_t *buf, size_t len, const char *file,
    size_t off, struct rom_image *im)
{
	struct diags scratch;
	int rc;

	diags_init(&scratch);
	rc = rom_read_image(buf, len, file, off, im, &scratch);
	diags_free(&scratch);
	im->hidden = true;
	return (rc);
}

/* The length to the next image, and whether the walk goes on. */
static bool
rom_step(struct rom_info *ri, const struct rom_image *im, bool *visible,
    size_t *step)
{

	*step = im->length;
	if (*visible) {
		if (!im->last)
			return (true);
		ri->chain_ok = true;
		*visible = false;
		if (!im->npde || im->npde_last || im->npde_length == 0)
			return (false);
		*step = im->npde_length;
		return (true);
	}
	if (im->code_type == ROM_CODE_NV70)
		return (false);		/* NBSI ends the chain (nouveau) */
	if (im->npde && im->npde_length > 0) {
		*step = im->npde_length;
		return (!im->npde_last);
	}
	return (!im->last);
}

/*
 * Walks the chain from the first image.  The firmware sees the 55 AA images
 * up to the one with the last flag; NVIDIA's NPDE links further images.
 */
static void
rom_walk(const uint8_t *buf, size_t len, const char *file,
    struct rom_info *ri, struct diags *d)
{
	struct rom_image *im;
	size_t off, step;
	bool visible;

	for (off = ri->junk, visible = true; ; off += step) {
		if (ri->nimg == ROM_MAXIMAGES) {
			diag_add_off(d, DIAG_WARN, file, (long long)off,
			    "more than %d images; the rest is not inspected",
			    ROM_MAXIMAGES);
			return;
		}
		if (off >= len) {
			if (visible)
				diag_add_off(d, DIAG_WARN, file,
				    (long long)ri->img[ri->nimg - 1].offset,
				    "no image has the last-image flag "
				    "(indicator bit 7); the chain runs to the "
				    "end of the file");
			return;
		}
		im = &ri->img[ri->nimg];
		if (visible && rom_sig(buf, len, off) != ROM_SIG_PC &&
		    rom_sig(buf, len, off) != 0) {
			if (ri->nimg > 0)
				diag_add_off(d, DIAG_WARN, file, (long long)off,
				    "image without 55 AA before any last-image "
				    "flag; the firmware stops here");
			visible = false;
		}
		if (visible ? rom_read_image(buf, len, file, off, im, d) != 0 :
		    rom_read_hidden(buf, len, file, off, im) != 0)
			return;
		ri->nimg++;
		if (visible)
			ri->nvisible++;
		if (!rom_step(ri, im, &visible, &step) ||
		    im->truncated) {
			ri->end = off + step < len ? off + step : len;
			return;
		}
		ri->end = off + step < len ? off + step : len;
	}
}

/* Data after the last image: padding (all 0x00 or all 0xFF) or not. */
static void
rom_trailing(const uint8_t *buf, size_t len, const char *file,
    struct rom_info *ri, struct diags *d)
{
	uint8_t c;

	if (ri->nimg == 0 || ri->end >= len)
		return;
	ri->trailing = len - ri->end;
	c = buf[ri->end];
	/* All bytes equal: each equals its successor (memcmp is fast). */
	ri->trailing_padding = (c == 0x00 || c == 0xFF) &&
	    memcmp(buf + ri->end, buf + ri->end + 1, ri->trailing - 1) == 0;
	if (ri->trailing_padding)
		diag_add_off(d, DIAG_NOTE, file, (long long)ri->end,
		    "%zu bytes of 0x%02X padding after the last image",
		    ri->trailing, c);
	else if (ri->nv_flash)
		diag_add_off(d, DIAG_NOTE, file, (long long)ri->end,
		    "%zu bytes of flash data after the last image of the ROM "
		    "(the rest of a full-flash dump; the firmware does not "
		    "read it)", ri->trailing);
	else
		diag_add_off(d, DIAG_WARN, file, (long long)ri->end,
		    "%zu bytes of trailing data after the last image "
		    "(not part of the ROM the firmware sees)", ri->trailing);
}

static bool
rom_space(uint8_t c)
{

	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

/*
 * Copies the NUL-terminated string at off (at most 256 bytes) without
 * its leading and trailing white space (CR and LF included: AMD's board
 * names end in spaces and CR LF), then with bytes other than printable
 * ASCII as '?'.  Returns the offset after its NUL, or len when it has none.
 */
static size_t
rom_cstr(const uint8_t *b, size_t len, size_t off, char *dst, size_t dstlen)
{
	size_t end, e, s, n;

	for (end = off; end < len && end - off < 256 && b[end] != '\0'; end++)
		;
	for (s = off; s < end && rom_space(b[s]); s++)
		;
	for (e = end; e > s && rom_space(b[e - 1]); e--)
		;
	for (n = 0; s < e && n + 1 < dstlen; s++)
		dst[n++] = b[s] >= 0x20 && b[s] < 0x7F ? (char)b[s] : '?';
	dst[n] = '\0';
	return (end < len && end - off < 256 && b[end] == '\0' ? end + 1 :
	    len);
}

/* The ATOMBIOS strings: part number, ASIC, bus, memory, then the name. */
static void
rom_atom_strings(const uint8_t *b, size_t len, struct rom_atom *a)
{
	char skip[8], *dst[4];
	size_t dlen[4], p, i, n;

	dst[0] = a->part, dlen[0] = sizeof(a->part);
	dst[1] = a->asic, dlen[1] = sizeof(a->asic);
	dst[2] = a->bus, dlen[2] = sizeof(a->bus);
	dst[3] = a->mem, dlen[3] = sizeof(a->mem);
	if (!rom_has(len, 0x6E, 2) || (n = b[0x2F]) == 0)
		return;
	p = rd16(b + 0x6E);
	for (i = 0; i < n && i < 16 && p < len; i++)
		p = i < 4 ? rom_cstr(b, len, p, dst[i], dlen[i]) :
		    rom_cstr(b, len, p, skip, sizeof(skip));
	if (p >= len)
		return;
	(void)rom_cstr(b, len, p, a->name, sizeof(a->name));
}

/* AMD ATOMBIOS, relative to the first image at base. */
static void
rom_atom(const uint8_t *buf, size_t len, size_t base, const char *file,
    struct rom_atom *a, struct diags *d)
{
	const uint8_t *b;
	size_t h;

	b = buf + base;
	len -= base;
	a->ibm = rom_has(len, 0x1E, 3) && memcmp(b + 0x1E, "IBM", 3) == 0;
	a->magic = rom_has(len, 0x30, 10) &&
	    memcmp(b + 0x30, " 761295520", 10) == 0;
	if (!a->magic || !rom_has(len, 0x48, 2))
		return;
	h = rd16(b + 0x48);
	if (!rom_has(len, h, 0x1C) || (memcmp(b + h + 4, "ATOM", 4) != 0 &&
	    memcmp(b + h + 4, "MOTA", 4) != 0)) {
		diag_add_off(d, DIAG_WARN, file, (long long)(base + 0x48),
		    "AMD ROM marker found, but the pointer at 0x48 (0x%zx) "
		    "does not lead to an ATOM ROM header", h);
		return;
	}
	a->present = true;
	a->hdr = h;
	a->subvendor = rd16(b + h + 0x18);
	a->subdevice = rd16(b + h + 0x1A);
	if (rom_has(len, 0x50, 14) && b[0x50 + 2] == '/') {
		memcpy(a->date, b + 0x50, 14);
		a->date[14] = '\0';
		for (h = 0; h < 14; h++)
			if (a->date[h] < 0x20 || a->date[h] >= 0x7F)
				a->date[h] = '?';
	}
	rom_atom_strings(b, len, a);
}

static void
rom_reason(struct rom_info *ri, const char *why)
{

	if (ri->nreasons < ROM_MAXREASONS)
		ri->reasons[ri->nreasons++] = why;
}

/* Usable by bhyve's UEFI: a 55 AA image at 0 and a loadable X64 image. */
static void
rom_verdict(struct rom_info *ri)
{
	unsigned cls;
	size_t i;
	bool efi;

	for (efi = false, i = 0; i < ri->nvisible; i++) {
		if (ri->img[i].code_type != ROM_CODE_EFI)
			continue;
		efi = true;
		if (ri->img[i].efi.loadable && ri->efi_x64 < 0)
			ri->efi_x64 = (int)i;
	}
	if (ri->nimg == 0)
		rom_reason(ri, "no valid option ROM image was found");
	else if (ri->junk > 0 && ri->nv_flash)
		rom_reason(ri, "this is a full-flash dump: the IFR area and "
		    "FwSec images come before the ROM, and the firmware looks "
		    "only at offset 0; \"ptvm rom trim\" cuts the file where "
		    "the ROM starts");
	else if (ri->junk > 0)
		rom_reason(ri, "the ROM does not start at offset 0 (a header "
		    "precedes it) and the firmware looks only there; "
		    "\"ptvm rom trim\" removes the header");
	else if (ri->nvisible == 0)
		rom_reason(ri, "the first image does not start with 55 AA");
	cls = ri->nvisible > 0 ? ri->img[0].class >> 16 : 0;
	if (ri->nimg > 0 && ri->efi_x64 < 0)
		rom_reason(ri, efi ? "no EFI image the firmware can load on "
		    "X64 (see the EFI machine type, subsystem and compression)" :
		    cls == 0x03 ? "no EFI (GOP) image: bhyve's UEFI runs only "
		    "EFI drivers, not the legacy x86 VGA BIOS" : cls == 0x02 ?
		    "no EFI image (UEFI network driver): bhyve's UEFI runs only "
		    "EFI drivers, not a legacy x86 PXE boot ROM" :
		    "no EFI image: bhyve's UEFI runs only EFI drivers, not "
		    "legacy x86 code");
	ri->usable = ri->nreasons == 0;
}

int
rom_parse(const uint8_t *buf, size_t len, const char *file,
    struct rom_info *ri, struct diags *d)
{
	int before;

	before = d->nerrors;
	memset(ri, 0, sizeof(*ri));
	ri->size = len;
	ri->efi_x64 = -1;
	if (len == 0)
		diag_add_off(d, DIAG_ERROR, file, 0, "the file is empty");
	else {
		rom_find_start(buf, len, ri);
		if (ri->junk > 0)
			diag_add_off(d, DIAG_WARN, file, 0,
			    "%zu bytes of %s before the ROM at 0x%zx; "
			    "\"ptvm rom trim\" removes them", ri->junk,
			    ri->junk_kind, ri->junk);
		rom_walk(buf, len, file, ri, d);
		rom_trailing(buf, len, file, ri, d);
		if (ri->nimg > 0)
			rom_atom(buf, len, ri->junk, file, &ri->atom, d);
	}
	rom_verdict(ri);
	ri->nerrors = d->nerrors - before;
	return (ri->usable ? 0 : -1);
}

bool
rom_image_matches(const struct rom_image *im, uint16_t vendor,
    uint16_t device)
{
	size_t i;

	if (im->vendor != vendor && im->vendor != 0xFFFF)
		return (false);
	if (im->device == device || im->device == 0xFFFF)
		return (true);
	for (i = 0; i < im->ndevlist; i++)
		if (im->devlist[i] == device)
			return (true);
	return (false);
}

/* Whether an image names a device: 0000:0000 without a list does not. */
static bool
rom_names_ids(const struct rom_image *im)
{

	return (im->vendor != 0 || im->device != 0 || im->ndevlist > 0);
}

int
rom_check_device(const struct rom_info *ri, const struct pci_dev *dev,
    const char *file, struct rom_match *m, struct diags *d)
{
	const struct rom_image *im;
	const struct rom_atom *a;
	size_t i;
	bool x86;

	memset(m, 0, sizeof(*m));
	for (x86 = false, i = 0; i < ri->nvisible; i++)
		if (ri->img[i].code_type == ROM_CODE_X86)
			x86 = true;
	for (i = 0; i < ri->nvisible; i++) {
		im = &ri->img[i];
		if ((im->code_type != ROM_CODE_X86 &&
		    im->code_type != ROM_CODE_EFI) || !rom_names_ids(im))
			continue;
		if (im->code_type == ROM_CODE_EFI && x86) {
			if (rom_image_matches(im, dev->vendor, dev->device))
				continue;
			m->efi_ids++;
			diag_add_off(d, DIAG_WARN, file, (long long)im->pcir,
			    "the EFI image's PCIR names %04x:%04x, the device "
			    "is %04x:%04x; bhyve's UEFI loads it without "
			    "comparing IDs (EDK2 ProcessOpRomImage), the driver "
			    "in it decides", im->vendor, im->device,
			    dev->vendor, dev->device);
			continue;
		}
		if (!m->stated) {
			m->stated = true;
			m->vendor = im->vendor;
			m->device = im->device;
		}
		if (rom_image_matches(im, dev->vendor, dev->device))
			continue;
		m->ids++;
		diag_add_off(d, DIAG_ERROR, file, (long long)im->pcir,
		    "%s image is for %04x:%04x%s, the device is %04x:%04x: "
		    "the ROM is not for this device",
		    rom_code_type_name(im->code_type), im->vendor, im->device,
		    im->ndevlist > 0 ? " (and its device list)" : "",
		    dev->vendor, dev->device);
	}
	a = &ri->atom;
	if (!a->present || dev->vendor != 0x1002 || dev->subvendor == 0 ||
	    (a->subvendor == 0x1002 && a->subdevice == 0x1002))
		return (m->ids);
	if (a->subvendor != dev->subvendor || a->subdevice != dev->subdevice) {
		m->subsys++;
		diag_add_off(d, DIAG_WARN, file,
		    (long long)(ri->junk + a->hdr + 0x18),
		    "ATOM subsystem %04x:%04x differs from the board's "
		    "%04x:%04x: a VBIOS of another board", a->subvendor,
		    a->subdevice, dev->subvendor, dev->subdevice);
	}
	return (m->ids);
}

int
rom_trim_offset(const uint8_t *buf, size_t len, size_t *off)
{
	size_t first, probes, a;

	probes = 0;
	a = rom_x86_start(buf, len, &first, &probes);
	if (a >= len)
		return (-1);
	*off = a;
	return (0);
}

static bool
rom_digits(const char *s, size_t n, size_t min, size_t max)
{
	size_t i;

	if (n < min || n > max)
		return (false);
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return (false);
	return (true);
}

static unsigned
rom_num(const char *s, size_t n)
{
	unsigned v;
	size_t i;

	for (v = 0, i = 0; i < n; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return (v);
}

/* Vendor.Model.<VRAM MiB>.<yymmdd>.rom; the model may contain dots. */
int
rom_tpu_name(const char *path, struct rom_tpu *t)
{
	const char *b, *d1, *dv, *dd, *de;

	memset(t, 0, sizeof(*t));
	b = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	if ((de = strrchr(b, '.')) == NULL || (strcasecmp(de, ".rom") != 0 &&
	    strcasecmp(de, ".bin") != 0))
		return (-1);
	for (dd = de - 1; dd > b && *dd != '.'; dd--)
		;
	for (dv = dd - 1; dv > b && *dv != '.'; dv--)
		;
	d1 = strchr(b, '.');
	if (dv <= b || d1 == NULL || d1 >= dv || d1 == b || dv - d1 < 2 ||
	    !rom_digits(dv + 1, (size_t)(dd - dv - 1), 1, 7) ||
	    !rom_digits(dd + 1, (size_t)(de - dd - 1), 6, 6) ||
	    (size_t)(d1 - b) >= sizeof(t->vendor) ||
	    (size_t)(dv - d1 - 1) >= sizeof(t->model))
		return (-1);
	t->vram_mib = rom_num(dv + 1, (size_t)(dd - dv - 1));
	t->year = 2000 + rom_num(dd + 1, 2);
	t->month = rom_num(dd + 3, 2);
	t->day = rom_num(dd + 5, 2);
	if (t->vram_mib == 0 || t->month < 1 || t->month > 12 || t->day < 1 ||
	    t->day > 31)
		return (-1);
	memcpy(t->vendor, b, (size_t)(d1 - b));
	memcpy(t->model, d1 + 1, (size_t)(dv - d1 - 1));
	return (0);
}

/*
 * ACPI VFCT: the 36-byte ACPI header, a UUID, the offset of the first
 * image; each image is a 28-byte header (bus, device, function, IDs,
 * revision, length) followed by the VBIOS.
 */
static void
vfct_header(const uint8_t *buf, size_t len, const char *file,
    struct vfct_info *vi, struct diags *d)
{
	size_t i;
	uint8_t sum;

	vi->length = rd32(buf + 4);
	vi->revision = buf[8];
	memcpy(vi->oem, buf + 10, 6);
	memcpy(vi->oem_table, buf + 16, 8);
	for (i = 0; i < 6; i++)
		if (vi->oem[i] != '\0' && (vi->oem[i] < 0x20 || vi->oem[i] > 0x7E))
			vi->oem[i] = '?';
	for (i = 0; i < 8; i++)
		if (vi->oem_table[i] != '\0' &&
		    (vi->oem_table[i] < 0x20 || vi->oem_table[i] > 0x7E))
			vi->oem_table[i] = '?';
	if (vi->length > len)
		diag_add_off(d, DIAG_ERROR, file, 4, "table length %u exceeds "
		    "the file size %zu: the table is truncated", vi->length,
		    len);
	else if (vi->length < VFCT_HDRLEN)
		diag_add_off(d, DIAG_ERROR, file, 4, "table length %u is "
		    "shorter than the VFCT header (%d)", vi->length,
		    VFCT_HDRLEN);
	else {
		for (sum = 0, i = 0; i < vi->length; i++)
			sum = (uint8_t)(sum + buf[i]);
		vi->checksum_ok = sum == 0;
		if (!vi->checksum_ok)
			diag_add_off(d, DIAG_ERROR, file, 9, "table checksum "
			    "is bad (byte sum 0x%02x, expected 0)", sum);
	}
}

static void
vfct_image(const uint8_t *t, size_t off, struct vfct_image *im)
{

	im->offset = off;
	im->data = off + VFCT_IMGHDRLEN;
	im->bus = rd32(t + off);
	im->dev = rd32(t + off + 4);
	im->func = rd32(t + off + 8);
	im->vendor = rd16(t + off + 12);
	im->device = rd16(t + off + 14);
	im->subvendor = rd16(t + off + 16);
	im->subdevice = rd16(t + off + 18);
	im->revision = rd32(t + off + 20);
	im->length = rd32(t + off + 24);
}

static void
vfct_images(const uint8_t *buf, size_t tlen, const char *file,
    struct vfct_info *vi, struct diags *d)
{
	struct vfct_image *im;
	size_t off;

	off = rd32(buf + 52);
	if (off < VFCT_HDRLEN || off > tlen) {
		diag_add_off(d, DIAG_ERROR, file, 52, "VBIOS image offset %zu "
		    "is outside the table", off);
		return;
	}
	while (rom_has(tlen, off, VFCT_IMGHDRLEN)) {
		if (vi->nimg == VFCT_MAXIMAGES) {
			diag_add_off(d, DIAG_WARN, file, (long long)off,
			    "more than %d images; the rest is ignored",
			    VFCT_MAXIMAGES);
			return;
		}
		im = &vi->img[vi->nimg];
		vfct_image(buf, off, im);
		if (!rom_has(tlen, im->data, im->length)) {
			diag_add_off(d, DIAG_ERROR, file, (long long)off + 24,
			    "image length %u runs past the end of the table",
			    im->length);
			return;
		}
		if (im->length == 0)
			diag_add_off(d, DIAG_NOTE, file, (long long)off,
			    "image for %04x:%04x is empty", im->vendor,
			    im->device);
		else
			vi->nimg++;
		off = im->data + im->length;
	}
	if (vi->nimg == 0)
		diag_add_off(d, DIAG_ERROR, file, 52, "the table has no VBIOS "
		    "image");
}

int
vfct_parse(const uint8_t *buf, size_t len, const char *file,
    struct vfct_info *vi, struct diags *d)
{
	int before;

	before = d->nerrors;
	memset(vi, 0, sizeof(*vi));
	if (len < 4 || memcmp(buf, "VFCT", 4) != 0) {
		diag_add_off(d, DIAG_ERROR, file, 0, "VFCT signature missing: "
		    "not an ACPI VFCT table");
		return (-1);
	}
	if (len < VFCT_HDRLEN) {
		diag_add_off(d, DIAG_ERROR, file, 0, "file too short for a "
		    "VFCT table (%zu bytes, %d needed)", len, VFCT_HDRLEN);
		return (-1);
	}
	vfct_header(buf, len, file, vi, d);
	if (vi->length >= VFCT_HDRLEN)
		vfct_images(buf, vi->length < len ? vi->length : len, file,
		    vi, d);
	return (d->nerrors > before ? -1 : 0);
}
