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

# The output of rom trim, extract and dump is never written through a
# symbolic link (ptvm runs as root; the directory may be a user's): the
# link is refused by name and the file it names keeps its contents and
# mode.  A replaced file keeps its owner.
# fstat FILE: "UID:GID MODE" (GNU or BSD stat).
fstat()
{
	stat -c '%u:%g %a' "$1" 2>/dev/null || stat -f '%u:%g %Lp' "$1"
}

atf_test_case write_refuses_symlink_output
write_refuses_symlink_output_body()
{
	cp "$R/fwupd-ifr-header-data-payload.rom" in.rom
	printf 'secret\n' > victim
	chmod 600 victim
	ln -s victim out.rom
	for f in "" -f; do
		atf_check -s exit:1 -e match:'out.rom: error: is a symbolic link: ptvm does not write through one' \
		    -o ignore "$PTVM" rom trim $f in.rom out.rom
		atf_check test -L out.rom
		atf_check -o inline:'secret\n' cat victim
		[ "$(fstat victim | cut -d' ' -f2)" = 600 ] ||
		    atf_fail "victim's mode changed: $(fstat victim)"
	done
	mkdir out
	ln -s ../victim out/vbios-1002-164e.rom
	atf_check -s exit:1 -e match:'is a symbolic link' -o ignore \
	    "$PTVM" rom extract -f "$R/synthetic-vfct-2images.dat" out
	atf_check -o inline:'secret\n' cat victim
	atf_check -o inline:'' sh -c 'ls -a | grep "\.ptvm\." || true'
	if [ "$(id -u)" = 0 ]; then
		rm out.rom
		atf_check -o ignore -e ignore "$PTVM" rom trim in.rom out.rom
		chown 4242:4343 out.rom
		atf_check -o ignore -e ignore "$PTVM" rom trim -f in.rom out.rom
		[ "$(fstat out.rom)" = "4242:4343 644" ] ||
		    atf_fail "owner or mode not kept: $(fstat out.rom)"
	fi
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
	captured_only "its message is of rom/ in DIR"
	mkdir host
	f='class=0x030000 rev=0x00 hdr=0x00 vendor=0x1002 device=0x7480'
	printf 'ppt0@pci0:6:0:0:\t%s subvendor=0x1da2 subdevice=0xe452\n' \
	    "$f" > host/pciconf.txt
	atf_check -s exit:1 -o match:"GPU-Z" -o match:"acpidump -b" \
	    -o match:"ptvm rom extract vfct.dat" -o match:"techpowerup" \
	    -e match:"captured host" "$PTVM" -H host rom dump 6/0/0 out.rom
	atf_check test ! -e out.rom
}

# romhost DIR DRIVER: a captured host with the RX 5600 XT's real
# configuration space at 6/0/0 under DRIVER, memory decoding off as
# ppt(4) may leave it (its ROM BAR holds 0xfcb80000, enable bit clear),
# and SeaBIOS's VGA ROM behind its ROM BAR.
romhost()
{
	mkdir -p "$1/pci" "$1/rom"
	f='class=0x030000 rev=0xca hdr=0x00 vendor=0x1002 device=0x731f'
	printf '%s0@pci0:6:0:0:\t%s subvendor=0x1da2 subdevice=0xe416\n' \
	    "$2" "$f" > "$1/pciconf.txt"
	sed '1s/00100407/00100000/' \
	    "$DATA/pci/amd-navi10-rx5600xt-pciconf-r.txt" \
	    > "$1/pci/pci0:6:0:0.txt"
	cp "$R/vgabios-stdvga.bin" "$1/rom/pci0:6:0:0.rom"
}

atf_test_case dump_captured_rom
dump_captured_rom_body()
{
	romhost host ppt
	atf_check -s exit:0 -o match:"39936 bytes read through the ROM BAR" \
	    -o match:"back as they were" "$PTVM" -H host rom dump 6/0/0 out.rom
	atf_check cmp "$R/vgabios-stdvga.bin" out.rom
	# An existing file is kept unless -f is given, before any write.
	atf_check mv host/journal journal.1
	atf_check -s exit:1 -e match:"exists" \
	    "$PTVM" -H host rom dump 6/0/0 out.rom
	atf_check test ! -e host/journal
	atf_check -s exit:0 -o ignore "$PTVM" -H host rom dump -f 6/0/0 out.rom
}

# The sequence: size the ROM BAR with the enable bit clear and put it
# back, turn memory decoding on, set the ROM enable bit, read the window,
# then undo both, last first; the function reads as it did before.
atf_test_case dump_sets_reads_restores_in_order
dump_sets_reads_restores_in_order_body()
{
	romhost host ppt
	"$PTVM" -H host pci show --json 6/0/0 > before.json
	atf_check -s exit:0 -o ignore "$PTVM" -H host rom dump 6/0/0 out.rom
	cat > expected <<'EOF'
pciconf -w pci0:6:0:0 0x30 0xfffff800
pciconf -w pci0:6:0:0 0x30 0xfcb80000
pciconf -w -h pci0:6:0:0 0x04 0x0002
pciconf -w pci0:6:0:0 0x30 0xfcb80001
# dd if=/dev/mem bs=2048 skip=2070272 count=32: pci0:6:0:0 ROM window at 0xfcb80000
pciconf -w pci0:6:0:0 0x30 0xfcb80000
pciconf -w -h pci0:6:0:0 0x04 0x0000
EOF
	atf_check -o file:expected cat host/journal
	"$PTVM" -H host pci show --json 6/0/0 > after.json
	atf_check cmp before.json after.json
	# A write that fails is undone with the rest, and nothing is kept.
	rm host/journal
	echo 'pciconf -w pci0:6:0:0 0x30 0xfcb80001: EIO' > host/fail
	atf_check -s exit:1 -o match:"did not read the ROM" \
	    -e match:"writing 0xfcb80001 to register 0x30" \
	    "$PTVM" -H host rom dump -f 6/0/0 new.rom
	atf_check test ! -e new.rom
	atf_check -o match:"^# failed \(EIO\): pciconf -w pci0:6:0:0 0x30 0xfcb80001$" \
	    sed -n 4p host/journal
	atf_check -o match:"^pciconf -w pci0:6:0:0 0x30 0xfcb80000$" \
	    sed -n 5p host/journal
	atf_check -o inline:"pciconf -w -h pci0:6:0:0 0x04 0x0000\n" \
	    sed -n '6,$p' host/journal
	"$PTVM" -H host pci show --json 6/0/0 > after2.json
	atf_check cmp before.json after2.json
}

atf_test_case dump_refusals
dump_refusals_body()
{
	# A ROM BAR without an address (0x30 reads 0): refused, no write.
	romhost h1 ppt
	awk 'NR == 4 { $1 = "00000000" } { print }' \
	    h1/pci/pci0:6:0:0.txt > t && mv t h1/pci/pci0:6:0:0.txt
	atf_check -s exit:1 -o match:"GPU-Z" -e match:"has no address" \
	    "$PTVM" -H h1 rom dump 6/0/0 out.rom
	atf_check test ! -e h1/journal
	atf_check test ! -e out.rom
	# A running VM uses it, or may: refused, nothing written.
	romhost h2 ppt
	# A host bridge too: PCIOCGETCONF takes patterns only while there are
	# fewer than devices (pci_user.c, freebsd.md#D9), and the live host
	# finds winpt's ppt0 so.
	printf 'hostb0@pci0:0:0:0:\tclass=0x060000 rev=0x00 hdr=0x00 vendor=0x1022 device=0x1480 subvendor=0x1022 subdevice=0x1480\n' >> h2/pciconf.txt
	echo 'winpt 6/0/0' > h2/vmm.txt
	atf_check -s exit:1 -e match:"used by the running VM winpt" \
	    "$PTVM" -H h2 rom dump 6/0/0 out.rom
	echo 'other ?' > h2/vmm.txt
	atf_check -s exit:1 -e match:"the running VM other may use 6/0/0" \
	    "$PTVM" -H h2 rom dump 6/0/0 out.rom
	# A VM ptvm started: the kernel hides its functions, its status
	# file names them (freebsd.md#B3).
	rm h2/vmm.txt
	running_vm h2 linux pci0:6:0:0
	atf_check -s exit:1 -e match:"used by the running VM linux" \
	    "$PTVM" -H h2 rom dump 6/0/0 out.rom
	atf_check test ! -e h2/journal
	# A host driver has it: refused, nothing written.
	romhost h3 vgapci
	atf_check -s exit:1 -e match:"vgapci0.*bind it first" \
	    "$PTVM" -H h3 rom dump 6/0/0 out.rom
	atf_check test ! -e h3/journal
	atf_check test ! -e out.rom
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

atf_test_case securelevel_live
securelevel_live_head()
{
	atf_set descr "at securelevel 1 the live host opens /dev/pci" \
	    "read-only: no capabilities, no configuration space, no ROM"
}
securelevel_live_body()
{
	[ "${PTVM_LIVE_SHIM:-}" = 1 ] ||
	    atf_skip "the live host's /dev/pci: make check-live runs it"
	romhost h ppt
	printf 'hostb0@pci0:0:0:0:\tclass=0x060000 rev=0x00 hdr=0x00 vendor=0x1022 device=0x1480 subvendor=0x1022 subdevice=0x1480\n' >> h/pciconf.txt
	echo 'kern.securelevel: 1' > h/sysctl.txt
	atf_check -o ignore -e match:'opened read-only' "$PTVM" -H h devices -a
	atf_check -s exit:1 -o match:"did not read the ROM" \
	    -e match:"securelevel 0 or less" \
	    "$PTVM" -H h rom dump 6/0/0 out.rom
	atf_check -s exit:1 -e match:'configuration space needs root' \
	    "$PTVM" -H h pci show 6/0/0
	atf_check -s exit:1 test -e h/journal
}

atf_init_test_cases()
{
	atf_add_test_case securelevel_live
	atf_add_test_case inspect_usable_rom
	atf_add_test_case dump_captured_rom
	atf_add_test_case dump_sets_reads_restores_in_order
	atf_add_test_case dump_refusals
	atf_add_test_case inspect_json_fields
	atf_add_test_case inspect_located_errors
	atf_add_test_case inspect_leading_header
	atf_add_test_case inspect_techpowerup_name
	atf_add_test_case inspect_for_device
	atf_add_test_case trim_removes_header
	atf_add_test_case write_refuses_symlink_output
	atf_add_test_case extract_vfct_images
	atf_add_test_case extract_vfct_bad_checksum
	atf_add_test_case dump_explains_the_ways
	atf_add_test_case usage_errors
}
