/*
 * golden_test.c: the VM file parser and compiler against golden files.
 *
 * Every tests/data/vm/golden/CASE.conf is parsed (vmconf_parse) and
 * compiled (vm_compile) with a fixed host: the guide's RX 7600 pciconf
 * capture, its 12-CPU topology, the edk2-bhyve firmware, nmdm unit 3,
 * hw.vmm.maxcpu 16 and a fixed set of smbios.* kenv variables.  The host
 * facts are given as engine/vmload.c gives them (the PCI list only with a
 * passthru line, the topology unless pin=none, the firmware only for
 * firmware=auto, the nmdm unit only for console=auto).  Then, beside it:
 *
 *	CASE.bhyve.conf	the file bhyve gets with -k (bcfg_write)
 *	CASE.argv	the equivalent command line (bhyve_cfg_to_argv), one
 *			argument a line, as ptvm show --argv prints it
 *	CASE.vm		what the engine takes from the compiled VM besides
 *			the configuration: pinning, the functions to bind,
 *			console, VNC, firmware, variables, the supervisor's
 *			settings
 *	CASE.diag	every diagnostic, "file:line: level: message"
 *
 * A case that does not compile has only CASE.diag.  With
 * PTVM_GOLDEN_WRITE=1 in the environment (make golden) the expected files
 * are rewritten from the current output instead, for review with git diff.
 */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <unistd.h>

#include "bcfg.h"
#include "bhyveargv.h"
#include "kv.h"
#include "pci.h"
#include "strbuf.h"
#include "topo.h"
#include "vmconf.h"

#define GOLDDIR		"vm/golden"
#define PCICONF		"pciconf/partial-rx7600-navi33-ryzen5800x-ptnotes-blog.txt"
#define TOPOLOGY	"topology/ptnotes-blog-12cpu-6core-smt-beautified.xml"

static const char *const kenv_fixed[][2] = {
	{ "smbios.bios.vendor", "American Megatrends International, LLC." },
	{ "smbios.bios.version", "P3.40" },
	{ "smbios.bios.reldate", "06/24/2022" },
	{ "smbios.system.maker", "To Be Filled By O.E.M." },
	{ "smbios.system.product", "B550 Phantom Gaming 4" },
	{ "smbios.system.serial", "To Be Filled By O.E.M." },
	{ "smbios.planar.maker", "ASRock" },
	{ "smbios.planar.product", "B550 Phantom Gaming 4" },
	{ "smbios.chassis.maker", "To Be Filled By O.E.M." },
};

struct host_fixed {
	struct pci_list	 pci;
	struct topo	 topo;
	struct kv_list	 kenv;
};

static void
host_load(struct host_fixed *hf)
{
	struct diags d;
	char *buf;
	size_t len, i;

	diags_init(&d);
	pci_list_init(&hf->pci);
	buf = tu_read(PCICONF, &len);
	ATF_REQUIRE(pci_parse(buf, len, "pciconf.txt", &hf->pci, &d) == 0);
	free(buf);
	buf = tu_read(TOPOLOGY, &len);
	ATF_REQUIRE(topo_parse(buf, len, "topology.xml", &hf->topo, &d) == 0);
	free(buf);
	kv_init(&hf->kenv);
	for (i = 0; i < nitems(kenv_fixed); i++)
		ATF_REQUIRE(kv_set(&hf->kenv, kenv_fixed[i][0],
		    kenv_fixed[i][1]) == 0);
	diags_free(&d);
}

static void
host_free(struct host_fixed *hf)
{

	pci_list_free(&hf->pci);
	topo_free(&hf->topo);
	kv_free(&hf->kenv);
}

/* The host facts, as engine/vmload.c env_fill() gives them for this file. */
static void
env_fill(struct host_fixed *hf, const struct vmconf *c, struct vm_env *env)
{
	const struct vmconf_line *l;

	memset(env, 0, sizeof(*env));
	env->vardir = "/var/db/ptvm";
	if (vmconf_get(c, "passthru") != NULL)
		env->pci = &hf->pci;
	if ((l = vmconf_get(c, "smbios")) != NULL &&
	    strcmp(l->val, "host") == 0)
		env->kenv = &hf->kenv;
	l = vmconf_get(c, "pin");
	if (l == NULL || strcmp(l->val, "none") != 0)
		env->topo = &hf->topo;
	l = vmconf_get(c, "firmware");
	if (l == NULL || strcmp(l->val, "auto") == 0) {
		env->firmware = "/usr/local/share/edk2-bhyve/BHYVE_UEFI_CODE.fd";
		env->vars_template =
		    "/usr/local/share/edk2-bhyve/BHYVE_UEFI_VARS.fd";
	}
	l = vmconf_get(c, "console");
	if (l == NULL || strcmp(l->val, "auto") == 0)
		env->nmdm_unit = 3;
	env->maxcpu = 16;
}

static const char *
policy_name(enum vm_policy p)
{

	return (p == VMP_RESTART ? "restart" : "stop");
}

static void
vm_facts(const struct vm *vm, struct strbuf *sb)
{
	char sel[64];
	size_t i;
	int k;

	sb_printf(sb, "name=%s\n", vm->name);
	sb_printf(sb, "ncpus=%d\n", vm->ncpus);
	sb_printf(sb, "memory=%llu\n", (unsigned long long)vm->memory);
	sb_printf(sb, "pinned=%s\n", vm->pinned ? "yes" : "no");
	if (vm->pin != NULL) {
		sb_puts(sb, "pin=");
		for (k = 0; k < vm->ncpus; k++)
			sb_printf(sb, "%s%d:%d", k > 0 ? " " : "", k,
			    vm->pin[k]);
		sb_puts(sb, "\n");
	}
	for (i = 0; i < vm->nbind; i++) {
		pci_sel_fmt(&vm->bind[i], SEL_BHYVE, sel, sizeof(sel));
		sb_printf(sb, "bind=%s\n", sel);
	}
	for (i = 0; i < vm->ndev; i++) {
		const struct vm_dev *dv = &vm->dev[i];
		static const char *const kinds[] = {
			[VMD_PASSTHRU] = "passthru", [VMD_DISK] = "disk",
			[VMD_CDROM] = "cdrom", [VMD_NET] = "net",
			[VMD_FBUF] = "fbuf", [VMD_XHCI] = "xhci",
			[VMD_HDA] = "hda",
		};

		sb_printf(sb, "dev=%s %u:%u:%u line %u", kinds[dv->kind],
		    dv->bus, dv->slot, dv->func, dv->line);
		if (dv->path != NULL)
			sb_printf(sb, " path=%s", dv->path);
		if (dv->rom != NULL)
			sb_printf(sb, " rom=%s", dv->rom);
		if (dv->kind == VMD_PASSTHRU) {
			pci_sel_fmt(&dv->host, SEL_BHYVE, sel, sizeof(sel));
			sb_printf(sb, " host=%s host_use=%s", sel,
			    dv->host_use_take ? "take" : "refuse");
		}
		if (dv->ifname != NULL)
			sb_printf(sb, " ifname=%s", dv->ifname);
		if (dv->bridge != NULL)
			sb_printf(sb, " bridge=%s", dv->bridge);
		if (dv->kind == VMD_NET)
			sb_printf(sb, " mac=%02x:%02x:%02x:%02x:%02x:%02x",
			    dv->mac[0], dv->mac[1], dv->mac[2], dv->mac[3],
			    dv->mac[4], dv->mac[5]);
		if (dv->kind == VMD_NET)
			sb_printf(sb, " netidx=%u", dv->netidx);
		sb_puts(sb, "\n");
	}
	sb_printf(sb, "console=%s\n", vm->console != NULL ? vm->console :
	    "(none)");
	sb_printf(sb, "vnc=%s\n", vm->vnc != NULL ? vm->vnc : "(none)");
	sb_printf(sb, "firmware=%s\n", vm->firmware != NULL ? vm->firmware :
	    "(none)");
	sb_printf(sb, "vars=%s\n", vm->vars != NULL ? vm->vars : "(none)");
	sb_printf(sb, "display=%s\n", vm->display ? "yes" : "no");
	if (vm->sound_play != NULL || vm->sound_rec != NULL)
		sb_printf(sb, "sound=play:%s rec:%s\n", vm->sound_play != NULL ?
		    vm->sound_play : "(none)", vm->sound_rec != NULL ?
		    vm->sound_rec : "(none)");
	if (vm->tpm != VM_TPM_NONE)
		sb_printf(sb, "tpm=%s path=%s state=%s\n", vm->tpm ==
		    VM_TPM_SWTPM ? "swtpm" : "passthru", vm->tpm_path,
		    vm->tpm_state != NULL ? vm->tpm_state : "(none)");
	if (vm->remote == VM_REMOTE_SUNSHINE)
		sb_printf(sb, "remote=sunshine\n");
	sb_printf(sb, "on_reboot=%s\n", policy_name(vm->life.on_reboot));
	sb_printf(sb, "on_poweroff=%s\n", policy_name(vm->life.on_poweroff));
	sb_printf(sb, "on_halt=%s\n", policy_name(vm->life.on_halt));
	sb_printf(sb, "on_crash=%s\n", policy_name(vm->life.on_crash));
	sb_printf(sb, "stop.timeout=%d\n", vm->life.stop_timeout);
	sb_printf(sb, "stop.acpi_presses=%d\n", vm->life.acpi_presses);
	sb_printf(sb, "isolate=%s\n", vm->life.isolate ? "yes" : "no");
	sb_printf(sb, "unbind_on_stop=%s\n", vm->life.unbind_on_stop ?
	    "yes" : "no");
	sb_printf(sb, "console_gpu=%s\n", vm->life.console_gpu_take ?
	    "take" : "refuse");
}

static void
diags_text(const struct diags *d, struct strbuf *sb)
{
	const struct diag *x;

	STAILQ_FOREACH(x, &d->head, entry) {
		if (x->file != NULL) {
			sb_printf(sb, "%s:", x->file);
			if (x->line > 0)
				sb_printf(sb, "%u:", x->line);
			if (x->offset >= 0)
				sb_printf(sb, " offset 0x%llx:", x->offset);
			sb_puts(sb, " ");
		}
		sb_printf(sb, "%s: %s\n", diag_level_name(x->level), x->msg);
	}
	if (d->oom)
		sb_puts(sb, "out of memory while reporting\n");
}

static char *
read_opt(const char *path, size_t *len)
{
	FILE *fp;
	char *buf;
	long n;

	if ((fp = fopen(path, "rb")) == NULL)
		return (NULL);
	ATF_REQUIRE(fseek(fp, 0, SEEK_END) == 0);
	ATF_REQUIRE((n = ftell(fp)) >= 0);
	rewind(fp);
	ATF_REQUIRE((buf = malloc((size_t)n + 1)) != NULL);
	ATF_REQUIRE(fread(buf, 1, (size_t)n, fp) == (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return (buf);
}

/* The 1-based line where a and b first differ, 0 when equal. */
static unsigned
first_diff(const char *a, const char *b, char *ea, char *eb, size_t elen)
{
	unsigned line;
	size_t i, j;

	for (line = 1;; line++) {
		for (i = 0; a[i] != '\0' && a[i] != '\n'; i++)
			;
		for (j = 0; b[j] != '\0' && b[j] != '\n'; j++)
			;
		if (i != j || memcmp(a, b, i) != 0 || (a[i] == '\0') !=
		    (b[j] == '\0')) {
			snprintf(ea, elen, "%.*s%s", (int)i, a,
			    i == 0 && a[i] == '\0' ? "(end of file)" : "");
			snprintf(eb, elen, "%.*s%s", (int)j, b,
			    j == 0 && b[j] == '\0' ? "(end of file)" : "");
			return (line);
		}
		if (a[i] == '\0')
			return (0);
		a += i + 1;
		b += j + 1;
	}
}

/*
 * Compares (or, when writing, rewrites) CASE.ext with got; got NULL: the
 * file must not exist.  Returns the number of failures (0 or 1).
 */
static int
golden(const char *dir, const char *name, const char *ext, const char *got,
    bool write)
{
	char path[2048], ea[512], eb[512], *exp;
	size_t len;
	unsigned line;
	FILE *fp;

	ATF_REQUIRE(snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext) <
	    (int)sizeof(path));
	if (write) {
		if (got == NULL) {
			if (unlink(path) != 0 && errno != ENOENT)
				atf_tc_fail("unlink %s: %s", path,
				    strerror(errno));
			return (0);
		}
		ATF_REQUIRE_MSG((fp = fopen(path, "w")) != NULL, "%s", path);
		ATF_REQUIRE(fputs(got, fp) >= 0 || *got == '\0');
		ATF_REQUIRE(fclose(fp) == 0);
		return (0);
	}
	exp = read_opt(path, &len);
	if (exp == NULL && got == NULL)
		return (0);
	if (exp == NULL) {
		atf_tc_fail_nonfatal("%s.%s: missing; the case gave output "
		    "(make golden writes it)", name, ext);
		return (1);
	}
	if (got == NULL) {
		atf_tc_fail_nonfatal("%s.%s: exists, but the case gave no "
		    "such output (it did not compile?)", name, ext);
		free(exp);
		return (1);
	}
	if (strlen(exp) != len)
		atf_tc_fail_nonfatal("%s.%s: holds a NUL byte", name, ext);
	line = first_diff(exp, got, ea, eb, sizeof(ea));
	free(exp);
	if (line != 0) {
		atf_tc_fail_nonfatal("%s.%s:%u: expected \"%s\", got \"%s\"",
		    name, ext, line, ea, eb);
		return (1);
	}
	return (0);
}

static int
run_case(struct host_fixed *hf, const char *dir, const char *name,
    bool write)
{
	struct vmconf c;
	struct vm_env env;
	struct vm vm;
	struct diags d;
	struct strbuf conf, argv, facts, diag;
	struct bhyve_argv av;
	char path[2048], file[300], *buf;
	size_t len, i;
	int fails, ok;

	ATF_REQUIRE(snprintf(path, sizeof(path), "%s/%s.conf", dir, name) <
	    (int)sizeof(path));
	ATF_REQUIRE(snprintf(file, sizeof(file), "%s.conf", name) <
	    (int)sizeof(file));
	ATF_REQUIRE_MSG((buf = read_opt(path, &len)) != NULL, "%s", path);
	diags_init(&d);
	vm_init(&vm);
	sb_init(&conf);
	sb_init(&argv);
	sb_init(&facts);
	sb_init(&diag);
	bhyve_argv_init(&av);
	ok = vmconf_parse(buf, len, file, name, &c, &d) == 0;
	if (ok) {
		env_fill(hf, &c, &env);
		ok = vm_compile(&c, &env, &vm, &d) == 0;
	} else
		vmconf_free(&c);
	if (ok) {
		bcfg_write(&vm.cfg, &conf);
		ATF_REQUIRE(bhyve_cfg_to_argv(&vm.cfg, &av) == 0);
		for (i = 0; i < av.n; i++)
			sb_printf(&argv, "%s\n", av.v[i]);
		vm_facts(&vm, &facts);
	}
	diags_text(&d, &diag);
	ATF_REQUIRE(!conf.oom && !argv.oom && !facts.oom && !diag.oom);
	/* A case that fails must say why. */
	if (!ok && d.nerrors == 0)
		atf_tc_fail_nonfatal("%s: failed without an error", name);
	fails = golden(dir, name, "bhyve.conf", ok ? sb_str(&conf) : NULL,
	    write);
	fails += golden(dir, name, "argv", ok ? sb_str(&argv) : NULL, write);
	fails += golden(dir, name, "vm", ok ? sb_str(&facts) : NULL, write);
	fails += golden(dir, name, "diag", sb_str(&diag), write);
	bhyve_argv_free(&av);
	sb_free(&conf);
	sb_free(&argv);
	sb_free(&facts);
	sb_free(&diag);
	vm_free(&vm);
	diags_free(&d);
	free(buf);
	return (fails);
}

static int
namecmp(const void *a, const void *b)
{

	return (strcmp(*(char *const *)a, *(char *const *)b));
}

ATF_TC_WITHOUT_HEAD(golden_cases);
ATF_TC_BODY(golden_cases, tc)
{
	struct host_fixed hf;
	struct dirent *de;
	DIR *dp;
	char dir[1024], **names;
	size_t n, cap, i, l;
	const char *w;
	bool write;
	int fails;

	w = getenv("PTVM_GOLDEN_WRITE");
	write = w != NULL && strcmp(w, "1") == 0;
	snprintf(dir, sizeof(dir), "%s/%s", DATADIR, GOLDDIR);
	ATF_REQUIRE_MSG((dp = opendir(dir)) != NULL, "%s", dir);
	names = NULL;
	n = cap = 0;
	while ((de = readdir(dp)) != NULL) {
		l = strlen(de->d_name);
		/* CASE.conf, not CASE.bhyve.conf. */
		if (l <= 5 || strcmp(de->d_name + l - 5, ".conf") != 0 ||
		    (l > 11 && strcmp(de->d_name + l - 11, ".bhyve.conf") ==
		    0))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			ATF_REQUIRE((names = realloc(names,
			    cap * sizeof(*names))) != NULL);
		}
		ATF_REQUIRE((names[n] = strndup(de->d_name, l - 5)) != NULL);
		n++;
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), namecmp);
	ATF_REQUIRE_MSG(n >= 25, "%zu cases in %s, want at least 25", n, dir);
	host_load(&hf);
	fails = 0;
	for (i = 0; i < n; i++)
		fails += run_case(&hf, dir, names[i], write);
	host_free(&hf);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (write)
		printf("rewrote the expected files of %zu cases in %s\n", n,
		    dir);
	ATF_CHECK_MSG(fails == 0, "%d golden files differ (make golden "
	    "rewrites them; review with git diff)", fails);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, golden_cases);
	return (atf_no_error());
}
