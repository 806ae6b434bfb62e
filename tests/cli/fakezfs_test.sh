# fakezfs_test: the zfs stand-in of tests/bin, which disk_test runs in
# place of zfs(8): its model, messages and exit statuses.

# fake DIR [CTL]: a captured host directory with the stand-in in DIR/bin.
fake()
{
	mkdir -p "$1/bin" "$1/run"
	cp "$TESTBIN/zfs" "$1/bin/"
	[ -n "${2:-}" ] && printf '%s\n' "$2" > "$1/run/zfs.ctl"
	return 0
}

atf_test_case fakezfs_create_as_zfs_does
fakezfs_create_as_zfs_does_body()
{
	fake h 'avail=10G'
	atf_check -s exit:1 -e inline:"cannot create 'zroot/vm/w': parent does not exist\n" \
	    h/bin/zfs create -V 1G zroot/vm/w
	atf_check h/bin/zfs create -p -V 1000000 -o volmode=dev zroot/vm/w
	# Rounded up to the block size (16K), a device file, the parents.
	atf_check -o inline:'zroot\nzroot/vm\nzroot/vm/w\n' \
	    h/bin/zfs list -H -o name -r zroot
	atf_check -o inline:'zroot/vm/w\tvolsize\t1015808\nzroot/vm/w\tvolmode\tdev\n' \
	    h/bin/zfs get -H -p -o name,property,value volsize,volmode zroot/vm/w
	atf_check test -f h/root/dev/zvol/zroot/vm/w
	atf_check -s exit:1 -e inline:"cannot create 'zroot/vm/w': dataset already exists\n" \
	    h/bin/zfs create -V 1G zroot/vm/w
	atf_check -s exit:1 -e inline:"cannot create 'tank/w': no such pool 'tank'\n" \
	    h/bin/zfs create -V 1G tank/w
	atf_check -s exit:1 -e inline:"cannot create 'zroot/big': out of space\n" \
	    h/bin/zfs create -V 20G zroot/big
	atf_check h/bin/zfs create -s -V 20G zroot/big
	atf_check -s exit:1 -e match:"'volblocksize' must be power of 2" \
	    h/bin/zfs create -V 1G -o volblocksize=3K zroot/x
	atf_check -s exit:2 -e match:'^usage: zfs create' h/bin/zfs create -q x
	atf_check -o inline:'create -V 1G zroot/vm/w\ncreate -p -V 1000000 -o volmode=dev zroot/vm/w\n' \
	    head -n 2 h/run/zfs.args
}

atf_test_case fakezfs_snapshots_rollback_destroy
fakezfs_snapshots_rollback_destroy_body()
{
	fake h 'busy=zroot/b'
	h/bin/zfs create -V 1G zroot/a
	h/bin/zfs create -V 1G zroot/b
	atf_check h/bin/zfs snapshot zroot/a@one zroot/b@one
	h/bin/zfs _write zroot/a 1G
	atf_check h/bin/zfs snapshot zroot/a@two
	h/bin/zfs _write zroot/a 2M
	atf_check -s exit:1 -e inline:"cannot create snapshot 'zroot/a@two': dataset already exists\n" \
	    h/bin/zfs snapshot zroot/a@two
	atf_check -s exit:1 -e inline:"cannot open 'zroot/c': dataset does not exist\n" \
	    h/bin/zfs snapshot zroot/a@three zroot/c@three
	atf_check -o inline:'zroot/a@one\t4\t1764000180\t1073741824\nzroot/a@two\t5\t1764000240\t2097152\nzroot/b@one\t4\t1764000180\t0\n' \
	    h/bin/zfs list -H -p -t snapshot -o name,createtxg,creation,used -d 1 zroot/a zroot/b
	atf_check -o inline:'zroot/a\t1075838976\n' \
	    h/bin/zfs get -H -p -o name,value written@one zroot/a
	atf_check -s exit:1 -e inline:"cannot rollback to 'zroot/a@one': more recent snapshots or bookmarks exist\nuse '-r' to force deletion of the following snapshots and bookmarks:\nzroot/a@two\n" \
	    h/bin/zfs rollback zroot/a@one
	atf_check h/bin/zfs rollback -r zroot/a@one
	atf_check -o inline:'zroot/a@one\n' h/bin/zfs list -H -t snapshot -o name -r zroot/a
	atf_check -o inline:'0\n' h/bin/zfs get -H -p -o value written zroot/a
	atf_check -s exit:1 -e inline:"cannot rollback 'zroot/b': dataset is busy\n" \
	    h/bin/zfs rollback zroot/b@one
	atf_check -s exit:1 -e match:"cannot destroy 'zroot/a': volume has children" \
	    h/bin/zfs destroy zroot/a
	atf_check h/bin/zfs destroy -r zroot/a
	atf_check -s exit:1 test -e h/root/dev/zvol/zroot/a
	atf_check -s exit:1 -e inline:"cannot open 'zroot/a': dataset does not exist\n" \
	    h/bin/zfs list zroot/a
}

atf_init_test_cases()
{
	atf_add_test_case fakezfs_create_as_zfs_does
	atf_add_test_case fakezfs_snapshots_rollback_destroy
}
