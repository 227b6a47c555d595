/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rvnet C helpers for masters of lower devices (bonding, later bridge):
 * rx_handler registration and trampolines, upper/lower linking and the
 * slave flags, opening/closing and addressing a lower device.
 * Defined in rust/netdev/helpers_port.c.
 */
#ifndef RVNET_PORT_H
#define RVNET_PORT_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

/* rx_handler */
void *rvnet_rx_handler_data_rcu(const struct net_device *dev);
struct sk_buff *rvnet_skb_share_check(struct sk_buff *skb);
u8 rvnet_skb_pkt_type(const struct sk_buff *skb);

/* control frames sent on a lower device (LACPDUs, later STP BPDUs) */
struct sk_buff *rvnet_skb_from_control_frame(struct net_device *dev, const void *frame,
					     unsigned int len);

/* multicast filter of a lower device */
int rvnet_dev_mc_add(struct net_device *dev, const u8 *addr);
int rvnet_dev_mc_del(struct net_device *dev, const u8 *addr);

/* upper/lower linking and slave state */
int rvnet_master_upper_dev_link(struct net_device *lower, struct net_device *upper,
				void *upper_priv, void *upper_info,
				struct netlink_ext_ack *extack);
void rvnet_set_slave_flag(struct net_device *dev, bool on);
void rvnet_dev_priv_flag(struct net_device *dev, u64 flag, bool on);

/* ndo_xdp_get_xmit_slave: the frame of an xdp_buff */
struct xdp_buff;
const void *rvnet_xdp_frame(const struct xdp_buff *xdp, u32 *len);
unsigned char rvnet_addr_assign_type(const struct net_device *dev);
unsigned short rvnet_dev_type(const struct net_device *dev);
bool rvnet_dev_has_set_mac(const struct net_device *dev);
int rvnet_dev_set_mac(struct net_device *dev, const u8 *addr, struct netlink_ext_ack *extack);
int rvnet_dev_take_addr(struct net_device *dev, const struct net_device *from);
const u8 *rvnet_sockaddr_hwaddr(const void *addr);
void rvnet_eth_hw_addr_set(struct net_device *dev, const u8 *mac);
void rvnet_dev_random_addr(struct net_device *dev);
bool rvnet_speed_duplex(struct net_device *dev, u32 *speed, u8 *duplex);
const char *rvnet_uts_release(void);
int rvnet_dev_set_mtu_force(struct net_device *dev, unsigned int mtu);
int rvnet_reported_link(struct net_device *dev);
bool rvnet_linkwatch_pending(const struct net_device *dev);
bool rvnet_is_bond_slave(const struct net_device *dev);
void rvnet_netdev_announce(struct net_device *dev, unsigned long event);
void rvnet_lag_lower_state_changed(struct net_device *dev, bool link_up, bool tx_enabled);
void rvnet_bonding_info_change(struct net_device *dev, s8 link, s8 state, u32 link_failure_count,
			       s32 bond_mode, s32 num_slaves, s32 miimon);
void rvnet_eth_random_addr(u8 *addr);

#endif /* RVNET_PORT_H */
