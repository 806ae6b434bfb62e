/*
 * hostuse.h: what the host itself uses on a PCI function, from what the
 * base tools print: mount -p (file systems), zpool status -P (imported
 * pools), swapctl -l (swap), netstat -rn (the default route), camcontrol
 * devlist -v (which CAM bus each disk sits on), kern.disks, and newbus
 * parents (dev.NAME.UNIT.%parent, through a callback).  Pure: the caller
 * gathers the texts (host/host.c hostuse_read) and prints.
 *
 * A function is USED when one of those leads to it, UNKNOWN when the host
 * uses something whose controller cannot be told and the function could
 * be it (a storage or network controller; unknown is not safe), FREE
 * otherwise.  docs/freebsd.md H1-H9.
 */
#ifndef PTVM_HOSTUSE_H
#define PTVM_HOSTUSE_H

#include "compat.h"
#include "pci.h"

#define HU_NAMELEN	64

/* The newbus parent of a device ("ahcich0" -> "ahci0"); 0 or ENOENT. */
typedef int hostuse_parent_fn(void *, const char *, char *, size_t);

struct hu_mount {
	char		*from;		/* /dev/nda0p2, zroot/ROOT/default */
	char		*on;		/* mount point */
	char		*fstype;
};

struct hu_vdev {
	char		*pool;
	char		*path;		/* /dev/nda0p4 */
};

struct hu_periph {
	char		 name[HU_NAMELEN];	/* ada0, nda0, da0 */
	int		 bus;			/* scbusN */
};

struct hu_bus {
	int		 bus;
	char		 sim[HU_NAMELEN];	/* ahcich0, nvme0, umass-sim0 */
};

struct hostuse {
	bool		 have_disks, have_cam, have_mount, have_zpool;
	bool		 have_swap, have_route;
	char		**disks;	/* kern.disks */
	size_t		 ndisks;
	struct hu_periph *periph;
	size_t		 nperiph;
	struct hu_bus	*bus;
	size_t		 nbus;
	struct hu_mount	*mnt;
	size_t		 nmnt;
	struct hu_vdev	*vdev;
	size_t		 nvdev;
	char		**pools;	/* imported pools, vdevs or not */
	size_t		 npools;
	char		**swap;		/* /dev/nda0p3 */
	size_t		 nswap;
	char		**route;	/* interfaces of default routes */
	size_t		 nroute;
	hostuse_parent_fn *parent;
	void		*parent_arg;
};

enum hu_verdict {
	HU_FREE,
	HU_USED,
	HU_UNKNOWN,
};

struct hu_result {
	enum hu_verdict	 v;
	bool		 root;		/* holds the root file system */
	bool		 net;		/* carries the default route */
	bool		 disk;		/* holds a file system, pool or swap */
	bool		 soft;		/* UNKNOWN for a USB controller only */
	char		 what[512];	/* what would be lost */
	char		 why[512];	/* UNKNOWN: what could not be told */
};

void	hostuse_init(struct hostuse *);
void	hostuse_free(struct hostuse *);
/* Each parser sets its have_ flag; -1 only when out of memory. */
int	hostuse_parse_disks(struct hostuse *, const char *);
int	hostuse_parse_camcontrol(struct hostuse *, const char *);
int	hostuse_parse_mount(struct hostuse *, const char *);
int	hostuse_parse_zpool(struct hostuse *, const char *);
int	hostuse_parse_swap(struct hostuse *, const char *);
int	hostuse_parse_netstat(struct hostuse *, const char *);
/* Judges one function of the list. */
void	hostuse_judge(const struct hostuse *, const struct pci_list *,
	    const struct pci_dev *, struct hu_result *);

/* What passing a USED function through does to the host, in words. */
const char *hostuse_loss(const struct hu_result *);
/* "holds" (disks) or "carries" (only the default route). */
const char *hostuse_verb(const struct hu_result *);

#endif /* PTVM_HOSTUSE_H */
