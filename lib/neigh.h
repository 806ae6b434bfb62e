/*
 * neigh.h: the host's neighbour tables, "arp -an" and "ndp -an"
 * (freebsd.md#A1, A2), and the MAC address bhyve gives a guest's NIC.
 * Pure: no OS calls, no printing.
 */
#ifndef PTVM_NEIGH_H
#define PTVM_NEIGH_H

#include "compat.h"
#include "diag.h"

#define NEIGH_MAX	4096
#define NEIGH_ADDRMAX	64

struct neigh {
	char		 addr[NEIGH_ADDRMAX];	/* 192.168.1.50, fe80::1%bridge0 */
	bool		 v6;
	uint8_t		 mac[6];
	char		 ifname[16];
	bool		 permanent;	/* the host's own address */
	unsigned	 line;
};

struct neigh_list {
	struct neigh	*n;
	size_t		 count;
};

void	neigh_init(struct neigh_list *);
void	neigh_free(struct neigh_list *);
/* "arp -an": "? (ADDR) at MAC on IF ..."; incomplete entries skipped. */
int	neigh_parse_arp(const char *, size_t, const char *, struct neigh_list *,
	    struct diags *);
/* "ndp -an": a header, then "ADDR MAC IF EXPIRE S FLAGS" rows. */
int	neigh_parse_ndp(const char *, size_t, const char *, struct neigh_list *,
	    struct diags *);
/* "58:9c:fc:0:0:1" or "58:9c:fc:00:00:01" into mac; -1 if not one. */
int	neigh_mac_parse(const char *, uint8_t *);
void	neigh_mac_fmt(const uint8_t *, char *, size_t);
/*
 * The MAC bhyve gives a NIC at PCI slot and func of VM name when the VM
 * file gives no mac= (freebsd.md#A3): 00:a0:98 and three bytes of an MD5.
 */
void	neigh_bhyve_mac(unsigned, unsigned, const char *, uint8_t *);

#endif /* PTVM_NEIGH_H */
