/*
 * rcconf.h: reading and setting variables of rc.conf(5) text as sysrc(8)
 * does: the last "NAME=" line (leading blanks allowed) is the one that
 * counts and the one changed, its leading blanks and a trailing comment
 * kept, a single-quoted value kept single-quoted; a variable not set, or
 * whose last value starts with $, ` or \ (sysrc leaves those alone), is
 * appended as NAME="VALUE".  Pure.
 */
#ifndef PTVM_RCCONF_H
#define PTVM_RCCONF_H

#include "compat.h"
#include "strbuf.h"

/*
 * The value of name (quotes removed) in *val (malloc'd) and its line; 0,
 * 1 when not set (*val NULL), -1 when its line is not a plain
 * assignment ptvm can edit ($, `, \ or an open quote; why says it).
 */
int	rcconf_get(const char *, size_t, const char *, char **, unsigned *,
	    char *, size_t);
/*
 * The text with name set to val (written "VAL"): out, and the line of
 * the assignment in the new text.  -1 when the value cannot be written
 * (a quote, $, ` or \, or a control character) or the old line cannot
 * be edited.
 */
int	rcconf_set(const char *, size_t, const char *, const char *,
	    struct strbuf *, unsigned *, char *, size_t);

#endif /* PTVM_RCCONF_H */
