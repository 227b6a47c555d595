// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line wrappers for kernel `static inline` functions and macros used
 * by the rvnet Rust abstraction layer. Compiled into every rvnet module; see
 * include/rvnet_helpers.h.
 */
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <net/netns/generic.h>
#include "../../include/rvnet_helpers.h"

void rvnet_dev_hold(struct net_device *dev)
{
	dev_hold(dev);
}

void rvnet_dev_put(struct net_device *dev)
{
	dev_put(dev);
}

void rvnet_netdev_update_priv_flags(struct net_device *dev, u64 set, u64 clear)
{
	dev->priv_flags = (dev->priv_flags | set) & ~clear;
}

void rvnet_netdev_set_tstats(struct net_device *dev)
{
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
}

void rvnet_netdev_set_lltx(struct net_device *dev, bool on)
{
	dev->lltx = on;
}

void rvnet_netdev_set_netns_immutable(struct net_device *dev)
{
	dev->netns_immutable = true;
}

/*
 * Under RTNL: the device is registered and not queued for unregistration
 * (a dellink batch links it on unreg_list; unregister_netdevice_many marks
 * it dismantled and then NETREG_UNREGISTERING), so unregistering it now
 * neither hits the BUG_ON in unregister_netdevice_many_notify nor corrupts
 * a batch list.
 */
bool rvnet_netdev_can_unregister(const struct net_device *dev)
{
	ASSERT_RTNL();
	return dev->reg_state == NETREG_REGISTERED && !dev->dismantle &&
	       list_empty(&dev->unreg_list);
}

bool rvnet_netif_carrier_ok(const struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

void rvnet_netif_start_queue(struct net_device *dev)
{
	netif_start_queue(dev);
}

void rvnet_netif_stop_queue(struct net_device *dev)
{
	netif_stop_queue(dev);
}

bool rvnet_netif_queue_stopped(const struct net_device *dev)
{
	return netif_queue_stopped(dev);
}

void rvnet_eth_hw_addr_random(struct net_device *dev)
{
	eth_hw_addr_random(dev);
}

void rvnet_dev_core_stats_tx_dropped_inc(struct net_device *dev)
{
	dev_core_stats_tx_dropped_inc(dev);
}

struct net_device *rvnet_netdev_notifier_info_to_dev(const struct netdev_notifier_info *info)
{
	return netdev_notifier_info_to_dev(info);
}

int rvnet_lockdep_rtnl_is_held(void)
{
	return lockdep_rtnl_is_held();
}

void rvnet_rcu_read_lock(void)
{
	rcu_read_lock();
}

void rvnet_rcu_read_unlock(void)
{
	rcu_read_unlock();
}

/* Per-CPU data (rust/netdev/sync/percpu.rs): the sum of a per-CPU u32 or
 * u64 counter over the possible CPUs. */
u64 rvnet_percpu_sum(const void __percpu *p, unsigned int size)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const void *v = per_cpu_ptr(p, cpu);

		sum += size == sizeof(u32) ? READ_ONCE(*(const u32 *)v) : READ_ONCE(*(const u64 *)v);
	}
	return sum;
}

struct net_device *rvnet_first_net_device_rcu(struct net *net)
{
	struct list_head *lh = rcu_dereference(list_next_rcu(&net->dev_base_head));

	return lh == &net->dev_base_head ? NULL : net_device_entry(lh);
}

struct net_device *rvnet_next_net_device_rcu(struct net_device *dev)
{
	return next_net_device_rcu(dev);
}

void rvnet_kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason)
{
	kfree_skb_reason(skb, reason);
}

__be16 rvnet_skb_protocol(const struct sk_buff *skb)
{
	return skb->protocol;
}

bool rvnet_pskb_may_pull(struct sk_buff *skb, unsigned int len)
{
	return pskb_may_pull(skb, len);
}

void *rvnet_nla_data(const struct nlattr *nla)
{
	return nla_data(nla);
}

int rvnet_nla_len(const struct nlattr *nla)
{
	return nla_len(nla);
}

int rvnet_nla_put_u32(struct sk_buff *skb, int type, u32 value)
{
	return nla_put_u32(skb, type, value);
}

int rvnet_nla_put_u8(struct sk_buff *skb, int type, u8 value)
{
	return nla_put_u8(skb, type, value);
}

int rvnet_nla_put_u16(struct sk_buff *skb, int type, u16 value)
{
	return nla_put_u16(skb, type, value);
}

size_t rvnet_nla_total_size(int payload)
{
	return nla_total_size(payload);
}

int rvnet_nla_put(struct sk_buff *skb, int type, int len, const void *data)
{
	return nla_put(skb, type, len, data);
}

struct nlattr *rvnet_nla_nest_start(struct sk_buff *skb, int type)
{
	return nla_nest_start_noflag(skb, type);
}

void rvnet_nla_nest_end(struct sk_buff *skb, struct nlattr *start)
{
	nla_nest_end(skb, start);
}

void rvnet_extack_set_msg(struct netlink_ext_ack *extack, const char *msg)
{
	/* `msg` must be static: extack keeps the pointer. */
	if (extack)
		extack->_msg = msg;
}

void rvnet_extack_set_bad_attr(struct netlink_ext_ack *extack, const struct nlattr *nla)
{
	if (extack)
		extack->bad_attr = nla;
}

void rvnet_seq_write(struct seq_file *m, const void *data, size_t len)
{
	seq_write(m, data, len);
}

struct net *rvnet_seq_file_single_net(struct seq_file *m)
{
	return seq_file_single_net(m);
}

struct proc_dir_entry *rvnet_proc_create_net_single(const char *name, umode_t mode,
						     struct proc_dir_entry *parent,
						     int (*show)(struct seq_file *, void *),
						     void *data)
{
	return proc_create_net_single(name, mode, parent, show, data);
}

struct proc_dir_entry *rvnet_net_proc_dir(struct net *net)
{
	return net->proc_net;
}

struct proc_dir_entry *rvnet_proc_net_mkdir(struct net *net, const char *name)
{
	return proc_net_mkdir(net, name, net->proc_net);
}

/* /proc/net/<dir>/<device name> with @mode, private data = the device. */
struct proc_dir_entry *rvnet_proc_dev_add(const char *dir, umode_t mode, struct net_device *dev,
					  int (*show)(struct seq_file *, void *))
{
	char path[64];

	if (snprintf(path, sizeof(path), "%s/%s", dir, dev->name) >= sizeof(path))
		return NULL;
	return proc_create_single_data(path, S_IFREG | mode, dev_net(dev)->proc_net, show, dev);
}

/* The private data of a proc_create_single_data() file. */
void *rvnet_seq_private(struct seq_file *m)
{
	return m->private;
}

void rvnet_proc_remove(struct proc_dir_entry *pde)
{
	proc_remove(pde);
}

void rvnet_remove_proc_subtree(const char *name, struct net *net)
{
	remove_proc_subtree(name, net->proc_net);
}

void rvnet_init_delayed_work(struct delayed_work *w, void (*fn)(struct work_struct *))
{
	INIT_DELAYED_WORK(w, fn);
}

/* wq NULL: the system workqueue (schedule_delayed_work). */
bool rvnet_schedule_delayed_work_ms(struct workqueue_struct *wq, struct delayed_work *w,
				    unsigned int ms)
{
	return queue_delayed_work(wq ?: system_wq, w, msecs_to_jiffies(ms));
}

bool rvnet_mod_delayed_work_ms(struct workqueue_struct *wq, struct delayed_work *w,
			       unsigned int ms)
{
	return mod_delayed_work(wq ?: system_wq, w, msecs_to_jiffies(ms));
}

/* A device's own ordered workqueue, named after it (C bonding's bond->wq:
 * its rescuer thread is "kworker/R-<name>"). */
struct workqueue_struct *rvnet_alloc_dev_wq(const char *name)
{
	return alloc_ordered_workqueue("%s", WQ_MEM_RECLAIM, name);
}

/* The jiffies until a delayed work runs, 0 if it is not pending (C
 * bridge's br_timer_value, before the clock_t conversion). */
unsigned long rvnet_delayed_work_remaining(struct delayed_work *w)
{
	long d;

	if (!timer_pending(&w->timer))
		return 0;
	d = (long)(READ_ONCE(w->timer.expires) - jiffies);
	return d > 0 ? d : 0;
}

bool rvnet_cancel_delayed_work_sync(struct delayed_work *w)
{
	return cancel_delayed_work_sync(w);
}

void rvnet_init_work(struct work_struct *w, void (*fn)(struct work_struct *))
{
	INIT_WORK(w, fn);
}

bool rvnet_schedule_work(struct work_struct *w)
{
	return schedule_work(w);
}

bool rvnet_flush_work(struct work_struct *w)
{
	return flush_work(w);
}

void rvnet_local_bh_disable(void)
{
	local_bh_disable();
}

void rvnet_local_bh_enable(void)
{
	local_bh_enable();
}

bool rvnet_capable_net_admin(void)
{
	return capable(CAP_NET_ADMIN);
}
#include "device/helpers_header_ops.c"
#include "device/helpers_type_change.c"
#include "stack/helpers_sched.c"
#include "stack/helpers_vlan.c"
#include "stack/helpers_inet.c"
#include "stack/helpers_port.c"
#include "stack/helpers_xdp.c"
#include "stack/helpers_flow.c"
#include "stack/helpers_bridge.c"
#include "stack/helpers_iptunnel.c"
#include "stack/helpers_gre.c"
#include "stack/helpers_sit.c"
#include "stack/helpers_arp.c"
#include "proc/helpers_sysfs.c"
#include "netlink/helpers_link_net.c"
#include "stack/helpers_xfrm.c"
