/*
 * topogen: prints a synthetic kern.sched.topology_spec (the generator of
 * the tests) for the benchmarks.
 * usage: topogen nodes l3-per-node cores-per-l3 threads-per-core
 */
#include "compat.h"

#include <stdio.h>

#include "topo_gen.h"
#include "util.h"

int
main(int argc, char **argv)
{
	struct gen_shape s;
	struct strbuf sb;
	long long v[4];
	int i;

	if (argc != 5) {
		fprintf(stderr, "usage: topogen nodes l3 cores threads\n");
		return (2);
	}
	for (i = 0; i < 4; i++)
		if (util_strtonum(argv[i + 1], 1, TOPO_MAXCPU, &v[i]) != 0) {
			fprintf(stderr, "topogen: bad number \"%s\"\n",
			    argv[i + 1]);
			return (2);
		}
	memset(&s, 0, sizeof(s));
	s.name = "bench";
	s.nodes = (int)v[0];
	s.l3 = (int)v[1];
	s.cores = (int)v[2];
	s.smt = (int)v[3];
	s.words = TOPO_SETWORDS;
	if (gen_ncpus(&s) > TOPO_MAXCPU) {
		fprintf(stderr, "topogen: more than %d CPUs\n", TOPO_MAXCPU);
		return (2);
	}
	sb_init(&sb);
	gen_topology(&sb, &s);
	fputs(sb_str(&sb), stdout);
	sb_free(&sb);
	return (0);
}
