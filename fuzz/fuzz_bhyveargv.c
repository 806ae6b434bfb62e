/*
 * libFuzzer target: the bhyve script tokenizer, bhyve_argv_to_cfg(),
 * bhyve_cfg_to_argv() and bhyve_keys_check(), with the round trip
 * argv_to_cfg(cfg_to_argv(cfg)) == cfg as an assertion.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "bcfg.h"
#include "bhyveargv.h"
#include "bhyvekeys.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_same(struct bcfg *a, struct bcfg *b)
{
	size_t i;

	bcfg_sort(a);
	bcfg_sort(b);
	if (a->n != b->n)
		abort();
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].key, b->v[i].key) != 0 ||
		    strcmp(a->v[i].val, b->v[i].val) != 0)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct bhyve_argv a, out;
	struct bcfg c, back;
	struct diags d, d2;
	int e;

	diags_init(&d);
	diags_init(&d2);
	bhyve_argv_init(&a);
	bhyve_argv_init(&out);
	bcfg_init(&c);
	bcfg_init(&back);
	(void)bhyve_script_argv((const char *)data, len, "f", &a, &d);
	if (a.n > 0) {
		e = bhyve_argv_to_cfg((int)a.n, a.v, &c, "f", a.line, &d);
		(void)bhyve_keys_check(&c, 0, &d);
		(void)bhyve_keys_check(&c, BHYVE_KEYS_14, &d);
		if (e >= 0 && bhyve_cfg_to_argv(&c, &out) == 0) {
			/* What the first produced, the second reproduces. */
			if (bhyve_argv_to_cfg((int)out.n, out.v, &back, "f",
			    NULL, &d2) != 0)
				abort();
			check_same(&c, &back);
		}
	}
	bcfg_free(&back);
	bcfg_free(&c);
	bhyve_argv_free(&out);
	bhyve_argv_free(&a);
	diags_free(&d2);
	diags_free(&d);
	return (0);
}
