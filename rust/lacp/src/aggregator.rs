// SPDX-License-Identifier: GPL-2.0

//! The bond's aggregators and the selection logic across its ports.
//!
//! Mirrors, from drivers/net/bonding/bond_3ad.c of Linux 6.12:
//!
//! * `struct aggregator` (include/net/bond_3ad.h) as [`Aggregator`], and
//!   `struct ad_slave_info` (a slave's port and aggregator) with the
//!   port's pointers as [`AdSlave`];
//! * `ad_clear_agg()`, `ad_initialize_agg()` and the bond half of
//!   `bond_3ad_bind_slave()` ([`AdSlave::bind`]);
//! * `ad_port_selection_logic()` (leaving the old aggregator, joining a
//!   matching one or taking a free one), `ad_agg_selection_logic()` with
//!   `ad_agg_selection_test()`, and the helpers they use:
//!   `__agg_has_partner()`, `__agg_active_ports()`,
//!   `__get_agg_bandwidth()`, `agg_device_up()`, `__get_active_agg()`,
//!   `__agg_ports_are_ready()`, `__set_agg_ports_ready()`;
//! * the aggregator side of `bond_3ad_unbind_slave()` (with its LACPDU)
//!   and of `bond_3ad_handle_link_change()`;
//! * `bond_3ad_set_carrier()` and `__bond_3ad_get_active_agg_info()`.
//!
//! # Data model
//!
//! In C every slave owns one port and one aggregator
//! (`SLAVE_AD_INFO(slave)`), a port points to the aggregator it is
//! attached to, and an aggregator keeps its ports in a singly linked list
//! (`lag_ports`, `next_port_in_aggregator`), newest first. Here the bond's
//! slaves are a caller-owned slice of [`AdSlave`], in the order of the
//! bond's slave list (`bond_for_each_slave()`); slave `i` owns port `i`
//! and aggregator `i`, so every "pointer" is an index into that slice:
//! [`AdSlave::port_aggregator`] (`port->aggregator`),
//! [`AdSlave::next_port_in_aggregator`] and [`Aggregator::lag_ports`].
//! The lists keep C's order because C's order matters: an aggregator's
//! bandwidth is its active ports times the speed of its *first* port, and
//! the ports of an aggregator are disabled and enabled in list order.
//!
//! Nothing is allocated: functions walk the lists by index, and the side
//! effects C applies to slaves through the lists (`__disable_port()`,
//! `__enable_port()`) are returned as the aggregator whose list to walk
//! ([`AggSelection`], with [`AggSelection::actions`] doing the walk).
//!
//! # The selection rule
//!
//! This is the project's one copy of `ad_agg_selection_test()`,
//! `__get_agg_bandwidth()` and the `stable` rule (rust/txsel had an earlier
//! copy over per-aggregator summaries, unused by any driver, removed when
//! this module landed: summaries would need a buffer sized by the bond).
//! [`ad_agg_selection_test`] and [`ad_agg_selection_logic`] work over
//! [`AdSlave`] directly, in C's iteration order; the unit tests replay the
//! old copy's cases.
//!
//! # Deviations
//!
//! * C's lists can only be corrupted by a bug; here a list is walked at
//!   most `slaves.len()` steps and ends at an index outside the slice, so
//!   no input loops forever or panics.
//! * `ad_agg_selection_logic()` takes the bond's first aggregator in C
//!   (its FIXME asks for the bond); here it takes the slice.
//!   `__get_agg_selection_mode()` is the `mode` argument (C's fallback to
//!   `stable` is for a port without a slave, never on a list).
//! * `port->slave != NULL` is [`AdSlave::bound`]. C unlinks and frees an
//!   unbound slave; here [`bond_3ad_unbind_slave`] leaves an unbound entry
//!   that every bond-wide scan skips, and [`remove_slave`] moves it to the
//!   end of the slice (renumbering the indexes) so the caller can drop it.
//!   The unbound entry's own links are cleared (C frees them).
//! * C changes the slaves' flags during the selection logic; here
//!   [`AggSelection::actions`] lists the changes for the caller to apply
//!   right after the call. Nothing in between changes the lists in a
//!   consistent bond (in [`bond_3ad_unbind_slave`] the unbinding port is
//!   off every list whenever the selection logic runs).
//! * Logging is returned as flags and indexes (the outcome fields).
//! * `bond_3ad_set_carrier()` returns the carrier the bond should have
//!   instead of calling `netif_carrier_on()` / `netif_carrier_off()`.
//!
//! C behaviour kept (shown by the scenario tests): the partner's
//! AGGREGATION bit plays no part in the selection; the ports of an
//! aggregator that stops being active keep their mux state (only their
//! slaves are disabled); and a port whose key changes without a restart
//! (a duplex change at the same speed) stays in the aggregator it is in.

use super::mux::{AggregatorView, SlaveAction};
use super::pdu::Lacpdu;
use super::port::{ad_link_speed, BondParams, KeyUpdate, LinkInfo, PortState};
use super::state::{
    is_zero_mac, AdSystem, MacAddr, AD_DUPLEX_KEY_MASKS, AD_PORT_READY, AD_PORT_READY_N,
    AD_PORT_SELECTED, LACP_STATE_AGGREGATION, LACP_STATE_COLLECTING, LACP_STATE_DISTRIBUTING,
    LACP_STATE_SYNCHRONIZATION,
};

/// The `ad_select` policy (`BOND_AD_*` of include/net/bond_3ad.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AdSelect {
    /// `BOND_AD_STABLE` (0): keep the active aggregator while it has
    /// active ports (and a partner, if the best one has one).
    #[default]
    Stable = 0,
    /// `BOND_AD_BANDWIDTH` (1): the highest bandwidth.
    Bandwidth = 1,
    /// `BOND_AD_COUNT` (2): the most active ports, then bandwidth.
    Count = 2,
}

impl AdSelect {
    /// Converts the C value; unknown values give `None`.
    pub const fn from_raw(v: u8) -> Option<AdSelect> {
        match v {
            0 => Some(AdSelect::Stable),
            1 => Some(AdSelect::Bandwidth),
            2 => Some(AdSelect::Count),
            _ => None,
        }
    }
}

/// An aggregator: `struct aggregator` without its `slave` back pointer
/// (aggregator `i` belongs to slave `i`).
///
/// Field names are C's; C's `u16` booleans are `bool`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Aggregator {
    /// `aggregator_mac_address`: the bond's MAC when the slave was bound.
    pub aggregator_mac_address: MacAddr,
    /// `aggregator_identifier`: unique in the bond, from 1 (0 after a
    /// `u16` wrap, as in C).
    pub aggregator_identifier: u16,
    /// `is_individual`: its first port was not full duplex.
    pub is_individual: bool,
    /// `actor_admin_aggregator_key`.
    pub actor_admin_aggregator_key: u16,
    /// `actor_oper_aggregator_key`.
    pub actor_oper_aggregator_key: u16,
    /// `partner_system`: zero when the partner did not answer.
    pub partner_system: MacAddr,
    /// `partner_system_priority`.
    pub partner_system_priority: u16,
    /// `partner_oper_aggregator_key`.
    pub partner_oper_aggregator_key: u16,
    /// `receive_state` (set when the first port joins, never read).
    pub receive_state: bool,
    /// `transmit_state` (set when the first port joins, never read).
    pub transmit_state: bool,
    /// `lag_ports`: the index of its first (newest) port.
    pub lag_ports: Option<usize>,
    /// `is_active`: this is the bond's active aggregator.
    pub is_active: bool,
    /// `num_of_ports`: ports on `lag_ports` (C's `u16`, wrapping).
    pub num_of_ports: u16,
}

impl Default for Aggregator {
    fn default() -> Self {
        Self::ZERO
    }
}

impl Aggregator {
    /// An all-zero aggregator.
    pub const ZERO: Aggregator = Aggregator {
        aggregator_mac_address: [0; 6],
        aggregator_identifier: 0,
        is_individual: false,
        actor_admin_aggregator_key: 0,
        actor_oper_aggregator_key: 0,
        partner_system: [0; 6],
        partner_system_priority: 0,
        partner_oper_aggregator_key: 0,
        receive_state: false,
        transmit_state: false,
        lag_ports: None,
        is_active: false,
        num_of_ports: 0,
    };

    /// `__agg_has_partner()`: the partner system is not zero.
    pub const fn has_partner(&self) -> bool {
        !is_zero_mac(&self.partner_system)
    }
}

/// `ad_clear_agg()`: everything but the identifier and the MAC address is
/// reset; the aggregator is free again.
pub fn ad_clear_agg(agg: &mut Aggregator) {
    *agg = Aggregator {
        aggregator_mac_address: agg.aggregator_mac_address,
        aggregator_identifier: agg.aggregator_identifier,
        ..Aggregator::ZERO
    };
}

/// `ad_initialize_agg()`: [`ad_clear_agg`], then the identifier and the
/// MAC address too.
pub fn ad_initialize_agg(agg: &mut Aggregator) {
    ad_clear_agg(agg);
    agg.aggregator_mac_address = [0; 6];
    agg.aggregator_identifier = 0;
}

/// One slave's 802.3ad state: `struct ad_slave_info`'s `port` and
/// `aggregator`, the port's pointers as indexes into the bond's slice,
/// and what the selection logic reads of `struct slave`.
///
/// `link` and `dev_up` are inputs: the caller keeps them current.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdSlave {
    /// The slave's port (`SLAVE_AD_INFO(slave)->port`).
    pub port: PortState,
    /// The slave's aggregator (`SLAVE_AD_INFO(slave)->aggregator`), which
    /// may hold other slaves' ports, or none.
    pub aggregator: Aggregator,
    /// `port->aggregator`: the index of the slave whose aggregator the
    /// port is attached to.
    pub port_aggregator: Option<usize>,
    /// `port->next_port_in_aggregator`.
    pub next_port_in_aggregator: Option<usize>,
    /// `port->slave != NULL`: bound and not unbound since. Unbound
    /// entries are not part of the bond.
    pub bound: bool,
    /// `slave->link == BOND_LINK_UP`, `slave->speed`, `slave->duplex`
    /// (read by `__get_link_speed()` for the bandwidth and by
    /// `bond_3ad_handle_link_change()`).
    pub link: LinkInfo,
    /// `netif_running(slave->dev) && netif_carrier_ok(slave->dev)`
    /// (`agg_device_up()`, `bond_slave_is_up()`).
    pub dev_up: bool,
}

impl Default for AdSlave {
    fn default() -> Self {
        Self::UNBOUND
    }
}

impl AdSlave {
    /// An unbound, all-zero entry.
    pub const UNBOUND: AdSlave = AdSlave {
        port: PortState::ZERO,
        aggregator: Aggregator::ZERO,
        port_aggregator: None,
        next_port_in_aggregator: None,
        bound: false,
        link: LinkInfo::DOWN,
        dev_up: false,
    };

    /// `bond_3ad_bind_slave()` for a new slave: its port as
    /// [`PortState::bind`] makes it, detached, and its aggregator
    /// initialised with the bond's MAC and the next identifier of the bond
    /// (`++BOND_AD_INFO(bond).aggregator_identifier`; `bond_3ad_initialize()`
    /// resets that counter to 0 when the first slave is added).
    ///
    /// The caller then disables the slave (`__disable_port()`) and appends
    /// the entry to the end of its slice (C adds a slave at the end of the
    /// bond's list).
    #[allow(clippy::too_many_arguments)]
    pub fn bind(
        params: &BondParams,
        port_number: u16,
        ad_user_port_key: u16,
        link: LinkInfo,
        dev_up: bool,
        system: &AdSystem,
        bond_mac: MacAddr,
        aggregator_identifier: &mut u16,
    ) -> AdSlave {
        let port = PortState::bind(params, port_number, ad_user_port_key, &link, system);
        let mut aggregator = Aggregator::ZERO;
        ad_initialize_agg(&mut aggregator);
        aggregator.aggregator_mac_address = bond_mac;
        *aggregator_identifier = aggregator_identifier.wrapping_add(1);
        aggregator.aggregator_identifier = *aggregator_identifier;
        AdSlave {
            port,
            aggregator,
            port_aggregator: None,
            next_port_in_aggregator: None,
            bound: true,
            link,
            dev_up,
        }
    }

    /// `slave->link == BOND_LINK_UP && bond_slave_is_up(slave)`: the
    /// condition under which `__enable_port()` acts.
    pub const fn slave_up(&self) -> bool {
        self.link.up && self.dev_up
    }
}

/// The ports on an aggregator's list, in C's order (see [`lag_ports`]).
#[derive(Clone, Debug)]
pub struct LagPorts<'a> {
    slaves: &'a [AdSlave],
    next: Option<usize>,
    left: usize,
}

impl Iterator for LagPorts<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.left == 0 {
            return None;
        }
        let i = self.next?;
        let s = self.slaves.get(i)?;
        self.left -= 1;
        self.next = s.next_port_in_aggregator;
        Some(i)
    }
}

/// The indexes of the ports on aggregator `agg`'s list (`lag_ports`,
/// following `next_port_in_aggregator`), newest first; at most
/// `slaves.len()` of them, ending at an index outside the slice.
pub fn lag_ports(slaves: &[AdSlave], agg: usize) -> LagPorts<'_> {
    LagPorts {
        slaves,
        next: slaves.get(agg).and_then(|s| s.aggregator.lag_ports),
        left: slaves.len(),
    }
}

fn agg_of(slaves: &[AdSlave], agg: usize) -> Aggregator {
    slaves.get(agg).map_or(Aggregator::ZERO, |s| s.aggregator)
}

fn is_bound(slaves: &[AdSlave], i: usize) -> bool {
    slaves.get(i).is_some_and(|s| s.bound)
}

/// `__agg_active_ports()`: the ports on the list that are enabled.
pub fn agg_active_ports(slaves: &[AdSlave], agg: usize) -> u32 {
    let mut n: u32 = 0;
    for i in lag_ports(slaves, agg) {
        if slaves.get(i).is_some_and(|s| s.port.is_enabled) {
            n = n.wrapping_add(1);
        }
    }
    n
}

/// The Mb/s of an `AD_LINK_SPEED_*` value (`__get_agg_bandwidth()`'s
/// switch); 0 for 0 and unknown values.
pub const fn ad_speed_mbps(speed: u16) -> u32 {
    match speed {
        1 => 1,
        2 => 10,
        3 => 100,
        4 => 1000,
        5 => 2500,
        6 => 5000,
        7 => 10000,
        8 => 14000,
        9 => 20000,
        10 => 25000,
        11 => 40000,
        12 => 50000,
        13 => 56000,
        14 => 100000,
        15 => 200000,
        16 => 400000,
        17 => 800000,
        _ => 0,
    }
}

/// `__get_agg_bandwidth()`: the active ports times the speed of the
/// *first* port on the list, in Mb/s (wrapping like C's product).
pub fn agg_bandwidth(slaves: &[AdSlave], agg: usize) -> u32 {
    let n = agg_active_ports(slaves, agg);
    if n == 0 {
        return 0;
    }
    let speed = lag_ports(slaves, agg)
        .next()
        .and_then(|i| slaves.get(i))
        .map_or(0, |s| ad_speed_mbps(ad_link_speed(&s.link)));
    n.wrapping_mul(speed)
}

/// `agg_device_up()`: some port on the list has its device running with
/// carrier.
pub fn agg_device_up(slaves: &[AdSlave], agg: usize) -> bool {
    lag_ports(slaves, agg).any(|i| slaves.get(i).is_some_and(|s| s.dev_up))
}

/// `__agg_ports_are_ready()`: every port on the list has
/// `AD_PORT_READY_N` (true for no aggregator).
pub fn agg_ports_are_ready(slaves: &[AdSlave], agg: Option<usize>) -> bool {
    match agg {
        None => true,
        Some(a) => {
            lag_ports(slaves, a).all(|i| slaves.get(i).is_some_and(|s| s.port.has(AD_PORT_READY_N)))
        }
    }
}

/// `__set_agg_ports_ready()`: sets or clears `AD_PORT_READY` in every port
/// on the list. Also applies a [`super::mux::MuxOutput::agg_ready`].
pub fn set_agg_ports_ready(slaves: &mut [AdSlave], agg: usize, ready: bool) {
    let mut cur = slaves.get(agg).and_then(|s| s.aggregator.lag_ports);
    let mut left = slaves.len();
    while let Some(i) = cur {
        let Some(s) = slaves.get_mut(i) else { break };
        if left == 0 {
            break;
        }
        left -= 1;
        if ready {
            s.port.sm_vars |= AD_PORT_READY;
        } else {
            s.port.sm_vars &= !AD_PORT_READY;
        }
        cur = s.next_port_in_aggregator;
    }
}

/// `__get_active_agg()`: the first aggregator of the bond, in slave
/// order, that is active.
pub fn get_active_agg(slaves: &[AdSlave]) -> Option<usize> {
    slaves
        .iter()
        .position(|s| s.bound && s.aggregator.is_active)
}

/// What the mux machine of port `port` reads of its aggregator
/// (`port->aggregator`), `None` if it has none.
pub fn mux_aggregator_view(slaves: &[AdSlave], port: usize) -> Option<AggregatorView> {
    let a = slaves.get(port)?.port_aggregator?;
    let agg = slaves.get(a)?.aggregator;
    Some(AggregatorView {
        is_active: agg.is_active,
        has_partner: agg.has_partner(),
        others_ready_n: lag_ports(slaves, a)
            .filter(|&i| i != port)
            .all(|i| slaves.get(i).is_some_and(|s| s.port.has(AD_PORT_READY_N))),
    })
}

/// `ad_agg_selection_test(best, curr)`: the better of `best` and `curr`
/// under `mode` (ties keep `best`).
///
/// A non-individual aggregator beats an individual one, then one with a
/// partner beats one without; then `count` compares the active ports and
/// falls through to the bandwidth, which `stable` and `bandwidth` compare
/// directly.
pub fn ad_agg_selection_test(
    slaves: &[AdSlave],
    best: Option<usize>,
    curr: usize,
    mode: AdSelect,
) -> usize {
    let Some(b) = best else { return curr };
    let (Some(bs), Some(cs)) = (slaves.get(b), slaves.get(curr)) else {
        return if slaves.get(b).is_some() { b } else { curr };
    };
    let (ba, ca) = (&bs.aggregator, &cs.aggregator);
    if !ca.is_individual && ba.is_individual {
        return curr;
    }
    if ca.is_individual && !ba.is_individual {
        return b;
    }
    if ca.has_partner() && !ba.has_partner() {
        return curr;
    }
    if !ca.has_partner() && ba.has_partner() {
        return b;
    }
    if mode == AdSelect::Count {
        let (cn, bn) = (agg_active_ports(slaves, curr), agg_active_ports(slaves, b));
        if cn > bn {
            return curr;
        }
        if cn < bn {
            return b;
        }
    }
    if agg_bandwidth(slaves, curr) > agg_bandwidth(slaves, b) {
        return curr;
    }
    b
}

/// What one run of [`ad_agg_selection_logic`] did outside the
/// aggregators' `is_active` bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct AggSelection {
    /// The active aggregator afterwards (`__get_active_agg()`), if any.
    pub active: Option<usize>,
    /// A new active aggregator was chosen ("LAG %d chosen as the active
    /// LAG"; C warns "No 802.3ad response from the link partner" if it
    /// `is_individual`).
    pub chosen: Option<usize>,
    /// The formerly active aggregator, replaced by `chosen`: C disables
    /// (`__disable_port()`) every port on its list.
    pub disabled: Option<usize>,
    /// The active aggregator has no partner: C enables
    /// (`__enable_port()`) every port on its list.
    pub enabled: Option<usize>,
    /// C's `*update_slave_arr = true`.
    pub update_slave_arr: bool,
}

impl AggSelection {
    /// The slave flag changes C made, in order: `DisablePort` for each
    /// port of [`Self::disabled`], then `EnablePort` for each port of
    /// [`Self::enabled`] whose slave is up ([`AdSlave::slave_up`]).
    ///
    /// Walks the lists as they are now: apply right after the call that
    /// returned `self`, before anything else changes the lists.
    pub fn actions<'a>(
        &self,
        slaves: &'a [AdSlave],
    ) -> impl Iterator<Item = (usize, SlaveAction)> + 'a {
        let (disabled, enabled) = (self.disabled, self.enabled);
        let off = disabled
            .into_iter()
            .flat_map(move |a| lag_ports(slaves, a))
            .map(|i| (i, SlaveAction::DisablePort));
        let on = enabled
            .into_iter()
            .flat_map(move |a| lag_ports(slaves, a))
            .filter(move |&i| slaves.get(i).is_some_and(AdSlave::slave_up))
            .map(|i| (i, SlaveAction::EnablePort));
        off.chain(on)
    }
}

/// `ad_agg_selection_logic()`: chooses the bond's active aggregator.
///
/// Every aggregator loses `is_active`; the best aggregator with active
/// ports and a device up ([`ad_agg_selection_test`], starting from the
/// active one if its device is up, in slave order) becomes active, except
/// that with `stable` the formerly active one stays so while it has
/// active ports and either has a partner or the best has none (unless it
/// has no operational key and the best has one). If no aggregator
/// qualifies, none is active. Then C calls `bond_3ad_set_carrier()`: the
/// caller's ([`bond_3ad_set_carrier`]).
pub fn ad_agg_selection_logic(slaves: &mut [AdSlave], mode: AdSelect) -> AggSelection {
    let mut out = AggSelection::default();
    let active = get_active_agg(slaves);
    let mut best = active.filter(|&a| agg_device_up(slaves, a));

    for i in 0..slaves.len() {
        if !is_bound(slaves, i) {
            continue;
        }
        if let Some(s) = slaves.get_mut(i) {
            s.aggregator.is_active = false;
        }
        if agg_active_ports(slaves, i) != 0 && agg_device_up(slaves, i) {
            best = Some(ad_agg_selection_test(slaves, best, i, mode));
        }
    }

    if let (Some(b), Some(a), AdSelect::Stable) = (best, active, mode) {
        let (aa, ba) = (agg_of(slaves, a), agg_of(slaves, b));
        if aa.lag_ports.is_some()
            && agg_active_ports(slaves, a) != 0
            && (aa.has_partner() || !ba.has_partner())
            && !(aa.actor_oper_aggregator_key == 0 && ba.actor_oper_aggregator_key != 0)
        {
            best = None;
            set_active(slaves, a);
        }
    }

    if let (Some(b), Some(a)) = (best, active) {
        if b == a {
            best = None;
            set_active(slaves, a);
        }
    }

    if let Some(b) = best {
        set_active(slaves, b);
        out.chosen = Some(b);
        out.disabled = active;
        out.update_slave_arr = true;
    }

    out.active = get_active_agg(slaves);
    if let Some(a) = out.active {
        if !agg_of(slaves, a).has_partner() {
            out.enabled = Some(a);
            out.update_slave_arr = true;
        }
    }
    out
}

fn set_active(slaves: &mut [AdSlave], agg: usize) {
    if let Some(s) = slaves.get_mut(agg) {
        s.aggregator.is_active = true;
    }
}

/// Takes `port` off aggregator `agg`'s list (relinking its neighbours);
/// false if it is not on it. Touches neither counts nor the port.
fn unlink(slaves: &mut [AdSlave], agg: usize, port: usize) -> bool {
    let mut prev: Option<usize> = None;
    let mut cur = slaves.get(agg).and_then(|s| s.aggregator.lag_ports);
    let mut left = slaves.len();
    while let Some(c) = cur {
        if left == 0 {
            return false;
        }
        left -= 1;
        let Some(next) = slaves.get(c).map(|s| s.next_port_in_aggregator) else {
            return false;
        };
        if c == port {
            let link = match prev {
                None => slaves.get_mut(agg).map(|s| &mut s.aggregator.lag_ports),
                Some(p) => slaves.get_mut(p).map(|s| &mut s.next_port_in_aggregator),
            };
            if let Some(l) = link {
                *l = next;
            }
            return true;
        }
        prev = Some(c);
        cur = next;
    }
    false
}

/// Where [`ad_port_selection_logic`] put the port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Joined {
    /// "Port %d joined LAG %d (existing LAG)": a matching aggregator.
    Existing(usize),
    /// "Port %d joined LAG %d (new LAG)": a free aggregator.
    New(usize),
    /// "Port %d did not find a suitable aggregator" (C's error; cannot
    /// happen while every port is on at most one list).
    NotFound,
}

/// What one run of [`ad_port_selection_logic`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct PortSelection {
    /// "Port %d left LAG %d": the aggregator the port was taken off.
    pub left: Option<usize>,
    /// C's warning "Port %d was related to aggregator %d but was not on
    /// its port list".
    pub not_on_list: bool,
    /// Where the port went; `None` if nothing ran (the port was already
    /// selected, or is not bound).
    pub joined: Option<Joined>,
    /// The [`ad_agg_selection_logic`] run that follows a join.
    pub selection: Option<AggSelection>,
}

impl PortSelection {
    /// C's `*update_slave_arr = true`.
    pub fn update_slave_arr(&self) -> bool {
        self.selection.is_some_and(|s| s.update_slave_arr)
    }
}

/// Whether a port with `p`'s operational key and partner fits `agg`, an
/// aggregator with ports: same actor key, same partner system, priority
/// and key, and a partner that answers on a non-individual aggregator.
fn suits(agg: &Aggregator, p: &PortState) -> bool {
    agg.actor_oper_aggregator_key == p.actor_oper_port_key
        && agg.partner_system == p.partner_oper.system
        && agg.partner_system_priority == p.partner_oper.system_priority
        && agg.partner_oper_aggregator_key == p.partner_oper.key
        && agg.has_partner()
        && !agg.is_individual
}

/// `ad_port_selection_logic(port, &update_slave_arr)`: attaches a port
/// that is not selected to an aggregator.
///
/// The port first leaves its aggregator (which is cleared if that was its
/// last port). It then joins, at the head of its list, the first
/// aggregator in slave order that suits it: one with ports, the same
/// actor key, the same partner (system, priority, key), and a partner
/// that answers on a non-individual aggregator. Ports without a
/// partner (the receive machine defaulted, e.g. a partner without LACP or
/// a port looped back to its own bond, whose LACPDUs the receive machine
/// ignores) and individual ports (not full duplex) therefore never share
/// an aggregator: they get the first free one, which takes the port's
/// keys and partner and `is_individual` = no duplex bit in the key. The
/// partner's AGGREGATION bit plays no part (as in C).
///
/// Then every port of the aggregator gets READY if all have READY_N,
/// [`ad_agg_selection_logic`] runs, and the port loses its actor sync
/// unless its aggregator is the active one.
pub fn ad_port_selection_logic(
    slaves: &mut [AdSlave],
    port: usize,
    mode: AdSelect,
) -> PortSelection {
    let mut out = PortSelection::default();
    let Some(s) = slaves.get(port) else {
        return out;
    };
    if !s.bound || s.port.has(AD_PORT_SELECTED) {
        return out;
    }

    if let Some(old) = s.port_aggregator {
        if unlink(slaves, old, port) {
            if let Some(o) = slaves.get_mut(old) {
                o.aggregator.num_of_ports = o.aggregator.num_of_ports.wrapping_sub(1);
            }
            if let Some(s) = slaves.get_mut(port) {
                s.port_aggregator = None;
                s.next_port_in_aggregator = None;
                s.port.actor_port_aggregator_identifier = 0;
            }
            out.left = Some(old);
            if let Some(o) = slaves.get_mut(old) {
                if o.aggregator.lag_ports.is_none() {
                    ad_clear_agg(&mut o.aggregator);
                }
            }
        } else {
            out.not_on_list = true;
        }
    }

    let Some(p) = slaves.get(port).map(|s| s.port) else {
        return out;
    };
    let mut free = None;
    let mut found = None;
    for (i, s) in slaves.iter().enumerate() {
        if !s.bound {
            continue;
        }
        if s.aggregator.lag_ports.is_none() {
            free = free.or(Some(i));
            continue;
        }
        if suits(&s.aggregator, &p) {
            found = Some(i);
            break;
        }
    }

    let agg = if let Some(a) = found {
        let Some(ag) = slaves.get_mut(a).map(|s| &mut s.aggregator) else {
            return out;
        };
        let head = ag.lag_ports;
        let id = ag.aggregator_identifier;
        ag.num_of_ports = ag.num_of_ports.wrapping_add(1);
        ag.lag_ports = Some(port);
        if let Some(s) = slaves.get_mut(port) {
            s.port_aggregator = Some(a);
            s.port.actor_port_aggregator_identifier = id;
            s.next_port_in_aggregator = head;
            s.port.sm_vars |= AD_PORT_SELECTED;
        }
        out.joined = Some(Joined::Existing(a));
        a
    } else if let Some(f) = free {
        let Some(ag) = slaves.get_mut(f).map(|s| &mut s.aggregator) else {
            return out;
        };
        ag.is_individual = p.actor_oper_port_key & AD_DUPLEX_KEY_MASKS == 0;
        ag.actor_admin_aggregator_key = p.actor_admin_port_key;
        ag.actor_oper_aggregator_key = p.actor_oper_port_key;
        ag.partner_system = p.partner_oper.system;
        ag.partner_system_priority = p.partner_oper.system_priority;
        ag.partner_oper_aggregator_key = p.partner_oper.key;
        ag.receive_state = true;
        ag.transmit_state = true;
        ag.lag_ports = Some(port);
        ag.num_of_ports = ag.num_of_ports.wrapping_add(1);
        let id = ag.aggregator_identifier;
        if let Some(s) = slaves.get_mut(port) {
            // C leaves next_port_in_aggregator as it is (NULL: the port
            // was just taken off its list, or never was on one).
            s.port.actor_port_aggregator_identifier = id;
            s.port_aggregator = Some(f);
            s.port.sm_vars |= AD_PORT_SELECTED;
        }
        out.joined = Some(Joined::New(f));
        f
    } else {
        out.joined = Some(Joined::NotFound);
        return out;
    };

    let ready = agg_ports_are_ready(slaves, Some(agg));
    set_agg_ports_ready(slaves, agg, ready);
    out.selection = Some(ad_agg_selection_logic(slaves, mode));
    if !agg_of(slaves, agg).is_active {
        if let Some(s) = slaves.get_mut(port) {
            s.port.actor_oper_port_state &= !LACP_STATE_SYNCHRONIZATION;
        }
    }
    out
}

/// What [`bond_3ad_unbind_slave`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unbind {
    /// The LACPDU C sends at once (`ad_lacpdu_send()`, outside the
    /// transmit machine) telling the partner that the port neither
    /// aggregates nor is in sync, collecting or distributing.
    pub lacpdu: Lacpdu,
    /// "Some port(s) related to LAG %d - replacing with LAG %d": the
    /// slave's aggregator had other ports, now moved to this one.
    pub moved_to: Option<usize>,
    /// "unbinding aggregator, and could not find a new aggregator for its
    /// ports" (cannot happen while every port is on at most one list).
    pub no_new_aggregator: bool,
    /// "Removing an active aggregator": the selection logic ran.
    pub removed_active: bool,
    /// The (last) [`ad_agg_selection_logic`] run, whose slave actions C
    /// applies (its `update_slave_arr` C ignores: the caller rebuilds the
    /// array after unbinding anyway). In a consistent bond at most one
    /// runs.
    pub selection: Option<AggSelection>,
}

/// The aggregator side of `bond_3ad_unbind_slave(slave)`.
///
/// The port clears its SYNCHRONIZATION, COLLECTING, DISTRIBUTING and
/// AGGREGATION bits and sends a LACPDU saying so. If the slave's
/// aggregator holds other ports, they move, with the aggregator's whole
/// state, to the first aggregator that is free or holds only this port
/// (the selection logic runs if that one was active). If it holds only
/// this port, it is cleared (the selection logic runs if it was active).
/// Then the port is taken off whatever list it is on; if that leaves the
/// aggregator without active ports, it is cleared if empty and, if it was
/// active, the selection logic runs.
///
/// Finally the entry is no longer [bound](AdSlave::bound) (its links are
/// cleared); [`remove_slave`] then moves it out of the bond's slice.
/// `None` if `slave` is not bound ("Trying to unbind an uninitialized
/// port").
pub fn bond_3ad_unbind_slave(
    slaves: &mut [AdSlave],
    slave: usize,
    mode: AdSelect,
) -> Option<Unbind> {
    let s = slaves.get_mut(slave)?;
    if !s.bound {
        return None;
    }
    s.port.actor_oper_port_state &= !(LACP_STATE_SYNCHRONIZATION
        | LACP_STATE_COLLECTING
        | LACP_STATE_DISTRIBUTING
        | LACP_STATE_AGGREGATION);
    let mut out = Unbind {
        lacpdu: Lacpdu::from_port(&s.port),
        moved_to: None,
        no_new_aggregator: false,
        removed_active: false,
        selection: None,
    };
    let port = slave;
    let own = s.aggregator;
    let port_alone = |slaves: &[AdSlave], a: &Aggregator| {
        a.lag_ports == Some(port)
            && slaves
                .get(port)
                .is_some_and(|p| p.next_port_in_aggregator.is_none())
    };

    if let Some(head) = own.lag_ports {
        if head != port || !port_alone(slaves, &own) {
            let new = slaves.iter().enumerate().position(|(i, n)| {
                i != slave
                    && n.bound
                    && (n.aggregator.lag_ports.is_none() || port_alone(slaves, &n.aggregator))
            });
            if let Some(n) = new {
                let Some(na) = slaves.get_mut(n).map(|s| &mut s.aggregator) else {
                    return Some(out);
                };
                let select_new = na.lag_ports == Some(port) && na.is_active;
                na.is_individual = own.is_individual;
                na.actor_admin_aggregator_key = own.actor_admin_aggregator_key;
                na.actor_oper_aggregator_key = own.actor_oper_aggregator_key;
                na.partner_system = own.partner_system;
                na.partner_system_priority = own.partner_system_priority;
                na.partner_oper_aggregator_key = own.partner_oper_aggregator_key;
                na.receive_state = own.receive_state;
                na.transmit_state = own.transmit_state;
                na.lag_ports = own.lag_ports;
                na.is_active = own.is_active;
                na.num_of_ports = own.num_of_ports;
                let id = na.aggregator_identifier;
                let mut cur = own.lag_ports;
                let mut left = slaves.len();
                while let Some(i) = cur {
                    let Some(q) = slaves.get_mut(i) else { break };
                    if left == 0 {
                        break;
                    }
                    left -= 1;
                    q.port_aggregator = Some(n);
                    q.port.actor_port_aggregator_identifier = id;
                    cur = q.next_port_in_aggregator;
                }
                if let Some(s) = slaves.get_mut(slave) {
                    ad_clear_agg(&mut s.aggregator);
                }
                out.moved_to = Some(n);
                if select_new {
                    out.removed_active = true;
                    out.selection = Some(ad_agg_selection_logic(slaves, mode));
                }
            } else {
                out.no_new_aggregator = true;
            }
        } else {
            if let Some(s) = slaves.get_mut(slave) {
                ad_clear_agg(&mut s.aggregator);
            }
            if own.is_active {
                out.removed_active = true;
                out.selection = Some(ad_agg_selection_logic(slaves, mode));
            }
        }
    }

    for j in 0..slaves.len() {
        if !is_bound(slaves, j) || !unlink(slaves, j, port) {
            continue;
        }
        let Some(a) = slaves.get_mut(j).map(|s| &mut s.aggregator) else {
            continue;
        };
        a.num_of_ports = a.num_of_ports.wrapping_sub(1);
        let (num, was_active) = (a.num_of_ports, a.is_active);
        if agg_active_ports(slaves, j) == 0 {
            if num == 0 {
                if let Some(s) = slaves.get_mut(j) {
                    ad_clear_agg(&mut s.aggregator);
                }
            }
            if was_active {
                out.removed_active = true;
                out.selection = Some(ad_agg_selection_logic(slaves, mode));
            }
        }
    }

    if let Some(s) = slaves.get_mut(slave) {
        s.bound = false;
        s.port_aggregator = None;
        s.next_port_in_aggregator = None;
    }
    Some(out)
}

/// Removes the unbound entry `slave` from the bond's slice: moves it to
/// the end (the others keep their order) and renumbers every index, so
/// that the caller can drop the last entry. False (and nothing done) if
/// `slave` is out of range or still bound.
pub fn remove_slave(slaves: &mut [AdSlave], slave: usize) -> bool {
    match slaves.get(slave) {
        Some(s) if !s.bound => {}
        _ => return false,
    }
    if let Some(tail) = slaves.get_mut(slave..) {
        tail.rotate_left(1);
    }
    let fix = |x: &mut Option<usize>| {
        *x = match *x {
            Some(j) if j == slave => None,
            Some(j) if j > slave => Some(j - 1),
            other => other,
        };
    };
    for s in slaves.iter_mut() {
        fix(&mut s.port_aggregator);
        fix(&mut s.next_port_in_aggregator);
        fix(&mut s.aggregator.lag_ports);
    }
    true
}

/// What [`bond_3ad_handle_link_change`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkChange {
    /// The port's key update ([`PortState::link_change`]).
    pub key: KeyUpdate,
    /// The selection that follows (C ignores its `update_slave_arr`: it
    /// calls `bond_update_slave_arr()` unconditionally afterwards).
    pub selection: AggSelection,
}

/// `bond_3ad_handle_link_change(slave, link)`: the port's part
/// ([`PortState::link_change`] with the slave's [`AdSlave::link`], which
/// the caller has updated), then [`ad_agg_selection_logic`]. `None` if the
/// slave is not bound ("link status changed for uninitialized port").
pub fn bond_3ad_handle_link_change(
    slaves: &mut [AdSlave],
    slave: usize,
    up: bool,
    mode: AdSelect,
) -> Option<LinkChange> {
    let s = slaves.get_mut(slave)?;
    if !s.bound {
        return None;
    }
    let link = s.link;
    let key = s.port.link_change(up, &link);
    Some(LinkChange {
        key,
        selection: ad_agg_selection_logic(slaves, mode),
    })
}

/// `bond_3ad_set_carrier()`: the carrier the bond should have: on if
/// there is an active aggregator with at least `min_links` active ports,
/// else off; `None` (leave it) if the bond has no slave.
pub fn bond_3ad_set_carrier(slaves: &[AdSlave], min_links: u32) -> Option<bool> {
    if !slaves.iter().any(|s| s.bound) {
        return None;
    }
    Some(get_active_agg(slaves).is_some_and(|a| agg_active_ports(slaves, a) >= min_links))
}

/// `struct ad_info` (include/uapi/linux/if_bonding.h), plus the
/// aggregator's index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdInfo {
    /// The index of the active aggregator (not in C).
    pub index: usize,
    /// `aggregator_id`.
    pub aggregator_id: u16,
    /// `ports`: its active ports (truncated to `u16` like C).
    pub ports: u16,
    /// `actor_key`.
    pub actor_key: u16,
    /// `partner_key`.
    pub partner_key: u16,
    /// `partner_system`.
    pub partner_system: MacAddr,
}

/// `bond_3ad_get_active_agg_info()`: the active aggregator of the first
/// port (in slave order) attached to one; `None` is C's -1.
pub fn bond_3ad_get_active_agg_info(slaves: &[AdSlave]) -> Option<AdInfo> {
    let index = slaves.iter().find_map(|s| {
        let a = s.port_aggregator?;
        (s.bound && slaves.get(a)?.aggregator.is_active).then_some(a)
    })?;
    let agg = agg_of(slaves, index);
    Some(AdInfo {
        index,
        aggregator_id: agg.aggregator_identifier,
        ports: agg_active_ports(slaves, index) as u16,
        actor_key: agg.actor_oper_aggregator_key,
        partner_key: agg.partner_oper_aggregator_key,
        partner_system: agg.partner_system,
    })
}

#[cfg(test)]
mod tests {
    use super::super::state::*;
    use super::*;

    const SYS: AdSystem = AdSystem {
        sys_priority: 0xffff,
        sys_mac_addr: [2, 0, 0, 0, 0, 1],
    };
    const P1: MacAddr = [2, 0, 0, 0, 0, 0x51];
    const P2: MacAddr = [2, 0, 0, 0, 0, 0x52];

    /// A bond of `n` slaves at `speed`, bound in order.
    fn bond(n: usize, speed: u32) -> Vec<AdSlave> {
        let mut id = 0;
        (0..n)
            .map(|i| {
                AdSlave::bind(
                    &BondParams::default(),
                    i as u16 + 1,
                    0,
                    LinkInfo::full(speed),
                    true,
                    &SYS,
                    SYS.sys_mac_addr,
                    &mut id,
                )
            })
            .collect()
    }

    /// Gives port `i` the partner `system` (key 9), as a received LACPDU
    /// would, and unselects it.
    fn partner(b: &mut [AdSlave], i: usize, system: MacAddr) {
        let p = &mut b[i].port;
        p.partner_oper.system = system;
        p.partner_oper.system_priority = 1;
        p.partner_oper.key = 9;
        p.sm_vars &= !AD_PORT_SELECTED;
    }

    fn members(b: &[AdSlave], a: usize) -> Vec<usize> {
        lag_ports(b, a).collect()
    }

    #[test]
    fn bind_and_clear() {
        let b = bond(3, 1000);
        let ids: Vec<u16> = b
            .iter()
            .map(|s| s.aggregator.aggregator_identifier)
            .collect();
        assert_eq!(ids, [1, 2, 3]);
        assert!(b.iter().all(|s| s.bound && s.port_aggregator.is_none()));
        assert_eq!(b[0].aggregator.aggregator_mac_address, SYS.sys_mac_addr);
        let mut a = b[1].aggregator;
        a.is_active = true;
        a.lag_ports = Some(4);
        a.num_of_ports = 2;
        a.partner_system = P1;
        ad_clear_agg(&mut a);
        assert_eq!(
            a,
            Aggregator {
                aggregator_identifier: 2,
                aggregator_mac_address: SYS.sys_mac_addr,
                ..Aggregator::ZERO
            }
        );
        ad_initialize_agg(&mut a);
        assert_eq!(a, Aggregator::ZERO);
        let mut id = u16::MAX;
        let s = AdSlave::bind(
            &BondParams::default(),
            1,
            0,
            LinkInfo::DOWN,
            false,
            &SYS,
            [0; 6],
            &mut id,
        );
        assert_eq!((id, s.aggregator.aggregator_identifier), (0, 0));
    }

    #[test]
    fn ports_with_one_partner_share_an_aggregator() {
        let mut b = bond(3, 1000);
        for i in 0..3 {
            partner(&mut b, i, P1);
        }
        let r = ad_port_selection_logic(&mut b, 0, AdSelect::Stable);
        assert_eq!(r.joined, Some(Joined::New(0)));
        let sel = r.selection.unwrap();
        assert_eq!((sel.active, sel.chosen), (Some(0), Some(0)));
        assert!(sel.update_slave_arr && sel.enabled.is_none());
        for i in 1..3 {
            let r = ad_port_selection_logic(&mut b, i, AdSelect::Stable);
            assert_eq!(r.joined, Some(Joined::Existing(0)));
            // The same active aggregator: no new choice, nothing to update.
            assert!(!r.update_slave_arr());
        }
        // Newest first, as C pushes onto lag_ports.
        assert_eq!(members(&b, 0), [2, 1, 0]);
        assert_eq!(b[0].aggregator.num_of_ports, 3);
        assert!(b.iter().all(|s| s.port_aggregator == Some(0)
            && s.port.actor_port_aggregator_identifier == 1
            && s.port.has(AD_PORT_SELECTED)));
        assert_eq!(agg_bandwidth(&b, 0), 3000);
        // A selected port is left alone.
        assert_eq!(
            ad_port_selection_logic(&mut b, 1, AdSelect::Stable),
            PortSelection::default()
        );
        let info = bond_3ad_get_active_agg_info(&b).unwrap();
        assert_eq!((info.index, info.aggregator_id, info.ports), (0, 1, 3));
        assert_eq!((info.partner_key, info.partner_system), (9, P1));
        assert_eq!(bond_3ad_set_carrier(&b, 3), Some(true));
        assert_eq!(bond_3ad_set_carrier(&b, 4), Some(false));
    }

    #[test]
    fn partnerless_and_individual_ports_stay_alone() {
        let mut b = bond(3, 1000);
        // No partner (defaulted): never shared.
        for i in 0..2 {
            b[i].port.partner_oper = PortParams::PARTNER_DEFAULT;
            ad_port_selection_logic(&mut b, i, AdSelect::Stable);
        }
        assert_eq!((members(&b, 0), members(&b, 1)), (vec![0], vec![1]));
        // The first partnerless one is active, and C enables its ports.
        let sel = ad_agg_selection_logic(&mut b, AdSelect::Stable);
        assert_eq!(
            (sel.active, sel.enabled, sel.chosen),
            (Some(0), Some(0), None)
        );
        let acts: Vec<_> = sel.actions(&b).collect();
        assert_eq!(acts, [(0, SlaveAction::EnablePort)]);
        // Half duplex: an individual aggregator, even with a partner.
        b[2].link.full_duplex = false;
        let l = b[2].link;
        b[2].port.update_actor_keys(false, &l);
        partner(&mut b, 2, P1);
        ad_port_selection_logic(&mut b, 2, AdSelect::Stable);
        assert!(b[2].aggregator.is_individual && members(&b, 2) == [2]);
        // Another half-duplex port with the same partner does not join it.
        let mut c = bond(4, 1000);
        c[..3].copy_from_slice(&b);
        c[3].link.full_duplex = false;
        let l = c[3].link;
        c[3].port.update_actor_keys(false, &l);
        partner(&mut c, 3, P1);
        assert_eq!(
            ad_port_selection_logic(&mut c, 3, AdSelect::Stable).joined,
            Some(Joined::New(3))
        );
        // Individual comes before partner: a partnerless aggregator beats
        // an individual one with a partner.
        let sel = ad_agg_selection_logic(&mut c, AdSelect::Bandwidth);
        assert_eq!(sel.active, Some(0));
    }

    #[test]
    fn leaving_clears_an_emptied_aggregator_and_rejoins() {
        let mut b = bond(2, 1000);
        partner(&mut b, 0, P1);
        partner(&mut b, 1, P1);
        ad_port_selection_logic(&mut b, 0, AdSelect::Stable);
        ad_port_selection_logic(&mut b, 1, AdSelect::Stable);
        assert_eq!(members(&b, 0), [1, 0]);
        // Port 0 hears another partner: it leaves (aggregator 0 keeps port
        // 1) and takes the free aggregator 1.
        partner(&mut b, 0, P2);
        let r = ad_port_selection_logic(&mut b, 0, AdSelect::Stable);
        assert_eq!((r.left, r.joined), (Some(0), Some(Joined::New(1))));
        assert_eq!((members(&b, 0), members(&b, 1)), (vec![1], vec![0]));
        assert_eq!(b[1].aggregator.partner_system, P2);
        // Stable: aggregator 0 stays active; port 0 loses its sync.
        assert!(b[0].aggregator.is_active && !b[1].aggregator.is_active);
        b[0].port.actor_oper_port_state |= LACP_STATE_SYNCHRONIZATION;
        partner(&mut b, 0, P2);
        ad_port_selection_logic(&mut b, 0, AdSelect::Stable);
        assert!(!b[0].port.actor_has(LACP_STATE_SYNCHRONIZATION));
        // Port 1 leaves too: aggregator 0 is cleared, port 1 joins port 0
        // in aggregator 1, which becomes active (its former active is
        // gone, its ports disabled).
        partner(&mut b, 1, P2);
        let r = ad_port_selection_logic(&mut b, 1, AdSelect::Stable);
        assert_eq!(r.joined, Some(Joined::Existing(1)));
        assert_eq!(b[0].aggregator.lag_ports, None);
        assert_eq!(b[0].aggregator.aggregator_identifier, 1);
        assert_eq!(members(&b, 1), [1, 0]);
        let sel = r.selection.unwrap();
        assert_eq!(
            (sel.active, sel.chosen, sel.disabled),
            (Some(1), Some(1), None)
        );
    }

    #[test]
    fn port_not_on_its_list_is_reported() {
        let mut b = bond(2, 1000);
        partner(&mut b, 0, P1);
        ad_port_selection_logic(&mut b, 0, AdSelect::Stable);
        // Corrupt: port 1 claims aggregator 0.
        b[1].port_aggregator = Some(0);
        let r = ad_port_selection_logic(&mut b, 1, AdSelect::Stable);
        assert!(r.not_on_list);
        assert_eq!(r.joined, Some(Joined::New(1)));
    }

    /// The cases of the former txsel copy of the rule, on real aggregators.
    #[test]
    fn selection_rule_cases() {
        // agg 0: 2 ports at 1G; agg 1: 1 port at 10G; agg 2: empty.
        let mut b = bond(4, 1000);
        b[2].link = LinkInfo::full(10000);
        for i in 0..3 {
            partner(&mut b, i, P1);
        }
        b[2].port.partner_oper.key = 7;
        for i in 0..3 {
            ad_port_selection_logic(&mut b, i, AdSelect::Count);
        }
        assert_eq!((members(&b, 0), members(&b, 1)), (vec![1, 0], vec![2]));
        let pick = |b: &mut Vec<AdSlave>, active: Option<usize>, m| {
            for s in b.iter_mut() {
                s.aggregator.is_active = false;
            }
            if let Some(a) = active {
                b[a].aggregator.is_active = true;
            }
            ad_agg_selection_logic(b, m).active
        };
        assert_eq!(pick(&mut b, None, AdSelect::Bandwidth), Some(1));
        assert_eq!(pick(&mut b, None, AdSelect::Count), Some(0));
        assert_eq!(pick(&mut b, Some(0), AdSelect::Stable), Some(0));
        assert_eq!(pick(&mut b, Some(0), AdSelect::Bandwidth), Some(1));
        assert_eq!(pick(&mut b, None, AdSelect::Stable), Some(1));
        // Active without partner, best with one: stable switches.
        b[0].aggregator.partner_system = [0; 6];
        assert_eq!(pick(&mut b, Some(0), AdSelect::Stable), Some(1));
        b[0].aggregator.partner_system = P1;
        // An active aggregator without a key yields to a keyed best.
        b[0].aggregator.actor_oper_aggregator_key = 0;
        assert_eq!(pick(&mut b, Some(0), AdSelect::Stable), Some(1));
        b[0].aggregator.actor_oper_aggregator_key = b[0].port.actor_oper_port_key;
        // Individual loses to non-individual whatever the bandwidth.
        b[1].aggregator.is_individual = true;
        assert_eq!(pick(&mut b, None, AdSelect::Bandwidth), Some(0));
        b[1].aggregator.is_individual = false;
        // count tie falls through to bandwidth; full tie keeps the first.
        b[0].port.is_enabled = false;
        assert_eq!(pick(&mut b, None, AdSelect::Count), Some(1));
        b[2].link = LinkInfo::full(1000);
        assert_eq!(pick(&mut b, None, AdSelect::Count), Some(0));
        // Bandwidth reads the first port's speed: port 1 (the newest) down.
        b[0].port.is_enabled = true;
        b[1].link.up = false;
        assert_eq!(agg_bandwidth(&b, 0), 0);
        assert_eq!(pick(&mut b, None, AdSelect::Bandwidth), Some(1));
        // Nothing usable: no aggregator is active, and the former one's
        // ports are not disabled.
        for s in b.iter_mut() {
            s.dev_up = false;
        }
        let sel = ad_agg_selection_logic(&mut b, AdSelect::Count);
        assert_eq!(sel, AggSelection::default());
        assert_eq!(get_active_agg(&b), None);
        assert_eq!(bond_3ad_set_carrier(&b, 0), Some(false));
        assert_eq!(bond_3ad_set_carrier(&[], 0), None);
        assert_eq!(AdSelect::from_raw(2), Some(AdSelect::Count));
        assert_eq!(AdSelect::from_raw(3), None);
    }

    #[test]
    fn new_choice_disables_the_former_active_ports() {
        let mut b = bond(3, 1000);
        partner(&mut b, 0, P1);
        partner(&mut b, 1, P2);
        partner(&mut b, 2, P2);
        for i in 0..3 {
            ad_port_selection_logic(&mut b, i, AdSelect::Count);
        }
        // Port 0 alone first, then ports 1 and 2 together win.
        assert_eq!(get_active_agg(&b), Some(1));
        b[0].aggregator.is_active = true;
        b[1].aggregator.is_active = false;
        let sel = ad_agg_selection_logic(&mut b, AdSelect::Count);
        assert_eq!((sel.chosen, sel.disabled), (Some(1), Some(0)));
        let acts: Vec<_> = sel.actions(&b).collect();
        assert_eq!(acts, [(0, SlaveAction::DisablePort)]);
    }

    #[test]
    fn unbinding_the_last_port_of_the_active_aggregator_reselects() {
        let mut b = bond(3, 1000);
        partner(&mut b, 0, P1);
        partner(&mut b, 1, P2);
        partner(&mut b, 2, P2);
        for i in 0..3 {
            ad_port_selection_logic(&mut b, i, AdSelect::Stable);
        }
        // Stable keeps the first: port 0's aggregator.
        assert_eq!(get_active_agg(&b), Some(0));
        b[0].port.actor_oper_port_state |= LACP_STATE_SYNCHRONIZATION;
        let u = bond_3ad_unbind_slave(&mut b, 0, AdSelect::Stable).unwrap();
        assert!(u.removed_active && u.moved_to.is_none());
        assert_eq!(u.lacpdu.actor.state & LACP_STATE_AGGREGATION, 0);
        assert_eq!(u.lacpdu.actor.state & LACP_STATE_SYNCHRONIZATION, 0);
        let sel = u.selection.unwrap();
        assert_eq!((sel.active, sel.chosen), (Some(1), Some(1)));
        assert!(!b[0].bound && b[0].aggregator.lag_ports.is_none());
        assert_eq!(bond_3ad_unbind_slave(&mut b, 0, AdSelect::Stable), None);
        assert!(remove_slave(&mut b, 0));
        b.pop();
        assert_eq!(members(&b, 0), [1, 0]);
        assert!(b.iter().all(|s| s.port_aggregator == Some(0)));
        assert!(b[0].aggregator.is_active);
    }

    #[test]
    fn unbinding_moves_the_other_ports_to_a_free_aggregator() {
        let mut b = bond(3, 1000);
        for i in 0..3 {
            partner(&mut b, i, P1);
            ad_port_selection_logic(&mut b, i, AdSelect::Stable);
        }
        assert_eq!(members(&b, 0), [2, 1, 0]);
        // Slave 0 leaves; its aggregator holds ports 2, 1, 0: they move to
        // aggregator 1 (free), then port 0 is taken off it.
        let u = bond_3ad_unbind_slave(&mut b, 0, AdSelect::Stable).unwrap();
        assert_eq!(u.moved_to, Some(1));
        assert!(!u.removed_active && u.selection.is_none());
        assert_eq!(members(&b, 1), [2, 1]);
        assert_eq!(b[1].aggregator.num_of_ports, 2);
        assert!(b[1].aggregator.is_active && b[1].aggregator.partner_system == P1);
        assert_eq!(b[0].aggregator.lag_ports, None);
        assert!(b[1..]
            .iter()
            .all(|s| s.port_aggregator == Some(1) && s.port.actor_port_aggregator_identifier == 2));
        assert!(remove_slave(&mut b, 0));
        b.pop();
        assert_eq!(members(&b, 0), [1, 0]);
        // The moved aggregator has slave 1's identifier.
        assert_eq!(b[0].aggregator.aggregator_identifier, 2);
        assert!(!remove_slave(&mut b, 0) && !remove_slave(&mut b, 7));
    }

    #[test]
    fn unbinding_onto_the_ports_own_active_aggregator_reselects() {
        // Slave 0's aggregator holds port 1; port 0 is alone, active, in
        // aggregator 1: C replaces aggregator 1's content with aggregator
        // 0's and, having removed an active aggregator, reselects.
        let mut b = bond(2, 1000);
        partner(&mut b, 1, P2);
        ad_port_selection_logic(&mut b, 1, AdSelect::Stable);
        partner(&mut b, 0, P1);
        ad_port_selection_logic(&mut b, 0, AdSelect::Stable);
        assert_eq!((members(&b, 0), members(&b, 1)), (vec![1], vec![0]));
        b[0].aggregator.is_active = false;
        b[1].aggregator.is_active = true;
        let u = bond_3ad_unbind_slave(&mut b, 0, AdSelect::Stable).unwrap();
        assert_eq!(u.moved_to, Some(1));
        assert!(u.removed_active);
        assert_eq!(u.selection.unwrap().active, Some(1));
        assert_eq!(members(&b, 1), [1]);
        assert_eq!(b[1].aggregator.partner_system, P2);
    }

    #[test]
    fn mux_view_and_ready() {
        let mut b = bond(2, 1000);
        partner(&mut b, 0, P1);
        partner(&mut b, 1, P1);
        assert_eq!(mux_aggregator_view(&b, 0), None);
        ad_port_selection_logic(&mut b, 0, AdSelect::Stable);
        ad_port_selection_logic(&mut b, 1, AdSelect::Stable);
        b[1].port.sm_vars |= AD_PORT_READY_N;
        let v = mux_aggregator_view(&b, 0).unwrap();
        assert!(v.is_active && v.has_partner && v.others_ready_n);
        assert!(!mux_aggregator_view(&b, 1).unwrap().others_ready_n);
        assert!(!agg_ports_are_ready(&b, Some(0)) && agg_ports_are_ready(&b, None));
        set_agg_ports_ready(&mut b, 0, true);
        assert!(b.iter().all(|s| s.port.has(AD_PORT_READY)));
        set_agg_ports_ready(&mut b, 0, false);
        assert!(b.iter().all(|s| !s.port.has(AD_PORT_READY)));
    }

    #[test]
    fn link_change_reselects() {
        let mut b = bond(2, 1000);
        partner(&mut b, 0, P1);
        partner(&mut b, 1, P2);
        ad_port_selection_logic(&mut b, 0, AdSelect::Stable);
        ad_port_selection_logic(&mut b, 1, AdSelect::Stable);
        assert_eq!(get_active_agg(&b), Some(0));
        b[0].link.up = false;
        b[0].dev_up = false;
        let c = bond_3ad_handle_link_change(&mut b, 0, false, AdSelect::Stable).unwrap();
        assert_eq!(c.key, KeyUpdate::Changed);
        assert_eq!(
            (c.selection.active, c.selection.disabled),
            (Some(1), Some(0))
        );
        assert_eq!(
            bond_3ad_handle_link_change(&mut b, 5, true, AdSelect::Stable),
            None
        );
    }

    #[test]
    fn corrupt_lists_end() {
        let mut b = bond(3, 1000);
        // A cycle and an index out of range.
        b[0].aggregator.lag_ports = Some(1);
        b[1].next_port_in_aggregator = Some(2);
        b[2].next_port_in_aggregator = Some(1);
        b[1].aggregator.lag_ports = Some(9);
        assert_eq!(lag_ports(&b, 0).count(), 3);
        assert_eq!(lag_ports(&b, 1).count(), 0);
        assert_eq!(agg_active_ports(&b, 0), 3);
        set_agg_ports_ready(&mut b, 0, true);
        assert!(!unlink(&mut b, 0, 0));
        for i in 0..4 {
            let _ = ad_port_selection_logic(&mut b, i, AdSelect::Count);
            let _ = bond_3ad_unbind_slave(&mut b, i, AdSelect::Count);
        }
    }
}
