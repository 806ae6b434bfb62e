# pci_test: "ptvm pci show|save|diff|restore" end to end on a captured
# host.  The example host msi-x570-rx5700 has a Navi 10 GPU at 47:0:0;
# the real RX 5600 XT dump of tests/data/pci (same device ID, 1002:731f)
# stands in for its configuration space.

P="$DATA/pci"

# navihost NAME: the example host with pci/pci0:47:0:0.txt.
navihost()
{
	cp -R "$DATA/../../examples/hosts/msi-x570-rx5700" "$1"
	rm -f "$1/journal"
	mkdir "$1/pci"
	cp "$P/amd-navi10-rx5600xt-pciconf-r.txt" "$1/pci/pci0:47:0:0.txt"
}

# after_reset NAME: the function now reads as after a failed reset.
after_reset()
{
	cp "$P/synthetic-navi10-rx5600xt-after-reset.txt" \
	    "$1/pci/pci0:47:0:0.txt"
}

atf_test_case pci_show_decodes_real_dumps
pci_show_decodes_real_dumps_body()
{
	atf_check -s exit:0 \
	    -o match:'4096 bytes of configuration space' \
	    -o match:'device 1002:7300 revision 0xca, class 030000' \
	    -o match:'command 0x0407: I/O decoding on, memory decoding on, bus master on, INTx disabled' \
	    -o match:'BAR0 \(0x10\): 64-bit prefetchable memory at 0xe0000000' \
	    -o match:'capability 0x50: power management, D0' \
	    -o match:'capability 0x58: PCI Express legacy endpoint, link 8.0 GT/s x16' \
	    -o match:'capability 0xa0: MSI, enabled' \
	    -o match:'extended capability 0x200: resizable BAR' \
	    -o match:'signature: none' \
	    "$PTVM" pci show "$P/amd-fiji-r9-fury-lspci-xxxx.txt"
	atf_check -s exit:1 -o match:'signature: d3hot: the function is stuck in D3hot' \
	    "$PTVM" pci show "$P/synthetic-fiji-stuck-d3hot.txt"
	atf_check -s exit:1 -o match:'does not answer' \
	    -o match:'signature: dead: .*reset bug' \
	    "$PTVM" pci show "$P/synthetic-dead-all-ff.txt"
	atf_check -s exit:0 -o save:show.json "$PTVM" pci show --json \
	    "$P/nvidia-gp108m-mx150-lspci-vvv-xxxx.txt"
	for s in '"source":"' '"function":"pci0:2:0:0"' '"size":4096' \
	    '"vendor_id":"0x10de"' '"device_id":"0x1d10"' \
	    '"command":"0x0006"' '"type":"mem64"' '"power_state":"D0"' \
	    '"link_speed":"8.0 GT/s","link_width":4' \
	    '"msi":{"offset":"0x68","enabled":false}' '"msix":null' \
	    '"signature":"none","signature_text":null'; do
		atf_check -o ignore grep -F "$s" show.json
	done
}

atf_test_case pci_show_errors_are_located
pci_show_errors_are_located_body()
{
	printf '73001002 00100407 030000ca 00800010\nzz\n' > bad.txt
	atf_check -s exit:1 -e match:'bad.txt:2: error: "zz" is not a value' \
	    "$PTVM" pci show bad.txt
	atf_check -s exit:1 \
	    -e match:'error: no PCI function pci0:9:0:0 on this host .* \(nor is it a file\)' \
	    "$PTVM" -H "$DATA/../../examples/hosts/msi-x570-rx5700" pci show 9/0/0
	captured_only "the live host reads every function's space"
	navihost h
	atf_check -s exit:1 \
	    -e match:"pci/pci0:47:0:1.txt: error: this captured host has no configuration space of pci0:47:0:1: capture it with 'pciconf -r pci0:47:0:1 0:0xfff > pci/pci0:47:0:1.txt'" \
	    "$PTVM" -H h pci show 47/0/1
}

atf_test_case pci_show_and_diff_never_echo_raw_bytes
pci_show_and_diff_never_echo_raw_bytes_body()
{
	# A terminal escape, a bell, a C1 byte, a NUL: a file that is no dump.
	printf 'hello\nworld \033]0;pwn\007 \302\233x\n\000\n' > bad.txt
	cp "$P/amd-navi10-rx5600xt-pciconf-r.txt" good.txt
	for c in "show bad.txt" "diff bad.txt good.txt" "diff good.txt bad.txt"; do
		atf_check -s exit:1 -o empty -e save:err "$PTVM" pci $c
		atf_check -o match:'bad.txt:2: error: byte 0x1b at offset 12 is not text: not a configuration-space dump' \
		    cat err
		# One error, and no byte below 0x20 but the newline, no DEL.
		atf_check -o inline:'1\n' grep -c 'error' err
		atf_check -s exit:1 grep -q "$(printf '[\001-\011\013-\037\177]')" err
		atf_check -s exit:1 grep -q "$(printf '\302\233')" err
	done
	# A text file that is no dump: the first line says so, and stops.
	printf 'hello\nworld\nagain\n' > text.txt
	atf_check -s exit:1 -e match:'text.txt:1: error: "hello" is not a value' \
	    -e not-match:'text.txt:2' "$PTVM" pci show text.txt
}

atf_test_case pci_save_writes_documented_files
pci_save_writes_documented_files_body()
{
	navihost h
	atf_check -s exit:0 \
	    -o match:'vgapci0: 4096 bytes -> before/pci0:47:0:0.txt \(signature: none\)' \
	    "$PTVM" -H h pci save vgapci0 before
	atf_check -o match:'^# ptvm pci save 1$' \
	    -o match:'^# function pci0:47:0:0$' \
	    -o match:"^# 'pciconf -r pci0:47:0:0 0:0xfff' prints" \
	    -o match:'^000: 731f1002 00100407 030000ca 00800010$' \
	    -o match:'^010: 0000000c 00000006 0000000c 00000005$' \
	    -o match:'^ff0: 00000000 00000000 00000000 00000000$' \
	    -o match:'^#   BAR0 \(0x10\): 64-bit prefetchable memory at 0x600000000$' \
	    cat before/pci0:47:0:0.txt
	# The save file reads back as the same image.
	atf_check -o save:a "$PTVM" pci show before/pci0:47:0:0.txt
	atf_check -o save:b "$PTVM" -H h pci show 47/0/0
	sed 1d a > a1
	sed 1d b > b1
	atf_check cmp a1 b1
	atf_check -s exit:1 -e match:'before/pci0:47:0:0.txt: error: exists; use -f to replace it' \
	    "$PTVM" -H h pci save 47/0/0 before
	atf_check -s exit:0 -o ignore "$PTVM" -H h pci save -f 47/0/0 before
	# One unknown selector: nothing is written.
	atf_check -s exit:1 -e match:'error' "$PTVM" -H h pci save 47/0/0 \
	    9/9/9 other
	test ! -e other || atf_fail "wrote a directory after a bad selector"
	test ! -e h/journal || atf_fail "save changed the host"
}

atf_test_case pci_diff_explains_a_failed_reset
pci_diff_explains_a_failed_reset_body()
{
	navihost h
	atf_check -o ignore "$PTVM" -H h pci save 47/0/0 before
	after_reset h
	atf_check -o match:'signature: bar-disabled' "$PTVM" -H h pci save \
	    47/0/0 after
	atf_check -s exit:1 \
	    -o match:'^pci0:47:0:0 \(before/pci0:47:0:0.txt -> after/pci0:47:0:0.txt\):$' \
	    -o match:'  - command 0x0407 -> 0x0000: memory decoding turned off, I/O decoding turned off, bus mastering turned off, INTx enabled \(normal only if the function moved to ppt or a VM released it: some ppt versions' \
	    -o match:'  - BAR0 \(0x10\): 64-bit prefetchable memory at 0x600000000 was cleared' \
	    -o match:'  - BAR2 \(0x18\): 64-bit prefetchable memory at 0x500000000 was cleared' \
	    -o match:'  - BAR4 \(0x20\): I/O ports at 0xe000 was cleared' \
	    -o match:'  - ROM BAR \(0x30\): the ROM address 0xfcb80000 was cleared' \
	    -o match:'  signature bar-disabled: .*ptvm pci restore' \
	    "$PTVM" pci diff before after
	atf_check -s exit:1 -o save:diff.json "$PTVM" pci diff --json \
	    before/pci0:47:0:0.txt after/pci0:47:0:0.txt
	for s in '{"functions":[{"name":"pci0:47:0:0","a":"before/pci0:47:0:0.txt"' \
	    '"diff":{"signature":"bar-disabled","signature_text":"' \
	    '{"kind":"bar","signature":"bar-disabled","offset":"0x010","text":"BAR0 (0x10): ' \
	    '"only_in_a":[],"only_in_b":[],"signature":"bar-disabled"}'; do
		atf_check -o ignore grep -F "$s" diff.json
	done
	atf_check -s exit:0 -o match:'no differences' "$PTVM" pci diff \
	    before before
}

atf_test_case pci_diff_pairs_directories
pci_diff_pairs_directories_body()
{
	mkdir a b
	cp "$P/amd-fiji-pciconf-r.txt" a/pci0:9:0:0.txt
	cp "$P/synthetic-dead-all-ff.txt" b/pci0:9:0:0.txt
	cp "$P/nvidia-gt218-geforce210-lspci-xxxx.txt" a/pci0:6:0:0.txt
	cp "$P/nvidia-gt218-hdmi-audio-lspci-xxxx.txt" b/pci0:6:0:1.txt
	atf_check -s exit:1 \
	    -o match:'  - the function no longer answers: it reads all 0xFF \(it was 1002:7300\)' \
	    -o match:'  signature dead: ' \
	    -o match:'^pci0:6:0:0.txt: only in a$' \
	    -o match:'^pci0:6:0:1.txt: only in b$' \
	    "$PTVM" pci diff a b
	atf_check -s exit:1 -o match:'"only_in_a":\["pci0:6:0:0.txt"\]' \
	    -o match:'"signature":"dead"}$' "$PTVM" pci diff --json a b
	atf_check -s exit:2 -e match:'two files or two directories' \
	    "$PTVM" pci diff a
	atf_check -s exit:2 -e match:'usage: ptvm pci diff' \
	    "$PTVM" pci diff a "$P/amd-fiji-pciconf-r.txt"
	printf 'x\n' > a/pci0:9:0:0.txt
	atf_check -s exit:1 -o ignore \
	    -e match:'a/pci0:9:0:0.txt:1: error: "x" is not a value' \
	    "$PTVM" pci diff a b
}

atf_test_case pci_restore_refused_unless_on_ppt
pci_restore_refused_unless_on_ppt_body()
{
	navihost h
	atf_check -o ignore "$PTVM" -H h pci save 47/0/0 before
	after_reset h
	atf_check -s exit:1 \
	    -e match:'pci0:47:0:0 is vgapci0, not on ppt: ptvm writes the configuration space only of functions on ppt\(4\)' \
	    "$PTVM" -H h pci restore 47/0/0 before
	test ! -e h/journal || atf_fail "a refused restore changed the host"
}

atf_test_case pci_restore_refused_while_a_vm_owns_it
pci_restore_refused_while_a_vm_owns_it_body()
{
	navihost h
	atf_check -o ignore "$PTVM" -H h pci save 47/0/0 before
	atf_check -o ignore -e ignore "$PTVM" -H h bind --console-gpu=take 47/0/0 47/0/1
	after_reset h
	echo 'winpt 47/0/0 47/0/1' > h/vmm.txt
	atf_check -s exit:1 \
	    -e match:'pci0:47:0:0 \(ppt0\) is used by the running VM winpt: stop the VM first' \
	    "$PTVM" -H h pci restore 47/0/0 before
	echo 'other ?' > h/vmm.txt
	atf_check -s exit:1 \
	    -e match:'the running VM other may use pci0:47:0:0 \(ptvm cannot tell which functions it has\): stop it first' \
	    "$PTVM" -H h pci restore -n 47/0/0 before
	atf_check -s exit:1 -o empty grep '^pciconf' h/journal
}

atf_test_case pci_restore_journals_only_allowed_writes
pci_restore_journals_only_allowed_writes_body()
{
	navihost h
	atf_check -o ignore "$PTVM" -H h pci save 47/0/0 before
	atf_check -o ignore -e ignore "$PTVM" -H h bind --console-gpu=take 47/0/0 47/0/1
	after_reset h
	atf_check -s exit:0 \
	    -o match:'^would run: pciconf -w pci0:47:0:0 0x14 0x00000006 +# BAR1$' \
	    -o match:'^would run: pciconf -w -h pci0:47:0:0 0x04 0x0403 +# command$' \
	    -e match:'note: bus mastering is left off' \
	    "$PTVM" -H h pci restore -n 47/0/0 before
	atf_check -s exit:1 -o empty grep '^pciconf' h/journal
	# Options after the operands, as in the issue's synopsis.
	atf_check -s exit:0 -o match:'6 writes made; signature now: none' \
	    -e ignore "$PTVM" -H h pci restore 47/0/0 before
	cat > expected <<'EOT'
pciconf -w pci0:47:0:0 0x14 0x00000006
pciconf -w pci0:47:0:0 0x1c 0x00000005
pciconf -w pci0:47:0:0 0x20 0x0000e001
pciconf -w pci0:47:0:0 0x24 0xfcb00000
pciconf -w pci0:47:0:0 0x30 0xfcb80000
pciconf -w -h pci0:47:0:0 0x04 0x0403
EOT
	grep '^pciconf' h/journal > got
	atf_check -o file:expected cat got
	# Later commands replay the journal: the BARs are back.
	atf_check -s exit:0 \
	    -o match:'BAR0 \(0x10\): 64-bit prefetchable memory at 0x600000000' \
	    -o match:'signature: none' "$PTVM" -H h pci show 47/0/0
	atf_check -o ignore "$PTVM" -H h pci save 47/0/0 now
	atf_check -s exit:0 \
	    -o match:'  - command 0x0407 -> 0x0403: bus mastering turned off$' \
	    "$PTVM" pci diff before now
	atf_check -s exit:0 -o match:'nothing to restore' -e ignore \
	    "$PTVM" -H h pci restore 47/0/0 before --unsafe-vendor-registers -n
}

atf_test_case pci_restore_vendor_registers_need_the_flag
pci_restore_vendor_registers_need_the_flag_body()
{
	navihost h
	atf_check -o ignore "$PTVM" -H h pci save 47/0/0 before
	atf_check -o ignore -e ignore "$PTVM" -H h bind --console-gpu=take 47/0/0 47/0/1
	# A vendor-specific register (VSEC body, 0x108) and an AER status
	# register (0x154, write-1-to-clear) differ in the save.
	sed -e 's/^100: 1501000b 01010001 00000000 00000000$/100: 1501000b 01010001 12345678 00000000/' \
	    -e 's/^150: 20020001 00000000 00000000 00462030$/150: 20020001 ffffffff 00000000 00462030/' \
	    before/pci0:47:0:0.txt > saved.txt
	atf_check -s exit:1 cmp -s before/pci0:47:0:0.txt saved.txt
	atf_check -s exit:0 -o match:'nothing to restore' \
	    -e match:'8 bytes above 0xff differ: the extended space holds vendor registers, written only with --unsafe-vendor-registers' \
	    "$PTVM" -H h pci restore 47/0/0 saved.txt
	atf_check -s exit:0 \
	    -o match:'^pciconf -w pci0:47:0:0 0x108 0x12345678 +# vendor register$' \
	    -e match:'warning: 1 vendor-specific register will be written because of --unsafe-vendor-registers' \
	    -e match:'error status, capability headers, serial number and SR-IOV are never written' \
	    "$PTVM" -H h pci restore --unsafe-vendor-registers 47/0/0 saved.txt
	grep '^pciconf' h/journal > got
	echo 'pciconf -w pci0:47:0:0 0x108 0x12345678' > expected
	atf_check -o file:expected cat got
}

atf_test_case pci_restore_refuses_dead_or_foreign_images
pci_restore_refuses_dead_or_foreign_images_body()
{
	navihost h
	atf_check -o ignore "$PTVM" -H h pci save 47/0/0 before
	atf_check -o ignore -e ignore "$PTVM" -H h bind --console-gpu=take 47/0/0 47/0/1
	cp "$P/synthetic-dead-all-ff.txt" h/pci/pci0:47:0:0.txt
	atf_check -s exit:1 \
	    -e match:'the function does not answer \(it reads all 0xFF\): writing its header cannot help; this is the reset bug' \
	    "$PTVM" -H h pci restore 47/0/0 before
	navihost h2
	atf_check -o ignore -e ignore "$PTVM" -H h2 bind --console-gpu=take 47/0/0 47/0/1
	sed 's/^# function pci0:47:0:0$/# function pci0:47:0:1/' \
	    before/pci0:47:0:0.txt > other.txt
	atf_check -s exit:1 \
	    -e match:'other.txt: error: holds the configuration space of pci0:47:0:1, not of pci0:47:0:0' \
	    "$PTVM" -H h2 pci restore 47/0/0 other.txt
	atf_check -s exit:1 -e match:'not the same device' "$PTVM" -H h2 \
	    pci restore 47/0/0 "$P/nvidia-gt218-pciconf-r-h-0-0xff.txt"
	atf_check -s exit:1 -o empty grep '^pciconf' h/journal h2/journal
}

atf_test_case pci_usage
pci_usage_body()
{
	atf_check -s exit:0 -o match:'usage: ptvm pci show \[--json\] selector \| file' \
	    -o match:'usage: ptvm pci restore \[-n\] \[--unsafe-vendor-registers\] selector directory \| file' \
	    "$PTVM" help pci
	atf_check -s exit:2 -e match:'usage: ptvm pci save' "$PTVM" pci
	atf_check -s exit:2 -e match:'selectors and a directory expected' \
	    "$PTVM" pci save dir
	atf_check -s exit:2 -e match:'a selector and a directory or file expected' \
	    "$PTVM" pci restore 47/0/0
}

atf_init_test_cases()
{
	atf_add_test_case pci_show_decodes_real_dumps
	atf_add_test_case pci_show_errors_are_located
	atf_add_test_case pci_show_and_diff_never_echo_raw_bytes
	atf_add_test_case pci_save_writes_documented_files
	atf_add_test_case pci_diff_explains_a_failed_reset
	atf_add_test_case pci_diff_pairs_directories
	atf_add_test_case pci_restore_refused_unless_on_ppt
	atf_add_test_case pci_restore_refused_while_a_vm_owns_it
	atf_add_test_case pci_restore_journals_only_allowed_writes
	atf_add_test_case pci_restore_vendor_registers_need_the_flag
	atf_add_test_case pci_restore_refuses_dead_or_foreign_images
	atf_add_test_case pci_usage
}
