/*
 * cpuset.c: sets of CPU numbers, and the CPU lists of cpuset(1) and
 * bhyve ("2,4-7").
 */
#include "compat.h"

#include <string.h>

#include "diag.h"
#include "strbuf.h"
#include "topo.h"
#include "util.h"

void
topo_set_zero(struct topo_set *s)
{

	memset(s, 0, sizeof(*s));
}

void
topo_set_add(struct topo_set *s, int cpu)
{

	if (cpu >= 0 && cpu < TOPO_MAXCPU)
		s->w[cpu / 64] |= (uint64_t)1 << (cpu % 64);
}

void
topo_set_del(struct topo_set *s, int cpu)
{

	if (cpu >= 0 && cpu < TOPO_MAXCPU)
		s->w[cpu / 64] &= ~((uint64_t)1 << (cpu % 64));
}

bool
topo_set_has(const struct topo_set *s, int cpu)
{

	if (cpu < 0 || cpu >= TOPO_MAXCPU)
		return (false);
	return ((s->w[cpu / 64] >> (cpu % 64)) & 1);
}

int
topo_set_count(const struct topo_set *s)
{
	int i, n;

	n = 0;
	for (i = 0; i < TOPO_SETWORDS; i++)
		n += __builtin_popcountll(s->w[i]);
	return (n);
}

bool
topo_set_equal(const struct topo_set *a, const struct topo_set *b)
{

	return (memcmp(a->w, b->w, sizeof(a->w)) == 0);
}

int
topo_set_next(const struct topo_set *s, int cpu)
{
	uint64_t w;
	int i;

	if (cpu < 0)
		cpu = 0;
	for (i = cpu / 64; i < TOPO_SETWORDS; i++) {
		w = s->w[i];
		if (i == cpu / 64)
			w &= ~(uint64_t)0 << (cpu % 64);
		if (w != 0)
			return (i * 64 + __builtin_ctzll(w));
	}
	return (-1);
}

/* One number of a CPU list, below TOPO_MAXCPU. */
static int
cpuset_number(const char **pp, const char *s, const char *what,
    struct diags *d)
{
	unsigned long v;
	const char *p;

	p = *pp;
	if (util_parse_ulong(&p, 10, ~0UL, &v) != 0) {
		diag_err(d, NULL, 0, "%s: \"%s\": expected a CPU number at "
		    "column %zu", what, s, (size_t)(*pp - s) + 1);
		return (-1);
	}
	if (v >= TOPO_MAXCPU) {
		diag_err(d, NULL, 0, "%s: CPU %.*s is out of range (0-%d)",
		    what, (int)(p - *pp), *pp, TOPO_MAXCPU - 1);
		return (-1);
	}
	*pp = p;
	return ((int)v);
}

int
cpuset_parse(const char *s, struct topo_set *out, const char *what,
    struct diags *d)
{
	const char *p;
	int lo, hi, c;

	topo_set_zero(out);
	p = s;
	for (;;) {
		while (*p == ' ')
			p++;
		if ((lo = cpuset_number(&p, s, what, d)) < 0)
			return (-1);
		hi = lo;
		if (*p == '-') {
			p++;
			if ((hi = cpuset_number(&p, s, what, d)) < 0)
				return (-1);
			if (hi < lo) {
				diag_err(d, NULL, 0, "%s: \"%s\": range %d-%d "
				    "is backwards", what, s, lo, hi);
				return (-1);
			}
		}
		for (c = lo; c <= hi; c++)
			topo_set_add(out, c);
		if (*p == '\0')
			return (0);
		if (*p != ',') {
			diag_err(d, NULL, 0, "%s: \"%s\": unexpected '%c' at "
			    "column %zu", what, s, *p, (size_t)(p - s) + 1);
			return (-1);
		}
		p++;
	}
}

void
cpuset_format(const struct topo_set *s, struct strbuf *sb)
{
	int c, end;
	bool first;

	first = true;
	for (c = topo_set_next(s, 0); c >= 0; c = topo_set_next(s, end + 1)) {
		end = c;
		while (end + 1 < TOPO_MAXCPU && topo_set_has(s, end + 1))
			end++;
		sb_printf(sb, "%s%d", first ? "" : ",", c);
		if (end == c + 1)
			sb_printf(sb, ",%d", end);
		else if (end > c)
			sb_printf(sb, "-%d", end);
		first = false;
		if (end + 1 >= TOPO_MAXCPU)
			break;
	}
}
