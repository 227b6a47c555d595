// SPDX-License-Identifier: GPL-2.0

//! Byte-exact tests of the wire formats: the 52-byte uapi
//! `struct ip_tunnel_parm` and the GRE header, plus the per-driver ioctl
//! checks.

use iptun::addr::{be32_from_bytes, htons};
use iptun::err::TunErr;
use iptun::flags::{TunFlags, GRE_CSUM, GRE_KEY, GRE_ROUTING, GRE_SEQ};
use iptun::gre::{build, gre_calc_hlen, parse as gre_parse, GreParseErr, ETH_P_IP, GRE_MAX_LEN};
use iptun::ioctl::*;
use iptun::parms::{IPPROTO_GRE, IPPROTO_IPIP, IPPROTO_IPV6, IPPROTO_MPLS, IP_DF_BE};
use proptest::prelude::*;

fn uapi(
    name: &[u8],
    link: i32,
    i_flags: u16,
    o_flags: u16,
    i_key: u32,
    o_key: u32,
    iph: [u8; 20],
) -> [u8; 52] {
    let mut b = [0u8; 52];
    b[..name.len()].copy_from_slice(name);
    b[16..20].copy_from_slice(&link.to_ne_bytes());
    b[20..22].copy_from_slice(&i_flags.to_be_bytes());
    b[22..24].copy_from_slice(&o_flags.to_be_bytes());
    b[24..28].copy_from_slice(&i_key.to_be_bytes());
    b[28..32].copy_from_slice(&o_key.to_be_bytes());
    b[32..].copy_from_slice(&iph);
    b
}

const IPH: [u8; 20] = [
    0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 4, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
];

#[test]
fn parse_known_struct() {
    let b = uapi(b"tun1", 3, 0x2000, 0x2000, 0x11, 0x22, IPH);
    let (name, p) = parse(&b).unwrap();
    assert_eq!(&name[..5], b"tun1\0");
    assert_eq!(p.link, 3);
    assert_eq!(p.i_flags, TunFlags(0x2000));
    assert_eq!(p.i_key, 0x11u32.to_be());
    assert_eq!(p.iph.version, 4);
    assert_eq!(p.iph.ihl, 5);
    assert!(p.iph.df());
    assert_eq!(p.iph.ttl, 64);
    assert_eq!(p.iph.protocol, IPPROTO_IPIP);
    assert_eq!(p.iph.saddr, be32_from_bytes([10, 0, 0, 1]));
    assert_eq!(p.iph.daddr, be32_from_bytes([10, 0, 0, 2]));
    let mut out = [0u8; 52];
    write(&p, &name, &mut out).unwrap();
    assert_eq!(out, b);
    assert!(parse(&b[..51]).is_none());
}

#[test]
fn name_is_truncated_to_15() {
    let b = uapi(b"0123456789abcdef", 0, 0, 0, 0, 0, IPH);
    let (name, _) = parse(&b).unwrap();
    assert_eq!(&name, b"0123456789abcde\0");
}

#[test]
fn non_be16_flags_fault() {
    let (name, mut p) = parse(&uapi(b"", 0, 0, 0, 0, 0, IPH)).unwrap();
    p.o_flags = TunFlags::PFCP_OPT;
    let mut out = [7u8; 52];
    assert_eq!(write(&p, &name, &mut out), Err(TunErr::Fault));
    assert_eq!(out, [7u8; 52]);
}

#[test]
fn ipip_ctl() {
    let (_, mut p) = parse(&uapi(b"", 0, 0x2000, 0x2000, 5, 6, IPH)).unwrap();
    assert_eq!(ipip_ctl_check(&mut p, SIOCADDTUNNEL), Ok(()));
    assert_eq!(
        (p.i_key, p.o_key, p.i_flags, p.o_flags),
        (0, 0, TunFlags::EMPTY, TunFlags::EMPTY)
    );
    for proto in [0, IPPROTO_IPIP, IPPROTO_MPLS] {
        p.iph.protocol = proto;
        assert_eq!(ipip_ctl_check(&mut p.clone(), SIOCCHGTUNNEL), Ok(()));
    }
    p.iph.protocol = IPPROTO_IPV6;
    assert_eq!(
        ipip_ctl_check(&mut p.clone(), SIOCADDTUNNEL),
        Err(TunErr::Inval)
    );
    // Not checked for GET/DEL, but keys and flags are still cleared.
    assert_eq!(ipip_ctl_check(&mut p.clone(), SIOCGETTUNNEL), Ok(()));
    p.iph.protocol = IPPROTO_IPIP;
    p.iph.frag_off = htons(0x4001);
    assert_eq!(
        ipip_ctl_check(&mut p.clone(), SIOCADDTUNNEL),
        Err(TunErr::Inval)
    );
    p.iph.frag_off = 0;
    p.iph.ihl = 6;
    assert_eq!(
        ipip_ctl_check(&mut p.clone(), SIOCADDTUNNEL),
        Err(TunErr::Inval)
    );
}

#[test]
fn ctl_prepare_and_chg() {
    let (_, mut p) = parse(&uapi(b"", 0, 0, 0x0400, 5, 6, IPH)).unwrap();
    p.iph.frag_off = 0;
    ip_tunnel_ctl_prepare(&mut p);
    assert_eq!(p.iph.frag_off, IP_DF_BE);
    assert_eq!(p.i_key, 0);
    assert_eq!(p.o_key, 0); // o_flags 0x0400 is host bit 10, not KEY
    let (_, mut p) = parse(&uapi(b"", 0, 0x0004, 0x0001, 5, 6, IPH)).unwrap();
    ip_tunnel_ctl_prepare(&mut p);
    assert_eq!((p.i_key, p.o_key), (5u32.to_be(), 0));
    assert_eq!(
        ip_tunnel_chg_flags_check(0x10, be32_from_bytes([1, 2, 3, 4])),
        Ok(())
    );
    assert_eq!(
        ip_tunnel_chg_flags_check(0x10, be32_from_bytes([224, 2, 3, 4])),
        Err(TunErr::Inval)
    );
    assert_eq!(
        ip_tunnel_chg_flags_check(0x2, be32_from_bytes([224, 2, 3, 4])),
        Ok(())
    );
    assert_eq!(ip_tunnel_chg_flags_check(0, 0), Ok(()));
}

#[test]
fn gre_ctl_round_trip() {
    let mut iph = IPH;
    iph[9] = IPPROTO_GRE;
    let b = uapi(
        b"gre1",
        0,
        GRE_KEY | GRE_CSUM,
        GRE_KEY | GRE_SEQ,
        9,
        10,
        iph,
    );
    let (name, mut p) = parse(&b).unwrap();
    assert_eq!(ipgre_ctl_pre(&mut p, SIOCADDTUNNEL), Ok(()));
    assert_eq!(p.i_flags, TunFlags::KEY.union(TunFlags::CSUM));
    assert_eq!(p.o_flags, TunFlags::KEY.union(TunFlags::SEQ));
    ipgre_ctl_post(&mut p);
    let mut out = [0u8; 52];
    write(&p, &name, &mut out).unwrap();
    assert_eq!(out, b);
    let (_, mut r) = parse(&uapi(b"", 0, GRE_ROUTING, 0, 0, 0, iph)).unwrap();
    assert_eq!(ipgre_ctl_pre(&mut r, SIOCADDTUNNEL), Err(TunErr::Inval));
    let (_, mut r) = parse(&uapi(b"", 0, 0, 0, 0, 0, IPH)).unwrap();
    assert_eq!(ipgre_ctl_pre(&mut r, SIOCCHGTUNNEL), Err(TunErr::Inval));
    r.i_flags = TunFlags::PFCP_OPT;
    assert_eq!(ipgre_ctl_pre(&mut r, SIOCGETTUNNEL), Err(TunErr::Overflow));
}

#[test]
fn sit_ctl() {
    let mut iph = IPH;
    iph[9] = IPPROTO_IPV6;
    iph[6] = 0;
    // iproute2 stores SIT_ISATAP (0x0001) into the __be16 without htons.
    let mut b = uapi(b"", 0, 0, 0, 0, 0, iph);
    b[20..22].copy_from_slice(&0x0001u16.to_ne_bytes());
    let (_, mut p) = parse(&b).unwrap();
    assert_eq!(ipip6_ctl_validate(&mut p), Ok(()));
    assert!(p.iph.df());
    assert!(p.i_flags.test(iptun::flags::IP_TUNNEL_SIT_ISATAP_BIT));
    p.iph.protocol = IPPROTO_GRE;
    assert_eq!(ipip6_ctl_validate(&mut p), Err(TunErr::Inval));
}

fn gre_flags() -> impl Strategy<Value = TunFlags> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(c, k, s, st, rec)| {
            let mut f = TunFlags::EMPTY;
            for (on, b) in [
                (c, TunFlags::CSUM),
                (k, TunFlags::KEY),
                (s, TunFlags::SEQ),
                (st, TunFlags::STRICT),
                (rec, TunFlags::REC),
            ] {
                if on {
                    f = f.union(b);
                }
            }
            f
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn uapi_round_trip(bytes in prop::array::uniform32(any::<u8>()), tail in prop::array::uniform20(any::<u8>()), nlen in 0usize..16) {
        // A NUL-padded name of at most 15 bytes round-trips exactly.
        let mut b = [0u8; 52];
        b[16..32].copy_from_slice(&bytes[16..32]);
        for (i, c) in bytes[..nlen].iter().enumerate() {
            b[i] = if *c == 0 { b'x' } else { *c };
        }
        b[32..].copy_from_slice(&tail);
        let (name, p) = parse(&b).unwrap();
        let mut out = [0u8; 52];
        write(&p, &name, &mut out).unwrap();
        prop_assert_eq!(out, b);
    }

    #[test]
    fn uapi_parse_any(b in prop::collection::vec(any::<u8>(), 0..80)) {
        if let Some((name, p)) = parse(&b) {
            prop_assert_eq!(name[15], 0);
            let mut out = [0u8; 52];
            write(&p, &name, &mut out).unwrap();
            prop_assert_eq!(&out[16..], &b[16..52]);
        } else {
            prop_assert!(b.len() < 52);
        }
    }

    #[test]
    fn gre_round_trip(f in gre_flags(), proto in any::<u16>(), key in any::<u32>(), seq in any::<u32>()) {
        prop_assume!(proto != htons(0x883E) && proto != htons(0x88BE) && proto != htons(0x22EB));
        let mut out = [0u8; GRE_MAX_LEN];
        let b = build(f, proto, key, seq, &mut out).unwrap();
        prop_assert_eq!(b.len, gre_calc_hlen(f));
        prop_assert_eq!(b.csum_offset.is_some(), f.contains(TunFlags::CSUM));
        let i = gre_parse(&out[..b.len], htons(ETH_P_IP)).unwrap();
        prop_assert_eq!(i.flags, f);
        prop_assert_eq!(i.proto, proto);
        prop_assert_eq!(i.key, if f.contains(TunFlags::KEY) { key } else { 0 });
        prop_assert_eq!(i.seq, if f.contains(TunFlags::SEQ) { seq } else { 0 });
        prop_assert_eq!(i.hdr_len, b.len);
        prop_assert_eq!(i.csum_present, f.contains(TunFlags::CSUM));
        prop_assert_eq!(gre_parse(&out[..b.len - 1], 0), Err(GreParseErr::Short));
        let mut small = [0u8; 3];
        prop_assert!(build(f, proto, key, seq, &mut small[..]).is_none() || b.len <= 3);
    }

    #[test]
    fn gre_parse_any(b in prop::collection::vec(any::<u8>(), 0..40), proto in any::<u16>()) {
        if let Ok(i) = gre_parse(&b, proto) {
            prop_assert!(i.hdr_len <= b.len() + 4);
            prop_assert!(i.hdr_len >= 4);
        }
    }
}
