/*
 * vmcompile.c: a VM file to the exact bhyve configuration.
 *
 * Order of work: the VM file's bhyve keys are gathered first (they win
 * over anything ptvm would set and reserve their PCI slots), then ptvm's
 * defaults for a passthrough VM, then each ptvm key is expanded, devices
 * are placed on guest slots, and finally the whole configuration is
 * checked against what bhyve knows (bhyvekeys.c) and the tree rules of
 * bhyve's config.c.
 *
 * Guest slots (bus 0) follow the guide's layout so that a guest installed
 * from its script keeps its devices: 0 hostbridge, 1 storage (disk and
 * cdrom, functions 0-7, then slots 3 and 4), 2 network, 5 the VNC display
 * (fbuf at 5:0, the xhci tablet at 5:1), 7 and up one slot per passed
 * host device (keeping its function numbers), 31 LPC.  Each kind fills
 * its own slots, so adding a disk never moves the GPU; a kind that runs
 * out takes the lowest free slot from 8.  Slots given with "slot=" or by
 * pci.B.S.F keys are taken first and never moved.
 */
#include "compat.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcfg.h"
#include "bhyvekeys.h"
#include "neigh.h"
#include "pin.h"
#include "strbuf.h"
#include "util.h"
#include "vmconf.h"

#define VM_MAXDEVS	256

/* ptvm's own keys. */
enum vkey {
	K_CPUS, K_MEMORY, K_PIN, K_PIN_RESERVE, K_PASSTHRU, K_DISK, K_CDROM,
	K_NET, K_VNC, K_CONSOLE, K_FIRMWARE, K_FIRMWARE_VARS, K_SMBIOS, K_LPC,
	K_ON_REBOOT, K_ON_POWEROFF, K_ON_HALT, K_ON_CRASH, K_STOP_TIMEOUT,
	K_STOP_PRESSES, K_ISOLATE, K_UNBIND, K_CONSOLE_GPU, K_SOUND, K_TPM,
	K_REMOTE, K_NKEYS
};

static const struct {
	const char	*name;
	bool		 repeat;
} vkeys[K_NKEYS] = {
	[K_CPUS] = { "cpus", false },
	[K_MEMORY] = { "memory", false },
	[K_PIN] = { "pin", false },
	[K_PIN_RESERVE] = { "pin.reserve", false },
	[K_PASSTHRU] = { "passthru", true },
	[K_DISK] = { "disk", true },
	[K_CDROM] = { "cdrom", true },
	[K_NET] = { "net", true },
	[K_VNC] = { "vnc", false },
	[K_CONSOLE] = { "console", false },
	[K_FIRMWARE] = { "firmware", false },
	[K_FIRMWARE_VARS] = { "firmware.vars", false },
	[K_SMBIOS] = { "smbios", false },
	[K_LPC] = { "lpc", false },
	[K_ON_REBOOT] = { "on_reboot", false },
	[K_ON_POWEROFF] = { "on_poweroff", false },
	[K_ON_HALT] = { "on_halt", false },
	[K_ON_CRASH] = { "on_crash", false },
	[K_STOP_TIMEOUT] = { "stop.timeout", false },
	[K_STOP_PRESSES] = { "stop.acpi_presses", false },
	[K_ISOLATE] = { "isolate", false },
	[K_UNBIND] = { "unbind_on_stop", false },
	[K_CONSOLE_GPU] = { "console_gpu", false },
	[K_SOUND] = { "sound", false },
	[K_TPM] = { "tpm", false },
	[K_REMOTE] = { "remote", false },
};

/* A guest PCI address taken, and by which line. */
struct claim {
	unsigned	 bus, slot, func;
	unsigned	 line;
	bool		 user;		/* by a pci.B.S.F key */
	bool		 held;		/* by a slot= not placed yet */
};

struct cc {
	struct vm	*vm;
	const struct vm_env *env;
	struct diags	*d;
	const char	*file;
	struct bcfg	 user;		/* the file's bhyve keys */
	struct claim	 claim[VM_MAXDEVS];
	size_t		 nclaim;
	const struct vmconf_line *key[K_NKEYS];
	unsigned	 ndisk, nnet;
};

/* One "main,opt=value,flag" device value split at its commas. */
#define OPT_MAX	16
struct opts {
	char		*buf;
	char		*main;
	char		*k[OPT_MAX];
	char		*v[OPT_MAX];	/* NULL for a flag */
	bool		 used[OPT_MAX];
	int		 n;
};

static int
opts_split(struct cc *c, const struct vmconf_line *l, struct opts *o)
{
	char *p, *f, *eq;

	memset(o, 0, sizeof(*o));
	if ((o->buf = strdup(l->val)) == NULL)
		return (-1);
	p = o->buf;
	o->main = strsep(&p, ",");
	while ((f = strsep(&p, ",")) != NULL) {
		if (*f == '\0')
			continue;
		if (o->n == OPT_MAX) {
			diag_err(c->d, c->file, l->line, "%s: more than %d "
			    "options", l->key, OPT_MAX);
			return (-1);
		}
		if ((eq = strchr(f, '=')) != NULL)
			*eq++ = '\0';
		o->k[o->n] = f;
		o->v[o->n] = eq;
		o->n++;
	}
	if (o->main[0] == '\0' || strchr(o->main, '=') != NULL) {
		diag_err(c->d, c->file, l->line, "%s: the value starts with "
		    "what to use (\"%s=%s\"), then its options", l->key,
		    l->key, l->key[0] == 'p' ? "6/0/0,rom=/path" : "/path");
		return (-1);
	}
	return (0);
}

static const char *
opts_take(struct opts *o, const char *k)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (!o->used[i] && strcmp(o->k[i], k) == 0) {
			o->used[i] = true;
			return (o->v[i] != NULL ? o->v[i] : "");
		}
	return (NULL);
}

static void
opts_free(struct opts *o)
{

	free(o->buf);
}

static int
set(struct cc *c, const char *key, const char *val, unsigned line)
{

	if (bcfg_find(&c->user, key) != NULL)
		return (0);		/* the file's own key wins */
	return (bcfg_set(&c->vm->cfg, key, val, line ? c->file : NULL, line));
}

static int
set_lit(struct cc *c, const char *key, const char *val, unsigned line)
{

	if (bcfg_find(&c->user, key) != NULL)
		return (0);
	return (bcfg_set_lit(&c->vm->cfg, key, val, line ? c->file : NULL,
	    line));
}

static int
setf(struct cc *c, unsigned line, const char *val, const char *fmt, ...)
    __printflike(4, 5);

static int
setf(struct cc *c, unsigned line, const char *val, const char *fmt, ...)
{
	char key[128];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(key, sizeof(key), fmt, ap);
	va_end(ap);
	return (set_lit(c, key, val, line));
}

/* ---- guest slots ---- */

static struct claim *
claim_find(struct cc *c, unsigned bus, unsigned slot, unsigned func)
{
	size_t i;

	for (i = 0; i < c->nclaim; i++)
		if (c->claim[i].bus == bus && c->claim[i].slot == slot &&
		    c->claim[i].func == func)
			return (&c->claim[i]);
	return (NULL);
}

static bool
slot_used(struct cc *c, unsigned bus, unsigned slot)
{
	size_t i;

	for (i = 0; i < c->nclaim; i++)
		if (c->claim[i].bus == bus && c->claim[i].slot == slot)
			return (true);
	return (false);
}

static int
claim(struct cc *c, unsigned bus, unsigned slot, unsigned func,
    unsigned line, bool user)
{
	struct claim *k;

	if ((k = claim_find(c, bus, slot, func)) != NULL) {
		if (k->user && user)
			return (0);
		if (k->held && k->line == line) {
			k->held = false;	/* its own slot= */
			return (0);
		}
		diag_err(c->d, c->file, line, "guest PCI address %u:%u:%u is "
		    "already used by line %u; choose another slot= or remove "
		    "one of them", bus, slot, func, k->line);
		return (-1);
	}
	if (c->nclaim == VM_MAXDEVS) {
		diag_err(c->d, c->file, line, "more than %d guest PCI "
		    "functions", VM_MAXDEVS);
		return (-1);
	}
	k = &c->claim[c->nclaim++];
	k->bus = bus;
	k->slot = slot;
	k->func = func;
	k->line = line;
	k->user = user;
	return (0);
}

/* "S" or "S:F" (bus 0) or "B:S:F", bhyve's -s forms. */
static int
parse_slot(const char *s, unsigned *bus, unsigned *slot, unsigned *func)
{
	unsigned long v[3];
	const char *p;
	int n;

	for (p = s, n = 0; n < 3; n++) {
		if (util_parse_ulong_end(&p, NULL, 10, 255, &v[n]) != 0)
			return (-1);
		if (*p == '\0')
			break;
		if (*p++ != ':')
			return (-1);
	}
	if (n == 3)
		return (-1);
	*bus = 0;
	*func = 0;
	if (n == 0)
		*slot = (unsigned)v[0];
	else if (n == 1) {
		*slot = (unsigned)v[0];
		*func = (unsigned)v[1];
	} else {
		*bus = (unsigned)v[0];
		*slot = (unsigned)v[1];
		*func = (unsigned)v[2];
	}
	return (*slot <= 31 && *func <= 7 ? 0 : -1);
}

/*
 * The slot= of every disk, cdrom, net and vnc line is held before any
 * device is placed, so that a device without one (a line a command added
 * later, whatever its place in the file) goes around them.
 */
static void
hold_slots(struct cc *c)
{
	const struct vmconf_line *l;
	const char *p;
	char want[16];
	unsigned bus, slot, func;
	size_t i, n;

	for (i = 0; i < c->vm->conf.n; i++) {
		l = &c->vm->conf.l[i];
		if (strcmp(l->key, "disk") != 0 && strcmp(l->key, "cdrom") !=
		    0 && strcmp(l->key, "net") != 0 && strcmp(l->key, "vnc") !=
		    0)
			continue;
		if ((p = strstr(l->val, ",slot=")) == NULL)
			continue;
		p += 6;
		n = strcspn(p, ",");
		if (n >= sizeof(want))
			continue;
		memcpy(want, p, n);
		want[n] = '\0';
		func = 0;
		if (parse_slot(want, &bus, &slot, &func) != 0 ||
		    (bus == 0 && (slot == 0 || slot == 31)) ||
		    claim_find(c, bus, slot, func) != NULL ||
		    c->nclaim == VM_MAXDEVS)
			continue;	/* said when the line is placed */
		c->claim[c->nclaim].bus = bus;
		c->claim[c->nclaim].slot = slot;
		c->claim[c->nclaim].func = func;
		c->claim[c->nclaim].line = l->line;
		c->claim[c->nclaim].user = false;
		c->claim[c->nclaim].held = true;
		c->nclaim++;
	}
}

/*
 * Places a device of one kind: an explicit "slot=" address, or the next
 * free function of the kind's preferred slots, or a free slot from 8.
 */
static int
place(struct cc *c, const struct vmconf_line *l, const char *want,
    const unsigned *pref, size_t npref, bool multifunc, unsigned *bus,
    unsigned *slot, unsigned *func)
{
	size_t i;
	unsigned s, f;

	if (want != NULL) {
		if (parse_slot(want, bus, slot, func) != 0) {
			diag_err(c->d, c->file, l->line, "%s: slot=%s: give S, "
			    "S:F or B:S:F with slot 0-31 and function 0-7",
			    l->key, want);
			return (-1);
		}
		/*
		 * Slot 0 of bus 0 holds the hostbridge and slot 31 the LPC
		 * (defaults()); a device there would replace them.
		 */
		if (*bus == 0 && (*slot == 0 || *slot == 31)) {
			diag_err(c->d, c->file, l->line, "%s: slot=%s: guest "
			    "slot %u is the %s's (pci.0.%u.0); choose a slot "
			    "from 1 to 30", l->key, want, *slot, *slot == 0 ?
			    "hostbridge" : "LPC", *slot);
			return (-1);
		}
		return (claim(c, *bus, *slot, *func, l->line, false));
	}
	*bus = 0;
	for (i = 0; i < npref; i++) {
		s = pref[i];
		if (!multifunc) {
			if (!slot_used(c, 0, s))
				goto found_slot;
			continue;
		}
		for (f = 0; f < 8; f++)
			if (claim_find(c, 0, s, f) == NULL) {
				/* Function 0 must exist before others. */
				if (f > 0 && claim_find(c, 0, s, 0) == NULL)
					break;
				*slot = s;
				*func = f;
				return (claim(c, 0, s, f, l->line, false));
			}
	}
	for (s = 8; s <= 30; s++)
		if (!slot_used(c, 0, s))
			goto found_slot;
	diag_err(c->d, c->file, l->line, "%s: no free guest PCI slot left on "
	    "bus 0", l->key);
	return (-1);
found_slot:
	*slot = s;
	*func = 0;
	return (claim(c, 0, s, 0, l->line, false));
}

static struct vm_dev *
dev_add(struct cc *c, enum vm_dev_kind kind, unsigned line)
{
	struct vm_dev *nd, *dv;

	if (c->vm->ndev == VM_MAXDEVS)
		return (NULL);
	nd = reallocarray(c->vm->dev, c->vm->ndev + 1, sizeof(*nd));
	if (nd == NULL)
		return (NULL);
	c->vm->dev = nd;
	dv = &nd[c->vm->ndev++];
	memset(dv, 0, sizeof(*dv));
	dv->kind = kind;
	dv->line = line;
	return (dv);
}

/* Options left over after a device took its own: bhyve keys of it. */
static int
opts_rest(struct cc *c, const struct vmconf_line *l, struct opts *o,
    const char *prefix)
{
	char key[160];
	int i;

	for (i = 0; i < o->n; i++) {
		if (o->used[i])
			continue;
		if (strchr(o->k[i], '.') != NULL && strncmp(o->k[i], "port.",
		    5) != 0) {
			diag_err(c->d, c->file, l->line, "%s: option \"%s\" is "
			    "not a device option", l->key, o->k[i]);
			return (-1);
		}
		(void)snprintf(key, sizeof(key), "%s.%s", prefix, o->k[i]);
		if (set(c, key, o->v[i] != NULL ? o->v[i] : "true",
		    l->line) != 0)
			return (-1);
	}
	return (0);
}

static bool
path_ok(struct cc *c, const struct vmconf_line *l, const char *what,
    const char *path)
{

	if (path[0] == '/')
		return (true);
	diag_err(c->d, c->file, l->line, "%s: \"%s\" is not an absolute "
	    "path; bhyve opens %s relative to the directory it was started "
	    "in, so write the full path", l->key, path, what);
	return (false);
}

/* ---- the keys ---- */

static int
do_cpus(struct cc *c)
{
	const struct vmconf_line *l = c->key[K_CPUS];
	long long n;
	char buf[16];

	if (l == NULL) {
		if (bcfg_get(&c->user, "cpus") == NULL)
			diag_warn(c->d, c->file, 0, "cpus is not set; bhyve "
			    "gives the VM one vCPU (add cpus=N)");
		c->vm->ncpus = 1;
		return (0);
	}
	if (util_strtonum(l->val, 1, VM_MAXVCPUS, &n) != 0) {
		diag_err(c->d, c->file, l->line, "cpus: \"%s\" is not a "
		    "number of vCPUs from 1 to %d", l->val, VM_MAXVCPUS);
		return (-1);
	}
	if (c->env->maxcpu > 0 && n > c->env->maxcpu) {
		diag_err(c->d, c->file, l->line, "cpus=%lld: vmm(4) allows at "
		    "most %d vCPUs (hw.vmm.maxcpu)", n, c->env->maxcpu);
		return (-1);
	}
	c->vm->ncpus = (int)n;
	(void)snprintf(buf, sizeof(buf), "%lld", n);
	return (set(c, "cpus", buf, l->line));
}

static int
do_memory(struct cc *c)
{
	const struct vmconf_line *l = c->key[K_MEMORY];
	struct vmconf_line ul;
	struct bcfg_var *u;

	if ((u = bcfg_find(&c->user, "memory.size")) != NULL && l != NULL) {
		diag_err(c->d, c->file, l->line, "memory and memory.size (line "
		    "%u) both set the VM's memory; keep one", u->line);
		return (-1);
	}
	if (l == NULL && u == NULL) {
		diag_warn(c->d, c->file, 0, "memory is not set; bhyve gives "
		    "the VM 256M (add memory=8G or so)");
		c->vm->memory = 256ULL << 20;
		return (0);
	}
	if (l == NULL) {
		ul.key = __DECONST(char *, "memory.size");
		ul.val = u->val;
		ul.line = u->line;
		l = &ul;
	}
	if (vm_parse_size(l->val, &c->vm->memory) != 0 ||
	    c->vm->memory < (1ULL << 20)) {
		diag_err(c->d, c->file, l->line, "%s: \"%s\" is not a memory "
		    "size; write it as 16G, 16384M or a number of bytes",
		    l->key, l->val);
		return (-1);
	}
	return (u == NULL ? set(c, "memory.size", l->val, l->line) : 0);
}

static int
pin_explicit(struct cc *c, const struct vmconf_line *l)
{
	char *buf, *p, *w;
	const char *q;
	unsigned long v, h;
	int bad;

	if ((buf = strdup(l->val)) == NULL)
		return (-1);
	bad = 0;
	for (p = buf; (w = strsep(&p, " \t")) != NULL;) {
		if (*w == '\0')
			continue;
		q = w;
		if (util_parse_ulong_end(&q, NULL, 10, VM_MAXVCPUS, &v) != 0 ||
		    *q != ':' || (q++, util_parse_ulong_end(&q, NULL, 10,
		    TOPO_MAXCPU - 1, &h) != 0) || *q != '\0') {
			diag_err(c->d, c->file, l->line, "pin: \"%s\" is not "
			    "vcpu:hostcpu%s", w, strchr(w, ',') != NULL ?
			    " (bhyve -p takes 0:2, not 0,2)" : "");
			bad = 1;
			continue;
		}
		if ((int)v >= c->vm->ncpus) {
			diag_err(c->d, c->file, l->line, "pin: vCPU %lu does "
			    "not exist; the VM has cpus=%d (vCPUs 0-%d)", v,
			    c->vm->ncpus, c->vm->ncpus - 1);
			bad = 1;
			continue;
		}
		if (c->vm->pin[v] >= 0) {
			diag_err(c->d, c->file, l->line, "pin: vCPU %lu is "
			    "pinned twice", v);
			bad = 1;
			continue;
		}
		if (c->env->topo != NULL &&
		    topo_cpu_core(c->env->topo, (int)h) == NULL) {
			diag_err(c->d, c->file, l->line, "pin: host CPU %lu "
			    "does not exist on this host (CPUs 0-%d)", h,
			    c->env->topo->maxcpu - 1);
			bad = 1;
			continue;
		}
		c->vm->pin[v] = (int)h;
	}
	free(buf);
	return (bad ? -1 : 0);
}

static int
do_pin(struct cc *c)
{
	const struct vmconf_line *l = c->key[K_PIN];
	const struct vmconf_line *r = c->key[K_PIN_RESERVE];
	struct pin_req req;
	struct diags pd;
	const struct diag *x;
	const char *how;
	char buf[32];
	unsigned where;
	int i, rc;

	if ((c->vm->pin = malloc((size_t)c->vm->ncpus * sizeof(int))) == NULL)
		return (-1);
	for (i = 0; i < c->vm->ncpus; i++)
		c->vm->pin[i] = -1;
	how = l != NULL ? l->val : "threads";
	if (strcmp(how, "none") == 0) {
		if (r != NULL)
			diag_warn(c->d, c->file, r->line, "pin.reserve has no "
			    "effect with pin=none");
		return (0);
	}
	if (isdigit((unsigned char)how[0])) {
		if (r != NULL)
			diag_warn(c->d, c->file, r->line, "pin.reserve has no "
			    "effect on an explicit pin list");
		if (pin_explicit(c, l) != 0)
			return (-1);
	} else {
		memset(&req, 0, sizeof(req));
		req.nvcpus = c->vm->ncpus;
		if (pin_policy_parse(how, &req.policy) != 0) {
			diag_err(c->d, c->file, l->line, "pin: \"%s\": give "
			    "threads, cores, none or a list such as "
			    "\"0:2 1:4\"", how);
			return (-1);
		}
		if (c->env->topo == NULL) {
			if (l != NULL)
				diag_err(c->d, c->file, l->line, "pin=%s needs "
				    "the host's CPU topology, which is not "
				    "known (kern.sched.topology_spec)", how);
			else
				diag_note(c->d, c->file, 0, "the host's CPU "
				    "topology is not known: vCPUs are not "
				    "pinned");
			return (l != NULL ? -1 : 0);
		}
		if (r != NULL) {
			req.reserve_set = true;
			if (strcmp(r->val, "none") != 0 && cpuset_parse(r->val,
			    &req.reserve, "pin.reserve", c->d) != 0)
				return (-1);
			/* Checked here to name the key, not ptvm pin's
			 * --reserve. */
			for (i = topo_set_next(&req.reserve, 0); i >= 0;
			    i = topo_set_next(&req.reserve, i + 1))
				if (!topo_set_has(&c->env->topo->all, i)) {
					diag_err(c->d, c->file, r->line,
					    "pin.reserve: CPU %d does not "
					    "exist on this host (CPUs 0-%d)",
					    i, c->env->topo->maxcpu - 1);
					return (-1);
				}
		}
		if ((c->vm->plan = malloc(sizeof(*c->vm->plan))) == NULL)
			return (-1);
		/*
		 * The planner's messages have no place: they go at the
		 * pin.reserve line, the pin line or the cpus line that asks.
		 */
		where = r != NULL ? r->line : l != NULL ? l->line :
		    c->key[K_CPUS] != NULL ? c->key[K_CPUS]->line : 0;
		diags_init(&pd);
		rc = pin_plan(c->env->topo, &req, c->vm->plan, &pd);
		STAILQ_FOREACH(x, &pd.head, entry)
			diag_add(c->d, x->level, c->file, where, "pin: %s",
			    x->msg);
		if (rc != 0 && pd.nerrors == 0)
			diag_err(c->d, c->file, where, "pin: no plan for %d "
			    "vCPUs on this host", c->vm->ncpus);
		diags_free(&pd);
		if (rc != 0)
			return (-1);
		for (i = 0; i < c->vm->ncpus; i++)
			c->vm->pin[i] = c->vm->plan->cpu[i];
	}
	for (i = 0; i < c->vm->ncpus; i++) {
		if (c->vm->pin[i] < 0)
			continue;
		c->vm->pinned = true;
		(void)snprintf(buf, sizeof(buf), "%d", c->vm->pin[i]);
		if (setf(c, l != NULL ? l->line : 0, buf, "vcpu.%d.cpuset",
		    i) != 0)
			return (-1);
	}
	return (0);
}

/* Guest topology: one socket (Windows client editions use at most two). */
static int
do_topology(struct cc *c)
{
	char buf[16];
	int cores, threads;
	unsigned line;

	if (bcfg_find(&c->user, "sockets") != NULL ||
	    bcfg_find(&c->user, "cores") != NULL ||
	    bcfg_find(&c->user, "threads") != NULL)
		return (0);
	/* A refused cpus= was reported; no topology derived from it. */
	if (c->vm->ncpus < 1)
		return (0);
	threads = 1;
	if (c->vm->plan != NULL && c->vm->plan->threads > 1 &&
	    c->vm->ncpus % c->vm->plan->threads == 0)
		threads = c->vm->plan->threads;
	cores = c->vm->ncpus / threads;
	line = c->key[K_CPUS] != NULL ? c->key[K_CPUS]->line : 0;
	if (set(c, "sockets", "1", line) != 0)
		return (-1);
	(void)snprintf(buf, sizeof(buf), "%d", cores);
	if (set(c, "cores", buf, line) != 0)
		return (-1);
	(void)snprintf(buf, sizeof(buf), "%d", threads);
	return (set(c, "threads", buf, line));
}

static int
pass_one(struct cc *c, const struct vmconf_line *l, struct pci_sel *sel,
    char **rom, char **slotopt, bool *take, bool *audio)
{
	struct pci_dev *dv;
	struct opts o;
	const char *v;
	char err[160];
	size_t i;
	int rc;

	if (opts_split(c, l, &o) != 0) {
		opts_free(&o);
		return (-1);
	}
	rc = -1;
	if (c->env->pci != NULL) {
		if ((dv = pci_lookup(c->env->pci, o.main, err,
		    sizeof(err))) == NULL) {
			diag_err(c->d, c->file, l->line, "passthru: %s", err);
			goto out;
		}
		*sel = dv->sel;
		if (pci_is_bridge(dv)) {
			diag_err(c->d, c->file, l->line, "passthru: %s is a "
			    "PCI bridge; pass the GPU's functions behind it, "
			    "never the bridge (see ptvm devices)", o.main);
			goto out;
		}
	} else if (pci_sel_parse(o.main, sel, err, sizeof(err)) != 0) {
		diag_err(c->d, c->file, l->line, "passthru: %s", err);
		goto out;
	}
	if (sel->domain != 0) {
		diag_err(c->d, c->file, l->line, "passthru: %s is in PCI "
		    "domain %u; bhyve and ppt(4) only address domain 0",
		    o.main, sel->domain);
		goto out;
	}
	if (sel->func > 7) {
		diag_err(c->d, c->file, l->line, "passthru: %s is an ARI "
		    "function (%u); a guest slot has functions 0-7", o.main,
		    sel->func);
		goto out;
	}
	for (i = 0; i < c->vm->nbind; i++)
		if (pci_sel_eq(&c->vm->bind[i], sel)) {
			diag_err(c->d, c->file, l->line, "passthru: %s is "
			    "passed twice", o.main);
			goto out;
		}
	if ((v = opts_take(&o, "rom")) != NULL) {
		if (!path_ok(c, l, "the ROM file", v))
			goto out;
		if ((*rom = strdup(v)) == NULL)
			goto out;
	}
	if ((v = opts_take(&o, "slot")) != NULL &&
	    (*slotopt = strdup(v)) == NULL)
		goto out;
	/* The host's own disk or network controller (check, freebsd.md#H). */
	if ((v = opts_take(&o, "host_use")) != NULL) {
		if (strcmp(v, "take") != 0 && strcmp(v, "refuse") != 0) {
			diag_err(c->d, c->file, l->line, "passthru: host_use="
			    "%s: take or refuse", v);
			goto out;
		}
		*take = strcmp(v, "take") == 0;
	}
	/*
	 * The GPU's HDMI/DP audio function stays with the host on purpose
	 * (the guide: on AMD, passing it can make the reset bug worse):
	 * check says so as a pass, not a warning.
	 */
	if ((v = opts_take(&o, "audio")) != NULL) {
		if (strcmp(v, "host") != 0) {
			diag_err(c->d, c->file, l->line, "passthru: audio=%s: "
			    "give audio=host (the GPU's HDMI/DP audio stays "
			    "with the host), or pass the audio function on a "
			    "passthru line of its own", v);
			goto out;
		}
		*audio = true;
	}
	for (i = 0; i < (size_t)o.n; i++)
		if (!o.used[i]) {
			diag_err(c->d, c->file, l->line, "passthru: unknown "
			    "option \"%s\"; passthru takes rom=, slot=, "
			    "host_use= and audio=%s",
			    o.k[i], util_distance(o.k[i], "rom") <= 2 ?
			    " (did you mean rom?)" : "");
			goto out;
		}
	rc = 0;
out:
	opts_free(&o);
	return (rc);
}

/*
 * passthru lines: functions of one host device share a guest slot and
 * keep their function numbers.
 */
static int
do_passthru(struct cc *c)
{
	static const unsigned pref[] = { 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30 };
	struct pci_sel sel, *nb;
	struct vm_dev *dv, *first;
	char *rom, *slotopt, buf[16], keyp[32];
	size_t i, k;
	unsigned bus, slot, func, minf;
	bool take, audio;
	int bad;

	bad = 0;
	for (i = 0; i < c->vm->conf.n; i++) {
		const struct vmconf_line *l = &c->vm->conf.l[i];

		if (strcmp(l->key, "passthru") != 0)
			continue;
		rom = slotopt = NULL;
		take = audio = false;
		if (pass_one(c, l, &sel, &rom, &slotopt, &take, &audio) != 0) {
			free(rom);
			free(slotopt);
			bad = 1;
			continue;
		}
		nb = reallocarray(c->vm->bind, c->vm->nbind + 1, sizeof(*nb));
		if (nb == NULL || (dv = dev_add(c, VMD_PASSTHRU, l->line)) ==
		    NULL) {
			if (nb != NULL)
				c->vm->bind = nb;
			free(rom);
			free(slotopt);
			return (-1);
		}
		c->vm->bind = nb;
		c->vm->bind[c->vm->nbind++] = sel;
		dv->host = sel;
		dv->host_use_take = take;
		dv->audio_host = audio;
		dv->rom = rom;
		dv->path = slotopt;	/* the slot= option until placed */
		c->vm->display = true;
	}
	if (bad)
		return (-1);
	/* Place each host device's functions on one guest slot. */
	for (i = 0; i < c->vm->ndev; i++) {
		first = &c->vm->dev[i];
		if (first->kind != VMD_PASSTHRU || first->slot != 0)
			continue;
		minf = 7;
		for (k = i; k < c->vm->ndev; k++) {
			dv = &c->vm->dev[k];
			if (dv->kind == VMD_PASSTHRU &&
			    dv->host.bus == first->host.bus &&
			    dv->host.slot == first->host.slot &&
			    dv->host.func < minf)
				minf = dv->host.func;
		}
		{
			const struct vmconf_line fake = { "passthru",
			    first->path, first->line };

			if (place(c, &fake, first->path, pref, nitems(pref),
			    false, &bus, &slot, &func) != 0)
				return (-1);
			c->nclaim--;	/* claimed per function below */
		}
		if (minf != 0)
			diag_warn(c->d, c->file, first->line, "passthru: "
			    "function 0 of host device %u/%u is not passed, so "
			    "its functions move down by %u in the guest (a "
			    "guest only probes a slot's other functions when "
			    "function 0 exists)", first->host.bus,
			    first->host.slot, minf);
		for (k = i; k < c->vm->ndev; k++) {
			dv = &c->vm->dev[k];
			if (dv->kind != VMD_PASSTHRU ||
			    dv->host.bus != first->host.bus ||
			    dv->host.slot != first->host.slot)
				continue;
			dv->bus = bus;
			dv->slot = slot;
			dv->func = func + dv->host.func - minf;
			if (dv->func > 7 || claim(c, bus, slot, dv->func,
			    dv->line, false) != 0) {
				if (dv->func > 7)
					diag_err(c->d, c->file, dv->line,
					    "passthru: no guest function left "
					    "in slot %u", slot);
				return (-1);
			}
			free(dv->path);
			dv->path = NULL;
			(void)snprintf(keyp, sizeof(keyp), "pci.%u.%u.%u",
			    dv->bus, dv->slot, dv->func);
			if (setf(c, dv->line, "passthru", "%s.device", keyp) ||
			    (snprintf(buf, sizeof(buf), "%u", dv->host.bus),
			    setf(c, dv->line, buf, "%s.bus", keyp)) ||
			    (snprintf(buf, sizeof(buf), "%u", dv->host.slot),
			    setf(c, dv->line, buf, "%s.slot", keyp)) ||
			    (snprintf(buf, sizeof(buf), "%u", dv->host.func),
			    setf(c, dv->line, buf, "%s.func", keyp)) ||
			    (dv->rom != NULL && setf(c, dv->line, dv->rom,
			    "%s.rom", keyp)))
				return (-1);
		}
	}
	return (0);
}

static int
do_storage(struct cc *c, const struct vmconf_line *l, bool cdrom)
{
	static const unsigned pref[] = { 1, 3, 4 };
	struct opts o;
	struct vm_dev *dv;
	const char *type, *want;
	char keyp[48];
	unsigned bus, slot, func;
	int rc;

	if (opts_split(c, l, &o) != 0) {
		opts_free(&o);
		return (-1);
	}
	rc = -1;
	if (!path_ok(c, l, cdrom ? "the ISO image" : "the disk", o.main))
		goto out;
	type = cdrom ? "ahci-cd" : opts_take(&o, "type");
	if (type == NULL)
		type = "nvme";
	if (!cdrom && strcmp(type, "nvme") != 0 && strcmp(type, "ahci") != 0 &&
	    strcmp(type, "ahci-hd") != 0 && strcmp(type, "virtio-blk") != 0) {
		diag_err(c->d, c->file, l->line, "disk: type=%s: give nvme "
		    "(the default), ahci or virtio-blk", type);
		goto out;
	}
	want = opts_take(&o, "slot");
	if (place(c, l, want, pref, nitems(pref), true, &bus, &slot,
	    &func) != 0)
		goto out;
	if ((dv = dev_add(c, cdrom ? VMD_CDROM : VMD_DISK, l->line)) == NULL ||
	    (dv->path = strdup(o.main)) == NULL)
		goto out;
	dv->bus = bus;
	dv->slot = slot;
	dv->func = func;
	(void)snprintf(keyp, sizeof(keyp), "pci.%u.%u.%u", bus, slot, func);
	if (strncmp(type, "ahci", 4) == 0) {
		if (setf(c, l->line, "ahci", "%s.device", keyp) ||
		    setf(c, l->line, cdrom ? "cd" : "hd", "%s.port.0.type",
		    keyp) || setf(c, l->line, o.main, "%s.port.0.path", keyp))
			goto out;
		(void)strlcat(keyp, ".port.0", sizeof(keyp));
	} else if (setf(c, l->line, type, "%s.device", keyp) ||
	    setf(c, l->line, o.main, "%s.path", keyp))
		goto out;
	rc = opts_rest(c, l, &o, keyp);
out:
	opts_free(&o);
	return (rc);
}


static int
do_net(struct cc *c, const struct vmconf_line *l, unsigned idx)
{
	static const unsigned pref[] = { 2 };
	struct opts o;
	struct vm_dev *dv;
	static const uint8_t zero[6];
	const char *type, *want, *p, *mac;
	char keyp[48], tap[16];
	uint8_t m[6];
	unsigned bus, slot, func;
	size_t pl;
	int rc;

	if (opts_split(c, l, &o) != 0) {
		opts_free(&o);
		return (-1);
	}
	rc = -1;
	/* Letters, then the unit number, and nothing else (IFNAMSIZ). */
	for (p = o.main; isalpha((unsigned char)*p); p++)
		;
	if (p == o.main || !isdigit((unsigned char)*p) ||
	    strspn(p, "0123456789") != strlen(p) || strlen(o.main) > 15) {
		diag_err(c->d, c->file, l->line, "net: \"%s\" is not an "
		    "interface name such as tap0 or bridge0 (letters, then "
		    "the unit number, at most 15 characters)", o.main);
		goto out;
	}
	/* The letters are the driver: exactly tap, vmnet or bridge. */
	pl = (size_t)(p - o.main);
	if ((dv = dev_add(c, VMD_NET, l->line)) == NULL)
		goto out;
	dv->netidx = idx;
	if (pl == 6 && strncmp(o.main, "bridge", 6) == 0) {
		/*
		 * The kernel clones only "tap" and a unit number
		 * (tuntap_name2info, freebsd.md#N3): start picks a free unit
		 * and puts it here and in the backend key.
		 */
		(void)strlcpy(tap, "tap", sizeof(tap));
		if ((dv->bridge = strdup(o.main)) == NULL)
			goto out;
	} else if ((pl == 3 && strncmp(o.main, "tap", 3) == 0) ||
	    (pl == 5 && strncmp(o.main, "vmnet", 5) == 0))
		(void)strlcpy(tap, o.main, sizeof(tap));
	else {
		diag_err(c->d, c->file, l->line, "net: %s: give a tap (tap0), "
		    "a vmnet or a bridge (bridge0, for which ptvm makes a tap "
		    "at start); bhyve cannot use a physical interface "
		    "directly", o.main);
		goto out;
	}
	if ((dv->ifname = strdup(tap)) == NULL)
		goto out;
	type = opts_take(&o, "type");
	if (type == NULL)
		type = "virtio-net";
	if (strcmp(type, "virtio-net") != 0 && strcmp(type, "e1000") != 0) {
		diag_err(c->d, c->file, l->line, "net: type=%s: give "
		    "virtio-net (the default) or e1000", type);
		goto out;
	}
	want = opts_take(&o, "slot");
	if (place(c, l, want, pref, nitems(pref), true, &bus, &slot,
	    &func) != 0)
		goto out;
	dv->bus = bus;
	dv->slot = slot;
	dv->func = func;
	/*
	 * The guest's address is found by its MAC in the host's neighbour
	 * tables (freebsd.md#A1): mac= goes to bhyve as it is; without it
	 * bhyve derives one from the slot, function and VM name
	 * (freebsd.md#A3), which ptvm computes the same way and never
	 * writes: the guest keeps the NIC it always had.
	 */
	(void)snprintf(keyp, sizeof(keyp), "pci.%u.%u.%u", bus, slot, func);
	if ((mac = opts_take(&o, "mac")) == NULL)
		neigh_bhyve_mac(slot, func, c->vm->name, m);
	else if (neigh_mac_parse(mac, m) != 0 || (m[0] & 1) != 0) {
		diag_err(c->d, c->file, l->line, "net: mac=%s is not a unicast "
		    "MAC address (02:00:00:00:00:01)", mac);
		goto out;
	} else if (memcmp(m, zero, sizeof(zero)) == 0) {
		/* bhyve's net_parsemac() refuses it (freebsd.md#A3). */
		diag_err(c->d, c->file, l->line, "net: mac=%s: bhyve refuses "
		    "the all-zero address; give another (02:00:00:00:00:01) or "
		    "leave mac= out", mac);
		goto out;
	}
	memcpy(dv->mac, m, sizeof(dv->mac));
	if (setf(c, l->line, type, "%s.device", keyp) ||
	    setf(c, l->line, tap, "%s.backend", keyp) ||
	    (mac != NULL && setf(c, l->line, mac, "%s.mac", keyp)))
		goto out;
	rc = opts_rest(c, l, &o, keyp);
out:
	opts_free(&o);
	return (rc);
}

static int
addr_ok(const char *a)
{
	const char *p, *colon;
	long long port;

	if (a[0] == '[') {
		if ((p = strchr(a, ']')) == NULL || p[1] != ':')
			return (-1);
		colon = p + 1;
	} else if ((colon = strrchr(a, ':')) == NULL || colon == a)
		return (-1);
	return (util_strtonum(colon + 1, 1, 65535, &port));
}

static int
do_vnc(struct cc *c)
{
	static const unsigned pref[] = { 5 };
	const struct vmconf_line *l = c->key[K_VNC];
	struct opts o;
	struct vm_dev *dv;
	const char *want;
	char keyp[32];
	unsigned bus, slot, func;
	int rc;

	if (l == NULL || strcmp(l->val, "none") == 0)
		return (0);
	if (opts_split(c, l, &o) != 0) {
		opts_free(&o);
		return (-1);
	}
	rc = -1;
	if (addr_ok(o.main) != 0) {
		diag_err(c->d, c->file, l->line, "vnc: \"%s\" is not "
		    "ADDRESS:PORT (0.0.0.0:5900, 127.0.0.1:5900, [::1]:5900)",
		    o.main);
		goto out;
	}
	want = opts_take(&o, "slot");
	if (place(c, l, want, pref, nitems(pref), true, &bus, &slot,
	    &func) != 0 || (dv = dev_add(c, VMD_FBUF, l->line)) == NULL)
		goto out;
	dv->bus = bus;
	dv->slot = slot;
	dv->func = func;
	if ((c->vm->vnc = strdup(o.main)) == NULL)
		goto out;
	c->vm->display = true;
	(void)snprintf(keyp, sizeof(keyp), "pci.%u.%u.%u", bus, slot, func);
	if (setf(c, l->line, "fbuf", "%s.device", keyp) ||
	    setf(c, l->line, o.main, "%s.tcp", keyp) ||
	    opts_rest(c, l, &o, keyp) != 0)
		goto out;
	/* The tablet makes the VNC pointer absolute. */
	if (place(c, l, NULL, pref, nitems(pref), true, &bus, &slot,
	    &func) != 0 || (dv = dev_add(c, VMD_XHCI, l->line)) == NULL)
		goto out;
	dv->bus = bus;
	dv->slot = slot;
	dv->func = func;
	(void)snprintf(keyp, sizeof(keyp), "pci.%u.%u.%u", bus, slot, func);
	if (setf(c, l->line, "xhci", "%s.device", keyp) ||
	    setf(c, l->line, "tablet", "%s.slot.1.device", keyp))
		goto out;
	rc = 0;
out:
	opts_free(&o);
	return (rc);
}

/*
 * A sound device path as bhyve's HDA takes it (freebsd.md#S2): audio_init()
 * opens it with open(2), so an absolute path, and keeps it in a 64-byte
 * buffer, so at most 63 bytes.
 */
static int
sound_path_ok(struct cc *c, const struct vmconf_line *l, const char *opt,
    const char *v)
{

	if (v == NULL || v[0] == '\0') {
		diag_err(c->d, c->file, l->line, "sound: %s= needs a sound "
		    "device such as /dev/dsp or /dev/dsp1", opt);
		return (-1);
	}
	if (v[0] != '/') {
		diag_err(c->d, c->file, l->line, "sound: %s=%s is not an "
		    "absolute path; give the device as /dev/dsp or /dev/dspN",
		    opt, v);
		return (-1);
	}
	if (strlen(v) > 63) {
		diag_err(c->d, c->file, l->line, "sound: %s=: bhyve's HDA "
		    "keeps at most 63 bytes of a device path (audio.c); use "
		    "/dev/dspN", opt);
		return (-1);
	}
	return (0);
}

/*
 * sound=yes | no | play=DEV[,rec=DEV]: bhyve's HDA controller (pci_hda.c
 * reads play and rec, freebsd.md#S2).  yes plays and records through
 * /dev/dsp, the host's default unit.  Placed after every other device, on
 * slot 6 when free.
 */
static int
do_sound(struct cc *c)
{
	static const unsigned pref[] = { 6 };
	const struct vmconf_line *l = c->key[K_SOUND];
	struct vmconf_line tl;
	struct vm_dev *dv;
	struct opts o;
	const char *play, *rec, *want;
	char keyp[32], *buf;
	unsigned bus, slot, func;
	int i, rc;

	if (l == NULL || strcmp(l->val, "no") == 0)
		return (0);
	if (strcmp(l->val, "yes") == 0) {
		play = rec = "/dev/dsp";
		want = NULL;
		memset(&o, 0, sizeof(o));
	} else {
		if (strncmp(l->val, "play=", 5) != 0 &&
		    strncmp(l->val, "rec=", 4) != 0) {
			diag_err(c->d, c->file, l->line, "sound: \"%s\": give "
			    "yes, no or play=DEV[,rec=DEV] (play=/dev/dsp1,"
			    "rec=/dev/dsp1)", l->val);
			return (-1);
		}
		/* opts_split() wants a main part: give it one. */
		if ((buf = malloc(strlen(l->val) + 5)) == NULL)
			return (-1);
		(void)snprintf(buf, strlen(l->val) + 5, "hda,%s", l->val);
		tl = *l;
		tl.val = buf;
		rc = opts_split(c, &tl, &o);
		free(buf);
		if (rc != 0) {
			opts_free(&o);
			return (-1);
		}
		play = opts_take(&o, "play");
		rec = opts_take(&o, "rec");
		want = opts_take(&o, "slot");
		rc = -1;
		if ((play != NULL && sound_path_ok(c, l, "play", play) != 0) ||
		    (rec != NULL && sound_path_ok(c, l, "rec", rec) != 0))
			goto out;
		for (i = 0; i < o.n; i++)
			if (!o.used[i]) {
				diag_err(c->d, c->file, l->line, "sound: "
				    "\"%s\" is not an option of sound (play=, "
				    "rec=, slot=)", o.k[i]);
				goto out;
			}
	}
	rc = -1;
	if (place(c, l, want, pref, nitems(pref), false, &bus, &slot,
	    &func) != 0 || (dv = dev_add(c, VMD_HDA, l->line)) == NULL)
		goto out;
	dv->bus = bus;
	dv->slot = slot;
	dv->func = func;
	if ((play != NULL && (c->vm->sound_play = strdup(play)) == NULL) ||
	    (rec != NULL && (c->vm->sound_rec = strdup(rec)) == NULL))
		goto out;
	(void)snprintf(keyp, sizeof(keyp), "pci.%u.%u.%u", bus, slot, func);
	if (setf(c, l->line, "hda", "%s.device", keyp) ||
	    (play != NULL && setf(c, l->line, play, "%s.play", keyp)) ||
	    (rec != NULL && setf(c, l->line, rec, "%s.rec", keyp)))
		goto out;
	rc = 0;
out:
	opts_free(&o);
	return (rc);
}

/*
 * tpm=none | swtpm | /dev/tpmN (freebsd.md#T1-T3): bhyve's TPM 2.0 device
 * (tpm.type, tpm.path, tpm.version; tpm_device_create() asserts that
 * tpm.version is set).  swtpm: the socket of the swtpm ptvm starts is in
 * the run directory, /var/run/ptvm/NAME.swtpm (start puts the host's own
 * run directory there), its state in /var/db/ptvm/NAME.tpm.
 */
static int
do_tpm(struct cc *c)
{
	const struct vmconf_line *l = c->key[K_TPM];
	char buf[VM_VALUEMAX];
	const char *p;

	if (l == NULL || strcmp(l->val, "none") == 0)
		return (0);
	if (strcmp(l->val, "swtpm") == 0) {
		c->vm->tpm = VM_TPM_SWTPM;
		(void)snprintf(buf, sizeof(buf), "%s/%s.tpm",
		    c->env->vardir != NULL ? c->env->vardir : "/var/db/ptvm",
		    c->vm->name);
		if ((c->vm->tpm_state = strdup(buf)) == NULL)
			return (-1);
		(void)snprintf(buf, sizeof(buf), "/var/run/ptvm/%s.swtpm",
		    c->vm->name);
		if ((c->vm->tpm_path = strdup(buf)) == NULL)
			return (-1);
		return (set(c, "tpm.type", "swtpm", l->line) ||
		    set(c, "tpm.path", buf, l->line) ||
		    set(c, "tpm.version", "2.0", l->line) ? -1 : 0);
	}
	if (strncmp(l->val, "/dev/tpm", 8) == 0) {
		for (p = l->val + 8; *p >= '0' && *p <= '9'; p++)
			;
		if (p > l->val + 8 && *p == '\0' && p - l->val < 16) {
			c->vm->tpm = VM_TPM_PASSTHRU;
			if ((c->vm->tpm_path = strdup(l->val)) == NULL)
				return (-1);
			return (set(c, "tpm.type", "passthru", l->line) ||
			    set(c, "tpm.path", l->val, l->line) ||
			    set(c, "tpm.version", "2.0", l->line) ? -1 : 0);
		}
	}
	diag_err(c->d, c->file, l->line, "tpm: \"%s\": give none (the "
	    "default), swtpm (a software TPM 2.0 of the VM's own, which ptvm "
	    "starts) or the host's /dev/tpmN to pass through", l->val);
	return (-1);
}

/* remote=none | sunshine: what status asks the guest (issue 18). */
static int
do_remote(struct cc *c)
{
	const struct vmconf_line *l = c->key[K_REMOTE];

	if (l == NULL || strcmp(l->val, "none") == 0)
		return (0);
	if (strcmp(l->val, "sunshine") == 0) {
		c->vm->remote = VM_REMOTE_SUNSHINE;
		return (0);
	}
	diag_err(c->d, c->file, l->line, "remote: \"%s\": give none (the "
	    "default) or sunshine (status says whether the guest answers on "
	    "Sunshine's port 47989)", l->val);
	return (-1);
}

static int
do_console(struct cc *c)
{
	const struct vmconf_line *l = c->key[K_CONSOLE];
	const char *v, *p;
	char buf[32];
	unsigned line;

	v = l != NULL ? l->val : "auto";
	line = l != NULL ? l->line : 0;
	if (strcmp(v, "none") == 0)
		return (0);
	if (strcmp(v, "auto") == 0) {
		(void)snprintf(buf, sizeof(buf), "/dev/nmdm%dA",
		    c->env->nmdm_unit >= 0 ? c->env->nmdm_unit : 0);
		v = buf;
	} else if (strcmp(v, "stdio") == 0) {
		diag_warn(c->d, c->file, line, "console=stdio ties the guest's "
		    "serial port to the terminal; it only works with "
		    "ptvm start -F");
	} else {
		p = v + (strncmp(v, "/dev/nmdm", 9) == 0 ? 9 : 0);
		if (p == v || !isdigit((unsigned char)*p)) {
			diag_err(c->d, c->file, line, "console: \"%s\": give "
			    "auto, none or an nmdm(4) A side such as "
			    "/dev/nmdm0A", v);
			return (-1);
		}
		while (isdigit((unsigned char)*p))
			p++;
		if (strcmp(p, "B") == 0) {
			diag_err(c->d, c->file, line, "console: give the A "
			    "side (%.*sA) to bhyve; ptvm console attaches to "
			    "the B side", (int)(p - v), v);
			return (-1);
		}
		if (strcmp(p, "A") != 0) {
			diag_err(c->d, c->file, line, "console: \"%s\" is not "
			    "an nmdm(4) device such as /dev/nmdm0A", v);
			return (-1);
		}
	}
	if ((c->vm->console = strdup(v)) == NULL)
		return (-1);
	return (set_lit(c, "lpc.com1.path", v, line));
}

static int
do_firmware(struct cc *c)
{
	const struct vmconf_line *l = c->key[K_FIRMWARE];
	const struct vmconf_line *vl = c->key[K_FIRMWARE_VARS];
	const char *fw, *base;
	char buf[1024];
	unsigned line;

	line = l != NULL ? l->line : 0;
	if (bcfg_find(&c->user, "lpc.bootrom") != NULL) {
		if (l != NULL)
			diag_err(c->d, c->file, line, "firmware and "
			    "lpc.bootrom both set the boot ROM; keep one");
		return (l != NULL ? -1 : 0);
	}
	if (l == NULL || strcmp(l->val, "auto") == 0) {
		if ((fw = c->env->firmware) == NULL) {
			diag_err(c->d, c->file, line, "firmware: no bhyve UEFI "
			    "firmware found; install it (pkg install "
			    "edk2-bhyve) or give firmware=PATH");
			return (-1);
		}
	} else {
		fw = l->val;
		if (!path_ok(c, l, "the firmware", fw))
			return (-1);
	}
	if ((c->vm->firmware = strdup(fw)) == NULL ||
	    set_lit(c, "lpc.bootrom", fw, line) != 0)
		return (-1);
	/* A split CODE image keeps the variables in a per-VM copy. */
	base = strrchr(fw, '/');
	base = base != NULL ? base + 1 : fw;
	if (vl != NULL && strcmp(vl->val, "none") == 0)
		return (0);
	if (vl != NULL) {
		if (!path_ok(c, vl, "the UEFI variables file", vl->val))
			return (-1);
		(void)strlcpy(buf, vl->val, sizeof(buf));
	} else if (strstr(base, "CODE") != NULL && c->env->vardir != NULL)
		(void)snprintf(buf, sizeof(buf), "%s/%s.vars", c->env->vardir,
		    c->vm->name);
	else
		return (0);
	if (bcfg_find(&c->user, "lpc.bootvars") != NULL)
		return (0);
	if ((c->vm->vars = strdup(buf)) == NULL)
		return (-1);
	return (set_lit(c, "lpc.bootvars", buf, vl != NULL ? vl->line : line));
}

/* The loader's smbios.* kenv names and bhyve's keys (smbiostbl.c). */
static const struct {
	const char	*kenv;
	const char	*key;
} smbios_map[] = {
	{ "smbios.bios.vendor", "bios.vendor" },
	{ "smbios.bios.version", "bios.version" },
	{ "smbios.bios.reldate", "bios.release_date" },
	{ "smbios.system.maker", "system.manufacturer" },
	{ "smbios.system.product", "system.product_name" },
	{ "smbios.system.version", "system.version" },
	{ "smbios.system.serial", "system.serial_number" },
	{ "smbios.system.sku", "system.sku" },
	{ "smbios.system.family", "system.family_name" },
	{ "smbios.planar.maker", "board.manufacturer" },
	{ "smbios.planar.product", "board.product_name" },
	{ "smbios.planar.version", "board.version" },
	{ "smbios.planar.serial", "board.serial_number" },
	{ "smbios.planar.tag", "board.asset_tag" },
	{ "smbios.planar.location", "board.location" },
	{ "smbios.chassis.maker", "chassis.manufacturer" },
	{ "smbios.chassis.version", "chassis.version" },
	{ "smbios.chassis.serial", "chassis.serial_number" },
	{ "smbios.chassis.tag", "chassis.asset_tag" },
};

int
vm_smbios_map(size_t i, const char **kenv, const char **key)
{

	if (i >= nitems(smbios_map))
		return (-1);
	*kenv = smbios_map[i].kenv;
	*key = smbios_map[i].key;
	return (0);
}

static int
do_smbios(struct cc *c)
{
	const struct vmconf_line *l = c->key[K_SMBIOS];
	const char *v;
	size_t i;
	int n;

	if (l == NULL || strcmp(l->val, "none") == 0)
		return (0);
	if (strcmp(l->val, "host") != 0) {
		diag_err(c->d, c->file, l->line, "smbios: \"%s\": give host "
		    "(copy the host's strings) or none; set single strings "
		    "with bhyve's keys (system.product_name=...)", l->val);
		return (-1);
	}
	if (c->env->kenv == NULL) {
		diag_err(c->d, c->file, l->line, "smbios=host needs the host's "
		    "kenv(1), which is not known here");
		return (-1);
	}
	for (n = 0, i = 0; i < nitems(smbios_map); i++) {
		if ((v = kv_get(c->env->kenv, smbios_map[i].kenv)) == NULL ||
		    *v == '\0')
			continue;
		if (set_lit(c, smbios_map[i].key, v, l->line) != 0)
			return (-1);
		n++;
	}
	if (n == 0)
		diag_warn(c->d, c->file, l->line, "smbios=host: the host's kenv "
		    "has no smbios.* strings to copy");
	return (0);
}

static int
do_lpc(struct cc *c)
{
	static const char *regs[] = { "vendor", "device", "subvendor",
	    "subdevice" };
	const struct vmconf_line *l = c->key[K_LPC];
	size_t i;

	if (l == NULL || strcmp(l->val, "none") == 0)
		return (0);
	if (strcmp(l->val, "host") != 0) {
		diag_err(c->d, c->file, l->line, "lpc: \"%s\": give host (the "
		    "guest's LPC bridge shows the host's IDs) or none",
		    l->val);
		return (-1);
	}
	for (i = 0; i < nitems(regs); i++)
		if (setf(c, l->line, "host", "pci.0.31.0.pcireg.%s",
		    regs[i]) != 0)
			return (-1);
	return (0);
}

static int
policy(struct cc *c, enum vkey k, enum vm_policy *out)
{
	const struct vmconf_line *l = c->key[k];

	if (l == NULL)
		return (0);
	if (strcmp(l->val, "restart") == 0)
		*out = VMP_RESTART;
	else if (strcmp(l->val, "stop") == 0)
		*out = VMP_STOP;
	else {
		diag_err(c->d, c->file, l->line, "%s: \"%s\": give restart or "
		    "stop", l->key, l->val);
		return (-1);
	}
	return (0);
}

static int
boolkey(struct cc *c, enum vkey k, bool *out)
{
	const struct vmconf_line *l = c->key[k];
	int b;

	if (l == NULL)
		return (0);
	if ((b = bcfg_bool(l->val)) < 0) {
		diag_err(c->d, c->file, l->line, "%s: \"%s\" is not yes or no",
		    l->key, l->val);
		return (-1);
	}
	*out = b == 1;
	return (0);
}

static int
intkey(struct cc *c, enum vkey k, long long lo, long long hi, int *out)
{
	const struct vmconf_line *l = c->key[k];
	long long v;

	if (l == NULL)
		return (0);
	if (util_strtonum(l->val, lo, hi, &v) != 0) {
		diag_err(c->d, c->file, l->line, "%s: \"%s\" is not a number "
		    "from %lld to %lld", l->key, l->val, lo, hi);
		return (-1);
	}
	*out = (int)v;
	return (0);
}

static int
do_life(struct cc *c)
{
	struct vm_life *lf = &c->vm->life;
	const struct vmconf_line *l;
	int bad;

	lf->on_reboot = VMP_RESTART;
	lf->on_poweroff = VMP_STOP;
	lf->on_halt = VMP_STOP;
	lf->on_crash = VMP_STOP;
	lf->stop_timeout = 120;
	lf->acpi_presses = 1;
	bad = policy(c, K_ON_REBOOT, &lf->on_reboot);
	bad |= policy(c, K_ON_POWEROFF, &lf->on_poweroff);
	bad |= policy(c, K_ON_HALT, &lf->on_halt);
	bad |= policy(c, K_ON_CRASH, &lf->on_crash);
	bad |= intkey(c, K_STOP_TIMEOUT, 1, 3600, &lf->stop_timeout);
	bad |= intkey(c, K_STOP_PRESSES, 1, 2, &lf->acpi_presses);
	bad |= boolkey(c, K_ISOLATE, &lf->isolate);
	bad |= boolkey(c, K_UNBIND, &lf->unbind_on_stop);
	if ((l = c->key[K_CONSOLE_GPU]) != NULL) {
		if (strcmp(l->val, "take") == 0)
			lf->console_gpu_take = true;
		else if (strcmp(l->val, "refuse") != 0) {
			diag_err(c->d, c->file, l->line, "%s: \"%s\": give take "
			    "(the VM may have the GPU that drives the host "
			    "console) or refuse", l->key, l->val);
			bad = 1;
		}
	}
	if (lf->isolate && !c->vm->pinned && c->key[K_ISOLATE] != NULL)
		diag_warn(c->d, c->file, c->key[K_ISOLATE]->line, "isolate=yes "
		    "needs pinned vCPUs; it has no effect with pin=none");
	return (bad ? -1 : 0);
}

/* ---- gathering ---- */

static int
vkey_of(const char *k)
{
	int i;

	for (i = 0; i < K_NKEYS; i++)
		if (strcmp(vkeys[i].name, k) == 0)
			return (i);
	return (-1);
}

/* "pci.B.S.F...." keys reserve their guest address. */
static int
user_claim(struct cc *c, const struct vmconf_line *l)
{
	unsigned long v[3];
	const char *p;
	int i;

	p = l->key + 4;
	for (i = 0; i < 3; i++) {
		if (util_parse_ulong_end(&p, NULL, 10, 255, &v[i]) != 0 ||
		    *p++ != '.')
			return (0);	/* the key check reports it */
	}
	if (v[1] > 31 || v[2] > 7)
		return (0);
	if ((v[0] == 0 && v[1] == 0 && v[2] == 0) ||
	    (v[0] == 0 && v[1] == 31 && v[2] == 0))
		return (0);		/* hostbridge and LPC are ptvm's too */
	return (claim(c, (unsigned)v[0], (unsigned)v[1], (unsigned)v[2],
	    l->line, true));
}

static int
gather(struct cc *c)
{
	const struct vmconf_line *l;
	const char *sugg;
	size_t i;
	int k, bad, dist, best;

	bad = 0;
	for (i = 0; i < c->vm->conf.n; i++) {
		l = &c->vm->conf.l[i];
		if ((k = vkey_of(l->key)) >= 0) {
			if (!vkeys[k].repeat && c->key[k] != NULL)
				diag_warn(c->d, c->file, l->line, "%s is also "
				    "set at line %u; this line wins", l->key,
				    c->key[k]->line);
			c->key[k] = l;
			continue;
		}
		if (strncmp(l->key, "bhyve.", 6) == 0) {
			if (l->key[6] == '\0') {
				diag_err(c->d, c->file, l->line, "bhyve.: give "
				    "the bhyve key after the dot");
				bad = 1;
			} else if (bcfg_set(&c->user, l->key + 6, l->val,
			    c->file, l->line) != 0)
				return (-1);
			continue;
		}
		/* A near miss of ptvm's own keys says so. */
		if (bhyve_key_lookup(NULL, l->key) == NULL) {
			for (sugg = NULL, best = strlen(l->key) >= 8 ? 4 : 3,
			    k = 0; k < K_NKEYS; k++)
				if ((dist = util_distance(l->key,
				    vkeys[k].name)) < best) {
					best = dist;
					sugg = vkeys[k].name;
				}
			if (sugg != NULL) {
				diag_err(c->d, c->file, l->line, "%s: unknown "
				    "key; did you mean %s?", l->key, sugg);
				bad = 1;
				continue;
			}
		}
		if (strncmp(l->key, "pci.", 4) == 0 && user_claim(c, l) != 0)
			bad = 1;
		if (bcfg_set(&c->user, l->key, l->val, c->file, l->line) != 0)
			return (-1);
	}
	return (bad ? -1 : 0);
}

static int
defaults(struct cc *c)
{
	static const char *const def[][2] = {
		{ "acpi_tables", "true" },
		{ "destroy_on_poweroff", "true" },
		{ "memory.wired", "true" },
		{ "x86.vmexit_on_hlt", "true" },
		{ "x86.strictmsr", "false" },
		{ "pci.0.0.0.device", "hostbridge" },
		{ "pci.0.31.0.device", "lpc" },
	};
	size_t i;

	if (set_lit(c, "name", c->vm->name, 0) != 0)
		return (-1);
	for (i = 0; i < nitems(def); i++)
		if (set(c, def[i][0], def[i][1], 0) != 0)
			return (-1);
	return (0);
}

/* The file's own bhyve keys go in last, where nothing can override them. */
static int
merge_user(struct cc *c)
{
	size_t i;
	struct bcfg_var *v;

	for (i = 0; i < c->user.n; i++) {
		v = &c->user.v[i];
		if (bcfg_set(&c->vm->cfg, v->key, v->val, v->file,
		    v->line) != 0)
			return (-1);
	}
	return (0);
}

/* Whether line of the VM file is a bhyve.KEY line. */
static bool
from_bhyve_line(const struct cc *c, unsigned line)
{
	size_t i;

	for (i = 0; i < c->vm->conf.n; i++)
		if (c->vm->conf.l[i].line == line)
			return (strncmp(c->vm->conf.l[i].key, "bhyve.", 6) ==
			    0);
	return (false);
}

static void
final_checks(struct cc *c)
{
	const struct bcfg_var *w, *v;
	struct bcfg chk;
	size_t i;

	w = bcfg_find(&c->vm->cfg, "memory.wired");
	if (c->vm->nbind > 0 && w != NULL && bcfg_bool(w->val) == 0)
		diag_err(c->d, w->file, w->line, "memory.wired=%s: bhyve "
		    "refuses passthru unless guest memory is wired", w->val);
	if (c->vm->ncpus > 0 && c->key[K_CPUS] != NULL &&
	    bcfg_find(&c->user, "cpus") != NULL)
		diag_warn(c->d, c->file, c->key[K_CPUS]->line, "cpus is set "
		    "twice (ptvm's cpus and bhyve.cpus); bhyve.cpus wins");
	(void)bcfg_check_tree(&c->vm->cfg, c->d);
	/* bhyve.KEY lines pass unchecked (ptvm.conf(5)): leave them out. */
	bcfg_init(&chk);
	for (i = 0; i < c->vm->cfg.n; i++) {
		v = &c->vm->cfg.v[i];
		if (v->file != NULL && from_bhyve_line(c, v->line))
			continue;
		if (bcfg_set(&chk, v->key, v->val, v->file, v->line) != 0) {
			diag_err(c->d, c->file, 0, "out of memory");
			bcfg_free(&chk);
			return;
		}
	}
	(void)bhyve_keys_check(&chk, 0, c->d);
	bcfg_free(&chk);
}

void
vm_init(struct vm *vm)
{

	memset(vm, 0, sizeof(*vm));
	bcfg_init(&vm->cfg);
}

void
vm_free(struct vm *vm)
{
	size_t i;

	for (i = 0; i < vm->ndev; i++) {
		free(vm->dev[i].path);
		free(vm->dev[i].rom);
		free(vm->dev[i].ifname);
		free(vm->dev[i].bridge);
	}
	free(vm->dev);
	free(vm->bind);
	free(vm->pin);
	free(vm->plan);
	free(vm->console);
	free(vm->vnc);
	free(vm->firmware);
	free(vm->vars);
	free(vm->sound_play);
	free(vm->sound_rec);
	free(vm->tpm_path);
	free(vm->tpm_state);
	bcfg_free(&vm->cfg);
	vmconf_free(&vm->conf);
	memset(vm, 0, sizeof(*vm));
}

int
vm_compile(struct vmconf *conf, const struct vm_env *env, struct vm *vm,
    struct diags *d)
{
	struct cc c;
	size_t i;
	int before, bad;

	before = d->nerrors;
	vm->conf = *conf;
	memset(conf, 0, sizeof(*conf));
	(void)strlcpy(vm->name, vm->conf.name, sizeof(vm->name));
	memset(&c, 0, sizeof(c));
	c.vm = vm;
	c.env = env;
	c.d = d;
	c.file = vm->conf.file;
	bcfg_init(&c.user);

	bad = gather(&c) != 0;
	if (defaults(&c) != 0)
		goto oom;
	bad |= do_cpus(&c) != 0;
	bad |= do_memory(&c) != 0;
	if (!bad)
		bad |= do_pin(&c) != 0;
	bad |= do_topology(&c) != 0;
	hold_slots(&c);
	bad |= do_passthru(&c) != 0;
	for (i = 0; i < vm->conf.n; i++) {
		const struct vmconf_line *l = &vm->conf.l[i];

		if (strcmp(l->key, "disk") == 0)
			bad |= do_storage(&c, l, false) != 0;
		else if (strcmp(l->key, "cdrom") == 0)
			bad |= do_storage(&c, l, true) != 0;
		else if (strcmp(l->key, "net") == 0)
			bad |= do_net(&c, l, c.nnet++) != 0;
	}
	bad |= do_vnc(&c) != 0;
	bad |= do_sound(&c) != 0;
	bad |= do_tpm(&c) != 0;
	bad |= do_remote(&c) != 0;
	bad |= do_console(&c) != 0;
	bad |= do_firmware(&c) != 0;
	bad |= do_smbios(&c) != 0;
	bad |= do_lpc(&c) != 0;
	bad |= do_life(&c) != 0;
	if (merge_user(&c) != 0)
		goto oom;
	bcfg_sort(&vm->cfg);
	/* Even after errors: every problem of the file in one run. */
	final_checks(&c);
	bcfg_free(&c.user);
	return (bad || d->nerrors > before ? -1 : 0);
oom:
	diag_err(d, c.file, 0, "out of memory");
	bcfg_free(&c.user);
	return (-1);
}
