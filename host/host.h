/*
 * host.h: the host boundary.  Every read and change of the host goes
 * through these functions, and every other OS call of ptvm too (the
 * runtime files, processes, sockets and the clock of engine/; README,
 * Layout, says the rule and tests/cli/boundary_test checks it).  Two
 * implementations exist: the live FreeBSD host (host_freebsd.c,
 * compiled only on FreeBSD) and a captured host directory
 * (host_capture.c, "ptvm -H DIR"); they share host/hostsys.c.
 *
 * Functions return 0 or an errno value (the descriptor operations fd_*,
 * sock_send and sock_recv, as the system calls, -1 with errno); none of
 * them prints.
 */
#ifndef PTVM_HOST_H
#define PTVM_HOST_H

#include "compat.h"

#include <poll.h>
#include <sys/types.h>
#include "diag.h"
#include "pci.h"
#include "pcicfg.h"
#include "kv.h"

struct host;
struct hostuse;

/*
 * The base tools whose output tells what the host itself uses
 * (lib/hostuse.h): under -H the files of host_tools[], which "host
 * capture" writes.
 */
enum host_tool {
	HT_CAMCONTROL,		/* camcontrol devlist -v */
	HT_MOUNT,		/* mount -p */
	HT_ZPOOL,		/* zpool status -P */
	HT_SWAP,		/* swapctl -l */
	HT_NETSTAT,		/* netstat -rn */
	/* Not what the host uses: the desktop devices (issue 18). */
	HT_SNDSTAT,		/* cat /dev/sndstat */
	HT_USBCONFIG,		/* usbconfig show_ifdrv dump_device_desc */
	HT_ARP,			/* arp -an */
	HT_NDP,			/* ndp -an */
	HT_NTOOLS,
};

struct host_tool_def {
	const char	*file;		/* DIR/file under -H */
	char *const	 argv[4];
};

extern const struct host_tool_def host_tools[HT_NTOOLS];

/* A VM that exists in the kernel (/dev/vmm/NAME). */
struct host_vm {
	char		 name[64];
	struct pci_sel	*devs;		/* passthrough functions it uses */
	size_t		 ndevs;
	bool		 devs_known;	/* false: ptvm cannot tell */
	bool		 by_ptvm;	/* known from ptvm's status file */
};

struct host_vm_list {
	struct host_vm	*vm;
	size_t		 n;
};

/*
 * Result of running an external program.  Every program run and
 * run_output start has a time limit (host_run_timeout()); one that runs
 * longer is sent SIGTERM, then SIGKILL, in its process group, and the
 * call returns ETIMEDOUT with timedout set.  host_proc_str() says what
 * happened in words.
 */
struct host_proc {
	int		 status;	/* exit status, or 128+signal */
	int		 signal;	/* the signal that ended it, or 0 */
	unsigned	 limit_ms;	/* the time it had; 0: no limit */
	bool		 timedout;	/* killed for running out of time */
	bool		 stuck;		/* did not end even after SIGKILL */
	bool		 ran;		/* false: only journaled */
};

/* What stat(2) says of a path, as far as ptvm cares. */
enum host_ftype {
	HOST_F_REG,
	HOST_F_DIR,
	HOST_F_CHR,		/* a device (under -H: a file in root/dev) */
	HOST_F_OTHER,
};

struct host_stat {
	enum host_ftype	 type;
	uint64_t	 size;
	int		 mode;		/* permission bits */
	uint64_t	 dev;		/* st_dev and st_ino */
	uint64_t	 ino;
	int64_t		 mtime_ms;	/* st_mtim */
};

/* The most a program's output may be (run_output). */
#define HOST_OUTPUT_MAX	(16 * 1024 * 1024)

/*
 * What can be seen from outside of a bhyve process: whether it is still
 * the bhyve of that VM, whether the guest runs (bhyve set its process
 * title to the VM's name, which it does after every setup step), and
 * whether the guest enabled ACPI (bhyve ignores SIGTERM from then on and
 * turns it into the power button; usr.sbin/bhyve/pm.c).  -1: unknown.
 */
struct host_probe {
	bool		 alive;		/* pid is a bhyve of this VM */
	int		 running;
	int		 acpi;
};

struct host_ops {
	const char *name;		/* "live" or "captured" */
	void	(*close)(struct host *);
	/* PCI devices, with names where the host knows them. */
	int	(*pci_list)(struct host *, struct pci_list *, struct diags *);
	/* sysctl(3) by name; *val is malloc'd. ENOENT if unknown. */
	int	(*sysctl_get)(struct host *, const char *, char **);
	/*
	 * The same with the value's length: a string comes whole, a NUL
	 * byte inside it included, so that its parser can say where it is
	 * (sysctl_get's string ends at the first NUL).
	 */
	int	(*sysctl_get_text)(struct host *, const char *, char **,
		    size_t *);
	int	(*sysctl_set)(struct host *, const char *, const char *);
	/* kenv(2); ENOENT if unset. */
	int	(*kenv_get)(struct host *, const char *, char **);
	int	(*kenv_set)(struct host *, const char *, const char *);
	int	(*kenv_unset)(struct host *, const char *);
	/* kldfind(2)/kldload(2)/kldunload(2), by file name ("vmm"). */
	int	(*kld_loaded)(struct host *, const char *, bool *);
	int	(*kld_load)(struct host *, const char *);
	int	(*kld_unload)(struct host *, const char *);
	/* libdevctl, by device name or pciconf selector. */
	int	(*dev_detach)(struct host *, const char *, bool);
	int	(*dev_attach)(struct host *, const char *);
	int	(*dev_set_driver)(struct host *, const char *, const char *,
		    bool);
	int	(*dev_clear_driver)(struct host *, const char *, bool);
	int	(*dev_rescan)(struct host *, const char *);
	/* VMs in /dev/vmm. */
	int	(*vm_list)(struct host *, struct host_vm_list *);
	/* Files of the host's configuration, by absolute path. */
	int	(*file_read)(struct host *, const char *, char **, size_t *);
	int	(*file_write)(struct host *, const char *, const char *, size_t,
		    int);
	/* stat(2) of such a path; ENOENT when missing. */
	int	(*file_stat)(struct host *, const char *, struct host_stat *);
	/* The names in a directory, sorted; free with host_names_free(). */
	int	(*dir_list)(struct host *, const char *, char ***, size_t *);
	/* Runs argv[0] (a program name or absolute path) with argv. */
	int	(*run)(struct host *, char *const *, struct host_proc *);
	/*
	 * The same for a program that only reads (zfs list, zfs get): its
	 * standard output, at most HOST_OUTPUT_MAX bytes (EFBIG beyond), is
	 * returned in *out (malloc'd, NUL-terminated, NULL when it did not
	 * run); its standard error goes to ptvm's.  Not journaled: under -H
	 * a program missing from DIR/bin leaves pr->ran false.
	 */
	int	(*run_output)(struct host *, char *const *, struct host_proc *,
		    char **, size_t *);
	/*
	 * Starts argv[0] without waiting: stdin from /dev/null, stdout and
	 * stderr to outfd, in a process group of its own (a ^C on the
	 * supervisor's terminal must not reach bhyve), signals at their
	 * defaults.  Under -H the program is DIR/bin/NAME and the start is
	 * journaled.
	 */
	int	(*spawn)(struct host *, char *const *, int, int *);
	/* Looks at the bhyve of VM name, process pid. */
	int	(*vm_probe)(struct host *, const char *, int,
		    struct host_probe *);
	/* Waits before a retry (nothing under -H). */
	void	(*pause)(struct host *, unsigned);
	/*
	 * The expansion ROM of a function, read through its ROM BAR by
	 * lib/rombar.c: memory decoding and the ROM enable bit are set for
	 * the read and put back (see rombar.h); the caller checks first that
	 * no driver and no VM uses the function.  *buf is malloc'd, at most
	 * HOST_ROM_MAX bytes.  ENXIO: no ROM or no address; ENOENT: none
	 * captured; EPERM: not root or securelevel above 0.
	 */
	int	(*rom_read)(struct host *, const struct pci_sel *, uint8_t **,
		    size_t *, struct diags *);
	/*
	 * The configuration space of a function (PCIOCREAD; under -H the
	 * file pci/pci0:B:S:F.txt plus the journaled writes): the 256 bytes
	 * of the header, and the 4 KiB extended space where the function has
	 * a PCI Express capability.  Reads have no side effects on the
	 * standard registers.  ENODEV: no such function; ENOENT: not
	 * captured; EPERM: not root.  This is the supervisor's snapshot.
	 */
	int	(*pci_cfg_read)(struct host *, const struct pci_sel *,
		    struct pcicfg *, struct diags *);
	/*
	 * One configuration write (PCIOCWRITE) of width 1, 2 or 4 at an
	 * aligned offset up to 0xfff; EINVAL otherwise.  Callers write only
	 * what pcicfg_restore_plan() allows, to a function no VM owns.
	 */
	int	(*pci_cfg_write)(struct host *, const struct pci_sel *,
		    unsigned, unsigned, uint32_t);
	/*
	 * The terminal ptvm runs on: the first of its standard input, output
	 * and error that is one, as "ttyv0" or "pts/3" (under -H the line of
	 * DIR/tty).  ENOTTY when none is.
	 */
	int	(*tty_name)(struct host *, char *, size_t);
	/*
	 * The standard output of a host_tools[] program (*out malloc'd,
	 * NUL-terminated).  ENOENT when it is not captured (-H) or did not
	 * run to a zero exit.  zpool is not run while zfs.ko is not loaded
	 * (it would load it): no pools, an empty output.
	 */
	int	(*tool_output)(struct host *, enum host_tool, char **, size_t *);

	/*
	 * The engine's own operations (engine/: the runtime files, the
	 * supervisor, the clock).  Both hosts run the engine on a real
	 * kernel, so both implement them with the same POSIX code
	 * (host/hostsys.c); the captured host's clock can be replaced by a
	 * test (host_capture_clock()).
	 *
	 * Paths.  st_*: ptvm's runtime files, which must be under the run
	 * or the log directory the host chose (h->rundir, h->logdir; EXDEV
	 * otherwise), so that -H relocates them as it relocates file_*.
	 * lf_*: the local files the user names (a VM file given as a path
	 * or in -c DIR, the files rom and pci write, pci.ids), not
	 * relocated.  Neither follows a symbolic link where it writes.
	 * read: at most max bytes (EFBIG beyond), NUL-terminated; write:
	 * atomic (a temporary file, fsync, rename), flags SYS_WF_*.
	 */
	int	(*st_read)(struct host *, const char *, size_t, char **,
		    size_t *);
	int	(*st_write)(struct host *, const char *, const void *, size_t,
		    int, int);
	int	(*st_list)(struct host *, const char *, char ***, size_t *);
	int	(*st_stat)(struct host *, const char *, struct host_stat *);
	int	(*st_mkdir)(struct host *, const char *, int);
	int	(*st_remove)(struct host *, const char *);
	/*
	 * open(2) of a runtime file, close-on-exec, never through a link;
	 * with O_CREAT mode is its permissions.  A FIFO or other non-regular
	 * file is refused (SYS_EFIFO, ...) without blocking.  st_append: for
	 * appending to a log (made when missing).
	 */
	int	(*st_open)(struct host *, const char *, int, int, int *);
	int	(*st_append)(struct host *, const char *, int, int *);
	/*
	 * Locks.  st_lock: an exclusive flock(2) of path (made when
	 * missing), waiting for it; *fd holds it until fd_close.
	 * pid_open/pid_write/pid_close: pidfile(3) (EEXIST with *other the
	 * pid holding it); pid_held: whether the pidfile path is locked
	 * (ENOENT: not), *pid the pid in it or 0; pid_wait: waits up to
	 * secs for its lock to go.
	 */
	int	(*st_lock)(struct host *, const char *, int *);
	int	(*pid_open)(struct host *, const char *, int, void **, int *);
	int	(*pid_write)(struct host *, void *);
	void	(*pid_close)(struct host *, void *, bool);
	int	(*pid_held)(struct host *, const char *, int *);
	void	(*pid_wait)(struct host *, const char *, unsigned);
	/*
	 * Descriptors these give, as the system calls: -1 with errno.
	 * fd_stat fills dev and ino too (a log renamed away is seen).
	 */
	ssize_t	(*fd_read)(struct host *, int, void *, size_t);
	ssize_t	(*fd_write)(struct host *, int, const void *, size_t);
	ssize_t	(*fd_pread)(struct host *, int, void *, size_t, int64_t);
	ssize_t	(*fd_pwrite)(struct host *, int, const void *, size_t,
		    int64_t);
	int	(*fd_stat)(struct host *, int, struct host_stat *);
	int	(*fd_truncate)(struct host *, int, int64_t);
	int	(*fd_close)(struct host *, int);
	/* A pipe, close-on-exec, its ends non-blocking when asked. */
	int	(*fd_pipe)(struct host *, int [2], bool);
	/* poll(2); -1 with errno. */
	int	(*fd_poll)(struct host *, struct pollfd *, size_t, int);
	/*
	 * Processes.  proc_signal: kill(2) (0 or the errno; signal 0 asks
	 * whether it lives).  proc_reap: waitpid(-1, WNOHANG): *pid 0 when
	 * no child ended, else its wait(2) status.  proc_self: getpid(2).
	 * sig_catch: the signals of sigs are caught from now on, each
	 * writing its number as a byte to *fd's pipe (read it with fd_read);
	 * SIGPIPE is ignored.
	 */
	int	(*proc_signal)(struct host *, int, int);
	int	(*proc_reap)(struct host *, int *, int *);
	int	(*proc_self)(struct host *);
	int	(*sig_catch)(struct host *, const int *, size_t, int *);
	/*
	 * daemonize: fork(2); the child leaves the terminal (setsid, its
	 * standard descriptors /dev/null), runs fn(arg, wfd) and exits with
	 * what it returned; the parent gets *rfd, the reading end of a pipe
	 * whose writing end is the child's wfd.  exec: replaces ptvm by the
	 * program (an absolute path) with argv; returns only on error.
	 */
	int	(*daemonize)(struct host *, int (*)(void *, int), void *,
		    int *);
	int	(*exec)(struct host *, const char *, char *const *);
	/*
	 * The supervisor's control socket (a stream socket at path, mode
	 * 0600, the old one removed first), its clients, and the stop
	 * command's connection to it.  send and recv: -1 with errno.
	 */
	int	(*sock_listen)(struct host *, const char *, int *);
	int	(*sock_accept)(struct host *, int, int *);
	int	(*sock_connect)(struct host *, const char *, int *);
	ssize_t	(*sock_send)(struct host *, int, const void *, size_t);
	ssize_t	(*sock_recv)(struct host *, int, void *, size_t);
	/*
	 * The clock: now, monotonic ms; wall, ms since the epoch; tzoff, the
	 * local offset from UTC in minutes at wall ms; sleep, ms.  The
	 * captured host's now and sleep go through host_capture_clock().
	 */
	int64_t	(*now)(struct host *);
	int64_t	(*wall)(struct host *);
	int	(*tzoff)(struct host *, int64_t);
	void	(*sleep)(struct host *, unsigned);
	/* The local files (see above). */
	int	(*lf_read)(struct host *, const char *, size_t, char **,
		    size_t *);
	int	(*lf_write)(struct host *, const char *, const void *, size_t,
		    int, int);
	/* With nofollow, a symbolic link is SYS_ESYMLINK. */
	int	(*lf_stat)(struct host *, const char *, bool,
		    struct host_stat *);
	int	(*lf_list)(struct host *, const char *, char ***, size_t *);
	/*
	 * mkdir(2), an existing directory being no error (ENOTDIR: it
	 * exists and is something else); parents: as mkdir -p.
	 */
	int	(*lf_mkdir)(struct host *, const char *, int, bool);
	/*
	 * A whole regular file of at most max bytes mapped read-only (no
	 * copy); EFBIG when larger.  lf_unmap gives it back.
	 */
	int	(*lf_map)(struct host *, const char *, size_t,
		    const uint8_t **, size_t *);
	void	(*lf_unmap)(struct host *, const uint8_t *, size_t);
	/* realpath(3) into buf of size sz (ENAMETOOLONG beyond). */
	int	(*lf_realpath)(struct host *, const char *, char *, size_t);
	/* ---- issue 18: the desktop devices (engine/tpm.c, desk.c) ---- */
	/*
	 * The host's files as file_* sees them (below DIR/root under -H),
	 * such as the swtpm state in /var/db/ptvm/NAME.tpm: neither a
	 * runtime file (st_mkdir, st_remove) nor a local one (lf_mkdir,
	 * which -H does not relocate).  dir_make: mkdir -p of an absolute
	 * path, the last component with mode; EEXIST when it exists and is
	 * not a directory.  file_remove: unlink(2) of a file (not a
	 * directory, EISDIR); ENOENT when missing.
	 */
	int	(*dir_make)(struct host *, const char *, int);
	int	(*file_remove)(struct host *, const char *);
	/*
	 * Stops process pid if it is still a comm ("swtpm"): SIGTERM, up to
	 * 2 s, then SIGKILL.  0 when it ended or was gone already; under -H
	 * only a stand-in that left DIR/run/COMM.PID is signalled.
	 */
	int	(*proc_stop)(struct host *, int, const char *);
	/*
	 * Whether TCP port of an IPv4/IPv6 address accepts a connection
	 * within ms: *open 1 or 0.  Under -H answered from DIR/reach.txt
	 * ("ADDRESS PORT open|closed" lines; ENOENT when not there): no
	 * connection is ever made.
	 */
	int	(*tcp_probe)(struct host *, const char *, int, unsigned, int *);
};

/*
 * A host for what needs none opened: the lf_* local files, the clock,
 * descriptors and processes (its st_* refuse every path).  Never closed.
 */
struct host *host_local(void);

/*
 * The captured host's clock, for a test harness: now and sleep of the
 * ops table call these (NULL: the real ones).  Under such a clock,
 * fd_poll with a timeout waits at most real_ms of real time, then calls
 * sleep with the whole timeout when nothing came.  The previous clock is
 * returned.
 */
struct host_clock {
	int64_t	(*now)(void *);
	void	(*sleep)(void *, unsigned);
	void	*arg;
	int	 real_ms;
};
struct host_clock host_capture_clock(const struct host_clock *);

#define HOST_ROM_MAX	(16 * 1024 * 1024)

struct host {
	const struct host_ops *ops;
	char		*dir;		/* captured host directory, or NULL */
	char		*rundir;	/* ptvm's runtime state directory */
	char		*logdir;	/* the VMs' logs */
	void		*priv;
};

/* Opens the live host (FreeBSD) or fails with ENOTSUP and a message. */
int	host_open_live(struct host **, struct diags *);
/*
 * The live host with its configuration files under root ("/" for
 * host_open_live) and the given runtime and log directories; the
 * FreeBSD shim opens a captured directory so (host_freebsd.c only).
 */
int	host_open_root(struct host **, const char *, const char *,
	    const char *, struct diags *);
/* Writes a captured host directory of the live host. */
int	host_capture_live(struct host *, const char *, struct diags *);
/* Opens a captured host directory. */
int	host_open_captured(struct host **, const char *, struct diags *);
void	host_close(struct host *);

/* Convenience wrappers. */
int	host_sysctl_int(struct host *, const char *, long long *);
void	host_vm_list_free(struct host_vm_list *);
/*
 * What the host uses (lib/hostuse.h): kern.disks, the newbus parents
 * (dev.NAME.UNIT.%parent) and the host_tools[] outputs; what cannot be
 * read stays unknown.  ENOMEM only.
 */
int	hostuse_read(struct host *, struct hostuse *);
/* How it ended: "exit status 1" or "killed by signal 9 (SIGKILL)". */
const char *host_proc_how(const struct host_proc *, char *, size_t);
/* CPU vendor from hw.model / kenv smbios, "AMD", "Intel" or NULL. */
const char *host_cpu_vendor(struct host *);

/* Seconds argv[0] may run (0: no limit, an interactive program). */
#define HOST_RUN_TIMEOUT	30	/* ifconfig, cpuset, bhyvectl, ... */
#define HOST_RUN_TIMEOUT_QUERY	60	/* zfs list, zfs get */
#define HOST_RUN_TIMEOUT_ZFS	600	/* zfs create, destroy, rollback */
unsigned host_run_timeout(char *const *);
/*
 * What became of a program, for a message: "zfs list -H failed with exit
 * status 1", "... was killed by signal 9 (SIGKILL)", "... did not finish
 * within 60 s and was killed; ...what to do".  e is what run returned.
 */
const char *host_proc_str(char *const *, int, const struct host_proc *,
	    char *, size_t);

/*
 * Errors of ptvm's own, beyond every errno value: a path that is not the
 * regular file ptvm reads or writes.  sys_strerror() says them in words
 * (and every errno value as strerror(3) does).
 */
#define SYS_ESYMLINK	0x7101	/* a symbolic link where ptvm writes */
#define SYS_EFIFO	0x7102	/* "is a FIFO, not a regular file" */
#define SYS_ESOCK	0x7103
#define SYS_ECHR	0x7104
#define SYS_EBLK	0x7105
#define SYS_EDIR	0x7106
#define SYS_ENOTREG	0x7107	/* any other kind */
const char *sys_strerror(int);

/* Flags of sys_write_file(). */
#define SYS_WF_EXCL	0x01	/* never replace: EEXIST when path exists */
#define SYS_WF_KEEPMODE	0x02	/* a replaced file keeps its permissions */

/* Frees what dir_list, st_list and lf_list give. */
void	host_names_free(char **, size_t);

#endif /* PTVM_HOST_H */
