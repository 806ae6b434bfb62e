/*
 * libFuzzer target: CPU lists ("2,4-7"); what parses must format back to
 * a list that parses to the same set.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "topo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct topo_set a, b;
	struct strbuf sb;
	struct diags d;
	char *s;

	if ((s = malloc(len + 1)) == NULL)
		return (0);
	memcpy(s, data, len);
	s[len] = '\0';
	diags_init(&d);
	if (cpuset_parse(s, &a, "f", &d) == 0) {
		sb_init(&sb);
		cpuset_format(&a, &sb);
		if (cpuset_parse(sb_str(&sb), &b, "f", &d) != 0 ||
		    !topo_set_equal(&a, &b))
			abort();
		sb_free(&sb);
	}
	diags_free(&d);
	free(s);
	return (0);
}
