/*
 * bindplan.h: plans for moving PCI functions onto ppt(4) and back, as a
 * list of host operations.  Pure: the caller reads the host state and
 * runs the plan (engine/bind.c).
 */
#ifndef PTVM_BINDPLAN_H
#define PTVM_BINDPLAN_H

#include "compat.h"
#include "diag.h"
#include "hostop.h"
#include "hostuse.h"
#include "pci.h"

#define PPTDEVS_VARS	3	/* pptdevs, pptdevs2, pptdevs3 */
#define PPTDEVS_MAXLEN	127	/* a kenv value is at most 128 bytes */

/* The host as the planner needs to know it. */
struct bind_state {
	struct pci_list	*pci;
	bool		 vmm_loaded;
	bool		 amd;		/* AMD CPU: AMD-Vi tunable needed */
	bool		 vendor_known;
	const char	*pptdevs[PPTDEVS_VARS];	/* kenv values, or NULL */
	const char	*amdvi_kenv;	/* kenv hw.vmm.amdvi.enable */
	long long	 amdvi_sysctl;	/* -1 when unknown */
	int		 console_unit;	/* hw.pci.default_vgapci_unit */
	/* VMs that exist, with the functions they own. */
	const struct pci_sel *vm_devs;
	const char	*const *vm_dev_owner;
	size_t		 nvm_devs;
	bool		 vms_unknown;	/* a VM whose devices are unknown */
	/* What the host itself uses (NULL: not judged; tests only). */
	const struct hostuse *hu;
	/* unbind: how ptvm bound each function ("fixed"/"boot"/NULL). */
	const char	*(*how_bound)(void *, const struct pci_sel *);
	void		*how_bound_arg;
};

enum step_when {
	STEP_ALWAYS,
	STEP_RETRY_DETACH,	/* plain detach, retried, then -f */
	STEP_IF_NOT_PPT,	/* only if the function is not on ppt yet */
	STEP_IF_STILL_PPT,	/* only if the function is still on ppt */
};

struct bind_step {
	struct hostop	 op;
	enum step_when	 when;
	ssize_t		 dev;		/* index in the PCI list, or -1 */
	char		 a[64];		/* storage for op.a */
	char		 b[PPTDEVS_MAXLEN + 1];	/* storage for op.b */
	/* The state before, to undo a kenv change. */
	bool		 had_old;
	char		 old[PPTDEVS_MAXLEN + 1];
};

struct bind_plan {
	struct bind_step *steps;
	size_t		 n;
	size_t		*devs;		/* the functions acted on */
	size_t		 ndevs;
	bool		 loads_vmm;
};

struct bind_opts {
	bool		 force;		/* take the console GPU */
	bool		 host_use_take;	/* bind --host-use=take: all of them */
	const struct pci_sel *take;	/* host_use=take functions (start) */
	size_t		 ntake;
};

void	bind_plan_init(struct bind_plan *);
void	bind_plan_free(struct bind_plan *);
/*
 * Plans bind (to ppt) or unbind (back to the host driver) of the given
 * functions.  Problems go to diags; returns -1 when the plan must not
 * run.
 */
int	bind_plan_make(const struct bind_state *, const size_t *, size_t,
	    const struct bind_opts *, struct bind_plan *, struct diags *);
int	unbind_plan_make(const struct bind_state *, const size_t *, size_t,
	    struct bind_plan *, struct diags *);
/* The undo of one executed step, for rollback.  -1: nothing to undo. */
int	bind_step_inverse(const struct bind_step *, struct bind_step *);

/*
 * Spreads "B/S/F" entries over pptdevs, pptdevs2, pptdevs3 so each stays
 * within PPTDEVS_MAXLEN.  Returns the number of variables used, or -1
 * when they do not fit.
 */
int	pptdevs_split(const char *const *, size_t,
	    char [PPTDEVS_VARS][PPTDEVS_MAXLEN + 1]);
/* True if sel is listed in one of the pptdevs values. */
bool	pptdevs_has(const char *const *, const struct pci_sel *);
/* Collects the entries of the pptdevs values, minus one selector. */
size_t	pptdevs_entries(const char *const *, const struct pci_sel *,
	    char [][16], size_t);

#endif /* PTVM_BINDPLAN_H */
