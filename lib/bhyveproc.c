/*
 * bhyveproc.c: a running bhyve's configuration from its arguments and -k
 * files (see bhyveproc.h), moved out of host/host_freebsd.c so that it
 * builds, is tested and is fuzzed everywhere.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bhyveproc.h"
#include "util.h"

/* An integer as strtol(3) with base 0 reads it (decimal, 0x, 0 octal). */
int
bproc_int(const char *s, unsigned long max, unsigned long *v)
{
	const char *p;
	int base;

	p = s;
	base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p[1] != '\0') {
		base = 8;
		p++;
	}
	if (util_parse_ulong(&p, base, max, v) != 0 || *p != '\0')
		return (EINVAL);
	return (0);
}

/* Sets NODE.KEY to value in the configuration. */
static int
bp_cfg_setn(struct kv_list *cfg, const char *node, const char *key,
    const char *value)
{
	char name[256];

	if (snprintf(name, sizeof(name), "%s.%s", node, key) >=
	    (int)sizeof(name))
		return (ENAMETOOLONG);
	return (kv_set(cfg, name, value) == 0 ? 0 : ENOMEM);
}

/* "-o key=value" and a line of a "-k" file: a value must follow '='. */
static int
bp_cfg_option(struct kv_list *cfg, const char *opt)
{
	const char *eq;
	char *name;
	int e;

	if ((eq = strchr(opt, '=')) == NULL || eq == opt || eq[1] == '\0')
		return (EINVAL);
	if ((name = strndup(opt, (size_t)(eq - opt))) == NULL)
		return (ENOMEM);
	e = kv_set(cfg, name, eq + 1) == 0 ? 0 : ENOMEM;
	free(name);
	return (e);
}

/* The ",key=value,flag" tail of a -s option: flags are set to "true". */
static int
bp_cfg_legacy(struct kv_list *cfg, const char *node, char *conf)
{
	char *tok, *eq;
	int e, n;

	for (n = 0; conf != NULL && n < BPROC_MAXARGS; n++) {
		tok = strsep(&conf, ",");
		if ((eq = strchr(tok, '=')) != NULL) {
			*eq = '\0';
			e = bp_cfg_setn(cfg, node, tok, eq + 1);
		} else
			e = bp_cfg_setn(cfg, node, tok, "true");
		if (e != 0)
			return (e);
	}
	return (0);
}

/* "B/S/F", "pciB:S:F", "pci0:B:S:F" or "pptN", then options. */
static int
bp_cfg_passthru(struct kv_list *cfg, const char *node, char *conf)
{
	struct pci_sel sel;
	char *dev, num[16], err[128];
	int e;

	if (conf == NULL)
		return (0);
	dev = strsep(&conf, ",");
	if (strncmp(dev, "ppt", 3) == 0)
		e = bp_cfg_setn(cfg, node, "pptdev", dev);
	else if (pci_sel_parse(dev, &sel, err, sizeof(err)) == 0 &&
	    sel.domain == 0) {
		snprintf(num, sizeof(num), "%u", sel.bus);
		e = bp_cfg_setn(cfg, node, "bus", num);
		snprintf(num, sizeof(num), "%u", sel.slot);
		if (e == 0)
			e = bp_cfg_setn(cfg, node, "slot", num);
		snprintf(num, sizeof(num), "%u", sel.func);
		if (e == 0)
			e = bp_cfg_setn(cfg, node, "func", num);
	} else
		e = EINVAL;
	if (e != 0)
		return (e);
	return (bp_cfg_legacy(cfg, node, conf));
}

/* The slot of "-s": "slot", "slot:func" or "bus:slot:func". */
static int
bp_cfg_slotname(const char *s, char *node, size_t len)
{
	unsigned long v[3];
	const char *p;
	int n;

	p = s;
	for (n = 0; n < 3; n++) {
		if (util_parse_ulong(&p, 10, 255, &v[n]) != 0)
			return (EINVAL);
		if (*p != ':')
			break;
		p++;
	}
	if (n == 3 || *p != '\0')
		return (EINVAL);
	if (n == 0)
		snprintf(node, len, "pci.0.%lu.0", v[0]);
	else if (n == 1)
		snprintf(node, len, "pci.0.%lu.%lu", v[0], v[1]);
	else
		snprintf(node, len, "pci.%lu.%lu.%lu", v[0], v[1], v[2]);
	return (0);
}

/* "-s SLOT,EMUL[,CONFIG]". */
static int
bp_cfg_slot(struct kv_list *cfg, const char *arg)
{
	char node[64], *copy, *p, *slot, *emul;
	int e;

	if ((copy = strdup(arg)) == NULL)
		return (ENOMEM);
	p = copy;
	slot = strsep(&p, ",");
	emul = strsep(&p, ",");
	e = 0;
	if (emul != NULL && strcmp(slot, "help") != 0 &&
	    (e = bp_cfg_slotname(slot, node, sizeof(node))) == 0 &&
	    (e = bp_cfg_setn(cfg, node, "device", emul)) == 0) {
		if (strcmp(emul, "passthru") == 0)
			e = bp_cfg_passthru(cfg, node, p);
		else
			e = bp_cfg_legacy(cfg, node, p);
	}
	free(copy);
	return (e);
}

int
bproc_cfg_file(struct kv_list *cfg, const char *buf, size_t len)
{
	const char *line, *nl, *end;
	char *one;
	int e;

	if (len == 0)
		return (0);
	e = 0;
	end = buf + len;
	for (line = buf; e == 0 && line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		if (nl == line || *line == '#')
			continue;
		/* A NUL would cut the line short: not a line bhyve means. */
		if (memchr(line, '\0', (size_t)(nl - line)) != NULL)
			return (EINVAL);
		if ((one = strndup(line, (size_t)(nl - line))) == NULL)
			return (ENOMEM);
		e = bp_cfg_option(cfg, one);
		free(one);
	}
	return (e);
}

/* "-k FILE": read by the host layer, then its lines. */
static int
bp_cfg_kfile(struct kv_list *cfg, const char *path, bproc_read_fn *rd,
    void *arg)
{
	char *buf;
	size_t len;
	int e;

	if (rd == NULL)
		return (ENOENT);
	if ((e = rd(arg, path, &buf, &len)) != 0)
		return (e);
	e = bproc_cfg_file(cfg, buf, len);
	free(buf);
	return (e);
}

static int
bp_bhyve_opt(struct kv_list *cfg, int opt, const char *arg,
    bproc_read_fn *rd, void *rdarg)
{

	switch (opt) {
	case 's':
		return (bp_cfg_slot(cfg, arg));
	case 'o':
		return (bp_cfg_option(cfg, arg));
	case 'k':
		return (bp_cfg_kfile(cfg, arg, rd, rdarg));
	default:
		return (0);
	}
}

/*
 * Walks bhyve's arguments as its getopt(3) does (no permutation: the
 * first operand ends the options) and applies -s, -o and -k in order.
 */
int
bproc_args(struct kv_list *cfg, int argc, char **argv, bproc_read_fn *rd,
    void *rdarg)
{
	static const char witharg[] = "cfGklmopsKrU";
	const char *a, *arg;
	size_t j;
	int i, e;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		for (j = 1; a[j] != '\0'; j++) {
			if (strchr(witharg, a[j]) == NULL)
				continue;
			if (a[j + 1] != '\0')
				arg = a + j + 1;
			else if (i + 1 < argc)
				arg = argv[++i];
			else
				return (EINVAL);
			if ((e = bp_bhyve_opt(cfg, a[j], arg, rd, rdarg)) != 0)
				return (e);
			break;
		}
	}
	if (i < argc && kv_set(cfg, "name", argv[i]) != 0)
		return (ENOMEM);
	return (0);
}

/* The host function of one passthru node: pptdev, else bus/slot/func. */
static int
bp_passthru_sel(const struct kv_list *cfg, const char *node,
    bproc_ppt_fn *ppt, void *arg, struct pci_sel *sel)
{
	static const char *const keys[] = { "bus", "slot", "func" };
	static const unsigned long max[] = { 255, 31, 255 };
	unsigned long v[3];
	const char *val;
	char name[256];
	size_t i;

	snprintf(name, sizeof(name), "%s.pptdev", node);
	if ((val = kv_get(cfg, name)) != NULL)
		return (ppt != NULL ? ppt(arg, val, sel) : ENOENT);
	for (i = 0; i < nitems(keys); i++) {
		snprintf(name, sizeof(name), "%s.%s", node, keys[i]);
		if ((val = kv_get(cfg, name)) == NULL ||
		    bproc_int(val, max[i], &v[i]) != 0)
			return (EINVAL);
	}
	sel->domain = 0;
	sel->bus = (unsigned)v[0];
	sel->slot = (unsigned)v[1];
	sel->func = (unsigned)v[2];
	return (0);
}

/* Is name "pci.B.S.F.device"?  Writes "pci.B.S.F" to node. */
static bool
bp_cfg_devnode(const char *name, char *node, size_t len)
{
	unsigned long v;
	const char *p;
	int i;

	if (strncmp(name, "pci.", 4) != 0)
		return (false);
	p = name + 4;
	for (i = 0; i < 3; i++)
		if (util_parse_ulong(&p, 10, 255, &v) != 0 || *p++ != '.')
			return (false);
	if (strcmp(p, "device") != 0 || (size_t)(p - 1 - name) >= len)
		return (false);
	snprintf(node, len, "%.*s", (int)(p - 1 - name), name);
	return (true);
}

int
bproc_devs(const struct kv_list *cfg, bproc_ppt_fn *ppt, void *arg,
    struct pci_sel **devs, size_t *ndevs, bool *known)
{
	struct pci_sel sel, *nd;
	char node[64];
	size_t i;

	*known = true;
	for (i = 0; i < cfg->n; i++) {
		if (!bp_cfg_devnode(cfg->v[i].name, node, sizeof(node)) ||
		    strcmp(cfg->v[i].value, "passthru") != 0)
			continue;
		if (bp_passthru_sel(cfg, node, ppt, arg, &sel) != 0 ||
		    *ndevs >= BPROC_MAXDEVS) {
			*known = false;
			continue;
		}
		nd = reallocarray(*devs, *ndevs + 1, sizeof(*nd));
		if (nd == NULL)
			return (ENOMEM);
		*devs = nd;
		nd[(*ndevs)++] = sel;
	}
	return (0);
}

int
bproc_split_args(char *buf, size_t len, char ***argvp, int *argcp)
{
	char **argv, *p, *end;
	int argc;

	if ((argv = calloc(BPROC_MAXARGS + 1, sizeof(*argv))) == NULL)
		return (ENOMEM);
	end = buf + len;
	argc = 0;
	/* Never past end: the last string ends at buf[len] at the latest. */
	for (p = buf; p < end && argc < BPROC_MAXARGS;
	    p += strnlen(p, (size_t)(end - p)) + 1)
		argv[argc++] = p;
	*argvp = argv;
	*argcp = argc;
	return (argc > 0 ? 0 : ENOENT);
}

