// SPDX-License-Identifier: GPL-2.0

//! A network of simulated 802.3ad bonds: bonds with any number of NICs,
//! NICs connected pairwise by cables, driven tick by tick.
//!
//! Each bond keeps its slaves as the crate's [`AdSlave`] slice, in the
//! order of C's slave list, and runs `bond_3ad_state_machine_handler()`
//! over it: the aggregator selection timer, then for each slave the
//! receive and periodic machines, `ad_port_selection_logic()`, the mux
//! (with its aggregator as [`mux_aggregator_view`] sees it), transmit and
//! churn machines. Frames go through the cable at the end of the sending
//! bond's tick; received ones go through `decode_frame()` to
//! `ad_rx_machine()` (or the marker responder) at once. The slaves' flags
//! follow the `bond_set_slave_*_flags()` helpers for mode 802.3ad, also on
//! the MII monitor's link changes (`bond_miimon_commit()`); enslaving and
//! releasing follow `bond_enslave()` and `__bond_release_one()`.

#![allow(dead_code)]

use lacp::aggregator::{
    ad_agg_selection_logic, ad_port_selection_logic, bond_3ad_handle_link_change,
    bond_3ad_set_carrier, bond_3ad_unbind_slave, get_active_agg, lag_ports, mux_aggregator_view,
    remove_slave, set_agg_ports_ready, AdSelect, AdSlave, AggSelection, Aggregator,
};
use lacp::mux::{MuxEnv, MuxState, SlaveAction, SlaveView};
use lacp::pdu::{decode_frame, marker_received, Marker, SlowPdu};
use lacp::periodic::PeriodicState;
use lacp::port::{BondParams, LinkInfo, PortState};
use lacp::rx::{ad_rx_machine, RxOutcome, RxState};
use lacp::state::*;
use lacp::tick;

/// A slave's bonding flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Slave {
    /// `bond_slave_state() == BOND_STATE_BACKUP`.
    pub backup: bool,
    pub inactive: bool,
    pub rx_disabled: bool,
}

impl Slave {
    /// The flag helpers of include/net/bonding.h in mode 802.3ad (not a
    /// load-balancing mode, `all_slaves_active` off).
    pub fn apply(&mut self, a: SlaveAction) {
        match a {
            SlaveAction::EnablePort => {
                self.backup = false;
                self.inactive = false;
                self.rx_disabled = false;
            }
            SlaveAction::DisablePort => {
                self.backup = true;
                self.inactive = true;
                self.rx_disabled = true;
            }
            SlaveAction::EnableCollecting => self.rx_disabled = false,
            SlaveAction::DisableDistributing => self.backup = true,
        }
    }

    /// Carries traffic both ways.
    pub fn enabled(&self) -> bool {
        !self.backup && !self.rx_disabled
    }
}

/// A network interface that may be enslaved.
#[derive(Clone, Debug)]
pub struct Nic {
    pub perm_mac: MacAddr,
    /// What the NIC reports; `link.up` is also carrier and running.
    pub link: LinkInfo,
}

/// The simulator's side of a slave (parallel to the bond's `ad`).
#[derive(Clone, Debug)]
pub struct SimSlave {
    /// The enslaved NIC.
    pub nic: usize,
    pub flags: Slave,
    /// Ticks this slave has run.
    pub ticks: u64,
    /// The last LACPDU the receive machine was given was our own.
    pub last_rx_loopback: bool,
    /// `AD_PORT_BEGIN` was set when the last tick started.
    pub began: bool,
}

/// One bond.
#[derive(Clone, Debug)]
pub struct Bond {
    /// The slaves' 802.3ad state, in slave list order.
    pub ad: Vec<AdSlave>,
    /// The simulator's state of the same slaves.
    pub sim: Vec<SimSlave>,
    pub nics: Vec<Nic>,
    pub params: BondParams,
    pub ad_select: AdSelect,
    pub min_links: u32,
    pub agg_select_timer: i32,
    pub system: AdSystem,
    /// `BOND_AD_INFO(bond).aggregator_identifier`.
    pub next_agg_id: u16,
    pub ticks: u64,
    /// Ticks at which a slave sent a LACPDU.
    pub sent: Vec<u64>,
    /// The bond's carrier (`bond_3ad_set_carrier()`).
    pub carrier: bool,
    /// Times C would rebuild the transmit slave array.
    pub slave_arr_updates: u32,
}

impl Bond {
    /// A bond of system `n` whose `nics` NICs (1 Gb/s, full duplex, up)
    /// are enslaved in order before the bond is opened (`bond_open()`
    /// sets the aggregator selection timer to 1).
    pub fn new(n: u8, nics: usize, params: BondParams, ad_select: AdSelect) -> Bond {
        let system = AdSystem {
            sys_priority: 0xffff,
            sys_mac_addr: [0x02, 0, 0, 0, 0, n],
        };
        let mut b = Bond {
            ad: Vec::new(),
            sim: Vec::new(),
            nics: (0..nics)
                .map(|k| Nic {
                    perm_mac: [0x02, 0, 0, n, 1, k as u8],
                    link: LinkInfo::full(1000),
                })
                .collect(),
            params,
            ad_select,
            min_links: 0,
            agg_select_timer: 0,
            system,
            next_agg_id: 0,
            ticks: 0,
            sent: Vec::new(),
            carrier: false,
            slave_arr_updates: 0,
        };
        for k in 0..nics {
            b.enslave(k);
        }
        b.agg_select_timer = 1;
        b
    }

    /// The index of the slave on NIC `nic`.
    pub fn slave_of(&self, nic: usize) -> Option<usize> {
        self.sim.iter().position(|s| s.nic == nic)
    }

    /// The port of the slave on NIC `nic` (which must be enslaved).
    pub fn port(&self, nic: usize) -> &PortState {
        &self.ad[self.slave_of(nic).expect("not enslaved")].port
    }

    /// The aggregator the port on NIC `nic` is attached to.
    pub fn agg_of(&self, nic: usize) -> Option<&Aggregator> {
        let a = self.ad.get(self.slave_of(nic)?)?.port_aggregator?;
        self.ad.get(a).map(|s| &s.aggregator)
    }

    /// The flags of the slave on NIC `nic`.
    pub fn flags(&self, nic: usize) -> Slave {
        self.sim[self.slave_of(nic).expect("not enslaved")].flags
    }

    /// The NICs on each non-empty aggregator, sorted (the active one's
    /// group first).
    pub fn groups(&self) -> Vec<Vec<usize>> {
        let mut g: Vec<(bool, Vec<usize>)> = (0..self.ad.len())
            .filter(|&a| self.ad[a].aggregator.lag_ports.is_some())
            .map(|a| {
                let mut v: Vec<usize> = lag_ports(&self.ad, a).map(|i| self.sim[i].nic).collect();
                v.sort();
                (!self.ad[a].aggregator.is_active, v)
            })
            .collect();
        g.sort();
        g.into_iter().map(|(_, v)| v).collect()
    }

    /// The NICs on the active aggregator, sorted.
    pub fn active_nics(&self) -> Vec<usize> {
        let Some(a) = get_active_agg(&self.ad) else {
            return Vec::new();
        };
        let mut v: Vec<usize> = lag_ports(&self.ad, a).map(|i| self.sim[i].nic).collect();
        v.sort();
        v
    }

    /// The NICs whose slave carries traffic, sorted.
    pub fn enabled_nics(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .sim
            .iter()
            .filter(|s| s.flags.enabled())
            .map(|s| s.nic)
            .collect();
        v.sort();
        v
    }

    /// Applies what a run of the aggregator selection did to the slaves,
    /// then `bond_3ad_set_carrier()`.
    fn apply_selection(&mut self, sel: &AggSelection, count_arr: bool) {
        let acts: Vec<(usize, SlaveAction)> = sel.actions(&self.ad).collect();
        for (i, a) in acts {
            if let Some(s) = self.sim.get_mut(i) {
                s.flags.apply(a);
            }
        }
        if count_arr && sel.update_slave_arr {
            self.slave_arr_updates += 1;
        }
        self.carrier = bond_3ad_set_carrier(&self.ad, self.min_links).unwrap_or(false);
    }

    /// `bond_enslave()` of NIC `nic` in mode 802.3ad: the slave is
    /// disabled, numbered after the last slave (1 for the first, which
    /// also runs `bond_3ad_initialize()`) and bound.
    pub fn enslave(&mut self, nic: usize) {
        if self.slave_of(nic).is_some() || nic >= self.nics.len() {
            return;
        }
        let id = match self.ad.last() {
            None => {
                self.next_agg_id = 0;
                self.agg_select_timer = (AD_AGGREGATOR_SELECTION_TIMER * AD_TICKS_PER_SEC) as i32;
                1
            }
            Some(last) => last.port.actor_port_number + 1,
        };
        let link = self.nics[nic].link;
        let s = AdSlave::bind(
            &self.params,
            id,
            0,
            link,
            link.up,
            &self.system,
            self.system.sys_mac_addr,
            &mut self.next_agg_id,
        );
        let mut flags = Slave::default();
        flags.apply(SlaveAction::DisablePort);
        self.ad.push(s);
        self.sim.push(SimSlave {
            nic,
            flags,
            ticks: 0,
            last_rx_loopback: false,
            began: false,
        });
    }

    /// `__bond_release_one()` of the slave on NIC `nic`:
    /// `bond_3ad_unbind_slave()`, the slave leaves the list, the slave
    /// array is rebuilt. The LACPDU the unbinding sends, if any.
    pub fn release(&mut self, nic: usize) -> Option<Vec<u8>> {
        let i = self.slave_of(nic)?;
        let u = bond_3ad_unbind_slave(&mut self.ad, i, self.ad_select)?;
        if let Some(sel) = u.selection {
            self.apply_selection(&sel, false);
        }
        assert!(remove_slave(&mut self.ad, i));
        self.ad.pop();
        self.sim.remove(i);
        self.slave_arr_updates += 1;
        self.carrier = bond_3ad_set_carrier(&self.ad, self.min_links).unwrap_or(false);
        Some(u.lacpdu.encode_frame(&self.nics[nic].perm_mac).to_vec())
    }

    /// One run of `bond_3ad_state_machine_handler()`; the frames sent, by
    /// NIC.
    pub fn tick(&mut self) -> Vec<(usize, Vec<u8>)> {
        self.ticks += 1;
        let mut frames = Vec::new();
        if self.ad.is_empty() {
            return frames;
        }
        if tick::agg_timer_advance(&mut self.agg_select_timer) {
            let sel = ad_agg_selection_logic(&mut self.ad, self.ad_select);
            self.apply_selection(&sel, true);
        }
        for i in 0..self.ad.len() {
            self.sim[i].ticks += 1;
            self.sim[i].began = self.ad[i].port.has(AD_PORT_BEGIN);
            tick::before_selection(&mut self.ad[i].port);
            let ps = ad_port_selection_logic(&mut self.ad, i, self.ad_select);
            if let Some(sel) = ps.selection {
                self.apply_selection(&sel, true);
            }
            let flags = self.sim[i].flags;
            let env = MuxEnv {
                aggregator: mux_aggregator_view(&self.ad, i),
                agg_select_timer: self.agg_select_timer != 0,
                coupled_control: self.params.coupled_control,
                slave: SlaveView {
                    link_up: self.ad[i].slave_up(),
                    active: !flags.backup,
                    rx_disabled: flags.rx_disabled,
                },
            };
            let out = tick::after_selection(&mut self.ad[i].port, &env);
            for a in out.mux.actions.iter() {
                self.sim[i].flags.apply(a);
            }
            if out.mux.update_slave_arr {
                self.slave_arr_updates += 1;
            }
            if let (Some(v), Some(a)) = (out.mux.agg_ready, self.ad[i].port_aggregator) {
                set_agg_ports_ready(&mut self.ad, a, v);
            }
            if let Some(pdu) = out.lacpdu {
                self.sent.push(self.ticks);
                let nic = self.sim[i].nic;
                frames.push((nic, pdu.encode_frame(&self.nics[nic].perm_mac).to_vec()));
            }
        }
        frames
    }

    /// `bond_3ad_lacpdu_recv()` on NIC `nic`; a Marker response to send
    /// back, if any. Frames to a NIC that is not enslaved are ignored.
    pub fn receive(&mut self, nic: usize, frame: &[u8]) -> Option<Vec<u8>> {
        let i = self.slave_of(nic)?;
        match decode_frame(frame) {
            Ok(SlowPdu::Lacpdu(p)) => {
                let o = ad_rx_machine(Some(&p), &mut self.ad[i].port);
                self.sim[i].last_rx_loopback = o == RxOutcome::Loopback;
                None
            }
            Ok(SlowPdu::Marker(m)) => {
                marker_received(&m).map(|r| r.encode_frame(&self.nics[nic].perm_mac).to_vec())
            }
            Err(_) => None,
        }
    }

    /// NIC `nic`'s link goes up or down, and the MII monitor commits it:
    /// the slave's flags (`bond_set_slave_inactive_flags()` when down,
    /// `bond_set_backup_slave()` when up), then
    /// `bond_3ad_handle_link_change()` and the slave array.
    pub fn set_link(&mut self, nic: usize, up: bool) {
        let Some(n) = self.nics.get_mut(nic) else {
            return;
        };
        if n.link.up == up {
            // The MII monitor commits changes only.
            return;
        }
        n.link.up = up;
        let link = n.link;
        let Some(i) = self.slave_of(nic) else {
            return;
        };
        self.ad[i].link = link;
        self.ad[i].dev_up = up;
        if up {
            self.sim[i].flags.backup = true;
        } else {
            self.sim[i].flags.apply(SlaveAction::DisablePort);
        }
        if let Some(c) = bond_3ad_handle_link_change(&mut self.ad, i, up, self.ad_select) {
            self.apply_selection(&c.selection, false);
        }
        self.slave_arr_updates += 1;
    }

    /// `bond_3ad_adapter_speed_duplex_changed()` on NIC `nic`.
    pub fn set_speed(&mut self, nic: usize, speed: u32, full_duplex: bool) {
        let Some(n) = self.nics.get_mut(nic) else {
            return;
        };
        n.link.speed = speed;
        n.link.full_duplex = full_duplex;
        let link = n.link;
        if let Some(i) = self.slave_of(nic) {
            self.ad[i].link = link;
            self.ad[i].port.speed_duplex_changed(&link);
        }
    }

    /// `lacp_rate` option.
    pub fn set_fast(&mut self, fast: bool) {
        self.params.lacp_fast = fast;
        for s in &mut self.ad {
            s.port.update_lacp_rate(fast);
        }
    }

    /// `lacp_active` option.
    pub fn set_active(&mut self, active: bool) {
        self.params.lacp_active = active;
        for s in &mut self.ad {
            s.port.update_lacp_active(active);
        }
    }

    /// The port of slave `i` aggregates and its slave carries traffic both
    /// ways: the mux machine's final state, the actor collecting,
    /// distributing and in sync, the partner (as last heard) in sync and
    /// collecting, the slave fully enabled.
    ///
    /// The partner's DISTRIBUTING bit is not required: the DISTRIBUTING
    /// entry of a decoupled partner does not set ntt (C), so without
    /// periodic LACPDUs (both ends passive) we may not hear of it.
    pub fn slave_converged(&self, i: usize) -> bool {
        let want = if self.params.coupled_control {
            MuxState::CollectingDistributing
        } else {
            MuxState::Distributing
        };
        let p = &self.ad[i].port;
        let cd = LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING | LACP_STATE_SYNCHRONIZATION;
        let sc = (LACP_STATE_COLLECTING | LACP_STATE_SYNCHRONIZATION) as u16;
        p.sm_mux_state == want
            && p.actor_oper_port_state & cd == cd
            && p.partner_oper.port_state & sc == sc
            && self.sim[i].flags.enabled()
    }

    /// Every slave has converged (and there is one).
    pub fn converged(&self) -> bool {
        !self.ad.is_empty() && (0..self.ad.len()).all(|i| self.slave_converged(i))
    }
}

/// One end of a cable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct End {
    pub bond: usize,
    pub nic: usize,
}

/// A cable between two NICs.
#[derive(Clone, Debug)]
pub struct Cable {
    pub ends: [End; 2],
    /// Frames still to be lost on their way to end `i`.
    pub drop: [u32; 2],
    /// Frames delivered to end `i`.
    pub delivered: [u32; 2],
}

/// A cable between `(bond, nic)` and `(bond, nic)`.
pub type CableSpec = ((usize, usize), (usize, usize));

/// Bonds and the cables between their NICs.
#[derive(Clone, Debug)]
pub struct Net {
    pub bonds: Vec<Bond>,
    pub cables: Vec<Cable>,
}

impl Net {
    /// `bonds` with cables between the `(bond, nic)` pairs of `cables`.
    pub fn new(bonds: Vec<Bond>, cables: &[CableSpec]) -> Net {
        let cables = cables
            .iter()
            .map(|&((b0, n0), (b1, n1))| Cable {
                ends: [End { bond: b0, nic: n0 }, End { bond: b1, nic: n1 }],
                drop: [0, 0],
                delivered: [0, 0],
            })
            .collect();
        Net { bonds, cables }
    }

    /// Two single-slave bonds connected back to back.
    pub fn pair(a: BondParams, b: BondParams) -> Net {
        Net::parallel(1, a, b, AdSelect::Stable)
    }

    /// Two bonds of `n` slaves, NIC `i` of one cabled to NIC `i` of the
    /// other.
    pub fn parallel(n: usize, a: BondParams, b: BondParams, mode: AdSelect) -> Net {
        let cables: Vec<_> = (0..n).map(|i| ((0, i), (1, i))).collect();
        Net::new(
            vec![Bond::new(1, n, a, mode), Bond::new(2, n, b, mode)],
            &cables,
        )
    }

    /// The cable at `(bond, nic)` and which of its ends that is.
    fn cable_at(&self, bond: usize, nic: usize) -> Option<(usize, usize)> {
        self.cables.iter().enumerate().find_map(|(c, cab)| {
            cab.ends
                .iter()
                .position(|e| *e == End { bond, nic })
                .map(|end| (c, end))
        })
    }

    fn link_up(&self, e: End) -> bool {
        self.bonds[e.bond].nics[e.nic].link.up
    }

    /// Frames flow only while both ends see their link up.
    pub fn carries(&self, c: usize) -> bool {
        let cab = &self.cables[c];
        self.link_up(cab.ends[0]) && self.link_up(cab.ends[1])
    }

    /// Sends `frame` out of `(bond, nic)`; Marker responses come back at
    /// once. A NIC without a cable talks to no one.
    pub fn send(&mut self, bond: usize, nic: usize, frame: &[u8]) {
        let Some((c, end)) = self.cable_at(bond, nic) else {
            return;
        };
        if !self.carries(c) {
            return;
        }
        let to = 1 - end;
        if self.cables[c].drop[to] > 0 {
            self.cables[c].drop[to] -= 1;
            return;
        }
        self.cables[c].delivered[to] += 1;
        let e = self.cables[c].ends[to];
        if let Some(resp) = self.bonds[e.bond].receive(e.nic, frame) {
            self.send(e.bond, e.nic, &resp);
        }
    }

    /// One tick of bond `b`.
    pub fn tick_one(&mut self, b: usize) {
        let _ = self.tick_one_checked(b, |_| Ok(()));
    }

    /// One tick of bond `b`, running `check` on it before the frames it
    /// sent go out (a bond may be cabled to itself).
    pub fn tick_one_checked(
        &mut self,
        b: usize,
        check: impl Fn(&Bond) -> Result<(), String>,
    ) -> Result<(), String> {
        let frames = self.bonds[b].tick();
        let r = check(&self.bonds[b]);
        for (nic, f) in frames {
            self.send(b, nic, &f);
        }
        r
    }

    /// One tick of every bond, in order.
    pub fn tick(&mut self) {
        for b in 0..self.bonds.len() {
            self.tick_one(b);
        }
    }

    pub fn run(&mut self, n: usize) {
        for _ in 0..n {
            self.tick();
        }
    }

    /// Ticks until `done`, at most `max`; the ticks it took.
    pub fn run_until(&mut self, max: usize, done: impl Fn(&Net) -> bool) -> Option<usize> {
        for t in 1..=max {
            self.tick();
            if done(self) {
                return Some(t);
            }
        }
        None
    }

    /// Ticks until every bond has converged, at most `max`.
    pub fn run_until_converged(&mut self, max: usize) -> Option<usize> {
        self.run_until(max, |n| n.bonds.iter().all(Bond::converged))
    }

    /// Sends a Marker information PDU from `(bond, nic)` and returns the
    /// response the other end sends back.
    pub fn marker_roundtrip(&mut self, bond: usize, nic: usize, m: &Marker) -> Option<Vec<u8>> {
        let f = m.encode_frame(&self.bonds[bond].nics[nic].perm_mac);
        let (c, end) = self.cable_at(bond, nic)?;
        if !self.carries(c) {
            return None;
        }
        let e = self.cables[c].ends[1 - end];
        self.bonds[e.bond].receive(e.nic, &f)
    }

    /// Cable `c` is plugged or unplugged: both ends see it.
    pub fn set_cable(&mut self, c: usize, up: bool) {
        for e in self.cables[c].ends {
            self.bonds[e.bond].set_link(e.nic, up);
        }
    }

    /// Every cable is plugged or unplugged.
    pub fn set_cables(&mut self, up: bool) {
        for c in 0..self.cables.len() {
            self.set_cable(c, up);
        }
    }

    /// `(bond, nic)` is released from its bond; the LACPDU it sends on the
    /// way out goes through the cable.
    pub fn release(&mut self, bond: usize, nic: usize) {
        if let Some(f) = self.bonds[bond].release(nic) {
            self.send(bond, nic, &f);
        }
    }
}

/// Invariants of every port of `b` that hold between any two events,
/// from the C code:
///
/// * mux and actor bits: DETACHED/WAITING/ATTACHED never collect or
///   distribute (entering DETACHED or ATTACHED clears both bits, WAITING is
///   only entered from DETACHED, and only the COLLECTING, DISTRIBUTING and
///   COLLECTING_DISTRIBUTING entries set them); COLLECTING collects but
///   does not distribute; DISTRIBUTING and COLLECTING_DISTRIBUTING do
///   both; all three are in sync (their entries set it, and the only other
///   writer, the selection logic, runs in the same tick before the mux
///   machine, which then leaves on lost sync);
/// * receive machine: EXPIRED has the EXPIRED bit, the partner out of
///   sync with the short timeout, and at most 30 ticks to go; DEFAULTED has
///   the DEFAULTED bit and the admin partner; CURRENT reached by a LACPDU
///   that was not our own has neither bit and 1..=900 ticks to go;
///   PORT_DISABLED is unmatched with the partner out of sync;
///   LACP_DISABLED is matched with a non-aggregating partner; past the
///   slave's first tick the machine is never in DUMMY or INITIALIZE;
/// * periodic timer: 0 in NO_PERIODIC and PERIODIC_TX, <= 9 in
///   FAST_PERIODIC, <= 299 in SLOW_PERIODIC;
/// * the tx timer runs free in 1..=3;
/// * a CHURN state has been counted; churn timers are <= 600.
pub fn check_always(b: &Bond) -> Result<(), String> {
    for i in 0..b.ad.len() {
        check_port_always(b, i).map_err(|e| format!("nic {}: {e}", b.sim[i].nic))?;
    }
    Ok(())
}

fn check_port_always(b: &Bond, i: usize) -> Result<(), String> {
    let p = &b.ad[i].port;
    let s = &b.sim[i];
    let st = p.actor_oper_port_state;
    let c = st & LACP_STATE_COLLECTING != 0;
    let d = st & LACP_STATE_DISTRIBUTING != 0;
    let sync = st & LACP_STATE_SYNCHRONIZATION != 0;
    let ok = match p.sm_mux_state {
        MuxState::Dummy | MuxState::Detached | MuxState::Waiting | MuxState::Attached => !c && !d,
        MuxState::Collecting => c && !d && sync,
        MuxState::Distributing | MuxState::CollectingDistributing => c && d && sync,
    };
    if !ok {
        return Err(format!("mux {:?} with actor state {st:#x}", p.sm_mux_state));
    }

    let partner = p.partner_oper.port_state;
    let ok = match p.sm_rx_state {
        RxState::Expired => {
            st & LACP_STATE_EXPIRED != 0
                && partner & LACP_STATE_SYNCHRONIZATION as u16 == 0
                && partner & LACP_STATE_LACP_TIMEOUT as u16 != 0
                && p.sm_rx_timer_counter <= 30
        }
        RxState::Defaulted => {
            st & LACP_STATE_DEFAULTED != 0
                && st & LACP_STATE_EXPIRED == 0
                && p.partner_oper == p.partner_admin
        }
        RxState::Current => {
            s.last_rx_loopback
                || (st & (LACP_STATE_DEFAULTED | LACP_STATE_EXPIRED) == 0
                    && (1..=900).contains(&p.sm_rx_timer_counter))
        }
        RxState::PortDisabled => {
            !p.has(AD_PORT_MATCHED) && partner & LACP_STATE_SYNCHRONIZATION as u16 == 0
        }
        RxState::LacpDisabled => {
            p.has(AD_PORT_MATCHED)
                && partner & LACP_STATE_AGGREGATION as u16 == 0
                && st & LACP_STATE_EXPIRED == 0
        }
        RxState::Dummy | RxState::Initialize => s.ticks == 0,
    };
    if !ok {
        return Err(format!(
            "rx {:?} with actor state {st:#x}, partner {:?}, timer {}, vars {:#x}",
            p.sm_rx_state, p.partner_oper, p.sm_rx_timer_counter, p.sm_vars
        ));
    }

    let t = p.sm_periodic_timer_counter;
    let ok = match p.sm_periodic_state {
        PeriodicState::Dummy => s.ticks == 0,
        PeriodicState::NoPeriodic | PeriodicState::PeriodicTx => t == 0,
        PeriodicState::FastPeriodic => t <= 9,
        PeriodicState::SlowPeriodic => t <= 299,
    };
    if !ok {
        return Err(format!("periodic {:?} timer {t}", p.sm_periodic_state));
    }
    if !(1..=3).contains(&p.sm_tx_timer_counter) {
        return Err(format!("tx timer {}", p.sm_tx_timer_counter));
    }
    use lacp::churn::ChurnState;
    if (p.sm_churn_actor_state == ChurnState::Churn && p.churn_actor_count == 0)
        || (p.sm_churn_partner_state == ChurnState::Churn && p.churn_partner_count == 0)
        || p.sm_churn_actor_timer_counter > 600
        || p.sm_churn_partner_timer_counter > 600
    {
        return Err(format!("churn {p:?}"));
    }
    Ok(())
}

/// Invariants of every port of `b` right after the bond's own tick
/// (before anything is received; see [`Net::tick_one_checked`]):
///
/// * COLLECTING_DISTRIBUTING and DISTRIBUTING are left (to ATTACHED, resp.
///   COLLECTING) as soon as the port is unselected or either end loses
///   sync, so after the mux machine has run they imply selected and both
///   in sync (and, for DISTRIBUTING, a collecting partner); COLLECTING
///   does not, because it is entered from DISTRIBUTING precisely when one
///   of these fails;
/// * the periodic machine is in NO_PERIODIC when the port is disabled, has
///   LACP off, or both ends are passive, and out of it otherwise unless it
///   was beginning;
/// * `AD_PORT_BEGIN` and `AD_PORT_CHURNED` are cleared (by the handler and
///   the churn machine, which run last).
pub fn check_after_tick(b: &Bond) -> Result<(), String> {
    for i in 0..b.ad.len() {
        check_port_after_tick(b, i).map_err(|e| format!("nic {}: {e}", b.sim[i].nic))?;
    }
    Ok(())
}

fn check_port_after_tick(b: &Bond, i: usize) -> Result<(), String> {
    let p = &b.ad[i].port;
    let sel = p.has(AD_PORT_SELECTED);
    let psync = p.partner_oper.state_has(LACP_STATE_SYNCHRONIZATION);
    let async_ = p.actor_has(LACP_STATE_SYNCHRONIZATION);
    let pcoll = p.partner_oper.state_has(LACP_STATE_COLLECTING);
    let ok = match p.sm_mux_state {
        MuxState::CollectingDistributing => sel && psync && async_,
        MuxState::Distributing => sel && psync && async_ && pcoll,
        _ => true,
    };
    if !ok {
        return Err(format!(
            "mux {:?}: selected {sel} partner sync {psync} actor sync {async_}",
            p.sm_mux_state
        ));
    }
    let quiet = !p.has(AD_PORT_LACP_ENABLED)
        || !p.is_enabled
        || (!p.actor_has(LACP_STATE_LACP_ACTIVITY)
            && !p.partner_oper.state_has(LACP_STATE_LACP_ACTIVITY));
    let np = p.sm_periodic_state == PeriodicState::NoPeriodic;
    let began = b.sim[i].began;
    if (quiet && !np) || (!quiet && np && !began) {
        return Err(format!(
            "periodic {:?} with quiet {quiet} (began {began})",
            p.sm_periodic_state
        ));
    }
    if p.sm_vars & (AD_PORT_BEGIN | AD_PORT_CHURNED) != 0 {
        return Err(format!("vars {:#x} after a tick", p.sm_vars));
    }
    Ok(())
}

/// The aggregator bookkeeping of `b`, between any two events:
///
/// * every entry is bound (the simulator drops released ones);
/// * at most one aggregator is active;
/// * each aggregator's list has `num_of_ports` ports, each of which points
///   back at it with its identifier, and no other port points at it;
/// * no port is on two lists, and a selected port is on one;
/// * an aggregator without ports is cleared (so not active);
/// * when `settled` (right after the bond's tick, in which every port ran
///   the selection logic), every port is on exactly one list.
pub fn check_aggregators(b: &Bond, settled: bool) -> Result<(), String> {
    let ad = &b.ad;
    if ad.iter().any(|s| !s.bound) {
        return Err("unbound entry".into());
    }
    let active = ad.iter().filter(|s| s.aggregator.is_active).count();
    if active > 1 {
        return Err(format!("{active} active aggregators"));
    }
    let mut on = vec![0u32; ad.len()];
    for (a, s) in ad.iter().enumerate() {
        let g = &s.aggregator;
        let list: Vec<usize> = lag_ports(ad, a).collect();
        for &q in &list {
            on[q] += 1;
            if ad[q].port_aggregator != Some(a)
                || ad[q].port.actor_port_aggregator_identifier != g.aggregator_identifier
            {
                return Err(format!("port {q} on aggregator {a} points elsewhere"));
            }
        }
        let pointing = ad.iter().filter(|q| q.port_aggregator == Some(a)).count();
        if list.len() != g.num_of_ports as usize || pointing != list.len() {
            return Err(format!(
                "aggregator {a}: list {list:?}, num_of_ports {}, {pointing} pointing",
                g.num_of_ports
            ));
        }
        if list.is_empty() {
            let cleared = Aggregator {
                aggregator_identifier: g.aggregator_identifier,
                aggregator_mac_address: g.aggregator_mac_address,
                ..Aggregator::ZERO
            };
            if *g != cleared {
                return Err(format!("empty aggregator {a} not cleared: {g:?}"));
            }
        }
    }
    for (q, &n) in on.iter().enumerate() {
        let selected = ad[q].port.has(AD_PORT_SELECTED);
        if n > 1 || (selected && n != 1) || (settled && n != 1) {
            return Err(format!(
                "port {q} on {n} lists (selected {selected}, settled {settled})"
            ));
        }
    }
    Ok(())
}

/// [`check_after_tick`] and the settled [`check_aggregators`].
pub fn check_tick(b: &Bond) -> Result<(), String> {
    check_after_tick(b)?;
    check_aggregators(b, true)
}
