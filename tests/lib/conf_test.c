/*
 * conf_test.c: loader.conf and sysctl.conf edits keep the user's lines.
 */
#include "testutil.h"

#include "loaderconf.h"

ATF_TC_WITHOUT_HEAD(replace_keeps_comments);
ATF_TC_BODY(replace_keeps_comments, tc)
{
	static const char in[] = "# mine\nfoo=1\nkern.consmute=0  # old\n"
	    "kern.consmute=0\n";
	struct strbuf out;

	sb_init(&out);
	ATF_CHECK_EQ(conf_set(in, strlen(in), CONF_SYSCTL, "kern.consmute",
	    "1", "c", &out), 1);
	ATF_CHECK_STREQ(sb_str(&out), "# mine\nfoo=1\nkern.consmute=1  # old\n"
	    "#kern.consmute=0\t# disabled by ptvm\n");
	sb_free(&out);
}

ATF_TC_WITHOUT_HEAD(append_and_idempotent);
ATF_TC_BODY(append_and_idempotent, tc)
{
	static const char in[] = "# loader\nvmm_load=\"YES\"\n";
	struct strbuf out;
	char *v;

	sb_init(&out);
	ATF_CHECK_EQ(conf_set(in, strlen(in), CONF_LOADER, "vmm_load", "YES",
	    NULL, &out), 0);
	ATF_CHECK_STREQ(sb_str(&out), in);
	sb_reset(&out);
	ATF_CHECK_EQ(conf_set(in, strlen(in), CONF_LOADER, "pptdevs",
	    "6/0/0 6/0/1", "devs", &out), 1);
	ATF_CHECK_STREQ(sb_str(&out), "# loader\nvmm_load=\"YES\"\n# devs\n"
	    "pptdevs=\"6/0/0 6/0/1\"\n");
	v = conf_get(out.s, out.len, "pptdevs");
	ATF_CHECK_STREQ(v, "6/0/0 6/0/1");
	free(v);
	sb_free(&out);
}

/*
 * fuzz_loaderconf: a file that does not exist is an empty image without a
 * buffer; the editor did arithmetic on the null pointer (UBSan).
 */
ATF_TC_WITHOUT_HEAD(empty_without_buffer);
ATF_TC_BODY(empty_without_buffer, tc)
{
	struct strbuf out;

	sb_init(&out);
	ATF_CHECK_EQ(conf_set(NULL, 0, CONF_LOADER, "vmm_load", "YES", NULL,
	    &out), 1);
	ATF_CHECK_STREQ(sb_str(&out), "vmm_load=\"YES\"\n");
	ATF_CHECK(conf_get(NULL, 0, "vmm_load") == NULL);
	sb_free(&out);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, replace_keeps_comments);
	ATF_TP_ADD_TC(tp, append_and_idempotent);
	ATF_TP_ADD_TC(tp, empty_without_buffer);
	return (atf_no_error());
}
