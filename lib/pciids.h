/*
 * pciids.h: vendor and device names from a pci.ids database
 * (/usr/share/misc/pci_vendors on FreeBSD, pci.ids elsewhere).
 */
#ifndef PTVM_PCIIDS_H
#define PTVM_PCIIDS_H

#include "compat.h"

struct pciids_name {
	const char	*s;		/* points into the database buffer */
	size_t		 len;		/* 0 when not found */
};

/*
 * Looks vendor and device up in the database text.  Either result may be
 * empty.  Returns 0, or -1 when the vendor is unknown.
 */
int	pciids_lookup(const char *, size_t, uint16_t, uint16_t,
	    struct pciids_name *, struct pciids_name *);

#endif /* PTVM_PCIIDS_H */
