/*
 * kmodel.h: the kernel model.  One FreeBSD 14 kernel as far as ptvm sees
 * it, loaded from a captured host directory DIR (ptvm(8) FILES):
 * pciconf.txt, kenv.txt, kldstat.txt, sysctl.txt, topology.xml, vmm.txt,
 * fail, pci/ and rom/, plus DIR/journal, the changes made so far, replayed
 * at open.  Each change goes through km_change(): the failure rules of
 * DIR/fail, then the model (which behaves as the rows of docs/freebsd.md
 * say: ppt probing with pptdevs, devctl, vmm.ko, kenv, configuration
 * writes), then one journal line, the equivalent FreeBSD command.
 *
 * Two front ends use it: the captured host (host_capture.c, "-H DIR") and
 * the FreeBSD shim (host/shim/), under which the live host
 * (host_freebsd.c) runs on Linux.  The state is the struct below; front
 * ends read it and change it only through km_change().
 */
#ifndef PTVM_KMODEL_H
#define PTVM_KMODEL_H

#include "compat.h"
#include "diag.h"
#include "host.h"
#include "hostop.h"
#include "kv.h"
#include "pci.h"
#include "pcicfg.h"

/* The kernel's view of one function beyond what pciconf prints. */
struct km_dev {
	char		 host_driver[PCI_NAMELEN];	/* "" = none */
	bool		 fixed;		/* devctl set driver (#D3) */
	bool		 attached;
};

/* A journaled configuration write. */
struct km_cfgwrite {
	struct pci_sel	 sel;
	unsigned	 reg;
	unsigned	 width;
	uint32_t	 val;
};

struct km_failrule {
	char		*cmd;
	int		 err;
};

struct kmodel {
	char		*dir;		/* DIR, absolute */
	char		*rundir;	/* DIR/run: the bhyve stand-in's vmm/ */
	bool		 have_pci;
	int		 pci_err;
	struct diags	 pci_diags;	/* what parsing pciconf.txt said */
	struct pci_list	 pci;		/* the functions, drivers as now */
	struct km_dev	*sim;		/* one per pci.dev[] */
	struct kv_list	 kenv;
	struct kv_list	 kld;		/* kldstat names, "vmm.ko" */
	bool		 have_kld;
	struct kv_list	 sysctl;	/* sysctl.txt, read on first use */
	bool		 sysctl_loaded;
	bool		 have_sysctl;
	struct kv_list	 sysctl_set;	/* journaled sysctl changes */
	struct host_vm_list vms;	/* vmm.txt */
	struct km_failrule *fail;
	size_t		 nfail;
	struct km_cfgwrite *cfgw;
	size_t		 ncfgw;
};

/* The smallest ROM window a ROM BAR decodes (D-ROM4). */
#define KM_ROM_MIN	2048
#define KM_MAXFILE	(64 * 1024 * 1024)

/* Loads DIR and replays DIR/journal; rundir is where VMs are created. */
int	km_open(struct kmodel **, const char *, const char *, struct diags *);
void	km_close(struct kmodel *);
/* Reads DIR/name; ENOENT when absent. */
int	km_read(struct kmodel *, const char *, char **, size_t *);
/* Appends one line (a "# ..." comment or a command) to DIR/journal. */
int	km_journal(struct kmodel *, const char *);
/*
 * One change: DIR/fail, the model, the journal.  0, or the errno value
 * the FreeBSD call would fail with.
 */
int	km_change(struct kmodel *, const struct hostop *);

/* The function called name ("vgapci0", "pci0:6:0:0"); ENOENT if none. */
int	km_dev(struct kmodel *, const char *, size_t *);
/* vmm.ko is loaded (#V2). */
bool	km_vmm_loaded(struct kmodel *);
/* kldfind(2) by file name, "vmm" or "vmm.ko"; ENOENT: nothing captured. */
int	km_kld_loaded(struct kmodel *, const char *, bool *);
/* sysctl by name: the changed value, else the capture (#V2). */
int	km_sysctl_get(struct kmodel *, const char *, char **, size_t *);
/* kenv(2) KENV_GET; ENOENT when unset (#K1). */
int	km_kenv_get(struct kmodel *, const char *, char **);
/* The VMs in /dev/vmm: vmm.txt plus those created in rundir/vmm. */
int	km_vm_list(struct kmodel *, struct host_vm_list *);

/*
 * Configuration space: pci/pci0:B:S:F.txt with the journaled writes over
 * it (the ROM BAR keeps only its address bits, D-ROM4).  ENOENT with a
 * message when not captured.
 */
int	km_cfg_read(struct kmodel *, const struct pci_sel *, struct pcicfg *,
	    struct diags *);
/* PCIOCWRITE: EINVAL for a bad width, alignment or value, else journaled. */
int	km_cfg_write(struct kmodel *, const struct pci_sel *, unsigned,
	    unsigned, uint32_t);
/* The address bits a function's ROM BAR keeps; false: no ROM captured. */
bool	km_rom_mask(struct kmodel *, const struct pci_sel *, uint32_t *);
/* rom/pci0:B:S:F.rom, the ROM window's contents (at most HOST_ROM_MAX). */
int	km_rom_file(struct kmodel *, const struct pci_sel *, char *, size_t);
/*
 * A physical read at pa of the ROM window of sel, whose contents are
 * rom: what the window decodes, all ones where it does not (D-ROM3); a
 * comment goes to the journal.
 */
int	km_rom_window(struct kmodel *, const struct pci_sel *,
	    const uint8_t *, size_t, uint64_t, uint8_t *, size_t,
	    struct diags *);

#endif /* PTVM_KMODEL_H */
