// SPDX-License-Identifier: GPL-2.0

//! Cost of one selection per policy (8 ports, 2 unusable).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use txsel::activebackup::{self, AbState};
use txsel::flow::{FlowKeys, IpKeys, ETH_P_IP, ETH_P_IPV6, IPPROTO_TCP};
use txsel::hash::{select_xor, xmit_hash, XmitPolicy};
use txsel::roundrobin::RoundRobin;
use txsel::teql::{Advance, Teql};
use txsel::{broadcast, LinkState, Port};

fn ports() -> Vec<Port> {
    let mut p: Vec<Port> = (0..8).map(Port::new).collect();
    p[2].link = LinkState::Down;
    p[5].queue_stopped = true;
    p[6].backup = true;
    p
}

fn keys(v6: bool) -> FlowKeys {
    let ip = if v6 {
        IpKeys::v6([0x20; 16], [0x21; 16], IPPROTO_TCP)
    } else {
        IpKeys::v4([10, 0, 0, 1], [10, 0, 0, 2], IPPROTO_TCP)
    };
    let ip = ip.with_ports(40000, 443);
    FlowKeys {
        dst_mac: [0, 1, 2, 3, 4, 5],
        src_mac: [2, 0, 0, 0, 0, 9],
        ethertype: if v6 { ETH_P_IPV6 } else { ETH_P_IP },
        vlan_tci: Some(100),
        ip: Some(ip),
        encap: Some(ip),
        ..FlowKeys::default()
    }
}

fn bench(c: &mut Criterion) {
    let p = ports();
    let k4 = keys(false);
    let k6 = keys(true);
    for pol in XmitPolicy::ALL {
        c.bench_function(&format!("hash+select {pol:?} v4"), |b| {
            b.iter(|| select_xor(black_box(&p), xmit_hash(pol, black_box(&k4))))
        });
    }
    c.bench_function("hash+select Layer34 v6", |b| {
        b.iter(|| {
            select_xor(
                black_box(&p),
                xmit_hash(XmitPolicy::Layer34, black_box(&k6)),
            )
        })
    });
    let mut rr1 = RoundRobin::new(1);
    c.bench_function("roundrobin pps=1", |b| {
        b.iter(|| rr1.next(black_box(&p), 0))
    });
    let mut rr3 = RoundRobin::new(3);
    c.bench_function("roundrobin pps=3", |b| {
        b.iter(|| rr3.next(black_box(&p), 0))
    });
    let st = AbState {
        current: Some(1),
        primary: Some(0),
        ..AbState::default()
    };
    c.bench_function("activebackup find_best", |b| {
        b.iter(|| activebackup::find_best(black_box(&p), black_box(&st)))
    });
    c.bench_function("activebackup tx", |b| {
        b.iter(|| activebackup::tx(black_box(&p), black_box(Some(1))))
    });
    c.bench_function("broadcast mask", |b| {
        b.iter(|| broadcast::mask(black_box(&p)))
    });
    c.bench_function("broadcast iterate", |b| {
        b.iter(|| broadcast::ports(black_box(&p)).fold(0, |a, i| a ^ i))
    });
    let mut t = Teql::new(Advance::Linux);
    c.bench_function("teql next", |b| b.iter(|| t.next(black_box(&p))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
