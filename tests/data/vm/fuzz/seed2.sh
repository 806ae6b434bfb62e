bhyve -AHP -s 2:1:0,passthru,pci0:6:0:1,rom=/r -l tpm,swtpm,/s -l bootrom,/a,/b -G w1.2.3.4:5 -c cpus=2,sockets=2 x
