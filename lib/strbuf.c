/*
 * strbuf.c: growable strings and the JSON writer.
 */
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

void
sb_init(struct strbuf *sb)
{

	sb->s = NULL;
	sb->len = sb->cap = 0;
	sb->oom = false;
}

void
sb_free(struct strbuf *sb)
{

	free(sb->s);
	sb_init(sb);
}

void
sb_reset(struct strbuf *sb)
{

	sb->len = 0;
	if (sb->s != NULL)
		sb->s[0] = '\0';
}

static bool
sb_grow(struct strbuf *sb, size_t need)
{
	size_t ncap;
	char *ns;

	if (sb->oom)
		return (false);
	if (need < sb->cap - sb->len && sb->s != NULL)
		return (true);
	ncap = sb->cap ? sb->cap : 256;
	while (ncap - sb->len <= need) {
		if (ncap > SIZE_MAX / 2) {
			sb->oom = true;
			return (false);
		}
		ncap *= 2;
	}
	if ((ns = realloc(sb->s, ncap)) == NULL) {
		sb->oom = true;
		return (false);
	}
	sb->s = ns;
	sb->cap = ncap;
	return (true);
}

void
sb_putn(struct strbuf *sb, const char *p, size_t n)
{

	if (!sb_grow(sb, n))
		return;
	memcpy(sb->s + sb->len, p, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void
sb_putc(struct strbuf *sb, char c)
{

	sb_putn(sb, &c, 1);
}

void
sb_puts(struct strbuf *sb, const char *s)
{

	sb_putn(sb, s, strlen(s));
}

void
sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sb_grow(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(sb->s + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

const char *
sb_str(struct strbuf *sb)
{

	if (sb->s == NULL)
		return ("");
	return (sb->s);
}

void
json_init(struct json *j, struct strbuf *sb)
{

	j->sb = sb;
	j->depth = 0;
	j->first[0] = true;
}

void
json_escape(struct strbuf *sb, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c;
	size_t i;

	sb_putc(sb, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		switch (c) {
		case '"':
			sb_puts(sb, "\\\"");
			break;
		case '\\':
			sb_puts(sb, "\\\\");
			break;
		case '\n':
			sb_puts(sb, "\\n");
			break;
		case '\t':
			sb_puts(sb, "\\t");
			break;
		case '\r':
			sb_puts(sb, "\\r");
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				sb_puts(sb, "\\u00");
				sb_putc(sb, hex[c >> 4]);
				sb_putc(sb, hex[c & 0xf]);
			} else
				sb_putc(sb, (char)c);
		}
	}
	sb_putc(sb, '"');
}

static void
json_key(struct json *j, const char *key)
{

	if (!j->first[j->depth])
		sb_putc(j->sb, ',');
	j->first[j->depth] = false;
	if (key != NULL) {
		json_escape(j->sb, key, strlen(key));
		sb_putc(j->sb, ':');
	}
}

static void
json_open(struct json *j, const char *key, char c)
{

	json_key(j, key);
	sb_putc(j->sb, c);
	if (j->depth + 1 >= JSON_MAXDEPTH) {
		j->sb->oom = true;	/* too deep: mark the output unusable */
		return;
	}
	j->depth++;
	j->first[j->depth] = true;
	j->kind[j->depth] = c == '{' ? '}' : ']';
}

void
json_obj(struct json *j, const char *key)
{

	json_open(j, key, '{');
}

void
json_arr(struct json *j, const char *key)
{

	json_open(j, key, '[');
}

void
json_end(struct json *j)
{

	if (j->depth == 0)
		return;
	sb_putc(j->sb, j->kind[j->depth]);
	j->depth--;
}

void
json_strn(struct json *j, const char *key, const char *val, size_t n)
{

	json_key(j, key);
	json_escape(j->sb, val, n);
}

void
json_str(struct json *j, const char *key, const char *val)
{

	if (val == NULL) {
		json_null(j, key);
		return;
	}
	json_strn(j, key, val, strlen(val));
}

void
json_int(struct json *j, const char *key, long long v)
{

	json_key(j, key);
	sb_printf(j->sb, "%lld", v);
}

void
json_bool(struct json *j, const char *key, bool v)
{

	json_key(j, key);
	sb_puts(j->sb, v ? "true" : "false");
}

void
json_null(struct json *j, const char *key)
{

	json_key(j, key);
	sb_puts(j->sb, "null");
}

void
json_hex(struct json *j, const char *key, unsigned long v, int width)
{

	json_key(j, key);
	sb_printf(j->sb, "\"0x%0*lx\"", width, v);
}
