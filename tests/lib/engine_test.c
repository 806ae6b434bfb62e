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
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <time.h>
#include <unistd.h>

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

static void
vc_sleep(void *arg, unsigned ms)
{

	(void)arg;
	vclock += ms;
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
	n = fread(buf[k][0] == '\0' ? buf[k] : buf[k], 1,
	    sizeof(buf[k]) - 1, fp);
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

/* The host as it began: nothing bound, nothing journaled undone. */
static void
check_host_back(void)
{

	CHECK_HAS("journal", "sysctl kern.consmute=0");
	ATF_CHECK(!exists("run/t1.undo"));
	ATF_CHECK(!exists("run/t1.pid"));
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

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, start_poweroff);
	return (atf_no_error());
}
