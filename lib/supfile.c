/*
 * supfile.c: the supervisor's files, as pure parsers and formatters over
 * buffers, and recovery after a lost supervisor.
 *
 * The per-VM status file (/var/run/ptvm/NAME.status), "key=value" lines:
 *
 *	# ptvm status 1
 *	name=winpt
 *	state=running
 *	pid=1234
 *	supervisor=1200
 *	started=1714550000
 *	restarts=0
 *	acpi=yes
 *	ran=yes
 *	last.kind=poweroff
 *	last.exit=exit 1
 *	last.ran=yes
 *	last.dirty=no
 *	last.time=1714549000
 *	last.why=bhyve powered off; on_poweroff=stop
 *	log=/var/log/ptvm/winpt.log
 *	error=...
 *
 * The dirty-device file (/var/run/ptvm/dirty), one device a line:
 *
 *	# ptvm dirty devices 1: SELECTOR TIME VM REASON
 *	pci0:6:0:0 1714550000 winpt triple fault (the guest crashed)
 *
 * See sup.h for every key and rule.  Both parsers report each problem at
 * its line and go on; they return -1 when an error was seen.
 */
#include "compat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sup.h"
#include "util.h"

#define LINEMAX		1024
#define MAXLINES	10000

/* A line of a buffer: [s, s + len), NUL-free; returns false at the end. */
struct lines {
	const char	*p, *end;
	unsigned	 no;
};

static bool
next_line(struct lines *l, char *buf, size_t bufsz, bool *toolong,
    bool *binary)
{
	const char *e;
	size_t n;

	if (l->p >= l->end)
		return (false);
	l->no++;
	e = memchr(l->p, '\n', (size_t)(l->end - l->p));
	if (e == NULL)
		e = l->end;
	n = (size_t)(e - l->p);
	*binary = memchr(l->p, '\0', n) != NULL;
	*toolong = n >= bufsz;
	if (*toolong)
		n = bufsz - 1;
	memcpy(buf, l->p, n);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\r')
		buf[n - 1] = '\0';
	l->p = e < l->end ? e + 1 : e;
	return (true);
}

static bool
blank_or_comment(const char *s)
{

	s += strspn(s, " \t");
	return (*s == '\0' || *s == '#');
}

static int
yesno(const char *v, bool *b)
{

	if (strcmp(v, "yes") == 0)
		*b = true;
	else if (strcmp(v, "no") == 0)
		*b = false;
	else
		return (-1);
	return (0);
}

static int
copy_text(const char *v, char *dst, size_t sz)
{

	if (strlen(v) >= sz)
		return (-1);
	memcpy(dst, v, strlen(v) + 1);
	return (0);
}

static int
parse_exit(const char *v, struct sup_exit *x)
{
	char num[8];
	long long n;
	size_t len;

	if (strncmp(v, "exit ", 5) == 0) {
		x->signaled = false;
		v += 5;
	} else if (strncmp(v, "signal ", 7) == 0) {
		x->signaled = true;
		v += 7;
	} else
		return (-1);
	x->failed = false;
	len = strlen(v);
	if (len > 7 && strcmp(v + len - 7, " failed") == 0) {
		if ((size_t)snprintf(num, sizeof(num), "%.*s", (int)(len - 7),
		    v) >= sizeof(num))
			return (-1);
		x->failed = true;
		v = num;
	}
	if (util_strtonum(v, 0, x->signaled ? 127 : 255, &n) != 0)
		return (-1);
	x->code = (int)n;
	return (0);
}

/* Status keys. */
enum skey {
	S_NAME, S_STATE, S_PID, S_SUPERVISOR, S_STARTED, S_RESTARTS, S_ACPI,
	S_RAN, S_LKIND, S_LEXIT, S_LRAN, S_LDIRTY, S_LTIME, S_LWHY, S_LOG,
	S_ERROR, S_DEVICES, S_EVIDENCE, S_COUNT,
};

static const char *const skeys[S_COUNT] = {
	"name", "state", "pid", "supervisor", "started", "restarts", "acpi",
	"ran", "last.kind", "last.exit", "last.ran", "last.dirty", "last.time",
	"last.why", "log", "error", "devices", "evidence",
};

void
sup_status_init(struct sup_status *st)
{

	memset(st, 0, sizeof(*st));
	st->state = SUP_STOPPED;
	st->acpi = -1;
}

/* "pci0:6:0:0 pci0:6:0:1": the functions the VM passes through. */
static int
parse_devices(const char *v, struct sup_status *st)
{
	char w[40], err[80];
	size_t n;

	st->ndev = 0;
	for (;;) {
		v += strspn(v, " ");
		if (*v == '\0')
			return (0);
		n = strcspn(v, " ");
		if (n >= sizeof(w) || st->ndev >= SUP_STATUS_MAXDEV)
			return (-1);
		memcpy(w, v, n);
		w[n] = '\0';
		if (pci_sel_parse(w, &st->dev[st->ndev], err,
		    sizeof(err)) != 0)
			return (-1);
		st->ndev++;
		v += n;
	}
}

/* "pci0:6:0:0=dead pci0:6:0:1=none": signatures after the last end. */
static int
parse_evidence(const char *v, struct sup_status *st)
{
	char w[64], err[80], *eq;
	size_t n, k;

	st->nev = 0;
	for (;;) {
		v += strspn(v, " ");
		if (*v == '\0')
			return (0);
		n = strcspn(v, " ");
		if (n >= sizeof(w) || st->nev >= SUP_STATUS_MAXDEV)
			return (-1);
		memcpy(w, v, n);
		w[n] = '\0';
		if ((eq = strchr(w, '=')) == NULL)
			return (-1);
		*eq++ = '\0';
		if (*eq == '\0' || strlen(eq) >= sizeof(st->ev_sig[0]))
			return (-1);
		for (k = 0; eq[k] != '\0'; k++)
			if (!islower((unsigned char)eq[k]) && eq[k] != '-' &&
			    !isdigit((unsigned char)eq[k]))
				return (-1);
		if (pci_sel_parse(w, &st->ev_sel[st->nev], err,
		    sizeof(err)) != 0)
			return (-1);
		strlcpy(st->ev_sig[st->nev], eq, sizeof(st->ev_sig[0]));
		st->nev++;
		v += n;
	}
}

static int
status_value(struct sup_status *st, enum skey k, const char *v)
{
	long long n;
	bool b;

	switch (k) {
	case S_NAME:
		if (!vm_name_ok(v))
			return (-1);
		return (copy_text(v, st->name, sizeof(st->name)));
	case S_STATE:
		return (sup_state_parse(v, &st->state));
	case S_PID:
	case S_SUPERVISOR:
		if (util_strtonum(v, 0, 99999999, &n) != 0)
			return (-1);
		*(k == S_PID ? &st->pid : &st->supervisor) = (int)n;
		return (0);
	case S_STARTED:
	case S_LTIME:
		if (util_strtonum(v, 0, INT64_MAX / 1000, &n) != 0)
			return (-1);
		*(k == S_STARTED ? &st->started : &st->last_time) = n;
		return (0);
	case S_RESTARTS:
		if (util_strtonum(v, 0, 1000000000, &n) != 0)
			return (-1);
		st->restarts = (unsigned)n;
		return (0);
	case S_ACPI:
		if (strcmp(v, "unknown") == 0) {
			st->acpi = -1;
			return (0);
		}
		if (yesno(v, &b) != 0)
			return (-1);
		st->acpi = b ? 1 : 0;
		return (0);
	case S_RAN:
		return (yesno(v, &st->ran));
	case S_LKIND:
		return (sup_kind_parse(v, &st->last_kind));
	case S_LEXIT:
		return (parse_exit(v, &st->last_exit));
	case S_LRAN:
		return (yesno(v, &st->last_ran));
	case S_LDIRTY:
		return (yesno(v, &st->last_dirty));
	case S_LWHY:
		return (copy_text(v, st->last_why, sizeof(st->last_why)));
	case S_LOG:
		return (copy_text(v, st->log, sizeof(st->log)));
	case S_ERROR:
		return (copy_text(v, st->error, sizeof(st->error)));
	case S_DEVICES:
		return (parse_devices(v, st));
	case S_EVIDENCE:
		return (parse_evidence(v, st));
	case S_COUNT:
		break;
	}
	return (-1);
}

int
sup_status_parse(const char *buf, size_t len, const char *file,
    struct sup_status *st, struct diags *d)
{
	char line[LINEMAX], *eq, *key, *val;
	unsigned seen[S_COUNT];
	bool toolong, binary, bad;
	struct lines l;
	size_t i, k;

	sup_status_init(st);
	memset(seen, 0, sizeof(seen));
	l.p = buf;
	l.end = buf + len;
	l.no = 0;
	bad = false;
	while (l.no < MAXLINES &&
	    next_line(&l, line, sizeof(line), &toolong, &binary)) {
		if (binary) {
			diag_err(d, file, l.no, "binary data");
			return (-1);
		}
		if (toolong) {
			diag_err(d, file, l.no, "line longer than %d bytes",
			    LINEMAX - 1);
			bad = true;
			continue;
		}
		if (blank_or_comment(line))
			continue;
		if ((eq = strchr(line, '=')) == NULL) {
			diag_err(d, file, l.no, "expected key=value");
			bad = true;
			continue;
		}
		*eq = '\0';
		key = line;
		val = eq + 1;
		for (k = 0; k < S_COUNT; k++)
			if (strcmp(key, skeys[k]) == 0)
				break;
		if (k == S_COUNT) {
			diag_warn(d, file, l.no, "unknown key \"%s\" ignored",
			    key);
			continue;
		}
		if (seen[k] != 0) {
			diag_err(d, file, l.no, "\"%s\" repeated (first at "
			    "line %u)", key, seen[k]);
			bad = true;
			continue;
		}
		seen[k] = l.no;
		if (status_value(st, (enum skey)k, val) != 0) {
			diag_err(d, file, l.no, "bad value for %s: \"%s\"",
			    key, val);
			bad = true;
		}
	}
	if (l.p < l.end) {
		diag_err(d, file, l.no, "more than %d lines", MAXLINES);
		bad = true;
	}
	if (seen[S_NAME] == 0) {
		diag_err(d, file, 0, "no name= line");
		bad = true;
	}
	if (seen[S_STATE] == 0) {
		diag_err(d, file, 0, "no state= line");
		bad = true;
	}
	/* The last.* keys come together. */
	for (i = S_LKIND; i <= S_LWHY; i++)
		if ((seen[i] != 0) != (seen[S_LKIND] != 0)) {
			diag_err(d, file, seen[i] != 0 ? seen[i] : 0,
			    "%s without %s", seen[i] != 0 ? skeys[i] :
			    skeys[S_LKIND], seen[i] != 0 ? skeys[S_LKIND] :
			    skeys[i]);
			bad = true;
			break;
		}
	st->has_last = seen[S_LKIND] != 0;
	return (bad ? -1 : 0);
}

static const char *
yesno_str(bool b)
{

	return (b ? "yes" : "no");
}

/* Free text on one line: newlines and control characters become '?'. */
static void
put_text(struct strbuf *sb, const char *key, const char *v)
{
	const char *p;

	sb_printf(sb, "%s=", key);
	for (p = v; *p != '\0'; p++)
		sb_putc(sb, (unsigned char)*p < 0x20 || *p == 0x7f ? '?' :
		    *p);
	sb_putc(sb, '\n');
}

void
sup_status_format(const struct sup_status *st, struct strbuf *sb)
{
	char w[40];
	size_t i;

	sb_puts(sb, "# ptvm status 1\n");
	sb_printf(sb, "name=%s\nstate=%s\npid=%d\nsupervisor=%d\n",
	    st->name, sup_state_name(st->state), st->pid, st->supervisor);
	sb_printf(sb, "started=%lld\nrestarts=%u\nacpi=%s\nran=%s\n",
	    (long long)st->started, st->restarts, st->acpi < 0 ? "unknown" :
	    yesno_str(st->acpi > 0), yesno_str(st->ran));
	if (st->has_last) {
		sb_printf(sb, "last.kind=%s\nlast.exit=%s %d%s\n",
		    sup_kind_name(st->last_kind),
		    st->last_exit.signaled ? "signal" : "exit",
		    st->last_exit.code, st->last_exit.failed ? " failed" : "");
		sb_printf(sb, "last.ran=%s\nlast.dirty=%s\nlast.time=%lld\n",
		    yesno_str(st->last_ran), yesno_str(st->last_dirty),
		    (long long)st->last_time);
		put_text(sb, "last.why", st->last_why);
	}
	if (st->log[0] != '\0')
		put_text(sb, "log", st->log);
	if (st->error[0] != '\0')
		put_text(sb, "error", st->error);
	if (st->ndev > 0) {
		sb_puts(sb, "devices=");
		for (i = 0; i < st->ndev; i++) {
			pci_sel_fmt(&st->dev[i], SEL_PCICONF, w, sizeof(w));
			sb_printf(sb, "%s%s", i > 0 ? " " : "", w);
		}
		sb_putc(sb, '\n');
	}
	if (st->nev > 0) {
		sb_puts(sb, "evidence=");
		for (i = 0; i < st->nev; i++) {
			pci_sel_fmt(&st->ev_sel[i], SEL_PCICONF, w, sizeof(w));
			sb_printf(sb, "%s%s=%s", i > 0 ? " " : "", w,
			    st->ev_sig[i]);
		}
		sb_putc(sb, '\n');
	}
}

const char *
sup_status_evidence(const struct sup_status *st, const struct pci_sel *sel)
{
	size_t i;

	for (i = 0; i < st->nev; i++)
		if (pci_sel_eq(&st->ev_sel[i], sel))
			return (st->ev_sig[i]);
	return (NULL);
}

void
sup_status_fill(const struct sup *s, int64_t ms_to_unix_ms,
    struct sup_status *st)
{

	st->state = s->state;
	st->pid = s->pid;
	st->started = s->pid > 0 ? (s->spawned + ms_to_unix_ms) / 1000 : 0;
	st->restarts = s->restarts;
	st->acpi = s->acpi;
	st->ran = s->ran;
	st->has_last = s->has_last;
	if (s->has_last) {
		st->last_kind = s->last.kind;
		st->last_exit = s->last.exit;
		st->last_ran = s->last.ran;
		st->last_dirty = s->last.dirty;
		st->last_time = (s->last.at + ms_to_unix_ms) / 1000;
		(void)snprintf(st->last_why, sizeof(st->last_why), "%s",
		    s->last.why);
	}
}

static struct sup_action *
add(struct sup_actions *out, enum sup_act_kind k)
{
	struct sup_action *a;

	a = &out->a[out->n < SUP_MAXACT ? out->n++ : SUP_MAXACT - 1];
	memset(a, 0, sizeof(*a));
	a->kind = k;
	return (a);
}

void
sup_recover(const struct sup_status *st, bool supervisor_alive,
    bool bhyve_alive, bool vm_exists, size_t ndev, int64_t now,
    struct sup_outcome *o, struct sup_actions *out)
{
	struct sup_action *a;

	memset(o, 0, sizeof(*o));
	if (supervisor_alive)
		return;
	if (st->state == SUP_STOPPED) {
		if (vm_exists && !bhyve_alive) {
			a = add(out, SUP_A_LOG);
			a->level = DIAG_NOTE;
			(void)snprintf(a->msg, sizeof(a->msg), "destroying a "
			    "stale VM %s that no bhyve runs", st->name);
			add(out, SUP_A_DESTROY);
		}
		return;
	}
	if (bhyve_alive) {
		a = add(out, SUP_A_LOG);
		a->level = DIAG_WARN;
		(void)snprintf(a->msg, sizeof(a->msg), "the supervisor (pid "
		    "%d) is gone; bhyve (pid %d) still runs %s unsupervised",
		    st->supervisor, st->pid, st->name);
		return;
	}
	o->kind = SUP_K_LOST;
	o->ran = st->state != SUP_STARTING || st->ran;
	o->dirty = sup_kind_dirty(SUP_K_LOST, o->ran) && ndev > 0;
	o->at = now;
	if (st->state == SUP_STARTING && st->pid == 0) {
		/* Killed during set-up: no guest ever had the devices. */
		o->ran = o->dirty = false;
		(void)snprintf(o->why, sizeof(o->why), "start (pid %d) ended "
		    "during set-up, before bhyve ran; its host changes are "
		    "undone", st->supervisor);
	} else
		(void)snprintf(o->why, sizeof(o->why), "the supervisor (pid "
		    "%d) and bhyve (pid %d) ended unseen while %s; nobody saw "
		    "the guest power off", st->supervisor, st->pid,
		    sup_state_name(st->state));
	a = add(out, SUP_A_LOG);
	a->level = DIAG_WARN;
	(void)snprintf(a->msg, sizeof(a->msg), "%s", o->why);
	if (vm_exists)
		add(out, SUP_A_DESTROY);
	if (o->dirty) {
		a = add(out, SUP_A_DIRTY);
		(void)snprintf(a->msg, sizeof(a->msg), "supervisor lost");
	}
	add(out, SUP_A_RESTORE);
	add(out, SUP_A_RECORD);
}

/* The dirty-device file. */

void
sup_dirty_init(struct sup_dirty_list *l)
{

	l->d = NULL;
	l->n = l->cap = 0;
}

void
sup_dirty_free(struct sup_dirty_list *l)
{

	free(l->d);
	sup_dirty_init(l);
}

static struct sup_dirty *
find(const struct sup_dirty_list *l, const struct pci_sel *sel)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (pci_sel_eq(&l->d[i].sel, sel))
			return (&l->d[i]);
	return (NULL);
}

const struct sup_dirty *
sup_dirty_find(const struct sup_dirty_list *l, const struct pci_sel *sel)
{

	return (find(l, sel));
}

int
sup_dirty_add(struct sup_dirty_list *l, const struct pci_sel *sel,
    int64_t when, const char *vm, const char *reason)
{
	struct sup_dirty *x, *nd;

	x = find(l, sel);
	if (x == NULL) {
		if (l->n >= SUP_DIRTY_MAX)
			return (-1);
		if (l->n == l->cap) {
			nd = reallocarray(l->d, l->cap ? l->cap * 2 : 8,
			    sizeof(*l->d));
			if (nd == NULL)
				return (-1);
			l->d = nd;
			l->cap = l->cap ? l->cap * 2 : 8;
		}
		x = &l->d[l->n++];
	}
	memset(x, 0, sizeof(*x));
	x->sel = *sel;
	x->time = when;
	(void)snprintf(x->vm, sizeof(x->vm), "%s", vm);
	(void)snprintf(x->reason, sizeof(x->reason), "%s", reason);
	return (0);
}

bool
sup_dirty_remove(struct sup_dirty_list *l, const struct pci_sel *sel)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (pci_sel_eq(&l->d[i].sel, sel)) {
			memmove(&l->d[i], &l->d[i + 1],
			    (l->n - i - 1) * sizeof(*l->d));
			l->n--;
			return (true);
		}
	return (false);
}

/* Splits off the next space-separated word of *pp. */
static char *
word(char **pp)
{
	char *p, *w;

	p = *pp + strspn(*pp, " \t");
	if (*p == '\0')
		return (NULL);
	w = p;
	p += strcspn(p, " \t");
	if (*p != '\0')
		*p++ = '\0';
	*pp = p;
	return (w);
}

static int
dirty_line(char *line, const char *file, unsigned no, struct sup_dirty *x,
    struct diags *d)
{
	char err[128], *p, *sel, *when, *vm, *reason;
	long long n;

	p = line;
	sel = word(&p);
	when = word(&p);
	vm = word(&p);
	reason = p + strspn(p, " \t");
	if (sel == NULL || when == NULL || vm == NULL) {
		diag_err(d, file, no, "expected SELECTOR TIME VM REASON");
		return (-1);
	}
	if (pci_sel_parse(sel, &x->sel, err, sizeof(err)) != 0) {
		diag_err(d, file, no, "bad selector \"%s\"", sel);
		return (-1);
	}
	if (util_strtonum(when, 0, INT64_MAX / 1000, &n) != 0) {
		diag_err(d, file, no, "bad time \"%s\"", when);
		return (-1);
	}
	x->time = n;
	if (!vm_name_ok(vm)) {
		diag_err(d, file, no, "bad VM name \"%s\"", vm);
		return (-1);
	}
	(void)snprintf(x->vm, sizeof(x->vm), "%s", vm);
	if (strlen(reason) >= sizeof(x->reason)) {
		diag_err(d, file, no, "reason longer than %zu bytes",
		    sizeof(x->reason) - 1);
		return (-1);
	}
	(void)snprintf(x->reason, sizeof(x->reason), "%s", reason);
	return (0);
}

int
sup_dirty_parse(const char *buf, size_t len, const char *file,
    struct sup_dirty_list *l, struct diags *d)
{
	char line[LINEMAX], fmt[64];
	bool toolong, binary, bad;
	struct sup_dirty x;
	struct lines ls;

	ls.p = buf;
	ls.end = buf + len;
	ls.no = 0;
	bad = false;
	while (next_line(&ls, line, sizeof(line), &toolong, &binary)) {
		if (binary) {
			diag_err(d, file, ls.no, "binary data");
			return (-1);
		}
		if (toolong) {
			diag_err(d, file, ls.no, "line longer than %d bytes",
			    LINEMAX - 1);
			bad = true;
			continue;
		}
		if (blank_or_comment(line))
			continue;
		memset(&x, 0, sizeof(x));
		if (dirty_line(line, file, ls.no, &x, d) != 0) {
			bad = true;
			continue;
		}
		if (sup_dirty_find(l, &x.sel) != NULL) {
			pci_sel_fmt(&x.sel, SEL_PCICONF, fmt, sizeof(fmt));
			diag_err(d, file, ls.no, "%s listed twice", fmt);
			bad = true;
			continue;
		}
		if (l->n >= SUP_DIRTY_MAX) {
			diag_err(d, file, ls.no, "more than %d devices",
			    SUP_DIRTY_MAX);
			return (-1);
		}
		if (sup_dirty_add(l, &x.sel, x.time, x.vm, x.reason) != 0) {
			diag_err(d, file, ls.no, "out of memory");
			return (-1);
		}
	}
	return (bad ? -1 : 0);
}

void
sup_dirty_format(const struct sup_dirty_list *l, struct strbuf *sb)
{
	char sel[64];
	const char *p;
	size_t i;

	sb_puts(sb, "# ptvm dirty devices 1: SELECTOR TIME VM REASON\n");
	for (i = 0; i < l->n; i++) {
		pci_sel_fmt(&l->d[i].sel, SEL_PCICONF, sel, sizeof(sel));
		sb_printf(sb, "%s %lld %s ", sel, (long long)l->d[i].time,
		    l->d[i].vm);
		for (p = l->d[i].reason; *p != '\0'; p++)
			sb_putc(sb, (unsigned char)*p < 0x20 || *p == 0x7f ?
			    '?' : *p);
		sb_putc(sb, '\n');
	}
}
