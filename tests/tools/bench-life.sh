#!/bin/sh
# bench-life.sh TOP [RUNS]: the supervisor's two latencies, on a copy of
# the guide's captured host with the bhyve/bhyvectl stand-ins.
#  1. bhyve's exit to ptvm's cleanup done (VM destroyed, host restored,
#     status recorded): the stand-in stamps its exit (bhyve.exit_ns), the
#     supervisor stamps "cleanup done" in the VM's log.  Goal: < 50 ms.
#  2. "ptvm stop" run to SIGTERM handled by bhyve: stamped before the
#     command is started and by the stand-in's trap.  Goal: < 10 ms.
# Both include a fork/exec of date(1) (~1 ms); they are upper bounds.
set -eu
# The stand-ins of captured hosts run only with this (ptvm(8) ENVIRONMENT).
export PTVM_STANDINS=1
top=$(cd "$1" && pwd)
runs=${2:-10}
w=$(mktemp -d /tmp/ptvm-bench-life.XXXXXX)
# Under set -e an EXIT trap whose last command fails makes the script fail:
# a stand-in that already exited is not an error.
trap 'for p in "$w"/h/run/*.pid; do if [ -f "$p" ]; then kill -9 "$(cat "$p")" 2>/dev/null || :; fi; done; rm -rf "$w"' EXIT
cp -R "$top/examples/hosts/guide-rx7600" "$w/h"
mkdir -p "$w/h/bin" "$w/h/run"
cp "$top/tests/bin/bhyve" "$top/tests/bin/bhyvectl" "$w/h/bin/"
echo 'hw.vmm.amdvi.enable="1"' > "$w/h/kenv.txt"
echo 'hw.pci.default_vgapci_unit: 1' >> "$w/h/sysctl.txt"
printf 'cpus=2\nmemory=2G\npassthru=6/0/0\npassthru=6/0/1\nnet=tap0\n' \
    > "$w/h/root/usr/local/etc/ptvm/b.conf"
ptvm="$top/ptvm"

median()
{
	sort -n | awk '{ v[NR] = $1 } END { m = v[int((NR + 1) / 2)];
	    printf "median %.1f ms, max %.1f ms (%d runs)\n", m, v[NR], NR }'
}

# 1. exit to cleanup.
: > "$w/exit.ms"
i=0
while [ $i -lt "$runs" ]; do
	printf 'action=poweroff\nafter=1\n' > "$w/h/run/bhyve.ctl"
	rm -f "$w/h/log/b.log"
	"$ptvm" -H "$w/h" start -F b >/dev/null 2>&1 || true
	ex=$(cat "$w/h/run/bhyve.exit_ns")
	st=$(sed -n 's/^\([^ ]*\) ptvm: cleanup done.*/\1/p' "$w/h/log/b.log")
	done_ms=$(date -d "$st" +%s%3N)
	echo "$done_ms $ex" | awk '{ printf "%.3f\n", $1 - $2 / 1000000 }' \
	    >> "$w/exit.ms"
	i=$((i + 1))
done
printf 'guest exit -> cleanup done:      '
median < "$w/exit.ms"
printf '  (inside the supervisor: '
grep -h 'cleanup done' "$w/h/log/b.log" | sed 's/.*cleanup done //'
printf ')\n'

# 2. stop to SIGTERM.
: > "$w/stop.ms"
printf 'action=run\nterm_delay=0\n' > "$w/h/run/bhyve.ctl"
i=0
while [ $i -lt "$runs" ]; do
	rm -f "$w/h/run/bhyve.terms"
	"$ptvm" -H "$w/h" start b >/dev/null
	t0=$(date +%s%N)
	"$ptvm" -H "$w/h" stop b >/dev/null
	t1=$(awk '{ print $2 }' "$w/h/run/bhyve.terms")
	echo "$t0 $t1" | awk '{ printf "%.3f\n", ($2 - $1) / 1000000 }' \
	    >> "$w/stop.ms"
	i=$((i + 1))
done
printf 'ptvm stop -> SIGTERM in bhyve:   '
median < "$w/stop.ms"
