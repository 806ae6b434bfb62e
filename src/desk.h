/*
 * desk.h: what else a desktop VM needs (issue 18): sound, USB
 * controllers, TPM, the guest's address.  The hooks the rest of the
 * front end calls; each lives in src/desk.c (what acts on the host is
 * engine/desk.c and engine/tpm.c).
 */
#ifndef PTVM_DESK_H
#define PTVM_DESK_H

#include "compat.h"
#include "pci.h"

struct checks;
struct host;
struct ptvm_ctx;
struct vm_load;

/* The checks of sound=, USB controllers passed and tpm= (check_vm). */
void	desk_check(struct ptvm_ctx *, struct host *, const struct vm_load *,
	    struct checks *);
struct json;
struct vm;
/*
 * status: the guest's addresses from the host's neighbour tables by the
 * MACs of its nets, and with remote=sunshine whether it answers there.
 */
void	desk_status_text(struct host *, const struct vm *, bool);
void	desk_status_json(struct host *, const struct vm *, bool,
	    struct json *);
/* "ptvm devices --usb [--json]". */
int	desk_devices_usb(struct ptvm_ctx *, const struct pci_list *, bool);

#endif /* PTVM_DESK_H */
