# host_test: "ptvm host setup" on captured hosts.

atf_test_case host_setup_persistent_dropin
host_setup_persistent_dropin_body()
{
	amdhost h msi-ms7c37-x570-rx5700-navi10-switch-fbsd13.1.txt
	mkdir -p h/root/etc h/root/boot
	printf '# my settings\nkern.consmute=0 # was off\nhw.x=1\n' > h/root/etc/sysctl.conf.local
	printf 'pptdevs="1/0/0"\n' > h/root/boot/loader.conf
	# loader(8) order: loader.conf, loader.conf.d/*, loader.conf.local
	# (FreeBSD 14.1 and later; freebsd.md#L1).
	mkdir -p h/root/boot/loader.conf.d
	printf 'vmm_load="YES"\npptdevs="6/0/0"\n' > h/root/boot/loader.conf.d/vm.conf
	printf 'hw.vmm.amdvi.enable="0"\n' > h/root/boot/loader.conf.local
	atf_check -o match:'wrote /boot/loader.conf.d/ptvm.conf' \
	    -e match:'/boot/loader.conf: note: also sets pptdevs="1/0/0"; /boot/loader.conf.d/ptvm.conf is read after it and wins' \
	    -e match:'/boot/loader.conf.d/vm.conf: warning: also sets pptdevs="6/0/0": loader\(8\) reads the files of /boot/loader.conf.d in directory order, so which value wins is not defined' \
	    -e match:'/boot/loader.conf.local: warning: also sets hw.vmm.amdvi.enable="0", which overrides /boot/loader.conf.d/ptvm.conf' \
	    "$PTVM" -H h host setup --persistent 47/0/0 47/0/1
	atf_check -o inline:'pptdevs="1/0/0"\n' cat h/root/boot/loader.conf
	rm h/root/boot/loader.conf.d/vm.conf h/root/boot/loader.conf.local
	atf_check -o match:'^vmm_load="YES"$' -o match:'^hw.vmm.amdvi.enable="1"$' \
	    -o match:'^pptdevs="47/0/0 47/0/1"$' cat h/root/boot/loader.conf.d/ptvm.conf
	printf '# my settings\nkern.consmute=1 # was off\nhw.x=1\n' > expected
	atf_check -o file:expected cat h/root/etc/sysctl.conf.local
	atf_check -o match:'^install -m 0644 root/boot/loader.conf.d/ptvm.conf /boot/loader.conf.d/ptvm.conf$' \
	    cat h/journal
	# A second run with other devices keeps the user's comment lines.
	echo '# note by me' >> h/root/boot/loader.conf.d/ptvm.conf
	atf_check -o ignore -e ignore "$PTVM" -H h host setup --persistent 47/0/1
	atf_check -o match:'^# note by me$' -o match:'^pptdevs="47/0/1"$' \
	    cat h/root/boot/loader.conf.d/ptvm.conf
}

atf_test_case unbind_says_the_dropin_binds_again_at_boot
unbind_says_the_dropin_binds_again_at_boot_head()
{
	atf_set descr "unbind of a function the loader.conf drop-in names" \
	    "says the next boot binds it again, and how to stop that"
}
unbind_says_the_dropin_binds_again_at_boot_body()
{
	amdhost h msi-ms7c37-x570-rx5700-navi10-switch-fbsd13.1.txt
	mkdir -p h/root/etc h/root/boot
	atf_check -o ignore -e ignore "$PTVM" -H h host setup --persistent 47/0/0 47/0/1
	atf_check -o ignore -e ignore "$PTVM" -H h bind -f 47/0/0 47/0/1
	atf_check -o match:'^note: /boot/loader.conf.d/ptvm.conf sets pptdevs="47/0/0 47/0/1": the loader binds 47/0/1 to ppt again at the next boot; to keep it with the host, rewrite the drop-in without it: ptvm host setup --persistent 47/0/0$' \
	    -e ignore "$PTVM" -H h unbind 47/0/1
	printf 'pptdevs="47/0/0"\n' > h/root/boot/loader.conf
	atf_check -o match:'^note: /boot/loader.conf sets pptdevs="47/0/0": the loader binds 47/0/0 to ppt again at the next boot; remove 47/0/0 from that line' \
	    -o match:'rewrite the drop-in without it: ptvm host setup --persistent 47/0/1$' \
	    -e ignore "$PTVM" -H h unbind 47/0/0
	# Nothing names it: nothing said.
	rm h/root/boot/loader.conf h/root/boot/loader.conf.d/ptvm.conf
	atf_check -o ignore -e ignore "$PTVM" -H h bind 47/0/1
	atf_check -o not-match:'next boot' -e ignore "$PTVM" -H h unbind 47/0/1
}

atf_test_case host_setup_runtime
host_setup_runtime_body()
{
	amdhost h partial-rx7600-navi33-ryzen5800x-ptnotes-blog.txt
	# Every FreeBSD kernel has it; the live host sets only what exists.
	echo 'kern.consmute: 0' >> h/sysctl.txt
	atf_check -o match:'would run: kldload vmm' "$PTVM" -H h host setup -n
	atf_check -s exit:1 test -e h/journal
	atf_check -o ignore "$PTVM" -H h host setup
	printf 'kenv hw.vmm.amdvi.enable="1"\nkldload vmm\nsysctl kern.consmute=1\n' > expected
	atf_check -o file:expected cat h/journal
	atf_check -o match:'vmm.ko is loaded already' "$PTVM" -H h host setup
}

atf_test_case captured_programs_need_standins
captured_programs_need_standins_head()
{
	atf_set descr "a captured host's DIR/bin programs run only with" \
	    "PTVM_STANDINS=1: a capture is data (issue 14, item 2)"
}
captured_programs_need_standins_body()
{
	captured_only "its message names DIR/bin"
	cp -R "$DATA/../../examples/hosts/guide-rx7600" h
	mkdir -p h/bin
	# A hostile capture: its "ifconfig" and "zfs" would run as root.
	for p in ifconfig zfs bhyve; do
		printf '#!/bin/sh\necho ran >> "%s/ran.%s"\n' "$(pwd)" "$p" > h/bin/$p
		chmod +x h/bin/$p
	done
	cat > h/root/usr/local/etc/ptvm/br.conf <<'EOT'
cpus=2
memory=1G
net=bridge0
EOT
	atf_check -o ignore -e ignore env -u PTVM_STANDINS "$PTVM" -H h check br
	atf_check -s exit:1 -o ignore -e match:'runs DIR/bin/zfs only with PTVM_STANDINS=1' \
	    env -u PTVM_STANDINS "$PTVM" -H h snapshots winpt
	atf_check -o ignore -e ignore env PTVM_STANDINS=yes "$PTVM" -H h check br
	atf_check -s exit:1 test -e ran.ifconfig
	atf_check -s exit:1 test -e ran.zfs
	# start journals bhyve and says why it did not run.
	atf_check -s exit:1 -o ignore \
	    -e match:'runs its stand-in DIR/bin/bhyve only with PTVM_STANDINS=1' \
	    env -u PTVM_STANDINS "$PTVM" -H h start -F br
	atf_check -s exit:1 test -e ran.bhyve
	atf_check -o match:'^bhyve -k ' cat h/journal
	# With it, the stand-in runs.
	atf_check -o ignore -e ignore env PTVM_STANDINS=1 "$PTVM" -H h check br
	atf_check test -e ran.ifconfig
}

atf_test_case host_capture_live
host_capture_live_head()
{
	atf_set descr "host capture of the live host (over the FreeBSD" \
	    "shim: make check-live) writes the captured host it runs on"
}
host_capture_live_body()
{
	[ "${PTVM_LIVE_SHIM:-}" = 1 ] ||
	    atf_skip "reads the live host: make check-live runs it"
	cp -R "$DATA/../../examples/hosts/guide-rx7600" h
	rm -rf h/bin
	# VM winpt passes the GPU (its bhyve names ppt0, 6/0/1); other's
	# functions cannot be told.
	printf 'hw.vmm.amdvi.enable="1"\npptdevs="6/0/0"\n' > h/kenv.txt
	printf 'winpt 6/0/0 6/0/1\nother ?\n' > h/vmm.txt
	printf 'zroot/ROOT/default\t/\tzfs\trw\t0 0\n' > h/mount.txt
	: > h/swap.txt
	# The GPU's configuration space (host capture saves it).
	mkdir h/pci
	cp "$DATA/pci/amd-navi10-rx5600xt-pciconf-r.txt" h/pci/pci0:6:0:0.txt
	cp "$DATA/pci/amd-navi10-rx5600xt-pciconf-r.txt" h/pci/pci0:6:0:1.txt
	export PTVM_SHIM_DIR=h
	atf_check -o match:'captured this host in out' \
	    -e match:'camcontrol did not run to a zero exit' \
	    "$PTVM" host capture out
	for f in pciconf.txt sysctl.txt topology.xml kenv.txt kldstat.txt \
	    mount.txt swap.txt; do
		atf_check cmp h/$f out/$f
	done
	atf_check -s exit:1 test -e out/camcontrol.txt
	atf_check -o inline:'other ?\nwinpt 6/0/0 6/0/1\n' cat out/vmm.txt
	atf_check test -s out/pci/pci0:6:0:0.txt -a -s out/pci/pci0:6:0:1.txt
	atf_check -o match:'^/usr/sbin/pciconf -lbcv$' cat h/journal
	# The capture is the captured host: both read the same.
	"$PTVM" -H h devices > h.devices
	atf_check -o file:h.devices "$PTVM" -H out devices
	# Where pciconf -lbcv fails (securelevel), it is pciconf -lv.
	echo '/usr/sbin/pciconf -lbcv: EPERM' > h/fail
	atf_check -o ignore -e match:'captured with pciconf -lv' \
	    "$PTVM" host capture out2
	atf_check cmp h/pciconf.txt out2/pciconf.txt
	# With the GPU on ppt, winpt's bhyve names it ppt0 (PCIOCGETCONF
	# by name and unit tells which function that is).
	rm h/fail
	printf 'kldload vmm\ndevctl set driver -f pci0:6:0:0 ppt\n' >> h/journal
	atf_check -o match:'pci0:6:0:0 +ppt0' "$PTVM" -H h devices -a
	atf_check -o ignore -e ignore "$PTVM" host capture out3
	atf_check -o inline:'other ?\nwinpt 6/0/0 6/0/1\n' cat out3/vmm.txt
	# A command that fails but printed keeps its output, with a warning;
	# one that printed nothing fails the capture (the stand-ins run).
	mkdir h/bin
	printf '#!/bin/sh\necho "kern.ostype: FreeBSD"\nexit 1\n' > h/bin/sysctl
	printf '#!/bin/sh\nexit 1\n' > h/bin/kldstat
	chmod +x h/bin/sysctl h/bin/kldstat
	atf_check -s exit:1 -o empty \
	    -e match:'out4/sysctl.txt: warning: /sbin/sysctl -a failed with exit status 1' \
	    -e match:'out4/kldstat.txt: error: /sbin/kldstat failed with exit status 1' \
	    "$PTVM" host capture out4
	atf_check -o inline:'kern.ostype: FreeBSD\n' cat out4/sysctl.txt
	atf_check -s exit:1 test -e out4/kldstat.txt
}

atf_init_test_cases()
{
	atf_add_test_case captured_programs_need_standins
	atf_add_test_case host_capture_live
	atf_add_test_case host_setup_persistent_dropin
	atf_add_test_case unbind_says_the_dropin_binds_again_at_boot
	atf_add_test_case host_setup_runtime
}
