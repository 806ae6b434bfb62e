/*
 * pcicfg.c: configuration-space images, the dump parser and the save
 * file writer.
 *
 * "pciconf -r SEL 0:0xfff" (usr.sbin/pciconf/pciconf.c, readit()) reads
 * the range with PCIOCREAD in steps of the width (4 bytes, 2 with -h, 1
 * with -b) and prints each value as "%0*x" of 2 * width digits; a line
 * holds 16 bytes, with an extra space after the eighth value, and no
 * offsets.  "lspci -xxxx" prints "OFF: bb bb ... bb", 16 bytes a line,
 * after a "BB:DD.F class: name" line.  ptvm's save files are pciconf's
 * lines with an "OFF:" prefix, so that a partial image stays exact.
 */
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pcicfg.h"

#define PARSE_MAXERRS	20

void
pcicfg_init(struct pcicfg *c)
{

	memset(c, 0, sizeof(*c));
	c->size = PCICFG_STD;
}

static void
known_set(struct pcicfg *c, unsigned off)
{

	c->known[off / 64] |= (uint64_t)1 << (off % 64);
}

bool
pcicfg_known(const struct pcicfg *c, unsigned off, unsigned n)
{
	unsigned i;

	if (off >= PCICFG_EXT || n > PCICFG_EXT - off)
		return (false);
	for (i = off; i < off + n; i++)
		if ((c->known[i / 64] & ((uint64_t)1 << (i % 64))) == 0)
			return (false);
	return (true);
}

void
pcicfg_set(struct pcicfg *c, unsigned off, unsigned n, uint32_t v)
{
	unsigned i;

	for (i = 0; i < n && off + i < PCICFG_EXT; i++) {
		c->b[off + i] = (uint8_t)(v >> (8 * i));
		known_set(c, off + i);
		if (off + i >= PCICFG_STD)
			c->size = PCICFG_EXT;
	}
}

bool
pcicfg_get(const struct pcicfg *c, unsigned off, unsigned n, uint32_t *v)
{
	unsigned i;

	*v = 0;
	if (n > 4 || !pcicfg_known(c, off, n))
		return (false);
	for (i = 0; i < n; i++)
		*v |= (uint32_t)c->b[off + i] << (8 * i);
	return (true);
}

bool
pcicfg_all_ones(const struct pcicfg *c)
{
	unsigned i, n;

	for (i = n = 0; i < PCICFG_STD; i++)
		if (pcicfg_known(c, i, 1)) {
			if (c->b[i] != 0xff)
				return (false);
			n++;
		}
	return (n > 0);
}

/*
 * The parser.
 */
struct pstate {
	struct pcicfg	*c;
	const char	*file;
	struct diags	*d;
	const char	*want;
	unsigned	 line;
	unsigned	 next;		/* implied offset of the next value */
	int		 nerr;
	int		 nsect;		/* lspci functions seen */
	bool		 skip;		/* in an lspci function not wanted */
	bool		 got;		/* a value was stored */
	char		 first[16];	/* the first lspci function */
};

static void perr(struct pstate *, const char *, ...) __printflike(2, 3);

static void
perr(struct pstate *ps, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (++ps->nerr > PARSE_MAXERRS)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ps->nerr == PARSE_MAXERRS)
		diag_err(ps->d, ps->file, ps->line, "%s (more errors not "
		    "shown)", msg);
	else
		diag_err(ps->d, ps->file, ps->line, "%s", msg);
}

static int
hexval(int ch)
{

	if (ch >= '0' && ch <= '9')
		return (ch - '0');
	if (ch >= 'a' && ch <= 'f')
		return (ch - 'a' + 10);
	if (ch >= 'A' && ch <= 'F')
		return (ch - 'A' + 10);
	return (-1);
}

/* The length of the word at p, at most max, for messages. */
static int
toklen(const char *p, const char *end, int max)
{
	int n;

	for (n = 0; p + n < end && n < max && p[n] != ' ' && p[n] != '\t' &&
	    p[n] != '\0'; n++)
		;
	return (n);
}

/* Hex digits at s (at most max); the count, value in *v. */
static size_t
hexrun(const char *s, const char *end, size_t max, uint32_t *v)
{
	size_t n;

	*v = 0;
	for (n = 0; s + n < end && n < max && hexval(s[n]) >= 0; n++)
		*v = (*v << 4) | (uint32_t)hexval(s[n]);
	return (n);
}

/*
 * "BB:DD.F " or "DDDD:BB:DD.F " at the start of an lspci header line;
 * the length of the address, 0 if the line is not one.
 */
static size_t
lspci_addr(const char *s, const char *end, struct pci_sel *sel)
{
	const char *p = s;
	uint32_t v[4];
	size_t n;
	int i, k;

	memset(sel, 0, sizeof(*sel));
	for (i = 0; i < 3; i++) {
		n = hexrun(p, end, 4, &v[i]);
		if (n == 0 || p + n >= end)
			return (0);
		p += n;
		if (*p == '.')
			break;
		if (*p != ':')
			return (0);
		p++;
	}
	if (i < 1 || i > 2 || p + 1 >= end || *p != '.' ||
	    (k = hexval(p[1])) < 0 || k > 7 || (p + 2 < end && p[2] != ' '))
		return (0);
	if (i == 2)
		sel->domain = v[0];
	sel->bus = v[i - 1];
	sel->slot = v[i];
	sel->func = (unsigned)k;
	if (sel->bus > 255 || sel->slot > 31)
		return (0);
	return ((size_t)(p + 2 - s));
}

static void
lspci_header(struct pstate *ps, const char *s, size_t alen,
    const struct pci_sel *sel)
{
	char name[16];
	const char *w;

	snprintf(name, sizeof(name), "%.*s", (int)alen, s);
	ps->nsect++;
	if (ps->nsect == 1)
		strlcpy(ps->first, name, sizeof(ps->first));
	if (ps->want != NULL) {
		w = ps->want;
		/* "06:00.0" matches "0000:06:00.0" and the reverse. */
		ps->skip = !(strcasecmp(name, w) == 0 ||
		    (strlen(name) > 5 && strcasecmp(name + 5, w) == 0) ||
		    (strlen(w) > 5 && strcasecmp(w + 5, name) == 0));
	} else if (ps->nsect == 2) {
		perr(ps, "this lspci output holds more than one function "
		    "(%s, %s ...): keep the lines of one function in the "
		    "file", ps->first, name);
		ps->skip = true;
	} else
		ps->skip = ps->nsect > 1;
	if (!ps->skip) {
		ps->c->sel = *sel;
		ps->c->have_sel = true;
		ps->next = 0;
	}
}

/* Stores one value; refuses a byte given twice with two values. */
static void
store(struct pstate *ps, unsigned off, unsigned width, uint32_t v)
{
	unsigned i;
	uint8_t byte;

	for (i = 0; i < width; i++) {
		byte = (uint8_t)(v >> (8 * i));
		if (pcicfg_known(ps->c, off + i, 1) &&
		    ps->c->b[off + i] != byte) {
			perr(ps, "offset 0x%03x is given twice, as 0x%02x and "
			    "0x%02x: a file holds one dump", off + i,
			    ps->c->b[off + i], byte);
			return;
		}
	}
	pcicfg_set(ps->c, off, width, v);
	ps->got = true;
}

/* The values of a data line, after its optional "OFF:" prefix. */
static void
data_words(struct pstate *ps, const char *p, const char *end, unsigned off)
{
	unsigned width;
	size_t n;
	uint32_t v;

	width = 0;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= end)
			break;
		n = hexrun(p, end, 9, &v);
		if (n == 0 || (n != 2 && n != 4 && n != 8) ||
		    (p + n < end && p[n] != ' ' && p[n] != '\t')) {
			perr(ps, "\"%.*s\" is not a value: expected hex words "
			    "of 8 digits (pciconf -r), 4 (-h) or 2 (-b, lspci)",
			    toklen(p, end, 20), p);
			return;
		}
		if (width != 0 && n / 2 != width) {
			perr(ps, "values of different widths on one line");
			return;
		}
		width = (unsigned)n / 2;
		if (off % width != 0) {
			perr(ps, "offset 0x%03x is not aligned to the %u-byte "
			    "values of the line", off, width);
			return;
		}
		if (off > PCICFG_EXT - width) {
			perr(ps, "offset 0x%x is beyond 0xfff, the end of the "
			    "configuration space", off);
			return;
		}
		store(ps, off, width, v);
		off += width;
		p += n;
	}
	ps->next = off;
}

/* "# function SEL" names the function of a save file. */
static void
comment(struct pstate *ps, const char *p, const char *end)
{
	static const char key[] = "# function ";
	char buf[64], err[128];
	struct pci_sel sel;
	size_t n;

	if ((size_t)(end - p) <= sizeof(key) - 1 ||
	    memcmp(p, key, sizeof(key) - 1) != 0 || ps->nsect > 0)
		return;
	p += sizeof(key) - 1;
	n = (size_t)toklen(p, end, (int)sizeof(buf));
	if (n == 0 || n >= sizeof(buf))
		return;
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (pci_sel_parse(buf, &sel, err, sizeof(err)) != 0) {
		diag_warn(ps->d, ps->file, ps->line, "%s; the function is "
		    "ignored", err);
		return;
	}
	ps->c->sel = sel;
	ps->c->have_sel = true;
}

static void
parse_line(struct pstate *ps, const char *p, const char *end)
{
	struct pci_sel sel;
	uint32_t off;
	size_t n;

	while (end > p && (end[-1] == '\r' || end[-1] == ' ' ||
	    end[-1] == '\t'))
		end--;
	if (p == end || *p == ' ' || *p == '\t')
		return;		/* blank, or an indented "lspci -v" line */
	if (*p == '#') {
		comment(ps, p, end);
		return;
	}
	if ((n = lspci_addr(p, end, &sel)) > 0) {
		lspci_header(ps, p, n, &sel);
		return;
	}
	if (ps->skip)
		return;
	if (memchr(p, '\0', (size_t)(end - p)) != NULL) {
		perr(ps, "NUL byte in the line: not a text dump");
		return;
	}
	n = hexrun(p, end, 5, &off);
	if (n > 0 && p + n < end && p[n] == ':') {
		if (n > 4 || off >= PCICFG_EXT) {
			perr(ps, "offset %.*s is beyond 0xfff, the end of the "
			    "configuration space", (int)n, p);
			return;
		}
		data_words(ps, p + n + 1, end, off);
		return;
	}
	data_words(ps, p, end, ps->next);
}

static void
check_header(struct pstate *ps)
{
	unsigned i;

	ps->line = 0;
	if (!ps->got) {
		if (ps->want != NULL && ps->nsect > 0)
			perr(ps, "no function %s in this lspci output",
			    ps->want);
		else
			perr(ps, "no configuration-space data: expected the "
			    "output of 'pciconf -r SEL 0:0xfff' or "
			    "'lspci -xxxx'");
		return;
	}
	for (i = 0; i < 0x40; i++)
		if (!pcicfg_known(ps->c, i, 1)) {
			perr(ps, "offset 0x%02x is missing: the first 64 bytes "
			    "(the header) are needed; dump at least "
			    "'pciconf -r SEL 0:0xff'", i);
			return;
		}
}

int
pcicfg_parse(const char *buf, size_t len, const char *file, const char *want,
    struct pcicfg *c, struct diags *d)
{
	struct pstate ps;
	const char *p, *end, *nl;

	pcicfg_init(c);
	memset(&ps, 0, sizeof(ps));
	ps.c = c;
	ps.file = file;
	ps.d = d;
	ps.want = want;
	ps.skip = false;
	end = buf + len;
	/*
	 * A dump is ASCII text: a file with any other byte (a binary, a
	 * terminal escape) is refused at its first one, never quoted.
	 */
	for (p = buf; p < end; p++) {
		if (*p == '\n')
			ps.line++;
		else if ((unsigned char)*p >= 0x7f || ((unsigned char)*p <
		    0x20 && *p != '\t' && *p != '\r'))
			break;
	}
	if (p < end) {
		char what[16];

		if (*p == '\0')
			(void)strlcpy(what, "NUL byte", sizeof(what));
		else
			(void)snprintf(what, sizeof(what), "byte 0x%02x",
			    (unsigned char)*p);
		diag_err(d, file, ps.line + 1, "%s at offset %zu is not text: "
		    "not a configuration-space dump (give a file of ptvm pci "
		    "save, pciconf -r or lspci -x)", what, (size_t)(p - buf));
		return (-1);
	}
	ps.line = 0;
	for (p = buf; p < end && ps.nerr < PARSE_MAXERRS; p = nl + 1) {
		ps.line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		parse_line(&ps, p, nl);
		/* Nothing read yet: this is no dump, one error says so. */
		if (ps.nerr > 0 && !ps.got)
			break;
	}
	if (ps.nerr == 0)
		check_header(&ps);
	return (ps.nerr == 0 ? 0 : -1);
}

/*
 * The save file.
 */

/* A 16-byte row: dwords when all known, else the known bytes in runs. */
static void
format_row(const struct pcicfg *c, unsigned row, struct strbuf *sb)
{
	unsigned i, k;
	uint32_t v;

	if (pcicfg_known(c, row, 16)) {
		sb_printf(sb, "%03x:", row);
		for (i = 0; i < 16; i += 4) {
			(void)pcicfg_get(c, row + i, 4, &v);
			sb_printf(sb, " %08x", v);
		}
		sb_putc(sb, '\n');
		return;
	}
	for (i = 0; i < 16; i = k) {
		if (!pcicfg_known(c, row + i, 1)) {
			k = i + 1;
			continue;
		}
		sb_printf(sb, "%03x:", row + i);
		for (k = i; k < 16 && pcicfg_known(c, row + k, 1); k++)
			sb_printf(sb, " %02x", c->b[row + k]);
		sb_putc(sb, '\n');
	}
}

void
pcicfg_format(const struct pcicfg *c, const char *title, struct strbuf *sb)
{
	char sel[32];
	const char *p, *nl;
	unsigned row;

	sb_puts(sb, "# ptvm pci save 1\n");
	if (c->have_sel) {
		pci_sel_fmt(&c->sel, SEL_PCICONF, sel, sizeof(sel));
		sb_printf(sb, "# function %s\n", sel);
	} else
		strlcpy(sel, "SEL", sizeof(sel));
	for (p = title; p != NULL && *p != '\0'; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		sb_printf(sb, "# %.*s\n", (int)(nl - p), p);
	}
	sb_printf(sb, "# %zu bytes of configuration space: the lines below "
	    "are what\n# 'pciconf -r %s 0:0x%zx' prints, each after its "
	    "offset.\n# Lines starting with '#' are comments.\n", c->size,
	    sel, c->size - 1);
	for (row = 0; row < c->size; row += 16)
		format_row(c, row, sb);
	sb_puts(sb, "#\n# decoded:\n");
	pcicfg_describe(c, "#   ", sb);
}
