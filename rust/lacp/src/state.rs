// SPDX-License-Identifier: GPL-2.0

//! LACP constants and the per-port parameter block.
//!
//! Mirrors, from Linux 6.12:
//!
//! * the actor/partner state bits `LACP_STATE_*`
//!   (include/uapi/linux/if_bonding.h);
//! * `struct port_params` and `struct ad_system`
//!   (include/net/bond_3ad.h) as [`PortParams`] and [`AdSystem`];
//! * the `AD_PORT_*` state machine variables kept in `port->sm_vars`, the
//!   port key layout `AD_*_KEY_MASKS`, and the timer constants of
//!   drivers/net/bonding/bond_3ad.c;
//! * `__ad_timer_to_ticks()` as [`ad_timer_to_ticks`].
//!
//! All times are counted in ticks of the state machine handler, which runs
//! every [`AD_TIMER_INTERVAL`] = 100 ms, i.e. [`AD_TICKS_PER_SEC`] = 10
//! ticks a second (C's `ad_ticks_per_sec`).

/// A MAC address (`struct mac_addr`), in wire order.
pub type MacAddr = [u8; 6];

/// `LACP_STATE_LACP_ACTIVITY`: active (1) or passive (0) LACP.
pub const LACP_STATE_LACP_ACTIVITY: u8 = 0x1;
/// `LACP_STATE_LACP_TIMEOUT`: short (1) or long (0) timeout.
pub const LACP_STATE_LACP_TIMEOUT: u8 = 0x2;
/// `LACP_STATE_AGGREGATION`: aggregatable (1) or individual (0).
pub const LACP_STATE_AGGREGATION: u8 = 0x4;
/// `LACP_STATE_SYNCHRONIZATION`: in sync (attached to the right aggregator).
pub const LACP_STATE_SYNCHRONIZATION: u8 = 0x8;
/// `LACP_STATE_COLLECTING`: collecting frames.
pub const LACP_STATE_COLLECTING: u8 = 0x10;
/// `LACP_STATE_DISTRIBUTING`: distributing frames.
pub const LACP_STATE_DISTRIBUTING: u8 = 0x20;
/// `LACP_STATE_DEFAULTED`: the partner information is the administrative
/// default.
pub const LACP_STATE_DEFAULTED: u8 = 0x40;
/// `LACP_STATE_EXPIRED`: the receive machine is in the EXPIRED state.
pub const LACP_STATE_EXPIRED: u8 = 0x80;

/// `AD_PORT_BEGIN`: the port is (re)initialised at the next tick.
pub const AD_PORT_BEGIN: u16 = 0x1;
/// `AD_PORT_LACP_ENABLED`: LACP runs on the port (full duplex).
pub const AD_PORT_LACP_ENABLED: u16 = 0x2;
/// `AD_PORT_ACTOR_CHURN`.
pub const AD_PORT_ACTOR_CHURN: u16 = 0x4;
/// `AD_PORT_PARTNER_CHURN`.
pub const AD_PORT_PARTNER_CHURN: u16 = 0x8;
/// `AD_PORT_READY`: every port of the aggregator has `READY_N`.
pub const AD_PORT_READY: u16 = 0x10;
/// `AD_PORT_READY_N`: this port's wait_while timer has run out.
pub const AD_PORT_READY_N: u16 = 0x20;
/// `AD_PORT_MATCHED`.
pub const AD_PORT_MATCHED: u16 = 0x40;
/// `AD_PORT_STANDBY` (tested by the mux machine, set nowhere in C).
pub const AD_PORT_STANDBY: u16 = 0x80;
/// `AD_PORT_SELECTED`.
pub const AD_PORT_SELECTED: u16 = 0x100;
/// `AD_PORT_MOVED` (defined, used nowhere in C).
pub const AD_PORT_MOVED: u16 = 0x200;
/// `AD_PORT_CHURNED`: both churn bits; set by the receive machine to
/// restart the churn machine.
pub const AD_PORT_CHURNED: u16 = AD_PORT_ACTOR_CHURN | AD_PORT_PARTNER_CHURN;

/// `AD_DUPLEX_KEY_MASKS`: bit 0 of a port key, full duplex.
pub const AD_DUPLEX_KEY_MASKS: u16 = 0x1;
/// `AD_SPEED_KEY_MASKS`: bits 1..=5 of a port key, the `AD_LINK_SPEED_*`
/// value.
pub const AD_SPEED_KEY_MASKS: u16 = 0x3e;
/// `AD_USER_KEY_MASKS`: bits 6..=15 of a port key, `ad_user_port_key`.
pub const AD_USER_KEY_MASKS: u16 = 0xffc0;

/// `AD_LACP_SLOW` (`lacp_rate slow`).
pub const AD_LACP_SLOW: u8 = 0;
/// `AD_LACP_FAST` (`lacp_rate fast`).
pub const AD_LACP_FAST: u8 = 1;

/// `AD_SHORT_TIMEOUT`: the `par` of [`Timer::CurrentWhile`] for a short
/// timeout.
pub const AD_SHORT_TIMEOUT: u16 = 1;
/// `AD_LONG_TIMEOUT`.
pub const AD_LONG_TIMEOUT: u16 = 0;
/// `AD_MAX_TX_IN_SECOND`: at most this many LACPDUs a second.
pub const AD_MAX_TX_IN_SECOND: u16 = 3;
/// `AD_COLLECTOR_MAX_DELAY`, sent in every LACPDU.
pub const AD_COLLECTOR_MAX_DELAY: u16 = 0;

/// `AD_FAST_PERIODIC_TIME`, seconds.
pub const AD_FAST_PERIODIC_TIME: u16 = 1;
/// `AD_SLOW_PERIODIC_TIME`, seconds.
pub const AD_SLOW_PERIODIC_TIME: u16 = 30;
/// `AD_SHORT_TIMEOUT_TIME`, seconds.
pub const AD_SHORT_TIMEOUT_TIME: u16 = 3 * AD_FAST_PERIODIC_TIME;
/// `AD_LONG_TIMEOUT_TIME`, seconds.
pub const AD_LONG_TIMEOUT_TIME: u16 = 3 * AD_SLOW_PERIODIC_TIME;
/// `AD_CHURN_DETECTION_TIME`, seconds.
pub const AD_CHURN_DETECTION_TIME: u16 = 60;
/// `AD_AGGREGATE_WAIT_TIME`, seconds.
pub const AD_AGGREGATE_WAIT_TIME: u16 = 2;
/// `AD_AGGREGATOR_SELECTION_TIMER`, seconds (the bond's initial
/// `agg_select_timer`, in `bond_3ad_initialize()`).
pub const AD_AGGREGATOR_SELECTION_TIMER: u16 = 8;

/// `AD_TIMER_INTERVAL`: milliseconds between two runs of the state
/// machines.
pub const AD_TIMER_INTERVAL: u16 = 100;
/// `ad_ticks_per_sec` = `1000 / AD_TIMER_INTERVAL`.
pub const AD_TICKS_PER_SEC: u16 = 1000 / AD_TIMER_INTERVAL;

/// The timers of 43.4.9 (`ad_timers_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// `AD_CURRENT_WHILE_TIMER` (receive machine).
    CurrentWhile = 0,
    /// `AD_ACTOR_CHURN_TIMER`.
    ActorChurn = 1,
    /// `AD_PERIODIC_TIMER`.
    Periodic = 2,
    /// `AD_PARTNER_CHURN_TIMER`.
    PartnerChurn = 3,
    /// `AD_WAIT_WHILE_TIMER` (mux machine).
    WaitWhile = 4,
}

/// `__ad_timer_to_ticks(timer_type, par)`: a timer's length in ticks.
///
/// For [`Timer::CurrentWhile`], a non-zero `par` means the short timeout
/// (30 ticks), zero the long one (900). For [`Timer::Periodic`], `par` is
/// the period in seconds (the product is truncated to `u16` like C's
/// assignment of the `int` product). The other timers ignore `par`.
pub const fn ad_timer_to_ticks(timer: Timer, par: u16) -> u16 {
    match timer {
        Timer::CurrentWhile => {
            if par != 0 {
                AD_SHORT_TIMEOUT_TIME * AD_TICKS_PER_SEC
            } else {
                AD_LONG_TIMEOUT_TIME * AD_TICKS_PER_SEC
            }
        }
        Timer::ActorChurn | Timer::PartnerChurn => AD_CHURN_DETECTION_TIME * AD_TICKS_PER_SEC,
        Timer::Periodic => par.wrapping_mul(AD_TICKS_PER_SEC),
        Timer::WaitWhile => AD_AGGREGATE_WAIT_TIME * AD_TICKS_PER_SEC,
    }
}

/// C's `counter && !(--counter)`: counts a running timer down by one tick
/// and returns whether it has just run out. A stopped timer (0) stays
/// stopped and never "runs out".
pub fn timer_expired(counter: &mut u16) -> bool {
    if *counter == 0 {
        return false;
    }
    *counter -= 1;
    *counter == 0
}

/// `struct port_params`: one end's identity and state, as the actor knows
/// its partner (`port->partner_admin`, `port->partner_oper`).
///
/// `port_state` is a `u16` as in C, although only `LACP_STATE_*` bits and
/// received `u8` states are ever stored in it; it is truncated to its low
/// byte when put into a LACPDU (`__update_lacpdu_from_port()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct PortParams {
    /// `system`: the system MAC address.
    pub system: MacAddr,
    /// `system_priority`.
    pub system_priority: u16,
    /// `key`: the operational key.
    pub key: u16,
    /// `port_number`.
    pub port_number: u16,
    /// `port_priority`.
    pub port_priority: u16,
    /// `port_state`: `LACP_STATE_*` bits.
    pub port_state: u16,
}

impl PortParams {
    /// All zero (a `struct port` before `ad_initialize_port()`).
    pub const ZERO: PortParams = PortParams {
        system: [0; 6],
        system_priority: 0,
        key: 0,
        port_number: 0,
        port_priority: 0,
        port_state: 0,
    };

    /// The partner defaults of `ad_initialize_port()` (its `tmpl`): no
    /// system, lowest system priority, key 1, port 1, port priority 0xff,
    /// state 0 (passive, long timeout, individual, out of sync).
    pub const PARTNER_DEFAULT: PortParams = PortParams {
        system: [0; 6],
        system_priority: 0xffff,
        key: 1,
        port_number: 1,
        port_priority: 0xff,
        port_state: 0,
    };

    /// Whether `bit` (a `LACP_STATE_*` value) is set in `port_state`.
    pub const fn state_has(&self, bit: u8) -> bool {
        self.port_state & bit as u16 != 0
    }
}

/// `struct ad_system`: the bond's LACP system identity
/// (`ad_actor_sys_prio`, and `ad_actor_system` or else the bond's MAC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct AdSystem {
    /// `sys_priority`.
    pub sys_priority: u16,
    /// `sys_mac_addr`.
    pub sys_mac_addr: MacAddr,
}

/// `MAC_ADDRESS_EQUAL()` (`ether_addr_equal_64bits()`): the six bytes are
/// equal.
pub const fn mac_equal(a: &MacAddr, b: &MacAddr) -> bool {
    a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3] && a[4] == b[4] && a[5] == b[5]
}

/// `is_zero_ether_addr()`.
pub const fn is_zero_mac(a: &MacAddr) -> bool {
    (a[0] | a[1] | a[2] | a[3] | a[4] | a[5]) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_lengths_match_c() {
        assert_eq!(AD_TICKS_PER_SEC, 10);
        assert_eq!(ad_timer_to_ticks(Timer::CurrentWhile, AD_SHORT_TIMEOUT), 30);
        assert_eq!(ad_timer_to_ticks(Timer::CurrentWhile, 2), 30);
        assert_eq!(ad_timer_to_ticks(Timer::CurrentWhile, AD_LONG_TIMEOUT), 900);
        assert_eq!(ad_timer_to_ticks(Timer::ActorChurn, 5), 600);
        assert_eq!(ad_timer_to_ticks(Timer::PartnerChurn, 0), 600);
        assert_eq!(
            ad_timer_to_ticks(Timer::Periodic, AD_FAST_PERIODIC_TIME),
            10
        );
        assert_eq!(
            ad_timer_to_ticks(Timer::Periodic, AD_SLOW_PERIODIC_TIME),
            300
        );
        assert_eq!(ad_timer_to_ticks(Timer::WaitWhile, 9), 20);
        // u16 truncation of the int product, as C's assignment does.
        assert_eq!(ad_timer_to_ticks(Timer::Periodic, 7000), 4464);
    }

    #[test]
    fn timer_expired_is_c_decrement() {
        let mut t = 0;
        assert!(!timer_expired(&mut t));
        assert_eq!(t, 0);
        t = 2;
        assert!(!timer_expired(&mut t));
        assert!(timer_expired(&mut t));
        assert!(!timer_expired(&mut t));
        assert_eq!(t, 0);
    }

    #[test]
    fn flags_are_c_values() {
        assert_eq!(AD_PORT_CHURNED, 0xc);
        assert_eq!(
            AD_DUPLEX_KEY_MASKS | AD_SPEED_KEY_MASKS | AD_USER_KEY_MASKS,
            0xffff
        );
        assert_eq!(LACP_STATE_EXPIRED, 0x80);
    }

    #[test]
    fn mac_helpers() {
        let a = [1, 2, 3, 4, 5, 6];
        let mut b = a;
        assert!(mac_equal(&a, &b));
        b[5] = 7;
        assert!(!mac_equal(&a, &b));
        assert!(is_zero_mac(&[0; 6]));
        assert!(!is_zero_mac(&[0, 0, 0, 0, 0, 1]));
        let d = PortParams::PARTNER_DEFAULT;
        assert!(!d.state_has(LACP_STATE_AGGREGATION));
        let agg = PortParams {
            port_state: LACP_STATE_AGGREGATION as u16,
            ..d
        };
        assert!(agg.state_has(LACP_STATE_AGGREGATION));
    }
}
