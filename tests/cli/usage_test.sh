# usage_test: the command table, usage and exit statuses.

atf_test_case usage_lists_every_command
usage_lists_every_command_body()
{
	atf_check -o match:'ptvm devices \[-a\] \[--usb\] \[--json\]' \
	    -o match:'ptvm bind \[-n\] \[--console-gpu=take\] \[--host-use=take\] selector' -o match:'ptvm host setup' \
	    -o match:'ptvm host capture directory' "$PTVM" help
	atf_check -s exit:2 -e match:'"frob" is not a command' "$PTVM" frob
	atf_check -s exit:2 -e match:'usage:' "$PTVM"
	atf_check -s exit:2 -e match:'usage: ptvm devices' "$PTVM" -H . devices -z
	atf_check -s exit:2 -e match:'usage: ptvm bind' "$PTVM" -H . bind
}

atf_test_case usage_live_host_needs_freebsd
usage_live_host_needs_freebsd_body()
{
	[ "$(uname -s)" = FreeBSD ] && atf_skip "this is FreeBSD"
	captured_only "the shim build has a live host"
	atf_check -s exit:1 -e match:'live host is only available on FreeBSD' \
	    "$PTVM" devices
}

# The usage block of "ptvm help": one line per row of the command table,
# "ptvm" first, without the "usage:" label and the indent.
help_synopsis()
{
	"$PTVM" help | sed -n -e '/^$/q' -e 's/^usage: //' -e 's/^ *//p'
}

# ptvm.8's SYNOPSIS as plain text, one command a line: overstrike
# removed, wrapped lines joined, spaces squeezed.
man_synopsis()
{
	bs=$(printf '\b')
	mandoc -Tascii -O width=78 "$1" | sed "s/.$bs//g" | awk '
		/^SYNOPSIS/ { on = 1; next }
		on && /^[A-Z]/ { exit }
		!on || /^[ \t]*$/ { next }
		{ sub(/^[ \t]+/, "") }
		/^ptvm( |$)/ { if (l != "") print l; l = $0; next }
		{ l = l " " $0 }
		END { if (l != "") print l }' | tr -s ' '
}

atf_test_case synopsis_is_the_table
synopsis_is_the_table_head()
{
	atf_set "require.progs" "mandoc"
}
synopsis_is_the_table_body()
{
	man=${DATA%/tests/data}/man/ptvm.8
	[ -f "$man" ] || atf_fail "$man not found"
	help_synopsis > table.txt
	man_synopsis "$man" > man.txt
	[ "$(wc -l < table.txt)" -gt 20 ] || atf_fail "ptvm help: no usage"
	[ "$(wc -l < man.txt)" -gt 20 ] || atf_fail "ptvm.8: no SYNOPSIS"
	if ! diff -u table.txt man.txt >&2; then
		atf_fail "ptvm.8's SYNOPSIS (+) is not the command table (-)"
	fi
}

# For every row of the table, a bad option prints exactly that row's line
# as the usage, and exits 2.  A group ("host") takes its second word.
atf_test_case usage_is_the_table_line
usage_is_the_table_line_body()
{
	help_synopsis | sed 1d > rows.txt
	[ "$(wc -l < rows.txt)" -gt 20 ] || atf_fail "ptvm help: no usage"
	: > bad.txt
	set -f
	while read -r row; do
		set -- $row
		ok=no
		for c in "$2" "$2 $3"; do
			"$PTVM" -H . $c --no-such-option >/dev/null 2>err
			rc=$?
			grep '^usage:' err > got
			if [ $rc -eq 2 ] && [ "$(cat got)" = "usage: $row" ]; then
				ok=yes
				break
			fi
		done
		[ $ok = yes ] || echo "ptvm $c --no-such-option (exit $rc)" \
		    "printed \"$(cat got)\", not \"usage: $row\"" >> bad.txt
	done < rows.txt
	set +f
	if [ -s bad.txt ]; then
		cat bad.txt >&2
		atf_fail "$(wc -l < bad.txt) command(s) print another usage"
	fi
}

atf_test_case usage_no_hidden_options
usage_no_hidden_options_body()
{
	# Short forms the table does not list are not taken.
	atf_check -s exit:2 -e match:'usage: ptvm devices \[-a\] \[--usb\] \[--json\]$' \
	    "$PTVM" -H . devices -j
	atf_check -s exit:2 -e match:'usage: ptvm host setup ' \
	    "$PTVM" -H . host setup -p
	atf_check -s exit:2 -e match:'--host-use: "maybe" is not take or refuse' \
	    -e match:'usage: ptvm bind \[-n\] \[--console-gpu=take\] \[--host-use=take\] selector' \
	    "$PTVM" -H . bind --host-use=maybe 1/0/0
	atf_check -s exit:2 -e match:'--console-gpu: "maybe" is not take or refuse' \
	    -e match:'usage: ptvm bind ' \
	    "$PTVM" -H . bind 1/0/0 --console-gpu=maybe
	atf_check -s exit:2 -e match:'no command "frob"' \
	    -e match:'usage: ptvm help \[command\]' "$PTVM" help frob
}

atf_init_test_cases()
{
	atf_add_test_case usage_lists_every_command
	atf_add_test_case usage_live_host_needs_freebsd
	atf_add_test_case synopsis_is_the_table
	atf_add_test_case usage_is_the_table_line
	atf_add_test_case usage_no_hidden_options
}
