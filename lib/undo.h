/*
 * undo.h: the undo journal of one VM, /var/run/ptvm/NAME.undo.
 *
 * Before "ptvm start" changes the host for a VM it appends what puts the
 * change back; when the VM ends, the supervisor undoes the entries newest
 * first and removes each one it undid.  What is left after a crash of the
 * supervisor (or a failed undo) is still in effect, and "ptvm host
 * restore" finishes the job.  /var/run is emptied at boot, which is right:
 * a reboot reverts every change the journal can hold.
 *
 * One entry a line, words separated by blanks, '#' comments:
 *	sysctl NAME OLDVALUE	a sysctl ptvm set; OLDVALUE goes back
 *	tap IFNAME		a tap ptvm created ("ifconfig IFNAME destroy")
 *	cpuset WORD...		the cpuset(1) run that lets the host use the
 *				VM's CPUs again
 *	bind SELECTOR keep|unbind
 *				a function ptvm moved to ppt(4); "keep" stays
 *				on ppt when the VM stops (unbind_on_stop=no),
 *				"unbind" goes back to its host driver
 *	swtpm PID SOCKET	the swtpm ptvm started for the VM's TPM:
 *				stopped (if still a swtpm), its socket removed
 * No word holds blanks, quotes or control characters; the journal is
 * written by ptvm only, so anything else is an error at its line.
 */
#ifndef PTVM_UNDO_H
#define PTVM_UNDO_H

#include "compat.h"
#include "diag.h"
#include "strbuf.h"

enum undo_kind {
	UNDO_SYSCTL,
	UNDO_TAP,
	UNDO_CPUSET,
	UNDO_BIND,
	UNDO_SWTPM,		/* "swtpm PID SOCKET": the VM's swtpm */
};

#define UNDO_MAXWORDS	16
#define UNDO_WORDMAX	255
#define UNDO_MAXENTRIES	256

struct undo_entry {
	enum undo_kind	 kind;
	char		*w[UNDO_MAXWORDS + 1];	/* after the kind; NULL-ended */
	int		 nw;
	unsigned	 line;
};

struct undo_list {
	struct undo_entry *e;
	size_t		 n;
	size_t		 cap;
};

void	undo_init(struct undo_list *);
void	undo_free(struct undo_list *);
int	undo_parse(const char *, size_t, const char *, struct undo_list *,
	    struct diags *);
/* The whole journal, with its header comment naming the VM. */
void	undo_format(const struct undo_list *, const char *, struct strbuf *);
/* One entry as its line (no newline). */
void	undo_format_entry(const struct undo_entry *, struct strbuf *);
/*
 * Appends an entry; words is NULL-terminated.  EINVAL: a word is empty,
 * too long, holds a character the format cannot hold, or the count is
 * wrong for the kind; ENOSPC: too many entries; ENOMEM.
 */
int	undo_add(struct undo_list *, enum undo_kind, const char *const *);
void	undo_remove(struct undo_list *, size_t);
const char *undo_kind_name(enum undo_kind);
/* The index of the last entry equal to kind and words, or -1. */
ssize_t	undo_find(const struct undo_list *, enum undo_kind,
	    const char *const *);

#endif /* PTVM_UNDO_H */
