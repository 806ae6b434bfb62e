#!/bin/sh
# Runs the test suite with Kyua and ends with one line:
#	N passed, N failed[, N skipped]
# Exit status 0 only when nothing failed or broke.
set -u
dir=${1:?usage: run-kyua.sh TESTS_DIR}
db="$dir/results.db"
rm -f "$db"
cd "$dir" || exit 1
# The cases run side by side, twice as many as there are CPUs (most of a
# case's time is waiting on its processes); PTVM_TEST_JOBS overrides
# (1: one after the other).  Each case has its own work directory and
# nothing outside it.
jobs=${PTVM_TEST_JOBS:-$(( $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1) * 2 ))}
kyua -v parallelism="$jobs" test --results-file="$db" >/dev/null 2>&1
kyua report --results-file="$db" --verbose \
    --results-filter=broken,failed >"$dir/failures.txt" 2>&1
kyua report --results-file="$db" >"$dir/report.txt" 2>&1
line=$(grep -E '^Test cases:' "$dir/report.txt" | tail -n 1)
if [ -z "$line" ]; then
	cat "$dir/report.txt"
	echo "0 passed, 1 failed"
	exit 1
fi
# "Test cases: 10 total, 1 skipped, 0 expected failures, 0 broken, 2 failed"
set -- $(echo "$line" | sed 's/[^0-9 ]//g')
total=$1 skipped=$2 xfail=$3 broken=$4 failed=$5
passed=$((total - skipped - xfail - broken - failed))
bad=$((failed + broken))
if [ "$bad" -gt 0 ]; then
	grep -E '->  *(failed|broken)' "$dir/report.txt" || true
	sed -n '1,200p' "$dir/failures.txt"
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $bad failed, $skipped skipped"
else
	echo "$passed passed, $bad failed"
fi
[ "$bad" -eq 0 ]
