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
	# issue 16 (9): a vendor/device mismatch is "not for this device"
	# and exit 1, not MISMATCH beside "usable" and exit 0.  The x86
	# image counts; the EFI image's IDs are a warning (EDK2 compares
	# none).
	atf_check -s exit:1 -o match:"NOT FOR THIS DEVICE: the ROM is for \
1af4:1041" -o match:"^verdict: not for this device \(the ROM is for \
1af4:1041, the device is 1234:1111\)$" -o not-match:"usable by" \
	    -e match:"error: x86 image is for 1af4:1041 \(and its device \
list\), the device is 1234:1111: the ROM is not for this device" \
	    -e match:"warning: the EFI image's PCIR names 1af4:1041, the \
device is 1234:1111" \
	    "$PTVM" -H host rom inspect --for vgapci0 "$R/efi-virtio.rom"
	atf_check -s exit:1 -o match:'"for":\{"device":' \
	    -o match:'"match":false' -o match:'"ids_match":false' \
	    -o match:'"rom_vendor_id":"0x1af4"' \
	    -o match:'"verdict":"not for this device"' -e ignore \
	    "$PTVM" -H host rom inspect --json --for pci0:0:2:0 \
	    "$R/efi-virtio.rom"
	atf_check -s exit:1 -o ignore -e match:"error" "$PTVM" -H host rom \
	    inspect --for 9/9/9 "$R/efi-virtio.rom"
}

# issue 16 (9): a subsystem mismatch stays a warning with both values.
atf_test_case inspect_for_subsystem_is_a_warning
inspect_for_subsystem_is_a_warning_body()
{
	mkdir host
	f='class=0x030000 rev=0xcf hdr=0x00 vendor=0x1002 device=0x7480'
	printf 'vgapci0@pci0:6:0:0:\t%s subvendor=0x1da2 subdevice=0xe452\n' \
	    "$f" > host/pciconf.txt
	atf_check -s exit:0 -o match:"the ROM's IDs match" \
	    -o match:"verdict: usable by bhyve's UEFI" -e ignore \
	    "$PTVM" -H host rom inspect --for 6/0/0 "$R/synthetic-amd-rx7600.rom"
	sed -i.bak 's/subvendor=0x1da2 subdevice=0xe452/subvendor=0x1849 subdevice=0x5319/' \
	    host/pciconf.txt
	atf_check -s exit:0 -o match:"vendor and device match; the subsystem \
differs \(ROM 1da2:e452, board 1849:5319" \
	    -o match:"verdict: usable by bhyve's UEFI" \
	    -e match:"warning: ATOM subsystem 1da2:e452 differs from the \
board's 1849:5319" -e not-match:"error" \
	    "$PTVM" -H host rom inspect --for 6/0/0 "$R/synthetic-amd-rx7600.rom"
	atf_check -s exit:0 -o match:'"subsystem_match":false' \
	    -o match:'"ids_match":true' -o match:'"verdict":"usable"' \
	    -e ignore "$PTVM" -H host rom inspect --json --for 6/0/0 \
	    "$R/synthetic-amd-rx7600.rom"
}

# issue 16 (9): check FAILs a rom= file for another device, warns on
# another board's subsystem, passes the board's own ROM.
atf_test_case check_rom_for_its_device
check_rom_for_its_device_body()
{
	cp -R "$DATA/../../examples/hosts/guide-rx7600" h
	mkdir -p h/root/vm/rom
	cp "$R/synthetic-amd-rx7600.rom" h/root/vm/rom/rx7600-techpowerup.bin
	atf_check -s ignore -o match:'^PASS  rom       /vm/rom/rx7600-techpowerup.bin: usable, matches its device' \
	    "$PTVM" -H h check winpt
	sed -i.bak 's/subvendor=0x1da2 subdevice=0xe452/subvendor=0x1849 subdevice=0x5319/' \
	    h/pciconf.txt
	atf_check -s ignore -o match:'^WARN  rom       /vm/rom/rx7600-techpowerup.bin: vendor and device match 6/0/0, but the ROM.s ATOM subsystem 1da2:e452 differs from the board.s 1849:5319' \
	    "$PTVM" -H h check winpt
	sed -i.bak 's/device=0x7480/device=0x7590/' h/pciconf.txt
	atf_check -s exit:1 -o match:'^FAIL  rom       /vm/rom/rx7600-techpowerup.bin is not for 6/0/0: the ROM is for 1002:7480, the device is 1002:7590' \
	    -o match:'fix: use the VBIOS of this exact board \(ptvm rom inspect --for 6/0/0 FILE\)' \
	    "$PTVM" -H h check winpt
}

# issue 17 (1): a full-flash dump of an RTX 5060 Ti (synthetic, with the
# real dump's layout): inspect finds the ROM where trim cuts, says what
# precedes it, and lists every image of the NPDE chain.
atf_test_case inspect_nvidia_full_flash
inspect_nvidia_full_flash_body()
{
	f="$R/synthetic-nvidia-5060ti-fullflash.rom"
	atf_check -s exit:1 \
	    -o match:"^before the ROM: 218112 bytes of NVIDIA flash data: IFR \
area and FwSec images \(a full-flash dump\); the GPU's ROM starts at 0x35400" \
	    -o match:"^    IFR area at 0x0: 213504 bytes$" \
	    -o match:"^    NVIDIA FwSec \(0xE0\) image at 0x34200: 10de:2d04, 2560 bytes$" \
	    -o match:"^    NVIDIA FwSec \(0xE0\) image at 0x34c00: 10de:2d04, 2048 bytes$" \
	    -o match:"^image 0 at 0x35400: x86 PC-AT, display controller \(legacy VGA BIOS\), 64000 bytes$" \
	    -o match:"^image 1 at 0x44e00: EFI, no class in its PCIR \(UEFI driver\), 98304 bytes, last$" \
	    -o match:"^image 2 at 0x5ce00: NVIDIA FwSec \(0xE0\), 64000 bytes, linked by NPDE \\(not run by firmware\\)$" \
	    -o match:"^image 3 at 0x6c800: NVIDIA FwSec \(0xE0\), 650240 bytes, last, linked by NPDE" \
	    -o match:"^after the last image: 231424 bytes of flash data \\(the rest of the flash, not the ROM\\)$" \
	    -o match:"^    NPDE rev 0x101: 650240 bytes, last$" \
	    -o not-match:"^image 4" \
	    -o match:"^  - this is a full-flash dump: the IFR area and FwSec images come before the ROM" \
	    -e match:"offset 0x10b400: note: 231424 bytes of flash data after \
the last image of the ROM" "$PTVM" rom inspect "$f"
	atf_check -s exit:0 -o match:"from offset 0x35400 of" \
	    -o match:"218112 leading bytes removed" -o match:"verdict: usable" \
	    -e match:"231424 bytes of trailing data" "$PTVM" rom trim "$f" out.rom
	tail -c +$((0x35400 + 1)) "$f" > expect
	atf_check cmp out.rom expect
	atf_check -s exit:0 -o match:"^image 0 at 0x0: x86 PC-AT" \
	    -o match:"^image 3 at 0x37400: NVIDIA FwSec" \
	    -o match:"verdict: usable by bhyve's UEFI \(X64 EFI image 1 at 0xfa00\)" \
	    -e ignore "$PTVM" rom inspect out.rom
	atf_check -s exit:1 -o match:'"leading_junk":218112' \
	    -o match:'"nvidia_flash":true' -o match:'"ifr_length":213504' \
	    -o match:'"leading_images":\[\{"offset":213504,"length":2560,"code_type":224' \
	    -o match:'"offset":444416,"length":650240,"code_type":224,"type":"nvidia"' \
	    -o match:'"npde":\{"revision":"0x0101","length":650240,"last":true\}' \
	    -e ignore "$PTVM" rom inspect --json "$f"
	# issue 17 (3): the EFI image says 0000:0000; the x86 image's
	# IDs are the board's: they match.
	mkdir host
	c='class=0x030000 rev=0xa1 hdr=0x00 vendor=0x10de device=0x2d04'
	printf 'vgapci0@pci0:1:0:0:\t%s subvendor=0x1043 subdevice=0x8a11\n' \
	    "$c" > host/pciconf.txt
	atf_check -s exit:0 -o match:"the ROM's IDs match" \
	    -o match:"verdict: usable" -e not-match:"EFI image" \
	    "$PTVM" -H host rom inspect --for 1/0/0 out.rom
}

# issue 17 (2): an AMD APU VBIOS's board name ends in spaces and CR LF.
atf_test_case inspect_atom_name_clean
inspect_atom_name_clean_body()
{
	atf_check -s exit:1 -o match:"^    name Cezanne Generic VBIOS$" \
	    -o match:"part number 113-CEZANNE-021, ASIC RENOIR, PCI_EXPRESS, 0$" \
	    "$PTVM" rom inspect "$R/synthetic-amd-apu-cezanne.rom"
	atf_check -s exit:1 -o match:'"name":"Cezanne Generic VBIOS"' \
	    "$PTVM" rom inspect --json "$R/synthetic-amd-apu-cezanne.rom"
}

# issue 17 (4): a PXE ROM is a network boot ROM, not a VGA BIOS.
atf_test_case inspect_names_images_by_class
inspect_names_images_by_class_body()
{
	atf_check -s exit:0 \
	    -o match:"^image 0 at 0x0: x86 PC-AT, network controller \(legacy PXE boot ROM\)" \
	    -o match:"^image 1 at 0x12800: EFI, network controller \(UEFI network driver\)" \
	    -o not-match:"VGA" -o not-match:"GOP" \
	    "$PTVM" rom inspect "$R/efi-virtio.rom"
	atf_check -s exit:0 -o match:'"class_name":"network"' \
	    -o match:'"description":"x86 PC-AT, network controller \(legacy PXE boot ROM\)"' \
	    "$PTVM" rom inspect --json "$R/efi-virtio.rom"
	head -c 39424 "$R/efi-virtio.rom" > x86only.rom
	atf_check -s exit:1 -o match:"no EFI image \(UEFI network driver\): bhyve's UEFI runs only EFI drivers, not a legacy x86 PXE boot ROM" \
	    -o not-match:"VGA" -e ignore "$PTVM" rom inspect x86only.rom
	atf_check -s exit:1 -o match:"x86 PC-AT, display controller \(legacy VGA BIOS\)" \
	    -o match:"no EFI \(GOP\) image" "$PTVM" rom inspect "$R/vgabios-stdvga.bin"
}

# issue 17 (5): a 16 MiB file of 0x55 is inspected as what it is (no
# ROM); tests/lib/rom_test scan_work_is_bounded counts the header probes
# that bound its cost, and tests/tools/bench-rom.sh times it.
atf_test_case inspect_adversarial_bytes
inspect_adversarial_bytes_body()
{
	head -c $((16 * 1024 * 1024)) /dev/zero | tr '\000' '\125' > x55.rom
	atf_check -s exit:1 -o match:"NOT usable" \
	    -o match:"no valid option ROM image was found" \
	    -e match:"offset 0x0: error: image signature 55 AA missing" \
	    "$PTVM" rom inspect x55.rom
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
	atf_add_test_case inspect_for_subsystem_is_a_warning
	atf_add_test_case check_rom_for_its_device
	atf_add_test_case inspect_nvidia_full_flash
	atf_add_test_case inspect_atom_name_clean
	atf_add_test_case inspect_names_images_by_class
	atf_add_test_case inspect_adversarial_bytes
	atf_add_test_case trim_removes_header
	atf_add_test_case write_refuses_symlink_output
	atf_add_test_case extract_vfct_images
	atf_add_test_case extract_vfct_bad_checksum
	atf_add_test_case dump_explains_the_ways
	atf_add_test_case usage_errors
}
