/*
 * testutil.h: helpers for the atf-c tests.
 */
#ifndef PTVM_TESTUTIL_H
#define PTVM_TESTUTIL_H

#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "diag.h"

#define DATADIR	TOP "/tests/data"

/* Reads tests/data/<rel> whole; fails the test if it cannot. */
static inline char *
tu_read(const char *rel, size_t *len)
{
	char path[1024], *buf;
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), "%s/%s", DATADIR, rel);
	ATF_REQUIRE_MSG((fp = fopen(path, "rb")) != NULL, "open %s", path);
	ATF_REQUIRE(fseek(fp, 0, SEEK_END) == 0);
	ATF_REQUIRE((n = ftell(fp)) >= 0);
	rewind(fp);
	ATF_REQUIRE((buf = malloc((size_t)n + 1)) != NULL);
	ATF_REQUIRE(fread(buf, 1, (size_t)n, fp) == (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return (buf);
}

/* True if some diagnostic's message contains s. */
static inline bool
tu_diag_has(const struct diags *d, const char *s)
{
	const struct diag *x;

	STAILQ_FOREACH(x, &d->head, entry)
		if (strstr(x->msg, s) != NULL)
			return (true);
	return (false);
}

static inline unsigned
tu_diag_line(const struct diags *d, const char *s)
{
	const struct diag *x;

	STAILQ_FOREACH(x, &d->head, entry)
		if (strstr(x->msg, s) != NULL)
			return (x->line);
	return (0);
}

#endif /* PTVM_TESTUTIL_H */
