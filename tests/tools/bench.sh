#!/bin/sh
# Whole-process timings of ptvm on bundled captured hosts (median of
# repeated runs).  Uses hyperfine when installed, a loop otherwise.
set -eu
# The stand-ins of captured hosts run only with this (ptvm(8) ENVIRONMENT).
export PTVM_STANDINS=1
top=$1
host="$top/examples/hosts/msi-x570-rx5700"
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N -w 20 -r 200 --export-json /tmp/ptvm-bench.json \
	    "$top/ptvm -H $host devices" \
	    "$top/ptvm -H $host devices --json" \
	    "$top/ptvm -H $host bind -n --console-gpu=take 47/0/0 47/0/1" >/dev/null
	python3 -c 'import json;[print("%-60s median %.2f ms" % (r["command"].split("/ptvm ")[-1], r["median"]*1000)) for r in json.load(open("/tmp/ptvm-bench.json"))["results"]]'
else
	for i in 1 2 3; do /usr/bin/time -p "$top/ptvm" -H "$host" devices >/dev/null; done
fi
# ptvm topology / pin on synthetic 64, 256 and 1024-CPU hosts.
sh "$top/tests/tools/bench-pin.sh" "$top"
sh "$top/tests/tools/bench-rom.sh" "$top"
# ptvm pci diff of two 4 KiB images, show and restore -n (budget: 5 ms).
sh "$top/tests/tools/bench-pci.sh" "$top"
# ptvm show of the guide's VM (budget: 10 ms, median, whole process).
guide="$top/examples/hosts/guide-rx7600"
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N -i -w 20 -r 200 --export-json /tmp/ptvm-bench-show.json \
	    "$top/ptvm -H $guide show winpt --argv" \
	    "$top/ptvm -H $guide show winpt --json" \
	    "$top/ptvm -H $guide check winpt" >/dev/null 2>&1 || true
	python3 -c 'import json;[print("%-60s median %.2f ms" % (r["command"].split("/ptvm ")[-1], r["median"]*1000)) for r in json.load(open("/tmp/ptvm-bench-show.json"))["results"]]'
else
	t0=$(date +%s%N)
	for i in 1 2 3 4 5 6 7 8 9 10; do
		"$top/ptvm" -H "$guide" show winpt --argv >/dev/null
	done
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "show winpt --argv: %.2f ms a run\n", (b - a) / 1e7 }'
fi
sh "$top/tests/tools/bench-life.sh" "$top"
