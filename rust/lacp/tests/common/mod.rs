// SPDX-License-Identifier: GPL-2.0

//! A two-bond simulator: two single-slave 802.3ad bonds whose slaves are
//! connected back to back, driven tick by tick.
//!
//! Each side runs the crate's machines in the order of
//! `bond_3ad_state_machine_handler()`; received frames go through
//! `decode_frame()` to `ad_rx_machine()` (or the marker responder) at once.
//! The selection logic, which the crate does not have yet, is a faithful
//! reduction of `ad_port_selection_logic()` and `ad_agg_selection_logic()`
//! to a bond with one slave and one aggregator; the slave's flags follow
//! the `bond_set_slave_*_flags()` helpers for mode 802.3ad.

#![allow(dead_code)]

use lacp::mux::{AggregatorView, MuxEnv, MuxState, SlaveAction, SlaveView};
use lacp::pdu::{decode_frame, marker_received, Marker, SlowPdu};
use lacp::periodic::PeriodicState;
use lacp::port::{BondParams, LinkInfo, PortState};
use lacp::rx::{ad_rx_machine, RxOutcome, RxState};
use lacp::state::*;
use lacp::tick;

/// The bond's only aggregator (`struct aggregator`, the fields the
/// selection logic uses).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Agg {
    pub id: u16,
    /// `lag_ports != NULL` (the port is attached).
    pub attached: bool,
    pub is_individual: bool,
    pub actor_admin_key: u16,
    pub actor_oper_key: u16,
    pub partner_system: MacAddr,
    pub partner_system_priority: u16,
    pub partner_key: u16,
    pub is_active: bool,
}

impl Agg {
    pub fn has_partner(&self) -> bool {
        !is_zero_mac(&self.partner_system)
    }
}

/// The slave's bonding flags.
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
}

/// One bond with one slave.
#[derive(Clone, Debug)]
pub struct Side {
    pub port: PortState,
    pub agg: Agg,
    pub slave: Slave,
    pub params: BondParams,
    /// What the NIC reports; `link.up` is also carrier and running.
    pub link: LinkInfo,
    pub agg_select_timer: i32,
    pub perm_mac: MacAddr,
    pub system: AdSystem,
    /// Ticks this side has run.
    pub ticks: u64,
    /// Ticks at which this side sent a LACPDU.
    pub sent: Vec<u64>,
    /// The last LACPDU the receive machine was given was our own.
    pub last_rx_loopback: bool,
    /// `AD_PORT_BEGIN` was set when the last tick started.
    pub began: bool,
}

impl Side {
    /// `bond_3ad_bind_slave()` and `bond_open()` (which sets the
    /// aggregator selection timer to 1).
    pub fn new(n: u8, params: BondParams) -> Side {
        let system = AdSystem {
            sys_priority: 0xffff,
            sys_mac_addr: [0x02, 0, 0, 0, 0, n],
        };
        let link = LinkInfo::full(1000);
        let port = PortState::bind(&params, 1, 0, &link, &system);
        let mut slave = Slave::default();
        slave.apply(SlaveAction::DisablePort);
        Side {
            port,
            agg: Agg {
                id: 1,
                ..Agg::default()
            },
            slave,
            params,
            link,
            agg_select_timer: 1,
            perm_mac: [0x02, 0, 0, 0, 1, n],
            system,
            ticks: 0,
            sent: Vec::new(),
            last_rx_loopback: false,
            began: false,
        }
    }

    /// `slave->link == BOND_LINK_UP && bond_slave_is_up(slave)`.
    fn slave_up(&self) -> bool {
        self.link.up
    }

    /// `ad_agg_selection_logic()` for one aggregator.
    pub fn agg_selection(&mut self) {
        let device_up = self.agg.attached && self.link.up;
        let active_ports = self.agg.attached && self.port.is_enabled;
        let was_active = self.agg.is_active;
        // best = the active one if its device is up, then any aggregator
        // with active ports and device up; the single one gets is_active.
        self.agg.is_active = device_up && (was_active || active_ports);
        if self.agg.is_active && !self.agg.has_partner() && self.agg.attached && self.slave_up() {
            self.slave.apply(SlaveAction::EnablePort);
        }
    }

    /// `ad_port_selection_logic()` for one port and one aggregator.
    pub fn port_selection(&mut self) {
        if self.port.has(AD_PORT_SELECTED) {
            return;
        }
        if self.agg.attached {
            // Detach; the aggregator is now empty: ad_clear_agg().
            self.port.actor_port_aggregator_identifier = 0;
            self.agg = Agg {
                id: self.agg.id,
                ..Agg::default()
            };
        }
        // The only aggregator is free: attach the port to it.
        let p = &mut self.port;
        p.actor_port_aggregator_identifier = self.agg.id;
        self.agg.is_individual = p.actor_oper_port_key & AD_DUPLEX_KEY_MASKS == 0;
        self.agg.actor_admin_key = p.actor_admin_port_key;
        self.agg.actor_oper_key = p.actor_oper_port_key;
        self.agg.partner_system = p.partner_oper.system;
        self.agg.partner_system_priority = p.partner_oper.system_priority;
        self.agg.partner_key = p.partner_oper.key;
        self.agg.attached = true;
        p.sm_vars |= AD_PORT_SELECTED;
        if p.has(AD_PORT_READY_N) {
            p.sm_vars |= AD_PORT_READY;
        } else {
            p.sm_vars &= !AD_PORT_READY;
        }
        self.agg_selection();
        if !self.agg.is_active {
            self.port.actor_oper_port_state &= !LACP_STATE_SYNCHRONIZATION;
        }
    }

    pub fn mux_env(&self) -> MuxEnv {
        MuxEnv {
            aggregator: self.agg.attached.then(|| AggregatorView {
                is_active: self.agg.is_active,
                has_partner: self.agg.has_partner(),
                others_ready_n: true,
            }),
            agg_select_timer: self.agg_select_timer != 0,
            coupled_control: self.params.coupled_control,
            slave: SlaveView {
                link_up: self.slave_up(),
                active: !self.slave.backup,
                rx_disabled: self.slave.rx_disabled,
            },
        }
    }

    /// One run of `bond_3ad_state_machine_handler()`; the frame sent.
    pub fn tick(&mut self) -> Option<Vec<u8>> {
        self.ticks += 1;
        self.began = self.port.has(AD_PORT_BEGIN);
        if tick::agg_timer_advance(&mut self.agg_select_timer) {
            self.agg_selection();
        }
        tick::before_selection(&mut self.port);
        self.port_selection();
        let env = self.mux_env();
        let out = tick::after_selection(&mut self.port, &env);
        for a in out.mux.actions.iter() {
            self.slave.apply(a);
        }
        let pdu = out.lacpdu?;
        self.sent.push(self.ticks);
        Some(pdu.encode_frame(&self.perm_mac).to_vec())
    }

    /// `bond_3ad_lacpdu_recv()`; a Marker response to send back, if any.
    pub fn receive(&mut self, frame: &[u8]) -> Option<Vec<u8>> {
        match decode_frame(frame) {
            Ok(SlowPdu::Lacpdu(p)) => {
                let o = ad_rx_machine(Some(&p), &mut self.port);
                self.last_rx_loopback = o == RxOutcome::Loopback;
                None
            }
            Ok(SlowPdu::Marker(m)) => {
                marker_received(&m).map(|r| r.encode_frame(&self.perm_mac).to_vec())
            }
            Err(_) => None,
        }
    }

    /// `bond_3ad_handle_link_change()`.
    pub fn set_link(&mut self, up: bool) {
        self.link.up = up;
        self.port.link_change(up, &self.link);
        self.agg_selection();
    }

    /// `bond_3ad_adapter_speed_duplex_changed()`.
    pub fn set_speed(&mut self, speed: u32, full_duplex: bool) {
        self.link.speed = speed;
        self.link.full_duplex = full_duplex;
        self.port.speed_duplex_changed(&self.link);
    }

    /// `lacp_rate` option.
    pub fn set_fast(&mut self, fast: bool) {
        self.params.lacp_fast = fast;
        self.port.update_lacp_rate(fast);
    }

    /// `lacp_active` option.
    pub fn set_active(&mut self, active: bool) {
        self.params.lacp_active = active;
        self.port.update_lacp_active(active);
    }

    /// The port aggregates and its slave carries traffic both ways: the
    /// mux machine's final state, the actor collecting, distributing and in
    /// sync, the partner (as last heard) in sync and collecting, the slave
    /// fully enabled.
    ///
    /// The partner's DISTRIBUTING bit is not required: the DISTRIBUTING
    /// entry of a decoupled partner does not set ntt (C), so without
    /// periodic LACPDUs (both ends passive) we may not hear of it.
    pub fn converged(&self) -> bool {
        let want = if self.params.coupled_control {
            MuxState::CollectingDistributing
        } else {
            MuxState::Distributing
        };
        let cd = LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING | LACP_STATE_SYNCHRONIZATION;
        let sc = (LACP_STATE_COLLECTING | LACP_STATE_SYNCHRONIZATION) as u16;
        self.port.sm_mux_state == want
            && self.port.actor_oper_port_state & cd == cd
            && self.port.partner_oper.port_state & sc == sc
            && !self.slave.backup
            && !self.slave.rx_disabled
    }
}

/// Two sides and the cable between them.
#[derive(Clone, Debug)]
pub struct Wire {
    pub sides: [Side; 2],
    /// Frames still to be lost on their way to side `i`.
    pub drop: [u32; 2],
    /// Frames delivered to side `i`.
    pub delivered: [u32; 2],
}

impl Wire {
    pub fn new(a: BondParams, b: BondParams) -> Wire {
        Wire {
            sides: [Side::new(1, a), Side::new(2, b)],
            drop: [0, 0],
            delivered: [0, 0],
        }
    }

    /// Frames flow only while both ends see their link up.
    fn carries(&self) -> bool {
        self.sides[0].link.up && self.sides[1].link.up
    }

    /// Delivers `frame` to side `to`; Marker responses go back at once.
    pub fn deliver(&mut self, to: usize, frame: &[u8]) {
        if !self.carries() {
            return;
        }
        if self.drop[to] > 0 {
            self.drop[to] -= 1;
            return;
        }
        self.delivered[to] += 1;
        if let Some(resp) = self.sides[to].receive(frame) {
            self.deliver(1 - to, &resp);
        }
    }

    /// One tick of side `i`.
    pub fn tick_one(&mut self, i: usize) {
        if let Some(f) = self.sides[i].tick() {
            self.deliver(1 - i, &f);
        }
    }

    /// One tick of both sides (side 0 first).
    pub fn tick(&mut self) {
        self.tick_one(0);
        self.tick_one(1);
    }

    pub fn run(&mut self, n: usize) {
        for _ in 0..n {
            self.tick();
        }
    }

    /// Ticks until both sides have converged, at most `max`.
    pub fn run_until_converged(&mut self, max: usize) -> Option<usize> {
        for t in 1..=max {
            self.tick();
            if self.sides.iter().all(Side::converged) {
                return Some(t);
            }
        }
        None
    }

    /// Sends a Marker information PDU from side `from` and returns what
    /// comes back to it (the response frame side `1 - from` sends).
    pub fn marker_roundtrip(&mut self, from: usize, m: &Marker) -> Option<Vec<u8>> {
        let f = m.encode_frame(&self.sides[from].perm_mac);
        if !self.carries() {
            return None;
        }
        self.sides[1 - from].receive(&f)
    }

    /// The cable is plugged or unplugged: both ends see it.
    pub fn set_cable(&mut self, up: bool) {
        for s in &mut self.sides {
            s.set_link(up);
        }
    }
}

/// Invariants that hold between any two events, from the C code:
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
///   first tick the machine is never in DUMMY or INITIALIZE;
/// * periodic timer: 0 in NO_PERIODIC and PERIODIC_TX, <= 9 in
///   FAST_PERIODIC, <= 299 in SLOW_PERIODIC;
/// * the tx timer runs free in 1..=3;
/// * a CHURN state has been counted; churn timers are <= 600.
pub fn check_always(s: &Side) -> Result<(), String> {
    let p = &s.port;
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

/// Invariants right after a side's own tick (before anything is received):
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
pub fn check_after_tick(s: &Side) -> Result<(), String> {
    let p = &s.port;
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
    if (quiet && !np) || (!quiet && np && !s.began) {
        return Err(format!(
            "periodic {:?} with quiet {quiet} (began {})",
            p.sm_periodic_state, s.began
        ));
    }
    if p.sm_vars & (AD_PORT_BEGIN | AD_PORT_CHURNED) != 0 {
        return Err(format!("vars {:#x} after a tick", p.sm_vars));
    }
    Ok(())
}
