/*
 * pcicfg_restore.c: which writes bring a function's header back to a
 * saved image, and which must never be made.
 *
 * Written, in this order (the order of FreeBSD's pci_cfg_restore() and
 * Linux's pci_restore_state(): power first, decoding last): PMCSR to D0
 * (then 10 ms, the D3hot-to-D0 recovery time of PCI PM 1.2), the command
 * register with decoding off if it is on and a BAR changes, the BARs and
 * ROM BAR, cache line size, latency timer, interrupt line, the PCI Express
 * device control, link control and device control 2, vendor registers on
 * request, and the command register (never turning bus mastering on).
 *
 * Never written: vendor/device/subsystem IDs, revision, class, header
 * type, BIST (writing bit 6 starts a self test), the status register and
 * every other write-1-to-clear bit (PMCSR PME_Status, PCIe device status,
 * AER status), capability headers, MSI and MSI-X (their addresses belong
 * to the driver that enabled them), Initiate FLR (device control bit 15),
 * Link Disable and Retrain Link (link control bits 4 and 5), SR-IOV
 * (writing it can create virtual functions).
 */
#include "compat.h"

#include <stdio.h>
#include <string.h>

#include "pcicfg.h"

/* Per byte, for vendor registers. */
enum vkind {
	V_NONE,		/* not a vendor register */
	V_VENDOR,	/* written with PCICFG_RESTORE_VENDOR */
};

struct rctx {
	const struct pcicfg *s, *c;	/* saved, current (or NULL) */
	struct pcicfg_info is, ic;
	struct pcicfg_plan *p;
	struct diags	*d;
	uint8_t		 handled[PCICFG_EXT / 8];
	uint8_t		 vk[PCICFG_EXT];
	int		 err;
	bool		 cmd_set;	/* the command register was written */
	uint32_t	 cmd_now;	/* ... with this value */
};

static void
mark(struct rctx *r, unsigned off, unsigned n)
{
	unsigned i;

	for (i = off; i < off + n && i < PCICFG_EXT; i++)
		r->handled[i / 8] |= (uint8_t)(1 << (i % 8));
}

static bool
handled(const struct rctx *r, unsigned off)
{

	return ((r->handled[off / 8] & (1 << (off % 8))) != 0);
}

static void
add_write(struct rctx *r, unsigned off, unsigned width, uint32_t val,
    unsigned delay, bool vendor, const char *what)
{
	struct pcicfg_write *w;

	if (r->p->n == PCICFG_MAXWRITES) {
		r->err++;
		return;
	}
	w = &r->p->w[r->p->n++];
	w->off = (uint16_t)off;
	w->width = (uint8_t)width;
	w->val = val;
	w->delay_ms = delay;
	w->vendor = vendor;
	strlcpy(w->what, what, sizeof(w->what));
}

/*
 * Plans one write of the saved value (the bits of mask only) unless the
 * current value already has them.
 */
static void
want(struct rctx *r, unsigned off, unsigned width, uint32_t mask,
    unsigned delay, bool vendor, const char *what)
{
	uint32_t sv, cv;

	mark(r, off, width);
	if (!pcicfg_get(r->s, off, width, &sv))
		return;
	sv &= mask;
	if (r->c != NULL && pcicfg_get(r->c, off, width, &cv) &&
	    (cv & mask) == sv)
		return;
	add_write(r, off, width, sv, delay, vendor, what);
}

/*
 * The command register, last.  Bus mastering is never turned on: a
 * function on ppt(4) has it off until a guest's driver turns it on
 * through bhyve, and a device left with stale DMA state must not start.
 */
static void
plan_command(struct rctx *r)
{
	uint32_t sv, cv, val;

	mark(r, 0x04, 2);
	if (!pcicfg_get(r->s, 0x04, 2, &sv))
		return;
	cv = 0;
	if (r->c != NULL)
		(void)pcicfg_get(r->c, 0x04, 2, &cv);
	val = (sv & ~(uint32_t)0x0004) | (sv & cv & 0x0004);
	if ((sv & 0x0004) != 0 && (val & 0x0004) == 0)
		diag_note(r->d, NULL, 0, "bus mastering is left off: a guest's "
		    "driver turns it on through bhyve when it uses the "
		    "function");
	if (r->cmd_set)
		cv = r->cmd_now;
	if (r->c != NULL && cv == val)
		return;
	add_write(r, 0x04, 2, val, 0, false, "command");
}

static int
refuse(struct rctx *r)
{
	const struct pcicfg_info *s = &r->is, *c = &r->ic;

	if (s->dead) {
		diag_err(r->d, NULL, 0, "the saved image reads all 0xFF: it "
		    "was taken of a function that did not answer, so there is "
		    "nothing to restore");
		return (-1);
	}
	if (s->hdr != 0) {
		diag_err(r->d, NULL, 0, "the saved image has header type %u "
		    "(a bridge): ptvm restores only functions with header "
		    "type 0", s->hdr);
		return (-1);
	}
	if (r->c == NULL)
		return (0);
	if (c->dead) {
		diag_err(r->d, NULL, 0, "the function does not answer (it "
		    "reads all 0xFF): writing its header cannot help; this is "
		    "the reset bug or a device that fell off the bus, and only "
		    "a host reboot brings it back");
		return (-1);
	}
	if (s->vendor != c->vendor || s->device != c->device ||
	    s->subvendor != c->subvendor || s->subdevice != c->subdevice ||
	    c->hdr != 0) {
		diag_err(r->d, NULL, 0, "the saved image is of %04x:%04x "
		    "subsystem %04x:%04x, the function is %04x:%04x subsystem "
		    "%04x:%04x header type %u: not the same device, nothing is "
		    "written", s->vendor, s->device, s->subvendor, s->subdevice,
		    c->vendor, c->device, c->subvendor, c->subdevice, c->hdr);
		return (-1);
	}
	return (0);
}

static void
plan_power(struct rctx *r)
{
	unsigned pm = r->is.pm_off;

	if (pm == 0 || (r->c != NULL && r->ic.pm_off != pm))
		return;
	mark(r, pm + 4, 2);
	if (r->is.power != PCICFG_D0) {
		diag_note(r->d, NULL, 0, "the saved image is in %s: the power "
		    "state is not restored", pcicfg_power_name(r->is.power));
		return;
	}
	/* Power state, PME_En, data select; never PME_Status (RW1C). */
	want(r, pm + 4, 2, 0x1f03, r->c == NULL ||
	    r->ic.power != PCICFG_D0 ? 10 : 0, false, "power state (PMCSR)");
}

/*
 * A BAR must not decode a half-written address: when decoding is on and
 * a BAR changes, decoding goes off first (and comes back with the command
 * register, last).
 */
static void
plan_decode_off(struct rctx *r)
{
	uint32_t cv, a, b;
	unsigned off;
	bool change;

	if (r->c == NULL || !pcicfg_get(r->c, 0x04, 2, &cv) ||
	    (cv & 0x0003) == 0)
		return;
	for (off = 0x10, change = false; off <= 0x30 && !change; off += 4)
		change = (off <= 0x24 || off == 0x30) &&
		    pcicfg_get(r->s, off, 4, &a) &&
		    pcicfg_get(r->c, off, 4, &b) && a != b;
	if (!change)
		return;
	r->cmd_set = true;
	r->cmd_now = cv & ~(uint32_t)0x0003;
	add_write(r, 0x04, 2, r->cmd_now, 0, false,
	    "command: decoding off while the BARs change");
}

static void
plan_header(struct rctx *r)
{
	static const char *const bars[] = { "BAR0", "BAR1", "BAR2", "BAR3",
	    "BAR4", "BAR5" };
	unsigned i;

	for (i = 0; i < 6; i++)
		want(r, 0x10 + 4 * i, 4, 0xffffffff, 0, false, bars[i]);
	want(r, 0x30, 4, 0xffffffff, 0, false, "ROM BAR");
	want(r, 0x0c, 1, 0xff, 0, false, "cache line size");
	want(r, 0x0d, 1, 0xff, 0, false, "latency timer");
	want(r, 0x3c, 1, 0xff, 0, false, "interrupt line");
}

static void
plan_pcie(struct rctx *r)
{
	unsigned p = r->is.pcie_off;
	uint32_t flags;

	if (p == 0 || (r->c != NULL && r->ic.pcie_off != p))
		return;
	want(r, p + 0x08, 2, 0x7fff, 0, false, "PCIe device control");
	want(r, p + 0x10, 2, 0xffcf, 0, false, "PCIe link control");
	if (pcicfg_get(r->s, p + 2, 2, &flags) && (flags & 0xf) >= 2)
		want(r, p + 0x28, 2, 0xffff, 0, false,
		    "PCIe device control 2");
}

/* The length of a standard capability, as far as the planner knows it. */
static unsigned
cap_len(const struct pcicfg *s, const struct pcicfg_cap *cp)
{
	uint32_t v;

	switch (cp->id) {
	case 0x01:
		return (8);
	case 0x05:
		(void)pcicfg_get(s, cp->off + 2u, 2, &v);
		return (10 + ((v & 0x80) ? 4 : 0) + ((v & 0x100) ? 10 : 0));
	case 0x09:
		return (3);	/* ID, next, length; the rest is vendor's */
	case 0x10:
		return (0x3c);
	case 0x11:
		return (12);
	default:
		return (PCICFG_STD);	/* up to the next capability */
	}
}

/* Vendor registers of 0x40-0xff: outside every capability it knows. */
static void
vendor_std(struct rctx *r)
{
	const struct pcicfg_info *in = &r->is;
	unsigned i, k, end, len;

	for (i = 0x40; i < PCICFG_STD; i++)
		r->vk[i] = V_VENDOR;
	for (i = 0; i < in->ncap; i++) {
		len = cap_len(r->s, &in->cap[i]);
		end = in->cap[i].off + len;
		for (k = 0; k < in->ncap; k++)
			if (in->cap[k].off > in->cap[i].off &&
			    in->cap[k].off < end)
				end = in->cap[k].off;
		for (k = in->cap[i].off; k < end && k < PCICFG_STD; k++)
			r->vk[k] = V_NONE;
	}
}

static void
none(struct rctx *r, unsigned off, unsigned n)
{
	unsigned i;

	for (i = off; i < off + n && i < PCICFG_EXT; i++)
		r->vk[i] = V_NONE;
}

/* Above 0xff: all but headers, error status and SR-IOV. */
static void
vendor_ext(struct rctx *r)
{
	const struct pcicfg_info *in = &r->is;
	const struct pcicfg_cap *e;
	unsigned i, k, end;

	for (i = PCICFG_STD; i < PCICFG_EXT; i++)
		r->vk[i] = V_VENDOR;
	for (i = 0; i < in->necap; i++) {
		e = &in->ecap[i];
		none(r, e->off, 4);
		if (e->id == 0x0001) {		/* AER: RW1C, RO */
			none(r, e->off + 0x04, 4);	/* uncorrectable */
			none(r, e->off + 0x10, 4);	/* correctable */
			none(r, e->off + 0x1c, 16);	/* header log */
			none(r, e->off + 0x30, 8);	/* root status */
		} else if (e->id == 0x000b)	/* VSEC header */
			none(r, e->off + 0x04, 4);
		else if (e->id == 0x0019)	/* lane error status */
			none(r, e->off + 0x08, 4);
		else if (e->id == 0x001d)	/* DPC status */
			none(r, e->off + 0x08, 4);
		else if (e->id == 0x0003 || e->id == 0x0010) {
			for (end = PCICFG_EXT, k = 0; k < in->necap; k++)
				if (in->ecap[k].off > e->off &&
				    in->ecap[k].off < end)
					end = in->ecap[k].off;
			none(r, e->off, end - e->off);	/* DSN, SR-IOV */
		}
	}
}

static void
plan_vendor(struct rctx *r)
{
	unsigned off, i, n;

	if (r->c == NULL) {
		diag_note(r->d, NULL, 0, "vendor registers are written only "
		    "where the current values are known; none planned");
		return;
	}
	vendor_std(r);
	if (r->is.ecaps_known)
		vendor_ext(r);
	for (off = 0x40; off < PCICFG_EXT; off += 4) {
		for (i = n = 0; i < 4; i++)
			n += r->vk[off + i] == V_VENDOR && !handled(r, off + i);
		if (n == 4)
			want(r, off, 4, 0xffffffff, 0, true, "vendor register");
		else
			for (i = 0; i < 4; i++)
				if (r->vk[off + i] == V_VENDOR &&
				    !handled(r, off + i))
					want(r, off + i, 1, 0xff, 0, true,
					    "vendor register");
	}
}

static bool
differs(const struct rctx *r, unsigned off)
{

	return (pcicfg_known(r->s, off, 1) && pcicfg_known(r->c, off, 1) &&
	    r->s->b[off] != r->c->b[off]);
}

/* Notes on the differences the plan leaves, so none is silent. */
static void
note_left(struct rctx *r, unsigned flags)
{
	static const struct {
		unsigned	 off, n;
		const char	*what;
	} ro[] = {
		{ 0x00, 4, "vendor/device ID (read-only)" },
		{ 0x06, 2, "status (write-1-to-clear)" },
		{ 0x08, 4, "revision/class (read-only)" },
		{ 0x0e, 1, "header type (read-only)" },
		{ 0x0f, 1, "BIST (writing it starts a self test)" },
		{ 0x28, 4, "CardBus CIS pointer (read-only)" },
		{ 0x2c, 4, "subsystem IDs (read-only)" },
		{ 0x34, 8, "capability pointer and reserved (read-only)" },
		{ 0x3d, 3, "interrupt pin, min grant, max latency "
		    "(read-only)" },
	};
	unsigned i, k, std, ext;

	for (i = 0; i < nitems(ro); i++)
		for (k = ro[i].off; k < ro[i].off + ro[i].n; k++)
			if (differs(r, k)) {
				diag_note(r->d, NULL, 0, "0x%02x %s differs: "
				    "not written", ro[i].off, ro[i].what);
				r->p->nskipped++;
				break;
			}
	for (i = 0x40, std = ext = 0; i < PCICFG_EXT; i++)
		if (differs(r, i) && !handled(r, i)) {
			std += i < PCICFG_STD;
			ext += i >= PCICFG_STD;
		}
	if (std > 0)
		diag_note(r->d, NULL, 0, "%u bytes in 0x40-0xff differ in "
		    "status, read-only, MSI/MSI-X%s registers: not written",
		    std, (flags & PCICFG_RESTORE_VENDOR) ? "" :
		    " or vendor (--unsafe-vendor-registers)");
	if (ext > 0)
		diag_note(r->d, NULL, 0, "%u bytes above 0xff differ: %s", ext,
		    (flags & PCICFG_RESTORE_VENDOR) ? "error status, "
		    "capability headers, serial number and SR-IOV are never "
		    "written" : "the extended space holds vendor registers, "
		    "written only with --unsafe-vendor-registers");
	r->p->nskipped += std + ext;
}

int
pcicfg_restore_plan(const struct pcicfg *saved, const struct pcicfg *cur,
    unsigned flags, struct pcicfg_plan *p, struct diags *d)
{
	struct rctx r;

	memset(p, 0, sizeof(*p));
	memset(&r, 0, sizeof(r));
	r.s = saved;
	r.c = cur;
	r.p = p;
	r.d = d;
	pcicfg_decode(saved, &r.is);
	if (cur != NULL)
		pcicfg_decode(cur, &r.ic);
	if (refuse(&r) != 0)
		return (-1);
	/* Never written, whatever the flags. */
	mark(&r, 0x00, 4);
	mark(&r, 0x06, 2);
	mark(&r, 0x08, 4);
	mark(&r, 0x0e, 2);
	mark(&r, 0x28, 8);
	mark(&r, 0x34, 8);
	mark(&r, 0x3d, 3);
	plan_power(&r);
	plan_decode_off(&r);
	plan_header(&r);
	plan_pcie(&r);
	mark(&r, 0x04, 2);		/* the command register comes last */
	if (flags & PCICFG_RESTORE_VENDOR)
		plan_vendor(&r);
	plan_command(&r);
	if (cur != NULL)
		note_left(&r, flags);
	if (r.err != 0) {
		diag_err(d, NULL, 0, "more than %d writes planned: the saved "
		    "image and the function differ too much", PCICFG_MAXWRITES);
		return (-1);
	}
	return (0);
}
