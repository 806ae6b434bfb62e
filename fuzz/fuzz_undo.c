/*
 * libFuzzer target: the undo journal.  Whatever parses must format to a
 * journal that parses back to the same entries.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "undo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct undo_list l, l2;
	struct strbuf sb;
	struct diags d;
	size_t i;
	int k;

	diags_init(&d);
	undo_init(&l);
	undo_init(&l2);
	if (undo_parse((const char *)data, len, "f", &l, &d) == 0) {
		sb_init(&sb);
		undo_format(&l, "vm", &sb);
		if (sb.oom || undo_parse(sb_str(&sb), sb.len, "g", &l2,
		    &d) != 0 || l2.n != l.n)
			abort();
		for (i = 0; i < l.n; i++) {
			if (l.e[i].kind != l2.e[i].kind ||
			    l.e[i].nw != l2.e[i].nw)
				abort();
			for (k = 0; k < l.e[i].nw; k++)
				if (strcmp(l.e[i].w[k], l2.e[i].w[k]) != 0)
					abort();
		}
		sb_free(&sb);
	}
	undo_free(&l);
	undo_free(&l2);
	diags_free(&d);
	return (0);
}
