// SPDX-License-Identifier: GPL-2.0
/*
 * rvnet C helpers for the IPv4 address core and per-namespace generic data;
 * see include/rvnet_inet.h. Included at the end of helpers.c.
 */
#include <linux/igmp.h>
#include <linux/inetdevice.h>
#include <net/netns/generic.h>
#include "../../../include/rvnet_inet.h"

struct in_device *rvnet_in_dev_get_rcu(const struct net_device *dev)
{
	return __in_dev_get_rcu(dev);
}

struct in_device *rvnet_in_dev_get_rtnl(const struct net_device *dev)
{
	return __in_dev_get_rtnl(dev);
}

bool rvnet_in_dev_dead(const struct in_device *in_dev)
{
	return READ_ONCE(in_dev->dead);
}

struct in_ifaddr *rvnet_in_dev_ifa_first_rcu(const struct in_device *in_dev)
{
	return rcu_dereference(in_dev->ifa_list);
}

struct in_ifaddr *rvnet_ifa_next_rcu(const struct in_ifaddr *ifa)
{
	return rcu_dereference(ifa->ifa_next);
}

struct in_ifaddr *rvnet_in_dev_ifa_first_rtnl(const struct in_device *in_dev)
{
	return rtnl_dereference(in_dev->ifa_list);
}

struct in_ifaddr *rvnet_ifa_next_rtnl(const struct in_ifaddr *ifa)
{
	return rtnl_dereference(ifa->ifa_next);
}

struct net_device *rvnet_ifa_dev(const struct in_ifaddr *ifa)
{
	return ifa->ifa_dev->dev;
}

u32 rvnet_ifa_flags(const struct in_ifaddr *ifa)
{
	/* Promotion clears IFA_F_SECONDARY under RTNL while RCU readers look. */
	return READ_ONCE(ifa->ifa_flags);
}

void *rvnet_net_generic_or_null(const struct net *net, unsigned int id)
{
	struct net_generic *ng;
	void *ptr = NULL;

	rcu_read_lock();
	ng = rcu_dereference(net->gen);
	if (id < ng->s.len)
		ptr = ng->ptr[id];
	rcu_read_unlock();
	return ptr;
}

void rvnet_ip_mc_inc_group(struct in_device *in_dev, __be32 group)
{
	ip_mc_inc_group(in_dev, group);
}

void rvnet_ip_mc_dec_group(struct in_device *in_dev, __be32 group)
{
	ip_mc_dec_group(in_dev, group);
}
