# walkthrough_test: the newcomer of issue 16 doing the whole guide with
# ptvm alone, on a fresh copy of the guide's captured host as it is right
# after a boot with the guide's loader settings (vmm.ko loaded, AMD-Vi
# on: tests/data/hosts/guide-boot), the stand-ins for bhyve, bhyvectl and
# zfs in DIR/bin.  The guide's user has, in /home/alex/winpt, the guide's
# script exactly as the guide prints it (tests/data/vm/guide-script.sh;
# its SMBIOS and LPC -o lines are tests/data/vm/guide-smbios.txt), its VBIOS (rom/, here a minimal
# EFI image with the RX 7600's IDs) and its two ISO images (disk/).
# Every command a newcomer types is counted, and every hand edit; the
# counts are printed at the end, beside the guide's.
# PTVM, DATA and TESTBIN are set by the Makefile.

GUIDE="$DATA/../../examples/hosts/guide-rx7600"
BOOT="$DATA/hosts/guide-boot"
SEED="$DATA/vm/guide-script.sh"
VMF=h/root/usr/local/etc/ptvm/winpt.conf

cmds=0
edits=0

# ptvm_step ATF_CHECK_ARGS...: one command the newcomer types.
ptvm_step()
{
	cmds=$((cmds + 1))
	atf_check "$@"
}

# hand_edit WHAT SED-SCRIPT FILE: one edit by hand of a file.
hand_edit()
{
	edits=$((edits + 1))
	echo "hand edit $edits: $1" >&2
	sed -i.orig "$2" "$3"
	rm -f "$3.orig"
}

# mkrom FILE: a 512-byte X64 EFI option ROM image with the IDs of the
# guide's RX 7600 (1002:7480), as a downloaded VBIOS would have.
mkrom()
{
	{
		printf '\125\252\001\000\361\016\000\000\013\000\144\206\000\000'
		printf '\000\000\000\000\000\000\000\000'
		printf '\100\000\034\000\000\000PCIR\002\020\200\164\000\000'
		printf '\030\000\003\000\000\003\001\000\000\000\003\200\000\000'
		printf '\000\000\000\000\000\000\000\000\000\000\000\000MZ'
		dd if=/dev/zero bs=446 count=1 2>/dev/null
	} > "$1"
}

freshhost()
{
	cp -R "$GUIDE" h
	cp "$BOOT/kldstat.txt" "$BOOT/kenv.txt" h/
	cat "$BOOT/sysctl-vmm.txt" >> h/sysctl.txt
	# Nothing of ptvm yet: no VM file, no zvol.
	rm -f "$VMF" h/root/dev/zvol/zroot/opt/windows
	mkdir -p h/bin h/run
	cp "$TESTBIN/bhyve" "$TESTBIN/bhyvectl" "$TESTBIN/zfs" h/bin/
	# The guide's user's files.
	u=h/root/home/alex/winpt
	mkdir -p "$u/rom" "$u/disk"
	cp "$SEED" "$u/winpt.sh"
	mkrom "$u/rom/rx7600-techpowerup.bin"
	: > "$u/disk/windows11.iso"
	: > "$u/disk/virtio-win.iso"
}

st()
{
	sed -n "s/^$1=//p" h/run/winpt.status
}

atf_test_case walkthrough cleanup
walkthrough_head()
{
	atf_set descr "the guide from an empty host to a running, pinned," \
	    "snapshotted, autostarted VM with ptvm alone; counts the" \
	    "commands and hand edits"
}
walkthrough_body()
{
	freshhost
	# 1. Import the guide's script exactly as printed.
	ptvm_step -o match:'^h/root/usr/local/etc/ptvm/winpt.conf: written; next: ptvm -H h check winpt$' \
	    -e match:'winpt.sh:32: note: \$_fbuf expanded to "-s 5:0,fbuf,tcp=0.0.0.0:5900 -s 5:1,xhci,tablet", the value line 11 assigns' \
	    -e match:'winpt.sh:34: note: \$vm_name expanded to "winpt"' \
	    -e match:'winpt.sh:29: note: cdrom disk/windows11.iso is relative: .* written as /home/alex/winpt/disk/windows11.iso' \
	    -e match:'winpt.sh:7: note: rom rom/rx7600-techpowerup.bin is relative' \
	    -e match:'winpt.sh:17: warning: the script binds 6/0/0 to ppt \(pptdevs, for bind.sh\), but its bhyve command passes nothing of it: _gpu \(line 6\) is defined and never used; the VM file has the passthru line commented out \(ptvm set winpt passthru=6/0/0,rom=/home/alex/winpt/rom/rx7600-techpowerup.bin passes it\)' \
	    -e not-match:'error' -e not-match:'warning: (cdrom|rom) ' \
	    "$PTVM" -H h import -o /usr/local/etc/ptvm/winpt.conf \
	    h/root/home/alex/winpt/winpt.sh
	atf_check -o match:'^cdrom=/home/alex/winpt/disk/windows11.iso$' \
	    -o match:'^#passthru=6/0/0,rom=/home/alex/winpt/rom/rx7600-techpowerup.bin$' \
	    -o match:'^disk=/dev/zvol/zroot/opt/windows$' -o not-match:'slot=' \
	    cat "$VMF"

	# The guide means to pass its GPU (its VGA function only, on
	# purpose): import's warning names the command, which takes the
	# commented line back; audio=host says 6/0/1 stays with the host.
	ptvm_step -o match:'passthru=6/0/0,rom=/home/alex/winpt/rom/rx7600-techpowerup.bin,audio=host' \
	    "$PTVM" -H h set winpt \
	    passthru=6/0/0,rom=/home/alex/winpt/rom/rx7600-techpowerup.bin,audio=host
	atf_check -o match:'^passthru=6/0/0,rom=/home/alex/winpt/rom/rx7600-techpowerup.bin,audio=host$' \
	    -o not-match:'^#passthru=6/0/0' cat "$VMF"

	# 2. Check: the disk is missing, and the only GPU drives the console.
	ptvm_step -s exit:1 \
	    -o match:'^FAIL  disk      /dev/zvol/zroot/opt/windows: No such file or directory$' \
	    -o match:'fix: create it: ptvm disk create winpt SIZE --dataset zroot/opt/windows' \
	    -o match:'^FAIL  passthru  6/0/0 drives the host console' \
	    -o match:'fix: ptvm set winpt console_gpu=take gives it to the VM' \
	    -o match:'^PASS  rom       /home/alex/winpt/rom/rx7600-techpowerup.bin: usable, matches its device' \
	    -o match:'^PASS  passthru  6/0/1 \(HDMI/DP audio\) of the same GPU stays with the host, as audio=host says' \
	    -o match:'^PASS  cdrom     /home/alex/winpt/disk/windows11.iso present' \
	    "$PTVM" -H h check winpt
	# As check's fix says.
	ptvm_step -o match:'console_gpu=take \(added\)' \
	    "$PTVM" -H h set winpt console_gpu=take

	# 3. The zvol the disk= line names (zfs create -V 256G ...).
	ptvm_step -o match:'^created zroot/opt/windows: 256G, volblocksize=16K, volmode=dev, its space reserved$' \
	    -o match:'winpt.conf:[0-9]+: disk=/dev/zvol/zroot/opt/windows \(already there: its volume is created\)$' \
	    "$PTVM" -H h disk create winpt 256G --dataset zroot/opt/windows

	# 4. Check again: nothing fails.
	ptvm_step -o match:' 0 failed$' -o not-match:'^FAIL' \
	    -o match:'^PASS  passthru  6/0/0 drives the host console; console_gpu=take' \
	    "$PTVM" -H h check winpt

	# 5. The Windows ISO is in (import took it from the script); start.
	ptvm_step -o match:'pci0:6:0:0 is on ppt0 \(was vgapci0\)' \
	    -o match:'winpt: running, bhyve pid [0-9]+' -e ignore \
	    "$PTVM" -H h start winpt
	atf_check -o match:'^pci.0.1.1.port.0.path=/home/alex/winpt/disk/windows11.iso$' \
	    -o match:'^pci.0.7.0.rom=/home/alex/winpt/rom/rx7600-techpowerup.bin$' \
	    cat h/run/winpt.bhyve.conf

	# 6. Status.
	ptvm_step -o match:'running' -o match:'6/0/0|pci0:6:0:0' \
	    "$PTVM" -H h status winpt

	# 7. Stop (the guest's ACPI power-off).
	ptvm_step -o match:'stopped: bhyve powered off after a stop request' \
	    "$PTVM" -H h stop winpt
	[ "$(st last.kind)" = poweroff ] || atf_fail "last.kind $(st last.kind)"

	# 8. The virtio-win ISO instead of the Windows one.
	ptvm_step -o match:'winpt.conf:[0-9]+: cdrom=/home/alex/winpt/disk/virtio-win.iso \(was cdrom=/home/alex/winpt/disk/windows11.iso\)' \
	    "$PTVM" -H h cdrom winpt /home/alex/winpt/disk/virtio-win.iso

	# 9. The clean snapshot (zfs snap zroot/opt/windows@clean).
	ptvm_step -o match:'winpt: snapshot clean of 1 disk, one instant: zroot/opt/windows@clean' \
	    "$PTVM" -H h snapshot winpt clean

	# 10. Back to it (zfs rollback zroot/opt/windows@clean).
	ptvm_step -o match:'winpt is back at clean' -e ignore \
	    "$PTVM" -H h rollback -y winpt clean

	# 11. Pinning as the guide explains it, in the VM file.
	ptvm_step -o match:'winpt.conf:[0-9]+: pin=threads \(was pin=none\)' \
	    "$PTVM" -H h pin --set winpt 8
	atf_check -o match:'-p 0:0' -o match:'-p 5:10' -o match:'-p 7:3' \
	    "$PTVM" -H h show --argv winpt

	# 12. SMBIOS and LPC: the guide's -o lines, pasted as they are.
	edits=$((edits + 1))
	echo "hand edit $edits: the guide's SMBIOS and LPC -o lines pasted into a file" >&2
	cp "$DATA/vm/guide-smbios.txt" smbios.txt
	ptvm_step -o match:'bios.vendor=American Megatrends Inc. \(added\)' \
	    -o match:'chassis.serial_number=C444444789 \(added\)' \
	    -o match:'pci.0.31.0.pcireg.vendor=host \(added\)' \
	    -e match:'chasis.serial_number: bhyve has no such key' \
	    "$PTVM" -H h smbios winpt smbios.txt
	ptvm_step -o match:'^  bios.vendor            American Megatrends Inc.$' \
	    -o match:'^  chassis.serial_number  C444444789$' \
	    -o match:'pcireg.vendor +host' "$PTVM" -H h smbios --show winpt

	# 13. Started at boot.
	ptvm_step -o match:'^h/root/etc/rc.conf:[0-9]+: ptvm_list="winpt" \(added\)$' \
	    -o match:'ptvm_enable="YES" \(added\)' -o match:'^boot order: 1. winpt$' \
	    "$PTVM" -H h autostart winpt on
	ptvm_step -o match:'^PASS  boot      boot starts winpt \(1 of 1 in ptvm_list\)' \
	    -o match:'^PASS  boot      its GPU drives the console: console_gpu=take binds it' \
	    -o match:' 0 failed$' "$PTVM" -H h check --boot winpt
	ptvm_step -o match:'^winpt +stopped' \
	    -o match:'^boot order \(rc.conf ptvm_list\): 1. winpt$' \
	    "$PTVM" -H h list

	# The count, beside the guide's: 7 commands (pciconf -lv, zfs
	# create, the script, zfs snap, zfs rollback, two sysctl) and its
	# hand-written script, loader.conf and sysctl.conf lines, the ISO
	# swap, the -p lines and the 24 SMBIOS/LPC -o lines.
	echo "walkthrough: $cmds ptvm commands, $edits hand edits" \
	    "(the guide: 7 commands, a 40-line script written by hand and" \
	    "edited for the ISO swap, the pins and 24 -o lines)" | tee count.txt
	[ "$cmds" -eq 18 ] || atf_fail "$cmds commands, expected 18"
	# The one hand edit is the user's own data (the guide's SMBIOS
	# strings in a file): no file ptvm wrote is edited by hand.
	[ "$edits" -eq 1 ] || atf_fail "$edits hand edits, expected 1"
}
walkthrough_cleanup()
{
	cleanup_vms
}

atf_init_test_cases()
{
	atf_add_test_case walkthrough
}
