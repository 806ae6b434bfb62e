#!/bin/sh
# Whole-process timings of "ptvm pin" and "ptvm topology" on synthetic
# hosts of 64, 256 and 1024 CPUs (median of 200 runs with hyperfine, or
# a rough loop without it).  Usage: bench-pin.sh TOP
# The target (issue 4): "ptvm pin" on 1024 CPUs under 20 ms.
set -eu
# The stand-ins of captured hosts run only with this (ptvm(8) ENVIRONMENT).
export PTVM_STANDINS=1
top=$1
work=${TMPDIR:-/tmp}/ptvm-bench-pin.$$
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
${CC:-cc} -std=gnu11 -O2 -isystem /usr/include/bsd -DLIBBSD_OVERLAY \
    -I"$top/lib" -I"$top/tests/lib" -o "$work/topogen" \
    "$top/tests/tools/topogen.c" "$top/libptvm.a" \
    $( [ "$(uname -s)" = Linux ] && echo -lbsd )
# nodes l3 cores threads: 64 = 1x2x16x2, 256 = 2x4x16x2, 1024 = 4x8x16x2
for spec in "64 1 2 16 2" "256 2 4 16 2" "1024 4 8 16 2"; do
	set -- $spec
	mkdir -p "$work/h$1"
	"$work/topogen" "$2" "$3" "$4" "$5" > "$work/h$1/topology.xml"
done
set --
for n in 64 256 1024; do
	half=$((n / 4))
	set -- "$@" "$top/ptvm -H $work/h$n pin $half" \
	    "$top/ptvm -H $work/h$n pin $half --policy cores --json" \
	    "$top/ptvm -H $work/h$n topology"
done
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N -w 20 -r 200 --export-json "$work/b.json" "$@" \
	    >/dev/null
	python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["results"]:
    c = r["command"].split("/ptvm ")[-1].split("/ptvm-bench-pin.")[-1]
    print("%-50s median %6.2f ms" % (c.split("/", 1)[-1], r["median"] * 1000))' \
	    "$work/b.json"
else
	for c in "$@"; do
		/usr/bin/time -p $c >/dev/null
	done
fi
