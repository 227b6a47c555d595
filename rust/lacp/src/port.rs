// SPDX-License-Identifier: GPL-2.0

//! A port's LACP state (`struct port`) and the per-port updates done
//! outside the state machines.
//!
//! Mirrors, from drivers/net/bonding/bond_3ad.c of Linux 6.12:
//!
//! * `struct port` (include/net/bond_3ad.h) as [`PortState`], without its
//!   pointers (`slave`, `aggregator`, `next_port_in_aggregator`: see
//!   [`super::aggregator::AdSlave`]) and without `lacpdu` (the PDU to send is built on demand
//!   by [`super::pdu::Lacpdu::from_port`]) and `sm_tx_state` (written once,
//!   never read);
//! * `ad_initialize_port()` as [`PortState::initialize`] and the per-port
//!   half of `bond_3ad_bind_slave()` as [`PortState::bind`];
//! * `__get_link_speed()` / `__get_duplex()` as [`ad_link_speed`] /
//!   [`ad_duplex`], and `ad_update_actor_keys()` as
//!   [`PortState::update_actor_keys`];
//! * the per-port bodies of `bond_3ad_handle_link_change()`,
//!   `bond_3ad_adapter_speed_duplex_changed()`,
//!   `bond_3ad_update_lacp_rate()`, `bond_3ad_update_lacp_active()` and
//!   `bond_3ad_update_ad_actor_settings()` (with `__ad_actor_update_port()`).
//!
//! The aggregator selection that `bond_3ad_handle_link_change()` runs after
//! its per-port part is [`super::aggregator::bond_3ad_handle_link_change`].

use super::churn::ChurnState;
use super::mux::MuxState;
use super::periodic::PeriodicState;
use super::rx::RxState;
use super::state::{
    AdSystem, MacAddr, PortParams, AD_DUPLEX_KEY_MASKS, AD_MAX_TX_IN_SECOND, AD_PORT_BEGIN,
    AD_PORT_LACP_ENABLED, AD_SPEED_KEY_MASKS, AD_TICKS_PER_SEC, LACP_STATE_AGGREGATION,
    LACP_STATE_LACP_ACTIVITY, LACP_STATE_LACP_TIMEOUT,
};

/// The bond parameters the per-port logic reads (`struct bond_params`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BondParams {
    /// `lacp_active` (`lacp_active on`, the default).
    pub lacp_active: bool,
    /// `lacp_fast` (`lacp_rate fast`; default slow).
    pub lacp_fast: bool,
    /// `coupled_control` (default on): the mux machine enables collecting
    /// and distributing together.
    pub coupled_control: bool,
}

impl Default for BondParams {
    /// The defaults of `bond_check_params()`.
    fn default() -> Self {
        BondParams {
            lacp_active: true,
            lacp_fast: false,
            coupled_control: true,
        }
    }
}

/// What `__get_link_speed()` and `__get_duplex()` read of the slave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkInfo {
    /// `slave->link == BOND_LINK_UP`.
    pub up: bool,
    /// `slave->speed` in Mb/s (`SPEED_UNKNOWN` is `u32::MAX`).
    pub speed: u32,
    /// `slave->duplex == DUPLEX_FULL`.
    pub full_duplex: bool,
}

impl LinkInfo {
    /// A link that is down, of unknown speed and duplex.
    pub const DOWN: LinkInfo = LinkInfo {
        up: false,
        speed: u32::MAX,
        full_duplex: false,
    };

    /// A full-duplex link that is up at `speed` Mb/s.
    pub const fn full(speed: u32) -> LinkInfo {
        LinkInfo {
            up: true,
            speed,
            full_duplex: true,
        }
    }
}

/// `__get_link_speed()`: the `AD_LINK_SPEED_*` value of the slave's speed
/// (`AD_LINK_SPEED_10MBPS` = 2 up to `AD_LINK_SPEED_800000MBPS` = 17), or
/// 0 if the link is not up or the speed is not one 802.3ad knows.
/// (`AD_LINK_SPEED_1MBPS` = 1 is never returned.)
pub const fn ad_link_speed(link: &LinkInfo) -> u16 {
    if !link.up {
        return 0;
    }
    match link.speed {
        10 => 2,
        100 => 3,
        1000 => 4,
        2500 => 5,
        5000 => 6,
        10000 => 7,
        14000 => 8,
        20000 => 9,
        25000 => 10,
        40000 => 11,
        50000 => 12,
        56000 => 13,
        100000 => 14,
        200000 => 15,
        400000 => 16,
        800000 => 17,
        _ => 0,
    }
}

/// `__get_duplex()`: 1 if the link is up and full duplex, else 0.
pub const fn ad_duplex(link: &LinkInfo) -> u16 {
    if link.up && link.full_duplex {
        1
    } else {
        0
    }
}

/// What [`PortState::update_actor_keys`] did, for the caller's log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyUpdate {
    /// The operational key did not change.
    Unchanged,
    /// The key changed (LACP enabled or disabled by the duplex bit).
    Changed,
    /// The key changed and the speed is now 0: C logs
    /// "speed changed to 0 on port %d".
    SpeedZero,
    /// The key changed on a full-duplex port whose speed changed: the
    /// port's state machines restart (`AD_PORT_BEGIN`).
    Restarted,
}

/// A port's LACP state: `struct port` without its pointers.
///
/// Field names are C's. The `sm_*` states and timers belong to the state
/// machines of the sibling modules; `sm_vars` holds the `AD_PORT_*` bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortState {
    /// `actor_port_number` (the slave's `ad_info` id).
    pub actor_port_number: u16,
    /// `actor_port_priority`.
    pub actor_port_priority: u16,
    /// `actor_system`: the bond's system MAC.
    pub actor_system: MacAddr,
    /// `actor_system_priority`.
    pub actor_system_priority: u16,
    /// `actor_port_aggregator_identifier` (kept by the selection logic).
    pub actor_port_aggregator_identifier: u16,
    /// `ntt`: need to transmit.
    pub ntt: bool,
    /// `actor_admin_port_key`.
    pub actor_admin_port_key: u16,
    /// `actor_oper_port_key`.
    pub actor_oper_port_key: u16,
    /// `actor_admin_port_state`.
    pub actor_admin_port_state: u8,
    /// `actor_oper_port_state`: `LACP_STATE_*` bits.
    pub actor_oper_port_state: u8,
    /// `partner_admin`.
    pub partner_admin: PortParams,
    /// `partner_oper`.
    pub partner_oper: PortParams,
    /// `is_enabled`: the port's link is up.
    pub is_enabled: bool,
    /// `sm_vars`: `AD_PORT_*` bits.
    pub sm_vars: u16,
    /// `sm_rx_state`.
    pub sm_rx_state: RxState,
    /// `sm_rx_timer_counter`: the current_while timer.
    pub sm_rx_timer_counter: u16,
    /// `sm_periodic_state`.
    pub sm_periodic_state: PeriodicState,
    /// `sm_periodic_timer_counter`.
    pub sm_periodic_timer_counter: u16,
    /// `sm_mux_state`.
    pub sm_mux_state: MuxState,
    /// `sm_mux_timer_counter`: the wait_while timer.
    pub sm_mux_timer_counter: u16,
    /// `sm_tx_timer_counter`: ticks until the next transmit opportunity.
    pub sm_tx_timer_counter: u16,
    /// `sm_churn_actor_timer_counter`.
    pub sm_churn_actor_timer_counter: u16,
    /// `sm_churn_partner_timer_counter`.
    pub sm_churn_partner_timer_counter: u16,
    /// `churn_actor_count`.
    pub churn_actor_count: u32,
    /// `churn_partner_count`.
    pub churn_partner_count: u32,
    /// `sm_churn_actor_state`.
    pub sm_churn_actor_state: ChurnState,
    /// `sm_churn_partner_state`.
    pub sm_churn_partner_state: ChurnState,
    /// `transaction_id` (Marker PDUs; never used by C beyond reset).
    pub transaction_id: u32,
}

impl Default for PortState {
    fn default() -> Self {
        Self::ZERO
    }
}

impl PortState {
    /// An all-zero port, as in a freshly allocated `struct slave`.
    pub const ZERO: PortState = PortState {
        actor_port_number: 0,
        actor_port_priority: 0,
        actor_system: [0; 6],
        actor_system_priority: 0,
        actor_port_aggregator_identifier: 0,
        ntt: false,
        actor_admin_port_key: 0,
        actor_oper_port_key: 0,
        actor_admin_port_state: 0,
        actor_oper_port_state: 0,
        partner_admin: PortParams::ZERO,
        partner_oper: PortParams::ZERO,
        is_enabled: false,
        sm_vars: 0,
        sm_rx_state: RxState::Dummy,
        sm_rx_timer_counter: 0,
        sm_periodic_state: PeriodicState::Dummy,
        sm_periodic_timer_counter: 0,
        sm_mux_state: MuxState::Dummy,
        sm_mux_timer_counter: 0,
        sm_tx_timer_counter: 0,
        sm_churn_actor_timer_counter: 0,
        sm_churn_partner_timer_counter: 0,
        churn_actor_count: 0,
        churn_partner_count: 0,
        sm_churn_actor_state: ChurnState::Monitor,
        sm_churn_partner_state: ChurnState::Monitor,
        transaction_id: 0,
    };

    /// `ad_initialize_port(port, bond_params)`.
    ///
    /// Resets the actor state to aggregatable (plus active if
    /// `lacp_active`, plus short timeout if `lacp_fast`), both partner
    /// blocks to [`PortParams::PARTNER_DEFAULT`], all machines to their
    /// `DUMMY` state, and `sm_vars` to `BEGIN | LACP_ENABLED`. Like C it
    /// leaves the port number, system, keys and the tx timer alone.
    pub fn initialize(&mut self, params: &BondParams) {
        self.actor_port_priority = 0xff;
        self.actor_port_aggregator_identifier = 0;
        self.ntt = false;
        self.actor_admin_port_state = LACP_STATE_AGGREGATION;
        self.actor_oper_port_state = LACP_STATE_AGGREGATION;
        if params.lacp_active {
            self.actor_admin_port_state |= LACP_STATE_LACP_ACTIVITY;
            self.actor_oper_port_state |= LACP_STATE_LACP_ACTIVITY;
        }
        if params.lacp_fast {
            self.actor_oper_port_state |= LACP_STATE_LACP_TIMEOUT;
        }
        self.partner_admin = PortParams::PARTNER_DEFAULT;
        self.partner_oper = PortParams::PARTNER_DEFAULT;
        self.is_enabled = true;
        self.sm_vars = AD_PORT_BEGIN | AD_PORT_LACP_ENABLED;
        self.sm_rx_state = RxState::Dummy;
        self.sm_rx_timer_counter = 0;
        self.sm_periodic_state = PeriodicState::Dummy;
        self.sm_periodic_timer_counter = 0;
        self.sm_mux_state = MuxState::Dummy;
        self.sm_mux_timer_counter = 0;
        self.transaction_id = 0;
        self.sm_churn_actor_timer_counter = 0;
        self.sm_churn_actor_state = ChurnState::Monitor;
        self.churn_actor_count = 0;
        self.sm_churn_partner_timer_counter = 0;
        self.sm_churn_partner_state = ChurnState::Monitor;
        self.churn_partner_count = 0;
    }

    /// The port half of `bond_3ad_bind_slave()` for a new slave: a zeroed
    /// port, initialised, numbered `port_number` (the slave's `ad_info`
    /// id), with admin key `ad_user_port_key << 6` completed by the link's
    /// speed and duplex, the bond's system identity and port priority 0xff
    /// (the value `bond_3ad_bind_slave()` stores in the slave's `ad_info`
    /// and `__ad_actor_update_port()` reads back), and the tx timer armed.
    ///
    /// The caller then disables the slave (`__disable_port()`: C calls it
    /// right after) and initialises the slave's aggregator.
    pub fn bind(
        params: &BondParams,
        port_number: u16,
        ad_user_port_key: u16,
        link: &LinkInfo,
        system: &AdSystem,
    ) -> PortState {
        let mut p = PortState::ZERO;
        p.initialize(params);
        let port_priority = p.actor_port_priority;
        p.actor_port_number = port_number;
        p.actor_admin_port_key = ad_user_port_key << 6;
        p.update_actor_keys(false, link);
        p.actor_update_port(system, port_priority);
        p.sm_tx_timer_counter = AD_TICKS_PER_SEC / AD_MAX_TX_IN_SECOND;
        p
    }

    /// `__ad_actor_update_port()`: the bond's system identity and the
    /// slave's `ad_actor_port_prio`.
    pub fn actor_update_port(&mut self, system: &AdSystem, port_priority: u16) {
        self.actor_system = system.sys_mac_addr;
        self.actor_system_priority = system.sys_priority;
        self.actor_port_priority = port_priority;
    }

    /// `ad_update_actor_keys(port, reset)`: puts the link's speed and
    /// duplex (none if `reset`) into the admin and operational keys. If the
    /// operational key changed, LACP is enabled exactly on full duplex, and
    /// (unless `reset`) a non-zero speed that differs from the key's old
    /// speed on a full-duplex port restarts the port (`AD_PORT_BEGIN`).
    pub fn update_actor_keys(&mut self, reset: bool, link: &LinkInfo) -> KeyUpdate {
        let mut duplex = 0;
        let mut ospeed = 0;
        let mut speed = 0;
        let old_oper_key = self.actor_oper_port_key;

        self.actor_admin_port_key &= !(AD_SPEED_KEY_MASKS | AD_DUPLEX_KEY_MASKS);
        if !reset {
            speed = ad_link_speed(link);
            ospeed = (old_oper_key & AD_SPEED_KEY_MASKS) >> 1;
            duplex = ad_duplex(link);
            self.actor_admin_port_key |= (speed << 1) | duplex;
        }
        self.actor_oper_port_key = self.actor_admin_port_key;

        if old_oper_key == self.actor_oper_port_key {
            return KeyUpdate::Unchanged;
        }
        if duplex != 0 {
            self.sm_vars |= AD_PORT_LACP_ENABLED;
        } else {
            self.sm_vars &= !AD_PORT_LACP_ENABLED;
        }
        if !reset {
            if speed == 0 {
                return KeyUpdate::SpeedZero;
            } else if duplex != 0 && ospeed != speed {
                self.sm_vars |= AD_PORT_BEGIN;
                return KeyUpdate::Restarted;
            }
        }
        KeyUpdate::Changed
    }

    /// The per-port part of `bond_3ad_handle_link_change(slave, link)`:
    /// `link_up` is `link == BOND_LINK_UP`, `link` what the slave reports
    /// now. The caller then runs the aggregator selection.
    pub fn link_change(&mut self, link_up: bool, link: &LinkInfo) -> KeyUpdate {
        self.is_enabled = link_up;
        self.update_actor_keys(!link_up, link)
    }

    /// `bond_3ad_adapter_speed_duplex_changed()`.
    pub fn speed_duplex_changed(&mut self, link: &LinkInfo) -> KeyUpdate {
        self.update_actor_keys(false, link)
    }

    /// The per-port body of `bond_3ad_update_lacp_rate()`: sets or clears
    /// the actor's short-timeout bit (no `ntt`: the partner learns it from
    /// the next periodic LACPDU).
    pub fn update_lacp_rate(&mut self, lacp_fast: bool) {
        if lacp_fast {
            self.actor_oper_port_state |= LACP_STATE_LACP_TIMEOUT;
        } else {
            self.actor_oper_port_state &= !LACP_STATE_LACP_TIMEOUT;
        }
    }

    /// The per-port body of `bond_3ad_update_lacp_active()`.
    pub fn update_lacp_active(&mut self, lacp_active: bool) {
        if lacp_active {
            self.actor_oper_port_state |= LACP_STATE_LACP_ACTIVITY;
        } else {
            self.actor_oper_port_state &= !LACP_STATE_LACP_ACTIVITY;
        }
    }

    /// The per-port body of `bond_3ad_update_ad_actor_settings()`:
    /// `__ad_actor_update_port()` and `ntt`.
    pub fn update_ad_actor_settings(&mut self, system: &AdSystem, port_priority: u16) {
        self.actor_update_port(system, port_priority);
        self.ntt = true;
    }

    /// Whether all of `flags` (`AD_PORT_*`) are set in `sm_vars`.
    pub const fn has(&self, flags: u16) -> bool {
        self.sm_vars & flags == flags
    }

    /// Whether `bit` (a `LACP_STATE_*` value) is set in
    /// `actor_oper_port_state`.
    pub const fn actor_has(&self, bit: u8) -> bool {
        self.actor_oper_port_state & bit != 0
    }
}

#[cfg(test)]
mod tests {
    use super::super::state::*;
    use super::*;

    fn sys() -> AdSystem {
        AdSystem {
            sys_priority: 65535,
            sys_mac_addr: [2, 0, 0, 0, 0, 1],
        }
    }

    #[test]
    fn bind_matches_c_initial_state() {
        let p = PortState::bind(&BondParams::default(), 3, 5, &LinkInfo::full(10000), &sys());
        assert_eq!(p.actor_port_number, 3);
        assert_eq!(p.actor_port_priority, 0xff);
        assert_eq!(p.actor_system, [2, 0, 0, 0, 0, 1]);
        assert_eq!(p.actor_system_priority, 65535);
        // user key 5 << 6 | speed 7 (10G) << 1 | full duplex.
        assert_eq!(p.actor_oper_port_key, (5 << 6) | (7 << 1) | 1);
        assert_eq!(p.actor_admin_port_key, p.actor_oper_port_key);
        assert_eq!(
            p.actor_oper_port_state,
            LACP_STATE_AGGREGATION | LACP_STATE_LACP_ACTIVITY
        );
        assert_eq!(p.actor_admin_port_state, p.actor_oper_port_state);
        assert_eq!(p.partner_oper, PortParams::PARTNER_DEFAULT);
        // BEGIN from init; the key changed from 0 on a full-duplex link with
        // a new speed, so BEGIN is set (again) and LACP is enabled.
        assert_eq!(p.sm_vars, AD_PORT_BEGIN | AD_PORT_LACP_ENABLED);
        assert_eq!(p.sm_tx_timer_counter, 3);
        assert!(p.is_enabled && !p.ntt);
    }

    #[test]
    fn lacp_fast_and_passive_init() {
        let params = BondParams {
            lacp_active: false,
            lacp_fast: true,
            coupled_control: true,
        };
        let p = PortState::bind(&params, 1, 0, &LinkInfo::full(1000), &sys());
        // The admin state does not get the timeout bit, only the oper one.
        assert_eq!(p.actor_admin_port_state, LACP_STATE_AGGREGATION);
        assert_eq!(
            p.actor_oper_port_state,
            LACP_STATE_AGGREGATION | LACP_STATE_LACP_TIMEOUT
        );
    }

    #[test]
    fn half_duplex_or_down_disables_lacp() {
        let half = LinkInfo {
            up: true,
            speed: 100,
            full_duplex: false,
        };
        let p = PortState::bind(&BondParams::default(), 1, 0, &half, &sys());
        assert_eq!(p.actor_oper_port_key, 3 << 1);
        assert!(!p.has(AD_PORT_LACP_ENABLED));
        // Binding a slave whose link is down: key 0, unchanged from the
        // zeroed port, so LACP stays enabled (C's quirk).
        let p = PortState::bind(&BondParams::default(), 1, 0, &LinkInfo::DOWN, &sys());
        assert_eq!(p.actor_oper_port_key, 0);
        assert!(p.has(AD_PORT_LACP_ENABLED));
    }

    #[test]
    fn speed_change_restarts_only_full_duplex() {
        let mut p = PortState::bind(&BondParams::default(), 1, 0, &LinkInfo::full(1000), &sys());
        p.sm_vars &= !AD_PORT_BEGIN;
        assert_eq!(
            p.speed_duplex_changed(&LinkInfo::full(1000)),
            KeyUpdate::Unchanged
        );
        assert_eq!(
            p.speed_duplex_changed(&LinkInfo::full(10000)),
            KeyUpdate::Restarted
        );
        assert!(p.has(AD_PORT_BEGIN));
        p.sm_vars &= !AD_PORT_BEGIN;
        let half = LinkInfo {
            up: true,
            speed: 100,
            full_duplex: false,
        };
        assert_eq!(p.speed_duplex_changed(&half), KeyUpdate::Changed);
        assert!(!p.has(AD_PORT_BEGIN) && !p.has(AD_PORT_LACP_ENABLED));
        // Unknown speed: key speed 0, logged, no restart.
        let odd = LinkInfo::full(12345);
        assert_eq!(p.speed_duplex_changed(&odd), KeyUpdate::SpeedZero);
        assert!(p.has(AD_PORT_LACP_ENABLED) && !p.has(AD_PORT_BEGIN));
    }

    #[test]
    fn link_down_resets_key_and_disables() {
        let mut p = PortState::bind(&BondParams::default(), 1, 2, &LinkInfo::full(1000), &sys());
        assert_eq!(p.link_change(false, &LinkInfo::DOWN), KeyUpdate::Changed);
        assert!(!p.is_enabled);
        assert_eq!(p.actor_oper_port_key, 2 << 6);
        assert!(!p.has(AD_PORT_LACP_ENABLED));
        p.sm_vars &= !AD_PORT_BEGIN;
        // Back up at the same speed: ospeed is read from the reset key (0),
        // so C restarts the port.
        assert_eq!(
            p.link_change(true, &LinkInfo::full(1000)),
            KeyUpdate::Restarted
        );
        assert!(p.is_enabled && p.has(AD_PORT_BEGIN | AD_PORT_LACP_ENABLED));
    }

    #[test]
    fn rate_active_and_actor_settings() {
        let mut p = PortState::bind(&BondParams::default(), 1, 0, &LinkInfo::full(1000), &sys());
        p.update_lacp_rate(true);
        assert!(p.actor_has(LACP_STATE_LACP_TIMEOUT));
        p.update_lacp_rate(false);
        assert!(!p.actor_has(LACP_STATE_LACP_TIMEOUT));
        p.update_lacp_active(false);
        assert!(!p.actor_has(LACP_STATE_LACP_ACTIVITY));
        p.update_lacp_active(true);
        assert!(p.actor_has(LACP_STATE_LACP_ACTIVITY));
        assert!(!p.ntt);
        let s = AdSystem {
            sys_priority: 7,
            sys_mac_addr: [2, 0, 0, 0, 0, 9],
        };
        p.update_ad_actor_settings(&s, 100);
        assert!(p.ntt);
        assert_eq!(
            (
                p.actor_system,
                p.actor_system_priority,
                p.actor_port_priority
            ),
            (s.sys_mac_addr, 7, 100)
        );
    }

    #[test]
    fn link_speed_table() {
        assert_eq!(ad_link_speed(&LinkInfo::full(10)), 2);
        assert_eq!(ad_link_speed(&LinkInfo::full(800000)), 17);
        assert_eq!(ad_link_speed(&LinkInfo::full(1)), 0);
        assert_eq!(ad_link_speed(&LinkInfo::DOWN), 0);
        let mut l = LinkInfo::full(1000);
        l.up = false;
        assert_eq!(ad_link_speed(&l), 0);
        assert_eq!(ad_duplex(&l), 0);
    }
}
