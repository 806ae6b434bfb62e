/*
 * cmd_vm.c: VM definitions: show and create.
 */
#include "compat.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcfg.h"
#include "bhyveargv.h"
#include "ptvm.h"
#include "vmconf.h"
#include "vmload.h"

enum show_mode {
	SHOW_SUMMARY,
	SHOW_CONFIG,
	SHOW_ARGV,
	SHOW_JSON,
};

/* "pci.B.S.F.device" -> B, S, F; false for other keys. */
static bool
dev_key(const char *key, unsigned *b, unsigned *s, unsigned *f)
{
	int n;

	n = 0;
	if (sscanf(key, "pci.%u.%u.%u.device%n", b, s, f, &n) != 3 ||
	    n == 0 || key[n] != '\0')
		return (false);
	return (true);
}

static const char *
dev_get(const struct bcfg *cfg, unsigned b, unsigned s, unsigned f,
    const char *what)
{
	char key[96];

	(void)snprintf(key, sizeof(key), "pci.%u.%u.%u.%s", b, s, f, what);
	return (bcfg_get(cfg, key));
}

/* What a person needs to know of one guest device, in a few words. */
static void
dev_detail(const struct vm_load *ld, unsigned b, unsigned s, unsigned f,
    const char *dev, struct strbuf *sb)
{
	const struct bcfg *cfg = &ld->vm.cfg;
	const char *v, *t;
	struct pci_sel sel;
	struct pci_dev *pd;
	char sels[32];

	if (strcmp(dev, "passthru") == 0) {
		const char *bs, *fn;

		v = dev_get(cfg, b, s, f, "bus");
		bs = dev_get(cfg, b, s, f, "slot");
		fn = dev_get(cfg, b, s, f, "func");
		sb_printf(sb, "%s/%s/%s", v != NULL ? v : "?",
		    bs != NULL ? bs : "?", fn != NULL ? fn : "?");
		if (v != NULL && ld->env.pci != NULL &&
		    pci_sel_parse(sb_str(sb), &sel, sels, sizeof(sels)) == 0 &&
		    (pd = pci_find(ld->env.pci, &sel)) != NULL &&
		    pd->device_name != NULL)
			sb_printf(sb, " %s", pd->device_name);
		if ((v = dev_get(cfg, b, s, f, "rom")) != NULL)
			sb_printf(sb, ", rom %s", v);
	} else if ((v = dev_get(cfg, b, s, f, "path")) != NULL)
		sb_puts(sb, v);
	else if ((v = dev_get(cfg, b, s, f, "port.0.path")) != NULL) {
		t = dev_get(cfg, b, s, f, "port.0.type");
		sb_printf(sb, "%s%s", t != NULL && strcmp(t, "cd") == 0 ?
		    "CD " : "", v);
	} else if ((v = dev_get(cfg, b, s, f, "backend")) != NULL)
		sb_puts(sb, v);
	else if ((v = dev_get(cfg, b, s, f, "tcp")) != NULL)
		sb_printf(sb, "VNC on %s", v);
	else if ((v = dev_get(cfg, b, s, f, "slot.1.device")) != NULL)
		sb_puts(sb, v);
}

static void
show_summary(const struct vm_load *ld)
{
	const struct vm *vm = &ld->vm;
	const struct bcfg *cfg = &vm->cfg;
	struct strbuf sb;
	unsigned b, s, f;
	size_t i;
	int k;
	const char *v;

	sb_init(&sb);
	printf("%s (%s)\n", vm->name, ld->path);
	printf("  %-9s %d", "vCPUs", vm->ncpus);
	if (bcfg_get(cfg, "cores") != NULL && bcfg_get(cfg, "sockets") !=
	    NULL && bcfg_get(cfg, "threads") != NULL)
		printf(" (sockets %s, cores %s, threads %s)",
		    bcfg_get(cfg, "sockets"), bcfg_get(cfg, "cores"),
		    bcfg_get(cfg, "threads"));
	printf("\n");
	if (vm->pinned) {
		printf("  %-9s", "pinned");
		for (k = 0; k < vm->ncpus; k++)
			if (vm->pin[k] >= 0)
				printf(" %d:%d", k, vm->pin[k]);
		printf("   (vCPU:host CPU)\n");
	} else
		printf("  %-9s no\n", "pinned");
	v = bcfg_get(cfg, "memory.wired");
	printf("  %-9s %s%s\n", "memory", bcfg_get(cfg, "memory.size") !=
	    NULL ? bcfg_get(cfg, "memory.size") : "256M", v != NULL &&
	    bcfg_bool(v) == 1 ? ", wired" : "");
	if (vm->firmware != NULL)
		printf("  %-9s %s\n", "firmware", vm->firmware);
	if (vm->vars != NULL)
		printf("  %-9s %s\n", "uefivars", vm->vars);
	printf("  %-9s %s\n", "console", vm->console != NULL ? vm->console :
	    "none");
	printf("  devices\n");
	for (i = 0; i < cfg->n; i++) {
		if (!dev_key(cfg->v[i].key, &b, &s, &f))
			continue;
		sb_reset(&sb);
		dev_detail(ld, b, s, f, cfg->v[i].val, &sb);
		printf("    %u:%u:%u%*s %-11s %s\n", b, s, f,
		    (int)(7 - (snprintf(NULL, 0, "%u:%u:%u", b, s, f))), "",
		    cfg->v[i].val, sb_str(&sb));
	}
	if (vm->nbind > 0) {
		printf("  %-9s", "ppt");
		for (i = 0; i < vm->nbind; i++) {
			char sel[32];

			pci_sel_fmt(&vm->bind[i], SEL_BHYVE, sel, sizeof(sel));
			printf(" %s", sel);
		}
		printf("   (bound to ppt(4) at start)\n");
	}
	printf("Show bhyve's configuration with --config, its command line "
	    "with --argv.\n");
	sb_free(&sb);
}

static void
show_argv_text(char *const *av, size_t n)
{
	size_t i;

	/* One option per line, as the guide writes its script. */
	for (i = 0; i < n; i++) {
		if (i == 0) {
			printf("%s", av[i]);
			continue;
		}
		if (av[i][0] == '-' && av[i][1] != '\0' &&
		    strchr("clmopsUk", av[i][1]) != NULL && av[i][2] == '\0' &&
		    i + 1 < n) {
			printf(" \\\n\t%s %s", av[i], av[i + 1]);
			i++;
		} else
			printf(" \\\n\t%s", av[i]);
	}
	printf("\n");
}

static void
diags_json(struct ptvm_ctx *ctx, struct json *j, const char *key)
{
	struct diag *dg;
	char buf[2048];

	json_arr(j, key);
	STAILQ_FOREACH(dg, &ctx->diags.head, entry) {
		if (dg->level == DIAG_ERROR)
			continue;
		if (dg->file != NULL && dg->line > 0)
			(void)snprintf(buf, sizeof(buf), "%s:%u: %s", dg->file,
			    dg->line, dg->msg);
		else if (dg->file != NULL)
			(void)snprintf(buf, sizeof(buf), "%s: %s", dg->file,
			    dg->msg);
		else
			(void)snprintf(buf, sizeof(buf), "%s", dg->msg);
		json_str(j, NULL, buf);
	}
	json_end(j);
}

static void
show_json(struct ptvm_ctx *ctx, const struct vm_load *ld, char *const *av,
    size_t n)
{
	const struct vm *vm = &ld->vm;
	struct strbuf sb;
	struct json j;
	char sel[32];
	size_t i;
	int k;

	sb_init(&sb);
	json_init(&j, &sb);
	json_obj(&j, NULL);
	json_str(&j, "name", vm->name);
	json_str(&j, "file", ld->path);
	json_arr(&j, "argv");
	for (i = 0; i < n; i++)
		json_str(&j, NULL, av[i]);
	json_end(&j);
	json_obj(&j, "config");
	for (i = 0; i < vm->cfg.n; i++)
		json_str(&j, vm->cfg.v[i].key, vm->cfg.v[i].val);
	json_end(&j);
	json_arr(&j, "bind");
	for (i = 0; i < vm->nbind; i++) {
		pci_sel_fmt(&vm->bind[i], SEL_BHYVE, sel, sizeof(sel));
		json_str(&j, NULL, sel);
	}
	json_end(&j);
	json_arr(&j, "pins");
	for (k = 0; k < vm->ncpus && vm->pin != NULL; k++) {
		if (vm->pin[k] < 0)
			continue;
		json_obj(&j, NULL);
		json_int(&j, "vcpu", k);
		json_int(&j, "cpu", vm->pin[k]);
		json_end(&j);
	}
	json_end(&j);
	json_int(&j, "cpus", vm->ncpus);
	json_int(&j, "memory", (long long)vm->memory);
	json_str(&j, "console", vm->console);
	json_str(&j, "vnc", vm->vnc);
	json_str(&j, "firmware", vm->firmware);
	json_str(&j, "uefi_vars", vm->vars);
	json_arr(&j, "devices");
	for (i = 0; i < vm->ndev; i++) {
		static const char *const kinds[] = { "passthru", "disk",
		    "cdrom", "net", "fbuf", "xhci", "hda" };
		const struct vm_dev *dv = &vm->dev[i];

		json_obj(&j, NULL);
		json_str(&j, "kind", kinds[dv->kind]);
		(void)snprintf(sel, sizeof(sel), "%u:%u:%u", dv->bus, dv->slot,
		    dv->func);
		json_str(&j, "slot", sel);
		json_int(&j, "line", dv->line);
		if (dv->kind == VMD_PASSTHRU) {
			pci_sel_fmt(&dv->host, SEL_BHYVE, sel, sizeof(sel));
			json_str(&j, "host", sel);
			json_str(&j, "rom", dv->rom);
		}
		if (dv->path != NULL)
			json_str(&j, "path", dv->path);
		/* A bridge's tap is tapN, chosen at start. */
		if (dv->ifname != NULL)
			json_str(&j, "tap", dv->bridge != NULL ? NULL :
			    dv->ifname);
		if (dv->bridge != NULL)
			json_str(&j, "bridge", dv->bridge);
		json_end(&j);
	}
	json_end(&j);
	diags_json(ctx, &j, "warnings");
	json_end(&j);
	out_json(&sb);
	sb_free(&sb);
}

int
cmd_show(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef defs[] = {
		{ 'C', 0, "config", false, NULL },
		{ 'A', 0, "argv", false, NULL },
		{ 'J', 0, "json", false, NULL },
		OPTDEF_END
	};
	struct opts o;
	struct vm_load ld;
	struct strbuf sb;
	struct bhyve_argv av;
	enum show_mode mode;
	int ch, rv;

	mode = SHOW_SUMMARY;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		switch (ch) {
		case 'C':
			mode = SHOW_CONFIG;
			break;
		case 'A':
			mode = SHOW_ARGV;
			break;
		case 'J':
			mode = SHOW_JSON;
			break;
		default:
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		}
	}
	argc = opt_operands(&o, &argv);
	if (argc != 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "one VM "
		    "expected"));
	vm_load_init(&ld);
	if (vm_load(&ctx->eng, argv[0], &ld) != 0) {
		vm_load_free(&ld);
		return (EXIT_FAIL);
	}
	bhyve_argv_init(&av);
	if ((mode == SHOW_ARGV || mode == SHOW_JSON) &&
	    bhyve_cfg_to_argv(&ld.vm.cfg, &av) != 0) {
		vm_load_free(&ld);
		return (EXIT_FAIL);
	}
	rv = EXIT_OK;
	switch (mode) {
	case SHOW_SUMMARY:
		show_summary(&ld);
		break;
	case SHOW_CONFIG:
		sb_init(&sb);
		sb_printf(&sb, "# bhyve configuration of %s, from %s "
		    "(bhyve -k FILE)\n", ld.vm.name, ld.path);
		bcfg_write(&ld.vm.cfg, &sb);
		if (sb.oom)
			rv = EXIT_FAIL;
		else
			fputs(sb_str(&sb), stdout);
		sb_free(&sb);
		break;
	case SHOW_ARGV:
		show_argv_text(av.v, av.n);
		break;
	case SHOW_JSON:
		show_json(ctx, &ld, av.v, av.n);
		break;
	}
	bhyve_argv_free(&av);
	vm_load_free(&ld);
	return (rv);
}

/* ---- create ---- */

struct tmpl {
	const char	*name;
	const char	*disk_type;	/* disk=...,type= */
	const char	*net_type;
	int		 mem_gib;	/* default memory */
	bool		 gpu;		/* pass the GPU */
};

static const struct tmpl tmpls[] = {
	{ "windows", "nvme", "virtio-net", 16, true },
	{ "linux", "virtio-blk", "virtio-net", 8, true },
	{ "freebsd", "virtio-blk", "virtio-net", 4, false },
};

/*
 * The rom= hint, from rom dump's advice: dump it from ppt (where it is
 * safe), or download it and check it with rom inspect --for.
 */
static void
create_rom_hint(struct strbuf *sb, const struct pci_dev *d, const char *sel,
    const char *name)
{

	sb_printf(sb, "# The VBIOS (many cards need it): once the GPU is on "
	    "ppt (ptvm bind %s),\n#   ptvm rom dump %s /vm/rom/%s.rom\n"
	    "# or download it for %04x:%04x subsystem %04x:%04x "
	    "(techpowerup.com/vgabios)\n# and check it: ptvm rom inspect "
	    "--for %s FILE.  Then add ,rom=/vm/rom/%s.rom\n# to the "
	    "passthru line.\n", sel, sel, name, d->vendor, d->device,
	    d->subvendor, d->subdevice, sel, name);
}

/*
 * The GPU to pass: the first one that does not drive the host console,
 * else the first (the guide's host has one GPU): console_gpu=take, said.
 * An AMD card's HDMI/DP audio is left out as the guide does (audio=host).
 */
static void
create_gpu(struct ptvm_ctx *ctx, const char *name, struct strbuf *sb)
{
	struct pci_list l;
	struct gpu_list gl;
	struct pci_dev *d, *g;
	char sel[32], gsel[32];
	size_t i, k;
	bool console, amd;

	pci_list_init(&l);
	if (ctx_pci(ctx, &l) != 0 ||
	    gpu_group(&l, ctx_console_unit(ctx), &gl) != 0) {
		pci_list_free(&l);
		sb_puts(sb, "# No GPU found; list them with: ptvm devices\n"
		    "#passthru=6/0/0\n");
		return;
	}
	for (i = 0; i < gl.n; i++)
		if ((gl.g[i].flags & GPU_CONSOLE) == 0 && gl.g[i].nrec > 0)
			break;
	console = false;
	if (i == gl.n) {
		for (i = 0; i < gl.n && gl.g[i].nrec == 0; i++)
			;
		console = true;
	}
	if (i == gl.n) {
		sb_puts(sb, "# No GPU to pass (ptvm devices)\n#passthru=6/0/0\n");
		goto out;
	}
	g = &l.dev[gl.g[i].gpu];
	pci_sel_fmt(&g->sel, SEL_BHYVE, gsel, sizeof(gsel));
	amd = g->vendor == 0x1002;
	sb_printf(sb, "# %s %s, with its other functions\n",
	    g->vendor_name != NULL ? g->vendor_name : "GPU",
	    g->device_name != NULL ? g->device_name : "");
	if (console)
		sb_printf(sb, "# It is the only GPU and drives the host "
		    "console: console_gpu=take gives it\n# to the VM, and "
		    "start mutes the console (kern.consmute=1) until the VM "
		    "stops.\n# The host's screen is dark meanwhile: work over "
		    "ssh, and start the VM from\n# there, not from the "
		    "console.\nconsole_gpu=take\n");
	for (k = 0; k < gl.g[i].nrec; k++) {
		d = &l.dev[gl.g[i].rec[k]];
		pci_sel_fmt(&d->sel, SEL_BHYVE, sel, sizeof(sel));
		if (amd && (d->class >> 8) == 0x0403) {
			sb_printf(sb, "# Its HDMI/DP audio stays with the "
			    "host (audio=host above): on AMD, passing\n# it "
			    "can make the reset bug worse (Error 43).  For sound "
			    "over the cable:\n#passthru=%s\n", sel);
			continue;
		}
		sb_printf(sb, "passthru=%s%s\n", sel, amd &&
		    pci_sel_eq(&d->sel, &g->sel) ? ",audio=host" : "");
	}
	create_rom_hint(sb, g, gsel, name);
out:
	gpu_list_free(&gl);
	pci_list_free(&l);
}

static int
create_text(struct ptvm_ctx *ctx, const char *name, const struct tmpl *t,
    struct strbuf *sb)
{
	struct topo topo;
	struct host *h;
	long long phys;
	int cpus, mem, ncores;

	cpus = 2;
	if (ctx_host(ctx, &h) != 0)
		return (-1);
	memset(&topo, 0, sizeof(topo));
	ncores = 0;
	if (ctx_topo(ctx, &topo) == 0) {
		/*
		 * One thread per core, the host keeping its first core, an
		 * even count (guests and their schedulers like pairs), at
		 * most 8.
		 */
		ncores = topo.ncores;
		cpus = topo.ncores - 1;
		if (cpus > 8)
			cpus = 8;
		if (cpus > 2 && cpus % 2 != 0)
			cpus--;
		if (cpus < 1)
			cpus = 1;
		topo_free(&topo);
	}
	mem = t->mem_gib;
	if (host_sysctl_int(h, "hw.physmem", &phys) == 0 && phys > 0 &&
	    (long long)mem << 30 > phys / 2)
		mem = (int)((phys / 2) >> 30) > 1 ? (int)((phys / 2) >> 30) :
		    1;
	sb_printf(sb, "# %s: a %s VM with a passed-through GPU (ptvm.conf(5))."
	    "\n# Check it with: ptvm check %s\n\n", name, t->name, name);
	sb_printf(sb, "# vCPUs, pinned one per host core by the planner "
	    "(ptvm pin %d)", cpus);
	if (ncores > 0)
		sb_printf(sb, ".\n# The host has %d cores and keeps the "
		    "first; more than %d puts vCPUs on\n# SMT siblings (ptvm "
		    "pin N shows where)", ncores, ncores - 1);
	sb_printf(sb, "\ncpus=%d\npin=threads\n", cpus);
	sb_printf(sb, "# Guest memory; it is wired, so the host loses it "
	    "while the VM runs\nmemory=%dG\n\n", mem);
	if (t->gpu)
		create_gpu(ctx, name, sb);
	sb_printf(sb, "\n# The disk: a ZFS volume; ptvm disk create %s 128G "
	    "makes it and this line\n#disk=/dev/zvol/zroot/vm/%s,type=%s\n",
	    name, name, t->disk_type);
	sb_puts(sb, "# The installer image; remove the line after the "
	    "install\n#cdrom=/vm/iso/installer.iso\n");
	sb_printf(sb, "# Network: an existing bridge (ptvm adds a tap to it) "
	    "or a tap\n#net=bridge0,type=%s\n", t->net_type);
	sb_puts(sb, "# A VNC display for the install, before the GPU driver "
	    "is in\n#vnc=127.0.0.1:5900\n");
	sb_puts(sb, "# The serial console (ptvm console NAME); UEFI "
	    "firmware found automatically\nconsole=auto\nfirmware=auto\n");
	if (strcmp(t->name, "windows") == 0) {
		sb_puts(sb, "# Windows keeps its clock in local time (bhyve's "
		    "default)\n#rtc.use_localtime=true\n");
		sb_puts(sb, "# Windows 11 refuses to install without a TPM 2.0 "
		    "(only its IoT LTSC\n# edition does without): a software "
		    "TPM of the VM's own, which ptvm\n# starts (pkg install "
		    "swtpm); its state, BitLocker's keys with it, stays\n# in "
		    "/var/db/ptvm/NAME.tpm.  tpm=none for Windows 10\n"
		    "tpm=swtpm\n");
	}
	return (0);
}

int
cmd_create(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef defs[] = {
		{ 'f', 'f', "overwrite", false, NULL },
		{ 'T', 0, "template", true, NULL },
		OPTDEF_END
	};
	const struct tmpl *t;
	struct opts o;
	struct host_stat st;
	struct strbuf sb;
	struct host *h;
	char path[1024], name[VM_NAMEMAX + 1];
	bool force;
	size_t i;
	int ch, e;

	t = &tmpls[0];
	force = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		switch (ch) {
		case 'f':
			force = true;
			break;
		case 'T':
			for (t = NULL, i = 0; i < nitems(tmpls); i++)
				if (strcmp(tmpls[i].name, o.arg) == 0)
					t = &tmpls[i];
			if (t == NULL)
				return (out_usage_error(ctx->cmdname, ctx->cmd,
				    "--template %s: give windows, linux or "
				    "freebsd", o.arg));
			break;
		default:
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		}
	}
	argc = opt_operands(&o, &argv);
	if (argc != 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "one VM name "
		    "expected"));
	if (strchr(argv[0], '/') != NULL)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "give a name; "
		    "-c DIR chooses the directory"));
	if (vm_path(&ctx->eng, argv[0], path, sizeof(path), name,
	    sizeof(name)) != 0 || ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	e = ctx->eng.confdir != NULL ? LH->ops->lf_stat(LH, path, false, &st) :
	    h->ops->file_stat(h, path, &st);
	if (e == 0 && !force) {
		diag_err(&ctx->diags, path, 0, "exists; ptvm create -f "
		    "replaces it");
		return (EXIT_FAIL);
	}
	sb_init(&sb);
	if (create_text(ctx, name, t, &sb) != 0 || sb.oom) {
		sb_free(&sb);
		return (EXIT_FAIL);
	}
	if (ctx->eng.confdir != NULL)
		e = LH->ops->lf_write(LH, path, sb_str(&sb), sb.len, 0644, 0);
	else
		e = h->ops->file_write(h, path, sb_str(&sb), sb.len, 0644);
	sb_free(&sb);
	if (e != 0) {
		diag_err(&ctx->diags, path, 0, "%s", sys_strerror(e));
		return (EXIT_FAIL);
	}
	printf("%s: written. Edit disk=, cdrom= and net=, then: ptvm check "
	    "%s\n", path, name);
	return (EXIT_OK);
}

/* ---- import ---- */

static int
import_read(struct ptvm_ctx *ctx, const char *arg, char **buf, size_t *len)
{
	struct strbuf sb;
	char chunk[8192];
	size_t n;
	int e;

	if (strcmp(arg, "-") != 0) {
		if ((e = LH->ops->lf_read(LH, arg, 1 << 20, buf, len)) != 0) {
			diag_err(&ctx->diags, arg, 0, "%s", sys_strerror(e));
			return (-1);
		}
		return (0);
	}
	sb_init(&sb);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0 &&
	    sb.len < (1 << 20))
		sb_putn(&sb, chunk, n);
	if (ferror(stdin) || sb.oom) {
		diag_err(&ctx->diags, "<stdin>", 0, "cannot read the script");
		sb_free(&sb);
		return (-1);
	}
	*len = sb.len;
	*buf = sb.len > 0 ? sb.s : strdup("");
	return (*buf == NULL ? -1 : 0);
}

/* Whether an absolute path of the VM's host exists (vm_import_opts). */
static int
import_exists(void *arg, const char *path)
{
	struct ptvm_ctx *ctx = arg;
	struct host_stat st;
	struct host *h;

	if (ctx->eng.hostdir == NULL)
		return (LH->ops->lf_stat(LH, path, false, &st));
	if (ctx_host(ctx, &h) != 0)
		return (-1);
	return (h->ops->file_stat(h, path, &st));
}

/*
 * The directory bhyve ran in: -C DIR, or the script's own, made absolute;
 * under -H a directory inside DIR/root is said as the captured host's.
 */
static int
import_basedir(struct ptvm_ctx *ctx, const char *script, const char *cdir,
    char *buf, size_t len)
{
	char tmp[PATH_MAX], root[PATH_MAX], rroot[PATH_MAX], *p;
	size_t n;
	int e;

	if (cdir != NULL) {
		if (cdir[0] != '/') {
			diag_err(&ctx->diags, NULL, 0, "-C %s: give the "
			    "absolute directory bhyve was run in", cdir);
			return (-1);
		}
		(void)strlcpy(buf, cdir, len);
		return (0);
	}
	if (strcmp(script, "-") == 0) {
		buf[0] = '\0';		/* standard input: no directory */
		return (0);
	}
	if ((e = LH->ops->lf_realpath(LH, script, tmp, sizeof(tmp))) != 0) {
		diag_err(&ctx->diags, script, 0, "%s", sys_strerror(e));
		return (-1);
	}
	if ((p = strrchr(tmp, '/')) != NULL)
		*(p == tmp ? p + 1 : p) = '\0';
	if (ctx->eng.hostdir != NULL && snprintf(root, sizeof(root), "%s/root",
	    ctx->eng.hostdir) < (int)sizeof(root) && LH->ops->lf_realpath(LH, root,
	    rroot, sizeof(rroot)) == 0 &&
	    strncmp(tmp, rroot, n = strlen(rroot)) == 0 &&
	    (tmp[n] == '/' || tmp[n] == '\0')) {
		(void)strlcpy(buf, tmp[n] == '\0' ? "/" : tmp + n, len);
		return (0);
	}
	(void)strlcpy(buf, tmp, len);
	return (0);
}

/* "-H DIR " when -H was given, for the next command to run. */
static const char *
import_hflag(struct ptvm_ctx *ctx, char *buf, size_t len)
{

	if (ctx->eng.hostdir == NULL)
		return ("");
	(void)snprintf(buf, len, "-H %s ", ctx->eng.hostdir);
	return (buf);
}

int
cmd_import(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct bhyve_argv av;
	struct bhyve_script_info info;
	struct vm_import_opts io;
	struct bcfg cfg;
	struct strbuf sb;
	struct host_stat st;
	struct host *h;
	const char *out, *src, *cdir;
	char *buf, base[PATH_MAX], why[PATH_MAX + 64], hf[PATH_MAX + 8];
	char name[VM_NAMEMAX + 1], cdirp[PATH_MAX];
	size_t len;
	static const struct optdef defs[] = {
		{ 'f', 'f', "overwrite", false, NULL },
		{ 'o', 'o', "output", true, NULL },
		{ 'C', 'C', "directory", true, NULL },
		OPTDEF_END
	};
	struct opts o;
	bool force, named;
	int ch, rv, e;

	out = cdir = NULL;
	force = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		switch (ch) {
		case 'f':
			force = true;
			break;
		case 'o':
			out = o.arg;
			break;
		case 'C':
			cdir = o.arg;
			break;
		default:
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		}
	}
	argc = opt_operands(&o, &argv);
	if (argc != 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "one script "
		    "(or - for standard input) expected"));
	src = strcmp(argv[0], "-") == 0 ? "<stdin>" : argv[0];
	h = NULL;
	if (out != NULL && ctx->eng.hostdir != NULL) {
		if (out[0] != '/') {
			diag_err(&ctx->diags, out, 0, "under -H, -o names a "
			    "file of the captured host: give its absolute "
			    "path (it is written as %s/root/PATH)",
			    ctx->eng.hostdir);
			return (EXIT_FAIL);
		}
		if (ctx_host(ctx, &h) != 0)
			return (EXIT_FAIL);
	}
	if (out != NULL && !force && (h != NULL ? h->ops->file_stat(h, out,
	    &st) : LH->ops->lf_stat(LH, out, false, &st)) == 0) {
		diag_err(&ctx->diags, out, 0, "exists; -f replaces it");
		return (EXIT_FAIL);
	}
	if (import_basedir(ctx, argv[0], cdir, base, sizeof(base)) != 0)
		return (EXIT_FAIL);
	if (import_read(ctx, argv[0], &buf, &len) != 0)
		return (EXIT_FAIL);
	memset(&io, 0, sizeof(io));
	io.basedir = base[0] != '\0' ? base : NULL;
	if (cdir != NULL)
		(void)snprintf(why, sizeof(why), "-C %s", cdir);
	else
		(void)snprintf(why, sizeof(why), "the script's directory; "
		    "-C DIR gives another");
	io.basewhy = why;
	io.script = &info;
	io.exists = import_exists;
	io.arg = ctx;
	bhyve_argv_init(&av);
	bcfg_init(&cfg);
	sb_init(&sb);
	rv = EXIT_FAIL;
	if (bhyve_script_argv_info(buf, len, src, &av, &info,
	    &ctx->diags) != 0 ||
	    bhyve_argv_to_cfg((int)av.n, av.v, &cfg, src, av.line,
	    &ctx->diags) != 0)
		goto done;
	if (vm_import_with(&cfg, src, &io, &sb, &ctx->diags) != 0 || sb.oom)
		goto done;
	(void)import_hflag(ctx, hf, sizeof(hf));
	if (out == NULL) {
		fputs(sb_str(&sb), stdout);
		rv = EXIT_OK;
		goto done;
	}
	e = h != NULL ? h->ops->file_write(h, out, sb_str(&sb), sb.len,
	    0644) : LH->ops->lf_write(LH, out, sb_str(&sb), sb.len, 0644, 0);
	if (e != 0) {
		diag_err(&ctx->diags, out, 0, "cannot write it: %s%s%s%s",
		    sys_strerror(e), e == ENOENT ? "; its directory does not "
		    "exist: create it (mkdir -p" : "", e == ENOENT ? (h !=
		    NULL ? " DIR/root/...)" : " ...)") : "", e == ENOENT ?
		    ", or give -o another path" : "");
		goto done;
	}
	/* A VM file where ptvm finds VMs by name is checked by its name. */
	named = vm_name_of_path(out, name, sizeof(name)) == 0 &&
	    (snprintf(cdirp, sizeof(cdirp), "%s/%s.conf", ctx->eng.confdir !=
	    NULL ? ctx->eng.confdir : PTVM_CONFDIR, name) < (int)sizeof(cdirp)) &&
	    strcmp(cdirp, out) == 0;
	if (named)
		printf("%s%s%s: written; next: ptvm %scheck %s\n", h != NULL ?
		    ctx->eng.hostdir : "", h != NULL ? "/root" : "", out,
		    import_hflag(ctx, hf, sizeof(hf)), name);
	else if (h != NULL)
		printf("%s/root%s: written; next: ptvm %sshow %s/root%s\n",
		    ctx->eng.hostdir, out, import_hflag(ctx, hf, sizeof(hf)),
		    ctx->eng.hostdir, out);
	else
		printf("%s: written; check it with: ptvm show %s\n", out,
		    strchr(out, '/') != NULL ? out : "./VMFILE");
	rv = EXIT_OK;
done:
	bhyve_script_info_free(&info);
	sb_free(&sb);
	bcfg_free(&cfg);
	bhyve_argv_free(&av);
	free(buf);
	return (rv);
}
