bhyve -AHP -c 2 -m 1024M -l com2,tcp=127.0.0.1:4444 -l com1,/dev/nmdm9B -l fwcfg,qemu -l pc-testdev -s 30,hda,play=/dev/dsp0 vm7
