/*
 * bhyvekeys.h: the configuration variables bhyve(8) of FreeBSD 14 and 15
 * knows, each with the type of its value, and a checker that holds a
 * struct bcfg against them.
 *
 * Keys beginning with "bhyve." are the caller's (ptvm strips the prefix
 * and passes the rest unchecked); they never reach this module.
 */
#ifndef PTVM_BHYVEKEYS_H
#define PTVM_BHYVEKEYS_H

#include "compat.h"
#include "bcfg.h"
#include "diag.h"

enum bhyve_ktype {
	BK_STRING,	/* anything; max = longest length, 0: unlimited */
	BK_BOOL,	/* true/false/on/off/yes/no/1/0, any case */
	BK_INT,		/* strtol(3) syntax, min..max */
	BK_SIZE,	/* memory size: N or N[kmgtpe], any case */
	BK_HEXHOST,	/* pcireg.*: a hexadecimal number or "host" */
	BK_HEX,		/* pcireg.* where "host" means nothing (hostbridge) */
	BK_CPUSET,	/* vcpu.N.cpuset: N[-M][,N[-M]]... */
	BK_PATH,	/* a file bhyve opens: absolute path */
	BK_ENUM,	/* one of the words in .words ("a|b|c") */
	BK_MAC,		/* unicast xx:xx:xx:xx:xx:xx */
	BK_UUID,	/* 8-4-4-4-12 hexadecimal */
	BK_TCPADDR,	/* [IPv4:]port or [IPv6%zone]:port */
	BK_SECTORSIZE,	/* logical[/physical], powers of two >= 512 */
	BK_TTY,		/* serial backend: stdio, /dev/..., tcp=IP:port */
	BK_PPTDEV,	/* pptN */
	BK_DEVICE,	/* pci.B.S.F.device: a device model */
	BK_USBDEV,	/* xhci slot.N.device: a USB device model */
};

/* Device models, as the "device" variable of a PCI slot names them. */
#define BD_HOSTBRIDGE	0x00001u
#define BD_LPC		0x00002u
#define BD_PASSTHRU	0x00004u
#define BD_NVME		0x00008u
#define BD_AHCI		0x00010u
#define BD_VIRTIO_BLK	0x00020u
#define BD_VIRTIO_NET	0x00040u
#define BD_E1000	0x00080u
#define BD_FBUF		0x00100u
#define BD_XHCI		0x00200u
#define BD_VIRTIO_RND	0x00400u
#define BD_VIRTIO_CON	0x00800u
#define BD_VIRTIO_9P	0x01000u
#define BD_VIRTIO_SCSI	0x02000u
#define BD_VIRTIO_INPUT	0x04000u
#define BD_HDA		0x08000u
#define BD_UART		0x10000u
#define BD_ALL		0x1ffffu
#define BD_BLOCK	(BD_NVME | BD_VIRTIO_BLK)	/* blockif on the node */
#define BD_NET		(BD_VIRTIO_NET | BD_E1000)

/* Key flags. */
#define BKF_15		0x01u	/* FreeBSD 15 and later only */
#define BKF_14		0x02u	/* FreeBSD 14 only (gone or changed in 15) */

/*
 * A key pattern: components separated by dots, where "#" stands for a
 * decimal number.  Global keys have devs == 0; device keys are relative
 * to "pci.B.S.F." and apply to the models in devs.
 */
struct bhyve_key {
	const char	*pattern;
	enum bhyve_ktype type;
	long long	 min;
	long long	 max;
	const char	*words;		/* BK_ENUM */
	unsigned	 devs;
	unsigned	 flags;
};

/* bhyve_keys_check() flags: which bhyve to hold the file against. */
#define BHYVE_KEYS_14	0x01	/* refuse keys only 15 knows */
#define BHYVE_KEYS_15	0x02	/* refuse keys 15 dropped */

/*
 * Checks every variable of cfg: unknown keys (with a suggestion), device
 * keys against the model of their slot, slots without a model, values by
 * type, and each model's required keys.  All problems are reported, each
 * at its variable's origin.  Returns the number of errors, -1 on ENOMEM.
 */
int	bhyve_keys_check(const struct bcfg *, int, struct diags *);
/*
 * The table entry for key as cfg would use it (a device key resolves
 * against cfg's pci.B.S.F.device), or NULL if bhyve does not know it.
 */
const struct bhyve_key *bhyve_key_lookup(const struct bcfg *, const char *);
enum bhyve_ktype bhyve_key_type(const struct bhyve_key *);
const char *bhyve_ktype_name(enum bhyve_ktype);
/* Whether name is a PCI emulation -s accepts (aliases included). */
bool	bhyve_device_known(const char *);
/* Whether name may stand as pci.B.S.F.device in a configuration. */
bool	bhyve_device_model(const char *);
/*
 * Checks one value against a key's type; NULL when fine, otherwise what
 * was expected, written to buf.
 */
const char *bhyve_value_problem(const struct bhyve_key *, const char *,
	    char *, size_t);
/* The whole table, for tests and generators. */
const struct bhyve_key *bhyve_keys_table(size_t *);
/* The name of a BD_ bit (one bit), "hostbridge" for BD_HOSTBRIDGE. */
const char *bhyve_device_name(unsigned);

#endif /* PTVM_BHYVEKEYS_H */
