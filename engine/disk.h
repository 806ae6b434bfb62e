/*
 * disk.h: what the disk commands (cmd_disk.c) and check share: a VM's
 * disks as ZFS sees them, whether a VM runs, zfs(8) through the host
 * boundary, the other VM files, and writing a VM file back.
 */
#ifndef PTVM_DISK_H
#define PTVM_DISK_H

#include "compat.h"
#include "vmconf.h"
#include "zfs.h"

struct eng;
struct vm_load;

#define VM_MAXDISKS	32

struct vm_disk {
	const char	*path;		/* the VM's disk= path */
	unsigned	 line;
	char		 dataset[ZFS_NAMEMAX + 1];	/* "" when a file */
};

struct vm_disks {
	struct vm_disk	 d[VM_MAXDISKS];
	size_t		 n;
	size_t		 nzvol;
	const char	*ds[VM_MAXDISKS];	/* the zvols' datasets */
};

void	disk_list(const struct vm *, struct vm_disks *);

/*
 * Whether the VM runs: 1 yes, 0 no, -1 cannot tell; why says how ptvm
 * knows (its VM in /dev/vmm, or the supervisor's status file).
 */
int	vm_running(struct eng *, const char *, char *, size_t);

/*
 * Runs zfs with argv (a change: journaled under -H).  0 when it exited 0
 * or was only journaled (*ran false); -1 with a diagnostic otherwise.
 */
int	zfs_change(struct eng *, const char *const *, bool *);
/*
 * Runs a zfs that only reads; *out is its output, or NULL when it could
 * not run here (a captured host without DIR/bin/zfs).  -1 with a
 * diagnostic when it failed.
 */
int	zfs_query(struct eng *, const char *const *, char **, size_t *);
/*
 * zfs create -V of zvol ds (bytes, volblocksize vbs, volmode=dev; -s when
 * sparse, -p with parents), through zfs_change.
 */
int	eng_zvol_create(struct eng *, const char *, uint64_t, uint64_t, bool,
	    bool, bool *);
/* The command line of argv, for messages. */
void	argv_fmt(const char *const *, char *, size_t);

/*
 * Calls fn for each VM file of the VM directory but the VM self, parsed
 * (not compiled).  Files that do not parse are skipped.
 */
int	vm_foreach_other(struct eng *, const char *,
	    void (*)(void *, const char *, const struct vmconf *), void *);

/*
 * Writes a VM file back where it was read from, atomically (temporary
 * file, fsync, rename), keeping its mode; first checks that it still
 * holds orig, so an edit made meanwhile is never lost.
 */
int	vm_write(struct eng *, const char *, const struct vm_load *,
	    const char *, size_t);
/* Parses and compiles new text of the VM file of ld; -1 on errors. */
int	vm_recompile(struct eng *, const struct vm_load *, const char *,
	    size_t);

#endif /* PTVM_DISK_H */
