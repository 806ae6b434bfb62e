/*
 * diag.h: located diagnostics.  The core library never prints; it appends
 * diagnostics to a list the caller owns, and the front end prints them.
 */
#ifndef PTVM_DIAG_H
#define PTVM_DIAG_H

#include "compat.h"

enum diag_level {
	DIAG_NOTE,
	DIAG_WARN,
	DIAG_ERROR,
};

struct diag {
	enum diag_level	 level;
	char		*file;		/* NULL when not about a file */
	unsigned	 line;		/* 0 when not about a line */
	long long	 offset;	/* byte offset, -1 when none */
	char		*msg;
	STAILQ_ENTRY(diag) entry;
};

STAILQ_HEAD(diag_head, diag);

struct diags {
	struct diag_head head;
	int		 nerrors;
	int		 nwarnings;
	bool		 oom;		/* a diagnostic could not be stored */
};

void	diags_init(struct diags *);
void	diags_free(struct diags *);
void	diag_add(struct diags *, enum diag_level, const char *, unsigned,
	    const char *, ...) __printflike(5, 6);
void	diag_add_off(struct diags *, enum diag_level, const char *, long long,
	    const char *, ...) __printflike(5, 6);
const char *diag_level_name(enum diag_level);

#define diag_err(d, f, l, ...)	diag_add((d), DIAG_ERROR, (f), (l), __VA_ARGS__)
#define diag_warn(d, f, l, ...)	diag_add((d), DIAG_WARN, (f), (l), __VA_ARGS__)
#define diag_note(d, f, l, ...)	diag_add((d), DIAG_NOTE, (f), (l), __VA_ARGS__)

#endif /* PTVM_DIAG_H */
