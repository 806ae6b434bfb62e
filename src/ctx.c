/*
 * ctx.c: the command context: the engine's (engine/eng.c) for the
 * commands, and what several commands read.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pciids.h"
#include "topo.h"
#include "ptvm.h"

int
ctx_host(struct ptvm_ctx *ctx, struct host **hp)
{

	return (eng_host(&ctx->eng, hp));
}

int
ctx_pci(struct ptvm_ctx *ctx, struct pci_list *l)
{

	return (eng_pci(&ctx->eng, l));
}

int
ctx_console_unit(struct ptvm_ctx *ctx)
{

	return (eng_console_unit(&ctx->eng));
}

#define TOPO_SYSCTL	"kern.sched.topology_spec"

/* The host's topology: the live sysctl or the captured topology.xml. */
int
ctx_topo(struct ptvm_ctx *ctx, struct topo *t)
{
	struct host *h;
	char *xml;
	size_t len;
	int e, rv;

	if (ctx_host(ctx, &h) != 0)
		return (-1);
	if ((e = h->ops->sysctl_get_text(h, TOPO_SYSCTL, &xml, &len)) != 0) {
		diag_err(&ctx->diags, NULL, 0, "cannot read %s: %s",
		    ctx->eng.hostdir != NULL ? "topology.xml" : TOPO_SYSCTL,
		    sys_strerror(e));
		return (-1);
	}
	rv = topo_parse(xml, len, ctx->eng.hostdir != NULL ?
	    "topology.xml" : TOPO_SYSCTL, t, &ctx->diags);
	free(xml);
	return (rv);
}
