/*
 * topo.h: the host's CPU topology, parsed from kern.sched.topology_spec
 * (the XML that sys/kern/subr_smp.c prints), and sets of CPU numbers.
 *
 * The model: NUMA nodes contain L3 domains, L3 domains contain physical
 * cores, a core has one or more hardware threads (logical CPUs).  Cores
 * that share an L2 without being SMT siblings form an L2 cluster (Intel
 * E-cores).  On a hybrid CPU the cores in clusters are E-cores and the
 * others P-cores.
 */
#ifndef PTVM_TOPO_H
#define PTVM_TOPO_H

#include "compat.h"
#include "diag.h"
#include "strbuf.h"

#define TOPO_MAXCPU	1024		/* FreeBSD 14 MAXCPU on amd64 */
#define TOPO_SETWORDS	(TOPO_MAXCPU / 64)
#define TOPO_MAXTHREADS	8		/* hardware threads per core */
#define TOPO_MAXINPUT	(4 * 1024 * 1024)	/* bytes of XML */

/* A set of CPU numbers below TOPO_MAXCPU. */
struct topo_set {
	uint64_t	 w[TOPO_SETWORDS];
};

void	topo_set_zero(struct topo_set *);
void	topo_set_add(struct topo_set *, int);
void	topo_set_del(struct topo_set *, int);
bool	topo_set_has(const struct topo_set *, int);
int	topo_set_count(const struct topo_set *);
bool	topo_set_equal(const struct topo_set *, const struct topo_set *);
/* Next member at or above cpu, or -1. */
int	topo_set_next(const struct topo_set *, int);

/*
 * CPU lists as cpuset(1) and bhyve take them: "2,4-7".  Parsing accepts
 * spaces after commas; "what" names the list in diagnostics ("--reserve").
 */
int	cpuset_parse(const char *, struct topo_set *, const char *,
	    struct diags *);
void	cpuset_format(const struct topo_set *, struct strbuf *);

enum topo_class {
	TOPO_CLASS_ANY,			/* not a hybrid CPU */
	TOPO_CLASS_P,
	TOPO_CLASS_E,
};

struct topo_core {
	int		 cpu[TOPO_MAXTHREADS];	/* ascending */
	int		 nthreads;
	int		 l2;		/* L2 cluster, -1 when not in one */
	int		 l3;		/* index into topo.l3 */
	int		 node;		/* index into topo.node */
	enum topo_class	 class;
};

struct topo_l3 {
	int		 node;		/* the node holding its first CPU */
	int		 first_core;	/* cores are numbered by domain */
	int		 ncores;
};

struct topo_node {
	int		 first_l3;
	int		 nl3;
};

struct topo {
	struct topo_set	 all;		/* CPUs present */
	int		 ncpus;
	int		 maxcpu;	/* highest CPU number + 1 */
	int		*cpu_core;	/* [maxcpu]: core of a CPU, -1 absent */
	struct topo_core *core;		/* ordered node, L3, first CPU */
	int		 ncores;
	struct topo_l3	*l3;
	int		 nl3;
	struct topo_node *node;
	int		 nnodes;
	int		 nl2;		/* L2 clusters */
	int		 max_threads;	/* most threads of one core */
	int		 mask_words;	/* words of the masks, 0 if none */
	bool		 hybrid;
};

/*
 * Parses the XML in buf (len bytes, not NUL-terminated) into t.  "file"
 * names the input in diagnostics.  Returns 0, or -1 with at least one
 * error in d; warnings (mask mismatch and the like) do not fail.
 */
int	topo_parse(const char *, size_t, const char *, struct topo *,
	    struct diags *);
void	topo_free(struct topo *);
/* The core of cpu, or NULL when the CPU does not exist. */
const struct topo_core *topo_cpu_core(const struct topo *, int);
const char *topo_class_name(enum topo_class);

/* JSON description of the machine (used by "ptvm topology --json"). */
void	topo_json(const struct topo *, struct json *);

struct pin_plan;
/*
 * The picture for a terminal.  With a plan, each thread shows the vCPU
 * it runs ("v3"), "R" for reserved, "." for free, and a core carrying two
 * or more vCPUs is marked.
 */
void	topo_draw(const struct topo *, const struct pin_plan *,
	    struct strbuf *);

#endif /* PTVM_TOPO_H */
