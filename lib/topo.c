/*
 * topo.c: kern.sched.topology_spec parser.
 *
 * The kernel prints (sys/kern/subr_smp.c) a tree of scheduling groups:
 *
 *	<groups>
 *	 <group level="1" cache-level="3">
 *	  <cpu count="4" mask="f,0,...">0, 1, 2, 3</cpu>
 *	  <flags><flag name="THREAD">THREAD group</flag>...</flags>
 *	  <children> <group ...> ... </children>
 *	 </group>
 *	</groups>
 *
 * cache-level is the cache the group's CPUs share (0: none), the mask is
 * 2, 4 or 16 64-bit hex words, least significant first.  The CPU list is
 * what this parser trusts; the mask and count are cross-checked.
 * Groups of one CPU are never printed.  This file collects the groups;
 * topo_model.c turns them into the model.
 */
#include "compat.h"

#ifdef __FreeBSD__
#include <bsdxml.h>
#else
#include <expat.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "topo.h"
#include "topo_impl.h"
#include "util.h"

#define TOPO_MAXTEXT	16384		/* characters of one <cpu> list */

enum topo_elem {
	TE_NONE, TE_GROUPS, TE_GROUP, TE_CPU, TE_CHILDREN, TE_FLAGS, TE_FLAG,
};

struct topo_pstate {
	XML_Parser	 xp;
	struct topo_raw	*raw;
	const char	*file;
	struct diags	*d;
	int		 stack[TOPO_MAXDEPTH];	/* open groups */
	int		 depth;
	enum topo_elem	 elem[TOPO_MAXDEPTH * 3 + 4];
	int		 nelem;
	char		 text[TOPO_MAXTEXT];
	size_t		 textlen;
	bool		 overflow;
	bool		 failed;
};

static unsigned
topo_line(struct topo_pstate *ps)
{

	return ((unsigned)XML_GetCurrentLineNumber(ps->xp));
}

static void
topo_fail(struct topo_pstate *ps)
{

	ps->failed = true;
	XML_StopParser(ps->xp, XML_FALSE);
}

static const char *
topo_attr(const char **attr, const char *name)
{
	int i;

	for (i = 0; attr[i] != NULL; i += 2)
		if (strcmp(attr[i], name) == 0)
			return (attr[i + 1]);
	return (NULL);
}

/* A decimal attribute in [0, max]; -1 and an error otherwise. */
static int
topo_attr_num(struct topo_pstate *ps, const char **attr, const char *name,
    long long max, bool required)
{
	const char *v;
	long long n;

	if ((v = topo_attr(attr, name)) == NULL) {
		if (required)
			diag_err(ps->d, ps->file, topo_line(ps),
			    "attribute \"%s\" missing", name);
		return (required ? -1 : -2);
	}
	if (util_strtonum(v, 0, max, &n) != 0) {
		diag_err(ps->d, ps->file, topo_line(ps),
		    "attribute %s=\"%.32s\" is not a number in 0-%lld", name,
		    v, max);
		return (-1);
	}
	return ((int)n);
}

static int
topo_group_start(struct topo_pstate *ps, const char **attr)
{
	struct topo_raw *r;
	struct topo_group *g, *ng;
	int cl;

	r = ps->raw;
	if (ps->depth >= TOPO_MAXDEPTH) {
		diag_err(ps->d, ps->file, topo_line(ps),
		    "groups nested deeper than %d", TOPO_MAXDEPTH);
		return (-1);
	}
	if (r->ngroups >= TOPO_MAXGROUPS) {
		diag_err(ps->d, ps->file, topo_line(ps),
		    "more than %d groups", TOPO_MAXGROUPS);
		return (-1);
	}
	if ((cl = topo_attr_num(ps, attr, "cache-level", 255, true)) < 0 ||
	    topo_attr_num(ps, attr, "level", 255, false) == -1)
		return (-1);
	if (r->ngroups == r->capgroups) {
		ng = reallocarray(r->g, r->capgroups + 64, sizeof(*ng));
		if (ng == NULL) {
			diag_err(ps->d, ps->file, topo_line(ps),
			    "out of memory");
			return (-1);
		}
		r->g = ng;
		r->capgroups += 64;
	}
	g = &r->g[r->ngroups];
	memset(g, 0, sizeof(*g));
	g->parent = ps->depth > 0 ? ps->stack[ps->depth - 1] : -1;
	g->cache_level = cl;
	g->line = topo_line(ps);
	g->count = -1;
	ps->stack[ps->depth++] = r->ngroups++;
	return (0);
}

/* The mask: up to TOPO_SETWORDS hex words, comma-separated. */
static int
topo_parse_mask(struct topo_pstate *ps, const char *s, struct topo_group *g)
{
	const char *p;
	unsigned long v;
	int n;

	p = s;
	for (n = 0;; n++) {
		if (n == TOPO_SETWORDS ||
		    util_parse_ulong(&p, 16, ~0UL, &v) != 0) {
			diag_err(ps->d, ps->file, topo_line(ps),
			    "mask \"%.40s\" is not 1 to %d hex words", s,
			    TOPO_SETWORDS);
			return (-1);
		}
		g->mask.w[n] = (uint64_t)v;
		if (*p == '\0')
			break;
		if (*p++ != ',') {
			diag_err(ps->d, ps->file, topo_line(ps),
			    "mask \"%.40s\": unexpected character", s);
			return (-1);
		}
	}
	g->mask_words = n + 1;
	g->has_mask = true;
	return (0);
}

static int
topo_cpu_start(struct topo_pstate *ps, const char **attr)
{
	struct topo_group *g;
	const char *m;
	int count;

	if (ps->depth == 0) {
		diag_err(ps->d, ps->file, topo_line(ps),
		    "<cpu> outside a <group>");
		return (-1);
	}
	g = &ps->raw->g[ps->stack[ps->depth - 1]];
	if (g->has_cpus) {
		diag_err(ps->d, ps->file, topo_line(ps),
		    "second <cpu> in one group");
		return (-1);
	}
	if ((count = topo_attr_num(ps, attr, "count", TOPO_MAXCPU,
	    false)) == -1)
		return (-1);
	g->count = count;
	g->cpu_line = topo_line(ps);
	if ((m = topo_attr(attr, "mask")) != NULL &&
	    topo_parse_mask(ps, m, g) != 0)
		return (-1);
	ps->textlen = 0;
	ps->overflow = false;
	return (0);
}

/* "0, 1, 2, 3": the CPUs of the innermost open group. */
static int
topo_cpu_end(struct topo_pstate *ps)
{
	struct topo_group *g;
	const char *p;
	unsigned long v;

	g = &ps->raw->g[ps->stack[ps->depth - 1]];
	if (ps->overflow) {
		diag_err(ps->d, ps->file, topo_line(ps),
		    "CPU list longer than %d characters", TOPO_MAXTEXT);
		return (-1);
	}
	ps->text[ps->textlen] = '\0';
	g->has_cpus = true;
	for (p = ps->text;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '\0')
			return (0);
		if (util_parse_ulong(&p, 10, ~0UL, &v) != 0) {
			diag_err(ps->d, ps->file, topo_line(ps),
			    "CPU list: \"%.20s\" is not a CPU number", p);
			return (-1);
		}
		if (v >= TOPO_MAXCPU) {
			diag_err(ps->d, ps->file, topo_line(ps),
			    "CPU %lu is out of range (0-%d)", v,
			    TOPO_MAXCPU - 1);
			return (-1);
		}
		if (topo_set_has(&g->cpus, (int)v)) {
			diag_err(ps->d, ps->file, topo_line(ps),
			    "CPU %lu listed twice", v);
			return (-1);
		}
		topo_set_add(&g->cpus, (int)v);
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == ',')
			p++;
		else if (*p != '\0' && *p != '\n' && *p != '\r') {
			diag_err(ps->d, ps->file, topo_line(ps),
			    "CPU list: unexpected '%c'", *p);
			return (-1);
		}
	}
}

static int
topo_flag_start(struct topo_pstate *ps, const char **attr)
{
	struct topo_group *g;
	const char *name;

	if (ps->depth == 0) {
		diag_err(ps->d, ps->file, topo_line(ps),
		    "<flag> outside a <group>");
		return (-1);
	}
	g = &ps->raw->g[ps->stack[ps->depth - 1]];
	if ((name = topo_attr(attr, "name")) == NULL)
		return (0);
	if (strcmp(name, "THREAD") == 0 || strcmp(name, "SMT") == 0 ||
	    strcmp(name, "HTT") == 0)
		g->flags |= TOPO_GF_THREAD;
	else if (strcmp(name, "NODE") == 0)
		g->flags |= TOPO_GF_NODE;
	return (0);
}

static enum topo_elem
topo_elem_of(const char *name)
{
	static const struct {
		const char	*name;
		enum topo_elem	 e;
	} tab[] = {
		{ "groups", TE_GROUPS }, { "group", TE_GROUP },
		{ "cpu", TE_CPU }, { "children", TE_CHILDREN },
		{ "flags", TE_FLAGS }, { "flag", TE_FLAG },
	};
	size_t i;

	for (i = 0; i < nitems(tab); i++)
		if (strcmp(tab[i].name, name) == 0)
			return (tab[i].e);
	return (TE_NONE);
}

static void
topo_start(void *arg, const char *name, const char **attr)
{
	struct topo_pstate *ps;
	enum topo_elem e;
	int rv;

	ps = arg;
	if (ps->failed)
		return;
	e = topo_elem_of(name);
	if (ps->nelem >= (int)nitems(ps->elem)) {
		diag_err(ps->d, ps->file, topo_line(ps),
		    "elements nested too deeply");
		topo_fail(ps);
		return;
	}
	ps->elem[ps->nelem++] = e;
	rv = 0;
	if (e == TE_GROUP)
		rv = topo_group_start(ps, attr);
	else if (e == TE_CPU)
		rv = topo_cpu_start(ps, attr);
	else if (e == TE_FLAG)
		rv = topo_flag_start(ps, attr);
	else if (e == TE_NONE)
		diag_warn(ps->d, ps->file, topo_line(ps),
		    "unknown element <%.32s> ignored", name);
	if (rv != 0) {
		ps->elem[ps->nelem - 1] = TE_NONE;	/* nothing to close */
		topo_fail(ps);
	}
}

static void
topo_end(void *arg, const char *name __unused)
{
	struct topo_pstate *ps;
	enum topo_elem e;

	ps = arg;
	if (ps->failed || ps->nelem == 0)
		return;
	e = ps->elem[--ps->nelem];
	if (e == TE_GROUP) {
		if (!ps->raw->g[ps->stack[ps->depth - 1]].has_cpus) {
			diag_err(ps->d, ps->file, topo_line(ps),
			    "group without a <cpu> list");
			topo_fail(ps);
			return;
		}
		ps->depth--;
	} else if (e == TE_CPU && topo_cpu_end(ps) != 0)
		topo_fail(ps);
}

static void
topo_text(void *arg, const char *s, int len)
{
	struct topo_pstate *ps;

	ps = arg;
	if (ps->failed || ps->nelem == 0 ||
	    ps->elem[ps->nelem - 1] != TE_CPU)
		return;
	if (len < 0 || (size_t)len >= sizeof(ps->text) - ps->textlen) {
		ps->overflow = true;
		return;
	}
	memcpy(ps->text + ps->textlen, s, (size_t)len);
	ps->textlen += (size_t)len;
}

static void
topo_doctype(void *arg, const char *name __unused, const char *sysid __unused,
    const char *pubid __unused, int has_internal __unused)
{
	struct topo_pstate *ps;

	ps = arg;
	diag_err(ps->d, ps->file, topo_line(ps),
	    "a DOCTYPE is not part of a topology");
	topo_fail(ps);
}

/* Runs expat over the buffer; fills raw with the groups. */
static int
topo_parse_xml(const char *buf, size_t len, const char *file,
    struct topo_raw *raw, struct diags *d)
{
	struct topo_pstate *ps;
	enum XML_Status st;
	const char *z, *q;
	unsigned line;
	int rv;

	/* expat would stop at a NUL with "no element found": say where. */
	if ((z = memchr(buf, '\0', len)) != NULL) {
		for (line = 1, q = buf; q < z; q++)
			line += *q == '\n';
		diag_err(d, file, line, "NUL byte at offset %zu: the topology "
		    "is the text of sysctl -n kern.sched.topology_spec; "
		    "capture it again", (size_t)(z - buf));
		return (-1);
	}
	if ((ps = calloc(1, sizeof(*ps))) == NULL ||
	    (ps->xp = XML_ParserCreate("UTF-8")) == NULL) {
		free(ps);
		diag_err(d, file, 0, "out of memory");
		return (-1);
	}
	ps->raw = raw;
	ps->file = file;
	ps->d = d;
	XML_SetUserData(ps->xp, ps);
	XML_SetElementHandler(ps->xp, topo_start, topo_end);
	XML_SetCharacterDataHandler(ps->xp, topo_text);
	XML_SetStartDoctypeDeclHandler(ps->xp, topo_doctype);
	st = XML_Parse(ps->xp, buf, (int)len, XML_TRUE);
	rv = 0;
	if (ps->failed)
		rv = -1;
	else if (st != XML_STATUS_OK) {
		diag_err(d, file, (unsigned)XML_GetCurrentLineNumber(ps->xp),
		    "malformed XML at byte offset %lld (column %llu): %s",
		    (long long)XML_GetCurrentByteIndex(ps->xp),
		    (unsigned long long)XML_GetCurrentColumnNumber(ps->xp) + 1,
		    XML_ErrorString(XML_GetErrorCode(ps->xp)));
		rv = -1;
	}
	XML_ParserFree(ps->xp);
	free(ps);
	return (rv);
}

int
topo_parse(const char *buf, size_t len, const char *file, struct topo *t,
    struct diags *d)
{
	struct topo_raw raw;
	int rv;

	memset(t, 0, sizeof(*t));
	if (len > TOPO_MAXINPUT) {
		diag_err(d, file, 0, "%zu bytes is too large for a topology "
		    "(limit %d)", len, TOPO_MAXINPUT);
		return (-1);
	}
	memset(&raw, 0, sizeof(raw));
	rv = topo_parse_xml(buf, len, file, &raw, d);
	if (rv == 0 && raw.ngroups == 0) {
		diag_err(d, file, 0, "no <group> in the topology");
		rv = -1;
	}
	if (rv == 0)
		rv = topo_model(&raw, file, t, d);
	free(raw.g);
	if (rv != 0)
		topo_free(t);
	return (rv);
}

void
topo_free(struct topo *t)
{

	free(t->cpu_core);
	free(t->core);
	free(t->l3);
	free(t->node);
	memset(t, 0, sizeof(*t));
}

const struct topo_core *
topo_cpu_core(const struct topo *t, int cpu)
{

	if (cpu < 0 || cpu >= t->maxcpu || t->cpu_core[cpu] < 0)
		return (NULL);
	return (&t->core[t->cpu_core[cpu]]);
}

const char *
topo_class_name(enum topo_class c)
{

	switch (c) {
	case TOPO_CLASS_P:
		return ("P");
	case TOPO_CLASS_E:
		return ("E");
	default:
		return ("-");
	}
}
