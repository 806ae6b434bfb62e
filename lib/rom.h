/*
 * rom.h: PCI option ROM (VBIOS) and ACPI VFCT parsing.  Pure functions over
 * buffers: no OS calls, no printing.  Every problem is a diagnostic located
 * by its byte offset in the file.
 */
#ifndef PTVM_ROM_H
#define PTVM_ROM_H

#include "compat.h"
#include "diag.h"
#include "pci.h"

/* Limits that keep hostile input bounded. */
#define ROM_MAXIMAGES	32
#define ROM_MAXDEVLIST	32
#define ROM_MAXREASONS	8
#define ROM_MAXPREFIX	8	/* image headers listed before the ROM */
/*
 * A header that precedes the ROM at an offset that is not a multiple of
 * 512 (nvflash, dump tools) ends within this many bytes; past them only
 * 512-byte boundaries are probed, so hostile input costs O(len / 512).
 */
#define ROM_SCAN_UNALIGNED	0x10000

/* PCI Firmware Specification 3.0 code types, plus NVIDIA's private ones. */
#define ROM_CODE_X86	0x00
#define ROM_CODE_OF	0x01
#define ROM_CODE_HPPA	0x02
#define ROM_CODE_EFI	0x03
#define ROM_CODE_NV70	0x70
#define ROM_CODE_NVE0	0xE0

/* EFI machine types (PE/COFF). */
#define ROM_EFI_IA32	0x014C
#define ROM_EFI_IA64	0x0200
#define ROM_EFI_EBC	0x0EBC
#define ROM_EFI_X64	0x8664
#define ROM_EFI_ARM	0x01C2
#define ROM_EFI_AA64	0xAA64
#define ROM_EFI_RV64	0x5064
#define ROM_EFI_LA64	0x6264

struct rom_efi {
	bool		 present;	/* the 0x0EF1 signature is there */
	uint16_t	 subsystem;	/* 10 application, 11 BS, 12 RT driver */
	uint16_t	 machine;
	uint16_t	 compression;	/* 0 none, 1 EFI compression */
	uint16_t	 image_off;	/* of the PE image, from the image */
	bool		 mz;		/* "MZ" found at image_off */
	bool		 loadable;	/* X64, driver, known compression, MZ */
};

struct rom_image {
	size_t		 offset;	/* from the start of the file */
	size_t		 length;	/* bytes, from the PCIR */
	uint16_t	 sig;		/* 0xAA55, 0xBB77 or 0x4E56 ("VN") */
	size_t		 pcir;		/* offset of the PCIR, from the file */
	char		 pcir_sig[5];	/* "PCIR" or "NPDS" */
	uint16_t	 vendor;
	uint16_t	 device;
	uint16_t	 devlist[ROM_MAXDEVLIST];
	size_t		 ndevlist;
	uint32_t	 class;		/* 0xCCSSPP */
	uint8_t		 pcir_rev;
	uint16_t	 code_rev;
	uint8_t		 code_type;
	bool		 last;		/* indicator bit 7 */
	bool		 truncated;	/* the file ends inside the image */
	bool		 hidden;	/* after the PCIR chain, found by NPDE */
	bool		 npde;		/* NVIDIA PCI data extension present */
	uint16_t	 npde_rev;
	size_t		 npde_length;	/* sub-image length, 512-byte units */
	bool		 npde_last;
	/* x86 images: checksum over the initialization size. */
	size_t		 init_size;
	bool		 checksum_ok;
	uint8_t		 checksum;	/* byte sum, 0 when good */
	struct rom_efi	 efi;
};

struct rom_atom {
	bool		 present;	/* "ATOM" found through 0x48 */
	bool		 ibm;		/* "IBM" at 0x1E */
	bool		 magic;		/* " 761295520" at 0x30 */
	size_t		 hdr;		/* ATOM ROM header, from the image */
	uint16_t	 subvendor;
	uint16_t	 subdevice;
	char		 date[16];	/* as in the ROM, MM/DD/YY HH:MM */
	char		 part[48];	/* the strings: part number, */
	char		 asic[48];	/* ASIC, */
	char		 bus[48];	/* bus type, */
	char		 mem[48];	/* memory type, */
	char		 name[80];	/* and the board name */
};

/* An image header found before the ROM (NVIDIA's IFR/FwSec flash area). */
struct rom_prefix {
	size_t		 offset;
	size_t		 length;	/* from its PCIR */
	uint8_t		 code_type;
	uint16_t	 vendor;
	uint16_t	 device;
};

struct rom_info {
	size_t		 size;
	size_t		 junk;		/* bytes before the first image */
	const char	*junk_kind;	/* NULL, or what they look like */
	bool		 nv_flash;	/* a full NVIDIA flash: IFR, FwSec, ROM */
	size_t		 ifr_end;	/* end of its IFR area (first FwSec) */
	struct rom_prefix pre[ROM_MAXPREFIX];	/* images before the ROM */
	size_t		 npre;
	size_t		 npre_more;	/* found past ROM_MAXPREFIX */
	size_t		 probes;	/* image headers tested (work bound) */
	struct rom_image img[ROM_MAXIMAGES];
	size_t		 nimg;
	size_t		 nvisible;	/* images the firmware sees */
	bool		 chain_ok;	/* walked to a last flag cleanly */
	size_t		 end;		/* end of the last image found */
	size_t		 trailing;	/* bytes after it */
	bool		 trailing_padding;	/* all 0x00 or all 0xFF */
	struct rom_atom	 atom;
	int		 efi_x64;	/* index of the X64 GOP image, or -1 */
	bool		 usable;	/* by bhyve's UEFI (EDK2 PciBusDxe) */
	const char	*reasons[ROM_MAXREASONS];	/* why not */
	size_t		 nreasons;
	int		 nerrors;	/* errors this parse reported */
};

/*
 * Parses an option ROM file.  Reports every problem in diags, located by
 * offset, and returns 0 when the ROM is usable by bhyve's UEFI, -1 when it
 * is not (info->reasons says why).
 */
int	rom_parse(const uint8_t *, size_t, const char *, struct rom_info *,
	    struct diags *);
const char *rom_code_type_name(uint8_t);
const char *rom_code_type_desc(uint8_t);
/* "display", "network", ... from the PCIR base class; NULL for 0. */
const char *rom_class_name(uint32_t);
/* "x86 PC-AT, display controller (legacy VGA BIOS)" and the like. */
void	rom_image_desc(const struct rom_image *, char *, size_t);
const char *rom_efi_machine_name(uint16_t);
const char *rom_efi_subsystem_name(uint16_t);
bool	rom_image_matches(const struct rom_image *, uint16_t, uint16_t);

/*
 * Compares a ROM with a device, as firmware would.  The IDs that count are
 * those of the firmware-visible x86 images: a legacy BIOS runs only the x86
 * image whose PCIR IDs are the device's (SeaBIOS src/optionroms.c
 * map_pcirom; FreeBSD's sys/compat/x86bios/x86bios.c x86bios_match_device
 * likewise); ptvm also accepts the PCI 3.0 device list and 0xFFFF.  Or
 * those of the EFI images when the ROM has no x86 image.  EDK2, bhyve's
 * UEFI, compares no IDs (MdeModulePkg/Bus/Pci/PciBusDxe/
 * PciOptionRomSupport.c LoadOpRomImage and ProcessOpRomImage, read at
 * tianocore/edk2 0176af14): an EFI image's 0000:0000 is never a mismatch,
 * and other IDs of an EFI image beside a matching x86 image are a warning.  An ID mismatch is an
 * error ("not for this device"); the ATOM subsystem IDs of a discrete AMD
 * board that differ are a warning with both values.  Returns m->ids.
 */
struct rom_match {
	int		 ids;		/* vendor/device mismatches: errors */
	int		 subsys;	/* subsystem mismatches: warnings */
	int		 efi_ids;	/* EFI images naming other IDs: warnings */
	bool		 stated;	/* some counted image names IDs */
	uint16_t	 vendor;	/* those of the first counted image */
	uint16_t	 device;
};
int	rom_check_device(const struct rom_info *, const struct pci_dev *,
	    const char *, struct rom_match *, struct diags *);

/*
 * Where "ptvm rom trim" starts: the first x86 image with a valid PCIR on a
 * 512-byte boundary (of the file or of the detected header's end).
 * Returns 0 and the offset, or -1 when there is none.
 */
int	rom_trim_offset(const uint8_t *, size_t, size_t *);

/* The TechPowerUp file name convention: Vendor.Model.<MiB>.<yymmdd>.rom */
struct rom_tpu {
	char		 vendor[32];
	char		 model[64];
	unsigned	 vram_mib;
	unsigned	 year;		/* 2000 + yy */
	unsigned	 month;
	unsigned	 day;
};
int	rom_tpu_name(const char *, struct rom_tpu *);

/* ACPI VFCT (AMD's VBIOS content table), as "acpidump -b" writes it. */
#define VFCT_MAXIMAGES	16
#define VFCT_HDRLEN	76	/* ACPI header + UUID + offsets */
#define VFCT_IMGHDRLEN	28

struct vfct_image {
	size_t		 offset;	/* of the image header */
	size_t		 data;		/* of the VBIOS bytes */
	uint32_t	 length;
	uint32_t	 bus;
	uint32_t	 dev;
	uint32_t	 func;
	uint16_t	 vendor;
	uint16_t	 device;
	uint16_t	 subvendor;
	uint16_t	 subdevice;
	uint32_t	 revision;
};

struct vfct_info {
	uint32_t	 length;	/* from the ACPI header */
	uint8_t		 revision;
	bool		 checksum_ok;
	char		 oem[7];
	char		 oem_table[9];
	struct vfct_image img[VFCT_MAXIMAGES];
	size_t		 nimg;
};

/* Returns 0 when the table is valid, -1 with diagnostics otherwise. */
int	vfct_parse(const uint8_t *, size_t, const char *, struct vfct_info *,
	    struct diags *);

#endif /* PTVM_ROM_H */
