/* SPDX-License-Identifier: GPL-2.0 */
/* rvnet helpers for IPsec (xfrm) state offload through a master device
 * (rust/netdev/stack/xfrm.rs; C: bond_xfrmdev_ops). */
#ifndef RVNET_XFRM_H
#define RVNET_XFRM_H

#include <linux/netdevice.h>

struct xfrm_state;
struct xfrmdev_ops;

void rvnet_netdev_set_xfrmdev_ops(struct net_device *dev, const struct xfrmdev_ops *ops);
struct net_device *rvnet_xso_dev(struct xfrm_state *x);
struct net_device *rvnet_xso_real_dev(struct xfrm_state *x);
bool rvnet_xfrm_lower_can_add(const struct net_device *lower);
bool rvnet_xfrm_lower_can_delete(const struct net_device *lower);
int rvnet_xfrm_lower_add(struct net_device *lower, struct xfrm_state *x,
			 struct netlink_ext_ack *extack);
void rvnet_xfrm_lower_remove(struct net_device *lower, struct xfrm_state *x);
bool rvnet_xfrm_lower_delete(struct xfrm_state *x);
void rvnet_xfrm_lower_free(struct xfrm_state *x);
bool rvnet_xfrm_lower_offload_ok(struct net_device *lower, struct sk_buff *skb,
				 struct xfrm_state *x);
bool rvnet_xfrm_lower_advance_esn(struct net_device *lower, struct xfrm_state *x);
bool rvnet_xfrm_lower_update_stats(struct net_device *lower, struct xfrm_state *x);
void rvnet_netdev_set_wanted_features(struct net_device *dev, netdev_features_t f, bool on);

#endif
