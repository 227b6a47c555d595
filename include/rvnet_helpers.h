/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rvnet C helpers: out-of-line wrappers for the `static inline` functions
 * and macros that the Rust abstraction layer needs and bindgen cannot see.
 * They are compiled into each module (composite module) from
 * rust/netdev/helpers.c. Every symbol is prefixed `rvnet_` so that it never
 * clashes with the kernel's own `rust_helper_*`.
 */
#ifndef RVNET_HELPERS_H
#define RVNET_HELPERS_H

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/netlink.h>

/* net_device */
void rvnet_dev_hold(struct net_device *dev);
void rvnet_dev_put(struct net_device *dev);
void rvnet_netdev_update_priv_flags(struct net_device *dev, u64 set, u64 clear);
void rvnet_netdev_set_tstats(struct net_device *dev);
void rvnet_netdev_set_lltx(struct net_device *dev, bool on);
void rvnet_netdev_set_netns_immutable(struct net_device *dev);
bool rvnet_netdev_can_unregister(const struct net_device *dev);
bool rvnet_netif_carrier_ok(const struct net_device *dev);
void rvnet_netif_start_queue(struct net_device *dev);
void rvnet_netif_stop_queue(struct net_device *dev);
bool rvnet_netif_queue_stopped(const struct net_device *dev);
void rvnet_eth_hw_addr_random(struct net_device *dev);
void rvnet_dev_core_stats_tx_dropped_inc(struct net_device *dev);
struct net_device *rvnet_netdev_notifier_info_to_dev(const struct netdev_notifier_info *info);

/*
 * The namespace a device of a movable link kind was created in (its link
 * net, C's tunnel->net), kept in the private area by the layer
 * (netlink/link_net.rs, helpers_link_net.c).
 */
struct rvnet_link_net {
	struct list_head node;
	struct net *home;
	struct net_device *dev;
	bool listed;
};
void rvnet_link_net_init(struct rvnet_link_net *e, struct net_device *dev);
void rvnet_link_net_add(struct rvnet_link_net *e);
void rvnet_link_net_del(struct rvnet_link_net *e);
void rvnet_link_net_exit_batch(struct list_head *net_exit_list,
			       const struct net_device_ops *ops,
			       void (*kill)(struct net_device *dev,
					    struct list_head *head),
			       struct list_head *dev_kill_list);

/* RTNL and RCU */
int rvnet_lockdep_rtnl_is_held(void);
void rvnet_rcu_read_lock(void);
void rvnet_rcu_read_unlock(void);
struct net_device *rvnet_first_net_device_rcu(struct net *net);
struct net_device *rvnet_next_net_device_rcu(struct net_device *dev);

/* per-CPU data (rust/netdev/sync/percpu.rs) */
u64 rvnet_percpu_sum(const void __percpu *p, unsigned int size);

/* skb */
void rvnet_kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason);
__be16 rvnet_skb_protocol(const struct sk_buff *skb);
bool rvnet_pskb_may_pull(struct sk_buff *skb, unsigned int len);

/* netlink attributes */
void *rvnet_nla_data(const struct nlattr *nla);
int rvnet_nla_len(const struct nlattr *nla);
int rvnet_nla_put_u32(struct sk_buff *skb, int type, u32 value);
int rvnet_nla_put_u8(struct sk_buff *skb, int type, u8 value);
int rvnet_nla_put_u16(struct sk_buff *skb, int type, u16 value);
size_t rvnet_nla_total_size(int payload);
int rvnet_nla_put(struct sk_buff *skb, int type, int len, const void *data);
struct nlattr *rvnet_nla_nest_start(struct sk_buff *skb, int type);
void rvnet_nla_nest_end(struct sk_buff *skb, struct nlattr *start);
void rvnet_extack_set_msg(struct netlink_ext_ack *extack, const char *msg);
void rvnet_extack_set_bad_attr(struct netlink_ext_ack *extack, const struct nlattr *nla);

/* seq_file / procfs */
void rvnet_seq_write(struct seq_file *m, const void *data, size_t len);
struct net *rvnet_seq_file_single_net(struct seq_file *m);
struct proc_dir_entry *rvnet_proc_create_net_single(const char *name, umode_t mode,
						     struct proc_dir_entry *parent,
						     int (*show)(struct seq_file *, void *),
						     void *data);
struct proc_dir_entry *rvnet_net_proc_dir(struct net *net);
struct proc_dir_entry *rvnet_proc_net_mkdir(struct net *net, const char *name);
void rvnet_remove_proc_subtree(const char *name, struct net *net);
struct proc_dir_entry *rvnet_proc_dev_add(const char *dir, umode_t mode, struct net_device *dev,
					  int (*show)(struct seq_file *, void *));
void *rvnet_seq_private(struct seq_file *m);
void rvnet_proc_remove(struct proc_dir_entry *pde);

/* delayed work */
void rvnet_init_delayed_work(struct delayed_work *w, void (*fn)(struct work_struct *));
bool rvnet_schedule_delayed_work_ms(struct workqueue_struct *wq, struct delayed_work *w,
				    unsigned int ms);
bool rvnet_cancel_delayed_work_sync(struct delayed_work *w);
bool rvnet_mod_delayed_work_ms(struct workqueue_struct *wq, struct delayed_work *w,
			       unsigned int ms);
struct workqueue_struct *rvnet_alloc_dev_wq(const char *name);
unsigned long rvnet_delayed_work_remaining(struct delayed_work *w);
void rvnet_init_work(struct work_struct *w, void (*fn)(struct work_struct *));
bool rvnet_schedule_work(struct work_struct *w);
bool rvnet_flush_work(struct work_struct *w);

/* header_ops (rust/netdev/device/header_ops.rs) */
struct header_ops;
/* ipgre_header's push: len zeroed bytes in front of the data, the head
 * expanded (GFP_ATOMIC) if the headroom is short; NULL on failure. */
void *rvnet_skb_push_hard_header(struct sk_buff *skb, unsigned int len);
/* skb_mac_header(skb) and in *avail the bytes from it to the tail, or
 * NULL when the MAC header is unset or outside the linear data. */
const u8 *rvnet_skb_mac_header_avail(const struct sk_buff *skb,
				     unsigned int *avail);
/* dev->header_ops = ops before registration (-EBUSY after). */
int rvnet_netdev_set_header_ops(struct net_device *dev,
				const struct header_ops *ops);
/* dev->hard_header_len = len. */
void rvnet_netdev_set_hard_header_len(struct net_device *dev,
				      unsigned short len);

/* misc */
void rvnet_local_bh_disable(void);
void rvnet_local_bh_enable(void);
bool rvnet_capable_net_admin(void);

#endif /* RVNET_HELPERS_H */
