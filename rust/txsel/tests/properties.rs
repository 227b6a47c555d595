// SPDX-License-Identifier: GPL-2.0

//! Property tests (proptest) over all policies.

mod common;

use proptest::prelude::*;
use txsel::activebackup::{self, AbState, PrimaryReselect};
use txsel::flow::{FlowKeys, IpKeys, ETH_P_IP, ETH_P_IPV6, IPPROTO_ICMP, IPPROTO_ICMPV6};
use txsel::hash::{select_3ad, select_xor, xmit_hash, XmitPolicy};
use txsel::teql::{Advance, Teql};
use txsel::{broadcast, roundrobin, teql, Duplex, LinkState, Port};

fn link() -> impl Strategy<Value = LinkState> {
    prop_oneof![
        3 => Just(LinkState::Up),
        1 => Just(LinkState::Fail),
        1 => Just(LinkState::Down),
        1 => Just(LinkState::Back),
    ]
}

prop_compose! {
    fn port()(dev_up in prop::bool::weighted(0.8), link in link(),
              backup in prop::bool::weighted(0.2), speed in prop::sample::select(vec![10u32, 100, 1000, 10000, u32::MAX]),
              full in any::<bool>(), prio in -3i32..3, queue_stopped in prop::bool::weighted(0.2),
              aggregator_id in 0u16..3, delay in 0i32..5) -> Port {
        Port { index: 0, dev_up, link, backup, speed,
               duplex: if full { Duplex::Full } else { Duplex::Half },
               prio, queue_stopped, aggregator_id, delay }
    }
}

fn ports() -> impl Strategy<Value = Vec<Port>> {
    prop::collection::vec(port(), 0..10)
}

fn policy() -> impl Strategy<Value = XmitPolicy> {
    prop::sample::select(XmitPolicy::ALL.to_vec())
}

proptest! {
    #[test]
    fn roundrobin_never_unusable(p in ports(), id in any::<u32>()) {
        match roundrobin::select(&p, id) {
            Some(i) => prop_assert!(p[i].can_tx()),
            None => prop_assert!(p.iter().all(|x| !x.can_tx())),
        }
    }

    #[test]
    fn hash_select_never_unusable(p in ports(), h in any::<u32>(), agg in 0u16..3) {
        match select_xor(&p, h) {
            Some(i) => prop_assert!(p[i].can_tx()),
            None => prop_assert!(p.iter().all(|x| !x.can_tx())),
        }
        match select_3ad(&p, h, agg) {
            Some(i) => prop_assert!(p[i].can_tx() && p[i].aggregator_id == agg),
            None => prop_assert!(!p.iter().any(|x| x.can_tx() && x.aggregator_id == agg)),
        }
    }

    #[test]
    fn any_policy_any_keys_never_panics(pol in policy(), seed in any::<u64>(), p in ports()) {
        let mut rng = common::Rng(seed | 1);
        let (_, k) = common::gen_case(&mut rng);
        let h = xmit_hash(pol, &k);
        if let Some(i) = select_xor(&p, h) {
            prop_assert!(p[i].can_tx());
        }
    }

    #[test]
    fn broadcast_is_exactly_link_up(p in ports()) {
        let v: Vec<usize> = broadcast::ports(&p).collect();
        let want: Vec<usize> = (0..p.len()).filter(|&i| p[i].link_up()).collect();
        prop_assert_eq!(&v, &want);
        let m = broadcast::mask(&p);
        prop_assert_eq!(m.count_ones() as usize, want.len());
    }

    #[test]
    fn teql_never_unready(p in ports(), start in 0usize..20, linux in any::<bool>()) {
        let mode = if linux { Advance::Linux } else { Advance::AfterUsed };
        let mut t = Teql { start, mode };
        for _ in 0..20 {
            match t.next(&p) {
                Some(i) => prop_assert!(p[i].teql_ready()),
                None => prop_assert!(p.iter().all(|x| !x.teql_ready())),
            }
        }
    }

    #[test]
    fn teql_after_used_is_fair(p in ports(), start in 0usize..20, k in 1usize..5) {
        let ready: Vec<usize> = (0..p.len()).filter(|&i| p[i].teql_ready()).collect();
        let mut t = Teql { start, mode: Advance::AfterUsed };
        let mut count = vec![0usize; p.len()];
        for _ in 0..k * ready.len() {
            count[t.next(&p).unwrap()] += 1;
        }
        for &i in &ready {
            prop_assert_eq!(count[i], k);
        }
        prop_assert_eq!(teql::select(&p, start).is_some(), !ready.is_empty());
    }

    #[test]
    fn roundrobin_fair_when_all_usable(n in 1usize..9, k in 1usize..6, start in any::<u32>()) {
        let p: Vec<Port> = (0..n as u32).map(Port::new).collect();
        let mut rr = roundrobin::RoundRobin::new(1);
        rr.counter = start;
        let mut count = vec![0usize; n];
        for _ in 0..k * n {
            count[rr.next(&p, 0).unwrap()] += 1;
        }
        // The u32 counter wrap breaks exact fairness only if it wraps
        // inside the window and n does not divide 2^32.
        if start.checked_add((k * n) as u32).is_some() {
            prop_assert!(count.iter().all(|&c| c == k), "{:?}", count);
        }
    }

    #[test]
    fn activebackup_best_is_up_or_back(p in ports(), cur in prop::option::of(0usize..12),
                                       prim in prop::option::of(0usize..12), r in 0u8..3,
                                       force in any::<bool>(), updelay in 0i32..6) {
        let st = AbState { current: cur, primary: prim,
                           reselect: PrimaryReselect::from_raw(r).unwrap(),
                           force_primary: force, updelay };
        let c = activebackup::find_best(&p, &st);
        match c.port {
            Some(i) => prop_assert!(p[i].link == LinkState::Up
                                    || (p[i].link == LinkState::Back && p[i].is_up())),
            None => prop_assert!(p.iter().all(|x| x.link != LinkState::Up)),
        }
        if c.force_primary_consumed {
            prop_assert!(force);
            prop_assert_eq!(c.port, prim);
        }
    }
}

#[test]
fn zero_ports_give_none() {
    let k = FlowKeys::default();
    for pol in XmitPolicy::ALL {
        assert_eq!(select_xor(&[], xmit_hash(pol, &k)), None);
    }
    assert_eq!(select_3ad(&[], 0, 0), None);
    assert_eq!(roundrobin::select(&[], 1), None);
    assert_eq!(roundrobin::RoundRobin::new(3).next(&[], 1), None);
    assert_eq!(teql::select(&[], 3), None);
    assert_eq!(broadcast::ports(&[]).count(), 0);
    assert_eq!(activebackup::find_best(&[], &AbState::default()).port, None);
    assert_eq!(activebackup::tx(&[], Some(0)), None);
}

/// Bound: over 10 000 random TCP/UDP flows (random IPv4 addresses and
/// ports), every port of N = 2..=8 receives within ±25 % of the mean for
/// layer3+4 and layer2+3 (random MACs).
#[test]
fn hash_distribution_balanced() {
    const FLOWS: usize = 10_000;
    let mut rng = common::Rng(0x1234_5678_9abc_def1);
    let flows: Vec<FlowKeys> = (0..FLOWS)
        .map(|_| FlowKeys {
            dst_mac: rng.bytes(),
            src_mac: rng.bytes(),
            ethertype: ETH_P_IP,
            ip: Some(
                IpKeys::v4(rng.bytes(), rng.bytes(), rng.pick(&[6, 17]))
                    .with_ports(rng.u32() as u16, rng.u32() as u16),
            ),
            ..FlowKeys::default()
        })
        .collect();
    for pol in [XmitPolicy::Layer34, XmitPolicy::Layer23, XmitPolicy::Layer2] {
        for n in 2..=8usize {
            let p: Vec<Port> = (0..n as u32).map(Port::new).collect();
            let mut count = vec![0usize; n];
            for k in &flows {
                count[select_xor(&p, xmit_hash(pol, k)).unwrap()] += 1;
            }
            let mean = FLOWS / n;
            for &c in &count {
                assert!(
                    c * 4 >= mean * 3 && c * 4 <= mean * 5,
                    "{pol:?} n={n} counts {count:?}"
                );
            }
        }
    }
}

// The link monitor (txsel::miimon), from a settled state (Up or Down) over
// any carrier sequence, without ignore_updelay: a slave is used (Up) only
// after its carrier has been up for updelay + 1 ticks in a row since it was
// Down, and given up (Down) only after downdelay + 1 ticks of lost carrier
// since it was Up; a carrier that stays the same long enough always wins.
proptest! {
    #[test]
    fn miimon_delays_hold(up0 in any::<bool>(), updelay in 0i32..6, downdelay in 0i32..6,
                          carrier in prop::collection::vec(any::<bool>(), 1..40)) {
        use txsel::miimon::{step, Delays, SlaveLink};
        let d = Delays { updelay, downdelay };
        let mut s = SlaveLink { link: if up0 { LinkState::Up } else { LinkState::Down }, delay: 0 };
        let (mut run_up, mut run_down) = (0i32, 0i32);
        for &c in &carrier {
            let before = s.link;
            s = step(s, c, d, &mut false);
            if c { run_up += 1; run_down = 0 } else { run_down += 1; run_up = 0 }
            if s.link == LinkState::Up && matches!(before, LinkState::Down | LinkState::Back) {
                prop_assert!(run_up > updelay, "used after {} ticks up, updelay {}", run_up, updelay);
            }
            if s.link == LinkState::Down && matches!(before, LinkState::Up | LinkState::Fail) {
                prop_assert!(run_down > downdelay, "given up after {} ticks down, downdelay {}", run_down, downdelay);
            }
            if run_up > updelay { prop_assert_eq!(s.link, LinkState::Up); }
            if run_down > downdelay { prop_assert_eq!(s.link, LinkState::Down); }
        }
    }
}

/// `keys_of` (the test's reference extraction) reads the ICMP header and
/// the embedded header whatever the protocol; `FlowKeys::parse`, like the
/// kernel side, only for ICMP/ICMPv6.
fn only_icmp_reads(mut k: FlowKeys) -> FlowKeys {
    let icmp = |ip: &mut IpKeys| {
        if ip.ip_proto != IPPROTO_ICMP && ip.ip_proto != IPPROTO_ICMPV6 {
            ip.icmp = None;
        }
    };
    if let Some(ip) = k.ip.as_mut() {
        icmp(ip);
    }
    if k.ip.is_none_or(|ip| ip.icmp.is_none()) {
        k.icmp_inner = None;
    }
    if let Some(ip) = k.icmp_inner.as_mut() {
        icmp(ip);
    }
    k
}

// The inline parse of a linear packet equals the reference extraction on
// random frames (IPv4 with options and fragments, IPv6, ICMP errors with
// embedded headers, other ethertypes, truncated anywhere), and without the
// L4 or L3 reads it leaves exactly those fields out.
proptest! {
    #[test]
    fn parse_equals_reference(seed in any::<u64>()) {
        let mut rng = common::Rng(seed | 1);
        let f = common::gen_frame(&mut rng);
        let proto = u16::from_be_bytes([f[12], f[13]]);
        let want = only_icmp_reads(common::keys_of(&f));
        prop_assert_eq!(FlowKeys::parse(&f, proto, 14, true, true), want);

        let no_l4 = FlowKeys::parse(&f, proto, 14, true, false);
        let strip = |ip: Option<IpKeys>| ip.map(|ip| IpKeys { l4: None, ..ip });
        prop_assert_eq!(no_l4.ip, strip(want.ip));
        prop_assert_eq!(no_l4.icmp_inner, strip(want.icmp_inner));

        let l2 = FlowKeys::parse(&f, proto, 14, false, false);
        prop_assert_eq!(l2, FlowKeys { ip: None, icmp_inner: None, ..want });
    }

    #[test]
    fn parse_any_bytes_no_panic(f in prop::collection::vec(any::<u8>(), 0..200),
                                proto in prop::sample::select(vec![ETH_P_IP, ETH_P_IPV6, 0x0806]),
                                nhoff in 0usize..300) {
        let k = FlowKeys::parse(&f, proto, nhoff, true, true);
        let no_eth = FlowKeys { ip: k.ip, icmp_inner: k.icmp_inner, ..FlowKeys::default() };
        prop_assert!(f.len() >= 14 || k == no_eth);
    }
}

/// One step of a TLB run: a packet, a port's release or link loss, or the
/// periodic rebalance.
#[derive(Clone, Debug)]
enum TlbOp {
    Send(u8, u32),
    Clear(usize, bool),
    Unbalanced(u32),
    Rebalance(Option<usize>),
}

fn tlb_op() -> impl Strategy<Value = TlbOp> {
    prop_oneof![
        8 => (any::<u8>(), 0u32..70000).prop_map(|(h, l)| TlbOp::Send(h, l)),
        1 => (0usize..6, any::<bool>()).prop_map(|(i, s)| TlbOp::Clear(i, s)),
        1 => (0u32..70000).prop_map(TlbOp::Unbalanced),
        1 => prop::option::of(0usize..6).prop_map(TlbOp::Rebalance),
    ]
}

proptest! {
    /// Whatever happens, every assigned bucket sits on exactly its own
    /// port's list (links consistent both ways), unassigned buckets on
    /// none, each port's load is the sum of its buckets' histories (C's
    /// bookkeeping between rebalances), and a chosen port could transmit
    /// when it got the bucket.
    #[test]
    fn tlb_lists_and_loads_stay_consistent(
        mut ports in prop::collection::vec(port(), 1..6),
        ops in prop::collection::vec(tlb_op(), 0..200),
    ) {
        use txsel::tlb::{Tlb, TlbPort, TLB_NULL_INDEX};
        for (i, p) in ports.iter_mut().enumerate() {
            p.index = 100 + i as u32;
        }
        let mut tlb = Tlb::new();
        let mut t = vec![TlbPort::NEW; ports.len()];
        let mut fresh_load = vec![true; ports.len()];
        for op in ops {
            match op {
                TlbOp::Send(h, len) => {
                    let was = tlb.entry(h).tx_slave;
                    if let Some(i) = tlb.choose(h, len, &ports, &mut t) {
                        prop_assert_eq!(tlb.entry(h).tx_slave, Some(ports[i].index));
                        if was.is_none() {
                            prop_assert!(ports[i].can_tx());
                        }
                    } else {
                        prop_assert!(was.is_none() && ports.iter().all(|p| !p.can_tx()));
                    }
                }
                TlbOp::Clear(i, save) => {
                    if let Some(s) = t.get_mut(i) {
                        tlb.clear_port(s, save);
                        fresh_load[i] = true;
                    }
                }
                TlbOp::Unbalanced(len) => tlb.count_unbalanced(len, true),
                TlbOp::Rebalance(curr) => {
                    tlb.rebalance(&mut t, curr);
                    for (i, f) in fresh_load.iter_mut().enumerate() {
                        // The active port starts from the unbalanced load.
                        *f = Some(i) != curr;
                    }
                }
            }
            let mut seen = [false; 256];
            for (i, s) in t.iter().enumerate() {
                let mut prev = TLB_NULL_INDEX;
                let mut sum = 0u32;
                for b in tlb.buckets_of(s) {
                    prop_assert!(!seen[b as usize], "bucket {} on two lists", b);
                    seen[b as usize] = true;
                    let e = tlb.entry(b);
                    prop_assert_eq!(e.tx_slave, Some(ports[i].index));
                    prop_assert_eq!(e.prev, prev);
                    prev = b as u32;
                    sum = sum.wrapping_add(e.load_history);
                }
                if fresh_load[i] {
                    prop_assert_eq!(s.load, sum);
                }
            }
            for b in 0..=255u8 {
                prop_assert_eq!(tlb.entry(b).tx_slave.is_some(), seen[b as usize]);
            }
        }
    }
}
