/*
 * cmd_life.c: "ptvm start", "stop", "restart", "status", "list",
 * "console" and "host restore".
 */
#include "compat.h"

#include <sys/param.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libutil.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bind.h"
#include "check.h"
#include "ctlmsg.h"
#include "life.h"
#include "pcicfg.h"
#include "pin.h"
#include "util.h"

#define CONSMUTE	"kern.consmute"

static void
print_fn(void *arg, enum diag_level lvl, const char *msg)
{
	const char *name = arg;

	fprintf(lvl == DIAG_NOTE ? stdout : stderr, "%s: %s%s\n", name,
	    lvl == DIAG_ERROR ? "error: " : lvl == DIAG_WARN ? "warning: " :
	    "", msg);
	fflush(stdout);
}

static void
bind_print(void *arg, const char *line)
{

	print_fn(arg, DIAG_NOTE, line);
}

/* The sentence of a signature name from a status file. */
static const char *
sig_text(const char *name)
{
	int k;

	for (k = PCICFG_SIG_NONE; k <= PCICFG_SIG_DEAD; k++)
		if (strcmp(name, pcicfg_sig_name((enum pcicfg_sig)k)) == 0)
			return (pcicfg_sig_text((enum pcicfg_sig)k));
	return ("unknown signature");
}

/*
 * The last run's configuration-space diff of a function, from the saves
 * the supervisor left in RUNDIR/NAME.pci/; NULL when there are none.
 */
static struct pcicfg_diff *
evidence_diff(struct host *h, const char *vm, const struct pci_sel *sel)
{
	struct pcicfg *img[2];
	struct pcicfg_diff *df;
	struct diags d;
	char path[PATH_MAX], name[40], *buf;
	const char *when[2] = { "before", "after" };
	size_t len;
	int k, bad;

	pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
	img[0] = malloc(sizeof(struct pcicfg));
	img[1] = malloc(sizeof(struct pcicfg));
	df = malloc(sizeof(*df));
	bad = img[0] == NULL || img[1] == NULL || df == NULL;
	diags_init(&d);
	for (k = 0; k < 2 && !bad; k++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s.pci/%s-%s.txt",
		    h->rundir, vm, when[k], name) >= sizeof(path) ||
		    sys_read_file(path, PCICFG_MAXFILE, &buf, &len) != 0) {
			bad = 1;
			break;
		}
		bad = pcicfg_parse(buf, len, path, NULL, img[k], &d) != 0;
		free(buf);
	}
	diags_free(&d);
	if (!bad)
		pcicfg_diff(img[0], img[1], df);
	free(img[0]);
	free(img[1]);
	if (bad) {
		free(df);
		return (NULL);
	}
	return (df);
}

/*
 * Start.
 */

/* The dirty marks of the VM's devices; prints them, true when any. */
static bool
start_dirty(const struct life_paths *p, const struct vm *vm, bool force)
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
		fprintf(stderr, "ptvm: %s: cannot be read; remove it if it "
		    "is damaged\n", p->dirty);
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
		t = (time_t)m->time;
		if (localtime_r(&t, &tm) == NULL ||
		    strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm) == 0)
			strlcpy(when, "?", sizeof(when));
		fprintf(stderr, "ptvm: %s: %s is dirty: VM %s ended at %s "
		    "without the guest shutting it down (%s).\n", vm->name,
		    sel, m->vm, when, m->reason);
		if (life_paths_of(p, m->vm, &op) == 0) {
			diags_init(&d);
			if (life_status_read(&op, &st, &d) == 0 &&
			    (sig = sup_status_evidence(&st, &m->sel)) != NULL &&
			    strcmp(sig, "none") != 0)
				fprintf(stderr, "ptvm: %s: %s after that run: "
				    "%s: %s\n", vm->name, sel, sig,
				    sig_text(sig));
			diags_free(&d);
		}
	}
	sup_dirty_free(&l);
	if (any && !force)
		fprintf(stderr, "ptvm: %s: a GPU left in this state (the AMD "
		    "\"reset bug\") usually fails or hangs the next VM until "
		    "the host reboots.  Reboot the host, or start with "
		    "--force to try anyway.\n", vm->name);
	else if (any)
		fprintf(stderr, "ptvm: %s: --force: starting with dirty "
		    "devices\n", vm->name);
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

static int
start_preflight(struct ptvm_ctx *ctx, struct vm_load *ld)
{
	struct checks *cs;
	size_t i;
	int rv;

	if ((cs = calloc(1, sizeof(*cs))) == NULL)
		return (-1);
	rv = 0;
	if (check_vm(ctx, ld, cs) != 0)
		rv = -1;
	for (i = 0; rv == 0 && i < cs->n; i++) {
		if (cs->c[i].status != CHK_FAIL && cs->c[i].status != CHK_WARN)
			continue;
		fprintf(stderr, "ptvm: %s: %s: %s: %s\n", ld->vm.name,
		    cs->c[i].status == CHK_FAIL ? "FAIL" : "warning",
		    cs->c[i].what, cs->c[i].msg);
		if (cs->c[i].fix[0] != '\0')
			fprintf(stderr, "ptvm: %s:   fix: %s\n", ld->vm.name,
			    cs->c[i].fix);
	}
	if (rv == 0 && cs->count[CHK_FAIL] > 0) {
		fprintf(stderr, "ptvm: %s: not started: %d check%s failed "
		    "(ptvm check %s)\n", ld->vm.name, cs->count[CHK_FAIL],
		    cs->count[CHK_FAIL] == 1 ? "" : "s", ld->vm.name);
		rv = -1;
	}
	free(cs);
	return (rv);
}

/* Moves the VM's functions that are not on ppt(4) yet, journaled. */
static int
start_bind(struct ptvm_ctx *ctx, struct host *h, struct vm_load *ld,
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
			fprintf(stderr, "ptvm: %s: cannot write %s\n",
			    ld->vm.name, p->undo);
			return (-1);
		}
	}
	bind_plan_init(&plan);
	devs = NULL;
	rv = -1;
	if (bind_env_read(ctx, h, &env) == 0 &&
	    bind_resolve(ctx, &env, (int)n, av, &devs, &ndevs) == 0 &&
	    bind_plan_make(&env.st, devs, ndevs, &bo, &plan,
	    &ctx->diags) == 0)
		rv = bind_execute(ctx, h, &env, &plan, bind_print,
		    ld->vm.name) == EXIT_OK ? 0 : -1;
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
start_consmute(struct host *h, struct vm_load *ld, const struct life_paths *p)
{
	const char *w[3];
	char *old;
	int e;

	if (!has_gpu(ld))
		return (0);
	if ((e = h->ops->sysctl_get(h, CONSMUTE, &old)) != 0) {
		print_fn(ld->vm.name, DIAG_WARN, "cannot read " CONSMUTE
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
		print_fn(ld->vm.name, DIAG_WARN, "cannot set " CONSMUTE "=1");
	} else
		print_fn(ld->vm.name, DIAG_NOTE, CONSMUTE "=1 while the VM "
		    "runs (the console stays quiet on the passed GPU)");
	free(old);
	return (0);
}

/* Runs av; when it fails, says why (host_proc_str) at lvl for VM vm. */
static int
run_ok(struct host *h, char *const *av, const char *vm, enum diag_level lvl)
{
	struct host_proc pr;
	char why[1024];
	int e;

	if ((e = h->ops->run(h, av, &pr)) == 0 && pr.ran && pr.status != 0)
		e = EIO;
	if (e != 0)
		print_fn(__DECONST(char *, vm), lvl, host_proc_str(av,
		    e == EIO ? 0 : e, &pr, why, sizeof(why)));
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
tap_create(struct host *h, struct vm_load *ld, struct vm_dev *dv,
    const struct life_paths *p)
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
		if (run_ok(h, av, ld->vm.name, DIAG_NOTE) == 0)
			break;
		(void)undo_forget(p, ld->vm.name, UNDO_TAP, w);
	}
	if (t == TAP_TRIES) {
		print_fn(ld->vm.name, DIAG_ERROR, "ifconfig tapN create failed "
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
	(void)run_ok(h, av, ld->vm.name, DIAG_WARN);
	return (0);
}

/* A tap for each net=BRIDGE: created, joined to the bridge, up. */
static int
start_taps(struct host *h, struct vm_load *ld, const struct life_paths *p)
{
	struct vm_dev *dv;
	char *av[5];
	size_t i;

	for (i = 0; i < ld->vm.ndev; i++) {
		dv = &ld->vm.dev[i];
		if (dv->kind != VMD_NET || dv->bridge == NULL)
			continue;
		if (tap_create(h, ld, dv, p) != 0)
			return (-1);
		av[0] = __DECONST(char *, "ifconfig");
		av[1] = dv->bridge;
		av[2] = __DECONST(char *, "addm");
		av[3] = dv->ifname;
		av[4] = NULL;
		if (run_ok(h, av, ld->vm.name, DIAG_ERROR) != 0)
			return (-1);
		av[1] = dv->ifname;
		av[2] = __DECONST(char *, "up");
		av[3] = NULL;
		(void)run_ok(h, av, ld->vm.name, DIAG_WARN);
		fprintf(stdout, "%s: %s created (description \"ptvm %s net %u\") "
		    "and added to %s\n", ld->vm.name, dv->ifname, ld->vm.name,
		    dv->netidx, dv->bridge);
	}
	return (0);
}

/* isolate=yes: the host's processes leave the VM's CPUs. */
static int
start_isolate(struct host *h, struct vm_load *ld, const struct life_paths *p)
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
	if (ld->vm.plan == NULL || !ld->have_topo) {
		print_fn(ld->vm.name, DIAG_WARN, "isolate=yes needs pinned "
		    "vCPUs (pin=threads or cores); not isolating");
		return (0);
	}
	diags_init(&d);
	if (pin_isolate(&ld->topo, ld->vm.plan, &iso, &d) != 0) {
		diags_free(&d);
		print_fn(ld->vm.name, DIAG_WARN, "no isolation plan; not "
		    "isolating");
		return (0);
	}
	diags_free(&d);
	/*
	 * Set 1 as it is now, less this VM's CPUs: another isolated VM's
	 * CPUs stay away from the host (freebsd.md#C4, #C7).  The undo gives
	 * back only what this VM took ("cpuset +LIST", src/life.c).
	 */
	if (life_set1_mask(h, &cur) != 0)
		cur = ld->topo.all;
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
		print_fn(ld->vm.name, DIAG_WARN, topo_set_count(&host) == 0 ?
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
		if (run_ok(h, apply, ld->vm.name, DIAG_WARN) != 0) {
			(void)undo_forget(p, ld->vm.name, UNDO_CPUSET, w);
			print_fn(ld->vm.name, DIAG_WARN, "cpuset failed; not "
			    "isolating");
		} else
			print_fn(ld->vm.name, DIAG_NOTE, "host processes moved "
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
start_nmdm(struct host *h, const struct vm_load *ld)
{
	bool loaded;
	int e;

	if (ld->vm.console == NULL ||
	    strncmp(ld->vm.console, "/dev/nmdm", 9) != 0)
		return (0);
	if (h->ops->kld_loaded(h, "nmdm", &loaded) == 0 && loaded)
		return (0);
	if ((e = h->ops->kld_load(h, "nmdm")) != 0 && e != EEXIST) {
		fprintf(stderr, "ptvm: %s: kldload nmdm: %s: bhyve could not "
		    "open the console; use console=none, or a kernel with "
		    "device nmdm\n", ld->vm.name, strerror(e));
		return (-1);
	}
	print_fn(__DECONST(char *, ld->vm.name), DIAG_NOTE, "loaded nmdm.ko "
	    "for the console");
	return (0);
}

/* A VM of this name in the kernel that no bhyve runs is destroyed. */
static int
start_stale(struct host *h, const char *name, const struct life_paths *p)
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
		fprintf(stderr, "ptvm: %s: its VM exists and may be running "
		    "(%s)\n", name, why);
		return (-1);
	}
	alive = e == 0 && st.pid > 0 &&
	    h->ops->vm_probe(h, name, st.pid, &pr) == 0 && pr.alive;
	if (alive) {
		fprintf(stderr, "ptvm: %s: bhyve (pid %d) still runs this VM "
		    "without a supervisor; stop it first (ptvm stop %s)\n",
		    name, st.pid, name);
		return (-1);
	}
	if (life_destroy(h, name) != 0) {
		fprintf(stderr, "ptvm: %s: a stale VM of this name exists and "
		    "bhyvectl --destroy --vm=%s failed\n", name, name);
		return (-1);
	}
	print_fn(__DECONST(char *, name), DIAG_NOTE, "destroyed a stale VM "
	    "of this name that no bhyve ran");
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
	e = sb.oom ? ENOMEM : sys_write_atomic(p->conf, sb_str(&sb), sb.len,
	    0600);
	sb_free(&sb);
	return (e);
}

/*
 * The parent of a daemon: waits for "running PID" or "ended CODE WHY",
 * perhaps followed by "error MESSAGE" (lib/ctlmsg.h).
 */
static int
start_wait(const char *name, int fd, const struct life_paths *p)
{
	struct ctl_msg m, em;
	char buf[2 * CTL_LINEMAX], *end;
	size_t n, l1;
	ssize_t r;
	bool err;

	n = 0;
	while (n < sizeof(buf) - 1 &&
	    (r = read(fd, buf + n, sizeof(buf) - 1 - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		n += (size_t)r;
	}
	close(fd);
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
		printf("%s: running, bhyve pid %d; log %s\n", name, m.pid,
		    p->log);
		return (EXIT_OK);
	}
	if (ctl_parse(CTL_CH_START, buf, l1, &m) == 0 &&
	    m.kind == CTL_ENDED) {
		fprintf(m.code == 0 ? stdout : stderr, "%s%s: ended: %s\n",
		    m.code == 0 ? "" : "ptvm: ", name, m.text);
		if (err)
			fprintf(stderr, "ptvm: %s: bhyve said %s\n", name,
			    em.text);
		if (m.code != 0)
			fprintf(stderr, "ptvm: %s: see %s\n", name, p->log);
		return (m.code == 0 ? EXIT_OK : EXIT_FAIL);
	}
	fprintf(stderr, "ptvm: %s: the supervisor ended without a word; see "
	    "%s\n", name, p->log);
	return (EXIT_FAIL);
}

static int
daemonize(struct ptvm_ctx *ctx, struct host *h, struct vm_load *ld,
    const struct life_paths *p, struct pidfh *pfh, bool force)
{
	struct supervise_opts o = { .foreground = false, .force = force };
	int fds[2], fd, rv;
	pid_t pid;

	if (pipe(fds) != 0)
		return (EXIT_FAIL);
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return (EXIT_FAIL);
	}
	if (pid > 0) {
		close(fds[1]);
		return (start_wait(ld->vm.name, fds[0], p));
	}
	close(fds[0]);
	(void)fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	(void)setsid();
	(void)pidfile_write(pfh);
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	o.ready_fd = fds[1];
	rv = supervise(ctx, h, ld, p, &o);
	(void)pidfile_remove(pfh);
	_exit(rv);
}

/*
 * What an interrupted start left: an undo journal with no supervisor
 * (issue 14, item 9).  Its changes are undone first, bindings kept on
 * ppt, so this start begins from the host as it was.
 */
static void
start_pending(struct ptvm_ctx *ctx, struct host *h, const struct vm_load *ld,
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
	print_fn(__DECONST(char *, ld->vm.name), DIAG_WARN, "an earlier start "
	    "or supervisor left host changes without a VM; undoing them "
	    "first");
	fprintf(stderr, "%s: pending: %s\n", ld->vm.name, what);
	(void)undo_restore(ctx, h, ld->vm.name, false, print_fn,
	    __DECONST(char *, ld->vm.name));
}

/*
 * The claim: a status file "starting" with the VM's devices, written while
 * the host lock is held, so that every other start, bind and check sees
 * them as taken from now on (life_vm_list).  *prev keeps what was there.
 */
static int
start_claim(const struct vm_load *ld, const struct life_paths *p,
    struct sup_status *prev, bool *had_prev)
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
	st.supervisor = (int)getpid();
	st.ran = false;
	st.ndev = 0;
	for (i = 0; i < ld->vm.ndev && st.ndev < SUP_STATUS_MAXDEV; i++)
		if (ld->vm.dev[i].kind == VMD_PASSTHRU)
			st.dev[st.ndev++] = ld->vm.dev[i].host;
	strlcpy(st.log, p->log, sizeof(st.log));
	if ((e = life_status_write(p, &st)) != 0)
		fprintf(stderr, "ptvm: %s: %s: %s\n", ld->vm.name, p->status,
		    strerror(e));
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
		(void)unlink(p->status);
}

static int
start_vm(struct ptvm_ctx *ctx, const char *arg, bool fg, bool force)
{
	struct supervise_opts o = { .foreground = true, .force = force,
	    .ready_fd = -1 };
	struct sup_status prev;
	struct life_paths p;
	struct vm_load ld;
	struct pidfh *pfh;
	struct host *h;
	pid_t other;
	bool claimed, had_prev;
	int rv, e, hl;

	if (ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	vm_load_init(&ld);
	pfh = NULL;
	rv = EXIT_FAIL;
	hl = -1;
	claimed = had_prev = false;
	if (vm_load(ctx, arg, &ld) != 0)
		goto out;
	if ((e = life_paths(h, ld.vm.name, &p)) != 0 ||
	    (e = sys_mkdir_p(h->rundir, 0755)) != 0) {
		fprintf(stderr, "ptvm: %s: %s\n", h->rundir, strerror(e));
		goto out;
	}
	(void)life_recover(ctx, h, ld.vm.name, NULL, print_fn, ld.vm.name);
	other = 0;
	if ((pfh = pidfile_open(p.pid, 0600, &other)) == NULL) {
		if (errno == EEXIST)
			fprintf(stderr, "ptvm: %s: already running (supervisor "
			    "pid %d); ptvm status %s\n", ld.vm.name,
			    (int)other, ld.vm.name);
		else
			fprintf(stderr, "ptvm: %s: %s\n", p.pid,
			    strerror(errno));
		goto out;
	}
	/* bhyve must not inherit the lock: it would outlive us with it. */
	(void)fcntl(pidfile_fileno(pfh), F_SETFD, FD_CLOEXEC);
	start_pending(ctx, h, &ld, &p);
	/* One start at a time decides and claims (life_host_lock). */
	if ((hl = life_host_lock(h)) < 0) {
		fprintf(stderr, "ptvm: %s: %s/host.lock: %s\n", ld.vm.name,
		    h->rundir, strerror(errno));
		goto fail;
	}
	if (start_dirty(&p, &ld.vm, force) || start_preflight(ctx, &ld) != 0 ||
	    start_stale(h, ld.vm.name, &p) != 0 ||
	    start_claim(&ld, &p, &prev, &had_prev) != 0)
		goto fail;
	claimed = true;
	life_unlock(hl);
	hl = -1;
	if (start_bind(ctx, h, &ld, &p) != 0 ||
	    start_consmute(h, &ld, &p) != 0 || start_taps(h, &ld, &p) != 0 ||
	    start_isolate(h, &ld, &p) != 0 || start_nmdm(h, &ld) != 0)
		goto undo;
	/* Written once the taps have their names (start_taps). */
	if ((e = write_conf(&ld, &p)) != 0) {
		fprintf(stderr, "ptvm: %s: %s\n", p.conf, strerror(e));
		goto undo;
	}
	claimed = false;		/* the supervisor's status from now on */
	if (!fg) {
		rv = daemonize(ctx, h, &ld, &p, pfh, force);
		(void)pidfile_close(pfh);
		pfh = NULL;
		goto out;
	}
	(void)pidfile_write(pfh);
	rv = supervise(ctx, h, &ld, &p, &o);
	goto fail;
undo:
	(void)undo_restore(ctx, h, ld.vm.name, true, print_fn, ld.vm.name);
fail:
	if (claimed)
		start_unclaim(&p, &prev, had_prev);
	life_unlock(hl);
	if (pfh != NULL)
		(void)pidfile_remove(pfh);
	pfh = NULL;
out:
	(void)out_diags(ctx);
	vm_load_free(&ld);
	return (rv);
}

int
cmd_start(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	bool fg, force;
	int ch;

	fg = force = false;
	while ((ch = getopt_long(argc, argv, "F", lo, NULL)) != -1) {
		switch (ch) {
		case 'F':
			fg = true;
			break;
		case 'f':
			force = true;
			break;
		default:
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "one VM"));
	return (start_vm(ctx, argv[0], fg, force));
}

/*
 * Stop.
 */

static int
stop_connect(const struct life_paths *p)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, p->sock, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return (-1);
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		close(fd);
		return (-1);
	}
	return (fd);
}

static void
countdown_clear(bool *shown)
{

	if (*shown) {
		fprintf(stderr, "\r\033[K");
		*shown = false;
	}
}

/*
 * One line of the supervisor (lib/ctlmsg.h); 1 when the stop is over, *rv
 * its result, *done whether the supervisor said it ends.  A line that is
 * not a reply is ignored.
 */
static int
stop_line(const char *name, const char *line, size_t len, int64_t *deadline,
    bool *shown, int *rv, bool *done)
{
	struct ctl_msg m;

	countdown_clear(shown);
	if (ctl_parse(CTL_CH_REPLY, line, len, &m) != 0)
		return (0);
	switch (m.kind) {
	case CTL_WAIT:
		*deadline = life_mono_ms() + (int64_t)m.seconds * 1000;
		printf("%s: stopping through ACPI; waiting up to %d s\n",
		    name, m.seconds);
		fflush(stdout);
		return (0);
	case CTL_LOG:
		printf("%s: %s\n", name, m.text);
		fflush(stdout);
		return (0);
	case CTL_GAVEUP:
		fprintf(stderr, "ptvm: %s: still running; stopped waiting "
		    "(ptvm stop --force %s kills it and marks its devices "
		    "dirty)\n", name, name);
		*rv = EXIT_FAIL;
		return (1);
	case CTL_DONE:
		printf("%s: stopped: %s\n", name, m.text);
		*rv = m.code == 0 ? EXIT_OK : EXIT_FAIL;
		*done = true;
		return (1);
	case CTL_ERROR:
		fprintf(stderr, "ptvm: %s: the supervisor says: %s\n", name,
		    m.text);
		*rv = EXIT_FAIL;
		return (1);
	default:
		return (0);
	}
}

/* Asks the supervisor to stop the VM and follows it to the end. */
/* Waits up to ms for the bhyve of st to end; true when it did. */
static bool
stop_wait_gone(struct host *h, const struct sup_status *st, int64_t ms)
{
	struct host_probe pr;
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int64_t end;

	end = life_mono_ms() + ms;
	for (;;) {
		/* No more its bhyve, and the process itself gone (or 2 s). */
		if (h->ops->vm_probe(h, st->name, st->pid, &pr) != 0 ||
		    !pr.alive) {
			end = life_mono_ms() + 2000;
			while (kill(st->pid, 0) == 0 && life_mono_ms() < end)
				(void)nanosleep(&ts, NULL);
			return (true);
		}
		if (life_mono_ms() >= end)
			return (false);
		(void)nanosleep(&ts, NULL);
	}
}

/*
 * A bhyve whose supervisor is gone (issue 14, item 10): stop presses the
 * power button itself and waits, within the same time as the supervisor
 * would, so that a shutdown does not cut the guest off; then it puts the
 * host back.  bhyve destroys its VM when the guest powers off
 * (destroy_on_poweroff, freebsd.md#B1), so a VM gone from the kernel is a
 * clean power-off; anything else is an end nobody saw (life_recover).
 */
static int
stop_unsupervised(struct ptvm_ctx *ctx, struct host *h,
    const struct life_paths *p, struct sup_status *st,
    const struct host_probe *pr, int timeout, bool force, int within)
{
	struct vm_load ld;
	const char *name = st->name;
	bool gone;

	if (timeout <= 0) {
		timeout = 120;
		vm_load_init(&ld);
		if (vm_load(ctx, name, &ld) == 0)
			timeout = ld.vm.life.stop_timeout;
		vm_load_free(&ld);
		diags_free(&ctx->diags);
		diags_init(&ctx->diags);
	}
	if (within > 0 && timeout > within)
		timeout = within;
	if (pr->acpi == 0 && !force) {
		fprintf(stderr, "ptvm: %s: bhyve %d runs without a supervisor "
		    "and its guest has not enabled ACPI, so SIGTERM would end "
		    "bhyve at once (pm.c, freebsd.md#B4); not stopping it: try "
		    "again later, or stop --force kills it\n", name, st->pid);
		return (EXIT_FAIL);
	}
	if (pr->acpi != 0) {
		if (kill(st->pid, SIGTERM) != 0) {
			fprintf(stderr, "ptvm: %s: SIGTERM to bhyve %d: %s\n",
			    name, st->pid, strerror(errno));
			return (EXIT_FAIL);
		}
		printf("%s: no supervisor; pressed the ACPI power button of "
		    "bhyve %d; waiting up to %d s\n", name, st->pid, timeout);
		fflush(stdout);
		gone = stop_wait_gone(h, st, (int64_t)timeout * 1000);
	} else
		gone = false;
	if (!gone && !force) {
		printf("%s: the guest did not power off within %d s; it still "
		    "runs\n", name, timeout);
		return (EXIT_FAIL);
	}
	if (!gone) {
		printf("%s: killing bhyve %d (its devices will be marked "
		    "dirty)\n", name, st->pid);
		(void)kill(st->pid, SIGKILL);
		if (!stop_wait_gone(h, st, 5000)) {
			fprintf(stderr, "ptvm: %s: bhyve %d survived SIGKILL\n",
			    name, st->pid);
			return (EXIT_FAIL);
		}
	}
	if (gone && !life_vm_exists(h, name)) {
		/* What bhyve wrote with nobody reading goes to the log. */
		life_out_orphan(p, true, print_fn, __DECONST(char *, name));
		/* bhyve powered off and destroyed the VM: a clean end. */
		st->state = SUP_STOPPED;
		st->pid = st->supervisor = 0;
		st->has_last = true;
		st->last_kind = SUP_K_POWEROFF;
		st->last_exit.signaled = false;
		st->last_exit.code = 1;
		st->last_exit.failed = false;
		st->last_ran = true;
		st->last_dirty = false;
		st->last_time = life_wall_ms() / 1000;
		strlcpy(st->last_why, "bhyve powered off after a stop request "
		    "(no supervisor: the VM destroyed itself)",
		    sizeof(st->last_why));
		(void)life_status_write(p, st);
		(void)undo_restore(ctx, h, name, false, print_fn,
		    __DECONST(char *, name));
		printf("%s: stopped: %s\n", name, st->last_why);
		return (EXIT_OK);
	}
	(void)life_recover(ctx, h, name, NULL, print_fn,
	    __DECONST(char *, name));
	return (gone ? EXIT_OK : EXIT_FAIL);
}

static int
stop_vm(struct ptvm_ctx *ctx, const char *name, int timeout, bool force,
    int within)
{
	struct life_paths p;
	struct sup_status st;
	struct host_probe pr;
	struct pollfd pfd;
	struct diags d;
	struct host *h;
	struct ctl_msg m;
	char buf[1024], req[CTL_LINEMAX], *nl;
	int64_t deadline, now;
	size_t n;
	ssize_t r;
	bool tty, shown, done;
	int fd, spid, rv, len;

	if (ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	if (life_paths(h, name, &p) != 0) {
		fprintf(stderr, "ptvm: %s: not a VM name\n", name);
		return (EXIT_USAGE);
	}
	if (!life_supervisor(&p, &spid)) {
		diags_init(&d);
		if (life_status_read(&p, &st, &d) == 0 && st.pid > 0 &&
		    h->ops->vm_probe(h, name, st.pid, &pr) == 0 && pr.alive) {
			diags_free(&d);
			return (stop_unsupervised(ctx, h, &p, &st, &pr,
			    timeout, force, within));
		}
		diags_free(&d);
		printf("%s: not running\n", name);
		return (EXIT_OK);
	}
	if ((fd = stop_connect(&p)) < 0) {
		/* No socket: SIGTERM makes the supervisor stop gracefully. */
		if (spid > 0 && kill(spid, SIGTERM) == 0) {
			printf("%s: asked the supervisor (pid %d) to stop the "
			    "VM\n", name, spid);
			return (EXIT_OK);
		}
		fprintf(stderr, "ptvm: %s: cannot reach the supervisor: %s\n",
		    name, strerror(errno));
		return (EXIT_FAIL);
	}
	ctl_init(&m, CTL_STOP);
	m.timeout = timeout;
	m.force = force;
	m.within = within;
	if ((len = ctl_format(&m, req, sizeof(req))) < 0 ||
	    send(fd, req, (size_t)len, 0) != (ssize_t)len) {
		close(fd);
		return (EXIT_FAIL);
	}
	tty = isatty(STDERR_FILENO) != 0;
	shown = done = false;
	deadline = -1;
	rv = EXIT_FAIL;
	n = 0;
	for (;;) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, tty && deadline >= 0 ? 1000 : -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents == 0) {
			now = life_mono_ms();
			fprintf(stderr, "\r\033[K%s: waiting for the guest to "
			    "power off: %lld s", name, (long long)(deadline >
			    now ? (deadline - now + 999) / 1000 : 0));
			shown = true;
			continue;
		}
		r = recv(fd, buf + n, sizeof(buf) - 1 - n, 0);
		if (r <= 0) {
			countdown_clear(&shown);
			if (r < 0 && errno == EINTR)
				continue;
			/* The supervisor ended: its status says how. */
			diags_init(&d);
			if (life_status_read(&p, &st, &d) == 0 &&
			    st.state == SUP_STOPPED && st.has_last) {
				printf("%s: stopped: %s\n", name, st.last_why);
				rv = st.last_kind == SUP_K_POWEROFF ||
				    st.last_kind == SUP_K_REBOOT ? EXIT_OK :
				    EXIT_FAIL;
			}
			diags_free(&d);
			break;
		}
		n += (size_t)r;
		buf[n] = '\0';
		while ((nl = strchr(buf, '\n')) != NULL) {
			*nl = '\0';
			if (stop_line(name, buf, (size_t)(nl - buf), &deadline,
			    &shown, &rv, &done)) {
				close(fd);
				if (done)
					life_supervisor_wait(&p, 10);
				return (rv);
			}
			n -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, n + 1);
		}
		if (n >= sizeof(buf) - 1)
			n = 0;
	}
	close(fd);
	return (rv);
}

static int
stop_opts(struct ptvm_ctx *ctx, int argc, char **argv, int *timeout,
    bool *force, int *within, int *argi)
{
	static const struct option lo[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "within", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	long long v;
	int ch;

	*timeout = *within = 0;
	*force = false;
	while ((ch = getopt_long(argc, argv, "t:", lo, NULL)) != -1) {
		switch (ch) {
		case 't':
		case 'w':
			if (util_strtonum(optarg, 1, 86400, &v) != 0) {
				(void)out_usage_error(ctx->cmdname, ctx->cmd,
				    "%s: %s: seconds from 1 to 86400",
				    ch == 't' ? "-t" : "--within", optarg);
				return (-1);
			}
			*(ch == 't' ? timeout : within) = (int)v;
			break;
		case 'f':
			*force = true;
			break;
		default:
			(void)out_usage_error(ctx->cmdname, ctx->cmd, NULL);
			return (-1);
		}
	}
	*argi = optind;
	if (argc - optind != 1) {
		(void)out_usage_error(ctx->cmdname, ctx->cmd, "one VM");
		return (-1);
	}
	return (0);
}

int
cmd_stop(struct ptvm_ctx *ctx, int argc, char **argv)
{
	int timeout, within, argi;
	bool force;

	if (stop_opts(ctx, argc, argv, &timeout, &force, &within, &argi) != 0)
		return (EXIT_USAGE);
	return (stop_vm(ctx, argv[argi], timeout, force, within));
}

int
cmd_restart(struct ptvm_ctx *ctx, int argc, char **argv)
{
	int timeout, within, argi, rv;
	bool force;

	if (stop_opts(ctx, argc, argv, &timeout, &force, &within, &argi) != 0)
		return (EXIT_USAGE);
	if (!vm_name_ok(argv[argi])) {
		fprintf(stderr, "ptvm: %s: restart takes a VM name\n",
		    argv[argi]);
		return (EXIT_USAGE);
	}
	rv = stop_vm(ctx, argv[argi], timeout, force, within);
	if (rv != EXIT_OK) {
		fprintf(stderr, "ptvm: %s: not started again\n", argv[argi]);
		return (rv);
	}
	return (start_vm(ctx, argv[argi], false, force));
}

/*
 * Status and list.
 */

struct vmstate {
	struct host	*h;
	char		 name[VM_NAMEMAX + 1];
	struct sup_status st;
	bool		 have_st;
	bool		 supervised;
	bool		 bhyve_alive;
	const char	*state;		/* what to show */
	struct vm_load	 ld;
	bool		 have_vm;
	struct sup_dirty_list dirty;
	char		 out[PATH_MAX];	/* bhyve's output file */
	size_t		 npending;	/* undo entries with no supervisor */
	char		 pending[256];
	char		 why[PATH_MAX + 512];	/* the status file is damaged */
	char		 dirty_why[PATH_MAX + 512]; /* the dirty file is */
};

/* The dirty file that cannot be read or parsed, in life.h's words. */
static void
dirty_look(const struct life_paths *p, struct sup_dirty_list *l, char *why,
    size_t wl)
{
	struct diags d;
	struct diag *x;
	int e;

	why[0] = '\0';
	diags_init(&d);
	e = dirty_read(p, l, &d);
	x = STAILQ_FIRST(&d.head);
	if (e == EINVAL)
		(void)snprintf(why, wl, "%s is damaged (line %u: %s); the "
		    "passed-through functions may be dirty", p->dirty,
		    x != NULL ? x->line : 0, x != NULL ? x->msg : "no parse");
	else if (e != 0)
		(void)snprintf(why, wl, "%s cannot be read: %s; the "
		    "passed-through functions may be dirty", p->dirty,
		    strerror(e));

	diags_free(&d);
}

static void
vmstate_read(struct ptvm_ctx *ctx, struct host *h, const char *name,
    struct vmstate *vs)
{
	struct life_paths p;
	struct host_probe pr;
	int spid;

	memset(vs, 0, sizeof(*vs));
	vs->h = h;
	strlcpy(vs->name, name, sizeof(vs->name));
	vm_load_init(&vs->ld);
	sup_dirty_init(&vs->dirty);
	sup_status_init(&vs->st);
	vs->state = "stopped";
	if (life_paths(h, name, &p) != 0)
		return;
	strlcpy(vs->out, p.out, sizeof(vs->out));
	vs->have_st = life_status_look(&p, &vs->st, vs->why,
	    sizeof(vs->why)) == 0;
	dirty_look(&p, &vs->dirty, vs->dirty_why, sizeof(vs->dirty_why));
	vs->supervised = life_supervisor(&p, &spid);
	if (vs->have_st && vs->st.pid > 0 &&
	    h->ops->vm_probe(h, name, vs->st.pid, &pr) == 0)
		vs->bhyve_alive = pr.alive;
	if (vs->have_st)
		vs->state = sup_state_name(vs->st.state);
	if (vs->have_st && vs->st.state != SUP_STOPPED && !vs->supervised)
		vs->state = vs->bhyve_alive ? "unsupervised" :
		    vs->st.state == SUP_STARTING && vs->st.pid == 0 ?
		    "interrupted" : "lost";
	/* Host changes nobody will undo: an interrupted start, a crash. */
	if (!vs->supervised && life_undo_pending(&p, &vs->npending,
	    vs->pending, sizeof(vs->pending)) != 0) {
		vs->npending = 1;
		strlcpy(vs->pending, "the undo journal cannot be read",
		    sizeof(vs->pending));
	}
	/* Damaged: it may be running, as the disk commands say too. */
	if (vs->why[0] != '\0')
		vs->state = "unknown";
	/* Quietly: status of a VM whose file has errors still works. */
	vs->have_vm = vm_load(ctx, name, &vs->ld) == 0;
	diags_free(&ctx->diags);
	diags_init(&ctx->diags);
}

static void
vmstate_free(struct vmstate *vs)
{

	vm_load_free(&vs->ld);
	sup_dirty_free(&vs->dirty);
}

static const char *
console_b(const struct vm *vm, char *buf, size_t sz)
{
	size_t n;

	if (vm->console == NULL || strlcpy(buf, vm->console, sz) >= sz)
		return (NULL);
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == 'A')
		buf[n - 1] = 'B';
	return (buf);
}

static int64_t
uptime_s(const struct vmstate *vs)
{
	int64_t now;

	if (!vs->have_st || vs->st.state == SUP_STOPPED || vs->st.started <= 0)
		return (-1);
	now = life_wall_ms() / 1000;
	return (now > vs->st.started ? now - vs->st.started : 0);
}

static void
fmt_dur(int64_t s, char *buf, size_t sz)
{

	if (s < 0)
		strlcpy(buf, "-", sz);
	else if (s < 3600)
		snprintf(buf, sz, "%lldm%02llds", (long long)(s / 60),
		    (long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, sz, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else
		snprintf(buf, sz, "%lldd%02lldh", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
}

static void
status_json(struct vmstate *vs, struct json *j)
{
	struct pcicfg_diff *df;
	const struct sup_dirty *m;
	const struct vm *vm = &vs->ld.vm;
	struct pci_sel sels[SUP_STATUS_MAXDEV];
	char sel[32], buf[64];
	size_t i, n;
	int k;

	json_obj(j, NULL);
	json_str(j, "name", vs->name);
	json_str(j, "state", vs->state);
	json_bool(j, "supervised", vs->supervised);
	json_str(j, "undo_pending", vs->npending > 0 ? vs->pending : NULL);
	json_int(j, "pid", vs->have_st ? vs->st.pid : 0);
	json_int(j, "supervisor", vs->have_st ? vs->st.supervisor : 0);
	if (uptime_s(vs) >= 0)
		json_int(j, "uptime", uptime_s(vs));
	else
		json_null(j, "uptime");
	json_int(j, "restarts", vs->have_st ? vs->st.restarts : 0);
	if (vs->have_st && vs->st.acpi >= 0)
		json_bool(j, "acpi", vs->st.acpi > 0);
	else
		json_null(j, "acpi");
	if (vs->have_vm) {
		json_int(j, "cpus", vm->ncpus);
		json_arr(j, "pins");
		for (k = 0; k < vm->ncpus; k++)
			json_int(j, NULL, vm->pin != NULL ? vm->pin[k] : -1);
		json_end(j);
		json_int(j, "memory", (long long)vm->memory);
		if (vm->vnc != NULL)
			json_str(j, "vnc", vm->vnc);
		else
			json_null(j, "vnc");
		if (console_b(vm, buf, sizeof(buf)) != NULL)
			json_str(j, "console", buf);
		else
			json_null(j, "console");
		json_int(j, "stop_timeout", vm->life.stop_timeout);
	}
	/* The devices: the VM file's, else the last run's. */
	n = 0;
	if (vs->have_vm) {
		for (i = 0; i < vm->ndev && n < nitems(sels); i++)
			if (vm->dev[i].kind == VMD_PASSTHRU)
				sels[n++] = vm->dev[i].host;
	} else if (vs->have_st)
		for (i = 0; i < vs->st.ndev; i++)
			sels[n++] = vs->st.dev[i];
	json_arr(j, "devices");
	for (i = 0; i < n; i++) {
		pci_sel_fmt(&sels[i], SEL_PCICONF, sel, sizeof(sel));
		m = sup_dirty_find(&vs->dirty, &sels[i]);
		json_obj(j, NULL);
		json_str(j, "selector", sel);
		json_bool(j, "dirty", m != NULL);
		json_str(j, "signature", vs->have_st ?
		    sup_status_evidence(&vs->st, &sels[i]) : NULL);
		if ((df = evidence_diff(vs->h, vs->name, &sels[i])) != NULL) {
			pcicfg_diff_json(df, j, "evidence");
			free(df);
		} else
			json_null(j, "evidence");
		if (m != NULL) {
			json_str(j, "dirty_vm", m->vm);
			json_int(j, "dirty_since", m->time);
			json_str(j, "dirty_reason", m->reason);
		}
		json_end(j);
	}
	json_end(j);
	if (vs->have_st && vs->st.has_last) {
		json_obj(j, "last_exit");
		json_str(j, "kind", sup_kind_name(vs->st.last_kind));
		if (vs->st.last_exit.signaled) {
			json_null(j, "status");
			json_int(j, "signal", vs->st.last_exit.code);
		} else {
			json_int(j, "status", vs->st.last_exit.code);
			json_null(j, "signal");
		}
		json_str(j, "meaning", vs->st.last_kind == SUP_K_LOST ?
		    "supervisor lost" : sup_exit_meaning(&vs->st.last_exit,
		    vs->st.last_ran));
		json_bool(j, "guest_ran", vs->st.last_ran);
		json_bool(j, "dirty", vs->st.last_dirty);
		json_int(j, "time", vs->st.last_time);
		json_str(j, "why", vs->st.last_why);
		json_end(j);
	} else
		json_null(j, "last_exit");
	if (vs->why[0] != '\0')
		json_str(j, "error", vs->why);
	else if (vs->have_st && vs->st.error[0] != '\0')
		json_str(j, "error", vs->st.error);
	else
		json_null(j, "error");
	if (vs->dirty_why[0] != '\0')
		json_str(j, "dirty_error", vs->dirty_why);
	else
		json_null(j, "dirty_error");
	json_str(j, "log", vs->have_st && vs->st.log[0] != '\0' ?
	    vs->st.log : "");
	json_end(j);
}

static void
status_text(struct vmstate *vs)
{
	struct pcicfg_diff *df;
	const char *sig;
	const struct sup_dirty *m;
	const struct vm *vm = &vs->ld.vm;
	char sel[32], buf[64], dur[32];
	size_t i;
	int k;

	printf("%s: %s", vs->name, vs->state);
	if (vs->why[0] != '\0')
		printf(" (%s)", vs->why);
	if (vs->have_st && vs->st.pid > 0)
		printf(", bhyve pid %d", vs->st.pid);
	if (vs->supervised && vs->st.supervisor > 0)
		printf(", supervisor pid %d", vs->st.supervisor);
	if (uptime_s(vs) >= 0) {
		fmt_dur(uptime_s(vs), dur, sizeof(dur));
		printf(", up %s", dur);
	}
	printf("\n");
	if (strcmp(vs->state, "lost") == 0)
		printf("  the supervisor and bhyve ended unseen; ptvm host "
		    "restore cleans up and copies what bhyve wrote meanwhile "
		    "from %s into the log\n", vs->out);
	else if (strcmp(vs->state, "unsupervised") == 0)
		printf("  bhyve runs without its supervisor, writing to %s; "
		    "ptvm stop %s presses its power button, then ptvm host "
		    "restore cleans up\n", vs->out, vs->name);
	if (vs->npending > 0)
		printf("  pending  %zu host change%s without a running VM: %s; "
		    "ptvm host restore (or the next start) undoes %s\n",
		    vs->npending, vs->npending == 1 ? "" : "s", vs->pending,
		    vs->npending == 1 ? "it" : "them");
	if (vs->dirty_why[0] != '\0')
		printf("  dirty    unknown (%s)\n", vs->dirty_why);
	if (vs->have_vm) {
		printf("  vCPUs    %d", vm->ncpus);
		if (vm->pinned && vm->pin != NULL) {
			printf(" pinned to");
			for (k = 0; k < vm->ncpus; k++)
				printf(" %d", vm->pin[k]);
		}
		printf("\n  memory   %llu MiB\n",
		    (unsigned long long)(vm->memory >> 20));
		for (i = 0; i < vm->ndev; i++) {
			if (vm->dev[i].kind != VMD_PASSTHRU)
				continue;
			pci_sel_fmt(&vm->dev[i].host, SEL_PCICONF, sel,
			    sizeof(sel));
			m = sup_dirty_find(&vs->dirty, &vm->dev[i].host);
			printf("  passthru %s%s%s%s\n", sel, m != NULL ?
			    "  DIRTY: " : "", m != NULL ? m->reason : "",
			    m != NULL ? " (reboot the host to clear)" : "");
			sig = vs->have_st ? sup_status_evidence(&vs->st,
			    &vm->dev[i].host) : NULL;
			if (sig != NULL && strcmp(sig, "none") != 0)
				printf("           after the last run: %s: %s\n",
				    sig, sig_text(sig));
			if ((df = evidence_diff(vs->h, vs->name,
			    &vm->dev[i].host)) != NULL) {
				for (k = 0; (size_t)k < df->n; k++)
					printf("           - %s\n",
					    df->line[k].text);
				free(df);
			}
		}
		if (vm->vnc != NULL)
			printf("  vnc      %s\n", vm->vnc);
		if (console_b(vm, buf, sizeof(buf)) != NULL)
			printf("  console  %s (ptvm console %s)\n", buf,
			    vs->name);
	}
	if (vs->have_st && vs->st.has_last)
		printf("  last     %s\n", vs->st.last_why);
	if (vs->have_st && vs->st.error[0] != '\0')
		printf("  error    %s\n", vs->st.error);
	if (vs->have_st && vs->st.log[0] != '\0')
		printf("  log      %s\n", vs->st.log);
}

/* VM files plus VMs with a status file but no file any more. */
static int
all_names(struct ptvm_ctx *ctx, struct host *h, char ***names, size_t *n)
{
	char **st, **nn;
	size_t ns, i, j, k;

	if (vm_names(ctx, names, n) != 0) {
		*names = NULL;
		*n = 0;
	}
	if (sys_dir_list(h->rundir, &st, &ns) != 0)
		return (0);
	for (i = 0; i < ns; i++) {
		k = strlen(st[i]);
		if (k <= 7 || strcmp(st[i] + k - 7, ".status") != 0)
			continue;
		st[i][k - 7] = '\0';
		for (j = 0; j < *n; j++)
			if (strcmp((*names)[j], st[i]) == 0)
				break;
		if (j < *n || !vm_name_ok(st[i]))
			continue;
		if ((nn = reallocarray(*names, *n + 1, sizeof(*nn))) == NULL)
			break;
		*names = nn;
		(*names)[(*n)++] = st[i];
		st[i] = NULL;
	}
	host_names_free(st, ns);
	return (0);
}

static int
status_all(struct ptvm_ctx *ctx, struct host *h, bool json, bool table)
{
	struct vmstate *vs;
	struct strbuf sb;
	struct json j;
	char **names, dur[32], mem[32];
	size_t n, i, k, nd, dirty;

	if (all_names(ctx, h, &names, &n) != 0)
		return (EXIT_FAIL);
	if ((vs = calloc(n > 0 ? n : 1, sizeof(*vs))) == NULL) {
		host_names_free(names, n);
		return (EXIT_FAIL);
	}
	for (i = 0; i < n; i++)
		vmstate_read(ctx, h, names[i], &vs[i]);
	if (json) {
		sb_init(&sb);
		json_init(&j, &sb);
		json_arr(&j, NULL);
		for (i = 0; i < n; i++)
			status_json(&vs[i], &j);
		json_end(&j);
		out_json(&sb);
		sb_free(&sb);
	} else if (table) {
		printf("%-16s %-12s %7s %9s %4s %8s %s\n", "NAME", "STATE",
		    "PID", "UPTIME", "CPUS", "MEMORY", "PASSTHRU");
		for (i = 0; i < n; i++) {
			fmt_dur(uptime_s(&vs[i]), dur, sizeof(dur));
			if (vs[i].have_vm)
				snprintf(mem, sizeof(mem), "%lluG",
				    (unsigned long long)(vs[i].ld.vm.memory >>
				    30));
			else
				strlcpy(mem, "-", sizeof(mem));
			for (k = nd = dirty = 0; vs[i].have_vm &&
			    k < vs[i].ld.vm.ndev; k++)
				if (vs[i].ld.vm.dev[k].kind == VMD_PASSTHRU) {
					nd++;
					dirty += sup_dirty_find(&vs[i].dirty,
					    &vs[i].ld.vm.dev[k].host) != NULL;
				}
			printf("%-16s %-12s %7d %9s %4d %8s %zu%s\n",
			    vs[i].name, vs[i].state, vs[i].have_st ?
			    vs[i].st.pid : 0, dur, vs[i].have_vm ?
			    vs[i].ld.vm.ncpus : 0, mem, nd, dirty > 0 ?
			    " (dirty)" : vs[i].dirty_why[0] != '\0' ?
			    " (dirty?)" : "");
		}
	} else
		for (i = 0; i < n; i++)
			status_text(&vs[i]);
	for (i = 0; i < n; i++)
		vmstate_free(&vs[i]);
	free(vs);
	host_names_free(names, n);
	return (EXIT_OK);
}

static int
status_opts(int argc, char **argv, bool *json)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	*json = false;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (ch != 'j')
			return (-1);
		*json = true;
	}
	return (0);
}

int
cmd_status(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct vmstate vs;
	struct strbuf sb;
	struct json j;
	struct host *h;
	bool json;

	if (status_opts(argc, argv, &json) != 0 || argc - optind > 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
	if (ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	if (argc - optind == 0)
		return (status_all(ctx, h, json, false));
	if (!vm_name_ok(argv[optind])) {
		fprintf(stderr, "ptvm: %s: not a VM name\n", argv[optind]);
		return (EXIT_USAGE);
	}
	vmstate_read(ctx, h, argv[optind], &vs);
	if (!vs.have_vm && !vs.have_st) {
		fprintf(stderr, "ptvm: %s: no such VM (no VM file, never "
		    "started)\n", argv[optind]);
		vmstate_free(&vs);
		return (EXIT_FAIL);
	}
	if (json) {
		sb_init(&sb);
		json_init(&j, &sb);
		status_json(&vs, &j);
		out_json(&sb);
		sb_free(&sb);
	} else
		status_text(&vs);
	vmstate_free(&vs);
	return (EXIT_OK);
}

int
cmd_list(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct host *h;
	bool json;
	int rv;

	if (status_opts(argc, argv, &json) != 0 || argc != optind)
		return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
	if (ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	rv = status_all(ctx, h, json, true);
	if (!json)
		autostart_print(ctx);
	return (rv);
}

/*
 * Console: cu(1) on the nmdm(4) B side.
 */
int
cmd_console(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct option noopts[] = { { NULL, 0, NULL, 0 } };
	struct host_proc pr;
	struct vm_load ld;
	struct host *h;
	char dev[64], *av[4];
	int e;

	if (getopt_long(argc, argv, "", noopts, NULL) != -1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
	if (argc - optind != 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "one VM"));
	if (ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	vm_load_init(&ld);
	if (vm_load(ctx, argv[optind], &ld) != 0) {
		vm_load_free(&ld);
		(void)out_diags(ctx);	/* the file's errors, then fail */
		return (EXIT_FAIL);
	}
	if (console_b(&ld.vm, dev, sizeof(dev)) == NULL) {
		fprintf(stderr, "ptvm: %s: no console= in the VM file (add "
		    "console=auto)\n", ld.vm.name);
		vm_load_free(&ld);
		return (EXIT_FAIL);
	}
	vm_load_free(&ld);
	av[0] = __DECONST(char *, "cu");
	av[1] = __DECONST(char *, "-l");
	av[2] = dev;
	av[3] = NULL;
	if (ctx->hostdir != NULL) {
		/* A captured host: DIR/bin/cu if any, and the journal. */
		if ((e = h->ops->run(h, av, &pr)) != 0) {
			fprintf(stderr, "ptvm: %s\n", host_proc_str(av, e, &pr,
			    dev, sizeof(dev)));
			return (EXIT_FAIL);
		}
		if (!pr.ran)
			printf("cu -l %s\n", dev);
		return (pr.status == 0 ? EXIT_OK : EXIT_FAIL);
	}
	printf("Connected to %s; type ~. to leave (ptvm console)\n", dev);
	fflush(stdout);
	execv("/usr/bin/cu", av);
	fprintf(stderr, "ptvm: /usr/bin/cu: %s\n", strerror(errno));
	return (EXIT_FAIL);
}

/*
 * host restore: what crashed supervisors left behind.
 */
int
cmd_host_restore(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct life_paths p;
	struct host *h;
	char **names;
	size_t n, i, k;
	bool unbind, any;
	int ch, spid, failed, r, undone;

	unbind = false;
	while ((ch = getopt(argc, argv, "u")) != -1) {
		if (ch != 'u')
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		unbind = true;
	}
	if (argc != optind)
		return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
	if (ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	if (sys_dir_list(h->rundir, &names, &n) != 0) {
		printf("nothing to restore\n");
		return (EXIT_OK);
	}
	failed = 0;
	any = false;
	for (i = 0; i < n; i++) {
		k = strlen(names[i]);
		if (k > 7 && strcmp(names[i] + k - 7, ".status") == 0)
			names[i][k - 7] = '\0';
		else if (k > 5 && strcmp(names[i] + k - 5, ".undo") == 0)
			names[i][k - 5] = '\0';
		else
			continue;
		if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
			continue;	/* NAME.status after NAME.undo */
		if (!vm_name_ok(names[i]) || life_paths(h, names[i], &p) != 0)
			continue;
		if (life_supervisor(&p, &spid)) {
			printf("%s: supervised by pid %d; left alone\n",
			    names[i], spid);
			continue;
		}
		r = life_recover(ctx, h, names[i], &undone, print_fn,
		    names[i]);
		any |= r > 0;
		if (r == 2) {
			/* Its journal is what the running guest still uses. */
			printf("%s: left alone: bhyve still runs; ptvm stop "
			    "%s, then ptvm host restore\n", names[i], names[i]);
			continue;
		}
		/* Once: recovering may have undone it (or said why not). */
		if (undone >= 0)
			failed += undone;
		else if (access(p.undo, F_OK) == 0) {
			any = true;
			failed += undo_restore(ctx, h, names[i], unbind,
			    print_fn, names[i]);
		}
	}
	host_names_free(names, n);
	if (!any)
		printf("nothing to restore\n");
	(void)out_diags(ctx);
	return (failed > 0 ? EXIT_FAIL : EXIT_OK);
}
