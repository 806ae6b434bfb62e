/*
 * sup.c: the supervisor's state machine.  See sup.h for the FreeBSD facts
 * behind each rule; this file only applies them.
 *
 *	STOPPED --START--> STARTING --RUNNING/ACPI/boot timer--> RUNNING
 *	STARTING|RUNNING --STOP/SIGNAL--> STOPPING
 *	STOPPING --timeout, no force--> back to STARTING|RUNNING
 *	any live state --EXIT--> STARTING (restart) or STOPPED
 */
#include "compat.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sup.h"

static const char *const kind_names[] = {
	[SUP_K_REBOOT] = "reboot",
	[SUP_K_POWEROFF] = "poweroff",
	[SUP_K_HALT] = "halt",
	[SUP_K_TRIPLEFAULT] = "triplefault",
	[SUP_K_ERROR] = "error",
	[SUP_K_SIGNAL] = "signal",
	[SUP_K_KILLED] = "killed",
	[SUP_K_LOST] = "lost",
	[SUP_K_SPAWNFAIL] = "spawnfail",
};

static const char *const state_names[] = {
	[SUP_STOPPED] = "stopped",
	[SUP_STARTING] = "starting",
	[SUP_RUNNING] = "running",
	[SUP_STOPPING] = "stopping",
};

static const char *const act_names[] = {
	[SUP_A_SPAWN] = "spawn",
	[SUP_A_PRESS] = "press",
	[SUP_A_KILL] = "kill",
	[SUP_A_DESTROY] = "destroy",
	[SUP_A_DIRTY] = "dirty",
	[SUP_A_RESTORE] = "restore",
	[SUP_A_RECORD] = "record",
	[SUP_A_TIMER] = "timer",
	[SUP_A_CANCEL] = "cancel",
	[SUP_A_PROBE] = "probe",
	[SUP_A_LOG] = "log",
	[SUP_A_DONE] = "done",
};

static const char *const timer_names[] = {
	[SUP_T_BOOT] = "boot",
	[SUP_T_PRESS2] = "press2",
	[SUP_T_TIMEOUT] = "timeout",
	[SUP_T_PROBE] = "probe",
};

const char *
sup_kind_name(enum sup_kind k)
{

	return ((size_t)k < nitems(kind_names) ? kind_names[k] : "?");
}

int
sup_kind_parse(const char *s, enum sup_kind *k)
{
	size_t i;

	for (i = 0; i < nitems(kind_names); i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum sup_kind)i;
			return (0);
		}
	return (-1);
}

const char *
sup_state_name(enum sup_state s)
{

	return ((size_t)s < nitems(state_names) ? state_names[s] : "?");
}

int
sup_state_parse(const char *s, enum sup_state *st)
{
	size_t i;

	for (i = 0; i < nitems(state_names); i++)
		if (strcmp(s, state_names[i]) == 0) {
			*st = (enum sup_state)i;
			return (0);
		}
	return (-1);
}

const char *
sup_act_name(enum sup_act_kind k)
{

	return ((size_t)k < nitems(act_names) ? act_names[k] : "?");
}

const char *
sup_timer_name(enum sup_timer t)
{

	return ((size_t)t < nitems(timer_names) ? timer_names[t] : "?");
}

/* bhyve.8 EXIT STATUS, amd64/vmexit.c, bhyverun.c; see sup.h. */
enum sup_kind
sup_classify(const struct sup_exit *x, bool ran, bool killed)
{

	if (x->signaled) {
		if (killed && x->code == SIGKILL)
			return (SUP_K_KILLED);
		return (SUP_K_SIGNAL);
	}
	switch (x->code) {
	case 0:
		return (SUP_K_REBOOT);
	case 1:
		return (ran && !x->failed ? SUP_K_POWEROFF : SUP_K_ERROR);
	case 2:
		return (SUP_K_HALT);
	case 3:
		return (SUP_K_TRIPLEFAULT);
	default:
		return (SUP_K_ERROR);
	}
}

bool
sup_kind_dirty(enum sup_kind k, bool ran)
{

	switch (k) {
	case SUP_K_REBOOT:
	case SUP_K_POWEROFF:
	case SUP_K_SPAWNFAIL:
		return (false);
	case SUP_K_TRIPLEFAULT:
	case SUP_K_LOST:
		return (true);
	case SUP_K_HALT:
	case SUP_K_ERROR:
	case SUP_K_SIGNAL:
	case SUP_K_KILLED:
		return (ran);
	}
	return (true);
}

const char *
sup_exit_meaning(const struct sup_exit *x, bool ran)
{

	if (x->signaled) {
		switch (x->code) {
		case SIGTERM:
			return ("ended by SIGTERM before the guest enabled "
			    "ACPI (bhyve's default action, pm.c)");
		case SIGKILL:
			return ("killed (SIGKILL)");
		case SIGABRT:
			return ("aborted (SIGABRT): bhyve could not emulate "
			    "a guest access");
		case SIGSEGV:
		case SIGBUS:
			return ("crashed (bhyve itself faulted)");
		case SIGINT:
		case SIGHUP:
			return ("ended by a terminal signal");
		default:
			return ("ended by a signal");
		}
	}
	switch (x->code) {
	case 0:
		return ("rebooted");
	case 1:
		if (ran && x->failed)
			return ("exited 1 on an error while the guest ran "
			    "(bhyve's last line says which), not a power-off");
		return (ran ? "powered off" : "exited 1 before the guest ran "
		    "(usage error, config.dump, or an old bhyve's setup "
		    "error)");
	case 2:
		return ("halted (all vCPUs stopped with interrupts off: "
		    "halt without power-off, or a guest panic)");
	case 3:
		return ("triple fault (the guest crashed)");
	case 4:
		return (ran ? "exited on an error while the guest ran" :
		    "exited on an error before the guest ran");
	case 64:
		return ("usage error (EX_USAGE): an option value bhyve "
		    "rejects");
	case 71:
		return ("operating-system error (EX_OSERR): sandbox, "
		    "topology or vCPU start failed");
	case 100:
		return ("invalid suspend reason (a bhyve bug)");
	default:
		return ("exited with a status bhyve does not document");
	}
}

void
sup_conf_default(struct sup_conf *c, const struct vm_life *life)
{

	memset(c, 0, sizeof(*c));
	if (life != NULL)
		c->life = *life;
	else {
		/* ptvm.conf(5) LIFECYCLE defaults, as lib/vmcompile.c. */
		c->life.on_reboot = VMP_RESTART;
		c->life.on_poweroff = VMP_STOP;
		c->life.on_halt = VMP_STOP;
		c->life.on_crash = VMP_STOP;
		c->life.stop_timeout = 120;
		c->life.acpi_presses = 1;
	}
	c->boot_grace = SUP_BOOT_GRACE;
	c->press_spacing = SUP_PRESS_SPACING;
	c->loop_max = SUP_LOOP_MAX;
	c->loop_window = SUP_LOOP_WINDOW;
}

void
sup_init(struct sup *s, const struct sup_conf *c)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->conf = *c;
	if (s->conf.loop_max > (int)nitems(s->recent))
		s->conf.loop_max = (int)nitems(s->recent);
	s->state = SUP_STOPPED;
	s->acpi = -1;
	for (i = 0; i < SUP_T_COUNT; i++)
		s->deadline[i] = -1;
}

/* Actions. */

static struct sup_action *
act(struct sup_actions *out, enum sup_act_kind k)
{
	struct sup_action *a;

	/* SUP_MAXACT exceeds the longest sequence a step produces. */
	if (out->n >= SUP_MAXACT)
		a = &out->a[SUP_MAXACT - 1];
	else
		a = &out->a[out->n++];
	memset(a, 0, sizeof(*a));
	a->kind = k;
	return (a);
}

static void say(struct sup_actions *, enum diag_level, const char *, ...)
    __printflike(3, 4);

static void
say(struct sup_actions *out, enum diag_level lvl, const char *fmt, ...)
{
	struct sup_action *a;
	va_list ap;

	a = act(out, SUP_A_LOG);
	a->level = lvl;
	va_start(ap, fmt);
	(void)vsnprintf(a->msg, sizeof(a->msg), fmt, ap);
	va_end(ap);
}

static void
arm(struct sup *s, struct sup_actions *out, enum sup_timer t, int64_t at)
{
	struct sup_action *a;

	s->deadline[t] = at;
	a = act(out, SUP_A_TIMER);
	a->timer = t;
	a->at = at;
}

static void
disarm(struct sup *s, struct sup_actions *out, enum sup_timer t)
{

	if (s->deadline[t] < 0)
		return;
	s->deadline[t] = -1;
	act(out, SUP_A_CANCEL)->timer = t;
}

static void
disarm_all(struct sup *s, struct sup_actions *out)
{
	int t;

	for (t = 0; t < SUP_T_COUNT; t++)
		disarm(s, out, (enum sup_timer)t);
}

bool
sup_next_timer(const struct sup *s, int64_t *at)
{
	bool any;
	int t;

	any = false;
	for (t = 0; t < SUP_T_COUNT; t++)
		if (s->deadline[t] >= 0 && (!any || s->deadline[t] < *at)) {
			*at = s->deadline[t];
			any = true;
		}
	return (any);
}

static void
spawn(struct sup *s, struct sup_actions *out)
{

	s->pid = 0;
	s->ran = false;
	s->acpi = -1;
	s->force = s->killed = s->by_signal = false;
	s->presses = 0;
	s->state = SUP_STARTING;
	act(out, SUP_A_SPAWN);
}

static void
now_running(struct sup *s, struct sup_actions *out, const char *why)
{

	if (s->ran)
		return;
	s->ran = true;
	disarm(s, out, SUP_T_BOOT);
	if (s->state == SUP_STARTING)
		s->state = SUP_RUNNING;
	say(out, DIAG_NOTE, "the guest runs (%s)", why);
}

/* One ACPI power-button press, or a wait for the guest to enable ACPI. */
static void
press(struct sup *s, struct sup_actions *out, int64_t now)
{

	if (s->acpi == 0) {
		if (s->deadline[SUP_T_PROBE] < 0) {
			say(out, DIAG_WARN, "the guest has not enabled ACPI "
			    "yet, so SIGTERM would end bhyve at once like a "
			    "kill (bhyve pm.c); waiting up to %d s for it",
			    s->timeout);
			arm(s, out, SUP_T_PROBE, now + SUP_PROBE_MS);
		}
		return;
	}
	if (s->acpi < 0 && !s->ran && s->presses == 0)
		say(out, DIAG_WARN, "the guest may not have enabled ACPI yet; "
		    "if so, SIGTERM ends bhyve at once like a kill");
	disarm(s, out, SUP_T_PROBE);
	act(out, SUP_A_PRESS);
	s->presses++;
	say(out, DIAG_NOTE, "ACPI power button pressed (%d of %d)",
	    s->presses, s->conf.life.acpi_presses);
	if (s->presses < s->conf.life.acpi_presses)
		arm(s, out, SUP_T_PRESS2,
		    now + (int64_t)s->conf.press_spacing * 1000);
}

static int
stop(struct sup *s, const struct sup_event *ev, struct sup_actions *out,
    int timeout, bool force)
{

	switch (s->state) {
	case SUP_STOPPED:
		say(out, DIAG_ERROR, "the VM is not running");
		return (-1);
	case SUP_STOPPING:
		if (force && !s->force) {
			s->force = true;
			say(out, DIAG_NOTE, "already stopping; bhyve will be "
			    "killed when the timeout passes");
		} else
			say(out, DIAG_NOTE, "already stopping");
		return (0);
	case SUP_STARTING:
	case SUP_RUNNING:
		break;
	}
	s->timeout = timeout > 0 ? timeout : s->conf.life.stop_timeout;
	s->force = force;
	s->killed = false;
	s->presses = 0;
	s->state = SUP_STOPPING;
	arm(s, out, SUP_T_TIMEOUT, ev->now + (int64_t)s->timeout * 1000);
	press(s, out, ev->now);
	return (0);
}

/* The restart-loop limit: true when one more restart is allowed. */
static bool
loop_ok(struct sup *s, int64_t now)
{
	int64_t from;
	size_t i;
	int n;

	from = now - (int64_t)s->conf.loop_window * 1000;
	n = 0;
	for (i = 0; i < nitems(s->recent); i++)
		if (i < s->restarts && s->recent[i] > from)
			n++;
	return (n < s->conf.loop_max);
}

static enum vm_policy
policy(const struct sup *s, enum sup_kind k)
{

	switch (k) {
	case SUP_K_REBOOT:
		return (s->conf.life.on_reboot);
	case SUP_K_POWEROFF:
		return (s->conf.life.on_poweroff);
	case SUP_K_HALT:
		return (s->conf.life.on_halt);
	case SUP_K_TRIPLEFAULT:
	case SUP_K_SIGNAL:
		return (s->conf.life.on_crash);
	case SUP_K_ERROR:
		/* A setup error repeats; a runtime one is a crash. */
		return (s->ran ? s->conf.life.on_crash : VMP_STOP);
	default:
		return (VMP_STOP);
	}
}

static const char *
policy_key(enum sup_kind k)
{

	switch (k) {
	case SUP_K_REBOOT:
		return ("on_reboot");
	case SUP_K_POWEROFF:
		return ("on_poweroff");
	case SUP_K_HALT:
		return ("on_halt");
	default:
		return ("on_crash");
	}
}

static void
finish(struct sup *s, struct sup_actions *out, bool restart, bool bad)
{
	struct sup_action *a;

	s->last.restart = restart;
	s->has_last = true;
	if (restart) {
		act(out, SUP_A_RECORD);
		s->recent[s->restarts % nitems(s->recent)] = s->last.at;
		s->restarts++;
		say(out, DIAG_NOTE, "starting the VM again: %s",
		    s->last.why);
		spawn(s, out);
		return;
	}
	act(out, SUP_A_RESTORE);
	act(out, SUP_A_RECORD);
	s->state = SUP_STOPPED;
	s->pid = 0;
	a = act(out, SUP_A_DONE);
	a->code = bad ? 1 : 0;
	(void)snprintf(a->msg, sizeof(a->msg), "%s", s->last.why);
}

static void
ended(struct sup *s, const struct sup_event *ev, struct sup_actions *out)
{
	struct sup_outcome *o;
	struct sup_action *a;
	enum sup_kind k;
	bool restart, bad, stopping;

	disarm_all(s, out);
	/* Reboot, halt and triple fault are the guest's own suspends. */
	if (!ev->exit.signaled && (ev->exit.code == 0 ||
	    ev->exit.code == 2 || ev->exit.code == 3))
		s->ran = true;
	k = sup_classify(&ev->exit, s->ran, s->killed);
	o = &s->last;
	memset(o, 0, sizeof(*o));
	o->kind = k;
	o->exit = ev->exit;
	o->ran = s->ran;
	o->at = ev->now;
	o->dirty = sup_kind_dirty(k, s->ran) && s->conf.ndev > 0;
	stopping = s->state == SUP_STOPPING;
	restart = !stopping && policy(s, k) == VMP_RESTART;
	bad = k != SUP_K_REBOOT && k != SUP_K_POWEROFF;

	if (stopping)
		(void)snprintf(o->why, sizeof(o->why), "bhyve %s after a "
		    "stop request", sup_exit_meaning(&ev->exit, s->ran));
	else
		(void)snprintf(o->why, sizeof(o->why), "bhyve %s; %s=%s",
		    sup_exit_meaning(&ev->exit, s->ran), policy_key(k),
		    restart ? "restart" : "stop");
	if (restart && !loop_ok(s, ev->now)) {
		restart = false;
		(void)snprintf(o->why, sizeof(o->why), "restart loop: %d "
		    "restarts within %d s, the last because bhyve %s",
		    s->conf.loop_max, s->conf.loop_window,
		    sup_exit_meaning(&ev->exit, s->ran));
		bad = true;
	}
	if (restart && o->dirty && !s->conf.restart_dirty) {
		restart = false;
		(void)snprintf(o->why, sizeof(o->why), "not restarting: bhyve "
		    "%s, which left the passed-through devices dirty (reboot "
		    "the host, or start with --ignore-dirty)",
		    sup_exit_meaning(&ev->exit, s->ran));
	}
	say(out, o->dirty || bad ? DIAG_WARN : DIAG_NOTE, "%s", o->why);

	/* bhyve leaves the VM in /dev/vmm on every exit but -D power-off. */
	act(out, SUP_A_DESTROY);
	if (o->dirty) {
		a = act(out, SUP_A_DIRTY);
		(void)snprintf(a->msg, sizeof(a->msg), "%s",
		    sup_exit_meaning(&ev->exit, s->ran));
	}
	s->pid = 0;
	finish(s, out, restart, bad);
}

static int
timer(struct sup *s, const struct sup_event *ev, struct sup_actions *out)
{
	int t;

	for (t = 0; t < SUP_T_COUNT; t++) {
		if (s->deadline[t] < 0 || s->deadline[t] > ev->now)
			continue;
		s->deadline[t] = -1;
		switch ((enum sup_timer)t) {
		case SUP_T_BOOT:
			now_running(s, out, "bhyve is still up after the "
			    "boot grace time");
			break;
		case SUP_T_PRESS2:
			if (s->state == SUP_STOPPING)
				press(s, out, ev->now);
			break;
		case SUP_T_PROBE:
			if (s->state == SUP_STOPPING && s->presses == 0) {
				act(out, SUP_A_PROBE);
				arm(s, out, SUP_T_PROBE,
				    ev->now + SUP_PROBE_MS);
			}
			break;
		case SUP_T_TIMEOUT:
			if (s->state != SUP_STOPPING)
				break;
			disarm(s, out, SUP_T_PRESS2);
			disarm(s, out, SUP_T_PROBE);
			if (s->force) {
				say(out, DIAG_WARN, "the guest did not power "
				    "off within %d s; killing bhyve%s",
				    s->timeout, s->ran && s->conf.ndev > 0 ?
				    " (its devices will be marked dirty)" : "");
				s->killed = true;
				act(out, SUP_A_KILL);
			} else {
				say(out, DIAG_WARN, "the guest did not power "
				    "off within %d s; it still runs (stop "
				    "--kill kills it)", s->timeout);
				s->state = s->ran ? SUP_RUNNING :
				    SUP_STARTING;
				s->by_signal = false;
			}
			break;
		case SUP_T_COUNT:
			break;
		}
	}
	return (0);
}

static int
bad_event(struct sup *s, struct sup_actions *out, const char *what)
{

	say(out, DIAG_ERROR, "%s while %s", what, sup_state_name(s->state));
	return (-1);
}

int
sup_step(struct sup *s, const struct sup_event *ev, struct sup_actions *out)
{
	bool live;

	live = s->state != SUP_STOPPED && s->pid > 0;
	switch (ev->kind) {
	case SUP_EV_START:
		if (s->state != SUP_STOPPED)
			return (bad_event(s, out, "start"));
		s->restarts = 0;
		s->has_last = false;
		spawn(s, out);
		return (0);
	case SUP_EV_SPAWNED:
		if (s->state == SUP_STOPPED || s->pid != 0 || ev->pid <= 0)
			return (bad_event(s, out, "spawned"));
		s->pid = ev->pid;
		s->spawned = ev->now;
		s->acpi = s->conf.acpi_observable ? 0 : -1;
		arm(s, out, SUP_T_BOOT,
		    ev->now + (int64_t)s->conf.boot_grace * 1000);
		return (0);
	case SUP_EV_SPAWN_FAILED:
		if (s->state == SUP_STOPPED || s->pid != 0)
			return (bad_event(s, out, "spawn failure"));
		disarm_all(s, out);
		memset(&s->last, 0, sizeof(s->last));
		s->last.kind = SUP_K_SPAWNFAIL;
		s->last.at = ev->now;
		(void)snprintf(s->last.why, sizeof(s->last.why),
		    "bhyve could not be run (error %d)", ev->err);
		say(out, DIAG_ERROR, "%s", s->last.why);
		act(out, SUP_A_DESTROY);
		finish(s, out, false, true);
		return (0);
	case SUP_EV_RUNNING:
		if (!live)
			return (bad_event(s, out, "running"));
		now_running(s, out, "bhyve set its process title");
		return (0);
	case SUP_EV_ACPI:
		if (!live)
			return (bad_event(s, out, "ACPI state"));
		if (!ev->on) {
			if (s->acpi != 1)
				s->acpi = 0;
			return (0);
		}
		s->acpi = 1;
		now_running(s, out, "the guest enabled ACPI");
		if (s->state == SUP_STOPPING && s->presses == 0)
			press(s, out, ev->now);
		return (0);
	case SUP_EV_EXIT:
		if (!live)
			return (bad_event(s, out, "bhyve exit"));
		ended(s, ev, out);
		return (0);
	case SUP_EV_STOP:
		if (s->state != SUP_STOPPED && !live) {
			/* Spawning: the front end retries after SPAWNED. */
			return (bad_event(s, out, "stop"));
		}
		return (stop(s, ev, out, ev->timeout, ev->force));
	case SUP_EV_SIGNAL:
		if (s->state == SUP_STOPPED) {
			act(out, SUP_A_DONE)->code = 0;
			return (0);
		}
		if (ev->sig != SIGTERM && ev->sig != SIGINT &&
		    ev->sig != SIGHUP) {
			say(out, DIAG_NOTE, "signal %d ignored", ev->sig);
			return (0);
		}
		if (s->state != SUP_STOPPING)
			say(out, DIAG_NOTE, "ptvm received signal %d: "
			    "stopping the guest through ACPI", ev->sig);
		s->by_signal = true;
		return (stop(s, ev, out, 0, false));
	case SUP_EV_TIMER:
		return (timer(s, ev, out));
	}
	return (bad_event(s, out, "unknown event"));
}
