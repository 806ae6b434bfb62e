/*
 * bhyvescript.c: the bhyve invocation of a POSIX shell script, split into
 * words as sh(1) would: backslash-newline joins lines, quotes and
 * backslashes quote, '#' starts a comment at a word's start, newlines,
 * ';', '&', '|', '(' and ')' end commands, redirections are dropped, and
 * here-documents (<<WORD, <<-WORD, the word quoted or not) are data: their
 * lines are skipped up to the delimiter line, as sh(1) reads them.
 * Parameter expansions and command substitutions inside the invocation
 * are reported at their line; ptvm never guesses their values.
 */
#include "compat.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bhyveargv.h"
#include "strbuf.h"

#define MAXEXP	64
#define MAXHEREDOC 16

struct expn {
	unsigned	 line;
	char		 text[48];
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

static void
note_exp(struct sctx *c, size_t start, unsigned line)
{
	struct expn *e;
	size_t n;

	if (c->nexp >= MAXEXP)
		return;
	e = &c->exp[c->nexp++];
	e->line = line;
	n = c->i - start;
	if (n >= sizeof(e->text))
		n = sizeof(e->text) - 4;
	memcpy(e->text, c->s + start, n);
	e->text[n] = '\0';
	if (c->i - start >= sizeof(e->text))
		strlcat(e->text, "...", sizeof(e->text));
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

/* At '$': an expansion, copied raw into the word and remembered. */
static void
dollar(struct sctx *c, struct strbuf *w)
{
	size_t start;
	unsigned line;
	int ch;

	start = c->i;
	line = c->line;
	ch = peek(c, 1);
	if (ch == '(') {
		c->i += 2;
		skip_to(c, '(', ')');
	} else if (ch == '{') {
		c->i += 2;
		skip_to(c, '{', '}');
	} else if (ch >= 0 && (isalpha(ch) || ch == '_')) {
		c->i++;
		while (c->i < c->len && (isalnum((unsigned char)c->s[c->i]) ||
		    c->s[c->i] == '_'))
			c->i++;
	} else if (ch >= 0 && (isdigit(ch) || strchr("@*#?$!-", ch) != NULL)) {
		c->i += 2;
	} else {
		sb_putc(w, '$');
		c->i++;
		return;
	}
	sb_putn(w, c->s + start, c->i - start);
	note_exp(c, start, line);
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
	note_exp(c, start, line);
}

static bool
is_sep(int ch)
{

	return (ch == ' ' || ch == '\t' || ch == '\n' || ch == ';' ||
	    ch == '&' || ch == '|' || ch == '(' || ch == ')' || ch == '<' ||
	    ch == '>' || ch == '\r');
}

/* Reads one word at c->i into w. */
static void
word(struct sctx *c, struct strbuf *w)
{
	int ch;

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
					dollar(c, w);
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
			dollar(c, w);
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

/* The end of a simple command: keep it if it runs bhyve. */
static void
end_command(struct sctx *c)
{
	size_t i, k;

	for (k = 0; k < c->cmd.n && is_prefix_word(c->cmd.v[k]); k++)
		;
	if (k < c->cmd.n && is_bhyve(c->cmd.v[k])) {
		c->count++;
		if (c->count == 1) {
			c->first = c->cmd.line[k];
			for (i = k; i < c->cmd.n; i++)
				if (bhyve_argv_push(c->out, c->cmd.v[i],
				    strlen(c->cmd.v[i]), c->cmd.line[i]) != 0)
					c->oom = 1;
			for (i = 0; i < c->nexp; i++) {
				if (c->exp[i].text[1] == '(' ||
				    c->exp[i].text[0] == '`')
					diag_add(c->d, DIAG_ERROR, c->file,
					    c->exp[i].line, "command "
					    "substitution %s: ptvm does not "
					    "run it; expand it by hand",
					    c->exp[i].text);
				else
					diag_add(c->d, DIAG_ERROR, c->file,
					    c->exp[i].line, "shell variable "
					    "%s: ptvm does not guess its "
					    "value; expand it by hand",
					    c->exp[i].text);
			}
		} else
			diag_add(c->d, DIAG_ERROR, c->file, c->cmd.line[k],
			    "another bhyve invocation (the first is at line "
			    "%u); ptvm imports one", c->first);
	}
	bhyve_argv_free(&c->cmd);
	c->nexp = 0;
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
	word(c, w);
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

int
bhyve_script_argv(const char *text, size_t len, const char *file,
    struct bhyve_argv *out, struct diags *d)
{
	struct sctx c;
	struct strbuf w;
	unsigned wline;
	int ch, before, redirect;

	memset(&c, 0, sizeof(c));
	c.s = text;
	c.len = len;
	c.line = 1;
	c.file = file;
	c.d = d;
	c.out = out;
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
			end_command(&c);
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
		word(&c, &w);
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
		if (bhyve_argv_push(&c.cmd, sb_str(&w), w.len, wline) != 0)
			c.oom = 1;
	}
	if (c.bad == 1)
		diag_add(d, DIAG_ERROR, file, c.line, "unterminated quote or "
		    "substitution at the end of the script");
	if (!c.bad)
		end_command(&c);
	while (c.nhd > 0)
		free(c.hdword[--c.nhd]);
	bhyve_argv_free(&c.cmd);
	sb_free(&w);
	if (c.count == 0 && !c.bad)
		diag_add(d, DIAG_ERROR, file, 0, "no bhyve invocation found");
	if (c.oom)
		return (-1);
	return (d->nerrors > before || c.count != 1 ? -1 : 0);
}
