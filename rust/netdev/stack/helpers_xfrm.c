// SPDX-License-Identifier: GPL-2.0
/*
 * rvnet C helpers for IPsec state offload through a master device
 * (rust/netdev/stack/xfrm.rs; C: bond_xfrmdev_ops in bond_main.c).
 * Included at the end of helpers.c.
 *
 * The lower device's xfrmdev_ops read xs->xso.real_dev as their own
 * device (netdevsim, mlx5...): it is set to the lower device before its
 * xdo_dev_state_add and names it until its delete returned (moving a
 * state deletes it there and clears real_dev under x->lock, which the
 * xfrm core holds around the master's delete, so that delete reaches
 * the device only while the state is on it).
 */
#include <linux/netdevice.h>
#include <net/xfrm.h>
#include "../../../include/rvnet_xfrm.h"

void rvnet_netdev_set_xfrmdev_ops(struct net_device *dev, const struct xfrmdev_ops *ops)
{
#ifdef CONFIG_XFRM_OFFLOAD
	dev->xfrmdev_ops = ops;
#endif
}

void rvnet_netdev_set_wanted_features(struct net_device *dev, netdev_features_t f, bool on)
{
	ASSERT_RTNL();
	if (on)
		dev->wanted_features |= f;
	else
		dev->wanted_features &= ~f;
}

#ifdef CONFIG_XFRM_OFFLOAD
struct net_device *rvnet_xso_dev(struct xfrm_state *x)
{
	return READ_ONCE(x->xso.dev);
}

struct net_device *rvnet_xso_real_dev(struct xfrm_state *x)
{
	return READ_ONCE(x->xso.real_dev);
}

bool rvnet_xfrm_lower_can_add(const struct net_device *lower)
{
	return lower->xfrmdev_ops && lower->xfrmdev_ops->xdo_dev_state_add &&
	       !netif_is_bond_master(lower);
}

bool rvnet_xfrm_lower_can_delete(const struct net_device *lower)
{
	return lower->xfrmdev_ops && lower->xfrmdev_ops->xdo_dev_state_delete &&
	       !netif_is_bond_master(lower);
}

int rvnet_xfrm_lower_add(struct net_device *lower, struct xfrm_state *x,
			 struct netlink_ext_ack *extack)
{
	int err;

	if (!rvnet_xfrm_lower_can_add(lower))
		return -EOPNOTSUPP;
	spin_lock_bh(&x->lock);
	WRITE_ONCE(x->xso.real_dev, lower);
	spin_unlock_bh(&x->lock);
	err = lower->xfrmdev_ops->xdo_dev_state_add(x, extack);
	spin_lock_bh(&x->lock);
	if (err) {
		WRITE_ONCE(x->xso.real_dev, NULL);
	} else if (x->km.state == XFRM_STATE_DEAD) {
		/* Deleted by the user meanwhile: the master's delete found
		 * no device (or this one before it held the state). The
		 * device's ops read real_dev: cleared after them. */
		if (lower->xfrmdev_ops->xdo_dev_state_delete)
			lower->xfrmdev_ops->xdo_dev_state_delete(x);
		WRITE_ONCE(x->xso.real_dev, NULL);
		spin_unlock_bh(&x->lock);
		if (lower->xfrmdev_ops->xdo_dev_state_free)
			lower->xfrmdev_ops->xdo_dev_state_free(x);
		return -ENOENT;
	}
	spin_unlock_bh(&x->lock);
	return err;
}

void rvnet_xfrm_lower_remove(struct net_device *lower, struct xfrm_state *x)
{
	bool deleted = false;

	spin_lock_bh(&x->lock);
	if (READ_ONCE(x->xso.real_dev) == lower) {
		/* A state the user deleted was deleted on the lower device
		 * by the master's delete, under this lock. The device's ops
		 * read real_dev: it names the device until they return. */
		if (x->km.state != XFRM_STATE_DEAD && lower->xfrmdev_ops &&
		    lower->xfrmdev_ops->xdo_dev_state_delete)
			lower->xfrmdev_ops->xdo_dev_state_delete(x);
		/* No delete of the master reaches the device any more. */
		WRITE_ONCE(x->xso.real_dev, NULL);
		deleted = true;
	}
	spin_unlock_bh(&x->lock);
	/* Then its free, as C's del_sa_all. */
	if (deleted && lower->xfrmdev_ops && lower->xfrmdev_ops->xdo_dev_state_free)
		lower->xfrmdev_ops->xdo_dev_state_free(x);
}

bool rvnet_xfrm_lower_delete(struct xfrm_state *x)
{
	struct net_device *lower;

	/* Under x->lock, except on the core's failed insertion of a new
	 * state (xfrm_add_sa), which no other task has seen. */
	lower = READ_ONCE(x->xso.real_dev);
	if (!lower)
		return true;
	if (!rvnet_xfrm_lower_can_delete(lower))
		return false;
	lower->xfrmdev_ops->xdo_dev_state_delete(x);
	return true;
}

void rvnet_xfrm_lower_free(struct xfrm_state *x)
{
	struct net_device *lower = READ_ONCE(x->xso.real_dev);

	if (lower && lower->xfrmdev_ops && lower->xfrmdev_ops->xdo_dev_state_free)
		lower->xfrmdev_ops->xdo_dev_state_free(x);
	WRITE_ONCE(x->xso.real_dev, NULL);
}

bool rvnet_xfrm_lower_offload_ok(struct net_device *lower, struct sk_buff *skb,
				 struct xfrm_state *x)
{
	if (READ_ONCE(x->xso.real_dev) != lower)
		return false;
	if (!lower->xfrmdev_ops || !lower->xfrmdev_ops->xdo_dev_offload_ok ||
	    netif_is_bond_master(lower))
		return false;
	return lower->xfrmdev_ops->xdo_dev_offload_ok(skb, x);
}

bool rvnet_xfrm_lower_advance_esn(struct net_device *lower, struct xfrm_state *x)
{
	if (!lower->xfrmdev_ops || !lower->xfrmdev_ops->xdo_dev_state_advance_esn)
		return false;
	if (READ_ONCE(x->xso.real_dev) == lower)
		lower->xfrmdev_ops->xdo_dev_state_advance_esn(x);
	return true;
}

bool rvnet_xfrm_lower_update_stats(struct net_device *lower, struct xfrm_state *x)
{
	if (!lower->xfrmdev_ops || !lower->xfrmdev_ops->xdo_dev_state_update_stats)
		return false;
	if (READ_ONCE(x->xso.real_dev) == lower)
		lower->xfrmdev_ops->xdo_dev_state_update_stats(x);
	return true;
}
#endif
