# rom_test.sh: "ptvm rom inspect|trim|extract|dump" end to end.
# PTVM (the binary) and DATA (tests/data) are set by the Makefile.

R="$DATA/roms"

atf_test_case inspect_usable_rom
inspect_usable_rom_body()
{
	atf_check -s exit:0 -o match:"image 1 at 0x12800: EFI" \
	    -o match:"machine X64 \(0x8664\)" \
	    -o match:"verdict: usable by bhyve's UEFI" \
	    "$PTVM" rom inspect "$R/efi-virtio.rom"
}

atf_test_case inspect_json_fields
inspect_json_fields_body()
{
	atf_check -s exit:1 -o save:out.json "$PTVM" rom inspect --json \
	    "$R/vgabios-stdvga.bin"
	for s in '"size":39936' '"leading_junk":0' '"offset":0' \
	    '"code_type":0' '"type":"x86"' '"vendor_id":"0x1234"' \
	    '"device_id":"0x1111"' '"class":"0x030000"' '"last":true' \
	    '"checksum_ok":true' '"usable":false'; do
		atf_check -o ignore grep -F "$s" out.json
	done
	atf_check -s exit:0 -o match:'"machine":"X64"' \
	    -o match:'"usable":true' "$PTVM" rom inspect --json \
	    "$R/efi-virtio.rom"
}

atf_test_case inspect_located_errors
inspect_located_errors_body()
{
	atf_check -s exit:1 -o match:"NOT usable" -e match:"vgabios-isavga.bin: \
offset 0x18: error: PCIR pointer is 0" "$PTVM" rom inspect \
	    "$R/vgabios-isavga.bin"
	atf_check -s exit:1 -o ignore -e match:"offset 0x0: warning: x86 image \
checksum is bad" "$PTVM" rom inspect "$R/fwupd-header-data-payload.rom"
	atf_check -s exit:1 -e match:"No such file" "$PTVM" rom inspect \
	    nonexistent.rom
}

atf_test_case inspect_leading_header
inspect_leading_header_body()
{
	atf_check -s exit:1 -o match:"leading header: 128 bytes \(NVIDIA IFR" \
	    -o match:"ptvm rom trim" -e ignore "$PTVM" rom inspect \
	    "$R/fwupd-ifr-header-data-payload.rom"
}

atf_test_case inspect_techpowerup_name
inspect_techpowerup_name_body()
{
	cp "$R/efi-virtio.rom" Sapphire.RX7600.8192.221215.rom
	atf_check -s exit:0 -o match:"Sapphire RX7600, 8192 MiB VRAM, \
2022-12-15" -o match:"the name's claim" "$PTVM" rom inspect \
	    Sapphire.RX7600.8192.221215.rom
}

atf_test_case inspect_for_device
inspect_for_device_body()
{
	mkdir host
	f='class=0x020000 rev=0x00 hdr=0x00 vendor=0x1af4 device=0x1041'
	printf 'virtio_pci0@pci0:0:3:0:\t%s subvendor=0x1af4 subdevice=0x1100\n' \
	    "$f" > host/pciconf.txt
	f='class=0x030000 rev=0x00 hdr=0x00 vendor=0x1234 device=0x1111'
	printf 'vgapci0@pci0:0:2:0:\t%s subvendor=0x1af4 subdevice=0x1100\n' \
	    "$f" >> host/pciconf.txt
	atf_check -s exit:0 -o match:"the ROM's IDs match" -e ignore \
	    "$PTVM" -H host rom inspect --for 0/3/0 "$R/efi-virtio.rom"
	atf_check -s exit:0 -o match:"MISMATCH" -e match:"x86 image is for \
1af4:1041 \(and its device list\), the device is 1234:1111" \
	    -e match:"efi image is for 1af4:1041, the device is 1234:1111" \
	    "$PTVM" -H host rom inspect --for vgapci0 "$R/efi-virtio.rom"
	atf_check -s exit:0 -o match:'"for":\{"device":' \
	    -o match:'"match":false' -e ignore "$PTVM" -H host rom inspect \
	    --json --for pci0:0:2:0 "$R/efi-virtio.rom"
	atf_check -s exit:1 -o ignore -e match:"error" "$PTVM" -H host rom \
	    inspect --for 9/9/9 "$R/efi-virtio.rom"
}

atf_test_case trim_removes_header
trim_removes_header_body()
{
	cp "$R/fwupd-ifr-header-data-payload.rom" in.rom
	chmod 444 in.rom
	cksum in.rom > before
	atf_check -s exit:0 -o match:"128 leading bytes removed" -e ignore \
	    "$PTVM" rom trim in.rom out.rom
	tail -c 512 in.rom > expect
	atf_check cmp out.rom expect
	cksum in.rom > after
	atf_check cmp before after
	atf_check -s exit:1 -o match:"leading_junk\":0" -e ignore \
	    "$PTVM" rom inspect --json out.rom
	atf_check -s exit:1 -e match:"out.rom: error: exists; use -f" \
	    "$PTVM" rom trim in.rom out.rom
	atf_check -s exit:0 -o ignore -e ignore "$PTVM" rom trim -f in.rom \
	    out.rom
	atf_check cmp out.rom expect
	atf_check -s exit:2 -e match:"never edits its input" \
	    "$PTVM" rom trim -f in.rom in.rom
	atf_check -s exit:1 -e match:"no x86 image with a valid PCIR" \
	    "$PTVM" rom trim "$R/vgabios-isavga.bin" x.rom
	atf_check test ! -e x.rom
}

atf_test_case extract_vfct_images
extract_vfct_images_body()
{
	atf_check -s exit:0 -o match:"2 images" \
	    -o match:"pci0:5:0:0 \(bhyve 5/0/0\): 1002:164e subsystem \
1043:8877" -o match:"1002:1638 subsystem 1462:7c37" \
	    "$PTVM" rom extract "$R/synthetic-vfct-2images.dat" out
	atf_check -s exit:1 -o match:'"vendor_id":"0x1002"' \
	    -o match:'"device_id":"0x164e"' -e ignore "$PTVM" rom inspect \
	    --json out/vbios-1002-164e.rom
	atf_check test -s out/vbios-1002-1638.rom
	atf_check -s exit:1 -e match:"out/vbios-1002-164e.rom: error: \
exists; use -f" -o ignore "$PTVM" rom extract \
	    "$R/synthetic-vfct-2images.dat" out
	atf_check -s exit:0 -o ignore -e ignore "$PTVM" rom extract -f \
	    "$R/synthetic-vfct-2images.dat" out
}

atf_test_case extract_vfct_bad_checksum
extract_vfct_bad_checksum_body()
{
	atf_check -s exit:1 -e match:"offset 0x9: error: table checksum is \
bad" "$PTVM" rom extract "$R/synthetic-vfct-badsum.dat" out
	atf_check test ! -e out
	atf_check -s exit:1 -e match:"VFCT signature missing" \
	    "$PTVM" rom extract "$R/efi-virtio.rom" out
}

atf_test_case dump_explains_the_ways
dump_explains_the_ways_body()
{
	mkdir host
	f='class=0x030000 rev=0x00 hdr=0x00 vendor=0x1002 device=0x7480'
	printf 'ppt0@pci0:6:0:0:\t%s subvendor=0x1da2 subdevice=0xe452\n' \
	    "$f" > host/pciconf.txt
	atf_check -s exit:1 -o match:"GPU-Z" -o match:"acpidump -b" \
	    -o match:"ptvm rom extract vfct.dat" -o match:"techpowerup" \
	    -e match:"captured host" "$PTVM" -H host rom dump 6/0/0 out.rom
	atf_check test ! -e out.rom
}

atf_test_case dump_captured_rom
dump_captured_rom_body()
{
	mkdir -p host/rom
	f='class=0x030000 rev=0x00 hdr=0x00 vendor=0x1234 device=0x1111'
	printf 'vgapci0@pci0:0:2:0:\t%s subvendor=0x0000 subdevice=0x0000\n' \
	    "$f" > host/pciconf.txt
	cp "$R/vgabios-stdvga.bin" host/rom/pci0:0:2:0.rom
	atf_check -s exit:0 -o match:"39936 bytes read from the ROM BAR" \
	    "$PTVM" -H host rom dump 0/2/0 out.rom
	atf_check cmp "$R/vgabios-stdvga.bin" out.rom
	# An existing file is kept unless -f is given.
	atf_check -s exit:1 -e match:"exists" \
	    "$PTVM" -H host rom dump 0/2/0 out.rom
	atf_check -s exit:0 -o ignore "$PTVM" -H host rom dump -f 0/2/0 out.rom
}

atf_test_case usage_errors
usage_errors_body()
{
	atf_check -s exit:2 -e match:"usage: ptvm rom inspect" \
	    "$PTVM" rom inspect
	atf_check -s exit:2 -e match:"usage: ptvm rom trim" \
	    "$PTVM" rom trim onlyone
	atf_check -s exit:2 -e match:"usage: ptvm rom extract" \
	    "$PTVM" rom extract
	atf_check -s exit:2 -e ignore "$PTVM" rom nosuch
}

atf_init_test_cases()
{
	atf_add_test_case inspect_usable_rom
	atf_add_test_case dump_captured_rom
	atf_add_test_case inspect_json_fields
	atf_add_test_case inspect_located_errors
	atf_add_test_case inspect_leading_header
	atf_add_test_case inspect_techpowerup_name
	atf_add_test_case inspect_for_device
	atf_add_test_case trim_removes_header
	atf_add_test_case extract_vfct_images
	atf_add_test_case extract_vfct_bad_checksum
	atf_add_test_case dump_explains_the_ways
	atf_add_test_case usage_errors
}
