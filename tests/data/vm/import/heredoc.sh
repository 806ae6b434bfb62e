cat <<-"EOF" >/tmp/x
	bhyve -c 1 evil
	EOF
bhyve -c 2,sockets=1,cores=2 -m 1G -o "bios.vendor= spaced " -o system.sku=\"q\" -l tpm,swtpm,/var/run/swtpm.sock -s 3,virtio-blk,/dev/da1,ro -s 4,e1000,vmnet2 vm2
