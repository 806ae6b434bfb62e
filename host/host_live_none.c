/*
 * host_live_none.c: the live host on systems other than FreeBSD.  ptvm
 * drives bhyve, which only exists on FreeBSD; elsewhere only captured
 * hosts (-H DIR) can be used.
 */
#include "compat.h"

#include <errno.h>

#include "host.h"

int
host_open_live(struct host **hp, struct diags *d)
{

	*hp = NULL;
	diag_err(d, NULL, 0, "this is not FreeBSD: the live host is only "
	    "available on FreeBSD; use a captured host with -H DIR (see "
	    "'ptvm host capture' in ptvm(8))");
	return (ENOTSUP);
}

int
host_capture_live(struct host *h, const char *dir, struct diags *d)
{

	(void)h;
	(void)dir;
	diag_err(d, NULL, 0, "host capture reads the live FreeBSD host; "
	    "this is not FreeBSD");
	return (ENOTSUP);
}
