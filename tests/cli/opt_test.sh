# opt_test: every command reads its options the same way (src/opt.c,
# ptvm.8 "Options"): before and after the operands, "--" ending them, on
# Linux and FreeBSD alike (freebsd.md#O1), and one meaning per flag.

R="$DATA/roms"
P="$DATA/pci"

# One row per command of the table: the command, its options, its
# operands (";" between them).  The options are ones that change what the
# command does, so a form that lost them would print something else; the
# operands need no quoting.
rows()
{
	cat <<EOT
devices;--json;
bind;-n;6/0/0 6/0/1
unbind;-n;6/0/0
host setup;-n;6/0/0 6/0/1
host restore;-u;
host capture;;cap
topology;--json;
pin;--json --policy=cores;4
show;--argv;t1
check;--json;t1
import;-o out.conf;h/s.sh
create;--template linux;t9
start;--ignore-dirty;nosuch
stop;-t 5;t1
restart;--within 5;nosuch
status;--json;t1
list;--json;
console;;t1
disk create;--sparse;t1 10G
snapshot;--live;t1 s1
snapshots;--json;t1
rollback;-y;t1 s1
cdrom;--eject;t1
set;;t1 memory=2G
autostart;--order 1;t1 on
smbios;--show;t1
tpm reset;-y;tp
rom inspect;--json;$R/vgabios-stdvga.bin
rom trim;-f;$R/fwupd-header-data-payload.rom out.rom
rom extract;-f;$R/synthetic-vfct-2images.dat out
rom dump;-f;6/0/0 out.rom
pci show;--json;$P/amd-navi10-rx5600xt-pciconf-r.txt
pci save;-f;6/0/0 saved
pci diff;--json;$P/amd-navi10-rx5600xt-pciconf-r.txt $P/synthetic-navi10-rx5600xt-after-reset.txt
pci restore;-n;6/0/0 $P/amd-navi10-rx5600xt-pciconf-r.txt
help;;show
EOT
}

# opthost: lifehost's ./h with 6/0/0's configuration space, a bhyve
# script h/s.sh to import, and VM tp with tpm=swtpm and a TPM state.
opthost()
{
	lifehost
	mkdir -p h/pci
	cp "$P/amd-navi10-rx5600xt-pciconf-r.txt" h/pci/pci0:6:0:0.txt
	echo 'bhyve -c 2 -m 2G -s 0,hostbridge -s 31,lpc -l com1,/dev/nmdm0A vm1' \
	    > h/s.sh
	printf 'cpus=1\nmemory=1G\ntpm=swtpm\n' > h/root/usr/local/etc/ptvm/tp.conf
	mkdir -p h/root/var/db/ptvm/tp.tpm
	echo state > h/root/var/db/ptvm/tp.tpm/tpm2-00.permall
}

# run N WORDS...: ptvm -H h WORDS in a fresh copy of the host (w/, the
# same path every time), its exit status, stdout and stderr kept as N.*.
run()
{
	n=$1
	shift
	rm -rf w
	mkdir w
	cp -R h w/h
	(cd w && "$PTVM" -H h "$@" < /dev/null > ../$n.out 2> ../$n.err
	    echo $? > ../$n.rc)
}

# same A B WHAT: run A and B gave the same result.
same()
{
	for x in rc out err; do
		if ! cmp -s "$1.$x" "$2.$x"; then
			echo "$3: $x differs:" >&2
			diff -u "$1.$x" "$2.$x" >&2
			return 1
		fi
	done
}

atf_test_case options_after_operands
options_after_operands_head()
{
	atf_set descr "for every command of the table, its options after" \
	    "its operands (and between them) do what they do before them," \
	    "and -- before the operands changes nothing"
}
options_after_operands_body()
{
	opthost
	rows > rows.txt
	# Every line of the table has its row here.
	"$PTVM" help | sed -n -e '/^$/q' -e 's/^usage: //' -e 's/^ *//p' | \
	    sed 1d > table.txt
	[ "$(wc -l < table.txt)" -gt 20 ] || atf_fail "ptvm help: no usage"
	while read -r line; do
		found=no
		while IFS=';' read -r c o a; do
			case "$line" in "ptvm $c "*) found=yes ;; esac
		done < rows.txt
		[ $found = yes ] || atf_fail "no row for: $line"
	done < table.txt
	bad=0
	set -f
	while IFS=';' read -r c o a; do
		run first $c $o $a
		echo "ptvm $c $o $a: exit $(cat first.rc)"
		[ "$(cat first.rc)" != 2 ] || {
			cat first.err >&2
			atf_fail "ptvm $c $o $a: a usage error"
		}
		run dash $c $o -- $a
		same first dash "ptvm $c $o -- $a" || bad=$((bad + 1))
		[ -n "$o" ] || continue
		[ -n "$a" ] || continue
		run last $c $a $o
		same first last "ptvm $c $a $o" || bad=$((bad + 1))
		set -- $a
		if [ $# -gt 1 ]; then
			first=$1
			shift
			run mid $c $first $o "$@"
			same first mid "ptvm $c $first $o $*" || bad=$((bad + 1))
		fi
	done < rows.txt
	set +f
	[ $bad -eq 0 ] || atf_fail "$bad command line(s) read the options otherwise"
}

atf_test_case double_dash_ends_options
double_dash_ends_options_body()
{
	opthost
	# After --, a word that looks like an option is an operand.
	atf_check -s exit:1 -e match:'--argv' -e not-match:'unknown option' \
	    -e not-match:'^usage:' "$PTVM" -H h show -- --argv
	atf_check -s exit:2 -e match:'one VM' "$PTVM" -H h show t1 -- --argv
	# A lone - is an operand, standard input for import.
	atf_check -o match:'^memory=2G' -e ignore \
	    "$PTVM" -H h import - < h/s.sh
	atf_check -o match:'^memory=2G' -e ignore \
	    "$PTVM" -H h import -- - < h/s.sh
	# The options before -- still count.
	atf_check -o match:'^/usr/sbin/bhyve ' "$PTVM" -H h show --argv -- t1
}

atf_test_case posixly_correct_changes_nothing
posixly_correct_changes_nothing_head()
{
	atf_set descr "POSIXLY_CORRECT, which stops getopt_long's" \
	    "permutation on both libcs (freebsd.md#O1), changes nothing"
}
posixly_correct_changes_nothing_body()
{
	opthost
	"$PTVM" -H h show --argv t1 > want
	atf_check -o file:want env POSIXLY_CORRECT=1 "$PTVM" -H h show t1 --argv
	atf_check -o file:want env POSIXLY_CORRECT=1 "$PTVM" -H h show --argv t1
	cp "$R/fwupd-header-data-payload.rom" in.rom
	: > out.rom
	atf_check -o ignore -e ignore env POSIXLY_CORRECT=1 \
	    "$PTVM" rom trim in.rom out.rom -f
	[ -s out.rom ] || atf_fail "rom trim in out -f did not overwrite out"
}

atf_test_case option_forms
option_forms_head()
{
	atf_set descr "values attached or apart, --name=value, grouped" \
	    "letters, and what is refused: unknown options, abbreviations," \
	    "missing values, values given to flags"
}
option_forms_body()
{
	opthost
	"$PTVM" -H h stop -t 5 t1 > want 2>&1
	atf_check -o file:want "$PTVM" -H h stop t1 -t5
	atf_check -o file:want "$PTVM" -H h stop t1 --timeout=5
	atf_check -o file:want "$PTVM" -H h stop --within 5 t1
	atf_check -o file:want "$PTVM" -H h stop t1 --within=5
	atf_check -s exit:2 -e match:'^ptvm: stop: -t needs a value$' \
	    -e match:'^usage: ptvm stop ' "$PTVM" -H h stop t1 -t
	atf_check -s exit:2 -e match:'^ptvm: stop: --within needs a value$' \
	    "$PTVM" -H h stop t1 --within
	atf_check -s exit:2 -e match:'^ptvm: stop: -t: 0: seconds from 1 to 86400$' \
	    "$PTVM" -H h stop t1 -t 0
	atf_check -s exit:2 -e match:'^ptvm: status: --json takes no value$' \
	    "$PTVM" -H h status t1 --json=yes
	atf_check -s exit:2 -e match:'^ptvm: status: unknown option --js$' \
	    "$PTVM" -H h status --js t1
	atf_check -s exit:2 -e match:'^ptvm: status: unknown option -x$' \
	    "$PTVM" -H h status t1 -x
	atf_check -s exit:2 -e match:'^ptvm: devices: unknown option -z$' \
	    "$PTVM" -H h devices -az
	# Grouped letters: -nf is -n -f (the deprecated bind -f).
	"$PTVM" -H h bind -n --console-gpu=take 6/0/0 > want 2>/dev/null
	atf_check -o file:want -e match:'-f is deprecated here, use --console-gpu=take' \
	    "$PTVM" -H h bind -nf 6/0/0
	# Global options come before the command.
	atf_check -s exit:2 -e match:'^ptvm: show: unknown option -H$' \
	    "$PTVM" show -H h t1
}

atf_test_case long_forms
long_forms_head()
{
	atf_set descr "each short flag has a long form that does the same"
}
long_forms_body()
{
	opthost
	cp "$R/fwupd-header-data-payload.rom" in.rom
	set -f
	while IFS=';' read -r short long rest; do
		run s $short $rest
		run l $long $rest
		[ "$(cat s.rc)" != 2 ] || { cat s.err >&2
			atf_fail "ptvm $short $rest: a usage error"; }
		same s l "ptvm $long $rest" || atf_fail "$long is not $short"
	done <<EOT
devices -a;devices --all;
bind -n;bind --dry-run;6/0/0 6/0/1
host setup -n;host setup --dry-run;6/0/0
pci restore -n;pci restore --dry-run;6/0/0 $P/amd-navi10-rx5600xt-pciconf-r.txt
host restore -u;host restore --unbind;
stop -t 5;stop --timeout 5;t1
start -F;start --foreground;nosuch
rollback -y;rollback --yes;t1 s1
import -o x.conf;import --output x.conf;h/s.sh
rom trim -f;rom trim --overwrite;../in.rom h/pciconf.txt
create -f;create --overwrite;t1
pci save -f;pci save --overwrite;6/0/0 h
rom dump -f;rom dump --overwrite;6/0/0 h/pciconf.txt
EOT
	set +f
}

atf_test_case bind_console_gpu
bind_console_gpu_head()
{
	atf_set descr "bind --console-gpu=take|refuse takes the console GPU" \
	    "or not; -f, its old spelling, still works with a warning"
}
bind_console_gpu_body()
{
	amdhost h msi-ms7c37-x570-rx5700-navi10-switch-fbsd13.1.txt
	atf_check -s exit:1 -e match:'drives the host console' \
	    -e match:'add --console-gpu=take to take it' \
	    "$PTVM" -H h bind -n 47/0/0 47/0/1
	atf_check -s exit:1 -e match:'drives the host console' \
	    "$PTVM" -H h bind -n --console-gpu=refuse 47/0/0 47/0/1
	atf_check -o match:'devctl detach pci0:47:0:0' \
	    -e match:'it is taken \(--console-gpu=take' \
	    "$PTVM" -H h bind -n --console-gpu=take 47/0/0 47/0/1
	"$PTVM" -H h bind -n --console-gpu=take 47/0/0 47/0/1 > want 2>/dev/null
	atf_check -o file:want \
	    -e match:'^ptvm: bind: warning: -f is deprecated here, use --console-gpu=take' \
	    "$PTVM" -H h bind -n -f 47/0/0 47/0/1
	atf_check -o file:want -e match:'deprecated' \
	    "$PTVM" -H h bind 47/0/0 47/0/1 -n -f
	# The VM file's words: take or refuse, nothing else.
	atf_check -s exit:2 -e match:'--console-gpu: "yes" is not take or refuse' \
	    "$PTVM" -H h bind -n --console-gpu=yes 47/0/0
	# -f is bind's alone: elsewhere it is --overwrite, and unbind has none.
	atf_check -s exit:2 -e match:'unknown option -f' \
	    "$PTVM" -H h unbind -f 47/0/0
}

atf_test_case global_options
global_options_body()
{
	atf_check -o match:'^ptvm [0-9]' "$PTVM" -V
	atf_check -o match:'^ptvm [0-9]' "$PTVM" --version
	"$PTVM" help | sed -n '/^$/q;p' > usage
	atf_check -o file:usage "$PTVM" -h
	atf_check -o file:usage "$PTVM" --help
	atf_check -s exit:2 -e match:'^ptvm: unknown option -z$' \
	    -e match:'^usage: ptvm \[-hV\]' "$PTVM" -z
	atf_check -s exit:2 -e match:'^ptvm: -H needs a value$' "$PTVM" -H
	# -- ends the global options too.
	atf_check -o match:'^usage: ptvm show ' "$PTVM" -- help show
}

atf_test_case synopsis_options_are_known
synopsis_options_are_known_head()
{
	atf_set descr "every option a usage line shows is one its command" \
	    "reads (the table and the parser tables agree)"
}
synopsis_options_are_known_body()
{
	"$PTVM" help | sed -n -e '/^$/q' -e 's/^usage: //' -e 's/^ *//p' | \
	    sed 1d > table.txt
	: > bad.txt
	n=0
	set -f
	while read -r line; do
		set -- $line
		cmd=$2
		case "$2" in host|disk|rom|pci) cmd="$2 $3" ;; esac
		for w in $(echo "$line" | tr '[]|' '   '); do
			case "$w" in
			--) continue ;;
			--*|-[a-zA-Z]*) ;;
			*) continue ;;
			esac
			w=${w%%=*}
			n=$((n + 1))
			"$PTVM" -H . $cmd "$w" < /dev/null > /dev/null 2> err
			if grep -q 'unknown option' err; then
				echo "ptvm $cmd $w: $(cat err | head -1)" >> bad.txt
			fi
		done
	done < table.txt
	set +f
	[ $n -gt 30 ] || atf_fail "only $n options found in the table"
	if [ -s bad.txt ]; then
		cat bad.txt >&2
		atf_fail "usage lines show options their command does not read"
	fi
}

atf_test_case no_getopt_in_src
no_getopt_in_src_head()
{
	atf_set descr "no command reads its options with getopt(3), whose" \
	    "permutation differs between libcs (freebsd.md#O1)"
}
no_getopt_in_src_body()
{
	src=${DATA%/tests/data}/src
	[ -f "$src/opt.c" ] || atf_fail "$src/opt.c not found"
	atf_check -s exit:1 grep -n -e '<getopt\.h>' -e 'getopt_long *(' \
	    -e 'getopt *(argc' -e 'optind' -e 'optarg' "$src"/*.c
}

atf_init_test_cases()
{
	atf_add_test_case synopsis_options_are_known
	atf_add_test_case no_getopt_in_src
	atf_add_test_case options_after_operands
	atf_add_test_case double_dash_ends_options
	atf_add_test_case posixly_correct_changes_nothing
	atf_add_test_case option_forms
	atf_add_test_case long_forms
	atf_add_test_case bind_console_gpu
	atf_add_test_case global_options
}
