/*
 * vmconf.c: reading VM files (ptvm.conf(5)).
 */
#include "compat.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"
#include "vmconf.h"

bool
vm_name_ok(const char *s)
{
	size_t n;

	if (s[0] == '\0' || s[0] == '.' || s[0] == '-')
		return (false);
	for (n = 0; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '-' &&
		    s[n] != '_' && s[n] != '.')
			return (false);
	return (n <= VM_NAMEMAX);
}

int
vm_name_of_path(const char *path, char *out, size_t outlen)
{
	const char *b;
	size_t n;

	b = strrchr(path, '/');
	b = b != NULL ? b + 1 : path;
	n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".conf") == 0)
		n -= 5;
	if (n == 0 || n >= outlen)
		return (-1);
	memcpy(out, b, n);
	out[n] = '\0';
	return (vm_name_ok(out) ? 0 : -1);
}

static bool
key_char_ok(int c)
{

	return (isalnum(c) || c == '.' || c == '_' || c == '-');
}

bool
vm_key_ok(const char *s)
{
	const char *p;

	for (p = s; *p != '\0' && key_char_ok((unsigned char)*p); p++)
		;
	return (s[0] != '\0' && *p == '\0');
}

static const char *
ctl_name(int c)
{

	switch (c) {
	case '\n':
		return ("a newline");
	case '\r':
		return ("a carriage return");
	case '\t':
		return ("a tab");
	case 0x1b:
		return ("an escape");
	default:
		return ("");
	}
}

/* The rules of parse_line(), trimmed_dup() and unquote() below. */
int
vm_value_form(const char *v, char *why, size_t wl)
{
	size_t i, n;

	n = strlen(v);
	if (n > VM_VALUEMAX) {
		(void)snprintf(why, wl, "the value is longer than %d bytes",
		    VM_VALUEMAX);
		return (-1);
	}
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			if (*ctl_name((unsigned char)v[i]) != '\0')
				(void)snprintf(why, wl, "the value has a "
				    "control character (%s) at byte %zu; a VM "
				    "file holds one line per key",
				    ctl_name((unsigned char)v[i]), i + 1);
			else
				(void)snprintf(why, wl, "the value has a "
				    "control character (0x%02x) at byte %zu; a "
				    "VM file holds one line per key",
				    (unsigned char)v[i], i + 1);
			return (-1);
		}
	if (n > 0 && (v[0] == ' ' || v[0] == '"' || v[n - 1] == ' ' ||
	    v[n - 1] == '"'))
		return (1);
	return (0);
}

int
vm_put_pair(struct strbuf *sb, const char *key, const char *val, char *why,
    size_t wl)
{
	int form;

	if (!vm_key_ok(key)) {
		(void)snprintf(why, wl, "not a key a VM file can hold (letters, "
		    "digits, '.', '_' and '-')");
		return (-1);
	}
	if ((form = vm_value_form(val, why, wl)) < 0)
		return (-1);
	sb_printf(sb, form == 1 ? "%s=\"%s\"\n" : "%s=%s\n", key, val);
	return (0);
}

static char *
trimmed_dup(const char *b, const char *e)
{
	char *s;

	while (b < e && (*b == ' ' || *b == '\t'))
		b++;
	while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if ((s = malloc((size_t)(e - b) + 1)) == NULL)
		return (NULL);
	memcpy(s, b, (size_t)(e - b));
	s[e - b] = '\0';
	return (s);
}

static int
add_line(struct vmconf *c, char *key, char *val, unsigned line)
{
	struct vmconf_line *nl;

	if ((c->n & 63) == 0) {
		if ((nl = reallocarray(c->l, c->n + 64, sizeof(*nl))) == NULL)
			return (ENOMEM);
		c->l = nl;
	}
	c->l[c->n].key = key;
	c->l[c->n].val = val;
	c->l[c->n].line = line;
	c->n++;
	return (0);
}

/* Checks and strips the value's quotes in place; -1 with a diagnostic. */
static int
unquote(char *v, const char *file, unsigned line, struct diags *d)
{
	size_t n;

	n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		memmove(v, v + 1, n - 2);
		v[n - 2] = '\0';
		return (0);
	}
	if ((n >= 1 && v[0] == '"') || (n >= 2 && v[n - 1] == '"' &&
	    strchr(v, '"') == v + n - 1)) {
		diag_err(d, file, line, "unbalanced double quote; write "
		    "key=\"value\" or leave the quotes out");
		return (-1);
	}
	return (0);
}

static int
parse_line(struct vmconf *c, const char *b, const char *e, unsigned line,
    struct diags *d)
{
	const char *eq;
	char *key, *val;

	while (b < e && (*b == ' ' || *b == '\t'))
		b++;
	if (b == e || *b == '#' || (e - b == 1 && *b == '\r'))
		return (0);
	if (memchr(b, '\0', (size_t)(e - b)) != NULL) {
		diag_err(d, c->file, line, "NUL byte in the line; is this a "
		    "text file?");
		return (-1);
	}
	if ((eq = memchr(b, '=', (size_t)(e - b))) == NULL) {
		diag_err(d, c->file, line, "expected key=value");
		return (-1);
	}
	if ((key = trimmed_dup(b, eq)) == NULL ||
	    (val = trimmed_dup(eq + 1, e)) == NULL) {
		free(key);
		return (ENOMEM);
	}
	if (!vm_key_ok(key)) {
		diag_err(d, c->file, line, "\"%s\": a key is letters, digits, "
		    "'.', '_' and '-'", key);
		free(key);
		free(val);
		return (-1);
	}
	if (unquote(val, c->file, line, d) != 0) {
		free(key);
		free(val);
		return (-1);
	}
	if (add_line(c, key, val, line) != 0) {
		free(key);
		free(val);
		return (ENOMEM);
	}
	return (0);
}

int
vmconf_parse(const char *buf, size_t len, const char *file, const char *name,
    struct vmconf *c, struct diags *d)
{
	const char *p, *end, *nl;
	unsigned line;
	int bad;

	memset(c, 0, sizeof(*c));
	if ((c->file = strdup(file)) == NULL)
		return (-1);
	if (strlcpy(c->name, name, sizeof(c->name)) >= sizeof(c->name) ||
	    !vm_name_ok(name)) {
		diag_err(d, file, 0, "\"%s\" is not a VM name: use letters, "
		    "digits, '-', '_' and '.', at most %d", name, VM_NAMEMAX);
		return (-1);
	}
	bad = 0;
	end = buf + len;
	for (p = buf, line = 1; p < end; p = nl + 1, line++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (line > VM_MAXLINES) {
			diag_err(d, file, line, "more than %d lines; is this "
			    "a VM file?", VM_MAXLINES);
			return (-1);
		}
		switch (parse_line(c, p, nl, line, d)) {
		case 0:
			break;
		case ENOMEM:
			diag_err(d, file, line, "out of memory");
			return (-1);
		default:
			bad = 1;
		}
		if (nl == end)
			break;
	}
	return (bad ? -1 : 0);
}

void
vmconf_free(struct vmconf *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->l[i].key);
		free(c->l[i].val);
	}
	free(c->l);
	free(c->file);
	memset(c, 0, sizeof(*c));
}

const struct vmconf_line *
vmconf_get(const struct vmconf *c, const char *key)
{
	size_t i;

	for (i = c->n; i > 0; i--)
		if (strcmp(c->l[i - 1].key, key) == 0)
			return (&c->l[i - 1]);
	return (NULL);
}

/* Digits, then one of "KMGTPEZ"[0..maxu) and an optional B. */
static int
size_parse(const char *s, unsigned maxu, uint64_t *out)
{
	static const char units[] = "KMGTPEZ";
	const char *p, *u;
	uint64_t v;
	unsigned shift;
	bool big;

	if (!isdigit((unsigned char)*s))
		return (-1);
	big = false;
	for (v = 0, p = s; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			big = true;
		else
			v = v * 10 + (uint64_t)(*p - '0');
	}
	shift = 0;
	if (*p != '\0') {
		if ((u = strchr(units, toupper((unsigned char)*p))) == NULL ||
		    (unsigned)(u - units) >= maxu)
			return (-1);
		shift = 10 * (unsigned)(u - units + 1);
		p++;
		if ((*p == 'b' || *p == 'B'))
			p++;
		if (*p != '\0')
			return (-1);
	}
	if (big || (shift > 0 && (shift >= 64 || v > (UINT64_MAX >> shift))))
		return (1);
	*out = v << shift;
	return (0);
}

int
vm_parse_size(const char *s, uint64_t *out)
{

	return (size_parse(s, 4, out) == 0 ? 0 : -1);
}

int
vm_parse_size_zfs(const char *s, uint64_t *out)
{

	return (size_parse(s, 7, out));
}
