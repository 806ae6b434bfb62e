# devices_test: "ptvm devices" on real captures.

atf_test_case devices_navi_switch_table
devices_navi_switch_table_body()
{
	captured_only "the names are pciconf -lv's; the live host has none"
	mkhost h msi-ms7c37-x570-rx5700-navi10-switch-fbsd13.1.txt
	atf_check -o match:'^GPU pci0:47:0:0  Navi 10' \
	    -o match:'pci0:45:0:0 +pcib11 +PCIe switch bridge +never' \
	    -o match:'pci0:47:0:1 +hdac0 +HDMI/DP audio +yes' \
	    -o match:'pass: 47/0/0 47/0/1$' \
	    -o match:'^    note: 47/0/1 \(HDMI/DP audio\) gives the guest sound over the monitor.s cable, but on AMD passing it can make the reset bug worse \(Error 43 in Windows\); to pass the GPU alone write passthru=47/0/0,audio=host$' \
	    "$PTVM" -H h devices
}

atf_test_case devices_json_schema
devices_json_schema_body()
{
	mkhost h partial-rx7600-navi33-ryzen5800x-ptnotes-blog.txt
	atf_check -o save:out "$PTVM" -H h devices --json
	atf_check -o match:'"selector":"pci0:6:0:0","driver":"vgapci0","vendor_id":"0x1002","device_id":"0x7480","subvendor_id":"0x1da2","subdevice_id":"0xe452","class":"0x030000"' \
	    -o match:'"selector":"pci0:6:0:1","driver":null' \
	    -o match:'"gpus":\[\{"selector":"pci0:6:0:0","functions":\["pci0:6:0:0","pci0:6:0:1"\],"recommended":\["6/0/0","6/0/1"\],"switch_bridges":\["pci0:4:0:0","pci0:5:0:0"\]' \
	    cat out
	if command -v python3 >/dev/null; then
		atf_check -o ignore python3 -m json.tool out
	fi
}

atf_test_case devices_turing_and_ppt
devices_turing_and_ppt_body()
{
	mkhost h msi-ms7c36-ryzen-gtx1660ti-turing-ucsi-plus-gtx960-on-ppt-fbsd13.0-stable.txt
	atf_check -o match:'pass: 49/0/0 49/0/1 49/0/2 49/0/3$' \
	    -o match:'pass: 50/0/0 50/0/1  \(all on ppt already\)' \
	    -o match:'USB-C UCSI' -o match:'probably: the first VGA device' \
	    "$PTVM" -H h devices
	atf_check -o match:'^pci0:6:0:130 +ppt0' -o ignore -x \
	    "cp $DATA/pciconf/gigabyte-z370m-d3h-sriov-vfs-on-ppt-ari-func-fbsd13.1.txt h/pciconf.txt && $PTVM -H h devices -a"
}

atf_test_case devices_bad_capture_is_located
devices_bad_capture_is_located_body()
{
	captured_only "the located errors are of pciconf.txt"
	mkdir h
	printf 'hostb0@pci0:0:0:0:\tclass=0x060000 vendor=0x1022 device=0x1\nvgapci0@pci0:1:99:0:\tclass=0x030000 vendor=0x1\n' > h/pciconf.txt
	atf_check -s exit:1 -e match:'pciconf.txt:2: error: slot 99 out of range' \
	    "$PTVM" -H h devices
	rm h/pciconf.txt
	atf_check -s exit:1 -e match:'pciconf.txt is missing' "$PTVM" -H h devices
	atf_check -s exit:1 -e match:'not a captured host directory' \
	    "$PTVM" -H nonexistent devices
	head -c 5000 /dev/urandom > h/pciconf.txt
	atf_check -s exit:1 -e match:'error' "$PTVM" -H h devices
}

atf_test_case devices_caps_of_every_capture
devices_caps_of_every_capture_head()
{
	atf_set descr "the capabilities of every function of every capture" \
	    "(PCI Express type, MSI, MSI-X, FLR), as the captured host" \
	    "parses them and as the live host walks their lists"
}
devices_caps_of_every_capture_body()
{
	ex='s/.*"selector":"\([^"]*\)".*"pcie":\([^,]*\),"msi":\([^,]*\),"msix":\([^,]*\),"flr":\([^,}]*\)}.*/\1 \2 \3 \4 \5/p'
	for f in "$DATA"/pciconf/*.txt; do
		b=$(basename "$f" .txt)
		rm -rf h
		mkhost h "$b.txt"
		atf_check -o save:out.json "$PTVM" -H h devices -a --json
		tr '{' '\n' < out.json | sed -n "$ex" > caps
		atf_check -o file:"$DATA/caps/$b.txt" cat caps
	done
}

atf_init_test_cases()
{
	atf_add_test_case devices_caps_of_every_capture
	atf_add_test_case devices_navi_switch_table
	atf_add_test_case devices_json_schema
	atf_add_test_case devices_turing_and_ppt
	atf_add_test_case devices_bad_capture_is_located
}
