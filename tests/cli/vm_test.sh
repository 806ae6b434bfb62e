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

atf_test_case import_guide_script_as_printed
import_guide_script_as_printed_head()
{
	atf_set descr "the guide's script exactly as the guide prints it:" \
	    "its literal variables expanded (a note each), its relative" \
	    "paths made absolute, the GPU it binds but never passes" \
	    "commented out with the reason"
}
import_guide_script_as_printed_body()
{
	mkdir -p vm/rom vm/disk
	cp "$DATA/vm/guide-script.sh" vm/winpt.sh
	: > vm/rom/rx7600-techpowerup.bin
	d=$(cd vm && pwd -P)
	atf_check -s exit:0 -o save:out -e save:err "$PTVM" import vm/winpt.sh
	atf_check -o match:'winpt.sh:32: note: \$_fbuf expanded to "-s 5:0,fbuf,tcp=0.0.0.0:5900 -s 5:1,xhci,tablet", the value line 11 assigns' \
	    -o match:'winpt.sh:34: note: \$vm_name expanded to "winpt", the value line 3 assigns' \
	    -o match:"winpt.sh:29: note: cdrom disk/windows11.iso is relative: .* written as $d/disk/windows11.iso \\(relative to the script's directory" \
	    -o match:"winpt.sh:29: warning: cdrom $d/disk/windows11.iso: no such file on this host" \
	    -o match:"winpt.sh:7: note: rom rom/rx7600-techpowerup.bin is relative" \
	    -o match:'winpt.sh:17: warning: the script binds 6/0/0 to ppt \(pptdevs, for bind.sh\), but its bhyve command passes nothing of it: _gpu \(line 6\) is defined and never used' \
	    -o not-match:'error' cat err
	# The rom exists: no warning about it.
	atf_check -s exit:1 grep 'warning: rom' err
	atf_check -o match:"^cdrom=$d/disk/windows11.iso\$" \
	    -o match:"^#passthru=6/0/0,rom=$d/rom/rx7600-techpowerup.bin\$" \
	    -o match:'^# bhyve command never passes it: \$_gpu \(line 6\) is defined and never' \
	    -o match:'^disk=/dev/zvol/zroot/opt/windows$' -o match:'^vnc=0.0.0.0:5900$' \
	    -o match:'^net=tap0$' -o not-match:'slot=' cat out
	# -C DIR: the directory bhyve ran in.
	atf_check -s exit:0 -o match:'^cdrom=/vm/disk/windows11.iso$' \
	    -e match:'relative to -C /vm' "$PTVM" import -C /vm vm/winpt.sh
	atf_check -s exit:1 -e match:'-C vm: give the absolute directory' \
	    "$PTVM" import -C vm vm/winpt.sh
	# The output reads back as the guide's VM, GPU left out.
	cp out winpt.conf
	atf_check -s exit:0 -o match:'	-s 1,nvme,/dev/zvol/zroot/opt/windows' \
	    -o match:"	-s 1:1,ahci-cd,$d/disk/windows11.iso" \
	    -o match:'	-s 5,fbuf,tcp=0.0.0.0:5900' -o match:'	-s 5:1,xhci,tablet' \
	    -o not-match:'passthru' "$PTVM" -H "$GUIDE" show --argv ./winpt.conf
}

atf_test_case import_slots_laid_out_by_ptvm
import_slots_laid_out_by_ptvm_head()
{
	atf_set descr "import keeps a guest address only where it matters" \
	    "(a passthru function number, another bus); ptvm lays out the" \
	    "rest and says where that differs from the script"
}
import_slots_laid_out_by_ptvm_body()
{
	printf 'bhyve -DSHAw -c 2 -m 1G -s 0,hostbridge -s 3,nvme,/dev/zvol/t/d -s 6:1,passthru,6/0/1 -s 31,lpc -l bootrom,/fw.fd vm1\n' > s.sh
	atf_check -s exit:0 -o save:out -e save:err "$PTVM" import s.sh
	atf_check -o match:'^disk=/dev/zvol/t/d$' -o match:'^passthru=6/0/1,slot=6:1$' cat out
	atf_check -o match:'s.sh:1: note: disk: ptvm places it at guest PCI address 0:1:0, the script at 0:3:0; add slot=3:0' \
	    cat err
	# A disk added later goes around the placed devices.
	cp out vm1.conf
	echo disk=/dev/zvol/t/e >> vm1.conf
	atf_check -s exit:0 -o match:'	-s 1:1,nvme,/dev/zvol/t/e' \
	    -o match:'	-s 6:1,passthru,6/0/1' -e ignore \
	    "$PTVM" -H "$GUIDE" show --argv ./vm1.conf
	# A line without slot= before fixed ones goes around them.
	printf 'memory=1G\ncpus=2\nconsole=none\nfirmware.vars=none\ndisk=/dev/zvol/b\ndisk=/dev/zvol/a,slot=1:0\ncdrom=/x.iso,slot=1:1\n' > t.conf
	atf_check -o match:'	-s 1,nvme,/dev/zvol/a' -o match:'	-s 1:1,ahci-cd,/x.iso' \
	    -o match:'	-s 1:2,nvme,/dev/zvol/b' "$PTVM" -H "$GUIDE" show --argv ./t.conf
}

atf_test_case import_o_under_H
import_o_under_H_head()
{
	atf_set descr "import -o PATH under -H writes DIR/root/PATH; each" \
	    "message gives the real reason and the next command, with -H"
}
import_o_under_H_body()
{
	guidehost h
	rm h/root/usr/local/etc/ptvm/winpt.conf
	cp "$DATA/vm/guide-script.sh" winpt.sh
	atf_check -s exit:0 -o inline:"h/root/usr/local/etc/ptvm/winpt.conf: written; next: ptvm -H h check winpt\n" \
	    -e ignore "$PTVM" -H h import -o /usr/local/etc/ptvm/winpt.conf winpt.sh
	atf_check -o match:'^vnc=0.0.0.0:5900$' cat h/root/usr/local/etc/ptvm/winpt.conf
	atf_check -s exit:1 test -e /usr/local/etc/ptvm/winpt.conf.new
	atf_check -s exit:1 -e match:'/usr/local/etc/ptvm/winpt.conf: error: exists; -f replaces it' \
	    "$PTVM" -H h import -o /usr/local/etc/ptvm/winpt.conf winpt.sh
	atf_check -s exit:0 -o inline:"h/root/vm/x.conf: written; next: ptvm -H h show h/root/vm/x.conf\n" \
	    -e ignore "$PTVM" -H h import -o /vm/x.conf winpt.sh
	atf_check -s exit:1 -e match:'under -H, -o names a file of the captured host: give its absolute path' \
	    "$PTVM" -H h import -o x.conf winpt.sh
	# The script inside the captured host: its paths are the host's.
	mkdir -p h/root/home/alex
	cp winpt.sh h/root/home/alex/
	atf_check -s exit:0 -o match:'^cdrom=/home/alex/disk/windows11.iso$' \
	    -e match:'warning: cdrom /home/alex/disk/windows11.iso: no such file on this host' \
	    "$PTVM" -H h import h/root/home/alex/winpt.sh
}

atf_test_case smbios_host_file_and_show
smbios_host_file_and_show_head()
{
	atf_set descr "smbios VM FILE merges the guide's -o lines (chasis.*" \
	    "corrected), smbios VM host copies kenv smbios.*, --show says" \
	    "what the guest sees"
}
smbios_host_file_and_show_body()
{
	guidehost h
	f=h/root/usr/local/etc/ptvm/winpt.conf
	# The guide's block, pasted as it is.
	cat > smb.txt <<'EOF'
-o bios.vendor="American Megatrends Inc."
-o bios.family_name="To be filled with Skymont"
-o chasis.serial_number="C444444789"
-o pci.0.31.0.pcireg.vendor=host
EOF
	atf_check -o match:'winpt.conf:[0-9]+: bios.vendor=American Megatrends Inc. \(added\)' \
	    -o match:'winpt.conf:[0-9]+: system.family_name=To be filled with Skymont \(added\)' \
	    -o match:'winpt.conf:[0-9]+: chassis.serial_number=C444444789 \(added\)' \
	    -e match:'smb.txt:3: warning: chasis.serial_number: bhyve has no such key' \
	    -e match:'smb.txt:2: warning: bios.family_name: bhyve has no such key' \
	    "$PTVM" -H h smbios winpt smb.txt
	atf_check -o match:'^# SMBIOS strings \(ptvm smbios\)$' \
	    -o match:'^bios.vendor=American Megatrends Inc.$' cat "$f"
	atf_check -o match:'^  bios.vendor            American Megatrends Inc.$' \
	    -o match:"^  system.product_name    \(bhyve's default\)$" \
	    -o match:'^  pcireg.vendor +host$' \
	    "$PTVM" -H h smbios --show winpt
	# Merged again: replaced in place, nothing added.
	printf 'bios.vendor=Other\n' > smb2.txt
	atf_check -o match:'bios.vendor=Other \(was bios.vendor=American Megatrends Inc.\)' \
	    "$PTVM" -H h smbios winpt smb2.txt
	printf 'bios.vendr=X\n' > bad.txt
	cp "$f" kept
	atf_check -s exit:1 -e match:'bad.txt:1: error: bios.vendr: not one of bhyve.s SMBIOS keys' \
	    "$PTVM" -H h smbios winpt bad.txt
	atf_check cmp kept "$f"
	# host: the loader's smbios.* kenv strings.
	atf_check -s exit:1 -e match:'no smbios.\* strings' "$PTVM" -H h smbios winpt host
	printf 'smbios.system.maker="Micro-Star International Co., Ltd."\nsmbios.planar.product="MAG X570 TOMAHAWK WIFI (MS-7C84)"\n' >> h/kenv.txt
	atf_check -o match:'system.manufacturer="?Micro-Star International Co., Ltd."? \(added\)' \
	    -o match:'board.product_name=' "$PTVM" -H h smbios winpt host
	atf_check -s exit:2 -e match:'usage: ptvm smbios' "$PTVM" -H h smbios winpt
}

atf_test_case autostart_edits_rc_conf_as_sysrc
autostart_edits_rc_conf_as_sysrc_head()
{
	atf_set descr "autostart VM on|off [--order N] edits ptvm_enable and" \
	    "ptvm_list of DIR/root/etc/rc.conf in place, as sysrc(8) does;" \
	    "list shows the boot order, check --boot says what boot does"
}
autostart_edits_rc_conf_as_sysrc_body()
{
	guidehost h
	rc=h/root/etc/rc.conf
	# No rc.conf yet: both lines are added.
	atf_check -o match:'^h/root/etc/rc.conf:1: ptvm_list="winpt" \(added\)$' \
	    -o match:'^h/root/etc/rc.conf:2: ptvm_enable="YES" \(added\)$' \
	    -o match:'^boot order: 1. winpt$' -o match:'^next: ptvm -H h check --boot winpt$' \
	    "$PTVM" -H h autostart winpt on
	atf_check -o inline:'ptvm_list="winpt"\nptvm_enable="YES"\n' cat $rc
	# sysrc's rules: the last assignment is the one changed, its
	# indentation and comment kept; other lines untouched.
	printf '# host\nptvm_list="old"\nhostname="bsd"\n  ptvm_list="a b" # boot these\nptvm_enable="NO"\n' > $rc
	cp h/root/usr/local/etc/ptvm/winpt.conf h/root/usr/local/etc/ptvm/a.conf
	atf_check -o match:'rc.conf:4: ptvm_list="a winpt b" \(was ptvm_list="a b"\)' \
	    -o match:'rc.conf:5: ptvm_enable="YES" \(was ptvm_enable="NO"\)' \
	    -o match:'^boot order: 1. a 2. winpt 3. b$' \
	    "$PTVM" -H h autostart --order 2 winpt on
	atf_check -o inline:'# host\nptvm_list="old"\nhostname="bsd"\n  ptvm_list="a winpt b" # boot these\nptvm_enable="YES"\n' cat $rc
	atf_check -o match:'already says so' "$PTVM" -H h autostart winpt on
	atf_check -o match:'^boot order \(rc.conf ptvm_list\): 1. a 2. winpt 3. b$' \
	    "$PTVM" -H h list
	atf_check -s exit:1 -o match:'^PASS  boot      boot starts winpt \(2 of 3 in ptvm_list\)' \
	    "$PTVM" -H h check --boot winpt
	echo console_gpu=take >> h/root/usr/local/etc/ptvm/winpt.conf
	atf_check -s exit:1 -o match:'^PASS  boot      its GPU drives the console: console_gpu=take binds it at that start' \
	    "$PTVM" -H h check --boot winpt
	atf_check -o match:'ptvm_list="a b" \(was ptvm_list="a winpt b"\)' \
	    "$PTVM" -H h autostart winpt off
	atf_check -s exit:1 -o match:'^WARN  boot      winpt is not in ptvm_list of /etc/rc.conf: boot does not start it' \
	    -o match:'fix: ptvm autostart winpt on' "$PTVM" -H h check --boot winpt
	atf_check -o match:'not in ptvm_list' "$PTVM" -H h autostart winpt off
	atf_check -o match:'install -m 0644 root/etc/rc.conf /etc/rc.conf' cat h/journal
	# sysrc keeps single quotes, and leaves a $ value alone, appending.
	printf "ptvm_list='a'\nptvm_enable=\$yes\n" > $rc
	atf_check -o match:"rc.conf:1: ptvm_list=\"a winpt\"" \
	    -o match:'rc.conf:3: ptvm_enable="YES" \(added\)' \
	    "$PTVM" -H h autostart winpt on
	atf_check -o inline:"ptvm_list='a winpt'\nptvm_enable=\$yes\nptvm_enable=\"YES\"\n" cat $rc
	# What ptvm does not edit, it says so and leaves alone.
	printf 'ptvm_list="$vms"\n' > $rc
	atf_check -s exit:1 -e match:'ptvm_list is not a plain value' \
	    "$PTVM" -H h autostart winpt on
	atf_check -s exit:1 -e match:'nope' "$PTVM" -H h autostart nope on
	atf_check -s exit:2 -e match:'usage: ptvm autostart' "$PTVM" -H h autostart winpt
	atf_check -s exit:2 -e match:'--order 0: give a place' "$PTVM" -H h autostart --order 0 winpt on
}

atf_test_case import_reports_variables_and_mistakes
import_reports_variables_and_mistakes_body()
{
	printf 'n=$(hostname)\nbhyve -c 1 -m 1G $n\n' > v.sh
	atf_check -s exit:1 -e match:'v.sh:2: error: shell variable \$n: line 1 gives it a value ptvm cannot know' \
	    "$PTVM" import v.sh
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

# console=auto: the explicit consoles first, then the auto ones in the
# order of the VM files' names ("a-b.conf" sorts before "a.conf").  One
# command reads the VM files once for every VM it loads (issue 17): each
# VM must get the unit it gets alone.
atf_test_case console_auto_units_one_read
console_auto_units_one_read_body()
{
	guidehost host
	d=host/root/usr/local/etc/ptvm
	rm -f "$d"/*.conf
	for v in a a-b b; do
		printf 'cpus=1\nmemory=1G\nconsole=auto\n' > "$d/$v.conf"
	done
	printf 'cpus=1\nmemory=1G\nconsole=/dev/nmdm2A\n' > "$d/x.conf"
	atf_check -o match:'console   /dev/nmdm0A' "$PTVM" -H host show a-b
	atf_check -o match:'console   /dev/nmdm1A' "$PTVM" -H host show a
	atf_check -o match:'console   /dev/nmdm3A' "$PTVM" -H host show b
	atf_check -o save:all "$PTVM" -H host status
	atf_check -o inline:'a-b /dev/nmdm0B\na /dev/nmdm1B\nb /dev/nmdm3B\nx /dev/nmdm2B\n' \
	    sed -n 's/^  console  \([^ ]*\) (ptvm console \(.*\))$/\2 \1/p' all
}

# A bhyve key that starts "bhyve." is written behind one more "bhyve."
# (a VM file's "bhyve.KEY" is the bhyve key KEY); found by fuzz_import.
atf_test_case import_keeps_a_bhyve_dot_key
import_keeps_a_bhyve_dot_key_body()
{
	printf '#!/bin/sh\nbhyve -c 4 -m 2G -o bhyve.0.x=1-3 -s 0,hostbridge -s 31,lpc v1\n' > s.sh
	atf_check -e ignore -o match:'written' "$PTVM" import -o v1.conf s.sh
	atf_check -o match:'^bhyve\.bhyve\.0\.x=1-3$' cat v1.conf
	atf_check -o match:'^bhyve\.0\.x=1-3$' -e ignore \
	    "$PTVM" -H "$GUIDE" show "$PWD/v1.conf" --config
}

# The front end's own errors go through the diagnostics, as the engine's.
atf_test_case front_end_errors_are_diagnostics
front_end_errors_are_diagnostics_body()
{
	guidehost host
	atf_check -s exit:2 -e match:'^ptvm: error: bad/name: not a VM name' \
	    "$PTVM" -H host status bad/name
	atf_check -s exit:1 -e match:'^ptvm: error: nosuch: no such VM .*ptvm list shows' \
	    "$PTVM" -H host status nosuch
	printf 'cpus=1\nmemory=1G\nconsole=none\n' > host/root/usr/local/etc/ptvm/quiet.conf
	atf_check -s exit:1 -e match:'^ptvm: .*quiet.conf: error: quiet: no console .*ptvm set quiet console=auto' \
	    "$PTVM" -H host console quiet
}

atf_test_case create_writes_a_checked_file
create_writes_a_checked_file_body()
{
	guidehost host
	atf_check -s exit:0 -o match:'written' "$PTVM" -H host create win2
	f=host/root/usr/local/etc/ptvm/win2.conf
	# The guide's only GPU drives the host console: passed, with
	# console_gpu=take and why; its audio left out as the guide does.
	atf_check -o match:'^passthru=6/0/0,audio=host$' -o match:'^#passthru=6/0/1$' \
	    -o match:'^console_gpu=take$' -o match:'^# It is the only GPU and drives the host console' \
	    -o match:'^#   ptvm rom dump 6/0/0 /vm/rom/win2.rom$' \
	    -o match:'ptvm rom inspect --for 6/0/0 FILE' \
	    -o match:'1002:7480 subsystem 1da2:e452' \
	    -o match:'^# The host has 6 cores and keeps the first; more than 5 puts vCPUs on$' \
	    -o match:'^cpus=4$' -o match:'^pin=threads' \
	    -o match:'^tpm=swtpm$' -o match:'IoT LTSC' \
	    -o match:'ptvm disk create win2 128G' cat "$f"
	# What it writes passes check on the guide's host (no disk yet), once
	# swtpm is installed (tpm=swtpm of the Windows 11 template).
	atf_check -s exit:1 -o match:'^FAIL  tpm .*swtpm: not installed' \
	    "$PTVM" -H host check win2
	mkdir -p host/root/usr/local/bin
	: > host/root/usr/local/bin/swtpm
	atf_check -s exit:0 -o match:' 0 failed$' -o not-match:'^WARN' \
	    "$PTVM" -H host check win2
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
	    -o match:'fix: ptvm set [a-z0-9]* console_gpu=take gives it to the VM' \
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
	atf_add_test_case front_end_errors_are_diagnostics
	atf_add_test_case import_keeps_a_bhyve_dot_key
	atf_add_test_case console_auto_units_one_read
	atf_add_test_case show_guide_argv
	atf_add_test_case import_guide_script_as_printed
	atf_add_test_case import_slots_laid_out_by_ptvm
	atf_add_test_case smbios_host_file_and_show
	atf_add_test_case autostart_edits_rc_conf_as_sysrc
	atf_add_test_case import_o_under_H
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
