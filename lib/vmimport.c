/*
 * vmimport.c: a bhyve configuration (from a command line) written as a VM
 * file.  Devices become ptvm keys with slot= so the guest keeps its PCI
 * layout; settings that differ from ptvm's defaults are written out so
 * that "ptvm show" gives the same configuration back; anything without a
 * ptvm key stays a bhyve key.  The guide's mistakes are corrected with a
 * comment saying what was there.
 *
 * Every key=value line goes through vm_put_pair(), which refuses what a
 * VM file cannot hold (a newline in a value would start a key the script
 * never had).  The text is then read back with vmconf_parse(), which
 * must give exactly the pairs written, and compiled as "ptvm show" would:
 * what ptvm's compiler refuses is refused here, at the script's line.
 */
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcfg.h"
#include "bhyveargv.h"
#include "strbuf.h"
#include "vmconf.h"

/* A key=value line written, and the variable of the script it is from. */
struct pline {
	const struct bcfg_var *from;	/* NULL: ptvm's own line */
	char		*key;
	char		*val;
	unsigned	 line;
	bool		 addr;		/* a device the script placed at: */
	unsigned	 b, s, f;
};

struct imp {
	const struct bcfg *cfg;
	bool		*done;		/* keys written or left out on purpose */
	struct strbuf	*out;
	struct diags	*d;
	const char	*src;
	unsigned	 nlines;	/* lines of out so far */
	struct pline	*pl;
	size_t		 npl;
	bool		 bad;
	bool		 oom;
	const struct vm_import_opts *o;
	/* the guest address of the next device pair() writes */
	bool		 addr;
	unsigned	 ab, as, af;
};

static const char *
get(struct imp *im, const char *key, bool take)
{
	struct bcfg_var *v;

	if ((v = bcfg_find(im->cfg, key)) == NULL)
		return (NULL);
	if (take)
		im->done[v - im->cfg->v] = true;
	return (v->val);
}

/* The value of node's variable what ("pci.0.1.0", "path"), or NULL. */
static const char *
dget(struct imp *im, const char *node, const char *what)
{
	char key[96];

	(void)snprintf(key, sizeof(key), "%s.%s", node, what);
	return (get(im, key, false));
}

static const struct bcfg_var *
var(struct imp *im, const char *key)
{

	return (bcfg_find(im->cfg, key));
}

/* Appends comment text (whole lines), counting its lines. */
static void
text(struct imp *im, const char *fmt, ...) __printflike(2, 3);

static void
text(struct imp *im, const char *fmt, ...)
{
	char t[1024];
	va_list ap;
	const char *p;

	va_start(ap, fmt);
	(void)vsnprintf(t, sizeof(t), fmt, ap);
	va_end(ap);
	for (p = t; *p != '\0'; p++)
		if (*p == '\n')
			im->nlines++;
	sb_puts(im->out, t);
}

/* A name for a comment or a message: control characters as '?'. */
static void
safe_name(const char *s, char *buf, size_t len)
{
	size_t i;

	(void)strlcpy(buf, s, len);
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
}

/*
 * A path of the script as the VM file needs it: a relative one joined to
 * the directory bhyve was run from (the script's, or -C DIR), said as a
 * note, and a warning when that file is not on the host.  p itself when
 * absolute or when there is no directory to resolve against.
 */
static const char *
resolve_at(struct imp *im, const char *p, const char *file, unsigned line,
    const char *what, char *buf, size_t len)
{
	const struct vm_import_opts *o = im->o;
	char name[128];
	int n;

	if (p == NULL || p[0] == '/' || p[0] == '\0' || o == NULL ||
	    o->basedir == NULL)
		return (p);
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	n = snprintf(buf, len, "%s%s%s", o->basedir,
	    o->basedir[strlen(o->basedir) - 1] == '/' ? "" : "/", p);
	if (n < 0 || (size_t)n >= len)
		return (p);
	safe_name(p, name, sizeof(name));
	diag_note(im->d, file, line, "%s %s is relative: bhyve opens it from "
	    "the directory it runs in; written as %s (relative to %s)", what,
	    name, buf, o->basewhy != NULL ? o->basewhy : o->basedir);
	if (o->exists != NULL && o->exists(o->arg, buf) != 0)
		diag_warn(im->d, file, line, "%s %s: no such file on this host; "
		    "written anyway: put the file there, or give the "
		    "directory bhyve ran in with import -C DIR", what, buf);
	return (buf);
}

static const char *
resolve(struct imp *im, const char *p, const struct bcfg_var *from,
    const char *what, char *buf, size_t len)
{

	return (resolve_at(im, p, from != NULL ? from->file : im->src,
	    from != NULL ? from->line : 0, what, buf, len));
}

/*
 * Writes key=val, from the script's variable from, after the comment
 * (NULL: none); a pair no VM file can hold is an error at from's line.
 */
static void
pair_c(struct imp *im, const char *comment, const char *key, const char *val,
    const struct bcfg_var *from)
{
	struct strbuf t;
	struct pline *np;
	char why[160], name[128];

	sb_init(&t);
	if (vm_put_pair(&t, key, val, why, sizeof(why)) != 0) {
		safe_name(key, name, sizeof(name));
		diag_err(im->d, from != NULL ? from->file : im->src,
		    from != NULL ? from->line : 0, "%s: %s; ptvm cannot import "
		    "it: correct the script", name, why);
		im->bad = true;
		sb_free(&t);
		return;
	}
	if ((np = reallocarray(im->pl, im->npl + 1, sizeof(*np))) == NULL) {
		im->oom = true;
		sb_free(&t);
		return;
	}
	im->pl = np;
	if (comment != NULL)
		text(im, "%s", comment);
	np = &im->pl[im->npl];
	np->from = from;
	np->line = ++im->nlines;
	np->addr = im->addr;
	np->b = im->ab;
	np->s = im->as;
	np->f = im->af;
	im->addr = false;
	np->key = strdup(key);
	np->val = strdup(val);
	if (np->key == NULL || np->val == NULL || t.oom) {
		free(np->key);
		free(np->val);
		im->oom = true;
	} else
		im->npl++;
	sb_puts(im->out, sb_str(&t));
	sb_free(&t);
}

static void
pair(struct imp *im, const char *key, const char *val,
    const struct bcfg_var *from)
{

	pair_c(im, NULL, key, val, from);
}

/*
 * Whether a bhyve value means itself: ptvm's own keys take literal
 * values (vmcompile.c escapes them), and a ',' would split the value
 * into options; such values stay bhyve keys.
 */
static bool
lit(const char *v)
{

	return (v != NULL && strpbrk(v, "\\%,") == NULL);
}

static bool
digits(const char *v)
{

	return (v != NULL && v[0] != '\0' && strspn(v, "0123456789") ==
	    strlen(v) && (v[0] != '0' || v[1] == '\0'));
}

/*
 * Numbers bhyve reads with strtol(..., 0) (parse_int_value() for the
 * topology, vm_parse_memsize() for -m): "010" is 8 and "0x10" 16 to
 * bhyve, while ptvm reads decimal.  Such a value is an error at its line.
 */
static bool
base0_ok(struct imp *im, const char *key)
{
	const struct bcfg_var *v;

	if ((v = var(im, key)) == NULL || v->val[0] != '0' ||
	    v->val[1] == '\0')
		return (true);
	diag_err(im->d, v->file, v->line, "%s: \"%s\": bhyve reads a leading "
	    "0 as octal and 0x as hexadecimal, ptvm reads decimal; write the "
	    "number in decimal in the script", key, v->val);
	im->bad = true;
	return (false);
}

/*
 * -m N: vm_parse_memsize() takes a plain number below 1M as MiB
 * (docs/freebsd.md B-IMP2), ptvm as bytes; written with its M.
 */
static void
memory(struct imp *im, const char *v)
{
	const struct bcfg_var *from;
	char buf[32];

	from = var(im, "memory.size");
	if (digits(v) && strlen(v) <= 7 && strtoul(v, NULL, 10) < 1048576) {
		(void)snprintf(buf, sizeof(buf), "%sM", v);
		diag_warn(im->d, from->file, from->line, "-m %s: bhyve reads a "
		    "size below 1M as MiB; written as memory=%s", v, buf);
		pair(im, "memory", buf, from);
	} else
		pair(im, "memory", v, from);
}

/* Marks every key of a device node taken once it was written. */
static void
dtake_all(struct imp *im, const char *node)
{
	size_t i, n;

	n = strlen(node);
	for (i = 0; i < im->cfg->n; i++)
		if (strncmp(im->cfg->v[i].key, node, n) == 0 &&
		    im->cfg->v[i].key[n] == '.')
			im->done[i] = true;
}

/*
 * Appends ",k=v" for the keys of node under sub that are not in main, the
 * options a ptvm device key passes on (sub NULL: none allowed).  False
 * when some key of the node cannot be written that way: the device then
 * stays bhyve keys, none of its keys lost.
 */
static bool
dopts(struct imp *im, const char *node, const char *sub,
    const char *const *main, struct strbuf *v)
{
	/* Options ptvm's device keys take themselves (vmcompile.c). */
	static const char *const reserved[] = { "slot", "type", "rom", NULL };
	const char *k, *val;
	size_t i, j, n, sl;

	n = strlen(node);
	sl = sub != NULL ? strlen(sub) : 0;
	for (i = 0; i < im->cfg->n; i++) {
		k = im->cfg->v[i].key;
		val = im->cfg->v[i].val;
		if (strncmp(k, node, n) != 0 || k[n] != '.')
			continue;
		k += n + 1;
		for (j = 0; main[j] != NULL && strcmp(k, main[j]) != 0; j++)
			;
		if (main[j] != NULL)
			continue;
		if (sub == NULL || strncmp(k, sub, sl) != 0)
			return (false);
		k += sl;
		for (j = 0; reserved[j] != NULL && strcmp(k, reserved[j]) != 0;
		    j++)
			;
		if (reserved[j] != NULL || strchr(k, '.') != NULL ||
		    !vm_key_ok(k) || strchr(val, ',') != NULL)
			return (false);
		sb_printf(v, ",%s=%s", k, val);
	}
	return (true);
}

/* "tap0", "vmnet3": what net= takes as it is. */
static bool
tap_ok(const char *v)
{
	size_t n;

	n = strncmp(v, "tap", 3) == 0 ? 3 : strncmp(v, "vmnet", 5) == 0 ?
	    5 : 0;
	return (n > 0 && strlen(v) <= 15 && digits(v + n));
}

/*
 * vnc= puts its tablet at the first free function of slot 5: the fbuf
 * and xhci pair of a script converts when that is where its xhci is.
 */
static bool
tablet_ok(struct imp *im, unsigned b, unsigned s, unsigned f)
{
	char key[64];
	const char *x;
	unsigned k;
	size_t i, n;

	if (b != 0 || s != 5 || f >= 7)
		return (false);
	for (k = 0; k < f; k++) {
		(void)snprintf(key, sizeof(key), "pci.0.5.%u.device", k);
		if (var(im, key) == NULL)
			return (false);
	}
	(void)snprintf(key, sizeof(key), "pci.0.5.%u.", f + 1);
	n = strlen(key);
	for (i = 0, k = 0; i < im->cfg->n; i++) {
		if (strncmp(im->cfg->v[i].key, key, n) != 0)
			continue;
		x = im->cfg->v[i].key + n;
		if ((strcmp(x, "device") == 0 && strcmp(im->cfg->v[i].val,
		    "xhci") == 0) || (strcmp(x, "slot.1.device") == 0 &&
		    strcmp(im->cfg->v[i].val, "tablet") == 0))
			k++;
		else
			return (false);
	}
	return (k == 2);
}

static void
dev_one(struct imp *im, unsigned b, unsigned s, unsigned f, const char *dev,
    const struct bcfg_var *from)
{
	static const char *const blk[] = { "device", "path", NULL };
	static const char *const ahci[] = { "device", "port.0.type",
	    "port.0.path", NULL };
	static const char *const net[] = { "device", "backend", NULL };
	static const char *const fb[] = { "device", "tcp", NULL };
	struct strbuf v;
	const char *key, *p, *t, *x;
	char node[48], tnode[48], key2[64], abs[1024];
	bool ok;

	(void)snprintf(node, sizeof(node), "pci.%u.%u.%u", b, s, f);
	sb_init(&v);
	ok = false;
	key = NULL;
	if ((strcmp(dev, "nvme") == 0 || strcmp(dev, "virtio-blk") ==
	    0) && lit(p = dget(im, node, "path"))) {
		key = "disk";
		(void)snprintf(key2, sizeof(key2), "%s.path", node);
		sb_puts(&v, resolve(im, p, var(im, key2), "disk", abs,
		    sizeof(abs)));
		if (strcmp(dev, "nvme") != 0)
			sb_printf(&v, ",type=%s", dev);
		ok = dopts(im, node, "", blk, &v);
	} else if (strcmp(dev, "ahci") == 0 &&
	    lit(p = dget(im, node, "port.0.path")) &&
	    (t = dget(im, node, "port.0.type")) != NULL &&
	    (strcmp(t, "cd") == 0 || strcmp(t, "hd") == 0)) {
		key = strcmp(t, "cd") == 0 ? "cdrom" : "disk";
		(void)snprintf(key2, sizeof(key2), "%s.port.0.path", node);
		sb_printf(&v, "%s%s", resolve(im, p, var(im, key2), key, abs,
		    sizeof(abs)), strcmp(t, "cd") == 0 ? "" : ",type=ahci");
		ok = dopts(im, node, "port.0.", ahci, &v);
	} else if ((strcmp(dev, "virtio-net") == 0 || strcmp(dev, "e1000") ==
	    0) && (p = dget(im, node, "backend")) != NULL && tap_ok(p)) {
		key = "net";
		sb_printf(&v, "%s%s", p, strcmp(dev, "e1000") == 0 ?
		    ",type=e1000" : "");
		ok = dopts(im, node, "", net, &v);
	} else if (strcmp(dev, "fbuf") == 0 && lit(p = dget(im, node, "tcp")) &&
	    (x = strrchr(p, ':')) != NULL && x != p && digits(x + 1) &&
	    tablet_ok(im, b, s, f)) {
		key = "vnc";
		sb_puts(&v, p);
		ok = dopts(im, node, "", fb, &v);
	}
	if (ok && key != NULL) {
		/*
		 * ptvm lays the slots out (vmcompile.c), so that the editing
		 * commands place new devices around them; verify() says
		 * where that differs from the script.  Another bus keeps it.
		 */
		if (b != 0)
			sb_printf(&v, ",slot=%u:%u:%u", b, s, f);
		if (v.oom)
			im->oom = true;
		im->addr = true;
		im->ab = b;
		im->as = s;
		im->af = f;
		pair(im, key, sb_str(&v), from);
		dtake_all(im, node);
		if (strcmp(key, "vnc") == 0) {
			(void)snprintf(tnode, sizeof(tnode), "pci.%u.%u.%u", b,
			    s, f + 1);
			dtake_all(im, tnode);
		}
	}
	/* Otherwise the device stays bhyve keys. */
	sb_free(&v);
}

/* A passthru device: its host function and its passthru= value. */
struct ptm {
	const struct bcfg_var *from;
	char		 node[48];
	unsigned	 b, s, f;		/* guest */
	unsigned long	 hb, hs, hf;		/* host */
	struct strbuf	 v;
};

static bool
pt_value(struct imp *im, struct ptm *m)
{
	static const char *const pt[] = { "device", "bus", "slot", "func",
	    "rom", NULL };
	const char *p;
	char key[64], abs[1024];

	if (!digits(p = dget(im, m->node, "bus")) || strlen(p) > 3 ||
	    (m->hb = strtoul(p, NULL, 10)) > 255 ||
	    !digits(p = dget(im, m->node, "slot")) || strlen(p) > 2 ||
	    (m->hs = strtoul(p, NULL, 10)) > 31 ||
	    !digits(p = dget(im, m->node, "func")) || strlen(p) > 1 ||
	    (m->hf = strtoul(p, NULL, 10)) > 7 ||
	    ((p = dget(im, m->node, "rom")) != NULL && !lit(p)))
		return (false);
	sb_printf(&m->v, "%lu/%lu/%lu", m->hb, m->hs, m->hf);
	if (p != NULL) {
		(void)snprintf(key, sizeof(key), "%s.rom", m->node);
		sb_printf(&m->v, ",rom=%s", resolve(im, p, var(im, key),
		    "rom", abs, sizeof(abs)));
	}
	if (!dopts(im, m->node, NULL, pt, &m->v))
		return (false);
	return (true);
}

static int
ptm_cmp(const void *x, const void *y)
{
	const struct ptm *a = x, *b = y;

	return (a->hf < b->hf ? -1 : a->hf > b->hf);
}

/*
 * The passthru devices of one host device, from the one at cfg index
 * first.  passthru= puts a host device's functions in the slot of its
 * first line, at that line's function plus their distance to the lowest
 * (vmcompile.c), so they convert, lowest function first, only when the
 * script placed them so; otherwise they all stay bhyve keys.
 */
static void
passthru_group(struct imp *im, size_t first, bool *seen)
{
	struct ptm m[8];
	unsigned b, s, f;
	size_t i, n, k;
	bool ok;
	int pos;

	n = 0;
	ok = true;
	for (i = first; i < im->cfg->n; i++) {
		pos = 0;
		if (seen[i] || im->done[i] || strcmp(im->cfg->v[i].val,
		    "passthru") != 0 || sscanf(im->cfg->v[i].key,
		    "pci.%u.%u.%u.device%n", &b, &s, &f, &pos) != 3 ||
		    pos == 0 || im->cfg->v[i].key[pos] != '\0')
			continue;
		if (n == nitems(m)) {
			ok = false;
			break;
		}
		memset(&m[n], 0, sizeof(m[n]));
		sb_init(&m[n].v);
		m[n].from = &im->cfg->v[i];
		m[n].b = b;
		m[n].s = s;
		m[n].f = f;
		(void)snprintf(m[n].node, sizeof(m[n].node), "pci.%u.%u.%u", b,
		    s, f);
		if (!pt_value(im, &m[n])) {
			if (i == first) {
				sb_free(&m[n].v);
				seen[i] = true;
				return;		/* stays bhyve keys */
			}
			sb_free(&m[n].v);
			continue;	/* not one of the group */
		}
		if (n > 0 && (m[n].hb != m[0].hb || m[n].hs != m[0].hs)) {
			sb_free(&m[n].v);
			continue;
		}
		seen[i] = true;
		n++;
	}
	qsort(m, n, sizeof(m[0]), ptm_cmp);
	for (k = 0; k < n && ok; k++)
		if (m[k].b != m[0].b || m[k].s != m[0].s ||
		    (k > 0 && m[k].hf == m[k - 1].hf) ||
		    m[k].f + m[0].hf != m[0].f + m[k].hf ||
		    m[k].v.oom)
			ok = false;
	if (!ok && n > 0)
		diag_warn(im->d, m[0].from->file, m[0].from->line, "passthru "
		    "%lu/%lu: its functions are not in one guest slot at "
		    "their host distances, as passthru= places them; kept as "
		    "bhyve keys (pci.B.S.F.*)", m[0].hb, m[0].hs);
	for (k = 0; k < n; k++) {
		if (ok) {
			/*
			 * ptvm places a device's lowest passed function at
			 * function 0 of its slot: a script's other function
			 * number (which a guest can care about) is kept.
			 */
			if (m[0].b != 0)
				sb_printf(&m[k].v, ",slot=%u:%u:%u", m[k].b,
				    m[k].s, m[k].f);
			else if (m[0].f != 0)
				sb_printf(&m[k].v, ",slot=%u:%u", m[k].s,
				    m[k].f);
			im->addr = true;
			im->ab = m[k].b;
			im->as = m[k].s;
			im->af = m[k].f;
			pair(im, "passthru", sb_str(&m[k].v), m[k].from);
			dtake_all(im, m[k].node);
		}
		sb_free(&m[k].v);
	}
}

static void
devices(struct imp *im)
{
	unsigned b, s, f;
	bool *seen;
	size_t i;
	int n;

	if ((seen = calloc(im->cfg->n + 1, sizeof(*seen))) == NULL) {
		im->oom = true;
		return;
	}
	for (i = 0; i < im->cfg->n; i++) {
		n = 0;
		if (im->done[i] || sscanf(im->cfg->v[i].key,
		    "pci.%u.%u.%u.device%n", &b, &s, &f, &n) != 3 || n == 0 ||
		    im->cfg->v[i].key[n] != '\0')
			continue;
		if ((b == 0 && s == 0 && f == 0 &&
		    strcmp(im->cfg->v[i].val, "hostbridge") == 0) ||
		    (b == 0 && s == 31 && f == 0 &&
		    strcmp(im->cfg->v[i].val, "lpc") == 0)) {
			im->done[i] = true;	/* ptvm's defaults */
			continue;
		}
		if (strcmp(im->cfg->v[i].val, "passthru") == 0)
			passthru_group(im, i, seen);
		else
			dev_one(im, b, s, f, im->cfg->v[i].val, &im->cfg->v[i]);
	}
	free(seen);
}

/* Whether the bhyve command passes host function B/S/F. */
static bool
passes(struct imp *im, unsigned long hb, unsigned long hs, unsigned long hf)
{
	const struct bcfg_var *v;
	unsigned b, s, f;
	char key[64];
	const char *p;
	size_t i;
	int n;

	for (i = 0; i < im->cfg->n; i++) {
		v = &im->cfg->v[i];
		n = 0;
		if (strcmp(v->val, "passthru") != 0 || sscanf(v->key,
		    "pci.%u.%u.%u.device%n", &b, &s, &f, &n) != 3 || n == 0 ||
		    v->key[n] != '\0')
			continue;
		(void)snprintf(key, sizeof(key), "pci.%u.%u.%u", b, s, f);
		if ((p = dget(im, key, "bus")) != NULL && digits(p) &&
		    strtoul(p, NULL, 10) == hb &&
		    (p = dget(im, key, "slot")) != NULL && digits(p) &&
		    strtoul(p, NULL, 10) == hs &&
		    (p = dget(im, key, "func")) != NULL && digits(p) &&
		    strtoul(p, NULL, 10) == hf)
			return (true);
	}
	return (false);
}

/*
 * In an unused variable's value, the -s ...,passthru,SEL,OPTS of host
 * function sel: its options (rom= resolved) appended to v.  The
 * variable, or NULL.
 */
static const struct bhyve_script_var *
unused_passthru(struct imp *im, const char *sel, struct strbuf *v)
{
	const struct bhyve_script_info *in = im->o->script;
	const struct bhyve_script_var *u;
	const char *p, *q, *e;
	char opt[512], abs[1024];
	size_t i, n;
	unsigned line;

	n = strlen(sel);
	for (i = 0; i < in->nunused; i++) {
		u = &in->unused[i];
		for (p = u->val; (p = strstr(p, ",passthru,")) != NULL; p++) {
			q = p + 10;
			if (strncmp(q, sel, n) != 0 || (q[n] != ',' &&
			    q[n] != '\0' && strchr(" \t\n", q[n]) == NULL))
				continue;
			for (line = u->line, e = u->val; e < p; e++)
				if (*e == '\n')
					line++;
			q += n;
			while (*q == ',') {
				q++;
				for (e = q; *e != '\0' && *e != ',' &&
				    strchr(" \t\n\"'", *e) == NULL; e++)
					;
				if ((size_t)(e - q) >= sizeof(opt))
					break;
				memcpy(opt, q, (size_t)(e - q));
				opt[e - q] = '\0';
				if (strncmp(opt, "rom=", 4) == 0)
					sb_printf(v, ",rom=%s", resolve_at(im,
					    opt + 4, im->src, line, "rom", abs,
					    sizeof(abs)));
				else if (opt[0] != '\0')
					sb_printf(v, ",%s", opt);
				q = e;
			}
			return (u);
		}
	}
	return (NULL);
}

/*
 * The functions the script binds to ppt (pptdevs= for bind.sh or the
 * loader) that its bhyve command never passes: said, and written as a
 * commented passthru= line with the explanation above it.
 */
static void
unpassed(struct imp *im)
{
	const struct bhyve_script_info *in;
	const struct bhyve_script_var *u;
	struct strbuf v;
	unsigned long hb, hs, hf;
	char sel[32], via[128], name[64], vmname[64];
	const char *p;
	int n;

	if ((p = get(im, "name", false)) == NULL || !lit(p))
		p = "VM";
	safe_name(p, vmname, sizeof(vmname));
	if (im->o == NULL || (in = im->o->script) == NULL ||
	    in->pptdevs == NULL)
		return;
	safe_name(in->pptvia != NULL ? in->pptvia : "the loader", via,
	    sizeof(via));
	if ((p = strrchr(via, '/')) != NULL)
		memmove(via, p + 1, strlen(p + 1) + 1);
	for (p = in->pptdevs; *p != '\0';) {
		p += strspn(p, " \t\n");
		if (*p == '\0')
			break;
		n = 0;
		if (sscanf(p, "%lu/%lu/%lu%n", &hb, &hs, &hf, &n) != 3 ||
		    n == 0 || hb > 255 || hs > 31 || hf > 7 ||
		    (p[n] != '\0' && strchr(" \t\n", p[n]) == NULL)) {
			p += strcspn(p, " \t\n");
			continue;
		}
		p += n;
		if (passes(im, hb, hs, hf))
			continue;
		(void)snprintf(sel, sizeof(sel), "%lu/%lu/%lu", hb, hs, hf);
		sb_init(&v);
		sb_printf(&v, "passthru=%s", sel);
		u = unused_passthru(im, sel, &v);
		if (u != NULL) {
			safe_name(u->name, name, sizeof(name));
			diag_warn(im->d, im->src, in->pptline, "the script "
			    "binds %s to ppt (pptdevs, for %s), but its bhyve "
			    "command passes nothing of it: %s (line %u) is "
			    "defined and never used; the VM file has the "
			    "passthru line commented out (ptvm set %s %s "
			    "passes it)", sel, via, name, u->line, vmname,
			    sb_str(&v));
			text(im, "# The script binds %s to ppt (pptdevs, line "
			    "%u, for %s), but its\n# bhyve command never "
			    "passes it: $%s (line %u) is defined and never\n"
			    "# used.  Uncomment to pass the device:\n", sel,
			    in->pptline, via, name, u->line);
		} else {
			diag_warn(im->d, im->src, in->pptline, "the script "
			    "binds %s to ppt (pptdevs, for %s), but its bhyve "
			    "command never passes it; the VM file has the "
			    "passthru line commented out (ptvm set %s %s "
			    "passes it)", sel, via, vmname, sb_str(&v));
			text(im, "# The script binds %s to ppt (pptdevs, line "
			    "%u, for %s), but its\n# bhyve command never "
			    "passes it.  Uncomment to pass the device:\n", sel,
			    in->pptline, via);
		}
		if (v.oom || strchr(sb_str(&v), '\n') != NULL)
			im->oom = true;
		else
			text(im, "#%s\n", sb_str(&v));
		sb_free(&v);
	}
}

/* The guide's mistakes that bhyve ignores, and what was meant. */
static const char *
corrected(const char *key, char *buf, size_t len)
{

	if (strncmp(key, "chasis.", 7) == 0) {
		(void)snprintf(buf, len, "chassis.%s", key + 7);
		return (buf);
	}
	if (strcmp(key, "bios.family_name") == 0)
		return ("system.family_name");
	return (NULL);
}

/* ptvm's defaults; a script that differs keeps its own value. */
static const char *const ptvm_defaults[][2] = {
	{ "acpi_tables", "true" },
	{ "destroy_on_poweroff", "true" },
	{ "memory.wired", "true" },
	{ "x86.vmexit_on_hlt", "true" },
	{ "x86.strictmsr", "false" },
};

static void
flags(struct imp *im)
{
	char c[96];
	const char *v;
	size_t i;

	for (i = 0; i < nitems(ptvm_defaults); i++) {
		v = get(im, ptvm_defaults[i][0], true);
		if (v == NULL) {
			(void)snprintf(c, sizeof(c), "# not in the script; "
			    "ptvm's default is %s\n", ptvm_defaults[i][1]);
			pair_c(im, c, ptvm_defaults[i][0],
			    strcmp(ptvm_defaults[i][1], "true") == 0 ?
			    "false" : "true", NULL);
		} else if (bcfg_bool(v) != bcfg_bool(ptvm_defaults[i][1]))
			pair(im, ptvm_defaults[i][0], v,
			    var(im, ptvm_defaults[i][0]));
	}
}

static void
pins(struct imp *im)
{
	struct strbuf v;
	const struct bcfg_var *first;
	char key[32];
	const char *p;
	int i;

	sb_init(&v);
	first = NULL;
	for (i = 0; i < VM_MAXVCPUS; i++) {
		(void)snprintf(key, sizeof(key), "vcpu.%d.cpuset", i);
		if ((p = get(im, key, false)) == NULL || !digits(p))
			continue;	/* a CPU list stays a bhyve key */
		(void)get(im, key, true);
		sb_printf(&v, "%s%d:%s", first != NULL ? " " : "", i, p);
		if (first == NULL)
			first = var(im, key);
	}
	if (v.oom)
		im->oom = true;
	if (first != NULL)
		pair(im, "pin", sb_str(&v), first);
	else
		pair_c(im, "# The script does not pin; ptvm can plan it: "
		    "pin=threads\n", "pin", "none", NULL);
	sb_free(&v);
}

/*
 * "-c N" alone: bhyve's calc_topology() makes sockets the vCPU count and
 * cores and threads 1 (docs/freebsd.md B-ISO3), while ptvm gives one
 * socket of N cores; said, since a Windows client guest uses at most two
 * sockets and so saw two of the script's vCPUs.
 */
static void
topology_note(struct imp *im, const char *cpus)
{
	const struct bcfg_var *cv;

	if (bcfg_find(im->cfg, "sockets") != NULL ||
	    bcfg_find(im->cfg, "cores") != NULL ||
	    bcfg_find(im->cfg, "threads") != NULL ||
	    strcmp(cpus, "1") == 0 || !digits(cpus) || strlen(cpus) > 6)
		return;
	cv = bcfg_find(im->cfg, "cpus");
	diag_warn(im->d, cv->file, cv->line, "-c %s without sockets gives the "
	    "guest %s sockets of 1 core (bhyve's calc_topology); ptvm gives "
	    "it 1 socket of %s cores; write sockets=%s to keep the script's",
	    cpus, cpus, cpus, cpus);
	text(im, "# -c %s without sockets gave the guest %s sockets "
	    "of 1 core (bhyve\n# sets sockets=cpus); ptvm gives it 1 socket "
	    "of %s cores (Windows client\n# editions use at most 2 sockets). "
	    "sockets=%s keeps the script's.\n", cpus, cpus, cpus, cpus);
}

/* The script's variable line of the VM file came from, or NULL. */
static const struct bcfg_var *
origin(const struct imp *im, const char *file, unsigned line,
    const char *vfile)
{
	size_t i;

	if (file == NULL || strcmp(file, vfile) != 0 || line == 0)
		return (NULL);
	for (i = 0; i < im->npl; i++)
		if (im->pl[i].line == line)
			return (im->pl[i].from);
	return (NULL);
}

/* The errors of checking the VM file, said at the script's lines. */
static void
relay(struct imp *im, const struct diags *cd, const char *vfile)
{
	const struct bcfg_var *o;
	const struct diag *x;

	STAILQ_FOREACH(x, &cd->head, entry) {
		if (x->level != DIAG_ERROR)
			continue;
		im->bad = true;
		if ((o = origin(im, x->file, x->line, vfile)) != NULL)
			diag_err(im->d, o->file, o->line, "%s (ptvm would "
			    "refuse the VM file; correct the script)", x->msg);
		else
			diag_err(im->d, im->src, 0, "the VM file would not "
			    "compile (line %u): %s; correct the script",
			    x->line, x->msg);
	}
}

/*
 * The devices ptvm places elsewhere than the script did: a note each, with
 * the slot= that keeps the script's address (a guest installed from the
 * script sees a device at a new address as a new device).
 */
static void
moved(struct imp *im, const struct vm *vm)
{
	const struct pline *pl;
	size_t i, k;

	for (i = 0; i < vm->ndev; i++)
		for (k = 0; k < im->npl; k++) {
			pl = &im->pl[k];
			if (pl->line != vm->dev[i].line || !pl->addr ||
			    pl->from == NULL || (i > 0 &&
			    vm->dev[i - 1].line == pl->line))
				continue;
			if (pl->b != vm->dev[i].bus || pl->s != vm->dev[i].slot ||
			    pl->f != vm->dev[i].func)
				diag_note(im->d, pl->from->file,
				    pl->from->line, "%s: ptvm places it at "
				    "guest PCI address %u:%u:%u, the script at "
				    "%u:%u:%u; add slot=%u:%u to its line to "
				    "keep the script's", pl->key,
				    vm->dev[i].bus, vm->dev[i].slot,
				    vm->dev[i].func, pl->b, pl->s, pl->f,
				    pl->s, pl->f);
		}
}

/*
 * Reads the text back: the same pairs, in order, byte for byte; then
 * compiles it without a host (paths and devices are "ptvm check"'s).
 */
static void
verify(struct imp *im)
{
	static const char vfile[] = "<imported VM file>";
	struct vm_env env;
	struct vmconf c;
	struct diags cd;
	struct vm vm;
	const char *name;
	size_t i;

	name = get(im, "name", false);
	if (name == NULL || !vm_name_ok(name))
		name = "imported";
	diags_init(&cd);
	vm_init(&vm);
	if (vmconf_parse(sb_str(im->out), im->out->len, vfile, name, &c,
	    &cd) != 0) {
		relay(im, &cd, vfile);
		vmconf_free(&c);
		goto out;
	}
	for (i = 0; i < c.n || i < im->npl; i++)
		if (i >= c.n || i >= im->npl || c.l[i].line != im->pl[i].line ||
		    strcmp(c.l[i].key, im->pl[i].key) != 0 ||
		    strcmp(c.l[i].val, im->pl[i].val) != 0) {
			diag_err(im->d, im->src, 0, "internal error: line %u "
			    "of the VM file does not read back as written; "
			    "nothing is written", i < im->npl ?
			    im->pl[i].line : 0);
			im->bad = true;
			vmconf_free(&c);
			goto out;
		}
	memset(&env, 0, sizeof(env));
	env.firmware = "/usr/local/share/edk2-bhyve/BHYVE_UEFI_CODE.fd";
	env.vardir = "/var/db/ptvm";
	if (vm_compile(&c, &env, &vm, &cd) != 0 || cd.nerrors > 0)
		relay(im, &cd, vfile);
	else
		moved(im, &vm);
out:
	if (cd.oom)
		im->oom = true;
	vm_free(&vm);
	diags_free(&cd);
}

int
vm_import(const struct bcfg *cfg, const char *src, struct strbuf *out,
    struct diags *d)
{

	return (vm_import_with(cfg, src, NULL, out, d));
}

int
vm_import_with(const struct bcfg *cfg, const char *src,
    const struct vm_import_opts *o, struct strbuf *out, struct diags *d)
{
	struct imp im;
	const struct bcfg_var *cv;
	const char *v, *fix;
	char buf[256], c[320], abs[1024];
	size_t i;
	int rc;

	memset(&im, 0, sizeof(im));
	im.o = o;
	im.cfg = cfg;
	im.out = out;
	im.d = d;
	im.src = src;
	if ((im.done = calloc(cfg->n + 1, sizeof(bool))) == NULL)
		return (-1);
	safe_name(src, buf, sizeof(buf));
	text(&im, "# Imported by ptvm from %s (ptvm.conf(5)).\n", buf);
	if (get(&im, "name", true) == NULL)
		diag_warn(d, src, 0, "the bhyve command line names no VM");
	(void)base0_ok(&im, "sockets");
	(void)base0_ok(&im, "cores");
	(void)base0_ok(&im, "threads");
	if ((v = get(&im, "cpus", true)) != NULL && base0_ok(&im, "cpus")) {
		topology_note(&im, v);
		pair(&im, "cpus", v, var(&im, "cpus"));
	}
	if ((v = get(&im, "memory.size", true)) != NULL &&
	    base0_ok(&im, "memory.size"))
		memory(&im, v);
	pins(&im);
	v = get(&im, "lpc.bootrom", false);
	if (v != NULL && lit(v)) {
		(void)get(&im, "lpc.bootrom", true);
		pair(&im, "firmware", resolve(&im, v, var(&im, "lpc.bootrom"),
		    "firmware", abs, sizeof(abs)), var(&im, "lpc.bootrom"));
		if ((v = get(&im, "lpc.bootvars", false)) != NULL && lit(v)) {
			(void)get(&im, "lpc.bootvars", true);
			pair(&im, "firmware.vars", v,
			    var(&im, "lpc.bootvars"));
		} else if (v == NULL)
			pair(&im, "firmware.vars", "none", NULL);
	}
	v = get(&im, "lpc.com1.path", false);
	if (v != NULL && strncmp(v, "/dev/nmdm", 9) == 0 && lit(v) &&
	    v[strlen(v) - 1] == 'A') {
		(void)get(&im, "lpc.com1.path", true);
		pair(&im, "console", v, var(&im, "lpc.com1.path"));
	} else if (v == NULL)
		pair(&im, "console", "none", NULL);
	flags(&im);
	devices(&im);
	unpassed(&im);
	for (i = 0; i < cfg->n; i++) {
		if (im.done[i])
			continue;
		cv = &cfg->v[i];
		if ((fix = corrected(cv->key, buf, sizeof(buf))) != NULL &&
		    vm_key_ok(fix)) {
			diag_warn(d, cv->file, cv->line, "%s: bhyve has no such "
			    "key and ignores it without a word; written as %s",
			    cv->key, fix);
			(void)snprintf(c, sizeof(c), "# was %s, which bhyve "
			    "ignores\n", cv->key);
			pair_c(&im, c, fix, cv->val, cv);
			continue;
		}
		/*
		 * In a VM file "bhyve.KEY" means the bhyve key KEY: a bhyve
		 * key that itself starts "bhyve." keeps it only behind one
		 * more (found by fuzz_import).
		 */
		if (strncmp(cv->key, "bhyve.", 6) == 0) {
			(void)snprintf(buf, sizeof(buf), "bhyve.%s", cv->key);
			pair(&im, buf, cv->val, cv);
		} else
			pair(&im, cv->key, cv->val, cv);
	}
	if (!im.bad && !im.oom)
		verify(&im);
	rc = im.bad || im.oom || out->oom ? -1 : 0;
	for (i = 0; i < im.npl; i++) {
		free(im.pl[i].key);
		free(im.pl[i].val);
	}
	free(im.pl);
	free(im.done);
	return (rc);
}
