/*
 * disk_test.c: ZFS names and output (lib/zfs.c) and the VM file editor
 * (lib/vmedit.c).
 */
#include "testutil.h"

#include "vmedit.h"
#include "zfs.h"

static bool
ds_ok(const char *s)
{
	char why[160];

	return (zfs_dataset_check(s, why, sizeof(why)) == 0);
}

static const char *
ds_why(const char *s)
{
	static char why[160];

	ATF_REQUIRE(zfs_dataset_check(s, why, sizeof(why)) != 0);
	return (why);
}

ATF_TC_WITHOUT_HEAD(dataset_names_as_zfs_takes_them);
ATF_TC_BODY(dataset_names_as_zfs_takes_them, tc)
{
	char longname[300];

	ATF_CHECK(ds_ok("zroot/opt/windows"));
	ATF_CHECK(ds_ok("tank/vm/a-b_c.d:e"));
	ATF_CHECK(strstr(ds_why("zroot"), "POOL/NAME") != NULL);
	ATF_CHECK(strstr(ds_why("zroot/a@b"), "'@' is not allowed") != NULL);
	ATF_CHECK(strstr(ds_why("zroot//a"), "empty component") != NULL);
	ATF_CHECK(strstr(ds_why("zroot/a/"), "empty component") != NULL);
	ATF_CHECK(strstr(ds_why("/zroot/a"), "starts with a letter") != NULL);
	ATF_CHECK(strstr(ds_why("1pool/a"), "starts with a letter") != NULL);
	ATF_CHECK(strstr(ds_why("mirror/a"), "reserves") != NULL);
	ATF_CHECK(strstr(ds_why("c0d0/a"), "reserves") != NULL);
	ATF_CHECK(strstr(ds_why("zroot/../a"), "not a name") != NULL);
	ATF_CHECK(strstr(ds_why("zroot/a b"), "' ' is not allowed") != NULL);
	ATF_CHECK(strstr(ds_why("zroot/a\tb"), "byte 0x09") != NULL);
	memset(longname, 'a', sizeof(longname));
	memcpy(longname, "zroot/", 6);
	longname[254] = '\0';
	ATF_CHECK(!ds_ok(longname));
	longname[253] = '\0';
	ATF_CHECK(ds_ok(longname));
}

ATF_TC_WITHOUT_HEAD(snapshot_names);
ATF_TC_BODY(snapshot_names, tc)
{
	char why[160];

	ATF_CHECK(zfs_snapname_check("clean", why, sizeof(why)) == 0);
	ATF_CHECK(zfs_snapname_check("ptvm-20261124-120000", why,
	    sizeof(why)) == 0);
	ATF_CHECK(zfs_snapname_check("", why, sizeof(why)) != 0);
	ATF_CHECK(zfs_snapname_check("-x", why, sizeof(why)) != 0);
	ATF_CHECK(strstr(why, "start with '-'") != NULL);
	ATF_CHECK(zfs_snapname_check("a/b", why, sizeof(why)) != 0);
	ATF_CHECK(zfs_snapname_check("a@b", why, sizeof(why)) != 0);
	ATF_CHECK(zfs_snapname_check("a b", why, sizeof(why)) != 0);
}

ATF_TC_WITHOUT_HEAD(zvol_paths_name_their_dataset);
ATF_TC_BODY(zvol_paths_name_their_dataset, tc)
{
	char ds[ZFS_NAMEMAX + 1];

	ATF_REQUIRE(zfs_zvol_dataset("/dev/zvol/zroot/opt/windows", ds,
	    sizeof(ds)) == 0);
	ATF_CHECK_STREQ(ds, "zroot/opt/windows");
	ATF_CHECK(zfs_zvol_dataset("/dev/zvol/zroot", ds, sizeof(ds)) != 0);
	ATF_CHECK(zfs_zvol_dataset("/vm/disk.img", ds, sizeof(ds)) != 0);
	ATF_CHECK(zfs_zvol_dataset("/dev/zvolzroot/a", ds, sizeof(ds)) != 0);
	ATF_CHECK(zfs_zvol_dataset("/dev/zvol/zroot/a", ds, 7) != 0);
}

static const char listout[] =
    "zroot/vm/w@later\t120\t1764000600\t1048576\t2147483648\n"
    "zroot/opt/windows@clean\t100\t1764000000\t0\t1073741824\n"
    "zroot/vm/w@clean\t100\t1764000000\t4096\t8192\n"
    "zroot/opt/windows@same-second\t101\t1764000000\t512\t1024\n"
    "zroot/vm/w@only-here\t90\t1763990000\t0\t0\n";

ATF_TC_WITHOUT_HEAD(snapshot_list_sorted_by_dataset_and_txg);
ATF_TC_BODY(snapshot_list_sorted_by_dataset_and_txg, tc)
{
	const struct zfs_snap *s, *newer[4];
	struct zfs_snap_list l;
	struct diags d;

	diags_init(&d);
	zfs_snap_init(&l);
	ATF_REQUIRE(zfs_snap_parse(listout, sizeof(listout) - 1, "zfs list",
	    &l, &d) == 0);
	ATF_REQUIRE_EQ(l.n, 5);
	ATF_CHECK_STREQ(l.s[0].dataset, "zroot/opt/windows");
	ATF_CHECK_STREQ(l.s[0].snap, "clean");
	ATF_CHECK_STREQ(l.s[1].snap, "same-second");
	ATF_CHECK_STREQ(l.s[2].snap, "only-here");
	ATF_CHECK_STREQ(l.s[4].snap, "later");
	ATF_CHECK_EQ(l.s[4].used, 1048576);
	ATF_CHECK_EQ(l.s[4].referenced, 2147483648ULL);
	ATF_CHECK_EQ(l.s[4].creation, 1764000600);
	/* Same second, later txg: newer. */
	ATF_REQUIRE((s = zfs_snap_find(&l, "zroot/opt/windows", "clean")) !=
	    NULL);
	ATF_CHECK_EQ(zfs_snap_newer(&l, "zroot/opt/windows", s, newer, 4), 1);
	ATF_CHECK_STREQ(newer[0]->snap, "same-second");
	ATF_REQUIRE((s = zfs_snap_find(&l, "zroot/vm/w", "only-here")) !=
	    NULL);
	ATF_CHECK_EQ(zfs_snap_newer(&l, "zroot/vm/w", s, newer, 1), 2);
	ATF_CHECK(zfs_snap_find(&l, "zroot/vm/w", "nope") == NULL);
	zfs_snap_free(&l);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(snapshot_list_bad_lines_located);
ATF_TC_BODY(snapshot_list_bad_lines_located, tc)
{
	static const char bad[] =
	    "zroot/a@x\t1\t2\t3\t4\n"
	    "zroot/a@y\t2\t1.5G\t3\t4\n"
	    "zroot/a\t3\t2\t3\t4\n"
	    "zroot/a@z\t4\t2\t3\n"
	    "zroot/a@x\t5\t2\t3\t4\n"
	    "zroot/a@w\t1\t2\t3\t4\n"
	    "zroot/a@v\t6\t2\t3\t99999999999999999999\n";
	struct zfs_snap_list l;
	struct diags d;

	diags_init(&d);
	zfs_snap_init(&l);
	ATF_CHECK(zfs_snap_parse(bad, sizeof(bad) - 1, "zfs list", &l,
	    &d) != 0);
	ATF_CHECK_EQ(tu_diag_line(&d, "creation: \"1.5G\" is not a number"),
	    2);
	ATF_CHECK_EQ(tu_diag_line(&d, "\"zroot/a\" is not a snapshot name"),
	    3);
	ATF_CHECK_EQ(tu_diag_line(&d, "expected 5 tab-separated fields"), 4);
	ATF_CHECK_EQ(tu_diag_line(&d, "zroot/a@x is listed twice"), 5);
	ATF_CHECK(tu_diag_has(&d, "the same createtxg"));
	ATF_CHECK_EQ(tu_diag_line(&d, "referenced: \"99999999999999999999\""),
	    7);
	zfs_snap_free(&l);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(vm_snapshots_grouped_partial_counted);
ATF_TC_BODY(vm_snapshots_grouped_partial_counted, tc)
{
	const char *ds[] = { "zroot/opt/windows", "zroot/vm/w" };
	struct zfs_vmsnap_list v;
	struct zfs_snap_list l;
	struct diags d;

	diags_init(&d);
	zfs_snap_init(&l);
	ATF_REQUIRE(zfs_snap_parse(listout, sizeof(listout) - 1, "zfs list",
	    &l, &d) == 0);
	ATF_REQUIRE(zfs_vmsnap_group(&l, ds, 2, &v) == 0);
	ATF_REQUIRE_EQ(v.n, 4);
	ATF_CHECK_STREQ(v.v[0].snap, "only-here");
	ATF_CHECK_EQ(v.v[0].ndisks, 1);
	ATF_CHECK_STREQ(v.v[1].snap, "clean");
	ATF_CHECK_EQ(v.v[1].ndisks, 2);
	ATF_CHECK_EQ(v.v[1].used, 4096);
	ATF_CHECK_STREQ(v.v[3].snap, "later");
	zfs_vmsnap_free(&v);
	/* Only the VM's datasets count. */
	ATF_REQUIRE(zfs_vmsnap_group(&l, ds, 1, &v) == 0);
	ATF_CHECK_EQ(v.n, 2);
	zfs_vmsnap_free(&v);
	zfs_snap_free(&l);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(zfs_get_values);
ATF_TC_BODY(zfs_get_values, tc)
{
	static const char out[] = "zroot/a\t123\nzroot/ab\t7\nzroot/b\t-\n";
	uint64_t v;

	ATF_CHECK(zfs_get_num(out, sizeof(out) - 1, "zroot/a", &v) == 0);
	ATF_CHECK_EQ(v, 123);
	ATF_CHECK(zfs_get_num(out, sizeof(out) - 1, "zroot/ab", &v) == 0);
	ATF_CHECK_EQ(v, 7);
	ATF_CHECK(zfs_get_num(out, sizeof(out) - 1, "zroot/b", &v) != 0);
	ATF_CHECK(zfs_get_num(out, sizeof(out) - 1, "zroot/c", &v) != 0);
	ATF_CHECK_EQ(v, UINT64_MAX);
}

ATF_TC_WITHOUT_HEAD(sizes_as_zfs_prints_them);
ATF_TC_BODY(sizes_as_zfs_prints_them, tc)
{
	char b[32];

	zfs_size_human(0, b, sizeof(b));
	ATF_CHECK_STREQ(b, "0B");
	zfs_size_human(512, b, sizeof(b));
	ATF_CHECK_STREQ(b, "512B");
	zfs_size_human(16384, b, sizeof(b));
	ATF_CHECK_STREQ(b, "16K");
	zfs_size_human(1610612736, b, sizeof(b));
	ATF_CHECK_STREQ(b, "1.50G");
	zfs_size_human(12897484, b, sizeof(b));
	ATF_CHECK_STREQ(b, "12.3M");
	zfs_size_exact(274877906944ULL, b, sizeof(b));
	ATF_CHECK_STREQ(b, "256G");
	zfs_size_exact(1ULL << 40, b, sizeof(b));
	ATF_CHECK_STREQ(b, "1T");
	zfs_size_exact(1610612736, b, sizeof(b));
	ATF_CHECK_STREQ(b, "1536M");
	zfs_size_exact(1000, b, sizeof(b));
	ATF_CHECK_STREQ(b, "1000");
}

/* ---- the VM file editor ---- */

static const char guide[] =
    "# winpt: the guide's Windows 11 VM\n"
    "cpus=8\n"
    "memory=16G\n"
    "# The VBIOS\n"
    "passthru=6/0/0,rom=/vm/rom/rx7600.bin\n"
    "disk=/dev/zvol/zroot/opt/windows\n"
    "cdrom=/vm/iso/windows11.iso\n"
    "net=tap0\n";

static int
edit_disk(const char *in, const char *path, struct vmedit *e,
    struct diags *d)
{

	vmedit_init(e);
	diags_init(d);
	return (vmedit_disk_add(in, strlen(in), "w.conf", path, e, d));
}

static int
edit_cdrom(const char *in, const char *iso, struct vmedit *e,
    struct diags *d)
{

	vmedit_init(e);
	diags_init(d);
	return (vmedit_cdrom(in, strlen(in), "w.conf", iso, e, d));
}

static void
done(struct vmedit *e, struct diags *d)
{

	vmedit_free(e);
	diags_free(d);
}

ATF_TC_WITHOUT_HEAD(disk_added_after_the_disks_comments_kept);
ATF_TC_BODY(disk_added_after_the_disks_comments_kept, tc)
{
	struct vmedit e;
	struct diags d;

	ATF_REQUIRE(edit_disk(guide, "/dev/zvol/zroot/vm/data", &e, &d) == 0);
	ATF_CHECK_STREQ(sb_str(&e.out),
	    "# winpt: the guide's Windows 11 VM\n"
	    "cpus=8\n"
	    "memory=16G\n"
	    "# The VBIOS\n"
	    "passthru=6/0/0,rom=/vm/rom/rx7600.bin\n"
	    "disk=/dev/zvol/zroot/opt/windows\n"
	    "disk=/dev/zvol/zroot/vm/data\n"
	    "cdrom=/vm/iso/windows11.iso\n"
	    "net=tap0\n");
	ATF_REQUIRE_EQ(e.n, 1);
	ATF_CHECK_EQ(e.c[0].kind, VME_ADDED);
	ATF_CHECK_EQ(e.c[0].line, 7);
	ATF_CHECK(e.c[0].before == NULL);
	ATF_CHECK_STREQ(e.c[0].after, "disk=/dev/zvol/zroot/vm/data");
	done(&e, &d);
}

ATF_TC_WITHOUT_HEAD(disk_placed_before_cdrom_or_at_end);
ATF_TC_BODY(disk_placed_before_cdrom_or_at_end, tc)
{
	struct vmedit e;
	struct diags d;

	ATF_REQUIRE(edit_disk("cpus=2\ncdrom=/a.iso\nnet=tap0\n", "/d.img",
	    &e, &d) == 0);
	ATF_CHECK_STREQ(sb_str(&e.out),
	    "cpus=2\ndisk=/d.img\ncdrom=/a.iso\nnet=tap0\n");
	ATF_CHECK_EQ(e.c[0].line, 2);
	done(&e, &d);
	/* No newline at the end: one is added before the new line. */
	ATF_REQUIRE(edit_disk("cpus=2\nnet=tap0", "/d.img", &e, &d) == 0);
	ATF_CHECK_STREQ(sb_str(&e.out), "cpus=2\nnet=tap0\ndisk=/d.img\n");
	ATF_CHECK_EQ(e.c[0].line, 3);
	done(&e, &d);
	ATF_REQUIRE(edit_disk("", "/d.img", &e, &d) == 0);
	ATF_CHECK_STREQ(sb_str(&e.out), "disk=/d.img\n");
	done(&e, &d);
}

ATF_TC_WITHOUT_HEAD(disk_crlf_file_stays_crlf);
ATF_TC_BODY(disk_crlf_file_stays_crlf, tc)
{
	struct vmedit e;
	struct diags d;

	ATF_REQUIRE(edit_disk("# x\r\ncpus=2\r\ndisk=/a.img\r\n", "/b.img", &e,
	    &d) == 0);
	ATF_CHECK_STREQ(sb_str(&e.out),
	    "# x\r\ncpus=2\r\ndisk=/a.img\r\ndisk=/b.img\r\n");
	done(&e, &d);	/* Found by fuzz_vmedit: a last line ending in a lone CR. */
	ATF_REQUIRE(edit_disk("#d#\r\n\n \r", "/qz", &e, &d) == 0);
	ATF_CHECK_STREQ(sb_str(&e.out), "#d#\r\n\n \r\ndisk=/qz\r\n");
	done(&e, &d);
	ATF_REQUIRE(edit_cdrom("cpus=2\r", "/b.iso", &e, &d) == 0);
	ATF_CHECK_STREQ(sb_str(&e.out), "cpus=2\r\ncdrom=/b.iso\n");
	done(&e, &d);
}

ATF_TC_WITHOUT_HEAD(disk_template_comment_uncommented_in_place);
ATF_TC_BODY(disk_template_comment_uncommented_in_place, tc)
{
	static const char tmpl[] =
	    "# The disk: a ZFS volume (zfs create -V 128G -o volmode=dev "
	    "zroot/vm/w)\n"
	    "#disk=/dev/zvol/zroot/vm/w,type=virtio-blk\n"
	    "# The installer image; remove the line after the install\n"
	    "#cdrom=/vm/iso/installer.iso\n"
	    "console=auto\n";
	struct vmedit e;
	struct diags d;

	ATF_REQUIRE(edit_disk(tmpl, "/dev/zvol/zroot/vm/w", &e, &d) == 0);
	ATF_CHECK_STREQ(sb_str(&e.out),
	    "# The disk: a ZFS volume (zfs create -V 128G -o volmode=dev "
	    "zroot/vm/w)\n"
	    "disk=/dev/zvol/zroot/vm/w,type=virtio-blk\n"
	    "# The installer image; remove the line after the install\n"
	    "#cdrom=/vm/iso/installer.iso\n"
	    "console=auto\n");
	ATF_REQUIRE_EQ(e.n, 1);
	ATF_CHECK_EQ(e.c[0].kind, VME_UNCOMMENTED);
	ATF_CHECK_EQ(e.c[0].line, 2);
	done(&e, &d);
	/* Another path: the comment stays, the line goes under it. */
	ATF_REQUIRE(edit_disk(tmpl, "/dev/zvol/zroot/vm/x", &e, &d) == 0);
	ATF_CHECK(strstr(sb_str(&e.out), "\n#disk=/dev/zvol/zroot/vm/w,"
	    "type=virtio-blk\ndisk=/dev/zvol/zroot/vm/x\n# The installer") !=
	    NULL);
	ATF_CHECK_EQ(e.c[0].line, 3);
	done(&e, &d);
}

ATF_TC_WITHOUT_HEAD(disk_already_there_refused);
ATF_TC_BODY(disk_already_there_refused, tc)
{
	struct vmedit e;
	struct diags d;

	ATF_CHECK(edit_disk(guide, "/dev/zvol//zroot/opt/./windows", &e,
	    &d) != 0);
	ATF_CHECK_EQ(tu_diag_line(&d, "is already a disk of this VM"), 6);
	done(&e, &d);
	ATF_CHECK(edit_disk(guide, "relative.img", &e, &d) != 0);
	ATF_CHECK(tu_diag_has(&d, "not an absolute path"));
	done(&e, &d);
	ATF_CHECK(edit_disk("cpus=2\nnonsense\n", "/a.img", &e, &d) != 0);
	ATF_CHECK_EQ(tu_diag_line(&d, "expected key=value"), 2);
	ATF_CHECK(tu_diag_has(&d, "fix the errors of this VM file first"));
	ATF_CHECK_EQ(e.out.len, 0);
	done(&e, &d);
}

ATF_TC_WITHOUT_HEAD(cdrom_swapped_in_place);
ATF_TC_BODY(cdrom_swapped_in_place, tc)
{
	struct vmedit e;
	struct diags d;

	ATF_REQUIRE(edit_cdrom(guide, "/vm/iso/virtio-win.iso", &e, &d) == 0);
	ATF_CHECK(strstr(sb_str(&e.out), "disk=/dev/zvol/zroot/opt/windows\n"
	    "cdrom=/vm/iso/virtio-win.iso\nnet=tap0\n") != NULL);
	ATF_CHECK_EQ(e.out.len, sizeof(guide) - 1 + 1);
	ATF_REQUIRE_EQ(e.n, 1);
	ATF_CHECK_EQ(e.c[0].kind, VME_REPLACED);
	ATF_CHECK_EQ(e.c[0].line, 7);
	ATF_CHECK_STREQ(e.c[0].before, "cdrom=/vm/iso/windows11.iso");
	done(&e, &d);
	/* The same image: nothing to do. */
	ATF_CHECK(edit_cdrom(guide, "/vm/iso/windows11.iso", &e, &d) == 1);
	done(&e, &d);
}

ATF_TC_WITHOUT_HEAD(cdrom_quotes_options_blanks_kept);
ATF_TC_BODY(cdrom_quotes_options_blanks_kept, tc)
{
	struct vmedit e;
	struct diags d;

	ATF_REQUIRE(edit_cdrom("cpus=2\r\n  cdrom = \"/a.iso,slot=3\"  \r\n"
	    "net=tap0", "/b.iso", &e, &d) == 0);
	ATF_CHECK_STREQ(sb_str(&e.out), "cpus=2\r\n  cdrom = \"/b.iso,slot=3\""
	    "  \r\nnet=tap0");
	done(&e, &d);
}

/* Found by fuzz_vmedit: a '"' inside an unquoted value. */
ATF_TC_WITHOUT_HEAD(cdrom_inner_quote_refused_not_mangled);
ATF_TC_BODY(cdrom_inner_quote_refused_not_mangled, tc)
{
	struct vmedit e;
	struct diags d;

	ATF_CHECK(edit_cdrom("cpus=2\ncdrom = b./\"iso,slot=3\"\n", "/b.iso",
	    &e, &d) == -1);
	ATF_CHECK_EQ(tu_diag_line(&d, "the cdrom value has a '\"' inside"),
	    2);
	ATF_CHECK(!tu_diag_has(&d, "internal error"));
	done(&e, &d);
	/* Inside quotes it is part of the value. */
	ATF_CHECK(edit_cdrom("cdrom=\"/a\"b.iso,x\"y\"\n", "/c.iso", &e,
	    &d) == 0);
	ATF_CHECK_STREQ(sb_str(&e.out), "cdrom=\"/c.iso,x\"y\"\n");
	done(&e, &d);
}

ATF_TC_WITHOUT_HEAD(cdrom_eject_comments_out_and_insert_reuses);
ATF_TC_BODY(cdrom_eject_comments_out_and_insert_reuses, tc)
{
	struct vmedit e, e2;
	struct diags d, d2;

	ATF_REQUIRE(edit_cdrom(guide, NULL, &e, &d) == 0);
	ATF_CHECK(strstr(sb_str(&e.out), "\n#cdrom=/vm/iso/windows11.iso\n") !=
	    NULL);
	ATF_CHECK_EQ(e.c[0].kind, VME_COMMENTED);
	ATF_CHECK_EQ(e.c[0].line, 7);
	/* Ejecting again: nothing to do. */
	ATF_CHECK(edit_cdrom(sb_str(&e.out), NULL, &e2, &d2) == 1);
	done(&e2, &d2);
	/* A new image takes the commented line's place. */
	ATF_REQUIRE(edit_cdrom(sb_str(&e.out), "/vm/iso/virtio-win.iso", &e2,
	    &d2) == 0);
	ATF_CHECK(strstr(sb_str(&e2.out), "windows\n"
	    "cdrom=/vm/iso/virtio-win.iso\nnet=tap0\n") != NULL);
	ATF_CHECK(strstr(sb_str(&e2.out), "windows11") == NULL);
	ATF_CHECK_EQ(e2.c[0].kind, VME_UNCOMMENTED);
	ATF_CHECK_EQ(e2.c[0].line, 7);
	done(&e2, &d2);
	done(&e, &d);
}

ATF_TC_WITHOUT_HEAD(cdrom_added_after_disks_prose_comments_left);
ATF_TC_BODY(cdrom_added_after_disks_prose_comments_left, tc)
{
	struct vmedit e;
	struct diags d;

	ATF_REQUIRE(edit_cdrom("# cdrom=/path is the installer, remove it "
	    "later\ndisk=/a.img\nnet=tap0\n", "/b.iso", &e, &d) == 0);
	ATF_CHECK_STREQ(sb_str(&e.out), "# cdrom=/path is the installer, "
	    "remove it later\ndisk=/a.img\ncdrom=/b.iso\nnet=tap0\n");
	ATF_CHECK_EQ(e.c[0].kind, VME_ADDED);
	ATF_CHECK_EQ(e.c[0].line, 3);
	done(&e, &d);
	ATF_REQUIRE(edit_cdrom("", "/b.iso", &e, &d) == 0);
	ATF_CHECK_STREQ(sb_str(&e.out), "cdrom=/b.iso\n");
	ATF_CHECK_EQ(e.c[0].line, 1);
	done(&e, &d);
	ATF_REQUIRE(edit_cdrom("cpus=2", "/b.iso", &e, &d) == 0);
	ATF_CHECK_STREQ(sb_str(&e.out), "cpus=2\ncdrom=/b.iso\n");
	ATF_CHECK_EQ(e.c[0].line, 2);
	done(&e, &d);
}

ATF_TC_WITHOUT_HEAD(cdrom_several_lines_refused);
ATF_TC_BODY(cdrom_several_lines_refused, tc)
{
	static const char two[] = "disk=/a\ncdrom=/x.iso\ncdrom=/y.iso\n";
	struct vmedit e;
	struct diags d;

	ATF_CHECK(edit_cdrom(two, "/z.iso", &e, &d) == -1);
	ATF_CHECK(tu_diag_has(&d, "2 cdrom lines (2, 3)"));
	done(&e, &d);
	/* Eject takes them all. */
	ATF_REQUIRE(edit_cdrom(two, NULL, &e, &d) == 0);
	ATF_CHECK_STREQ(sb_str(&e.out),
	    "disk=/a\n#cdrom=/x.iso\n#cdrom=/y.iso\n");
	ATF_CHECK_EQ(e.n, 2);
	done(&e, &d);
	ATF_CHECK(edit_cdrom(two, "/a,b.iso", &e, &d) == -1);
	ATF_CHECK(tu_diag_has(&d, "','"));
	done(&e, &d);
}

ATF_TC_WITHOUT_HEAD(paths_compared_and_checked);
ATF_TC_BODY(paths_compared_and_checked, tc)
{
	char why[160];

	ATF_CHECK(vmedit_path_same("/dev/zvol/zroot/a", "/dev/zvol//zroot/a/"));
	ATF_CHECK(vmedit_path_same("/dev/./zvol/zroot/a", "/dev/zvol/zroot/a"));
	ATF_CHECK(!vmedit_path_same("/dev/zvol/zroot/a", "/dev/zvol/zroot/ab"));
	ATF_CHECK(!vmedit_path_same("/dev/zvol/zroot/a", "dev/zvol/zroot/a"));
	ATF_CHECK(!vmedit_path_same("/a/b", "/a"));
	ATF_CHECK(vmedit_path_check("/vm/iso/Win 11.iso", why,
	    sizeof(why)) == 0);
	ATF_CHECK(vmedit_path_check("/vm/iso/", why, sizeof(why)) != 0);
	ATF_CHECK(vmedit_path_check("/vm/\"x\".iso", why, sizeof(why)) != 0);
	ATF_CHECK(vmedit_path_check("/vm/x\n.iso", why, sizeof(why)) != 0);
	ATF_CHECK(strstr(why, "control character") != NULL);
	ATF_CHECK_EQ(vmedit_path_len("/a.iso,slot=3"), 6);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, dataset_names_as_zfs_takes_them);
	ATF_TP_ADD_TC(tp, snapshot_names);
	ATF_TP_ADD_TC(tp, zvol_paths_name_their_dataset);
	ATF_TP_ADD_TC(tp, snapshot_list_sorted_by_dataset_and_txg);
	ATF_TP_ADD_TC(tp, snapshot_list_bad_lines_located);
	ATF_TP_ADD_TC(tp, vm_snapshots_grouped_partial_counted);
	ATF_TP_ADD_TC(tp, zfs_get_values);
	ATF_TP_ADD_TC(tp, sizes_as_zfs_prints_them);
	ATF_TP_ADD_TC(tp, disk_added_after_the_disks_comments_kept);
	ATF_TP_ADD_TC(tp, disk_placed_before_cdrom_or_at_end);
	ATF_TP_ADD_TC(tp, disk_crlf_file_stays_crlf);
	ATF_TP_ADD_TC(tp, disk_template_comment_uncommented_in_place);
	ATF_TP_ADD_TC(tp, disk_already_there_refused);
	ATF_TP_ADD_TC(tp, cdrom_swapped_in_place);
	ATF_TP_ADD_TC(tp, cdrom_quotes_options_blanks_kept);
	ATF_TP_ADD_TC(tp, cdrom_inner_quote_refused_not_mangled);
	ATF_TP_ADD_TC(tp, cdrom_eject_comments_out_and_insert_reuses);
	ATF_TP_ADD_TC(tp, cdrom_added_after_disks_prose_comments_left);
	ATF_TP_ADD_TC(tp, cdrom_several_lines_refused);
	ATF_TP_ADD_TC(tp, paths_compared_and_checked);
	return (atf_no_error());
}
