// SPDX-License-Identifier: GPL-2.0

//! `ip_tunnel_lookup` / `ip_tunnel_find` against a naive model: the C
//! passes restated over a flat list of tunnels filtered by bucket, with
//! the hash recomputed here, on random tunnel sets drawn from small
//! address, key and link pools so that collisions and ties happen.

use iptun::addr::{be32_from_bytes, Be32};
use iptun::flags::TunFlags;
use iptun::lookup::{
    ip_bucket, ip_tunnel_find, ip_tunnel_hash, ip_tunnel_lookup, lookup_hashed, Query, TunnelView,
    IP_TNL_HASH_SIZE,
};
use iptun::parms::TunnelParms;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Tun {
    p: TunnelParms,
    up: bool,
    ty: u16,
}

impl TunnelView for Tun {
    fn saddr(&self) -> Be32 {
        self.p.iph.saddr
    }
    fn daddr(&self) -> Be32 {
        self.p.iph.daddr
    }
    fn i_key(&self) -> Be32 {
        self.p.i_key
    }
    fn i_flags(&self) -> TunFlags {
        self.p.i_flags
    }
    fn link(&self) -> i32 {
        self.p.link
    }
    fn is_up(&self) -> bool {
        self.up
    }
    fn dev_type(&self) -> u16 {
        self.ty
    }
}

// Independent restatement of hash_32(key ^ remote, 7).
fn model_hash(key: u32, remote: u32) -> u32 {
    (key ^ remote).wrapping_mul(0x61C8_8647) >> 25
}

fn is_mc(a: u32) -> bool {
    u32::from_be(a) >> 28 == 0xe
}

fn model_bucket(p: &TunnelParms) -> u32 {
    let remote = if p.iph.daddr != 0 && !is_mc(p.iph.daddr) {
        p.iph.daddr
    } else {
        0
    };
    let key = if p.i_flags.0 & 4 == 0 && p.i_flags.0 & (1 << 16) != 0 {
        0
    } else {
        p.i_key
    };
    model_hash(key, remote)
}

fn keyed(f: TunFlags) -> bool {
    f.0 & 4 != 0
}

fn model_key_match(t: &Tun, flags: TunFlags, key: u32) -> bool {
    if keyed(flags) {
        keyed(t.p.i_flags) && t.p.i_key == key
    } else {
        !keyed(t.p.i_flags)
    }
}

/// The four passes over `tuns` (in table order), each over the tunnels
/// whose bucket is the pass's; returns an index.
fn model_lookup(tuns: &[Tun], q: &Query) -> Option<usize> {
    let b1 = model_hash(q.key, q.remote);
    let b2 = model_hash(q.key, 0);
    let in_b = |b: u32| {
        tuns.iter()
            .enumerate()
            .filter(move |(_, t)| model_bucket(&t.p) == b)
    };
    let mut exact: Option<usize> = None;
    let mut cand: Option<usize> = None;
    // Pass 1: last match is the candidate.
    for (i, t) in in_b(b1) {
        if t.up
            && t.p.iph.saddr == q.local
            && t.p.iph.daddr == q.remote
            && model_key_match(t, q.flags, q.key)
        {
            if t.p.link == q.link {
                exact = Some(i);
                break;
            }
            cand = Some(i);
        }
    }
    if exact.is_some() {
        return exact;
    }
    type Pass<'a> = (u32, &'a dyn Fn(&Tun) -> bool);
    let passes: [Pass; 3] = [
        (b1, &|t: &Tun| {
            t.p.iph.daddr == q.remote && t.p.iph.saddr == 0 && model_key_match(t, q.flags, q.key)
        }),
        (b2, &|t: &Tun| {
            let local_only = t.p.iph.saddr == q.local && t.p.iph.daddr == 0;
            let mcast = t.p.iph.daddr == q.local && is_mc(q.local);
            (local_only || mcast) && model_key_match(t, q.flags, q.key)
        }),
        (b2, &|t: &Tun| {
            let no_key = q.flags.0 & (1 << 7) != 0;
            (no_key || t.p.i_key == q.key) && t.p.iph.saddr == 0 && t.p.iph.daddr == 0
        }),
    ];
    for (b, pred) in passes.iter() {
        for (i, t) in in_b(*b) {
            if t.up && pred(t) {
                if t.p.link == q.link {
                    return Some(i);
                }
                if cand.is_none() {
                    cand = Some(i);
                }
            }
        }
    }
    cand
}

fn model_find(tuns: &[Tun], p: &TunnelParms, ty: u16) -> Option<usize> {
    let b = model_bucket(p);
    tuns.iter().enumerate().position(|(_, t)| {
        model_bucket(&t.p) == b
            && t.p.iph.saddr == p.iph.saddr
            && t.p.iph.daddr == p.iph.daddr
            && t.p.link == p.link
            && t.ty == ty
            && model_key_match(t, p.i_flags, p.i_key)
    })
}

fn addr_pool() -> impl Strategy<Value = Be32> {
    prop_oneof![
        Just(0u32),
        Just(be32_from_bytes([10, 0, 0, 1])),
        Just(be32_from_bytes([10, 0, 0, 2])),
        Just(be32_from_bytes([224, 0, 0, 5])),
    ]
}

fn flags_pool() -> impl Strategy<Value = TunFlags> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(k, nk, vti)| {
        let mut f = TunFlags::EMPTY;
        if k {
            f = f.union(TunFlags::KEY);
        }
        if nk {
            f = f.union(TunFlags::NO_KEY);
        }
        if vti {
            f = f.union(TunFlags::VTI);
        }
        f
    })
}

fn tun() -> impl Strategy<Value = Tun> {
    (
        addr_pool(),
        addr_pool(),
        0u32..3,
        0i32..3,
        flags_pool(),
        prop::bool::weighted(0.8),
        0u16..2,
    )
        .prop_map(|(s, d, k, link, f, up, ty)| {
            let mut p = TunnelParms::default();
            p.iph.saddr = s;
            p.iph.daddr = d;
            p.i_key = k.to_be();
            p.link = link;
            p.i_flags = f;
            Tun { p, up, ty }
        })
}

fn query() -> impl Strategy<Value = Query> {
    (addr_pool(), addr_pool(), 0u32..3, 0i32..3, flags_pool()).prop_map(|(r, l, k, link, flags)| {
        Query {
            link,
            flags,
            remote: r,
            local: l,
            key: k.to_be(),
        }
    })
}

fn table(tuns: &[Tun]) -> Vec<Vec<&Tun>> {
    let mut t = vec![Vec::new(); IP_TNL_HASH_SIZE as usize];
    for x in tuns {
        t[ip_bucket(&x.p) as usize].push(x);
    }
    t
}

fn index_of(tuns: &[Tun], r: Option<&Tun>) -> Option<usize> {
    r.map(|r| tuns.iter().position(|t| std::ptr::eq(t, r)).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn lookup_matches_model(tuns in prop::collection::vec(tun(), 0..12), qs in prop::collection::vec(query(), 1..8)) {
        let tbl = table(&tuns);
        for q in &qs {
            let got = lookup_hashed(|b| tbl[b as usize].iter().copied(), q);
            prop_assert_eq!(index_of(&tuns, got), model_lookup(&tuns, q), "{:?}", q);
        }
    }

    #[test]
    fn lookup_fallbacks(tuns in prop::collection::vec(tun(), 0..6), q in query(), md in tun(), fb in tun()) {
        let tbl = table(&tuns);
        let got = ip_tunnel_lookup(|b| tbl[b as usize].iter().copied(), &q, Some(&md), Some(&fb));
        let want = match model_lookup(&tuns, &q) {
            Some(i) => Some(&tuns[i] as *const Tun),
            None if md.up => Some(&md as *const Tun),
            None if fb.up => Some(&fb as *const Tun),
            None => None,
        };
        prop_assert_eq!(got.map(|t| t as *const Tun), want);
    }

    #[test]
    fn find_matches_model(tuns in prop::collection::vec(tun(), 0..12), p in tun(), ty in 0u16..2) {
        let tbl = table(&tuns);
        let got = ip_tunnel_find(|b| tbl[b as usize].iter().copied(), &p.p, ty);
        prop_assert_eq!(index_of(&tuns, got), model_find(&tuns, &p.p, ty));
    }

    #[test]
    fn hash_in_range(k in any::<u32>(), r in any::<u32>()) {
        prop_assert!(ip_tunnel_hash(k, r) < IP_TNL_HASH_SIZE);
        prop_assert_eq!(ip_tunnel_hash(k, r), model_hash(k, r));
    }
}

#[test]
fn exact_link_beats_candidate() {
    let mk = |link| {
        let mut p = TunnelParms::default();
        p.iph.saddr = be32_from_bytes([10, 0, 0, 1]);
        p.iph.daddr = be32_from_bytes([10, 0, 0, 2]);
        p.link = link;
        Tun {
            p,
            up: true,
            ty: 768,
        }
    };
    let tuns = [mk(5), mk(7), mk(0)];
    let tbl = table(&tuns);
    let q = Query {
        link: 7,
        flags: TunFlags::NO_KEY,
        remote: be32_from_bytes([10, 0, 0, 2]),
        local: be32_from_bytes([10, 0, 0, 1]),
        key: 0,
    };
    let got = lookup_hashed(|b| tbl[b as usize].iter().copied(), &q).unwrap();
    assert_eq!(got.p.link, 7);
    // No exact link: the last pass-1 match is the candidate.
    let q = Query { link: 9, ..q };
    let got = lookup_hashed(|b| tbl[b as usize].iter().copied(), &q).unwrap();
    assert_eq!(got.p.link, 0);
}

mod sit_lookup {
    use iptun::addr::{be32_from_bytes, Be32};
    use iptun::parms::TunnelParms;
    use iptun::sit::{ipip6_bucket, ipip6_tunnel_lookup, SitQuery, SitView};
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    struct S {
        p: TunnelParms,
        up: bool,
    }

    impl SitView for S {
        fn saddr(&self) -> Be32 {
            self.p.iph.saddr
        }
        fn daddr(&self) -> Be32 {
            self.p.iph.daddr
        }
        fn link(&self) -> i32 {
            self.p.link
        }
        fn is_up(&self) -> bool {
            self.up
        }
    }

    fn addr() -> impl Strategy<Value = Be32> {
        prop_oneof![
            Just(0u32),
            Just(be32_from_bytes([10, 0, 0, 1])),
            Just(be32_from_bytes([10, 0, 0, 2])),
            Just(be32_from_bytes([10, 0, 0, 17])),
        ]
    }

    fn link_ok(t: &S, q: &SitQuery) -> bool {
        match q.ifindex {
            None => true,
            Some(i) => t.p.link == 0 || t.p.link == i || t.p.link == q.sifindex,
        }
    }

    /// By priority: both addresses, remote only, local only, wildcard.
    fn model(ts: &[S], q: &SitQuery) -> Option<usize> {
        let by = |prio: u32, pred: &dyn Fn(&S) -> bool| {
            ts.iter().position(|t| {
                let (p, _) = ipip6_bucket(&t.p);
                p == prio && pred(t) && link_ok(t, q) && t.up
            })
        };
        by(3, &|t| {
            t.p.iph.saddr == q.local && t.p.iph.daddr == q.remote
        })
        .or_else(|| by(2, &|t| t.p.iph.daddr == q.remote))
        .or_else(|| by(1, &|t| t.p.iph.saddr == q.local))
        .or_else(|| {
            // tunnels_wc[0] holds one tunnel: the first wildcard.
            ts.iter()
                .position(|t| ipip6_bucket(&t.p).0 == 0)
                .filter(|&i| ts[i].up)
        })
    }

    proptest! {
        #[test]
        fn sit_lookup_matches_model(
            specs in prop::collection::vec((addr(), addr(), 0i32..3, any::<bool>()), 0..10),
            r in addr(), l in addr(), ifi in proptest::option::of(0i32..3), sif in 0i32..3,
        ) {
            let ts: Vec<S> = specs
                .iter()
                .map(|&(s, d, link, up)| {
                    let mut p = TunnelParms::default();
                    p.iph.saddr = s;
                    p.iph.daddr = d;
                    p.link = link;
                    S { p, up }
                })
                .collect();
            let q = SitQuery { remote: r, local: l, ifindex: ifi, sifindex: sif };
            let got = ipip6_tunnel_lookup(
                |prio, h| {
                    let mut v: Vec<&S> = ts
                        .iter()
                        .filter(|t| ipip6_bucket(&t.p) == (prio, h))
                        .collect();
                    if prio == 0 {
                        v.truncate(1);
                    }
                    v.into_iter()
                },
                &q,
            );
            let gi = got.map(|g| ts.iter().position(|t| std::ptr::eq(t, g)).unwrap());
            prop_assert_eq!(gi, model(&ts, &q));
        }
    }
}
