/*
 * topo_impl.h: what the topology parser hands to the model builder.
 * Private to lib/topo*.c.
 */
#ifndef PTVM_TOPO_IMPL_H
#define PTVM_TOPO_IMPL_H

#include "compat.h"
#include "diag.h"
#include "topo.h"

#define TOPO_MAXDEPTH	16
#define TOPO_MAXGROUPS	8192

#define TOPO_GF_THREAD	0x1		/* THREAD, SMT or HTT: one core */
#define TOPO_GF_NODE	0x2		/* a NUMA node */

struct topo_group {
	int		 parent;	/* index, -1 for a root */
	int		 cache_level;
	unsigned	 flags;
	unsigned	 line;
	unsigned	 cpu_line;	/* of its <cpu> element */
	int		 count;		/* count attribute, -1 if none */
	int		 mask_words;
	bool		 has_mask;
	bool		 has_cpus;
	struct topo_set	 cpus;		/* the CPU list */
	struct topo_set	 mask;
};

struct topo_raw {
	struct topo_group *g;		/* in document order */
	int		 ngroups;
	int		 capgroups;
};

int	topo_model(const struct topo_raw *, const char *, struct topo *,
	    struct diags *);

#endif /* PTVM_TOPO_IMPL_H */
