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
#include "hostop.h"
#include "strbuf.h"
#include "util.h"

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
