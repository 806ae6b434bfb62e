# readme_test: every transcript of README.md is what the command prints
# now, and every command of the man pages' EXAMPLES runs; so the papers
# never drift from the program.  "$ ptvm ..." transcripts run as they are
# from the top of the tree (on the bundled hosts); "# ptvm ..." ones (a
# root prompt, the live host) run in order on a copy of the guide's host
# with -H added and the stand-ins in DIR/bin.  tests/tools/transcripts.awk
# extracts them.
# PTVM, DATA and TESTBIN are set by the Makefile.

TOP="$DATA/../.."
GUIDE="$TOP/examples/hosts/guide-rx7600"
export TZ=UTC

# extract FILE DIR: the transcripts of FILE in DIR (N.cmd, N.out, ...).
extract()
{
	mkdir -p "$2"
	awk -v dir="$2" -f "$TOP/tests/tools/transcripts.awk" "$1"
	[ "$(cat "$2/count")" -gt 0 ] || atf_fail "$1: no transcript found"
}

# on_tty INPUT CMD...: CMD on a pseudo-terminal, INPUT typed.
on_tty()
{
	_in=$1
	shift
	if script --version 2>/dev/null | grep -q util-linux; then
		_c=
		for _a in "$@"; do
			_c="$_c '$_a'"
		done
		printf '%s\n' "$_in" | script -qec "$_c" /dev/null
	else
		printf '%s\n' "$_in" | script -q /dev/null "$@"
	fi
}

# compare N FILE: the output got N.got against the transcript N.out.
compare()
{
	if ! diff -u "t/$1.out" "t/$1.got" > "t/$1.diff"; then
		cat "t/$1.diff" >&2
		atf_fail "$2:$(cat "t/$1.line"): the transcript of '$(cat "t/$1.cmd")' is not what it prints (diff above: - the file, + now)"
	fi
}

atf_test_case readme_transcripts
readme_transcripts_head()
{
	atf_set descr "README.md's \$ ptvm transcripts are the commands'" \
	    "output on the bundled hosts, byte for byte"
}
readme_transcripts_body()
{
	extract "$TOP/README.md" t
	n=$(cat t/count)
	i=1 k=0
	while [ $i -le "$n" ]; do
		if [ ! -f "t/$i.root" ]; then
			c=$(cat "t/$i.cmd")
			(cd "$TOP" && eval "\"\$PTVM\" ${c#ptvm }") \
			    > "t/$i.got" 2>/dev/null
			compare $i README.md
			k=$((k + 1))
		fi
		i=$((i + 1))
	done
	[ $k -ge 3 ] || atf_fail "only $k \$ transcripts checked"
}

atf_test_case readme_root_transcripts
readme_root_transcripts_head()
{
	atf_set descr "README.md's # ptvm transcripts (disk, cdrom, snapshot," \
	    "rollback), run in order on the guide's host as the README" \
	    "says: winpt.conf without its disk= and cdrom= lines"
	atf_set require.progs script
}
readme_root_transcripts_body()
{
	extract "$TOP/README.md" t
	cp -R "$GUIDE" h
	sed -i.orig '/^disk=/d; /^cdrom=/d' h/root/usr/local/etc/ptvm/winpt.conf
	rm -f h/root/usr/local/etc/ptvm/winpt.conf.orig \
	    h/root/dev/zvol/zroot/opt/windows
	: > h/root/vm/iso/virtio-win.iso
	mkdir -p h/bin h/run
	cp "$TESTBIN/zfs" "$TESTBIN/bhyve" "$TESTBIN/bhyvectl" h/bin/
	n=$(cat t/count)
	i=1 k=0
	while [ $i -le "$n" ]; do
		if [ -f "t/$i.root" ]; then
			c=$(cat "t/$i.cmd")
			case $c in
			"ptvm snapshots "*)
				# "Weeks later, with another snapshot
				# taken since".
				h/bin/zfs _write zroot/opt/windows 12G
				"$PTVM" -H h snapshot winpt games >/dev/null
				h/bin/zfs _write zroot/opt/windows 3G
				;;
			esac
			case $c in
			"ptvm rollback "*)
				# It asks: on a terminal, y typed (its
				# echo, typed ahead, put after the prompt).
				eval "on_tty y \"\$PTVM\" -H h ${c#ptvm }" |
				    tr -d '\r' | awk 'NR == 1 && $0 == "y" { next }
				    { sub(/\[y\/N\] /, "[y/N] y\n"); print }' \
				    > "t/$i.got"
				;;
			*)
				eval "\"\$PTVM\" -H h ${c#ptvm }" \
				    > "t/$i.got" 2>&1 < /dev/null
				;;
			esac
			compare $i README.md
			k=$((k + 1))
		fi
		i=$((i + 1))
	done
	[ $k -ge 5 ] || atf_fail "only $k # transcripts checked"
}

# The commands of a man page's EXAMPLES run: "$ ptvm -H ..." as they
# are, the others on a copy of the guide's host with -H; none may be a
# usage error (exit 2), whatever the host says of it.
man_examples()
{
	extract "$TOP/man/$1" t
	cp -R "$GUIDE" h
	mkdir -p h/bin h/run
	cp "$TESTBIN/zfs" "$TESTBIN/bhyve" "$TESTBIN/bhyvectl" h/bin/
	n=$(cat t/count)
	i=1
	while [ $i -le "$n" ]; do
		c=$(cat "t/$i.cmd")
		case $c in
		"ptvm -H "*)
			(cd "$TOP" && eval "\"\$PTVM\" ${c#ptvm }") \
			    > "t/$i.got" 2> "t/$i.err" < /dev/null
			rc=$?
			;;
		*)
			eval "\"\$PTVM\" -H h ${c#ptvm }" > "t/$i.got" \
			    2> "t/$i.err" < /dev/null
			rc=$?
			;;
		esac
		if [ $rc -eq 2 ] || grep -q '^usage:' "t/$i.err"; then
			cat "t/$i.err" >&2
			atf_fail "$1:$(cat "t/$i.line"): '$c' is a usage error"
		fi
		i=$((i + 1))
	done
	"$PTVM" -H h stop --force winpt >/dev/null 2>&1
	return 0
}

atf_test_case man8_examples cleanup
man8_examples_head()
{
	atf_set descr "every command of ptvm.8's EXAMPLES runs, none a usage" \
	    "error; the \$ ones on the bundled hosts succeed"
}
man8_examples_body()
{
	man_examples ptvm.8
	# The bundled-host ones that only read must succeed.
	for c in "devices" "pin 4" "topology --pin 8 --policy cores" \
	    "show winpt --argv"; do
		atf_check -o not-empty "$PTVM" -H "$TOP/examples/hosts/guide-rx7600" $c
	done
}
man8_examples_cleanup()
{
	cleanup_vms
}

atf_test_case man5_example_compiles
man5_example_compiles_head()
{
	atf_set descr "ptvm.conf.5's EXAMPLES VM file compiles on the guide's" \
	    "host to the guide's command line"
}
man5_example_compiles_body()
{
	awk '/^\.Sh EXAMPLES/ { on = 1 } on && /^\.Bd/ { b = 1; next }
	    b && /^\.Ed/ { exit } b { print }' "$TOP/man/ptvm.conf.5" > winpt.conf
	[ -s winpt.conf ] || atf_fail "no example in ptvm.conf.5"
	atf_check -o match:'-s 7,passthru,6/0/0,rom=/vm/rom/rx7600-techpowerup.bin' \
	    -o match:'-s 1,nvme,/dev/zvol/zroot/opt/windows' \
	    "$PTVM" -H "$GUIDE" show --argv ./winpt.conf
}

atf_test_case man_lint_all
man_lint_all_head()
{
	atf_set descr "mandoc -Tlint -Wall: nothing but the style messages" \
	    "that cannot go (manuals of FreeBSD not installed here, and" \
	    "FreeBSD 14.x, which groff's .Fx does not know and mangles)"
	atf_set require.progs mandoc
}
man_lint_all_body()
{
	for m in ptvm.8 ptvm.conf.5; do
		mandoc -Tlint -Wall "$TOP/man/$m" > lint.txt 2>&1
		if grep -v -e 'referenced manual not found' -e 'mandoc.db' \
		    -e 'consider using OS macro: Fx' lint.txt > other.txt; then
			cat other.txt >&2
			atf_fail "$m: mandoc -Tlint -Wall reports the above"
		fi
		# The .Fx ones are the versions only (14.1, 14.3).
		while IFS= read -r l; do
			n=$(echo "$l" | sed -n 's/^[^:]*:[^:]*:\([0-9]*\):.*OS macro.*/\1/p')
			[ -n "$n" ] || continue
			sed -n "${n}p" "$TOP/man/$m" | grep -q 'FreeBSD 14' ||
			    atf_fail "$m:$n: use .Fx there"
		done < lint.txt
	done
}

atf_init_test_cases()
{
	atf_add_test_case man_lint_all
	atf_add_test_case readme_transcripts
	atf_add_test_case readme_root_transcripts
	atf_add_test_case man8_examples
	atf_add_test_case man5_example_compiles
}
