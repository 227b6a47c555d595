// SPDX-License-Identifier: GPL-2.0

//! balance-tlb, transmit load balancing (C: `bond_alb.c` without its
//! receive half): IPv4 and IPv6 unicast leaves on the slave its hash
//! bucket was given (the least loaded one when first used, redone every
//! 10 s: `rust/txsel/src/tlb.rs`), or with `tlb_dynamic_lb 0` on the
//! usable slave of its `xmit_hash_policy` hash; everything else, and
//! whatever no bucket takes, on the current active slave, which alone
//! receives. A packet leaving on another slave carries that slave's
//! address as its source: each slave keeps an address of its own (only
//! its address field: the hardware keeps the bond's), the active one the
//! bond's, swapped on failover, and learning packets (`ETH_P_LOOPBACK`
//! frames from and to the address, and tagged for each VLAN directly
//! above the bond) tell the switch after every swap and every
//! `lp_interval` seconds (`rust/txsel/src/alb.rs`).
//!
//! The bucket table and each slave's load are under a BH lock (C's
//! `mode_lock`), indexed by the slave's position; a generation number,
//! bumped under RTNL whenever positions move and copied into each
//! published snapshot, keeps a reader of an older snapshot from using
//! another slave's load (it sends on the active slave instead). The
//! monitor (C: `bond_alb_monitor`) runs every 100 ms without RTNL.

use crate::bond_dev::{Bond, BondDriver, Ctl, Mode};
use crate::bond_slave::{SlavePort, Snapshot};
use crate::netdev::{
    arp::VlanTag,
    bh_lock::BhLock,
    kvec,
    prelude::*,
    txsel::{
        alb::{self, Attach, SlaveAddr},
        flow::{ETH_P_IP, ETH_P_IPV6},
        hash,
        tlb::{self, Tlb, TlbPort},
    },
    upper::AddrAssign,
    work::{DevWork, DevWorkHandler},
};
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::{alloc::KVec, prelude::*, sync::Arc};

/// `alb_delta_in_ticks`: the monitor's period (ms).
const ALB_PERIOD_MS: u32 = 1000 / tlb::ALB_TIMER_TICKS_PER_SEC;

/// The transmit buckets and the slaves' loads (C: `tx_hashtbl`,
/// `unbalanced_load` and each slave's `tlb_slave_info`).
pub(crate) struct AlbTx {
    tlb: Tlb,
    /// By slave position.
    ports: KVec<TlbPort>,
    /// Bumped whenever `ports` changes shape (see the module docs).
    gen: u32,
}

/// The work kind of the ALB monitor (C: `alb_work`).
pub(crate) struct AlbWork;

/// A bond's balance-tlb state.
pub(crate) struct Alb {
    tx: BhLock<AlbTx>,
    /// `curr_active_slave` as this code last handled it (RTNL): a change
    /// of the active slave swaps addresses ([`sync_active`]).
    curr: RtnlLocked<Option<Arc<SlavePort>>>,
    /// `tx_rebalance_counter`, `lp_counter` (monitor ticks).
    rebalance: AtomicU32,
    lp: AtomicU32,
    pub(crate) work: DevWork<BondDriver, AlbWork>,
}

impl Alb {
    pub(crate) fn new() -> Result<Self> {
        Ok(Alb {
            tx: crate::new_bh_lock!(
                AlbTx {
                    tlb: Tlb::new(),
                    ports: KVec::new(),
                    gen: 0,
                },
                "rvnet_bond_alb_lock"
            )?,
            curr: RtnlLocked::new(None),
            rebalance: AtomicU32::new(0),
            lp: AtomicU32::new(0),
            work: DevWork::new(),
        })
    }

    /// The generation a snapshot records.
    pub(crate) fn gen(&self) -> u32 {
        self.tx.lock().gen
    }
}

impl DevWorkHandler<AlbWork> for BondDriver {
    fn work(b: &Bond) -> &DevWork<Self, AlbWork> {
        &b.alb.work
    }

    fn run(dev: &Device<Self>) {
        monitor(dev);
    }
}

/// `alb_send_lp_vid`: one learning packet for `mac` on `slave`, tagged
/// with `tag` (out of band) unless its VLAN id is 0.
fn send_lp(slave: &NetDevice, mac: &[u8; 6], tag: Option<VlanTag>) {
    let frame = alb::learning_packet(mac);
    if let Some(mut skb) = SkBuff::from_control_frame(slave, &frame) {
        if let Some(t) = tag.filter(|t| t.vid != 0) {
            skb.put_vlan_tag(t.proto, t.vid);
        }
        skb.queue_xmit(slave);
    }
}

/// `alb_send_learning_packets` (the strict match of balance-tlb's
/// monitor: no macvlan): a learning packet for `mac` on `slave`, then one
/// for each VLAN directly above the bond `bond`, tagged, announcing `mac`
/// if the VLAN took its address from the bond (`NET_ADDR_STOLEN`), its
/// own address otherwise.
fn send_learning(bond: &NetDevice, slave: &NetDevice, mac: &[u8; 6]) {
    send_lp(slave, mac, None);
    let rcu = RcuGuard::new();
    for upper in bond.for_each_upper_rcu(&rcu) {
        let Some(tag) = upper.vlan_tag_of() else {
            continue;
        };
        let m = match upper.addr_assign() {
            AddrAssign::Stolen => *mac,
            _ => upper.mac().unwrap_or(*mac),
        };
        send_lp(slave, &m, Some(tag));
    }
}

/// `bond_slave_can_tx`.
fn can_tx(p: &SlavePort) -> bool {
    p.port(0).can_tx()
}

/// The slaves' addresses, in order.
fn addrs(ctl: &Ctl) -> Result<KVec<SlaveAddr>> {
    let mut v = KVec::with_capacity(ctl.slaves.len(), GFP_KERNEL)?;
    for s in ctl.slaves.iter() {
        let cur = s.port.dev.mac().unwrap_or([0; 6]);
        v.push(
            SlaveAddr {
                perm: s.port.perm_addr,
                cur,
            },
            GFP_KERNEL,
        )?;
    }
    Ok(v)
}

/// The bond opens (C: `bond_alb_initialize` in `bond_open`): empty
/// buckets, unloaded slaves; the monitor runs with `tlb_dynamic_lb`.
pub(crate) fn open(dev: &Device<BondDriver>, ctl: &Ctl, rtnl: &Rtnl) {
    if ctl.cfg.mode != Mode::Tlb {
        return;
    }
    let b = dev.data();
    {
        let mut st = b.alb.tx.lock();
        st.tlb.reset();
        for p in st.ports.iter_mut() {
            *p = TlbPort::NEW;
        }
    }
    if ctl.cfg.tlb_dynamic_lb {
        dev.start_work::<AlbWork>(0, rtnl);
    }
}

/// The bond stops: no monitor from now on.
pub(crate) fn stop(b: &Bond) {
    b.alb.work.cancel_sync();
}

/// A slave joins at the end of the list (any mode: the table follows
/// the slave list).
pub(crate) fn slave_added(b: &Bond) -> Result {
    let mut st = b.alb.tx.lock();
    st.ports.push(TlbPort::NEW, GFP_ATOMIC)?;
    st.gen = st.gen.wrapping_add(1);
    Ok(())
}

/// The slave at `idx` left: its buckets are unassigned and the later
/// slaves' move down (C: `tlb_clear_slave(bond, slave, 0)`).
fn slave_removed(b: &Bond, idx: usize) {
    let mut st = b.alb.tx.lock();
    let st = &mut *st;
    if let Some(mut p) = kvec::remove(&mut st.ports, idx) {
        st.tlb.clear_port(&mut p, false);
        st.tlb.remove_port(idx as u32);
    }
    st.gen = st.gen.wrapping_add(1);
}

/// Undoes [`slave_added`] when the slave could not be listed.
pub(crate) fn slave_not_added(b: &Bond, idx: usize) {
    slave_removed(b, idx);
}

/// `bond_alb_init_slave` (before the slave is listed, after it took the
/// bond's address and opened): its address field back to its own, then
/// made unique in the bond (`alb_handle_addr_collision_on_attach`), and
/// a rebalance ordered.
pub(crate) fn init_slave(
    dev: &Device<BondDriver>,
    slave: &NetDevice,
    perm: &[u8; 6],
    rtnl: &mut Rtnl,
) -> Result {
    let b = dev.data();
    slave.set_addr_field(perm, rtnl);
    let bond_addr = dev.mac().ok_or(EINVAL)?;
    let (decision, from) = {
        let ctl = b.ctl.borrow(rtnl)?;
        let a = addrs(&ctl)?;
        let d = alb::on_attach(perm, &bond_addr, &a, ctl.active);
        let from = match d {
            Attach::Set { from: Some(i), .. } => ctl.slaves.get(i).map(|s| s.port.dev.name()),
            _ => None,
        };
        (d, from)
    };
    match decision {
        Attach::Keep => {}
        Attach::Set { mac, .. } => {
            slave.set_addr_field(&mac, rtnl);
            if let Some(name) = from {
                pr_warn!(
                    "{}: (slave {}): the slave hw address is in use by the bond; giving it the hw address of {}\n",
                    dev.name(),
                    slave.name(),
                    name
                );
            }
        }
        Attach::Fault => {
            slave.set_addr_field(&bond_addr, rtnl);
            pr_err!(
                "{}: (slave {}): the slave hw address is in use by the bond; couldn't find a slave with a free hw address to give it (this should not have happened)\n",
                dev.name(),
                slave.name()
            );
            return Err(EFAULT);
        }
    }
    b.alb
        .rebalance
        .store(tlb::BOND_TLB_REBALANCE_TICKS, Ordering::Relaxed);
    Ok(())
}

/// `alb_fasten_mac_swap` (transmit half): learning packets from each of
/// the two slaves that can transmit, with its new address.
fn fasten(a: &SlavePort, b: &SlavePort) {
    for p in [a, b] {
        if can_tx(p) {
            if let Some(mac) = p.dev.mac() {
                send_learning(&p.master, &p.dev, &mac);
            }
        }
    }
}

/// Swaps the address fields of two slaves (`alb_swap_mac_addr`).
fn swap_addrs(a: &NetDevice, b: &NetDevice, rtnl: &mut Rtnl) {
    let (Some(ma), Some(mb)) = (a.mac(), b.mac()) else {
        return;
    };
    a.set_addr_field(&mb, rtnl);
    b.set_addr_field(&ma, rtnl);
}

/// `bond_alb_deinit_slave` for the slave that was at `idx`, already off
/// the list (`ctl.slaves`): a remaining slave using its own address gives
/// it back (`alb_change_hw_addr_on_detach`), and its buckets go.
pub(crate) fn deinit_slave(
    dev: &Device<BondDriver>,
    ctl: &Ctl,
    leaving: &SlavePort,
    idx: usize,
    rtnl: &mut Rtnl,
) {
    let b = dev.data();
    if ctl.cfg.mode == Mode::Tlb && !ctl.slaves.is_empty() {
        let found = match (addrs(ctl), leaving.dev.mac(), dev.mac()) {
            (Ok(rest), Some(cur), Some(bond_addr)) => {
                let l = SlaveAddr {
                    perm: leaving.perm_addr,
                    cur,
                };
                alb::on_detach(&l, &bond_addr, &rest)
            }
            _ => None,
        };
        if let Some(other) = found.and_then(|i| ctl.slaves.get(i)) {
            swap_addrs(&leaving.dev, &other.port.dev, rtnl);
            fasten(leaving, &other.port);
        }
    }
    slave_removed(b, idx);
}

/// `bond_alb_handle_link_change` for the slave at `idx`: a slave going
/// down loses its buckets; one coming up orders a rebalance.
pub(crate) fn link_changed(b: &Bond, idx: usize, up: bool) {
    if up {
        b.alb
            .rebalance
            .store(tlb::BOND_TLB_REBALANCE_TICKS, Ordering::Relaxed);
        return;
    }
    let mut st = b.alb.tx.lock();
    let st = &mut *st;
    if let Some(p) = st.ports.get_mut(idx) {
        st.tlb.clear_port(p, false);
    }
}

/// `bond_alb_handle_active_change`, run when a published state has an
/// active slave this code has not handled yet: the new active slave gets
/// the bond's address, swapped with the old one (or with the slave that
/// holds the bond's address), and the switch learns the change.
pub(crate) fn sync_active(b: &Bond, ctl: &Ctl, rtnl: &mut Rtnl) {
    let new = ctl.active.and_then(|i| Some((i, ctl.slaves.get(i)?)));
    let old = {
        let Ok(mut curr) = b.alb.curr.borrow_mut(rtnl) else {
            return;
        };
        let same = match (&*curr, new) {
            (None, None) => true,
            (Some(c), Some((_, n))) => Arc::ptr_eq(c, &n.port),
            _ => false,
        };
        if same {
            return;
        }
        let tlb_active = ctl.cfg.mode == Mode::Tlb;
        core::mem::replace(
            &mut *curr,
            new.filter(|_| tlb_active).map(|(_, n)| n.port.clone()),
        )
    };
    if ctl.cfg.mode != Mode::Tlb {
        return;
    }
    let Some((ni, new)) = new else {
        return;
    };
    let Some(bond_addr) = new.port.master.mac() else {
        return;
    };
    // The old active slave, if still enslaved, else the holder of the
    // bond's address.
    let swap = old
        .and_then(|o| ctl.slaves.iter().position(|s| Arc::ptr_eq(&s.port, &o)))
        .or_else(|| addrs(ctl).ok().and_then(|a| alb::has_mac(&a, &bond_addr)));
    {
        let mut st = b.alb.tx.lock();
        let st = &mut *st;
        for i in [swap, Some(ni)].into_iter().flatten() {
            if let Some(p) = st.ports.get_mut(i) {
                st.tlb.clear_port(p, true);
            }
        }
    }
    // TLB: the hardware of the new active slave takes the bond's address
    // (best effort), its address field stays.
    let nd = &new.port.dev;
    if let Some(tmp) = nd.mac() {
        let _ = nd.set_mac(&bond_addr, None, rtnl);
        nd.set_addr_field(&tmp, rtnl);
    }
    match swap.and_then(|i| ctl.slaves.get(i)) {
        Some(sw) => {
            swap_addrs(&sw.port.dev, nd, rtnl);
            fasten(&sw.port, &new.port);
        }
        None => {
            nd.set_addr_field(&bond_addr, rtnl);
            send_learning(&new.port.master, nd, &bond_addr);
        }
    }
}

/// `bond_xmit_tlb_slave_get`: the slave of a unicast IPv4/IPv6 packet
/// (not a neighbour solicitation or advertisement), `None` for the
/// active slave.
fn tlb_slave_get(b: &Bond, s: &Snapshot, skb: &mut SkBuff) -> Option<usize> {
    if skb.head_data().first().map_or(true, |d| d & 1 != 0) {
        return None;
    }
    match skb.protocol() {
        ETH_P_IPV6 => {
            let off = u32::try_from(skb.network_offset()).ok()?;
            // `pskb_network_may_pull` of the IPv6 and ICMPv6 headers; a
            // shorter packet is looked at as far as it goes.
            let _ = skb.may_pull(off + 48);
            if alb::is_nd(skb.head_data().get(off as usize..).unwrap_or(&[])) {
                return None;
            }
        }
        ETH_P_IP => {}
        _ => return None,
    }
    let policy = s.cfg.policy;
    let h = hash::xmit_hash(policy, &skb.flow_keys(policy, &b.flow));
    if !s.cfg.tlb_dynamic_lb {
        return hash::select_xor(&s.ports, h);
    }
    let mut st = b.alb.tx.lock();
    if st.gen != s.tlb_gen {
        return None;
    }
    let st = &mut *st;
    st.tlb
        .choose(tlb::bucket(h), skb.len(), &s.ports, &mut st.ports)
}

/// `bond_tlb_xmit` / `bond_do_alb_xmit`.
pub(crate) fn xmit(dev: &Device<BondDriver>, mut skb: SkBuff, s: &Snapshot, tx: &XmitContext) {
    let b = dev.data();
    let dynamic = s.cfg.tlb_dynamic_lb;
    let tx_slave = match tlb_slave_get(b, s, &mut skb) {
        Some(i) => Some(i),
        None => {
            if dynamic {
                b.alb.tx.lock().tlb.count_unbalanced(skb.len(), true);
            }
            s.active
        }
    };
    if let Some(i) = tx_slave {
        if let (Some(p), Some(port)) = (s.slaves.get(i), s.ports.get(i)) {
            if port.can_tx() {
                if Some(i) != s.active {
                    let mac = p.dev.mac().unwrap_or([0; 6]);
                    if !skb.set_eth_source(&mac) {
                        dev.count_tx_dropped();
                        skb.drop_reason(DropReason::NoLower);
                        return;
                    }
                }
                crate::bond_xmit::send(dev, skb, &p.dev, tx);
                return;
            }
        }
        if dynamic {
            let mut st = b.alb.tx.lock();
            if st.gen == s.tlb_gen {
                let st = &mut *st;
                if let Some(p) = st.ports.get_mut(i) {
                    st.tlb.clear_port(p, false);
                }
            }
        }
    }
    dev.count_tx_dropped();
    skb.drop_reason(DropReason::NoLower);
}

/// One tick of `bond_alb_monitor`: learning packets every `lp_interval`
/// seconds on every slave (with its own address), the rebalance every
/// 10 s.
fn monitor(dev: &Device<BondDriver>) {
    let b = dev.data();
    {
        let rcu = RcuGuard::new();
        match b.snap.get(&rcu).filter(|s| !s.slaves.is_empty()) {
            None => {
                b.alb.rebalance.store(0, Ordering::Relaxed);
                b.alb.lp.store(0, Ordering::Relaxed);
            }
            Some(s) => {
                let reb = b.alb.rebalance.fetch_add(1, Ordering::Relaxed) + 1;
                let lp = b.alb.lp.fetch_add(1, Ordering::Relaxed) + 1;
                if lp >= alb::lp_ticks(s.cfg.lp_interval) {
                    for p in s.slaves.iter() {
                        if let Some(mac) = p.dev.mac() {
                            send_learning(dev.net_device(), &p.dev, &mac);
                        }
                    }
                    b.alb.lp.store(0, Ordering::Relaxed);
                }
                if reb >= tlb::BOND_TLB_REBALANCE_TICKS {
                    let mut st = b.alb.tx.lock();
                    if st.gen == s.tlb_gen {
                        let st = &mut *st;
                        st.tlb.rebalance(&mut st.ports, s.active);
                    }
                    b.alb.rebalance.store(0, Ordering::Relaxed);
                }
            }
        }
    }
    b.alb.work.rearm(ALB_PERIOD_MS);
}
