/*
 * tpm.c: a VM's TPM 2.0 in the front end (tpm= in ptvm.conf(5), issue
 * 18 section 1): check's lines (tpm_check) and "ptvm tpm reset".  What
 * acts on the host (starting swtpm before bhyve, its undo, emptying its
 * state) is the engine's: engine/tpm.c.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "check.h"
#include "ptvm.h"
#include "tpm.h"
#include "util.h"

/* The major version of kern.osrelease ("14.3-RELEASE"), or -1. */
static int
os_major(struct host *h)
{
	char *v;
	long long m;
	size_t n;
	int rv;

	if (h->ops->sysctl_get(h, "kern.osrelease", &v) != 0)
		return (-1);
	n = strspn(v, "0123456789");
	v[n] = '\0';
	rv = util_strtonum(v, 1, 999, &m) == 0 ? (int)m : -1;
	free(v);
	return (rv);
}

void
tpm_check(struct host *h, const struct vm *vm, struct checks *cs)
{
	struct host_stat st;
	char *bin;
	size_t len;
	int e, major;

	if (vm->tpm == VM_TPM_NONE)
		return;
	/* T1: bhyve's TPM device came with FreeBSD 14.0. */
	if ((major = os_major(h)) > 0 && major < 14)
		check_add(cs, CHK_FAIL, "tpm", "upgrade to FreeBSD 14 or later, "
		    "or use tpm=none (Windows 11 IoT LTSC needs no TPM)",
		    "bhyve of FreeBSD %d has no TPM device (it came with 14.0)",
		    major);
	/* T2: the swtpm backend is known by its code in the binary. */
	if (vm->tpm == VM_TPM_SWTPM) {
		if (h->ops->file_read(h, "/usr/sbin/bhyve", &bin, &len) == 0) {
			if (util_memmem(bin, len, "tpm_swtpm_init", 14) ==
			    NULL)
				check_add(cs, CHK_FAIL, "tpm", "upgrade FreeBSD "
				    "(bhyve's swtpm backend came after its TPM "
				    "passthrough), or pass the host's TPM with "
				    "tpm=/dev/tpm0", "/usr/sbin/bhyve has no "
				    "swtpm backend (tpm_emul_swtpm.c)");
			else
				check_add(cs, CHK_PASS, "tpm", NULL, "/usr/sbin/"
				    "bhyve has the swtpm backend");
			free(bin);
		} else
			check_add(cs, CHK_SKIP, "tpm", NULL, "/usr/sbin/bhyve "
			    "could not be read: whether it has the swtpm "
			    "backend is not known");
		if ((e = h->ops->file_stat(h, TPM_SWTPM, &st)) != 0)
			check_add(cs, CHK_FAIL, "tpm", "pkg install swtpm",
			    "%s: %s: tpm=swtpm needs the sysutils/swtpm "
			    "package", TPM_SWTPM, e == ENOENT ? "not installed" :
			    sys_strerror(e));
		else
			check_add(cs, CHK_PASS, "tpm", NULL, "%s installed",
			    TPM_SWTPM);
		e = h->ops->file_stat(h, vm->tpm_state, &st);
		if (e == ENOENT)
			check_add(cs, CHK_PASS, "tpm", NULL, "%s will be made "
			    "(mode 0700) at the first start; the TPM's state "
			    "(BitLocker's keys) lives there", vm->tpm_state);
		else if (e != 0 || st.type != HOST_F_DIR)
			check_add(cs, CHK_FAIL, "tpm", "remove it, or move it "
			    "away", "the TPM state directory %s: %s",
			    vm->tpm_state, e != 0 ? sys_strerror(e) :
			    "not a directory");
		else if ((st.mode & 0200) == 0)
			check_add(cs, CHK_FAIL, "tpm", "chmod 0700 the "
			    "directory", "the TPM state directory %s is not "
			    "writable (mode %04o): swtpm cannot keep the TPM's "
			    "state", vm->tpm_state, st.mode & 07777);
		else if ((st.mode & 077) != 0)
			check_add(cs, CHK_WARN, "tpm", "chmod 0700 the "
			    "directory", "the TPM state directory %s is open "
			    "to others (mode %04o); it holds the TPM's secrets",
			    vm->tpm_state, st.mode & 07777);
		else
			check_add(cs, CHK_PASS, "tpm", NULL, "TPM state in %s "
			    "(mode %04o)", vm->tpm_state, st.mode & 07777);
		return;
	}
	/* T3: passthru opens the device read-write. */
	if ((e = h->ops->file_stat(h, vm->tpm_path, &st)) != 0)
		check_add(cs, CHK_FAIL, "tpm", "kldload tpm, or use tpm=swtpm",
		    "%s: %s: the host has no TPM to pass through",
		    vm->tpm_path, e == ENOENT ? "missing" : sys_strerror(e));
	else if (st.type != HOST_F_CHR)
		check_add(cs, CHK_FAIL, "tpm", "give the host's /dev/tpmN",
		    "%s is not a device", vm->tpm_path);
	else
		check_add(cs, CHK_PASS, "tpm", NULL, "%s present: the guest "
		    "uses the host's TPM (the host must not use it meanwhile)",
		    vm->tpm_path);
}

/* Asks on the terminal: true for "y" or "yes". */
static bool
reset_confirm(const struct vm *vm)
{
	char line[64];

	fprintf(stderr, "%s: resetting the TPM erases %s: the keys the guest "
	    "sealed in it (BitLocker's, Windows Hello's) are lost for good; "
	    "have BitLocker's recovery key at hand.\nReset the TPM of %s? "
	    "[y/N] ", vm->name, vm->tpm_state, vm->name);
	fflush(stderr);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return (false);
	line[strcspn(line, "\r\n")] = '\0';
	return (strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0);
}

/* "ptvm tpm reset [-y] vm": the swtpm state, as rollback confirms. */
int
cmd_tpm_reset(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef defs[] = {
		{ 'y', 'y', "yes", false, NULL },
		OPTDEF_END
	};
	struct opts o;
	struct vm_load ld;
	struct host_stat st;
	struct host *h;
	char why[256], **ops;
	bool yes;
	int ch, rv, run, e;

	yes = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END)
		switch (ch) {
		case 'y':
			yes = true;
			break;
		default:
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		}
	if (opt_operands(&o, &ops) != 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "one VM "
		    "expected"));
	if (ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	vm_load_init(&ld);
	rv = EXIT_FAIL;
	if (vm_load(&ctx->eng, ops[0], &ld) != 0)
		goto out;
	if (ld.vm.tpm != VM_TPM_SWTPM) {
		diag_err(&ctx->diags, NULL, 0, "%s has no tpm=swtpm: there is "
		    "no TPM state of ptvm's to reset", ld.vm.name);
		goto out;
	}
	if ((run = vm_running(&ctx->eng, ld.vm.name, why, sizeof(why))) != 0) {
		diag_err(&ctx->diags, NULL, 0, "%s %s (%s): its swtpm holds the "
		    "TPM's state; stop it first", ld.vm.name, run > 0 ?
		    "is running" : "may be running", why);
		goto out;
	}
	if ((e = h->ops->file_stat(h, ld.vm.tpm_state, &st)) == ENOENT) {
		printf("%s: %s does not exist: the TPM is already new\n",
		    ld.vm.name, ld.vm.tpm_state);
		rv = EXIT_OK;
		goto out;
	}
	if (e != 0 || st.type != HOST_F_DIR) {
		diag_err(&ctx->diags, NULL, 0, "%s: %s", ld.vm.tpm_state,
		    e != 0 ? sys_strerror(e) : "not a directory");
		goto out;
	}
	if (!yes && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "%s: resetting the TPM erases %s: the keys the "
		    "guest sealed in it (BitLocker's, Windows Hello's) are lost "
		    "for good\n", ld.vm.name, ld.vm.tpm_state);
		diag_err(&ctx->diags, NULL, 0, "not reset: there is no "
		    "terminal to confirm on; give -y to confirm");
		goto out;
	}
	if (!yes && !reset_confirm(&ld.vm)) {
		diag_err(&ctx->diags, NULL, 0, "not reset");
		goto out;
	}
	if (eng_tpm_reset(&ctx->eng, &ld.vm) != 0)
		goto out;
	printf("%s: the TPM is reset (%s emptied); the guest finds a new TPM "
	    "at its next start\n", ld.vm.name, ld.vm.tpm_state);
	rv = EXIT_OK;
out:
	vm_load_free(&ld);
	return (rv);
}
