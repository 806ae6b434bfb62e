/*
 * hostop_test.c: host changes print as FreeBSD commands and parse back.
 */
#include "testutil.h"

#include "hostop.h"

static void
roundtrip(const struct hostop *op, const char *want)
{
	struct hostop_parsed p;
	struct strbuf a, b;
	char err[128];

	sb_init(&a);
	sb_init(&b);
	hostop_fmt(op, &a);
	ATF_CHECK_STREQ(sb_str(&a), want);
	ATF_REQUIRE_MSG(hostop_parse(a.s, a.len, &p, err, sizeof(err)) == 0,
	    "%s: %s", want, err);
	hostop_fmt(&p.op, &b);
	ATF_CHECK_STREQ(sb_str(&b), want);
	hostop_parsed_free(&p);
	sb_free(&a);
	sb_free(&b);
}

ATF_TC_WITHOUT_HEAD(commands_round_trip);
ATF_TC_BODY(commands_round_trip, tc)
{
	struct hostop op;
	const char *argv[] = { "bhyve", "-k", "/tmp/a b.conf", "it's", NULL };

	memset(&op, 0, sizeof(op));
	op.kind = HOP_KENV_SET, op.a = "pptdevs", op.b = "6/0/0 6/0/1";
	roundtrip(&op, "kenv pptdevs=\"6/0/0 6/0/1\"");
	op.kind = HOP_KENV_UNSET, op.a = "pptdevs2";
	roundtrip(&op, "kenv -u pptdevs2");
	op.kind = HOP_SET_DRIVER, op.a = "pci0:6:0:0", op.b = "ppt";
	op.force = true;
	roundtrip(&op, "devctl set driver -f pci0:6:0:0 ppt");
	op.kind = HOP_CLEAR_DRIVER;
	roundtrip(&op, "devctl clear driver -f pci0:6:0:0");
	op.kind = HOP_DETACH, op.force = false;
	roundtrip(&op, "devctl detach pci0:6:0:0");
	op.kind = HOP_KLDLOAD, op.a = "vmm";
	roundtrip(&op, "kldload vmm");
	op.kind = HOP_SYSCTL_SET, op.a = "kern.consmute", op.b = "1";
	roundtrip(&op, "sysctl kern.consmute=1");
	op.kind = HOP_INSTALL, op.a = "root/boot/x.conf";
	op.b = "/boot/x.conf", op.mode = 0644;
	roundtrip(&op, "install -m 0644 root/boot/x.conf /boot/x.conf");
	op.kind = HOP_EXEC, op.argv = argv;
	roundtrip(&op, "bhyve -k '/tmp/a b.conf' 'it'\\''s'");
}

ATF_TC_WITHOUT_HEAD(bad_lines_rejected);
ATF_TC_BODY(bad_lines_rejected, tc)
{
	static const char *const bad[] = { "", "devctl", "devctl frob x",
	    "devctl set driver pci0:1:0:0", "kenv novalue", "kenv 'open",
	    "devctl detach a b", "install -m 99 a b" };
	struct hostop_parsed p;
	char err[128];
	size_t i;

	for (i = 0; i < nitems(bad); i++)
		ATF_CHECK_MSG(hostop_parse(bad[i], strlen(bad[i]), &p, err,
		    sizeof(err)) != 0, "accepted \"%s\"", bad[i]);
}

ATF_TC_WITHOUT_HEAD(pciconf_writes_round_trip);
ATF_TC_BODY(pciconf_writes_round_trip, tc)
{
	static const char *const bad[] = { "pciconf -w pci0:6:0:0 0x10",
	    "pciconf -w pci0:6:0:0 0x1000 0", "pciconf -w pci0:6:0:0 0x12 0",
	    "pciconf -w -h pci0:6:0:0 0x05 0", "pciconf -w -b x 0x3c 0x100",
	    "pciconf -w -h x 0x04 0x10000", "pciconf -w x 0x10 0x1ffffffff",
	    "pciconf -w x 0x1g 0", "pciconf -w x 16 -1",
	    "pciconf -w -q x 0x10 0" };
	static const char dec[] = "pciconf -w pci0:6:0:0 16 255";
	static const char lv[] = "pciconf -lv";
	struct hostop_parsed p;
	struct hostop op;
	char err[128];
	size_t i;

	memset(&op, 0, sizeof(op));
	op.kind = HOP_PCI_WRITE, op.a = "pci0:47:0:0";
	op.reg = 0x14, op.width = 4, op.val = 6;
	roundtrip(&op, "pciconf -w pci0:47:0:0 0x14 0x00000006");
	op.reg = 0x04, op.width = 2, op.val = 0x0403;
	roundtrip(&op, "pciconf -w -h pci0:47:0:0 0x04 0x0403");
	op.reg = 0x3c, op.width = 1, op.val = 0xff;
	roundtrip(&op, "pciconf -w -b pci0:47:0:0 0x3c 0xff");
	op.reg = 0xffc, op.width = 4, op.val = 0xffffffff;
	roundtrip(&op, "pciconf -w pci0:47:0:0 0xffc 0xffffffff");
	op.a = "a b";
	roundtrip(&op, "pciconf -w 'a b' 0xffc 0xffffffff");
	/* pciconf reads numbers with strtoul(3) base 0: decimal too. */
	ATF_REQUIRE(hostop_parse(dec, strlen(dec), &p, err, sizeof(err)) == 0);
	ATF_CHECK(p.op.kind == HOP_PCI_WRITE && p.op.reg == 16 &&
	    p.op.val == 255 && p.op.width == 4);
	hostop_parsed_free(&p);
	/* Other pciconf commands are programs to run, not writes. */
	ATF_REQUIRE(hostop_parse(lv, strlen(lv), &p, err, sizeof(err)) == 0);
	ATF_CHECK_EQ(p.op.kind, HOP_EXEC);
	hostop_parsed_free(&p);
	for (i = 0; i < nitems(bad); i++)
		ATF_CHECK_MSG(hostop_parse(bad[i], strlen(bad[i]), &p, err,
		    sizeof(err)) != 0, "accepted \"%s\"", bad[i]);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, pciconf_writes_round_trip);
	ATF_TP_ADD_TC(tp, commands_round_trip);
	ATF_TP_ADD_TC(tp, bad_lines_rejected);
	return (atf_no_error());
}
