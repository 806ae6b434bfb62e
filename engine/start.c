/*
 * start.c: starting a VM: recovery of what a crash left, the locks, the
 * checks (the front end's preflight), the claim of its devices, the host
 * changes (bind, kern.consmute, taps, isolation, nmdm), each journaled
 * before it is made and undone when a later step fails, then the
 * supervisor, in the foreground or as a daemon.
 */
#include "compat.h"

#include <sys/param.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctlmsg.h"
#include "engine.h"
#include "pin.h"
#include "util.h"

#define CONSMUTE	"kern.consmute"

/* One start: its context and where it reports. */
struct srun {
	struct eng	*eng;
	eng_report_fn	*fn;
	void		*arg;
	const char	*name;		/* the VM */
};

/*
 * What the start says: progress (DIAG_NOTE) to the report callback,
 * warnings and errors into the diagnostics, each "NAME: ...".
 */
static void __printflike(3, 4)
say(struct srun *r, enum diag_level lvl, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (lvl == DIAG_NOTE && r->fn != NULL)
		r->fn(r->arg, r->name, lvl, msg);
	else
		diag_add(r->eng->diags, lvl, NULL, 0, "%s: %s", r->name, msg);
}

/* A note that belongs with the diagnostics (an error's detail). */
static void __printflike(2, 3)
note(struct srun *r, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_note(r->eng->diags, NULL, 0, "%s: %s", r->name, msg);
}

/* The journal's and recovery's lines (life_log_fn, bind_log_fn). */
static void
life_say(void *arg, enum diag_level lvl, const char *msg)
{

	say(arg, lvl, "%s", msg);
}

static void
bind_say(void *arg, const char *line)
{

	say(arg, DIAG_NOTE, "%s", line);
}


/*
 * Start.
 */

/* The dirty marks of the VM's devices; prints them, true when any. */
static bool
start_dirty(struct srun *r, const struct life_paths *p, const struct vm *vm,
    bool force)
{
	struct life_paths op;
	struct sup_status st;
	const char *sig;
	struct sup_dirty_list l;
	const struct sup_dirty *m;
	struct diags d;
	char sel[32], when[32];
	struct tm tm;
	time_t t;
	size_t i;
	bool any;

	diags_init(&d);
	if (dirty_read(p, &l, &d) != 0) {
		diag_err(r->eng->diags, p->dirty, 0, "cannot be read; remove "
		    "it if it is damaged");
		diags_free(&d);
		return (!force);
	}
	diags_free(&d);
	any = false;
	for (i = 0; i < vm->ndev; i++) {
		if (vm->dev[i].kind != VMD_PASSTHRU ||
		    (m = sup_dirty_find(&l, &vm->dev[i].host)) == NULL)
			continue;
		any = true;
		pci_sel_fmt(&m->sel, SEL_PCICONF, sel, sizeof(sel));
		/* Local time: the host's offset then (tzoff), UTC fields. */
		t = (time_t)m->time + 60 * (time_t)p->h->ops->tzoff(p->h,
		    (int64_t)m->time * 1000);
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm) == 0)
			strlcpy(when, "?", sizeof(when));
		say(r, DIAG_ERROR, "%s is dirty: VM %s ended at %s without "
		    "the guest shutting it down (%s).", sel, m->vm, when,
		    m->reason);
		if (life_paths_of(p, m->vm, &op) == 0) {
			diags_init(&d);
			if (life_status_read(&op, &st, &d) == 0 &&
			    (sig = sup_status_evidence(&st, &m->sel)) != NULL &&
			    strcmp(sig, "none") != 0)
				note(r, "%s after that run: %s: %s",
				    sel, sig, eng_sig_text(sig));
			diags_free(&d);
		}
	}
	sup_dirty_free(&l);
	if (any && !force)
		say(r, DIAG_ERROR, "a GPU left in this state (the AMD \"reset "
		    "bug\") usually fails or hangs the next VM until the host "
		    "reboots.  Reboot the host, or start with --ignore-dirty "
		    "to try anyway.");
	else if (any)
		say(r, DIAG_WARN, "--ignore-dirty: starting with dirty devices");
	return (any && !force);
}

/* Whether a passed-through function is a display controller. */
static bool
has_gpu(const struct vm_load *ld)
{
	struct pci_dev *pd;
	size_t i;

	if (ld->env.pci == NULL)
		return (false);
	for (i = 0; i < ld->vm.nbind; i++)
		if ((pd = pci_find(ld->env.pci, &ld->vm.bind[i])) != NULL &&
		    pci_is_display(pd))
			return (true);
	return (false);
}

/* Moves the VM's functions that are not on ppt(4) yet, journaled. */
static int
start_bind(struct srun *r, struct host *h, struct vm_load *ld,
    const struct life_paths *p)
{
	struct bind_opts bo = { .force = ld->vm.life.console_gpu_take };
	struct pci_sel take[SUP_STATUS_MAXDEV];
	struct bind_env env;
	struct bind_plan plan;
	const char *w[3];
	char selbuf[SUP_STATUS_MAXDEV][32], *av[SUP_STATUS_MAXDEV];
	size_t *devs, ndevs, i, n;
	struct pci_dev *pd;
	int rv;

	if (ld->vm.nbind == 0 || ld->env.pci == NULL)
		return (0);
	/* host_use=take on a passthru line: the check let it through. */
	for (i = 0; i < ld->vm.ndev && bo.ntake < nitems(take); i++)
		if (ld->vm.dev[i].kind == VMD_PASSTHRU &&
		    ld->vm.dev[i].host_use_take)
			take[bo.ntake++] = ld->vm.dev[i].host;
	bo.take = take;
	for (i = n = 0; i < ld->vm.nbind && n < nitems(av); i++) {
		if ((pd = pci_find(ld->env.pci, &ld->vm.bind[i])) == NULL ||
		    pci_is_ppt(pd))
			continue;
		pci_sel_fmt(&ld->vm.bind[i], SEL_PCICONF, selbuf[n],
		    sizeof(selbuf[n]));
		av[n] = selbuf[n];
		n++;
	}
	if (n == 0)
		return (0);
	w[1] = ld->vm.life.unbind_on_stop ? "unbind" : "keep";
	w[2] = NULL;
	for (i = 0; i < n; i++) {
		w[0] = av[i];
		if (undo_record(p, ld->vm.name, UNDO_BIND, w) != 0) {
			diag_err(r->eng->diags, p->undo, 0, "%s: cannot write "
			    "the undo journal", r->name);
			return (-1);
		}
	}
	bind_plan_init(&plan);
	devs = NULL;
	rv = -1;
	if (bind_env_read(r->eng, h, &env) == 0 &&
	    bind_resolve(r->eng, &env, (int)n, av, &devs, &ndevs) == 0 &&
	    bind_plan_make(&env.st, devs, ndevs, &bo, &plan,
	    r->eng->diags) == 0)
		rv = bind_execute(r->eng, h, &env, &plan, bind_say, r) ==
		    EXIT_OK ? 0 : -1;
	free(devs);
	bind_plan_free(&plan);
	bind_env_free(&env);
	if (rv != 0)		/* bind_execute rolled back */
		for (i = 0; i < n; i++) {
			w[0] = av[i];
			(void)undo_forget(p, ld->vm.name, UNDO_BIND, w);
		}
	return (rv);
}

static int
start_consmute(struct srun *r, struct host *h, struct vm_load *ld,
    const struct life_paths *p)
{
	const char *w[3];
	char *old;
	int e;

	if (!has_gpu(ld))
		return (0);
	if ((e = h->ops->sysctl_get(h, CONSMUTE, &old)) != 0) {
		say(r, DIAG_WARN, "cannot read " CONSMUTE
		    "; kernel messages may print on the passed-through GPU");
		return (0);
	}
	if (strcmp(old, "1") == 0) {
		free(old);
		return (0);
	}
	w[0] = CONSMUTE;
	w[1] = old;
	w[2] = NULL;
	if (undo_record(p, ld->vm.name, UNDO_SYSCTL, w) != 0) {
		free(old);
		return (-1);
	}
	if ((e = h->ops->sysctl_set(h, CONSMUTE, "1")) != 0) {
		(void)undo_forget(p, ld->vm.name, UNDO_SYSCTL, w);
		say(r, DIAG_WARN, "cannot set " CONSMUTE "=1");
	} else
		say(r, DIAG_NOTE, CONSMUTE "=1 while the VM "
		    "runs (the console stays quiet on the passed GPU)");
	free(old);
	return (0);
}

/* Runs av; when it fails, says why (host_proc_str) at lvl. */
static int
run_ok(struct srun *r, struct host *h, char *const *av, enum diag_level lvl)
{
	struct host_proc pr;
	char why[1024];
	int e;

	if ((e = h->ops->run(h, av, &pr)) == 0 && pr.ran && pr.status != 0)
		e = EIO;
	if (e != 0)
		say(r, lvl, "%s", host_proc_str(av, e == EIO ? 0 : e, &pr,
		    why, sizeof(why)));
	return (e);
}

#define TAP_TRIES	16

/*
 * The lowest tap unit from "from" on without a /dev/tapN node: a tap
 * interface has one from its creation (if_tuntap.c), and listing /dev
 * creates nothing, where a lookup of /dev/tapN would clone one.
 */
static int
tap_free_unit(struct host *h, int from)
{
	char **names, want[16];
	size_t n, i;
	int u;
	bool used;

	names = NULL;
	n = 0;
	(void)h->ops->dir_list(h, "/dev", &names, &n);
	for (u = from; u < 32768; u++) {
		(void)snprintf(want, sizeof(want), "tap%d", u);
		for (i = 0, used = false; i < n && !used; i++)
			used = strcmp(names[i], want) == 0;
		if (!used)
			break;
	}
	host_names_free(names, n);
	return (u);
}

/*
 * Creates tapN for a net=BRIDGE device: the kernel clones only "tap" and
 * a unit (freebsd.md#N3), so the unit is chosen here (the next one when
 * another creator took it meanwhile) and its description names the VM;
 * the device's backend key gets the name.
 */
static int
tap_create(struct srun *r, struct host *h, struct vm_load *ld,
    struct vm_dev *dv, const struct life_paths *p)
{
	const char *w[2];
	char name[16], desc[96], key[48], *av[5];
	int u, t;

	u = 0;
	for (t = 0; t < TAP_TRIES; t++, u++) {
		u = tap_free_unit(h, u);
		(void)snprintf(name, sizeof(name), "tap%d", u);
		w[0] = name;
		w[1] = NULL;
		if (undo_record(p, ld->vm.name, UNDO_TAP, w) != 0)
			return (-1);
		av[0] = __DECONST(char *, "ifconfig");
		av[1] = name;
		av[2] = __DECONST(char *, "create");
		av[3] = NULL;
		if (run_ok(r, h, av, DIAG_NOTE) == 0)
			break;
		(void)undo_forget(p, ld->vm.name, UNDO_TAP, w);
	}
	if (t == TAP_TRIES) {
		say(r, DIAG_ERROR, "ifconfig tapN create failed "
		    "for every unit tried");
		return (-1);
	}
	free(dv->ifname);
	(void)snprintf(key, sizeof(key), "pci.%u.%u.%u.backend", dv->bus,
	    dv->slot, dv->func);
	if ((dv->ifname = strdup(name)) == NULL ||
	    bcfg_set_lit(&ld->vm.cfg, key, name, "start", 0) != 0)
		return (-1);
	(void)snprintf(desc, sizeof(desc), "ptvm %s net %u", ld->vm.name,
	    dv->netidx);
	av[1] = name;
	av[2] = __DECONST(char *, "description");
	av[3] = desc;
	av[4] = NULL;
	(void)run_ok(r, h, av, DIAG_WARN);
	return (0);
}

/* A tap for each net=BRIDGE: created, joined to the bridge, up. */
static int
start_taps(struct srun *r, struct host *h, struct vm_load *ld,
    const struct life_paths *p)
{
	struct vm_dev *dv;
	char *av[5];
	size_t i;

	for (i = 0; i < ld->vm.ndev; i++) {
		dv = &ld->vm.dev[i];
		if (dv->kind != VMD_NET || dv->bridge == NULL)
			continue;
		if (tap_create(r, h, ld, dv, p) != 0)
			return (-1);
		av[0] = __DECONST(char *, "ifconfig");
		av[1] = dv->bridge;
		av[2] = __DECONST(char *, "addm");
		av[3] = dv->ifname;
		av[4] = NULL;
		if (run_ok(r, h, av, DIAG_ERROR) != 0)
			return (-1);
		av[1] = dv->ifname;
		av[2] = __DECONST(char *, "up");
		av[3] = NULL;
		(void)run_ok(r, h, av, DIAG_WARN);
		say(r, DIAG_NOTE, "%s created (description \"ptvm %s net %u\") "
		    "and added to %s", dv->ifname, ld->vm.name, dv->netidx,
		    dv->bridge);
	}
	return (0);
}

/* isolate=yes: the host's processes leave the VM's CPUs. */
static int
start_isolate(struct srun *r, struct host *h, struct vm_load *ld,
    const struct life_paths *p)
{
	struct pin_isolation iso;
	struct topo_set cur, host, took;
	struct strbuf hs, ts;
	struct diags d;
	const char *w[2];
	char give[512];
	char *apply[6];
	int rv, c;

	if (!ld->vm.life.isolate)
		return (0);
	if (ld->vm.plan == NULL || ld->topo == NULL) {
		say(r, DIAG_WARN, "isolate=yes needs pinned "
		    "vCPUs (pin=threads or cores); not isolating");
		return (0);
	}
	diags_init(&d);
	if (pin_isolate(ld->topo, ld->vm.plan, &iso, &d) != 0) {
		diags_free(&d);
		say(r, DIAG_WARN, "no isolation plan; not "
		    "isolating");
		return (0);
	}
	diags_free(&d);
	/*
	 * Set 1 as it is now, less this VM's CPUs: another isolated VM's
	 * CPUs stay away from the host (freebsd.md#C4, #C7).  The undo gives
	 * back only what this VM took ("cpuset +LIST", engine/life.c).
	 */
	if (life_set1_mask(h, &cur) != 0)
		cur = ld->topo->all;
	topo_set_zero(&host);
	topo_set_zero(&took);
	for (c = topo_set_next(&cur, -1); c >= 0;
	    c = topo_set_next(&cur, c + 1)) {
		if (topo_set_has(&iso.host, c))
			topo_set_add(&host, c);
		else
			topo_set_add(&took, c);
	}
	if (topo_set_count(&host) == 0 || topo_set_count(&took) == 0) {
		say(r, DIAG_WARN, topo_set_count(&host) == 0 ?
		    "no CPU would be left to the host (other isolated VMs "
		    "hold the rest); not isolating" : "the host's processes "
		    "are off the VM's CPUs already");
		pin_isolation_free(&iso);
		return (0);
	}
	sb_init(&hs);
	sb_init(&ts);
	cpuset_format(&host, &hs);
	sb_puts(&ts, "+");
	cpuset_format(&took, &ts);
	if (hs.oom || ts.oom || strlcpy(give, sb_str(&ts), sizeof(give)) >=
	    sizeof(give)) {
		sb_free(&hs);
		sb_free(&ts);
		pin_isolation_free(&iso);
		return (-1);
	}
	apply[0] = __DECONST(char *, "cpuset");
	apply[1] = __DECONST(char *, "-l");
	apply[2] = __DECONST(char *, sb_str(&hs));
	apply[3] = __DECONST(char *, "-s");
	apply[4] = __DECONST(char *, "1");
	apply[5] = NULL;
	w[0] = give;
	w[1] = NULL;
	rv = -1;
	if (undo_record(p, ld->vm.name, UNDO_CPUSET, w) == 0) {
		if (run_ok(r, h, apply, DIAG_WARN) != 0) {
			(void)undo_forget(p, ld->vm.name, UNDO_CPUSET, w);
			say(r, DIAG_WARN, "cpuset failed; not "
			    "isolating");
		} else
			say(r, DIAG_NOTE, "host processes moved "
			    "off the VM's CPUs");
		rv = 0;
	}
	sb_free(&hs);
	sb_free(&ts);
	pin_isolation_free(&iso);
	return (rv);
}

/*
 * console=/dev/nmdmNA: the nmdm(4) devices exist only once nmdm.ko is
 * loaded (freebsd.md#N1); bhyve would fail to open the port.  Loaded
 * before bhyve runs, and left loaded (like vmm.ko): other consoles may
 * use it.
 */
static int
start_nmdm(struct srun *r, struct host *h, const struct vm_load *ld)
{
	bool loaded;
	int e;

	if (ld->vm.console == NULL ||
	    strncmp(ld->vm.console, "/dev/nmdm", 9) != 0)
		return (0);
	if (h->ops->kld_loaded(h, "nmdm", &loaded) == 0 && loaded)
		return (0);
	if ((e = h->ops->kld_load(h, "nmdm")) != 0 && e != EEXIST) {
		say(r, DIAG_ERROR, "kldload nmdm: %s: bhyve could not open "
		    "the console; use console=none, or a kernel with device "
		    "nmdm", sys_strerror(e));
		return (-1);
	}
	say(r, DIAG_NOTE, "loaded nmdm.ko for the console");
	return (0);
}

/* A VM of this name in the kernel that no bhyve runs is destroyed. */
static int
start_stale(struct srun *r, struct host *h, const char *name,
    const struct life_paths *p)
{
	struct sup_status st;
	struct host_probe pr;
	char why[PATH_MAX + 512];
	bool alive;
	int e;

	if (!life_vm_exists(h, name))
		return (0);
	/* A damaged status file: its bhyve may run; never destroy it. */
	if ((e = life_status_look(p, &st, why, sizeof(why))) != 0 &&
	    e != ENOENT) {
		say(r, DIAG_ERROR, "its VM exists and may be running (%s)",
		    why);
		return (-1);
	}
	alive = e == 0 && st.pid > 0 &&
	    h->ops->vm_probe(h, name, st.pid, &pr) == 0 && pr.alive;
	if (alive) {
		say(r, DIAG_ERROR, "bhyve (pid %d) still runs this VM without "
		    "a supervisor; stop it first (ptvm stop %s)", st.pid, name);
		return (-1);
	}
	if (life_destroy(h, name) != 0) {
		say(r, DIAG_ERROR, "a stale VM of this name exists and "
		    "bhyvectl --destroy --vm=%s failed", name);
		return (-1);
	}
	say(r, DIAG_NOTE, "destroyed a stale VM of this name that no bhyve "
	    "ran");
	return (0);
}

static int
write_conf(const struct vm_load *ld, const struct life_paths *p)
{
	struct strbuf sb;
	int e;

	sb_init(&sb);
	sb_printf(&sb, "# bhyve configuration of VM %s, written by ptvm "
	    "start from\n# %s (bhyve_config(5))\n", ld->vm.name, ld->path);
	bcfg_write(&ld->vm.cfg, &sb);
	e = sb.oom ? ENOMEM : p->h->ops->st_write(p->h, p->conf, sb_str(&sb),
	    sb.len, 0600, 0);
	sb_free(&sb);
	return (e);
}

/*
 * The parent of a daemon: waits for "running PID" or "ended CODE WHY",
 * perhaps followed by "error MESSAGE" (lib/ctlmsg.h).
 */
static int
start_wait(struct srun *r, struct host *h, int fd,
    const struct life_paths *p)
{
	struct ctl_msg m, em;
	char buf[2 * CTL_LINEMAX], *end;
	size_t n, l1;
	ssize_t k;
	bool err;

	n = 0;
	while (n < sizeof(buf) - 1 &&
	    (k = h->ops->fd_read(h, fd, buf + n, sizeof(buf) - 1 - n)) != 0) {
		if (k < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		n += (size_t)k;
	}
	(void)h->ops->fd_close(h, fd);
	buf[n] = '\0';
	err = false;
	end = memchr(buf, '\n', n);
	l1 = end != NULL ? (size_t)(end - buf) : n;
	if (end != NULL) {
		end++;
		err = ctl_parse(CTL_CH_START, end, strcspn(end, "\n"),
		    &em) == 0 && em.kind == CTL_ERROR;
	}
	if (ctl_parse(CTL_CH_START, buf, l1, &m) == 0 &&
	    m.kind == CTL_RUNNING) {
		say(r, DIAG_NOTE, "running, bhyve pid %d; log %s", m.pid,
		    p->log);
		return (EXIT_OK);
	}
	if (ctl_parse(CTL_CH_START, buf, l1, &m) == 0 &&
	    m.kind == CTL_ENDED) {
		say(r, m.code == 0 ? DIAG_NOTE : DIAG_ERROR, "ended: %s",
		    m.text);
		if (err)
			say(r, DIAG_ERROR, "bhyve said %s", em.text);
		if (m.code != 0)
			note(r, "see %s", p->log);
		return (m.code == 0 ? EXIT_OK : EXIT_FAIL);
	}
	say(r, DIAG_ERROR, "the supervisor ended without a word; see %s",
	    p->log);
	return (EXIT_FAIL);
}

/* The daemon: the supervisor, its pidfile written by it (its pid). */
struct daemon_arg {
	struct srun	*r;
	struct host	*h;
	struct vm_load	*ld;
	const struct life_paths *p;
	void		*pfh;
	bool		 force;
};

static int
daemon_main(void *arg, int wfd)
{
	struct daemon_arg *a = arg;
	struct supervise_opts o = { .foreground = false, .force = a->force };
	int rv;

	(void)a->h->ops->pid_write(a->h, a->pfh);
	o.ready_fd = wfd;
	rv = supervise(a->r->eng, a->h, a->ld, a->p, &o);
	a->h->ops->pid_close(a->h, a->pfh, true);
	return (rv);
}

static int
daemonize(struct srun *r, struct host *h, struct vm_load *ld,
    const struct life_paths *p, void *pfh, bool force)
{
	struct daemon_arg a = { r, h, ld, p, pfh, force };
	int fd;

	if (h->ops->daemonize(h, daemon_main, &a, &fd) != 0)
		return (EXIT_FAIL);
	return (start_wait(r, h, fd, p));
}

/*
 * What an interrupted start left: an undo journal with no supervisor
 * (issue 14, item 9).  Its changes are undone first, bindings kept on
 * ppt, so this start begins from the host as it was.
 */
static void
start_pending(struct srun *r, struct host *h, const struct vm_load *ld,
    const struct life_paths *p)
{
	struct sup_status st;
	struct host_probe pr;
	struct diags d;
	char what[256];
	size_t n;
	bool alive;

	if (life_undo_pending(p, &n, what, sizeof(what)) != 0 || n == 0)
		return;
	/* A bhyve that still runs keeps its changes (start_stale refuses). */
	diags_init(&d);
	alive = life_status_read(p, &st, &d) == 0 && st.pid > 0 &&
	    h->ops->vm_probe(h, ld->vm.name, st.pid, &pr) == 0 && pr.alive;
	diags_free(&d);
	if (alive)
		return;
	say(r, DIAG_WARN, "an earlier start or supervisor left host changes "
	    "without a VM; undoing them first");
	note(r, "pending: %s", what);
	(void)undo_restore(r->eng, h, ld->vm.name, false, life_say, r);
}

/*
 * The claim: a status file "starting" with the VM's devices, written while
 * the host lock is held, so that every other start, bind and check sees
 * them as taken from now on (life_vm_list).  *prev keeps what was there.
 */
static int
start_claim(struct srun *r, const struct vm_load *ld,
    const struct life_paths *p, struct sup_status *prev, bool *had_prev)
{
	struct sup_status st;
	struct diags d;
	size_t i;
	int e;

	diags_init(&d);
	*had_prev = life_status_read(p, prev, &d) == 0;
	diags_free(&d);
	if (*had_prev)
		st = *prev;
	else
		sup_status_init(&st);
	strlcpy(st.name, ld->vm.name, sizeof(st.name));
	st.state = SUP_STARTING;
	st.pid = 0;
	st.supervisor = p->h->ops->proc_self(p->h);
	st.ran = false;
	st.ndev = 0;
	for (i = 0; i < ld->vm.ndev && st.ndev < SUP_STATUS_MAXDEV; i++)
		if (ld->vm.dev[i].kind == VMD_PASSTHRU)
			st.dev[st.ndev++] = ld->vm.dev[i].host;
	strlcpy(st.log, p->log, sizeof(st.log));
	if ((e = life_status_write(p, &st)) != 0)
		diag_err(r->eng->diags, p->status, 0, "%s", sys_strerror(e));
	return (e != 0 ? -1 : 0);
}

/* A start that failed before the supervisor: the claim is withdrawn. */
static void
start_unclaim(const struct life_paths *p, const struct sup_status *prev,
    bool had_prev)
{

	if (had_prev)
		(void)life_status_write(p, prev);
	else
		(void)p->h->ops->st_remove(p->h, p->status);
}

int
eng_start(struct eng *eng, const char *arg, const struct eng_start_opts *so)
{
	struct supervise_opts o = { .foreground = true, .force = so->force,
	    .ready_fd = -1, .report = so->log, .arg = so->arg };
	struct sup_status prev;
	struct life_paths p;
	struct vm_load ld;
	void *pfh;
	struct host *h;
	struct srun r;
	char lock[PATH_MAX];
	int other;
	bool claimed, had_prev;
	int rv, e, hl;

	if (eng_host(eng, &h) != 0)
		return (EXIT_FAIL);
	vm_load_init(&ld);
	pfh = NULL;
	rv = EXIT_FAIL;
	hl = -1;
	claimed = had_prev = false;
	r.eng = eng;
	r.fn = so->report;
	r.arg = so->arg;
	r.name = arg;
	if (vm_load(eng, arg, &ld) != 0)
		goto out;
	r.name = ld.vm.name;
	if ((e = life_paths(h, ld.vm.name, &p)) != 0 ||
	    (e = h->ops->st_mkdir(h, h->rundir, 0755)) != 0) {
		diag_err(eng->diags, h->rundir, 0, "%s", sys_strerror(e));
		goto out;
	}
	(void)life_recover(eng, h, ld.vm.name, false, NULL, life_say, &r);
	other = 0;
	/* bhyve does not inherit the lock: it would outlive us with it. */
	if ((e = h->ops->pid_open(h, p.pid, 0600, &pfh, &other)) != 0) {
		if (e == EEXIST)
			say(&r, DIAG_ERROR, "already running (supervisor pid "
			    "%d); ptvm status %s", other, ld.vm.name);
		else
			diag_err(eng->diags, p.pid, 0, "%s", sys_strerror(e));
		goto out;
	}
	start_pending(&r, h, &ld, &p);
	/* One start at a time decides and claims (life_host_lock). */
	if ((hl = life_host_lock(h)) < 0) {
		(void)snprintf(lock, sizeof(lock), "%s/host.lock", h->rundir);
		diag_err(eng->diags, lock, 0, "%s", sys_strerror(errno));
		goto fail;
	}
	if (start_dirty(&r, &p, &ld.vm, so->force) ||
	    (so->preflight != NULL && so->preflight(so->arg, &ld) != 0) ||
	    start_stale(&r, h, ld.vm.name, &p) != 0 ||
	    start_claim(&r, &ld, &p, &prev, &had_prev) != 0)
		goto fail;
	claimed = true;
	life_unlock(h, hl);
	hl = -1;
	if (start_bind(&r, h, &ld, &p) != 0 ||
	    start_consmute(&r, h, &ld, &p) != 0 ||
	    start_taps(&r, h, &ld, &p) != 0 ||
	    start_isolate(&r, h, &ld, &p) != 0 || start_nmdm(&r, h, &ld) != 0 ||
	    tpm_start(eng, h, &ld, &p, so->report, so->arg) != 0)
		goto undo;
	/* Written once the taps have their names (start_taps). */
	if ((e = write_conf(&ld, &p)) != 0) {
		diag_err(eng->diags, p.conf, 0, "%s", sys_strerror(e));
		goto undo;
	}
	claimed = false;		/* the supervisor's status from now on */
	if (!so->foreground) {
		rv = daemonize(&r, h, &ld, &p, pfh, so->force);
		h->ops->pid_close(h, pfh, false);
		pfh = NULL;
		goto out;
	}
	(void)h->ops->pid_write(h, pfh);
	rv = supervise(eng, h, &ld, &p, &o);
	goto fail;
undo:
	(void)undo_restore(eng, h, ld.vm.name, true, life_say, &r);
fail:
	if (claimed)
		start_unclaim(&p, &prev, had_prev);
	life_unlock(h, hl);
	if (pfh != NULL)
		h->ops->pid_close(h, pfh, true);
	pfh = NULL;
out:
	vm_load_free(&ld);
	return (rv);
}
