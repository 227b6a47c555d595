// SPDX-License-Identifier: GPL-2.0

//! A port's netlink view: `ip -d link show PORT` (`IFLA_INFO_SLAVE_DATA`
//! of kind `bridge_slave`) and `ip link set PORT type bridge_slave ...`
//! (C: br_netlink.c `br_port_fill_attrs`, `br_port_slave_changelink`,
//! `br_setport`).

use crate::br_device::{BridgeDriver, Port};
use crate::br_fdb;
use crate::br_if;
use crate::brlogic::{
    deliver::GROUPFWD_MACPAUSE,
    flags::{self as pflags, PortState},
};
use crate::netdev::{
    bridge::{jiffies, jiffies_to_clock_t},
    bridge_link::{BridgeLinkMsg, ProtInfo, VLAN_INFO_PVID, VLAN_INFO_UNTAGGED},
    errno,
    nla::nla_total_size,
    prelude::*,
    uapi::brport,
};
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*, sync::Arc};

/// The flag attributes, in `br_setport`'s order.
const FLAG_ATTRS: [(u32, u32); 17] = [
    (brport::MODE, pflags::HAIRPIN_MODE),
    (brport::GUARD, pflags::BPDU_GUARD),
    (brport::FAST_LEAVE, pflags::MULTICAST_FAST_LEAVE),
    (brport::PROTECT, pflags::ROOT_BLOCK),
    (brport::LEARNING, pflags::LEARNING),
    (brport::UNICAST_FLOOD, pflags::FLOOD),
    (brport::MCAST_FLOOD, pflags::MCAST_FLOOD),
    (brport::MCAST_TO_UCAST, pflags::MULTICAST_TO_UNICAST),
    (brport::BCAST_FLOOD, pflags::BCAST_FLOOD),
    (brport::PROXYARP, pflags::PROXYARP),
    (brport::PROXYARP_WIFI, pflags::PROXYARP_WIFI),
    (brport::VLAN_TUNNEL, pflags::VLAN_TUNNEL),
    (brport::NEIGH_SUPPRESS, pflags::NEIGH_SUPPRESS),
    (brport::ISOLATED, pflags::ISOLATED),
    (brport::LOCKED, pflags::PORT_LOCKED),
    (brport::MAB, pflags::PORT_MAB),
    (brport::NEIGH_VLAN_SUPPRESS, pflags::NEIGH_VLAN_SUPPRESS),
];

/// Flags whose behaviour this bridge does not have (proxy ARP, neighbour
/// suppression, VLAN tunnels, MAB): refused when set, by name.
const UNSUPPORTED: [(u32, &CStr); 6] = [
    (
        pflags::PROXYARP,
        c_str!("rvnet_bridge: proxy_arp is not supported"),
    ),
    (
        pflags::PROXYARP_WIFI,
        c_str!("rvnet_bridge: proxy_arp_wifi is not supported"),
    ),
    (
        pflags::VLAN_TUNNEL,
        c_str!("rvnet_bridge: vlan_tunnel is not supported"),
    ),
    (
        pflags::NEIGH_SUPPRESS,
        c_str!("rvnet_bridge: neigh_suppress is not supported"),
    ),
    (
        pflags::NEIGH_VLAN_SUPPRESS,
        c_str!("rvnet_bridge: neigh_vlan_suppress is not supported"),
    ),
    (
        pflags::PORT_MAB,
        c_str!("rvnet_bridge: mab is not supported"),
    ),
];

/// `br_port_info_size` (without the multicast attributes this kernel's C
/// bridge does not build).
pub(crate) fn size() -> usize {
    nla_total_size(1)
        + nla_total_size(2)
        + nla_total_size(4)
        + 17 * nla_total_size(1)
        + 2 * nla_total_size(8)
        + 4 * nla_total_size(2)
        + 2 * nla_total_size(1)
        + 3 * nla_total_size(12)
        + nla_total_size(2)
        + 2 * nla_total_size(1)
}

fn bit(f: u32, b: u32) -> u8 {
    u8::from(f & b != 0)
}

/// `br_port_fill_attrs`, in C's order.
pub(crate) fn fill(p: &Port, msg: &mut NlMsg) -> Result {
    let f = p.flags();
    let id = p.designated_id().bytes();
    msg.put_u8(brport::STATE, p.state() as u8)?;
    msg.put_u16(brport::PRIORITY, p.priority.load(Ordering::Relaxed))?;
    msg.put_u32(brport::COST, p.path_cost.load(Ordering::Relaxed))?;
    msg.put_u8(brport::MODE, bit(f, pflags::HAIRPIN_MODE))?;
    msg.put_u8(brport::GUARD, bit(f, pflags::BPDU_GUARD))?;
    msg.put_u8(brport::PROTECT, bit(f, pflags::ROOT_BLOCK))?;
    msg.put_u8(brport::FAST_LEAVE, bit(f, pflags::MULTICAST_FAST_LEAVE))?;
    msg.put_u8(brport::MCAST_TO_UCAST, bit(f, pflags::MULTICAST_TO_UNICAST))?;
    msg.put_u8(brport::LEARNING, bit(f, pflags::LEARNING))?;
    msg.put_u8(brport::UNICAST_FLOOD, bit(f, pflags::FLOOD))?;
    msg.put_u8(brport::MCAST_FLOOD, bit(f, pflags::MCAST_FLOOD))?;
    msg.put_u8(brport::BCAST_FLOOD, bit(f, pflags::BCAST_FLOOD))?;
    msg.put_u8(brport::PROXYARP, bit(f, pflags::PROXYARP))?;
    msg.put_u8(brport::PROXYARP_WIFI, bit(f, pflags::PROXYARP_WIFI))?;
    msg.put_bytes(brport::ROOT_ID, &id)?;
    msg.put_bytes(brport::BRIDGE_ID, &id)?;
    msg.put_u16(brport::DESIGNATED_PORT, p.port_id())?;
    msg.put_u16(brport::DESIGNATED_COST, 0)?;
    msg.put_u16(brport::ID, p.port_id())?;
    msg.put_u16(brport::NO, p.port_no)?;
    msg.put_u8(brport::TOPOLOGY_CHANGE_ACK, 0)?;
    msg.put_u8(brport::CONFIG_PENDING, 0)?;
    msg.put_u8(brport::VLAN_TUNNEL, bit(f, pflags::VLAN_TUNNEL))?;
    msg.put_u16(
        brport::GROUP_FWD_MASK,
        p.group_fwd_mask.load(Ordering::Relaxed),
    )?;
    msg.put_u8(brport::NEIGH_SUPPRESS, bit(f, pflags::NEIGH_SUPPRESS))?;
    msg.put_u8(brport::MRP_RING_OPEN, bit(f, pflags::MRP_LOST_CONT))?;
    msg.put_u8(brport::MRP_IN_OPEN, bit(f, pflags::MRP_LOST_IN_CONT))?;
    msg.put_u8(brport::ISOLATED, bit(f, pflags::ISOLATED))?;
    msg.put_u8(brport::LOCKED, bit(f, pflags::PORT_LOCKED))?;
    msg.put_u8(brport::MAB, bit(f, pflags::PORT_MAB))?;
    msg.put_u8(
        brport::NEIGH_VLAN_SUPPRESS,
        bit(f, pflags::NEIGH_VLAN_SUPPRESS),
    )?;
    msg.put_u64_64bit(brport::MESSAGE_AGE_TIMER, 0, brport::PAD)?;
    let fdt = match p.fd_deadline.load(Ordering::Relaxed) {
        0 => 0,
        d => jiffies_to_clock_t((d.wrapping_sub(jiffies()) as i64).max(0) as u64),
    };
    msg.put_u64_64bit(brport::FORWARD_DELAY_TIMER, fdt, brport::PAD)?;
    msg.put_u64_64bit(brport::HOLD_TIMER, 0, brport::PAD)?;
    Ok(())
}

/// Multicast attributes of a port (not built into this kernel's C
/// bridge either): accepted at their defaults only.
const MCAST_FIXED: [(u32, u32, usize, &CStr); 3] = [
    (
        brport::MULTICAST_ROUTER,
        1,
        1,
        c_str!("rvnet_bridge: mcast_router is not supported"),
    ),
    (
        brport::MCAST_EHT_HOSTS_LIMIT,
        512,
        4,
        c_str!("rvnet_bridge: mcast_eht_hosts_limit is not supported"),
    ),
    (
        brport::MCAST_MAX_GROUPS,
        0,
        4,
        c_str!("rvnet_bridge: mcast_max_groups is not supported"),
    ),
];

/// `br_setport`, in C's order: the first error returns, what was applied
/// before it stays.
pub(crate) fn set(
    dev: &Device<BridgeDriver>,
    p: &Arc<Port>,
    data: &Attrs<'_>,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result {
    let old = p.flags();
    let mut new = old;
    for (attr, flag) in FLAG_ATTRS {
        if let Some(a) = data.get(attr) {
            if a.u8()? != 0 {
                new |= flag;
            } else {
                new &= !flag;
            }
        }
    }
    if new & pflags::PORT_MAB != 0
        && (new & pflags::PORT_LOCKED == 0 || new & pflags::LEARNING == 0)
    {
        return Err(extack.fail(
            c_str!("Bridge port must be locked and have learning enabled when MAB is enabled"),
            EINVAL,
        ));
    }
    for (flag, msg) in UNSUPPORTED {
        if new & flag != 0 && old & flag == 0 {
            return Err(extack.fail(msg, errno::err(errno::EOPNOTSUPP)));
        }
    }
    p.flags.store(new, Ordering::Relaxed);
    if let Some(a) = data.get(brport::COST) {
        let c = a.u32()?;
        if !(1..=65535).contains(&c) {
            return Err(errno::err(errno::ERANGE));
        }
        p.flags.fetch_or(pflags::ADMIN_COST, Ordering::Relaxed);
        p.path_cost.store(c, Ordering::Relaxed);
    }
    if let Some(a) = data.get(brport::PRIORITY) {
        let v = a.u16()?;
        if v > 63 {
            return Err(errno::err(errno::ERANGE));
        }
        p.priority.store(v, Ordering::Relaxed);
    }
    if let Some(a) = data.get(brport::STATE) {
        set_state(dev, p, a.u8()?, rtnl)?;
    }
    if data.get(brport::FLUSH).is_some() {
        br_fdb::delete_dynamic_of(dev, p);
    }
    for (ty, def, len, msg) in MCAST_FIXED {
        if let Some(a) = data.get(ty) {
            let v = if len == 1 {
                u32::from(a.u8()?)
            } else {
                a.u32()?
            };
            if v != def {
                return Err(extack.fail_attr(Some(a), msg, errno::err(errno::EOPNOTSUPP)));
            }
        }
    }
    if let Some(a) = data.get(brport::GROUP_FWD_MASK) {
        let m = a.u16()?;
        if m & GROUPFWD_MACPAUSE != 0 {
            return Err(EINVAL);
        }
        p.group_fwd_mask.store(m, Ordering::Relaxed);
    }
    for (ty, msg) in [
        (
            brport::BACKUP_PORT,
            c_str!("rvnet_bridge: backup_port is not supported"),
        ),
        (
            brport::BACKUP_NHID,
            c_str!("rvnet_bridge: backup_nhid is not supported"),
        ),
    ] {
        if let Some(a) = data.get(ty) {
            if a.u32()? != 0 {
                return Err(extack.fail_attr(Some(a), msg, errno::err(errno::EOPNOTSUPP)));
            }
        }
    }
    Ok(())
}

/// `ndo_bridge_getlink`: the port's attributes and its VLAN (1, PVID
/// and untagged, as C's bridge with VLAN support built has on every port
/// and on the bridge).
pub(crate) fn getlink(
    dev: &Device<BridgeDriver>,
    port: Option<&NetDevice>,
    m: &mut BridgeLinkMsg,
) -> Result<bool> {
    let vlans = [(
        VLAN_INFO_PVID | VLAN_INFO_UNTAGGED,
        crate::br_fdb::DEFAULT_PVID,
    )];
    let Some(port) = port else {
        m.vlans(&vlans)?;
        return Ok(true);
    };
    let rcu = RcuGuard::new();
    let b = dev.data();
    let Some(p) = b
        .ports
        .get(&rcu)
        .and_then(|l| l.iter().find(|p| core::ptr::eq(&*p.dev, port)))
    else {
        return Ok(false);
    };
    m.protinfo(|msg| fill(p, msg))?;
    m.vlans(&vlans)?;
    Ok(true)
}

/// `ndo_bridge_setlink` (`br_setlink`): port attributes or the old
/// one-byte state; VLANs (`IFLA_AF_SPEC`) are not supported. A change is
/// announced (`br_ifinfo_notify`).
pub(crate) fn setlink(
    dev: &Device<BridgeDriver>,
    port: Option<&NetDevice>,
    info: Option<&ProtInfo<'_>>,
    af_spec: bool,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result {
    let mut changed = false;
    if let (Some(pd), Some(info)) = (port, info) {
        let p = dev
            .data()
            .ctl
            .borrow(rtnl)?
            .port_of(pd)
            .map(|s| s.port.clone())
            .ok_or(EINVAL)?;
        match info {
            ProtInfo::Attrs(a) => set(dev, &p, a, extack, rtnl)?,
            ProtInfo::State(s) => set_state(dev, &p, *s, rtnl)?,
        }
        changed = true;
    }
    if af_spec {
        return Err(extack.fail(
            c_str!("rvnet_bridge: VLAN configuration is not supported"),
            errno::err(errno::EOPNOTSUPP),
        ));
    }
    if changed {
        if let Some(pd) = port {
            crate::netdev::bridge_link::notify(dev, pd, true);
        }
    }
    Ok(())
}

/// `br_set_port_state` without STP: blocking is left at once for
/// forwarding (state selection), listening, learning and disabled stick.
fn set_state(dev: &Device<BridgeDriver>, p: &Port, v: u8, rtnl: &mut Rtnl) -> Result {
    let Some(s) = PortState::from_raw(v) else {
        return Err(EINVAL);
    };
    if !p.dev.is_running() || (!p.dev.oper_up() && s != PortState::Disabled) {
        return Err(errno::err(errno::ENETDOWN));
    }
    let s = if s == PortState::Blocking {
        PortState::Forwarding
    } else {
        s
    };
    if s == PortState::Disabled && p.state() != PortState::Disabled {
        br_fdb::delete_dynamic_of(dev, p);
    }
    // No announcement here (C: `br_set_state`); `br_setlink` makes one.
    p.set_state(s);
    br_if::set_carrier_from_states(dev, rtnl);
    Ok(())
}
