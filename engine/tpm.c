/*
 * tpm.c: a VM's TPM 2.0 in the engine (tpm= in ptvm.conf(5), issue 18
 * section 1).
 *
 * tpm=swtpm: start runs one swtpm per VM before bhyve (tpm_start), its
 * state in /var/db/ptvm/NAME.tpm (mode 0700, kept across stops; a host
 * file, below DIR/root under -H), its socket in the run directory, and
 * journals it in the undo journal ("swtpm PID SOCKET"), so that the
 * supervisor stops it after bhyve and "ptvm host restore" after a crash
 * (tpm_undo).  bhyve connects to the socket and sends the TPM commands on
 * it (freebsd.md#T2): swtpm's --server socket, with --flags
 * not-need-init because bhyve never sends swtpm's INIT on the control
 * channel.  "ptvm tpm reset" empties the state directory
 * (eng_tpm_reset).
 *
 * tpm=/dev/tpmN: bhyve opens the host's TPM read-write (freebsd.md#T3);
 * nothing to start.
 */
#include "compat.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcfg.h"
#include "engine.h"
#include "util.h"

#define SWTPM_WAIT_MS	3000
/* bhyve copies tpm.path into sun_path with size - 1 (freebsd.md#T2). */
#define SUN_PATH_MAX	103

/* An error of the start, "NAME: tpm=swtpm: ...". */
static void __printflike(2, 3)
tpm_err(struct eng *eng, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_err(eng->diags, NULL, 0, "%s", msg);
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
tpm_start(struct eng *eng, struct host *h, struct vm_load *ld,
    const struct life_paths *p, eng_report_fn *fn, void *arg)
{
	struct vm *vm = &ld->vm;
	struct host_stat st;
	const char *w[3];
	char sock[512], ctrl[528], srv[560], ctl[576], sdir[1100], pids[16];
	char msg[2048];
	char *av[13];
	int e, fd, pid, waited;

	if (vm->tpm != VM_TPM_SWTPM)
		return (0);
	if ((e = h->ops->file_stat(h, TPM_SWTPM, &st)) != 0) {
		tpm_err(eng, "%s: tpm=swtpm: %s: %s; install it (pkg install "
		    "swtpm)", vm->name, TPM_SWTPM, e == ENOENT ?
		    "not installed" : sys_strerror(e));
		return (-1);
	}
	if ((e = state_dir(h, vm->tpm_state, &st)) != 0) {
		tpm_err(eng, "%s: tpm=swtpm: the TPM state directory %s: %s",
		    vm->name, vm->tpm_state, e == EACCES ? "not writable" :
		    e == ENOTDIR || e == EEXIST ? "not a directory" :
		    sys_strerror(e));
		return (-1);
	}
	if ((size_t)snprintf(sock, sizeof(sock), "%s/%s.swtpm", h->rundir,
	    vm->name) > SUN_PATH_MAX) {
		tpm_err(eng, "%s: tpm=swtpm: the socket path %s is longer "
		    "than the %d bytes of a socket address", vm->name, sock,
		    SUN_PATH_MAX);
		return (-1);
	}
	(void)snprintf(ctrl, sizeof(ctrl), "%s.ctrl", sock);
	(void)snprintf(srv, sizeof(srv), "type=unixio,path=%s", sock);
	(void)snprintf(ctl, sizeof(ctl), "type=unixio,path=%s", ctrl);
	(void)snprintf(sdir, sizeof(sdir), "dir=%s", vm->tpm_state);
	/* A socket left by an swtpm that died: its bind would fail. */
	(void)h->ops->st_remove(h, sock);
	(void)h->ops->st_remove(h, ctrl);
	av[0] = __DECONST(char *, TPM_SWTPM);
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
	if ((e = h->ops->st_mkdir(h, h->logdir, 0755)) != 0 ||
	    (e = h->ops->st_append(h, p->log, 0644, &fd)) != 0) {
		tpm_err(eng, "%s: tpm=swtpm: %s: %s", vm->name, p->log,
		    sys_strerror(e));
		return (-1);
	}
	e = h->ops->spawn(h, av, fd, &pid);
	(void)h->ops->fd_close(h, fd);
	if (e != 0) {
		tpm_err(eng, "%s: tpm=swtpm: cannot run %s: %s%s", vm->name,
		    TPM_SWTPM, sys_strerror(e), h->dir != NULL && e == ENOENT ?
		    " (a captured host runs its stand-in DIR/bin/swtpm only "
		    "with PTVM_STANDINS=1)" : "");
		return (-1);
	}
	(void)snprintf(pids, sizeof(pids), "%d", pid);
	w[0] = pids;
	w[1] = sock;
	w[2] = NULL;
	if (undo_record(p, vm->name, UNDO_SWTPM, w) != 0) {
		(void)h->ops->proc_stop(h, pid, "swtpm");
		tpm_err(eng, "%s: tpm=swtpm: cannot journal swtpm (pid %d); "
		    "stopped it", vm->name, pid);
		return (-1);
	}
	/* bhyve connects at once: the socket must be there first. */
	for (waited = 0; waited < SWTPM_WAIT_MS; waited += 50) {
		if (h->ops->st_stat(h, sock, &st) == 0)
			break;
		h->ops->sleep(h, 50);
	}
	if (waited >= SWTPM_WAIT_MS) {
		tpm_err(eng, "%s: tpm=swtpm: swtpm (pid %d) made no socket %s "
		    "within %d ms; see %s", vm->name, pid, sock, SWTPM_WAIT_MS,
		    p->log);
		return (-1);
	}
	if (bcfg_set_lit(&vm->cfg, "tpm.path", sock, "start", 0) != 0)
		return (-1);
	if (fn != NULL) {
		(void)snprintf(msg, sizeof(msg), "swtpm runs as pid %d, its "
		    "state in %s, bhyve's TPM on %s", pid, vm->tpm_state, sock);
		fn(arg, vm->name, DIAG_NOTE, msg);
	}
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
		    sys_strerror(e));
		return (-1);
	}
	/* Its socket, if it left it: st_remove takes only runtime files. */
	(void)h->ops->st_remove(h, en->w[1]);
	if ((size_t)snprintf(ctl, sizeof(ctl), "%s.ctrl", en->w[1]) <
	    sizeof(ctl))
		(void)h->ops->st_remove(h, ctl);
	(void)snprintf(msg, ml, "stopped swtpm (pid %lld)", pid);
	return (0);
}

int
eng_tpm_reset(struct eng *eng, const struct vm *vm)
{
	struct host *h;
	char path[1200], **names;
	size_t n, i;
	int e, rv;

	if (eng_host(eng, &h) != 0)
		return (-1);
	if ((e = h->ops->dir_list(h, vm->tpm_state, &names, &n)) != 0) {
		diag_err(eng->diags, NULL, 0, "%s: %s", vm->tpm_state,
		    sys_strerror(e));
		return (-1);
	}
	rv = 0;
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s",
		    vm->tpm_state, names[i]) >= sizeof(path))
			e = ENAMETOOLONG;
		else
			e = h->ops->file_remove(h, path);
		if (e != 0) {
			diag_err(eng->diags, NULL, 0, "%s: %s", path,
			    sys_strerror(e));
			rv = -1;
		}
	}
	host_names_free(names, n);
	return (rv);
}
