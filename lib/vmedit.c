/*
 * vmedit.c: editing the text of VM files in place (see vmedit.h).
 */
#include "compat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmconf.h"
#include "vmedit.h"

enum lkind {
	LK_OTHER,
	LK_KEY,			/* disk=... or cdrom=... */
	LK_COMMENTED,		/* #disk=/path[,opts], reusable */
};

struct tline {
	const char	*b;
	size_t		 n;		/* without the line end */
	const char	*eol;		/* "\n", "\r\n" or "" */
	enum lkind	 kind;
	char		 key[8];
	size_t		 vb, ve;	/* the value in b[vb, ve) */
	bool		 quoted;	/* b[vb - 1] and b[ve] are '"' */
};

struct text {
	struct tline	*l;
	size_t		 n;
	const char	*eol;		/* for new lines */
};

void
vmedit_init(struct vmedit *e)
{

	memset(e, 0, sizeof(*e));
	sb_init(&e->out);
}

void
vmedit_free(struct vmedit *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		free(e->c[i].before);
		free(e->c[i].after);
	}
	free(e->c);
	sb_free(&e->out);
	memset(e, 0, sizeof(*e));
}

size_t
vmedit_path_len(const char *v)
{

	return (strcspn(v, ","));
}

int
vmedit_path_check(const char *p, char *why, size_t wl)
{
	size_t i, n;

	why[0] = '\0';
	n = strlen(p);
	if (p[0] != '/') {
		(void)snprintf(why, wl, "not an absolute path; bhyve opens it "
		    "relative to where it was started, so give the full path");
		return (-1);
	}
	if (n > 1000) {
		(void)snprintf(why, wl, "longer than 1000 bytes");
		return (-1);
	}
	for (i = 0; i < n; i++)
		if (!isprint((unsigned char)p[i]) || p[i] == ',' ||
		    p[i] == '"') {
			(void)snprintf(why, wl, "%s is not allowed in the "
			    "path%s", p[i] == ',' ? "','" : p[i] == '"' ?
			    "'\"'" : "a control character", p[i] == ',' ?
			    " (bhyve reads options after a comma)" : "");
			return (-1);
		}
	if (p[n - 1] == ' ' || p[n - 1] == '/') {
		(void)snprintf(why, wl, "the path ends with '%c'", p[n - 1]);
		return (-1);
	}
	/* What every writer of VM files holds values to (vmconf.h). */
	if (vm_value_form(p, why, wl) != 0) {
		if (why[0] == '\0')
			(void)snprintf(why, wl, "the path would not read back "
			    "as itself from a VM file");
		return (-1);
	}
	return (0);
}

/* The next component of a path: its start and length; false at the end. */
static bool
next_comp(const char **pp, const char **c, size_t *cl)
{
	const char *p = *pp;

	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			return (false);
		*c = p;
		*cl = strcspn(p, "/");
		p += *cl;
		if (*cl != 1 || **c != '.')
			break;
	}
	*pp = p;
	return (true);
}

bool
vmedit_path_same(const char *a, const char *b)
{
	const char *ca, *cb;
	size_t la, lb;
	bool ma, mb;

	if ((a[0] == '/') != (b[0] == '/'))
		return (false);
	for (;;) {
		ma = next_comp(&a, &ca, &la);
		mb = next_comp(&b, &cb, &lb);
		if (!ma || !mb)
			return (ma == mb);
		if (la != lb || memcmp(ca, cb, la) != 0)
			return (false);
	}
}

static bool
is_blank(char c)
{

	return (c == ' ' || c == '\t');
}

/* disk or cdrom, from [b, e) trimmed; "" for any other key. */
static void
key_of(const char *b, const char *e, char *key)
{

	while (b < e && is_blank(*b))
		b++;
	while (e > b && (is_blank(e[-1]) || e[-1] == '\r'))
		e--;
	key[0] = '\0';
	if ((e - b == 4 && memcmp(b, "disk", 4) == 0) ||
	    (e - b == 5 && memcmp(b, "cdrom", 5) == 0)) {
		memcpy(key, b, (size_t)(e - b));
		key[e - b] = '\0';
	}
}

/* An option of a commented line: word or word=value, no blanks. */
static bool
opt_ok(const char *b, const char *e)
{
	const char *p;
	bool eq;

	if (b == e || *b == '=')
		return (false);
	for (p = b, eq = false; p < e; p++) {
		if (*p == '=' && !eq) {
			eq = true;
			continue;
		}
		if (!isalnum((unsigned char)*p) && strchr("_.-:/+", *p) ==
		    NULL)
			return (false);
	}
	return (true);
}

/* "#disk=/path[,opts]": a comment that was a line of this kind. */
static bool
commented_ok(const char *b, const char *e)
{
	char path[1024], why[128];
	const char *c, *o;
	size_t pl;

	c = memchr(b, ',', (size_t)(e - b));
	pl = c != NULL ? (size_t)(c - b) : (size_t)(e - b);
	if (pl == 0 || pl >= sizeof(path))
		return (false);
	memcpy(path, b, pl);
	path[pl] = '\0';
	if (vmedit_path_check(path, why, sizeof(why)) != 0 ||
	    strpbrk(path, " \t") != NULL)
		return (false);
	for (c = b + pl; c < e; c = o) {
		c++;
		for (o = c; o < e && *o != ','; o++)
			;
		if (!opt_ok(c, o))
			return (false);
	}
	return (true);
}

static void
classify(struct tline *t)
{
	const char *b, *e, *eq, *p;

	b = t->b;
	e = t->b + t->n;
	t->kind = LK_OTHER;
	t->key[0] = '\0';
	t->quoted = false;
	while (b < e && is_blank(*b))
		b++;
	if (b == e || memchr(b, '\0', (size_t)(e - b)) != NULL ||
	    (eq = memchr(b, '=', (size_t)(e - b))) == NULL)
		return;
	if (*b == '#') {
		for (p = b + 1; p < eq && is_blank(*p); p++)
			;
		key_of(p, eq, t->key);
		if (t->key[0] == '\0' || !commented_ok(eq + 1, e))
			return;
		t->kind = LK_COMMENTED;
		t->vb = (size_t)(eq + 1 - t->b);
		t->ve = t->n;
		return;
	}
	key_of(b, eq, t->key);
	if (t->key[0] == '\0')
		return;
	t->kind = LK_KEY;
	for (p = eq + 1; p < e && is_blank(*p); p++)
		;
	while (e > p && (is_blank(e[-1]) || e[-1] == '\r'))
		e--;
	t->quoted = e - p >= 2 && *p == '"' && e[-1] == '"';
	if (t->quoted) {
		p++;
		e--;
	}
	t->vb = (size_t)(p - t->b);
	t->ve = (size_t)(e - t->b);
}

/* The length of the path part of line l's value. */
static size_t
line_path_len(const struct tline *l)
{
	const char *c;

	c = memchr(l->b + l->vb, ',', l->ve - l->vb);
	return (c != NULL ? (size_t)(c - (l->b + l->vb)) : l->ve - l->vb);
}

static bool
line_path_is(const struct tline *l, const char *path)
{
	char buf[1024];
	size_t pl;

	pl = line_path_len(l);
	if (pl >= sizeof(buf))
		return (false);
	memcpy(buf, l->b + l->vb, pl);
	buf[pl] = '\0';
	return (vmedit_path_same(buf, path));
}

static int
text_split(const char *buf, size_t len, struct text *t)
{
	const char *p, *end, *nl;
	struct tline *nt;
	size_t cap;

	memset(t, 0, sizeof(*t));
	t->eol = NULL;
	cap = 0;
	end = buf + len;
	for (p = buf; p < end; p = nl + 1) {
		if (t->n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nt = reallocarray(t->l, cap, sizeof(*nt))) ==
			    NULL)
				return (-1);
			t->l = nt;
		}
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		t->l[t->n].b = p;
		t->l[t->n].n = (size_t)(nl - p);
		t->l[t->n].eol = nl == end ? "" : "\n";
		if (nl < end && nl > p && nl[-1] == '\r') {
			t->l[t->n].n--;
			t->l[t->n].eol = "\r\n";
		}
		if (t->eol == NULL && nl < end)
			t->eol = t->l[t->n].eol;
		classify(&t->l[t->n]);
		t->n++;
		if (nl == end)
			break;
	}
	if (t->eol == NULL)
		t->eol = "\n";
	return (0);
}

static int
change_add(struct vmedit *e, enum vmedit_kind k, unsigned line,
    const struct tline *before, const char *after, size_t al)
{
	struct vmedit_change *nc, *c;

	if ((nc = reallocarray(e->c, e->n + 1, sizeof(*nc))) == NULL)
		return (-1);
	e->c = nc;
	c = &e->c[e->n];
	memset(c, 0, sizeof(*c));
	c->kind = k;
	c->line = line;
	if ((before != NULL && (c->before = strndup(before->b,
	    before->n)) == NULL) || (c->after = strndup(after, al)) == NULL) {
		free(c->before);
		return (-1);
	}
	e->n++;
	return (0);
}

/* Appends line i as it is. */
static void
put_line(struct strbuf *sb, const struct tline *t)
{

	sb_putn(sb, t->b, t->n);
	sb_puts(sb, t->eol);
}

/* Appends a new line, ending the previous one first if it had no end. */
static int
put_new(struct vmedit *e, const struct text *t, enum vmedit_kind k,
    unsigned line, const struct tline *before, const char *s, size_t n)
{
	size_t start;

	/* A last line with a lone CR gets just the LF it lacks. */
	if (e->out.len > 0 && e->out.s[e->out.len - 1] != '\n')
		sb_puts(&e->out, e->out.s[e->out.len - 1] == '\r' ? "\n" :
		    t->eol);
	start = e->out.len;
	sb_putn(&e->out, s, n);
	if (e->out.oom || change_add(e, k, line, before, e->out.s + start,
	    n) != 0)
		return (-1);
	return (0);
}

/* The keys and values, to compare before and after. */
static int
parse_pairs(const char *buf, size_t len, const char *file, struct vmconf *c,
    struct diags *d)
{

	return (vmconf_parse(buf, len, file, "vm", c, d));
}

static bool
pair_eq(const struct vmconf_line *a, const struct vmconf_line *b)
{

	return (strcmp(a->key, b->key) == 0 && strcmp(a->val, b->val) == 0);
}

/*
 * The new text's pairs are the old ones with: one pair (key, value whose
 * path is path) inserted (add), one cdrom path replaced (replace), or
 * every cdrom pair removed (eject).
 */
enum check_op { CK_ADD, CK_REPLACE, CK_EJECT };

static bool
check_pairs(const struct vmconf *o, const struct vmconf *n, enum check_op op,
    const char *key, const char *path)
{
	size_t i, j, pl;
	int diff;

	pl = strlen(path);
	switch (op) {
	case CK_ADD:
		if (n->n != o->n + 1)
			return (false);
		for (i = 0; i < o->n && pair_eq(&o->l[i], &n->l[i]); i++)
			;
		if (strcmp(n->l[i].key, key) != 0 ||
		    vmedit_path_len(n->l[i].val) != pl ||
		    memcmp(n->l[i].val, path, pl) != 0)
			return (false);
		for (j = i; j < o->n; j++)
			if (!pair_eq(&o->l[j], &n->l[j + 1]))
				return (false);
		return (true);
	case CK_REPLACE:
		if (n->n != o->n)
			return (false);
		for (i = 0, diff = 0; i < o->n; i++) {
			if (pair_eq(&o->l[i], &n->l[i]))
				continue;
			if (diff++ > 0 || strcmp(o->l[i].key, key) != 0 ||
			    strcmp(n->l[i].key, key) != 0 ||
			    vmedit_path_len(n->l[i].val) != pl ||
			    memcmp(n->l[i].val, path, pl) != 0 ||
			    strcmp(n->l[i].val + pl, o->l[i].val +
			    vmedit_path_len(o->l[i].val)) != 0)
				return (false);
		}
		return (diff == 1);
	case CK_EJECT:
		for (i = j = 0; i < o->n; i++) {
			if (strcmp(o->l[i].key, key) == 0)
				continue;
			if (j >= n->n || !pair_eq(&o->l[i], &n->l[j]))
				return (false);
			j++;
		}
		return (j == n->n && j < o->n);
	}
	return (false);
}

/* Parses old and new text and checks the change; -1 with a diagnostic. */
static int
verify(const char *buf, size_t len, struct vmedit *e, const char *file,
    enum check_op op, const char *key, const char *path, struct diags *d)
{
	struct vmconf o, n;
	struct diags dd;
	int rc;

	diags_init(&dd);
	memset(&o, 0, sizeof(o));
	memset(&n, 0, sizeof(n));
	rc = -1;
	if (e->out.oom)
		diag_err(d, file, 0, "out of memory");
	else if (parse_pairs(buf, len, file, &o, &dd) != 0 ||
	    parse_pairs(e->out.s, e->out.len, file, &n, &dd) != 0 ||
	    !check_pairs(&o, &n, op, key, path))
		diag_err(d, file, 0, "internal error: the edit did not come "
		    "out as intended; nothing is written");
	else
		rc = 0;
	vmconf_free(&o);
	vmconf_free(&n);
	diags_free(&dd);
	return (rc);
}

/* The old text must parse: its errors are reported, nothing is edited. */
static int
load(const char *buf, size_t len, const char *file, struct text *t,
    struct diags *d)
{
	struct vmconf c;
	int rc;

	rc = parse_pairs(buf, len, file, &c, d);
	vmconf_free(&c);
	if (rc != 0) {
		diag_err(d, file, 0, "fix the errors of this VM file first; "
		    "it was not changed");
		return (-1);
	}
	if (text_split(buf, len, t) != 0) {
		free(t->l);
		diag_err(d, file, 0, "out of memory");
		return (-1);
	}
	return (0);
}

/* Appends "disk=PATH" (or the reused comment's value) as a change. */
static int
put_disk(struct vmedit *e, const struct text *t, const struct tline *reuse,
    const char *path, unsigned line)
{
	struct strbuf s;
	int rc;

	sb_init(&s);
	sb_puts(&s, "disk=");
	if (reuse != NULL)
		sb_putn(&s, reuse->b + reuse->vb, reuse->ve - reuse->vb);
	else
		sb_puts(&s, path);
	rc = s.oom ? -1 : put_new(e, t, reuse != NULL ? VME_UNCOMMENTED :
	    VME_ADDED, line, reuse, s.s, s.len);
	sb_puts(&e->out, reuse != NULL ? reuse->eol : t->eol);
	sb_free(&s);
	return (rc);
}

/*
 * Where the disk line goes: *reuse, a "#disk=PATH" line to uncomment, or
 * *at, the line to insert before.  -1 when path is a disk already.
 */
static int
disk_scan(const struct text *t, const char *file, const char *path,
    size_t *at, size_t *reuse, struct diags *d)
{
	const struct tline *l;
	size_t i, under, pl;

	*at = *reuse = under = SIZE_MAX;
	pl = strlen(path);
	for (i = 0; i < t->n; i++) {
		l = &t->l[i];
		if (l->kind == LK_KEY && strcmp(l->key, "cdrom") == 0 &&
		    *at == SIZE_MAX)
			*at = i;	/* before the first cdrom */
		if (l->kind == LK_OTHER || strcmp(l->key, "disk") != 0)
			continue;
		if (l->kind == LK_KEY && line_path_is(l, path)) {
			diag_err(d, file, (unsigned)i + 1, "%s is already a "
			    "disk of this VM", path);
			return (-1);
		}
		if (l->kind == LK_KEY)
			*at = i + 1;	/* after the last disk */
		else if (line_path_len(l) == pl &&
		    memcmp(l->b + l->vb, path, pl) == 0)
			*reuse = i;
		else
			under = i + 1;	/* else under a commented disk */
	}
	if (*at == SIZE_MAX)
		*at = under;
	if (*at > t->n)
		*at = t->n;
	return (0);
}

int
vmedit_disk_add(const char *buf, size_t len, const char *file,
    const char *path, struct vmedit *e, struct diags *d)
{
	struct text t;
	const struct tline *l;
	char why[160];
	size_t i, at, reuse;
	unsigned line;
	int rc;

	if (vmedit_path_check(path, why, sizeof(why)) != 0) {
		diag_err(d, NULL, 0, "disk \"%s\": %s", path, why);
		return (-1);
	}
	if (load(buf, len, file, &t, d) != 0)
		return (-1);
	if (disk_scan(&t, file, path, &at, &reuse, d) != 0) {
		free(t.l);
		return (-1);
	}
	rc = 0;
	for (i = 0, line = 1; i < t.n && rc == 0; i++, line++) {
		l = &t.l[i];
		if (i == reuse) {
			rc = put_disk(e, &t, l, path, line);
			continue;
		}
		if (reuse == SIZE_MAX && i == at) {
			rc = put_disk(e, &t, NULL, path, line);
			line++;
		}
		put_line(&e->out, l);
	}
	if (rc == 0 && reuse == SIZE_MAX && at == t.n)
		rc = put_disk(e, &t, NULL, path, line);
	free(t.l);
	if (rc != 0) {
		diag_err(d, file, 0, "out of memory");
		return (-1);
	}
	return (verify(buf, len, e, file, CK_ADD, "disk", path, d));
}

static int
cdrom_eject(const char *buf, size_t len, const char *file, struct text *t,
    struct vmedit *e, struct diags *d)
{
	const struct tline *l;
	size_t i;
	int rc;

	rc = 1;
	for (i = 0; i < t->n; i++) {
		l = &t->l[i];
		if (l->kind != LK_KEY || strcmp(l->key, "cdrom") != 0) {
			put_line(&e->out, l);
			continue;
		}
		sb_putc(&e->out, '#');
		sb_putn(&e->out, l->b, l->n);
		if (e->out.oom || change_add(e, VME_COMMENTED, (unsigned)i + 1,
		    l, e->out.s + e->out.len - l->n - 1, l->n + 1) != 0) {
			diag_err(d, file, 0, "out of memory");
			return (-1);
		}
		sb_puts(&e->out, l->eol);
		rc = 0;
	}
	if (rc == 1)
		return (1);
	return (verify(buf, len, e, file, CK_EJECT, "cdrom", "", d));
}

/* Where vmedit_cdrom acts, from one pass over the lines. */
struct cdpos {
	size_t		 active;	/* the cdrom line */
	size_t		 reuse;		/* the last "#cdrom=/path" line */
	size_t		 after;		/* the line after the last disk */
	size_t		 n;		/* cdrom lines */
	unsigned	 lines[2];	/* the first two, for the message */
};

static void
cdrom_scan(const struct text *t, struct cdpos *p)
{
	const struct tline *l;
	size_t i;

	p->active = p->reuse = p->after = SIZE_MAX;
	p->n = 0;
	for (i = 0; i < t->n; i++) {
		l = &t->l[i];
		if (l->kind == LK_KEY && strcmp(l->key, "disk") == 0)
			p->after = i + 1;
		if (strcmp(l->key, "cdrom") != 0)
			continue;
		if (l->kind == LK_COMMENTED)
			p->reuse = i;
		else if (l->kind == LK_KEY) {
			if (p->n < nitems(p->lines))
				p->lines[p->n] = (unsigned)i + 1;
			p->n++;
			p->active = i;
		}
	}
}

/* Refuses what cannot be changed safely; 1 when iso is there already. */
static int
cdrom_check(const struct text *t, const struct cdpos *p, const char *file,
    const char *iso, struct diags *d)
{
	const struct tline *l;
	size_t pl;

	if (p->n > 1) {
		diag_err(d, file, p->lines[0], "this VM has %zu cdrom lines "
		    "(%u, %u%s): say which to change by editing the file, or "
		    "eject them all first (ptvm cdrom VM --eject)", p->n,
		    p->lines[0], p->lines[1], p->n > 2 ? ", ..." : "");
		return (-1);
	}
	if (p->n == 0)
		return (0);
	l = &t->l[p->active];
	/* Only a fully quoted value may hold a '"' (see vmconf.c). */
	if (!l->quoted && memchr(l->b + l->vb, '"', l->ve - l->vb) != NULL) {
		diag_err(d, file, (unsigned)p->active + 1, "the cdrom value "
		    "has a '\"' inside; write it as cdrom=\"...\" or without "
		    "quotes, then run this again");
		return (-1);
	}
	pl = line_path_len(l);
	return (pl == strlen(iso) && memcmp(l->b + l->vb, iso, pl) == 0 ?
	    1 : 0);
}

/*
 * A cdrom line with iso at line: l with the path of its value replaced
 * (VME_REPLACED) or a comment made a key (VME_UNCOMMENTED), the options
 * of its value kept; or a new line (VME_ADDED, l NULL).
 */
static int
cdrom_put(struct vmedit *e, const struct text *t, const struct tline *l,
    unsigned line, const char *iso, enum vmedit_kind k)
{
	struct strbuf s;
	size_t pl;
	int rc;

	sb_init(&s);
	pl = l != NULL ? line_path_len(l) : 0;
	if (k == VME_REPLACED) {
		sb_putn(&s, l->b, l->vb);
		sb_puts(&s, iso);
		sb_putn(&s, l->b + l->vb + pl, l->n - l->vb - pl);
	} else {
		sb_printf(&s, "cdrom=%s", iso);
		if (k == VME_UNCOMMENTED)
			sb_putn(&s, l->b + l->vb + pl, l->ve - l->vb - pl);
	}
	rc = s.oom ? -1 : put_new(e, t, k, line, l, s.s, s.len);
	sb_puts(&e->out, l == NULL ? t->eol : l->eol);
	sb_free(&s);
	return (rc);
}

static int
cdrom_write(struct vmedit *e, const struct text *t, const struct cdpos *p,
    const char *iso)
{
	bool add;
	size_t i;
	int rc;

	add = p->active == SIZE_MAX && p->reuse == SIZE_MAX;
	for (i = 0, rc = 0; i < t->n && rc == 0; i++) {
		if (i == p->active)
			rc = cdrom_put(e, t, &t->l[i], (unsigned)i + 1, iso,
			    VME_REPLACED);
		else if (p->active == SIZE_MAX && i == p->reuse)
			rc = cdrom_put(e, t, &t->l[i], (unsigned)i + 1, iso,
			    VME_UNCOMMENTED);
		else
			put_line(&e->out, &t->l[i]);
		if (rc == 0 && add && i + 1 == p->after)
			rc = cdrom_put(e, t, NULL, (unsigned)i + 2, iso,
			    VME_ADDED);
	}
	if (rc == 0 && add && p->after == SIZE_MAX)
		rc = cdrom_put(e, t, NULL, (unsigned)t->n + 1, iso, VME_ADDED);
	return (rc);
}

int
vmedit_cdrom(const char *buf, size_t len, const char *file, const char *iso,
    struct vmedit *e, struct diags *d)
{
	struct cdpos p;
	struct text t;
	char why[160];
	int rc;

	if (iso != NULL && vmedit_path_check(iso, why, sizeof(why)) != 0) {
		diag_err(d, NULL, 0, "cdrom \"%s\": %s", iso, why);
		return (-1);
	}
	if (load(buf, len, file, &t, d) != 0)
		return (-1);
	if (iso == NULL) {
		rc = cdrom_eject(buf, len, file, &t, e, d);
		free(t.l);
		return (rc);
	}
	cdrom_scan(&t, &p);
	if ((rc = cdrom_check(&t, &p, file, iso, d)) != 0) {
		free(t.l);
		return (rc);
	}
	rc = cdrom_write(e, &t, &p, iso);
	free(t.l);
	if (rc != 0) {
		diag_err(d, file, 0, "out of memory");
		return (-1);
	}
	return (verify(buf, len, e, file, p.active != SIZE_MAX ? CK_REPLACE :
	    CK_ADD, "cdrom", iso, d));
}
