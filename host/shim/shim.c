/*
 * shim.c: the FreeBSD shim's binding to a captured host and the Linux
 * calls host_freebsd.c makes that include/shim.h sends here (fbshim.h).
 */
#include "compat.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fbshim.h"
#include "host.h"
#include "hostop.h"
#include "hostsys.h"
#include "kmodel.h"
#include "sysutil.h"
#include "util.h"

struct shim shim;

/* Descriptors of /dev/pci and /dev/mem (real ones, on /dev/null). */
enum { SFD_PCI = 1, SFD_MEM };
struct shim_fd {
	int		 fd;
	int		 kind;
	bool		 rw;
};
#define SHIM_NFD	16
static struct shim_fd shim_fds[SHIM_NFD];

int
shim_fail(int e)
{

	errno = e;
	return (-1);
}

/*
 * The live host opened without -H (host_open_live: root "/") finds its
 * model in PTVM_SHIM_DIR, a captured host directory, on its first kernel
 * call; without it the kernel has nothing (ENOENT).
 */
struct kmodel *
shim_km(void)
{
	struct diags d;
	const char *dir;
	char *real, *run;

	if (shim.km != NULL)
		return (shim.km);
	errno = ENOENT;
	if ((dir = getenv("PTVM_SHIM_DIR")) == NULL ||
	    (real = realpath(dir, NULL)) == NULL)
		return (NULL);
	run = NULL;
	diags_init(&d);
	if (asprintf(&run, "%s/run", real) < 0 ||
	    asprintf(&shim.root, "%s/root", real) < 0 ||
	    km_open(&shim.km, real, run, &d) != 0) {
		free(real);
		free(shim.root);
		shim.root = NULL;
		shim.km = NULL;
		errno = ENOENT;
	} else
		shim.dir = real;
	free(run);
	diags_free(&d);
	return (shim.km);
}

/*
 * "ptvm -H DIR" under the shim: the live host over DIR's model.  The
 * message of a directory that is not one is the captured host's.
 */
int
host_open_captured(struct host **hp, const char *dir, struct diags *d)
{
	struct kmodel *km;
	struct stat sb;
	char *real, *run, *log, *root;
	int e;

	*hp = NULL;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		diag_err(d, dir, 0, "not a captured host directory: %s",
		    stat(dir, &sb) != 0 ? strerror(errno) :
		    "not a directory");
		return (ENOENT);
	}
	if ((real = realpath(dir, NULL)) == NULL)
		return (errno);
	run = log = root = NULL;
	if (asprintf(&run, "%s/run", real) < 0 ||
	    asprintf(&log, "%s/log", real) < 0 ||
	    asprintf(&root, "%s/root", real) < 0) {
		e = ENOMEM;
		goto out;
	}
	if ((e = km_open(&km, real, run, d)) != 0)
		goto out;
	km_close(shim.km);
	free(shim.dir);
	free(shim.root);
	shim.km = km;
	shim.dir = real;
	shim.root = root;
	real = root = NULL;
	if ((e = host_open_root(hp, shim.root, run, log, d)) != 0)
		goto out;
	if (((*hp)->dir = strdup(shim.dir)) == NULL) {
		host_close(*hp);
		*hp = NULL;
		e = ENOMEM;
	}
out:
	free(real);
	free(run);
	free(log);
	free(root);
	return (e);
}

static struct shim_fd *
shim_fd_find(int fd)
{
	size_t i;

	for (i = 0; i < SHIM_NFD; i++)
		if (shim_fds[i].kind != 0 && shim_fds[i].fd == fd)
			return (&shim_fds[i]);
	return (NULL);
}

/* kern.securelevel as the capture says it (sysctl.txt), else -1. */
static long long
shim_securelevel(void)
{
	long long n;
	size_t len;
	char *v;

	if (km_sysctl_get(shim.km, "kern.securelevel", &v, &len) != 0)
		return (-1);
	if (util_strtonum(v, -1, 3, &n) != 0)
		n = -1;
	free(v);
	return (n);
}

/*
 * /dev/pci (pci(4)): open for writing needs securelevel 0 or less
 * (pci_open, #D-ROM5); the model's host has it.  /dev/mem (mem(4)) read-only.
 */
int
shim_open(const char *path, int flags, ...)
{
	struct shim_fd *s;
	va_list ap;
	int kind, fd, mode;
	size_t i;

	mode = 0;
	if ((flags & O_CREAT) != 0) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	if (strcmp(path, "/dev/pci") == 0)
		kind = SFD_PCI;
	else if (strcmp(path, "/dev/mem") == 0)
		kind = SFD_MEM;
	else
		return (open(path, flags, mode));
	if (shim_km() == NULL || (kind == SFD_PCI && !shim.km->have_pci))
		return (shim_fail(ENOENT));
	/* A pciconf.txt that does not parse stands for no kernel. */
	if (kind == SFD_PCI && shim.km->pci_err != 0)
		return (shim_fail(EIO));
	if (kind == SFD_MEM && (flags & O_ACCMODE) != O_RDONLY)
		return (shim_fail(EACCES));
	/* pci_open: writing needs securelevel 0 or less (EPERM). */
	if (kind == SFD_PCI && (flags & O_ACCMODE) != O_RDONLY &&
	    shim_securelevel() > 0)
		return (shim_fail(EPERM));
	for (i = 0, s = NULL; i < SHIM_NFD && s == NULL; i++)
		if (shim_fds[i].kind == 0)
			s = &shim_fds[i];
	if (s == NULL)
		return (shim_fail(EMFILE));
	if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		return (-1);
	s->fd = fd;
	s->kind = kind;
	s->rw = (flags & O_ACCMODE) != O_RDONLY;
	return (fd);
}

int
shim_close(int fd)
{
	struct shim_fd *s;

	if ((s = shim_fd_find(fd)) != NULL)
		s->kind = 0;
	return (close(fd));
}

int
shim_ioctl(int fd, unsigned long req, ...)
{
	struct shim_fd *s;
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if ((s = shim_fd_find(fd)) == NULL || s->kind != SFD_PCI)
		return (shim_fail(ENOTTY));
	return (shim_pci_ioctl(s->rw, req, arg));
}

ssize_t
shim_pread(int fd, void *buf, size_t len, off_t off)
{
	struct shim_fd *s;

	if ((s = shim_fd_find(fd)) == NULL)
		return (pread(fd, buf, len, off));
	if (s->kind != SFD_MEM)
		return (shim_fail(ENODEV));
	return (shim_mem_read(buf, len, off));
}

/* DIR/tty: the terminal of standard input, output and error. */
int
shim_ttyname_r(int fd, char *buf, size_t len)
{
	char *s;
	size_t n, sl;

	if (fd < 0 || fd > 2 || shim_km() == NULL ||
	    km_read(shim.km, "tty", &s, &sl) != 0)
		return (ENOTTY);
	n = strcspn(s, "\r\n");
	if (n == 0 || memchr(s, '\0', n) != NULL) {
		free(s);
		return (ENOTTY);
	}
	s[n] = '\0';
	if ((size_t)snprintf(buf, len, "%s%s", strncmp(s, "/dev/", 5) == 0 ?
	    "" : "/dev/", s) >= len) {
		free(s);
		return (ERANGE);
	}
	free(s);
	return (0);
}

/* Waiting takes no time under the shim, as under -H. */
int
shim_nanosleep(const struct timespec *ts, struct timespec *rem)
{

	(void)ts;
	if (rem != NULL)
		rem->tv_sec = rem->tv_nsec = 0;
	return (0);
}

/*
 * The program that stands in for path: DIR/bin/NAME, only with
 * PTVM_STANDINS=1 (a capture is data; its programs never run by
 * accident).
 */
static bool
shim_standin(const char *argv0, char *path, size_t sz)
{
	const char *base, *v;
	struct stat sb;

	if (shim_km() == NULL || (v = getenv("PTVM_STANDINS")) == NULL ||
	    strcmp(v, "1") != 0)
		return (false);
	base = strrchr(argv0, '/');
	base = base != NULL ? base + 1 : argv0;
	if (base[0] == '\0' || base[0] == '.' ||
	    (size_t)snprintf(path, sz, "%s/bin/%s", shim.dir, base) >= sz)
		return (false);
	return (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    access(path, X_OK) == 0);
}

/*
 * hfb_which() looks for programs in the base and ports directories: each
 * is there on the model's FreeBSD (as under -H, where any program runs,
 * journaled); what runs is decided at the spawn.
 */
int
shim_access(const char *path, int mode)
{
	static const char *const dirs[] = { "/sbin/", "/bin/", "/usr/sbin/",
	    "/usr/bin/", "/usr/local/sbin/", "/usr/local/bin/" };
	size_t i, n;

	for (i = 0; i < nitems(dirs); i++) {
		n = strlen(dirs[i]);
		if (strncmp(path, dirs[i], n) == 0 &&
		    strchr(path + n, '/') == NULL && shim_km() != NULL)
			return (0);
	}
	return (access(path, mode));
}

/*
 * The programs whose output a captured host holds (ptvm(8) FILES; host
 * capture writes them so): their output is that file, unchanged by the
 * journal.  The host_tools[] programs are the others (host.h).
 */
static const struct {
	const char	*file;
	const char	*argv[4];
} shim_outputs[] = {
	{ "pciconf.txt",  { "/usr/sbin/pciconf", "-lbcv", NULL } },
	{ "pciconf.txt",  { "/usr/sbin/pciconf", "-lv", NULL } },
	{ "sysctl.txt",   { "/sbin/sysctl", "-a", NULL } },
	{ "topology.xml", { "/sbin/sysctl", "-n", "kern.sched.topology_spec",
	    NULL } },
	{ "kenv.txt",     { "/bin/kenv", NULL } },
	{ "kldstat.txt",  { "/sbin/kldstat", NULL } },
};

static bool
shim_argv_eq(char *const *a, const char *const *b)
{
	size_t k;

	for (k = 0; a[k] != NULL && b[k] != NULL && strcmp(a[k], b[k]) == 0;
	    k++)
		;
	return (a[k] == NULL && b[k] == NULL);
}

/* The captured output of argv (DIR/FILE); ENOENT when none. */
static int
shim_output(char *const *argv, char **out, size_t *len)
{
	size_t i;

	for (i = 0; i < nitems(shim_outputs); i++)
		if (shim_argv_eq(argv, shim_outputs[i].argv))
			return (km_read(shim.km, shim_outputs[i].file, out,
			    len));
	for (i = 0; i < HT_NTOOLS; i++)
		if (shim_argv_eq(argv, (const char *const *)host_tools[i].argv))
			return (km_read(shim.km, host_tools[i].file, out, len));
	return (ENOENT);
}

/* A program the live host runs: journaled, as the captured host does. */
static int
shim_exec(char *const *argv)
{
	struct hostop op = { .kind = HOP_EXEC,
	    .argv = (const char *const *)argv };

	if (shim_km() == NULL)
		return (ENOENT);
	return (km_change(shim.km, &op));
}

int
shim_spawn_wait(const char *path, char *const *argv, int outfd,
    unsigned secs, struct host_proc *pr)
{
	char sp[PATH_MAX];
	int e;

	char *out;
	size_t len;

	memset(pr, 0, sizeof(*pr));
	if ((e = shim_exec(argv)) != 0)
		return (e);
	if (shim_standin(path, sp, sizeof(sp)))
		return (sys_spawn_wait(sp, argv, outfd, secs, pr));
	/* What the capture holds of it is its output. */
	if (shim_output(argv, &out, &len) == 0) {
		e = outfd >= 0 && len > 0 && write(outfd, out, len) !=
		    (ssize_t)len ? EIO : 0;
		free(out);
		return (e);
	}
	/* Else the change is only journaled, as under -H. */
	return (0);
}

int
shim_spawn_fd(const char *path, char *const *argv, int outfd, int *pid)
{
	char sp[PATH_MAX];
	int e;

	if ((e = shim_exec(argv)) != 0)
		return (e);
	if (!shim_standin(path, sp, sizeof(sp)))
		return (ENOENT);
	return (sys_spawn_fd(sp, argv, outfd, pid));
}

/*
 * A reading program: never journaled.  A host_tools[] program is
 * answered from its capture, DIR/FILE, as under -H; another runs its
 * stand-in, and without one it is missing.
 */
int
shim_spawn_output(const char *path, char *const *argv, size_t max,
    unsigned secs, struct host_proc *pr, char **out, size_t *len)
{
	char sp[PATH_MAX];
	int e;

	memset(pr, 0, sizeof(*pr));
	*out = NULL;
	*len = 0;
	if (shim_km() == NULL)
		return (ENOENT);
	if ((e = shim_output(argv, out, len)) != ENOENT)
		return (e);
	if (!shim_standin(path, sp, sizeof(sp)))
		return (ENOENT);
	return (sys_spawn_output(sp, argv, max, secs, pr, out, len));
}

static int
shim_name_cmp(const void *a, const void *b)
{

	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* /dev/vmm: the model's VMs (kmodel.c km_vm_list), sorted as sys_dir_list. */
int
shim_dir_list(const char *path, char ***names, size_t *n)
{
	struct host_vm_list l;
	char **v;
	size_t i;
	int e;

	if (strcmp(path, "/dev/vmm") != 0)
		return (sys_dir_list(path, names, n));
	*names = NULL;
	*n = 0;
	if (shim_km() == NULL)
		return (ENOENT);
	if ((e = km_vm_list(shim.km, &l)) != 0)
		return (e);
	if (l.n > 0 && (v = calloc(l.n, sizeof(*v))) == NULL) {
		host_vm_list_free(&l);
		return (ENOMEM);
	}
	for (i = 0; i < l.n; i++) {
		if ((v[i] = strdup(l.vm[i].name)) == NULL) {
			host_names_free(v, i);
			host_vm_list_free(&l);
			return (ENOMEM);
		}
	}
	if (l.n > 0) {
		qsort(v, l.n, sizeof(*v), shim_name_cmp);
		*names = v;
		*n = l.n;
	}
	host_vm_list_free(&l);
	return (0);
}

/* A path under ROOT, relative to it ("/usr/local/etc"), or NULL. */
static const char *
shim_under_root(const char *path)
{
	size_t n;

	if (shim.root == NULL)
		return (NULL);
	n = strlen(shim.root);
	if (strncmp(path, shim.root, n) != 0 || path[n] != '/')
		return (NULL);
	return (path + n);
}

/* A capture holds no device nodes: a file under ROOT/dev stands in. */
int
shim_stat(const char *path, bool reg_as_dev, struct host_stat *st)
{
	const char *rel;

	rel = shim_under_root(path);
	return (sys_stat(path, reg_as_dev || (rel != NULL &&
	    strncmp(rel, "/dev/", 5) == 0), st));
}

/* A file written under ROOT is journaled as an install (-H does so). */
int
shim_write_atomic(const char *path, const char *data, size_t len, int mode)
{
	struct hostop op = { .kind = HOP_INSTALL, .mode = mode };
	char src[PATH_MAX];
	const char *rel;
	int e;

	if ((e = sys_write_atomic(path, data, len, mode)) != 0)
		return (e);
	if ((rel = shim_under_root(path)) == NULL || shim.km == NULL)
		return (0);
	snprintf(src, sizeof(src), "root%s", rel);
	op.a = src;
	op.b = rel;
	return (km_change(shim.km, &op));
}

/*
 * The clock: the captured host's, which a test harness may replace
 * (host_capture_clock(), host.h) to run the supervisor's timers without
 * waiting; the live host's now and sleep go through it under the shim.
 */
static struct host_clock shim_clock;

struct host_clock
host_capture_clock(const struct host_clock *c)
{
	struct host_clock old = shim_clock;

	if (c != NULL)
		shim_clock = *c;
	else
		memset(&shim_clock, 0, sizeof(shim_clock));
	return (old);
}

int64_t
shim_mono_ms(void)
{

	return (shim_clock.now != NULL ? shim_clock.now(shim_clock.arg) :
	    hs_mono_ms());
}

void
shim_sleep_ms(unsigned ms)
{

	if (shim_clock.sleep != NULL)
		shim_clock.sleep(shim_clock.arg, ms);
	else
		hs_sleep_ms(ms);
}

/*
 * connect(2) of the live host's reachability probe (hfb_tcp_probe): the
 * answer of DIR/reach.txt ("ADDRESS PORT open|closed" lines, as the
 * captured host reads it): 0 for open, ECONNREFUSED for closed, ENOENT
 * when the file does not say.  Nothing is ever connected.
 */
int
shim_connect(int fd, const struct sockaddr *sa, unsigned len)
{
	const struct sockaddr_in *s4;
	const struct sockaddr_in6 *s6;
	char addr[INET6_ADDRSTRLEN], path[PATH_MAX], *buf, *p, *line, *a, *pt;
	long long port, v;
	size_t n;
	int e;

	(void)fd;
	if (sa->sa_family == AF_INET && len >= sizeof(*s4)) {
		s4 = (const struct sockaddr_in *)(const void *)sa;
		(void)inet_ntop(AF_INET, &s4->sin_addr, addr, sizeof(addr));
		port = ntohs(s4->sin_port);
	} else if (sa->sa_family == AF_INET6 && len >= sizeof(*s6)) {
		s6 = (const struct sockaddr_in6 *)(const void *)sa;
		(void)inet_ntop(AF_INET6, &s6->sin6_addr, addr, sizeof(addr));
		port = ntohs(s6->sin6_port);
	} else
		return (shim_fail(EAFNOSUPPORT));
	if (shim_km() == NULL || snprintf(path, sizeof(path), "%s/reach.txt",
	    shim.dir) >= (int)sizeof(path))
		return (shim_fail(ENOENT));
	if ((e = sys_read_file(path, 1 << 20, &buf, &n)) != 0)
		return (shim_fail(e));
	e = ENOENT;
	for (p = buf; e == ENOENT && (line = strsep(&p, "\n")) != NULL;) {
		if (line[0] == '#')
			continue;
		a = strsep(&line, " \t");
		while (line != NULL && (*line == ' ' || *line == '\t'))
			line++;
		pt = strsep(&line, " \t");
		while (line != NULL && (*line == ' ' || *line == '\t'))
			line++;
		if (a == NULL || pt == NULL || line == NULL ||
		    strcmp(a, addr) != 0 || util_strtonum(pt, 1, 65535, &v) != 0 ||
		    v != port)
			continue;
		e = strncmp(line, "open", 4) == 0 ? 0 : ECONNREFUSED;
	}
	free(buf);
	return (e == 0 ? 0 : shim_fail(e));
}
