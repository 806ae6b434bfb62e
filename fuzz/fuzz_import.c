/*
 * libFuzzer target: "ptvm import" on arbitrary scripts.  The bytes are a
 * shell script; bhyve_script_argv(), bhyve_argv_to_cfg() and vm_import()
 * turn it into a VM file.  When import succeeds, the VM file must
 *   - be text: no control character but the newline;
 *   - parse with vmconf_parse(), and every key=value line must be what
 *     vm_put_pair() writes for the pair read back (so each value reads
 *     back as it was written, byte for byte);
 *   - compile with vm_compile() (import says it is valid);
 *   - configure what the script configured: every variable of the script
 *     comes back with its value (the devices whatever their guest
 *     addresses, which ptvm lays out), and the compiled configuration has no
 *     variable the script did not have beyond ptvm's documented
 *     additions (a disk the script never had is a failure).
 * When import fails, it must have said why.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcfg.h"
#include "bhyveargv.h"
#include "strbuf.h"
#include "strbuf.h"
#include "vmconf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fail(const char *what, const char *a, const char *b)
{

	fprintf(stderr, "fuzz_import: %s: [%s] [%s]\n", what, a != NULL ? a :
	    "(null)", b != NULL ? b : "(null)");
	abort();
}

/* The key=value lines of text (no comments, no blank lines). */
static void
pair_lines(const char *text, size_t len, struct strbuf *out)
{
	const char *p, *e, *nl, *b;

	e = text + len;
	for (p = text; p < e; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		for (b = p; b < nl && (*b == ' ' || *b == '\t'); b++)
			;
		if (b < nl && *b != '#') {
			sb_putn(out, p, (size_t)(nl - p));
			sb_putc(out, '\n');
		}
		if (nl == e)
			break;
	}
}

/* Keys ptvm's compiler adds on its own, and the values it may give. */
static bool
added_ok(const struct bcfg *s, const char *k, const char *v)
{
	static const char *const flags[][2] = {
		/* Written by import as bhyve's default when unset. */
		{ "acpi_tables", "false" },
		{ "destroy_on_poweroff", "false" },
		{ "memory.wired", "false" },
		{ "x86.vmexit_on_hlt", "false" },
		{ "x86.strictmsr", "true" },
		/* ptvm's fixed devices. */
		{ "pci.0.0.0.device", "hostbridge" },
		{ "pci.0.31.0.device", "lpc" },
	};
	size_t i;

	for (i = 0; i < nitems(flags); i++)
		if (strcmp(k, flags[i][0]) == 0)
			return (strcmp(v, flags[i][1]) == 0);
	if (strcmp(k, "name") == 0)
		return (true);
	/* ptvm's topology: one socket of cpus cores. */
	if (strcmp(k, "sockets") == 0 || strcmp(k, "cores") == 0 ||
	    strcmp(k, "threads") == 0)
		return (bcfg_get(s, "sockets") == NULL &&
		    bcfg_get(s, "cores") == NULL &&
		    bcfg_get(s, "threads") == NULL);
	/* firmware=auto when the script names no boot ROM. */
	if (strcmp(k, "lpc.bootrom") == 0 || strcmp(k, "lpc.bootvars") == 0)
		return (bcfg_get(s, "lpc.bootrom") == NULL);
	/* The guide's misspelt keys, written as meant. */
	if (strncmp(k, "chassis.", 8) == 0) {
		char was[512];

		(void)snprintf(was, sizeof(was), "chasis.%s", k + 8);
		return (bcfg_get(s, was) != NULL);
	}
	if (strcmp(k, "system.family_name") == 0)
		return (bcfg_get(s, "bios.family_name") != NULL);
	return (false);
}

/*
 * -m as bhyve's vm_parse_memsize() reads it (a plain number below 1M is
 * MiB) against ptvm's memory= (docs/freebsd.md B-IMP2).
 */
static bool
same_memory(const char *script, const char *compiled)
{
	uint64_t a, b;

	if (compiled == NULL || vm_parse_size(compiled, &b) != 0 ||
	    vm_parse_size(script, &a) != 0)
		return (false);
	if (strspn(script, "0123456789") == strlen(script) && a < (1 << 20))
		a <<= 20;
	return (a == b);
}

/*
 * A device key whose guest address ptvm may choose: pci.B.S.F.* but for
 * the hostbridge's 0.0.0 and the LPC's 0.31.0.  *nl is the length of its
 * node ("pci.B.S.F").
 */
static bool
movable(const char *k, size_t *nl)
{
	const char *p;
	int dots;

	if (strncmp(k, "pci.", 4) != 0)
		return (false);
	for (p = k, dots = 0; *p != '\0' && dots < 4; p++)
		if (*p == '.')
			dots++;
	if (dots < 4)
		return (false);
	*nl = (size_t)(p - k - 1);
	return (strncmp(k, "pci.0.0.0.", 10) != 0 &&
	    strncmp(k, "pci.0.31.0.", 11) != 0);
}

static int
str_cmp(const void *a, const void *b)
{

	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * The movable devices of a configuration, each as the sorted lines
 * "suffix=value" of its node's keys, sorted: the devices whatever their
 * guest addresses (ptvm lays out the slots, issue 16).
 */
static void
devices_of(const struct bcfg *b, struct strbuf *out)
{
	char *line[512], *dev[128];
	struct strbuf one;
	size_t i, j, nl, nl2, nline, ndev;
	bool seen;

	ndev = 0;
	for (i = 0; i < b->n && ndev < nitems(dev); i++) {
		if (!movable(b->v[i].key, &nl))
			continue;
		for (seen = false, j = 0; j < i; j++)
			if (movable(b->v[j].key, &nl2) && nl2 == nl &&
			    strncmp(b->v[j].key, b->v[i].key, nl) == 0)
				seen = true;
		if (seen)
			continue;
		nline = 0;
		for (j = i; j < b->n && nline < nitems(line); j++)
			if (movable(b->v[j].key, &nl2) && nl2 == nl &&
			    strncmp(b->v[j].key, b->v[i].key, nl) == 0 &&
			    asprintf(&line[nline], "%s=%s", b->v[j].key + nl,
			    b->v[j].val) >= 0)
				nline++;
		qsort(line, nline, sizeof(line[0]), str_cmp);
		sb_init(&one);
		for (j = 0; j < nline; j++) {
			sb_printf(&one, "%s;", line[j]);
			free(line[j]);
		}
		dev[ndev++] = one.s != NULL ? one.s : strdup("");
	}
	qsort(dev, ndev, sizeof(dev[0]), str_cmp);
	for (i = 0; i < ndev; i++) {
		sb_printf(out, "%s\n", dev[i] != NULL ? dev[i] : "");
		free(dev[i]);
	}
}

/* The script's configuration s against the compiled one c. */
static void
same_config(const struct bcfg *s, const struct bcfg *c)
{
	struct strbuf ds, dc;
	const char *k, *v, *cv;
	char key[512];
	size_t i, nl;

	sb_init(&ds);
	sb_init(&dc);
	devices_of(s, &ds);
	devices_of(c, &dc);
	if (!ds.oom && !dc.oom && strcmp(sb_str(&ds), sb_str(&dc)) != 0)
		fail("the script's devices changed", sb_str(&ds), sb_str(&dc));
	sb_free(&ds);
	sb_free(&dc);
	for (i = 0; i < s->n; i++) {
		k = s->v[i].key;
		v = s->v[i].val;
		if (strcmp(k, "name") == 0 || movable(k, &nl))
			continue;
		if (strncmp(k, "chasis.", 7) == 0) {
			(void)snprintf(key, sizeof(key), "chassis.%s", k + 7);
			k = key;
		} else if (strcmp(k, "bios.family_name") == 0)
			k = "system.family_name";
		if (strcmp(k, "memory.size") == 0 && same_memory(v,
		    bcfg_get(c, k)))
			continue;
		if ((cv = bcfg_get(c, k)) == NULL || strcmp(cv, v) != 0)
			fail("a variable of the script changed", k, cv);
	}
	for (i = 0; i < c->n; i++) {
		k = c->v[i].key;
		v = c->v[i].val;
		if (movable(k, &nl))
			continue;	/* compared above */
		if ((cv = bcfg_get(s, k)) != NULL)
			continue;	/* compared above */
		if (!added_ok(s, k, v))
			fail("a variable the script never had", k, v);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct bhyve_argv a;
	struct bcfg s;
	struct strbuf out, lines, again;
	struct diags d, cd;
	struct vmconf c;
	struct vm_env env;
	struct vm vm;
	const char *name;
	size_t i;
	char why[160];

	diags_init(&d);
	diags_init(&cd);
	bhyve_argv_init(&a);
	bcfg_init(&s);
	sb_init(&out);
	sb_init(&lines);
	sb_init(&again);
	vm_init(&vm);
	if (bhyve_script_argv((const char *)data, len, "s.sh", &a, &d) != 0 ||
	    bhyve_argv_to_cfg((int)a.n, a.v, &s, "s.sh", a.line, &d) != 0)
		goto out;
	if (vm_import(&s, "s.sh", &out, &d) != 0) {
		if (d.nerrors == 0 && !d.oom && !out.oom)
			fail("import failed without an error", sb_str(&out),
			    NULL);
		goto out;
	}
	for (i = 0; i < out.len; i++)
		if (((unsigned char)out.s[i] < 0x20 && out.s[i] != '\n') ||
		    out.s[i] == 0x7f)
			fail("a control character in the VM file", out.s, NULL);
	name = bcfg_get(&s, "name");
	if (name == NULL || !vm_name_ok(name))
		name = "imported";
	if (vmconf_parse(out.s, out.len, "v.conf", name, &c, &cd) != 0)
		fail("the VM file does not parse", out.s, NULL);
	/* Each pair reads back as written: writing it again is the same. */
	pair_lines(out.s, out.len, &lines);
	for (i = 0; i < c.n; i++)
		if (vm_put_pair(&again, c.l[i].key, c.l[i].val, why,
		    sizeof(why)) != 0)
			fail("a pair read back cannot be written", c.l[i].key,
			    c.l[i].val);
	if (strcmp(sb_str(&lines), sb_str(&again)) != 0)
		fail("the pairs do not read back as written", sb_str(&lines),
		    sb_str(&again));
	memset(&env, 0, sizeof(env));
	env.firmware = "/usr/local/share/edk2-bhyve/BHYVE_UEFI_CODE.fd";
	env.vardir = "/var/db/ptvm";
	if (vm_compile(&c, &env, &vm, &cd) != 0)
		fail("import wrote a VM file ptvm refuses", out.s,
		    STAILQ_EMPTY(&cd.head) ? NULL : STAILQ_FIRST(&cd.head)->msg);
	same_config(&s, &vm.cfg);
out:
	vm_free(&vm);
	sb_free(&again);
	sb_free(&lines);
	sb_free(&out);
	bcfg_free(&s);
	bhyve_argv_free(&a);
	diags_free(&cd);
	diags_free(&d);
	return (0);
}
