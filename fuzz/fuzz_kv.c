/* libFuzzer target: the sysctl, kenv and kldstat capture parsers. */
#include "compat.h"
#include "kv.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct kv_list l;
	struct diags d;

	diags_init(&d);
	kv_init(&l);
	(void)kv_parse_sysctl((const char *)data, len, "f", &l, &d);
	kv_free(&l);
	(void)kv_parse_kenv((const char *)data, len, "f", &l, &d);
	kv_free(&l);
	(void)kv_parse_kldstat((const char *)data, len, "f", &l, &d);
	kv_free(&l);
	diags_free(&d);
	return (0);
}
