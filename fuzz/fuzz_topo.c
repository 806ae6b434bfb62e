/*
 * libFuzzer target: the kern.sched.topology_spec parser, and the planner,
 * picture and JSON on whatever it accepts.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "pin.h"
#include "topo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct pin_plan plan;
	struct pin_req req;
	struct strbuf sb;
	struct diags d;
	struct topo t;
	struct json j;

	diags_init(&d);
	if (topo_parse((const char *)data, len, "f", &t, &d) == 0) {
		sb_init(&sb);
		memset(&req, 0, sizeof(req));
		req.nvcpus = 1 + (int)(len % (size_t)t.ncpus);
		req.policy = len % 2 ? PIN_CORES : PIN_THREADS;
		if (pin_plan(&t, &req, &plan, &d) == 0) {
			topo_draw(&t, &plan, &sb);
			json_init(&j, &sb);
			pin_json(&plan, &j, NULL);
		}
		json_init(&j, &sb);
		json_obj(&j, NULL);
		topo_json(&t, &j);
		json_end(&j);
		sb_free(&sb);
		topo_free(&t);
	}
	diags_free(&d);
	return (0);
}
