// SPDX-License-Identifier: GPL-2.0

//! 802.3ad (C: the bond-level half of `bond_3ad.c`): the state the LACP
//! machines of `rust/lacp` run on, their 100 ms work, LACPDU and Marker
//! reception on the slaves, enslave/release/link-change hooks, the active
//! aggregator for transmission and the bond's carrier.
//!
//! Locking is C's: the ports and aggregators ([`AdState`]) are under one
//! BH spinlock (`mode_lock`), taken by the state machine work, by the rx
//! handler for each LACPDU, and under RTNL by enslave, release, link
//! changes and option changes. What the data path reads (which slaves may
//! transmit) is republished in the RCU snapshot under RTNL when the
//! machines say so (C's `update_slave_arr`), from a work item that takes
//! RTNL with a trylock, as C's `slave_arr_work`.

use crate::bond_dev::{Bond, BondDriver, Config, Mode};
use crate::bond_lowerstate::{self, Notify};
use crate::bond_slave::SlavePort;
use crate::lacp::{
    aggregator::{
        ad_agg_selection_logic, ad_port_selection_logic, bond_3ad_get_active_agg_info,
        bond_3ad_handle_link_change, bond_3ad_set_carrier, bond_3ad_unbind_slave,
        mux_aggregator_view, remove_slave, set_agg_ports_ready, AdInfo, AdSelect, AdSlave,
        AggSelection,
    },
    mux::{MuxEnv, SlaveAction, SlaveView},
    pdu::{self, marker_received, RxError, SlowPdu, Stat, ETH_P_SLOW, LACPDU_MCAST_ADDR},
    port::{BondParams, LinkInfo},
    state::{is_zero_mac, AdSystem, AD_AGGREGATOR_SELECTION_TIMER, AD_TICKS_PER_SEC},
    tick,
};
use crate::netdev::{
    kvec,
    log::net_ratelimit,
    prelude::*,
    txsel::{Duplex, LinkState},
    uapi::bond,
};
use core::sync::atomic::{AtomicU64, Ordering};
use kernel::{alloc::KVec, prelude::*, sync::Arc};

crate::atomic_drop! {
    /// The LACP and Marker PDU counters of a bond or of one of its slaves
    /// (C: `struct bond_3ad_stats`), indexed by [`Stat`]; read by `ip link
    /// xstats type bond` / `type bond_slave`.
    pub(crate) struct AdStats {
        c: [AtomicU64; 9],
    }
}

/// Each counter and its attribute in the `BOND_XSTATS_3AD` nest, in C's
/// order (`bond_3ad_stats_fill`); a counter's index is its [`Stat`] value.
const STATS: [(Stat, u32); 9] = [
    (Stat::LacpduRx, bond::STAT_LACPDU_RX),
    (Stat::LacpduTx, bond::STAT_LACPDU_TX),
    (Stat::LacpduUnknownRx, bond::STAT_LACPDU_UNKNOWN_RX),
    (Stat::LacpduIllegalRx, bond::STAT_LACPDU_ILLEGAL_RX),
    (Stat::MarkerRx, bond::STAT_MARKER_RX),
    (Stat::MarkerTx, bond::STAT_MARKER_TX),
    (Stat::MarkerRespRx, bond::STAT_MARKER_RESP_RX),
    (Stat::MarkerRespTx, bond::STAT_MARKER_RESP_TX),
    (Stat::MarkerUnknownRx, bond::STAT_MARKER_UNKNOWN_RX),
];

impl AdStats {
    pub(crate) const fn new() -> Self {
        AdStats {
            c: [const { AtomicU64::new(0) }; 9],
        }
    }

    fn bump(&self, s: Stat) {
        if let Some(c) = self.c.get(s as usize) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Upper bound of what [`AdStats::fill`] adds (C:
    /// `bond_3ad_stats_size`, with room for the pad attributes).
    pub(crate) fn size() -> usize {
        use crate::netdev::nla::nla_total_size;
        STATS.len() * (nla_total_size(8) + nla_total_size(0))
    }

    /// The counters as `BOND_3AD_STAT_*` attributes (`bond_3ad_stats_fill`).
    pub(crate) fn fill(&self, msg: &mut NlMsg) -> Result {
        for (s, attr) in STATS {
            let v = self
                .c
                .get(s as usize)
                .map_or(0, |c| c.load(Ordering::Relaxed));
            msg.put_u64_64bit(attr, v, bond::STAT_PAD)?;
        }
        Ok(())
    }
}

/// Counts `s` on the slave and on its bond, as C does each counter.
fn count(b: &Bond, port: &SlavePort, s: Stat) {
    port.ad_stats.bump(s);
    b.ad_stats.bump(s);
}

/// The 802.3ad options (C: the `ad_*`/`lacp_*`/`min_links`/
/// `coupled_control` fields of `struct bond_params`).
#[derive(Clone, Copy)]
pub(crate) struct AdConfig {
    pub(crate) lacp_active: bool,
    pub(crate) lacp_fast: bool,
    pub(crate) ad_select: AdSelect,
    pub(crate) min_links: u32,
    pub(crate) sys_prio: u16,
    pub(crate) user_port_key: u16,
    pub(crate) actor_system: [u8; 6],
    pub(crate) coupled_control: bool,
}

impl Default for AdConfig {
    fn default() -> Self {
        AdConfig {
            lacp_active: true,
            lacp_fast: false,
            ad_select: AdSelect::Stable,
            min_links: 0,
            sys_prio: 65535,
            user_port_key: 0,
            actor_system: [0; 6],
            coupled_control: true,
        }
    }
}

impl AdConfig {
    fn params(&self) -> BondParams {
        BondParams {
            lacp_active: self.lacp_active,
            lacp_fast: self.lacp_fast,
            coupled_control: self.coupled_control,
        }
    }
}

/// One slave's entry beside its [`AdSlave`].
pub(crate) struct AdPort {
    pub(crate) port: Arc<SlavePort>,
    /// `slave->rx_disabled` (only the mux machine reads it).
    rx_disabled: bool,
}

/// The bond's 802.3ad state (C: `BOND_AD_INFO(bond)` and every slave's
/// `SLAVE_AD_INFO`), under the bond's `mode_lock`.
pub(crate) struct AdState {
    /// The slaves' ports and aggregators, in slave list order.
    pub(crate) slaves: KVec<AdSlave>,
    /// The same slaves, same order.
    pub(crate) ports: KVec<AdPort>,
    /// `agg_select_timer`.
    agg_select_timer: i32,
    /// `aggregator_identifier`: the last one given out.
    next_agg_id: u16,
    /// `system`.
    pub(crate) system: AdSystem,
    /// The options the machines read.
    cfg: AdConfig,
}

impl AdState {
    pub(crate) fn new() -> Self {
        AdState {
            slaves: KVec::new(),
            ports: KVec::new(),
            agg_select_timer: 0,
            next_agg_id: 0,
            // Zero until the first slave (`bond_3ad_initialize`), as
            // C's /proc shows it.
            system: AdSystem {
                sys_priority: 0,
                sys_mac_addr: [0; 6],
            },
            cfg: AdConfig::default(),
        }
    }

    fn index_of(&self, port: &SlavePort) -> Option<usize> {
        self.ports
            .iter()
            .position(|p| core::ptr::eq(&*p.port, port))
    }

    /// Applies a slave flag change of the machines.
    fn apply(&mut self, i: usize, a: SlaveAction) {
        apply_to(&mut self.ports, i, a);
    }

    /// Applies what a run of the aggregator selection did to the slaves,
    /// walking the aggregators' lists as they are now. C's
    /// `ad_agg_selection_logic` warns (ratelimited, no module prefix)
    /// when the aggregator it makes active has no partner.
    fn apply_selection(&mut self, sel: &AggSelection, bond: &NetDevice) {
        if sel
            .chosen
            .and_then(|b| self.slaves.get(b))
            .is_some_and(|s| s.aggregator.is_individual)
            && net_ratelimit()
        {
            crate::printk_warn!(
                "{}: Warning: No 802.3ad response from the link partner for any adapters in the bond\n",
                bond.name()
            );
        }
        for (i, a) in sel.actions(&self.slaves) {
            apply_to(&mut self.ports, i, a);
        }
    }

    /// The active aggregator (C: `bond_3ad_get_active_agg_info`).
    pub(crate) fn active_info(&self) -> Option<AdInfo> {
        bond_3ad_get_active_agg_info(&self.slaves)
    }

    /// Whether slave `i` is on the active aggregator.
    pub(crate) fn in_active_agg(&self, i: usize, active: Option<usize>) -> bool {
        active.is_some()
            && self
                .slaves
                .get(i)
                .is_some_and(|s| s.port_aggregator == active)
    }
}

/// A slave flag change of the machines (the `bond_set_slave_*_flags()`
/// helpers in mode 802.3ad, all with `BOND_SLAVE_NOTIFY_LATER`: the
/// state machine work sends what is due, `state_machine`).
fn apply_to(ports: &mut [AdPort], i: usize, a: SlaveAction) {
    let Some(p) = ports.get_mut(i) else {
        return;
    };
    match a {
        SlaveAction::EnablePort => {
            bond_lowerstate::set_flags(&p.port, false, false, Notify::Later);
            p.rx_disabled = false;
        }
        SlaveAction::DisablePort => {
            bond_lowerstate::set_flags(&p.port, true, true, Notify::Later);
            p.rx_disabled = true;
        }
        SlaveAction::EnableCollecting => p.rx_disabled = false,
        SlaveAction::DisableDistributing => {
            let inactive = p.port.inactive.load(Ordering::Relaxed);
            bond_lowerstate::set_flags(&p.port, true, inactive, Notify::Later);
        }
    }
}

/// The `struct ad_slave_info` view of a slave's link.
fn link_info(p: &SlavePort) -> LinkInfo {
    LinkInfo {
        up: p.link() == LinkState::Up,
        speed: p.speed.load(Ordering::Relaxed),
        full_duplex: matches!(p.duplex_state(), Duplex::Full),
    }
}

/// The options changed (or the bond was created): the machines see them
/// (C: `bond_3ad_update_lacp_rate`, `bond_3ad_update_lacp_active`,
/// `bond_3ad_update_ad_actor_settings`, under `mode_lock`).
pub(crate) fn config_changed(dev: &Device<BondDriver>, old: &Config, new: &Config, actor: bool) {
    let b = dev.data();
    let mut st = b.ad.lock();
    st.cfg = new.ad;
    let (o, n) = (&old.ad, &new.ad);
    if o.lacp_fast != n.lacp_fast {
        for s in st.slaves.iter_mut() {
            s.port.update_lacp_rate(n.lacp_fast);
        }
    }
    if o.lacp_active != n.lacp_active {
        for s in st.slaves.iter_mut() {
            s.port.update_lacp_active(n.lacp_active);
        }
    }
    if actor && !st.slaves.is_empty() {
        st.system = system_of(dev, n);
        let sys = st.system;
        for s in st.slaves.iter_mut() {
            let prio = s.port.actor_port_priority;
            s.port.update_ad_actor_settings(&sys, prio);
        }
    }
}

/// `ip link set SLAVE type bond_slave actor_port_prio N` (C:
/// `bond_option_actor_port_prio_set`): the slave's port priority, then
/// every port's actor settings re-read (and a LACPDU sent on each).
pub(crate) fn set_port_priority(dev: &Device<BondDriver>, port: &SlavePort, prio: u16) -> Result {
    let b = dev.data();
    let mut st = b.ad.lock();
    let i = st.index_of(port).ok_or(ENODEV)?;
    st.slaves[i].port.actor_port_priority = prio;
    // As every actor-settings update, the system id is read again (the
    // bond's address may have changed since).
    st.system = system_of(dev, &st.cfg);
    let sys = st.system;
    for s in st.slaves.iter_mut() {
        let p = s.port.actor_port_priority;
        s.port.update_ad_actor_settings(&sys, p);
    }
    Ok(())
}

/// `system` from the options and the bond's address.
fn system_of(dev: &Device<BondDriver>, c: &AdConfig) -> AdSystem {
    AdSystem {
        sys_priority: c.sys_prio,
        sys_mac_addr: if is_zero_mac(&c.actor_system) {
            dev.mac().unwrap_or([0; 6])
        } else {
            c.actor_system
        },
    }
}

/// Enslaving in mode 802.3ad (C: `bond_enslave`'s 802.3ad case,
/// `bond_3ad_initialize` for the first slave, `bond_3ad_bind_slave`): the
/// slave starts disabled; its port is numbered after the last one.
pub(crate) fn bind(dev: &Device<BondDriver>, port: &Arc<SlavePort>, cfg: &Config) -> Result {
    let b = dev.data();
    let mut st = b.ad.lock();
    st.slaves.reserve(1, GFP_ATOMIC)?;
    st.ports.reserve(1, GFP_ATOMIC)?;
    st.cfg = cfg.ad;
    let id = match st.slaves.last() {
        None => {
            st.next_agg_id = 0;
            st.system = system_of(dev, &cfg.ad);
            st.agg_select_timer = i32::from(AD_AGGREGATOR_SELECTION_TIMER * AD_TICKS_PER_SEC);
            1
        }
        Some(last) => last.port.actor_port_number.wrapping_add(1),
    };
    let params = cfg.ad.params();
    let sys = st.system;
    let mut next = st.next_agg_id;
    let s = AdSlave::bind(
        &params,
        id,
        cfg.ad.user_port_key,
        link_info(port),
        port.is_up(),
        &sys,
        dev.mac().unwrap_or([0; 6]),
        &mut next,
    );
    st.next_agg_id = next;
    st.slaves.push(s, GFP_ATOMIC)?;
    st.ports.push(
        AdPort {
            port: port.clone(),
            rx_disabled: false,
        },
        GFP_ATOMIC,
    )?;
    let i = st.ports.len() - 1;
    st.apply(i, SlaveAction::DisablePort);
    Ok(())
}

/// Releasing in mode 802.3ad (C: `bond_3ad_unbind_slave`): the
/// aggregator is emptied or handed over, the partner is told with a last
/// LACPDU, and the slave's entries leave the state.
pub(crate) fn unbind(dev: &Device<BondDriver>, port: &SlavePort) {
    let b = dev.data();
    let mut st = b.ad.lock();
    let Some(i) = st.index_of(port) else {
        return;
    };
    let sel = st.cfg.ad_select;
    if let Some(u) = bond_3ad_unbind_slave(&mut st.slaves, i, sel) {
        send(port, &u.lacpdu.encode_frame(&port.perm_addr));
        if u.removed_active {
            crate::slave_info!(
                dev.net_device(),
                &port.dev,
                "Removing an active aggregator\n"
            );
        }
        if let Some(s) = u.selection {
            st.apply_selection(&s, dev.net_device());
        }
    }
    if remove_slave(&mut st.slaves, i) {
        let last = st.slaves.len() - 1;
        let _ = kvec::remove(&mut st.slaves, last);
    }
    let _ = kvec::remove(&mut st.ports, i);
    carrier(dev, &st);
}

/// The MII monitor committed a link change of `port` (C:
/// `bond_miimon_commit` in mode 802.3ad, then
/// `bond_3ad_handle_link_change`).
pub(crate) fn link_changed(dev: &Device<BondDriver>, port: &SlavePort, up: bool) {
    let b = dev.data();
    let mut st = b.ad.lock();
    let Some(i) = st.index_of(port) else {
        return;
    };
    // The monitor set the backup flag (up: `bond_set_backup_slave`, not
    // used before the machines say so; down: the inactive flags), each
    // change notified; down also stops collecting here.
    if !up {
        st.apply(i, SlaveAction::DisablePort);
    }
    let sel = st.cfg.ad_select;
    if let Some(s) = st.slaves.get_mut(i) {
        s.link = link_info(port);
        s.dev_up = port.is_up();
    }
    if let Some(c) = bond_3ad_handle_link_change(&mut st.slaves, i, up, sel) {
        st.apply_selection(&c.selection, dev.net_device());
    }
    carrier(dev, &st);
}

/// Speed or duplex of `port` changed (C:
/// `bond_3ad_adapter_speed_duplex_changed`).
pub(crate) fn speed_duplex_changed(dev: &Device<BondDriver>, port: &SlavePort) {
    let mut st = dev.data().ad.lock();
    let Some(i) = st.index_of(port) else {
        return;
    };
    let link = link_info(port);
    if let Some(s) = st.slaves.get_mut(i) {
        s.link = link;
        s.dev_up = port.is_up();
        s.port.speed_duplex_changed(&link);
    }
}

/// `bond_3ad_set_carrier`.
fn carrier(dev: &Device<BondDriver>, st: &AdState) {
    if let Some(on) = bond_3ad_set_carrier(&st.slaves, st.cfg.min_links) {
        if on != dev.carrier_ok() {
            dev.set_carrier(on);
        }
    }
}

/// The bond's carrier in mode 802.3ad (C: `bond_set_carrier`).
pub(crate) fn set_carrier(dev: &Device<BondDriver>) {
    let st = dev.data().ad.lock();
    if st.slaves.is_empty() {
        if dev.carrier_ok() {
            dev.set_carrier(false);
        }
        return;
    }
    carrier(dev, &st);
}

/// `bond_open` in mode 802.3ad: the aggregator is chosen on the next tick
/// (`bond_3ad_initiate_agg_selection(bond, 1)`).
pub(crate) fn opened(b: &Bond) {
    b.ad.lock().agg_select_timer = 1;
}

/// Sends a slow-protocols frame on a slave (C: `ad_lacpdu_send`,
/// `ad_marker_send`); false if no memory.
fn send(port: &SlavePort, frame: &[u8]) -> bool {
    match SkBuff::from_control_frame(&port.dev, frame) {
        Some(skb) => {
            skb.queue_xmit(&port.dev);
            true
        }
        None => false,
    }
}

/// One run of the 802.3ad work, every 100 ms while the bond is up (C:
/// `bond_3ad_state_machine_handler`).
pub(crate) fn state_machine(dev: &Device<BondDriver>) {
    let b = dev.data();
    let mut update_arr = false;
    {
        let mut st = b.ad.lock();
        let st = &mut *st;
        if !st.slaves.is_empty() {
            let sel_mode = st.cfg.ad_select;
            if tick::agg_timer_advance(&mut st.agg_select_timer) {
                let sel = ad_agg_selection_logic(&mut st.slaves, sel_mode);
                st.apply_selection(&sel, dev.net_device());
                update_arr |= sel.update_slave_arr;
                carrier(dev, st);
            }
            // C reads every slave's link, speed and device state live:
            // refresh them all before any machine runs.
            for (s, p) in st.slaves.iter_mut().zip(st.ports.iter()) {
                s.link = link_info(&p.port);
                s.dev_up = p.port.is_up();
            }
            for i in 0..st.slaves.len() {
                tick::before_selection(&mut st.slaves[i].port);
                let ps = ad_port_selection_logic(&mut st.slaves, i, sel_mode);
                update_arr |= ps.update_slave_arr();
                if let Some(sel) = ps.selection {
                    st.apply_selection(&sel, dev.net_device());
                    carrier(dev, st);
                }
                let p = &st.ports[i];
                let env = MuxEnv {
                    aggregator: mux_aggregator_view(&st.slaves, i),
                    agg_select_timer: st.agg_select_timer != 0,
                    coupled_control: st.cfg.coupled_control,
                    slave: SlaveView {
                        link_up: st.slaves[i].slave_up(),
                        active: !p.port.backup.load(Ordering::Relaxed),
                        rx_disabled: p.rx_disabled,
                    },
                };
                let out = tick::after_selection(&mut st.slaves[i].port, &env);
                for a in out.mux.actions.iter() {
                    st.apply(i, a);
                }
                update_arr |= out.mux.update_slave_arr;
                if let (Some(v), Some(a)) = (out.mux.agg_ready, st.slaves[i].port_aggregator) {
                    set_agg_ports_ready(&mut st.slaves, a, v);
                }
                if let Some(pdu) = out.lacpdu {
                    let port = &st.ports[i].port;
                    if send(port, &pdu.encode_frame(&port.perm_addr)) {
                        count(b, port, Stat::LacpduTx);
                    } else {
                        st.slaves[i].port.ntt = true;
                    }
                }
            }
        }
    }
    if update_arr {
        // Started by `bond_open`: only re-queued here.
        b.arr_work.rearm(0);
    }
    // The machines' flag changes (`bond_slave_state_notify` under
    // `rtnl_trylock`; with RTNL busy they wait for the next run).
    bond_lowerstate::flush_later(dev, false);
    b.ad_work
        .rearm(u32::from(crate::lacp::state::AD_TIMER_INTERVAL));
}

/// `bond_3ad_lacpdu_recv` on a slave, for a frame [`is_lacpdu`] says is
/// one: consumed, or given back to be handled as any frame (C's
/// `RX_HANDLER_ANOTHER` from `recv_probe`).
pub(crate) fn lacpdu_recv(
    bond: &Device<BondDriver>,
    port: &SlavePort,
    skb: SkBuff,
) -> Result<(), SkBuff> {
    let mut skb = skb;
    let b = bond.data();
    let _ = skb.may_pull(pdu::LACPDU_LEN as u32);
    let res = pdu::decode(skb.head_data());
    // A frame too short for a LACPDU is counted before the port is looked
    // at (C: `bond_3ad_lacpdu_recv`), the rest after.
    if res == Err(RxError::Short) {
        count(b, port, Stat::LacpduIllegalRx);
        return Err(skb);
    }
    let mut st = b.ad.lock();
    let Some(i) = st.index_of(port) else {
        drop(st);
        return Err(skb);
    };
    // C runs only the receive machine under `mode_lock`; a Marker is
    // answered outside it.
    let mut answer = None;
    match &res {
        Ok(pdu) => count(b, port, pdu.rx_stat()),
        Err(e) => {
            if let Some(s) = e.stat() {
                count(b, port, s);
            }
        }
    }
    match res {
        Ok(SlowPdu::Lacpdu(p)) => {
            crate::lacp::rx::ad_rx_machine(Some(&p), &mut st.slaves[i].port);
        }
        Ok(SlowPdu::Marker(m)) => answer = marker_received(&m),
        Err(e) if e.consumed() => {}
        Err(_) => {
            drop(st);
            return Err(skb);
        }
    }
    drop(st);
    if let Some(r) = answer {
        if send(port, &r.encode_frame(&port.perm_addr)) {
            count(b, port, Stat::MarkerRespTx);
        }
    }
    skb.consume();
    Ok(())
}

/// Whether `skb` is a slow-protocols frame to the LACP group address.
pub(crate) fn is_lacpdu(skb: &SkBuff) -> bool {
    skb.protocol() == ETH_P_SLOW && skb.eth_dest() == LACPDU_MCAST_ADDR
}

/// The slaves of the bond join (or leave) the slow-protocols group while
/// the bond is up in mode 802.3ad (C: `bond_open`, `bond_hw_addr_flush`).
pub(crate) fn mc_join(slave: &NetDevice, join: bool, rtnl: &Rtnl) {
    if join {
        let _ = slave.mc_add(&LACPDU_MCAST_ADDR, rtnl);
    } else {
        slave.mc_del(&LACPDU_MCAST_ADDR, rtnl);
    }
}

/// Whether the mode is 802.3ad.
pub(crate) fn is_8023ad(cfg: &Config) -> bool {
    cfg.mode == Mode::Lacp
}

/// A port's aggregator and operational states (sysfs `bonding_slave/`).
pub(crate) struct SlaveOper {
    pub(crate) aggregator_id: u16,
    pub(crate) actor_state: u8,
    pub(crate) partner_state: u16,
}

/// The port's operational states, if it has an aggregator.
pub(crate) fn slave_oper(dev: &Device<BondDriver>, port: &SlavePort) -> Option<SlaveOper> {
    let st = dev.data().ad.lock();
    let s = &st.slaves[st.index_of(port)?];
    let agg = s.port_aggregator.and_then(|a| st.slaves.get(a))?;
    Some(SlaveOper {
        aggregator_id: agg.aggregator.aggregator_identifier,
        actor_state: s.port.actor_oper_port_state,
        partner_state: s.port.partner_oper.port_state,
    })
}

/// The 802.3ad part of a slave's netlink attributes (C:
/// `bond_fill_slave_info`).
pub(crate) fn fill_slave_info(
    dev: &Device<BondDriver>,
    port: &SlavePort,
    msg: &mut NlMsg,
) -> Result {
    let st = dev.data().ad.lock();
    let Some(i) = st.index_of(port) else {
        return Ok(());
    };
    let s = &st.slaves[i];
    if let Some(agg) = s.port_aggregator.and_then(|a| st.slaves.get(a)) {
        msg.put_u16(
            bond::SLAVE_AD_AGGREGATOR_ID,
            agg.aggregator.aggregator_identifier,
        )?;
        msg.put_u8(
            bond::SLAVE_AD_ACTOR_OPER_PORT_STATE,
            s.port.actor_oper_port_state,
        )?;
        msg.put_u16(
            bond::SLAVE_AD_PARTNER_OPER_PORT_STATE,
            s.port.partner_oper.port_state,
        )?;
        msg.put_u8(
            bond::SLAVE_AD_CHURN_ACTOR_STATE,
            s.port.sm_churn_actor_state as u8,
        )?;
        msg.put_u8(
            bond::SLAVE_AD_CHURN_PARTNER_STATE,
            s.port.sm_churn_partner_state as u8,
        )?;
    }
    msg.put_u16(bond::SLAVE_ACTOR_PORT_PRIO, s.port.actor_port_priority)
}
