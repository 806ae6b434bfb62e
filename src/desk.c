/*
 * desk.c: what else a desktop VM needs (issue 18).
 *
 * Sound: sound= gives the guest bhyve's HDA on the host's /dev/dspN
 * (freebsd.md#S1, S2); check reads /dev/sndstat and the device nodes.
 *
 * USB: bhyve passes whole controllers, never one USB device.  Each
 * controller (a PCI function of class 0x0c03) is matched to its usbusN
 * by dev.usbus.N.%parent (freebsd.md#U2), and the devices behind it come
 * from usbconfig (freebsd.md#U1), their ports from dev.DRV.N.%location
 * (freebsd.md#U3).  ptvm marks the controller with the host's keyboard,
 * the one with its boot disk (lib/hostuse.c), and those that share a
 * slot with other functions, and recommends one whose devices can all go.
 *
 * The guest's addresses and whether Sunshine answers come from the engine
 * (engine/desk.c); here they are shown.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "desk.h"
#include "host.h"
#include "hostuse.h"
#include "neigh.h"
#include "ptvm.h"
#include "sndstat.h"
#include "strbuf.h"
#include "tpm.h"
#include "usb.h"
#include "util.h"
#include "vmconf.h"

/* ---- sound ---- */

/* One direction of a sound device; *shared gets the pcm unit it shares. */
static void
chk_sound_path(struct host *h, const struct snd_list *sl, bool have_sl,
    const char *path, bool play, const struct snd_dev **shared,
    struct checks *cs)
{
	const struct snd_dev *sd;
	struct host_stat st;
	int e, u;

	if ((e = h->ops->file_stat(h, path, &st)) != 0) {
		check_add(cs, CHK_FAIL, "sound", "kldload snd_hda (or "
		    "snd_uaudio for a USB audio adapter), or give another "
		    "device in sound=", "%s: %s: no sound device to %s", path,
		    e == ENOENT ? "missing" : strerror(e), play ? "play on" :
		    "record from");
		return;
	}
	if (st.type != HOST_F_CHR) {
		check_add(cs, CHK_FAIL, "sound", "give a /dev/dspN device in "
		    "sound=", "%s is not a device", path);
		return;
	}
	if (!have_sl)
		return;
	u = snd_path_unit(path);
	sd = u == -2 ? snd_default(sl) : u >= 0 ? snd_unit(sl, u) : NULL;
	if (u == -1) {
		check_add(cs, CHK_WARN, "sound", "use /dev/dsp or /dev/dspN",
		    "%s is not a /dev/dspN device; ptvm cannot tell which "
		    "sound device it is", path);
		return;
	}
	if (sd == NULL) {
		check_add(cs, CHK_FAIL, "sound", "cat /dev/sndstat lists the "
		    "devices; give one of them in sound=", "%s: %s is not in "
		    "/dev/sndstat", path, u == -2 ? "the default unit" :
		    "its pcm unit");
		return;
	}
	if ((play && !sd->play) || (!play && !sd->rec)) {
		check_add(cs, CHK_FAIL, "sound", play ? "give a device that "
		    "plays in play=" : "give a device that records in rec=, "
		    "or leave rec= out", "%s is pcm%d <%s>, which cannot %s",
		    path, sd->unit, sd->desc, play ? "play" : "record");
		return;
	}
	check_add(cs, CHK_PASS, "sound", NULL, "%s is pcm%d <%s>, it %s", path,
	    sd->unit, sd->desc, play ? "plays" : "records");
	if (*shared == NULL || *shared != sd) {
		check_add(cs, CHK_WARN, "sound", "for a device of the guest's "
		    "own, pass a USB audio adapter's controller (ptvm devices "
		    "--usb), or stream the sound with Sunshine", "the guest "
		    "and the host share pcm%d <%s>: both %s it", sd->unit,
		    sd->desc, play ? "play through" : "record from");
		*shared = sd;
	}
}

static void
chk_sound(struct host *h, const struct vm *vm, struct checks *cs)
{
	const struct snd_dev *shared;
	struct host_stat st;
	struct snd_list *sl;
	struct diags d;
	char *s;
	size_t len;
	bool have;

	if (vm->sound_play == NULL && vm->sound_rec == NULL)
		return;
	if ((sl = calloc(1, sizeof(*sl))) == NULL)
		return;
	have = false;
	diags_init(&d);
	if (h->ops->tool_output(h, HT_SNDSTAT, &s, &len) == 0) {
		if (snd_parse(s, len, "/dev/sndstat", sl, &d) != 0)
			check_add(cs, CHK_FAIL, "sound", "report this with the "
			    "output of cat /dev/sndstat", "%s",
			    STAILQ_FIRST(&d.head) != NULL ?
			    STAILQ_FIRST(&d.head)->msg : "unreadable");
		else
			have = true;
		free(s);
	}
	diags_free(&d);
	if (have && sl->n == 0) {
		check_add(cs, CHK_FAIL, "sound", "kldload snd_hda (or "
		    "snd_uaudio for a USB audio adapter)", "no sound device: "
		    "/dev/sndstat lists none");
		free(sl);
		return;
	}
	if (!have && h->ops->file_stat(h, "/dev/sndstat", &st) == ENOENT) {
		/* sound(4) makes /dev/sndstat when it loads (S1). */
		check_add(cs, CHK_FAIL, "sound", "kldload snd_hda (or "
		    "snd_uaudio for a USB audio adapter)", "no sound device: "
		    "/dev/sndstat is missing, no sound driver is loaded");
		free(sl);
		return;
	}
	if (!have)
		check_add(cs, CHK_SKIP, "sound", NULL, "/dev/sndstat could "
		    "not be read: which sound devices the host has is "
		    "unknown");
	/* Both directions are checked; a device shared is said once. */
	shared = NULL;
	if (vm->sound_play != NULL)
		chk_sound_path(h, sl, have, vm->sound_play, true, &shared, cs);
	if (vm->sound_rec != NULL)
		chk_sound_path(h, sl, have, vm->sound_rec, false, &shared, cs);
	free(sl);
}

/* ---- USB controllers ---- */

struct uctl {
	const struct pci_dev *pd;
	char		 name[64];	/* xhci0 */
	int		 bus;		/* usbusN, -1 unknown */
	unsigned	 nkbd;		/* host keyboards on it */
	unsigned	 ndev;		/* devices other than hubs */
	struct hu_result hu;
	bool		 shared;	/* its slot has other functions */
	bool		 good;		/* all its devices can go */
};

struct umodel {
	struct usb_list	 ul;
	bool		 have_usb;	/* usbconfig was read */
	struct uctl	*c;
	size_t		 n;
	unsigned	 nkbd;		/* keyboards on every controller */
	int		 rec;		/* the recommended one, or -1 */
	char		 err[256];	/* usbconfig could not be read */
};

static bool
is_usb_ctl(const struct pci_dev *d)
{

	return ((d->class >> 8) == 0x0c03);
}

/* dev.DRV.N.%location's port=P of a device's first driver (U3). */
static int
usb_port(struct host *h, const struct usb_dev *dv, unsigned *hub)
{
	char name[64], *v, *p;
	size_t k;
	long long port, ha;
	int rc;

	if (dv->ndrv == 0)
		return (-1);
	for (k = 0; dv->drv[0][k] != '\0' && !(dv->drv[0][k] >= '0' &&
	    dv->drv[0][k] <= '9'); k++)
		;
	if (k == 0 || dv->drv[0][k] == '\0')
		return (-1);
	(void)snprintf(name, sizeof(name), "dev.%.*s.%s.%%location", (int)k,
	    dv->drv[0], dv->drv[0] + k);
	if (h->ops->sysctl_get(h, name, &v) != 0)
		return (-1);
	rc = -1;
	if ((p = strstr(v, "hubaddr=")) != NULL) {
		p += 8;
		p[strcspn(p, " ")] = '\0';
		if (util_strtonum(p, 0, 65535, &ha) == 0)
			*hub = (unsigned)ha;
		p += strlen(p) + 1;
		if ((p = strstr(p, "port=")) != NULL) {
			p += 5;
			p[strcspn(p, " ")] = '\0';
			if (util_strtonum(p, 0, 255, &port) == 0)
				rc = (int)port;
		}
	}
	free(v);
	return (rc);
}

static void
umodel_free(struct umodel *m)
{

	usb_free(&m->ul);
	free(m->c);
	memset(m, 0, sizeof(*m));
}

static int
umodel_build(struct host *h, const struct pci_list *pl, struct umodel *m)
{
	struct hostuse hu;
	struct diags d;
	const struct pci_dev *o;
	struct uctl *c;
	char name[64], *v, *s;
	size_t i, k, len;
	int b, pass;

	memset(m, 0, sizeof(*m));
	usb_init(&m->ul);
	m->rec = -1;
	diags_init(&d);
	if (h->ops->tool_output(h, HT_USBCONFIG, &s, &len) == 0) {
		if (usb_parse(s, len, "usbconfig", &m->ul, &d) == 0)
			m->have_usb = true;
		else
			(void)snprintf(m->err, sizeof(m->err), "%s",
			    STAILQ_FIRST(&d.head) != NULL ?
			    STAILQ_FIRST(&d.head)->msg : "unreadable");
		free(s);
	} else
		(void)snprintf(m->err, sizeof(m->err), "usbconfig's output "
		    "is not known (under -H: DIR/usbconfig.txt)");
	diags_free(&d);
	for (i = 0; i < pl->n; i++)
		if (is_usb_ctl(&pl->dev[i]))
			m->n++;
	if (m->n == 0)
		return (0);
	if ((m->c = calloc(m->n, sizeof(*m->c))) == NULL)
		return (ENOMEM);
	if (hostuse_read(h, &hu) != 0) {
		hostuse_free(&hu);
		return (ENOMEM);
	}
	for (i = 0, k = 0; i < pl->n; i++) {
		if (!is_usb_ctl(&pl->dev[i]))
			continue;
		c = &m->c[k++];
		c->pd = &pl->dev[i];
		c->bus = -1;
		if (c->pd->unit >= 0)
			(void)snprintf(c->name, sizeof(c->name), "%s%d",
			    c->pd->driver, c->pd->unit);
		else
			(void)strlcpy(c->name, c->pd->driver, sizeof(c->name));
		hostuse_judge(&hu, pl, c->pd, &c->hu);
		/* A usbus hangs off its controller (U2). */
		for (b = 0; c->pd->unit >= 0 && b < 64; b++) {
			(void)snprintf(name, sizeof(name),
			    "dev.usbus.%d.%%parent", b);
			if (h->ops->sysctl_get(h, name, &v) != 0)
				continue;
			if (strcmp(v, c->name) == 0)
				c->bus = b;
			free(v);
			if (c->bus >= 0)
				break;
		}
		for (o = pl->dev; o < pl->dev + pl->n; o++)
			if (o != c->pd && o->sel.domain == c->pd->sel.domain &&
			    o->sel.bus == c->pd->sel.bus &&
			    o->sel.slot == c->pd->sel.slot)
				c->shared = true;
		for (len = 0; c->bus >= 0 && len < m->ul.n; len++) {
			const struct usb_dev *dv = &m->ul.dev[len];

			if ((int)dv->bus != c->bus || usb_is_hub(dv))
				continue;
			c->ndev++;
			if (usb_is_keyboard(dv, m->ul.have_ifdrv))
				c->nkbd++;
		}
		m->nkbd += c->nkbd;
	}
	hostuse_free(&hu);
	/*
	 * All its devices can go: no host keyboard, no disk the host is
	 * known to use, its USB side known.  A controller alone in its slot
	 * first.
	 */
	for (i = 0; i < m->n; i++) {
		c = &m->c[i];
		c->good = m->have_usb && c->bus >= 0 && c->nkbd == 0 &&
		    c->hu.v != HU_USED;
	}
	for (pass = 0; pass < 2 && m->rec < 0; pass++)
		for (i = 0; i < m->n && m->rec < 0; i++)
			if (m->c[i].good && (pass == 1 || !m->c[i].shared))
				m->rec = (int)i;
	return (0);
}

/* The words of a controller's marks, "" when none. */
static void
uctl_marks(const struct umodel *m, const struct uctl *c,
    const struct pci_list *pl, struct strbuf *sb)
{
	const struct pci_dev *o;
	char sel[32];
	bool first;

	if (c->nkbd > 0)
		sb_printf(sb, "  ! the host's %skeyboard is on it\n",
		    c->nkbd == m->nkbd ? "only " : "");
	if (c->hu.v == HU_USED && c->hu.root)
		sb_printf(sb, "  ! the host's boot disk is on it: %s\n",
		    c->hu.what);
	else if (c->hu.v == HU_USED)
		sb_printf(sb, "  ! the host uses it: %s\n", c->hu.what);
	else if (c->hu.v == HU_UNKNOWN && !c->hu.soft)
		sb_printf(sb, "  ? the host may use it: %s\n", c->hu.why);
	if (c->shared) {
		sb_printf(sb, "  ! shares its slot with");
		first = true;
		for (o = pl->dev; o < pl->dev + pl->n; o++)
			if (o != c->pd && o->sel.domain == c->pd->sel.domain &&
			    o->sel.bus == c->pd->sel.bus &&
			    o->sel.slot == c->pd->sel.slot) {
				pci_sel_fmt(&o->sel, SEL_PCICONF, sel,
				    sizeof(sel));
				sb_printf(sb, "%s %s (%s)", first ? "" : ",",
				    sel, o->device_name != NULL ?
				    o->device_name : pci_class_desc(o->class));
				first = false;
			}
		sb_printf(sb, "\n");
	}
}

static void
usb_text(struct host *h, const struct pci_list *pl, const struct umodel *m)
{
	const struct uctl *c;
	const struct usb_dev *dv;
	struct strbuf sb;
	char sel[32], id[16], where[32], kind[24];
	unsigned hub;
	size_t i, k;
	int port;

	if (m->n == 0) {
		printf("No USB controller (PCI class 0x0c03) found.\n");
		return;
	}
	printf("USB controllers: bhyve passes a whole controller with "
	    "everything plugged into it, never one USB device.\n");
	if (!m->have_usb)
		printf("(the devices behind them are not known: %s)\n",
		    m->err);
	sb_init(&sb);
	for (i = 0; i < m->n; i++) {
		c = &m->c[i];
		pci_sel_fmt(&c->pd->sel, SEL_PCICONF, sel, sizeof(sel));
		printf("\n%s  %s  %s%s\n", sel, c->name,
		    c->pd->device_name != NULL ? c->pd->device_name :
		    "USB controller", (int)i == m->rec ? "  [recommended]" :
		    "");
		if (c->bus < 0)
			printf("  %s\n", pci_is_ppt(c->pd) ? "on ppt: its "
			    "devices are not the host's" : "no usbus of it "
			    "is known (dev.usbus.N.%parent)");
		else if (c->ndev == 0)
			printf("  usbus%d: nothing plugged in\n", c->bus);
		else
			printf("  usbus%d, %u device%s:\n", c->bus, c->ndev,
			    c->ndev == 1 ? "" : "s");
		for (k = 0; c->bus >= 0 && k < m->ul.n; k++) {
			dv = &m->ul.dev[k];
			if ((int)dv->bus != c->bus || usb_is_hub(dv))
				continue;
			if (dv->vendor >= 0)
				(void)snprintf(id, sizeof(id), "%04x:%04x",
				    dv->vendor, dv->product);
			else
				(void)strlcpy(id, "-", sizeof(id));
			hub = 0;
			port = usb_port(h, dv, &hub);
			if (port >= 0)
				(void)snprintf(where, sizeof(where), "port %d",
				    port);
			else
				(void)strlcpy(where, "port ?", sizeof(where));
			if (usb_is_keyboard(dv, m->ul.have_ifdrv))
				(void)strlcpy(kind, "keyboard", sizeof(kind));
			else if (usb_is_storage(dv))
				(void)strlcpy(kind, "storage", sizeof(kind));
			else if (dv->dclass >= 0)
				(void)snprintf(kind, sizeof(kind), "class %d",
				    dv->dclass);
			else
				(void)strlcpy(kind, "-", sizeof(kind));
			printf("    ugen%u.%u  %-9s  %-7s  %-9s  %s\n", dv->bus,
			    dv->addr, id, where, kind, dv->desc);
		}
		sb_reset(&sb);
		uctl_marks(m, c, pl, &sb);
		fputs(sb_str(&sb), stdout);
	}
	sb_free(&sb);
	printf("\n");
	if (m->rec >= 0) {
		c = &m->c[m->rec];
		pci_sel_fmt(&c->pd->sel, SEL_BHYVE, sel, sizeof(sel));
		printf("Recommended: %s (%s): nothing the host needs is on it; "
		    "in the VM file: passthru=%s\n", c->name, c->pd->device_name
		    != NULL ? c->pd->device_name : "USB", sel);
	} else
		printf("No controller can go whole: %s\n", !m->have_usb ?
		    "what is plugged into them is not known" : "each holds "
		    "the host's keyboard or disks, or is not known");
}

static void
usb_json(struct host *h, const struct pci_list *pl, const struct umodel *m)
{
	const struct uctl *c;
	const struct usb_dev *dv;
	const struct pci_dev *o;
	struct strbuf sb;
	struct json j;
	char sel[32];
	unsigned hub, d;
	size_t i, k;
	int port;

	sb_init(&sb);
	json_init(&j, &sb);
	json_obj(&j, NULL);
	json_bool(&j, "devices_known", m->have_usb);
	json_str(&j, "error", m->have_usb ? NULL : m->err);
	json_arr(&j, "controllers");
	for (i = 0; i < m->n; i++) {
		c = &m->c[i];
		json_obj(&j, NULL);
		pci_sel_fmt(&c->pd->sel, SEL_PCICONF, sel, sizeof(sel));
		json_str(&j, "selector", sel);
		pci_sel_fmt(&c->pd->sel, SEL_BHYVE, sel, sizeof(sel));
		json_str(&j, "passthru", sel);
		json_str(&j, "driver", c->name);
		json_str(&j, "device", c->pd->device_name);
		if (c->bus >= 0)
			json_int(&j, "usbus", c->bus);
		else
			json_null(&j, "usbus");
		json_bool(&j, "host_keyboard", c->nkbd > 0);
		json_bool(&j, "only_host_keyboard", c->nkbd > 0 &&
		    c->nkbd == m->nkbd);
		json_bool(&j, "boot_disk", c->hu.v == HU_USED && c->hu.root);
		json_str(&j, "host_use", c->hu.v == HU_USED ? "used" :
		    c->hu.v == HU_UNKNOWN ? "unknown" : "free");
		json_arr(&j, "shares_slot_with");
		for (o = pl->dev; o < pl->dev + pl->n; o++)
			if (o != c->pd && o->sel.domain == c->pd->sel.domain &&
			    o->sel.bus == c->pd->sel.bus &&
			    o->sel.slot == c->pd->sel.slot) {
				pci_sel_fmt(&o->sel, SEL_PCICONF, sel,
				    sizeof(sel));
				json_str(&j, NULL, sel);
			}
		json_end(&j);
		json_bool(&j, "recommended", (int)i == m->rec);
		json_arr(&j, "usb_devices");
		for (k = 0; c->bus >= 0 && k < m->ul.n; k++) {
			dv = &m->ul.dev[k];
			if ((int)dv->bus != c->bus || usb_is_hub(dv))
				continue;
			json_obj(&j, NULL);
			(void)snprintf(sel, sizeof(sel), "ugen%u.%u", dv->bus,
			    dv->addr);
			json_str(&j, "ugen", sel);
			json_str(&j, "description", dv->desc);
			if (dv->vendor >= 0) {
				json_hex(&j, "vendor", (unsigned long)dv->vendor,
				    4);
				json_hex(&j, "product",
				    (unsigned long)dv->product, 4);
				json_int(&j, "class", dv->dclass);
			} else {
				json_null(&j, "vendor");
				json_null(&j, "product");
				json_null(&j, "class");
			}
			hub = 0;
			if ((port = usb_port(h, dv, &hub)) >= 0)
				json_int(&j, "port", port);
			else
				json_null(&j, "port");
			json_arr(&j, "drivers");
			for (d = 0; d < dv->ndrv; d++)
				json_str(&j, NULL, dv->drv[d]);
			json_end(&j);
			json_bool(&j, "keyboard", usb_is_keyboard(dv,
			    m->ul.have_ifdrv));
			json_bool(&j, "storage", usb_is_storage(dv));
			json_end(&j);
		}
		json_end(&j);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	out_json(&sb);
	sb_free(&sb);
}

int
desk_devices_usb(struct ptvm_ctx *ctx, const struct pci_list *pl, bool json)
{
	struct umodel m;
	struct host *h;

	if (ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	if (umodel_build(h, pl, &m) != 0) {
		diag_err(&ctx->diags, NULL, 0, "out of memory");
		umodel_free(&m);
		return (EXIT_FAIL);
	}
	if (json)
		usb_json(h, pl, &m);
	else
		usb_text(h, pl, &m);
	umodel_free(&m);
	return (EXIT_OK);
}

/* A passed USB controller: what the host loses with it. */
static void
chk_usb(struct host *h, const struct vm_load *ld, struct checks *cs)
{
	const struct vm_dev *dv;
	const struct uctl *c;
	struct umodel m;
	char sel[32];
	size_t i, k;

	for (i = 0; i < ld->vm.ndev; i++) {
		dv = &ld->vm.dev[i];
		if (dv->kind != VMD_PASSTHRU)
			continue;
		for (k = 0; k < ld->pci.n; k++)
			if (pci_sel_eq(&ld->pci.dev[k].sel, &dv->host) &&
			    is_usb_ctl(&ld->pci.dev[k]))
				break;
		if (k < ld->pci.n)
			break;
	}
	if (i == ld->vm.ndev)
		return;
	if (umodel_build(h, &ld->pci, &m) != 0) {
		umodel_free(&m);
		return;
	}
	for (i = 0; i < ld->vm.ndev; i++) {
		dv = &ld->vm.dev[i];
		if (dv->kind != VMD_PASSTHRU)
			continue;
		for (k = 0; k < m.n; k++)
			if (pci_sel_eq(&m.c[k].pd->sel, &dv->host))
				break;
		if (k == m.n)
			continue;
		c = &m.c[k];
		pci_sel_fmt(&c->pd->sel, SEL_PCICONF, sel, sizeof(sel));
		if (!m.have_usb || (c->bus < 0 && !pci_is_ppt(c->pd)))
			check_add(cs, CHK_SKIP, "usb", NULL, "%s (%s): what is "
			    "plugged into it is not known%s%s", sel, c->name,
			    m.have_usb ? "" : ": ", m.have_usb ? "" : m.err);
		else if (c->nkbd > 0 && c->nkbd == m.nkbd)
			check_add(cs, CHK_WARN, "usb", "plug a keyboard into "
			    "another controller (ptvm devices --usb), or work "
			    "over ssh", "%s (%s) holds the host's only "
			    "keyboard: while the VM runs the host has none",
			    sel, c->name);
		else if (c->nkbd > 0)
			check_add(cs, CHK_PASS, "usb", NULL, "%s (%s) holds a "
			    "keyboard of the host; %u more are on other "
			    "controllers", sel, c->name, m.nkbd - c->nkbd);
		else
			check_add(cs, CHK_PASS, "usb", NULL, "%s (%s): no host "
			    "keyboard on it (%u device%s plugged in)", sel,
			    c->name, c->ndev, c->ndev == 1 ? "" : "s");
	}
	umodel_free(&m);
}

void
desk_check(struct ptvm_ctx *ctx, struct host *h, const struct vm_load *ld,
    struct checks *cs)
{

	(void)ctx;
	chk_sound(h, &ld->vm, cs);
	chk_usb(h, ld, cs);
	tpm_check(h, &ld->vm, cs);
}

/* ---- where the guest is (engine/desk.c finds it) ---- */

void
desk_status_text(struct host *h, const struct vm *vm, bool running)
{
	struct guest_addrs g;
	char mac[20];
	size_t i, k;

	for (k = 0; k < vm->ndev && vm->dev[k].kind != VMD_NET; k++)
		;
	if (k == vm->ndev)
		return;
	if (!running)
		return;
	eng_guest_addrs(h, vm, running, &g);
	for (i = 0; i < g.nl.count; i++)
		printf("  address  %s (%s, %s on %s)\n", g.nl.n[i].addr,
		    g.nl.n[i].v6 ? "IPv6" : "IPv4", (neigh_mac_fmt(g.nl.n[i].mac,
		    mac, sizeof(mac)), mac), g.nl.n[i].ifname);
	if (g.nl.count == 0) {
		neigh_mac_fmt(vm->dev[k].mac, mac, sizeof(mac));
		printf("  address  not known yet: the host's neighbour tables "
		    "have no entry for %s%s\n", mac, !g.have_arp ?
		    " (arp -an could not be read)" : running ? " (the guest "
		    "has not talked on the network yet)" : "");
	}
	if (vm->remote != VM_REMOTE_SUNSHINE) {
		eng_guest_addrs_free(&g);
		return;
	}
	if (g.answers == 1)
		printf("  stream   at %s (Moonlight: moonlight stream %s)\n",
		    g.probed, g.probed);
	else if (g.answers == 0)
		printf("  stream   Sunshine does not answer on %s port %d "
		    "(not started in the guest, or its firewall)\n",
		    g.probed, DESK_SUNSHINE_PORT);
	else
		printf("  stream   not known: %s\n", g.probe_why);
	eng_guest_addrs_free(&g);
}

void
desk_status_json(struct host *h, const struct vm *vm, bool running,
    struct json *j)
{
	struct guest_addrs g;
	char mac[20];
	size_t i;

	eng_guest_addrs(h, vm, running, &g);
	json_arr(j, "addresses");
	for (i = 0; i < g.nl.count; i++) {
		json_obj(j, NULL);
		json_str(j, "address", g.nl.n[i].addr);
		json_str(j, "family", g.nl.n[i].v6 ? "inet6" : "inet");
		neigh_mac_fmt(g.nl.n[i].mac, mac, sizeof(mac));
		json_str(j, "mac", mac);
		json_str(j, "interface", g.nl.n[i].ifname);
		json_end(j);
	}
	json_end(j);
	if (vm->remote == VM_REMOTE_SUNSHINE) {
		json_obj(j, "remote");
		json_str(j, "kind", "sunshine");
		json_int(j, "port", DESK_SUNSHINE_PORT);
		json_str(j, "address", g.answers >= 0 ? g.probed : g.v4 >= 0 ?
		    g.nl.n[g.v4].addr : NULL);
		if (g.answers >= 0) {
			json_bool(j, "answers", g.answers == 1);
			json_int(j, "probed_ago", g.age);
		} else {
			json_null(j, "answers");
			json_null(j, "probed_ago");
		}
		json_str(j, "why", g.answers >= 0 ? NULL : g.probe_why);
		json_end(j);
	} else
		json_null(j, "remote");
	eng_guest_addrs_free(&g);
}
