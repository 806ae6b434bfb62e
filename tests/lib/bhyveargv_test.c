/*
 * bhyveargv_test.c: bhyve's command line to configuration and back, and
 * the bhyve invocation of the guide's script.
 */
#include "testutil.h"

#include "bcfg.h"
#include "bhyveargv.h"
#include "bhyvekeys.h"
#include "strbuf.h"
#include "vmconf.h"

static int
parse(const char *const *args, struct bcfg *c, struct diags *d)
{
	char *v[64];
	unsigned lines[64];
	int n;

	for (n = 0; args[n] != NULL && n < 63; n++) {
		v[n] = (char *)(uintptr_t)args[n];
		lines[n] = (unsigned)n + 1;
	}
	v[n] = NULL;
	return (bhyve_argv_to_cfg(n, v, c, "cmd", lines, d));
}

#define CHECK_KEY(c, k, v) do {						\
	const char *_v = bcfg_get((c), (k));				\
	ATF_CHECK_MSG(_v != NULL && strcmp(_v, (v)) == 0,		\
	    "%s: %s, not %s", (k), _v != NULL ? _v : "(unset)", (v));	\
} while (0)

/* Whether two configurations hold the same variables. */
static bool
same_cfg(struct bcfg *a, struct bcfg *b, char *why, size_t len)
{
	size_t i;

	bcfg_sort(a);
	bcfg_sort(b);
	for (i = 0; i < a->n || i < b->n; i++) {
		if (i >= a->n || i >= b->n) {
			snprintf(why, len, "%s only on one side",
			    i < a->n ? a->v[i].key : b->v[i].key);
			return (false);
		}
		if (strcmp(a->v[i].key, b->v[i].key) != 0 ||
		    strcmp(a->v[i].val, b->v[i].val) != 0) {
			snprintf(why, len, "%s=%s vs %s=%s", a->v[i].key,
			    a->v[i].val, b->v[i].key, b->v[i].val);
			return (false);
		}
	}
	return (true);
}

/* argv_to_cfg(cfg_to_argv(c)) == c; the written argv goes to out. */
static void
round_trip(struct bcfg *c, struct bhyve_argv *out)
{
	struct bcfg back;
	struct diags d;
	char why[512];

	ATF_REQUIRE(bhyve_cfg_to_argv(c, out) == 0);
	bcfg_init(&back);
	diags_init(&d);
	ATF_CHECK_EQ(bhyve_argv_to_cfg((int)out->n, out->v, &back, "rt",
	    NULL, &d), 0);
	if (!same_cfg(c, &back, why, sizeof(why))) {
		size_t i;

		for (i = 0; i < out->n; i++)
			fprintf(stderr, "argv[%zu] = %s\n", i, out->v[i]);
		ATF_CHECK_MSG(false, "round trip: %s", why);
	}
	bcfg_free(&back);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(p_comma_form_refused);
ATF_TC_BODY(p_comma_form_refused, tc)
{
	static const char *const args[] = { "bhyve", "-c", "4", "-p", "0:2",
	    "-p", "0,0", "-p", "1:4", "-p", "1:5", "-p", "x", "vm", NULL };
	struct bcfg c;
	struct diags d;

	bcfg_init(&c);
	diags_init(&d);
	ATF_CHECK_EQ(parse(args, &c, &d), 2);
	ATF_CHECK(tu_diag_has(&d, "-p 0,0: bhyve only takes -p "
	    "vcpu:hostcpu; 0,0 probably meant 0:0"));
	ATF_CHECK_EQ(tu_diag_line(&d, "-p 0,0"), 7);
	ATF_CHECK(tu_diag_has(&d, "-p x: expected vcpu:hostcpu"));
	CHECK_KEY(&c, "vcpu.0.cpuset", "2");
	CHECK_KEY(&c, "vcpu.1.cpuset", "4,5");
	bcfg_free(&c);
	diags_free(&d);
}

static void
read_script(const char *rel, struct bhyve_argv *a, struct diags *d, int want)
{
	char *buf;
	size_t len;

	buf = tu_read(rel, &len);
	ATF_CHECK_EQ(bhyve_script_argv(buf, len, rel, a, d), want);
	free(buf);
}

ATF_TC_WITHOUT_HEAD(guide_script_parses);
ATF_TC_BODY(guide_script_parses, tc)
{
	struct bhyve_argv a, out;
	struct bcfg c;
	struct diags d;

	bhyve_argv_init(&a);
	bhyve_argv_init(&out);
	bcfg_init(&c);
	diags_init(&d);
	read_script("vm/guide-expanded.sh", &a, &d, 0);
	ATF_REQUIRE(a.n > 20);
	ATF_CHECK_STREQ(a.v[0], "bhyve");
	ATF_CHECK_EQ(a.line[0], 25);
	ATF_CHECK_STREQ(a.v[1], "-DSHAw");
	ATF_CHECK_STREQ(a.v[a.n - 1], "winpt");
	ATF_CHECK_EQ(a.line[a.n - 1], 40);
	ATF_CHECK_EQ(bhyve_argv_to_cfg((int)a.n, a.v, &c,
	    "vm/guide-expanded.sh", a.line, &d), 0);
	CHECK_KEY(&c, "name", "winpt");
	CHECK_KEY(&c, "destroy_on_poweroff", "true");
	CHECK_KEY(&c, "memory.wired", "true");
	CHECK_KEY(&c, "x86.vmexit_on_hlt", "true");
	CHECK_KEY(&c, "acpi_tables", "true");
	CHECK_KEY(&c, "x86.strictmsr", "false");
	CHECK_KEY(&c, "cpus", "8");
	CHECK_KEY(&c, "memory.size", "16g");
	CHECK_KEY(&c, "lpc.bootrom",
	    "/usr/local/share/edk2-bhyve/BHYVE_UEFI_CODE.fd");
	CHECK_KEY(&c, "lpc.com1.path", "/dev/nmdm0A");
	CHECK_KEY(&c, "pci.0.0.0.device", "hostbridge");
	CHECK_KEY(&c, "pci.0.31.0.device", "lpc");
	CHECK_KEY(&c, "pci.0.1.0.device", "nvme");
	CHECK_KEY(&c, "pci.0.1.0.path", "/dev/zvol/zroot/opt/windows");
	CHECK_KEY(&c, "pci.0.1.1.device", "ahci");
	CHECK_KEY(&c, "pci.0.1.1.port.0.type", "cd");
	CHECK_KEY(&c, "pci.0.1.1.port.0.path", "disk/windows11.iso");
	CHECK_KEY(&c, "pci.0.2.0.device", "virtio-net");
	CHECK_KEY(&c, "pci.0.2.0.backend", "tap0");
	CHECK_KEY(&c, "pci.0.7.0.device", "passthru");
	CHECK_KEY(&c, "pci.0.7.0.bus", "6");
	CHECK_KEY(&c, "pci.0.7.0.slot", "0");
	CHECK_KEY(&c, "pci.0.7.0.func", "0");
	CHECK_KEY(&c, "pci.0.7.0.rom", "rom/rx7600-techpowerup.bin");
	CHECK_KEY(&c, "pci.0.5.0.device", "fbuf");
	CHECK_KEY(&c, "pci.0.5.0.tcp", "0.0.0.0:5900");
	CHECK_KEY(&c, "pci.0.5.1.device", "xhci");
	CHECK_KEY(&c, "pci.0.5.1.slot.1.device", "tablet");
	ATF_CHECK_EQ(c.n, 28);
	/* Each variable remembers its line in the script. */
	ATF_CHECK_EQ(bcfg_find(&c, "pci.0.7.0.rom")->line, 35);
	ATF_CHECK_EQ(bcfg_find(&c, "memory.wired")->line, 25);
	/* The check knows every key; only the relative paths are refused. */
	ATF_CHECK_EQ(bhyve_keys_check(&c, 0, &d), 2);
	ATF_CHECK_EQ(tu_diag_line(&d, "pci.0.1.1.port.0.path"), 32);
	ATF_CHECK_EQ(tu_diag_line(&d, "pci.0.7.0.rom"), 35);
	/* The script a person would write gives the same configuration. */
	round_trip(&c, &out);
	ATF_CHECK_STREQ(out.v[0], "/usr/sbin/bhyve");
	ATF_CHECK_STREQ(out.v[1], "-DSHAw");
	ATF_CHECK_STREQ(out.v[out.n - 1], "winpt");
	bhyve_argv_free(&a);
	bhyve_argv_free(&out);
	bcfg_free(&c);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(guide_script_variables_expanded);
ATF_TC_BODY(guide_script_variables_expanded, tc)
{
	struct bhyve_argv a;
	struct bhyve_script_info in;
	struct diags d;
	char *buf;
	size_t len, i;

	bhyve_argv_init(&a);
	diags_init(&d);
	buf = tu_read("vm/guide-script.sh", &len);
	ATF_CHECK_EQ(bhyve_script_argv_info(buf, len, "vm/guide-script.sh",
	    &a, &in, &d), 0);
	free(buf);
	ATF_CHECK_EQ(d.nerrors, 0);
	/* Each expansion is a note at its use, naming its assignment. */
	ATF_CHECK(tu_diag_has(&d, "$_fbuf expanded to \"-s 5:0,fbuf,"
	    "tcp=0.0.0.0:5900 -s 5:1,xhci,tablet\", the value line 11 "
	    "assigns"));
	ATF_CHECK_EQ(tu_diag_line(&d, "$_fbuf"), 32);
	ATF_CHECK(tu_diag_has(&d, "$vm_name expanded to \"winpt\", the value "
	    "line 3 assigns"));
	ATF_CHECK_EQ(tu_diag_line(&d, "$vm_name"), 34);
	/* The variables of other commands are not the invocation's. */
	ATF_CHECK(!tu_diag_has(&d, "$pptdevs"));
	ATF_CHECK_STREQ(a.v[a.n - 1], "winpt");
	/* Unquoted $_fbuf is split into four words, at their own lines. */
	for (i = 0; i < a.n && strcmp(a.v[i], "5:0,fbuf,tcp=0.0.0.0:5900") !=
	    0; i++)
		;
	ATF_REQUIRE(i > 0 && i + 2 < a.n);
	ATF_CHECK_STREQ(a.v[i - 1], "-s");
	ATF_CHECK_EQ(a.line[i], 12);
	ATF_CHECK_STREQ(a.v[i + 1], "-s");
	ATF_CHECK_STREQ(a.v[i + 2], "5:1,xhci,tablet");
	ATF_CHECK_EQ(a.line[i + 2], 13);
	/* What the script binds and the variable it never uses. */
	ATF_CHECK_STREQ(in.pptdevs, "6/0/0");
	ATF_CHECK_EQ(in.pptline, 17);
	ATF_REQUIRE(in.pptvia != NULL);
	ATF_CHECK(strstr(in.pptvia, "bind.sh") != NULL);
	ATF_REQUIRE_EQ(in.nunused, 1);
	ATF_CHECK_STREQ(in.unused[0].name, "_gpu");
	ATF_CHECK_EQ(in.unused[0].line, 6);
	ATF_CHECK(strstr(in.unused[0].val, "7:0,passthru,6/0/0,rom=") != NULL);
	bhyve_script_info_free(&in);
	bhyve_argv_free(&a);
	diags_free(&d);
}

/* One script, its bhyve invocation's diagnostics; the argv in *a. */
static int
script_diags(const char *s, struct bhyve_argv *a, struct diags *d)
{

	bhyve_argv_free(a);
	diags_free(d);
	diags_init(d);
	return (bhyve_script_argv(s, strlen(s), "s.sh", a, d));
}

ATF_TC_WITHOUT_HEAD(script_refuses_only_the_unknowable);
ATF_TC_BODY(script_refuses_only_the_unknowable, tc)
{
	struct bhyve_argv a;
	struct diags d;

	bhyve_argv_init(&a);
	diags_init(&d);
	/* Quoted: one word; ${x}; a variable built from a known one. */
	ATF_CHECK_EQ(script_diags("o='a b'\np=${o}/x\nbhyve -o \"$o\" "
	    "-o \"${p}\" $o vm\n", &a, &d), 0);
	ATF_REQUIRE_EQ(a.n, 8);
	ATF_CHECK_STREQ(a.v[2], "a b");
	ATF_CHECK_STREQ(a.v[4], "a b/x");
	ATF_CHECK_STREQ(a.v[5], "a");
	ATF_CHECK_STREQ(a.v[6], "b");
	/* The latest top-level assignment before the use is the one. */
	ATF_CHECK_EQ(script_diags("n=a\nn=b\nbhyve -c 1 $n\nn=c\n", &a, &d),
	    0);
	ATF_CHECK_STREQ(a.v[3], "b");
	ATF_CHECK(tu_diag_has(&d, "the value line 2 assigns"));
	/* An empty unquoted expansion leaves no word; quoted, an empty one. */
	ATF_CHECK_EQ(script_diags("e=\nbhyve -c 1 $e \"$e\" vm\n", &a, &d), 0);
	ATF_REQUIRE_EQ(a.n, 5);
	ATF_CHECK_STREQ(a.v[3], "");
	/* What cannot be known stays refused, each with its reason. */
	ATF_CHECK_EQ(script_diags("if [ -e x ]; then n=a; else n=b; fi\n"
	    "bhyve -c 1 $n\n", &a, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "shell variable $n: assigned at line 1 in "
	    "a branch"));
	ATF_CHECK_EQ(tu_diag_line(&d, "$n"), 2);
	ATF_CHECK_EQ(script_diags("[ -e x ] && n=a\nbhyve -c 1 $n\n", &a, &d),
	    -1);
	ATF_CHECK(tu_diag_has(&d, "in a branch"));
	ATF_CHECK_EQ(script_diags("f() { n=a; }\nbhyve -c 1 $n\n", &a, &d),
	    -1);
	ATF_CHECK(tu_diag_has(&d, "in a branch"));
	ATF_CHECK_EQ(script_diags("n=$(hostname)\nbhyve -c 1 $n\n", &a, &d),
	    -1);
	ATF_CHECK(tu_diag_has(&d, "line 1 gives it a value ptvm cannot know"));
	ATF_CHECK_EQ(script_diags("read n\nbhyve -c 1 $n\n", &a, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "gives it a value ptvm cannot know"));
	ATF_CHECK_EQ(script_diags("for n in a b; do :; done\nbhyve -c 1 $n\n",
	    &a, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "gives it a value ptvm cannot know"));
	ATF_CHECK_EQ(script_diags("bhyve -c 1 $1\n", &a, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "$1: a script argument"));
	ATF_CHECK_EQ(script_diags("bhyve -c 1 $HOME\n", &a, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "shell variable $HOME: not assigned in the "
	    "script"));
	ATF_CHECK_EQ(script_diags("n=a\nbhyve -c 1 ${n:-b}\n", &a, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "${n:-b}: ptvm expands $NAME and ${NAME} "
	    "only"));
	ATF_CHECK_EQ(script_diags("g='*'\nbhyve -c 1 $g\n", &a, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "which sh(1) matches against file names"));
	/* A prefix assignment is the command's environment, not the shell's. */
	ATF_CHECK_EQ(script_diags("n=a true\nbhyve -c 1 $n\n", &a, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "not assigned in the script"));
	/* After the branch closes, assignments are known again. */
	ATF_CHECK_EQ(script_diags("if true; then :; fi\nn=a\nbhyve -c 1 $n\n",
	    &a, &d), 0);
	bhyve_argv_free(&a);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(script_quoting_and_invocations);
ATF_TC_BODY(script_quoting_and_invocations, tc)
{
	static const char q[] = "#!/bin/sh\n# bhyve in a comment\n"
	    "sudo /usr/sbin/bhyve -c 2 \\\n  -o 'system.product_name=My "
	    "PC' -o \"bios.vendor=A \\\"B\\\" \\$5\" \\\n  -o x=a\\ b "
	    "vm1 > /tmp/log 2>&1 # done\necho `date` $(hostname)\n";
	static const char none[] = "echo hello\nbhyvectl --destroy\n";
	static const char two[] = "bhyve -c 1 a\nbhyve -c 2 b\n";
	static const char subst[] = "bhyve -c $(nproc) -U `uuidgen` vm\n";
	static const char open[] = "bhyve -o 'a=b vm\n";
	struct bhyve_argv a;
	struct diags d;

	bhyve_argv_init(&a);
	diags_init(&d);
	ATF_CHECK_EQ(bhyve_script_argv(q, strlen(q), "q", &a, &d), 0);
	ATF_REQUIRE_EQ(a.n, 10);
	ATF_CHECK_STREQ(a.v[0], "/usr/sbin/bhyve");
	ATF_CHECK_STREQ(a.v[4], "system.product_name=My PC");
	ATF_CHECK_STREQ(a.v[6], "bios.vendor=A \"B\" $5");
	ATF_CHECK_STREQ(a.v[8], "x=a b");
	ATF_CHECK_EQ(a.line[8], 5);
	ATF_CHECK_STREQ(a.v[9], "vm1");
	bhyve_argv_free(&a);
	ATF_CHECK_EQ(bhyve_script_argv(none, strlen(none), "n", &a, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "no bhyve invocation found"));
	bhyve_argv_free(&a);
	ATF_CHECK_EQ(bhyve_script_argv(two, strlen(two), "t", &a, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "another bhyve invocation (the first is "
	    "at line 1)"));
	ATF_CHECK_EQ(tu_diag_line(&d, "another bhyve"), 2);
	bhyve_argv_free(&a);
	ATF_CHECK_EQ(bhyve_script_argv(subst, strlen(subst), "s", &a, &d),
	    -1);
	ATF_CHECK(tu_diag_has(&d, "command substitution $(nproc)"));
	ATF_CHECK(tu_diag_has(&d, "command substitution `uuidgen`"));
	bhyve_argv_free(&a);
	ATF_CHECK_EQ(bhyve_script_argv(open, strlen(open), "o", &a, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "unterminated quote"));
	bhyve_argv_free(&a);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(flags_and_options_map_to_keys);
ATF_TC_BODY(flags_and_options_map_to_keys, tc)
{
	static const char *const args[] = { "bhyve", "-AaCDeHIPSuWwxY",
	    "-ccpus=4,sockets=2,cores=2", "-m", "4G", "-G", "w127.0.0.1:1234",
	    "-K", "de", "-U", "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
	    "-l", "bootrom,/fw/CODE.fd,/vm/VARS.fd", "-l", "COM2,stdio",
	    "-l", "tpm,swtpm,/var/run/swtpm.sock", "-l", "pc-testdev",
	    "-o", "bios.vendor=a=b", "-k", "/vm/x.conf", "vm", NULL };
	struct bcfg c;
	struct diags d;

	bcfg_init(&c);
	diags_init(&d);
	ATF_CHECK_EQ(parse(args, &c, &d), 0);
	CHECK_KEY(&c, "acpi_tables", "true");
	CHECK_KEY(&c, "x86.x2apic", "true");	/* -x after -a */
	CHECK_KEY(&c, "memory.guest_in_core", "true");
	CHECK_KEY(&c, "destroy_on_poweroff", "true");
	CHECK_KEY(&c, "x86.strictio", "true");
	CHECK_KEY(&c, "x86.vmexit_on_hlt", "true");
	CHECK_KEY(&c, "x86.vmexit_on_pause", "true");
	CHECK_KEY(&c, "memory.wired", "true");
	CHECK_KEY(&c, "rtc.use_localtime", "false");
	CHECK_KEY(&c, "virtio_msix", "false");
	CHECK_KEY(&c, "x86.strictmsr", "false");
	CHECK_KEY(&c, "x86.mptable", "false");
	CHECK_KEY(&c, "cpus", "4");
	CHECK_KEY(&c, "sockets", "2");
	CHECK_KEY(&c, "cores", "2");
	CHECK_KEY(&c, "memory.size", "4G");
	CHECK_KEY(&c, "gdb.wait", "true");
	CHECK_KEY(&c, "gdb.address", "127.0.0.1");
	CHECK_KEY(&c, "gdb.port", "1234");
	CHECK_KEY(&c, "keyboard.layout", "de");
	CHECK_KEY(&c, "uuid", "6ba7b810-9dad-11d1-80b4-00c04fd430c8");
	CHECK_KEY(&c, "lpc.bootrom", "/fw/CODE.fd");
	CHECK_KEY(&c, "lpc.bootvars", "/vm/VARS.fd");
	CHECK_KEY(&c, "lpc.com2.path", "stdio");
	CHECK_KEY(&c, "tpm.type", "swtpm");
	CHECK_KEY(&c, "tpm.path", "/var/run/swtpm.sock");
	CHECK_KEY(&c, "lpc.pc-testdev", "true");
	CHECK_KEY(&c, "bios.vendor", "a=b");
	CHECK_KEY(&c, "name", "vm");
	ATF_CHECK(tu_diag_has(&d, "are not read here"));
	ATF_CHECK_EQ(bhyve_keys_check(&c, 0, &d), 0);
	bcfg_free(&c);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(slot_forms_and_legacy_parsers);
ATF_TC_BODY(slot_forms_and_legacy_parsers, tc)
{
	static const char *const args[] = { "bhyve",
	    "-s", "0,amd_hostbridge", "-s", "3:2,passthru,pci0:6:0:1",
	    "-s", "2:4:5,passthru,ppt3,rom=/r.bin",
	    "-s", "4,ahci,hd:/a.img,nmrr=1,cd:/b.iso,ro",
	    "-s", "5,ahci-hd,/c.img,nocache,sectorsize=512/4096",
	    "-s", "6,nvme,ram=1024,ser=ABC", "-s", "7,virtio-net,tap1,mac="
	    "58:9c:fc:00:00:01,mtu=9000", "-s", "8,virtio-9p,share=/srv,ro",
	    "-s", "9,xhci,tablet,tablet", "-s", "10,uart,/dev/nmdm1A",
	    "-s", "11,virtio-scsi,/dev/cam/ctl0.1,iid=2", "-s",
	    "12,fbuf,rfb=[::1]:5900,w=800,h=600,wait", "-s", "13,virtio-rnd",
	    NULL };
	static const char *const bad[] = { "bhyve", "-s", "32,nvme,/a",
	    "-s", "1:8,nvme,/a", "-s", "1,floppy", "-s", "1:0,nvme,/a",
	    "-s", "1,nvme,/b", "-s", "x,nvme", "-s", "2,passthru,6:0:0",
	    "-s", "3,ahci,/nope", "-Z", "-m", NULL };
	struct bcfg c;
	struct diags d;

	bcfg_init(&c);
	diags_init(&d);
	ATF_CHECK_EQ(parse(args, &c, &d), 0);
	CHECK_KEY(&c, "pci.0.0.0.device", "hostbridge");
	CHECK_KEY(&c, "pci.0.0.0.pcireg.vendor", "0x1022");
	CHECK_KEY(&c, "pci.0.3.2.bus", "6");
	CHECK_KEY(&c, "pci.0.3.2.func", "1");
	CHECK_KEY(&c, "pci.2.4.5.pptdev", "ppt3");
	CHECK_KEY(&c, "pci.2.4.5.rom", "/r.bin");
	CHECK_KEY(&c, "pci.0.4.0.port.0.type", "hd");
	CHECK_KEY(&c, "pci.0.4.0.port.0.nmrr", "1");
	CHECK_KEY(&c, "pci.0.4.0.port.1.path", "/b.iso");
	CHECK_KEY(&c, "pci.0.4.0.port.1.ro", "true");
	CHECK_KEY(&c, "pci.0.5.0.device", "ahci");
	CHECK_KEY(&c, "pci.0.5.0.port.0.nocache", "true");
	CHECK_KEY(&c, "pci.0.5.0.port.0.sectorsize", "512/4096");
	CHECK_KEY(&c, "pci.0.6.0.ram", "1024");
	CHECK_KEY(&c, "pci.0.7.0.backend", "tap1");
	CHECK_KEY(&c, "pci.0.7.0.mtu", "9000");
	CHECK_KEY(&c, "pci.0.8.0.sharename", "share");
	CHECK_KEY(&c, "pci.0.8.0.path", "/srv");
	CHECK_KEY(&c, "pci.0.9.0.slot.2.device", "tablet");
	CHECK_KEY(&c, "pci.0.10.0.path", "/dev/nmdm1A");
	CHECK_KEY(&c, "pci.0.11.0.dev", "/dev/cam/ctl0.1");
	CHECK_KEY(&c, "pci.0.12.0.rfb", "[::1]:5900");
	CHECK_KEY(&c, "pci.0.13.0.device", "virtio-rnd");
	ATF_CHECK_EQ(bhyve_keys_check(&c, 0, &d), 0);
	bcfg_free(&c);
	bcfg_init(&c);
	ATF_CHECK_EQ(parse(bad, &c, &d), 9);
	ATF_CHECK(tu_diag_has(&d, "-s 32,nvme,/a: no such slot"));
	ATF_CHECK(tu_diag_has(&d, "-s 1:8,nvme,/a: no such slot"));
	ATF_CHECK(tu_diag_has(&d, "unknown device \"floppy\""));
	ATF_CHECK(tu_diag_has(&d, "slot 0:1:0 is already occupied"));
	ATF_CHECK_EQ(tu_diag_line(&d, "already occupied"), 11);
	ATF_CHECK(tu_diag_has(&d, "a slot is S, S:F or B:S:F"));
	ATF_CHECK(tu_diag_has(&d, "passthru: \"6:0:0\""));
	ATF_CHECK(tu_diag_has(&d, "expected hd:PATH or cd:PATH"));
	ATF_CHECK(tu_diag_has(&d, "-Z: unknown bhyve option"));
	ATF_CHECK_EQ(tu_diag_line(&d, "-Z"), 18);
	ATF_CHECK(tu_diag_has(&d, "-m needs an argument"));
	bcfg_free(&c);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(round_trip_written_forms);
ATF_TC_BODY(round_trip_written_forms, tc)
{
	static const char *const args[] = { "bhyve", "-HPw", "-c", "2",
	    "-m", "1G", "-s", "0,hostbridge", "-s", "1,lpc", "-s",
	    "2,virtio-blk,/my/image", "-s", "3,ahci,hd:/a,cd:/b,ro",
	    "-s", "4,nvme,/dev/x,maxq=4,dsm=enable", "-s", "5,e1000,tap2",
	    "-l", "com1,tcp=127.0.0.1:1234", "-p", "0:3", "-p", "1:4",
	    "-p", "1:5", "-o", "pci.0.2.0.ser=a,b", "-o", "x86.x2apic=yes",
	    "-o", "pci.0.9.0.path=/orphan", "vm1", NULL };
	struct bhyve_argv out;
	struct bcfg c;
	struct diags d;
	size_t i;
	bool p4, o_ser;

	bcfg_init(&c);
	diags_init(&d);
	bhyve_argv_init(&out);
	ATF_CHECK_EQ(parse(args, &c, &d), 0);
	round_trip(&c, &out);
	p4 = o_ser = false;
	for (i = 0; i < out.n; i++) {
		if (strcmp(out.v[i], "0:3") == 0)
			p4 = true;
		if (strcmp(out.v[i], "pci.0.2.0.ser=a,b") == 0)
			o_ser = true;
	}
	ATF_CHECK_STREQ(out.v[1], "-HwP");
	ATF_CHECK(p4);
	ATF_CHECK(o_ser);	/* a comma cannot ride in the legacy form */
	bhyve_argv_free(&out);
	bcfg_free(&c);
	diags_free(&d);
}

/* A value a key of type t might hold, good or strange. */
static const char *
sample(enum bhyve_ktype t, unsigned r)
{
	static const char *any[] = { "x", "a,b", "a=b", "true", "1", "hd:/x",
	    "/p", "%%", "\\,", "-", "tap0", "ppt1", "cd:", " " };
	static const char *vals[][3] = {
		[BK_STRING] = { "abc", "two words", "ser1" },
		[BK_BOOL] = { "true", "false", "on" },
		[BK_INT] = { "0", "7", "0x10" },
		[BK_SIZE] = { "16g", "512", "2T" },
		[BK_HEXHOST] = { "host", "0x8086", "7000" },
		[BK_HEX] = { "0x1275", "1022", "0" },
		[BK_CPUSET] = { "2", "2,4", "4-7" },
		[BK_PATH] = { "/dev/zvol/a", "/vm/x.iso", "/r" },
		[BK_ENUM] = { "hd", "cd", "auto" },
		[BK_MAC] = { "58:9c:fc:00:00:01", "2:0:0:0:0:1", "x" },
		[BK_UUID] = { "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "u",
		    "0" },
		[BK_TCPADDR] = { "0.0.0.0:5900", "[::]:5900", "5900" },
		[BK_SECTORSIZE] = { "512", "512/4096", "4096" },
		[BK_TTY] = { "stdio", "/dev/nmdm0A", "tcp=1.2.3.4:5" },
		[BK_PPTDEV] = { "ppt0", "ppt12", "x" },
		[BK_DEVICE] = { "nvme", "ahci", "passthru" },
		[BK_USBDEV] = { "tablet", "tablet", "kbd" },
	};

	if (r % 7 == 0)
		return (any[(r / 7) % nitems(any)]);
	return (vals[t][(r / 3) % 3]);
}

/* Configurations built from the key table survive the round trip. */
ATF_TC_WITHOUT_HEAD(round_trip_random_from_key_table);
ATF_TC_BODY(round_trip_random_from_key_table, tc)
{
	static const char *models[] = { "hostbridge", "lpc", "passthru",
	    "nvme", "ahci", "virtio-blk", "virtio-net", "e1000", "fbuf",
	    "xhci", "virtio-rnd", "virtio-console", "virtio-9p",
	    "virtio-scsi", "virtio-input", "hda", "uart" };
	const struct bhyve_key *keys;
	struct bhyve_argv in, out;
	struct bcfg c, c2;
	struct diags d;
	char key[256], kv[512], node[32], *p;
	size_t nkeys, i, j, m;
	unsigned r, bit;
	int round;

	keys = bhyve_keys_table(&nkeys);
	r = 12345;
	for (round = 0; round < 400; round++) {
		bhyve_argv_init(&in);
		bhyve_argv_push(&in, "bhyve", 5, 0);
		bcfg_init(&c);
		/* A few devices, each with a few of its keys. */
		for (m = 0; m < 1 + (unsigned)round % 4; m++) {
			r = r * 1103515245 + 12345;
			snprintf(node, sizeof(node), "pci.0.%u.%u", (r >> 8) % 32,
			    (r >> 16) % 3);
			snprintf(kv, sizeof(kv), "%s.device=%s", node,
			    models[(r >> 4) % nitems(models)]);
			bit = 1u << ((r >> 4) % nitems(models));
			bhyve_argv_push(&in, "-o", 2, 0);
			bhyve_argv_push(&in, kv, strlen(kv), 0);
			for (j = 0; j < nkeys; j++) {
				r = r * 1103515245 + 12345;
				if ((keys[j].devs & bit) == 0 ||
				    strcmp(keys[j].pattern, "device") == 0 ||
				    (r >> 10) % 3 == 0)
					continue;
				snprintf(key, sizeof(key), "%s.%s", node,
				    keys[j].pattern);
				while ((p = strchr(key, '#')) != NULL)
					*p = (char)('0' + (r >> 12) % 3);
				snprintf(kv, sizeof(kv), "%s=%s", key,
				    sample(keys[j].type, r >> 14));
				bhyve_argv_push(&in, "-o", 2, 0);
				bhyve_argv_push(&in, kv, strlen(kv), 0);
			}
		}
		/* Some global keys. */
		for (j = 0; j < nkeys; j++) {
			r = r * 1103515245 + 12345;
			if (keys[j].devs != 0 || (r >> 10) % 4 != 0)
				continue;
			snprintf(key, sizeof(key), "%s", keys[j].pattern);
			while ((p = strchr(key, '#')) != NULL)
				*p = (char)('0' + (r >> 12) % 4);
			snprintf(kv, sizeof(kv), "%s=%s", key,
			    sample(keys[j].type, r >> 14));
			bhyve_argv_push(&in, "-o", 2, 0);
			bhyve_argv_push(&in, kv, strlen(kv), 0);
		}
		diags_init(&d);
		ATF_CHECK_EQ(bhyve_argv_to_cfg((int)in.n, in.v, &c, "r", NULL,
		    &d), 0);
		bhyve_argv_init(&out);
		round_trip(&c, &out);
		/* And the written form is stable. */
		bcfg_init(&c2);
		ATF_CHECK_EQ(bhyve_argv_to_cfg((int)out.n, out.v, &c2, "r",
		    NULL, &d), 0);
		for (i = 0; i < c2.n; i++)
			ATF_CHECK(bcfg_find(&c, c2.v[i].key) != NULL);
		(void)bhyve_keys_check(&c, 0, &d);
		bcfg_free(&c2);
		bhyve_argv_free(&out);
		bhyve_argv_free(&in);
		bcfg_free(&c);
		diags_free(&d);
	}
}

/*
 * The import pipeline on a script: 0 and the VM file in out, or -1.
 */
static int
import(const char *script, struct strbuf *out, struct diags *d)
{
	struct bhyve_argv a;
	struct bcfg c;
	int rc;

	bhyve_argv_init(&a);
	bcfg_init(&c);
	rc = -1;
	if (bhyve_script_argv(script, strlen(script), "s.sh", &a, d) == 0 &&
	    bhyve_argv_to_cfg((int)a.n, a.v, &c, "s.sh", a.line, d) == 0)
		rc = vm_import(&c, "s.sh", out, d);
	bcfg_free(&c);
	bhyve_argv_free(&a);
	return (rc);
}

/* Whether some line of text is exactly line. */
static bool
has_line(const char *text, const char *line)
{
	size_t n;
	const char *p;

	n = strlen(line);
	for (p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' ||
		    p[n] == '\0'))
			return (true);
	return (false);
}

ATF_TC_WITHOUT_HEAD(import_newline_in_value_refused);
ATF_TC_BODY(import_newline_in_value_refused, tc)
{
	/* A quoted newline must not become a disk the script never had. */
	static const char s[] = "#!/bin/sh\nbhyve -c 2 -m 1G \\\n"
	    "  -o \"bios.vendor=x\ndisk=/dev/zvol/zroot/opt/windows\" \\\n"
	    "  -s 0,hostbridge -l bootrom,/fw.fd vm1\n";
	static const char cr[] = "bhyve -c 2 -m 1G -o 'bios.vendor=x\r' "
	    "-o 'system.product_name=a\tb' vm1\n";
	struct strbuf out;
	struct diags d;

	sb_init(&out);
	diags_init(&d);
	ATF_CHECK_EQ(import(s, &out, &d), -1);
	ATF_CHECK(!has_line(sb_str(&out), "disk=/dev/zvol/zroot/opt/windows"));
	ATF_CHECK(tu_diag_has(&d, "bios.vendor: the value has a control "
	    "character (a newline)"));
	ATF_CHECK_EQ(tu_diag_line(&d, "bios.vendor:"), 3);
	sb_reset(&out);
	ATF_CHECK_EQ(import(cr, &out, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "bios.vendor: the value has a control "
	    "character (a carriage return)"));
	ATF_CHECK(tu_diag_has(&d, "system.product_name: the value has a "
	    "control character (a tab)"));
	sb_free(&out);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(import_bad_keys_refused);
ATF_TC_BODY(import_bad_keys_refused, tc)
{
	static const char tpm[] = "bhyve -c 2 -m 1G -l bootrom,/fw.fd \\\n"
	    "  -l tpm,swtpm,/,/s vm1\n";
	static const char sp[] = "bhyve -c 2 -m 1G -l bootrom,/fw.fd "
	    "-o 'a b=c' vm1\n";
	struct strbuf out;
	struct diags d;

	sb_init(&out);
	diags_init(&d);
	ATF_CHECK_EQ(import(tpm, &out, &d), -1);
	ATF_CHECK(strstr(sb_str(&out), "tpm./s") == NULL);
	ATF_CHECK(tu_diag_has(&d, "tpm./s: not a key a VM file can hold"));
	ATF_CHECK_EQ(tu_diag_line(&d, "tpm./s"), 2);
	sb_reset(&out);
	ATF_CHECK_EQ(import(sp, &out, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "a b: not a key a VM file can hold"));
	sb_free(&out);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(import_refuses_what_ptvm_refuses);
ATF_TC_BODY(import_refuses_what_ptvm_refuses, tc)
{
	static const char big[] = "bhyve -c 2 \\\n  -m 16E \\\n"
	    "  -l bootrom,/fw.fd vm1\n";
	static const char rel[] = "bhyve -c 2 -m 1G -l bootrom,/fw.fd \\\n"
	    "  -s 3,ahci-cd,disk/w.iso vm1\n";
	struct strbuf out;
	struct diags d;

	sb_init(&out);
	diags_init(&d);
	ATF_CHECK_EQ(import(big, &out, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "memory: \"16E\" is not a memory size"));
	ATF_CHECK_EQ(tu_diag_line(&d, "\"16E\""), 2);
	sb_reset(&out);
	ATF_CHECK_EQ(import(rel, &out, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "\"disk/w.iso\" is not an absolute path"));
	ATF_CHECK_EQ(tu_diag_line(&d, "disk/w.iso"), 2);
	sb_free(&out);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(import_values_read_back);
ATF_TC_BODY(import_values_read_back, tc)
{
	/* Quotes and blanks the VM file parser would take away. */
	static const char s[] = "bhyve -c 2 -m 1G -l bootrom,/fw.fd "
	    "-o 'bios.vendor=\"Q\"' -o 'bios.version= 1.0 ' "
	    "-o 'system.version=\"' -o 'system.sku=a\"' vm1\n";
	struct strbuf out;
	struct diags d;
	struct vmconf c;
	const struct vmconf_line *l;

	sb_init(&out);
	diags_init(&d);
	ATF_REQUIRE_EQ(import(s, &out, &d), 0);
	ATF_REQUIRE_EQ(vmconf_parse(out.s, out.len, "o.conf", "vm1", &c, &d),
	    0);
	ATF_CHECK((l = vmconf_get(&c, "bios.vendor")) != NULL &&
	    strcmp(l->val, "\"Q\"") == 0);
	ATF_CHECK((l = vmconf_get(&c, "bios.version")) != NULL &&
	    strcmp(l->val, " 1.0 ") == 0);
	ATF_CHECK((l = vmconf_get(&c, "system.version")) != NULL &&
	    strcmp(l->val, "\"") == 0);
	ATF_CHECK((l = vmconf_get(&c, "system.sku")) != NULL &&
	    strcmp(l->val, "a\"") == 0);
	vmconf_free(&c);
	sb_free(&out);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(import_device_keys_not_dropped);
ATF_TC_BODY(import_device_keys_not_dropped, tc)
{
	/* A value disk= cannot carry (a ',' would split it): a bhyve key. */
	static const char s[] = "bhyve -c 2 -m 1G -l bootrom,/fw.fd "
	    "-s 1,nvme,/dev/x -o pci.0.1.0.ser=A,B vm1\n";
	/* An option named like one of disk='s own: never disk=...,slot=4. */
	static const char sl[] = "bhyve -c 2 -m 1G -l bootrom,/fw.fd "
	    "-s 2,nvme,/dev/y,slot=4 vm1\n";
	struct strbuf out;
	struct diags d;

	sb_init(&out);
	diags_init(&d);
	ATF_CHECK_EQ(import(s, &out, &d), 0);
	ATF_CHECK_MSG(has_line(sb_str(&out), "pci.0.1.0.ser=A,B"), "%s",
	    sb_str(&out));
	ATF_CHECK_MSG(has_line(sb_str(&out), "pci.0.1.0.path=/dev/x"), "%s",
	    sb_str(&out));
	sb_reset(&out);
	ATF_CHECK_EQ(import(sl, &out, &d), -1);
	ATF_CHECK(strstr(sb_str(&out), "slot=4,") == NULL);
	ATF_CHECK(tu_diag_has(&d, "pci.0.2.0.slot: nvme has no \"slot\""));
	sb_free(&out);
	diags_free(&d);
}

/* The configuration "ptvm show" gives for an imported VM file. */
static void
compile_text(const struct strbuf *text, struct vm *vm, struct diags *d)
{
	struct vm_env env;
	struct vmconf c;

	memset(&env, 0, sizeof(env));
	env.firmware = "/fw.fd";
	ATF_REQUIRE_EQ(vmconf_parse(text->s, text->len, "o.conf", "vm1", &c,
	    d), 0);
	ATF_REQUIRE_EQ(vm_compile(&c, &env, vm, d), 0);
}

ATF_TC_WITHOUT_HEAD(import_passthru_layout_kept);
ATF_TC_BODY(import_passthru_layout_kept, tc)
{
	/* Functions listed highest first keep their guest functions. */
	static const char rev[] = "bhyve -S -c 2 -m 1G -l bootrom,/fw.fd "
	    "-s 7:1,passthru,6/0/1 -s 7:0,passthru,6/0/0,rom=/r.bin vm1\n";
	/* Found by fuzz_import: one host device's functions in two slots. */
	static const char split[] = "bhyve -S -c 2 -m 1G -l bootrom,/fw.fd "
	    "-s 4,passthru,6/0/0 -s 7:1,passthru,6/0/1 vm1\n";
	struct strbuf out;
	struct diags d;
	struct vm vm;

	sb_init(&out);
	diags_init(&d);
	vm_init(&vm);
	ATF_REQUIRE_EQ(import(rev, &out, &d), 0);
	compile_text(&out, &vm, &d);
	CHECK_KEY(&vm.cfg, "pci.0.7.0.func", "0");
	CHECK_KEY(&vm.cfg, "pci.0.7.0.rom", "/r.bin");
	CHECK_KEY(&vm.cfg, "pci.0.7.1.func", "1");
	ATF_CHECK(bcfg_get(&vm.cfg, "pci.0.7.2.device") == NULL);
	vm_free(&vm);
	vm_init(&vm);
	sb_reset(&out);
	ATF_REQUIRE_EQ(import(split, &out, &d), 0);
	compile_text(&out, &vm, &d);
	CHECK_KEY(&vm.cfg, "pci.0.4.0.func", "0");
	CHECK_KEY(&vm.cfg, "pci.0.7.1.func", "1");
	ATF_CHECK(bcfg_get(&vm.cfg, "pci.0.4.1.device") == NULL);
	ATF_CHECK(tu_diag_has(&d, "passthru 6/0: its functions are not in "
	    "one guest slot"));
	vm_free(&vm);
	sb_free(&out);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(import_numbers_as_bhyve_reads_them);
ATF_TC_BODY(import_numbers_as_bhyve_reads_them, tc)
{
	/* Found by fuzz_import: bhyve reads -c 04 with strtol(..., 0). */
	static const char oct[] = "bhyve -c 010 -m 1G -l bootrom,/fw.fd vm1\n";
	static const char hex[] = "bhyve -c 2,sockets=0x2,cores=1 -m 1G "
	    "-l bootrom,/fw.fd vm1\n";
	/* vm_parse_memsize(): a plain number below 1M is MiB. */
	static const char mib[] = "bhyve -c 2 -m 1024 -l bootrom,/fw.fd vm1\n";
	struct strbuf out;
	struct diags d;
	struct vm vm;

	sb_init(&out);
	diags_init(&d);
	ATF_CHECK_EQ(import(oct, &out, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "cpus: \"010\": bhyve reads a leading 0 as "
	    "octal"));
	ATF_CHECK(!has_line(sb_str(&out), "cpus=010"));
	sb_reset(&out);
	ATF_CHECK_EQ(import(hex, &out, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "sockets: \"0x2\": bhyve reads"));
	sb_reset(&out);
	ATF_REQUIRE_EQ(import(mib, &out, &d), 0);
	ATF_CHECK_MSG(has_line(sb_str(&out), "memory=1024M"), "%s",
	    sb_str(&out));
	ATF_CHECK(tu_diag_has(&d, "-m 1024: bhyve reads a size below 1M as "
	    "MiB"));
	vm_init(&vm);
	compile_text(&out, &vm, &d);
	ATF_CHECK_EQ(vm.memory, 1024ULL << 20);
	vm_free(&vm);
	sb_free(&out);
	diags_free(&d);
}

ATF_TC_WITHOUT_HEAD(script_heredoc_is_data);
ATF_TC_BODY(script_heredoc_is_data, tc)
{
	static const char s[] = "#!/bin/sh\ncat <<EOF > /tmp/notes\n"
	    "bhyve -c 1 -s 3,nvme,/dev/evil evil\nEOF\n"
	    "cat <<-'END' ; cat << \"X\"Y\n\tbhyve -c 1 a\n\tEND\n"
	    "bhyve -c 1 b\nXY\n"
	    "cat <<\\Z\nbhyve c\n Z\nZ\n"
	    "bhyve -c 2 vm1\n";
	static const char open[] = "cat <<EOF\nbhyve -c 1 a\n";
	static const char var[] = "cat <<$X\nbhyve -c 1 a\n$X\n";
	struct bhyve_argv a;
	struct diags d;

	bhyve_argv_init(&a);
	diags_init(&d);
	ATF_CHECK_EQ(bhyve_script_argv(s, strlen(s), "h", &a, &d), 0);
	ATF_REQUIRE_EQ(a.n, 4);
	ATF_CHECK_STREQ(a.v[2], "2");
	ATF_CHECK_STREQ(a.v[3], "vm1");
	ATF_CHECK_EQ(a.line[0], 14);
	ATF_CHECK(!tu_diag_has(&d, "another bhyve"));
	bhyve_argv_free(&a);
	ATF_CHECK_EQ(bhyve_script_argv(open, strlen(open), "o", &a, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "no bhyve invocation found"));
	bhyve_argv_free(&a);
	ATF_CHECK_EQ(bhyve_script_argv(var, strlen(var), "v", &a, &d), -1);
	ATF_CHECK(tu_diag_has(&d, "sh(1) refuses one with an unquoted $"));
	bhyve_argv_free(&a);
	diags_free(&d);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, p_comma_form_refused);
	ATF_TP_ADD_TC(tp, guide_script_parses);
	ATF_TP_ADD_TC(tp, guide_script_variables_expanded);
	ATF_TP_ADD_TC(tp, script_refuses_only_the_unknowable);
	ATF_TP_ADD_TC(tp, script_quoting_and_invocations);
	ATF_TP_ADD_TC(tp, flags_and_options_map_to_keys);
	ATF_TP_ADD_TC(tp, slot_forms_and_legacy_parsers);
	ATF_TP_ADD_TC(tp, round_trip_written_forms);
	ATF_TP_ADD_TC(tp, round_trip_random_from_key_table);
	ATF_TP_ADD_TC(tp, import_newline_in_value_refused);
	ATF_TP_ADD_TC(tp, import_bad_keys_refused);
	ATF_TP_ADD_TC(tp, import_refuses_what_ptvm_refuses);
	ATF_TP_ADD_TC(tp, import_values_read_back);
	ATF_TP_ADD_TC(tp, import_device_keys_not_dropped);
	ATF_TP_ADD_TC(tp, script_heredoc_is_data);
	ATF_TP_ADD_TC(tp, import_passthru_layout_kept);
	ATF_TP_ADD_TC(tp, import_numbers_as_bhyve_reads_them);
	return (atf_no_error());
}
