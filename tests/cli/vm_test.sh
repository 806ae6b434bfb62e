# vm_test.sh: VM files end to end: show, check, import, create.
# PTVM, DATA and TESTBIN are set by the Makefile.

GUIDE="$DATA/../../examples/hosts/guide-rx7600"

# guidehost DIR: a copy of the guide's captured host to change.
guidehost()
{
	cp -R "$GUIDE" "$1"
}

atf_test_case show_guide_argv
show_guide_argv_body()
{
	atf_check -s exit:0 -o save:argv "$PTVM" -H "$GUIDE" show winpt --argv
	# Every option of the guide's script, and the same slots.
	for l in '-DSHAw' '-c 8,sockets=1,cores=8,threads=1' '-m 16G' \
	    '-l bootrom,/usr/local/share/edk2-bhyve/BHYVE_UEFI_CODE.fd' \
	    '-l com1,/dev/nmdm0A' '-s 0,hostbridge' \
	    '-s 1,nvme,/dev/zvol/zroot/opt/windows' \
	    '-s 1:1,ahci-cd,/vm/iso/windows11.iso' '-s 2,virtio-net,tap0' \
	    '-s 5,fbuf,tcp=0.0.0.0:5900' '-s 5:1,xhci,tablet' \
	    '-s 7,passthru,6/0/0,rom=/vm/rom/rx7600-techpowerup.bin' \
	    '-s 31,lpc' '-p 0:0' 'winpt$'; do
		atf_check -o ignore grep -e "$l" argv
	done
	# ... and none of its mistakes.
	atf_check -s exit:1 grep -e 'chasis\|family_name\|-p 0,0' argv
	# The VM file is at most 15 lines.
	atf_check -o match:'^ *1[0-5] |^ *[0-9] ' wc -l \
	    "$GUIDE/root/usr/local/etc/ptvm/winpt.conf"
}

atf_test_case show_config_and_json
show_config_and_json_body()
{
	atf_check -s exit:0 -o save:cfg "$PTVM" -H "$GUIDE" show winpt --config
	for l in 'pci.0.7.0.device=passthru' 'pci.0.7.0.bus=6' \
	    'pci.0.7.0.slot=0' 'pci.0.7.0.func=0' 'memory.wired=true' \
	    'pci.0.1.1.port.0.type=cd' 'lpc.bootvars=/var/db/ptvm/winpt.vars' \
	    'vcpu.0.cpuset=0' 'x86.strictmsr=false' 'name=winpt'; do
		atf_check -o ignore grep -x -e "$l" cfg
	done
	atf_check -s exit:0 -o save:json "$PTVM" -H "$GUIDE" show --json winpt
	for s in '"name":"winpt"' '"argv":["/usr/sbin/bhyve"' \
	    '"bind":["6/0/0"]' '"pins":[{"vcpu":0,"cpu":0}' \
	    '"memory.size":"16G"' '"warnings":['; do
		atf_check -o ignore grep -F "$s" json
	done
}

# vmfile NAME: writes stdin to conf/NAME.conf for -c conf.
vmfile()
{
	mkdir -p conf
	cat > "conf/$1.conf"
}

atf_test_case typos_located_with_suggestions
typos_located_with_suggestions_body()
{
	guidehost host
	vmfile spoof <<'EOT'
cpus=4
memory=8G
pin=none
chasis.manufacturer=ASSUSTeK COMPUTER INC.
bios.family_name=To be filled
passthrough=6/0/0
memory.wird=true
EOT
	atf_check -s exit:1 \
	    -e match:'spoof.conf:4: error: .*did you mean chassis.manufacturer' \
	    -e match:'spoof.conf:5: error: .*system.family_name' \
	    -e match:'spoof.conf:6: error: passthrough: unknown key; did you mean passthru' \
	    -e match:'spoof.conf:7: error: .*memory.wired' \
	    "$PTVM" -H host -c conf show spoof
}

atf_test_case value_types_checked
value_types_checked_body()
{
	guidehost host
	vmfile bad <<'EOT'
cpus=eight
memory=16X
pin=0,0
on_crash=reboot
stop.timeout=0
isolate=maybe
acpi_tables=perhaps
vnc=0.0.0.0
console=/dev/nmdm3B
disk=relative/disk.img
EOT
	atf_check -s exit:1 \
	    -e match:'bad.conf:1: error: cpus: "eight"' \
	    -e match:'bad.conf:2: error: memory: "16X" is not a memory size' \
	    -e match:'bad.conf:4: error: on_crash: "reboot": give restart or stop' \
	    -e match:'bad.conf:5: error: stop.timeout' \
	    -e match:'bad.conf:6: error: isolate' \
	    -e match:'bad.conf:8: error: vnc' \
	    -e match:'bad.conf:9: error: console: give the A side' \
	    -e match:'bad.conf:10: error: disk: "relative/disk.img" is not an absolute path' \
	    "$PTVM" -H host -c conf show bad
	vmfile pin <<'EOT'
cpus=2
memory=1G
pin=0,0
EOT
	atf_check -s exit:1 -e match:'pin.conf:3: error: pin: "0,0" is not vcpu:hostcpu \(bhyve -p takes 0:2, not 0,2\)' \
	    "$PTVM" -H host -c conf show pin
	vmfile types <<'EOT'
cpus=2
memory=1G
pin=none
acpi_tables=perhaps
pci.0.31.0.pcireg.vendor=xyz
EOT
	atf_check -s exit:1 -e match:'types.conf:4: error: .*acpi_tables' \
	    -e match:'types.conf:5: error: .*pcireg.vendor' \
	    "$PTVM" -H host -c conf show types
}

atf_test_case cpus_zero_is_one_error
cpus_zero_is_one_error_body()
{
	guidehost host
	for n in 0 2000; do
		vmfile zero <<EOT
cpus=$n
memory=1G
pin=none
EOT
		# One error, on cpus; no phantom one on the derived cores.
		atf_check -s exit:1 -e match:'zero.conf:1: error: cpus' \
		    -e not-match:'cores' -e not-match:'sockets|threads' \
		    "$PTVM" -H host -c conf show zero
	done
}

atf_test_case slot_of_hostbridge_or_lpc_refused
slot_of_hostbridge_or_lpc_refused_body()
{
	guidehost host
	vmfile hb <<'EOT'
cpus=2
memory=1G
pin=none
disk=/dev/zvol/zroot/opt/windows,slot=0
cdrom=/vm/iso/windows11.iso,slot=31
net=tap0,slot=0:0:0
net=tap1,slot=31:0
EOT
	atf_check -s exit:1 \
	    -e match:'hb.conf:4: error: disk: slot=0: guest slot 0 is the hostbridge.s' \
	    -e match:'hb.conf:5: error: cdrom: slot=31: guest slot 31 is the LPC.s' \
	    -e match:'hb.conf:6: error: net: slot=0:0:0: guest slot 0 is the hostbridge.s' \
	    -e match:'hb.conf:7: error: net: slot=31:0: guest slot 31 is the LPC.s' \
	    -e match:'choose a slot from 1 to 30' \
	    "$PTVM" -H host -c conf show hb
	# Functions of those slots too, and passthru's slot=.
	vmfile hb2 <<'EOT'
cpus=2
memory=1G
pin=none
console=none
disk=/dev/zvol/zroot/opt/windows,slot=0:3
passthru=6/0/0,slot=31
EOT
	atf_check -s exit:1 \
	    -e match:'hb2.conf:5: error: disk: slot=0:3: guest slot 0 is the hostbridge.s' \
	    -e match:'hb2.conf:6: error: passthru: slot=31: guest slot 31 is the LPC.s' \
	    "$PTVM" -H host -c conf show hb2
	# Slots 1 and 30 are fine; the hostbridge and LPC stay.
	vmfile ok <<'EOT'
cpus=2
memory=1G
pin=none
disk=/dev/zvol/zroot/opt/windows,slot=1
cdrom=/vm/iso/windows11.iso,slot=30
EOT
	atf_check -s exit:0 -o match:'-s 0,hostbridge' -o match:'-s 31,lpc' \
	    -o match:'-s 30,ahci-cd' "$PTVM" -H host -c conf show --argv ok
}

atf_test_case net_name_is_letters_then_unit
net_name_is_letters_then_unit_body()
{
	guidehost host
	for v in 'tap0;id' 'tap0 x' 'tap0:1' 'tap0\' 'tap00x' 'bridge0/1'; do
		printf 'cpus=2\nmemory=1G\npin=none\nnet=%s\n' "$v" | vmfile n
		atf_check -s exit:1 \
		    -e match:'n.conf:4: error: net: ".*" is not an interface name such as tap0 or bridge0' \
		    "$PTVM" -H host -c conf show n
	done
	vmfile n <<'EOT'
cpus=2
memory=1G
pin=none
net=tap12
EOT
	atf_check -s exit:0 -o match:'-s 2,virtio-net,tap12' \
	    "$PTVM" -H host -c conf show --argv n
}

atf_test_case topology_nul_byte_located
topology_nul_byte_located_body()
{
	guidehost host
	# Byte 9, the first of line 2, becomes a NUL.
	{ head -c 9 "$GUIDE/topology.xml"; printf '\000'
	  tail -c +11 "$GUIDE/topology.xml"; } > host/topology.xml
	atf_check -s exit:1 \
	    -e match:'topology.xml:2: error: NUL byte at offset 9' \
	    -e not-match:'no element found' "$PTVM" -H host topology
	atf_check -s exit:1 \
	    -e match:'topology.xml:2: error: NUL byte at offset 9' \
	    -e not-match:'no element found' "$PTVM" -H host show winpt
}

atf_test_case slot_collision_names_both_lines
slot_collision_names_both_lines_body()
{
	guidehost host
	vmfile clash <<'EOT'
cpus=2
memory=1G
pin=none
disk=/dev/zvol/zroot/opt/windows,slot=4
cdrom=/vm/iso/windows11.iso,slot=4
pci.0.6.0.device=virtio-rnd
disk=/dev/zvol/zroot/opt/windows,slot=6:0
EOT
	atf_check -s exit:1 \
	    -e match:'clash.conf:5: error: guest PCI address 0:4:0 is already used by line 4' \
	    -e match:'clash.conf:7: error: guest PCI address 0:6:0 is already used by line 6' \
	    "$PTVM" -H host -c conf show clash
}

atf_test_case functions_share_a_slot
functions_share_a_slot_body()
{
	mkdir host
	cp "$DATA/pciconf/msi-x570-rx5700.txt" host/pciconf.txt 2>/dev/null ||
	    cp "$DATA/../../examples/hosts/msi-x570-rx5700/pciconf.txt" host/
	vmfile two <<'EOT'
cpus=2
memory=2G
pin=none
firmware=/fw/BHYVE_UEFI.fd
console=none
passthru=47/0/1
passthru=47/0/0
EOT
	atf_check -s exit:0 -o save:cfg "$PTVM" -H host -c conf show --config two
	atf_check -o ignore grep -x 'pci.0.7.0.func=0' cfg
	atf_check -o ignore grep -x 'pci.0.7.1.func=1' cfg
	atf_check -o ignore grep -x 'pci.0.7.1.bus=47' cfg
}

atf_test_case smbios_and_lpc_from_host
smbios_and_lpc_from_host_body()
{
	cp -R "$DATA/../../examples/hosts/msi-x570-rx5700" host
	vmfile spoof <<'EOT'
cpus=2
memory=2G
pin=none
firmware=/fw/BHYVE_UEFI.fd
smbios=host
lpc=host
system.product_name=My own
EOT
	atf_check -s exit:0 -o save:cfg "$PTVM" -H host -c conf show --config spoof
	atf_check -o ignore grep -x 'bios.vendor=American Megatrends International, LLC.' cfg
	atf_check -o ignore grep -x 'board.manufacturer=Micro-Star International Co., Ltd.' cfg
	atf_check -o ignore grep -x 'board.product_name=MPG X570 GAMING PLUS (MS-7C37)' cfg
	atf_check -o ignore grep -x 'system.manufacturer=Micro-Star International Co., Ltd.' cfg
	# The file's own key wins over the host's.
	atf_check -o ignore grep -x 'system.product_name=My own' cfg
	for r in vendor device subvendor subdevice; do
		atf_check -o ignore grep -x "pci.0.31.0.pcireg.$r=host" cfg
	done
}

atf_test_case import_round_trip
import_round_trip_body()
{
	guidehost host
	# The guide's script with absolute paths for its relative ones.
	sed -e 's|disk/windows11.iso|/vm/iso/windows11.iso|' \
	    -e 's|rom=rom/|rom=/vm/rom/|' "$DATA/vm/guide-expanded.sh" > guide.sh
	mkdir conf
	atf_check -s exit:0 -o match:'written' \
	    -e match:'guide.sh:[0-9]+: warning: -c 8 without sockets gives the guest 8 sockets' \
	    "$PTVM" import -o conf/winpt.conf guide.sh
	atf_check -s exit:0 -o save:shown "$PTVM" -H host -c conf show --config winpt
	# Every variable the script sets comes back unchanged.
	atf_check -s exit:0 -o save:script -e ignore sh -c \
	    "'$PTVM' import guide.sh >/dev/null && grep -v '^#' conf/winpt.conf"
	for l in 'cpus=8' 'memory.size=16g' 'pci.0.1.0.device=nvme' \
	    'pci.0.1.0.path=/dev/zvol/zroot/opt/windows' \
	    'pci.0.1.1.device=ahci' 'pci.0.1.1.port.0.type=cd' \
	    'pci.0.2.0.device=virtio-net' 'pci.0.2.0.backend=tap0' \
	    'pci.0.5.0.device=fbuf' 'pci.0.5.0.tcp=0.0.0.0:5900' \
	    'pci.0.5.1.device=xhci' 'pci.0.5.1.slot.1.device=tablet' \
	    'pci.0.7.0.device=passthru' 'pci.0.7.0.rom=/vm/rom/rx7600-techpowerup.bin' \
	    'lpc.com1.path=/dev/nmdm0A' 'acpi_tables=true' \
	    'destroy_on_poweroff=true' 'memory.wired=true' \
	    'x86.vmexit_on_hlt=true' 'x86.strictmsr=false' \
	    'lpc.bootrom=/usr/local/share/edk2-bhyve/BHYVE_UEFI_CODE.fd'; do
		atf_check -o ignore grep -x -e "$l" shown
	done
	atf_check -s exit:1 grep -e '^vcpu\.\|^lpc.bootvars' shown
}

atf_test_case import_reports_variables_and_mistakes
import_reports_variables_and_mistakes_body()
{
	atf_check -s exit:1 -e match:'guide-script.sh:34: error: shell variable \$vm_name' \
	    "$PTVM" import "$DATA/vm/guide-script.sh"
	printf 'bhyve -c 2 -m 1G -o chasis.version=1.0 -o bios.family_name=X -s 0,hostbridge -l bootrom,/fw.fd vm1\n' > s.sh
	atf_check -s exit:0 -o match:'^chassis.version=1.0' \
	    -o match:'^system.family_name=X' \
	    -e match:'chasis.version: bhyve has no such key' "$PTVM" import s.sh
	printf 'bhyve -c 2 -m 1G -p 0,0 vm1\n' > p.sh
	atf_check -s exit:1 -e match:'p.sh:1: error: .*0:0' "$PTVM" import p.sh
}

atf_test_case import_refuses_injection
import_refuses_injection_body()
{
	mkdir conf
	# A quoted newline in -o is one value to bhyve, never two VM lines.
	printf 'bhyve -c 2 -m 1G -l bootrom,/fw.fd \\\n  -o "bios.vendor=x\ndisk=/dev/zvol/zroot/opt/windows" vm1\n' > s.sh
	atf_check -s exit:1 \
	    -e match:'s.sh:2: error: bios.vendor: the value has a control character \(a newline\)' \
	    "$PTVM" import -o conf/vm1.conf s.sh
	atf_check -s exit:1 test -e conf/vm1.conf
	atf_check -s exit:1 -o not-match:'^disk=' -e ignore "$PTVM" import s.sh
	# What ptvm's compiler refuses is refused at the script's line.
	printf 'bhyve -c 2 \\\n  -m 16E -l bootrom,/fw.fd vm1\n' > m.sh
	atf_check -s exit:1 -e match:'m.sh:2: error: .*"16E" is not a memory size' \
	    "$PTVM" import m.sh
	printf 'bhyve -c 2 -m 1G -l bootrom,/fw.fd -l tpm,swtpm,/,/s vm1\n' > t.sh
	atf_check -s exit:1 -e match:'t.sh:1: error: tpm./s: not a key a VM file can hold' \
	    "$PTVM" import t.sh
	# A here-document is data, not a second bhyve command.
	printf 'cat <<EOF >notes\nbhyve -s 3,nvme,/dev/evil evil\nEOF\nbhyve -c 2 -m 1G -l bootrom,/fw.fd vm1\n' > h.sh
	atf_check -s exit:0 -o match:'^cpus=2$' -o not-match:'evil' \
	    -e match:'h.sh:4: warning: -c 2 without sockets' "$PTVM" import h.sh
}

atf_test_case import_topology_as_bhyve
import_topology_as_bhyve_body()
{
	# calc_topology(): "-c 8" alone is 8 sockets of 1 core.
	printf 'bhyve -c 8 -m 1G -s 0,hostbridge -l bootrom,/fw.fd vm1\n' > c.sh
	atf_check -s exit:0 -o match:'^# -c 8 without sockets gave the guest 8 sockets of 1 core' \
	    -o match:'^cpus=8$' -o not-match:'^sockets=' \
	    -e match:'c.sh:1: warning: .*8 sockets of 1 core.*sockets=8' \
	    "$PTVM" import c.sh
	# An explicit topology is kept as it is, without the remark.
	printf 'bhyve -c 8,sockets=1,cores=8 -m 1G -s 0,hostbridge -l bootrom,/fw.fd vm1\n' > k.sh
	atf_check -s exit:0 -o match:'^sockets=1$' -o match:'^cores=8$' \
	    -o not-match:'without sockets' "$PTVM" import k.sh
	# What bhyve refuses, ptvm refuses, at import already: cores=8
	# leaves sockets=cpus.
	mkdir conf
	printf 'bhyve -c 8,cores=8 -m 1G -s 0,hostbridge -l bootrom,/fw.fd vm1\n' > b.sh
	atf_check -s exit:1 \
	    -e match:'b.sh:1: error: .*sockets\*cores\*threads is 64 \(8\*8\*1, sockets unset' \
	    "$PTVM" import -o conf/vm1.conf b.sh
	atf_check -s exit:1 test -e conf/vm1.conf
}

atf_test_case check_wired_limit
check_wired_limit_body()
{
	guidehost host
	# The guide's host: 16 GiB of the default limit (4/5 of free pages).
	atf_check -s not-exit:0 -o match:'^PASS  wired     16384 MiB to wire; vm.max_user_wired allows 50846 MiB, 0 MiB wired by users now$' \
	    -o match:'^PASS  memory    16384 MiB of 65412 MiB' \
	    "$PTVM" -H host check winpt
	# FreeBSD 13's default (a third of free pages) and 9 GiB mlock'ed.
	sed -i.bak -e 's/^vm.max_user_wired: .*/vm.max_user_wired: 5423573/' \
	    -e 's/^vm.stats.vm.v_user_wire_count: .*/vm.stats.vm.v_user_wire_count: 2359296/' \
	    host/sysctl.txt
	atf_check -s not-exit:0 \
	    -o match:'^FAIL  wired     16384 MiB to wire, but vm.max_user_wired allows 21185 MiB and users have 9216 MiB wired \(vm.stats.vm.v_user_wire_count\): bhyve would stop with "Unable to setup memory \(12\)"$' \
	    -o match:'fix: sysctl vm.max_user_wired=6553600, and vm.max_user_wired=6553600 in /etc/sysctl.conf to keep it' \
	    "$PTVM" -H host check winpt
	# A host that does not tell: skipped, hw.physmem still checked.
	sed -i.bak '/^vm.max_user_wired: /d' host/sysctl.txt
	atf_check -s not-exit:0 -o match:'^SKIP  wired     vm.max_user_wired unknown' \
	    -o match:'^PASS  memory    16384 MiB of 65412 MiB' \
	    "$PTVM" -H host check winpt
}

atf_test_case create_writes_a_checked_file
create_writes_a_checked_file_body()
{
	guidehost host
	atf_check -s exit:0 -o match:'written' "$PTVM" -H host create win2
	f=host/root/usr/local/etc/ptvm/win2.conf
	# The guide's only GPU drives the host console: offered, commented.
	atf_check -o match:'^#passthru=6/0/0' -o match:'host console' \
	    -o match:'^tpm=swtpm$' -o match:'IoT LTSC' \
	    -o match:'^cpus=5' -o match:'^pin=threads' cat "$f"
	atf_check -s exit:0 -o match:'^win2 ' -o match:'nmdm1A' \
	    "$PTVM" -H host show win2
	atf_check -s exit:1 -e match:'exists' "$PTVM" -H host create win2
	atf_check -o match:'root/usr/local/etc/ptvm/win2.conf' cat host/journal
}

atf_test_case check_reports_and_fails
check_reports_and_fails_body()
{
	atf_check -s exit:1 -o match:'^FAIL  rom       /vm/rom/rx7600-techpowerup.bin' \
	    -o match:'^PASS  disk      /dev/zvol/zroot/opt/windows present' \
	    -o match:'^PASS  iommu     AMD-Vi: start sets hw.vmm.amdvi.enable=1' \
	    -o match:'^FAIL  passthru  6/0/0 drives the host console; with console_gpu=refuse' \
	    -o match:'fix: set console_gpu=take in the VM file' \
	    "$PTVM" -H "$GUIDE" check winpt
	atf_check -s exit:1 -o match:'"check":"rom","status":"fail"' \
	    -o match:'"failed":2' "$PTVM" -H "$GUIDE" check --json winpt
}

# A FIFO where ptvm reads a file (rom=, a captured host's file) used to
# block the open for ever: check, start and rc.d autostart hung.  timeout
# turns a regression into a failure (exit 124) instead of a hang.
atf_test_case check_fifo_rom_returns_at_once
check_fifo_rom_returns_at_once_body()
{
	cp -R "$GUIDE" h
	mkdir -p h/root/vm/rom
	mkfifo h/root/vm/rom/rx7600-techpowerup.bin
	atf_check -s exit:1 -o match:'^FAIL  rom       /vm/rom/rx7600-techpowerup.bin: is a FIFO, not a regular file' \
	    timeout 10 "$PTVM" -H h check winpt
	cp -R "$GUIDE" h2
	rm h2/sysctl.txt
	mkfifo h2/sysctl.txt
	atf_check -s exit:1 -o match:'^SKIP  wired     vm.max_user_wired unknown' \
	    timeout 10 "$PTVM" -H h2 check winpt
}

atf_init_test_cases()
{
	atf_add_test_case show_guide_argv
	atf_add_test_case show_config_and_json
	atf_add_test_case typos_located_with_suggestions
	atf_add_test_case value_types_checked
	atf_add_test_case slot_collision_names_both_lines
	atf_add_test_case cpus_zero_is_one_error
	atf_add_test_case slot_of_hostbridge_or_lpc_refused
	atf_add_test_case net_name_is_letters_then_unit
	atf_add_test_case topology_nul_byte_located
	atf_add_test_case functions_share_a_slot
	atf_add_test_case smbios_and_lpc_from_host
	atf_add_test_case check_fifo_rom_returns_at_once
	atf_add_test_case import_round_trip
	atf_add_test_case import_reports_variables_and_mistakes
	atf_add_test_case import_topology_as_bhyve
	atf_add_test_case import_refuses_injection
	atf_add_test_case check_wired_limit
	atf_add_test_case create_writes_a_checked_file
	atf_add_test_case check_reports_and_fails
}
