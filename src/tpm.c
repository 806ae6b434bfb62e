/*
 * tpm.c: a VM's TPM 2.0 (tpm= in ptvm.conf(5), issue 18 section 1).
 *
 * tpm=swtpm: start runs one swtpm per VM before bhyve (tpm_start), its
 * state in /var/db/ptvm/NAME.tpm (mode 0700, kept across stops), its
 * socket in the run directory, and journals it in the undo journal
 * ("swtpm PID SOCKET"), so that the supervisor stops it after bhyve and
 * "ptvm host restore" after a crash (tpm_undo).  bhyve connects to the
 * socket and sends the TPM commands on it (freebsd.md#T2): swtpm's
 * --server socket, with --flags not-need-init because bhyve never sends
 * swtpm's INIT on the control channel.
 *
 * tpm=/dev/tpmN: bhyve opens the host's TPM read-write (freebsd.md#T3).
 */
#include "compat.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bcfg.h"
#include "check.h"
#include "disk.h"
#include "host.h"
#include "life.h"
#include "ptvm.h"
#include "tpm.h"
#include "undo.h"
#include "util.h"
#include "vmconf.h"
#include "vmload.h"

#define SWTPM		"/usr/local/bin/swtpm"
#define SWTPM_WAIT_MS	3000
/* bhyve copies tpm.path into sun_path with size - 1 (freebsd.md#T2). */
#define SUN_PATH_MAX	103

static void
say(const char *vm, bool err, const char *fmt, ...) __printflike(3, 4);

static void
say(const char *vm, bool err, const char *fmt, ...)
{
	va_list ap;

	fprintf(err ? stderr : stdout, "%s: %s", vm, err ? "error: " : "");
	va_start(ap, fmt);
	vfprintf(err ? stderr : stdout, fmt, ap);
	va_end(ap);
	fprintf(err ? stderr : stdout, "\n");
	fflush(stdout);
}

/* The state directory: made 0700 if missing; 0 or an errno value. */
static int
state_dir(struct host *h, const char *dir, struct host_stat *st)
{
	int e;

	if ((e = h->ops->file_stat(h, dir, st)) == ENOENT) {
		if ((e = h->ops->dir_make(h, dir, 0700)) != 0)
			return (e);
		e = h->ops->file_stat(h, dir, st);
	}
	if (e != 0)
		return (e);
	if (st->type != HOST_F_DIR)
		return (ENOTDIR);
	if ((st->mode & 0200) == 0)
		return (EACCES);
	return (0);
}

int
tpm_start(struct host *h, struct vm_load *ld, const struct life_paths *p)
{
	struct vm *vm = &ld->vm;
	struct host_stat st;
	const char *w[3];
	char sock[512], ctrl[528], srv[560], ctl[576], sdir[1100], pids[16];
	char *av[13];
	int e, fd, pid, waited;

	if (vm->tpm != VM_TPM_SWTPM)
		return (0);
	if ((e = h->ops->file_stat(h, SWTPM, &st)) != 0) {
		say(vm->name, true, "tpm=swtpm: %s: %s; install it (pkg "
		    "install swtpm)", SWTPM, e == ENOENT ? "not installed" :
		    strerror(e));
		return (-1);
	}
	if ((e = state_dir(h, vm->tpm_state, &st)) != 0) {
		say(vm->name, true, "tpm=swtpm: the TPM state directory %s: "
		    "%s", vm->tpm_state, e == EACCES ? "not writable" :
		    e == ENOTDIR || e == EEXIST ? "not a directory" :
		    strerror(e));
		return (-1);
	}
	if ((size_t)snprintf(sock, sizeof(sock), "%s/%s.swtpm", h->rundir,
	    vm->name) > SUN_PATH_MAX) {
		say(vm->name, true, "tpm=swtpm: the socket path %s is longer "
		    "than the %d bytes of a socket address", sock,
		    SUN_PATH_MAX);
		return (-1);
	}
	(void)snprintf(ctrl, sizeof(ctrl), "%s.ctrl", sock);
	(void)snprintf(srv, sizeof(srv), "type=unixio,path=%s", sock);
	(void)snprintf(ctl, sizeof(ctl), "type=unixio,path=%s", ctrl);
	(void)snprintf(sdir, sizeof(sdir), "dir=%s", vm->tpm_state);
	/*
	 * A socket left by an swtpm that died: bind would fail.  The run
	 * directory is ptvm's own, a real path under -H too.
	 */
	(void)unlink(sock);
	(void)unlink(ctrl);
	av[0] = __DECONST(char *, SWTPM);
	av[1] = __DECONST(char *, "socket");
	av[2] = __DECONST(char *, "--tpm2");
	av[3] = __DECONST(char *, "--tpmstate");
	av[4] = sdir;
	av[5] = __DECONST(char *, "--server");
	av[6] = srv;
	av[7] = __DECONST(char *, "--ctrl");
	av[8] = ctl;
	av[9] = __DECONST(char *, "--flags");
	av[10] = __DECONST(char *, "not-need-init,startup-clear");
	av[11] = NULL;
	if ((e = sys_mkdir_p(h->logdir, 0755)) != 0 ||
	    (e = sys_open_append(p->log, 0644, &fd)) != 0) {
		say(vm->name, true, "tpm=swtpm: %s: %s", p->log,
		    sys_strerror(e));
		return (-1);
	}
	e = h->ops->spawn(h, av, fd, &pid);
	(void)close(fd);
	if (e != 0) {
		say(vm->name, true, "tpm=swtpm: cannot run %s: %s%s", SWTPM,
		    strerror(e), h->dir != NULL && e == ENOENT ? " (a captured "
		    "host runs its stand-in DIR/bin/swtpm only with "
		    "PTVM_STANDINS=1)" : "");
		return (-1);
	}
	(void)snprintf(pids, sizeof(pids), "%d", pid);
	w[0] = pids;
	w[1] = sock;
	w[2] = NULL;
	if (undo_record(p, vm->name, UNDO_SWTPM, w) != 0) {
		(void)h->ops->proc_stop(h, pid, "swtpm");
		say(vm->name, true, "tpm=swtpm: cannot journal swtpm (pid %d); "
		    "stopped it", pid);
		return (-1);
	}
	/* bhyve connects at once: the socket must be there first. */
	for (waited = 0; waited < SWTPM_WAIT_MS; waited += 50) {
		if (sys_stat(sock, false, &st) == 0)
			break;
		if (h->dir == NULL)
			h->ops->pause(h, 50);
		else
			(void)usleep(50000);
	}
	if (waited >= SWTPM_WAIT_MS) {
		say(vm->name, true, "tpm=swtpm: swtpm (pid %d) made no socket "
		    "%s within %d ms; see %s", pid, sock, SWTPM_WAIT_MS,
		    p->log);
		return (-1);
	}
	if (bcfg_set_lit(&vm->cfg, "tpm.path", sock, "start", 0) != 0)
		return (-1);
	say(vm->name, false, "swtpm runs as pid %d, its state in %s, bhyve's "
	    "TPM on %s", pid, vm->tpm_state, sock);
	return (0);
}

int
tpm_undo(struct host *h, const struct undo_entry *en, char *msg, size_t ml)
{
	char ctl[600];
	long long pid;
	int e;

	if (en->nw != 2 || util_strtonum(en->w[0], 2, 99999999, &pid) != 0) {
		(void)snprintf(msg, ml, "swtpm entry without a pid");
		return (-1);
	}
	if ((e = h->ops->proc_stop(h, (int)pid, "swtpm")) != 0) {
		(void)snprintf(msg, ml, "swtpm (pid %lld): %s", pid,
		    strerror(e));
		return (-1);
	}
	if (en->w[1][0] == '/' && strncmp(en->w[1], h->rundir,
	    strlen(h->rundir)) == 0) {
		(void)unlink(en->w[1]);
		(void)snprintf(ctl, sizeof(ctl), "%s.ctrl", en->w[1]);
		(void)unlink(ctl);
	}
	(void)snprintf(msg, ml, "stopped swtpm (pid %lld)", pid);
	return (0);
}

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
		if ((e = h->ops->file_stat(h, SWTPM, &st)) != 0)
			check_add(cs, CHK_FAIL, "tpm", "pkg install swtpm",
			    "%s: %s: tpm=swtpm needs the sysutils/swtpm "
			    "package", SWTPM, e == ENOENT ? "not installed" :
			    strerror(e));
		else
			check_add(cs, CHK_PASS, "tpm", NULL, "%s installed",
			    SWTPM);
		e = h->ops->file_stat(h, vm->tpm_state, &st);
		if (e == ENOENT)
			check_add(cs, CHK_PASS, "tpm", NULL, "%s will be made "
			    "(mode 0700) at the first start; the TPM's state "
			    "(BitLocker's keys) lives there", vm->tpm_state);
		else if (e != 0 || st.type != HOST_F_DIR)
			check_add(cs, CHK_FAIL, "tpm", "remove it, or move it "
			    "away", "the TPM state directory %s: %s",
			    vm->tpm_state, e != 0 ? strerror(e) :
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
		    vm->tpm_path, e == ENOENT ? "missing" : strerror(e));
	else if (st.type != HOST_F_CHR)
		check_add(cs, CHK_FAIL, "tpm", "give the host's /dev/tpmN",
		    "%s is not a device", vm->tpm_path);
	else
		check_add(cs, CHK_PASS, "tpm", NULL, "%s present: the guest "
		    "uses the host's TPM (the host must not use it meanwhile)",
		    vm->tpm_path);
}

/* "ptvm tpm reset [-y] vm": the swtpm state, as rollback confirms. */
int
cmd_tpm_reset(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct vm_load ld;
	struct host_stat st;
	struct host *h;
	char why[256], path[1200], line[64], **names;
	size_t n, i;
	bool yes;
	int ch, rv, run, e;

	yes = false;
	while ((ch = getopt(argc, argv, "y")) != -1) {
		if (ch != 'y')
			return (out_usage_error(ctx->cmdname, ctx->cmd,
			    "unknown option"));
		yes = true;
	}
	if (argc - optind != 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "one VM "
		    "expected"));
	if (ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	vm_load_init(&ld);
	rv = EXIT_FAIL;
	if (vm_load(ctx, argv[optind], &ld) != 0)
		goto out;
	if (ld.vm.tpm != VM_TPM_SWTPM) {
		diag_err(&ctx->diags, NULL, 0, "%s has no tpm=swtpm: there is "
		    "no TPM state of ptvm's to reset", ld.vm.name);
		goto out;
	}
	if ((run = vm_running(ctx, ld.vm.name, why, sizeof(why))) != 0) {
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
		    e != 0 ? strerror(e) : "not a directory");
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
	if (!yes) {
		fprintf(stderr, "%s: resetting the TPM erases %s: the keys the "
		    "guest sealed in it (BitLocker's, Windows Hello's) are lost "
		    "for good; have BitLocker's recovery key at hand.\nReset "
		    "the TPM of %s? [y/N] ", ld.vm.name, ld.vm.tpm_state,
		    ld.vm.name);
		fflush(stderr);
		if (fgets(line, sizeof(line), stdin) == NULL ||
		    (line[strcspn(line, "\r\n")] = '\0',
		    strcasecmp(line, "y") != 0 && strcasecmp(line, "yes") != 0)) {
			diag_err(&ctx->diags, NULL, 0, "not reset");
			goto out;
		}
	}
	if ((e = h->ops->dir_list(h, ld.vm.tpm_state, &names, &n)) != 0) {
		diag_err(&ctx->diags, NULL, 0, "%s: %s", ld.vm.tpm_state,
		    strerror(e));
		goto out;
	}
	rv = EXIT_OK;
	for (i = 0; i < n; i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", ld.vm.tpm_state,
		    names[i]);
		if ((e = h->ops->file_remove(h, path)) != 0) {
			diag_err(&ctx->diags, NULL, 0, "%s: %s", path,
			    strerror(e));
			rv = EXIT_FAIL;
		}
	}
	host_names_free(names, n);
	if (rv == EXIT_OK)
		printf("%s: the TPM is reset (%s emptied); the guest finds a "
		    "new TPM at its next start\n", ld.vm.name, ld.vm.tpm_state);
out:
	vm_load_free(&ld);
	return (rv);
}
