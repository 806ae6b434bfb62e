# disk_test.sh: disk create, snapshot, snapshots, rollback, cdrom, and the
# shared-disk check, on copies of the guide's captured host with the zfs
# stand-in (tests/bin/zfs) in DIR/bin.  PTVM, DATA and TESTBIN are set by
# the Makefile.

GUIDE="$DATA/../../examples/hosts/guide-rx7600"
VMF=root/usr/local/etc/ptvm/winpt.conf
export TZ=UTC

# zfshost DIR: the guide's host, its zvol zroot/opt/windows made by the
# stand-in; the setup's own zfs calls are not kept in run/zfs.args.
zfshost()
{
	cp -R "$GUIDE" "$1"
	mkdir -p "$1/bin" "$1/run"
	cp "$TESTBIN/zfs" "$1/bin/zfs"
	[ -n "${2:-}" ] && printf '%s\n' "$2" > "$1/run/zfs.ctl"
	"$1/bin/zfs" create -p -V 256G -o volmode=dev -o volblocksize=16K \
	    zroot/opt/windows
	: > "$1/run/zfs.args"
}

# unchanged FILE: FILE is as saved with keep FILE.
keep()
{
	cp "$1" "$1.kept"
}
unchanged()
{
	atf_check cmp "$1" "$1.kept"
}

# notcalled DIR WORD: ptvm did not run zfs WORD.
notcalled()
{
	atf_check -s exit:1 grep -q "^$2" "$1/run/zfs.args"
}

# on_tty INPUT CMD...: CMD on a pseudo-terminal, INPUT typed.
on_tty()
{
	_in=$1
	shift
	if script --version 2>/dev/null | grep -q util-linux; then
		_c=
		for _a in "$@"; do
			_c="$_c '$_a'"
		done
		printf '%s\n' "$_in" | script -qec "$_c" /dev/null
	else
		printf '%s\n' "$_in" | script -q /dev/null "$@"
	fi
}

atf_test_case disk_create_adds_zvol_and_line
disk_create_adds_zvol_and_line_body()
{
	zfshost h
	atf_check -o match:'^created zroot/vm/data: 64G, volblocksize=16K, volmode=dev, its space reserved$' \
	    -o match:'^created zroot/vm too, a file system holding it \(zfs create -p\)$' \
	    -o match:'winpt.conf:7: disk=/dev/zvol/zroot/vm/data \(added\)$' \
	    "$PTVM" -H h disk create winpt 64G --dataset zroot/vm/data
	# zfs got exactly this, and the journal says so.
	atf_check -o inline:'list -H -o name -d 0\nlist -H -o name -t filesystem,volume -r zroot\ncreate -p -V 64G -o volmode=dev -o volblocksize=16K zroot/vm/data\n' \
	    cat h/run/zfs.args
	atf_check -o inline:'zfs create -p -V 64G -o volmode=dev -o volblocksize=16K zroot/vm/data\ninstall -m 0644 root/usr/local/etc/ptvm/winpt.conf /usr/local/etc/ptvm/winpt.conf\n' \
	    cat h/journal
	atf_check -o inline:'68719476736\n16384\ndev\n68719476736\n' \
	    h/bin/zfs get -H -p -o value volsize,volblocksize,volmode,refreservation \
	    zroot/vm/data
	# The file: its comments and order kept, the disk after the disk.
	sed '6a\
disk=/dev/zvol/zroot/vm/data' "$GUIDE/$VMF" > want
	atf_check cmp want h/$VMF
	atf_check -s exit:1 -o match:'^PASS  disk      /dev/zvol/zroot/vm/data present' \
	    -o match:'^PASS  disk      no other VM file has these disks' \
	    "$PTVM" -H h check winpt
}

atf_test_case disk_create_makes_the_missing_volume_of_a_disk_line
disk_create_makes_the_missing_volume_of_a_disk_line_head()
{
	atf_set descr "a disk= line whose zvol does not exist yet (an" \
	    "imported script's): check's fix names ptvm disk create, which" \
	    "creates that volume and leaves the VM file as it is"
}
disk_create_makes_the_missing_volume_of_a_disk_line_body()
{
	cp -R "$GUIDE" h
	rm -f h/root/dev/zvol/zroot/opt/windows
	mkdir -p h/bin h/run
	cp "$TESTBIN/zfs" h/bin/zfs
	keep h/$VMF
	atf_check -s exit:1 -o match:'^FAIL  disk      /dev/zvol/zroot/opt/windows: No such file or directory' \
	    -o match:'fix: create it: ptvm disk create winpt SIZE --dataset zroot/opt/windows' \
	    "$PTVM" -H h check winpt
	atf_check -o match:'^created zroot/opt/windows: 256G, volblocksize=16K, volmode=dev, its space reserved$' \
	    -o match:'winpt.conf:[0-9]+: disk=/dev/zvol/zroot/opt/windows \(already there: its volume is created\)$' \
	    "$PTVM" -H h disk create winpt 256G --dataset zroot/opt/windows
	unchanged h/$VMF
	atf_check -s exit:1 -o match:'^PASS  disk      /dev/zvol/zroot/opt/windows present' \
	    "$PTVM" -H h check winpt
	# Now it exists: a second create is refused.
	atf_check -s exit:1 -e match:'is already a disk of this VM, and its volume exists' \
	    "$PTVM" -H h disk create winpt 256G --dataset zroot/opt/windows
	# Without --dataset, the one line whose volume is missing is it.
	rm -f h/root/dev/zvol/zroot/opt/windows
	h/bin/zfs destroy zroot/opt/windows
	atf_check -o match:'already there: its volume is created' \
	    "$PTVM" -H h disk create winpt 256G
}

atf_test_case disk_create_sizes_guide_forms
disk_create_sizes_guide_forms_body()
{
	zfshost h
	n=0
	for s in 256G:256G 256g:256G 1T:1T 1073741824:1G 1000000:992K; do
		n=$((n + 1))
		atf_check -o ignore -e ignore "$PTVM" -H h disk create winpt \
		    "${s%:*}" --sparse --dataset zroot/vm/d$n
		atf_check -o ignore grep -E -x "create (-p )?-s -V ${s#*:} -o volmode=dev -o volblocksize=16K zroot/vm/d$n" \
		    h/run/zfs.args
	done
	atf_check -o ignore -e match:'note: size 1000000 rounded up to 992K, a multiple of the volume block size' \
	    "$PTVM" -H h disk create winpt 1000000 --dataset zroot/vm/d9
	keep h/$VMF
	for s in 12X 0 -5 G 1.5G 256GG 16Q 2ZB1; do
		atf_check -s exit:1 -e match:"size \"$s\": give a size above 0 such as 256G, 256g, 1T or a number of bytes" \
		    "$PTVM" -H h disk create --dataset zroot/vm/bad -- winpt "$s"
	done
	atf_check -s exit:1 -e match:'volblocksize "3K": give a power of two from 4K to 128K' \
	    "$PTVM" -H h disk create --volblocksize 3K winpt 1G
	unchanged h/$VMF
	atf_check -s exit:1 grep -q zroot/vm/bad h/run/zfs.args
}

atf_test_case disk_create_size_limit_is_zfs_own
disk_create_size_limit_is_zfs_own_body()
{
	zfshost h
	keep h/$VMF
	# 16E is 2^64 bytes: one more than a 64-bit volsize holds.
	for s in 16E 16384P 18446744073709551615 99999999999999999999 17E 1Z; do
		atf_check -s exit:1 \
		    -e match:"size \"$s\" is larger than a ZFS volume can be: at most 18014398509481968K \(16E less one 16K volume block\)" \
		    "$PTVM" -H h disk create --dataset zroot/vm/bad -- winpt "$s"
	done
	atf_check -s exit:1 -e match:'at most 18014398509481968K \(16E less one 16K volume block\)' \
	    "$PTVM" -H h disk create --dataset zroot/vm/bad -- winpt 18014398509481969K
	atf_check -s exit:1 -e match:'at most 18014398509481920K \(16E less one 64K volume block\)' \
	    "$PTVM" -H h disk create --volblocksize 64K --dataset zroot/vm/bad -- winpt 16E
	notcalled h create
	unchanged h/$VMF
	# The limit itself, and P and E, are what zfs takes.
	atf_check -o ignore -e ignore "$PTVM" -H h disk create winpt \
	    18014398509481968K --sparse --dataset zroot/vm/max
	atf_check -o ignore grep -E -x 'create (-p )?-s -V 18014398509481968K -o volmode=dev -o volblocksize=16K zroot/vm/max' \
	    h/run/zfs.args
	atf_check -o ignore -e ignore "$PTVM" -H h disk create winpt 2P \
	    --sparse --dataset zroot/vm/p
	atf_check -o ignore -e ignore "$PTVM" -H h disk create winpt 1E \
	    --sparse --dataset zroot/vm/e
	atf_check -o ignore grep -E -x 'create (-p )?-s -V 2P .*zroot/vm/p' h/run/zfs.args
	atf_check -o ignore grep -E -x 'create (-p )?-s -V 1E .*zroot/vm/e' h/run/zfs.args
}

atf_test_case zfs_killed_by_a_signal_says_so
zfs_killed_by_a_signal_says_so_body()
{
	zfshost h
	mv h/bin/zfs h/bin/zfs.real
	cat > h/bin/zfs <<'EOF'
#!/bin/sh
[ "$1" = create ] && kill -KILL $$
exec "$(dirname "$0")/zfs.real" "$@"
EOF
	chmod +x h/bin/zfs
	atf_check -s exit:1 \
	    -e match:'zfs create .* zroot/vm/k was killed by signal 9 \(SIGKILL\)' \
	    -e not-match:'exit status' \
	    "$PTVM" -H h disk create winpt 1G --dataset zroot/vm/k
	# An exit status of 137 is an exit status, not a signal.
	cat > h/bin/zfs <<'EOF'
#!/bin/sh
[ "$1" = create ] && exit 137
exec "$(dirname "$0")/zfs.real" "$@"
EOF
	atf_check -s exit:1 \
	    -e match:'zfs create .* zroot/vm/k failed with exit status 137 \(zfs said why above\)' \
	    -e not-match:'signal' \
	    "$PTVM" -H h disk create winpt 1G --dataset zroot/vm/k
}

atf_test_case disk_create_default_dataset
disk_create_default_dataset_body()
{
	zfshost h
	atf_check -o match:'^created zroot/vm/winpt: 128G' \
	    "$PTVM" -H h disk create winpt 128G
	atf_check -o ignore grep -x 'create -p -V 128G -o volmode=dev -o volblocksize=16K zroot/vm/winpt' \
	    h/run/zfs.args
	# The next one: -disk1, and zroot/vm exists now.
	atf_check -o match:'^created zroot/vm/winpt-disk1: 1G' \
	    "$PTVM" -H h disk create winpt 1G
	atf_check -o ignore grep -x 'create -V 1G -o volmode=dev -o volblocksize=16K zroot/vm/winpt-disk1' \
	    h/run/zfs.args
	atf_check -o inline:'disk=/dev/zvol/zroot/opt/windows\ndisk=/dev/zvol/zroot/vm/winpt\ndisk=/dev/zvol/zroot/vm/winpt-disk1\n' \
	    grep '^disk=' h/$VMF
	# A VM with no zvol on a host with two pools: which one?
	zfshost t 'pools=zroot tank'
	mkdir conf
	printf 'cpus=2\nmemory=1G\npin=none\n' > conf/lin.conf
	atf_check -s exit:1 -e match:'several pools; give --dataset POOL/vm/lin' \
	    "$PTVM" -H t -c conf disk create lin 8G
	atf_check -o match:'created tank/vm/lin: 8G' \
	    "$PTVM" -H t -c conf disk create lin 8G --dataset tank/vm/lin
}

atf_test_case disk_create_refusals
disk_create_refusals_body()
{
	zfshost h
	keep h/$VMF
	atf_check -s exit:1 -e match:'winpt.conf:[0-9]+: error: /dev/zvol/zroot/opt/windows is already a disk of this VM, and its volume exists' \
	    "$PTVM" -H h disk create winpt 1G --dataset zroot/opt/windows
	atf_check -s exit:1 -e match:'--dataset "zroot": a volume lives inside a pool' \
	    "$PTVM" -H h disk create winpt 1G --dataset zroot
	atf_check -s exit:1 -e match:"--dataset \"zroot/a@b\": '@' is not allowed" \
	    "$PTVM" -H h disk create winpt 1G --dataset zroot/a@b
	atf_check -s exit:1 -e match:'"mirror" cannot be a pool' \
	    "$PTVM" -H h disk create winpt 1G --dataset mirror/x
	atf_check -s exit:1 -e match:'tank/x: there is no pool tank \(pools: zroot\)' \
	    "$PTVM" -H h disk create winpt 1G --dataset tank/x
	# Another VM's disk is never given to this one.
	printf 'cpus=2\nmemory=1G\npin=none\n# data\ndisk=/dev/zvol/zroot/vm/shared\n' \
	    > h/root/usr/local/etc/ptvm/other.conf
	atf_check -s exit:1 -e match:'other.conf:5: error: /dev/zvol/zroot/vm/shared is this VM.s disk; two VMs must never share one' \
	    "$PTVM" -H h disk create winpt 1G --dataset zroot/vm/shared
	notcalled h create
	unchanged h/$VMF
	atf_check -s exit:2 -e match:'usage: ptvm disk create' \
	    "$PTVM" -H h disk create winpt
}

atf_test_case disk_create_zfs_failure_leaves_file
disk_create_zfs_failure_leaves_file_body()
{
	zfshost h 'avail=300G'
	keep h/$VMF
	atf_check -s exit:1 -e match:"cannot create 'zroot/vm/big': out of space" \
	    -e match:'zfs create -p -V 100G .* zroot/vm/big failed with exit status 1 \(zfs said why above\)' \
	    -e match:'winpt.conf: error: not changed' \
	    "$PTVM" -H h disk create winpt 100G --dataset zroot/vm/big
	unchanged h/$VMF
	atf_check -s exit:1 grep -q install h/journal
	# Sparse takes no space up front.
	atf_check -o match:'sparse' \
	    "$PTVM" -H h disk create winpt 100G --sparse --dataset zroot/vm/big
	atf_check -o inline:'none\n' \
	    h/bin/zfs get -H -o value refreservation zroot/vm/big
}

atf_test_case disk_create_uncomments_template_line
disk_create_uncomments_template_line_body()
{
	zfshost h
	mkdir conf
	atf_check -o ignore -e ignore "$PTVM" -H h -c conf create winvm
	chmod 600 conf/winvm.conf
	line=$(grep -n '^#disk=/dev/zvol/zroot/vm/winvm,type=nvme$' conf/winvm.conf | cut -d: -f1)
	atf_check test -n "$line"
	sed "${line}s/^#//" conf/winvm.conf > want
	atf_check -o match:"conf/winvm.conf:$line: disk=/dev/zvol/zroot/vm/winvm,type=nvme \\(uncommented\\)" \
	    "$PTVM" -H h -c conf disk create winvm 128G
	atf_check cmp want conf/winvm.conf
	# Written atomically: mode kept, no temporary file left.
	atf_check -o match:'^-rw------- ' ls -l conf/winvm.conf
	atf_check -o inline:'winvm.conf\n' ls conf
}

atf_test_case disk_create_journaled_without_zfs
disk_create_journaled_without_zfs_body()
{
	captured_only "without a zfs stand-in the live host has no zfs"
	cp -R "$GUIDE" h
	atf_check -o match:'journaled only' \
	    "$PTVM" -H h disk create winpt 64G --dataset zroot/vm/x
	atf_check -o ignore grep -x 'zfs create -p -V 64G -o volmode=dev -o volblocksize=16K zroot/vm/x' h/journal
	atf_check -o ignore grep -x 'disk=/dev/zvol/zroot/vm/x' h/$VMF
	# The pool of the VM's zvols, or the only pool: unknown here.
	mkdir conf
	printf 'cpus=2\nmemory=1G\npin=none\n' > conf/lin.conf
	atf_check -s exit:1 -e match:'zfs cannot run here to find the pool: give --dataset' \
	    "$PTVM" -H h -c conf disk create lin 64G
}

atf_test_case disk_create_running_says_next_start
disk_create_running_says_next_start_body()
{
	zfshost h
	echo 'winpt 6/0/0' > h/vmm.txt
	atf_check -o match:'winpt is running \(its VM exists in /dev/vmm\): the new disk takes effect at its next start' \
	    "$PTVM" -H h disk create winpt 1G --dataset zroot/vm/x
}

atf_test_case snapshot_all_disks_one_call
snapshot_all_disks_one_call_body()
{
	zfshost h
	atf_check -o ignore "$PTVM" -H h disk create winpt 1G
	: > h/run/zfs.args
	atf_check -o inline:'winpt: snapshot clean of 2 disks, one instant: zroot/opt/windows@clean zroot/vm/winpt@clean\n' \
	    "$PTVM" -H h snapshot winpt clean
	atf_check -o inline:'snapshot zroot/opt/windows@clean zroot/vm/winpt@clean\n' \
	    grep '^snapshot' h/run/zfs.args
	# One transaction group: the same instant.
	atf_check -o inline:'zroot/opt/windows@clean\t4\nzroot/vm/winpt@clean\t4\n' \
	    h/bin/zfs list -H -t snapshot -o name,createtxg -r zroot
	atf_check -o ignore grep -x 'zfs snapshot zroot/opt/windows@clean zroot/vm/winpt@clean' h/journal
}

atf_test_case snapshot_disks_in_two_pools
snapshot_disks_in_two_pools_head()
{
	atf_set descr "zfs snapshot is one instant only within a pool" \
	    "(EXDEV across pools): one call a pool for a stopped VM, refused" \
	    "for a running one"
}
snapshot_disks_in_two_pools_body()
{
	zfshost h 'pools=zroot tank'
	atf_check -o ignore "$PTVM" -H h disk create winpt 1G --dataset tank/winpt-data
	: > h/run/zfs.args
	atf_check -o inline:'winpt: snapshot clean of 2 disks in 2 pools, one zfs call a pool (the VM is stopped, so they agree): zroot/opt/windows@clean tank/winpt-data@clean\n' \
	    "$PTVM" -H h snapshot winpt clean
	atf_check -o inline:'snapshot zroot/opt/windows@clean\nsnapshot tank/winpt-data@clean\n' \
	    grep '^snapshot' h/run/zfs.args
	# The stand-in refuses a request across pools, as the kernel does.
	atf_check -s exit:1 -e match:'multiple snapshots of same fs not allowed' \
	    h/bin/zfs snapshot zroot/opt/windows@x tank/winpt-data@x
	# Running: the two calls would be two instants.
	: > h/run/zfs.args
	echo 'winpt' > h/vmm.txt
	atf_check -s exit:1 -e match:"winpt's disks are in 2 pools and it runs" \
	    "$PTVM" -H h snapshot --live winpt live
	notcalled h snapshot
}

atf_test_case snapshot_default_name_is_the_time
snapshot_default_name_is_the_time_body()
{
	zfshost h
	atf_check -o match:'^winpt: snapshot ptvm-[0-9]{8}-[0-9]{6} of 1 disk, one instant: zroot/opt/windows@ptvm-[0-9]{8}-[0-9]{6}$' \
	    "$PTVM" -H h snapshot winpt
	atf_check -o match:'^zroot/opt/windows@ptvm-[0-9]{8}-[0-9]{6}$' \
	    h/bin/zfs list -H -t snapshot -o name -r zroot
}

atf_test_case snapshot_refused_while_running
snapshot_refused_while_running_body()
{
	zfshost h
	echo 'winpt 6/0/0' > h/vmm.txt
	atf_check -s exit:1 -e match:'winpt is running \(its VM exists in /dev/vmm\): a snapshot now would only be crash-consistent; stop it first, or give --live' \
	    "$PTVM" -H h snapshot winpt clean
	notcalled h snapshot
	atf_check -o match:'snapshot live of 1 disk' \
	    -o match:'taken while winpt runs: crash-consistent only' \
	    "$PTVM" -H h snapshot --live winpt live
	rm h/vmm.txt
	# The supervisor's status file counts too.
	printf 'name=winpt\nstate=starting\npid=0\nsupervisor=0\n' > h/run/winpt.status
	atf_check -s exit:1 -e match:'run/winpt.status says starting; if no bhyve runs for it, remove the file' \
	    "$PTVM" -H h snapshot winpt clean
	printf 'name=winpt\nstate=stopped\npid=0\nsupervisor=0\n' > h/run/winpt.status
	atf_check -o match:'snapshot clean of 1 disk' "$PTVM" -H h snapshot winpt clean
	printf 'state=sideways\n' > h/run/winpt.status
	atf_check -s exit:1 -e match:'may be running \(.*winpt.status is damaged \(line 1: bad value for state' \
	    "$PTVM" -H h snapshot winpt other
}

atf_test_case snapshot_plain_file_refused
snapshot_plain_file_refused_body()
{
	zfshost h
	mkdir conf
	printf 'cpus=2\nmemory=1G\npin=none\ndisk=/vm/disk.img\n' > conf/plain.conf
	printf 'cpus=2\nmemory=1G\npin=none\ndisk=/dev/zvol/zroot/opt/windows\ndisk=/vm/d.img\n' > conf/mixed.conf
	for v in plain:4:disk.img mixed:5:d.img; do
		set -- $(echo "$v" | tr : ' ')
		atf_check -s exit:1 -e match:"conf/$1.conf:$2: error: disk /vm/$3 is a plain file, not a ZFS volume: snapshots need zvols" \
		    "$PTVM" -H h -c conf snapshot "$1" clean
		atf_check -s exit:1 -e match:"conf/$1.conf:$2: error: disk /vm/$3 is a plain file" \
		    "$PTVM" -H h -c conf rollback -y "$1" clean
	done
	notcalled h snapshot
	atf_check -o inline:'/vm/disk.img is a plain file: no snapshots\nplain has no snapshots (ptvm snapshot plain NAME takes one)\n' \
	    "$PTVM" -H h -c conf snapshots plain
}

atf_test_case snapshot_names_checked
snapshot_names_checked_body()
{
	zfshost h
	atf_check -o ignore "$PTVM" -H h snapshot winpt clean
	atf_check -s exit:1 -e match:'winpt has a snapshot clean already \(zroot/opt/windows@clean, 2025-11-24 16:02\): choose another name' \
	    "$PTVM" -H h snapshot winpt clean
	atf_check -s exit:1 -e match:"snapshot name \"a/b\": '/' is not allowed" \
	    "$PTVM" -H h snapshot winpt a/b
	atf_check -s exit:1 -e match:"snapshot name \"-x\": a snapshot name cannot start with '-'" \
	    "$PTVM" -H h snapshot winpt -- -x
	atf_check -o inline:'snapshot zroot/opt/windows@clean\n' grep '^snapshot' h/run/zfs.args
}

# A hung zfs used to hang ptvm snapshots for ever.  PTVM_TIMEOUT_SCALE
# shortens zfs list's 60 s to 1.2 s; timeout turns a hang into a failure.
atf_test_case snapshots_zfs_hang_times_out
snapshots_zfs_hang_times_out_body()
{
	zfshost h 'hang=list get'
	t0=$(date +%s)
	atf_check -s exit:1 -e match:'zfs list .* did not finish within 1\.2 s and was killed; find out why it hangs \(procstat -kk, and for zfs: zpool status\), then run the command again' \
	    env PTVM_TIMEOUT_SCALE=0.02 timeout 30 "$PTVM" -H h snapshots winpt
	t1=$(date +%s)
	[ $((t1 - t0)) -lt 15 ] || atf_fail "snapshots took $((t1 - t0)) s"
	# zfs's own child was in its process group: it is gone too.
	pid=$(cat h/run/zfs.hang.pid)
	sleep 1
	if kill -0 "$pid" 2>/dev/null &&
	    ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
		kill "$pid"
		atf_fail "the stand-in's child $pid outlived the time limit"
	fi
}

atf_test_case zfs_killed_by_signal_named
zfs_killed_by_signal_named_body()
{
	zfshost h 'killed=list'
	atf_check -s exit:1 -e match:'zfs list .* was killed by signal 9 \(SIGKILL\)$' \
	    -e not-match:'exit status 137' "$PTVM" -H h snapshots winpt
	zfshost h2 'killed=snapshot'
	atf_check -s exit:1 -e match:'zfs snapshot .* was killed by signal 9 \(SIGKILL\)$' \
	    -e not-match:'exit status 137' "$PTVM" -H h2 snapshot winpt clean
}

atf_test_case snapshots_table_and_json
snapshots_table_and_json_body()
{
	zfshost h
	atf_check -o ignore "$PTVM" -H h disk create winpt 1G
	atf_check -o ignore "$PTVM" -H h snapshot winpt clean
	h/bin/zfs _write zroot/opt/windows 3G
	atf_check -o ignore "$PTVM" -H h snapshot winpt drivers
	h/bin/zfs snapshot zroot/vm/winpt@half
	atf_check -o inline:'NAME     CREATED              USED  DISKS
clean    2025-11-24 16:03       3G  2/2
drivers  2025-11-24 16:04       0B  2/2
half     2025-11-24 16:05       0B  1/2 (partial: not on zroot/opt/windows)
' "$PTVM" -H h snapshots winpt
	atf_check -o save:json "$PTVM" -H h snapshots --json winpt
	for s in '"name":"winpt"' \
	    '"disks":[{"path":"/dev/zvol/zroot/opt/windows","dataset":"zroot/opt/windows"},{"path":"/dev/zvol/zroot/vm/winpt","dataset":"zroot/vm/winpt"}]' \
	    '{"name":"clean","created":1764000180,"used":3221225472,"complete":true,"datasets":[{"dataset":"zroot/opt/windows","createtxg":4,"created":1764000180,"used":3221225472,"referenced":0},' \
	    '{"name":"half","created":1764000300,"used":0,"complete":false,"datasets":[{"dataset":"zroot/vm/winpt",'; do
		atf_check -o ignore grep -F "$s" json
	done
}

# twosnaps DIR: snapshots clean and later of winpt, 2G written in
# between and 1G after.
twosnaps()
{
	zfshost "$1"
	atf_check -o ignore "$PTVM" -H "$1" snapshot winpt clean
	"$1/bin/zfs" _write zroot/opt/windows 2G
	atf_check -o ignore "$PTVM" -H "$1" snapshot winpt later
	"$1/bin/zfs" _write zroot/opt/windows 1G
	: > "$1/run/zfs.args"
}

atf_test_case rollback_to_latest_with_y
rollback_to_latest_with_y_body()
{
	zfshost h
	atf_check -o ignore "$PTVM" -H h snapshot winpt clean
	h/bin/zfs _write zroot/opt/windows 2G
	atf_check -o inline:'Rolling winpt back to clean (2025-11-24 16:02) loses:
  every change to zroot/opt/windows since clean (2G written)
winpt is back at clean
' "$PTVM" -H h rollback -y winpt clean
	atf_check -o ignore grep -x 'rollback zroot/opt/windows@clean' h/run/zfs.args
	atf_check -o ignore grep -x 'zfs rollback zroot/opt/windows@clean' h/journal
	atf_check -o inline:'0\n' h/bin/zfs get -H -p -o value written zroot/opt/windows
}

atf_test_case rollback_refuses_newer_snapshots
rollback_refuses_newer_snapshots_body()
{
	twosnaps h
	atf_check -s exit:1 -e match:'note: newer: zroot/opt/windows@later' \
	    -e match:'1 snapshot of winpt is newer than clean and would be destroyed; give --destroy-newer to destroy it' \
	    "$PTVM" -H h rollback -y winpt clean
	notcalled h rollback
	atf_check -o inline:'zroot/opt/windows@clean\nzroot/opt/windows@later\n' \
	    h/bin/zfs list -H -t snapshot -o name -r zroot
}

atf_test_case rollback_destroy_newer_names_the_loss
rollback_destroy_newer_names_the_loss_body()
{
	twosnaps h
	atf_check -o inline:'Rolling winpt back to clean (2025-11-24 16:02) loses:
  every change to zroot/opt/windows since clean (3G written)
  snapshot zroot/opt/windows@later (2025-11-24 16:03, 1G of its own)
winpt is back at clean
' "$PTVM" -H h rollback --destroy-newer -y winpt clean
	atf_check -o ignore grep -x 'rollback -r zroot/opt/windows@clean' h/run/zfs.args
	atf_check -o inline:'zroot/opt/windows@clean\n' \
	    h/bin/zfs list -H -t snapshot -o name -r zroot
}

atf_test_case rollback_refused_while_running
rollback_refused_while_running_body()
{
	twosnaps h
	echo 'winpt ?' > h/vmm.txt
	atf_check -s exit:1 -e match:'winpt is running \(its VM exists in /dev/vmm\): a rollback under a running guest destroys its disk; stop it first' \
	    "$PTVM" -H h rollback --destroy-newer -y winpt later
	rm h/vmm.txt
	printf 'name=winpt\nstate=running\npid=42\nsupervisor=41\n' > h/run/winpt.status
	atf_check -s exit:1 -e match:'winpt.status says running' \
	    "$PTVM" -H h rollback -y winpt later
	notcalled h rollback
}

atf_test_case rollback_needs_a_terminal_or_y
rollback_needs_a_terminal_or_y_body()
{
	twosnaps h
	atf_check -s exit:1 -e match:'Rolling winpt back to later \(2025-11-24 16:03\) loses:' \
	    -e match:'every change to zroot/opt/windows since later \(1G written\)' \
	    -e match:'not rolled back: there is no terminal to confirm on; give -y to confirm' \
	    "$PTVM" -H h rollback winpt later < /dev/null
	notcalled h rollback
}

atf_test_case rollback_prompt_on_terminal
rollback_prompt_on_terminal_body()
{
	command -v script >/dev/null 2>&1 || atf_skip "no script(1)"
	twosnaps h
	on_tty n "$PTVM" -H h rollback --destroy-newer winpt clean >out 2>&1
	atf_check -o inline:'1\n' echo $?
	atf_check -o match:'loses:' \
	    -o match:'snapshot zroot/opt/windows@later \(2025-11-24 16:03, 1G of its own\)' \
	    -o match:'Roll back winpt to clean\? \[y/N\]' \
	    -o match:'not rolled back' cat out
	notcalled h rollback
	on_tty yes "$PTVM" -H h rollback --destroy-newer winpt clean >out 2>&1
	atf_check -o inline:'0\n' echo $?
	atf_check -o match:'Roll back winpt to clean\? \[y/N\]' \
	    -o match:'winpt is back at clean' cat out
	atf_check -o ignore grep -x 'rollback -r zroot/opt/windows@clean' h/run/zfs.args
}

atf_test_case rollback_unknown_or_partial_snapshot
rollback_unknown_or_partial_snapshot_body()
{
	zfshost h
	atf_check -o ignore "$PTVM" -H h disk create winpt 1G
	h/bin/zfs snapshot zroot/vm/winpt@half
	atf_check -s exit:1 -e match:'winpt has no snapshot "nope" \(ptvm snapshots winpt lists them\)' \
	    "$PTVM" -H h rollback -y winpt nope
	atf_check -s exit:1 -e match:'zroot/opt/windows@half does not exist: "half" is not on every disk of winpt' \
	    "$PTVM" -H h rollback -y winpt half
	notcalled h rollback
}

atf_test_case rollback_part_failure_says_which
rollback_part_failure_says_which_body()
{
	zfshost h 'busy=zroot/vm/winpt'
	atf_check -o ignore "$PTVM" -H h disk create winpt 1G
	atf_check -o ignore "$PTVM" -H h snapshot winpt clean
	atf_check -s exit:1 -o ignore -e match:"cannot rollback 'zroot/vm/winpt': dataset is busy" \
	    -e match:'winpt is rolled back only in part: zroot/opt/windows is at clean, zroot/vm/winpt and the rest are not' \
	    "$PTVM" -H h rollback -y winpt clean
}

atf_test_case cdrom_swap_keeps_comments_and_order
cdrom_swap_keeps_comments_and_order_body()
{
	zfshost h
	touch h/root/vm/iso/virtio-win.iso
	atf_check -o inline:'/usr/local/etc/ptvm/winpt.conf:7: cdrom=/vm/iso/virtio-win.iso (was cdrom=/vm/iso/windows11.iso)\n' \
	    "$PTVM" -H h cdrom winpt /vm/iso/virtio-win.iso
	sed 's|^cdrom=.*|cdrom=/vm/iso/virtio-win.iso|' "$GUIDE/$VMF" > want
	atf_check cmp want h/$VMF
	atf_check -o ignore grep -x 'install -m 0644 root/usr/local/etc/ptvm/winpt.conf /usr/local/etc/ptvm/winpt.conf' h/journal
	atf_check -o match:'-s 1:1,ahci-cd,/vm/iso/virtio-win.iso' \
	    "$PTVM" -H h show --argv winpt
	atf_check -o inline:'winpt: the cdrom is /vm/iso/virtio-win.iso already\n' \
	    "$PTVM" -H h cdrom winpt /vm/iso/virtio-win.iso
}

atf_test_case cdrom_eject_and_insert_again
cdrom_eject_and_insert_again_body()
{
	zfshost h
	atf_check -o inline:'/usr/local/etc/ptvm/winpt.conf:7: #cdrom=/vm/iso/windows11.iso (ejected)\n' \
	    "$PTVM" -H h cdrom winpt --eject
	atf_check -s exit:1 -o ignore grep ahci-cd h/$VMF
	atf_check -o not-match:'ahci-cd' "$PTVM" -H h show --argv winpt
	atf_check -o inline:'winpt has no cdrom: nothing to eject\n' \
	    "$PTVM" -H h cdrom --eject winpt
	atf_check -o inline:'/usr/local/etc/ptvm/winpt.conf:7: cdrom=/vm/iso/windows11.iso (uncommented)\n' \
	    "$PTVM" -H h cdrom winpt /vm/iso/windows11.iso
	atf_check cmp "$GUIDE/$VMF" h/$VMF
}

atf_test_case cdrom_refusals
cdrom_refusals_body()
{
	zfshost h
	keep h/$VMF
	atf_check -s exit:1 -e match:'/vm/iso/nope.iso: error: No such file or directory; download the image first, or check the path' \
	    "$PTVM" -H h cdrom winpt /vm/iso/nope.iso
	atf_check -s exit:1 -e match:'"vm/x.iso": not an absolute path' \
	    "$PTVM" -H h cdrom winpt vm/x.iso
	atf_check -s exit:1 -e match:"\"/vm/a,b.iso\": ',' is not allowed in the path \\(bhyve reads options after a comma\\)" \
	    "$PTVM" -H h cdrom winpt /vm/a,b.iso
	atf_check -s exit:1 -e match:'/vm/iso: error: not a file; give the ISO image' \
	    "$PTVM" -H h cdrom winpt /vm/iso
	unchanged h/$VMF
	atf_check -s exit:2 -e match:'usage: ptvm cdrom vm iso | vm --eject' \
	    "$PTVM" -H h cdrom winpt
	mkdir conf
	printf 'cpus=2\nmemory=1G\npin=none\ncdrom=/vm/iso/windows11.iso\ncdrom=/vm/iso/windows11.iso\n' > conf/two.conf
	atf_check -s exit:1 -e match:'conf/two.conf:4: error: this VM has 2 cdrom lines \(4, 5\)' \
	    "$PTVM" -H h -c conf cdrom two /vm/iso/windows11.iso
}

atf_test_case cdrom_running_says_next_start
cdrom_running_says_next_start_body()
{
	zfshost h
	echo 'winpt 6/0/0' > h/vmm.txt
	atf_check -o match:'winpt is running \(its VM exists in /dev/vmm\): the change \(bhyve keeps the image it opened\) takes effect at its next start' \
	    "$PTVM" -H h cdrom winpt --eject
}

atf_test_case check_refuses_disk_of_another_vm
check_refuses_disk_of_another_vm_body()
{
	zfshost h
	atf_check -s exit:1 -o match:'^PASS  disk      no other VM file has this disk$' \
	    "$PTVM" -H h check winpt
	printf '# the same zvol, by mistake\ncpus=2\nmemory=1G\npin=none\ndisk=/dev/zvol//zroot/opt/windows,type=ahci\n' \
	    > h/root/usr/local/etc/ptvm/linux.conf
	atf_check -s exit:1 -o match:'^FAIL  disk      /dev/zvol/zroot/opt/windows is also a disk of VM linux \(/usr/local/etc/ptvm/linux.conf:5\)$' \
	    -o match:'fix: give each VM its own disk' \
	    "$PTVM" -H h check winpt
	echo 'linux ?' > h/vmm.txt
	atf_check -s exit:1 -o match:'is also a disk of VM linux \(/usr/local/etc/ptvm/linux.conf:5\), which is running$' \
	    "$PTVM" -H h check winpt
	atf_check -s exit:1 -o match:'"check":"disk","status":"fail","message":"/dev/zvol/zroot/opt/windows is also a disk of VM linux' \
	    "$PTVM" -H h check --json winpt
	# The same disk twice in one VM.
	mkdir conf
	printf 'cpus=2\nmemory=1G\npin=none\ndisk=/vm/a.img\ndisk=/vm/./a.img\n' > conf/twice.conf
	atf_check -s exit:1 -o match:'^FAIL  disk      /vm/./a.img is a disk twice \(lines 4 and 5\)$' \
	    "$PTVM" -H h -c conf check twice
}

atf_test_case start_refuses_disk_of_another_vm
start_refuses_disk_of_another_vm_body()
{
	lifehost
	printf 'cpus=2\nmemory=1G\npin=none\ndisk=/dev/zvol/zroot/vm/t1\n' \
	    > h/root/usr/local/etc/ptvm/t2.conf
	atf_check -s exit:1 -e match:'FAIL: disk: /dev/zvol/zroot/vm/t1 is also a disk of VM t1 \(/usr/local/etc/ptvm/t1.conf:[0-9]+\)' \
	    -e match:'not started' "$PTVM" -H h start t2
	# Refused before anything was done: no bhyve, no change journaled.
	atf_check -s exit:1 test -e h/run/bhyve.runs
	atf_check -s exit:1 test -e h/journal
}

atf_init_test_cases()
{
	atf_add_test_case disk_create_adds_zvol_and_line
	atf_add_test_case disk_create_makes_the_missing_volume_of_a_disk_line
	atf_add_test_case disk_create_sizes_guide_forms
	atf_add_test_case disk_create_default_dataset
	atf_add_test_case disk_create_refusals
	atf_add_test_case disk_create_zfs_failure_leaves_file
	atf_add_test_case disk_create_size_limit_is_zfs_own
	atf_add_test_case zfs_killed_by_a_signal_says_so
	atf_add_test_case disk_create_uncomments_template_line
	atf_add_test_case disk_create_journaled_without_zfs
	atf_add_test_case disk_create_running_says_next_start
	atf_add_test_case snapshot_all_disks_one_call
	atf_add_test_case snapshot_disks_in_two_pools
	atf_add_test_case snapshot_default_name_is_the_time
	atf_add_test_case snapshot_refused_while_running
	atf_add_test_case snapshot_plain_file_refused
	atf_add_test_case snapshot_names_checked
	atf_add_test_case snapshots_table_and_json
	atf_add_test_case snapshots_zfs_hang_times_out
	atf_add_test_case zfs_killed_by_signal_named
	atf_add_test_case rollback_to_latest_with_y
	atf_add_test_case rollback_refuses_newer_snapshots
	atf_add_test_case rollback_destroy_newer_names_the_loss
	atf_add_test_case rollback_refused_while_running
	atf_add_test_case rollback_needs_a_terminal_or_y
	atf_add_test_case rollback_prompt_on_terminal
	atf_add_test_case rollback_unknown_or_partial_snapshot
	atf_add_test_case rollback_part_failure_says_which
	atf_add_test_case cdrom_swap_keeps_comments_and_order
	atf_add_test_case cdrom_eject_and_insert_again
	atf_add_test_case cdrom_refusals
	atf_add_test_case cdrom_running_says_next_start
	atf_add_test_case check_refuses_disk_of_another_vm
	atf_add_test_case start_refuses_disk_of_another_vm
}
