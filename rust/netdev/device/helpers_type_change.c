// SPDX-License-Identifier: GPL-2.0
/*
 * rvnet C helpers for a master taking its lower device's link-layer type
 * (rust/netdev/device/type_change.rs; C: bond_setup_by_slave,
 * bond_ether_setup). Included at the end of helpers.c.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include "../../../include/rvnet_type_change.h"

int rvnet_dev_pre_type_change(struct net_device *dev)
{
	ASSERT_RTNL();
	return notifier_to_errno(call_netdevice_notifiers(NETDEV_PRE_TYPE_CHANGE, dev));
}

void rvnet_dev_post_type_change(struct net_device *dev)
{
	ASSERT_RTNL();
	call_netdevice_notifiers(NETDEV_POST_TYPE_CHANGE, dev);
}

void rvnet_dev_addr_lists_flush(struct net_device *dev)
{
	ASSERT_RTNL();
	dev_uc_flush(dev);
	dev_mc_flush(dev);
}

/* bond_setup_by_slave: closed (and opened again if it was up) around the
 * change. */
void rvnet_dev_setup_by_lower(struct net_device *dev,
			      const struct net_device *lower,
			      const struct header_ops *ops)
{
	bool was_up = !!(dev->flags & IFF_UP);

	ASSERT_RTNL();
	dev_close(dev);

	dev->header_ops = lower->header_ops ? ops : NULL;
	dev->type = lower->type;
	dev->hard_header_len = lower->hard_header_len;
	dev->needed_headroom = lower->needed_headroom;
	dev->addr_len = lower->addr_len;
	memcpy(dev->broadcast, lower->broadcast, lower->addr_len);
	if (lower->flags & IFF_POINTOPOINT) {
		dev->flags &= ~(IFF_BROADCAST | IFF_MULTICAST);
		dev->flags |= (IFF_POINTOPOINT | IFF_NOARP);
	}
	if (was_up)
		dev_open(dev, NULL);
}

/* bond_ether_setup: ether_setup resets the flags; IFF_MASTER is set
 * again, IFF_SLAVE and IFF_UP kept if they were set; IFF_TX_SKB_SHARING
 * (added by ether_setup) stays off. With close, dev_close first (C's
 * failed first enslave). */
void rvnet_dev_master_ether_setup(struct net_device *dev, bool close)
{
	unsigned int flags;

	ASSERT_RTNL();
	if (close)
		dev_close(dev);
	flags = dev->flags & (IFF_SLAVE | IFF_UP);
	ether_setup(dev);
	dev->flags |= IFF_MASTER | flags;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
}

/* ether_addr_equal_64bits of the two address buffers, whatever addr_len
 * (both are at least MAX_ADDR_LEN long). */
bool rvnet_dev_addr6_equal(const struct net_device *a,
			   const struct net_device *b)
{
	return ether_addr_equal(a->dev_addr, b->dev_addr);
}

int rvnet_dev_lower_header_create(struct sk_buff *skb,
				  struct net_device *lower,
				  unsigned short type, const void *daddr,
				  const void *saddr, unsigned int len)
{
	const struct header_ops *ops = READ_ONCE(lower->header_ops);

	if (ops && ops->create)
		return ops->create(skb, lower, type, daddr, saddr, len);
	return 0;
}

int rvnet_dev_lower_header_parse(const struct sk_buff *skb,
				 const struct net_device *lower,
				 unsigned char *haddr)
{
	const struct header_ops *ops = READ_ONCE(lower->header_ops);

	if (ops && ops->parse)
		return ops->parse(skb, lower, haddr);
	return 0;
}
