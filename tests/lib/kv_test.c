/*
 * kv_test.c: the sysctl, kenv and kldstat capture parsers.
 */
#include "testutil.h"

#include "kv.h"

ATF_TC_WITHOUT_HEAD(sysctl_multiline_values);
ATF_TC_BODY(sysctl_multiline_values, tc)
{
	static const char in[] = "hw.model: AMD Ryzen 7 5800X\n"
	    "kern.sched.topology_spec: <groups>\n <group level=\"1\">\n"
	    "</groups>\nhw.pci.default_vgapci_unit: 0\nkern.x=3\n";
	struct kv_list l;
	struct diags d;

	kv_init(&l);
	diags_init(&d);
	ATF_REQUIRE(kv_parse_sysctl(in, strlen(in), "s", &l, &d) == 0);
	ATF_CHECK_STREQ(kv_get(&l, "hw.model"), "AMD Ryzen 7 5800X");
	ATF_CHECK_STREQ(kv_get(&l, "kern.sched.topology_spec"),
	    "<groups>\n <group level=\"1\">\n</groups>");
	ATF_CHECK_STREQ(kv_get(&l, "hw.pci.default_vgapci_unit"), "0");
	ATF_CHECK_STREQ(kv_get(&l, "kern.x"), "3");
	ATF_CHECK(kv_get(&l, "nope") == NULL);
	kv_free(&l);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(kenv_quotes_and_errors);
ATF_TC_BODY(kenv_quotes_and_errors, tc)
{
	static const char good[] = "pptdevs=\"6/0/0 6/0/1\"\nsmbios.x=\"a=b\"\n";
	static const char bad[] = "ok=\"1\"\nthis is not kenv\n";
	struct kv_list l;
	struct diags d;

	kv_init(&l);
	diags_init(&d);
	ATF_REQUIRE(kv_parse_kenv(good, strlen(good), "k", &l, &d) == 0);
	ATF_CHECK_STREQ(kv_get(&l, "pptdevs"), "6/0/0 6/0/1");
	ATF_CHECK_STREQ(kv_get(&l, "smbios.x"), "a=b");
	ATF_CHECK(kv_set(&l, "pptdevs", NULL) == 0);
	ATF_CHECK(kv_get(&l, "pptdevs") == NULL);
	kv_free(&l);
	ATF_CHECK(kv_parse_kenv(bad, strlen(bad), "kenv.txt", &l, &d) != 0);
	ATF_CHECK_EQ(tu_diag_line(&d, "expected name="), 2);
	kv_free(&l);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(kldstat_names);
ATF_TC_BODY(kldstat_names, tc)
{
	static const char in[] = "Id Refs Address                Size Name\n"
	    " 1   64 0xffffffff80200000  1f4e6a8 kernel\n"
	    " 2    1 0xffffffff82150000    77e38 vmm.ko\n"
	    "\tContains modules:\n\t\tId Name\n\t\t 1 vmm\n";
	static const char bin[] = "a\0b";
	struct kv_list l;
	struct diags d;

	kv_init(&l);
	diags_init(&d);
	ATF_REQUIRE(kv_parse_kldstat(in, strlen(in), "k", &l, &d) == 0);
	ATF_CHECK_EQ(l.n, 2);
	ATF_CHECK(kv_get(&l, "vmm.ko") != NULL);
	kv_free(&l);
	ATF_CHECK(kv_parse_kldstat(bin, 3, "k", &l, &d) != 0);
	ATF_CHECK(tu_diag_has(&d, "binary data"));
	kv_free(&l);
	diags_free(&d);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, sysctl_multiline_values);
	ATF_TP_ADD_TC(tp, kenv_quotes_and_errors);
	ATF_TP_ADD_TC(tp, kldstat_names);
	return (atf_no_error());
}
