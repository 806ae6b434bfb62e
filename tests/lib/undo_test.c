/*
 * undo_test: the undo journal's entries (lib/undo.c).
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include "undo.h"

static const char journal[] =
    "# ptvm undo journal of VM winpt\n"
    "bind pci0:6:0:0 keep\n"
    "bind pci0:6:0:1 unbind\n"
    "\n"
    "sysctl kern.consmute 0   # the value before start\n"
    "tap tapwinpt0\n"
    "cpuset -l 0-11 -s 1\n";

ATF_TC_WITHOUT_HEAD(parse_and_format);
ATF_TC_BODY(parse_and_format, tc)
{
	struct undo_list l, l2;
	struct strbuf sb;
	struct diags d;

	diags_init(&d);
	undo_init(&l);
	ATF_REQUIRE_EQ(undo_parse(journal, sizeof(journal) - 1, "j", &l, &d),
	    0);
	ATF_REQUIRE_EQ(l.n, 5);
	ATF_CHECK_EQ(l.e[0].kind, UNDO_BIND);
	ATF_CHECK_STREQ(l.e[0].w[0], "pci0:6:0:0");
	ATF_CHECK_STREQ(l.e[1].w[1], "unbind");
	ATF_CHECK_EQ(l.e[2].kind, UNDO_SYSCTL);
	ATF_CHECK_STREQ(l.e[2].w[1], "0");
	ATF_CHECK_EQ(l.e[2].line, 5);
	ATF_CHECK_EQ(l.e[3].kind, UNDO_TAP);
	ATF_CHECK_EQ(l.e[4].kind, UNDO_CPUSET);
	ATF_CHECK_EQ(l.e[4].nw, 4);
	sb_init(&sb);
	undo_format(&l, "winpt", &sb);
	ATF_CHECK(strstr(sb_str(&sb), "\nsysctl kern.consmute 0\n"
	    "tap tapwinpt0\ncpuset -l 0-11 -s 1\n") != NULL);
	ATF_CHECK(strncmp(sb_str(&sb), "# ptvm undo journal of VM winpt", 31)
	    == 0);
	undo_init(&l2);
	ATF_REQUIRE_EQ(undo_parse(sb_str(&sb), sb.len, "k", &l2, &d), 0);
	ATF_CHECK_EQ(l2.n, 5);
	sb_free(&sb);
	undo_free(&l2);
	undo_free(&l);
	ATF_CHECK_EQ(d.nerrors, 0);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(add_find_remove);
ATF_TC_BODY(add_find_remove, tc)
{
	static const char *const tap[] = { "tap0", NULL };
	static const char *const sys[] = { "kern.consmute", "0", NULL };
	static const char *const bad1[] = { "kern consmute", "0", NULL };
	static const char *const bad2[] = { "kern.consmute", NULL };
	static const char *const bad3[] = { "pci0:6:0:0", "maybe", NULL };
	static const char *const bad4[] = { "a\"b", NULL };
	static const char *const empty[] = { "", NULL };
	struct undo_list l;
	size_t i;

	undo_init(&l);
	ATF_CHECK_EQ(undo_add(&l, UNDO_TAP, tap), 0);
	ATF_CHECK_EQ(undo_add(&l, UNDO_SYSCTL, sys), 0);
	ATF_CHECK_EQ(undo_add(&l, UNDO_SYSCTL, bad1), EINVAL);
	ATF_CHECK_EQ(undo_add(&l, UNDO_SYSCTL, bad2), EINVAL);
	ATF_CHECK_EQ(undo_add(&l, UNDO_BIND, bad3), EINVAL);
	ATF_CHECK_EQ(undo_add(&l, UNDO_TAP, bad4), EINVAL);
	ATF_CHECK_EQ(undo_add(&l, UNDO_TAP, empty), EINVAL);
	ATF_CHECK_EQ(l.n, 2);
	ATF_CHECK_EQ(undo_find(&l, UNDO_SYSCTL, sys), 1);
	ATF_CHECK_EQ(undo_find(&l, UNDO_TAP, sys), -1);
	undo_remove(&l, 0);
	ATF_CHECK_EQ(l.n, 1);
	ATF_CHECK_EQ(undo_find(&l, UNDO_SYSCTL, sys), 0);
	ATF_CHECK_EQ(undo_find(&l, UNDO_TAP, tap), -1);
	/* The journal has a bound. */
	for (i = 0; i < UNDO_MAXENTRIES; i++)
		if (undo_add(&l, UNDO_TAP, tap) != 0)
			break;
	ATF_CHECK_EQ(l.n, UNDO_MAXENTRIES);
	ATF_CHECK_EQ(undo_add(&l, UNDO_TAP, tap), ENOSPC);
	undo_free(&l);
}

ATF_TC_WITHOUT_HEAD(bad_input_located);
ATF_TC_BODY(bad_input_located, tc)
{
	static const char bad[] =
	    "tap tap0\n"
	    "reboot now\n"
	    "sysctl kern.consmute\n"
	    "bind pci0:6:0:0 sometimes\n"
	    "tap 'tap0'\n"
	    "tap\0x\n";
	struct undo_list l;
	struct diags d;
	struct diag *dg;
	unsigned lines[8];
	int n;

	diags_init(&d);
	undo_init(&l);
	ATF_CHECK_EQ(undo_parse(bad, sizeof(bad) - 1, "w.undo", &l, &d), -1);
	ATF_CHECK_EQ(l.n, 1);
	n = 0;
	STAILQ_FOREACH(dg, &d.head, entry) {
		ATF_CHECK_STREQ(dg->file, "w.undo");
		if (n < 8)
			lines[n++] = dg->line;
	}
	ATF_REQUIRE_EQ(n, 5);
	ATF_CHECK_EQ(lines[0], 2);
	ATF_CHECK_EQ(lines[1], 3);
	ATF_CHECK_EQ(lines[2], 4);
	ATF_CHECK_EQ(lines[3], 5);
	ATF_CHECK_EQ(lines[4], 6);
	dg = STAILQ_FIRST(&d.head);
	ATF_CHECK(strstr(dg->msg, "unknown entry") != NULL);
	undo_free(&l);
	diags_free(&d);
}

/* The swtpm entry of tpm=swtpm (src/tpm.c): a pid and a socket path. */
ATF_TC_WITHOUT_HEAD(swtpm_entry);
ATF_TC_BODY(swtpm_entry, tc)
{
	static const char ok[] = "swtpm 4242 /var/run/ptvm/w11.swtpm\n";
	static const char bad[] = "swtpm /var/run/ptvm/w11.swtpm\n"
	    "swtpm x1 /s\n";
	struct undo_list l;
	struct diags d;
	struct strbuf sb;

	diags_init(&d);
	undo_init(&l);
	ATF_REQUIRE_EQ(undo_parse(ok, sizeof(ok) - 1, "u", &l, &d), 0);
	ATF_REQUIRE_EQ(l.n, 1);
	ATF_CHECK_EQ(l.e[0].kind, UNDO_SWTPM);
	ATF_CHECK_STREQ(l.e[0].w[0], "4242");
	ATF_CHECK_STREQ(undo_kind_name(UNDO_SWTPM), "swtpm");
	sb_init(&sb);
	undo_format(&l, "w11", &sb);
	ATF_CHECK(strstr(sb_str(&sb), "\nswtpm 4242 /var/run/ptvm/w11.swtpm\n")
	    != NULL);
	sb_free(&sb);
	undo_free(&l);
	ATF_CHECK_EQ(undo_parse(bad, sizeof(bad) - 1, "u", &l, &d), -1);
	ATF_CHECK_EQ(l.n, 0);
	ATF_CHECK(STAILQ_FIRST(&d.head) != NULL && strstr(STAILQ_FIRST(&d.head)->msg,
	    "swtpm takes a pid and a socket path") != NULL);
	undo_free(&l);
	diags_free(&d);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, swtpm_entry);
	ATF_TP_ADD_TC(tp, parse_and_format);
	ATF_TP_ADD_TC(tp, add_find_remove);
	ATF_TP_ADD_TC(tp, bad_input_located);
	return (atf_no_error());
}
