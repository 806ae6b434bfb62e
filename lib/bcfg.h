/*
 * bcfg.h: a bhyve configuration, as bhyve_config(5) describes it: flat
 * "a.b.c=value" variables naming the nodes and leaves of one tree.  Kept
 * in insertion order; every variable remembers where it came from so that
 * problems are reported at the VM file's line.
 *
 * Values are stored in bhyve's syntax: bhyve expands "%(name)" references
 * and removes a backslash before any character (usr.sbin/bhyve/config.c),
 * so a literal value ptvm generates goes through bcfg_set_lit(), which
 * escapes '%' and '\'.
 */
#ifndef PTVM_BCFG_H
#define PTVM_BCFG_H

#include "compat.h"
#include "diag.h"
#include "strbuf.h"

struct bcfg_var {
	char		*key;
	char		*val;		/* bhyve syntax (escaped) */
	const char	*file;		/* borrowed; NULL: made by ptvm */
	unsigned	 line;		/* 0: made by ptvm */
};

struct bcfg {
	struct bcfg_var	*v;
	size_t		 n;
	size_t		 cap;
};

void	bcfg_init(struct bcfg *);
void	bcfg_free(struct bcfg *);
/* Sets key (replacing its value and origin, keeping its place); ENOMEM. */
int	bcfg_set(struct bcfg *, const char *, const char *, const char *,
	    unsigned);
/* The same with a literal value, escaped for bhyve. */
int	bcfg_set_lit(struct bcfg *, const char *, const char *, const char *,
	    unsigned);
struct bcfg_var *bcfg_find(const struct bcfg *, const char *);
/* The raw (escaped) value, or NULL. */
const char *bcfg_get(const struct bcfg *, const char *);
/* The value with escapes removed (no %(ref) expansion), malloc'd, or NULL. */
char	*bcfg_get_lit(const struct bcfg *, const char *);
/* Whether some variable lies under node prefix ("pci.0.7.0"). */
bool	bcfg_has_node(const struct bcfg *, const char *);
/* Orders variables by key, numeric components as numbers (pci.0.2 < 10). */
void	bcfg_sort(struct bcfg *);
/* Compares two keys the way bcfg_sort() orders them. */
int	bcfg_keycmp(const char *, const char *);
/*
 * Checks what bhyve's config.c would refuse: empty key components, empty
 * values, a variable that is also a node ("a.b=1" with "a.b.c=2"), and
 * references %(x) to missing variables.  Errors at the variables' origin.
 */
int	bcfg_check_tree(const struct bcfg *, struct diags *);
/* Writes the file bhyve -k reads: "key=value" lines. */
void	bcfg_write(const struct bcfg *, struct strbuf *);
/* Appends s escaped for a bhyve value. */
void	bcfg_escape(struct strbuf *, const char *);
/* Whether a boolean as bhyve's _bool_value() reads it; -1: not one. */
int	bcfg_bool(const char *);

#endif /* PTVM_BCFG_H */
