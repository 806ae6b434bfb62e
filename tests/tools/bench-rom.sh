#!/bin/sh
# bench-rom.sh TOP: "ptvm rom inspect" on 16 MiB files must take under 20 ms
# (median, whole process).  Uses hyperfine(1) when installed.
set -eu
# The stand-ins of captured hosts run only with this (ptvm(8) ENVIRONMENT).
export PTVM_STANDINS=1
TOP=${1:-.}
PTVM="$TOP/ptvm"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# A real ROM padded with 0xFF to 16 MiB, as a full-flash dump looks,
# 16 MiB of random bytes, and 16 MiB of 0x55 (issue 17: a header was
# tested at each 0x55 byte, 100 ms).
cp "$TOP/tests/data/roms/efi-virtio.rom" "$W/padded.rom"
n=$((16 * 1024 * 1024 - $(wc -c < "$W/padded.rom")))
head -c "$n" /dev/zero | tr '\000' '\377' >> "$W/padded.rom"
head -c $((16 * 1024 * 1024)) /dev/urandom > "$W/random.rom"
head -c $((16 * 1024 * 1024)) /dev/zero | tr '\000' '\125' > "$W/x55.rom"

if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N -w 3 -r 30 -i --export-json "$W/h.json" \
	    "$PTVM rom inspect $W/padded.rom" \
	    "$PTVM rom inspect $W/random.rom" \
	    "$PTVM rom inspect $W/x55.rom" >&2
	med=$(sed -n 's/.*"median": *\([0-9.e-]*\).*/\1/p' "$W/h.json" |
	    sort -g | tail -1)
	ms=$(awk -v s="$med" 'BEGIN { printf "%.1f", s * 1000 }')
else
	t0=$(date +%s%N)
	for i in 1 2 3 4 5 6 7 8 9 10; do
		"$PTVM" rom inspect "$W/random.rom" >/dev/null 2>&1 || true
		"$PTVM" rom inspect "$W/x55.rom" >/dev/null 2>&1 || true
	done
	t1=$(date +%s%N)
	ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 2e7 }')
fi
echo "rom inspect, 16 MiB: $ms ms (slowest median; limit 20 ms)"
awk -v m="$ms" 'BEGIN { exit !(m < 20) }'
