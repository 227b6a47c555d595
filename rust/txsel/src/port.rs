// SPDX-License-Identifier: GPL-2.0

//! Candidate lower-device ("port", "slave") state as seen by the policies.
//!
//! The fields mirror what the C code reads from `struct slave` /
//! `struct net_device` (include/net/bonding.h): `link` is bonding's link
//! monitor state (`BOND_LINK_*`), `dev_up` is `netif_running() &&
//! netif_carrier_ok()`, `backup` is `slave->backup`.

/// Bonding link-monitor state of a port (`BOND_LINK_*` in
/// include/uapi/linux/if_bonding.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LinkState {
    /// `BOND_LINK_UP` (0): link is up and running.
    #[default]
    Up,
    /// `BOND_LINK_FAIL` (1): link has just gone down (downdelay running).
    Fail,
    /// `BOND_LINK_DOWN` (2): link has been down for too long.
    Down,
    /// `BOND_LINK_BACK` (3): link is coming back (updelay running).
    Back,
}

impl LinkState {
    /// The C value of this state.
    pub const fn raw(self) -> i8 {
        match self {
            LinkState::Up => 0,
            LinkState::Fail => 1,
            LinkState::Down => 2,
            LinkState::Back => 3,
        }
    }

    /// Converts a C `BOND_LINK_*` value; unknown values give `None`.
    pub const fn from_raw(v: i8) -> Option<Self> {
        match v {
            0 => Some(LinkState::Up),
            1 => Some(LinkState::Fail),
            2 => Some(LinkState::Down),
            3 => Some(LinkState::Back),
            _ => None,
        }
    }
}

/// Link duplex as reported by ethtool (`DUPLEX_*` in
/// include/uapi/linux/ethtool.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Duplex {
    /// `DUPLEX_HALF` (0).
    Half,
    /// `DUPLEX_FULL` (1).
    Full,
    /// `DUPLEX_UNKNOWN` (0xff).
    #[default]
    Unknown,
}

impl Duplex {
    /// The C `u8` value, used for the `<=` comparison of
    /// `primary_reselect=better`.
    pub const fn raw(self) -> u8 {
        match self {
            Duplex::Half => 0,
            Duplex::Full => 1,
            Duplex::Unknown => 0xff,
        }
    }
}

/// `SPEED_UNKNOWN` (-1 stored in a `u32`).
pub const SPEED_UNKNOWN: u32 = u32::MAX;

/// State of one candidate lower device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Port {
    /// Caller-defined identifier (slave number, ifindex, ...). Not used by
    /// any policy: policies return positions in the slice.
    pub index: u32,
    /// `netif_running(dev) && netif_carrier_ok(dev)` (`bond_slave_is_up`).
    pub dev_up: bool,
    /// Bonding link-monitor state (`slave->link`).
    pub link: LinkState,
    /// `slave->backup`: the port is an inactive (backup) slave.
    pub backup: bool,
    /// Link speed in Mb/s (`slave->speed`), [`SPEED_UNKNOWN`] if unknown.
    pub speed: u32,
    /// Link duplex (`slave->duplex`).
    pub duplex: Duplex,
    /// Failover priority (`slave->prio`), higher is preferred.
    pub prio: i32,
    /// The transmit queue used by the caller is stopped
    /// (`netif_xmit_stopped()`).
    pub queue_stopped: bool,
    /// 802.3ad aggregator identifier the port is attached to (0 = none).
    pub aggregator_id: u16,
    /// Remaining updelay/downdelay ticks (`slave->delay`), used by the
    /// active-backup fallback for ports in [`LinkState::Back`].
    pub delay: i32,
}

impl Port {
    /// A fully usable port: device up, link up, active, queue running,
    /// unknown speed/duplex, priority 0, no aggregator, no delay.
    pub const fn new(index: u32) -> Self {
        Port {
            index,
            dev_up: true,
            link: LinkState::Up,
            backup: false,
            speed: SPEED_UNKNOWN,
            duplex: Duplex::Unknown,
            prio: 0,
            queue_stopped: false,
            aggregator_id: 0,
            delay: 0,
        }
    }

    /// `bond_slave_is_up()`: device running with carrier.
    pub const fn is_up(&self) -> bool {
        self.dev_up
    }

    /// Device up and bonding link state `BOND_LINK_UP` (the broadcast
    /// mode's test).
    pub const fn link_up(&self) -> bool {
        self.dev_up && matches!(self.link, LinkState::Up)
    }

    /// `bond_slave_can_tx()`: link up and not a backup slave.
    pub const fn can_tx(&self) -> bool {
        self.link_up() && !self.backup
    }

    /// TEQL usability: device up and its transmit queue not stopped.
    pub const fn teql_ready(&self) -> bool {
        self.dev_up && !self.queue_stopped
    }
}

impl Default for Port {
    fn default() -> Self {
        Port::new(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicates() {
        let p = Port::new(3);
        assert!(p.is_up() && p.link_up() && p.can_tx() && p.teql_ready());
        let b = Port { backup: true, ..p };
        assert!(b.link_up() && !b.can_tx());
        let f = Port {
            link: LinkState::Fail,
            ..p
        };
        assert!(f.is_up() && !f.link_up() && !f.can_tx() && f.teql_ready());
        let d = Port { dev_up: false, ..p };
        assert!(!d.link_up() && !d.teql_ready());
        let s = Port {
            queue_stopped: true,
            ..p
        };
        assert!(s.can_tx() && !s.teql_ready());
    }

    #[test]
    fn raw_values() {
        for v in 0..4i8 {
            assert_eq!(LinkState::from_raw(v).map(LinkState::raw), Some(v));
        }
        assert_eq!(LinkState::from_raw(4), None);
        assert_eq!(LinkState::from_raw(-1), None);
        assert_eq!(Duplex::Half.raw(), 0);
        assert_eq!(Duplex::Full.raw(), 1);
        assert_eq!(Duplex::Unknown.raw(), 0xff);
    }
}
