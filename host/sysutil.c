/*
 * sysutil.c: portable POSIX helpers shared by both host implementations:
 * bounded file reads, atomic file writes, directory creation, and running
 * programs with posix_spawn(3) and an argument vector (never a shell).
 */
#include "compat.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "sysutil.h"

extern char **environ;

/*
 * Files.  ptvm runs as root and the paths it is given may lie in
 * directories other users own, so (freebsd.md#F1 to F5):
 *  - a read opens with O_NONBLOCK (a FIFO does not block the open) after
 *    stat(2) said regular file, and refuses unless fstat(2) of the
 *    descriptor says so too, before any read.  Reads follow symbolic
 *    links: what a link names is read, which is harmless.
 *  - a write never goes through a symbolic link: a new file is created
 *    beside the target with O_CREAT | O_EXCL | O_NOFOLLOW and a random
 *    name, filled, given its mode and the replaced file's owner through
 *    the descriptor (fchown, fchmod), synced, and renamed over the
 *    target; a target that is a link or not a regular file is refused.
 *  - an append-only log is opened with O_NOFOLLOW | O_NONBLOCK and must
 *    be a regular file.
 */

const char *
sys_strerror(int e)
{

	switch (e) {
	case SYS_ESYMLINK:
		return ("is a symbolic link: ptvm does not write through one "
		    "(remove the link, or give the path of the file it "
		    "names)");
	case SYS_EFIFO:
		return ("is a FIFO, not a regular file");
	case SYS_ESOCK:
		return ("is a socket, not a regular file");
	case SYS_ECHR:
		return ("is a character device, not a regular file");
	case SYS_EBLK:
		return ("is a block device, not a regular file");
	case SYS_EDIR:
		return ("is a directory, not a regular file");
	case SYS_ENOTREG:
		return ("is not a regular file");
	default:
		return (strerror(e));
	}
}

/* The error for a file of mode m that is not a regular file (or 0). */
static int
ftype_err(mode_t m)
{

	if (S_ISREG(m))
		return (0);
	if (S_ISLNK(m))
		return (SYS_ESYMLINK);
	if (S_ISFIFO(m))
		return (SYS_EFIFO);
	if (S_ISSOCK(m))
		return (SYS_ESOCK);
	if (S_ISCHR(m))
		return (SYS_ECHR);
	if (S_ISBLK(m))
		return (SYS_EBLK);
	if (S_ISDIR(m))
		return (SYS_EDIR);
	return (SYS_ENOTREG);
}

/* Clears O_NONBLOCK again, keeping the other status flags. */
static int
fd_blocking(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1)
		return (errno);
	return (0);
}

/*
 * Opens a regular file for reading; *fdp is the descriptor.  Anything
 * else (a FIFO, a device, a directory) is refused without blocking, and
 * devices are never opened at all unless one replaced the file between
 * the stat and the open.
 */
int
sys_open_read(const char *path, int *fdp)
{
	struct stat sb, fsb;
	int fd, e;

	*fdp = -1;
	if (stat(path, &sb) != 0)
		return (errno);
	if ((e = ftype_err(sb.st_mode)) != 0)
		return (e);
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC)) < 0)
		return (errno);
	if (fstat(fd, &fsb) != 0)
		e = errno;
	else if ((e = ftype_err(fsb.st_mode)) == 0)
		e = fd_blocking(fd);
	if (e != 0) {
		(void)close(fd);
		return (e);
	}
	*fdp = fd;
	return (0);
}

int
sys_read_file(const char *path, size_t max, char **buf, size_t *len)
{
	struct stat sb;
	char *b, *nb;
	size_t n, cap;
	ssize_t r;
	int fd, e;

	*buf = NULL;
	*len = 0;
	if ((e = sys_open_read(path, &fd)) != 0)
		return (e);
	if (fstat(fd, &sb) != 0) {
		e = errno;
		close(fd);
		return (e);
	}
	cap = sb.st_size > 0 && (uintmax_t)sb.st_size < max ?
	    (size_t)sb.st_size + 1 : 8192;
	b = NULL;
	n = 0;
	e = 0;
	for (;;) {
		if (b == NULL || n == cap) {
			if (b != NULL && cap > max) {
				e = EFBIG;
				break;
			}
			if (b != NULL)
				cap *= 2;
			if ((nb = realloc(b, cap + 1)) == NULL) {
				e = ENOMEM;
				break;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			e = r < 0 ? errno : 0;
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	if (e == 0 && n > max)
		e = EFBIG;
	if (e != 0) {
		free(b);
		return (e);
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return (0);
}

/*
 * Opens (creating it with mode) a log that is only ever appended to:
 * never through a symbolic link, a regular file only, and a FIFO planted
 * there does not block the open (freebsd.md#F2: ENXIO without a reader).
 */
int
sys_open_append(const char *path, int mode, int *fdp)
{
	struct stat sb;
	int fd, e;

	*fdp = -1;
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_NONBLOCK | O_NOCTTY | O_CLOEXEC, (mode_t)mode)) < 0) {
		e = errno;
		/* FreeBSD says EMLINK for O_NOFOLLOW (F1), POSIX ELOOP. */
		if (lstat(path, &sb) == 0 && (e = ftype_err(sb.st_mode)) == 0)
			e = errno;
		return (e);
	}
	if (fstat(fd, &sb) != 0)
		e = errno;
	else if ((e = ftype_err(sb.st_mode)) == 0)
		e = fd_blocking(fd);
	if (e != 0) {
		(void)close(fd);
		return (e);
	}
	*fdp = fd;
	return (0);
}

/*
 * Whether path may be written: absent, or a regular file.  *sb is its
 * lstat(2) when it exists (*exists).
 */
static int
target_check(const char *path, struct stat *sb, bool *exists)
{

	*exists = false;
	if (lstat(path, sb) != 0)
		return (errno == ENOENT ? 0 : errno);
	*exists = true;
	return (ftype_err(sb->st_mode));
}

/*
 * Creates the temporary file for an atomic write of path: in path's
 * directory, "PATH.ptvm.XXXXXXXXXX" with a random suffix, by O_CREAT |
 * O_EXCL | O_NOFOLLOW and mode 0600, so nothing that already exists
 * there (a link planted in advance) is ever opened.  Refuses at once
 * when path itself is a symbolic link or not a regular file.
 */
int
sys_atomic_open(const char *path, char *tmp, size_t tmplen, int *fdp)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	struct stat sb;
	unsigned char rnd[10];
	size_t off, i;
	bool exists;
	int try, e;

	*fdp = -1;
	if ((e = target_check(path, &sb, &exists)) != 0)
		return (e);
	if ((size_t)snprintf(tmp, tmplen, "%s.ptvm.%10s", path, "") >= tmplen)
		return (ENAMETOOLONG);
	off = strlen(tmp) - sizeof(rnd);
	for (try = 0; try < 100; try++) {
		arc4random_buf(rnd, sizeof(rnd));
		for (i = 0; i < sizeof(rnd); i++)
			tmp[off + i] = set[rnd[i] % (sizeof(set) - 1)];
		*fdp = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_NOCTTY | O_CLOEXEC, 0600);
		if (*fdp >= 0)
			return (0);
		if (errno != EEXIST)
			return (errno);
	}
	return (EEXIST);
}

/*
 * Finishes an atomic write: fd holds the new contents in the temporary
 * file tmp (sys_atomic_open).  Unless e already says it failed: takes
 * the owner and group of the file it replaces (and with SYS_WF_KEEPMODE
 * its permission bits, set-id bits dropped; else mode), all through the
 * descriptor, syncs it, renames it over path (SYS_WF_EXCL: links it,
 * which fails when path exists), and syncs the directory.  A path that
 * became a symbolic link or not a regular file is refused.  On any
 * failure tmp is removed and path is left as it was.  Closes fd.
 * Returns the first error.
 */
int
sys_atomic_commit(int fd, const char *tmp, const char *path, int mode,
    int flags, int e)
{
	struct stat sb, nsb;
	char dir[PATH_MAX], *slash;
	bool exists;
	int dfd;

	exists = false;
	if (e == 0 && (e = target_check(path, &sb, &exists)) == 0 && exists) {
		if ((flags & SYS_WF_EXCL) != 0)
			e = EEXIST;
		else if ((flags & SYS_WF_KEEPMODE) != 0)
			mode = (int)(sb.st_mode & 0777);
	}
	/* fchown first: it may clear set-id bits that fchmod then sets. */
	if (e == 0 && exists && fstat(fd, &nsb) == 0 &&
	    (nsb.st_uid != sb.st_uid || nsb.st_gid != sb.st_gid) &&
	    fchown(fd, sb.st_uid, sb.st_gid) != 0 && geteuid() == 0)
		e = errno;
	if (e == 0 && fchmod(fd, (mode_t)mode) != 0)
		e = errno;
	if (e == 0 && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && e == 0)
		e = errno;
	if (e == 0 && (flags & SYS_WF_EXCL) != 0) {
		if (link(tmp, path) != 0)
			e = errno;
		(void)unlink(tmp);
	} else if (e == 0 && rename(tmp, path) != 0)
		e = errno;
	if (e != 0) {
		(void)unlink(tmp);
		return (e);
	}
	/* The new name is durable once the directory is synced. */
	if (strlcpy(dir, path, sizeof(dir)) < sizeof(dir)) {
		if ((slash = strrchr(dir, '/')) == NULL)
			(void)strlcpy(dir, ".", sizeof(dir));
		else if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
		if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
			(void)fsync(dfd);
			(void)close(dfd);
		}
	}
	return (0);
}

int
sys_write_file(const char *path, const void *data, size_t len, int mode,
    int flags)
{
	char tmp[PATH_MAX];
	const char *p;
	size_t off;
	ssize_t w;
	int fd, e;

	if ((e = sys_atomic_open(path, tmp, sizeof(tmp), &fd)) != 0)
		return (e);
	p = data;
	for (off = 0; off < len; off += (size_t)w) {
		w = write(fd, p + off, len - off);
		if (w < 0 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0) {
			e = w < 0 ? errno : EIO;
			break;
		}
	}
	return (sys_atomic_commit(fd, tmp, path, mode, flags, e));
}

int
sys_write_atomic(const char *path, const char *data, size_t len, int mode)
{

	return (sys_write_file(path, data, len, mode, 0));
}

int
sys_mkdir_p(const char *path, int mode)
{
	char buf[PATH_MAX], *p;

	if (strlcpy(buf, path, sizeof(buf)) >= sizeof(buf))
		return (ENAMETOOLONG);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, (mode_t)mode) != 0 && errno != EEXIST)
			return (errno);
		*p = '/';
	}
	if (mkdir(buf, (mode_t)mode) != 0 && errno != EEXIST)
		return (errno);
	return (0);
}

/*
 * Programs.  A program with a time limit runs in a process group of its
 * own (freebsd.md#F6), so that when the time is up SIGTERM and then
 * SIGKILL reach it and whatever it started; the time is measured on the
 * monotonic clock.  PTVM_TIMEOUT_SCALE multiplies every limit (the tests
 * shorten them).
 */
#define SYS_GRACE_MS	2000	/* from SIGTERM to SIGKILL */
#define SYS_REAP_MS	5000	/* from SIGKILL to giving up on it */

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

unsigned
sys_timeout_ms(unsigned secs)
{
	const char *s;
	char *end;
	double f, ms;

	ms = (double)secs * 1000;
	if ((s = getenv("PTVM_TIMEOUT_SCALE")) != NULL && *s != '\0') {
		f = strtod(s, &end);
		if (*end == '\0' && f > 0 && f <= 1000)
			ms *= f;
	}
	if (ms < 50)
		ms = 50;
	if (ms > (double)UINT_MAX / 2)
		ms = (double)UINT_MAX / 2;
	return ((unsigned)ms);
}

static void
proc_done(struct host_proc *pr, int st)
{

	if (WIFEXITED(st))
		pr->status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st)) {
		pr->signal = WTERMSIG(st);
		pr->status = 128 + pr->signal;
	} else
		pr->status = 255;
}

/*
 * Waits for pid until the monotonic time deadline (0: for ever).  0 with
 * *st, ETIMEDOUT, or an errno value.
 */
static int
wait_until(pid_t pid, uint64_t deadline, int *st)
{
	struct timespec ts;
	uint64_t now, step;
	pid_t r;

	step = 1;
	for (;;) {
		r = waitpid(pid, st, deadline == 0 ? 0 : WNOHANG);
		if (r == pid)
			return (0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return (errno);
		}
		if ((now = mono_ms()) >= deadline)
			return (ETIMEDOUT);
		if (step > deadline - now)
			step = deadline - now;
		ts.tv_sec = (time_t)(step / 1000);
		ts.tv_nsec = (long)(step % 1000) * 1000000L;
		(void)nanosleep(&ts, NULL);
		if (step < 50)
			step *= 2;
	}
}

/* The time is up: SIGTERM, a grace period, SIGKILL, then reaps. */
static void
proc_kill(pid_t pid, struct host_proc *pr)
{
	int st;

	pr->timedout = true;
	(void)kill(-pid, SIGTERM);
	if (wait_until(pid, mono_ms() + sys_timeout_ms(SYS_GRACE_MS / 1000),
	    &st) == 0) {
		(void)kill(-pid, SIGKILL);	/* what it started */
		proc_done(pr, st);
		return;
	}
	(void)kill(-pid, SIGKILL);
	if (wait_until(pid, mono_ms() + sys_timeout_ms(SYS_REAP_MS / 1000),
	    &st) == 0)
		proc_done(pr, st);
	else {
		/* In the kernel for good: init reaps it once ptvm exits. */
		pr->stuck = true;
		pr->signal = SIGKILL;
		pr->status = 128 + SIGKILL;
	}
}

static void
proc_init(struct host_proc *pr, unsigned secs)
{

	pr->status = 0;
	pr->signal = 0;
	pr->timedout = pr->stuck = false;
	pr->limit_ms = secs == 0 ? 0 : sys_timeout_ms(secs);
}

/*
 * Starts path with argv; outfd -1: standard input, output and error are
 * ptvm's; else stdout goes to outfd and stdin and stderr to /dev/null.
 * With a limit (pgrp) the program gets a process group of its own.
 */
static int
proc_start(const char *path, char *const *argv, int outfd, int pipefd,
    bool pgrp, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int e;

	if ((e = posix_spawn_file_actions_init(&fa)) != 0)
		return (e);
	if ((e = posix_spawnattr_init(&at)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return (e);
	}
	if (outfd >= 0 && ((e = posix_spawn_file_actions_addopen(&fa,
	    STDIN_FILENO, "/dev/null", O_RDONLY, 0)) != 0 ||
	    (e = posix_spawn_file_actions_adddup2(&fa, outfd,
	    STDOUT_FILENO)) != 0 ||
	    (e = posix_spawn_file_actions_addopen(&fa, STDERR_FILENO,
	    "/dev/null", O_WRONLY, 0)) != 0))
		goto out;
	if (pipefd >= 0 && ((e = posix_spawn_file_actions_adddup2(&fa, pipefd,
	    STDOUT_FILENO)) != 0 ||
	    (e = posix_spawn_file_actions_addclose(&fa, pipefd)) != 0))
		goto out;
	/* Nothing else of ptvm's (libdevctl's /dev/devctl2, #D9). */
	if ((e = posix_spawn_file_actions_addclosefrom_np(&fa,
	    STDERR_FILENO + 1)) != 0)
		goto out;
	if (pgrp && ((e = posix_spawnattr_setflags(&at,
	    POSIX_SPAWN_SETPGROUP)) != 0 ||
	    (e = posix_spawnattr_setpgroup(&at, 0)) != 0))
		goto out;
	e = posix_spawn(pid, path, &fa, &at, argv, environ);
out:
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return (e);
}

/*
 * Runs path with argv and waits, at most secs (scaled; 0: no limit, and
 * ptvm's process group, for an interactive program).  0 with pr filled,
 * ETIMEDOUT when the time ran out (pr says how it ended), or an errno
 * value when it could not start.
 */
int
sys_spawn_wait(const char *path, char *const *argv, int outfd, unsigned secs,
    struct host_proc *pr)
{
	pid_t pid;
	int e, st;

	proc_init(pr, secs);
	if ((e = proc_start(path, argv, outfd, -1, secs != 0, &pid)) != 0)
		return (e);
	e = wait_until(pid, secs == 0 ? 0 : mono_ms() + pr->limit_ms, &st);
	if (e == ETIMEDOUT) {
		proc_kill(pid, pr);
		return (ETIMEDOUT);
	}
	if (e != 0)
		return (e);
	proc_done(pr, st);
	return (0);
}

/*
 * Starts path without waiting: stdin /dev/null, stdout and stderr outfd,
 * a process group of its own, the usual signals at their defaults and
 * none blocked (the caller may catch or ignore them).
 */
int
sys_spawn_fd(const char *path, char *const *argv, int outfd, int *pidp)
{
	static const int defsigs[] = { SIGPIPE, SIGTERM, SIGINT, SIGHUP,
	    SIGCHLD, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, def;
	pid_t pid;
	size_t i;
	int e;

	sigemptyset(&none);
	sigemptyset(&def);
	for (i = 0; i < nitems(defsigs); i++)
		sigaddset(&def, defsigs[i]);
	if ((e = posix_spawn_file_actions_init(&fa)) != 0)
		return (e);
	if ((e = posix_spawnattr_init(&at)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return (e);
	}
	if ((e = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO,
	    "/dev/null", O_RDONLY, 0)) == 0 &&
	    (e = posix_spawn_file_actions_adddup2(&fa, outfd,
	    STDOUT_FILENO)) == 0 &&
	    (e = posix_spawn_file_actions_adddup2(&fa, outfd,
	    STDERR_FILENO)) == 0 &&
	    /*
	     * bhyve runs as root with a guest behind it: it must not
	     * inherit libdevctl's /dev/devctl2 or any other descriptor of
	     * ptvm's (freebsd.md#D9).
	     */
	    (e = posix_spawn_file_actions_addclosefrom_np(&fa,
	    STDERR_FILENO + 1)) == 0 &&
	    (e = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)) == 0 &&
	    (e = posix_spawnattr_setpgroup(&at, 0)) == 0 &&
	    (e = posix_spawnattr_setsigmask(&at, &none)) == 0 &&
	    (e = posix_spawnattr_setsigdefault(&at, &def)) == 0)
		e = posix_spawn(&pid, path, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (e == 0)
		*pidp = (int)pid;
	return (e);
}

/* Whether a process exists (it may belong to another user). */
bool
sys_pid_alive(int pid)
{

	if (pid <= 0)
		return (false);
	return (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/*
 * Runs path with argv, its standard output read through a pipe into *out
 * (NUL-terminated, at most max bytes; beyond that the rest is read and
 * dropped, and EFBIG returned once the program ended).  Standard error
 * and input are ptvm's.  At most secs (scaled) for all of it, as
 * sys_spawn_wait().
 */
int
sys_spawn_output(const char *path, char *const *argv, size_t max,
    unsigned secs, struct host_proc *pr, char **out, size_t *outlen)
{
	struct pollfd pfd;
	char *b, *nb, drop[4096];
	uint64_t deadline, now;
	size_t n, cap;
	ssize_t r;
	pid_t pid;
	int p[2], e, st, pe;

	*out = NULL;
	*outlen = 0;
	proc_init(pr, secs);
	if (secs == 0)
		return (EINVAL);
	if (pipe(p) != 0)
		return (errno);
	(void)fcntl(p[0], F_SETFD, FD_CLOEXEC);
	e = proc_start(path, argv, -1, p[1], true, &pid);
	close(p[1]);
	if (e != 0) {
		close(p[0]);
		return (e);
	}
	deadline = mono_ms() + pr->limit_ms;
	cap = 4096;
	n = 0;
	if ((b = malloc(cap + 1)) == NULL)
		e = ENOMEM;
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		if ((now = mono_ms()) >= deadline) {
			e = ETIMEDOUT;
			break;
		}
		pe = poll(&pfd, 1, (int)(deadline - now));
		if (pe < 0 && errno == EINTR)
			continue;
		if (pe < 0) {
			e = e == 0 ? errno : e;
			break;
		}
		if (pe == 0)
			continue;
		if (e == 0 && n == cap) {
			if (cap > max)
				e = EFBIG;
			else if ((nb = realloc(b, cap * 2 + 1)) == NULL)
				e = ENOMEM;
			else {
				b = nb;
				cap *= 2;
			}
		}
		if (e == 0)
			r = read(p[0], b + n, cap - n);
		else
			r = read(p[0], drop, sizeof(drop));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r < 0 && e == 0)
				e = errno;
			break;
		}
		if (e == 0)
			n += (size_t)r;
	}
	close(p[0]);
	if (e == ETIMEDOUT ||
	    (pe = wait_until(pid, deadline, &st)) == ETIMEDOUT) {
		proc_kill(pid, pr);
		free(b);
		return (ETIMEDOUT);
	}
	if (pe != 0)
		pr->status = 255;
	else
		proc_done(pr, st);
	if (e == 0 && n > max)
		e = EFBIG;
	if (e != 0) {
		free(b);
		return (e);
	}
	b[n] = '\0';
	*out = b;
	*outlen = n;
	return (0);
}

/*
 * stat(2) that follows links; reg_as_dev: a regular file stands for a
 * device.
 */
int
sys_stat(const char *path, bool reg_as_dev, struct host_stat *hs)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return (errno);
	if (S_ISREG(st.st_mode))
		hs->type = reg_as_dev ? HOST_F_CHR : HOST_F_REG;
	else if (S_ISDIR(st.st_mode))
		hs->type = HOST_F_DIR;
	else if (S_ISCHR(st.st_mode))
		hs->type = HOST_F_CHR;
	else
		hs->type = HOST_F_OTHER;
	hs->size = (uint64_t)st.st_size;
	hs->mode = (int)(st.st_mode & 07777);
	hs->dev = (uint64_t)st.st_dev;
	hs->ino = (uint64_t)st.st_ino;
	hs->mtime_ms = (int64_t)st.st_mtim.tv_sec * 1000 +
	    st.st_mtim.tv_nsec / 1000000;
	return (0);
}

static int
name_cmp(const void *a, const void *b)
{

	return (strcmp(*(char *const *)a, *(char *const *)b));
}

void
host_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The entries of a directory but "." and "..", sorted; at most 100000. */
int
sys_dir_list(const char *path, char ***out, size_t *nout)
{
	DIR *dp;
	struct dirent *de;
	char **names, **nn;
	size_t n;
	int e;

	*out = NULL;
	*nout = 0;
	if ((dp = opendir(path)) == NULL)
		return (errno);
	names = NULL;
	n = 0;
	e = 0;
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == 100000) {
			e = EFBIG;
			break;
		}
		if ((n & 31) == 0) {
			if ((nn = reallocarray(names, n + 32,
			    sizeof(*nn))) == NULL) {
				e = ENOMEM;
				break;
			}
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			e = ENOMEM;
			break;
		}
		n++;
	}
	(void)closedir(dp);
	if (e != 0) {
		host_names_free(names, n);
		return (e);
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	*out = names;
	*nout = n;
	return (0);
}
