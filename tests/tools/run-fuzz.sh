#!/bin/sh
# Runs each libFuzzer target for SECONDS, seeded from the test data.
set -eu
secs=$1; shift
mkdir -p fuzz/corpus-work
for f in "$@"; do
	c="fuzz/corpus-work/$(basename "$f")"
	mkdir -p "$c"
	cp tests/data/pciconf/*.txt "$c/" 2>/dev/null || true
	case "$f" in
	*fuzz_topo) cp tests/data/topology/*.xml tests/data/topology/fuzz/* \
	    "$c/" 2>/dev/null || true ;;
	*fuzz_rom) cp tests/data/roms/*.rom tests/data/roms/*.bin \
	    "$c/" 2>/dev/null || true ;;
	*fuzz_vmconf) cp examples/hosts/*/root/usr/local/etc/ptvm/*.conf \
	    "$c/" 2>/dev/null || true ;;
	*fuzz_vfct) cp tests/data/roms/*.dat "$c/" 2>/dev/null || true ;;
	*fuzz_bhyveargv) cp tests/data/vm/*.sh tests/data/vm/fuzz/* \
	    "$c/" 2>/dev/null || true ;;
	*fuzz_undo) cp tests/data/undo/*.undo "$c/" 2>/dev/null || true ;;
	*fuzz_sup) cp tests/data/sup/*.status tests/data/sup/*.dirty \
	    tests/data/sup/*.log "$c/" 2>/dev/null || true ;;
	*fuzz_pcicfg) cp tests/data/pci/*.txt "$c/" 2>/dev/null || true ;;
	esac
	echo "== $f ($secs s)"
	if ! "$f" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
	    -print_final_stats=1 "$c" >fuzz/corpus-work/log 2>&1; then
		grep -E 'ERROR|SUMMARY|Test unit written' fuzz/corpus-work/log
		echo "$f found a failure"
		exit 1
	fi
	grep -E 'stat::number_of_executed_units' fuzz/corpus-work/log
done
echo "fuzzing: no failures"
