/*
 * supervise.c: the supervisor's event loop.  It feeds lib/sup.c's state
 * machine with what happens and carries out the actions it returns.
 *
 * Everything waits in one poll(2): a self-pipe carries SIGCHLD (bhyve
 * ended: waitpid at once), SIGTERM and SIGINT (stop), SIGHUP (reopen the
 * log, for newsyslog(8)); the control
 * socket brings stop requests; the poll timeout is the machine's next
 * timer, the next look at the guest (whether it runs and enabled ACPI,
 * which no event announces) or the next read of bhyve's output.
 * Nothing sleeps in a loop.
 *
 * bhyve's stdout and stderr are LOGDIR/NAME.out, a regular file, not a
 * pipe (life.h): bhyve dies of SIGPIPE on a pipe nobody reads
 * (docs/freebsd.md#B-OUT1, B-OUT2), so a pipe would let the death of
 * this process kill the guest.  The file is read every SV_OUT_TICK ms
 * while bhyve runs (poll(2) finds a regular file always readable, so a
 * timer it is) and once more when it has ended; sooner while it is busy.
 * Once it holds LIFE_OUT_CAP bytes all in the log it is emptied (life.c
 * out_rewind).
 *
 * The log is NAME.log.  newsyslog(8) rotates it by a rename and a new
 * file at its path (etc/newsyslog.conf.d/ptvm.conf, flag N: one glob
 * entry cannot name each VM's pidfile, so nobody is signalled); at every
 * read of NAME.out and before each message the supervisor compares the
 * open log with the path (device and inode) and reopens it when they
 * differ or the path is gone (docs/freebsd.md#L-LOG1).  SIGHUP reopens it
 * at once.
 */
#include "compat.h"

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bhyvelog.h"
#include "ctlmsg.h"
#include "pcicfg.h"
#include "life.h"

#define SV_CLIENTS	8
#define SV_PROBE_FIRST	20		/* ms after the spawn */
#define SV_PROBE_MAX	1000
#define SV_FATAL_AGE	5000		/* ms: an error line this recent ends it */
#define SV_OUT_TICK	200		/* ms between reads of NAME.out */
#define SV_OUT_BUSY	20		/* the same after a read of 64 KiB */

struct sv_client {
	int		 fd;
	char		 buf[128];
	size_t		 n;
	bool		 stopper;	/* waits for the end of a stop */
};

struct sv {
	struct eng	*eng;
	struct host	*h;
	struct vm_load	*ld;
	const struct life_paths *p;
	const struct supervise_opts *o;
	const char	*name;
	struct sup	 sup;
	struct sup_event q[8];
	size_t		 nq;
	int		 logfd;
	int		 tz;
	int		 lsock;
	struct sv_client cl[SV_CLIENTS];
	struct life_out	 out;		/* bhyve's output, NAME.out */
	int64_t		 out_at;	/* next read of it; -1: none */
	char		*argv[16];
	struct pin_isolation iso;	/* bhyve's cpuset(1) prefix */
	int64_t		 probe_at;	/* -1: no look planned */
	int64_t		 desk_at;	/* next remote=sunshine probe */
	int64_t		 probe_step;
	int64_t		 exited_at;	/* ms bhyve's end was seen, or -1 */
	int		 ready_fd;
	bool		 done;
	int		 code;
	char		 error[256];
	/* Configuration-space evidence of the passed functions (issue 8). */
	struct pci_sel	 dsel[SUP_STATUS_MAXDEV];
	struct pcicfg	*before[SUP_STATUS_MAXDEV];
	char		 dsig[SUP_STATUS_MAXDEV][16];
	size_t		 ndsel;
	bool		 evidence_said;
	bool		 record;	/* the status file is due */
};

/* Output. */

static int sv_open_log(struct sv *);

static void
sv_log_line(struct sv *s, const char *tag, const char *msg)
{
	struct strbuf sb;

	if (s->logfd < 0)
		return;
	sb_init(&sb);
	bhyvelog_line(&sb, life_wall_ms(s->h), s->tz, tag, msg, strlen(msg));
	if (!sb.oom)
		(void)s->h->ops->fd_write(s->h, s->logfd, sb_str(&sb), sb.len);
	sb_free(&sb);
}

/* The log again, as a new file at its path, after why. */
static void
sv_reopen_log(struct sv *s, const char *why)
{
	char msg[PATH_MAX + 128];
	int old;

	old = s->logfd;
	if (sv_open_log(s) != 0) {
		s->logfd = old;		/* better the old file than none */
		return;
	}
	if (old >= 0)
		s->h->ops->fd_close(s->h, old);
	(void)snprintf(msg, sizeof(msg), "supervisor %d reopened %s (%s)",
	    s->h->ops->proc_self(s->h), s->p->log, why);
	sv_log_line(s, "ptvm", msg);
}

/* Reopens the log when its path no longer leads to the open file. */
static void
sv_log_check(struct sv *s)
{
	struct host_stat a, b;

	if (s->logfd >= 0 && s->h->ops->fd_stat(s->h, s->logfd, &a) == 0 &&
	    s->h->ops->st_stat(s->h, s->p->log, &b) == 0 &&
	    a.dev == b.dev && a.ino == b.ino)
		return;
	sv_reopen_log(s, s->logfd < 0 ? "it could not be opened before" :
	    "the old one was moved or removed, as newsyslog rotates it");
}

static void
sv_write_log(struct sv *s, const char *tag, const char *msg)
{

	sv_log_check(s);
	sv_log_line(s, tag, msg);
}

/* One line of lib/ctlmsg.h to every client (or only the stoppers). */
static void
sv_client_send(struct sv *s, bool stoppers, const struct ctl_msg *m)
{
	char line[CTL_LINEMAX];
	size_t i;
	int n;

	if ((n = ctl_format(m, line, sizeof(line))) < 0)
		return;
	for (i = 0; i < SV_CLIENTS; i++)
		if (s->cl[i].fd >= 0 && (!stoppers || s->cl[i].stopper))
			(void)s->h->ops->sock_send(s->h, s->cl[i].fd, line,
			    (size_t)n);
}

static void
sv_client_close(struct sv *s, size_t i)
{

	s->h->ops->fd_close(s->h, s->cl[i].fd);
	s->cl[i].fd = -1;
	s->cl[i].n = 0;
	s->cl[i].stopper = false;
}

static void
sv_say(struct sv *s, enum diag_level lvl, const char *msg)
{
	struct ctl_msg m;

	sv_write_log(s, "ptvm", msg);
	if (s->o->report != NULL)
		s->o->report(s->o->arg, s->name, lvl, msg);
	/* One line on the wire (ctl_set_text makes it one). */
	ctl_init(&m, CTL_LOG);
	m.level = lvl;
	ctl_set_text(&m, msg);
	sv_client_send(s, true, &m);
}

static void
sv_sayf(struct sv *s, enum diag_level lvl, const char *fmt, ...)
    __printflike(3, 4);

static void
sv_sayf(struct sv *s, enum diag_level lvl, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sv_say(s, lvl, msg);
}

static void
sv_logfn(void *arg, enum diag_level lvl, const char *msg)
{

	sv_say(arg, lvl, msg);
}

/* The status file, after every change. */
static void
sv_status(struct sv *s)
{
	struct sup_status st;
	size_t i;

	sup_status_init(&st);
	strlcpy(st.name, s->name, sizeof(st.name));
	sup_status_fill(&s->sup, life_wall_ms(s->h) - life_mono_ms(s->h), &st);
	st.supervisor = s->sup.state == SUP_STOPPED ? 0 :
	    s->h->ops->proc_self(s->h);
	strlcpy(st.log, s->p->log, sizeof(st.log));
	strlcpy(st.error, s->error, sizeof(st.error));
	for (i = 0; i < s->ld->vm.ndev && st.ndev < SUP_STATUS_MAXDEV; i++)
		if (s->ld->vm.dev[i].kind == VMD_PASSTHRU)
			st.dev[st.ndev++] = s->ld->vm.dev[i].host;
	for (i = 0; i < s->ndsel; i++)
		if (s->dsig[i][0] != '\0') {
			st.ev_sel[st.nev] = s->dsel[i];
			strlcpy(st.ev_sig[st.nev], s->dsig[i],
			    sizeof(st.ev_sig[0]));
			st.nev++;
		}
	if (life_status_write(s->p, &st) != 0)
		sv_sayf(s, DIAG_WARN, "cannot write %s", s->p->status);
}

/* The start pipe's answer: m, then the "error" line err if not NULL. */
static void
sv_ready(struct sv *s, const struct ctl_msg *m, const struct ctl_msg *err)
{
	char line[2 * CTL_LINEMAX];
	int n, n2;

	if (s->ready_fd < 0)
		return;
	if ((n = ctl_format(m, line, CTL_LINEMAX)) > 0) {
		if (err != NULL &&
		    (n2 = ctl_format(err, line + n, CTL_LINEMAX)) > 0)
			n += n2;
		(void)s->h->ops->fd_write(s->h, s->ready_fd, line, (size_t)n);
	}
	s->h->ops->fd_close(s->h, s->ready_fd);
	s->ready_fd = -1;
}

/* Actions. */

static void
sv_push(struct sv *s, const struct sup_event *ev)
{

	if (s->nq < nitems(s->q))
		s->q[s->nq++] = *ev;
}

/*
 * Evidence: each passed function's configuration space is read before
 * bhyve runs and again once the VM is destroyed (the kernel has released
 * and reset the function), saved under RUNDIR/NAME.pci/, and the change
 * explained in the log with its failure signature (lib/pcicfg.h).
 */
static int
sv_evidence_path(struct sv *s, const char *when, const struct pci_sel *sel,
    char *path, size_t sz)
{
	char name[40];

	pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
	if ((size_t)snprintf(path, sz, "%s/%s.pci", s->h->rundir, s->name) >=
	    sz || s->h->ops->st_mkdir(s->h, path, 0755) != 0)
		return (-1);
	if ((size_t)snprintf(path, sz, "%s/%s.pci/%s-%s.txt", s->h->rundir,
	    s->name, when, name) >= sz)
		return (-1);
	return (0);
}

static struct pcicfg *
sv_snapshot(struct sv *s, const char *when, const struct pci_sel *sel)
{
	struct pcicfg *img;
	struct strbuf sb;
	struct diags d;
	struct diag *dg;
	char path[PATH_MAX], name[40];
	int e;

	if ((img = malloc(sizeof(*img))) == NULL)
		return (NULL);
	diags_init(&d);
	if ((e = s->h->ops->pci_cfg_read(s->h, sel, img, &d)) != 0) {
		if (!s->evidence_said) {
			dg = STAILQ_FIRST(&d.head);
			pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
			sv_sayf(s, DIAG_NOTE, "no configuration-space evidence "
			    "of %s: %s", name, dg != NULL ? dg->msg :
			    sys_strerror(e));
			s->evidence_said = true;
		}
		diags_free(&d);
		free(img);
		return (NULL);
	}
	diags_free(&d);
	if (sv_evidence_path(s, when, sel, path, sizeof(path)) == 0) {
		sb_init(&sb);
		pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
		pcicfg_format(img, name, &sb);
		if (!sb.oom)
			(void)s->h->ops->st_write(s->h, path, sb_str(&sb),
			    sb.len, 0644, 0);
		sb_free(&sb);
	}
	return (img);
}

static void
sv_evidence_before(struct sv *s)
{
	size_t i;

	if (s->ndsel == 0)
		for (i = 0; i < s->ld->vm.ndev && s->ndsel < SUP_STATUS_MAXDEV;
		    i++)
			if (s->ld->vm.dev[i].kind == VMD_PASSTHRU)
				s->dsel[s->ndsel++] = s->ld->vm.dev[i].host;
	for (i = 0; i < s->ndsel; i++) {
		free(s->before[i]);
		s->before[i] = sv_snapshot(s, "before", &s->dsel[i]);
	}
}

/* The worst signature seen; the log gets the explained differences. */
static enum pcicfg_sig
sv_evidence_after(struct sv *s)
{
	struct pcicfg_diff *df;
	struct pcicfg *after;
	struct strbuf sb;
	enum pcicfg_sig worst;
	char name[40];
	const char *p, *nl;
	size_t i;

	worst = PCICFG_SIG_NONE;
	if ((df = malloc(sizeof(*df))) == NULL)
		return (worst);
	for (i = 0; i < s->ndsel; i++) {
		s->dsig[i][0] = '\0';
		if (s->before[i] == NULL ||
		    (after = sv_snapshot(s, "after", &s->dsel[i])) == NULL)
			continue;
		pcicfg_diff(s->before[i], after, df);
		pci_sel_fmt(&s->dsel[i], SEL_PCICONF, name, sizeof(name));
		strlcpy(s->dsig[i], pcicfg_sig_name(df->worst),
		    sizeof(s->dsig[0]));
		if (df->worst > worst)
			worst = df->worst;
		if (df->n == 0)
			sv_sayf(s, DIAG_NOTE, "%s: configuration space as "
			    "before the VM", name);
		else {
			sv_sayf(s, df->worst != PCICFG_SIG_NONE ? DIAG_WARN :
			    DIAG_NOTE, "%s: configuration space after the VM "
			    "(%zu bytes differ; signature %s):", name,
			    df->nbytes, pcicfg_sig_name(df->worst));
			sb_init(&sb);
			pcicfg_diff_text(df, &sb);
			for (p = sb_str(&sb); !sb.oom && *p != '\0';
			    p = *nl != '\0' ? nl + 1 : nl) {
				nl = strchr(p, '\n');
				if (nl == NULL)
					nl = p + strlen(p);
				if (nl > p) {
					char line[PCICFG_LINELEN + 16];

					(void)snprintf(line, sizeof(line),
					    "%s: %.*s", name, (int)(nl - p), p);
					sv_write_log(s, "pci", line);
				}
			}
			sb_free(&sb);
		}
		free(after);
	}
	free(df);
	return (worst);
}

static void
sv_spawn(struct sv *s)
{
	struct sup_event ev;
	char msg[PATH_MAX + 128];
	int wfd, pid, e;

	memset(&ev, 0, sizeof(ev));
	s->error[0] = '\0';
	sv_evidence_before(s);
	/* What an earlier bhyve left unread (a host crash): first. */
	life_out_close(&s->out);
	life_out_orphan(s->p, true, sv_logfn, s);
	if ((e = life_out_create(s->p, &s->out, &wfd)) != 0) {
		(void)snprintf(msg, sizeof(msg), "cannot write %s: %s; "
		    "bhyve's output would be lost", s->p->out, strerror(e));
		sv_say(s, DIAG_ERROR, msg);
		strlcpy(s->error, msg, sizeof(s->error));
		goto failed;
	}
	e = s->h->ops->spawn(s->h, s->argv, wfd, &pid);
	s->h->ops->fd_close(s->h, wfd);
	if (e != 0) {
		life_out_close(&s->out);
		goto fail;
	}
	ev.kind = SUP_EV_SPAWNED;
	ev.pid = pid;
	ev.now = life_mono_ms(s->h);
	sv_push(s, &ev);
	sv_sayf(s, DIAG_NOTE, "bhyve runs as pid %d with %s; its output goes "
	    "to %s", pid, s->p->conf, s->p->out);
	s->probe_step = SV_PROBE_FIRST;
	s->probe_at = ev.now + s->probe_step;
	s->out_at = ev.now + SV_OUT_TICK;
	return;
fail:
	/* A captured host runs DIR/bin/NAME only with PTVM_STANDINS=1. */
	snprintf(s->error, sizeof(s->error), "cannot run %s: %s%s", s->argv[0],
	    strerror(e), s->h->dir != NULL && e == ENOENT ? " (a captured "
	    "host runs its stand-in DIR/bin/bhyve only with PTVM_STANDINS=1; "
	    "the start is journaled)" : "");
	sv_say(s, DIAG_ERROR, s->error);
failed:
	ev.kind = SUP_EV_SPAWN_FAILED;
	ev.err = e;
	ev.now = life_mono_ms(s->h);
	sv_push(s, &ev);
}

/* Looks at the guest; feeds what changed. */
static void
sv_probe(struct sv *s)
{
	struct host_probe pr;
	struct sup_event ev;
	int64_t now;

	now = life_mono_ms(s->h);
	if (s->sup.pid <= 0 || s->sup.state == SUP_STOPPED) {
		s->probe_at = -1;
		return;
	}
	if (s->h->ops->vm_probe(s->h, s->name, s->sup.pid, &pr) != 0 ||
	    !pr.alive) {
		/* Gone, or not yet visible; SIGCHLD tells an end. */
		s->probe_at = now + s->probe_step;
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.now = now;
	ev.pid = s->sup.pid;
	if (pr.running == 1 && !s->sup.ran) {
		ev.kind = SUP_EV_RUNNING;
		sv_push(s, &ev);
	}
	if (pr.acpi >= 0 && pr.acpi != s->sup.acpi) {
		ev.kind = SUP_EV_ACPI;
		ev.on = pr.acpi == 1;
		sv_push(s, &ev);
	}
	if (pr.acpi == 1 || (pr.acpi < 0 && pr.running == 1)) {
		s->probe_at = -1;	/* nothing more to learn */
		return;
	}
	if (s->probe_step < SV_PROBE_MAX)
		s->probe_step *= 2;
	if (s->probe_step > SV_PROBE_MAX)
		s->probe_step = SV_PROBE_MAX;
	s->probe_at = now + s->probe_step;
}

static void
sv_destroy(struct sv *s)
{
	int e;

	if (!life_vm_exists(s->h, s->name))
		return;
	if ((e = life_destroy(s->h, s->name)) > 0)
		sv_sayf(s, DIAG_WARN, "bhyvectl --destroy --vm=%s: %s", s->name,
		    strerror(e));
	else if (e < 0)
		sv_sayf(s, DIAG_WARN, "bhyvectl --destroy --vm=%s failed",
		    s->name);
	else
		sv_sayf(s, DIAG_NOTE, "destroyed the VM in the kernel");
}

/* After the end: destroyed (or never created), the evidence is read. */
static void
sv_ended(struct sv *s)
{
	enum pcicfg_sig sig;

	sv_destroy(s);
	sig = sv_evidence_after(s);
	if (sig != PCICFG_SIG_NONE)
		sv_sayf(s, DIAG_WARN, "%s: %s", pcicfg_sig_name(sig),
		    pcicfg_sig_text(sig));
}

/* Marks each passed function dirty, with its own evidence. */
static void
sv_dirty(struct sv *s, const char *why)
{
	char one[32], reason[192];
	const char *sig;
	size_t i, k;

	for (i = 0; i < s->ld->vm.ndev; i++) {
		if (s->ld->vm.dev[i].kind != VMD_PASSTHRU)
			continue;
		sig = NULL;
		for (k = 0; k < s->ndsel; k++)
			if (pci_sel_eq(&s->dsel[k], &s->ld->vm.dev[i].host) &&
			    s->dsig[k][0] != '\0' &&
			    strcmp(s->dsig[k], "none") != 0)
				sig = s->dsig[k];
		if (sig != NULL)
			(void)snprintf(reason, sizeof(reason), "%s; "
			    "configuration space: %s", why, sig);
		else
			strlcpy(reason, why, sizeof(reason));
		pci_sel_fmt(&s->ld->vm.dev[i].host, SEL_PCICONF, one,
		    sizeof(one));
		if (dirty_mark(s->p, s->name, &s->ld->vm.dev[i].host, 1,
		    reason) != 0) {
			sv_sayf(s, DIAG_ERROR, "cannot write %s", s->p->dirty);
			return;
		}
		sv_sayf(s, DIAG_WARN, "%s marked dirty (%s): a GPU in this "
		    "state may only work again after a host reboot", one,
		    reason);
	}
}

static void
sv_actions(struct sv *s, const struct sup_actions *acts)
{
	const struct sup_action *a;
	size_t i;
	int e;

	for (i = 0; i < acts->n; i++) {
		a = &acts->a[i];
		switch (a->kind) {
		case SUP_A_SPAWN:
			sv_spawn(s);
			break;
		case SUP_A_PRESS:
			if (s->sup.pid > 0 && (e = s->h->ops->proc_signal(s->h,
			    s->sup.pid, SIGTERM)) != 0)
				sv_sayf(s, DIAG_WARN, "SIGTERM to %d: %s",
				    s->sup.pid, sys_strerror(e));
			break;
		case SUP_A_KILL:
			if (s->sup.pid > 0 && (e = s->h->ops->proc_signal(s->h,
			    s->sup.pid, SIGKILL)) != 0)
				sv_sayf(s, DIAG_WARN, "SIGKILL to %d: %s",
				    s->sup.pid, sys_strerror(e));
			break;
		case SUP_A_DESTROY:
			sv_ended(s);
			break;
		case SUP_A_DIRTY:
			sv_dirty(s, a->msg);
			break;
		case SUP_A_RESTORE:
			if (undo_restore(s->eng, s->h, s->name,
			    s->ld->vm.life.unbind_on_stop, sv_logfn, s) != 0)
				sv_sayf(s, DIAG_WARN, "some host changes are "
				    "still in effect: ptvm host restore");
			break;
		case SUP_A_RECORD:
			s->record = true;	/* written once the step is done */
			break;
		case SUP_A_TIMER:
		case SUP_A_CANCEL:
			break;		/* sup_next_timer() drives poll */
		case SUP_A_PROBE:
			sv_probe(s);
			break;
		case SUP_A_LOG:
			sv_say(s, a->level, a->msg);
			break;
		case SUP_A_DONE:
			s->done = true;
			s->code = a->code;
			break;
		}
	}
}

/* Feeds one event and everything it leads to. */
static void
sv_feed(struct sv *s, const struct sup_event *first)
{
	struct sup_actions acts;
	struct sup_event ev;
	enum sup_state before;
	struct ctl_msg m;
	size_t i;

	if (first != NULL)
		sv_push(s, first);
	while (s->nq > 0) {
		ev = s->q[0];
		for (i = 1; i < s->nq; i++)
			s->q[i - 1] = s->q[i];
		s->nq--;
		before = s->sup.state;
		memset(&acts, 0, sizeof(acts));
		(void)sup_step(&s->sup, &ev, &acts);
		sv_actions(s, &acts);
		if (s->record || s->sup.state != before ||
		    ev.kind == SUP_EV_SPAWNED || ev.kind == SUP_EV_ACPI) {
			s->record = false;
			sv_status(s);
		}
		/* A stop that gave up waiting: its client is told. */
		if (before == SUP_STOPPING && !s->done &&
		    s->sup.state != SUP_STOPPING) {
			ctl_init(&m, CTL_GAVEUP);
			sv_client_send(s, true, &m);
			for (i = 0; i < SV_CLIENTS; i++)
				if (s->cl[i].fd >= 0 && s->cl[i].stopper)
					sv_client_close(s, i);
		}
		if (s->sup.state == SUP_RUNNING && before != SUP_RUNNING) {
			ctl_init(&m, CTL_RUNNING);
			m.pid = s->sup.pid;
			sv_ready(s, &m, NULL);
		}
		if (s->done)
			break;
	}
}

/* bhyve's output: what NAME.out has gained, into the log. */
static void
sv_output(struct sv *s, bool final)
{
	struct strbuf sb;

	sv_log_check(s);
	(void)life_out_fold(&s->out, s->logfd, s->tz, final ? LIFE_OUT_FINAL :
	    0);
	/* Busy: at once after a slice, soon after much. */
	s->out_at = final || s->out.fd < 0 ? -1 : life_mono_ms(s->h) +
	    (s->out.more ? 0 : s->out.got >= 65536 ? SV_OUT_BUSY :
	    SV_OUT_TICK);
	if (s->out.blog.last != NULL && s->error[0] == '\0') {
		sb_init(&sb);
		sb_printf(&sb, "%s: ", s->out.blog.last->match);
		bhyvelog_advice(s->out.blog.last, &sb);
		if (!sb.oom)
			strlcpy(s->error, sb_str(&sb), sizeof(s->error));
		sb_free(&sb);
		sv_status(s);
	}
}

static void
sv_reap(struct sv *s)
{
	struct sup_event ev;
	int st, r;

	for (;;) {
		if (s->h->ops->proc_reap(s->h, &r, &st) != 0 || r <= 0)
			return;
		if (r != s->sup.pid)
			continue;	/* a helper run by the host layer */
		s->exited_at = life_mono_ms(s->h);
		sv_output(s, true);
		memset(&ev, 0, sizeof(ev));
		ev.kind = SUP_EV_EXIT;
		ev.now = s->exited_at;
		ev.exit.signaled = WIFSIGNALED(st);
		ev.exit.code = WIFSIGNALED(st) ? WTERMSIG(st) :
		    WEXITSTATUS(st);
		/* Only exit 1 is ambiguous: a power-off, or err(1). */
		ev.exit.failed = !ev.exit.signaled && ev.exit.code == 1 &&
		    bhyvelog_failed(&s->out.blog, life_wall_ms(s->h),
		    SV_FATAL_AGE);
		s->probe_at = -1;
		sv_feed(s, &ev);
		if (s->sup.state != SUP_STOPPED && !s->done) {
			sv_sayf(s, DIAG_NOTE, "restart took %lld ms after "
			    "bhyve ended", (long long)(life_mono_ms(s->h) -
			    s->exited_at));
			s->exited_at = -1;
		}
		if (s->done)
			return;
	}
}

/* Control socket: "stop TIMEOUT FORCE WITHIN" (lib/ctlmsg.h). */
static void
sv_request(struct sv *s, size_t i)
{
	struct sup_event ev;
	struct ctl_msg m;
	char line[CTL_LINEMAX], *nl;
	ssize_t n;
	int t, w, len;

	n = s->h->ops->sock_recv(s->h, s->cl[i].fd, s->cl[i].buf + s->cl[i].n,
	    sizeof(s->cl[i].buf) - 1 - s->cl[i].n);
	if (n <= 0) {
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return;
		sv_client_close(s, i);
		return;
	}
	s->cl[i].n += (size_t)n;
	s->cl[i].buf[s->cl[i].n] = '\0';
	if ((nl = strchr(s->cl[i].buf, '\n')) == NULL) {
		if (s->cl[i].n >= sizeof(s->cl[i].buf) - 1)
			sv_client_close(s, i);
		return;
	}
	*nl = '\0';
	if (ctl_parse(CTL_CH_REQUEST, s->cl[i].buf, (size_t)(nl -
	    s->cl[i].buf), &m) != 0) {
		ctl_init(&m, CTL_ERROR);
		ctl_set_text(&m, "bad request");
		if ((len = ctl_format(&m, line, sizeof(line))) > 0)
			(void)s->h->ops->sock_send(s->h, s->cl[i].fd, line,
			    (size_t)len);
		sv_client_close(s, i);
		return;
	}
	t = m.timeout;
	w = m.within;
	/* --within: the VM's timeout (or -t), but no longer than that. */
	if (t == 0)
		t = s->sup.conf.life.stop_timeout;
	if (w > 0 && t > w)
		t = w;
	s->cl[i].n = 0;
	s->cl[i].stopper = true;
	/* What the guest did since the last look decides the press. */
	if (s->sup.pid > 0)
		sv_probe(s);
	memset(&ev, 0, sizeof(ev));
	ev.kind = SUP_EV_STOP;
	ev.now = life_mono_ms(s->h);
	ev.timeout = t;
	ev.force = m.force;
	ctl_init(&m, CTL_WAIT);
	m.seconds = t;
	sv_client_send(s, false, &m);
	sv_feed(s, &ev);
	if (s->sup.state == SUP_STOPPED && !s->done && s->cl[i].fd >= 0)
		sv_client_close(s, i);
}

static int
sv_listen(struct sv *s)
{
	int fd, e;

	/* Mode 0600 from the start; the old one is ours (pidfile locked). */
	if ((e = s->h->ops->sock_listen(s->h, s->p->sock, &fd)) != 0) {
		sv_sayf(s, DIAG_ERROR, "%s: %s", s->p->sock,
		    e == ENAMETOOLONG ? "path too long for a socket" :
		    sys_strerror(e));
		return (-1);
	}
	return (fd);
}

static void
sv_accept(struct sv *s)
{
	size_t i;
	int fd;

	if (s->h->ops->sock_accept(s->h, s->lsock, &fd) != 0)
		return;
	for (i = 0; i < SV_CLIENTS; i++)
		if (s->cl[i].fd < 0) {
			s->cl[i].fd = fd;
			s->cl[i].n = 0;
			s->cl[i].stopper = false;
			return;
		}
	(void)s->h->ops->sock_send(s->h, fd, "error busy\n", 11);
	(void)s->h->ops->fd_close(s->h, fd);
}

static int
sv_open_log(struct sv *s)
{

	if (s->h->ops->st_mkdir(s->h, s->h->logdir, 0755) != 0)
		return (-1);
	/* Never through a symbolic link, and a regular file only. */
	if ((errno = s->h->ops->st_append(s->h, s->p->log, 0640,
	    &s->logfd)) != 0)
		return (-1);
	return (0);
}

static void
sv_argv(struct sv *s)
{
	char *const *pre;
	size_t n;

	n = 0;
	/* isolate=yes: bhyve in a set of its own that holds its vCPUs' CPUs. */
	pre = pin_launch_prefix(s->ld->topo,
	    s->ld->vm.plan, s->ld->vm.life.isolate, &s->iso);
	while (pre != NULL && *pre != NULL)
		s->argv[n++] = *pre++;
	s->argv[n++] = __DECONST(char *, "bhyve");
	s->argv[n++] = __DECONST(char *, "-k");
	s->argv[n++] = __DECONST(char *, s->p->conf);
	s->argv[n] = NULL;
}

int
supervise(struct eng *eng, struct host *h, struct vm_load *ld,
    const struct life_paths *p, const struct supervise_opts *o)
{
	static const int sigs[] = { SIGCHLD, SIGTERM, SIGINT, SIGHUP };
	struct pollfd pfd[2 + SV_CLIENTS];
	struct sup_conf conf;
	struct ctl_msg m, em;
	struct sup_event ev;
	struct sv s;
	unsigned char sb[16];
	char msg[PATH_MAX + 128];
	int64_t now, next, t;
	size_t i, np;
	ssize_t n;
	int sigfd, timeout;

	memset(&s, 0, sizeof(s));
	s.eng = eng;
	s.h = h;
	s.ld = ld;
	s.p = p;
	s.o = o;
	s.name = ld->vm.name;
	s.lsock = s.logfd = -1;
	s.probe_at = s.exited_at = s.out_at = -1;
	life_out_init(&s.out);
	s.ready_fd = o->ready_fd;
	s.tz = life_tzoff(h);
	for (i = 0; i < SV_CLIENTS; i++)
		s.cl[i].fd = -1;
	sv_argv(&s);
	if (sv_open_log(&s) != 0 && o->report != NULL) {
		(void)snprintf(msg, sizeof(msg), "cannot open %s: %s", p->log,
		    sys_strerror(errno));
		o->report(o->arg, s.name, DIAG_ERROR, msg);
	}

	sup_conf_default(&conf, &ld->vm.life);
	conf.acpi_observable = true;
	conf.restart_dirty = o->force;
	for (i = 0; i < ld->vm.ndev; i++)
		conf.ndev += ld->vm.dev[i].kind == VMD_PASSTHRU;
	sup_init(&s.sup, &conf);

	/* The signals arrive as bytes on sigfd; SIGPIPE is ignored. */
	if (h->ops->sig_catch(h, sigs, nitems(sigs), &sigfd) != 0)
		return (EXIT_FAIL);
	if ((s.lsock = sv_listen(&s)) < 0)
		sv_say(&s, DIAG_WARN, "no control socket: ptvm stop will "
		    "signal the supervisor instead");

	sv_sayf(&s, DIAG_NOTE, "supervisor %d starts %s", h->ops->proc_self(h),
	    s.name);
	memset(&ev, 0, sizeof(ev));
	ev.kind = SUP_EV_START;
	ev.now = life_mono_ms(h);
	sv_feed(&s, &ev);

	while (!s.done) {
		now = life_mono_ms(h);
		next = -1;
		if (sup_next_timer(&s.sup, &t))
			next = t;
		if (s.probe_at >= 0 && (next < 0 || s.probe_at < next))
			next = s.probe_at;
		if (s.out_at >= 0 && (next < 0 || s.out_at < next))
			next = s.out_at;
		timeout = next < 0 ? -1 : next <= now ? 0 :
		    (int)(next - now > 3600000 ? 3600000 : next - now);
		np = 0;
		pfd[np].fd = sigfd;
		pfd[np++].events = POLLIN;
		pfd[np].fd = s.lsock;
		pfd[np++].events = POLLIN;
		for (i = 0; i < SV_CLIENTS; i++) {
			pfd[np].fd = s.cl[i].fd;
			pfd[np++].events = POLLIN;
		}
		if (h->ops->fd_poll(h, pfd, np, timeout) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN) {
			n = h->ops->fd_read(h, sigfd, sb, sizeof(sb));
			for (i = 0; n > 0 && i < (size_t)n && !s.done; i++) {
				if (sb[i] == SIGCHLD) {
					sv_reap(&s);
					continue;
				}
				/* newsyslog(8)'s signal: no stop. */
				if (sb[i] == SIGHUP) {
					sv_reopen_log(&s, "SIGHUP");
					continue;
				}
				memset(&ev, 0, sizeof(ev));
				ev.kind = SUP_EV_SIGNAL;
				ev.sig = sb[i];
				ev.now = life_mono_ms(h);
				sv_feed(&s, &ev);
			}
		}
		if (s.done)
			break;
		if (s.lsock >= 0 && (pfd[1].revents & POLLIN))
			sv_accept(&s);
		for (i = 0; i < SV_CLIENTS && !s.done; i++)
			if (s.cl[i].fd >= 0 && pfd[2 + i].fd == s.cl[i].fd &&
			    (pfd[2 + i].revents & (POLLIN | POLLHUP)))
				sv_request(&s, i);
		if (s.done)
			break;
		now = life_mono_ms(h);
		if (s.out_at >= 0 && s.out_at <= now) {
			sv_output(&s, false);
			desk_supervise_tick(s.h, &ld->vm, now, &s.desk_at);
		}
		if (s.probe_at >= 0 && s.probe_at <= now) {
			sv_probe(&s);
			sv_feed(&s, NULL);
		}
		if (sup_next_timer(&s.sup, &t) && t <= now && !s.done) {
			memset(&ev, 0, sizeof(ev));
			ev.kind = SUP_EV_TIMER;
			ev.now = now;
			sv_feed(&s, &ev);
		}
	}

	if (s.exited_at >= 0)
		sv_sayf(&s, DIAG_NOTE, "cleanup done %lld ms after bhyve "
		    "ended", (long long)(life_mono_ms(h) - s.exited_at));
	ctl_init(&m, CTL_ENDED);
	m.code = s.code;
	ctl_set_text(&m, s.sup.has_last ? s.sup.last.why : "stopped");
	ctl_init(&em, CTL_ERROR);
	ctl_set_text(&em, s.error);
	sv_ready(&s, &m, s.error[0] != '\0' ? &em : NULL);
	m.kind = CTL_DONE;
	sv_client_send(&s, false, &m);
	for (i = 0; i < SV_CLIENTS; i++)
		if (s.cl[i].fd >= 0)
			sv_client_close(&s, i);
	if (s.lsock >= 0) {
		(void)h->ops->fd_close(h, s.lsock);
		(void)h->ops->st_remove(h, p->sock);
	}
	life_out_close(&s.out);
	if (s.logfd >= 0)
		h->ops->fd_close(h, s.logfd);
	for (i = 0; i < s.ndsel; i++)
		free(s.before[i]);
	pin_isolation_free(&s.iso);
	(void)h->ops->fd_close(h, sigfd);
	return (s.code == 0 ? EXIT_OK : EXIT_FAIL);
}
