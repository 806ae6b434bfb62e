#!/bin/sh
# Runs each libFuzzer target for SECONDS, seeded from the test data,
# FUZZ_JOBS at a time (default: the number of CPUs).
set -eu
secs=$1; shift
jobs=${FUZZ_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
w=fuzz/corpus-work
mkdir -p "$w"

seed()
{
	c=$2
	cp tests/data/pciconf/*.txt "$c/" 2>/dev/null || true
	case "$1" in
	*fuzz_topo) cp tests/data/topology/*.xml tests/data/topology/fuzz/* \
	    "$c/" 2>/dev/null || true ;;
	*fuzz_rom) cp tests/data/roms/*.rom tests/data/roms/*.bin \
	    "$c/" 2>/dev/null || true ;;
	*fuzz_vmconf) cp examples/hosts/*/root/usr/local/etc/ptvm/*.conf \
	    "$c/" 2>/dev/null || true ;;
	*fuzz_vfct) cp tests/data/roms/*.dat "$c/" 2>/dev/null || true ;;
	*fuzz_bhyveargv) cp tests/data/vm/*.sh tests/data/vm/fuzz/* \
	    "$c/" 2>/dev/null || true ;;
	*fuzz_import) cp tests/data/vm/*.sh tests/data/vm/fuzz/* \
	    tests/data/vm/import/* "$c/" 2>/dev/null || true ;;
	*fuzz_undo) cp tests/data/undo/*.undo "$c/" 2>/dev/null || true ;;
	*fuzz_sup) cp tests/data/sup/*.status tests/data/sup/*.dirty \
	    tests/data/sup/*.log "$c/" 2>/dev/null || true ;;
	*fuzz_pcicfg) cp tests/data/pci/*.txt "$c/" 2>/dev/null || true ;;
	*fuzz_zfs) cp tests/data/zfs/*.txt "$c/" 2>/dev/null || true ;;
	*fuzz_vmedit) cp tests/data/vmedit/*.in "$c/" 2>/dev/null || true ;;
	esac
}

# One target; its log and "ok" or "fail" in $w/NAME.*.
one()
{
	n=$(basename "$1")
	c="$w/$n"
	mkdir -p "$c"
	seed "$1" "$c"
	if "$1" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
	    -print_final_stats=1 "$c" >"$w/$n.log" 2>&1; then
		echo ok > "$w/$n.result"
	else
		echo fail > "$w/$n.result"
	fi
}

set -- "$@"
running=0
for f in "$@"; do
	rm -f "$w/$(basename "$f").result"
	one "$f" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait
bad=0
for f in "$@"; do
	n=$(basename "$f")
	echo "== $f ($secs s)"
	if [ "$(cat "$w/$n.result" 2>/dev/null)" != ok ]; then
		grep -E 'ERROR|SUMMARY|Test unit written' "$w/$n.log" || true
		echo "$f found a failure"
		bad=1
	else
		grep -E 'stat::number_of_executed_units' "$w/$n.log" || true
	fi
done
[ "$bad" -eq 0 ] || exit 1
echo "fuzzing: no failures"
