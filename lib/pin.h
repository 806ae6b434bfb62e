/*
 * pin.h: the vCPU pinning planner and the host isolation it implies.
 *
 * Rules, in priority order (ptvm.8 "pin"):
 *  1. never a reserved CPU; by default the host keeps the first physical
 *     core when the VM takes fewer vCPUs than the host has cores;
 *  2. threads: no two vCPUs on one core while a free core is unused, the
 *     extra vCPUs on siblings of cores the VM already uses (fewest shared
 *     cores); cores: whole cores, fewest cores used;
 *  3. fewest NUMA nodes, then fewest L3 domains;
 *  4. P-cores before E-cores, E-cores by whole L2 cluster;
 *  5. deterministic.
 */
#ifndef PTVM_PIN_H
#define PTVM_PIN_H

#include "compat.h"
#include "diag.h"
#include "strbuf.h"
#include "topo.h"

enum pin_policy {
	PIN_THREADS,			/* one thread per core (default) */
	PIN_CORES,			/* whole cores, SMT pairs */
};

struct pin_req {
	int		 nvcpus;
	enum pin_policy	 policy;
	bool		 reserve_set;	/* --reserve given ("none": empty) */
	struct topo_set	 reserve;
};

/* What a placement costs; the planner minimises it in field order. */
struct pin_metrics {
	int		 shared_cores;	/* cores carrying two or more vCPUs */
	int		 cores_used;
	int		 numa_nodes;
	int		 l3_domains;
	int		 ecores;	/* E-cores used */
	int		 eclusters;	/* L2 clusters touched */
};

struct pin_plan {
	int		 nvcpus;
	enum pin_policy	 policy;
	int		 cpu[TOPO_MAXCPU];	/* host CPU of each vCPU */
	struct topo_set	 reserved;
	struct topo_set	 used;
	int		 sockets;	/* guest topology */
	int		 cores;
	int		 threads;
	struct pin_metrics m;
};

int	pin_policy_parse(const char *, enum pin_policy *);
const char *pin_policy_name(enum pin_policy);

/* Returns 0, or -1 with an error in d for an impossible request. */
int	pin_plan(const struct topo *, const struct pin_req *, struct pin_plan *,
	    struct diags *);
/* Measures any placement of n vCPUs (cpu[i] must exist). */
void	pin_measure(const struct topo *, const int *, int,
	    struct pin_metrics *);

void	pin_bhyve_flags(const struct pin_plan *, struct strbuf *);
void	pin_config(const struct pin_plan *, struct strbuf *);
/* The plan as a JSON object, under key (NULL inside an array/at top). */
void	pin_json(const struct pin_plan *, struct json *, const char *);

/*
 * Host isolation: cpuset(1) runs that keep the host's processes (cpuset 1)
 * off the VM's CPUs while it runs, and undo that.  Each is an argument
 * vector for the supervisor to run; launch is the prefix that starts
 * bhyve in a new set on the VM's CPUs.  bhyve must not inherit set 1:
 * once set 1 lacks the VM's CPUs, the kernel refuses to pin a vCPU
 * thread there and bhyve aborts (docs/freebsd.md C3, B-ISO1); a set made
 * by cpuset(2) hangs from the root, not from set 1 (C2).
 */
struct pin_isolation {
	struct topo_set	 host;		/* CPUs the host keeps */
	struct topo_set	 vm;
	char		*apply[6];	/* cpuset -l HOST -s 1 */
	char		*launch[5];	/* cpuset -c -l VM (then bhyve ...) */
	char		*undo[6];	/* cpuset -l ALL -s 1 */
	char		*lists[3];	/* storage of the three lists */
};

int	pin_isolate(const struct topo *, const struct pin_plan *,
	    struct pin_isolation *, struct diags *);
/*
 * The prefix of bhyve's argument vector: iso's launch when isolate is
 * set, the VM is pinned (p) on a known topology (t) and a CPU is left to
 * the host; NULL otherwise (bhyve runs as it is).
 */
char *const *pin_launch_prefix(const struct topo *, const struct pin_plan *,
	    bool, struct pin_isolation *);
void	pin_isolation_free(struct pin_isolation *);

#endif /* PTVM_PIN_H */
