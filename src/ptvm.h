/*
 * ptvm.h: the command front end.  The context every command gets, the
 * command table entry, and the output helpers.
 */
#ifndef PTVM_PTVM_H
#define PTVM_PTVM_H

#include "compat.h"
#include "diag.h"
#include "engine.h"
#include "host.h"
#include "opt.h"
#include "strbuf.h"

#define PTVM_VERSION	"0.1.0"

struct ptvm_ctx {
	struct eng	 eng;		/* -H, -c, the host; diags below */
	struct diags	 diags;		/* printed by the front end */
	const struct cmd *cmd;		/* the command running, set by main */
	char		 cmdname[32];	/* its full name ("rom inspect") */
};

struct cmd {
	const char	 *name;
	const char	 *synopsis;	/* arguments, as in ptvm.8 */
	const char	 *descr;	/* one line */
	int		(*fn)(struct ptvm_ctx *, int, char **);
	const struct cmd *sub;		/* nested table, or NULL */
};

/* The local host (host_local()): the files the user names (lf_*). */
#define LH		(host_local())

/* ctx.c */
int	ctx_host(struct ptvm_ctx *, struct host **);
int	ctx_pci(struct ptvm_ctx *, struct pci_list *);
int	ctx_console_unit(struct ptvm_ctx *);
struct topo;
int	ctx_topo(struct ptvm_ctx *, struct topo *);

/* output.c */
int	out_diags(struct ptvm_ctx *);
void	out_report(void *, const char *, enum diag_level, const char *);
void	out_json(struct strbuf *);
void	out_usage(const char *, const struct cmd *);
int	out_usage_error(const char *, const struct cmd *, const char *, ...)
	    __printflike(3, 4);

/* One handler per command; a file per family. */
int	cmd_devices(struct ptvm_ctx *, int, char **);
int	cmd_bind(struct ptvm_ctx *, int, char **);
int	cmd_unbind(struct ptvm_ctx *, int, char **);
int	cmd_host_setup(struct ptvm_ctx *, int, char **);
int	cmd_host_capture(struct ptvm_ctx *, int, char **);
int	cmd_topology(struct ptvm_ctx *, int, char **);
int	cmd_pin(struct ptvm_ctx *, int, char **);
int	cmd_rom_inspect(struct ptvm_ctx *, int, char **);
int	cmd_rom_trim(struct ptvm_ctx *, int, char **);
int	cmd_rom_extract(struct ptvm_ctx *, int, char **);
int	cmd_rom_dump(struct ptvm_ctx *, int, char **);
int	cmd_show(struct ptvm_ctx *, int, char **);
int	cmd_check(struct ptvm_ctx *, int, char **);
int	cmd_import(struct ptvm_ctx *, int, char **);
int	cmd_create(struct ptvm_ctx *, int, char **);
int	cmd_start(struct ptvm_ctx *, int, char **);
int	cmd_stop(struct ptvm_ctx *, int, char **);
int	cmd_restart(struct ptvm_ctx *, int, char **);
int	cmd_status(struct ptvm_ctx *, int, char **);
int	cmd_list(struct ptvm_ctx *, int, char **);
int	cmd_console(struct ptvm_ctx *, int, char **);
int	cmd_host_restore(struct ptvm_ctx *, int, char **);
/* cmd_stop.c: the options of stop and restart; a stop, said. */
int	stop_opts(struct ptvm_ctx *, int, char **, int *, bool *, int *,
	    int *);
int	stop_vm(struct ptvm_ctx *, const char *, int, bool, int);
int	cmd_pci_show(struct ptvm_ctx *, int, char **);
int	cmd_pci_save(struct ptvm_ctx *, int, char **);
int	cmd_pci_diff(struct ptvm_ctx *, int, char **);
int	cmd_pci_restore(struct ptvm_ctx *, int, char **);
/* cmd_pci.c: one function's save file DIR/pci0:B:S:F.txt (-f: replace). */
int	pci_save_dev(struct ptvm_ctx *, struct host *, const struct pci_dev *,
	    const char *, bool);
int	cmd_disk_create(struct ptvm_ctx *, int, char **);
int	cmd_cdrom(struct ptvm_ctx *, int, char **);
int	cmd_snapshot(struct ptvm_ctx *, int, char **);
int	cmd_snapshots(struct ptvm_ctx *, int, char **);
int	cmd_rollback(struct ptvm_ctx *, int, char **);
/* cmd_vmset.c: keys of a VM file set in place; pin --set. */
struct vmedit_pair;
struct pin_req;
int	vm_set_keys(struct ptvm_ctx *, const char *, const struct vmedit_pair *,
	    size_t, const char *);
int	pin_set(struct ptvm_ctx *, const char *, const struct pin_req *);
int	cmd_smbios(struct ptvm_ctx *, int, char **);
int	cmd_set(struct ptvm_ctx *, int, char **);
/* cmd_autostart.c: rc.conf's ptvm_list and ptvm_enable. */
int	cmd_autostart(struct ptvm_ctx *, int, char **);
void	autostart_print(struct ptvm_ctx *);

#endif /* PTVM_PTVM_H */
