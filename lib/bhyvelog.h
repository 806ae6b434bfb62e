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

/*
 * A line-splitting stream over bhyve's output.
 *
 * Repeats are counted, not written (syslogd's way): a line that equals the
 * previous one once every number in both is folded (a run of decimal
 * digits, or 0x and hex digits: bhyve's MSR lines differ only in the
 * register and the vCPU) is held back, and when the run ends, at a flush,
 * before NAME.out is emptied, or BHYVELOG_REPEAT_MS after its first held
 * line, one "last message repeated N times" line stands for them (a run of
 * one is written as itself).  A known message is explained once per
 * stream (one bhyve run).  The log has a size cap: once the caller's file
 * holds cap bytes, bhyve's lines are dropped and counted, except a known
 * message not explained yet; when there is room again (newsyslog rotated
 * the log) or at the end, one line says how many were dropped, and the
 * last of them.
 */
#define BHYVELOG_LINEMAX	4096	/* longer lines are split */
#define BHYVELOG_REPEAT_MS	30000	/* longest a repeat count is held */
#define BHYVELOG_CAP		(10 * 1024 * 1024)	/* bytes of log */

struct bhyvelog {
	char		 part[BHYVELOG_LINEMAX];
	size_t		 npart;
	const char	*tag;		/* "bhyve" */
	unsigned	 nlines;
	unsigned	 nknown;	/* known errors seen */
	const struct bhyvelog_known *last;	/* the last one seen */
	bool		 last_fatal;	/* the last line is an error */
	int64_t		 last_ms;	/* when the last line came */
	uint64_t	 explained;	/* known messages explained, by index */
	/* The last line written, and the repeats of it held back. */
	char		 prev[BHYVELOG_LINEMAX];
	size_t		 nprev;
	bool		 have_prev;
	const struct bhyvelog_known *prev_known;	/* its match */
	char		 rep[BHYVELOG_LINEMAX];	/* the last repeat */
	size_t		 nrep;
	unsigned	 repeats;	/* held back, not yet said */
	bool		 varied;	/* some differ in their numbers */
	int64_t		 rep_first;	/* ms of the first held back */
	int64_t		 rep_last;	/* ms of the last */
	size_t		 held;		/* input bytes of the held repeats:
					   not in out yet, so not read */
	/* The size cap. */
	int64_t		 cap;		/* bytes; 0: none; init: BHYVELOG_CAP */
	int64_t		 used;		/* log size, set by the caller */
	unsigned	 dropped;	/* lines dropped at the cap, unsaid */
	char		 drop[BHYVELOG_LINEMAX];	/* the last dropped */
	size_t		 ndrop;
	int64_t		 drop_ms;
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
/*
 * The held repeats and dropped lines said now; bytes of input not yet
 * accounted for in out are then none.
 */
void	bhyvelog_settle(struct bhyvelog *, int64_t, int, struct strbuf *);
/* A held repeat count older than BHYVELOG_REPEAT_MS is said. */
void	bhyvelog_tick(struct bhyvelog *, int64_t, int, struct strbuf *);
/* At end of output: the partial last line, if any, and bhyvelog_settle. */
void	bhyvelog_flush(struct bhyvelog *, int64_t, int, struct strbuf *);
/* "explanation; fix: ..." of a known message, for status. */
void	bhyvelog_advice(const struct bhyvelog_known *, struct strbuf *);

#endif /* PTVM_BHYVELOG_H */
