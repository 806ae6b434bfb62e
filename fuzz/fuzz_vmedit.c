/*
 * libFuzzer target: the VM file editor (lib/vmedit.c).  The input is an
 * operation line, "D/path" (add a disk), "C/path" (set the cdrom) or "E"
 * (eject), then a VM file.  An edit that succeeds must never fail its own
 * before-and-after check, must say what it changed, and done again must
 * change nothing (the disk is there, the cdrom is set, nothing to eject).
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "vmedit.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static bool
internal_error(const struct diags *d)
{
	const struct diag *x;

	STAILQ_FOREACH(x, &d->head, entry)
		if (strncmp(x->msg, "internal error: the edit", 24) == 0)
			return (true);
	return (false);
}

static int
edit(char op, const char *buf, size_t len, const char *arg,
    struct vmedit *e, struct diags *d)
{

	if (op == 'D')
		return (vmedit_disk_add(buf, len, "f", arg, e, d));
	return (vmedit_cdrom(buf, len, "f", op == 'C' ? arg : NULL, e, d));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *p, *nl;
	char arg[256], op;
	struct vmedit e, e2;
	struct diags d;
	size_t al;
	int rc, rc2;

	if (len < 2)
		return (0);
	p = (const char *)data;
	op = p[0] == 'D' || p[0] == 'C' ? p[0] : 'E';
	if ((nl = memchr(p, '\n', len)) == NULL)
		return (0);
	al = (size_t)(nl - p) - 1;
	if (al >= sizeof(arg))
		return (0);
	memcpy(arg, p + 1, al);
	arg[al] = '\0';
	p = nl + 1;
	len -= (size_t)(p - (const char *)data);
	diags_init(&d);
	vmedit_init(&e);
	vmedit_init(&e2);
	rc = edit(op, p, len, arg, &e, &d);
	if (internal_error(&d) || (rc == 0 && e.n == 0) ||
	    (rc != 0 && e.n != 0 && rc != -1))
		abort();
	if (rc == 0) {
		rc2 = edit(op, e.out.s, e.out.len, arg, &e2, &d);
		if (internal_error(&d) || (op == 'D' && rc2 != -1) ||
		    (op != 'D' && rc2 != 1))
			abort();
	}
	vmedit_free(&e);
	vmedit_free(&e2);
	diags_free(&d);
	return (0);
}
