/*
 * main.c: global options and the command table.  The table drives
 * dispatch, "help" and every usage line (out_usage, out_usage_error);
 * each command reads its own options with the one parser, opt.c (options
 * anywhere, "--" ends them; the global options come before the command).
 * ptvm.8's SYNOPSIS lists the same lines in the same order:
 * tests/cli/usage_test.sh compares the two; tests/cli/opt_test.sh has a
 * row for each line.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptvm.h"
#include "tpm.h"

static int	cmd_help(struct ptvm_ctx *, int, char **);

static const struct cmd host_cmds[] = {
	{ "setup", "[-n] [--persistent] [selector ...]",
	    "prepare the host for passthrough (tunables, vmm, console)",
	    cmd_host_setup, NULL },
	{ "restore", "[-u]",
	    "undo what a crashed supervisor left in effect (-u: unbind too)",
	    cmd_host_restore, NULL },
	{ "capture", "directory",
	    "write this host's pciconf, sysctl, kenv, kldstat and GPU "
	    "configuration space to a directory", cmd_host_capture, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct cmd rom_cmds[] = {
	{ "inspect", "[--json] [--for selector] file",
	    "decode a VBIOS or option ROM and say whether bhyve can use it",
	    cmd_rom_inspect, NULL },
	{ "trim", "[-f] in out",
	    "write a copy of a ROM dump without its leading header",
	    cmd_rom_trim, NULL },
	{ "extract", "[-f] vfct-table directory",
	    "write the VBIOS images of an ACPI VFCT table", cmd_rom_extract,
	    NULL },
	{ "dump", "[-f] selector out",
	    "read a device's ROM where safe, or say how to get it",
	    cmd_rom_dump, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct cmd disk_cmds[] = {
	{ "create", "[--dataset pool/path] [--sparse] [--volblocksize size] "
	    "vm size", "create a VM's zvol and add it to the VM file",
	    cmd_disk_create, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct cmd pci_cmds[] = {
	{ "show", "[--json] selector | file",
	    "decode a function's configuration space, or a saved file",
	    cmd_pci_show, NULL },
	{ "save", "[-f] selector ... directory",
	    "save functions' configuration space, one file each",
	    cmd_pci_save, NULL },
	{ "diff", "[--json] a b",
	    "explain what changed between two saves (files or directories)",
	    cmd_pci_diff, NULL },
	{ "restore", "[-n] [--unsafe-vendor-registers] selector "
	    "directory | file",
	    "write a saved header back to a function on ppt",
	    cmd_pci_restore, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct cmd tpm_cmds[] = {
	{ "reset", "[-y] vm",
	    "erase a stopped VM's TPM state (its sealed keys are lost)",
	    cmd_tpm_reset, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct cmd cmds[] = {
	{ "devices", "[-a] [--usb] [--json]",
	    "list GPUs and their functions, and what to pass through",
	    cmd_devices, NULL },
	{ "bind", "[-n] [--console-gpu=take] [--host-use=take] "
	    "selector ...",
	    "move PCI functions to ppt(4) now, all or nothing", cmd_bind,
	    NULL },
	{ "unbind", "[-n] selector ...",
	    "give PCI functions back to their host drivers", cmd_unbind,
	    NULL },
	{ "host", "setup | restore | capture ...", "host preparation and capture",
	    NULL, host_cmds },
	{ "topology", "[--json] [--pin N [--policy threads | cores] "
	    "[--reserve list]]", "draw the host's CPUs, caches and NUMA nodes",
	    cmd_topology, NULL },
	{ "pin", "[--set vm] N [--policy threads | cores] [--reserve list] "
	    "[--json]",
	    "plan which host CPU runs each vCPU", cmd_pin, NULL },
	{ "show", "[--config | --argv | --json] vm",
	    "the exact bhyve configuration of a VM file", cmd_show, NULL },
	{ "check", "[--json] [--boot] vm",
	    "preflight: what would stop the VM from starting, and the fix",
	    cmd_check, NULL },
	{ "import", "[-f] [-o file] [-C directory] script | -",
	    "turn a bhyve command line or script into a VM file", cmd_import,
	    NULL },
	{ "create", "[-f] [--template windows | linux | freebsd] name",
	    "write a commented VM file for this host", cmd_create, NULL },
	{ "start", "[-F] [--ignore-dirty] vm",
	    "run a VM under a supervisor that respects the reset bug",
	    cmd_start, NULL },
	{ "stop", "[-t seconds] [--within seconds] [--kill] vm",
	    "power a VM off through ACPI; --kill kills it after the timeout",
	    cmd_stop, NULL },
	{ "restart", "[-t seconds] [--within seconds] [--kill] vm",
	    "stop a VM, then start it again", cmd_restart, NULL },
	{ "status", "[--json] [vm]",
	    "state, pins, devices and dirty marks, last exit, log",
	    cmd_status, NULL },
	{ "list", "[--json]", "every VM and its state", cmd_list, NULL },
	{ "console", "vm", "attach to a VM's serial console (cu)",
	    cmd_console, NULL },
	{ "disk", "create ...", "a VM's disks: ZFS volumes", NULL, disk_cmds },
	{ "snapshot", "[--live] vm [name]",
	    "snapshot every zvol of a VM at one instant", cmd_snapshot, NULL },
	{ "snapshots", "[--json] vm",
	    "list a VM's snapshots with their time and space", cmd_snapshots,
	    NULL },
	{ "rollback", "[--destroy-newer] [-y] vm name",
	    "take a stopped VM's disks back to a snapshot", cmd_rollback,
	    NULL },
	{ "tpm", "reset ...", "a VM's TPM 2.0 (tpm=swtpm)", NULL, tpm_cmds },
	{ "cdrom", "vm iso | vm --eject",
	    "change or eject the install medium in the VM file", cmd_cdrom,
	    NULL },
	{ "set", "vm key=value ...",
	    "set keys of a VM file, checked as show checks them", cmd_set,
	    NULL },
	{ "autostart", "[--order N] vm on | off",
	    "start a VM at boot (rc.conf ptvm_list), or not", cmd_autostart,
	    NULL },
	{ "smbios", "vm host | vm file | --show vm",
	    "set the SMBIOS strings the guest sees, or show them",
	    cmd_smbios, NULL },
	{ "rom", "inspect | trim | extract | dump ...",
	    "VBIOS and option ROM toolkit", NULL, rom_cmds },
	{ "pci", "show | save | diff | restore ...",
	    "configuration-space snapshots, diffs and restore", NULL,
	    pci_cmds },
	{ "help", "[command]", "show usage", cmd_help, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* The global options, the first line of ptvm.8's SYNOPSIS. */
static const char global_synopsis[] =
    "[-hV] [-c directory] [-H directory] command [arguments]";

static void
usage_all(FILE *fp)
{
	const struct cmd *c, *s;

	fprintf(fp, "usage: ptvm %s\n", global_synopsis);
	for (c = cmds; c->name != NULL; c++) {
		if (c->sub == NULL) {
			fprintf(fp, "       ptvm %s %s\n", c->name, c->synopsis);
			continue;
		}
		for (s = c->sub; s->name != NULL; s++)
			fprintf(fp, "       ptvm %s %s %s\n", c->name, s->name,
			    s->synopsis);
	}
}

static const struct cmd *
find_cmd(const struct cmd *tab, const char *name)
{

	for (; tab->name != NULL; tab++)
		if (strcmp(tab->name, name) == 0)
			return (tab);
	return (NULL);
}

static int
cmd_help(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef defs[] = { OPTDEF_END };
	const struct cmd *c, *s;
	struct opts o;

	opt_init(&o, ctx->cmdname, argc, argv, defs);
	if (opt_next(&o) != OPT_END)
		return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
	argc = opt_operands(&o, &argv);
	if (argc == 0) {
		usage_all(stdout);
		printf("\nCommands:\n");
		for (c = cmds; c->name != NULL; c++)
			printf("  %-10s %s\n", c->name, c->descr);
		return (EXIT_OK);
	}
	if (argc > 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd,
		    "one command expected"));
	if ((c = find_cmd(cmds, argv[0])) == NULL)
		return (out_usage_error(ctx->cmdname, ctx->cmd,
		    "no command \"%s\"", argv[0]));
	if (c->sub == NULL)
		printf("usage: ptvm %s %s\n  %s\n", c->name, c->synopsis,
		    c->descr);
	else
		for (s = c->sub; s->name != NULL; s++)
			printf("usage: ptvm %s %s %s\n  %s\n", c->name, s->name,
			    s->synopsis, s->descr);
	return (EXIT_OK);
}

static int
dispatch(struct ptvm_ctx *ctx, const struct cmd *tab, const char *prefix,
    int argc, char **argv)
{
	const struct cmd *c;

	if ((c = find_cmd(tab, argv[0])) == NULL) {
		fprintf(stderr, "ptvm: %s%s\"%s\" is not a command\n",
		    prefix, *prefix ? ": " : "", argv[0]);
		if (*prefix != '\0')
			out_usage(prefix, tab);
		else
			usage_all(stderr);
		return (EXIT_USAGE);
	}
	if (c->sub != NULL) {
		if (argc < 2) {
			out_usage(c->name, c->sub);
			return (EXIT_USAGE);
		}
		return (dispatch(ctx, c->sub, c->name, argc - 1, argv + 1));
	}
	ctx->cmd = c;
	(void)snprintf(ctx->cmdname, sizeof(ctx->cmdname), "%s%s%s", prefix,
	    *prefix ? " " : "", c->name);
	return (c->fn(ctx, argc, argv));
}

int
main(int argc, char **argv)
{
	static const struct optdef defs[] = {
		{ 'c', 'c', NULL, true, NULL },
		{ 'H', 'H', NULL, true, NULL },
		{ 'h', 'h', "help", false, NULL },
		{ 'V', 'V', "version", false, NULL },
		OPTDEF_END
	};
	struct ptvm_ctx ctx;
	struct opts o;
	int ch, rv;

	memset(&ctx, 0, sizeof(ctx));
	diags_init(&ctx.diags);
	ctx.eng.diags = &ctx.diags;
	/* The global options come before the command: the command's own
	 * options may use the same letters. */
	if (argc < 1)
		return (EXIT_USAGE);
	opt_init_first(&o, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		switch (ch) {
		case 'c':
			ctx.eng.confdir = o.arg;
			break;
		case 'H':
			ctx.eng.hostdir = o.arg;
			break;
		case 'V':
			printf("ptvm %s\n", PTVM_VERSION);
			return (EXIT_OK);
		case 'h':
			usage_all(stdout);
			return (EXIT_OK);
		default:
			usage_all(stderr);
			return (EXIT_USAGE);
		}
	}
	argc = opt_operands(&o, &argv);
	if (argc < 1) {
		usage_all(stderr);
		return (EXIT_USAGE);
	}
	rv = dispatch(&ctx, cmds, "", argc, argv);
	(void)out_diags(&ctx);
	eng_close(&ctx.eng);
	diags_free(&ctx.diags);
	return (rv);
}
