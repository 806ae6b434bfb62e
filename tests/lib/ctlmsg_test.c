/*
 * ctlmsg_test: the supervisor's control-socket and start-pipe lines
 * (lib/ctlmsg.c), which both ends format and parse.
 */
#include "compat.h"

#include <string.h>

#include <atf-c.h>

#include "ctlmsg.h"

static int
parse(enum ctl_chan ch, const char *s, struct ctl_msg *m)
{

	return (ctl_parse(ch, s, strlen(s), m));
}

ATF_TC_WITHOUT_HEAD(every_kind_round_trips);
ATF_TC_BODY(every_kind_round_trips, tc)
{
	static const struct {
		enum ctl_chan	 ch;
		const char	*line;
	} t[] = {
		{ CTL_CH_REQUEST, "stop 0 0 0\n" },
		{ CTL_CH_REQUEST, "stop 90 1 600\n" },
		{ CTL_CH_REPLY, "wait 90\n" },
		{ CTL_CH_REPLY, "log warning bhyve did not power off\n" },
		{ CTL_CH_REPLY, "log note\n" },
		{ CTL_CH_REPLY, "gaveup\n" },
		{ CTL_CH_REPLY, "done 0 guest powered off\n" },
		{ CTL_CH_REPLY, "done 1\n" },
		{ CTL_CH_REPLY, "error bad request\n" },
		{ CTL_CH_START, "running 4242\n" },
		{ CTL_CH_START, "ended 1 restart loop\n" },
		{ CTL_CH_START, "error vm_create: File exists\n" },
	};
	struct ctl_msg m;
	char out[CTL_LINEMAX];
	size_t i;

	for (i = 0; i < nitems(t); i++) {
		ATF_REQUIRE_EQ_MSG(ctl_parse(t[i].ch, t[i].line,
		    strlen(t[i].line) - 1, &m), 0, "%s", t[i].line);
		ATF_REQUIRE(ctl_format(&m, out, sizeof(out)) > 0);
		ATF_CHECK_STREQ(out, t[i].line);
	}
	ATF_REQUIRE_EQ(parse(CTL_CH_REQUEST, "stop 90 1 600", &m), 0);
	ATF_CHECK_EQ(m.timeout, 90);
	ATF_CHECK(m.force);
	ATF_CHECK_EQ(m.within, 600);
	ATF_REQUIRE_EQ(parse(CTL_CH_REPLY, "done 3 restart loop", &m), 0);
	ATF_CHECK_EQ(m.code, 3);
	ATF_CHECK_STREQ(m.text, "restart loop");
}

/*
 * The client read "wait N" and "done CODE" with an unchecked strtol: an
 * overflowing wait made the deadline's product overflow, "done x" counted
 * as exit 0.  Every number is now checked for its range, whole.
 */
ATF_TC_WITHOUT_HEAD(numbers_checked);
ATF_TC_BODY(numbers_checked, tc)
{
	static const char *const reply[] = {
		"wait 99999999999999999999", "wait -1", "wait 86401",
		"wait 12x", "wait", "wait ", "done x", "done", "done 256 why",
		"done 1x why", "done -1", "log", "log loud hello",
		"gaveup now", "stop 1 0 0", "running 12",
	};
	static const char *const request[] = {
		"stop", "stop 1", "stop 1 0", "stop 1 2 0", "stop -1 0 0",
		"stop 86401 0 0", "stop 1 0 86401", "stop 1 0 0 ",
		"stop  1 0 0", "stop 1 0 0 extra", "stop 0x10 0 0",
		"stop 99999999999999999999 0 0", "wait 1",
	};
	static const char *const start[] = {
		"running", "running 0", "running -5", "running abc",
		"running 99999999999", "ended", "ended x stopped",
		"ended 999 stopped", "done 0 x", "gaveup",
	};
	struct ctl_msg m;
	size_t i;

	for (i = 0; i < nitems(reply); i++)
		ATF_CHECK_EQ_MSG(parse(CTL_CH_REPLY, reply[i], &m), -1,
		    "reply \"%s\" parsed", reply[i]);
	for (i = 0; i < nitems(request); i++)
		ATF_CHECK_EQ_MSG(parse(CTL_CH_REQUEST, request[i], &m), -1,
		    "request \"%s\" parsed", request[i]);
	for (i = 0; i < nitems(start); i++)
		ATF_CHECK_EQ_MSG(parse(CTL_CH_START, start[i], &m), -1,
		    "start line \"%s\" parsed", start[i]);
}

/*
 * The supervisor wrote its error text into the start pipe as it was: a
 * message with a newline became a second line of its own.  A message is
 * now one line; lines are bounded.
 */
ATF_TC_WITHOUT_HEAD(one_bounded_line);
ATF_TC_BODY(one_bounded_line, tc)
{
	struct ctl_msg m;
	char out[CTL_LINEMAX], big[CTL_LINEMAX + 10];
	int n;

	ctl_init(&m, CTL_ENDED);
	m.code = 1;
	ctl_set_text(&m, "vm_create failed\nrunning 1\r\x1b[2J");
	ATF_REQUIRE((n = ctl_format(&m, out, sizeof(out))) > 0);
	ATF_CHECK_STREQ(out, "ended 1 vm_create failed running 1  [2J\n");
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	ctl_init(&m, CTL_LOG);
	ctl_set_text(&m, big);
	ATF_REQUIRE((n = ctl_format(&m, out, sizeof(out))) > 0);
	ATF_CHECK((size_t)n < CTL_LINEMAX);
	ATF_CHECK_EQ(out[n - 1], '\n');
	ATF_CHECK_EQ(parse(CTL_CH_REPLY, out, &m), -1);	/* the newline */
	ATF_CHECK_EQ(ctl_parse(CTL_CH_REPLY, out, (size_t)n - 1, &m), 0);
	memcpy(big, "log note ", 9);
	ATF_CHECK_EQ(parse(CTL_CH_REPLY, big, &m), -1);	/* too long */
	ATF_CHECK_EQ(ctl_parse(CTL_CH_REPLY, "log note a\0b", 12, &m), -1);
	ctl_init(&m, CTL_WAIT);
	m.seconds = CTL_SECMAX + 1;
	ATF_CHECK_EQ(ctl_format(&m, out, sizeof(out)), -1);
	ctl_init(&m, CTL_RUNNING);
	ATF_CHECK_EQ(ctl_format(&m, out, sizeof(out)), -1);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, every_kind_round_trips);
	ATF_TP_ADD_TC(tp, numbers_checked);
	ATF_TP_ADD_TC(tp, one_bounded_line);
	return (atf_no_error());
}
