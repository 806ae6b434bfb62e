/*
 * bind.h: running bind and unbind plans on a host, with retries,
 * verification and rollback.  Reports through a line callback.
 */
#ifndef PTVM_BIND_H
#define PTVM_BIND_H

#include "bindplan.h"
#include "eng.h"

#define BIND_DETACH_TRIES	3	/* plain detaches before -f */
#define BIND_DETACH_PAUSE_MS	1000

struct bind_env {
	struct bind_state st;
	struct pci_list	 pci;
	char		*pptdevs[PPTDEVS_VARS];
	char		*amdvi_kenv;
	struct host_vm_list vms;
	struct pci_sel	*vm_devs;
	const char	**vm_owner;
	struct hostuse	 hu;		/* what the host itself uses */
	char		*records;	/* the bindings file */
	size_t		 records_len;
};

typedef void bind_log_fn(void *, const char *);

int	bind_env_read(struct eng *, struct host *, struct bind_env *);
void	bind_env_free(struct bind_env *);
int	bind_resolve(struct eng *, struct bind_env *, int, char **,
	    size_t **, size_t *);
void	bind_plan_print(const struct bind_plan *, bind_log_fn *, void *);
int	bind_execute(struct eng *, struct host *, struct bind_env *,
	    struct bind_plan *, bind_log_fn *, void *);
int	unbind_execute(struct eng *, struct host *, struct bind_env *,
	    struct bind_plan *, bind_log_fn *, void *);

#endif /* PTVM_BIND_H */
