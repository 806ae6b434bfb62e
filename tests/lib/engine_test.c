/*
 * engine_test: the lifecycle engine (engine/) driven directly, against a
 * captured host (a copy of examples/hosts/guide-rx7600 with the bhyvectl
 * and cpuset stand-ins of tests/bin and tests/bin/bhyve-quick as bhyve,
 * which acts as soon as the guest is seen running) under a virtual clock
 * (host_capture_clock): the supervisor's timers, stop's timeouts, the
 * press spacing and the restart-loop window pass at once, while the
 * stand-in bhyve stays a real process.  Each case asserts what the
 * engine left: its exit status, the kernel model's journal (DIR/journal),
 * the status, dirty and undo files, and the messages it gave.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "testutil.h"
#include "engine.h"

extern char **environ;

#define GUIDE	TOP "/examples/hosts/guide-rx7600"
#define TESTBIN	TOP "/tests/bin"

/* The virtual clock: ms, moved on only by sleep (and fd_poll's waits). */
static int64_t vclock = 1000000;

static int64_t
vc_now(void *arg)
{

	(void)arg;
	return (vclock);
}

/*
 * A bhyve whose supervisor was killed is an orphan; the test process is
 * its reaper (the system's init may be slow to reap), and while the
 * engine waits for it to be gone in stop or host restore (reaping set),
 * each sleep reaps what ended but keep, the supervisor child bg_end
 * reaps.
 */
static bool reaping;
static pid_t keep = -1;

static void
reap_orphans(void)
{
	siginfo_t si;

	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) != 0 ||
		    si.si_pid == 0 || si.si_pid == keep)
			return;
		(void)waitpid(si.si_pid, NULL, 0);
	}
}

/*
 * A virtual sleep lets real time pass too, a millisecond at most, so
 * that a loop waiting for a real process (stop_wait_gone) gives it the
 * time to act: a second of the engine's is then a millisecond or less.
 */
static void
vc_sleep(void *arg, unsigned ms)
{
	struct timespec ts = { 0, 1000000 };

	(void)arg;
	vclock += ms;
	if (ms > 0)
		(void)nanosleep(&ts, NULL);
	if (reaping)
		reap_orphans();
}

/* What the engine reported, a line each. */
static char reported[1 << 16];

static void
rep(void *arg, const char *name, enum diag_level lvl, const char *line)
{
	size_t n = strlen(reported);

	(void)arg;
	(void)name;
	(void)lvl;
	(void)snprintf(reported + n, sizeof(reported) - n, "%s\n", line);
}

static struct diags dg;
static struct eng eng;

static void
run(const char *a0, ...)
{
	char *av[16];
	va_list ap;
	pid_t pid;
	size_t n = 0;
	int st;

	av[n++] = __DECONST(char *, a0);
	va_start(ap, a0);
	while (n < nitems(av) - 1 &&
	    (av[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	av[n] = NULL;
	ATF_REQUIRE(posix_spawnp(&pid, a0, NULL, NULL, av, environ) == 0);
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s failed",
	    a0);
}

static void
put(const char *path, const char *mode, const char *fmt, ...)
{
	va_list ap;
	FILE *fp;

	ATF_REQUIRE_MSG((fp = fopen(path, mode)) != NULL, "%s", path);
	va_start(ap, fmt);
	(void)vfprintf(fp, fmt, ap);
	va_end(ap);
	ATF_REQUIRE(fclose(fp) == 0);
}

/* The whole of a file of h/ ("" when it is not there); static. */
static const char *
slurp(const char *rel)
{
	static char buf[4][1 << 16];
	static int k;
	char path[1024];
	size_t n;
	FILE *fp;

	k = (k + 1) % 4;
	buf[k][0] = '\0';
	(void)snprintf(path, sizeof(path), "h/%s", rel);
	if ((fp = fopen(path, "r")) == NULL)
		return (buf[k]);
	n = fread(buf[k], 1, sizeof(buf[k]) - 1, fp);
	buf[k][n] = '\0';
	fclose(fp);
	return (buf[k]);
}

static bool
has(const char *rel, const char *s)
{

	return (strstr(slurp(rel), s) != NULL);
}

static size_t
lines(const char *rel)
{
	const char *s;
	size_t n = 0;

	for (s = slurp(rel); *s != '\0'; s++)
		n += *s == '\n';
	return (n);
}

static bool
exists(const char *rel)
{
	char path[1024];

	(void)snprintf(path, sizeof(path), "h/%s", rel);
	return (access(path, F_OK) == 0);
}

#define CHECK_HAS(rel, s) \
	ATF_CHECK_MSG(has(rel, s), "%s lacks \"%s\":\n%s", rel, s, slurp(rel))
#define CHECK_LACKS(rel, s) \
	ATF_CHECK_MSG(!has(rel, s), "%s has \"%s\":\n%s", rel, s, slurp(rel))
#define CHECK_REP(s) \
	ATF_CHECK_MSG(strstr(reported, s) != NULL, "not reported: \"%s\":\n%s", \
	    s, reported)
#define CHECK_DIAG(s) \
	ATF_CHECK_MSG(tu_diag_has(&dg, s), "no diagnostic \"%s\"", s)
/* Said either way: a diagnostic, or a line reported (-F: logged). */
#define CHECK_SAID(s) \
	ATF_CHECK_MSG(tu_diag_has(&dg, s) || strstr(reported, s) != NULL, \
	    "not said: \"%s\":\n%s", s, reported)

/* ./h: the guide's host as tests/cli/common.subr's lifehost makes it. */
static void
lifehost(const char *keys)
{
	static const struct host_clock c = { vc_now, vc_sleep, NULL, 5 };

	run("cp", "-R", GUIDE, "h", NULL);
	run("mkdir", "-p", "h/bin", "h/run", "h/root/dev/zvol/zroot/vm", NULL);
	run("cp", TESTBIN "/bhyvectl", TESTBIN "/cpuset", "h/bin/", NULL);
	run("cp", TESTBIN "/bhyve-quick", "h/bin/bhyve", NULL);
	put("h/kenv.txt", "w", "hw.vmm.amdvi.enable=\"1\"\n");
	put("h/sysctl.txt", "a", "hw.pci.default_vgapci_unit: 1\n"
	    "kern.consmute: 0\n");
	put("h/root/dev/zvol/zroot/vm/t1", "w", "%s", "");
	put("h/root/usr/local/etc/ptvm/t1.conf", "w", "cpus=4\nmemory=4G\n"
	    "passthru=6/0/0\npassthru=6/0/1\ndisk=/dev/zvol/zroot/vm/t1\n"
	    "net=tap0\nconsole=auto\n%s", keys);
	ATF_REQUIRE(setenv("PTVM_STANDINS", "1", 1) == 0);
#ifdef __linux__
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
	(void)host_capture_clock(&c);
	diags_init(&dg);
	memset(&eng, 0, sizeof(eng));
	eng.hostdir = "h";
	eng.diags = &dg;
	reported[0] = '\0';
}

static void
ctl(const char *s)
{

	put("h/run/quick.ctl", "w", "%s\n", s);
}

/* A value of t1's status file ("" if none); static. */
static const char *
st(const char *key)
{
	static char v[4][512];
	static int k;
	const char *s, *e;
	char pat[128];

	k = (k + 1) % 4;
	v[k][0] = '\0';
	(void)snprintf(pat, sizeof(pat), "\n%s=", key);
	s = slurp("run/t1.status");
	if (strncmp(s, pat + 1, strlen(pat + 1)) == 0)
		s += strlen(pat + 1);
	else if ((s = strstr(s, pat)) != NULL)
		s += strlen(pat);
	else
		return (v[k]);
	e = strchr(s, '\n');
	(void)snprintf(v[k], sizeof(v[k]), "%.*s",
	    (int)(e != NULL ? e - s : (ptrdiff_t)strlen(s)), s);
	return (v[k]);
}

#define CHECK_ST(key, val) \
	ATF_CHECK_MSG(strcmp(st(key), val) == 0, "status %s=%s, expected %s", \
	    key, st(key), val)

static struct host *
host(void)
{
	struct host *h;

	ATF_REQUIRE(eng_host(&eng, &h) == 0);
	return (h);
}

static int
start_fg(bool force)
{
	struct eng_start_opts so;

	memset(&so, 0, sizeof(so));
	so.foreground = true;
	so.force = force;
	so.log = rep;
	so.report = rep;
	return (eng_start(&eng, "t1", &so));
}

/* The host put back: the console unmuted, no undo journal left. */
static void
check_host_back(void)
{

	CHECK_HAS("journal", "sysctl kern.consmute=0");
	ATF_CHECK(!exists("run/t1.undo"));
}

/* Start with the foreground supervisor and a guest that powers off. */
ATF_TC_WITHOUT_HEAD(start_poweroff);
ATF_TC_BODY(start_poweroff, tc)
{

	lifehost("");
	ctl("action=poweroff");
	ATF_CHECK_EQ(start_fg(false), EXIT_OK);
	CHECK_REP("pci0:6:0:0 is on ppt0 (was vgapci0)");
	CHECK_REP("kern.consmute=1 while the VM runs");
	CHECK_HAS("journal", "sysctl kern.consmute=1\n");
	CHECK_HAS("journal", "kenv pptdevs=\"6/0/0 6/0/1\"\n");
	CHECK_HAS("journal", "devctl detach pci0:6:0:0\n");
	CHECK_HAS("journal", "bhyve -k ");
	CHECK_HAS("run/bhyve.conf", "pci.0.7.0.device=passthru");
	CHECK_HAS("run/bhyve.conf", "pci.0.7.1.device=passthru");
	CHECK_REP("bhyve powered off; on_poweroff=stop");
	CHECK_ST("state", "stopped");
	CHECK_ST("last.kind", "poweroff");
	CHECK_ST("last.dirty", "no");
	ATF_CHECK_EQ(lines("run/bhyve.runs"), 1);
	ATF_CHECK(!exists("run/dirty") || !has("run/dirty", "pci0:6:0:0"));
	check_host_back();
}


static void wait_state(const char *);

/* The supervisor in a child process; returns once t1 shows state. */
static pid_t
bg_start(bool force, const char *state)
{
	pid_t pid;

	fflush(NULL);
	ATF_REQUIRE((pid = fork()) >= 0);
	if (pid == 0) {
		reaping = false;
		_exit(start_fg(force));
	}
	keep = pid;
	wait_state(state);
	return (pid);
}

/* Waits (real time, 10 s at most) until t1's status says state. */
static void
wait_state(const char *state)
{
	struct timespec ts = { 0, 5000000 };
	int i;

	for (i = 0; i < 2000; i++) {
		if (strcmp(st("state"), state) == 0)
			return;
		(void)nanosleep(&ts, NULL);
	}
	ATF_REQUIRE_MSG(false, "t1 never became %s (is %s); log:\n%s", state,
	    st("state"), slurp("log/t1.log"));
}

/* A supervisor child killed by a signal: its signal. */
static int
bg_end_signalled(pid_t pid)
{
	int status;

	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	ATF_REQUIRE(WIFSIGNALED(status));
	keep = -1;
	return (WTERMSIG(status));
}

/* The exit status of the supervisor's child. */
static int
bg_end(pid_t pid)
{
	int status;

	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	ATF_REQUIRE(WIFEXITED(status));
	keep = -1;
	return (WEXITSTATUS(status));
}

static int
stop(int timeout, bool force)
{
	struct eng_stop_opts so;
	int rv;

	memset(&so, 0, sizeof(so));
	so.timeout = timeout;
	so.force = force;
	so.report = rep;
	reaping = true;
	rv = eng_stop(&eng, "t1", &so);
	reaping = false;
	return (rv);
}

static bool
alive(int pid)
{

	return (pid > 0 && (kill(pid, 0) == 0 || errno == EPERM));
}

/* Waits (real time, 10 s at most) until pid is gone; reaps a child. */
static void
wait_gone(int pid)
{
	struct timespec ts = { 0, 5000000 };
	int i;

	for (i = 0; i < 2000; i++) {
		(void)waitpid(pid, NULL, WNOHANG);
		if (!alive(pid))
			return;
		(void)nanosleep(&ts, NULL);
	}
	ATF_REQUIRE_MSG(false, "pid %d still runs", pid);
}

/* Stops t1's supervisor child and checks it ended well. */
static void
stop_bg(pid_t pid)
{

	ATF_CHECK_EQ(stop(0, false), EXIT_OK);
	ATF_CHECK_EQ(bg_end(pid), EXIT_OK);
}

static int
restore(bool *any)
{
	int rv;

	reaping = true;
	rv = eng_host_restore(&eng, false, any, rep, NULL);
	reaping = false;
	return (rv);
}

/* policy ACTION CTL: t1 ends by itself in the foreground. */
static int
policy(const char *ctlstr)
{

	(void)unlink("h/run/dirty");
	ctl(ctlstr);
	reported[0] = '\0';
	return (start_fg(false));
}

/*
 * Each way bhyve ends by itself: its meaning, dirty or not, the messages
 * (was tests/cli/life_test exit_policy).
 */
ATF_TC_WITHOUT_HEAD(exit_policies);
ATF_TC_BODY(exit_policies, tc)
{

	lifehost("");
	ATF_CHECK_EQ(policy("action=poweroff"), EXIT_OK);
	CHECK_ST("last.kind", "poweroff");
	CHECK_ST("last.dirty", "no");
	CHECK_REP("bhyve powered off; on_poweroff=stop");
	/* Exit 1 after an err(3) line while the guest ran (freebsd.md#B1). */
	ATF_CHECK_EQ(policy("action=fail\nstatus=1\n"
	    "message=bhyve: vm_setup_pptdev_msi: Invalid argument"), EXIT_FAIL);
	CHECK_ST("last.kind", "error");
	CHECK_ST("last.dirty", "yes");
	CHECK_ST("last.exit", "exit 1 failed");
	CHECK_REP("not a power-off");
	CHECK_HAS("run/dirty", "pci0:6:0:0");
	ATF_CHECK_EQ(policy("action=halt"), EXIT_FAIL);
	CHECK_ST("last.kind", "halt");
	CHECK_ST("last.dirty", "yes");
	CHECK_REP("halted");
	CHECK_HAS("run/dirty", "pci0:6:0:0");
	CHECK_HAS("run/dirty", "pci0:6:0:1");
	ATF_CHECK_EQ(policy("action=crash"), EXIT_FAIL);
	CHECK_ST("last.kind", "triplefault");
	CHECK_ST("last.dirty", "yes");
	CHECK_REP("triple fault");
	CHECK_HAS("log/t1.log", "bhyve: vcpu 0 triple fault");
	/* Errors before the guest ran never dirty a device. */
	ATF_CHECK_EQ(policy("action=error\nstatus=4\n"
	    "message=vm_create: File exists"), EXIT_FAIL);
	CHECK_ST("last.kind", "error");
	CHECK_ST("last.dirty", "no");
	CHECK_HAS("run/t1.status", "\nerror=vm_create: File exists: ");
	CHECK_HAS("log/t1.log", "bhyve: vm_create: File exists\n");
	CHECK_HAS("log/t1.log",
	    "ptvm: exists: a VM of this name already exists");
	ATF_CHECK(!has("run/dirty", "pci0:6:0:0"));
	ATF_CHECK_EQ(policy("action=error\nstatus=64\n"
	    "message=bhyve: invalid vcpu pinning"), EXIT_FAIL);
	CHECK_ST("last.exit", "exit 64");
	CHECK_ST("last.dirty", "no");
	ATF_CHECK_EQ(policy("action=error\nstatus=71\n"
	    "message=bhyve: vm_set_topology: Operation not permitted"),
	    EXIT_FAIL);
	CHECK_ST("last.exit", "exit 71");
	ATF_CHECK_EQ(policy("action=error\nstatus=1\n"
	    "message=bhyve: Unable to setup memory (12)"), EXIT_FAIL);
	CHECK_ST("last.kind", "error");
	CHECK_ST("last.dirty", "no");
	CHECK_HAS("run/t1.status", "Unable to setup memory");
	/* Every end put the host back. */
	ATF_CHECK_EQ(lines("run/bhyve.runs"), 8);
	check_host_back();
}

/* Killed from outside: a signal ptvm did not send is a crash. */
ATF_TC_WITHOUT_HEAD(killed_from_outside);
ATF_TC_BODY(killed_from_outside, tc)
{
	pid_t sv;
	int bpid;

	lifehost("");
	ctl("action=run");
	sv = bg_start(false, "running");
	bpid = atoi(st("pid"));
	ATF_REQUIRE(bpid > 0);
	ATF_REQUIRE(kill(bpid, SIGKILL) == 0);
	ATF_CHECK_EQ(bg_end(sv), EXIT_FAIL);
	CHECK_ST("state", "stopped");
	CHECK_ST("last.kind", "signal");
	CHECK_ST("last.dirty", "yes");
	CHECK_HAS("run/dirty", "pci0:6:0:0");
	/* Not destroyed by bhyve itself: the supervisor did it. */
	CHECK_HAS("journal", "bhyvectl --destroy --vm=t1");
	check_host_back();
}

/*
 * Reboots restart the VM; endless reboots are a loop that stops it
 * (was tests/cli/life_test reboot_loop).
 */
ATF_TC_WITHOUT_HEAD(reboot_loop);
ATF_TC_BODY(reboot_loop, tc)
{
	pid_t sv;
	int i;

	lifehost("");
	ctl("action=reboot\ncount=2");
	sv = bg_start(false, "running");
	/* Running again once the third run runs, after two reboots. */
	for (i = 0; i < 2000 && strcmp(st("restarts"), "2") != 0; i++)
		usleep(5000);
	wait_state("running");
	CHECK_ST("restarts", "2");
	ATF_CHECK_EQ(lines("run/bhyve.runs"), 3);
	CHECK_HAS("log/t1.log", "bhyve rebooted; on_reboot=restart");
	CHECK_HAS("log/t1.log", "starting the VM again");
	stop_bg(sv);
	/* Five restarts within 120 s, then it stops. */
	(void)unlink("h/run/bhyve.reboots");
	(void)unlink("h/run/bhyve.runs");
	ctl("action=reboot\ncount=100");
	reported[0] = '\0';
	ATF_CHECK_EQ(start_fg(false), EXIT_FAIL);
	CHECK_SAID("restart loop: 5 restarts within 120 s");
	ATF_CHECK_EQ(lines("run/bhyve.runs"), 6);
	CHECK_ST("state", "stopped");
	CHECK_ST("last.dirty", "no");
	check_host_back();
}

/*
 * on_crash=restart does not restart onto dirty devices; start refuses
 * them; --ignore-dirty starts anyway (was life_test crash_restart_dirty).
 */
ATF_TC_WITHOUT_HEAD(dirty_marks);
ATF_TC_BODY(dirty_marks, tc)
{
	struct vmstate vs;
	pid_t sv;

	lifehost("on_crash=restart\n");
	ctl("action=crash");
	ATF_CHECK_EQ(start_fg(false), EXIT_FAIL);
	ATF_CHECK_MSG(strstr(reported, "not restarting: bhyve") != NULL &&
	    strstr(reported, "dirty") != NULL, "%s", reported);
	ATF_CHECK_EQ(lines("run/bhyve.runs"), 1);
	CHECK_HAS("run/dirty", "pci0:6:0:0 ");
	CHECK_HAS("run/dirty", " t1 ");
	vmstate_read(&eng, host(), "t1", &vs);
	ATF_CHECK(vs.dirty.n == 2);
	vmstate_free(&vs);
	/* Start refuses them, and runs nothing. */
	ctl("action=run");
	diags_free(&dg);
	diags_init(&dg);
	ATF_CHECK_EQ(start_fg(false), EXIT_FAIL);
	CHECK_DIAG("pci0:6:0:0 is dirty: VM t1 ended");
	CHECK_DIAG("Reboot the host, or start with --ignore-dirty");
	ATF_CHECK_EQ(lines("run/bhyve.runs"), 1);
	/* The dirty marks stay while it runs anyway. */
	diags_free(&dg);
	diags_init(&dg);
	sv = bg_start(true, "running");
	ATF_CHECK_EQ(lines("run/bhyve.runs"), 2);
	CHECK_HAS("run/dirty", "pci0:6:0:0 ");
	stop_bg(sv);
	CHECK_ST("last.kind", "poweroff");
	check_host_back();
}

/* One press, a clean power-off, the host put back (life_test start_stop). */
ATF_TC_WITHOUT_HEAD(stop_one_press);
ATF_TC_BODY(stop_one_press, tc)
{
	pid_t sv;

	lifehost("");
	sv = bg_start(false, "running");
	/* While it runs, the undo journal holds the host changes. */
	CHECK_HAS("run/t1.undo", "sysctl kern.consmute");
	ATF_CHECK_EQ(stop(0, false), EXIT_OK);
	CHECK_REP("stopping through ACPI; waiting up to 120 s");
	CHECK_REP("ACPI power button pressed (1 of 1)");
	CHECK_REP("stopped: bhyve powered off after a stop request");
	ATF_CHECK_EQ(bg_end(sv), EXIT_OK);
	ATF_CHECK_EQ(lines("run/bhyve.terms"), 1);
	CHECK_ST("state", "stopped");
	CHECK_ST("last.kind", "poweroff");
	CHECK_ST("last.dirty", "no");
	/* bhyve destroyed the VM itself on power-off (freebsd.md#B1). */
	CHECK_LACKS("journal", "bhyvectl --destroy");
	check_host_back();
	ATF_CHECK(!exists("run/t1.pid"));
	/* Stopping what does not run says so. */
	reported[0] = '\0';
	ATF_CHECK_EQ(stop(0, false), EXIT_OK);
	CHECK_REP("not running");
}

/* SIGTERM to the supervisor stops the guest gracefully. */
ATF_TC_WITHOUT_HEAD(supervisor_sigterm);
ATF_TC_BODY(supervisor_sigterm, tc)
{
	pid_t sv;

	lifehost("");
	sv = bg_start(false, "running");
	ATF_REQUIRE(kill(sv, SIGTERM) == 0);
	ATF_CHECK_EQ(bg_end(sv), EXIT_OK);
	CHECK_ST("last.kind", "poweroff");
	CHECK_HAS("log/t1.log",
	    "ptvm received signal 15: stopping the guest through ACPI");
	ATF_CHECK_EQ(lines("run/bhyve.terms"), 1);
	check_host_back();
}

/*
 * stop.acpi_presses=2: two presses, the timeout gives up without --kill
 * and kills with it; the whole 5 s and the 3 s spacing on the virtual
 * clock (was life_test two_press_timeout).
 */
ATF_TC_WITHOUT_HEAD(stop_two_presses_timeout);
ATF_TC_BODY(stop_two_presses_timeout, tc)
{
	pid_t sv;
	int bpid, i;

	lifehost("stop.acpi_presses=2\n");
	ctl("action=ignore");
	sv = bg_start(false, "running");
	bpid = atoi(st("pid"));
	ATF_CHECK_EQ(stop(5, false), EXIT_FAIL);
	CHECK_REP("pressed (1 of 2)");
	CHECK_REP("pressed (2 of 2)");
	CHECK_REP("did not power off within 5 s; it still runs");
	CHECK_DIAG("still running; stopped waiting");
	for (i = 0; i < 200 && lines("run/bhyve.terms") < 2; i++)
		usleep(5000);
	ATF_CHECK_EQ(lines("run/bhyve.terms"), 2);
	CHECK_ST("state", "running");
	ATF_CHECK(alive(bpid));
	CHECK_HAS("log/t1.log", "pressed (1 of 2)");
	reported[0] = '\0';
	ATF_CHECK_EQ(stop(1, true), EXIT_FAIL);
	CHECK_REP("killing bhyve (its devices will be marked dirty)");
	CHECK_REP("stopped: bhyve killed (SIGKILL) after a stop request");
	ATF_CHECK_EQ(bg_end(sv), EXIT_FAIL);
	CHECK_ST("last.kind", "killed");
	CHECK_ST("last.dirty", "yes");
	CHECK_HAS("run/dirty", "pci0:6:0:0 ");
	ATF_CHECK(!alive(bpid));
	check_host_back();
}

/* A guest without ACPI enabled is not sent SIGTERM (life_test). */
ATF_TC_WITHOUT_HEAD(stop_without_acpi);
ATF_TC_BODY(stop_without_acpi, tc)
{
	pid_t sv;

	lifehost("");
	ctl("acpi=no");
	sv = bg_start(false, "running");
	ATF_CHECK_EQ(stop(2, true), EXIT_FAIL);
	CHECK_REP("has not enabled ACPI yet, so SIGTERM would end bhyve at "
	    "once");
	CHECK_REP("killing bhyve");
	ATF_CHECK_EQ(bg_end(sv), EXIT_FAIL);
	ATF_CHECK(!exists("run/bhyve.terms"));
	CHECK_ST("last.kind", "killed");
	check_host_back();
}

/*
 * After SIGKILL of the supervisor: unsupervised; start refuses; stop
 * presses the button itself and waits; then bhyve killed while
 * unsupervised is lost, and host restore undoes it and marks it dirty
 * (was life_test supervisor_killed).
 */
ATF_TC_WITHOUT_HEAD(supervisor_killed);
ATF_TC_BODY(supervisor_killed, tc)
{
	struct vmstate vs;
	bool any;
	pid_t sv;
	int bpid;

	lifehost("");
	sv = bg_start(false, "running");
	bpid = atoi(st("pid"));
	ATF_REQUIRE(kill(sv, SIGKILL) == 0);
	(void)bg_end_signalled(sv);
	vmstate_read(&eng, host(), "t1", &vs);
	ATF_CHECK_STREQ(vs.state, "unsupervised");
	ATF_CHECK(!vs.supervised);
	ATF_CHECK(vs.bhyve_alive);
	vmstate_free(&vs);
	ATF_CHECK_EQ(start_fg(false), EXIT_FAIL);
	ATF_CHECK_MSG(tu_diag_has(&dg, "still runs this VM without a "
	    "supervisor") || strstr(reported, "still runs this VM without a "
	    "supervisor") != NULL, "%s", reported);
	ATF_CHECK_EQ(lines("run/bhyve.runs"), 1);
	reported[0] = '\0';
	ATF_CHECK_EQ(stop(0, false), EXIT_OK);
	CHECK_REP("no supervisor; pressed the ACPI power button");
	CHECK_REP("stopped: bhyve powered off after a stop request");
	CHECK_REP("put back kern.consmute=0");
	wait_gone(bpid);
	CHECK_ST("last.kind", "poweroff");
	CHECK_ST("last.dirty", "no");
	check_host_back();
	reported[0] = '\0';
	ATF_CHECK_EQ(restore(&any), 0);
	ATF_CHECK(!any);

	/* bhyve killed from outside while unsupervised: lost. */
	sv = bg_start(false, "running");
	bpid = atoi(st("pid"));
	ATF_REQUIRE(kill(sv, SIGKILL) == 0);
	(void)bg_end_signalled(sv);
	ATF_REQUIRE(kill(bpid, SIGKILL) == 0);
	wait_gone(bpid);
	vmstate_read(&eng, host(), "t1", &vs);
	ATF_CHECK_STREQ(vs.state, "lost");
	vmstate_free(&vs);
	diags_free(&dg);
	diags_init(&dg);
	reported[0] = '\0';
	ATF_CHECK_EQ(restore(&any), 0);
	ATF_CHECK(any);
	CHECK_REP("put back kern.consmute=0");
	CHECK_DIAG("ended unseen");
	CHECK_DIAG("marked 2 passed-through functions dirty");
	CHECK_ST("last.kind", "lost");
	CHECK_ST("last.dirty", "yes");
	CHECK_HAS("run/dirty", "pci0:6:0:0 ");
	check_host_back();
}

/*
 * stop of an unsupervised VM waits within the timeout, gives up without
 * --kill, kills with it (was life_test stop_unsupervised_waits).
 */
ATF_TC_WITHOUT_HEAD(stop_unsupervised);
ATF_TC_BODY(stop_unsupervised, tc)
{
	pid_t sv;
	int bpid;

	lifehost("");
	ctl("action=ignore");
	sv = bg_start(false, "running");
	bpid = atoi(st("pid"));
	ATF_REQUIRE(kill(sv, SIGKILL) == 0);
	(void)bg_end_signalled(sv);
	ATF_CHECK_EQ(stop(1, false), EXIT_FAIL);
	CHECK_REP("waiting up to 1 s");
	CHECK_REP("did not power off within 1 s; it still runs");
	ATF_CHECK(alive(bpid));
	reported[0] = '\0';
	ATF_CHECK_EQ(stop(1, true), EXIT_FAIL);
	CHECK_REP("killing bhyve");
	CHECK_SAID("ended unseen");
	wait_gone(bpid);
	CHECK_ST("last.kind", "lost");
	CHECK_ST("last.dirty", "yes");
	check_host_back();
}

/*
 * The kernel model's state of ./h as a fresh captured host sees it (it
 * replays DIR/journal): each function's driver, pptdevs, the console
 * mute, the modules (mods); static.
 */
static const char *
model(bool mods)
{
	static char out[1 << 14];
	static const char *const klds[] = { "vmm", "nmdm", "if_bridge",
	    "if_tap" };
	struct pci_list pl;
	struct diags d;
	struct host *h;
	char sel[64], *v;
	size_t i, n;
	bool on;

	diags_init(&d);
	ATF_REQUIRE(host_open_captured(&h, "h", &d) == 0);
	memset(&pl, 0, sizeof(pl));
	ATF_REQUIRE(h->ops->pci_list(h, &pl, &d) == 0);
	n = 0;
	out[0] = '\0';
	for (i = 0; i < pl.n; i++) {
		pci_sel_fmt(&pl.dev[i].sel, SEL_PCICONF, sel, sizeof(sel));
		/* The unit follows the order of attaches: not compared. */
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s %s\n",
		    sel, pl.dev[i].driver);
	}
	pci_list_free(&pl);
	v = NULL;
	(void)h->ops->kenv_get(h, "pptdevs", &v);
	n += (size_t)snprintf(out + n, sizeof(out) - n, "pptdevs=%s\n",
	    v != NULL ? v : "(unset)");
	free(v);
	v = NULL;
	(void)h->ops->sysctl_get(h, "kern.consmute", &v);
	n += (size_t)snprintf(out + n, sizeof(out) - n, "consmute=%s\n",
	    v != NULL ? v : "(unknown)");
	free(v);
	for (i = 0; mods && i < nitems(klds); i++) {
		on = false;
		(void)h->ops->kld_loaded(h, klds[i], &on);
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s=%d\n",
		    klds[i], on);
	}
	host_close(h);
	diags_free(&d);
	return (out);
}

static void
fresh(const char *keys)
{

	if (eng.host != NULL)
		host_close(eng.host);
	eng.host = NULL;
	diags_free(&dg);
	run("rm", "-rf", "h", NULL);
	lifehost(keys);
}

/*
 * Bind rollback at every step: each host change start makes (as a run
 * that goes well journals them: pptdevs, the detach, the modules, the
 * console mute) fails in turn (DIR/fail).  When start gives up, the
 * kernel model ends as it began (rolled back: drivers, pptdevs, the
 * console mute; a module loaded stays, as after any run); when it goes
 * on without the change (a retry, a fallback to detach -f), as a run
 * that went well leaves it (the functions stay on ppt).  Either way
 * nothing is left to undo.
 */
ATF_TC_WITHOUT_HEAD(bind_rollback_every_step);
ATF_TC_BODY(bind_rollback_every_step, tc)
{
	char steps[64][256], before[1 << 14], after[1 << 14], want[300];
	char journal[1 << 14];
	const char *j, *e, *bhyve;
	size_t nsteps, k, nfatal;
	int rv;

	lifehost("");
	ctl("action=poweroff");
	(void)snprintf(before, sizeof(before), "%s", model(false));
	ATF_CHECK_EQ(start_fg(false), EXIT_OK);
	/* What a run leaves: the functions stay on ppt, the modules in. */
	(void)snprintf(after, sizeof(after), "%s", model(false));
	ATF_CHECK(strstr(before, "pci0:6:0:0 vgapci\n") != NULL);
	ATF_CHECK(strstr(after, "pci0:6:0:0 ppt\n") != NULL);
	ATF_CHECK(strstr(after, "consmute=0\n") != NULL);
	ATF_CHECK(strstr(model(true), "vmm=1\nnmdm=1\n") != NULL);
	/* The steps: every journaled change but running bhyve itself. */
	(void)snprintf(journal, sizeof(journal), "%s", slurp("journal"));
	ATF_REQUIRE((bhyve = strstr(journal, "\nbhyve -k ")) != NULL);
	nsteps = 0;
	for (j = journal; j < bhyve && nsteps < nitems(steps);
	    j = *e != '\0' ? e + 1 : e) {
		e = strchr(j, '\n');
		if (e == NULL)
			e = j + strlen(j);
		if (*j == '#' || e == j || strncmp(j, "bhyve ", 6) == 0 ||
		    strncmp(j, "bhyvectl ", 9) == 0)
			continue;
		(void)snprintf(steps[nsteps++], sizeof(steps[0]), "%.*s",
		    (int)(e - j), j);
	}
	ATF_REQUIRE_MSG(nsteps >= 4, "only %zu steps:\n%s", nsteps,
	    slurp("journal"));
	nfatal = 0;
	for (k = 0; k < nsteps; k++) {
		fresh("");
		ctl("action=poweroff");
		put("h/fail", "w", "%s: ENXIO\n", steps[k]);
		rv = start_fg(false);
		(void)snprintf(want, sizeof(want), "# failed (ENXIO): %s\n",
		    steps[k]);
		ATF_CHECK_MSG(has("journal", want), "step %zu \"%s\" never "
		    "failed:\n%s", k, steps[k], slurp("journal"));
		ATF_CHECK_MSG(strcmp(model(false), rv == EXIT_OK ? after :
		    before) == 0, "failing \"%s\" (start %d) left the host "
		    "as\n%s\nnot\n%s\njournal:\n%s", steps[k], rv, model(false),
		    rv == EXIT_OK ? after : before, slurp("journal"));
		ATF_CHECK_MSG(!exists("run/t1.undo"), "failing \"%s\" left "
		    "an undo journal:\n%s", steps[k], slurp("run/t1.undo"));
		if (rv != EXIT_OK) {
			nfatal++;
			ATF_CHECK_MSG(lines("run/bhyve.runs") == 0, "bhyve ran "
			    "after \"%s\" failed", steps[k]);
			CHECK_SAID(steps[k]);
		}
	}
	/* The GPU's detach and ppt attach at least stop start. */
	ATF_CHECK_MSG(nfatal >= 2, "only %zu of %zu failures stopped start",
	    nfatal, nsteps);
}

/*
 * host restore after the supervisor and bhyve were both killed: the
 * undo journal is replayed, with unbind the functions go back to their
 * drivers, and the kernel model is as before the start; a second
 * restore has nothing to do.
 */
ATF_TC_WITHOUT_HEAD(host_restore_unbind);
ATF_TC_BODY(host_restore_unbind, tc)
{
	char before[1 << 14];
	bool any;
	pid_t sv;
	int bpid;

	lifehost("");
	(void)snprintf(before, sizeof(before), "%s", model(false));
	sv = bg_start(false, "running");
	bpid = atoi(st("pid"));
	ATF_CHECK(strstr(model(false), "pci0:6:0:0 ppt\n") != NULL);
	ATF_CHECK(strstr(model(false), "consmute=1\n") != NULL);
	ATF_REQUIRE(kill(sv, SIGKILL) == 0);
	(void)bg_end_signalled(sv);
	ATF_REQUIRE(kill(bpid, SIGKILL) == 0);
	wait_gone(bpid);
	ATF_CHECK(exists("run/t1.undo"));
	reaping = true;
	ATF_CHECK_EQ(eng_host_restore(&eng, true, &any, rep, NULL), 0);
	reaping = false;
	ATF_CHECK(any);
	CHECK_REP("put back kern.consmute=0");
	CHECK_REP("gave pci0:6:0:0 back to its host driver");
	CHECK_SAID("ended unseen");
	ATF_CHECK_MSG(strcmp(model(false), before) == 0, "restore left\n%s\n"
	    "not\n%s", model(false), before);
	ATF_CHECK(!exists("run/t1.undo"));
	CHECK_ST("last.kind", "lost");
	CHECK_ST("last.dirty", "yes");
	reported[0] = '\0';
	ATF_CHECK_EQ(restore(&any), 0);
	ATF_CHECK(!any);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, start_poweroff);
	ATF_TP_ADD_TC(tp, exit_policies);
	ATF_TP_ADD_TC(tp, killed_from_outside);
	ATF_TP_ADD_TC(tp, reboot_loop);
	ATF_TP_ADD_TC(tp, dirty_marks);
	ATF_TP_ADD_TC(tp, stop_one_press);
	ATF_TP_ADD_TC(tp, supervisor_sigterm);
	ATF_TP_ADD_TC(tp, stop_two_presses_timeout);
	ATF_TP_ADD_TC(tp, stop_without_acpi);
	ATF_TP_ADD_TC(tp, supervisor_killed);
	ATF_TP_ADD_TC(tp, stop_unsupervised);
	ATF_TP_ADD_TC(tp, bind_rollback_every_step);
	ATF_TP_ADD_TC(tp, host_restore_unbind);
	return (atf_no_error());
}
