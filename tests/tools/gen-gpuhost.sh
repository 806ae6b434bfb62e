#!/bin/sh
# gen-gpuhost.sh N DIR: a captured host whose every slot holds a GPU
# (VGA function + HDMI audio function): N functions in all.
n=$1 dir=$2
mkdir -p "$dir"
awk -v n="$n" 'BEGIN {
	for (i = 0; i < n / 2; i++) {
		bus = 1 + int(i / 32); slot = i % 32;
		printf "vgapci%d@pci0:%d:%d:0:\tclass=0x030000 rev=0xc1 hdr=0x00 vendor=0x1002 device=0x7480 subvendor=0x1002 subdevice=0x0e31\n", i, bus, slot
		printf "    vendor     = '\''Advanced Micro Devices, Inc. [AMD/ATI]'\''\n"
		printf "    device     = '\''Navi 33 [Radeon RX 7600]'\''\n"
		printf "    class      = display\n    subclass   = VGA\n\n"
		printf "hdac%d@pci0:%d:%d:1:\tclass=0x040300 rev=0x00 hdr=0x00 vendor=0x1002 device=0xab30 subvendor=0x1002 subdevice=0xab30\n", i, bus, slot
		printf "    vendor     = '\''Advanced Micro Devices, Inc. [AMD/ATI]'\''\n"
		printf "    device     = '\''Navi 31 HDMI/DP Audio'\''\n"
		printf "    class      = multimedia\n    subclass   = HDA\n\n"
	}
}' > "$dir/pciconf.txt"
: > "$dir/sysctl.txt"; : > "$dir/kenv.txt"; : > "$dir/kldstat.txt"
