/*
 * util.c: small pure helpers.
 */
#include "compat.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "util.h"

static int
digit_value(int c, int base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return (-1);
	return (v < base ? v : -1);
}

int
util_parse_ulong(const char **pp, int base, unsigned long max,
    unsigned long *out)
{

	return (util_parse_ulong_end(pp, NULL, base, max, out));
}

int
util_parse_ulong_end(const char **pp, const char *end, int base,
    unsigned long max, unsigned long *out)
{
	const char *p;
	unsigned long v;
	int d, n;

	p = *pp;
	v = 0;
	for (n = 0; (end == NULL || p < end) &&
	    (d = digit_value((unsigned char)*p, base)) >= 0; n++) {
		if (v > (max - (unsigned long)d) / (unsigned long)base)
			return (-1);
		v = v * (unsigned long)base + (unsigned long)d;
		p++;
	}
	if (n == 0)
		return (-1);
	*pp = p;
	*out = v;
	return (0);
}

const void *
util_memmem(const void *hay, size_t hn, const void *needle, size_t nn)
{
	const char *h, *end;

	if (nn == 0)
		return (hay);
	if (hn < nn)
		return (NULL);
	h = hay;
	end = h + (hn - nn);
	for (; h <= end; h++)
		if (*h == *(const char *)needle && memcmp(h, needle, nn) == 0)
			return (h);
	return (NULL);
}

int
util_strtonum(const char *s, long long min, long long max, long long *out)
{
	const char *p;
	unsigned long v;
	bool neg;

	p = s;
	neg = false;
	if (*p == '-') {
		neg = true;
		p++;
	}
	if (util_parse_ulong(&p, 10, (unsigned long)LLONG_MAX, &v) != 0 ||
	    *p != '\0')
		return (-1);
	if ((neg ? -(long long)v : (long long)v) < min ||
	    (neg ? -(long long)v : (long long)v) > max)
		return (-1);
	*out = neg ? -(long long)v : (long long)v;
	return (0);
}

int
util_distance(const char *a, const char *b)
{
	int prev[64], cur[64];
	size_t la, lb, i, j;
	int c;

	la = strlen(a);
	lb = strlen(b);
	if (la >= nitems(prev) || lb >= nitems(prev))
		return (99);
	for (j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (i = 1; i <= la; i++) {
		cur[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			c = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			cur[j] = c;
		}
		memcpy(prev, cur, sizeof(int) * (lb + 1));
	}
	return (prev[lb]);
}

const char *
util_errname(int e)
{
	static const struct {
		int		 e;
		const char	*name;
	} tab[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" },
		{ ENXIO, "ENXIO" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
		{ EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" },
		{ ENOTSUP, "ENOTSUP" }, { EFBIG, "EFBIG" },
	};
	size_t i;

	for (i = 0; i < nitems(tab); i++)
		if (tab[i].e == e)
			return (tab[i].name);
	return ("errno");
}
