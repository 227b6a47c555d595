// SPDX-License-Identifier: GPL-2.0

//! The ipip device (C's `ipip_tunnel_setup`, `ipip_netdev_ops`,
//! `ipip_tunnel_xmit`) and its receive side (`ipip_rcv`, `mplsip_rcv`,
//! `ipip_tunnel_rcv`).

use crate::ip_tunnel::{
    net::TunnelNet,
    rcv::{ip_tunnel_rcv, RxTpi},
    tunnel::{self, Cfg, IpTunnel, TunnelKind},
    xmit::{ip_md_tunnel_xmit, ip_tunnel_xmit, tx_error},
};
use crate::iptun::{
    err::TunErr,
    flags::TunFlags,
    ioctl,
    lookup::Query,
    parms::{self, TunnelParms},
};
use crate::netdev::{
    features::Features,
    iptunnel::{uapi, IcmpError, OuterIpv4, Tunnel4Family, Tunnel4Handler, TunnelGso},
    link::LinkHandle,
    pernet::PernetId,
    prelude::*,
    rx_handler::RxContext,
    skb::SkBuff,
};
use kernel::{c_str, prelude::*};

/// The ipip driver (link kind `ipip`).
pub(crate) struct Ipip;

/// The kind's per-namespace state.
pub(crate) static IPIP_NET: PernetId<TunnelNet<Ipip>> = PernetId::new();
/// The kind's registration, for the fallback devices.
pub(crate) static IPIP_LINK: LinkHandle<Ipip> = LinkHandle::new();

/// `IPIP_FEATURES`.
fn ipip_features() -> Features {
    Features::SG
        | Features::FRAGLIST
        | Features::HIGHDMA
        | Features::GSO_SOFTWARE
        | Features::HW_CSUM
}

impl TunnelKind for Ipip {
    const FB_NAME: &'static [u8] = b"tunl0";
    const DEV_TYPE: u16 = uapi::ARPHRD_TUNNEL;

    fn net_id() -> &'static PernetId<TunnelNet<Self>> {
        &IPIP_NET
    }

    fn link_handle() -> &'static LinkHandle<Self> {
        &IPIP_LINK
    }

    fn fb_cfg() -> Cfg {
        let mut cfg = Cfg::default();
        // `ip_tunnel_init` sets version and ihl; the rest stays zero
        // (protocol 0: "any", as C's tunl0 shows).
        cfg.parms.iph.version = 4;
        cfg.parms.iph.ihl = 5;
        cfg
    }

    fn ctl_check(p: &mut TunnelParms, cmd: u32) -> core::result::Result<(), TunErr> {
        ioctl::ipip_ctl_check(p, cmd)
    }
}

#[vtable]
impl Driver for Ipip {
    type Data = IpTunnel;

    const INFO: DriverInfo = DriverInfo {
        name: c_str!("rvnet_ipip"),
        version: c_str!("1.0"),
    };
    const PCPU_STATS: bool = true;
    // The 4-byte address is the local end, any value (0 for tunl0).
    const ETH_ADDR: bool = false;

    fn setup(dev: &mut Setup<'_, Self>) {
        dev.iptunnel_setup(uapi::ARPHRD_TUNNEL, 4);
        dev.set_features(ipip_features(), ipip_features(), Features::from_bits(0));
    }

    fn init(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        tunnel::init(dev, rtnl)
    }

    fn uninit(dev: &Device<Self>, rtnl: &mut Rtnl) {
        tunnel::uninit(dev, rtnl)
    }

    fn get_iflink(dev: &Device<Self>) -> i32 {
        dev.data().iflink()
    }

    fn change_mtu(dev: &Device<Self>, mtu: u32, rtnl: &mut Rtnl) -> Result {
        tunnel::change_mtu(dev, mtu, rtnl)
    }

    fn tunnel_ctl(dev: &Device<Self>, cmd: u32, parm: &mut [u8; 52], rtnl: &mut Rtnl) -> Result {
        crate::ip_tunnel::ioctl::tunnel_ctl(dev, cmd, parm, rtnl)
    }

    /// `ipip_tunnel_xmit`.
    fn start_xmit<'x>(dev: &Device<Self>, skb: TxSkb<'x>, tx: &XmitContext) -> TxResult<'x> {
        let mut skb = skb.into_skb();
        let cfg = dev.data().cfg(tx);
        let ipproto = match skb.protocol() {
            uapi::ETH_P_IP => uapi::IPPROTO_IPIP,
            uapi::ETH_P_MPLS_UC => uapi::IPPROTO_MPLS,
            _ => {
                tx_error(dev, skb);
                return TxResult::Ok;
            }
        };
        let want = cfg.parms.iph.protocol;
        if (want != ipproto && want != 0) || skb.tunnel_handle_offloads(TunnelGso::IpxIp4).is_err()
        {
            tx_error(dev, skb);
            return TxResult::Ok;
        }
        skb.set_inner_ipproto(ipproto);
        if cfg.collect_md {
            let Some(key) = skb.md_key() else {
                tx_error(dev, skb);
                return TxResult::Ok;
            };
            ip_md_tunnel_xmit(dev, skb, &key, ipproto, 0, tx);
        } else {
            ip_tunnel_xmit(dev, skb, cfg, &cfg.parms.iph, ipproto, tx);
        }
        TxResult::Ok
    }
}

/// The protocol handler of `IPPROTO_IPIP` and `IPPROTO_MPLS`.
pub(crate) struct IpipRx;

impl Tunnel4Handler for IpipRx {
    type Claim<'a> = &'a Device<Ipip>;

    /// `ipip_tunnel_rcv`'s lookup: local/remote from the outer header, no
    /// key, the arrival device as `link`.
    fn claim<'a>(
        _family: Tunnel4Family,
        outer: &OuterIpv4,
        lower: &'a NetDevice,
        _skb: &SkBuff,
        rx: &'a RxContext,
    ) -> Option<&'a Device<Ipip>> {
        let net = lower.net();
        let tn = IPIP_NET.get_rcu(net, rx)?;
        let q = Query {
            link: lower.ifindex(),
            flags: TunFlags::NO_KEY,
            remote: outer.saddr,
            local: outer.daddr,
            key: 0,
        };
        tn.lookup(&q, rx)
    }

    /// `ipip_err`: "fragmentation needed" teaches the route the path MTU,
    /// a redirect is followed; other unreachables and TTL expiry count as
    /// link failures the transmit path reports to senders for a while.
    fn error<'a>(
        _family: Tunnel4Family,
        err: &IcmpError<'_>,
        lower: &'a NetDevice,
        rx: &'a RxContext,
    ) -> bool {
        let net = lower.net();
        let Some(tn) = IPIP_NET.get_rcu(net, rx) else {
            return false;
        };
        let q = Query {
            link: lower.ifindex(),
            flags: TunFlags::NO_KEY,
            remote: err.quoted.daddr,
            local: err.quoted.saddr,
            key: 0,
        };
        let Some(t) = tn.lookup(&q, rx) else {
            return false;
        };
        let cfg = t.data().cfg(rx);
        match (err.ty, err.code) {
            (IcmpError::DEST_UNREACH, IcmpError::SR_FAILED) => return true,
            (IcmpError::DEST_UNREACH, IcmpError::FRAG_NEEDED) => {
                err.update_pmtu(net, cfg.parms.link, err.quoted.protocol);
                return true;
            }
            (IcmpError::DEST_UNREACH, _) => {}
            (IcmpError::TIME_EXCEEDED, IcmpError::EXC_TTL) => {}
            (IcmpError::REDIRECT, _) => {
                err.redirect(net, cfg.parms.link, err.quoted.protocol);
                return true;
            }
            _ => return true,
        }
        if cfg.parms.iph.daddr == 0 {
            return false;
        }
        if cfg.parms.iph.ttl == 0 && err.ty == IcmpError::TIME_EXCEEDED {
            return true;
        }
        t.data().note_error();
        true
    }

    fn receive<'a>(t: &'a Device<Ipip>, mut skb: SkBuff, outer: &OuterIpv4, rx: &'a RxContext) {
        let (ipproto, inner) = match outer.protocol {
            uapi::IPPROTO_MPLS => (uapi::IPPROTO_MPLS, uapi::ETH_P_MPLS_UC),
            _ => (uapi::IPPROTO_IPIP, uapi::ETH_P_IP),
        };
        let cfg = t.data().cfg(rx);
        let want = cfg.parms.iph.protocol;
        if (want != ipproto && want != 0)
            || !skb.xfrm4_policy_check_in()
            || skb.iptunnel_pull_header(0, inner, false, false).is_err()
        {
            return drop(skb);
        }
        // External mode: the outer header goes up as metadata (C leaks
        // the packet when that allocation fails; it is dropped here).
        let md = match cfg.collect_md {
            true => match outer.rx_metadata_dst(&skb) {
                Some(md) => Some(md),
                None => return drop(skb),
            },
            false => None,
        };
        skb.reset_mac_header();
        // ipip carries no flags; the tunnel's own are none either.
        let tpi = RxTpi {
            i_flags: cfg.parms.i_flags,
            ..RxTpi::default()
        };
        ip_tunnel_rcv(t, skb, outer, &tpi, md, rx);
    }
}

/// `ipip_tunnel_validate`'s protocol rule, for the netlink side.
pub(crate) fn proto_ok(proto: u8) -> bool {
    parms::ipip_proto_ok(proto)
}
