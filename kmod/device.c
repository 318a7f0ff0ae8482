// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: the devices.  Each is a misc device (no class of our own to
 * create) with its engines and its budgets.
 */
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "aoff.h"

static struct aoff_device *aoff_devs;
static unsigned int aoff_nr_created;

static int aoff_device_init(struct aoff_device *dev, unsigned int index)
{
	int ret;

	dev->index = index;
	dev->nr_engines = aoff_nr_engines;
	spin_lock_init(&dev->lock);
	snprintf(dev->name, sizeof(dev->name), AOFF_DEV_PREFIX "%u", index);

	/*
	 * The engines: an unbound workqueue whose max_active is the number
	 * of engines.  Each context has one work item, requeued at the tail
	 * after a bounded batch, so busy contexts are served round-robin.
	 */
	dev->wq = alloc_workqueue("%s", WQ_UNBOUND, dev->nr_engines,
				  dev->name);
	if (!dev->wq)
		return -ENOMEM;

	dev->misc.minor = MISC_DYNAMIC_MINOR;
	dev->misc.name = dev->name;
	dev->misc.fops = &aoff_fops;
	ret = misc_register(&dev->misc);
	if (ret)
		goto err_destroy_wq;
	return 0;

err_destroy_wq:
	destroy_workqueue(dev->wq);
	return ret;
}

static void aoff_device_exit(struct aoff_device *dev)
{
	misc_deregister(&dev->misc);
	/* No context is left (each holds a module reference): nothing runs. */
	destroy_workqueue(dev->wq);
}

int aoff_devices_create(void)
{
	unsigned int i;
	int ret;

	aoff_devs = kcalloc(aoff_nr_devices, sizeof(*aoff_devs), GFP_KERNEL);
	if (!aoff_devs)
		return -ENOMEM;
	for (i = 0; i < aoff_nr_devices; i++) {
		ret = aoff_device_init(&aoff_devs[i], i);
		if (ret)
			goto err_destroy;
		aoff_nr_created++;
	}
	return 0;

err_destroy:
	aoff_devices_destroy();
	return ret;
}

void aoff_devices_destroy(void)
{
	while (aoff_nr_created)
		aoff_device_exit(&aoff_devs[--aoff_nr_created]);
	kfree(aoff_devs);
	aoff_devs = NULL;
}
