# boundary_test: "no OS call outside host/" (README, Layout), checked by
# tests/tools/boundary.sh over lib/, engine/ and src/: the system calls
# and libc functions of its list and host/'s sys_* helpers only under
# host/, printing only in src/, no exit in lib/ or engine/.

TOP="${DATA%/tests/data}"
CHECK="$TOP/tests/tools/boundary.sh"

atf_test_case tree_keeps_the_boundary
tree_keeps_the_boundary_head()
{
	atf_set descr "lib/, engine/ and src/ call the OS only through host/"
}
tree_keeps_the_boundary_body()
{
	atf_check -o empty -e empty sh "$CHECK" "$TOP"
}

# A copy of the three directories, to plant violations in.
copytree()
{
	mkdir t
	cp -R "$TOP/lib" "$TOP/engine" "$TOP/src" t/
	find t -name '*.o' -exec rm -f {} +
	atf_check -o empty sh "$CHECK" t
}

atf_test_case planted_violations_fail
planted_violations_fail_head()
{
	atf_set descr "each kind of violation is found, with its file and line"
}
planted_violations_fail_body()
{
	copytree
	n=$(($(wc -l < t/engine/stop.c) + 1))
	printf 'static void\nplanted(void)\n{\n\t(void)unlink("x");\n}\n' \
	    >> t/engine/stop.c
	printf 'static void\nplanted(void)\n{\n\tprintf("x");\n\texit(1);\n}\n' \
	    >> t/lib/diag.c
	printf 'static void\nplanted(void)\n{\n\tkill(1, 9);\n}\n' \
	    >> t/src/cmd_stop.c
	printf 'static int\nplanted(void)\n{\n\treturn (sys_read_file("x", 1, NULL, NULL));\n}\n' \
	    >> t/engine/life.c
	atf_check -s exit:1 \
	    -o match:"^engine/stop.c:$((n + 3)): unlink: an OS call outside host/" \
	    -o match:'^lib/diag.c:[0-9]+: printf: printing outside src/' \
	    -o match:'^lib/diag.c:[0-9]+: exit: exit in lib/ or engine/' \
	    -o match:'^src/cmd_stop.c:[0-9]+: kill: an OS call' \
	    -o match:'^engine/life.c:[0-9]+: sys_read_file: an OS call' \
	    sh "$CHECK" t
}

atf_test_case what_is_not_a_call
what_is_not_a_call_head()
{
	atf_set descr "comments, strings, the host's ops, the file's own" \
	    "functions and the front end's printing are no violations"
}
what_is_not_a_call_body()
{
	copytree
	cat >> t/engine/stop.c <<'EOT'
/* unlink(path) in a comment, and printf(3) */
static const char planted_s[] = "kill(1, 9); read(fd)";
static int
planted(struct host *h, int fd)
{
	char c = '(';

	(void)c;
	(void)planted_s;
	return (h->ops->fd_close(h, fd) + (int)h->ops->fd_read(h, fd, NULL, 0) +
	    (int)sizeof(struct stat));
}
EOT
	printf 'static void\nwarn(void)\n{\n}\nstatic void\nplanted(void)\n{\n\twarn();\n}\n' \
	    >> t/lib/diag.c
	printf 'static void\nplanted(void)\n{\n\tprintf("x");\n\t(void)isatty(2);\n}\n' \
	    >> t/src/cmd_stop.c
	atf_check -o empty sh "$CHECK" t
}

atf_init_test_cases()
{
	atf_add_test_case tree_keeps_the_boundary
	atf_add_test_case planted_violations_fail
	atf_add_test_case what_is_not_a_call
}
