/*
 * libFuzzer target: the base system's outputs that lib/hostuse.c reads
 * (kern.disks, camcontrol devlist -v, mount -p, zpool status -P,
 * swapctl -l, netstat -rn), from the input split at NUL bytes, one part
 * per parser in that order; then every function of a fixed host is
 * judged.  A verdict is one of three, and its texts end in the buffer.
 */
#include "compat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "hostuse.h"
#include "pci.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char host[] =
    "nvme0@pci0:1:0:0:\tclass=0x010802 rev=0x00 hdr=0x00 vendor=0x144d "
    "device=0xa808 subvendor=0x144d subdevice=0xa801\n"
    "ahci0@pci0:2:0:1:\tclass=0x010601 rev=0x51 hdr=0x00 vendor=0x1022 "
    "device=0x43c8 subvendor=0x1b21 subdevice=0x1062\n"
    "xhci0@pci0:2:0:0:\tclass=0x0c0330 rev=0x01 hdr=0x00 vendor=0x1022 "
    "device=0x43ee subvendor=0x1b21 subdevice=0x1142\n"
    "re0@pci0:39:0:0:\tclass=0x020000 rev=0x15 hdr=0x00 vendor=0x10ec "
    "device=0x8168 subvendor=0x1462 subdevice=0x7c37\n"
    "vgapci0@pci0:45:0:0:\tclass=0x030000 rev=0xc1 hdr=0x00 vendor=0x1002 "
    "device=0x731f subvendor=0x1002 subdevice=0x0b36\n";

/* The newbus parents of a few names; anything else has none. */
static int
parent(void *arg, const char *dev, char *par, size_t len)
{
	static const char *const map[][2] = {
		{ "ahcich0", "ahci0" }, { "umass-sim0", "umass0" },
		{ "umass0", "uhub0" }, { "uhub0", "usbus0" },
		{ "usbus0", "xhci0" },
	};
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], dev) == 0) {
			if (strlen(map[i][1]) >= len)
				return (ENAMETOOLONG);
			memcpy(par, map[i][1], strlen(map[i][1]) + 1);
			return (0);
		}
	return (ENOENT);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int (*const parse[])(struct hostuse *, const char *) = {
		hostuse_parse_disks, hostuse_parse_camcontrol,
		hostuse_parse_mount, hostuse_parse_zpool, hostuse_parse_swap,
		hostuse_parse_netstat,
	};
	struct pci_list pl;
	struct hostuse hu;
	struct hu_result r;
	struct diags d;
	const char *p, *end, *z;
	char *part;
	size_t i, n;

	diags_init(&d);
	memset(&pl, 0, sizeof(pl));
	if (pci_parse(host, sizeof(host) - 1, "host", &pl, &d) != 0)
		abort();
	diags_free(&d);
	hostuse_init(&hu);
	hu.parent = parent;
	p = (const char *)data;
	end = p + size;
	for (i = 0; i < sizeof(parse) / sizeof(parse[0]) && p <= end; i++) {
		z = memchr(p, '\0', (size_t)(end - p));
		n = z != NULL ? (size_t)(z - p) : (size_t)(end - p);
		if ((part = malloc(n + 1)) == NULL)
			break;
		memcpy(part, p, n);
		part[n] = '\0';
		(void)parse[i](&hu, part);
		free(part);
		p += n + 1;
	}
	for (i = 0; i < pl.n; i++) {
		memset(&r, 0, sizeof(r));
		hostuse_judge(&hu, &pl, &pl.dev[i], &r);
		if (r.v != HU_FREE && r.v != HU_USED && r.v != HU_UNKNOWN)
			abort();
		if (memchr(r.what, '\0', sizeof(r.what)) == NULL ||
		    memchr(r.why, '\0', sizeof(r.why)) == NULL)
			abort();
		if (r.v == HU_USED)
			(void)hostuse_loss(&r);
	}
	hostuse_free(&hu);
	pci_list_free(&pl);
	return (0);
}
