/*
 * strbuf.h: a growable string, and a small JSON writer on top of it.
 */
#ifndef PTVM_STRBUF_H
#define PTVM_STRBUF_H

#include "compat.h"

struct strbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
	bool	 oom;		/* an append failed; contents are truncated */
};

void	sb_init(struct strbuf *);
void	sb_free(struct strbuf *);
void	sb_reset(struct strbuf *);
void	sb_putc(struct strbuf *, char);
void	sb_puts(struct strbuf *, const char *);
void	sb_putn(struct strbuf *, const char *, size_t);
void	sb_printf(struct strbuf *, const char *, ...) __printflike(2, 3);
const char *sb_str(struct strbuf *);

/*
 * JSON writer.  Objects and arrays nest up to JSON_MAXDEPTH; commas are
 * inserted automatically.  A key is given inside objects and NULL inside
 * arrays.
 */
#define JSON_MAXDEPTH	32

struct json {
	struct strbuf	*sb;
	int		 depth;
	bool		 first[JSON_MAXDEPTH];
	char		 kind[JSON_MAXDEPTH];	/* closer per level */
};

void	json_init(struct json *, struct strbuf *);
void	json_obj(struct json *, const char *);
void	json_arr(struct json *, const char *);
void	json_end(struct json *);	/* closes the innermost { or [ */
void	json_str(struct json *, const char *, const char *);	/* NULL: null */
void	json_strn(struct json *, const char *, const char *, size_t);
void	json_int(struct json *, const char *, long long);
void	json_bool(struct json *, const char *, bool);
void	json_null(struct json *, const char *);
void	json_hex(struct json *, const char *, unsigned long, int);
void	json_escape(struct strbuf *, const char *, size_t);

#endif /* PTVM_STRBUF_H */
