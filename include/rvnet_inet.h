/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rvnet C helpers for the IPv4 address core (static inlines and RCU/RTNL
 * dereferences of include/linux/inetdevice.h) and for per-namespace generic
 * data. Defined in rust/netdev/helpers_inet.c.
 */
#ifndef RVNET_INET_H
#define RVNET_INET_H

#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>

/* in_device of a net_device (dev->ip_ptr) */
struct in_device *rvnet_in_dev_get_rcu(const struct net_device *dev);
struct in_device *rvnet_in_dev_get_rtnl(const struct net_device *dev);
bool rvnet_in_dev_dead(const struct in_device *in_dev);

/* The address list (in_dev->ifa_list, ifa->ifa_next) */
struct in_ifaddr *rvnet_in_dev_ifa_first_rcu(const struct in_device *in_dev);
struct in_ifaddr *rvnet_ifa_next_rcu(const struct in_ifaddr *ifa);
struct in_ifaddr *rvnet_in_dev_ifa_first_rtnl(const struct in_device *in_dev);
struct in_ifaddr *rvnet_ifa_next_rtnl(const struct in_ifaddr *ifa);
struct net_device *rvnet_ifa_dev(const struct in_ifaddr *ifa);
u32 rvnet_ifa_flags(const struct in_ifaddr *ifa);

/* IPv4 multicast group membership of a device (ip_mc_inc_group,
 * ip_mc_dec_group), under RTNL. */
void rvnet_ip_mc_inc_group(struct in_device *in_dev, __be32 group);
void rvnet_ip_mc_dec_group(struct in_device *in_dev, __be32 group);

/* Per-namespace generic data: the slot of `id`, or NULL if none yet. */
void *rvnet_net_generic_or_null(const struct net *net, unsigned int id);

#endif /* RVNET_INET_H */
