/*
 * hostop.h: a change to the host, as data.  The same value is printed as
 * the equivalent FreeBSD command line (dry runs, the captured host's
 * journal) and parsed back from that line (journal replay).
 */
#ifndef PTVM_HOSTOP_H
#define PTVM_HOSTOP_H

#include "compat.h"
#include "strbuf.h"

enum hostop_kind {
	HOP_KENV_SET,		/* kenv NAME="VALUE" */
	HOP_KENV_UNSET,		/* kenv -u NAME */
	HOP_SYSCTL_SET,		/* sysctl NAME=VALUE */
	HOP_KLDLOAD,		/* kldload NAME */
	HOP_KLDUNLOAD,		/* kldunload NAME */
	HOP_DETACH,		/* devctl detach [-f] DEV */
	HOP_ATTACH,		/* devctl attach DEV */
	HOP_SET_DRIVER,		/* devctl set driver [-f] DEV DRIVER */
	HOP_CLEAR_DRIVER,	/* devctl clear driver [-f] DEV */
	HOP_RESCAN,		/* devctl rescan DEV */
	HOP_INSTALL,		/* install -m MODE SRC DST (a file write) */
	HOP_PCI_WRITE,		/* pciconf -w [-b | -h] SEL REG VALUE */
	HOP_EXEC,		/* any other program, by argument vector */
};

#define HOSTOP_MAXARGS	256

struct hostop {
	enum hostop_kind kind;
	bool		 force;
	const char	*a;		/* name, device, source */
	const char	*b;		/* value, driver, destination */
	int		 mode;		/* HOP_INSTALL */
	unsigned	 reg;		/* HOP_PCI_WRITE: offset, */
	unsigned	 width;		/* 1, 2 or 4 bytes, */
	uint32_t	 val;		/* and the value */
	const char	*const *argv;	/* HOP_EXEC, NULL-terminated */
};

/* Appends the command line (no newline) for op to sb. */
void	hostop_fmt(const struct hostop *, struct strbuf *);
/* Appends s quoted for sh(1) when it needs quoting. */
void	hostop_quote(struct strbuf *, const char *);

/*
 * Parses one command line back into an op.  The strings of the op point
 * into storage owned by the parsed value; free it with hostop_parsed_free.
 */
struct hostop_parsed {
	struct hostop	 op;
	char		*words[HOSTOP_MAXARGS + 1];
	int		 nwords;
};

int	hostop_parse(const char *, size_t, struct hostop_parsed *, char *,
	    size_t);
void	hostop_parsed_free(struct hostop_parsed *);

#endif /* PTVM_HOSTOP_H */
