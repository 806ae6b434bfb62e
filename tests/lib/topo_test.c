/*
 * topo_test.c: the kern.sched.topology_spec parser on real captures, on
 * generated machines of every shape, and on broken input.
 */
#include "compat.h"

#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "strbuf.h"
#include "topo.h"
#include "topo_gen.h"

#ifndef TOP
#define TOP "."
#endif

static char *
read_data(const char *name, size_t *len)
{
	char path[1024], *buf;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/topology/%s", TOP, name);
	ATF_REQUIRE_MSG((f = fopen(path, "r")) != NULL, "%s", path);
	buf = malloc(1 << 16);
	ATF_REQUIRE(buf != NULL);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return (buf);
}

static void
parse_file(const char *name, struct topo *t, struct diags *d)
{
	size_t len;
	char *buf;

	buf = read_data(name, &len);
	diags_init(d);
	ATF_REQUIRE_EQ_MSG(topo_parse(buf, len, name, t, d), 0, "%s: %s",
	    name, STAILQ_EMPTY(&d->head) ? "" : STAILQ_FIRST(&d->head)->msg);
	free(buf);
}

/* Parses s, expects failure; returns the first diagnostic. */
static void
expect_error(const char *s, unsigned line, const char *what)
{
	struct diags d;
	struct topo t;
	struct diag *x;

	diags_init(&d);
	ATF_REQUIRE_EQ(topo_parse(s, strlen(s), "topology.xml", &t, &d), -1);
	ATF_REQUIRE(d.nerrors >= 1);
	STAILQ_FOREACH(x, &d.head, entry)
		if (x->level == DIAG_ERROR)
			break;
	ATF_REQUIRE(x != NULL);
	ATF_CHECK_STREQ(x->file, "topology.xml");
	ATF_CHECK_EQ_MSG(x->line, line, "%s: line %u", x->msg, x->line);
	ATF_CHECK_MSG(strstr(x->msg, what) != NULL, "\"%s\" lacks \"%s\"",
	    x->msg, what);
	diags_free(&d);
}

static void
check_core(const struct topo *t, int cpu, int a, int b)
{
	const struct topo_core *co;

	ATF_REQUIRE((co = topo_cpu_core(t, cpu)) != NULL);
	ATF_CHECK_EQ(co->cpu[0], a);
	if (b >= 0) {
		ATF_CHECK_EQ(co->nthreads, 2);
		ATF_CHECK_EQ(co->cpu[1], b);
	} else
		ATF_CHECK_EQ(co->nthreads, 1);
}

ATF_TC_WITHOUT_HEAD(guide_capture_is_six_smt_cores_one_l3);
ATF_TC_BODY(guide_capture_is_six_smt_cores_one_l3, tc)
{
	struct diags d;
	struct topo t;
	int c;

	parse_file("ptnotes-blog-12cpu-6core-smt-beautified.xml", &t, &d);
	ATF_CHECK_EQ(d.nwarnings, 0);
	ATF_CHECK_EQ(t.ncpus, 12);
	ATF_CHECK_EQ(t.ncores, 6);
	ATF_CHECK_EQ(t.nl3, 1);
	ATF_CHECK_EQ(t.nnodes, 1);
	ATF_CHECK_EQ(t.max_threads, 2);
	ATF_CHECK_EQ(t.mask_words, 16);
	ATF_CHECK(!t.hybrid);
	for (c = 0; c < 12; c += 2) {
		check_core(&t, c, c, c + 1);
		check_core(&t, c + 1, c, c + 1);
	}
	ATF_CHECK(topo_cpu_core(&t, 12) == NULL);
	topo_free(&t);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(xeon_capture_is_two_numa_nodes_without_smt);
ATF_TC_BODY(xeon_capture_is_two_numa_nodes_without_smt, tc)
{
	struct diags d;
	struct topo t;
	int c;

	parse_file("xeon-dual-socket-6core-noht-2numa.xml", &t, &d);
	ATF_CHECK_EQ(t.ncpus, 12);
	ATF_CHECK_EQ(t.ncores, 12);
	ATF_CHECK_EQ(t.nnodes, 2);
	ATF_CHECK_EQ(t.nl3, 2);
	ATF_CHECK_EQ(t.max_threads, 1);
	for (c = 0; c < 12; c++) {
		check_core(&t, c, c, -1);
		ATF_CHECK_EQ(topo_cpu_core(&t, c)->node, c / 6);
		ATF_CHECK_EQ(topo_cpu_core(&t, c)->l3, c / 6);
	}
	topo_free(&t);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(small_captures_parse_with_their_mask_sizes);
ATF_TC_BODY(small_captures_parse_with_their_mask_sizes, tc)
{
	struct diags d;
	struct topo t;

	parse_file("pytorch-cpuinfo-172-4core-8thread-smt.xml", &t, &d);
	ATF_CHECK_EQ(t.ncores, 4);
	ATF_CHECK_EQ(t.mask_words, 4);
	check_core(&t, 7, 6, 7);
	topo_free(&t);
	diags_free(&d);
	parse_file("intel-2core-4thread-nashost.xml", &t, &d);
	ATF_CHECK_EQ(t.ncores, 2);
	ATF_CHECK_EQ(t.nl3, 1);		/* no L3 group: one implicit */
	check_core(&t, 2, 2, 3);
	topo_free(&t);
	diags_free(&d);
	parse_file("unknown-4cpu-nosmt-flat-fbsd12era.xml", &t, &d);
	ATF_CHECK_EQ(t.ncores, 4);
	ATF_CHECK_EQ(t.mask_words, 2);
	ATF_CHECK_EQ(t.max_threads, 1);
	check_core(&t, 3, 3, -1);
	topo_free(&t);
	diags_free(&d);
}

static void
parse_shape(const struct gen_shape *s, struct topo *t, struct diags *d)
{
	struct strbuf sb;

	sb_init(&sb);
	gen_topology(&sb, s);
	diags_init(d);
	ATF_REQUIRE_EQ_MSG(topo_parse(sb.s, sb.len, s->name, t, d), 0,
	    "%s: %s", s->name, STAILQ_EMPTY(&d->head) ? "" :
	    STAILQ_FIRST(&d->head)->msg);
	sb_free(&sb);
}

static void
check_shape(const struct gen_shape *s)
{
	const struct topo_core *co;
	struct diags d;
	struct topo t;
	int pc, k, i;

	parse_shape(s, &t, &d);
	ATF_CHECK_EQ_MSG(d.nwarnings, 0, "%s", s->name);
	ATF_CHECK_EQ_MSG(t.ncpus, gen_ncpus(s), "%s", s->name);
	pc = s->nodes * s->l3 * s->cores;
	ATF_CHECK_EQ_MSG(t.ncores, pc + s->nodes * s->l3 * s->eclusters *
	    s->ecores, "%s", s->name);
	ATF_CHECK_EQ_MSG(t.nl3, s->nodes * s->l3, "%s", s->name);
	ATF_CHECK_EQ_MSG(t.nnodes, s->nodes, "%s", s->name);
	ATF_CHECK_EQ_MSG(t.mask_words, s->words, "%s", s->name);
	ATF_CHECK_EQ_MSG(t.hybrid, s->eclusters > 0 && s->cores > 0, "%s",
	    s->name);
	for (k = 0; k < pc; k++) {
		co = topo_cpu_core(&t, gen_cpu(s, k, 0));
		ATF_REQUIRE(co != NULL);
		ATF_CHECK_EQ_MSG(co->nthreads, s->smt, "%s", s->name);
		for (i = 0; i < s->smt; i++)
			ATF_CHECK_EQ_MSG(co->cpu[i], gen_cpu(s, k, i),
			    "%s core %d", s->name, k);
		ATF_CHECK_EQ(co->l3, k / s->cores);
		ATF_CHECK_EQ(co->node, k / (s->cores * s->l3));
		ATF_CHECK(co->class == (t.hybrid ? TOPO_CLASS_P :
		    TOPO_CLASS_ANY));
	}
	for (k = 0; k < t.ncores - pc && t.hybrid; k++) {
		co = topo_cpu_core(&t, gen_cpu(s, k, -1));
		ATF_CHECK(co->class == TOPO_CLASS_E);
		ATF_CHECK_EQ(co->l2, k / s->ecores);
	}
	topo_free(&t);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(every_generated_shape_gives_its_model);
ATF_TC_BODY(every_generated_shape_gives_its_model, tc)
{
	size_t i;

	for (i = 0; i < nitems(gen_shapes); i++)
		check_shape(&gen_shapes[i]);
	check_shape(&gen_big);
}

ATF_TC_WITHOUT_HEAD(split_numbering_pairs_i_with_i_plus_half);
ATF_TC_BODY(split_numbering_pairs_i_with_i_plus_half, tc)
{
	static const struct gen_shape s =
	    { "split", 1, 1, 6, 2, 0, 0, true, 16 };
	struct diags d;
	struct topo t;
	int c;

	parse_shape(&s, &t, &d);
	for (c = 0; c < 6; c++) {
		check_core(&t, c, c, c + 6);
		check_core(&t, c + 6, c, c + 6);
	}
	topo_free(&t);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(hybrid_without_smt_tells_p_from_e_by_l2);
ATF_TC_BODY(hybrid_without_smt_tells_p_from_e_by_l2, tc)
{
	static const struct gen_shape s =
	    { "hybrid", 1, 1, 8, 1, 2, 4, false, 16 };
	struct diags d;
	struct topo t;
	int c;

	parse_shape(&s, &t, &d);
	ATF_CHECK(t.hybrid);
	ATF_CHECK_EQ(t.nl2, 2);
	for (c = 0; c < 16; c++) {
		ATF_CHECK(topo_cpu_core(&t, c)->class ==
		    (c < 8 ? TOPO_CLASS_P : TOPO_CLASS_E));
		ATF_CHECK_EQ(topo_cpu_core(&t, c)->l2, c < 8 ? -1 :
		    (c - 8) / 4);
	}
	topo_free(&t);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(e_core_clusters_alone_are_not_hybrid);
ATF_TC_BODY(e_core_clusters_alone_are_not_hybrid, tc)
{
	static const struct gen_shape s =
	    { "atom", 1, 1, 0, 1, 2, 4, false, 4 };
	struct diags d;
	struct topo t;

	parse_shape(&s, &t, &d);
	ATF_CHECK(!t.hybrid);
	ATF_CHECK_EQ(t.nl2, 2);
	ATF_CHECK(topo_cpu_core(&t, 5)->class == TOPO_CLASS_ANY);
	topo_free(&t);
	diags_free(&d);
}

#define HDR "<groups>\n <group level=\"1\" cache-level=\"3\">\n"

ATF_TC_WITHOUT_HEAD(mask_and_count_mismatch_warn_and_trust_the_list);
ATF_TC_BODY(mask_and_count_mismatch_warn_and_trust_the_list, tc)
{
	const char *s = HDR
	    "  <cpu count=\"3\" mask=\"7,0\">0, 1, 2, 3</cpu>\n"
	    " </group>\n</groups>\n";
	struct diags d;
	struct topo t;
	struct diag *x;

	diags_init(&d);
	ATF_REQUIRE_EQ(topo_parse(s, strlen(s), "topology.xml", &t, &d), 0);
	ATF_CHECK_EQ(t.ncpus, 4);
	ATF_CHECK_EQ(d.nwarnings, 2);
	STAILQ_FOREACH(x, &d.head, entry) {
		ATF_CHECK_EQ(x->line, 3);
		ATF_CHECK(x->level == DIAG_WARN);
	}
	topo_free(&t);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(broken_input_gives_located_errors);
ATF_TC_BODY(broken_input_gives_located_errors, tc)
{

	expect_error(HDR "  <cpu count=\"2\">0, 1</cpu>\n </grop>\n", 4,
	    "malformed XML");
	expect_error(HDR "  <cpu>0, x</cpu>\n </group>\n</groups>\n", 3,
	    "not a CPU number");
	expect_error(HDR "  <cpu>0, 1024</cpu>\n </group>\n</groups>\n", 3,
	    "out of range");
	expect_error(HDR "  <cpu>0, 1, 1</cpu>\n </group>\n</groups>\n", 3,
	    "listed twice");
	expect_error("<groups>\n <group level=\"1\" cache-level=\"big\">\n",
	    2, "not a number");
	expect_error(HDR "  <cpu mask=\"1,2,3,4,5,6,7,8,9,a,b,c,d,e,f,1,2\">"
	    "0</cpu>\n", 3, "hex words");
	expect_error(HDR "  <cpu mask=\"1x\">0</cpu>\n", 3, "mask");
	expect_error(HDR " </group>\n</groups>\n", 3, "without a <cpu>");
	expect_error("<groups>\n</groups>\n", 0, "no <group>");
	/* Found by fuzz_topo: a failed start tag must not be closed. */
	expect_error("<group/>L</groups>", 1, "\"cache-level\" missing");
	expect_error("", 1, "malformed XML");
	expect_error("<?xml version=\"1.0\"?>\n<!DOCTYPE g [<!ENTITY a "
	    "\"aaaa\">]>\n<groups/>\n", 2, "DOCTYPE");
}

ATF_TC_WITHOUT_HEAD(nul_byte_and_bad_xml_give_the_offset);
ATF_TC_BODY(nul_byte_and_bad_xml_give_the_offset, tc)
{
	static const char nul[] = HDR "  <cpu>0, 1</cpu>\n\0 </group>\n"
	    "</groups>\n";
	struct diags d;
	struct diag *x;
	struct topo t;

	/* The whole buffer: the NUL is at its own offset, on line 4. */
	diags_init(&d);
	ATF_REQUIRE_EQ(topo_parse(nul, sizeof(nul) - 1, "topology.xml", &t,
	    &d), -1);
	x = STAILQ_FIRST(&d.head);
	ATF_REQUIRE(x != NULL);
	ATF_CHECK_MSG(strstr(x->msg, "NUL byte at offset 62") != NULL, "%s",
	    x->msg);
	ATF_CHECK_EQ(x->line, 4);
	ATF_CHECK_EQ(d.nerrors, 1);
	diags_free(&d);
	/*
	 * Malformed XML says where: line, column and byte offset (of the
	 * tag name "grop", where expat finds the mismatch).
	 */
	expect_error(HDR "  <cpu>0, 1</cpu>\n </grop>\n", 4,
	    "at byte offset 65 (column 4)");
}

ATF_TC_WITHOUT_HEAD(inconsistent_nesting_is_an_error);
ATF_TC_BODY(inconsistent_nesting_is_an_error, tc)
{

	expect_error(HDR "  <cpu>0, 1</cpu>\n  <children>\n"
	    "   <group level=\"2\" cache-level=\"2\">\n"
	    "    <cpu>1, 2</cpu>\n   </group>\n  </children>\n"
	    " </group>\n</groups>\n", 5, "parent group (line 2)");
	expect_error(HDR "  <cpu>0, 1, 2</cpu>\n  <children>\n"
	    "   <group level=\"2\" cache-level=\"2\">\n"
	    "    <cpu>0, 1</cpu>\n   </group>\n"
	    "   <group level=\"2\" cache-level=\"2\">\n"
	    "    <cpu>1, 2</cpu>\n   </group>\n  </children>\n"
	    " </group>\n</groups>\n", 8, "two sibling groups");
}

ATF_TC_WITHOUT_HEAD(huge_and_deep_input_is_refused);
ATF_TC_BODY(huge_and_deep_input_is_refused, tc)
{
	struct strbuf sb;
	struct diags d;
	struct topo t;
	int i;

	sb_init(&sb);
	for (i = 0; i < 20; i++)
		sb_puts(&sb, "<group cache-level=\"0\">\n");
	expect_error(sb_str(&sb), 17, "nested deeper");
	sb_reset(&sb);
	while (sb.len <= TOPO_MAXINPUT)
		sb_puts(&sb, "<!-- padding padding padding padding -->\n");
	diags_init(&d);
	ATF_CHECK_EQ(topo_parse(sb.s, sb.len, "big.xml", &t, &d), -1);
	ATF_CHECK(strstr(STAILQ_FIRST(&d.head)->msg, "too large") != NULL);
	diags_free(&d);
	sb_reset(&sb);
	sb_puts(&sb, HDR "  <cpu>");
	for (i = 0; i < 4000; i++)
		sb_puts(&sb, "1,   ");
	sb_puts(&sb, "</cpu>\n");
	expect_error(sb_str(&sb), 3, "longer than");
	sb_free(&sb);
}

ATF_TC_WITHOUT_HEAD(cpu_lists_parse_and_format);
ATF_TC_BODY(cpu_lists_parse_and_format, tc)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		{ "2,4-7", "2,4-7" }, { "0", "0" }, { "3, 1", "1,3" },
		{ "0-1", "0,1" }, { "5-5,0-2,1023", "0-2,5,1023" },
	};
	static const char *bad[] = {
		"", "a", "1-", "3-1", "1,,2", "1024", "1;2", "-1", "2 ",
		"99999999999999999999999",
	};
	struct topo_set s;
	struct strbuf sb;
	struct diags d;
	size_t i;

	diags_init(&d);
	sb_init(&sb);
	for (i = 0; i < nitems(ok); i++) {
		ATF_REQUIRE_EQ_MSG(cpuset_parse(ok[i].in, &s, "list", &d), 0,
		    "%s", ok[i].in);
		sb_reset(&sb);
		cpuset_format(&s, &sb);
		ATF_CHECK_STREQ(sb_str(&sb), ok[i].out);
	}
	ATF_CHECK_EQ(d.nerrors, 0);
	for (i = 0; i < nitems(bad); i++)
		ATF_CHECK_EQ_MSG(cpuset_parse(bad[i], &s, "list", &d), -1,
		    "\"%s\" accepted", bad[i]);
	ATF_CHECK_EQ(d.nerrors, (int)nitems(bad));
	sb_free(&sb);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(picture_shows_cores_threads_and_clusters);
ATF_TC_BODY(picture_shows_cores_threads_and_clusters, tc)
{
	static const struct gen_shape s =
	    { "hybrid", 1, 1, 2, 2, 1, 4, false, 16 };
	struct strbuf sb;
	struct diags d;
	struct topo t;

	parse_shape(&s, &t, &d);
	sb_init(&sb);
	topo_draw(&t, NULL, &sb);
	ATF_CHECK_STREQ(sb_str(&sb),
	    "8 CPUs, 6 cores (SMT, up to 2 threads per core), 1 L3 domain, "
	    "1 NUMA node\n"
	    "hybrid: 2 P-cores, 4 E-cores in 1 L2 clusters {...}\n"
	    "node 0  L3 0: CPUs 0-7\n"
	    "       P     P     E\n"
	    "  cpu  [0 1] [2 3] {4|5|6|7}\n");
	sb_free(&sb);
	topo_free(&t);
	diags_free(&d);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, guide_capture_is_six_smt_cores_one_l3);
	ATF_TP_ADD_TC(tp, xeon_capture_is_two_numa_nodes_without_smt);
	ATF_TP_ADD_TC(tp, small_captures_parse_with_their_mask_sizes);
	ATF_TP_ADD_TC(tp, every_generated_shape_gives_its_model);
	ATF_TP_ADD_TC(tp, split_numbering_pairs_i_with_i_plus_half);
	ATF_TP_ADD_TC(tp, hybrid_without_smt_tells_p_from_e_by_l2);
	ATF_TP_ADD_TC(tp, e_core_clusters_alone_are_not_hybrid);
	ATF_TP_ADD_TC(tp, mask_and_count_mismatch_warn_and_trust_the_list);
	ATF_TP_ADD_TC(tp, broken_input_gives_located_errors);
	ATF_TP_ADD_TC(tp, nul_byte_and_bad_xml_give_the_offset);
	ATF_TP_ADD_TC(tp, inconsistent_nesting_is_an_error);
	ATF_TP_ADD_TC(tp, huge_and_deep_input_is_refused);
	ATF_TP_ADD_TC(tp, cpu_lists_parse_and_format);
	ATF_TP_ADD_TC(tp, picture_shows_cores_threads_and_clusters);
	return (atf_no_error());
}
