/*
 * cmd_devices.c: "ptvm devices": GPUs, their functions, and what to pass.
 */
#include "compat.h"

#include <stdio.h>
#include <string.h>

#include "life.h"
#include "ptvm.h"
#include "desk.h"

static const char *
dname(const struct pci_dev *d)
{

	return (d->device_name != NULL ? d->device_name : "?");
}

static void
gpu_notes(struct pci_list *l, const struct gpu_group *g, struct strbuf *sb)
{
	const struct pci_dev *d;
	char sel[32], name[48];
	size_t i;

	if (g->flags & GPU_CONSOLE)
		sb_printf(sb, "drives the host console%s: keep it for the "
		    "host, or mute the console (kern.consmute=1) and work "
		    "over ssh\n", g->flags & GPU_CONSOLE_GUESS ?
		    " (probably: the first VGA device; "
		    "hw.pci.default_vgapci_unit is not known)" : "");
	if (g->flags & GPU_PARTLY_PPT)
		for (i = 0; i < g->nrec; i++) {
			d = &l->dev[g->rec[i]];
			if (pci_is_ppt(d))
				continue;
			pci_sel_fmt(&d->sel, SEL_PCICONF, sel, sizeof(sel));
			pci_dev_name(d, name, sizeof(name));
			sb_printf(sb, "%s (%s) is left on the host (%s) while "
			    "the rest of the card is on ppt\n", sel,
			    gpu_func_role(d), name);
		}
	/* The guide's trade-off: HDMI/DP audio, passed or left out. */
	for (i = 0; i < g->nrec; i++) {
		d = &l->dev[g->rec[i]];
		if ((d->class >> 8) != 0x0403 || pci_is_ppt(d))
			continue;
		pci_sel_fmt(&d->sel, SEL_BHYVE, sel, sizeof(sel));
		pci_sel_fmt(&l->dev[g->gpu].sel, SEL_BHYVE, name,
		    sizeof(name));
		sb_printf(sb, "%s (HDMI/DP audio) gives the guest sound over "
		    "the monitor's cable%s; to pass the GPU alone write "
		    "passthru=%s,audio=host\n", sel, l->dev[g->gpu].vendor ==
		    0x1002 ? ", but on AMD passing it can make the reset bug "
		    "worse (Error 43 in Windows)" : "", name);
	}
	if (g->flags & GPU_NO_MSI)
		sb_printf(sb, "a function has neither MSI nor MSI-X: the "
		    "guest gets a shared legacy interrupt\n");
	if (g->flags & GPU_NONZERO_DOMAIN)
		sb_printf(sb, "PCI domain %u: bhyve passes functions of "
		    "domain 0 only\n", l->dev[g->gpu].sel.domain);
}

static void
print_func(const struct pci_dev *d, const char *pass)
{
	char sel[32], name[48];

	pci_sel_fmt(&d->sel, SEL_PCICONF, sel, sizeof(sel));
	pci_dev_name(d, name, sizeof(name));
	printf("    %-14s %-9s %-19s %-6s %s\n", sel, name, gpu_func_role(d),
	    pass, dname(d));
}

/* The dirty marks of lib/sup.h, which supervisors leave in the run dir. */
static void
print_dirty(const struct sup_dirty_list *dl, const struct pci_dev *d)
{
	const struct sup_dirty *m;
	char sel[32];

	if ((m = sup_dirty_find(dl, &d->sel)) == NULL)
		return;
	pci_sel_fmt(&d->sel, SEL_PCICONF, sel, sizeof(sel));
	printf("    dirty: %s since VM %s ended without shutting it down "
	    "(%s);\n           reboot the host to clear\n", sel, m->vm,
	    m->reason);
}

static void
print_gpu(struct pci_list *l, const struct gpu_group *g,
    const struct sup_dirty_list *dl)
{
	const struct pci_dev *gpu = &l->dev[g->gpu];
	struct strbuf notes;
	char sel[32], bsel[16];
	const char *p, *nl;
	size_t i;

	pci_sel_fmt(&gpu->sel, SEL_PCICONF, sel, sizeof(sel));
	printf("GPU %s  %s\n    %s, %04x:%04x, subsystem %04x:%04x\n", sel,
	    dname(gpu), gpu->vendor_name != NULL ? gpu->vendor_name : "?",
	    gpu->vendor, gpu->device, gpu->subvendor, gpu->subdevice);
	printf("    %-14s %-9s %-19s %-6s %s\n", "FUNCTION", "DRIVER", "ROLE",
	    "PASS", "DEVICE");
	for (i = 0; i < g->nbridges; i++)
		print_func(&l->dev[g->bridges[i]], "never");
	for (i = 0; i < g->nfuncs; i++)
		print_func(&l->dev[g->funcs[i]],
		    pci_is_bridge(&l->dev[g->funcs[i]]) ? "never" :
		    pci_is_ppt(&l->dev[g->funcs[i]]) ? "on ppt" : "yes");
	printf("    pass:");
	for (i = 0; i < g->nrec; i++) {
		pci_sel_fmt(&l->dev[g->rec[i]].sel, SEL_BHYVE, bsel,
		    sizeof(bsel));
		printf(" %s", bsel);
	}
	printf("%s\n", g->flags & GPU_ALL_PPT ? "  (all on ppt already)" :
	    "");
	for (i = 0; i < g->nfuncs; i++)
		print_dirty(dl, &l->dev[g->funcs[i]]);
	sb_init(&notes);
	gpu_notes(l, g, &notes);
	for (p = sb_str(&notes); *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		printf("    note: %.*s\n", (int)(nl - p), p);
	}
	sb_free(&notes);
}

static void
print_all(struct pci_list *l)
{
	const struct pci_dev *d, *prev;
	char sel[32], name[48];
	size_t i;

	printf("%-16s %-10s %-20s %-9s %s\n", "SELECTOR", "DRIVER", "CLASS",
	    "ID", "DEVICE");
	prev = NULL;
	for (i = 0; i < l->n; i++) {
		d = &l->dev[i];
		if (prev != NULL && (prev->sel.domain != d->sel.domain ||
		    prev->sel.bus != d->sel.bus ||
		    prev->sel.slot != d->sel.slot))
			printf("\n");
		prev = d;
		pci_sel_fmt(&d->sel, SEL_PCICONF, sel, sizeof(sel));
		pci_dev_name(d, name, sizeof(name));
		printf("%-16s %-10s %-20s %04x:%04x %s\n", sel, name,
		    pci_class_desc(d->class), d->vendor, d->device, dname(d));
	}
}

static void
json_dev(struct json *j, const struct pci_dev *d,
    const struct sup_dirty_list *dl)
{
	const struct sup_dirty *m;
	char sel[32], name[48];

	pci_sel_fmt(&d->sel, SEL_PCICONF, sel, sizeof(sel));
	pci_dev_name(d, name, sizeof(name));
	json_obj(j, NULL);
	json_str(j, "selector", sel);
	json_str(j, "driver", pci_is_none(d) ? NULL : name);
	json_hex(j, "vendor_id", d->vendor, 4);
	json_hex(j, "device_id", d->device, 4);
	json_hex(j, "subvendor_id", d->subvendor, 4);
	json_hex(j, "subdevice_id", d->subdevice, 4);
	json_hex(j, "class", d->class, 6);
	json_str(j, "vendor", d->vendor_name);
	json_str(j, "device", d->device_name);
	json_str(j, "class_name", d->class_name);
	json_str(j, "subclass_name", d->subclass_name);
	json_bool(j, "bridge", pci_is_bridge(d));
	json_bool(j, "ppt", pci_is_ppt(d));
	m = sup_dirty_find(dl, &d->sel);
	json_bool(j, "dirty", m != NULL);
	json_str(j, "dirty_vm", m != NULL ? m->vm : NULL);
	json_str(j, "dirty_reason", m != NULL ? m->reason : NULL);
	json_str(j, "pcie", pci_pcie_type_name(d->pcie));
	if (d->caps_known) {
		json_bool(j, "msi", d->msi);
		json_bool(j, "msix", d->msix);
		json_bool(j, "flr", d->flr);
	} else {
		json_null(j, "msi");
		json_null(j, "msix");
		json_null(j, "flr");
	}
	json_end(j);
}

static void
json_sels(struct json *j, const char *key, struct pci_list *l,
    const size_t *idx, size_t n, enum pci_sel_form form)
{
	char sel[32];
	size_t i;

	json_arr(j, key);
	for (i = 0; i < n; i++) {
		pci_sel_fmt(&l->dev[idx[i]].sel, form, sel, sizeof(sel));
		json_str(j, NULL, sel);
	}
	json_end(j);
}

static void
json_gpu(struct json *j, struct pci_list *l, const struct gpu_group *g)
{
	struct strbuf notes;
	const char *p, *nl;
	char sel[32];

	pci_sel_fmt(&l->dev[g->gpu].sel, SEL_PCICONF, sel, sizeof(sel));
	json_obj(j, NULL);
	json_str(j, "selector", sel);
	json_sels(j, "functions", l, g->funcs, g->nfuncs, SEL_PCICONF);
	json_sels(j, "recommended", l, g->rec, g->nrec, SEL_BHYVE);
	json_sels(j, "switch_bridges", l, g->bridges, g->nbridges,
	    SEL_PCICONF);
	json_bool(j, "console", (g->flags & GPU_CONSOLE) != 0);
	json_bool(j, "console_certain", (g->flags & GPU_CONSOLE) != 0 &&
	    (g->flags & GPU_CONSOLE_GUESS) == 0);
	json_bool(j, "all_on_ppt", (g->flags & GPU_ALL_PPT) != 0);
	json_bool(j, "partly_on_ppt", (g->flags & GPU_PARTLY_PPT) != 0);
	json_bool(j, "no_msi", (g->flags & GPU_NO_MSI) != 0);
	json_arr(j, "notes");
	sb_init(&notes);
	gpu_notes(l, g, &notes);
	for (p = sb_str(&notes); *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		json_strn(j, NULL, p, (size_t)(nl - p));
	}
	sb_free(&notes);
	json_end(j);
	json_end(j);
}

static void
devices_json(struct pci_list *l, struct gpu_list *gl,
    const struct sup_dirty_list *dl)
{
	struct strbuf sb;
	struct json j;
	size_t i;

	sb_init(&sb);
	json_init(&j, &sb);
	json_obj(&j, NULL);
	json_arr(&j, "devices");
	for (i = 0; i < l->n; i++)
		json_dev(&j, &l->dev[i], dl);
	json_end(&j);
	json_arr(&j, "gpus");
	for (i = 0; i < gl->n; i++)
		json_gpu(&j, l, &gl->g[i]);
	json_end(&j);
	json_end(&j);
	out_json(&sb);
	sb_free(&sb);
}

int
cmd_devices(struct ptvm_ctx *ctx, int argc, char **argv)
{
	static const struct optdef defs[] = {
		{ 'a', 'a', "all", false, NULL },
		{ 'j', 0, "json", false, NULL },
		{ 'u', 0, "usb", false, NULL },
		OPTDEF_END
	};
	struct opts o;
	struct sup_dirty_list dl;
	struct life_paths lp;
	struct pci_list l;
	struct gpu_list gl;
	struct diags dd;
	struct host *h;
	bool all, json, usb;
	size_t i;
	int ch, rv;

	all = json = usb = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		switch (ch) {
		case 'a':
			all = true;
			break;
		case 'j':
			json = true;
			break;
		case 'u':
			usb = true;
			break;
		default:
			return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
		}
	}
	if (opt_operands(&o, &argv) != 0)
		return (out_usage_error(ctx->cmdname, ctx->cmd,
		    "unexpected argument \"%s\"", argv[0]));
	if (ctx_pci(ctx, &l) != 0) {
		pci_list_free(&l);
		return (EXIT_FAIL);
	}
	if (usb) {
		rv = desk_devices_usb(ctx, &l, json);
		pci_list_free(&l);
		return (rv);
	}
	if (gpu_group(&l, ctx_console_unit(ctx), &gl) != 0) {
		diag_err(&ctx->diags, NULL, 0, "out of memory");
		pci_list_free(&l);
		return (EXIT_FAIL);
	}
	/* Any VM name gives the run directory's dirty file. */
	sup_dirty_init(&dl);
	diags_init(&dd);
	if (ctx_host(ctx, &h) == 0 && life_paths(h, "x", &lp) == 0)
		(void)dirty_read(&lp, &dl, &dd);
	diags_free(&dd);
	if (json)
		devices_json(&l, &gl, &dl);
	else {
		if (gl.n == 0)
			printf("No GPU (PCI display class) found.\n");
		for (i = 0; i < gl.n; i++) {
			if (i > 0)
				printf("\n");
			print_gpu(&l, &gl.g[i], &dl);
		}
		if (all) {
			printf("\n");
			print_all(&l);
		}
	}
	sup_dirty_free(&dl);
	gpu_list_free(&gl);
	pci_list_free(&l);
	return (EXIT_OK);
}
