/*
 * hostuse_test.c: what the host itself uses on a PCI function, from the
 * captures of tests/data/hosts/nvme-root (written from FreeBSD's formats,
 * see its README) and from small variations of them.
 */
#include "testutil.h"

#include <errno.h>

#include "bindplan.h"
#include "hostuse.h"
#include "pci.h"

#define HOST	"hosts/nvme-root/"

/* dev.NAME.UNIT.%parent from a "child parent" table. */
static const char *const parents[][2] = {
	{ "ahcich0", "ahci0" }, { "ahcich1", "ahci0" },
	{ "ahcich2", "ahci1" }, { "ahcich3", "ahci1" },
	{ "ahcich4", "ahci2" }, { "ahcich5", "ahci2" },
	{ "umass0", "uhub2" }, { "uhub2", "usbus0" }, { "usbus0", "xhci0" },
	{ "nvme0", "pci1" }, { "pci1", "pcib1" },
};

static int
tparent(void *arg, const char *dev, char *par, size_t len)
{
	size_t i;

	(void)arg;
	for (i = 0; i < nitems(parents); i++)
		if (strcmp(parents[i][0], dev) == 0) {
			strlcpy(par, parents[i][1], len);
			return (0);
		}
	return (ENOENT);
}

static void
load_pci(struct pci_list *pl)
{
	struct diags d;
	size_t len;
	char *s;

	diags_init(&d);
	pci_list_init(pl);
	s = tu_read(HOST "pciconf.txt", &len);
	ATF_REQUIRE(pci_parse(s, len, "pciconf.txt", pl, &d) == 0);
	free(s);
	diags_free(&d);
}

static void
parse_file(struct hostuse *hu, const char *rel,
    int (*fn)(struct hostuse *, const char *))
{
	char path[256], *s;
	size_t len;

	snprintf(path, sizeof(path), HOST "%s", rel);
	s = tu_read(path, &len);
	ATF_REQUIRE(fn(hu, s) == 0);
	free(s);
}

/* The whole captured host, as host/host.c reads it. */
static void
load_all(struct hostuse *hu)
{

	hostuse_init(hu);
	hu->parent = tparent;
	ATF_REQUIRE(hostuse_parse_disks(hu, "ada0 nda0") == 0);
	parse_file(hu, "camcontrol.txt", hostuse_parse_camcontrol);
	parse_file(hu, "mount.txt", hostuse_parse_mount);
	parse_file(hu, "zpool-status.txt", hostuse_parse_zpool);
	parse_file(hu, "swap.txt", hostuse_parse_swap);
	parse_file(hu, "netstat-rn.txt", hostuse_parse_netstat);
}

static struct pci_dev *
dev(struct pci_list *pl, unsigned bus, unsigned slot, unsigned func)
{
	struct pci_sel s = { 0, bus, slot, func };
	struct pci_dev *d;

	ATF_REQUIRE((d = pci_find(pl, &s)) != NULL);
	return (d);
}

static enum hu_verdict
judge(const struct hostuse *hu, struct pci_list *pl, unsigned bus,
    unsigned slot, unsigned func, struct hu_result *r)
{

	hostuse_judge(hu, pl, dev(pl, bus, slot, func), r);
	return (r->v);
}

ATF_TC_WITHOUT_HEAD(parsers_read_the_formats);
ATF_TC_BODY(parsers_read_the_formats, tc)
{
	struct hostuse hu;
	size_t i;
	bool nda, ada;

	load_all(&hu);
	ATF_CHECK_EQ(hu.nbus, 8);	/* scbus-1 on xpt0 is not a bus */
	for (i = 0, nda = ada = false; i < hu.nperiph; i++) {
		nda |= strcmp(hu.periph[i].name, "nda0") == 0 &&
		    hu.periph[i].bus == 7;
		ada |= strcmp(hu.periph[i].name, "ada0") == 0 &&
		    hu.periph[i].bus == 3;
	}
	ATF_CHECK(nda && ada);
	ATF_CHECK_EQ(hu.nmnt, 9);
	ATF_CHECK_STREQ(hu.mnt[0].from, "zroot/ROOT/default");
	ATF_CHECK_STREQ(hu.mnt[0].on, "/");
	ATF_CHECK_STREQ(hu.mnt[0].fstype, "zfs");
	ATF_CHECK_EQ(hu.npools, 1);
	ATF_CHECK_EQ(hu.nvdev, 1);
	ATF_CHECK_STREQ(hu.vdev[0].path, "/dev/nda0p4");
	ATF_CHECK_EQ(hu.nswap, 1);
	ATF_CHECK_STREQ(hu.swap[0], "/dev/nda0p3");
	/* Only the IPv4 default; lo0's lines are not default routes. */
	ATF_CHECK_EQ(hu.nroute, 1);
	ATF_CHECK_STREQ(hu.route[0], "re0");
	hostuse_free(&hu);
}

ATF_TC_WITHOUT_HEAD(root_nvme_default_nic_and_ufs_disk);
ATF_TC_BODY(root_nvme_default_nic_and_ufs_disk, tc)
{
	struct hostuse hu;
	struct pci_list pl;
	struct hu_result r;

	load_pci(&pl);
	load_all(&hu);
	ATF_CHECK_EQ(judge(&hu, &pl, 1, 0, 0, &r), HU_USED);	/* nvme0 */
	ATF_CHECK(r.root);
	ATF_CHECK(strstr(r.what, "zroot (mounted at /") != NULL);
	ATF_CHECK(strstr(r.what, "swap /dev/nda0p3") != NULL);
	ATF_CHECK(strstr(r.what, "/dev/nda0p1 (mounted at /boot/efi)") !=
	    NULL);
	ATF_CHECK(strstr(hostuse_loss(&r), "root file system") != NULL);
	ATF_CHECK_EQ(judge(&hu, &pl, 39, 0, 0, &r), HU_USED);	/* re0 */
	ATF_CHECK(r.net && !r.disk);
	ATF_CHECK(strstr(r.what, "default route (re0)") != NULL);
	ATF_CHECK_EQ(judge(&hu, &pl, 43, 0, 0, &r), HU_USED);	/* ahci1 */
	ATF_CHECK(!r.root);
	ATF_CHECK(strstr(r.what, "/dev/ada0p1 (mounted at /backup)") != NULL);
	ATF_CHECK_EQ(judge(&hu, &pl, 38, 0, 0, &r), HU_FREE);	/* ahci0 */
	ATF_CHECK_EQ(judge(&hu, &pl, 44, 0, 0, &r), HU_FREE);	/* ahci2 */
	ATF_CHECK_EQ(judge(&hu, &pl, 47, 0, 0, &r), HU_FREE);	/* GPU */
	ATF_CHECK_EQ(judge(&hu, &pl, 47, 0, 1, &r), HU_FREE);
	ATF_CHECK_EQ(judge(&hu, &pl, 42, 0, 1, &r), HU_FREE);	/* xhci0 */
	hostuse_free(&hu);
	pci_list_free(&pl);
}

ATF_TC_WITHOUT_HEAD(nothing_known_is_unknown_for_storage_and_network);
ATF_TC_BODY(nothing_known_is_unknown_for_storage_and_network, tc)
{
	struct hostuse hu;
	struct pci_list pl;
	struct hu_result r;

	load_pci(&pl);
	hostuse_init(&hu);
	ATF_CHECK_EQ(judge(&hu, &pl, 38, 0, 0, &r), HU_UNKNOWN);
	ATF_CHECK(!r.soft && strstr(r.why, "mount -p") != NULL);
	ATF_CHECK_EQ(judge(&hu, &pl, 1, 0, 0, &r), HU_UNKNOWN);
	ATF_CHECK_EQ(judge(&hu, &pl, 39, 0, 0, &r), HU_UNKNOWN);
	ATF_CHECK(strstr(r.why, "netstat -rn") != NULL);
	ATF_CHECK_EQ(judge(&hu, &pl, 41, 0, 0, &r), HU_UNKNOWN);	/* iwm0 */
	ATF_CHECK_EQ(judge(&hu, &pl, 42, 0, 1, &r), HU_UNKNOWN);	/* USB */
	ATF_CHECK(r.soft);
	ATF_CHECK_EQ(judge(&hu, &pl, 47, 0, 0, &r), HU_FREE);	/* GPU */
	ATF_CHECK_EQ(judge(&hu, &pl, 47, 0, 1, &r), HU_FREE);
	hostuse_free(&hu);
	pci_list_free(&pl);
}

ATF_TC_WITHOUT_HEAD(disk_without_controller_is_unknown);
ATF_TC_BODY(disk_without_controller_is_unknown, tc)
{
	struct hostuse hu;
	struct pci_list pl;
	struct hu_result r;

	load_pci(&pl);
	/* A pool on a GPT label: ptvm does not resolve labels. */
	load_all(&hu);
	hostuse_free(&hu);
	hostuse_init(&hu);
	hu.parent = tparent;
	ATF_REQUIRE(hostuse_parse_mount(&hu, "zroot/ROOT/default\t/\t\t\t"
	    "zfs\trw\t\t0 0\n") == 0);
	ATF_REQUIRE(hostuse_parse_zpool(&hu, "  pool: zroot\nconfig:\n\n"
	    "\tzroot\tONLINE\n\t  /dev/gpt/zfs0\tONLINE\n") == 0);
	ATF_REQUIRE(hostuse_parse_swap(&hu, "Device: 512-blocks Used:\n") ==
	    0);
	ATF_REQUIRE(hostuse_parse_netstat(&hu, "") == 0);
	ATF_CHECK_EQ(judge(&hu, &pl, 38, 0, 0, &r), HU_UNKNOWN);
	ATF_CHECK(strstr(r.why, "/dev/gpt/zfs0") != NULL);
	ATF_CHECK_EQ(judge(&hu, &pl, 1, 0, 0, &r), HU_UNKNOWN);
	/* No default route at all: the NIC is free. */
	ATF_CHECK_EQ(judge(&hu, &pl, 39, 0, 0, &r), HU_FREE);
	ATF_CHECK_EQ(judge(&hu, &pl, 47, 0, 0, &r), HU_FREE);
	hostuse_free(&hu);

	/* ada0 without camcontrol devlist -v: its controller is unknown. */
	hostuse_init(&hu);
	hu.parent = tparent;
	ATF_REQUIRE(hostuse_parse_mount(&hu, "/dev/ada0p2\t\t/\t\t\tufs\t"
	    "rw\t\t1 1\n") == 0);
	ATF_REQUIRE(hostuse_parse_zpool(&hu, "") == 0);
	ATF_REQUIRE(hostuse_parse_swap(&hu, "") == 0);
	ATF_CHECK_EQ(judge(&hu, &pl, 50, 0, 0, &r), HU_UNKNOWN);
	ATF_CHECK(strstr(r.why, "/dev/ada0p2") != NULL);
	hostuse_free(&hu);
	pci_list_free(&pl);
}

ATF_TC_WITHOUT_HEAD(nvd_and_usb_disks);
ATF_TC_BODY(nvd_and_usb_disks, tc)
{
	struct hostuse hu;
	struct pci_list pl;
	struct hu_result r;

	/* One nvme controller: nvd0 is on it (freebsd.md#H4). */
	load_pci(&pl);
	hostuse_init(&hu);
	hu.parent = tparent;
	ATF_REQUIRE(hostuse_parse_mount(&hu, "/dev/nvd0p2\t\t/\t\t\tufs\t"
	    "rw\t\t1 1\n") == 0);
	ATF_REQUIRE(hostuse_parse_zpool(&hu, "") == 0);
	ATF_REQUIRE(hostuse_parse_swap(&hu, "") == 0);
	ATF_CHECK_EQ(judge(&hu, &pl, 1, 0, 0, &r), HU_USED);
	ATF_CHECK(r.root);
	ATF_CHECK_EQ(judge(&hu, &pl, 38, 0, 0, &r), HU_FREE);
	/* Two: either could hold it; ahci is still free. */
	dev(&pl, 38, 0, 0)->unit = 7;
	strlcpy(dev(&pl, 38, 0, 0)->driver, "nvme", PCI_NAMELEN);
	ATF_CHECK_EQ(judge(&hu, &pl, 1, 0, 0, &r), HU_UNKNOWN);
	ATF_CHECK_EQ(judge(&hu, &pl, 38, 0, 0, &r), HU_UNKNOWN);
	ATF_CHECK_EQ(judge(&hu, &pl, 43, 0, 0, &r), HU_FREE);
	hostuse_free(&hu);
	pci_list_free(&pl);

	/* A USB stick: da0 on umass-sim0, umass0 under xhci0. */
	load_pci(&pl);
	hostuse_init(&hu);
	hu.parent = tparent;
	ATF_REQUIRE(hostuse_parse_camcontrol(&hu, "scbus9 on umass-sim0 bus 0:"
	    "\n<SanDisk Cruzer Blade 1.00>       at scbus9 target 0 lun 0 "
	    "(da0,pass5)\n") == 0);
	ATF_REQUIRE(hostuse_parse_mount(&hu, "/dev/da0p2\t\t/\t\t\tufs\t"
	    "rw\t\t1 1\n") == 0);
	ATF_REQUIRE(hostuse_parse_zpool(&hu, "") == 0);
	ATF_REQUIRE(hostuse_parse_swap(&hu, "") == 0);
	ATF_REQUIRE(hostuse_parse_netstat(&hu, "") == 0);
	ATF_CHECK_EQ(judge(&hu, &pl, 42, 0, 1, &r), HU_USED);
	ATF_CHECK(r.root);
	ATF_CHECK_EQ(judge(&hu, &pl, 42, 0, 3, &r), HU_FREE);	/* xhci1 */
	hostuse_free(&hu);
	pci_list_free(&pl);
}

ATF_TC_WITHOUT_HEAD(default_route_names);
ATF_TC_BODY(default_route_names, tc)
{
	struct hostuse hu;
	struct pci_list pl;
	struct hu_result r;

	load_pci(&pl);
	/* A VLAN on re0 is re0's. */
	hostuse_init(&hu);
	ATF_REQUIRE(hostuse_parse_netstat(&hu, "Routing tables\n\nInternet:\n"
	    "Destination        Gateway            Flags     Netif Expire\n"
	    "default            10.0.0.1           UGS     re0.100\n") == 0);
	ATF_CHECK_EQ(judge(&hu, &pl, 39, 0, 0, &r), HU_USED);
	hostuse_free(&hu);
	/* A bridge or lagg hides its members: every NIC is unknown. */
	hostuse_init(&hu);
	ATF_REQUIRE(hostuse_parse_netstat(&hu, "Internet:\n"
	    "Destination        Gateway            Flags     Netif Expire\n"
	    "default            10.0.0.1           UGS     bridge0\n") == 0);
	ATF_CHECK_EQ(judge(&hu, &pl, 39, 0, 0, &r), HU_UNKNOWN);
	ATF_CHECK(strstr(r.why, "bridge0") != NULL);
	ATF_CHECK_EQ(judge(&hu, &pl, 41, 0, 0, &r), HU_UNKNOWN);
	hostuse_free(&hu);
	/* netstat -rn cuts names at 8: "igb12345" may be longer. */
	hostuse_init(&hu);
	ATF_REQUIRE(hostuse_parse_netstat(&hu, "Internet:\n"
	    "Destination        Gateway            Flags     Netif Expire\n"
	    "default            10.0.0.1           UGS     re012345\n") == 0);
	ATF_CHECK_EQ(judge(&hu, &pl, 39, 0, 0, &r), HU_UNKNOWN);
	hostuse_free(&hu);
	pci_list_free(&pl);
}

/* start's path: only the functions with host_use=take may be bound. */
ATF_TC_WITHOUT_HEAD(bind_plan_takes_only_the_override);
ATF_TC_BODY(bind_plan_takes_only_the_override, tc)
{
	struct bind_state st;
	struct bind_opts o;
	struct bind_plan p;
	struct hostuse hu;
	struct pci_list pl;
	struct diags d;
	struct pci_sel gpu = { 0, 47, 0, 0 };
	size_t idx[1];

	load_pci(&pl);
	load_all(&hu);
	memset(&st, 0, sizeof(st));
	st.pci = &pl;
	st.hu = &hu;
	st.vendor_known = true;
	st.amdvi_sysctl = -1;
	st.console_unit = -1;
	idx[0] = (size_t)(dev(&pl, 1, 0, 0) - pl.dev);
	memset(&o, 0, sizeof(o));
	o.take = &gpu;		/* another function's override */
	o.ntake = 1;
	diags_init(&d);
	bind_plan_init(&p);
	ATF_CHECK_EQ(bind_plan_make(&st, idx, 1, &o, &p, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "(nvme0) holds zroot"));
	bind_plan_free(&p);
	diags_free(&d);
	o.take = &dev(&pl, 1, 0, 0)->sel;
	diags_init(&d);
	bind_plan_init(&p);
	ATF_CHECK_EQ(bind_plan_make(&st, idx, 1, &o, &p, &d), 0);
	ATF_CHECK_EQ(p.ndevs, 1);
	ATF_CHECK(tu_diag_has(&d, "it is taken"));
	bind_plan_free(&p);
	diags_free(&d);
	hostuse_free(&hu);
	pci_list_free(&pl);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, bind_plan_takes_only_the_override);
	ATF_TP_ADD_TC(tp, parsers_read_the_formats);
	ATF_TP_ADD_TC(tp, root_nvme_default_nic_and_ufs_disk);
	ATF_TP_ADD_TC(tp, nothing_known_is_unknown_for_storage_and_network);
	ATF_TP_ADD_TC(tp, disk_without_controller_is_unknown);
	ATF_TP_ADD_TC(tp, nvd_and_usb_disks);
	ATF_TP_ADD_TC(tp, default_route_names);
	return (atf_no_error());
}
