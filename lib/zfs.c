/*
 * zfs.c: ZFS names, zvol paths, and the scripting output of zfs list and
 * zfs get (see zfs.h for the facts).
 */
#include "compat.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zfs.h"

static bool
name_char_ok(int c)
{

	return (isalnum(c) || c == '_' || c == '-' || c == '.' || c == ':');
}

/* One component of a name: [A-Za-z0-9_.:-]+, not "." or "..". */
static int
component_check(const char *s, size_t n, char *why, size_t wl)
{
	size_t i;

	if (n == 0) {
		(void)snprintf(why, wl, "an empty component (\"//\", or a "
		    "'/' at an end)");
		return (-1);
	}
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' &&
	    s[1] == '.')) {
		(void)snprintf(why, wl, "\"%.*s\" is not a name", (int)n, s);
		return (-1);
	}
	for (i = 0; i < n; i++)
		if (!name_char_ok((unsigned char)s[i])) {
			if (isprint((unsigned char)s[i]))
				(void)snprintf(why, wl, "'%c' is not allowed: "
				    "use letters, digits, '_', '-', '.' and "
				    "':'", s[i]);
			else
				(void)snprintf(why, wl, "byte 0x%02x is not "
				    "allowed: use letters, digits, '_', '-', "
				    "'.' and ':'", (unsigned char)s[i]);
			return (-1);
		}
	return (0);
}

/* Pool names zpool(8) keeps for itself, and disk-like ones. */
static bool
pool_reserved(const char *p, size_t n)
{
	static const char *const reserved[] = { "mirror", "raidz", "draid",
	    "spare", "log" };
	size_t i;

	for (i = 0; i < nitems(reserved); i++)
		if (n == strlen(reserved[i]) && memcmp(p, reserved[i], n) == 0)
			return (true);
	return (n >= 2 && p[0] == 'c' && p[1] >= '0' && p[1] <= '9');
}

int
zfs_dataset_check(const char *name, char *why, size_t wl)
{
	const char *p, *slash;
	size_t n, cl;
	int ncomp;

	n = strlen(name);
	if (n == 0) {
		(void)snprintf(why, wl, "empty");
		return (-1);
	}
	if (n > ZFS_NAMEMAX - 2) {
		(void)snprintf(why, wl, "longer than %d bytes",
		    ZFS_NAMEMAX - 2);
		return (-1);
	}
	if (!isalpha((unsigned char)name[0])) {
		(void)snprintf(why, wl, "a pool's name starts with a letter");
		return (-1);
	}
	ncomp = 0;
	for (p = name;; p = slash + 1) {
		slash = strchr(p, '/');
		cl = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if (component_check(p, cl, why, wl) != 0)
			return (-1);
		if (ncomp++ == 0 && pool_reserved(p, cl)) {
			(void)snprintf(why, wl, "\"%.*s\" cannot be a pool's "
			    "name (zpool(8) reserves it)", (int)cl, p);
			return (-1);
		}
		if (slash == NULL)
			break;
	}
	if (ncomp < 2) {
		(void)snprintf(why, wl, "a volume lives inside a pool: give "
		    "POOL/NAME, such as %s/vm/disk0", name);
		return (-1);
	}
	return (0);
}

int
zfs_snapname_check(const char *name, char *why, size_t wl)
{
	size_t n;

	n = strlen(name);
	if (n > ZFS_NAMEMAX / 2) {
		(void)snprintf(why, wl, "longer than %d bytes",
		    ZFS_NAMEMAX / 2);
		return (-1);
	}
	if (n > 0 && name[0] == '-') {
		(void)snprintf(why, wl, "a snapshot name cannot start with "
		    "'-'");
		return (-1);
	}
	return (component_check(name, n, why, wl));
}

int
zfs_zvol_dataset(const char *path, char *ds, size_t len)
{
	char why[128];
	const char *p;

	if (strncmp(path, ZFS_ZVOL_DIR, strlen(ZFS_ZVOL_DIR)) != 0)
		return (-1);
	p = path + strlen(ZFS_ZVOL_DIR);
	if (strlen(p) >= len || zfs_dataset_check(p, why, sizeof(why)) != 0)
		return (-1);
	(void)strlcpy(ds, p, len);
	return (0);
}

void
zfs_snap_init(struct zfs_snap_list *l)
{

	memset(l, 0, sizeof(*l));
}

void
zfs_snap_free(struct zfs_snap_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->s[i].dataset);
		free(l->s[i].snap);
	}
	free(l->s);
	memset(l, 0, sizeof(*l));
}

/* A decimal number filling [b, e) exactly, at most max. */
static int
parse_u64(const char *b, const char *e, uint64_t max, uint64_t *out)
{
	uint64_t v;

	if (b == e)
		return (-1);
	for (v = 0; b < e; b++) {
		if (*b < '0' || *b > '9' || v > (max - (uint64_t)(*b - '0')) /
		    10)
			return (-1);
		v = v * 10 + (uint64_t)(*b - '0');
	}
	*out = v;
	return (0);
}

static int
snap_add(struct zfs_snap_list *l, const char *name, size_t nl,
    const uint64_t *v, unsigned line)
{
	struct zfs_snap *ns, *s;
	const char *at;

	if (l->n == l->cap) {
		if ((ns = reallocarray(l->s, l->cap ? l->cap * 2 : 16,
		    sizeof(*ns))) == NULL)
			return (ENOMEM);
		l->s = ns;
		l->cap = l->cap ? l->cap * 2 : 16;
	}
	at = memchr(name, '@', nl);
	s = &l->s[l->n];
	memset(s, 0, sizeof(*s));
	if ((s->dataset = strndup(name, (size_t)(at - name))) == NULL ||
	    (s->snap = strndup(at + 1, nl - (size_t)(at - name) - 1)) ==
	    NULL) {
		free(s->dataset);
		return (ENOMEM);
	}
	s->createtxg = v[0];
	s->creation = (int64_t)v[1];
	s->used = v[2];
	s->referenced = v[3];
	s->line = line;
	l->n++;
	return (0);
}

/* One line: NAME TXG CREATION USED REFERENCED, tab-separated. */
static int
snap_line(struct zfs_snap_list *l, const char *p, const char *nl,
    const char *what, unsigned line, struct diags *d)
{
	static const char *const fields[] = { "createtxg", "creation", "used",
	    "referenced" };
	const char *f[6], *at, *q;
	char why[128], name[ZFS_NAMEMAX + 1];
	uint64_t v[4];
	size_t nf, i;

	for (nf = 0, q = p, f[0] = p; q < nl && nf < 5; q++)
		if (*q == '\t')
			f[++nf] = q + 1;
	if (nf != 4 || memchr(f[4], '\t', (size_t)(nl - f[4])) != NULL) {
		diag_err(d, what, line, "expected 5 tab-separated fields "
		    "(name, createtxg, creation, used, referenced)");
		return (-1);
	}
	f[5] = nl + 1;
	if ((size_t)(f[1] - 1 - f[0]) > ZFS_NAMEMAX ||
	    (at = memchr(f[0], '@', (size_t)(f[1] - 1 - f[0]))) == NULL) {
		diag_err(d, what, line, "\"%.*s\" is not a snapshot name",
		    (int)(f[1] - 1 - f[0] > 64 ? 64 : f[1] - 1 - f[0]), f[0]);
		return (-1);
	}
	memcpy(name, f[0], (size_t)(at - f[0]));
	name[at - f[0]] = '\0';
	if (zfs_dataset_check(name, why, sizeof(why)) != 0) {
		diag_err(d, what, line, "dataset \"%s\": %s", name, why);
		return (-1);
	}
	memcpy(name, at + 1, (size_t)(f[1] - 1 - at - 1));
	name[f[1] - 1 - at - 1] = '\0';
	if (zfs_snapname_check(name, why, sizeof(why)) != 0) {
		diag_err(d, what, line, "snapshot \"%s\": %s", name, why);
		return (-1);
	}
	for (i = 0; i < 4; i++)
		if (parse_u64(f[i + 1], f[i + 2] - 1, i == 1 ? INT64_MAX :
		    UINT64_MAX, &v[i]) != 0) {
			diag_err(d, what, line, "%s: \"%.*s\" is not a number "
			    "(was zfs list run with -p?)", fields[i],
			    (int)(f[i + 2] - 1 - f[i + 1] > 32 ? 32 :
			    f[i + 2] - 1 - f[i + 1]), f[i + 1]);
			return (-1);
		}
	if (snap_add(l, f[0], (size_t)(f[1] - 1 - f[0]), v, line) != 0) {
		diag_err(d, what, line, "out of memory");
		return (-1);
	}
	return (0);
}

static int
snap_cmp(const void *a, const void *b)
{
	const struct zfs_snap *x = a, *y = b;
	int c;

	if ((c = strcmp(x->dataset, y->dataset)) != 0)
		return (c);
	if (x->createtxg != y->createtxg)
		return (x->createtxg < y->createtxg ? -1 : 1);
	return (strcmp(x->snap, y->snap));
}

int
zfs_snap_parse(const char *buf, size_t len, const char *what,
    struct zfs_snap_list *l, struct diags *d)
{
	const char *p, *end, *nl;
	unsigned line;
	size_t i;
	int bad;

	bad = 0;
	end = buf + len;
	for (p = buf, line = 1; p < end; p = nl + 1, line++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (line > ZFS_MAXLINES) {
			diag_err(d, what, line, "more than %d snapshots",
			    ZFS_MAXLINES);
			return (-1);
		}
		if (nl > p && memchr(p, '\0', (size_t)(nl - p)) != NULL) {
			diag_err(d, what, line, "NUL byte in the output");
			bad = 1;
		} else if (nl > p && snap_line(l, p, nl, what, line, d) != 0)
			bad = 1;
	}
	if (l->n > 1)
		qsort(l->s, l->n, sizeof(*l->s), snap_cmp);
	for (i = 1; i < l->n; i++)
		if (strcmp(l->s[i].dataset, l->s[i - 1].dataset) == 0 &&
		    l->s[i].createtxg == l->s[i - 1].createtxg) {
			diag_err(d, what, l->s[i].line, "%s@%s and %s@%s have "
			    "the same createtxg", l->s[i].dataset,
			    l->s[i].snap, l->s[i - 1].dataset,
			    l->s[i - 1].snap);
			bad = 1;
		}
	for (i = 0; i < l->n; i++)
		if (zfs_snap_find(l, l->s[i].dataset, l->s[i].snap) !=
		    &l->s[i]) {
			diag_err(d, what, l->s[i].line, "%s@%s is listed "
			    "twice", l->s[i].dataset, l->s[i].snap);
			bad = 1;
		}
	return (bad ? -1 : 0);
}

const struct zfs_snap *
zfs_snap_find(const struct zfs_snap_list *l, const char *ds,
    const char *snap)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->s[i].dataset, ds) == 0 &&
		    strcmp(l->s[i].snap, snap) == 0)
			return (&l->s[i]);
	return (NULL);
}

size_t
zfs_snap_newer(const struct zfs_snap_list *l, const char *ds,
    const struct zfs_snap *than, const struct zfs_snap **out, size_t max)
{
	size_t i, n;

	for (i = n = 0; i < l->n; i++)
		if (strcmp(l->s[i].dataset, ds) == 0 &&
		    l->s[i].createtxg > than->createtxg) {
			if (n < max)
				out[n] = &l->s[i];
			n++;
		}
	return (n);
}

int
zfs_get_num(const char *buf, size_t len, const char *ds, uint64_t *out)
{
	const char *p, *end, *nl, *tab;
	size_t dl;

	*out = UINT64_MAX;
	dl = strlen(ds);
	end = buf + len;
	for (p = buf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((tab = memchr(p, '\t', (size_t)(nl - p))) == NULL ||
		    (size_t)(tab - p) != dl || memcmp(p, ds, dl) != 0)
			continue;
		return (parse_u64(tab + 1, nl, UINT64_MAX, out));
	}
	return (-1);
}

static int
vmsnap_cmp(const void *a, const void *b)
{
	const struct zfs_vmsnap *x = a, *y = b;

	if (x->createtxg != y->createtxg)
		return (x->createtxg < y->createtxg ? -1 : 1);
	return (strcmp(x->snap, y->snap));
}

int
zfs_vmsnap_group(const struct zfs_snap_list *l, const char *const *ds,
    size_t nds, struct zfs_vmsnap_list *out)
{
	struct zfs_vmsnap *v;
	const struct zfs_snap *s;
	size_t i, k, j;

	memset(out, 0, sizeof(*out));
	if (l->n == 0)
		return (0);
	if ((out->v = calloc(l->n, sizeof(*out->v))) == NULL)
		return (-1);
	for (i = 0; i < l->n; i++) {
		s = &l->s[i];
		for (k = 0; k < nds && strcmp(ds[k], s->dataset) != 0; k++)
			;
		if (k == nds)
			continue;
		for (j = 0; j < out->n && strcmp(out->v[j].snap, s->snap) != 0;
		    j++)
			;
		v = &out->v[j];
		if (j == out->n) {
			out->n++;
			v->snap = s->snap;
			v->creation = s->creation;
			v->createtxg = s->createtxg;
		}
		if (s->creation < v->creation)
			v->creation = s->creation;
		if (s->createtxg < v->createtxg)
			v->createtxg = s->createtxg;
		v->used = v->used + s->used < v->used ? UINT64_MAX :
		    v->used + s->used;
		v->ndisks++;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), vmsnap_cmp);
	return (0);
}

void
zfs_vmsnap_free(struct zfs_vmsnap_list *l)
{

	free(l->v);
	memset(l, 0, sizeof(*l));
}

static const char units[] = "BKMGTPE";

void
zfs_size_human(uint64_t v, char *buf, size_t len)
{
	uint64_t div;
	double x;
	int u, prec;

	for (u = 0, div = 1; u < 6 && v >= div * 1024; u++)
		div *= 1024;
	if (v % div == 0) {
		(void)snprintf(buf, len, "%llu%c",
		    (unsigned long long)(v / div), units[u]);
		return;
	}
	x = (double)v / (double)div;
	prec = x < 10 ? 2 : x < 100 ? 1 : 0;
	(void)snprintf(buf, len, "%.*f%c", prec, x, units[u]);
}

void
zfs_size_exact(uint64_t v, char *buf, size_t len)
{
	int u;

	for (u = 0; u < 6 && v != 0 && v % 1024 == 0; u++)
		v /= 1024;
	if (u == 0)
		(void)snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		(void)snprintf(buf, len, "%llu%c", (unsigned long long)v,
		    units[u]);
}
