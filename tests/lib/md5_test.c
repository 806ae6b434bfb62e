/*
 * md5_test: lib/md5.c against the test suite of RFC 1321 (appendix A.5),
 * and the MAC bhyve gives a NIC without mac= (lib/neigh.c,
 * freebsd.md#A3), whose expected values were computed apart from ptvm:
 * printf '%s' '2-0-winpt' | md5sum.
 */
#include "compat.h"

#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include "md5.h"
#include "neigh.h"

static const char *
hex(const uint8_t *d, size_t n, char *buf)
{
	size_t i;

	for (i = 0; i < n; i++)
		(void)snprintf(buf + 2 * i, 3, "%02x", d[i]);
	return (buf);
}

/* RFC 1321 A.5: MD5 ("...") = ... */
static const struct {
	const char	*in;
	const char	*md5;
} rfc[] = {
	{ "", "d41d8cd98f00b204e9800998ecf8427e" },
	{ "a", "0cc175b9c0f1b6a831c399e269772661" },
	{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
	{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
	{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	    "d174ab98d277d9f5a5611c2c9f419d9f" },
	{ "1234567890123456789012345678901234567890123456789012345678901234"
	    "5678901234567890", "57edf4a22be3c955ac49da2e2107b67a" },
};

ATF_TC_WITHOUT_HEAD(rfc1321_suite);
ATF_TC_BODY(rfc1321_suite, tc)
{
	uint8_t d[MD5_LEN];
	char buf[2 * MD5_LEN + 1];
	size_t i;

	for (i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++) {
		md5_digest(rfc[i].in, strlen(rfc[i].in), d);
		ATF_CHECK_STREQ_MSG(hex(d, sizeof(d), buf), rfc[i].md5,
		    "MD5 (\"%s\")", rfc[i].in);
	}
}

/*
 * The same digests when the message comes in pieces of every size, so
 * that the partial block and the padding across a block's end are used:
 * 55, 56 and 64 bytes are the edges of the padding (RFC 1321 3.1).
 */
ATF_TC_WITHOUT_HEAD(pieces_and_edges);
ATF_TC_BODY(pieces_and_edges, tc)
{
	static const struct {
		size_t		 n;
		const char	*md5;	/* of n bytes 'a' (md5sum) */
	} edge[] = {
		{ 55, "ef1772b6dff9a122358552954ad0df65" },
		{ 56, "3b0c8ac703f828b04c6c197006d17218" },
		{ 57, "652b906d60af96844ebd21b674f35e93" },
		{ 63, "b06521f39153d618550606be297466d5" },
		{ 64, "014842d480b571495a4a0363793f7367" },
		{ 65, "c743a45e0d2e6a95cb859adae0248435" },
		{ 1000, "cabe45dcc9ae5b66ba86600cca6b8ba8" },
	};
	struct md5 m;
	uint8_t d[MD5_LEN], a[1000];
	char buf[2 * MD5_LEN + 1];
	const char *s;
	size_t i, k, step;

	memset(a, 'a', sizeof(a));
	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		md5_digest(a, edge[i].n, d);
		ATF_CHECK_STREQ_MSG(hex(d, sizeof(d), buf), edge[i].md5,
		    "%zu bytes", edge[i].n);
	}
	s = rfc[6].in;
	for (step = 1; step <= 80; step++) {
		md5_init(&m);
		for (k = 0; k < strlen(s); k += step)
			md5_update(&m, s + k, strlen(s) - k < step ?
			    strlen(s) - k : step);
		md5_final(&m, d);
		ATF_CHECK_STREQ_MSG(hex(d, sizeof(d), buf), rfc[6].md5,
		    "in pieces of %zu", step);
	}
}

/*
 * bhyve's net_genmac(): 00:a0:98, then the first three bytes of
 * MD5("SLOT-FUNC-VMNAME").  The digests, from md5sum:
 *	2-0-winpt	d23425c8...
 *	2-1-winpt	9c978122...
 *	2-0-desk	77001749...
 *	12-0-net-tap-types	a30ba8e7...
 */
ATF_TC_WITHOUT_HEAD(bhyve_mac);
ATF_TC_BODY(bhyve_mac, tc)
{
	uint8_t mac[6];
	char buf[20];

	neigh_bhyve_mac(2, 0, "winpt", mac);
	neigh_mac_fmt(mac, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "00:a0:98:d2:34:25");
	neigh_bhyve_mac(2, 1, "winpt", mac);
	neigh_mac_fmt(mac, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "00:a0:98:9c:97:81");
	neigh_bhyve_mac(2, 0, "desk", mac);
	neigh_mac_fmt(mac, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "00:a0:98:77:00:17");
	neigh_bhyve_mac(12, 0, "net-tap-types", mac);
	neigh_mac_fmt(mac, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "00:a0:98:a3:0b:a8");
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, rfc1321_suite);
	ATF_TP_ADD_TC(tp, pieces_and_edges);
	ATF_TP_ADD_TC(tp, bhyve_mac);
	return (atf_no_error());
}
