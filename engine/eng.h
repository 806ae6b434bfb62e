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

/* Exit statuses (ptvm.8 EXIT STATUS), which engine functions return. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/*
 * What every engine function works with: the host (opened on first use
 * by eng_host), where its messages go, and where the VM files are.
 */
struct eng {
	const char	*hostdir;	/* -H DIR, or NULL for the live host */
	struct host	*host;		/* opened on first use */
	struct diags	*diags;		/* every message of the engine */
	const char	*confdir;	/* -c DIR: VM files, or NULL */
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
/* The host's PCI functions, names filled in from pci.ids. */
int	eng_pci(struct eng *, struct pci_list *);
/* hw.pci.default_vgapci_unit: the vgapci driving the console, or -1. */
int	eng_console_unit(struct eng *);

#endif /* PTVM_ENG_H */
