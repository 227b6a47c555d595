/* SPDX-License-Identifier: GPL-2.0 */
/* rvnet helpers for a master taking its lower device's link-layer type
 * (rust/netdev/device/type_change.rs). */
#ifndef RVNET_TYPE_CHANGE_H
#define RVNET_TYPE_CHANGE_H

#include <linux/netdevice.h>

int rvnet_dev_pre_type_change(struct net_device *dev);
void rvnet_dev_post_type_change(struct net_device *dev);
void rvnet_dev_addr_lists_flush(struct net_device *dev);
void rvnet_dev_setup_by_lower(struct net_device *dev,
			      const struct net_device *lower,
			      const struct header_ops *ops);
void rvnet_dev_master_ether_setup(struct net_device *dev, bool close);
bool rvnet_dev_addr6_equal(const struct net_device *a,
			   const struct net_device *b);
int rvnet_dev_lower_header_create(struct sk_buff *skb,
				  struct net_device *lower,
				  unsigned short type, const void *daddr,
				  const void *saddr, unsigned int len);
int rvnet_dev_lower_header_parse(const struct sk_buff *skb,
				 const struct net_device *lower,
				 unsigned char *haddr);

#endif
