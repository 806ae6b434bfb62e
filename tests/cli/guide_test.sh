# guide_test: the guide's own host from a fresh boot to a running VM,
# unmodified: the RX 7600 is its only GPU and drives the console,
# kern.consmute is 0, nmdm.ko is not loaded, and the IOMMU is not set up
# yet.  Two captures: vmm.ko loaded by the loader with AMD-Vi on
# (tests/data/hosts/guide-boot over examples/hosts/guide-rx7600), and the
# example as it is (vmm.ko not loaded, no AMD-Vi in kenv).  The bhyve and
# bhyvectl stand-ins of tests/bin run in DIR/bin.
# PTVM, DATA and TESTBIN are set by the Makefile.

GUIDE="$DATA/../../examples/hosts/guide-rx7600"
BOOT="$DATA/hosts/guide-boot"

# guidehost [boot]: ./h, the guide's host; "boot": as after the loader
# loaded vmm.ko with hw.vmm.amdvi.enable=1.  VM winpt is the guide's
# script as a VM file, with console_gpu=take and without the VBIOS the
# capture does not have.
guidehost()
{
	cp -R "$GUIDE" h
	if [ "${1:-}" = boot ]; then
		cp "$BOOT/kldstat.txt" "$BOOT/kenv.txt" h/
		cat "$BOOT/sysctl-vmm.txt" >> h/sysctl.txt
	fi
	mkdir -p h/bin h/run
	cp "$TESTBIN/bhyve" "$TESTBIN/bhyvectl" h/bin/
	f=h/root/usr/local/etc/ptvm/winpt.conf
	sed -i.orig 's|^passthru=6/0/0,rom=.*|passthru=6/0/0|' "$f"
	rm -f "$f.orig"
	echo 'console_gpu=take' >> "$f"
}

ctl()
{
	printf '%s\n' "$@" > h/run/bhyve.ctl
}

st()
{
	sed -n "s/^$1=//p" h/run/winpt.status
}

waitstate()
{
	i=0
	while [ "$(st state 2>/dev/null)" != "$1" ]; do
		i=$((i + 1))
		if [ $i -gt 150 ]; then
			cat h/log/winpt.log >&2
			atf_fail "winpt never became $1 (is $(st state))"
		fi
		sleep 0.1
	done
}

atf_test_case check_console_gpu
check_console_gpu_head()
{
	atf_set descr "the only GPU drives the console: refused by default" \
	    "(the fix names console_gpu), passed with console_gpu=take"
}
check_console_gpu_body()
{
	guidehost boot
	atf_check -o match:'^PASS  passthru  6/0/0 drives the host console; console_gpu=take: start binds it' \
	    -o match:'^PASS  iommu     AMD-Vi enabled \(vmm.ko loaded with hw.vmm.amdvi.enable=1\)' \
	    -o match:'^PASS  iommu     1 AMD-Vi IOMMU found; vmm sets it up when the VM is created' \
	    -o match:'^PASS  console   /dev/nmdm0A; nmdm.ko not loaded: start loads it' \
	    -o match:'^PASS  console   start sets kern.consmute=1 while the VM runs' \
	    -o match:' 0 failed$' -o not-match:'^FAIL' \
	    "$PTVM" -H h check winpt
	# The default refuses it, and the fix says how to take it.
	sed -i.orig '/^console_gpu=/d' h/root/usr/local/etc/ptvm/winpt.conf
	atf_check -s exit:1 -o match:'^FAIL  passthru  6/0/0 drives the host console; with console_gpu=refuse \(the default\)' \
	    -o match:'fix: ptvm set [a-z0-9]* console_gpu=take gives it to the VM' \
	    "$PTVM" -H h check winpt
	echo 'console_gpu=maybe' >> h/root/usr/local/etc/ptvm/winpt.conf
	atf_check -s exit:1 -e match:'winpt.conf:[0-9]+: error: console_gpu: "maybe": give take' \
	    "$PTVM" -H h check winpt
}

atf_test_case check_audio_left_on_purpose
check_audio_left_on_purpose_head()
{
	atf_set descr "the guide passes only the VGA function on purpose:" \
	    "the warning about 6/0/1 names audio=host, which makes it a pass"
}
check_audio_left_on_purpose_body()
{
	guidehost boot
	atf_check -o match:'^WARN  passthru  6/0/1 \(HDMI/DP audio\) of the same GPU stays with the host$' \
	    -o match:'fix: add passthru=6/0/1, or add ,audio=host to the passthru=6/0/0 line to leave it out on purpose' \
	    "$PTVM" -H h check winpt
	sed -i.orig 's|^passthru=6/0/0$|passthru=6/0/0,audio=host|' h/root/usr/local/etc/ptvm/winpt.conf
	atf_check -o match:'^PASS  passthru  6/0/1 \(HDMI/DP audio\) of the same GPU stays with the host, as audio=host says$' \
	    -o not-match:'^WARN  passthru' "$PTVM" -H h check winpt
	sed -i.orig 's|audio=host|audio=guest|' h/root/usr/local/etc/ptvm/winpt.conf
	atf_check -s exit:1 -e match:'passthru: audio=guest: give audio=host' \
	    "$PTVM" -H h check winpt
}

atf_test_case check_on_the_console_tty
check_on_the_console_tty_head()
{
	atf_set descr "console_gpu=take warns when ptvm runs on a ttyv of" \
	    "that console, not over ssh"
}
check_on_the_console_tty_body()
{
	guidehost boot
	echo ttyv0 > h/tty
	atf_check -o match:'^WARN  console   ptvm runs on ttyv0, a virtual terminal of the console that 6/0/0 drives' \
	    "$PTVM" -H h check winpt
	echo pts/3 > h/tty
	atf_check -o not-match:'virtual terminal' "$PTVM" -H h check winpt
}

atf_test_case check_iommu_lazy
check_iommu_lazy_head()
{
	atf_set descr "hw.vmm.iommu.initialized=0 is normal before the first" \
	    "passthru VM; no IVHD, or AMD-Vi off at load, fails"
}
check_iommu_lazy_body()
{
	guidehost boot
	atf_check -o match:'^PASS  iommu' -o not-match:'^FAIL  iommu' \
	    "$PTVM" -H h check winpt
	sed -i.orig 's/^hw.vmm.amdvi.count: 1$/hw.vmm.amdvi.count: 0/' h/sysctl.txt
	atf_check -s exit:1 -o match:'^FAIL  iommu     the firmware gave no AMD-Vi IOMMU \(hw.vmm.amdvi.count=0: no IVRS table\)' \
	    "$PTVM" -H h check winpt
	sed -i.orig 's/^hw.vmm.amdvi.count: 0$/hw.vmm.amdvi.count: 1/; s/^hw.vmm.amdvi.enable: 1$/hw.vmm.amdvi.enable: 0/' h/sysctl.txt
	atf_check -s exit:1 -o match:'^FAIL  iommu     vmm.ko was loaded with AMD-Vi off' \
	    -o match:'fix: kldunload vmm while no VM runs' \
	    "$PTVM" -H h check winpt
}

atf_test_case vmm_not_loaded cleanup
vmm_not_loaded_head()
{
	atf_set descr "vmm.ko not loaded and no AMD-Vi in kenv: check passes" \
	    "for the host start produces; start sets the kenv before kldload" \
	    "vmm, and loads nmdm before bhyve"
}
vmm_not_loaded_body()
{
	guidehost
	atf_check -o match:'^PASS  vmm       vmm.ko not loaded; start loads it' \
	    -o match:'^PASS  iommu     AMD-Vi: start sets hw.vmm.amdvi.enable=1 in the kernel environment, then loads vmm.ko' \
	    -o match:' 0 failed$' "$PTVM" -H h check winpt
	atf_check -o match:'winpt: running' -o ignore -e ignore \
	    "$PTVM" -H h start winpt
	# The order in the journal: kenv, then kldload vmm; nmdm before bhyve.
	atf_check -o inline:'kenv hw.vmm.amdvi.enable="1"\nkldload vmm\nkldload nmdm\nbhyve\n' \
	    sh -c "grep -E '^(kenv hw.vmm.amdvi|kldload|bhyve )' h/journal | sed 's/^bhyve .*/bhyve/'"
	atf_check -o ignore "$PTVM" -H h stop winpt
}
vmm_not_loaded_cleanup()
{
	cleanup_vms
}

atf_test_case lifecycle cleanup
lifecycle_head()
{
	atf_set descr "on the booted guide host: start takes the console GPU" \
	    "and mutes the console, stop, reboot, crash -> dirty -> refusal" \
	    "-> --ignore-dirty, a guest that ignores ACPI, the supervisor SIGKILLed" \
	    "while bhyve prints, host restore"
}
lifecycle_body()
{
	guidehost boot
	atf_check -o match:'pci0:6:0:0 is on ppt0 \(was vgapci0\)' \
	    -o match:'kern.consmute=1 while the VM runs' \
	    -o match:'loaded nmdm.ko for the console' \
	    -o match:'winpt: running, bhyve pid [0-9]+' -e ignore \
	    "$PTVM" -H h start winpt
	atf_check -o match:'^sysctl kern.consmute=1$' -o match:'^kldload nmdm$' \
	    -o not-match:'^kldload vmm$' cat h/journal
	# consmute is set before bhyve runs.
	atf_check -o match:'^sysctl kern.consmute=1$' \
	    sh -c "sed -n '1,/^bhyve /p' h/journal"
	atf_check -o match:'stopped: bhyve powered off after a stop request' \
	    "$PTVM" -H h stop winpt
	atf_check -o match:'^sysctl kern.consmute=0$' cat h/journal
	[ "$(st last.kind)" = poweroff ] || atf_fail "last.kind $(st last.kind)"
	# A reboot inside the guest: bhyve exits 0, the VM starts again.
	ctl action=reboot count=1 after=0.3
	atf_check -o ignore -e ignore "$PTVM" -H h start winpt
	i=0
	while [ "$(st restarts)" != 1 ]; do
		i=$((i + 1)); [ $i -gt 100 ] && atf_fail "no restart"
		sleep 0.1
	done
	waitstate running
	atf_check -o ignore "$PTVM" -H h stop winpt
	# A crash dirties the GPU; start refuses it until --ignore-dirty.
	rm -f h/run/bhyve.reboots
	ctl action=crash after=0
	atf_check -s exit:1 -o ignore -e ignore "$PTVM" -H h start -F winpt
	[ "$(st last.dirty)" = yes ] || atf_fail "not dirty"
	ctl action=run
	atf_check -s exit:1 -e match:'pci0:6:0:0 is dirty: VM winpt ended' \
	    -e match:'start with --ignore-dirty to try anyway' "$PTVM" -H h start winpt
	atf_check -o match:'running' -e match:'starting with dirty devices' \
	    "$PTVM" -H h start --ignore-dirty winpt
	atf_check -o ignore "$PTVM" -H h stop winpt
	# A guest that ignores the power button: --kill kills (that stop
	# without --kill gives up: tests/lib/engine_test
	# stop_two_presses_timeout).
	ctl action=ignore
	atf_check -o ignore -e ignore "$PTVM" -H h start --ignore-dirty winpt
	waitstate running
	atf_check -s exit:1 -o match:'stopped: bhyve killed \(SIGKILL\) after a stop request' \
	    "$PTVM" -H h stop -t 1 --kill winpt
	[ "$(st last.dirty)" = yes ] || atf_fail "not dirty after the kill"
	atf_check -o match:'^sysctl kern.consmute=0$' \
	    sh -c "tail -n 3 h/journal"
	# The supervisor SIGKILLed: bhyve, printing a line every 100 ms (the
	# stand-in's chatter), runs on, and its lines are kept.
	ctl action=run chatter=100
	atf_check -o ignore -e ignore "$PTVM" -H h start --ignore-dirty winpt
	waitstate running
	bpid=$(st pid)
	kill -9 "$(cat h/run/winpt.pid)"
	k=$(cat h/run/bhyve.chatter 2>/dev/null || echo 0)
	i=0
	while [ "$(cat h/run/bhyve.chatter)" -le "$k" ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && atf_fail "bhyve printed nothing after the kill"
		sleep 0.1
	done
	kill -0 "$bpid" 2>/dev/null || atf_fail "bhyve died with its supervisor"
	atf_check -o match:'^rdmsr to register' cat h/log/winpt.out
	atf_check -o match:'"state":"unsupervised"' \
	    "$PTVM" -H h status --json winpt
	atf_check -o match:'winpt: left alone: bhyve still runs' -e ignore \
	    "$PTVM" -H h host restore
	kill -0 "$bpid" 2>/dev/null || atf_fail "host restore ended bhyve"
	atf_check -o match:'no supervisor; pressed the ACPI power button' \
	    -o match:'winpt: stopped: bhyve powered off after a stop request' \
	    -o match:'put back kern.consmute=0' "$PTVM" -H h stop winpt
	kill -0 "$bpid" 2>/dev/null && atf_fail "bhyve still runs"
	[ "$(st last.kind)" = poweroff ] || atf_fail "last.kind $(st last.kind)"
	atf_check -s exit:1 test -e h/run/winpt.undo
	atf_check -o match:'ptvm: bhyve.s output while no supervisor ran' \
	    cat h/log/winpt.log
	atf_check -o match:'nothing to restore' "$PTVM" -H h host restore
}
lifecycle_cleanup()
{
	cleanup_vms
}

atf_init_test_cases()
{
	atf_add_test_case check_console_gpu
	atf_add_test_case check_audio_left_on_purpose
	atf_add_test_case check_on_the_console_tty
	atf_add_test_case check_iommu_lazy
	atf_add_test_case vmm_not_loaded
	atf_add_test_case lifecycle
}
