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

ATF_TC_WITHOUT_HEAD(crlf_lines_keep_their_cr);
ATF_TC_BODY(crlf_lines_keep_their_cr, tc)
{
	static const char in[] = "# dos\r\nvmm_load=\"NO\"\r\n"
	    "vmm_load=\"NO\" # again\r\nfoo=1\r\n";
	static const char lf[] = "a=1\nb=2\n";
	struct strbuf out;

	sb_init(&out);
	ATF_CHECK_EQ(conf_set(in, strlen(in), CONF_LOADER, "vmm_load", "YES",
	    NULL, &out), 1);
	ATF_CHECK_STREQ(sb_str(&out), "# dos\r\nvmm_load=\"YES\"\r\n"
	    "#vmm_load=\"NO\" # again\t# disabled by ptvm\r\nfoo=1\r\n");
	sb_reset(&out);
	/* A line ptvm adds to a CRLF file ends the same way. */
	ATF_CHECK_EQ(conf_set(in, strlen(in), CONF_LOADER, "pptdevs", "6/0/0",
	    "devs", &out), 1);
	ATF_CHECK_STREQ(sb_str(&out) + strlen(in), "# devs\r\n"
	    "pptdevs=\"6/0/0\"\r\n");
	sb_reset(&out);
	/* ... and to an LF file, as before. */
	ATF_CHECK_EQ(conf_set(lf, strlen(lf), CONF_SYSCTL, "b", "3", NULL,
	    &out), 1);
	ATF_CHECK_STREQ(sb_str(&out), "a=1\nb=3\n");
	sb_free(&out);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, replace_keeps_comments);
	ATF_TP_ADD_TC(tp, append_and_idempotent);
	ATF_TP_ADD_TC(tp, crlf_lines_keep_their_cr);
	return (atf_no_error());
}
