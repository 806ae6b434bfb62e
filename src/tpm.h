/*
 * tpm.h: a VM's TPM 2.0 in the front end (src/tpm.c): check's lines
 * (tpm_check) and "ptvm tpm reset".  Starting and stopping swtpm is the
 * engine's (engine/tpm.c, life.h).
 */
#ifndef PTVM_TPM_H
#define PTVM_TPM_H

#include "compat.h"

struct checks;
struct host;
struct ptvm_ctx;
struct vm;

void	tpm_check(struct host *, const struct vm *, struct checks *);
int	cmd_tpm_reset(struct ptvm_ctx *, int, char **);

#endif /* PTVM_TPM_H */
