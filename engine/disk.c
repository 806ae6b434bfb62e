/*
 * disk.c: helpers of the disk commands and of check (see disk.h).
 */
#include "compat.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disk.h"
#include "hostop.h"
#include "life.h"
#include "eng.h"
#include "sup.h"
#include "vmload.h"

#define VM_MAXFILE	(1024 * 1024)

void
disk_list(const struct vm *vm, struct vm_disks *dl)
{
	struct vm_disk *d;
	size_t i;

	memset(dl, 0, sizeof(*dl));
	for (i = 0; i < vm->ndev && dl->n < VM_MAXDISKS; i++) {
		if (vm->dev[i].kind != VMD_DISK || vm->dev[i].path == NULL)
			continue;
		d = &dl->d[dl->n++];
		d->path = vm->dev[i].path;
		d->line = vm->dev[i].line;
		if (zfs_zvol_dataset(d->path, d->dataset,
		    sizeof(d->dataset)) != 0)
			d->dataset[0] = '\0';
		else
			dl->ds[dl->nzvol++] = d->dataset;
	}
}

int
vm_running(struct eng *eng, const char *name, char *why, size_t wl)
{
	struct host_vm_list vl;
	struct life_paths p;
	struct sup_status st;
	struct host *h;
	size_t i;
	int e, rc;

	if (eng_host(eng, &h) != 0) {
		(void)snprintf(why, wl, "the host cannot be read");
		return (-1);
	}
	if ((e = h->ops->vm_list(h, &vl)) != 0) {
		(void)snprintf(why, wl, "the VMs in /dev/vmm cannot be listed: "
		    "%s", strerror(e));
		return (-1);
	}
	for (i = 0; i < vl.n && strcmp(vl.vm[i].name, name) != 0; i++)
		;
	rc = i < vl.n;
	host_vm_list_free(&vl);
	if (rc) {
		(void)snprintf(why, wl, "its VM exists in /dev/vmm");
		return (1);
	}
	/* The supervisor's status file, when there is one (life.h). */
	if ((e = life_paths(h, name, &p)) != 0) {
		(void)snprintf(why, wl, "%s: %s", name, strerror(e));
		return (-1);
	}
	e = life_status_look(&p, &st, why, wl);
	if (e == ENOENT)
		return (0);
	if (e != 0)
		return (-1);	/* damaged: it may be running */
	if (st.state != SUP_STOPPED) {
		(void)snprintf(why, wl, "%s says %s; if no bhyve runs for it, "
		    "remove the file", p.status, sup_state_name(st.state));
		return (1);
	}
	return (0);
}

void
argv_fmt(const char *const *argv, char *buf, size_t len)
{
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	for (i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			sb_putc(&sb, ' ');
		hostop_quote(&sb, argv[i]);
	}
	(void)snprintf(buf, len, "%s", sb.oom ? "zfs" : sb_str(&sb));
	sb_free(&sb);
}

int
zfs_change(struct eng *eng, const char *const *argv, bool *ran)
{
	struct host_proc pr;
	struct host *h;
	char cmd[1024];
	int e;

	*ran = false;
	if (eng_host(eng, &h) != 0)
		return (-1);
	if ((e = h->ops->run(h, __DECONST(char *const *, argv), &pr)) != 0) {
		diag_err(eng->diags, NULL, 0, "%s%s", host_proc_str(
		    __DECONST(char *const *, argv), e, &pr, cmd, sizeof(cmd)),
		    e == ENOENT ? " (is ZFS installed?)" : "");
		return (-1);
	}
	*ran = pr.ran;
	if (pr.ran && pr.status != 0) {
		diag_err(eng->diags, NULL, 0, "%s%s", host_proc_str(
		    __DECONST(char *const *, argv), 0, &pr, cmd, sizeof(cmd)),
		    pr.signal == 0 ? " (zfs said why above)" : "");
		return (-1);
	}
	return (0);
}

int
zfs_query(struct eng *eng, const char *const *argv, char **out,
    size_t *len)
{
	struct host_proc pr;
	struct host *h;
	char cmd[1024];
	int e;

	*out = NULL;
	*len = 0;
	if (eng_host(eng, &h) != 0)
		return (-1);
	e = h->ops->run_output(h, __DECONST(char *const *, argv), &pr, out,
	    len);
	if (e != 0) {
		diag_err(eng->diags, NULL, 0, "%s%s", host_proc_str(
		    __DECONST(char *const *, argv), e, &pr, cmd, sizeof(cmd)),
		    e == ENOENT ? " (is ZFS installed?)" : "");
		return (-1);
	}
	if (pr.ran && pr.status != 0) {
		diag_err(eng->diags, NULL, 0, "%s%s", host_proc_str(
		    __DECONST(char *const *, argv), 0, &pr, cmd, sizeof(cmd)),
		    pr.signal == 0 ? " (zfs said why above)" : "");
		free(*out);
		*out = NULL;
		return (-1);
	}
	return (0);
}

static bool
vm_local(struct eng *eng, const char *arg)
{

	return (strchr(arg, '/') != NULL || eng->confdir != NULL);
}

int
vm_foreach_other(struct eng *eng, const char *self,
    void (*fn)(void *, const char *, const struct vmconf *), void *arg)
{
	char **names, *buf, path[1024], vm[VM_NAMEMAX + 1];
	const char *dir;
	struct host *h;
	struct vmconf c;
	struct diags dd;
	size_t n, i, len, nl;
	int e;

	h = NULL;
	dir = eng->confdir != NULL ? eng->confdir : PTVM_CONFDIR;
	if (eng->confdir != NULL)
		e = host_local()->ops->lf_list(host_local(), dir, &names, &n);
	else if (eng_host(eng, &h) != 0)
		return (-1);
	else
		e = h->ops->dir_list(h, dir, &names, &n);
	if (e != 0)
		return (e == ENOENT ? 0 : -1);
	for (i = 0; i < n; i++) {
		nl = strlen(names[i]);
		if (nl < 6 || strcmp(names[i] + nl - 5, ".conf") != 0 ||
		    vm_name_of_path(names[i], vm, sizeof(vm)) != 0 ||
		    strcmp(vm, self) == 0 ||
		    snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >=
		    (int)sizeof(path))
			continue;
		e = h == NULL ? host_local()->ops->lf_read(host_local(), path,
		    VM_MAXFILE, &buf, &len) : h->ops->file_read(h, path, &buf,
		    &len);
		if (e != 0)
			continue;
		diags_init(&dd);
		if (vmconf_parse(buf, len, path, vm, &c, &dd) == 0)
			fn(arg, path, &c);
		vmconf_free(&c);
		diags_free(&dd);
		free(buf);
	}
	host_names_free(names, n);
	return (0);
}

int
vm_recompile(struct eng *eng, const struct vm_load *ld,
    const char *buf, size_t len)
{
	struct vmconf c;
	struct diags dd;
	struct diag *x;
	struct vm vm;
	int rc;

	/* Only errors: the warnings were said when the file was loaded. */
	diags_init(&dd);
	vm_init(&vm);
	if ((rc = vmconf_parse(buf, len, ld->path, ld->vm.name, &c,
	    &dd)) != 0)
		vmconf_free(&c);
	else
		rc = vm_compile(&c, &ld->env, &vm, &dd);
	STAILQ_FOREACH(x, &dd.head, entry)
		if (x->level == DIAG_ERROR)
			diag_err(eng->diags, x->file, x->line, "%s", x->msg);
	if (rc != 0)
		diag_err(eng->diags, ld->path, 0, "the VM file would not "
		    "compile after this change; nothing was changed");
	vm_free(&vm);
	diags_free(&dd);
	return (rc);
}

int
vm_write(struct eng *eng, const char *arg, const struct vm_load *ld,
    const char *data, size_t len)
{
	struct host_stat st;
	struct host *h;
	char real[PATH_MAX], *now;
	size_t nlen;
	int e, mode;

	h = NULL;
	if (!vm_local(eng, arg) && eng_host(eng, &h) != 0)
		return (-1);
	e = h == NULL ? host_local()->ops->lf_read(host_local(), ld->path,
	    VM_MAXFILE, &now, &nlen) : h->ops->file_read(h, ld->path, &now,
	    &nlen);
	if (e != 0) {
		diag_err(eng->diags, ld->path, 0, "cannot read it again: %s",
		    sys_strerror(e));
		return (-1);
	}
	e = nlen != ld->len || memcmp(now, ld->buf, nlen) != 0;
	free(now);
	if (e) {
		diag_err(eng->diags, ld->path, 0, "the file changed while "
		    "ptvm was editing it; nothing was written: run the command "
		    "again");
		return (-1);
	}
	if (h != NULL) {
		mode = h->ops->file_stat(h, ld->path, &st) == 0 ? st.mode :
		    0644;
		e = h->ops->file_write(h, ld->path, data, len, mode);
	} else if ((e = host_local()->ops->lf_realpath(host_local(), ld->path,
	    real, sizeof(real))) != 0)
		;
	else {
		/* A symbolic link stays one: the file it names is replaced. */
		mode = host_local()->ops->lf_stat(host_local(), real, false,
		    &st) == 0 ? st.mode : 0644;
		e = host_local()->ops->lf_write(host_local(), real, data, len,
		    mode, 0);
	}
	if (e != 0) {
		diag_err(eng->diags, ld->path, 0, "cannot write: %s; the file "
		    "is as it was", sys_strerror(e));
		return (-1);
	}
	return (0);
}

int
eng_zvol_create(struct eng *eng, const char *ds, uint64_t bytes,
    uint64_t vbs, bool sparse, bool parents, bool *ran)
{
	const char *av[16];
	char size[32], vb[32], vbsopt[48];
	size_t n;

	zfs_size_exact(bytes, size, sizeof(size));
	zfs_size_exact(vbs, vb, sizeof(vb));
	(void)snprintf(vbsopt, sizeof(vbsopt), "volblocksize=%s", vb);
	n = 0;
	av[n++] = "zfs";
	av[n++] = "create";
	if (parents)
		av[n++] = "-p";
	if (sparse)
		av[n++] = "-s";
	av[n++] = "-V";
	av[n++] = size;
	av[n++] = "-o";
	av[n++] = "volmode=dev";
	av[n++] = "-o";
	av[n++] = vbsopt;
	av[n++] = ds;
	av[n] = NULL;
	return (zfs_change(eng, av, ran));
}
