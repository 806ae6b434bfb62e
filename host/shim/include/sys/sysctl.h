/*
 * sys/sysctl.h for the FreeBSD shim: what host_freebsd.c uses of
 * FreeBSD's sys/sys/sysctl.h, same values; host/shim/sysctl.c implements
 * sysctl(3) over the model.
 */
#ifndef PTVM_SHIM_SYS_SYSCTL_H
#define PTVM_SHIM_SYS_SYSCTL_H

#include <sys/types.h>

#define CTL_MAXNAME	24	/* largest number of components supported */

#define CTLTYPE		0xf	/* mask for the type */
#define CTLTYPE_NODE	1
#define CTLTYPE_INT	2
#define CTLTYPE_STRING	3
#define CTLTYPE_S64	4
#define CTLTYPE_OPAQUE	5
#define CTLTYPE_STRUCT	CTLTYPE_OPAQUE
#define CTLTYPE_UINT	6
#define CTLTYPE_LONG	7
#define CTLTYPE_ULONG	8
#define CTLTYPE_U64	9
#define CTLTYPE_U8	0xa
#define CTLTYPE_U16	0xb
#define CTLTYPE_S8	0xc
#define CTLTYPE_S16	0xd
#define CTLTYPE_S32	0xe
#define CTLTYPE_U32	0xf

#define CTL_KERN	1		/* "high kernel": proc, limits */
#define KERN_PROC	14		/* struct: process entries */
#define KERN_PROC_PID	1		/* by process id */
#define KERN_PROC_ARGS	7		/* get/set arguments/proctitle */
#define KERN_PROC_PROC	8		/* only return procs */
#define KERN_PROC_CWD	42		/* process current working directory */

int	sysctl(const int *, u_int, void *, size_t *, const void *, size_t);
int	sysctlbyname(const char *, void *, size_t *, const void *, size_t);
int	sysctlnametomib(const char *, int *, size_t *);

#endif /* PTVM_SHIM_SYS_SYSCTL_H */
