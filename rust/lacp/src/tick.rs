// SPDX-License-Identifier: GPL-2.0

//! One tick of a port, in the order of `bond_3ad_state_machine_handler()`.
//!
//! Every [`super::state::AD_TIMER_INTERVAL`] (100 ms), under the bond's
//! `mode_lock`, C first advances the bond's `agg_select_timer`
//! (`bond_agg_timer_advance()`, mirrored by [`agg_timer_advance`]; when it
//! runs out it runs [`super::aggregator::ad_agg_selection_logic`]), then,
//! for each slave in order:
//!
//! 1. `ad_rx_machine(NULL, port)` and `ad_periodic_machine(port)`: this is
//!    [`before_selection`];
//! 2. `ad_port_selection_logic(port)`: this is
//!    [`super::aggregator::ad_port_selection_logic`], which needs the whole
//!    bond;
//! 3. `ad_mux_machine()`, `ad_tx_machine()`, `ad_churn_machine()`, and
//!    clearing `AD_PORT_BEGIN`: this is [`after_selection`], with the
//!    port's aggregator as [`super::aggregator::mux_aggregator_view`] sees
//!    it (and a [`super::mux::MuxOutput::agg_ready`] applied with
//!    [`super::aggregator::set_agg_ports_ready`]).
//!
//! LACPDUs received between ticks go to
//! [`super::rx::ad_rx_machine`] directly (`bond_3ad_rx_indication()`).

use super::churn::ad_churn_machine;
use super::mux::{ad_mux_machine, MuxEnv, MuxOutput};
use super::pdu::Lacpdu;
use super::periodic::ad_periodic_machine;
use super::port::PortState;
use super::rx::ad_rx_machine;
use super::state::AD_PORT_BEGIN;
use super::tx::ad_tx_machine;

/// `bond_agg_timer_advance()`: counts the bond's `agg_select_timer` (C's
/// `atomic_t`) down by one if it is running; true when it has just run out,
/// i.e. when C runs `ad_agg_selection_logic()` and
/// `bond_3ad_set_carrier()` before the ports' machines.
pub fn agg_timer_advance(agg_select_timer: &mut i32) -> bool {
    if *agg_select_timer == 0 {
        return false;
    }
    *agg_select_timer = agg_select_timer.wrapping_sub(1);
    *agg_select_timer == 0
}

/// The receive (without a PDU) and periodic machines of one tick.
pub fn before_selection(port: &mut PortState) {
    ad_rx_machine(None, port);
    ad_periodic_machine(port);
}

/// What the rest of a port's tick does outside the port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TickOutput {
    /// The mux machine's slave actions, `update_slave_arr` and READY.
    pub mux: MuxOutput,
    /// The LACPDU the transmit machine sends now (see
    /// [`super::tx::ad_tx_machine`] for a failed send).
    pub lacpdu: Option<Lacpdu>,
}

/// The mux, transmit and churn machines of one tick, after the caller's
/// port selection; then `AD_PORT_BEGIN` is cleared.
pub fn after_selection(port: &mut PortState, env: &MuxEnv) -> TickOutput {
    let mux = ad_mux_machine(port, env);
    let lacpdu = ad_tx_machine(port);
    ad_churn_machine(port);
    port.sm_vars &= !AD_PORT_BEGIN;
    TickOutput { mux, lacpdu }
}

#[cfg(test)]
mod tests {
    use super::super::mux::MuxState;
    use super::super::periodic::PeriodicState;
    use super::super::port::{BondParams, LinkInfo};
    use super::super::rx::RxState;
    use super::super::state::*;
    use super::*;

    #[test]
    fn agg_timer_runs_out_once() {
        let mut t = 3;
        assert!(!agg_timer_advance(&mut t));
        assert!(!agg_timer_advance(&mut t));
        assert!(agg_timer_advance(&mut t));
        assert!(!agg_timer_advance(&mut t));
        assert_eq!(t, 0);
    }

    #[test]
    fn first_tick_begins_and_sends_after_three() {
        let sys = AdSystem {
            sys_priority: 1,
            sys_mac_addr: [2, 0, 0, 0, 0, 1],
        };
        let mut p = PortState::bind(&BondParams::default(), 1, 0, &LinkInfo::full(1000), &sys);
        let env = MuxEnv::default();
        before_selection(&mut p);
        let out = after_selection(&mut p, &env);
        assert_eq!(p.sm_rx_state, RxState::PortDisabled);
        assert_eq!(p.sm_periodic_state, PeriodicState::NoPeriodic);
        assert_eq!(p.sm_mux_state, MuxState::Detached);
        assert!(!p.has(AD_PORT_BEGIN) && !p.has(AD_PORT_CHURNED));
        assert_eq!(p.sm_churn_actor_timer_counter, 600);
        // DETACHED's entry asked for a LACPDU; the tx timer (3) lets it out
        // on the third tick.
        assert!(p.ntt && out.lacpdu.is_none());
        let mut sent = None;
        for t in 1..3 {
            before_selection(&mut p);
            if let Some(pdu) = after_selection(&mut p, &env).lacpdu {
                sent = Some((t, pdu));
            }
        }
        let (t, pdu) = sent.unwrap();
        assert_eq!(t, 2);
        assert_eq!(pdu.actor.system, sys.sys_mac_addr);
        assert!(pdu.actor.state & LACP_STATE_EXPIRED != 0);
        assert!(pdu.actor.state & LACP_STATE_DEFAULTED != 0);
        assert_eq!(pdu.partner.system, [0; 6]);
    }
}
