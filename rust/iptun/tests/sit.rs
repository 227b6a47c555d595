// SPDX-License-Identifier: GPL-2.0

//! sit's address rules on random inputs: 6rd addresses built from an
//! IPv4 address give it back (`check_6rd`) and are not spoofed from it,
//! the NBMA transmit destination is the embedded address, the PRL
//! operations agree with a plain list model, and the ioctl block codecs
//! round-trip.

use iptun::addr::Be32;
use iptun::err::TunErr;
use iptun::sit::{
    check_6rd, ip6rd_from_bytes, ip6rd_to_bytes, ipip6_tunnel_update_6rd, ipip6_xmit_dst,
    ipv6_addr_prefix, is_spoofed_6rd, prl_add, prl_del, prl_from_bytes, prl_get, prl_to_bytes,
    Ip6rd, PrlAdd, PrlEntry,
};
use proptest::prelude::*;

/// A valid 6rd configuration: prefix length `plen`, relay prefix length
/// `rlen`, with `plen + 32 - rlen <= 64`, and its prefixes cut to length.
fn ip6rd() -> impl Strategy<Value = Ip6rd> {
    (0u16..=32, any::<[u8; 16]>(), any::<u32>())
        .prop_flat_map(|(rlen, pfx, relay)| {
            let max = 32 + rlen;
            (Just(rlen), 0u16..=max, Just(pfx), Just(relay))
        })
        .prop_map(|(rlen, plen, pfx, relay)| {
            let relay_prefix = if rlen == 0 {
                0
            } else {
                (relay & (u32::MAX << (32 - rlen as u32))).to_be()
            };
            Ip6rd {
                prefix: ipv6_addr_prefix(&pfx, plen as u32),
                relay_prefix,
                prefixlen: plen,
                relay_prefixlen: rlen,
            }
        })
}

/// The 6rd address of `v4` (raw) under `p`: the prefix, then the
/// `32 - relay_prefixlen` low bits of the IPv4 address, then `tail`.
fn embed(p: &Ip6rd, v4: Be32, tail: u64) -> [u8; 16] {
    let mut bits = u128::from_be_bytes(p.prefix);
    let n = 32 - p.relay_prefixlen as u32;
    let v = u32::from_be(v4) as u128 & if n == 0 { 0 } else { (1u128 << n) - 1 };
    let used = p.prefixlen as u32 + n;
    if n != 0 {
        bits |= v << (128 - used);
    }
    let free = if used == 0 {
        u128::MAX
    } else {
        (1u128 << (128 - used)) - 1
    };
    bits |= (tail as u128) & free;
    bits.to_be_bytes()
}

/// `v4` with the relay prefix in its top bits.
fn in_relay(p: &Ip6rd, v4: Be32) -> Be32 {
    let rl = p.relay_prefixlen as u32;
    let host = u32::from_be(v4) & u32::MAX.checked_shr(rl).unwrap_or(0);
    p.relay_prefix | host.to_be()
}

proptest! {
    #[test]
    fn generated_6rd_parameters_are_valid(p in ip6rd()) {
        prop_assert_eq!(ipip6_tunnel_update_6rd(&p), Ok(p));
    }

    #[test]
    fn check_6rd_gives_the_embedded_address(p in ip6rd(), v4 in any::<u32>(), tail in any::<u64>()) {
        let v4 = in_relay(&p, v4);
        let a = embed(&p, v4, tail);
        prop_assert_eq!(check_6rd(&p, &a), Some(v4));
        prop_assert!(!is_spoofed_6rd(&p, v4, &a));
        // The NBMA destination of a packet to it.
        prop_assert_eq!(ipip6_xmit_dst(0, false, &p, &a, || None), Some(v4));
    }

    #[test]
    fn another_source_is_spoofed(p in ip6rd(), v4 in any::<u32>(), other in any::<u32>(), tail in any::<u64>()) {
        let v4 = in_relay(&p, v4);
        let other = in_relay(&p, other);
        let a = embed(&p, v4, tail);
        prop_assert_eq!(is_spoofed_6rd(&p, other, &a), other != v4);
    }

    #[test]
    fn prl_operations_follow_a_list_model(ops in prop::collection::vec((0u8..3, 0u32..6, any::<u16>()), 0..40)) {
        let mut list: Vec<PrlEntry> = Vec::new();
        for (op, addr, flags) in ops {
            match op {
                0 | 1 => {
                    let chg = op == 1;
                    let want = match (addr, list.iter().position(|e| e.addr == addr), chg) {
                        (0, _, _) => Err(TunErr::Inval),
                        (_, Some(i), true) => Ok(PrlAdd::Change(i)),
                        (_, Some(_), false) => Err(TunErr::Exist),
                        (_, None, true) => Err(TunErr::NxIo),
                        (_, None, false) => Ok(PrlAdd::Insert),
                    };
                    let got = prl_add(&list, addr, chg);
                    prop_assert_eq!(got, want);
                    match got {
                        Ok(PrlAdd::Insert) => list.insert(0, PrlEntry { addr, flags }),
                        Ok(PrlAdd::Change(i)) => list[i].flags = flags,
                        Err(_) => {}
                    }
                }
                _ => match prl_del(&list, addr) {
                    Ok(None) => list.clear(),
                    Ok(Some(i)) => {
                        prop_assert_eq!(list[i].addr, addr);
                        list.remove(i);
                    }
                    Err(e) => {
                        prop_assert_eq!(e, TunErr::NxIo);
                        prop_assert!(list.iter().all(|x| x.addr != addr));
                    }
                },
            }
            // No address twice; a full GET answers the list in order.
            let got: Vec<PrlEntry> = prl_get(&list, 0, 16 * 64).copied().collect();
            prop_assert_eq!(&got, &list);
        }
    }

    #[test]
    fn codecs_round_trip(p in ip6rd(), addr in any::<u32>(), flags in any::<u16>()) {
        prop_assert_eq!(ip6rd_from_bytes(&ip6rd_to_bytes(&p)), p);
        let e = PrlEntry { addr, flags };
        prop_assert_eq!(prl_from_bytes(&prl_to_bytes(&e)), (e, 0));
    }
}
