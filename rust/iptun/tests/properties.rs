// SPDX-License-Identifier: GPL-2.0

//! Property tests of the flag conversions, the netlink parameter rules,
//! the transmit arithmetic and the sit address rules: restatements of
//! the C and "no panic on any input".

use iptun::addr::{htons, ipv4_is_multicast, Be32};
use iptun::flags::*;
use iptun::fmt::Ipv6c;
use iptun::parms::*;
use iptun::sit::*;
use iptun::xmit::*;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// `%pI6c` is RFC 5952's form, which std prints too (its one special
    /// case, IPv4-mapped, is the kernel's too), but for ISATAP addresses,
    /// whose last 32 bits the kernel prints as a dotted quad. Words are
    /// zero half the time, so that runs of zeros of every length occur.
    #[test]
    fn ipv6c_is_rfc5952(words in proptest::array::uniform8(prop_oneof![Just(0u16), any::<u16>()])) {
        let mut a = [0u8; 16];
        for (i, w) in words.iter().enumerate() {
            a[2 * i..2 * i + 2].copy_from_slice(&w.to_be_bytes());
        }
        prop_assume!(!ipv6_addr_is_isatap(&a));
        prop_assert_eq!(Ipv6c(a).to_string(), std::net::Ipv6Addr::from(a).to_string());
    }

    #[test]
    fn be16_round_trip(raw in any::<u16>()) {
        let f = ip_tunnel_flags_from_be16(raw);
        prop_assert!(f.is_be16_compat());
        prop_assert_eq!(ip_tunnel_flags_to_be16(f), raw);
        prop_assert_eq!(f.0 & 0xffff, u16::from_be(raw) as u32);
        prop_assert_eq!(f.test(IP_TUNNEL_VTI_BIT), raw & 1 != 0);
    }

    #[test]
    fn to_be16_of_any(bits in prop_oneof![any::<u32>(), any::<u32>().prop_map(|b| b & 0x1ffff)]) {
        let f = TunFlags(bits);
        let back = ip_tunnel_flags_from_be16(ip_tunnel_flags_to_be16(f));
        // VTI is the raw bit 0x0001, which on little-endian is also host
        // bit 8: the low 16 bits come back unchanged when the two agree,
        // and with bit 8 set when VTI is set without it (as C's).
        if f.is_be16_compat() {
            let mut want = f.0 & 0xffff;
            if f.test(IP_TUNNEL_VTI_BIT) {
                want |= 1 << 8;
            }
            prop_assert_eq!(back.0 & 0xffff, want);
            prop_assert_eq!(back.test(IP_TUNNEL_VTI_BIT), f.test(IP_TUNNEL_VTI_BIT) || f.test(8));
        }
        prop_assert!(back.is_be16_compat());
    }

    #[test]
    fn gre_flags_round_trip(g in any::<u16>()) {
        let f = gre_flags_to_tnl_flags(g);
        let g2 = gre_tnl_flags_to_gre_flags(f);
        // Single bits come back; multi-bit fields come back whole.
        for (mask, bit) in [(GRE_CSUM, 0), (GRE_ROUTING, 1), (GRE_KEY, 2), (GRE_SEQ, 3), (GRE_STRICT, 4), (GRE_REC, 5), (GRE_VERSION, 6)] {
            prop_assert_eq!(f.test(bit), g & mask != 0);
            prop_assert_eq!(g2 & mask != 0, g & mask != 0);
        }
        prop_assert_eq!(g2 & (GRE_ACK | GRE_FLAGS), 0);
        prop_assert_eq!(gre_flags_to_tnl_flags(g2), f);
        prop_assert_eq!(gre_flags_to_tnl_flags_be16(htons(g)), f);
    }

    #[test]
    fn netlink_df_rule(ttl in proptest::option::of(any::<u8>()), pmtu in proptest::option::of(any::<u8>()), proto in proptest::option::of(any::<u8>())) {
        let nl = NlIptun { ttl, pmtudisc: pmtu, proto, ..NlIptun::default() };
        let p = ipip_netlink_parms(Some(&nl), 0).parms;
        let want = ttl.is_some_and(|t| t != 0) || pmtu != Some(0);
        prop_assert_eq!(p.iph.df(), want);
        prop_assert_eq!(p.iph.protocol, proto.unwrap_or(IPPROTO_IPIP));
        prop_assert_eq!(ipip_validate_proto(proto).is_ok(), matches!(proto, None | Some(0 | 4 | 137)));
        let s = ipip6_netlink_parms(Some(&nl), 0).parms;
        prop_assert_eq!(s.iph.ttl, ttl.unwrap_or(64));
        prop_assert_eq!(s.iph.df(), want);
    }

    #[test]
    fn gre_netlink(ign in proptest::option::of(any::<u8>()), pmtu in proptest::option::of(any::<u8>()), cur in any::<bool>()) {
        let nl = NlGre { ignore_df: ign, pmtudisc: pmtu, ..NlGre::default() };
        let r = ipgre_netlink_parms(Some(&nl), false, cur, 0);
        let df = pmtu != Some(0);
        let want_err = df && (cur || ign.is_some_and(|v| v != 0));
        prop_assert_eq!(r.is_err(), want_err);
        if let Ok(g) = r {
            prop_assert_eq!(g.parms.iph.df(), df);
            prop_assert_eq!(g.parms.iph.protocol, IPPROTO_GRE);
        }
    }

    #[test]
    fn xmit_decisions(tnl_tos in any::<u8>(), tnl_ttl in any::<u8>(), itos in any::<u8>(), ittl in any::<u8>(), frag in any::<u16>(), kind in 0u8..3, hop in any::<u8>(), ignore in any::<bool>()) {
        let inner = match kind {
            0 => Inner::Ipv4 { tos: itos, ttl: ittl, frag_off: frag },
            1 => Inner::Ipv6 { dsfield: itos, hop_limit: ittl },
            _ => Inner::Other,
        };
        let t = tunnel_tos(tnl_tos, &inner);
        let inherit = tnl_tos & 1 != 0 && kind < 2;
        let base = if inherit { itos } else { tnl_tos & if tnl_tos & 1 != 0 { 0xfe } else { 0xff } };
        prop_assert_eq!(t.inherited, inherit);
        prop_assert_eq!(t.flow_tos, base & 0xfc);
        let inner_ds = if kind < 2 { itos } else { 0 };
        let ecn = if inner_ds & 3 == 3 { 2 } else { inner_ds & 3 };
        prop_assert_eq!(t.outer, (base & !3) | ecn);
        let ttl = tunnel_ttl(tnl_ttl, &inner, hop);
        prop_assert_eq!(ttl, if tnl_ttl != 0 { tnl_ttl } else if kind < 2 { ittl } else { hop });
        let df = tunnel_df(0, &inner, ignore);
        prop_assert_eq!(df != 0, kind == 0 && !ignore && frag & htons(0x4000) != 0);
    }

    #[test]
    fn mtu_arithmetic(hlen in 0i32..600, mtu in any::<u32>(), hh in 0u16..200, nh in 0u16..200, eth in any::<bool>(), dhh in 0i32..40, some in any::<bool>()) {
        let b = ip_tunnel_bind_dev(&BindDev {
            hlen,
            tdev: some.then_some(Tdev { hard_header_len: hh, needed_headroom: nh, mtu }),
            is_ether: eth,
            hard_header_len: dhh,
            ll_max_header: 128,
        });
        prop_assert!(b.mtu >= 68);
        prop_assert!(b.needed_headroom <= 512);
        let base = if some { mtu.min(0xFFFF) as i32 } else { 1500 };
        let want = (base - hlen - 20 - if eth { dhh } else { 0 }).max(68);
        prop_assert_eq!(b.mtu, want);
        let max = ip_tunnel_max_mtu(hlen, eth, dhh);
        let m = ip_tunnel_change_mtu(mtu as i32, max, false);
        if (mtu as i32) < 68 { prop_assert!(m.is_err()); } else { prop_assert_eq!(m.unwrap(), (mtu as i32).min(max)); }
        let n = newlink_mtu(mtu, hlen, eth, dhh);
        prop_assert!(n <= max as u32 && (n >= 68 || n == max as u32));
    }

    #[test]
    fn pmtu_no_panic(df in any::<bool>(), gso in any::<bool>(), len in any::<u32>(), th in any::<i32>(), eth in any::<bool>(), hh in any::<i32>(), rt in any::<u32>(), sd in proptest::option::of(any::<u32>()), dev in any::<u32>(), plen in proptest::option::of(any::<u8>()), daddr in any::<Be32>(), kind in 0u8..3, frag in any::<u16>()) {
        let inner = match kind {
            0 => Inner::Ipv4 { tos: 0, ttl: 1, frag_off: frag },
            1 => Inner::Ipv6 { dsfield: 0, hop_limit: 1 },
            _ => Inner::Other,
        };
        let o = tnl_update_pmtu(&PmtuIn { df, inner, gso, skb_len: len, tunnel_hlen: th, is_ether: eth, hard_header_len: hh, rt_mtu: rt, skb_dst_mtu: sd, dev_mtu: dev, rt6_plen: plen, daddr });
        prop_assert!(!(o.icmp_frag_needed && o.icmpv6_too_big));
        if o.set_rt6_mtu { prop_assert!(kind == 1 && (plen == Some(128) || (daddr != 0 && !ipv4_is_multicast(daddr)))); }
        let _ = err_count_step(th, df);
        let _ = xmit_headroom(rt, dev, len);
        let _ = ll_reserved_space(rt, dev);
    }

    #[test]
    fn sixrd_no_panic(prefix in any::<[u8; 16]>(), relay in any::<u32>(), pl in any::<u16>(), rpl in any::<u16>(), dst in any::<[u8; 16]>(), v4 in any::<u32>()) {
        let p = Ip6rd { prefix, relay_prefix: relay, prefixlen: pl, relay_prefixlen: rpl };
        let _ = check_6rd(&p, &dst);
        let _ = is_spoofed_6rd(&p, v4, &dst);
        let _ = only_dnatted_prefix_len(&p);
        if let Ok(q) = ipip6_tunnel_update_6rd(&p) {
            prop_assert_eq!(q, p);
            prop_assert!(pl <= 64 && rpl <= 32);
        }
        let _ = isatap_chksrc(&[PrlEntry { addr: v4, flags: pl }], relay, &dst, |_| true);
    }

    #[test]
    fn sixrd_embeds(pl in 0u16..=32, rpl in 0u16..=32, v4 in any::<u32>(), tail in any::<[u8; 16]>(), pfx in any::<[u8; 16]>()) {
        // Build an address: prefix bits, then the low 32 - rpl bits of v4.
        prop_assume!(pl + 32 - rpl <= 64);
        let p = ipip6_tunnel_update_6rd(&Ip6rd {
            prefix: ipv6_addr_prefix(&pfx, pl as u32),
            relay_prefix: if rpl == 0 { 0 } else { (v4 & (u32::MAX << (32 - rpl))).to_be() },
            prefixlen: pl,
            relay_prefixlen: rpl,
        }).unwrap();
        let mut a = u128::from_be_bytes(tail);
        let pfx128 = u128::from_be_bytes(p.prefix);
        let keep = if pl == 0 { 0 } else { u128::MAX << (128 - pl) };
        a = (a & !keep) | (pfx128 & keep);
        let nbits = 32 - rpl as u32;
        if nbits > 0 {
            let emb = (v4 as u128) & ((1u128 << nbits) - 1);
            let shift = 128 - pl as u32 - nbits;
            a = (a & !(((1u128 << nbits) - 1) << shift)) | (emb << shift);
        }
        prop_assert_eq!(check_6rd(&p, &a.to_be_bytes()), Some(v4.to_be()));
    }

    #[test]
    fn sit_bucket_range(s in any::<u32>(), d in any::<u32>()) {
        let mut p = TunnelParms::default();
        p.iph.saddr = s;
        p.iph.daddr = d;
        let (prio, h) = ipip6_bucket(&p);
        prop_assert!(prio < 4 && h < IP6_SIT_HASH_SIZE);
        prop_assert_eq!(prio, (d != 0) as u32 * 2 + (s != 0) as u32);
    }
}
