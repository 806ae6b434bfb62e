/*
 * desk_test.c: the parsers of issue 18: /dev/sndstat (lib/sndstat.c) and
 * usbconfig (lib/usb.c), on the captures of tests/data/hosts/desk-x570
 * (see its SOURCES) and on what breaks them.
 */
#include "testutil.h"

#include "neigh.h"
#include "sndstat.h"
#include "usb.h"

#define HOST	"hosts/desk-x570/"

ATF_TC_WITHOUT_HEAD(sndstat_real);
ATF_TC_BODY(sndstat_real, tc)
{
	struct snd_list l;
	struct diags d;
	size_t len;
	char *s;

	diags_init(&d);
	s = tu_read(HOST "sndstat.txt", &len);
	ATF_REQUIRE(snd_parse(s, len, "sndstat.txt", &l, &d) == 0);
	ATF_REQUIRE_EQ(l.n, 7);
	ATF_CHECK_EQ(l.dev[0].unit, 0);
	ATF_CHECK_STREQ(l.dev[0].desc, "NVIDIA (0x0083) (HDMI/DP 8ch)");
	ATF_CHECK(l.dev[0].play && !l.dev[0].rec && !l.dev[0].dflt);
	ATF_CHECK(l.dev[4].play && l.dev[4].rec && l.dev[4].dflt);
	ATF_CHECK_STREQ(l.dev[4].desc, "Realtek ALC892 (Rear Analog 5.1/2.0)");
	ATF_CHECK_EQ(l.dev[4].line, 6);
	ATF_CHECK(snd_default(&l) == &l.dev[4]);
	ATF_CHECK(snd_unit(&l, 6) == &l.dev[6]);
	ATF_CHECK(snd_unit(&l, 7) == NULL);
	free(s);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(sndstat_forms);
ATF_TC_BODY(sndstat_forms, tc)
{
	/* FreeBSD 13's verbose header and a record-only device. */
	static const char v[] = "FreeBSD Audio Driver (64bit 2009061500/amd64)\n"
	    "Installed devices:\n"
	    "pcm2: <Realtek ALC292 (Internal Analog Mic)> (rec)\n"
	    "Installed devices from userspace:\n"
	    "pcm9: <virtual_oss> (play/rec)\n";
	struct snd_list l;
	struct diags d;

	diags_init(&d);
	ATF_REQUIRE(snd_parse(v, sizeof(v) - 1, "v", &l, &d) == 0);
	ATF_REQUIRE_EQ(l.n, 1);
	ATF_CHECK(!l.dev[0].play && l.dev[0].rec);
	ATF_REQUIRE(snd_parse("No devices installed.\n", 22, "n", &l, &d) ==
	    0);
	ATF_CHECK_EQ(l.n, 0);
	ATF_CHECK(snd_parse("pcm0: <x\n", 9, "b", &l, &d) == -1);
	ATF_CHECK_EQ(tu_diag_line(&d, "pcm0: the description has no closing "
	    "'>'"), 1);
	ATF_CHECK(snd_parse("pcm0 x\n", 7, "c", &l, &d) == -1);
	ATF_CHECK(snd_parse("pcm0:\0<x>", 9, "z", &l, &d) == -1);
	ATF_CHECK(tu_diag_has(&d, "a NUL byte"));
	ATF_CHECK_EQ(snd_path_unit("/dev/dsp"), -2);
	ATF_CHECK_EQ(snd_path_unit("/dev/dsp4"), 4);
	ATF_CHECK_EQ(snd_path_unit("/dev/dsp4.1"), 4);
	ATF_CHECK_EQ(snd_path_unit("/dev/dspx"), -1);
	ATF_CHECK_EQ(snd_path_unit("/dev/mixer0"), -1);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(usbconfig_real);
ATF_TC_BODY(usbconfig_real, tc)
{
	struct usb_list l;
	struct diags d;
	size_t len;
	char *s;

	diags_init(&d);
	usb_init(&l);
	s = tu_read(HOST "usbconfig.txt", &len);
	ATF_REQUIRE(usb_parse(s, len, "usbconfig.txt", &l, &d) == 0);
	ATF_REQUIRE_EQ(l.n, 7);
	ATF_CHECK(l.have_ifdrv);
	ATF_CHECK(usb_is_root_hub(&l.dev[0]) && usb_is_hub(&l.dev[0]));
	ATF_CHECK_EQ(l.dev[1].bus, 0);
	ATF_CHECK_EQ(l.dev[1].addr, 2);
	ATF_CHECK_STREQ(l.dev[1].desc,
	    "PS/2 Keyboard+Mouse Adapter Chesen Electronics Corp.");
	ATF_CHECK_EQ(l.dev[1].vendor, 0x0a81);
	ATF_CHECK_EQ(l.dev[1].product, 0x0205);
	ATF_CHECK_EQ(l.dev[1].dclass, 0);
	ATF_CHECK_EQ(l.dev[1].ndrv, 2);
	ATF_CHECK_STREQ(l.dev[1].drv[1], "ums0");
	ATF_CHECK_STREQ(l.dev[1].product_name, "PS/2 Keyboard+Mouse Adapter");
	ATF_CHECK(usb_is_keyboard(&l.dev[1], true));
	ATF_CHECK(!usb_is_keyboard(&l.dev[2], true));
	ATF_CHECK_EQ(l.dev[2].dclass, 0xe0);
	ATF_CHECK(usb_is_storage(&l.dev[4]));
	ATF_CHECK_STREQ(l.dev[4].manufacturer, "Generic");
	ATF_CHECK_EQ(l.dev[5].bus, 2);
	free(s);
	usb_free(&l);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(usbconfig_forms);
ATF_TC_BODY(usbconfig_forms, tc)
{
	/* Plain "usbconfig" (list) and an older dump without ", cfg=". */
	static const char list[] =
	    "ugen0.1: <Intel XHCI root HUB> at usbus0, cfg=0 md=HOST "
	    "spd=SUPER (5.0Gbps) pwr=SAVE (0mA)\n"
	    "ugen0.2: <PS/2 Keyboard+Mouse Adapter Chesen Electronics Corp.> "
	    "at usbus0, cfg=0 md=HOST spd=LOW (1.5Mbps) pwr=ON (100mA)\n"
	    "ugen1.2: <American Power Conversion Smart-UPS 1500> at usbus1\n"
	    "  idVendor = 0x051d \n";
	struct usb_list l;
	struct diags d;

	diags_init(&d);
	usb_init(&l);
	ATF_REQUIRE(usb_parse(list, sizeof(list) - 1, "l", &l, &d) == 0);
	ATF_REQUIRE_EQ(l.n, 3);
	ATF_CHECK(!l.have_ifdrv);
	/* Without show_ifdrv, the description tells a keyboard. */
	ATF_CHECK(usb_is_keyboard(&l.dev[1], false));
	ATF_CHECK_EQ(l.dev[2].vendor, 0x051d);
	ATF_CHECK_EQ(l.dev[1].vendor, -1);
	usb_free(&l);
	ATF_CHECK(usb_parse("No device match or lack of permissions.\n", 40,
	    "n", &l, &d) == 0 && l.n == 0);
	ATF_CHECK(usb_parse("ugen0.1: <x> at usbus1\n", 23, "b", &l, &d) ==
	    -1);
	ATF_CHECK_EQ(tu_diag_line(&d, "\"ugen0.1: <x> at usbus1\" is not a "
	    "line of usbconfig"), 1);
	usb_free(&l);
	ATF_CHECK(usb_parse("ugen0.1.0: ukbd0: <x>\n", 22, "i", &l, &d) ==
	    -1);
	ATF_CHECK(tu_diag_has(&d, "before the device's own line"));
	ATF_CHECK(usb_parse("  idVendor = 0x1\n", 17, "f", &l, &d) == -1);
	ATF_CHECK(usb_parse("ugen0.1: <x> at usbus0\n  idVendor = 12\n", 39,
	    "v", &l, &d) == -1);
	ATF_CHECK_EQ(tu_diag_line(&d, "idVendor: the value is not 0xNNNN"), 2);
	usb_free(&l);
	ATF_CHECK_EQ(usb_bus_of("usbus12"), 12);
	ATF_CHECK_EQ(usb_bus_of("usbus"), -1);
	ATF_CHECK_EQ(usb_bus_of("xhci0"), -1);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(neigh_real);
ATF_TC_BODY(neigh_real, tc)
{
	struct neigh_list l;
	struct diags d;
	uint8_t mac[6];
	size_t len;
	char *s;

	diags_init(&d);
	neigh_init(&l);
	s = tu_read(HOST "arp.txt", &len);
	ATF_REQUIRE(neigh_parse_arp(s, len, "arp.txt", &l, &d) == 0);
	free(s);
	/* The incomplete entry is not one. */
	ATF_REQUIRE_EQ(l.count, 4);
	ATF_CHECK_STREQ(l.n[0].addr, "192.168.72.1");
	ATF_CHECK_STREQ(l.n[0].ifname, "em0");
	ATF_CHECK(!l.n[0].permanent && l.n[1].permanent);
	ATF_CHECK(neigh_mac_parse("00:a0:98:77:00:17", mac) == 0);
	ATF_CHECK(memcmp(l.n[3].mac, mac, 6) == 0);
	ATF_CHECK_STREQ(l.n[3].ifname, "bridge0");
	s = tu_read(HOST "ndp.txt", &len);
	ATF_REQUIRE(neigh_parse_ndp(s, len, "ndp.txt", &l, &d) == 0);
	free(s);
	ATF_REQUIRE_EQ(l.count, 6);
	ATF_CHECK(l.n[4].v6 && l.n[4].permanent);
	ATF_CHECK_STREQ(l.n[5].addr, "fe80::2a0:98ff:fe77:17%bridge0");
	ATF_CHECK(!l.n[5].permanent);
	ATF_CHECK(memcmp(l.n[5].mac, mac, 6) == 0);
	neigh_free(&l);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(neigh_forms_and_mac);
ATF_TC_BODY(neigh_forms_and_mac, tc)
{
	struct neigh_list l;
	struct diags d;
	uint8_t a[6], b[6];
	char buf[20];

	diags_init(&d);
	neigh_init(&l);
	ATF_CHECK(neigh_parse_arp("garbage\n", 8, "a", &l, &d) == -1);
	ATF_CHECK_EQ(tu_diag_line(&d, "is not a line of arp -an"), 1);
	ATF_CHECK(neigh_parse_arp("? (1.2.3.4) at\0", 15, "z", &l, &d) == -1);
	ATF_CHECK(neigh_parse_ndp("Neighbor x\nnot-an-address y z\n", 30,
	    "n", &l, &d) == -1);
	ATF_CHECK_EQ(tu_diag_line(&d, "is not a line of ndp -an"), 2);
	ATF_CHECK_EQ(l.count, 0);
	/* ether_ntoa without leading zeros is read too. */
	ATF_CHECK(neigh_mac_parse("58:9c:fc:0:0:1", a) == 0 && a[5] == 1);
	ATF_CHECK(neigh_mac_parse("58:9c:fc:00:00", a) == -1);
	ATF_CHECK(neigh_mac_parse("58:9c:fc:00:00:01:02", a) == -1);
	/* bhyve's MAC without mac= (md5_test: its values). */
	neigh_bhyve_mac(2, 0, "winpt", a);
	neigh_bhyve_mac(2, 0, "winpt", b);
	ATF_CHECK(memcmp(a, b, 6) == 0);
	ATF_CHECK(a[0] == 0x00 && a[1] == 0xa0 && a[2] == 0x98);
	neigh_bhyve_mac(2, 1, "winpt", b);
	ATF_CHECK(memcmp(a, b, 6) != 0);
	neigh_bhyve_mac(2, 0, "winpu", b);
	ATF_CHECK(memcmp(a, b, 6) != 0);
	neigh_mac_fmt(a, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "00:a0:98:d2:34:25");
	neigh_free(&l);
	diags_free(&d);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, neigh_real);
	ATF_TP_ADD_TC(tp, neigh_forms_and_mac);
	ATF_TP_ADD_TC(tp, sndstat_real);
	ATF_TP_ADD_TC(tp, sndstat_forms);
	ATF_TP_ADD_TC(tp, usbconfig_real);
	ATF_TP_ADD_TC(tp, usbconfig_forms);
	return (atf_no_error());
}
