# pin_test: "ptvm topology" and "ptvm pin" against captured hosts.

# topohost NAME CAPTURE: a captured host with only a topology.
topohost()
{
	mkdir -p "$1"
	cp "$DATA/topology/$2" "$1/topology.xml"
}

atf_test_case pin_guide_machine_flags_config_and_picture
pin_guide_machine_flags_config_and_picture_body()
{
	topohost h ptnotes-blog-12cpu-6core-smt-beautified.xml
	atf_check -o match:'^  -p 0:2 -p 1:4 -p 2:6 -p 3:8$' \
	    -o match:'^  -c cpus=4,sockets=1,cores=4,threads=1$' \
	    -o match:'^vcpu.3.cpuset=8$' \
	    -o match:'host keeps 0,1$' \
	    -o match:'^  vm   \[ h  h\] \[v0  \.\] \[v1  \.\] \[v2  \.\] \[v3  \.\] \[ \.  \.\]$' \
	    "$PTVM" -H h pin 4
}

atf_test_case pin_says_the_vm_file_line_and_sets_it
pin_says_the_vm_file_line_and_sets_it_head()
{
	atf_set descr "pin prints the VM-file line of its plan; pin --set" \
	    "VM N edits the VM file in place, as the disk commands do"
}
pin_says_the_vm_file_line_and_sets_it_body()
{
	topohost t ptnotes-blog-12cpu-6core-smt-beautified.xml
	atf_check -o match:'^VM file: cpus=4 pin=threads \(ptvm pin --set VM 4 writes them\)$' \
	    "$PTVM" -H t pin 4
	atf_check -o match:'^VM file: cpus=4 pin=cores pin.reserve=0,1 \(ptvm pin --set VM 4 --policy cores --reserve 0,1 writes them\)$' \
	    "$PTVM" -H t pin 4 --policy cores --reserve 0-1
	cp -R "$DATA/../../examples/hosts/guide-rx7600" h
	f=h/root/usr/local/etc/ptvm/winpt.conf
	atf_check -o match:'winpt.conf:2: cpus=4 \(was cpus=8\)$' \
	    -o match:'winpt.conf:[0-9]+: pin=threads \(added\)$' \
	    -o match:'^next: ptvm -H h check winpt$' "$PTVM" -H h pin --set winpt 4
	atf_check -o match:'^cpus=4$' -o match:'^pin=threads$' \
	    -o match:'^# winpt: the guide' cat "$f"
	atf_check -o match:'already says so' "$PTVM" -H h pin --set winpt 4
	atf_check -o match:'winpt.conf:[0-9]+: pin=cores \(was pin=threads\)$' \
	    "$PTVM" -H h pin --set winpt 4 --policy cores
	atf_check -o match:'-p 0:2' "$PTVM" -H h show --argv winpt
	# A plan that cannot be made changes nothing.
	cp "$f" kept
	atf_check -s not-exit:0 -e match:'vCPU' "$PTVM" -H h pin --set winpt 99
	atf_check cmp kept "$f"
	atf_check -s exit:2 -e match:'usage: ptvm topology' "$PTVM" -H h topology --set winpt
}

atf_test_case pin_json_is_the_documented_object
pin_json_is_the_documented_object_body()
{
	topohost h ptnotes-blog-12cpu-6core-smt-beautified.xml
	echo '{"vcpus":4,"policy":"cores","pins":[{"vcpu":0,"cpu":2},{"vcpu":1,"cpu":3},{"vcpu":2,"cpu":4},{"vcpu":3,"cpu":5}],"guest":{"sockets":1,"cores":2,"threads":2},"reserved":[0,1],"l3_domains":1,"numa_nodes":1,"shared_cores":2}' > expected
	atf_check -o file:expected "$PTVM" -H h pin 4 --policy cores --json
}

atf_test_case pin_shared_core_is_marked_in_the_picture
pin_shared_core_is_marked_in_the_picture_body()
{
	topohost h intel-2core-4thread-nashost.xml
	atf_check -o match:'^  vm   \[v0 v1\] \[v2 v3\]$' \
	    -o match:'^       \^\^\^\^\^\^  \^\^\^\^\^\^$' \
	    -o match:'threads=2$' "$PTVM" -H h pin 4
	atf_check -o match:'^  vm   \[ h  h\] \[v0  \.\]$' "$PTVM" -H h pin 1
}

atf_test_case pin_reserve_none_and_list
pin_reserve_none_and_list_body()
{
	topohost h xeon-dual-socket-6core-noht-2numa.xml
	atf_check -o match:'"pins":\[\{"vcpu":0,"cpu":0\}' \
	    -o match:'"reserved":\[\]' "$PTVM" -H h pin 2 --reserve none --json
	atf_check -o match:'"numa_nodes":1' -o match:'"cpu":6\}' \
	    "$PTVM" -H h pin 6 --json
	atf_check -o match:'"reserved":\[0,1,2,3,4,5,6\]' -o match:'"cpu":11\}' \
	    "$PTVM" -H h pin 5 --reserve 0-6 --json
}

atf_test_case pin_impossible_requests_fail_clearly
pin_impossible_requests_fail_clearly_body()
{
	topohost h ptnotes-blog-12cpu-6core-smt-beautified.xml
	atf_check -s exit:1 -e match:'error: 13 vCPUs: this host has 12 CPUs' \
	    "$PTVM" -H h pin 13
	atf_check -s exit:1 \
	    -e match:'CPU 12 does not exist \(this host has CPUs 0-11\)' \
	    "$PTVM" -H h pin 2 --reserve 12
	atf_check -s exit:1 -e match:'leave none for the VM' \
	    "$PTVM" -H h pin 2 --reserve 0-11
	atf_check -s exit:2 -e match:'not a vCPU count' "$PTVM" -H h pin 0
	atf_check -s exit:2 -e match:'not threads or cores' \
	    "$PTVM" -H h pin 2 --policy smt
	atf_check -s exit:2 -e match:'number of vCPUs is missing' \
	    "$PTVM" -H h pin
}

atf_test_case topology_broken_capture_is_located
topology_broken_capture_is_located_body()
{
	mkdir h
	printf '<groups>\n <group level="1" cache-level="3">\n  <cpu count="2" mask="3,0">0, 1, 1</cpu>\n' \
	    > h/topology.xml
	atf_check -s exit:1 \
	    -e match:'^ptvm: topology.xml:3: error: CPU 1 listed twice$' \
	    "$PTVM" -H h topology
	printf '<groups>\n <group level="1" cache-level="3">\n  <cpu count="3" mask="7,0">0, 1</cpu>\n </group>\n</groups>\n' \
	    > h/topology.xml
	atf_check -s exit:0 -o match:'2 CPUs, 2 cores' \
	    -e match:'topology.xml:3: warning: count="3" but 2 CPUs listed' \
	    -e match:'topology.xml:3: warning: mask does not match' \
	    "$PTVM" -H h topology
}

atf_test_case topology_json_and_pin_picture
topology_json_and_pin_picture_body()
{
	topohost h xeon-dual-socket-6core-noht-2numa.xml
	atf_check -o match:'^\{"cpus":12,"cores":12,' \
	    -o match:'"numa_nodes":\[\{"node":0,' -o match:'"plan":\{"vcpus":3,' \
	    "$PTVM" -H h topology --json --pin 3
	atf_check -o match:'^node 1  L3 1: CPUs 6-11$' \
	    -o match:'^  vm   \[v0\] \[v1\] \[v2\] \[ \.\] \[ \.\] \[ \.\]$' \
	    "$PTVM" -H h topology --pin 3
	atf_check -s exit:2 -e match:'unknown option' "$PTVM" -H h pin 2 --pin 3
}

atf_init_test_cases()
{
	atf_add_test_case pin_guide_machine_flags_config_and_picture
	atf_add_test_case pin_json_is_the_documented_object
	atf_add_test_case pin_says_the_vm_file_line_and_sets_it
	atf_add_test_case pin_shared_core_is_marked_in_the_picture
	atf_add_test_case pin_reserve_none_and_list
	atf_add_test_case pin_impossible_requests_fail_clearly
	atf_add_test_case topology_broken_capture_is_located
	atf_add_test_case topology_json_and_pin_picture
}
