/*
 * bind.c: runs bind and unbind plans on a host.  Bind is all or nothing:
 * when a step or the final check fails, every executed step is undone in
 * reverse order.  The functions ptvm bound are recorded in RUNDIR/bindings
 * ("pci0:6:0:0 vgapci fixed"), so unbind knows how to give them back.
 */
#include "compat.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "bindrec.h"
#include "life.h"
#include "util.h"

static const char *const pptdevs_names[PPTDEVS_VARS] = {
	"pptdevs", "pptdevs2", "pptdevs3"
};

static char *
records_path(struct host *h)
{
	char *p;

	if (asprintf(&p, "%s/bindings", h->rundir) < 0)
		return (NULL);
	return (p);
}

/*
 * How ptvm bound sel, from the records (lib/bindrec.c): "fixed", "boot"
 * or NULL (no valid record: unbind then does what works either way).
 */
static const char *
records_how(void *arg, const struct pci_sel *sel)
{
	struct bind_env *env = arg;
	static struct bindrec r;

	if (env->records == NULL || bindrec_find(env->records,
	    env->records_len, sel, &r) != 0)
		return (NULL);
	return (r.how);
}

static int
env_vms(struct host *h, struct bind_env *env)
{
	size_t i, k, n;
	int e;

	if ((e = life_vm_list(h, &env->vms)) != 0)
		return (e);
	for (i = n = 0; i < env->vms.n; i++) {
		n += env->vms.vm[i].ndevs;
		if (!env->vms.vm[i].devs_known)
			env->st.vms_unknown = true;
	}
	env->vm_devs = calloc(n + 1, sizeof(*env->vm_devs));
	env->vm_owner = calloc(n + 1, sizeof(*env->vm_owner));
	if (env->vm_devs == NULL || env->vm_owner == NULL)
		return (ENOMEM);
	for (i = n = 0; i < env->vms.n; i++)
		for (k = 0; k < env->vms.vm[i].ndevs; k++, n++) {
			env->vm_devs[n] = env->vms.vm[i].devs[k];
			env->vm_owner[n] = env->vms.vm[i].name;
		}
	env->st.vm_devs = env->vm_devs;
	env->st.vm_dev_owner = env->vm_owner;
	env->st.nvm_devs = n;
	return (0);
}

int
bind_env_read(struct eng *eng, struct host *h, struct bind_env *env)
{
	const char *vendor;
	char *rp;
	int e, v;

	memset(env, 0, sizeof(*env));
	if ((e = eng_pci(eng, &env->pci)) != 0)
		return (e);
	env->st.pci = &env->pci;
	e = h->ops->kld_loaded(h, "vmm", &env->st.vmm_loaded);
	if (e == ENOENT)
		diag_note(eng->diags, NULL, 0, "kldstat.txt is missing: "
		    "assuming vmm.ko is not loaded");
	vendor = host_cpu_vendor(h);
	env->st.vendor_known = vendor != NULL;
	env->st.amd = vendor != NULL && strcmp(vendor, "AMD") == 0;
	for (v = 0; v < PPTDEVS_VARS; v++) {
		(void)h->ops->kenv_get(h, pptdevs_names[v], &env->pptdevs[v]);
		env->st.pptdevs[v] = env->pptdevs[v];
	}
	(void)h->ops->kenv_get(h, "hw.vmm.amdvi.enable", &env->amdvi_kenv);
	env->st.amdvi_kenv = env->amdvi_kenv;
	if (host_sysctl_int(h, "hw.vmm.amdvi.enable", &env->st.amdvi_sysctl)
	    != 0)
		env->st.amdvi_sysctl = -1;
	env->st.console_unit = eng_console_unit(eng);
	if ((rp = records_path(h)) != NULL) {
		(void)h->ops->st_read(h, rp, 1 << 20, &env->records,
		    &env->records_len);
		free(rp);
	}
	env->st.how_bound = records_how;
	env->st.how_bound_arg = env;
	if ((e = hostuse_read(h, &env->hu)) != 0)
		return (e);
	env->st.hu = &env->hu;
	return (env_vms(h, env));
}

void
bind_env_free(struct bind_env *env)
{
	int v;

	pci_list_free(&env->pci);
	for (v = 0; v < PPTDEVS_VARS; v++)
		free(env->pptdevs[v]);
	free(env->amdvi_kenv);
	host_vm_list_free(&env->vms);
	free(env->vm_devs);
	free(env->vm_owner);
	free(env->records);
	hostuse_free(&env->hu);
}

static int
idx_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x < y ? -1 : x > y);
}

/* Resolves selectors to list indexes; every bad one is reported. */
int
bind_resolve(struct eng *eng, struct bind_env *env, int argc,
    char **argv, size_t **out, size_t *nout)
{
	struct pci_dev *d;
	char err[200];
	size_t *v, k;
	int i, bad;

	if ((v = calloc((size_t)argc + 1, sizeof(*v))) == NULL)
		return (-1);
	*nout = 0;
	bad = 0;
	for (i = 0; i < argc; i++) {
		if ((d = pci_lookup(&env->pci, argv[i], err, sizeof(err))) ==
		    NULL) {
			diag_err(eng->diags, NULL, 0, "%s", err);
			bad++;
			continue;
		}
		for (k = 0; k < *nout; k++)
			if (v[k] == (size_t)(d - env->pci.dev))
				break;
		if (k == *nout)
			v[(*nout)++] = (size_t)(d - env->pci.dev);
	}
	/* The list is sorted by selector: plans follow bus order. */
	qsort(v, *nout, sizeof(*v), idx_cmp);
	*out = v;
	return (bad > 0 ? -1 : 0);
}

static void
logf_(bind_log_fn *log, void *arg, const char *fmt, ...) __printflike(3, 4);

static void
logf_(bind_log_fn *log, void *arg, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) >= 0) {
		log(arg, s);
		free(s);
	}
	va_end(ap);
}

static void
fmt_op(const struct hostop *op, char *buf, size_t len)
{
	struct strbuf sb;

	sb_init(&sb);
	hostop_fmt(op, &sb);
	strlcpy(buf, sb_str(&sb), len);
	sb_free(&sb);
}

void
bind_plan_print(const struct bind_plan *p, bind_log_fn *log, void *arg)
{
	char line[512];
	size_t i;

	for (i = 0; i < p->n; i++) {
		fmt_op(&p->steps[i].op, line, sizeof(line));
		switch (p->steps[i].when) {
		case STEP_RETRY_DETACH:
			logf_(log, arg, "%s\t# while busy: %d tries %d ms "
			    "apart, then devctl detach -f %s", line,
			    BIND_DETACH_TRIES, BIND_DETACH_PAUSE_MS,
			    p->steps[i].a);
			break;
		case STEP_IF_NOT_PPT:
			logf_(log, arg, "%s\t# unless already on ppt", line);
			break;
		case STEP_IF_STILL_PPT:
			logf_(log, arg, "%s\t# if still on ppt", line);
			break;
		default:
			logf_(log, arg, "%s", line);
		}
	}
}

static int
run_op(struct host *h, const struct hostop *op)
{

	switch (op->kind) {
	case HOP_KENV_SET:
		return (h->ops->kenv_set(h, op->a, op->b));
	case HOP_KENV_UNSET:
		return (h->ops->kenv_unset(h, op->a));
	case HOP_SYSCTL_SET:
		return (h->ops->sysctl_set(h, op->a, op->b));
	case HOP_KLDLOAD:
		return (h->ops->kld_load(h, op->a));
	case HOP_KLDUNLOAD:
		return (h->ops->kld_unload(h, op->a));
	case HOP_DETACH:
		return (h->ops->dev_detach(h, op->a, op->force));
	case HOP_ATTACH:
		return (h->ops->dev_attach(h, op->a));
	case HOP_SET_DRIVER:
		return (h->ops->dev_set_driver(h, op->a, op->b, op->force));
	case HOP_CLEAR_DRIVER:
		return (h->ops->dev_clear_driver(h, op->a, op->force));
	case HOP_RESCAN:
		return (h->ops->dev_rescan(h, op->a));
	default:
		return (EINVAL);
	}
}

/* The current driver instance of a function ("ppt0", "none"). */
static int
dev_now(struct eng *eng, struct host *h, const struct pci_sel *sel,
    char *name, size_t len, bool *ppt)
{
	struct pci_list l;
	struct pci_dev *d;
	int e;

	pci_list_init(&l);
	if ((e = h->ops->pci_list(h, &l, eng->diags)) != 0)
		return (e);
	if ((d = pci_find(&l, sel)) == NULL) {
		pci_list_free(&l);
		return (ENOENT);
	}
	pci_dev_name(d, name, len);
	*ppt = pci_is_ppt(d);
	if (pci_is_none(d))
		strlcpy(name, "none", len);
	pci_list_free(&l);
	return (0);
}

static void
log_result(bind_log_fn *log, void *arg, const char *pfx,
    const struct hostop *op, int e)
{
	char line[512];

	fmt_op(op, line, sizeof(line));
	if (e == 0)
		logf_(log, arg, "%s%s", pfx, line);
	else
		logf_(log, arg, "%s%s: failed: %s (%s)", pfx, line,
		    strerror(e), util_errname(e));
}

static int
retry_detach(struct host *h, struct bind_step *s, bind_log_fn *log,
    void *arg)
{
	struct hostop op = s->op;
	int e, t;

	op.force = false;
	e = EBUSY;
	for (t = 0; t < BIND_DETACH_TRIES && e == EBUSY; t++) {
		if (t > 0)
			h->ops->pause(h, BIND_DETACH_PAUSE_MS);
		e = run_op(h, &op);
		log_result(log, arg, "  ", &op, e);
	}
	if (e == 0 || e == ENXIO)	/* ENXIO: nothing attached */
		return (0);
	/*
	 * -f skips only the driver's quiesce step (freebsd.md#D2): it helps
	 * a driver that refuses to quiesce, never one whose detach is busy.
	 */
	op.force = true;
	e = run_op(h, &op);
	log_result(log, arg, "  ", &op, e);
	if (e == EBUSY)
		logf_(log, arg, "  %s: its driver refuses to detach (EBUSY), "
		    "with or without -f (which skips only the quiesce step): "
		    "something uses the device (for a GPU: a running X server "
		    "or console on it); stop that and bind again", op.a);
	return (e);
}

/* Runs one step; *did tells whether it changed anything. */
static int
exec_step(struct eng *eng, struct host *h, struct bind_step *s,
    bool *did, bind_log_fn *log, void *arg)
{
	char now[48];
	bool ppt;
	int e;

	*did = false;
	if (s->when == STEP_IF_NOT_PPT || s->when == STEP_IF_STILL_PPT) {
		struct pci_sel one;
		char err[160];

		if (pci_sel_parse(s->a, &one, err, sizeof(err)) != 0 ||
		    dev_now(eng, h, &one, now, sizeof(now), &ppt) != 0)
			return (ENOENT);
		if ((s->when == STEP_IF_NOT_PPT && (ppt ||
		    (s->op.kind == HOP_ATTACH && strcmp(now, "none") != 0))) ||
		    (s->when == STEP_IF_STILL_PPT && !ppt)) {
			logf_(log, arg, "  (%s is %s: skipping the next step)",
			    s->a, now);
			return (0);
		}
	}
	*did = true;
	if (s->when == STEP_RETRY_DETACH)
		return (retry_detach(h, s, log, arg));
	e = run_op(h, &s->op);
	log_result(log, arg, "  ", &s->op, e);
	return (e);
}

static void
rollback(struct eng *eng, struct host *h, struct bind_env *env,
    struct bind_plan *p, const bool *did, size_t upto, bind_log_fn *log,
    void *arg)
{
	struct bind_step inv;
	const struct pci_dev *d;
	char now[48], orig[48], sel[32];
	size_t i;
	bool ppt;
	int e;

	logf_(log, arg, "rolling back:");
	for (i = upto; i-- > 0;) {
		if (!did[i] || bind_step_inverse(&p->steps[i], &inv) != 0)
			continue;
		e = run_op(h, &inv.op);
		if ((inv.op.kind == HOP_ATTACH && e == EBUSY) ||
		    (inv.op.kind == HOP_CLEAR_DRIVER && e == ENXIO) ||
		    (inv.op.kind == HOP_KLDUNLOAD && e == ENOENT))
			e = 0;	/* already as it was */
		log_result(log, arg, "  ", &inv.op, e);
	}
	for (i = 0; i < p->ndevs; i++) {
		d = &env->pci.dev[p->devs[i]];
		pci_dev_name(d, orig, sizeof(orig));
		if (pci_is_none(d))
			strlcpy(orig, "none", sizeof(orig));
		if (dev_now(eng, h, &d->sel, now, sizeof(now), &ppt) != 0)
			continue;
		pci_sel_fmt(&d->sel, SEL_PCICONF, sel, sizeof(sel));
		if (strcmp(now, orig) != 0)
			diag_warn(eng->diags, NULL, 0, "after the rollback %s "
			    "is %s; it was %s", sel, now, orig);
		else
			logf_(log, arg, "  %s is back on %s", d->device_name ?
			    d->device_name : orig, orig);
	}
}

/* Rewrites RUNDIR/bindings: drops the plan's functions, adds new ones. */
static void
records_update(struct eng *eng, struct host *h, struct bind_env *env,
    struct bind_plan *p, const char *const *how)
{
	struct pci_sel *drop;
	struct bindrec r;
	struct strbuf sb;
	char sel[32], *path;
	size_t i;
	int e;

	sb_init(&sb);
	if ((drop = calloc(p->ndevs + 1, sizeof(*drop))) == NULL)
		sb.oom = true;
	for (i = 0; drop != NULL && i < p->ndevs; i++)
		drop[i] = env->pci.dev[p->devs[i]].sel;
	if (drop != NULL && env->records != NULL)
		bindrec_drop(env->records, env->records_len, drop, p->ndevs,
		    &sb);
	free(drop);
	for (i = 0; how != NULL && i < p->ndevs; i++) {
		const struct pci_dev *d = &env->pci.dev[p->devs[i]];

		memset(&r, 0, sizeof(r));
		r.sel = d->sel;
		strlcpy(r.driver, pci_is_none(d) ? "none" : d->driver,
		    sizeof(r.driver));
		strlcpy(r.how, how[i], sizeof(r.how));
		pci_sel_fmt(&d->sel, SEL_PCICONF, sel, sizeof(sel));
		if (bindrec_format(&r, &sb) != 0)
			diag_warn(eng->diags, NULL, 0, "cannot record the "
			    "driver \"%s\" of %s; unbind will work out how "
			    "it was bound", r.driver, sel);
	}
	if ((path = records_path(h)) == NULL || sb.oom ||
	    (e = h->ops->st_mkdir(h, h->rundir, 0755)) != 0 ||
	    (e = h->ops->st_write(h, path, sb_str(&sb), sb.len, 0644, 0)) != 0)
		diag_warn(eng->diags, path, 0, "cannot record the bindings; "
		    "unbind will still work, less precisely");
	free(path);
	sb_free(&sb);
}

static int
bind_verify(struct eng *eng, struct host *h, struct bind_env *env,
    struct bind_plan *p, const char **how, const bool *did,
    bind_log_fn *log, void *arg)
{
	const struct pci_dev *d;
	char now[48], was[48], sel[32];
	size_t i, k;
	bool ppt;
	int bad;

	for (i = 0, bad = 0; i < p->ndevs; i++) {
		d = &env->pci.dev[p->devs[i]];
		pci_sel_fmt(&d->sel, SEL_PCICONF, sel, sizeof(sel));
		pci_dev_name(d, was, sizeof(was));
		if (dev_now(eng, h, &d->sel, now, sizeof(now), &ppt) != 0 ||
		    !ppt) {
			diag_err(eng->diags, NULL, 0, "%s is not on ppt after "
			    "binding (it is %s)", sel, now);
			bad++;
			continue;
		}
		how[i] = "boot";
		for (k = 0; k < p->n; k++)
			if (did[k] && p->steps[k].op.kind == HOP_SET_DRIVER &&
			    p->steps[k].dev == (ssize_t)p->devs[i])
				how[i] = "fixed";
		logf_(log, arg, "%s is on %s (was %s)", sel, now,
		    pci_is_none(d) ? "none" : was);
	}
	return (bad);
}

int
bind_execute(struct eng *eng, struct host *h, struct bind_env *env,
    struct bind_plan *p, bind_log_fn *log, void *arg)
{
	const char **how;
	bool *did;
	size_t i;
	int e, rv;

	did = calloc(p->n + 1, sizeof(*did));
	how = calloc(p->ndevs + 1, sizeof(*how));
	if (did == NULL || how == NULL) {
		free(did);
		free(how);
		return (EXIT_FAIL);
	}
	rv = EXIT_OK;
	for (i = 0; i < p->n; i++) {
		if ((e = exec_step(eng, h, &p->steps[i], &did[i], log,
		    arg)) == 0)
			continue;
		{
			char line[512];

			fmt_op(&p->steps[i].op, line, sizeof(line));
			diag_err(eng->diags, NULL, 0, "binding failed at "
			    "\"%s\": %s (%s); every change made so far is "
			    "undone", line, strerror(e), util_errname(e));
		}
		did[i] = false;
		rollback(eng, h, env, p, did, i, log, arg);
		rv = EXIT_FAIL;
		break;
	}
	if (rv == EXIT_OK && bind_verify(eng, h, env, p, how, did, log,
	    arg) > 0) {
		rollback(eng, h, env, p, did, p->n, log, arg);
		rv = EXIT_FAIL;
	}
	if (rv == EXIT_OK)
		records_update(eng, h, env, p, how);
	free(did);
	free(how);
	return (rv);
}

int
unbind_execute(struct eng *eng, struct host *h, struct bind_env *env,
    struct bind_plan *p, bind_log_fn *log, void *arg)
{
	const struct pci_dev *d;
	char now[48], sel[32];
	size_t i;
	bool did, ppt;
	int rv;

	rv = EXIT_OK;
	for (i = 0; i < p->n; i++) {
		int e = exec_step(eng, h, &p->steps[i], &did, log, arg);

		/*
		 * No host driver wants it: explained below, not a failure.
		 * clear driver says so with ENXIO too (freebsd.md#D3).
		 */
		if (e != 0 && !(e == ENXIO &&
		    (p->steps[i].op.kind == HOP_ATTACH ||
		    p->steps[i].op.kind == HOP_CLEAR_DRIVER)))
			rv = EXIT_FAIL;
	}
	for (i = 0; i < p->ndevs; i++) {
		d = &env->pci.dev[p->devs[i]];
		pci_sel_fmt(&d->sel, SEL_PCICONF, sel, sizeof(sel));
		if (dev_now(eng, h, &d->sel, now, sizeof(now), &ppt) != 0 ||
		    ppt) {
			diag_err(eng->diags, NULL, 0, "%s is still on ppt",
			    sel);
			rv = EXIT_FAIL;
		} else if (strcmp(now, "none") == 0)
			diag_warn(eng->diags, NULL, 0, "%s left ppt but no "
			    "host driver attached: load its driver (e.g. "
			    "kldload snd_hda for HDMI audio) and run "
			    "'devctl attach %s'", sel, sel);
		else
			logf_(log, arg, "%s is on %s", sel, now);
	}
	records_update(eng, h, env, p, NULL);
	return (rv);
}
