/*
 * opt.c: the option parser every command uses (opt.h).  Operands are
 * gathered, in their order, at the front of argv (after argv[0]) while
 * the words are read: a word is moved only over words already read, so
 * nothing unread is overwritten.
 */
#include "compat.h"

#include <stdio.h>
#include <string.h>

#include "opt.h"

static void
opt_init_common(struct opts *o, const char *cmdname, int argc, char **argv,
    const struct optdef *defs, bool permute)
{

	memset(o, 0, sizeof(*o));
	o->cmdname = cmdname;
	o->defs = defs;
	o->argc = argc;
	o->argv = argv;
	o->i = 1;
	o->permute = permute;
}

void
opt_init(struct opts *o, const char *cmdname, int argc, char **argv,
    const struct optdef *defs)
{

	opt_init_common(o, cmdname, argc, argv, defs, true);
}

void
opt_init_first(struct opts *o, int argc, char **argv,
    const struct optdef *defs)
{

	opt_init_common(o, NULL, argc, argv, defs, false);
}

static int
opt_say(const struct opts *o, const char *fmt, const char *what)
{

	fprintf(stderr, "ptvm: ");
	if (o->cmdname != NULL)
		fprintf(stderr, "%s: ", o->cmdname);
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
	return (OPT_ERROR);
}

/* The option found: its value checked, a deprecated spelling noted. */
static int
opt_found(struct opts *o, const struct optdef *d)
{

	if (d->instead != NULL) {
		fprintf(stderr, "ptvm: ");
		if (o->cmdname != NULL)
			fprintf(stderr, "%s: ", o->cmdname);
		fprintf(stderr, "warning: %s is deprecated here, use %s "
		    "(ptvm(8): Deprecated options)\n", o->spelled, d->instead);
	}
	return (d->code);
}

/* The value of a short option: the rest of the word, or the next word. */
static int
opt_short(struct opts *o)
{
	const struct optdef *d;
	char c;

	c = *o->cluster++;
	(void)snprintf(o->spelled, sizeof(o->spelled), "-%c", c);
	for (d = o->defs; d->code != 0; d++)
		if (d->letter != 0 && d->letter == c)
			break;
	if (d->code == 0) {
		o->cluster = NULL;
		return (opt_say(o, "unknown option %s", o->spelled));
	}
	if (d->value) {
		if (*o->cluster != '\0')
			o->arg = o->cluster;
		else if (o->i < o->argc)
			o->arg = o->argv[o->i++];
		else {
			o->cluster = NULL;
			return (opt_say(o, "%s needs a value", o->spelled));
		}
		o->cluster = NULL;
	} else if (*o->cluster == '\0')
		o->cluster = NULL;
	return (opt_found(o, d));
}

/* "--name", "--name=value" or "--name value"; w is after the dashes. */
static int
opt_long(struct opts *o, const char *w)
{
	const struct optdef *d;
	const char *eq;
	size_t n;

	eq = strchr(w, '=');
	n = eq != NULL ? (size_t)(eq - w) : strlen(w);
	(void)snprintf(o->spelled, sizeof(o->spelled), "--%.*s",
	    n > sizeof(o->spelled) - 3 ? (int)(sizeof(o->spelled) - 3) :
	    (int)n, w);
	for (d = o->defs; d->code != 0; d++)
		if (d->name != NULL && strlen(d->name) == n &&
		    strncmp(d->name, w, n) == 0)
			break;
	if (d->code == 0)
		return (opt_say(o, "unknown option %s", o->spelled));
	if (!d->value) {
		if (eq != NULL)
			return (opt_say(o, "%s takes no value", o->spelled));
	} else if (eq != NULL)
		o->arg = eq + 1;
	else if (o->i < o->argc)
		o->arg = o->argv[o->i++];
	else
		return (opt_say(o, "%s needs a value", o->spelled));
	return (opt_found(o, d));
}

static void
opt_operand(struct opts *o, char *w)
{

	o->argv[1 + o->nop++] = w;
}

int
opt_next(struct opts *o)
{
	char *w;

	o->arg = NULL;
	if (o->cluster != NULL)
		return (opt_short(o));
	while (o->i < o->argc) {
		w = o->argv[o->i++];
		if (strcmp(w, "--") == 0)
			break;
		if (w[0] == '-' && w[1] == '-')
			return (opt_long(o, w + 2));
		if (w[0] == '-' && w[1] != '\0') {
			o->cluster = w + 1;
			return (opt_short(o));
		}
		opt_operand(o, w);
		if (!o->permute)
			break;
	}
	/* "--", the first operand of the global options, or the end. */
	while (o->i < o->argc)
		opt_operand(o, o->argv[o->i++]);
	o->argv[1 + o->nop] = NULL;
	return (OPT_END);
}

int
opt_operands(const struct opts *o, char ***argvp)
{

	*argvp = o->argv + 1;
	return (o->nop);
}
