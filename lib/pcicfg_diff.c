/*
 * pcicfg_diff.c: failure signatures, and the difference of two images
 * explained in words.
 *
 * What the signatures stand for, as seen on passthrough hosts:
 *   - all 0xFF: the function no longer answers configuration reads; the
 *     reset bug of many AMD GPUs (a failed or missing reset leaves it
 *     hung) or a link that went down; only a reboot or power cycle helps;
 *   - D3hot: a guest driver put the function to sleep and nothing woke
 *     it; a bus reset or reboot is needed;
 *   - BARs without their addresses, or memory decoding turned off: the
 *     reset returned the header to its defaults (vfio logs this as "was
 *     0xc, writing 0xc000000c") or a driver left decoding off; writing
 *     the saved header back fixes it (a rescan does not: the PCI bus's
 *     rescan only adds new functions and deletes vanished ones,
 *     freebsd.md#D4).
 * Memory decoding off on its own is not a signature of one image, since
 * ppt(4) turns it off while no VM uses the function.
 */
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pcicfg.h"

const char *
pcicfg_sig_name(enum pcicfg_sig s)
{
	static const char *const names[] = { "none", "bar-disabled",
	    "d3hot", "dead" };

	return ((unsigned)s < nitems(names) ? names[s] : "?");
}

const char *
pcicfg_sig_text(enum pcicfg_sig s)
{

	switch (s) {
	case PCICFG_SIG_BAR_DISABLED:
		return ("memory decoding is off, or a BAR lost or changed its "
		    "address: a guest driver or a reset left the function "
		    "disabled; restoring the saved header (ptvm pci restore) "
		    "usually fixes it (devctl rescan does not: it only finds "
		    "new functions)");
	case PCICFG_SIG_D3HOT:
		return ("the function is stuck in D3hot (powered down): it was "
		    "put to sleep and did not wake up; a bus reset or a host "
		    "reboot usually brings it back");
	case PCICFG_SIG_DEAD:
		return ("the function no longer answers (it reads all 0xFF): "
		    "the reset bug of many AMD GPUs, or a device that fell "
		    "off the bus; only a host reboot, sometimes a power "
		    "cycle, brings it back");
	default:
		return ("no known failure signature");
	}
}

static const struct pcicfg_bar *
bar_find(const struct pcicfg_info *in, int index)
{
	int i;

	for (i = 0; i < in->nbar; i++)
		if (in->bar[i].index == index)
			return (&in->bar[i]);
	return (NULL);
}

/* Every implemented BAR without an address (or a GPU without BARs). */
static bool
bars_cleared(const struct pcicfg_info *in)
{
	int i, impl, addr;

	if (in->hdr != 0)
		return (false);
	for (i = impl = addr = 0; i < in->nbar; i++)
		if (in->bar[i].index < 6 &&
		    in->bar[i].type != PCICFG_BAR_NONE) {
			impl++;
			addr += in->bar[i].addr != 0;
		}
	return (impl > 0 ? addr == 0 : (in->class >> 16) == 0x03);
}

/* A BAR that had an address and lost or changed it. */
static bool
bars_lost(const struct pcicfg_info *before, const struct pcicfg_info *now)
{
	const struct pcicfg_bar *a, *b;
	int i;

	for (i = 0; i < before->nbar; i++) {
		a = &before->bar[i];
		if (a->index == 6 || a->addr == 0)
			continue;
		if ((b = bar_find(now, a->index)) == NULL || b->addr != a->addr)
			return (true);
	}
	return (false);
}

enum pcicfg_sig
pcicfg_signature(const struct pcicfg *now, const struct pcicfg *before)
{
	struct pcicfg_info a, b;

	pcicfg_decode(now, &a);
	if (a.dead)
		return (PCICFG_SIG_DEAD);
	if (a.pm_off != 0 && a.power == PCICFG_D3HOT)
		return (PCICFG_SIG_D3HOT);
	if (bars_cleared(&a))
		return (PCICFG_SIG_BAR_DISABLED);
	if (before == NULL)
		return (PCICFG_SIG_NONE);
	pcicfg_decode(before, &b);
	if (b.dead)
		return (PCICFG_SIG_NONE);
	if ((b.command & 0x0002) != 0 && (a.command & 0x0002) == 0)
		return (PCICFG_SIG_BAR_DISABLED);
	if (b.hdr == a.hdr && bars_lost(&b, &a))
		return (PCICFG_SIG_BAR_DISABLED);
	return (PCICFG_SIG_NONE);
}

/*
 * The diff.
 */
struct dctx {
	struct pcicfg_diff *d;
	const struct pcicfg *a, *b;
	struct pcicfg_info ia, ib;
	uint8_t		 expl[PCICFG_EXT / 8];	/* bytes already explained */
};

static void add(struct dctx *, enum pcicfg_change, enum pcicfg_sig, int,
    const char *, ...) __printflike(5, 6);

static void
add(struct dctx *x, enum pcicfg_change kind, enum pcicfg_sig sig, int off,
    const char *fmt, ...)
{
	struct pcicfg_line *l;
	va_list ap;

	if (sig > x->d->worst)
		x->d->worst = sig;
	if (x->d->n == PCICFG_MAXLINES) {
		x->d->omitted++;
		return;
	}
	l = &x->d->line[x->d->n++];
	l->kind = kind;
	l->sig = sig;
	l->off = off;
	va_start(ap, fmt);
	(void)vsnprintf(l->text, sizeof(l->text), fmt, ap);
	va_end(ap);
}

static void
explain(struct dctx *x, unsigned off, unsigned n)
{
	unsigned i;

	for (i = off; i < off + n && i < PCICFG_EXT; i++)
		x->expl[i / 8] |= (uint8_t)(1 << (i % 8));
}

static bool
differs(const struct dctx *x, unsigned off)
{

	return (pcicfg_known(x->a, off, 1) && pcicfg_known(x->b, off, 1) &&
	    x->a->b[off] != x->b->b[off]);
}

static void
diff_ids(struct dctx *x)
{
	const struct pcicfg_info *a = &x->ia, *b = &x->ib;

	explain(x, 0x00, 4);
	explain(x, 0x08, 4);
	explain(x, 0x0e, 1);
	if (a->hdr == 0)
		explain(x, 0x2c, 4);
	if (a->vendor == b->vendor && a->device == b->device &&
	    a->rev == b->rev && a->class == b->class && a->hdr == b->hdr &&
	    a->subvendor == b->subvendor && a->subdevice == b->subdevice)
		return;
	add(x, PCICFG_CH_IDS, PCICFG_SIG_NONE, 0, "identity changed: "
	    "%04x:%04x rev 0x%02x class %06x subsystem %04x:%04x header %u -> "
	    "%04x:%04x rev 0x%02x class %06x subsystem %04x:%04x header %u: "
	    "not the same function, or its firmware changed", a->vendor,
	    a->device, a->rev, a->class, a->subvendor, a->subdevice, a->hdr,
	    b->vendor, b->device, b->rev, b->class, b->subvendor,
	    b->subdevice, b->hdr);
}

static void
bit_words(struct strbuf *sb, bool *first, uint16_t a, uint16_t b,
    uint16_t bit, const char *on, const char *off)
{

	if ((a & bit) == (b & bit))
		return;
	if (!*first)
		sb_puts(sb, ", ");
	sb_puts(sb, (b & bit) != 0 ? on : off);
	*first = false;
}

static void
diff_command(struct dctx *x)
{
	uint16_t a = x->ia.command, b = x->ib.command;
	struct strbuf sb;
	bool first = true;

	explain(x, 0x04, 2);
	if (a == b)
		return;
	sb_init(&sb);
	bit_words(&sb, &first, a, b, 0x0002, "memory decoding turned on",
	    "memory decoding turned off");
	bit_words(&sb, &first, a, b, 0x0001, "I/O decoding turned on",
	    "I/O decoding turned off");
	bit_words(&sb, &first, a, b, 0x0004, "bus mastering turned on",
	    "bus mastering turned off");
	bit_words(&sb, &first, a, b, 0x0400, "INTx disabled", "INTx enabled");
	bit_words(&sb, &first, a, b, 0x0040, "parity error response on",
	    "parity error response off");
	bit_words(&sb, &first, a, b, 0x0100, "SERR# enabled",
	    "SERR# disabled");
	if (((a ^ b) & ~0x0547) != 0)
		sb_printf(&sb, "%sother bits 0x%04x", first ? "" : ", ",
		    (unsigned)((a ^ b) & ~0x0547));
	add(x, PCICFG_CH_COMMAND, (a & 2) && !(b & 2) ?
	    PCICFG_SIG_BAR_DISABLED : PCICFG_SIG_NONE, 0x04,
	    "command 0x%04x -> 0x%04x: %s%s", a, b, sb_str(&sb),
	    (a & 2) && !(b & 2) ? " (normal only if the function moved to "
	    "ppt or a VM released it: some ppt versions turn decoding off "
	    "then, see docs/freebsd.md V-PPT2)" : "");
	sb_free(&sb);
}

static void
diff_status(struct dctx *x)
{
	uint16_t a = x->ia.status, b = x->ib.status, set, clr;
	struct strbuf s1, s2;

	explain(x, 0x06, 2);
	if (a == b)
		return;
	set = b & ~a;
	clr = a & ~b;
	sb_init(&s1);
	sb_init(&s2);
	if (set != 0) {
		pcicfg_status_text(set, &s1);
		sb_puts(&s1, " set");
	}
	if (clr != 0) {
		pcicfg_status_text(clr, &s2);
		sb_puts(&s2, " cleared");
	}
	add(x, PCICFG_CH_STATUS, PCICFG_SIG_NONE, 0x06, "status 0x%04x -> "
	    "0x%04x: %s%s%s%s", a, b, sb_str(&s1), set && clr ? ", " : "",
	    sb_str(&s2), (set & 0xf900) != 0 ? " (errors seen since the "
	    "first image; these bits are write-1-to-clear)" : "");
	sb_free(&s1);
	sb_free(&s2);
}

static void
bar_name(const struct pcicfg_bar *b, int index, char *buf, size_t len)
{

	if (index == 6)
		snprintf(buf, len, "ROM BAR (0x%02x)", b != NULL ? b->off :
		    0x30);
	else
		snprintf(buf, len, "BAR%d (0x%02x)", index, 0x10 + 4 * index);
}

static void
diff_bar(struct dctx *x, const struct pcicfg_bar *a,
    const struct pcicfg_bar *b, int index)
{
	struct strbuf ta, tb;
	enum pcicfg_sig sig;
	char name[32];

	bar_name(a != NULL ? a : b, index, name, sizeof(name));
	sig = index == 6 ? PCICFG_SIG_NONE : PCICFG_SIG_BAR_DISABLED;
	sb_init(&ta);
	sb_init(&tb);
	if (a != NULL)
		pcicfg_bar_text(a, &ta);
	else
		sb_printf(&ta, "the upper half of BAR%d", index - 1);
	if (b != NULL)
		pcicfg_bar_text(b, &tb);
	else
		sb_printf(&tb, "the upper half of BAR%d", index - 1);
	if (index == 6 && a != NULL && b != NULL && a->addr != 0 &&
	    b->addr == 0)
		add(x, PCICFG_CH_BAR, sig, (int)a->off, "%s: the ROM address "
		    "0x%08jx was cleared", name, (uintmax_t)a->addr);
	else if (a != NULL && b != NULL && a->addr != 0 &&
	    b->type == PCICFG_BAR_NONE)
		add(x, PCICFG_CH_BAR, sig, (int)a->off, "%s: %s was cleared "
		    "(it reads 0)", name, sb_str(&ta));
	else if (a == NULL || b == NULL || a->type != b->type ||
	    a->prefetch != b->prefetch)
		add(x, PCICFG_CH_BAR, PCICFG_SIG_NONE, (int)(0x10 + 4 * index),
		    "%s: was %s, now %s", name, sb_str(&ta), sb_str(&tb));
	else if (a->addr != 0 && b->addr == 0)
		add(x, PCICFG_CH_BAR, sig, (int)a->off, "%s: %s was cleared",
		    name, sb_str(&ta));
	else if (a->addr == 0 && b->addr != 0)
		add(x, PCICFG_CH_BAR, PCICFG_SIG_NONE, (int)a->off, "%s: now "
		    "%s (it had no address)", name, sb_str(&tb));
	else if (a->addr != b->addr)
		add(x, PCICFG_CH_BAR, sig, (int)a->off, "%s: moved from "
		    "0x%jx to 0x%jx (the host still maps the old address)",
		    name, (uintmax_t)a->addr, (uintmax_t)b->addr);
	else if (a->rom_enabled != b->rom_enabled)
		add(x, PCICFG_CH_BAR, PCICFG_SIG_NONE, (int)a->off, "%s: "
		    "decoding %s", name, b->rom_enabled ? "enabled" :
		    "disabled");
	sb_free(&ta);
	sb_free(&tb);
}

static void
diff_bars(struct dctx *x)
{
	const struct pcicfg_bar *a, *b;
	int i;

	if (x->ia.hdr != x->ib.hdr || x->ia.hdr > 1)
		return;
	explain(x, 0x10, x->ia.hdr == 0 ? 24 : 8);
	explain(x, x->ia.hdr == 0 ? 0x30 : 0x38, 4);
	for (i = 0; i <= 6; i++) {
		a = bar_find(&x->ia, i);
		b = bar_find(&x->ib, i);
		if (a == NULL && b == NULL)
			continue;
		if (a != NULL && b != NULL && a->raw == b->raw &&
		    a->addr == b->addr)
			continue;
		diff_bar(x, a, b, i);
	}
}

static void
diff_power(struct dctx *x)
{
	const struct pcicfg_info *a = &x->ia, *b = &x->ib;

	if (a->pm_off == 0 || a->pm_off != b->pm_off)
		return;
	explain(x, a->pm_off + 4u, 2);
	if (a->power != b->power)
		add(x, PCICFG_CH_POWER, b->power == PCICFG_D3HOT ?
		    PCICFG_SIG_D3HOT : PCICFG_SIG_NONE, a->pm_off + 4,
		    "power state %s -> %s%s", pcicfg_power_name(a->power),
		    pcicfg_power_name(b->power), b->power == PCICFG_D3HOT ?
		    ": the function was put to sleep and did not wake up" : "");
	else if (a->pmcsr != b->pmcsr)
		add(x, PCICFG_CH_POWER, PCICFG_SIG_NONE, a->pm_off + 4,
		    "power management control/status 0x%04x -> 0x%04x%s",
		    a->pmcsr, b->pmcsr, (b->pmcsr & ~a->pmcsr & 0x8000) ?
		    " (PME_Status set: the function signalled a wake event)" :
		    "");
}

static void
diff_link(struct dctx *x)
{
	const struct pcicfg_info *a = &x->ia, *b = &x->ib;
	unsigned p = a->pcie_off;
	struct strbuf sb;
	uint16_t set;
	bool first;

	if (p == 0 || p != b->pcie_off)
		return;
	explain(x, p + 0x0a, 2);
	explain(x, p + 0x12, 2);
	if (a->link_speed != b->link_speed || a->link_width != b->link_width)
		add(x, PCICFG_CH_LINK, PCICFG_SIG_NONE, (int)p + 0x12,
		    "PCIe link %s x%u -> %s x%u%s",
		    pcicfg_speed_name(a->link_speed), a->link_width,
		    pcicfg_speed_name(b->link_speed), b->link_width,
		    b->link_speed < a->link_speed ||
		    b->link_width < a->link_width ? " (slower: the link "
		    "retrained at a lower speed or width)" : "");
	if (!a->link_training && b->link_training)
		add(x, PCICFG_CH_LINK, PCICFG_SIG_NONE, (int)p + 0x12,
		    "PCIe link training in progress: the link did not come "
		    "back up");
	if (a->link_dll_active && !b->link_dll_active)
		add(x, PCICFG_CH_LINK, PCICFG_SIG_NONE, (int)p + 0x12,
		    "PCIe data link layer went down");
	set = b->devsta & ~a->devsta & 0x000f;
	if (set != 0) {
		sb_init(&sb);
		first = true;
		bit_words(&sb, &first, 0, set, 0x0004, "fatal error", "");
		bit_words(&sb, &first, 0, set, 0x0002, "non-fatal error", "");
		bit_words(&sb, &first, 0, set, 0x0001, "correctable error", "");
		bit_words(&sb, &first, 0, set, 0x0008, "unsupported request",
		    "");
		add(x, PCICFG_CH_LINK, PCICFG_SIG_NONE, (int)p + 0x0a,
		    "PCIe device status: %s detected", sb_str(&sb));
		sb_free(&sb);
	}
}

static void
diff_msi(struct dctx *x)
{
	const struct pcicfg_info *a = &x->ia, *b = &x->ib;

	if (a->msi_off != 0 && a->msi_off == b->msi_off) {
		explain(x, a->msi_off + 2u, 2);
		if (a->msi_enabled != b->msi_enabled)
			add(x, PCICFG_CH_MSI, PCICFG_SIG_NONE, a->msi_off + 2,
			    "MSI %s", b->msi_enabled ? "enabled" : "disabled");
		else if (a->msi_ctl != b->msi_ctl)
			add(x, PCICFG_CH_MSI, PCICFG_SIG_NONE, a->msi_off + 2,
			    "MSI control 0x%04x -> 0x%04x", a->msi_ctl,
			    b->msi_ctl);
	}
	if (a->msix_off != 0 && a->msix_off == b->msix_off) {
		explain(x, a->msix_off + 2u, 2);
		if (a->msix_enabled != b->msix_enabled ||
		    a->msix_masked != b->msix_masked)
			add(x, PCICFG_CH_MSIX, PCICFG_SIG_NONE, a->msix_off + 2,
			    "MSI-X %s%s", b->msix_enabled ? "enabled" :
			    "disabled", b->msix_masked ?
			    ", all vectors masked" : "");
	}
}

static void
cap_list(const struct pcicfg_cap *c, size_t n, bool ext, struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < n; i++)
		sb_printf(sb, "%s0x%02x %s", i > 0 ? ", " : "", c[i].off,
		    ext ? pcicfg_ecap_name(c[i].id) : pcicfg_cap_name(c[i].id));
	if (n == 0)
		sb_puts(sb, "none");
}

static bool
caps_same(const struct pcicfg_cap *a, size_t na, const struct pcicfg_cap *b,
    size_t nb)
{
	size_t i;

	if (na != nb)
		return (false);
	for (i = 0; i < na; i++)
		if (a[i].id != b[i].id || a[i].off != b[i].off)
			return (false);
	return (true);
}

static void
diff_caps(struct dctx *x)
{
	const struct pcicfg_info *a = &x->ia, *b = &x->ib;
	struct strbuf sa, sb;
	size_t i;

	for (i = 0; i < a->ncap; i++)
		explain(x, a->cap[i].off, 2);
	for (i = 0; i < a->necap; i++)
		explain(x, a->ecap[i].off, 4);
	explain(x, 0x34, 1);
	sb_init(&sa);
	sb_init(&sb);
	if (!caps_same(a->cap, a->ncap, b->cap, b->ncap)) {
		cap_list(a->cap, a->ncap, false, &sa);
		cap_list(b->cap, b->ncap, false, &sb);
		add(x, PCICFG_CH_CAPS, PCICFG_SIG_NONE, 0x34, "capability "
		    "list changed: %s -> %s", sb_str(&sa), sb_str(&sb));
	}
	sb_reset(&sa);
	sb_reset(&sb);
	if (a->ecaps_known && b->ecaps_known &&
	    !caps_same(a->ecap, a->necap, b->ecap, b->necap)) {
		cap_list(a->ecap, a->necap, true, &sa);
		cap_list(b->ecap, b->necap, true, &sb);
		add(x, PCICFG_CH_CAPS, PCICFG_SIG_NONE, 0x100, "extended "
		    "capability list changed: %s -> %s", sb_str(&sa),
		    sb_str(&sb));
	}
	sb_free(&sa);
	sb_free(&sb);
}

/* The area an unexplained byte is in, for "other" lines. */
static unsigned
area_of(const struct pcicfg_info *in, unsigned off, char *buf, size_t len)
{
	const struct pcicfg_cap *best;
	size_t i;

	best = NULL;
	if (off < 0x40) {
		snprintf(buf, len, "header");
		return (0);
	}
	if (off < PCICFG_STD) {
		for (i = 0; i < in->ncap; i++)
			if (in->cap[i].off <= off && (best == NULL ||
			    in->cap[i].off > best->off))
				best = &in->cap[i];
		if (best == NULL) {
			snprintf(buf, len, "device-specific registers");
			return (0x40);
		}
		snprintf(buf, len, "%s capability at 0x%02x",
		    pcicfg_cap_name(best->id), best->off);
		return (best->off);
	}
	for (i = 0; i < in->necap; i++)
		if (in->ecap[i].off <= off && (best == NULL ||
		    in->ecap[i].off > best->off))
			best = &in->ecap[i];
	if (best == NULL) {
		snprintf(buf, len, "extended space outside any capability");
		return (PCICFG_STD);
	}
	snprintf(buf, len, "%s (extended capability at 0x%03x)",
	    pcicfg_ecap_name(best->id), best->off);
	return (best->off);
}

static bool
other(const struct dctx *x, unsigned off)
{

	return (differs(x, off) && (x->expl[off / 8] & (1 << (off % 8))) == 0);
}

static void
byte_str(const struct pcicfg *c, unsigned off, bool space, char *buf,
    size_t len)
{

	if (pcicfg_known(c, off, 1))
		snprintf(buf, len, "%s%02x", space ? " " : "", c->b[off]);
	else
		snprintf(buf, len, "%s??", space ? " " : "");
}

static void
other_line(struct dctx *x, const char *area, unsigned lo, unsigned hi,
    unsigned n)
{
	char va[40], vb[40];
	unsigned i, k;
	uint32_t a, b;

	if ((lo & ~3u) == (hi & ~3u) && pcicfg_get(x->a, lo & ~3u, 4, &a) &&
	    pcicfg_get(x->b, lo & ~3u, 4, &b)) {
		add(x, PCICFG_CH_OTHER, PCICFG_SIG_NONE, (int)(lo & ~3u),
		    "%s: 0x%03x changed, %08x -> %08x", area, lo & ~3u, a, b);
		return;
	}
	if (hi - lo >= 8) {
		add(x, PCICFG_CH_OTHER, PCICFG_SIG_NONE, (int)lo,
		    "%s: %u bytes changed in 0x%03x-0x%03x", area, n, lo, hi);
		return;
	}
	va[0] = vb[0] = '\0';
	for (i = lo; i <= hi; i++) {
		k = (unsigned)strlen(va);
		byte_str(x->a, i, i > lo, va + k, sizeof(va) - k);
		k = (unsigned)strlen(vb);
		byte_str(x->b, i, i > lo, vb + k, sizeof(vb) - k);
	}
	add(x, PCICFG_CH_OTHER, PCICFG_SIG_NONE, (int)lo, "%s: 0x%03x-0x%03x "
	    "changed, %s -> %s", area, lo, hi, va, vb);
}

static void
diff_other(struct dctx *x)
{
	char area[96], next[96];
	unsigned off, lo, hi, n, key;

	for (off = 0; off < PCICFG_EXT; off++) {
		if (!other(x, off))
			continue;
		key = area_of(&x->ia, off, area, sizeof(area));
		lo = hi = off;
		n = 1;
		while (++off < PCICFG_EXT && off - hi <= 8) {
			if (!other(x, off))
				continue;
			if (area_of(&x->ia, off, next, sizeof(next)) != key)
				break;
			hi = off;
			n++;
		}
		other_line(x, area, lo, hi, n);
		off = hi;
	}
}

static void
diff_coverage(struct dctx *x)
{
	unsigned off, only;
	bool ka, kb;

	for (off = only = 0; off < PCICFG_EXT; off++) {
		ka = pcicfg_known(x->a, off, 1);
		kb = pcicfg_known(x->b, off, 1);
		only += ka != kb;
		x->d->nbytes += ka && kb && x->a->b[off] != x->b->b[off];
	}
	if (only > 0)
		add(x, PCICFG_CH_COVERAGE, PCICFG_SIG_NONE, -1, "%u bytes were "
		    "read in only one image (%zu and %zu bytes): they are not "
		    "compared", only, x->a->size, x->b->size);
}

void
pcicfg_diff(const struct pcicfg *a, const struct pcicfg *b,
    struct pcicfg_diff *d)
{
	struct dctx x;
	enum pcicfg_sig s;

	memset(d, 0, sizeof(*d));
	memset(&x, 0, sizeof(x));
	x.d = d;
	x.a = a;
	x.b = b;
	pcicfg_decode(a, &x.ia);
	pcicfg_decode(b, &x.ib);
	diff_coverage(&x);
	if (x.ia.dead || x.ib.dead) {
		if (!x.ia.dead)
			add(&x, PCICFG_CH_DEAD, PCICFG_SIG_DEAD, 0, "the "
			    "function no longer answers: it reads all 0xFF "
			    "(it was %04x:%04x)", x.ia.vendor, x.ia.device);
		else if (!x.ib.dead)
			add(&x, PCICFG_CH_ALIVE, PCICFG_SIG_NONE, 0, "the "
			    "function answers again, as %04x:%04x (it read "
			    "all 0xFF)", x.ib.vendor, x.ib.device);
	} else {
		diff_ids(&x);
		diff_command(&x);
		diff_status(&x);
		diff_bars(&x);
		diff_power(&x);
		diff_link(&x);
		diff_msi(&x);
		diff_caps(&x);
		explain(&x, 0x3c, 1);
		if (x.ia.intline != x.ib.intline)
			add(&x, PCICFG_CH_INTLINE, PCICFG_SIG_NONE, 0x3c,
			    "interrupt line 0x%02x -> 0x%02x", x.ia.intline,
			    x.ib.intline);
		diff_other(&x);
	}
	s = pcicfg_signature(b, a);
	if (s > d->worst)
		d->worst = s;
}

const char *
pcicfg_change_name(enum pcicfg_change k)
{
	static const char *const names[] = { "dead", "alive", "ids",
	    "command", "status", "bar", "power", "link", "msi", "msix",
	    "caps", "interrupt-line", "other", "coverage" };

	return ((unsigned)k < nitems(names) ? names[k] : "?");
}

void
pcicfg_diff_text(const struct pcicfg_diff *d, struct strbuf *sb)
{
	size_t i;

	if (d->n == 0)
		sb_puts(sb, "  no differences\n");
	for (i = 0; i < d->n; i++)
		sb_printf(sb, "  - %s\n", d->line[i].text);
	if (d->omitted > 0)
		sb_printf(sb, "  - ... and %zu more changes\n", d->omitted);
	if (d->worst != PCICFG_SIG_NONE)
		sb_printf(sb, "  signature %s: %s\n",
		    pcicfg_sig_name(d->worst), pcicfg_sig_text(d->worst));
}
