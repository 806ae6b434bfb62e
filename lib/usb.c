/*
 * usb.c: "usbconfig show_ifdrv dump_device_desc".
 *
 * freebsd.md#U1 (usr.sbin/usbconfig/usbconfig.c flush_command, dump.c
 * dump_device_info, dump_device_desc; lib/libusb/libusb20_ugen20.c):
 * for each device usbconfig prints
 *   "ugenB.A: <PRODUCT VENDOR> at usbusB, cfg=C md=M spd=S pwr=P (NmA)"
 * then, with show_ifdrv, one "ugenB.A.I: DRIVERn: <...>" per interface
 * that has a driver, then a blank line and the device descriptor as
 * "  NAME = 0xVALUE" lines, a string index followed by "  <string>",
 * then a blank line.  Older usbconfig prints the first line without the
 * ", cfg=" part; both are read.
 */
#include "compat.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usb.h"
#include "util.h"

void
usb_init(struct usb_list *l)
{

	memset(l, 0, sizeof(*l));
}

void
usb_free(struct usb_list *l)
{

	free(l->dev);
	memset(l, 0, sizeof(*l));
}

/* "<...>" at p: copies it (printable only) into out. */
static const char *
angle(const char *p, const char *end, char *out, size_t olen)
{
	const char *gt;
	size_t n, i;

	if (p >= end || *p != '<')
		return (NULL);
	for (gt = NULL, i = 1; p + i < end; i++)
		if (p[i] == '>')
			gt = p + i;
	if (gt == NULL)
		return (NULL);
	n = (size_t)(gt - p - 1);
	if (n >= olen)
		n = olen - 1;
	for (i = 0; i < n; i++)
		out[i] = isprint((unsigned char)p[1 + i]) ? p[1 + i] : '?';
	out[n] = '\0';
	return (gt + 1);
}

static struct usb_dev *
dev_find(struct usb_list *l, unsigned bus, unsigned addr)
{
	size_t i;

	for (i = l->n; i > 0; i--)
		if (l->dev[i - 1].bus == bus && l->dev[i - 1].addr == addr)
			return (&l->dev[i - 1]);
	return (NULL);
}

static int
hdr_line(const char *s, const char *end, const char *file, unsigned line,
    struct usb_list *l, struct usb_dev **cur, struct diags *d)
{
	const char *p;
	unsigned long bus, addr, ifn, b2;
	struct usb_dev *dv, *nd;
	char desc[USB_DESCMAX];
	size_t k;

	p = s + 4;
	if (util_parse_ulong_end(&p, end, 10, 65535, &bus) != 0 || p >= end ||
	    *p++ != '.' || util_parse_ulong_end(&p, end, 10, 65535,
	    &addr) != 0 || p >= end)
		goto bad;
	if (*p == '.') {
		/* "ugenB.A.I: DRIVERn: <...>": an interface's driver. */
		p++;
		if (util_parse_ulong_end(&p, end, 10, 255, &ifn) != 0 ||
		    p + 1 >= end || p[0] != ':' || p[1] != ' ')
			goto bad;
		p += 2;
		if ((dv = dev_find(l, (unsigned)bus, (unsigned)addr)) == NULL) {
			diag_err(d, file, line, "interface line of ugen%lu.%lu "
			    "before the device's own line", bus, addr);
			return (-1);
		}
		l->have_ifdrv = true;
		for (k = 0; p + k < end && k < USB_DRVMAX - 1 &&
		    (isalnum((unsigned char)p[k]) || p[k] == '_'); k++)
			;
		if (k == 0 || p + k >= end || p[k] != ':')
			goto bad;
		if (dv->ndrv < USB_MAXDRV) {
			memcpy(dv->drv[dv->ndrv], p, k);
			dv->drv[dv->ndrv][k] = '\0';
			dv->ndrv++;
		}
		return (0);
	}
	if (p + 1 >= end || p[0] != ':' || p[1] != ' ')
		goto bad;
	p += 2;
	if ((p = angle(p, end, desc, sizeof(desc))) == NULL)
		goto bad;
	if (end - p < 9 || strncmp(p, " at usbus", 9) != 0)
		goto bad;
	p += 9;
	if (util_parse_ulong_end(&p, end, 10, 65535, &b2) != 0 || b2 != bus)
		goto bad;
	/* dump_device_desc repeats the line of the device it dumps. */
	if ((dv = dev_find(l, (unsigned)bus, (unsigned)addr)) != NULL) {
		*cur = dv;
		return (0);
	}
	if (l->n == USB_MAXDEV) {
		diag_err(d, file, line, "more than %d USB devices", USB_MAXDEV);
		return (-1);
	}
	if ((nd = reallocarray(l->dev, l->n + 1, sizeof(*nd))) == NULL)
		return (-1);
	l->dev = nd;
	dv = &nd[l->n++];
	memset(dv, 0, sizeof(*dv));
	dv->bus = (unsigned)bus;
	dv->addr = (unsigned)addr;
	dv->dclass = dv->vendor = dv->product = -1;
	dv->line = line;
	(void)strlcpy(dv->desc, desc, sizeof(dv->desc));
	*cur = dv;
	return (0);
bad:
	diag_err(d, file, line, "\"%.*s\" is not a line of usbconfig "
	    "(ugenB.A: <description> at usbusB, ...)",
	    (int)(end - s > 60 ? 60 : end - s), s);
	return (-1);
}

static int
desc_line(const char *s, const char *end, const char *file, unsigned line,
    struct usb_dev *dv, struct diags *d)
{
	const char *p, *k;
	unsigned long v;
	size_t kl;

	for (p = s; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	k = p;
	while (p < end && isalnum((unsigned char)*p))
		p++;
	kl = (size_t)(p - k);
	if (kl == 0 || end - p < 3 || strncmp(p, " = ", 3) != 0)
		return (0);	/* not a descriptor field: ignored */
	p += 3;
	if (end - p < 3 || p[0] != '0' || p[1] != 'x' ||
	    (p += 2, util_parse_ulong_end(&p, end, 16, 0xffff, &v) != 0)) {
		diag_err(d, file, line, "%.*s: the value is not 0xNNNN",
		    (int)kl, k);
		return (-1);
	}
	if (dv == NULL) {
		diag_err(d, file, line, "descriptor field %.*s before any "
		    "ugenB.A line", (int)kl, k);
		return (-1);
	}
#define	IS(n)	(kl == sizeof(n) - 1 && strncmp(k, n, kl) == 0)
	if (IS("bDeviceClass"))
		dv->dclass = (int)(v & 0xff);
	else if (IS("idVendor"))
		dv->vendor = (int)v;
	else if (IS("idProduct"))
		dv->product = (int)v;
	else if (IS("iManufacturer") || IS("iProduct")) {
		while (p < end && *p == ' ')
			p++;
		(void)angle(p, end, IS("iProduct") ? dv->product_name :
		    dv->manufacturer, USB_DESCMAX);
	}
#undef IS
	return (0);
}

int
usb_parse(const char *buf, size_t len, const char *file, struct usb_list *l,
    struct diags *d)
{
	const char *p, *end, *nl, *le;
	struct usb_dev *cur;
	unsigned line;

	cur = NULL;
	for (p = buf, end = buf + len, line = 1; p < end; p = nl + 1, line++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		le = nl;
		while (le > p && (le[-1] == ' ' || le[-1] == '\r'))
			le--;
		if (memchr(p, '\0', (size_t)(nl - p)) != NULL) {
			diag_err(d, file, line, "a NUL byte; this is not "
			    "usbconfig's output");
			return (-1);
		}
		if (le == p)
			continue;
		if (le - p > 4 && strncmp(p, "ugen", 4) == 0 &&
		    isdigit((unsigned char)p[4])) {
			if (hdr_line(p, le, file, line, l, &cur, d) != 0)
				return (-1);
			continue;
		}
		if (*p == ' ' || *p == '\t') {
			if (desc_line(p, le, file, line, cur, d) != 0)
				return (-1);
			continue;
		}
		/* "No device match or lack of permissions.": none. */
	}
	return (0);
}

bool
usb_is_root_hub(const struct usb_dev *dv)
{

	return (dv->addr == 1);
}

static bool
has_drv(const struct usb_dev *dv, const char *name)
{
	size_t n;
	unsigned i;

	n = strlen(name);
	for (i = 0; i < dv->ndrv; i++)
		if (strncmp(dv->drv[i], name, n) == 0 &&
		    isdigit((unsigned char)dv->drv[i][n]))
			return (true);
	return (false);
}

bool
usb_is_hub(const struct usb_dev *dv)
{

	return (dv->dclass == 9 || has_drv(dv, "uhub"));
}

static bool
says(const char *s, const char *w)
{
	size_t n, i, k;

	n = strlen(w);
	for (i = 0; s[i] != '\0'; i++) {
		for (k = 0; k < n && s[i + k] != '\0' &&
		    tolower((unsigned char)s[i + k]) == w[k]; k++)
			;
		if (k == n)
			return (true);
	}
	return (false);
}

bool
usb_is_keyboard(const struct usb_dev *dv, bool have_ifdrv)
{

	if (has_drv(dv, "ukbd"))
		return (true);
	return (!have_ifdrv && !usb_is_hub(dv) && says(dv->desc, "keyboard"));
}

bool
usb_is_storage(const struct usb_dev *dv)
{

	return (has_drv(dv, "umass"));
}

int
usb_bus_of(const char *s)
{
	const char *p;
	unsigned long v;

	if (strncmp(s, "usbus", 5) != 0)
		return (-1);
	p = s + 5;
	if (util_parse_ulong(&p, 10, 65535, &v) != 0 || *p != '\0')
		return (-1);
	return ((int)v);
}
