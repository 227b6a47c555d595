// SPDX-License-Identifier: GPL-2.0

//! Port numbers, ids and path costs, and the bridge id (C: br_if.c,
//! br_stp_if.c).

/// `BR_MAX_PORTS`: port numbers are 1..1023.
pub const MAX_PORTS: u16 = 1 << PORT_BITS;
/// `BR_PORT_BITS`.
pub const PORT_BITS: u16 = 10;
/// A new port's priority (`new_nbp`: `0x8000 >> BR_PORT_BITS`).
pub const DEFAULT_PORT_PRIORITY: u16 = 0x8000 >> PORT_BITS;
/// A new bridge's priority (`br_dev_setup`).
pub const DEFAULT_BRIDGE_PRIORITY: u16 = 0x8000;

/// A bridge id (C `bridge_id`: the priority, then the address), compared
/// as one big-endian number; the `Display` form is sysfs's
/// (`8000.020000000001`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct BridgeId(pub u64);

const ADDR_MASK: u64 = (1 << 48) - 1;

impl BridgeId {
    /// From a priority and an address.
    pub fn new(prio: u16, addr: &[u8; 6]) -> Self {
        let a = addr;
        BridgeId(u64::from_be_bytes([
            (prio >> 8) as u8,
            prio as u8,
            a[0],
            a[1],
            a[2],
            a[3],
            a[4],
            a[5],
        ]))
    }

    /// The priority.
    pub fn prio(self) -> u16 {
        (self.0 >> 48) as u16
    }

    /// The address.
    pub fn addr(self) -> [u8; 6] {
        let b = self.0.to_be_bytes();
        [b[2], b[3], b[4], b[5], b[6], b[7]]
    }

    /// The same priority with address `addr`.
    pub fn with_addr(self, addr: &[u8; 6]) -> Self {
        BridgeId::new(self.prio(), addr)
    }

    /// The same address with priority `prio`.
    pub fn with_prio(self, prio: u16) -> Self {
        BridgeId((self.0 & ADDR_MASK) | (u64::from(prio) << 48))
    }

    /// The wire form (`struct ifla_bridge_id`, the ioctls' `bridge_id`).
    pub fn bytes(self) -> [u8; 8] {
        self.0.to_be_bytes()
    }
}

impl core::fmt::Display for BridgeId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let b = self.bytes();
        write!(
            f,
            "{:02x}{:02x}.{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]
        )
    }
}

/// `br_make_port_id`.
pub fn port_id(priority: u16, port_no: u16) -> u16 {
    (priority << PORT_BITS) | (port_no & ((1 << PORT_BITS) - 1))
}

/// `find_portno`: the lowest free port number (1..MAX_PORTS-1).
pub fn first_free(used: impl Iterator<Item = u16>) -> Option<u16> {
    let mut map = [0u64; (MAX_PORTS as usize) / 64];
    // Port 0 is reserved (the bridge itself).
    map[0] = 1;
    for n in used {
        if n < MAX_PORTS {
            map[(n / 64) as usize] |= 1 << (n % 64);
        }
    }
    for (i, w) in map.iter().enumerate() {
        if *w != u64::MAX {
            let n = (i as u16) * 64 + (!*w).trailing_zeros() as u16;
            return (n < MAX_PORTS).then_some(n);
        }
    }
    None
}

/// `SPEED_UNKNOWN`.
pub const SPEED_UNKNOWN: u32 = u32::MAX;

/// `port_cost`: the default STP path cost of a port from its link speed
/// (ethtool, Mb/s; `None` when the device has no link settings), then
/// C's old heuristics on the name.
pub fn port_cost(speed: Option<u32>, name: &[u8]) -> u32 {
    if let Some(s) = speed {
        match s {
            10000 => return 2,
            5000 => return 3,
            2500 => return 4,
            1000 => return 5,
            100 => return 19,
            10 | SPEED_UNKNOWN => return 100,
            s if s > 10000 => return 1,
            _ => {}
        }
    }
    if name.starts_with(b"lec") {
        return 7;
    }
    if name.starts_with(b"plip") {
        return 2500;
    }
    100
}

/// `br_stp_recalculate_bridge_id`'s choice: the numerically lowest port
/// address, or all zeros without ports (C then gives the bridge
/// 00:00:00:00:00:00, unless the user set its address).
pub fn lowest_addr(ports: impl Iterator<Item = [u8; 6]>) -> [u8; 6] {
    ports.min().unwrap_or([0; 6])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bridge_id() {
        let a = [0x02, 0, 0, 0, 0xab, 0x01];
        let id = BridgeId::new(0x8000, &a);
        assert_eq!(id.prio(), 0x8000);
        assert_eq!(id.addr(), a);
        assert_eq!(id.bytes(), [0x80, 0, 0x02, 0, 0, 0, 0xab, 0x01]);
        assert_eq!(id.to_string(), "8000.02000000ab01");
        assert_eq!(id.with_prio(0x1000).to_string(), "1000.02000000ab01");
        let b = [0x02, 0, 0, 0, 0, 0x09];
        assert_eq!(id.with_addr(&b), BridgeId::new(0x8000, &b));
        // A lower priority wins whatever the address.
        assert!(BridgeId::new(0x1000, &[0xff; 6]) < BridgeId::new(0x8000, &[0; 6]));
    }

    #[test]
    fn ids() {
        assert_eq!(port_id(DEFAULT_PORT_PRIORITY, 1), 0x8001);
        assert_eq!(port_id(DEFAULT_PORT_PRIORITY, 1023), 0x83ff);
        assert_eq!(port_id(0, 5), 5);
    }

    #[test]
    fn port_numbers() {
        assert_eq!(first_free([].into_iter()), Some(1));
        assert_eq!(first_free([1, 2, 4].into_iter()), Some(3));
        assert_eq!(first_free(1..=63), Some(64));
        assert_eq!(first_free(1..1024), None);
    }

    #[test]
    fn costs() {
        assert_eq!(port_cost(Some(10000), b"veth0"), 2);
        assert_eq!(port_cost(Some(40000), b"eth0"), 1);
        assert_eq!(port_cost(Some(1000), b"eth0"), 5);
        assert_eq!(port_cost(Some(2500), b"eth0"), 4);
        assert_eq!(port_cost(Some(100), b"eth0"), 19);
        assert_eq!(port_cost(Some(SPEED_UNKNOWN), b"eth0"), 100);
        assert_eq!(port_cost(Some(20), b"eth0"), 100);
        assert_eq!(port_cost(None, b"dummy0"), 100);
        assert_eq!(port_cost(None, b"lec0"), 7);
    }

    #[test]
    fn bridge_addr() {
        let a = [2, 0, 0, 0, 0, 9];
        let b = [2, 0, 0, 0, 0, 3];
        assert_eq!(lowest_addr([a, b].into_iter()), b);
        assert_eq!(lowest_addr([].into_iter()), [0; 6]);
    }
}
