/*
 * md5.c: MD5, as RFC 1321 describes it (section 3), written from the
 * RFC's text.  The message is taken in blocks of 16 little-endian 32-bit
 * words; each block goes through four rounds of 16 steps,
 *
 *	a = b + ((a + F(b, c, d) + X[k] + T[i]) <<< s)
 *
 * with F, G, H, I the rounds' functions, k the word each step takes, s its
 * rotation and T[i] = floor(4294967296 * abs(sin(i + 1))), i counting the
 * steps from 0 (the RFC counts from 1).  The message is padded with one
 * 1 bit, zeros up to 56 bytes modulo 64, and its length in bits as a
 * 64-bit little-endian number.
 */
#include "compat.h"

#include <string.h>

#include "md5.h"

/* T[i] of RFC 1321 3.4, the sine table. */
static const uint32_t T[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* The rotations, four a round (RFC 1321 3.4: S11 ... S44). */
static const unsigned S[4][4] = {
	{ 7, 12, 17, 22 },
	{ 5, 9, 14, 20 },
	{ 4, 11, 16, 23 },
	{ 6, 10, 15, 21 },
};

static uint32_t
rotl(uint32_t x, unsigned n)
{

	return ((x << n) | (x >> (32 - n)));
}

static uint32_t
le32(const uint8_t *p)
{

	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

/* One 64-byte block (RFC 1321 3.4). */
static void
md5_block(uint32_t st[4], const uint8_t *blk)
{
	uint32_t X[16], a, b, c, d, f, t;
	unsigned i, k;

	for (i = 0; i < 16; i++)
		X[i] = le32(blk + 4 * i);
	a = st[0];
	b = st[1];
	c = st[2];
	d = st[3];
	for (i = 0; i < 64; i++) {
		switch (i / 16) {
		case 0:		/* F(X,Y,Z) = XY v not(X) Z */
			f = (b & c) | (~b & d);
			k = i;
			break;
		case 1:		/* G(X,Y,Z) = XZ v Y not(Z) */
			f = (b & d) | (c & ~d);
			k = (1 + 5 * i) % 16;
			break;
		case 2:		/* H(X,Y,Z) = X xor Y xor Z */
			f = b ^ c ^ d;
			k = (5 + 3 * i) % 16;
			break;
		default:	/* I(X,Y,Z) = Y xor (X v not(Z)) */
			f = c ^ (b | ~d);
			k = (7 * i) % 16;
			break;
		}
		/* The step, then a, b, c, d move on by one (d, a, b, c). */
		t = d;
		d = c;
		c = b;
		b = b + rotl(a + f + X[k] + T[i], S[i / 16][i % 4]);
		a = t;
	}
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
}

void
md5_init(struct md5 *m)
{

	/* RFC 1321 3.3: the words A, B, C, D, low-order bytes first. */
	m->st[0] = 0x67452301;
	m->st[1] = 0xefcdab89;
	m->st[2] = 0x98badcfe;
	m->st[3] = 0x10325476;
	m->nbytes = 0;
}

void
md5_update(struct md5 *m, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t have, take;

	have = (size_t)(m->nbytes % 64);
	m->nbytes += len;
	if (have > 0) {
		take = 64 - have < len ? 64 - have : len;
		memcpy(m->blk + have, p, take);
		p += take;
		len -= take;
		if (have + take < 64)
			return;
		md5_block(m->st, m->blk);
	}
	for (; len >= 64; p += 64, len -= 64)
		md5_block(m->st, p);
	if (len > 0)
		memcpy(m->blk, p, len);
}

void
md5_final(struct md5 *m, uint8_t out[MD5_LEN])
{
	uint8_t pad[72];
	uint64_t bits;
	size_t have, n, i;

	/* RFC 1321 3.1 and 3.2: a 1 bit, zeros, the length in bits. */
	bits = m->nbytes * 8;
	have = (size_t)(m->nbytes % 64);
	n = have < 56 ? 56 - have : 120 - have;
	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (i = 0; i < 8; i++)
		pad[n + i] = (uint8_t)(bits >> (8 * i));
	md5_update(m, pad, n + 8);
	for (i = 0; i < 4; i++) {
		out[4 * i] = (uint8_t)m->st[i];
		out[4 * i + 1] = (uint8_t)(m->st[i] >> 8);
		out[4 * i + 2] = (uint8_t)(m->st[i] >> 16);
		out[4 * i + 3] = (uint8_t)(m->st[i] >> 24);
	}
	memset(m, 0, sizeof(*m));
}

void
md5_digest(const void *data, size_t len, uint8_t out[MD5_LEN])
{
	struct md5 m;

	md5_init(&m);
	md5_update(&m, data, len);
	md5_final(&m, out);
}
