// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: the devices.  Each is a misc device (no class of our own to
 * create) with its engines, model parameters, statistics and budgets; its
 * sysfs attributes are the misc device's groups (sysfs.c).
 */
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "ops.h"

static struct aoff_device *aoff_devs;
static unsigned int aoff_nr_created;

/*
 * Sets the number of engines in use.  Engines are only ever added (an
 * engine left over by a decrease sits idle until the device goes away), so
 * a work item that read the old count still finds its engine.
 */
int aoff_device_set_engines(struct aoff_device *dev, unsigned int n)
{
	struct aoff_engine *eng;
	unsigned int i;

	if (n < 1 || n > AOFF_MAX_ENGINES)
		return -EINVAL;
	mutex_lock(&dev->cfg_lock);
	for (i = 0; i < n; i++) {
		if (dev->engines[i])
			continue;
		eng = aoff_engine_alloc(i);
		if (IS_ERR(eng)) {
			mutex_unlock(&dev->cfg_lock);
			return PTR_ERR(eng);
		}
		dev->engines[i] = eng;
	}
	/* Pairs with the acquire in aoff_engine_work(): engines[] is set. */
	smp_store_release(&dev->nr_engines, n);
	workqueue_set_max_active(dev->wq, n);
	mutex_unlock(&dev->cfg_lock);
	return 0;
}

static void aoff_device_free_engines(struct aoff_device *dev)
{
	unsigned int i;

	for (i = 0; i < AOFF_MAX_ENGINES; i++) {
		aoff_engine_free(dev->engines[i]);
		dev->engines[i] = NULL;
	}
}

static int aoff_device_init(struct aoff_device *dev, unsigned int index)
{
	int ret;

	dev->index = index;
	spin_lock_init(&dev->lock);
	mutex_init(&dev->cfg_lock);
	init_waitqueue_head(&dev->engine_wait);
	mutex_init(&dev->ctx_lock);
	INIT_LIST_HEAD(&dev->ctxs);
	snprintf(dev->name, sizeof(dev->name), AOFF_DEV_PREFIX "%u", index);
	dev->params.coalesce_frames = 1;
	aoff_sqpoll_dev_init(dev);

	/*
	 * The engines run on an unbound workqueue whose max_active is the
	 * number of engines.  Each context has one work item, requeued at
	 * the tail after a bounded batch, so busy contexts are served
	 * round-robin (engine.c).
	 */
	dev->wq = alloc_workqueue("%s", WQ_UNBOUND, aoff_nr_engines,
				  dev->name);
	if (!dev->wq)
		return -ENOMEM;
	/* A failure part-way leaves the engines made so far: free them. */
	ret = aoff_device_set_engines(dev, aoff_nr_engines);
	if (ret)
		goto err_free_engines;
	ret = aoff_sqpoll_dev_start(dev);
	if (ret)
		goto err_free_engines;

	dev->misc.minor = MISC_DYNAMIC_MINOR;
	dev->misc.name = dev->name;
	dev->misc.fops = &aoff_fops;
	dev->misc.groups = aoff_dev_groups;
	ret = misc_register(&dev->misc);
	if (ret)
		goto err_stop_sqpoll;
	return 0;

	/* One step per set-up step, in reverse; nothing is queued yet. */
err_stop_sqpoll:
	aoff_sqpoll_dev_exit(dev);
err_free_engines:
	aoff_device_free_engines(dev);
	destroy_workqueue(dev->wq);
	return ret;
}

static void aoff_device_exit(struct aoff_device *dev)
{
	misc_deregister(&dev->misc);
	/* No context is left (each holds a module reference): nothing runs. */
	aoff_sqpoll_dev_exit(dev);
	destroy_workqueue(dev->wq);
	aoff_device_free_engines(dev);
	mutex_destroy(&dev->ctx_lock);
	mutex_destroy(&dev->cfg_lock);
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
