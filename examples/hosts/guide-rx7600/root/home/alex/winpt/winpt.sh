#!/bin/sh

vm_name=winpt
pptdevs="6/0/0"

_gpu="
	-s 7:0,passthru,6/0/0,rom=rom/rx7600-techpowerup.bin
"
	# -s 7:1,passthru,6/0/1

_fbuf="
	-s 5:0,fbuf,tcp=0.0.0.0:5900
	-s 5:1,xhci,tablet
"

# bind the gpu to ppt
pptdevs=$pptdevs "/home/alex/Desktop/dev/ptnotes/scripts/pci/bind.sh"

_d(){ [ -e /dev/vmm/$vm_name ] && bhyvectl --destroy --vm $vm_name; }
trap _d INT EXIT
_d
bhyve -DSHAw \
	-c 8 -m 16g \
	-l bootrom,/usr/local/share/edk2-bhyve/BHYVE_UEFI_CODE.fd \
	-l com1,/dev/nmdm0A \
	-s 0,hostbridge -s 31,lpc \
	\
	-s 1:0,nvme,/dev/zvol/zroot/opt/windows \
	-s 1:1,ahci-cd,disk/windows11.iso \
	-s 2,virtio-net,tap0 \
	\
	$_fbuf \
	\
	$vm_name

echo $?
