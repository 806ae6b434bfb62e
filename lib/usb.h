/*
 * usb.h: the USB devices of "usbconfig show_ifdrv dump_device_desc"
 * (freebsd.md#U1) and what they tell about a controller a VM could take.
 * Pure: no OS calls, no printing.
 */
#ifndef PTVM_USB_H
#define PTVM_USB_H

#include "compat.h"
#include "diag.h"

#define USB_MAXDEV	512
#define USB_DESCMAX	128
#define USB_MAXDRV	8
#define USB_DRVMAX	24

/* One ugenB.A device. */
struct usb_dev {
	unsigned	 bus;		/* usbusB */
	unsigned	 addr;
	char		 desc[USB_DESCMAX];	/* "<...>" of its first line */
	char		 drv[USB_MAXDRV][USB_DRVMAX];	/* "ukbd0", per iface */
	unsigned	 ndrv;
	int		 dclass;	/* bDeviceClass; -1 not dumped */
	int		 vendor;	/* idVendor; -1 not dumped */
	int		 product;
	char		 manufacturer[USB_DESCMAX];	/* iManufacturer's */
	char		 product_name[USB_DESCMAX];	/* iProduct's */
	unsigned	 line;
};

struct usb_list {
	struct usb_dev	*dev;
	size_t		 n;
	bool		 have_ifdrv;	/* show_ifdrv lines were seen */
};

void	usb_init(struct usb_list *);
void	usb_free(struct usb_list *);
/*
 * Parses the text.  -1 with a located error on a line ptvm cannot read
 * (what was read before stays in the list).
 */
int	usb_parse(const char *, size_t, const char *, struct usb_list *,
	    struct diags *);
/* The root hub of a bus: address 1 (the controller itself). */
bool	usb_is_root_hub(const struct usb_dev *);
/* A hub (bDeviceClass 9, or a uhub driver). */
bool	usb_is_hub(const struct usb_dev *);
/*
 * A keyboard: an interface attached to ukbd(4), or, without show_ifdrv
 * lines, a description that says "keyboard".
 */
bool	usb_is_keyboard(const struct usb_dev *, bool);
/* A mass storage device: an interface on umass(4). */
bool	usb_is_storage(const struct usb_dev *);
/* "0x046d" -> 0x46d etc.; the usbus unit of "usbus3" (-1 if not one). */
int	usb_bus_of(const char *);

#endif /* PTVM_USB_H */
