/*
 * pin_test.c: the pinning planner.  Worked examples, errors, host
 * isolation, and an oracle that, for every test machine of up to 32 CPUs,
 * every vCPU count and both policies, finds the best placement by
 * exhaustive search over sets of L3 domains (a knapsack over the cores
 * inside each set) and checks that the planner's plan is as good.
 */
#include "compat.h"

#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pin.h"
#include "strbuf.h"
#include "topo.h"
#include "topo_gen.h"

#ifndef TOP
#define TOP "."
#endif

static const char *captures[] = {
	"ptnotes-blog-12cpu-6core-smt-beautified.xml",
	"xeon-dual-socket-6core-noht-2numa.xml",
	"pytorch-cpuinfo-172-4core-8thread-smt.xml",
	"intel-2core-4thread-nashost.xml",
	"unknown-4cpu-nosmt-flat-fbsd12era.xml",
};

static void
load_capture(const char *name, struct topo *t)
{
	char path[1024], buf[1 << 16];
	struct diags d;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/topology/%s", TOP, name);
	ATF_REQUIRE_MSG((f = fopen(path, "r")) != NULL, "%s", path);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	diags_init(&d);
	ATF_REQUIRE_EQ(topo_parse(buf, len, name, t, &d), 0);
	diags_free(&d);
}

static void
load_shape(const struct gen_shape *s, struct topo *t)
{
	struct strbuf sb;
	struct diags d;

	sb_init(&sb);
	gen_topology(&sb, s);
	diags_init(&d);
	ATF_REQUIRE_EQ_MSG(topo_parse(sb.s, sb.len, s->name, t, &d), 0, "%s",
	    s->name);
	diags_free(&d);
	sb_free(&sb);
}

/* Plans or fails the test with the planner's message. */
static struct pin_plan *
plan(const struct topo *t, int n, enum pin_policy pol, const char *reserve)
{
	static struct pin_plan p;
	struct pin_req req;
	struct diags d;

	memset(&req, 0, sizeof(req));
	req.nvcpus = n;
	req.policy = pol;
	diags_init(&d);
	if (reserve != NULL) {
		req.reserve_set = true;
		if (strcmp(reserve, "none") != 0)
			ATF_REQUIRE_EQ(cpuset_parse(reserve, &req.reserve,
			    "--reserve", &d), 0);
	}
	ATF_REQUIRE_EQ_MSG(pin_plan(t, &req, &p, &d), 0, "N=%d: %s", n,
	    STAILQ_EMPTY(&d.head) ? "" : STAILQ_FIRST(&d.head)->msg);
	diags_free(&d);
	return (&p);
}

static const char *
plan_error(const struct topo *t, int n, const char *reserve)
{
	static char msg[256];
	struct pin_plan p;
	struct pin_req req;
	struct diags d;

	memset(&req, 0, sizeof(req));
	req.nvcpus = n;
	diags_init(&d);
	if (reserve != NULL) {
		req.reserve_set = true;
		ATF_REQUIRE_EQ(cpuset_parse(reserve, &req.reserve, "r", &d),
		    0);
	}
	ATF_REQUIRE_EQ(pin_plan(t, &req, &p, &d), -1);
	ATF_REQUIRE_EQ(d.nerrors, 1);
	snprintf(msg, sizeof(msg), "%s", STAILQ_FIRST(&d.head)->msg);
	diags_free(&d);
	return (msg);
}

static const char *
plan_str(const struct pin_plan *p, int what)
{
	static struct strbuf sb;
	struct json j;

	sb_free(&sb);
	sb_init(&sb);
	if (what == 0)
		pin_bhyve_flags(p, &sb);
	else if (what == 1) {
		json_init(&j, &sb);
		pin_json(p, &j, NULL);
	} else
		pin_config(p, &sb);
	return (sb_str(&sb));
}

ATF_TC_WITHOUT_HEAD(guide_machine_four_vcpus_one_thread_per_core);
ATF_TC_BODY(guide_machine_four_vcpus_one_thread_per_core, tc)
{
	struct pin_plan *p;
	struct topo t;

	load_capture(captures[0], &t);
	p = plan(&t, 4, PIN_THREADS, NULL);
	ATF_CHECK_STREQ(plan_str(p, 0), "-p 0:2 -p 1:4 -p 2:6 -p 3:8");
	ATF_CHECK_STREQ(plan_str(p, 1), "{\"vcpus\":4,\"policy\":\"threads\","
	    "\"pins\":[{\"vcpu\":0,\"cpu\":2},{\"vcpu\":1,\"cpu\":4},"
	    "{\"vcpu\":2,\"cpu\":6},{\"vcpu\":3,\"cpu\":8}],"
	    "\"guest\":{\"sockets\":1,\"cores\":4,\"threads\":1},"
	    "\"reserved\":[0,1],\"l3_domains\":1,\"numa_nodes\":1,"
	    "\"shared_cores\":0}");
	ATF_CHECK_STREQ(plan_str(p, 2), "cpus=4\nsockets=1\ncores=4\n"
	    "threads=1\nvcpu.0.cpuset=2\nvcpu.1.cpuset=4\nvcpu.2.cpuset=6\n"
	    "vcpu.3.cpuset=8\n");
	topo_free(&t);
}

ATF_TC_WITHOUT_HEAD(guide_machine_cores_policy_gives_guest_smt_pairs);
ATF_TC_BODY(guide_machine_cores_policy_gives_guest_smt_pairs, tc)
{
	struct pin_plan *p;
	struct topo t;

	load_capture(captures[0], &t);
	p = plan(&t, 4, PIN_CORES, NULL);
	ATF_CHECK_STREQ(plan_str(p, 0), "-p 0:2 -p 1:3 -p 2:4 -p 3:5");
	ATF_CHECK_EQ(p->threads, 2);
	ATF_CHECK_EQ(p->cores, 2);
	ATF_CHECK_EQ(p->m.shared_cores, 2);
	p = plan(&t, 5, PIN_CORES, NULL);
	ATF_CHECK_STREQ(plan_str(p, 0), "-p 0:2 -p 1:3 -p 2:4 -p 3:5 -p 4:6");
	ATF_CHECK_EQ(p->threads, 1);
	ATF_CHECK_EQ(p->cores, 5);
	topo_free(&t);
}

ATF_TC_WITHOUT_HEAD(more_vcpus_than_cores_go_to_siblings_of_used_cores);
ATF_TC_BODY(more_vcpus_than_cores_go_to_siblings_of_used_cores, tc)
{
	struct pin_plan *p;
	struct topo t;

	load_capture(captures[0], &t);
	/* 8 >= 6 cores: the host keeps nothing by default. */
	p = plan(&t, 8, PIN_THREADS, NULL);
	ATF_CHECK_STREQ(plan_str(p, 0),
	    "-p 0:0 -p 1:2 -p 2:4 -p 3:6 -p 4:8 -p 5:10 -p 6:1 -p 7:3");
	ATF_CHECK_EQ(p->m.shared_cores, 2);
	ATF_CHECK_EQ(topo_set_count(&p->reserved), 0);
	/* All 12: the guest sees the six pairs. */
	p = plan(&t, 12, PIN_THREADS, NULL);
	ATF_CHECK_EQ(p->threads, 2);
	ATF_CHECK_EQ(p->cpu[0], 0);
	ATF_CHECK_EQ(p->cpu[1], 1);
	topo_free(&t);
}

ATF_TC_WITHOUT_HEAD(six_vcpus_on_two_ccd_ryzen_stay_in_one_ccd);
ATF_TC_BODY(six_vcpus_on_two_ccd_ryzen_stay_in_one_ccd, tc)
{
	struct pin_plan *p;
	struct topo t;
	int i;

	load_shape(&gen_shapes[2], &t);		/* 2 CCDs x 8 cores x 2 */
	p = plan(&t, 6, PIN_THREADS, NULL);
	ATF_CHECK_EQ(p->m.l3_domains, 1);
	ATF_CHECK_EQ(p->m.shared_cores, 0);
	/* CCD 1: all 8 cores free, CCD 0 has the host's core. */
	for (i = 0; i < 6; i++)
		ATF_CHECK_EQ(p->cpu[i], 16 + 2 * i);
	p = plan(&t, 12, PIN_CORES, NULL);
	ATF_CHECK_EQ(p->m.l3_domains, 1);	/* 6 cores fit one CCD */
	ATF_CHECK_EQ(p->threads, 2);
	p = plan(&t, 10, PIN_THREADS, NULL);	/* 10 cores: two CCDs */
	ATF_CHECK_EQ(p->m.l3_domains, 2);
	ATF_CHECK_EQ(p->m.shared_cores, 0);
	topo_free(&t);
}

ATF_TC_WITHOUT_HEAD(hybrid_takes_p_cores_then_whole_e_clusters);
ATF_TC_BODY(hybrid_takes_p_cores_then_whole_e_clusters, tc)
{
	struct pin_plan *p;
	struct topo t;

	load_shape(&gen_shapes[9], &t);		/* 6 P x 2 + 2 x 4 E */
	p = plan(&t, 5, PIN_THREADS, NULL);
	ATF_CHECK_STREQ(plan_str(p, 0), "-p 0:2 -p 1:4 -p 2:6 -p 3:8 -p 4:10");
	ATF_CHECK_EQ(p->m.ecores, 0);
	p = plan(&t, 9, PIN_THREADS, NULL);	/* 5 P + 4 E: one cluster */
	ATF_CHECK_EQ(p->m.ecores, 4);
	ATF_CHECK_EQ(p->m.eclusters, 1);
	ATF_CHECK_EQ(p->m.shared_cores, 0);
	p = plan(&t, 7, PIN_CORES, NULL);	/* 3 P pairs + half a P */
	ATF_CHECK_EQ(p->m.ecores, 0);
	ATF_CHECK_EQ(p->m.cores_used, 4);
	topo_free(&t);
}

ATF_TC_WITHOUT_HEAD(split_sibling_numbering_never_shares_a_core);
ATF_TC_BODY(split_sibling_numbering_never_shares_a_core, tc)
{
	struct pin_plan *p;
	struct topo t;

	load_shape(&gen_shapes[13], &t);	/* 8 cores, i and i + 8 */
	p = plan(&t, 4, PIN_THREADS, NULL);
	ATF_CHECK_STREQ(plan_str(p, 0), "-p 0:1 -p 1:2 -p 2:3 -p 3:4");
	ATF_CHECK(topo_set_has(&p->reserved, 8));
	p = plan(&t, 4, PIN_CORES, NULL);
	ATF_CHECK_STREQ(plan_str(p, 0), "-p 0:1 -p 1:9 -p 2:2 -p 3:10");
	ATF_CHECK_EQ(p->threads, 2);
	topo_free(&t);
}

ATF_TC_WITHOUT_HEAD(reserve_list_overrides_the_default);
ATF_TC_BODY(reserve_list_overrides_the_default, tc)
{
	struct pin_plan *p;
	struct topo t;

	load_capture(captures[0], &t);
	p = plan(&t, 4, PIN_THREADS, "none");
	ATF_CHECK_STREQ(plan_str(p, 0), "-p 0:0 -p 1:2 -p 2:4 -p 3:6");
	p = plan(&t, 4, PIN_THREADS, "0-3");
	ATF_CHECK_STREQ(plan_str(p, 0), "-p 0:4 -p 1:6 -p 2:8 -p 3:10");
	ATF_CHECK(strstr(plan_str(p, 1), "\"reserved\":[0,1,2,3],"
	    "\"l3_domains\":1,\"numa_nodes\":1,\"shared_cores\":0}") != NULL);
	topo_free(&t);
}

ATF_TC_WITHOUT_HEAD(impossible_requests_are_clear_errors);
ATF_TC_BODY(impossible_requests_are_clear_errors, tc)
{
	struct topo t;

	load_capture(captures[0], &t);
	ATF_CHECK_STREQ(plan_error(&t, 13, NULL),
	    "13 vCPUs: this host has 12 CPUs");
	ATF_CHECK_STREQ(plan_error(&t, 0, NULL),
	    "0 vCPUs: this host has 12 CPUs");
	ATF_CHECK_STREQ(plan_error(&t, 4, "0-11"),
	    "the reserved CPUs leave none for the VM");
	ATF_CHECK_STREQ(plan_error(&t, 4, "12"),
	    "--reserve: CPU 12 does not exist (this host has CPUs 0-11)");
	ATF_CHECK_STREQ(plan_error(&t, 11, "0-1"),
	    "11 vCPUs, but only 10 of the host's 12 CPUs are usable "
	    "(2 reserved)");
	topo_free(&t);
}

ATF_TC_WITHOUT_HEAD(isolation_moves_the_host_off_the_vm_cpus_and_back);
ATF_TC_BODY(isolation_moves_the_host_off_the_vm_cpus_and_back, tc)
{
	struct pin_isolation iso;
	struct pin_plan *p;
	struct diags d;
	struct topo t;
	char line[256];

	load_capture(captures[0], &t);
	p = plan(&t, 4, PIN_THREADS, NULL);
	diags_init(&d);
	ATF_REQUIRE_EQ(pin_isolate(&t, p, &iso, &d), 0);
	snprintf(line, sizeof(line), "%s %s %s %s %s", iso.apply[0],
	    iso.apply[1], iso.apply[2], iso.apply[3], iso.apply[4]);
	ATF_CHECK_STREQ(line, "cpuset -l 0,1,3,5,7,9-11 -s 1");
	ATF_CHECK(iso.apply[5] == NULL);
	snprintf(line, sizeof(line), "%s %s %s %s", iso.launch[0],
	    iso.launch[1], iso.launch[2], iso.launch[3]);
	ATF_CHECK_STREQ(line, "cpuset -c -l 2,4,6,8");
	ATF_CHECK(iso.launch[4] == NULL);
	snprintf(line, sizeof(line), "%s %s %s %s %s", iso.undo[0],
	    iso.undo[1], iso.undo[2], iso.undo[3], iso.undo[4]);
	ATF_CHECK_STREQ(line, "cpuset -l 0-11 -s 1");
	pin_isolation_free(&iso);
	p = plan(&t, 12, PIN_THREADS, NULL);
	ATF_CHECK_EQ(pin_isolate(&t, p, &iso, &d), -1);
	ATF_CHECK_EQ(d.nerrors, 1);
	diags_free(&d);
	topo_free(&t);
}

/* bhyve's prefix: a new set (under the root) holding every pinned CPU. */
ATF_TC_WITHOUT_HEAD(launch_prefix_holds_every_pinned_cpu);
ATF_TC_BODY(launch_prefix_holds_every_pinned_cpu, tc)
{
	struct pin_isolation iso;
	struct topo_set set;
	struct pin_plan *p;
	char *const *pre;
	struct diags d;
	struct topo t;
	int i;

	load_capture(captures[0], &t);
	p = plan(&t, 6, PIN_CORES, NULL);
	memset(&iso, 0, sizeof(iso));
	ATF_CHECK(pin_launch_prefix(&t, p, false, &iso) == NULL);
	ATF_CHECK(pin_launch_prefix(NULL, p, true, &iso) == NULL);
	ATF_CHECK(pin_launch_prefix(&t, NULL, true, &iso) == NULL);
	ATF_REQUIRE((pre = pin_launch_prefix(&t, p, true, &iso)) != NULL);
	ATF_CHECK_STREQ(pre[0], "cpuset");
	ATF_CHECK_STREQ(pre[1], "-c");
	ATF_CHECK_STREQ(pre[2], "-l");
	ATF_CHECK(pre[4] == NULL);
	diags_init(&d);
	ATF_REQUIRE_EQ(cpuset_parse(pre[3], &set, "launch", &d), 0);
	diags_free(&d);
	for (i = 0; i < p->nvcpus; i++)
		ATF_CHECK_MSG(topo_set_has(&set, p->cpu[i]), "vCPU %d on %d "
		    "outside %s", i, p->cpu[i], pre[3]);
	ATF_CHECK_EQ(topo_set_count(&set), topo_set_count(&p->used));
	pin_isolation_free(&iso);
	p = plan(&t, 12, PIN_THREADS, NULL);
	ATF_CHECK(pin_launch_prefix(&t, p, true, &iso) == NULL);
	topo_free(&t);
}

ATF_TC_WITHOUT_HEAD(plan_on_1024_cpus_keeps_to_one_node);
ATF_TC_BODY(plan_on_1024_cpus_keeps_to_one_node, tc)
{
	struct pin_plan *p;
	struct topo t;

	load_shape(&gen_big, &t);	/* 4 nodes x 8 L3 x 16 cores x 2 */
	p = plan(&t, 64, PIN_THREADS, NULL);
	ATF_CHECK_EQ(p->m.numa_nodes, 1);
	ATF_CHECK_EQ(p->m.l3_domains, 4);	/* 4 x 16, not the host's */
	ATF_CHECK_EQ(p->m.shared_cores, 0);
	p = plan(&t, 64, PIN_CORES, NULL);
	ATF_CHECK_EQ(p->m.l3_domains, 2);
	ATF_CHECK_EQ(p->threads, 2);
	p = plan(&t, 600, PIN_THREADS, NULL);
	ATF_CHECK_EQ(p->m.numa_nodes, 4);	/* 512 cores: all, 88 shared */
	ATF_CHECK_EQ(p->m.shared_cores, 88);
	topo_free(&t);
}

/*
 * The oracle.  For a set S of L3 domains, a knapsack over its cores gives
 * the best rule-2 value for every vCPU count: threads, the fewest cores
 * carrying two or more vCPUs; cores, the fewest cores used.  The best
 * plan is the lexicographic minimum of (rule-2 value, nodes of S, |S|)
 * over all S.
 */
struct best {
	int	 primary;
	int	 nodes;
	int	 l3;
};

#define BIG	1000000

static void
knapsack(const struct topo *t, unsigned set, const int *usable,
    enum pin_policy pol, int *dp)
{
	int next[TOPO_MAXCPU + 1], c, n, x, cost;

	for (n = 0; n <= t->ncpus; n++)
		dp[n] = n == 0 ? 0 : BIG;
	for (c = 0; c < t->ncores; c++) {
		if (!((set >> t->core[c].l3) & 1))
			continue;
		for (n = 0; n <= t->ncpus; n++)
			next[n] = dp[n];
		for (n = 0; n <= t->ncpus; n++) {
			if (dp[n] == BIG)
				continue;
			for (x = 1; x <= usable[c] && n + x <= t->ncpus; x++) {
				cost = pol == PIN_THREADS ? x >= 2 : 1;
				if (dp[n] + cost < next[n + x])
					next[n + x] = dp[n] + cost;
			}
		}
		memcpy(dp, next, sizeof(int) * (size_t)(t->ncpus + 1));
	}
}

/* best[n] for n = 0..ncpus, given the reserved CPUs. */
static void
oracle(const struct topo *t, const struct topo_set *res,
    enum pin_policy pol, struct best *best)
{
	int usable[TOPO_MAXCPU], dp[TOPO_MAXCPU + 1], c, i, n, nodes, l3;
	unsigned set, nm;
	struct best b;

	for (c = 0; c < t->ncores; c++)
		for (usable[c] = 0, i = 0; i < t->core[c].nthreads; i++)
			usable[c] += !topo_set_has(res, t->core[c].cpu[i]);
	for (n = 0; n <= t->ncpus; n++)
		best[n].primary = BIG;
	ATF_REQUIRE(t->nl3 <= 16);
	for (set = 1; set < 1U << t->nl3; set++) {
		knapsack(t, set, usable, pol, dp);
		for (nm = 0, l3 = 0; l3 < t->nl3; l3++)
			if ((set >> l3) & 1)
				nm |= 1U << t->l3[l3].node;
		nodes = __builtin_popcount(nm);
		l3 = __builtin_popcount(set);
		for (n = 1; n <= t->ncpus; n++) {
			b.primary = dp[n];
			b.nodes = nodes;
			b.l3 = l3;
			if (b.primary < best[n].primary ||
			    (b.primary == best[n].primary &&
			    (b.nodes < best[n].nodes || (b.nodes ==
			    best[n].nodes && b.l3 < best[n].l3))))
				best[n] = b;
		}
	}
}

/* Rules 1, 2 and 4 and the guest topology, checked on one plan. */
static void
check_plan(const struct topo *t, const struct pin_plan *p, int n,
    const char *what)
{
	int per[TOPO_MAXCPU], i, c, freep;
	const struct topo_core *co;
	struct topo_set seen;

	memset(per, 0, sizeof(per));
	topo_set_zero(&seen);
	for (i = 0; i < n; i++) {
		co = topo_cpu_core(t, p->cpu[i]);
		ATF_REQUIRE_MSG(co != NULL, "%s: no CPU %d", what, p->cpu[i]);
		ATF_REQUIRE_MSG(!topo_set_has(&seen, p->cpu[i]),
		    "%s: CPU %d twice", what, p->cpu[i]);
		ATF_REQUIRE_MSG(!topo_set_has(&p->reserved, p->cpu[i]),
		    "%s: reserved CPU %d used", what, p->cpu[i]);
		topo_set_add(&seen, p->cpu[i]);
		per[co - t->core]++;
	}
	ATF_CHECK_EQ_MSG(p->sockets * p->cores * p->threads, n, "%s", what);
	for (i = 0; p->threads > 1 && i < n; i += p->threads)
		for (c = 1; c < p->threads; c++)
			ATF_CHECK_MSG(topo_cpu_core(t, p->cpu[i]) ==
			    topo_cpu_core(t, p->cpu[i + c]),
			    "%s: vCPUs %d and %d are not siblings", what, i,
			    i + c);
	/* Rule 4: no E-core while a P-core has a usable thread unused. */
	for (freep = 0, c = 0; c < t->ncores && p->m.ecores > 0; c++) {
		if (t->core[c].class != TOPO_CLASS_P)
			continue;
		for (i = 0; i < t->core[c].nthreads; i++)
			if (!topo_set_has(&p->reserved, t->core[c].cpu[i]) &&
			    !topo_set_has(&seen, t->core[c].cpu[i]) &&
			    (p->policy == PIN_CORES || per[c] == 0))
				freep++;
	}
	ATF_CHECK_EQ_MSG(freep, 0, "%s: E-cores used before P-cores", what);
	if (p->m.ecores > 0)
		ATF_CHECK_EQ_MSG(p->m.eclusters, (p->m.ecores + 3) / 4,
		    "%s: E clusters not taken whole", what);
}

static void
default_reserve(const struct topo *t, int n, struct topo_set *res)
{
	const struct topo_core *co;
	int i;

	topo_set_zero(res);
	if (n >= t->ncores)
		return;
	co = topo_cpu_core(t, 0);
	for (i = 0; i < co->nthreads; i++)
		topo_set_add(res, co->cpu[i]);
}

/* One machine, one policy, one reserve choice ("default"/NULL). */
static int
check_machine(const struct topo *t, const char *name, enum pin_policy pol,
    const char *reserve)
{
	static struct best best[2][TOPO_MAXCPU + 1];
	struct topo_set res[2], want;
	struct pin_plan *p, first;
	char what[160];
	int n, k, usable, checked;
	struct diags d;

	diags_init(&d);
	topo_set_zero(&res[0]);
	if (reserve != NULL && strcmp(reserve, "none") != 0)
		ATF_REQUIRE_EQ(cpuset_parse(reserve, &res[0], "r", &d), 0);
	default_reserve(t, 1, &res[1]);
	for (k = 0; k < 2; k++)
		oracle(t, &res[k], pol, best[k]);
	checked = 0;
	for (n = 1; n <= t->ncpus; n++) {
		k = reserve == NULL && n < t->ncores;
		usable = t->ncpus - topo_set_count(&res[k]);
		if (n > usable)
			continue;
		snprintf(what, sizeof(what), "%s %s N=%d reserve=%s", name,
		    pin_policy_name(pol), n, reserve ? reserve : "default");
		p = plan(t, n, pol, reserve);
		first = *p;
		ATF_CHECK_MSG(memcmp(plan(t, n, pol, reserve), &first,
		    sizeof(first)) == 0, "%s: not deterministic", what);
		default_reserve(t, reserve == NULL ? n : t->ncores, &want);
		ATF_CHECK_MSG(topo_set_equal(&p->reserved, k ? &want : &res[0]),
		    "%s: reserved set", what);
		check_plan(t, p, n, what);
		ATF_CHECK_EQ_MSG(pol == PIN_THREADS ? p->m.shared_cores :
		    p->m.cores_used, best[k][n].primary, "%s: rule 2", what);
		ATF_CHECK_EQ_MSG(p->m.numa_nodes, best[k][n].nodes,
		    "%s: NUMA nodes", what);
		ATF_CHECK_EQ_MSG(p->m.l3_domains, best[k][n].l3,
		    "%s: L3 domains", what);
		if (pol == PIN_CORES && t->max_threads <= 2)
			ATF_CHECK_EQ_MSG(p->m.shared_cores, n - p->m.cores_used,
			    "%s: shared cores", what);
		checked++;
	}
	diags_free(&d);
	return (checked);
}

static int
check_all_policies(const struct topo *t, const char *name)
{
	static const char *reserves[] = { NULL, "none", "0", "1,2" };
	size_t r;
	int n;

	n = 0;
	for (r = 0; r < nitems(reserves); r++) {
		n += check_machine(t, name, PIN_THREADS, reserves[r]);
		n += check_machine(t, name, PIN_CORES, reserves[r]);
	}
	return (n);
}

ATF_TC_WITHOUT_HEAD(oracle_plans_are_optimal_on_every_shape);
ATF_TC_BODY(oracle_plans_are_optimal_on_every_shape, tc)
{
	struct topo t;
	size_t i;
	int n;

	n = 0;
	for (i = 0; i < nitems(gen_shapes); i++) {
		load_shape(&gen_shapes[i], &t);
		ATF_REQUIRE(t.ncpus <= 32);
		n += check_all_policies(&t, gen_shapes[i].name);
		topo_free(&t);
	}
	for (i = 0; i < nitems(captures); i++) {
		load_capture(captures[i], &t);
		n += check_all_policies(&t, captures[i]);
		topo_free(&t);
	}
	/* Every shape, N and policy; not a vacuous pass. */
	ATF_CHECK_MSG(n > 2000, "only %d plans checked", n);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, guide_machine_four_vcpus_one_thread_per_core);
	ATF_TP_ADD_TC(tp, guide_machine_cores_policy_gives_guest_smt_pairs);
	ATF_TP_ADD_TC(tp, more_vcpus_than_cores_go_to_siblings_of_used_cores);
	ATF_TP_ADD_TC(tp, six_vcpus_on_two_ccd_ryzen_stay_in_one_ccd);
	ATF_TP_ADD_TC(tp, hybrid_takes_p_cores_then_whole_e_clusters);
	ATF_TP_ADD_TC(tp, split_sibling_numbering_never_shares_a_core);
	ATF_TP_ADD_TC(tp, reserve_list_overrides_the_default);
	ATF_TP_ADD_TC(tp, impossible_requests_are_clear_errors);
	ATF_TP_ADD_TC(tp, isolation_moves_the_host_off_the_vm_cpus_and_back);
	ATF_TP_ADD_TC(tp, launch_prefix_holds_every_pinned_cpu);
	ATF_TP_ADD_TC(tp, plan_on_1024_cpus_keeps_to_one_node);
	ATF_TP_ADD_TC(tp, oracle_plans_are_optimal_on_every_shape);
	return (atf_no_error());
}
