/*
 * fuzz_vfct.c: libFuzzer target for the ACPI VFCT parser; every image it
 * returns must lie inside the input, and is parsed as a ROM.
 */
#include "compat.h"

#include "diag.h"
#include "rom.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	static struct rom_info ri;
	struct vfct_info vi;
	struct diags d;
	size_t i;

	diags_init(&d);
	(void)vfct_parse(buf, len, "fuzz.dat", &vi, &d);
	for (i = 0; i < vi.nimg; i++) {
		if (vi.img[i].data > len || vi.img[i].length > len -
		    vi.img[i].data)
			__builtin_trap();
		(void)rom_parse(buf + vi.img[i].data, vi.img[i].length,
		    "fuzz.rom", &ri, &d);
	}
	diags_free(&d);
	return (0);
}
