/*
 * check.h: the preflight checks of "ptvm check", which "ptvm start" runs
 * too.
 */
#ifndef PTVM_CHECK_H
#define PTVM_CHECK_H

#include "compat.h"

enum chk_status {
	CHK_PASS,
	CHK_WARN,
	CHK_FAIL,
	CHK_SKIP,			/* could not be checked here */
};

struct check {
	enum chk_status	 status;
	const char	*what;		/* "vmm", "iommu", "passthru", ... */
	char		 msg[512];
	char		 fix[320];
};

struct checks {
	struct check	 c[128];
	size_t		 n;
	int		 count[4];
};

struct ptvm_ctx;
struct vm_load;

/* Adds one result (fix: what to do, or NULL). */
void	check_add(struct checks *, enum chk_status, const char *,
	    const char *, const char *, ...) __printflike(5, 6);
/* Runs every check of a compiled VM; -1 when the host cannot be read. */
int	check_vm(struct ptvm_ctx *, const struct vm_load *, struct checks *);
/* check --boot: what rc.d/ptvm does with the VM at boot (cmd_autostart.c). */
void	check_boot(struct ptvm_ctx *, const struct vm_load *, struct checks *);

#endif /* PTVM_CHECK_H */
