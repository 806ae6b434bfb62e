/*
 * opt.h: the one option parser of every command (and of the global
 * options).  getopt(3) is not used: glibc's getopt() permutes argv and
 * FreeBSD's does not, getopt_long() permutes on both unless the option
 * string starts with "+" or POSIXLY_CORRECT is set, and each libc words
 * its messages its own way (freebsd.md#O1).  The same command line must
 * mean the same on both systems whatever the environment.
 *
 * A command's options may come before, between and after its operands;
 * "--" ends the options (everything after it is an operand) and a lone
 * "-" is an operand.  "-abc" is -a -b -c; a short option's value is the
 * rest of the word or the next word ("-t30", "-t 30"); a long option's is
 * after "=" or the next word ("--within=30", "--within 30").  Long names
 * are never abbreviated: a prefix that is unique today would be ambiguous
 * once another option is added, and break the script using it.
 */
#ifndef PTVM_OPT_H
#define PTVM_OPT_H

#include <stdbool.h>

#define OPT_END		(-1)	/* no more options */
#define OPT_ERROR	'?'	/* said on stderr; print the usage */

struct optdef {
	int		 code;		/* what opt_next returns for it */
	char		 letter;	/* -x, or 0 */
	const char	*name;		/* --name, or NULL */
	bool		 value;		/* takes a value */
	const char	*instead;	/* deprecated: the spelling to use now */
};
#define OPTDEF_END	{ 0, 0, NULL, false, NULL }

struct opts {
	const char	*cmdname;	/* "rom inspect", or NULL (global) */
	const struct optdef *defs;
	int		 argc;
	char		**argv;		/* operands gathered in argv[1..] */
	int		 i;		/* next word of argv */
	int		 nop;		/* operands gathered */
	const char	*cluster;	/* the rest of "-abc" */
	bool		 permute;	/* options after operands too */
	const char	*arg;		/* the value of the option returned */
	char		 spelled[48];	/* as written: "-t", "--within" */
};

/* Options anywhere (commands), or first only (the global options). */
void	opt_init(struct opts *, const char *, int, char **,
	    const struct optdef *);
void	opt_init_first(struct opts *, int, char **, const struct optdef *);
int	opt_next(struct opts *);
/*
 * After OPT_END: the operands in their order, as "argc -= optind;
 * argv += optind" leaves them after getopt(3): returns their count and
 * points *argvp at the first; (*argvp)[count] is NULL.
 */
int	opt_operands(const struct opts *, char ***);

#endif /* PTVM_OPT_H */
