/*
 * loaderconf.h: edits of loader.conf(5) and sysctl.conf(5) style files
 * that keep every comment and every line ptvm does not own.
 */
#ifndef PTVM_LOADERCONF_H
#define PTVM_LOADERCONF_H

#include "compat.h"
#include "strbuf.h"

enum conf_style {
	CONF_LOADER,		/* name="value" */
	CONF_SYSCTL,		/* name=value */
};

/*
 * Writes old with name set to value into out: the first assignment of
 * name is replaced in place (keeping a trailing comment), later ones are
 * commented out, and if there is none the line is appended with the
 * comment above it.  value NULL removes (comments out) the assignment.
 * Returns 1 if the content changed, 0 if not.
 */
int	conf_set(const char *, size_t, enum conf_style, const char *,
	    const char *, const char *, struct strbuf *);
/* The value of the last assignment of name in a file, or NULL (malloc'd). */
char	*conf_get(const char *, size_t, const char *);

#endif /* PTVM_LOADERCONF_H */
