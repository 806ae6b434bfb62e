/*
 * sup_test.c: the supervisor's state machine, its files, and the bhyve log
 * explanations.
 */
#include "testutil.h"

#include <signal.h>

#include "bhyvelog.h"
#include "strbuf.h"
#include "sup.h"

/* The actions of a step, without the log lines: "destroy dirty done:1". */
static char seq[512];
static char lastlog[256];

static const char *
render(const struct sup_actions *a)
{
	size_t i, n;

	seq[0] = '\0';
	n = 0;
	for (i = 0; i < a->n; i++) {
		const struct sup_action *x = &a->a[i];

		if (x->kind == SUP_A_LOG) {
			snprintf(lastlog, sizeof(lastlog), "%s", x->msg);
			continue;
		}
		n += snprintf(seq + n, sizeof(seq) - n, "%s%s", n ? " " : "",
		    sup_act_name(x->kind));
		if (x->kind == SUP_A_TIMER || x->kind == SUP_A_CANCEL)
			n += snprintf(seq + n, sizeof(seq) - n, ":%s",
			    sup_timer_name(x->timer));
		if (x->kind == SUP_A_DONE)
			n += snprintf(seq + n, sizeof(seq) - n, ":%d", x->code);
	}
	return (seq);
}

static const char *
step(struct sup *s, enum sup_ev_kind k, int64_t now)
{
	struct sup_event ev;
	struct sup_actions a;

	memset(&ev, 0, sizeof(ev));
	ev.kind = k;
	ev.now = now;
	ev.pid = 4242;
	a.n = 0;
	lastlog[0] = '\0';
	(void)sup_step(s, &ev, &a);
	return (render(&a));
}

static const char *
ev_exit(struct sup *s, int64_t now, bool sig, int code)
{
	struct sup_event ev;
	struct sup_actions a;

	memset(&ev, 0, sizeof(ev));
	ev.kind = SUP_EV_EXIT;
	ev.now = now;
	ev.exit.signaled = sig;
	ev.exit.code = code;
	a.n = 0;
	lastlog[0] = '\0';
	ATF_REQUIRE(sup_step(s, &ev, &a) == 0);
	return (render(&a));
}

static const char *
ev_stop(struct sup *s, int64_t now, int timeout, bool force)
{
	struct sup_event ev;
	struct sup_actions a;

	memset(&ev, 0, sizeof(ev));
	ev.kind = SUP_EV_STOP;
	ev.now = now;
	ev.timeout = timeout;
	ev.force = force;
	a.n = 0;
	lastlog[0] = '\0';
	(void)sup_step(s, &ev, &a);
	return (render(&a));
}

static const char *
ev_other(struct sup *s, enum sup_ev_kind k, int64_t now, bool on, int sig)
{
	struct sup_event ev;
	struct sup_actions a;

	memset(&ev, 0, sizeof(ev));
	ev.kind = k;
	ev.now = now;
	ev.on = on;
	ev.sig = sig;
	a.n = 0;
	lastlog[0] = '\0';
	(void)sup_step(s, &ev, &a);
	return (render(&a));
}

/* A supervisor with one passthru device whose guest runs since t=0. */
static void
running(struct sup *s, struct sup_conf *c)
{
	struct sup_conf d;

	if (c == NULL) {
		sup_conf_default(&d, NULL);
		d.ndev = 1;
		c = &d;
	}
	sup_init(s, c);
	ATF_CHECK_STREQ(step(s, SUP_EV_START, 0), "spawn");
	ATF_CHECK_STREQ(step(s, SUP_EV_SPAWNED, 0), "timer:boot");
	ATF_CHECK_STREQ(step(s, SUP_EV_RUNNING, 100), "cancel:boot");
	ATF_CHECK_EQ(s->state, SUP_RUNNING);
}

ATF_TC_WITHOUT_HEAD(exit_codes_default_policy);
ATF_TC_BODY(exit_codes_default_policy, tc)
{
	static const struct {
		bool sig;
		int code;
		const char *seq;
		enum sup_kind kind;
		bool dirty;
	} t[] = {
		{ false, 0, "destroy record spawn", SUP_K_REBOOT, false },
		{ false, 1, "destroy restore record done:0", SUP_K_POWEROFF,
		    false },
		{ false, 2, "destroy dirty restore record done:1", SUP_K_HALT,
		    true },
		{ false, 3, "destroy dirty restore record done:1",
		    SUP_K_TRIPLEFAULT, true },
		{ false, 4, "destroy dirty restore record done:1", SUP_K_ERROR,
		    true },
		{ false, 71, "destroy dirty restore record done:1",
		    SUP_K_ERROR, true },
		{ false, 100, "destroy dirty restore record done:1",
		    SUP_K_ERROR, true },
		{ true, SIGABRT, "destroy dirty restore record done:1",
		    SUP_K_SIGNAL, true },
		{ true, SIGKILL, "destroy dirty restore record done:1",
		    SUP_K_SIGNAL, true },
	};
	struct sup s;
	size_t i;

	for (i = 0; i < nitems(t); i++) {
		running(&s, NULL);
		ATF_CHECK_STREQ_MSG(ev_exit(&s, 5000, t[i].sig, t[i].code),
		    t[i].seq, "status %d", t[i].code);
		ATF_CHECK_EQ(s.last.kind, t[i].kind);
		ATF_CHECK_EQ(s.last.dirty, t[i].dirty);
		ATF_CHECK(s.has_last);
		ATF_CHECK_EQ(s.state, t[i].code == 0 && !t[i].sig ?
		    SUP_STARTING : SUP_STOPPED);
	}
	running(&s, NULL);
	ev_exit(&s, 5000, false, 1);
	ATF_CHECK_STREQ(s.last.why, "bhyve powered off; on_poweroff=stop");
}

ATF_TC_WITHOUT_HEAD(exit_before_guest_ran_is_setup_error);
ATF_TC_BODY(exit_before_guest_ran_is_setup_error, tc)
{
	static const int codes[] = { 1, 4, 64, 71 };
	struct sup_conf c;
	struct sup s;
	size_t i;

	sup_conf_default(&c, NULL);
	c.ndev = 2;
	c.life.on_crash = VMP_RESTART;
	for (i = 0; i < nitems(codes); i++) {
		sup_init(&s, &c);
		step(&s, SUP_EV_START, 0);
		step(&s, SUP_EV_SPAWNED, 0);
		/* No dirt (the guest never ran), no restart (it repeats). */
		ATF_CHECK_STREQ(ev_exit(&s, 200, false, codes[i]),
		    "cancel:boot destroy restore record done:1");
		ATF_CHECK_EQ(s.last.kind, SUP_K_ERROR);
		ATF_CHECK(!s.last.dirty && !s.last.ran);
	}
	ATF_CHECK_STREQ(s.last.why, "bhyve operating-system error (EX_OSERR): "
	    "sandbox, topology or vCPU start failed; on_crash=stop");
	/* A signal before the guest ran: nothing to dirty either. */
	sup_init(&s, &c);
	step(&s, SUP_EV_START, 0);
	step(&s, SUP_EV_SPAWNED, 0);
	ATF_CHECK_STREQ(ev_exit(&s, 200, true, SIGTERM),
	    "cancel:boot destroy record spawn");
	ATF_CHECK(!s.last.dirty);
}

/*
 * Exits 0, 2 and 3 come from a guest's suspend (vmexit_suspend), so the
 * guest ran even when the end came before any evidence of it did.
 */
ATF_TC_WITHOUT_HEAD(suspend_exits_imply_guest_ran);
ATF_TC_BODY(suspend_exits_imply_guest_ran, tc)
{
	static const struct {
		int code;
		enum sup_kind kind;
		bool dirty;
		const char *seq;
	} t[] = {
		{ 0, SUP_K_REBOOT, false, "cancel:boot destroy record spawn" },
		{ 2, SUP_K_HALT, true,
		    "cancel:boot destroy dirty restore record done:1" },
		{ 3, SUP_K_TRIPLEFAULT, true,
		    "cancel:boot destroy dirty restore record done:1" },
	};
	struct sup_conf c;
	struct sup s;
	size_t i;

	sup_conf_default(&c, NULL);
	c.ndev = 1;
	for (i = 0; i < nitems(t); i++) {
		sup_init(&s, &c);
		step(&s, SUP_EV_START, 0);
		step(&s, SUP_EV_SPAWNED, 0);
		ATF_CHECK_STREQ_MSG(ev_exit(&s, 15, false, t[i].code), t[i].seq,
		    "status %d", t[i].code);
		ATF_CHECK_EQ(s.last.kind, t[i].kind);
		ATF_CHECK_EQ(s.last.dirty, t[i].dirty);
		ATF_CHECK(s.last.ran);
	}
}

ATF_TC_WITHOUT_HEAD(classify_and_meaning);
ATF_TC_BODY(classify_and_meaning, tc)
{
	struct sup_exit x = { false, 1, false };
	enum sup_kind k;

	ATF_CHECK_EQ(sup_classify(&x, true, false), SUP_K_POWEROFF);
	ATF_CHECK_EQ(sup_classify(&x, false, false), SUP_K_ERROR);
	ATF_CHECK_STREQ(sup_exit_meaning(&x, true), "powered off");
	/* Exit 1 after an err(3) line: an error (freebsd.md#B1). */
	x.failed = true;
	ATF_CHECK_EQ(sup_classify(&x, true, false), SUP_K_ERROR);
	ATF_CHECK(strstr(sup_exit_meaning(&x, true), "not a power-off") !=
	    NULL);
	x.failed = false;
	ATF_CHECK(strstr(sup_exit_meaning(&x, false), "before the guest ran")
	    != NULL);
	x.code = 0;
	ATF_CHECK_STREQ(sup_exit_meaning(&x, true), "rebooted");
	x.code = 2;
	ATF_CHECK(strncmp(sup_exit_meaning(&x, true), "halted", 6) == 0);
	x.code = 3;
	ATF_CHECK_STREQ(sup_exit_meaning(&x, true),
	    "triple fault (the guest crashed)");
	x.code = 64;
	ATF_CHECK(strstr(sup_exit_meaning(&x, false), "EX_USAGE") != NULL);
	x.code = 71;
	ATF_CHECK(strstr(sup_exit_meaning(&x, true), "EX_OSERR") != NULL);
	x.code = 77;
	ATF_CHECK(strstr(sup_exit_meaning(&x, true), "does not document") !=
	    NULL);
	x.signaled = true;
	x.code = SIGKILL;
	ATF_CHECK_EQ(sup_classify(&x, true, true), SUP_K_KILLED);
	ATF_CHECK_EQ(sup_classify(&x, true, false), SUP_K_SIGNAL);
	ATF_CHECK_STREQ(sup_exit_meaning(&x, true), "killed (SIGKILL)");
	x.code = SIGTERM;
	ATF_CHECK_EQ(sup_classify(&x, true, true), SUP_K_SIGNAL);
	ATF_CHECK(strstr(sup_exit_meaning(&x, true), "ACPI") != NULL);
	x.code = SIGABRT;
	ATF_CHECK(strstr(sup_exit_meaning(&x, true), "SIGABRT") != NULL);
	ATF_CHECK(sup_kind_parse("triplefault", &k) == 0);
	ATF_CHECK_EQ(k, SUP_K_TRIPLEFAULT);
	ATF_CHECK(sup_kind_parse("crash", &k) != 0);
	ATF_CHECK_STREQ(sup_kind_name(SUP_K_LOST), "lost");
}

ATF_TC_WITHOUT_HEAD(dirty_marking_rules);
ATF_TC_BODY(dirty_marking_rules, tc)
{
	struct sup_conf c;
	struct sup s;

	/* Clean only after a guest reboot or power-off. */
	ATF_CHECK(!sup_kind_dirty(SUP_K_REBOOT, true));
	ATF_CHECK(!sup_kind_dirty(SUP_K_POWEROFF, true));
	ATF_CHECK(!sup_kind_dirty(SUP_K_SPAWNFAIL, false));
	ATF_CHECK(sup_kind_dirty(SUP_K_HALT, true));
	ATF_CHECK(sup_kind_dirty(SUP_K_TRIPLEFAULT, true));
	ATF_CHECK(sup_kind_dirty(SUP_K_KILLED, true));
	ATF_CHECK(sup_kind_dirty(SUP_K_SIGNAL, true));
	ATF_CHECK(sup_kind_dirty(SUP_K_ERROR, true));
	ATF_CHECK(sup_kind_dirty(SUP_K_LOST, false));
	ATF_CHECK(!sup_kind_dirty(SUP_K_KILLED, false));
	ATF_CHECK(!sup_kind_dirty(SUP_K_ERROR, false));
	/* A VM without passthru devices has nothing to mark. */
	sup_conf_default(&c, NULL);
	running(&s, &c);
	ATF_CHECK_STREQ(ev_exit(&s, 1000, false, 3),
	    "destroy restore record done:1");
	ATF_CHECK(!s.last.dirty);
	/* A reboot is clean even when ptvm stops the VM after it. */
	sup_conf_default(&c, NULL);
	c.ndev = 1;
	c.life.on_reboot = VMP_STOP;
	running(&s, &c);
	ATF_CHECK_STREQ(ev_exit(&s, 1000, false, 0),
	    "destroy restore record done:0");
	ATF_CHECK_STREQ(s.last.why, "bhyve rebooted; on_reboot=stop");
}

ATF_TC_WITHOUT_HEAD(restart_policies);
ATF_TC_BODY(restart_policies, tc)
{
	struct sup_conf c;
	struct sup s;

	sup_conf_default(&c, NULL);
	c.ndev = 1;
	c.life.on_poweroff = VMP_RESTART;
	c.life.on_halt = VMP_RESTART;
	c.life.on_crash = VMP_RESTART;
	running(&s, &c);
	ATF_CHECK_STREQ(ev_exit(&s, 1000, false, 1), "destroy record spawn");
	ATF_CHECK_EQ(s.state, SUP_STARTING);
	ATF_CHECK_EQ(s.restarts, 1);
	ATF_CHECK(s.last.restart);
	/* A crash left the devices dirty: no restart without --ignore-dirty. */
	running(&s, &c);
	ATF_CHECK_STREQ(ev_exit(&s, 1000, false, 3),
	    "destroy dirty restore record done:1");
	ATF_CHECK(strstr(s.last.why, "not restarting") != NULL);
	ATF_CHECK(strstr(s.last.why, "--ignore-dirty") != NULL);
	c.restart_dirty = true;
	running(&s, &c);
	ATF_CHECK_STREQ(ev_exit(&s, 1000, false, 3),
	    "destroy dirty record spawn");
	ATF_CHECK_STREQ(step(&s, SUP_EV_EXIT, 1000), "");	/* no pid */
	ATF_CHECK(strstr(lastlog, "bhyve exit while starting") != NULL);
}

ATF_TC_WITHOUT_HEAD(boot_grace_makes_running);
ATF_TC_BODY(boot_grace_makes_running, tc)
{
	struct sup_conf c;
	struct sup s;
	int64_t at;

	sup_conf_default(&c, NULL);
	c.boot_grace = 5;
	sup_init(&s, &c);
	step(&s, SUP_EV_START, 0);
	ATF_CHECK(!sup_next_timer(&s, &at));
	step(&s, SUP_EV_SPAWNED, 1000);
	ATF_CHECK(sup_next_timer(&s, &at));
	ATF_CHECK_EQ(at, 6000);
	ATF_CHECK_STREQ(step(&s, SUP_EV_TIMER, 5999), "");
	ATF_CHECK_EQ(s.state, SUP_STARTING);
	ATF_CHECK_STREQ(step(&s, SUP_EV_TIMER, 6000), "");
	ATF_CHECK_EQ(s.state, SUP_RUNNING);
	ATF_CHECK(s.ran);
	ATF_CHECK(strstr(lastlog, "boot grace") != NULL);
	ATF_CHECK(!sup_next_timer(&s, &at));
	/* Exit 1 now is a power-off. */
	ev_exit(&s, 9000, false, 1);
	ATF_CHECK_EQ(s.last.kind, SUP_K_POWEROFF);
	/* ACPI enabled is evidence as well. */
	sup_init(&s, &c);
	step(&s, SUP_EV_START, 0);
	step(&s, SUP_EV_SPAWNED, 0);
	ATF_CHECK_STREQ(ev_other(&s, SUP_EV_ACPI, 10, true, 0), "cancel:boot");
	ATF_CHECK_EQ(s.state, SUP_RUNNING);
	ATF_CHECK_EQ(s.acpi, 1);
}

ATF_TC_WITHOUT_HEAD(stop_one_press);
ATF_TC_BODY(stop_one_press, tc)
{
	struct sup s;

	running(&s, NULL);
	ATF_CHECK_STREQ(ev_stop(&s, 1000, 0, false), "timer:timeout press");
	ATF_CHECK_EQ(s.state, SUP_STOPPING);
	ATF_CHECK_EQ(s.timeout, 120);
	ATF_CHECK_STREQ(ev_exit(&s, 3000, false, 1),
	    "cancel:timeout destroy restore record done:0");
	ATF_CHECK_EQ(s.last.kind, SUP_K_POWEROFF);
	ATF_CHECK(!s.last.dirty);
	ATF_CHECK(strstr(s.last.why, "after a stop request") != NULL);
	ATF_CHECK_EQ(s.state, SUP_STOPPED);
	/* A guest that reboots as it is stopped is stopped all the same. */
	running(&s, NULL);
	ev_stop(&s, 1000, 0, false);
	ATF_CHECK_STREQ(ev_exit(&s, 3000, false, 0),
	    "cancel:timeout destroy restore record done:0");
	/* Stopping a stopped VM is refused. */
	ATF_CHECK_STREQ(ev_stop(&s, 4000, 0, false), "");
	ATF_CHECK(strstr(lastlog, "not running") != NULL);
}

ATF_TC_WITHOUT_HEAD(stop_two_presses_spaced);
ATF_TC_BODY(stop_two_presses_spaced, tc)
{
	struct sup_conf c;
	struct sup s;
	int64_t at;

	sup_conf_default(&c, NULL);
	c.ndev = 1;
	c.life.acpi_presses = 2;
	c.press_spacing = 4;
	running(&s, &c);
	ATF_CHECK_STREQ(ev_stop(&s, 10000, 30, false),
	    "timer:timeout press timer:press2");
	ATF_CHECK(sup_next_timer(&s, &at));
	ATF_CHECK_EQ(at, 14000);
	ATF_CHECK_STREQ(step(&s, SUP_EV_TIMER, 13999), "");
	ATF_CHECK_EQ(s.presses, 1);
	ATF_CHECK_STREQ(step(&s, SUP_EV_TIMER, 14000), "press");
	ATF_CHECK_EQ(s.presses, 2);
	ATF_CHECK(strstr(lastlog, "2 of 2") != NULL);
	ATF_CHECK(sup_next_timer(&s, &at));
	ATF_CHECK_EQ(at, 40000);
	/* No third press. */
	ATF_CHECK_STREQ(step(&s, SUP_EV_TIMER, 20000), "");
	ATF_CHECK_STREQ(ev_exit(&s, 21000, false, 1),
	    "cancel:timeout destroy restore record done:0");
	/* Powered off before the second press: none is sent. */
	running(&s, &c);
	ev_stop(&s, 0, 30, false);
	ATF_CHECK_STREQ(ev_exit(&s, 1000, false, 1),
	    "cancel:press2 cancel:timeout destroy restore record done:0");
}

ATF_TC_WITHOUT_HEAD(stop_timeout_without_force);
ATF_TC_BODY(stop_timeout_without_force, tc)
{
	struct sup s;
	int64_t at;

	running(&s, NULL);
	ATF_CHECK_STREQ(ev_stop(&s, 1000, 5, false), "timer:timeout press");
	ATF_CHECK_STREQ(step(&s, SUP_EV_TIMER, 5999), "");
	ATF_CHECK_STREQ(step(&s, SUP_EV_TIMER, 6000), "");
	ATF_CHECK(strstr(lastlog, "did not power off within 5 s; it still "
	    "runs") != NULL);
	ATF_CHECK_EQ(s.state, SUP_RUNNING);
	ATF_CHECK(!sup_next_timer(&s, &at));
	/* The guest powers off later by itself: a clean end. */
	ATF_CHECK_STREQ(ev_exit(&s, 60000, false, 1),
	    "destroy restore record done:0");
	ATF_CHECK(!s.last.dirty);
}

ATF_TC_WITHOUT_HEAD(stop_timeout_with_force);
ATF_TC_BODY(stop_timeout_with_force, tc)
{
	struct sup s;

	running(&s, NULL);
	ATF_CHECK_STREQ(ev_stop(&s, 1000, 5, true), "timer:timeout press");
	ATF_CHECK_STREQ(step(&s, SUP_EV_TIMER, 6000), "kill");
	ATF_CHECK(strstr(lastlog, "killing bhyve (its devices will be marked "
	    "dirty)") != NULL);
	ATF_CHECK_EQ(s.state, SUP_STOPPING);
	ATF_CHECK_STREQ(ev_exit(&s, 6010, true, SIGKILL),
	    "destroy dirty restore record done:1");
	ATF_CHECK_EQ(s.last.kind, SUP_K_KILLED);
	ATF_CHECK(s.last.dirty);
	/* --force given to a second stop while the first waits. */
	running(&s, NULL);
	ev_stop(&s, 1000, 5, false);
	ATF_CHECK_STREQ(ev_stop(&s, 2000, 0, true), "");
	ATF_CHECK(strstr(lastlog, "killed when the timeout passes") != NULL);
	ATF_CHECK_STREQ(step(&s, SUP_EV_TIMER, 6000), "kill");
}

ATF_TC_WITHOUT_HEAD(stop_waits_for_acpi);
ATF_TC_BODY(stop_waits_for_acpi, tc)
{
	struct sup_conf c;
	struct sup s;

	sup_conf_default(&c, NULL);
	c.ndev = 1;
	c.acpi_observable = true;
	sup_init(&s, &c);
	step(&s, SUP_EV_START, 0);
	step(&s, SUP_EV_SPAWNED, 0);
	ATF_CHECK_EQ(s.acpi, 0);
	/* SIGTERM now would kill bhyve: wait and probe instead. */
	ATF_CHECK_STREQ(ev_stop(&s, 500, 20, false),
	    "timer:timeout timer:probe");
	ATF_CHECK(strstr(lastlog, "not enabled ACPI") != NULL);
	ATF_CHECK_EQ(s.presses, 0);
	ATF_CHECK_STREQ(step(&s, SUP_EV_TIMER, 1500), "probe timer:probe");
	ATF_CHECK_STREQ(ev_other(&s, SUP_EV_ACPI, 1600, false, 0), "");
	ATF_CHECK_STREQ(ev_other(&s, SUP_EV_ACPI, 2000, true, 0),
	    "cancel:boot cancel:probe press");
	ATF_CHECK_EQ(s.presses, 1);
	ATF_CHECK_STREQ(ev_exit(&s, 3000, false, 1),
	    "cancel:timeout destroy restore record done:0");
	/* Without observation, ptvm presses and warns. */
	sup_conf_default(&c, NULL);
	sup_init(&s, &c);
	step(&s, SUP_EV_START, 0);
	step(&s, SUP_EV_SPAWNED, 0);
	ATF_CHECK_STREQ(ev_stop(&s, 500, 20, false), "timer:timeout press");
	ATF_CHECK_STREQ(ev_exit(&s, 600, true, SIGTERM),
	    "cancel:boot cancel:timeout destroy restore record done:1");
	ATF_CHECK_EQ(s.last.kind, SUP_K_SIGNAL);
}

ATF_TC_WITHOUT_HEAD(supervisor_signalled);
ATF_TC_BODY(supervisor_signalled, tc)
{
	struct sup s;

	running(&s, NULL);
	ATF_CHECK_STREQ(ev_other(&s, SUP_EV_SIGNAL, 1000, false, SIGTERM),
	    "timer:timeout press");
	ATF_CHECK(s.by_signal);
	ATF_CHECK_EQ(s.state, SUP_STOPPING);
	ATF_CHECK_STREQ(ev_other(&s, SUP_EV_SIGNAL, 1500, false, SIGINT), "");
	ATF_CHECK(strstr(lastlog, "already stopping") != NULL);
	ATF_CHECK_EQ(s.presses, 1);
	ATF_CHECK_STREQ(ev_other(&s, SUP_EV_SIGNAL, 1600, false, SIGUSR1), "");
	ATF_CHECK(strstr(lastlog, "ignored") != NULL);
	ATF_CHECK_STREQ(ev_exit(&s, 2000, false, 1),
	    "cancel:timeout destroy restore record done:0");
	ATF_CHECK_STREQ(ev_other(&s, SUP_EV_SIGNAL, 3000, false, SIGTERM),
	    "done:0");
}

ATF_TC_WITHOUT_HEAD(supervisor_killed_recovery);
ATF_TC_BODY(supervisor_killed_recovery, tc)
{
	struct sup_outcome o;
	struct sup_status st;
	struct sup_actions a;

	sup_status_init(&st);
	snprintf(st.name, sizeof(st.name), "winpt");
	st.state = SUP_RUNNING;
	st.pid = 200;
	st.supervisor = 100;
	a.n = 0;
	sup_recover(&st, false, false, true, 1, 5000, &o, &a);
	ATF_CHECK_STREQ(render(&a), "destroy dirty restore record");
	ATF_CHECK_EQ(o.kind, SUP_K_LOST);
	ATF_CHECK(o.dirty);
	ATF_CHECK(strstr(o.why, "nobody saw the guest power off") != NULL);
	/* bhyve still runs: left alone, and said so. */
	a.n = 0;
	sup_recover(&st, false, true, true, 1, 5000, &o, &a);
	ATF_CHECK_STREQ(render(&a), "");
	ATF_CHECK(strstr(lastlog, "still runs winpt unsupervised") != NULL);
	/* The supervisor lives: nothing to do. */
	a.n = 0;
	sup_recover(&st, true, false, true, 1, 5000, &o, &a);
	ATF_CHECK_EQ(a.n, 0);
	/* A stale VM after a clean stop is destroyed, nothing marked. */
	st.state = SUP_STOPPED;
	a.n = 0;
	sup_recover(&st, false, false, true, 1, 5000, &o, &a);
	ATF_CHECK_STREQ(render(&a), "destroy");
	/* Lost while starting: the guest may have run unseen; dirty. */
	st.state = SUP_STARTING;
	a.n = 0;
	sup_recover(&st, false, false, false, 1, 5000, &o, &a);
	ATF_CHECK_STREQ(render(&a), "dirty restore record");
	ATF_CHECK(o.dirty);
	/* Without passthru devices there is nothing to mark. */
	a.n = 0;
	sup_recover(&st, false, false, false, 0, 5000, &o, &a);
	ATF_CHECK_STREQ(render(&a), "restore record");
}

ATF_TC_WITHOUT_HEAD(restart_loop_limit);
ATF_TC_BODY(restart_loop_limit, tc)
{
	struct sup_conf c;
	struct sup s;
	int i;

	sup_conf_default(&c, NULL);
	c.ndev = 1;
	c.loop_max = 3;
	c.loop_window = 60;
	running(&s, &c);
	for (i = 0; i < 3; i++) {
		ATF_CHECK_STREQ(ev_exit(&s, 10000 * (i + 1), false, 0),
		    "destroy record spawn");
		step(&s, SUP_EV_SPAWNED, 10000 * (i + 1));
		step(&s, SUP_EV_RUNNING, 10000 * (i + 1) + 100);
	}
	ATF_CHECK_STREQ(ev_exit(&s, 40000, false, 0),
	    "destroy restore record done:1");
	ATF_CHECK_STREQ(s.last.why, "restart loop: 3 restarts within 60 s, "
	    "the last because bhyve rebooted");
	ATF_CHECK(!s.last.dirty);
	/* Reboots spaced wider than the window go on. */
	running(&s, &c);
	for (i = 1; i <= 10; i++) {
		ATF_CHECK_STREQ(ev_exit(&s, 30000 * i, false, 0),
		    "destroy record spawn");
		step(&s, SUP_EV_SPAWNED, 30000 * i);
		step(&s, SUP_EV_RUNNING, 30000 * i + 100);
	}
	ATF_CHECK_EQ(s.restarts, 10);
}

ATF_TC_WITHOUT_HEAD(spawn_failure_and_bad_events);
ATF_TC_BODY(spawn_failure_and_bad_events, tc)
{
	struct sup_conf c;
	struct sup_event ev;
	struct sup_actions a;
	struct sup s;

	sup_conf_default(&c, NULL);
	c.ndev = 1;
	sup_init(&s, &c);
	memset(&ev, 0, sizeof(ev));
	ev.kind = SUP_EV_EXIT;
	a.n = 0;
	ATF_CHECK(sup_step(&s, &ev, &a) == -1);
	ATF_CHECK(strstr(a.a[0].msg, "bhyve exit while stopped") != NULL);
	step(&s, SUP_EV_START, 0);
	ATF_CHECK_STREQ(step(&s, SUP_EV_START, 0), "");
	ATF_CHECK(strstr(lastlog, "start while starting") != NULL);
	ATF_CHECK_STREQ(ev_stop(&s, 0, 0, false), "");	/* no pid yet */
	ev.kind = SUP_EV_SPAWN_FAILED;
	ev.err = 2;
	a.n = 0;
	ATF_CHECK(sup_step(&s, &ev, &a) == 0);
	ATF_CHECK_STREQ(render(&a), "destroy restore record done:1");
	ATF_CHECK_EQ(s.last.kind, SUP_K_SPAWNFAIL);
	ATF_CHECK(!s.last.dirty);
	ATF_CHECK_EQ(s.state, SUP_STOPPED);
}

ATF_TC_WITHOUT_HEAD(log_explanations);
ATF_TC_BODY(log_explanations, tc)
{
	static const struct {
		const char *line, *id;
	} t[] = {
		{ "bhyve: passthru requires guest memory to be wired",
		    "wired" },
		{ "bhyve: PCI device at 6/0/0 is not using the ppt(4) driver",
		    "not-ppt" },
		{ "PCI device at 6/0/1 is not using the ppt driver",
		    "not-ppt" },
		{ "Unable to setup memory (12)", "memory" },
		{ "Assertion failed: (error == 0), function "
		    "fbsdrun_start_thread, file /usr/src/usr.sbin/bhyve/"
		    "bhyverun.c, line 586.", "vcpu-pin" },
		{ "vm_create: File exists", "exists" },
		{ "vm_create: Operation not permitted", "create" },
		{ "vm_open: No such file or directory", "open" },
		{ "bhyve: pci_passthru: map_pptdev_mmio failed: Invalid "
		    "argument", "mmio" },
		{ "bhyve: invalid vcpu pinning configuration '0:x'",
		    "pinning" },
		{ "hostcpu '4096' outside valid range from 0 to 1023",
		    "hostcpu" },
		{ "bhyve: Failed to open configuration file /x: No such file "
		    "or directory", "config-file" },
		{ "passthru_init_rom: can't open romfile \"/x.rom\"",
		    "romfile-open" },
		{ "passthru_init_rom: romfile \"/x.rom\" is empty",
		    "romfile" },
		{ "Error opening bootrom \"/usr/local/share/uefi-firmware/"
		    "BHYVE_UEFI.fd\": No such file or directory", "bootrom" },
		{ "Unable to initialize backend '/dev/nmdm0A' for LPC device "
		    "com1", "lpc-backend" },
		{ "open of tap device /dev/tap0 failed", "tap" },
		{ "vm exit[0]", NULL },
		{ "", NULL },
	};
	const struct bhyvelog_known *k;
	struct strbuf sb;
	size_t i;

	for (i = 0; i < nitems(t); i++) {
		k = bhyvelog_explain(t[i].line, strlen(t[i].line));
		if (t[i].id == NULL)
			ATF_CHECK_MSG(k == NULL, "%s", t[i].line);
		else
			ATF_CHECK_MSG(k != NULL && strcmp(k->id, t[i].id) ==
			    0, "%s: %s", t[i].line, k ? k->id : "none");
	}
	/* Every entry names its source, explains and fixes. */
	for (i = 0; i < bhyvelog_nknown(); i++) {
		k = bhyvelog_known(i);
		ATF_CHECK(k->match[0] != '\0' && k->source[0] != '\0' &&
		    k->explain[0] != '\0' && k->fix[0] != '\0');
		ATF_CHECK(strchr(k->match, '%') == NULL);
		/* Repeats are matched by shape, numbers folded. */
		ATF_CHECK_MSG(strpbrk(k->match, "0123456789") == NULL, "%s",
		    k->match);
	}
	ATF_CHECK(bhyvelog_known(bhyvelog_nknown()) == NULL);
	sb_init(&sb);
	bhyvelog_advice(bhyvelog_explain("Unable to setup memory (12)", 27),
	    &sb);
	ATF_CHECK(strstr(sb_str(&sb), "over vm.max_user_wired") != NULL);
	ATF_CHECK(strstr(sb_str(&sb), "; fix: sysctl vm.max_user_wired=") !=
	    NULL);
	sb_free(&sb);
}

ATF_TC_WITHOUT_HEAD(log_lines_stamped);
ATF_TC_BODY(log_lines_stamped, tc)
{
	static const char out1[] =
	    "2024-05-01T12:00:00.250Z bhyve: fbuf frame buffer base: 0x1\n";
	struct bhyvelog bl;
	struct strbuf sb;
	char big[5000];

	sb_init(&sb);
	bhyvelog_stamp(&sb, 0, 0);
	ATF_CHECK_STREQ(sb_str(&sb), "1970-01-01T00:00:00.000Z");
	sb_reset(&sb);
	bhyvelog_stamp(&sb, 1714564800250LL, 120);
	ATF_CHECK_STREQ(sb_str(&sb), "2024-05-01T14:00:00.250+02:00");
	sb_reset(&sb);
	bhyvelog_stamp(&sb, -1, -330);
	ATF_CHECK_STREQ(sb_str(&sb), "1969-12-31T18:29:59.999-05:30");
	sb_reset(&sb);
	bhyvelog_stamp(&sb, 951825600000LL, 0);		/* leap day 2000 */
	ATF_CHECK_STREQ(sb_str(&sb), "2000-02-29T12:00:00.000Z");
	sb_reset(&sb);

	bhyvelog_init(&bl, NULL);
	bhyvelog_feed(&bl, "fbuf frame buf", 14, 1714564800000LL, 0, &sb);
	ATF_CHECK_EQ(sb.len, 0);
	bhyvelog_feed(&bl, "fer base: 0x1\r\nUnable to setup mem", 34,
	    1714564800250LL, 0, &sb);
	ATF_CHECK_STREQ(sb_str(&sb), out1);
	sb_reset(&sb);
	bhyvelog_feed(&bl, "ory (12)\n", 9, 1714564801000LL, 0, &sb);
	ATF_CHECK(strstr(sb_str(&sb), "bhyve: Unable to setup memory (12)\n"
	    "2024-05-01T12:00:01.000Z ptvm: memory: vmm could not allocate")
	    != NULL);
	ATF_CHECK_EQ(bl.nknown, 1);
	ATF_CHECK_STREQ(bl.last->id, "memory");
	sb_reset(&sb);
	bhyvelog_feed(&bl, "bell\a\x1b[0m\tend", 13, 0, 0, &sb);
	ATF_CHECK_EQ(sb.len, 0);
	bhyvelog_flush(&bl, 0, 0, &sb);
	ATF_CHECK_STREQ(sb_str(&sb),
	    "1970-01-01T00:00:00.000Z bhyve: bell\\x07\\x1b[0m\tend\n");
	sb_reset(&sb);
	bhyvelog_flush(&bl, 0, 0, &sb);
	ATF_CHECK_EQ(sb.len, 0);
	/* A line longer than BHYVELOG_LINEMAX is split. */
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	bhyvelog_feed(&bl, big, sizeof(big), 0, 0, &sb);
	ATF_CHECK_EQ(bl.nlines, 5);
	sb_free(&sb);
}

/* How many times needle occurs in hay. */
static unsigned
count_of(const char *hay, const char *needle)
{
	unsigned n;

	for (n = 0; (hay = strstr(hay, needle)) != NULL; n++)
		hay += strlen(needle);
	return (n);
}

ATF_TC_WITHOUT_HEAD(log_repeats_counted);
ATF_TC_BODY(log_repeats_counted, tc)
{
	struct bhyvelog bl;
	struct strbuf sb;
	char line[80];
	unsigned i;
	size_t held;

	/* 1000 MSR lines, only the numbers differ: one line and a count. */
	bhyvelog_init(&bl, NULL);
	sb_init(&sb);
	for (i = 1; i <= 1000; i++) {
		snprintf(line, sizeof(line), "rdmsr to register %#x on vcpu "
		    "%u\n", 0xc0010000 + i, i % 4);
		bhyvelog_feed(&bl, line, strlen(line), 1000 + i, 0, &sb);
	}
	ATF_CHECK_EQ(bl.nlines, 1000);
	ATF_CHECK_EQ(bl.nknown, 1000);
	ATF_CHECK_EQ(count_of(sb_str(&sb), "bhyve: rdmsr"), 1);
	ATF_CHECK_EQ(count_of(sb_str(&sb), "ptvm: msr: the guest read"), 1);
	/* The held repeats are input the log does not account for yet. */
	held = bl.held;
	ATF_CHECK(held > 900 * 30);
	bhyvelog_feed(&bl, "fbuf frame buffer base: 0x1\n", 28, 3000, 0, &sb);
	ATF_CHECK_EQ(bl.held, 0);
	ATF_CHECK(strstr(sb_str(&sb), "1970-01-01T00:00:02.000Z ptvm: last "
	    "message repeated 999 times, with other numbers; the last: rdmsr "
	    "to register 0xc00103e8 on vcpu 0\n") != NULL);
	ATF_CHECK(strstr(sb_str(&sb), "bhyve: fbuf frame buffer base: 0x1\n")
	    != NULL);
	/* Exact copies: syslogd's words; a run of one is the line itself. */
	sb_reset(&sb);
	for (i = 0; i < 3; i++)
		bhyvelog_feed(&bl, "vm exit[0]\nvm exit[0]\n", 22, 4000, 0,
		    &sb);
	bhyvelog_feed(&bl, "other\nother\n", 12, 4000, 0, &sb);
	bhyvelog_flush(&bl, 5000, 0, &sb);
	ATF_CHECK_STREQ(sb_str(&sb),
	    "1970-01-01T00:00:04.000Z bhyve: vm exit[0]\n"
	    "1970-01-01T00:00:04.000Z ptvm: last message repeated 5 times\n"
	    "1970-01-01T00:00:04.000Z bhyve: other\n"
	    "1970-01-01T00:00:04.000Z bhyve: other\n");
	/* A known message is explained once per run, not per instance. */
	sb_reset(&sb);
	bhyvelog_feed(&bl, "wrmsr to register 0x10 on vcpu 1\nx\n"
	    "wrmsr to register 0x11 on vcpu 2\n", 68, 6000, 0, &sb);
	ATF_CHECK_EQ(count_of(sb_str(&sb), "bhyve: wrmsr"), 2);
	ATF_CHECK_EQ(count_of(sb_str(&sb), "ptvm: msr: the guest wrote"), 1);
	ATF_CHECK_EQ(count_of(sb_str(&sb), "ptvm: msr: the guest read"), 0);
	/* A new run explains again. */
	bhyvelog_init(&bl, NULL);
	sb_reset(&sb);
	bhyvelog_feed(&bl, "wrmsr to register 0x10 on vcpu 1\n", 33, 0, 0,
	    &sb);
	ATF_CHECK_EQ(count_of(sb_str(&sb), "ptvm: msr: the guest wrote"), 1);
	sb_free(&sb);
}

ATF_TC_WITHOUT_HEAD(log_repeats_said_in_time);
ATF_TC_BODY(log_repeats_said_in_time, tc)
{
	struct bhyvelog bl;
	struct strbuf sb;
	unsigned i;

	bhyvelog_init(&bl, NULL);
	sb_init(&sb);
	/* A flood that never ends still says its count every 30 s. */
	for (i = 0; i < 100; i++)
		bhyvelog_feed(&bl, "vcpu 1: spin\n", 13, (int64_t)i * 1000, 0,
		    &sb);
	ATF_CHECK_EQ(count_of(sb_str(&sb), "last message repeated"), 3);
	/* Held from 1 s, said with the one at 31 s. */
	ATF_CHECK(strstr(sb_str(&sb), "00:00:31.000Z ptvm: last message "
	    "repeated 31 times\n") != NULL);
	/* And when the flood stops, the next look says the rest. */
	sb_reset(&sb);
	bhyvelog_tick(&bl, 100000, 0, &sb);
	ATF_CHECK_EQ(sb.len, 0);
	bhyvelog_tick(&bl, 130000, 0, &sb);
	ATF_CHECK_STREQ(sb_str(&sb),
	    "1970-01-01T00:01:39.000Z ptvm: last message repeated 6 times\n");
	ATF_CHECK_EQ(bl.held, 0);
	sb_free(&sb);
}

ATF_TC_WITHOUT_HEAD(log_size_cap);
ATF_TC_BODY(log_size_cap, tc)
{
	struct bhyvelog bl;
	struct strbuf sb;
	char line[80];
	unsigned i, j;

	bhyvelog_init(&bl, NULL);
	ATF_CHECK_EQ(bl.cap, BHYVELOG_CAP);
	bl.cap = 4096;
	sb_init(&sb);
	/* 2000 lines that are not repeats of each other (no numbers). */
	for (i = 0; i < 2000; i++) {
		snprintf(line, sizeof(line), "device says ");
		for (j = i; j > 0 || line[12] == '\0'; j /= 26)
			snprintf(line + strlen(line), sizeof(line) -
			    strlen(line), "%c", 'a' + j % 26);
		strlcat(line, "\n", sizeof(line));
		bhyvelog_feed(&bl, line, strlen(line), 0, 0, &sb);
		ATF_REQUIRE((int64_t)sb.len == bl.used);
	}
	ATF_CHECK(sb.len >= 4096 && sb.len < 4096 + 200);
	ATF_CHECK(bl.dropped > 1800);
	/* A known message not explained yet still gets in, explained. */
	bhyvelog_feed(&bl, "vm_run error -1, errno 6\n", 25, 0, 0, &sb);
	ATF_CHECK(strstr(sb_str(&sb), "bhyve: vm_run error -1, errno 6\n") !=
	    NULL);
	ATF_CHECK(strstr(sb_str(&sb), "ptvm: vm-run: ") != NULL);
	/* At the end: how many were dropped, and the last of them. */
	bhyvelog_feed(&bl, "device says last\n", 17, 0, 0, &sb);
	bhyvelog_flush(&bl, 0, 0, &sb);
	ATF_CHECK(strstr(sb_str(&sb), "lines of bhyve's output dropped: the "
	    "log reached its cap of 4096 bytes; the last: device says last\n")
	    != NULL);
	ATF_CHECK_EQ(bl.dropped, 0);
	/* Room again (the log was rotated): the count first, then lines. */
	sb_reset(&sb);
	bhyvelog_feed(&bl, "more\n", 5, 0, 0, &sb);
	bl.used = 0;
	bhyvelog_feed(&bl, "room\n", 5, 0, 0, &sb);
	ATF_CHECK_STREQ(sb_str(&sb), "1970-01-01T00:00:00.000Z ptvm: 1 line of "
	    "bhyve's output dropped: the log reached its cap of 4096 bytes; "
	    "the last: more\n"
	    "1970-01-01T00:00:00.000Z bhyve: room\n");
	sb_free(&sb);
}

ATF_TC_WITHOUT_HEAD(status_round_trip);
ATF_TC_BODY(status_round_trip, tc)
{
	struct sup_status st, back;
	struct strbuf sb, sb2;
	struct diags d;
	struct sup s;

	running(&s, NULL);
	ev_exit(&s, 5000, false, 3);
	sup_status_init(&st);
	sup_status_fill(&s, 1714564800000LL, &st);
	snprintf(st.name, sizeof(st.name), "winpt");
	st.supervisor = 77;
	snprintf(st.log, sizeof(st.log), "/var/log/ptvm/winpt.log");
	snprintf(st.error, sizeof(st.error), "line\none");
	sb_init(&sb);
	sup_status_format(&st, &sb);
	ATF_CHECK(strstr(sb_str(&sb), "state=stopped\n") != NULL);
	ATF_CHECK(strstr(sb_str(&sb), "last.kind=triplefault\nlast.exit=exit "
	    "3\nlast.ran=yes\nlast.dirty=yes\nlast.time=1714564805\n") !=
	    NULL);
	ATF_CHECK(strstr(sb_str(&sb), "error=line?one\n") != NULL);
	diags_init(&d);
	ATF_REQUIRE(sup_status_parse(sb.s, sb.len, "s", &back, &d) == 0);
	ATF_CHECK_EQ(d.nerrors + d.nwarnings, 0);
	ATF_CHECK_STREQ(back.name, "winpt");
	ATF_CHECK_EQ(back.state, SUP_STOPPED);
	ATF_CHECK_EQ(back.supervisor, 77);
	ATF_CHECK(back.has_last);
	ATF_CHECK_EQ(back.last_kind, SUP_K_TRIPLEFAULT);
	ATF_CHECK_EQ(back.last_exit.code, 3);
	ATF_CHECK(!back.last_exit.signaled);
	ATF_CHECK(back.last_dirty);
	ATF_CHECK_STREQ(back.last_why, st.last_why);
	ATF_CHECK_STREQ(back.error, "line?one");
	sb_init(&sb2);
	sup_status_format(&back, &sb2);
	ATF_CHECK_STREQ(sb_str(&sb), sb_str(&sb2));
	sb_free(&sb);
	sb_free(&sb2);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(status_bad_input);
ATF_TC_BODY(status_bad_input, tc)
{
	static const char in[] = "# x\n"
	    "state=sleeping\n"
	    "pid=12\n"
	    "pid=13\n"
	    "future.key=1\n"
	    "no equals sign\n"
	    "last.exit=signal 9\n"
	    "acpi=maybe\n"
	    "name=../etc\n";
	static const char ok[] = "name=a\nstate=running\r\npid=5\n"
	    "last.kind=killed\nlast.exit=signal 9\nlast.ran=yes\n"
	    "last.dirty=yes\nlast.time=1\nlast.why=x\n";
	static const char bin[] = "name=a\0b\n";
	struct sup_status st;
	struct diags d;

	diags_init(&d);
	ATF_CHECK(sup_status_parse(in, strlen(in), "x.status", &st, &d) != 0);
	ATF_CHECK_EQ(tu_diag_line(&d, "bad value for state"), 2);
	ATF_CHECK_EQ(tu_diag_line(&d, "repeated (first at line 3)"), 4);
	ATF_CHECK_EQ(tu_diag_line(&d, "unknown key \"future.key\""), 5);
	ATF_CHECK_EQ(tu_diag_line(&d, "expected key=value"), 6);
	ATF_CHECK_EQ(tu_diag_line(&d, "bad value for acpi"), 8);
	ATF_CHECK_EQ(tu_diag_line(&d, "bad value for name"), 9);
	ATF_CHECK_EQ(tu_diag_line(&d, "last.exit without last.kind"), 7);
	ATF_CHECK_EQ(d.nwarnings, 1);
	diags_free(&d);
	diags_init(&d);
	ATF_CHECK(sup_status_parse(ok, strlen(ok), "s", &st, &d) == 0);
	ATF_CHECK_EQ(st.state, SUP_RUNNING);
	ATF_CHECK(st.last_exit.signaled && st.last_exit.code == 9);
	ATF_CHECK(sup_status_parse(bin, sizeof(bin) - 1, "s", &st, &d) != 0);
	ATF_CHECK(sup_status_parse("state=running\n", 14, "s", &st, &d) != 0);
	ATF_CHECK(tu_diag_has(&d, "no name= line"));
	ATF_CHECK(tu_diag_has(&d, "binary data"));
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(dirty_round_trip);
ATF_TC_BODY(dirty_round_trip, tc)
{
	static const char in[] = "# ptvm dirty devices 1\n\n"
	    "pci0:6:0:0 1714564800 winpt triple fault (the guest crashed)\n"
	    "pci0:6:0:1 1714564800 winpt killed (SIGKILL)\n";
	struct sup_dirty_list l, l2;
	struct pci_sel sel;
	struct strbuf sb;
	struct diags d;
	char err[64], reason[300];

	sup_dirty_init(&l);
	sup_dirty_init(&l2);
	diags_init(&d);
	ATF_REQUIRE(sup_dirty_parse(in, strlen(in), "dirty", &l, &d) == 0);
	ATF_REQUIRE_EQ(l.n, 2);
	ATF_CHECK_EQ(l.d[0].sel.bus, 6);
	ATF_CHECK_EQ(l.d[1].sel.func, 1);
	ATF_CHECK_STREQ(l.d[0].reason, "triple fault (the guest crashed)");
	ATF_CHECK_STREQ(l.d[1].vm, "winpt");
	ATF_CHECK_EQ(l.d[1].time, 1714564800);
	ATF_REQUIRE(pci_sel_parse("47/0/0", &sel, err, sizeof(err)) == 0);
	ATF_CHECK(sup_dirty_find(&l, &sel) == NULL);
	memset(reason, 'r', sizeof(reason) - 1);
	reason[sizeof(reason) - 1] = '\0';
	ATF_CHECK(sup_dirty_add(&l, &sel, 5, "other", reason) == 0);
	ATF_CHECK_EQ(strlen(sup_dirty_find(&l, &sel)->reason), 159);
	ATF_CHECK(sup_dirty_add(&l, &sel, 6, "other", "halted") == 0);
	ATF_CHECK_EQ(l.n, 3);
	ATF_CHECK_STREQ(sup_dirty_find(&l, &sel)->reason, "halted");
	sb_init(&sb);
	sup_dirty_format(&l, &sb);
	ATF_CHECK(strstr(sb_str(&sb), "\npci0:47:0:0 6 other halted\n") !=
	    NULL);
	ATF_REQUIRE(sup_dirty_parse(sb.s, sb.len, "dirty", &l2, &d) == 0);
	ATF_CHECK_EQ(l2.n, 3);
	ATF_CHECK(sup_dirty_remove(&l2, &sel));
	ATF_CHECK(!sup_dirty_remove(&l2, &sel));
	ATF_CHECK_EQ(l2.n, 2);
	ATF_CHECK_EQ(d.nerrors, 0);
	sb_free(&sb);
	sup_dirty_free(&l);
	sup_dirty_free(&l2);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(dirty_bad_input);
ATF_TC_BODY(dirty_bad_input, tc)
{
	static const char in[] = "pci0:6:0:0 1 vm ok\n"
	    "pci9:x 1 vm bad selector\n"
	    "pci0:6:0:0 2 vm twice\n"
	    "6/0/1 soon vm bad time\n"
	    "6/0/2 1\n"
	    "6/0/3 1 bad/name reason\n"
	    "6/0/4 1 vm\n";
	struct sup_dirty_list l;
	struct diags d;

	sup_dirty_init(&l);
	diags_init(&d);
	ATF_CHECK(sup_dirty_parse(in, strlen(in), "dirty", &l, &d) != 0);
	ATF_CHECK_EQ(tu_diag_line(&d, "bad selector \"pci9:x\""), 2);
	ATF_CHECK_EQ(tu_diag_line(&d, "pci0:6:0:0 listed twice"), 3);
	ATF_CHECK_EQ(tu_diag_line(&d, "bad time \"soon\""), 4);
	ATF_CHECK_EQ(tu_diag_line(&d, "expected SELECTOR TIME VM REASON"), 5);
	ATF_CHECK_EQ(tu_diag_line(&d, "bad VM name"), 6);
	ATF_CHECK_EQ(d.nerrors, 5);
	/* The good lines are kept: a reason may be empty. */
	ATF_CHECK_EQ(l.n, 2);
	ATF_CHECK_STREQ(l.d[1].reason, "");
	sup_dirty_free(&l);
	diags_free(&d);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, exit_codes_default_policy);
	ATF_TP_ADD_TC(tp, log_repeats_counted);
	ATF_TP_ADD_TC(tp, log_repeats_said_in_time);
	ATF_TP_ADD_TC(tp, log_size_cap);
	ATF_TP_ADD_TC(tp, exit_before_guest_ran_is_setup_error);
	ATF_TP_ADD_TC(tp, suspend_exits_imply_guest_ran);
	ATF_TP_ADD_TC(tp, classify_and_meaning);
	ATF_TP_ADD_TC(tp, dirty_marking_rules);
	ATF_TP_ADD_TC(tp, restart_policies);
	ATF_TP_ADD_TC(tp, boot_grace_makes_running);
	ATF_TP_ADD_TC(tp, stop_one_press);
	ATF_TP_ADD_TC(tp, stop_two_presses_spaced);
	ATF_TP_ADD_TC(tp, stop_timeout_without_force);
	ATF_TP_ADD_TC(tp, stop_timeout_with_force);
	ATF_TP_ADD_TC(tp, stop_waits_for_acpi);
	ATF_TP_ADD_TC(tp, supervisor_signalled);
	ATF_TP_ADD_TC(tp, supervisor_killed_recovery);
	ATF_TP_ADD_TC(tp, restart_loop_limit);
	ATF_TP_ADD_TC(tp, spawn_failure_and_bad_events);
	ATF_TP_ADD_TC(tp, log_explanations);
	ATF_TP_ADD_TC(tp, log_lines_stamped);
	ATF_TP_ADD_TC(tp, status_round_trip);
	ATF_TP_ADD_TC(tp, status_bad_input);
	ATF_TP_ADD_TC(tp, dirty_round_trip);
	ATF_TP_ADD_TC(tp, dirty_bad_input);
	return (atf_no_error());
}
