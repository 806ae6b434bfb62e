/*
 * conf_test.c: loader.conf and sysctl.conf edits keep the user's lines;
 * what a VM file line can hold reads back as itself.
 */
#include "testutil.h"

#include "loaderconf.h"
#include "vmconf.h"

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

ATF_TC_WITHOUT_HEAD(vm_value_forms);
ATF_TC_BODY(vm_value_forms, tc)
{
	char why[160], *big;
	struct strbuf sb;

	ATF_CHECK_EQ(vm_value_form("/dev/zvol/a b#c=d", why, sizeof(why)), 0);
	ATF_CHECK_EQ(vm_value_form("", why, sizeof(why)), 0);
	ATF_CHECK_EQ(vm_value_form("a\"b", why, sizeof(why)), 0);
	ATF_CHECK_EQ(vm_value_form(" a", why, sizeof(why)), 1);
	ATF_CHECK_EQ(vm_value_form("a ", why, sizeof(why)), 1);
	ATF_CHECK_EQ(vm_value_form("\"x\"", why, sizeof(why)), 1);
	ATF_CHECK_EQ(vm_value_form("a\"", why, sizeof(why)), 1);
	ATF_CHECK_EQ(vm_value_form("x\ndisk=/dev/da0", why, sizeof(why)),
	    -1);
	ATF_CHECK_STREQ(why, "the value has a control character (a newline) "
	    "at byte 2; a VM file holds one line per key");
	ATF_CHECK_EQ(vm_value_form("x\r", why, sizeof(why)), -1);
	ATF_CHECK_EQ(vm_value_form("\x1b[2J", why, sizeof(why)), -1);
	ATF_CHECK_EQ(vm_value_form("\x7f", why, sizeof(why)), -1);
	ATF_REQUIRE((big = malloc(VM_VALUEMAX + 2)) != NULL);
	memset(big, 'a', VM_VALUEMAX + 1);
	big[VM_VALUEMAX + 1] = '\0';
	ATF_CHECK_EQ(vm_value_form(big, why, sizeof(why)), -1);
	big[VM_VALUEMAX] = '\0';
	ATF_CHECK_EQ(vm_value_form(big, why, sizeof(why)), 0);
	free(big);
	sb_init(&sb);
	ATF_CHECK_EQ(vm_put_pair(&sb, "tpm./s", "true", why, sizeof(why)),
	    -1);
	ATF_CHECK_EQ(vm_put_pair(&sb, "#disk", "x", why, sizeof(why)), -1);
	ATF_CHECK_EQ(vm_put_pair(&sb, "a", "x\n", why, sizeof(why)), -1);
	ATF_CHECK_EQ(sb.len, 0);
	ATF_CHECK_EQ(vm_put_pair(&sb, "bios.vendor", " \"Q\" ", why,
	    sizeof(why)), 0);
	ATF_CHECK_STREQ(sb_str(&sb), "bios.vendor=\" \"Q\" \"\n");
	sb_free(&sb);
}

/* Whatever vm_put_pair() writes, vmconf_parse() reads back as it was. */
ATF_TC_WITHOUT_HEAD(vm_put_pair_reads_back);
ATF_TC_BODY(vm_put_pair_reads_back, tc)
{
	static const char alpha[] = " \"#=a\t\n\r\\,\x7f\x80\x01";
	struct strbuf sb;
	struct vmconf c;
	struct diags d;
	char val[16], why[160];
	unsigned seed;
	int i, n, k, ok;

	seed = 14;
	ok = 0;
	for (i = 0; i < 20000; i++) {
		n = (int)(rand_r(&seed) % 8);
		for (k = 0; k < n; k++)
			val[k] = alpha[rand_r(&seed) % (sizeof(alpha) - 1)];
		val[n] = '\0';
		sb_init(&sb);
		diags_init(&d);
		sb_puts(&sb, "# before\n");
		if (vm_put_pair(&sb, "k", val, why, sizeof(why)) != 0) {
			ATF_CHECK(strpbrk(val, "\t\n\r\x7f\x01") != NULL);
		} else {
			ok++;
			sb_puts(&sb, "after=1\n");
			ATF_REQUIRE(vmconf_parse(sb.s, sb.len, "f", "vm", &c,
			    &d) == 0);
			ATF_REQUIRE_EQ(c.n, 2);
			ATF_CHECK_STREQ(c.l[0].key, "k");
			ATF_CHECK_MSG(strcmp(c.l[0].val, val) == 0,
			    "[%s] read back as [%s]", val, c.l[0].val);
			ATF_CHECK_EQ(c.l[0].line, 2);
			vmconf_free(&c);
		}
		diags_free(&d);
		sb_free(&sb);
	}
	ATF_CHECK(ok > 1000);
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
	ATF_TP_ADD_TC(tp, crlf_lines_keep_their_cr);
	ATF_TP_ADD_TC(tp, vm_value_forms);
	ATF_TP_ADD_TC(tp, vm_put_pair_reads_back);
	ATF_TP_ADD_TC(tp, empty_without_buffer);
	return (atf_no_error());
}
