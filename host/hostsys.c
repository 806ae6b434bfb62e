/*
 * hostsys.c: the engine's own operations of the host (host.h, from
 * st_read on): runtime files, locks, descriptors, processes, the
 * control socket, the clock, local files.  The live and the captured
 * host both run the engine on a real kernel, so both tables point here
 * (HOSTSYS_OPS); what differs is the run and log directory each host
 * chose, which st_* insist on, and the captured host's clock
 * (host_capture.c, the end).
 */
#include "compat.h"

#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <libutil.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hostsys.h"

#ifdef PTVM_COVERAGE
void	__gcov_dump(void);	/* libgcov: writes the counters now */
#endif
#include "sysutil.h"

#ifndef EFTYPE
#define EFTYPE		EINVAL
#endif

/*
 * Whether path is in dir (dir itself, or below it) with no ".."
 * component: the only paths st_* take.
 */
static bool
under(const char *path, const char *dir)
{
	size_t n;

	if (dir == NULL || path == NULL)
		return (false);
	n = strlen(dir);
	if (strncmp(path, dir, n) != 0 || (path[n] != '/' && path[n] != '\0'))
		return (false);
	return (strstr(path + n, "/../") == NULL &&
	    (strlen(path) < 3 || strcmp(path + strlen(path) - 3, "/..") != 0));
}

static int
st_ok(struct host *h, const char *path)
{

	return (under(path, h->rundir) || under(path, h->logdir) ? 0 : EXDEV);
}

int
hs_st_read(struct host *h, const char *path, size_t max, char **buf,
    size_t *len)
{
	int e;

	*buf = NULL;
	*len = 0;
	if ((e = st_ok(h, path)) != 0)
		return (e);
	return (sys_read_file(path, max, buf, len));
}

int
hs_st_write(struct host *h, const char *path, const void *buf, size_t len,
    int mode, int flags)
{
	int e;

	if ((e = st_ok(h, path)) != 0)
		return (e);
	return (sys_write_file(path, buf, len, mode, flags));
}

int
hs_st_list(struct host *h, const char *path, char ***names, size_t *n)
{
	int e;

	*names = NULL;
	*n = 0;
	if ((e = st_ok(h, path)) != 0)
		return (e);
	return (sys_dir_list(path, names, n));
}

int
hs_st_stat(struct host *h, const char *path, struct host_stat *hs)
{
	int e;

	if ((e = st_ok(h, path)) != 0)
		return (e);
	return (sys_stat(path, false, hs));
}

int
hs_st_mkdir(struct host *h, const char *path, int mode)
{
	int e;

	if ((e = st_ok(h, path)) != 0)
		return (e);
	return (sys_mkdir_p(path, mode));
}

int
hs_st_remove(struct host *h, const char *path)
{
	int e;

	if ((e = st_ok(h, path)) != 0)
		return (e);
	return (unlink(path) == 0 ? 0 : errno);
}

/*
 * A regular file, not through a symbolic link, close-on-exec; with
 * O_NONBLOCK for the open only (a FIFO planted there must not block it,
 * freebsd.md#F2).
 */
int
hs_st_open(struct host *h, const char *path, int flags, int mode, int *fdp)
{
	struct stat sb;
	int fd, e;

	*fdp = -1;
	if ((e = st_ok(h, path)) != 0)
		return (e);
	if ((fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
	    (mode_t)mode)) < 0)
		return (errno);
	e = 0;
	if (fstat(fd, &sb) != 0)
		e = errno;
	else if (!S_ISREG(sb.st_mode))
		e = EFTYPE;
	else if (fcntl(fd, F_SETFL, flags & O_APPEND) != 0)
		e = errno;
	if (e != 0) {
		close(fd);
		return (e);
	}
	*fdp = fd;
	return (0);
}

int
hs_st_append(struct host *h, const char *path, int mode, int *fdp)
{
	int e;

	*fdp = -1;
	if ((e = st_ok(h, path)) != 0)
		return (e);
	return (sys_open_append(path, mode, fdp));
}

/* An exclusive flock(2) on path, made if missing, never through a link. */
int
hs_st_lock(struct host *h, const char *path, int *fdp)
{
	int fd, e;

	*fdp = -1;
	if ((e = st_ok(h, path)) != 0)
		return (e);
	if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC, 0600)) < 0)
		return (errno);
	while (flock(fd, LOCK_EX) != 0)
		if (errno != EINTR) {
			e = errno;
			close(fd);
			return (e);
		}
	*fdp = fd;
	return (0);
}

/* pidfile(3); the lock is not inherited (bhyve would outlive us with it). */
int
hs_pid_open(struct host *h, const char *path, int mode, void **pfhp,
    int *other)
{
	struct pidfh *pfh;
	pid_t o;
	int e;

	*pfhp = NULL;
	*other = 0;
	if ((e = st_ok(h, path)) != 0)
		return (e);
	o = 0;
	if ((pfh = pidfile_open(path, (mode_t)mode, &o)) == NULL) {
		e = errno;
		*other = (int)o;
		return (e);
	}
	(void)fcntl(pidfile_fileno(pfh), F_SETFD, FD_CLOEXEC);
	*pfhp = pfh;
	return (0);
}

int
hs_pid_write(struct host *h, void *pfh)
{

	(void)h;
	return (pidfile_write(pfh) == 0 ? 0 : errno);
}

void
hs_pid_close(struct host *h, void *pfh, bool remove)
{

	(void)h;
	if (pfh == NULL)
		return;
	if (remove)
		(void)pidfile_remove(pfh);
	else
		(void)pidfile_close(pfh);
}

/*
 * pidfile_open(3) holds an flock(2) on the pidfile for its owner's life;
 * a shared lock that cannot be had means it lives.
 */
int
hs_pid_held(struct host *h, const char *path, int *pid)
{
	char buf[32];
	ssize_t n;
	bool alive;
	int fd, e;

	*pid = 0;
	if ((e = st_ok(h, path)) != 0)
		return (e);
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return (ENOENT);
	alive = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	if (alive && (n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		*pid = (int)strtol(buf, NULL, 10);
	}
	close(fd);
	return (alive ? 0 : ENOENT);
}

static void
on_alarm(int sig)
{

	(void)sig;
}

/* Waits (up to secs) until the pidfile's lock is released. */
void
hs_pid_wait(struct host *h, const char *path, unsigned secs)
{
	struct sigaction sa, old;
	int fd;

	if (st_ok(h, path) != 0 || (fd = open(path, O_RDONLY | O_NONBLOCK |
	    O_NOFOLLOW | O_CLOEXEC)) < 0)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGALRM, &sa, &old);
	alarm(secs);
	(void)flock(fd, LOCK_SH);
	alarm(0);
	(void)sigaction(SIGALRM, &old, NULL);
	close(fd);
}

ssize_t
hs_fd_read(struct host *h, int fd, void *buf, size_t n)
{

	(void)h;
	return (read(fd, buf, n));
}

ssize_t
hs_fd_write(struct host *h, int fd, const void *buf, size_t n)
{

	(void)h;
	return (write(fd, buf, n));
}

ssize_t
hs_fd_pread(struct host *h, int fd, void *buf, size_t n, int64_t off)
{

	(void)h;
	return (pread(fd, buf, n, (off_t)off));
}

ssize_t
hs_fd_pwrite(struct host *h, int fd, const void *buf, size_t n, int64_t off)
{

	(void)h;
	return (pwrite(fd, buf, n, (off_t)off));
}

int
hs_fd_stat(struct host *h, int fd, struct host_stat *hs)
{
	struct stat st;

	(void)h;
	if (fstat(fd, &st) != 0)
		return (-1);
	hs->type = S_ISREG(st.st_mode) ? HOST_F_REG : S_ISDIR(st.st_mode) ?
	    HOST_F_DIR : S_ISCHR(st.st_mode) ? HOST_F_CHR : HOST_F_OTHER;
	hs->size = (uint64_t)st.st_size;
	hs->mode = (int)(st.st_mode & 07777);
	hs->dev = (uint64_t)st.st_dev;
	hs->ino = (uint64_t)st.st_ino;
	hs->mtime_ms = (int64_t)st.st_mtim.tv_sec * 1000 +
	    st.st_mtim.tv_nsec / 1000000;
	return (0);
}

int
hs_fd_truncate(struct host *h, int fd, int64_t len)
{

	(void)h;
	return (ftruncate(fd, (off_t)len));
}

int
hs_fd_close(struct host *h, int fd)
{

	(void)h;
	return (fd >= 0 ? close(fd) : 0);
}

static void
cloexec_nb(int fd, bool nb)
{

	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	if (nb)
		(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

int
hs_fd_pipe(struct host *h, int fds[2], bool nb)
{

	(void)h;
	if (pipe(fds) != 0)
		return (-1);
	cloexec_nb(fds[0], nb);
	cloexec_nb(fds[1], nb);
	return (0);
}

int
hs_fd_poll(struct host *h, struct pollfd *pfd, size_t n, int ms)
{

	(void)h;
	return (poll(pfd, (nfds_t)n, ms));
}

int
hs_proc_signal(struct host *h, int pid, int sig)
{

	(void)h;
	if (pid <= 0)
		return (EINVAL);
	return (kill((pid_t)pid, sig) == 0 ? 0 : errno);
}

int
hs_proc_reap(struct host *h, int *pid, int *status)
{
	pid_t r;
	int st;

	(void)h;
	*pid = 0;
	*status = 0;
	if ((r = waitpid(-1, &st, WNOHANG)) < 0)
		return (errno);
	if (r > 0) {
		*pid = (int)r;
		*status = st;
	}
	return (0);
}

int
hs_proc_self(struct host *h)
{

	(void)h;
	return ((int)getpid());
}

static int hs_sigw = -1;

static void
hs_onsig(int sig)
{
	unsigned char c = (unsigned char)sig;
	int save = errno;

	(void)write(hs_sigw, &c, 1);
	errno = save;
}

int
hs_sig_catch(struct host *h, const int *sigs, size_t n, int *fdp)
{
	struct sigaction sa;
	int sp[2];
	size_t i;

	(void)h;
	*fdp = -1;
	if (pipe(sp) != 0)
		return (errno);
	cloexec_nb(sp[0], true);
	cloexec_nb(sp[1], true);
	hs_sigw = sp[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = hs_onsig;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < n; i++)
		(void)sigaction(sigs[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	*fdp = sp[0];
	return (0);
}

int
hs_daemonize(struct host *h, int (*fn)(void *, int), void *arg, int *rfd)
{
	int fds[2], fd, rv;
	pid_t pid;

	(void)h;
	*rfd = -1;
	if (pipe(fds) != 0)
		return (errno);
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		rv = errno;
		close(fds[0]);
		close(fds[1]);
		return (rv);
	}
	if (pid > 0) {
		close(fds[1]);
		*rfd = fds[0];
		return (0);
	}
	close(fds[0]);
	(void)fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	(void)setsid();
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	rv = fn(arg, fds[1]);
#ifdef PTVM_COVERAGE
	/* make check-live: _exit skips gcov's exit handler. */
	__gcov_dump();
#endif
	_exit(rv);
}

int
hs_exec(struct host *h, const char *path, char *const *argv)
{

	(void)h;
	fflush(stdout);
	fflush(stderr);
	execv(path, argv);
	return (errno);
}

static int
sock_addr(const char *path, struct sockaddr_un *sun)
{

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlcpy(sun->sun_path, path, sizeof(sun->sun_path)) >=
	    sizeof(sun->sun_path))
		return (ENAMETOOLONG);
	return (0);
}

int
hs_sock_listen(struct host *h, const char *path, int *fdp)
{
	struct sockaddr_un sun;
	mode_t old;
	int fd, rc, e;

	*fdp = -1;
	if ((e = st_ok(h, path)) != 0 || (e = sock_addr(path, &sun)) != 0)
		return (e);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return (errno);
	cloexec_nb(fd, true);
	(void)unlink(path);	/* the caller's: its pidfile is locked */
	/* Mode 0600 from the start: no chmod by path after the bind. */
	old = umask(0177);
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	(void)umask(old);
	if (rc != 0 || listen(fd, 4) != 0) {
		e = errno;
		close(fd);
		return (e);
	}
	*fdp = fd;
	return (0);
}

int
hs_sock_accept(struct host *h, int lfd, int *fdp)
{
	int fd;

	(void)h;
	*fdp = -1;
	if ((fd = accept(lfd, NULL, NULL)) < 0)
		return (errno);
	cloexec_nb(fd, true);
	*fdp = fd;
	return (0);
}

int
hs_sock_connect(struct host *h, const char *path, int *fdp)
{
	struct sockaddr_un sun;
	int fd, e;

	*fdp = -1;
	if ((e = st_ok(h, path)) != 0 || (e = sock_addr(path, &sun)) != 0)
		return (e);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return (errno);
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		e = errno;
		close(fd);
		return (e);
	}
	*fdp = fd;
	return (0);
}

ssize_t
hs_sock_send(struct host *h, int fd, const void *buf, size_t n)
{

	(void)h;
	return (send(fd, buf, n, 0));
}

ssize_t
hs_sock_recv(struct host *h, int fd, void *buf, size_t n)
{

	(void)h;
	return (recv(fd, buf, n, 0));
}

int64_t
hs_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

void
hs_sleep_ms(unsigned ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int64_t
hs_now(struct host *h)
{

	(void)h;
	return (hs_mono_ms());
}

int64_t
hs_wall(struct host *h)
{
	struct timespec ts;

	(void)h;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int
hs_tzoff(struct host *h, int64_t wall)
{
	struct tm tm;
	time_t t;

	(void)h;
	t = (time_t)(wall / 1000);
	if (localtime_r(&t, &tm) == NULL)
		return (0);
	return ((int)(tm.tm_gmtoff / 60));
}

void
hs_sleep(struct host *h, unsigned ms)
{

	(void)h;
	hs_sleep_ms(ms);
}

int
hs_lf_read(struct host *h, const char *path, size_t max, char **buf,
    size_t *len)
{

	(void)h;
	return (sys_read_file(path, max, buf, len));
}

int
hs_lf_write(struct host *h, const char *path, const void *buf, size_t len,
    int mode, int flags)
{

	(void)h;
	return (sys_write_file(path, buf, len, mode, flags));
}

/* nofollow: a symbolic link is SYS_ESYMLINK, not what it names. */
int
hs_lf_stat(struct host *h, const char *path, bool nofollow,
    struct host_stat *hs)
{
	struct stat st;

	(void)h;
	if (nofollow) {
		if (lstat(path, &st) != 0)
			return (errno);
		if (S_ISLNK(st.st_mode))
			return (SYS_ESYMLINK);
	}
	return (sys_stat(path, false, hs));
}

int
hs_lf_list(struct host *h, const char *path, char ***names, size_t *n)
{

	(void)h;
	return (sys_dir_list(path, names, n));
}

int
hs_lf_mkdir(struct host *h, const char *path, int mode, bool parents)
{
	struct stat st;

	(void)h;
	if (parents)
		return (sys_mkdir_p(path, mode));
	if (mkdir(path, (mode_t)mode) == 0)
		return (0);
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return (0);
	return (errno == EEXIST ? ENOTDIR : errno);
}

#if defined(MAP_POPULATE)
#define LF_MAP_FLAGS	(MAP_PRIVATE | MAP_POPULATE)
#elif defined(MAP_PREFAULT_READ)
#define LF_MAP_FLAGS	(MAP_PRIVATE | MAP_PREFAULT_READ)
#else
#define LF_MAP_FLAGS	MAP_PRIVATE
#endif

static uint8_t lf_empty[1];

/* A regular file only, and a FIFO does not block (sys_open_read). */
int
hs_lf_map(struct host *h, const char *path, size_t max, const uint8_t **buf,
    size_t *len)
{
	struct stat st;
	void *p;
	int fd, e;

	(void)h;
	*buf = NULL;
	*len = 0;
	if ((e = sys_open_read(path, &fd)) != 0)
		return (e);
	if (fstat(fd, &st) != 0) {
		e = errno;
		(void)close(fd);
		return (e);
	}
	if ((uint64_t)st.st_size > max) {
		(void)close(fd);
		return (EFBIG);
	}
	p = st.st_size == 0 ? lf_empty : mmap(NULL, (size_t)st.st_size,
	    PROT_READ, LF_MAP_FLAGS, fd, 0);
	e = errno;
	(void)close(fd);
	if (p == MAP_FAILED)
		return (e);
	*buf = p;
	*len = (size_t)st.st_size;
	return (0);
}

void
hs_lf_unmap(struct host *h, const uint8_t *buf, size_t len)
{

	(void)h;
	if (buf != NULL && buf != lf_empty)
		(void)munmap(__DECONST(uint8_t *, buf), len);
}

int
hs_lf_realpath(struct host *h, const char *path, char *buf, size_t sz)
{
	char *r;
	int e;

	(void)h;
	if ((r = realpath(path, NULL)) == NULL)
		return (errno);
	e = strlcpy(buf, r, sz) >= sz ? ENAMETOOLONG : 0;
	free(r);
	return (e);
}

/*
 * The local host: what needs no host opened (the local files of lf_*,
 * the clock, descriptors, processes).  Its run and log directories are
 * none, so its st_* refuse every path.
 */
static const struct host_ops hs_local_ops = {
	.name = "local",
	HOSTSYS_OPS
	.fd_poll = hs_fd_poll,
	.now = hs_now,
	.sleep = hs_sleep,
};

static struct host hs_local = { .ops = &hs_local_ops };

struct host *
host_local(void)
{

	return (&hs_local);
}

int
hs_path_mkdir(char *p, int mode)
{
	struct stat sb;
	char *slash;
	int e;

	if (lstat(p, &sb) == 0)
		return (S_ISDIR(sb.st_mode) ? 0 : EEXIST);
	/* The parents as any directory of the host, the last with mode. */
	if ((slash = strrchr(p, '/')) != NULL && slash != p) {
		*slash = '\0';
		e = sys_mkdir_p(p, 0755);
		*slash = '/';
		if (e != 0)
			return (e);
	}
	if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST)
		return (errno);
	return (chmod(p, (mode_t)mode) == 0 ? 0 : errno);
}

int
hs_path_remove(const char *p)
{
	struct stat sb;

	if (lstat(p, &sb) != 0)
		return (errno);
	if (S_ISDIR(sb.st_mode))
		return (EISDIR);
	return (unlink(p) == 0 ? 0 : errno);
}
