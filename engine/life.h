/*
 * life.h: the VM lifecycle in the engine.  The runtime files of a VM
 * under the host's run directory (/var/run/ptvm, DIR/run under -H), the
 * dirty-device marks, the undo journal's execution, recovery after a
 * supervisor vanished, and the supervisor's event loop (supervise.c).
 *
 *	NAME.pid	the supervisor's pidfile, locked while it lives
 *	NAME.status	lib/sup.h's status file
 *	NAME.sock	the supervisor's control socket ("stop" requests)
 *	NAME.undo	lib/undo.h's journal
 *	NAME.bhyve.conf	the configuration bhyve runs with (-k)
 *	dirty		the dirty-device marks of every VM
 *	life.lock	serialises updates of dirty and of the undo journals
 *
 * and under the log directory (/var/log/ptvm, DIR/log under -H):
 *
 *	NAME.log	the VM's log: bhyve's lines and ptvm's, timestamped
 *	NAME.out	bhyve's stdout and stderr, as it wrote them (this run)
 *	NAME.out.pos	how much of NAME.out is in NAME.log already
 */
#ifndef PTVM_LIFE_H
#define PTVM_LIFE_H

#include <limits.h>

#include "bhyvelog.h"
#include "eng.h"
#include "sup.h"
#include "undo.h"
#include "vmload.h"

struct life_paths {
	struct host	*h;		/* whose run and log directories */
	char		 pid[PATH_MAX];
	char		 status[PATH_MAX];
	char		 sock[PATH_MAX];
	char		 undo[PATH_MAX];
	char		 conf[PATH_MAX];
	char		 log[PATH_MAX];
	char		 out[PATH_MAX];
	char		 outpos[PATH_MAX];
	char		 dirty[PATH_MAX];
	char		 lock[PATH_MAX];
};

typedef void life_log_fn(void *, enum diag_level, const char *);

int	life_paths(struct host *, const char *, struct life_paths *);
/* Another VM's paths in the same directories. */
int	life_paths_of(const struct life_paths *, const char *,
	    struct life_paths *);
/* Whether the supervisor of a VM lives (its pidfile is locked); its pid. */
bool	life_supervisor(const struct life_paths *, int *);
/* Waits up to secs for the supervisor to exit. */
void	life_supervisor_wait(const struct life_paths *, unsigned);
/* The status file; ENOENT when the VM never ran since boot. */
int	life_status_read(const struct life_paths *, struct sup_status *,
	    struct diags *);
/*
 * The same for the commands that decide whether the VM may run: ENOENT,
 * 0, or for a file that cannot be read or does not parse EINVAL (or the
 * errno) with why saying so, the same words in status, list, start and
 * the disk commands: "PATH is damaged (line N: MSG); ...".  Such a VM may
 * be running.
 */
int	life_status_look(const struct life_paths *, struct sup_status *,
	    char *, size_t);
int	life_status_write(const struct life_paths *,
	    const struct sup_status *);

/* life.lock: held around read-modify-write of shared runtime files. */
int	life_lock(const struct life_paths *);
void	life_unlock(struct host *, int);

/* The dirty marks (an empty list when there are none). */
int	dirty_read(const struct life_paths *, struct sup_dirty_list *,
	    struct diags *);
/* Marks every passthru function of the VM dirty. */
int	dirty_mark(const struct life_paths *, const char *,
	    const struct pci_sel *, size_t, const char *);

/* The undo journal: records a change before it is made. */
int	undo_record(const struct life_paths *, const char *, enum undo_kind,
	    const char *const *);
/* Forgets the entry of a change that did not happen. */
int	undo_forget(const struct life_paths *, const char *, enum undo_kind,
	    const char *const *);
/*
 * Undoes the journal of VM name newest first, each undone entry removed
 * as it goes.  unbind: also give "keep" bindings back to their drivers.
 * A sysctl another live VM still relies on is handed over to that VM's
 * journal instead.  Returns the number of entries that failed.
 */
int	undo_restore(struct eng *, struct host *, const char *, bool,
	    life_log_fn *, void *);

/*
 * The kernel's VMs, each with the passthru functions it holds.  Neither
 * the kernel nor a running bhyve's arguments say which (bhyve sets its
 * title to "bhyve: NAME", freebsd.md#B3), so they come from ptvm's status
 * file of a VM it started, while the bhyve pid there still runs that VM.
 * The others keep devs_known false.
 */
int	life_vm_list(struct host *, struct host_vm_list *);

/*
 * The host-wide start lock (RUNDIR/host.lock): held by start from before
 * its preflight until its status file claims the VM's devices, so that a
 * second start sees the first and refuses (issue 14, item 6).  -1 on
 * error, else the descriptor for life_unlock().
 */
int	life_host_lock(struct host *);

/*
 * The entries of the undo journal of the VM of p: their number, and a
 * summary ("sysctl kern.consmute, bind pci0:6:0:0") in what.  0 when
 * there is none; -1 when the journal cannot be read.
 */
int	life_undo_pending(const struct life_paths *, size_t *, char *, size_t);

/*
 * The mask of cpuset 1, the set every host process is in: "cpuset -g -s
 * 1" prints "cpuset 1 mask: 0, 1, ..." (cpuset.c printaffinity,
 * freebsd.md#C7).  -1 when it cannot be read (not run under -H).
 */
struct topo_set;
int	life_set1_mask(struct host *, struct topo_set *);

/*
 * Refuses a change to function sel (named name) that a running VM holds,
 * or may hold because ptvm cannot tell its functions (life_vm_list): one
 * error each in d, what ending each message ("nothing was written").
 * 0 when none does, -1 otherwise.
 */
int	life_free_of_vms(struct host *, const struct pci_sel *, const char *,
	    const char *, const char *, struct diags *);

/* Whether the kernel has VM name; bhyvectl --destroy of it. */
bool	life_vm_exists(struct host *, const char *);
int	life_destroy(struct host *, const char *);

/*
 * bhyve's output (docs/freebsd.md#B-OUT1 to B-OUT4).  bhyve's stdout and
 * stderr are NAME.out, a regular file it appends to, never a pipe: no
 * write of bhyve's can fail or raise SIGPIPE, whoever reads the file or
 * not, and nothing is lost while no supervisor runs.  Its reader feeds
 * lib/bhyvelog.c from NAME.out.pos, the end of the last whole line
 * already in the log, and moves that on after writing to the log (a
 * reader killed in between repeats a few lines, never loses one).
 */
struct life_out {
	struct host	*h;		/* that reads them */
	int		 fd;		/* NAME.out; -1: none */
	int		 posfd;		/* NAME.out.pos; -1: none */
	int64_t		 off;		/* read up to here */
	int64_t		 saved;		/* NAME.out.pos */
	int64_t		 cap;		/* emptied past this; 0: never */
	int64_t		 retry;		/* no new try before this offset */
	int64_t		 got;		/* bytes the last fold read */
	bool		 more;		/* it stopped at LIFE_OUT_SLICE */
	struct bhyvelog	 blog;
};

/*
 * NAME.out is emptied (ftruncate to 0) by the supervisor once all of it
 * is in the log and it holds LIFE_OUT_CAP bytes and bhyve was quiet since
 * the last look, or LIFE_OUT_HARDCAP bytes even while bhyve writes (a line
 * it writes in that moment can be lost: life.c out_rewind); one fold
 * reads at most LIFE_OUT_SLICE bytes while bhyve runs.
 */
#define LIFE_OUT_CAP	(1024 * 1024)
#define LIFE_OUT_HARDCAP (8 * 1024 * 1024)
#define LIFE_OUT_SLICE	(8 * 1024 * 1024)

void	life_out_init(struct life_out *);
/*
 * Empties NAME.out for a new bhyve and opens it to read and to empty
 * (cap LIFE_OUT_CAP); *wfd is the descriptor for bhyve (O_APPEND).
 * NAME.out is never followed through a symbolic link and must be a
 * regular file.
 */
int	life_out_create(const struct life_paths *, struct life_out *, int *);
/* Opens NAME.out where NAME.out.pos left it; ENOENT: there is none. */
int	life_out_open(const struct life_paths *, struct life_out *);
/* Whether NAME.out holds bytes that were not read yet. */
bool	life_out_pending(const struct life_out *);
/*
 * Appends to the log (logfd) every line NAME.out holds beyond what was
 * read, stamped now in local offset tz, repeats counted and the log's
 * size capped (lib/bhyvelog.h); with LIFE_OUT_FINAL (bhyve has ended)
 * the unfinished last line too, with LIFE_OUT_FINAL or LIFE_OUT_SETTLE
 * the held repeat counts.  NAME.out.pos never passes a line the log
 * does not account for.  Returns the number of lines read.
 */
#define LIFE_OUT_FINAL	0x1
#define LIFE_OUT_SETTLE	0x2
unsigned life_out_fold(struct life_out *, int, int, int);
void	life_out_close(struct life_out *);
/*
 * What bhyve wrote while no supervisor read it, into the log after a
 * line that says so; final as above.  Said through fn when there was
 * something.
 */
void	life_out_orphan(const struct life_paths *, bool, life_log_fn *,
	    void *);

/*
 * After a supervisor vanished: its status says the VM was not stopped
 * but nobody holds the pidfile.  Puts things right (lib/sup.c
 * sup_recover): a bhyve that still runs is left alone, only its output
 * is folded into the log; otherwise the VM is destroyed, its devices
 * marked dirty, its output folded, the journal undone and the end
 * recorded as "lost".  Returns 1 when something was recovered, 2 when a
 * bhyve still runs unsupervised, 0 otherwise.  *undone (when not NULL)
 * is -1 when the journal was not touched, else what undo_restore()
 * returned: the caller must not undo it again (its errors said once).
 * unbind: the journal's "keep" bindings are given back too (host restore
 * --unbind).
 */
int	life_recover(struct eng *, struct host *, const char *, bool, int *,
	    life_log_fn *, void *);

/* The supervisor (supervise.c). */
struct supervise_opts {
	bool		 foreground;	/* -F */
	/* Each line the supervisor logs, as it logs it, or NULL (-F). */
	eng_report_fn	*report;
	void		*arg;
	bool		 force;		/* --ignore-dirty: restart with dirty devices */
	int		 ready_fd;	/* tell "running"/"ended" here, or -1 */
};

/* Runs the VM until it ends; returns the supervisor's exit status. */
int	supervise(struct eng *, struct host *, struct vm_load *,
	    const struct life_paths *, const struct supervise_opts *);

/* The host's ms clocks (its now and wall ops). */
int64_t	life_mono_ms(struct host *);
int64_t	life_wall_ms(struct host *);
/* Local offset from UTC in minutes, for log stamps. */
int	life_tzoff(struct host *);

/*
 * The desktop devices (issue 18).  tpm_start: with tpm=swtpm, start runs
 * the VM's swtpm before bhyve, journaled ("swtpm PID SOCKET"), and points
 * bhyve's tpm.path at its socket; progress to fn, errors into the
 * diagnostics; -1 on failure.  tpm_undo: stops a journaled swtpm and
 * removes its socket; what was done or why not in msg.
 * desk_supervise_tick: the supervisor's probe of Sunshine with
 * remote=sunshine, at most every DESK_PROBE_S seconds (*next).
 */
int	tpm_start(struct eng *, struct host *, struct vm_load *,
	    const struct life_paths *, eng_report_fn *, void *);
int	tpm_undo(struct host *, const struct undo_entry *, char *, size_t);
void	desk_supervise_tick(struct host *, const struct vm *, int64_t,
	    int64_t *);

#endif /* PTVM_LIFE_H */
