#!/bin/sh
# bench-pci.sh TOP: "ptvm pci diff" of two 4 KiB images (a real RX 5600
# XT dump against the same after a failed reset, and a 4 KiB NVIDIA dump
# against the AMD one, where every register differs), and "pci show" and
# "pci restore -n" on a captured host.  Budget: 5 ms a run, median, whole
# process.  Uses hyperfine(1) when installed, a loop otherwise.
set -eu
# The stand-ins of captured hosts run only with this (ptvm(8) ENVIRONMENT).
export PTVM_STANDINS=1
TOP=${1:-.}
PTVM="$TOP/ptvm"
P="$TOP/tests/data/pci"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

cp -R "$TOP/examples/hosts/msi-x570-rx5700" "$W/h"
rm -f "$W/h/journal"
mkdir "$W/h/pci" "$W/before"
cp "$P/amd-navi10-rx5600xt-pciconf-r.txt" "$W/h/pci/pci0:47:0:0.txt"
"$PTVM" -H "$W/h" pci save 47/0/0 "$W/before" >/dev/null
"$PTVM" -H "$W/h" bind --console-gpu=take 47/0/0 47/0/1 >/dev/null 2>&1
cp "$P/synthetic-navi10-rx5600xt-after-reset.txt" "$W/h/pci/pci0:47:0:0.txt"

set -- "$PTVM pci diff $P/amd-navi10-rx5600xt-pciconf-r.txt $P/synthetic-navi10-rx5600xt-after-reset.txt" \
    "$PTVM pci diff --json $P/nvidia-gt218-geforce210-lspci-xxxx.txt $P/amd-fiji-r9-fury-lspci-xxxx.txt" \
    "$PTVM -H $W/h pci show 47/0/0" \
    "$PTVM -H $W/h pci restore -n 47/0/0 $W/before"
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N -i -w 20 -r 200 --export-json "$W/h.json" "$@" \
	    >/dev/null 2>&1
	python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))["results"]
for x in r: print("%-60s median %.2f ms" % (x["command"].split("/ptvm ")[-1][:60], x["median"]*1000))
print("slowest median %.2f ms" % max(x["median"]*1000 for x in r))' \
	    "$W/h.json" | tee "$W/out"
	ms=$(sed -n 's/^slowest median \([0-9.]*\) ms$/\1/p' "$W/out")
else
	worst=0
	for c in "$@"; do
		t0=$(date +%s%N)
		for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			$c >/dev/null 2>&1 || true
		done
		t1=$(date +%s%N)
		ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 2e7 }')
		printf '%-60s mean %s ms\n' "$(echo "$c" | sed 's|.*/ptvm ||' | cut -c1-60)" "$ms"
		worst=$(awk -v a="$worst" -v b="$ms" 'BEGIN { print (b > a ? b : a) }')
	done
	ms=$worst
fi
echo "pci diff/show/restore -n, 4 KiB images: $ms ms (slowest; limit 5 ms)"
awk -v m="$ms" 'BEGIN { exit !(m < 5) }'
