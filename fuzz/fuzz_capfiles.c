/*
 * libFuzzer target: a captured host's vmm.txt, fail and run/vmm/NAME
 * files (lib/capfile.c), each parsed from the whole input.  What parses
 * formats to a file that parses, without a diagnostic, to the same.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capfile.h"
#include "strbuf.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
vmm_format(const struct capf_vms *l, struct strbuf *sb)
{
	char sel[32];
	size_t i, k;

	for (i = 0; i < l->n; i++) {
		sb_puts(sb, l->vm[i].name);
		for (k = 0; k < l->vm[i].ndevs; k++) {
			pci_sel_fmt(&l->vm[i].devs[k], SEL_PCICONF, sel,
			    sizeof(sel));
			sb_printf(sb, " %s", sel);
		}
		sb_puts(sb, l->vm[i].devs_known ? "\n" : " ?\n");
	}
}

static void
vmm(const char *buf, size_t len)
{
	struct capf_vms a, b;
	struct strbuf sb;
	struct diags d;
	size_t i, k;

	diags_init(&d);
	sb_init(&sb);
	if (capf_vmm_parse(buf, len, "vmm.txt", &a, &d) == 0) {
		for (i = 0; i < a.n; i++)
			if (a.vm[i].name[0] == '\0' || a.vm[i].name[0] == '#' ||
			    strpbrk(a.vm[i].name, " \t\n") != NULL)
				abort();
		vmm_format(&a, &sb);
		diags_free(&d);
		diags_init(&d);
		if (!sb.oom && (capf_vmm_parse(sb_str(&sb), sb.len, "again",
		    &b, &d) != 0 || b.n != a.n || !STAILQ_EMPTY(&d.head)))
			abort();
		for (i = 0; !sb.oom && i < a.n; i++) {
			if (strcmp(a.vm[i].name, b.vm[i].name) != 0 ||
			    a.vm[i].ndevs != b.vm[i].ndevs ||
			    a.vm[i].devs_known != b.vm[i].devs_known)
				abort();
			for (k = 0; k < a.vm[i].ndevs; k++)
				if (!pci_sel_eq(&a.vm[i].devs[k],
				    &b.vm[i].devs[k]))
					abort();
		}
		if (!sb.oom)
			capf_vms_free(&b);
	}
	capf_vms_free(&a);
	sb_free(&sb);
	diags_free(&d);
}

static void
fail(const char *buf, size_t len)
{
	struct capf_fail *a, *b;
	struct strbuf sb;
	struct diags d;
	size_t na, nb, i;

	diags_init(&d);
	sb_init(&sb);
	if (capf_fail_parse(buf, len, "fail", &a, &na, &d) != 0)
		goto out;
	for (i = 0; i < na; i++) {
		if (a[i].err == 0 || strchr(a[i].cmd, '\n') != NULL)
			abort();
		sb_printf(&sb, "%s: %s\n", a[i].cmd, util_errname(a[i].err));
	}
	diags_free(&d);
	diags_init(&d);
	if (!sb.oom) {
		if (capf_fail_parse(sb_str(&sb), sb.len, "again", &b, &nb,
		    &d) != 0)
			goto freea;
		if (nb != na || !STAILQ_EMPTY(&d.head))
			abort();
		for (i = 0; i < na; i++)
			if (strcmp(a[i].cmd, b[i].cmd) != 0 ||
			    a[i].err != b[i].err)
				abort();
		capf_fail_free(b, nb);
	}
freea:
	capf_fail_free(a, na);
out:
	sb_free(&sb);
	diags_free(&d);
}

static void
probe(const char *buf, size_t len)
{
	struct capf_probe a, b;
	char out[128];
	int n;

	capf_probe_parse(buf, len, &a);
	if (a.pid < 0 || a.running < -1 || a.running > 1 || a.acpi < -1 ||
	    a.acpi > 1)
		abort();
	n = snprintf(out, sizeof(out), "pid=%d\n%s%s", a.pid,
	    a.running < 0 ? "" : a.running ? "running=yes\n" : "running=no\n",
	    a.acpi < 0 ? "" : a.acpi ? "acpi=yes\n" : "acpi=no\n");
	capf_probe_parse(out, (size_t)n, &b);
	if (a.pid != b.pid || a.running != b.running || a.acpi != b.acpi)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{

	vmm((const char *)data, len);
	fail((const char *)data, len);
	probe((const char *)data, len);
	return (0);
}
