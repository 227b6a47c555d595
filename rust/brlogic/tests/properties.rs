// SPDX-License-Identifier: GPL-2.0

//! Property tests of the bridge rules.

use brlogic::deliver::{classify, flood_to, link_local, should_deliver, LinkLocal, PktKind};
use brlogic::fdb::{expired, flag, hash};
use brlogic::flags::{self, PortState};
use brlogic::port::{first_free, lowest_addr, port_id, MAX_PORTS};
use proptest::prelude::*;

fn state() -> impl Strategy<Value = PortState> {
    (0u8..5).prop_map(|v| PortState::from_raw(v).unwrap())
}

proptest! {
    #[test]
    fn first_free_is_the_smallest_unused(used in proptest::collection::vec(1u16..MAX_PORTS, 0..300)) {
        match first_free(used.iter().copied()) {
            Some(n) => {
                prop_assert!(n >= 1 && n < MAX_PORTS);
                prop_assert!(!used.contains(&n));
                prop_assert!((1..n).all(|m| used.contains(&m)));
            }
            None => prop_assert!((1..MAX_PORTS).all(|m| used.contains(&m))),
        }
    }

    #[test]
    fn port_id_keeps_number_and_priority(prio in 0u16..64, no in 0u16..MAX_PORTS) {
        let id = port_id(prio, no);
        prop_assert_eq!(id & (MAX_PORTS - 1), no);
        prop_assert_eq!(id >> 10, prio);
    }

    #[test]
    fn nothing_leaves_a_port_that_does_not_forward(f in any::<u32>(), s in state(), ing in any::<bool>(), iso in any::<bool>()) {
        if should_deliver(f, s, ing, iso) {
            prop_assert_eq!(s, PortState::Forwarding);
            prop_assert!(!ing || f & flags::HAIRPIN_MODE != 0);
            prop_assert!(!(iso && f & flags::ISOLATED != 0));
        }
    }

    #[test]
    fn floods_follow_their_flag(f in any::<u32>(), own in any::<bool>()) {
        prop_assert_eq!(flood_to(PktKind::Unicast, f, own), f & flags::FLOOD != 0 && f & flags::PROXYARP == 0);
        if f & flags::PROXYARP != 0 {
            prop_assert!(!flood_to(PktKind::Broadcast, f, own));
            prop_assert!(!flood_to(PktKind::Multicast, f, own));
        }
    }

    #[test]
    fn pause_frames_never_pass(br in any::<u16>(), req in any::<u16>(), port in any::<u16>(), stp in any::<bool>()) {
        prop_assert_eq!(link_local(1, br, req, port, stp), LinkLocal::Drop);
    }

    #[test]
    fn group_mask_bit_forwards(last in 3u8..16, br in any::<u16>(), port in any::<u16>()) {
        let fwd = (br | port) & (1 << last) != 0;
        prop_assert_eq!(link_local(last, br, 0, port, true) == LinkLocal::Forward, fwd);
    }

    #[test]
    fn classification_is_by_the_group_bit(a in any::<[u8; 6]>()) {
        let k = classify(&a);
        prop_assert_eq!(k == PktKind::Unicast, a[0] & 1 == 0);
    }

    #[test]
    fn static_entries_never_expire(upd in any::<u64>(), hold in any::<u64>(), now in any::<u64>(), f in any::<u32>()) {
        prop_assert!(!expired(f | flag::STATIC, upd, hold, now));
    }

    #[test]
    fn hash_is_a_function_of_the_key(a in any::<[u8; 6]>(), vid in 0u16..4096, salt in any::<u32>()) {
        prop_assert_eq!(hash(&a, vid, salt), hash(&a, vid, salt));
    }

    #[test]
    fn lowest_addr_is_a_lower_bound(v in proptest::collection::vec(any::<[u8; 6]>(), 1..20)) {
        let m = lowest_addr(v.iter().copied());
        prop_assert!(v.contains(&m));
        prop_assert!(v.iter().all(|a| m <= *a));
    }
}
