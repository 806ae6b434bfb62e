/*
 * vmload.h: a VM file found, read and compiled against the host.
 */
#ifndef PTVM_VMLOAD_H
#define PTVM_VMLOAD_H

#include "compat.h"
#include "kv.h"
#include "pci.h"
#include "topo.h"
#include "vmconf.h"

#define PTVM_CONFDIR	"/usr/local/etc/ptvm"
#define PTVM_VARDIR	"/var/db/ptvm"

struct eng;

struct vm_load {
	char		 path[1024];	/* the VM file */
	char		*buf;
	size_t		 len;
	struct vm	 vm;
	struct vm_env	 env;
	struct pci_list	 pci;
	struct kv_list	 kenv;
	struct topo	 topo;
	bool		 have_topo;
};

void	vm_load_init(struct vm_load *);
void	vm_load_free(struct vm_load *);
/* Finds, reads and compiles the VM arg; -1 with diagnostics in eng. */
int	vm_load(struct eng *, const char *, struct vm_load *);
int	vm_path(struct eng *, const char *, char *, size_t, char *,
	    size_t);
int	vm_read(struct eng *, const char *, const char *, char **,
	    size_t *);
/* The names of the VM files, sorted; free with host_names_free(). */
int	vm_names(struct eng *, char ***, size_t *);
/* The loader's smbios.* kenv names smbios=host copies (NULL at the end). */
const char *vm_smbios_kenv(size_t);

#endif /* PTVM_VMLOAD_H */
