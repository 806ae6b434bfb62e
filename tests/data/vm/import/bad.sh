bhyve -c 2 -m 16E -o "bios.vendor=x
disk=/dev/zvol/zroot/opt/windows" -l tpm,swtpm,/,/s vm4
