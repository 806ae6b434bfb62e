/*
 * pcicfg_decode.c: the registers of a configuration-space image, decoded
 * and put in words.
 *
 * Register layouts (PCI Local Bus 3.0, PCI PM 1.2, PCI Express Base 6.0;
 * the same offsets as FreeBSD's sys/dev/pci/pcireg.h):
 *   0x04 command: bit 0 I/O space, 1 memory space, 2 bus master,
 *        6 parity error response, 8 SERR# enable, 10 INTx disable;
 *   0x06 status: bit 3 interrupt, 4 capability list, 8 master data parity
 *        error, 11-15 target/master aborts, SERR#, parity (all RW1C);
 *   0x10-0x24 BARs: bit 0 I/O; memory type in bits 2:1 (0 32-bit,
 *        1 below 1 MiB, 2 64-bit, taking the next BAR), bit 3
 *        prefetchable; 0x30 ROM BAR, bit 0 enable (0x38 for bridges);
 *   0x34 capability pointer (0x14 for CardBus), each capability an ID
 *        byte and a next pointer;
 *   PM (0x01) +4 PMCSR: bits 1:0 D0-D3hot, 3 No_Soft_Reset, 8 PME_En,
 *        15 PME_Status (RW1C);
 *   PCIe (0x10) +2 flags (port type in 7:4), +4 device capabilities (FLR
 *        bit 28), +8 device control, +0x0c link capabilities (speed 3:0,
 *        width 9:4), +0x10 link control, +0x12 link status (speed 3:0,
 *        width 9:4, training 11, data link layer active 13);
 *   MSI (0x05) +2 control, bit 0 enable; MSI-X (0x11) +2 control, table
 *        size - 1 in 10:0, function mask 14, enable 15;
 *   extended capabilities from 0x100: ID 15:0, version 19:16, next 31:20.
 */
#include "compat.h"

#include <stdio.h>
#include <string.h>

#include "pcicfg.h"

static uint32_t
rd(const struct pcicfg *c, unsigned off, unsigned n)
{
	uint32_t v;

	(void)pcicfg_get(c, off, n, &v);
	return (v);
}

static void
decode_bars(const struct pcicfg *c, struct pcicfg_info *in)
{
	struct pcicfg_bar *b;
	unsigned i, nbars, romoff;
	uint32_t v;

	nbars = in->hdr == 0 ? 6 : in->hdr == 1 ? 2 : 0;
	romoff = in->hdr == 0 ? 0x30 : in->hdr == 1 ? 0x38 : 0;
	for (i = 0; i < nbars; i++) {
		b = &in->bar[in->nbar++];
		b->index = (int)i;
		b->off = 0x10 + 4 * i;
		if (!pcicfg_get(c, b->off, 4, &v) || v == 0)
			continue;
		b->raw = v;
		if (v & 1) {
			b->type = PCICFG_BAR_IO;
			b->addr = v & ~(uint32_t)3;
			continue;
		}
		b->prefetch = (v & 8) != 0;
		b->addr = v & ~(uint32_t)0xf;
		switch ((v >> 1) & 3) {
		case 2:
			b->type = PCICFG_BAR_MEM64;
			if (i + 1 < nbars)
				b->addr |= (uint64_t)rd(c, b->off + 4, 4) << 32;
			i++;
			break;
		case 1:
			b->type = PCICFG_BAR_MEM1M;
			break;
		default:
			b->type = PCICFG_BAR_MEM32;
			break;
		}
	}
	if (romoff != 0 && pcicfg_get(c, romoff, 4, &v)) {
		b = &in->bar[in->nbar++];
		b->index = 6;
		b->off = romoff;
		b->raw = v;
		b->type = v == 0 ? PCICFG_BAR_NONE : PCICFG_BAR_ROM;
		b->addr = v & 0xfffff800;
		b->rom_enabled = (v & 1) != 0;
	}
}

static void
decode_cap(const struct pcicfg *c, struct pcicfg_info *in, unsigned id,
    unsigned p)
{
	uint32_t v;

	if (id == 0x01 && in->pm_off == 0) {
		in->pm_off = (uint16_t)p;
		in->pmcsr = (uint16_t)rd(c, p + 4, 2);
		in->power = (enum pcicfg_power)(in->pmcsr & 3);
		in->nosoftrst = (in->pmcsr & 0x0008) != 0;
	} else if (id == 0x05 && in->msi_off == 0) {
		in->msi_off = (uint16_t)p;
		in->msi_ctl = (uint16_t)rd(c, p + 2, 2);
		in->msi_enabled = (in->msi_ctl & 1) != 0;
	} else if (id == 0x10 && in->pcie_off == 0) {
		in->pcie_off = (uint16_t)p;
		in->pcie_type = (rd(c, p + 2, 2) >> 4) & 0xf;
		in->flr = (rd(c, p + 4, 4) & (1u << 28)) != 0;
		in->devctl = (uint16_t)rd(c, p + 8, 2);
		in->devsta = (uint16_t)rd(c, p + 0x0a, 2);
		v = rd(c, p + 0x0c, 4);
		in->link_max_speed = v & 0xf;
		in->link_max_width = (v >> 4) & 0x3f;
		in->lnkctl = (uint16_t)rd(c, p + 0x10, 2);
		in->lnksta = (uint16_t)rd(c, p + 0x12, 2);
		in->link_speed = in->lnksta & 0xf;
		in->link_width = (in->lnksta >> 4) & 0x3f;
		in->link_training = (in->lnksta & 0x0800) != 0;
		in->link_dll_active = (in->lnksta & 0x2000) != 0;
	} else if (id == 0x11 && in->msix_off == 0) {
		in->msix_off = (uint16_t)p;
		in->msix_ctl = (uint16_t)rd(c, p + 2, 2);
		in->msix_size = (in->msix_ctl & 0x7ff) + 1u;
		in->msix_masked = (in->msix_ctl & 0x4000) != 0;
		in->msix_enabled = (in->msix_ctl & 0x8000) != 0;
	}
}

static void
decode_caps(const struct pcicfg *c, struct pcicfg_info *in)
{
	uint8_t seen[PCICFG_STD / 8];
	unsigned p, n;

	if ((in->status & 0x0010) == 0 || in->hdr > 2)
		return;
	memset(seen, 0, sizeof(seen));
	p = rd(c, in->hdr == 2 ? 0x14 : 0x34, 1) & 0xfc;
	for (n = 0; p != 0; n++) {
		if (n == PCICFG_MAXCAPS || p < 0x40 || !pcicfg_known(c, p, 2) ||
		    (seen[p / 8] & (1 << (p % 8))) != 0) {
			in->caps_broken = true;
			return;
		}
		seen[p / 8] |= (uint8_t)(1 << (p % 8));
		in->cap[in->ncap].id = c->b[p];
		in->cap[in->ncap].off = (uint16_t)p;
		in->ncap++;
		decode_cap(c, in, c->b[p], p);
		p = c->b[p + 1] & 0xfc;
	}
}

static void
decode_ecaps(const struct pcicfg *c, struct pcicfg_info *in)
{
	uint8_t seen[PCICFG_EXT / 32];
	unsigned p, n;
	uint32_t h;

	if (in->pcie_off == 0 || !pcicfg_get(c, 0x100, 4, &h))
		return;
	in->ecaps_known = true;
	if (h == 0 || h == 0xffffffff)
		return;
	memset(seen, 0, sizeof(seen));
	for (p = 0x100, n = 0; p != 0; n++) {
		if (p < 0x100 || !pcicfg_get(c, p, 4, &h) || h == 0 ||
		    h == 0xffffffff ||
		    (seen[p / 32] & (1 << (p / 4 % 8))) != 0 ||
		    n >= (PCICFG_EXT - PCICFG_STD) / 4) {
			in->caps_broken = true;
			return;
		}
		seen[p / 32] |= (uint8_t)(1 << (p / 4 % 8));
		if (in->necap < PCICFG_MAXECAPS) {
			in->ecap[in->necap].id = (uint16_t)(h & 0xffff);
			in->ecap[in->necap].ver = (uint8_t)((h >> 16) & 0xf);
			in->ecap[in->necap].off = (uint16_t)p;
			in->necap++;
		}
		p = (h >> 20) & 0xffc;
	}
}

void
pcicfg_decode(const struct pcicfg *c, struct pcicfg_info *in)
{

	memset(in, 0, sizeof(*in));
	in->vendor = (uint16_t)rd(c, 0x00, 2);
	in->device = (uint16_t)rd(c, 0x02, 2);
	in->dead = pcicfg_known(c, 0, 2) && in->vendor == 0xffff;
	in->command = (uint16_t)rd(c, 0x04, 2);
	in->status = (uint16_t)rd(c, 0x06, 2);
	in->rev = (uint8_t)rd(c, 0x08, 1);
	in->class = rd(c, 0x09, 3);
	in->hdr = (uint8_t)(rd(c, 0x0e, 1) & 0x7f);
	if (in->dead)
		return;
	if (in->hdr == 0) {
		in->subvendor = (uint16_t)rd(c, 0x2c, 2);
		in->subdevice = (uint16_t)rd(c, 0x2e, 2);
	}
	in->intline = (uint8_t)rd(c, 0x3c, 1);
	in->intpin = (uint8_t)rd(c, 0x3d, 1);
	decode_bars(c, in);
	decode_caps(c, in);
	decode_ecaps(c, in);
}

/*
 * Words.
 */
static void
list_add(struct strbuf *sb, bool *first, const char *s)
{

	if (!*first)
		sb_puts(sb, ", ");
	sb_puts(sb, s);
	*first = false;
}

void
pcicfg_command_text(uint16_t v, struct strbuf *sb)
{
	bool first = true;

	list_add(sb, &first, v & 0x0001 ? "I/O decoding on" :
	    "I/O decoding off");
	list_add(sb, &first, v & 0x0002 ? "memory decoding on" :
	    "memory decoding off");
	list_add(sb, &first, v & 0x0004 ? "bus master on" : "bus master off");
	list_add(sb, &first, v & 0x0400 ? "INTx disabled" : "INTx enabled");
	if (v & 0x0040)
		list_add(sb, &first, "parity errors reported");
	if (v & 0x0100)
		list_add(sb, &first, "SERR# enabled");
}

static const struct {
	uint16_t	 bit;
	const char	*name;
} status_bits[] = {
	{ 0x0008, "interrupt pending" },
	{ 0x0010, "capability list" },
	{ 0x0020, "66 MHz" },
	{ 0x0080, "fast back-to-back" },
	{ 0x0100, "master data parity error" },
	{ 0x0800, "signaled target abort" },
	{ 0x1000, "received target abort" },
	{ 0x2000, "received master abort" },
	{ 0x4000, "signaled system error" },
	{ 0x8000, "detected parity error" },
};

void
pcicfg_status_text(uint16_t v, struct strbuf *sb)
{
	bool first = true;
	size_t i;

	for (i = 0; i < nitems(status_bits); i++)
		if (v & status_bits[i].bit)
			list_add(sb, &first, status_bits[i].name);
	if (first)
		sb_puts(sb, "no flags");
}

void
pcicfg_bar_text(const struct pcicfg_bar *b, struct strbuf *sb)
{
	const char *kind;

	switch (b->type) {
	case PCICFG_BAR_NONE:
		sb_puts(sb, b->index == 6 ? "none" : "not implemented "
		    "(reads 0)");
		return;
	case PCICFG_BAR_ROM:
		if (b->addr == 0)
			sb_printf(sb, "expansion ROM, no address, %s",
			    b->rom_enabled ? "enabled" : "disabled");
		else
			sb_printf(sb, "expansion ROM at 0x%08jx, %s",
			    (uintmax_t)b->addr, b->rom_enabled ? "enabled" :
			    "disabled");
		return;
	case PCICFG_BAR_IO:
		kind = "I/O ports";
		break;
	case PCICFG_BAR_MEM64:
		kind = b->prefetch ? "64-bit prefetchable memory" :
		    "64-bit memory";
		break;
	case PCICFG_BAR_MEM1M:
		kind = "memory below 1 MiB";
		break;
	default:
		kind = b->prefetch ? "32-bit prefetchable memory" :
		    "32-bit memory";
		break;
	}
	if (b->addr == 0)
		sb_printf(sb, "%s, no address (cleared or unassigned)", kind);
	else
		sb_printf(sb, "%s at 0x%0*jx", kind, b->type ==
		    PCICFG_BAR_IO ? 4 : 8, (uintmax_t)b->addr);
}

const char *
pcicfg_power_name(enum pcicfg_power p)
{
	static const char *const names[] = { "D0", "D1", "D2", "D3hot" };

	return ((unsigned)p < nitems(names) ? names[p] : "?");
}

const char *
pcicfg_speed_name(unsigned s)
{
	static const char *const names[] = { "?", "2.5 GT/s", "5.0 GT/s",
	    "8.0 GT/s", "16.0 GT/s", "32.0 GT/s", "64.0 GT/s" };

	return (s < nitems(names) ? names[s] : "?");
}

static const char *
pcie_type_name(unsigned t)
{
	static const char *const names[] = { "endpoint", "legacy endpoint",
	    "?", "?", "root port", "upstream switch port",
	    "downstream switch port", "PCIe-to-PCI bridge",
	    "PCI-to-PCIe bridge", "root complex integrated endpoint",
	    "root complex event collector" };

	return (t < nitems(names) ? names[t] : "?");
}

const char *
pcicfg_cap_name(uint16_t id)
{
	static const char *const names[] = { "null", "power management",
	    "AGP", "VPD", "slot ID", "MSI", "CompactPCI hot swap", "PCI-X",
	    "HyperTransport", "vendor-specific", "debug port",
	    "CompactPCI control", "hot plug", "bridge subsystem IDs",
	    "AGP 8x", "secure device", "PCI Express", "MSI-X", "SATA",
	    "advanced features", "enhanced allocation",
	    "flattening portal bridge" };

	return (id < nitems(names) ? names[id] : "unknown");
}

const char *
pcicfg_ecap_name(uint16_t id)
{
	static const char *const names[] = { "null",
	    "advanced error reporting", "virtual channel",
	    "device serial number", "power budgeting",
	    "root complex link declaration", "root complex internal link",
	    "root complex event collector", "multi-function VC",
	    "virtual channel", "RCRB header", "vendor-specific",
	    "configuration access correlation", "access control services",
	    "alternative routing-ID", "address translation services",
	    "SR-IOV", "MR-IOV", "multicast", "page request",
	    "reserved for AMD", "resizable BAR", "dynamic power allocation",
	    "TPH requester", "latency tolerance reporting",
	    "secondary PCI Express", "protocol multiplexing", "PASID",
	    "LN requester", "downstream port containment",
	    "L1 PM substates", "precision time measurement", "M-PCIe",
	    "FRS queueing", "readiness time reporting",
	    "designated vendor-specific", "VF resizable BAR",
	    "data link feature", "physical layer 16.0 GT/s",
	    "lane margining at the receiver", "hierarchy ID",
	    "native PCIe enclosure management", "physical layer 32.0 GT/s",
	    "alternate protocol", "system firmware intermediary",
	    "shadow functions", "data object exchange", "device 3",
	    "integrity and data encryption", "physical layer 64.0 GT/s" };

	return (id < nitems(names) ? names[id] : "unknown");
}

static void
describe_cap(const struct pcicfg_info *in, const struct pcicfg_cap *cp,
    struct strbuf *sb)
{

	sb_puts(sb, pcicfg_cap_name(cp->id));
	if (cp->off == in->pm_off)
		sb_printf(sb, ", %s%s", pcicfg_power_name(in->power),
		    in->nosoftrst ? ", no soft reset" : "");
	else if (cp->off == in->pcie_off)
		sb_printf(sb, " %s, link %s x%u (capable of %s x%u)%s%s%s",
		    pcie_type_name(in->pcie_type),
		    pcicfg_speed_name(in->link_speed), in->link_width,
		    pcicfg_speed_name(in->link_max_speed), in->link_max_width,
		    in->link_training ? ", training" : "",
		    in->link_dll_active ? ", data link up" : "",
		    in->flr ? ", FLR" : "");
	else if (cp->off == in->msi_off)
		sb_printf(sb, ", %s", in->msi_enabled ? "enabled" :
		    "disabled");
	else if (cp->off == in->msix_off)
		sb_printf(sb, ", %u vectors, %s%s", in->msix_size,
		    in->msix_enabled ? "enabled" : "disabled",
		    in->msix_masked ? ", masked" : "");
}

static void
describe_bars(const struct pcicfg_info *in, const char *pfx,
    struct strbuf *sb)
{
	const struct pcicfg_bar *b;
	int i;

	for (i = 0; i < in->nbar; i++) {
		b = &in->bar[i];
		if (b->index == 6)
			sb_printf(sb, "%sROM (0x%02x): ", pfx, b->off);
		else
			sb_printf(sb, "%sBAR%d (0x%02x): ", pfx, b->index,
			    b->off);
		pcicfg_bar_text(b, sb);
		sb_putc(sb, '\n');
	}
}

void
pcicfg_describe(const struct pcicfg *c, const char *pfx, struct strbuf *sb)
{
	struct pcicfg_info in;
	enum pcicfg_sig sig;
	size_t i;

	pcicfg_decode(c, &in);
	sig = pcicfg_signature(c, NULL);
	if (in.dead) {
		sb_printf(sb, "%sthe function does not answer: its vendor ID "
		    "reads 0xffff\n%ssignature: %s: %s\n", pfx, pfx,
		    pcicfg_sig_name(sig), pcicfg_sig_text(sig));
		return;
	}
	sb_printf(sb, "%sdevice %04x:%04x revision 0x%02x, class %06x, "
	    "subsystem %04x:%04x, header type %u\n", pfx, in.vendor,
	    in.device, in.rev, in.class, in.subvendor, in.subdevice, in.hdr);
	sb_printf(sb, "%scommand 0x%04x: ", pfx, in.command);
	pcicfg_command_text(in.command, sb);
	sb_printf(sb, "\n%sstatus 0x%04x: ", pfx, in.status);
	pcicfg_status_text(in.status, sb);
	sb_putc(sb, '\n');
	describe_bars(&in, pfx, sb);
	sb_printf(sb, "%sinterrupt line 0x%02x, pin %c\n", pfx, in.intline,
	    in.intpin >= 1 && in.intpin <= 4 ? 'A' + in.intpin - 1 : '-');
	for (i = 0; i < in.ncap; i++) {
		sb_printf(sb, "%scapability 0x%02x: ", pfx, in.cap[i].off);
		describe_cap(&in, &in.cap[i], sb);
		sb_putc(sb, '\n');
	}
	for (i = 0; i < in.necap; i++)
		sb_printf(sb, "%sextended capability 0x%03x: %s (0x%04x) "
		    "version %u\n", pfx, in.ecap[i].off,
		    pcicfg_ecap_name(in.ecap[i].id), in.ecap[i].id,
		    in.ecap[i].ver);
	if (in.caps_broken)
		sb_printf(sb, "%sthe capability list is broken (a loop or a "
		    "pointer out of range)\n", pfx);
	sb_printf(sb, "%ssignature: %s%s%s\n", pfx, pcicfg_sig_name(sig),
	    sig != PCICFG_SIG_NONE ? ": " : "", sig != PCICFG_SIG_NONE ?
	    pcicfg_sig_text(sig) : "");
}
