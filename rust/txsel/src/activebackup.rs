// SPDX-License-Identifier: GPL-2.0

//! Active-backup: transmit on the current active port, and reselection of
//! that port when links fail or recover.
//!
//! Mirrors drivers/net/bonding/bond_main.c of Linux 6.12:
//!
//! * [`choose_primary_or_current`] is `bond_choose_primary_or_current()`:
//!   if the `primary` port is unset or its link is not up, the up port with
//!   the highest `prio` (first one on ties) replaces it if it differs from
//!   the current one; otherwise `force_primary` returns the primary at
//!   once; then, with both primary and current up, `primary_reselect`
//!   decides (`always`: primary, `better`: primary only if faster, or as
//!   fast with better duplex, `failure`: keep current).
//! * [`find_best`] is `bond_find_best_slave()`: the above, else the first
//!   port whose link is up, else the `BOND_LINK_BACK` port that is up and
//!   has the smallest remaining `delay` below `updelay`.
//! * [`select_active`] is the decision of `bond_select_active_slave()`:
//!   change the active port iff the best differs from the current one.
//!   (Older kernels had `bond_should_change_active()`; in 6.12 its logic
//!   lives in `bond_choose_primary_or_current()`.)
//! * [`tx`] is `bond_xmit_activebackup()`: the current active port.
//!
//! Only `slave->link` (not carrier) is looked at by the primary/prio logic,
//! exactly like the C code. Indices out of range are treated as "none".

use super::{LinkState, Port, PortIndex};

/// `primary_reselect` (`BOND_PRI_RESELECT_*` in include/net/bonding.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PrimaryReselect {
    /// `always` (0): the primary becomes active whenever it comes back.
    #[default]
    Always,
    /// `better` (1): only if it is faster, or as fast with better duplex.
    Better,
    /// `failure` (2): only if the current active port fails.
    Failure,
}

impl PrimaryReselect {
    /// Converts the C value; unknown values give `None`.
    pub const fn from_raw(v: u8) -> Option<Self> {
        match v {
            0 => Some(PrimaryReselect::Always),
            1 => Some(PrimaryReselect::Better),
            2 => Some(PrimaryReselect::Failure),
            _ => None,
        }
    }
}

/// The bond-level state the reselection reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct AbState {
    /// `curr_active_slave`.
    pub current: Option<PortIndex>,
    /// `primary_slave`.
    pub primary: Option<PortIndex>,
    /// `params.primary_reselect`.
    pub reselect: PrimaryReselect,
    /// `force_primary`: set when the primary was (re)configured; consumed
    /// by the selection (see [`AbChoice::force_primary_consumed`]).
    pub force_primary: bool,
    /// `params.updelay`, in link-monitor ticks (initial `mintime`).
    pub updelay: i32,
}

/// Result of a selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AbChoice {
    /// The chosen port, or `None`.
    pub port: Option<PortIndex>,
    /// The C code cleared `bond->force_primary`; the caller must clear its
    /// flag too.
    pub force_primary_consumed: bool,
}

fn valid(ports: &[Port], i: Option<PortIndex>) -> Option<PortIndex> {
    i.filter(|&i| i < ports.len())
}

fn link_is_up(ports: &[Port], i: PortIndex) -> bool {
    ports.get(i).is_some_and(|p| p.link == LinkState::Up)
}

/// Highest-`prio` port whose link is up; the first one wins ties.
fn highest_prio_up(ports: &[Port]) -> Option<PortIndex> {
    let mut best: Option<(PortIndex, i32)> = None;
    for (i, p) in ports.iter().enumerate() {
        if p.link != LinkState::Up {
            continue;
        }
        match best {
            Some((_, prio)) if p.prio <= prio => {}
            _ => best = Some((i, p.prio)),
        }
    }
    best.map(|(i, _)| i)
}

/// `bond_choose_primary_or_current()`.
pub fn choose_primary_or_current(ports: &[Port], st: &AbState) -> AbChoice {
    let curr = valid(ports, st.current);
    let mut prim = valid(ports, st.primary);

    match prim {
        Some(p) if link_is_up(ports, p) => {
            if st.force_primary {
                return AbChoice {
                    port: Some(p),
                    force_primary_consumed: true,
                };
            }
        }
        _ => {
            let hprio = highest_prio_up(ports);
            if hprio.is_some() && hprio != curr {
                prim = hprio;
            } else {
                let port = curr.filter(|&c| link_is_up(ports, c));
                return AbChoice {
                    port,
                    force_primary_consumed: false,
                };
            }
        }
    }
    // link_reselect: (force_primary was not consumed on this path)
    let (Some(p), Some(c)) = (prim, curr) else {
        return AbChoice {
            port: prim,
            force_primary_consumed: false,
        };
    };
    let (pp, cp) = match (ports.get(p), ports.get(c)) {
        (Some(pp), Some(cp)) if cp.link == LinkState::Up => (pp, cp),
        _ => {
            return AbChoice {
                port: Some(p),
                force_primary_consumed: false,
            }
        }
    };
    // Both primary and current are up.
    let port = match st.reselect {
        PrimaryReselect::Always => p,
        PrimaryReselect::Better => {
            if pp.speed < cp.speed || (pp.speed == cp.speed && pp.duplex.raw() <= cp.duplex.raw()) {
                c
            } else {
                p
            }
        }
        PrimaryReselect::Failure => c,
    };
    AbChoice {
        port: Some(port),
        force_primary_consumed: false,
    }
}

/// `bond_find_best_slave()`.
pub fn find_best(ports: &[Port], st: &AbState) -> AbChoice {
    let choice = choose_primary_or_current(ports, st);
    if choice.port.is_some() {
        return choice;
    }
    let mut mintime = st.updelay;
    let mut best = None;
    for (i, p) in ports.iter().enumerate() {
        if p.link == LinkState::Up {
            return AbChoice {
                port: Some(i),
                force_primary_consumed: choice.force_primary_consumed,
            };
        }
        if p.link == LinkState::Back && p.is_up() && p.delay < mintime {
            mintime = p.delay;
            best = Some(i);
        }
    }
    AbChoice {
        port: best,
        force_primary_consumed: choice.force_primary_consumed,
    }
}

/// Decision of `bond_select_active_slave()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AbDecision {
    /// The port that is active after the decision.
    pub active: Option<PortIndex>,
    /// `bond_change_active_slave()` must be called (best != current).
    pub changed: bool,
    /// See [`AbChoice::force_primary_consumed`].
    pub force_primary_consumed: bool,
}

/// `bond_select_active_slave()`: find the best port and say whether the
/// active port changes.
pub fn select_active(ports: &[Port], st: &AbState) -> AbDecision {
    let best = find_best(ports, st);
    let curr = valid(ports, st.current);
    AbDecision {
        active: best.port,
        changed: best.port != curr,
        force_primary_consumed: best.force_primary_consumed,
    }
}

/// `bond_xmit_activebackup()`: the current active port, whatever its
/// state (the reselection above keeps it usable), or `None`.
pub fn tx(ports: &[Port], current: Option<PortIndex>) -> Option<PortIndex> {
    valid(ports, current)
}

#[cfg(test)]
mod tests {
    use super::super::Duplex;
    use super::*;

    fn up(prio: i32) -> Port {
        Port {
            prio,
            ..Port::new(0)
        }
    }

    fn down() -> Port {
        Port {
            link: LinkState::Down,
            dev_up: false,
            ..Port::new(0)
        }
    }

    fn st(current: Option<usize>, primary: Option<usize>, r: PrimaryReselect) -> AbState {
        AbState {
            current,
            primary,
            reselect: r,
            ..AbState::default()
        }
    }

    #[test]
    fn empty() {
        let s = AbState::default();
        assert_eq!(find_best(&[], &s).port, None);
        assert_eq!(tx(&[], Some(0)), None);
    }

    #[test]
    fn no_primary_keeps_current_when_equal_prio() {
        // All prio 0: hprio = first up port (0); it differs from current
        // (1), so C jumps to link_reselect with prim = 0 and
        // primary_reselect decides.
        let ports = [up(0), up(0)];
        let s = st(Some(1), None, PrimaryReselect::Always);
        assert_eq!(find_best(&ports, &s).port, Some(0));
        let s = st(Some(1), None, PrimaryReselect::Failure);
        assert_eq!(find_best(&ports, &s).port, Some(1));
        // hprio == current: keep it.
        let s = st(Some(0), None, PrimaryReselect::Always);
        assert_eq!(find_best(&ports, &s).port, Some(0));
    }

    #[test]
    fn prio_wins_when_no_primary() {
        let ports = [up(1), up(5), up(5), down()];
        let s = st(Some(0), None, PrimaryReselect::Always);
        assert_eq!(find_best(&ports, &s).port, Some(1));
        // Current down: prim (hprio) returned.
        let ports = [down(), up(1), up(2)];
        let s = st(Some(0), None, PrimaryReselect::Failure);
        assert_eq!(find_best(&ports, &s).port, Some(2));
    }

    #[test]
    fn primary_reselect_policies() {
        let mut ports = [up(0), up(0)];
        ports[0].speed = 1000;
        ports[1].speed = 10000;
        ports[0].duplex = Duplex::Full;
        ports[1].duplex = Duplex::Full;
        let mut s = st(Some(1), Some(0), PrimaryReselect::Always);
        assert_eq!(find_best(&ports, &s).port, Some(0));
        s.reselect = PrimaryReselect::Better;
        assert_eq!(find_best(&ports, &s).port, Some(1));
        ports[0].speed = 10000;
        // Same speed, same duplex: keep current.
        assert_eq!(find_best(&ports, &s).port, Some(1));
        ports[1].duplex = Duplex::Half;
        assert_eq!(find_best(&ports, &s).port, Some(0));
        ports[0].speed = 40000;
        assert_eq!(find_best(&ports, &s).port, Some(0));
        s.reselect = PrimaryReselect::Failure;
        assert_eq!(find_best(&ports, &s).port, Some(1));
        // Current fails: primary takes over under every policy.
        ports[1].link = LinkState::Fail;
        assert_eq!(find_best(&ports, &s).port, Some(0));
    }

    #[test]
    fn force_primary() {
        let ports = [up(0), up(0)];
        let mut s = st(Some(1), Some(0), PrimaryReselect::Failure);
        s.force_primary = true;
        let c = find_best(&ports, &s);
        assert_eq!(c.port, Some(0));
        assert!(c.force_primary_consumed);
        s.force_primary = false;
        let c = find_best(&ports, &s);
        assert_eq!(c.port, Some(1));
        assert!(!c.force_primary_consumed);
    }

    #[test]
    fn primary_down_falls_back_to_prio() {
        let mut ports = [up(0), up(0), up(9)];
        ports[0].link = LinkState::Down;
        let s = st(Some(0), Some(0), PrimaryReselect::Always);
        assert_eq!(find_best(&ports, &s).port, Some(2));
    }

    #[test]
    fn back_port_with_smallest_delay() {
        let mut ports = [down(), down(), down()];
        for (i, d) in [(0, 5), (1, 2), (2, 3)] {
            ports[i].link = LinkState::Back;
            ports[i].dev_up = true;
            ports[i].delay = d;
        }
        let mut s = st(None, None, PrimaryReselect::Always);
        s.updelay = 10;
        assert_eq!(find_best(&ports, &s).port, Some(1));
        // delay must be below updelay.
        s.updelay = 2;
        assert_eq!(find_best(&ports, &s).port, None);
        // Back but device down is not eligible.
        s.updelay = 10;
        ports[1].dev_up = false;
        assert_eq!(find_best(&ports, &s).port, Some(2));
    }

    #[test]
    fn select_active_reports_change() {
        let ports = [down(), up(0)];
        let s = st(Some(0), None, PrimaryReselect::Always);
        let d = select_active(&ports, &s);
        assert_eq!(d.active, Some(1));
        assert!(d.changed);
        let s = st(Some(1), None, PrimaryReselect::Always);
        assert!(!select_active(&ports, &s).changed);
        let d = select_active(&[down(), down()], &s);
        assert_eq!(d.active, None);
        assert!(d.changed);
    }

    #[test]
    fn out_of_range_indices() {
        let ports = [up(0)];
        let s = st(Some(7), Some(9), PrimaryReselect::Always);
        assert_eq!(find_best(&ports, &s).port, Some(0));
        assert_eq!(tx(&ports, Some(1)), None);
        assert_eq!(tx(&ports, Some(0)), Some(0));
    }

    #[test]
    fn from_raw() {
        assert_eq!(PrimaryReselect::from_raw(1), Some(PrimaryReselect::Better));
        assert_eq!(PrimaryReselect::from_raw(3), None);
    }
}
