bhyve -c cpus=4,sockets=2,cores=2 -m 2G -o memory.size=1G -obhyve.0.cpu0et=1-3 -p 1:5 -G w127.0.0.1:1234 -K de -o lpc.bootrom='/fw\%y' -s 1,nvme,'/a\\b' -o pci.1.9.0.device=virtio-rnd vé6
