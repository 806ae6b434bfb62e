/*
 * kv.c: name/value lists and the parsers for captured sysctl, kenv and
 * kldstat output.
 */
#include "compat.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "strbuf.h"

#define KV_MAXLINE	65536

void
kv_init(struct kv_list *l)
{

	l->v = NULL;
	l->n = l->cap = 0;
}

void
kv_free(struct kv_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].value);
	}
	free(l->v);
	kv_init(l);
}

static struct kv *
kv_find(const struct kv_list *l, const char *name)
{
	size_t i;

	/* Newest first: a later line wins, as with repeated assignments. */
	for (i = l->n; i-- > 0;)
		if (strcmp(l->v[i].name, name) == 0)
			return (&l->v[i]);
	return (NULL);
}

const char *
kv_get(const struct kv_list *l, const char *name)
{
	struct kv *x;

	x = kv_find(l, name);
	return (x != NULL ? x->value : NULL);
}

static struct kv *
kv_append(struct kv_list *l, const char *name, size_t nlen, const char *val,
    size_t vlen, unsigned line)
{
	struct kv *nv, *x;

	if (l->n >= KV_MAXENTRIES)
		return (NULL);
	if (l->n == l->cap) {
		nv = reallocarray(l->v, l->cap ? l->cap * 2 : 64, sizeof(*nv));
		if (nv == NULL)
			return (NULL);
		l->v = nv;
		l->cap = l->cap ? l->cap * 2 : 64;
	}
	x = &l->v[l->n];
	x->name = strndup(name, nlen);
	x->value = strndup(val, vlen);
	x->line = line;
	if (x->name == NULL || x->value == NULL) {
		free(x->name);
		free(x->value);
		return (NULL);
	}
	l->n++;
	return (x);
}

int
kv_set(struct kv_list *l, const char *name, const char *value)
{
	struct kv *x;
	char *nv;

	x = kv_find(l, name);
	if (value == NULL) {
		if (x != NULL) {
			free(x->name);
			free(x->value);
			memmove(x, x + 1, (size_t)(&l->v[l->n] - (x + 1)) *
			    sizeof(*x));
			l->n--;
		}
		return (0);
	}
	if (x != NULL) {
		if ((nv = strdup(value)) == NULL)
			return (-1);
		free(x->value);
		x->value = nv;
		return (0);
	}
	return (kv_append(l, name, strlen(name), value, strlen(value), 0) ==
	    NULL ? -1 : 0);
}

/* Line iteration shared by the three parsers. */
struct lines {
	const char	*p;
	const char	*end;
	unsigned	 line;
};

static bool
next_line(struct lines *it, const char **s, size_t *n)
{
	const char *nl;

	if (it->p >= it->end)
		return (false);
	nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	if (nl == NULL)
		nl = it->end;
	*s = it->p;
	*n = (size_t)(nl - it->p);
	if (*n > 0 && (*s)[*n - 1] == '\r')
		(*n)--;
	it->p = nl + 1;
	it->line++;
	return (true);
}

static int
check_binary(const char *buf, size_t len, const char *fname,
    struct diags *d, const char *what)
{
	const char *z;

	if ((z = memchr(buf, '\0', len)) != NULL) {
		diag_add_off(d, DIAG_ERROR, fname, (long long)(z - buf),
		    "binary data (a NUL byte); expected the text output of "
		    "'%s'", what);
		return (-1);
	}
	return (0);
}

static bool
is_name_char(int c)
{

	return (isalnum(c) || c == '_' || c == '.' || c == '%' || c == '-');
}

/* Length of a sysctl/kenv name at the start of s, 0 if none. */
static size_t
name_len(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !(isalnum((unsigned char)s[0]) || s[0] == '_'))
		return (0);
	for (i = 0; i < n && is_name_char((unsigned char)s[i]); i++)
		;
	return (i);
}

static void
trim(const char **s, size_t *n)
{

	while (*n > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

int
kv_parse_sysctl(const char *buf, size_t len, const char *fname,
    struct kv_list *l, struct diags *d)
{
	struct lines it = { buf, buf + len, 0 };
	struct strbuf val;
	const char *s, *v;
	size_t n, nl, vn;
	struct kv *cur;
	int nbad;
	char *nv;

	if (check_binary(buf, len, fname, d, "sysctl -a") != 0)
		return (-1);
	sb_init(&val);
	cur = NULL;
	nbad = 0;
	while (next_line(&it, &s, &n)) {
		if (n > KV_MAXLINE) {
			diag_err(d, fname, it.line, "line longer than %d "
			    "bytes", KV_MAXLINE);
			nbad++;
			continue;
		}
		nl = name_len(s, n);
		if (nl > 0 && nl < n && (s[nl] == ':' || s[nl] == '=') &&
		    (s[nl] == '=' || nl + 1 == n || s[nl + 1] == ' ')) {
			v = s + nl + 1;
			vn = n - nl - 1;
			trim(&v, &vn);
			cur = kv_append(l, s, nl, v, vn, it.line);
			if (cur == NULL) {
				diag_err(d, fname, it.line, "too many entries "
				    "or out of memory");
				sb_free(&val);
				return (-1);
			}
			continue;
		}
		if (cur == NULL) {
			if (n > 0 && nbad++ < 5)
				diag_warn(d, fname, it.line, "ignoring a line "
				    "that is not \"name: value\"");
			continue;
		}
		/* A continuation of a multi-line value. */
		sb_reset(&val);
		sb_puts(&val, cur->value);
		sb_putc(&val, '\n');
		sb_putn(&val, s, n);
		if (val.oom || (nv = strdup(sb_str(&val))) == NULL) {
			sb_free(&val);
			diag_err(d, fname, it.line, "out of memory");
			return (-1);
		}
		free(cur->value);
		cur->value = nv;
	}
	sb_free(&val);
	return (0);
}

int
kv_parse_kenv(const char *buf, size_t len, const char *fname,
    struct kv_list *l, struct diags *d)
{
	struct lines it = { buf, buf + len, 0 };
	const char *s, *v;
	size_t n, nl, vn;
	int nerr;

	if (check_binary(buf, len, fname, d, "kenv") != 0)
		return (-1);
	nerr = 0;
	while (next_line(&it, &s, &n)) {
		trim(&s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		nl = name_len(s, n);
		if (nl == 0 || nl >= n || s[nl] != '=') {
			diag_err(d, fname, it.line, "expected name=\"value\" "
			    "as kenv prints it");
			if (++nerr > 20)
				return (-1);
			continue;
		}
		v = s + nl + 1;
		vn = n - nl - 1;
		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
			v++;
			vn -= 2;
		}
		if (kv_append(l, s, nl, v, vn, it.line) == NULL) {
			diag_err(d, fname, it.line, "too many entries or out "
			    "of memory");
			return (-1);
		}
	}
	return (nerr > 0 ? -1 : 0);
}

int
kv_parse_kldstat(const char *buf, size_t len, const char *fname,
    struct kv_list *l, struct diags *d)
{
	struct lines it = { buf, buf + len, 0 };
	const char *s, *w[5];
	size_t n, wl[5], i;
	int nw;

	if (check_binary(buf, len, fname, d, "kldstat") != 0)
		return (-1);
	while (next_line(&it, &s, &n)) {
		/* Only " Id Refs Address Size Name" rows; skip -v detail. */
		nw = 0;
		i = 0;
		while (i < n && nw < 5) {
			while (i < n && isspace((unsigned char)s[i]))
				i++;
			if (i >= n)
				break;
			w[nw] = s + i;
			while (i < n && !isspace((unsigned char)s[i]))
				i++;
			wl[nw] = (size_t)(s + i - w[nw]);
			nw++;
		}
		if (nw != 5 || !isdigit((unsigned char)w[0][0]) ||
		    wl[2] < 3 || memcmp(w[2], "0x", 2) != 0)
			continue;
		if (kv_append(l, w[4], wl[4], "", 0, it.line) == NULL) {
			diag_err(d, fname, it.line, "too many entries or out "
			    "of memory");
			return (-1);
		}
	}
	return (0);
}
