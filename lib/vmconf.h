/*
 * vmconf.h: ptvm's VM files (ptvm.conf(5)) and the compiler that turns one
 * into the exact bhyve configuration.
 *
 * A VM file is bhyve_config(5) syntax made forgiving: "key=value" lines,
 * '#' comments, blank lines, whitespace around key and value trimmed, one
 * pair of double quotes around a value removed.  ptvm's own keys (cpus,
 * memory, pin, passthru, disk, cdrom, net, vnc, console, firmware, smbios,
 * lpc and the supervisor's keys) expand into bhyve variables; every other
 * key is a bhyve variable and reaches bhyve unchanged once checked, and
 * "bhyve.KEY" passes KEY through unchecked.
 *
 * Pure: the caller gathers the host facts (struct vm_env) and prints.
 */
#ifndef PTVM_VMCONF_H
#define PTVM_VMCONF_H

#include "compat.h"
#include "bcfg.h"
#include "diag.h"
#include "kv.h"
#include "pci.h"
#include "pin.h"
#include "topo.h"

#define VM_NAMEMAX	31		/* VM_MAX_NAMELEN - 1 of vmm(4) */
#define VM_MAXLINES	10000
#define VM_MAXVCPUS	1024
#define VM_VALUEMAX	4096		/* the longest value ptvm writes */

/* One "key=value" line of a VM file. */
struct vmconf_line {
	char		*key;
	char		*val;		/* trimmed, quotes removed */
	unsigned	 line;
};

struct vmconf {
	char		*file;		/* for diagnostics */
	char		 name[VM_NAMEMAX + 1];
	struct vmconf_line *l;
	size_t		 n;
};

/* Checks a VM name: letters, digits, '-', '_', '.', at most 31. */
bool	vm_name_ok(const char *);
/* The VM name of a file name ("/x/winpt.conf" -> "winpt"); -1: invalid. */
int	vm_name_of_path(const char *, char *, size_t);

int	vmconf_parse(const char *, size_t, const char *, const char *,
	    struct vmconf *, struct diags *);

/* Whether vmconf_parse() reads s as a key: letters, digits, '.', '_', '-'. */
bool	vm_key_ok(const char *);
/*
 * How a value must be written after "key=" for vmconf_parse() to read it
 * back byte for byte: 0 as it is, 1 between double quotes (a blank or a
 * '"' at either end, which the parser would take away).  -1 when no line
 * of a VM file can hold it (a control character such as a newline, which
 * would end the line and start another key; longer than VM_VALUEMAX),
 * with why in why[wl].  Every writer of VM files goes through it.
 */
int	vm_value_form(const char *, char *, size_t);
/*
 * Appends "key=value\n" with the value written as vm_value_form() says.
 * -1 with why (and nothing appended) when the key is not one or the
 * value cannot be written.
 */
int	vm_put_pair(struct strbuf *, const char *, const char *, char *,
	    size_t);
void	vmconf_free(struct vmconf *);
/* The value of the last line with key, or NULL. */
const struct vmconf_line *vmconf_get(const struct vmconf *, const char *);

/* What the compiler needs to know of the host; NULL members: unknown. */
struct vm_env {
	struct pci_list	*pci;
	const struct kv_list *kenv;	/* smbios.* for smbios=host */
	const struct topo *topo;
	const char	*firmware;	/* what firmware=auto found */
	const char	*vars_template;	/* its BHYVE_UEFI_VARS.fd, or NULL */
	const char	*vardir;	/* per-VM state: /var/db/ptvm */
	int		 nmdm_unit;	/* console=auto picks nmdmNA/B */
	int		 maxcpu;	/* hw.vmm.maxcpu, 0 unknown */
};

enum vm_dev_kind {
	VMD_PASSTHRU,
	VMD_DISK,
	VMD_CDROM,
	VMD_NET,
	VMD_FBUF,
	VMD_XHCI,
	VMD_HDA,		/* sound= */
};

/* A guest device ptvm placed, with the facts checks need. */
struct vm_dev {
	enum vm_dev_kind kind;
	unsigned	 bus, slot, func;	/* guest address */
	unsigned	 line;
	char		*path;		/* disk, cdrom: the backing file */
	char		*rom;		/* passthru: rom= file, or NULL */
	struct pci_sel	 host;		/* passthru: host function */
	bool		 host_use_take;	/* passthru: host_use=take */
	bool		 audio_host;	/* passthru: audio=host, the GPU's
					   HDMI/DP audio left on purpose */
	char		*ifname;	/* net: the tap bhyve opens ("tap":
					   for a bridge, start picks tapN) */
	char		*bridge;	/* net: bridge to join, or NULL */
	unsigned	 netidx;	/* net: its index among the nets */
	uint8_t		 mac[6];	/* net: its MAC (mac=, or bhyve's, A3) */
};

enum vm_policy {
	VMP_RESTART,
	VMP_STOP,
};

/* The supervisor's settings (ptvm.conf(5) "LIFECYCLE"). */
struct vm_life {
	enum vm_policy	 on_reboot, on_poweroff, on_halt, on_crash;
	int		 stop_timeout;		/* seconds */
	int		 acpi_presses;		/* 1 or 2 */
	bool		 isolate;
	bool		 unbind_on_stop;
	bool		 console_gpu_take;	/* console_gpu=take */
};

enum vm_remote {
	VM_REMOTE_NONE,
	VM_REMOTE_SUNSHINE,	/* remote=sunshine: TCP 47989 */
};

enum vm_tpm {
	VM_TPM_NONE,
	VM_TPM_SWTPM,		/* tpm=swtpm */
	VM_TPM_PASSTHRU,	/* tpm=/dev/tpmN */
};

struct vm {
	struct vmconf	 conf;
	char		 name[VM_NAMEMAX + 1];
	struct bcfg	 cfg;		/* what bhyve gets with -k */
	struct vm_dev	*dev;
	size_t		 ndev;
	struct pci_sel	*bind;		/* host functions to put on ppt */
	size_t		 nbind;
	int		 ncpus;
	uint64_t	 memory;	/* bytes */
	int		*pin;		/* [ncpus] host CPU, -1 unpinned */
	bool		 pinned;
	struct pin_plan	*plan;		/* the planner's plan, or NULL */
	char		*console;	/* nmdm A side, or NULL */
	char		*vnc;		/* address:port, or NULL */
	char		*firmware;
	char		*vars;		/* per-VM UEFI variables, or NULL */
	bool		 display;	/* has a GPU or fbuf */
	char		*sound_play;	/* sound=: the HDA's play device */
	char		*sound_rec;	/* and its rec device, or NULL */
	enum vm_tpm	 tpm;
	char		*tpm_path;	/* swtpm's socket, or the /dev/tpmN */
	char		*tpm_state;	/* swtpm: its state directory */
	enum vm_remote	 remote;
	struct vm_life	 life;
};

void	vm_init(struct vm *);
void	vm_free(struct vm *);
/*
 * Compiles conf (moved into vm) into vm.  Every problem is reported,
 * located at the VM file's line; returns 0 or -1 when an error was seen.
 * Paths are not checked for existence here (see ptvm check).
 */
int	vm_compile(struct vmconf *, const struct vm_env *, struct vm *,
	    struct diags *);

/*
 * A bhyve configuration (bhyve_argv_to_cfg() of a script) as a VM file,
 * appended to out; the guide's ignored keys corrected with a warning.
 */
int	vm_import(const struct bcfg *, const char *, struct strbuf *,
	    struct diags *);

/*
 * The i-th of the loader's smbios.* kenv names and the bhyve key it
 * fills (smbiostbl.c); -1 past the last.
 */
int	vm_smbios_map(size_t, const char **, const char **);

/* What the front end knows about where the script ran. */
struct bhyve_script_info;
struct vm_import_opts {
	/* relative paths are joined to it (absolute), or NULL: refused */
	const char	*basedir;
	const char	*basewhy;	/* how to say it: "the script's ..." */
	/* the script's pptdevs and unused variables, or NULL */
	const struct bhyve_script_info *script;
	/* 0 when the absolute path exists on the VM's host, or NULL */
	int		(*exists)(void *, const char *);
	void		*arg;
};

/*
 * vm_import() with relative paths resolved (a note each, a warning when
 * missing), and the functions the script binds but never passes
 * written as commented passthru= lines.
 */
int	vm_import_with(const struct bcfg *, const char *,
	    const struct vm_import_opts *, struct strbuf *, struct diags *);

/* Sizes as bhyve and ptvm take them: 16G, 16g, 512M, 1T, bytes. */
int	vm_parse_size(const char *, uint64_t *);
/*
 * The same, with zfs's P, E and Z too (a volume size): 0, or -1 when s is
 * not a size, 1 when it is one that does not fit in 64 bits.
 */
int	vm_parse_size_zfs(const char *, uint64_t *);

#endif /* PTVM_VMCONF_H */
