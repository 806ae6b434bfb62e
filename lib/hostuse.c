/*
 * hostuse.c: which PCI function carries the host's own disks and network.
 *
 * The formats (docs/freebsd.md H1-H9):
 * - kern.disks: the names of the GEOM disks, separated by spaces (H1).
 * - camcontrol devlist -v: "scbusN on SIMu bus B:" for each CAM bus, then
 *   "<description>  at scbusN target T lun L (periph,periph)" (H2).  The
 *   SIM of ahci(4) is "ahcich" with the channel's unit, a newbus child of
 *   ahciN; that of nvme(4) (nda) is "nvme" with the controller's unit (H3).
 * - nvd(4) numbers its disks globally, lowest free unit first, so nvdN
 *   says nothing of its controller (H4).
 * - mount -p: "from on fstype opts dump pass", separated by tabs and
 *   spaces (H5); zpool status -P: "pool: NAME", then the config with full
 *   paths of the leaf vdevs (H6); swapctl -l: "Device: ..." then one
 *   "/dev/NAME blocks used" line per swap device (H7).
 * - netstat -rn: sections headed "Destination Gateway Flags Netif Expire";
 *   the default route's destination is "default"; the interface name is
 *   cut to 8 characters (H8).  A PCI NIC's interface is named after its
 *   newbus device, so em0 is the function pciconf lists as em0 (H9).
 */
#include "compat.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostuse.h"

#define HU_MAXTOK	16
#define HU_WALK		16	/* newbus levels walked up, at most */

void
hostuse_init(struct hostuse *hu)
{

	memset(hu, 0, sizeof(*hu));
}

static void
strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
hostuse_free(struct hostuse *hu)
{
	size_t i;

	strv_free(hu->disks, hu->ndisks);
	free(hu->periph);
	free(hu->bus);
	for (i = 0; i < hu->nmnt; i++) {
		free(hu->mnt[i].from);
		free(hu->mnt[i].on);
		free(hu->mnt[i].fstype);
	}
	free(hu->mnt);
	for (i = 0; i < hu->nvdev; i++) {
		free(hu->vdev[i].pool);
		free(hu->vdev[i].path);
	}
	free(hu->vdev);
	strv_free(hu->pools, hu->npools);
	strv_free(hu->swap, hu->nswap);
	strv_free(hu->route, hu->nroute);
	hostuse_init(hu);
}

static int
strv_add(char ***v, size_t *n, const char *s)
{
	char **nv, *d;
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return (0);
	if ((d = strdup(s)) == NULL ||
	    (nv = reallocarray(*v, *n + 1, sizeof(*nv))) == NULL) {
		free(d);
		return (-1);
	}
	nv[(*n)++] = d;
	*v = nv;
	return (0);
}

/*
 * Copies the next line of *pp into buf (cut to its size) and splits it
 * at blanks; returns the number of tokens, -1 at the end of the text.
 */
static int
next_line(const char **pp, char *buf, size_t len, char **tok)
{
	const char *p = *pp, *e;
	size_t n;
	char *s;
	int nt;

	if (p == NULL || *p == '\0')
		return (-1);
	e = strchr(p, '\n');
	n = e != NULL ? (size_t)(e - p) : strlen(p);
	*pp = e != NULL ? e + 1 : p + n;
	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	nt = 0;
	for (s = buf; nt < HU_MAXTOK;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			*s++ = '\0';
		if (*s == '\0')
			break;
		tok[nt++] = s;
		while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\r')
			s++;
	}
	return (nt);
}

int
hostuse_parse_disks(struct hostuse *hu, const char *text)
{
	char buf[HU_NAMELEN];
	const char *p;

	hu->have_disks = true;
	/* Many disks make a long line: split it by hand. */
	for (p = text; p != NULL && *p != '\0';) {
		size_t n;

		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		n = strcspn(p, " \t\n");
		if (n == 0)
			break;
		if (n < sizeof(buf)) {
			memcpy(buf, p, n);
			buf[n] = '\0';
			if (strv_add(&hu->disks, &hu->ndisks, buf) != 0)
				return (-1);
		}
		p += n;
	}
	return (0);
}

/* "scbus12" -> 12; -1 otherwise. */
static int
scbus_num(const char *s)
{
	char *end;
	long v;

	if (strncmp(s, "scbus", 5) != 0 || !isdigit((unsigned char)s[5]))
		return (-1);
	v = strtol(s + 5, &end, 10);
	return (*end == '\0' && v < 100000 ? (int)v : -1);
}

int
hostuse_parse_camcontrol(struct hostuse *hu, const char *text)
{
	char buf[1024], raw[1024], *tok[HU_MAXTOK], *gt, *at, *open, *close;
	char *q, *r;
	struct hu_periph *np;
	struct hu_bus *nb;
	const char *p, *line;
	size_t n;
	int nt, bus;

	hu->have_cam = true;
	for (p = text; (line = p, nt = next_line(&p, buf, sizeof(buf),
	    tok)) >= 0;) {
		if (nt >= 3 && strcmp(tok[1], "on") == 0 &&
		    (bus = scbus_num(tok[0])) >= 0) {
			if (strlen(tok[2]) >= HU_NAMELEN)
				continue;
			nb = reallocarray(hu->bus, hu->nbus + 1, sizeof(*nb));
			if (nb == NULL)
				return (-1);
			hu->bus = nb;
			nb[hu->nbus].bus = bus;
			strlcpy(nb[hu->nbus].sim, tok[2], HU_NAMELEN);
			hu->nbus++;
			continue;
		}
		/* "<description>  at scbusN target T lun L (a,b)" (H2). */
		n = strcspn(line, "\n");
		if (n >= sizeof(raw))
			continue;
		memcpy(raw, line, n);
		raw[n] = '\0';
		gt = strrchr(raw, '>');
		if ((at = strstr(gt != NULL ? gt : raw, " at scbus")) == NULL ||
		    (bus = (int)strtol(at + 9, &q, 10)) < 0 || q == at + 9 ||
		    (open = strrchr(at, '(')) == NULL ||
		    (close = strchr(open, ')')) == NULL)
			continue;
		*close = '\0';
		for (q = open + 1; *q != '\0'; q = r) {
			r = q + strcspn(q, ",");
			if (*r == ',')
				*r++ = '\0';
			if (*q == '\0' || strlen(q) >= HU_NAMELEN)
				continue;
			np = reallocarray(hu->periph, hu->nperiph + 1,
			    sizeof(*np));
			if (np == NULL)
				return (-1);
			hu->periph = np;
			strlcpy(np[hu->nperiph].name, q, HU_NAMELEN);
			np[hu->nperiph].bus = bus;
			hu->nperiph++;
		}
	}
	return (0);
}

int
hostuse_parse_mount(struct hostuse *hu, const char *text)
{
	char buf[2048], *tok[HU_MAXTOK];
	struct hu_mount *nm, *m;
	const char *p;
	int nt;

	hu->have_mount = true;
	for (p = text; (nt = next_line(&p, buf, sizeof(buf), tok)) >= 0;) {
		if (nt < 3)
			continue;
		if ((nm = reallocarray(hu->mnt, hu->nmnt + 1, sizeof(*nm))) ==
		    NULL)
			return (-1);
		hu->mnt = nm;
		m = &nm[hu->nmnt];
		m->from = strdup(tok[0]);
		m->on = strdup(tok[1]);
		m->fstype = strdup(tok[2]);
		hu->nmnt++;
		if (m->from == NULL || m->on == NULL || m->fstype == NULL)
			return (-1);
	}
	return (0);
}

int
hostuse_parse_zpool(struct hostuse *hu, const char *text)
{
	char buf[2048], *tok[HU_MAXTOK], *pool;
	struct hu_vdev *nv;
	const char *p;
	bool config;
	int nt;

	hu->have_zpool = true;
	pool = NULL;
	config = false;
	for (p = text; (nt = next_line(&p, buf, sizeof(buf), tok)) >= 0;) {
		if (nt >= 2 && strcmp(tok[0], "pool:") == 0) {
			size_t k;

			if (strv_add(&hu->pools, &hu->npools, tok[1]) != 0)
				return (-1);
			for (k = 0; k < hu->npools; k++)
				if (strcmp(hu->pools[k], tok[1]) == 0)
					pool = hu->pools[k];
			config = false;
			continue;
		}
		if (nt >= 1 && strcmp(tok[0], "config:") == 0) {
			config = true;
			continue;
		}
		if (nt >= 1 && strcmp(tok[0], "errors:") == 0) {
			config = false;
			continue;
		}
		if (!config || pool == NULL || nt < 1 || tok[0][0] != '/')
			continue;
		if ((nv = reallocarray(hu->vdev, hu->nvdev + 1, sizeof(*nv))) ==
		    NULL)
			return (-1);
		hu->vdev = nv;
		nv[hu->nvdev].pool = strdup(pool);
		nv[hu->nvdev].path = strdup(tok[0]);
		hu->nvdev++;
		if (nv[hu->nvdev - 1].pool == NULL ||
		    nv[hu->nvdev - 1].path == NULL)
			return (-1);
	}
	return (0);
}

int
hostuse_parse_swap(struct hostuse *hu, const char *text)
{
	char buf[1024], *tok[HU_MAXTOK];
	const char *p;
	int nt;

	hu->have_swap = true;
	for (p = text; (nt = next_line(&p, buf, sizeof(buf), tok)) >= 0;)
		if (nt >= 1 && strncmp(tok[0], "/dev/", 5) == 0 &&
		    strv_add(&hu->swap, &hu->nswap, tok[0]) != 0)
			return (-1);
	return (0);
}

int
hostuse_parse_netstat(struct hostuse *hu, const char *text)
{
	char buf[1024], *tok[HU_MAXTOK];
	const char *p;
	int nt, col, i;

	hu->have_route = true;
	col = -1;
	for (p = text; (nt = next_line(&p, buf, sizeof(buf), tok)) >= 0;) {
		if (nt >= 1 && strcmp(tok[0], "Destination") == 0) {
			for (col = -1, i = 0; i < nt; i++)
				if (strcmp(tok[i], "Netif") == 0)
					col = i;
			continue;
		}
		if (nt == 0 || tok[0][strlen(tok[0]) - 1] == ':') {
			col = -1;	/* a new family section */
			continue;
		}
		if (col < 0 || nt <= col || strcmp(tok[0], "default") != 0)
			continue;
		if (strv_add(&hu->route, &hu->nroute, tok[col]) != 0)
			return (-1);
	}
	return (0);
}

/* ------------------------------------------------------------------ */

enum hu_map {
	MAP_FUNC,		/* on the function *idx */
	MAP_NONE,		/* on no PCI function (md, nexus) */
	MAP_UNKNOWN,		/* could be on any storage controller */
	MAP_UNKNOWN_NVME,	/* could be on any nvme controller */
};

struct judge {
	const struct hostuse	*hu;
	const struct pci_list	*pl;
	size_t			 target;
	struct hu_result	*r;
	bool			 unk_storage, unk_nvme, unk_net;
	char			 why_s[768], why_n[768];
};

static bool
func_is_attached(const struct pci_dev *d)
{

	return (d->unit >= 0 && !pci_is_ppt(d) && !pci_is_none(d) &&
	    d->driver[0] != '\0');
}

/* The attached function named name ("nvme0"), or -1. */
static ssize_t
func_named(const struct pci_list *pl, const char *name)
{
	char nm[PCI_NAMELEN + 16];
	size_t i;

	for (i = 0; i < pl->n; i++) {
		if (!func_is_attached(&pl->dev[i]))
			continue;
		(void)snprintf(nm, sizeof(nm), "%s%d", pl->dev[i].driver,
		    pl->dev[i].unit);
		if (strcmp(nm, name) == 0)
			return ((ssize_t)i);
	}
	return (-1);
}

/* Walks newbus parents from name up to a PCI function. */
static enum hu_map
walk(const struct judge *j, const char *name, size_t *idx)
{
	char cur[HU_NAMELEN], par[HU_NAMELEN];
	ssize_t f;
	int k;

	strlcpy(cur, name, sizeof(cur));
	for (k = 0; k < HU_WALK; k++) {
		if ((f = func_named(j->pl, cur)) >= 0) {
			*idx = (size_t)f;
			return (MAP_FUNC);
		}
		if (strcmp(cur, "nexus0") == 0 || strcmp(cur, "root0") == 0)
			return (MAP_NONE);
		if (j->hu->parent == NULL ||
		    j->hu->parent(j->hu->parent_arg, cur, par, sizeof(par)) !=
		    0 || par[0] == '\0')
			return (MAP_UNKNOWN);
		strlcpy(cur, par, sizeof(cur));
	}
	return (MAP_UNKNOWN);
}

/* The disk of a device name ("nda0p2" -> "nda0"); false if not one. */
static bool
disk_of(const struct hostuse *hu, const char *dev, char *disk, size_t len)
{
	size_t i, n, best;
	const char *p;

	if (strchr(dev, '/') != NULL)	/* gpt/, diskid/, mirror/ ... */
		return (false);
	if (hu->have_disks) {
		for (i = 0, best = 0; i < hu->ndisks; i++) {
			n = strlen(hu->disks[i]);
			if (n > best && strncmp(dev, hu->disks[i], n) == 0 &&
			    (dev[n] == '\0' || dev[n] == 'p' || dev[n] == 's' ||
			    dev[n] == '.')) {
				best = n;
				strlcpy(disk, hu->disks[i], len);
			}
		}
		return (best > 0);
	}
	for (p = dev; isalpha((unsigned char)*p); p++)
		;
	if (p == dev || !isdigit((unsigned char)*p))
		return (false);
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != '\0' && *p != 'p' && *p != 's' && *p != '.')
		return (false);
	n = (size_t)(p - dev);
	if (n >= len)
		return (false);
	memcpy(disk, dev, n);
	disk[n] = '\0';
	return (true);
}

/* The function a disk is on. */
static enum hu_map
map_disk(const struct judge *j, const char *disk, size_t *idx)
{
	const struct hostuse *hu = j->hu;
	char sim[HU_NAMELEN];
	const char *start;
	size_t i, k, nnvme;
	ssize_t last;

	if (strncmp(disk, "md", 2) == 0 && isdigit((unsigned char)disk[2]))
		return (MAP_NONE);
	if (strncmp(disk, "nvd", 3) == 0 && isdigit((unsigned char)disk[3])) {
		/* freebsd.md#H4: one attached nvme controller is the one. */
		for (i = nnvme = 0, last = -1; i < j->pl->n; i++)
			if (func_is_attached(&j->pl->dev[i]) &&
			    strcmp(j->pl->dev[i].driver, "nvme") == 0) {
				nnvme++;
				last = (ssize_t)i;
			}
		if (nnvme == 1) {
			*idx = (size_t)last;
			return (MAP_FUNC);
		}
		return (MAP_UNKNOWN_NVME);
	}
	start = disk;
	for (i = 0; i < hu->nperiph; i++) {
		if (strcmp(hu->periph[i].name, disk) != 0)
			continue;
		for (k = 0; k < hu->nbus; k++)
			if (hu->bus[k].bus == hu->periph[i].bus)
				break;
		if (k == hu->nbus)
			return (MAP_UNKNOWN);
		strlcpy(sim, hu->bus[k].sim, sizeof(sim));
		/* umass(4)'s SIM is "umass-sim" with umass's unit (H3). */
		if (strncmp(sim, "umass-sim", 9) == 0)
			memmove(sim + 5, sim + 9, strlen(sim + 9) + 1);
		start = sim;
		break;
	}
	return (walk(j, start, idx));
}

/* The function a device path is on ("/dev/nda0p2", "/dev/ada0s1a"). */
static enum hu_map
map_dev(const struct judge *j, const char *path, size_t *idx)
{
	char disk[HU_NAMELEN];

	if (strncmp(path, "/dev/", 5) == 0)
		path += 5;
	if (!disk_of(j->hu, path, disk, sizeof(disk)))
		return (MAP_UNKNOWN);
	return (map_disk(j, disk, idx));
}

static void
add_what(struct judge *j, const char *fmt, const char *a, const char *b)
{
	char one[256];

	(void)snprintf(one, sizeof(one), fmt, a, b);
	if (j->r->what[0] != '\0')
		strlcat(j->r->what, ", ", sizeof(j->r->what));
	strlcat(j->r->what, one, sizeof(j->r->what));
}

static void
unknown(struct judge *j, enum hu_map m, const char *fmt, const char *a,
    const char *b)
{
	char *w;

	if (m == MAP_UNKNOWN_NVME) {
		if (j->unk_nvme)
			return;
		j->unk_nvme = true;
	} else {
		if (j->unk_storage)
			return;
		j->unk_storage = true;
	}
	w = j->why_s;
	if (w[0] != '\0')
		return;
	(void)snprintf(w, sizeof(j->why_s), fmt, a, b);
}

/* One device the host uses: on the target, elsewhere, or unknown. */
static bool
dev_hits(struct judge *j, const char *path, const char *what)
{
	enum hu_map m;
	size_t idx;

	m = map_dev(j, path, &idx);
	if (m == MAP_FUNC)
		return (idx == j->target);
	if (m != MAP_NONE)
		unknown(j, m, "%s is on %s, whose PCI controller ptvm cannot "
		    "tell", what, path);
	return (false);
}

static bool
is_root(const struct hu_mount *m)
{

	return (strcmp(m->on, "/") == 0);
}

/* A pool's mount points, "/, /usr/home and 3 more". */
static void
pool_mounts(const struct hostuse *hu, const char *pool, char *buf,
    size_t len, bool *root)
{
	size_t i, n, pl;
	char more[32];

	buf[0] = '\0';
	pl = strlen(pool);
	for (i = n = 0; i < hu->nmnt; i++) {
		if (strcmp(hu->mnt[i].fstype, "zfs") != 0 ||
		    strncmp(hu->mnt[i].from, pool, pl) != 0 ||
		    (hu->mnt[i].from[pl] != '\0' && hu->mnt[i].from[pl] != '/'))
			continue;
		*root |= is_root(&hu->mnt[i]);
		if (n++ < 3) {
			if (buf[0] != '\0')
				strlcat(buf, ", ", len);
			strlcat(buf, hu->mnt[i].on, len);
		}
	}
	if (n > 3) {
		(void)snprintf(more, sizeof(more), " and %zu more", n - 3);
		strlcat(buf, more, len);
	}
}

static void
judge_pools(struct judge *j)
{
	const struct hostuse *hu = j->hu;
	char mnt[256], what[320];
	size_t i, k, nv;
	bool hit, root;

	for (i = 0; i < hu->npools; i++) {
		hit = false;
		(void)snprintf(what, sizeof(what), "pool %s", hu->pools[i]);
		for (k = nv = 0; k < hu->nvdev; k++)
			if (strcmp(hu->vdev[k].pool, hu->pools[i]) == 0) {
				nv++;
				hit |= dev_hits(j, hu->vdev[k].path, what);
			}
		if (nv == 0)
			unknown(j, MAP_UNKNOWN, "pool %s shows no device "
			    "path%s", hu->pools[i], " (zpool status -P)");
		if (!hit)
			continue;
		root = false;
		pool_mounts(hu, hu->pools[i], mnt, sizeof(mnt), &root);
		j->r->root |= root;
		j->r->disk = true;
		if (mnt[0] != '\0')
			add_what(j, "%s (mounted at %s)", hu->pools[i], mnt);
		else
			add_what(j, "pool %s%s", hu->pools[i], "");
	}
}

static bool
pool_known(const struct hostuse *hu, const char *ds)
{
	size_t i, n;

	for (i = 0; i < hu->npools; i++) {
		n = strlen(hu->pools[i]);
		if (strncmp(ds, hu->pools[i], n) == 0 &&
		    (ds[n] == '\0' || ds[n] == '/'))
			return (true);
	}
	return (false);
}

static void
judge_mounts(struct judge *j)
{
	const struct hostuse *hu = j->hu;
	const struct hu_mount *m;
	char what[320];
	size_t i;

	for (i = 0; i < hu->nmnt; i++) {
		m = &hu->mnt[i];
		(void)snprintf(what, sizeof(what), "the file system mounted "
		    "at %s", m->on);
		if (strcmp(m->fstype, "zfs") == 0 ||
		    strncmp(m->from, "/dev/zvol/", 10) == 0) {
			if (!pool_known(hu, strcmp(m->fstype, "zfs") == 0 ?
			    m->from : m->from + 10))
				unknown(j, MAP_UNKNOWN, "%s is in %s, a pool "
				    "zpool status -P does not show", what,
				    m->from);
			continue;	/* judged with its pool */
		}
		if (strncmp(m->from, "/dev/", 5) != 0)
			continue;	/* devfs, tmpfs, nullfs, nfs ... */
		if (!dev_hits(j, m->from, what))
			continue;
		j->r->root |= is_root(m);
		j->r->disk = true;
		add_what(j, "%s (mounted at %s)", m->from, m->on);
	}
}

static void
judge_swap(struct judge *j)
{
	size_t i;

	for (i = 0; i < j->hu->nswap; i++)
		if (dev_hits(j, j->hu->swap[i], "swap")) {
			j->r->disk = true;
			add_what(j, "swap %s%s", j->hu->swap[i], "");
		}
}

static void
judge_net(struct judge *j)
{
	const struct hostuse *hu = j->hu;
	char name[HU_NAMELEN];
	enum hu_map m;
	size_t i, idx;

	if (!hu->have_route) {
		j->unk_net = true;
		strlcpy(j->why_n, "the default route's interface is not "
		    "known (no netstat -rn output)", sizeof(j->why_n));
		return;
	}
	for (i = 0; i < hu->nroute; i++) {
		/* netstat -rn cuts names to 8 characters (H8). */
		if (strlen(hu->route[i]) >= 8 ||
		    strlen(hu->route[i]) >= sizeof(name)) {
			m = MAP_UNKNOWN;
		} else {
			strlcpy(name, hu->route[i], sizeof(name));
			name[strcspn(name, ".")] = '\0';	/* em0.100 */
			m = walk(j, name, &idx);
		}
		if (m == MAP_FUNC && idx == j->target) {
			j->r->net = true;
			add_what(j, "the default route (%s)%s", hu->route[i],
			    "");
		} else if (m == MAP_UNKNOWN && !j->unk_net) {
			j->unk_net = true;
			(void)snprintf(j->why_n, sizeof(j->why_n), "the "
			    "default route is on %s, whose PCI device ptvm "
			    "cannot tell", hu->route[i]);
		}
	}
}

void
hostuse_judge(const struct hostuse *hu, const struct pci_list *pl,
    const struct pci_dev *f, struct hu_result *r)
{
	struct judge j;
	unsigned cls;

	memset(r, 0, sizeof(*r));
	memset(&j, 0, sizeof(j));
	j.hu = hu;
	j.pl = pl;
	j.r = r;
	j.target = (size_t)(f - pl->dev);
	if (!func_is_attached(f)) {
		r->v = HU_FREE;
		return;		/* no host driver: the host uses nothing on it */
	}
	if (!hu->have_mount)
		unknown(&j, MAP_UNKNOWN, "the host's mounted file systems are "
		    "not known (no mount -p output)%s%s", "", "");
	if (!hu->have_zpool)
		unknown(&j, MAP_UNKNOWN, "the host's imported pools are not "
		    "known (no zpool status -P output)%s%s", "", "");
	if (!hu->have_swap)
		unknown(&j, MAP_UNKNOWN, "the host's swap devices are not "
		    "known (no swapctl -l output)%s%s", "", "");
	judge_pools(&j);
	judge_mounts(&j);
	judge_swap(&j);
	judge_net(&j);
	if (r->what[0] != '\0') {
		r->v = HU_USED;
		return;
	}
	cls = f->class >> 16;
	if (cls == 0x01 && (j.unk_storage || (j.unk_nvme &&
	    strcmp(f->driver, "nvme") == 0))) {
		r->v = HU_UNKNOWN;
		strlcpy(r->why, j.why_s, sizeof(r->why));
	} else if (cls == 0x02 && j.unk_net) {
		r->v = HU_UNKNOWN;
		strlcpy(r->why, j.why_n, sizeof(r->why));
	} else if ((f->class >> 8) == 0x0c03 && (j.unk_storage || j.unk_net)) {
		/* A USB disk or NIC of the host could be behind it. */
		r->v = HU_UNKNOWN;
		r->soft = true;
		strlcpy(r->why, j.unk_storage ? j.why_s : j.why_n,
		    sizeof(r->why));
	} else
		r->v = HU_FREE;
}

const char *
hostuse_loss(const struct hu_result *r)
{

	if (r->root)
		return ("takes the host's root file system away");
	if (r->net && !r->disk)
		return ("cuts the host off its default route (ssh to it "
		    "drops)");
	if (r->net)
		return ("takes these and the default route from the host");
	return ("takes these from the host while it uses them (their I/O "
	    "fails; file systems on them can be damaged)");
}

const char *
hostuse_verb(const struct hu_result *r)
{

	return (r->disk ? "holds" : "carries");
}
