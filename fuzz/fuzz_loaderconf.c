/*
 * libFuzzer target: the loader.conf and sysctl.conf editor
 * (lib/loaderconf.c).  The first byte picks the style, the name, the value
 * (or removal) of the edit; the rest is the file.  Properties: every line
 * that does not assign the name comes out byte for byte, in order; an
 * assignment is either the one set or commented out; afterwards the file
 * says the value; an edit that reports no change found the value already
 * there; and the same edit again changes nothing.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "loaderconf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const names[] = {
	"pptdevs", "pptdevs2", "vmm_load", "hw.vmm.amdvi.enable",
	"kern.consmute", "hw.vmm",
};
static const char *const values[] = {
	"6/0/0 6/0/1", "YES", "1", "0", NULL, "",
};
#define DISABLED	"\t# disabled by ptvm"

/* The next line of [*p, end): its start and length; false at the end. */
static bool
next_line(const char **p, const char *end, const char **s, size_t *n)
{
	const char *nl;

	if (*p >= end)
		return (false);
	if ((nl = memchr(*p, '\n', (size_t)(end - *p))) == NULL)
		nl = end;
	*s = *p;
	*n = (size_t)(nl - *p);
	*p = nl + 1;
	return (true);
}

static bool
assigns(const char *s, size_t n, const char *name)
{
	char *v;

	if ((v = conf_get(s, n, name)) == NULL)
		return (false);
	free(v);
	return (true);
}

static bool
has_value(const char *buf, size_t len, const char *name, const char *value)
{
	char *v;
	bool r;

	v = conf_get(buf, len, name);
	r = value == NULL ? v == NULL : v != NULL && strcmp(v, value) == 0;
	free(v);
	return (r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *in, *ie, *op, *oe, *a, *b, *name, *value;
	struct strbuf out, out2;
	enum conf_style st;
	size_t an, bn;
	bool acr, bcr;
	int changed;

	if (len < 1)
		return (0);
	st = data[0] & 1 ? CONF_SYSCTL : CONF_LOADER;
	name = names[(data[0] >> 1) % nitems(names)];
	value = values[(data[0] >> 4) % nitems(values)];
	in = (const char *)data + 1;
	ie = (const char *)data + len;
	sb_init(&out);
	sb_init(&out2);
	changed = conf_set(in, (size_t)(ie - in), st, name, value,
	    "set by ptvm", &out);
	if (out.oom)
		goto done;
	if (changed == 0 && !has_value(in, (size_t)(ie - in), name, value))
		abort();
	if (!has_value(sb_str(&out), out.len, name, value))
		abort();
	/* Line by line: foreign lines verbatim, ours set or disabled. */
	op = sb_str(&out);
	oe = op + out.len;
	while (next_line(&in, ie, &a, &an)) {
		if (!next_line(&op, oe, &b, &bn))
			abort();
		/*
		 * Line endings: a CR LF line keeps its CR, and a last line
		 * without a newline may get the file's ending; compare the
		 * lines without one trailing CR each.
		 */
		acr = an > 0 && a[an - 1] == '\r';
		bcr = bn > 0 && b[bn - 1] == '\r';
		if (acr && !bcr)
			abort();
		if (acr)
			an--;
		if (bcr)
			bn--;
		if (!assigns(a, an, name)) {
			if (bn != an || memcmp(a, b, an) != 0)
				abort();
			continue;
		}
		if (bn == an + 1 + strlen(DISABLED) && b[0] == '#' &&
		    memcmp(b + 1, a, an) == 0 &&
		    memcmp(b + 1 + an, DISABLED, strlen(DISABLED)) == 0)
			continue;
		if (value == NULL || !has_value(b, bn, name, value))
			abort();
	}
	/* What is left: at most the comment and the new assignment. */
	if (next_line(&op, oe, &b, &bn)) {
		if (bn < 2 || b[0] != '#' || assigns(b, bn, name))
			abort();
		if (!next_line(&op, oe, &b, &bn) || value == NULL ||
		    !has_value(b, bn, name, value) || op < oe)
			abort();
	}
	/* Idempotent. */
	if (conf_set(sb_str(&out), out.len, st, name, value, "set by ptvm",
	    &out2) != 0 && !out2.oom)
		abort();
	if (!out2.oom && (out2.len != out.len ||
	    memcmp(sb_str(&out), sb_str(&out2), out.len) != 0))
		abort();
done:
	sb_free(&out);
	sb_free(&out2);
	return (0);
}
