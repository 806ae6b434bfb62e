/*
 * sysctl.c: sysctl(3) for the FreeBSD shim over the kernel model
 * (sys/kern/kern_sysctl.c; docs/freebsd.md SY1) and the kern.proc
 * nodes of the bhyve processes the model's VMs stand for
 * (sys/kern/kern_proc.c; P1, P2).
 */
#include "compat.h"

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/sysctl.h>		/* host/shim/include */
#include <sys/user.h>		/* host/shim/include */

#include "capfile.h"
#include "fbshim.h"
#include "hostop.h"
#include "kmodel.h"
#include "pci.h"
#include "strbuf.h"
#include "sysutil.h"
#include "util.h"

/*
 * Names get numbers on first use: {SHIM_MIB, N}, N an index in this
 * table, as the kernel's OIDs have numbers of their own.
 */
#define SHIM_MIB	0x7000
#define SHIM_NAMES_MAX	4096
static char	*shim_names[SHIM_NAMES_MAX];
static size_t	 shim_nnames;

/* Pids of processes known only from vmm.txt: above any Linux pid. */
#define SHIM_PID_BASE	99000000

static int
shim_value(const char *name, char **val, size_t *len)
{
	struct kmodel *km;

	if ((km = shim_km()) == NULL)
		return (ENOENT);
	return (km_sysctl_get(km, name, val, len));
}

int
sysctlnametomib(const char *name, int *mib, size_t *sizep)
{
	char *v;
	size_t i, len;
	int e;

	if (*sizep < 2)
		return (shim_fail(ENOMEM));
	/* An unknown name is ENOENT (sysctl_sysctl_name2oid). */
	if ((e = shim_value(name, &v, &len)) != 0)
		return (shim_fail(e));
	free(v);
	for (i = 0; i < shim_nnames; i++)
		if (strcmp(shim_names[i], name) == 0)
			break;
	if (i == shim_nnames) {
		if (i == SHIM_NAMES_MAX)
			return (shim_fail(ENOMEM));
		if ((shim_names[i] = strdup(name)) == NULL)
			return (shim_fail(ENOMEM));
		shim_nnames++;
	}
	mib[0] = SHIM_MIB;
	mib[1] = (int)i;
	*sizep = 2;
	return (0);
}

/*
 * The type of a value: sysctl.txt has text only, so one decimal integer
 * is taken for an int (an int64_t beyond int's range), anything else for
 * a string, but where a row of docs/freebsd.md gives the OID's type.
 */
static const struct {
	const char	*name;
	unsigned	 kind;
} shim_kinds[] = {
	{ "vm.max_user_wired",	CTLTYPE_ULONG },	/* #V-MEM4 */
};

static unsigned
shim_kind(const char *name, const char *v)
{
	long long n;
	size_t i;

	if (util_strtonum(v, LLONG_MIN, LLONG_MAX, &n) != 0)
		return (CTLTYPE_STRING);
	for (i = 0; i < nitems(shim_kinds); i++)
		if (strcmp(shim_kinds[i].name, name) == 0 && n >= 0)
			return (shim_kinds[i].kind);
	return (n >= INT_MIN && n <= INT_MAX ? CTLTYPE_INT : CTLTYPE_S64);
}

/* Copies out as the kernel does: ENOMEM when the buffer is short (#SY1). */
static int
shim_out(void *old, size_t *oldlenp, const void *val, size_t len)
{

	if (oldlenp == NULL)
		return (0);
	if (old == NULL) {
		*oldlenp = len;
		return (0);
	}
	if (*oldlenp < len) {
		memcpy(old, val, *oldlenp);
		return (shim_fail(ENOMEM));
	}
	memcpy(old, val, len);
	*oldlenp = len;
	return (0);
}

/* {SHIM_MIB, N}: read, and set through the model's journal. */
static int
shim_oid(const char *name, void *old, size_t *oldlenp, const void *new,
    size_t newlen)
{
	struct hostop op = { .kind = HOP_SYSCTL_SET, .a = name };
	char *v, buf[32];
	unsigned kind;
	size_t len;
	int64_t n64;
	int n, e;

	if ((e = shim_value(name, &v, &len)) != 0)
		return (shim_fail(e));
	kind = shim_kind(name, v);
	if (kind == CTLTYPE_STRING)
		e = shim_out(old, oldlenp, v, len + 1);
	else if (kind == CTLTYPE_INT) {
		n = (int)strtoll(v, NULL, 10);
		e = shim_out(old, oldlenp, &n, sizeof(n));
	} else {
		/* S64 and ULONG: 8 bytes on amd64. */
		n64 = strtoll(v, NULL, 10);
		e = shim_out(old, oldlenp, &n64, sizeof(n64));
	}
	free(v);
	if (e != 0 || new == NULL)
		return (e);
	/* A new value of an integer OID is exactly its size (EINVAL). */
	if (kind == CTLTYPE_STRING) {
		if ((v = strndup(new, newlen)) == NULL)
			return (shim_fail(ENOMEM));
	} else if (newlen != (kind == CTLTYPE_INT ? sizeof(n) : sizeof(n64)))
		return (shim_fail(EINVAL));
	else {
		if (kind == CTLTYPE_INT) {
			memcpy(&n, new, sizeof(n));
			snprintf(buf, sizeof(buf), "%d", n);
		} else {
			memcpy(&n64, new, sizeof(n64));
			snprintf(buf, sizeof(buf), "%jd", (intmax_t)n64);
		}
		if ((v = strdup(buf)) == NULL)
			return (shim_fail(ENOMEM));
	}
	op.b = v;
	e = km_change(shim_km(), &op);
	free(v);
	return (e == 0 ? 0 : shim_fail(e));
}

/* The oidfmt node {0, 4, mib...}: the kind, then a format string. */
static int
shim_oidfmt(const int *mib, u_int len, void *old, size_t *oldlenp)
{
	unsigned char buf[sizeof(u_int) + 2];
	unsigned kind;
	size_t vl;
	char *v;
	int e;

	if (len != 4 || mib[2] != SHIM_MIB || mib[3] < 0 ||
	    (size_t)mib[3] >= shim_nnames)
		return (shim_fail(ENOENT));
	if ((e = shim_value(shim_names[mib[3]], &v, &vl)) != 0)
		return (shim_fail(e));
	kind = shim_kind(shim_names[mib[3]], v);
	free(v);
	memcpy(buf, &kind, sizeof(kind));
	buf[sizeof(u_int)] = kind == CTLTYPE_STRING ? 'A' : 'I';
	buf[sizeof(u_int) + 1] = '\0';
	return (shim_out(old, oldlenp, buf, sizeof(buf)));
}

void
shim_procs_free(struct shim_proc *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(p[i].args);
	free(p);
}

/* args from NUL-separated words; argv[0] is "bhyve". */
static int
shim_args(struct shim_proc *p, struct strbuf *sb)
{

	if (sb->oom)
		return (ENOMEM);
	if ((p->args = malloc(sb->len)) == NULL)
		return (ENOMEM);
	memcpy(p->args, sb->s, sb->len);
	p->argslen = sb->len;
	return (0);
}

/*
 * How a bhyve names a passthru function: "pptN" when it is attached to
 * ppt (as vm-bhyve writes it), else B/S/F (pci_passthru.c takes both).
 */
static void
shim_passthru(const struct pci_sel *sel, char *buf, size_t len)
{
	const struct kmodel *km = shim.km;
	size_t i;

	for (i = 0; i < km->pci.n; i++)
		if (pci_sel_eq(&km->pci.dev[i].sel, sel) &&
		    km->sim[i].attached && pci_is_ppt(&km->pci.dev[i]) &&
		    km->pci.dev[i].unit >= 0) {
			snprintf(buf, len, "ppt%d", km->pci.dev[i].unit);
			return;
		}
	pci_sel_fmt(sel, SEL_BHYVE, buf, len);
}

/*
 * The bhyve processes: one per VM of the model.  A VM the bhyve
 * stand-in runs (DIR/run/vmm/NAME, pid=N of a live process) is that
 * process: running, it has the title "bhyve: NAME" (setproctitle, #P1);
 * not yet, its arguments are not known (an argv of "bhyve" alone).  A
 * VM of vmm.txt is a process of its own that no signal reaches, with the
 * arguments of a bhyve passing its functions through, or the title when
 * vmm.txt says "?".
 */
int
shim_procs(struct shim_proc **pp, size_t *np)
{
	struct host_vm_list l;
	struct capf_probe cp;
	struct shim_proc *p;
	struct strbuf sb;
	char path[PATH_MAX], sel[32], *buf;
	size_t len, i, k;
	int e;

	*pp = NULL;
	*np = 0;
	if (shim_km() == NULL)
		return (ENOENT);
	if ((e = km_vm_list(shim.km, &l)) != 0)
		return (e);
	if ((p = calloc(l.n + 1, sizeof(*p))) == NULL) {
		host_vm_list_free(&l);
		return (ENOMEM);
	}
	for (i = 0; i < l.n && e == 0; i++) {
		strlcpy(p[i].name, l.vm[i].name, sizeof(p[i].name));
		p[i].pid = SHIM_PID_BASE + (pid_t)i;
		memset(&cp, 0, sizeof(cp));
		snprintf(path, sizeof(path), "%s/vmm/%s", shim.km->rundir,
		    l.vm[i].name);
		if (sys_read_file(path, 4096, &buf, &len) == 0) {
			capf_probe_parse(buf, len, &cp);
			free(buf);
		}
		sb_init(&sb);
		if (cp.pid > 0) {
			p[i].pid = cp.pid;
			p[i].acpi = cp.acpi == 1;
			if (cp.running == 1)
				sb_printf(&sb, "bhyve: %s", l.vm[i].name);
			else
				sb_puts(&sb, "bhyve");
		} else if (!l.vm[i].devs_known)
			sb_printf(&sb, "bhyve: %s", l.vm[i].name);
		else {
			sb_puts(&sb, "bhyve");
			for (k = 0; k < l.vm[i].ndevs; k++) {
				shim_passthru(&l.vm[i].devs[k], sel,
				    sizeof(sel));
				sb_putc(&sb, '\0');
				sb_puts(&sb, "-s");
				sb_putc(&sb, '\0');
				sb_printf(&sb, "%zu:0,passthru,%s", k + 3, sel);
			}
			sb_putc(&sb, '\0');
			sb_puts(&sb, l.vm[i].name);
		}
		sb_putc(&sb, '\0');
		e = shim_args(&p[i], &sb);
		sb_free(&sb);
	}
	host_vm_list_free(&l);
	if (e != 0) {
		shim_procs_free(p, i);
		return (e);
	}
	*pp = p;
	*np = i;
	return (0);
}

static void
shim_kinfo(const struct shim_proc *p, struct kinfo_proc *kp)
{

	memset(kp, 0, sizeof(*kp));
	kp->ki_structsize = (int)sizeof(*kp);
	kp->ki_pid = p->pid;
	kp->ki_stat = SRUN;
	strlcpy(kp->ki_comm, "bhyve", sizeof(kp->ki_comm));
	if (p->acpi)
		kp->ki_sigignore.__bits[_SIG_WORD(SIGTERM)] |=
		    _SIG_BIT(SIGTERM);
}

/*
 * A process the tests themselves run beside the model's bhyves (the swtpm
 * stand-in, say): the kernel knows every process, so kern.proc.pid.N
 * answers for it too, with its command name and whether it is a zombie
 * as Linux's /proc/N/stat says ("N (comm) S ...").  -1: no such process.
 */
static int
shim_real_proc(int pid, struct kinfo_proc *kp)
{
	char path[64], *buf, *l, *r;
	size_t len;

	if (pid <= 1 || snprintf(path, sizeof(path), "/proc/%d/stat", pid) >=
	    (int)sizeof(path) || sys_read_file(path, 4096, &buf, &len) != 0)
		return (-1);
	if ((l = strchr(buf, '(')) == NULL || (r = strrchr(buf, ')')) == NULL ||
	    r < l || r[1] != ' ' || r[2] == '\0') {
		free(buf);
		return (-1);
	}
	*r = '\0';
	memset(kp, 0, sizeof(*kp));
	kp->ki_structsize = (int)sizeof(*kp);
	kp->ki_pid = pid;
	kp->ki_stat = r[2] == 'Z' ? SZOMB : SRUN;
	strlcpy(kp->ki_comm, l + 1, sizeof(kp->ki_comm));
	free(buf);
	return (0);
}

/*
 * kern.proc.proc, kern.proc.pid.N, kern.proc.args.N, kern.proc.cwd.N
 * (#P1, #P2): ESRCH for a pid that is no process (or a stand-in's
 * that ended).
 */
static int
shim_kern_proc(const int *mib, u_int len, void *old, size_t *oldlenp)
{
	struct kinfo_proc *kp;
	struct kinfo_file kf;
	struct shim_proc *p;
	size_t n, i;
	int e;

	if (len < 3)
		return (shim_fail(EINVAL));
	if ((e = shim_procs(&p, &n)) != 0)
		return (shim_fail(e));
	/* A stand-in's process that ended is gone. */
	for (i = 0; i < n; i++)
		if (p[i].pid < SHIM_PID_BASE && !sys_pid_alive(p[i].pid))
			p[i].pid = -1;
	if (mib[2] == KERN_PROC_PROC && len == 3) {
		if ((kp = calloc(n + 1, sizeof(*kp))) == NULL) {
			shim_procs_free(p, n);
			return (shim_fail(ENOMEM));
		}
		for (i = e = 0; i < n; i++)
			if (p[i].pid > 0)
				shim_kinfo(&p[i], &kp[e++]);
		e = shim_out(old, oldlenp, kp, (size_t)e * sizeof(*kp));
		free(kp);
		shim_procs_free(p, n);
		return (e);
	}
	if (len != 4 || (mib[2] != KERN_PROC_PID && mib[2] != KERN_PROC_ARGS &&
	    mib[2] != KERN_PROC_CWD)) {
		shim_procs_free(p, n);
		return (shim_fail(EINVAL));
	}
	for (i = 0; i < n; i++)
		if (p[i].pid > 0 && p[i].pid == mib[3])
			break;
	if (i == n && mib[2] == KERN_PROC_PID) {
		struct kinfo_proc one;

		e = shim_real_proc(mib[3], &one) != 0 ? shim_fail(ESRCH) :
		    shim_out(old, oldlenp, &one, sizeof(one));
	} else if (i == n)
		e = shim_fail(ESRCH);
	else if (mib[2] == KERN_PROC_PID) {
		struct kinfo_proc one;

		shim_kinfo(&p[i], &one);
		e = shim_out(old, oldlenp, &one, sizeof(one));
	} else if (mib[2] == KERN_PROC_ARGS)
		e = shim_out(old, oldlenp, p[i].args, p[i].argslen);
	else {
		memset(&kf, 0, sizeof(kf));
		kf.kf_structsize = (int)sizeof(kf);
		strlcpy(kf.kf_path, shim.root, sizeof(kf.kf_path));
		e = shim_out(old, oldlenp, &kf, sizeof(kf));
	}
	shim_procs_free(p, n);
	return (e);
}

int
sysctl(const int *mib, u_int len, void *old, size_t *oldlenp,
    const void *new, size_t newlen)
{

	if (len >= 2 && mib[0] == 0 && mib[1] == 4)
		return (shim_oidfmt(mib, len, old, oldlenp));
	if (len >= 2 && mib[0] == CTL_KERN && mib[1] == KERN_PROC)
		return (shim_kern_proc(mib, len, old, oldlenp));
	if (len == 2 && mib[0] == SHIM_MIB && mib[1] >= 0 &&
	    (size_t)mib[1] < shim_nnames)
		return (shim_oid(shim_names[mib[1]], old, oldlenp, new,
		    newlen));
	return (shim_fail(ENOENT));
}

int
sysctlbyname(const char *name, void *old, size_t *oldlenp, const void *new,
    size_t newlen)
{
	int mib[CTL_MAXNAME];
	size_t n;

	n = CTL_MAXNAME;
	if (sysctlnametomib(name, mib, &n) != 0)
		return (-1);
	return (sysctl(mib, (u_int)n, old, oldlenp, new, newlen));
}
