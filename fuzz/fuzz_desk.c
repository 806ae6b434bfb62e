/* libFuzzer target: the parsers of issue 18 (sndstat, usbconfig, arp, ndp). */
#include "compat.h"
#include "neigh.h"
#include "sndstat.h"
#include "usb.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct snd_list sl;
	struct usb_list ul;
	struct neigh_list nl;
	struct diags d;

	diags_init(&d);
	(void)snd_parse((const char *)data, len, "f", &sl, &d);
	usb_init(&ul);
	(void)usb_parse((const char *)data, len, "f", &ul, &d);
	usb_free(&ul);
	neigh_init(&nl);
	(void)neigh_parse_arp((const char *)data, len, "f", &nl, &d);
	(void)neigh_parse_ndp((const char *)data, len, "f", &nl, &d);
	neigh_free(&nl);
	diags_free(&d);
	return (0);
}
