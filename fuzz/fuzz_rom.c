/*
 * fuzz_rom.c: libFuzzer target for the option ROM parser and trim finder.
 */
#include "compat.h"

#include "diag.h"
#include "rom.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	static struct rom_info ri;
	struct rom_tpu t;
	struct pci_dev dev = { .vendor = 0x1002, .device = 0x7480,
	    .subvendor = 0x1da2, .subdevice = 0xe452 };
	struct rom_match m;
	struct diags d;
	size_t off;

	diags_init(&d);
	(void)rom_parse(buf, len, "fuzz.rom", &ri, &d);
	(void)rom_check_device(&ri, &dev, "fuzz.rom", &m, &d);
	if (rom_trim_offset(buf, len, &off) == 0 && off >= len)
		__builtin_trap();
	/*
	 * The work is bounded whatever the bytes (rom.h ROM_SCAN_UNALIGNED):
	 * offset 0, the 55 AA pairs of the first 64 KiB, and four passes over
	 * the 512-byte boundaries at most (scan, x86 from 0 and from the
	 * header's remainder, the images before the ROM).
	 */
	if (ri.probes > 4 * (len / 512 + 1) + ROM_SCAN_UNALIGNED / 2 + 1 ||
	    (ri.junk > 0 && ri.junk >= len) || ri.npre > ROM_MAXPREFIX)
		__builtin_trap();
	/* A full NVIDIA flash starts where trim cuts. */
	if (ri.nv_flash && (rom_trim_offset(buf, len, &off) != 0 ||
	    off != ri.junk))
		__builtin_trap();
	diags_free(&d);
	(void)rom_tpu_name("A.B.8192.221201.rom", &t);
	return (0);
}
