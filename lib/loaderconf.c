/*
 * loaderconf.c: comment-preserving edits of loader.conf and sysctl.conf.
 */
#include "compat.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "loaderconf.h"

/*
 * If the line assigns name, returns true and sets the value span and the
 * start of a trailing comment (or the line end).
 */
static bool
line_assigns(const char *s, size_t n, const char *name, size_t *vs,
    size_t *ve, size_t *cs)
{
	size_t i, nl;
	bool q;

	i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	nl = strlen(name);
	if (n - i < nl || memcmp(s + i, name, nl) != 0)
		return (false);
	i += nl;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] != '=')
		return (false);
	i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*vs = i;
	q = false;
	while (i < n && (q || s[i] != '#')) {
		if (s[i] == '"')
			q = !q;
		i++;
	}
	*cs = i;
	while (i > *vs && isspace((unsigned char)s[i - 1]))
		i--;
	*ve = i;
	return (true);
}

static void
put_assign(struct strbuf *out, enum conf_style st, const char *name,
    const char *value)
{

	if (st == CONF_LOADER)
		sb_printf(out, "%s=\"%s\"", name, value);
	else
		sb_printf(out, "%s=%s", name, value);
}

int
conf_set(const char *old, size_t len, enum conf_style st, const char *name,
    const char *value, const char *comment, struct strbuf *out)
{
	const char *p, *nl, *end, *eol, *fileeol;
	size_t n, vs, ve, cs;
	bool done;
	int changed;

	if (len == 0)
		old = "";	/* an empty file may have no buffer */
	changed = 0;
	done = false;
	end = old + len;
	/* A file of CRLF lines (its first line says) gets CRLF lines. */
	nl = memchr(old, '\n', len);
	fileeol = nl != NULL && nl > old && nl[-1] == '\r' ? "\r\n" : "\n";
	for (p = old; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		/* Each line keeps its own end, CR included. */
		eol = nl == end ? fileeol : "\n";
		if (n > 0 && p[n - 1] == '\r') {
			eol = "\r\n";
			n--;
		}
		if (!line_assigns(p, n, name, &vs, &ve, &cs)) {
			sb_putn(out, p, n);
			sb_puts(out, eol);
			continue;
		}
		if (done || value == NULL) {
			/* A second assignment would override ours. */
			sb_puts(out, "#");
			sb_putn(out, p, n);
			sb_printf(out, "\t# disabled by ptvm%s", eol);
			changed = 1;
			continue;
		}
		done = true;
		sb_putn(out, p, vs);
		if (st == CONF_LOADER)
			sb_printf(out, "\"%s\"", value);
		else
			sb_puts(out, value);
		if (cs < n) {
			sb_putn(out, p + ve, cs - ve);
			sb_putn(out, p + cs, n - cs);
		}
		sb_puts(out, eol);
		{
			char *cur = conf_get(p, n, name);

			if (cur == NULL || strcmp(cur, value) != 0)
				changed = 1;
			free(cur);
		}
	}
	if (!done && value != NULL) {
		if (comment != NULL)
			sb_printf(out, "# %s%s", comment, fileeol);
		put_assign(out, st, name, value);
		sb_puts(out, fileeol);
		changed = 1;
	}
	return (changed);
}

char *
conf_get(const char *buf, size_t len, const char *name)
{
	const char *p, *nl, *end;
	size_t n, vs, ve, cs;
	char *r;

	if (len == 0)
		return (NULL);
	r = NULL;
	end = buf + len;
	for (p = buf; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (!line_assigns(p, n, name, &vs, &ve, &cs))
			continue;
		if (ve - vs >= 2 && p[vs] == '"' && p[ve - 1] == '"') {
			vs++;
			ve--;
		}
		free(r);
		r = strndup(p + vs, ve - vs);
	}
	return (r);
}
