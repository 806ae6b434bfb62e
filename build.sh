#!/bin/sh
# build.sh demo | check | ci: installs what is missing (Debian: apt-get;
# FreeBSD 14 needs nothing beyond the base system), builds, and runs the
# example or the tests.
set -eu
cd "$(dirname "$0")"
need_debian() {
	[ -f /etc/debian_version ] || return 0
	pkgs="gcc make libbsd-dev libexpat1-dev libatf-dev atf-sh kyua $*"
	missing=""
	for p in $pkgs; do
		dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
}
case "${1:-demo}" in
demo)
	need_debian
	make -s >/dev/null
	h=examples/hosts/msi-x570-rx5700
	echo "\$ ptvm -H $h devices"
	./ptvm -H "$h" devices
	echo
	echo "\$ ptvm -H $h bind -n --console-gpu=take 47/0/0 47/0/1"
	./ptvm -H "$h" bind -n --console-gpu=take 47/0/0 47/0/1
	;;
check)
	need_debian mandoc
	make -s >/dev/null
	make -s tests >/dev/null
	sh tests/tools/run-kyua.sh "$(pwd)/tests"
	;;
*)
	echo "usage: sh build.sh demo | check" >&2
	exit 2
	;;
esac
