/*
 * pcicfg.h: PCI configuration-space images.  Parsing the text that
 * "pciconf -r" and "lspci -xxxx" print, writing ptvm's save files,
 * decoding the registers that tell whether a GPU survived a VM run,
 * explaining the difference of two images, classifying the known failure
 * signatures, and planning which writes restore a saved header.
 *
 * Pure functions over buffers: no OS calls, no printing.
 *
 * The API the supervisor uses:
 *   1. snapshot a function: host->ops->pci_cfg_read(host, &sel, &img, dg)
 *      (host/host.h), before bhyve starts and after the VM ends;
 *   2. pcicfg_diff(&before, &after, &diff): the explained changes, one
 *      line each, and diff.worst, the worst failure signature seen;
 *   3. pcicfg_sig_name(diff.worst) for status files and JSON ("dead"),
 *      pcicfg_sig_text(diff.worst) for people;
 *   4. pcicfg_diff_text() / pcicfg_diff_json() to log or report the diff;
 *   5. pcicfg_signature(&img, NULL) classifies one image on its own (the
 *      dirty-device check of "start").
 * pcicfg_format() and pcicfg_parse() store and load an image as a file.
 */
#ifndef PTVM_PCICFG_H
#define PTVM_PCICFG_H

#include "compat.h"
#include "diag.h"
#include "pci.h"
#include "strbuf.h"

#define PCICFG_STD	256		/* conventional configuration space */
#define PCICFG_EXT	4096		/* PCI Express extended space */
#define PCICFG_MAXFILE	(1024 * 1024)	/* a save file is far smaller */

/*
 * An image.  Bytes that were not read (or not in the file) are unknown;
 * decoders and the diff never use them.
 */
struct pcicfg {
	uint8_t		 b[PCICFG_EXT];
	uint64_t	 known[PCICFG_EXT / 64];	/* a bit per byte */
	size_t		 size;		/* 4096 if a byte above 0xff, or 256 */
	struct pci_sel	 sel;		/* the function, when the file says */
	bool		 have_sel;
};

void	pcicfg_init(struct pcicfg *);
/* Stores n (1, 2 or 4) bytes of v, little-endian, at off. */
void	pcicfg_set(struct pcicfg *, unsigned, unsigned, uint32_t);
bool	pcicfg_known(const struct pcicfg *, unsigned, unsigned);
/* Reads n bytes at off into *v; false (and *v = 0) if any is unknown. */
bool	pcicfg_get(const struct pcicfg *, unsigned, unsigned, uint32_t *);
/* Every known byte of the standard header reads 0xFF. */
bool	pcicfg_all_ones(const struct pcicfg *);

/*
 * Parses a dump.  Accepted, line by line (see ptvm(8)):
 *   - "pciconf -r SEL 0:0xfff" output: 4 words a line, each of 8 hex
 *     digits (2 with -b, 4 with -h), offsets implied from 0;
 *   - the same lines with an "OFFSET:" prefix, as ptvm's save files
 *     write them;
 *   - "lspci -x/-xxx/-xxxx" output: "OFF: bb bb ...", after a line
 *     "BB:DD.F class: name"; lspci's indented -v lines are skipped.
 * Lines starting with '#' are comments ("# function pci0:6:0:0" names
 * the function).  A file with several lspci functions needs want
 * ("06:00.0" or "0000:06:00.0"); NULL takes the only one.  The header
 * (0x00-0x3f) must be complete.  Every problem goes to diags with its
 * line; returns 0, or -1 on errors.
 */
int	pcicfg_parse(const char *, size_t, const char *, const char *,
	    struct pcicfg *, struct diags *);

/*
 * Writes the save file: a comment header, the known bytes as offset-
 * prefixed "pciconf -r" lines, and the decoded registers as comments.
 */
void	pcicfg_format(const struct pcicfg *, const char *, struct strbuf *);
/* The decoded registers, a line each, every line starting with prefix. */
void	pcicfg_describe(const struct pcicfg *, const char *, struct strbuf *);

/*
 * Decoding.
 */
enum pcicfg_bar_type {
	PCICFG_BAR_NONE,	/* not implemented, or reads 0 */
	PCICFG_BAR_IO,
	PCICFG_BAR_MEM32,
	PCICFG_BAR_MEM1M,	/* legacy: below 1 MiB */
	PCICFG_BAR_MEM64,
	PCICFG_BAR_ROM,
};

struct pcicfg_bar {
	int		 index;		/* 0-5, 6 = expansion ROM */
	unsigned	 off;		/* its register */
	enum pcicfg_bar_type type;
	bool		 prefetch;
	bool		 rom_enabled;
	uint64_t	 addr;		/* 0: cleared or unassigned */
	uint32_t	 raw;		/* the low register */
};

struct pcicfg_cap {
	uint16_t	 id;
	uint16_t	 off;
	uint8_t		 ver;		/* extended capabilities only */
};

#define PCICFG_MAXCAPS	48
#define PCICFG_MAXECAPS	64

enum pcicfg_power {
	PCICFG_D0, PCICFG_D1, PCICFG_D2, PCICFG_D3HOT,
};

struct pcicfg_info {
	bool		 dead;		/* vendor ID reads 0xFFFF */
	uint16_t	 vendor, device, subvendor, subdevice;
	uint16_t	 command, status;
	uint32_t	 class;
	uint8_t		 rev, hdr;	/* hdr without the multi-function bit */
	uint8_t		 intline, intpin;
	struct pcicfg_bar bar[7];	/* type 0: 6 BARs + ROM */
	int		 nbar;
	struct pcicfg_cap cap[PCICFG_MAXCAPS];
	size_t		 ncap;
	struct pcicfg_cap ecap[PCICFG_MAXECAPS];
	size_t		 necap;
	bool		 caps_broken;	/* a loop or pointer out of range */
	bool		 ecaps_known;	/* 0x100 was read */
	/* Power management (capability 0x01). */
	uint16_t	 pm_off;	/* 0: none */
	uint16_t	 pmcsr;
	enum pcicfg_power power;
	bool		 nosoftrst;
	/* PCI Express (capability 0x10). */
	uint16_t	 pcie_off;
	unsigned	 pcie_type;	/* device/port type, 0-10 */
	uint16_t	 devctl, devsta, lnkctl, lnksta;
	unsigned	 link_speed, link_width;		/* negotiated */
	unsigned	 link_max_speed, link_max_width;	/* capable */
	bool		 link_training, link_dll_active, flr;
	/* MSI (0x05) and MSI-X (0x11). */
	uint16_t	 msi_off, msi_ctl;
	bool		 msi_enabled;
	uint16_t	 msix_off, msix_ctl;
	bool		 msix_enabled, msix_masked;
	unsigned	 msix_size;
};

/* Decodes what the image holds; fields of unknown bytes read as zero. */
void	pcicfg_decode(const struct pcicfg *, struct pcicfg_info *);
/*
 * The decoded image as a JSON object (ptvm(8) documents the keys):
 * size, vendor_id ... command, command_text, status, status_text, bars,
 * interrupt_line, power_state, pcie, msi, msix, capabilities,
 * extended_capabilities, capabilities_broken, signature, signature_text.
 */
void	pcicfg_json(const struct pcicfg *, struct json *, const char *);

/* Words for people: "memory decoding on, bus master on, INTx disabled". */
void	pcicfg_command_text(uint16_t, struct strbuf *);
void	pcicfg_status_text(uint16_t, struct strbuf *);
void	pcicfg_bar_text(const struct pcicfg_bar *, struct strbuf *);
const char *pcicfg_power_name(enum pcicfg_power);	/* "D3hot" */
const char *pcicfg_cap_name(uint16_t);
const char *pcicfg_ecap_name(uint16_t);
/* "16.0 GT/s" for a PCIe speed code, "?" when unknown. */
const char *pcicfg_speed_name(unsigned);

/*
 * Failure signatures, from the least to the most severe.  The names are
 * stable (status files, JSON); the texts say what each usually means.
 */
enum pcicfg_sig {
	PCICFG_SIG_NONE,
	PCICFG_SIG_BAR_DISABLED,	/* BARs zero, or decoding turned off */
	PCICFG_SIG_D3HOT,		/* stuck in D3hot */
	PCICFG_SIG_DEAD,		/* reads all 0xFF */
};

const char *pcicfg_sig_name(enum pcicfg_sig);	/* "none" ... "dead" */
const char *pcicfg_sig_text(enum pcicfg_sig);
/*
 * The signature of an image on its own (before NULL), or of the change
 * from before.  Memory decoding off alone is not a signature of one image:
 * ppt(4) turns decoding off while no VM uses the function.
 */
enum pcicfg_sig pcicfg_signature(const struct pcicfg *,
	    const struct pcicfg *);

/*
 * The difference of two images, explained.  Each line says what changed
 * in words ("BAR0: 64-bit prefetchable memory at 0xd0000000 was cleared")
 * with a stable kind for JSON and the signature it indicates.
 */
enum pcicfg_change {
	PCICFG_CH_DEAD,		/* the function stopped answering */
	PCICFG_CH_ALIVE,	/* it answers again */
	PCICFG_CH_IDS,		/* vendor/device/class changed */
	PCICFG_CH_COMMAND,
	PCICFG_CH_STATUS,
	PCICFG_CH_BAR,		/* cleared, moved or assigned */
	PCICFG_CH_POWER,
	PCICFG_CH_LINK,
	PCICFG_CH_MSI,
	PCICFG_CH_MSIX,
	PCICFG_CH_CAPS,		/* capability list changed */
	PCICFG_CH_INTLINE,
	PCICFG_CH_OTHER,	/* other registers, by area */
	PCICFG_CH_COVERAGE,	/* compared only where both have bytes */
};

#define PCICFG_LINELEN	320
#define PCICFG_MAXLINES	64

struct pcicfg_line {
	enum pcicfg_change kind;
	enum pcicfg_sig	 sig;		/* what this change indicates */
	int		 off;		/* the register, -1 when none */
	char		 text[PCICFG_LINELEN];
};

struct pcicfg_diff {
	struct pcicfg_line line[PCICFG_MAXLINES];
	size_t		 n;
	size_t		 omitted;	/* lines beyond PCICFG_MAXLINES */
	size_t		 nbytes;	/* bytes that differ */
	enum pcicfg_sig	 worst;		/* worst of the lines and of after */
};

/* Compares before and after (the diff is large: allocate it). */
void	pcicfg_diff(const struct pcicfg *, const struct pcicfg *,
	    struct pcicfg_diff *);
const char *pcicfg_change_name(enum pcicfg_change);	/* "bar" ... */
/* "  - text\n" a line, and the signature's text when there is one. */
void	pcicfg_diff_text(const struct pcicfg_diff *, struct strbuf *);
/* {"signature":...,"signature_text":...,"bytes_differ":N,"changes":[...]} */
void	pcicfg_diff_json(const struct pcicfg_diff *, struct json *,
	    const char *);

/*
 * Restore planning.  Writes restore the standard header (offsets up to
 * 0xff) of a function to a saved image: the command register, BARs and
 * ROM BAR, cache line size and latency timer, interrupt line, the power
 * state (PMCSR, never PME_Status) and the PCI Express device and link
 * control registers (never Initiate FLR, Link Disable or Retrain Link),
 * and last the command register, without ever turning bus mastering on.
 * Never written: IDs, revision and class, header type, BIST, status and
 * every other write-1-to-clear bit, capability headers, MSI and MSI-X
 * (the next driver programs them).  Vendor-specific registers (0x40-0xff
 * outside known capabilities, and everything above 0xff except capability
 * headers and AER status) only with PCICFG_RESTORE_VENDOR.
 */
#define PCICFG_RESTORE_VENDOR	0x01

#define PCICFG_MAXWRITES	1024

struct pcicfg_write {
	uint16_t	 off;
	uint8_t		 width;		/* 1, 2 or 4 */
	bool		 vendor;	/* a vendor-specific register */
	uint32_t	 val;
	unsigned	 delay_ms;	/* wait after it (D3hot to D0: 10) */
	char		 what[48];	/* "BAR0", "command" ... */
};

struct pcicfg_plan {
	struct pcicfg_write w[PCICFG_MAXWRITES];
	size_t		 n;
	size_t		 nskipped;	/* differences deliberately left */
};

/*
 * Plans the writes that bring cur back to saved; cur NULL writes every
 * restorable register.  Refusals (not the same device, a dead device, not
 * a type 0 header, a dead saved image) are errors in diags and return -1;
 * differences left alone are notes.
 */
int	pcicfg_restore_plan(const struct pcicfg *, const struct pcicfg *,
	    unsigned, struct pcicfg_plan *, struct diags *);

#endif /* PTVM_PCICFG_H */
