/*
 * cmd_rom.c: "ptvm rom inspect|trim|extract|dump", the VBIOS toolkit.
 * The parsing lives in lib/rom.c; this file reads and writes files and
 * prints.
 */
#include "compat.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "life.h"
#include "ptvm.h"
#include "rom.h"

#define ROM_MAXFILE	(64 * 1024 * 1024)

static int
rom_usage(struct ptvm_ctx *ctx, const char *fmt, const char *arg)
{

	return (out_usage_error(ctx->cmdname, ctx->cmd, fmt, arg));
}

/*
 * Maps a whole regular file of at most ROM_MAXFILE bytes, read-only: no
 * copy, so a 16 MiB dump costs little more than its page-cache pages.
 */
static int
rom_read_file(struct ptvm_ctx *ctx, const char *path, uint8_t **buf,
    size_t *len)
{
	struct host *h = host_local();
	const uint8_t *p;
	int e;

	*buf = NULL;
	*len = 0;
	if ((e = h->ops->lf_map(h, path, ROM_MAXFILE, &p, len)) != 0) {
		diag_add(&ctx->diags, DIAG_ERROR, path, 0, "%s", e == EFBIG ?
		    "larger than 64 MiB: not a ROM" : sys_strerror(e));
		return (-1);
	}
	*buf = __DECONST(uint8_t *, p);
	return (0);
}

static void
rom_release(uint8_t *buf, size_t len)
{

	LH->ops->lf_unmap(LH, buf, len);
}

/*
 * Writes a file atomically (sys_write_file: a new file beside it, never
 * through a symbolic link, the replaced file's owner kept): replaces it
 * with force, else fails when it already exists.
 */
static int
rom_write_file(struct ptvm_ctx *ctx, const char *path, const uint8_t *buf,
    size_t len, bool force)
{
	int e;

	e = LH->ops->lf_write(LH, path, buf, len, 0644,
	    force ? 0 : SYS_WF_EXCL);
	if (e == EEXIST)
		diag_add(&ctx->diags, DIAG_ERROR, path, 0, "exists; use -f to "
		    "replace it");
	else if (e != 0)
		diag_add(&ctx->diags, DIAG_ERROR, path, 0, "%s",
		    sys_strerror(e));
	return (e == 0 ? 0 : -1);
}

/*
 * Before any work: an output that exists is kept unless force, and one
 * that is a symbolic link or not a regular file is refused either way
 * (lstat: the link itself, not what it names).
 */
static int
rom_out_check(struct ptvm_ctx *ctx, const char *path, bool force)
{
	struct host_stat st;
	int e;

	if ((e = LH->ops->lf_stat(LH, path, true,
	    &st)) != 0 && e != SYS_ESYMLINK)
		return (0);
	if (e == SYS_ESYMLINK || st.type != HOST_F_REG) {
		diag_add(&ctx->diags, DIAG_ERROR, path, 0, "%s",
		    sys_strerror(e == SYS_ESYMLINK ? SYS_ESYMLINK :
		    st.type == HOST_F_DIR ? SYS_EDIR : SYS_ENOTREG));
		return (-1);
	}
	if (!force) {
		diag_add(&ctx->diags, DIAG_ERROR, path, 0, "exists; use -f to "
		    "replace it");
		return (-1);
	}
	return (0);
}

/* Reads back what was written and compares it. */
static int
rom_verify_file(struct ptvm_ctx *ctx, const char *path, const uint8_t *buf,
    size_t len)
{
	uint8_t *back;
	size_t blen;
	int rc;

	if (rom_read_file(ctx, path, &back, &blen) != 0)
		return (-1);
	rc = blen == len && memcmp(back, buf, len) == 0 ? 0 : -1;
	if (rc != 0)
		diag_add(&ctx->diags, DIAG_ERROR, path, 0, "reads back "
		    "different from what was written");
	rom_release(back, blen);
	return (rc);
}

static void
rom_print_efi(const struct rom_efi *e)
{

	if (!e->present) {
		printf("    EFI: no 0x0EF1 signature\n");
		return;
	}
	printf("    EFI: subsystem %s (%u), machine %s (0x%04x), "
	    "compression %s, PE image at +0x%x%s\n",
	    rom_efi_subsystem_name(e->subsystem), e->subsystem,
	    rom_efi_machine_name(e->machine), e->machine,
	    e->compression == 0 ? "none" : e->compression == 1 ?
	    "EFI" : "unknown", e->image_off, e->compression == 1 ? "" :
	    e->mz ? " (MZ found)" : " (no MZ)");
}

static void
rom_print_image(const struct rom_info *ri, size_t i)
{
	const struct rom_image *im;
	char desc[128];
	size_t k;

	im = &ri->img[i];
	rom_image_desc(im, desc, sizeof(desc));
	printf("image %zu at 0x%zx: %s, %zu bytes%s%s%s\n", i, im->offset,
	    desc, im->length, im->last ? ", last" : "", im->hidden ?
	    ", linked by NPDE (not run by firmware)" : "", im->truncated ?
	    ", TRUNCATED" : "");
	printf("    %s rev %u: %04x:%04x, class %06x, code revision 0x%04x\n",
	    im->pcir_sig, im->pcir_rev, im->vendor, im->device, im->class,
	    im->code_rev);
	if (im->ndevlist > 0) {
		printf("    device list:");
		for (k = 0; k < im->ndevlist; k++)
			printf(" %04x", im->devlist[k]);
		printf("\n");
	}
	if (im->npde)
		printf("    NPDE rev 0x%x: %zu bytes%s\n", im->npde_rev,
		    im->npde_length, im->npde_last ? ", last" : "");
	if (im->code_type == ROM_CODE_X86 && im->init_size > 0)
		printf("    checksum: %s over %zu bytes\n", im->checksum_ok ?
		    "ok" : "BAD", im->init_size);
	if (im->code_type == ROM_CODE_EFI)
		rom_print_efi(&im->efi);
}

/* What precedes the ROM: a header, or the IFR area and FwSec images. */
static void
rom_print_prefix(const char *file, const struct rom_info *ri)
{
	const struct rom_prefix *p;
	size_t i;

	if (!ri->nv_flash)
		printf("leading header: %zu bytes (%s); remove it with: "
		    "ptvm rom trim %s OUT\n", ri->junk, ri->junk_kind, file);
	else
		printf("before the ROM: %zu bytes of %s (a full-flash dump); "
		    "the GPU's ROM starts at 0x%zx, where this tool cuts: "
		    "ptvm rom trim %s OUT\n", ri->junk, ri->junk_kind,
		    ri->junk, file);
	if (ri->nv_flash && ri->ifr_end > 0)
		printf("    IFR area at 0x0: %zu bytes\n", ri->ifr_end);
	for (i = 0; i < ri->npre; i++) {
		p = &ri->pre[i];
		printf("    %s image at 0x%zx: %04x:%04x, %zu bytes\n",
		    rom_code_type_desc(p->code_type), p->offset, p->vendor,
		    p->device, p->length);
	}
	if (ri->npre_more > 0)
		printf("    and %zu more image headers\n", ri->npre_more);
}

static void
rom_print_atom(const struct rom_atom *a)
{

	if (!a->present && !a->magic)
		return;
	printf("AMD ATOMBIOS:%s%s", a->ibm ? " IBM marker," : "",
	    a->magic ? " 761295520 marker" : "");
	if (!a->present) {
		printf(", no ATOM header\n");
		return;
	}
	printf(", ATOM header at 0x%zx\n", a->hdr);
	printf("    subsystem %04x:%04x%s\n", a->subvendor, a->subdevice,
	    a->subvendor == 0x1002 && a->subdevice == 0x1002 ?
	    " (generic: an APU or reference image)" : "");
	if (a->date[0] != '\0')
		printf("    build date %s\n", a->date);
	if (a->part[0] != '\0')
		printf("    part number %s, ASIC %s, %s, %s\n", a->part,
		    a->asic, a->bus, a->mem);
	if (a->name[0] != '\0')
		printf("    name %s\n", a->name);
}

struct rom_for {
	char		 name[64];
	struct pci_dev	 dev;		/* IDs only */
	struct rom_match m;
	uint16_t	 atom_subvendor;	/* the ROM's, when compared */
	uint16_t	 atom_subdevice;
};

static void
rom_print_for(const struct rom_for *f)
{

	printf("device %s: %04x:%04x subsystem %04x:%04x: ", f->name,
	    f->dev.vendor, f->dev.device, f->dev.subvendor, f->dev.subdevice);
	if (f->m.ids > 0)
		printf("NOT FOR THIS DEVICE: the ROM is for %04x:%04x\n",
		    f->m.vendor, f->m.device);
	else if (!f->m.stated)
		printf("the ROM names no vendor and device\n");
	else if (f->m.subsys > 0)
		printf("vendor and device match; the subsystem differs (ROM "
		    "%04x:%04x, board %04x:%04x; see the warning)\n",
		    f->atom_subvendor, f->atom_subdevice, f->dev.subvendor,
		    f->dev.subdevice);
	else
		printf("the ROM's IDs match\n");
}

static void
rom_print(const char *file, const struct rom_info *ri, const struct rom_tpu *t,
    const struct rom_for *f)
{
	size_t i;

	printf("%s: %zu bytes\n", file, ri->size);
	if (t != NULL)
		printf("file name (TechPowerUp): %s %s, %u MiB VRAM, "
		    "%04u-%02u-%02u; the VRAM size is the name's claim, a ROM "
		    "does not reliably say\n", t->vendor, t->model,
		    t->vram_mib, t->year, t->month, t->day);
	if (ri->junk > 0)
		rom_print_prefix(file, ri);
	for (i = 0; i < ri->nimg; i++)
		rom_print_image(ri, i);
	if (ri->trailing > 0)
		printf("after the last image: %zu bytes of %s\n", ri->trailing,
		    ri->trailing_padding ? "padding" : ri->nv_flash ?
		    "flash data (the rest of the flash, not the ROM)" : "data");
	rom_print_atom(&ri->atom);
	if (f != NULL)
		rom_print_for(f);
	if (f != NULL && f->m.ids > 0) {
		printf("verdict: not for this device (the ROM is for "
		    "%04x:%04x, the device is %04x:%04x)\n", f->m.vendor,
		    f->m.device, f->dev.vendor, f->dev.device);
		if (ri->usable)
			return;
		printf("and NOT usable by bhyve's UEFI\n");
	} else if (ri->usable) {
		printf("verdict: usable by bhyve's UEFI (X64 EFI image %d at "
		    "0x%zx)\n", ri->efi_x64, ri->img[ri->efi_x64].offset);
		return;
	} else
		printf("verdict: NOT usable by bhyve's UEFI\n");
	for (i = 0; i < ri->nreasons; i++)
		printf("  - %s\n", ri->reasons[i]);
}

static void
rom_json_efi(struct json *j, const struct rom_efi *e)
{

	json_obj(j, "efi");
	json_bool(j, "signature_ok", e->present);
	json_int(j, "subsystem", e->subsystem);
	json_hex(j, "machine_type", e->machine, 4);
	json_str(j, "machine", rom_efi_machine_name(e->machine));
	json_int(j, "compression", e->compression);
	json_hex(j, "image_offset", e->image_off, 4);
	json_bool(j, "mz", e->mz);
	json_bool(j, "loadable_x64", e->loadable);
	json_end(j);
}

static void
rom_json_image(struct json *j, const struct rom_image *im)
{
	size_t k;

	char desc[128];

	rom_image_desc(im, desc, sizeof(desc));
	json_obj(j, NULL);
	json_int(j, "offset", (long long)im->offset);
	json_int(j, "length", (long long)im->length);
	json_int(j, "code_type", im->code_type);
	json_str(j, "type", rom_code_type_name(im->code_type));
	json_str(j, "description", desc);
	json_str(j, "class_name", rom_class_name(im->class));
	json_str(j, "pcir", im->pcir_sig);
	json_int(j, "pcir_revision", im->pcir_rev);
	json_hex(j, "vendor_id", im->vendor, 4);
	json_hex(j, "device_id", im->device, 4);
	json_arr(j, "device_list");
	for (k = 0; k < im->ndevlist; k++)
		json_hex(j, NULL, im->devlist[k], 4);
	json_end(j);
	json_hex(j, "class", im->class, 6);
	json_bool(j, "last", im->last);
	json_bool(j, "firmware_visible", !im->hidden);
	json_bool(j, "truncated", im->truncated);
	if (im->npde) {
		json_obj(j, "npde");
		json_hex(j, "revision", im->npde_rev, 4);
		json_int(j, "length", (long long)im->npde_length);
		json_bool(j, "last", im->npde_last);
		json_end(j);
	}
	if (im->code_type == ROM_CODE_X86 && im->init_size > 0)
		json_bool(j, "checksum_ok", im->checksum_ok);
	if (im->code_type == ROM_CODE_EFI)
		rom_json_efi(j, &im->efi);
	json_end(j);
}

static void
rom_json_atom(struct json *j, const struct rom_atom *a)
{

	json_obj(j, "atom");
	json_bool(j, "ibm", a->ibm);
	json_bool(j, "magic", a->magic);
	json_bool(j, "header", a->present);
	if (a->present) {
		json_hex(j, "header_offset", a->hdr, 4);
		json_hex(j, "subsystem_vendor_id", a->subvendor, 4);
		json_hex(j, "subsystem_id", a->subdevice, 4);
		json_str(j, "date", a->date);
		json_str(j, "part_number", a->part);
		json_str(j, "asic", a->asic);
		json_str(j, "bus", a->bus);
		json_str(j, "memory", a->mem);
		json_str(j, "name", a->name);
	}
	json_end(j);
}

static void
rom_json_diags(struct json *j, struct diags *d)
{
	struct diag *x;

	json_arr(j, "diagnostics");
	STAILQ_FOREACH(x, &d->head, entry) {
		json_obj(j, NULL);
		json_str(j, "level", diag_level_name(x->level));
		if (x->offset >= 0)
			json_int(j, "offset", x->offset);
		json_str(j, "message", x->msg);
		json_end(j);
	}
	json_end(j);
}


static void
rom_json_for(struct json *j, const struct rom_for *f)
{

	json_obj(j, "for");
	json_str(j, "device", f->name);
	json_hex(j, "vendor_id", f->dev.vendor, 4);
	json_hex(j, "device_id", f->dev.device, 4);
	json_hex(j, "subsystem_vendor_id", f->dev.subvendor, 4);
	json_hex(j, "subsystem_id", f->dev.subdevice, 4);
	json_bool(j, "match", f->m.ids == 0 && f->m.subsys == 0);
	json_bool(j, "ids_match", f->m.ids == 0);
	json_bool(j, "subsystem_match", f->m.subsys == 0);
	if (f->m.stated) {
		json_hex(j, "rom_vendor_id", f->m.vendor, 4);
		json_hex(j, "rom_device_id", f->m.device, 4);
	}
	json_end(j);
}

static void
rom_json(const char *file, const struct rom_info *ri, const struct rom_tpu *t,
    const struct rom_for *f, struct diags *d)
{
	struct strbuf sb;
	struct json j;
	char date[16];
	size_t i;

	sb_init(&sb);
	json_init(&j, &sb);
	json_obj(&j, NULL);
	json_str(&j, "file", file);
	json_int(&j, "size", (long long)ri->size);
	json_int(&j, "leading_junk", (long long)ri->junk);
	json_str(&j, "leading_junk_kind", ri->junk_kind);
	json_bool(&j, "nvidia_flash", ri->nv_flash);
	if (ri->nv_flash)
		json_int(&j, "ifr_length", (long long)ri->ifr_end);
	json_arr(&j, "leading_images");
	for (i = 0; i < ri->npre; i++) {
		json_obj(&j, NULL);
		json_int(&j, "offset", (long long)ri->pre[i].offset);
		json_int(&j, "length", (long long)ri->pre[i].length);
		json_int(&j, "code_type", ri->pre[i].code_type);
		json_hex(&j, "vendor_id", ri->pre[i].vendor, 4);
		json_hex(&j, "device_id", ri->pre[i].device, 4);
		json_end(&j);
	}
	json_end(&j);
	json_arr(&j, "images");
	for (i = 0; i < ri->nimg; i++)
		rom_json_image(&j, &ri->img[i]);
	json_end(&j);
	json_int(&j, "trailing", (long long)ri->trailing);
	if (ri->atom.magic || ri->atom.present)
		rom_json_atom(&j, &ri->atom);
	if (t != NULL) {
		json_obj(&j, "techpowerup");
		json_str(&j, "vendor", t->vendor);
		json_str(&j, "model", t->model);
		json_int(&j, "vram_mib", t->vram_mib);
		(void)snprintf(date, sizeof(date), "%04u-%02u-%02u", t->year,
		    t->month, t->day);
		json_str(&j, "date", date);
		json_end(&j);
	}
	if (f != NULL)
		rom_json_for(&j, f);
	json_str(&j, "verdict", f != NULL && f->m.ids > 0 ?
	    "not for this device" : ri->usable ? "usable" : "not usable");
	json_bool(&j, "usable", ri->usable);
	json_arr(&j, "reasons");
	for (i = 0; i < ri->nreasons; i++)
		json_str(&j, NULL, ri->reasons[i]);
	json_end(&j);
	rom_json_diags(&j, d);
	json_end(&j);
	out_json(&sb);
	sb_free(&sb);
}

/* Compares with the device of --for, from the live or captured host. */
static int
rom_for(struct ptvm_ctx *ctx, const char *file, const char *sel,
    const struct rom_info *ri, struct rom_for *f)
{
	struct pci_list l;
	struct pci_dev *dev;
	char err[256];

	memset(f, 0, sizeof(*f));
	if (ctx_pci(ctx, &l) != 0) {
		pci_list_free(&l);
		return (-1);
	}
	if ((dev = pci_lookup(&l, sel, err, sizeof(err))) == NULL) {
		diag_add(&ctx->diags, DIAG_ERROR, NULL, 0, "%s", err);
		pci_list_free(&l);
		return (-1);
	}
	(void)rom_check_device(ri, dev, file, &f->m, &ctx->diags);
	f->atom_subvendor = ri->atom.subvendor;
	f->atom_subdevice = ri->atom.subdevice;
	pci_dev_name(dev, f->name, sizeof(f->name));
	f->dev.vendor = dev->vendor;
	f->dev.device = dev->device;
	f->dev.subvendor = dev->subvendor;
	f->dev.subdevice = dev->subdevice;
	pci_list_free(&l);
	return (0);
}

static const struct optdef rom_inspect_opts[] = {
	{ 'F', 0, "for", true, NULL },
	{ 'j', 0, "json", false, NULL },
	OPTDEF_END
};

int
cmd_rom_inspect(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct rom_info ri;
	struct rom_tpu t;
	struct rom_for f;
	const char *sel, *file;
	uint8_t *buf;
	size_t len;
	struct opts o;
	bool json, tpu;
	int ch, rc;

	sel = NULL;
	json = false;
	opt_init(&o, ctx->cmdname, argc, argv, rom_inspect_opts);
	while ((ch = opt_next(&o)) != OPT_END) {
		if (ch == 'F')
			sel = o.arg;
		else if (ch == 'j')
			json = true;
		else
			return (rom_usage(ctx, NULL, NULL));
	}
	if (opt_operands(&o, &argv) != 1)
		return (rom_usage(ctx, "one file expected%s", ""));
	file = argv[0];
	if (rom_read_file(ctx, file, &buf, &len) != 0)
		return (EXIT_FAIL);
	(void)rom_parse(buf, len, file, &ri, &ctx->diags);
	rom_release(buf, len);
	rc = ri.usable && ri.nerrors == 0 ? EXIT_OK : EXIT_FAIL;
	if (sel != NULL && rom_for(ctx, file, sel, &ri, &f) != 0)
		return (EXIT_FAIL);
	if (sel != NULL && f.m.ids > 0)
		rc = EXIT_FAIL;
	tpu = rom_tpu_name(file, &t) == 0;
	if (json) {
		rom_json(file, &ri, tpu ? &t : NULL, sel != NULL ? &f : NULL,
		    &ctx->diags);
		return (rc);
	}
	rom_print(file, &ri, tpu ? &t : NULL, sel != NULL ? &f : NULL);
	return (rc);
}

/*
 * -f only.  Returns the index of the first operand, with *argcp set to
 * the index past the last (the operands are argv[1] on), or -1 after
 * saying what was wrong and the usage.
 */
static int
rom_opt_force(struct ptvm_ctx *ctx, int *argcp, char **argv, bool *force)
{
	static const struct optdef defs[] = {
		{ 'f', 'f', "overwrite", false, NULL },
		OPTDEF_END
	};
	struct opts o;
	char **ops;
	int ch;

	*force = false;
	opt_init(&o, ctx->cmdname, *argcp, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		if (ch != 'f') {
			(void)rom_usage(ctx, NULL, NULL);
			return (-1);
		}
		*force = true;
	}
	*argcp = 1 + opt_operands(&o, &ops);
	return (1);
}

static bool
rom_same_file(const char *a, const char *b)
{
	struct host_stat sa, sb;

	return (LH->ops->lf_stat(LH, a, false, &sa) == 0 &&
	    LH->ops->lf_stat(LH, b, false, &sb) == 0 &&
	    sa.dev == sb.dev && sa.ino == sb.ino);
}

/* Checks a written ROM: it must start with a valid x86 image. */
static int
rom_check_written(struct ptvm_ctx *ctx, const char *path, const uint8_t *buf,
    size_t len, struct rom_info *ri)
{

	(void)rom_parse(buf, len, path, ri, &ctx->diags);
	if (ri->junk != 0 || ri->nvisible == 0 ||
	    ri->img[0].code_type != ROM_CODE_X86) {
		diag_add(&ctx->diags, DIAG_ERROR, path, 0, "the result does "
		    "not start with a valid x86 image");
		return (-1);
	}
	return (0);
}

int
cmd_rom_trim(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct rom_info ri;
	uint8_t *buf;
	size_t len, off;
	bool force;
	int i;

	if ((i = rom_opt_force(ctx, &argc, argv, &force)) < 0)
		return (EXIT_USAGE);
	if (argc - i != 2)
		return (rom_usage(ctx, "input and output files expected%s",
		    ""));
	if (rom_same_file(argv[i], argv[i + 1]))
		return (rom_usage(ctx, "the output must not be the input "
		    "(%s); trim never edits its input", argv[i]));
	if (rom_out_check(ctx, argv[i + 1], force) != 0)
		return (EXIT_FAIL);
	if (rom_read_file(ctx, argv[i], &buf, &len) != 0)
		return (EXIT_FAIL);
	if (rom_trim_offset(buf, len, &off) != 0) {
		diag_add(&ctx->diags, DIAG_ERROR, argv[i], 0, "no x86 image "
		    "with a valid PCIR on a 512-byte boundary: nothing that "
		    "trim can start the ROM at");
		rom_release(buf, len);
		return (EXIT_FAIL);
	}
	if (rom_check_written(ctx, argv[i + 1], buf + off, len - off,
	    &ri) != 0 || rom_write_file(ctx, argv[i + 1], buf + off, len - off,
	    force) != 0 || rom_verify_file(ctx, argv[i + 1], buf + off,
	    len - off) != 0) {
		rom_release(buf, len);
		return (EXIT_FAIL);
	}
	printf("%s: %zu bytes from offset 0x%zx of %s (%zu leading bytes "
	    "removed)\n", argv[i + 1], len - off, off, argv[i], off);
	printf("verdict: %s\n", ri.usable ? "usable by bhyve's UEFI" :
	    ri.nreasons > 0 ? ri.reasons[0] : "not usable");
	rom_release(buf, len);
	return (EXIT_OK);
}

static int
rom_mkdir(struct ptvm_ctx *ctx, const char *dir)
{
	int e;

	if ((e = LH->ops->lf_mkdir(LH, dir, 0755,
	    false)) == 0)
		return (0);
	diag_add(&ctx->diags, DIAG_ERROR, dir, 0, "%s", e == ENOTDIR ?
	    "exists and is not a directory" : strerror(e));
	return (-1);
}

/* Writes and inspects one VFCT image. */
static int
rom_extract_one(struct ptvm_ctx *ctx, const char *dir, const uint8_t *tbl,
    const struct vfct_image *im, size_t n, bool force)
{
	struct rom_info ri;
	char path[1024];
	int w;

	w = n == 0 ? snprintf(path, sizeof(path), "%s/vbios-%04x-%04x.rom",
	    dir, im->vendor, im->device) : snprintf(path, sizeof(path),
	    "%s/vbios-%04x-%04x-%zu.rom", dir, im->vendor, im->device, n);
	if (w < 0 || (size_t)w >= sizeof(path)) {
		diag_add(&ctx->diags, DIAG_ERROR, dir, 0, "path too long");
		return (-1);
	}
	if (rom_write_file(ctx, path, tbl + im->data, im->length, force) != 0)
		return (-1);
	printf("pci0:%u:%u:%u (bhyve %u/%u/%u): %04x:%04x subsystem "
	    "%04x:%04x, revision %u, %u bytes -> %s\n", im->bus, im->dev,
	    im->func, im->bus, im->dev, im->func, im->vendor, im->device,
	    im->subvendor, im->subdevice, im->revision, im->length, path);
	(void)rom_parse(tbl + im->data, im->length, path, &ri, &ctx->diags);
	printf("    verdict: %s\n", ri.usable ? "usable by bhyve's UEFI" :
	    ri.nreasons > 0 ? ri.reasons[0] : "not usable");
	return (0);
}

int
cmd_rom_extract(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct vfct_info vi;
	uint8_t *buf;
	size_t len, k, n, dup;
	bool force;
	int i, rc;

	if ((i = rom_opt_force(ctx, &argc, argv, &force)) < 0)
		return (EXIT_USAGE);
	if (argc - i != 2)
		return (rom_usage(ctx, "a VFCT table file and a "
		    "directory expected%s", ""));
	if (rom_read_file(ctx, argv[i], &buf, &len) != 0)
		return (EXIT_FAIL);
	if (vfct_parse(buf, len, argv[i], &vi, &ctx->diags) != 0 ||
	    rom_mkdir(ctx, argv[i + 1]) != 0) {
		rom_release(buf, len);
		return (EXIT_FAIL);
	}
	printf("%s: VFCT revision %u, OEM \"%s\" \"%s\", %zu image%s\n",
	    argv[i], vi.revision, vi.oem, vi.oem_table, vi.nimg,
	    vi.nimg == 1 ? "" : "s");
	for (rc = EXIT_OK, n = 0; n < vi.nimg; n++) {
		for (dup = 0, k = 0; k < n; k++)
			if (vi.img[k].vendor == vi.img[n].vendor &&
			    vi.img[k].device == vi.img[n].device)
				dup++;
		if (rom_extract_one(ctx, argv[i + 1], buf, &vi.img[n], dup,
		    force) != 0)
			rc = EXIT_FAIL;
	}
	rom_release(buf, len);
	return (rc);
}

static void
rom_dump_help(const char *sel)
{

	printf("ptvm did not read the ROM of %s (the reason is above).  "
	    "Other ways to get its VBIOS:\n"
	    "  - Windows: GPU-Z's \"Save BIOS\" button (then: ptvm rom "
	    "inspect FILE; ptvm rom trim FILE OUT if it has a header)\n"
	    "  - AMD integrated GPUs (APUs): the firmware's ACPI VFCT table:\n"
	    "        acpidump -b   (writes vfct.dat, among others)\n"
	    "        ptvm rom extract vfct.dat DIR\n"
	    "  - https://www.techpowerup.com/vgabios/: pick the same model, "
	    "PCI and subsystem IDs and VRAM size, then check it with:\n"
	    "        ptvm rom inspect --for %s FILE\n", sel, sel);
}

/*
 * rom dump writes the command register and the ROM BAR for the read:
 * only of a function on ppt(4) or without a driver (a host driver may be
 * using the device), that no running VM uses or may use.
 */
static int
rom_dump_allowed(struct ptvm_ctx *ctx, struct host *h, const struct pci_dev *d,
    const char *sel)
{
	char name[48];

	pci_dev_name(d, name, sizeof(name));
	if (!pci_is_ppt(d) && !pci_is_none(d)) {
		diag_err(&ctx->diags, NULL, 0, "%s is %s: rom dump turns on "
		    "the ROM decoder of a function only on ppt(4) or without "
		    "a driver, never under a host driver; bind it first "
		    "(ptvm bind %s)", sel, name, sel);
		return (-1);
	}
	return (life_free_of_vms(h, &d->sel, sel, name, "nothing was written",
	    &ctx->diags));
}

int
cmd_rom_dump(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct pci_list l;
	struct pci_dev *dev;
	struct host *h;
	uint8_t *buf;
	size_t len;
	char err[256];
	bool force;
	int i, e;

	if ((i = rom_opt_force(ctx, &argc, argv, &force)) < 0)
		return (EXIT_USAGE);
	if (argc - i != 2)
		return (rom_usage(ctx, "a selector and an output file "
		    "expected%s", ""));
	if (ctx_pci(ctx, &l) != 0 || ctx_host(ctx, &h) != 0) {
		pci_list_free(&l);
		rom_dump_help(argv[i]);
		return (EXIT_FAIL);
	}
	if ((dev = pci_lookup(&l, argv[i], err, sizeof(err))) == NULL) {
		diag_add(&ctx->diags, DIAG_ERROR, NULL, 0, "%s", err);
		pci_list_free(&l);
		return (EXIT_FAIL);
	}
	if (rom_out_check(ctx, argv[i + 1], force) != 0) {
		pci_list_free(&l);
		return (EXIT_FAIL);
	}
	if (rom_dump_allowed(ctx, h, dev, argv[i]) != 0) {
		pci_list_free(&l);
		return (EXIT_FAIL);
	}
	e = h->ops->rom_read(h, &dev->sel, &buf, &len, &ctx->diags);
	pci_list_free(&l);
	if (e != 0) {
		rom_dump_help(argv[i]);
		return (EXIT_FAIL);
	}
	e = rom_write_file(ctx, argv[i + 1], buf, len, force);
	free(buf);
	if (e != 0)
		return (EXIT_FAIL);
	printf("%s: %zu bytes read through the ROM BAR of %s (the command "
	    "register and the ROM BAR are back as they were); check it "
	    "with: ptvm rom inspect --for %s %s\n", argv[i + 1], len,
	    argv[i], argv[i], argv[i + 1]);
	return (EXIT_OK);
}
