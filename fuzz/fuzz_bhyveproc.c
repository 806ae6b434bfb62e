/*
 * libFuzzer target: the live host's reader of a running bhyve's
 * configuration (lib/bhyveproc.c): kern.proc.args split into arguments,
 * -s/-o/-k applied as bhyve's getopt does, -k files, and the passthru
 * functions found.  The input is the arguments (NUL-separated), then
 * after the first "\n--k--\n" the contents every -k file reads as.
 * Properties: the devices are bounded and in range; the configuration,
 * given back as -o options, rebuilds to the same configuration and the
 * same devices.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bhyveproc.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct kfile {
	const char	*buf;
	size_t		 len;
	unsigned	 reads;
};

static int
kread(void *arg, const char *path, char **buf, size_t *len)
{
	struct kfile *k = arg;

	(void)path;
	if (k->reads++ > 8)
		return (ELOOP);
	if ((*buf = malloc(k->len + 1)) == NULL)
		return (ENOMEM);
	memcpy(*buf, k->buf, k->len);
	(*buf)[k->len] = '\0';
	*len = k->len;
	return (0);
}

/* "pptN": function N/0/0, as far as the fuzzer's host goes. */
static int
ppt(void *arg, const char *name, struct pci_sel *sel)
{
	unsigned long v;
	const char *p;

	(void)arg;
	p = name + 3;
	if (strncmp(name, "ppt", 3) != 0 ||
	    util_parse_ulong(&p, 10, 255, &v) != 0 || *p != '\0')
		return (ENOENT);
	memset(sel, 0, sizeof(*sel));
	sel->bus = (unsigned)v;
	return (0);
}

static void
check_devs(const struct pci_sel *d, size_t n)
{
	size_t i;

	if (n > BPROC_MAXDEVS)
		abort();
	for (i = 0; i < n; i++)
		if (d[i].domain != 0 || d[i].bus > 255 || d[i].slot > 31 ||
		    d[i].func > 255)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char sep[] = "\n--k--\n";
	struct kv_list cfg, cfg2, kc;
	struct pci_sel *d1, *d2;
	struct kfile kf;
	const char *cut;
	char *args, **argv, **av2;
	size_t alen, n1, n2, i, k;
	bool known1, known2, empty;
	int argc, e;

	cut = util_memmem(data, len, sep, sizeof(sep) - 1);
	alen = cut != NULL ? (size_t)(cut - (const char *)data) : len;
	kf.buf = cut != NULL ? cut + sizeof(sep) - 1 : "";
	kf.len = cut != NULL ? len - alen - (sizeof(sep) - 1) : 0;
	kf.reads = 0;
	kv_init(&kc);
	(void)bproc_cfg_file(&kc, kf.buf, kf.len);
	kv_free(&kc);
	if ((args = malloc(alen + 1)) == NULL)
		return (0);
	memcpy(args, data, alen);
	args[alen] = '\0';
	if (bproc_split_args(args, alen, &argv, &argc) != 0) {
		free(argv);
		free(args);
		return (0);
	}
	kv_init(&cfg);
	kv_init(&cfg2);
	d1 = d2 = NULL;
	n1 = n2 = 0;
	av2 = NULL;
	if (bproc_args(&cfg, argc, argv, kread, &kf) != 0)
		goto out;
	if (bproc_devs(&cfg, ppt, NULL, &d1, &n1, &known1) != 0)
		goto out;
	check_devs(d1, n1);
	/* Back as "-o key=value" options, then the name. */
	if ((av2 = calloc(cfg.n + 2, sizeof(*av2))) == NULL)
		goto out;
	av2[0] = strdup("bhyve");
	empty = false;
	for (i = 0, k = 1; i < cfg.n; i++) {
		if (cfg.v[i].value[0] == '\0') {
			empty = true;
			continue;
		}
		if (strcmp(cfg.v[i].name, "name") == 0)
			continue;
		if (asprintf(&av2[k], "-o%s=%s", cfg.v[i].name,
		    cfg.v[i].value) < 0)
			goto out;
		k++;
	}
	if (kv_get(&cfg, "name") != NULL &&
	    (av2[k++] = strdup(kv_get(&cfg, "name"))) == NULL)
		goto out;
	/* An operand that starts with '-' would be read as options. */
	if (kv_get(&cfg, "name") != NULL && kv_get(&cfg, "name")[0] == '-')
		goto out;
	if (bproc_args(&cfg2, (int)k, av2, NULL, NULL) != 0)
		abort();
	for (i = 0, k = 0; i < cfg.n; i++) {
		if (cfg.v[i].value[0] == '\0')
			continue;
		if (kv_get(&cfg2, cfg.v[i].name) == NULL ||
		    strcmp(kv_get(&cfg2, cfg.v[i].name), cfg.v[i].value) != 0)
			abort();
		k++;
	}
	for (i = 0; i < cfg2.n; i++)
		if (cfg2.v[i].value[0] != '\0')
			k--;
	if (k != 0)
		abort();
	if (bproc_devs(&cfg2, ppt, NULL, &d2, &n2, &known2) != 0)
		goto out;
	if (!empty && (n1 != n2 || known1 != known2 ||
	    (n1 > 0 && memcmp(d1, d2, n1 * sizeof(*d1)) != 0)))
		abort();
out:
	if (av2 != NULL) {
		for (i = 0; i < cfg.n + 2; i++)
			free(av2[i]);
		free(av2);
	}
	free(d1);
	free(d2);
	kv_free(&cfg);
	kv_free(&cfg2);
	free(argv);
	free(args);
	return (0);
}
