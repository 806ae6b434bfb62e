/*
 * compat.h: the few places where FreeBSD and Linux (with libbsd) differ.
 * Included first by every file of the project.
 */
#ifndef PTVM_COMPAT_H
#define PTVM_COMPAT_H

#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif

#include <sys/types.h>
#include <sys/queue.h>		/* libbsd overlay on Linux */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef __printflike
#define __printflike(a, b) __attribute__((__format__(__printf__, a, b)))
#endif
#ifndef __unused
#define __unused __attribute__((__unused__))
#endif
#ifndef __DECONST
#define __DECONST(type, var) ((type)(uintptr_t)(const void *)(var))
#endif
#ifndef nitems
#define nitems(x) (sizeof(x) / sizeof((x)[0]))
#endif

#endif /* PTVM_COMPAT_H */
