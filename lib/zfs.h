/*
 * zfs.h: what ptvm knows of ZFS: dataset and snapshot names, the zvol
 * device paths, the output of "zfs list" and "zfs get" in scripting form,
 * and the snapshots of a VM (one name across all of its zvols).
 *
 * Pure: the front end runs zfs(8) through the host boundary and hands
 * the output here.  Facts relied on (OpenZFS man pages zfs-snapshot.8,
 * zfs-rollback.8, zfs-list.8, zfsprops.7; FreeBSD's zfs(8)):
 *  - "zfs snapshot a@x b@x" creates both snapshots atomically: they are
 *    one point in time, which is what a VM with several disks needs.
 *  - "zfs rollback" refuses to go back past a newer snapshot; "-r"
 *    destroys every newer snapshot (and bookmark) of that dataset.
 *  - createtxg orders snapshots exactly (creation has 1 s resolution).
 *  - written@SNAP of a dataset: the space written since SNAP, which a
 *    rollback to SNAP discards.
 *  - Dataset names: components of letters, digits, '_', '-', '.', ':'
 *    (and space, which ptvm refuses); the pool's name starts with a
 *    letter; at most 255 bytes with the snapshot part
 *    (ZFS_MAX_DATASET_NAME_LEN is 256 with the NUL).
 *  - A volume shows as /dev/zvol/POOL/PATH; with volmode=dev it is only
 *    that character device, so the host's GEOM never tastes the guest's
 *    partition tables (FreeBSD r264145).
 */
#ifndef PTVM_ZFS_H
#define PTVM_ZFS_H

#include "compat.h"
#include "diag.h"

#define ZFS_NAMEMAX	255
#define ZFS_ZVOL_DIR	"/dev/zvol/"
#define ZFS_MAXLINES	100000

/* A dataset (POOL/PATH) for a volume; -1 with the reason in why. */
int	zfs_dataset_check(const char *, char *, size_t);
/* The part after '@' of a snapshot; -1 with the reason in why. */
int	zfs_snapname_check(const char *, char *, size_t);
/* "/dev/zvol/zroot/vm/w" -> "zroot/vm/w"; -1 when not a zvol path. */
int	zfs_zvol_dataset(const char *, char *, size_t);

struct zfs_snap {
	char		*dataset;
	char		*snap;		/* after '@' */
	uint64_t	 createtxg;
	int64_t		 creation;	/* Unix seconds */
	uint64_t	 used;		/* space only this snapshot holds */
	uint64_t	 referenced;
	unsigned	 line;
};

struct zfs_snap_list {
	struct zfs_snap	*s;
	size_t		 n;
	size_t		 cap;
};

void	zfs_snap_init(struct zfs_snap_list *);
void	zfs_snap_free(struct zfs_snap_list *);
/*
 * The output of "zfs list -H -p -t snapshot -o name,createtxg,creation,
 * used,referenced": one tab-separated line a snapshot.  Every bad line is
 * reported at its line of what (e.g. "zfs list"); -1 when one was bad.
 * The list is sorted by dataset, then createtxg.
 */
int	zfs_snap_parse(const char *, size_t, const char *,
	    struct zfs_snap_list *, struct diags *);
const struct zfs_snap *zfs_snap_find(const struct zfs_snap_list *,
	    const char *, const char *);
/* The snapshots of ds newer than snap (createtxg above), in order. */
size_t	zfs_snap_newer(const struct zfs_snap_list *, const char *,
	    const struct zfs_snap *, const struct zfs_snap **, size_t);

/*
 * "zfs get -H -p -o name,value PROP DS...": DATASET<TAB>VALUE lines.  The
 * value of ds, a number; "-" or a missing line is -1 (unknown).
 */
int	zfs_get_num(const char *, size_t, const char *, uint64_t *);

/* A snapshot of the VM: the same name on its zvols. */
struct zfs_vmsnap {
	const char	*snap;		/* points into the list */
	int64_t		 creation;	/* the earliest */
	uint64_t	 createtxg;	/* the earliest */
	uint64_t	 used;		/* summed */
	size_t		 ndisks;	/* how many of the VM's zvols have it */
};

struct zfs_vmsnap_list {
	struct zfs_vmsnap *v;
	size_t		 n;
};

/* Groups the snapshots of the datasets ds[nds] by name, oldest first. */
int	zfs_vmsnap_group(const struct zfs_snap_list *, const char *const *,
	    size_t, struct zfs_vmsnap_list *);
void	zfs_vmsnap_free(struct zfs_vmsnap_list *);

/* A size as zfs prints it: "0B", "512B", "16K", "1.50G", "12.3M". */
void	zfs_size_human(uint64_t, char *, size_t);
/* A size exactly, with the largest unit that divides it: "256G". */
void	zfs_size_exact(uint64_t, char *, size_t);

#endif /* PTVM_ZFS_H */
