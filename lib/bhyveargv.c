/*
 * bhyveargv.c: bhyve's command line to configuration variables and back.
 *
 * The option meanings are those of bhyve_optparse() in FreeBSD 15's
 * usr.sbin/bhyve/amd64/bhyverun_machdep.c and of main() in 14's
 * bhyverun.c: -a x86.x2apic=false, -A acpi_tables=true (14; a no-op in 15,
 * which always builds ACPI tables), -C memory.guest_in_core=true,
 * -D destroy_on_poweroff=true, -e x86.strictio=true,
 * -H x86.vmexit_on_hlt=true, -I nothing (deprecated), -P
 * x86.vmexit_on_pause=true, -S memory.wired=true, -u
 * rtc.use_localtime=false, -w x86.strictmsr=false, -W virtio_msix=false,
 * -x x86.x2apic=true, -Y x86.mptable=false, -c topology_parse(), -m
 * memory.size, -p pincpu_parse() ("vcpu:hostcpu", appended to
 * vcpu.N.cpuset), -G bhyve_parse_gdb_options() ([w][addr:]port), -K
 * keyboard.layout, -U uuid, -o key=value, -l lpc_device_parse() and -s
 * pci_parse_slot() with the legacy parsers named in bhyvekeys.c.
 */
#include "compat.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bhyveargv.h"
#include "bhyvekeys.h"
#include "strbuf.h"
#include "util.h"

void
bhyve_argv_init(struct bhyve_argv *a)
{

	memset(a, 0, sizeof(*a));
}

void
bhyve_argv_free(struct bhyve_argv *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	free(a->line);
	memset(a, 0, sizeof(*a));
}

int
bhyve_argv_push(struct bhyve_argv *a, const char *s, size_t len,
    unsigned line)
{
	char **nv, *c;
	unsigned *nl;
	size_t ncap;

	if (a->n + 2 > a->cap) {
		ncap = a->cap == 0 ? 32 : a->cap * 2;
		if ((nv = reallocarray(a->v, ncap, sizeof(*nv))) == NULL)
			return (ENOMEM);
		a->v = nv;
		if ((nl = reallocarray(a->line, ncap, sizeof(*nl))) == NULL)
			return (ENOMEM);
		a->line = nl;
		a->cap = ncap;
	}
	if ((c = strndup(s, len)) == NULL)
		return (ENOMEM);
	a->v[a->n] = c;
	a->line[a->n] = line;
	a->n++;
	a->v[a->n] = NULL;
	return (0);
}

static int
push(struct bhyve_argv *a, const char *s)
{

	return (bhyve_argv_push(a, s, strlen(s), 0));
}

/* Parsing. */

struct actx {
	struct bcfg	*cfg;
	const char	*file;
	unsigned	 line;
	struct diags	*d;
	int		 oom;
};

static void
aerr(struct actx *c, const char *fmt, ...) __printflike(2, 3);

static void
aerr(struct actx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(c->d, DIAG_ERROR, c->file, c->line, "%s", msg);
}

static void
setv(struct actx *c, const char *key, const char *val)
{

	if (bcfg_set(c->cfg, key, val, c->file, c->line) != 0)
		c->oom = 1;
}

static void
setn(struct actx *c, const char *node, const char *key, const char *val)
{
	char k[256];

	if ((size_t)snprintf(k, sizeof(k), "%s.%s", node, key) >= sizeof(k)) {
		aerr(c, "%s.%s: key too long", node, key);
		return;
	}
	setv(c, k, val);
}

/* pci_parse_legacy_config(): name=value, or name alone for true. */
static int
legacy(struct actx *c, const char *node, const char *opts)
{
	char *s, *p, *tok, *eq;

	if (opts == NULL)
		return (0);
	if ((s = strdup(opts)) == NULL) {
		c->oom = 1;
		return (-1);
	}
	for (p = s; (tok = strsep(&p, ",")) != NULL;) {
		if ((eq = strchr(tok, '=')) != NULL)
			*eq++ = '\0';
		if (*tok == '\0') {
			aerr(c, "\"%s\": an empty option name", opts);
			free(s);
			return (-1);
		}
		setn(c, node, tok, eq != NULL ? eq : "true");
	}
	free(s);
	return (0);
}

/* "first[,legacy...]": first goes to key (blockif, netbe, scsi, input). */
static int
first_then_legacy(struct actx *c, const char *node, const char *key,
    const char *opts)
{
	const char *cm;
	char *first;
	int r;

	if (opts == NULL)
		return (0);
	if ((cm = strchr(opts, ',')) == NULL) {
		setn(c, node, key, opts);
		return (0);
	}
	if ((first = strndup(opts, (size_t)(cm - opts))) == NULL) {
		c->oom = 1;
		return (-1);
	}
	setn(c, node, key, first);
	free(first);
	r = legacy(c, node, cm + 1);
	return (r);
}

static bool
scan3(const char *s, const char *pre, char sep, unsigned long v[3],
    const char **rest)
{
	const char *p;
	int i;

	if (strncmp(s, pre, strlen(pre)) != 0)
		return (false);
	p = s + strlen(pre);
	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*p) ||
		    util_parse_ulong(&p, 10, 1000000, &v[i]) != 0)
			return (false);
		if (i < 2 && *p++ != sep)
			return (false);
	}
	*rest = p;
	return (true);
}

static int
passthru_conf(struct actx *c, const char *node, const char *opts)
{
	unsigned long v[3];
	const char *rest, *cm;
	char buf[32], *dev;

	if (opts == NULL)
		return (0);
	cm = strchr(opts, ',');
	if (strncmp(opts, "ppt", 3) == 0) {
		dev = cm != NULL ? strndup(opts, (size_t)(cm - opts)) :
		    strdup(opts);
		if (dev == NULL) {
			c->oom = 1;
			return (-1);
		}
		setn(c, node, "pptdev", dev);
		free(dev);
	} else if (scan3(opts, "pci0:", ':', v, &rest) ||
	    scan3(opts, "pci", ':', v, &rest) ||
	    scan3(opts, "", '/', v, &rest)) {
		snprintf(buf, sizeof(buf), "%lu", v[0]);
		setn(c, node, "bus", buf);
		snprintf(buf, sizeof(buf), "%lu", v[1]);
		setn(c, node, "slot", buf);
		snprintf(buf, sizeof(buf), "%lu", v[2]);
		setn(c, node, "func", buf);
		if (*rest != '\0' && *rest != ',') {
			aerr(c, "passthru: \"%s\": expected B/S/F, pciB:S:F "
			    "or pptN", opts);
			return (-1);
		}
	} else {
		aerr(c, "passthru: \"%s\": expected B/S/F, pciB:S:F or pptN "
		    "(like 6/0/0)", opts);
		return (-1);
	}
	return (cm != NULL ? legacy(c, node, cm + 1) : 0);
}

static int
ahci_port(struct actx *c, const char *node, int port, const char *type,
    const char *opts)
{
	char pn[128];

	snprintf(pn, sizeof(pn), "%s.port.%d", node, port);
	setn(c, pn, "type", type);
	return (first_then_legacy(c, pn, "path", opts));
}

/* pci_ahci_legacy_config(): hd:PATH[,opts],cd:PATH[,opts]... */
static int
ahci_conf(struct actx *c, const char *node, const char *opts)
{
	char *s, *str, *next, *n2;
	const char *type;
	int p, r;

	if (opts == NULL)
		return (0);
	if ((s = strdup(opts)) == NULL) {
		c->oom = 1;
		return (-1);
	}
	r = 0;
	for (p = 0, str = s; p < 32 && str != NULL; p++, str = next) {
		if (strncmp(str, "hd:", 3) == 0) {
			type = "hd";
			str += 3;
		} else if (strncmp(str, "cd:", 3) == 0) {
			type = "cd";
			str += 3;
		} else
			type = NULL;
		next = strstr(str, ",hd:");
		n2 = strstr(str, ",cd:");
		if (next == NULL || (n2 != NULL && n2 < next))
			next = n2;
		if (next != NULL)
			*next++ = '\0';
		if (*str == '\0')
			continue;
		if (type == NULL) {
			aerr(c, "ahci: port %d: \"%s\": expected hd:PATH or "
			    "cd:PATH", p, str);
			r = -1;
			break;
		}
		if (ahci_port(c, node, p, type, str) != 0) {
			r = -1;
			break;
		}
	}
	free(s);
	return (r);
}

/* pci_xhci_legacy_config(): device[=opt],... in slots 1, 2, ... */
static int
xhci_conf(struct actx *c, const char *node, const char *opts)
{
	char *s, *p, *tok, *eq, sn[128];
	int slot;

	if (opts == NULL)
		return (0);
	if ((s = strdup(opts)) == NULL) {
		c->oom = 1;
		return (-1);
	}
	slot = 1;
	for (p = s; (tok = strsep(&p, ",")) != NULL; slot++) {
		if ((eq = strchr(tok, '=')) != NULL)
			*eq++ = '\0';
		snprintf(sn, sizeof(sn), "%s.slot.%d", node, slot);
		setn(c, sn, "device", tok);
		if (eq != NULL && *eq != '\0')
			(void)legacy(c, sn, eq);
	}
	free(s);
	return (0);
}

/* virtio-9p: sharename=path[,opts]. */
static int
v9p_conf(struct actx *c, const char *node, const char *opts)
{
	const char *cm, *eq;
	char *share, *path;
	size_t n;

	if (opts == NULL)
		return (0);
	cm = strchr(opts, ',');
	n = cm != NULL ? (size_t)(cm - opts) : strlen(opts);
	eq = memchr(opts, '=', n);
	if (eq == NULL || eq == opts) {
		aerr(c, "virtio-9p: \"%s\": expected sharename=/path", opts);
		return (-1);
	}
	share = strndup(opts, (size_t)(eq - opts));
	path = strndup(eq + 1, n - (size_t)(eq + 1 - opts));
	if (share == NULL || path == NULL) {
		free(share);
		free(path);
		c->oom = 1;
		return (-1);
	}
	setn(c, node, "sharename", share);
	setn(c, node, "path", path);
	free(share);
	free(path);
	return (cm != NULL ? legacy(c, node, cm + 1) : 0);
}

static int
slot_conf(struct actx *c, const char *node, const char *emul,
    const char *conf)
{

	if (strcmp(emul, "passthru") == 0)
		return (passthru_conf(c, node, conf));
	if (strcmp(emul, "ahci") == 0)
		return (ahci_conf(c, node, conf));
	if (strcmp(emul, "ahci-hd") == 0 || strcmp(emul, "ahci-cd") == 0) {
		if (conf == NULL) {
			setn(c, node, "port.0.type", emul + 5);
			return (0);
		}
		return (ahci_port(c, node, 0, emul + 5, conf));
	}
	if (strcmp(emul, "amd_hostbridge") == 0) {
		setn(c, node, "pcireg.vendor", "0x1022");
		setn(c, node, "pcireg.device", "0x7432");
		return (0);
	}
	if (strcmp(emul, "nvme") == 0 && conf != NULL &&
	    strncmp(conf, "ram=", 4) == 0)
		return (legacy(c, node, conf));
	if (strcmp(emul, "nvme") == 0 || strcmp(emul, "virtio-blk") == 0)
		return (first_then_legacy(c, node, "path", conf));
	if (strcmp(emul, "virtio-net") == 0 || strcmp(emul, "e1000") == 0)
		return (first_then_legacy(c, node, "backend", conf));
	if (strcmp(emul, "virtio-scsi") == 0 && conf != NULL &&
	    conf[strcspn(conf, ",=")] != '=')
		return (first_then_legacy(c, node, "dev", conf));
	if (strcmp(emul, "virtio-input") == 0)
		return (first_then_legacy(c, node, "path", conf));
	if (strcmp(emul, "uart") == 0) {
		if (conf != NULL)
			setn(c, node, "path", conf);
		return (0);
	}
	if (strcmp(emul, "xhci") == 0)
		return (xhci_conf(c, node, conf));
	if (strcmp(emul, "virtio-9p") == 0)
		return (v9p_conf(c, node, conf));
	return (legacy(c, node, conf));
}

static const char *
model_of(const char *emul)
{

	if (strncmp(emul, "ahci-", 5) == 0)
		return ("ahci");
	if (strcmp(emul, "amd_hostbridge") == 0)
		return ("hostbridge");
	return (emul);
}

/* pci_parse_slot(): [[B:]S:]F... really S, S:F or B:S:F, then emul. */
static void
opt_s(struct actx *c, const char *arg)
{
	unsigned long n[3];
	char *s, *emul, *conf, node[64];
	const char *p;
	int k;

	if (strcmp(arg, "help") == 0) {
		aerr(c, "-s help lists bhyve's devices; it configures nothing");
		return;
	}
	if ((s = strdup(arg)) == NULL) {
		c->oom = 1;
		return;
	}
	conf = NULL;
	if ((emul = strchr(s, ',')) == NULL) {
		aerr(c, "-s %s: expected slot,emulation[,conf]", arg);
		goto out;
	}
	*emul++ = '\0';
	if ((conf = strchr(emul, ',')) != NULL)
		*conf++ = '\0';
	p = s;
	for (k = 0; k < 3; k++) {
		if (!isdigit((unsigned char)*p) ||
		    util_parse_ulong(&p, 10, 1000, &n[k]) != 0)
			break;
		if (*p != ':')
			break;
		p++;
	}
	if (k == 3 || *p != '\0' || !isdigit((unsigned char)s[0])) {
		aerr(c, "-s %s: \"%s\": a slot is S, S:F or B:S:F", arg, s);
		goto out;
	}
	k++;
	if (k == 1) {
		n[1] = n[0];
		n[0] = n[2] = 0;
	} else if (k == 2) {
		n[2] = n[1];
		n[1] = n[0];
		n[0] = 0;
	}
	if (n[0] > 255 || n[1] > 31 || n[2] > 7) {
		aerr(c, "-s %s: no such slot (bus 0-255, slot 0-31, function "
		    "0-7)", arg);
		goto out;
	}
	if (!bhyve_device_known(emul)) {
		aerr(c, "-s %s: unknown device \"%s\"", arg, emul);
		goto out;
	}
	snprintf(node, sizeof(node), "pci.%lu.%lu.%lu", n[0], n[1], n[2]);
	if (bcfg_has_node(c->cfg, node)) {
		aerr(c, "-s %s: slot %lu:%lu:%lu is already occupied", arg,
		    n[0], n[1], n[2]);
		goto out;
	}
	setn(c, node, "device", model_of(emul));
	(void)slot_conf(c, node, emul, conf);
out:
	free(s);
}

/* lpc_device_parse(). */
static void
opt_l(struct actx *c, const char *arg)
{
	char *s, *str, *dev, *rom, *vars, *type, *path, node[32];

	if ((s = strdup(arg)) == NULL) {
		c->oom = 1;
		return;
	}
	str = s;
	dev = strsep(&str, ",");
	if (strcasecmp(dev, "help") == 0) {
		aerr(c, "-l help lists the LPC devices; it configures "
		    "nothing");
	} else if (strcasecmp(dev, "bootrom") == 0) {
		if ((rom = strsep(&str, ",")) == NULL || *rom == '\0') {
			aerr(c, "-l %s: expected bootrom,ROMFILE[,VARSFILE]",
			    arg);
			goto out;
		}
		setv(c, "lpc.bootrom", rom);
		if ((vars = strsep(&str, ",")) != NULL) {
			if (strchr(vars, '=') == NULL)
				setv(c, "lpc.bootvars", vars);
			else
				(void)legacy(c, "lpc", vars);
		}
		if (str != NULL)
			(void)legacy(c, "lpc", str);
	} else if (strcasecmp(dev, "tpm") == 0) {
		type = strsep(&str, ",");
		path = strsep(&str, ",");
		if (type == NULL || path == NULL) {
			aerr(c, "-l %s: expected tpm,TYPE,PATH", arg);
			goto out;
		}
		setv(c, "tpm.type", type);
		setv(c, "tpm.path", path);
		if (str != NULL)
			(void)legacy(c, "tpm", str);
	} else if (strcasecmp(dev, "pc-testdev") == 0) {
		setv(c, "lpc.pc-testdev", "true");
	} else if (strcasecmp(dev, "fwcfg") == 0) {
		if (str == NULL) {
			aerr(c, "-l %s: expected fwcfg,bhyve or fwcfg,qemu",
			    arg);
			goto out;
		}
		setv(c, "lpc.fwcfg", str);
	} else if (strncasecmp(dev, "com", 3) == 0 && dev[3] >= '1' &&
	    dev[3] <= '4' && dev[4] == '\0') {
		if (str == NULL) {
			aerr(c, "-l %s: expected %s,BACKEND (stdio, "
			    "/dev/nmdm0A, tcp=IP:port)", arg, dev);
			goto out;
		}
		snprintf(node, sizeof(node), "lpc.com%c.path", dev[3]);
		setv(c, node, str);
	} else
		aerr(c, "-l %s: unknown LPC device \"%s\" (bootrom, com1-com4, "
		    "tpm, fwcfg, pc-testdev)", arg, dev);
out:
	free(s);
}

/* topology_parse(). */
static void
opt_c(struct actx *c, const char *arg)
{
	static const char *names[] = { "cpus", "sockets", "cores", "threads" };
	char *s, *p, *tok, *eq;
	size_t i;

	if (*arg == '\0') {
		for (i = 0; i < nitems(names); i++)
			setv(c, names[i], "1");
		return;
	}
	if ((s = strdup(arg)) == NULL) {
		c->oom = 1;
		return;
	}
	for (p = s; (tok = strsep(&p, ",")) != NULL;) {
		if ((eq = strchr(tok, '=')) == NULL) {
			setv(c, "cpus", tok);
			continue;
		}
		*eq++ = '\0';
		for (i = 0; i < nitems(names); i++)
			if (strcmp(tok, names[i]) == 0)
				break;
		if (i < nitems(names))
			setv(c, names[i], eq);
		else if (strcmp(tok, "maxcpus") == 0)
			aerr(c, "-c %s: bhyve refuses maxcpus= (not "
			    "implemented: #ifdef notyet in topology_parse)",
			    arg);
		else
			aerr(c, "-c %s: unknown \"%s\" (cpus, sockets, cores, "
			    "threads)", arg, tok);
	}
	free(s);
}

/* pincpu_parse(): "vcpu:hostcpu", appended to vcpu.N.cpuset. */
static void
opt_p(struct actx *c, const char *arg)
{
	unsigned long vc, pc;
	const char *p, *old;
	char key[32], *val;

	p = arg;
	if (isdigit((unsigned char)*p) &&
	    util_parse_ulong(&p, 10, 100000, &vc) == 0 && *p == ',' &&
	    (p++, isdigit((unsigned char)*p)) &&
	    util_parse_ulong(&p, 10, 100000, &pc) == 0 && *p == '\0') {
		aerr(c, "-p %s: bhyve only takes -p vcpu:hostcpu; %s probably "
		    "meant %lu:%lu", arg, arg, vc, pc);
		return;
	}
	p = arg;
	if (!isdigit((unsigned char)*p) ||
	    util_parse_ulong(&p, 10, 100000, &vc) != 0 || *p++ != ':' ||
	    !isdigit((unsigned char)*p) ||
	    util_parse_ulong(&p, 10, 1023, &pc) != 0 || *p != '\0') {
		aerr(c, "-p %s: expected vcpu:hostcpu, like -p 0:2 (host CPU "
		    "0-1023)", arg);
		return;
	}
	snprintf(key, sizeof(key), "vcpu.%lu.cpuset", vc);
	old = bcfg_get(c->cfg, key);
	if (asprintf(&val, "%s%s%lu", old != NULL ? old : "",
	    old != NULL ? "," : "", pc) < 0) {
		c->oom = 1;
		return;
	}
	setv(c, key, val);
	free(val);
}

/* bhyve_parse_gdb_options(): [w][addr:]port. */
static void
opt_g(struct actx *c, const char *arg)
{
	const char *colon;
	char *addr;

	if (*arg == 'w') {
		setv(c, "gdb.wait", "true");
		arg++;
	}
	if ((colon = strrchr(arg, ':')) != NULL) {
		if ((addr = strndup(arg, (size_t)(colon - arg))) == NULL) {
			c->oom = 1;
			return;
		}
		setv(c, "gdb.address", addr);
		free(addr);
		arg = colon + 1;
	}
	setv(c, "gdb.port", arg);
}

static void
opt_o(struct actx *c, const char *arg)
{
	const char *eq;
	char *key;

	if ((eq = strchr(arg, '=')) == NULL || eq == arg) {
		aerr(c, "-o %s: expected key=value", arg);
		return;
	}
	if ((key = strndup(arg, (size_t)(eq - arg))) == NULL) {
		c->oom = 1;
		return;
	}
	setv(c, key, eq + 1);
	free(key);
}

/* The flags: which key each sets to which value. */
static const struct flag {
	char		 opt;
	const char	*key;
	const char	*val;
} flags[] = {
	/* The order of the guide's -DSHAw, then the rest. */
	{ 'D', "destroy_on_poweroff", "true" },
	{ 'S', "memory.wired", "true" },
	{ 'H', "x86.vmexit_on_hlt", "true" },
	{ 'A', "acpi_tables", "true" },
	{ 'w', "x86.strictmsr", "false" },
	{ 'P', "x86.vmexit_on_pause", "true" },
	{ 'e', "x86.strictio", "true" },
	{ 'u', "rtc.use_localtime", "false" },
	{ 'W', "virtio_msix", "false" },
	{ 'x', "x86.x2apic", "true" },
	{ 'a', "x86.x2apic", "false" },
	{ 'Y', "x86.mptable", "false" },
	{ 'C', "memory.guest_in_core", "true" },
};

/* Options that take an argument (14 and 15 together). */
#define ARGOPTS	"cGkKlmnopsUfr"

static void
option(struct actx *c, char o, const char *arg)
{
	size_t i;

	for (i = 0; i < nitems(flags); i++)
		if (flags[i].opt == o) {
			setv(c, flags[i].key, flags[i].val);
			return;
		}
	switch (o) {
	case 'c':
		opt_c(c, arg);
		break;
	case 'm':
		setv(c, "memory.size", arg);
		break;
	case 'l':
		opt_l(c, arg);
		break;
	case 's':
		opt_s(c, arg);
		break;
	case 'o':
		opt_o(c, arg);
		break;
	case 'p':
		opt_p(c, arg);
		break;
	case 'G':
		opt_g(c, arg);
		break;
	case 'K':
		setv(c, "keyboard.layout", arg);
		break;
	case 'U':
		setv(c, "uuid", arg);
		break;
	case 'k':
		diag_add(c->d, DIAG_NOTE, c->file, c->line, "-k %s: the "
		    "variables of that file are not read here; pass its "
		    "contents separately", arg);
		break;
	case 'I':
		break;	/* deprecated, does nothing */
	case 'f':
		aerr(c, "-f %s: fw_cfg files have no configuration variable; "
		    "ptvm cannot carry them", arg);
		break;
	case 'n':
		aerr(c, "-n %s: NUMA domains have no configuration variable "
		    "in bhyve 14 or 15", arg);
		break;
	case 'r':
		aerr(c, "-r %s: resuming a snapshot is not a configuration",
		    arg);
		break;
	case 'M':
		aerr(c, "-M: not an option of bhyve 14 or 15");
		break;
	case 'h':
		aerr(c, "-h prints bhyve's usage; it configures nothing");
		break;
	default:
		aerr(c, "-%c: unknown bhyve option", o);
		break;
	}
}

int
bhyve_argv_to_cfg(int argc, char *const argv[], struct bcfg *cfg,
    const char *file, const unsigned *lines, struct diags *d)
{
	struct actx c;
	const char *a, *arg;
	int before, i, j;

	memset(&c, 0, sizeof(c));
	c.cfg = cfg;
	c.file = file;
	c.d = d;
	before = d->nerrors;
	for (i = 1; i < argc; i++) {
		a = argv[i];
		c.line = lines != NULL ? lines[i] : 0;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		for (j = 1; a[j] != '\0'; j++) {
			if (strchr(ARGOPTS, a[j]) == NULL) {
				option(&c, a[j], NULL);
				continue;
			}
			if (a[j + 1] != '\0')
				arg = a + j + 1;
			else if (i + 1 < argc) {
				arg = argv[++i];
				c.line = lines != NULL ? lines[i] : 0;
			} else {
				aerr(&c, "-%c needs an argument", a[j]);
				break;
			}
			option(&c, a[j], arg);
			break;
		}
	}
	if (i < argc) {
		c.line = lines != NULL ? lines[i] : 0;
		setv(&c, "name", argv[i]);
		for (i++; i < argc; i++) {
			c.line = lines != NULL ? lines[i] : 0;
			aerr(&c, "\"%s\": bhyve takes one VM name, last; "
			    "options after it are not read", argv[i]);
		}
	}
	if (c.oom || d->oom)
		return (-1);
	return (d->nerrors - before);
}

/* Writing. */

struct wctx {
	const struct bcfg *cfg;
	bool		*used;
	struct bhyve_argv *out;
	int		 err;
};

static void
out2(struct wctx *w, const char *a, const char *b)
{

	if (push(w->out, a) != 0 || (b != NULL && push(w->out, b) != 0))
		w->err = ENOMEM;
}

static ssize_t
var_index(const struct bcfg *cfg, const char *key)
{
	size_t i;

	for (i = 0; i < cfg->n; i++)
		if (strcmp(cfg->v[i].key, key) == 0)
			return ((ssize_t)i);
	return (-1);
}

/* The value of key if unused and free of the given characters. */
static const char *
clean(struct wctx *w, const char *key, const char *bad)
{
	ssize_t i;

	if ((i = var_index(w->cfg, key)) < 0 || w->used[i])
		return (NULL);
	if (strpbrk(w->cfg->v[i].val, bad) != NULL)
		return (NULL);
	return (w->cfg->v[i].val);
}

static void
use(struct wctx *w, const char *key)
{
	ssize_t i;

	if ((i = var_index(w->cfg, key)) >= 0)
		w->used[i] = true;
}

static void
write_flags(struct wctx *w)
{
	char buf[32];
	size_t i, n;
	ssize_t k;

	n = 0;
	buf[n++] = '-';
	for (i = 0; i < nitems(flags); i++) {
		if ((k = var_index(w->cfg, flags[i].key)) < 0 || w->used[k] ||
		    strcmp(w->cfg->v[k].val, flags[i].val) != 0)
			continue;
		w->used[k] = true;
		buf[n++] = flags[i].opt;
	}
	buf[n] = '\0';
	if (n > 1)
		out2(w, buf, NULL);
}

static void
write_topology(struct wctx *w)
{
	static const char *names[] = { "sockets", "cores", "threads" };
	struct strbuf sb;
	const char *v;
	size_t i;

	sb_init(&sb);
	if ((v = clean(w, "cpus", ",=")) != NULL && *v != '\0') {
		sb_puts(&sb, v);
		use(w, "cpus");
	}
	for (i = 0; i < nitems(names); i++)
		if ((v = clean(w, names[i], ",")) != NULL) {
			sb_printf(&sb, "%s%s=%s", sb.len > 0 ? "," : "",
			    names[i], v);
			use(w, names[i]);
		}
	if (sb.len > 0)
		out2(w, "-c", sb_str(&sb));
	if (sb.oom)
		w->err = ENOMEM;
	sb_free(&sb);
}

static void
write_lpc(struct wctx *w)
{
	struct strbuf sb;
	const char *rom, *vars, *v, *type, *path;
	char key[32];
	int n;

	sb_init(&sb);
	if ((rom = clean(w, "lpc.bootrom", ",")) != NULL && *rom != '\0') {
		sb_printf(&sb, "bootrom,%s", rom);
		use(w, "lpc.bootrom");
		vars = clean(w, "lpc.bootvars", ",=");
		if (vars != NULL && *vars != '\0') {
			sb_printf(&sb, ",%s", vars);
			use(w, "lpc.bootvars");
		}
		out2(w, "-l", sb_str(&sb));
	}
	for (n = 1; n <= 4; n++) {
		snprintf(key, sizeof(key), "lpc.com%d.path", n);
		if ((v = clean(w, key, "")) == NULL)
			continue;
		sb_reset(&sb);
		sb_printf(&sb, "com%d,%s", n, v);
		use(w, key);
		out2(w, "-l", sb_str(&sb));
	}
	type = clean(w, "tpm.type", ",=");
	path = clean(w, "tpm.path", ",=");
	if (type != NULL && path != NULL && *type != '\0' && *path != '\0') {
		sb_reset(&sb);
		sb_printf(&sb, "tpm,%s,%s", type, path);
		use(w, "tpm.type");
		use(w, "tpm.path");
		if ((v = clean(w, "tpm.version", ",")) != NULL) {
			sb_printf(&sb, ",version=%s", v);
			use(w, "tpm.version");
		}
		out2(w, "-l", sb_str(&sb));
	}
	if ((v = clean(w, "lpc.fwcfg", "")) != NULL) {
		sb_reset(&sb);
		sb_printf(&sb, "fwcfg,%s", v);
		use(w, "lpc.fwcfg");
		out2(w, "-l", sb_str(&sb));
	}
	if ((v = clean(w, "lpc.pc-testdev", "")) != NULL &&
	    strcmp(v, "true") == 0) {
		use(w, "lpc.pc-testdev");
		out2(w, "-l", "pc-testdev");
	}
	if (sb.oom)
		w->err = ENOMEM;
	sb_free(&sb);
}

struct slotent {
	unsigned long	 b, s, f;
	size_t		 dev;		/* index of the device variable */
};

static int
slot_cmp(const void *x, const void *y)
{
	const struct slotent *a = x, *b = y;

	if (a->b != b->b)
		return (a->b < b->b ? -1 : 1);
	if (a->s != b->s)
		return (a->s < b->s ? -1 : 1);
	if (a->f != b->f)
		return (a->f < b->f ? -1 : 1);
	return (0);
}

/* The unused variables under node, relative names, in cfg order. */
static size_t
node_vars(struct wctx *w, const char *node, size_t *idx, size_t max)
{
	size_t i, n, nl;

	nl = strlen(node);
	n = 0;
	for (i = 0; i < w->cfg->n && n < max; i++)
		if (!w->used[i] && strncmp(w->cfg->v[i].key, node, nl) == 0 &&
		    w->cfg->v[i].key[nl] == '.')
			idx[n++] = i;
	return (n);
}

static const char *
rel(struct wctx *w, size_t i, size_t nl)
{

	return (w->cfg->v[i].key + nl + 1);
}

/* name=value,... for the keys of idx except skip; false if impossible. */
static bool
legacy_opts(struct wctx *w, struct strbuf *sb, const size_t *idx, size_t n,
    size_t nl, const char *prefix, const char *const *skip, size_t nskip)
{
	const char *k, *v;
	size_t i, j, pl;

	pl = strlen(prefix);
	for (i = 0; i < n; i++) {
		k = rel(w, idx[i], nl);
		if (strncmp(k, prefix, pl) != 0)
			continue;
		k += pl;
		for (j = 0; j < nskip; j++)
			if (strcmp(k, skip[j]) == 0)
				break;
		if (j < nskip)
			continue;
		v = w->cfg->v[idx[i]].val;
		if (strpbrk(k, ",=") != NULL || strchr(v, ',') != NULL ||
		    *k == '\0')
			return (false);
		if (strcmp(v, "true") == 0)
			sb_printf(sb, ",%s", k);
		else
			sb_printf(sb, ",%s=%s", k, v);
	}
	return (true);
}

static const char *
relval(struct wctx *w, const size_t *idx, size_t n, size_t nl,
    const char *k)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(rel(w, idx[i], nl), k) == 0)
			return (w->cfg->v[idx[i]].val);
	return (NULL);
}

/*
 * A legacy -s string for the device at node (without the slot), in sb.
 * Only a candidate: the caller parses it back and compares.
 */
static bool
legacy_form(struct wctx *w, const char *node, const char *dev,
    const size_t *idx, size_t n, struct strbuf *sb)
{
	static const char *skip_dev[] = { "device" };
	static const char *skip_path[] = { "device", "path" };
	static const char *skip_back[] = { "device", "backend" };
	static const char *skip_bsf[] = { "device", "bus", "slot", "func",
	    "pptdev" };
	static const char *skip_9p[] = { "device", "sharename", "path" };
	static const char *skip_scsi[] = { "device", "dev" };
	static const char *skip_port[] = { "type", "path" };
	const char *v, *t, *p, *sep;
	char pre[32];
	size_t nl;
	int i;

	nl = strlen(node);
	sb_puts(sb, dev);
	if (strcmp(dev, "passthru") == 0) {
		if ((v = relval(w, idx, n, nl, "pptdev")) != NULL)
			sb_printf(sb, ",%s", v);
		else if (relval(w, idx, n, nl, "bus") != NULL &&
		    relval(w, idx, n, nl, "slot") != NULL &&
		    relval(w, idx, n, nl, "func") != NULL)
			sb_printf(sb, ",%s/%s/%s",
			    relval(w, idx, n, nl, "bus"),
			    relval(w, idx, n, nl, "slot"),
			    relval(w, idx, n, nl, "func"));
		else
			return (false);
		return (legacy_opts(w, sb, idx, n, nl, "", skip_bsf, 5));
	}
	if (strcmp(dev, "nvme") == 0 || strcmp(dev, "virtio-blk") == 0 ||
	    strcmp(dev, "virtio-input") == 0) {
		if ((v = relval(w, idx, n, nl, "path")) == NULL) {
			if (strcmp(dev, "nvme") != 0 ||
			    relval(w, idx, n, nl, "ram") == NULL)
				return (false);
			/* nvme,ram=N,...: ram must come first. */
			sb_printf(sb, ",ram=%s", relval(w, idx, n, nl, "ram"));
			{
				static const char *skip_ram[] = { "device",
				    "ram" };

				return (legacy_opts(w, sb, idx, n, nl, "",
				    skip_ram, 2));
			}
		}
		sb_printf(sb, ",%s", v);
		return (legacy_opts(w, sb, idx, n, nl, "", skip_path, 2));
	}
	if (strcmp(dev, "virtio-net") == 0 || strcmp(dev, "e1000") == 0) {
		if ((v = relval(w, idx, n, nl, "backend")) == NULL)
			return (n == 1);
		sb_printf(sb, ",%s", v);
		return (legacy_opts(w, sb, idx, n, nl, "", skip_back, 2));
	}
	if (strcmp(dev, "virtio-9p") == 0) {
		if ((v = relval(w, idx, n, nl, "sharename")) == NULL ||
		    (p = relval(w, idx, n, nl, "path")) == NULL)
			return (n == 1);
		sb_printf(sb, ",%s=%s", v, p);
		return (legacy_opts(w, sb, idx, n, nl, "", skip_9p, 3));
	}
	if (strcmp(dev, "virtio-scsi") == 0) {
		if ((v = relval(w, idx, n, nl, "dev")) == NULL)
			return (legacy_opts(w, sb, idx, n, nl, "", skip_dev,
			    1));
		sb_printf(sb, ",%s", v);
		return (legacy_opts(w, sb, idx, n, nl, "", skip_scsi, 2));
	}
	if (strcmp(dev, "uart") == 0) {
		if ((v = relval(w, idx, n, nl, "path")) != NULL)
			sb_printf(sb, ",%s", v);
		return (n <= 2);
	}
	if (strcmp(dev, "xhci") == 0) {
		for (i = 1; (size_t)i <= n; i++) {
			snprintf(pre, sizeof(pre), "slot.%d.device", i);
			if ((v = relval(w, idx, n, nl, pre)) == NULL)
				break;
			sb_printf(sb, "%s%s", i == 1 ? "," : ",", v);
		}
		return (true);
	}
	if (strcmp(dev, "ahci") == 0) {
		/* A lone port 0: ahci-hd / ahci-cd, as people write it. */
		t = relval(w, idx, n, nl, "port.0.type");
		if (t != NULL && relval(w, idx, n, nl, "port.1.type") == NULL &&
		    (strcmp(t, "hd") == 0 || strcmp(t, "cd") == 0) &&
		    (p = relval(w, idx, n, nl, "port.0.path")) != NULL) {
			sb_reset(sb);
			sb_printf(sb, "ahci-%s,%s", t, p);
			return (legacy_opts(w, sb, idx, n, nl, "port.0.",
			    skip_port, 2));
		}
		sep = ",";
		for (i = 0; i < 32; i++) {
			snprintf(pre, sizeof(pre), "port.%d.type", i);
			if ((t = relval(w, idx, n, nl, pre)) == NULL)
				break;
			snprintf(pre, sizeof(pre), "port.%d.path", i);
			if ((p = relval(w, idx, n, nl, pre)) == NULL)
				return (false);
			sb_printf(sb, "%s%s:%s", sep, t, p);
			snprintf(pre, sizeof(pre), "port.%d.", i);
			if (!legacy_opts(w, sb, idx, n, nl, pre, skip_port, 2))
				return (false);
		}
		return (true);
	}
	/* pci_parse_legacy_config() devices. */
	return (legacy_opts(w, sb, idx, n, nl, "", skip_dev, 1));
}

/* Whether parsing "-s SLOT,form" gives exactly the variables idx. */
static bool
form_matches(struct wctx *w, const char *node, const char *form,
    const size_t *idx, size_t n)
{
	struct bcfg t;
	struct diags d;
	struct actx c;
	char *s, *emul, *conf;
	const char *v;
	bool ok;
	size_t i;

	bcfg_init(&t);
	diags_init(&d);
	memset(&c, 0, sizeof(c));
	c.cfg = &t;
	c.d = &d;
	ok = false;
	if ((s = strdup(form)) == NULL) {
		w->err = ENOMEM;
		goto out;
	}
	emul = s;
	if ((conf = strchr(s, ',')) != NULL)
		*conf++ = '\0';
	setn(&c, node, "device", model_of(emul));
	(void)slot_conf(&c, node, emul, conf);
	free(s);
	if (c.oom || d.nerrors > 0 || t.n != n)
		goto out;
	for (i = 0; i < n; i++) {
		v = bcfg_get(&t, w->cfg->v[idx[i]].key);
		if (v == NULL || strcmp(v, w->cfg->v[idx[i]].val) != 0)
			goto out;
	}
	ok = true;
out:
	if (c.oom)
		w->err = ENOMEM;
	bcfg_free(&t);
	diags_free(&d);
	return (ok);
}

static void
write_slot(struct wctx *w, const struct slotent *se)
{
	struct strbuf sb, arg;
	char node[64], slot[32];
	size_t *idx, n, i;
	const char *dev;

	dev = w->cfg->v[se->dev].val;
	snprintf(node, sizeof(node), "pci.%lu.%lu.%lu", se->b, se->s, se->f);
	if (se->b != 0)
		snprintf(slot, sizeof(slot), "%lu:%lu:%lu", se->b, se->s,
		    se->f);
	else if (se->f != 0)
		snprintf(slot, sizeof(slot), "%lu:%lu", se->s, se->f);
	else
		snprintf(slot, sizeof(slot), "%lu", se->s);
	if ((idx = calloc(w->cfg->n, sizeof(*idx))) == NULL) {
		w->err = ENOMEM;
		return;
	}
	n = node_vars(w, node, idx, w->cfg->n);
	sb_init(&sb);
	sb_init(&arg);
	if (bhyve_device_model(dev) && strchr(dev, ',') == NULL &&
	    legacy_form(w, node, dev, idx, n, &sb) && !sb.oom &&
	    form_matches(w, node, sb_str(&sb), idx, n)) {
		sb_printf(&arg, "%s,%s", slot, sb_str(&sb));
		for (i = 0; i < n; i++)
			w->used[idx[i]] = true;
		out2(w, "-s", sb_str(&arg));
	} else if (strchr(dev, ',') == NULL && bhyve_device_known(dev) &&
	    form_matches(w, node, dev, &se->dev, 1)) {
		sb_printf(&arg, "%s,%s", slot, dev);
		w->used[se->dev] = true;
		out2(w, "-s", sb_str(&arg));
	}
	if (sb.oom || arg.oom)
		w->err = ENOMEM;
	sb_free(&sb);
	sb_free(&arg);
	free(idx);
}

static void
write_slots(struct wctx *w)
{
	struct slotent *se;
	unsigned long v[3];
	const char *p;
	size_t i, n;
	int k;

	if ((se = calloc(w->cfg->n + 1, sizeof(*se))) == NULL) {
		w->err = ENOMEM;
		return;
	}
	n = 0;
	for (i = 0; i < w->cfg->n; i++) {
		p = w->cfg->v[i].key;
		if (strncmp(p, "pci.", 4) != 0)
			continue;
		p += 4;
		for (k = 0; k < 3; k++) {
			if (!isdigit((unsigned char)*p) ||
			    (*p == '0' && isdigit((unsigned char)p[1])) ||
			    util_parse_ulong(&p, 10, 255, &v[k]) != 0 ||
			    *p++ != '.')
				break;
		}
		if (k < 3 || strcmp(p, "device") != 0 || v[1] > 31 || v[2] > 7)
			continue;
		se[n].b = v[0];
		se[n].s = v[1];
		se[n].f = v[2];
		se[n].dev = i;
		n++;
	}
	qsort(se, n, sizeof(*se), slot_cmp);
	for (i = 0; i < n; i++)
		write_slot(w, &se[i]);
	free(se);
}

static void
write_pins(struct wctx *w)
{
	char buf[64];
	const char *p, *k;
	size_t i;

	for (i = 0; i < w->cfg->n; i++) {
		k = w->cfg->v[i].key;
		if (w->used[i] || strncmp(k, "vcpu.", 5) != 0)
			continue;
		p = k + 5;
		if (!isdigit((unsigned char)*p) ||
		    (*p == '0' && isdigit((unsigned char)p[1])))
			continue;
		p += strspn(p, "0123456789");
		if (strcmp(p, ".cpuset") != 0 || w->cfg->v[i].val[0] == '\0' ||
		    strspn(w->cfg->v[i].val, "0123456789") !=
		    strlen(w->cfg->v[i].val) || (w->cfg->v[i].val[0] == '0' &&
		    w->cfg->v[i].val[1] != '\0') ||
		    strlen(w->cfg->v[i].val) > 4)
			continue;
		snprintf(buf, sizeof(buf), "%.*s:%s", (int)(p - (k + 5)),
		    k + 5, w->cfg->v[i].val);
		w->used[i] = true;
		out2(w, "-p", buf);
	}
}

int
bhyve_cfg_to_argv(const struct bcfg *cfg, struct bhyve_argv *out)
{
	struct wctx w;
	struct strbuf sb;
	const char *v;
	size_t i;
	ssize_t ni;

	memset(&w, 0, sizeof(w));
	w.cfg = cfg;
	w.out = out;
	if ((w.used = calloc(cfg->n + 1, sizeof(*w.used))) == NULL)
		return (ENOMEM);
	/* The name goes last, unless it would read as an option. */
	ni = var_index(cfg, "name");
	if (ni >= 0 && (cfg->v[ni].val[0] == '-' || cfg->v[ni].val[0] == '\0'))
		ni = -1;
	if (ni >= 0)
		w.used[ni] = true;
	out2(&w, "/usr/sbin/bhyve", NULL);
	write_flags(&w);
	write_topology(&w);
	if ((v = clean(&w, "memory.size", "")) != NULL) {
		out2(&w, "-m", v);
		use(&w, "memory.size");
	}
	write_lpc(&w);
	write_slots(&w);
	write_pins(&w);
	if ((v = clean(&w, "uuid", "")) != NULL) {
		out2(&w, "-U", v);
		use(&w, "uuid");
	}
	sb_init(&sb);
	for (i = 0; i < cfg->n; i++) {
		if (w.used[i])
			continue;
		sb_reset(&sb);
		sb_printf(&sb, "%s=%s", cfg->v[i].key, cfg->v[i].val);
		out2(&w, "-o", sb_str(&sb));
	}
	if (sb.oom)
		w.err = ENOMEM;
	sb_free(&sb);
	if (ni >= 0)
		out2(&w, cfg->v[ni].val, NULL);
	free(w.used);
	return (w.err);
}
