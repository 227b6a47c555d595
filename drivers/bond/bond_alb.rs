// SPDX-License-Identifier: GPL-2.0

//! balance-tlb and balance-alb (C: `bond_alb.c`).
//!
//! balance-tlb, transmit load balancing: IPv4 and IPv6 unicast leaves on the slave its hash
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
//! `lp_interval` seconds (`rust/txsel/src/alb.rs`); after a swap, and
//! from balance-tlb's active slave every interval, also one for each
//! macvlan above the bond, with the macvlan's address.
//!
//! The bucket table and each slave's load are under a BH lock (C's
//! `mode_lock`), indexed by the slave's position; a generation number,
//! bumped under RTNL whenever positions move and copied into each
//! published snapshot, keeps a reader of an older snapshot from using
//! another slave's load (it sends on the active slave instead). The
//! monitor (C: `bond_alb_monitor`) runs every 100 ms without RTNL.
//!
//! balance-alb adds receive load balancing: each slave's hardware takes
//! its own address (`dev_set_mac_address`, not only the field), IPv4 is
//! balanced by its destination address (`_simple_hash`), and ARP replies
//! the bond sends go out on the slave chosen for their client, with that
//! slave's address as sender (`rlb_arp_xmit`), so that each client sends
//! to one slave (`rust/txsel/src/rlb.rs`, the client table, under the same
//! lock). Received ARPs teach the table (`rlb_arp_recv`, from
//! `bond_rx`); the monitor tells clients whose slave changed with bursts
//! of ARP replies (`rlb_update_rx_clients`), rebalances them after a
//! slave comes up or joins, and takes the active slave out of the
//! promiscuous mode a disabled slave's address put it in.

use crate::bond_dev::{Bond, BondDriver, Ctl, Mode};
use crate::bond_slave::{SlavePort, Snapshot};
use crate::netdev::{
    arp::VlanTag,
    bh_lock::BhLock,
    errno,
    inet::Ipv4Addr,
    kvec,
    prelude::*,
    txsel::{
        alb::AlbTx as Choice,
        alb::{self, Attach, SlaveAddr},
        arpmon::MAX_TARGETS,
        flow::{ETH_P_IP, ETH_P_IPV6},
        hash,
        rlb::{self, ArpPkt, Rlb, RlbClient},
        tlb::{self, Tlb, TlbEntry, TlbPort},
        Port,
    },
    upper::AddrAssign,
    work::{DevWork, DevWorkHandler},
};
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use kernel::{alloc::KVec, prelude::*, sync::Arc};

/// `alb_delta_in_ticks`: the monitor's period (ms).
const ALB_PERIOD_MS: u32 = 1000 / tlb::ALB_TIMER_TICKS_PER_SEC;

/// The transmit buckets and the slaves' loads (C: `tx_hashtbl`,
/// `unbalanced_load` and each slave's `tlb_slave_info`).
pub(crate) struct AlbTx {
    /// The bucket table, allocated when a bond first opens in balance-tlb
    /// or balance-alb (C allocates `tx_hashtbl` in `tlb_initialize`): a
    /// bond of another mode carries none.
    tlb: Option<Tlb<KVec<TlbEntry>>>,
    /// By slave position.
    ports: KVec<TlbPort>,
    /// Bumped whenever `ports` changes shape (see the module docs).
    gen: u32,
    /// The client table, allocated when a bond first opens in
    /// balance-alb; used while `rlb_on` (C: `rlb_enabled`).
    rlb: Option<Rlb<KVec<RlbClient>>>,
    rlb_on: bool,
    /// C's `rlb_enabled`: set by every open of a load-balancing mode,
    /// kept after the bond closes (`alb_set_mac_address` reads it).
    rlb_enabled: bool,
    /// `primary_is_promisc`, `rlb_promisc_timeout_counter`.
    primary_is_promisc: bool,
    promisc_timeout: u32,
}

/// The ARP EtherType.
const ETH_P_ARP: u16 = 0x0806;

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
    /// The receive handler teaches the client table (C: `recv_probe` is
    /// `rlb_arp_recv`).
    pub(crate) rlb_rx: AtomicBool,
    pub(crate) work: DevWork<BondDriver, AlbWork>,
}

impl Alb {
    pub(crate) fn new() -> Result<Self> {
        Ok(Alb {
            tx: crate::new_bh_lock!(
                AlbTx {
                    tlb: None,
                    ports: KVec::new(),
                    gen: 0,
                    rlb: None,
                    rlb_on: false,
                    rlb_enabled: false,
                    primary_is_promisc: false,
                    promisc_timeout: 0,
                },
                "rvnet_bond_alb_lock"
            )?,
            curr: RtnlLocked::new(None),
            rebalance: AtomicU32::new(0),
            lp: AtomicU32::new(0),
            rlb_rx: AtomicBool::new(false),
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

/// `alb_send_learning_packets`: a learning packet for `mac` on `slave`,
/// then, walking every device stacked above the bond `bond` in C's order
/// (`netdev_walk_all_upper_dev_rcu`, which comes back to a device after
/// each of its uppers), one for each VLAN directly above the bond, tagged,
/// announcing `mac` if the VLAN took its address from the bond
/// (`NET_ADDR_STOLEN`), its own address otherwise; and unless `strict`,
/// one for each macvlan above, with its own address, tagged as the first
/// device on its way up from the bond if that is a VLAN
/// (`bond_verify_device_path`'s `tags[0]`).
fn send_learning(bond: &NetDevice, slave: &NetDevice, mac: &[u8; 6], strict: bool) {
    send_lp(slave, mac, None);
    let rcu = RcuGuard::new();
    let level = bond.lower_level();
    bond.walk_all_uppers_rcu(&rcu, |upper| {
        if let Some(tag) = upper.vlan_tag_of() {
            if u16::from(upper.lower_level()) == u16::from(level) + 1 {
                let m = match upper.addr_assign() {
                    AddrAssign::Stolen => *mac,
                    _ => upper.mac().unwrap_or(*mac),
                };
                send_lp(slave, &m, Some(tag));
            }
        }
        if !strict && upper.is_macvlan() {
            let mut tags = [VlanTag::default(); MAX_TARGETS];
            // C: no path (it was just walked) ends the walk as -ENOMEM.
            if crate::bond_arp::verify_path(bond, upper, 0, &mut tags, &rcu).is_none() {
                return true;
            }
            if let Some(m) = upper.mac() {
                send_lp(slave, &m, Some(tags[0]));
            }
        }
        false
    });
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
///
/// balance-alb: the client table too (`rlb_initialize`), allocated the
/// first time; `ENOMEM` fails the open as C. The bucket table likewise
/// (`tlb_initialize`), in both modes. Both stay allocated once made.
pub(crate) fn open(dev: &Device<BondDriver>, ctl: &Ctl, rtnl: &Rtnl) -> Result {
    if !ctl.cfg.mode.is_lb() {
        return Ok(());
    }
    let b = dev.data();
    let alb_mode = ctl.cfg.mode == Mode::Alb;
    let (need_tlb, need_rlb) = {
        let st = b.alb.tx.lock();
        (st.tlb.is_none(), alb_mode && st.rlb.is_none())
    };
    let buckets = if need_tlb {
        let v = filled(tlb::TLB_HASH_TABLE_SIZE, TlbEntry::EMPTY)?;
        Some(Tlb::with_table(v).ok_or(EINVAL)?)
    } else {
        None
    };
    let table = if need_rlb {
        let v = filled(rlb::RLB_HASH_TABLE_SIZE, RlbClient::EMPTY)?;
        Some(Rlb::with_table(v).ok_or(EINVAL)?)
    } else {
        None
    };
    {
        let mut st = b.alb.tx.lock();
        if buckets.is_some() {
            st.tlb = buckets;
        }
        if let Some(t) = st.tlb.as_mut() {
            t.reset();
        }
        for p in st.ports.iter_mut() {
            *p = TlbPort::NEW;
        }
        if table.is_some() {
            st.rlb = table;
        }
        st.rlb_on = alb_mode;
        st.rlb_enabled = alb_mode;
        st.primary_is_promisc = false;
        st.promisc_timeout = 0;
        if let Some(r) = st.rlb.as_mut() {
            r.reset();
        }
    }
    b.alb.rlb_rx.store(alb_mode, Ordering::Relaxed);
    if ctl.cfg.tlb_dynamic_lb || alb_mode {
        dev.start_work::<AlbWork>(0, rtnl);
    }
    Ok(())
}

/// A table of `n` copies of `e`, allocated apart (out of the lock).
fn filled<E: Copy>(n: usize, e: E) -> Result<KVec<E>> {
    let mut v = KVec::with_capacity(n, GFP_KERNEL)?;
    for _ in 0..n {
        v.push(e, GFP_KERNEL)?;
    }
    Ok(v)
}

/// The bond stops: no monitor and no learning from now on.
pub(crate) fn stop(b: &Bond) {
    b.alb.rlb_rx.store(false, Ordering::Relaxed);
    b.alb.work.cancel_sync();
    b.alb.tx.lock().rlb_on = false;
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
        if let Some(t) = st.tlb.as_mut() {
            t.clear_port(&mut p, false);
            t.remove_port(idx as u32);
        }
    }
    if let Some(r) = st.rlb.as_mut() {
        r.remove_port(idx as u32);
    }
    st.gen = st.gen.wrapping_add(1);
}

/// Undoes [`slave_added`] when the slave could not be listed.
pub(crate) fn slave_not_added(b: &Bond, idx: usize) {
    slave_removed(b, idx);
}

/// `alb_set_slave_mac_addr`: balance-tlb changes only the address
/// field; balance-alb the hardware's address (`dev_set_mac_address`),
/// which the slave must support while open.
fn set_slave_addr(
    mode: Mode,
    dev: &Device<BondDriver>,
    slave: &NetDevice,
    mac: &[u8; 6],
    rtnl: &mut Rtnl,
) -> Result {
    if mode != Mode::Alb {
        slave.set_addr_field(mac, rtnl);
        return Ok(());
    }
    if slave.set_mac(mac, None, rtnl).is_err() {
        crate::slave_err!(
            dev.net_device(),
            slave,
            "dev_set_mac_address on slave failed! ALB mode requires that the base driver support setting the hw address also when the network device's interface is open\n"
        );
        return Err(errno::err(errno::EOPNOTSUPP));
    }
    Ok(())
}

/// `bond_alb_init_slave` (before the slave is listed, after it took the
/// bond's address and opened): its address back to its own, then made
/// unique in the bond (`alb_handle_addr_collision_on_attach`), and a
/// rebalance ordered (of the clients too in balance-alb).
pub(crate) fn init_slave(
    dev: &Device<BondDriver>,
    slave: &NetDevice,
    perm: &[u8; 6],
    rtnl: &mut Rtnl,
) -> Result {
    let b = dev.data();
    let mode = b.ctl.borrow(rtnl)?.cfg.mode;
    set_slave_addr(mode, dev, slave, perm, rtnl)?;
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
            set_slave_addr(mode, dev, slave, &mac, rtnl)?;
            if let Some(name) = from {
                crate::slave_warn!(
                    dev.net_device(),
                    slave,
                    "the slave hw address is in use by the bond; giving it the hw address of {}\n",
                    name
                );
            }
        }
        Attach::Fault => {
            set_slave_addr(mode, dev, slave, &bond_addr, rtnl)?;
            crate::slave_err!(
                dev.net_device(),
                slave,
                "the slave hw address is in use by the bond; couldn't find a slave with a free hw address to give it (this should not have happened)\n"
            );
            return Err(EFAULT);
        }
    }
    b.alb
        .rebalance
        .store(tlb::BOND_TLB_REBALANCE_TICKS, Ordering::Relaxed);
    let mut st = b.alb.tx.lock();
    if st.rlb_on {
        if let Some(r) = st.rlb.as_mut() {
            r.rebalance_pending = true;
        }
    }
    Ok(())
}

/// `rlb_teach_disabled_mac_on_primary`: the active slave (if any) goes
/// promiscuous, until the monitor's timeout, and announces `mac`.
fn teach_disabled_mac(b: &Bond, ctl: &Ctl, mac: &[u8; 6], rtnl: &mut Rtnl) {
    let Some(curr) = ctl.active.and_then(|i| ctl.slaves.get(i)) else {
        return;
    };
    let was = b.alb.tx.lock().primary_is_promisc;
    let now = was || curr.port.dev.set_promiscuity(1, rtnl).is_ok();
    {
        let mut st = b.alb.tx.lock();
        st.primary_is_promisc = now;
        st.promisc_timeout = 0;
    }
    send_learning(&curr.port.master, &curr.port.dev, mac, true);
}

/// `rlb_req_update_slave_clients` for the slave at `idx`.
fn req_update_clients(b: &Bond, idx: usize) {
    let mut st = b.alb.tx.lock();
    if st.rlb_on {
        if let Some(r) = st.rlb.as_mut() {
            r.req_update_port_clients(idx as u32);
        }
    }
}

/// `alb_fasten_mac_swap`: learning packets from each of the two slaves
/// (at `ia`, `ib`) that can transmit, with its new address, and in
/// balance-alb their clients told; a slave that cannot transmit had its
/// (now active) address taught on the active slave.
fn fasten(
    b: &Bond,
    ctl: &Ctl,
    (ia, pa): (usize, &SlavePort),
    (ib, pb): (usize, &SlavePort),
    rtnl: &mut Rtnl,
) {
    let differ = can_tx(pa) != can_tx(pb);
    let mut disabled = None;
    for (i, p) in [(ia, pa), (ib, pb)] {
        if can_tx(p) {
            if let Some(mac) = p.dev.mac() {
                send_learning(&p.master, &p.dev, &mac, false);
            }
            req_update_clients(b, i);
        } else {
            disabled = Some(p);
        }
    }
    if ctl.cfg.mode == Mode::Alb && differ {
        if let Some(mac) = disabled.and_then(|p| p.dev.mac()) {
            teach_disabled_mac(b, ctl, &mac, rtnl);
        }
    }
}

/// Swaps the addresses of two slaves (`alb_swap_mac_addr`).
fn swap_addrs(mode: Mode, dev: &Device<BondDriver>, a: &NetDevice, b: &NetDevice, rtnl: &mut Rtnl) {
    let (Some(ma), Some(mb)) = (a.mac(), b.mac()) else {
        return;
    };
    let _ = set_slave_addr(mode, dev, a, &mb, rtnl);
    let _ = set_slave_addr(mode, dev, b, &ma, rtnl);
}

/// `rlb_clear_slave` for the slave at `idx` (`ctl.slaves` still listing
/// it unless `gone`): its clients go to the next receive slave, told
/// again; unless it is the active one, the active slave learns its
/// address.
fn rlb_clear(b: &Bond, ctl: &Ctl, idx: usize, gone: bool, mac: Option<[u8; 6]>, rtnl: &mut Rtnl) {
    if !b.alb.tx.lock().rlb_on {
        return;
    }
    // The ports as the table names them: a leaving slave's successors
    // are still one up.
    let mut ports: KVec<Port> = KVec::new();
    for (j, s) in ctl.slaves.iter().enumerate() {
        let id = if gone && j >= idx { j + 1 } else { j };
        if ports.push(s.port.port(id as u32), GFP_KERNEL).is_err() {
            return;
        }
    }
    {
        let mut st = b.alb.tx.lock();
        if let Some(r) = st.rlb.as_mut() {
            if gone {
                r.rx_slave = None;
            }
            r.clear_port(idx as u32, &ports);
        }
    }
    if gone || ctl.active != Some(idx) {
        if let Some(m) = mac {
            teach_disabled_mac(b, ctl, &m, rtnl);
        }
    }
}

/// `bond_alb_deinit_slave` for the slave that was at `idx`, already off
/// the list (`ctl.slaves`): a remaining slave using its own address gives
/// it back (`alb_change_hw_addr_on_detach`), its buckets go, and its
/// clients move.
pub(crate) fn deinit_slave(
    dev: &Device<BondDriver>,
    ctl: &Ctl,
    leaving: &SlavePort,
    idx: usize,
    rtnl: &mut Rtnl,
) {
    let b = dev.data();
    let mode = ctl.cfg.mode;
    if mode.is_lb() && !ctl.slaves.is_empty() {
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
        if let Some((oi, other)) = found.and_then(|i| Some((i, ctl.slaves.get(i)?))) {
            swap_addrs(mode, dev, &leaving.dev, &other.port.dev, rtnl);
            // The leaving slave's clients are cleared below: its index
            // names nobody in the table after the swap's updates.
            fasten(b, ctl, (usize::MAX, leaving), (oi, &other.port), rtnl);
        }
    }
    if mode.is_lb() {
        rlb_clear(b, ctl, idx, true, leaving.dev.mac(), rtnl);
    }
    slave_removed(b, idx);
}

/// `bond_alb_handle_link_change` for the slave at `idx`: a slave going
/// down loses its buckets and its clients; one coming up orders a
/// rebalance.
pub(crate) fn link_changed(b: &Bond, ctl: &Ctl, idx: usize, up: bool, rtnl: &mut Rtnl) {
    if up {
        b.alb
            .rebalance
            .store(tlb::BOND_TLB_REBALANCE_TICKS, Ordering::Relaxed);
        let mut st = b.alb.tx.lock();
        if st.rlb_on {
            if let Some(r) = st.rlb.as_mut() {
                r.rebalance_pending = true;
            }
        }
        return;
    }
    {
        let mut st = b.alb.tx.lock();
        let st = &mut *st;
        if let (Some(p), Some(t)) = (st.ports.get_mut(idx), st.tlb.as_mut()) {
            t.clear_port(p, false);
        }
    }
    let mac = ctl.slaves.get(idx).and_then(|s| s.port.dev.mac());
    rlb_clear(b, ctl, idx, false, mac, rtnl);
}

/// `bond_alb_clear_vlan`: the clients seen on VLAN `vid` are forgotten.
pub(crate) fn clear_vlan(b: &Bond, vid: u16) {
    let mut st = b.alb.tx.lock();
    if st.rlb_on {
        if let Some(r) = st.rlb.as_mut() {
            r.clear_vlan(vid);
        }
    }
}

/// `bond_alb_handle_active_change`, run when a published state has an
/// active slave this code has not handled yet: the old active slave
/// leaves the promiscuous mode balance-alb may have put it in; the new
/// one gets the bond's address, swapped with the old one (or with the
/// slave that holds the bond's address), and the switch (and, in
/// balance-alb, the clients) learn the change.
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
        let lb = ctl.cfg.mode.is_lb();
        core::mem::replace(&mut *curr, new.filter(|_| lb).map(|(_, n)| n.port.clone()))
    };
    if let Some(o) = &old {
        let promisc = {
            let mut st = b.alb.tx.lock();
            let p = st.primary_is_promisc;
            st.primary_is_promisc = false;
            st.promisc_timeout = 0;
            p
        };
        if promisc {
            let _ = o.dev.set_promiscuity(-1, rtnl);
        }
    }
    let mode = ctl.cfg.mode;
    if !mode.is_lb() {
        return;
    }
    let Some((ni, new)) = new else {
        return;
    };
    let Some(bond_addr) = new.port.master.mac() else {
        return;
    };
    let Some(dev) = new.port.master.downcast::<BondDriver>() else {
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
            if let (Some(p), Some(t)) = (st.ports.get_mut(i), st.tlb.as_mut()) {
                t.clear_port(p, true);
            }
        }
    }
    let nd = &new.port.dev;
    // TLB: the hardware of the new active slave takes the bond's address
    // (best effort), its address field stays.
    if mode == Mode::Tlb {
        if let Some(tmp) = nd.mac() {
            let _ = nd.set_mac(&bond_addr, None, rtnl);
            nd.set_addr_field(&tmp, rtnl);
        }
    }
    match swap.and_then(|i| Some((i, ctl.slaves.get(i)?))) {
        Some((si, sw)) => {
            swap_addrs(mode, dev, &sw.port.dev, nd, rtnl);
            fasten(b, ctl, (si, &sw.port), (ni, &new.port), rtnl);
        }
        None => {
            let _ = set_slave_addr(mode, dev, nd, &bond_addr, rtnl);
            send_learning(&new.port.master, nd, &bond_addr, false);
        }
    }
}

/// `bond_alb_set_mac_address` (balance-alb's `ndo_set_mac_address`; the
/// layer stores `mac` in the bond afterwards): the slaves keep their
/// addresses; the active one takes `mac`, swapped with a slave that has
/// it, and the switch and its clients learn it.
pub(crate) fn set_mac_address(
    dev: &Device<BondDriver>,
    ctl: &Ctl,
    mac: &[u8; 6],
    rtnl: &mut Rtnl,
) -> Result {
    if !rlb::is_valid_ether_addr(mac) {
        return Err(errno::err(errno::EADDRNOTAVAIL));
    }
    let b = dev.data();
    // `alb_set_mac_address`: before the first open in balance-alb every
    // slave's hardware takes the address, its address field staying.
    if !b.alb.tx.lock().rlb_enabled {
        let old = dev.mac().ok_or(EINVAL)?;
        for (i, s) in ctl.slaves.iter().enumerate() {
            let d = &s.port.dev;
            let tmp = d.mac().unwrap_or([0; 6]);
            let res = d.set_mac(mac, None, rtnl);
            d.set_addr_field(&tmp, rtnl);
            if let Err(e) = res {
                for t in ctl.slaves.iter().take(i) {
                    let td = &t.port.dev;
                    let tmp = td.mac().unwrap_or([0; 6]);
                    let _ = td.set_mac(&old, None, rtnl);
                    td.set_addr_field(&tmp, rtnl);
                }
                return Err(e);
            }
        }
    }
    let Some((ai, curr)) = ctl.active.and_then(|i| Some((i, ctl.slaves.get(i)?))) else {
        return Ok(());
    };
    let swap = addrs(ctl).ok().and_then(|a| alb::has_mac(&a, mac));
    match swap.and_then(|i| Some((i, ctl.slaves.get(i)?))) {
        Some((si, sw)) => {
            swap_addrs(Mode::Alb, dev, &sw.port.dev, &curr.port.dev, rtnl);
            fasten(b, ctl, (si, &sw.port), (ai, &curr.port), rtnl);
        }
        None => {
            let _ = set_slave_addr(Mode::Alb, dev, &curr.port.dev, mac, rtnl);
            send_learning(&curr.port.master, &curr.port.dev, mac, false);
            req_update_clients(b, ai);
        }
    }
    Ok(())
}

/// The bucket of a balanced packet: the least loaded slave's, or with
/// `tlb_dynamic_lb 0` the usable slave of the `xmit_hash_policy` hash.
fn balance(b: &Bond, s: &Snapshot, skb: &mut SkBuff, bucket: Option<u8>) -> Option<usize> {
    let policy = s.cfg.policy;
    if !s.cfg.tlb_dynamic_lb {
        let h = hash::xmit_hash(policy, &skb.flow_keys(policy, &b.flow));
        return hash::select_xor(&s.ports, h);
    }
    let bucket = match bucket {
        Some(h) => h,
        None => tlb::bucket(hash::xmit_hash(policy, &skb.flow_keys(policy, &b.flow))),
    };
    let mut st = b.alb.tx.lock();
    if st.gen != s.tlb_gen {
        return None;
    }
    let st = &mut *st;
    st.tlb
        .as_mut()?
        .choose(bucket, skb.len(), &s.ports, &mut st.ports)
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
    balance(b, s, skb, None)
}

/// `bond_xmit_alb_slave_get`: balance-alb's choice (`alb::classify`),
/// `None` for the active slave.
fn alb_slave_get(dev: &Device<BondDriver>, s: &Snapshot, skb: &mut SkBuff) -> Option<usize> {
    let b = dev.data();
    let proto = skb.protocol();
    let off = usize::try_from(skb.network_offset()).ok()?;
    // C pulls what it reads: an IPv4 header, the IPv6 and ICMPv6 headers
    // (`alb_determine_nd`); a packet that is shorter is not balanced.
    let need = match proto {
        ETH_P_IP => 20,
        ETH_P_IPV6 => 48,
        _ => 0,
    };
    let pulled = skb.may_pull((off + need) as u32);
    let choice = {
        let d = skb.head_data();
        let dest: [u8; 6] = d.get(..6)?.try_into().ok()?;
        let l3 = if pulled {
            d.get(off..).unwrap_or(&[])
        } else {
            &[]
        };
        alb::classify(proto, &dest, l3)
    };
    match choice {
        Choice::Balance(h) => balance(b, s, skb, Some(h)),
        Choice::Arp => rlb_arp_xmit(dev, s, skb, off),
        Choice::Active => None,
    }
}

/// `rlb_update_client`: a burst of ARP replies telling the client of
/// `c` its slave's address (on that slave, tagged with its VLAN).
fn update_client(s: &Snapshot, c: &RlbClient) {
    let Some(p) = c.slave.and_then(|id| s.slaves.get(id as usize)) else {
        return;
    };
    if !rlb::is_valid_ether_addr(&c.mac_dst) {
        return;
    }
    for _ in 0..rlb::RLB_ARP_BURST_SIZE {
        if !p.dev.send_arp_reply(
            Ipv4Addr(c.ip_dst),
            Ipv4Addr(c.ip_src),
            &c.mac_dst,
            c.vlan_id,
        ) {
            crate::slave_err!(&p.master, &p.dev, "failed to create an ARP packet\n");
        }
    }
}

/// `rlb_arp_xmit`: an ARP the bond itself sends (its sender address is a
/// slave's, not a bridge's above): a reply leaves on its client's slave,
/// with that slave's address as sender; a request makes a place for its
/// client and has the subnet's clients told again after the delay.
fn rlb_arp_xmit(
    dev: &Device<BondDriver>,
    s: &Snapshot,
    skb: &mut SkBuff,
    off: usize,
) -> Option<usize> {
    let b = dev.data();
    if !skb.may_pull((off + rlb::ARP_PKT_LEN) as u32) {
        return None;
    }
    let arp = ArpPkt::parse(skb.head_data().get(off..)?)?;
    if !s.slaves.iter().any(|p| p.dev.mac() == Some(arp.mac_src)) {
        return None;
    }
    if dev.net().ip_dev_is_any_bridge(Ipv4Addr(arp.ip_src)) {
        return None;
    }
    if arp.op != rlb::ARPOP_REPLY && arp.op != rlb::ARPOP_REQUEST {
        return None;
    }
    let vlan = skb.vlan_tag().unwrap_or(0);
    let tx = {
        let mut st = b.alb.tx.lock();
        if st.gen != s.tlb_gen || !st.rlb_on {
            return None;
        }
        let r = st.rlb.as_mut()?;
        let c = r.choose_channel(&arp, vlan, &s.ports, s.active);
        if let Some(h) = c.update_now {
            update_client(s, r.entry(h));
        }
        if arp.op == rlb::ARPOP_REQUEST {
            r.update_delay = rlb::RLB_UPDATE_DELAY;
            let bond_addr = dev.mac();
            r.req_update_subnet_clients_by(&arp.ip_src, |id| {
                bond_addr.is_some()
                    && s.slaves.get(id as usize).and_then(|p| p.dev.mac()) == bond_addr
            });
        }
        c.port
    };
    if arp.op == rlb::ARPOP_REPLY {
        if let Some(mac) = tx.and_then(|i| s.slaves.get(i)).and_then(|p| p.dev.mac()) {
            if mac != arp.mac_src && !skb.write_at(off + 8, &mac) {
                return None;
            }
        }
    }
    tx
}

/// `rlb_arp_recv` (the receive handler's probe in balance-alb): an ARP
/// from a host removes the clients of its address learnt from another
/// hardware address; a reply from a client teaches its address.
pub(crate) fn arp_recv(b: &Bond, skb: &SkBuff) {
    if skb.protocol() != ETH_P_ARP {
        return;
    }
    let mut buf = [0u8; rlb::ARP_PKT_LEN];
    if !skb.copy_bits(0, &mut buf) {
        return;
    }
    let Some(arp) = ArpPkt::parse(&buf) else {
        return;
    };
    let mut st = b.alb.tx.lock();
    if !st.rlb_on {
        return;
    }
    if let Some(r) = st.rlb.as_mut() {
        r.purge_src_ip(&arp);
        if arp.op == rlb::ARPOP_REPLY {
            r.update_entry_from_arp(&arp);
        }
    }
}

/// `bond_tlb_xmit` / `bond_alb_xmit` (`bond_do_alb_xmit`).
pub(crate) fn xmit(dev: &Device<BondDriver>, mut skb: SkBuff, s: &Snapshot, tx: &XmitContext) {
    let b = dev.data();
    let dynamic = s.cfg.tlb_dynamic_lb;
    let chosen = if s.cfg.mode == Mode::Alb {
        alb_slave_get(dev, s, &mut skb)
    } else {
        tlb_slave_get(b, s, &mut skb)
    };
    let tx_slave = match chosen {
        Some(i) => Some(i),
        None => {
            if dynamic {
                if let Some(t) = b.alb.tx.lock().tlb.as_mut() {
                    t.count_unbalanced(skb.len(), true);
                }
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
                if let (Some(p), Some(t)) = (st.ports.get_mut(i), st.tlb.as_mut()) {
                    t.clear_port(p, false);
                }
            }
        }
    }
    dev.count_tx_dropped();
    skb.drop_reason(DropReason::NoLower);
}

/// The active slave leaves the promiscuous mode a disabled slave's
/// address put it in, after its timeout (needs RTNL, outside RCU: tried,
/// else at the next tick, as C).
fn rlb_promisc_tick(b: &Bond) {
    let due = {
        let mut st = b.alb.tx.lock();
        if !st.rlb_on || !st.primary_is_promisc {
            return;
        }
        st.promisc_timeout += 1;
        st.promisc_timeout >= rlb::RLB_PROMISC_TIMEOUT
    };
    if !due {
        return;
    }
    let Some(mut guard) = RtnlGuard::try_lock() else {
        return;
    };
    let rtnl = guard.token();
    let was = {
        let mut st = b.alb.tx.lock();
        st.promisc_timeout = 0;
        core::mem::replace(&mut st.primary_is_promisc, false)
    };
    if !was {
        return;
    }
    let curr = b.alb.curr.borrow(rtnl).ok().and_then(|c| c.clone());
    if let Some(c) = curr {
        let _ = c.dev.set_promiscuity(-1, rtnl);
    }
}

/// The receive balancing half of a monitor tick: clients are rebalanced
/// when ordered, and those to be told get their ARP replies once the
/// update delay has run out.
fn rlb_tick(b: &Bond, s: &Snapshot) {
    let mut st = b.alb.tx.lock();
    if st.gen != s.tlb_gen || !st.rlb_on {
        return;
    }
    let Some(r) = st.rlb.as_mut() else {
        return;
    };
    if r.rebalance_pending {
        r.rebalance_pending = false;
        r.rebalance(&s.ports);
    }
    if r.rx_ntt {
        if r.update_delay > 0 {
            r.update_delay -= 1;
        } else {
            let mut out = [0u8; rlb::RLB_HASH_TABLE_SIZE];
            let n = r.take_updates(&mut out);
            for &h in &out[..n] {
                update_client(s, r.entry(h));
            }
            if r.update_retry > 0 {
                r.update_retry -= 1;
            } else {
                r.rx_ntt = false;
            }
        }
    }
}

/// One tick of `bond_alb_monitor`: learning packets every `lp_interval`
/// seconds on every slave (with its own address), the rebalance every
/// 10 s, and balance-alb's clients.
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
                    // The active slave of balance-tlb announces the
                    // macvlans above too (C: `strict_match` off only for
                    // `curr_active_slave` without `rlb_enabled`).
                    let rlb_enabled = b.alb.tx.lock().rlb_enabled;
                    for (i, p) in s.slaves.iter().enumerate() {
                        if let Some(mac) = p.dev.mac() {
                            let strict = s.curr != Some(i) || rlb_enabled;
                            send_learning(dev.net_device(), &p.dev, &mac, strict);
                        }
                    }
                    b.alb.lp.store(0, Ordering::Relaxed);
                }
                if reb >= tlb::BOND_TLB_REBALANCE_TICKS {
                    let mut st = b.alb.tx.lock();
                    if st.gen == s.tlb_gen {
                        let st = &mut *st;
                        if let Some(t) = st.tlb.as_mut() {
                            t.rebalance(&mut st.ports, s.active);
                        }
                    }
                    b.alb.rebalance.store(0, Ordering::Relaxed);
                }
                rlb_tick(b, s);
            }
        }
    }
    rlb_promisc_tick(b);
    b.alb.work.rearm(ALB_PERIOD_MS);
}
