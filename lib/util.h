/*
 * util.h: small pure helpers shared by the parsers.
 */
#ifndef PTVM_UTIL_H
#define PTVM_UTIL_H

#include "compat.h"

/*
 * Parses an unsigned number in the given base at *pp, advancing *pp past
 * it.  Fails (-1) on no digits or a value above max.  Never reads past the
 * first non-digit.
 */
int	util_parse_ulong(const char **, int, unsigned long, unsigned long *);
/* The same, never reading at or past end (NULL: a NUL ends the digits). */
int	util_parse_ulong_end(const char **, const char *, int, unsigned long,
	    unsigned long *);
const void *util_memmem(const void *, size_t, const void *, size_t);
/* A whole string as a decimal number in [min, max]; -1 otherwise. */
int	util_strtonum(const char *, long long, long long, long long *);
/* Levenshtein distance, capped; for "did you mean" suggestions. */
int	util_distance(const char *, const char *);
/* "EBUSY" for EBUSY, for messages that name the errno. */
const char *util_errname(int);

#endif /* PTVM_UTIL_H */
