#!/bin/sh
# Runs each libFuzzer target for SECONDS, seeded from the test data,
# FUZZ_JOBS at a time (default: the number of CPUs).
set -eu
secs=$1; shift
jobs=${FUZZ_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
w=fuzz/corpus-work
mkdir -p "$w"

# Copies files into corpus $1, each named after its path (captures of
# several hosts share file names).
put()
{
	c=$1; shift
	for f in "$@"; do
		[ -f "$f" ] && cp "$f" "$c/$(echo "$f" | tr / _)"
	done
	return 0
}

# Seeds a target with inputs of its own format only: another format's
# files (64 KiB pciconf captures) reach none of its code and slow every
# run down (fuzz_sup fell from thousands of runs a second to 76).
# fuzz/seeds/NAME/ holds small seeds written for target fuzz_NAME.
seed()
{
	n=$(basename "$1")
	c=$2
	put "$c" fuzz/seeds/"${n#fuzz_}"/*
	case "$n" in
	fuzz_pciconf) put "$c" tests/data/pciconf/*.txt \
	    examples/hosts/*/pciconf.txt tests/data/hosts/*/pciconf.txt ;;
	fuzz_kv) put "$c" examples/hosts/*/sysctl.txt examples/hosts/*/kenv.txt \
	    examples/hosts/*/kldstat.txt tests/data/hosts/*/*.txt ;;
	fuzz_topo) put "$c" tests/data/topology/*.xml tests/data/topology/fuzz/* ;;
	fuzz_rom) put "$c" tests/data/roms/*.rom tests/data/roms/*.bin ;;
	fuzz_vmconf) put "$c" examples/hosts/*/root/usr/local/etc/ptvm/*.conf ;;
	fuzz_vfct) put "$c" tests/data/roms/*.dat ;;
	fuzz_bhyveargv) put "$c" tests/data/vm/*.sh tests/data/vm/fuzz/* ;;
	fuzz_import) put "$c" tests/data/vm/*.sh tests/data/vm/fuzz/* \
	    tests/data/vm/import/* ;;
	fuzz_undo) put "$c" tests/data/undo/*.undo ;;
	fuzz_sup) put "$c" tests/data/sup/*.status tests/data/sup/*.dirty \
	    tests/data/sup/*.log ;;
	fuzz_pcicfg) put "$c" tests/data/pci/*.txt ;;
	fuzz_zfs) put "$c" tests/data/zfs/*.txt ;;
	fuzz_vmedit) put "$c" tests/data/vmedit/*.in ;;
	fuzz_loaderconf) put "$c" examples/hosts/*/root/boot/loader.conf \
	    examples/hosts/*/root/etc/sysctl.conf ;;
	fuzz_capfiles) put "$c" examples/hosts/*/vmm.txt \
	    examples/hosts/*/fail tests/data/hosts/*/vmm.txt \
	    tests/data/hosts/*/fail ;;
	esac
}

# The longest input a target is given: line formats need no 64 KiB.
maxlen()
{
	case "$(basename "$1")" in
	fuzz_ctlmsg|fuzz_sel|fuzz_cpulist|fuzz_tpu) echo 4096 ;;
	*) echo 65536 ;;
	esac
}

# One target; its log and "ok" or "fail" in $w/NAME.*.
one()
{
	n=$(basename "$1")
	c="$w/$n"
	mkdir -p "$c"
	seed "$1" "$c"
	if "$1" -max_total_time="$secs" -max_len="$(maxlen "$1")" -rss_limit_mb=2048 \
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
