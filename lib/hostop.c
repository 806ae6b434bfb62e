/*
 * hostop.c: host changes as FreeBSD command lines, and back.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostop.h"
#include "util.h"

static bool
needs_quote(const char *s)
{
	const char *p;

	if (*s == '\0')
		return (true);
	for (p = s; *p != '\0'; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_-+=/.,:@%^", *p) == NULL)
			return (true);
	return (false);
}

void
hostop_quote(struct strbuf *sb, const char *s)
{
	const char *p;

	if (!needs_quote(s)) {
		sb_puts(sb, s);
		return;
	}
	sb_putc(sb, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			sb_puts(sb, "'\\''");
		else
			sb_putc(sb, *p);
	}
	sb_putc(sb, '\'');
}

/* NAME="VALUE" as kenv(1) and loader.conf(5) write it. */
static void
fmt_assign_dq(struct strbuf *sb, const char *name, const char *val)
{
	const char *p;

	sb_puts(sb, name);
	sb_puts(sb, "=\"");
	for (p = val; *p != '\0'; p++) {
		if (strchr("\"\\$`", *p) != NULL)
			sb_putc(sb, '\\');
		sb_putc(sb, *p);
	}
	sb_putc(sb, '"');
}

void
hostop_fmt(const struct hostop *op, struct strbuf *sb)
{
	int i;

	switch (op->kind) {
	case HOP_KENV_SET:
		sb_puts(sb, "kenv ");
		fmt_assign_dq(sb, op->a, op->b);
		break;
	case HOP_KENV_UNSET:
		sb_printf(sb, "kenv -u %s", op->a);
		break;
	case HOP_SYSCTL_SET:
		sb_puts(sb, "sysctl ");
		hostop_quote(sb, op->a);
		sb_putc(sb, '=');
		hostop_quote(sb, op->b);
		break;
	case HOP_KLDLOAD:
		sb_printf(sb, "kldload %s", op->a);
		break;
	case HOP_KLDUNLOAD:
		sb_printf(sb, "kldunload %s", op->a);
		break;
	case HOP_DETACH:
		sb_printf(sb, "devctl detach %s%s", op->force ? "-f " : "",
		    op->a);
		break;
	case HOP_ATTACH:
		sb_printf(sb, "devctl attach %s", op->a);
		break;
	case HOP_SET_DRIVER:
		sb_printf(sb, "devctl set driver %s%s %s",
		    op->force ? "-f " : "", op->a, op->b);
		break;
	case HOP_CLEAR_DRIVER:
		sb_printf(sb, "devctl clear driver %s%s",
		    op->force ? "-f " : "", op->a);
		break;
	case HOP_RESCAN:
		sb_printf(sb, "devctl rescan %s", op->a);
		break;
	case HOP_INSTALL:
		sb_printf(sb, "install -m %04o ", (unsigned)op->mode);
		hostop_quote(sb, op->a);
		sb_putc(sb, ' ');
		hostop_quote(sb, op->b);
		break;
	case HOP_PCI_WRITE:
		sb_printf(sb, "pciconf -w %s", op->width == 1 ? "-b " :
		    op->width == 2 ? "-h " : "");
		hostop_quote(sb, op->a);
		sb_printf(sb, " 0x%02x 0x%0*x", op->reg, (int)(op->width * 2),
		    (unsigned)op->val);
		break;
	case HOP_EXEC:
		for (i = 0; op->argv != NULL && op->argv[i] != NULL; i++) {
			if (i > 0)
				sb_putc(sb, ' ');
			hostop_quote(sb, op->argv[i]);
		}
		break;
	}
}

/*
 * Splits a line into words with sh(1) quoting: '...', "..." (with \ before
 * " \ $ `) and \ outside quotes.  No expansion of any kind.
 */
static int
split_words(const char *s, size_t n, struct hostop_parsed *p, char *err,
    size_t errlen)
{
	struct strbuf w;
	size_t i;
	char q;
	bool inword;

	sb_init(&w);
	inword = false;
	q = 0;
	for (i = 0; i <= n; i++) {
		char c = i < n ? s[i] : '\0';

		if (q == '\'') {
			if (i == n)
				break;
			if (c == '\'')
				q = 0;
			else
				sb_putc(&w, c);
			continue;
		}
		if (q == '"') {
			if (i == n)
				break;
			if (c == '"')
				q = 0;
			else if (c == '\\' && i + 1 < n &&
			    strchr("\"\\$`", s[i + 1]) != NULL)
				sb_putc(&w, s[++i]);
			else
				sb_putc(&w, c);
			continue;
		}
		if (i == n || c == ' ' || c == '\t') {
			if (inword) {
				if (p->nwords >= HOSTOP_MAXARGS || w.oom) {
					snprintf(err, errlen, "too many words");
					sb_free(&w);
					return (-1);
				}
				p->words[p->nwords] = strdup(sb_str(&w));
				if (p->words[p->nwords] == NULL) {
					snprintf(err, errlen, "out of memory");
					sb_free(&w);
					return (-1);
				}
				p->nwords++;
				sb_reset(&w);
				inword = false;
			}
			continue;
		}
		inword = true;
		if (c == '\'' || c == '"')
			q = c;
		else if (c == '\\' && i + 1 < n)
			sb_putc(&w, s[++i]);
		else
			sb_putc(&w, c);
	}
	sb_free(&w);
	if (q != 0) {
		snprintf(err, errlen, "unterminated %c quote", q);
		return (-1);
	}
	p->words[p->nwords] = NULL;
	return (0);
}

static int
parse_devctl(struct hostop_parsed *p, char *err, size_t errlen)
{
	struct hostop *op = &p->op;
	char **w = p->words + 1;
	int n = p->nwords - 1, i;

	i = 0;
	if (n >= 2 && strcmp(w[0], "set") == 0 && strcmp(w[1], "driver") == 0) {
		op->kind = HOP_SET_DRIVER;
		i = 2;
	} else if (n >= 2 && strcmp(w[0], "clear") == 0 &&
	    strcmp(w[1], "driver") == 0) {
		op->kind = HOP_CLEAR_DRIVER;
		i = 2;
	} else if (n >= 1 && strcmp(w[0], "detach") == 0) {
		op->kind = HOP_DETACH;
		i = 1;
	} else if (n >= 1 && strcmp(w[0], "attach") == 0) {
		op->kind = HOP_ATTACH;
		i = 1;
	} else if (n >= 1 && strcmp(w[0], "rescan") == 0) {
		op->kind = HOP_RESCAN;
		i = 1;
	} else {
		snprintf(err, errlen, "unknown devctl command");
		return (-1);
	}
	if (i < n && strcmp(w[i], "-f") == 0 && op->kind != HOP_ATTACH &&
	    op->kind != HOP_RESCAN) {
		op->force = true;
		i++;
	}
	if (i >= n) {
		snprintf(err, errlen, "devctl: device missing");
		return (-1);
	}
	op->a = w[i++];
	if (op->kind == HOP_SET_DRIVER) {
		if (i >= n) {
			snprintf(err, errlen, "devctl set driver: driver "
			    "missing");
			return (-1);
		}
		op->b = w[i++];
	}
	if (i != n) {
		snprintf(err, errlen, "devctl: extra arguments");
		return (-1);
	}
	return (0);
}

static int
parse_assign(struct hostop_parsed *p, enum hostop_kind kind, char *err,
    size_t errlen)
{
	char *eq;

	if (p->nwords != 2 || (eq = strchr(p->words[1], '=')) == NULL ||
	    eq == p->words[1]) {
		snprintf(err, errlen, "%s: expected NAME=VALUE",
		    p->words[0]);
		return (-1);
	}
	*eq = '\0';
	p->op.kind = kind;
	p->op.a = p->words[1];
	p->op.b = eq + 1;
	return (0);
}

/* A number as pciconf's strtoul(3) with base 0 reads it, but whole. */
static int
parse_num(const char *s, unsigned long max, unsigned long *v)
{
	const char *p = s;
	int base;

	base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		base = 16;
	}
	if (util_parse_ulong(&p, base, max, v) != 0 || *p != '\0')
		return (-1);
	return (0);
}

/*
 * "pciconf -w [-b | -h] SEL REG VALUE" (usr.sbin/pciconf: PCIOCWRITE of
 * 4, 1 or 2 bytes), checked as the kernel would: aligned, in 0-0xfff.
 */
static int
parse_pciconf(struct hostop_parsed *p, char *err, size_t errlen)
{
	struct hostop *op = &p->op;
	char **w = p->words + 2;
	int n = p->nwords - 2;
	unsigned long reg, val;

	op->width = 4;
	if (n == 4 && (strcmp(w[0], "-b") == 0 || strcmp(w[0], "-h") == 0)) {
		op->width = w[0][1] == 'b' ? 1 : 2;
		w++;
		n--;
	}
	if (n != 3) {
		snprintf(err, errlen, "pciconf -w: expected [-b | -h] "
		    "selector offset value");
		return (-1);
	}
	if (parse_num(w[1], 0xfff, &reg) != 0 || reg % op->width != 0 ||
	    reg + op->width > 0x1000) {
		snprintf(err, errlen, "pciconf -w: bad offset \"%s\" (0 to "
		    "0xfff, a multiple of %u)", w[1], op->width);
		return (-1);
	}
	if (parse_num(w[2], op->width == 4 ? 0xffffffffUL :
	    (1UL << (8 * op->width)) - 1, &val) != 0) {
		snprintf(err, errlen, "pciconf -w: bad value \"%s\" for %u "
		    "bytes", w[2], op->width);
		return (-1);
	}
	op->kind = HOP_PCI_WRITE;
	op->a = w[0];
	op->reg = (unsigned)reg;
	op->val = (uint32_t)val;
	return (0);
}

static int
parse_words(struct hostop_parsed *p, char *err, size_t errlen)
{
	struct hostop *op = &p->op;
	char **w = p->words;
	long long mode;

	if (strcmp(w[0], "devctl") == 0)
		return (parse_devctl(p, err, errlen));
	if (strcmp(w[0], "pciconf") == 0 && p->nwords >= 2 &&
	    strcmp(w[1], "-w") == 0)
		return (parse_pciconf(p, err, errlen));
	if (strcmp(w[0], "kenv") == 0 && p->nwords == 3 &&
	    strcmp(w[1], "-u") == 0) {
		op->kind = HOP_KENV_UNSET;
		op->a = w[2];
		return (0);
	}
	if (strcmp(w[0], "kenv") == 0)
		return (parse_assign(p, HOP_KENV_SET, err, errlen));
	if (strcmp(w[0], "sysctl") == 0)
		return (parse_assign(p, HOP_SYSCTL_SET, err, errlen));
	if ((strcmp(w[0], "kldload") == 0 || strcmp(w[0], "kldunload") == 0) &&
	    p->nwords == 2) {
		op->kind = w[0][3] == 'l' ? HOP_KLDLOAD : HOP_KLDUNLOAD;
		op->a = w[1];
		return (0);
	}
	if (strcmp(w[0], "install") == 0 && p->nwords == 5 &&
	    strcmp(w[1], "-m") == 0) {
		const char *mp = w[2];
		unsigned long m;

		if (util_parse_ulong(&mp, 8, 07777, &m) != 0 || *mp != '\0') {
			snprintf(err, errlen, "install: bad mode");
			return (-1);
		}
		mode = (long long)m;
		op->kind = HOP_INSTALL;
		op->mode = (int)mode;
		op->a = w[3];
		op->b = w[4];
		return (0);
	}
	op->kind = HOP_EXEC;
	op->argv = (const char *const *)w;
	return (0);
}

int
hostop_parse(const char *s, size_t n, struct hostop_parsed *p, char *err,
    size_t errlen)
{

	memset(p, 0, sizeof(*p));
	if (memchr(s, '\0', n) != NULL) {
		snprintf(err, errlen, "NUL byte in line");
		return (-1);
	}
	if (split_words(s, n, p, err, errlen) != 0)
		goto fail;
	if (p->nwords == 0) {
		snprintf(err, errlen, "empty line");
		goto fail;
	}
	if (parse_words(p, err, errlen) != 0)
		goto fail;
	return (0);
fail:
	hostop_parsed_free(p);
	return (-1);
}

void
hostop_parsed_free(struct hostop_parsed *p)
{
	int i;

	for (i = 0; i < p->nwords; i++)
		free(p->words[i]);
	p->nwords = 0;
	p->words[0] = NULL;
}
