/*
 * pci_test.c: the pciconf parser, selectors and GPU grouping, on the real
 * captures in tests/data/pciconf and on synthetic bad input.
 */
#include "testutil.h"

#include "pci.h"
#include "strbuf.h"

static const char *const captures[] = {
	"asus-prime-z690p-alderlake-rtx3060-ga106-fbsd13.1-rc3.txt",
	"asus-rog-crosshair-viii-hero-x570-gt1030-fbsd13.1.txt",
	"dell-g5-5090-coffeelake-rx5700-navi10-fbsd13.1.txt",
	"gigabyte-trx40-designare-threadripper-rx5700-navi10-fbsd13.0-current.txt",
	"gigabyte-x570-aorus-pro-rx6500xt-navi24-fbsd13.0.txt",
	"gigabyte-z370m-d3h-sriov-vfs-on-ppt-ari-func-fbsd13.1.txt",
	"msi-ms7816-haswell-igpu-on-ppt-fbsd13.0-beta.txt",
	"msi-ms7c36-ryzen-gtx1660ti-turing-ucsi-plus-gtx960-on-ppt-fbsd13.0-stable.txt",
	"msi-ms7c36-same-host-fbsd12.1-stable-old-card-chip-format.txt",
	"msi-ms7c37-x570-rx5700-navi10-switch-fbsd13.1.txt",
	"msi-ms7d28-rtx3080-ga102-fbsd13.1.txt",
	"partial-rx7600-navi33-ryzen5800x-ptnotes-blog.txt",
	"partial-rx9060xt-navi44-after-ppt-signal-eu-org.txt",
	"partial-rx9060xt-navi44-ryzen5600g-signal-eu-org.txt",
};

struct parsed {
	struct pci_list	l;
	struct gpu_list	g;
	struct diags	d;
};

static void
load(struct parsed *p, const char *name, int console)
{
	char rel[256], *buf;
	size_t len;

	snprintf(rel, sizeof(rel), "pciconf/%s", name);
	buf = tu_read(rel, &len);
	pci_list_init(&p->l);
	diags_init(&p->d);
	ATF_REQUIRE_MSG(pci_parse(buf, len, name, &p->l, &p->d) == 0,
	    "%s: %d errors", name, p->d.nerrors);
	ATF_REQUIRE_EQ(p->d.nerrors, 0);
	ATF_REQUIRE(gpu_group(&p->l, console, &p->g) == 0);
	free(buf);
}

static void
unload(struct parsed *p)
{

	gpu_list_free(&p->g);
	pci_list_free(&p->l);
	diags_free(&p->d);
}

/* The selectors of idx[0..n) in form, space separated. */
static void
sels(struct parsed *p, const size_t *idx, size_t n, enum pci_sel_form f,
    char *out, size_t len)
{
	char one[32];
	size_t i;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		pci_sel_fmt(&p->l.dev[idx[i]].sel, f, one, sizeof(one));
		if (i > 0)
			strlcat(out, " ", len);
		strlcat(out, one, len);
	}
}

ATF_TC_WITHOUT_HEAD(every_capture_parses_cleanly);
ATF_TC_BODY(every_capture_parses_cleanly, tc)
{
	struct parsed p;
	size_t i;

	for (i = 0; i < nitems(captures); i++) {
		load(&p, captures[i], -1);
		ATF_CHECK_MSG(p.l.n > 0, "%s: no devices", captures[i]);
		ATF_CHECK_MSG(p.g.n >= 1, "%s: no GPU", captures[i]);
		ATF_CHECK_EQ_MSG(p.d.nwarnings, 0, "%s", captures[i]);
		unload(&p);
	}
}

ATF_TC_WITHOUT_HEAD(navi_switch_bridges_never_recommended);
ATF_TC_BODY(navi_switch_bridges_never_recommended, tc)
{
	struct parsed p;
	char buf[256];

	load(&p, "msi-ms7c37-x570-rx5700-navi10-switch-fbsd13.1.txt", -1);
	ATF_REQUIRE_EQ(p.g.n, 1);
	sels(&p, p.g.g[0].rec, p.g.g[0].nrec, SEL_BHYVE, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "47/0/0 47/0/1");
	sels(&p, p.g.g[0].bridges, p.g.g[0].nbridges, SEL_PCICONF, buf,
	    sizeof(buf));
	ATF_CHECK_STREQ(buf, "pci0:45:0:0 pci0:46:0:0");
	ATF_CHECK(p.g.g[0].flags & GPU_BEHIND_SWITCH);
	ATF_CHECK(pci_is_bridge(&p.l.dev[p.g.g[0].bridges[0]]));
	ATF_CHECK_EQ(p.l.dev[p.g.g[0].bridges[0]].pcie, PCIE_UPSTREAM_PORT);
	ATF_CHECK_EQ(p.l.dev[p.g.g[0].bridges[1]].pcie, PCIE_DOWNSTREAM_PORT);
	/* The only display device drives the console. */
	ATF_CHECK(p.g.g[0].flags & GPU_CONSOLE);
	ATF_CHECK((p.g.g[0].flags & GPU_CONSOLE_GUESS) == 0);
	unload(&p);
}

ATF_TC_WITHOUT_HEAD(guide_navi33_behind_switch);
ATF_TC_BODY(guide_navi33_behind_switch, tc)
{
	struct parsed p;
	char buf[256];

	load(&p, "partial-rx7600-navi33-ryzen5800x-ptnotes-blog.txt", -1);
	ATF_REQUIRE_EQ(p.g.n, 1);
	sels(&p, p.g.g[0].rec, p.g.g[0].nrec, SEL_BHYVE, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "6/0/0 6/0/1");
	sels(&p, p.g.g[0].bridges, p.g.g[0].nbridges, SEL_PCICONF, buf,
	    sizeof(buf));
	ATF_CHECK_STREQ(buf, "pci0:4:0:0 pci0:5:0:0");
	ATF_CHECK_STREQ(p.l.dev[p.g.g[0].rec[1]].driver, "none");
	ATF_CHECK_EQ(p.l.dev[p.g.g[0].rec[0]].device, 0x7480);
	ATF_CHECK_EQ(p.l.dev[p.g.g[0].rec[0]].subvendor, 0x1da2);
	ATF_CHECK_EQ(p.l.dev[p.g.g[0].rec[0]].subdevice, 0xe452);
	unload(&p);
}

ATF_TC_WITHOUT_HEAD(turing_xhci_and_ucsi_recommended);
ATF_TC_BODY(turing_xhci_and_ucsi_recommended, tc)
{
	struct parsed p;
	char buf[256];

	load(&p, "msi-ms7c36-ryzen-gtx1660ti-turing-ucsi-plus-gtx960-on-ppt-"
	    "fbsd13.0-stable.txt", -1);
	ATF_REQUIRE_EQ(p.g.n, 2);
	sels(&p, p.g.g[0].rec, p.g.g[0].nrec, SEL_BHYVE, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "49/0/0 49/0/1 49/0/2 49/0/3");
	ATF_CHECK_STREQ(gpu_func_role(&p.l.dev[p.g.g[0].rec[2]]), "USB xHCI");
	ATF_CHECK_STREQ(gpu_func_role(&p.l.dev[p.g.g[0].rec[3]]),
	    "USB-C UCSI");
	ATF_CHECK_EQ(p.g.g[0].nbridges, 0);
	/* The GTX 960 and its audio are on ppt already. */
	sels(&p, p.g.g[1].rec, p.g.g[1].nrec, SEL_BHYVE, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "50/0/0 50/0/1");
	ATF_CHECK(p.g.g[1].flags & GPU_ALL_PPT);
	ATF_CHECK((p.g.g[0].flags & GPU_ALL_PPT) == 0);
	/* Two display devices: the console is a guess (lowest vgapci). */
	ATF_CHECK(p.g.g[0].flags & GPU_CONSOLE_GUESS);
	ATF_CHECK(p.g.g[0].flags & GPU_CONSOLE);
	ATF_CHECK((p.g.g[1].flags & GPU_CONSOLE) == 0);
	/* The UCSI function has MSI; none lacks both. */
	ATF_CHECK((p.g.g[0].flags & GPU_NO_MSI) == 0);
	unload(&p);
}

ATF_TC_WITHOUT_HEAD(old_card_chip_format_decodes_ids);
ATF_TC_BODY(old_card_chip_format_decodes_ids, tc)
{
	struct parsed p;
	struct pci_dev *d;
	char err[128];

	load(&p, "msi-ms7c36-same-host-fbsd12.1-stable-old-card-chip-"
	    "format.txt", -1);
	d = pci_lookup(&p.l, "pci0:49:0:0", err, sizeof(err));
	ATF_REQUIRE(d != NULL);
	ATF_CHECK_EQ(d->vendor, 0x10de);
	ATF_CHECK_EQ(d->device, 0x2182);
	ATF_CHECK_EQ(d->subvendor, 0x1462);
	ATF_CHECK_EQ(d->subdevice, 0x375c);
	ATF_CHECK_EQ(d->class, 0x030000);
	d = pci_lookup(&p.l, "ppt1", err, sizeof(err));
	ATF_REQUIRE(d != NULL);
	ATF_CHECK_EQ(d->device, 0x1401);
	ATF_CHECK_EQ(d->subdevice, 0x1138);
	ATF_CHECK_EQ(p.g.n, 2);
	unload(&p);
}

ATF_TC_WITHOUT_HEAD(ari_functions_above_seven);
ATF_TC_BODY(ari_functions_above_seven, tc)
{
	struct parsed p;
	struct pci_dev *d;
	char err[128];

	load(&p, "gigabyte-z370m-d3h-sriov-vfs-on-ppt-ari-func-fbsd13.1.txt",
	    -1);
	d = pci_lookup(&p.l, "pci0:6:0:130", err, sizeof(err));
	ATF_REQUIRE_MSG(d != NULL, "%s", err);
	ATF_CHECK_STREQ(d->driver, "ppt");
	ATF_CHECK_EQ(d->unit, 0);
	ATF_CHECK(pci_lookup(&p.l, "6/0/132", err, sizeof(err)) ==
	    pci_lookup(&p.l, "ppt1", err, sizeof(err)));
	ATF_CHECK(pci_lookup(&p.l, "pci6:0:134", err, sizeof(err)) != NULL);
	unload(&p);
}

ATF_TC_WITHOUT_HEAD(igpu_and_navi44_already_on_ppt);
ATF_TC_BODY(igpu_and_navi44_already_on_ppt, tc)
{
	struct parsed p;

	load(&p, "msi-ms7816-haswell-igpu-on-ppt-fbsd13.0-beta.txt", -1);
	ATF_REQUIRE_EQ(p.g.n, 1);
	ATF_CHECK(pci_is_ppt(&p.l.dev[p.g.g[0].gpu]));
	ATF_CHECK(p.g.g[0].flags & GPU_ALL_PPT);
	unload(&p);
	load(&p, "partial-rx9060xt-navi44-after-ppt-signal-eu-org.txt", -1);
	ATF_REQUIRE_EQ(p.g.n, 1);
	ATF_CHECK_EQ(p.g.g[0].nrec, 2);
	ATF_CHECK(p.g.g[0].flags & GPU_ALL_PPT);
	unload(&p);
}

ATF_TC_WITHOUT_HEAD(console_unit_from_sysctl);
ATF_TC_BODY(console_unit_from_sysctl, tc)
{
	struct parsed p;

	/* hw.pci.default_vgapci_unit=1: not the TU116 (vgapci0). */
	load(&p, "msi-ms7c36-ryzen-gtx1660ti-turing-ucsi-plus-gtx960-on-ppt-"
	    "fbsd13.0-stable.txt", 1);
	ATF_CHECK((p.g.g[0].flags & GPU_CONSOLE) == 0);
	unload(&p);
	load(&p, "msi-ms7c36-ryzen-gtx1660ti-turing-ucsi-plus-gtx960-on-ppt-"
	    "fbsd13.0-stable.txt", 0);
	ATF_CHECK(p.g.g[0].flags & GPU_CONSOLE);
	ATF_CHECK((p.g.g[0].flags & GPU_CONSOLE_GUESS) == 0);
	unload(&p);
}

static int
parse_str(const char *s, struct pci_list *l, struct diags *d)
{

	pci_list_init(l);
	diags_init(d);
	return (pci_parse(s, strlen(s), "t.txt", l, d));
}

ATF_TC_WITHOUT_HEAD(bad_input_located_errors);
ATF_TC_BODY(bad_input_located_errors, tc)
{
	struct pci_list l;
	struct diags d;
	static const char bin[] = "vgapci0@pci0:1:0:0:\tclass=0x030000\0xx";

	ATF_CHECK(parse_str("", &l, &d) != 0);
	ATF_CHECK(tu_diag_has(&d, "no PCI devices found"));
	pci_list_free(&l);
	diags_free(&d);

	ATF_CHECK(parse_str("hostb0@pci0:0:0:0:\tclass=0x060000 vendor=0x1022 "
	    "device=0x1\nvgapci0@pci0:1:40:0:\tclass=0x030000 vendor=0x1\n",
	    &l, &d) != 0);
	ATF_CHECK(tu_diag_has(&d, "slot 40 out of range"));
	ATF_CHECK_EQ(tu_diag_line(&d, "slot 40"), 2);
	pci_list_free(&l);
	diags_free(&d);

	ATF_CHECK(parse_str("a0@pci0:1:2:9:\tclass=0x030000 vendor=0x1\n",
	    &l, &d) != 0);
	ATF_CHECK(tu_diag_has(&d, "function 9 out of range"));
	pci_list_free(&l);
	diags_free(&d);

	ATF_CHECK(parse_str("a0@pci0:1:0:0:\tclass=0x03zz00 vendor=0x1\n",
	    &l, &d) != 0);
	ATF_CHECK(tu_diag_has(&d, "bad value in \"class=0x03zz00\""));
	pci_list_free(&l);
	diags_free(&d);

	ATF_CHECK(parse_str("a0@pci0:1:0:0:\tclass=0x030000 vendor=0x1\n"
	    "b0@pci0:1:0:0:\tclass=0x040300 vendor=0x1\n", &l, &d) != 0);
	ATF_CHECK(tu_diag_has(&d, "listed twice (first at line 1)"));
	pci_list_free(&l);
	diags_free(&d);

	ATF_CHECK(parse_str("a0@pci0:1:0:0:\trev=0x00 vendor=0x1\n", &l,
	    &d) != 0);
	ATF_CHECK(tu_diag_has(&d, "without class="));
	pci_list_free(&l);
	diags_free(&d);

	pci_list_init(&l);
	diags_init(&d);
	ATF_CHECK(pci_parse(bin, sizeof(bin) - 1, "t.txt", &l, &d) != 0);
	ATF_CHECK(tu_diag_has(&d, "binary data"));
	ATF_CHECK_EQ(STAILQ_FIRST(&d.head)->offset, 34);
	pci_list_free(&l);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(selector_forms);
ATF_TC_BODY(selector_forms, tc)
{
	struct pci_sel s;
	char err[160];

	ATF_REQUIRE(pci_sel_parse("6/0/1", &s, err, sizeof(err)) == 0);
	ATF_CHECK(s.domain == 0 && s.bus == 6 && s.slot == 0 && s.func == 1);
	ATF_REQUIRE(pci_sel_parse("pci1:6:0:1", &s, err, sizeof(err)) == 0);
	ATF_CHECK(s.domain == 1 && s.bus == 6 && s.func == 1);
	ATF_REQUIRE(pci_sel_parse("pci0:6:0:1:", &s, err, sizeof(err)) == 0);
	ATF_REQUIRE(pci_sel_parse("pci6:0:1", &s, err, sizeof(err)) == 0);
	ATF_CHECK(s.domain == 0 && s.bus == 6 && s.slot == 0 && s.func == 1);
	ATF_REQUIRE(pci_sel_parse("6/0/255", &s, err, sizeof(err)) == 0);
	ATF_CHECK(pci_sel_parse("6/1/8", &s, err, sizeof(err)) != 0);
	ATF_CHECK(strstr(err, "function 8") != NULL);
	ATF_CHECK(pci_sel_parse("6/0/256", &s, err, sizeof(err)) != 0);
	ATF_CHECK(pci_sel_parse("256/0/0", &s, err, sizeof(err)) != 0);
	ATF_CHECK(pci_sel_parse("6/0", &s, err, sizeof(err)) != 0);
	ATF_CHECK(pci_sel_parse("6/0/0/0", &s, err, sizeof(err)) != 0);
	ATF_CHECK(pci_sel_parse("6,0,0", &s, err, sizeof(err)) != 0);
	ATF_CHECK(pci_sel_parse("pci0:6:0:0:0", &s, err, sizeof(err)) != 0);
	ATF_CHECK(pci_sel_parse("-1/0/0", &s, err, sizeof(err)) != 0);
	ATF_CHECK(pci_sel_parse("", &s, err, sizeof(err)) != 0);
	ATF_CHECK(strstr(err, "is not a PCI selector") != NULL);
}

/* The selectors of idx[0..n), sorted, for comparing groups as sets. */
static int
strp_cmp(const void *a, const void *b)
{

	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static void
group_key(const struct pci_list *l, const struct gpu_group *g, char *out,
    size_t len)
{
	char *v[64], one[32];
	size_t i, n;

	n = g->nfuncs < 64 ? g->nfuncs : 64;
	for (i = 0; i < n; i++) {
		pci_sel_fmt(&l->dev[g->funcs[i]].sel, SEL_PCICONF, one,
		    sizeof(one));
		ATF_REQUIRE((v[i] = strdup(one)) != NULL);
	}
	qsort(v, n, sizeof(v[0]), strp_cmp);
	snprintf(out, len, "%zu rec, %zu bridges, flags %#x:", g->nrec,
	    g->nbridges, g->flags);
	for (i = 0; i < n; i++) {
		strlcat(out, " ", len);
		strlcat(out, v[i], len);
		free(v[i]);
	}
}

/*
 * Grouping indexes the functions by slot once (issue 17: it was a scan
 * of the list per GPU): the groups must not depend on the list's order.
 */
ATF_TC_WITHOUT_HEAD(grouping_does_not_depend_on_list_order);
ATF_TC_BODY(grouping_does_not_depend_on_list_order, tc)
{
	struct parsed p;
	struct gpu_list r;
	struct pci_dev t;
	char a[1024], b[1024];
	size_t i, k, n;

	for (i = 0; i < nitems(captures); i++) {
		load(&p, captures[i], -1);
		n = p.l.n;
		for (k = 0; k < n / 2; k++) {
			t = p.l.dev[k];
			p.l.dev[k] = p.l.dev[n - 1 - k];
			p.l.dev[n - 1 - k] = t;
		}
		ATF_REQUIRE(gpu_group(&p.l, -1, &r) == 0);
		ATF_REQUIRE_EQ_MSG(r.n, p.g.n, "%s", captures[i]);
		/* Reversed, the groups come in reverse order. */
		for (k = 0; k < r.n; k++) {
			group_key(&p.l, &r.g[k], a, sizeof(a));
			/* p.g's indices refer to the list before reversal. */
			{
				struct gpu_group g = p.g.g[r.n - 1 - k];
				size_t j, *f;

				ATF_REQUIRE((f = calloc(g.nfuncs + 1,
				    sizeof(*f))) != NULL);
				for (j = 0; j < g.nfuncs; j++)
					f[j] = n - 1 - g.funcs[j];
				g.funcs = f;
				group_key(&p.l, &g, b, sizeof(b));
				free(f);
			}
			ATF_CHECK_STREQ_MSG(a, b, "%s group %zu", captures[i],
			    k);
		}
		gpu_list_free(&r);
		unload(&p);
	}
}

/* A host whose every slot holds a GPU: 4096 functions, 2048 GPUs. */
ATF_TC_WITHOUT_HEAD(gpu_dense_host_groups_every_slot);
ATF_TC_BODY(gpu_dense_host_groups_every_slot, tc)
{
	struct pci_list l;
	struct gpu_list g;
	struct diags d;
	struct strbuf sb;
	size_t i;
	unsigned bus, slot;

	sb_init(&sb);
	for (i = 0; i < 2048; i++) {
		bus = 1 + (unsigned)(i / 32);
		slot = (unsigned)(i % 32);
		sb_printf(&sb, "vgapci%zu@pci0:%u:%u:0:\tclass=0x030000 "
		    "rev=0xc1 hdr=0x00 vendor=0x1002 device=0x7480 "
		    "subvendor=0x1002 subdevice=0x0e31\n", i, bus, slot);
		sb_printf(&sb, "hdac%zu@pci0:%u:%u:1:\tclass=0x040300 "
		    "rev=0x00 hdr=0x00 vendor=0x1002 device=0xab30 "
		    "subvendor=0x1002 subdevice=0xab30\n", i, bus, slot);
	}
	ATF_REQUIRE(!sb.oom);
	pci_list_init(&l);
	diags_init(&d);
	ATF_REQUIRE(pci_parse(sb.s, sb.len, "dense", &l, &d) == 0);
	ATF_REQUIRE_EQ(l.n, 4096);
	ATF_REQUIRE(gpu_group(&l, 0, &g) == 0);
	ATF_REQUIRE_EQ(g.n, 2048);
	for (i = 0; i < g.n; i++) {
		ATF_REQUIRE_EQ(g.g[i].nfuncs, 2);
		ATF_CHECK_EQ(g.g[i].funcs[0], 2 * i);
		ATF_CHECK_EQ(g.g[i].funcs[1], 2 * i + 1);
		ATF_CHECK_EQ(g.g[i].nbridges, 0);
		ATF_CHECK_EQ((g.g[i].flags & GPU_CONSOLE) != 0, i == 0);
	}
	gpu_list_free(&g);
	pci_list_free(&l);
	diags_free(&d);
	sb_free(&sb);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, every_capture_parses_cleanly);
	ATF_TP_ADD_TC(tp, navi_switch_bridges_never_recommended);
	ATF_TP_ADD_TC(tp, guide_navi33_behind_switch);
	ATF_TP_ADD_TC(tp, turing_xhci_and_ucsi_recommended);
	ATF_TP_ADD_TC(tp, old_card_chip_format_decodes_ids);
	ATF_TP_ADD_TC(tp, ari_functions_above_seven);
	ATF_TP_ADD_TC(tp, igpu_and_navi44_already_on_ppt);
	ATF_TP_ADD_TC(tp, console_unit_from_sysctl);
	ATF_TP_ADD_TC(tp, bad_input_located_errors);
	ATF_TP_ADD_TC(tp, selector_forms);
	ATF_TP_ADD_TC(tp, grouping_does_not_depend_on_list_order);
	ATF_TP_ADD_TC(tp, gpu_dense_host_groups_every_slot);
	return (atf_no_error());
}
