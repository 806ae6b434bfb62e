/*
 * vmedit.h: changes to the text of a VM file (ptvm.conf(5)) that keep
 * everything else of it: comments, blank lines, the order of the keys,
 * quoting, options after the path, and the line endings.
 *
 * Each edit parses the file before and after and checks that the keys
 * and values changed exactly as intended; otherwise it fails and the
 * caller writes nothing.  Pure: the caller reads and writes the file.
 */
#ifndef PTVM_VMEDIT_H
#define PTVM_VMEDIT_H

#include "compat.h"
#include "diag.h"
#include "strbuf.h"

enum vmedit_kind {
	VME_ADDED,		/* a new line */
	VME_REPLACED,		/* the path of a line changed */
	VME_UNCOMMENTED,	/* a "#key=..." line made a key again */
	VME_COMMENTED,		/* a line made a comment ("#cdrom=...") */
};

struct vmedit_change {
	enum vmedit_kind kind;
	unsigned	 line;		/* in the new text */
	char		*before;	/* the old line; NULL when added */
	char		*after;		/* the new line */
};

struct vmedit {
	struct strbuf	 out;		/* the new text */
	struct vmedit_change *c;
	size_t		 n;
};

void	vmedit_init(struct vmedit *);
void	vmedit_free(struct vmedit *);

/*
 * A path for disk= or cdrom=: absolute, printable, no ',' (bhyve's option
 * separator), no '"' and no blank at either end.  -1 with why.
 */
int	vmedit_path_check(const char *, char *, size_t);
/* Two paths of the same file, "//", "/./" and a trailing '/' aside. */
bool	vmedit_path_same(const char *, const char *);
/* The path part of a disk= or cdrom= value (before the first ','). */
size_t	vmedit_path_len(const char *);

/*
 * Adds "disk=PATH": a commented "#disk=PATH[,options]" line (ptvm create
 * writes one) is uncommented in place; otherwise the line goes after the
 * last disk line, else before the first cdrom line, else under the last
 * commented disk line, else at the end.
 * -1 with diagnostics (PATH already a disk, file does not parse).
 */
int	vmedit_disk_add(const char *, size_t, const char *, const char *,
	    struct vmedit *, struct diags *);
/*
 * Sets the cdrom's image to iso, keeping the line's options; with no
 * cdrom line, the last commented "#cdrom=/path" line is reused, else a
 * line is added after the disks.  iso NULL ejects: every cdrom line is
 * commented out.  Returns 1 when nothing needs changing, -1 on errors
 * (several cdrom lines to choose from, a file that does not parse).
 */
int	vmedit_cdrom(const char *, size_t, const char *, const char *,
	    struct vmedit *, struct diags *);

/* A key to set and its value (vmedit_set()). */
struct vmedit_pair {
	const char	*key;
	const char	*val;
};

/*
 * Sets each key to its value: the key's line is replaced where it is,
 * else its last commented "#key=..." line is made the key, else the line
 * is added at the end (comment, whole lines, before the first added).  A
 * key set on two lines is refused.  The new text must read back as the
 * old pairs with exactly these set.  0, or -1 with diagnostics.
 */
int	vmedit_set(const char *, size_t, const char *,
	    const struct vmedit_pair *, size_t, const char *, struct vmedit *,
	    struct diags *);

#endif /* PTVM_VMEDIT_H */
