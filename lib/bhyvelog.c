/*
 * bhyvelog.c: known bhyve messages and the log line formatter.
 *
 * Each "match" is a literal part of a message printed by FreeBSD's bhyve
 * (the file is named in "source", all under usr.sbin/bhyve/), chosen to be
 * the part without printf conversions so that it matches every instance.
 * Order matters: the first match wins, so specific entries come before
 * general ones ("vm_create: File exists" before "vm_create:").
 */
#include "compat.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bhyvelog.h"
#include "util.h"

static const struct bhyvelog_known known[] = {
	{ "wired", "passthru requires guest memory to be wired",
	    "pci_passthru.c",
	    "a passthru device needs all guest memory wired (bhyve -S, "
	    "memory.wired=true)",
	    "ptvm sets memory.wired for passthru VMs: do not override it "
	    "with a bhyve.* key" },
	/*
	 * passthru_init() prints this for every vm_assign_pptdev() error
	 * (freebsd.md#V3): ENXIO when vmm has no IOMMU domain (no IOMMU, or
	 * AMD-Vi off), ENOENT when the function is not on ppt, EBUSY when
	 * another VM holds it.
	 */
	{ "not-ppt", "is not using the ppt",
	    "pci_passthru.c",
	    "vmm refused to assign the function to the guest: it is not on "
	    "ppt(4), another VM holds it, or vmm has no IOMMU (AMD-Vi off: "
	    "hw.vmm.amdvi.enable=0 when vmm.ko loaded, or no IVRS/DMAR table "
	    "from the firmware)",
	    "\"ptvm devices\" shows the driver; \"ptvm check VM\" checks "
	    "hw.vmm.amdvi.enable and hw.vmm.amdvi.count; enable the IOMMU in "
	    "the firmware setup if there is none" },
	{ "memory", "Unable to setup memory",
	    "bhyverun.c",
	    "vmm could not allocate or wire the guest memory; 12 is ENOMEM: "
	    "the wiring would go over vm.max_user_wired (guest pages plus "
	    "vm.stats.vm.v_user_wire_count), or the host is out of free memory "
	    "(14, EFAULT: the mapping itself failed)",
	    "sysctl vm.max_user_wired=PAGES (and the same line in "
	    "/etc/sysctl.conf), PAGES at least the guest's memory in pages "
	    "plus vm.stats.vm.v_user_wire_count (\"ptvm check VM\" says the "
	    "number); or lower memory=, or free host memory (ZFS ARC: "
	    "vfs.zfs.arc_max)" },
	{ "exists", "vm_create: File exists",
	    "bhyverun.c",
	    "a VM of this name already exists in /dev/vmm (left by a crash, "
	    "or another bhyve runs it)",
	    "\"ptvm status NAME\"; if no bhyve runs it, \"bhyvectl --destroy "
	    "--vm=NAME\"" },
	{ "create", "vm_create:",
	    "bhyverun.c",
	    "the kernel refused to create the VM (vmm.ko not loaded, not "
	    "root, or a bad name)",
	    "load vmm (\"kldload vmm\") and run ptvm as root" },
	{ "open", "vm_open:",
	    "bhyverun.c",
	    "/dev/vmm/NAME could not be opened",
	    "check that vmm is loaded and that the VM was not destroyed "
	    "meanwhile" },
	{ "reinit", "vm_reinit:",
	    "bhyverun.c",
	    "the existing VM could not be reset for a new boot",
	    "destroy it (\"bhyvectl --destroy --vm=NAME\") and start again" },
	{ "mmio", "map_pptdev_mmio failed",
	    "pci_passthru.c",
	    "the kernel refused to map a BAR of the passthru device into the "
	    "guest",
	    "check dmesg for ppt/IOMMU messages, that the IOMMU is on "
	    "(hw.vmm.amdvi.enable=1 on AMD) and no other VM holds the device" },
	{ "vcpu-pin", "function fbsdrun_start_thread",
	    "bhyverun.c",
	    "a vCPU thread could not be pinned: its host CPU is outside "
	    "bhyve's cpuset (the kernel refuses the affinity with EINVAL and "
	    "bhyve's assert aborts it)",
	    "start bhyve in a set that holds its CPUs (isolate=yes does: "
	    "cpuset -c -l); \"cpuset -g -s 1\" shows whether set 1 was "
	    "shrunk away from the pinned CPUs" },
	{ "pinning", "invalid vcpu pinning",
	    "bhyverun.c",
	    "a -p vcpu:hostcpu value is malformed (bhyve exits 64, EX_USAGE)",
	    "check pin= in the VM file against \"ptvm pin\"" },
	{ "hostcpu", "outside valid range",
	    "bhyverun.c",
	    "a host CPU number in the pinning is beyond what the host has",
	    "pin only to CPUs that \"ptvm topo\" lists" },
	{ "cpuset", "invalid cpuset for vcpu",
	    "bhyverun.c",
	    "a vcpu.N.cpuset value is not a CPU list",
	    "write it as \"2,3\" or \"2-5\", or use pin= in the VM file" },
	{ "topology", "invalid cpu topology",
	    "bhyverun.c",
	    "the -c / cpus, sockets, cores, threads values do not parse",
	    "check cpus= and the topology keys of the VM file" },
	{ "vcpus", "vCPUs requested but only",
	    "bhyverun.c",
	    "more vCPUs than vmm allows (hw.vmm.maxcpu)",
	    "lower cpus=, or raise hw.vmm.maxcpu in loader.conf" },
	{ "config-file", "Failed to open configuration file",
	    "bhyverun.c",
	    "bhyve could not read the configuration ptvm gave it with -k",
	    "check that /var/run/ptvm exists and is readable; run ptvm as "
	    "root" },
	{ "config-line", "invalid config option",
	    "bhyverun.c",
	    "a line of the -k configuration file is not key=value",
	    "run \"ptvm check VM\" and look at bhyve.* keys with empty "
	    "values" },
	{ "romfile-open", "can't open romfile",
	    "pci_passthru.c",
	    "the ROM file of a passthru device (rom=) could not be opened",
	    "check the rom= path; \"ptvm rom inspect FILE\" checks the image" },
	{ "romfile", "romfile",
	    "pci_passthru.c",
	    "the ROM file of a passthru device (rom=) is empty or unusable",
	    "extract a ROM again with \"ptvm rom extract\"" },
	{ "bootrom", "Error opening bootrom",
	    "bootrom.c",
	    "the UEFI firmware file could not be opened",
	    "install edk2-bhyve (pkg install edk2-bhyve) or fix firmware=" },
	{ "no-boot", "virtual machine cannot be booted",
	    "bhyverun.c",
	    "no boot ROM was given and no loader prepared the VM",
	    "set firmware= in the VM file" },
	{ "unrestricted", "unrestricted guest capability not available",
	    "bhyverun.c",
	    "the CPU lacks VT-x unrestricted guest, needed for UEFI boot",
	    "UEFI guests need a newer CPU (Westmere or later)" },
	{ "tap", "open of tap device",
	    "net_backends.c",
	    "the tap interface could not be opened (missing, or another "
	    "bhyve holds it)",
	    "check \"ifconfig TAP\" and that no other VM uses it" },
	{ "lpc-backend", "for LPC device",
	    "pci_lpc.c",
	    "a serial port backend (console=, an nmdm device) could not be "
	    "opened",
	    "load nmdm (\"kldload nmdm\"); the nmdm A side may be in use by "
	    "another VM or a cu" },
	{ "devpci", "failed to open /dev/pci",
	    "pci_passthru.c",
	    "/dev/pci could not be opened read-write",
	    "run ptvm as root" },
	{ "bars", "failed to initialize BARs",
	    "pci_passthru.c",
	    "a BAR of the passthru device could not be set up (not page "
	    "aligned, or no room in guest address space)",
	    "check dmesg; try another guest slot or less guest memory" },
	{ "msi", "failed to initialize MSI",
	    "pci_passthru.c",
	    "the passthru device's MSI/MSI-X capabilities could not be set "
	    "up",
	    "pass every function of the device, and check \"ptvm devices\"" },
	{ "pptdev", "Passthru device ",
	    "pci_passthru.c",
	    "a passthru device named as pptN was not found or is unusable",
	    "use the pciconf selector (pci0:B:S:F) in passthru=" },
	{ "passthru-opts", "invalid passthru options",
	    "pci_passthru.c",
	    "a passthru device's options do not parse",
	    "run \"ptvm check VM\"" },
	{ "emulate", "Failed to emulate instruction",
	    "amd64/vmexit.c",
	    "the guest touched memory bhyve does not emulate; bhyve aborts "
	    "(SIGABRT)",
	    "often a driver reading a missing ROM or BAR: check rom= and the "
	    "guest's drivers" },
	{ "unhandled-mem", "Unhandled memory access",
	    "amd64/vmexit.c",
	    "the guest accessed an address no device claims",
	    "see the next lines; check rom= and the guest's drivers" },
	{ "msr", "rdmsr to register",
	    "amd64/vmexit.c",
	    "the guest read an MSR bhyve does not emulate",
	    "if the guest crashes on it, set x86.strictmsr=false" },
	{ "msr", "wrmsr to register",
	    "amd64/vmexit.c",
	    "the guest wrote an MSR bhyve does not emulate",
	    "if the guest crashes on it, set x86.strictmsr=false" },
	{ "triple-fault", "triple fault",
	    "amd64/vmexit.c",
	    "the guest crashed with a triple fault",
	    "look at the guest's own logs; a GPU in the reset bug state can "
	    "cause it" },
	{ "vm-run", "vm_run error",
	    "bhyverun.c",
	    "the kernel's VM_RUN failed",
	    "check dmesg for vmm messages" },
	{ "sandbox", "Unable to apply rights for sandbox",
	    "bhyverun.c",
	    "Capsicum limits could not be applied (bhyve exits 71, EX_OSERR)",
	    "check dmesg; a kernel without CAPABILITIES needs a bhyve built "
	    "WITHOUT_CAPSICUM" },
};

size_t
bhyvelog_nknown(void)
{

	return (nitems(known));
}

const struct bhyvelog_known *
bhyvelog_known(size_t i)
{

	return (i < nitems(known) ? &known[i] : NULL);
}

const struct bhyvelog_known *
bhyvelog_explain(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < nitems(known); i++)
		if (util_memmem(line, len, known[i].match,
		    strlen(known[i].match)) != NULL)
			return (&known[i]);
	return (NULL);
}

void
bhyvelog_advice(const struct bhyvelog_known *k, struct strbuf *sb)
{

	sb_printf(sb, "%s; fix: %s", k->explain, k->fix);
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void
civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	days += 719468;			/* shift the epoch to 0000-03-01 */
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;	/* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;	/* March is 0 */
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t
floordiv(int64_t a, int64_t b)
{

	return (a / b - (a % b != 0 && (a < 0) != (b < 0)));
}

void
bhyvelog_stamp(struct strbuf *sb, int64_t ms, int tzmin)
{
	int64_t t, days, y, secs;
	unsigned mo, d;
	int off;

	/* Clamp to years 0..9999 and offsets to +-23:59. */
	if (tzmin > 1439 || tzmin < -1439)
		tzmin = 0;
	if (ms < -62167219200000LL)
		ms = -62167219200000LL;
	if (ms > 253402300799999LL)
		ms = 253402300799999LL;
	t = ms + (int64_t)tzmin * 60000;
	days = floordiv(t, 86400000);
	secs = (t - days * 86400000) / 1000;
	civil(days, &y, &mo, &d);
	sb_printf(sb, "%04lld-%02u-%02uT%02d:%02d:%02d.%03d", (long long)y,
	    mo, d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
	    (int)(t - days * 86400000 - secs * 1000));
	if (tzmin == 0) {
		sb_putc(sb, 'Z');
		return;
	}
	off = tzmin < 0 ? -tzmin : tzmin;
	sb_printf(sb, "%c%02d:%02d", tzmin < 0 ? '-' : '+', off / 60,
	    off % 60);
}

void
bhyvelog_line(struct strbuf *sb, int64_t ms, int tzmin, const char *tag,
    const char *text, size_t len)
{
	unsigned char c;
	size_t i;

	if (len > 0 && text[len - 1] == '\r')
		len--;
	bhyvelog_stamp(sb, ms, tzmin);
	sb_printf(sb, " %s: ", tag);
	for (i = 0; i < len; i++) {
		c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			sb_printf(sb, "\\x%02x", c);
		else
			sb_putc(sb, (char)c);
	}
	sb_putc(sb, '\n');
}

bool
bhyvelog_failed(const struct bhyvelog *bl, int64_t now, int64_t maxage)
{

	return (bl->nlines > 0 && bl->last_fatal && now - bl->last_ms <= maxage);
}

void
bhyvelog_init(struct bhyvelog *bl, const char *tag)
{

	memset(bl, 0, sizeof(*bl));
	bl->tag = tag != NULL ? tag : "bhyve";
	bl->cap = BHYVELOG_CAP;
}

_Static_assert(nitems(known) <= 64, "bhyvelog.explained has 64 bits");

/* The end of a number at s[i] (i itself when there is none). */
static size_t
numend(const char *s, size_t n, size_t i)
{
	size_t j;

	if (i + 2 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
	    isxdigit((unsigned char)s[i + 2])) {
		for (j = i + 2; j < n && isxdigit((unsigned char)s[j]); j++)
			;
		return (j);
	}
	for (j = i; j < n && isdigit((unsigned char)s[j]); j++)
		;
	return (j);
}

/* Whether a and b are equal once each number in them is folded. */
static bool
same_shape(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i, j, ei, ej;

	i = j = 0;
	while (i < na && j < nb) {
		ei = numend(a, na, i);
		ej = numend(b, nb, j);
		if ((ei > i) != (ej > j))
			return (false);
		if (ei > i) {
			i = ei;
			j = ej;
			continue;
		}
		if (a[i++] != b[j++])
			return (false);
	}
	return (i == na && j == nb);
}

/* One line into out, counted against the cap. */
static void
put(struct bhyvelog *bl, struct strbuf *out, int64_t ms, int tzmin,
    const char *tag, const char *s, size_t n)
{
	size_t before;

	before = out->len;
	bhyvelog_line(out, ms, tzmin, tag, s, n);
	bl->used += (int64_t)(out->len - before);
}

static void
putf(struct bhyvelog *bl, struct strbuf *out, int64_t ms, int tzmin,
    const char *fmt, ...) __printflike(5, 6);

static void
putf(struct bhyvelog *bl, struct strbuf *out, int64_t ms, int tzmin,
    const char *fmt, ...)
{
	va_list ap;
	char *m;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&m, fmt, ap);
	va_end(ap);
	if (n < 0) {
		out->oom = true;
		return;
	}
	put(bl, out, ms, tzmin, "ptvm", m, (size_t)n);
	free(m);
}

static bool
capped(const struct bhyvelog *bl)
{

	return (bl->cap > 0 && bl->used >= bl->cap);
}

/* The held repeats: the line itself for one, else a count. */
static void
say_repeats(struct bhyvelog *bl, int tzmin, struct strbuf *out)
{

	if (bl->repeats == 1)
		put(bl, out, bl->rep_last, tzmin, bl->tag, bl->rep, bl->nrep);
	else if (bl->repeats > 1 && !bl->varied)
		putf(bl, out, bl->rep_last, tzmin,
		    "last message repeated %u times", bl->repeats);
	else if (bl->repeats > 1)
		putf(bl, out, bl->rep_last, tzmin,
		    "last message repeated %u times, with other numbers; the "
		    "last: %.*s", bl->repeats, (int)bl->nrep, bl->rep);
	if (bl->repeats == 1) {
		/* The one repeat is the line to compare with now. */
		memcpy(bl->prev, bl->rep, bl->nrep);
		bl->nprev = bl->nrep;
	}
	bl->repeats = 0;
	bl->varied = false;
	bl->held = 0;
}

static void
say_dropped(struct bhyvelog *bl, int tzmin, struct strbuf *out)
{

	if (bl->dropped == 0)
		return;
	putf(bl, out, bl->drop_ms, tzmin, "%u line%s of bhyve's output "
	    "dropped: the log reached its cap of %lld bytes; the last: %.*s",
	    bl->dropped, bl->dropped == 1 ? "" : "s", (long long)bl->cap,
	    (int)bl->ndrop, bl->drop);
	bl->dropped = 0;
}

void
bhyvelog_settle(struct bhyvelog *bl, int64_t ms, int tzmin,
    struct strbuf *out)
{

	(void)ms;		/* each line has its own time */
	say_repeats(bl, tzmin, out);
	say_dropped(bl, tzmin, out);
}

void
bhyvelog_tick(struct bhyvelog *bl, int64_t ms, int tzmin, struct strbuf *out)
{

	if (bl->repeats > 0 && ms - bl->rep_first >= BHYVELOG_REPEAT_MS)
		say_repeats(bl, tzmin, out);
}

/* One line of bhyve's, len bytes of input with its newline. */
static void
emit(struct bhyvelog *bl, const char *s, size_t n, size_t len, int64_t ms,
    int tzmin, struct strbuf *out)
{
	const struct bhyvelog_known *k;
	struct strbuf adv;
	uint64_t bit;
	bool fresh;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	bl->nlines++;
	if (n > 0) {
		bl->last_ms = ms;
		bl->last_fatal = (n > 7 && memcmp(s, "bhyve: ", 7) == 0) ||
		    util_memmem(s, n, "vm_run error", 12) != NULL;
	}
	/*
	 * A repeat of the line written last: held back, counted.  No match
	 * holds a digit, so it is the same known message as that line.
	 */
	if (bl->have_prev && same_shape(bl->prev, bl->nprev, s, n)) {
		if ((k = bl->prev_known) != NULL) {
			bl->nknown++;
			bl->last = k;
		}
		if (bl->repeats == 0)
			bl->rep_first = ms;
		bl->repeats++;
		bl->rep_last = ms;
		if (n != bl->nprev || memcmp(s, bl->prev, n) != 0)
			bl->varied = true;
		memcpy(bl->rep, s, n);
		bl->nrep = n;
		bl->held += len;
		bhyvelog_tick(bl, ms, tzmin, out);
		return;
	}
	bit = 0;
	if ((k = bhyvelog_explain(s, n)) != NULL) {
		bl->nknown++;
		bl->last = k;
		bit = (uint64_t)1 << (k - known);
	}
	fresh = k != NULL && (bl->explained & bit) == 0;
	say_repeats(bl, tzmin, out);
	if (!fresh && capped(bl)) {
		bl->dropped++;
		memcpy(bl->drop, s, n);
		bl->ndrop = n;
		bl->drop_ms = ms;
		bl->have_prev = false;
		return;
	}
	if (!capped(bl))
		say_dropped(bl, tzmin, out);	/* room again */
	put(bl, out, ms, tzmin, bl->tag, s, n);
	memcpy(bl->prev, s, n);
	bl->nprev = n;
	bl->prev_known = k;
	bl->have_prev = true;
	if (!fresh)
		return;
	bl->explained |= bit;
	sb_init(&adv);
	sb_printf(&adv, "%s: ", k->id);
	bhyvelog_advice(k, &adv);
	put(bl, out, ms, tzmin, "ptvm", sb_str(&adv), adv.len);
	sb_free(&adv);
}

void
bhyvelog_feed(struct bhyvelog *bl, const char *buf, size_t len, int64_t ms,
    int tzmin, struct strbuf *out)
{
	const char *nl;
	size_t n, room;

	while (len > 0) {
		nl = memchr(buf, '\n', len);
		n = nl != NULL ? (size_t)(nl - buf) : len;
		room = sizeof(bl->part) - bl->npart;
		if (n >= room) {
			/* Too long for one line: emit what fits. */
			memcpy(bl->part + bl->npart, buf, room);
			emit(bl, bl->part, sizeof(bl->part), sizeof(bl->part),
			    ms, tzmin, out);
			bl->npart = 0;
			buf += room;
			len -= room;
			continue;
		}
		memcpy(bl->part + bl->npart, buf, n);
		bl->npart += n;
		if (nl == NULL)
			return;
		emit(bl, bl->part, bl->npart, bl->npart + 1, ms, tzmin, out);
		bl->npart = 0;
		buf += n + 1;
		len -= n + 1;
	}
}

void
bhyvelog_flush(struct bhyvelog *bl, int64_t ms, int tzmin, struct strbuf *out)
{

	if (bl->npart > 0) {
		emit(bl, bl->part, bl->npart, bl->npart, ms, tzmin, out);
		bl->npart = 0;
	}
	bhyvelog_settle(bl, ms, tzmin, out);
}
