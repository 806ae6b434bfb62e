/*
 * libFuzzer target: the rc.conf reader and setter (lib/rcconf.c), as
 * "ptvm autostart" uses them.  The first byte picks the name and value;
 * the rest is the file.  Properties: what rcconf_set() writes reads back
 * with rcconf_get() as the value set, at the line it said; the text
 * before the changed line is kept byte for byte; the same set again
 * changes nothing.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "rcconf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const names[] = { "ptvm_list", "ptvm_enable", "p" };
static const char *const values[] = { "winpt lin", "YES", "", "a-b_c.d" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct strbuf out, out2;
	const char *name, *value, *in;
	char why[160], *v;
	unsigned line, line2, l;
	size_t n, i;

	if (len < 1)
		return (0);
	name = names[data[0] % nitems(names)];
	value = values[(data[0] >> 2) % nitems(values)];
	in = (const char *)data + 1;
	n = len - 1;
	sb_init(&out);
	sb_init(&out2);
	(void)rcconf_get(in, n, name, &v, &line, why, sizeof(why));
	free(v);
	if (rcconf_set(in, n, name, value, &out, &line, why, sizeof(why)) != 0 ||
	    out.oom)
		goto done;
	if (rcconf_get(out.s, out.len, name, &v, &l, why, sizeof(why)) != 0 ||
	    strcmp(v, value) != 0 || l != line)
		abort();
	free(v);
	/* The lines before the changed one are as they were. */
	for (i = 0, l = 1; i < n && i < out.len && l < line; i++) {
		if (in[i] != out.s[i])
			abort();
		if (in[i] == '\n')
			l++;
	}
	if (rcconf_set(out.s, out.len, name, value, &out2, &line2, why,
	    sizeof(why)) != 0 || out2.oom)
		goto done;
	if (out2.len != out.len || memcmp(out.s, out2.s, out.len) != 0)
		abort();
done:
	sb_free(&out);
	sb_free(&out2);
	return (0);
}
