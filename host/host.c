/*
 * host.c: implementation-independent parts of the host boundary.
 */
#include "compat.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "sysutil.h"
#include "hostuse.h"
#include "hostop.h"
#include "strbuf.h"
#include "util.h"

/* freebsd.md#H2, H5-H8: the formats lib/hostuse.c reads. */
const struct host_tool_def host_tools[HT_NTOOLS] = {
	[HT_CAMCONTROL] = { "camcontrol.txt",
	    { "/sbin/camcontrol", "devlist", "-v", NULL } },
	[HT_MOUNT] = { "mount.txt", { "/sbin/mount", "-p", NULL } },
	[HT_ZPOOL] = { "zpool-status.txt",
	    { "/sbin/zpool", "status", "-P", NULL } },
	[HT_SWAP] = { "swap.txt", { "/sbin/swapctl", "-l", NULL } },
	[HT_NETSTAT] = { "netstat-rn.txt", { "/usr/bin/netstat", "-rn", NULL } },
	/* freebsd.md#S1, U1, A1, A2: lib/sndstat.c, usb.c, neigh.c. */
	[HT_SNDSTAT] = { "sndstat.txt", { "/bin/cat", "/dev/sndstat", NULL } },
	[HT_USBCONFIG] = { "usbconfig.txt", { "/usr/sbin/usbconfig",
	    "show_ifdrv", "dump_device_desc", NULL } },
	[HT_ARP] = { "arp.txt", { "/usr/sbin/arp", "-an", NULL } },
	[HT_NDP] = { "ndp.txt", { "/usr/sbin/ndp", "-an", NULL } },
};

void
host_close(struct host *h)
{

	if (h == NULL)
		return;
	if (h->ops != NULL && h->ops->close != NULL)
		h->ops->close(h);
	free(h->dir);
	free(h->rundir);
	free(h->logdir);
	free(h);
}

int
host_sysctl_int(struct host *h, const char *name, long long *v)
{
	char *s;
	int e;

	if ((e = h->ops->sysctl_get(h, name, &s)) != 0)
		return (e);
	e = util_strtonum(s, -(1LL << 62), 1LL << 62, v) == 0 ? 0 : EINVAL;
	free(s);
	return (e);
}

void
host_vm_list_free(struct host_vm_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->vm[i].devs);
	free(l->vm);
	l->vm = NULL;
	l->n = 0;
}

static const char *sig_name(int);

/* How it ended: "exit status 1" or "killed by signal 9 (SIGKILL)". */
const char *
host_proc_how(const struct host_proc *p, char *buf, size_t len)
{

	if (p->signal != 0)
		(void)snprintf(buf, len, "killed by signal %d (%s)", p->signal,
		    sig_name(p->signal));
	else
		(void)snprintf(buf, len, "exit status %d", p->status);
	return (buf);
}

const char *
host_cpu_vendor(struct host *h)
{
	const char *r;
	char *m;

	if (h->ops->sysctl_get(h, "hw.model", &m) != 0)
		return (NULL);
	r = NULL;
	if (strstr(m, "AMD") != NULL)
		r = "AMD";
	else if (strstr(m, "Intel") != NULL)
		r = "Intel";
	free(m);
	return (r);
}

/* dev.NAME.UNIT.%parent of "ahcich0"; the unit is the trailing digits. */
static int
hu_parent(void *arg, const char *dev, char *par, size_t len)
{
	struct host *h = arg;
	char name[128];
	size_t n, u;
	char *v;
	int e;

	n = strlen(dev);
	for (u = n; u > 0 && dev[u - 1] >= '0' && dev[u - 1] <= '9'; u--)
		;
	if (u == 0 || u == n || n >= 64)
		return (ENOENT);
	(void)snprintf(name, sizeof(name), "dev.%.*s.%s.%%parent", (int)u,
	    dev, dev + u);
	if ((e = h->ops->sysctl_get(h, name, &v)) != 0)
		return (e);
	e = strlen(v) < len ? 0 : ENAMETOOLONG;
	if (e == 0)
		strlcpy(par, v, len);
	free(v);
	return (e);
}

int
hostuse_read(struct host *h, struct hostuse *hu)
{
	static int (*const parse[HT_NTOOLS])(struct hostuse *,
	    const char *) = {
		[HT_CAMCONTROL] = hostuse_parse_camcontrol,
		[HT_MOUNT] = hostuse_parse_mount,
		[HT_ZPOOL] = hostuse_parse_zpool,
		[HT_SWAP] = hostuse_parse_swap,
		[HT_NETSTAT] = hostuse_parse_netstat,
	};
	char *s;
	size_t len;
	int t, rv;

	hostuse_init(hu);
	hu->parent = hu_parent;
	hu->parent_arg = h;
	rv = 0;
	if (h->ops->sysctl_get(h, "kern.disks", &s) == 0) {
		rv |= hostuse_parse_disks(hu, s);
		free(s);
	}
	for (t = 0; t < HT_NTOOLS; t++) {
		if (parse[t] == NULL || h->ops->tool_output == NULL ||
		    h->ops->tool_output(h, (enum host_tool)t, &s, &len) != 0)
			continue;
		rv |= parse[t](hu, s);
		free(s);
	}
	return (rv != 0 ? ENOMEM : 0);
}

/*
 * How long a program may run before ptvm gives up on it (seconds, scaled
 * by PTVM_TIMEOUT_SCALE).  zfs changes can take long on a busy pool; cu
 * is the user's console session and has no limit.
 */
unsigned
host_run_timeout(char *const *argv)
{
	static const char *const zslow[] = { "create", "destroy", "snapshot",
	    "rollback", "clone", "promote", "rename", "send", "receive",
	    "recv" };
	const char *base;
	size_t i;

	if (argv == NULL || argv[0] == NULL)
		return (HOST_RUN_TIMEOUT);
	base = strrchr(argv[0], '/');
	base = base != NULL ? base + 1 : argv[0];
	if (strcmp(base, "cu") == 0)
		return (0);
	if (strcmp(base, "zfs") == 0 && argv[1] != NULL) {
		for (i = 0; i < nitems(zslow); i++)
			if (strcmp(argv[1], zslow[i]) == 0)
				return (HOST_RUN_TIMEOUT_ZFS);
		return (HOST_RUN_TIMEOUT_QUERY);
	}
	return (HOST_RUN_TIMEOUT);
}

static const char *
sig_name(int sig)
{
	static const struct {
		int		 sig;
		const char	*name;
	} t[] = {
		{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" },
		{ SIGQUIT, "SIGQUIT" }, { SIGILL, "SIGILL" },
		{ SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
		{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" },
		{ SIGKILL, "SIGKILL" }, { SIGSEGV, "SIGSEGV" },
		{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" },
		{ SIGTERM, "SIGTERM" }, { SIGUSR1, "SIGUSR1" },
		{ SIGUSR2, "SIGUSR2" }, { SIGXCPU, "SIGXCPU" },
		{ SIGXFSZ, "SIGXFSZ" }, { SIGSYS, "SIGSYS" },
	};
	size_t i;

	for (i = 0; i < nitems(t); i++)
		if (t[i].sig == sig)
			return (t[i].name);
	return ("unknown signal");
}

const char *
host_proc_str(char *const *argv, int e, const struct host_proc *pr,
    char *buf, size_t len)
{
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	for (i = 0; argv != NULL && argv[i] != NULL; i++) {
		if (i > 0)
			sb_putc(&sb, ' ');
		hostop_quote(&sb, argv[i]);
	}
	if (e == ETIMEDOUT && pr->timedout) {
		sb_printf(&sb, " did not finish within %u.%u s and was %s",
		    pr->limit_ms / 1000, pr->limit_ms % 1000 / 100,
		    pr->stuck ? "sent SIGKILL, but it is still there (stuck "
		    "in the kernel)" : "killed");
		sb_printf(&sb, "; find out why it hangs (procstat -kk, and "
		    "for zfs: zpool status), then run the command again");
	} else if (e != 0)
		sb_printf(&sb, ": %s", sys_strerror(e));
	else if (pr->signal != 0)
		sb_printf(&sb, " was killed by signal %d (%s)", pr->signal,
		    sig_name(pr->signal));
	else
		sb_printf(&sb, " failed with exit status %d", pr->status);
	(void)snprintf(buf, len, "%s", sb.oom ? "a program failed" :
	    sb_str(&sb));
	sb_free(&sb);
	return (buf);
}
