# fakebhyve_test: the bhyve and bhyvectl stand-ins of tests/bin, which the
# supervisor's tests run in place of the real programs.

# fake DIR: a captured host directory with the stand-ins in DIR/bin.
fake()
{
	mkdir -p "$1/bin" "$1/run"
	cp "$TESTBIN/bhyve" "$TESTBIN/bhyvectl" "$1/bin/"
}

# waitfor FILE: up to 10 s for FILE to exist.
waitfor()
{
	i=0
	while [ ! -s "$1" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && atf_fail "$1 never appeared"
		sleep 0.1
	done
}

# waitrun DIR NAME PID: up to 10 s for the guest of NAME in bhyve PID to run.
waitrun()
{
	i=0
	while ! grep -q "^pid=$3\$" "$1/run/vmm/$2" 2>/dev/null ||
	    ! grep -q '^running=yes' "$1/run/vmm/$2" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && atf_fail "$2 never ran"
		sleep 0.1
	done
}

atf_test_case fakebhyve_records_args_and_config
fakebhyve_records_args_and_config_body()
{
	fake h
	printf 'cpus=2\nname=winpt\n' > winpt.conf
	h/bin/bhyve -S -k winpt.conf > /dev/null 2>&1 &
	pid=$!
	waitrun h winpt $pid
	atf_check -o inline:'-S\n-k\nwinpt.conf\n' cat h/run/bhyve.args
	atf_check -o file:winpt.conf cat h/run/bhyve.conf
	atf_check -o match:"^pid=$pid\$" -o match:'^acpi=yes$' \
	    h/bin/bhyvectl --vm=winpt --get-stats
	kill -TERM $pid
	wait $pid
	atf_check_equal 1 $?
	atf_check -o match:'^pid=' cat h/run/vmm/winpt
}

atf_test_case fakebhyve_sigterm_powers_off_after_delay
fakebhyve_sigterm_powers_off_after_delay_body()
{
	fake h
	echo term_delay=0.6 > h/run/bhyve.ctl
	h/bin/bhyve vm1 &
	pid=$!
	waitrun h vm1 $pid
	t0=$(date +%s)
	kill -TERM $pid
	sleep 0.3
	kill -0 $pid || atf_fail "powered off before the delay"
	wait $pid
	rc=$?
	t=$(($(date +%s) - t0))
	atf_check_equal 1 $rc
	[ $t -le 4 ] || atf_fail "power-off took $t s"
	atf_check -o match:'^term [0-9]+$' cat h/run/bhyve.terms
	atf_check -o inline:'1\n' sh -c 'wc -l < h/run/bhyve.terms | tr -d " "'
}

atf_test_case fakebhyve_sigterm_before_acpi_kills
fakebhyve_sigterm_before_acpi_kills_body()
{
	fake h
	echo boot=30 > h/run/bhyve.ctl
	h/bin/bhyve vm1 &
	pid=$!
	waitfor h/run/vmm/vm1
	atf_check -o match:'^running=no$' cat h/run/vmm/vm1
	kill -TERM $pid
	wait $pid
	atf_check_equal 143 $?
}

atf_test_case fakebhyve_guest_without_acpi
fakebhyve_guest_without_acpi_body()
{
	fake h
	echo acpi=no > h/run/bhyve.ctl
	h/bin/bhyve vm1 &
	pid=$!
	waitrun h vm1 $pid
	atf_check -o match:'^acpi=no$' cat h/run/vmm/vm1
	kill -TERM $pid
	wait $pid
	atf_check_equal 143 $?
}

atf_test_case fakebhyve_reboot_count
fakebhyve_reboot_count_body()
{
	fake h
	printf 'action=reboot\ncount=2\n' > h/run/bhyve.ctl
	atf_check h/bin/bhyve vm1
	atf_check h/bin/bhyve vm1
	atf_check -o inline:'2\n' cat h/run/bhyve.reboots
	h/bin/bhyve vm1 &
	pid=$!
	waitrun h vm1 $pid
	kill -TERM $pid
	wait $pid
	atf_check_equal 1 $?
	atf_check -o inline:'3\n' -x 'wc -l < h/run/bhyve.runs | tr -d " "'
}

atf_test_case fakebhyve_crash_halt_poweroff
fakebhyve_crash_halt_poweroff_body()
{
	fake h
	printf 'action=crash\nafter=1\n' > h/run/bhyve.ctl
	atf_check -s exit:3 -e match:'triple fault' h/bin/bhyve vm1
	echo action=halt > h/run/bhyve.ctl
	atf_check -s exit:2 h/bin/bhyve vm1
	echo action=poweroff > h/run/bhyve.ctl
	atf_check -s exit:1 h/bin/bhyve vm1
	atf_check test -f h/run/vmm/vm1
	atf_check -s exit:1 h/bin/bhyve -D vm1
	atf_check test ! -f h/run/vmm/vm1
}

atf_test_case fakebhyve_error_message
fakebhyve_error_message_body()
{
	fake h
	printf 'action=error\nstatus=64\nmessage=bhyve: invalid vcpu pinning configuration %s\n' \
	    "'0:99999'" > h/run/bhyve.ctl
	atf_check -s exit:64 -e inline:"bhyve: invalid vcpu pinning configuration '0:99999'\n" \
	    h/bin/bhyve -p 0:99999 vm1
	atf_check test ! -f h/run/vmm/vm1
	atf_check -s exit:1 -e match:Usage h/bin/bhyve -Z vm1
	atf_check -s exit:4 -e match:'Failed to open configuration file' \
	    h/bin/bhyve -k nonexistent vm1
}

atf_test_case fakebhyve_ignore_button_then_sigkill
fakebhyve_ignore_button_then_sigkill_body()
{
	fake h
	echo action=ignore > h/run/bhyve.ctl
	h/bin/bhyve vm1 &
	pid=$!
	waitrun h vm1 $pid
	kill -TERM $pid
	sleep 1
	kill -TERM $pid
	sleep 1
	kill -0 $pid || atf_fail "the ignored power button ended bhyve"
	kill -KILL $pid
	wait $pid
	atf_check_equal 137 $?
	atf_check -o inline:'2\n' sh -c 'grep -c "^term [0-9]*$" h/run/bhyve.terms'
}

atf_test_case fakebhyve_hang
fakebhyve_hang_body()
{
	fake h
	echo action=hang > h/run/bhyve.ctl
	h/bin/bhyve vm1 &
	pid=$!
	waitfor h/run/vmm/vm1
	kill -TERM $pid
	sleep 1
	kill -0 $pid || atf_fail "a hung bhyve ended on SIGTERM"
	atf_check -o match:'^running=no$' cat h/run/vmm/vm1
	kill -KILL $pid
	wait $pid
	atf_check_equal 137 $?
}

atf_test_case fakebhyve_vm_create_exists
fakebhyve_vm_create_exists_body()
{
	fake h
	h/bin/bhyve vm1 &
	pid=$!
	waitrun h vm1 $pid
	atf_check -s exit:4 -e inline:'vm_create: File exists\n' h/bin/bhyve vm1
	kill -TERM $pid
	wait $pid
	# The VM is left behind, as the kernel keeps it; a new bhyve reuses it.
	echo action=poweroff > h/run/bhyve.ctl
	atf_check -s exit:1 h/bin/bhyve vm1
}

atf_test_case fakebhyvectl_destroy
fakebhyvectl_destroy_body()
{
	fake h
	echo action=poweroff > h/run/bhyve.ctl
	atf_check -s exit:1 h/bin/bhyve vm1
	atf_check -o match:'^running=yes$' h/bin/bhyvectl --vm vm1
	atf_check h/bin/bhyvectl --destroy --vm=vm1
	atf_check test ! -f h/run/vmm/vm1
	atf_check -s exit:1 -e match:'vm_open: vm1 could not be opened' \
	    h/bin/bhyvectl --destroy --vm=vm1
	atf_check -o inline:'--vm vm1\n--destroy --vm=vm1\n--destroy --vm=vm1\n' \
	    cat h/run/bhyvectl.args
}

atf_test_case fakecpuset_kernel_rules
fakecpuset_kernel_rules_body()
{
	fake h
	cp "$TESTBIN/cpuset" h/bin/
	echo 'hw.ncpu: 8' > h/sysctl.txt
	printf 'cpus=2\nname=vm1\nvcpu.0.cpuset=4\nvcpu.1.cpuset=5\n' > vm1.conf
	# cpuset_modify(): set 0 is read only, CPUs beyond the root refused.
	atf_check -s exit:1 -e inline:'cpuset: setaffinity: Operation not permitted\n' \
	    h/bin/cpuset -l 0-3 -s 0
	atf_check -s exit:1 -e inline:'cpuset: setaffinity: Invalid argument\n' \
	    h/bin/cpuset -l 0-8 -s 1
	atf_check h/bin/cpuset -l 0-3 -s 1
	atf_check -o inline:'cpuset 1 mask: 0, 1, 2, 3\n' h/bin/cpuset -g -s 1
	# bhyve left in set 1 cannot pin to 4 and 5: the assert aborts it.
	atf_check -s signal:6 -e match:'Assertion failed: \(error == 0\), function fbsdrun_start_thread' \
	    h/bin/bhyve -k vm1.conf
	# A set of its own hangs from the root: 4-5 is allowed there.
	h/bin/cpuset -c -l 4-5 bhyve -k vm1.conf > /dev/null 2>&1 &
	pid=$!
	waitrun h vm1 $pid
	atf_check -o match:'^cpuset=3$' -o match:'^pins=4 5$' cat h/run/vmm/vm1
	atf_check -o match:'^3 4 5$' cat h/run/cpuset.sets
	# A process mask must lie within its set, here set 1.
	atf_check -s exit:1 -e inline:'cpuset: setaffinity: Invalid argument\n' \
	    h/bin/cpuset -s 1 -l 4 true
	kill -9 $pid
	# A live bhyve of set 1 pinned to 2 keeps set 1 from leaving CPU 2.
	h/bin/cpuset -l 0-7 -s 1
	printf 'cpus=1\nname=vm2\nvcpu.0.cpuset=2\n' > vm2.conf
	h/bin/bhyve -k vm2.conf > /dev/null 2>&1 &
	pid=$!
	waitrun h vm2 $pid
	atf_check -s exit:1 -e inline:'cpuset: setaffinity: Resource deadlock avoided\n' \
	    h/bin/cpuset -l 0,1 -s 1
	kill -9 $pid
}

atf_init_test_cases()
{
	atf_add_test_case fakecpuset_kernel_rules
	atf_add_test_case fakebhyve_records_args_and_config
	atf_add_test_case fakebhyve_sigterm_powers_off_after_delay
	atf_add_test_case fakebhyve_sigterm_before_acpi_kills
	atf_add_test_case fakebhyve_guest_without_acpi
	atf_add_test_case fakebhyve_reboot_count
	atf_add_test_case fakebhyve_crash_halt_poweroff
	atf_add_test_case fakebhyve_error_message
	atf_add_test_case fakebhyve_ignore_button_then_sigkill
	atf_add_test_case fakebhyve_hang
	atf_add_test_case fakebhyve_vm_create_exists
	atf_add_test_case fakebhyvectl_destroy
}
