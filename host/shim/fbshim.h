/*
 * fbshim.h: the FreeBSD shim's own declarations.  The shim (ptvm(8)
 * does not know it; "make check-live" builds it) runs the live host,
 * host_freebsd.c, on Linux over the kernel model (host/kmodel.h) of a
 * captured host directory DIR: "ptvm -H DIR" opens the live host with
 * DIR/root as its root, DIR/run and DIR/log as its runtime and log
 * directories, and every kernel interface it calls (/dev/pci, /dev/mem,
 * /dev/vmm, sysctl, kenv, kld, libdevctl, kern.proc) answered by the
 * model and persisted through DIR/journal, exactly as the captured host
 * does.  Programs it runs are DIR/bin's stand-ins, only under
 * PTVM_STANDINS=1.  include/shim.h renames the Linux calls that must
 * reach the model to the shim_ functions declared here.
 */
#ifndef PTVM_FBSHIM_H
#define PTVM_FBSHIM_H

#include "compat.h"

#include <sys/types.h>

#include <time.h>

#include "host.h"
#include "kmodel.h"

struct shim {
	struct kmodel	*km;		/* NULL: no captured host opened */
	char		*dir;		/* DIR */
	char		*root;		/* DIR/root */
};

extern struct shim shim;

/* The model, or NULL with errno ENOENT when no host is open. */
struct kmodel *shim_km(void);
/* errno = e; -1. */
int	shim_fail(int);

/* sys/pciio.h ioctls on /dev/pci (pci.c); rw: opened for writing. */
int	shim_pci_ioctl(bool, unsigned long, void *);
/* pread(2) of /dev/mem: the ROM windows the model decodes (pci.c). */
ssize_t	shim_mem_read(void *, size_t, off_t);

/* The renamed calls (include/shim.h), as glibc declares them. */
int	shim_open(const char *, int, ...);
int	shim_close(int);
int	shim_ioctl(int, unsigned long, ...);
ssize_t	shim_pread(int, void *, size_t, off_t);
int	shim_ttyname_r(int, char *, size_t);
int	shim_nanosleep(const struct timespec *, struct timespec *);
int	shim_access(const char *, int);
int	shim_spawn_wait(const char *, char *const *, int, unsigned,
	    struct host_proc *);
int	shim_spawn_output(const char *, char *const *, size_t, unsigned,
	    struct host_proc *, char **, size_t *);
int	shim_spawn_fd(const char *, char *const *, int, int *);
int	shim_dir_list(const char *, char ***, size_t *);
int	shim_stat(const char *, bool, struct host_stat *);
int	shim_write_atomic(const char *, const char *, size_t, int);
struct sockaddr;
int	shim_connect(int, const struct sockaddr *, unsigned);
int64_t	shim_mono_ms(void);
void	shim_sleep_ms(unsigned);

/* The bhyve processes the model's VMs stand for (sysctl.c). */
struct shim_proc {
	pid_t		 pid;
	char		 name[64];
	char		*args;		/* NUL-separated, as kern.proc.args */
	size_t		 argslen;
	bool		 acpi;
};
int	shim_procs(struct shim_proc **, size_t *);
void	shim_procs_free(struct shim_proc *, size_t);

#endif /* PTVM_FBSHIM_H */
