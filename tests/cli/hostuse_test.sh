# hostuse_test: check and bind refuse the host's own disks and network
# (issue 14 item 4).  tests/data/hosts/nvme-root is a captured host with
# its root pool on nvme0 and its default route on re0 (see its README).

# nvmehost: ./h, that host with vmm.ko, the UEFI firmware and VM t
# passing the functions given.
nvmehost()
{
	cp -R "$DATA/hosts/nvme-root" h
	mkdir -p h/root/boot/kernel h/root/usr/local/share/uefi-firmware \
	    h/root/usr/local/etc/ptvm
	: > h/root/boot/kernel/vmm.ko
	: > h/root/usr/local/share/uefi-firmware/BHYVE_UEFI_CODE.fd
	: > h/root/usr/local/share/uefi-firmware/BHYVE_UEFI_VARS.fd
	printf 'cpus=2\nmemory=2G\npin=none\nconsole=none\n' \
	    > h/root/usr/local/etc/ptvm/t.conf
	for p in "$@"; do
		echo "passthru=$p" >> h/root/usr/local/etc/ptvm/t.conf
	done
}

atf_test_case check_fails_root_nvme
check_fails_root_nvme_body()
{
	nvmehost 1/0/0
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  hostuse   pci0:1:0:0 \(nvme0\) holds zroot \(mounted at /, /tmp, /zroot and 2 more\), /dev/nda0p1 \(mounted at /boot/efi\), swap /dev/nda0p3: passing it through takes the host.s root file system away' \
	    -o match:'fix: remove passthru=1/0/0; if you really mean to take it from the host, add host_use=take' \
	    "$PTVM" -H h check t
}

atf_test_case check_fails_default_route_nic
check_fails_default_route_nic_body()
{
	nvmehost 39/0/0
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  hostuse   pci0:39:0:0 \(re0\) carries the default route \(re0\): passing it through cuts the host off its default route' \
	    "$PTVM" -H h check t
	# The SATA disk mounted at /backup is on ahci1, through ahcich3.
	rm -rf h
	nvmehost 43/0/0
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  hostuse   pci0:43:0:0 \(ahci1\) holds /dev/ada0p1 \(mounted at /backup\)' \
	    "$PTVM" -H h check t
}

atf_test_case check_fails_unknown_storage
check_fails_unknown_storage_body()
{
	# ahci0 holds nothing the host uses: it passes.
	nvmehost 38/0/0
	atf_check -e ignore -o match:'^PASS  hostuse   pci0:38:0:0 \(ahci0\): no mounted file system' \
	    "$PTVM" -H h check t
	# Without camcontrol devlist -v, the controllers of nda0 and ada0
	# are unknown, and could be it.
	rm h/camcontrol.txt
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  hostuse   pci0:38:0:0 \(ahci0\) is a storage controller and ptvm cannot rule out that the host uses it: pool zroot is on /dev/nda0p4, whose PCI controller ptvm cannot tell' \
	    -o match:'fix: run check on the live host, or capture it with ptvm host capture' \
	    "$PTVM" -H h check t
	# A camcontrol that fails tells nothing either (the live host runs
	# it; the captured host only reads camcontrol.txt).
	mkdir -p h/bin
	printf '#!/bin/sh\necho "<partial> at scbus0"\nexit 1\n' > h/bin/camcontrol
	chmod +x h/bin/camcontrol
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  hostuse   pci0:38:0:0 \(ahci0\) is a storage controller and ptvm cannot rule out' \
	    "$PTVM" -H h check t
	# Nothing captured at all: storage and network refused, USB warned.
	rm -rf h
	nvmehost 38/0/0 41/0/0 42/0/1
	rm h/mount.txt h/zpool-status.txt h/swap.txt h/netstat-rn.txt \
	    h/camcontrol.txt
	atf_check -s exit:1 -e ignore \
	    -o match:'^FAIL  hostuse   pci0:38:0:0 \(ahci0\) is a storage controller .*no mount -p output' \
	    -o match:'^FAIL  hostuse   pci0:41:0:0 \(iwm0\) is a network controller .*no netstat -rn output' \
	    -o match:'^WARN  hostuse   pci0:42:0:1 \(xhci0\) may carry the host.s own disks or network' \
	    "$PTVM" -H h check t
}

atf_test_case check_override_warns
check_override_warns_body()
{
	nvmehost 1/0/0,host_use=take 39/0/0,host_use=take
	atf_check -e ignore \
	    -o match:'^WARN  hostuse   pci0:1:0:0 \(nvme0\) holds zroot .*\(host_use=take: start takes it anyway\)' \
	    -o match:'^WARN  hostuse   pci0:39:0:0 \(re0\) carries the default route' \
	    -o match:', 0 failed$' "$PTVM" -H h check t
	rm -rf h
	nvmehost 1/0/0,host_use=yes
	atf_check -s exit:1 -e match:'passthru: host_use=yes: take or refuse' \
	    "$PTVM" -H h check t
}

atf_test_case bind_refuses_without_override
bind_refuses_without_override_body()
{
	nvmehost
	atf_check -s exit:1 \
	    -e match:'error: pci0:1:0:0 \(nvme0\) holds zroot .*: binding it takes the host.s root file system away; if you really mean it, bind --host-use=take' \
	    "$PTVM" -H h bind 1/0/0
	atf_check -s exit:1 -e match:'pci0:39:0:0 \(re0\) carries the default route' \
	    "$PTVM" -H h bind --console-gpu=take 39/0/0
	atf_check -s exit:1 test -e h/journal
	atf_check -o match:'devctl detach pci0:1:0:0' \
	    -e match:'warning: pci0:1:0:0 \(nvme0\) holds zroot .*it is taken' \
	    "$PTVM" -H h bind -n --host-use=take 1/0/0
	atf_check -s exit:2 -e match:usage "$PTVM" -H h bind --host-use=maybe 1/0/0
	# Nothing captured: an unknown storage controller is refused too.
	rm h/mount.txt
	atf_check -s exit:1 -e match:'pci0:38:0:0 \(ahci0\) may carry the host.s own disks or network and ptvm cannot rule it out' \
	    "$PTVM" -H h bind 38/0/0
}

atf_test_case gpu_unaffected
gpu_unaffected_body()
{
	nvmehost 47/0/0 47/0/1
	echo console_gpu=take >> h/root/usr/local/etc/ptvm/t.conf
	atf_check -s ignore -e ignore -o not-match:hostuse "$PTVM" -H h check t
	# Even with nothing captured of the host's disks and network.
	rm h/mount.txt h/zpool-status.txt h/swap.txt h/netstat-rn.txt
	atf_check -s ignore -e ignore -o not-match:hostuse "$PTVM" -H h check t
	atf_check -o match:'devctl detach pci0:47:0:1' \
	    -e not-match:'host.s own|holds|carries' \
	    "$PTVM" -H h bind -n --console-gpu=take 47/0/0 47/0/1
}

atf_init_test_cases()
{
	atf_add_test_case check_fails_root_nvme
	atf_add_test_case check_fails_default_route_nic
	atf_add_test_case check_fails_unknown_storage
	atf_add_test_case check_override_warns
	atf_add_test_case bind_refuses_without_override
	atf_add_test_case gpu_unaffected
}
