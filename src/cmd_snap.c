/*
 * cmd_snap.c: "ptvm snapshot", "ptvm snapshots" and "ptvm rollback": ZFS
 * snapshots of every zvol of a VM under one name.
 *
 * A snapshot of a VM is "zfs snapshot DS1@NAME DS2@NAME ...", one call,
 * so that all of its disks are the same instant (zfs-snapshot(8)).  Not
 * "zfs snapshot -r PARENT@NAME": that would also snapshot every other
 * dataset under the parent.  A rollback cannot be one call (zfs rollback
 * takes one snapshot), so everything is checked for every disk first.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "disk.h"
#include "ptvm.h"
#include "strbuf.h"
#include "vmconf.h"
#include "vmload.h"
#include "zfs.h"

#define SNAP_MAXNEWER	256

static void
fmt_time(int64_t t, char *buf, size_t len)
{
	struct tm tm;
	time_t tt;

	tt = (time_t)t + 60 * (time_t)LH->ops->tzoff(LH, t * 1000);
	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M", &tm) == 0)
		(void)snprintf(buf, len, "@%lld", (long long)t);
}

/*
 * Loads the VM and sorts its disks; with zvols_only, plain files are
 * refused (snapshots need zvols), each named with its line.
 */
static int
snap_load(struct ptvm_ctx *ctx, const char *arg, struct vm_load *ld,
    struct vm_disks *dl, bool zvols_only)
{
	size_t i;
	int bad;

	if (vm_load(&ctx->eng, arg, ld) != 0)
		return (-1);
	disk_list(&ld->vm, dl);
	if (dl->n == 0) {
		diag_err(&ctx->diags, ld->path, 0, "%s has no disk (disk=)",
		    ld->vm.name);
		return (-1);
	}
	if (!zvols_only)
		return (0);
	for (i = 0, bad = 0; i < dl->n; i++)
		if (dl->d[i].dataset[0] == '\0') {
			diag_err(&ctx->diags, ld->path, dl->d[i].line, "disk "
			    "%s is a plain file, not a ZFS volume: snapshots "
			    "need zvols (ptvm disk create makes one); copy the "
			    "file while the VM is stopped instead",
			    dl->d[i].path);
			bad = 1;
		}
	return (bad ? -1 : 0);
}

/*
 * The snapshots of the VM's zvols; 1 when zfs cannot run here (a
 * captured host without DIR/bin/zfs).
 */
static int
snap_list(struct ptvm_ctx *ctx, const struct vm_disks *dl,
    struct zfs_snap_list *sl)
{
	const char *av[12 + VM_MAXDISKS];
	char *out;
	size_t n, i, len;
	int rc;

	n = 0;
	av[n++] = "zfs";
	av[n++] = "list";
	av[n++] = "-H";
	av[n++] = "-p";
	av[n++] = "-t";
	av[n++] = "snapshot";
	av[n++] = "-o";
	av[n++] = "name,createtxg,creation,used,referenced";
	av[n++] = "-d";
	av[n++] = "1";
	for (i = 0; i < dl->nzvol; i++)
		av[n++] = dl->ds[i];
	av[n] = NULL;
	if (zfs_query(&ctx->eng, av, &out, &len) != 0)
		return (-1);
	if (out == NULL)
		return (1);
	rc = zfs_snap_parse(out, len, "zfs list", sl, &ctx->diags);
	free(out);
	return (rc);
}

static int
snap_args(struct ptvm_ctx *ctx, int argc, char **argv, bool *live,
    int *nops)
{
	static const struct optdef defs[] = {
		{ 'l', 0, "live", false, NULL },
		OPTDEF_END
	};
	struct opts o;
	char **ops;
	int ch;

	*live = false;
	*nops = 0;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		if (ch != 'l')
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		*live = true;
	}
	/* The operands are argv[1] on: the VM, maybe a name. */
	if ((*nops = opt_operands(&o, &ops)) < 1 || *nops > 2)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "a VM and "
		    "maybe a snapshot name expected"));
	return (EXIT_OK);
}

/* ptvm-YYYYMMDD-HHMMSS, made unique against the VM's snapshots. */
static void
snap_default_name(const struct zfs_snap_list *sl, const struct vm_disks *dl,
    char *name, size_t len)
{
	char base[64];
	struct tm tm;
	time_t now, local;
	size_t i;
	int k;
	bool taken;

	now = (time_t)(LH->ops->wall(LH) / 1000);
	local = now + 60 * (time_t)LH->ops->tzoff(LH, (int64_t)now * 1000);
	if (gmtime_r(&local, &tm) == NULL ||
	    strftime(base, sizeof(base), "ptvm-%Y%m%d-%H%M%S", &tm) == 0)
		(void)snprintf(base, sizeof(base), "ptvm-%lld",
		    (long long)now);
	for (k = 1;; k++) {
		if (k == 1)
			(void)snprintf(name, len, "%s", base);
		else
			(void)snprintf(name, len, "%s-%d", base, k);
		for (i = 0, taken = false; i < dl->nzvol; i++)
			taken |= zfs_snap_find(sl, dl->ds[i], name) != NULL;
		if (!taken)
			return;
	}
}

/* Refuses a name that one of the VM's zvols has already. */
static int
snap_name_free(struct ptvm_ctx *ctx, const char *vm,
    const struct vm_disks *dl, const struct zfs_snap_list *sl,
    const char *name)
{
	const struct zfs_snap *s;
	char when[64];
	size_t i;

	for (i = 0; i < dl->nzvol; i++)
		if ((s = zfs_snap_find(sl, dl->ds[i], name)) != NULL) {
			fmt_time(s->creation, when, sizeof(when));
			diag_err(&ctx->diags, NULL, 0, "%s has a snapshot %s "
			    "already (%s@%s, %s): choose another name", vm,
			    name, s->dataset, s->snap, when);
			return (-1);
		}
	return (0);
}

/* Takes the snapshot (engine/snap.c) and says what was made. */
static int
snap_take(struct ptvm_ctx *ctx, const char *vm, const struct vm_disks *dl,
    const char *name, bool running)
{
	struct eng_snap sn;
	size_t i;

	if (eng_snap_take(&ctx->eng, vm, dl, name, running, &sn) != 0)
		return (-1);
	if (sn.npool == 1)
		printf("%s: snapshot %s of %zu disk%s, one instant:", vm, name,
		    dl->nzvol, dl->nzvol == 1 ? "" : "s");
	else
		printf("%s: snapshot %s of %zu disks in %zu pools, one zfs call "
		    "a pool (the VM is stopped, so they agree):", vm, name,
		    dl->nzvol, sn.npool);
	for (i = 0; i < dl->nzvol; i++)
		printf(" %s", sn.full[i]);
	printf("%s\n", sn.ran ? "" : " (journaled only: a captured host runs "
	    "DIR/bin/zfs only with PTVM_STANDINS=1)");
	return (0);
}

int
cmd_snapshot(struct ptvm_ctx *ctx, int argc, char **argv)
{
	char name[128], why[512];
	struct zfs_snap_list sl;
	struct vm_load ld;
	struct vm_disks dl;
	bool live;
	int rv, run, nops;

	if ((rv = snap_args(ctx, argc, argv, &live, &nops)) != EXIT_OK)
		return (rv);
	if (nops == 2 && zfs_snapname_check(argv[2], why,
	    sizeof(why)) != 0) {
		diag_err(&ctx->diags, NULL, 0, "snapshot name \"%s\": %s",
		    argv[2], why);
		return (EXIT_FAIL);
	}
	vm_load_init(&ld);
	zfs_snap_init(&sl);
	rv = EXIT_FAIL;
	if (snap_load(ctx, argv[1], &ld, &dl, true) != 0)
		goto out;
	run = vm_running(&ctx->eng, ld.vm.name, why, sizeof(why));
	if (run != 0 && !live) {
		diag_err(&ctx->diags, NULL, 0, "%s %s (%s): a snapshot now "
		    "would only be crash-consistent; stop it first, or give "
		    "--live", ld.vm.name, run > 0 ? "is running" : "may be "
		    "running", why);
		goto out;
	}
	if (snap_list(ctx, &dl, &sl) < 0)
		goto out;
	if (nops == 2)
		(void)strlcpy(name, argv[2], sizeof(name));
	else
		snap_default_name(&sl, &dl, name, sizeof(name));
	if (snap_name_free(ctx, ld.vm.name, &dl, &sl, name) != 0 ||
	    snap_take(ctx, ld.vm.name, &dl, name, run != 0) != 0)
		goto out;
	if (run != 0)
		printf("taken while %s runs: crash-consistent only, like a "
		    "power cut; on a rollback the guest recovers as after "
		    "one\n", ld.vm.name);
	rv = EXIT_OK;
out:
	zfs_snap_free(&sl);
	vm_load_free(&ld);
	return (rv);
}

static void
snapshots_json(const struct vm_load *ld, const struct vm_disks *dl,
    const struct zfs_snap_list *sl, const struct zfs_vmsnap_list *vl)
{
	const struct zfs_snap *s;
	struct strbuf sb;
	struct json j;
	size_t i, k;

	sb_init(&sb);
	json_init(&j, &sb);
	json_obj(&j, NULL);
	json_str(&j, "name", ld->vm.name);
	json_arr(&j, "disks");
	for (i = 0; i < dl->n; i++) {
		json_obj(&j, NULL);
		json_str(&j, "path", dl->d[i].path);
		json_str(&j, "dataset", dl->d[i].dataset[0] != '\0' ?
		    dl->d[i].dataset : NULL);
		json_end(&j);
	}
	json_end(&j);
	json_arr(&j, "snapshots");
	for (i = 0; i < vl->n; i++) {
		json_obj(&j, NULL);
		json_str(&j, "name", vl->v[i].snap);
		json_int(&j, "created", vl->v[i].creation);
		json_int(&j, "used", (long long)vl->v[i].used);
		json_bool(&j, "complete", vl->v[i].ndisks == dl->nzvol);
		json_arr(&j, "datasets");
		for (k = 0; k < dl->nzvol; k++) {
			if ((s = zfs_snap_find(sl, dl->ds[k],
			    vl->v[i].snap)) == NULL)
				continue;
			json_obj(&j, NULL);
			json_str(&j, "dataset", s->dataset);
			json_int(&j, "createtxg", (long long)s->createtxg);
			json_int(&j, "created", s->creation);
			json_int(&j, "used", (long long)s->used);
			json_int(&j, "referenced", (long long)s->referenced);
			json_end(&j);
		}
		json_end(&j);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	out_json(&sb);
	sb_free(&sb);
}

static void
snapshots_print(const struct vm_load *ld, const struct vm_disks *dl,
    const struct zfs_snap_list *sl, const struct zfs_vmsnap_list *vl)
{
	char when[64], used[16];
	size_t i, k, w;
	const char *sep;

	for (i = 0; i < dl->n; i++)
		if (dl->d[i].dataset[0] == '\0')
			printf("%s is a plain file: no snapshots\n",
			    dl->d[i].path);
	if (vl->n == 0) {
		printf("%s has no snapshots (ptvm snapshot %s NAME takes "
		    "one)\n", ld->vm.name, ld->vm.name);
		return;
	}
	for (i = 0, w = 4; i < vl->n; i++)
		if (strlen(vl->v[i].snap) > w)
			w = strlen(vl->v[i].snap);
	printf("%-*s  %-16s  %7s  DISKS\n", (int)w, "NAME", "CREATED", "USED");
	for (i = 0; i < vl->n; i++) {
		fmt_time(vl->v[i].creation, when, sizeof(when));
		zfs_size_human(vl->v[i].used, used, sizeof(used));
		printf("%-*s  %-16s  %7s  %zu/%zu", (int)w, vl->v[i].snap,
		    when, used, vl->v[i].ndisks, dl->nzvol);
		if (vl->v[i].ndisks < dl->nzvol) {
			printf(" (partial: not on");
			for (k = 0, sep = " "; k < dl->nzvol; k++)
				if (zfs_snap_find(sl, dl->ds[k],
				    vl->v[i].snap) == NULL) {
					printf("%s%s", sep, dl->ds[k]);
					sep = ", ";
				}
			printf(")");
		}
		printf("\n");
	}
}

int
cmd_snapshots(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef defs[] = {
		{ 'J', 0, "json", false, NULL },
		OPTDEF_END
	};
	struct zfs_vmsnap_list vl;
	struct opts o;
	struct zfs_snap_list sl;
	struct vm_load ld;
	struct vm_disks dl;
	bool json;
	int ch, rv, r;

	json = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		if (ch != 'J')
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		json = true;
	}
	if (opt_operands(&o, &argv) != 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "one VM "
		    "expected"));
	vm_load_init(&ld);
	zfs_snap_init(&sl);
	memset(&vl, 0, sizeof(vl));
	rv = EXIT_FAIL;
	if (snap_load(ctx, argv[0], &ld, &dl, false) != 0)
		goto out;
	r = dl.nzvol > 0 ? snap_list(ctx, &dl, &sl) : 0;
	if (r < 0)
		goto out;
	if (r == 1) {
		diag_err(&ctx->diags, NULL, 0, "zfs cannot run here (a captured "
		    "host runs DIR/bin/zfs only with PTVM_STANDINS=1): the "
		    "snapshots are unknown");
		goto out;
	}
	if (zfs_vmsnap_group(&sl, dl.ds, dl.nzvol, &vl) != 0) {
		diag_err(&ctx->diags, NULL, 0, "out of memory");
		goto out;
	}
	if (json)
		snapshots_json(&ld, &dl, &sl, &vl);
	else
		snapshots_print(&ld, &dl, &sl, &vl);
	rv = EXIT_OK;
out:
	zfs_vmsnap_free(&vl);
	zfs_snap_free(&sl);
	vm_load_free(&ld);
	return (rv);
}

/* ---- rollback ---- */

struct rb {
	const struct zfs_snap *to[VM_MAXDISKS];		/* per zvol */
	const struct zfs_snap *newer[SNAP_MAXNEWER];
	size_t		 nnewer_ds[VM_MAXDISKS];
	size_t		 nnewer;
	uint64_t	 written[VM_MAXDISKS];		/* UINT64_MAX unknown */
};

/* Every zvol has the snapshot; the newer ones gathered. */
static int
rb_plan(struct ptvm_ctx *ctx, const struct vm_disks *dl,
    const struct zfs_snap_list *sl, const char *vm, const char *name,
    struct rb *rb)
{
	size_t i, n, have;

	for (i = have = 0; i < dl->nzvol; i++)
		have += (rb->to[i] = zfs_snap_find(sl, dl->ds[i], name)) !=
		    NULL;
	if (have == 0) {
		diag_err(&ctx->diags, NULL, 0, "%s has no snapshot \"%s\" "
		    "(ptvm snapshots %s lists them)", vm, name, vm);
		return (-1);
	}
	for (i = 0; i < dl->nzvol; i++)
		if (rb->to[i] == NULL) {
			diag_err(&ctx->diags, NULL, 0, "%s@%s does not exist: "
			    "\"%s\" is not on every disk of %s, and a rollback "
			    "of some disks only would leave the guest's disks "
			    "at different instants", dl->ds[i], name, name, vm);
			return (-1);
		}
	for (i = 0; i < dl->nzvol; i++) {
		n = zfs_snap_newer(sl, dl->ds[i], rb->to[i], rb->newer +
		    rb->nnewer, SNAP_MAXNEWER - rb->nnewer);
		if (rb->nnewer + n > SNAP_MAXNEWER) {
			diag_err(&ctx->diags, NULL, 0, "more than %d newer "
			    "snapshots: destroy some first", SNAP_MAXNEWER);
			return (-1);
		}
		rb->nnewer_ds[i] = n;
		rb->nnewer += n;
	}
	return (0);
}

/* written@NAME of each zvol: what the rollback discards. */
static void
rb_written(struct ptvm_ctx *ctx, const struct vm_disks *dl, const char *name,
    struct rb *rb)
{
	const char *av[10 + VM_MAXDISKS];
	char prop[160], *out;
	size_t i, n, len;

	for (i = 0; i < dl->nzvol; i++)
		rb->written[i] = UINT64_MAX;
	(void)snprintf(prop, sizeof(prop), "written@%s", name);
	n = 0;
	av[n++] = "zfs";
	av[n++] = "get";
	av[n++] = "-H";
	av[n++] = "-p";
	av[n++] = "-o";
	av[n++] = "name,value";
	av[n++] = prop;
	for (i = 0; i < dl->nzvol; i++)
		av[n++] = dl->ds[i];
	av[n] = NULL;
	if (zfs_query(&ctx->eng, av, &out, &len) != 0 || out == NULL)
		return;		/* said so, or unknown */
	for (i = 0; i < dl->nzvol; i++)
		(void)zfs_get_num(out, len, dl->ds[i], &rb->written[i]);
	free(out);
}

/* What a rollback loses, exactly: one line a disk and a snapshot. */
static void
rb_describe(FILE *fp, const char *vm, const char *name,
    const struct vm_disks *dl, const struct rb *rb)
{
	char when[64], sz[16];
	size_t i, k;

	fmt_time(rb->to[0]->creation, when, sizeof(when));
	fprintf(fp, "Rolling %s back to %s (%s) loses:\n", vm, name, when);
	for (i = 0; i < dl->nzvol; i++) {
		if (rb->written[i] == UINT64_MAX)
			fprintf(fp, "  every change to %s since %s\n",
			    dl->ds[i], name);
		else {
			zfs_size_human(rb->written[i], sz, sizeof(sz));
			fprintf(fp, "  every change to %s since %s (%s "
			    "written)\n", dl->ds[i], name, sz);
		}
	}
	for (k = 0; k < rb->nnewer; k++) {
		fmt_time(rb->newer[k]->creation, when, sizeof(when));
		zfs_size_human(rb->newer[k]->used, sz, sizeof(sz));
		fprintf(fp, "  snapshot %s@%s (%s, %s of its own)\n",
		    rb->newer[k]->dataset, rb->newer[k]->snap, when, sz);
	}
}

/* Asks on the terminal: true for "y" or "yes". */
static bool
rb_confirm(const char *vm, const char *name, const struct vm_disks *dl,
    const struct rb *rb)
{
	char line[64];
	size_t n;

	rb_describe(stderr, vm, name, dl, rb);
	fprintf(stderr, "Roll back %s to %s? [y/N] ", vm, name);
	fflush(stderr);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return (false);
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	return (strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0);
}

static int
rb_args(struct ptvm_ctx *ctx, int argc, char **argv, bool *newer, bool *yes)
{
	static const struct optdef defs[] = {
		{ 'D', 0, "destroy-newer", false, NULL },
		{ 'y', 'y', "yes", false, NULL },
		OPTDEF_END
	};
	struct opts o;
	char **ops;
	int ch;

	*newer = *yes = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END)
		switch (ch) {
		case 'D':
			*newer = true;
			break;
		case 'y':
			*yes = true;
			break;
		default:
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		}
	if (opt_operands(&o, &ops) != 2)	/* argv[1], argv[2] */
		return (out_usage_error(ctx->cmdname, ctx->cmd, "a VM and a "
		    "snapshot name expected"));
	return (EXIT_OK);
}

/* Refusals: running, unknown state, newer snapshots without the flag. */
static int
rb_refuse(struct ptvm_ctx *ctx, const char *vm, const char *name,
    const struct vm_disks *dl, const struct rb *rb, bool newer)
{
	char why[512];
	size_t k;
	int run;

	if ((run = vm_running(&ctx->eng, vm, why, sizeof(why))) != 0) {
		diag_err(&ctx->diags, NULL, 0, "%s %s (%s): a rollback under a "
		    "running guest destroys its disk; stop it first", vm,
		    run > 0 ? "is running" : "may be running", why);
		return (-1);
	}
	if (rb->nnewer > 0 && !newer) {
		for (k = 0; k < rb->nnewer; k++)
			diag_add(&ctx->diags, DIAG_NOTE, NULL, 0, "newer: "
			    "%s@%s", rb->newer[k]->dataset, rb->newer[k]->snap);
		diag_err(&ctx->diags, NULL, 0, "%zu snapshot%s of %s %s newer "
		    "than %s and would be destroyed; give --destroy-newer to "
		    "destroy %s", rb->nnewer, rb->nnewer == 1 ? "" : "s", vm,
		    rb->nnewer == 1 ? "is" : "are", name,
		    rb->nnewer == 1 ? "it" : "them");
		return (-1);
	}
	(void)dl;
	return (0);
}

int
cmd_rollback(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct zfs_snap_list sl;
	struct vm_load ld;
	struct vm_disks dl;
	struct rb *rb;
	const char *name;
	char why[160];
	bool newer, yes, ran;
	int rv, r;

	if ((rv = rb_args(ctx, argc, argv, &newer, &yes)) != EXIT_OK)
		return (rv);
	name = argv[2];
	if (zfs_snapname_check(name, why, sizeof(why)) != 0) {
		diag_err(&ctx->diags, NULL, 0, "snapshot name \"%s\": %s", name,
		    why);
		return (EXIT_FAIL);
	}
	if ((rb = calloc(1, sizeof(*rb))) == NULL)
		return (EXIT_FAIL);
	vm_load_init(&ld);
	zfs_snap_init(&sl);
	rv = EXIT_FAIL;
	if (snap_load(ctx, argv[1], &ld, &dl, true) != 0 ||
	    (r = snap_list(ctx, &dl, &sl)) < 0)
		goto out;
	if (r == 1) {
		diag_err(&ctx->diags, NULL, 0, "zfs cannot run here (a captured "
		    "host runs DIR/bin/zfs only with PTVM_STANDINS=1): ptvm "
		    "cannot see what a "
		    "rollback would destroy, so it does none");
		goto out;
	}
	if (rb_plan(ctx, &dl, &sl, ld.vm.name, name, rb) != 0 ||
	    rb_refuse(ctx, ld.vm.name, name, &dl, rb, newer) != 0)
		goto out;
	rb_written(ctx, &dl, name, rb);
	if (!yes && !isatty(STDIN_FILENO)) {
		rb_describe(stderr, ld.vm.name, name, &dl, rb);
		diag_err(&ctx->diags, NULL, 0, "not rolled back: there is no "
		    "terminal to confirm on; give -y to confirm");
		goto out;
	}
	if (!yes && !rb_confirm(ld.vm.name, name, &dl, rb)) {
		diag_err(&ctx->diags, NULL, 0, "not rolled back");
		goto out;
	}
	if (yes)
		rb_describe(stdout, ld.vm.name, name, &dl, rb);
	if (eng_snap_rollback(&ctx->eng, ld.vm.name, name, &dl, rb->nnewer_ds,
	    &ran) != 0)
		goto out;
	printf("%s is back at %s%s\n", ld.vm.name, name, ran ? "" :
	    " (journaled only: a captured host runs "
	    "DIR/bin/zfs only with PTVM_STANDINS=1)");
	rv = EXIT_OK;
out:
	zfs_snap_free(&sl);
	vm_load_free(&ld);
	free(rb);
	return (rv);
}
