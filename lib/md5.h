/*
 * md5.h: the MD5 message digest, written from RFC 1321 (R. Rivest, 1992).
 * ptvm needs it for one thing: the MAC address bhyve gives a NIC without
 * mac= (usr.sbin/bhyve/net_utils.c net_genmac(), freebsd.md#A3), which
 * status looks for in the host's neighbour tables.  Not for security.
 * Pure: no OS calls.
 */
#ifndef PTVM_MD5_H
#define PTVM_MD5_H

#include "compat.h"

#define MD5_LEN		16

struct md5 {
	uint32_t	 st[4];		/* A, B, C, D */
	uint64_t	 nbytes;	/* the message's length so far */
	uint8_t		 blk[64];	/* a partial block */
};

void	md5_init(struct md5 *);
void	md5_update(struct md5 *, const void *, size_t);
/* Pads, and writes the digest A, B, C, D, low byte first (RFC 1321 3.5). */
void	md5_final(struct md5 *, uint8_t [MD5_LEN]);
/* The digest of one buffer. */
void	md5_digest(const void *, size_t, uint8_t [MD5_LEN]);

#endif /* PTVM_MD5_H */
