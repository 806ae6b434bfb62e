/*
 * dev/pci/pcireg.h for the FreeBSD shim: the registers and capability
 * IDs host_freebsd.c uses, values of FreeBSD's sys/dev/pci/pcireg.h.
 */
#ifndef PTVM_SHIM_PCIREG_H
#define PTVM_SHIM_PCIREG_H

#define PCIE_REGMAX		4095	/* highest config register */

#define PCIR_STATUS		0x06
#define PCIM_STATUS_CAPPRESENT	0x0010
#define PCIR_HDRTYPE		0x0e
#define PCIM_HDRTYPE		0x7f
#define PCIM_HDRTYPE_NORMAL	0x00
#define PCIM_HDRTYPE_BRIDGE	0x01
#define PCIM_HDRTYPE_CARDBUS	0x02
#define PCIR_CAP_PTR		0x34
#define PCIR_CAP_PTR_2		0x14

#define PCIY_MSI		0x05	/* Message Signaled Interrupts */
#define PCIY_EXPRESS		0x10	/* PCI Express */
#define PCIY_MSIX		0x11	/* MSI-X */

#define PCIR_EXTCAP		0x100
#define PCIM_EXTCAP_ID		0x0000ffff
#define PCIM_EXTCAP_NEXTPTR	0xfff00000
#define PCI_EXTCAP_ID(ecap)	((ecap) & PCIM_EXTCAP_ID)
#define PCI_EXTCAP_NEXTPTR(ecap) (((ecap) & PCIM_EXTCAP_NEXTPTR) >> 20)
#define PCIZ_SRIOV		0x0010	/* Single Root IO Virtualization */

#define PCIER_FLAGS		0x2
#define PCIEM_FLAGS_TYPE		0x00F0
#define PCIEM_TYPE_ENDPOINT		0x0000
#define PCIEM_TYPE_LEGACY_ENDPOINT	0x0010
#define PCIEM_TYPE_ROOT_PORT		0x0040
#define PCIEM_TYPE_UPSTREAM_PORT	0x0050
#define PCIEM_TYPE_DOWNSTREAM_PORT	0x0060
#define PCIEM_TYPE_PCI_BRIDGE		0x0070
#define PCIEM_TYPE_PCIE_BRIDGE		0x0080
#define PCIEM_TYPE_ROOT_INT_EP		0x0090
#define PCIEM_TYPE_ROOT_EC		0x00a0
#define PCIER_DEVICE_CAP	0x4
#define PCIEM_CAP_FLR			0x10000000

#endif /* PTVM_SHIM_PCIREG_H */
