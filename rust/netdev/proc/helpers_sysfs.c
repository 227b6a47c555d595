// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs files of devices and of their ports (include/rvnet_sysfs.h): the
 * inline accessors and macros the Rust side cannot call.
 */
#include <linux/netdevice.h>
#include <linux/sched/signal.h>
#include <linux/sysfs.h>
#include "../../../include/rvnet_sysfs.h"

struct kobject *rvnet_dev_kobj(struct net_device *dev)
{
	return &dev->dev.kobj;
}

struct net_device *rvnet_kobj_netdev(struct kobject *kobj)
{
	return to_net_dev(kobj_to_dev(kobj));
}

struct net_device *rvnet_device_netdev(struct device *d)
{
	return to_net_dev(d);
}

struct kobject *rvnet_kobj_parent(struct kobject *kobj)
{
	return kobj->parent;
}

void rvnet_dev_set_sysfs_group(struct net_device *dev, const struct attribute_group *grp)
{
	dev->sysfs_groups[0] = grp;
}

int rvnet_restart_syscall(void)
{
	return restart_syscall();
}

rx_handler_func_t *rvnet_rx_handler_rcu(const struct net_device *dev)
{
	return rcu_dereference(dev->rx_handler);
}

int rvnet_sysfs_rename_link(struct kobject *kobj, struct kobject *target,
			    const char *old, const char *new)
{
	return sysfs_rename_link(kobj, target, old, new);
}

void rvnet_sysfs_attr_init(struct attribute *attr)
{
	sysfs_attr_init(attr);
}
