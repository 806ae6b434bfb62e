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
#include <signal.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host.h"

extern char **environ;

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
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (errno);
	if (fstat(fd, &sb) != 0 || S_ISDIR(sb.st_mode)) {
		e = S_ISDIR(sb.st_mode) ? EISDIR : errno;
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

int
sys_write_atomic(const char *path, const char *data, size_t len, int mode)
{
	char tmp[PATH_MAX];
	size_t off;
	ssize_t w;
	int fd, e;

	if (snprintf(tmp, sizeof(tmp), "%s.ptvm.XXXXXX", path) >=
	    (int)sizeof(tmp))
		return (ENAMETOOLONG);
	if ((fd = mkstemp(tmp)) < 0)
		return (errno);
	e = 0;
	for (off = 0; off < len; off += (size_t)w) {
		w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0) {
			e = w < 0 ? errno : EIO;
			break;
		}
	}
	return (sys_atomic_commit(fd, tmp, path, mode, e));
}

/*
 * Finishes an atomic write: fd holds the new contents in the temporary
 * file tmp.  Unless e already says it failed, sets the mode, syncs, and
 * renames tmp over path; on any failure tmp is removed and path is left
 * as it was.  Closes fd.  Returns the first error.
 */
int
sys_atomic_commit(int fd, const char *tmp, const char *path, int mode, int e)
{

	if (e == 0 && fchmod(fd, (mode_t)mode) != 0)
		e = errno;
	if (e == 0 && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && e == 0)
		e = errno;
	if (e == 0 && rename(tmp, path) != 0)
		e = errno;
	if (e != 0)
		(void)unlink(tmp);
	return (e);
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

int
sys_spawn_wait(const char *path, char *const *argv, int *status)
{
	pid_t pid;
	int e, st;

	e = posix_spawn(&pid, path, NULL, NULL, argv, environ);
	if (e != 0)
		return (e);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return (errno);
	if (WIFEXITED(st))
		*status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		*status = -WTERMSIG(st);	/* host_proc_set() */
	else
		*status = 255;
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
 * and input are ptvm's.
 */
int
sys_spawn_output(const char *path, char *const *argv, size_t max,
    int *status, char **out, size_t *outlen)
{
	posix_spawn_file_actions_t fa;
	char *b, *nb, drop[4096];
	size_t n, cap;
	ssize_t r;
	pid_t pid;
	int p[2], e, st;

	*out = NULL;
	*outlen = 0;
	if (pipe(p) != 0)
		return (errno);
	(void)fcntl(p[0], F_SETFD, FD_CLOEXEC);
	if ((e = posix_spawn_file_actions_init(&fa)) != 0) {
		close(p[0]);
		close(p[1]);
		return (e);
	}
	if ((e = posix_spawn_file_actions_adddup2(&fa, p[1], 1)) == 0 &&
	    (e = posix_spawn_file_actions_addclose(&fa, p[1])) == 0)
		e = posix_spawn(&pid, path, &fa, NULL, argv, environ);
	(void)posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (e != 0) {
		close(p[0]);
		return (e);
	}
	cap = 4096;
	n = 0;
	if ((b = malloc(cap + 1)) == NULL)
		e = ENOMEM;
	for (;;) {
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
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			st = 255 << 8;
			break;
		}
	if (WIFEXITED(st))
		*status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		*status = -WTERMSIG(st);	/* host_proc_set() */
	else
		*status = 255;
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

/* stat(2) that follows links; reg_as_dev: a regular file stands for a device. */
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
