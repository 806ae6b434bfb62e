# ptvm: GPU passthrough VMs on FreeBSD with bhyve.
#
# This Makefile is read by both BSD make (FreeBSD's make) and GNU make: it
# uses only suffix rules, "!=" and plain "include".  Platform differences
# live in mk/$(OS).mk.

OS!=		uname -s
TOP!=		pwd
include mk/$(OS).mk

PREFIX?=	/usr/local
CC?=		cc
AR?=		ar
WARNS=		-Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
		-Wshadow -Wpointer-arith -Wcast-qual -Werror
CFLAGS=		-std=gnu11 -O2 -g $(WARNS) $(PLATFORM_CFLAGS) \
		-Ilib -Ihost -Iengine -Isrc $(EXTRA_CFLAGS)
LDFLAGS=	$(EXTRA_LDFLAGS)

# The core library: parsers, models, planners.  No OS calls, no printing.
LIB_SRCS=	lib/diag.c lib/strbuf.c lib/util.c lib/pci.c lib/gpu.c \
		lib/kv.c lib/hostop.c lib/pciids.c lib/bindplan.c \
		lib/loaderconf.c lib/rom.c lib/rombar.c lib/bcfg.c \
		lib/vmconf.c lib/vmcompile.c lib/vmimport.c \
		lib/topo.c lib/topo_model.c lib/topo_draw.c lib/cpuset.c \
		lib/pin.c lib/pin_out.c lib/bhyvekeys.c lib/bhyveargv.c \
		lib/bhyvescript.c lib/sup.c lib/supfile.c lib/bhyvelog.c \
		lib/ctlmsg.c lib/bindrec.c lib/capfile.c lib/bhyveproc.c \
		lib/undo.c lib/pcicfg.c lib/pcicfg_decode.c lib/pcicfg_diff.c \
		lib/pcicfg_restore.c lib/pcicfg_json.c lib/zfs.c lib/vmedit.c \
		lib/hostuse.c lib/vmset.c lib/rcconf.c lib/sndstat.c lib/usb.c \
		lib/neigh.c lib/md5.c
# The host boundary: captured directory, live FreeBSD, shared helpers.
HOST_SRCS=	host/host.c host/kmodel.c host/host_capture.c host/sysutil.c \
		host/hostsys.c \
		$(HOST_LIVE_SRCS)
# The lifecycle engine: bind with rollback, start, stop, status, host
# restore, disks, the supervisor.  Never prints; OS calls only through
# the host (tests/cli/boundary_test).
ENGINE_SRCS=	engine/eng.c engine/bind.c engine/life.c engine/vmload.c \
		engine/disk.c engine/supervise.c engine/start.c \
		engine/stop.c engine/status.c engine/restore.c engine/snap.c \
		engine/tpm.c engine/desk.c
# The command front end: one file per command family.
CMD_SRCS=	src/main.c src/ctx.c src/opt.c src/output.c src/cmd_devices.c \
		src/cmd_bind.c src/cmd_host.c \
		src/cmd_topo.c src/cmd_rom.c src/cmd_vm.c src/cmd_check.c \
		src/cmd_start.c src/cmd_stop.c src/cmd_status.c \
		src/cmd_console.c \
		src/cmd_pci.c src/cmd_disk.c src/cmd_snap.c \
		src/cmd_vmset.c src/cmd_autostart.c src/desk.c src/tpm.c

LIB_OBJS=	$(LIB_SRCS:.c=.o)
HOST_OBJS=	$(HOST_SRCS:.c=.o)
ENGINE_OBJS=	$(ENGINE_SRCS:.c=.o)
CMD_OBJS=	$(CMD_SRCS:.c=.o)
LIBPTVM=	libptvm.a
LIBS=		$(PLATFORM_LIBS) $(XML_LIBS)

# Unit tests (atf-c) and command-line tests (atf-sh), run by Kyua.
ATF_C_TESTS=	tests/lib/pci_test tests/lib/kv_test tests/lib/bindplan_test \
		tests/lib/hostop_test tests/lib/conf_test \
		tests/lib/topo_test tests/lib/pin_test tests/lib/rom_test \
		tests/lib/bhyvekeys_test tests/lib/bhyveargv_test tests/lib/sup_test \
		tests/lib/undo_test tests/lib/pcicfg_test tests/lib/disk_test \
		tests/lib/hostuse_test tests/lib/sysutil_test \
		tests/lib/ctlmsg_test tests/lib/hostfile_test \
		tests/lib/golden_test tests/lib/desk_test tests/lib/md5_test \
		tests/lib/engine_test
ATF_SH_TESTS=	tests/cli/devices_test tests/cli/bind_test \
		tests/cli/host_test tests/cli/usage_test \
		tests/cli/pin_test tests/cli/rom_test tests/cli/vm_test \
		tests/cli/fakebhyve_test tests/cli/life_test tests/cli/rcd_test \
		tests/cli/pci_test tests/cli/disk_test tests/cli/fakezfs_test \
		tests/cli/guide_test tests/cli/hostuse_test \
		tests/cli/opt_test tests/cli/boundary_test \
		tests/cli/walkthrough_test tests/cli/readme_test tests/cli/desk_test

FUZZERS=	fuzz/fuzz_pciconf fuzz/fuzz_kv fuzz/fuzz_sel \
		fuzz/fuzz_hostop fuzz/fuzz_pciids \
		fuzz/fuzz_topo fuzz/fuzz_cpulist fuzz/fuzz_rom fuzz/fuzz_vfct \
		fuzz/fuzz_vmconf \
		fuzz/fuzz_bhyveargv fuzz/fuzz_sup fuzz/fuzz_undo fuzz/fuzz_pcicfg \
		fuzz/fuzz_zfs fuzz/fuzz_vmedit fuzz/fuzz_ctlmsg \
		fuzz/fuzz_loaderconf fuzz/fuzz_tpu fuzz/fuzz_bindrec \
		fuzz/fuzz_capfiles fuzz/fuzz_bhyveproc \
		fuzz/fuzz_import fuzz/fuzz_hostuse fuzz/fuzz_rcconf fuzz/fuzz_desk

.SUFFIXES: .c .o .sh

all: ptvm

.c.o:
	$(CC) $(CFLAGS) -c $< -o $@

$(LIBPTVM): $(LIB_OBJS) $(HOST_OBJS) $(ENGINE_OBJS)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJS) $(HOST_OBJS) $(ENGINE_OBJS)

ptvm: $(CMD_OBJS) $(LIBPTVM)
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJS) $(LIBPTVM) $(LIBS)

$(LIB_OBJS) $(HOST_OBJS) $(ENGINE_OBJS) $(CMD_OBJS): lib/compat.h \
		lib/diag.h lib/strbuf.h \
		lib/pci.h lib/kv.h lib/hostop.h lib/bindplan.h host/host.h \
		src/ptvm.h src/opt.h engine/bind.h lib/pciids.h lib/loaderconf.h lib/util.h \
		lib/topo.h lib/topo_impl.h lib/pin.h lib/rom.h lib/bcfg.h \
		lib/bhyvekeys.h lib/bhyveargv.h lib/vmconf.h engine/vmload.h \
		src/check.h \
		lib/sup.h lib/bhyvelog.h lib/undo.h engine/life.h lib/pcicfg.h \
		lib/zfs.h lib/vmedit.h engine/disk.h lib/ctlmsg.h \
		lib/bindrec.h lib/capfile.h lib/bhyveproc.h engine/eng.h \
		engine/engine.h host/sysutil.h host/hostsys.h lib/rcconf.h \
		host/kmodel.h lib/sndstat.h lib/usb.h lib/neigh.h lib/md5.h \
		src/desk.h src/tpm.h

# atf-c test programs (tests/lib/X from X.c) and atf-sh test programs
# (tests/cli/X from X.sh, with the interpreter and paths set), built with
# single-suffix rules, which BSD make and GNU make both know.
.c:
	$(CC) $(CFLAGS) -Itests/lib -DTOP=\"$(TOP)\" -o $@ $< $(LIBPTVM) \
	    -latf-c $(LIBS) $(LDFLAGS)

.sh:
	(echo "#! $(ATF_SH)"; \
	 echo "PTVM=\"$(TOP)/ptvm\"; DATA=\"$(TOP)/tests/data\";" \
	     "PTVM_LIVE_SHIM=\"$(LIVE_SHIM)\";" \
	     "TESTBIN=\"$(TOP)/tests/bin\"; . \"$(TOP)/tests/cli/common.subr\""; \
	 cat $<) > $@.tmp
	chmod +x $@.tmp
	mv $@.tmp $@

$(ATF_C_TESTS): $(LIBPTVM) tests/lib/testutil.h
$(ATF_SH_TESTS): ptvm tests/cli/common.subr

tests: $(ATF_C_TESTS) $(ATF_SH_TESTS)

check: all tests
	sh tests/tools/run-kyua.sh "$(TOP)/tests"

# Rewrites tests/data/vm/golden/CASE.{bhyve.conf,argv,vm,diag} from what
# the compiler gives now; review the change with git diff.
# Also rewrites the synthetic ROMs of tests/data/roms/ (SOURCES) and the
# ROM fuzzer's seed from their generators in tests/lib/rom_test.c.
golden: tests/lib/golden_test tests/lib/rom_test
	PTVM_GOLDEN_WRITE=1 tests/lib/golden_test golden_cases
	PTVM_ROMGEN_WRITE=1 tests/lib/rom_test synthetic_roms_current

# Every parser has a libFuzzer target; "make fuzz" builds and runs each
# for FUZZ_SECONDS (clang only).
FUZZ_SECONDS?=	30
FUZZ_CC?=	clang
FUZZ_CFLAGS=	-std=gnu11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
		-fno-sanitize-recover=all \
		$(PLATFORM_CFLAGS) -Ilib
# The library is compiled once for all targets, then each is linked.
fuzzers:
	mkdir -p fuzz/obj
	for c in $(LIB_SRCS); do \
	    o=fuzz/obj/$$(basename $$c .c).o; \
	    $(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $$o $$c || exit 1; done
	for f in $(FUZZERS); do \
	    $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $$f $$f.c \
	    fuzz/obj/*.o $(LIBS) || exit 1; done
fuzz: fuzzers
	sh tests/tools/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZERS)

# The whole suite with the live host (host_freebsd.c) over the FreeBSD
# shim (host/shim/) instead of the captured host, built with gcov in
# obj-live/; ends "host_freebsd.c: N% of lines" (at least 85).
check-live:
	sh tests/tools/check-live.sh

# The budgets are ratios to an empty process's start (tests/tools/bench.sh).
bench: ptvm
	$(CC) $(CFLAGS) -o tests/tools/benchrun tests/tools/benchrun.c $(LDFLAGS)
	$(CC) $(CFLAGS) -o tests/tools/empty tests/tools/empty.c $(LIBS) \
	    $(LDFLAGS)
	sh tests/tools/bench.sh "$(TOP)"

lint:
	mandoc -Tlint -Wwarning man/ptvm.8 man/ptvm.conf.5

# Compile the whole tree, live-host code included, for FreeBSD with the
# cross toolchain of ../shared/tools (see README).
# Then the FreeBSD shim's declarations (host/shim/include, what make
# check-live builds host_freebsd.c against on Linux) are held against the
# sysroot's real headers: tests/tools/shim-abi.c prints them as
# _Static_assert lines, which must compile for FreeBSD.
FREEBSD_CC?=	../shared/tools/freebsd-cc
freebsd-check:
	$(FREEBSD_CC) -std=gnu11 $(WARNS) -Ilib -Ihost -Iengine -Isrc -o ptvm.freebsd \
	    $(LIB_SRCS) host/host.c host/kmodel.c host/host_capture.c \
	    host/sysutil.c host/hostsys.c \
	    host/host_freebsd.c $(ENGINE_SRCS) $(CMD_SRCS) -ldevctl -lutil \
	    -lbsdxml
	$(CC) -std=gnu11 $(WARNS) $(PLATFORM_CFLAGS) -Ihost/shim/include -Ilib \
	    -o tests/tools/shim-abi tests/tools/shim-abi.c
	tests/tools/shim-abi > tests/tools/shim-abi-check.c
	$(FREEBSD_CC) -std=gnu11 $(WARNS) -fsyntax-only tests/tools/shim-abi-check.c
	rm -f tests/tools/shim-abi tests/tools/shim-abi-check.c

install: ptvm
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8 \
	    $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 0555 ptvm $(DESTDIR)$(PREFIX)/sbin/ptvm
	install -m 0444 man/ptvm.8 $(DESTDIR)$(PREFIX)/share/man/man8/ptvm.8
	install -m 0444 man/ptvm.conf.5 \
	    $(DESTDIR)$(PREFIX)/share/man/man5/ptvm.conf.5
	install -d $(DESTDIR)$(PREFIX)/etc/rc.d
	sed 's|/usr/local/sbin/ptvm|$(PREFIX)/sbin/ptvm|' etc/rc.d/ptvm > \
	    $(DESTDIR)$(PREFIX)/etc/rc.d/ptvm
	chmod 0555 $(DESTDIR)$(PREFIX)/etc/rc.d/ptvm
	install -d $(DESTDIR)$(PREFIX)/etc/newsyslog.conf.d
	install -m 0444 etc/newsyslog.conf.d/ptvm.conf \
	    $(DESTDIR)$(PREFIX)/etc/newsyslog.conf.d/ptvm.conf

clean:
	rm -f ptvm ptvm.freebsd $(LIBPTVM) $(LIB_OBJS) $(HOST_OBJS) \
	    $(ENGINE_OBJS) $(CMD_OBJS) host/host_freebsd.o host/host_live_none.o \
	    $(ATF_C_TESTS) $(ATF_SH_TESTS) $(FUZZERS) tests/tools/benchrun \
	    tests/tools/empty tests/tools/shim-abi tests/tools/shim-abi-check.c
	rm -rf tests/results.db tests/work fuzz/obj obj-live

.PHONY: all tests check check-live fuzz fuzzers bench lint freebsd-check install clean
