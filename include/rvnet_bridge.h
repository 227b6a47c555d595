/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rvnet C helpers for the bridge's data path (forwarding a frame to a
 * port, the bridge's own transmit) and for module vetoes.
 * Defined in rust/netdev/stack/helpers_bridge.c.
 */
#ifndef RVNET_BRIDGE_H
#define RVNET_BRIDGE_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

void rvnet_skb_eth_addrs(const struct sk_buff *skb, u8 *dest, u8 *source);
void rvnet_skb_set_pkt_host(struct sk_buff *skb);
bool rvnet_skb_pull_eth(struct sk_buff *skb);
void rvnet_br_forward(struct sk_buff *skb, struct net_device *to, bool local_orig);
unsigned long rvnet_jiffies(void);
unsigned long rvnet_jiffies_to_clock_t(unsigned long j);
unsigned long rvnet_clock_t_to_jiffies(unsigned long c);
unsigned int rvnet_jiffies_to_msecs(unsigned long j);
const char *rvnet_module_name(const void *mod);
int rvnet_dev_set_promiscuity(struct net_device *dev, int inc);
int rvnet_dev_set_allmulti(struct net_device *dev, int inc);
void rvnet_dev_addr_set_notify(struct net_device *dev, const u8 *mac);
bool rvnet_netif_oper_up(const struct net_device *dev);
bool rvnet_dev_dont_bridge(const struct net_device *dev);
bool rvnet_dev_is_loopback(const struct net_device *dev);

#endif /* RVNET_BRIDGE_H */
