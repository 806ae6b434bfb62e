/*
 * fuzz_pcicfg.c: libFuzzer target for the configuration-space parser
 * ("pciconf -r", "lspci -xxxx", save files), the decoders, the diff and
 * the restore planner.  Properties checked: a parsed image formats to a
 * save file that parses back to the same bytes; a diff of an image with
 * itself is empty; no plan writes a read-only or write-1-to-clear
 * register of the header.
 */
#include "compat.h"

#include <string.h>

#include "diag.h"
#include "pcicfg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct pcicfg a, b;
static struct pcicfg_diff d;
static struct pcicfg_plan p;

static void
check_plan(void)
{
	size_t i;

	for (i = 0; i < p.n; i++) {
		if (p.w[i].off < 0x40 && (p.w[i].off < 0x04 ||
		    (p.w[i].off >= 0x06 && p.w[i].off < 0x0c) ||
		    p.w[i].off == 0x0e || p.w[i].off == 0x0f ||
		    (p.w[i].off >= 0x28 && p.w[i].off < 0x30) ||
		    (p.w[i].off >= 0x34 && p.w[i].off < 0x3c) ||
		    p.w[i].off > 0x3c))
			__builtin_trap();
		if (p.w[i].off % p.w[i].width != 0 ||
		    p.w[i].off + p.w[i].width > PCICFG_EXT)
			__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	struct strbuf sb;
	struct json j;
	struct diags dg;

	diags_init(&dg);
	(void)pcicfg_parse((const char *)buf, len, "f", "06:00.0", &a, &dg);
	if (pcicfg_parse((const char *)buf, len, "f", NULL, &a, &dg) != 0) {
		diags_free(&dg);
		return (0);
	}
	sb_init(&sb);
	pcicfg_format(&a, "fuzz", &sb);
	if (sb.oom || pcicfg_parse(sb.s, sb.len, "s", NULL, &b, &dg) != 0 ||
	    memcmp(a.b, b.b, sizeof(a.b)) != 0 ||
	    memcmp(a.known, b.known, sizeof(a.known)) != 0)
		__builtin_trap();
	pcicfg_diff(&a, &b, &d);
	if (d.nbytes != 0)
		__builtin_trap();
	sb_reset(&sb);
	json_init(&j, &sb);
	pcicfg_json(&a, &j, NULL);
	pcicfg_diff_json(&d, &j, NULL);
	/* Against a mutated copy: every byte of the header flipped. */
	for (unsigned i = 0; i < 0x40; i++)
		b.b[i] ^= (uint8_t)(i * 37 + 1);
	pcicfg_diff(&a, &b, &d);
	pcicfg_diff_text(&d, &sb);
	(void)pcicfg_signature(&b, &a);
	if (pcicfg_restore_plan(&a, &b, 0, &p, &dg) == 0)
		check_plan();
	if (pcicfg_restore_plan(&a, NULL, PCICFG_RESTORE_VENDOR, &p, &dg) == 0)
		check_plan();
	(void)pcicfg_restore_plan(&b, &a, PCICFG_RESTORE_VENDOR, &p, &dg);
	sb_free(&sb);
	diags_free(&dg);
	return (0);
}
