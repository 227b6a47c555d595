// SPDX-License-Identifier: GPL-2.0

//! `ip link add/set ... type bridge` and `ip -d link show` (C:
//! br_netlink.c `br_validate`, `br_dev_newlink`, `br_changelink`,
//! `br_fill_info`).
//!
//! Every `IFLA_BR_*` attribute C knows is accepted. What this bridge does
//! not implement (STP, VLAN filtering, multicast snooping and querying,
//! netfilter calls) is accepted only at C's default and refused otherwise
//! with an extack naming it, never silently ignored; the dump shows C's
//! defaults for it.

use crate::br_device::{Bridge, BridgeDriver, Config, GcWork, DEFAULT_AGEING_S};
use crate::br_fdb;
use crate::brlogic::{deliver, port};
use crate::netdev::{
    bridge::{clock_t_to_jiffies, jiffies_to_clock_t},
    bridge_link::{VLAN_INFO_PVID, VLAN_INFO_UNTAGGED},
    errno,
    link::{Link, XstatsOf},
    nla::nla_total_size,
    prelude::*,
    uapi::br,
};
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*};

/// `sizeof(struct bridge_vlan_xstats)`.
const VLAN_XSTATS_LEN: usize = 40;
/// `sizeof(struct br_port_stp_xstats)`.
const STP_XSTATS_LEN: usize = 48;

/// Seconds in jiffies.
pub(crate) fn secs(s: u64) -> u64 {
    clock_t_to_jiffies(s * 100)
}

pub(crate) fn default_config() -> Config {
    Config {
        forward_delay: secs(15),
        hello_time: secs(2),
        max_age: secs(20),
        priority: port::DEFAULT_BRIDGE_PRIORITY,
        group_addr: [0x01, 0x80, 0xc2, 0x00, 0x00, 0x00],
    }
}

/// Options whose feature this bridge does not have (multicast snooping
/// and querying, bridge netfilter: neither is built into the test kernel's
/// C bridge either, which ignores them), accepted only at C's default
/// value, with that value in host order, and refused otherwise with an
/// extack naming them. `mcast_snooping` is not among them: turning
/// snooping off asks for what this bridge does (flood multicast to every
/// port), and the attribute is ignored as C without snooping ignores it
/// (the upstream selftests create their bridges with `mcast_snooping 0`).
const FIXED: &[(u32, u64, usize, &CStr)] = &[
    (
        br::MCAST_ROUTER,
        1,
        1,
        c_str!("rvnet_bridge: mcast_router is not supported"),
    ),
    (
        br::MCAST_QUERY_USE_IFADDR,
        0,
        1,
        c_str!("rvnet_bridge: mcast_query_use_ifaddr is not supported"),
    ),
    (
        br::MCAST_QUERIER,
        0,
        1,
        c_str!("rvnet_bridge: mcast_querier is not supported"),
    ),
    (
        br::MCAST_HASH_ELASTICITY,
        16,
        4,
        c_str!("rvnet_bridge: mcast_hash_elasticity is not supported"),
    ),
    (
        br::MCAST_HASH_MAX,
        4096,
        4,
        c_str!("rvnet_bridge: mcast_hash_max is not supported"),
    ),
    (
        br::MCAST_LAST_MEMBER_CNT,
        2,
        4,
        c_str!("rvnet_bridge: mcast_last_member_count is not supported"),
    ),
    (
        br::MCAST_STARTUP_QUERY_CNT,
        2,
        4,
        c_str!("rvnet_bridge: mcast_startup_query_count is not supported"),
    ),
    (
        br::MCAST_LAST_MEMBER_INTVL,
        100,
        8,
        c_str!("rvnet_bridge: mcast_last_member_interval is not supported"),
    ),
    (
        br::MCAST_MEMBERSHIP_INTVL,
        26000,
        8,
        c_str!("rvnet_bridge: mcast_membership_interval is not supported"),
    ),
    (
        br::MCAST_QUERIER_INTVL,
        25500,
        8,
        c_str!("rvnet_bridge: mcast_querier_interval is not supported"),
    ),
    (
        br::MCAST_QUERY_INTVL,
        12500,
        8,
        c_str!("rvnet_bridge: mcast_query_interval is not supported"),
    ),
    (
        br::MCAST_QUERY_RESPONSE_INTVL,
        1000,
        8,
        c_str!("rvnet_bridge: mcast_query_response_interval is not supported"),
    ),
    (
        br::MCAST_STARTUP_QUERY_INTVL,
        3124,
        8,
        c_str!("rvnet_bridge: mcast_startup_query_interval is not supported"),
    ),
    (
        br::MCAST_STATS_ENABLED,
        0,
        1,
        c_str!("rvnet_bridge: mcast_stats_enabled is not supported"),
    ),
    (
        br::MCAST_IGMP_VERSION,
        2,
        1,
        c_str!("rvnet_bridge: mcast_igmp_version is not supported"),
    ),
    (
        br::MCAST_MLD_VERSION,
        1,
        1,
        c_str!("rvnet_bridge: mcast_mld_version is not supported"),
    ),
    (
        br::NF_CALL_IPTABLES,
        0,
        1,
        c_str!("rvnet_bridge: nf_call_iptables is not supported"),
    ),
    (
        br::NF_CALL_IP6TABLES,
        0,
        1,
        c_str!("rvnet_bridge: nf_call_ip6tables is not supported"),
    ),
    (
        br::NF_CALL_ARPTABLES,
        0,
        1,
        c_str!("rvnet_bridge: nf_call_arptables is not supported"),
    ),
];

fn payload_value(a: &Nla, len: usize) -> Option<u64> {
    let p = a.payload();
    if p.len() < len {
        return None;
    }
    Some(match len {
        1 => u64::from(p[0]),
        2 => u64::from(u16::from_ne_bytes([p[0], p[1]])),
        4 => u64::from(u32::from_ne_bytes([p[0], p[1], p[2], p[3]])),
        _ => u64::from_ne_bytes([p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]]),
    })
}

fn unsupported(extack: &mut ExtAck, a: &Nla, msg: &'static CStr) -> Error {
    extack.fail_attr(Some(a), msg, errno::err(errno::EOPNOTSUPP))
}

/// `br_changelink`, in C's order: the first error returns, what was
/// applied before it stays (C). Returns whether anything needs the
/// caller (the ageing time changed: the gc work runs now).
fn apply(
    b: &Bridge,
    dev: Option<&Device<BridgeDriver>>,
    has_ports: bool,
    data: &Attrs<'_>,
    extack: &mut ExtAck,
) -> Result<bool> {
    let o = &b.opts;
    let jif = |a: &Nla| -> Result<u64> { Ok(clock_t_to_jiffies(u64::from(a.u32()?))) };
    let range = |a: &Nla, lo: u64, hi: u64| -> Result<u64> {
        let t = clock_t_to_jiffies(u64::from(a.u32()?));
        if t < secs(lo) || t > secs(hi) {
            return Err(errno::err(errno::ERANGE));
        }
        Ok(t)
    };
    let mut kick_gc = false;
    if let Some(a) = data.get(br::FORWARD_DELAY) {
        // Only range-checked with STP on (`br_set_forward_delay`).
        o.forward_delay.store(jif(a)?, Ordering::Relaxed);
    }
    if let Some(a) = data.get(br::HELLO_TIME) {
        o.hello_time.store(range(a, 1, 10)?, Ordering::Relaxed);
    }
    if let Some(a) = data.get(br::MAX_AGE) {
        o.max_age.store(range(a, 6, 40)?, Ordering::Relaxed);
    }
    if let Some(a) = data.get(br::AGEING_TIME) {
        b.ageing_time.store(jif(a)?, Ordering::Relaxed);
        kick_gc = true;
    }
    if let Some(a) = data.get(br::STP_STATE) {
        if a.u32()? != 0 {
            return Err(unsupported(
                extack,
                a,
                c_str!("rvnet_bridge: STP is not supported (stp_state 0 only)"),
            ));
        }
    }
    if let Some(a) = data.get(br::PRIORITY) {
        b.set_priority(a.u16()?);
    }
    if let Some(a) = data.get(br::VLAN_FILTERING) {
        if a.u8()? != 0 {
            return Err(unsupported(
                extack,
                a,
                c_str!("rvnet_bridge: vlan_filtering is not supported"),
            ));
        }
    }
    if let Some(a) = data.get(br::VLAN_PROTOCOL) {
        if a.be16()? != 0x8100 {
            return Err(unsupported(
                extack,
                a,
                c_str!("rvnet_bridge: vlan_protocol 802.1ad is not supported"),
            ));
        }
    }
    if let Some(a) = data.get(br::VLAN_DEFAULT_PVID) {
        if a.u16()? != 1 {
            return Err(unsupported(
                extack,
                a,
                c_str!("rvnet_bridge: vlan_default_pvid is not supported"),
            ));
        }
    }
    if let Some(a) = data.get(br::VLAN_STATS_ENABLED) {
        match a.u8()? {
            0 => {}
            1 => {
                return Err(unsupported(
                    extack,
                    a,
                    c_str!("rvnet_bridge: vlan_stats_enabled is not supported"),
                ))
            }
            _ => return Err(EINVAL),
        }
    }
    if let Some(a) = data.get(br::VLAN_STATS_PER_PORT) {
        // C: every port has VLAN 1, so never while a port exists.
        if has_ports {
            return Err(EBUSY);
        }
        match a.u8()? {
            0 => {}
            1 => {
                return Err(unsupported(
                    extack,
                    a,
                    c_str!("rvnet_bridge: vlan_stats_per_port is not supported"),
                ))
            }
            _ => return Err(EINVAL),
        }
    }
    if let Some(a) = data.get(br::GROUP_FWD_MASK) {
        let m = a.u16()?;
        if m & deliver::GROUPFWD_RESTRICTED != 0 {
            return Err(EINVAL);
        }
        b.group_fwd_mask.store(m, Ordering::Relaxed);
    }
    if let Some(a) = data.get(br::GROUP_ADDR) {
        let p = a.payload();
        let addr: [u8; 6] = p.try_into().map_err(|_| EINVAL)?;
        if !deliver::is_link_local(&addr) || matches!(addr[5], 1..=3) {
            return Err(EINVAL);
        }
        let g = u64::from_be_bytes([0, 0, addr[0], addr[1], addr[2], addr[3], addr[4], addr[5]]);
        o.group_addr.store(g, Ordering::Relaxed);
    }
    if let Some(d) = dev.filter(|_| data.get(br::FDB_FLUSH).is_some()) {
        br_fdb::flush_dynamic(d);
    }
    for &(ty, def, len, msg) in FIXED {
        if let Some(a) = data.get(ty) {
            let Some(v) = payload_value(a, len) else {
                return Err(EINVAL);
            };
            if v != def {
                return Err(unsupported(extack, a, msg));
            }
        }
    }
    if let Some(a) = data.get(br::MULTI_BOOLOPT) {
        let p = a.payload();
        if p.len() < 8 {
            return Err(EINVAL);
        }
        let val = u32::from_ne_bytes([p[0], p[1], p[2], p[3]]);
        let mask = u32::from_ne_bytes([p[4], p[5], p[6], p[7]]);
        if mask >> br::BOOLOPT_MAX != 0 {
            return Err(extack.fail_attr(Some(a), c_str!("Unknown boolean option"), EINVAL));
        }
        // Bit 0: no_linklocal_learn.
        if mask & 1 != 0 {
            b.no_ll_learn.store(val & 1 != 0, Ordering::Relaxed);
        }
        // Bit 1: mcast_vlan_snooping (C without snooping: EOPNOTSUPP).
        if mask & 2 != 0 {
            return Err(errno::err(errno::EOPNOTSUPP));
        }
        // Bit 2: mst_enable (C: EBUSY once a port has VLAN 1).
        if mask & 4 != 0 {
            if has_ports {
                return Err(extack.fail_attr(
                    Some(a),
                    c_str!("MST mode can't be changed while VLANs exist"),
                    EBUSY,
                ));
            }
            if val & 4 != 0 {
                return Err(unsupported(
                    extack,
                    a,
                    c_str!("rvnet_bridge: mst_enable is not supported"),
                ));
            }
        }
    }
    if let Some(a) = data.get(br::FDB_MAX_LEARNED) {
        b.max_learned.store(a.u32()?, Ordering::Relaxed);
    }
    Ok(kick_gc)
}

/// `struct ifla_bridge_id`: priority (big endian) then address.
#[vtable]
impl Link for BridgeDriver {
    const KIND: &'static CStr = c_str!("bridge");
    const MAX_DATA_ATTR: u16 = br::MAX;

    fn validate(tb: &Attrs<'_>, data: &Attrs<'_>, _extack: &mut ExtAck) -> Result {
        // C's `br_validate` gives no message for a bad address.
        if let Some(a) = tb.get(crate::netdev::bindings::IFLA_ADDRESS) {
            let p = a.payload();
            let mac: [u8; 6] = p.try_into().map_err(|_| EINVAL)?;
            if !deliver::valid_source(&mac) {
                return Err(errno::err(errno::EADDRNOTAVAIL));
            }
        }
        if let Some(a) = data.get(br::VLAN_PROTOCOL) {
            let p = a.be16()?;
            if p != 0x8100 && p != 0x88a8 {
                return Err(errno::err(errno::EPROTONOSUPPORT));
            }
        }
        if let Some(a) = data.get(br::VLAN_DEFAULT_PVID) {
            if a.u16()? >= 4095 {
                return Err(EINVAL);
            }
        }
        Ok(())
    }

    fn newlink(req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result<Bridge> {
        // (`brctl addbr` makes the same: `br_ioctl::ioctl_data`.)
        let b = Bridge::new(default_config(), secs(DEFAULT_AGEING_S))?;
        // C applies the options after registering and deletes the
        // bridge if one fails: the same as refusing it here.
        apply(&b, None, false, &req.data, extack)?;
        Ok(b)
    }

    fn registered(dev: &Device<Self>, req: &mut NewLink<'_>, _extack: &mut ExtAck) -> Result {
        crate::br_sysfs_br::add_bridge(dev, req.rtnl)?;
        if let Some(m) = dev.mac() {
            br_fdb::add_local(dev, None, &m, req.rtnl);
            // An address given at creation is the bridge id's (C's
            // br_dev_newlink: the carrier goes off with it).
            if req.tb.get(crate::netdev::bindings::IFLA_ADDRESS).is_some() {
                crate::br_if::change_bridge_id(dev, &m, req.rtnl);
            }
        }
        Ok(())
    }

    fn changelink(
        dev: &Device<Self>,
        _tb: &Attrs<'_>,
        data: &Attrs<'_>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        let b = dev.data();
        let has_ports = !b.ctl.borrow(rtnl)?.ports.is_empty();
        if apply(b, Some(dev), has_ports, data, extack)? {
            // `br_set_ageing_time` runs the gc now, up or not.
            dev.restart_work::<GcWork>(0, rtnl);
        }
        Ok(())
    }

    const SLAVE_MAX_ATTR: u16 = crate::netdev::uapi::brport::MAX;

    fn slave_info_size(_dev: &Device<Self>, _slave: &NetDevice) -> usize {
        crate::br_netlink_port::size()
    }

    fn fill_slave_info(dev: &Device<Self>, slave: &NetDevice, msg: &mut NlMsg) -> Result {
        let rcu = RcuGuard::new();
        let b = dev.data();
        let Some(list) = b.ports.get(&rcu) else {
            return Ok(());
        };
        match list.iter().find(|p| core::ptr::eq(&*p.dev, slave)) {
            Some(p) => crate::br_netlink_port::fill(p, msg),
            None => Ok(()),
        }
    }

    fn linkxstats_size(_dev: &Device<Self>, of: XstatsOf<'_>) -> usize {
        // C's `br_get_linkxstats_size` without multicast snooping: the one
        // VLAN, a port's STP counters (64-bit aligned), the nest.
        let stp = match of {
            XstatsOf::Master => 0,
            XstatsOf::Slave(_) => nla_total_size(STP_XSTATS_LEN) + nla_total_size(0),
        };
        nla_total_size(VLAN_XSTATS_LEN) + stp + nla_total_size(0)
    }

    fn fill_linkxstats(
        dev: &Device<Self>,
        of: XstatsOf<'_>,
        msg: &mut NlMsg,
        rtnl: &Rtnl,
    ) -> Result {
        // C's `br_fill_linkxstats`: each VLAN's counters (only the default
        // PVID exists; they count only with VLAN statistics on, which is
        // refused), then a port's STP counters (they count only with
        // kernel STP, refused too); nothing for a device that is not (or
        // no longer) a port.
        let pvid = br_fdb::DEFAULT_PVID;
        let port_flags = u32::from(VLAN_INFO_UNTAGGED | VLAN_INFO_PVID);
        let (flags, port) = match of {
            XstatsOf::Master => (
                br::VLAN_INFO_MASTER | br::VLAN_INFO_BRENTRY | port_flags,
                false,
            ),
            XstatsOf::Slave(s) => {
                if dev.data().ctl.borrow(rtnl)?.port_of(s).is_none() {
                    return Ok(());
                }
                (port_flags, true)
            }
        };
        // `struct bridge_vlan_xstats`: four u64 counters, vid, flags, pad.
        let mut vlan = [0u8; VLAN_XSTATS_LEN];
        vlan[32..34].copy_from_slice(&pvid.to_ne_bytes());
        vlan[34..36].copy_from_slice(&(flags as u16).to_ne_bytes());
        msg.nest(br::XSTATS_TYPE, |msg| {
            msg.put_bytes(br::XSTATS_VLAN, &vlan)?;
            if port {
                // `struct br_port_stp_xstats`: six u64 counters.
                msg.put_bytes_64bit(br::XSTATS_STP, &[0; STP_XSTATS_LEN], br::XSTATS_PAD)?;
            }
            Ok(())
        })
    }

    fn slave_changelink(
        dev: &Device<Self>,
        slave: &NetDevice,
        data: &Attrs<'_>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        let port = dev
            .data()
            .ctl
            .borrow(rtnl)?
            .port_of(slave)
            .map(|s| s.port.clone())
            .ok_or(ENODEV)?;
        crate::br_netlink_port::set(dev, &port, data, extack, rtnl)
    }

    fn info_size(_dev: &Device<Self>) -> usize {
        // C's `br_get_size` for this configuration: 4 timers, 7 u32,
        // 3 u16, 6 u8, 2 ids, the group address, the bool options, the
        // VLAN protocol.
        4 * nla_total_size(12)
            + 7 * nla_total_size(4)
            + 3 * nla_total_size(2)
            + 6 * nla_total_size(1)
            + 2 * nla_total_size(8)
            + nla_total_size(6)
            + nla_total_size(8)
            + nla_total_size(2)
    }

    fn fill_info(dev: &Device<Self>, msg: &mut NlMsg) -> Result {
        // In C's order (`br_fill_info`) for a kernel without multicast
        // snooping and bridge netfilter.
        let b = dev.data();
        let cfg = b.opts.load();
        let c = jiffies_to_clock_t;
        let id = b.id().bytes();
        msg.put_u64_64bit(br::HELLO_TIMER, 0, br::PAD)?;
        msg.put_u64_64bit(br::TCN_TIMER, 0, br::PAD)?;
        msg.put_u64_64bit(br::TOPOLOGY_CHANGE_TIMER, 0, br::PAD)?;
        msg.put_u64_64bit(
            br::GC_TIMER,
            jiffies_to_clock_t(b.gc.remaining_jiffies()),
            br::PAD,
        )?;
        msg.put_u32(br::FORWARD_DELAY, c(cfg.forward_delay) as u32)?;
        msg.put_u32(br::HELLO_TIME, c(cfg.hello_time) as u32)?;
        msg.put_u32(br::MAX_AGE, c(cfg.max_age) as u32)?;
        msg.put_u32(
            br::AGEING_TIME,
            c(b.ageing_time.load(Ordering::Relaxed)) as u32,
        )?;
        msg.put_u32(br::STP_STATE, 0)?;
        msg.put_u16(br::PRIORITY, cfg.priority)?;
        msg.put_u8(br::VLAN_FILTERING, 0)?;
        msg.put_u16(br::GROUP_FWD_MASK, b.group_fwd_mask.load(Ordering::Relaxed))?;
        msg.put_bytes(br::BRIDGE_ID, &id)?;
        msg.put_bytes(br::ROOT_ID, &id)?;
        msg.put_u16(br::ROOT_PORT, 0)?;
        msg.put_u32(br::ROOT_PATH_COST, 0)?;
        msg.put_u8(br::TOPOLOGY_CHANGE, 0)?;
        msg.put_u8(br::TOPOLOGY_CHANGE_DETECTED, 0)?;
        msg.put_bytes(br::GROUP_ADDR, &cfg.group_addr)?;
        let mask: u32 = (1 << br::BOOLOPT_MAX) - 1;
        let val = u32::from(b.no_ll_learn.load(Ordering::Relaxed));
        let mut bm = [0u8; 8];
        bm[..4].copy_from_slice(&val.to_ne_bytes());
        bm[4..].copy_from_slice(&mask.to_ne_bytes());
        msg.put_bytes(br::MULTI_BOOLOPT, &bm)?;
        msg.put_u32(br::FDB_N_LEARNED, b.n_learned.load(Ordering::Relaxed))?;
        msg.put_u32(br::FDB_MAX_LEARNED, b.max_learned.load(Ordering::Relaxed))?;
        msg.put_be16(br::VLAN_PROTOCOL, 0x8100)?;
        msg.put_u16(br::VLAN_DEFAULT_PVID, 1)?;
        msg.put_u8(br::VLAN_STATS_ENABLED, 0)?;
        msg.put_u8(br::VLAN_STATS_PER_PORT, 0)?;
        Ok(())
    }
}
