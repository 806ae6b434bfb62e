/*
 * sys/pciio.h for the FreeBSD shim: the declarations of FreeBSD's
 * sys/sys/pciio.h (13.5 and 14) that host_freebsd.c uses, same shapes and
 * request numbers; host/shim/pci.c implements the ioctls.
 */
#ifndef PTVM_SHIM_SYS_PCIIO_H
#define PTVM_SHIM_SYS_PCIIO_H

#include <sys/ioctl.h>
#include <sys/types.h>

#include <stdint.h>

#define PCI_MAXNAMELEN	16

typedef enum {
	PCI_GETCONF_LAST_DEVICE,
	PCI_GETCONF_LIST_CHANGED,
	PCI_GETCONF_MORE_DEVS,
	PCI_GETCONF_ERROR
} pci_getconf_status;

typedef enum {
	PCI_GETCONF_NO_MATCH		= 0x0000,
	PCI_GETCONF_MATCH_DOMAIN	= 0x0001,
	PCI_GETCONF_MATCH_BUS		= 0x0002,
	PCI_GETCONF_MATCH_DEV		= 0x0004,
	PCI_GETCONF_MATCH_FUNC		= 0x0008,
	PCI_GETCONF_MATCH_NAME		= 0x0010,
	PCI_GETCONF_MATCH_UNIT		= 0x0020,
	PCI_GETCONF_MATCH_VENDOR	= 0x0040,
	PCI_GETCONF_MATCH_DEVICE	= 0x0080,
	PCI_GETCONF_MATCH_CLASS		= 0x0100
} pci_getconf_flags;

struct pcisel {
	uint32_t	pc_domain;
	uint8_t		pc_bus;
	uint8_t		pc_dev;
	uint8_t		pc_func;
};

struct pci_conf {
	struct pcisel	pc_sel;
	uint8_t		pc_hdr;
	uint16_t	pc_subvendor;
	uint16_t	pc_subdevice;
	uint16_t	pc_vendor;
	uint16_t	pc_device;
	uint8_t		pc_class;
	uint8_t		pc_subclass;
	uint8_t		pc_progif;
	uint8_t		pc_revid;
	char		pd_name[PCI_MAXNAMELEN + 1];
	unsigned long	pd_unit;
};

struct pci_match_conf {
	struct pcisel		pc_sel;
	char			pd_name[PCI_MAXNAMELEN + 1];
	unsigned long		pd_unit;
	uint16_t		pc_vendor;
	uint16_t		pc_device;
	uint8_t			pc_class;
	pci_getconf_flags	flags;
};

struct pci_conf_io {
	uint32_t		pat_buf_len;
	uint32_t		num_patterns;
	struct pci_match_conf	*patterns;
	uint32_t		match_buf_len;
	uint32_t		num_matches;
	struct pci_conf		*matches;
	uint32_t		offset;
	uint32_t		generation;
	pci_getconf_status	status;
};

struct pci_io {
	struct pcisel	pi_sel;
	int		pi_reg;
	int		pi_width;
	uint32_t	pi_data;
};

struct pci_bar_io {
	struct pcisel	pbi_sel;
	int		pbi_reg;
	int		pbi_enabled;
	uint64_t	pbi_base;
	uint64_t	pbi_length;
};

/* The request numbers: _IOWR('p', N, ...) as sys/pciio.h defines them. */
#define PCIOCGETCONF	_IOWR('p', 5, struct pci_conf_io)
#define PCIOCREAD	_IOWR('p', 2, struct pci_io)
#define PCIOCWRITE	_IOWR('p', 3, struct pci_io)
#define PCIOCATTACHED	_IOWR('p', 4, struct pci_io)
#define PCIOCGETBAR	_IOWR('p', 6, struct pci_bar_io)

#endif /* PTVM_SHIM_SYS_PCIIO_H */
