/*
 * bcfg.c: a bhyve configuration tree kept as flat variables.
 */
#include "compat.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bcfg.h"

void
bcfg_init(struct bcfg *c)
{

	memset(c, 0, sizeof(*c));
}

void
bcfg_free(struct bcfg *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].val);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

struct bcfg_var *
bcfg_find(const struct bcfg *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].key, key) == 0)
			return (&c->v[i]);
	return (NULL);
}

const char *
bcfg_get(const struct bcfg *c, const char *key)
{
	struct bcfg_var *v;

	return ((v = bcfg_find(c, key)) != NULL ? v->val : NULL);
}

int
bcfg_set(struct bcfg *c, const char *key, const char *val, const char *file,
    unsigned line)
{
	struct bcfg_var *v, *nv;
	char *k, *s;
	size_t ncap;

	if ((s = strdup(val)) == NULL)
		return (ENOMEM);
	if ((v = bcfg_find(c, key)) != NULL) {
		free(v->val);
		v->val = s;
		v->file = file;
		v->line = line;
		return (0);
	}
	if ((k = strdup(key)) == NULL) {
		free(s);
		return (ENOMEM);
	}
	if (c->n == c->cap) {
		ncap = c->cap == 0 ? 32 : c->cap * 2;
		if ((nv = reallocarray(c->v, ncap, sizeof(*nv))) == NULL) {
			free(k);
			free(s);
			return (ENOMEM);
		}
		c->v = nv;
		c->cap = ncap;
	}
	v = &c->v[c->n++];
	v->key = k;
	v->val = s;
	v->file = file;
	v->line = line;
	return (0);
}

void
bcfg_escape(struct strbuf *sb, const char *s)
{

	for (; *s != '\0'; s++) {
		if (*s == '%' || *s == '\\')
			sb_putc(sb, '\\');
		sb_putc(sb, *s);
	}
}

int
bcfg_set_lit(struct bcfg *c, const char *key, const char *val,
    const char *file, unsigned line)
{
	struct strbuf sb;
	int e;

	if (strpbrk(val, "%\\") == NULL)
		return (bcfg_set(c, key, val, file, line));
	sb_init(&sb);
	bcfg_escape(&sb, val);
	e = sb.oom ? ENOMEM : bcfg_set(c, key, sb_str(&sb), file, line);
	sb_free(&sb);
	return (e);
}

char *
bcfg_get_lit(const struct bcfg *c, const char *key)
{
	const char *v;
	char *out, *o;

	if ((v = bcfg_get(c, key)) == NULL)
		return (NULL);
	if ((out = malloc(strlen(v) + 1)) == NULL)
		return (NULL);
	for (o = out; *v != '\0'; v++) {
		if (*v == '\\' && v[1] != '\0')
			v++;
		*o++ = *v;
	}
	*o = '\0';
	return (out);
}

bool
bcfg_has_node(const struct bcfg *c, const char *prefix)
{
	size_t i, n;

	n = strlen(prefix);
	for (i = 0; i < c->n; i++)
		if (strncmp(c->v[i].key, prefix, n) == 0 &&
		    c->v[i].key[n] == '.')
			return (true);
	return (false);
}

/* Component by component; runs of digits compare as numbers. */
int
bcfg_keycmp(const char *a, const char *b)
{
	const char *ea, *eb;
	size_t la, lb;

	while (*a != '\0' && *b != '\0') {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (ea = a; isdigit((unsigned char)*ea); ea++)
				;
			for (eb = b; isdigit((unsigned char)*eb); eb++)
				;
			la = (size_t)(ea - a);
			lb = (size_t)(eb - b);
			if (la != lb)
				return (la < lb ? -1 : 1);
			if (memcmp(a, b, la) != 0)
				return (memcmp(a, b, la));
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b) {
			/* A shorter component sorts first: "." before letters. */
			if (*a == '.')
				return (-1);
			if (*b == '.')
				return (1);
			return ((unsigned char)*a < (unsigned char)*b ? -1 : 1);
		}
		a++;
		b++;
	}
	return (*a == *b ? 0 : (*a == '\0' ? -1 : 1));
}

static int
var_cmp(const void *x, const void *y)
{
	const struct bcfg_var *a = x, *b = y;

	return (bcfg_keycmp(a->key, b->key));
}

void
bcfg_sort(struct bcfg *c)
{

	if (c->n > 1)
		qsort(c->v, c->n, sizeof(c->v[0]), var_cmp);
}

static void
var_diag(struct diags *d, const struct bcfg_var *v, const char *fmt,
    const char *a, const char *b)
{

	diag_add(d, DIAG_ERROR, v->file, v->line, fmt, a, b);
}

/* Whether %(ref) references in v's value name existing variables. */
static void
check_refs(const struct bcfg *c, const struct bcfg_var *v, struct diags *d)
{
	const char *p, *e;
	char ref[256];
	size_t n;

	for (p = v->val; *p != '\0'; p++) {
		if (*p == '\\') {
			if (p[1] == '\0')
				break;
			p++;
			continue;
		}
		if (*p != '%')
			continue;
		if (p[1] != '(' || (e = strchr(p + 2, ')')) == NULL ||
		    e == p + 2) {
			var_diag(d, v, "%s: '%%' starts a reference %%(name) "
			    "in bhyve values; write \\%% for a percent sign%s",
			    v->key, "");
			return;
		}
		n = (size_t)(e - (p + 2));
		if (n >= sizeof(ref))
			n = sizeof(ref) - 1;
		memcpy(ref, p + 2, n);
		ref[n] = '\0';
		if (bcfg_find(c, ref) == NULL)
			var_diag(d, v, "%s: refers to %%(%s), which is not set",
			    v->key, ref);
		p = e;
	}
}

int
bcfg_check_tree(const struct bcfg *c, struct diags *d)
{
	const struct bcfg_var *v;
	size_t i, j, n;
	int before;

	before = d->nerrors;
	for (i = 0; i < c->n; i++) {
		v = &c->v[i];
		if (v->key[0] == '\0' || v->key[0] == '.' ||
		    v->key[strlen(v->key) - 1] == '.' ||
		    strstr(v->key, "..") != NULL)
			var_diag(d, v, "\"%s\": a key is names joined by single "
			    "dots%s", v->key, "");
		if (v->val[0] == '\0')
			var_diag(d, v, "%s: empty value; bhyve refuses it "
			    "(remove the line to use the default)%s", v->key,
			    "");
		check_refs(c, v, d);
		n = strlen(v->key);
		for (j = 0; j < c->n; j++)
			if (j != i && strncmp(c->v[j].key, v->key, n) == 0 &&
			    c->v[j].key[n] == '.') {
				diag_add(d, DIAG_ERROR, c->v[j].file,
				    c->v[j].line, "%s: %s is a value (set at "
				    "%s%s%u), so it cannot have members",
				    c->v[j].key, v->key,
				    v->file != NULL ? v->file : "ptvm",
				    v->file != NULL ? ":" : " line ", v->line);
				break;
			}
	}
	return (d->nerrors > before ? -1 : 0);
}

void
bcfg_write(const struct bcfg *c, struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		sb_printf(sb, "%s=%s\n", c->v[i].key, c->v[i].val);
}

int
bcfg_bool(const char *s)
{

	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "on") == 0 ||
	    strcasecmp(s, "yes") == 0 || strcmp(s, "1") == 0)
		return (1);
	if (strcasecmp(s, "false") == 0 || strcasecmp(s, "off") == 0 ||
	    strcasecmp(s, "no") == 0 || strcmp(s, "0") == 0)
		return (0);
	return (-1);
}
