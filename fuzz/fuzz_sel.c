/* libFuzzer target: PCI selectors and pptdevs values. */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "bindplan.h"
#include "pci.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct pci_sel s;
	const char *v[3];
	char *str, err[200], out[16][16];

	if ((str = malloc(len + 1)) == NULL)
		return (0);
	memcpy(str, data, len);
	str[len] = '\0';
	(void)pci_sel_parse(str, &s, err, sizeof(err));
	v[0] = str;
	v[1] = NULL;
	v[2] = str;
	(void)pptdevs_entries(v, NULL, out, 16);
	free(str);
	return (0);
}
