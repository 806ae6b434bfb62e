/*
 * hostfile_test: files ptvm reads back that it or a test wrote: the
 * bindings record (lib/bindrec.c) and a captured host's vmm.txt, fail and
 * run/vmm/NAME (lib/capfile.c).
 */
#include "compat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "bhyveproc.h"
#include "bindrec.h"
#include "capfile.h"

static const char records[] =
    "pci0:6:0:0 vgapci fixed\n"
    "pci0:6:0:1 hdac garbage\n"		/* not a record: never believed */
    "# pci0:1:0:0 none boot\n"
    "pci0:1:0:0 none boot\n"
    "pci0:1:0:0 ppt fixed";		/* no newline; the last one wins */

ATF_TC_WITHOUT_HEAD(bindrec_find_and_drop);
ATF_TC_BODY(bindrec_find_and_drop, tc)
{
	struct pci_sel s = { 0, 6, 0, 1 }, drop[2] = { { 0, 1, 0, 0 },
	    { 0, 6, 0, 0 } };
	struct bindrec r;
	struct strbuf sb;

	ATF_REQUIRE_EQ(bindrec_find(records, sizeof(records) - 1, &drop[1],
	    &r), 0);
	ATF_CHECK_STREQ(r.how, "fixed");
	ATF_CHECK_STREQ(r.driver, "vgapci");
	/* The old reader took any third word ("garbage") for a how. */
	ATF_CHECK_EQ(bindrec_find(records, sizeof(records) - 1, &s, &r), -1);
	ATF_REQUIRE_EQ(bindrec_find(records, sizeof(records) - 1, &drop[0],
	    &r), 0);
	ATF_CHECK_STREQ(r.driver, "ppt");
	sb_init(&sb);
	bindrec_drop(records, sizeof(records) - 1, drop, 2, &sb);
	ATF_CHECK_STREQ(sb_str(&sb), "pci0:6:0:1 hdac garbage\n"
	    "# pci0:1:0:0 none boot\n");
	sb_reset(&sb);
	ATF_CHECK_EQ(bindrec_parse_line("pci0:6:0:0 vga pci fixed", 24, &r),
	    -1);
	ATF_CHECK_EQ(bindrec_parse_line("6/0/0 vgapci fixed", 18, &r), -1);
	strlcpy(r.driver, "vga pci", sizeof(r.driver));
	strlcpy(r.how, "fixed", sizeof(r.how));
	ATF_CHECK_EQ(bindrec_format(&r, &sb), -1);
	ATF_CHECK_EQ(sb.len, 0);
	sb_free(&sb);
}

ATF_TC_WITHOUT_HEAD(capf_vmm);
ATF_TC_BODY(capf_vmm, tc)
{
	static const char ok[] = "winpt 6/0/0 pci0:6:0:1 # comment\n"
	    "\tother ?\n\nlinux\n";
	char big[200];
	struct capf_vms l;
	struct diags d;

	diags_init(&d);
	ATF_REQUIRE_EQ(capf_vmm_parse(ok, sizeof(ok) - 1, "vmm.txt", &l, &d),
	    0);
	ATF_REQUIRE_EQ(l.n, 3);
	ATF_CHECK_STREQ(l.vm[0].name, "winpt");
	ATF_CHECK_EQ(l.vm[0].ndevs, 2);
	ATF_CHECK_EQ(l.vm[0].devs[1].func, 1);
	ATF_CHECK(!l.vm[1].devs_known);
	ATF_CHECK(l.vm[2].devs_known);
	capf_vms_free(&l);
	/* A name that did not fit was cut short silently. */
	memset(big, 'a', sizeof(big));
	ATF_CHECK_EQ(capf_vmm_parse(big, sizeof(big), "vmm.txt", &l, &d),
	    EINVAL);
	ATF_CHECK_EQ(capf_vmm_parse("vm 6/0\n", 7, "vmm.txt", &l, &d),
	    EINVAL);
	ATF_CHECK_EQ(capf_vmm_parse("v\0m\n", 4, "vmm.txt", &l, &d), EINVAL);
	ATF_CHECK_EQ(d.nerrors, 3);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(capf_fail_and_probe);
ATF_TC_BODY(capf_fail_and_probe, tc)
{
	static const char fail[] = "devctl detach pci0:6:0:0: EBUSY\n"
	    "# comment\nno errno here\nx: EWHAT\nsay a: E: ENXIO";
	struct capf_probe pr;
	struct capf_fail *f;
	struct diags d;
	size_t n;

	diags_init(&d);
	ATF_REQUIRE_EQ(capf_fail_parse(fail, sizeof(fail) - 1, "fail", &f, &n,
	    &d), 0);
	ATF_REQUIRE_EQ(n, 2);
	ATF_CHECK_STREQ(f[0].cmd, "devctl detach pci0:6:0:0");
	ATF_CHECK_EQ(f[0].err, EBUSY);
	ATF_CHECK_STREQ(f[1].cmd, "say a: E");
	ATF_CHECK_EQ(f[1].err, ENXIO);
	ATF_CHECK_EQ(d.nerrors, 2);
	capf_fail_free(f, n);
	diags_free(&d);

	capf_probe_parse("pid=42\nrunning=yes\nacpi=no", 26, &pr);
	ATF_CHECK_EQ(pr.pid, 42);
	ATF_CHECK_EQ(pr.running, 1);
	ATF_CHECK_EQ(pr.acpi, 0);
	/* strtol read "12abc" as 12 and wrapped what did not fit an int. */
	capf_probe_parse("pid=12abc\n", 10, &pr);
	ATF_CHECK_EQ(pr.pid, 0);
	ATF_CHECK_EQ(pr.running, -1);
	capf_probe_parse("pid=4294967338\n", 15, &pr);
	ATF_CHECK_EQ(pr.pid, 0);
	capf_probe_parse("pid=-1\nrunning=yess\n", 20, &pr);
	ATF_CHECK_EQ(pr.pid, 0);
	ATF_CHECK_EQ(pr.running, 0);
}

static int
kfile(void *arg, const char *path, char **buf, size_t *len)
{

	ATF_CHECK_STREQ(path, "vm.conf");
	*buf = strdup(arg);
	*len = strlen(arg);
	return (*buf != NULL ? 0 : ENOMEM);
}

/* A running bhyve's arguments and -k file (lib/bhyveproc.c). */
ATF_TC_WITHOUT_HEAD(bhyveproc_devs);
ATF_TC_BODY(bhyveproc_devs, tc)
{
	char args[] = "bhyve\0-Hw\0-s\0006:0,passthru,6/0/0\0-k\0vm.conf\0"
	    "winpt";		/* the last string ends at args[len] */
	struct pci_sel *devs;
	struct kv_list cfg;
	size_t ndevs;
	char **argv;
	bool known;
	int argc;

	ATF_REQUIRE_EQ(bproc_split_args(args, sizeof(args) - 1, &argv,
	    &argc), 0);
	ATF_REQUIRE_EQ(argc, 7);
	ATF_CHECK_STREQ(argv[6], "winpt");
	kv_init(&cfg);
	ATF_REQUIRE_EQ(bproc_args(&cfg, argc, argv, kfile,
	    "# comment\n\npci.0.7.0.device=passthru\npci.0.7.0.bus=0x7\n"
	    "pci.0.7.0.slot=0\npci.0.7.0.func=01\n"), 0);
	ATF_CHECK_STREQ(kv_get(&cfg, "name"), "winpt");
	devs = NULL;
	ndevs = 0;
	ATF_REQUIRE_EQ(bproc_devs(&cfg, NULL, NULL, &devs, &ndevs, &known), 0);
	ATF_CHECK(known);
	ATF_REQUIRE_EQ(ndevs, 2);
	ATF_CHECK_EQ(devs[0].bus, 6);
	ATF_CHECK_EQ(devs[1].bus, 7);
	ATF_CHECK_EQ(devs[1].func, 1);
	free(devs);
	kv_free(&cfg);
	free(argv);
	/* A NUL cut the line short: key=value\0junk read as key=value. */
	kv_init(&cfg);
	ATF_CHECK_EQ(bproc_cfg_file(&cfg, "a.b=1\0junk\n", 11), EINVAL);
	ATF_CHECK_EQ(bproc_cfg_file(&cfg, "novalue=\n", 9), EINVAL);
	kv_free(&cfg);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, bindrec_find_and_drop);
	ATF_TP_ADD_TC(tp, capf_vmm);
	ATF_TP_ADD_TC(tp, capf_fail_and_probe);
	ATF_TP_ADD_TC(tp, bhyveproc_devs);
	return (atf_no_error());
}
