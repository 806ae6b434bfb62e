# life_test: start, stop, restart, status, list, console and host restore
# end to end, on a copy of the guide's captured host whose DIR/bin holds
# the bhyve and bhyvectl stand-ins of tests/bin (their control file is
# documented at the top of tests/bin/bhyve).
# PTVM, DATA and TESTBIN are set by the Makefile.

ctl()
{
	printf '%s\n' "$@" > h/run/bhyve.ctl
}

# st KEY: a value of t1's status file.
st()
{
	sed -n "s/^$1=//p" h/run/t1.status
}

# expect_st KEY VALUE
expect_st()
{
	v=$(st "$1")
	[ "$v" = "$2" ] || atf_fail "t1.status: $1=$v, expected $2"
}

# waitstate STATE [SECONDS]: until t1's status file says STATE.
waitstate()
{
	i=0
	lim=$(( ${2:-15} * 10 ))
	while [ "$(st state 2>/dev/null)" != "$1" ]; do
		i=$((i + 1))
		if [ $i -gt $lim ]; then
			cat h/log/t1.log >&2
			atf_fail "t1 never became $1 (is $(st state))"
		fi
		sleep 0.1
	done
}

atf_test_case start_stop cleanup
start_stop_head()
{
	atf_set descr "start binds, mutes the console, runs bhyve -k; stop" \
	    "presses the power button once and puts the host back"
}
start_stop_body()
{
	lifehost
	atf_check -o match:'pci0:6:0:0 is on ppt0 \(was vgapci0\)' \
	    -o match:'kern.consmute=1 while the VM runs' \
	    -o match:'t1: running, bhyve pid [0-9]+; log .*/h/log/t1.log' \
	    "$PTVM" -H h start t1
	expect_st state 'running'
	atf_check -o match:'^sysctl kern.consmute=1$' \
	    -o match:'^kenv pptdevs="6/0/0 6/0/1"$' \
	    -o match:'^devctl detach pci0:6:0:0$' \
	    -o match:"^bhyve -k $(pwd -P)/h/run/t1.bhyve.conf\$" cat h/journal
	# bhyve got the compiled configuration, both functions at 7:0/7:1.
	atf_check -o match:'^pci.0.7.0.device=passthru' \
	    -o match:'^pci.0.7.1.device=passthru' -o match:'^name=t1' \
	    cat h/run/bhyve.conf
	atf_check -o match:'"state":"running"' -o match:'"pid":[1-9]' \
	    -o match:'"devices":\[\{"selector":"pci0:6:0:0","dirty":false,"signature":null,"evidence":null\},\{"selector":"pci0:6:0:1","dirty":false,"signature":null,"evidence":null\}\]' \
	    -o match:'"log":".*/h/log/t1.log"' -o match:'"cpus":4' \
	    -o match:'"console":"/dev/nmdm1B"' "$PTVM" -H h status --json t1
	atf_check -o match:'stopping through ACPI; waiting up to 120 s' \
	    -o match:'ACPI power button pressed \(1 of 1\)' \
	    -o match:'stopped: bhyve powered off after a stop request' \
	    "$PTVM" -H h stop t1
	atf_check -o inline:'1\n' sh -c 'wc -l < h/run/bhyve.terms | tr -d " "'
	expect_st state 'stopped'
	expect_st last.kind 'poweroff'
	expect_st last.dirty 'no'
	# bhyve destroyed the VM itself on power-off (destroy_on_poweroff,
	# freebsd.md#B1): no bhyvectl --destroy after a clean end.
	atf_check -o match:'^sysctl kern.consmute=0$' \
	    -o not-match:'^bhyvectl --destroy' cat h/journal
	atf_check -s exit:1 test -e h/run/t1.undo
	atf_check -s exit:1 test -e h/run/t1.pid
	atf_check -o match:'"last_exit":\{"kind":"poweroff","status":1,"signal":null,"meaning":"powered off"' \
	    "$PTVM" -H h status --json t1
	atf_check -o match:'ptvm: cleanup done [0-9]+ ms after bhyve ended' \
	    -o match:'ptvm: the guest runs' cat h/log/t1.log
}
start_stop_cleanup()
{
	cleanup_vms
}

atf_test_case double_start cleanup
double_start_head()
{
	atf_set descr "a second start of a running VM is refused"
}
double_start_body()
{
	lifehost
	atf_check -o ignore "$PTVM" -H h start t1
	atf_check -s exit:1 -e match:'t1: already running \(supervisor pid [0-9]+\)' \
	    "$PTVM" -H h start t1
	atf_check -o inline:'1\n' sh -c 'wc -l < h/run/bhyve.runs | tr -d " "'
	atf_check -o match:'^t1 +running' -o match:'^winpt +stopped' \
	    "$PTVM" -H h list
	atf_check -o match:'^\[\{"name":"t1","state":"running"' \
	    "$PTVM" -H h list --json
	atf_check -o ignore "$PTVM" -H h stop t1
}
double_start_cleanup()
{
	cleanup_vms
}

# policy ACTION STATUS KIND DIRTY: t1 ends by itself as the control says.
policy()
{
	rm -f h/run/dirty
	ctl "action=$1" after="${6:-0}" "status=$2" "message=$5"
	"$PTVM" -H h start -F t1 > out 2> err
	expect_st last.kind "$3"
	expect_st last.dirty "$4"
}

atf_test_case exit_policy cleanup
exit_policy_head()
{
	atf_set descr "bhyve's exit status through the front end: status" \
	    "--json says its meaning"
}
exit_policy_body()
{
	lifehost
	# Exit 1 after an err(3) line while the guest ran: an error, not a
	# power-off (bhyverun.c, pci_passthru.c; freebsd.md#B1).  Every exit
	# status's kind, dirt and message: tests/lib/engine_test exit_policies.
	policy fail 1 error yes 'bhyve: vm_setup_pptdev_msi: Invalid argument' 0.5
	atf_check -o match:'^last.exit=exit 1 failed$' cat h/run/t1.status
	atf_check -o match:'not a power-off' cat err
	atf_check -o match:'"meaning":"exited 1 on an error while the guest ran' \
	    "$PTVM" -H h status --json t1
	# Errors before the guest ran never dirty a device.
	policy error 71 error no 'bhyve: vm_set_topology: Operation not permitted'
	atf_check -o match:'^last.exit=exit 71$' cat h/run/t1.status
	atf_check -o match:'"meaning":"' "$PTVM" -H h status --json t1
	atf_check -o match:'bhyve: vm_set_topology: Operation not permitted$' \
	    cat h/log/t1.log
}
exit_policy_cleanup()
{
	cleanup_vms
}

atf_test_case crash_restart_dirty cleanup
crash_restart_dirty_head()
{
	atf_set descr "on_crash=restart does not restart onto dirty devices" \
	    "unless asked; start refuses dirty devices, --ignore-dirty overrides"
}
crash_restart_dirty_body()
{
	lifehost
	vmkeys t1 on_crash=restart
	ctl action=crash after=0
	atf_check -s exit:1 -o ignore \
	    -e match:'not restarting: bhyve .*triple fault.*dirty' \
	    "$PTVM" -H h start -F t1
	atf_check -o inline:'1\n' sh -c 'wc -l < h/run/bhyve.runs | tr -d " "'
	atf_check -o match:'"selector":"pci0:6:0:0","dirty":true' \
	    "$PTVM" -H h status --json t1
	atf_check -o match:'passthru pci0:6:0:0  DIRTY' "$PTVM" -H h status t1
	atf_check -o match:'dirty' "$PTVM" -H h devices
	# list names each passed function and marks the dirty one.
	atf_check -o match:'^t1 +stopped .* 6/0/0 \(dirty\), 6/0/1 \(dirty\)$' -o match:'^winpt +stopped .* 6/0/0 \(dirty\)$' \
	    "$PTVM" -H h list
	ctl action=run
	atf_check -s exit:1 -e match:'pci0:6:0:0 is dirty: VM t1 ended' \
	    -e match:'Reboot the host, or start with --ignore-dirty' \
	    "$PTVM" -H h start t1
	atf_check -o inline:'1\n' sh -c 'wc -l < h/run/bhyve.runs | tr -d " "'
	atf_check -o match:'running' -e match:'starting with dirty devices' \
	    "$PTVM" -H h start --ignore-dirty t1
	atf_check -o ignore "$PTVM" -H h stop t1
}
crash_restart_dirty_cleanup()
{
	cleanup_vms
}

atf_test_case deprecated_force cleanup
deprecated_force_head()
{
	atf_set descr "start --force and stop --force, the old spellings of" \
	    "--ignore-dirty and --kill, still work and say so (ptvm.8" \
	    "Deprecated options)"
}
deprecated_force_body()
{
	lifehost
	ctl action=crash after=0
	atf_check -s exit:1 -o ignore -e ignore "$PTVM" -H h start -F t1
	ctl action=ignore
	atf_check -s exit:1 -e match:'is dirty' "$PTVM" -H h start t1
	atf_check -o match:'running' \
	    -e match:'^ptvm: start: warning: --force is deprecated here, use --ignore-dirty' \
	    -e match:'starting with dirty devices' \
	    "$PTVM" -H h start --force t1
	waitstate running
	atf_check -s exit:1 -o match:'killing bhyve' \
	    -e match:'^ptvm: stop: warning: --force is deprecated here, use --kill' \
	    "$PTVM" -H h stop -t 1 --force t1
	expect_st last.kind 'killed'
	# restart shares stop's options.
	atf_check -s exit:2 \
	    -e match:'^ptvm: restart: warning: --force is deprecated here, use --kill' \
	    -e match:'one VM' "$PTVM" -H h restart --force t1 t2
}
deprecated_force_cleanup()
{
	cleanup_vms
}

atf_test_case supervisor_killed cleanup
supervisor_killed_head()
{
	atf_set descr "after SIGKILL of the supervisor: unsupervised, start" \
	    "refuses, stop presses the button itself (the lost VM and host" \
	    "restore: tests/lib/engine_test supervisor_killed)"
}
supervisor_killed_body()
{
	lifehost
	atf_check -o ignore "$PTVM" -H h start t1
	waitstate running
	bpid=$(st pid)
	kill -9 "$(cat h/run/t1.pid)"
	sleep 0.2
	atf_check -o match:'"state":"unsupervised"' -o match:'"supervised":false' \
	    "$PTVM" -H h status --json t1
	atf_check -s exit:1 -o ignore \
	    -e match:'bhyve \(pid [0-9]+\) still runs this VM without a supervisor' \
	    "$PTVM" -H h start t1
	# stop presses the button itself and waits for the end (issue 14,
	# item 10); the VM gone from the kernel is a clean power-off.
	atf_check -o match:'no supervisor; pressed the ACPI power button' \
	    -o match:'t1: stopped: bhyve powered off after a stop request' \
	    -o match:'put back kern.consmute=0' "$PTVM" -H h stop t1
	kill -0 "$bpid" 2>/dev/null && atf_fail "bhyve still runs"
	expect_st last.kind 'poweroff'
	expect_st last.dirty 'no'
	atf_check -s exit:1 test -e h/run/t1.undo
	atf_check -o match:'^sysctl kern.consmute=0$' cat h/journal
	atf_check -o match:'nothing to restore' "$PTVM" -H h host restore
}

supervisor_killed_cleanup()
{
	cleanup_vms
}

# chatted N PID: until the bhyve stand-in PID has chattered line N.
chatted()
{
	i=0
	while [ "$(cat h/run/bhyve.chatter 2>/dev/null || echo 0)" -lt "$1" ]
	do
		kill -0 "$2" 2>/dev/null ||
		    atf_fail "bhyve $2 died before its line $1"
		i=$((i + 1))
		[ $i -gt 100 ] && atf_fail "bhyve never said line $1"
		sleep 0.1
	done
}

# msr N: the register of the stand-in's chatter line N.
msr()
{
	printf '0x%x' $((0xc0010000 + $1))
}

atf_test_case supervisor_killed_output cleanup
supervisor_killed_output_head()
{
	atf_set descr "bhyve outlives a SIGKILLed supervisor while it prints" \
	    "(no SIGPIPE), its output waits in NAME.out, and host restore" \
	    "leaves it running but folds that output into the log, once"
}
supervisor_killed_output_body()
{
	lifehost
	ctl chatter=100
	atf_check -o ignore "$PTVM" -H h start t1
	waitstate running
	bpid=$(st pid)
	chatted 2 "$bpid"
	kill -9 "$(cat h/run/t1.pid)"
	k=$(cat h/run/bhyve.chatter)
	# Lines printed with nobody reading: each would raise SIGPIPE on a pipe.
	chatted $((k + 5)) "$bpid"
	n=$(cat h/run/bhyve.chatter)
	atf_check -o match:"^rdmsr to register $(msr "$n") on vcpu 0\$" \
	    cat h/log/t1.out
	atf_check -s exit:1 grep -q "register $(msr "$n") " h/log/t1.log
	atf_check -o match:'"state":"unsupervised"' \
	    "$PTVM" -H h status --json t1
	atf_check -o match:'t1\.out' "$PTVM" -H h status t1
	# A running bhyve is left alone: its journal stays, its output is read.
	atf_check -o match:'t1: left alone: bhyve still runs' \
	    -e match:'bhyve \(pid [0-9]+\) still runs t1 unsupervised' \
	    "$PTVM" -H h host restore
	atf_check test -e h/run/t1.undo
	atf_check -s exit:1 grep -q '^sysctl kern.consmute=0$' h/journal
	kill -0 "$bpid" 2>/dev/null || atf_fail "host restore ended bhyve"
	# Its repeats held back when it died are read again, and counted.
	atf_check -o match:'ptvm: bhyve.s output while no supervisor ran' \
	    -o match:'ptvm: last message repeated [0-9]+ times, with other numbers; the last: rdmsr' \
	    cat h/log/t1.log
	atf_check -o match:'no supervisor; pressed the ACPI power button' \
	    -o match:'put back kern.consmute=0' "$PTVM" -H h stop t1
	kill -0 "$bpid" 2>/dev/null && atf_fail "bhyve still runs"
	last=$(cat h/run/bhyve.chatter)
	[ "$last" -gt "$n" ] || atf_fail "no chatter after line $n"
	# Every line once, written or counted in a "repeated" line: what the
	# supervisor read, then what recovery did.
	atf_check -o inline:'1\n' grep -c \
	    "bhyve: rdmsr to register $(msr 1) on" h/log/t1.log
	written=$(grep -c 'bhyve: rdmsr to register' h/log/t1.log)
	counted=$(sed -n 's/.*ptvm: last message repeated \([0-9]*\) times.*/\1/p' \
	    h/log/t1.log | awk '{ n += $1 } END { print n + 0 }')
	[ $((written + counted)) -eq "$last" ] ||
	    atf_fail "$written written and $counted counted of $last lines"
	atf_check -o match:'nothing to restore' "$PTVM" -H h host restore
}
supervisor_killed_output_cleanup()
{
	cleanup_vms
}

atf_test_case output_file cleanup
output_file_head()
{
	atf_set descr "bhyve's output goes to LOGDIR/NAME.out (never through" \
	    "a symbolic link); what a crashed host left unread there" \
	    "reaches the log at the next start"
}
output_file_body()
{
	lifehost
	mkdir -p h/log
	echo 'precious' > target
	ln -s ../../target h/log/t1.out
	ctl chatter=0
	atf_check -s exit:1 -o ignore \
	    -e match:"t1.out: .*; bhyve's output would be lost" \
	    "$PTVM" -H h start t1
	atf_check -o inline:'precious\n' cat target
	atf_check -s exit:1 test -e h/run/bhyve.runs
	# A host that crashed: no status file, two lines the log lacks.
	rm h/log/t1.out
	printf 'seen\nunseen one\nunseen two' > h/log/t1.out
	printf '%020d\n' 5 > h/log/t1.out.pos
	atf_check -o match:'2 lines of bhyve.s output written while no' \
	    "$PTVM" -H h start t1
	atf_check -o match:'bhyve: unseen one$' -o match:'bhyve: unseen two$' \
	    -o not-match:'bhyve: seen$' cat h/log/t1.log
	# The new run's file starts empty.
	atf_check -s exit:1 grep -q unseen h/log/t1.out
	atf_check -o ignore "$PTVM" -H h stop t1
}
output_file_cleanup()
{
	cleanup_vms
}

# size FILE: its size in bytes (0: none).
size()
{
	if [ -f "$1" ]; then
		wc -c < "$1" | tr -d ' '
	else
		echo 0
	fi
}

atf_test_case output_burst cleanup
output_burst_head()
{
	atf_set descr "a burst of 200000 MSR lines: the log holds one line," \
	    "its explanation once and repeat counts for the rest, every" \
	    "line accounted for; NAME.out is emptied once bhyve is quiet"
}
output_burst_body()
{
	lifehost
	ctl chatter=0 burst=200000
	atf_check -o ignore "$PTVM" -H h start t1
	i=0
	while [ ! -f h/run/bhyve.burst ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && atf_fail "the burst never ended"
		sleep 0.1
	done
	# 7.8 MB in NAME.out (a write(2) a line): emptied while bhyve runs.
	i=0
	while [ "$(size h/log/t1.out)" -ge 1048576 ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && atf_fail "t1.out kept $(size h/log/t1.out) bytes"
		sleep 0.1
	done
	expect_st state running
	atf_check -o ignore "$PTVM" -H h stop t1
	log=$(size h/log/t1.log)
	echo "t1.log: $log bytes" >&2
	[ "$log" -lt 20000 ] || atf_fail "t1.log is $log bytes"
	atf_check -o inline:'1\n' grep -c 'ptvm: msr: the guest read' \
	    h/log/t1.log
	atf_check -o match:'ptvm: last message repeated [0-9]+ times, with other numbers; the last: rdmsr to register' \
	    cat h/log/t1.log
	# Every line written once or counted in a "repeated" line.
	written=$(grep -c 'bhyve: rdmsr to register' h/log/t1.log)
	counted=$(sed -n 's/.*ptvm: last message repeated \([0-9]*\) times.*/\1/p' \
	    h/log/t1.log | awk '{ n += $1 } END { print n + 0 }')
	echo "lines: $written written, $counted counted" >&2
	[ $((written + counted)) -eq 200000 ] ||
	    atf_fail "$((written + counted)) lines of 200000 accounted for"
}
output_burst_cleanup()
{
	cleanup_vms
}

# reopened: until t1.log says the supervisor reopened it.
reopened()
{
	i=0
	until grep -q 'ptvm: supervisor [0-9]* reopened' h/log/t1.log \
	    2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 50 ] && atf_fail "the supervisor did not reopen t1.log"
		sleep 0.1
	done
}

atf_test_case log_rotated cleanup
log_rotated_head()
{
	atf_set descr "newsyslog's rotation (rename, new file, no signal):" \
	    "the supervisor notices and writes to the new NAME.log"
}
log_rotated_body()
{
	lifehost
	ctl chatter=100
	atf_check -o ignore "$PTVM" -H h start t1
	waitstate running
	bpid=$(st pid)
	chatted 2 "$bpid"
	# As newsyslog does it: a link as .0, then a new file over the name.
	ln h/log/t1.log h/log/t1.log.0
	: > h/log/t1.log.new
	mv h/log/t1.log.new h/log/t1.log
	reopened
	atf_check -o match:'reopened .*t1.log \(the old one was moved' \
	    cat h/log/t1.log
	atf_check -o match:'ptvm: supervisor [0-9]+ starts t1' \
	    cat h/log/t1.log.0
	atf_check -o ignore "$PTVM" -H h stop t1
	atf_check -o match:'ptvm: ACPI power button pressed' -o not-match:'starts t1' \
	    cat h/log/t1.log
}
log_rotated_cleanup()
{
	cleanup_vms
}

atf_test_case log_sighup cleanup
log_sighup_head()
{
	atf_set descr "SIGHUP to the supervisor reopens NAME.log and does not" \
	    "stop the guest"
}
log_sighup_body()
{
	lifehost
	ctl chatter=0
	atf_check -o ignore "$PTVM" -H h start t1
	waitstate running
	mv h/log/t1.log h/log/t1.log.0
	kill -HUP "$(cat h/run/t1.pid)"
	reopened
	atf_check -o match:'reopened .*t1.log \(SIGHUP\)' cat h/log/t1.log
	sleep 0.3
	expect_st state running
	atf_check -s exit:1 test -e h/run/bhyve.terms
	atf_check -o ignore "$PTVM" -H h stop t1
	atf_check -o match:'ptvm: ACPI power button pressed' cat h/log/t1.log
	atf_check -o not-match:'power button' cat h/log/t1.log.0
}
log_sighup_cleanup()
{
	cleanup_vms
}

atf_test_case bridge_tap_isolate cleanup
bridge_tap_isolate_head()
{
	atf_set descr "net=BRIDGE creates and destroys the tap; isolate=yes" \
	    "runs cpuset and its undo"
}
bridge_tap_isolate_body()
{
	lifehost
	sed -i.bak 's/^net=tap0$/net=bridge0/' h/root/usr/local/etc/ptvm/t1.conf
	vmkeys t1 isolate=yes pin=cores
	# tuntap clones only "tap" and a unit (freebsd.md#N3): the first free
	# one (the capture has tap0), its description naming the VM.
	atf_check -o match:'tap1 created \(description "ptvm t1 net 0"\) and added to bridge0' \
	    -o match:'host processes moved off' "$PTVM" -H h start t1
	atf_check -o match:'^ifconfig tap1 create$' \
	    -o match:"^ifconfig tap1 description 'ptvm t1 net 0'$" \
	    -o match:'^ifconfig bridge0 addm tap1$' \
	    -o match:'^cpuset -l [0-9,-]+ -s 1$' cat h/journal
	atf_check -o match:'backend=tap1$' cat h/run/t1.bhyve.conf
	atf_check -o match:'^tap tap1$' -o match:'^cpuset \+2-5$' cat h/run/t1.undo
	atf_check -o ignore "$PTVM" -H h stop t1
	atf_check -o match:'^ifconfig tap1 destroy$' cat h/journal
	atf_check -s exit:1 test -e h/run/t1.undo
}

atf_test_case tap_names_as_the_kernel_clones
tap_names_as_the_kernel_clones_head()
{
	atf_set descr "two VMs whose names share their first characters get" \
	    "distinct taps; a unit another creator took is skipped"
}
tap_names_as_the_kernel_clones_body()
{
	lifehost
	sed -i.bak 's/^net=tap0$/net=bridge0/' h/root/usr/local/etc/ptvm/t1.conf
	# tap1 exists already: the next free unit is taken.
	: > h/root/dev/tap1
	# A racing creator took tap2 between the look and the create.
	echo 'ifconfig tap2 create: EEXIST' > h/fail
	atf_check -o match:'tap3 created' "$PTVM" -H h start t1
	atf_check -o match:'^# failed \(EEXIST\): ifconfig tap2 create$' \
	    -o match:'^ifconfig tap3 create$' cat h/journal
	atf_check -o match:'backend=tap3$' cat h/run/t1.bhyve.conf
	atf_check -o ignore "$PTVM" -H h stop t1
}
tap_names_as_the_kernel_clones_cleanup()
{
	cleanup_vms
}
bridge_tap_isolate_cleanup()
{
	cleanup_vms
}

atf_test_case isolate_cpuset cleanup
isolate_cpuset_head()
{
	atf_set descr "isolate=yes: set 1 leaves the VM's CPUs and bhyve runs" \
	    "in a new set holding every CPU its vCPUs are pinned to" \
	    "(the cpuset stand-in refuses a pin outside bhyve's set)"
}
isolate_cpuset_body()
{
	lifehost
	vmkeys t1 isolate=yes pin=cores
	atf_check -o match:'host processes moved off' \
	    -o match:'t1: running, bhyve pid' "$PTVM" -H h start t1
	# The plan of pin=cores on the guide's 12 CPUs: vCPUs on 2-5.
	atf_check -o match:'^cpuset -l 0,1,6-11 -s 1$' \
	    -o match:'^cpuset -c -l 2-5 bhyve -k .*/t1.bhyve.conf$' \
	    cat h/journal
	atf_check -o match:'^1 0 1 6 7 8 9 10 11$' cat h/run/cpuset.sets
	set=$(sed -n 's/^cpuset=//p' h/run/vmm/t1)
	atf_check -o match:"^$set 2 3 4 5\$" cat h/run/cpuset.sets
	atf_check -o match:'^pins=2 3 4 5$' cat h/run/vmm/t1
	waitstate running
	atf_check -o ignore "$PTVM" -H h stop t1
	atf_check -o match:'^cpuset -l 0-11 -s 1$' cat h/journal
	atf_check -o match:'^1 0 1 2 3 4 5 6 7 8 9 10 11$' cat h/run/cpuset.sets
}
isolate_cpuset_cleanup()
{
	cleanup_vms
}

atf_test_case isolate_two_vms cleanup
isolate_two_vms_head()
{
	atf_set descr "two isolated VMs: the second keeps the first's CPUs" \
	    "away from the host, and stopping one gives back only its own"
}
isolate_two_vms_body()
{
	lifehost
	vmkeys t1 isolate=yes pin=cores
	sed 's|zroot/vm/t1$|zroot/vm/t2|; /^passthru=/d; s/^net=tap0$/net=tap9/' \
	    h/root/usr/local/etc/ptvm/t1.conf > h/root/usr/local/etc/ptvm/t2.conf
	echo 'pin.reserve=0-5' >> h/root/usr/local/etc/ptvm/t2.conf
	: > h/root/dev/zvol/zroot/vm/t2
	: > h/root/dev/tap9
	atf_check -o match:'host processes moved off' -e ignore "$PTVM" -H h start t1
	atf_check -o match:'host processes moved off' -e ignore "$PTVM" -H h start t2
	atf_check -o match:'^cpuset -l 0,1,6-11 -s 1$' \
	    -o match:'^cpuset -l 0,1,10,11 -s 1$' cat h/journal
	atf_check -o match:'^1 0 1 10 11$' cat h/run/cpuset.sets
	atf_check -o match:'^cpuset \+6-9$' cat h/run/t2.undo
	# t1 stops: its CPUs come back, t2's stay away from the host.
	atf_check -o ignore "$PTVM" -H h stop t1
	atf_check -o match:'^1 0 1 2 3 4 5 10 11$' cat h/run/cpuset.sets
	atf_check -o ignore "$PTVM" -H h stop t2
	atf_check -o match:'^1 0 1 2 3 4 5 6 7 8 9 10 11$' cat h/run/cpuset.sets
}
isolate_two_vms_cleanup()
{
	cleanup_vms
}

atf_test_case damaged_status_is_unknown_everywhere
damaged_status_is_unknown_everywhere_head()
{
	atf_set descr "a damaged NAME.status is 'unknown' in status and" \
	    "list, and the disk commands treat the VM as maybe running"
}
damaged_status_is_unknown_everywhere_body()
{
	lifehost
	cp "$TESTBIN/zfs" h/bin/zfs
	printf 'name=t1\nstate=runn\001ing\n' > h/run/t1.status
	m='/t1\.status is damaged \(line 2: bad value for state'
	atf_check -o match:"^t1: unknown \(.*$m" -o not-match:'stopped' \
	    "$PTVM" -H h status t1
	atf_check -o match:"^t1 +unknown" "$PTVM" -H h list
	atf_check -o match:'"state":"unknown"' \
	    -o match:"\"error\":\".*$m" \
	    "$PTVM" -H h status --json t1
	# The disk commands say the same, and refuse as for a running VM.
	atf_check -s exit:1 -e match:"t1 may be running \(.*$m" \
	    "$PTVM" -H h snapshot t1
	mkdir -p h/root/vm/iso
	: > h/root/vm/iso/x.iso
	atf_check -o match:"t1 may be running \(.*$m" -o match:'next start' \
	    "$PTVM" -H h cdrom t1 /vm/iso/x.iso
	# The raw byte of the file is never echoed.
	atf_check -o not-match:"$(printf '\001')" "$PTVM" -H h status t1
	# start never destroys a VM whose bhyve may run.
	echo 't1 ?' >> h/vmm.txt
	atf_check -s exit:1 -e match:"t1: its VM exists and may be running \(.*$m" \
	    "$PTVM" -H h start t1
	atf_check -s exit:1 grep -q destroy h/journal
	sed -i.bak '/^t1 /d' h/vmm.txt
	# A damaged dirty file: the passthru functions' state is unknown.
	rm h/run/t1.status
	printf 'garbage\n' > h/run/dirty
	atf_check -o match:'^t1: stopped' \
	    -o match:'dirty    unknown \(.*/dirty is damaged \(line 1: ' \
	    "$PTVM" -H h status t1
	atf_check -o match:'^t1 +stopped .* 6/0/0, 6/0/1 \(dirty\?\)$' \
	    "$PTVM" -H h list
}

atf_test_case undo_parse_error_said_once
undo_parse_error_said_once_body()
{
	lifehost
	printf 'garbage line\n' > h/run/t1.undo
	printf 'name=t1\nstate=running\npid=999999\nsupervisor=0\ndevices=\n' \
	    > h/run/t1.status
	atf_check -s exit:1 -o ignore -e save:err "$PTVM" -H h host restore
	atf_check -o inline:'1\n' sh -c 'grep -c "t1.undo:1: .*nothing undone" err'
	# Without the status file, once too.
	rm h/run/t1.status
	atf_check -s exit:1 -o ignore -e save:err "$PTVM" -H h host restore
	atf_check -o inline:'1\n' sh -c 'grep -c "t1.undo:1: .*nothing undone" err'
}

atf_test_case stale_vm cleanup
stale_vm_head()
{
	atf_set descr "a VM of the same name no bhyve runs is destroyed first"
}
stale_vm_body()
{
	lifehost
	mkdir -p h/run/vmm
	printf 'pid=999999\nrunning=yes\nacpi=yes\n' > h/run/vmm/t1
	atf_check -o match:'destroyed a stale VM of this name' \
	    -o match:'t1: running' "$PTVM" -H h start t1
	atf_check -o match:'^--destroy --vm=t1$' cat h/run/bhyvectl.args
	atf_check -o ignore "$PTVM" -H h stop t1
	atf_check -o match:'"dirty":false,"dirty_vm":null' \
	    "$PTVM" -H h devices --json
}
stale_vm_cleanup()
{
	cleanup_vms
}

atf_test_case evidence_dead_device cleanup
evidence_dead_device_head()
{
	atf_set descr "configuration space read before and after a run: a" \
	    "device that died shows its signature in the log, status, the" \
	    "dirty mark and start's refusal"
}
evidence_dead_device_body()
{
	lifehost
	mkdir -p h/pci
	cp "$DATA/pci/amd-navi10-rx5600xt-pciconf-r.txt" h/pci/pci0:6:0:0.txt
	ctl action=crash after=1
	atf_check -o ignore "$PTVM" -H h start t1
	waitstate running
	# The GPU stops answering while the guest runs.
	cp "$DATA/pci/synthetic-dead-all-ff.txt" h/pci/pci0:6:0:0.txt
	waitstate stopped
	atf_check -o match:'no configuration-space evidence of pci0:6:0:1' \
	    -o match:'pci0:6:0:0: configuration space after the VM \([0-9]+ bytes differ; signature dead\)' \
	    -o match:'pci: pci0:6:0:0:   - ' \
	    -o match:'ptvm: dead: ' cat h/log/t1.log
	atf_check -o match:'^evidence=pci0:6:0:0=dead$' cat h/run/t1.status
	atf_check -o match:'"selector":"pci0:6:0:0","dirty":true,"signature":"dead"' \
	    "$PTVM" -H h status --json t1
	atf_check -o match:'after the last run: dead: ' \
	    -o match:'           - the function no longer answers: it reads all 0xFF \(it was 1002:731f\)' \
	    "$PTVM" -H h status t1
	atf_check -o match:'"signature":"dead","evidence":\{"signature":"dead"' \
	    "$PTVM" -H h status --json t1
	atf_check -o match:'^pci0:6:0:0 [0-9]+ t1 .*configuration space: dead$' \
	    -o match:'^pci0:6:0:1 [0-9]+ t1 triple fault \(the guest crashed\)$' \
	    cat h/run/dirty
	atf_check -s exit:1 -e match:'pci0:6:0:0 after that run: dead: ' \
	    "$PTVM" -H h start t1
	test -s h/run/t1.pci/before-pci0:6:0:0.txt || atf_fail "no before"
	test -s h/run/t1.pci/after-pci0:6:0:0.txt || atf_fail "no after"
}
evidence_dead_device_cleanup()
{
	cleanup_vms
}

atf_test_case restart_console
restart_console_head()
{
	atf_set descr "restart stops and starts; console names the B side"
}
restart_console_body()
{
	lifehost
	atf_check -o ignore "$PTVM" -H h start t1
	waitstate running
	atf_check -o match:'stopped: bhyve powered off' -o match:'t1: running' \
	    "$PTVM" -H h restart t1
	atf_check -o inline:'2\n' sh -c 'wc -l < h/run/bhyve.runs | tr -d " "'
	# Without a cu stand-in the captured host prints the command; the
	# live host runs cu (here: journals it).
	if [ "${PTVM_LIVE_SHIM:-}" != 1 ]; then
		atf_check -o inline:'t1: attaching to /dev/nmdm1B with cu; to leave, type ~. at the start of a line\ncu -l /dev/nmdm1B\n' \
		    env -u SSH_CONNECTION -u SSH_TTY "$PTVM" -H h console t1
		# Over ssh, whose escape is cu's too, the ~ is doubled.
		atf_check -o match:'type ~~\. at the start of a line \(over ssh' \
		    env SSH_CONNECTION='127.0.0.1 1 127.0.0.1 22' "$PTVM" -H h console t1
	fi
	atf_check -o ignore "$PTVM" -H h stop t1
	atf_check -o match:'not running' "$PTVM" -H h stop t1
	atf_check -s exit:2 -e match:'usage' "$PTVM" -H h stop -t 0 t1
}

atf_test_case two_starts_one_gpu cleanup
two_starts_one_gpu_head()
{
	atf_set descr "two VM files with one passthru function started at" \
	    "the same instant: one runs, the other refuses (issue 14, item 6)"
}
two_starts_one_gpu_body()
{
	lifehost
	sed 's|zroot/vm/t1$|zroot/vm/t2|' h/root/usr/local/etc/ptvm/t1.conf \
	    > h/root/usr/local/etc/ptvm/t2.conf
	: > h/root/dev/zvol/zroot/vm/t2
	for try in 1 2 3; do
		"$PTVM" -H h start t1 > o1 2> e1 &
		a=$!
		"$PTVM" -H h start t2 > o2 2> e2 &
		b=$!
		wait $a; ra=$?
		wait $b; rb=$?
		[ $((ra + rb)) -eq 1 ] || { cat o1 e1 o2 e2 >&2; \
		    atf_fail "try $try: exit statuses $ra and $rb"; }
		cat e1 e2 > e
		atf_check -o ignore -x 'grep -E "6/0/0 is in use by the (running|starting) VM t[12]|used by the running VM t[12]" e'
		for v in t1 t2; do
			"$PTVM" -H h stop "$v" >/dev/null 2>&1
		done
		rm -f h/run/dirty
	done
}
two_starts_one_gpu_cleanup()
{
	cleanup_vms
}

atf_test_case killed_start_pending cleanup
killed_start_pending_head()
{
	atf_set descr "a start SIGKILLed during set-up: status shows the" \
	    "pending undo journal; the next start undoes it, marks nothing" \
	    "dirty and starts (issue 14, item 9)"
}
killed_start_pending_body()
{
	lifehost
	# A bridge whose ifconfig hangs: start stops in the middle of set-up.
	cat > h/bin/ifconfig <<'EOT'
#!/bin/sh
[ "$2" = create ] && [ -f "$(dirname "$0")/../run/ifconfig.hang" ] && sleep 30
exit 0
EOT
	chmod +x h/bin/ifconfig
	sed -i.bak 's/^net=tap0$/net=bridge0/' h/root/usr/local/etc/ptvm/t1.conf
	: > h/run/ifconfig.hang
	"$PTVM" -H h start t1 > out 2>&1 &
	sp=$!
	i=0
	until grep -q '^sysctl kern.consmute=1$' h/journal 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 100 ] && atf_fail "start did not get far"
		sleep 0.1
	done
	sleep 0.3
	kill -9 $sp
	pkill -f "$(pwd)/h/bin/ifconfig" 2>/dev/null
	rm h/run/ifconfig.hang
	atf_check -o match:'^t1: interrupted' \
	    -o match:'pending  [0-9]+ host changes? without a running VM: .*sysctl kern.consmute' \
	    "$PTVM" -H h status t1
	atf_check -o match:'"undo_pending":".*sysctl kern.consmute' \
	    "$PTVM" -H h status --json t1
	atf_check -o match:'t1: running' -e ignore -o match:'put back kern.consmute=0' \
	    "$PTVM" -H h start t1
	atf_check -s exit:1 test -s h/run/dirty
	atf_check -o ignore "$PTVM" -H h stop t1
}
killed_start_pending_cleanup()
{
	cleanup_vms
}

atf_init_test_cases()
{
	atf_add_test_case two_starts_one_gpu
	atf_add_test_case isolate_two_vms
	atf_add_test_case tap_names_as_the_kernel_clones
	atf_add_test_case killed_start_pending
	atf_add_test_case start_stop
	atf_add_test_case double_start
	atf_add_test_case exit_policy
	atf_add_test_case crash_restart_dirty
	atf_add_test_case deprecated_force
	atf_add_test_case supervisor_killed
	atf_add_test_case supervisor_killed_output
	atf_add_test_case output_file
	atf_add_test_case output_burst
	atf_add_test_case log_rotated
	atf_add_test_case log_sighup
	atf_add_test_case bridge_tap_isolate
	atf_add_test_case isolate_cpuset
	atf_add_test_case stale_vm
	atf_add_test_case damaged_status_is_unknown_everywhere
	atf_add_test_case undo_parse_error_said_once
	atf_add_test_case evidence_dead_device
	atf_add_test_case restart_console
}
