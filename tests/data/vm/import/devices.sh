bhyve -S -c 4 -m 4G -s 3,ahci-hd,/dev/da0,nocache,sectorsize=512 -s 4,ahci,hd:/a,cd:/b -s 1:2:0,virtio-net,tap1 -s 6,fbuf,tcp=0.0.0.0:5902 -s 6:1,xhci,tablet vm5
