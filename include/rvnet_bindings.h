/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The header that bindgen reads to generate the rvnet bindings
 * (rust/netdev/bindings_generated.rs, made at build time, never committed).
 * The allowlist in rust/netdev/bindgen_allowlist keeps the output small.
 */
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_bonding.h>
#include <linux/mii.h>
#include <linux/if_bridge.h>
#include <linux/sockios.h>
#include <linux/if_link.h>
#include <linux/if_vlan.h>
#include <linux/inetdevice.h>
#include <linux/notifier.h>
#include <linux/proc_fs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>
#include <net/netlink.h>
#include <net/sch_generic.h>
#include <net/pkt_sched.h>
#include <net/ip_tunnels.h>
#include <net/route.h>
#include <net/icmp.h>
#include <net/xfrm.h>
#include <net/dst_cache.h>
#include <net/gro_cells.h>
#include <net/gre.h>
#include <linux/if_tunnel.h>
#include <linux/if_arp.h>
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ndisc.h>

#include "rvnet_helpers.h"
#include "rvnet_inet.h"
#include "rvnet_sched.h"
#include "rvnet_vlan.h"
#include "rvnet_port.h"
#include "rvnet_flow.h"
#include "rvnet_bridge.h"
#include "rvnet_sysfs.h"
#include "rvnet_iptunnel.h"
#include "rvnet_gre.h"
#include "rvnet_tunnels.h"
#include "rvnet_sit.h"
#include "rvnet_arp.h"
#include "rvnet_type_change.h"
#include "rvnet_xfrm.h"
#include "rvnet_xdp.h"

/* Constants that are macros bindgen cannot evaluate. */
const u32 RVNET_IFF_UP = IFF_UP;
const u32 RVNET_XDP_ACT_MASK = NETDEV_XDP_ACT_MASK;
const u32 RVNET_XDP_ACT_XSK_ZEROCOPY = NETDEV_XDP_ACT_XSK_ZEROCOPY;
const u32 RVNET_IFLA_MAX = IFLA_MAX;
const gfp_t RVNET_GFP_KERNEL = GFP_KERNEL;
const gfp_t RVNET_GFP_ATOMIC = GFP_ATOMIC;
const int RVNET_NETDEV_TX_OK = NETDEV_TX_OK;
const int RVNET_NETDEV_TX_BUSY = NETDEV_TX_BUSY;
const unsigned char RVNET_NET_NAME_USER = NET_NAME_USER;
const unsigned char RVNET_NET_NAME_ENUM = NET_NAME_ENUM;
const netdev_features_t RVNET_NETIF_F_GSO_MASK = NETIF_F_GSO_MASK;
const netdev_features_t RVNET_NETIF_F_ONE_FOR_ALL = NETIF_F_ONE_FOR_ALL;
const netdev_features_t RVNET_NETIF_F_ALL_TSO = NETIF_F_ALL_TSO;
const netdev_features_t RVNET_NETIF_F_GSO_SOFTWARE = NETIF_F_GSO_SOFTWARE;
const netdev_features_t RVNET_NETIF_F_ALL_FOR_ALL = NETIF_F_ALL_FOR_ALL;
const netdev_features_t RVNET_NETIF_F_GSO_ENCAP_ALL = NETIF_F_GSO_ENCAP_ALL;
const netdev_features_t RVNET_NETIF_F_GSO_PARTIAL = NETIF_F_GSO_PARTIAL;
const netdev_features_t RVNET_MASTER_UPPER_DEV_VLAN_FEATURES = MASTER_UPPER_DEV_VLAN_FEATURES;

/*
 * Fields bindgen names only through its anonymous-union members
 * (`__bindgen_anon_N`, numbered by position): the layer reads and writes
 * them inline at these offsets (rust/netdev/device/skb.rs, driver.rs)
 * instead of calling a C helper per packet. The sizes are checked here, so
 * a kernel whose layout changes fails to build the bindings.
 */
const unsigned long RVNET_SKB_DEV_OFF = offsetof(struct sk_buff, dev);
const unsigned long RVNET_SKB_PRIORITY_OFF = offsetof(struct sk_buff, priority);
const unsigned long RVNET_SKB_PROTOCOL_OFF = offsetof(struct sk_buff, protocol);
const unsigned long RVNET_SKB_MAC_HEADER_OFF = offsetof(struct sk_buff, mac_header);
const unsigned long RVNET_SKB_NETWORK_HEADER_OFF = offsetof(struct sk_buff, network_header);
const unsigned long RVNET_SKB_INNER_NETWORK_HEADER_OFF =
	offsetof(struct sk_buff, inner_network_header);
const unsigned long RVNET_SKB_VLAN_PROTO_OFF = offsetof(struct sk_buff, vlan_proto);
const unsigned long RVNET_SKB_VLAN_TCI_OFF = offsetof(struct sk_buff, vlan_tci);
const unsigned long RVNET_NETDEV_TSTATS_OFF = offsetof(struct net_device, tstats);
_Static_assert(sizeof_field(struct sk_buff, dev) == sizeof(void *), "skb->dev");
_Static_assert(sizeof_field(struct sk_buff, priority) == 4, "skb->priority");
_Static_assert(sizeof_field(struct sk_buff, protocol) == 2, "skb->protocol");
_Static_assert(sizeof_field(struct sk_buff, mac_header) == 2, "skb->mac_header");
_Static_assert(sizeof_field(struct sk_buff, network_header) == 2, "skb->network_header");
_Static_assert(sizeof_field(struct sk_buff, inner_network_header) == 2,
	       "skb->inner_network_header");
_Static_assert(sizeof_field(struct sk_buff, vlan_proto) == 2, "skb->vlan_proto");
_Static_assert(sizeof_field(struct sk_buff, vlan_tci) == 2, "skb->vlan_tci");
_Static_assert(sizeof_field(struct net_device, tstats) == sizeof(void *), "dev->tstats");
/* skb->pkt_type: a bit-field in the byte at PKT_TYPE_OFFSET. */
const unsigned long RVNET_SKB_PKT_TYPE_OFF = PKT_TYPE_OFFSET;
const unsigned char RVNET_SKB_PKT_TYPE_MASK = PKT_TYPE_MAX;
_Static_assert(PKT_TYPE_MAX == 7, "pkt_type in the low bits (little-endian)");
/* netdev_priv(dev) is dev->priv, a flexible array at the end. */
const unsigned long RVNET_NETDEV_PRIV_OFF = offsetof(struct net_device, priv);
/*
 * net_generic(net, id) read inline by a reader that already holds RCU:
 * the length and the pointer array share the start of the union.
 */
const unsigned long RVNET_NET_GENERIC_PTR_OFF = offsetof(struct net_generic, ptr);
_Static_assert(offsetof(struct net_generic, s.len) == 0, "net_generic len");
_Static_assert(sizeof_field(struct net_generic, s.len) == 4, "net_generic len");
/* pskb_inet_may_pull's header sizes. */
const unsigned int RVNET_IPV4_HDR_LEN = sizeof(struct iphdr);
const unsigned int RVNET_IPV6_HDR_LEN = sizeof(struct ipv6hdr);
/* skb_is_gso: skb_shinfo(skb)->gso_size, the shared info at head + end. */
const unsigned long RVNET_SHINFO_GSO_SIZE_OFF = offsetof(struct skb_shared_info, gso_size);
_Static_assert(sizeof_field(struct skb_shared_info, gso_size) == 2, "gso_size");
_Static_assert(sizeof_field(struct sk_buff, end) == 4, "skb->end is an offset");
/* IPCB(skb)->opt, cleared before encapsulation (memset in C). */
const unsigned long RVNET_SKB_IPCB_OPT_OFF =
	offsetof(struct sk_buff, cb) + offsetof(struct inet_skb_parm, opt);
const unsigned long RVNET_IPCB_OPT_LEN = sizeof_field(struct inet_skb_parm, opt);
/* qdisc_skb_cb(skb)->slave_dev_queue_mapping (bonding's select_queue). */
const unsigned long RVNET_SKB_SLAVE_QMAP_OFF =
	offsetof(struct sk_buff, cb) + offsetof(struct qdisc_skb_cb, slave_dev_queue_mapping);
_Static_assert(sizeof_field(struct qdisc_skb_cb, slave_dev_queue_mapping) == 2,
	       "slave_dev_queue_mapping");
/* dev->state and txq->state bits the hot path tests inline. */
const unsigned long RVNET_LINK_STATE_START = 1UL << __LINK_STATE_START;
const unsigned long RVNET_QUEUE_STATE_ANY_XOFF = QUEUE_STATE_ANY_XOFF;
