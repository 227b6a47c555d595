// SPDX-License-Identifier: GPL-2.0

//! The receive machine (802.3ad 43.4.11 in bond_3ad.h's numbering;
//! 802.1AX-2014 figure 6-18, which C's comments follow).
//!
//! Mirrors `ad_rx_machine()` of drivers/net/bonding/bond_3ad.c (Linux
//! 6.12) as [`ad_rx_machine`], with its helpers `__choose_matched()`,
//! `__record_pdu()`, `__record_default()`, `__update_selected()`,
//! `__update_default_selected()` and `__update_ntt()`.
//!
//! C runs the machine from two places: every tick without a PDU
//! (`bond_3ad_state_machine_handler()`), and from the rx handler with the
//! received LACPDU (`bond_3ad_rx_indication()`), both under the bond's
//! `mode_lock`. Quirks kept from C:
//!
//! * a LACPDU only moves the machine to CURRENT from EXPIRED, DEFAULTED
//!   or CURRENT; in PORT_DISABLED or LACP_DISABLED it instead counts the
//!   current_while timer down like a tick, and the state's entry actions
//!   are run again (any received PDU re-runs them);
//! * a LACPDU whose actor system is our own system ("an illegal loopback
//!   occurred") stops before it is recorded, but after the state has been
//!   set to CURRENT and the current_while timer stopped, so the machine
//!   then sits in CURRENT without a timer until the next LACPDU;
//! * INITIALIZE decides `AD_PORT_LACP_ENABLED` from the duplex bit of the
//!   operational key, and EXPIRED does not clear `LACP_STATE_EXPIRED` on
//!   the way to PORT_DISABLED;
//! * the machine restarts the churn machines (`AD_PORT_CHURNED`) on
//!   INITIALIZE, on entering EXPIRED, and on a LACPDU received in EXPIRED
//!   or DEFAULTED (loopback ones included).

use super::pdu::Lacpdu;
use super::port::PortState;
use super::state::{
    ad_timer_to_ticks, mac_equal, timer_expired, Timer, AD_DUPLEX_KEY_MASKS, AD_PORT_BEGIN,
    AD_PORT_CHURNED, AD_PORT_LACP_ENABLED, AD_PORT_MATCHED, AD_PORT_SELECTED, AD_SHORT_TIMEOUT,
    LACP_STATE_AGGREGATION, LACP_STATE_DEFAULTED, LACP_STATE_EXPIRED, LACP_STATE_LACP_ACTIVITY,
    LACP_STATE_LACP_TIMEOUT, LACP_STATE_SYNCHRONIZATION,
};

/// Receive machine states (`rx_states_t`), with C's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RxState {
    /// `AD_RX_DUMMY`: before the first run.
    Dummy = 0,
    /// `AD_RX_INITIALIZE` (passed through to PORT_DISABLED at once).
    Initialize = 1,
    /// `AD_RX_PORT_DISABLED`.
    PortDisabled = 2,
    /// `AD_RX_LACP_DISABLED`.
    LacpDisabled = 3,
    /// `AD_RX_EXPIRED`.
    Expired = 4,
    /// `AD_RX_DEFAULTED`.
    Defaulted = 5,
    /// `AD_RX_CURRENT`.
    Current = 6,
}

/// What [`ad_rx_machine`] reports besides the port's new state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RxOutcome {
    /// The machine ran.
    Done,
    /// The LACPDU carries our own system as actor: C logs "An illegal
    /// loopback occurred on slave" and ignores its content.
    Loopback,
}

/// `ad_rx_machine(lacpdu, port)`: one run of the receive machine, for a
/// received LACPDU (`Some`) or a tick (`None`).
///
/// C counts every LACPDU given to it in the slave's and the bond's
/// `lacpdu_rx` (loopback ones included); that is the caller's
/// ([`super::pdu::Stat::LacpduRx`]).
pub fn ad_rx_machine(lacpdu: Option<&Lacpdu>, port: &mut PortState) -> RxOutcome {
    let last_state = port.sm_rx_state;

    if port.sm_vars & AD_PORT_BEGIN != 0 {
        port.sm_rx_state = RxState::Initialize;
        port.sm_vars |= AD_PORT_CHURNED;
    } else if !port.is_enabled {
        port.sm_rx_state = RxState::PortDisabled;
    } else if lacpdu.is_some()
        && matches!(
            port.sm_rx_state,
            RxState::Expired | RxState::Defaulted | RxState::Current
        )
    {
        if port.sm_rx_state != RxState::Current {
            port.sm_vars |= AD_PORT_CHURNED;
        }
        port.sm_rx_timer_counter = 0;
        port.sm_rx_state = RxState::Current;
    } else if timer_expired(&mut port.sm_rx_timer_counter) {
        match port.sm_rx_state {
            RxState::Expired => port.sm_rx_state = RxState::Defaulted,
            RxState::Current => port.sm_rx_state = RxState::Expired,
            _ => {}
        }
    } else if port.sm_rx_state == RxState::PortDisabled && port.is_enabled {
        port.sm_rx_state = if port.sm_vars & AD_PORT_LACP_ENABLED != 0 {
            RxState::Expired
        } else {
            RxState::LacpDisabled
        };
    }

    if port.sm_rx_state == last_state && lacpdu.is_none() {
        return RxOutcome::Done;
    }
    match port.sm_rx_state {
        RxState::Initialize => {
            if port.actor_oper_port_key & AD_DUPLEX_KEY_MASKS == 0 {
                port.sm_vars &= !AD_PORT_LACP_ENABLED;
            } else {
                port.sm_vars |= AD_PORT_LACP_ENABLED;
            }
            port.sm_vars &= !AD_PORT_SELECTED;
            record_default(port);
            port.actor_oper_port_state &= !LACP_STATE_EXPIRED;
            port.sm_rx_state = RxState::PortDisabled;
            // fallthrough to PORT_DISABLED
            port_disabled(port);
        }
        RxState::PortDisabled => port_disabled(port),
        RxState::LacpDisabled => {
            port.sm_vars &= !AD_PORT_SELECTED;
            record_default(port);
            port.partner_oper.port_state &= !(LACP_STATE_AGGREGATION as u16);
            port.sm_vars |= AD_PORT_MATCHED;
            port.actor_oper_port_state &= !LACP_STATE_EXPIRED;
        }
        RxState::Expired => {
            port.sm_vars &= !AD_PORT_MATCHED;
            port.partner_oper.port_state &= !(LACP_STATE_SYNCHRONIZATION as u16);
            port.partner_oper.port_state |= LACP_STATE_LACP_TIMEOUT as u16;
            port.sm_rx_timer_counter = ad_timer_to_ticks(Timer::CurrentWhile, AD_SHORT_TIMEOUT);
            port.actor_oper_port_state |= LACP_STATE_EXPIRED;
            port.sm_vars |= AD_PORT_CHURNED;
        }
        RxState::Defaulted => {
            update_default_selected(port);
            record_default(port);
            port.sm_vars |= AD_PORT_MATCHED;
            port.actor_oper_port_state &= !LACP_STATE_EXPIRED;
        }
        RxState::Current => {
            // Entered only with a LACPDU.
            if let Some(pdu) = lacpdu {
                if mac_equal(&pdu.actor.system, &port.actor_system) {
                    return RxOutcome::Loopback;
                }
                update_selected(pdu, port);
                update_ntt(pdu, port);
                record_pdu(pdu, port);
                port.sm_rx_timer_counter = ad_timer_to_ticks(
                    Timer::CurrentWhile,
                    (port.actor_oper_port_state & LACP_STATE_LACP_TIMEOUT) as u16,
                );
                port.actor_oper_port_state &= !LACP_STATE_EXPIRED;
            }
        }
        RxState::Dummy => {}
    }
    RxOutcome::Done
}

/// The PORT_DISABLED entry actions.
fn port_disabled(port: &mut PortState) {
    port.sm_vars &= !AD_PORT_MATCHED;
    port.partner_oper.port_state &= !(LACP_STATE_SYNCHRONIZATION as u16);
}

/// `__choose_matched()`: `AD_PORT_MATCHED` is set if the PDU's partner
/// information is our actor information (port, port priority, system,
/// system priority, operational key and aggregation bit) or the PDU's
/// actor is individual, and cleared otherwise.
///
/// C's comment speaks of "LACP actively maintaining the link" too; its
/// code, mirrored here, does not look at the activity bits.
pub fn choose_matched(lacpdu: &Lacpdu, port: &mut PortState) {
    let p = &lacpdu.partner;
    let same = p.port == port.actor_port_number
        && p.port_priority == port.actor_port_priority
        && mac_equal(&p.system, &port.actor_system)
        && p.system_priority == port.actor_system_priority
        && p.key == port.actor_oper_port_key
        && (p.state & LACP_STATE_AGGREGATION)
            == (port.actor_oper_port_state & LACP_STATE_AGGREGATION);
    if same || lacpdu.actor.state & LACP_STATE_AGGREGATION == 0 {
        port.sm_vars |= AD_PORT_MATCHED;
    } else {
        port.sm_vars &= !AD_PORT_MATCHED;
    }
}

/// `__record_pdu()`: [`choose_matched`], then the PDU's actor information
/// becomes the operational partner information, `DEFAULTED` is cleared,
/// and the partner's sync bit is kept only if the port is matched.
pub fn record_pdu(lacpdu: &Lacpdu, port: &mut PortState) {
    choose_matched(lacpdu, port);
    let a = &lacpdu.actor;
    let partner = &mut port.partner_oper;
    partner.port_number = a.port;
    partner.port_priority = a.port_priority;
    partner.system = a.system;
    partner.system_priority = a.system_priority;
    partner.key = a.key;
    partner.port_state = a.state as u16;

    port.actor_oper_port_state &= !LACP_STATE_DEFAULTED;

    if port.sm_vars & AD_PORT_MATCHED != 0 && a.state & LACP_STATE_SYNCHRONIZATION != 0 {
        port.partner_oper.port_state |= LACP_STATE_SYNCHRONIZATION as u16;
    } else {
        port.partner_oper.port_state &= !(LACP_STATE_SYNCHRONIZATION as u16);
    }
}

/// `__record_default()`: the administrative partner information becomes
/// the operational one, and `DEFAULTED` is set.
pub fn record_default(port: &mut PortState) {
    port.partner_oper = port.partner_admin;
    port.actor_oper_port_state |= LACP_STATE_DEFAULTED;
}

/// `__update_selected()`: `AD_PORT_SELECTED` is cleared if the PDU's actor
/// information differs from the operational partner information (port,
/// port priority, system, system priority, key, aggregation bit).
pub fn update_selected(lacpdu: &Lacpdu, port: &mut PortState) {
    let a = &lacpdu.actor;
    let p = &port.partner_oper;
    if a.port != p.port_number
        || a.port_priority != p.port_priority
        || !mac_equal(&a.system, &p.system)
        || a.system_priority != p.system_priority
        || a.key != p.key
        || (a.state & LACP_STATE_AGGREGATION) as u16 != p.port_state & LACP_STATE_AGGREGATION as u16
    {
        port.sm_vars &= !AD_PORT_SELECTED;
    }
}

/// `__update_default_selected()`: `AD_PORT_SELECTED` is cleared if the
/// administrative partner information differs from the operational one.
pub fn update_default_selected(port: &mut PortState) {
    let admin = &port.partner_admin;
    let oper = &port.partner_oper;
    let agg = LACP_STATE_AGGREGATION as u16;
    if admin.port_number != oper.port_number
        || admin.port_priority != oper.port_priority
        || !mac_equal(&admin.system, &oper.system)
        || admin.system_priority != oper.system_priority
        || admin.key != oper.key
        || admin.port_state & agg != oper.port_state & agg
    {
        port.sm_vars &= !AD_PORT_SELECTED;
    }
}

/// `__update_ntt()`: `ntt` is set if the PDU's partner information differs
/// from our actor information (port, port priority, system, system
/// priority, operational key, and the activity, timeout, sync and
/// aggregation bits).
pub fn update_ntt(lacpdu: &Lacpdu, port: &mut PortState) {
    let p = &lacpdu.partner;
    let bits = LACP_STATE_LACP_ACTIVITY
        | LACP_STATE_LACP_TIMEOUT
        | LACP_STATE_SYNCHRONIZATION
        | LACP_STATE_AGGREGATION;
    if p.port != port.actor_port_number
        || p.port_priority != port.actor_port_priority
        || !mac_equal(&p.system, &port.actor_system)
        || p.system_priority != port.actor_system_priority
        || p.key != port.actor_oper_port_key
        || (p.state & bits) != (port.actor_oper_port_state & bits)
    {
        port.ntt = true;
    }
}

#[cfg(test)]
mod tests {
    use super::super::pdu::PduInfo;
    use super::super::port::{BondParams, LinkInfo};
    use super::super::state::*;
    use super::*;

    const ME: MacAddr = [2, 0, 0, 0, 0, 1];
    const PEER: MacAddr = [2, 0, 0, 0, 0, 2];

    fn port(fast: bool) -> PortState {
        let params = BondParams {
            lacp_fast: fast,
            ..BondParams::default()
        };
        let sys = AdSystem {
            sys_priority: 0xffff,
            sys_mac_addr: ME,
        };
        PortState::bind(&params, 1, 0, &LinkInfo::full(1000), &sys)
    }

    /// A port after its first tick (BEGIN handled and cleared).
    fn started(fast: bool) -> PortState {
        let mut p = port(fast);
        ad_rx_machine(None, &mut p);
        p.sm_vars &= !AD_PORT_BEGIN;
        p
    }

    /// The LACPDU a partner that knows us (and is in sync) would send.
    fn peer_pdu(p: &PortState, state: u8) -> Lacpdu {
        Lacpdu {
            actor: PduInfo {
                system_priority: 0x8000,
                system: PEER,
                key: 9,
                port_priority: 0xff,
                port: 7,
                state,
            },
            partner: PduInfo {
                system_priority: p.actor_system_priority,
                system: p.actor_system,
                key: p.actor_oper_port_key,
                port_priority: p.actor_port_priority,
                port: p.actor_port_number,
                state: p.actor_oper_port_state,
            },
            collector_max_delay: 0,
        }
    }

    const ACTIVE_SYNC: u8 = LACP_STATE_LACP_ACTIVITY
        | LACP_STATE_AGGREGATION
        | LACP_STATE_SYNCHRONIZATION
        | LACP_STATE_LACP_TIMEOUT;

    #[test]
    fn begin_initializes_to_port_disabled_then_expired() {
        let mut p = port(false);
        p.partner_oper.port_state = 0xff;
        assert_eq!(ad_rx_machine(None, &mut p), RxOutcome::Done);
        assert_eq!(p.sm_rx_state, RxState::PortDisabled);
        assert!(p.has(AD_PORT_CHURNED | AD_PORT_LACP_ENABLED));
        assert!(!p.has(AD_PORT_SELECTED) && !p.has(AD_PORT_MATCHED));
        assert!(p.actor_has(LACP_STATE_DEFAULTED));
        assert_eq!(p.partner_oper, PortParams::PARTNER_DEFAULT);
        // While BEGIN stays set, every run re-initialises.
        ad_rx_machine(None, &mut p);
        assert_eq!(p.sm_rx_state, RxState::PortDisabled);
        p.sm_vars &= !(AD_PORT_BEGIN | AD_PORT_CHURNED);
        ad_rx_machine(None, &mut p);
        assert_eq!(p.sm_rx_state, RxState::Expired);
        assert!(p.actor_has(LACP_STATE_EXPIRED));
        assert!(p.partner_oper.state_has(LACP_STATE_LACP_TIMEOUT));
        assert_eq!(p.sm_rx_timer_counter, 30);
        assert!(p.has(AD_PORT_CHURNED));
    }

    #[test]
    fn half_duplex_key_goes_lacp_disabled() {
        let mut p = port(false);
        p.actor_oper_port_key &= !AD_DUPLEX_KEY_MASKS;
        ad_rx_machine(None, &mut p);
        assert!(!p.has(AD_PORT_LACP_ENABLED));
        p.sm_vars &= !AD_PORT_BEGIN;
        ad_rx_machine(None, &mut p);
        assert_eq!(p.sm_rx_state, RxState::LacpDisabled);
        assert!(p.has(AD_PORT_MATCHED) && !p.has(AD_PORT_SELECTED));
        assert!(!p.partner_oper.state_has(LACP_STATE_AGGREGATION));
        // A LACPDU in LACP_DISABLED is not recorded; the entry actions run
        // again (SELECTED, set by the selection logic meanwhile, drops).
        p.sm_vars |= AD_PORT_SELECTED;
        let pdu = peer_pdu(&p, ACTIVE_SYNC);
        ad_rx_machine(Some(&pdu), &mut p);
        assert_eq!(p.sm_rx_state, RxState::LacpDisabled);
        assert!(!p.has(AD_PORT_SELECTED));
        assert_eq!(p.partner_oper.system, [0; 6]);
    }

    #[test]
    fn short_timeout_expires_then_defaults() {
        let mut p = started(true);
        let pdu = peer_pdu(&p, ACTIVE_SYNC);
        // PORT_DISABLED -> EXPIRED on the tick, then the PDU makes CURRENT.
        ad_rx_machine(None, &mut p);
        assert_eq!(p.sm_rx_state, RxState::Expired);
        ad_rx_machine(Some(&pdu), &mut p);
        assert_eq!(p.sm_rx_state, RxState::Current);
        assert_eq!(p.sm_rx_timer_counter, 30);
        assert!(!p.actor_has(LACP_STATE_EXPIRED) && !p.actor_has(LACP_STATE_DEFAULTED));
        assert!(p.partner_oper.state_has(LACP_STATE_SYNCHRONIZATION));
        assert!(p.has(AD_PORT_MATCHED));
        // 29 ticks stay CURRENT, the 30th expires.
        for _ in 0..29 {
            ad_rx_machine(None, &mut p);
            assert_eq!(p.sm_rx_state, RxState::Current);
        }
        ad_rx_machine(None, &mut p);
        assert_eq!(p.sm_rx_state, RxState::Expired);
        assert!(p.actor_has(LACP_STATE_EXPIRED));
        assert!(!p.partner_oper.state_has(LACP_STATE_SYNCHRONIZATION));
        assert!(p.partner_oper.state_has(LACP_STATE_LACP_TIMEOUT));
        // The partner's identity is kept while EXPIRED.
        assert_eq!(p.partner_oper.system, PEER);
        for _ in 0..29 {
            ad_rx_machine(None, &mut p);
            assert_eq!(p.sm_rx_state, RxState::Expired);
        }
        p.sm_vars |= AD_PORT_SELECTED;
        ad_rx_machine(None, &mut p);
        assert_eq!(p.sm_rx_state, RxState::Defaulted);
        assert!(!p.actor_has(LACP_STATE_EXPIRED) && p.actor_has(LACP_STATE_DEFAULTED));
        assert_eq!(p.partner_oper, PortParams::PARTNER_DEFAULT);
        // The partner changed back to the defaults: unselected.
        assert!(!p.has(AD_PORT_SELECTED) && p.has(AD_PORT_MATCHED));
        // DEFAULTED has no timer: it stays.
        for _ in 0..1000 {
            ad_rx_machine(None, &mut p);
        }
        assert_eq!(p.sm_rx_state, RxState::Defaulted);
    }

    #[test]
    fn long_timeout_is_900_ticks() {
        let mut p = started(false);
        ad_rx_machine(None, &mut p);
        let pdu = peer_pdu(&p, ACTIVE_SYNC);
        ad_rx_machine(Some(&pdu), &mut p);
        assert_eq!(p.sm_rx_timer_counter, 900);
        for _ in 0..899 {
            ad_rx_machine(None, &mut p);
        }
        assert_eq!(p.sm_rx_state, RxState::Current);
        ad_rx_machine(None, &mut p);
        assert_eq!(p.sm_rx_state, RxState::Expired);
        // EXPIRED always uses the short timeout.
        assert_eq!(p.sm_rx_timer_counter, 30);
    }

    #[test]
    fn churned_only_on_entering_current() {
        let mut p = started(true);
        ad_rx_machine(None, &mut p);
        p.sm_vars &= !AD_PORT_CHURNED;
        let pdu = peer_pdu(&p, ACTIVE_SYNC);
        ad_rx_machine(Some(&pdu), &mut p);
        assert!(p.has(AD_PORT_CHURNED));
        p.sm_vars &= !AD_PORT_CHURNED;
        ad_rx_machine(Some(&pdu), &mut p);
        assert!(!p.has(AD_PORT_CHURNED));
    }

    #[test]
    fn partner_change_unselects_and_mismatch_sets_ntt() {
        let mut p = started(true);
        ad_rx_machine(None, &mut p);
        let pdu = peer_pdu(&p, ACTIVE_SYNC);
        ad_rx_machine(Some(&pdu), &mut p);
        // First PDU: partner differs from the defaults -> unselected.
        assert!(!p.has(AD_PORT_SELECTED));
        // The PDU's view of us matches: no ntt.
        assert!(!p.ntt);
        p.sm_vars |= AD_PORT_SELECTED;
        ad_rx_machine(Some(&pdu), &mut p);
        assert!(p.has(AD_PORT_SELECTED) && !p.ntt);
        // The partner's key changes: unselected.
        let mut other = pdu;
        other.actor.key = 10;
        ad_rx_machine(Some(&other), &mut p);
        assert!(!p.has(AD_PORT_SELECTED));
        // The partner's view of our timeout is stale: ntt.
        let mut stale = other;
        stale.partner.state &= !LACP_STATE_LACP_TIMEOUT;
        ad_rx_machine(Some(&stale), &mut p);
        assert!(p.ntt);
        // A difference in a bit __update_ntt does not compare: no ntt.
        p.ntt = false;
        let mut coll = other;
        coll.partner.state |= LACP_STATE_COLLECTING;
        ad_rx_machine(Some(&coll), &mut p);
        assert!(!p.ntt);
    }

    #[test]
    fn unmatched_pdu_clears_partner_sync() {
        let mut p = started(true);
        ad_rx_machine(None, &mut p);
        let mut pdu = peer_pdu(&p, ACTIVE_SYNC);
        pdu.partner.key = 0x999;
        ad_rx_machine(Some(&pdu), &mut p);
        assert!(!p.has(AD_PORT_MATCHED));
        assert!(!p.partner_oper.state_has(LACP_STATE_SYNCHRONIZATION));
        // An individual partner is always matched.
        pdu.actor.state &= !LACP_STATE_AGGREGATION;
        ad_rx_machine(Some(&pdu), &mut p);
        assert!(p.has(AD_PORT_MATCHED));
        assert!(p.partner_oper.state_has(LACP_STATE_SYNCHRONIZATION));
    }

    #[test]
    fn loopback_pdu_is_not_recorded_and_stops_the_timer() {
        let mut p = started(true);
        ad_rx_machine(None, &mut p);
        assert_eq!(p.sm_rx_state, RxState::Expired);
        p.sm_vars &= !AD_PORT_CHURNED;
        let own = Lacpdu::from_port(&p);
        assert_eq!(ad_rx_machine(Some(&own), &mut p), RxOutcome::Loopback);
        assert_eq!(p.sm_rx_state, RxState::Current);
        assert_eq!(p.sm_rx_timer_counter, 0);
        assert!(p.has(AD_PORT_CHURNED));
        // Nothing recorded: still EXPIRED and DEFAULTED bits, defaults.
        assert!(p.actor_has(LACP_STATE_EXPIRED | LACP_STATE_DEFAULTED));
        assert_eq!(p.partner_oper.system, [0; 6]);
        // And no timer runs: CURRENT forever without another LACPDU.
        for _ in 0..2000 {
            ad_rx_machine(None, &mut p);
        }
        assert_eq!(p.sm_rx_state, RxState::Current);
    }

    #[test]
    fn port_disabled_wins_and_keeps_expired_bit() {
        let mut p = started(true);
        ad_rx_machine(None, &mut p);
        assert_eq!(p.sm_rx_state, RxState::Expired);
        p.is_enabled = false;
        let pdu = peer_pdu(&p, ACTIVE_SYNC);
        ad_rx_machine(Some(&pdu), &mut p);
        assert_eq!(p.sm_rx_state, RxState::PortDisabled);
        assert!(p.actor_has(LACP_STATE_EXPIRED));
        assert_eq!(p.partner_oper.system, [0; 6]);
        // The timer does not run while disabled ...
        let t = p.sm_rx_timer_counter;
        ad_rx_machine(None, &mut p);
        assert_eq!(p.sm_rx_timer_counter, t);
        // ... but on re-enable it is counted down by the same run that
        // leaves PORT_DISABLED (C's else branch) before EXPIRED re-arms it.
        p.is_enabled = true;
        ad_rx_machine(None, &mut p);
        assert_eq!(p.sm_rx_state, RxState::Expired);
        assert_eq!(p.sm_rx_timer_counter, 30);
    }

    #[test]
    fn stale_timer_in_port_disabled_expires_to_nothing() {
        // CURRENT with a timer, link down, link up with one tick left: the
        // decrement reaches zero in PORT_DISABLED, which the expiry switch
        // ignores, so the port stays PORT_DISABLED for that run.
        let mut p = started(true);
        ad_rx_machine(None, &mut p);
        let pdu = peer_pdu(&p, ACTIVE_SYNC);
        ad_rx_machine(Some(&pdu), &mut p);
        p.sm_rx_timer_counter = 1;
        p.is_enabled = false;
        ad_rx_machine(None, &mut p);
        p.is_enabled = true;
        ad_rx_machine(None, &mut p);
        assert_eq!(p.sm_rx_state, RxState::PortDisabled);
        assert_eq!(p.sm_rx_timer_counter, 0);
        ad_rx_machine(None, &mut p);
        assert_eq!(p.sm_rx_state, RxState::Expired);
    }
}
