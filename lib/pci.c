/*
 * pci.c: the PCI device list, the pciconf(8) output parser and selectors.
 */
#include "compat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci.h"
#include "util.h"

#define PCI_MAXLINE	4096
#define PCI_MAXWARN	10

void
pci_list_init(struct pci_list *l)
{

	l->dev = NULL;
	l->n = l->cap = 0;
}

static void
pci_dev_free(struct pci_dev *d)
{

	free(d->vendor_name);
	free(d->device_name);
	free(d->class_name);
	free(d->subclass_name);
}

void
pci_list_free(struct pci_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		pci_dev_free(&l->dev[i]);
	free(l->dev);
	pci_list_init(l);
}

struct pci_dev *
pci_list_add(struct pci_list *l)
{
	struct pci_dev *nd;
	size_t ncap;

	if (l->n >= PCI_MAXDEVS)
		return (NULL);
	if (l->n == l->cap) {
		ncap = l->cap ? l->cap * 2 : 64;
		if ((nd = reallocarray(l->dev, ncap, sizeof(*nd))) == NULL)
			return (NULL);
		l->dev = nd;
		l->cap = ncap;
	}
	nd = &l->dev[l->n++];
	memset(nd, 0, sizeof(*nd));
	nd->unit = -1;
	return (nd);
}

int
pci_sel_cmp(const struct pci_sel *a, const struct pci_sel *b)
{

	if (a->domain != b->domain)
		return (a->domain < b->domain ? -1 : 1);
	if (a->bus != b->bus)
		return (a->bus < b->bus ? -1 : 1);
	if (a->slot != b->slot)
		return (a->slot < b->slot ? -1 : 1);
	if (a->func != b->func)
		return (a->func < b->func ? -1 : 1);
	return (0);
}

bool
pci_sel_eq(const struct pci_sel *a, const struct pci_sel *b)
{

	return (pci_sel_cmp(a, b) == 0);
}

static int
pci_dev_cmp(const void *a, const void *b)
{

	return (pci_sel_cmp(&((const struct pci_dev *)a)->sel,
	    &((const struct pci_dev *)b)->sel));
}

void
pci_list_sort(struct pci_list *l)
{

	if (l->n > 1)
		qsort(l->dev, l->n, sizeof(l->dev[0]), pci_dev_cmp);
}

/*
 * Selector parsing.  Accepts "B/S/F", "pciD:B:S:F" and "pciB:S:F", with an
 * optional trailing colon after the pciconf forms.
 */
static int
sel_validate(struct pci_sel *s, char *err, size_t errlen)
{

	if (s->domain > 0xffff || s->bus > 255) {
		snprintf(err, errlen, "domain or bus out of range "
		    "(domain 0-65535, bus 0-255)");
		return (-1);
	}
	if (s->slot > 31) {
		snprintf(err, errlen, "slot %u out of range (0-31)", s->slot);
		return (-1);
	}
	if (s->func > 255 || (s->func > 7 && s->slot != 0)) {
		snprintf(err, errlen, "function %u out of range (0-7, or "
		    "0-255 at slot 0 with ARI)", s->func);
		return (-1);
	}
	return (0);
}

int
pci_sel_parse(const char *str, struct pci_sel *s, char *err, size_t errlen)
{
	unsigned long v[4];
	const char *p;
	char buf[64], sep;
	size_t len;
	int n;

	memset(s, 0, sizeof(*s));
	len = strlen(str);
	if (len >= sizeof(buf))
		goto bad;
	memcpy(buf, str, len + 1);
	p = buf;
	sep = '/';
	if (strncmp(p, "pci", 3) == 0) {
		p += 3;
		sep = ':';
		if (len > 3 && buf[len - 1] == ':')
			buf[len - 1] = '\0';	/* pciconf's trailing colon */
	}
	for (n = 0; n < 4; n++) {
		if (util_parse_ulong(&p, 10, 0xffff, &v[n]) != 0)
			goto bad;
		if (*p != sep)
			break;
		p++;
	}
	if (n == 4 || *p != '\0')
		goto bad;
	n++;
	if ((sep == '/' && n != 3) || (sep == ':' && n != 3 && n != 4))
		goto bad;
	if (n == 4) {
		s->domain = (unsigned)v[0];
		s->bus = (unsigned)v[1];
		s->slot = (unsigned)v[2];
		s->func = (unsigned)v[3];
	} else {
		s->bus = (unsigned)v[0];
		s->slot = (unsigned)v[1];
		s->func = (unsigned)v[2];
	}
	return (sel_validate(s, err, errlen));
bad:
	snprintf(err, errlen, "\"%s\" is not a PCI selector (6/0/0, "
	    "pci0:6:0:0, pci6:0:0 or a driver instance such as vgapci0)",
	    str);
	return (-1);
}

void
pci_sel_fmt(const struct pci_sel *s, enum pci_sel_form form, char *buf,
    size_t len)
{

	if (form == SEL_BHYVE)
		snprintf(buf, len, "%u/%u/%u", s->bus, s->slot, s->func);
	else
		snprintf(buf, len, "pci%u:%u:%u:%u", s->domain, s->bus,
		    s->slot, s->func);
}

void
pci_dev_name(const struct pci_dev *d, char *buf, size_t len)
{

	if (d->unit >= 0)
		snprintf(buf, len, "%s%d", d->driver, d->unit);
	else
		snprintf(buf, len, "%s", d->driver);
}

struct pci_dev *
pci_find(struct pci_list *l, const struct pci_sel *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (pci_sel_eq(&l->dev[i].sel, s))
			return (&l->dev[i]);
	return (NULL);
}

/* Splits "vgapci12" into "vgapci" and 12. */
static int
split_instance(const char *s, char *name, size_t namelen, int *unit)
{
	size_t n, i;
	unsigned long u;
	const char *p;

	n = strlen(s);
	i = n;
	while (i > 0 && isdigit((unsigned char)s[i - 1]))
		i--;
	if (i == 0 || i == n || i >= namelen || n - i > 6)
		return (-1);
	if (!isalpha((unsigned char)s[0]))
		return (-1);
	for (n = 0; n < i; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '_')
			return (-1);
	memcpy(name, s, i);
	name[i] = '\0';
	p = s + i;
	if (util_parse_ulong(&p, 10, 999999, &u) != 0 || *p != '\0')
		return (-1);
	*unit = (int)u;
	return (0);
}

struct pci_dev *
pci_lookup(struct pci_list *l, const char *str, char *err, size_t errlen)
{
	struct pci_sel s;
	struct pci_dev *d;
	char name[PCI_NAMELEN], sbuf[32];
	size_t i;
	int unit;

	if (strchr(str, '/') != NULL || (strncmp(str, "pci", 3) == 0 &&
	    strchr(str, ':') != NULL)) {
		if (pci_sel_parse(str, &s, err, errlen) != 0)
			return (NULL);
		if ((d = pci_find(l, &s)) == NULL) {
			pci_sel_fmt(&s, SEL_PCICONF, sbuf, sizeof(sbuf));
			snprintf(err, errlen, "no PCI function %s on this host "
			    "(see 'ptvm devices -a')", sbuf);
		}
		return (d);
	}
	if (split_instance(str, name, sizeof(name), &unit) == 0) {
		for (i = 0; i < l->n; i++)
			if (l->dev[i].unit == unit &&
			    strcmp(l->dev[i].driver, name) == 0)
				return (&l->dev[i]);
		snprintf(err, errlen, "no device %s on this host "
		    "(see 'ptvm devices -a')", str);
		return (NULL);
	}
	snprintf(err, errlen, "\"%s\" is not a PCI selector (6/0/0, "
	    "pci0:6:0:0, pci6:0:0 or a driver instance such as vgapci0)", str);
	return (NULL);
}

/* Predicates. */
bool
pci_is_bridge(const struct pci_dev *d)
{

	return ((d->hdr & 0x7f) == 1 || (d->hdr & 0x7f) == 2 ||
	    (d->class >> 16) == 0x06 ||
	    d->pcie == PCIE_ROOT_PORT || d->pcie == PCIE_UPSTREAM_PORT ||
	    d->pcie == PCIE_DOWNSTREAM_PORT);
}

bool
pci_is_display(const struct pci_dev *d)
{

	return ((d->class >> 16) == 0x03 || (d->class >> 8) == 0x0001);
}

bool
pci_is_ppt(const struct pci_dev *d)
{

	return (strcmp(d->driver, "ppt") == 0);
}

bool
pci_is_none(const struct pci_dev *d)
{

	return (strcmp(d->driver, "none") == 0);
}

const char *
pci_pcie_type_name(enum pcie_type t)
{

	switch (t) {
	case PCIE_NONE:
		return (NULL);
	case PCIE_ENDPOINT:
		return ("endpoint");
	case PCIE_LEGACY_ENDPOINT:
		return ("legacy endpoint");
	case PCIE_ROOT_PORT:
		return ("root port");
	case PCIE_UPSTREAM_PORT:
		return ("upstream port");
	case PCIE_DOWNSTREAM_PORT:
		return ("downstream port");
	case PCIE_PCIE_PCI_BRIDGE:
		return ("PCI bridge");
	case PCIE_PCI_PCIE_BRIDGE:
		return ("PCI to PCIe bridge");
	case PCIE_ROOT_ENDPOINT:
		return ("root endpoint");
	case PCIE_ROOT_EC:
		return ("event collector");
	case PCIE_OTHER:
		return ("other");
	}
	return (NULL);
}

/* Short descriptions of the class codes ptvm talks about. */
const char *
pci_class_desc(uint32_t class)
{
	static const struct {
		uint32_t	 code;
		uint32_t	 mask;
		const char	*desc;
	} tab[] = {
		{ 0x030000, 0xffff00, "VGA display" },
		{ 0x030200, 0xffff00, "3D display" },
		{ 0x030000, 0xff0000, "display" },
		{ 0x040300, 0xffff00, "HD audio" },
		{ 0x040000, 0xff0000, "multimedia" },
		{ 0x0c0330, 0xffffff, "USB xHCI" },
		{ 0x0c0320, 0xffffff, "USB EHCI" },
		{ 0x0c0300, 0xffff00, "USB" },
		{ 0x0c8000, 0xffff00, "serial bus (UCSI)" },
		{ 0x060400, 0xffff00, "PCI bridge" },
		{ 0x060000, 0xffff00, "host bridge" },
		{ 0x060100, 0xffff00, "ISA bridge" },
		{ 0x060000, 0xff0000, "bridge" },
		{ 0x010802, 0xffffff, "NVMe" },
		{ 0x010600, 0xffff00, "SATA" },
		{ 0x010000, 0xff0000, "storage" },
		{ 0x020000, 0xff0000, "network" },
		{ 0x0c0500, 0xffff00, "SMBus" },
		{ 0x080600, 0xffff00, "IOMMU" },
		{ 0x110000, 0xff0000, "signal processing" },
		{ 0x130000, 0xff0000, "non-essential instrumentation" },
	};
	size_t i;

	for (i = 0; i < nitems(tab); i++)
		if ((class & tab[i].mask) == tab[i].code)
			return (tab[i].desc);
	return ("other");
}

/*
 * The parser.
 */
struct pparse {
	const char	*fname;
	struct pci_list	*list;
	struct diags	*diags;
	struct pci_dev	*cur;
	unsigned	 line;
	int		 nwarn;
	int		 nerr;
};

static void
pp_warn_line(struct pparse *pp, const char *fmt, const char *arg)
{

	pp->nwarn++;
	if (pp->nwarn <= PCI_MAXWARN)
		diag_add(pp->diags, DIAG_WARN, pp->fname, pp->line, fmt, arg);
}

/* Parses "0x" followed by hex digits up to max into *v. */
static int
parse_hexval(const char *s, size_t n, unsigned long max, unsigned long *v)
{
	const char *p;
	char buf[24];

	if (n < 3 || n >= sizeof(buf) || s[0] != '0' ||
	    (s[1] != 'x' && s[1] != 'X'))
		return (-1);
	memcpy(buf, s + 2, n - 2);
	buf[n - 2] = '\0';
	p = buf;
	if (util_parse_ulong(&p, 16, max, v) != 0 || *p != '\0')
		return (-1);
	return (0);
}

/*
 * Parses one "name@pciD:B:S:F:  key=0x.. key=0x.." header line.
 */
static int
pp_header(struct pparse *pp, const char *s, size_t n)
{
	struct pci_dev *d;
	struct pci_sel sel;
	const char *at, *p, *end, *k, *eq;
	unsigned long v;
	char buf[64], err[128];
	size_t i, klen;
	bool have_class, have_vendor;

	end = s + n;
	at = memchr(s, '@', n);
	if (at == NULL || at == s || (size_t)(at - s) >= sizeof(buf))
		return (-1);
	memcpy(buf, s, (size_t)(at - s));
	buf[at - s] = '\0';
	if ((d = pci_list_add(pp->list)) == NULL) {
		diag_err(pp->diags, pp->fname, pp->line, "too many devices "
		    "(more than %d); is this really pciconf output?",
		    PCI_MAXDEVS);
		return (-2);
	}
	d->line = pp->line;
	if (split_instance(buf, d->driver, sizeof(d->driver), &d->unit) != 0) {
		if (strlen(buf) >= sizeof(d->driver)) {
			pp->list->n--;
			return (-1);
		}
		strlcpy(d->driver, buf, sizeof(d->driver));
		d->unit = -1;
	}
	/* The selector runs up to the first blank. */
	p = at + 1;
	for (i = 0; p + i < end && !isspace((unsigned char)p[i]); i++)
		;
	if (i == 0 || i >= sizeof(buf)) {
		pp->list->n--;
		return (-1);
	}
	memcpy(buf, p, i);
	buf[i] = '\0';
	if (pci_sel_parse(buf, &sel, err, sizeof(err)) != 0) {
		diag_err(pp->diags, pp->fname, pp->line, "%s", err);
		pp->list->n--;
		return (-2);
	}
	d->sel = sel;
	p += i;
	have_class = have_vendor = false;
	while (p < end) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p >= end)
			break;
		k = p;
		while (p < end && !isspace((unsigned char)*p))
			p++;
		eq = memchr(k, '=', (size_t)(p - k));
		if (eq == NULL)
			continue;
		klen = (size_t)(eq - k);
#define KEY(name) (klen == sizeof(name) - 1 && memcmp(k, name, klen) == 0)
		if (parse_hexval(eq + 1, (size_t)(p - eq - 1), 0xffffffffUL,
		    &v) != 0) {
			if (KEY("class") || KEY("vendor") || KEY("device") ||
			    KEY("chip") || KEY("card") || KEY("rev") ||
			    KEY("hdr") || KEY("subvendor") ||
			    KEY("subdevice")) {
				diag_err(pp->diags, pp->fname, pp->line,
				    "bad value in \"%.*s\": expected 0x and "
				    "hex digits", (int)(p - k), k);
				pp->nerr++;
			}
			continue;
		}
		if (KEY("class")) {
			d->class = (uint32_t)(v & 0xffffff);
			have_class = true;
		} else if (KEY("rev"))
			d->rev = (uint8_t)v;
		else if (KEY("hdr"))
			d->hdr = (uint8_t)v;
		else if (KEY("vendor")) {
			d->vendor = (uint16_t)v;
			have_vendor = true;
		} else if (KEY("device"))
			d->device = (uint16_t)v;
		else if (KEY("subvendor"))
			d->subvendor = (uint16_t)v;
		else if (KEY("subdevice"))
			d->subdevice = (uint16_t)v;
		else if (KEY("chip")) {
			/* pre-13 format: chip=0xDDDDVVVV */
			d->vendor = (uint16_t)(v & 0xffff);
			d->device = (uint16_t)(v >> 16);
			have_vendor = true;
		} else if (KEY("card")) {
			/* card=0xSSSSVVVV: subdevice, subvendor */
			d->subvendor = (uint16_t)(v & 0xffff);
			d->subdevice = (uint16_t)(v >> 16);
		}
#undef KEY
	}
	if (!have_class || !have_vendor) {
		diag_err(pp->diags, pp->fname, pp->line, "device line without "
		    "%s; expected pciconf -l output", !have_class ?
		    "class=" : "vendor= or chip=");
		pp->nerr++;
	}
	pp->cur = d;
	return (0);
}

static char *
pp_value(const char *s, size_t n)
{
	char *r;

	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'') {
		s++;
		n -= 2;
	}
	if ((r = malloc(n + 1)) == NULL)
		return (NULL);
	memcpy(r, s, n);
	r[n] = '\0';
	return (r);
}

static void
pp_cap(struct pci_dev *d, const char *s, size_t n)
{
	static const struct {
		const char	*text;
		enum pcie_type	 type;
	} types[] = {
		{ "legacy endpoint", PCIE_LEGACY_ENDPOINT },
		{ "root endpoint", PCIE_ROOT_ENDPOINT },
		{ "endpoint", PCIE_ENDPOINT },
		{ "root port", PCIE_ROOT_PORT },
		{ "upstream port", PCIE_UPSTREAM_PORT },
		{ "downstream port", PCIE_DOWNSTREAM_PORT },
		{ "PCI to PCIe bridge", PCIE_PCI_PCIE_BRIDGE },
		{ "PCI bridge", PCIE_PCIE_PCI_BRIDGE },
		{ "event collector", PCIE_ROOT_EC },
	};
	unsigned long id;
	const char *p, *end;
	size_t i;

	end = s + n;
	p = s + 3;
	while (p < end && *p == ' ')
		p++;
	if (util_parse_ulong_end(&p, end, 16, 0xff, &id) != 0)
		return;
	d->caps_known = true;
	if (id == 0x05)
		d->msi = true;
	else if (id == 0x11)
		d->msix = true;
	else if (id == 0x10) {
		d->pcie = PCIE_OTHER;
		for (i = 0; i < nitems(types); i++)
			if (util_memmem(p, (size_t)(end - p), types[i].text,
			    strlen(types[i].text)) != NULL) {
				d->pcie = types[i].type;
				break;
			}
		if (util_memmem(p, (size_t)(end - p), " FLR", 4) != NULL)
			d->flr = true;
	}
}

static void
pp_ecap(struct pci_dev *d, const char *s, size_t n)
{
	unsigned long id;
	const char *p, *end;

	end = s + n;
	p = s + 4;
	while (p < end && *p == ' ')
		p++;
	if (util_parse_ulong_end(&p, end, 16, 0xffff, &id) != 0)
		return;
	d->caps_known = true;
	if (id == 0x0010)
		d->sriov = true;
}

static bool
starts(const char *s, size_t n, const char *w)
{
	size_t wl;

	wl = strlen(w);
	return (n > wl && memcmp(s, w, wl) == 0 &&
	    (s[wl] == ' ' || s[wl] == '\t' || s[wl] == '='));
}

static int
pp_line(struct pparse *pp, const char *s, size_t n)
{
	const char *t, *eq;
	size_t tn, indent, col;
	char **slot;
	int r;

	/* indent counts bytes; col counts columns with 8-wide tabs. */
	for (indent = col = 0; indent < n && (s[indent] == ' ' ||
	    s[indent] == '\t'); indent++)
		col = s[indent] == '\t' ? (col / 8 + 1) * 8 : col + 1;
	t = s + indent;
	tn = n - indent;
	while (tn > 0 && isspace((unsigned char)t[tn - 1]))
		tn--;
	if (tn == 0)
		return (0);
	if (indent == 0 && memchr(t, '@', tn) != NULL &&
	    util_memmem(t, tn, "@pci", 4) != NULL) {
		r = pp_header(pp, t, tn);
		if (r == -1) {
			diag_err(pp->diags, pp->fname, pp->line, "malformed "
			    "device line; expected \"name@pciD:B:S:F: "
			    "class=0x...\"");
			pp->nerr++;
			pp->cur = NULL;
		} else if (r == -2) {
			pp->nerr++;
			pp->cur = NULL;
			if (pp->list->n >= PCI_MAXDEVS)
				return (-1);
		}
		return (0);
	}
	if (pp->cur == NULL) {
		pp_warn_line(pp, "%s", "ignoring a line that is not part of "
		    "a device entry");
		return (0);
	}
	slot = NULL;
	if (starts(t, tn, "vendor"))
		slot = &pp->cur->vendor_name;
	else if (starts(t, tn, "device"))
		slot = &pp->cur->device_name;
	else if (starts(t, tn, "class"))
		slot = &pp->cur->class_name;
	else if (starts(t, tn, "subclass"))
		slot = &pp->cur->subclass_name;
	if (slot != NULL) {
		if ((eq = memchr(t, '=', tn)) == NULL) {
			pp_warn_line(pp, "%s", "name line without '='");
			return (0);
		}
		free(*slot);
		*slot = pp_value(eq + 1, tn - (size_t)(eq + 1 - t));
		return (0);
	}
	if (starts(t, tn, "cap")) {
		pp_cap(pp->cur, t, tn);
		return (0);
	}
	if (starts(t, tn, "ecap")) {
		pp_ecap(pp->cur, t, tn);
		return (0);
	}
	if (starts(t, tn, "bar") || starts(t, tn, "iov") || col >= 8)
		return (0);	/* BARs and continuation lines of caps */
	pp_warn_line(pp, "%s", "ignoring an unrecognised line in a device "
	    "entry");
	return (0);
}

int
pci_parse(const char *buf, size_t len, const char *fname,
    struct pci_list *list, struct diags *diags)
{
	struct pparse pp;
	const char *p, *nl, *end;
	size_t n;

	memset(&pp, 0, sizeof(pp));
	pp.fname = fname;
	pp.list = list;
	pp.diags = diags;
	if (memchr(buf, '\0', len) != NULL) {
		diag_add_off(diags, DIAG_ERROR, fname,
		    (long long)((const char *)memchr(buf, '\0', len) - buf),
		    "binary data (a NUL byte); expected the text output of "
		    "'pciconf -lv'");
		return (-1);
	}
	end = buf + len;
	for (p = buf; p < end; p = nl + 1) {
		pp.line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > PCI_MAXLINE) {
			diag_err(diags, fname, pp.line, "line longer than %d "
			    "bytes; expected 'pciconf -lv' output",
			    PCI_MAXLINE);
			pp.nerr++;
			pp.cur = NULL;
			continue;
		}
		if (pp_line(&pp, p, n) != 0)
			break;
	}
	if (pp.nwarn > PCI_MAXWARN)
		diag_warn(diags, fname, 0, "%d more unrecognised lines not "
		    "shown", pp.nwarn - PCI_MAXWARN);
	if (list->n == 0 && pp.nerr == 0) {
		diag_err(diags, fname, 0, "no PCI devices found; expected the "
		    "output of 'pciconf -lv'");
		return (-1);
	}
	/* Duplicate selectors make every later lookup ambiguous. */
	pci_list_sort(list);
	for (n = 1; n < list->n; n++)
		if (pci_sel_eq(&list->dev[n - 1].sel, &list->dev[n].sel)) {
			char sb[32];

			pci_sel_fmt(&list->dev[n].sel, SEL_PCICONF, sb,
			    sizeof(sb));
			diag_err(diags, fname, list->dev[n].line, "%s is "
			    "listed twice (first at line %u)", sb,
			    list->dev[n - 1].line);
			pp.nerr++;
		}
	return (pp.nerr > 0 ? -1 : 0);
}

static char *
dupnull(const char *s)
{

	return (s != NULL ? strdup(s) : NULL);
}

int
pci_list_copy(struct pci_list *dst, const struct pci_list *src)
{
	struct pci_dev *d;
	const struct pci_dev *s;
	size_t i;

	pci_list_init(dst);
	for (i = 0; i < src->n; i++) {
		s = &src->dev[i];
		if ((d = pci_list_add(dst)) == NULL)
			goto fail;
		*d = *s;
		d->vendor_name = dupnull(s->vendor_name);
		d->device_name = dupnull(s->device_name);
		d->class_name = dupnull(s->class_name);
		d->subclass_name = dupnull(s->subclass_name);
		if ((s->vendor_name != NULL && d->vendor_name == NULL) ||
		    (s->device_name != NULL && d->device_name == NULL) ||
		    (s->class_name != NULL && d->class_name == NULL) ||
		    (s->subclass_name != NULL && d->subclass_name == NULL))
			goto fail;
	}
	return (0);
fail:
	pci_list_free(dst);
	return (-1);
}
