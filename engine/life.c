/*
 * life.c: a VM's runtime files, the dirty marks, the undo journal's
 * execution and recovery after a lost supervisor.
 */
#include "compat.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bind.h"
#include "life.h"
#include "topo.h"

int64_t
life_mono_ms(struct host *h)
{

	return (h->ops->now(h));
}

int64_t
life_wall_ms(struct host *h)
{

	return (h->ops->wall(h));
}

int
life_tzoff(struct host *h)
{

	return (h->ops->tzoff(h, h->ops->wall(h)));
}

static int
pjoin(char *buf, size_t sz, const char *dir, const char *name,
    const char *suffix)
{

	if ((size_t)snprintf(buf, sz, "%s/%s%s", dir, name, suffix) >= sz)
		return (ENAMETOOLONG);
	return (0);
}

int
life_paths(struct host *h, const char *name, struct life_paths *p)
{
	int e;

	if (!vm_name_ok(name))
		return (EINVAL);
	p->h = h;
	if ((e = pjoin(p->pid, sizeof(p->pid), h->rundir, name, ".pid")) ||
	    (e = pjoin(p->status, sizeof(p->status), h->rundir, name,
	    ".status")) ||
	    (e = pjoin(p->sock, sizeof(p->sock), h->rundir, name, ".sock")) ||
	    (e = pjoin(p->undo, sizeof(p->undo), h->rundir, name, ".undo")) ||
	    (e = pjoin(p->conf, sizeof(p->conf), h->rundir, name,
	    ".bhyve.conf")) ||
	    (e = pjoin(p->log, sizeof(p->log), h->logdir, name, ".log")) ||
	    (e = pjoin(p->out, sizeof(p->out), h->logdir, name, ".out")) ||
	    (e = pjoin(p->outpos, sizeof(p->outpos), h->logdir, name,
	    ".out.pos")) ||
	    (e = pjoin(p->dirty, sizeof(p->dirty), h->rundir, "dirty", "")) ||
	    (e = pjoin(p->lock, sizeof(p->lock), h->rundir, "life.lock", "")))
		return (e);
	return (0);
}

/* The paths of VM name beside those of p (the same run directory). */
int
life_paths_of(const struct life_paths *p, const char *name,
    struct life_paths *out)
{
	char dir[PATH_MAX], *slash;
	struct host h;
	char logdir[PATH_MAX];
	int e;

	strlcpy(dir, p->status, sizeof(dir));
	strlcpy(logdir, p->log, sizeof(logdir));
	if ((slash = strrchr(dir, '/')) == NULL)
		return (EINVAL);
	*slash = '\0';
	if ((slash = strrchr(logdir, '/')) == NULL)
		return (EINVAL);
	*slash = '\0';
	memset(&h, 0, sizeof(h));
	h.rundir = dir;
	h.logdir = logdir;
	if ((e = life_paths(&h, name, out)) != 0)
		return (e);
	out->h = p->h;
	return (0);
}

/*
 * pidfile_open(3) holds an flock(2) on the pidfile for the supervisor's
 * life; a shared lock that cannot be had means it lives (pid_held).
 */
bool
life_supervisor(const struct life_paths *p, int *pid)
{

	return (p->h->ops->pid_held(p->h, p->pid, pid) == 0);
}

/*
 * Waits (up to secs) until the supervisor is gone: its lock is released
 * when it exits, after it said "done".  Then a start can follow at once.
 */
void
life_supervisor_wait(const struct life_paths *p, unsigned secs)
{

	p->h->ops->pid_wait(p->h, p->pid, secs);
}

int
life_status_read(const struct life_paths *p, struct sup_status *st,
    struct diags *d)
{
	char *buf;
	size_t len;
	int e;

	sup_status_init(st);
	if ((e = p->h->ops->st_read(p->h, p->status, 1 << 20, &buf, &len)) != 0)
		return (e);
	e = sup_status_parse(buf, len, p->status, st, d) == 0 ? 0 : EINVAL;
	free(buf);
	return (e);
}

int
life_status_look(const struct life_paths *p, struct sup_status *st,
    char *why, size_t wl)
{
	struct diags d;
	struct diag *x;
	int e;

	why[0] = '\0';
	diags_init(&d);
	e = life_status_read(p, st, &d);
	x = STAILQ_FIRST(&d.head);
	if (e == EINVAL)
		(void)snprintf(why, wl, "%s is damaged (line %u: %s); if no "
		    "bhyve runs for the VM, remove the file", p->status,
		    x != NULL ? x->line : 0, x != NULL ? x->msg : "no parse");
	else if (e != 0 && e != ENOENT)
		(void)snprintf(why, wl, "%s cannot be read: %s; if no bhyve "
		    "runs for the VM, remove the file", p->status, strerror(e));
	diags_free(&d);
	return (e);
}

int
life_status_write(const struct life_paths *p, const struct sup_status *st)
{
	struct strbuf sb;
	int e;

	sb_init(&sb);
	sup_status_format(st, &sb);
	e = sb.oom ? ENOMEM : p->h->ops->st_write(p->h, p->status, sb_str(&sb),
	    sb.len, 0644, 0);
	sb_free(&sb);
	return (e);
}

/* An exclusive flock(2) on path, made if missing (st_lock); -1, errno. */
static int
lock_path(struct host *h, const char *path)
{
	int fd, e;

	if ((e = h->ops->st_lock(h, path, &fd)) != 0) {
		errno = e;
		return (-1);
	}
	return (fd);
}

int
life_lock(const struct life_paths *p)
{

	return (lock_path(p->h, p->lock));
}

void
life_unlock(struct host *h, int fd)
{

	if (fd >= 0)
		(void)h->ops->fd_close(h, fd);
}

int
dirty_read(const struct life_paths *p, struct sup_dirty_list *l,
    struct diags *d)
{
	char *buf;
	size_t len;
	int e;

	sup_dirty_init(l);
	if ((e = p->h->ops->st_read(p->h, p->dirty, 1 << 20, &buf, &len)) != 0)
		return (e == ENOENT ? 0 : e);
	e = sup_dirty_parse(buf, len, p->dirty, l, d) == 0 ? 0 : EINVAL;
	free(buf);
	return (e);
}

static int
dirty_write(const struct life_paths *p, const struct sup_dirty_list *l)
{
	struct strbuf sb;
	int e;

	sb_init(&sb);
	sup_dirty_format(l, &sb);
	e = sb.oom ? ENOMEM : p->h->ops->st_write(p->h, p->dirty, sb_str(&sb),
	    sb.len, 0644, 0);
	sb_free(&sb);
	return (e);
}

int
dirty_mark(const struct life_paths *p, const char *vm,
    const struct pci_sel *sel, size_t n, const char *reason)
{
	struct sup_dirty_list l;
	struct diags d;
	size_t i;
	int fd, e;

	if (n == 0)
		return (0);
	if ((fd = life_lock(p)) < 0)
		return (errno);
	diags_init(&d);
	/* A damaged file must not stop the marks: start over. */
	if (dirty_read(p, &l, &d) != 0)
		sup_dirty_init(&l);
	diags_free(&d);
	e = 0;
	for (i = 0; i < n && e == 0; i++)
		if (sup_dirty_add(&l, &sel[i], life_wall_ms(p->h) / 1000, vm,
		    reason) != 0)
			e = ENOMEM;
	if (e == 0)
		e = dirty_write(p, &l);
	sup_dirty_free(&l);
	life_unlock(p->h, fd);
	return (e);
}

/* The undo journal. */

static int
journal_read(struct host *h, const char *path, struct undo_list *l,
    struct diags *d)
{
	char *buf;
	size_t len;
	int e;

	undo_init(l);
	if ((e = h->ops->st_read(h, path, 1 << 20, &buf, &len)) != 0)
		return (e == ENOENT ? 0 : e);
	e = undo_parse(buf, len, path, l, d) == 0 ? 0 : EINVAL;
	free(buf);
	return (e);
}

static int
journal_write(struct host *h, const char *path, const char *vm,
    const struct undo_list *l)
{
	struct strbuf sb;
	int e;

	if (l->n == 0) {
		e = h->ops->st_remove(h, path);
		return (e == ENOENT ? 0 : e);
	}
	sb_init(&sb);
	undo_format(l, vm, &sb);
	e = sb.oom ? ENOMEM : h->ops->st_write(h, path, sb_str(&sb), sb.len,
	    0600, 0);
	sb_free(&sb);
	return (e);
}

int
undo_record(const struct life_paths *p, const char *vm, enum undo_kind k,
    const char *const *words)
{
	struct undo_list l;
	struct diags d;
	int fd, e;

	if ((fd = life_lock(p)) < 0)
		return (errno);
	diags_init(&d);
	/* Never drop entries of a journal ptvm cannot read: refuse. */
	if ((e = journal_read(p->h, p->undo, &l, &d)) == 0 &&
	    (e = undo_add(&l, k, words)) == 0)
		e = journal_write(p->h, p->undo, vm, &l);
	diags_free(&d);
	undo_free(&l);
	life_unlock(p->h, fd);
	return (e);
}

int
undo_forget(const struct life_paths *p, const char *vm, enum undo_kind k,
    const char *const *words)
{
	struct undo_list l;
	struct diags d;
	ssize_t i;
	int fd, e;

	if ((fd = life_lock(p)) < 0)
		return (errno);
	diags_init(&d);
	if ((e = journal_read(p->h, p->undo, &l, &d)) == 0 &&
	    (i = undo_find(&l, k, words)) >= 0) {
		undo_remove(&l, (size_t)i);
		e = journal_write(p->h, p->undo, vm, &l);
	}
	diags_free(&d);
	undo_free(&l);
	life_unlock(p->h, fd);
	return (e);
}

static void
say(life_log_fn *fn, void *arg, enum diag_level lvl, const char *fmt, ...)
    __printflike(4, 5);

static void
say(life_log_fn *fn, void *arg, enum diag_level lvl, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (fn != NULL)
		fn(arg, lvl, msg);
}

/*
 * Another VM whose supervisor lives and whose journal does not hold the
 * sysctl yet takes our entry over: it still relies on the value.
 */
static bool
sysctl_handover(struct host *h, const char *vm, const struct undo_entry *en,
    char *to, size_t tosz)
{
	struct life_paths op;
	struct undo_list ol;
	struct diags d;
	char **names;
	size_t n, i, k;
	const char *w[3];
	bool done;
	int spid;

	if (h->ops->st_list(h, h->rundir, &names, &n) != 0)
		return (false);
	done = false;
	for (i = 0; i < n && !done; i++) {
		k = strlen(names[i]);
		if (k <= 5 || strcmp(names[i] + k - 5, ".undo") != 0)
			continue;
		names[i][k - 5] = '\0';
		if (strcmp(names[i], vm) == 0 ||
		    life_paths(h, names[i], &op) != 0 ||
		    !life_supervisor(&op, &spid))
			continue;
		diags_init(&d);
		if (journal_read(h, op.undo, &ol, &d) == 0) {
			for (k = 0; k < ol.n; k++)
				if (ol.e[k].kind == UNDO_SYSCTL &&
				    strcmp(ol.e[k].w[0], en->w[0]) == 0)
					break;
			w[0] = en->w[0];
			w[1] = en->w[1];
			w[2] = NULL;
			if (k == ol.n && undo_add(&ol, UNDO_SYSCTL, w) == 0 &&
			    journal_write(h, op.undo, names[i], &ol) == 0) {
				done = true;
				strlcpy(to, names[i], tosz);
			}
		}
		diags_free(&d);
		undo_free(&ol);
	}
	host_names_free(names, n);
	return (done);
}

struct logadapt {
	life_log_fn	*fn;
	void		*arg;
};

static void
bind_say(void *arg, const char *line)
{
	struct logadapt *la = arg;

	if (la->fn != NULL)
		la->fn(la->arg, DIAG_NOTE, line);
}

/*
 * The VM whose journal is undone does not hold its devices any more: a
 * start that failed after binding still shows it "starting" (its claim),
 * which must not keep its own rollback from unbinding (engine_test
 * bind_rollback_every_step).
 */
static void
env_drop_vm(struct bind_env *env, const char *vm)
{
	size_t i, n;

	for (i = n = 0; i < env->st.nvm_devs; i++) {
		if (strcmp(env->vm_owner[i], vm) == 0)
			continue;
		env->vm_devs[n] = env->vm_devs[i];
		env->vm_owner[n++] = env->vm_owner[i];
	}
	env->st.nvm_devs = n;
}

static int
undo_bind(struct eng *eng, struct host *h, const char *vm, const char *sel,
    life_log_fn *fn, void *arg)
{
	struct logadapt la = { fn, arg };
	struct bind_env env;
	struct bind_plan p;
	size_t *devs, ndevs;
	char *av[2];
	int rv;

	av[0] = __DECONST(char *, sel);
	av[1] = NULL;
	bind_plan_init(&p);
	devs = NULL;
	rv = -1;
	if (bind_env_read(eng, h, &env) == 0 &&
	    (env_drop_vm(&env, vm), true) &&
	    bind_resolve(eng, &env, 1, av, &devs, &ndevs) == 0 &&
	    unbind_plan_make(&env.st, devs, ndevs, &p, eng->diags) == 0)
		rv = p.ndevs == 0 ? 0 : unbind_execute(eng, h, &env, &p,
		    bind_say, &la) == EXIT_OK ? 0 : -1;
	free(devs);
	bind_plan_free(&p);
	bind_env_free(&env);
	return (rv);
}

static int	undo_give_cpus(struct host *, const char *, life_log_fn *,
		    void *);

static int
undo_one(struct eng *eng, struct host *h, const char *vm,
    const struct undo_entry *en, bool unbind, life_log_fn *fn, void *arg)
{
	struct host_proc pr;
	char *av[UNDO_MAXWORDS + 2], to[64], why[1024];
	int e, i;

	switch (en->kind) {
	case UNDO_SYSCTL:
		if (sysctl_handover(h, vm, en, to, sizeof(to))) {
			say(fn, arg, DIAG_NOTE, "%s stays as it is: VM %s "
			    "still runs and will put back %s=%s", en->w[0],
			    to, en->w[0], en->w[1]);
			return (0);
		}
		if ((e = h->ops->sysctl_set(h, en->w[0], en->w[1])) != 0) {
			say(fn, arg, DIAG_WARN, "sysctl %s=%s: %s", en->w[0],
			    en->w[1], strerror(e));
			return (-1);
		}
		say(fn, arg, DIAG_NOTE, "put back %s=%s", en->w[0], en->w[1]);
		return (0);
	case UNDO_TAP:
		av[0] = __DECONST(char *, "ifconfig");
		av[1] = en->w[0];
		av[2] = __DECONST(char *, "destroy");
		av[3] = NULL;
		if ((e = h->ops->run(h, av, &pr)) != 0 ||
		    (pr.ran && pr.status != 0)) {
			say(fn, arg, DIAG_WARN, "%s", host_proc_str(av, e, &pr,
			    why, sizeof(why)));
			return (-1);
		}
		say(fn, arg, DIAG_NOTE, "destroyed %s", en->w[0]);
		return (0);
	case UNDO_CPUSET:
		if (en->nw == 1 && en->w[0][0] == '+')
			return (undo_give_cpus(h, en->w[0] + 1, fn, arg));
		av[0] = __DECONST(char *, "cpuset");
		for (i = 0; i < en->nw; i++)
			av[i + 1] = en->w[i];
		av[i + 1] = NULL;
		if ((e = h->ops->run(h, av, &pr)) != 0 ||
		    (pr.ran && pr.status != 0)) {
			say(fn, arg, DIAG_WARN, "%s", host_proc_str(av, e, &pr,
			    why, sizeof(why)));
			return (-1);
		}
		say(fn, arg, DIAG_NOTE, "the host's processes may use every "
		    "CPU again");
		return (0);
	case UNDO_BIND:
		if (strcmp(en->w[1], "keep") == 0 && !unbind)
			return (0);
		if (undo_bind(eng, h, vm, en->w[0], fn, arg) != 0) {
			say(fn, arg, DIAG_WARN, "%s could not be given back to "
			    "its driver (ptvm unbind %s)", en->w[0], en->w[0]);
			return (-1);
		}
		say(fn, arg, DIAG_NOTE, "gave %s back to its host driver",
		    en->w[0]);
		return (0);
	case UNDO_SWTPM:
		e = tpm_undo(h, en, why, sizeof(why));
		say(fn, arg, e == 0 ? DIAG_NOTE : DIAG_WARN, "%s", why);
		return (e);
	}
	return (-1);
}

int
undo_restore(struct eng *eng, struct host *h, const char *vm,
    bool unbind, life_log_fn *fn, void *arg)
{
	struct life_paths p;
	struct undo_list l;
	struct diags d;
	struct diag *dg;
	size_t i;
	int fd, failed;

	if (life_paths(h, vm, &p) != 0 || (fd = life_lock(&p)) < 0)
		return (1);
	diags_init(&d);
	if (journal_read(h, p.undo, &l, &d) != 0) {
		dg = STAILQ_FIRST(&d.head);
		say(fn, arg, DIAG_ERROR, "%s:%u: %s; nothing undone (fix or "
		    "remove the file)", p.undo, dg != NULL ? dg->line : 0,
		    dg != NULL ? dg->msg : "cannot be read");
		diags_free(&d);
		undo_free(&l);
		life_unlock(h, fd);
		return (1);
	}
	diags_free(&d);
	failed = 0;
	for (i = l.n; i-- > 0;) {
		if (undo_one(eng, h, vm, &l.e[i], unbind, fn, arg) != 0) {
			failed++;
			continue;
		}
		undo_remove(&l, i);
		/* As it goes: a crash now leaves only what is still in effect. */
		(void)journal_write(h, p.undo, vm, &l);
	}
	/* Bindings kept on ppt(4) on purpose are no longer ptvm's to undo. */
	for (i = l.n; i-- > 0;)
		if (l.e[i].kind == UNDO_BIND && strcmp(l.e[i].w[1], "keep") ==
		    0 && !unbind)
			undo_remove(&l, i);
	if (journal_write(h, p.undo, vm, &l) != 0)
		failed++;
	undo_free(&l);
	life_unlock(h, fd);
	return (failed);
}

/* bhyve's output: NAME.out and NAME.out.pos (life.h). */

#define OUT_POSLEN	21	/* "%020lld\n" */
#ifndef EFTYPE
#define EFTYPE		EINVAL
#endif

void
life_out_init(struct life_out *o)
{

	memset(o, 0, sizeof(*o));
	o->fd = o->posfd = -1;
	bhyvelog_init(&o->blog, "bhyve");
}

void
life_out_close(struct life_out *o)
{

	if (o->fd >= 0)
		o->h->ops->fd_close(o->h, o->fd);
	if (o->posfd >= 0)
		o->h->ops->fd_close(o->h, o->posfd);
	life_out_init(o);
}

/* A regular file, not through a symbolic link (st_open); -1 with errno. */
static int
out_openreg(struct host *h, const char *path, int flags, int mode)
{
	int fd, e;

	if ((e = h->ops->st_open(h, path, flags, mode, &fd)) != 0) {
		errno = e;
		return (-1);
	}
	return (fd);
}

static void
out_save(struct life_out *o, int64_t pos)
{
	char buf[OUT_POSLEN + 1];

	if (o->posfd < 0 || pos == o->saved)
		return;
	(void)snprintf(buf, sizeof(buf), "%020lld\n", (long long)pos);
	if (o->h->ops->fd_pwrite(o->h, o->posfd, buf, OUT_POSLEN, 0) ==
	    OUT_POSLEN)
		o->saved = pos;
}

static int
out_posfile(const struct life_paths *p, struct life_out *o, bool reset)
{
	char buf[OUT_POSLEN + 1], *end;
	ssize_t n;
	long long v;

	if ((o->posfd = out_openreg(p->h, p->outpos, O_RDWR | O_CREAT,
	    0640)) < 0)
		return (errno);
	o->saved = -1;
	if (reset) {
		out_save(o, 0);
		return (o->saved == 0 ? 0 : EIO);
	}
	n = o->h->ops->fd_pread(o->h, o->posfd, buf, OUT_POSLEN, 0);
	buf[n > 0 ? n : 0] = '\0';
	v = strtoll(buf, &end, 10);
	o->saved = n > 0 && end != buf && *end == '\n' && v >= 0 ? v : 0;
	return (0);
}

int
life_out_create(const struct life_paths *p, struct life_out *o, int *wfd)
{
	int e;

	life_out_init(o);
	o->h = p->h;
	*wfd = out_openreg(p->h, p->out, O_WRONLY | O_APPEND | O_CREAT |
	    O_TRUNC, 0640);
	if (*wfd < 0)
		return (errno);
	if ((o->fd = out_openreg(p->h, p->out, O_RDWR, 0)) < 0)
		e = errno;
	else
		e = out_posfile(p, o, true);
	o->cap = LIFE_OUT_CAP;
	if (e != 0) {
		o->h->ops->fd_close(o->h, *wfd);
		*wfd = -1;
		life_out_close(o);
		return (e);
	}
	return (0);
}

int
life_out_open(const struct life_paths *p, struct life_out *o)
{
	struct host_stat sb;
	int e;

	life_out_init(o);
	o->h = p->h;
	if ((o->fd = out_openreg(p->h, p->out, O_RDONLY, 0)) < 0)
		return (errno);
	if ((e = out_posfile(p, o, false)) != 0) {
		life_out_close(o);
		return (e);
	}
	o->off = o->saved;
	/* A shorter file than the position is a new one: from its start. */
	if (o->h->ops->fd_stat(o->h, o->fd, &sb) == 0 &&
	    (int64_t)sb.size < o->off)
		o->off = 0;
	return (0);
}

bool
life_out_pending(const struct life_out *o)
{
	struct host_stat sb;

	return (o->fd >= 0 && o->h->ops->fd_stat(o->h, o->fd, &sb) == 0 &&
	    (int64_t)sb.size > o->off);
}

/* How far the log accounts for NAME.out: no unfinished or held line. */
static int64_t
out_done(const struct life_out *o)
{
	int64_t v;

	v = o->off - (int64_t)o->blog.npart - (int64_t)o->blog.held;
	return (v > 0 ? v : 0);
}

/*
 * Empties NAME.out once the log holds all of it (docs/freebsd.md#L-LOG2):
 * bhyve writes with O_APPEND, so its next write lands at the end, which
 * is then 0.  Nothing makes "truncate if nothing came" one step: a write
 * of bhyve's between the last read and the ftruncate(2) is lost, and a
 * busy or preempted supervisor widens that moment.  So it is done when
 * bhyve has been quiet for a look (LIFE_OUT_CAP), or, while it writes,
 * only past LIFE_OUT_HARDCAP.  The position says 0 first (a crash right
 * here copies the last lines twice, it never skips any), and a last read
 * just before the ftruncate(2) keeps the moment to two system calls.
 * Returns whether there is more to read.
 */
static bool
out_rewind(struct life_out *o)
{
	char c;
	ssize_t n;

	out_save(o, 0);
	if (o->saved != 0)
		return (false);
	n = o->h->ops->fd_pread(o->h, o->fd, &c, 1, (off_t)o->off);
	if (n == 0 && o->h->ops->fd_truncate(o->h, o->fd, 0) == 0) {
		o->off = 0;
		o->retry = o->cap;
		return (true);
	}
	/* bhyve is writing: again a quarter of the cap later. */
	o->retry = o->off + o->cap / 4;
	out_save(o, out_done(o));
	return (n > 0);
}

unsigned
life_out_fold(struct life_out *o, int logfd, int tz, int flags)
{
	struct strbuf sb;
	struct host_stat st;
	char buf[8192];
	unsigned before;
	ssize_t n;
	bool more, ok, eof, final, rewind;

	if (o->fd < 0)
		return (0);
	final = (flags & LIFE_OUT_FINAL) != 0;
	before = o->blog.nlines;
	o->got = 0;
	o->more = false;
	do {
		more = eof = false;
		sb_init(&sb);
		/* The cap counts what the log holds (newsyslog empties it). */
		if (logfd >= 0 && o->h->ops->fd_stat(o->h, logfd, &st) == 0)
			o->blog.used = (int64_t)st.size;
		for (;;) {
			n = o->h->ops->fd_pread(o->h, o->fd, buf, sizeof(buf),
			    o->off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				eof = n == 0;
				break;
			}
			o->off += n;
			o->got += n;
			bhyvelog_feed(&o->blog, buf, (size_t)n, life_wall_ms(o->h),
			    tz, &sb);
			if (sb.len >= 65536 || sb.oom) {
				more = !sb.oom;
				break;
			}
			if (!final && o->got >= LIFE_OUT_SLICE) {
				o->more = true;
				break;
			}
			/* A short read was the end a moment ago: empty it? */
			if ((size_t)n < sizeof(buf) && !final && o->cap > 0 &&
			    o->off >= LIFE_OUT_HARDCAP && o->off >= o->retry) {
				eof = true;
				break;
			}
		}
		/* Quiet (nothing new since the last look) or much. */
		rewind = eof && !final && o->cap > 0 && o->off >= o->retry &&
		    o->blog.npart == 0 && ((o->off >= o->cap && o->got == 0) ||
		    o->off >= LIFE_OUT_HARDCAP);
		if (!more && final)
			bhyvelog_flush(&o->blog, life_wall_ms(o->h), tz, &sb);
		else if ((!more && (flags & LIFE_OUT_SETTLE) != 0) || rewind)
			bhyvelog_settle(&o->blog, life_wall_ms(o->h), tz, &sb);
		else if (!more)
			bhyvelog_tick(&o->blog, life_wall_ms(o->h), tz, &sb);
		/* What the log did not take stays for the next reader. */
		ok = logfd >= 0 && !sb.oom && (sb.len == 0 ||
		    o->h->ops->fd_write(o->h, logfd, sb_str(&sb), sb.len) ==
		    (ssize_t)sb.len);
		sb_free(&sb);
		/* The next reader reads unfinished and held lines again. */
		if (ok) {
			out_save(o, out_done(o));
			if (rewind && out_rewind(o))
				more = true;
		}
	} while (more && !o->more);
	return (o->blog.nlines - before);
}

void
life_out_orphan(const struct life_paths *p, bool final, life_log_fn *fn,
    void *arg)
{
	struct life_out o;
	struct strbuf sb;
	struct host_stat st;
	char msg[PATH_MAX + 160];
	unsigned n;
	int logfd, tz;

	if (life_out_open(p, &o) != 0)
		return;
	if (!life_out_pending(&o) || p->h->ops->st_append(p->h, p->log, 0640,
	    &logfd) != 0) {
		life_out_close(&o);
		return;
	}
	tz = life_tzoff(p->h);
	sb_init(&sb);
	if (p->h->ops->fd_stat(p->h, o.fd, &st) == 0)
		bhyvelog_stamp(&sb, st.mtime_ms, tz);
	(void)snprintf(msg, sizeof(msg), "bhyve's output while no supervisor "
	    "ran, from %s (last written %s), stamped as read:", p->out,
	    sb.len > 0 && !sb.oom ? sb_str(&sb) : "at an unknown time");
	sb_reset(&sb);
	bhyvelog_line(&sb, life_wall_ms(p->h), tz, "ptvm", msg, strlen(msg));
	if (!sb.oom)
		(void)p->h->ops->fd_write(p->h, logfd, sb_str(&sb), sb.len);
	sb_free(&sb);
	n = life_out_fold(&o, logfd, tz, final ? LIFE_OUT_FINAL :
	    LIFE_OUT_SETTLE);
	p->h->ops->fd_close(p->h, logfd);
	life_out_close(&o);
	say(fn, arg, DIAG_NOTE, "%u line%s of bhyve's output written while "
	    "no supervisor ran %s now in %s", n, n == 1 ? "" : "s",
	    n == 1 ? "is" : "are", p->log);
}

int
life_set1_mask(struct host *h, struct topo_set *m)
{
	char *av[] = { __DECONST(char *, "cpuset"), __DECONST(char *, "-g"),
	    __DECONST(char *, "-s"), __DECONST(char *, "1"), NULL };
	struct host_proc pr;
	struct diags d;
	char *out, *p, *nl;
	size_t len;
	int rv;

	out = NULL;
	if (h->ops->run_output(h, av, &pr, &out, &len) != 0 || out == NULL ||
	    !pr.ran || pr.status != 0 || (p = strstr(out, " mask: ")) == NULL) {
		free(out);
		return (-1);
	}
	p += 7;
	if ((nl = strchr(p, '\n')) != NULL)
		*nl = '\0';
	diags_init(&d);
	rv = cpuset_parse(p, m, "cpuset -g -s 1", &d) == 0 &&
	    topo_set_count(m) > 0 ? 0 : -1;
	diags_free(&d);
	free(out);
	return (rv);
}

/*
 * "cpuset +LIST": an isolation's undo gives set 1 back the CPUs it took,
 * and only those, so another isolated VM keeps its own (freebsd.md#C4).
 */
static int
undo_give_cpus(struct host *h, const char *list, life_log_fn *fn, void *arg)
{
	struct topo_set give, cur;
	struct host_proc pr;
	struct strbuf sb;
	struct diags d;
	char why[1024], ncpu[32], *av[6], *v;
	long long n;
	int e, c;

	diags_init(&d);
	e = cpuset_parse(list, &give, "the undo journal", &d);
	diags_free(&d);
	if (e != 0)
		return (-1);
	if (life_set1_mask(h, &cur) != 0) {
		/* Unknown now: every CPU the host has. */
		topo_set_zero(&cur);
		n = 0;
		if (h->ops->sysctl_get(h, "hw.ncpu", &v) == 0) {
			n = strtoll(v, NULL, 10);
			free(v);
		}
		for (c = 0; c < n && c < TOPO_MAXCPU; c++)
			topo_set_add(&cur, c);
	}
	for (c = topo_set_next(&give, -1); c >= 0;
	    c = topo_set_next(&give, c + 1))
		topo_set_add(&cur, c);
	sb_init(&sb);
	cpuset_format(&cur, &sb);
	(void)snprintf(ncpu, sizeof(ncpu), "%s", sb.oom ? "" : sb_str(&sb));
	sb_free(&sb);
	if (ncpu[0] == '\0')
		return (-1);
	av[0] = __DECONST(char *, "cpuset");
	av[1] = __DECONST(char *, "-l");
	av[2] = ncpu;
	av[3] = __DECONST(char *, "-s");
	av[4] = __DECONST(char *, "1");
	av[5] = NULL;
	if ((e = h->ops->run(h, av, &pr)) != 0 || (pr.ran && pr.status != 0)) {
		say(fn, arg, DIAG_WARN, "%s", host_proc_str(av, e, &pr, why,
		    sizeof(why)));
		return (-1);
	}
	say(fn, arg, DIAG_NOTE, "the host's processes may use CPUs %s again",
	    list);
	return (0);
}

/* The kernel's VMs. */

static void
vm_from_status(struct host *h, struct host_vm *vm)
{
	struct life_paths p;
	struct sup_status st;
	struct host_probe pr;
	struct diags d;
	struct pci_sel *devs;

	if (life_paths(h, vm->name, &p) != 0)
		return;
	diags_init(&d);
	if (life_status_read(&p, &st, &d) == 0 && st.state != SUP_STOPPED &&
	    st.pid > 0 && h->ops->vm_probe(h, vm->name, st.pid, &pr) == 0 &&
	    pr.alive) {
		devs = NULL;
		if (st.ndev > 0 &&
		    (devs = calloc(st.ndev, sizeof(*devs))) == NULL) {
			diags_free(&d);
			return;
		}
		if (st.ndev > 0)
			memcpy(devs, st.dev, st.ndev * sizeof(*devs));
		free(vm->devs);
		vm->devs = devs;
		vm->ndevs = st.ndev;
		vm->devs_known = true;
		vm->by_ptvm = true;
	}
	diags_free(&d);
}

/*
 * A VM that a live ptvm start or supervisor holds but the kernel does not
 * have yet (it is starting): its status file claims its devices.
 */
static int
vm_add_starting(struct host *h, struct host_vm_list *vl, const char *name)
{
	struct life_paths p;
	struct sup_status st;
	struct host_vm *nv;
	struct diags d;
	size_t i;
	int spid, e;

	for (i = 0; i < vl->n; i++)
		if (strcmp(vl->vm[i].name, name) == 0)
			return (0);
	if (life_paths(h, name, &p) != 0 || !life_supervisor(&p, &spid))
		return (0);
	diags_init(&d);
	e = life_status_read(&p, &st, &d);
	diags_free(&d);
	if (e != 0 || st.state == SUP_STOPPED)
		return (0);
	if ((nv = reallocarray(vl->vm, vl->n + 1, sizeof(*nv))) == NULL)
		return (ENOMEM);
	vl->vm = nv;
	nv = &vl->vm[vl->n];
	memset(nv, 0, sizeof(*nv));
	strlcpy(nv->name, name, sizeof(nv->name));
	if (st.ndev > 0 && (nv->devs = calloc(st.ndev,
	    sizeof(*nv->devs))) == NULL)
		return (ENOMEM);
	if (st.ndev > 0)
		memcpy(nv->devs, st.dev, st.ndev * sizeof(*nv->devs));
	nv->ndevs = st.ndev;
	nv->devs_known = nv->by_ptvm = true;
	vl->n++;
	return (0);
}

int
life_vm_list(struct host *h, struct host_vm_list *vl)
{
	char **names;
	size_t i, n, k;
	int e;

	if ((e = h->ops->vm_list(h, vl)) != 0)
		return (e);
	for (i = 0; i < vl->n; i++)
		if (!vl->vm[i].devs_known)
			vm_from_status(h, &vl->vm[i]);
	if (h->ops->st_list(h, h->rundir, &names, &n) != 0)
		return (0);
	for (i = 0; i < n && e == 0; i++) {
		k = strlen(names[i]);
		if (k <= 7 || strcmp(names[i] + k - 7, ".status") != 0)
			continue;
		names[i][k - 7] = '\0';
		if (vm_name_ok(names[i]))
			e = vm_add_starting(h, vl, names[i]);
	}
	host_names_free(names, n);
	return (e);
}

int
life_free_of_vms(struct host *h, const struct pci_sel *fn, const char *sel,
    const char *name, const char *what, struct diags *d)
{
	struct host_vm_list vl;
	size_t i, k;
	int e, bad;

	if ((e = life_vm_list(h, &vl)) != 0) {
		diag_err(d, NULL, 0, "cannot list the running VMs (%s): %s",
		    strerror(e), what);
		return (-1);
	}
	for (i = bad = 0; i < vl.n; i++) {
		for (k = 0; k < vl.vm[i].ndevs; k++)
			if (pci_sel_eq(&vl.vm[i].devs[k], fn)) {
				diag_err(d, NULL, 0, "%s (%s) is used by the "
				    "running VM %s: stop the VM first; %s", sel,
				    name, vl.vm[i].name, what);
				bad++;
			}
		if (!vl.vm[i].devs_known) {
			diag_err(d, NULL, 0, "the running VM %s may use %s "
			    "(ptvm cannot tell which functions it has): stop "
			    "it first; %s", vl.vm[i].name, sel, what);
			bad++;
		}
	}
	host_vm_list_free(&vl);
	return (bad > 0 ? -1 : 0);
}

int
life_host_lock(struct host *h)
{
	char path[PATH_MAX];

	if (h->ops->st_mkdir(h, h->rundir, 0755) != 0 ||
	    (size_t)snprintf(path, sizeof(path), "%s/host.lock", h->rundir) >=
	    sizeof(path))
		return (-1);
	return (lock_path(h, path));
}

int
life_undo_pending(const struct life_paths *p, size_t *n, char *what,
    size_t wsz)
{
	static const char *const kinds[] = { "sysctl", "tap", "cpuset",
	    "bind", "swtpm" };
	struct undo_list l;
	struct diags d;
	size_t i;
	int e;

	*n = 0;
	if (wsz > 0)
		what[0] = '\0';
	diags_init(&d);
	e = journal_read(p->h, p->undo, &l, &d);
	diags_free(&d);
	if (e != 0) {
		undo_free(&l);
		return (-1);
	}
	*n = l.n;
	for (i = 0; i < l.n; i++) {
		if (i > 0)
			strlcat(what, ", ", wsz);
		strlcat(what, kinds[l.e[i].kind], wsz);
		if (l.e[i].nw > 0 && l.e[i].kind != UNDO_CPUSET) {
			strlcat(what, " ", wsz);
			strlcat(what, l.e[i].w[0], wsz);
		}
	}
	undo_free(&l);
	return (0);
}

bool
life_vm_exists(struct host *h, const char *name)
{
	struct host_vm_list vl;
	size_t i;
	bool found;

	if (h->ops->vm_list(h, &vl) != 0)
		return (false);
	for (found = false, i = 0; i < vl.n; i++)
		found |= strcmp(vl.vm[i].name, name) == 0;
	host_vm_list_free(&vl);
	return (found);
}

/* bhyvectl --destroy --vm=NAME; 0, an errno, or -1 when it failed. */
int
life_destroy(struct host *h, const char *name)
{
	struct host_proc pr;
	char vmarg[64], *av[4];
	int e;

	(void)snprintf(vmarg, sizeof(vmarg), "--vm=%s", name);
	av[0] = __DECONST(char *, "bhyvectl");
	av[1] = __DECONST(char *, "--destroy");
	av[2] = vmarg;
	av[3] = NULL;
	if ((e = h->ops->run(h, av, &pr)) != 0)
		return (e);
	return (pr.ran && pr.status != 0 ? -1 : 0);
}

int
life_recover(struct eng *eng, struct host *h, const char *name,
    bool unbind, int *undone, life_log_fn *fn, void *arg)
{
	struct life_paths p;
	struct sup_status st;
	struct sup_outcome o;
	struct sup_actions acts;
	struct host_probe pr;
	struct diags d;
	size_t i;
	bool alive, bhyve, exists;
	int spid, r;

	if (undone != NULL)
		*undone = -1;
	if (life_paths(h, name, &p) != 0)
		return (0);
	diags_init(&d);
	if (life_status_read(&p, &st, &d) != 0) {
		diags_free(&d);
		return (0);
	}
	diags_free(&d);
	alive = life_supervisor(&p, &spid);
	if (alive)
		return (0);
	bhyve = false;
	if (st.pid > 0 && h->ops->vm_probe(h, name, st.pid, &pr) == 0)
		bhyve = pr.alive;
	/* Its whole lines while it runs; everything once it has ended. */
	life_out_orphan(&p, !bhyve, fn, arg);
	exists = life_vm_exists(h, name);
	if (st.state == SUP_STOPPED && (!exists || bhyve))
		return (0);
	memset(&acts, 0, sizeof(acts));
	sup_recover(&st, alive, bhyve, exists, st.ndev, life_mono_ms(h), &o,
	    &acts);
	for (i = 0; i < acts.n; i++) {
		switch (acts.a[i].kind) {
		case SUP_A_LOG:
			say(fn, arg, acts.a[i].level, "%s: %s", name,
			    acts.a[i].msg);
			break;
		case SUP_A_DESTROY:
			if (life_destroy(h, name) != 0)
				say(fn, arg, DIAG_WARN, "%s: bhyvectl --destroy "
				    "failed", name);
			break;
		case SUP_A_DIRTY:
			if (dirty_mark(&p, name, st.dev, st.ndev,
			    acts.a[i].msg) != 0)
				say(fn, arg, DIAG_WARN, "%s: cannot write %s",
				    name, p.dirty);
			else
				say(fn, arg, DIAG_WARN, "%s: marked %zu "
				    "passed-through function%s dirty", name,
				    st.ndev, st.ndev == 1 ? "" : "s");
			break;
		case SUP_A_RESTORE:
			r = undo_restore(eng, h, name, unbind, fn, arg);
			if (undone != NULL)
				*undone = r;
			break;
		case SUP_A_RECORD:
			st.state = SUP_STOPPED;
			st.pid = 0;
			st.supervisor = 0;
			st.has_last = true;
			st.last_kind = o.kind;
			memset(&st.last_exit, 0, sizeof(st.last_exit));
			st.last_ran = o.ran;
			st.last_dirty = o.dirty;
			st.last_time = life_wall_ms(h) / 1000;
			strlcpy(st.last_why, o.why, sizeof(st.last_why));
			(void)life_status_write(&p, &st);
			break;
		default:
			break;
		}
	}
	if (o.kind == SUP_K_LOST)
		return (1);
	return (bhyve && st.state != SUP_STOPPED ? 2 : 0);
}
