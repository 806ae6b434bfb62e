/*
 * bhyveproc.h: a running bhyve's configuration, rebuilt from its
 * arguments (kern.proc.args) and its -k files as bhyve builds it: a flat
 * kv_list keyed by the full dotted name.  host/host_freebsd.c reads the
 * process and the files; everything here works on buffers, no OS calls.
 */
#ifndef PTVM_BHYVEPROC_H
#define PTVM_BHYVEPROC_H

#include "compat.h"
#include "kv.h"
#include "pci.h"

#define BPROC_MAXARGS	4096	/* arguments, and options of one -s */
#define BPROC_MAXDEVS	256	/* passthru functions per VM */

/* Reads the -k file path (as the process named it) into *buf, *len. */
typedef int bproc_read_fn(void *, const char *, char **, size_t *);
/* The function of a ppt device name ("ppt0"). */
typedef int bproc_ppt_fn(void *, const char *, struct pci_sel *);

/*
 * Splits kern.proc.args output (NUL-separated strings, the last perhaps
 * unterminated: buf must have one byte past len) into *argvp (malloc'd,
 * pointing into buf).  0, ENOENT for none, ENOMEM.
 */
int	bproc_split_args(char *, size_t, char ***, int *);
/* The lines of a -k file, "key=value"; empty and '#' lines skipped. */
int	bproc_cfg_file(struct kv_list *, const char *, size_t);
/*
 * Walks bhyve's arguments as its getopt(3) does and applies -s, -o and -k
 * (through read) in order; "name" is set to the first operand.
 */
int	bproc_args(struct kv_list *, int, char **, bproc_read_fn *, void *);
/*
 * The passthru functions of a configuration into *devs, *ndevs (append,
 * malloc'd); *known false when one cannot be told.  0 or ENOMEM.
 */
int	bproc_devs(const struct kv_list *, bproc_ppt_fn *, void *,
	    struct pci_sel **, size_t *, bool *);
/* An integer as strtol(3) with base 0 reads it (decimal, 0x, 0 octal). */
int	bproc_int(const char *, unsigned long, unsigned long *);

#endif /* PTVM_BHYVEPROC_H */
