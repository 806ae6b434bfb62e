/*
 * sndstat.c: "cat /dev/sndstat".
 *
 * freebsd.md#S1: sndstat_prepare() (sys/dev/sound/pcm/sndstat.c) prints
 * "Installed devices:" then one line per registered pcm device:
 * device_get_nameunit() ":", " <" device_get_desc() ">", the verbose
 * driver string when hw.snd.verbose > 0, then the pcm handler's text,
 * which on FreeBSD 13 and 14 is " (play)", " (rec)" or " (play/rec)" and
 * " default" for hw.snd.default_unit; "No devices installed." when there
 * is none, then the userspace part.
 */
#include "compat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sndstat.h"
#include "util.h"

static int
parse_line(const char *s, size_t len, const char *file, unsigned line,
    struct snd_list *l, struct diags *d)
{
	const char *p, *end, *lt, *gt;
	unsigned long unit;
	struct snd_dev *dv;
	size_t dl;

	end = s + len;
	p = s + 3;
	if (util_parse_ulong_end(&p, end, 10, 9999, &unit) != 0 || p >= end ||
	    *p != ':') {
		diag_err(d, file, line, "\"%.*s\" is not a pcmN: line of "
		    "/dev/sndstat", (int)(len > 40 ? 40 : len), s);
		return (-1);
	}
	p++;
	while (p < end && *p == ' ')
		p++;
	if (p >= end || *p != '<') {
		diag_err(d, file, line, "pcm%lu: no <description>", unit);
		return (-1);
	}
	lt = p + 1;
	/* The description may hold '>' ("<NVIDIA (0x001c) (HDMI/DP 8ch)>"):
	 * it ends at the last '>' of the line. */
	for (gt = NULL, p = lt; p < end; p++)
		if (*p == '>')
			gt = p;
	if (gt == NULL) {
		diag_err(d, file, line, "pcm%lu: the description has no "
		    "closing '>'", unit);
		return (-1);
	}
	if (l->n == SND_MAXDEV) {
		diag_err(d, file, line, "more than %d sound devices",
		    SND_MAXDEV);
		return (-1);
	}
	dv = &l->dev[l->n++];
	memset(dv, 0, sizeof(*dv));
	dv->unit = (int)unit;
	dv->line = line;
	dl = (size_t)(gt - lt);
	if (dl >= sizeof(dv->desc))
		dl = sizeof(dv->desc) - 1;
	memcpy(dv->desc, lt, dl);
	for (p = dv->desc; *p != '\0'; p++)
		if (!isprint((unsigned char)*p))
			dv->desc[p - dv->desc] = '?';
	/* The handler's part: "(play)", "(rec)", "(play/rec)", "default". */
	for (p = gt + 1; p < end; p++) {
		if (*p != '(' && *p != ' ' && *p != '/')
			continue;
		if (end - p >= 5 && strncmp(p + 1, "play", 4) == 0)
			dv->play = true;
		if (end - p >= 4 && strncmp(p + 1, "rec", 3) == 0)
			dv->rec = true;
		if (*p == ' ' && end - p >= 8 && strncmp(p + 1, "default",
		    7) == 0 && (end - p == 8 || p[8] == ' '))
			dv->dflt = true;
	}
	return (0);
}

int
snd_parse(const char *buf, size_t len, const char *file, struct snd_list *l,
    struct diags *d)
{
	const char *p, *end, *nl;
	unsigned line;
	int rc;

	memset(l, 0, sizeof(*l));
	rc = 0;
	for (p = buf, end = buf + len, line = 1; p < end; p = nl + 1, line++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (memchr(p, '\0', (size_t)(nl - p)) != NULL) {
			diag_err(d, file, line, "a NUL byte; this is not the "
			    "text of /dev/sndstat");
			return (-1);
		}
		/* Only the kernel's part: the userspace part comes after. */
		if ((size_t)(nl - p) >= 24 && strncmp(p, "Installed devices "
		    "from", 22) == 0)
			break;
		if ((size_t)(nl - p) > 3 && strncmp(p, "pcm", 3) == 0 &&
		    isdigit((unsigned char)p[3]) &&
		    parse_line(p, (size_t)(nl - p), file, line, l, d) != 0)
			rc = -1;
	}
	return (rc);
}

const struct snd_dev *
snd_unit(const struct snd_list *l, int unit)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->dev[i].unit == unit)
			return (&l->dev[i]);
	return (NULL);
}

const struct snd_dev *
snd_default(const struct snd_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->dev[i].dflt)
			return (&l->dev[i]);
	return (NULL);
}

int
snd_path_unit(const char *path)
{
	const char *p;
	unsigned long u, m;

	if (strcmp(path, "/dev/dsp") == 0)
		return (-2);
	if (strncmp(path, "/dev/dsp", 8) != 0)
		return (-1);
	p = path + 8;
	if (util_parse_ulong(&p, 10, 9999, &u) != 0)
		return (-1);
	if (*p == '.') {
		p++;
		if (util_parse_ulong(&p, 10, 9999, &m) != 0)
			return (-1);
	}
	return (*p == '\0' ? (int)u : -1);
}
