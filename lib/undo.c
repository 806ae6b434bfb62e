/*
 * undo.c: the undo journal's entries, parsed and formatted.  Pure.
 */
#include "compat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "undo.h"

static const char *const kinds[] = {
	[UNDO_SYSCTL] = "sysctl",
	[UNDO_TAP] = "tap",
	[UNDO_CPUSET] = "cpuset",
	[UNDO_BIND] = "bind",
	[UNDO_SWTPM] = "swtpm",
};

const char *
undo_kind_name(enum undo_kind k)
{

	return ((size_t)k < nitems(kinds) ? kinds[k] : "?");
}

void
undo_init(struct undo_list *l)
{

	memset(l, 0, sizeof(*l));
}

static void
entry_free(struct undo_entry *e)
{
	int i;

	for (i = 0; i < e->nw; i++)
		free(e->w[i]);
	memset(e, 0, sizeof(*e));
}

void
undo_free(struct undo_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		entry_free(&l->e[i]);
	free(l->e);
	undo_init(l);
}

static bool
word_ok(const char *w, size_t n)
{
	size_t i;

	if (n == 0 || n > UNDO_WORDMAX)
		return (false);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];

		if (c <= ' ' || c >= 0x7f || c == '"' || c == '\'' ||
		    c == '\\' || c == '#')
			return (false);
	}
	return (true);
}

/* Whether the number of words fits the kind; a message when not. */
static const char *
count_problem(enum undo_kind k, int nw, const char *const *w)
{

	switch (k) {
	case UNDO_SYSCTL:
		return (nw == 2 ? NULL : "sysctl takes a name and a value");
	case UNDO_TAP:
		return (nw == 1 ? NULL : "tap takes an interface name");
	case UNDO_CPUSET:
		return (nw >= 1 ? NULL : "cpuset takes cpuset(1) arguments");
	case UNDO_BIND:
		if (nw != 2)
			return ("bind takes a selector and keep or unbind");
		if (strcmp(w[1], "keep") != 0 && strcmp(w[1], "unbind") != 0)
			return ("bind ends with keep or unbind");
		return (NULL);
	case UNDO_SWTPM:
		return (nw == 2 && strspn(w[0], "0123456789") == strlen(w[0]) ?
		    NULL : "swtpm takes a pid and a socket path");
	}
	return ("unknown entry");
}

static int
grow(struct undo_list *l)
{
	struct undo_entry *ne;
	size_t nc;

	if (l->n >= UNDO_MAXENTRIES)
		return (ENOSPC);
	if (l->n < l->cap)
		return (0);
	nc = l->cap == 0 ? 8 : l->cap * 2;
	if ((ne = reallocarray(l->e, nc, sizeof(*ne))) == NULL)
		return (ENOMEM);
	l->e = ne;
	l->cap = nc;
	return (0);
}

int
undo_add(struct undo_list *l, enum undo_kind k, const char *const *words)
{
	struct undo_entry *e;
	int nw, e2;

	for (nw = 0; words[nw] != NULL; nw++)
		if (nw >= UNDO_MAXWORDS ||
		    !word_ok(words[nw], strlen(words[nw])))
			return (EINVAL);
	if ((size_t)k >= nitems(kinds) || count_problem(k, nw, words) != NULL)
		return (EINVAL);
	if ((e2 = grow(l)) != 0)
		return (e2);
	e = &l->e[l->n];
	memset(e, 0, sizeof(*e));
	e->kind = k;
	for (e->nw = 0; e->nw < nw; e->nw++)
		if ((e->w[e->nw] = strdup(words[e->nw])) == NULL) {
			entry_free(e);
			return (ENOMEM);
		}
	l->n++;
	return (0);
}

void
undo_remove(struct undo_list *l, size_t i)
{

	if (i >= l->n)
		return;
	entry_free(&l->e[i]);
	memmove(&l->e[i], &l->e[i + 1], (l->n - i - 1) * sizeof(l->e[0]));
	l->n--;
}

ssize_t
undo_find(const struct undo_list *l, enum undo_kind k,
    const char *const *words)
{
	size_t i;
	int j;

	for (i = l->n; i-- > 0;) {
		if (l->e[i].kind != k)
			continue;
		for (j = 0; j < l->e[i].nw && words[j] != NULL; j++)
			if (strcmp(l->e[i].w[j], words[j]) != 0)
				break;
		if (j == l->e[i].nw && words[j] == NULL)
			return ((ssize_t)i);
	}
	return (-1);
}

int
undo_parse(const char *buf, size_t len, const char *file,
    struct undo_list *l, struct diags *d)
{
	char lb[(UNDO_MAXWORDS + 2) * (UNDO_WORDMAX + 1)];
	const char *p, *end, *nl, *why, *words[UNDO_MAXWORDS + 3];
	unsigned line;
	size_t n, k;
	char *w, *save;
	int nw, e, bad;

	end = buf + len;
	line = 0;
	bad = 0;
	for (p = buf; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		why = NULL;
		nw = 0;
		if (n >= sizeof(lb) || memchr(p, '\0', n) != NULL)
			why = "line too long, or binary";
		else {
			memcpy(lb, p, n);
			lb[n] = '\0';
			if ((w = strchr(lb, '#')) != NULL)
				*w = '\0';
			for (w = strtok_r(lb, " \t\r", &save); w != NULL &&
			    why == NULL; w = strtok_r(NULL, " \t\r", &save)) {
				if (nw > UNDO_MAXWORDS)
					why = "too many words";
				else if (!word_ok(w, strlen(w)))
					why = "a word holds a character ptvm "
					    "never writes";
				else
					words[nw++] = w;
			}
		}
		if (why == NULL && nw == 0)
			continue;
		for (k = 0; why == NULL && k < nitems(kinds); k++)
			if (strcmp(words[0], kinds[k]) == 0)
				break;
		if (why == NULL && k == nitems(kinds))
			why = "unknown entry (sysctl, tap, cpuset or bind)";
		if (why == NULL) {
			words[nw] = NULL;
			why = count_problem((enum undo_kind)k, nw - 1,
			    words + 1);
		}
		if (why == NULL) {
			if ((e = undo_add(l, (enum undo_kind)k, words + 1)) != 0)
				why = e == ENOSPC ? "too many entries" :
				    "out of memory";
			else
				l->e[l->n - 1].line = line;
		}
		if (why != NULL) {
			diag_err(d, file, line, "%s", why);
			bad++;
		}
	}
	return (bad > 0 ? -1 : 0);
}

void
undo_format_entry(const struct undo_entry *e, struct strbuf *sb)
{
	int i;

	sb_puts(sb, undo_kind_name(e->kind));
	for (i = 0; i < e->nw; i++) {
		sb_putc(sb, ' ');
		sb_puts(sb, e->w[i]);
	}
}

void
undo_format(const struct undo_list *l, const char *vm, struct strbuf *sb)
{
	size_t i;

	sb_printf(sb, "# ptvm undo journal of VM %s: host changes still in "
	    "effect,\n# oldest first.  \"ptvm host restore\" undoes them.\n",
	    vm);
	for (i = 0; i < l->n; i++) {
		undo_format_entry(&l->e[i], sb);
		sb_putc(sb, '\n');
	}
}
