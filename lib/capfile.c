/*
 * capfile.c: the captured host's vmm.txt, fail and run/vmm/NAME files
 * (see capfile.h).
 */
#include "compat.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capfile.h"
#include "util.h"

static const struct {
	const char	*name;
	int		 err;
} capf_errnames[] = {
	{ "EBUSY", EBUSY }, { "ENXIO", ENXIO }, { "ENOENT", ENOENT },
	{ "EPERM", EPERM }, { "EIO", EIO }, { "EINVAL", EINVAL },
	{ "ENOMEM", ENOMEM }, { "EEXIST", EEXIST }, { "ENODEV", ENODEV },
	{ "EACCES", EACCES }, { "ENOSPC", ENOSPC },
};

int
capf_errno(const char *s)
{
	size_t i;

	for (i = 0; i < nitems(capf_errnames); i++)
		if (strcmp(capf_errnames[i].name, s) == 0)
			return (capf_errnames[i].err);
	return (0);
}

void
capf_vms_free(struct capf_vms *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->vm[i].devs);
	free(l->vm);
	l->vm = NULL;
	l->n = 0;
}

static int
capf_vm_word(struct capf_vms *l, const char *w, size_t wl, bool first,
    const char *file, unsigned line, struct diags *d)
{
	struct capf_vm *nv, *vm;
	struct pci_sel s, *ns;
	char buf[64], err[160];

	if (memchr(w, '\0', wl) != NULL) {
		diag_err(d, file, line, "a NUL byte; expected NAME [B/S/F ...]");
		return (EINVAL);
	}
	if (first) {
		if (wl >= CAPF_NAMELEN) {
			diag_err(d, file, line, "VM name longer than %d bytes",
			    CAPF_NAMELEN - 1);
			return (EINVAL);
		}
		if ((nv = reallocarray(l->vm, l->n + 1, sizeof(*nv))) == NULL)
			return (ENOMEM);
		l->vm = nv;
		memset(&nv[l->n], 0, sizeof(nv[0]));
		memcpy(nv[l->n].name, w, wl);
		nv[l->n].devs_known = true;
		l->n++;
		return (0);
	}
	vm = &l->vm[l->n - 1];
	if (wl == 1 && w[0] == '?') {
		vm->devs_known = false;
		return (0);
	}
	if (wl >= sizeof(buf)) {
		diag_err(d, file, line, "%.20s...: not a PCI selector", w);
		return (EINVAL);
	}
	memcpy(buf, w, wl);
	buf[wl] = '\0';
	if (pci_sel_parse(buf, &s, err, sizeof(err)) != 0) {
		diag_err(d, file, line, "%s", err);
		return (EINVAL);
	}
	if ((ns = reallocarray(vm->devs, vm->ndevs + 1, sizeof(*ns))) == NULL)
		return (ENOMEM);
	vm->devs = ns;
	ns[vm->ndevs++] = s;
	return (0);
}

int
capf_vmm_parse(const char *buf, size_t len, const char *file,
    struct capf_vms *out, struct diags *d)
{
	const char *p, *end, *nl, *w;
	unsigned line;
	size_t wl;
	int e, nw;

	out->vm = NULL;
	out->n = 0;
	if (len == 0)
		return (0);
	end = buf + len;
	line = 0;
	e = 0;
	for (p = buf; p < end && e == 0; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		for (nw = 0, w = p; w < nl && e == 0; nw++) {
			while (w < nl && (*w == ' ' || *w == '\t'))
				w++;
			if (w >= nl || *w == '#')
				break;
			for (wl = 0; w + wl < nl && w[wl] != ' ' &&
			    w[wl] != '\t'; wl++)
				;
			e = capf_vm_word(out, w, wl, nw == 0, file, line, d);
			w += wl;
		}
	}
	return (e);
}

void
capf_fail_free(struct capf_fail *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(f[i].cmd);
	free(f);
}

int
capf_fail_parse(const char *buf, size_t len, const char *file,
    struct capf_fail **out, size_t *np, struct diags *d)
{
	const char *p, *end, *nl, *colon, *q;
	struct capf_fail *f, *nf;
	unsigned line;
	char ename[16];
	size_t n;
	int err;

	*out = NULL;
	*np = 0;
	if (len == 0)
		return (0);
	f = NULL;
	n = 0;
	end = buf + len;
	line = 0;
	for (p = buf; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p || *p == '#')
			continue;
		if (memchr(p, '\0', (size_t)(nl - p)) != NULL) {
			diag_err(d, file, line, "a NUL byte; expected "
			    "\"COMMAND: ERRNO\"");
			continue;
		}
		/* The last ": E" on the line: the command may hold one. */
		colon = NULL;
		for (q = p; q + 2 < nl; q++)
			if (q[0] == ':' && q[1] == ' ' && q[2] == 'E')
				colon = q;
		if (colon == NULL || (size_t)(nl - colon - 2) >= sizeof(ename)) {
			diag_err(d, file, line, "expected \"COMMAND: ERRNO\"");
			continue;
		}
		memcpy(ename, colon + 2, (size_t)(nl - colon - 2));
		ename[nl - colon - 2] = '\0';
		if ((err = capf_errno(ename)) == 0) {
			diag_err(d, file, line, "unknown errno name %s", ename);
			continue;
		}
		if ((nf = reallocarray(f, n + 1, sizeof(*nf))) == NULL)
			goto oom;
		f = nf;
		f[n].err = err;
		if ((f[n].cmd = strndup(p, (size_t)(colon - p))) == NULL)
			goto oom;
		n++;
	}
	*out = f;
	*np = n;
	return (0);
oom:
	capf_fail_free(f, n);
	return (ENOMEM);
}

/* "yes" is 1, anything else 0. */
static int
capf_yes(const char *s, size_t n)
{

	return (n == 3 && memcmp(s, "yes", 3) == 0);
}

void
capf_probe_parse(const char *buf, size_t len, struct capf_probe *pr)
{
	const char *q, *end, *nl;
	char num[16];
	long long v;
	size_t n;

	pr->pid = 0;
	pr->running = pr->acpi = -1;
	if (len == 0)
		return;
	end = buf + len;
	for (q = buf; q < end; q = nl + 1) {
		if ((nl = memchr(q, '\n', (size_t)(end - q))) == NULL)
			nl = end;
		n = (size_t)(nl - q);
		if (n > 4 && strncmp(q, "pid=", 4) == 0) {
			pr->pid = 0;
			if (n - 4 < sizeof(num) &&
			    memchr(q + 4, '\0', n - 4) == NULL) {
				memcpy(num, q + 4, n - 4);
				num[n - 4] = '\0';
				if (util_strtonum(num, 1, INT_MAX, &v) == 0)
					pr->pid = (int)v;
			}
		} else if (n >= 8 && strncmp(q, "running=", 8) == 0)
			pr->running = capf_yes(q + 8, n - 8);
		else if (n >= 5 && strncmp(q, "acpi=", 5) == 0)
			pr->acpi = capf_yes(q + 5, n - 5);
	}
}
