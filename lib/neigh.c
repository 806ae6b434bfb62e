/*
 * neigh.c: "arp -an" and "ndp -an".
 *
 * freebsd.md#A1: arp's print_entry() (usr.sbin/arp/arp.c, and
 * arp_netlink.c on 14) prints "{hostname} ({ip-address}) at " ("?" for the
 * host name with -n), then ether_ntoa() of the MAC or "(incomplete)",
 * " on IFNAME", then " permanent" or " expires in N seconds" or
 * " expired", and more flags.  freebsd.md#A2: ndp's dump() prints a
 * header "Neighbor  Linklayer Address  Netif Expire S Flags", then per
 * entry the address (a link-local one with "%IFNAME"), the link-layer
 * address or "(incomplete)", the interface, the expiry ("permanent" for
 * the host's own), the state letter and the flags, separated by blanks.
 */
#include "compat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "md5.h"

#include "neigh.h"
#include "util.h"

void
neigh_init(struct neigh_list *l)
{

	memset(l, 0, sizeof(*l));
}

void
neigh_free(struct neigh_list *l)
{

	free(l->n);
	memset(l, 0, sizeof(*l));
}

int
neigh_mac_parse(const char *s, uint8_t *mac)
{
	const char *p;
	unsigned long v;
	int i;

	for (p = s, i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)*p))
			return (-1);
		if (util_parse_ulong(&p, 16, 0xff, &v) != 0)
			return (-1);
		mac[i] = (uint8_t)v;
		if (i < 5 && *p++ != ':')
			return (-1);
	}
	return (*p == '\0' ? 0 : -1);
}

void
neigh_mac_fmt(const uint8_t *m, char *buf, size_t len)
{

	(void)snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1],
	    m[2], m[3], m[4], m[5]);
}

/*
 * freebsd.md#A3: bhyve's net_genmac() (usr.sbin/bhyve/net_utils.c), for a
 * virtio-net or e1000 NIC without mac=: NetApp's OUI 00:a0:98, then the
 * first three bytes of the MD5 of "SLOT-FUNC-VMNAME" (the NIC's PCI slot
 * and function in decimal, not its bus).
 */
void
neigh_bhyve_mac(unsigned slot, unsigned func, const char *name,
    uint8_t *mac)
{
	uint8_t d[MD5_LEN];
	char s[128];
	int n;

	n = snprintf(s, sizeof(s), "%u-%u-%s", slot, func, name);
	/* bhyve's buffer is 80 bytes: a longer string is cut there too. */
	if (n < 0)
		n = 0;
	md5_digest(s, (size_t)n < 79 ? (size_t)n : 79, d);
	mac[0] = 0x00;
	mac[1] = 0xa0;
	mac[2] = 0x98;
	mac[3] = d[0];
	mac[4] = d[1];
	mac[5] = d[2];
}

static int
add(struct neigh_list *l, const char *addr, size_t al, bool v6,
    const uint8_t *mac, const char *ifn, size_t il, bool perm, unsigned line)
{
	struct neigh *nn, *x;

	if (l->count == NEIGH_MAX)
		return (-1);
	if ((nn = reallocarray(l->n, l->count + 1, sizeof(*nn))) == NULL)
		return (-1);
	l->n = nn;
	x = &nn[l->count++];
	memset(x, 0, sizeof(*x));
	memcpy(x->addr, addr, al < sizeof(x->addr) ? al : sizeof(x->addr) - 1);
	memcpy(x->ifname, ifn, il < sizeof(x->ifname) ? il :
	    sizeof(x->ifname) - 1);
	memcpy(x->mac, mac, 6);
	x->v6 = v6;
	x->permanent = perm;
	x->line = line;
	return (0);
}

/* The next blank-separated word of [*p, end). */
static bool
word(const char **p, const char *end, const char **w, size_t *wl)
{

	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	*w = *p;
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	*wl = (size_t)(*p - *w);
	return (*wl > 0);
}

static bool
addr_chars(const char *s, size_t n, bool v6)
{
	size_t i;

	if (n == 0 || n >= NEIGH_ADDRMAX)
		return (false);
	for (i = 0; i < n; i++) {
		if (v6 && s[i] == '%')
			return (i > 0);	/* the scope: an interface name */
		if (!(isxdigit((unsigned char)s[i]) || s[i] == '.' ||
		    (v6 && s[i] == ':')))
			return (false);
	}
	return (true);
}

static int
mac_word(const char *w, size_t wl, uint8_t *mac)
{
	char buf[32];

	if (wl >= sizeof(buf))
		return (-1);
	memcpy(buf, w, wl);
	buf[wl] = '\0';
	return (neigh_mac_parse(buf, mac));
}

int
neigh_parse_arp(const char *buf, size_t len, const char *file,
    struct neigh_list *l, struct diags *d)
{
	const char *p, *end, *nl, *q, *w, *lp, *rp;
	uint8_t mac[6];
	size_t wl;
	unsigned line;

	for (p = buf, end = buf + len, line = 1; p < end; p = nl + 1, line++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (memchr(p, '\0', (size_t)(nl - p)) != NULL) {
			diag_err(d, file, line, "a NUL byte; this is not arp's "
			    "output");
			return (-1);
		}
		if (nl == p)
			continue;
		q = p;
		if (!word(&q, nl, &w, &wl) || q >= nl || (lp = memchr(q, '(',
		    (size_t)(nl - q))) == NULL || (rp = memchr(lp, ')',
		    (size_t)(nl - lp))) == NULL || !addr_chars(lp + 1,
		    (size_t)(rp - lp - 1), false) || nl - rp < 5 ||
		    strncmp(rp, ") at ", 5) != 0) {
			diag_err(d, file, line, "\"%.*s\" is not a line of arp "
			    "-an (? (ADDRESS) at MAC on INTERFACE ...)",
			    (int)(nl - p > 60 ? 60 : nl - p), p);
			return (-1);
		}
		q = rp + 5;
		if (!word(&q, nl, &w, &wl))
			continue;
		if (mac_word(w, wl, mac) != 0)
			continue;	/* (incomplete), or not Ethernet */
		lp++;
		if (!word(&q, nl, &w, &wl) || wl != 2 || strncmp(w, "on", 2) !=
		    0 || !word(&q, nl, &w, &wl))
			continue;
		if (add(l, lp, (size_t)(rp - lp), false, mac, w, wl,
		    util_memmem(q, (size_t)(nl - q), "permanent", 9) != NULL,
		    line) != 0) {
			diag_err(d, file, line, "more than %d neighbours",
			    NEIGH_MAX);
			return (-1);
		}
	}
	return (0);
}

int
neigh_parse_ndp(const char *buf, size_t len, const char *file,
    struct neigh_list *l, struct diags *d)
{
	const char *p, *end, *nl, *q, *a, *m, *i, *x;
	uint8_t mac[6];
	size_t al, ml, il, xl;
	unsigned line;

	for (p = buf, end = buf + len, line = 1; p < end; p = nl + 1, line++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (memchr(p, '\0', (size_t)(nl - p)) != NULL) {
			diag_err(d, file, line, "a NUL byte; this is not ndp's "
			    "output");
			return (-1);
		}
		q = p;
		if (!word(&q, nl, &a, &al))
			continue;
		if (al == 8 && strncmp(a, "Neighbor", 8) == 0)
			continue;
		if (!addr_chars(a, al, true) || !word(&q, nl, &m, &ml) ||
		    !word(&q, nl, &i, &il)) {
			diag_err(d, file, line, "\"%.*s\" is not a line of ndp "
			    "-an (ADDRESS MAC INTERFACE EXPIRE ...)",
			    (int)(nl - p > 60 ? 60 : nl - p), p);
			return (-1);
		}
		if (mac_word(m, ml, mac) != 0)
			continue;	/* (incomplete) */
		if (!word(&q, nl, &x, &xl))
			xl = 0;
		if (add(l, a, al, true, mac, i, il, xl == 9 &&
		    strncmp(x, "permanent", 9) == 0, line) != 0) {
			diag_err(d, file, line, "more than %d neighbours",
			    NEIGH_MAX);
			return (-1);
		}
	}
	return (0);
}
