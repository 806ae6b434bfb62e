# rcd_test: etc/rc.d/ptvm with ptvm on a captured host and the bhyve
# stand-ins.  FreeBSD's /etc/rc.subr does not exist on Linux: the script
# runs against tests/data/rc/rc.subr, a shim of the rc.subr(8) functions
# it uses (load_rc_config, checkyesno, warn, run_rc_command with its
# prefixes and the rcvar check).  What this cannot show: rcorder(8)
# placement (PROVIDE/REQUIRE/KEYWORD) and rc.shutdown's own timer.
# PTVM, DATA and TESTBIN are set by the Makefile.

RCD="$DATA/../../etc/rc.d/ptvm"

# rcsetup: ./rc.d/ptvm reading ./rc.conf, and VMs t1 and t2.
rcsetup()
{
	lifehost
	sed 's/^cpus=4$/cpus=2/; /^passthru=/d; s|zroot/vm/t1$|zroot/vm/t2|' \
	    h/root/usr/local/etc/ptvm/t1.conf > h/root/usr/local/etc/ptvm/t2.conf
	: > h/root/dev/zvol/zroot/vm/t2
	mkdir rc.d
	sed "s|^\\. /etc/rc.subr\$|. $DATA/rc/rc.subr|" "$RCD" > rc.d/ptvm
	chmod +x rc.d/ptvm
	export RC_CONF="$(pwd)/rc.conf"
	cat > rc.conf <<EOT
ptvm_program="$PTVM"
ptvm_flags="-H $(pwd)/h"
ptvm_delay="0"
EOT
}

atf_test_case disabled cleanup
disabled_head()
{
	atf_set descr "without ptvm_enable nothing starts; onestart works"
}
disabled_body()
{
	rcsetup
	echo 'ptvm_list="t1"' >> rc.conf
	atf_check -e match:"Cannot 'start' ptvm. Set ptvm_enable to YES" \
	    sh rc.d/ptvm start
	atf_check -s exit:1 test -e h/run/bhyve.runs
	atf_check -o match:'Starting VM t1' -o match:'t1: running' \
	    sh rc.d/ptvm onestart
	atf_check -o match:'Stopping VM t1' -o match:'t1: stopped: bhyve powered off' \
	    sh rc.d/ptvm onestop
	atf_check -o inline:'# ptvm\nptvm_enable="NO"\n' sh rc.d/ptvm rcvar
}
disabled_cleanup()
{
	cleanup_vms
}

atf_test_case start_stop_order cleanup
start_stop_order_head()
{
	atf_set descr "ptvm_list starts in order, stops in reverse, and" \
	    "stops VMs started by hand too"
}
start_stop_order_body()
{
	rcsetup
	cat >> rc.conf <<'EOT'
ptvm_enable="YES"
ptvm_list="t2 t1"
EOT
	atf_check -o match:'Starting VM t2.*' -o match:'Starting VM t1' \
	    sh rc.d/ptvm start
	atf_check -o match:'k .*/t2.bhyve.conf' sh -c 'head -n 1 h/run/bhyve.runs'
	atf_check -o match:'k .*/t1.bhyve.conf' sh -c 'sed -n 2p h/run/bhyve.runs'
	atf_check -o match:'t1: running' -o match:'t2: running' \
	    sh rc.d/ptvm status
	# winpt, not in the list, started by hand.
	sed -i.bak '/^passthru=/d; /^cdrom=/d; s/^memory=16G/memory=2G/' \
	    h/root/usr/local/etc/ptvm/winpt.conf
	atf_check -o ignore -e ignore "$PTVM" -H h start winpt
	atf_check -o match:'Stopping VM t1 \(at most 80 s\)' \
	    -o match:'Stopping VM t2' -o match:'Stopping VM winpt' \
	    sh rc.d/ptvm stop
	# Each powered off (bhyve destroyed its own VM, freebsd.md#B1).
	for v in t1 t2 winpt; do
		atf_check -o inline:'poweroff\n' sed -n 's/^last.kind=//p' \
		    h/run/$v.status
	done
	atf_check -s exit:1 test -e h/run/bhyvectl.args
	atf_check -o match:'^t1 +stopped' -o match:'^t2 +stopped' \
	    -o match:'^winpt +stopped' "$PTVM" -H h list
}
start_stop_order_cleanup()
{
	cleanup_vms
}

atf_test_case shutdown_budget cleanup
shutdown_budget_head()
{
	atf_set descr "a guest that ignores the power button does not hold" \
	    "the shutdown past rcshutdown_timeout"
}
shutdown_budget_body()
{
	rcsetup
	cat >> rc.conf <<'EOT'
ptvm_enable="YES"
ptvm_list="t1 t2"
rcshutdown_timeout="12"
EOT
	printf 'action=ignore\n' > h/run/bhyve.t2.ctl
	atf_check -o ignore sh rc.d/ptvm start
	began=$(date +%s)
	# The budget each VM gets is what is left of rcshutdown_timeout when
	# its turn comes: 3 s for t2 on an idle machine, less on a loaded one.
	atf_check -o match:'Stopping VM t2 \(at most [1-3] s\)' \
	    -o match:'did not power off within [1-3] s' \
	    -o match:'Stopping VM t1 \(at most 1 s\)' \
	    -e match:'VM t2 did not power off in time' \
	    sh rc.d/ptvm stop
	took=$(( $(date +%s) - began ))
	[ "$took" -le 5 ] || atf_fail "stop took $took s, budget 2 s"
	# The guest that ignored the button still runs: rc's kill, then the
	# reboot, deal with it.
	atf_check -o match:'^t2 +running' "$PTVM" -H h list
	atf_check -o ignore -s exit:1 "$PTVM" -H h stop -t 1 --kill t2
}
shutdown_budget_cleanup()
{
	cleanup_vms
}

atf_test_case boot_takes_console_gpu cleanup
boot_takes_console_gpu_head()
{
	atf_set descr "autostart at boot of a VM whose GPU drives the" \
	    "console: refused by default, started with console_gpu=take"
}
boot_takes_console_gpu_body()
{
	rcsetup
	# The guide's host as it is: the RX 7600 drives the console.
	sed -i.bak '/^hw.pci.default_vgapci_unit/d' h/sysctl.txt
	cat >> rc.conf <<'EOT'
ptvm_enable="YES"
ptvm_list="t1"
EOT
	atf_check -o match:'Starting VM t1' \
	    -e match:'t1: FAIL: passthru: 6/0/0 drives the host console; with console_gpu=refuse' \
	    sh rc.d/ptvm start
	atf_check -s exit:1 test -e h/run/bhyve.runs
	echo 'console_gpu=take' >> h/root/usr/local/etc/ptvm/t1.conf
	atf_check -o match:'t1: running' -o match:'kern.consmute=1 while the VM runs' \
	    -e ignore sh rc.d/ptvm start
	atf_check -o match:'Stopping VM t1' -o ignore sh rc.d/ptvm stop
	atf_check -o match:'^sysctl kern.consmute=0$' cat h/journal
}
boot_takes_console_gpu_cleanup()
{
	cleanup_vms
}

atf_init_test_cases()
{
	atf_add_test_case boot_takes_console_gpu
	atf_add_test_case disabled
	atf_add_test_case start_stop_order
	atf_add_test_case shutdown_budget
}
