/*
 * libFuzzer target: the output of zfs list and zfs get as ptvm reads it
 * (lib/zfs.c), dataset and snapshot names, zvol paths and sizes.  A list
 * that parses must be sorted, find each of its snapshots, count newer
 * snapshots consistently and group into VM snapshots covering it all.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zfs.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
names(const char *buf, size_t len)
{
	char s[512], why[160], ds[ZFS_NAMEMAX + 1];
	size_t n;

	n = len < sizeof(s) - 1 ? len : sizeof(s) - 1;
	memcpy(s, buf, n);
	s[n] = '\0';
	if (zfs_dataset_check(s, why, sizeof(why)) == 0 &&
	    (strlen(s) > ZFS_NAMEMAX || strchr(s, '/') == NULL ||
	    strchr(s, '@') != NULL))
		abort();
	if (zfs_snapname_check(s, why, sizeof(why)) == 0 &&
	    (strchr(s, '/') != NULL || strchr(s, '@') != NULL || s[0] == '\0'))
		abort();
	if (zfs_zvol_dataset(s, ds, sizeof(ds)) == 0 &&
	    strcmp(ds, s + strlen(ZFS_ZVOL_DIR)) != 0)
		abort();
}

static void
list(const char *buf, size_t len)
{
	const struct zfs_snap *newer[8], *x;
	const char **ds;
	struct zfs_vmsnap_list v;
	struct zfs_snap_list l;
	struct diags d;
	size_t i, k, n, total;
	uint64_t val;

	diags_init(&d);
	zfs_snap_init(&l);
	if (zfs_snap_parse(buf, len, "zfs list", &l, &d) == 0) {
		if ((ds = calloc(l.n + 1, sizeof(*ds))) == NULL)
			abort();
		for (i = n = 0; i < l.n; i++) {
			x = &l.s[i];
			if (zfs_snap_find(&l, x->dataset, x->snap) != x)
				abort();
			if (i > 0 && strcmp(l.s[i - 1].dataset, x->dataset) ==
			    0 && l.s[i - 1].createtxg >= x->createtxg)
				abort();
			k = zfs_snap_newer(&l, x->dataset, x, newer, 8);
			if (k > 0 && newer[0]->createtxg <= x->createtxg)
				abort();
			if (n == 0 || strcmp(ds[n - 1], x->dataset) != 0)
				ds[n++] = x->dataset;
			(void)zfs_get_num(buf, len, x->dataset, &val);
		}
		if (zfs_vmsnap_group(&l, ds, n, &v) == 0) {
			for (i = total = 0; i < v.n; i++) {
				if (v.v[i].ndisks == 0 || v.v[i].ndisks > n)
					abort();
				total += v.v[i].ndisks;
			}
			if (total != l.n)
				abort();
			zfs_vmsnap_free(&v);
		}
		free(ds);
	} else if (d.nerrors == 0)
		abort();
	zfs_snap_free(&l);
	diags_free(&d);
}

static void
sizes(const uint8_t *data, size_t len)
{
	char a[32], b[32];
	uint64_t v;

	if (len < 8)
		return;
	memcpy(&v, data, 8);
	zfs_size_human(v, a, sizeof(a));
	zfs_size_exact(v, b, sizeof(b));
	if (strlen(a) == 0 || strlen(b) == 0 || strlen(a) > 8)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{

	names((const char *)data, len);
	list((const char *)data, len);
	sizes(data, len);
	return (0);
}
