/*
 * stop.c: stopping a VM: through its supervisor's control socket, which
 * replies as the stop goes on, or, for a bhyve whose supervisor is gone,
 * by pressing the ACPI power button itself and putting the host back.
 */
#include "compat.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlmsg.h"
#include "engine.h"

/* One stop: its context and where it reports. */
struct xrun {
	struct eng	*eng;
	const struct eng_stop_opts *so;
	const char	*name;		/* the VM */
};

/* Progress to the report callback; warnings and errors to diags. */
static void __printflike(3, 4)
say(struct xrun *r, enum diag_level lvl, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (lvl == DIAG_NOTE && r->so->report != NULL)
		r->so->report(r->so->arg, r->name, lvl, msg);
	else
		diag_add(r->eng->diags, lvl, NULL, 0, "%s: %s", r->name, msg);
}

static void
life_say(void *arg, enum diag_level lvl, const char *msg)
{

	say(arg, lvl, "%s", msg);
}

/* The supervisor's control socket; -1 with errno. */
static int
stop_connect(const struct life_paths *p)
{
	int fd, e;

	if ((e = p->h->ops->sock_connect(p->h, p->sock, &fd)) != 0) {
		errno = e;
		return (-1);
	}
	return (fd);
}

static void
countdown_clear(struct xrun *r, bool *shown)
{

	if (*shown) {
		r->so->countdown(r->so->arg, r->name, -1);
		*shown = false;
	}
}

/*
 * One line of the supervisor (lib/ctlmsg.h); 1 when the stop is over, *rv
 * its result, *done whether the supervisor said it ends.  A line that is
 * not a reply is ignored.
 */
static int
stop_line(struct xrun *r, const char *line, size_t len, int64_t *deadline,
    bool *shown, int *rv, bool *done)
{
	struct ctl_msg m;

	countdown_clear(r, shown);
	if (ctl_parse(CTL_CH_REPLY, line, len, &m) != 0)
		return (0);
	switch (m.kind) {
	case CTL_WAIT:
		*deadline = life_mono_ms(r->eng->host) +
		    (int64_t)m.seconds * 1000;
		say(r, DIAG_NOTE, "stopping through ACPI; waiting up to %d s",
		    m.seconds);
		return (0);
	case CTL_LOG:
		say(r, DIAG_NOTE, "%s", m.text);
		return (0);
	case CTL_GAVEUP:
		say(r, DIAG_ERROR, "still running; stopped waiting (ptvm stop "
		    "--kill %s kills it and marks its devices dirty)",
		    r->name);
		*rv = EXIT_FAIL;
		return (1);
	case CTL_DONE:
		say(r, DIAG_NOTE, "stopped: %s", m.text);
		*rv = m.code == 0 ? EXIT_OK : EXIT_FAIL;
		*done = true;
		return (1);
	case CTL_ERROR:
		say(r, DIAG_ERROR, "the supervisor says: %s", m.text);
		*rv = EXIT_FAIL;
		return (1);
	default:
		return (0);
	}
}

/* Asks the supervisor to stop the VM and follows it to the end. */
/* Waits up to ms for the bhyve of st to end; true when it did. */
static bool
stop_wait_gone(struct host *h, const struct sup_status *st, int64_t ms)
{
	struct host_probe pr;
	int64_t end;

	end = life_mono_ms(h) + ms;
	for (;;) {
		/* No more its bhyve, and the process itself gone (or 2 s). */
		if (h->ops->vm_probe(h, st->name, st->pid, &pr) != 0 ||
		    !pr.alive) {
			end = life_mono_ms(h) + 2000;
			while (h->ops->proc_signal(h, st->pid, 0) == 0 &&
			    life_mono_ms(h) < end)
				h->ops->sleep(h, 100);
			return (true);
		}
		if (life_mono_ms(h) >= end)
			return (false);
		h->ops->sleep(h, 100);
	}
}

/*
 * A bhyve whose supervisor is gone (issue 14, item 10): stop presses the
 * power button itself and waits, within the same time as the supervisor
 * would, so that a shutdown does not cut the guest off; then it puts the
 * host back.  bhyve destroys its VM when the guest powers off
 * (destroy_on_poweroff, freebsd.md#B1), so a VM gone from the kernel is a
 * clean power-off; anything else is an end nobody saw (life_recover).
 */
static int
stop_unsupervised(struct xrun *r, struct host *h,
    const struct life_paths *p, struct sup_status *st,
    const struct host_probe *pr)
{
	struct vm_load ld;
	struct diags quiet, *d;
	const char *name = st->name;
	int timeout = r->so->timeout, within = r->so->within;
	bool force = r->so->force;
	bool gone;
	int e;

	if (timeout <= 0) {
		/* The VM file's stop_timeout, its errors not said. */
		timeout = 120;
		vm_load_init(&ld);
		diags_init(&quiet);
		d = r->eng->diags;
		r->eng->diags = &quiet;
		if (vm_load(r->eng, name, &ld) == 0)
			timeout = ld.vm.life.stop_timeout;
		r->eng->diags = d;
		vm_load_free(&ld);
		diags_free(&quiet);
	}
	if (within > 0 && timeout > within)
		timeout = within;
	if (pr->acpi == 0 && !force) {
		say(r, DIAG_ERROR, "bhyve %d runs without a supervisor and its "
		    "guest has not enabled ACPI, so SIGTERM would end bhyve at "
		    "once (pm.c, freebsd.md#B4); not stopping it: try again "
		    "later, or stop --kill kills it", st->pid);
		return (EXIT_FAIL);
	}
	if (pr->acpi != 0) {
		if ((e = h->ops->proc_signal(h, st->pid, SIGTERM)) != 0) {
			say(r, DIAG_ERROR, "SIGTERM to bhyve %d: %s", st->pid,
			    sys_strerror(e));
			return (EXIT_FAIL);
		}
		say(r, DIAG_NOTE, "no supervisor; pressed the ACPI power "
		    "button of bhyve %d; waiting up to %d s", st->pid, timeout);
		gone = stop_wait_gone(h, st, (int64_t)timeout * 1000);
	} else
		gone = false;
	if (!gone && !force) {
		say(r, DIAG_NOTE, "the guest did not power off within %d s; it "
		    "still runs", timeout);
		return (EXIT_FAIL);
	}
	if (!gone) {
		say(r, DIAG_NOTE, "killing bhyve %d (its devices will be "
		    "marked dirty)", st->pid);
		(void)h->ops->proc_signal(h, st->pid, SIGKILL);
		if (!stop_wait_gone(h, st, 5000)) {
			say(r, DIAG_ERROR, "bhyve %d survived SIGKILL",
			    st->pid);
			return (EXIT_FAIL);
		}
	}
	if (gone && !life_vm_exists(h, name)) {
		/* What bhyve wrote with nobody reading goes to the log. */
		life_out_orphan(p, true, life_say, r);
		/* bhyve powered off and destroyed the VM: a clean end. */
		st->state = SUP_STOPPED;
		st->pid = st->supervisor = 0;
		st->has_last = true;
		st->last_kind = SUP_K_POWEROFF;
		st->last_exit.signaled = false;
		st->last_exit.code = 1;
		st->last_exit.failed = false;
		st->last_ran = true;
		st->last_dirty = false;
		st->last_time = life_wall_ms(h) / 1000;
		strlcpy(st->last_why, "bhyve powered off after a stop request "
		    "(no supervisor: the VM destroyed itself)",
		    sizeof(st->last_why));
		(void)life_status_write(p, st);
		(void)undo_restore(r->eng, h, name, false, life_say, r);
		say(r, DIAG_NOTE, "stopped: %s", st->last_why);
		return (EXIT_OK);
	}
	(void)life_recover(r->eng, h, name, false, NULL, life_say, r);
	return (gone ? EXIT_OK : EXIT_FAIL);
}

int
eng_stop(struct eng *eng, const char *name, const struct eng_stop_opts *so)
{
	struct life_paths p;
	struct sup_status st;
	struct host_probe pr;
	struct pollfd pfd;
	struct diags d;
	struct host *h;
	struct ctl_msg m;
	struct xrun r;
	char buf[1024], req[CTL_LINEMAX], *nl;
	int64_t deadline, now;
	size_t n;
	ssize_t k;
	bool shown, done;
	int fd, spid, rv, len;

	r.eng = eng;
	r.so = so;
	r.name = name;
	if (eng_host(eng, &h) != 0)
		return (EXIT_FAIL);
	if (life_paths(h, name, &p) != 0) {
		say(&r, DIAG_ERROR, "not a VM name");
		return (EXIT_USAGE);
	}
	if (!life_supervisor(&p, &spid)) {
		diags_init(&d);
		if (life_status_read(&p, &st, &d) == 0 && st.pid > 0 &&
		    h->ops->vm_probe(h, name, st.pid, &pr) == 0 && pr.alive) {
			diags_free(&d);
			return (stop_unsupervised(&r, h, &p, &st, &pr));
		}
		diags_free(&d);
		say(&r, DIAG_NOTE, "not running");
		return (EXIT_OK);
	}
	if ((fd = stop_connect(&p)) < 0) {
		/* No socket: SIGTERM makes the supervisor stop gracefully. */
		if (spid > 0 && h->ops->proc_signal(h, spid, SIGTERM) == 0) {
			say(&r, DIAG_NOTE, "asked the supervisor (pid %d) to "
			    "stop the VM", spid);
			return (EXIT_OK);
		}
		say(&r, DIAG_ERROR, "cannot reach the supervisor: %s",
		    sys_strerror(errno));
		return (EXIT_FAIL);
	}
	ctl_init(&m, CTL_STOP);
	m.timeout = so->timeout;
	m.force = so->force;
	m.within = so->within;
	if ((len = ctl_format(&m, req, sizeof(req))) < 0 ||
	    h->ops->sock_send(h, fd, req, (size_t)len) != (ssize_t)len) {
		(void)h->ops->fd_close(h, fd);
		return (EXIT_FAIL);
	}
	shown = done = false;
	deadline = -1;
	rv = EXIT_FAIL;
	n = 0;
	for (;;) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (h->ops->fd_poll(h, &pfd, 1, so->countdown != NULL &&
		    deadline >= 0 ?
		    1000 : -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents == 0) {
			now = life_mono_ms(h);
			so->countdown(so->arg, name, deadline > now ?
			    (deadline - now + 999) / 1000 : 0);
			shown = true;
			continue;
		}
		k = h->ops->sock_recv(h, fd, buf + n, sizeof(buf) - 1 - n);
		if (k <= 0) {
			countdown_clear(&r, &shown);
			if (k < 0 && errno == EINTR)
				continue;
			/* The supervisor ended: its status says how. */
			diags_init(&d);
			if (life_status_read(&p, &st, &d) == 0 &&
			    st.state == SUP_STOPPED && st.has_last) {
				say(&r, DIAG_NOTE, "stopped: %s", st.last_why);
				rv = st.last_kind == SUP_K_POWEROFF ||
				    st.last_kind == SUP_K_REBOOT ? EXIT_OK :
				    EXIT_FAIL;
			}
			diags_free(&d);
			break;
		}
		n += (size_t)k;
		buf[n] = '\0';
		while ((nl = strchr(buf, '\n')) != NULL) {
			*nl = '\0';
			if (stop_line(&r, buf, (size_t)(nl - buf), &deadline,
			    &shown, &rv, &done)) {
				(void)h->ops->fd_close(h, fd);
				if (done)
					life_supervisor_wait(&p, 10);
				return (rv);
			}
			n -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, n + 1);
		}
		if (n >= sizeof(buf) - 1)
			n = 0;
	}
	(void)h->ops->fd_close(h, fd);
	return (rv);
}
