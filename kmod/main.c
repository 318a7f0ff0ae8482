// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: module entry points and parameters.
 *
 * The parameters are read when a device is created or a context is set up;
 * they are read-only at run time (0444) so a context never sees a limit
 * change under it.
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>

#include "aoff.h"
#include "ops.h"

unsigned int aoff_nr_devices = 1;
module_param_named(nr_devices, aoff_nr_devices, uint, 0444);
MODULE_PARM_DESC(nr_devices, "Number of devices /dev/asyncoffN (1..64, default 1)");

unsigned int aoff_max_sq_entries = 4096;
module_param_named(max_sq_entries, aoff_max_sq_entries, uint, 0444);
MODULE_PARM_DESC(max_sq_entries, "Largest SQ per context, power of two (default 4096)");

unsigned int aoff_max_cq_entries = 8192;
module_param_named(max_cq_entries, aoff_max_cq_entries, uint, 0444);
MODULE_PARM_DESC(max_cq_entries, "Largest CQ per context, power of two (default 8192)");

unsigned long aoff_max_ctx_bytes = SZ_64M;
module_param_named(max_ctx_bytes, aoff_max_ctx_bytes, ulong, 0444);
MODULE_PARM_DESC(max_ctx_bytes, "Largest mapped region per context in bytes (default 64 MiB)");

/*
 * 0: a quarter of RAM, set at load.  A fixed default (it was 1 GiB) is
 * more than a small machine has, and then filling the budget with
 * vmalloc_user() regions as root ends in the OOM killer, not ENOMEM.
 */
unsigned long aoff_max_dev_bytes;
module_param_named(max_dev_bytes, aoff_max_dev_bytes, ulong, 0444);
MODULE_PARM_DESC(max_dev_bytes, "Memory budget per device for all its contexts (default 0: a quarter of RAM)");

unsigned int aoff_max_contexts = 65536;
module_param_named(max_contexts, aoff_max_contexts, uint, 0444);
MODULE_PARM_DESC(max_contexts, "Open contexts per device (default 65536)");

unsigned int aoff_nr_engines = 2;
module_param_named(nr_engines, aoff_nr_engines, uint, 0444);
MODULE_PARM_DESC(nr_engines, "Engines per device (1..64, default 2)");

static int __init aoff_check_params(void)
{
	if (aoff_nr_devices < 1 || aoff_nr_devices > 64 ||
	    aoff_nr_engines < 1 || aoff_nr_engines > 64 ||
	    !is_power_of_2(aoff_max_sq_entries) ||
	    !is_power_of_2(aoff_max_cq_entries) ||
	    aoff_max_sq_entries > SZ_64K || aoff_max_cq_entries > SZ_128K ||
	    aoff_max_cq_entries < aoff_max_sq_entries ||
	    aoff_max_ctx_bytes < 4 * PAGE_SIZE || aoff_max_contexts < 1) {
		pr_err("invalid module parameters\n");
		return -EINVAL;
	}
	if (!aoff_max_dev_bytes)
		aoff_max_dev_bytes = (totalram_pages() / AOFF_DEV_BYTES_RAM_DIV)
				     << PAGE_SHIFT;
	return 0;
}

static int __init aoff_init(void)
{
	int ret;

	ret = aoff_check_params();
	if (ret)
		return ret;
	ret = aoff_ops_init();
	if (ret)
		return ret;
	aoff_ec_init();
	ret = aoff_devices_create();
	if (ret) {
		aoff_ec_exit();
		return ret;
	}
	pr_info("%u device(s), ABI %d\n", aoff_nr_devices, AOFF_ABI_VERSION);
	return 0;
}

static void __exit aoff_exit(void)
{
	aoff_devices_destroy();
	aoff_ec_exit();
}

module_init(aoff_init);
module_exit(aoff_exit);

MODULE_DESCRIPTION("asyncoff: modelled asynchronous crypto offload device");
MODULE_AUTHOR("asyncoff developers");
MODULE_LICENSE("GPL");
/*
 * The crypto templates the engines use, for modprobe (see op_aes.c), and
 * the DRBG behind ecc_gen_privkey() (a module on Debian's 6.1).
 */
MODULE_SOFTDEP("pre: ctr drbg");
