#!/bin/sh
# make check-live: the whole suite with the live FreeBSD host
# (host/host_freebsd.c) running over the FreeBSD shim (host/shim/) in
# place of the captured host: "ptvm -H DIR" then opens the live host over
# DIR's kernel model.  The tree is built in a copy (obj-live/), with gcov
# instrumentation, so that the normal build is not disturbed; it ends with
#	host_freebsd.c: N% of lines
# and fails when the suite fails or N is under LIVE_MIN_COVERAGE (85).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
obj=${LIVE_OBJ:-$top/obj-live}
min=${LIVE_MIN_COVERAGE:-85}
MAKE=${MAKE:-make}
start=$(date +%s)

case "$obj" in
/|"$top"|"$top"/|"$HOME"|"")
	echo "check-live: LIVE_OBJ=$obj would remove too much" >&2
	exit 1
	;;
esac
rm -rf "$obj"
mkdir -p "$obj" || exit 1
# The sources as they are now, tracked or new, without build products
# (outside a git checkout: every file but objects and coverage data).
if (cd "$top" && git rev-parse --is-inside-work-tree) >/dev/null 2>&1; then
	(cd "$top" && git ls-files -co --exclude-standard)
else
	(cd "$top" && find . -path ./obj-live -prune -o -type f ! -name '*.o' \
	    ! -name '*.a' ! -name '*.gc*' -print)
fi | grep -v -e '^obj-live/' -e "^${obj#"$top"/}/" |
    (cd "$top" && tar cf - -T -) | (cd "$obj" && tar xf -) || exit 1

# The live host and the shim instead of the captured front end.
hsrcs="host/host.c host/kmodel.c host/sysutil.c host/hostsys.c host/host_freebsd.c \
host/shim/shim.c host/shim/pci.c host/shim/sysctl.c host/shim/kern.c"
# LIVE_CFLAGS, LIVE_LDFLAGS: more flags (the sanitizers, say).
# PTVM_COVERAGE: the daemonized supervisor writes its counters too.
cflags="--coverage -DPTVM_COVERAGE -Ihost/shim/include ${LIVE_CFLAGS:-}"
ldflags="--coverage ${LIVE_LDFLAGS:-}"
cd "$obj" || exit 1
# host_freebsd.c alone gets include/shim.h first (it renames the calls
# that must reach the model); built first, make then takes it as done.
$MAKE -s EXTRA_CFLAGS="$cflags -include host/shim/include/shim.h" \
    HOST_SRCS="$hsrcs" host/host_freebsd.o >/dev/null || exit 1
# LIVE_SHIM=1: the cases of the captured host's own behaviour skip
# (common.subr captured_only).
$MAKE -s EXTRA_CFLAGS="$cflags" EXTRA_LDFLAGS="$ldflags" LIVE_SHIM=1 \
    HOST_SRCS="$hsrcs" all tests >/dev/null || exit 1
# engine_test drives the engine on the captured host under a virtual
# clock (host_capture_clock, cap_fd_poll); the live host keeps the real
# clock, so its engine runs in the CLI lifecycle tests below instead.
sed -i.bak '/name="engine_test"/d' tests/lib/Kyuafile && rm -f tests/lib/Kyuafile.bak
# The names a live host's pciconf -lv (and ptvm) read from its database,
# as the captures show them: the kernel gives only IDs.
find examples/hosts tests/data/hosts -name pciconf.txt | sort |
    xargs awk -f tests/tools/pciids-of-captures.awk tests/data/pciconf/*.txt \
    > "$obj/pci.ids.tmp" && mv "$obj/pci.ids.tmp" "$obj/pci.ids" || exit 1
PTVM_PCIIDS=$obj/pci.ids
export PTVM_PCIIDS
sh tests/tools/run-kyua.sh "$obj/tests"
rc=$?

line=$(cd host && gcov -n -o . host_freebsd.c 2>/dev/null |
    sed -n "/^File '.*host_freebsd.c'/{n;p;}" | head -n 1)
pct=$(echo "$line" | sed -n 's/^Lines executed:\([0-9.]*\)% of .*/\1/p')
if [ -z "$pct" ]; then
	echo "check-live: no coverage of host_freebsd.c (gcov said: $line)" >&2
	exit 1
fi
echo "check-live: $(( $(date +%s) - start )) s"
echo "host_freebsd.c: ${pct%.*}% of lines"
[ "$rc" -eq 0 ] || exit 1
if [ "${pct%.*}" -lt "$min" ]; then
	echo "check-live: host_freebsd.c coverage ${pct}% is under ${min}%" >&2
	exit 1
fi
