/*
 * bindplan_test.c: pptdevs splitting and bind/unbind plans.
 */
#include "testutil.h"

#include "bindplan.h"

ATF_TC_WITHOUT_HEAD(pptdevs_split_within_128_bytes);
ATF_TC_BODY(pptdevs_split_within_128_bytes, tc)
{
	char vals[PPTDEVS_VARS][PPTDEVS_MAXLEN + 1], ents[60][16];
	const char *p[60];
	size_t i;
	int n;

	for (i = 0; i < 60; i++) {
		snprintf(ents[i], sizeof(ents[i]), "%zu/0/%zu", 100 + i, i % 8);
		p[i] = ents[i];
	}
	n = pptdevs_split(p, 20, vals);
	ATF_CHECK_EQ(n, 2);
	for (i = 0; i < PPTDEVS_VARS; i++)
		ATF_CHECK(strlen(vals[i]) <= PPTDEVS_MAXLEN);
	ATF_CHECK(strncmp(vals[1], "116/0/0", 7) == 0);
	ATF_CHECK_EQ(pptdevs_split(p, 60, vals), -1);
	ATF_CHECK_EQ(pptdevs_split(p, 0, vals), 0);
}

ATF_TC_WITHOUT_HEAD(pptdevs_parsed_like_the_kernel);
ATF_TC_BODY(pptdevs_parsed_like_the_kernel, tc)
{
	const char *v[3] = { "2/0/0  6/0/0 junk", NULL, "6/0/1" };
	struct pci_sel s = { 0, 6, 0, 1 };
	char out[8][16];

	ATF_CHECK(pptdevs_has(v, &s));
	s.func = 2;
	ATF_CHECK(!pptdevs_has(v, &s));
	ATF_CHECK_EQ(pptdevs_entries(v, NULL, out, 8), 3);
	s.func = 0;
	ATF_CHECK_EQ(pptdevs_entries(v, &s, out, 8), 2);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, pptdevs_split_within_128_bytes);
	ATF_TP_ADD_TC(tp, pptdevs_parsed_like_the_kernel);
	return (atf_no_error());
}
