/*
 * host.c: implementation-independent parts of the host boundary.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "hostuse.h"
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
		if (h->ops->tool_output == NULL ||
		    h->ops->tool_output(h, (enum host_tool)t, &s, &len) != 0)
			continue;
		rv |= parse[t](hu, s);
		free(s);
	}
	return (rv != 0 ? ENOMEM : 0);
}
