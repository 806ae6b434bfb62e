bhyve -c 2 -s 0,hostbridge -s 3,ahci,hd:/a,cd:/b,ro -s 4,xhci,tablet -p 0:1 -o a.b=c vm
