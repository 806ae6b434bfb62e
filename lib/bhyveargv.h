/*
 * bhyveargv.h: bhyve's command line and its configuration, both ways, and
 * the bhyve invocation of a shell script.
 *
 * bhyve_argv_to_cfg() does what bhyve's option parsing does on FreeBSD 14
 * amd64 (bhyverun.c) and accepts 15's forms (amd64/bhyverun_machdep.c):
 * each option sets configuration variables, -s and -l through each
 * device's legacy parser.  bhyve_cfg_to_argv() writes the command line a
 * person would, and reading it back gives the same configuration.
 */
#ifndef PTVM_BHYVEARGV_H
#define PTVM_BHYVEARGV_H

#include "compat.h"
#include "bcfg.h"
#include "diag.h"

/* An argument vector with the source line of each element. */
struct bhyve_argv {
	char		**v;		/* NULL-terminated */
	unsigned	 *line;
	size_t		  n;
	size_t		  cap;
};

void	bhyve_argv_init(struct bhyve_argv *);
void	bhyve_argv_free(struct bhyve_argv *);
/* Appends a copy of s[0..len); ENOMEM. */
int	bhyve_argv_push(struct bhyve_argv *, const char *, size_t, unsigned);

/*
 * Sets cfg from a bhyve command line (argv[0] is the program).  lines[i]
 * is the source line of argv[i] (NULL: none) for diagnostics in file.
 * Returns the number of errors, -1 on ENOMEM.
 */
int	bhyve_argv_to_cfg(int, char *const[], struct bcfg *, const char *,
	    const unsigned *, struct diags *);
/*
 * The equivalent command line: /usr/sbin/bhyve, flags, -c, -m, -l, -s in
 * slot order (legacy forms where they say everything), -p, -U, -o for the
 * rest, the name last.  0 or ENOMEM.
 */
int	bhyve_cfg_to_argv(const struct bcfg *, struct bhyve_argv *);
/*
 * Finds the one bhyve invocation of a POSIX shell script and splits it
 * into words as sh(1) would (quotes, backslashes, continuations,
 * comments).  Variables the script assigns a literal are expanded (a
 * note each); other expansions are reported, not guessed.  0, or -1
 * with diagnostics (no invocation, several, expansions, bad quoting).
 */
int	bhyve_script_argv(const char *, size_t, const char *,
	    struct bhyve_argv *, struct diags *);

/* What else the script says about its VM (bhyve_script_argv_info()). */
struct bhyve_script_var {
	char		*name;
	char		*val;
	unsigned	 line;
};

struct bhyve_script_info {
	/* pptdevs= the script sets (bind.sh's, loader.conf's), or NULL */
	char		*pptdevs;
	unsigned	 pptline;
	char		*pptvia;	/* the command it is given to, or NULL */
	/* variables assigned a literal and never expanded */
	struct bhyve_script_var unused[16];
	size_t		 nunused;
};

/*
 * bhyve_script_argv(), and the script's pptdevs and unused variables
 * in info (free with bhyve_script_info_free() whatever it returns).
 */
int	bhyve_script_argv_info(const char *, size_t, const char *,
	    struct bhyve_argv *, struct bhyve_script_info *, struct diags *);
void	bhyve_script_info_free(struct bhyve_script_info *);

#endif /* PTVM_BHYVEARGV_H */
