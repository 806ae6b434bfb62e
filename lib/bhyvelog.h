/*
 * bhyvelog.h: bhyve's output in the VM's log.  Known bhyve error messages
 * matched to a one-line explanation and fix, and a line formatter that
 * stamps each line with the time it is given.  Pure: the caller reads
 * bhyve's stdout/stderr, passes the clock in, and writes the result.
 */
#ifndef PTVM_BHYVELOG_H
#define PTVM_BHYVELOG_H

#include "compat.h"
#include "strbuf.h"

struct bhyvelog_known {
	const char	*id;		/* short stable name */
	const char	*match;		/* a substring of bhyve's line */
	const char	*source;	/* the FreeBSD file that prints it */
	const char	*explain;	/* what it means, one line */
	const char	*fix;		/* what to do, one line */
};

/* The first known message that line contains, or NULL. */
const struct bhyvelog_known *bhyvelog_explain(const char *, size_t);
size_t	bhyvelog_nknown(void);
const struct bhyvelog_known *bhyvelog_known(size_t);

/*
 * "2024-05-01T14:00:00.123+02:00": ms since the Unix epoch and the local
 * offset from UTC in minutes (0 prints "Z").
 */
void	bhyvelog_stamp(struct strbuf *, int64_t, int);
/*
 * One log line: "STAMP TAG: TEXT\n".  A trailing CR is dropped; other
 * control characters and invalid bytes are written as "\xNN".
 */
void	bhyvelog_line(struct strbuf *, int64_t, int, const char *,
	    const char *, size_t);

/* A line-splitting stream over bhyve's output. */
#define BHYVELOG_LINEMAX	4096	/* longer lines are split */

struct bhyvelog {
	char		 part[BHYVELOG_LINEMAX];
	size_t		 npart;
	const char	*tag;		/* "bhyve" */
	unsigned	 nlines;
	unsigned	 nknown;	/* known errors seen */
	const struct bhyvelog_known *last;	/* the last one seen */
	bool		 last_fatal;	/* the last line is an error */
	int64_t		 last_ms;	/* when the last line came */
};

/*
 * Whether bhyve's last line (at most maxage ms before now) is an error
 * it exits on: err(3)/errx(3) print "bhyve: ...", and a failed vm_run
 * prints "vm_run error" (freebsd.md#B1).
 */
bool	bhyvelog_failed(const struct bhyvelog *, int64_t, int64_t);

void	bhyvelog_init(struct bhyvelog *, const char *);
/*
 * Appends to out every complete line of buf, stamped, each known error
 * followed by "STAMP ptvm: NAME: explanation; fix: ...".
 */
void	bhyvelog_feed(struct bhyvelog *, const char *, size_t, int64_t, int,
	    struct strbuf *);
/* At end of output: the partial last line, if any. */
void	bhyvelog_flush(struct bhyvelog *, int64_t, int, struct strbuf *);
/* "explanation; fix: ..." of a known message, for status. */
void	bhyvelog_advice(const struct bhyvelog_known *, struct strbuf *);

#endif /* PTVM_BHYVELOG_H */
