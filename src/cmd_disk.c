/*
 * cmd_disk.c: "ptvm disk create" and "ptvm cdrom": a VM's zvol and its
 * install medium, the VM file edited in place (comments and order kept,
 * written atomically, and only when it still compiles).
 *
 * volblocksize: a zvol's block size is fixed at creation.  Every guest
 * write smaller than a block is a read-modify-write of the whole block,
 * and every block costs metadata, checksums and, on RAIDZ, parity and
 * padding, which approach a mirror's overhead for small blocks.  NTFS
 * (Windows' default 4K clusters), ext4 and UFS write 4K-32K; 16K, the
 * OpenZFS 2.2 default, is the balance for them, and ptvm sets it
 * explicitly so that FreeBSD 13 (whose OpenZFS defaults to 8K) gets it
 * too.  64K suits RAIDZ pools and disks of large files (game libraries,
 * media) at the price of more read-modify-write: --volblocksize 64K.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disk.h"
#include "ptvm.h"
#include "vmconf.h"
#include "vmedit.h"
#include "vmload.h"
#include "zfs.h"

#define DISK_VBS_DEFAULT	(16 * 1024)
#define DISK_VBS_MIN		(4 * 1024)
#define DISK_VBS_MAX		(128 * 1024)

/* Paths of disks in the other VM files, to refuse sharing one. */
struct owner {
	const char	*path;		/* looked for */
	char		 file[1024];	/* found in, "" when not */
	unsigned	 line;
};

static void
owner_scan(void *arg, const char *file, const struct vmconf *c)
{
	struct owner *o = arg;
	char path[1024];
	size_t i, n;

	for (i = 0; i < c->n && o->file[0] == '\0'; i++) {
		if (strcmp(c->l[i].key, "disk") != 0)
			continue;
		n = vmedit_path_len(c->l[i].val);
		if (n >= sizeof(path))
			continue;
		memcpy(path, c->l[i].val, n);
		path[n] = '\0';
		if (vmedit_path_same(path, o->path)) {
			(void)snprintf(o->file, sizeof(o->file), "%s", file);
			o->line = c->l[i].line;
		}
	}
}

/* The line of another VM file that has path as a disk: *file "" if none. */
static void
disk_owner(struct ptvm_ctx *ctx, const char *self, const char *path,
    struct owner *o)
{

	memset(o, 0, sizeof(*o));
	o->path = path;
	(void)vm_foreach_other(&ctx->eng, self, owner_scan, o);
}

/* Names in zfs list -H -o name output: does it hold name? */
static bool
listed(const char *out, const char *name)
{
	const char *p, *nl;
	size_t n;

	n = strlen(name);
	for (p = out; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if ((size_t)((nl != NULL ? nl : p + strlen(p)) - p) == n &&
		    memcmp(p, name, n) == 0)
			return (true);
	}
	return (false);
}

struct dc_opts {
	const char	*dataset;
	bool		 sparse;
	uint64_t	 size;
	uint64_t	 vbs;
};

static int
dc_args(struct ptvm_ctx *ctx, int argc, char **argv, struct dc_opts *o)
{
	static const struct optdef defs[] = {
		{ 'd', 0, "dataset", true, NULL },
		{ 's', 0, "sparse", false, NULL },
		{ 'b', 0, "volblocksize", true, NULL },
		OPTDEF_END
	};
	struct opts op;
	char **ops;
	uint64_t up, max;
	char buf[32], vbs[32];
	int ch, big;

	memset(o, 0, sizeof(*o));
	o->vbs = DISK_VBS_DEFAULT;
	opt_init(&op, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&op)) != OPT_END)
		switch (ch) {
		case 'd':
			o->dataset = op.arg;
			break;
		case 's':
			o->sparse = true;
			break;
		case 'b':
			if (vm_parse_size(op.arg, &o->vbs) != 0 ||
			    o->vbs < DISK_VBS_MIN || o->vbs > DISK_VBS_MAX ||
			    (o->vbs & (o->vbs - 1)) != 0) {
				diag_err(&ctx->diags, NULL, 0, "--volblocksize "
				    "\"%s\": give a power of two from 4K to "
				    "128K, such as 16K (the default) or 64K",
				    op.arg);
				return (EXIT_FAIL);
			}
			break;
		default:
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		}
	if (opt_operands(&op, &ops) != 2)	/* argv[1], argv[2] */
		return (out_usage_error(ctx->cmdname, ctx->cmd, "a VM and a "
		    "size expected"));
	/*
	 * zfs takes any volsize that fits in 64 bits and is a multiple of
	 * the volume block size (docs/freebsd.md Z-SIZE1): its largest is
	 * 2^64 less one block, which rounding up must not pass.
	 */
	max = UINT64_MAX - UINT64_MAX % o->vbs;
	big = vm_parse_size_zfs(argv[2], &o->size);
	if (big < 0 || (big == 0 && o->size == 0)) {
		diag_err(&ctx->diags, NULL, 0, "size \"%s\": give a size above "
		    "0 such as 256G, 256g, 1T or a number of bytes",
		    argv[2]);
		return (EXIT_FAIL);
	}
	if (big > 0 || o->size > max) {
		zfs_size_exact(max, buf, sizeof(buf));
		zfs_size_exact(o->vbs, vbs, sizeof(vbs));
		diag_err(&ctx->diags, NULL, 0, "size \"%s\" is larger than a "
		    "ZFS volume can be: at most %s (16E less one %s volume "
		    "block): a volume size is a 64-bit number of bytes and a "
		    "multiple of the block size", argv[2], buf, vbs);
		return (EXIT_FAIL);
	}
	if (o->size % o->vbs != 0) {
		up = (o->size / o->vbs + 1) * o->vbs;
		zfs_size_exact(up, buf, sizeof(buf));
		diag_add(&ctx->diags, DIAG_NOTE, NULL, 0, "size %s rounded up "
		    "to %s, a multiple of the volume block size", argv[2], buf);
		o->size = up;
	}
	return (EXIT_OK);
}

/* The pools, from zfs list -d 0; *out NULL when zfs cannot run here. */
static int
dc_pools(struct ptvm_ctx *ctx, char **out)
{
	static const char *const av[] = { "zfs", "list", "-H", "-o", "name",
	    "-d", "0", NULL };
	size_t len;

	return (zfs_query(&ctx->eng, av, out, &len));
}

/* The pool: --dataset's, the VM's zvols', or the only one. */
static int
dc_pool(struct ptvm_ctx *ctx, const struct vm_load *ld, const char *dataset,
    const char *pools, char *pool, size_t len)
{
	struct vm_disks dl;
	const char *nl;

	disk_list(&ld->vm, &dl);
	if (dataset != NULL || dl.nzvol > 0) {
		dataset = dataset != NULL ? dataset : dl.ds[0];
		(void)snprintf(pool, len, "%.*s", (int)strcspn(dataset, "/"),
		    dataset);
		return (0);
	}
	if (pools == NULL) {
		diag_err(&ctx->diags, NULL, 0, "zfs cannot run here to find "
		    "the pool: give --dataset POOL/PATH");
		return (-1);
	}
	if (*pools == '\0') {
		diag_err(&ctx->diags, NULL, 0, "this host has no ZFS pool; "
		    "a plain file works as a disk too (disk=/path/disk.img)");
		return (-1);
	}
	if ((nl = strchr(pools, '\n')) != NULL && nl[1] != '\0') {
		diag_err(&ctx->diags, NULL, 0, "this host has several pools; "
		    "give --dataset POOL/vm/%s with one of them", ld->vm.name);
		return (-1);
	}
	(void)snprintf(pool, len, "%.*s", (int)strcspn(pools, "\n"), pools);
	return (0);
}

/*
 * The dataset ptvm picks: POOL/vm/NAME, then POOL/vm/NAME-disk1 ..., the
 * first that neither exists nor is a disk of a VM file.
 */
static int
dc_default(struct ptvm_ctx *ctx, const char *vm, const char *pool,
    const char *names, char *ds, size_t dslen)
{
	struct owner o;
	char path[ZFS_NAMEMAX + 16];
	int i;

	for (i = 0; i < 100; i++) {
		char why[160];
		int n;

		n = i == 0 ? snprintf(ds, dslen, "%s/vm/%s", pool, vm) :
		    snprintf(ds, dslen, "%s/vm/%s-disk%d", pool, vm, i);
		if (n < 0 || (size_t)n >= dslen ||
		    zfs_dataset_check(ds, why, sizeof(why)) != 0) {
			diag_err(&ctx->diags, NULL, 0, "%s/vm/%s is not a "
			    "dataset name ZFS takes: give --dataset", pool, vm);
			return (-1);
		}
		(void)snprintf(path, sizeof(path), "%s%s", ZFS_ZVOL_DIR, ds);
		if (names != NULL && listed(names, ds))
			continue;
		disk_owner(ctx, "", path, &o);
		if (o.file[0] == '\0')
			return (0);
	}
	diag_err(&ctx->diags, NULL, 0, "%s/vm/%s-disk1 to -disk99 are all "
	    "taken: give --dataset", pool, vm);
	return (-1);
}

/* The lines of zfs list output joined with ", ", for messages. */
static void
names_join(const char *out, char *buf, size_t len)
{
	size_t i, n;

	for (i = n = 0; out[i] != '\0' && n + 3 < len; i++) {
		if (out[i] != '\n')
			buf[n++] = out[i];
		else if (out[i + 1] != '\0') {
			buf[n++] = ',';
			buf[n++] = ' ';
		}
	}
	buf[n] = '\0';
}

/*
 * Checks the dataset against the pool: the pool exists, the dataset does
 * not.  *parent is the missing parent zfs create -p makes, or "".
 */
static int
dc_check_ds(struct ptvm_ctx *ctx, const char *ds, const char *pools,
    const char *names, char *parent, size_t plen)
{
	char pool[ZFS_NAMEMAX + 1], list[512];

	parent[0] = '\0';
	(void)snprintf(pool, sizeof(pool), "%.*s", (int)strcspn(ds, "/"), ds);
	if (pools != NULL && !listed(pools, pool)) {
		names_join(pools, list, sizeof(list));
		diag_err(&ctx->diags, NULL, 0, "%s: there is no pool %s "
		    "(pools: %s)", ds, pool, list[0] != '\0' ? list : "none");
		return (-1);
	}
	if (names != NULL && listed(names, ds)) {
		diag_err(&ctx->diags, NULL, 0, "%s already exists; to use it, "
		    "add disk=%s%s to the VM file, or choose another "
		    "--dataset", ds, ZFS_ZVOL_DIR, ds);
		return (-1);
	}
	(void)snprintf(parent, plen, "%.*s", (int)(strrchr(ds, '/') - ds), ds);
	/* The highest missing ancestor, for the message. */
	if (names != NULL) {
		char *sl;

		if (listed(names, parent)) {
			parent[0] = '\0';
			return (0);
		}
		for (;;) {
			if ((sl = strrchr(parent, '/')) == NULL)
				break;
			*sl = '\0';
			if (listed(names, parent)) {
				*sl = '/';
				break;
			}
		}
	}
	return (0);
}

static void
print_changes(const char *file, const struct vmedit *e)
{
	static const char *const how[] = { "added", "changed",
	    "uncommented", "ejected" };
	size_t i;

	for (i = 0; i < e->n; i++)
		if (e->c[i].before != NULL && e->c[i].kind == VME_REPLACED)
			printf("%s:%u: %s (was %s)\n", file, e->c[i].line,
			    e->c[i].after, e->c[i].before);
		else
			printf("%s:%u: %s (%s)\n", file, e->c[i].line,
			    e->c[i].after, how[e->c[i].kind]);
}

static void
running_note(struct ptvm_ctx *ctx, const char *name, const char *what)
{
	char why[512];
	int run;

	if ((run = vm_running(&ctx->eng, name, why, sizeof(why))) != 0)
		printf("%s %s (%s): %s takes effect at its next start\n",
		    name, run > 0 ? "is running" : "may be running", why, what);
}

/*
 * The dataset to create, checked against the pools and the VM files;
 * *parent is the missing parent zfs create -p makes ("" none), *known
 * whether zfs could list the pool here.
 */
static int
dc_choose(struct ptvm_ctx *ctx, const struct dc_opts *o,
    const struct vm_load *ld, char *ds, size_t dslen, char *parent,
    size_t plen, bool *known)
{
	const char *av[] = { "zfs", "list", "-H", "-o", "name", "-t",
	    "filesystem,volume", "-r", NULL, NULL };
	char pool[ZFS_NAMEMAX + 1], path[ZFS_NAMEMAX + 16];
	char *pools, *names;
	struct owner ow;
	size_t len;
	int rc;

	pools = names = NULL;
	rc = -1;
	if (dc_pools(ctx, &pools) != 0 ||
	    dc_pool(ctx, ld, o->dataset, pools, pool, sizeof(pool)) != 0)
		goto out;
	av[8] = pool;
	if (pools != NULL && listed(pools, pool) &&
	    zfs_query(&ctx->eng, av, &names, &len) != 0)
		goto out;
	if (o->dataset != NULL)
		(void)strlcpy(ds, o->dataset, dslen);
	else if (dc_default(ctx, ld->vm.name, pool, names, ds, dslen) != 0)
		goto out;
	if (dc_check_ds(ctx, ds, pools, names, parent, plen) != 0)
		goto out;
	(void)snprintf(path, sizeof(path), "%s%s", ZFS_ZVOL_DIR, ds);
	disk_owner(ctx, ld->vm.name, path, &ow);
	if (ow.file[0] != '\0') {
		diag_err(&ctx->diags, ow.file, ow.line, "%s is this VM's disk; "
		    "two VMs must never share one: choose another --dataset",
		    path);
		goto out;
	}
	*known = names != NULL;
	rc = 0;
out:
	free(pools);
	free(names);
	return (rc);
}

static void
dc_report(const struct dc_opts *o, const char *ds, const char *parent,
    bool known, bool ran)
{
	char size[32], vbs[32];

	zfs_size_exact(o->size, size, sizeof(size));
	zfs_size_exact(o->vbs, vbs, sizeof(vbs));
	printf("created %s: %s, volblocksize=%s, volmode=dev, %s%s\n", ds,
	    size, vbs, o->sparse ? "sparse (space is taken as the guest "
	    "writes)" : "its space reserved", ran ? "" : " (journaled only: a "
	    "captured host runs DIR/bin/zfs only with PTVM_STANDINS=1)");
	if (parent[0] != '\0' && known)
		printf("created %s too, a file system holding it (zfs create "
		    "-p)\n", parent);
}

int
cmd_disk_create(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct dc_opts o;
	struct vm_load ld;
	struct vmedit e;
	char ds[ZFS_NAMEMAX + 1], path[ZFS_NAMEMAX + 16], why[160];
	char parent[ZFS_NAMEMAX + 1];
	const char *vm;
	bool ran, known;
	int rv;

	if ((rv = dc_args(ctx, argc, argv, &o)) != EXIT_OK)
		return (rv);
	vm = argv[1];
	if (o.dataset != NULL && zfs_dataset_check(o.dataset, why,
	    sizeof(why)) != 0) {
		diag_err(&ctx->diags, NULL, 0, "--dataset \"%s\": %s",
		    o.dataset, why);
		return (EXIT_FAIL);
	}
	vm_load_init(&ld);
	vmedit_init(&e);
	rv = EXIT_FAIL;
	if (vm_load(&ctx->eng, vm, &ld) != 0 || dc_choose(ctx, &o, &ld, ds,
	    sizeof(ds), parent, sizeof(parent), &known) != 0)
		goto out;
	(void)snprintf(path, sizeof(path), "%s%s", ZFS_ZVOL_DIR, ds);
	/* The new VM file must be right before anything is created. */
	if (vmedit_disk_add(ld.buf, ld.len, ld.path, path, &e,
	    &ctx->diags) != 0 || vm_recompile(&ctx->eng, &ld, e.out.s,
	    e.out.len) != 0)
		goto out;
	if (eng_zvol_create(&ctx->eng, ds, o.size, o.vbs, o.sparse,
	    parent[0] != '\0', &ran) != 0) {
		diag_err(&ctx->diags, ld.path, 0, "not changed");
		goto out;
	}
	dc_report(&o, ds, parent, known, ran);
	if (vm_write(&ctx->eng, vm, &ld, e.out.s, e.out.len) != 0) {
		diag_err(&ctx->diags, ld.path, 0, "%s was created but is not "
		    "in the VM file: add disk=%s yourself", ds, path);
		goto out;
	}
	print_changes(ld.path, &e);
	running_note(ctx, ld.vm.name, "the new disk");
	rv = EXIT_OK;
out:
	vmedit_free(&e);
	vm_load_free(&ld);
	return (rv);
}

/* The image is a file on the host (on a captured host, under root/). */
static int
cdrom_iso_ok(struct ptvm_ctx *ctx, const char *iso)
{
	struct host_stat st;
	struct host *h;
	int e;

	if (ctx_host(ctx, &h) != 0)
		return (-1);
	if ((e = h->ops->file_stat(h, iso, &st)) != 0) {
		diag_err(&ctx->diags, iso, 0, "%s; download the image first, "
		    "or check the path", strerror(e));
		return (-1);
	}
	if (st.type != HOST_F_REG) {
		diag_err(&ctx->diags, iso, 0, "not a file; give the ISO image");
		return (-1);
	}
	return (0);
}

static int
cdrom_args(struct ptvm_ctx *ctx, int argc, char **argv, const char **iso)
{
	static const struct optdef defs[] = {
		{ 'e', 0, "eject", false, NULL },
		OPTDEF_END
	};
	struct opts o;
	char **ops, why[160];
	bool eject;
	int ch;

	eject = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		if (ch != 'e')
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		eject = true;
	}
	if (opt_operands(&o, &ops) != (eject ? 1 : 2))	/* argv[1] on */
		return (out_usage_error(ctx->cmdname, ctx->cmd, "a VM and an "
		    "ISO image, or a VM and --eject"));
	*iso = eject ? NULL : argv[2];
	if (*iso != NULL && vmedit_path_check(*iso, why, sizeof(why)) != 0) {
		diag_err(&ctx->diags, NULL, 0, "\"%s\": %s", *iso, why);
		return (EXIT_FAIL);
	}
	return (EXIT_OK);
}

int
cmd_cdrom(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct vm_load ld;
	struct vmedit e;
	const char *iso;
	int rv, r;

	iso = NULL;
	if ((rv = cdrom_args(ctx, argc, argv, &iso)) != EXIT_OK)
		return (rv);
	vm_load_init(&ld);
	vmedit_init(&e);
	rv = EXIT_FAIL;
	if (vm_load(&ctx->eng, argv[1], &ld) != 0 ||
	    (iso != NULL && cdrom_iso_ok(ctx, iso) != 0) ||
	    (r = vmedit_cdrom(ld.buf, ld.len, ld.path, iso, &e,
	    &ctx->diags)) < 0)
		goto out;
	if (r == 1 && iso == NULL)
		printf("%s has no cdrom: nothing to eject\n", ld.vm.name);
	else if (r == 1)
		printf("%s: the cdrom is %s already\n", ld.vm.name, iso);
	else if (vm_recompile(&ctx->eng, &ld, e.out.s, e.out.len) != 0 ||
	    vm_write(&ctx->eng, argv[1], &ld, e.out.s, e.out.len) != 0)
		goto out;
	else {
		print_changes(ld.path, &e);
		running_note(ctx, ld.vm.name, "the change (bhyve keeps the "
		    "image it opened)");
	}
	rv = EXIT_OK;
out:
	vmedit_free(&e);
	vm_load_free(&ld);
	return (rv);
}
