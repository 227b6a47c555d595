// SPDX-License-Identifier: GPL-2.0
/*
 * Native XDP of a master (include/rvnet_xdp.h): ndo_bpf's XDP_SETUP_PROG,
 * bpf_prog references, a lower device's ndo_bpf, ndo_xdp_xmit and
 * xdp_features, and bpf_master_redirect_enabled_key.
 */
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/rtnetlink.h>
#include <net/xdp.h>
#include "../../../include/rvnet_xdp.h"

bool rvnet_netdev_bpf_setup_prog(const struct netdev_bpf *bpf, struct bpf_prog **prog,
				 struct netlink_ext_ack **extack)
{
	if (bpf->command != XDP_SETUP_PROG)
		return false;
	*prog = bpf->prog;
	*extack = bpf->extack;
	return true;
}

void rvnet_bpf_prog_inc(struct bpf_prog *prog)
{
	bpf_prog_inc(prog);
}

void rvnet_bpf_prog_put(struct bpf_prog *prog)
{
	bpf_prog_put(prog);
}

u32 rvnet_bpf_prog_id(const struct bpf_prog *prog)
{
	return prog->aux->id;
}

bool rvnet_dev_has_xdp_ops(const struct net_device *dev)
{
	return dev->netdev_ops->ndo_bpf && dev->netdev_ops->ndo_xdp_xmit;
}

u8 rvnet_dev_xdp_prog_count(struct net_device *dev)
{
	ASSERT_RTNL();
	return dev_xdp_prog_count(dev);
}

int rvnet_dev_xdp_propagate(struct net_device *dev, struct bpf_prog *prog,
			    struct netlink_ext_ack *extack)
{
	struct netdev_bpf xdp = {
		.command = XDP_SETUP_PROG,
		.flags = 0,
		.prog = prog,
		.extack = extack,
	};

	ASSERT_RTNL();
	return dev_xdp_propagate(dev, &xdp);
}

u32 rvnet_dev_xdp_features(const struct net_device *dev)
{
	return READ_ONCE(dev->xdp_features);
}

void rvnet_xdp_set_features(struct net_device *dev, u32 val)
{
	ASSERT_RTNL();
	xdp_set_features_flag(dev, val);
}

int rvnet_dev_xdp_xmit_one(struct net_device *dev, struct xdp_frame *frame, u32 flags)
{
	struct xdp_frame *frames[] = { frame };

	if (!dev->netdev_ops->ndo_xdp_xmit)
		return -EOPNOTSUPP;
	return dev->netdev_ops->ndo_xdp_xmit(dev, 1, frames, flags);
}

const void *rvnet_xdp_frame_data(const struct xdp_frame *frame, u32 *len)
{
	*len = frame->len;
	return frame->data;
}

void rvnet_bpf_master_redirect_inc(void)
{
	static_branch_inc(&bpf_master_redirect_enabled_key);
}

void rvnet_bpf_master_redirect_dec(void)
{
	static_branch_dec(&bpf_master_redirect_enabled_key);
}
