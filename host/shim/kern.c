/*
 * kern.c: kenv(2), the kld calls and libdevctl for the FreeBSD shim,
 * over the kernel model (kmodel.c): each change is km_change(), so that
 * it is journaled and fails as DIR/fail says, as under -H.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <devctl.h>		/* host/shim/include */
#include <kenv.h>
#include <sys/linker.h>
#include <sys/module.h>

#include "fbshim.h"
#include "hostop.h"
#include "kmodel.h"

static int
shim_op(const struct hostop *op)
{
	struct kmodel *km;
	int e;

	if ((km = shim_km()) == NULL)
		return (-1);
	if ((e = km_change(km, op)) != 0)
		return (shim_fail(e));
	return (0);
}

/*
 * kern_environment.c (#K1, #K2): KENV_GET copies at most len bytes of the
 * value and its NUL and returns the length copied, ENOENT when unset;
 * KENV_SET and KENV_UNSET change the model.
 */
int
kenv(int what, const char *name, char *value, int len)
{
	struct hostop op = { .a = name };
	struct kmodel *km;
	size_t n;
	char *v;
	int e;

	if ((km = shim_km()) == NULL)
		return (-1);
	switch (what) {
	case KENV_GET:
		if (len < 0)
			return (shim_fail(EINVAL));
		if ((e = km_kenv_get(km, name, &v)) != 0)
			return (shim_fail(e));
		n = strlen(v) + 1;
		if (n > (size_t)len)
			n = (size_t)len;
		memcpy(value, v, n);
		free(v);
		return ((int)n);
	case KENV_SET:
		if (value == NULL || len <= 0 || value[len - 1] != '\0')
			return (shim_fail(EINVAL));
		op.kind = HOP_KENV_SET;
		op.b = value;
		return (shim_op(&op));
	case KENV_UNSET:
		op.kind = HOP_KENV_UNSET;
		return (shim_op(&op));
	default:
		return (shim_fail(EINVAL));
	}
}

/*
 * kern_linker.c (#L6, #L4): a file is found by "vmm.ko" or by "vmm" (the
 * name with ".ko" added); its id here is its place in the model's list,
 * from 1.
 */
int
kldfind(const char *file)
{
	struct kmodel *km;
	char ko[256];
	size_t i;

	if ((km = shim_km()) == NULL)
		return (-1);
	snprintf(ko, sizeof(ko), "%s.ko", file);
	for (i = 0; i < km->kld.n; i++)
		if (strcmp(km->kld.v[i].name, file) == 0 ||
		    strcmp(km->kld.v[i].name, ko) == 0)
			return ((int)i + 1);
	return (shim_fail(ENOENT));
}

int
kldload(const char *file)
{
	struct hostop op = { .kind = HOP_KLDLOAD, .a = file };

	if (kldfind(file) != -1)
		return (shim_fail(EEXIST));
	if (shim_op(&op) != 0)
		return (-1);
	return (kldfind(file));
}

/* Journaled by the name ptvm loads it by ("vmm", not "vmm.ko"). */
int
kldunload(int id)
{
	struct hostop op = { .kind = HOP_KLDUNLOAD };
	struct kmodel *km;
	char name[256];
	size_t n;

	if ((km = shim_km()) == NULL)
		return (-1);
	if (id < 1 || (size_t)id > km->kld.n)
		return (shim_fail(ENOENT));
	strlcpy(name, km->kld.v[id - 1].name, sizeof(name));
	n = strlen(name);
	if (n > 3 && strcmp(name + n - 3, ".ko") == 0)
		name[n - 3] = '\0';
	op.a = name;
	return (shim_op(&op));
}

/* The model knows no module compiled into the kernel. */
int
modfind(const char *name)
{

	(void)name;
	return (shim_fail(ENOENT));
}

/* libdevctl (subr_bus.c devctl2_ioctl, #D1 to #D4). */
int
devctl_attach(const char *device)
{
	struct hostop op = { .kind = HOP_ATTACH, .a = device };

	return (shim_op(&op));
}

int
devctl_detach(const char *device, bool force)
{
	struct hostop op = { .kind = HOP_DETACH, .a = device,
	    .force = force };

	return (shim_op(&op));
}

int
devctl_set_driver(const char *device, const char *driver, bool force)
{
	struct hostop op = { .kind = HOP_SET_DRIVER, .a = device,
	    .b = driver, .force = force };

	return (shim_op(&op));
}

int
devctl_clear_driver(const char *device, bool force)
{
	struct hostop op = { .kind = HOP_CLEAR_DRIVER, .a = device,
	    .force = force };

	return (shim_op(&op));
}

int
devctl_rescan(const char *device)
{
	struct hostop op = { .kind = HOP_RESCAN, .a = device };

	return (shim_op(&op));
}
