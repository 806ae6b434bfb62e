/*
 * pcicfg_json.c: images and diffs as JSON, for --json and the
 * supervisor's status.  The keys are documented in ptvm(8) and stable.
 */
#include "compat.h"

#include <stdio.h>
#include <string.h>

#include "pcicfg.h"

static const char *
bar_type_name(enum pcicfg_bar_type t)
{
	static const char *const names[] = { "none", "io", "mem32",
	    "mem1m", "mem64", "rom" };

	return ((unsigned)t < nitems(names) ? names[t] : "?");
}

static void
json_bars(const struct pcicfg_info *in, struct json *j)
{
	const struct pcicfg_bar *b;
	struct strbuf sb;
	int i;

	sb_init(&sb);
	json_arr(j, "bars");
	for (i = 0; i < in->nbar; i++) {
		b = &in->bar[i];
		json_obj(j, NULL);
		json_int(j, "index", b->index);
		json_hex(j, "offset", b->off, 2);
		json_str(j, "type", bar_type_name(b->type));
		json_bool(j, "prefetchable", b->prefetch);
		json_hex(j, "address", (unsigned long)b->addr,
		    b->type == PCICFG_BAR_IO ? 4 : 8);
		if (b->index == 6)
			json_bool(j, "enabled", b->rom_enabled);
		sb_reset(&sb);
		pcicfg_bar_text(b, &sb);
		json_str(j, "text", sb_str(&sb));
		json_end(j);
	}
	json_end(j);
	sb_free(&sb);
}

static void
json_caps(const struct pcicfg_cap *c, size_t n, bool ext, struct json *j,
    const char *key)
{
	size_t i;

	json_arr(j, key);
	for (i = 0; i < n; i++) {
		json_obj(j, NULL);
		json_hex(j, "id", c[i].id, ext ? 4 : 2);
		json_hex(j, "offset", c[i].off, ext ? 3 : 2);
		json_str(j, "name", ext ? pcicfg_ecap_name(c[i].id) :
		    pcicfg_cap_name(c[i].id));
		if (ext)
			json_int(j, "version", c[i].ver);
		json_end(j);
	}
	json_end(j);
}

static void
json_pcie(const struct pcicfg_info *in, struct json *j)
{

	if (in->pcie_off == 0) {
		json_null(j, "pcie");
		return;
	}
	json_obj(j, "pcie");
	json_hex(j, "offset", in->pcie_off, 2);
	json_int(j, "port_type", in->pcie_type);
	json_str(j, "link_speed", pcicfg_speed_name(in->link_speed));
	json_int(j, "link_width", in->link_width);
	json_str(j, "link_max_speed", pcicfg_speed_name(in->link_max_speed));
	json_int(j, "link_max_width", in->link_max_width);
	json_bool(j, "link_training", in->link_training);
	json_bool(j, "data_link_active", in->link_dll_active);
	json_bool(j, "flr", in->flr);
	json_end(j);
}

static void
json_msi(const struct pcicfg_info *in, struct json *j)
{

	if (in->msi_off == 0)
		json_null(j, "msi");
	else {
		json_obj(j, "msi");
		json_hex(j, "offset", in->msi_off, 2);
		json_bool(j, "enabled", in->msi_enabled);
		json_end(j);
	}
	if (in->msix_off == 0)
		json_null(j, "msix");
	else {
		json_obj(j, "msix");
		json_hex(j, "offset", in->msix_off, 2);
		json_bool(j, "enabled", in->msix_enabled);
		json_bool(j, "masked", in->msix_masked);
		json_int(j, "vectors", in->msix_size);
		json_end(j);
	}
}

void
pcicfg_json(const struct pcicfg *c, struct json *j, const char *key)
{
	struct pcicfg_info in;
	enum pcicfg_sig sig;
	struct strbuf sb;

	pcicfg_decode(c, &in);
	sig = pcicfg_signature(c, NULL);
	sb_init(&sb);
	json_obj(j, key);
	json_int(j, "size", (long long)c->size);
	json_bool(j, "answers", !in.dead);
	json_hex(j, "vendor_id", in.vendor, 4);
	json_hex(j, "device_id", in.device, 4);
	json_hex(j, "revision", in.rev, 2);
	json_hex(j, "class", in.class, 6);
	json_hex(j, "subsystem_vendor_id", in.subvendor, 4);
	json_hex(j, "subsystem_id", in.subdevice, 4);
	json_int(j, "header_type", in.hdr);
	json_hex(j, "command", in.command, 4);
	pcicfg_command_text(in.command, &sb);
	json_str(j, "command_text", sb_str(&sb));
	json_hex(j, "status", in.status, 4);
	sb_reset(&sb);
	pcicfg_status_text(in.status, &sb);
	json_str(j, "status_text", sb_str(&sb));
	json_bars(&in, j);
	json_hex(j, "interrupt_line", in.intline, 2);
	json_str(j, "power_state", in.pm_off != 0 ?
	    pcicfg_power_name(in.power) : NULL);
	json_pcie(&in, j);
	json_msi(&in, j);
	json_caps(in.cap, in.ncap, false, j, "capabilities");
	json_caps(in.ecap, in.necap, true, j, "extended_capabilities");
	json_bool(j, "capabilities_broken", in.caps_broken);
	json_str(j, "signature", pcicfg_sig_name(sig));
	json_str(j, "signature_text", sig == PCICFG_SIG_NONE ? NULL :
	    pcicfg_sig_text(sig));
	json_end(j);
	sb_free(&sb);
}

void
pcicfg_diff_json(const struct pcicfg_diff *d, struct json *j, const char *key)
{
	const struct pcicfg_line *l;
	size_t i;

	json_obj(j, key);
	json_str(j, "signature", pcicfg_sig_name(d->worst));
	json_str(j, "signature_text", d->worst == PCICFG_SIG_NONE ? NULL :
	    pcicfg_sig_text(d->worst));
	json_int(j, "bytes_differ", (long long)d->nbytes);
	json_int(j, "omitted", (long long)d->omitted);
	json_arr(j, "changes");
	for (i = 0; i < d->n; i++) {
		l = &d->line[i];
		json_obj(j, NULL);
		json_str(j, "kind", pcicfg_change_name(l->kind));
		json_str(j, "signature", pcicfg_sig_name(l->sig));
		if (l->off >= 0)
			json_hex(j, "offset", (unsigned long)l->off, 3);
		else
			json_null(j, "offset");
		json_str(j, "text", l->text);
		json_end(j);
	}
	json_end(j);
	json_end(j);
}
