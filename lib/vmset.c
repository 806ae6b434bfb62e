/*
 * vmset.c: setting keys of a VM file in place (vmedit_set(), vmedit.h),
 * for the commands that write one key or a few (pin --set, smbios).
 *
 * A key's line is replaced where it is; a commented "#key=..." line is
 * reused when there is no active one; otherwise the line goes at the
 * end, after the comment given.  Like every edit, the result is parsed
 * and must hold the old pairs with exactly these values set.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmconf.h"
#include "vmedit.h"

struct sline {
	const char	*b;
	size_t		 n;		/* without the line end */
	const char	*eol;
};

static bool
blank(char c)
{

	return (c == ' ' || c == '\t');
}

/*
 * Whether line [b, b + n) sets key: "key=" after blanks (active), or
 * "#key=" or "# key=" with nothing but the key before '=' (commented).
 */
static int
line_key(const char *b, size_t n, const char *key)
{
	const char *e = b + n, *p;
	size_t kl;
	bool hash;

	kl = strlen(key);
	for (p = b; p < e && blank(*p); p++)
		;
	hash = p < e && *p == '#';
	if (hash)
		for (p++; p < e && blank(*p); p++)
			;
	if ((size_t)(e - p) <= kl || memcmp(p, key, kl) != 0)
		return (0);
	for (p += kl; p < e && blank(*p); p++)
		;
	if (p == e || *p != '=')
		return (0);
	return (hash ? 2 : 1);
}

static int
split(const char *buf, size_t len, struct sline **lp, size_t *np)
{
	struct sline *l, *nl;
	const char *p, *end, *q;
	size_t n, cap;

	l = NULL;
	n = cap = 0;
	end = buf + len;
	for (p = buf; p < end; p = q + 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nl = reallocarray(l, cap, sizeof(*l))) == NULL) {
				free(l);
				return (-1);
			}
			l = nl;
		}
		if ((q = memchr(p, '\n', (size_t)(end - p))) == NULL)
			q = end;
		l[n].b = p;
		l[n].n = (size_t)(q - p);
		l[n].eol = q == end ? "" : "\n";
		if (q < end && q > p && q[-1] == '\r') {
			l[n].n--;
			l[n].eol = "\r\n";
		}
		n++;
		if (q == end)
			break;
	}
	*lp = l;
	*np = n;
	return (0);
}

static int
change(struct vmedit *e, enum vmedit_kind k, unsigned line, const char *before,
    size_t bl, const char *after, size_t al)
{
	struct vmedit_change *nc, *c;

	if ((nc = reallocarray(e->c, e->n + 1, sizeof(*nc))) == NULL)
		return (-1);
	e->c = nc;
	c = &e->c[e->n];
	memset(c, 0, sizeof(*c));
	c->kind = k;
	c->line = line;
	if ((before != NULL && (c->before = strndup(before, bl)) == NULL) ||
	    (c->after = strndup(after, al)) == NULL) {
		free(c->before);
		return (-1);
	}
	e->n++;
	return (0);
}

static bool
is_set(const struct vmedit_pair *p, size_t np, const char *key)
{
	size_t k;

	for (k = 0; k < np; k++)
		if (strcmp(p[k].key, key) == 0)
			return (true);
	return (false);
}

/*
 * The parsed pairs of the new text: the old ones in order, but for the
 * keys set, each of which is there once with its value.
 */
static bool
pairs_ok(const struct vmconf *o, const struct vmconf *n,
    const struct vmedit_pair *p, size_t np)
{
	size_t i, j, k, c;

	for (i = j = 0;; i++, j++) {
		while (i < o->n && is_set(p, np, o->l[i].key))
			i++;
		while (j < n->n && is_set(p, np, n->l[j].key))
			j++;
		if (i == o->n || j == n->n)
			break;
		if (strcmp(o->l[i].key, n->l[j].key) != 0 ||
		    strcmp(o->l[i].val, n->l[j].val) != 0)
			return (false);
	}
	if (i != o->n || j != n->n)
		return (false);
	for (k = 0; k < np; k++) {
		for (c = 0, j = 0; j < n->n; j++)
			if (strcmp(n->l[j].key, p[k].key) == 0) {
				if (strcmp(n->l[j].val, p[k].val) != 0)
					return (false);
				c++;
			}
		if (c != 1)
			return (false);
	}
	return (true);
}

int
vmedit_set(const char *buf, size_t len, const char *file,
    const struct vmedit_pair *p, size_t np, const char *comment,
    struct vmedit *e, struct diags *d)
{
	struct vmconf o, n;
	struct diags pd;
	struct strbuf pl;
	struct sline *l;
	const char *eol;
	char why[160];
	size_t nl, i, k, *at, start;
	unsigned line;
	int rc, kind;
	bool *done, added;

	l = NULL;
	at = NULL;
	done = NULL;
	rc = -1;
	sb_init(&pl);
	for (k = 0; k < np; k++)
		if (!vm_key_ok(p[k].key) || vm_value_form(p[k].val, why,
		    sizeof(why)) != 0) {
			diag_err(d, file, 0, "%s=%s: %s", p[k].key, p[k].val,
			    vm_key_ok(p[k].key) ? why : "not a key");
			return (-1);
		}
	if (split(buf, len, &l, &nl) != 0 ||
	    (at = calloc(np + 1, sizeof(*at))) == NULL ||
	    (done = calloc(np + 1, sizeof(*done))) == NULL)
		goto oom;
	/* Where each key goes: its active line, else its last comment. */
	for (k = 0; k < np; k++) {
		at[k] = SIZE_MAX;
		for (i = 0; i < nl; i++) {
			kind = line_key(l[i].b, l[i].n, p[k].key);
			if (kind == 1) {
				if (at[k] != SIZE_MAX && line_key(l[at[k]].b,
				    l[at[k]].n, p[k].key) == 1) {
					diag_err(d, file, (unsigned)i + 1,
					    "%s is set twice (line %zu too); "
					    "remove one", p[k].key, at[k] + 1);
					goto out;
				}
				at[k] = i;
			} else if (kind == 2 && (at[k] == SIZE_MAX ||
			    line_key(l[at[k]].b, l[at[k]].n, p[k].key) != 1))
				at[k] = i;
		}
	}
	eol = nl > 0 && l[0].eol[0] != '\0' ? l[0].eol : "\n";
	for (i = 0, line = 1; i < nl; i++, line++) {
		for (k = 0; k < np && at[k] != i; k++)
			;
		if (k == np) {
			sb_putn(&e->out, l[i].b, l[i].n);
			sb_puts(&e->out, l[i].eol);
			continue;
		}
		sb_reset(&pl);
		if (vm_put_pair(&pl, p[k].key, p[k].val, why,
		    sizeof(why)) != 0) {
			diag_err(d, file, 0, "%s: %s", p[k].key, why);
			goto out;
		}
		pl.len--;	/* its newline */
		start = e->out.len;
		sb_putn(&e->out, pl.s, pl.len);
		done[k] = true;
		if (l[i].n == pl.len && memcmp(l[i].b, pl.s, pl.len) == 0)
			;	/* unchanged */
		else if (change(e, line_key(l[i].b, l[i].n, p[k].key) == 1 ?
		    VME_REPLACED : VME_UNCOMMENTED, line, l[i].b, l[i].n,
		    e->out.s + start, pl.len) != 0)
			goto oom;
		sb_puts(&e->out, l[i].eol[0] != '\0' ? l[i].eol : i + 1 < nl ?
		    eol : "");
	}
	added = false;
	for (k = 0; k < np; k++) {
		if (done[k])
			continue;
		if (e->out.len > 0 && e->out.s[e->out.len - 1] != '\n')
			sb_puts(&e->out, eol);
		if (!added && comment != NULL) {
			for (i = 0; comment[i] != '\0'; i++)
				if (comment[i] == '\n')
					line++;
			sb_puts(&e->out, comment);
		}
		added = true;
		sb_reset(&pl);
		if (vm_put_pair(&pl, p[k].key, p[k].val, why,
		    sizeof(why)) != 0) {
			diag_err(d, file, 0, "%s: %s", p[k].key, why);
			goto out;
		}
		pl.len--;
		start = e->out.len;
		sb_putn(&e->out, pl.s, pl.len);
		if (change(e, VME_ADDED, line++, NULL, 0, e->out.s + start,
		    pl.len) != 0)
			goto oom;
		sb_puts(&e->out, eol);
	}
	if (e->out.oom || pl.oom)
		goto oom;
	/* The new text must read back as the old with these values. */
	diags_init(&pd);
	if (vmconf_parse(buf, len, file, "vm", &o, &pd) != 0) {
		diags_free(&pd);
		diag_err(d, file, 0, "does not parse; correct it first (ptvm "
		    "show says where)");
		goto out;
	}
	if (vmconf_parse(e->out.s, e->out.len, file, "vm", &n, &pd) != 0 ||
	    !pairs_ok(&o, &n, p, np)) {
		diag_err(d, file, 0, "internal error: the edit does not read "
		    "back as intended; nothing is written");
		vmconf_free(&o);
		vmconf_free(&n);
		diags_free(&pd);
		goto out;
	}
	vmconf_free(&o);
	vmconf_free(&n);
	diags_free(&pd);
	rc = 0;
	goto out;
oom:
	diag_err(d, file, 0, "out of memory");
out:
	sb_free(&pl);
	free(l);
	free(at);
	free(done);
	return (rc);
}
