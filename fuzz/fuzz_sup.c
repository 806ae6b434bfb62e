/*
 * libFuzzer target: the supervisor's status and dirty-device files (each
 * parsed, written back and parsed again, which must then succeed and give
 * the same text), bhyve's log stream, and the state machine driven by the
 * input's bytes as events.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "bhyvelog.h"
#include "sup.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
files(const char *buf, size_t len)
{
	struct sup_dirty_list l, l2;
	struct sup_status st, st2;
	struct strbuf a, b;
	struct diags d;

	diags_init(&d);
	sb_init(&a);
	sb_init(&b);
	if (sup_status_parse(buf, len, "f", &st, &d) == 0) {
		sup_status_format(&st, &a);
		if (sup_status_parse(a.s, a.len, "f", &st2, &d) != 0)
			abort();
		sup_status_format(&st2, &b);
		if (a.len != b.len || memcmp(a.s, b.s, a.len) != 0)
			abort();
	}
	sb_reset(&a);
	sb_reset(&b);
	sup_dirty_init(&l);
	sup_dirty_init(&l2);
	if (sup_dirty_parse(buf, len, "f", &l, &d) == 0) {
		sup_dirty_format(&l, &a);
		if (sup_dirty_parse(a.s, a.len, "f", &l2, &d) != 0 ||
		    l2.n != l.n)
			abort();
		sup_dirty_format(&l2, &b);
		if (a.len != b.len || memcmp(a.s, b.s, a.len) != 0)
			abort();
	}
	sup_dirty_free(&l);
	sup_dirty_free(&l2);
	sb_free(&a);
	sb_free(&b);
	diags_free(&d);
}

static void
log_stream(const char *buf, size_t len)
{
	struct bhyvelog bl;
	struct strbuf out;
	size_t cut;

	sb_init(&out);
	bhyvelog_init(&bl, "bhyve");
	cut = len > 0 ? (unsigned char)buf[0] % (len + 1) : 0;
	bhyvelog_feed(&bl, buf, cut, (int64_t)len * 7919, 0, &out);
	bhyvelog_feed(&bl, buf + cut, len - cut, -(int64_t)len * 86400000,
	    (int)cut - 720, &out);
	bhyvelog_flush(&bl, INT64_MAX, -1439, &out);
	(void)bhyvelog_explain(buf, len);
	sb_free(&out);
}

/* Each byte an event; the machine must never overflow its action list. */
static void
machine(const uint8_t *p, size_t len)
{
	struct sup_actions acts;
	struct sup_event ev;
	struct sup_conf c;
	struct sup s;
	size_t i;
	int64_t now;

	sup_conf_default(&c, NULL);
	c.ndev = len > 0 ? p[0] % 3 : 0;
	c.acpi_observable = len > 1 && (p[1] & 1);
	c.life.acpi_presses = len > 1 && (p[1] & 2) ? 2 : 1;
	c.life.on_crash = len > 1 && (p[1] & 4) ? VMP_RESTART : VMP_STOP;
	c.restart_dirty = len > 1 && (p[1] & 8);
	c.loop_max = 3;
	sup_init(&s, &c);
	now = 0;
	for (i = 2; i < len && i < 512; i++) {
		memset(&ev, 0, sizeof(ev));
		now += (p[i] >> 4) * 700;
		ev.now = now;
		ev.kind = (enum sup_ev_kind)(p[i] % 9);
		ev.pid = 100 + (int)i;
		ev.on = p[i] & 0x10;
		ev.exit.signaled = p[i] & 0x20;
		ev.exit.code = ev.exit.signaled ? 9 : (p[i] >> 4) % 5;
		ev.timeout = (p[i] >> 5);
		ev.force = p[i] & 0x40;
		ev.sig = 15;
		acts.n = 0;
		(void)sup_step(&s, &ev, &acts);
		if (acts.n > SUP_MAXACT - 2)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{

	files((const char *)data, len);
	log_stream((const char *)data, len);
	machine(data, len);
	return (0);
}
