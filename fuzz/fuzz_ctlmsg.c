/*
 * libFuzzer target: the supervisor's control-socket requests and replies
 * and the start pipe's lines (lib/ctlmsg.c).  Each input line is parsed
 * for every channel; what parses must format to one bounded line that
 * parses back to the same message and formats to the same line.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "ctlmsg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static bool
same(const struct ctl_msg *a, const struct ctl_msg *b)
{

	return (a->kind == b->kind && a->timeout == b->timeout &&
	    a->force == b->force && a->within == b->within &&
	    a->seconds == b->seconds && a->code == b->code &&
	    a->pid == b->pid && a->level == b->level &&
	    strcmp(a->text, b->text) == 0);
}

static void
one(enum ctl_chan ch, const char *s, size_t len)
{
	struct ctl_msg m, m2;
	char a[CTL_LINEMAX], b[CTL_LINEMAX];
	int n, n2;

	if (ctl_parse(ch, s, len, &m) != 0)
		return;
	if (strnlen(m.text, sizeof(m.text)) >= sizeof(m.text))
		abort();
	if ((n = ctl_format(&m, a, sizeof(a))) <= 0 || (size_t)n >= sizeof(a) ||
	    a[n - 1] != '\n' || memchr(a, '\n', (size_t)n - 1) != NULL ||
	    strlen(a) != (size_t)n)
		abort();
	if (ctl_parse(ch, a, (size_t)n - 1, &m2) != 0 || !same(&m, &m2))
		abort();
	if ((n2 = ctl_format(&m2, b, sizeof(b))) != n || memcmp(a, b,
	    (size_t)n) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *p, *nl, *end;
	struct ctl_msg m;
	char line[CTL_LINEMAX];

	end = (const char *)data + len;
	for (p = (const char *)data; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		one(CTL_CH_REQUEST, p, (size_t)(nl - p));
		one(CTL_CH_REPLY, p, (size_t)(nl - p));
		one(CTL_CH_START, p, (size_t)(nl - p));
	}
	/* Arbitrary text set directly must still give one line. */
	ctl_init(&m, len > 0 ? (enum ctl_kind)(data[0] % 8) : CTL_LOG);
	m.code = m.seconds = m.timeout = m.within = len > 1 ? data[1] : 0;
	m.pid = 1;
	memcpy(m.text, data, len < sizeof(m.text) ? len : sizeof(m.text));
	m.text[sizeof(m.text) - 1] = '\0';
	if (ctl_format(&m, line, sizeof(line)) > 0 &&
	    memchr(line, '\n', strlen(line) - 1) != NULL)
		abort();
	return (0);
}
