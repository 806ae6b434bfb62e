/*
 * bindplan.c: plans for binding PCI functions to ppt(4) and back.
 *
 * Kernel facts the plans rely on (FreeBSD 14):
 * - ppt_probe() (sys/amd64/vmm/io/ppt.c) claims a function listed in the
 *   kenv variables pptdevs, pptdevs2, pptdevs3 ("B/S/F ...", no domain)
 *   with priority 0, any other endpoint only when its driver is fixed to
 *   ppt with "devctl set driver".  ppt exists only while vmm.ko is loaded.
 * - devctl2_ioctl() (sys/kern/subr_bus.c): DEV_SET_DRIVER fails with ENOENT
 *   when the bus has no such driver and with EBUSY on an attached device
 *   unless forced; DEV_CLEAR_DRIVER does nothing unless the class was
 *   fixed, so a function bound at boot through pptdevs is returned to its
 *   host driver by removing it from pptdevs, then detach and attach.
 * - vmm_is_pptdev() reads each variable with kern_getenv(), whose values
 *   are limited to 128 bytes, hence the split over three variables.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindplan.h"

static const char *const pptdevs_names[PPTDEVS_VARS] = {
	"pptdevs", "pptdevs2", "pptdevs3"
};

void
bind_plan_init(struct bind_plan *p)
{

	memset(p, 0, sizeof(*p));
}

void
bind_plan_free(struct bind_plan *p)
{

	free(p->steps);
	free(p->devs);
	bind_plan_init(p);
}

static struct bind_step *
step_add(struct bind_plan *p, enum hostop_kind kind, enum step_when when,
    ssize_t dev, const char *a, const char *b, bool force)
{
	struct bind_step *ns, *s;

	ns = reallocarray(p->steps, p->n + 1, sizeof(*ns));
	if (ns == NULL)
		return (NULL);
	p->steps = ns;
	s = &p->steps[p->n++];
	memset(s, 0, sizeof(*s));
	s->op.kind = kind;
	s->op.force = force;
	s->when = when;
	s->dev = dev;
	strlcpy(s->a, a, sizeof(s->a));
	s->op.a = s->a;
	if (b != NULL) {
		strlcpy(s->b, b, sizeof(s->b));
		s->op.b = s->b;
	}
	return (s);
}

/* Re-points op.a/op.b after the steps array moved. */
static void
plan_fix_pointers(struct bind_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		p->steps[i].op.a = p->steps[i].a;
		p->steps[i].op.b = p->steps[i].b[0] != '\0' ?
		    p->steps[i].b : NULL;
	}
}

bool
pptdevs_has(const char *const *vals, const struct pci_sel *sel)
{
	char all[3 * 64][16], one[16];
	size_t i, n;

	n = pptdevs_entries(vals, NULL, all, nitems(all));
	snprintf(one, sizeof(one), "%u/%u/%u", sel->bus, sel->slot,
	    sel->func);
	for (i = 0; i < n; i++)
		if (strcmp(all[i], one) == 0)
			return (true);
	return (false);
}

/*
 * Splits the pptdevs values into entries, parsed as the kernel does
 * (sscanf "%d/%d/%d" on space-separated words); drops "skip".
 */
size_t
pptdevs_entries(const char *const *vals, const struct pci_sel *skip,
    char out[][16], size_t max)
{
	struct pci_sel s;
	char err[160], word[16];
	const char *p, *q;
	size_t n, i, k, len;
	bool dup;

	n = 0;
	for (i = 0; i < PPTDEVS_VARS; i++) {
		for (p = vals[i]; p != NULL && *p != '\0'; p = q) {
			while (*p == ' ')
				p++;
			for (q = p; *q != '\0' && *q != ' '; q++)
				;
			len = (size_t)(q - p);
			if (len == 0 || len >= sizeof(word))
				continue;
			memcpy(word, p, len);
			word[len] = '\0';
			if (pci_sel_parse(word, &s, err, sizeof(err)) != 0)
				continue;
			if (skip != NULL && s.bus == skip->bus &&
			    s.slot == skip->slot && s.func == skip->func)
				continue;
			snprintf(word, sizeof(word), "%u/%u/%u", s.bus,
			    s.slot, s.func);
			dup = false;
			for (k = 0; k < n; k++)
				if (strcmp(out[k], word) == 0)
					dup = true;
			if (!dup && n < max)
				strlcpy(out[n++], word, sizeof(out[0]));
		}
	}
	return (n);
}

int
pptdevs_split(const char *const *ents, size_t n,
    char out[PPTDEVS_VARS][PPTDEVS_MAXLEN + 1])
{
	size_t i, len, need;
	int v;

	for (v = 0; v < PPTDEVS_VARS; v++)
		out[v][0] = '\0';
	v = 0;
	for (i = 0; i < n; i++) {
		len = strlen(out[v]);
		need = strlen(ents[i]) + (len > 0 ? 1 : 0);
		if (len + need > PPTDEVS_MAXLEN) {
			if (++v >= PPTDEVS_VARS)
				return (-1);
			len = 0;
			need = strlen(ents[i]);
			if (need > PPTDEVS_MAXLEN)
				return (-1);
		}
		if (len > 0)
			strlcat(out[v], " ", PPTDEVS_MAXLEN + 1);
		strlcat(out[v], ents[i], PPTDEVS_MAXLEN + 1);
	}
	return (n == 0 ? 0 : v + 1);
}

/* Adds the kenv steps that make pptdevs* hold ents. */
static int
plan_pptdevs(const struct bind_state *st, char ents[][16], size_t n,
    struct bind_plan *p, struct diags *d)
{
	const char *ptrs[3 * 64];
	char vals[PPTDEVS_VARS][PPTDEVS_MAXLEN + 1];
	struct bind_step *s;
	size_t i;
	int v;

	for (i = 0; i < n && i < nitems(ptrs); i++)
		ptrs[i] = ents[i];
	if (pptdevs_split(ptrs, n, vals) < 0) {
		diag_err(d, NULL, 0, "%zu passthrough functions do not fit "
		    "in pptdevs, pptdevs2 and pptdevs3 (%d bytes each)", n,
		    PPTDEVS_MAXLEN);
		return (-1);
	}
	for (v = 0; v < PPTDEVS_VARS; v++) {
		const char *old = st->pptdevs[v];

		if (old != NULL && strcmp(old, vals[v]) == 0)
			continue;
		if (old == NULL && vals[v][0] == '\0')
			continue;
		s = step_add(p, vals[v][0] != '\0' ? HOP_KENV_SET :
		    HOP_KENV_UNSET, STEP_ALWAYS, -1, pptdevs_names[v],
		    vals[v][0] != '\0' ? vals[v] : NULL, false);
		if (s == NULL)
			return (-1);
		if (old != NULL) {
			s->had_old = true;
			strlcpy(s->old, old, sizeof(s->old));
		}
	}
	return (0);
}

static const char *
vm_owner(const struct bind_state *st, const struct pci_sel *sel)
{
	size_t i;

	for (i = 0; i < st->nvm_devs; i++)
		if (pci_sel_eq(&st->vm_devs[i], sel))
			return (st->vm_dev_owner[i]);
	return (NULL);
}

static void
selstr(const struct pci_dev *d, char *buf, size_t len)
{

	pci_sel_fmt(&d->sel, SEL_PCICONF, buf, len);
}

static bool
take_ok(const struct bind_opts *o, const struct pci_sel *sel)
{
	size_t i;

	if (o->host_use_take)
		return (true);
	for (i = 0; i < o->ntake; i++)
		if (pci_sel_eq(&o->take[i], sel))
			return (true);
	return (false);
}

/*
 * A function whose driver carries the host's disks or default route is
 * refused, and so is a storage or network controller whose host use
 * cannot be ruled out (freebsd.md#H1-H9): the forced detach would take
 * it from under the host.  --host-use=take (host_use=take) overrides.
 */
static bool
bind_hostuse(const struct bind_state *st, const struct pci_dev *dv,
    const struct bind_opts *o, const char *sel, const char *name,
    struct diags *d)
{
	struct hu_result r;
	bool take;

	if (st->hu == NULL)
		return (true);
	hostuse_judge(st->hu, st->pci, dv, &r);
	take = take_ok(o, &dv->sel);
	if (r.v == HU_USED && !take) {
		diag_err(d, NULL, 0, "%s (%s) %s %s: binding it %s; if you "
		    "really mean it, bind --host-use=take (host_use=take on "
		    "the VM file's passthru line)", sel, name,
		    hostuse_verb(&r), r.what,
		    hostuse_loss(&r));
		return (false);
	}
	if (r.v == HU_USED)
		diag_warn(d, NULL, 0, "%s (%s) %s %s; it is taken "
		    "(--host-use=take, host_use=take): that %s", sel, name, hostuse_verb(&r),
		    r.what,
		    hostuse_loss(&r));
	else if (r.v == HU_UNKNOWN && !r.soft && !take) {
		diag_err(d, NULL, 0, "%s (%s) may carry the host's own disks "
		    "or network and ptvm cannot rule it out: %s; run ptvm on "
		    "the live host (or capture it again with ptvm host "
		    "capture), or bind --host-use=take if you know the host "
		    "does not use it", sel, name, r.why);
		return (false);
	} else if (r.v == HU_UNKNOWN)
		diag_warn(d, NULL, 0, "%s (%s) may carry the host's own "
		    "disks or network (%s)%s", sel, name, r.why, take ?
		    "; taken (--host-use=take, host_use=take)" : "");
	return (true);
}

/* The checks of one function to bind; true if it is to be moved. */
static bool
bind_check(const struct bind_state *st, const struct pci_dev *dv,
    const struct bind_opts *o, struct diags *d)
{
	char sel[32], name[48];
	const char *owner;
	bool guess;

	selstr(dv, sel, sizeof(sel));
	pci_dev_name(dv, name, sizeof(name));
	if (pci_is_bridge(dv)) {
		diag_err(d, NULL, 0, "%s (%s) is a PCI bridge; bridges, such "
		    "as the switch ports of a Radeon card, can never be "
		    "passed through: pass the GPU's functions instead "
		    "(ptvm devices)", sel, dv->device_name != NULL ?
		    dv->device_name : name);
		return (false);
	}
	if (dv->sel.domain != 0) {
		diag_err(d, NULL, 0, "%s is in PCI domain %u; ppt and bhyve "
		    "address passthrough functions as bus/slot/function of "
		    "domain 0 only", sel, dv->sel.domain);
		return (false);
	}
	if (pci_is_ppt(dv)) {
		owner = vm_owner(st, &dv->sel);
		if (owner != NULL)
			diag_note(d, NULL, 0, "%s is already on %s and used "
			    "by the running VM %s", sel, name, owner);
		else
			diag_note(d, NULL, 0, "%s is already on %s", sel,
			    name);
		return (false);
	}
	if (!bind_hostuse(st, dv, o, sel, name, d))
		return (false);
	if (pci_is_display(dv) && gpu_is_console(st->pci, dv,
	    st->console_unit, &guess)) {
		if (guess && !o->force)
			diag_warn(d, NULL, 0, "%s (%s) probably drives the host "
			    "console (the first VGA device); binding it "
			    "blanks the screen", sel, name);
		else if (!o->force) {
			diag_err(d, NULL, 0, "%s (%s) drives the host console: "
			    "binding it leaves this machine without a "
			    "screen; run from another machine over ssh and "
			    "add --console-gpu=take to take it", sel, name);
			return (false);
		}
		diag_warn(d, NULL, 0, "%s (%s) drives the host console; it is "
		    "taken (--console-gpu=take, or console_gpu=take in the VM "
		    "file): keep the console "
		    "quiet with kern.consmute=1", sel, name);
	}
	return (true);
}

/* Functions of the same slot left behind on host drivers. */
static void
bind_siblings(const struct bind_state *st, const size_t *devs, size_t n,
    struct diags *d)
{
	const struct pci_dev *a, *b;
	char sel[32], name[48];
	size_t i, j, k;
	bool chosen;

	for (i = 0; i < st->pci->n; i++) {
		b = &st->pci->dev[i];
		if (pci_is_bridge(b) || pci_is_ppt(b))
			continue;
		chosen = false;
		for (k = 0; k < n; k++)
			if (devs[k] == i)
				chosen = true;
		if (chosen)
			continue;
		for (j = 0; j < n; j++) {
			a = &st->pci->dev[devs[j]];
			if (a->sel.domain != b->sel.domain ||
			    a->sel.bus != b->sel.bus ||
			    a->sel.slot != b->sel.slot)
				continue;
			selstr(b, sel, sizeof(sel));
			pci_dev_name(b, name, sizeof(name));
			diag_warn(d, NULL, 0, "%s (%s) of the same device "
			    "stays on %s: the guest gets the device without "
			    "it", sel, gpu_func_role(b), name);
			break;
		}
	}
}

static int
bind_tunables(const struct bind_state *st, const size_t *move, size_t n,
    struct bind_plan *p, struct diags *d)
{
	char ents[3 * 64][16];
	struct bind_step *s;
	size_t k, i;

	if (!st->vendor_known)
		diag_warn(d, NULL, 0, "the CPU vendor is unknown (no hw.model): "
		    "on an AMD host set hw.vmm.amdvi.enable=1 before vmm "
		    "loads");
	if (st->vmm_loaded) {
		if (st->amd && st->amdvi_sysctl == 0)
			diag_warn(d, NULL, 0, "vmm.ko is loaded with "
			    "hw.vmm.amdvi.enable=0, so passthrough has no "
			    "IOMMU and bhyve will refuse the devices: run "
			    "'ptvm host setup --persistent' and reboot, or "
			    "'kldunload vmm' while no VM runs and bind again");
		return (0);
	}
	if (st->amd && (st->amdvi_kenv == NULL ||
	    strcmp(st->amdvi_kenv, "1") != 0)) {
		s = step_add(p, HOP_KENV_SET, STEP_ALWAYS, -1,
		    "hw.vmm.amdvi.enable", "1", false);
		if (s == NULL)
			return (-1);
		if (st->amdvi_kenv != NULL) {
			s->had_old = true;
			strlcpy(s->old, st->amdvi_kenv, sizeof(s->old));
		}
	}
	k = pptdevs_entries(st->pptdevs, NULL, ents, nitems(ents));
	for (i = 0; i < n && k < nitems(ents); i++) {
		const struct pci_sel *sl = &st->pci->dev[move[i]].sel;

		if (pptdevs_has(st->pptdevs, sl))
			continue;
		snprintf(ents[k++], sizeof(ents[0]), "%u/%u/%u", sl->bus,
		    sl->slot, sl->func);
	}
	return (plan_pptdevs(st, ents, k, p, d));
}

int
bind_plan_make(const struct bind_state *st, const size_t *devs, size_t n,
    const struct bind_opts *o, struct bind_plan *p, struct diags *d)
{
	const struct pci_dev *dv;
	char sel[32];
	size_t i, nmove;
	int nerr0;

	nerr0 = d->nerrors;
	if ((p->devs = calloc(n + 1, sizeof(*p->devs))) == NULL)
		return (-1);
	nmove = 0;
	for (i = 0; i < n; i++)
		if (bind_check(st, &st->pci->dev[devs[i]], o, d))
			p->devs[nmove++] = devs[i];
	p->ndevs = nmove;
	if (d->nerrors > nerr0)
		return (-1);
	if (nmove == 0)
		return (0);
	bind_siblings(st, p->devs, nmove, d);
	if (bind_tunables(st, p->devs, nmove, p, d) != 0)
		return (-1);
	for (i = 0; i < nmove; i++) {
		dv = &st->pci->dev[p->devs[i]];
		if (pci_is_none(dv))
			continue;
		selstr(dv, sel, sizeof(sel));
		if (step_add(p, HOP_DETACH, STEP_RETRY_DETACH,
		    (ssize_t)p->devs[i], sel, NULL, false) == NULL)
			return (-1);
	}
	if (!st->vmm_loaded) {
		if (step_add(p, HOP_KLDLOAD, STEP_ALWAYS, -1, "vmm", NULL,
		    false) == NULL)
			return (-1);
		p->loads_vmm = true;
	}
	for (i = 0; i < nmove; i++) {
		selstr(&st->pci->dev[p->devs[i]], sel, sizeof(sel));
		if (step_add(p, HOP_SET_DRIVER, st->vmm_loaded ? STEP_ALWAYS :
		    STEP_IF_NOT_PPT, (ssize_t)p->devs[i], sel, "ppt",
		    true) == NULL)
			return (-1);
	}
	plan_fix_pointers(p);
	return (0);
}

static bool
unbind_check(const struct bind_state *st, const struct pci_dev *dv,
    struct diags *d)
{
	char sel[32], name[48];
	const char *owner;

	selstr(dv, sel, sizeof(sel));
	pci_dev_name(dv, name, sizeof(name));
	if (!pci_is_ppt(dv)) {
		diag_note(d, NULL, 0, "%s is not on ppt (it is %s); nothing "
		    "to do", sel, name);
		return (false);
	}
	if ((owner = vm_owner(st, &dv->sel)) != NULL) {
		diag_err(d, NULL, 0, "%s (%s) is used by the running VM %s; "
		    "stop the VM first", sel, name, owner);
		return (false);
	}
	if (st->vms_unknown)
		diag_warn(d, NULL, 0, "a VM is running whose devices ptvm "
		    "cannot tell; if it uses %s the kernel refuses the detach "
		    "with EBUSY", sel);
	return (true);
}

static int
unbind_tunables(const struct bind_state *st, const size_t *devs, size_t n,
    struct bind_plan *p, struct diags *d)
{
	char ents[3 * 64][16];
	size_t i, k, j, m;
	bool listed, drop;

	listed = false;
	for (i = 0; i < n; i++)
		if (pptdevs_has(st->pptdevs, &st->pci->dev[devs[i]].sel))
			listed = true;
	if (!listed)
		return (0);
	k = pptdevs_entries(st->pptdevs, NULL, ents, nitems(ents));
	for (j = m = 0; j < k; j++) {
		drop = false;
		for (i = 0; i < n; i++) {
			char w[16];
			const struct pci_sel *s = &st->pci->dev[devs[i]].sel;

			snprintf(w, sizeof(w), "%u/%u/%u", s->bus, s->slot,
			    s->func);
			if (strcmp(w, ents[j]) == 0)
				drop = true;
		}
		if (!drop)
			memmove(ents[m++], ents[j], sizeof(ents[0]));
	}
	return (plan_pptdevs(st, ents, m, p, d));
}

int
unbind_plan_make(const struct bind_state *st, const size_t *devs, size_t n,
    struct bind_plan *p, struct diags *d)
{
	const struct pci_dev *dv;
	const char *how;
	char sel[32];
	size_t i, nmove;
	ssize_t di;
	int nerr0;

	nerr0 = d->nerrors;
	if ((p->devs = calloc(n + 1, sizeof(*p->devs))) == NULL)
		return (-1);
	for (i = nmove = 0; i < n; i++)
		if (unbind_check(st, &st->pci->dev[devs[i]], d))
			p->devs[nmove++] = devs[i];
	p->ndevs = nmove;
	if (d->nerrors > nerr0)
		return (-1);
	if (unbind_tunables(st, p->devs, nmove, p, d) != 0)
		return (-1);
	for (i = 0; i < nmove; i++) {
		dv = &st->pci->dev[p->devs[i]];
		di = (ssize_t)p->devs[i];
		selstr(dv, sel, sizeof(sel));
		how = st->how_bound != NULL ?
		    st->how_bound(st->how_bound_arg, &dv->sel) : NULL;
		if (how == NULL || strcmp(how, "fixed") == 0) {
			if (step_add(p, HOP_CLEAR_DRIVER, STEP_ALWAYS, di, sel,
			    NULL, true) == NULL)
				return (-1);
			if (how != NULL)
				continue;
		}
		/* Bound through pptdevs (or unknown): detach, reprobe. */
		if (step_add(p, HOP_DETACH, how == NULL ? STEP_IF_STILL_PPT :
		    STEP_ALWAYS, di, sel, NULL, true) == NULL ||
		    step_add(p, HOP_ATTACH, how == NULL ? STEP_IF_NOT_PPT :
		    STEP_ALWAYS, di, sel, NULL, false) == NULL)
			return (-1);
	}
	plan_fix_pointers(p);
	return (0);
}

int
bind_step_inverse(const struct bind_step *s, struct bind_step *inv)
{

	memset(inv, 0, sizeof(*inv));
	inv->dev = s->dev;
	inv->when = STEP_ALWAYS;
	strlcpy(inv->a, s->a, sizeof(inv->a));
	switch (s->op.kind) {
	case HOP_KENV_SET:
	case HOP_KENV_UNSET:
		if (s->had_old) {
			inv->op.kind = HOP_KENV_SET;
			strlcpy(inv->b, s->old, sizeof(inv->b));
		} else if (s->op.kind == HOP_KENV_SET)
			inv->op.kind = HOP_KENV_UNSET;
		else
			return (-1);
		break;
	case HOP_KLDLOAD:
		inv->op.kind = HOP_KLDUNLOAD;
		break;
	case HOP_DETACH:
		inv->op.kind = HOP_ATTACH;
		break;
	case HOP_SET_DRIVER:
		inv->op.kind = HOP_CLEAR_DRIVER;
		inv->op.force = true;
		break;
	default:
		return (-1);
	}
	inv->op.a = inv->a;
	inv->op.b = inv->op.kind == HOP_KENV_SET ? inv->b : NULL;
	return (0);
}
