/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rvnet C helpers for native XDP of a master (bonding): ndo_bpf's
 * XDP_SETUP_PROG, counted bpf_prog references, a lower device's ndo_bpf
 * and ndo_xdp_xmit, xdp_features and bpf_master_redirect_enabled_key.
 * Defined in rust/netdev/stack/helpers_xdp.c.
 */
#ifndef RVNET_XDP_H
#define RVNET_XDP_H

#include <linux/netdevice.h>

struct bpf_prog;
struct netdev_bpf;
struct xdp_frame;

/* ndo_bpf: whether `bpf` is XDP_SETUP_PROG, with its program and ack */
bool rvnet_netdev_bpf_setup_prog(const struct netdev_bpf *bpf, struct bpf_prog **prog,
				 struct netlink_ext_ack **extack);
void rvnet_bpf_prog_inc(struct bpf_prog *prog);
void rvnet_bpf_prog_put(struct bpf_prog *prog);
u32 rvnet_bpf_prog_id(const struct bpf_prog *prog);

/* a lower device */
bool rvnet_dev_has_xdp_ops(const struct net_device *dev);
u8 rvnet_dev_xdp_prog_count(struct net_device *dev);
int rvnet_dev_xdp_propagate(struct net_device *dev, struct bpf_prog *prog,
			    struct netlink_ext_ack *extack);
u32 rvnet_dev_xdp_features(const struct net_device *dev);
void rvnet_xdp_set_features(struct net_device *dev, u32 val);
int rvnet_dev_xdp_xmit_one(struct net_device *dev, struct xdp_frame *frame, u32 flags);

/* ndo_xdp_xmit: the bytes of a frame */
const void *rvnet_xdp_frame_data(const struct xdp_frame *frame, u32 *len);

/* bpf_master_redirect_enabled_key */
void rvnet_bpf_master_redirect_inc(void);
void rvnet_bpf_master_redirect_dec(void);

#endif /* RVNET_XDP_H */
