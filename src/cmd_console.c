/*
 * cmd_console.c: "ptvm console": cu(1) on the nmdm(4) B side.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptvm.h"

int
cmd_console(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef noopts[] = { OPTDEF_END };
	struct opts o;
	struct host_proc pr;
	struct vm_load ld;
	struct host *h;
	char dev[64], ld_name[VM_NAMEMAX + 1], *av[4];
	int e;

	opt_init(&o, ctx->cmdname, argc, argv, noopts);
	if (opt_next(&o) != OPT_END)
		return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
	if (opt_operands(&o, &argv) != 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "one VM"));
	if (ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	vm_load_init(&ld);
	if (vm_load(&ctx->eng, argv[0], &ld) != 0) {
		vm_load_free(&ld);
		(void)out_diags(ctx);	/* the file's errors, then fail */
		return (EXIT_FAIL);
	}
	if (vm_console_b(&ld.vm, dev, sizeof(dev)) == NULL) {
		diag_err(&ctx->diags, ld.path, 0, "%s: no console (console=none, "
		    "or none set): ptvm set %s console=auto gives it one",
		    ld.vm.name, ld.vm.name);
		(void)out_diags(ctx);
		vm_load_free(&ld);
		return (EXIT_FAIL);
	}
	(void)strlcpy(ld_name, ld.vm.name, sizeof(ld_name));
	vm_load_free(&ld);
	av[0] = __DECONST(char *, "cu");
	av[1] = __DECONST(char *, "-l");
	av[2] = dev;
	av[3] = NULL;
	/*
	 * cu(1)'s escape is "~." at the start of a line; through ssh(1),
	 * whose escape is the same, the first "~" must be doubled or ssh
	 * takes it and drops the session (the usual case: the console GPU
	 * was given to the VM and the host is used over ssh).
	 */
	if (getenv("SSH_CONNECTION") != NULL || getenv("SSH_TTY") != NULL)
		printf("%s: attaching to %s with cu; to leave, type ~~. at "
		    "the start of a line (over ssh: ssh takes a single ~)\n",
		    ld_name, dev);
	else
		printf("%s: attaching to %s with cu; to leave, type ~. at "
		    "the start of a line\n", ld_name, dev);
	fflush(stdout);
	if (ctx->eng.hostdir != NULL) {
		/* A captured host: DIR/bin/cu if any, and the journal. */
		if ((e = h->ops->run(h, av, &pr)) != 0) {
			diag_err(&ctx->diags, NULL, 0, "%s", host_proc_str(av, e,
			    &pr, dev, sizeof(dev)));
			(void)out_diags(ctx);
			return (EXIT_FAIL);
		}
		if (!pr.ran)
			printf("cu -l %s\n", dev);
		return (pr.status == 0 ? EXIT_OK : EXIT_FAIL);
	}
	e = h->ops->exec(h, "/usr/bin/cu", av);
	diag_err(&ctx->diags, NULL, 0, "/usr/bin/cu: %s", sys_strerror(e));
	(void)out_diags(ctx);
	return (EXIT_FAIL);
}
