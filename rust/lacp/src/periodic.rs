// SPDX-License-Identifier: GPL-2.0

//! The periodic transmission machine (802.3ad 43.4.12 in bond_3ad.h's
//! numbering).
//!
//! Mirrors `ad_periodic_machine()` of drivers/net/bonding/bond_3ad.c
//! (Linux 6.12) as [`ad_periodic_machine`]: it sets `ntt` once a second
//! (FAST_PERIODIC) while the partner asks for the short timeout, every 30
//! seconds (SLOW_PERIODIC) otherwise, and not at all (NO_PERIODIC) while
//! the port is beginning, has LACP disabled, is disabled, or both ends are
//! passive.
//!
//! C's timer quirks are kept: FAST_PERIODIC and SLOW_PERIODIC load one
//! tick less than the period ("the tick we lost in the PERIODIC_TX
//! cycle"), so `ntt` is set every 10 (resp. 300) ticks; a partner that
//! switches to the short timeout while SLOW_PERIODIC triggers an immediate
//! PERIODIC_TX; a partner that switches to the long timeout while
//! FAST_PERIODIC moves to SLOW_PERIODIC with a fresh 299-tick timer; and
//! the last tick of a running timer goes to PERIODIC_TX without looking
//! at the partner's timeout. The machine leaves its initial DUMMY state
//! only through NO_PERIODIC (a run on which the port is beginning,
//! disabled, without LACP, or passive at both ends; every port's first
//! tick has `AD_PORT_BEGIN`).

use super::port::PortState;
use super::state::{
    ad_timer_to_ticks, timer_expired, Timer, AD_FAST_PERIODIC_TIME, AD_PORT_BEGIN,
    AD_PORT_LACP_ENABLED, AD_SLOW_PERIODIC_TIME, LACP_STATE_LACP_ACTIVITY, LACP_STATE_LACP_TIMEOUT,
};

/// Periodic machine states (`periodic_states_t`), with C's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodicState {
    /// `AD_PERIODIC_DUMMY`: before the first run.
    Dummy = 0,
    /// `AD_NO_PERIODIC`.
    NoPeriodic = 1,
    /// `AD_FAST_PERIODIC`.
    FastPeriodic = 2,
    /// `AD_SLOW_PERIODIC`.
    SlowPeriodic = 3,
    /// `AD_PERIODIC_TX`.
    PeriodicTx = 4,
}

/// Whether the partner asks for the short timeout.
fn partner_short(port: &PortState) -> bool {
    port.partner_oper.port_state & LACP_STATE_LACP_TIMEOUT as u16 != 0
}

/// `ad_periodic_machine(port)`: one tick of the periodic machine.
pub fn ad_periodic_machine(port: &mut PortState) {
    let last_state = port.sm_periodic_state;

    let actor_active = port.actor_oper_port_state & LACP_STATE_LACP_ACTIVITY != 0;
    let partner_active = port.partner_oper.port_state & LACP_STATE_LACP_ACTIVITY as u16 != 0;
    if port.sm_vars & AD_PORT_BEGIN != 0
        || port.sm_vars & AD_PORT_LACP_ENABLED == 0
        || !port.is_enabled
        || (!actor_active && !partner_active)
    {
        port.sm_periodic_state = PeriodicState::NoPeriodic;
    } else if port.sm_periodic_timer_counter != 0 {
        if timer_expired(&mut port.sm_periodic_timer_counter) {
            port.sm_periodic_state = PeriodicState::PeriodicTx;
        } else {
            match port.sm_periodic_state {
                PeriodicState::FastPeriodic if !partner_short(port) => {
                    port.sm_periodic_state = PeriodicState::SlowPeriodic;
                }
                PeriodicState::SlowPeriodic if partner_short(port) => {
                    port.sm_periodic_timer_counter = 0;
                    port.sm_periodic_state = PeriodicState::PeriodicTx;
                }
                _ => {}
            }
        }
    } else {
        match port.sm_periodic_state {
            PeriodicState::NoPeriodic => port.sm_periodic_state = PeriodicState::FastPeriodic,
            PeriodicState::PeriodicTx => {
                port.sm_periodic_state = if partner_short(port) {
                    PeriodicState::FastPeriodic
                } else {
                    PeriodicState::SlowPeriodic
                };
            }
            _ => {}
        }
    }

    if port.sm_periodic_state == last_state {
        return;
    }
    match port.sm_periodic_state {
        PeriodicState::NoPeriodic => port.sm_periodic_timer_counter = 0,
        PeriodicState::FastPeriodic => {
            port.sm_periodic_timer_counter =
                ad_timer_to_ticks(Timer::Periodic, AD_FAST_PERIODIC_TIME) - 1;
        }
        PeriodicState::SlowPeriodic => {
            port.sm_periodic_timer_counter =
                ad_timer_to_ticks(Timer::Periodic, AD_SLOW_PERIODIC_TIME) - 1;
        }
        PeriodicState::PeriodicTx => port.ntt = true,
        PeriodicState::Dummy => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::state::*;
    use super::*;

    /// A port after its first tick (BEGIN: NO_PERIODIC), BEGIN cleared.
    fn port(partner_state: u8) -> PortState {
        let mut p = PortState::ZERO;
        p.initialize(&Default::default());
        p.partner_oper.port_state = partner_state as u16;
        ad_periodic_machine(&mut p);
        assert_eq!(p.sm_periodic_state, PeriodicState::NoPeriodic);
        p.sm_vars &= !AD_PORT_BEGIN;
        p
    }

    /// Ticks at which ntt is raised (and cleared by a stand-in tx).
    fn ntt_ticks(p: &mut PortState, n: usize) -> Vec<usize> {
        let mut v = Vec::new();
        for t in 0..n {
            ad_periodic_machine(p);
            if p.ntt {
                v.push(t);
                p.ntt = false;
            }
        }
        v
    }

    #[test]
    fn fast_period_is_ten_ticks() {
        let mut p = port(LACP_STATE_LACP_TIMEOUT);
        let v = ntt_ticks(&mut p, 45);
        // NO_PERIODIC -> FAST (9 ticks), then TX; TX -> FAST ...
        assert_eq!(v, [9, 19, 29, 39]);
        assert!(p.sm_periodic_timer_counter <= 9);
    }

    #[test]
    fn slow_period_is_three_hundred_ticks() {
        let mut p = port(0);
        let v = ntt_ticks(&mut p, 700);
        // The first run of FAST sees the long timeout and goes SLOW.
        assert_eq!(v, [300, 600]);
        assert_eq!(p.sm_periodic_state, PeriodicState::SlowPeriodic);
    }

    #[test]
    fn partner_switching_to_short_timeout_triggers_tx() {
        let mut p = port(0);
        ntt_ticks(&mut p, 50);
        assert_eq!(p.sm_periodic_state, PeriodicState::SlowPeriodic);
        p.partner_oper.port_state = LACP_STATE_LACP_TIMEOUT as u16;
        ad_periodic_machine(&mut p);
        assert_eq!(p.sm_periodic_state, PeriodicState::PeriodicTx);
        assert!(p.ntt);
        ad_periodic_machine(&mut p);
        assert_eq!(p.sm_periodic_state, PeriodicState::FastPeriodic);
        assert_eq!(p.sm_periodic_timer_counter, 9);
    }

    #[test]
    fn partner_switching_to_long_timeout_goes_slow() {
        let mut p = port(LACP_STATE_LACP_TIMEOUT);
        ntt_ticks(&mut p, 15);
        assert_eq!(p.sm_periodic_state, PeriodicState::FastPeriodic);
        p.partner_oper.port_state = 0;
        let v = ntt_ticks(&mut p, 400);
        assert_eq!(p.sm_periodic_state, PeriodicState::SlowPeriodic);
        // The tick that notices loads 299: TX 299 ticks later, then every
        // 300 ticks.
        assert_eq!(v, [299]);
    }

    #[test]
    fn passive_both_ends_or_disabled_is_no_periodic() {
        let mut p = port(0);
        p.actor_oper_port_state &= !LACP_STATE_LACP_ACTIVITY;
        let v = ntt_ticks(&mut p, 1000);
        assert!(v.is_empty());
        assert_eq!(p.sm_periodic_state, PeriodicState::NoPeriodic);
        // An active partner makes a passive actor transmit.
        p.partner_oper.port_state = (LACP_STATE_LACP_ACTIVITY | LACP_STATE_LACP_TIMEOUT) as u16;
        assert_eq!(ntt_ticks(&mut p, 11), [9]);
        p.is_enabled = false;
        ad_periodic_machine(&mut p);
        assert_eq!(p.sm_periodic_state, PeriodicState::NoPeriodic);
        assert_eq!(p.sm_periodic_timer_counter, 0);
        p.is_enabled = true;
        p.sm_vars &= !AD_PORT_LACP_ENABLED;
        assert!(ntt_ticks(&mut p, 100).is_empty());
    }
}
