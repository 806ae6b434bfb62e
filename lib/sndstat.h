/*
 * sndstat.h: the sound devices of "cat /dev/sndstat" (freebsd.md#S1).
 * Pure: no OS calls, no printing.
 */
#ifndef PTVM_SNDSTAT_H
#define PTVM_SNDSTAT_H

#include "compat.h"
#include "diag.h"

#define SND_MAXDEV	64
#define SND_DESCMAX	128

/* One "pcmN: <desc> (play/rec) default" line. */
struct snd_dev {
	int		 unit;		/* N of pcmN, /dev/dspN */
	char		 desc[SND_DESCMAX];
	bool		 play;
	bool		 rec;
	bool		 dflt;		/* the default unit, /dev/dsp */
	unsigned	 line;
};

struct snd_list {
	struct snd_dev	 dev[SND_MAXDEV];
	size_t		 n;
};

/*
 * Parses the text; lines that are not pcm lines ("Installed devices:",
 * "No devices installed.", the userspace part) are skipped.  -1 with a
 * located error on a pcm line ptvm cannot read.
 */
int	snd_parse(const char *, size_t, const char *, struct snd_list *,
	    struct diags *);
/* The device of unit, or NULL. */
const struct snd_dev *snd_unit(const struct snd_list *, int);
/* The default device (marked "default"), or NULL. */
const struct snd_dev *snd_default(const struct snd_list *);
/*
 * The pcm unit a device path opens: /dev/dspN -> N, /dev/dspN.M -> N,
 * /dev/dsp -> -2 (the default unit); -1 for anything else.
 */
int	snd_path_unit(const char *);

#endif /* PTVM_SNDSTAT_H */
