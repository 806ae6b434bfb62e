# desk_test: sound, USB controllers, TPM and the guest's address (issue
# 18), on tests/data/hosts/desk-x570 (see its README and SOURCES).

# deskhost: ./h, a copy of the desk host.
deskhost()
{
	cp -R "$DATA/hosts/desk-x570" h
}

atf_test_case sound_check_shares
sound_check_shares_body()
{
	deskhost
	atf_check -e ignore \
	    -o match:'^PASS  sound     /dev/dsp is pcm4 <Realtek ALC892 \(Rear Analog 5.1/2.0\)>, it plays$' \
	    -o match:'^PASS  sound     /dev/dsp is pcm4 <Realtek ALC892 \(Rear Analog 5.1/2.0\)>, it records$' \
	    -o match:'^WARN  sound     the guest and the host share pcm4 <Realtek ALC892 \(Rear Analog 5.1/2.0\)>: both play through it' \
	    -o not-match:'both record from' \
	    -o match:'fix: for a device of the guest.s own, pass a USB audio adapter.s controller' \
	    "$PTVM" -H h check desk
	atf_check -o match:'"check":"sound","status":"warn"' -e ignore \
	    "$PTVM" -H h check --json desk
}

atf_test_case sound_check_no_device
sound_check_no_device_body()
{
	deskhost
	# The device node is missing.
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  sound     /dev/dsp9: missing: no sound device to play on' \
	    -o match:'fix: kldload snd_hda' \
	    "$PTVM" -H h check nodsp
	# No sound device at all: /dev/sndstat lists none.
	printf 'No devices installed.\nNo devices installed from userspace.\n' \
	    > h/sndstat.txt
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  sound     no sound device: /dev/sndstat lists none' \
	    "$PTVM" -H h check desk
	# Not captured: the device nodes are still checked.
	rm h/sndstat.txt
	atf_check -e ignore \
	    -o match:'^SKIP  sound     /dev/sndstat could not be read' \
	    "$PTVM" -H h check desk
	# No sound driver at all: no /dev/sndstat.
	mv h/root/dev/sndstat h/sndstat.node
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  sound     no sound device: /dev/sndstat is missing, no sound driver is loaded' \
	    -o match:'fix: kldload snd_hda' "$PTVM" -H h check desk
	mv h/sndstat.node h/root/dev/sndstat
	rm h/root/dev/dsp
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  sound     /dev/dsp: missing: no sound device to play on' \
	    -o match:'^FAIL  sound     /dev/dsp: missing: no sound device to record from' \
	    "$PTVM" -H h check desk
}

atf_test_case sound_check_cannot_record
sound_check_cannot_record_body()
{
	deskhost
	atf_check -s exit:1 -e ignore \
	    -o match:'^PASS  sound     /dev/dsp0 is pcm0 <NVIDIA \(0x0083\) \(HDMI/DP 8ch\)>, it plays' \
	    -o match:'^FAIL  sound     /dev/dsp0 is pcm0 <NVIDIA \(0x0083\) \(HDMI/DP 8ch\)>, which cannot record' \
	    "$PTVM" -H h check hdmi
	# A unit /dev/sndstat does not list.
	: > h/root/dev/dsp9
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  sound     /dev/dsp9: its pcm unit is not in /dev/sndstat' \
	    "$PTVM" -H h check nodsp
}

atf_test_case sound_bad_sndstat
sound_bad_sndstat_body()
{
	deskhost
	printf 'Installed devices:\npcm0 <x>\n' > h/sndstat.txt
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  sound     "pcm0 <x>" is not a pcmN: line of /dev/sndstat' \
	    "$PTVM" -H h check desk
}

atf_test_case usb_devices
usb_devices_body()
{
	deskhost
	atf_check -o save:out "$PTVM" -H h devices --usb
	atf_check -o match:'^pci0:42:0:1  xhci0  Matisse USB 3.0 Host Controller$' \
	    -o match:'^    ugen0.2  0a81:0205  port 3   keyboard   PS/2 Keyboard\+Mouse Adapter Chesen Electronics Corp.$' \
	    -o match:'^  ! the host.s only keyboard is on it$' \
	    -o match:'^  ! shares its slot with pci0:42:0:0 \(Starship/Matisse Reserved SPP\), pci0:42:0:3' \
	    -o match:'^    ugen1.2  058f:6366  port 2   storage    Flash Card ReaderWriter Generic$' \
	    -o match:'^pci0:42:0:3  xhci1  Matisse USB 3.0 Host Controller  \[recommended\]$' \
	    -o match:'^Recommended: xhci1 .*passthru=42/0/3$' \
	    -o not-match:'ugen0.1 ' cat out
	atf_check -o save:json "$PTVM" -H h devices --usb --json
	atf_check -o match:'"selector":"pci0:42:0:1","passthru":"42/0/1","driver":"xhci0"' \
	    -o match:'"usbus":0,"host_keyboard":true,"only_host_keyboard":true' \
	    -o match:'"ugen":"ugen0.2",.*"vendor":"0x0a81","product":"0x0205","class":0,"port":3,"drivers":\["ukbd0","ums0"\],"keyboard":true' \
	    -o match:'"driver":"xhci1".*"recommended":true' cat json
}

atf_test_case usb_devices_unknown
usb_devices_unknown_body()
{
	deskhost
	rm h/usbconfig.txt
	atf_check -o match:'the devices behind them are not known: usbconfig.s output is not known' \
	    -o match:'^No controller can go whole' "$PTVM" -H h devices --usb
	atf_check -o match:'"devices_known":false' "$PTVM" -H h devices --usb --json
	printf 'ugen0.1: <x> at usbus3\n' > h/usbconfig.txt
	atf_check -o match:'not known: "ugen0.1: <x> at usbus3" is not a line of usbconfig' \
	    "$PTVM" -H h devices --usb
	# A host without USB controllers.
	atf_check -o match:'^No USB controller' \
	    "$PTVM" -H "$DATA/../../examples/hosts/guide-rx7600" devices --usb
}

atf_test_case usb_boot_disk
usb_boot_disk_body()
{
	deskhost
	# The root file system on the card reader (da0 on umass0, uhub1,
	# usbus1, xhci1; freebsd.md H2, H3, U2).
	printf 'scbus0 on umass-sim0 bus 0:\n<Generic Flash Card Reader/Writer 1.00>  at scbus0 target 0 lun 0 (da0,pass0)\n' \
	    > h/camcontrol.txt
	printf '/dev/da0p2\t\t/\t\tufs\trw\t1 1\n' > h/mount.txt
	printf 'kern.disks: da0\ndev.umass.0.%%parent: uhub1\ndev.uhub.1.%%parent: usbus1\n' \
	    >> h/sysctl.txt
	atf_check -o match:'^  ! the host.s boot disk is on it: /dev/da0p2 \(mounted at /\)$' \
	    -o match:'^pci0:49:0:3  xhci2  Matisse USB 3.0 Host Controller  \[recommended\]$' \
	    -o match:'^Recommended: xhci2 .*passthru=49/0/3$' \
	    "$PTVM" -H h devices --usb
	atf_check -o match:'"driver":"xhci1".*"boot_disk":true,"host_use":"used"' \
	    "$PTVM" -H h devices --usb --json
}

atf_test_case usb_check_keyboard
usb_check_keyboard_body()
{
	deskhost
	atf_check -e ignore \
	    -o match:'^WARN  usb       pci0:42:0:1 \(xhci0\) holds the host.s only keyboard: while the VM runs the host has none' \
	    -o match:'fix: plug a keyboard into another controller' \
	    "$PTVM" -H h check kbd
	atf_check -e ignore \
	    -o match:'^PASS  usb       pci0:49:0:3 \(xhci2\): no host keyboard on it \(1 device plugged in\)' \
	    "$PTVM" -H h check desk
	# A second keyboard elsewhere: not the only one.
	sed -i.bak 's/ugen2.2.0: uhid0:/ugen2.2.0: ukbd1:/' h/usbconfig.txt
	atf_check -e ignore \
	    -o match:'^PASS  usb       pci0:42:0:1 \(xhci0\) holds a keyboard of the host; 1 more are on other controllers' \
	    "$PTVM" -H h check kbd
	rm h/usbconfig.txt
	atf_check -e ignore \
	    -o match:'^SKIP  usb       pci0:42:0:1 \(xhci0\): what is plugged into it is not known' \
	    "$PTVM" -H h check kbd
}

# tpmhost: ./h, the guide's host (lifehost) with the swtpm stand-in
# installed and VM w11 asking for tpm=swtpm.
tpmhost()
{
	lifehost
	cp "$TESTBIN/swtpm" h/bin/
	mkdir -p h/root/usr/local/bin
	: > h/root/usr/local/bin/swtpm
	printf 'cpus=2\nmemory=4G\nconsole=none\npin=none\ntpm=swtpm\n' \
	    > h/root/usr/local/etc/ptvm/w11.conf
}

# gone PID: true once PID is gone (a zombie is reaped by its parent).
gone()
{
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 50 ] && return 1
		sleep 0.1
	done
	return 0
}

# swtpm_pid: the pid of the stand-in that runs, or nothing.
swtpm_pid()
{
	for f in h/run/swtpm.*; do
		case $f in *.args|*.ctl|*'*') continue ;; esac
		cat "$f"
	done
}

atf_test_case tpm_check
tpm_check_body()
{
	tpmhost
	atf_check -e ignore \
	    -o match:'^PASS  tpm       /usr/local/bin/swtpm installed' \
	    -o match:'^PASS  tpm       /var/db/ptvm/w11.tpm will be made \(mode 0700\) at the first start' \
	    -o match:'^SKIP  tpm       /usr/sbin/bhyve could not be read' \
	    "$PTVM" -H h check w11
	# swtpm missing.
	rm h/root/usr/local/bin/swtpm
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  tpm       /usr/local/bin/swtpm: not installed: tpm=swtpm needs the sysutils/swtpm package' \
	    -o match:'fix: pkg install swtpm' "$PTVM" -H h check w11
	: > h/root/usr/local/bin/swtpm
	# The state directory: unwritable, open to others, not a directory.
	mkdir -p h/root/var/db/ptvm/w11.tpm
	chmod 0500 h/root/var/db/ptvm/w11.tpm
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  tpm       the TPM state directory /var/db/ptvm/w11.tpm is not writable \(mode 0500\)' \
	    "$PTVM" -H h check w11
	chmod 0755 h/root/var/db/ptvm/w11.tpm
	atf_check -e ignore \
	    -o match:'^WARN  tpm       the TPM state directory /var/db/ptvm/w11.tpm is open to others \(mode 0755\)' \
	    "$PTVM" -H h check w11
	chmod 0700 h/root/var/db/ptvm/w11.tpm
	atf_check -e ignore \
	    -o match:'^PASS  tpm       TPM state in /var/db/ptvm/w11.tpm \(mode 0700\)' \
	    "$PTVM" -H h check w11
	rmdir h/root/var/db/ptvm/w11.tpm
	: > h/root/var/db/ptvm/w11.tpm
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  tpm       the TPM state directory /var/db/ptvm/w11.tpm: not a directory' \
	    "$PTVM" -H h check w11
	rm h/root/var/db/ptvm/w11.tpm
	# bhyve's binary tells whether it has the swtpm backend (T2).
	mkdir -p h/root/usr/sbin
	printf 'ELF...MSFT0101...tpm_passthru_init...' > h/root/usr/sbin/bhyve
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  tpm       /usr/sbin/bhyve has no swtpm backend' \
	    "$PTVM" -H h check w11
	printf 'ELF...tpm_swtpm_init...' > h/root/usr/sbin/bhyve
	atf_check -e ignore \
	    -o match:'^PASS  tpm       /usr/sbin/bhyve has the swtpm backend' \
	    "$PTVM" -H h check w11
	# FreeBSD 13's bhyve has no TPM device (T1).
	echo 'kern.osrelease: 13.2-RELEASE' >> h/sysctl.txt
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  tpm       bhyve of FreeBSD 13 has no TPM device \(it came with 14.0\)' \
	    "$PTVM" -H h check w11
	# Passthrough: the host's device.
	sed -i.bak '/^kern.osrelease/d' h/sysctl.txt
	sed -i.bak 's|^tpm=swtpm$|tpm=/dev/tpm0|' h/root/usr/local/etc/ptvm/w11.conf
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  tpm       /dev/tpm0: missing: the host has no TPM to pass through' \
	    "$PTVM" -H h check w11
	: > h/root/dev/tpm0
	atf_check -e ignore -o match:'^PASS  tpm       /dev/tpm0 present' \
	    "$PTVM" -H h check w11
	atf_check -o match:'"check":"tpm","status":"pass"' -e ignore \
	    "$PTVM" -H h check --json w11
}

atf_test_case tpm_start_stop cleanup
tpm_start_stop_body()
{
	tpmhost
	atf_check -e ignore \
	    -o match:'^w11: swtpm runs as pid [0-9]+, its state in /var/db/ptvm/w11.tpm, bhyve.s TPM on .*/h/run/w11.swtpm$' \
	    -o match:'w11: running' "$PTVM" -H h start w11
	atf_check -o match:'^--tpmstate$' -o match:'^dir=/var/db/ptvm/w11.tpm$' \
	    -o match:"^type=unixio,path=$(pwd -P)/h/run/w11.swtpm\$" \
	    -o match:'^not-need-init,startup-clear$' cat h/run/swtpm.args
	atf_check -o match:"^tpm.path=$(pwd -P)/h/run/w11.swtpm\$" \
	    -o match:'^tpm.type=swtpm$' -o match:'^tpm.version=2.0$' \
	    cat h/run/bhyve.conf
	atf_check -o match:'^swtpm [0-9]+ .*/h/run/w11.swtpm$' cat h/run/w11.undo
	atf_check -o match:'drwx------' ls -ld h/root/var/db/ptvm/w11.tpm
	pid=$(swtpm_pid)
	[ -n "$pid" ] && kill -0 "$pid" || atf_fail "swtpm does not run"
	# Stopped after bhyve; its state stays.
	atf_check -e ignore -o match:'bhyve powered off after a stop request' \
	    -o match:"stopped swtpm \\(pid $pid\\)" "$PTVM" -H h stop w11
	gone "$pid" || atf_fail "swtpm still runs"
	atf_check -s exit:1 test -e h/run/w11.swtpm
	atf_check -s exit:1 test -e h/run/w11.undo
	atf_check test -s h/root/var/db/ptvm/w11.tpm/tpm2-00.permall
	# The next start finds it.
	atf_check -e ignore -o ignore "$PTVM" -H h start w11
	atf_check -e ignore -o ignore "$PTVM" -H h stop w11
	atf_check test -s h/root/var/db/ptvm/w11.tpm/tpm2-00.permall
}
tpm_start_stop_cleanup()
{
	cleanup_vms
	for f in h/run/swtpm.[0-9]*; do
		[ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
	done
	return 0
}

atf_test_case tpm_start_fails cleanup
tpm_start_fails_body()
{
	tpmhost
	rm h/root/usr/local/bin/swtpm
	# start's preflight (check) refuses it first.
	atf_check -s exit:1 -o ignore \
	    -e match:'w11: FAIL: tpm: /usr/local/bin/swtpm: not installed' \
	    "$PTVM" -H h start w11
	atf_check -s exit:1 test -e h/run/bhyve.pid
	: > h/root/usr/local/bin/swtpm
	mkdir -p h/root/var/db/ptvm/w11.tpm
	chmod 0500 h/root/var/db/ptvm/w11.tpm
	atf_check -s exit:1 -o ignore \
	    -e match:'w11: FAIL: tpm: the TPM state directory /var/db/ptvm/w11.tpm is not writable' \
	    "$PTVM" -H h start w11
	chmod 0700 h/root/var/db/ptvm/w11.tpm
	# swtpm itself fails: no socket, nothing left running or journaled.
	echo 'nosocket=yes' > h/run/swtpm.ctl
	atf_check -s exit:1 -o ignore \
	    -e match:'error: w11: tpm=swtpm: swtpm \(pid [0-9]+\) made no socket .*/h/run/w11.swtpm within 3000 ms' \
	    "$PTVM" -H h start w11
	atf_check -s exit:1 test -e h/run/bhyve.pid
	atf_check -s exit:1 test -e h/run/w11.undo
	[ -z "$(swtpm_pid)" ] || atf_fail "swtpm still runs"
}
tpm_start_fails_cleanup()
{
	tpm_start_stop_cleanup
}

atf_test_case tpm_host_restore cleanup
tpm_host_restore_body()
{
	tpmhost
	atf_check -e ignore -o ignore "$PTVM" -H h start w11
	pid=$(swtpm_pid)
	bpid=$(cat h/run/bhyve.pid)
	# The supervisor and bhyve die; swtpm outlives them.
	kill -9 "$(cat h/run/w11.pid)"
	sleep 0.2
	kill -9 "$bpid"
	gone "$bpid" || atf_fail "bhyve still runs"
	kill -0 "$pid" || atf_fail "swtpm should outlive the supervisor"
	atf_check -o match:"stopped swtpm \\(pid $pid\\)" -e ignore \
	    "$PTVM" -H h host restore
	gone "$pid" || atf_fail "swtpm still runs"
	atf_check -s exit:1 test -e h/run/w11.undo
	atf_check -s exit:1 test -e h/run/w11.swtpm
}
tpm_host_restore_cleanup()
{
	tpm_start_stop_cleanup
}

atf_test_case tpm_reset cleanup
tpm_reset_body()
{
	tpmhost
	atf_check -e ignore -o ignore "$PTVM" -H h start w11
	atf_check -s exit:1 \
	    -e match:'w11 is running .*: its swtpm holds the TPM.s state; stop it first' \
	    "$PTVM" -H h tpm reset -y w11
	atf_check -e ignore -o ignore "$PTVM" -H h stop w11
	atf_check -s exit:1 -e match:'lost for good' \
	    -e match:'not reset: there is no terminal to confirm on; give -y to confirm' \
	    "$PTVM" -H h tpm reset w11 < /dev/null
	atf_check test -s h/root/var/db/ptvm/w11.tpm/tpm2-00.permall
	atf_check -o match:'w11: the TPM is reset \(/var/db/ptvm/w11.tpm emptied\)' \
	    "$PTVM" -H h tpm reset -y w11
	atf_check -s exit:1 test -e h/root/var/db/ptvm/w11.tpm/tpm2-00.permall
	atf_check test -d h/root/var/db/ptvm/w11.tpm
	printf 'cpus=1\nmemory=1G\n' > h/root/usr/local/etc/ptvm/plain.conf
	atf_check -s exit:1 -e match:'plain has no tpm=swtpm' \
	    "$PTVM" -H h tpm reset -y plain
	atf_check -s exit:2 -e match:'usage: ptvm tpm reset \[-y\] vm' \
	    "$PTVM" -H h tpm reset
}
tpm_reset_cleanup()
{
	tpm_start_stop_cleanup
}

atf_test_case status_address
status_address_body()
{
	deskhost
	# Stopped: no address (a neighbour entry would be stale).
	atf_check -o not-match:'address' -o not-match:'stream' \
	    "$PTVM" -H h status desk
	atf_check -o match:'"addresses":\[\],"remote":\{"kind":"sunshine","port":47989,"address":null,"answers":null,"probed_ago":null,"why":"the VM does not run"\}' \
	    "$PTVM" -H h status --json desk
	running_vm h desk
	atf_check -o match:'^  address  192.168.72.50 \(IPv4, 00:a0:98:77:00:17 on bridge0\)$' \
	    -o match:'^  address  fe80::2a0:98ff:fe77:17%bridge0 \(IPv6, 00:a0:98:77:00:17 on bridge0\)$' \
	    -o match:'^  stream   not known: not probed yet \(the supervisor probes every 15 s while the VM runs\)$' \
	    -o not-match:'192.168.72.1 ' "$PTVM" -H h status desk
	atf_check -o match:'"addresses":\[\{"address":"192.168.72.50","family":"inet","mac":"00:a0:98:77:00:17","interface":"bridge0"\},\{"address":"fe80::2a0:98ff:fe77:17%bridge0","family":"inet6"' \
	    "$PTVM" -H h status --json desk
	# What a supervisor found: shown while recent.
	printf 'time=%s\naddress=192.168.72.50\nanswers=no\nwhy=\n' \
	    "$(date +%s)" > h/run/desk.remote
	atf_check -o match:'^  stream   Sunshine does not answer on 192.168.72.50 port 47989' \
	    "$PTVM" -H h status desk
	printf 'time=1\naddress=192.168.72.50\nanswers=yes\nwhy=\n' \
	    > h/run/desk.remote
	atf_check -o match:'^  stream   not known: not probed yet' \
	    "$PTVM" -H h status desk
}

# sunhost: ./h, the guide's host with VM t1 on tap0 and remote=sunshine,
# its MAC (bhyve's for slot 2 of t1, 00:a0:98:b0:7d:b9: MD5 of "2-0-t1")
# in the neighbour table.
sunhost()
{
	lifehost
	printf 'cpus=1\nmemory=1G\npin=none\nconsole=none\nnet=tap0\nremote=sunshine\n' \
	    > h/root/usr/local/etc/ptvm/t1.conf
	printf '? (192.168.1.50) at 00:a0:98:b0:7d:b9 on bridge0 expires in 1200 seconds [ethernet]\n' \
	    > h/arp.txt
}

atf_test_case status_sunshine_from_supervisor cleanup
status_sunshine_from_supervisor_body()
{
	sunhost
	echo '192.168.1.50 47989 open' > h/reach.txt
	atf_check -e ignore -o ignore "$PTVM" -H h start t1
	i=0
	while [ ! -f h/run/t1.remote ]; do
		i=$((i + 1)); [ $i -gt 50 ] && atf_fail "no probe"
		sleep 0.1
	done
	atf_check -o match:'^answers=yes$' -o match:'^address=192.168.1.50$' \
	    cat h/run/t1.remote
	atf_check -o match:'^  address  192.168.1.50 \(IPv4, 00:a0:98:b0:7d:b9 on bridge0\)$' \
	    -o match:'^  stream   at 192.168.1.50 \(Moonlight: moonlight stream 192.168.1.50\)$' \
	    "$PTVM" -H h status t1
	atf_check -o match:'"remote":\{"kind":"sunshine","port":47989,"address":"192.168.1.50","answers":true,"probed_ago":[0-9]+,"why":null\}' \
	    "$PTVM" -H h status --json t1
	atf_check -e ignore -o ignore "$PTVM" -H h stop t1
	# Without DIR/reach.txt the captured host answers nothing, and
	# never connects anywhere.
	rm h/reach.txt h/run/t1.remote
	atf_check -e ignore -o ignore "$PTVM" -H h start t1
	i=0
	while [ ! -f h/run/t1.remote ]; do
		i=$((i + 1)); [ $i -gt 50 ] && atf_fail "no probe"
		sleep 0.1
	done
	atf_check -o match:'^  stream   not known: not captured \(DIR/reach.txt\)$' \
	    "$PTVM" -H h status t1
	atf_check -e ignore -o ignore "$PTVM" -H h stop t1
}
status_sunshine_from_supervisor_cleanup()
{
	cleanup_vms
}

atf_test_case status_no_address_yet
status_no_address_yet_body()
{
	deskhost
	running_vm h desk
	sed -i.bak '/00:a0:98:77:00:17/d' h/arp.txt h/ndp.txt
	atf_check -o match:'^  address  not known yet: the host.s neighbour tables have no entry for 00:a0:98:77:00:17 \(the guest has not talked on the network yet\)$' \
	    -o match:'^  stream   not known: not probed yet' \
	    "$PTVM" -H h status desk
	atf_check -o match:'"addresses":\[\],"remote":\{"kind":"sunshine","port":47989,"address":null,"answers":null,"probed_ago":null,"why":"not probed yet' \
	    "$PTVM" -H h status --json desk
	rm h/arp.txt h/ndp.txt
	atf_check -o match:'no entry for 00:a0:98:77:00:17 \(arp -an could not be read\)' \
	    "$PTVM" -H h status desk
	# The MAC is bhyve's own (freebsd.md#A3): ptvm writes none.
	atf_check -e ignore -o not-match:'mac=' "$PTVM" -H h show --config desk
	atf_check -e ignore -o not-match:'mac=' "$PTVM" -H h show --argv desk
	# A mac= of the VM file goes to bhyve and is looked for.
	echo 'net=tap1,mac=58:9c:fc:00:00:2a' >> h/root/usr/local/etc/ptvm/desk.conf
	printf '? (192.168.72.60) at 58:9c:fc:00:00:2a on bridge0 expires in 1187 seconds [ethernet]\n' \
	    > h/arp.txt
	atf_check -e ignore -o match:'^pci.0.2.1.mac=58:9c:fc:00:00:2a$' \
	    "$PTVM" -H h show --config desk
	atf_check -o match:'^  address  192.168.72.60 \(IPv4, 58:9c:fc:00:00:2a on bridge0\)$' \
	    "$PTVM" -H h status desk
}

atf_init_test_cases()
{
	atf_add_test_case sound_check_shares
	atf_add_test_case sound_check_no_device
	atf_add_test_case sound_check_cannot_record
	atf_add_test_case sound_bad_sndstat
	atf_add_test_case usb_devices
	atf_add_test_case usb_devices_unknown
	atf_add_test_case usb_check_keyboard
	atf_add_test_case usb_boot_disk
	atf_add_test_case tpm_check
	atf_add_test_case tpm_start_stop
	atf_add_test_case tpm_start_fails
	atf_add_test_case tpm_host_restore
	atf_add_test_case tpm_reset
	atf_add_test_case status_address
	atf_add_test_case status_no_address_yet
	atf_add_test_case status_sunshine_from_supervisor
}
