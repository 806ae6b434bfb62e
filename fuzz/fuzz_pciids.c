/* libFuzzer target: pci.ids lookups. */
#include "compat.h"
#include "pciids.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct pciids_name v, d;

	(void)pciids_lookup((const char *)data, len, 0x1002, 0x7480, &v, &d);
	return (0);
}
