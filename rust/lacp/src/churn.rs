// SPDX-License-Identifier: GPL-2.0

//! The churn detection machines (802.3ad 43.4.17 in bond_3ad.h's
//! numbering).
//!
//! Mirrors `ad_churn_machine()` of drivers/net/bonding/bond_3ad.c (Linux
//! 6.12) as [`ad_churn_machine`]: the actor and partner machines together.
//! When the receive machine sets `AD_PORT_CHURNED` (on INITIALIZE, on
//! entering EXPIRED, or on a LACPDU received in EXPIRED or DEFAULTED),
//! both restart in CHURN_MONITOR with a 60 s (600-tick) timer, and nothing
//! else happens on that tick. When a timer runs out while still monitoring, the machine
//! goes to NO_CHURN if that end is in sync, else to CHURN, counting a
//! churn (`churn_actor_count`, `churn_partner_count`, which wrap like C's
//! `u32`). As in C, CHURN and NO_CHURN are left only through the next
//! `AD_PORT_CHURNED`: gaining sync later does not end a CHURN.

use super::port::PortState;
use super::state::{
    ad_timer_to_ticks, timer_expired, Timer, AD_PORT_CHURNED, LACP_STATE_SYNCHRONIZATION,
};

/// Churn machine states (`churn_state_t`), with C's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChurnState {
    /// `AD_CHURN_MONITOR` (also the initial state).
    Monitor = 0,
    /// `AD_CHURN`: churn detected.
    Churn = 1,
    /// `AD_NO_CHURN`.
    NoChurn = 2,
}

impl ChurnState {
    /// `bond_3ad_churn_desc()`: the name procfs and netlink show.
    pub const fn desc(self) -> &'static str {
        match self {
            ChurnState::Monitor => "monitoring",
            ChurnState::Churn => "churned",
            ChurnState::NoChurn => "none",
        }
    }
}

/// `ad_churn_machine(port)`: one tick of both churn machines.
pub fn ad_churn_machine(port: &mut PortState) {
    if port.sm_vars & AD_PORT_CHURNED != 0 {
        port.sm_vars &= !AD_PORT_CHURNED;
        port.sm_churn_actor_state = ChurnState::Monitor;
        port.sm_churn_partner_state = ChurnState::Monitor;
        port.sm_churn_actor_timer_counter = ad_timer_to_ticks(Timer::ActorChurn, 0);
        port.sm_churn_partner_timer_counter = ad_timer_to_ticks(Timer::PartnerChurn, 0);
        return;
    }
    if timer_expired(&mut port.sm_churn_actor_timer_counter)
        && port.sm_churn_actor_state == ChurnState::Monitor
    {
        if port.actor_oper_port_state & LACP_STATE_SYNCHRONIZATION != 0 {
            port.sm_churn_actor_state = ChurnState::NoChurn;
        } else {
            port.churn_actor_count = port.churn_actor_count.wrapping_add(1);
            port.sm_churn_actor_state = ChurnState::Churn;
        }
    }
    if timer_expired(&mut port.sm_churn_partner_timer_counter)
        && port.sm_churn_partner_state == ChurnState::Monitor
    {
        if port.partner_oper.port_state & LACP_STATE_SYNCHRONIZATION as u16 != 0 {
            port.sm_churn_partner_state = ChurnState::NoChurn;
        } else {
            port.churn_partner_count = port.churn_partner_count.wrapping_add(1);
            port.sm_churn_partner_state = ChurnState::Churn;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::state::*;
    use super::*;

    fn churned() -> PortState {
        let mut p = PortState::ZERO;
        p.sm_vars = AD_PORT_CHURNED;
        ad_churn_machine(&mut p);
        assert!(!p.has(AD_PORT_ACTOR_CHURN) && !p.has(AD_PORT_PARTNER_CHURN));
        assert_eq!(p.sm_churn_actor_timer_counter, 600);
        assert_eq!(p.sm_churn_partner_timer_counter, 600);
        p
    }

    #[test]
    fn out_of_sync_for_a_minute_is_churn() {
        let mut p = churned();
        for _ in 0..599 {
            ad_churn_machine(&mut p);
        }
        assert_eq!(p.sm_churn_actor_state, ChurnState::Monitor);
        ad_churn_machine(&mut p);
        assert_eq!(p.sm_churn_actor_state, ChurnState::Churn);
        assert_eq!(p.sm_churn_partner_state, ChurnState::Churn);
        assert_eq!((p.churn_actor_count, p.churn_partner_count), (1, 1));
        // Sync afterwards does not leave CHURN (C).
        p.actor_oper_port_state = LACP_STATE_SYNCHRONIZATION;
        for _ in 0..1000 {
            ad_churn_machine(&mut p);
        }
        assert_eq!(p.sm_churn_actor_state, ChurnState::Churn);
        assert_eq!(p.churn_actor_count, 1);
        assert_eq!(ChurnState::Churn.desc(), "churned");
    }

    #[test]
    fn in_sync_at_expiry_is_no_churn_each_side_on_its_own() {
        let mut p = churned();
        p.actor_oper_port_state = LACP_STATE_SYNCHRONIZATION;
        for _ in 0..600 {
            ad_churn_machine(&mut p);
        }
        assert_eq!(p.sm_churn_actor_state, ChurnState::NoChurn);
        assert_eq!(p.sm_churn_partner_state, ChurnState::Churn);
        assert_eq!((p.churn_actor_count, p.churn_partner_count), (0, 1));
        // A new CHURNED restarts monitoring; the counts are kept.
        p.sm_vars |= AD_PORT_PARTNER_CHURN;
        ad_churn_machine(&mut p);
        assert_eq!(p.sm_churn_partner_state, ChurnState::Monitor);
        assert_eq!(p.churn_partner_count, 1);
        assert_eq!(p.sm_churn_actor_timer_counter, 600);
    }

    #[test]
    fn counter_wraps() {
        let mut p = churned();
        p.churn_actor_count = u32::MAX;
        for _ in 0..600 {
            ad_churn_machine(&mut p);
        }
        assert_eq!(p.churn_actor_count, 0);
    }
}
