/*
 * kenv.h for the FreeBSD shim: kenv(2) of FreeBSD's include/kenv.h and
 * the actions and limits of sys/sys/kenv.h (host/shim/kern.c).
 */
#ifndef PTVM_SHIM_KENV_H
#define PTVM_SHIM_KENV_H

#define KENV_GET		0
#define KENV_SET		1
#define KENV_UNSET		2
#define KENV_DUMP		3
#define KENV_MNAMELEN		128	/* Maximum name length (for the syscall) */
#define KENV_MVALLEN		128	/* Maximum value length (for the syscall) */

int	kenv(int, const char *, char *, int);

#endif /* PTVM_SHIM_KENV_H */
