/*
 * status.c: what status and list show of a VM: its status file, its
 * supervisor, its bhyve, its dirty marks and pending journal, its file.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "pcicfg.h"
#include "util.h"

const char *
eng_sig_text(const char *name)
{
	int k;

	for (k = PCICFG_SIG_NONE; k <= PCICFG_SIG_DEAD; k++)
		if (strcmp(name, pcicfg_sig_name((enum pcicfg_sig)k)) == 0)
			return (pcicfg_sig_text((enum pcicfg_sig)k));
	return ("unknown signature");
}

struct pcicfg_diff *
eng_evidence_diff(struct host *h, const char *vm, const struct pci_sel *sel)
{
	struct pcicfg *img[2];
	struct pcicfg_diff *df;
	struct diags d;
	char path[PATH_MAX], name[40], *buf;
	const char *when[2] = { "before", "after" };
	size_t len;
	int k, bad;

	pci_sel_fmt(sel, SEL_PCICONF, name, sizeof(name));
	img[0] = malloc(sizeof(struct pcicfg));
	img[1] = malloc(sizeof(struct pcicfg));
	df = malloc(sizeof(*df));
	bad = img[0] == NULL || img[1] == NULL || df == NULL;
	diags_init(&d);
	for (k = 0; k < 2 && !bad; k++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s.pci/%s-%s.txt",
		    h->rundir, vm, when[k], name) >= sizeof(path) ||
		    h->ops->st_read(h, path, PCICFG_MAXFILE, &buf, &len) != 0) {
			bad = 1;
			break;
		}
		bad = pcicfg_parse(buf, len, path, NULL, img[k], &d) != 0;
		free(buf);
	}
	diags_free(&d);
	if (!bad)
		pcicfg_diff(img[0], img[1], df);
	free(img[0]);
	free(img[1]);
	if (bad) {
		free(df);
		return (NULL);
	}
	return (df);
}
/* The dirty file that cannot be read or parsed, in life.h's words. */
static void
dirty_look(const struct life_paths *p, struct sup_dirty_list *l, char *why,
    size_t wl)
{
	struct diags d;
	struct diag *x;
	int e;

	why[0] = '\0';
	diags_init(&d);
	e = dirty_read(p, l, &d);
	x = STAILQ_FIRST(&d.head);
	if (e == EINVAL)
		(void)snprintf(why, wl, "%s is damaged (line %u: %s); the "
		    "passed-through functions may be dirty", p->dirty,
		    x != NULL ? x->line : 0, x != NULL ? x->msg : "no parse");
	else if (e != 0)
		(void)snprintf(why, wl, "%s cannot be read: %s; the "
		    "passed-through functions may be dirty", p->dirty,
		    sys_strerror(e));

	diags_free(&d);
}

void
vmstate_read(struct eng *eng, struct host *h, const char *name,
    struct vmstate *vs)
{
	struct life_paths p;
	struct host_probe pr;
	struct diags quiet, *d;
	int spid;

	memset(vs, 0, sizeof(*vs));
	vs->h = h;
	strlcpy(vs->name, name, sizeof(vs->name));
	vm_load_init(&vs->ld);
	sup_dirty_init(&vs->dirty);
	sup_status_init(&vs->st);
	vs->state = "stopped";
	if (life_paths(h, name, &p) != 0)
		return;
	strlcpy(vs->out, p.out, sizeof(vs->out));
	vs->have_st = life_status_look(&p, &vs->st, vs->why,
	    sizeof(vs->why)) == 0;
	dirty_look(&p, &vs->dirty, vs->dirty_why, sizeof(vs->dirty_why));
	vs->supervised = life_supervisor(&p, &spid);
	if (vs->have_st && vs->st.pid > 0 &&
	    h->ops->vm_probe(h, name, vs->st.pid, &pr) == 0)
		vs->bhyve_alive = pr.alive;
	if (vs->have_st)
		vs->state = sup_state_name(vs->st.state);
	if (vs->have_st && vs->st.state != SUP_STOPPED && !vs->supervised)
		vs->state = vs->bhyve_alive ? "unsupervised" :
		    vs->st.state == SUP_STARTING && vs->st.pid == 0 ?
		    "interrupted" : "lost";
	/* Host changes nobody will undo: an interrupted start, a crash. */
	if (!vs->supervised && life_undo_pending(&p, &vs->npending,
	    vs->pending, sizeof(vs->pending)) != 0) {
		vs->npending = 1;
		strlcpy(vs->pending, "the undo journal cannot be read",
		    sizeof(vs->pending));
	}
	/* Damaged: it may be running, as the disk commands say too. */
	if (vs->why[0] != '\0')
		vs->state = "unknown";
	/* Quietly: status of a VM whose file has errors still works. */
	diags_init(&quiet);
	d = eng->diags;
	eng->diags = &quiet;
	vs->have_vm = vm_load(eng, name, &vs->ld) == 0;
	eng->diags = d;
	diags_free(&quiet);
}

void
vmstate_free(struct vmstate *vs)
{

	vm_load_free(&vs->ld);
	sup_dirty_free(&vs->dirty);
}


const char *
vm_console_b(const struct vm *vm, char *buf, size_t sz)
{
	size_t n;

	if (vm->console == NULL || strlcpy(buf, vm->console, sz) >= sz)
		return (NULL);
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == 'A')
		buf[n - 1] = 'B';
	return (buf);
}


int
vmstate_names(struct eng *eng, struct host *h, char ***names, size_t *n)
{
	char **st, **nn;
	size_t ns, i, j, k;

	if (vm_names(eng, names, n) != 0) {
		*names = NULL;
		*n = 0;
	}
	if (h->ops->st_list(h, h->rundir, &st, &ns) != 0)
		return (0);
	for (i = 0; i < ns; i++) {
		k = strlen(st[i]);
		if (k <= 7 || strcmp(st[i] + k - 7, ".status") != 0)
			continue;
		st[i][k - 7] = '\0';
		for (j = 0; j < *n; j++)
			if (strcmp((*names)[j], st[i]) == 0)
				break;
		if (j < *n || !vm_name_ok(st[i]))
			continue;
		if ((nn = reallocarray(*names, *n + 1, sizeof(*nn))) == NULL)
			break;
		*names = nn;
		(*names)[(*n)++] = st[i];
		st[i] = NULL;
	}
	host_names_free(st, ns);
	return (0);
}

