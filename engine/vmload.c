/*
 * vmload.c: finding a VM file, gathering what the compiler needs from the
 * host, and compiling.  Shared by show, check and (later) start.
 *
 * Where VM files live: a name with a '/' is a path; otherwise NAME.conf in
 * the -c directory, or in /usr/local/etc/ptvm on the host (under -H, the
 * captured host's root/usr/local/etc/ptvm).
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng.h"
#include "topo.h"
#include "util.h"
#include "vmconf.h"
#include "vmload.h"

#define VM_MAXFILE	(1024 * 1024)

/* bhyve's UEFI firmware, newest package first (edk2-bhyve, then the old
 * uefi-edk2-bhyve). */
static const char *const fw_paths[][2] = {
	{ "/usr/local/share/edk2-bhyve/BHYVE_UEFI_CODE.fd",
	  "/usr/local/share/edk2-bhyve/BHYVE_UEFI_VARS.fd" },
	{ "/usr/local/share/uefi-firmware/BHYVE_UEFI_CODE.fd",
	  "/usr/local/share/uefi-firmware/BHYVE_UEFI_VARS.fd" },
	{ "/usr/local/share/uefi-firmware/BHYVE_UEFI.fd", NULL },
};

static bool
vm_is_local(struct eng *eng, const char *arg)
{

	return (strchr(arg, '/') != NULL || eng->confdir != NULL);
}

int
vm_path(struct eng *eng, const char *arg, char *path, size_t len,
    char *name, size_t namelen)
{
	int n;

	if (strchr(arg, '/') != NULL) {
		if (vm_name_of_path(arg, name, namelen) != 0) {
			diag_err(eng->diags, arg, 0, "the file name must be "
			    "a VM name (letters, digits, '-', '_', '.', at most "
			    "%d) with .conf", VM_NAMEMAX);
			return (-1);
		}
		n = snprintf(path, len, "%s", arg);
	} else {
		if (!vm_name_ok(arg) || strlen(arg) >= namelen) {
			diag_err(eng->diags, NULL, 0, "\"%s\" is not a VM "
			    "name: letters, digits, '-', '_' and '.', at most "
			    "%d", arg, VM_NAMEMAX);
			return (-1);
		}
		(void)strlcpy(name, arg, namelen);
		n = snprintf(path, len, "%s/%s.conf", eng->confdir != NULL ?
		    eng->confdir : PTVM_CONFDIR, arg);
	}
	if (n < 0 || (size_t)n >= len) {
		diag_err(eng->diags, arg, 0, "path too long");
		return (-1);
	}
	return (0);
}

/* Reads a VM file from where vm_path() says it is. */
int
vm_read(struct eng *eng, const char *arg, const char *path, char **buf,
    size_t *len)
{
	struct host *h;
	int e;

	h = host_local();
	if (vm_is_local(eng, arg))
		e = h->ops->lf_read(h, path, VM_MAXFILE, buf, len);
	else if (eng_host(eng, &h) != 0)
		return (-1);
	else
		e = h->ops->file_read(h, path, buf, len);
	if (e != 0) {
		diag_err(eng->diags, path, 0, "%s%s", sys_strerror(e),
		    e == ENOENT ? "; write one (ptvm create NAME) or give "
		    "its path" : "");
		return (-1);
	}
	return (0);
}

const char *
vm_smbios_kenv(size_t i)
{
	static const char *const names[] = {
		"smbios.bios.vendor", "smbios.bios.version",
		"smbios.bios.reldate", "smbios.system.maker",
		"smbios.system.product", "smbios.system.version",
		"smbios.system.serial", "smbios.system.sku",
		"smbios.system.family", "smbios.planar.maker",
		"smbios.planar.product", "smbios.planar.version",
		"smbios.planar.serial", "smbios.planar.tag",
		"smbios.planar.location", "smbios.chassis.maker",
		"smbios.chassis.version", "smbios.chassis.serial",
		"smbios.chassis.tag",
	};

	return (i < nitems(names) ? names[i] : NULL);
}

/* The names of the VM files (NAME.conf), sorted; host_names_free(). */
int
vm_names(struct eng *eng, char ***out, size_t *nout)
{
	char **names, vm[VM_NAMEMAX + 1];
	struct host *h;
	size_t n, i, k;
	int e;

	*out = NULL;
	*nout = 0;
	if (eng->confdir != NULL)
		e = host_local()->ops->lf_list(host_local(), eng->confdir,
		    &names, &n);
	else if (eng_host(eng, &h) != 0)
		return (EIO);
	else
		e = h->ops->dir_list(h, PTVM_CONFDIR, &names, &n);
	if (e != 0)
		return (e == ENOENT ? 0 : e);
	for (i = k = 0; i < n; i++) {
		if (strlen(names[i]) > 5 && strcmp(names[i] + strlen(names[i]) -
		    5, ".conf") == 0 && vm_name_of_path(names[i], vm,
		    sizeof(vm)) == 0) {
			strlcpy(names[i], vm, strlen(names[i]) + 1);
			names[k++] = names[i];
		} else
			free(names[i]);
	}
	*out = names;
	*nout = k;
	return (0);
}

/* console=auto: the lowest nmdm unit no other VM file names or takes. */
static int
nmdm_pick(struct eng *eng, const struct vmconf *self)
{
	char **names, *buf, path[1024], vm[VM_NAMEMAX + 1];
	const char *dir, *p;
	struct host *h;
	struct vmconf c;
	struct diags dd;
	size_t n, i, len, k;
	unsigned long used[4];		/* units 0-255 */
	unsigned long u;
	int e, autos, mine;

	memset(used, 0, sizeof(used));
	dir = eng->confdir != NULL ? eng->confdir : PTVM_CONFDIR;
	if (eng->confdir == NULL && eng_host(eng, &h) != 0)
		return (0);
	if (vm_names(eng, &names, &n) != 0)
		return (0);
	/* Explicit consoles first, then the auto ones in name order. */
	autos = 0;
	mine = -1;
	for (k = 0; k < 2; k++)
		for (i = 0; i < n; i++) {
			strlcpy(vm, names[i], sizeof(vm));
			if (snprintf(path, sizeof(path), "%s/%s.conf", dir,
			    vm) >= (int)sizeof(path))
				continue;
			if (eng->confdir != NULL)
				e = host_local()->ops->lf_read(host_local(),
				    path, VM_MAXFILE, &buf, &len);
			else
				e = h->ops->file_read(h, path, &buf, &len);
			if (e != 0)
				continue;
			diags_init(&dd);
			if (vmconf_parse(buf, len, path, vm, &c, &dd) == 0) {
				const struct vmconf_line *l;

				l = vmconf_get(&c, "console");
				p = l != NULL ? l->val : "auto";
				if (k == 0 && strncmp(p, "/dev/nmdm", 9) == 0) {
					p += 9;
					if (util_parse_ulong_end(&p, NULL, 10,
					    255, &u) == 0)
						used[u / 64] |= 1UL << (u % 64);
				} else if (k == 1 && strcmp(p, "auto") == 0) {
					for (u = 0; u < 256 &&
					    (used[u / 64] & (1UL << (u % 64)));
					    u++)
						;
					if (u < 256)
						used[u / 64] |= 1UL << (u % 64);
					if (strcmp(vm, self->name) == 0)
						mine = (int)u;
					autos++;
				}
			}
			vmconf_free(&c);
			diags_free(&dd);
			free(buf);
		}
	host_names_free(names, n);
	if (mine < 0) {
		/* Not in the directory (a path): the first free unit. */
		for (u = 0; u < 256 && (used[u / 64] & (1UL << (u % 64))); u++)
			;
		mine = (int)u;
	}
	return (mine);
}

static void
env_firmware(struct eng *eng, struct vm_env *env)
{
	struct host_stat st;
	struct host *h;
	size_t i;

	if (eng_host(eng, &h) != 0)
		return;
	for (i = 0; i < nitems(fw_paths); i++)
		if (h->ops->file_stat(h, fw_paths[i][0], &st) == 0) {
			env->firmware = fw_paths[i][0];
			env->vars_template = fw_paths[i][1];
			return;
		}
}

/* Gathers what this VM file needs from the host, and only that. */
static int
env_fill(struct eng *eng, const struct vmconf *c, struct vm_load *ld)
{
	struct vm_env *env = &ld->env;
	const struct vmconf_line *l;
	struct host *h;
	long long v;
	const char *name;
	char *val;
	size_t i, vlen;

	memset(env, 0, sizeof(*env));
	env->vardir = PTVM_VARDIR;
	env->nmdm_unit = 0;
	if (eng_host(eng, &h) != 0)
		return (-1);
	if (vmconf_get(c, "passthru") != NULL) {
		if (eng_pci(eng, &ld->pci) != 0)
			return (-1);
		env->pci = &ld->pci;
	}
	if ((l = vmconf_get(c, "smbios")) != NULL &&
	    strcmp(l->val, "host") == 0) {
		for (i = 0; (name = vm_smbios_kenv(i)) != NULL; i++)
			if (h->ops->kenv_get(h, name, &val) == 0) {
				(void)kv_set(&ld->kenv, name, val);
				free(val);
			}
		env->kenv = &ld->kenv;
	}
	l = vmconf_get(c, "pin");
	if ((l == NULL || strcmp(l->val, "none") != 0) &&
	    h->ops->sysctl_get_text(h, "kern.sched.topology_spec", &val,
	    &vlen) == 0) {
		name = eng->hostdir != NULL ? "topology.xml" :
		    "kern.sched.topology_spec";
		if (topo_parse(val, vlen, name, &ld->topo,
		    eng->diags) != 0) {
			free(val);
			return (-1);
		}
		free(val);
		ld->have_topo = true;
		env->topo = &ld->topo;
	}
	l = vmconf_get(c, "firmware");
	if (l == NULL || strcmp(l->val, "auto") == 0)
		env_firmware(eng, env);
	l = vmconf_get(c, "console");
	if (l == NULL || strcmp(l->val, "auto") == 0)
		env->nmdm_unit = nmdm_pick(eng, c);
	if (host_sysctl_int(h, "hw.vmm.maxcpu", &v) == 0 && v > 0 &&
	    v <= VM_MAXVCPUS)
		env->maxcpu = (int)v;
	return (0);
}

void
vm_load_init(struct vm_load *ld)
{

	memset(ld, 0, sizeof(*ld));
	vm_init(&ld->vm);
	pci_list_init(&ld->pci);
	kv_init(&ld->kenv);
}

void
vm_load_free(struct vm_load *ld)
{

	vm_free(&ld->vm);
	pci_list_free(&ld->pci);
	kv_free(&ld->kenv);
	if (ld->have_topo)
		topo_free(&ld->topo);
	free(ld->buf);
	memset(ld, 0, sizeof(*ld));
}

int
vm_load(struct eng *eng, const char *arg, struct vm_load *ld)
{
	struct vmconf c;
	char name[VM_NAMEMAX + 1];

	if (vm_path(eng, arg, ld->path, sizeof(ld->path), name,
	    sizeof(name)) != 0)
		return (-1);
	if (vm_read(eng, arg, ld->path, &ld->buf, &ld->len) != 0)
		return (-1);
	if (vmconf_parse(ld->buf, ld->len, ld->path, name, &c,
	    eng->diags) != 0) {
		vmconf_free(&c);
		return (-1);
	}
	if (env_fill(eng, &c, ld) != 0) {
		vmconf_free(&c);
		return (-1);
	}
	return (vm_compile(&c, &ld->env, &ld->vm, eng->diags));
}
