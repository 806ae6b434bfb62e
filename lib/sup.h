/*
 * sup.h: the VM supervisor as a pure state machine, and the two files it
 * keeps (the per-VM status file and the dirty-device file).
 *
 * The machine never acts: the front end feeds it events (bhyve spawned,
 * the guest runs, bhyve exited, stop requested, a timer passed ...) and
 * executes the actions it returns, in order (spawn bhyve, send SIGTERM,
 * send SIGKILL, destroy the VM, mark devices dirty, restore the host,
 * record the outcome, arm a timer ...).  Time is an input (milliseconds
 * of a monotonic clock), so every transition is testable without forking.
 *
 * FreeBSD facts this relies on (read in freebsd-src):
 *  - bhyve's exit status (usr.sbin/bhyve/bhyve.8 EXIT STATUS;
 *    usr.sbin/bhyve/amd64/vmexit.c vmexit_suspend()): 0 rebooted
 *    (VM_SUSPEND_RESET), 1 powered off (VM_SUSPEND_POWEROFF), 2 halted
 *    (VM_SUSPEND_HALT), 3 triple fault, 4 exited on an error; 100 an
 *    invalid suspend reason.  usr.sbin/bhyve/bhyverun.c also exits
 *    EX_USAGE (64) on bad -p/-c/-l/-o/-m values, EX_OSERR (71) on
 *    capsicum, vm_set_topology or vCPU activation failures, 1 from usage()
 *    and after config.dump=1, and calls abort() (SIGABRT) when a vm exit
 *    handler returns VMEXIT_ABORT (unemulated access).  Before FreeBSD 13
 *    every setup error exited 1 as well.  So exit 1 means "powered off"
 *    only once the guest ran.
 *  - sys/amd64/vmm/vmm.c vm_handle_hlt(): the VM is suspended with
 *    VM_SUSPEND_HALT (exit 2) when every vCPU halts with interrupts off,
 *    which is both a "halt" without power-off and what a panicked guest
 *    kernel does.  A halt therefore counts as unclean.
 *  - usr.sbin/bhyve/pm.c: SIGTERM becomes the ACPI power button only after
 *    the guest wrote BHYVE_ACPI_ENABLE to the SMI command port; only then
 *    does bhyve set SIGTERM to SIG_IGN and watch it through mevent.  Before
 *    that SIGTERM has its default action and ends bhyve at once, like a
 *    kill.  The front end can see the difference from outside (SIGTERM in
 *    bhyve's ignored-signal mask: kinfo_proc ki_sigignore) and feeds it as
 *    SUP_EV_ACPI.
 *  - usr.sbin/bhyve/bhyverun.c main(): every setup step (memory, devices,
 *    ROM, tables, sandbox) happens before setproctitle(vmname) and the
 *    start of vCPU 0.  "The guest runs" is fed as SUP_EV_RUNNING when the
 *    front end sees that title or ACPI enabled; without evidence, bhyve
 *    alive for boot_grace seconds counts as running (SUP_T_BOOT).  Under
 *    a captured host the bhyve stand-in (tests/bin/bhyve) writes both
 *    facts to DIR/run/vmm/NAME ("running=yes", "acpi=yes").
 *  - sys/amd64/vmm/io/ppt.c: ppt_assign_device() and ppt_unassign_device()
 *    both save the config space, reset the function (pcie_flr(), falling
 *    back to a D3hot power cycle) and restore it; destroying a VM unassigns
 *    every device.  The kernel resets the device the same way on every
 *    release whether the guest rebooted, powered off or crashed, so a
 *    reboot gains nothing from keeping the VM: between reboots ptvm
 *    destroys the VM and runs bhyve again, exactly as configured.  What
 *    decides the AMD "reset bug" is whether the guest's driver shut the
 *    GPU down before the release: true after a guest reboot or power-off,
 *    false after a kill, crash, halt or bhyve abort.  Those mark the
 *    devices dirty.  (A guest that reboots from a panic through the reset
 *    register also exits 0; ptvm cannot tell that from a clean reboot.)
 *  - An error before the guest ran cannot dirty a device: the guest never
 *    executed, and the kernel's own FLR on assign/unassign is all the
 *    device saw.  Such exits are errors, stop the VM, and mark nothing.
 */
#ifndef PTVM_SUP_H
#define PTVM_SUP_H

#include "compat.h"
#include "diag.h"
#include "pci.h"
#include "strbuf.h"
#include "vmconf.h"

enum sup_state {
	SUP_STOPPED,
	SUP_STARTING,		/* bhyve spawned, the guest not known to run */
	SUP_RUNNING,
	SUP_STOPPING,		/* stop requested, bhyve still alive */
};

/* What an exit of bhyve means. */
enum sup_kind {
	SUP_K_REBOOT,		/* 0 */
	SUP_K_POWEROFF,		/* 1, once the guest ran */
	SUP_K_HALT,		/* 2 */
	SUP_K_TRIPLEFAULT,	/* 3 */
	SUP_K_ERROR,		/* 4, 64, 71, 100, other; 1 before the guest ran */
	SUP_K_SIGNAL,		/* ended by a signal ptvm did not send last */
	SUP_K_KILLED,		/* ended by ptvm's SIGKILL */
	SUP_K_LOST,		/* the supervisor died; the end is unknown */
	SUP_K_SPAWNFAIL,	/* bhyve could not be run */
};

/* A wait(2) status, decoded. */
struct sup_exit {
	bool		 signaled;
	int		 code;		/* exit status, or signal number */
	/*
	 * bhyve's last words were an error (err(3)'s "bhyve: ...", "vm_run
	 * error"): exit status 1 after the guest ran is then no power-off
	 * (freebsd.md#B1).
	 */
	bool		 failed;
};

enum sup_kind sup_classify(const struct sup_exit *, bool ran, bool killed);
/* Whether an end of this kind leaves passed-through devices dirty. */
bool	sup_kind_dirty(enum sup_kind, bool ran);
const char *sup_kind_name(enum sup_kind);
int	sup_kind_parse(const char *, enum sup_kind *);
/* One line for "status": "powered off", "triple fault (guest crashed)" */
const char *sup_exit_meaning(const struct sup_exit *, bool ran);
const char *sup_state_name(enum sup_state);
int	sup_state_parse(const char *, enum sup_state *);

/* The supervisor's settings: the VM file's, and its own tunables. */
struct sup_conf {
	struct vm_life	 life;
	int		 boot_grace;	/* s alive without evidence = running */
	int		 press_spacing;	/* s between two ACPI presses */
	int		 loop_max;	/* more restarts than this ... */
	int		 loop_window;	/* ... within this many s: stop */
	bool		 acpi_observable; /* front end feeds SUP_EV_ACPI */
	bool		 restart_dirty;	/* start --ignore-dirty: restart dirty too */
	size_t		 ndev;		/* passed-through functions */
};

#define SUP_BOOT_GRACE		10
#define SUP_PRESS_SPACING	3
#define SUP_LOOP_MAX		5
#define SUP_LOOP_WINDOW		120
#define SUP_PROBE_MS		1000	/* ACPI probe interval while waiting */

/* Defaults; life NULL: the VM file defaults of ptvm.conf(5). */
void	sup_conf_default(struct sup_conf *, const struct vm_life *);

enum sup_timer {
	SUP_T_BOOT,		/* boot_grace passed since the spawn */
	SUP_T_PRESS2,		/* time for the second ACPI press */
	SUP_T_TIMEOUT,		/* the stop timeout */
	SUP_T_PROBE,		/* probe ACPI again */
	SUP_T_COUNT,
};

enum sup_ev_kind {
	SUP_EV_START,		/* start the VM */
	SUP_EV_SPAWNED,		/* bhyve runs as .pid */
	SUP_EV_SPAWN_FAILED,	/* bhyve could not be run (.err) */
	SUP_EV_RUNNING,		/* evidence that the guest runs */
	SUP_EV_ACPI,		/* the guest has (.on) or has not enabled ACPI */
	SUP_EV_EXIT,		/* bhyve ended (.exit) */
	SUP_EV_STOP,		/* stop (.timeout s, 0: the VM's; .force) */
	SUP_EV_SIGNAL,		/* the supervisor received .sig */
	SUP_EV_TIMER,		/* time passed: expired timers fire */
};

struct sup_event {
	enum sup_ev_kind kind;
	int64_t		 now;		/* ms, monotonic */
	int		 pid;
	int		 err;
	bool		 on;
	struct sup_exit	 exit;
	int		 timeout;
	bool		 force;
	int		 sig;
};

enum sup_act_kind {
	SUP_A_SPAWN,		/* run bhyve; feed SPAWNED or SPAWN_FAILED */
	SUP_A_PRESS,		/* SIGTERM to bhyve: the ACPI power button */
	SUP_A_KILL,		/* SIGKILL to bhyve */
	SUP_A_DESTROY,		/* bhyvectl --destroy --vm=NAME */
	SUP_A_DIRTY,		/* mark every passthru device dirty (.msg) */
	SUP_A_RESTORE,		/* undo host changes (taps, consmute ...) */
	SUP_A_RECORD,		/* record sup.last in the status file */
	SUP_A_TIMER,		/* arm .timer for .at (ms) */
	SUP_A_CANCEL,		/* disarm .timer */
	SUP_A_PROBE,		/* look whether the guest enabled ACPI */
	SUP_A_LOG,		/* tell the log (and a terminal) .msg */
	SUP_A_DONE,		/* the VM ended; the supervisor exits .code */
};

struct sup_action {
	enum sup_act_kind kind;
	enum sup_timer	 timer;
	int64_t		 at;
	enum diag_level	 level;
	int		 code;
	char		 msg[192];
};

#define SUP_MAXACT	16

struct sup_actions {
	struct sup_action a[SUP_MAXACT];
	size_t		 n;
};

/* How the last bhyve ended and what the supervisor made of it. */
struct sup_outcome {
	enum sup_kind	 kind;
	struct sup_exit	 exit;
	bool		 ran;		/* the guest had run */
	bool		 dirty;		/* devices were marked dirty */
	bool		 restart;	/* the VM was started again */
	int64_t		 at;		/* ms, the event's clock */
	char		 why[160];	/* "guest powered off", "restart loop" */
};

struct sup {
	struct sup_conf	 conf;
	enum sup_state	 state;
	int		 pid;		/* bhyve, 0 when none */
	bool		 ran;		/* the guest of this bhyve ran */
	int		 acpi;		/* -1 unknown, 0 not enabled, 1 enabled */
	int64_t		 spawned;	/* ms */
	/* A stop in progress. */
	bool		 force;
	bool		 killed;	/* SIGKILL sent */
	bool		 by_signal;	/* the supervisor was signalled */
	int		 presses;	/* SIGTERMs sent */
	int		 timeout;	/* s */
	int64_t		 deadline[SUP_T_COUNT];	/* ms, -1 disarmed */
	/* Restarts, for the loop limit. */
	unsigned	 restarts;
	int64_t		 recent[32];	/* ms of the last restarts, a ring */
	/* The last end. */
	bool		 has_last;
	struct sup_outcome last;
};

void	sup_init(struct sup *, const struct sup_conf *);
/*
 * Feeds one event; appends the actions to take, in order.  Returns 0, or
 * -1 when the event makes no sense in this state (a SUP_A_LOG says why).
 */
int	sup_step(struct sup *, const struct sup_event *, struct sup_actions *);
/* The earliest armed timer; false when none is. */
bool	sup_next_timer(const struct sup *, int64_t *);
const char *sup_act_name(enum sup_act_kind);
const char *sup_timer_name(enum sup_timer);

/*
 * The per-VM status file, /var/run/ptvm/NAME.status: "key=value" lines,
 * '#' comments.  Written by the supervisor after each transition, read by
 * "status", "stop" and recovery.  Keys:
 *	name		VM name (required)
 *	state		stopped|starting|running|stopping (required)
 *	pid		bhyve's pid, 0 when none
 *	supervisor	the supervising ptvm's pid, 0 when none
 *	started		Unix time bhyve was last spawned, 0 unknown
 *	restarts	restarts by this supervisor
 *	acpi		yes|no|unknown: the guest enabled ACPI
 *	ran		yes|no: the guest of this bhyve ran
 *	last.kind	reboot|poweroff|halt|triplefault|error|signal|killed|
 *			lost|spawnfail; the last.* keys appear together
 *	last.exit	"exit N" or "signal N"
 *	last.ran	yes|no
 *	last.dirty	yes|no
 *	last.time	Unix time of the end
 *	last.why	free text to the end of the line
 *	log		the VM's log file
 *	error		the last known bhyve error, explained (free text)
 *	devices		the host functions passed through, pciconf
 *			selectors separated by blanks (for recovery)
 *	evidence	"SELECTOR=SIGNATURE" words: what each function's
 *			configuration space looked like after the last end
 *			(lib/pcicfg.h names: none, bar-disabled, d3hot, dead)
 * Unknown keys are warnings (a newer ptvm may add some); a repeated key,
 * a bad value or a missing required key is an error, at its line.
 */
#define SUP_STATUS_MAXDEV	32

struct sup_status {
	char		 name[VM_NAMEMAX + 1];
	enum sup_state	 state;
	int		 pid;
	int		 supervisor;
	int64_t		 started;
	unsigned	 restarts;
	int		 acpi;
	bool		 ran;
	bool		 has_last;
	enum sup_kind	 last_kind;
	struct sup_exit	 last_exit;
	bool		 last_ran;
	bool		 last_dirty;
	int64_t		 last_time;
	char		 last_why[160];
	char		 log[256];
	char		 error[256];
	struct pci_sel	 dev[SUP_STATUS_MAXDEV];	/* passed through */
	size_t		 ndev;
	/* Configuration-space signatures after the last end (pcicfg.h). */
	struct pci_sel	 ev_sel[SUP_STATUS_MAXDEV];
	char		 ev_sig[SUP_STATUS_MAXDEV][16];
	size_t		 nev;
};

void	sup_status_init(struct sup_status *);
/* The machine's part of a status; time converts its clock to Unix s. */
void	sup_status_fill(const struct sup *, int64_t ms_to_unix_ms,
	    struct sup_status *);
int	sup_status_parse(const char *, size_t, const char *,
	    struct sup_status *, struct diags *);
void	sup_status_format(const struct sup_status *, struct strbuf *);
/* The evidence signature of a function, or NULL. */
const char *sup_status_evidence(const struct sup_status *,
	    const struct pci_sel *);

/*
 * After a supervisor vanished (killed with SIGKILL, host crash): given its
 * last status and what is true now, the actions that put things right.
 * An unsupervised bhyve that still runs is left alone (and said so); a
 * VM whose bhyve and supervisor are both gone ends as SUP_K_LOST, which
 * marks its devices dirty (nobody saw the guest power off).
 */
void	sup_recover(const struct sup_status *, bool supervisor_alive,
	    bool bhyve_alive, bool vm_exists, size_t ndev, int64_t now,
	    struct sup_outcome *, struct sup_actions *);

/*
 * The dirty-device file, /var/run/ptvm/dirty (FreeBSD empties /var/run at
 * boot, so a host reboot clears every mark).  One device a line:
 *	SELECTOR TIME VM REASON...
 * SELECTOR in pciconf form (pci0:6:0:0), TIME Unix seconds, VM the VM
 * that left it dirty, REASON free text to the end of the line.  '#'
 * comments and blank lines are allowed; a selector appears once.
 */
struct sup_dirty {
	struct pci_sel	 sel;
	int64_t		 time;
	char		 vm[VM_NAMEMAX + 1];
	char		 reason[160];
};

struct sup_dirty_list {
	struct sup_dirty *d;
	size_t		 n;
	size_t		 cap;
};

#define SUP_DIRTY_MAX	1024

void	sup_dirty_init(struct sup_dirty_list *);
void	sup_dirty_free(struct sup_dirty_list *);
int	sup_dirty_parse(const char *, size_t, const char *,
	    struct sup_dirty_list *, struct diags *);
void	sup_dirty_format(const struct sup_dirty_list *, struct strbuf *);
/* Adds or replaces the mark of sel; reason is cut to fit.  -1: no memory. */
int	sup_dirty_add(struct sup_dirty_list *, const struct pci_sel *,
	    int64_t, const char *, const char *);
const struct sup_dirty *sup_dirty_find(const struct sup_dirty_list *,
	    const struct pci_sel *);
bool	sup_dirty_remove(struct sup_dirty_list *, const struct pci_sel *);

#endif /* PTVM_SUP_H */
