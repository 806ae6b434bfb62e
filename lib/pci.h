/*
 * pci.h: the PCI device model, pciconf(8) output parsing, selectors, and
 * GPU grouping.  Pure functions over buffers: no OS calls, no printing.
 */
#ifndef PTVM_PCI_H
#define PTVM_PCI_H

#include "compat.h"
#include "diag.h"

#define PCI_NAMELEN	32	/* driver name, as in struct pci_conf */

/* A PCI function address.  With ARI, func may exceed 7 (slot is then 0). */
struct pci_sel {
	unsigned	domain;
	unsigned	bus;
	unsigned	slot;
	unsigned	func;
};

enum pcie_type {
	PCIE_NONE,		/* no PCI Express capability seen */
	PCIE_ENDPOINT,
	PCIE_LEGACY_ENDPOINT,
	PCIE_ROOT_PORT,
	PCIE_UPSTREAM_PORT,
	PCIE_DOWNSTREAM_PORT,
	PCIE_PCIE_PCI_BRIDGE,
	PCIE_PCI_PCIE_BRIDGE,
	PCIE_ROOT_ENDPOINT,
	PCIE_ROOT_EC,
	PCIE_OTHER,
};

struct pci_dev {
	struct pci_sel	 sel;
	char		 driver[PCI_NAMELEN];	/* "vgapci", "ppt", "none" */
	int		 unit;			/* -1 if none printed */
	uint32_t	 class;			/* 0xCCSSPP */
	uint8_t		 rev;
	uint8_t		 hdr;			/* header type, bit 7 = multi */
	uint16_t	 vendor;
	uint16_t	 device;
	uint16_t	 subvendor;
	uint16_t	 subdevice;
	char		*vendor_name;		/* NULL when not known */
	char		*device_name;
	char		*class_name;
	char		*subclass_name;
	bool		 caps_known;		/* capture had cap lines */
	bool		 msi;
	bool		 msix;
	bool		 flr;
	bool		 sriov;
	enum pcie_type	 pcie;
	unsigned	 line;			/* line in the capture, 0 live */
};

struct pci_list {
	struct pci_dev	*dev;
	size_t		 n;
	size_t		 cap;
};

/* Limits that keep hostile input bounded. */
#define PCI_MAXDEVS	65536

void	pci_list_init(struct pci_list *);
void	pci_list_free(struct pci_list *);
struct pci_dev *pci_list_add(struct pci_list *);
void	pci_list_sort(struct pci_list *);
int	pci_list_copy(struct pci_list *, const struct pci_list *);

/*
 * Parses the output of "pciconf -l", "-lv", "-lbcv" (new vendor= format or
 * the pre-13 card=/chip= format).  Returns 0 on success, -1 when the input
 * had errors (all reported in diags).
 */
int	pci_parse(const char *, size_t, const char *, struct pci_list *,
	    struct diags *);

/* Device predicates. */
bool	pci_is_bridge(const struct pci_dev *);
bool	pci_is_display(const struct pci_dev *);
bool	pci_is_ppt(const struct pci_dev *);
bool	pci_is_none(const struct pci_dev *);
const char *pci_pcie_type_name(enum pcie_type);
const char *pci_class_desc(uint32_t);

/* Selectors. */
enum pci_sel_form {
	SEL_BHYVE,		/* 6/0/0 */
	SEL_PCICONF,		/* pci0:6:0:0 */
};
int	pci_sel_parse(const char *, struct pci_sel *, char *, size_t);
bool	pci_sel_eq(const struct pci_sel *, const struct pci_sel *);
int	pci_sel_cmp(const struct pci_sel *, const struct pci_sel *);
void	pci_sel_fmt(const struct pci_sel *, enum pci_sel_form, char *, size_t);
void	pci_dev_name(const struct pci_dev *, char *, size_t);
/*
 * Resolves a selector written in any accepted form ("6/0/0", "pci0:6:0:0",
 * "pci6:0:0", "vgapci0") to a device of the list.  On failure returns NULL
 * and writes the reason to err.
 */
struct pci_dev *pci_lookup(struct pci_list *, const char *, char *, size_t);
struct pci_dev *pci_find(struct pci_list *, const struct pci_sel *);

/* GPU grouping. */
enum gpu_flag {
	GPU_CONSOLE		= 0x01,	/* drives the host console */
	GPU_CONSOLE_GUESS	= 0x02,	/* ... by the first-VGA rule only */
	GPU_BEHIND_SWITCH	= 0x04,	/* card has its own PCIe switch */
	GPU_PARTLY_PPT		= 0x08,	/* some functions on ppt, some not */
	GPU_ALL_PPT		= 0x10,	/* every recommended function on ppt */
	GPU_NO_MSI		= 0x20,	/* a function has neither MSI nor MSI-X */
	GPU_NONZERO_DOMAIN	= 0x40,	/* ppt and pptdevs ignore the domain */
};

struct gpu_group {
	size_t		 gpu;		/* index of the display function */
	size_t		*funcs;		/* every function of the slot */
	size_t		 nfuncs;
	size_t		*rec;		/* the functions to pass */
	size_t		 nrec;
	size_t		*bridges;	/* the card's switch bridges */
	size_t		 nbridges;
	unsigned	 flags;
};

struct gpu_list {
	struct gpu_group *g;
	size_t		 n;
};

/*
 * Groups the display functions of the list with their sibling functions
 * and recommends what to pass.  console_unit is the vgapci unit that
 * drives the console (hw.pci.default_vgapci_unit), or -1 when unknown.
 */
int	gpu_group(struct pci_list *, int, struct gpu_list *);
void	gpu_list_free(struct gpu_list *);
const char *gpu_func_role(const struct pci_dev *);
/* Whether a display function drives the console; guess: by rule only. */
bool	gpu_is_console(struct pci_list *, const struct pci_dev *, int, bool *);

#endif /* PTVM_PCI_H */
