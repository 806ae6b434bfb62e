# usage_test: the command table, usage and exit statuses.

atf_test_case usage_lists_every_command
usage_lists_every_command_body()
{
	atf_check -o match:'ptvm devices \[-a\] \[--json\]' \
	    -o match:'ptvm bind \[-fn\] selector' -o match:'ptvm host setup' \
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
	atf_check -s exit:1 -e match:'live host is only available on FreeBSD' \
	    "$PTVM" devices
}

atf_init_test_cases()
{
	atf_add_test_case usage_lists_every_command
	atf_add_test_case usage_live_host_needs_freebsd
}
