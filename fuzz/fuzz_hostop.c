/* libFuzzer target: journal lines parsed back into host operations. */
#include "compat.h"
#include "hostop.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct hostop_parsed p;
	struct strbuf sb;
	char err[160];

	if (hostop_parse((const char *)data, len, &p, err, sizeof(err)) == 0) {
		sb_init(&sb);
		hostop_fmt(&p.op, &sb);
		sb_free(&sb);
		hostop_parsed_free(&p);
	}
	return (0);
}
