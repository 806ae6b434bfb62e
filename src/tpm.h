/*
 * tpm.h: a VM's TPM 2.0 (src/tpm.c).  The hooks of start (tpm_start),
 * the undo journal (tpm_undo), check (tpm_check) and "ptvm tpm reset".
 */
#ifndef PTVM_TPM_H
#define PTVM_TPM_H

#include "compat.h"

struct checks;
struct host;
struct life_paths;
struct ptvm_ctx;
struct undo_entry;
struct vm;
struct vm_load;

/* tpm=swtpm: starts the VM's swtpm, journaled; -1 after saying why. */
int	tpm_start(struct host *, struct vm_load *, const struct life_paths *);
/* Undoes a "swtpm PID SOCKET" entry; what was done or why not in msg. */
int	tpm_undo(struct host *, const struct undo_entry *, char *, size_t);
void	tpm_check(struct host *, const struct vm *, struct checks *);
int	cmd_tpm_reset(struct ptvm_ctx *, int, char **);

#endif /* PTVM_TPM_H */
