/*
 * cmd_status.c: "ptvm status" and "list": what the engine gathers of each
 * VM (engine/status.c), as text, a table or JSON.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcicfg.h"
#include "desk.h"
#include "ptvm.h"
#include "util.h"

static int64_t
uptime_s(const struct vmstate *vs)
{
	int64_t now;

	if (!vs->have_st || vs->st.state == SUP_STOPPED || vs->st.started <= 0)
		return (-1);
	now = life_wall_ms(vs->h) / 1000;
	return (now > vs->st.started ? now - vs->st.started : 0);
}

static void
fmt_dur(int64_t s, char *buf, size_t sz)
{

	if (s < 0)
		strlcpy(buf, "-", sz);
	else if (s < 3600)
		snprintf(buf, sz, "%lldm%02llds", (long long)(s / 60),
		    (long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, sz, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else
		snprintf(buf, sz, "%lldd%02lldh", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
}

static void
status_json(struct vmstate *vs, struct json *j)
{
	struct pcicfg_diff *df;
	const struct sup_dirty *m;
	const struct vm *vm = &vs->ld.vm;
	struct pci_sel sels[SUP_STATUS_MAXDEV];
	char sel[32], buf[64];
	size_t i, n;
	int k;

	json_obj(j, NULL);
	json_str(j, "name", vs->name);
	json_str(j, "state", vs->state);
	json_bool(j, "supervised", vs->supervised);
	json_str(j, "undo_pending", vs->npending > 0 ? vs->pending : NULL);
	json_int(j, "pid", vs->have_st ? vs->st.pid : 0);
	json_int(j, "supervisor", vs->have_st ? vs->st.supervisor : 0);
	if (uptime_s(vs) >= 0)
		json_int(j, "uptime", uptime_s(vs));
	else
		json_null(j, "uptime");
	json_int(j, "restarts", vs->have_st ? vs->st.restarts : 0);
	if (vs->have_st && vs->st.acpi >= 0)
		json_bool(j, "acpi", vs->st.acpi > 0);
	else
		json_null(j, "acpi");
	if (vs->have_vm) {
		json_int(j, "cpus", vm->ncpus);
		json_arr(j, "pins");
		for (k = 0; k < vm->ncpus; k++)
			json_int(j, NULL, vm->pin != NULL ? vm->pin[k] : -1);
		json_end(j);
		json_int(j, "memory", (long long)vm->memory);
		if (vm->vnc != NULL)
			json_str(j, "vnc", vm->vnc);
		else
			json_null(j, "vnc");
		if (vm_console_b(vm, buf, sizeof(buf)) != NULL)
			json_str(j, "console", buf);
		else
			json_null(j, "console");
		json_int(j, "stop_timeout", vm->life.stop_timeout);
	}
	/* The devices: the VM file's, else the last run's. */
	n = 0;
	if (vs->have_vm) {
		for (i = 0; i < vm->ndev && n < nitems(sels); i++)
			if (vm->dev[i].kind == VMD_PASSTHRU)
				sels[n++] = vm->dev[i].host;
	} else if (vs->have_st)
		for (i = 0; i < vs->st.ndev; i++)
			sels[n++] = vs->st.dev[i];
	json_arr(j, "devices");
	for (i = 0; i < n; i++) {
		pci_sel_fmt(&sels[i], SEL_PCICONF, sel, sizeof(sel));
		m = sup_dirty_find(&vs->dirty, &sels[i]);
		json_obj(j, NULL);
		json_str(j, "selector", sel);
		json_bool(j, "dirty", m != NULL);
		json_str(j, "signature", vs->have_st ?
		    sup_status_evidence(&vs->st, &sels[i]) : NULL);
		if ((df = eng_evidence_diff(vs->h, vs->name, &sels[i])) != NULL) {
			pcicfg_diff_json(df, j, "evidence");
			free(df);
		} else
			json_null(j, "evidence");
		if (m != NULL) {
			json_str(j, "dirty_vm", m->vm);
			json_int(j, "dirty_since", m->time);
			json_str(j, "dirty_reason", m->reason);
		}
		json_end(j);
	}
	json_end(j);
	if (vs->have_st && vs->st.has_last) {
		json_obj(j, "last_exit");
		json_str(j, "kind", sup_kind_name(vs->st.last_kind));
		if (vs->st.last_exit.signaled) {
			json_null(j, "status");
			json_int(j, "signal", vs->st.last_exit.code);
		} else {
			json_int(j, "status", vs->st.last_exit.code);
			json_null(j, "signal");
		}
		json_str(j, "meaning", vs->st.last_kind == SUP_K_LOST ?
		    "supervisor lost" : sup_exit_meaning(&vs->st.last_exit,
		    vs->st.last_ran));
		json_bool(j, "guest_ran", vs->st.last_ran);
		json_bool(j, "dirty", vs->st.last_dirty);
		json_int(j, "time", vs->st.last_time);
		json_str(j, "why", vs->st.last_why);
		json_end(j);
	} else
		json_null(j, "last_exit");
	if (vs->why[0] != '\0')
		json_str(j, "error", vs->why);
	else if (vs->have_st && vs->st.error[0] != '\0')
		json_str(j, "error", vs->st.error);
	else
		json_null(j, "error");
	if (vs->dirty_why[0] != '\0')
		json_str(j, "dirty_error", vs->dirty_why);
	else
		json_null(j, "dirty_error");
	json_str(j, "log", vs->have_st && vs->st.log[0] != '\0' ?
	    vs->st.log : "");
	if (vs->have_vm)
		desk_status_json(vs->h, vm, vs->bhyve_alive, j);
	json_end(j);
}

static void
status_text(struct vmstate *vs)
{
	struct pcicfg_diff *df;
	const char *sig;
	const struct sup_dirty *m;
	const struct vm *vm = &vs->ld.vm;
	char sel[32], buf[64], dur[32];
	size_t i;
	int k;

	printf("%s: %s", vs->name, vs->state);
	if (vs->why[0] != '\0')
		printf(" (%s)", vs->why);
	if (vs->have_st && vs->st.pid > 0)
		printf(", bhyve pid %d", vs->st.pid);
	if (vs->supervised && vs->st.supervisor > 0)
		printf(", supervisor pid %d", vs->st.supervisor);
	if (uptime_s(vs) >= 0) {
		fmt_dur(uptime_s(vs), dur, sizeof(dur));
		printf(", up %s", dur);
	}
	printf("\n");
	if (strcmp(vs->state, "lost") == 0)
		printf("  the supervisor and bhyve ended unseen; ptvm host "
		    "restore cleans up and copies what bhyve wrote meanwhile "
		    "from %s into the log\n", vs->out);
	else if (strcmp(vs->state, "unsupervised") == 0)
		printf("  bhyve runs without its supervisor, writing to %s; "
		    "ptvm stop %s presses its power button, then ptvm host "
		    "restore cleans up\n", vs->out, vs->name);
	if (vs->npending > 0)
		printf("  pending  %zu host change%s without a running VM: %s; "
		    "ptvm host restore (or the next start) undoes %s\n",
		    vs->npending, vs->npending == 1 ? "" : "s", vs->pending,
		    vs->npending == 1 ? "it" : "them");
	if (vs->dirty_why[0] != '\0')
		printf("  dirty    unknown (%s)\n", vs->dirty_why);
	if (vs->have_vm) {
		printf("  vCPUs    %d", vm->ncpus);
		if (vm->pinned && vm->pin != NULL) {
			printf(" pinned to");
			for (k = 0; k < vm->ncpus; k++)
				printf(" %d", vm->pin[k]);
		}
		printf("\n  memory   %llu MiB\n",
		    (unsigned long long)(vm->memory >> 20));
		for (i = 0; i < vm->ndev; i++) {
			if (vm->dev[i].kind != VMD_PASSTHRU)
				continue;
			pci_sel_fmt(&vm->dev[i].host, SEL_PCICONF, sel,
			    sizeof(sel));
			m = sup_dirty_find(&vs->dirty, &vm->dev[i].host);
			printf("  passthru %s%s%s%s\n", sel, m != NULL ?
			    "  DIRTY: " : "", m != NULL ? m->reason : "",
			    m != NULL ? " (reboot the host to clear)" : "");
			sig = vs->have_st ? sup_status_evidence(&vs->st,
			    &vm->dev[i].host) : NULL;
			if (sig != NULL && strcmp(sig, "none") != 0)
				printf("           after the last run: %s: %s\n",
				    sig, eng_sig_text(sig));
			if ((df = eng_evidence_diff(vs->h, vs->name,
			    &vm->dev[i].host)) != NULL) {
				for (k = 0; (size_t)k < df->n; k++)
					printf("           - %s\n",
					    df->line[k].text);
				free(df);
			}
		}
		if (vm->vnc != NULL)
			printf("  vnc      %s\n", vm->vnc);
		if (vm_console_b(vm, buf, sizeof(buf)) != NULL)
			printf("  console  %s (ptvm console %s)\n", buf,
			    vs->name);
		desk_status_text(vs->h, vm, vs->bhyve_alive);
	}
	if (vs->have_st && vs->st.has_last)
		printf("  last     %s\n", vs->st.last_why);
	if (vs->have_st && vs->st.error[0] != '\0')
		printf("  error    %s\n", vs->st.error);
	if (vs->have_st && vs->st.log[0] != '\0')
		printf("  log      %s\n", vs->st.log);
}


static int
status_all(struct ptvm_ctx *ctx, struct host *h, bool json, bool table)
{
	struct vmstate *vs;
	struct strbuf sb;
	struct json j;
	char **names, dur[32], mem[32], sel[32];
	size_t n, i, k, nd;

	if (vmstate_names(&ctx->eng, h, &names, &n) != 0)
		return (EXIT_FAIL);
	if ((vs = calloc(n > 0 ? n : 1, sizeof(*vs))) == NULL) {
		host_names_free(names, n);
		return (EXIT_FAIL);
	}
	for (i = 0; i < n; i++)
		vmstate_read(&ctx->eng, h, names[i], &vs[i]);
	if (json) {
		sb_init(&sb);
		json_init(&j, &sb);
		json_arr(&j, NULL);
		for (i = 0; i < n; i++)
			status_json(&vs[i], &j);
		json_end(&j);
		out_json(&sb);
		sb_free(&sb);
	} else if (table) {
		printf("%-16s %-12s %7s %9s %4s %8s %s\n", "NAME", "STATE",
		    "PID", "UPTIME", "CPUS", "MEMORY", "PASSTHRU");
		for (i = 0; i < n; i++) {
			fmt_dur(uptime_s(&vs[i]), dur, sizeof(dur));
			if (vs[i].have_vm)
				snprintf(mem, sizeof(mem), "%lluG",
				    (unsigned long long)(vs[i].ld.vm.memory >>
				    30));
			else
				strlcpy(mem, "-", sizeof(mem));
			/*
			 * The functions it passes, each marked when the
			 * dirty file says a run left it in a bad state (the
			 * reset bug), "(dirty?)" when that file is unreadable.
			 */
			sb_init(&sb);
			for (k = nd = 0; vs[i].have_vm &&
			    k < vs[i].ld.vm.ndev; k++) {
				if (vs[i].ld.vm.dev[k].kind != VMD_PASSTHRU)
					continue;
				pci_sel_fmt(&vs[i].ld.vm.dev[k].host,
				    SEL_BHYVE, sel, sizeof(sel));
				sb_printf(&sb, "%s%s%s", nd++ > 0 ? ", " : "",
				    sel, sup_dirty_find(&vs[i].dirty,
				    &vs[i].ld.vm.dev[k].host) != NULL ?
				    " (dirty)" : "");
			}
			if (nd > 0 && vs[i].dirty_why[0] != '\0')
				sb_printf(&sb, " (dirty?)");
			printf("%-16s %-12s %7d %9s %4d %8s %s\n",
			    vs[i].name, vs[i].state, vs[i].have_st ?
			    vs[i].st.pid : 0, dur, vs[i].have_vm ?
			    vs[i].ld.vm.ncpus : 0, mem, nd > 0 ? sb_str(&sb) :
			    "-");
			sb_free(&sb);
		}
	} else
		for (i = 0; i < n; i++)
			status_text(&vs[i]);
	for (i = 0; i < n; i++)
		vmstate_free(&vs[i]);
	free(vs);
	host_names_free(names, n);
	return (EXIT_OK);
}

/* --json; returns the operand count (from argv[1] on), or -1. */
static int
status_opts(struct ptvm_ctx *ctx, int argc, char **argv, bool *json)
{
	static const struct optdef defs[] = {
		{ 'j', 0, "json", false, NULL },
		OPTDEF_END
	};
	struct opts o;
	int ch;

	*json = false;
	opt_init(&o, ctx->cmdname, argc, argv, defs);
	while ((ch = opt_next(&o)) != OPT_END) {
		if (ch != 'j')
			return (-1);
		*json = true;
	}
	return (opt_operands(&o, &argv));
}

int
cmd_status(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct vmstate vs;
	struct strbuf sb;
	struct json j;
	struct host *h;
	bool json;
	int n;

	if ((n = status_opts(ctx, argc, argv, &json)) < 0 || n > 1)
		return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
	if (ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	if (n == 0)
		return (status_all(ctx, h, json, false));
	if (!vm_name_ok(argv[1])) {
		diag_err(&ctx->diags, NULL, 0, "%s: not a VM name (letters, "
		    "digits, '-', '_' and '.', not first '-' or '.')", argv[1]);
		(void)out_diags(ctx);
		return (EXIT_USAGE);
	}
	vmstate_read(&ctx->eng, h, argv[1], &vs);
	if (!vs.have_vm && !vs.have_st) {
		diag_err(&ctx->diags, NULL, 0, "%s: no such VM (no VM file, "
		    "never started); ptvm list shows the VMs", argv[1]);
		(void)out_diags(ctx);
		vmstate_free(&vs);
		return (EXIT_FAIL);
	}
	if (json) {
		sb_init(&sb);
		json_init(&j, &sb);
		status_json(&vs, &j);
		out_json(&sb);
		sb_free(&sb);
	} else
		status_text(&vs);
	vmstate_free(&vs);
	return (EXIT_OK);
}

int
cmd_list(struct ptvm_ctx *ctx, int argc, char **argv)
{
	struct host *h;
	bool json;
	int rv;

	if (status_opts(ctx, argc, argv, &json) != 0)
		return (out_usage_error(ctx->cmdname, ctx->cmd, NULL));
	if (ctx_host(ctx, &h) != 0)
		return (EXIT_FAIL);
	rv = status_all(ctx, h, json, true);
	if (!json)
		autostart_print(ctx);	/* the boot order (cmd_autostart.c) */
	return (rv);
}
