/*
 * bindrec.h: RUNDIR/bindings, ptvm's record of the functions it bound, so
 * that unbind knows how to give them back.  One line a function:
 *	pci0:B:S:F DRIVER HOW
 * DRIVER the driver it had ("none" for none), HOW "fixed" (bound with
 * devctl set driver) or "boot" (through pptdevs at boot).  A line that is
 * not a record is kept as it is and never believed.  No OS calls.
 */
#ifndef PTVM_BINDREC_H
#define PTVM_BINDREC_H

#include "compat.h"
#include "pci.h"
#include "strbuf.h"

struct bindrec {
	struct pci_sel	 sel;
	char		 driver[PCI_NAMELEN];
	char		 how[8];		/* "fixed" or "boot" */
};

/* Parses one line (len bytes, no newline); 0, or -1 if not a record. */
int	bindrec_parse_line(const char *, size_t, struct bindrec *);
/* The record of sel in the file (the last one wins); 0, or -1 if none. */
int	bindrec_find(const char *, size_t, const struct pci_sel *,
	    struct bindrec *);
/*
 * Writes the file without the records of the n functions in drop; every
 * other line is kept byte for byte (a last line gains its newline).
 */
void	bindrec_drop(const char *, size_t, const struct pci_sel *, size_t,
	    struct strbuf *);
/* Appends the line of r; -1 (nothing written) if r is not valid. */
int	bindrec_format(const struct bindrec *, struct strbuf *);

#endif /* PTVM_BINDREC_H */
