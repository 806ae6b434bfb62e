/* libFuzzer target: the pciconf(8) output parser and GPU grouping. */
#include "compat.h"
#include "pci.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct pci_list l;
	struct gpu_list g;
	struct diags d;

	pci_list_init(&l);
	diags_init(&d);
	(void)pci_parse((const char *)data, len, "f", &l, &d);
	if (gpu_group(&l, -1, &g) == 0)
		gpu_list_free(&g);
	pci_list_free(&l);
	diags_free(&d);
	return (0);
}
