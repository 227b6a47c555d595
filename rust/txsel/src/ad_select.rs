// SPDX-License-Identifier: GPL-2.0

//! 802.3ad active aggregator selection (`ad_select`).
//!
//! Mirrors drivers/net/bonding/bond_3ad.c of Linux 6.12:
//!
//! * [`curr_beats_best`] is `ad_agg_selection_test()`: a non-individual
//!   aggregator beats an individual one, then one with a partner (non-zero
//!   partner system MAC) beats one without, then `count` compares the
//!   number of active (enabled) ports and falls through to bandwidth, and
//!   `stable`/`bandwidth` compare the bandwidth; ties keep `best`.
//! * [`bandwidth`] is `__get_agg_bandwidth()`: active ports times the
//!   speed of the aggregator's *first* port (`__get_link_speed()`: 0 if
//!   that port's link is not up or its speed is not one of the known
//!   ethtool speeds).
//! * [`select`] is the choice made by `ad_agg_selection_logic()`,
//!   including the `stable` rule that keeps the current active aggregator.

/// `ad_select` policy (`BOND_AD_*` in include/net/bond_3ad.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AdSelect {
    /// `stable` (0).
    #[default]
    Stable,
    /// `bandwidth` (1).
    Bandwidth,
    /// `count` (2).
    Count,
}

impl AdSelect {
    /// Converts the C value; unknown values give `None`.
    pub const fn from_raw(v: u8) -> Option<Self> {
        match v {
            0 => Some(AdSelect::Stable),
            1 => Some(AdSelect::Bandwidth),
            2 => Some(AdSelect::Count),
            _ => None,
        }
    }
}

/// What the selection reads of one aggregator (`struct aggregator` and its
/// ports).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Aggregator {
    /// `aggregator_identifier` (matches [`super::Port::aggregator_id`]).
    pub id: u16,
    /// `is_individual`.
    pub is_individual: bool,
    /// `partner_system` MAC; all zero means no partner answered.
    pub partner_system: [u8; 6],
    /// Number of ports attached (`num_of_ports`; `lag_ports != NULL`).
    pub num_ports: u32,
    /// Number of enabled ports (`__agg_active_ports()`).
    pub active_ports: u32,
    /// The first attached port's bonding link is up.
    pub lead_link_up: bool,
    /// The first attached port's speed in Mb/s.
    pub lead_speed: u32,
    /// Some attached port's device is running with carrier
    /// (`agg_device_up()`).
    pub device_up: bool,
    /// `actor_oper_aggregator_key`.
    pub actor_oper_key: u16,
}

impl Aggregator {
    /// `__agg_has_partner()`.
    pub const fn has_partner(&self) -> bool {
        let m = self.partner_system;
        (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) != 0
    }
}

/// `__get_link_speed()` expressed in Mb/s: the speed if the link is up and
/// the speed is one the 802.3ad code knows, else 0.
pub const fn ad_link_speed(link_up: bool, speed: u32) -> u32 {
    if !link_up {
        return 0;
    }
    match speed {
        10 | 100 | 1000 | 2500 | 5000 | 10000 | 14000 | 20000 | 25000 | 40000 | 50000 | 56000
        | 100000 | 200000 | 400000 | 800000 => speed,
        _ => 0,
    }
}

/// `__get_agg_bandwidth()` in Mb/s (wrapping like the C `int` product
/// stored in a `u32`).
pub const fn bandwidth(a: &Aggregator) -> u32 {
    if a.active_ports == 0 {
        return 0;
    }
    a.active_ports
        .wrapping_mul(ad_link_speed(a.lead_link_up, a.lead_speed))
}

/// `ad_agg_selection_test(best, curr)`: true if `curr` is returned (it
/// becomes the best), false if `best` is kept.
pub const fn curr_beats_best(best: Option<&Aggregator>, curr: &Aggregator, mode: AdSelect) -> bool {
    let Some(best) = best else {
        return true;
    };
    if !curr.is_individual && best.is_individual {
        return true;
    }
    if curr.is_individual && !best.is_individual {
        return false;
    }
    if curr.has_partner() && !best.has_partner() {
        return true;
    }
    if !curr.has_partner() && best.has_partner() {
        return false;
    }
    if let AdSelect::Count = mode {
        if curr.active_ports > best.active_ports {
            return true;
        }
        if curr.active_ports < best.active_ports {
            return false;
        }
    }
    bandwidth(curr) > bandwidth(best)
}

/// `ad_agg_selection_logic()`: the index of the aggregator that is active
/// afterwards (`None`: none is), given the currently active one.
///
/// Candidates are aggregators with active ports and a device up, compared
/// in slice order starting from the current active one (if its device is
/// up). With `stable`, the active aggregator is kept while it has active
/// ports and either has a partner or neither it nor the best has one
/// (unless it has no operational key and the best has one).
pub fn select(aggs: &[Aggregator], active: Option<usize>, mode: AdSelect) -> Option<usize> {
    let active = active.filter(|&a| a < aggs.len());
    let mut best = active.filter(|&a| aggs.get(a).is_some_and(|g| g.device_up));
    for (i, a) in aggs.iter().enumerate() {
        if a.active_ports != 0
            && a.device_up
            && curr_beats_best(best.and_then(|b| aggs.get(b)), a, mode)
        {
            best = Some(i);
        }
    }
    let b = best?;
    let bg = aggs.get(b)?;
    if let Some(a) = active {
        let ag = aggs.get(a)?;
        if mode == AdSelect::Stable
            && ag.num_ports != 0
            && ag.active_ports != 0
            && (ag.has_partner() || !bg.has_partner())
            && !(ag.actor_oper_key == 0 && bg.actor_oper_key != 0)
        {
            return Some(a);
        }
    }
    Some(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agg(id: u16, ports: u32, speed: u32, partner: bool) -> Aggregator {
        Aggregator {
            id,
            is_individual: false,
            partner_system: if partner { [0, 1, 2, 3, 4, 5] } else { [0; 6] },
            num_ports: ports,
            active_ports: ports,
            lead_link_up: true,
            lead_speed: speed,
            device_up: ports != 0,
            actor_oper_key: 1,
        }
    }

    #[test]
    fn bandwidth_rules() {
        assert_eq!(bandwidth(&agg(1, 2, 10000, true)), 20000);
        assert_eq!(bandwidth(&agg(1, 2, 12345, true)), 0);
        assert_eq!(bandwidth(&agg(1, 0, 10000, true)), 0);
        let mut a = agg(1, 3, 1000, true);
        a.lead_link_up = false;
        assert_eq!(bandwidth(&a), 0);
        assert_eq!(ad_link_speed(true, u32::MAX), 0);
    }

    #[test]
    fn selection_test_order() {
        let a = agg(1, 2, 1000, true);
        assert!(curr_beats_best(None, &a, AdSelect::Stable));
        // Individual loses to non-individual, whatever the bandwidth.
        let mut ind = agg(2, 8, 100000, true);
        ind.is_individual = true;
        assert!(!curr_beats_best(Some(&a), &ind, AdSelect::Bandwidth));
        assert!(curr_beats_best(Some(&ind), &a, AdSelect::Bandwidth));
        // Partner beats no partner.
        let np = agg(3, 8, 100000, false);
        assert!(!curr_beats_best(Some(&a), &np, AdSelect::Count));
        assert!(curr_beats_best(Some(&np), &a, AdSelect::Count));
        // count: more ports wins even with less bandwidth.
        let many_slow = agg(4, 4, 1000, true);
        let few_fast = agg(5, 2, 10000, true);
        assert!(curr_beats_best(
            Some(&few_fast),
            &many_slow,
            AdSelect::Count
        ));
        assert!(!curr_beats_best(
            Some(&few_fast),
            &many_slow,
            AdSelect::Bandwidth
        ));
        assert!(!curr_beats_best(
            Some(&few_fast),
            &many_slow,
            AdSelect::Stable
        ));
        // count tie falls through to bandwidth.
        let two_fast = agg(6, 4, 10000, true);
        assert!(curr_beats_best(
            Some(&many_slow),
            &two_fast,
            AdSelect::Count
        ));
        // Full tie keeps best.
        assert!(!curr_beats_best(Some(&a), &a, AdSelect::Count));
    }

    #[test]
    fn logic_modes() {
        let aggs = [
            agg(1, 2, 1000, true),
            agg(2, 1, 10000, true),
            agg(3, 0, 0, false),
        ];
        assert_eq!(select(&aggs, None, AdSelect::Bandwidth), Some(1));
        assert_eq!(select(&aggs, None, AdSelect::Count), Some(0));
        // stable keeps the active aggregator while it has ports/partner.
        assert_eq!(select(&aggs, Some(0), AdSelect::Stable), Some(0));
        assert_eq!(select(&aggs, Some(0), AdSelect::Bandwidth), Some(1));
        // Without active, stable picks by bandwidth.
        assert_eq!(select(&aggs, None, AdSelect::Stable), Some(1));
        // Active without partner, best with partner: stable switches.
        let aggs = [agg(1, 4, 1000, false), agg(2, 1, 1000, true)];
        assert_eq!(select(&aggs, Some(0), AdSelect::Stable), Some(1));
        // Active with no operational key yields to a keyed best.
        let mut aggs = [agg(1, 2, 1000, true), agg(2, 2, 10000, true)];
        aggs[0].actor_oper_key = 0;
        assert_eq!(select(&aggs, Some(0), AdSelect::Stable), Some(1));
        // Nothing usable.
        assert_eq!(select(&[agg(1, 0, 0, true)], None, AdSelect::Count), None);
        assert_eq!(select(&[], Some(3), AdSelect::Count), None);
    }

    #[test]
    fn from_raw() {
        assert_eq!(AdSelect::from_raw(2), Some(AdSelect::Count));
        assert_eq!(AdSelect::from_raw(3), None);
    }
}
