// SPDX-License-Identifier: GPL-2.0

//! The mux machine (802.3ad 43.4.13 in bond_3ad.h's numbering).
//!
//! Mirrors `ad_mux_machine()` of drivers/net/bonding/bond_3ad.c (Linux
//! 6.12) as [`ad_mux_machine`], with `__port_move_to_attached_state()`,
//! `__agg_ports_are_ready()` / `__set_agg_ports_ready()` and the slave
//! helpers `ad_enable_collecting()`, `ad_disable_distributing()`,
//! `ad_enable_collecting_distributing()`,
//! `ad_disable_collecting_distributing()` (and below them
//! `__enable_port()`, `__disable_port()`, `__enable_collecting_port()`,
//! `__disable_distributing_port()`).
//!
//! With `coupled_control` on (the default), ATTACHED goes straight to
//! COLLECTING_DISTRIBUTING; with it off, ATTACHED goes to COLLECTING and
//! on to DISTRIBUTING once the partner collects (the independent control
//! of IEEE 802.1AX-2008 5.4.15, as Documentation/networking/bonding.rst
//! puts it).
//!
//! What C does through the port's pointers is passed in and handed back
//! as values: the aggregator and the slave are read from a [`MuxEnv`], and
//! the slave flag changes C makes are returned in order as
//! [`SlaveAction`]s, with C's `update_slave_arr` and the READY value C
//! writes into the aggregator's other ports, in a [`MuxOutput`].
//!
//! Deviation: C dereferences the port's aggregator unconditionally in
//! several places that are only reached once the selection logic has
//! attached the port (WAITING, ATTACHED and after). A port without an
//! aggregator would oops there; here it behaves as the only port of an
//! inactive aggregator without a partner.

use super::port::PortState;
use super::state::{
    ad_timer_to_ticks, timer_expired, Timer, AD_PORT_BEGIN, AD_PORT_READY, AD_PORT_READY_N,
    AD_PORT_SELECTED, AD_PORT_STANDBY, LACP_STATE_COLLECTING, LACP_STATE_DISTRIBUTING,
    LACP_STATE_SYNCHRONIZATION,
};

/// Mux machine states (`mux_states_t`), with C's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MuxState {
    /// `AD_MUX_DUMMY`: before the first run.
    Dummy = 0,
    /// `AD_MUX_DETACHED`.
    Detached = 1,
    /// `AD_MUX_WAITING`.
    Waiting = 2,
    /// `AD_MUX_ATTACHED`.
    Attached = 3,
    /// `AD_MUX_COLLECTING` (`coupled_control` off only).
    Collecting = 4,
    /// `AD_MUX_DISTRIBUTING` (`coupled_control` off only).
    Distributing = 5,
    /// `AD_MUX_COLLECTING_DISTRIBUTING`.
    CollectingDistributing = 6,
}

/// What the mux machine reads of the port's aggregator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct AggregatorView {
    /// `aggregator->is_active`.
    pub is_active: bool,
    /// `__agg_has_partner(aggregator)`: its partner system is not zero.
    pub has_partner: bool,
    /// Every *other* port attached to the aggregator has
    /// `AD_PORT_READY_N` (true if there is none); `__agg_ports_are_ready()`
    /// is this and the port's own `READY_N`.
    pub others_ready_n: bool,
}

/// What the mux machine reads of the port's slave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct SlaveView {
    /// `slave->link == BOND_LINK_UP && bond_slave_is_up(slave)`: the
    /// condition under which `__enable_port()` and
    /// `__enable_collecting_port()` act.
    pub link_up: bool,
    /// `bond_is_active_slave(slave)`
    /// (`__port_is_collecting_distributing()`).
    pub active: bool,
    /// `bond_is_slave_rx_disabled(slave)`.
    pub rx_disabled: bool,
}

/// Everything [`ad_mux_machine`] reads besides the port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct MuxEnv {
    /// `port->aggregator` (`None`: not attached, see the module docs).
    pub aggregator: Option<AggregatorView>,
    /// `__check_agg_selection_timer()`: the bond's `agg_select_timer` is
    /// still running.
    pub agg_select_timer: bool,
    /// `bond->params.coupled_control`.
    pub coupled_control: bool,
    /// `port->slave`.
    pub slave: SlaveView,
}

/// A change to the slave's flags, as made by the C helper it is named
/// after (after that helper's own link check, so every action returned is
/// to be applied).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlaveAction {
    /// `__enable_port()`: `bond_set_slave_active_flags()`.
    EnablePort,
    /// `__disable_port()`: `bond_set_slave_inactive_flags()`.
    DisablePort,
    /// `__enable_collecting_port()`: `bond_set_slave_rx_enabled_flags()`.
    EnableCollecting,
    /// `__disable_distributing_port()`:
    /// `bond_set_slave_tx_disabled_flags()`.
    DisableDistributing,
}

/// The slave actions of one run, in C's order (at most two).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct SlaveActions {
    list: [Option<SlaveAction>; 2],
}

impl SlaveActions {
    fn push(&mut self, a: SlaveAction) {
        if let Some(slot) = self.list.iter_mut().find(|s| s.is_none()) {
            *slot = Some(a);
        }
    }

    /// The actions in the order C makes them.
    pub fn iter(&self) -> impl Iterator<Item = SlaveAction> + '_ {
        self.list.iter().flatten().copied()
    }

    /// Whether there is no action.
    pub fn is_empty(&self) -> bool {
        self.list[0].is_none()
    }
}

/// What one run of [`ad_mux_machine`] does outside the port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct MuxOutput {
    /// Slave flag changes, in order.
    pub actions: SlaveActions,
    /// C's `*update_slave_arr = true`: the bond's transmit slave array
    /// needs rebuilding.
    pub update_slave_arr: bool,
    /// `__set_agg_ports_ready(aggregator, val)` ran: set (`Some(true)`) or
    /// clear `AD_PORT_READY` in every other port of the aggregator (this
    /// port's own bit is already updated).
    pub agg_ready: Option<bool>,
}

fn state_of(port: &PortState, bit: u8) -> bool {
    port.actor_oper_port_state & bit != 0
}

fn partner_has(port: &PortState, bit: u8) -> bool {
    port.partner_oper.port_state & bit as u16 != 0
}

/// `__set_agg_ports_ready(aggregator, __agg_ports_are_ready(aggregator))`.
fn set_agg_ports_ready(port: &mut PortState, env: &MuxEnv, out: &mut MuxOutput) {
    let others = match env.aggregator {
        Some(a) => a.others_ready_n,
        None => true,
    };
    let ready = others && port.sm_vars & AD_PORT_READY_N != 0;
    if ready {
        port.sm_vars |= AD_PORT_READY;
    } else {
        port.sm_vars &= !AD_PORT_READY;
    }
    if env.aggregator.is_some() {
        out.agg_ready = Some(ready);
    }
}

/// `__port_move_to_attached_state()`: falls back to ATTACHED when the port
/// is no longer selected, or either end is out of sync; returns whether
/// the port is now ATTACHED.
fn move_to_attached_state(port: &mut PortState) -> bool {
    if port.sm_vars & AD_PORT_SELECTED == 0
        || port.sm_vars & AD_PORT_STANDBY != 0
        || !partner_has(port, LACP_STATE_SYNCHRONIZATION)
        || !state_of(port, LACP_STATE_SYNCHRONIZATION)
    {
        port.sm_mux_state = MuxState::Attached;
    }
    port.sm_mux_state == MuxState::Attached
}

fn is_active(env: &MuxEnv) -> bool {
    env.aggregator.is_some_and(|a| a.is_active)
}

fn has_partner(env: &MuxEnv) -> bool {
    env.aggregator.is_some_and(|a| a.has_partner)
}

/// `__enable_port()`.
fn enable_port(env: &MuxEnv, out: &mut MuxOutput) {
    if env.slave.link_up {
        out.actions.push(SlaveAction::EnablePort);
    }
}

/// `ad_enable_collecting()`.
fn enable_collecting(env: &MuxEnv, out: &mut MuxOutput) {
    if is_active(env) && env.slave.link_up {
        out.actions.push(SlaveAction::EnableCollecting);
    }
}

/// `ad_disable_distributing()`.
fn disable_distributing(env: &MuxEnv, out: &mut MuxOutput) {
    if has_partner(env) {
        out.actions.push(SlaveAction::DisableDistributing);
        out.update_slave_arr = true;
    }
}

/// `ad_enable_collecting_distributing()`.
fn enable_collecting_distributing(env: &MuxEnv, out: &mut MuxOutput) {
    if is_active(env) {
        enable_port(env, out);
        out.update_slave_arr = true;
    }
}

/// `ad_disable_collecting_distributing()`.
fn disable_collecting_distributing(env: &MuxEnv, out: &mut MuxOutput) {
    if has_partner(env) {
        out.actions.push(SlaveAction::DisablePort);
        out.update_slave_arr = true;
    }
}

/// `ad_mux_machine(port, &update_slave_arr)`: one tick of the mux machine.
pub fn ad_mux_machine(port: &mut PortState, env: &MuxEnv) -> MuxOutput {
    let mut out = MuxOutput::default();
    let last_state = port.sm_mux_state;
    let selected = |p: &PortState| p.sm_vars & AD_PORT_SELECTED != 0;
    let standby = |p: &PortState| p.sm_vars & AD_PORT_STANDBY != 0;

    if port.sm_vars & AD_PORT_BEGIN != 0 {
        port.sm_mux_state = MuxState::Detached;
    } else {
        match port.sm_mux_state {
            MuxState::Detached => {
                if selected(port) || standby(port) {
                    port.sm_mux_state = MuxState::Waiting;
                }
            }
            MuxState::Waiting => {
                if !selected(port) {
                    port.sm_vars &= !AD_PORT_READY_N;
                    set_agg_ports_ready(port, env, &mut out);
                    port.sm_mux_state = MuxState::Detached;
                } else {
                    if timer_expired(&mut port.sm_mux_timer_counter) {
                        port.sm_vars |= AD_PORT_READY_N;
                    }
                    set_agg_ports_ready(port, env, &mut out);
                    if port.sm_vars & AD_PORT_READY != 0 && port.sm_mux_timer_counter == 0 {
                        port.sm_mux_state = MuxState::Attached;
                    }
                }
            }
            MuxState::Attached => {
                if selected(port)
                    && partner_has(port, LACP_STATE_SYNCHRONIZATION)
                    && !env.agg_select_timer
                {
                    if is_active(env) {
                        port.sm_mux_state = if env.coupled_control {
                            MuxState::CollectingDistributing
                        } else {
                            MuxState::Collecting
                        };
                    }
                } else if !selected(port) || standby(port) {
                    port.sm_vars &= !AD_PORT_READY_N;
                    set_agg_ports_ready(port, env, &mut out);
                    port.sm_mux_state = MuxState::Detached;
                } else if is_active(env) {
                    port.actor_oper_port_state |= LACP_STATE_SYNCHRONIZATION;
                }
            }
            MuxState::CollectingDistributing => {
                if !move_to_attached_state(port) && is_active(env) && !env.slave.active {
                    enable_port(env, &mut out);
                    out.update_slave_arr = true;
                }
            }
            MuxState::Collecting => {
                if !move_to_attached_state(port) {
                    if selected(port)
                        && partner_has(port, LACP_STATE_SYNCHRONIZATION)
                        && partner_has(port, LACP_STATE_COLLECTING)
                    {
                        port.sm_mux_state = MuxState::Distributing;
                    } else if is_active(env) && env.slave.rx_disabled {
                        enable_collecting(env, &mut out);
                        out.update_slave_arr = true;
                    }
                }
            }
            MuxState::Distributing => {
                if !selected(port)
                    || standby(port)
                    || !partner_has(port, LACP_STATE_COLLECTING)
                    || !partner_has(port, LACP_STATE_SYNCHRONIZATION)
                    || !state_of(port, LACP_STATE_SYNCHRONIZATION)
                {
                    port.sm_mux_state = MuxState::Collecting;
                } else if is_active(env) && !env.slave.active {
                    enable_port(env, &mut out);
                    out.update_slave_arr = true;
                }
            }
            MuxState::Dummy => {}
        }
    }

    if port.sm_mux_state == last_state {
        return out;
    }
    let st = &mut port.actor_oper_port_state;
    match port.sm_mux_state {
        MuxState::Detached => {
            *st &= !LACP_STATE_SYNCHRONIZATION;
            disable_collecting_distributing(env, &mut out);
            *st &= !(LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING);
            port.ntt = true;
        }
        MuxState::Waiting => {
            port.sm_mux_timer_counter = ad_timer_to_ticks(Timer::WaitWhile, 0);
        }
        MuxState::Attached => {
            if is_active(env) {
                *st |= LACP_STATE_SYNCHRONIZATION;
            } else {
                *st &= !LACP_STATE_SYNCHRONIZATION;
            }
            *st &= !(LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING);
            disable_collecting_distributing(env, &mut out);
            port.ntt = true;
        }
        MuxState::CollectingDistributing => {
            *st |= LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING | LACP_STATE_SYNCHRONIZATION;
            enable_collecting_distributing(env, &mut out);
            port.ntt = true;
        }
        MuxState::Collecting => {
            *st |= LACP_STATE_COLLECTING;
            *st &= !LACP_STATE_DISTRIBUTING;
            *st |= LACP_STATE_SYNCHRONIZATION;
            enable_collecting(env, &mut out);
            disable_distributing(env, &mut out);
            port.ntt = true;
        }
        MuxState::Distributing => {
            // No ntt here, as in C.
            *st |= LACP_STATE_DISTRIBUTING | LACP_STATE_SYNCHRONIZATION;
            enable_collecting_distributing(env, &mut out);
        }
        MuxState::Dummy => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::state::*;
    use super::*;
    use SlaveAction::*;

    fn env(active: bool, partner: bool, coupled: bool) -> MuxEnv {
        MuxEnv {
            aggregator: Some(AggregatorView {
                is_active: active,
                has_partner: partner,
                others_ready_n: true,
            }),
            agg_select_timer: false,
            coupled_control: coupled,
            slave: SlaveView {
                link_up: true,
                active: false,
                rx_disabled: true,
            },
        }
    }

    fn actions(o: &MuxOutput) -> Vec<SlaveAction> {
        o.actions.iter().collect()
    }

    /// A port past BEGIN, selected, with an in-sync partner.
    fn port() -> PortState {
        let mut p = PortState::ZERO;
        p.initialize(&Default::default());
        p.partner_oper.port_state = (LACP_STATE_SYNCHRONIZATION | LACP_STATE_COLLECTING) as u16;
        p
    }

    fn run_to_attached(p: &mut PortState, e: &MuxEnv) {
        let o = ad_mux_machine(p, e);
        assert_eq!(p.sm_mux_state, MuxState::Detached);
        assert!(p.ntt);
        // The aggregator has a partner: DETACHED entry disables the slave.
        assert_eq!(actions(&o), [DisablePort]);
        p.sm_vars &= !AD_PORT_BEGIN;
        p.sm_vars |= AD_PORT_SELECTED;
        ad_mux_machine(p, e);
        assert_eq!(p.sm_mux_state, MuxState::Waiting);
        assert_eq!(p.sm_mux_timer_counter, 20);
        for i in 0..19 {
            let o = ad_mux_machine(p, e);
            assert_eq!(p.sm_mux_state, MuxState::Waiting, "tick {i}");
            assert_eq!(o.agg_ready, Some(false));
        }
        let o = ad_mux_machine(p, e);
        assert!(p.has(AD_PORT_READY_N | AD_PORT_READY));
        assert_eq!(o.agg_ready, Some(true));
        assert_eq!(p.sm_mux_state, MuxState::Attached);
    }

    #[test]
    fn coupled_reaches_collecting_distributing() {
        let e = env(true, true, true);
        let mut p = port();
        run_to_attached(&mut p, &e);
        assert!(p.actor_has(LACP_STATE_SYNCHRONIZATION));
        p.ntt = false;
        let o = ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::CollectingDistributing);
        assert!(p.actor_has(
            LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING | LACP_STATE_SYNCHRONIZATION
        ));
        assert_eq!(actions(&o), [EnablePort]);
        assert!(o.update_slave_arr && p.ntt);
        // Staying: the slave is re-enabled if something disabled it.
        let o = ad_mux_machine(&mut p, &e);
        assert_eq!(actions(&o), [EnablePort]);
        let mut e2 = e;
        e2.slave.active = true;
        let o = ad_mux_machine(&mut p, &e2);
        assert!(o.actions.is_empty() && !o.update_slave_arr);
        // The partner loses sync: back to ATTACHED, slave disabled.
        p.partner_oper.port_state = 0;
        let o = ad_mux_machine(&mut p, &e2);
        assert_eq!(p.sm_mux_state, MuxState::Attached);
        assert_eq!(actions(&o), [DisablePort]);
        assert!(!p.actor_has(LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING));
        assert!(p.actor_has(LACP_STATE_SYNCHRONIZATION));
    }

    #[test]
    fn decoupled_goes_through_collecting_and_distributing() {
        let e = env(true, true, false);
        let mut p = port();
        p.partner_oper.port_state = LACP_STATE_SYNCHRONIZATION as u16;
        run_to_attached(&mut p, &e);
        let o = ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::Collecting);
        assert_eq!(
            p.actor_oper_port_state & (LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING),
            LACP_STATE_COLLECTING
        );
        assert_eq!(actions(&o), [EnableCollecting, DisableDistributing]);
        // The partner is not collecting yet: stay, re-enable rx if needed.
        p.ntt = false;
        let o = ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::Collecting);
        assert_eq!(actions(&o), [EnableCollecting]);
        assert!(!p.ntt);
        p.partner_oper.port_state |= LACP_STATE_COLLECTING as u16;
        let o = ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::Distributing);
        assert!(p.actor_has(LACP_STATE_DISTRIBUTING | LACP_STATE_COLLECTING));
        assert_eq!(actions(&o), [EnablePort]);
        // DISTRIBUTING's entry does not set ntt (C).
        assert!(!p.ntt);
        // Partner stops collecting: back to COLLECTING.
        p.partner_oper.port_state &= !(LACP_STATE_COLLECTING as u16);
        let o = ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::Collecting);
        assert_eq!(actions(&o), [EnableCollecting, DisableDistributing]);
        // Unselected: COLLECTING falls back to ATTACHED, then DETACHED.
        p.sm_vars &= !AD_PORT_SELECTED;
        ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::Attached);
        ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::Detached);
        assert!(!p.has(AD_PORT_READY_N));
    }

    #[test]
    fn distributing_falls_to_collecting_not_attached() {
        let e = env(true, true, false);
        let mut p = port();
        run_to_attached(&mut p, &e);
        ad_mux_machine(&mut p, &e);
        ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::Distributing);
        p.sm_vars &= !AD_PORT_SELECTED;
        ad_mux_machine(&mut p, &e);
        // COLLECTING's entry sets sync again even though unselected.
        assert_eq!(p.sm_mux_state, MuxState::Collecting);
        assert!(p.actor_has(LACP_STATE_SYNCHRONIZATION));
    }

    #[test]
    fn agg_select_timer_and_inactive_aggregator_hold_attached() {
        let mut e = env(true, true, true);
        let mut p = port();
        run_to_attached(&mut p, &e);
        e.agg_select_timer = true;
        ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::Attached);
        e.agg_select_timer = false;
        e.aggregator = Some(AggregatorView {
            is_active: false,
            has_partner: true,
            others_ready_n: true,
        });
        p.actor_oper_port_state &= !LACP_STATE_SYNCHRONIZATION;
        ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::Attached);
        assert!(!p.actor_has(LACP_STATE_SYNCHRONIZATION));
        // Partner out of sync, aggregator active: ATTACHED sets actor sync.
        e.aggregator = Some(AggregatorView {
            is_active: true,
            has_partner: true,
            others_ready_n: true,
        });
        p.partner_oper.port_state = 0;
        ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::Attached);
        assert!(p.actor_has(LACP_STATE_SYNCHRONIZATION));
    }

    #[test]
    fn waiting_needs_every_port_ready() {
        let mut e = env(true, true, true);
        e.aggregator = Some(AggregatorView {
            is_active: true,
            has_partner: true,
            others_ready_n: false,
        });
        let mut p = port();
        ad_mux_machine(&mut p, &e);
        p.sm_vars &= !AD_PORT_BEGIN;
        p.sm_vars |= AD_PORT_SELECTED;
        for _ in 0..50 {
            let before = p.sm_mux_state;
            let o = ad_mux_machine(&mut p, &e);
            assert_eq!(o.agg_ready.is_some(), before == MuxState::Waiting);
        }
        assert_eq!(p.sm_mux_state, MuxState::Waiting);
        assert!(p.has(AD_PORT_READY_N) && !p.has(AD_PORT_READY));
        // Another port of the aggregator sets READY for everyone: the
        // timer has run out, so the next run attaches.
        e.aggregator = Some(AggregatorView {
            is_active: true,
            has_partner: true,
            others_ready_n: true,
        });
        let o = ad_mux_machine(&mut p, &e);
        assert_eq!(o.agg_ready, Some(true));
        assert_eq!(p.sm_mux_state, MuxState::Attached);
        // Unselected while WAITING drops READY_N and tells the others.
        let mut q = port();
        ad_mux_machine(&mut q, &e);
        q.sm_vars &= !AD_PORT_BEGIN;
        q.sm_vars |= AD_PORT_SELECTED;
        ad_mux_machine(&mut q, &e);
        q.sm_vars &= !AD_PORT_SELECTED;
        q.sm_vars |= AD_PORT_READY_N;
        let o = ad_mux_machine(&mut q, &e);
        assert_eq!(q.sm_mux_state, MuxState::Detached);
        assert_eq!(o.agg_ready, Some(false));
        assert!(!q.has(AD_PORT_READY_N | AD_PORT_READY));
    }

    #[test]
    fn partnerless_aggregator_is_not_disabled_and_link_down_is_not_enabled() {
        let mut e = env(true, false, true);
        let mut p = port();
        let o = ad_mux_machine(&mut p, &e);
        assert!(o.actions.is_empty() && !o.update_slave_arr);
        // Link down: __enable_port does nothing, update_slave_arr is set.
        e.slave.link_up = false;
        p.sm_mux_state = MuxState::Attached;
        p.sm_vars = AD_PORT_SELECTED | AD_PORT_LACP_ENABLED;
        let o = ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::CollectingDistributing);
        assert!(o.actions.is_empty() && o.update_slave_arr);
    }

    #[test]
    fn no_aggregator_is_an_inactive_lone_one() {
        let mut e = env(true, true, true);
        e.aggregator = None;
        let mut p = port();
        ad_mux_machine(&mut p, &e);
        p.sm_vars &= !AD_PORT_BEGIN;
        p.sm_vars |= AD_PORT_SELECTED;
        for _ in 0..21 {
            let o = ad_mux_machine(&mut p, &e);
            assert!(o.agg_ready.is_none() && o.actions.is_empty());
        }
        assert_eq!(p.sm_mux_state, MuxState::Attached);
        assert!(!p.actor_has(LACP_STATE_SYNCHRONIZATION));
        ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::Attached);
    }

    #[test]
    fn begin_detaches_from_any_state() {
        let e = env(true, true, true);
        let mut p = port();
        run_to_attached(&mut p, &e);
        ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::CollectingDistributing);
        p.sm_vars |= AD_PORT_BEGIN;
        let o = ad_mux_machine(&mut p, &e);
        assert_eq!(p.sm_mux_state, MuxState::Detached);
        assert_eq!(actions(&o), [DisablePort]);
        assert_eq!(
            p.actor_oper_port_state
                & (LACP_STATE_SYNCHRONIZATION | LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING),
            0
        );
        // Staying DETACHED under BEGIN runs no entry action again.
        p.ntt = false;
        let o = ad_mux_machine(&mut p, &e);
        assert!(o.actions.is_empty() && !p.ntt);
    }
}
