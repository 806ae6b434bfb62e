/*
 * sysutil_test.c: the file and program helpers of host/sysutil.c that
 * every write, read and external program of ptvm goes through: no write
 * through a symbolic link, the owner of a replaced file kept, no read or
 * append that blocks on a FIFO, and a time limit on every program; and
 * the engine's operations of a host (host/hostsys.c): runtime files only
 * in the run and log directories, the captured host's clock replaceable.
 * Each case runs in its own atf work directory.
 */
#include "testutil.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "sysutil.h"

static void
put(const char *path, const char *s, mode_t mode)
{
	int fd;

	ATF_REQUIRE((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)) >= 0);
	ATF_REQUIRE(write(fd, s, strlen(s)) == (ssize_t)strlen(s));
	ATF_REQUIRE(fchmod(fd, mode) == 0);
	ATF_REQUIRE(close(fd) == 0);
}

static char *
get(const char *path)
{
	char *buf;
	size_t len;

	ATF_REQUIRE_EQ(sys_read_file(path, 1 << 20, &buf, &len), 0);
	return (buf);
}

/* The names in "." that hold ".ptvm." (a temporary file left behind). */
static int
temps_left(void)
{
	struct dirent *de;
	DIR *dp;
	int n;

	ATF_REQUIRE((dp = opendir(".")) != NULL);
	n = 0;
	while ((de = readdir(dp)) != NULL)
		if (strstr(de->d_name, ".ptvm.") != NULL)
			n++;
	closedir(dp);
	return (n);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

ATF_TC_WITHOUT_HEAD(write_refuses_a_symlink_target);
ATF_TC_BODY(write_refuses_a_symlink_target, tc)
{
	struct stat sb;
	char *s;
	int e;

	put("victim", "root's file\n", 0600);
	ATF_REQUIRE(symlink("victim", "out.rom") == 0);
	e = sys_write_file("out.rom", "new", 3, 0644, 0);
	ATF_CHECK_EQ(e, SYS_ESYMLINK);
	ATF_CHECK(strstr(sys_strerror(e), "symbolic link") != NULL);
	/* The link stays a link; what it names is untouched. */
	ATF_REQUIRE(lstat("out.rom", &sb) == 0);
	ATF_CHECK(S_ISLNK(sb.st_mode));
	ATF_REQUIRE(stat("victim", &sb) == 0);
	ATF_CHECK_EQ(sb.st_mode & 07777, 0600);
	s = get("victim");
	ATF_CHECK_STREQ(s, "root's file\n");
	free(s);
	/* The same with "never replace": the link is named, not EEXIST. */
	ATF_CHECK_EQ(sys_write_file("out.rom", "new", 3, 0644, SYS_WF_EXCL),
	    SYS_ESYMLINK);
	/* And a dangling link is no way to create a file elsewhere. */
	ATF_REQUIRE(symlink("/nonexistent-ptvm-target", "dangling") == 0);
	ATF_CHECK_EQ(sys_write_file("dangling", "x", 1, 0644, 0),
	    SYS_ESYMLINK);
	ATF_CHECK(lstat("/nonexistent-ptvm-target", &sb) != 0);
	ATF_CHECK_EQ(temps_left(), 0);
}

ATF_TC_WITHOUT_HEAD(write_refuses_non_regular_targets);
ATF_TC_BODY(write_refuses_non_regular_targets, tc)
{

	ATF_REQUIRE(mkfifo("fifo", 0600) == 0);
	ATF_CHECK_EQ(sys_write_file("fifo", "x", 1, 0644, 0), SYS_EFIFO);
	ATF_REQUIRE(mkdir("dir", 0700) == 0);
	ATF_CHECK_EQ(sys_write_file("dir", "x", 1, 0644, 0), SYS_EDIR);
	ATF_CHECK_EQ(temps_left(), 0);
}

ATF_TC_WITHOUT_HEAD(write_replaces_and_sets_mode);
ATF_TC_BODY(write_replaces_and_sets_mode, tc)
{
	struct stat sb;
	char *s;

	put("f", "old\n", 0600);
	ATF_REQUIRE_EQ(sys_write_file("f", "new\n", 4, 0644, 0), 0);
	s = get("f");
	ATF_CHECK_STREQ(s, "new\n");
	free(s);
	ATF_REQUIRE(stat("f", &sb) == 0);
	ATF_CHECK_EQ(sb.st_mode & 07777, 0644);
	/* SYS_WF_KEEPMODE: the replaced file's bits, set-id bits dropped. */
	ATF_REQUIRE(chmod("f", 04751) == 0);
	ATF_REQUIRE_EQ(sys_write_file("f", "again\n", 6, 0644,
	    SYS_WF_KEEPMODE), 0);
	ATF_REQUIRE(stat("f", &sb) == 0);
	ATF_CHECK_EQ(sb.st_mode & 07777, 0751);
	/* Without a file to replace, the mode given. */
	ATF_REQUIRE_EQ(sys_write_file("g", "", 0, 0640, SYS_WF_KEEPMODE), 0);
	ATF_REQUIRE(stat("g", &sb) == 0);
	ATF_CHECK_EQ(sb.st_mode & 07777, 0640);
	ATF_CHECK_EQ(temps_left(), 0);
}

ATF_TC_WITHOUT_HEAD(write_exclusive_never_replaces);
ATF_TC_BODY(write_exclusive_never_replaces, tc)
{
	char *s;

	ATF_REQUIRE_EQ(sys_write_file("f", "one", 3, 0644, SYS_WF_EXCL), 0);
	ATF_CHECK_EQ(sys_write_file("f", "two", 3, 0644, SYS_WF_EXCL), EEXIST);
	s = get("f");
	ATF_CHECK_STREQ(s, "one");
	free(s);
	ATF_CHECK_EQ(temps_left(), 0);
}

ATF_TC(write_keeps_the_owner);
ATF_TC_HEAD(write_keeps_the_owner, tc)
{

	atf_tc_set_md_var(tc, "descr", "a file of another user, rewritten "
	    "by root, keeps its owner and group");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(write_keeps_the_owner, tc)
{
	struct stat sb;

	put("vm.conf", "cpus=2\n", 0644);
	ATF_REQUIRE(chown("vm.conf", 4242, 4343) == 0);
	ATF_REQUIRE_EQ(sys_write_file("vm.conf", "cpus=4\n", 7, 0644,
	    SYS_WF_KEEPMODE), 0);
	ATF_REQUIRE(stat("vm.conf", &sb) == 0);
	ATF_CHECK_EQ(sb.st_uid, 4242);
	ATF_CHECK_EQ(sb.st_gid, 4343);
	ATF_CHECK_EQ(sb.st_mode & 07777, 0644);
	/* A new file is root's. */
	ATF_REQUIRE_EQ(sys_write_file("new.conf", "x", 1, 0644, 0), 0);
	ATF_REQUIRE(stat("new.conf", &sb) == 0);
	ATF_CHECK_EQ(sb.st_uid, 0);
}

ATF_TC(read_refuses_a_fifo_at_once);
ATF_TC_HEAD(read_refuses_a_fifo_at_once, tc)
{

	atf_tc_set_md_var(tc, "descr", "a FIFO where a file is read is "
	    "refused without blocking; so are devices and directories");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(read_refuses_a_fifo_at_once, tc)
{
	char *buf;
	size_t len;
	int fd;

	ATF_REQUIRE(mkfifo("rom.bin", 0600) == 0);
	ATF_CHECK_EQ(sys_read_file("rom.bin", 1 << 20, &buf, &len),
	    SYS_EFIFO);
	ATF_CHECK_STREQ(sys_strerror(SYS_EFIFO),
	    "is a FIFO, not a regular file");
	ATF_CHECK_EQ(sys_open_read("rom.bin", &fd), SYS_EFIFO);
	ATF_CHECK_EQ(fd, -1);
	/* Through a symbolic link too: reads follow links. */
	ATF_REQUIRE(symlink("rom.bin", "link.bin") == 0);
	ATF_CHECK_EQ(sys_read_file("link.bin", 1 << 20, &buf, &len),
	    SYS_EFIFO);
	ATF_CHECK_EQ(sys_read_file("/dev/null", 1 << 20, &buf, &len),
	    SYS_ECHR);
	ATF_CHECK_EQ(sys_read_file(".", 1 << 20, &buf, &len), SYS_EDIR);
	/* A regular file through a link is read. */
	put("real", "data", 0644);
	ATF_REQUIRE(symlink("real", "rl") == 0);
	ATF_REQUIRE_EQ(sys_read_file("rl", 1 << 20, &buf, &len), 0);
	ATF_CHECK_EQ(len, 4);
	free(buf);
}

ATF_TC(append_refuses_links_and_fifos);
ATF_TC_HEAD(append_refuses_links_and_fifos, tc)
{

	atf_tc_set_md_var(tc, "descr", "a log opened to append to is never "
	    "a symbolic link's target, and a FIFO does not block it");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(append_refuses_links_and_fifos, tc)
{
	struct stat sb;
	char *s;
	int fd;

	put("victim", "keep\n", 0600);
	ATF_REQUIRE(symlink("victim", "vm.log") == 0);
	ATF_CHECK_EQ(sys_open_append("vm.log", 0640, &fd), SYS_ESYMLINK);
	s = get("victim");
	ATF_CHECK_STREQ(s, "keep\n");
	free(s);
	ATF_REQUIRE(mkfifo("vm.out", 0600) == 0);
	ATF_CHECK_EQ(sys_open_append("vm.out", 0640, &fd), SYS_EFIFO);
	ATF_REQUIRE_EQ(sys_open_append("new.log", 0640, &fd), 0);
	ATF_REQUIRE(write(fd, "a\n", 2) == 2);
	ATF_REQUIRE(fstat(fd, &sb) == 0);
	ATF_CHECK(S_ISREG(sb.st_mode));
	ATF_CHECK((fcntl(fd, F_GETFL) & O_NONBLOCK) == 0);
	ATF_CHECK((fcntl(fd, F_GETFL) & O_APPEND) != 0);
	close(fd);
}

ATF_TC(program_timeout_kills_its_group);
ATF_TC_HEAD(program_timeout_kills_its_group, tc)
{

	atf_tc_set_md_var(tc, "descr", "a program that runs past its limit "
	    "gets SIGTERM in its process group, and ETIMEDOUT is returned");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(program_timeout_kills_its_group, tc)
{
	char *const av[] = { __DECONST(char *, "sh"), __DECONST(char *, "-c"),
	    __DECONST(char *, "(sleep 1; echo alive > late) & sleep 100"),
	    NULL };
	struct host_proc pr;
	char why[512], *out;
	size_t len;
	double t0;

	ATF_REQUIRE(setenv("PTVM_TIMEOUT_SCALE", "0.3", 1) == 0);
	t0 = now_s();
	ATF_CHECK_EQ(sys_spawn_wait("/bin/sh", av, -1, 1, &pr), ETIMEDOUT);
	ATF_CHECK(now_s() - t0 < 5);
	ATF_CHECK(pr.timedout);
	ATF_CHECK_EQ(pr.limit_ms, 300);
	ATF_CHECK_EQ(pr.signal, SIGTERM);
	/* What the shell started got the signal too: it never wrote. */
	usleep(1500000);
	ATF_CHECK_MSG(access("late", F_OK) != 0, "the shell's child "
	    "outlived the time limit");
	host_proc_str(av, ETIMEDOUT, &pr, why, sizeof(why));
	ATF_CHECK_MSG(strstr(why, "did not finish within 0.3 s and was "
	    "killed") != NULL, "%s", why);
	ATF_CHECK_MSG(strstr(why, "then run the command again") != NULL, "%s",
	    why);
	/* The same for a program whose output ptvm reads. */
	t0 = now_s();
	ATF_CHECK_EQ(sys_spawn_output("/bin/sh", av, 1 << 20, 1, &pr, &out,
	    &len), ETIMEDOUT);
	ATF_CHECK(now_s() - t0 < 5);
	ATF_CHECK(pr.timedout);
	ATF_CHECK(out == NULL);
}

ATF_TC_WITHOUT_HEAD(program_signal_named);
ATF_TC_BODY(program_signal_named, tc)
{
	char *const av[] = { __DECONST(char *, "sh"), __DECONST(char *, "-c"),
	    __DECONST(char *, "kill -KILL $$"), NULL };
	char *const ok[] = { __DECONST(char *, "sh"), __DECONST(char *, "-c"),
	    __DECONST(char *, "echo hi; exit 3"), NULL };
	struct host_proc pr;
	char why[512], *out;
	size_t len;

	ATF_REQUIRE_EQ(sys_spawn_wait("/bin/sh", av, -1, 10, &pr), 0);
	ATF_CHECK_EQ(pr.signal, SIGKILL);
	ATF_CHECK(!pr.timedout);
	host_proc_str(av, 0, &pr, why, sizeof(why));
	ATF_CHECK_MSG(strstr(why, "was killed by signal 9 (SIGKILL)") != NULL,
	    "%s", why);
	ATF_REQUIRE_EQ(sys_spawn_output("/bin/sh", ok, 1 << 20, 10, &pr, &out,
	    &len), 0);
	ATF_CHECK_STREQ(out, "hi\n");
	ATF_CHECK_EQ(pr.status, 3);
	ATF_CHECK_EQ(pr.signal, 0);
	free(out);
	host_proc_str(ok, 0, &pr, why, sizeof(why));
	ATF_CHECK_MSG(strstr(why, "failed with exit status 3") != NULL, "%s",
	    why);
}

ATF_TC_WITHOUT_HEAD(program_limits);
ATF_TC_BODY(program_limits, tc)
{
	char *const cu[] = { __DECONST(char *, "cu"), __DECONST(char *, "-l"),
	    __DECONST(char *, "/dev/nmdm0B"), NULL };
	char *const zl[] = { __DECONST(char *, "zfs"), __DECONST(char *,
	    "list"), NULL };
	char *const zc[] = { __DECONST(char *, "/sbin/zfs"), __DECONST(char *,
	    "destroy"), __DECONST(char *, "p/x"), NULL };
	char *const ifc[] = { __DECONST(char *, "ifconfig"), NULL };

	ATF_CHECK_EQ(host_run_timeout(cu), 0);
	ATF_CHECK_EQ(host_run_timeout(zl), HOST_RUN_TIMEOUT_QUERY);
	ATF_CHECK_EQ(host_run_timeout(zc), HOST_RUN_TIMEOUT_ZFS);
	ATF_CHECK_EQ(host_run_timeout(ifc), HOST_RUN_TIMEOUT);
	ATF_REQUIRE(unsetenv("PTVM_TIMEOUT_SCALE") == 0);
	ATF_CHECK_EQ(sys_timeout_ms(30), 30000);
	ATF_REQUIRE(setenv("PTVM_TIMEOUT_SCALE", "0.5", 1) == 0);
	ATF_CHECK_EQ(sys_timeout_ms(30), 15000);
	ATF_REQUIRE(setenv("PTVM_TIMEOUT_SCALE", "junk", 1) == 0);
	ATF_CHECK_EQ(sys_timeout_ms(30), 30000);
}

/* The engine's operations (host/hostsys.c) on a captured host. */
static struct host *
captured(void)
{
	struct host *h;
	struct diags d;

	ATF_REQUIRE(mkdir("cap", 0755) == 0);
	put("cap/pciconf.txt", "", 0644);
	diags_init(&d);
	ATF_REQUIRE_EQ(host_open_captured(&h, "cap", &d), 0);
	diags_free(&d);
	return (h);
}

static int64_t
fake_now(void *arg)
{

	return (*(int64_t *)arg);
}

static void
fake_sleep(void *arg, unsigned ms)
{

	*(int64_t *)arg += ms;
}

ATF_TC_WITHOUT_HEAD(captured_clock_is_replaceable);
ATF_TC_BODY(captured_clock_is_replaceable, tc)
{
	int64_t t = 1000000, real;
	struct host_clock c = { fake_now, fake_sleep, &t, 0 }, old;
	struct host *h;

	h = captured();
	real = h->ops->now(h);
	old = host_capture_clock(&c);
	ATF_CHECK_EQ(h->ops->now(h), 1000000);
	/* An hour of the engine's sleeping, at once. */
	h->ops->sleep(h, 3600 * 1000);
	ATF_CHECK_EQ(h->ops->now(h), 1000000 + 3600 * 1000);
	(void)host_capture_clock(&old);
	ATF_CHECK(h->ops->now(h) >= real && h->ops->now(h) < real + 60000);
	host_close(h);
}

ATF_TC_WITHOUT_HEAD(runtime_files_stay_in_their_directories);
ATF_TC_BODY(runtime_files_stay_in_their_directories, tc)
{
	struct host_stat st;
	struct host *h;
	char path[4096], *buf;
	size_t len;
	int fd;

	h = captured();
	put("outside", "x", 0644);
	ATF_CHECK_EQ(h->ops->st_read(h, "outside", 10, &buf, &len), EXDEV);
	ATF_CHECK_EQ(h->ops->st_write(h, "/tmp/ptvm-x", "x", 1, 0644, 0),
	    EXDEV);
	snprintf(path, sizeof(path), "%s/../outside", h->rundir);
	ATF_CHECK_EQ(h->ops->st_stat(h, path, &st), EXDEV);
	ATF_CHECK_EQ(h->ops->st_open(h, path, O_RDONLY, 0, &fd), EXDEV);
	ATF_CHECK_EQ(h->ops->sock_listen(h, path, &fd), EXDEV);
	ATF_REQUIRE_EQ(h->ops->st_mkdir(h, h->rundir, 0755), 0);
	snprintf(path, sizeof(path), "%s/t1.status", h->rundir);
	ATF_REQUIRE_EQ(h->ops->st_write(h, path, "x\n", 2, 0644, 0), 0);
	ATF_REQUIRE_EQ(h->ops->st_read(h, path, 10, &buf, &len), 0);
	ATF_CHECK_EQ(len, 2);
	free(buf);
	/* The local host has no run directory: every st_* path is refused. */
	ATF_CHECK_EQ(host_local()->ops->st_stat(host_local(), path, &st),
	    EXDEV);
	ATF_CHECK_EQ(host_local()->ops->lf_stat(host_local(), path, false,
	    &st), 0);
	ATF_CHECK_EQ(st.type, HOST_F_REG);
	host_close(h);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, write_refuses_a_symlink_target);
	ATF_TP_ADD_TC(tp, write_refuses_non_regular_targets);
	ATF_TP_ADD_TC(tp, write_replaces_and_sets_mode);
	ATF_TP_ADD_TC(tp, write_exclusive_never_replaces);
	ATF_TP_ADD_TC(tp, write_keeps_the_owner);
	ATF_TP_ADD_TC(tp, read_refuses_a_fifo_at_once);
	ATF_TP_ADD_TC(tp, append_refuses_links_and_fifos);
	ATF_TP_ADD_TC(tp, program_timeout_kills_its_group);
	ATF_TP_ADD_TC(tp, program_signal_named);
	ATF_TP_ADD_TC(tp, captured_clock_is_replaceable);
	ATF_TP_ADD_TC(tp, runtime_files_stay_in_their_directories);
	ATF_TP_ADD_TC(tp, program_limits);
	return (atf_no_error());
}
