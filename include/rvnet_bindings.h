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

#include "rvnet_helpers.h"
#include "rvnet_inet.h"
#include "rvnet_sched.h"
#include "rvnet_vlan.h"
#include "rvnet_port.h"
#include "rvnet_flow.h"
#include "rvnet_bridge.h"
#include "rvnet_sysfs.h"

/* Constants that are macros bindgen cannot evaluate. */
const u32 RVNET_IFF_UP = IFF_UP;
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
