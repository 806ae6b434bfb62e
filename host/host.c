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

void
host_proc_set(struct host_proc *p)
{

	p->sig = 0;
	if (p->status < 0) {
		p->sig = -p->status;
		p->status = 128 + p->sig;
	}
}

const char *
host_proc_how(const struct host_proc *p, char *buf, size_t len)
{
	static const struct {
		int		 sig;
		const char	*name;
	} names[] = {
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

	if (p->sig == 0) {
		(void)snprintf(buf, len, "exit status %d", p->status);
		return (buf);
	}
	for (i = 0; i < nitems(names) && names[i].sig != p->sig; i++)
		;
	if (i < nitems(names))
		(void)snprintf(buf, len, "killed by signal %d (%s)", p->sig,
		    names[i].name);
	else
		(void)snprintf(buf, len, "killed by signal %d", p->sig);
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
