/*
 * ctlmsg.h: the supervisor's two line protocols, formatted and parsed
 * here for both ends so that they cannot drift apart.
 *
 * The control socket (RUNDIR/NAME.sock).  A client sends one request
 *	stop TIMEOUT FORCE WITHIN	seconds (0: the VM's), 0|1, seconds
 * and the supervisor answers with lines
 *	wait SECONDS		the stop began; it waits up to SECONDS
 *	log LEVEL MESSAGE	a message of the supervisor (to stoppers)
 *	gaveup			the wait is over and the VM still runs
 *	done CODE [WHY]		the supervisor ends with exit code CODE
 *	error MESSAGE		the request was refused
 * The start pipe, from a daemonized supervisor to "ptvm start":
 *	running PID		bhyve runs as PID
 *	ended CODE [WHY]	the supervisor ended before that
 *	error MESSAGE		(after "ended": what bhyve said)
 *
 * Every line is at most CTL_LINEMAX bytes with its newline; numbers are
 * plain decimals in their range; a message is one line of printable text
 * (the formatter turns control characters into spaces).  No OS calls.
 */
#ifndef PTVM_CTLMSG_H
#define PTVM_CTLMSG_H

#include "compat.h"
#include "diag.h"

#define CTL_LINEMAX	512	/* a line, its newline included */
#define CTL_TEXTMAX	400	/* a message, its NUL included */
#define CTL_SECMAX	86400	/* timeouts and waits, in seconds */
#define CTL_CODEMAX	255	/* exit codes */

enum ctl_chan {
	CTL_CH_REQUEST,		/* client to supervisor */
	CTL_CH_REPLY,		/* supervisor to client */
	CTL_CH_START,		/* the start pipe */
};

enum ctl_kind {
	CTL_STOP,		/* request */
	CTL_WAIT,		/* replies */
	CTL_LOG,
	CTL_GAVEUP,
	CTL_DONE,
	CTL_ERROR,		/* reply and start pipe */
	CTL_RUNNING,		/* start pipe */
	CTL_ENDED,
};

struct ctl_msg {
	enum ctl_kind	 kind;
	int		 timeout;	/* stop */
	bool		 force;		/* stop */
	int		 within;	/* stop */
	int		 seconds;	/* wait */
	int		 code;		/* done, ended */
	int		 pid;		/* running */
	enum diag_level	 level;		/* log */
	char		 text[CTL_TEXTMAX]; /* log, done, ended, error */
};

/* A message of a kind with every field zero and no text. */
void	ctl_init(struct ctl_msg *, enum ctl_kind);
/* Sets the text: truncated to fit, control characters become spaces. */
void	ctl_set_text(struct ctl_msg *, const char *);

/*
 * Writes the line of m, newline and NUL included, to buf (at least
 * CTL_LINEMAX bytes).  Returns its length without the NUL, or -1 when a
 * number is out of its range.
 */
int	ctl_format(const struct ctl_msg *, char *, size_t);
/*
 * Parses one line (len bytes, without its newline) of channel ch into m.
 * Returns 0, or -1 for a line that is not a message of that channel.
 */
int	ctl_parse(enum ctl_chan, const char *, size_t, struct ctl_msg *);

#endif /* PTVM_CTLMSG_H */
