/*
 * kv.h: parsers for captured "sysctl", "kenv" and "kldstat" output.
 */
#ifndef PTVM_KV_H
#define PTVM_KV_H

#include "compat.h"
#include "diag.h"

struct kv {
	char		*name;
	char		*value;
	unsigned	 line;
};

struct kv_list {
	struct kv	*v;
	size_t		 n;
	size_t		 cap;
};

#define KV_MAXENTRIES	1000000

void	kv_init(struct kv_list *);
void	kv_free(struct kv_list *);
/* Sets (adds or replaces) name to value; value NULL removes it. */
int	kv_set(struct kv_list *, const char *, const char *);
const char *kv_get(const struct kv_list *, const char *);

/* "sysctl -a" style: "name: value", continuation lines join the value. */
int	kv_parse_sysctl(const char *, size_t, const char *, struct kv_list *,
	    struct diags *);
/* "kenv" style: name="value". */
int	kv_parse_kenv(const char *, size_t, const char *, struct kv_list *,
	    struct diags *);
/* "kldstat" (and "kldstat -v"): file names, value = "" */
int	kv_parse_kldstat(const char *, size_t, const char *, struct kv_list *,
	    struct diags *);

#endif /* PTVM_KV_H */
