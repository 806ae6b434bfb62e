/*
 * host_capture.c: a captured host ("ptvm -H DIR").  DIR holds what stock
 * FreeBSD commands print:
 *
 *	pciconf.txt	pciconf -lv (or -lbcv, or the pre-13 card=/chip= form)
 *	topology.xml	sysctl -n kern.sched.topology_spec
 *	sysctl.txt	sysctl -a ("name: value" lines)
 *	kenv.txt	kenv
 *	kldstat.txt	kldstat
 *	vmm.txt		one running VM a line: NAME [B/S/F ...] ("?" = unknown)
 *	camcontrol.txt, mount.txt, zpool-status.txt, swap.txt, netstat-rn.txt
 *			what host_tools[] print (host.h): what the host
 *			itself uses; absent, that stays unknown
 *	rom/pci0:B:S:F.rom  a function's expansion ROM (rom dump)
 *	pci/pci0:B:S:F.txt  a function's configuration space, as
 *			"pciconf -r pci0:B:S:F 0:0xfff" prints it
 *
 * Nothing of the machine ptvm runs on is read or changed.  The kernel is
 * the model of kmodel.c, loaded from DIR: each change is appended to
 * DIR/journal as the equivalent FreeBSD command and replayed when the
 * directory is opened again, so later commands see it (configuration
 * writes, "pciconf -w", as plain byte stores).  Changes behave as the
 * FreeBSD 14 kernel does (the rows of docs/freebsd.md).  This file is the
 * captured host's front end over the model; the FreeBSD shim (host/shim/)
 * is the other, under which host_freebsd.c runs on Linux.
 * DIR/fail lists commands that fail ("devctl detach pci0:6:0:0: EBUSY");
 * DIR/bin holds programs run in place of bhyve, bhyvectl, zfs ...; files
 * of the host live under DIR/root; runtime state under DIR/run.
 */
#include "compat.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bindplan.h"
#include "capfile.h"
#include "host.h"
#include "hostsys.h"
#include "sysutil.h"
#include "hostop.h"
#include "kmodel.h"
#include "kv.h"
#include "pci.h"
#include "rombar.h"
#include "strbuf.h"
#include "util.h"

#define CAP_MAXFILE	KM_MAXFILE

/* The kernel model of this directory (kmodel.h). */
#define CAP_KM(h)	((struct kmodel *)(h)->priv)

static int
cap_read(struct host *h, const char *name, char **buf, size_t *len)
{

	return (km_read(CAP_KM(h), name, buf, len));
}

static int
cap_change(struct host *h, const struct hostop *op)
{

	return (km_change(CAP_KM(h), op));
}

/*
 * The operations.
 */
static int
cap_pci_list(struct host *h, struct pci_list *out, struct diags *d)
{
	struct kmodel *c = CAP_KM(h);
	struct diag *x;

	STAILQ_FOREACH(x, &c->pci_diags.head, entry)
		if (x->offset >= 0)
			diag_add_off(d, x->level, x->file, x->offset, "%s",
			    x->msg);
		else
			diag_add(d, x->level, x->file, x->line, "%s", x->msg);
	if (!c->have_pci) {
		diag_err(d, NULL, 0, "%s/pciconf.txt is missing: capture it "
		    "on the host with 'pciconf -lv > pciconf.txt'", h->dir);
		return (ENOENT);
	}
	if (c->pci_err != 0)
		return (c->pci_err);
	return (pci_list_copy(out, &c->pci) == 0 ? 0 : ENOMEM);
}

static int
cap_sysctl_get_text(struct host *h, const char *name, char **val,
    size_t *vlen)
{

	return (km_sysctl_get(CAP_KM(h), name, val, vlen));
}

static int
cap_sysctl_get(struct host *h, const char *name, char **val)
{
	size_t len;

	return (cap_sysctl_get_text(h, name, val, &len));
}

static int
cap_sysctl_set(struct host *h, const char *name, const char *val)
{
	struct hostop op = { .kind = HOP_SYSCTL_SET, .a = name, .b = val };

	return (cap_change(h, &op));
}

static int
cap_kenv_get(struct host *h, const char *name, char **val)
{

	return (km_kenv_get(CAP_KM(h), name, val));
}

static int
cap_kenv_set(struct host *h, const char *name, const char *val)
{
	struct hostop op = { .kind = HOP_KENV_SET, .a = name, .b = val };

	return (cap_change(h, &op));
}

static int
cap_kenv_unset(struct host *h, const char *name)
{
	struct hostop op = { .kind = HOP_KENV_UNSET, .a = name };

	return (cap_change(h, &op));
}

static int
cap_kld_loaded(struct host *h, const char *name, bool *loaded)
{

	return (km_kld_loaded(CAP_KM(h), name, loaded));
}

static int
cap_kld_load(struct host *h, const char *name)
{
	struct hostop op = { .kind = HOP_KLDLOAD, .a = name };

	return (cap_change(h, &op));
}

static int
cap_kld_unload(struct host *h, const char *name)
{
	struct hostop op = { .kind = HOP_KLDUNLOAD, .a = name };

	return (cap_change(h, &op));
}

static int
cap_dev_detach(struct host *h, const char *dev, bool force)
{
	struct hostop op = { .kind = HOP_DETACH, .a = dev, .force = force };

	return (cap_change(h, &op));
}

static int
cap_dev_attach(struct host *h, const char *dev)
{
	struct hostop op = { .kind = HOP_ATTACH, .a = dev };

	return (cap_change(h, &op));
}

static int
cap_dev_set_driver(struct host *h, const char *dev, const char *drv,
    bool force)
{
	struct hostop op = { .kind = HOP_SET_DRIVER, .a = dev, .b = drv,
	    .force = force };

	return (cap_change(h, &op));
}

static int
cap_dev_clear_driver(struct host *h, const char *dev, bool force)
{
	struct hostop op = { .kind = HOP_CLEAR_DRIVER, .a = dev,
	    .force = force };

	return (cap_change(h, &op));
}

static int
cap_dev_rescan(struct host *h, const char *dev)
{
	struct hostop op = { .kind = HOP_RESCAN, .a = dev };

	return (cap_change(h, &op));
}

/*
 * vmm.txt, plus the VMs the bhyve stand-in created in DIR/run/vmm (it
 * removes them as the kernel would, on a -D power-off or bhyvectl
 * --destroy).
 */
static int
cap_vm_list(struct host *h, struct host_vm_list *out)
{

	return (km_vm_list(CAP_KM(h), out));
}

static int
root_path(struct host *h, const char *path, char *buf, size_t len)
{

	if (path[0] != '/' || strstr(path, "/../") != NULL ||
	    (strlen(path) >= 3 && strcmp(path + strlen(path) - 3, "/..") == 0))
		return (EINVAL);
	if ((size_t)snprintf(buf, len, "%s/root%s", h->dir, path) >= len)
		return (ENAMETOOLONG);
	return (0);
}

static int
cap_file_read(struct host *h, const char *path, char **buf, size_t *len)
{
	char p[PATH_MAX];
	int e;

	if ((e = root_path(h, path, p, sizeof(p))) != 0)
		return (e);
	return (sys_read_file(p, CAP_MAXFILE, buf, len));
}

static int
cap_file_stat(struct host *h, const char *path, struct host_stat *st)
{
	char p[PATH_MAX];
	int e;

	if ((e = root_path(h, path, p, sizeof(p))) != 0)
		return (e);
	/* A capture cannot hold device nodes: a file under /dev stands in. */
	return (sys_stat(p, strncmp(path, "/dev/", 5) == 0, st));
}

static int
cap_dir_list(struct host *h, const char *path, char ***names, size_t *n)
{
	char p[PATH_MAX];
	int e;

	if ((e = root_path(h, path, p, sizeof(p))) != 0)
		return (e);
	return (sys_dir_list(p, names, n));
}

static int
cap_file_write(struct host *h, const char *path, const char *data,
    size_t len, int mode)
{
	struct hostop op = { .kind = HOP_INSTALL, .b = path, .mode = mode };
	char p[PATH_MAX], rel[PATH_MAX], *slash;
	int e;

	if ((e = root_path(h, path, p, sizeof(p))) != 0)
		return (e);
	snprintf(rel, sizeof(rel), "root%s", path);
	op.a = rel;
	if ((slash = strrchr(p, '/')) != NULL) {
		*slash = '\0';
		e = sys_mkdir_p(p, 0755);
		*slash = '/';
		if (e != 0)
			return (e);
	}
	if ((e = sys_write_atomic(p, data, len, mode)) != 0)
		return (e);
	return (cap_change(h, &op));
}

/*
 * The stand-in for program argv0: DIR/bin/NAME, run only when the
 * environment says PTVM_STANDINS=1 (the tests and benchmarks).  A
 * capture is data: attached to a bug report, its programs must never run
 * by accident.  Without it, changes are journaled and nothing runs.
 */
static bool
cap_standin(struct host *h, const char *argv0, char *path, size_t sz)
{
	const char *base, *v;
	struct stat sb;

	if ((v = getenv("PTVM_STANDINS")) == NULL || strcmp(v, "1") != 0)
		return (false);
	base = strrchr(argv0, '/');
	base = base != NULL ? base + 1 : argv0;
	if (base[0] == '\0' || base[0] == '.' ||
	    (size_t)snprintf(path, sz, "%s/bin/%s", h->dir, base) >= sz)
		return (false);
	return (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    access(path, X_OK) == 0);
}

static int
cap_run(struct host *h, char *const *argv, struct host_proc *pr)
{
	struct hostop op = { .kind = HOP_EXEC,
	    .argv = (const char *const *)argv };
	char path[PATH_MAX];
	int e;

	pr->ran = false;
	pr->status = pr->signal = 0;
	if ((e = cap_change(h, &op)) != 0)
		return (e);
	if (!cap_standin(h, argv[0], path, sizeof(path)))
		return (0);
	e = sys_spawn_wait(path, argv, -1, host_run_timeout(argv), pr);
	pr->ran = e == 0 || e == ETIMEDOUT;
	return (e);
}

static int
cap_spawn(struct host *h, char *const *argv, int outfd, int *pid)
{
	struct hostop op = { .kind = HOP_EXEC,
	    .argv = (const char *const *)argv };
	char path[PATH_MAX];
	int e;

	if (argv == NULL || argv[0] == NULL)
		return (EINVAL);
	if ((e = cap_change(h, &op)) != 0)
		return (e);
	if (!cap_standin(h, argv[0], path, sizeof(path)))
		return (ENOENT);
	return (sys_spawn_fd(path, argv, outfd, pid));
}

/*
 * DIR/run/vmm/NAME, written by the bhyve stand-in (tests/bin/bhyve):
 * "pid=N", "running=yes|no", "acpi=yes|no" lines.
 */
static int
cap_vm_probe(struct host *h, const char *name, int pid,
    struct host_probe *pr)
{
	struct capf_probe cp;
	char p[PATH_MAX], *buf;
	size_t len;
	int e;

	pr->alive = false;
	pr->running = pr->acpi = -1;
	if (strchr(name, '/') != NULL || name[0] == '.' ||
	    (size_t)snprintf(p, sizeof(p), "%s/vmm/%s", h->rundir, name) >=
	    sizeof(p))
		return (EINVAL);
	if ((e = sys_read_file(p, CAP_MAXFILE, &buf, &len)) != 0)
		return (e == ENOENT ? 0 : e);
	capf_probe_parse(buf, len, &cp);
	free(buf);
	if (cp.pid == pid && pid > 0 && sys_pid_alive(pid)) {
		pr->alive = true;
		pr->running = cp.running;
		pr->acpi = cp.acpi;
	}
	return (0);
}

/* A reading program: DIR/bin/NAME when present, never journaled. */
static int
cap_run_output(struct host *h, char *const *argv, struct host_proc *pr,
    char **out, size_t *len)
{
	char path[PATH_MAX];
	int e;

	pr->ran = false;
	pr->status = pr->signal = 0;
	*out = NULL;
	*len = 0;
	if (argv == NULL || argv[0] == NULL)
		return (EINVAL);
	if (!cap_standin(h, argv[0], path, sizeof(path)))
		return (0);
	e = sys_spawn_output(path, argv, HOST_OUTPUT_MAX,
	    host_run_timeout(argv), pr, out, len);
	pr->ran = e == 0 || e == ETIMEDOUT;
	return (e);
}

/*
 * The ROM BAR (docs/freebsd.md D-ROM1 to D-ROM8), as kmodel.c models it:
 * rom dump runs lib/rombar.c over the model.  Reads are the capture with
 * the journaled writes applied, writes are journaled (and DIR/fail can
 * fail them), and each physical read leaves a comment in the journal.
 */
static int	cap_pci_cfg_read(struct host *, const struct pci_sel *,
		    struct pcicfg *, struct diags *);
static int	cap_pci_cfg_write(struct host *, const struct pci_sel *,
		    unsigned, unsigned, uint32_t);

struct cap_romio {
	struct host		*h;
	const struct pci_sel	*sel;
	const uint8_t		*rom;
	size_t			 romlen;
	struct diags		*d;
};

static int
cap_rom_cfg_read(void *arg, unsigned reg, unsigned width, uint32_t *val)
{
	struct cap_romio *ri = arg;
	struct pcicfg img;
	int e;

	if ((e = cap_pci_cfg_read(ri->h, ri->sel, &img, ri->d)) != 0)
		return (e);
	return (pcicfg_get(&img, reg, width, val) ? 0 : EIO);
}

static int
cap_rom_cfg_write(void *arg, unsigned reg, unsigned width, uint32_t val)
{
	struct cap_romio *ri = arg;

	return (cap_pci_cfg_write(ri->h, ri->sel, reg, width, val));
}

static int
cap_rom_mem_read(void *arg, uint64_t pa, uint8_t *buf, size_t len)
{
	struct cap_romio *ri = arg;

	return (km_rom_window(CAP_KM(ri->h), ri->sel, ri->rom, ri->romlen, pa,
	    buf, len, ri->d));
}

static int
cap_rom_read(struct host *h, const struct pci_sel *sel, uint8_t **buf,
    size_t *len, struct diags *d)
{
	struct cap_romio ri;
	struct rombar_io io;
	char name[64], p[PATH_MAX];
	char *b;
	size_t blen;
	int e;

	*buf = NULL;
	*len = 0;
	pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
	if ((e = km_rom_file(CAP_KM(h), sel, p, sizeof(p))) != 0)
		return (e);
	if ((e = sys_read_file(p, HOST_ROM_MAX, &b, &blen)) != 0) {
		if (e == ENOENT)
			diag_add(d, DIAG_ERROR, p, 0, "this captured host has "
			    "no ROM of %s (rom/%s.rom stands for what its ROM "
			    "BAR decodes)", name, name);
		else
			diag_add(d, DIAG_ERROR, p, 0, "%s", sys_strerror(e));
		return (e);
	}
	ri.h = h;
	ri.sel = sel;
	ri.rom = (const uint8_t *)b;
	ri.romlen = blen;
	ri.d = d;
	io.arg = &ri;
	io.cfg_read = cap_rom_cfg_read;
	io.cfg_write = cap_rom_cfg_write;
	io.mem_read = cap_rom_mem_read;
	e = rombar_read(&io, name, HOST_ROM_MAX, buf, len, d);
	free(b);
	return (e);
}

/*
 * DIR/pci/pci0:B:S:F.txt holds the configuration space; the journaled
 * writes are applied over it in order.
 */
static int
cap_pci_cfg_read(struct host *h, const struct pci_sel *sel,
    struct pcicfg *img, struct diags *d)
{

	return (km_cfg_read(CAP_KM(h), sel, img, d));
}

static int
cap_pci_cfg_write(struct host *h, const struct pci_sel *sel, unsigned reg,
    unsigned width, uint32_t val)
{

	return (km_cfg_write(CAP_KM(h), sel, reg, width, val));
}

static void
cap_pause(struct host *h, unsigned ms)
{

	(void)h;
	(void)ms;
}

static void
cap_close(struct host *h)
{

	km_close(CAP_KM(h));
	h->priv = NULL;
}
/*
 * DIR/tty: the terminal ptvm is taken to run on ("ttyv0", "pts/2"), one
 * line; absent, it runs on none (a script, rc(8) at boot).
 */
static int
cap_tty_name(struct host *h, char *buf, size_t sz)
{
	char *s;
	size_t len, n;
	int e;

	if ((e = cap_read(h, "tty", &s, &len)) != 0)
		return (e == ENOENT ? ENOTTY : e);
	n = strcspn(s, "\r\n");
	if (n == 0 || n >= sz || memchr(s, '\0', n) != NULL) {
		free(s);
		return (ENOTTY);
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strncmp(buf, "/dev/", 5) == 0)
		memmove(buf, buf + 5, n - 4);
	free(s);
	return (0);
}

/* DIR/FILE of host_tools[]; ENOENT when not captured. */
static int
cap_tool_output(struct host *h, enum host_tool t, char **out, size_t *len)
{

	*out = NULL;
	*len = 0;
	if ((unsigned)t >= HT_NTOOLS)
		return (EINVAL);
	return (cap_read(h, host_tools[t].file, out, len));
}

/* The engine's operations: HOSTSYS_OPS, then poll and the clock. */
static int64_t	cap_now(struct host *);
static void	cap_sleep(struct host *, unsigned);
/* Issue 18's operations: at the end of this file. */
static int	cap_dir_make(struct host *, const char *, int);
static int	cap_file_remove(struct host *, const char *);
static int	cap_proc_stop(struct host *, int, const char *);
static int	cap_tcp_probe(struct host *, const char *, int, unsigned, int *);
static int	cap_fd_poll(struct host *, struct pollfd *, size_t, int);

static const struct host_ops cap_ops = {
	.name = "captured",
	.close = cap_close,
	.pci_list = cap_pci_list,
	.sysctl_get = cap_sysctl_get,
	.sysctl_get_text = cap_sysctl_get_text,
	.sysctl_set = cap_sysctl_set,
	.kenv_get = cap_kenv_get,
	.kenv_set = cap_kenv_set,
	.kenv_unset = cap_kenv_unset,
	.kld_loaded = cap_kld_loaded,
	.kld_load = cap_kld_load,
	.kld_unload = cap_kld_unload,
	.dev_detach = cap_dev_detach,
	.dev_attach = cap_dev_attach,
	.dev_set_driver = cap_dev_set_driver,
	.dev_clear_driver = cap_dev_clear_driver,
	.dev_rescan = cap_dev_rescan,
	.vm_list = cap_vm_list,
	.file_read = cap_file_read,
	.file_write = cap_file_write,
	.file_stat = cap_file_stat,
	.dir_list = cap_dir_list,
	.run = cap_run,
	.run_output = cap_run_output,
	.spawn = cap_spawn,
	.vm_probe = cap_vm_probe,
	.pause = cap_pause,
	.rom_read = cap_rom_read,
	.pci_cfg_read = cap_pci_cfg_read,
	.pci_cfg_write = cap_pci_cfg_write,
	.tty_name = cap_tty_name,
	.tool_output = cap_tool_output,
	HOSTSYS_OPS
	.fd_poll = cap_fd_poll,
	.now = cap_now,
	.sleep = cap_sleep,
	.dir_make = cap_dir_make,
	.file_remove = cap_file_remove,
	.proc_stop = cap_proc_stop,
	.tcp_probe = cap_tcp_probe,
};

static char *
cap_sub(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return (NULL);
	return (p);
}

int
host_open_captured(struct host **hp, const char *dir, struct diags *d)
{
	struct host *h;
	struct kmodel *c;
	struct stat sb;
	int e;

	*hp = NULL;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		diag_err(d, dir, 0, "not a captured host directory: %s",
		    stat(dir, &sb) != 0 ? strerror(errno) :
		    "not a directory");
		return (ENOENT);
	}
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return (ENOMEM);
	h->ops = &cap_ops;
	/* Absolute: a daemonized supervisor and the logs name it. */
	if ((h->dir = realpath(dir, NULL)) == NULL ||
	    (h->rundir = cap_sub(h->dir, "run")) == NULL ||
	    (h->logdir = cap_sub(h->dir, "log")) == NULL) {
		host_close(h);
		return (ENOMEM);
	}
	if ((e = km_open(&c, h->dir, h->rundir, d)) != 0) {
		host_close(h);
		return (e);
	}
	h->priv = c;
	*hp = h;
	return (0);
}

/*
 * The engine's operations (host.h, from st_read on).  The runtime files,
 * locks, processes and sockets are hostsys.c's, as on the live host: the
 * captured host's run and log directories (DIR/run, DIR/log) are real
 * directories, and its supervisor and stand-ins real processes.  Its
 * clock goes through cap_clock, which a test harness may replace
 * (host_capture_clock) to run the supervisor's timers without waiting.
 */
static struct host_clock cap_clock;

struct host_clock
host_capture_clock(const struct host_clock *c)
{
	struct host_clock old = cap_clock;

	if (c != NULL)
		cap_clock = *c;
	else
		memset(&cap_clock, 0, sizeof(cap_clock));
	return (old);
}

static int64_t
cap_now(struct host *h)
{

	(void)h;
	return (cap_clock.now != NULL ? cap_clock.now(cap_clock.arg) :
	    hs_mono_ms());
}

static void
cap_sleep(struct host *h, unsigned ms)
{

	(void)h;
	if (cap_clock.sleep != NULL)
		cap_clock.sleep(cap_clock.arg, ms);
	else
		hs_sleep_ms(ms);
}

/*
 * ---- Issue 18: the desktop devices ----
 *
 * A captured host keeps what a VM's TPM needs below DIR/root like every
 * other file, runs its swtpm stand-in from DIR/bin (PTVM_STANDINS=1), and
 * answers reachability from DIR/reach.txt: nothing here touches the
 * network.
 */

static int
cap_dir_make(struct host *h, const char *path, int mode)
{
	char p[PATH_MAX];
	int e;

	if ((e = root_path(h, path, p, sizeof(p))) != 0)
		return (e);
	return (hs_path_mkdir(p, mode));
}

static int
cap_file_remove(struct host *h, const char *path)
{
	char p[PATH_MAX];
	int e;

	if ((e = root_path(h, path, p, sizeof(p))) != 0)
		return (e);
	return (hs_path_remove(p));
}

/*
 * Only a stand-in is ever signalled: one that wrote DIR/run/COMM.PID (the
 * swtpm stand-in does, and removes it when it ends).  A pid the journal
 * names without that file is not a process of this capture.
 */
static int
cap_proc_stop(struct host *h, int pid, const char *comm)
{
	char p[PATH_MAX];
	int i;

	if (pid <= 1 || strchr(comm, '/') != NULL || comm[0] == '.' ||
	    (size_t)snprintf(p, sizeof(p), "%s/%s.%d", h->rundir, comm, pid) >=
	    sizeof(p))
		return (EINVAL);
	if (access(p, F_OK) != 0 || !sys_pid_alive(pid))
		return (0);
	(void)kill(pid, SIGTERM);
	/* Our own child (start's, the supervisor's): reaped here. */
	for (i = 0; i < 200 && sys_pid_alive(pid); i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			break;
		(void)usleep(10000);
	}
	if (sys_pid_alive(pid) && access(p, F_OK) == 0) {
		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, NULL, WNOHANG);
	}
	return (0);
}

/* DIR/reach.txt: "ADDRESS PORT open|closed" lines, '#' comments. */
static int
cap_tcp_probe(struct host *h, const char *addr, int port, unsigned ms,
    int *open)
{
	char *buf, *p, *line, *a, *pt, *st;
	long long v;
	size_t len;
	int e;

	(void)ms;
	*open = 0;
	if ((e = cap_read(h, "reach.txt", &buf, &len)) != 0)
		return (e);
	e = ENOENT;
	for (p = buf; (line = strsep(&p, "\n")) != NULL;) {
		if (line[0] == '#')
			continue;
		a = strsep(&line, " \t");
		while (line != NULL && (*line == ' ' || *line == '\t'))
			line++;
		pt = strsep(&line, " \t");
		while (line != NULL && (*line == ' ' || *line == '\t'))
			line++;
		st = line;
		if (a == NULL || pt == NULL || st == NULL || strcmp(a, addr) != 0)
			continue;
		if (util_strtonum(pt, 1, 65535, &v) != 0 || v != port)
			continue;
		*open = strncmp(st, "open", 4) == 0;
		e = 0;
	}
	free(buf);
	return (e);
}

/*
 * poll(2) under the clock: with a test clock, a wait of ms > 0 waits at
 * most the clock's real_ms of real time (the real processes' events
 * still arrive), and when nothing came the clock moves on by ms, as if
 * the whole timeout had passed.  A wait without a timeout (-1) blocks.
 */
static int
cap_fd_poll(struct host *h, struct pollfd *pfd, size_t n, int ms)
{
	int r;

	if (cap_clock.now == NULL || ms <= 0)
		return (hs_fd_poll(h, pfd, n, ms));
	r = hs_fd_poll(h, pfd, n, cap_clock.real_ms < ms ?
	    cap_clock.real_ms : ms);
	if (r == 0 && cap_clock.sleep != NULL)
		cap_clock.sleep(cap_clock.arg, (unsigned)ms);
	return (r);
}
