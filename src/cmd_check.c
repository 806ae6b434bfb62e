/*
 * cmd_check.c: "ptvm check VM", the preflight.  One line per check with
 * PASS, WARN or FAIL and the fix; start runs the same checks.
 */
#include "compat.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcfg.h"
#include "check.h"
#include "desk.h"
#include "disk.h"
#include "hostuse.h"
#include "life.h"
#include "pin.h"
#include "ptvm.h"
#include "rom.h"
#include "vmconf.h"
#include "vmedit.h"
#include "vmload.h"
#include "zfs.h"

static const char *const chk_names[] = { "PASS", "WARN", "FAIL", "SKIP" };

#define	chk_add	check_add

void
check_add(struct checks *cs, enum chk_status st, const char *what,
    const char *fix, const char *fmt, ...)
{
	struct check *c;
	va_list ap;

	if (cs->n == nitems(cs->c))
		return;
	c = &cs->c[cs->n++];
	c->status = st;
	c->what = what;
	va_start(ap, fmt);
	(void)vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
	(void)snprintf(c->fix, sizeof(c->fix), "%s", fix != NULL ? fix : "");
	cs->count[st]++;
}

static bool
kld_ok(struct host *h, const char *mod, bool *loaded)
{
	struct host_stat st;
	char path[64];

	*loaded = false;
	if (h->ops->kld_loaded(h, mod, loaded) == 0 && *loaded)
		return (true);
	(void)snprintf(path, sizeof(path), "/boot/kernel/%s.ko", mod);
	return (h->ops->file_stat(h, path, &st) == 0);
}

/*
 * AMD-Vi: vmm.ko reads hw.vmm.amdvi.enable from the kernel environment
 * once, when it loads (freebsd.md#V2).  So the host start produces is
 * judged: with vmm.ko not loaded yet, start sets the variable and then
 * loads it; once loaded, the sysctl says what it was loaded with.
 */
static void
chk_amdvi(struct host *h, bool loaded, struct checks *cs)
{
	long long v;
	char *s, *end;

	if (loaded) {
		if (host_sysctl_int(h, "hw.vmm.amdvi.enable", &v) == 0 && v == 1)
			chk_add(cs, CHK_PASS, "iommu", NULL, "AMD-Vi enabled "
			    "(vmm.ko loaded with hw.vmm.amdvi.enable=1)");
		else
			chk_add(cs, CHK_FAIL, "iommu", "kldunload vmm while no "
			    "VM runs (start then loads it with AMD-Vi on), or "
			    "ptvm host setup --persistent and reboot", "vmm.ko "
			    "was loaded with AMD-Vi off (hw.vmm.amdvi.enable=0): "
			    "bhyve cannot assign passthru devices");
		return;
	}
	s = NULL;
	if (h->ops->kenv_get(h, "hw.vmm.amdvi.enable", &s) != 0)
		(void)h->ops->kenv_get(h, "hw.vmm.amdvi_enable", &s);
	/* An integer tunable: base 0, any non-zero value is on. */
	if (s != NULL && (v = strtoll(s, &end, 0)) != 0 && end != s)
		chk_add(cs, CHK_PASS, "iommu", NULL, "AMD-Vi: "
		    "hw.vmm.amdvi.enable=1 is set for when vmm.ko loads");
	else
		chk_add(cs, CHK_PASS, "iommu", NULL, "AMD-Vi: start sets "
		    "hw.vmm.amdvi.enable=1 in the kernel environment%s, then "
		    "loads vmm.ko", s != NULL ? " (it is now 0)" : "");
	free(s);
}

/*
 * Whether the firmware gave the host an IOMMU.  vmm sets its IOMMU up
 * lazily, when the first VM with a passthru device is created, so
 * hw.vmm.iommu.initialized=0 is normal until then (freebsd.md#V1).
 */
static void
chk_iommu(struct host *h, bool loaded, bool amd, struct checks *cs)
{
	long long v, n;

	if (!loaded)
		return;
	if (host_sysctl_int(h, "hw.vmm.iommu.initialized", &v) == 0 && v == 1) {
		chk_add(cs, CHK_PASS, "iommu", NULL, "vmm's IOMMU is set up "
		    "(hw.vmm.iommu.initialized=1)");
		return;
	}
	if (host_sysctl_int(h, "hw.vmm.iommu.enable", &n) == 0 && n == 0) {
		chk_add(cs, CHK_FAIL, "iommu", "remove hw.vmm.iommu.enable=0 "
		    "from the loader configuration and reboot",
		    "hw.vmm.iommu.enable=0: vmm never uses an IOMMU, so bhyve "
		    "cannot assign passthru devices");
		return;
	}
	if (amd && host_sysctl_int(h, "hw.vmm.amdvi.count", &n) == 0) {
		if (n == 0)
			chk_add(cs, CHK_FAIL, "iommu", "enable the IOMMU "
			    "(AMD-Vi, \"IOMMU\" or \"SVM + IOMMU\") in the "
			    "firmware setup", "the firmware gave no AMD-Vi IOMMU "
			    "(hw.vmm.amdvi.count=0: no IVRS table)");
		else
			chk_add(cs, CHK_PASS, "iommu", NULL, "%lld AMD-Vi "
			    "IOMMU%s found; vmm sets it up when the VM is "
			    "created", n, n == 1 ? "" : "s");
		return;
	}
	chk_add(cs, CHK_PASS, "iommu", NULL, "not set up yet "
	    "(hw.vmm.iommu.initialized=0, normal before the first passthru "
	    "VM); if the firmware has none, bhyve says so and ptvm "
	    "explains it in the log");
}

static void
chk_vmm(struct host *h, const struct vm *vm, struct checks *cs)
{
	const char *vendor;
	bool loaded, amd;

	if (!kld_ok(h, "vmm", &loaded))
		chk_add(cs, CHK_FAIL, "vmm", "build a kernel with vmm or "
		    "install the base system's /boot/kernel/vmm.ko",
		    "vmm.ko is neither loaded nor in /boot/kernel");
	else
		chk_add(cs, CHK_PASS, "vmm", NULL, "vmm.ko %s",
		    loaded ? "loaded" : "not loaded; start loads it");
	if (vm->nbind == 0)
		return;
	vendor = host_cpu_vendor(h);
	amd = vendor != NULL && strcmp(vendor, "AMD") == 0;
	if (amd)
		chk_amdvi(h, loaded, cs);
	else if (vendor != NULL)
		chk_add(cs, CHK_PASS, "iommu", NULL, "Intel VT-d is used "
		    "when the firmware provides a DMAR table");
	else
		chk_add(cs, CHK_WARN, "iommu", "check hw.model", "the CPU "
		    "vendor is unknown; on AMD, start sets "
		    "hw.vmm.amdvi.enable=1 only when it knows");
	chk_iommu(h, loaded, amd, cs);
}

/* Other VM files of the directory, for "used by another VM" checks. */
static void
chk_others(struct ptvm_ctx *ctx, struct host *h, const struct vm_load *ld,
    struct checks *cs)
{
	struct host_vm_list vl;
	const struct vm *vm = &ld->vm;
	char sel[32];
	size_t i, k, j;

	if (life_vm_list(h, &vl) != 0)
		return;
	for (i = 0; i < vl.n; i++) {
		if (strcmp(vl.vm[i].name, vm->name) == 0)
			continue;
		if (!vl.vm[i].devs_known && vm->nbind > 0)
			chk_add(cs, CHK_WARN, "passthru", "ptvm status lists the "
			    "VMs ptvm started; bhyvectl --destroy --vm=NAME "
			    "removes a stale one", "VM %s runs, not started by "
			    "ptvm (or its status is gone): ptvm cannot tell which "
			    "functions it holds; if it has one of this VM's, "
			    "start fails", vl.vm[i].name);
		for (k = 0; k < vl.vm[i].ndevs; k++)
			for (j = 0; j < vm->nbind; j++)
				if (pci_sel_eq(&vl.vm[i].devs[k],
				    &vm->bind[j])) {
					pci_sel_fmt(&vm->bind[j], SEL_BHYVE,
					    sel, sizeof(sel));
					chk_add(cs, CHK_FAIL, "passthru",
					    "stop that VM first", "%s is in "
					    "use by the running VM %s", sel,
					    vl.vm[i].name);
				}
	}
	host_vm_list_free(&vl);
	(void)ctx;
}

/*
 * The GPU that drives the host console: console_gpu=take gives it to the
 * VM (start mutes the console, kern.consmute=1, and puts it back after);
 * refuse, the default, keeps it for the host.  vt(4) draws every ttyv*
 * on that GPU, so a ptvm run from one of them loses its screen.
 */
static void
chk_console_gpu(struct host *h, const struct vm *vm, const char *sel,
    bool guess, struct checks *cs)
{
	char tty[64], fix[256];

	if (!vm->life.console_gpu_take) {
		(void)snprintf(fix, sizeof(fix), "ptvm set %s console_gpu=take "
		    "gives it to the VM (the host's screen goes dark while the "
		    "VM runs; work over ssh), or move the console to another "
		    "GPU", vm->name);
		chk_add(cs, CHK_FAIL, "passthru", fix, "%s drives the host "
		    "console%s; with "
		    "console_gpu=refuse (the default) start keeps it for the "
		    "host", sel, guess ? " (probably)" : "");
		return;
	}
	chk_add(cs, CHK_PASS, "passthru", NULL, "%s drives the host console%s; "
	    "console_gpu=take: start binds it and mutes the console "
	    "(kern.consmute=1) until the VM stops", sel,
	    guess ? " (probably)" : "");
	if (h->ops->tty_name(h, tty, sizeof(tty)) == 0 &&
	    strncmp(tty, "ttyv", 4) == 0)
		chk_add(cs, CHK_WARN, "console", "run ptvm over ssh, or from "
		    "a serial console", "ptvm runs on %s, a virtual terminal "
		    "of the console that %s drives: its screen goes away when "
		    "the VM takes the GPU", tty, sel);
}

static void
chk_passthru(struct ptvm_ctx *ctx, struct host *h, const struct vm_load *ld,
    struct checks *cs)
{
	const struct vm *vm = &ld->vm;
	struct gpu_list gl;
	struct pci_dev *pd, *o;
	char sel[32], osel[32], gsel[32], fix[256];
	size_t i, k, j;
	bool guess, found, audio;

	if (ld->env.pci == NULL)
		return;
	for (i = 0; i < vm->nbind; i++) {
		pci_sel_fmt(&vm->bind[i], SEL_BHYVE, sel, sizeof(sel));
		if ((pd = pci_find(ld->env.pci, &vm->bind[i])) == NULL)
			continue;	/* the compiler said so */
		if (pci_is_ppt(pd))
			chk_add(cs, CHK_PASS, "passthru", NULL, "%s is on "
			    "ppt(4)", sel);
		else if (pci_is_display(pd) && gpu_is_console(ld->env.pci, pd,
		    ctx_console_unit(ctx), &guess))
			chk_console_gpu(h, vm, sel, guess, cs);
		else
			chk_add(cs, CHK_PASS, "passthru", NULL, "%s is on %s "
			    "now; start binds it to ppt(4)", sel,
			    pd->driver[0] != '\0' ? pd->driver : "no driver");
	}
	/* The GPU's other functions, left on host drivers by mistake. */
	if (gpu_group(ld->env.pci, ctx_console_unit(ctx), &gl) != 0)
		return;
	for (i = 0; i < gl.n; i++) {
		o = &ld->env.pci->dev[gl.g[i].gpu];
		for (found = false, j = 0; j < vm->nbind; j++)
			found |= pci_sel_eq(&o->sel, &vm->bind[j]);
		if (!found)
			continue;
		/* audio=host on a passthru line of this GPU's functions. */
		for (audio = false, j = 0; j < vm->ndev; j++)
			if (vm->dev[j].kind == VMD_PASSTHRU &&
			    vm->dev[j].audio_host &&
			    vm->dev[j].host.bus == o->sel.bus &&
			    vm->dev[j].host.slot == o->sel.slot)
				audio = true;
		pci_sel_fmt(&o->sel, SEL_BHYVE, gsel, sizeof(gsel));
		for (k = 0; k < gl.g[i].nrec; k++) {
			pd = &ld->env.pci->dev[gl.g[i].rec[k]];
			for (found = false, j = 0; j < vm->nbind; j++)
				found |= pci_sel_eq(&pd->sel, &vm->bind[j]);
			if (found)
				continue;
			pci_sel_fmt(&pd->sel, SEL_BHYVE, osel, sizeof(osel));
			if ((pd->class >> 8) == 0x0403 && audio) {
				chk_add(cs, CHK_PASS, "passthru", NULL, "%s "
				    "(HDMI/DP audio) of the same GPU stays "
				    "with the host, as audio=host says", osel);
				continue;
			}
			if ((pd->class >> 8) == 0x0403)
				(void)snprintf(fix, sizeof(fix), "add "
				    "passthru=%s, or add ,audio=host to the "
				    "passthru=%s line to leave it out on purpose "
				    "(ptvm devices says why)", osel, gsel);
			else
				(void)snprintf(fix, sizeof(fix), "add "
				    "passthru=%s, or ignore this if you left it "
				    "out on purpose", osel);
			chk_add(cs, CHK_WARN, "passthru", fix, "%s (%s) of the "
			    "same GPU stays with the host", osel,
			    gpu_func_role(pd));
		}
	}
	gpu_list_free(&gl);
}

/*
 * The host's own disks and network: a passthru function whose driver
 * carries a mounted file system, an imported pool, swap or the default
 * route is taken from under the host when start binds it (bind detaches
 * with -f after three EBUSY).  A storage or network controller whose use
 * cannot be ruled out fails the same way (freebsd.md#H1-H9).
 */
static void
chk_hostuse(struct host *h, const struct vm_load *ld, struct checks *cs)
{
	const struct vm_dev *dv;
	struct pci_dev *pd;
	struct hostuse hu;
	struct hu_result r;
	char sel[32], bsel[32], name[48], fix[256];
	size_t i;
	unsigned cls;

	if (ld->env.pci == NULL || ld->vm.nbind == 0)
		return;
	if (hostuse_read(h, &hu) != 0) {
		hostuse_free(&hu);
		chk_add(cs, CHK_FAIL, "hostuse", "free some memory", "out of "
		    "memory reading what the host uses");
		return;
	}
	for (i = 0; i < ld->vm.ndev; i++) {
		dv = &ld->vm.dev[i];
		if (dv->kind != VMD_PASSTHRU ||
		    (pd = pci_find(ld->env.pci, &dv->host)) == NULL)
			continue;
		pci_sel_fmt(&dv->host, SEL_PCICONF, sel, sizeof(sel));
		pci_sel_fmt(&dv->host, SEL_BHYVE, bsel, sizeof(bsel));
		pci_dev_name(pd, name, sizeof(name));
		hostuse_judge(&hu, ld->env.pci, pd, &r);
		cls = pd->class >> 16;
		(void)snprintf(fix, sizeof(fix), "remove passthru=%s; if you "
		    "really mean to take it from the host, add host_use=take "
		    "to that line (passthru=%s,host_use=take; see ptvm.conf(5))",
		    bsel, bsel);
		if (r.v == HU_USED)
			chk_add(cs, dv->host_use_take ? CHK_WARN : CHK_FAIL,
			    "hostuse", dv->host_use_take ? "remove "
			    "host_use=take unless you mean it" : fix,
			    "%s (%s) %s %s: passing it through %s%s", sel,
			    name, hostuse_verb(&r), r.what, hostuse_loss(&r), dv->host_use_take ?
			    " (host_use=take: start takes it anyway)" : "");
		else if (r.v == HU_UNKNOWN && !r.soft && !dv->host_use_take)
			chk_add(cs, CHK_FAIL, "hostuse", "run check on the "
			    "live host, or capture it with ptvm host capture "
			    "(which records mount -p, zpool status -P, swapctl "
			    "-l, camcontrol devlist -v and netstat -rn); or "
			    "add host_use=take if you know the host does not "
			    "use it", "%s (%s) is a %s controller and ptvm "
			    "cannot rule out that the host uses it: %s", sel,
			    name, cls == 0x01 ? "storage" : "network", r.why);
		else if (r.v == HU_UNKNOWN)
			chk_add(cs, CHK_WARN, "hostuse", dv->host_use_take ?
			    NULL : "make sure no disk or network interface of "
			    "the host is behind it", "%s (%s) may carry the "
			    "host's own disks or network: %s%s", sel, name,
			    r.why, dv->host_use_take ? " (host_use=take)" :
			    "");
		else if (cls == 0x01 || cls == 0x02 ||
		    (pd->class >> 8) == 0x0c03)
			chk_add(cs, CHK_PASS, "hostuse", NULL, "%s (%s): no "
			    "mounted file system, imported pool, swap or "
			    "default route of the host is on it", sel, name);
	}
	hostuse_free(&hu);
}

/*
 * The rom= file of each passthru line: usable by bhyve's UEFI, and for its
 * device (lib/rom.c rom_check_device: a vendor/device mismatch is a FAIL,
 * a subsystem mismatch a warning with both values).
 */
static void
chk_rom(struct ptvm_ctx *ctx, struct host *h, const struct vm_load *ld,
    struct checks *cs)
{
	const struct vm_dev *dv;
	struct rom_info *ri;
	struct rom_match m;
	struct pci_dev *pd;
	struct diags dd;
	char *buf, sel[32], fix[128];
	size_t i, len;
	int e;

	(void)ctx;
	for (i = 0; i < ld->vm.ndev; i++) {
		dv = &ld->vm.dev[i];
		if (dv->kind != VMD_PASSTHRU || dv->rom == NULL)
			continue;
		if ((e = h->ops->file_read(h, dv->rom, &buf, &len)) != 0) {
			chk_add(cs, CHK_FAIL, "rom", "put the VBIOS there "
			    "(ptvm rom dump, or see ptvm rom dump's advice)",
			    "%s: %s", dv->rom, sys_strerror(e));
			continue;
		}
		if ((ri = calloc(1, sizeof(*ri))) == NULL) {
			free(buf);
			return;
		}
		diags_init(&dd);
		(void)rom_parse((const uint8_t *)buf, len, dv->rom, ri, &dd);
		memset(&m, 0, sizeof(m));
		pci_sel_fmt(&dv->host, SEL_BHYVE, sel, sizeof(sel));
		(void)snprintf(fix, sizeof(fix), "use the VBIOS of this exact "
		    "board (ptvm rom inspect --for %s FILE)", sel);
		pd = ld->env.pci != NULL ? pci_find(ld->env.pci, &dv->host) :
		    NULL;
		if (pd != NULL)
			(void)rom_check_device(ri, pd, dv->rom, &m, &dd);
		if (m.ids > 0)
			chk_add(cs, CHK_FAIL, "rom", fix, "%s is not for %s: "
			    "the ROM is for %04x:%04x, the device is %04x:%04x",
			    dv->rom, sel, m.vendor, m.device, pd->vendor,
			    pd->device);
		else if (!ri->usable)
			chk_add(cs, CHK_FAIL, "rom", "ptvm rom inspect FILE "
			    "tells why; ptvm rom trim fixes a dump with a "
			    "header", "%s is not usable by bhyve's UEFI: %s",
			    dv->rom, ri->nreasons > 0 ? ri->reasons[0] :
			    "see ptvm rom inspect");
		else if (m.subsys > 0)
			chk_add(cs, CHK_WARN, "rom", fix, "%s: vendor and "
			    "device match %s, but the ROM's ATOM subsystem "
			    "%04x:%04x differs from the board's %04x:%04x",
			    dv->rom, sel, ri->atom.subvendor,
			    ri->atom.subdevice, pd->subvendor, pd->subdevice);
		else
			chk_add(cs, CHK_PASS, "rom", NULL, "%s: usable, "
			    "matches its device", dv->rom);
		diags_free(&dd);
		free(ri);
		free(buf);
	}
}

static void
chk_file(struct host *h, struct checks *cs, const char *what,
    const char *path, bool dev_ok, const char *fix)
{
	struct host_stat st;
	int e;

	if ((e = h->ops->file_stat(h, path, &st)) != 0)
		chk_add(cs, CHK_FAIL, what, fix, "%s: %s", path, strerror(e));
	else if (st.type == HOST_F_REG || (dev_ok && st.type == HOST_F_CHR))
		chk_add(cs, CHK_PASS, what, NULL, "%s present", path);
	else
		chk_add(cs, CHK_FAIL, what, fix, "%s is not a %s", path,
		    dev_ok ? "file or device" : "file");
}

static void
chk_files(struct host *h, const struct vm_load *ld, struct checks *cs)
{
	const struct vm *vm = &ld->vm;
	const struct vm_dev *dv;
	struct host_stat st;
	struct host_proc pr;
	char path[64], why[512];
	char *av[3];
	size_t i;
	int e;

	if (vm->firmware != NULL)
		chk_file(h, cs, "firmware", vm->firmware, false,
		    "pkg install edk2-bhyve");
	if (vm->vars != NULL && ld->env.vars_template != NULL &&
	    h->ops->file_stat(h, vm->vars, &st) != 0)
		chk_file(h, cs, "firmware", ld->env.vars_template, false,
		    "pkg install edk2-bhyve");
	for (i = 0; i < vm->ndev; i++) {
		dv = &vm->dev[i];
		if (dv->kind == VMD_DISK && strncmp(dv->path, ZFS_ZVOL_DIR,
		    strlen(ZFS_ZVOL_DIR)) == 0 && dv->path[strlen(
		    ZFS_ZVOL_DIR)] != '\0') {
			(void)snprintf(why, sizeof(why), "create it: ptvm "
			    "disk create %s SIZE --dataset %s", vm->name,
			    dv->path + strlen(ZFS_ZVOL_DIR));
			chk_file(h, cs, "disk", dv->path, true, why);
		} else if (dv->kind == VMD_DISK)
			chk_file(h, cs, "disk", dv->path, true, "create it "
			    "(ptvm disk create makes a ZFS volume; a file: "
			    "truncate -s SIZE FILE)");
		else if (dv->kind == VMD_CDROM)
			chk_file(h, cs, "cdrom", dv->path, false, "download "
			    "the image, or change cdrom=");
		else if (dv->kind == VMD_NET && dv->bridge != NULL) {
			av[0] = __DECONST(char *, "ifconfig");
			av[1] = dv->bridge;
			av[2] = NULL;
			if ((e = h->ops->run(h, av, &pr)) != 0 || !pr.ran)
				chk_add(cs, CHK_SKIP, "net", NULL, "%s: could "
				    "not run ifconfig%s%s", dv->bridge,
				    e != 0 ? ": " : "", e != 0 ? host_proc_str(
				    av, e, &pr, why, sizeof(why)) : "");
			else if (pr.status != 0)
				chk_add(cs, CHK_FAIL, "net", "ifconfig bridge0 "
				    "create addm em0 up (and cloned_interfaces "
				    "in rc.conf)", "bridge %s does not exist",
				    dv->bridge);
			else
				chk_add(cs, CHK_PASS, "net", NULL, "bridge %s "
				    "exists; start creates a tap (the next free "
				    "tapN) and adds it", dv->bridge);
		} else if (dv->kind == VMD_NET) {
			(void)snprintf(path, sizeof(path), "/dev/%s",
			    dv->ifname);
			if (h->ops->file_stat(h, path, &st) == 0)
				chk_add(cs, CHK_PASS, "net", NULL, "%s exists",
				    dv->ifname);
			else
				chk_add(cs, CHK_WARN, "net", "ifconfig tap0 "
				    "create (and cloned_interfaces in "
				    "rc.conf), or use net=bridge0",
				    "%s does not exist", dv->ifname);
		}
	}
}

/* Disks of other VM files: no two VMs may write one disk. */
struct shared {
	struct ptvm_ctx	*ctx;
	const struct vm	*vm;
	struct checks	*cs;
	int		 nfail;
};

static void
shared_scan(void *arg, const char *file, const struct vmconf *c)
{
	struct shared *sh = arg;
	const struct vm_dev *dv;
	char path[1024], why[512];
	size_t i, k, n;
	int run;

	for (i = 0; i < c->n; i++) {
		if (strcmp(c->l[i].key, "disk") != 0 ||
		    (n = vmedit_path_len(c->l[i].val)) >= sizeof(path))
			continue;
		memcpy(path, c->l[i].val, n);
		path[n] = '\0';
		for (k = 0; k < sh->vm->ndev; k++) {
			dv = &sh->vm->dev[k];
			if (dv->kind != VMD_DISK ||
			    !vmedit_path_same(dv->path, path))
				continue;
			run = vm_running(&sh->ctx->eng, c->name, why, sizeof(why));
			chk_add(sh->cs, CHK_FAIL, "disk", "give each VM its "
			    "own disk (ptvm disk create VM SIZE); two VMs "
			    "writing one disk destroy its file systems",
			    "%s is also a disk of VM %s (%s:%u)%s", dv->path,
			    c->name, file, c->l[i].line,
			    run > 0 ? ", which is running" : "");
			sh->nfail++;
		}
	}
}

static void
chk_shared(struct ptvm_ctx *ctx, const struct vm_load *ld, struct checks *cs)
{
	const struct vm *vm = &ld->vm;
	struct shared sh;
	size_t i, k, ndisk;

	memset(&sh, 0, sizeof(sh));
	sh.ctx = ctx;
	sh.vm = vm;
	sh.cs = cs;
	for (i = ndisk = 0; i < vm->ndev; i++) {
		if (vm->dev[i].kind != VMD_DISK)
			continue;
		ndisk++;
		for (k = 0; k < i; k++) {
			if (vm->dev[k].kind != VMD_DISK ||
			    !vmedit_path_same(vm->dev[k].path,
			    vm->dev[i].path))
				continue;
			chk_add(cs, CHK_FAIL, "disk", "remove one of the lines",
			    "%s is a disk twice (lines %u and %u)",
			    vm->dev[i].path, vm->dev[k].line, vm->dev[i].line);
			sh.nfail++;
		}
	}
	if (ndisk == 0)
		return;
	if (vm_foreach_other(&ctx->eng, vm->name, shared_scan, &sh) != 0)
		chk_add(cs, CHK_SKIP, "disk", NULL, "the other VM files cannot "
		    "be read");
	else if (sh.nfail == 0)
		chk_add(cs, CHK_PASS, "disk", NULL, "no other VM file has %s",
		    ndisk == 1 ? "this disk" : "these disks");
}

static void
chk_console(struct host *h, const struct vm *vm, struct checks *cs)
{
	bool loaded;

	if (vm->console == NULL || strncmp(vm->console, "/dev/nmdm", 9) != 0)
		return;
	/* /dev/nmdm* exist only once nmdm.ko is loaded (freebsd.md#N1). */
	if (kld_ok(h, "nmdm", &loaded))
		chk_add(cs, CHK_PASS, "console", NULL, "%s; nmdm.ko %s",
		    vm->console, loaded ? "loaded" : "not loaded: start "
		    "loads it (kldload nmdm)");
	else
		chk_add(cs, CHK_FAIL, "console", "use console=none, or a "
		    "kernel with device nmdm", "nmdm.ko is not available "
		    "for %s", vm->console);
}

/*
 * Guest memory with memory.wired is wired with VM_MAP_WIRE_USER, which
 * counts against vm.max_user_wired together with every other user wiring
 * (vm.stats.vm.v_user_wire_count), both in pages; over it, vmm fails the
 * mapping with ENOMEM and bhyve says "Unable to setup memory (12)"
 * (docs/freebsd.md V-MEM1..V-MEM4).  A VM that already exists in the
 * kernel has its pages in the count already.
 */
static void
chk_wired(struct host *h, const struct vm *vm, struct checks *cs)
{
	const char *w;
	char fix[160];
	long long max, used, pg;
	unsigned long long need;

	w = bcfg_get(&vm->cfg, "memory.wired");
	if (w == NULL || bcfg_bool(w) != 1)
		return;
	if (host_sysctl_int(h, "vm.max_user_wired", &max) != 0 || max <= 0) {
		chk_add(cs, CHK_SKIP, "wired", NULL, "vm.max_user_wired "
		    "unknown");
		return;
	}
	if (host_sysctl_int(h, "hw.pagesize", &pg) != 0 || pg <= 0)
		pg = 4096;
	if (host_sysctl_int(h, "vm.stats.vm.v_user_wire_count", &used) != 0 ||
	    used < 0)
		used = 0;
	need = (vm->memory + (unsigned long long)pg - 1) /
	    (unsigned long long)pg;
	if (life_vm_exists(h, vm->name))
		used = (unsigned long long)used > need ? used - (long long)need :
		    0;
	if (need + (unsigned long long)used > (unsigned long long)max) {
		(void)snprintf(fix, sizeof(fix), "sysctl vm.max_user_wired=%llu, "
		    "and vm.max_user_wired=%llu in /etc/sysctl.conf to keep it",
		    need + (unsigned long long)used,
		    need + (unsigned long long)used);
		chk_add(cs, CHK_FAIL, "wired", fix, "%llu MiB to wire, but "
		    "vm.max_user_wired allows %lld MiB and users have %lld MiB "
		    "wired (vm.stats.vm.v_user_wire_count): bhyve would stop "
		    "with \"Unable to setup memory (12)\"",
		    (unsigned long long)(vm->memory >> 20), max * pg >> 20,
		    used * pg >> 20);
	} else
		chk_add(cs, CHK_PASS, "wired", NULL, "%llu MiB to wire; "
		    "vm.max_user_wired allows %lld MiB, %lld MiB wired by users "
		    "now", (unsigned long long)(vm->memory >> 20),
		    max * pg >> 20, used * pg >> 20);
}

/* Against the limit first, then whether the host keeps enough. */
static void
chk_memory(struct host *h, const struct vm *vm, struct checks *cs)
{
	long long phys;

	chk_wired(h, vm, cs);
	if (host_sysctl_int(h, "hw.physmem", &phys) != 0 || phys <= 0) {
		chk_add(cs, CHK_SKIP, "memory", NULL, "hw.physmem unknown");
		return;
	}
	if (vm->memory >= (uint64_t)phys)
		chk_add(cs, CHK_FAIL, "memory", "lower memory=", "%llu MiB "
		    "asked, the host has %lld MiB", (unsigned long long)
		    (vm->memory >> 20), phys >> 20);
	else if (vm->memory > (uint64_t)phys - (2ULL << 30))
		chk_add(cs, CHK_WARN, "memory", "lower memory= to leave the "
		    "host 2 GiB or more", "%llu MiB wired of %lld MiB leaves "
		    "the host little", (unsigned long long)(vm->memory >> 20),
		    phys >> 20);
	else
		chk_add(cs, CHK_PASS, "memory", NULL, "%llu MiB of %lld MiB "
		    "can be wired", (unsigned long long)(vm->memory >> 20),
		    phys >> 20);
}

static void
chk_pins(const struct vm_load *ld, struct checks *cs)
{
	const struct vm *vm = &ld->vm;
	struct pin_metrics m;

	if (!vm->pinned) {
		chk_add(cs, CHK_WARN, "pin", "pin=threads", "vCPUs are not "
		    "pinned; the scheduler moves them (stutter under load)");
		return;
	}
	if (ld->env.topo == NULL) {
		chk_add(cs, CHK_SKIP, "pin", NULL, "host topology unknown");
		return;
	}
	{
		int k;

		for (k = 0; k < vm->ncpus; k++)
			if (vm->pin[k] < 0) {
				chk_add(cs, CHK_WARN, "pin", "pin every vCPU",
				    "vCPU %d is not pinned", k);
				return;
			}
	}
	pin_measure(ld->env.topo, vm->pin, vm->ncpus, &m);
	if (m.shared_cores > 0 && vm->plan != NULL &&
	    vm->plan->policy == PIN_CORES)
		chk_add(cs, CHK_PASS, "pin", NULL, "%d vCPUs on %d whole "
		    "cores (pin=cores)", vm->ncpus, m.cores_used);
	else if (m.shared_cores > 0 && vm->ncpus > ld->env.topo->ncores)
		chk_add(cs, CHK_WARN, "pin", "cpus= at most the number of "
		    "cores, or pin=cores", "%d vCPUs on a %d-core host: %d "
		    "core%s run two vCPUs (SMT siblings)", vm->ncpus,
		    ld->env.topo->ncores, m.shared_cores,
		    m.shared_cores == 1 ? "" : "s");
	else if (m.shared_cores > 0)
		chk_add(cs, CHK_WARN, "pin", "pin=threads lets ptvm choose",
		    "%d host core%s run two vCPUs (SMT siblings)",
		    m.shared_cores, m.shared_cores == 1 ? "" : "s");
	else
		chk_add(cs, CHK_PASS, "pin", NULL, "%d vCPUs on %d cores, %d "
		    "L3 domain%s", vm->ncpus, m.cores_used, m.l3_domains,
		    m.l3_domains == 1 ? "" : "s");
}

static void
chk_display(struct host *h, const struct vm *vm, struct checks *cs)
{
	char **names;
	size_t n, i;
	long long v;
	bool moused;

	if (vm->nbind == 0)
		return;
	if (host_sysctl_int(h, "kern.consmute", &v) == 0 && v == 1)
		chk_add(cs, CHK_PASS, "console", NULL, "kern.consmute=1");
	else
		chk_add(cs, CHK_PASS, "console", NULL, "start sets "
		    "kern.consmute=1 while the VM runs (no kernel messages on "
		    "the passed GPU) and puts it back after");
	moused = false;
	if (h->ops->dir_list(h, "/var/run", &names, &n) == 0) {
		for (i = 0; i < n; i++)
			moused |= strncmp(names[i], "moused", 6) == 0 &&
			    strstr(names[i], ".pid") != NULL;
		host_names_free(names, n);
	}
	if (moused)
		chk_add(cs, CHK_WARN, "console", "service moused stop (and "
		    "moused_enable=NO)", "moused is running: its pointer "
		    "draws on the console");
}

int
check_vm(struct ptvm_ctx *ctx, const struct vm_load *ld, struct checks *cs)
{
	struct host *h;

	if (ctx_host(ctx, &h) != 0)
		return (-1);
	chk_vmm(h, &ld->vm, cs);
	chk_passthru(ctx, h, ld, cs);
	chk_hostuse(h, ld, cs);
	chk_others(ctx, h, ld, cs);
	chk_rom(ctx, h, ld, cs);
	chk_files(h, ld, cs);
	chk_shared(ctx, ld, cs);
	chk_console(h, &ld->vm, cs);
	chk_memory(h, &ld->vm, cs);
	chk_pins(ld, cs);
	chk_display(h, &ld->vm, cs);
	desk_check(ctx, h, ld, cs);
	return (0);
}

static void
check_print(const struct checks *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		printf("%s  %-9s %s\n", chk_names[cs->c[i].status],
		    cs->c[i].what, cs->c[i].msg);
		if (cs->c[i].status != CHK_PASS && cs->c[i].fix[0] != '\0')
			printf("      %-9s fix: %s\n", "", cs->c[i].fix);
	}
	printf("%d passed, %d warnings, %d failed\n", cs->count[CHK_PASS],
	    cs->count[CHK_WARN], cs->count[CHK_FAIL]);
}

static void
check_json(const char *name, const struct checks *cs)
{
	static const char *const lower[] = { "pass", "warn", "fail", "skip" };
	struct strbuf sb;
	struct json j;
	size_t i;

	sb_init(&sb);
	json_init(&j, &sb);
	json_obj(&j, NULL);
	json_str(&j, "name", name);
	json_arr(&j, "checks");
	for (i = 0; i < cs->n; i++) {
		json_obj(&j, NULL);
		json_str(&j, "check", cs->c[i].what);
		json_str(&j, "status", lower[cs->c[i].status]);
		json_str(&j, "message", cs->c[i].msg);
		json_str(&j, "fix", cs->c[i].fix[0] != '\0' ? cs->c[i].fix :
		    NULL);
		json_end(&j);
	}
	json_end(&j);
	json_int(&j, "passed", cs->count[CHK_PASS]);
	json_int(&j, "warnings", cs->count[CHK_WARN]);
	json_int(&j, "failed", cs->count[CHK_FAIL]);
	json_end(&j);
	out_json(&sb);
	sb_free(&sb);
}

int
cmd_check(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef defs[] = {
		{ 'J', 0, "json", false, NULL },
		{ 'B', 0, "boot", false, NULL },
		OPTDEF_END
	};
	struct opts o;
	struct vm_load ld;
	struct checks *cs;
	bool json, boot;
	int ch, rv;

	json = boot = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		if (ch == 'B') {
			boot = true;
			continue;
		}
		if (ch != 'J')
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		json = true;
	}
	if (opt_operands(&o, &argv) != 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, "one VM "
		    "expected"));
	if ((cs = calloc(1, sizeof(*cs))) == NULL)
		return (EXIT_FAIL);
	vm_load_init(&ld);
	if (vm_load(&ctx->eng, argv[0], &ld) != 0) {
		/* The VM file itself is the first check, and it failed. */
		if (json) {
			chk_add(cs, CHK_FAIL, "vmfile", "fix the errors above",
			    "%s has errors", argv[0]);
			check_json(argv[0], cs);
		}
		vm_load_free(&ld);
		free(cs);
		return (EXIT_FAIL);
	}
	chk_add(cs, CHK_PASS, "vmfile", NULL, "%s compiles", ld.path);
	rv = check_vm(ctx, &ld, cs);
	if (boot)
		check_boot(ctx, &ld, cs);
	rv = rv == 0 && cs->count[CHK_FAIL] == 0 ? EXIT_OK : EXIT_FAIL;
	if (json)
		check_json(ld.vm.name, cs);
	else
		check_print(cs);
	vm_load_free(&ld);
	free(cs);
	return (rv);
}
