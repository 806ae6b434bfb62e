/*
 * pcicfg_test.c: configuration-space parsing, decoding, diffs, failure
 * signatures and restore plans, on real GPU dumps (tests/data/pci).
 */
#include "testutil.h"

#include "pcicfg.h"

#define D	"pci/"

static struct pcicfg *
load(const char *rel)
{
	struct pcicfg *c;
	struct diags d;
	char *buf;
	size_t len;

	buf = tu_read(rel, &len);
	ATF_REQUIRE((c = malloc(sizeof(*c))) != NULL);
	diags_init(&d);
	ATF_REQUIRE_MSG(pcicfg_parse(buf, len, rel, NULL, c, &d) == 0,
	    "%s: %s", rel, STAILQ_EMPTY(&d.head) ? "?" :
	    STAILQ_FIRST(&d.head)->msg);
	diags_free(&d);
	free(buf);
	return (c);
}

/* Parses a string that must fail; returns the diags for checks. */
static void
parse_bad(const char *s, const char *want, struct diags *d)
{
	struct pcicfg c;

	diags_init(d);
	ATF_CHECK_MSG(pcicfg_parse(s, strlen(s), "t.txt", want, &c, d) != 0,
	    "accepted: %s", s);
	ATF_CHECK(d->nerrors > 0);
}

/* A 64-byte header in "pciconf -r" form, then the extra lines. */
#define HDR	"73001002 00100407 030000ca 00800010\n" \
		"e000000c 00000000 f000000c 00000000\n" \
		"0000e001 fe800000 00000000 0b361002\n" \
		"fe840000 00000048 00000000 0000010a\n"

static bool
has_line(const struct pcicfg_diff *d, const char *s)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->line[i].text, s) != NULL)
			return (true);
	return (false);
}

static const struct pcicfg_write *
find_write(const struct pcicfg_plan *p, unsigned off)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->w[i].off <= off && off < p->w[i].off + p->w[i].width)
			return (&p->w[i]);
	return (NULL);
}

ATF_TC_WITHOUT_HEAD(lspci_real_fiji_decoded);
ATF_TC_BODY(lspci_real_fiji_decoded, tc)
{
	struct pcicfg *c = load(D "amd-fiji-r9-fury-lspci-xxxx.txt");
	struct pcicfg_info in;

	ATF_CHECK_EQ(c->size, 4096);
	ATF_CHECK(c->have_sel && c->sel.bus == 9 && c->sel.slot == 0);
	pcicfg_decode(c, &in);
	ATF_CHECK(!in.dead);
	ATF_CHECK_EQ(in.vendor, 0x1002);
	ATF_CHECK_EQ(in.device, 0x7300);
	ATF_CHECK_EQ(in.class, 0x030000);
	ATF_CHECK_EQ(in.command, 0x0407);
	ATF_CHECK_EQ(in.nbar, 5);
	ATF_CHECK_EQ(in.bar[0].type, PCICFG_BAR_MEM64);
	ATF_CHECK(in.bar[0].prefetch);
	ATF_CHECK_EQ(in.bar[0].addr, 0xe0000000);
	ATF_CHECK_EQ(in.bar[1].index, 2);
	ATF_CHECK_EQ(in.bar[2].type, PCICFG_BAR_IO);
	ATF_CHECK_EQ(in.bar[2].addr, 0xe000);
	ATF_CHECK_EQ(in.bar[3].type, PCICFG_BAR_MEM32);
	ATF_CHECK(!in.bar[3].prefetch);
	ATF_CHECK_EQ(in.bar[4].index, 6);
	ATF_CHECK_EQ(in.bar[4].addr, 0xfe840000);
	ATF_CHECK(!in.bar[4].rom_enabled);
	ATF_CHECK_EQ(in.ncap, 4);
	ATF_CHECK_EQ(in.pm_off, 0x50);
	ATF_CHECK_EQ(in.power, PCICFG_D0);
	ATF_CHECK(in.nosoftrst);
	ATF_CHECK_EQ(in.pcie_off, 0x58);
	ATF_CHECK_EQ(in.pcie_type, 1);		/* legacy endpoint */
	ATF_CHECK_EQ(in.link_speed, 3);
	ATF_CHECK_EQ(in.link_width, 16);
	ATF_CHECK_EQ(in.msi_off, 0xa0);
	ATF_CHECK(in.msi_enabled);
	ATF_CHECK_EQ(in.msix_off, 0);
	ATF_CHECK(in.ecaps_known && !in.caps_broken);
	ATF_CHECK_EQ(in.necap, 8);
	ATF_CHECK_EQ(in.ecap[2].id, 0x0015);	/* resizable BAR */
	ATF_CHECK_EQ(in.ecap[2].off, 0x200);
	ATF_CHECK_EQ(pcicfg_signature(c, NULL), PCICFG_SIG_NONE);
	free(c);
}

ATF_TC_WITHOUT_HEAD(lspci_real_nvidia_and_navi_decoded);
ATF_TC_BODY(lspci_real_nvidia_and_navi_decoded, tc)
{
	struct pcicfg *c;
	struct pcicfg_info in;

	/* lspci -vvv lines are skipped; MSI off, link x4 as lspci says. */
	c = load(D "nvidia-gp108m-mx150-lspci-vvv-xxxx.txt");
	pcicfg_decode(c, &in);
	ATF_CHECK_EQ(in.device, 0x1d10);
	ATF_CHECK_EQ(in.class, 0x030200);
	ATF_CHECK_EQ(in.command, 0x0006);
	ATF_CHECK(!in.msi_enabled);
	ATF_CHECK_EQ(in.link_speed, 3);
	ATF_CHECK_EQ(in.link_width, 4);
	ATF_CHECK_EQ(in.pcie_type, 0);
	ATF_CHECK_EQ(in.bar[1].type, PCICFG_BAR_MEM64);
	ATF_CHECK_EQ(in.bar[1].addr, 0x70000000);
	ATF_CHECK_EQ(in.necap, 7);
	ATF_CHECK_EQ(in.ecap[3].off, 0x128);	/* the list is not sorted */
	free(c);
	c = load(D "amd-navi10-rx5600xt-lspci-nn-v-xxxx.txt");
	pcicfg_decode(c, &in);
	ATF_CHECK_EQ(in.device, 0x731f);
	ATF_CHECK_EQ(in.bar[0].addr, 0x600000000ULL);	/* above 4 GiB */
	ATF_CHECK_EQ(in.bar[1].addr, 0x500000000ULL);
	ATF_CHECK_EQ(in.link_speed, 4);
	ATF_CHECK_EQ(in.necap, 13);
	free(c);
	c = load(D "nvidia-gt218-hdmi-audio-lspci-xxxx.txt");
	pcicfg_decode(c, &in);
	ATF_CHECK_EQ(in.class, 0x040300);
	ATF_CHECK_EQ(c->sel.func, 1);
	free(c);
}

ATF_TC_WITHOUT_HEAD(pciconf_formats_read_the_same_bytes);
ATF_TC_BODY(pciconf_formats_read_the_same_bytes, tc)
{
	struct pcicfg *a, *b;

	a = load(D "amd-fiji-r9-fury-lspci-xxxx.txt");
	b = load(D "amd-fiji-pciconf-r.txt");
	ATF_CHECK(memcmp(a->b, b->b, sizeof(a->b)) == 0);
	ATF_CHECK(memcmp(a->known, b->known, sizeof(a->known)) == 0);
	ATF_CHECK(!b->have_sel);
	free(b);
	free(a);
	a = load(D "nvidia-gt218-geforce210-lspci-xxxx.txt");
	b = load(D "nvidia-gt218-pciconf-r-h-0-0xff.txt");
	ATF_CHECK_EQ(b->size, 256);
	ATF_CHECK(memcmp(a->b, b->b, 256) == 0);
	ATF_CHECK(pcicfg_known(b, 0, 256) && !pcicfg_known(b, 256, 1));
	free(b);
	b = load(D "nvidia-gt218-pciconf-r-b-0-0xff.txt");
	ATF_CHECK(memcmp(a->b, b->b, 256) == 0);
	free(b);
	free(a);
}

ATF_TC_WITHOUT_HEAD(parse_errors_are_located);
ATF_TC_BODY(parse_errors_are_located, tc)
{
	struct diags d;

	parse_bad(HDR "0000001g\n", NULL, &d);
	ATF_CHECK_EQ(tu_diag_line(&d, "is not a value"), 5);
	diags_free(&d);
	parse_bad(HDR "1000: 00000000\n", NULL, &d);
	ATF_CHECK(tu_diag_has(&d, "beyond 0xfff"));
	diags_free(&d);
	parse_bad(HDR "ffc: 00000000 00000000\n", NULL, &d);
	ATF_CHECK(tu_diag_has(&d, "beyond 0xfff"));
	diags_free(&d);
	parse_bad(HDR "042: 00000000\n", NULL, &d);
	ATF_CHECK(tu_diag_has(&d, "not aligned"));
	diags_free(&d);
	parse_bad(HDR "000: 73011002\n", NULL, &d);
	ATF_CHECK(tu_diag_has(&d, "given twice"));
	ATF_CHECK_EQ(tu_diag_line(&d, "given twice"), 5);
	diags_free(&d);
	parse_bad(HDR "040: 0000 00000000\n", NULL, &d);
	ATF_CHECK(tu_diag_has(&d, "different widths"));
	diags_free(&d);
	parse_bad("73001002 00100407 030000ca 00800010\n", NULL, &d);
	ATF_CHECK(tu_diag_has(&d, "offset 0x10 is missing"));
	diags_free(&d);
	parse_bad("", NULL, &d);
	ATF_CHECK(tu_diag_has(&d, "no configuration-space data"));
	diags_free(&d);
	parse_bad("hello world\n", NULL, &d);
	ATF_CHECK_EQ(tu_diag_line(&d, "is not a value"), 1);
	diags_free(&d);
	diags_init(&d);
	{
		static const char nul[] = HDR "0000\0000\n";
		struct pcicfg c;

		ATF_CHECK(pcicfg_parse(nul, sizeof(nul) - 1, "t", NULL, &c,
		    &d) != 0);
		ATF_CHECK_EQ(tu_diag_line(&d, "NUL byte"), 5);
	}
	diags_free(&d);
	parse_bad("06:00.0 VGA: x\n00: de 10\n06:00.1 Audio: y\n00: de 10\n",
	    NULL, &d);
	ATF_CHECK(tu_diag_has(&d, "more than one function (06:00.0, "
	    "06:00.1"));
	diags_free(&d);
	parse_bad("06:00.0 VGA: x\n" HDR, "07:00.0", &d);
	ATF_CHECK(tu_diag_has(&d, "no function 07:00.0"));
	diags_free(&d);
}

/* A file that is not a dump: never its raw bytes; one located error. */
ATF_TC_WITHOUT_HEAD(not_a_dump_stops_without_raw_bytes);
ATF_TC_BODY(not_a_dump_stops_without_raw_bytes, tc)
{
	static const char esc[] = "hello\nworld \033]0;pwn\007\n\001\n";
	struct diags d;
	struct diag *x;
	struct pcicfg c;
	const char *p;

	diags_init(&d);
	ATF_CHECK(pcicfg_parse(esc, sizeof(esc) - 1, "f\033[2J.txt", NULL, &c,
	    &d) != 0);
	ATF_CHECK_EQ(d.nerrors, 1);
	x = STAILQ_FIRST(&d.head);
	ATF_REQUIRE(x != NULL);
	ATF_CHECK_EQ(x->line, 2);
	ATF_CHECK_MSG(strstr(x->msg, "byte 0x1b at offset 12") != NULL, "%s",
	    x->msg);
	ATF_CHECK(strstr(x->msg, "not a configuration-space dump") != NULL);
	for (p = x->msg; *p != '\0'; p++)
		ATF_CHECK_MSG((unsigned char)*p >= 0x20 && *p != 0x7f,
		    "raw byte 0x%02x in \"%s\"", (unsigned char)*p, x->msg);
	ATF_CHECK_STREQ(x->file, "f\\x1b[2J.txt");
	diags_free(&d);
	/* Text that is not a dump: the first bad line only. */
	diags_init(&d);
	ATF_CHECK(pcicfg_parse("hello\nworld\nagain\n", 18, "t", NULL, &c,
	    &d) != 0);
	ATF_CHECK_EQ(d.nerrors, 1);
	ATF_CHECK_EQ(tu_diag_line(&d, "\"hello\" is not a value"), 1);
	diags_free(&d);
	/* Every diagnostic escapes what it quotes, UTF-8 text excepted. */
	diags_init(&d);
	diag_err(&d, NULL, 0, "x %s", "\033[2J \xc2\x9b \xff \xc3\xa9 \t");
	ATF_CHECK_STREQ(STAILQ_FIRST(&d.head)->msg,
	    "x \\x1b[2J \\xc2\\x9b \\xff \xc3\xa9 \\x09");
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(lspci_function_chosen_by_address);
ATF_TC_BODY(lspci_function_chosen_by_address, tc)
{
	struct pcicfg c;
	struct diags d;
	char *a, *b, *both;
	size_t la, lb;

	a = tu_read(D "nvidia-gt218-geforce210-lspci-xxxx.txt", &la);
	b = tu_read(D "nvidia-gt218-hdmi-audio-lspci-xxxx.txt", &lb);
	ATF_REQUIRE((both = malloc(la + lb + 1)) != NULL);
	memcpy(both, a, la);
	memcpy(both + la, b, lb);
	diags_init(&d);
	ATF_CHECK(pcicfg_parse(both, la + lb, "t", "06:00.1", &c, &d) == 0);
	ATF_CHECK_EQ(c.sel.func, 1);
	ATF_CHECK_EQ(c.b[2], 0xe3);
	ATF_CHECK(pcicfg_parse(both, la + lb, "t", "0000:06:00.0", &c,
	    &d) == 0);
	ATF_CHECK_EQ(c.sel.func, 0);
	ATF_CHECK_EQ(c.b[2], 0x65);
	ATF_CHECK_EQ(d.nerrors, 0);
	diags_free(&d);
	free(both);
	free(a);
	free(b);
}

ATF_TC_WITHOUT_HEAD(save_file_round_trips);
ATF_TC_BODY(save_file_round_trips, tc)
{
	struct pcicfg *a, b;
	struct strbuf sb;
	struct diags d;

	a = load(D "amd-fiji-r9-fury-lspci-xxxx.txt");
	sb_init(&sb);
	pcicfg_format(a, "vgapci0: a test\nsecond line", &sb);
	ATF_CHECK(strstr(sb_str(&sb), "# function pci0:9:0:0\n") != NULL);
	ATF_CHECK(strstr(sb_str(&sb), "# second line\n") != NULL);
	ATF_CHECK(strstr(sb_str(&sb), "\n000: 73001002 00100407 030000ca "
	    "00800010\n") != NULL);
	ATF_CHECK(strstr(sb_str(&sb), "#   BAR0 (0x10): 64-bit prefetchable "
	    "memory at 0xe0000000\n") != NULL);
	ATF_CHECK(strstr(sb_str(&sb), "#   extended capability 0x200: "
	    "resizable BAR") != NULL);
	ATF_CHECK(strstr(sb_str(&sb), "#   signature: none\n") != NULL);
	diags_init(&d);
	ATF_REQUIRE(pcicfg_parse(sb.s, sb.len, "s", NULL, &b, &d) == 0);
	ATF_CHECK(memcmp(a->b, b.b, sizeof(b.b)) == 0);
	ATF_CHECK(memcmp(a->known, b.known, sizeof(b.known)) == 0);
	ATF_CHECK(b.have_sel && pci_sel_eq(&a->sel, &b.sel));
	/* A partial image keeps exactly its bytes, in runs. */
	pcicfg_init(a);
	pcicfg_set(a, 0, 4, 0x73001002);
	sb_reset(&sb);
	pcicfg_format(a, NULL, &sb);
	ATF_CHECK(strstr(sb_str(&sb), "\n000: 02 10 00 73\n") != NULL);
	pcicfg_set(a, 4, 4, 0);
	memcpy(&b, a, sizeof(b));
	for (unsigned i = 8; i < 0x40; i += 4)
		pcicfg_set(a, i, 4, 0x11223344);
	pcicfg_set(a, 0x105, 1, 0xab);
	sb_reset(&sb);
	pcicfg_format(a, NULL, &sb);
	ATF_CHECK(strstr(sb_str(&sb), "\n105: ab\n") != NULL);
	ATF_REQUIRE(pcicfg_parse(sb.s, sb.len, "s", NULL, &b, &d) == 0);
	ATF_CHECK(memcmp(a->known, b.known, sizeof(b.known)) == 0);
	ATF_CHECK_EQ(b.b[0x105], 0xab);
	ATF_CHECK_EQ(b.size, 4096);
	diags_free(&d);
	sb_free(&sb);
	free(a);
}

ATF_TC_WITHOUT_HEAD(command_and_status_in_words);
ATF_TC_BODY(command_and_status_in_words, tc)
{
	struct strbuf sb;

	sb_init(&sb);
	pcicfg_command_text(0x0407, &sb);
	ATF_CHECK_STREQ(sb_str(&sb), "I/O decoding on, memory decoding on, "
	    "bus master on, INTx disabled");
	sb_reset(&sb);
	pcicfg_command_text(0x0000, &sb);
	ATF_CHECK_STREQ(sb_str(&sb), "I/O decoding off, memory decoding off, "
	    "bus master off, INTx enabled");
	sb_reset(&sb);
	pcicfg_command_text(0x0142, &sb);
	ATF_CHECK_STREQ(sb_str(&sb), "I/O decoding off, memory decoding on, "
	    "bus master off, INTx enabled, parity errors reported, SERR# "
	    "enabled");
	sb_reset(&sb);
	pcicfg_status_text(0x2010, &sb);
	ATF_CHECK_STREQ(sb_str(&sb), "capability list, received master "
	    "abort");
	sb_reset(&sb);
	pcicfg_status_text(0, &sb);
	ATF_CHECK_STREQ(sb_str(&sb), "no flags");
	sb_free(&sb);
}

ATF_TC_WITHOUT_HEAD(bar_types_decoded);
ATF_TC_BODY(bar_types_decoded, tc)
{
	struct pcicfg c;
	struct pcicfg_info in;
	struct strbuf sb;

	pcicfg_init(&c);
	pcicfg_set(&c, 0x00, 4, 0x12341234);
	pcicfg_set(&c, 0x10, 4, 0xd0000000);	/* 32-bit memory */
	pcicfg_set(&c, 0x14, 4, 0x0000000c);	/* 64-bit pf, cleared */
	pcicfg_set(&c, 0x18, 4, 0x00000000);
	pcicfg_set(&c, 0x1c, 4, 0x000c8002);	/* below 1 MiB */
	pcicfg_set(&c, 0x20, 4, 0x0000cc01);	/* I/O */
	pcicfg_set(&c, 0x24, 4, 0);		/* none */
	pcicfg_set(&c, 0x30, 4, 0xfbc00001);	/* ROM, enabled */
	pcicfg_decode(&c, &in);
	ATF_REQUIRE_EQ(in.nbar, 6);
	ATF_CHECK_EQ(in.bar[0].type, PCICFG_BAR_MEM32);
	ATF_CHECK_EQ(in.bar[1].type, PCICFG_BAR_MEM64);
	ATF_CHECK_EQ(in.bar[1].addr, 0);
	ATF_CHECK_EQ(in.bar[2].index, 3);
	ATF_CHECK_EQ(in.bar[2].type, PCICFG_BAR_MEM1M);
	ATF_CHECK_EQ(in.bar[3].type, PCICFG_BAR_IO);
	ATF_CHECK_EQ(in.bar[4].type, PCICFG_BAR_NONE);
	ATF_CHECK_EQ(in.bar[5].type, PCICFG_BAR_ROM);
	ATF_CHECK(in.bar[5].rom_enabled);
	sb_init(&sb);
	pcicfg_bar_text(&in.bar[1], &sb);
	ATF_CHECK_STREQ(sb_str(&sb), "64-bit prefetchable memory, no "
	    "address (cleared or unassigned)");
	sb_reset(&sb);
	pcicfg_bar_text(&in.bar[3], &sb);
	ATF_CHECK_STREQ(sb_str(&sb), "I/O ports at 0xcc00");
	sb_reset(&sb);
	pcicfg_bar_text(&in.bar[5], &sb);
	ATF_CHECK_STREQ(sb_str(&sb), "expansion ROM at 0xfbc00000, enabled");
	sb_free(&sb);
}

/* A header with one capability at 0x40, for the decoders. */
static void
cap_image(struct pcicfg *c, uint8_t id, unsigned len)
{
	unsigned i;

	pcicfg_init(c);
	for (i = 0; i < 0x40 + len; i += 4)
		pcicfg_set(c, i, 4, 0);
	pcicfg_set(c, 0x00, 4, 0x731f1002);
	pcicfg_set(c, 0x06, 2, 0x0010);
	pcicfg_set(c, 0x34, 1, 0x40);
	pcicfg_set(c, 0x40, 1, id);
}

ATF_TC_WITHOUT_HEAD(pm_pcie_msi_msix_decoded);
ATF_TC_BODY(pm_pcie_msi_msix_decoded, tc)
{
	struct pcicfg c;
	struct pcicfg_info in;

	cap_image(&c, 0x01, 8);
	pcicfg_set(&c, 0x44, 2, 0x000b);
	pcicfg_decode(&c, &in);
	ATF_CHECK_EQ(in.pm_off, 0x40);
	ATF_CHECK_EQ(in.power, PCICFG_D3HOT);
	ATF_CHECK_STREQ(pcicfg_power_name(in.power), "D3hot");
	ATF_CHECK_EQ(pcicfg_signature(&c, NULL), PCICFG_SIG_D3HOT);
	cap_image(&c, 0x10, 0x3c);
	pcicfg_set(&c, 0x4c, 4, 0x00000104);	/* 16 GT/s x16 capable */
	pcicfg_set(&c, 0x52, 2, 0x0811);	/* 2.5 GT/s x1, training */
	pcicfg_decode(&c, &in);
	ATF_CHECK_EQ(in.pcie_off, 0x40);
	ATF_CHECK_EQ(in.link_max_speed, 4);
	ATF_CHECK_EQ(in.link_max_width, 16);
	ATF_CHECK_EQ(in.link_speed, 1);
	ATF_CHECK_EQ(in.link_width, 1);
	ATF_CHECK(in.link_training);
	ATF_CHECK(!in.link_dll_active);
	ATF_CHECK_STREQ(pcicfg_speed_name(4), "16.0 GT/s");
	cap_image(&c, 0x05, 24);
	pcicfg_set(&c, 0x42, 2, 0x0081);
	pcicfg_decode(&c, &in);
	ATF_CHECK(in.msi_off == 0x40 && in.msi_enabled);
	cap_image(&c, 0x11, 12);
	pcicfg_set(&c, 0x42, 2, 0xc002);
	pcicfg_decode(&c, &in);
	ATF_CHECK_EQ(in.msix_off, 0x40);
	ATF_CHECK(in.msix_enabled && in.msix_masked);
	ATF_CHECK_EQ(in.msix_size, 3);
}

ATF_TC_WITHOUT_HEAD(broken_capability_lists_end);
ATF_TC_BODY(broken_capability_lists_end, tc)
{
	struct pcicfg c;
	struct pcicfg_info in;

	cap_image(&c, 0x01, 8);
	pcicfg_set(&c, 0x41, 1, 0x40);		/* points at itself */
	pcicfg_decode(&c, &in);
	ATF_CHECK(in.caps_broken);
	ATF_CHECK_EQ(in.ncap, 1);
	cap_image(&c, 0x10, 0x3c);
	pcicfg_set(&c, 0x41, 1, 0x10);		/* into the header */
	pcicfg_set(&c, 0x100, 4, 0x10000001);	/* AER, next 0x100: loop */
	pcicfg_decode(&c, &in);
	ATF_CHECK(in.caps_broken);
	ATF_CHECK_EQ(in.necap, 1);
}

ATF_TC_WITHOUT_HEAD(signatures_classified);
ATF_TC_BODY(signatures_classified, tc)
{
	struct pcicfg *ok, *x;

	ok = load(D "amd-fiji-r9-fury-lspci-xxxx.txt");
	x = load(D "synthetic-dead-all-ff.txt");
	ATF_CHECK(pcicfg_all_ones(x));
	ATF_CHECK_EQ(pcicfg_signature(x, NULL), PCICFG_SIG_DEAD);
	ATF_CHECK_EQ(pcicfg_signature(x, ok), PCICFG_SIG_DEAD);
	ATF_CHECK_STREQ(pcicfg_sig_name(PCICFG_SIG_DEAD), "dead");
	ATF_CHECK(strstr(pcicfg_sig_text(PCICFG_SIG_DEAD), "reset bug") !=
	    NULL);
	free(x);
	x = load(D "synthetic-fiji-stuck-d3hot.txt");
	ATF_CHECK_EQ(pcicfg_signature(x, NULL), PCICFG_SIG_D3HOT);
	ATF_CHECK_STREQ(pcicfg_sig_name(PCICFG_SIG_D3HOT), "d3hot");
	free(x);
	x = load(D "synthetic-fiji-after-reset-bars-cleared.txt");
	ATF_CHECK_EQ(pcicfg_signature(x, NULL), PCICFG_SIG_BAR_DISABLED);
	ATF_CHECK_STREQ(pcicfg_sig_name(PCICFG_SIG_BAR_DISABLED),
	    "bar-disabled");
	ATF_CHECK(strstr(pcicfg_sig_text(PCICFG_SIG_BAR_DISABLED),
	    "ptvm pci restore") != NULL);
	free(x);
	/* Decoding off alone is no signature (ppt does it) but a change. */
	x = load(D "amd-fiji-r9-fury-lspci-xxxx.txt");
	pcicfg_set(x, 0x04, 2, 0x0400);
	ATF_CHECK_EQ(pcicfg_signature(x, NULL), PCICFG_SIG_NONE);
	ATF_CHECK_EQ(pcicfg_signature(x, ok), PCICFG_SIG_BAR_DISABLED);
	ATF_CHECK_EQ(pcicfg_signature(ok, x), PCICFG_SIG_NONE);
	/* One BAR moved. */
	pcicfg_set(x, 0x04, 2, 0x0407);
	pcicfg_set(x, 0x24, 4, 0xfe900000);
	ATF_CHECK_EQ(pcicfg_signature(x, ok), PCICFG_SIG_BAR_DISABLED);
	free(x);
	ATF_CHECK_EQ(pcicfg_signature(ok, ok), PCICFG_SIG_NONE);
	free(ok);
}

static struct pcicfg_diff *
diff_files(const char *a, const char *b)
{
	struct pcicfg *x, *y;
	struct pcicfg_diff *d;

	x = load(a);
	y = load(b);
	ATF_REQUIRE((d = malloc(sizeof(*d))) != NULL);
	pcicfg_diff(x, y, d);
	free(x);
	free(y);
	return (d);
}

ATF_TC_WITHOUT_HEAD(diff_explains_a_failed_reset);
ATF_TC_BODY(diff_explains_a_failed_reset, tc)
{
	struct pcicfg_diff *d;

	d = diff_files(D "amd-navi10-rx5600xt-pciconf-r.txt",
	    D "synthetic-navi10-rx5600xt-after-reset.txt");
	ATF_CHECK_EQ(d->worst, PCICFG_SIG_BAR_DISABLED);
	ATF_CHECK_EQ(d->n, 6);
	ATF_CHECK(has_line(d, "command 0x0407 -> 0x0000: memory decoding "
	    "turned off, I/O decoding turned off, bus mastering turned off, "
	    "INTx enabled"));
	ATF_CHECK(has_line(d, "BAR0 (0x10): 64-bit prefetchable memory at "
	    "0x600000000 was cleared"));
	ATF_CHECK(has_line(d, "BAR4 (0x20): I/O ports at 0xe000 was "
	    "cleared"));
	ATF_CHECK(has_line(d, "BAR5 (0x24): 32-bit memory at 0xfcb00000 was "
	    "cleared (it reads 0)"));
	ATF_CHECK(has_line(d, "ROM BAR (0x30): the ROM address 0xfcb80000 "
	    "was cleared"));
	ATF_CHECK_EQ(d->line[0].kind, PCICFG_CH_COMMAND);
	ATF_CHECK_EQ(d->line[0].sig, PCICFG_SIG_BAR_DISABLED);
	ATF_CHECK_EQ(d->line[1].kind, PCICFG_CH_BAR);
	ATF_CHECK_EQ(d->line[1].off, 0x10);
	ATF_CHECK_EQ(d->line[5].sig, PCICFG_SIG_NONE);	/* the ROM BAR */
	free(d);
}

ATF_TC_WITHOUT_HEAD(diff_explains_dead_and_d3hot);
ATF_TC_BODY(diff_explains_dead_and_d3hot, tc)
{
	struct pcicfg_diff *d;

	d = diff_files(D "amd-fiji-pciconf-r.txt",
	    D "synthetic-dead-all-ff.txt");
	ATF_CHECK_EQ(d->worst, PCICFG_SIG_DEAD);
	ATF_CHECK(has_line(d, "the function no longer answers: it reads all "
	    "0xFF (it was 1002:7300)"));
	ATF_CHECK(has_line(d, "3840 bytes were read in only one image"));
	free(d);
	d = diff_files(D "synthetic-dead-all-ff.txt",
	    D "amd-fiji-pciconf-r.txt");
	ATF_CHECK_EQ(d->worst, PCICFG_SIG_NONE);
	ATF_CHECK(has_line(d, "answers again, as 1002:7300"));
	free(d);
	d = diff_files(D "amd-fiji-r9-fury-lspci-xxxx.txt",
	    D "synthetic-fiji-stuck-d3hot.txt");
	ATF_CHECK_EQ(d->worst, PCICFG_SIG_D3HOT);
	ATF_REQUIRE_EQ(d->n, 1);
	ATF_CHECK_STREQ(d->line[0].text, "power state D0 -> D3hot: the "
	    "function was put to sleep and did not wake up");
	ATF_CHECK_EQ(d->line[0].off, 0x54);
	free(d);
	d = diff_files(D "amd-fiji-r9-fury-lspci-xxxx.txt",
	    D "amd-fiji-pciconf-r.txt");
	ATF_CHECK_EQ(d->n, 0);
	ATF_CHECK_EQ(d->nbytes, 0);
	ATF_CHECK_EQ(d->worst, PCICFG_SIG_NONE);
	free(d);
}

ATF_TC_WITHOUT_HEAD(diff_explains_link_msi_status_and_others);
ATF_TC_BODY(diff_explains_link_msi_status_and_others, tc)
{
	struct pcicfg *a, *b;
	struct pcicfg_diff *d;
	struct strbuf sb;

	a = load(D "amd-fiji-r9-fury-lspci-xxxx.txt");
	b = load(D "amd-fiji-r9-fury-lspci-xxxx.txt");
	pcicfg_set(b, 0x6a, 2, 0x0811);		/* link status */
	pcicfg_set(b, 0xa2, 2, 0x0080);		/* MSI off */
	pcicfg_set(b, 0x06, 2, 0x2010);		/* master abort */
	pcicfg_set(b, 0x3c, 1, 0xff);
	pcicfg_set(b, 0x108, 4, 0x12345678);	/* vendor-specific ecap */
	pcicfg_set(b, 0x0c, 1, 0x00);		/* cache line size */
	ATF_REQUIRE((d = malloc(sizeof(*d))) != NULL);
	pcicfg_diff(a, b, d);
	ATF_CHECK(has_line(d, "PCIe link 8.0 GT/s x16 -> 2.5 GT/s x1 "
	    "(slower: the link retrained at a lower speed or width)"));
	ATF_CHECK(has_line(d, "PCIe link training in progress"));
	ATF_CHECK(has_line(d, "MSI disabled"));
	ATF_CHECK(has_line(d, "status 0x0010 -> 0x2010: received master "
	    "abort set (errors seen"));
	ATF_CHECK(has_line(d, "interrupt line 0x0a -> 0xff"));
	ATF_CHECK(has_line(d, "vendor-specific (extended capability at "
	    "0x100): 0x108 changed, 00000000 -> 12345678"));
	ATF_CHECK(has_line(d, "header: 0x00c changed, 00800010 -> "
	    "00800000"));
	ATF_CHECK_EQ(d->worst, PCICFG_SIG_NONE);
	sb_init(&sb);
	pcicfg_diff_text(d, &sb);
	ATF_CHECK(strstr(sb_str(&sb), "  - MSI disabled\n") != NULL);
	ATF_CHECK(strstr(sb_str(&sb), "signature") == NULL);
	sb_free(&sb);
	free(d);
	free(a);
	free(b);
}

ATF_TC_WITHOUT_HEAD(diff_json_is_stable);
ATF_TC_BODY(diff_json_is_stable, tc)
{
	struct pcicfg_diff *d;
	struct pcicfg *c;
	struct strbuf sb;
	struct json j;

	d = diff_files(D "amd-fiji-r9-fury-lspci-xxxx.txt",
	    D "synthetic-fiji-stuck-d3hot.txt");
	sb_init(&sb);
	json_init(&j, &sb);
	pcicfg_diff_json(d, &j, NULL);
	ATF_CHECK_STREQ(sb_str(&sb), "{\"signature\":\"d3hot\","
	    "\"signature_text\":\"the function is stuck in D3hot (powered "
	    "down): it was put to sleep and did not wake up; a bus reset or "
	    "a host reboot usually brings it back\",\"bytes_differ\":1,"
	    "\"omitted\":0,\"changes\":[{\"kind\":\"power\",\"signature\":"
	    "\"d3hot\",\"offset\":\"0x054\",\"text\":\"power state D0 -> "
	    "D3hot: the function was put to sleep and did not wake up\"}]}");
	free(d);
	c = load(D "amd-navi10-rx5600xt-lspci-nn-v-xxxx.txt");
	sb_reset(&sb);
	json_init(&j, &sb);
	pcicfg_json(c, &j, NULL);
	ATF_CHECK(strstr(sb_str(&sb), "\"vendor_id\":\"0x1002\","
	    "\"device_id\":\"0x731f\"") != NULL);
	ATF_CHECK(strstr(sb_str(&sb), "{\"index\":0,\"offset\":\"0x10\","
	    "\"type\":\"mem64\",\"prefetchable\":true,\"address\":"
	    "\"0x600000000\"") != NULL);
	ATF_CHECK(strstr(sb_str(&sb), "\"power_state\":\"D0\"") != NULL);
	ATF_CHECK(strstr(sb_str(&sb), "\"link_speed\":\"16.0 GT/s\","
	    "\"link_width\":16") != NULL);
	ATF_CHECK(strstr(sb_str(&sb), "\"signature\":\"none\","
	    "\"signature_text\":null}") != NULL);
	sb_free(&sb);
	free(c);
}

static struct pcicfg_plan *
plan(const struct pcicfg *saved, const struct pcicfg *cur, unsigned flags,
    int want, struct diags *d)
{
	struct pcicfg_plan *p;

	ATF_REQUIRE((p = malloc(sizeof(*p))) != NULL);
	diags_init(d);
	ATF_CHECK_EQ(pcicfg_restore_plan(saved, cur, flags, p, d), want);
	return (p);
}

ATF_TC_WITHOUT_HEAD(restore_plan_after_reset);
ATF_TC_BODY(restore_plan_after_reset, tc)
{
	struct pcicfg *s, *c;
	struct pcicfg_plan *p;
	struct diags d;

	s = load(D "amd-navi10-rx5600xt-pciconf-r.txt");
	c = load(D "synthetic-navi10-rx5600xt-after-reset.txt");
	p = plan(s, c, 0, 0, &d);
	ATF_REQUIRE_EQ(p->n, 6);
	ATF_CHECK(p->w[0].off == 0x14 && p->w[0].width == 4 &&
	    p->w[0].val == 0x6);
	ATF_CHECK(p->w[1].off == 0x1c && p->w[1].val == 0x5);
	ATF_CHECK(p->w[2].off == 0x20 && p->w[2].val == 0xe001);
	ATF_CHECK(p->w[3].off == 0x24 && p->w[3].val == 0xfcb00000);
	ATF_CHECK(p->w[4].off == 0x30 && p->w[4].val == 0xfcb80000);
	/* Command last, bus mastering not turned on. */
	ATF_CHECK(p->w[5].off == 0x04 && p->w[5].width == 2 &&
	    p->w[5].val == 0x0403);
	ATF_CHECK_STREQ(p->w[5].what, "command");
	ATF_CHECK(tu_diag_has(&d, "bus mastering is left off"));
	ATF_CHECK_EQ(d.nerrors, 0);
	diags_free(&d);
	free(p);
	/* Nothing to do when they match; everything without a current. */
	p = plan(s, s, 0, 0, &d);
	ATF_CHECK_EQ(p->n, 0);
	diags_free(&d);
	free(p);
	p = plan(s, NULL, 0, 0, &d);
	ATF_CHECK(find_write(p, 0x10) != NULL && find_write(p, 0x3c) != NULL);
	ATF_CHECK(find_write(p, 0x50 + 4) != NULL);	/* PMCSR */
	ATF_CHECK_EQ(find_write(p, 0x54)->delay_ms, 10);
	ATF_CHECK_EQ(p->w[p->n - 1].off, 0x04);
	diags_free(&d);
	free(p);
	free(s);
	free(c);
}

ATF_TC_WITHOUT_HEAD(restore_turns_decoding_off_while_bars_change);
ATF_TC_BODY(restore_turns_decoding_off_while_bars_change, tc)
{
	struct pcicfg *s, *c;
	struct pcicfg_plan *p;
	struct diags d;

	s = load(D "amd-fiji-r9-fury-lspci-xxxx.txt");
	c = load(D "amd-fiji-r9-fury-lspci-xxxx.txt");
	pcicfg_set(c, 0x24, 4, 0xfe900000);	/* BAR5 moved, decoding on */
	p = plan(s, c, 0, 0, &d);
	ATF_REQUIRE_EQ(p->n, 3);
	ATF_CHECK(p->w[0].off == 0x04 && p->w[0].val == 0x0404);
	ATF_CHECK(p->w[1].off == 0x24 && p->w[1].val == 0xfe800000);
	ATF_CHECK(p->w[2].off == 0x04 && p->w[2].val == 0x0407);
	diags_free(&d);
	free(p);
	/* Decoding already off: no extra write. */
	pcicfg_set(c, 0x04, 2, 0x0400);
	p = plan(s, c, 0, 0, &d);
	ATF_REQUIRE_EQ(p->n, 2);
	ATF_CHECK(p->w[0].off == 0x24);
	ATF_CHECK(p->w[1].off == 0x04 && p->w[1].val == 0x0403);
	diags_free(&d);
	free(p);
	free(s);
	free(c);
}

ATF_TC_WITHOUT_HEAD(restore_never_writes_ro_or_w1c);
ATF_TC_BODY(restore_never_writes_ro_or_w1c, tc)
{
	static const unsigned never[] = { 0x00, 0x02, 0x06, 0x07, 0x08, 0x09,
	    0x0e, 0x0f, 0x2c, 0x2e, 0x34, 0x3d, 0x3e, 0x3f, 0x48, 0x50, 0x58,
	    0x5a, 0x62, 0x6a, 0xa0, 0xa2, 0x100, 0x104, 0x154, 0x160 };
	struct pcicfg *s, *c;
	struct pcicfg_plan *p;
	const struct pcicfg_write *w;
	struct diags d;
	size_t i;

	s = load(D "amd-fiji-r9-fury-lspci-xxxx.txt");
	c = load(D "amd-fiji-r9-fury-lspci-xxxx.txt");
	/* The saved image differs in every kind of register. */
	pcicfg_set(s, 0x06, 2, 0xf910);		/* status W1C bits */
	pcicfg_set(s, 0x08, 4, 0x038000cb);	/* class and revision */
	pcicfg_set(s, 0x0e, 2, 0x4080);		/* header type, BIST start */
	pcicfg_set(s, 0x3d, 3, 0x00000002);	/* pin, grant, latency */
	pcicfg_set(s, 0x54, 2, 0x8108);		/* PME_Status, PME_En */
	pcicfg_set(s, 0x60, 2, 0xa931);		/* devctl with FLR bit */
	pcicfg_set(s, 0x62, 2, 0x000f);		/* devsta RW1C */
	pcicfg_set(s, 0x68, 2, 0x0073);		/* lnkctl: disable, retrain */
	pcicfg_set(s, 0x6a, 2, 0x0f00);		/* lnksta RO */
	pcicfg_set(s, 0xa2, 2, 0x0080);		/* MSI control */
	pcicfg_set(s, 0x154, 4, 0xffffffff);	/* AER uncorrectable status */
	pcicfg_set(s, 0x160, 4, 0xffffffff);	/* AER correctable status */
	pcicfg_set(s, 0x104, 4, 0x11111111);	/* VSEC header (read-only) */
	pcicfg_set(s, 0x108, 4, 0x33333333);	/* VSEC body */
	pcicfg_set(s, 0x40, 4, 0x22222222);	/* device-specific */
	p = plan(s, c, 0, 0, &d);
	for (i = 0; i < nitems(never); i++)
		ATF_CHECK_MSG(find_write(p, never[i]) == NULL,
		    "0x%x written", never[i]);
	ATF_CHECK(find_write(p, 0x108) == NULL);	/* vendor: no flag */
	ATF_CHECK(find_write(p, 0x40) == NULL);
	ATF_REQUIRE((w = find_write(p, 0x54)) != NULL);
	ATF_CHECK_EQ(w->val, 0x0100);		/* PME_En, never PME_Status */
	ATF_REQUIRE((w = find_write(p, 0x60)) != NULL);
	ATF_CHECK_EQ(w->val, 0x2931);		/* never Initiate FLR */
	ATF_REQUIRE((w = find_write(p, 0x68)) != NULL);
	ATF_CHECK_EQ(w->val, 0x0043);		/* no disable, no retrain */
	ATF_CHECK(tu_diag_has(&d, "0x06 status (write-1-to-clear) differs: "
	    "not written"));
	ATF_CHECK(tu_diag_has(&d, "0x08 revision/class (read-only)"));
	ATF_CHECK(tu_diag_has(&d, "0x0f BIST"));
	ATF_CHECK(tu_diag_has(&d, "--unsafe-vendor-registers"));
	ATF_CHECK(p->nskipped > 0);
	diags_free(&d);
	free(p);
	/* With the flag: vendor registers, still no W1C, header or MSI. */
	p = plan(s, c, PCICFG_RESTORE_VENDOR, 0, &d);
	ATF_REQUIRE((w = find_write(p, 0x108)) != NULL);
	ATF_CHECK(w->vendor && w->val == 0x33333333 && w->width == 4);
	ATF_REQUIRE((w = find_write(p, 0x40)) != NULL);
	ATF_CHECK(w->vendor);
	for (i = 0; i < nitems(never); i++)
		ATF_CHECK_MSG(find_write(p, never[i]) == NULL,
		    "0x%x written with the vendor flag", never[i]);
	ATF_CHECK(find_write(p, 0x04) == NULL);	/* the same command */
	ATF_CHECK(!p->w[0].vendor && p->w[p->n - 1].vendor);
	diags_free(&d);
	free(p);
	free(s);
	free(c);
}

ATF_TC_WITHOUT_HEAD(restore_refusals);
ATF_TC_BODY(restore_refusals, tc)
{
	struct pcicfg *s, *c, *dead, *other;
	struct pcicfg_plan *p;
	struct diags d;

	s = load(D "amd-fiji-r9-fury-lspci-xxxx.txt");
	c = load(D "amd-fiji-r9-fury-lspci-xxxx.txt");
	dead = load(D "synthetic-dead-all-ff.txt");
	other = load(D "nvidia-gt218-geforce210-lspci-xxxx.txt");
	p = plan(s, dead, 0, -1, &d);
	ATF_CHECK(tu_diag_has(&d, "does not answer"));
	ATF_CHECK(tu_diag_has(&d, "reset bug"));
	ATF_CHECK_EQ(p->n, 0);
	diags_free(&d);
	free(p);
	p = plan(dead, c, 0, -1, &d);
	ATF_CHECK(tu_diag_has(&d, "saved image reads all 0xFF"));
	diags_free(&d);
	free(p);
	p = plan(other, c, 0, -1, &d);
	ATF_CHECK(tu_diag_has(&d, "not the same device"));
	diags_free(&d);
	free(p);
	pcicfg_set(c, 0x2e, 2, 0x0b37);		/* another board's subsystem */
	p = plan(s, c, 0, -1, &d);
	ATF_CHECK(tu_diag_has(&d, "subsystem 1002:0b36, the function is "
	    "1002:7300 subsystem 1002:0b37"));
	diags_free(&d);
	free(p);
	pcicfg_set(s, 0x0e, 1, 0x01);		/* a bridge */
	p = plan(s, NULL, 0, -1, &d);
	ATF_CHECK(tu_diag_has(&d, "header type 1"));
	diags_free(&d);
	free(p);
	/* A saved image in D3hot does not put the function to sleep. */
	free(s);
	s = load(D "synthetic-fiji-stuck-d3hot.txt");
	pcicfg_set(c, 0x2e, 2, 0x0b36);
	p = plan(s, c, 0, 0, &d);
	ATF_CHECK(find_write(p, 0x54) == NULL);
	ATF_CHECK(tu_diag_has(&d, "saved image is in D3hot"));
	diags_free(&d);
	free(p);
	/* A function in D3hot is woken first, then waited for. */
	p = plan(c, s, 0, 0, &d);
	ATF_REQUIRE(p->n >= 1);
	ATF_CHECK(p->w[0].off == 0x54 && p->w[0].val == 0x0000 &&
	    p->w[0].delay_ms == 10);
	diags_free(&d);
	free(p);
	free(s);
	free(c);
	free(dead);
	free(other);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, lspci_real_fiji_decoded);
	ATF_TP_ADD_TC(tp, lspci_real_nvidia_and_navi_decoded);
	ATF_TP_ADD_TC(tp, pciconf_formats_read_the_same_bytes);
	ATF_TP_ADD_TC(tp, parse_errors_are_located);
	ATF_TP_ADD_TC(tp, not_a_dump_stops_without_raw_bytes);
	ATF_TP_ADD_TC(tp, lspci_function_chosen_by_address);
	ATF_TP_ADD_TC(tp, save_file_round_trips);
	ATF_TP_ADD_TC(tp, command_and_status_in_words);
	ATF_TP_ADD_TC(tp, bar_types_decoded);
	ATF_TP_ADD_TC(tp, pm_pcie_msi_msix_decoded);
	ATF_TP_ADD_TC(tp, broken_capability_lists_end);
	ATF_TP_ADD_TC(tp, signatures_classified);
	ATF_TP_ADD_TC(tp, diff_explains_a_failed_reset);
	ATF_TP_ADD_TC(tp, diff_explains_dead_and_d3hot);
	ATF_TP_ADD_TC(tp, diff_explains_link_msi_status_and_others);
	ATF_TP_ADD_TC(tp, diff_json_is_stable);
	ATF_TP_ADD_TC(tp, restore_plan_after_reset);
	ATF_TP_ADD_TC(tp, restore_turns_decoding_off_while_bars_change);
	ATF_TP_ADD_TC(tp, restore_never_writes_ro_or_w1c);
	ATF_TP_ADD_TC(tp, restore_refusals);
	return (atf_no_error());
}
