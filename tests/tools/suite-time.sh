#!/bin/sh
# suite-time.sh REF [TOP]: times the whole test suite of commit REF and of
# the tree TOP (default: this one) in one run on the same machine, and
# prints both and their ratio:
#	suite at REF: 60.1 s (359 passed, 0 failed, 2 skipped)
#	suite here:   21.4 s (401 passed, 0 failed, 2 skipped)
#	ratio: 0.36
# Each tree is built first (not timed); then each suite runs alone, REF
# first.  REF is checked out into a temporary clone of TOP's repository.
set -eu
ref=${1:?usage: suite-time.sh REF [TOP]}
top=$(cd "${2:-$(dirname "$0")/../..}" && pwd)
w=$(mktemp -d "${TMPDIR:-/tmp}/ptvm-suite-time.XXXXXX")
trap 'rm -rf "$w"' EXIT
git clone -q "$top" "$w/ref"
git -C "$w/ref" checkout -q "$ref"
for t in "$w/ref" "$top"; do
	(cd "$t" && make -s >/dev/null && make -s tests >/dev/null)
done
now() { date +%s%N; }
run()
{
	t0=$(now)
	sh "$1/tests/tools/run-kyua.sh" "$1/tests" > "$2" 2>&1 || :
	t1=$(now)
	echo $(((t1 - t0) / 1000000))
}
a=$(run "$w/ref" "$w/ref.out")
b=$(run "$top" "$w/here.out")
awk -v a="$a" -v b="$b" -v r="$ref" -v ra="$(tail -n 1 "$w/ref.out")" \
    -v rb="$(tail -n 1 "$w/here.out")" 'BEGIN {
	printf "suite at %s: %.1f s (%s)\n", r, a / 1000, ra
	printf "suite here: %.1f s (%s)\n", b / 1000, rb
	printf "ratio: %.2f\n", b / a
}'
