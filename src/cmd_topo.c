/*
 * cmd_topo.c: "ptvm topology" draws the host's CPUs, "ptvm pin" plans
 * where a VM's vCPUs run.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pin.h"
#include "ptvm.h"
#include "topo.h"
#include "util.h"


struct topo_opts {
	bool		 json;
	bool		 plan;
	struct pin_req	 req;
};

static int
topo_opt_value(const struct cmd *c, int ch, const char *arg,
    struct topo_opts *o, struct diags *d)
{
	long long n;

	switch (ch) {
	case 'j':
		o->json = true;
		return (0);
	case 'n':
		if (util_strtonum(arg, 1, TOPO_MAXCPU, &n) != 0)
			return (out_usage_error(c->name, c, "--pin: \"%s\" is "
			    "not a vCPU count (1-%d)", arg, TOPO_MAXCPU));
		o->req.nvcpus = (int)n;
		o->plan = true;
		return (0);
	case 'p':
		if (pin_policy_parse(arg, &o->req.policy) != 0)
			return (out_usage_error(c->name, c, "--policy: \"%s\" "
			    "is not threads or cores", arg));
		return (0);
	case 'r':
		o->req.reserve_set = true;
		if (strcmp(arg, "none") == 0)
			return (0);
		if (cpuset_parse(arg, &o->req.reserve, "--reserve", d) != 0)
			return (EXIT_USAGE);
		return (0);
	default:
		return (out_usage_error(c->name, c, NULL));
	}
}

static int
topo_getopt(const struct cmd *c, int argc, char **argv, struct topo_opts *o,
    struct ptvm_ctx *ctx, int *nops)
{
	/* pin takes the vCPU count as its operand, not --pin. */
	static const struct optdef topo_defs[] = {
		{ 'n', 0, "pin", true, NULL },
		{ 'j', 0, "json", false, NULL },
		{ 'p', 0, "policy", true, NULL },
		{ 'r', 0, "reserve", true, NULL },
		OPTDEF_END
	};
	struct opts op;
	char **ops;
	int ch, rv;

	memset(o, 0, sizeof(*o));
	opt_init(&op, ctx->cmdname, argc, argv,
	    strcmp(c->name, "topology") == 0 ? topo_defs : topo_defs + 1);
	while ((ch = opt_next(&op)) != OPT_END) {
		if ((rv = topo_opt_value(c, ch, op.arg, o, &ctx->diags)) != 0) {
			out_diags(ctx);
			return (rv);
		}
	}
	*nops = opt_operands(&op, &ops);	/* argv[1] on */
	return (0);
}

/* Loads the topology and, when asked, plans; prints the diagnostics. */
static int
topo_prepare(struct ptvm_ctx *ctx, const struct topo_opts *o,
    struct topo *t, struct pin_plan *p)
{
	int rv;

	rv = ctx_topo(ctx, t);
	if (rv == 0 && o->plan && pin_plan(t, &o->req, p, &ctx->diags) != 0) {
		topo_free(t);
		rv = -1;
	}
	if (out_diags(ctx) > 0 || rv != 0)
		return (EXIT_FAIL);
	return (EXIT_OK);
}

static void
topo_print_plan(const struct topo *t, const struct pin_plan *p,
    struct strbuf *sb)
{

	sb_puts(sb, "bhyve flags:\n  ");
	pin_bhyve_flags(p, sb);
	sb_printf(sb, "\n  -c cpus=%d,sockets=%d,cores=%d,threads=%d\n",
	    p->nvcpus, p->sockets, p->cores, p->threads);
	sb_puts(sb, "bhyve configuration (bhyve -k):\n");
	pin_config(p, sb);
	sb_printf(sb, "placement: %d vCPUs, %s policy, %d core%s (%d "
	    "shared), %d L3 domain%s, %d NUMA node%s; host keeps ",
	    p->nvcpus, pin_policy_name(p->policy), p->m.cores_used,
	    p->m.cores_used == 1 ? "" : "s", p->m.shared_cores,
	    p->m.l3_domains, p->m.l3_domains == 1 ? "" : "s",
	    p->m.numa_nodes, p->m.numa_nodes == 1 ? "" : "s");
	if (topo_set_count(&p->reserved) == 0)
		sb_puts(sb, "no CPU to itself");
	else
		cpuset_format(&p->reserved, sb);
	sb_puts(sb, "\n\n");
	topo_draw(t, p, sb);
}

static int
topo_output(const struct topo *t, const struct topo_opts *o,
    const struct pin_plan *p, bool whole)
{
	struct strbuf sb;
	struct json j;
	int rv;

	sb_init(&sb);
	if (o->json) {
		json_init(&j, &sb);
		if (whole) {
			json_obj(&j, NULL);
			topo_json(t, &j);
			if (o->plan) {
				pin_json(p, &j, "plan");
			}
			json_end(&j);
		} else
			pin_json(p, &j, NULL);
		out_json(&sb);
	} else {
		if (o->plan)
			topo_print_plan(t, p, &sb);
		else
			topo_draw(t, NULL, &sb);
		fputs(sb_str(&sb), stdout);
	}
	rv = sb.oom ? EXIT_FAIL : EXIT_OK;
	sb_free(&sb);
	return (rv);
}

int
cmd_topology(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct topo_opts o;
	struct pin_plan *p;
	struct topo t;
	int rv, nops;

	if ((rv = topo_getopt(ctx->cmd, argc, argv, &o, ctx, &nops)) != 0)
		return (rv);
	if (nops != 0)
		return (out_usage_error(ctx->cmdname, ctx->cmd,
		    "unexpected argument \"%s\"", argv[1]));
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return (out_usage_error("topology", NULL, "out of memory"));
	if ((rv = topo_prepare(ctx, &o, &t, p)) == EXIT_OK) {
		rv = topo_output(&t, &o, p, true);
		topo_free(&t);
	}
	free(p);
	return (rv);
}

int
cmd_pin(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct topo_opts o;
	struct pin_plan *p;
	struct topo t;
	long long n;
	int rv, nops;

	if ((rv = topo_getopt(ctx->cmd, argc, argv, &o, ctx, &nops)) != 0)
		return (rv);
	if (nops != 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "%s",
		    nops == 0 ? "the number of vCPUs is missing" :
		    "too many arguments"));
	if (util_strtonum(argv[1], 1, TOPO_MAXCPU, &n) != 0)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "\"%s\" is not "
		    "a vCPU count (1-%d)", argv[1], TOPO_MAXCPU));
	o.req.nvcpus = (int)n;
	o.plan = true;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return (out_usage_error("pin", NULL, "out of memory"));
	if ((rv = topo_prepare(ctx, &o, &t, p)) == EXIT_OK) {
		rv = topo_output(&t, &o, p, false);
		topo_free(&t);
	}
	free(p);
	return (rv);
}
