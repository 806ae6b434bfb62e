/*
 * bhyvekeys.c: the configuration variables of bhyve(8), FreeBSD 14 and
 * 15, and the checker that holds a configuration against them.
 *
 * Where the facts come from (FreeBSD's own sources, read for facts only):
 *
 * Global keys.  bhyve_config(5) lists name, cpus, cores, threads,
 * sockets, memory.size (expand_number(3) syntax), memory.wired,
 * memory.guest_in_core, acpi_tables, destroy_on_poweroff, gdb.address,
 * gdb.port, gdb.wait, keyboard.layout, rtc.use_localtime, uuid,
 * virtio_msix, config.dump and the x86.* switches.  bhyverun.c (14) and
 * amd64/bhyverun_machdep.c (15) add acpi_tables_in_memory (set by
 * bhyve_init_config()), vcpu.N.cpuset (built by -p, read by
 * parse_cpuset(): N or N-M, comma separated) and x86.verbosemsr; their
 * calc_topology() parses cpus/cores/threads/sockets with strtol(3) in
 * 1..UINT16_MAX and refuses a cpus that is not sockets*cores*threads.
 * maxcpus only exists under "#ifdef notyet" in topology_parse().  15 reads
 * the boot ROM from top-level bootrom/bootvars and copies the deprecated
 * lpc.bootrom/lpc.bootvars there with a warning.
 *
 * SMBIOS.  smbiostbl.c and bhyve_config(5): bios.vendor, bios.version,
 * bios.release_date; system.family_name, system.manufacturer,
 * system.product_name, system.serial_number, system.sku, system.version;
 * board.manufacturer, board.product_name, board.version,
 * board.serial_number, board.asset_tag, board.location;
 * chassis.manufacturer, chassis.version, chassis.serial_number,
 * chassis.asset_tag, chassis.sku.  There is no bios.family_name.
 *
 * LPC.  pci_lpc.c: lpc_device_parse() knows bootrom, com1..com4, tpm,
 * pc-testdev and fwcfg; the values live under the top-level "lpc" node
 * (lpc.bootrom, lpc.bootvars, lpc.comN.path, lpc.fwcfg bhyve|qemu,
 * lpc.pc-testdev) and tpm.* (tpm.type passthru|swtpm, tpm.path,
 * tpm.version 2.0).  The LPC function's PCI IDs are pcireg.vendor,
 * device, revid, subvendor, subdevice under its pci.B.S.F node, read by
 * pci_config_read_reg() in pci_emul.c: strtol(value, NULL, 16), or the
 * host's register for "host".  The LPC bridge must be on bus 0.
 *
 * PCI slots.  pci_emul.c: pci_parse_slot() takes S, S:F or B:S:F (bus
 * 0..255, slot 0..31, function 0..7) and stores the model under
 * pci.B.S.F.device, the alias for ahci-hd/ahci-cd (ahci) and
 * amd_hostbridge (hostbridge, with pcireg.vendor=0x1022 and
 * pcireg.device=0x7432 from pci_hostbridge.c).  A model with no legacy
 * parser gets pci_parse_legacy_config(): name=value, or name alone for
 * true.  pci_hostbridge.c reads pcireg.vendor/device without a host
 * selector, so "host" means nothing there.
 *
 * Devices.  pci_passthru.c: bus, slot, func, pptdev (15), rom, and the
 * pcireg.* IDs ("host" reads the real device).  block_if.c: path,
 * nocache, nodelete, sync, direct, ro, sectorsize=logical[/physical],
 * bootindex (15).  pci_nvme.c: maxq, qsz, ioslots, sectsz (512, 4096,
 * 8192), ser (20 characters), eui64, dsm (auto|enable|disable), ram (MiB)
 * and the block options.  pci_ahci.c: port.N.type hd|cd with the block
 * options and nmrr, ser (20), rev (8), model (40) per port.
 * pci_virtio_block.c: block options and ser.  net_backends.c and
 * pci_virtio_net.c / pci_e82545.c: backend, type, mac (unicast), mtu
 * (virtio-net), netgraph's path, peerhook, socket, hook; slirp's hostfwd
 * (15).  pci_fbuf.c: wait, rfb (or the older tcp) [IP:]port or
 * [IPv6%zone]:port, vga io|on|off, w 640..3840, h 480..2160, password.
 * pci_xhci.c: slot.N.device (N from 1), model "tablet".
 * pci_virtio_console.c: port.N.name, port.N.path.  pci_virtio_9p.c:
 * sharename, path, ro.  pci_virtio_scsi.c: dev, iid, bootindex (15).
 * pci_virtio_input.c: path.  pci_hda.c: play, rec.  pci_uart.c: path.
 */
#include "compat.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bhyvekeys.h"
#include "strbuf.h"
#include "util.h"

#define U16	65535LL
#define BIG	0x7fffffffLL

#define G(p, t)		{ p, t, 0, 0, NULL, 0, 0 }
#define GI(p, lo, hi)	{ p, BK_INT, lo, hi, NULL, 0, 0 }
#define GS(p, n)	{ p, BK_STRING, 0, n, NULL, 0, 0 }
#define GE(p, w)	{ p, BK_ENUM, 0, 0, w, 0, 0 }
#define GF(p, t, f)	{ p, t, 0, 0, NULL, 0, f }
#define D(p, t, d)	{ p, t, 0, 0, NULL, d, 0 }
#define DI(p, lo, hi, d) { p, BK_INT, lo, hi, NULL, d, 0 }
#define DS(p, n, d)	{ p, BK_STRING, 0, n, NULL, d, 0 }
#define DE(p, w, d)	{ p, BK_ENUM, 0, 0, w, d, 0 }
#define DF(p, t, d, f)	{ p, t, 0, 0, NULL, d, f }
#define DIF(p, lo, hi, d, f) { p, BK_INT, lo, hi, NULL, d, f }

/* Block options: on the node for nvme and virtio-blk, per ahci port. */
#define BLOCK(pre, d) \
	D(pre "path", BK_PATH, d), \
	D(pre "nocache", BK_BOOL, d), \
	D(pre "nodelete", BK_BOOL, d), \
	D(pre "sync", BK_BOOL, d), \
	D(pre "direct", BK_BOOL, d), \
	D(pre "ro", BK_BOOL, d), \
	D(pre "sectorsize", BK_SECTORSIZE, d), \
	DIF(pre "bootindex", 0, BIG, d, BKF_15)

#define PCIREG(t, d) \
	DF("pcireg.vendor", t, d, 0), \
	DF("pcireg.device", t, d, 0), \
	DF("pcireg.revid", t, d, 0), \
	DF("pcireg.subvendor", t, d, 0), \
	DF("pcireg.subdevice", t, d, 0)

static const struct bhyve_key keys[] = {
	/* Global, architecture neutral. */
	GS("name", 0),
	GI("cpus", 1, U16),
	GI("sockets", 1, U16),
	GI("cores", 1, U16),
	GI("threads", 1, U16),
	GI("maxcpus", 1, U16),
	G("memory.size", BK_SIZE),
	G("memory.wired", BK_BOOL),
	G("memory.guest_in_core", BK_BOOL),
	G("acpi_tables", BK_BOOL),
	G("acpi_tables_in_memory", BK_BOOL),
	G("destroy_on_poweroff", BK_BOOL),
	GS("gdb.address", 0),
	GI("gdb.port", 0, U16),
	G("gdb.wait", BK_BOOL),
	GS("keyboard.layout", 0),
	G("rtc.use_localtime", BK_BOOL),
	G("uuid", BK_UUID),
	G("virtio_msix", BK_BOOL),
	G("config.dump", BK_BOOL),
	G("vcpu.#.cpuset", BK_CPUSET),
	GF("bootrom", BK_PATH, BKF_15),
	GF("bootvars", BK_PATH, BKF_15),
	/* x86. */
	G("x86.mptable", BK_BOOL),
	G("x86.x2apic", BK_BOOL),
	G("x86.strictio", BK_BOOL),
	G("x86.strictmsr", BK_BOOL),
	G("x86.verbosemsr", BK_BOOL),
	G("x86.vmexit_on_hlt", BK_BOOL),
	G("x86.vmexit_on_pause", BK_BOOL),
	/* SMBIOS. */
	GS("bios.vendor", 0),
	GS("bios.version", 0),
	GS("bios.release_date", 0),
	GS("system.family_name", 0),
	GS("system.manufacturer", 0),
	GS("system.product_name", 0),
	GS("system.serial_number", 0),
	GS("system.sku", 0),
	GS("system.version", 0),
	GS("board.manufacturer", 0),
	GS("board.product_name", 0),
	GS("board.version", 0),
	GS("board.serial_number", 0),
	GS("board.asset_tag", 0),
	GS("board.location", 0),
	GS("chassis.manufacturer", 0),
	GS("chassis.version", 0),
	GS("chassis.serial_number", 0),
	GS("chassis.asset_tag", 0),
	GS("chassis.sku", 0),
	/* LPC, TPM. */
	G("lpc.bootrom", BK_PATH),
	G("lpc.bootvars", BK_PATH),
	G("lpc.com1.path", BK_TTY),
	G("lpc.com2.path", BK_TTY),
	G("lpc.com3.path", BK_TTY),
	G("lpc.com4.path", BK_TTY),
	GE("lpc.fwcfg", "bhyve|qemu"),
	G("lpc.pc-testdev", BK_BOOL),
	GE("tpm.type", "passthru|swtpm"),
	G("tpm.path", BK_PATH),
	GE("tpm.version", "2.0"),

	/* Every PCI device. */
	D("device", BK_DEVICE, BD_ALL),
	/* hostbridge: IDs, no host lookup. */
	PCIREG(BK_HEX, BD_HOSTBRIDGE),
	/* lpc and passthru: IDs or "host". */
	PCIREG(BK_HEXHOST, BD_LPC | BD_PASSTHRU),
	/* passthru */
	DI("bus", 0, 255, BD_PASSTHRU),
	DI("slot", 0, 31, BD_PASSTHRU),
	DI("func", 0, 7, BD_PASSTHRU),
	DF("pptdev", BK_PPTDEV, BD_PASSTHRU, BKF_15),
	D("rom", BK_PATH, BD_PASSTHRU),
	DIF("bootindex", 0, BIG, BD_PASSTHRU | BD_VIRTIO_SCSI, BKF_15),
	/* block devices */
	BLOCK("", BD_BLOCK),
	BLOCK("port.#.", BD_AHCI),
	/* nvme */
	DI("maxq", 1, U16, BD_NVME),
	DI("qsz", 1, U16, BD_NVME),
	DI("ioslots", 1, U16, BD_NVME),
	DE("sectsz", "512|4096|8192", BD_NVME),
	DS("ser", 20, BD_NVME | BD_VIRTIO_BLK),
	DI("eui64", 0, 0x7fffffffffffffffLL, BD_NVME),
	DE("dsm", "auto|enable|disable", BD_NVME),
	DI("ram", 1, BIG, BD_NVME),
	/* ahci ports */
	DE("port.#.type", "hd|cd", BD_AHCI),
	DI("port.#.nmrr", 0, U16, BD_AHCI),
	DS("port.#.ser", 20, BD_AHCI),
	DS("port.#.rev", 8, BD_AHCI),
	DS("port.#.model", 40, BD_AHCI),
	/* network */
	DS("backend", 0, BD_NET),
	DE("type", "tap|netgraph|netmap|slirp", BD_NET),
	D("mac", BK_MAC, BD_NET),
	DI("mtu", 68, U16, BD_VIRTIO_NET),
	DS("path", 0, BD_NET),
	DS("peerhook", 0, BD_NET),
	DS("socket", 0, BD_NET),
	DS("hook", 0, BD_NET),
	DF("hostfwd", BK_STRING, BD_NET, BKF_15),
	/* fbuf */
	D("wait", BK_BOOL, BD_FBUF),
	D("rfb", BK_TCPADDR, BD_FBUF),
	D("tcp", BK_TCPADDR, BD_FBUF),
	DE("vga", "io|on|off", BD_FBUF),
	DI("w", 640, 3840, BD_FBUF),
	DI("h", 480, 2160, BD_FBUF),
	DS("password", 0, BD_FBUF),
	/* xhci */
	D("slot.#.device", BK_USBDEV, BD_XHCI),
	/* virtio-console */
	DS("port.#.name", 0, BD_VIRTIO_CON),
	D("port.#.path", BK_PATH, BD_VIRTIO_CON),
	/* virtio-9p */
	DS("sharename", 0, BD_VIRTIO_9P),
	D("path", BK_PATH, BD_VIRTIO_9P | BD_VIRTIO_INPUT),
	D("ro", BK_BOOL, BD_VIRTIO_9P),
	/* virtio-scsi */
	D("dev", BK_PATH, BD_VIRTIO_SCSI),
	DI("iid", 0, BIG, BD_VIRTIO_SCSI),
	/* hda */
	D("play", BK_PATH, BD_HDA),
	D("rec", BK_PATH, BD_HDA),
	/* uart */
	D("path", BK_TTY, BD_UART),
};

static const struct {
	const char	*name;
	unsigned	 bit;
} devices[] = {
	{ "hostbridge", BD_HOSTBRIDGE },
	{ "lpc", BD_LPC },
	{ "passthru", BD_PASSTHRU },
	{ "nvme", BD_NVME },
	{ "ahci", BD_AHCI },
	{ "virtio-blk", BD_VIRTIO_BLK },
	{ "virtio-net", BD_VIRTIO_NET },
	{ "e1000", BD_E1000 },
	{ "fbuf", BD_FBUF },
	{ "xhci", BD_XHCI },
	{ "virtio-rnd", BD_VIRTIO_RND },
	{ "virtio-console", BD_VIRTIO_CON },
	{ "virtio-9p", BD_VIRTIO_9P },
	{ "virtio-scsi", BD_VIRTIO_SCSI },
	{ "virtio-input", BD_VIRTIO_INPUT },
	{ "hda", BD_HDA },
	{ "uart", BD_UART },
};

/* -s names that are not models: what the configuration holds instead. */
static const struct {
	const char	*alias;
	const char	*model;
	const char	*how;
} aliases[] = {
	{ "ahci-hd", "ahci", "device=ahci with port.0.type=hd" },
	{ "ahci-cd", "ahci", "device=ahci with port.0.type=cd" },
	{ "amd_hostbridge", "hostbridge", "device=hostbridge with "
	    "pcireg.vendor=0x1022 and pcireg.device=0x7432" },
};

/* Mistakes seen in the wild, with what to write instead. */
static const struct {
	const char	*key;
	const char	*msg;
} mistakes[] = {
	{ "bios.family_name", "no such key; the SMBIOS family is "
	    "system.family_name" },
	{ "bios.manufacturer", "no such key; the SMBIOS BIOS vendor is "
	    "bios.vendor" },
	{ "system.family", "no such key; the SMBIOS family is "
	    "system.family_name" },
	{ "memory", "is not a value; the memory size is memory.size" },
	{ "lpc.com1", "is a node; the serial port's backend is lpc.com1.path" },
	{ "lpc.com2", "is a node; the serial port's backend is lpc.com2.path" },
	{ "virtio.msix", "no such key; the MSI-X switch is virtio_msix" },
};

static const char *usbdevs[] = { "tablet" };

const struct bhyve_key *
bhyve_keys_table(size_t *n)
{

	*n = nitems(keys);
	return (keys);
}

enum bhyve_ktype
bhyve_key_type(const struct bhyve_key *k)
{

	return (k->type);
}

const char *
bhyve_ktype_name(enum bhyve_ktype t)
{
	static const char *names[] = {
		"string", "bool", "integer", "size", "hex-or-host", "hex",
		"cpu list", "path", "word", "MAC address", "UUID",
		"TCP address", "sector size", "serial backend", "ppt device",
		"device model", "USB device model",
	};

	return ((size_t)t < nitems(names) ? names[t] : "?");
}

const char *
bhyve_device_name(unsigned bit)
{
	size_t i;

	for (i = 0; i < nitems(devices); i++)
		if (devices[i].bit == bit)
			return (devices[i].name);
	return (NULL);
}

static unsigned
device_bit(const char *name)
{
	size_t i;

	for (i = 0; i < nitems(devices); i++)
		if (strcmp(devices[i].name, name) == 0)
			return (devices[i].bit);
	return (0);
}

bool
bhyve_device_model(const char *name)
{

	return (device_bit(name) != 0);
}

bool
bhyve_device_known(const char *name)
{
	size_t i;

	if (device_bit(name) != 0)
		return (true);
	for (i = 0; i < nitems(aliases); i++)
		if (strcmp(aliases[i].alias, name) == 0)
			return (true);
	return (false);
}

/* Whether key matches pattern; "#" is a number without leading zeros. */
static bool
pattern_match(const char *pat, const char *key)
{

	while (*pat != '\0') {
		if (*pat == '#') {
			if (!isdigit((unsigned char)*key))
				return (false);
			if (*key == '0' && isdigit((unsigned char)key[1]))
				return (false);
			while (isdigit((unsigned char)*key))
				key++;
			pat++;
			continue;
		}
		if (*pat != *key)
			return (false);
		pat++;
		key++;
	}
	return (*key == '\0');
}

/* The entry for a global key, or for rel on a device of mask devs. */
static const struct bhyve_key *
find_key(const char *key, unsigned devs)
{
	size_t i;

	for (i = 0; i < nitems(keys); i++) {
		if (devs == 0 ? keys[i].devs != 0 :
		    (keys[i].devs & devs) == 0)
			continue;
		if (pattern_match(keys[i].pattern, key))
			return (&keys[i]);
	}
	return (NULL);
}

/* Splits "pci.B.S.F[.rest]"; -1 when key is not of that form. */
static int
split_pci(const char *key, unsigned long bsf[3], const char **rest)
{
	const char *p;
	int i;

	if (strncmp(key, "pci.", 4) != 0)
		return (-1);
	p = key + 4;
	for (i = 0; i < 3; i++) {
		if (util_parse_ulong(&p, 10, 100000, &bsf[i]) != 0)
			return (-1);
		if (i < 2 && *p++ != '.')
			return (-1);
	}
	if (*p == '\0')
		*rest = p;
	else if (*p == '.')
		*rest = p + 1;
	else
		return (-1);
	return (0);
}

static unsigned
slot_model(const struct bcfg *cfg, const char *key, size_t nodelen)
{
	char dk[64];
	const char *dev;

	if (nodelen + sizeof(".device") > sizeof(dk))
		return (0);
	memcpy(dk, key, nodelen);
	memcpy(dk + nodelen, ".device", sizeof(".device"));
	if ((dev = bcfg_get(cfg, dk)) == NULL)
		return (0);
	return (device_bit(dev));
}

const struct bhyve_key *
bhyve_key_lookup(const struct bcfg *cfg, const char *key)
{
	unsigned long bsf[3];
	const char *rest;
	unsigned bit;

	if (split_pci(key, bsf, &rest) != 0)
		return (find_key(key, 0));
	if (strcmp(rest, "device") == 0)
		return (find_key(rest, BD_ALL));
	if (cfg == NULL ||
	    (bit = slot_model(cfg, key, (size_t)(rest - 1 - key))) == 0)
		return (NULL);
	return (find_key(rest, bit));
}

/* Value checks. */

static int
parse_ll(const char *s, int base, long long *out)
{
	char *end;
	long long v;

	if (*s == '\0' || isspace((unsigned char)*s))
		return (-1);
	errno = 0;
	v = strtoll(s, &end, base);
	if (errno != 0 || *end != '\0' || end == s)
		return (-1);
	*out = v;
	return (0);
}

static bool
is_size(const char *s)
{
	const char *p;

	if (!isdigit((unsigned char)*s))
		return (false);
	for (p = s; isdigit((unsigned char)*p); p++)
		;
	if (*p == '\0')
		return (true);
	if (strchr("kKmMgGtTpPeE", *p) == NULL)
		return (false);
	return (p[1] == '\0');
}

static bool
is_cpuset(const char *s)
{
	unsigned long lo, hi;
	const char *p;

	p = s;
	for (;;) {
		if (util_parse_ulong(&p, 10, 1023, &lo) != 0)
			return (false);
		if (*p == '-') {
			p++;
			if (util_parse_ulong(&p, 10, 1023, &hi) != 0 || hi < lo)
				return (false);
		}
		if (*p == '\0')
			return (true);
		if (*p++ != ',')
			return (false);
	}
}

static bool
is_mac(const char *s, bool *unicast)
{
	unsigned long b[6];
	const char *p;
	int i;

	p = s;
	for (i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)*p) ||
		    (isxdigit((unsigned char)p[1]) &&
		    isxdigit((unsigned char)p[2])))
			return (false);
		if (util_parse_ulong(&p, 16, 255, &b[i]) != 0)
			return (false);
		if (i < 5 && *p++ != ':')
			return (false);
	}
	if (*p != '\0')
		return (false);
	*unicast = (b[0] & 1) == 0 && (b[0] | b[1] | b[2] | b[3] | b[4] |
	    b[5]) != 0;
	return (true);
}

static bool
is_uuid(const char *s)
{
	static const int groups[] = { 8, 4, 4, 4, 12 };
	int g, i;

	for (g = 0; g < 5; g++) {
		for (i = 0; i < groups[g]; i++)
			if (!isxdigit((unsigned char)*s++))
				return (false);
		if (g < 4 && *s++ != '-')
			return (false);
	}
	return (*s == '\0');
}

static bool
is_port(const char *s)
{
	long long v;

	return (isdigit((unsigned char)*s) && parse_ll(s, 10, &v) == 0 &&
	    v >= 0 && v <= 65535);
}

static bool
is_ipv4(const char *s, size_t n)
{
	unsigned long v;
	const char *p, *end;
	int i;

	p = s;
	end = s + n;
	for (i = 0; i < 4; i++) {
		if (p >= end || !isdigit((unsigned char)*p))
			return (false);
		if (util_parse_ulong_end(&p, end, 10, 255, &v) != 0)
			return (false);
		if (i < 3 && (p >= end || *p++ != '.'))
			return (false);
	}
	return (p == end);
}

static bool
is_tcpaddr(const char *s)
{
	const char *c, *p;

	if (*s == '[') {
		if ((c = strchr(s, ']')) == NULL || c == s + 1)
			return (false);
		for (p = s + 1; p < c; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' &&
			    *p != '.' && *p != '%' &&
			    !isalnum((unsigned char)*p))
				return (false);
		return (c[1] == ':' && is_port(c + 2));
	}
	if ((c = strrchr(s, ':')) == NULL)
		return (is_port(s));
	return (is_ipv4(s, (size_t)(c - s)) && is_port(c + 1));
}

static bool
is_pow2_sector(const char *s, size_t n)
{
	unsigned long v;
	const char *p;

	p = s;
	if (n == 0 || util_parse_ulong_end(&p, s + n, 10, 1UL << 20, &v) != 0
	    || p != s + n)
		return (false);
	return (v >= 512 && (v & (v - 1)) == 0);
}

static bool
is_sectorsize(const char *s)
{
	const char *sl;

	if ((sl = strchr(s, '/')) == NULL)
		return (is_pow2_sector(s, strlen(s)));
	return (is_pow2_sector(s, (size_t)(sl - s)) &&
	    is_pow2_sector(sl + 1, strlen(sl + 1)));
}

static bool
in_words(const char *words, const char *s)
{
	const char *w, *e;
	size_t n;

	n = strlen(s);
	for (w = words; *w != '\0'; w = *e == '\0' ? e : e + 1) {
		if ((e = strchr(w, '|')) == NULL)
			e = w + strlen(w);
		if ((size_t)(e - w) == n && memcmp(w, s, n) == 0)
			return (true);
	}
	return (false);
}

const char *
bhyve_value_problem(const struct bhyve_key *k, const char *v, char *buf,
    size_t len)
{
	long long n;
	bool uni;
	size_t i;

	switch (k->type) {
	case BK_STRING:
		if (k->max > 0 && strlen(v) > (size_t)k->max) {
			snprintf(buf, len, "at most %lld characters", k->max);
			return (buf);
		}
		return (NULL);
	case BK_BOOL:
		if (bcfg_bool(v) >= 0)
			return (NULL);
		return ("a boolean: true, false, on, off, yes, no, 1 or 0");
	case BK_INT:
		if (parse_ll(v, 0, &n) == 0 && n >= k->min && n <= k->max)
			return (NULL);
		snprintf(buf, len, "an integer from %lld to %lld", k->min,
		    k->max);
		return (buf);
	case BK_SIZE:
		if (is_size(v) && strspn(v, "0") != strcspn(v, "kKmMgGtTpPeE"))
			return (NULL);
		return ("a size: a number with an optional K, M, G or T "
		    "suffix (no suffix means megabytes), like 16G");
	case BK_HEXHOST:
		if (strcmp(v, "host") == 0)
			return (NULL);
		/* FALLTHROUGH */
	case BK_HEX:
		if (*v != '-' && *v != '+' && parse_ll(v, 16, &n) == 0 &&
		    n <= (strstr(k->pattern, "revid") != NULL ? 0xff : 0xffff))
			return (NULL);
		return (k->type == BK_HEX ? "a hexadecimal ID like 0x1022 "
		    "(\"host\" only works on lpc and passthru)" :
		    "a hexadecimal ID like 0x8086, or host");
	case BK_CPUSET:
		if (is_cpuset(v))
			return (NULL);
		return ("a list of host CPUs like 2 or 2,4 or 4-7");
	case BK_PATH:
		if (v[0] == '/')
			return (NULL);
		return ("an absolute path (a relative path depends on the "
		    "directory bhyve is started from)");
	case BK_ENUM:
		if (in_words(k->words, v))
			return (NULL);
		snprintf(buf, len, "one of %s", k->words);
		for (i = 0; buf[i] != '\0'; i++)
			if (buf[i] == '|')
				buf[i] = ',';
		return (buf);
	case BK_MAC:
		if (!is_mac(v, &uni))
			return ("a MAC address like 58:9c:fc:00:00:01");
		return (uni ? NULL : "a unicast MAC address (the first "
		    "octet even, not all zeros)");
	case BK_UUID:
		if (is_uuid(v))
			return (NULL);
		return ("a UUID like 6ba7b810-9dad-11d1-80b4-00c04fd430c8");
	case BK_TCPADDR:
		if (is_tcpaddr(v))
			return (NULL);
		return ("IP:port, [IPv6]:port or a port, like 0.0.0.0:5900");
	case BK_SECTORSIZE:
		if (is_sectorsize(v))
			return (NULL);
		return ("logical[/physical] sector sizes, powers of two from "
		    "512, like 512/4096");
	case BK_TTY:
		if (strcmp(v, "stdio") == 0 || v[0] == '/' ||
		    (strncmp(v, "tcp=", 4) == 0 && is_tcpaddr(v + 4)))
			return (NULL);
		return ("stdio, a device path like /dev/nmdm0A, or "
		    "tcp=IP:port");
	case BK_PPTDEV:
		if (strncmp(v, "ppt", 3) == 0 && v[3] != '\0' &&
		    strspn(v + 3, "0123456789") == strlen(v + 3))
			return (NULL);
		return ("a ppt(4) device name like ppt0");
	case BK_DEVICE:
		return (device_bit(v) != 0 ? NULL : "a device model");
	case BK_USBDEV:
		for (i = 0; i < nitems(usbdevs); i++)
			if (strcmp(usbdevs[i], v) == 0)
				return (NULL);
		return ("a USB device model: tablet");
	}
	return (NULL);
}

/*
 * Suggestions.  Each candidate pattern has its "#" replaced by the
 * numbers of the wrong key, in order, so that vcpu.3.cpuste suggests
 * vcpu.3.cpuset.
 */
static void
instantiate(const char *pat, const char *wrong, char *out, size_t len)
{
	const char *w;
	size_t o;

	w = wrong;
	o = 0;
	for (; *pat != '\0' && o + 1 < len; pat++) {
		if (*pat != '#') {
			out[o++] = *pat;
			continue;
		}
		while (*w != '\0' && !isdigit((unsigned char)*w))
			w++;
		if (*w == '\0') {
			out[o++] = '0';
			continue;
		}
		while (isdigit((unsigned char)*w) && o + 1 < len)
			out[o++] = *w++;
	}
	out[o] = '\0';
}

static const char *
last_comp(const char *s)
{
	const char *d;

	return ((d = strrchr(s, '.')) != NULL ? d + 1 : s);
}

/* How close cand is to wrong; lower is better, -1 when too far. */
static int
closeness(const char *wrong, const char *cand)
{
	const char *lw, *lc;
	size_t nw, nc;
	int d;

	d = util_distance(wrong, cand);
	if (d <= 2 || (d <= 3 && strlen(wrong) >= 10))
		return (d);
	lw = last_comp(wrong);
	lc = last_comp(cand);
	nw = strlen(lw);
	nc = strlen(lc);
	/* Same path, last component a prefix of the other: rom/romfile. */
	if ((size_t)(lw - wrong) == (size_t)(lc - cand) &&
	    memcmp(wrong, cand, (size_t)(lw - wrong)) == 0 && nc >= 2 &&
	    nw >= 2 && (strncmp(lw, lc, nc < nw ? nc : nw) == 0))
		return (10 + d);
	if (strncmp(cand, wrong, strlen(wrong)) == 0 && strlen(wrong) >= 4)
		return (20 + d);
	return (-1);
}

/* Best match for wrong among keys of devs (0: global). */
static bool
suggest(const char *wrong, unsigned devs, char *out, size_t len)
{
	char cand[128];
	size_t i;
	int best, c;

	best = -1;
	for (i = 0; i < nitems(keys); i++) {
		if (devs == 0 ? keys[i].devs != 0 :
		    (keys[i].devs & devs) == 0)
			continue;
		instantiate(keys[i].pattern, wrong, cand, sizeof(cand));
		if ((c = closeness(wrong, cand)) < 0)
			continue;
		if (best < 0 || c < best) {
			best = c;
			strlcpy(out, cand, len);
		}
	}
	return (best >= 0);
}

static bool
suggest_device(const char *wrong, char *out, size_t len)
{
	size_t i;
	int best, d;

	best = 99;
	for (i = 0; i < nitems(devices); i++) {
		d = util_distance(wrong, devices[i].name);
		if (d < best && d <= 3) {
			best = d;
			strlcpy(out, devices[i].name, len);
		}
	}
	return (best <= 3);
}

/* The check itself. */

struct kcheck {
	const struct bcfg *cfg;
	int		 flags;
	struct diags	*d;
};

static void
verr(struct kcheck *kc, const struct bcfg_var *v, const char *fmt, ...)
    __printflike(3, 4);

static void
verr(struct kcheck *kc, const struct bcfg_var *v, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(kc->d, DIAG_ERROR, v->file, v->line, "%s", msg);
}

static void
vwarn(struct kcheck *kc, const struct bcfg_var *v, const char *msg)
{

	diag_add(kc->d, DIAG_WARN, v->file, v->line, "%s: %s", v->key, msg);
}

/* Models that have rel as a key, comma separated, for a message. */
static void
models_with(const char *rel, char *out, size_t len)
{
	size_t i, j;
	unsigned mask;

	mask = 0;
	for (i = 0; i < nitems(keys); i++)
		if (keys[i].devs != 0 && pattern_match(keys[i].pattern, rel))
			mask |= keys[i].devs;
	out[0] = '\0';
	for (j = 0; j < nitems(devices); j++) {
		if ((mask & devices[j].bit) == 0)
			continue;
		if (out[0] != '\0')
			strlcat(out, ", ", len);
		strlcat(out, devices[j].name, len);
	}
}

static void
check_value(struct kcheck *kc, const struct bcfg_var *v,
    const struct bhyve_key *k)
{
	char buf[128], *lit;
	const char *why;

	if ((k->flags & BKF_15) && (kc->flags & BHYVE_KEYS_14))
		verr(kc, v, "%s: only bhyve of FreeBSD 15 and later knows "
		    "this key", v->key);
	if ((k->flags & BKF_14) && (kc->flags & BHYVE_KEYS_15))
		verr(kc, v, "%s: bhyve of FreeBSD 15 no longer reads this "
		    "key", v->key);
	/* A %(ref) is expanded by bhyve; its target is checked instead. */
	if (strstr(v->val, "%(") != NULL)
		return;
	if ((lit = bcfg_get_lit(kc->cfg, v->key)) == NULL)
		return;
	why = bhyve_value_problem(k, lit, buf, sizeof(buf));
	/* An unknown model is reported by check_device(). */
	if (why != NULL && k->type != BK_DEVICE)
		verr(kc, v, "%s: \"%s\": expected %s", v->key, lit, why);
	free(lit);
}

static void
check_device(struct kcheck *kc, const struct bcfg_var *v)
{
	char sug[64];
	size_t i;

	if (device_bit(v->val) != 0)
		return;
	for (i = 0; i < nitems(aliases); i++)
		if (strcmp(aliases[i].alias, v->val) == 0) {
			verr(kc, v, "%s: \"%s\" is a name for -s only; a "
			    "configuration writes %s", v->key, v->val,
			    aliases[i].how);
			return;
		}
	if (suggest_device(v->val, sug, sizeof(sug)))
		verr(kc, v, "%s: unknown device \"%s\"; did you mean %s?",
		    v->key, v->val, sug);
	else
		verr(kc, v, "%s: unknown device \"%s\"", v->key, v->val);
}

/* Whether an earlier variable lies under the same node prefix. */
static bool
first_in_node(const struct bcfg *cfg, size_t idx, size_t nodelen)
{
	size_t i;

	for (i = 0; i < idx; i++)
		if (strncmp(cfg->v[i].key, cfg->v[idx].key, nodelen) == 0 &&
		    cfg->v[i].key[nodelen] == '.')
			return (false);
	return (true);
}

static void
check_pci(struct kcheck *kc, size_t idx, const unsigned long bsf[3],
    const char *rest)
{
	const struct bcfg_var *v = &kc->cfg->v[idx];
	const struct bhyve_key *k;
	char sug[128], models[256];
	size_t nodelen;
	unsigned bit;
	const char *dev;

	nodelen = (size_t)(rest - v->key) - (*rest != '\0' ? 1 : 0);
	if (*rest == '\0') {
		verr(kc, v, "%s: a PCI slot is a node; write %s.device=MODEL "
		    "and the model's keys", v->key, v->key);
		return;
	}
	if (first_in_node(kc->cfg, idx, nodelen) &&
	    (bsf[0] > 255 || bsf[1] > 31 || bsf[2] > 7))
		verr(kc, v, "%.*s: no such PCI slot (bus 0-255, slot 0-31, "
		    "function 0-7)", (int)nodelen, v->key);
	if (strcmp(rest, "device") == 0) {
		check_device(kc, v);
		if (strcmp(v->val, "lpc") == 0 && bsf[0] != 0)
			verr(kc, v, "%s: the LPC bridge must be on bus 0",
			    v->key);
		return;
	}
	bit = slot_model(kc->cfg, v->key, nodelen);
	if (bit == 0) {
		dev = NULL;
		{
			char dk[64];

			if (nodelen + sizeof(".device") <= sizeof(dk)) {
				memcpy(dk, v->key, nodelen);
				memcpy(dk + nodelen, ".device",
				    sizeof(".device"));
				dev = bcfg_get(kc->cfg, dk);
			}
		}
		if (dev == NULL && first_in_node(kc->cfg, idx, nodelen))
			verr(kc, v, "%s: slot %.*s has no device; set "
			    "%.*s.device", v->key, (int)nodelen, v->key,
			    (int)nodelen, v->key);
		return;
	}
	if ((k = find_key(rest, bit)) != NULL) {
		check_value(kc, v, k);
		return;
	}
	if (suggest(rest, bit, sug, sizeof(sug))) {
		verr(kc, v, "%s: unknown key for %s; did you mean %.*s.%s?",
		    v->key, bhyve_device_name(bit), (int)nodelen, v->key,
		    sug);
		return;
	}
	models_with(rest, models, sizeof(models));
	if (models[0] != '\0')
		verr(kc, v, "%s: %s has no \"%s\" (that is a key of %s)",
		    v->key, bhyve_device_name(bit), rest, models);
	else
		verr(kc, v, "%s: unknown key for %s", v->key,
		    bhyve_device_name(bit));
}

static void
check_global(struct kcheck *kc, const struct bcfg_var *v)
{
	const struct bhyve_key *k;
	char sug[128];
	size_t i;

	if ((k = find_key(v->key, 0)) != NULL) {
		check_value(kc, v, k);
		return;
	}
	for (i = 0; i < nitems(mistakes); i++)
		if (strcmp(mistakes[i].key, v->key) == 0) {
			verr(kc, v, "%s: %s", v->key, mistakes[i].msg);
			return;
		}
	if (suggest(v->key, 0, sug, sizeof(sug)))
		verr(kc, v, "%s: unknown key; did you mean %s?", v->key, sug);
	else
		verr(kc, v, "%s: unknown key (bhyve would ignore it without "
		    "a word)", v->key);
}

/* Required keys of one device, reported at its device line. */
static void
check_required(struct kcheck *kc, const struct bcfg_var *dv)
{
	const struct bcfg *cfg = kc->cfg;
	char node[64], k[96];
	size_t n, i, pl;
	unsigned bit;
	const char *p;
	bool has;

	n = strlen(dv->key) - strlen(".device");
	if (n >= sizeof(node))
		return;
	memcpy(node, dv->key, n);
	node[n] = '\0';
	bit = device_bit(dv->val);
#define HAS(s) (snprintf(k, sizeof(k), "%s.%s", node, s), \
	    bcfg_find(cfg, k) != NULL)
	switch (bit) {
	case BD_PASSTHRU:
		if (!(HAS("bus") && HAS("slot") && HAS("func")) &&
		    !HAS("pptdev"))
			verr(kc, dv, "%s: passthru needs the host device: "
			    "%s.bus, .slot and .func, or .pptdev", node, node);
		p = bcfg_get(cfg, "memory.wired");
		if (p == NULL || bcfg_bool(p) != 1)
			diag_add(kc->d, DIAG_WARN, dv->file, dv->line,
			    "%s: passthru needs wired guest memory "
			    "(memory.wired=true, -S)", node);
		break;
	case BD_NVME:
		if (!HAS("path") && !HAS("ram"))
			verr(kc, dv, "%s: nvme needs %s.path (or .ram=MiB "
			    "for a memory disk)", node, node);
		break;
	case BD_VIRTIO_BLK:
		if (!HAS("path"))
			verr(kc, dv, "%s: virtio-blk needs %s.path", node,
			    node);
		break;
	case BD_VIRTIO_9P:
		if (!HAS("sharename") || !HAS("path"))
			verr(kc, dv, "%s: virtio-9p needs %s.sharename and "
			    ".path", node, node);
		break;
	case BD_VIRTIO_INPUT:
		if (!HAS("path"))
			verr(kc, dv, "%s: virtio-input needs %s.path", node,
			    node);
		break;
	case BD_AHCI:
	case BD_XHCI:
		/* Each port.N needs type and path; each slot.N a device. */
		pl = (size_t)snprintf(k, sizeof(k), "%s.%s.", node,
		    bit == BD_AHCI ? "port" : "slot");
		for (i = 0; i < cfg->n; i++) {
			const char *key = cfg->v[i].key, *e;
			char pn[96], q[128];

			if (strncmp(key, k, pl) != 0 ||
			    (e = strchr(key + pl, '.')) == NULL)
				continue;
			if ((size_t)(e - key) >= sizeof(pn))
				continue;
			memcpy(pn, key, (size_t)(e - key));
			pn[e - key] = '\0';
			if (!first_in_node(cfg, i, strlen(pn)))
				continue;
			if (bit == BD_AHCI) {
				snprintf(q, sizeof(q), "%s.type", pn);
				has = bcfg_find(cfg, q) != NULL;
				snprintf(q, sizeof(q), "%s.path", pn);
				if (!has || bcfg_find(cfg, q) == NULL)
					verr(kc, &cfg->v[i], "%s: an AHCI port "
					    "needs %s.type (hd or cd) and "
					    "%s.path", pn, pn, pn);
			} else {
				snprintf(q, sizeof(q), "%s.device", pn);
				if (bcfg_find(cfg, q) == NULL)
					verr(kc, &cfg->v[i], "%s: a USB slot "
					    "needs %s.device", pn, pn);
			}
		}
		break;
	default:
		break;
	}
#undef HAS
}

/*
 * calc_topology() in bhyverun.c: cores and threads default to 1, sockets
 * to the vCPU count (docs/freebsd.md B-ISO3); with cpus given, the
 * product must equal it or bhyve exits ("Topology (...) does not match").
 */
static void
check_topology(struct kcheck *kc)
{
	static const char *names[] = { "sockets", "cores", "threads" };
	const struct bcfg_var *cv, *v;
	long long n, prod, x[3];
	size_t i;

	if ((cv = bcfg_find(kc->cfg, "cpus")) == NULL ||
	    parse_ll(cv->val, 0, &n) != 0)
		return;
	for (i = 0; i < nitems(names); i++) {
		x[i] = i == 0 ? n : 1;
		if ((v = bcfg_find(kc->cfg, names[i])) == NULL)
			continue;
		if (parse_ll(v->val, 0, &x[i]) != 0 || x[i] < 1 || x[i] > U16)
			return;
	}
	prod = x[0] * x[1] * x[2];
	if (prod != n)
		verr(kc, cv, "cpus: %lld vCPUs, but sockets*cores*threads is "
		    "%lld (%lld*%lld*%lld%s); bhyve refuses the topology", n,
		    prod, x[0], x[1], x[2], bcfg_find(kc->cfg, "sockets") ==
		    NULL ? ", sockets unset: bhyve takes sockets=cpus" : "");
	for (i = 0; i < kc->cfg->n; i++) {
		unsigned long vc;
		const char *p;

		v = &kc->cfg->v[i];
		if (strncmp(v->key, "vcpu.", 5) != 0)
			continue;
		p = v->key + 5;
		if (util_parse_ulong(&p, 10, 100000, &vc) == 0 &&
		    (long long)vc >= n)
			vwarn(kc, v, "no such vCPU (cpus sets fewer); bhyve "
			    "ignores it");
	}
}

int
bhyve_keys_check(const struct bcfg *cfg, int flags, struct diags *d)
{
	struct kcheck kc;
	unsigned long bsf[3];
	const char *rest;
	size_t i;
	int before;

	kc.cfg = cfg;
	kc.flags = flags;
	kc.d = d;
	before = d->nerrors;
	for (i = 0; i < cfg->n; i++) {
		if (split_pci(cfg->v[i].key, bsf, &rest) == 0)
			check_pci(&kc, i, bsf, rest);
		else
			check_global(&kc, &cfg->v[i]);
	}
	for (i = 0; i < cfg->n; i++)
		if (split_pci(cfg->v[i].key, bsf, &rest) == 0 &&
		    strcmp(rest, "device") == 0)
			check_required(&kc, &cfg->v[i]);
	check_topology(&kc);
	if (d->oom)
		return (-1);
	return (d->nerrors - before);
}
