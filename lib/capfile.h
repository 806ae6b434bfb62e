/*
 * capfile.h: the files of a captured host ("ptvm -H DIR") that the tests
 * and the user write, parsed over buffers (host/host_capture.c reads them):
 *
 *	vmm.txt		one running VM a line: NAME [B/S/F ...] [?]
 *			("?": its devices are unknown); '#' starts a comment
 *	fail		"COMMAND LINE: ERRNO" a line, a command that fails
 *	run/vmm/NAME	"pid=N", "running=yes|no", "acpi=yes|no" lines (the
 *			bhyve stand-in's view of its VM)
 *
 * No OS calls.
 */
#ifndef PTVM_CAPFILE_H
#define PTVM_CAPFILE_H

#include "compat.h"
#include "diag.h"
#include "pci.h"

#define CAPF_NAMELEN	64

struct capf_vm {
	char		 name[CAPF_NAMELEN];
	struct pci_sel	*devs;
	size_t		 ndevs;
	bool		 devs_known;
};

struct capf_vms {
	struct capf_vm	*vm;
	size_t		 n;
};

/*
 * vmm.txt into out (freed with capf_vms_free, also on failure).  Returns
 * 0, EINVAL (a located diagnostic says why) or ENOMEM.
 */
int	capf_vmm_parse(const char *, size_t, const char *, struct capf_vms *,
	    struct diags *);
void	capf_vms_free(struct capf_vms *);

struct capf_fail {
	char		*cmd;
	int		 err;
};

/*
 * DIR/fail into *out, *n rules (freed with capf_fail_free).  A bad line is
 * a located error and skipped.  Returns 0 or ENOMEM.
 */
int	capf_fail_parse(const char *, size_t, const char *, struct capf_fail **,
	    size_t *, struct diags *);
void	capf_fail_free(struct capf_fail *, size_t);
/* The errno of a name a fail line may use ("EBUSY"), or 0. */
int	capf_errno(const char *);

struct capf_probe {
	int		 pid;		/* 0: none given */
	int		 running;	/* 1, 0, or -1 not said */
	int		 acpi;
};

/* DIR/run/vmm/NAME; lines it does not know are ignored. */
void	capf_probe_parse(const char *, size_t, struct capf_probe *);

#endif /* PTVM_CAPFILE_H */
