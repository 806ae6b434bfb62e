/*
 * eng.h: the lifecycle engine, the layer between the command front
 * end (src/) and the host boundary (host/).  It binds with rollback,
 * starts, stops and supervises VMs, gathers their state, puts the host
 * back after a crash, and acts on disks.
 *
 * The engine never prints and never exits: every message goes into the
 * diagnostics list of its context (lib/diag.h), progress lines (the
 * bind journal, the stop countdown) go to a report callback the front
 * end gives, and every OS operation goes through the host's ops table
 * (host/host.h).  This header: the context; engine.h: the commands'
 * operations; the parts: bind.h, life.h, vmload.h, disk.h.
 */
#ifndef PTVM_ENG_H
#define PTVM_ENG_H

#include "compat.h"
#include "diag.h"
#include "host.h"
#include "pci.h"
#include "topo.h"

/* Exit statuses (ptvm.8 EXIT STATUS), which engine functions return. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/*
 * What every engine function works with: the host (opened on first use
 * by eng_host), where its messages go, and where the VM files are.
 */
/*
 * What one command reads of the host and the VM files once, however
 * many VMs it loads ("ptvm list" of 1000 VMs parsed the topology and read
 * every VM file again for each VM, issue 17).  Filled on first use;
 * eng_forget() drops the VM files' part, eng_close() all of it.
 */
struct eng_cache {
	int		 topo_state;	/* 0: not read; 1: topo; -1: none */
	int		 topo_err;	/* with -1: ENOENT (none) or -1 */
	struct topo	 topo;
	bool		 nmdm_read;	/* the console=auto units below */
	struct eng_nmdm {
		char	*name;		/* a VM file with console=auto */
		int	 unit;		/* its nmdm unit */
	}		*nmdm;		/* sorted by name (strcmp) */
	size_t		 nmdm_n;
	unsigned long	 nmdm_used[4];	/* units 0-255 named or taken */
};

struct eng {
	const char	*hostdir;	/* -H DIR, or NULL for the live host */
	struct host	*host;		/* opened on first use */
	struct diags	*diags;		/* every message of the engine */
	const char	*confdir;	/* -c DIR: VM files, or NULL */
	struct eng_cache cache;		/* eng_topo(), vmload.c */
};

/*
 * A progress line for the user (arg, the VM it is about, the level, the
 * line): the bind journal's lines, "running, bhyve pid N", the stop's
 * replies.  Engine functions report only DIAG_NOTE lines this way;
 * warnings and errors go into the diagnostics list, which the front end
 * prints before each progress line, so that they keep their order.
 */
typedef void eng_report_fn(void *, const char *, enum diag_level,
	    const char *);

int	eng_host(struct eng *, struct host **);
/* Closes the host and drops the cache. */
void	eng_close(struct eng *);
/*
 * Drops what was read of the VM files (after a command changed one);
 * the host's part (eng_topo's topology) stays valid until eng_close.
 */
void	eng_forget(struct eng *);
/*
 * The host's CPU topology (kern.sched.topology_spec), parsed once per
 * command: 0 and *tp, ENOENT when the host gives none, -1 when it does
 * not parse (said once in the diagnostics).
 */
int	eng_topo(struct eng *, const struct topo **);
/* The host's PCI functions, names filled in from pci.ids. */
int	eng_pci(struct eng *, struct pci_list *);
/* hw.pci.default_vgapci_unit: the vgapci driving the console, or -1. */
int	eng_console_unit(struct eng *);

#endif /* PTVM_ENG_H */
