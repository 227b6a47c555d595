// SPDX-License-Identifier: GPL-2.0
/*
 * The link net of movable link kinds (see netlink/link_net.rs): each
 * registered device of such a kind is on this module's list with the
 * namespace it was created in, so that when that namespace dies every
 * device it homes is deleted, wherever the device lives by then. This file
 * is compiled into each module (helpers.c), so the list is per module; it
 * has its own mutex because a device leaves it in its destructor, which
 * runs without RTNL (RTNL -> this mutex is the only order).
 */
#include <linux/mutex.h>

static LIST_HEAD(rvnet_link_nets);
static DEFINE_MUTEX(rvnet_link_nets_lock);

void rvnet_link_net_init(struct rvnet_link_net *e, struct net_device *dev)
{
	INIT_LIST_HEAD(&e->node);
	e->dev = dev;
	e->home = dev_net(dev);
	e->listed = false;
}

void rvnet_link_net_add(struct rvnet_link_net *e)
{
	ASSERT_RTNL();
	mutex_lock(&rvnet_link_nets_lock);
	list_add_tail(&e->node, &rvnet_link_nets);
	e->listed = true;
	mutex_unlock(&rvnet_link_nets_lock);
}

void rvnet_link_net_del(struct rvnet_link_net *e)
{
	if (!e->listed)
		return;
	mutex_lock(&rvnet_link_nets_lock);
	list_del_init(&e->node);
	e->listed = false;
	mutex_unlock(&rvnet_link_nets_lock);
}

/*
 * exit_batch_rtnl: kill(dev, dev_kill_list) for every listed device with
 * `ops` (one kind) whose link net is one of the dying namespaces.
 */
void rvnet_link_net_exit_batch(struct list_head *net_exit_list,
			       const struct net_device_ops *ops,
			       void (*kill)(struct net_device *dev,
					    struct list_head *head),
			       struct list_head *dev_kill_list)
{
	struct rvnet_link_net *e;
	struct net *net;

	ASSERT_RTNL();
	mutex_lock(&rvnet_link_nets_lock);
	list_for_each_entry(e, &rvnet_link_nets, node) {
		if (e->dev->netdev_ops != ops)
			continue;
		list_for_each_entry(net, net_exit_list, exit_list) {
			if (net_eq(e->home, net)) {
				kill(e->dev, dev_kill_list);
				break;
			}
		}
	}
	mutex_unlock(&rvnet_link_nets_lock);
}
