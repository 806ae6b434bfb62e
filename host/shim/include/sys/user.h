/*
 * sys/user.h for the FreeBSD shim.  FreeBSD's sys/sys/user.h struct
 * kinfo_proc (KINFO_PROC_SIZE 1088 on amd64) and struct kinfo_file
 * (KINFO_FILE_SIZE 1392) hold far more than host_freebsd.c reads: the
 * shim's keep the fields it reads, in FreeBSD's order, with their types
 * (ki_structsize first, as the code checks it); host/shim/sysctl.c fills
 * them.  sigset_t is FreeBSD's (sys/_sigset.h: four 32-bit words), with
 * SIGISMEMBER of sys/signalvar.h; the process states of sys/proc.h.
 */
#ifndef PTVM_SHIM_SYS_USER_H
#define PTVM_SHIM_SYS_USER_H

#include <sys/types.h>

#include <limits.h>
#include <stdint.h>

#define COMMLEN		19		/* size of returned ki_comm name */

/* sys/_sigset.h */
#define _SIG_WORDS	4
#define _SIG_IDX(sig)	((sig) - 1)
#define _SIG_WORD(sig)	(_SIG_IDX(sig) >> 5)
#define _SIG_BIT(sig)	(1U << (_SIG_IDX(sig) & 31))
struct shim_sigset {
	uint32_t	__bits[_SIG_WORDS];
};
/* sys/signalvar.h */
#define SIGISMEMBER(set, signo)						\
	((set).__bits[_SIG_WORD(signo)] & _SIG_BIT(signo))

/* sys/proc.h: p_state / ki_stat */
#define SIDL		1
#define SRUN		2
#define SSLEEP		3
#define SSTOP		4
#define SZOMB		5

struct kinfo_proc {
	int		ki_structsize;	/* size of this structure */
	pid_t		ki_pid;		/* Process identifier */
	struct shim_sigset ki_sigignore; /* signals being ignored */
	char		ki_stat;	/* S* process status */
	char		ki_comm[COMMLEN + 1];	/* command name */
};

struct kinfo_file {
	int		kf_structsize;	/* Variable size of record. */
	int		kf_type;	/* Descriptor type. */
	int		kf_fd;		/* Array index. */
	char		kf_path[PATH_MAX];	/* Path to file, if any. */
};

#endif /* PTVM_SHIM_SYS_USER_H */
