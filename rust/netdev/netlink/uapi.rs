// SPDX-License-Identifier: GPL-2.0

//! uapi attribute numbers of the link kinds, from the kernel's own headers
//! (include/uapi/linux/if_link.h through the generated bindings), so no
//! driver types a number the kernel defines.

use super::bindings;

/// `IFLA_BOND_*`, `IFLA_BOND_AD_INFO_*`, `IFLA_BOND_SLAVE_*` and the
/// `BOND_MODE_*` values.
pub mod bond {
    use super::bindings as b;

    // The bindgen enum constants are `u32` aliases.
    macro_rules! consts {
        ($($name:ident = $src:ident),* $(,)?) => {
            $(#[allow(missing_docs)] pub const $name: u32 = b::$src;)*
        };
    }

    consts! {
        MODE = IFLA_BOND_MODE,
        ACTIVE_SLAVE = IFLA_BOND_ACTIVE_SLAVE,
        MIIMON = IFLA_BOND_MIIMON,
        UPDELAY = IFLA_BOND_UPDELAY,
        DOWNDELAY = IFLA_BOND_DOWNDELAY,
        USE_CARRIER = IFLA_BOND_USE_CARRIER,
        ARP_INTERVAL = IFLA_BOND_ARP_INTERVAL,
        ARP_VALIDATE = IFLA_BOND_ARP_VALIDATE,
        ARP_ALL_TARGETS = IFLA_BOND_ARP_ALL_TARGETS,
        PRIMARY = IFLA_BOND_PRIMARY,
        PRIMARY_RESELECT = IFLA_BOND_PRIMARY_RESELECT,
        FAIL_OVER_MAC = IFLA_BOND_FAIL_OVER_MAC,
        XMIT_HASH_POLICY = IFLA_BOND_XMIT_HASH_POLICY,
        RESEND_IGMP = IFLA_BOND_RESEND_IGMP,
        NUM_PEER_NOTIF = IFLA_BOND_NUM_PEER_NOTIF,
        ALL_SLAVES_ACTIVE = IFLA_BOND_ALL_SLAVES_ACTIVE,
        MIN_LINKS = IFLA_BOND_MIN_LINKS,
        LP_INTERVAL = IFLA_BOND_LP_INTERVAL,
        PACKETS_PER_SLAVE = IFLA_BOND_PACKETS_PER_SLAVE,
        AD_LACP_RATE = IFLA_BOND_AD_LACP_RATE,
        AD_SELECT = IFLA_BOND_AD_SELECT,
        AD_INFO = IFLA_BOND_AD_INFO,
        AD_ACTOR_SYS_PRIO = IFLA_BOND_AD_ACTOR_SYS_PRIO,
        AD_USER_PORT_KEY = IFLA_BOND_AD_USER_PORT_KEY,
        AD_ACTOR_SYSTEM = IFLA_BOND_AD_ACTOR_SYSTEM,
        TLB_DYNAMIC_LB = IFLA_BOND_TLB_DYNAMIC_LB,
        PEER_NOTIF_DELAY = IFLA_BOND_PEER_NOTIF_DELAY,
        AD_LACP_ACTIVE = IFLA_BOND_AD_LACP_ACTIVE,
        MISSED_MAX = IFLA_BOND_MISSED_MAX,
        COUPLED_CONTROL = IFLA_BOND_COUPLED_CONTROL,
        AD_INFO_AGGREGATOR = IFLA_BOND_AD_INFO_AGGREGATOR,
        AD_INFO_NUM_PORTS = IFLA_BOND_AD_INFO_NUM_PORTS,
        AD_INFO_ACTOR_KEY = IFLA_BOND_AD_INFO_ACTOR_KEY,
        AD_INFO_PARTNER_KEY = IFLA_BOND_AD_INFO_PARTNER_KEY,
        AD_INFO_PARTNER_MAC = IFLA_BOND_AD_INFO_PARTNER_MAC,
        SLAVE_STATE = IFLA_BOND_SLAVE_STATE,
        SLAVE_MII_STATUS = IFLA_BOND_SLAVE_MII_STATUS,
        SLAVE_LINK_FAILURE_COUNT = IFLA_BOND_SLAVE_LINK_FAILURE_COUNT,
        SLAVE_PERM_HWADDR = IFLA_BOND_SLAVE_PERM_HWADDR,
        SLAVE_QUEUE_ID = IFLA_BOND_SLAVE_QUEUE_ID,
        SLAVE_AD_AGGREGATOR_ID = IFLA_BOND_SLAVE_AD_AGGREGATOR_ID,
        SLAVE_AD_ACTOR_OPER_PORT_STATE = IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE,
        SLAVE_AD_PARTNER_OPER_PORT_STATE = IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE,
        SLAVE_PRIO = IFLA_BOND_SLAVE_PRIO,
        SLAVE_ACTOR_PORT_PRIO = IFLA_BOND_SLAVE_ACTOR_PORT_PRIO,
        SLAVE_AD_CHURN_ACTOR_STATE = IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE,
        SLAVE_AD_CHURN_PARTNER_STATE = IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE,
    }

    /// `BOND_MODE_*` (include/uapi/linux/if_bonding.h).
    pub const MODE_ROUNDROBIN: u8 = b::BOND_MODE_ROUNDROBIN as u8;
    /// `BOND_MODE_ACTIVEBACKUP`.
    pub const MODE_ACTIVEBACKUP: u8 = b::BOND_MODE_ACTIVEBACKUP as u8;
    /// `BOND_MODE_XOR`.
    pub const MODE_XOR: u8 = b::BOND_MODE_XOR as u8;
    /// `BOND_MODE_BROADCAST`.
    pub const MODE_BROADCAST: u8 = b::BOND_MODE_BROADCAST as u8;
    /// `BOND_MODE_8023AD`.
    pub const MODE_8023AD: u8 = b::BOND_MODE_8023AD as u8;
    /// `BOND_MODE_TLB`.
    pub const MODE_TLB: u8 = b::BOND_MODE_TLB as u8;
    /// `BOND_MODE_ALB`.
    pub const MODE_ALB: u8 = b::BOND_MODE_ALB as u8;

    /// `IFLA_BOND_MAX`.
    pub const MAX: u16 = (b::__IFLA_BOND_MAX - 1) as u16;
    /// `IFLA_BOND_SLAVE_MAX`.
    pub const SLAVE_MAX: u16 = (b::__IFLA_BOND_SLAVE_MAX - 1) as u16;
}

/// `IFLA_VLAN_*` and `IFLA_VLAN_QOS_*`.
pub mod vlan {
    use super::bindings as b;

    /// `IFLA_VLAN_ID`.
    pub const ID: u32 = b::IFLA_VLAN_ID;
    /// `IFLA_VLAN_FLAGS`.
    pub const FLAGS: u32 = b::IFLA_VLAN_FLAGS;
    /// `IFLA_VLAN_EGRESS_QOS`.
    pub const EGRESS_QOS: u32 = b::IFLA_VLAN_EGRESS_QOS;
    /// `IFLA_VLAN_INGRESS_QOS`.
    pub const INGRESS_QOS: u32 = b::IFLA_VLAN_INGRESS_QOS;
    /// `IFLA_VLAN_PROTOCOL`.
    pub const PROTOCOL: u32 = b::IFLA_VLAN_PROTOCOL;
    /// `IFLA_VLAN_MAX`.
    pub const MAX: u16 = (b::__IFLA_VLAN_MAX - 1) as u16;
    /// `IFLA_VLAN_QOS_MAPPING`.
    pub const QOS_MAPPING: u16 = b::IFLA_VLAN_QOS_MAPPING as u16;
}

/// `ETH_MAX_MTU` (include/uapi/linux/if_ether.h).
pub const ETH_MAX_MTU: u32 = bindings::ETH_MAX_MTU;
