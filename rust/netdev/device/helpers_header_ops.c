// SPDX-License-Identifier: GPL-2.0
/*
 * rvnet C helpers for header_ops (rust/netdev/device/header_ops.rs).
 * Included at the end of helpers.c.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>

void *rvnet_skb_push_hard_header(struct sk_buff *skb, unsigned int len)
{
	void *p;

	/* As ipgre_header: expand the head when the headroom is short. */
	if (skb_headroom(skb) < len &&
	    pskb_expand_head(skb, HH_DATA_ALIGN(len - skb_headroom(skb)), 0,
			     GFP_ATOMIC))
		return NULL;
	p = skb_push(skb, len);
	memset(p, 0, len);
	return p;
}

const u8 *rvnet_skb_mac_header_avail(const struct sk_buff *skb,
				     unsigned int *avail)
{
	const u8 *mac, *tail;

	if (!skb_mac_header_was_set(skb))
		return NULL;
	mac = skb_mac_header(skb);
	tail = skb_tail_pointer(skb);
	if (mac < skb->head || mac > tail)
		return NULL;
	*avail = tail - mac;
	return mac;
}

int rvnet_netdev_set_header_ops(struct net_device *dev,
				const struct header_ops *ops)
{
	if (dev->reg_state != NETREG_UNINITIALIZED)
		return -EBUSY;
	dev->header_ops = ops;
	return 0;
}

void rvnet_netdev_set_hard_header_len(struct net_device *dev,
				      unsigned short len)
{
	dev->hard_header_len = len;
}
