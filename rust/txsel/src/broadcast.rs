// SPDX-License-Identifier: GPL-2.0

//! Broadcast mode: every port whose device is up and whose bonding link
//! state is up gets a copy.
//!
//! Mirrors `bond_xmit_broadcast()` in drivers/net/bonding/bond_main.c of
//! Linux 6.12, which walks `all_slaves` and skips those failing
//! `bond_slave_is_up(slave) && slave->link == BOND_LINK_UP`
//! ([`Port::link_up`]). Backup flags are not looked at.

use super::{Port, PortIndex, PortMask};

/// Iterator over the indices of the ports that get a copy, in order.
#[derive(Clone, Debug)]
pub struct Broadcast<'a> {
    ports: &'a [Port],
    next: usize,
}

impl Iterator for Broadcast<'_> {
    type Item = PortIndex;

    fn next(&mut self) -> Option<PortIndex> {
        let rest = self.ports.get(self.next..)?;
        let off = rest.iter().position(Port::link_up)?;
        let i = self.next + off;
        self.next = i + 1;
        Some(i)
    }
}

/// The ports that get a copy.
pub fn ports(ports: &[Port]) -> Broadcast<'_> {
    Broadcast { ports, next: 0 }
}

/// The ports that get a copy as a bitmask (ports beyond index 63 are not
/// represented; use [`ports`] for larger sets).
pub fn mask(ports: &[Port]) -> PortMask {
    ports
        .iter()
        .take(64)
        .enumerate()
        .filter(|(_, p)| p.link_up())
        .fold(0, |m, (i, _)| m | (1u64 << i))
}

/// The last port that gets a copy: the C code hands it the original
/// buffer and clones for the others. `None` if no port gets one.
pub fn last(ports: &[Port]) -> Option<PortIndex> {
    ports.iter().rposition(Port::link_up)
}

#[cfg(test)]
mod tests {
    use super::super::LinkState;
    use super::*;

    #[test]
    fn usable_set() {
        let up = Port::new(0);
        let backup = Port { backup: true, ..up };
        let fail = Port {
            link: LinkState::Fail,
            ..up
        };
        let off = Port {
            dev_up: false,
            ..up
        };
        let p = [fail, up, off, backup, up];
        let v: std::vec::Vec<usize> = ports(&p).collect();
        assert_eq!(v, [1, 3, 4]);
        assert_eq!(mask(&p), 0b11010);
        assert_eq!(last(&p), Some(4));
        assert_eq!(ports(&[]).next(), None);
        assert_eq!(mask(&[]), 0);
        assert_eq!(last(&[fail, off]), None);
    }

    #[test]
    fn mask_caps_at_64() {
        let p = [Port::new(0); 70];
        assert_eq!(mask(&p), u64::MAX);
        assert_eq!(ports(&p).count(), 70);
    }
}
