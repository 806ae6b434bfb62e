/*
 * snap.c: the snapshot commands' changes of the host: zfs snapshot of a
 * VM's zvols (one call, one instant, a pool) and zfs rollback, each
 * through zfs_change() (disk.c).  The front end (src/cmd_snap.c) chooses
 * the name, checks what a rollback would lose and says what was done.
 */
#include "compat.h"

#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "strbuf.h"

/* The length of a dataset's pool name ("zroot" of zroot/vm/t1). */
static size_t
pool_len(const char *ds)
{

	return (strcspn(ds, "/"));
}

static bool
same_pool(const char *a, const char *b)
{

	return (pool_len(a) == pool_len(b) &&
	    strncmp(a, b, pool_len(a)) == 0);
}

/*
 * zfs snapshot DS1@name DS2@name ... of the zvols of one pool: one call,
 * one instant.  The kernel makes such a request atomic only within one
 * pool and refuses it whole (EXDEV) across pools (freebsd.md#Z1), so a
 * VM whose disks are in several pools gets one call per pool; a failed
 * call destroys what the calls before it made.
 */
static int
snap_pool(struct eng *eng, const struct vm_disks *dl, size_t first,
    char full[][ZFS_NAMEMAX + 1], bool *ran)
{
	const char *av[4 + VM_MAXDISKS];
	size_t i, n;

	n = 0;
	av[n++] = "zfs";
	av[n++] = "snapshot";
	for (i = first; i < dl->nzvol; i++)
		if (same_pool(dl->ds[i], dl->ds[first]))
			av[n++] = full[i];
	av[n] = NULL;
	return (zfs_change(eng, av, ran));
}

/* The first zvol of the pool of zvol k. */
static size_t
pool_first(const struct vm_disks *dl, size_t k)
{
	size_t i;

	for (i = 0; i < k && !same_pool(dl->ds[i], dl->ds[k]); i++)
		;
	return (i);
}

/* Destroys the snapshots of the pools done before the one of zvol upto. */
static void
snap_undo_pools(struct eng *eng, const struct vm_disks *dl, size_t upto,
    char full[][ZFS_NAMEMAX + 1])
{
	const char *av[4];
	size_t i;
	bool ran;

	for (i = 0; i < dl->nzvol; i++) {
		if (pool_first(dl, i) >= upto)
			continue;
		av[0] = "zfs";
		av[1] = "destroy";
		av[2] = full[i];
		av[3] = NULL;
		if (zfs_change(eng, av, &ran) == 0)
			diag_note(eng->diags, NULL, 0, "destroyed %s again: the "
			    "snapshot of the VM's other pool failed", full[i]);
	}
}

int
eng_snap_take(struct eng *eng, const char *vm, const struct vm_disks *dl,
    const char *name, bool running, struct eng_snap *sn)
{
	char (*full)[ZFS_NAMEMAX + 1] = sn->full;
	size_t i, npool;
	bool ran;
	int r;

	for (i = npool = 0; i < dl->nzvol; i++) {
		r = snprintf(full[i], sizeof(full[i]), "%s@%s", dl->ds[i],
		    name);
		if (r < 0 || r > ZFS_NAMEMAX) {
			diag_err(eng->diags, NULL, 0, "%s@%s is longer than "
			    "%d bytes: choose a shorter name", dl->ds[i], name,
			    ZFS_NAMEMAX);
			return (-1);
		}
		npool += pool_first(dl, i) == i;
	}
	if (npool > 1 && running) {
		diag_err(eng->diags, NULL, 0, "%s's disks are in %zu pools and "
		    "it runs: zfs makes one instant only within a pool, so the "
		    "disks would be snapshotted at different moments; stop it "
		    "first", vm, npool);
		return (-1);
	}
	ran = false;
	for (i = 0; i < dl->nzvol; i++) {
		if (pool_first(dl, i) != i)
			continue;
		if (snap_pool(eng, dl, i, full, &ran) != 0) {
			snap_undo_pools(eng, dl, i, full);
			return (-1);
		}
	}
	sn->npool = npool;
	sn->ran = ran;
	return (0);
}

/* zfs rollback of each zvol; on a failure, says which are done. */
int
eng_snap_rollback(struct eng *eng, const char *vm, const char *name,
    const struct vm_disks *dl, const size_t *nnewer_ds, bool *ran)
{
	const char *av[5];
	char snap[ZFS_NAMEMAX + 1];
	size_t i, k, n;

	for (i = 0; i < dl->nzvol; i++) {
		n = 0;
		av[n++] = "zfs";
		av[n++] = "rollback";
		if (nnewer_ds[i] > 0)
			av[n++] = "-r";
		if (snprintf(snap, sizeof(snap), "%s@%s", dl->ds[i], name) >=
		    (int)sizeof(snap)) {
			diag_err(eng->diags, NULL, 0, "%s@%s: name too long",
			    dl->ds[i], name);
			return (-1);
		}
		av[n++] = snap;
		av[n] = NULL;
		if (zfs_change(eng, av, ran) == 0)
			continue;
		if (i > 0) {
			struct strbuf sb;

			sb_init(&sb);
			for (k = 0; k < i; k++)
				sb_printf(&sb, "%s%s", k ? ", " : "",
				    dl->ds[k]);
			diag_err(eng->diags, NULL, 0, "%s is rolled back only "
			    "in part: %s %s at %s, %s and the rest are not; "
			    "fix the cause and run the rollback again", vm,
			    sb_str(&sb), i == 1 ? "is" : "are", name,
			    dl->ds[i]);
			sb_free(&sb);
		} else
			diag_err(eng->diags, NULL, 0, "%s was not rolled "
			    "back", vm);
		return (-1);
	}
	return (0);
}
