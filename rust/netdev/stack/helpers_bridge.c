// SPDX-License-Identifier: GPL-2.0
/*
 * The bridge's data path (include/rvnet_bridge.h): reading the Ethernet
 * addresses of a received frame, forwarding to a port as C's
 * __br_forward + br_dev_queue_push_xmit do (without the netfilter hooks),
 * the bridge's own transmit, and the module chain's module name.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/module.h>
#include "../../../include/rvnet_bridge.h"

void rvnet_skb_eth_addrs(const struct sk_buff *skb, u8 *dest, u8 *source)
{
	const struct ethhdr *eth = eth_hdr(skb);

	ether_addr_copy(dest, eth->h_dest);
	ether_addr_copy(source, eth->h_source);
}

void rvnet_skb_set_pkt_host(struct sk_buff *skb)
{
	skb->pkt_type = PACKET_HOST;
}

/* br_dev_xmit: the MAC header is where data starts; the forwarding path
 * expects data after it, as on receive. */
bool rvnet_skb_pull_eth(struct sk_buff *skb)
{
	if (!pskb_may_pull(skb, ETH_HLEN))
		return false;
	skb_reset_mac_header(skb);
	skb_pull(skb, ETH_HLEN);
	return true;
}

/* __br_forward + br_forward_finish + br_dev_queue_push_xmit, without the
 * bridge netfilter hooks (rvnet has no br_netfilter). */
void rvnet_br_forward(struct sk_buff *skb, struct net_device *to, bool local_orig)
{
	skb->dev = to;
	if (!local_orig) {
		if (skb_warn_if_lro(skb)) {
			kfree_skb(skb);
			return;
		}
		skb_forward_csum(skb);
	} else {
		skb_clear_tstamp(skb);
	}
	skb_push(skb, ETH_HLEN);
	if (!is_skb_forwardable(skb->dev, skb))
		goto drop;
	if (skb->ip_summed == CHECKSUM_PARTIAL && eth_type_vlan(skb->protocol)) {
		int depth;

		if (!vlan_get_protocol_and_depth(skb, skb->protocol, &depth))
			goto drop;
		skb_set_network_header(skb, depth);
	}
	dev_queue_xmit(skb);
	return;
drop:
	kfree_skb(skb);
}

unsigned long rvnet_jiffies(void)
{
	return jiffies;
}

unsigned long rvnet_jiffies_to_clock_t(unsigned long j)
{
	return jiffies_to_clock_t(j);
}

unsigned long rvnet_clock_t_to_jiffies(unsigned long c)
{
	return clock_t_to_jiffies(c);
}

unsigned int rvnet_jiffies_to_msecs(unsigned long j)
{
	return jiffies_to_msecs(j);
}

const char *rvnet_module_name(const void *mod)
{
	return ((const struct module *)mod)->name;
}

int rvnet_dev_set_promiscuity(struct net_device *dev, int inc)
{
	ASSERT_RTNL();
	return dev_set_promiscuity(dev, inc);
}

int rvnet_dev_set_allmulti(struct net_device *dev, int inc)
{
	ASSERT_RTNL();
	return dev_set_allmulti(dev, inc);
}

/* br_stp_change_bridge_id: the address changes, its assignment type does
 * not, listeners hear of it. */
void rvnet_dev_addr_set_notify(struct net_device *dev, const u8 *mac)
{
	ASSERT_RTNL();
	eth_hw_addr_set(dev, mac);
	call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
}

bool rvnet_netif_oper_up(const struct net_device *dev)
{
	return netif_oper_up(dev);
}

bool rvnet_dev_dont_bridge(const struct net_device *dev)
{
	return dev->priv_flags & IFF_DONT_BRIDGE;
}

bool rvnet_dev_is_loopback(const struct net_device *dev)
{
	return dev->flags & IFF_LOOPBACK;
}
