/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rvnet C helpers for 802.1Q devices: the `struct vlan_dev_priv` that the
 * built-in vlan_core reads from a VLAN device's private area, and the
 * lower device's VLAN group (struct vlan_info, net/8021q/vlan.h). Defined
 * in rust/netdev/helpers_vlan.c.
 */
#ifndef RVNET_VLAN_H
#define RVNET_VLAN_H

#include <linux/if_vlan.h>
#include <linux/netdevice.h>

/* struct vlan_dev_priv lifecycle and fields */
int rvnet_vlan_priv_init(struct vlan_dev_priv *vlan, struct net_device *real_dev,
			 __be16 proto, u16 vid, u16 flags);
void rvnet_vlan_priv_release(struct vlan_dev_priv *vlan);
int rvnet_vlan_set_egress(struct vlan_dev_priv *vlan, u32 skb_prio, u16 vlan_prio);
void rvnet_vlan_set_ingress(struct vlan_dev_priv *vlan, u32 skb_prio, u16 vlan_prio);
u16 rvnet_vlan_egress_qos_mask(const struct vlan_dev_priv *vlan, u32 skb_prio);
/* Egress mappings (all, or only non-zero QoS): returns the count written. */
unsigned int rvnet_vlan_egress_list(const struct vlan_dev_priv *vlan, u32 *from, u8 *to,
				    unsigned int max, bool all);
void rvnet_vlan_fold_stats(const struct vlan_dev_priv *vlan, struct rtnl_link_stats64 *s);

/* The lower device's VLAN group; RTNL held. */
int rvnet_vlan_group_prealloc(struct net_device *real_dev, __be16 proto, u16 vid);
int rvnet_vlan_group_set(struct net_device *real_dev, __be16 proto, u16 vid,
			 struct net_device *vlandev, bool on);
struct net_device *rvnet_vlan_group_find(struct net_device *real_dev, __be16 proto, u16 vid);

/* skb tagging */
u32 rvnet_skb_priority(const struct sk_buff *skb);

/* Stacking */
struct net_device *rvnet_netdev_upper_next_rcu(struct net_device *dev, struct list_head **iter);
bool rvnet_netdev_is_unregistering(const struct net_device *dev);
u64 rvnet_netdev_features(const struct net_device *dev);
bool rvnet_netif_reduces_vlan_mtu(struct net_device *dev);
void rvnet_netdev_inherit_from(struct net_device *dev, struct net_device *real_dev);
bool rvnet_netdev_addr_equal(const struct net_device *a, const struct net_device *b);

/* The legacy VLAN ioctl (vconfig) */
typedef int (*rvnet_vlan_ioctl_hook_t)(struct net *net, void __user *arg);
void rvnet_vlan_ioctl_set(rvnet_vlan_ioctl_hook_t hook);
unsigned long rvnet_copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long rvnet_copy_to_user(void __user *to, const void *from, unsigned long n);
bool rvnet_net_admin_capable(const struct net *net);
void rvnet_dev_net_set(struct net_device *dev, struct net *net);
void rvnet_netdev_set_link_ops(struct net_device *dev, const struct rtnl_link_ops *ops);

/* Address following (vlan_sync_address, vlan_dev_inherit_address) */
void rvnet_vlan_sync_address(struct net_device *vlandev, struct vlan_dev_priv *vlan,
			     struct net_device *real);
void rvnet_vlan_note_real_addr(struct vlan_dev_priv *vlan, const struct net_device *real);
void rvnet_vlan_transfer_features(struct net_device *vlandev, struct net_device *real);

unsigned int rvnet_netdev_priv_flags(const struct net_device *dev);

/* a device's address lists locked from a control path */
void rvnet_netif_addr_lock_bh(struct net_device *dev);
void rvnet_netif_addr_unlock_bh(struct net_device *dev);

#endif /* RVNET_VLAN_H */
