# bind_test: "ptvm bind" and "ptvm unbind" against captured hosts.

atf_test_case bind_journal_order
bind_journal_order_body()
{
	amdhost h msi-ms7c37-x570-rx5700-navi10-switch-fbsd13.1.txt
	atf_check -o match:'pci0:47:0:0 is on ppt0 \(was vgapci0\)' \
	    -o match:'pci0:47:0:1 is on ppt1 \(was hdac0\)' \
	    -e match:'drives the host console' \
	    "$PTVM" -H h bind --console-gpu=take 47/0/0 pci0:47:0:1
	cat > expected <<'EOT'
kenv hw.vmm.amdvi.enable="1"
kenv pptdevs="47/0/0 47/0/1"
devctl detach pci0:47:0:0
devctl detach pci0:47:0:1
kldload vmm
EOT
	atf_check -o file:expected cat h/journal
	atf_check -o match:'pci0:47:0:0 +ppt0 +GPU +on ppt' \
	    -o match:'all on ppt already' "$PTVM" -H h devices
	atf_check -o match:'pci0:47:0:0 vgapci boot' cat h/run/bindings
}

atf_test_case bind_vmm_loaded_sets_driver
bind_vmm_loaded_sets_driver_body()
{
	amdhost h msi-ms7c37-x570-rx5700-navi10-switch-fbsd13.1.txt
	printf ' 2 1 0xffffffff82150000 77e38 vmm.ko\n' >> h/kldstat.txt
	printf 'hw.vmm.amdvi.enable: 0\nhw.pci.default_vgapci_unit: 7\n' >> h/sysctl.txt
	atf_check -o ignore -e match:'passthrough has no IOMMU' \
	    "$PTVM" -H h bind hdac0 vgapci0
	cat > expected <<'EOT'
devctl detach pci0:47:0:0
devctl detach pci0:47:0:1
devctl set driver -f pci0:47:0:0 ppt
devctl set driver -f pci0:47:0:1 ppt
EOT
	atf_check -o file:expected cat h/journal
	atf_check -o match:'pci0:47:0:1 hdac fixed' cat h/run/bindings
	atf_check -o match:'devctl clear driver -f pci0:47:0:0' \
	    "$PTVM" -H h unbind 47/0/0
	atf_check -o match:'pci0:47:0:0 +vgapci0' "$PTVM" -H h devices
}

atf_test_case bind_busy_retries_then_forces
bind_busy_retries_then_forces_head()
{
	atf_set descr "a driver that refuses to quiesce: three plain" \
	    "detaches, then -f (which skips the quiesce) succeeds"
}
bind_busy_retries_then_forces_body()
{
	amdhost h partial-rx7600-navi33-ryzen5800x-ptnotes-blog.txt
	echo 'devctl quiesce pci0:6:0:0: EBUSY' > h/fail
	atf_check -o match:'devctl detach -f pci0:6:0:0' -e ignore \
	    "$PTVM" -H h bind --console-gpu=take 6/0/0
	atf_check -o inline:'3\n' -x 'grep -c "^# failed (EBUSY): devctl detach pci0:6:0:0$" h/journal'
	atf_check -o match:'^devctl detach -f pci0:6:0:0$' cat h/journal
	atf_check -o match:'pci0:6:0:0 +ppt0' "$PTVM" -H h devices
}

atf_test_case bind_busy_driver_refuses_forced_too
bind_busy_driver_refuses_forced_too_head()
{
	atf_set descr "a driver whose detach is busy refuses devctl detach" \
	    "-f too (subr_bus.c DEV_DETACH); bind says so and rolls back"
}
bind_busy_driver_refuses_forced_too_body()
{
	amdhost h partial-rx7600-navi33-ryzen5800x-ptnotes-blog.txt
	echo 'devctl detach pci0:6:0:0: EBUSY' > h/fail
	atf_check -s exit:1 -o match:'its driver refuses to detach \(EBUSY\), with or without -f' \
	    -o match:'rolling back' -e ignore "$PTVM" -H h bind --console-gpu=take 6/0/0
	atf_check -o match:'^# failed \(EBUSY\): devctl detach -f pci0:6:0:0$' \
	    cat h/journal
	atf_check -o match:'pci0:6:0:0 +vgapci0' "$PTVM" -H h devices
}

atf_test_case bind_rolls_back_on_failure
bind_rolls_back_on_failure_body()
{
	amdhost h msi-ms7c37-x570-rx5700-navi10-switch-fbsd13.1.txt
	printf ' 2 1 0xffffffff82150000 77e38 vmm.ko\n' >> h/kldstat.txt
	echo 'devctl set driver -f pci0:47:0:1 ppt: ENXIO' > h/fail
	atf_check -s exit:1 -o match:'rolling back' \
	    -e match:'binding failed at "devctl set driver -f pci0:47:0:1 ppt": .* \(ENXIO\)' \
	    "$PTVM" -H h bind --console-gpu=take 47/0/0 47/0/1
	cat > expected <<'EOT'
devctl detach pci0:47:0:0
devctl detach pci0:47:0:1
devctl set driver -f pci0:47:0:0 ppt
# failed (ENXIO): devctl set driver -f pci0:47:0:1 ppt
devctl clear driver -f pci0:47:0:0
devctl attach pci0:47:0:1
# failed (EBUSY): devctl attach pci0:47:0:0
EOT
	atf_check -o file:expected cat h/journal
	atf_check -o match:'pci0:47:0:0 +vgapci0' -o match:'pci0:47:0:1 +hdac0' \
	    "$PTVM" -H h devices
	atf_check -s exit:1 test -e h/run/bindings
}

atf_test_case bind_rollback_restores_kenv_and_vmm
bind_rollback_restores_kenv_and_vmm_body()
{
	amdhost h msi-ms7c37-x570-rx5700-navi10-switch-fbsd13.1.txt
	echo 'pptdevs="2/0/0"' > h/kenv.txt
	echo 'kldload vmm: ENOMEM' > h/fail
	atf_check -s exit:1 -o ignore -e match:'binding failed at "kldload vmm"' \
	    "$PTVM" -H h bind --console-gpu=take 47/0/0
	atf_check -o match:'^kenv pptdevs="2/0/0"$' -o match:'^kenv -u hw.vmm.amdvi.enable$' \
	    -o match:'^devctl attach pci0:47:0:0$' cat h/journal
	atf_check -o match:'pci0:47:0:0 +vgapci0' "$PTVM" -H h devices
}

atf_test_case bind_refuses_bridges_and_unknown
bind_refuses_bridges_and_unknown_body()
{
	amdhost h msi-ms7c37-x570-rx5700-navi10-switch-fbsd13.1.txt
	atf_check -s exit:1 -e match:'pci0:46:0:0 .* is a PCI bridge' \
	    -e match:'no PCI function pci0:99:0:0' -e match:'"x/y" is not a PCI selector' \
	    "$PTVM" -H h bind 46/0/0 99/0/0 x/y
	atf_check -s exit:1 -e match:'drives the host console' "$PTVM" -H h bind 47/0/0
	atf_check -s exit:1 test -e h/journal
}

atf_test_case bind_dry_run_changes_nothing
bind_dry_run_changes_nothing_body()
{
	amdhost h partial-rx7600-navi33-ryzen5800x-ptnotes-blog.txt
	atf_check -o match:'^kenv pptdevs="6/0/0 6/0/1"$' -o match:'^kldload vmm$' \
	    -o match:'^devctl detach pci0:6:0:0' -e ignore \
	    "$PTVM" -H h bind -n --console-gpu=take 6/0/0 6/0/1
	atf_check -s exit:1 test -e h/journal
}

atf_test_case unbind_boot_time_ppt_and_vm_owned
unbind_boot_time_ppt_and_vm_owned_body()
{
	mkhost h partial-rx9060xt-navi44-after-ppt-signal-eu-org.txt
	echo 'pptdevs="3/0/0 3/0/1"' > h/kenv.txt
	printf 'Id Refs Address Size Name\n 2 1 0xffffffff82150000 77e38 vmm.ko\n' > h/kldstat.txt
	# The kernel does not say which functions VM ollama holds; ptvm's
	# status file of it does (freebsd.md#B3).
	running_vm h ollama pci0:3:0:0 pci0:3:0:1
	atf_check -s exit:1 -e match:'used by the running VM ollama' \
	    "$PTVM" -H h unbind 3/0/0
	rm -r h/vmm.txt h/run
	# Released, each function gets what a loaded driver bids: vgapci for
	# the GPU; the audio stays unattached without snd_hda.ko (#D3).
	atf_check -o match:'pci0:3:0:0 is on vgapci0' \
	    -e match:'pci0:3:0:1 left ppt but no host driver attached' \
	    "$PTVM" -H h unbind ppt0 ppt1
	cat > expected <<'EOT'
kenv -u pptdevs
devctl clear driver -f pci0:3:0:0
devctl detach -f pci0:3:0:0
devctl attach pci0:3:0:0
devctl clear driver -f pci0:3:0:1
devctl detach -f pci0:3:0:1
# failed (ENXIO): devctl attach pci0:3:0:1
EOT
	atf_check -o file:expected cat h/journal
}

atf_test_case unbind_audio_gets_loaded_driver
unbind_audio_gets_loaded_driver_head()
{
	atf_set descr "a released HDMI audio function gets hdac only when" \
	    "snd_hda.ko is loaded"
}
unbind_audio_gets_loaded_driver_body()
{
	mkhost h partial-rx9060xt-navi44-after-ppt-signal-eu-org.txt
	echo 'pptdevs="3/0/0 3/0/1"' > h/kenv.txt
	printf 'Id Refs Address Size Name\n 2 1 0xffffffff82150000 77e38 vmm.ko\n 3 1 0xffffffff82200000 1000 snd_hda.ko\n' > h/kldstat.txt
	atf_check -o match:'pci0:3:0:1 is on hdac0' "$PTVM" -H h unbind ppt1
}

atf_test_case vm_devices_unknown_without_status
vm_devices_unknown_without_status_head()
{
	atf_set descr "a VM ptvm did not start holds functions ptvm cannot" \
	    "tell: said plainly"
}
vm_devices_unknown_without_status_body()
{
	mkhost h partial-rx9060xt-navi44-after-ppt-signal-eu-org.txt
	echo 'pptdevs="3/0/0 3/0/1"' > h/kenv.txt
	printf 'Id Refs Address Size Name\n 2 1 0xffffffff82150000 77e38 vmm.ko\n' > h/kldstat.txt
	echo 'other ?' > h/vmm.txt
	atf_check -s exit:1 -e match:'the running VM other may use pci0:3:0:0 \(ptvm cannot tell which functions it has\)' \
	    "$PTVM" -H h pci restore 3/0/0 /dev/null
}

atf_test_case unbind_clear_driver_no_driver
unbind_clear_driver_no_driver_head()
{
	atf_set descr "clear driver of a function no loaded driver wants" \
	    "returns ENXIO after unfixing it (subr_bus.c): unbind succeeds" \
	    "with the warning, and later commands see it unattached"
}
unbind_clear_driver_no_driver_body()
{
	cp -R "$DATA/../../examples/hosts/guide-rx7600" h
	printf 'Id Refs Address Size Name\n 2 1 0xffffffff82150000 77e38 vmm.ko\n' >> h/kldstat.txt
	atf_check -o ignore -e ignore "$PTVM" -H h bind --console-gpu=take 6/0/1
	atf_check -o match:'devctl set driver -f pci0:6:0:1 ppt' cat h/journal
	atf_check -o ignore -e match:'pci0:6:0:1 left ppt but no host driver attached' \
	    "$PTVM" -H h unbind 6/0/1
	atf_check -o match:'^devctl clear driver -f pci0:6:0:1$' \
	    -o match:'^# \(ENXIO: done, but no driver attached\)$' cat h/journal
	# Replayed without complaint: the function is unattached now.
	atf_check -o match:'pci0:6:0:1 +none0' -e not-match:'replaying' \
	    "$PTVM" -H h devices
}

atf_test_case model_vmm_rules
model_vmm_rules_head()
{
	atf_set descr "the captured kernel: vmm.ko does not unload while a VM" \
	    "exists, a bus rescan changes nothing, kenv values over 128" \
	    "bytes fail, AMD-Vi reads any non-zero integer, hw.vmm.* goes" \
	    "with the module"
}
model_vmm_rules_body()
{
	amdhost h partial-rx7600-navi33-ryzen5800x-ptnotes-blog.txt
	# kenv hw.vmm.amdvi.enable=0x1 before load: on (base 0).
	echo 'hw.vmm.amdvi.enable="0x1"' > h/kenv.txt
	echo 'kldload vmm' > h/journal
	mkdir -p h/root/usr/local/etc/ptvm
	printf 'cpus=1\nmemory=1G\npassthru=6/0/0\nconsole_gpu=take\nfirmware=/fw\n' > h/root/usr/local/etc/ptvm/v.conf
	atf_check -s ignore -e ignore -o match:'AMD-Vi enabled \(vmm.ko loaded with hw.vmm.amdvi.enable=1\)' \
	    "$PTVM" -H h check v
	# A VM exists: the unload is refused (vmmdev_cleanup).
	echo 'other ?' > h/vmm.txt
	echo 'kldunload vmm' >> h/journal
	atf_check -o ignore -e match:'replaying this change failed \(Device (or resource )?busy\)' \
	    "$PTVM" -H h devices
	rm h/vmm.txt
	printf 'kldload vmm\nkldunload vmm\n' > h/journal
	# Gone with the module: no hw.vmm.* sysctl, so check judges anew.
	atf_check -s ignore -e ignore -o match:'AMD-Vi: hw.vmm.amdvi.enable=1 is set for when vmm.ko loads' \
	    "$PTVM" -H h check v
	# A bus rescan does not reprobe an existing function.
	printf 'devctl rescan pci0\n' > h/journal
	atf_check -o match:'pci0:6:0:1 +none0' -e not-match:'replaying' \
	    "$PTVM" -H h devices
	# kenv: 128 bytes at most.
	long=$(printf '%0130d' 0)
	printf 'kenv x="%s"\n' "$long" > h/journal
	atf_check -o ignore -e match:'replaying this change failed \(File name too long\)' \
	    "$PTVM" -H h devices
}

atf_init_test_cases()
{
	atf_add_test_case bind_journal_order
	atf_add_test_case bind_vmm_loaded_sets_driver
	atf_add_test_case bind_busy_retries_then_forces
	atf_add_test_case bind_busy_driver_refuses_forced_too
	atf_add_test_case unbind_audio_gets_loaded_driver
	atf_add_test_case unbind_clear_driver_no_driver
	atf_add_test_case model_vmm_rules
	atf_add_test_case vm_devices_unknown_without_status
	atf_add_test_case bind_rolls_back_on_failure
	atf_add_test_case bind_rollback_restores_kenv_and_vmm
	atf_add_test_case bind_refuses_bridges_and_unknown
	atf_add_test_case bind_dry_run_changes_nothing
	atf_add_test_case unbind_boot_time_ppt_and_vm_owned
}
