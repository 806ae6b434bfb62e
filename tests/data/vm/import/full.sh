#!/bin/sh
bhyve -DSHAw -c 4 -m 8G -l bootrom,/usr/local/share/edk2-bhyve/BHYVE_UEFI_CODE.fd,/vm/w.vars -l com1,/dev/nmdm3A \
  -s 0,hostbridge -s 31,lpc -s 1,nvme,/dev/zvol/z/w,ser=S1 -s 1:1,ahci-cd,/vm/i.iso -s 2,virtio-net,tap4,mac=58:9c:fc:00:00:01 \
  -s 5,fbuf,tcp=127.0.0.1:5901,w=1024,h=768 -s 5:1,xhci,tablet -s 7,passthru,6/0/0,rom=/vm/r.bin -s 7:1,passthru,6/0/1 -p 0:2 -p 1:3 vm1
