/*
 * rcconf.c: rc.conf(5) variables read and set as sysrc(8) does (see
 * rcconf.h; docs/freebsd.md L5).
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rcconf.h"

/* The line [b, e) assigns name: the offset of its value, or 0. */
static size_t
assigns(const char *b, const char *e, const char *name)
{
	const char *p;
	size_t n;

	n = strlen(name);
	for (p = b; p < e && (*p == ' ' || *p == '\t'); p++)
		;
	if ((size_t)(e - p) <= n || memcmp(p, name, n) != 0 || p[n] != '=')
		return (0);
	return ((size_t)(p + n + 1 - b));
}

/* The last line assigning name: its start, end and number. */
static bool
last(const char *buf, size_t len, const char *name, const char **lb,
    const char **le, unsigned *line)
{
	const char *p, *e, *end;
	unsigned n;
	bool found;

	found = false;
	end = buf + len;
	for (p = buf, n = 1; p < end; p = e + 1, n++) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		if (assigns(p, e, name) != 0) {
			*lb = p;
			*le = e;
			*line = n;
			found = true;
		}
		if (e == end)
			break;
	}
	return (found);
}

/*
 * The value of the assignment at [b, e): its text in v, where it ends
 * (*ve).  -1 when it is not a plain value.
 */
static int
value(const char *b, const char *e, const char *name, struct strbuf *v,
    const char **ve, char *why, size_t wl)
{
	const char *p;
	char q;

	p = b + assigns(b, e, name);
	q = p < e && (*p == '"' || *p == '\'') ? *p : '\0';
	if (q != '\0')
		p++;
	for (; p < e; p++) {
		if (q != '\0' && *p == q)
			break;
		if (q == '\0' && (*p == ' ' || *p == '\t' || *p == '#' ||
		    *p == ';' || *p == '\r'))
			break;
		if (*p == '\\' || *p == '`' || (*p == '$' && q != '\'') ||
		    (q == '\0' && (*p == '"' || *p == '\''))) {
			(void)snprintf(why, wl, "%s is not a plain value (it "
			    "has %c); edit it by hand", name, *p);
			return (-1);
		}
		sb_putc(v, *p);
	}
	if (q != '\0') {
		if (p == e) {
			(void)snprintf(why, wl, "%s: the quote is not closed on "
			    "its line; edit it by hand", name);
			return (-1);
		}
		p++;
	}
	*ve = p;
	return (0);
}

int
rcconf_get(const char *buf, size_t len, const char *name, char **val,
    unsigned *line, char *why, size_t wl)
{
	struct strbuf v;
	const char *lb, *le, *ve;

	*val = NULL;
	*line = 0;
	if (!last(buf, len, name, &lb, &le, line))
		return (1);
	sb_init(&v);
	if (value(lb, le, name, &v, &ve, why, wl) != 0 || v.oom) {
		sb_free(&v);
		return (-1);
	}
	if ((*val = strdup(sb_str(&v))) == NULL) {
		sb_free(&v);
		return (-1);
	}
	sb_free(&v);
	return (0);
}

int
rcconf_set(const char *buf, size_t len, const char *name, const char *val,
    struct strbuf *out, unsigned *line, char *why, size_t wl)
{
	struct strbuf v;
	const char *lb, *le, *ve, *p, *end;
	unsigned n;
	char q;

	for (p = val; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == '"' || *p == '$' ||
		    *p == '`' || *p == '\\' || *p == 0x7f) {
			(void)snprintf(why, wl, "%s: the value cannot be "
			    "written as it is", name);
			return (-1);
		}
	end = buf + len;
	if (!last(buf, len, name, &lb, &le, line)) {
		sb_putn(out, buf, len);
		if (len > 0 && buf[len - 1] != '\n')
			sb_putc(out, '\n');
		for (n = 1, p = buf; p < end; p++)
			if (*p == '\n')
				n++;
		*line = len > 0 && buf[len - 1] != '\n' ? n + 1 : n;
		sb_printf(out, "%s=\"%s\"\n", name, val);
		return (out->oom ? -1 : 0);
	}
	/*
	 * sysrc's f_sysrc_set_awk (docs/freebsd.md L5): a value starting
	 * with $, ` or \ is left alone and the new assignment appended; a
	 * single-quoted one stays single-quoted; any other is double-quoted.
	 */
	p = lb + assigns(lb, le, name);
	if (p < le && (*p == '$' || *p == '`' || *p == '\\')) {
		sb_putn(out, buf, len);
		if (len > 0 && buf[len - 1] != '\n')
			sb_putc(out, '\n');
		for (n = 1, p = buf; p < end; p++)
			if (*p == '\n')
				n++;
		*line = len > 0 && buf[len - 1] != '\n' ? n + 1 : n;
		sb_printf(out, "%s=\"%s\"\n", name, val);
		return (out->oom ? -1 : 0);
	}
	q = p < le ? *p : '\0';
	if (q == '\'' && strchr(val, '\'') != NULL) {
		(void)snprintf(why, wl, "%s: the value cannot be written as it "
		    "is", name);
		return (-1);
	}
	sb_init(&v);
	if (value(lb, le, name, &v, &ve, why, wl) != 0) {
		sb_free(&v);
		return (-1);
	}
	sb_free(&v);
	/* Its leading blanks and what follows the value are kept. */
	sb_putn(out, buf, (size_t)(lb - buf) + assigns(lb, le, name));
	sb_printf(out, q == '\'' ? "'%s'" : "\"%s\"", val);
	sb_putn(out, ve, (size_t)(end - ve));
	return (out->oom ? -1 : 0);
}
