/*
 * libFuzzer target: the TechPowerUp file-name decoder (rom_tpu_name in
 * lib/rom.c), Vendor.Model.<MiB>.<yymmdd>.rom.  A name it decodes has a
 * valid date and size, and formatted again decodes to the same fields.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rom.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct rom_tpu t, t2;
	char path[4096], again[256];

	if (len >= sizeof(path))
		return (0);
	memcpy(path, data, len);
	path[len] = '\0';
	if (rom_tpu_name(path, &t) != 0)
		return (0);
	if (strnlen(t.vendor, sizeof(t.vendor)) >= sizeof(t.vendor) ||
	    strnlen(t.model, sizeof(t.model)) >= sizeof(t.model) ||
	    t.vendor[0] == '\0' || t.model[0] == '\0' ||
	    strchr(t.vendor, '.') != NULL || strchr(t.vendor, '/') != NULL ||
	    strchr(t.model, '/') != NULL ||
	    t.vram_mib == 0 || t.year < 2000 || t.year > 2099 ||
	    t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31)
		abort();
	if ((size_t)snprintf(again, sizeof(again), "dir/%s.%s.%u.%02u%02u%02u.rom",
	    t.vendor, t.model, t.vram_mib, t.year - 2000, t.month, t.day) >=
	    sizeof(again))
		abort();
	if (rom_tpu_name(again, &t2) != 0 || memcmp(&t, &t2, sizeof(t)) != 0)
		abort();
	return (0);
}
