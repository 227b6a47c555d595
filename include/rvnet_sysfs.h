/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rvnet C helpers for sysfs files of devices and of their ports
 * (rust/netdev/proc/sysfs.rs). Defined in rust/netdev/proc/helpers_sysfs.c.
 */
#ifndef RVNET_SYSFS_H
#define RVNET_SYSFS_H

#include <linux/kobject.h>
#include <linux/netdevice.h>
#include <linux/sysfs.h>

/* The device's own kobject (/sys/class/net/<dev>). */
struct kobject *rvnet_dev_kobj(struct net_device *dev);
/* The net_device of a device kobject (to_net_dev(kobj_to_dev(kobj))). */
struct net_device *rvnet_kobj_netdev(struct kobject *kobj);
/* The net_device of a `struct device` (to_net_dev). */
struct net_device *rvnet_device_netdev(struct device *d);
/* The parent kobject of a kobject. */
struct kobject *rvnet_kobj_parent(struct kobject *kobj);
/* The device-specific attribute group slot (sysfs_groups[0]). */
void rvnet_dev_set_sysfs_group(struct net_device *dev, const struct attribute_group *grp);
/* restart_syscall(): the errno a sysfs store returns when RTNL is busy. */
int rvnet_restart_syscall(void);
/* The rx_handler of a device, under RCU. */
rx_handler_func_t *rvnet_rx_handler_rcu(const struct net_device *dev);
/* sysfs_attr_init() of an attribute that is not static (a per-namespace
 * class file's). */
void rvnet_sysfs_attr_init(struct attribute *attr);
int rvnet_sysfs_rename_link(struct kobject *kobj, struct kobject *target,
			    const char *old, const char *new);

#endif
