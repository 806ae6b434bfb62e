/*
 * bhyvekeys_test.c: the table of bhyve's keys and the checker.
 */
#include "testutil.h"

#include "bcfg.h"
#include "bhyvekeys.h"

/* Builds a configuration from "key=value" lines, line numbers from 1. */
static void
load(struct bcfg *c, const char *const *lines)
{
	const char *eq;
	char key[256];
	unsigned i;

	bcfg_init(c);
	for (i = 0; lines[i] != NULL; i++) {
		ATF_REQUIRE((eq = strchr(lines[i], '=')) != NULL);
		snprintf(key, sizeof(key), "%.*s", (int)(eq - lines[i]),
		    lines[i]);
		ATF_REQUIRE(bcfg_set(c, key, eq + 1, "vm.conf", i + 1) == 0);
	}
}

static int
check(const char *const *lines, struct diags *d)
{
	struct bcfg c;
	int n;

	load(&c, lines);
	n = bhyve_keys_check(&c, 0, d);
	bcfg_free(&c);
	return (n);
}

ATF_TC_WITHOUT_HEAD(chasis_typo_suggests_chassis);
ATF_TC_BODY(chasis_typo_suggests_chassis, tc)
{
	static const char *const in[] = { "cpus=2",
	    "chasis.manufacturer=ASUS", "chasis.sku=Z890", NULL };
	struct diags d;

	diags_init(&d);
	ATF_CHECK_EQ(check(in, &d), 2);
	ATF_CHECK(tu_diag_has(&d, "chasis.manufacturer: unknown key; did "
	    "you mean chassis.manufacturer?"));
	ATF_CHECK_EQ(tu_diag_line(&d, "chasis.manufacturer:"), 2);
	ATF_CHECK(tu_diag_has(&d, "did you mean chassis.sku?"));
	ATF_CHECK_EQ(tu_diag_line(&d, "chasis.sku"), 3);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(bios_family_name_points_to_system_family_name);
ATF_TC_BODY(bios_family_name_points_to_system_family_name, tc)
{
	static const char *const in[] = { "bios.vendor=AMI",
	    "bios.family_name=Skymont", "system.family_name=Skymont", NULL };
	struct diags d;

	diags_init(&d);
	ATF_CHECK_EQ(check(in, &d), 1);
	ATF_CHECK(tu_diag_has(&d, "bios.family_name: no such key; the "
	    "SMBIOS family is system.family_name"));
	ATF_CHECK_EQ(tu_diag_line(&d, "bios.family_name"), 2);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(device_key_on_wrong_device);
ATF_TC_BODY(device_key_on_wrong_device, tc)
{
	static const char *const in[] = { "pci.0.0.0.device=hostbridge",
	    "pci.0.0.0.path=/dev/zvol/x", "pci.0.7.0.device=passthru",
	    "pci.0.7.0.bus=6", "pci.0.7.0.slot=0", "pci.0.7.0.func=0",
	    "pci.0.7.0.rom=/vm/rom.bin", "pci.0.7.0.romfile=/vm/rom.bin",
	    "memory.wired=true", NULL };
	struct diags d;

	diags_init(&d);
	ATF_CHECK_EQ(check(in, &d), 2);
	ATF_CHECK(tu_diag_has(&d, "pci.0.0.0.path: hostbridge has no "
	    "\"path\""));
	ATF_CHECK_EQ(tu_diag_line(&d, "pci.0.0.0.path"), 2);
	ATF_CHECK(tu_diag_has(&d, "pci.0.7.0.romfile: unknown key for "
	    "passthru; did you mean pci.0.7.0.rom?"));
	ATF_CHECK_EQ(tu_diag_line(&d, "romfile"), 8);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(unknown_device_suggested);
ATF_TC_BODY(unknown_device_suggested, tc)
{
	static const char *const in[] = { "pci.0.1.0.device=nvm",
	    "pci.0.1.0.path=/dev/x", "pci.0.2.0.device=ahci-cd",
	    "pci.0.3.0.device=floppy", NULL };
	struct diags d;

	diags_init(&d);
	ATF_CHECK_EQ(check(in, &d), 3);
	ATF_CHECK(tu_diag_has(&d, "unknown device \"nvm\"; did you mean "
	    "nvme?"));
	ATF_CHECK(tu_diag_has(&d, "\"ahci-cd\" is a name for -s only; a "
	    "configuration writes device=ahci with port.0.type=cd"));
	ATF_CHECK(tu_diag_has(&d, "unknown device \"floppy\""));
	ATF_CHECK(bhyve_device_known("ahci-cd"));
	ATF_CHECK(!bhyve_device_model("ahci-cd"));
	ATF_CHECK(bhyve_device_known("passthru"));
	ATF_CHECK(!bhyve_device_known("virtio-gpu"));
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(slot_without_device);
ATF_TC_BODY(slot_without_device, tc)
{
	static const char *const in[] = { "pci.0.4.0.path=/a",
	    "pci.0.4.0.ro=true", "pci.0.40.0.device=nvme",
	    "pci.0.40.0.path=/b", "pci.1.31.0.device=lpc", "pci.0.5.0=1",
	    NULL };
	struct diags d;

	diags_init(&d);
	ATF_CHECK_EQ(check(in, &d), 4);
	ATF_CHECK(tu_diag_has(&d, "slot pci.0.4.0 has no device"));
	ATF_CHECK_EQ(tu_diag_line(&d, "has no device"), 1);
	ATF_CHECK(tu_diag_has(&d, "pci.0.40.0: no such PCI slot"));
	ATF_CHECK(tu_diag_has(&d, "the LPC bridge must be on bus 0"));
	ATF_CHECK(tu_diag_has(&d, "pci.0.5.0: a PCI slot is a node"));
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(required_keys);
ATF_TC_BODY(required_keys, tc)
{
	static const char *const in[] = { "pci.0.7.0.device=passthru",
	    "pci.0.7.0.rom=/r", "pci.0.1.0.device=nvme",
	    "pci.0.2.0.device=nvme", "pci.0.2.0.ram=1024",
	    "pci.0.3.0.device=ahci", "pci.0.3.0.port.0.type=cd",
	    "pci.0.4.0.device=xhci", "pci.0.4.0.slot.1.foo=1", NULL };
	struct diags d;

	diags_init(&d);
	check(in, &d);
	ATF_CHECK(tu_diag_has(&d, "passthru needs the host device"));
	ATF_CHECK(tu_diag_has(&d, "passthru needs wired guest memory"));
	ATF_CHECK(tu_diag_has(&d, "pci.0.1.0: nvme needs pci.0.1.0.path"));
	ATF_CHECK(!tu_diag_has(&d, "pci.0.2.0: nvme needs"));
	ATF_CHECK(tu_diag_has(&d, "an AHCI port needs "
	    "pci.0.3.0.port.0.type"));
	ATF_CHECK(tu_diag_has(&d, "a USB slot needs "
	    "pci.0.4.0.slot.1.device"));
	diags_free(&d);
}

/* Each value type, good and bad. */
ATF_TC_WITHOUT_HEAD(value_types_good_and_bad);
ATF_TC_BODY(value_types_good_and_bad, tc)
{
	static const struct {
		const char	*kv;
		bool		 ok;
		const char	*msg;
	} cases[] = {
		{ "memory.wired=true", true, NULL },
		{ "memory.wired=YES", true, NULL },
		{ "memory.wired=0", true, NULL },
		{ "memory.wired=maybe", false, "expected a boolean" },
		{ "cpus=8", true, NULL },
		{ "cpus=0x10", true, NULL },
		{ "cpus=0", false, "an integer from 1 to 65535" },
		{ "cpus=eight", false, "an integer" },
		{ "memory.size=16g", true, NULL },
		{ "memory.size=16G", true, NULL },
		{ "memory.size=4096", true, NULL },
		{ "memory.size=512M", true, NULL },
		{ "memory.size=16GB", false, "expected a size" },
		{ "memory.size=0", false, "expected a size" },
		{ "memory.size=-1g", false, "expected a size" },
		{ "pci.0.31.0.pcireg.vendor=host", true, NULL },
		{ "pci.0.31.0.pcireg.device=0x7000", true, NULL },
		{ "pci.0.31.0.pcireg.subvendor=1002", true, NULL },
		{ "pci.0.31.0.pcireg.vendor=hots", false, "or host" },
		{ "pci.0.31.0.pcireg.vendor=0x12345", false, "hexadecimal" },
		{ "pci.0.31.0.pcireg.revid=0x100", false, "hexadecimal" },
		{ "pci.0.0.0.pcireg.vendor=host", false, "only works on lpc" },
		{ "vcpu.0.cpuset=2", true, NULL },
		{ "vcpu.1.cpuset=2,4-7", true, NULL },
		{ "vcpu.1.cpuset=7-4", false, "a list of host CPUs" },
		{ "vcpu.1.cpuset=0:2", false, "a list of host CPUs" },
		{ "lpc.bootrom=/usr/local/share/edk2-bhyve/BHYVE_UEFI_CODE.fd",
		    true, NULL },
		{ "lpc.bootrom=BHYVE_UEFI.fd", false, "an absolute path" },
		{ "lpc.fwcfg=qemu", true, NULL },
		{ "lpc.fwcfg=ovmf", false, "one of bhyve,qemu" },
		{ "pci.0.2.0.mac=58:9c:fc:00:00:01", true, NULL },
		{ "pci.0.2.0.mac=1:2:3:4:5:6", false, "a unicast MAC" },
		{ "pci.0.2.0.mac=58:9c:fc:00:00", false, "a MAC address" },
		{ "uuid=6ba7b810-9dad-11d1-80b4-00c04fd430c8", true, NULL },
		{ "uuid=6ba7b810-9dad-11d1-80b4", false, "a UUID" },
		{ "pci.0.5.0.tcp=0.0.0.0:5900", true, NULL },
		{ "pci.0.5.0.rfb=[::1]:5900", true, NULL },
		{ "pci.0.5.0.rfb=5901", true, NULL },
		{ "pci.0.5.0.rfb=localhost:5900", false, "IP:port" },
		{ "pci.0.5.0.rfb=0.0.0.0:99999", false, "IP:port" },
		{ "pci.0.5.0.w=1920", true, NULL },
		{ "pci.0.5.0.w=320", false, "from 640 to 3840" },
		{ "pci.0.7.0.bus=6", true, NULL },
		{ "pci.0.7.0.slot=32", false, "from 0 to 31" },
		{ "pci.0.7.0.func=8", false, "from 0 to 7" },
		{ "pci.0.1.0.sectorsize=512/4096", true, NULL },
		{ "pci.0.1.0.sectorsize=500", false, "powers of two" },
		{ "pci.0.1.0.sectsz=4096", true, NULL },
		{ "pci.0.1.0.sectsz=1024", false, "one of 512,4096,8192" },
		{ "pci.0.1.0.ser=123456789012345678901", false, "at most 20" },
		{ "lpc.com1.path=/dev/nmdm0A", true, NULL },
		{ "lpc.com1.path=stdio", true, NULL },
		{ "lpc.com1.path=tcp=127.0.0.1:1234", true, NULL },
		{ "lpc.com1.path=nmdm0A", false, "stdio, a device path" },
		{ "pci.0.5.1.slot.1.device=tablet", true, NULL },
		{ "pci.0.5.1.slot.1.device=mouse", false, "tablet" },
		{ "pci.0.7.0.pptdev=ppt0", true, NULL },
		{ "pci.0.7.0.pptdev=6/0/0", false, "ppt(4) device" },
		{ "gdb.port=1234", true, NULL },
		{ "x86.strictmsr=%(memory.wired)", true, NULL },
	};
	static const char *const base[] = { "pci.0.0.0.device=hostbridge",
	    "pci.0.1.0.device=nvme", "pci.0.1.0.path=/dev/x",
	    "pci.0.2.0.device=virtio-net", "pci.0.5.0.device=fbuf",
	    "pci.0.5.1.device=xhci", "pci.0.7.0.device=passthru",
	    "pci.0.7.0.pptdev=ppt0", "pci.0.31.0.device=lpc",
	    "memory.wired=true", NULL };
	struct bcfg c;
	struct diags d;
	const char *eq;
	char key[128];
	size_t i;
	int n;

	for (i = 0; i < nitems(cases); i++) {
		load(&c, base);
		eq = strchr(cases[i].kv, '=');
		snprintf(key, sizeof(key), "%.*s", (int)(eq - cases[i].kv),
		    cases[i].kv);
		ATF_REQUIRE(bcfg_set(&c, key, eq + 1, "t", 99) == 0);
		diags_init(&d);
		n = bhyve_keys_check(&c, 0, &d);
		if (cases[i].ok)
			ATF_CHECK_MSG(n == 0, "%s: %d errors (%s)",
			    cases[i].kv, n, STAILQ_EMPTY(&d.head) ? "" :
			    STAILQ_FIRST(&d.head)->msg);
		else {
			ATF_CHECK_MSG(n == 1, "%s: %d errors", cases[i].kv, n);
			ATF_CHECK_MSG(tu_diag_has(&d, cases[i].msg),
			    "%s: no \"%s\"", cases[i].kv, cases[i].msg);
			ATF_CHECK_EQ(tu_diag_line(&d, key), 99);
		}
		diags_free(&d);
		bcfg_free(&c);
	}
}

ATF_TC_WITHOUT_HEAD(several_errors_at_once);
ATF_TC_BODY(several_errors_at_once, tc)
{
	static const char *const in[] = { "cpus=8", "sockets=1",
	    "cores=3", "memory.size=lots", "x86.vmexit_on_hlt=sure",
	    "chasis.sku=X", "virtio.msix=false", "pci.0.1.0.device=nvme",
	    "pci.0.1.0.path=/dev/zvol/x", "pci.0.1.0.nocahce=true", NULL };
	struct diags d;
	const struct diag *x;
	int n;

	diags_init(&d);
	n = check(in, &d);
	ATF_CHECK_EQ(n, 6);
	STAILQ_FOREACH(x, &d.head, entry) {
		ATF_CHECK_STREQ(x->file, "vm.conf");
		ATF_CHECK(x->line > 0);
	}
	ATF_CHECK(tu_diag_has(&d, "sockets*cores*threads is 3"));
	ATF_CHECK(tu_diag_has(&d, "did you mean pci.0.1.0.nocache?"));
	ATF_CHECK(tu_diag_has(&d, "the MSI-X switch is virtio_msix"));
	ATF_CHECK_EQ(tu_diag_line(&d, "memory.size"), 4);
	ATF_CHECK_EQ(tu_diag_line(&d, "x86.vmexit_on_hlt"), 5);
	ATF_CHECK_EQ(tu_diag_line(&d, "nocahce"), 10);
	diags_free(&d);
}

/* bhyve's calc_topology(): an unset sockets is cpus, cores/threads 1. */
ATF_TC_WITHOUT_HEAD(topology_as_calc_topology);
ATF_TC_BODY(topology_as_calc_topology, tc)
{
	static const char *const bad[] = { "cpus=8", "cores=8", NULL };
	static const char *const one[] = { "cpus=4", "cores=1", NULL };
	static const char *const two[] = { "cpus=8", "sockets=2", "cores=4",
	    NULL };
	static const char *const thr[] = { "cpus=8", "threads=2", NULL };
	struct diags d;

	diags_init(&d);
	ATF_CHECK_EQ(check(bad, &d), 1);
	ATF_CHECK(tu_diag_has(&d, "sockets*cores*threads is 64 (8*8*1, "
	    "sockets unset: bhyve takes sockets=cpus)"));
	diags_free(&d);
	diags_init(&d);
	ATF_CHECK_EQ(check(one, &d), 0);
	ATF_CHECK_EQ(check(two, &d), 0);
	diags_free(&d);
	diags_init(&d);
	ATF_CHECK_EQ(check(thr, &d), 1);
	ATF_CHECK(tu_diag_has(&d, "sockets*cores*threads is 16"));
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(versions_and_lookup);
ATF_TC_BODY(versions_and_lookup, tc)
{
	static const char *const in[] = { "bootrom=/fw/BHYVE_UEFI.fd",
	    "pci.0.3.0.device=virtio-blk", "pci.0.3.0.path=/x",
	    "pci.0.3.0.bootindex=1", NULL };
	const struct bhyve_key *k;
	struct bcfg c;
	struct diags d;

	load(&c, in);
	diags_init(&d);
	ATF_CHECK_EQ(bhyve_keys_check(&c, 0, &d), 0);
	ATF_CHECK_EQ(bhyve_keys_check(&c, BHYVE_KEYS_14, &d), 2);
	ATF_CHECK(tu_diag_has(&d, "bootrom: only bhyve of FreeBSD 15"));
	k = bhyve_key_lookup(&c, "pci.0.3.0.path");
	ATF_REQUIRE(k != NULL);
	ATF_CHECK_EQ(bhyve_key_type(k), BK_PATH);
	ATF_CHECK(bhyve_key_lookup(&c, "pci.0.3.0.rom") == NULL);
	ATF_CHECK(bhyve_key_lookup(&c, "pci.0.9.0.path") == NULL);
	k = bhyve_key_lookup(&c, "vcpu.12.cpuset");
	ATF_REQUIRE(k != NULL);
	ATF_CHECK_STREQ(bhyve_ktype_name(bhyve_key_type(k)), "cpu list");
	ATF_CHECK(bhyve_key_lookup(&c, "vcpu.01.cpuset") == NULL);
	ATF_CHECK_EQ(bhyve_key_type(bhyve_key_lookup(&c, "memory.size")),
	    BK_SIZE);
	diags_free(&d);
	bcfg_free(&c);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, chasis_typo_suggests_chassis);
	ATF_TP_ADD_TC(tp, bios_family_name_points_to_system_family_name);
	ATF_TP_ADD_TC(tp, device_key_on_wrong_device);
	ATF_TP_ADD_TC(tp, unknown_device_suggested);
	ATF_TP_ADD_TC(tp, slot_without_device);
	ATF_TP_ADD_TC(tp, required_keys);
	ATF_TP_ADD_TC(tp, value_types_good_and_bad);
	ATF_TP_ADD_TC(tp, several_errors_at_once);
	ATF_TP_ADD_TC(tp, topology_as_calc_topology);
	ATF_TP_ADD_TC(tp, versions_and_lookup);
	return (atf_no_error());
}
