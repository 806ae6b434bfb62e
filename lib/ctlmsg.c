/*
 * ctlmsg.c: the supervisor's control-socket and start-pipe lines (see
 * ctlmsg.h for the grammar).
 */
#include "compat.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ctlmsg.h"
#include "util.h"

static const struct {
	enum ctl_kind	 kind;
	const char	*word;
	unsigned	 chans;		/* 1 << enum ctl_chan */
} ctl_words[] = {
	{ CTL_STOP, "stop", 1 << CTL_CH_REQUEST },
	{ CTL_WAIT, "wait", 1 << CTL_CH_REPLY },
	{ CTL_LOG, "log", 1 << CTL_CH_REPLY },
	{ CTL_GAVEUP, "gaveup", 1 << CTL_CH_REPLY },
	{ CTL_DONE, "done", 1 << CTL_CH_REPLY },
	{ CTL_ERROR, "error", 1 << CTL_CH_REPLY | 1 << CTL_CH_START },
	{ CTL_RUNNING, "running", 1 << CTL_CH_START },
	{ CTL_ENDED, "ended", 1 << CTL_CH_START },
};

static const enum diag_level ctl_levels[] = {
	DIAG_NOTE, DIAG_WARN, DIAG_ERROR
};

void
ctl_init(struct ctl_msg *m, enum ctl_kind kind)
{

	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->level = DIAG_NOTE;
}

/* Copies n bytes of text; a control character becomes a space. */
static void
ctl_copy_text(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7f ?
		    ' ' : src[i];
	dst[n] = '\0';
}

void
ctl_set_text(struct ctl_msg *m, const char *s)
{

	ctl_copy_text(m->text, s, strnlen(s, sizeof(m->text) - 1));
}

static const char *
ctl_word(enum ctl_kind kind)
{
	size_t i;

	for (i = 0; i < nitems(ctl_words); i++)
		if (ctl_words[i].kind == kind)
			return (ctl_words[i].word);
	return (NULL);
}

static bool
ctl_in(int v, int min, int max)
{

	return (v >= min && v <= max);
}

int
ctl_format(const struct ctl_msg *m, char *buf, size_t sz)
{
	char text[CTL_TEXTMAX];
	const char *w;
	int n;

	if ((w = ctl_word(m->kind)) == NULL || sz < CTL_LINEMAX)
		return (-1);
	/* The text may have been set directly: it is one line here too. */
	ctl_copy_text(text, m->text, strnlen(m->text, sizeof(m->text) - 1));
	switch (m->kind) {
	case CTL_STOP:
		if (!ctl_in(m->timeout, 0, CTL_SECMAX) ||
		    !ctl_in(m->within, 0, CTL_SECMAX))
			return (-1);
		n = snprintf(buf, sz, "%s %d %d %d\n", w, m->timeout,
		    m->force ? 1 : 0, m->within);
		break;
	case CTL_WAIT:
		if (!ctl_in(m->seconds, 0, CTL_SECMAX))
			return (-1);
		n = snprintf(buf, sz, "%s %d\n", w, m->seconds);
		break;
	case CTL_RUNNING:
		if (m->pid <= 0)
			return (-1);
		n = snprintf(buf, sz, "%s %d\n", w, m->pid);
		break;
	case CTL_LOG:
		n = snprintf(buf, sz, "%s %s%s%s\n", w,
		    diag_level_name(m->level), text[0] != '\0' ? " " : "",
		    text);
		break;
	case CTL_DONE:
	case CTL_ENDED:
		if (!ctl_in(m->code, 0, CTL_CODEMAX))
			return (-1);
		n = snprintf(buf, sz, "%s %d%s%s\n", w, m->code,
		    text[0] != '\0' ? " " : "", text);
		break;
	case CTL_ERROR:
		n = snprintf(buf, sz, "%s%s%s\n", w,
		    text[0] != '\0' ? " " : "", text);
		break;
	default:
		n = snprintf(buf, sz, "%s\n", w);
		break;
	}
	return (n > 0 && (size_t)n < CTL_LINEMAX ? n : -1);
}

/*
 * The next space-separated field of s[*i..len) as a number in [min, max];
 * *i ends past it (at the space or the end).
 */
static int
ctl_num(const char *s, size_t len, size_t *i, long long min, long long max,
    int *out)
{
	char field[16];
	long long v;
	size_t j;

	for (j = 0; *i + j < len && s[*i + j] != ' '; j++)
		if (j >= sizeof(field) - 1)
			return (-1);
	memcpy(field, s + *i, j);
	field[j] = '\0';
	if (util_strtonum(field, min, max, &v) != 0)
		return (-1);
	*i += j;
	*out = (int)v;
	return (0);
}

/* s[*i..len) is "" or " TEXT": the text of m. */
static int
ctl_text(const char *s, size_t len, size_t i, struct ctl_msg *m)
{

	if (i == len) {
		m->text[0] = '\0';
		return (0);
	}
	if (s[i] != ' ' || len - i - 1 >= sizeof(m->text))
		return (-1);
	ctl_copy_text(m->text, s + i + 1, len - i - 1);
	return (0);
}

/* s[*i] is a space; *i steps past it. */
static int
ctl_space(const char *s, size_t len, size_t *i)
{

	if (*i >= len || s[*i] != ' ')
		return (-1);
	(*i)++;
	return (0);
}

int
ctl_parse(enum ctl_chan ch, const char *s, size_t len, struct ctl_msg *m)
{
	size_t i, k, wl;
	int f;

	if (len >= CTL_LINEMAX || memchr(s, '\0', len) != NULL)
		return (-1);
	for (k = 0; k < nitems(ctl_words); k++) {
		wl = strlen(ctl_words[k].word);
		if ((ctl_words[k].chans & (1u << ch)) != 0 && len >= wl &&
		    memcmp(s, ctl_words[k].word, wl) == 0 &&
		    (len == wl || s[wl] == ' '))
			break;
	}
	if (k == nitems(ctl_words))
		return (-1);
	ctl_init(m, ctl_words[k].kind);
	i = wl;
	switch (m->kind) {
	case CTL_STOP:
		if (ctl_space(s, len, &i) != 0 ||
		    ctl_num(s, len, &i, 0, CTL_SECMAX, &m->timeout) != 0 ||
		    ctl_space(s, len, &i) != 0 ||
		    ctl_num(s, len, &i, 0, 1, &f) != 0 ||
		    ctl_space(s, len, &i) != 0 ||
		    ctl_num(s, len, &i, 0, CTL_SECMAX, &m->within) != 0 ||
		    i != len)
			return (-1);
		m->force = f == 1;
		return (0);
	case CTL_WAIT:
		return (ctl_space(s, len, &i) != 0 ||
		    ctl_num(s, len, &i, 0, CTL_SECMAX, &m->seconds) != 0 ||
		    i != len ? -1 : 0);
	case CTL_RUNNING:
		return (ctl_space(s, len, &i) != 0 ||
		    ctl_num(s, len, &i, 1, INT_MAX, &m->pid) != 0 ||
		    i != len ? -1 : 0);
	case CTL_GAVEUP:
		return (i == len ? 0 : -1);
	case CTL_DONE:
	case CTL_ENDED:
		if (ctl_space(s, len, &i) != 0 ||
		    ctl_num(s, len, &i, 0, CTL_CODEMAX, &m->code) != 0)
			return (-1);
		return (ctl_text(s, len, i, m));
	case CTL_LOG:
		if (ctl_space(s, len, &i) != 0)
			return (-1);
		for (k = 0; k < nitems(ctl_levels); k++) {
			wl = strlen(diag_level_name(ctl_levels[k]));
			if (len - i >= wl && memcmp(s + i,
			    diag_level_name(ctl_levels[k]), wl) == 0 &&
			    (len - i == wl || s[i + wl] == ' '))
				break;
		}
		if (k == nitems(ctl_levels))
			return (-1);
		m->level = ctl_levels[k];
		return (ctl_text(s, len, i + wl, m));
	case CTL_ERROR:
		return (ctl_text(s, len, i, m));
	}
	return (-1);
}
