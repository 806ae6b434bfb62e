/*
 * engine.h: what the commands ask of the lifecycle engine (engine/):
 * start, stop, the state of a VM, putting the host back.  The context,
 * the report callback and the rules every engine function keeps are in
 * eng.h; the parts in bind.h, life.h, vmload.h and disk.h.
 */
#ifndef PTVM_ENGINE_H
#define PTVM_ENGINE_H

#include <limits.h>

#include "eng.h"
#include "bind.h"
#include "disk.h"
#include "life.h"
#include "neigh.h"
#include "pcicfg.h"
#include "vmload.h"

/*
 * Start (start.c).  The VM file arg is found, read and compiled; then,
 * holding the locks, the engine recovers what a crash left, checks the
 * dirty marks, asks preflight (the front end's checks: -1 refuses),
 * claims the devices, makes and journals the host changes and runs the
 * supervisor: in the foreground until the VM ends, or as a daemon, when
 * it returns once the supervisor says "running" or "ended".  Progress
 * goes to report with arg, and so does preflight's arg.
 */
struct eng_start_opts {
	bool		 foreground;	/* -F */
	bool		 force;		/* --ignore-dirty: with dirty devices */
	int		(*preflight)(void *, struct vm_load *);
	eng_report_fn	*log;		/* -F: the supervisor's log lines */
	eng_report_fn	*report;
	void		*arg;
};
int	eng_start(struct eng *, const char *, const struct eng_start_opts *);

/*
 * Stop (stop.c).  countdown, when not NULL, is called about every second
 * while a guest is given time to power off, with the seconds left, and
 * with -1 when that display ends.
 */
struct eng_stop_opts {
	int		 timeout;	/* -t; 0: the VM file's */
	int		 within;	/* --within; 0: none */
	bool		 force;
	eng_report_fn	*report;
	void		(*countdown)(void *, const char *, int64_t);
	void		*arg;
};
int	eng_stop(struct eng *, const char *, const struct eng_stop_opts *);

/* What status and list show of a VM (status.c). */
struct vmstate {
	struct host	*h;
	char		 name[VM_NAMEMAX + 1];
	struct sup_status st;
	bool		 have_st;
	bool		 supervised;
	bool		 bhyve_alive;
	const char	*state;		/* what to show */
	struct vm_load	 ld;
	bool		 have_vm;
	struct sup_dirty_list dirty;
	char		 out[PATH_MAX];	/* bhyve's output file */
	size_t		 npending;	/* undo entries with no supervisor */
	char		 pending[256];
	char		 why[PATH_MAX + 512];	/* the status file is damaged */
	char		 dirty_why[PATH_MAX + 512]; /* the dirty file is */
};

/* Reads the state of VM name; the VM file's errors are not said. */
void	vmstate_read(struct eng *, struct host *, const char *,
	    struct vmstate *);
void	vmstate_free(struct vmstate *);
/* The VM files plus the VMs with a status file but no file any more. */
int	vmstate_names(struct eng *, struct host *, char ***, size_t *);
/* The B side of the VM's nmdm console (buf), or NULL. */
const char *vm_console_b(const struct vm *, char *, size_t);
/* The sentence of a signature name from a status file. */
const char *eng_sig_text(const char *);
/*
 * The last run's configuration-space diff of a function, from the saves
 * the supervisor left in RUNDIR/NAME.pci/; NULL when there are none.
 */
struct pcicfg_diff *eng_evidence_diff(struct host *, const char *,
	    const struct pci_sel *);

/*
 * host restore (restore.c): the runtime files of VMs no supervisor
 * watches are recovered (life_recover) and their journals undone (unbind:
 * bindings too).  *any: something was there to restore.  Returns the
 * number of entries that failed.
 */
int	eng_host_restore(struct eng *, bool, bool *, eng_report_fn *, void *);

/*
 * Snapshots (snap.c): zfs snapshot of the VM's zvols, DS@name each, one
 * call a pool (freebsd.md#Z1; several pools only while the VM is
 * stopped: running says it is not); on a failure the pools done before
 * are destroyed again.  sn gets the names made, the pools, and whether
 * zfs ran (false: only journaled, -H).  eng_snap_rollback: zfs rollback
 * of each zvol to DS@name, -r where nnewer_ds[i] newer snapshots go.
 */
struct eng_snap {
	char		 full[VM_MAXDISKS][ZFS_NAMEMAX + 1];
	size_t		 npool;
	bool		 ran;
};
int	eng_snap_take(struct eng *, const char *, const struct vm_disks *,
	    const char *, bool, struct eng_snap *);
int	eng_snap_rollback(struct eng *, const char *, const char *,
	    const struct vm_disks *, const size_t *, bool *);

/*
 * The desktop devices (issue 18).  tpm.c: "ptvm tpm reset" empties the
 * swtpm state directory of a stopped VM (the caller checked that it is
 * stopped and confirmed); -1 with diagnostics.
 */
#define TPM_SWTPM	"/usr/local/bin/swtpm"
int	eng_tpm_reset(struct eng *, const struct vm *);

/*
 * desk.c: the guest's addresses in the host's neighbour tables, found by
 * the MACs of its nets (freebsd.md#A3), none while it does not run; with
 * remote=sunshine what the supervisor's last probe of Sunshine's port
 * found, if it is recent (RUNDIR/NAME.remote).
 */
#define DESK_SUNSHINE_PORT 47989	/* Sunshine's HTTPS/pairing port */
#define DESK_PROBE_S	15		/* the supervisor probes this often */
struct guest_addrs {
	struct neigh_list nl;		/* the guest's entries only */
	bool		 have_arp, have_ndp;
	int		 v4;		/* first IPv4 entry of the guest, -1 */
	int		 answers;	/* Sunshine: 1, 0, -1 unknown */
	const char	*probe_why;	/* why unknown */
	char		 probed[NEIGH_ADDRMAX];	/* the address probed */
	long long	 age;		/* seconds since the probe, -1 */
	char		 why[128];
};
void	eng_guest_addrs(struct host *, const struct vm *, bool,
	    struct guest_addrs *);
void	eng_guest_addrs_free(struct guest_addrs *);

#endif /* PTVM_ENGINE_H */
