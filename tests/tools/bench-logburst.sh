#!/bin/sh
# bench-logburst.sh TOP [LINES]: a guest that floods bhyve's stderr with
# LINES (1000000) MSR lines, one write(2) each, on a copy of the guide's
# captured host with the stand-ins (tests/bin/bhyve burst=N).  Prints the
# largest NAME.out seen during the burst, then the sizes of NAME.log and
# NAME.out after it, and how many lines the log wrote and counted.
set -eu
top=$(cd "$1" && pwd)
lines=${2:-1000000}
w=$(mktemp -d /tmp/ptvm-bench-logburst.XXXXXX)
# Under set -e an EXIT trap whose last command fails makes the script fail:
# a stand-in that already exited is not an error.
trap 'for p in "$w"/h/run/*.pid; do if [ -f "$p" ]; then kill -9 "$(cat "$p")" 2>/dev/null || :; fi; done; rm -rf "$w"' EXIT
cd "$w"
PTVM=$top/ptvm DATA=$top/tests/data TESTBIN=$top/tests/bin
PTVM_STANDINS=1
export PTVM_STANDINS
. "$top/tests/cli/common.subr"
lifehost
printf 'chatter=0\nburst=%s\n' "$lines" > h/run/bhyve.ctl
"$PTVM" -H h start t1 > /dev/null
max=0
while [ ! -f h/run/bhyve.burst ]; do
	n=$(wc -c < h/log/t1.out)
	[ "$n" -gt "$max" ] && max=$n
	sleep 0.01
done
sleep 1
"$PTVM" -H h stop t1 > /dev/null
echo "NAME.out at most $max bytes during the burst"
echo "after: t1.log $(wc -c < h/log/t1.log) bytes," \
    "t1.out $(wc -c < h/log/t1.out) bytes"
awk '/ptvm: last message repeated/ { n += $6 } /bhyve: rdmsr/ { w++ }
    END { printf "lines: %d written, %d counted\n", w, n }' h/log/t1.log
