// SPDX-License-Identifier: GPL-2.0

//! The address rules of balance-tlb (and balance-alb's transmit half):
//! each slave keeps a MAC address of its own, the active slave the bond's,
//! and learning packets tell the switch which port owns which address.
//!
//! Mirrors drivers/net/bonding/bond_alb.c of Linux 6.12:
//!
//! * [`learning_packet`] is the frame of `alb_send_lp_vid()` (`struct
//!   learning_pkt`: destination and source the announced address,
//!   `ETH_P_LOOPBACK`, zero padding to `ETH_ZLEN`).
//! * [`is_nd`] is `alb_determine_nd()`: IPv6 neighbour solicitations and
//!   advertisements are not balanced (they go on the active slave).
//! * [`has_mac`] is `bond_slave_has_mac()`.
//! * [`on_attach`] is `alb_handle_addr_collision_on_attach()`, the address
//!   a new slave ends with; [`on_detach`] is
//!   `alb_change_hw_addr_on_detach()`, the slave a leaving one swaps with.
//! * [`classify`] is the choice of `bond_xmit_alb_slave_get()`: which
//!   packets balance-alb balances, and by which hash.

/// `ETH_P_LOOPBACK`: the learning packets' EtherType.
pub const ETH_P_LOOPBACK: u16 = 0x9000;

/// `sizeof(struct learning_pkt)`: `ETH_ZLEN`.
pub const LEARNING_PKT_LEN: usize = 60;

/// `BOND_ALB_DEFAULT_LP_INTERVAL` is 1 s; the monitor sends every
/// `lp_interval * ALB_TIMER_TICKS_PER_SEC` ticks (`BOND_ALB_LP_TICKS`).
pub const fn lp_ticks(lp_interval: u32) -> u32 {
    lp_interval.saturating_mul(super::tlb::ALB_TIMER_TICKS_PER_SEC)
}

/// The learning packet announcing `mac` (untagged; a VLAN tag goes out of
/// band, as C's `__vlan_hwaccel_put_tag`).
pub fn learning_packet(mac: &[u8; 6]) -> [u8; LEARNING_PKT_LEN] {
    let mut f = [0u8; LEARNING_PKT_LEN];
    f[0..6].copy_from_slice(mac);
    f[6..12].copy_from_slice(mac);
    f[12..14].copy_from_slice(&ETH_P_LOOPBACK.to_be_bytes());
    f
}

/// `IPPROTO_ICMPV6`.
const IPPROTO_ICMPV6: u8 = 58;
/// `NDISC_NEIGHBOUR_SOLICITATION`, `NDISC_NEIGHBOUR_ADVERTISEMENT`.
const NDISC_NS: u8 = 135;
const NDISC_NA: u8 = 136;
/// `sizeof(struct ipv6hdr)`, `sizeof(struct icmp6hdr)`.
const IPV6_HLEN: usize = 40;
const ICMP6_HLEN: usize = 8;

/// `alb_determine_nd()` on the packet from its IPv6 header on: true for
/// a neighbour solicitation or advertisement, and (as C's failed
/// `pskb_network_may_pull`) for a header too short to tell.
pub fn is_nd(ip6: &[u8]) -> bool {
    let Some(&next) = ip6.get(6) else {
        return true;
    };
    if ip6.len() < IPV6_HLEN {
        return true;
    }
    if next != IPPROTO_ICMPV6 {
        return false;
    }
    if ip6.len() < IPV6_HLEN + ICMP6_HLEN {
        return true;
    }
    matches!(ip6[IPV6_HLEN], NDISC_NS | NDISC_NA)
}

/// `ETH_P_ARP`, `ETH_P_IP`, `ETH_P_IPV6`.
const ETH_P_ARP: u16 = 0x0806;
const ETH_P_IP: u16 = 0x0800;
const ETH_P_IPV6: u16 = 0x86dd;
/// `IPPROTO_IGMP`.
const IPPROTO_IGMP: u8 = 2;
/// `mac_v6_allmcast`: the all-nodes group's link-layer address.
const MAC_V6_ALLMCAST: [u8; 6] = [0x33, 0x33, 0, 0, 0, 1];

/// What balance-alb does with a packet it sends ([`classify`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlbTx {
    /// Balanced by the transmit table, in this bucket (`_simple_hash` of
    /// the destination address).
    Balance(u8),
    /// An ARP: the receive balancing chooses (`rlb_arp_xmit`).
    Arp,
    /// Sent on the active slave (`do_tx_balance = false`).
    Active,
}

/// `bond_xmit_alb_slave_get()`'s choice for a packet of EtherType
/// `proto` to `dest`, `l3` its network header on (as far as it is linear
/// after the pull of the header C makes: a shorter one is not balanced).
pub fn classify(proto: u16, dest: &[u8; 6], l3: &[u8]) -> AlbTx {
    let bcast = dest == &[0xff; 6];
    match proto {
        ETH_P_IP => {
            if bcast || l3.len() < 20 {
                return AlbTx::Active;
            }
            let daddr = &l3[16..20];
            if daddr == [0xff; 4] || l3[9] == IPPROTO_IGMP {
                return AlbTx::Active;
            }
            AlbTx::Balance(super::tlb::simple_hash(daddr))
        }
        ETH_P_IPV6 => {
            if bcast || dest == &MAC_V6_ALLMCAST || is_nd(l3) {
                return AlbTx::Active;
            }
            // `is_nd` is false only with the whole IPv6 header.
            if l3[8..24].iter().all(|&b| b == 0) {
                return AlbTx::Active;
            }
            AlbTx::Balance(super::tlb::simple_hash(&l3[24..40]))
        }
        ETH_P_ARP => AlbTx::Arp,
        _ => AlbTx::Active,
    }
}

/// A slave's addresses: the one it had when enslaved (`perm_hwaddr`) and
/// its current one (`dev->dev_addr`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlaveAddr {
    /// `slave->perm_hwaddr`.
    pub perm: [u8; 6],
    /// `slave->dev->dev_addr`.
    pub cur: [u8; 6],
}

/// `bond_slave_has_mac()`: the first slave whose current address is `mac`.
pub fn has_mac(slaves: &[SlaveAddr], mac: &[u8; 6]) -> Option<usize> {
    slaves.iter().position(|s| &s.cur == mac)
}

/// What [`on_attach`] decided for the new slave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attach {
    /// Its own address is unique: it keeps it.
    Keep,
    /// It takes this address: the bond's (no other left), or the
    /// permanent address of the slave at `from`, which nobody uses (C
    /// warns "the slave hw address is in use by the bond; giving it the hw
    /// address of ...").
    Set {
        /// The address.
        mac: [u8; 6],
        /// The slave whose permanent address it is, if any.
        from: Option<usize>,
    },
    /// It uses the bond's address and no free one exists while a slave
    /// (`has_bond_addr`) holds the bond's: C fails the enslave with
    /// `EFAULT` ("this should not have happened").
    Fault,
}

/// `alb_handle_addr_collision_on_attach()` for a new slave whose
/// permanent (and, by `bond_alb_init_slave`, current) address is `perm`,
/// `slaves` the slaves already enslaved, `active` the current active one.
pub fn on_attach(
    perm: &[u8; 6],
    bond_addr: &[u8; 6],
    slaves: &[SlaveAddr],
    active: Option<usize>,
) -> Attach {
    if slaves.is_empty() {
        return Attach::Keep;
    }
    if perm != bond_addr && has_mac(slaves, perm).is_none() {
        return Attach::Keep;
    }
    // The slave now has (or was given) the bond's address: look for a
    // permanent address nobody uses.
    let mut has_bond_addr = active;
    for (i, s) in slaves.iter().enumerate() {
        if has_mac(slaves, &s.perm).is_none() {
            return Attach::Set {
                mac: s.perm,
                from: Some(i),
            };
        }
        if has_bond_addr.is_none() && &s.cur == bond_addr {
            has_bond_addr = Some(i);
        }
    }
    if has_bond_addr.is_some() {
        return Attach::Fault;
    }
    if perm == bond_addr {
        Attach::Keep
    } else {
        Attach::Set {
            mac: *bond_addr,
            from: None,
        }
    }
}

/// `alb_change_hw_addr_on_detach()`: the remaining slave (index into
/// `rest`) whose current address is the leaving slave's permanent one,
/// when the leaving slave uses neither that nor the bond's address; the
/// two swap addresses.
pub fn on_detach(leaving: &SlaveAddr, bond_addr: &[u8; 6], rest: &[SlaveAddr]) -> Option<usize> {
    if leaving.perm == leaving.cur || &leaving.perm == bond_addr {
        return None;
    }
    has_mac(rest, &leaving.perm)
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: [u8; 6] = [2, 0, 0, 0, 0, 0xb];
    fn m(n: u8) -> [u8; 6] {
        [2, 0, 0, 0, 0, n]
    }
    fn s(perm: u8, cur: [u8; 6]) -> SlaveAddr {
        SlaveAddr { perm: m(perm), cur }
    }

    #[test]
    fn learning_packet_as_c() {
        let f = learning_packet(&m(1));
        assert_eq!(&f[0..6], &m(1));
        assert_eq!(&f[6..12], &m(1));
        assert_eq!(&f[12..14], &[0x90, 0x00]);
        assert!(f[14..].iter().all(|&b| b == 0));
        assert_eq!(lp_ticks(1), 10);
        assert_eq!(lp_ticks(u32::MAX), u32::MAX);
    }

    #[test]
    fn nd_detection() {
        let mut ip6 = [0u8; 48];
        ip6[6] = IPPROTO_ICMPV6;
        ip6[40] = NDISC_NS;
        assert!(is_nd(&ip6));
        ip6[40] = NDISC_NA;
        assert!(is_nd(&ip6));
        ip6[40] = 128; // echo request
        assert!(!is_nd(&ip6));
        ip6[6] = 6; // TCP
        assert!(!is_nd(&ip6));
        assert!(is_nd(&ip6[..20]));
        ip6[6] = IPPROTO_ICMPV6;
        assert!(is_nd(&ip6[..44]));
    }

    #[test]
    fn alb_classification_as_c() {
        let uc = [2, 0, 0, 0, 0, 1];
        let mut ip = [0u8; 20];
        ip[9] = 6;
        ip[16..20].copy_from_slice(&[10, 0, 0, 3]);
        assert_eq!(classify(ETH_P_IP, &uc, &ip), AlbTx::Balance(10 ^ 3));
        assert_eq!(classify(ETH_P_IP, &[0xff; 6], &ip), AlbTx::Active);
        assert_eq!(classify(ETH_P_IP, &uc, &ip[..19]), AlbTx::Active);
        ip[9] = IPPROTO_IGMP;
        assert_eq!(classify(ETH_P_IP, &uc, &ip), AlbTx::Active);
        ip[9] = 17;
        ip[16..20].copy_from_slice(&[0xff; 4]);
        assert_eq!(classify(ETH_P_IP, &uc, &ip), AlbTx::Active);
        let mut ip6 = [0u8; 48];
        ip6[6] = 6;
        assert_eq!(classify(ETH_P_IPV6, &uc, &ip6), AlbTx::Active); // DAD: saddr ::
        ip6[8] = 0xfe;
        ip6[24] = 0x20;
        ip6[39] = 1;
        assert_eq!(classify(ETH_P_IPV6, &uc, &ip6), AlbTx::Balance(0x21));
        assert_eq!(classify(ETH_P_IPV6, &MAC_V6_ALLMCAST, &ip6), AlbTx::Active);
        assert_eq!(classify(ETH_P_IPV6, &uc, &ip6[..30]), AlbTx::Active);
        ip6[6] = IPPROTO_ICMPV6;
        ip6[40] = NDISC_NS;
        assert_eq!(classify(ETH_P_IPV6, &uc, &ip6), AlbTx::Active);
        assert_eq!(classify(ETH_P_ARP, &[0xff; 6], &[]), AlbTx::Arp);
        assert_eq!(classify(0x88cc, &uc, &ip), AlbTx::Active);
    }

    #[test]
    fn attach_keeps_a_unique_address() {
        let slaves = [s(1, B)];
        assert_eq!(on_attach(&m(2), &B, &slaves, Some(0)), Attach::Keep);
        assert_eq!(on_attach(&m(2), &B, &[], None), Attach::Keep);
    }

    #[test]
    fn attach_with_the_bonds_address_takes_a_free_one() {
        // The first slave gave the bond its address and released; the new
        // slave has that address: it gets slave 1's free permanent one.
        let slaves = [s(1, B), s(2, m(2))];
        assert_eq!(
            on_attach(&B, &B, &slaves, Some(0)),
            Attach::Set {
                mac: m(1),
                from: Some(0)
            }
        );
        // Every permanent address in use and the bond's held: EFAULT.
        let slaves = [s(1, m(1)), s(2, m(2))];
        assert_eq!(on_attach(&m(1), &B, &slaves, Some(0)), Attach::Fault);
        // Duplicate of a slave's address and nobody holds the bond's.
        let slaves = [s(1, m(2)), s(2, m(1))];
        assert_eq!(
            on_attach(&m(1), &B, &slaves, None),
            Attach::Set { mac: B, from: None }
        );
    }

    #[test]
    fn detach_swaps_with_the_holder_of_its_address() {
        let rest = [s(2, m(1)), s(3, m(3))];
        assert_eq!(on_detach(&s(1, m(2)), &B, &rest), Some(0));
        assert_eq!(on_detach(&s(1, m(1)), &B, &rest), None);
        assert_eq!(
            on_detach(&SlaveAddr { perm: B, cur: m(2) }, &B, &rest),
            None
        );
        assert_eq!(on_detach(&s(9, m(2)), &B, &rest), None);
    }
}
