/*
 * bhyvescript.c: the bhyve invocation of a POSIX shell script, split into
 * words as sh(1) would: backslash-newline joins lines, quotes and
 * backslashes quote, '#' starts a comment at a word's start, newlines,
 * ';', '&', '|', '(' and ')' end commands, redirections are dropped, and
 * here-documents (<<WORD, <<-WORD, the word quoted or not) are data: their
 * lines are skipped up to the delimiter line, as sh(1) reads them.
 * Shell variables assigned a literal at the script's top level (not in a
 * branch, loop, function, pipeline or after && or ||) before the
 * invocation are expanded as sh(1) would, unquoted ones split into
 * fields, each expansion said as a note with the line of its
 * assignment.  Everything else (command substitutions, arguments,
 * variables assigned in branches or from what ptvm cannot know) is
 * reported at its line; ptvm never guesses a value.
 */
#include "compat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bhyveargv.h"
#include "strbuf.h"

#define MAXEXP	64
#define MAXHEREDOC 16
#define MAXVARS	64

/* What an expansion in the command being read is. */
enum expkind {
	EXP_UNKNOWN,		/* a variable ptvm cannot know */
	EXP_SUBST,		/* a command substitution */
	EXP_SPECIAL,		/* $1, $@, $?, ... */
	EXP_EXPANDED,		/* a variable with a known value, expanded */
	EXP_COMPLEX,		/* ${name...} with an operator */
};

struct expn {
	unsigned	 line;
	char		 text[48];
	enum expkind	 kind;
	size_t		 word;		/* index of its word in the command */
	int		 var;		/* index in vars, or -1 */
};

/* Why a variable's value is not known. */
enum varwhy {
	VAR_LITERAL,		/* val holds it */
	VAR_BRANCH,		/* assigned in a branch, loop or function */
	VAR_NOTLIT,		/* assigned from what ptvm cannot know */
};

struct svar {
	char		 name[64];
	char		*val;
	unsigned	 line;
	enum varwhy	 why;
	bool		 used;
};

struct sctx {
	const char	*s;
	size_t		 len;
	size_t		 i;
	unsigned	 line;
	const char	*file;
	struct diags	*d;
	int		 oom;
	int		 bad;		/* unterminated quote etc. */
	/* the command being read */
	struct bhyve_argv cmd;
	struct expn	 exp[MAXEXP];
	size_t		 nexp;
	bool		 expfull;	/* expansions were left out */
	/* the script's variables, in order of first assignment */
	struct svar	 vars[MAXVARS];
	size_t		 nvars;
	int		 depth;		/* if/while/for/case/{ nesting */
	int		 pdepth;	/* ( nesting */
	bool		 cond;		/* after && or || */
	bool		 piped;		/* after | */
	/* fields of the word being read (unquoted expansions split) */
	bool		 wsplit;	/* a field came from an expansion */
	unsigned	 fline;		/* the line of the current field */
	bool		 fline_set;
	bool		 splitok;	/* a command word: fields split */
	struct bhyve_script_info *info;
	/* here-documents whose bodies start after the next newline */
	char		*hdword[MAXHEREDOC];
	bool		 hddash[MAXHEREDOC];
	size_t		 nhd;
	/* results */
	struct bhyve_argv *out;
	unsigned	 first;		/* line of the first invocation */
	int		 count;
};

static int
peek(struct sctx *c, size_t k)
{

	return (c->i + k < c->len ? (unsigned char)c->s[c->i + k] : -1);
}

static struct expn *
note_exp(struct sctx *c, size_t start, unsigned line, enum expkind kind)
{
	struct expn *e;
	size_t n;

	if (c->nexp >= MAXEXP) {
		c->expfull = true;
		return (NULL);
	}
	e = &c->exp[c->nexp++];
	e->line = line;
	e->kind = kind;
	e->word = c->cmd.n;
	e->var = -1;
	n = c->i - start;
	if (n >= sizeof(e->text))
		n = sizeof(e->text) - 4;
	memcpy(e->text, c->s + start, n);
	e->text[n] = '\0';
	if (c->i - start >= sizeof(e->text))
		strlcat(e->text, "...", sizeof(e->text));
	return (e);
}

/* Skips to the closing character, counting nesting and lines. */
static void
skip_to(struct sctx *c, int open, int close)
{
	int depth, ch;

	depth = 1;
	while (c->i < c->len) {
		ch = (unsigned char)c->s[c->i++];
		if (ch == '\n')
			c->line++;
		else if (ch == '\\' && c->i < c->len) {
			if (c->s[c->i] == '\n')
				c->line++;
			c->i++;
		} else if (open != close && ch == open)
			depth++;
		else if (ch == close && --depth == 0)
			return;
	}
	c->bad = 1;
}

static bool
name_char(int ch, bool first)
{

	return (isalpha(ch) || ch == '_' || (!first && isdigit(ch)));
}

static int
var_find(const struct sctx *c, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < c->nvars; i++)
		if (strlen(c->vars[i].name) == n &&
		    memcmp(c->vars[i].name, name, n) == 0)
			return ((int)i);
	return (-1);
}

/* The word so far is "NAME=": its expansions are not split. */
static bool
in_assignment(const struct strbuf *w)
{
	size_t i;

	if (w->len == 0 || !name_char((unsigned char)w->s[0], true))
		return (false);
	for (i = 1; i < w->len && name_char((unsigned char)w->s[i], false);
	    i++)
		;
	return (i < w->len && w->s[i] == '=');
}

/* Ends the current field of a word split by an expansion. */
static void
field_push(struct sctx *c, struct strbuf *w, unsigned wline)
{

	if (bhyve_argv_push(&c->cmd, sb_str(w), w->len, c->fline_set ?
	    c->fline : wline) != 0)
		c->oom = 1;
	sb_reset(w);
	c->fline_set = false;
}

/*
 * A known value in the word: quoted (or in an assignment) as it is,
 * unquoted split into fields at blanks and newlines as sh(1) does with
 * the default IFS; a field's line is the line of the value it starts in.
 */
static void
insert_value(struct sctx *c, struct strbuf *w, const struct svar *v, bool dq,
    unsigned wline)
{
	const char *p;
	unsigned line;

	if (dq || !c->splitok || in_assignment(w)) {
		sb_puts(w, v->val);
		return;
	}
	c->wsplit = true;
	line = v->line;
	for (p = v->val; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			if (w->len > 0)
				field_push(c, w, wline);
			if (*p == '\n')
				line++;
			continue;
		}
		if (w->len == 0) {
			c->fline = line;
			c->fline_set = true;
		}
		sb_putc(w, *p);
	}
}

/*
 * At '$': an expansion.  A variable with a known value is expanded; any
 * other is copied raw into the word; each is remembered for the command.
 */
static void
dollar(struct sctx *c, struct strbuf *w, bool dq, unsigned wline)
{
	struct expn *e;
	struct svar *v;
	const char *name;
	size_t start, n, k;
	unsigned line;
	enum expkind kind;
	int ch, vi;

	start = c->i;
	line = c->line;
	ch = peek(c, 1);
	name = NULL;
	n = 0;
	kind = EXP_UNKNOWN;
	if (ch == '(') {
		c->i += 2;
		skip_to(c, '(', ')');
		kind = EXP_SUBST;
	} else if (ch == '{') {
		c->i += 2;
		skip_to(c, '{', '}');
		name = c->s + start + 2;
		for (k = 0; start + 2 + k < c->i - 1 &&
		    name_char((unsigned char)name[k], k == 0); k++)
			;
		n = k;
		if (n == 0)
			kind = EXP_SPECIAL;
		else if (start + 2 + n != c->i - 1)
			kind = EXP_COMPLEX;
	} else if (ch >= 0 && (isalpha(ch) || ch == '_')) {
		c->i++;
		while (c->i < c->len && (isalnum((unsigned char)c->s[c->i]) ||
		    c->s[c->i] == '_'))
			c->i++;
		name = c->s + start + 1;
		n = c->i - start - 1;
	} else if (ch >= 0 && (isdigit(ch) || strchr("@*#?$!-", ch) != NULL)) {
		c->i += 2;
		kind = EXP_SPECIAL;
	} else {
		sb_putc(w, '$');
		c->i++;
		return;
	}
	vi = name != NULL && n > 0 ? var_find(c, name, n) : -1;
	v = vi >= 0 ? &c->vars[vi] : NULL;
	if (v != NULL)
		v->used = true;
	if (v != NULL && kind == EXP_UNKNOWN && v->why == VAR_LITERAL &&
	    !(!dq && c->splitok && strpbrk(v->val, "*?[") != NULL))
		kind = EXP_EXPANDED;
	e = note_exp(c, start, line, kind);
	if (e != NULL)
		e->var = vi;
	if (kind == EXP_EXPANDED)
		insert_value(c, w, v, dq, wline);
	else
		sb_putn(w, c->s + start, c->i - start);
}

static void
backquote(struct sctx *c, struct strbuf *w)
{
	size_t start;
	unsigned line;

	start = c->i;
	line = c->line;
	c->i++;
	skip_to(c, '`', '`');
	sb_putn(w, c->s + start, c->i - start);
	(void)note_exp(c, start, line, EXP_SUBST);
}

static bool
is_sep(int ch)
{

	return (ch == ' ' || ch == '\t' || ch == '\n' || ch == ';' ||
	    ch == '&' || ch == '|' || ch == '(' || ch == ')' || ch == '<' ||
	    ch == '>' || ch == '\r');
}

/*
 * Reads one word at c->i into w (the fields before its last pushed to the
 * command when an expansion split it).  Whether it had quotes in *quoted.
 */
static void
word(struct sctx *c, struct strbuf *w, unsigned wline, bool *quoted)
{
	int ch;

	*quoted = false;
	c->wsplit = false;
	c->fline_set = false;
	while (c->i < c->len) {
		ch = (unsigned char)c->s[c->i];
		if (is_sep(ch))
			return;
		if (ch == '\\') {
			if (peek(c, 1) == '\n') {
				c->line++;
				c->i += 2;
			} else if (peek(c, 1) >= 0) {
				sb_putc(w, c->s[c->i + 1]);
				c->i += 2;
			} else
				c->i++;
		} else if (ch == '\'') {
			*quoted = true;
			c->i++;
			while (c->i < c->len && c->s[c->i] != '\'') {
				if (c->s[c->i] == '\n')
					c->line++;
				sb_putc(w, c->s[c->i++]);
			}
			if (c->i >= c->len)
				c->bad = 1;
			else
				c->i++;
		} else if (ch == '"') {
			*quoted = true;
			c->i++;
			while (c->i < c->len && c->s[c->i] != '"') {
				ch = (unsigned char)c->s[c->i];
				if (ch == '\\' && peek(c, 1) >= 0 &&
				    strchr("$`\"\\\n", peek(c, 1)) != NULL) {
					if (peek(c, 1) == '\n')
						c->line++;
					else
						sb_putc(w, c->s[c->i + 1]);
					c->i += 2;
				} else if (ch == '$')
					dollar(c, w, true, wline);
				else if (ch == '`')
					backquote(c, w);
				else {
					if (ch == '\n')
						c->line++;
					sb_putc(w, (char)ch);
					c->i++;
				}
			}
			if (c->i >= c->len)
				c->bad = 1;
			else
				c->i++;
		} else if (ch == '$')
			dollar(c, w, false, wline);
		else if (ch == '`')
			backquote(c, w);
		else {
			sb_putc(w, (char)ch);
			c->i++;
		}
	}
}

static bool
is_assignment(const char *s)
{
	const char *p;

	if (!isalpha((unsigned char)*s) && *s != '_')
		return (false);
	for (p = s; isalnum((unsigned char)*p) || *p == '_'; p++)
		;
	return (*p == '=');
}

static bool
is_prefix_word(const char *s)
{
	static const char *words[] = { "if", "then", "else", "elif", "do",
	    "while", "until", "{", "!", "time", "exec", "sudo", "doas",
	    "nohup", "command", "env" };
	size_t i;

	for (i = 0; i < nitems(words); i++)
		if (strcmp(s, words[i]) == 0)
			return (true);
	return (is_assignment(s));
}

static bool
is_bhyve(const char *s)
{
	size_t n;

	n = strlen(s);
	return (strcmp(s, "bhyve") == 0 ||
	    (n > 6 && strcmp(s + n - 6, "/bhyve") == 0));
}

/* A value for a message: blanks as one space, at most about 60 bytes. */
static void
show_value(const char *v, char *buf, size_t len)
{
	size_t n;
	bool sp;

	n = 0;
	sp = false;
	for (; *v == ' ' || *v == '\t' || *v == '\n'; v++)
		;
	for (; *v != '\0' && n + 4 < len; v++) {
		if (*v == ' ' || *v == '\t' || *v == '\n') {
			sp = true;
			continue;
		}
		if (sp)
			buf[n++] = ' ';
		sp = false;
		buf[n++] = (unsigned char)*v < 0x20 || *v == 0x7f ? '?' : *v;
	}
	buf[n] = '\0';
	if (*v != '\0')
		(void)strlcat(buf, "...", len);
}

/* Whether word k of the command has an expansion ptvm does not know. */
static bool
word_unknown(const struct sctx *c, size_t k)
{
	size_t i;

	if (c->expfull)
		return (true);
	for (i = 0; i < c->nexp; i++)
		if (c->exp[i].word == k && c->exp[i].kind != EXP_EXPANDED)
			return (true);
	return (false);
}

/* NAME=VALUE at the given line: the variable's value from now on. */
static void
assign(struct sctx *c, const char *word, unsigned line, enum varwhy why)
{
	struct svar *v;
	const char *eq;
	int vi;

	eq = strchr(word, '=');
	if ((size_t)(eq - word) >= sizeof(v->name))
		return;
	if ((vi = var_find(c, word, (size_t)(eq - word))) < 0) {
		if (c->nvars == MAXVARS)
			return;
		v = &c->vars[c->nvars++];
		memset(v, 0, sizeof(*v));
		memcpy(v->name, word, (size_t)(eq - word));
		v->name[eq - word] = '\0';
	} else
		v = &c->vars[vi];
	free(v->val);
	v->val = NULL;
	v->line = line;
	v->why = why;
	if (why == VAR_LITERAL && (v->val = strdup(eq + 1)) == NULL) {
		c->oom = 1;
		v->why = VAR_NOTLIT;
	}
}

/* A variable set by read, for, getopts: not known. */
static void
assign_unknown(struct sctx *c, const char *name, unsigned line)
{
	char buf[70];

	if (!is_assignment(name) && name_char((unsigned char)*name, true) &&
	    strlen(name) < 64 && strpbrk(name, "=-") == NULL) {
		(void)snprintf(buf, sizeof(buf), "%s=", name);
		assign(c, buf, line, VAR_NOTLIT);
	}
}

static void
info_pptdevs(struct sctx *c, const char *val, unsigned line, const char *via)
{
	struct bhyve_script_info *in;

	if ((in = c->info) == NULL)
		return;
	free(in->pptdevs);
	free(in->pptvia);
	in->pptvia = NULL;
	in->pptline = line;
	if ((in->pptdevs = strdup(val)) == NULL ||
	    (via != NULL && (in->pptvia = strdup(via)) == NULL))
		c->oom = 1;
}

/*
 * The reserved words at the command's start: the nesting ptvm follows
 * to know which assignments always happen.  The index of the first
 * other word.
 */
static size_t
reserved(struct sctx *c)
{
	static const char *const open[] = { "if", "while", "until", "for",
	    "case", "{" };
	static const char *const close[] = { "fi", "done", "esac", "}" };
	static const char *const mid[] = { "then", "else", "elif", "do",
	    "!" };
	size_t k, j;

	for (k = 0; k < c->cmd.n; k++) {
		for (j = 0; j < nitems(open); j++)
			if (strcmp(c->cmd.v[k], open[j]) == 0)
				break;
		if (j < nitems(open)) {
			c->depth++;
			if (j == 3 && k + 1 < c->cmd.n)	/* for NAME */
				assign_unknown(c, c->cmd.v[k + 1],
				    c->cmd.line[k + 1]);
			if (j == 3 || j == 4)
				return (c->cmd.n);
			continue;
		}
		for (j = 0; j < nitems(close); j++)
			if (strcmp(c->cmd.v[k], close[j]) == 0)
				break;
		if (j < nitems(close)) {
			if (c->depth > 0)
				c->depth--;
			continue;
		}
		for (j = 0; j < nitems(mid); j++)
			if (strcmp(c->cmd.v[k], mid[j]) == 0)
				break;
		if (j == nitems(mid))
			break;
	}
	return (k);
}

/* The assignments of a command that is not bhyve's. */
static void
assignments(struct sctx *c, size_t k0, int sep)
{
	size_t k, n;
	bool branch;
	const char *w;

	branch = c->depth > 0 || c->pdepth > 0 || c->cond || c->piped ||
	    sep == '|' || sep == '&';
	for (n = k0; n < c->cmd.n && is_assignment(c->cmd.v[n]); n++)
		;
	if (n == c->cmd.n || (n == k0 + 1 && k0 + 1 < c->cmd.n &&
	    (strcmp(c->cmd.v[k0], "export") == 0 ||
	    strcmp(c->cmd.v[k0], "readonly") == 0))) {
		if (n < c->cmd.n)	/* export NAME=... */
			k0 = n = k0 + 1;
		for (k = k0; k < c->cmd.n; k++) {
			w = c->cmd.v[k];
			if (!is_assignment(w))
				continue;
			assign(c, w, c->cmd.line[k], branch ? VAR_BRANCH :
			    word_unknown(c, k) ? VAR_NOTLIT : VAR_LITERAL);
			if (strncmp(w, "pptdevs=", 8) == 0 && !branch &&
			    !word_unknown(c, k))
				info_pptdevs(c, w + 8, c->cmd.line[k], NULL);
		}
		return;
	}
	/* NAME=VALUE before a command: its environment only. */
	for (k = k0; k < n; k++)
		if (strncmp(c->cmd.v[k], "pptdevs=", 8) == 0 &&
		    !word_unknown(c, k))
			info_pptdevs(c, c->cmd.v[k] + 8, c->cmd.line[k],
			    c->cmd.v[n]);
	w = c->cmd.v[n];
	if (strcmp(w, "read") == 0 || strcmp(w, "getopts") == 0 ||
	    strcmp(w, "local") == 0) {
		for (k = n + 1; k < c->cmd.n; k++)
			if (c->cmd.v[k][0] != '-')
				assign_unknown(c, c->cmd.v[k],
				    c->cmd.line[k]);
	}
}

/* What is said about one expansion of the bhyve command. */
static void
say_exp(struct sctx *c, const struct expn *e)
{
	const struct svar *v;
	char val[80];

	v = e->var >= 0 ? &c->vars[e->var] : NULL;
	switch (e->kind) {
	case EXP_EXPANDED:
		show_value(v->val, val, sizeof(val));
		diag_add(c->d, DIAG_NOTE, c->file, e->line, "%s expanded to "
		    "\"%s\", the value line %u assigns", e->text, val,
		    v->line);
		return;
	case EXP_SUBST:
		diag_add(c->d, DIAG_ERROR, c->file, e->line, "command "
		    "substitution %s: ptvm does not run it; expand it by hand",
		    e->text);
		return;
	case EXP_SPECIAL:
		diag_add(c->d, DIAG_ERROR, c->file, e->line, "%s: a script "
		    "argument or special parameter; ptvm does not guess its "
		    "value; expand it by hand", e->text);
		return;
	case EXP_COMPLEX:
		diag_add(c->d, DIAG_ERROR, c->file, e->line, "%s: ptvm expands "
		    "$NAME and ${NAME} only; expand it by hand", e->text);
		return;
	case EXP_UNKNOWN:
		break;
	}
	if (v == NULL)
		diag_add(c->d, DIAG_ERROR, c->file, e->line, "shell variable "
		    "%s: not assigned in the script before this line (the "
		    "environment's?); ptvm does not guess its value; expand it "
		    "by hand", e->text);
	else if (v->why == VAR_BRANCH)
		diag_add(c->d, DIAG_ERROR, c->file, e->line, "shell variable "
		    "%s: assigned at line %u in a branch, loop, function or "
		    "pipeline; ptvm cannot know which value bhyve gets; expand "
		    "it by hand", e->text, v->line);
	else if (v->why == VAR_NOTLIT)
		diag_add(c->d, DIAG_ERROR, c->file, e->line, "shell variable "
		    "%s: line %u gives it a value ptvm cannot know (a command "
		    "substitution, read, for or another such variable); expand "
		    "it by hand", e->text, v->line);
	else
		diag_add(c->d, DIAG_ERROR, c->file, e->line, "shell variable "
		    "%s: its value (line %u) has *, ? or [, which sh(1) "
		    "matches against file names; quote it or expand it by "
		    "hand", e->text, v->line);
}

/* The end of a simple command: keep it if it runs bhyve. */
static void
end_command(struct sctx *c, int sep)
{
	size_t i, k, k0;

	if (c->cmd.n == 0) {
		if (sep != '\n' && sep != 'A' && sep != 'O')
			c->cond = false;
		c->piped = sep == '|';
		c->nexp = 0;
		c->expfull = false;
		return;
	}
	k0 = reserved(c);
	for (k = k0; k < c->cmd.n && is_prefix_word(c->cmd.v[k]); k++)
		;
	if (k < c->cmd.n && is_bhyve(c->cmd.v[k])) {
		c->count++;
		if (c->count == 1) {
			c->first = c->cmd.line[k];
			for (i = k; i < c->cmd.n; i++)
				if (bhyve_argv_push(c->out, c->cmd.v[i],
				    strlen(c->cmd.v[i]), c->cmd.line[i]) != 0)
					c->oom = 1;
			for (i = 0; i < c->nexp; i++)
				say_exp(c, &c->exp[i]);
		} else
			diag_add(c->d, DIAG_ERROR, c->file, c->cmd.line[k],
			    "another bhyve invocation (the first is at line "
			    "%u); ptvm imports one", c->first);
	} else if (k0 < c->cmd.n)
		assignments(c, k0, sep);
	c->cond = sep == 'A' || sep == 'O';
	c->piped = sep == '|';
	bhyve_argv_free(&c->cmd);
	c->nexp = 0;
	c->expfull = false;
}

/*
 * At "<<" (c->i past it): the delimiter word, quotes removed as sh(1)
 * does; the body is skipped at the end of the line.
 */
static void
heredoc_op(struct sctx *c, struct strbuf *w)
{
	size_t nexp;
	unsigned line;
	bool quoted;

	line = c->line;
	if (c->i < c->len && c->s[c->i] == '-') {
		c->hddash[c->nhd < MAXHEREDOC ? c->nhd : 0] = true;
		c->i++;
	} else if (c->nhd < MAXHEREDOC)
		c->hddash[c->nhd] = false;
	while (c->i < c->len && (c->s[c->i] == ' ' || c->s[c->i] == '\t'))
		c->i++;
	nexp = c->nexp;
	sb_reset(w);
	c->splitok = false;
	word(c, w, line, &quoted);
	if (w->oom)
		c->oom = 1;
	if (w->len == 0 || c->bad) {
		diag_add(c->d, DIAG_ERROR, c->file, line, "a here-document "
		    "(<<) without its delimiter word");
		c->bad = 2;
		return;
	}
	/* sh(1) refuses these delimiters (docs/freebsd.md B-IMP1). */
	if (c->nexp != nexp || w->len > 79) {
		c->nexp = nexp;
		diag_add(c->d, DIAG_ERROR, c->file, line, "here-document "
		    "delimiter \"%.40s\": sh(1) refuses one with an unquoted $ "
		    "or ` or longer than 79 bytes", sb_str(w));
		c->bad = 2;
		return;
	}
	if (c->nhd == MAXHEREDOC) {
		diag_add(c->d, DIAG_ERROR, c->file, line, "more than %d "
		    "here-documents on one line", MAXHEREDOC);
		c->bad = 2;
		return;
	}
	if ((c->hdword[c->nhd] = strdup(sb_str(w))) == NULL) {
		c->oom = 1;
		c->bad = 2;
		return;
	}
	c->nhd++;
}

/*
 * After a newline: the bodies of the line's here-documents, each up to a
 * line that is its delimiter (leading tabs removed for <<-), or the end.
 */
static void
heredoc_bodies(struct sctx *c)
{
	const char *b, *e;
	size_t k, n;

	for (k = 0; k < c->nhd; k++) {
		n = strlen(c->hdword[k]);
		while (c->i < c->len) {
			b = c->s + c->i;
			e = memchr(b, '\n', c->len - c->i);
			if (e == NULL)
				e = c->s + c->len;
			c->i = (size_t)(e - c->s) + (e < c->s + c->len ? 1 : 0);
			c->line++;
			if (c->hddash[k])
				while (b < e && *b == '\t')
					b++;
			if ((size_t)(e - b) == n && memcmp(b, c->hdword[k], n) ==
			    0)
				break;
		}
		free(c->hdword[k]);
		c->hdword[k] = NULL;
	}
	c->nhd = 0;
}

void
bhyve_script_info_free(struct bhyve_script_info *in)
{
	size_t i;

	free(in->pptdevs);
	free(in->pptvia);
	for (i = 0; i < in->nunused; i++) {
		free(in->unused[i].name);
		free(in->unused[i].val);
	}
	memset(in, 0, sizeof(*in));
}

/* The variables assigned a literal and never expanded. */
static void
info_unused(struct sctx *c)
{
	struct bhyve_script_var *u;
	size_t i;

	if (c->info == NULL)
		return;
	for (i = 0; i < c->nvars; i++) {
		if (c->vars[i].used || c->vars[i].why != VAR_LITERAL ||
		    c->info->nunused == nitems(c->info->unused))
			continue;
		u = &c->info->unused[c->info->nunused];
		u->line = c->vars[i].line;
		if ((u->name = strdup(c->vars[i].name)) == NULL ||
		    (u->val = strdup(c->vars[i].val)) == NULL) {
			free(u->name);
			c->oom = 1;
			return;
		}
		c->info->nunused++;
	}
}

int
bhyve_script_argv(const char *text, size_t len, const char *file,
    struct bhyve_argv *out, struct diags *d)
{
	struct bhyve_script_info in;
	int rv;

	memset(&in, 0, sizeof(in));
	rv = bhyve_script_argv_info(text, len, file, out, &in, d);
	bhyve_script_info_free(&in);
	return (rv);
}

int
bhyve_script_argv_info(const char *text, size_t len, const char *file,
    struct bhyve_argv *out, struct bhyve_script_info *info, struct diags *d)
{
	struct sctx c;
	struct strbuf w;
	unsigned wline;
	size_t i;
	int ch, sep, before, redirect;
	bool quoted;

	memset(&c, 0, sizeof(c));
	memset(info, 0, sizeof(*info));
	c.s = text;
	c.len = len;
	c.line = 1;
	c.file = file;
	c.d = d;
	c.out = out;
	c.info = info;
	before = d->nerrors;
	sb_init(&w);
	redirect = 0;
	while (c.i < c.len && !c.bad) {
		ch = (unsigned char)c.s[c.i];
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			c.i++;
			continue;
		}
		if (ch == '\\' && peek(&c, 1) == '\n') {
			c.i += 2;
			c.line++;
			continue;
		}
		if (ch == '\n' || ch == ';' || ch == '&' || ch == '|' ||
		    ch == '(' || ch == ')') {
			if (ch == '&' && redirect) {
				c.i++;
				continue;
			}
			if (ch == '\n')
				c.line++;
			c.i++;
			redirect = 0;
			sep = ch;
			if ((ch == '&' || ch == '|') && peek(&c, 0) == ch) {
				c.i++;
				sep = ch == '&' ? 'A' : 'O';
			}
			end_command(&c, sep);
			if (ch == '(')
				c.pdepth++;
			else if (ch == ')' && c.pdepth > 0)
				c.pdepth--;
			if (ch == '\n' && c.nhd > 0)
				heredoc_bodies(&c);
			continue;
		}
		if (ch == '<' && peek(&c, 1) == '<' && peek(&c, 2) != '<') {
			c.i += 2;
			heredoc_op(&c, &w);
			continue;
		}
		if (ch == '<' || ch == '>') {
			while (c.i < c.len && (c.s[c.i] == '<' ||
			    c.s[c.i] == '>' || c.s[c.i] == '&'))
				c.i++;
			redirect = 1;
			continue;
		}
		if (ch == '#') {
			while (c.i < c.len && c.s[c.i] != '\n')
				c.i++;
			continue;
		}
		if (ch == '\0') {
			diag_add(d, DIAG_ERROR, file, c.line, "a NUL byte: "
			    "not a shell script");
			c.bad = 2;
			break;
		}
		sb_reset(&w);
		wline = c.line;
		c.splitok = !redirect;
		word(&c, &w, wline, &quoted);
		if (w.oom)
			c.oom = 1;
		if (redirect) {
			redirect = 0;
			continue;
		}
		/* A word of digits right before '>' is a descriptor. */
		if ((c.i < c.len && (c.s[c.i] == '>' || c.s[c.i] == '<')) &&
		    w.len > 0 && strspn(sb_str(&w), "0123456789") == w.len)
			continue;
		/* An unquoted expansion to nothing leaves no word. */
		if (w.len == 0 && c.wsplit && !quoted)
			continue;
		if (bhyve_argv_push(&c.cmd, sb_str(&w), w.len, c.fline_set ?
		    c.fline : wline) != 0)
			c.oom = 1;
	}
	if (c.bad == 1)
		diag_add(d, DIAG_ERROR, file, c.line, "unterminated quote or "
		    "substitution at the end of the script");
	if (!c.bad)
		end_command(&c, 0);
	info_unused(&c);
	while (c.nhd > 0)
		free(c.hdword[--c.nhd]);
	for (i = 0; i < c.nvars; i++)
		free(c.vars[i].val);
	bhyve_argv_free(&c.cmd);
	sb_free(&w);
	if (c.count == 0 && !c.bad)
		diag_add(d, DIAG_ERROR, file, 0, "no bhyve invocation found");
	if (c.oom)
		return (-1);
	return (d->nerrors > before || c.count != 1 ? -1 : 0);
}
