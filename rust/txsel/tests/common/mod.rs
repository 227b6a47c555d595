// SPDX-License-Identifier: GPL-2.0

//! Test helpers: a deterministic PRNG, a random Ethernet frame generator,
//! and the extraction of `FlowKeys` from a frame (what the kernel side
//! does with the real packet).

#![allow(dead_code)]

use txsel::flow::{proto_ports_offset, Addrs, FlowKeys, IcmpHdr, IpKeys, ETH_P_IP, ETH_P_IPV6};

/// xorshift64* PRNG.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
    pub fn below(&mut self, n: u32) -> u32 {
        self.u32() % n
    }
    pub fn byte(&mut self) -> u8 {
        self.u32() as u8
    }
    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        core::array::from_fn(|_| self.byte())
    }
    pub fn pick<T: Copy>(&mut self, v: &[T]) -> T {
        v[self.below(v.len() as u32) as usize]
    }
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent
    }
}

const V4_PROTOS: &[u8] = &[6, 6, 17, 17, 1, 1, 1, 50, 51, 132, 33, 136, 47, 2, 58];
const V6_PROTOS: &[u8] = &[6, 6, 17, 17, 58, 58, 58, 44, 0, 51, 50, 1];
const ICMP_TYPES: &[u8] = &[0, 8, 3, 11, 5, 13, 14, 12, 4, 1, 2, 128, 129, 135, 136];

fn push_ip(rng: &mut Rng, f: &mut Vec<u8>, v6: bool) -> u8 {
    if v6 {
        let proto = rng.pick(V6_PROTOS);
        f.extend_from_slice(&[0x60, 0, 0, 0, 0, 40, proto, 64]);
        f.extend_from_slice(&rng.bytes::<32>());
        proto
    } else {
        let ihl = rng.pick(&[5u8, 5, 5, 6, 7]);
        let frag: u16 = rng.pick(&[0, 0, 0, 0, 0, 0x4000, 0x2000, 0x0010, 0x2010]);
        let proto = rng.pick(V4_PROTOS);
        f.extend_from_slice(&[0x40 | ihl, 0, 0, 60, 0, 1]);
        f.extend_from_slice(&frag.to_be_bytes());
        f.extend_from_slice(&[64, proto, 0, 0]);
        f.extend_from_slice(&rng.bytes::<8>());
        for _ in 5..ihl {
            f.extend_from_slice(&rng.bytes::<4>());
        }
        proto
    }
}

fn push_l4(rng: &mut Rng, f: &mut Vec<u8>, proto: u8, v6: bool) {
    if proto == 1 || proto == 58 {
        let ty = rng.pick(ICMP_TYPES);
        let code = rng.below(4) as u8;
        let id: u16 = if rng.chance(20) { 0 } else { rng.u32() as u16 };
        f.extend_from_slice(&[ty, code, 0, 0]);
        f.extend_from_slice(&id.to_be_bytes());
        f.extend_from_slice(&[0, 1]);
        // Embedded original packet (used if the type is an error).
        push_ip(rng, f, v6);
        f.extend_from_slice(&rng.bytes::<8>());
    } else {
        f.extend_from_slice(&rng.bytes::<8>());
    }
}

/// A random frame (possibly truncated, never below 14 bytes).
pub fn gen_frame(rng: &mut Rng) -> Vec<u8> {
    let mut f = Vec::with_capacity(128);
    f.extend_from_slice(&rng.bytes::<6>());
    // Few distinct source MACs' low bytes, as on a real LAN.
    f.extend_from_slice(&rng.bytes::<6>());
    let kind = rng.below(10);
    let ethertype: u16 = match kind {
        0 => {
            let any = rng.u32() as u16;
            rng.pick(&[0x0806, 0x88cc, 0x8100, 0x8847, any])
        }
        1..=5 => ETH_P_IP,
        _ => ETH_P_IPV6,
    };
    f.extend_from_slice(&ethertype.to_be_bytes());
    if ethertype == ETH_P_IP || ethertype == ETH_P_IPV6 {
        let v6 = ethertype == ETH_P_IPV6;
        let proto = push_ip(rng, &mut f, v6);
        push_l4(rng, &mut f, proto, v6);
    } else {
        f.extend_from_slice(&rng.bytes::<28>());
    }
    if rng.chance(15) {
        let len = 14 + rng.below((f.len() - 14) as u32) as usize;
        f.truncate(len);
    }
    f
}

fn be16(f: &[u8], off: usize) -> u16 {
    u16::from_be_bytes([f[off], f[off + 1]])
}

fn get4(f: &[u8], off: usize) -> Option<[u8; 4]> {
    f.get(off..off + 4).map(|s| s.try_into().unwrap())
}

/// Parses the IP header at `nh` of family `ethertype`; returns the keys
/// and the transport header offset.
fn ip_keys(f: &[u8], ethertype: u16, nh: usize) -> Option<(IpKeys, usize)> {
    let (mut k, l4off) = if ethertype == ETH_P_IP {
        let h = f.get(nh..nh + 20)?;
        let mut k = IpKeys::v4(
            h[12..16].try_into().unwrap(),
            h[16..20].try_into().unwrap(),
            h[9],
        );
        k.is_fragment = be16(h, 6) & 0x3fff != 0;
        (k, nh + usize::from(h[0] & 0xf) * 4)
    } else {
        let h = f.get(nh..nh + 40)?;
        let k = IpKeys::v6(
            h[8..24].try_into().unwrap(),
            h[24..40].try_into().unwrap(),
            h[6],
        );
        (k, nh + 40)
    };
    k.l4 = proto_ports_offset(k.ip_proto).and_then(|o| get4(f, l4off + usize::from(o)));
    k.icmp = f.get(l4off..l4off + 8).map(|h| IcmpHdr {
        ty: h[0],
        code: h[1],
        echo_id: be16(h, 4),
    });
    Some((k, l4off))
}

/// The `FlowKeys` of a frame (no VLAN tag, no encap keys, no l4 hash).
pub fn keys_of(f: &[u8]) -> FlowKeys {
    let mut k = FlowKeys {
        dst_mac: f[0..6].try_into().unwrap(),
        src_mac: f[6..12].try_into().unwrap(),
        ethertype: be16(f, 12),
        ..FlowKeys::default()
    };
    if k.ethertype == ETH_P_IP || k.ethertype == ETH_P_IPV6 {
        if let Some((ip, l4off)) = ip_keys(f, k.ethertype, 14) {
            k.ip = Some(ip);
            k.icmp_inner = ip_keys(f, k.ethertype, l4off + 8).map(|(i, _)| i);
        }
    }
    k
}

/// Random dissector result for the encap policies.
pub fn gen_encap(rng: &mut Rng) -> Option<IpKeys> {
    if rng.chance(10) {
        return None;
    }
    let src = rng.bytes::<16>();
    let dst = rng.bytes::<16>();
    let addrs = match rng.below(10) {
        0 => Addrs::None,
        1 => Addrs::Tipc {
            key: src[..4].try_into().unwrap(),
        },
        2..=5 => Addrs::V4 {
            src: src[..4].try_into().unwrap(),
            dst: dst[..4].try_into().unwrap(),
        },
        _ => Addrs::V6 { src, dst },
    };
    Some(IpKeys {
        addrs,
        ip_proto: rng.pick(V6_PROTOS),
        is_fragment: rng.chance(10),
        l4: if rng.chance(90) {
            Some(rng.bytes())
        } else {
            None
        },
        icmp: if rng.chance(90) {
            Some(IcmpHdr {
                ty: rng.pick(ICMP_TYPES),
                code: rng.byte(),
                echo_id: if rng.chance(20) { 0 } else { rng.u32() as u16 },
            })
        } else {
            None
        },
    })
}

/// A complete random case: frame plus its keys (with random VLAN tag,
/// encap keys and l4 hash).
pub fn gen_case(rng: &mut Rng) -> (Vec<u8>, FlowKeys) {
    let f = gen_frame(rng);
    let mut k = keys_of(&f);
    k.vlan_tci = if rng.chance(30) {
        Some(rng.u32() as u16)
    } else {
        None
    };
    k.encap = gen_encap(rng);
    k.l4_hash = if rng.chance(20) {
        Some(rng.u32())
    } else {
        None
    };
    (f, k)
}

fn hex(b: &[u8]) -> String {
    if b.is_empty() {
        return "-".into();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// One input line of the kernel reference (tests/kernel/main.c).
pub fn c_line(policy: u8, f: &[u8], k: &FlowKeys) -> String {
    let (vp, tci) = k.vlan_tci.map_or((0, 0), |t| (1, t));
    let (lp, lh) = k.l4_hash.map_or((0, 0), |h| (1, h));
    let e = k.encap.unwrap_or_default();
    let (at, src, dst) = match e.addrs {
        Addrs::None => (0, [0u8; 16], [0u8; 16]),
        Addrs::V4 { src, dst } => {
            let mut s = [0u8; 16];
            let mut d = [0u8; 16];
            s[..4].copy_from_slice(&src);
            d[..4].copy_from_slice(&dst);
            (1, s, d)
        }
        Addrs::V6 { src, dst } => (2, src, dst),
        Addrs::Tipc { key } => {
            let mut s = [0u8; 16];
            s[..4].copy_from_slice(&key);
            (3, s, [0u8; 16])
        }
    };
    let (l4p, l4) = e.l4.map_or((0, [0u8; 4]), |l| (1, l));
    let (ip, ic) = e.icmp.map_or((0, IcmpHdr::default()), |i| (1, i));
    format!(
        "{policy} {} {vp:x} {tci:x} {lp:x} {lh:x} {:x} {at:x} {} {} {:x} {:x} {l4p:x} {} {ip:x} {:x} {:x} {:x}",
        hex(f),
        u8::from(k.encap.is_some()),
        hex(&src),
        hex(&dst),
        e.ip_proto,
        u8::from(e.is_fragment),
        hex(&l4),
        ic.ty,
        ic.code,
        ic.echo_id
    )
}
