/*
 * rom_test.c: the option ROM and VFCT parsers, on real ROMs and on ROMs
 * assembled here.
 */
#include "compat.h"

#include <sys/stat.h>

#include <atf-c.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pci.h"
#include "rom.h"
#include "rombar.h"

#ifndef TOP
#define TOP "."
#endif
#define DATA	TOP "/tests/data/roms/"

/* A synthetic image; zero fields take the defaults noted. */
struct tim {
	uint16_t	 sig;		/* 0: 0xAA55 */
	uint8_t		 code;
	uint16_t	 vendor;
	uint16_t	 device;
	uint8_t		 units;		/* 0: 1 (512 bytes) */
	bool		 last;
	uint16_t	 pcir;		/* 0: 0x1A0 */
	uint8_t		 pcir_rev;	/* 0: 3 */
	const uint16_t	*devlist;	/* 0-terminated, or NULL */
	uint16_t	 machine;	/* EFI; 0: X64 */
	uint16_t	 subsys;	/* EFI; 0: 11 */
	uint16_t	 comp;		/* EFI compression */
	bool		 no_mz;
	bool		 no_efisig;
	bool		 atom;
	uint16_t	 ssv;
	uint16_t	 ssd;
	bool		 npde;
	uint8_t		 npde_units;
	bool		 npde_last;
	bool		 bad_sum;
	uint32_t	 cls;		/* 0: 0x030000 (display) */
};

static void
put16(uint8_t *p, uint16_t v)
{

	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *p, uint32_t v)
{

	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void
tim_atom(uint8_t *b, const struct tim *t)
{
	static const char strs[] = "113-D7020100-102\0NAVI33\0PCI_EXPRESS\0"
	    "GDDR6\0\r\nAMD RADEON RX 7600   ";

	memcpy(b + 0x1E, "IBM", 3);
	b[0x2F] = 4;
	memcpy(b + 0x30, " 761295520", 10);
	put16(b + 0x48, 0x110);
	memcpy(b + 0x50, "01/04/23 10:27", 14);
	put16(b + 0x6E, 0x140);
	memcpy(b + 0x114, "ATOM", 4);
	put16(b + 0x110 + 0x18, t->ssv);
	put16(b + 0x110 + 0x1A, t->ssd);
	memcpy(b + 0x140, strs, sizeof(strs));
}

static void
tim_efi(uint8_t *b, const struct tim *t)
{

	if (!t->no_efisig)
		put32(b + 4, 0x0EF1);
	put16(b + 8, t->subsys != 0 ? t->subsys : 11);
	put16(b + 0x0A, t->machine != 0 ? t->machine : ROM_EFI_X64);
	put16(b + 0x0C, t->comp);
	put16(b + 0x16, 0x100);
	if (!t->no_mz)
		memcpy(b + 0x100, "MZ", 2);
}

static void
tim_pcir(uint8_t *b, const struct tim *t, size_t units)
{
	uint8_t *r;
	size_t i;

	r = b + (t->pcir != 0 ? t->pcir : 0x1A0);
	memcpy(r, "PCIR", 4);
	put16(r + 4, t->vendor);
	put16(r + 6, t->device);
	put16(r + 0x0A, 0x1C);
	r[0x0C] = t->pcir_rev != 0 ? t->pcir_rev : 3;
	r[0x0D] = (uint8_t)t->cls;
	r[0x0E] = (uint8_t)(t->cls >> 8);
	r[0x0F] = t->cls != 0 ? (uint8_t)(t->cls >> 16) : 0x03;
	put16(r + 0x10, (uint16_t)units);
	r[0x14] = t->code;
	r[0x15] = t->last ? 0x80 : 0;
	if (t->devlist != NULL) {
		put16(r + 8, 0x30);
		for (i = 0; t->devlist[i] != 0; i++)
			put16(r + 0x30 + 2 * i, t->devlist[i]);
	}
	if (t->npde) {
		memcpy(b + 0x1C0, "NPDE", 4);
		put16(b + 0x1C8, t->npde_units);
		b[0x1CA] = t->npde_last ? 0x80 : 0;
	}
}

/* Writes the image at buf + off; returns the offset after it. */
static size_t
tim_put(uint8_t *buf, size_t off, const struct tim *t)
{
	uint8_t *b, sum;
	size_t units, i;

	b = buf + off;
	units = t->units != 0 ? t->units : 1;
	memset(b, 0, units * 512);
	put16(b, t->sig != 0 ? t->sig : 0xAA55);
	b[2] = (uint8_t)units;
	put16(b + 0x18, t->pcir != 0 ? t->pcir : 0x1A0);
	if (t->atom)
		tim_atom(b, t);
	if (t->code == ROM_CODE_EFI)
		tim_efi(b, t);
	tim_pcir(b, t, units);
	if (t->code == ROM_CODE_X86) {
		for (sum = 0, i = 0; i < units * 512; i++)
			sum = (uint8_t)(sum + b[i]);
		b[units * 512 - 1] = (uint8_t)(-sum + (t->bad_sum ? 1 : 0));
	}
	return (off + units * 512);
}

static bool
has_diag(struct diags *d, enum diag_level lvl, long long off, const char *s)
{
	struct diag *x;

	STAILQ_FOREACH(x, &d->head, entry)
		if (x->level == lvl && (off < 0 || x->offset == off) &&
		    strstr(x->msg, s) != NULL)
			return (true);
	return (false);
}

static void
dump_diags(struct diags *d)
{
	struct diag *x;

	STAILQ_FOREACH(x, &d->head, entry)
		fprintf(stderr, "diag: %s @%lld: %s\n",
		    diag_level_name(x->level), x->offset, x->msg);
}

#define ASSERT_DIAG(d, l, o, s) do {					\
	if (!has_diag((d), (l), (o), (s)))				\
		dump_diags(d);						\
	ATF_REQUIRE_MSG(has_diag((d), (l), (o), (s)),			\
	    "missing diagnostic \"%s\" at %lld", (s), (long long)(o));	\
} while (0)

static uint8_t *
load(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL || fstat(fileno(fp), &st) != 0)
		atf_tc_fail("cannot open %s", path);
	buf = malloc((size_t)st.st_size + 1);
	ATF_REQUIRE(buf != NULL);
	*len = fread(buf, 1, (size_t)st.st_size, fp);
	ATF_REQUIRE(*len == (size_t)st.st_size);
	fclose(fp);
	return (buf);
}

/*
 * The synthetic ROMs of tests/data/roms/ (SOURCES), made here so that
 * their layout is written down: synthetic_roms_current compares the files
 * with what these functions make, and rewrites them with
 * PTVM_ROMGEN_WRITE=1 (make golden).
 */

/* 16-bit LCG bytes: deterministic filler that is not padding. */
static void
gen_fill(uint8_t *b, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (uint8_t)(seed >> 16);
	}
}

/*
 * One NVIDIA image: signature, PCIR (or NPDS) at ptr with the IDs,
 * length and flags, and an NPDE when npde_rev is not 0 (16-byte aligned
 * after the PCIR, as nouveau's nvbios_npdeTe finds it).
 */
struct nvim {
	size_t		 off;
	uint16_t	 sig;
	uint16_t	 ptr;
	const char	*pcir;
	uint16_t	 vendor;
	uint16_t	 device;
	uint8_t		 rev;
	uint16_t	 hdrlen;
	uint32_t	 cls;
	uint16_t	 units;
	uint8_t		 type;
	uint8_t		 ind;
	uint16_t	 npde_rev;
	uint16_t	 npde_len;
	uint8_t		 npde_flags;
};

static void
gen_nvimage(uint8_t *buf, const struct nvim *m)
{
	uint8_t *b, *r, *e;

	b = buf + m->off;
	put16(b, m->sig);
	put16(b + 0x18, m->ptr);
	r = b + m->ptr;
	memset(r, 0, 0x18);
	memcpy(r, m->pcir, 4);
	put16(r + 4, m->vendor);
	put16(r + 6, m->device);
	put16(r + 0x0A, m->hdrlen);
	r[0x0C] = m->rev;
	r[0x0D] = (uint8_t)m->cls;
	r[0x0E] = (uint8_t)(m->cls >> 8);
	r[0x0F] = (uint8_t)(m->cls >> 16);
	put16(r + 0x10, m->units);
	put16(r + 0x12, m->cls != 0 ? 1 : 0);	/* code revision, as there */
	r[0x14] = m->type;
	r[0x15] = m->ind;
	if (m->npde_rev == 0)
		return;
	e = b + ((m->ptr + m->hdrlen + 0x0F) & ~0x0F);
	memset(e, 0, 0x10);
	memcpy(e, "NPDE", 4);
	put16(e + 4, m->npde_rev);
	put16(e + 6, m->npde_len);
	put16(e + 8, m->units);
	e[0x0A] = m->npde_flags;
}

#define NVF_LEN		0x143C00
/*
 * A full-flash dump of a GeForce RTX 5060 Ti (Blackwell, 10de:2d04) as
 * the 16 MiB flash holds it, with the offsets, lengths, PCIR and NPDE
 * fields of Asus.RTX5060Ti.16384.250318_2.rom (gjbauer/GPU-vBIOS); the
 * code and data are filler.  An IFR area (0x0-0x34200) with 55 AA decoys,
 * two FwSec images (0xE0, no NPDE), then the ROM the GPU exposes: PC-AT
 * (NPDE, not last), EFI (PCIR 0000:0000, last, its NPDE not last), a
 * FwSec image and an "NV"/NPDS FwSec image whose NPDE is the last; then
 * more of the flash: two FwSec images of another device ID.
 */
static size_t
gen_nvflash(uint8_t *buf)
{
	static const struct nvim im[] = {
		{ 0x34200, 0xAA55, 0x4e4, "PCIR", 0x10de, 0x2d04, 3, 0x1c,
		    0x030000, 5, 0xE0, 0, 0, 0, 0 },
		{ 0x34c00, 0xAA55, 0x55c, "PCIR", 0x10de, 0x2d04, 3, 0x1c,
		    0x030000, 4, 0xE0, 0, 0, 0, 0 },
		{ 0x35400, 0xAA55, 0xca0, "PCIR", 0x10de, 0x2d04, 0, 0x18,
		    0x030000, 125, 0x00, 0, 0x101, 0x14, 0 },
		{ 0x44e00, 0xAA55, 0x520, "PCIR", 0, 0, 3, 0x1c, 0, 192,
		    0x03, 0x80, 0x100, 0x10, 0 },
		{ 0x5ce00, 0xAA55, 0x1cd0, "PCIR", 0x10de, 0x2d00, 3, 0x1c,
		    0, 125, 0xE0, 0, 0x101, 0x14, 0 },
		{ 0x6c800, 0x4E56, 0x20, "NPDS", 0x10de, 0x2d00, 3, 0x1c, 0,
		    1270, 0xE0, 0x80, 0x101, 0x14, 0x80 },
		{ 0x10b400, 0xAA55, 0x4e4, "PCIR", 0x10de, 0x2b80, 3, 0x1c,
		    0x030000, 107, 0xE0, 0, 0, 0, 0 },
		{ 0x118a00, 0xAA55, 0x4e4, "PCIR", 0x10de, 0x2b80, 3, 0x1c,
		    0x030000, 345, 0xE0, 0, 0, 0, 0 },
	};
	uint8_t *b, sum;
	size_t i;

	memset(buf, 0xFF, NVF_LEN);
	/* The IFR area: a marker, "NVFW" at 0x1000, data with decoys. */
	memcpy(buf, "\x4c\xc0\xe0\x0c", 4);
	memcpy(buf + 0x1000, "NVFW", 4);
	gen_fill(buf + 0x1400, 0xa00, 1);
	gen_fill(buf + 0x2000, 0x31d40, 2);
	for (i = 0x2001; i < 0x33000; i += 0x1001) {
		buf[i] = 0x55;			/* 55 AA, odd offsets */
		buf[i + 1] = 0xAA;
	}
	for (i = 0; i < sizeof(im) / sizeof(im[0]); i++) {
		b = buf + im[i].off;
		memset(b, 0, 0x20);
		gen_fill(b + 0x20, (size_t)im[i].units * 512 - 0x20,
		    (uint32_t)(10 + i));
		gen_nvimage(buf, &im[i]);
	}
	/* PC-AT: "VIDEO", the BIT header, size 125 and a zero checksum. */
	b = buf + 0x35400;
	b[2] = 125;
	memcpy(b + 0x0E, "VIDEO", 5);
	memcpy(b + 0xdf0, "\xff\xb8" "BIT\0", 6);
	for (sum = 0, i = 0; i < 125 * 512 - 1; i++)
		sum = (uint8_t)(sum + b[i]);
	b[125 * 512 - 1] = (uint8_t)-sum;
	/* EFI: 0x0EF1, boot service driver, X64, compressed, at 0x550. */
	b = buf + 0x44e00;
	put16(b + 2, 192);
	put32(b + 4, 0x0EF1);
	put16(b + 8, 11);
	put16(b + 0x0A, ROM_EFI_X64);
	put16(b + 0x0C, 1);
	put16(b + 0x16, 0x550);
	return (NVF_LEN);
}

/*
 * An AMD APU VBIOS as amd/firmware_binaries ships them (Cezanne's
 * CezanneGenericVbios.bin: the strings and their layout; the code is
 * filler): one x86 image, 1002:1638, generic subsystem 1002:1002, and
 * the board name followed by 55 spaces, CR LF and NUL.
 */
static size_t
gen_apu(uint8_t *buf)
{
	static const char strs[] = "113-CEZANNE-021\0RENOIR\0PCI_EXPRESS\0"
	    "0\0\r\nCezanne Generic VBIOS                                   "
	    "                    \r\n\0\r\n \r\n\0"
	    "(C) 1988-2018, Advanced Micro Devices, Inc.\0";
	struct tim x = { .vendor = 0x1002, .device = 0x1638, .units = 2,
	    .last = true, .pcir = 0x3A0, .pcir_rev = 0 };
	uint8_t *b, sum;
	size_t i, n;

	memset(buf, 0, 1024);
	n = tim_put(buf, 0, &x);
	b = buf;
	memcpy(b + 0x1E, "IBM", 3);
	b[0x2F] = 4;
	memcpy(b + 0x30, " 761295520", 10);
	put16(b + 0x48, 0x188);
	memcpy(b + 0x50, "02/23/22,06:21", 14);
	put16(b + 0x6E, 0x70);
	memcpy(b + 0x70, strs, sizeof(strs));
	memcpy(b + 0x188 + 4, "ATOM", 4);
	put16(b + 0x188 + 0x18, 0x1002);
	put16(b + 0x188 + 0x1A, 0x1002);
	for (sum = 0, i = 0; i < n - 1; i++)
		sum = (uint8_t)(sum + b[i]);
	b[n - 1] = (uint8_t)-sum;
	return (n);
}

/*
 * A discrete AMD board's ROM: x86 image with the ATOM header of a
 * Sapphire RX 7600 (1002:7480, subsystem 1da2:e452, the guide's board)
 * and an X64 EFI GOP image: usable by bhyve's UEFI.
 */
static size_t
gen_rx7600(uint8_t *buf)
{
	struct tim x = { .vendor = 0x1002, .device = 0x7480, .atom = true,
	    .ssv = 0x1da2, .ssd = 0xe452 };
	struct tim e = { .code = ROM_CODE_EFI, .vendor = 0x1002,
	    .device = 0x7480, .last = true };

	return (tim_put(buf, tim_put(buf, 0, &x), &e));
}

/*
 * The same chain in 4 KiB, the fuzzer's seed (fuzz/seeds/rom/): IFR,
 * two FwSec images, then PC-AT, EFI (0000:0000, last, NPDE on), FwSec
 * and NPDS with the last NPDE, each one 512-byte unit.
 */
static size_t
gen_nvflash_small(uint8_t *buf)
{
	static const struct nvim im[] = {
		{ 0x400, 0xAA55, 0x100, "PCIR", 0x10de, 0x2d04, 3, 0x1c,
		    0x030000, 1, 0xE0, 0, 0, 0, 0 },
		{ 0x600, 0xAA55, 0x100, "PCIR", 0x10de, 0x2d04, 3, 0x1c,
		    0x030000, 1, 0xE0, 0, 0, 0, 0 },
		{ 0x800, 0xAA55, 0x100, "PCIR", 0x10de, 0x2d04, 0, 0x18,
		    0x030000, 1, 0x00, 0, 0x101, 0x14, 0 },
		{ 0xa00, 0xAA55, 0x100, "PCIR", 0, 0, 3, 0x1c, 0, 1,
		    0x03, 0x80, 0x100, 0x10, 0 },
		{ 0xc00, 0xAA55, 0x100, "PCIR", 0x10de, 0x2d00, 3, 0x1c, 0, 1,
		    0xE0, 0, 0x101, 0x14, 0 },
		{ 0xe00, 0x4E56, 0x20, "NPDS", 0x10de, 0x2d00, 3, 0x1c, 0, 1,
		    0xE0, 0x80, 0x101, 0x14, 0x80 },
	};
	uint8_t *b, sum;
	size_t i;

	memset(buf, 0xFF, 0x1000);
	memcpy(buf + 0x100, "NVFW", 4);
	for (i = 0; i < sizeof(im) / sizeof(im[0]); i++) {
		memset(buf + im[i].off, 0, 512);
		gen_nvimage(buf, &im[i]);
	}
	b = buf + 0x800;
	b[2] = 1;
	for (sum = 0, i = 0; i < 511; i++)
		sum = (uint8_t)(sum + b[i]);
	b[511] = (uint8_t)-sum;
	b = buf + 0xa00;
	put16(b + 2, 1);
	put32(b + 4, 0x0EF1);
	put16(b + 8, 11);
	put16(b + 0x0A, ROM_EFI_X64);
	put16(b + 0x16, 0x40);
	memcpy(b + 0x40, "MZ", 2);
	return (0x1000);
}

/* Parses buf into ri with fresh diagnostics in d. */
static int
parse(const uint8_t *buf, size_t len, struct rom_info *ri, struct diags *d)
{

	diags_init(d);
	return (rom_parse(buf, len, "t.rom", ri, d));
}

ATF_TC_WITHOUT_HEAD(real_seabios_stdvga_is_legacy_only);
ATF_TC_BODY(real_seabios_stdvga_is_legacy_only, tc)
{
	struct rom_info ri;
	struct diags d;
	uint8_t *buf;
	size_t len;

	buf = load(DATA "vgabios-stdvga.bin", &len);
	ATF_CHECK_EQ(parse(buf, len, &ri, &d), -1);
	ATF_REQUIRE_EQ(ri.nimg, 1);
	ATF_CHECK_EQ(ri.img[0].vendor, 0x1234);
	ATF_CHECK_EQ(ri.img[0].device, 0x1111);
	ATF_CHECK_EQ(ri.img[0].class, 0x030000);
	ATF_CHECK_EQ(ri.img[0].code_type, ROM_CODE_X86);
	ATF_CHECK(ri.img[0].last);
	ATF_CHECK(ri.img[0].checksum_ok);
	ATF_CHECK_EQ(ri.img[0].length, len);
	ATF_CHECK_EQ(ri.junk, 0);
	ATF_CHECK_EQ(ri.nerrors, 0);
	ATF_CHECK(!ri.usable);
	ATF_REQUIRE_EQ(ri.nreasons, 1);
	ATF_CHECK(strstr(ri.reasons[0], "no EFI (GOP) image") != NULL);
	diags_free(&d);
	free(buf);
}

ATF_TC_WITHOUT_HEAD(real_ipxe_virtio_is_usable);
ATF_TC_BODY(real_ipxe_virtio_is_usable, tc)
{
	struct rom_info ri;
	struct diags d;
	uint8_t *buf;
	size_t len;

	buf = load(DATA "efi-virtio.rom", &len);
	ATF_CHECK_EQ(parse(buf, len, &ri, &d), 0);
	ATF_REQUIRE_EQ(ri.nimg, 2);
	ATF_CHECK_EQ(ri.img[0].code_type, ROM_CODE_X86);
	ATF_CHECK_EQ(ri.img[0].pcir_rev, 3);
	ATF_REQUIRE_EQ(ri.img[0].ndevlist, 1);
	ATF_CHECK_EQ(ri.img[0].devlist[0], 0x1041);
	ATF_CHECK(ri.img[0].checksum_ok);
	ATF_CHECK(!ri.img[0].last);
	ATF_CHECK_EQ(ri.img[1].offset, ri.img[0].length);
	ATF_CHECK_EQ(ri.img[1].code_type, ROM_CODE_EFI);
	ATF_CHECK_EQ(ri.img[1].vendor, 0x1af4);
	ATF_CHECK_EQ(ri.img[1].device, 0x1041);
	ATF_CHECK(ri.img[1].efi.present);
	ATF_CHECK_EQ(ri.img[1].efi.machine, ROM_EFI_X64);
	ATF_CHECK_EQ(ri.img[1].efi.subsystem, 11);
	ATF_CHECK_EQ(ri.img[1].efi.compression, 0);
	ATF_CHECK(ri.img[1].efi.mz);
	ATF_CHECK(ri.img[1].last);
	ATF_CHECK_EQ(ri.efi_x64, 1);
	ATF_CHECK(ri.usable);
	ATF_CHECK_EQ(d.nerrors + d.nwarnings, 0);
	diags_free(&d);
	free(buf);
}

ATF_TC_WITHOUT_HEAD(real_isavga_is_not_a_pci_rom);
ATF_TC_BODY(real_isavga_is_not_a_pci_rom, tc)
{
	struct rom_info ri;
	struct diags d;
	uint8_t *buf;
	size_t len;

	buf = load(DATA "vgabios-isavga.bin", &len);
	ATF_CHECK_EQ(parse(buf, len, &ri, &d), -1);
	ATF_CHECK_EQ(ri.nimg, 0);
	ASSERT_DIAG(&d, DIAG_ERROR, 0x18, "PCIR pointer is 0");
	ATF_CHECK(strstr(ri.reasons[0], "no valid option ROM image") != NULL);
	diags_free(&d);
	free(buf);
}

ATF_TC_WITHOUT_HEAD(real_fwupd_bad_checksum_warns);
ATF_TC_BODY(real_fwupd_bad_checksum_warns, tc)
{
	struct rom_info ri;
	struct diags d;
	uint8_t *buf;
	size_t len;

	buf = load(DATA "fwupd-header-data-payload.rom", &len);
	(void)parse(buf, len, &ri, &d);
	ATF_REQUIRE_EQ(ri.nimg, 1);
	ATF_CHECK(!ri.img[0].checksum_ok);
	ATF_CHECK_EQ(ri.img[0].checksum, 0xda);
	ASSERT_DIAG(&d, DIAG_WARN, 0, "x86 image checksum is bad");
	ATF_CHECK_EQ(d.nerrors, 0);
	diags_free(&d);
	free(buf);
}

ATF_TC_WITHOUT_HEAD(real_fwupd_nvgi_header_detected_and_trimmed);
ATF_TC_BODY(real_fwupd_nvgi_header_detected_and_trimmed, tc)
{
	struct rom_info ri;
	struct diags d;
	uint8_t *buf;
	size_t len, off;

	buf = load(DATA "fwupd-ifr-header-data-payload.rom", &len);
	ATF_CHECK_EQ(parse(buf, len, &ri, &d), -1);
	ATF_CHECK_EQ(ri.junk, 0x80);
	ATF_CHECK_STREQ(ri.junk_kind, "NVIDIA IFR (NVGI) header");
	ATF_REQUIRE_EQ(ri.nimg, 1);
	ATF_CHECK_EQ(ri.img[0].offset, 0x80);
	ASSERT_DIAG(&d, DIAG_WARN, 0, "128 bytes of NVIDIA IFR (NVGI) header");
	ATF_CHECK(strstr(ri.reasons[0], "does not start at offset 0") != NULL);
	ATF_REQUIRE_EQ(rom_trim_offset(buf, len, &off), 0);
	ATF_CHECK_EQ(off, 0x80);
	diags_free(&d);
	free(buf);
}

/* Every ROM of Debian's seabios package, where installed. */
ATF_TC_WITHOUT_HEAD(debian_seabios_vga_roms);
ATF_TC_BODY(debian_seabios_vga_roms, tc)
{
	struct rom_info ri;
	struct diags d;
	struct dirent *e;
	char path[512];
	uint8_t *buf;
	size_t len;
	DIR *dp;
	int n;

	if ((dp = opendir("/usr/share/seabios")) == NULL)
		atf_tc_skip("seabios is not installed");
	for (n = 0; (e = readdir(dp)) != NULL; ) {
		if (strncmp(e->d_name, "vgabios-", 8) != 0)
			continue;
		snprintf(path, sizeof(path), "/usr/share/seabios/%s",
		    e->d_name);
		buf = load(path, &len);
		(void)parse(buf, len, &ri, &d);
		/* isavga, ramfb: ISA-style ROMs without a PCIR. */
		if (len > 0x1A && buf[0x18] == 0 && buf[0x19] == 0)
			ATF_CHECK_MSG(ri.nimg == 0 && has_diag(&d, DIAG_ERROR,
			    0x18, "PCIR pointer is 0"), "%s", path);
		else
			ATF_CHECK_MSG(ri.nimg == 1 && ri.img[0].code_type == 0 &&
		    ri.img[0].checksum_ok && ri.img[0].vendor != 0 &&
		    ri.img[0].class >> 16 == 0x03 && d.nerrors == 0,
		    "%s", path);
		ATF_CHECK_MSG(!ri.usable, "%s has no EFI image", path);
		diags_free(&d);
		free(buf);
		n++;
	}
	closedir(dp);
	if (n == 0)
		atf_tc_skip("no vgabios-*.bin in /usr/share/seabios");
}

/* Debian's ipxe-qemu: efi-* are usable, pxe-* are legacy only. */
ATF_TC_WITHOUT_HEAD(debian_ipxe_roms);
ATF_TC_BODY(debian_ipxe_roms, tc)
{
	struct rom_info ri;
	struct diags d;
	struct dirent *e;
	char path[512];
	uint8_t *buf;
	size_t len;
	DIR *dp;
	bool efi;
	int n;

	if ((dp = opendir("/usr/lib/ipxe/qemu")) == NULL)
		atf_tc_skip("ipxe-qemu is not installed");
	for (n = 0; (e = readdir(dp)) != NULL; ) {
		if (strstr(e->d_name, ".rom") == NULL)
			continue;
		efi = strncmp(e->d_name, "efi-", 4) == 0;
		snprintf(path, sizeof(path), "/usr/lib/ipxe/qemu/%s",
		    e->d_name);
		buf = load(path, &len);
		(void)parse(buf, len, &ri, &d);
		ATF_CHECK_MSG(ri.nimg >= 1 && ri.img[0].code_type == 0 &&
		    ri.img[0].checksum_ok && d.nerrors == 0, "%s", path);
		ATF_CHECK_MSG(ri.usable == efi, "%s: usable %d", path,
		    ri.usable);
		if (efi)
			ATF_CHECK_MSG(ri.efi_x64 >= 0 &&
			    ri.img[ri.efi_x64].efi.machine == ROM_EFI_X64,
			    "%s", path);
		diags_free(&d);
		free(buf);
		n++;
	}
	closedir(dp);
	if (n == 0)
		atf_tc_skip("no ROMs in /usr/lib/ipxe/qemu");
}

static const struct pci_dev *
mkdev(struct pci_dev *p, uint16_t v, uint16_t dv, uint16_t sv, uint16_t sd)
{

	memset(p, 0, sizeof(*p));
	p->vendor = v;
	p->device = dv;
	p->subvendor = sv;
	p->subdevice = sd;
	return (p);
}

ATF_TC_WITHOUT_HEAD(amd_atom_header_decoded);
ATF_TC_BODY(amd_atom_header_decoded, tc)
{
	static uint8_t buf[1024];
	struct tim x = { .vendor = 0x1002, .device = 0x7480, .atom = true,
	    .ssv = 0x1da2, .ssd = 0xe452 };
	struct tim u = { .code = ROM_CODE_EFI, .vendor = 0x1002,
	    .device = 0x7480, .last = true };
	struct rom_info ri;
	struct rom_match m;
	struct diags d;
	struct pci_dev p;
	size_t n;

	n = tim_put(buf, tim_put(buf, 0, &x), &u);
	ATF_CHECK_EQ(parse(buf, n, &ri, &d), 0);
	ATF_CHECK(ri.atom.present && ri.atom.ibm && ri.atom.magic);
	ATF_CHECK_EQ(ri.atom.hdr, 0x110);
	ATF_CHECK_EQ(ri.atom.subvendor, 0x1da2);
	ATF_CHECK_EQ(ri.atom.subdevice, 0xe452);
	ATF_CHECK_STREQ(ri.atom.date, "01/04/23 10:27");
	ATF_CHECK_STREQ(ri.atom.part, "113-D7020100-102");
	ATF_CHECK_STREQ(ri.atom.asic, "NAVI33");
	ATF_CHECK_STREQ(ri.atom.bus, "PCI_EXPRESS");
	ATF_CHECK_STREQ(ri.atom.mem, "GDDR6");
	ATF_CHECK_STREQ(ri.atom.name, "AMD RADEON RX 7600");
	ATF_CHECK_EQ(rom_check_device(&ri, mkdev(&p, 0x1002, 0x7480, 0x1da2,
	    0xe452), "t.rom", &m, &d), 0);
	ATF_CHECK(m.stated && m.subsys == 0 && m.efi_ids == 0);
	/* A subsystem mismatch: a warning with both values, not an error. */
	ATF_CHECK_EQ(rom_check_device(&ri, mkdev(&p, 0x1002, 0x7480, 0x1849,
	    0x5319), "t.rom", &m, &d), 0);
	ATF_CHECK_EQ(m.subsys, 1);
	ASSERT_DIAG(&d, DIAG_WARN, 0x110 + 0x18, "ATOM subsystem 1da2:e452 "
	    "differs from the board's 1849:5319");
	ATF_CHECK_EQ(d.nerrors, 0);
	/* A device mismatch on the x86 image: not for this device. */
	ATF_CHECK_EQ(rom_check_device(&ri, mkdev(&p, 0x1002, 0x73ff, 0x1849,
	    0x5319), "t.rom", &m, &d), 1);
	ATF_CHECK_EQ(m.vendor, 0x1002);
	ATF_CHECK_EQ(m.device, 0x7480);
	ATF_CHECK_EQ(m.subsys, 1);
	ATF_CHECK_EQ(m.efi_ids, 1);
	ASSERT_DIAG(&d, DIAG_ERROR, 0x1A0, "x86 image is for 1002:7480, the "
	    "device is 1002:73ff: the ROM is not for this device");
	ASSERT_DIAG(&d, DIAG_WARN, 0x200 + 0x1A0, "the EFI image's PCIR names "
	    "1002:7480, the device is 1002:73ff");
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(amd_apu_generic_subsystem_not_compared);
ATF_TC_BODY(amd_apu_generic_subsystem_not_compared, tc)
{
	static uint8_t buf[1024];
	struct tim x = { .vendor = 0x1002, .device = 0x164e, .atom = true,
	    .ssv = 0x1002, .ssd = 0x1002, .last = true };
	struct rom_info ri;
	struct rom_match m;
	struct diags d;
	struct pci_dev p;
	size_t n;

	n = tim_put(buf, 0, &x);
	(void)parse(buf, n, &ri, &d);
	ATF_REQUIRE(ri.atom.present);
	ATF_CHECK_EQ(rom_check_device(&ri, mkdev(&p, 0x1002, 0x164e, 0x1043,
	    0x8877), "t.rom", &m, &d), 0);
	ATF_CHECK_EQ(m.subsys, 0);
	ATF_CHECK_EQ(d.nwarnings, 0);
	diags_free(&d);
}

/* A full-flash NVIDIA dump: NVGI header, FwSec images, then VIDEO. */
ATF_TC_WITHOUT_HEAD(nvidia_ifr_and_fwsec_before_video_trimmed);
ATF_TC_BODY(nvidia_ifr_and_fwsec_before_video_trimmed, tc)
{
	static uint8_t buf[8192];
	struct tim fw = { .code = ROM_CODE_NVE0, .vendor = 0x10de,
	    .device = 0x2504, .last = true };
	struct tim x = { .vendor = 0x10de, .device = 0x2504 };
	struct tim e = { .code = ROM_CODE_EFI, .vendor = 0x10de,
	    .device = 0x2504, .last = true };
	struct rom_info ri;
	struct diags d;
	size_t n, off;

	memcpy(buf, "NVGI", 4);
	buf[0x15] = 0x04;		/* big-endian 0x400 */
	n = tim_put(buf, 0x400, &fw);
	n = tim_put(buf, n, &fw);
	off = n;
	n = tim_put(buf, tim_put(buf, n, &x), &e);
	(void)parse(buf, n, &ri, &d);
	/* The ROM is where trim cuts; the FwSec images precede it. */
	ATF_CHECK_EQ(ri.junk, 0x400 + 2 * 512);
	ATF_CHECK_STREQ(ri.junk_kind, "NVIDIA IFR (NVGI) header");
	ATF_CHECK(ri.nv_flash);
	ATF_CHECK_EQ(ri.ifr_end, 0x400);
	ATF_REQUIRE_EQ(ri.npre, 2);
	ATF_CHECK_EQ(ri.pre[0].offset, 0x400);
	ATF_CHECK_EQ(ri.pre[1].offset, 0x600);
	ATF_CHECK_EQ(ri.pre[1].code_type, ROM_CODE_NVE0);
	ATF_CHECK_STREQ(rom_code_type_name(ri.pre[1].code_type), "nvidia");
	ATF_REQUIRE_EQ(ri.nimg, 2);
	ATF_CHECK_EQ(ri.img[0].code_type, ROM_CODE_X86);
	ATF_CHECK(!ri.usable);
	diags_free(&d);
	ATF_REQUIRE_EQ(rom_trim_offset(buf, n, &off), 0);
	ATF_CHECK_EQ(off, 0x400 + 2 * 512);
	ATF_CHECK_EQ(off, ri.junk);
	ATF_CHECK_EQ(parse(buf + off, n - off, &ri, &d), 0);
	ATF_CHECK_EQ(ri.nimg, 2);
	ATF_CHECK_EQ(d.nerrors + d.nwarnings, 0);
	diags_free(&d);
}

/* Without NVGI: an unknown header of odd length before 55 AA. */
ATF_TC_WITHOUT_HEAD(nvidia_unknown_header_found_by_scan);
ATF_TC_BODY(nvidia_unknown_header_found_by_scan, tc)
{
	static uint8_t buf[4096];
	struct tim x = { .vendor = 0x10de, .device = 0x1c82 };
	struct tim e = { .code = ROM_CODE_EFI, .vendor = 0x10de,
	    .device = 0x1c82, .last = true };
	struct rom_info ri;
	struct diags d;
	size_t n, off;

	memset(buf, 0x55, 0x6c);	/* decoys: 55 55 ... */
	n = tim_put(buf, tim_put(buf, 0x6c, &x), &e);
	(void)parse(buf, n, &ri, &d);
	ATF_CHECK_EQ(ri.junk, 0x6c);
	ATF_CHECK_STREQ(ri.junk_kind, "unknown header (nvflash or dump tool)");
	ATF_CHECK_EQ(ri.nimg, 2);
	ATF_REQUIRE_EQ(rom_trim_offset(buf, n, &off), 0);
	ATF_CHECK_EQ(off, 0x6c);
	diags_free(&d);
}

/* NPDE links images after the PCIR chain's last flag. */
ATF_TC_WITHOUT_HEAD(nvidia_npde_hidden_images);
ATF_TC_BODY(nvidia_npde_hidden_images, tc)
{
	static uint8_t buf[4096];
	struct tim x = { .vendor = 0x10de, .device = 0x2504, .npde = true,
	    .npde_units = 1 };
	struct tim e = { .code = ROM_CODE_EFI, .vendor = 0x10de,
	    .device = 0x2504, .last = true, .npde = true, .npde_units = 1 };
	struct tim h = { .sig = 0xBB77, .code = ROM_CODE_NV70,
	    .vendor = 0x10de, .device = 0x2504, .npde = true,
	    .npde_units = 1, .npde_last = true };
	struct rom_info ri;
	struct diags d;
	size_t n;

	n = tim_put(buf, tim_put(buf, tim_put(buf, 0, &x), &e), &h);
	ATF_CHECK_EQ(parse(buf, n, &ri, &d), 0);
	ATF_REQUIRE_EQ(ri.nimg, 3);
	ATF_CHECK_EQ(ri.nvisible, 2);
	ATF_CHECK(ri.img[2].hidden);
	ATF_CHECK(!ri.img[1].hidden);
	ATF_CHECK_EQ(ri.img[2].sig, 0xBB77);
	ATF_CHECK(ri.img[2].npde && ri.img[2].npde_last);
	ATF_CHECK_STREQ(rom_code_type_desc(ri.img[2].code_type),
	    "NVIDIA private (0x70)");
	ATF_CHECK_EQ(ri.trailing, 0);
	ATF_CHECK_EQ(d.nerrors + d.nwarnings, 0);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(efi_each_machine_type);
ATF_TC_BODY(efi_each_machine_type, tc)
{
	static const struct { uint16_t m; const char *name; } mt[] = {
		{ ROM_EFI_IA32, "IA32" }, { ROM_EFI_IA64, "IA64" },
		{ ROM_EFI_EBC, "EBC" }, { ROM_EFI_X64, "X64" },
		{ ROM_EFI_ARM, "ARM" }, { ROM_EFI_AA64, "AARCH64" },
		{ ROM_EFI_RV64, "RISCV64" }, { ROM_EFI_LA64, "LOONGARCH64" },
		{ 0x1234, "unknown" },
	};
	static uint8_t buf[1024];
	struct tim x = { .vendor = 0x1234, .device = 0x1111 };
	struct tim e = { .code = ROM_CODE_EFI, .vendor = 0x1234,
	    .device = 0x1111, .last = true };
	struct rom_info ri;
	struct diags d;
	size_t i, n;

	for (i = 0; i < nitems(mt); i++) {
		e.machine = mt[i].m;
		n = tim_put(buf, tim_put(buf, 0, &x), &e);
		(void)parse(buf, n, &ri, &d);
		ATF_REQUIRE_EQ(ri.nimg, 2);
		ATF_CHECK_EQ(ri.img[1].efi.machine, mt[i].m);
		ATF_CHECK_STREQ(rom_efi_machine_name(mt[i].m), mt[i].name);
		ATF_CHECK_EQ(ri.usable, mt[i].m == ROM_EFI_X64);
		if (mt[i].m != ROM_EFI_X64)
			ATF_CHECK(strstr(ri.reasons[0], "no EFI image the "
			    "firmware can load on X64") != NULL);
		diags_free(&d);
	}
}

ATF_TC_WITHOUT_HEAD(efi_compression_and_header_errors);
ATF_TC_BODY(efi_compression_and_header_errors, tc)
{
	static uint8_t buf[512];
	struct tim e = { .code = ROM_CODE_EFI, .vendor = 0x1234,
	    .device = 0x1111, .last = true };
	struct rom_info ri;
	struct diags d;

	e.comp = 1;
	e.no_mz = true;			/* compressed: no MZ visible */
	ATF_CHECK_EQ(parse(buf, tim_put(buf, 0, &e), &ri, &d), 0);
	ATF_CHECK_EQ(ri.img[0].efi.compression, 1);
	ATF_CHECK_EQ(d.nerrors, 0);
	diags_free(&d);
	e.comp = 2;
	ATF_CHECK_EQ(parse(buf, tim_put(buf, 0, &e), &ri, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 0x0C, "unknown compression type 2");
	diags_free(&d);
	e.comp = 0;
	ATF_CHECK_EQ(parse(buf, tim_put(buf, 0, &e), &ri, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 0x100, "has no \"MZ\" PE header");
	diags_free(&d);
	e.no_mz = false;
	e.no_efisig = true;
	ATF_CHECK_EQ(parse(buf, tim_put(buf, 0, &e), &ri, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 4, "without the 0x0EF1 EFI signature");
	diags_free(&d);
	e.no_efisig = false;
	e.subsys = 10;
	ATF_CHECK_EQ(parse(buf, tim_put(buf, 0, &e), &ri, &d), -1);
	ASSERT_DIAG(&d, DIAG_WARN, 8, "subsystem 10 is not a driver");
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(device_list_and_wildcard_match);
ATF_TC_BODY(device_list_and_wildcard_match, tc)
{
	static const uint16_t list[] = { 0x2222, 0x3333, 0 };
	static uint8_t buf[512];
	struct tim x = { .vendor = 0x1002, .device = 0x1111, .last = true,
	    .devlist = list };
	struct rom_info ri;
	struct rom_match m;
	struct diags d;
	struct pci_dev p;

	(void)parse(buf, tim_put(buf, 0, &x), &ri, &d);
	ATF_REQUIRE_EQ(ri.img[0].ndevlist, 2);
	ATF_CHECK(rom_image_matches(&ri.img[0], 0x1002, 0x1111));
	ATF_CHECK(rom_image_matches(&ri.img[0], 0x1002, 0x3333));
	ATF_CHECK(!rom_image_matches(&ri.img[0], 0x1002, 0x4444));
	ATF_CHECK(!rom_image_matches(&ri.img[0], 0x10de, 0x3333));
	ATF_CHECK_EQ(rom_check_device(&ri, mkdev(&p, 0x1002, 0x4444, 0, 0),
	    "t.rom", &m, &d), 1);
	ASSERT_DIAG(&d, DIAG_ERROR, 0x1A0, "x86 image is for 1002:1111 (and "
	    "its device list), the device is 1002:4444");
	diags_free(&d);
	x.devlist = NULL;
	x.device = 0xFFFF;
	(void)parse(buf, tim_put(buf, 0, &x), &ri, &d);
	ATF_CHECK(rom_image_matches(&ri.img[0], 0x1002, 0x4444));
	ATF_CHECK_EQ(rom_check_device(&ri, mkdev(&p, 0x1002, 0x4444, 0, 0),
	    "t.rom", &m, &d), 0);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(chain_missing_last_flag_warns);
ATF_TC_BODY(chain_missing_last_flag_warns, tc)
{
	static uint8_t buf[1024];
	struct tim x = { .vendor = 0x1234, .device = 0x1111 };
	struct tim e = { .code = ROM_CODE_EFI, .vendor = 0x1234,
	    .device = 0x1111 };
	struct rom_info ri;
	struct diags d;

	ATF_CHECK_EQ(parse(buf, tim_put(buf, tim_put(buf, 0, &x), &e), &ri,
	    &d), 0);
	ATF_CHECK(!ri.chain_ok);
	ASSERT_DIAG(&d, DIAG_WARN, 512, "no image has the last-image flag");
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(truncated_image_and_header);
ATF_TC_BODY(truncated_image_and_header, tc)
{
	static uint8_t buf[2048];
	struct tim x = { .vendor = 0x1234, .device = 0x1111, .units = 4,
	    .last = true };
	struct rom_info ri;
	struct diags d;

	(void)tim_put(buf, 0, &x);
	ATF_CHECK_EQ(parse(buf, 1000, &ri, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 0, "image truncated: its length is 0x800 "
	    "but the file ends 0x3e8 bytes after its start");
	ASSERT_DIAG(&d, DIAG_ERROR, 2, "initialization size 0x800 runs past");
	ATF_CHECK(ri.img[0].truncated);
	diags_free(&d);
	ATF_CHECK_EQ(parse(buf, 20, &ri, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 0, "image header truncated: 20 bytes left");
	diags_free(&d);
	ATF_CHECK_EQ(parse(buf, 0, &ri, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 0, "the file is empty");
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(pcir_pointer_errors);
ATF_TC_BODY(pcir_pointer_errors, tc)
{
	static uint8_t buf[512];
	struct tim x = { .vendor = 0x1234, .device = 0x1111, .last = true };
	struct rom_info ri;
	struct diags d;

	(void)tim_put(buf, 0, &x);
	put16(buf + 0x18, 0x1A2);
	ATF_CHECK_EQ(parse(buf, 512, &ri, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 0x18, "PCIR pointer 0x1a2 is not "
	    "DWORD-aligned");
	diags_free(&d);
	put16(buf + 0x18, 0xFFFC);
	ATF_CHECK_EQ(parse(buf, 512, &ri, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 0x18, "PCIR pointer 0xfffc points past "
	    "the end of the file");
	diags_free(&d);
	put16(buf + 0x18, 0x1A4);
	ATF_CHECK_EQ(parse(buf, 512, &ri, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 0x1A4, "PCIR signature missing");
	diags_free(&d);
	put16(buf + 0x18, 0x1A0);
	put16(buf, 0x1234);
	ATF_CHECK_EQ(parse(buf, 512, &ri, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 0, "image signature 55 AA missing "
	    "(found 34 12)");
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(trailing_data_and_padding);
ATF_TC_BODY(trailing_data_and_padding, tc)
{
	static uint8_t buf[2048];
	struct tim e = { .code = ROM_CODE_EFI, .vendor = 0x1234,
	    .device = 0x1111, .last = true };
	struct rom_info ri;
	struct diags d;

	memset(buf, 0xFF, sizeof(buf));
	(void)tim_put(buf, 0, &e);
	ATF_CHECK_EQ(parse(buf, 1024, &ri, &d), 0);
	ATF_CHECK_EQ(ri.trailing, 512);
	ATF_CHECK(ri.trailing_padding);
	ASSERT_DIAG(&d, DIAG_NOTE, 512, "512 bytes of 0xFF padding");
	diags_free(&d);
	buf[700] = 0x12;
	ATF_CHECK_EQ(parse(buf, 1024, &ri, &d), 0);
	ATF_CHECK(!ri.trailing_padding);
	ASSERT_DIAG(&d, DIAG_WARN, 512, "512 bytes of trailing data");
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(trim_without_x86_image_fails);
ATF_TC_BODY(trim_without_x86_image_fails, tc)
{
	static uint8_t buf[1024];
	struct tim e = { .code = ROM_CODE_EFI, .vendor = 0x1234,
	    .device = 0x1111, .last = true };
	size_t off;

	(void)tim_put(buf, 0, &e);
	ATF_CHECK_EQ(rom_trim_offset(buf, sizeof(buf), &off), -1);
	memset(buf, 0, sizeof(buf));
	ATF_CHECK_EQ(rom_trim_offset(buf, sizeof(buf), &off), -1);
}

ATF_TC_WITHOUT_HEAD(techpowerup_file_names);
ATF_TC_BODY(techpowerup_file_names, tc)
{
	struct rom_tpu t;

	ATF_REQUIRE_EQ(rom_tpu_name("/x/Sapphire.RX7600.8192.221215.rom", &t),
	    0);
	ATF_CHECK_STREQ(t.vendor, "Sapphire");
	ATF_CHECK_STREQ(t.model, "RX7600");
	ATF_CHECK_EQ(t.vram_mib, 8192);
	ATF_CHECK_EQ(t.year, 2022);
	ATF_CHECK_EQ(t.month, 12);
	ATF_CHECK_EQ(t.day, 15);
	ATF_REQUIRE_EQ(rom_tpu_name("Asus.RTX.3080.10240.200904.ROM", &t), 0);
	ATF_CHECK_STREQ(t.model, "RTX.3080");
	ATF_CHECK_EQ(t.vram_mib, 10240);
	ATF_CHECK_EQ(rom_tpu_name("rx7600.rom", &t), -1);
	ATF_CHECK_EQ(rom_tpu_name("A.B.8192.221315.rom", &t), -1);
	ATF_CHECK_EQ(rom_tpu_name("A.B.8192.22121.rom", &t), -1);
	ATF_CHECK_EQ(rom_tpu_name("A.B.0.221201.rom", &t), -1);
	ATF_CHECK_EQ(rom_tpu_name(".B.8192.221201.rom", &t), -1);
	ATF_CHECK_EQ(rom_tpu_name("A..8192.221201.rom", &t), -1);
	ATF_CHECK_EQ(rom_tpu_name("A.B.8192.221201.txt", &t), -1);
	ATF_CHECK_EQ(rom_tpu_name("A.B.8x92.221201.rom", &t), -1);
}

/* An ACPI VFCT table with n images of 512 bytes each. */
static size_t
mkvfct(uint8_t *t, size_t n)
{
	struct tim x = { .vendor = 0x1002, .last = true };
	size_t off, i;
	uint8_t sum;

	memset(t, 0, 76);
	memcpy(t, "VFCT", 4);
	t[8] = 1;
	memcpy(t + 10, "ALASKA", 6);
	memcpy(t + 16, "A M I   ", 8);
	put32(t + 52, 76);
	for (off = 76, i = 0; i < n; i++) {
		put32(t + off, 0);		/* bus */
		put32(t + off + 4, 8 + (uint32_t)i);
		put32(t + off + 8, 0);
		put16(t + off + 12, 0x1002);
		put16(t + off + 14, (uint16_t)(0x164e + i));
		put16(t + off + 16, 0x1043);
		put16(t + off + 18, 0x8877);
		put32(t + off + 24, 512);
		x.device = (uint16_t)(0x164e + i);
		off = tim_put(t, off + 28, &x);
	}
	put32(t + 4, (uint32_t)off);
	for (sum = 0, i = 0; i < off; i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)-sum;
	return (off);
}

ATF_TC_WITHOUT_HEAD(vfct_several_images);
ATF_TC_BODY(vfct_several_images, tc)
{
	static uint8_t t[4096];
	struct vfct_info vi;
	struct rom_info ri;
	struct diags d;
	size_t n;

	n = mkvfct(t, 3);
	diags_init(&d);
	ATF_REQUIRE_EQ(vfct_parse(t, n, "vfct.dat", &vi, &d), 0);
	ATF_CHECK(vi.checksum_ok);
	ATF_CHECK_STREQ(vi.oem, "ALASKA");
	ATF_REQUIRE_EQ(vi.nimg, 3);
	ATF_CHECK_EQ(vi.img[1].dev, 9);
	ATF_CHECK_EQ(vi.img[1].vendor, 0x1002);
	ATF_CHECK_EQ(vi.img[1].device, 0x164f);
	ATF_CHECK_EQ(vi.img[1].subvendor, 0x1043);
	ATF_CHECK_EQ(vi.img[1].subdevice, 0x8877);
	ATF_CHECK_EQ(vi.img[1].length, 512);
	ATF_CHECK_EQ(vi.img[1].data, 76 + 28 + 512 + 28);
	diags_free(&d);
	(void)parse(t + vi.img[2].data, vi.img[2].length, &ri, &d);
	ATF_CHECK_EQ(ri.img[0].device, 0x1650);
	ATF_CHECK_EQ(d.nerrors, 0);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(vfct_errors);
ATF_TC_BODY(vfct_errors, tc)
{
	static uint8_t t[4096];
	struct vfct_info vi;
	struct diags d;
	size_t n;

	n = mkvfct(t, 2);
	t[200]++;
	diags_init(&d);
	ATF_CHECK_EQ(vfct_parse(t, n, "v", &vi, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 9, "table checksum is bad");
	ATF_CHECK_EQ(vi.nimg, 2);
	diags_free(&d);
	ATF_CHECK_EQ(vfct_parse(t, n - 10, "v", &vi, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 4, "exceeds the file size");
	ASSERT_DIAG(&d, DIAG_ERROR, 76 + 28 + 512 + 24, "image length 512 "
	    "runs past the end of the table");
	diags_free(&d);
	ATF_CHECK_EQ(vfct_parse(t, 40, "v", &vi, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 0, "file too short for a VFCT table");
	diags_free(&d);
	memcpy(t, "FACP", 4);
	ATF_CHECK_EQ(vfct_parse(t, n, "v", &vi, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 0, "VFCT signature missing");
	diags_free(&d);
	n = mkvfct(t, 1);
	put32(t + 52, 9999);
	ATF_CHECK_EQ(vfct_parse(t, n, "v", &vi, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 52, "VBIOS image offset 9999 is outside");
	diags_free(&d);
	n = mkvfct(t, 0);
	ATF_CHECK_EQ(vfct_parse(t, n, "v", &vi, &d), -1);
	ASSERT_DIAG(&d, DIAG_ERROR, 52, "the table has no VBIOS image");
	diags_free(&d);
}

/*
 * lib/rombar.c against a device model: configuration registers, a ROM BAR
 * that keeps only the address bits of its window, BARs that keep the bits
 * of their size, and a ROM window that answers only while memory decoding
 * and the ROM enable bit are on (docs/freebsd.md D-ROM3, D-ROM4).
 */
struct mdev {
	uint8_t		 cfg[256];
	uint32_t	 rommask;	/* address bits the ROM BAR keeps */
	uint32_t	 barmask[6];	/* bits each BAR keeps, 0: none */
	uint8_t		 rom[8192];
	int		 failat;	/* this write (from 1) fails */
	int		 nwrites;
	char		 log[512];
};

static uint32_t
md_get(const struct mdev *m, unsigned reg, unsigned w)
{
	uint32_t v;
	unsigned i;

	for (v = 0, i = 0; i < w; i++)
		v |= (uint32_t)m->cfg[reg + i] << (8 * i);
	return (v);
}

static void
md_put(struct mdev *m, unsigned reg, unsigned w, uint32_t v)
{
	unsigned i;

	for (i = 0; i < w; i++)
		m->cfg[reg + i] = (uint8_t)(v >> (8 * i));
}

static int
md_cfg_read(void *arg, unsigned reg, unsigned w, uint32_t *v)
{

	*v = md_get(arg, reg, w);
	return (0);
}

static int
md_cfg_write(void *arg, unsigned reg, unsigned w, uint32_t v)
{
	struct mdev *m = arg;
	char one[32];

	if (++m->nwrites == m->failat)
		return (EIO);
	snprintf(one, sizeof(one), " %02x:%0*x", reg, (int)(w * 2),
	    (unsigned)v);
	strlcat(m->log, one, sizeof(m->log));
	if (reg == ROMBAR_REG && w == 4)
		v &= m->rommask | ~ROMBAR_ADDR;
	else if (reg >= 0x10 && reg < 0x28 && w == 4)
		v &= m->barmask[(reg - 0x10) / 4] | 0xf;
	md_put(m, reg, w, v);
	return (0);
}

static int
md_mem_read(void *arg, uint64_t pa, uint8_t *buf, size_t len)
{
	struct mdev *m = arg;
	uint32_t rom;
	bool on;
	size_t i;

	rom = md_get(m, ROMBAR_REG, 4);
	on = (md_get(m, ROMBAR_CMD, 2) & ROMBAR_CMD_MEMEN) != 0 &&
	    (rom & ROMBAR_ENABLE) != 0;
	strlcat(m->log, on ? " read" : " read-undecoded", sizeof(m->log));
	for (i = 0; i < len; i++)
		buf[i] = on && pa + i >= (rom & m->rommask) &&
		    pa + i - (rom & m->rommask) < sizeof(m->rom) ?
		    m->rom[pa + i - (rom & m->rommask)] : 0xff;
	return (0);
}

/* An endpoint, decoding off, ROM at 0xfce00000 in an 8 KiB window. */
static void
md_init(struct mdev *m)
{

	memset(m, 0, sizeof(*m));
	unsigned i;

	md_put(m, 0x10, 4, 0xf0000000u);	/* BAR0: 32-bit memory */
	m->barmask[0] = 0xff000000u;
	for (i = 1; i < 6; i++)			/* BAR1-5: I/O */
		md_put(m, 0x10 + 4 * i, 4, 0xe001 + 0x100 * i);
	md_put(m, ROMBAR_REG, 4, 0xfce00000u);
	m->rommask = 0xffffe000u;
	memset(m->rom, 0xee, sizeof(m->rom));
	m->rom[0] = 0x55;
	m->rom[1] = 0xaa;
	m->rom[0x18] = 0x20;			/* PCIR at 0x20 */
	m->rom[0x19] = 0;
	memcpy(m->rom + 0x20, "PCIR", 4);
	m->rom[0x30] = 6;			/* 3 KiB image */
	m->rom[0x31] = 0;
	m->rom[0x35] = 0x80;			/* last image */
}

static int
md_run(struct mdev *m, uint8_t **buf, size_t *len, struct diags *d)
{
	struct rombar_io io = { m, md_cfg_read, md_cfg_write, md_mem_read };

	return (rombar_read(&io, "pci0:6:0:0", 1024 * 1024, buf, len, d));
}

static bool
md_said(struct diags *d, const char *s)
{
	struct diag *x;

	STAILQ_FOREACH(x, &d->head, entry)
		if (strstr(x->msg, s) != NULL)
			return (true);
	return (false);
}

ATF_TC_WITHOUT_HEAD(rombar_sets_reads_restores_in_order);
ATF_TC_BODY(rombar_sets_reads_restores_in_order, tc)
{
	struct mdev m;
	struct diags d;
	uint8_t *buf;
	size_t len;

	md_init(&m);
	diags_init(&d);
	ATF_REQUIRE_EQ(md_run(&m, &buf, &len, &d), 0);
	/* Size (enable clear), restore; set decode, enable; read; undo. */
	ATF_CHECK_STREQ(m.log, " 30:fffff800 30:fce00000 04:0002 "
	    "30:fce00001 read 30:fce00000 04:0000");
	ATF_CHECK_EQ(md_get(&m, ROMBAR_CMD, 2), 0);
	ATF_CHECK_EQ(md_get(&m, ROMBAR_REG, 4), 0xfce00000u);
	/* Cut at the end of the last image, not the 8 KiB window. */
	ATF_REQUIRE_EQ_MSG(len, 3072, "len %zu", len);
	ATF_CHECK(memcmp(buf, m.rom, len) == 0);
	free(buf);
	/* Already decoding: nothing but the sizing is written. */
	md_init(&m);
	md_put(&m, ROMBAR_CMD, 2, 0x0006);
	md_put(&m, ROMBAR_REG, 4, 0xfce00001u);
	ATF_REQUIRE_EQ(md_run(&m, &buf, &len, &d), 0);
	ATF_CHECK_STREQ(m.log, " 30:fffff800 30:fce00001 read");
	free(buf);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(rombar_restores_when_a_write_fails);
ATF_TC_BODY(rombar_restores_when_a_write_fails, tc)
{
	static const bool is_set[] = { 0, 1, 0, 1, 1, 0, 0 };
	struct mdev m;
	struct diags d;
	uint8_t *buf;
	size_t len;
	int k;

	for (k = 1; k <= 6; k++) {
		md_init(&m);
		m.failat = k;
		diags_init(&d);
		ATF_CHECK(md_run(&m, &buf, &len, &d) != 0);
		ATF_CHECK(buf == NULL && len == 0);
		if (is_set[k]) {
			/* Every register is back, the failed one too. */
			ATF_CHECK_EQ_MSG(md_get(&m, ROMBAR_CMD, 2), 0,
			    "write %d", k);
			ATF_CHECK_EQ_MSG(md_get(&m, ROMBAR_REG, 4),
			    0xfce00000u, "write %d", k);
		} else
			ATF_CHECK_MSG(md_said(&d, "was not restored") &&
			    md_said(&d, "pciconf -w"), "write %d", k);
		diags_free(&d);
	}
}

ATF_TC_WITHOUT_HEAD(rombar_refusals);
ATF_TC_BODY(rombar_refusals, tc)
{
	struct mdev m;
	struct diags d;
	uint8_t *buf;
	size_t len;

	diags_init(&d);
	/* No address: nothing written. */
	md_init(&m);
	md_put(&m, ROMBAR_REG, 4, 0);
	ATF_CHECK_EQ(md_run(&m, &buf, &len, &d), ENXIO);
	ATF_CHECK(md_said(&d, "has no address"));
	ATF_CHECK_STREQ(m.log, "");
	/* A bridge: nothing written. */
	md_init(&m);
	m.cfg[0x0e] = 0x01;
	ATF_CHECK_EQ(md_run(&m, &buf, &len, &d), ENXIO);
	ATF_CHECK_STREQ(m.log, "");
	/* The firmware's all-ones "disabled" value: sized, refused. */
	md_init(&m);
	md_put(&m, ROMBAR_REG, 4, 0xffffe000u);
	ATF_CHECK_EQ(md_run(&m, &buf, &len, &d), ENXIO);
	ATF_CHECK(md_said(&d, "the firmware disabled it"));
	ATF_CHECK_STREQ(m.log, " 30:fffff800 30:ffffe000");
	/* An implemented BAR without an address: decoding stays off. */
	md_init(&m);
	md_put(&m, 0x10, 4, 0);
	ATF_CHECK_EQ(md_run(&m, &buf, &len, &d), ENXIO);
	ATF_CHECK(md_said(&d, "would decode that BAR at 0"));
	ATF_CHECK(strstr(m.log, "04:") == NULL);
	ATF_CHECK_EQ(md_get(&m, 0x10, 4), 0);
	/* A window that does not read as a ROM: restored, nothing kept. */
	md_init(&m);
	m.rom[0] = 0;
	ATF_CHECK_EQ(md_run(&m, &buf, &len, &d), EIO);
	ATF_CHECK(md_said(&d, "not with the 55 AA"));
	ATF_CHECK(buf == NULL && len == 0);
	ATF_CHECK_EQ(md_get(&m, ROMBAR_CMD, 2), 0);
	ATF_CHECK_EQ(md_get(&m, ROMBAR_REG, 4), 0xfce00000u);
	diags_free(&d);
}


static const struct {
	const char	*name;
	size_t		(*gen)(uint8_t *);
} gens[] = {
	{ DATA "synthetic-nvidia-5060ti-fullflash.rom", gen_nvflash },
	{ DATA "synthetic-amd-apu-cezanne.rom", gen_apu },
	{ DATA "synthetic-amd-rx7600.rom", gen_rx7600 },
	{ TOP "/fuzz/seeds/rom/nvflash-small.rom", gen_nvflash_small },
};

/* Each synthetic file is what its generator makes (or is rewritten). */
ATF_TC_WITHOUT_HEAD(synthetic_roms_current);
ATF_TC_BODY(synthetic_roms_current, tc)
{
	uint8_t *g, *f;
	size_t i, n, len;
	FILE *fp;
	char path[512];

	ATF_REQUIRE((g = malloc(NVF_LEN)) != NULL);
	for (i = 0; i < sizeof(gens) / sizeof(gens[0]); i++) {
		memset(g, 0, NVF_LEN);
		n = gens[i].gen(g);
		(void)snprintf(path, sizeof(path), "%s", gens[i].name);
		if (getenv("PTVM_ROMGEN_WRITE") != NULL) {
			ATF_REQUIRE((fp = fopen(path, "wb")) != NULL);
			ATF_REQUIRE(fwrite(g, 1, n, fp) == n);
			ATF_REQUIRE(fclose(fp) == 0);
			continue;
		}
		f = load(path, &len);
		ATF_CHECK_MSG(len == n && memcmp(f, g, n) == 0, "%s differs "
		    "from its generator (make golden rewrites it)", path);
		free(f);
	}
	free(g);
}

/*
 * issue 17 (1): a full flash of an RTX 5060 Ti.  inspect finds the ROM
 * where trim cuts (the PC-AT image at 0x35400), lists the IFR area and
 * the two FwSec images before it as such, and walks the NPDE chain
 * through the EFI image (PCIR 0000:0000) to the FwSec images after it.
 */
ATF_TC_WITHOUT_HEAD(nvidia_full_flash_inspected_where_trim_cuts);
ATF_TC_BODY(nvidia_full_flash_inspected_where_trim_cuts, tc)
{
	struct rom_info ri;
	struct rom_match m;
	struct diags d;
	struct pci_dev p;
	uint8_t *buf;
	size_t len, off;
	int nw;

	buf = load(DATA "synthetic-nvidia-5060ti-fullflash.rom", &len);
	(void)parse(buf, len, &ri, &d);
	ATF_REQUIRE_EQ(rom_trim_offset(buf, len, &off), 0);
	ATF_CHECK_EQ(off, 0x35400);
	ATF_CHECK_EQ(ri.junk, off);
	ATF_CHECK(ri.nv_flash);
	ATF_CHECK_STREQ(ri.junk_kind,
	    "NVIDIA flash data: IFR area and FwSec images");
	ATF_CHECK_EQ(ri.ifr_end, 0x34200);
	ATF_REQUIRE_EQ(ri.npre, 2);
	ATF_CHECK(ri.pre[0].offset == 0x34200 && ri.pre[0].length == 2560 &&
	    ri.pre[0].code_type == ROM_CODE_NVE0);
	ATF_CHECK(ri.pre[1].offset == 0x34c00 && ri.pre[1].length == 2048 &&
	    ri.pre[1].code_type == ROM_CODE_NVE0);
	ATF_REQUIRE_EQ(ri.nimg, 4);
	ATF_CHECK_EQ(ri.nvisible, 2);
	ATF_CHECK(ri.img[0].offset == 0x35400 &&
	    ri.img[0].code_type == ROM_CODE_X86 && ri.img[0].checksum_ok);
	ATF_CHECK(ri.img[1].offset == 0x44e00 &&
	    ri.img[1].code_type == ROM_CODE_EFI && ri.img[1].last &&
	    ri.img[1].vendor == 0 && ri.img[1].npde && !ri.img[1].npde_last);
	ATF_CHECK(ri.img[2].offset == 0x5ce00 && ri.img[2].hidden &&
	    ri.img[2].code_type == ROM_CODE_NVE0);
	ATF_CHECK(ri.img[3].offset == 0x6c800 && ri.img[3].hidden &&
	    ri.img[3].sig == 0x4E56 && ri.img[3].npde_last &&
	    strcmp(ri.img[3].pcir_sig, "NPDS") == 0);
	ATF_CHECK_EQ(ri.end, 0x10b400);
	ATF_CHECK_EQ(ri.trailing, len - 0x10b400);
	ATF_CHECK(!ri.usable);
	ASSERT_DIAG(&d, DIAG_NOTE, 0x10b400, "flash data after the last "
	    "image of the ROM");
	diags_free(&d);
	/* Trimmed: usable, the same chain from 0. */
	ATF_CHECK_EQ(parse(buf + off, len - off, &ri, &d), 0);
	ATF_CHECK_EQ(ri.junk, 0);
	ATF_CHECK_EQ(ri.nimg, 4);
	ATF_CHECK_EQ(ri.efi_x64, 1);
	ATF_CHECK_EQ(d.nerrors, 0);
	/* issue 17 (3): the EFI image's 0000:0000 is not a mismatch. */
	nw = d.nwarnings + d.nerrors;
	ATF_CHECK_EQ(rom_check_device(&ri, mkdev(&p, 0x10de, 0x2d04, 0x1043,
	    0x8a11), "t.rom", &m, &d), 0);
	ATF_CHECK(m.stated && m.vendor == 0x10de && m.device == 0x2d04);
	ATF_CHECK_EQ(m.efi_ids, 0);
	ATF_CHECK_EQ(d.nwarnings + d.nerrors, nw);
	ATF_CHECK_EQ(rom_check_device(&ri, mkdev(&p, 0x10de, 0x2c05, 0x1043,
	    0x8a11), "t.rom", &m, &d), 1);
	diags_free(&d);
	free(buf);
}

/* The fuzzer's seed has the same chain, in 4 KiB. */
ATF_TC_WITHOUT_HEAD(nvidia_full_flash_small_seed);
ATF_TC_BODY(nvidia_full_flash_small_seed, tc)
{
	static uint8_t buf[0x1000];
	struct rom_info ri;
	struct diags d;
	size_t n, off;

	n = gen_nvflash_small(buf);
	(void)parse(buf, n, &ri, &d);
	ATF_REQUIRE_EQ(rom_trim_offset(buf, n, &off), 0);
	ATF_CHECK_EQ(off, 0x800);
	ATF_CHECK_EQ(ri.junk, 0x800);
	ATF_CHECK(ri.nv_flash && ri.npre == 2 && ri.ifr_end == 0x400);
	ATF_CHECK_EQ(ri.nimg, 4);
	ATF_CHECK_EQ(ri.nvisible, 2);
	ATF_CHECK_EQ(ri.trailing, 0);
	diags_free(&d);
	ATF_CHECK_EQ(parse(buf + off, n - off, &ri, &d), 0);
	ATF_CHECK_EQ(d.nerrors + d.nwarnings, 0);
	diags_free(&d);
}

/* issue 17 (2): CR and LF end the name: trimmed, not turned into '?'. */
ATF_TC_WITHOUT_HEAD(amd_apu_board_name_clean);
ATF_TC_BODY(amd_apu_board_name_clean, tc)
{
	static uint8_t b[1024];
	struct rom_info ri;
	struct diags d;
	uint8_t *buf;
	size_t len;

	buf = load(DATA "synthetic-amd-apu-cezanne.rom", &len);
	(void)parse(buf, len, &ri, &d);
	ATF_REQUIRE(ri.atom.present);
	ATF_CHECK_STREQ(ri.atom.name, "Cezanne Generic VBIOS");
	ATF_CHECK_STREQ(ri.atom.part, "113-CEZANNE-021");
	ATF_CHECK_STREQ(ri.atom.asic, "RENOIR");
	ATF_CHECK_STREQ(ri.atom.mem, "0");
	ATF_CHECK_STREQ(ri.atom.date, "02/23/22,06:21");
	diags_free(&d);
	/* Other control bytes inside a name are still shown as '?'. */
	memcpy(b, buf, len);
	memcpy(b + 0x70 + 37 + 2 + 7, "\x01", 1);
	(void)parse(b, len, &ri, &d);
	ATF_CHECK_STREQ(ri.atom.name, "Cezanne?Generic VBIOS");
	diags_free(&d);
	free(buf);
}

/*
 * issue 17 (3): EDK2 compares no IDs; an EFI image counts only in a ROM
 * without x86 image, and 0000:0000 names nothing.
 */
ATF_TC_WITHOUT_HEAD(efi_image_ids_as_firmware_sees_them);
ATF_TC_BODY(efi_image_ids_as_firmware_sees_them, tc)
{
	static uint8_t buf[2048];
	struct tim x = { .vendor = 0x10de, .device = 0x2d04 };
	struct tim e = { .code = ROM_CODE_EFI, .last = true };
	struct rom_info ri;
	struct rom_match m;
	struct diags d;
	struct pci_dev p;

	(void)parse(buf, tim_put(buf, tim_put(buf, 0, &x), &e), &ri, &d);
	ATF_CHECK_EQ(rom_check_device(&ri, mkdev(&p, 0x10de, 0x2d04, 0, 0),
	    "t.rom", &m, &d), 0);
	ATF_CHECK_EQ(d.nwarnings + d.nerrors, 0);
	diags_free(&d);
	/* EFI only, for another device: not for this device. */
	e.vendor = 0x1002;
	e.device = 0x7480;
	(void)parse(buf, tim_put(buf, 0, &e), &ri, &d);
	ATF_CHECK_EQ(rom_check_device(&ri, mkdev(&p, 0x1002, 0x73ff, 0, 0),
	    "t.rom", &m, &d), 1);
	ASSERT_DIAG(&d, DIAG_ERROR, 0x1A0, "efi image is for 1002:7480, the "
	    "device is 1002:73ff: the ROM is not for this device");
	diags_free(&d);
	/* EFI only, 0000:0000: nothing to compare. */
	e.vendor = e.device = 0;
	(void)parse(buf, tim_put(buf, 0, &e), &ri, &d);
	ATF_CHECK_EQ(rom_check_device(&ri, mkdev(&p, 0x1002, 0x73ff, 0, 0),
	    "t.rom", &m, &d), 0);
	ATF_CHECK(!m.stated);
	diags_free(&d);
}

/* issue 17 (4): images are named by their class and code type. */
ATF_TC_WITHOUT_HEAD(images_named_by_class);
ATF_TC_BODY(images_named_by_class, tc)
{
	static uint8_t buf[1024];
	struct tim x = { .vendor = 0x8086, .device = 0x100e, .last = true,
	    .cls = 0x020000 };
	struct rom_info ri;
	struct diags d;
	char s[128];

	(void)parse(buf, tim_put(buf, 0, &x), &ri, &d);
	rom_image_desc(&ri.img[0], s, sizeof(s));
	ATF_CHECK_STREQ(s, "x86 PC-AT, network controller (legacy PXE boot "
	    "ROM)");
	ATF_REQUIRE(ri.nreasons == 1);
	ATF_CHECK(strstr(ri.reasons[0], "not a legacy x86 PXE boot ROM") !=
	    NULL);
	ATF_CHECK(strstr(ri.reasons[0], "VGA") == NULL);
	ATF_CHECK(strstr(ri.reasons[0], "GOP") == NULL);
	diags_free(&d);
	x.cls = 0x010802;
	(void)parse(buf, tim_put(buf, 0, &x), &ri, &d);
	rom_image_desc(&ri.img[0], s, sizeof(s));
	ATF_CHECK_STREQ(s, "x86 PC-AT, storage controller (legacy boot ROM)");
	ATF_CHECK(strstr(ri.reasons[0], "not legacy x86 code") != NULL);
	diags_free(&d);
	x.cls = 0;
	(void)parse(buf, tim_put(buf, 0, &x), &ri, &d);
	rom_image_desc(&ri.img[0], s, sizeof(s));
	ATF_CHECK_STREQ(s, "x86 PC-AT, display controller (legacy VGA BIOS)");
	ATF_CHECK(strstr(ri.reasons[0], "no EFI (GOP) image") != NULL);
	diags_free(&d);
	x.code = ROM_CODE_EFI;
	x.cls = 0x020000;
	(void)parse(buf, tim_put(buf, 0, &x), &ri, &d);
	rom_image_desc(&ri.img[0], s, sizeof(s));
	ATF_CHECK_STREQ(s, "EFI, network controller (UEFI network driver)");
	diags_free(&d);
	ATF_CHECK(rom_class_name(0) == NULL);
	ATF_CHECK_STREQ(rom_class_name(0x0c0330), "serial bus");
}

/*
 * issue 17 (5): the work of a parse is bounded by the header probes: the
 * first ROM_SCAN_UNALIGNED bytes at 55 AA pairs, then 512-byte
 * boundaries.  Before, a 16 MiB file of 0x55 tested a header at each of
 * its 16M bytes (100 ms).
 */
ATF_TC_WITHOUT_HEAD(scan_work_is_bounded);
ATF_TC_BODY(scan_work_is_bounded, tc)
{
	const size_t len = 16 * 1024 * 1024;
	struct tim x = { .vendor = 0x10de, .device = 0x1c82 };
	struct tim e = { .code = ROM_CODE_EFI, .vendor = 0x10de,
	    .device = 0x1c82, .last = true };
	struct rom_info ri;
	struct diags d;
	uint8_t *buf;
	size_t bound, i, off;

	ATF_REQUIRE((buf = malloc(len)) != NULL);
	/*
	 * Offset 0, the 55 AA pairs of the first 64 KiB, and 4 passes over
	 * the 512-byte boundaries at most; before, one probe a 0x55 byte.
	 */
	bound = 4 * (len / 512 + 1) + ROM_SCAN_UNALIGNED / 2 + 1;
	ATF_REQUIRE(bound < len / 100);
	memset(buf, 0x55, len);
	(void)parse(buf, len, &ri, &d);
	ATF_CHECK_EQ(ri.nimg, 0);
	ATF_CHECK_MSG(ri.probes <= bound, "%zu probes", ri.probes);
	diags_free(&d);
	/* 55 AA at every odd offset: a candidate at every other byte. */
	for (buf[0] = 0, i = 1; i + 1 < len; i += 2) {
		buf[i] = 0x55;
		buf[i + 1] = 0xAA;
	}
	(void)parse(buf, len, &ri, &d);
	ATF_CHECK_MSG(ri.probes <= bound, "%zu probes", ri.probes);
	ATF_CHECK(rom_trim_offset(buf, len, &off) != 0);
	diags_free(&d);
	/* A ROM on a 512-byte boundary far into the file is found. */
	memset(buf, 0x55, len);
	(void)tim_put(buf, tim_put(buf, 8 * 1024 * 1024, &x), &e);
	(void)parse(buf, 8 * 1024 * 1024 + 1024, &ri, &d);
	ATF_CHECK_EQ(ri.junk, 8 * 1024 * 1024);
	ATF_CHECK_EQ(ri.nimg, 2);
	ATF_CHECK_MSG(ri.probes <= bound, "%zu probes", ri.probes);
	diags_free(&d);
	free(buf);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, rombar_sets_reads_restores_in_order);
	ATF_TP_ADD_TC(tp, rombar_restores_when_a_write_fails);
	ATF_TP_ADD_TC(tp, rombar_refusals);
	ATF_TP_ADD_TC(tp, real_seabios_stdvga_is_legacy_only);
	ATF_TP_ADD_TC(tp, real_ipxe_virtio_is_usable);
	ATF_TP_ADD_TC(tp, real_isavga_is_not_a_pci_rom);
	ATF_TP_ADD_TC(tp, real_fwupd_bad_checksum_warns);
	ATF_TP_ADD_TC(tp, real_fwupd_nvgi_header_detected_and_trimmed);
	ATF_TP_ADD_TC(tp, debian_seabios_vga_roms);
	ATF_TP_ADD_TC(tp, debian_ipxe_roms);
	ATF_TP_ADD_TC(tp, amd_atom_header_decoded);
	ATF_TP_ADD_TC(tp, amd_apu_generic_subsystem_not_compared);
	ATF_TP_ADD_TC(tp, nvidia_ifr_and_fwsec_before_video_trimmed);
	ATF_TP_ADD_TC(tp, nvidia_unknown_header_found_by_scan);
	ATF_TP_ADD_TC(tp, nvidia_npde_hidden_images);
	ATF_TP_ADD_TC(tp, efi_each_machine_type);
	ATF_TP_ADD_TC(tp, efi_compression_and_header_errors);
	ATF_TP_ADD_TC(tp, device_list_and_wildcard_match);
	ATF_TP_ADD_TC(tp, chain_missing_last_flag_warns);
	ATF_TP_ADD_TC(tp, truncated_image_and_header);
	ATF_TP_ADD_TC(tp, pcir_pointer_errors);
	ATF_TP_ADD_TC(tp, trailing_data_and_padding);
	ATF_TP_ADD_TC(tp, trim_without_x86_image_fails);
	ATF_TP_ADD_TC(tp, techpowerup_file_names);
	ATF_TP_ADD_TC(tp, vfct_several_images);
	ATF_TP_ADD_TC(tp, vfct_errors);
	ATF_TP_ADD_TC(tp, synthetic_roms_current);
	ATF_TP_ADD_TC(tp, nvidia_full_flash_inspected_where_trim_cuts);
	ATF_TP_ADD_TC(tp, nvidia_full_flash_small_seed);
	ATF_TP_ADD_TC(tp, amd_apu_board_name_clean);
	ATF_TP_ADD_TC(tp, efi_image_ids_as_firmware_sees_them);
	ATF_TP_ADD_TC(tp, images_named_by_class);
	ATF_TP_ADD_TC(tp, scan_work_is_bounded);
	return (atf_no_error());
}
