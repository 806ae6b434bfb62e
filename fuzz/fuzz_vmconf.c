/*
 * libFuzzer target: VM files, parsed and compiled (with a fixed host of
 * two PCI functions, a kenv and a 12-CPU topology), then written back as
 * bhyve's configuration and command line, and imported again.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "bcfg.h"
#include "bhyveargv.h"
#include "kv.h"
#include "pci.h"
#include "topo.h"
#include "vmconf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char pciconf[] =
    "vgapci0@pci0:6:0:0:\tclass=0x030000 rev=0xcf hdr=0x80 vendor=0x1002 "
    "device=0x7480 subvendor=0x1da2 subdevice=0xe452\n"
    "hdac0@pci0:6:0:1:\tclass=0x040300 rev=0x00 hdr=0x80 vendor=0x1002 "
    "device=0xab30 subvendor=0x1002 subdevice=0xab30\n";

static const char topoxml[] =
    "<groups>\n<group level=\"1\" cache-level=\"3\">\n"
    "<cpu count=\"4\" mask=\"f\">0, 1, 2, 3</cpu>\n<children>\n"
    "<group level=\"2\" cache-level=\"2\">\n<cpu count=\"2\" mask=\"3\">0, 1"
    "</cpu>\n<flags><flag name=\"THREAD\">THREAD group</flag>"
    "<flag name=\"SMT\">SMT group</flag></flags>\n</group>\n"
    "<group level=\"2\" cache-level=\"2\">\n<cpu count=\"2\" mask=\"c\">2, 3"
    "</cpu>\n<flags><flag name=\"THREAD\">THREAD group</flag>"
    "<flag name=\"SMT\">SMT group</flag></flags>\n</group>\n"
    "</children>\n</group>\n</groups>\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct pci_list pci;
	static struct kv_list kenv;
	static struct topo topo;
	static bool ready;
	struct vm_env env;
	struct vmconf c;
	struct vm vm;
	struct diags d;
	struct strbuf sb;
	struct bhyve_argv av;
	struct bcfg back;

	diags_init(&d);
	if (!ready) {
		pci_list_init(&pci);
		kv_init(&kenv);
		(void)pci_parse(pciconf, sizeof(pciconf) - 1, "p", &pci, &d);
		(void)kv_set(&kenv, "smbios.system.maker", "Maker%\\");
		(void)topo_parse(topoxml, sizeof(topoxml) - 1, "t", &topo, &d);
		ready = true;
	}
	memset(&env, 0, sizeof(env));
	env.pci = &pci;
	env.kenv = &kenv;
	env.topo = &topo;
	env.firmware = "/fw/BHYVE_UEFI_CODE.fd";
	env.vardir = "/var/db/ptvm";
	vm_init(&vm);
	if (vmconf_parse((const char *)data, len, "f.conf", "fz", &c,
	    &d) == 0 && vm_compile(&c, &env, &vm, &d) == 0) {
		sb_init(&sb);
		bcfg_write(&vm.cfg, &sb);
		bhyve_argv_init(&av);
		bcfg_init(&back);
		if (bhyve_cfg_to_argv(&vm.cfg, &av) == 0)
			(void)bhyve_argv_to_cfg((int)av.n, av.v, &back, "a",
			    NULL, &d);
		sb_reset(&sb);
		(void)vm_import(&back, "a", &sb, &d);
		bcfg_free(&back);
		bhyve_argv_free(&av);
		sb_free(&sb);
	}
	vmconf_free(&c);
	vm_free(&vm);
	diags_free(&d);
	return (0);
}
