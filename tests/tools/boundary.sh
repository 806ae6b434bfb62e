#!/bin/sh
# boundary.sh TOP: checks "no OS call outside host/" on the C sources of
# TOP (README, Layout).  The rule:
#
#   1. The system calls and libc functions of OSCALLS (files, processes,
#      signals, sockets, the clock and time zone, sysctl, kenv, kld,
#      devctl, mmap,
#      stdio on files, pidfile(3)) and the host's private helpers
#      (sys_* of host/sysutil.h, but sys_strerror, which only words an
#      error) are called only under host/.
#   2. Printing (PRINTS: printf, fprintf, puts, perror, err(3), warn(3),
#      ...) happens only under src/, the command front end.
#   3. exit(3), _exit(2) and abort(3) are not called in lib/ or engine/.
#
# The front end may also use what a front end needs and is not on these
# lists: isatty(3) (colour, the stop countdown), stdio on stdin, stdout
# and stderr (prompts, reading "-"), getenv(3).
#
# A call is an identifier followed by "(", outside comments, strings and
# character constants, not preceded by "->" or "." (ops->read( is the
# host's table), and not a function the file defines itself.
# Prints one line FILE:LINE: NAME: WHY per violation; exits 1 if any.
set -eu
top=${1:?usage: boundary.sh TOP}
cd "$top"

OSCALLS="open openat creat read write pread pwrite readv writev close
unlink unlinkat rename renameat mkdir mkdirat rmdir stat lstat fstat fstatat
access faccessat chmod fchmod chown fchown truncate ftruncate fsync lseek
opendir fdopendir readdir closedir scandir realpath link symlink readlink
fork vfork execv execve execvp execvP execl execlp execle fexecve
posix_spawn posix_spawnp waitpid wait wait3 wait4 waitid kill killpg
socket socketpair bind listen accept accept4 connect send sendto sendmsg
recv recvfrom recvmsg shutdown poll ppoll select pselect kqueue kevent
setsid daemon sleep usleep nanosleep clock_gettime clock_nanosleep
gettimeofday time localtime localtime_r tzset ioctl sysctl sysctlbyname sysctlnametomib kenv kldload
kldunload kldfind kldnext kldstat modfind mmap munmap mprotect fopen
fdopen freopen popen pclose system pipe pipe2 dup dup2 dup3 fcntl flock
lockf pidfile_open pidfile_write pidfile_remove pidfile_close
pidfile_fileno sigaction signal sigprocmask pthread_sigmask alarm umask
chdir fchdir getpid getppid setproctitle setrlimit getrlimit ptrace
devctl_attach devctl_detach devctl_set_driver devctl_clear_driver
devctl_rescan devctl_suspend devctl_resume"
PRINTS="printf fprintf vprintf vfprintf dprintf vdprintf puts fputs putchar
putc fputc fwrite perror err errx verr verrx warn warnx vwarn vwarnx
fflush"
EXITS="exit _exit _Exit abort"

rc=0
for f in $(find lib engine src -name '*.[ch]' | sort); do
	case "$f" in
	lib/*|engine/*) where=core ;;
	src/*) where=front ;;
	esac
	awk -v file="$f" -v where="$where" -v oscalls="$OSCALLS" \
	    -v prints="$PRINTS" -v exits="$EXITS" '
	BEGIN {
		n = split(oscalls, a, /[ \t\n]+/)
		for (i = 1; i <= n; i++) if (a[i] != "") os[a[i]] = 1
		n = split(prints, a, /[ \t\n]+/)
		for (i = 1; i <= n; i++) if (a[i] != "") pr[a[i]] = 1
		n = split(exits, a, /[ \t\n]+/)
		for (i = 1; i <= n; i++) if (a[i] != "") ex[a[i]] = 1
		state = 0	# 0 code, 1 block comment, 2 string, 3 char
		bad = 0
	}
	# Comments, strings and character constants become blanks.
	function strip(line,    out, i, c, d) {
		out = ""
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1)
			d = substr(line, i, 2)
			if (state == 1) {
				if (d == "*/") { state = 0; i++; out = out "  " }
				else out = out " "
			} else if (state == 2 || state == 3) {
				if (c == "\\") { out = out "  "; i++ }
				else if ((state == 2 && c == "\"") ||
				    (state == 3 && c == "'\''")) {
					state = 0; out = out c
				} else out = out " "
			} else if (d == "/*") { state = 1; i++; out = out "  " }
			else if (d == "//") break
			else if (c == "\"") { state = 2; out = out c }
			else if (c == "'\''") { state = 3; out = out c }
			else out = out c
		}
		if (state == 2 || state == 3) state = 0
		return out
	}
	function say(name, why) {
		printf "%s:%d: %s: %s\n", file, FNR, name, why
		bad = 1
	}
	# First pass: the functions this file defines (a static verr() of
	# its own is not err(3)).
	FNR == NR {
		line = strip($0)
		if (match(line, /^[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)) {
			name = substr(line, 1, RLENGTH)
			sub(/[ \t]*\($/, "", name)
			own[name] = 1
		}
		next
	}
	{
		line = strip($0)
		# A definition: the name at column 0 (style(9)).
		def = ""
		if (match(line, /^[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/))
			def = substr(line, 1, RLENGTH)
		rest = line
		off = 0
		while (match(rest, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)) {
			name = substr(rest, RSTART, RLENGTH)
			sub(/[ \t]*\($/, "", name)
			pre = substr(rest, 1, RSTART - 1)
			start = off + RSTART
			rest = substr(rest, RSTART + RLENGTH)
			off = start + RLENGTH - 1
			if ((start == 1 && def != "") || (name in own))
				continue
			if (pre ~ /(->|\.)[ \t]*$/)
				continue
			# A declaration "int read(int);" of a prototype.
			if (pre ~ /(^|[^A-Za-z0-9_])(int|void|ssize_t|char|bool|unsigned|long|size_t|int64_t)[ \t*]*$/)
				continue
			if ((name in os) ||
			    (name ~ /^sys_[a-z_]+$/ && name != "sys_strerror"))
				say(name, "an OS call outside host/ (use the host'\''s ops)")
			else if ((name in pr) && where != "front")
				say(name, "printing outside src/ (use the diagnostics or a report callback)")
			else if ((name in ex) && where == "core")
				say(name, "exit in lib/ or engine/ (return an error)")
		}
	}
	END { exit bad }
	' "$f" "$f" || rc=1
done
exit $rc
