#!/bin/sh
# bench.sh TOP: "make bench".  Every budget figure is a whole-process
# median (tests/tools/benchrun, posix_spawn, BENCH_RUNS runs) divided by
# the median start of an empty process (tests/tools/empty, linked with
# ptvm's libraries) measured at the start of the same run, and printed as
#	figure: measured (xfloor), budget xN
# A figure over its budget makes the run exit 1, after all are printed.
set -eu
# The stand-ins of captured hosts run only with this (ptvm(8) ENVIRONMENT).
export PTVM_STANDINS=1
top=$(cd "${1:-.}" && pwd)
ptvm=$top/ptvm
br=$top/tests/tools/benchrun
w=$(mktemp -d "${TMPDIR:-/tmp}/ptvm-bench.XXXXXX")
trap 'rm -rf "$w"' EXIT
over=0

floor=$("$br" floor "$top/tests/tools/empty")
echo "empty process: $(awk -v f="$floor" 'BEGIN { printf "%.2f", f / 1000 }') ms (the floor, x1.0)"

# fig LABEL BUDGET PROGRAM ARG...
fig()
{
	l=$1 b=$2
	shift 2
	"$br" run "$l" "$b" "$floor" -- "$@" || over=$((over + 1))
}

# judge LABEL BUDGET MS: a figure measured by a script of its own.
judge()
{
	"$br" judge "$1" "$2" "$floor" "$3" || over=$((over + 1))
}

# Devices: the bundled X570 host, and a host whose every slot holds a GPU
# (4096 functions: grouping must stay linear, issue 17).
x570=$top/examples/hosts/msi-x570-rx5700
sh "$top/tests/tools/gen-gpuhost.sh" 1024 "$w/dense1024"
sh "$top/tests/tools/gen-gpuhost.sh" 4096 "$w/dense"
fig "devices" 4 "$ptvm" -H "$x570" devices
fig "devices --json" 4 "$ptvm" -H "$x570" devices --json
fig "bind -n (console GPU, X570)" 4 "$ptvm" -H "$x570" bind -n --console-gpu=take 47/0/0 47/0/1
# Four times the functions: about four times the cost, not sixteen.
"$br" run "devices, 1024 functions, every slot a GPU" 10 "$floor" -- \
    "$ptvm" -H "$w/dense1024" devices > "$w/d1024" || over=$((over + 1))
"$br" run "devices, 4096 functions, every slot a GPU" 30 "$floor" -- \
    "$ptvm" -H "$w/dense" devices > "$w/d4096" || over=$((over + 1))
cat "$w/d1024" "$w/d4096"
a=$(sed -n 's/^[^:]*: \([0-9.]*\) ms.*/\1/p' "$w/d1024")
b=$(sed -n 's/^[^:]*: \([0-9.]*\) ms.*/\1/p' "$w/d4096")
if awk -v a="$a" -v b="$b" 'BEGIN { r = b / a
    printf "devices, 4096 over 1024 functions: x%.1f, budget x8 (linear x4, quadratic x16)%s\n", r, (r > 8 ? "  OVER BUDGET" : "")
    exit (r > 8) }'; then :; else over=$((over + 1)); fi

# Topology and pinning on synthetic 64, 256 and 1024-CPU hosts.
${CC:-cc} -std=gnu11 -O2 -isystem /usr/include/bsd -DLIBBSD_OVERLAY \
    -I"$top/lib" -I"$top/tests/lib" -o "$w/topogen" \
    "$top/tests/tools/topogen.c" "$top/libptvm.a" \
    $( [ "$(uname -s)" = Linux ] && echo -lbsd )
# nodes l3 cores threads: 64 = 1x2x16x2, 256 = 2x4x16x2, 1024 = 4x8x16x2
for spec in "64 1 2 16 2" "256 2 4 16 2" "1024 4 8 16 2"; do
	set -- $spec
	mkdir -p "$w/t$1"
	"$w/topogen" "$2" "$3" "$4" "$5" > "$w/t$1/topology.xml"
	fig "pin $(($1 / 4)) on $1 CPUs" 8 "$ptvm" -H "$w/t$1" pin $(($1 / 4))
	fig "pin --policy cores --json on $1 CPUs" 8 "$ptvm" -H "$w/t$1" \
	    pin $(($1 / 4)) --policy cores --json
	fig "topology of $1 CPUs" 8 "$ptvm" -H "$w/t$1" topology
done

# ROMs: a real ROM padded to 16 MiB as a full-flash dump looks, 16 MiB
# of random bytes, and 16 MiB of 0x55 (every byte starts a signature).
cp "$top/tests/data/roms/efi-virtio.rom" "$w/padded.rom"
n=$((16 * 1024 * 1024 - $(wc -c < "$w/padded.rom")))
head -c "$n" /dev/zero | tr '\000' '\377' >> "$w/padded.rom"
head -c $((16 * 1024 * 1024)) /dev/urandom > "$w/random.rom"
head -c $((16 * 1024 * 1024)) /dev/zero | tr '\000' '\125' > "$w/x55.rom"
BENCH_RUNS=${BENCH_ROM_RUNS:-31}
export BENCH_RUNS
fig "rom inspect, 16 MiB padded" 12 "$ptvm" rom inspect "$w/padded.rom"
fig "rom inspect, 16 MiB random" 12 "$ptvm" rom inspect "$w/random.rom"
fig "rom inspect, 16 MiB of 0x55" 12 "$ptvm" rom inspect "$w/x55.rom"
unset BENCH_RUNS

# PCI configuration space: diff of two 4 KiB images, show, restore -n.
p=$top/tests/data/pci
cp -R "$x570" "$w/h"
rm -f "$w/h/journal"
mkdir "$w/h/pci" "$w/before"
cp "$p/amd-navi10-rx5600xt-pciconf-r.txt" "$w/h/pci/pci0:47:0:0.txt"
"$ptvm" -H "$w/h" pci save 47/0/0 "$w/before" >/dev/null
"$ptvm" -H "$w/h" bind --console-gpu=take 47/0/0 47/0/1 >/dev/null 2>&1
cp "$p/synthetic-navi10-rx5600xt-after-reset.txt" "$w/h/pci/pci0:47:0:0.txt"
fig "pci diff, 4 KiB images" 4 "$ptvm" pci diff \
    "$p/amd-navi10-rx5600xt-pciconf-r.txt" \
    "$p/synthetic-navi10-rx5600xt-after-reset.txt"
fig "pci diff --json, every register differs" 4 "$ptvm" pci diff --json \
    "$p/nvidia-gt218-geforce210-lspci-xxxx.txt" \
    "$p/amd-fiji-r9-fury-lspci-xxxx.txt"
fig "pci show" 4 "$ptvm" -H "$w/h" pci show 47/0/0
fig "pci restore -n" 4 "$ptvm" -H "$w/h" pci restore -n 47/0/0 "$w/before"

# The guide's VM: compile and check.
guide=$top/examples/hosts/guide-rx7600
fig "show winpt --argv" 4 "$ptvm" -H "$guide" show winpt --argv
fig "show winpt --json" 4 "$ptvm" -H "$guide" show winpt --json
fig "check winpt" 6 "$ptvm" -H "$guide" check winpt

# Many VMs: list and status of 1000 VM files (console=auto, pinned) on a
# 1024-CPU host read the topology and the VM files once per command, not
# once per VM (issue 17: it was seconds).
cp -R "$top/examples/hosts/guide-rx7600" "$w/many"
cp "$w/t1024/topology.xml" "$w/many/topology.xml"
i=1
while [ $i -le 1000 ]; do
	printf 'cpus=4\nmemory=4G\npin=threads\ndisk=/dev/zvol/zroot/vm%d\nnet=tap%d\n' \
	    $i $i > "$w/many/root/usr/local/etc/ptvm/vm$i.conf"
	i=$((i + 1))
done
BENCH_RUNS=11
export BENCH_RUNS
fig "list, 1000 VMs on 1024 CPUs" 200 "$ptvm" -H "$w/many" list
fig "status, 1000 VMs on 1024 CPUs" 200 "$ptvm" -H "$w/many" status
unset BENCH_RUNS

# The supervisor's two latencies (bench-life.sh prints medians in ms).
sh "$top/tests/tools/bench-life.sh" "$top" > "$w/life.txt"
cat "$w/life.txt"
ms=$(sed -n 's/^guest exit -> cleanup done: *median \([0-9.]*\) ms.*/\1/p' "$w/life.txt")
judge "guest exit -> cleanup done" 20 "$ms"
ms=$(sed -n 's/^ptvm stop -> SIGTERM in bhyve: *median \([0-9.]*\) ms.*/\1/p' "$w/life.txt")
judge "ptvm stop -> SIGTERM in bhyve" 12 "$ms"

if [ "$over" -gt 0 ]; then
	echo "$over figure(s) over budget"
	exit 1
fi
echo "every figure within its budget"
