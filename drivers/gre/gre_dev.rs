// SPDX-License-Identifier: GPL-2.0

//! The GRE devices (C's `ipgre_tunnel_setup`, `ipgre_tap_setup`,
//! `__gre_tunnel_init`, `ipgre_link_update`) and their transmit
//! (`ipgre_xmit`, `gre_tap_xmit`, `__gre_xmit`).

use crate::gre_header;
use crate::ip_tunnel::{
    net::TunnelNet,
    tunnel::{self, Cfg, IpTunnel, TunnelKind},
    xmit::{ip_md_tunnel_xmit, ip_tunnel_xmit},
};
use crate::iptun::{
    err::TunErr,
    erspan::ErspanParms,
    erspan_md::{fb_tunnel_hlen, ip_truncated, ErspanMd, ERSPAN_MD_SIZE},
    flags::{
        TunFlags, IP_TUNNEL_CSUM_BIT, IP_TUNNEL_ERSPAN_OPT_BIT, IP_TUNNEL_KEY_BIT,
        IP_TUNNEL_SEQ_BIT,
    },
    gre::{erspan_hdr_len, gre_calc_hlen},
    ioctl,
    parms::{IpHdr, TunnelParms},
};
use crate::netdev::{
    features::Features,
    gre,
    iptunnel::{uapi, DevStat, TunnelGso},
    link::LinkHandle,
    pernet::PernetId,
    prelude::*,
};
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*};

/// The `gre` link kind: IPv4, IPv6 and other layer-3 payloads in GRE.
pub(crate) struct Gre;
/// The `gretap` link kind: Ethernet frames in GRE (`ETH_P_TEB`).
pub(crate) struct GreTap;
/// The `erspan` link kind: mirrored Ethernet frames in ERSPAN over GRE.
pub(crate) struct Erspan;

/// Per-namespace state of each kind.
pub(crate) static GRE_NET: PernetId<TunnelNet<Gre>> = PernetId::new();
pub(crate) static GRETAP_NET: PernetId<TunnelNet<GreTap>> = PernetId::new();
pub(crate) static ERSPAN_NET: PernetId<TunnelNet<Erspan>> = PernetId::new();
/// The kinds' registrations, for the fallback devices.
pub(crate) static GRE_LINK: LinkHandle<Gre> = LinkHandle::new();
pub(crate) static GRETAP_LINK: LinkHandle<GreTap> = LinkHandle::new();
pub(crate) static ERSPAN_LINK: LinkHandle<Erspan> = LinkHandle::new();

// The pure crate's view of `struct erspan_metadata` is the kernel's.
const _: () = assert!(ERSPAN_MD_SIZE == gre::ERSPAN_MD_SIZE);

/// `GRE_FEATURES`, plus the software GSO types [`gre_fix_features`]
/// takes away when the header cannot be segmented.
fn gre_features() -> Features {
    Features::SG
        | Features::FRAGLIST
        | Features::HIGHDMA
        | Features::HW_CSUM
        | Features::GSO_SOFTWARE
}

/// The fallback devices' configuration (`ip_tunnel_init_net`: zeroed
/// parameters, then `ndo_init`).
fn fb_cfg() -> Cfg {
    Cfg::default()
}

/// `ipgre_tunnel_ctl` for both kinds: the user's GRE flags become tunnel
/// flags (and back in the answer).
fn ctl_check(p: &mut TunnelParms, cmd: u32) -> core::result::Result<(), TunErr> {
    ioctl::ipgre_ctl_pre(p, cmd)
}

impl TunnelKind for Gre {
    const FB_NAME: &'static [u8] = b"gre0";
    const DEV_TYPE: u16 = uapi::ARPHRD_IPGRE;

    fn net_id() -> &'static PernetId<TunnelNet<Self>> {
        &GRE_NET
    }
    fn link_handle() -> &'static LinkHandle<Self> {
        &GRE_LINK
    }
    fn fb_cfg() -> Cfg {
        fb_cfg()
    }
    fn ctl_check(p: &mut TunnelParms, cmd: u32) -> core::result::Result<(), TunErr> {
        ctl_check(p, cmd)
    }
    fn ctl_answer(p: &mut TunnelParms) {
        ioctl::ipgre_ctl_post(p)
    }
    fn ctl_changed(dev: &Device<Self>, _p: &TunnelParms, rtnl: &mut Rtnl) -> Result {
        link_update(dev, None, true, rtnl)
    }
}

impl TunnelKind for GreTap {
    const FB_NAME: &'static [u8] = b"gretap0";
    const DEV_TYPE: u16 = uapi::ARPHRD_ETHER;

    fn net_id() -> &'static PernetId<TunnelNet<Self>> {
        &GRETAP_NET
    }
    fn link_handle() -> &'static LinkHandle<Self> {
        &GRETAP_LINK
    }
    fn fb_cfg() -> Cfg {
        fb_cfg()
    }
    fn ctl_check(p: &mut TunnelParms, cmd: u32) -> core::result::Result<(), TunErr> {
        ctl_check(p, cmd)
    }
    fn ctl_answer(p: &mut TunnelParms) {
        ioctl::ipgre_ctl_post(p)
    }
    fn ctl_changed(dev: &Device<Self>, _p: &TunnelParms, rtnl: &mut Rtnl) -> Result {
        link_update(dev, None, true, rtnl)
    }
}

impl TunnelKind for Erspan {
    const FB_NAME: &'static [u8] = b"erspan0";
    const DEV_TYPE: u16 = uapi::ARPHRD_ETHER;

    fn net_id() -> &'static PernetId<TunnelNet<Self>> {
        &ERSPAN_NET
    }
    fn link_handle() -> &'static LinkHandle<Self> {
        &ERSPAN_LINK
    }
    /// `erspan_setup`: version 1.
    fn fb_cfg() -> Cfg {
        Cfg {
            erspan: ErspanParms::SETUP,
            ..Cfg::default()
        }
    }
    /// erspan has no ioctls (no `ndo_tunnel_ctl`): never called.
    fn ctl_check(_p: &mut TunnelParms, _cmd: u32) -> core::result::Result<(), TunErr> {
        Err(TunErr::Inval)
    }
}

/// `__gre_tunnel_init` (`ndo_init` of both kinds): the GRE header's
/// length from the output flags and the headroom it needs; the
/// configuration to publish.
fn gre_tunnel_init<D: TunnelKind>(dev: &Device<D>, rtnl: &mut Rtnl) -> Cfg {
    let mut cfg = dev.data().cfg_rtnl(rtnl);
    cfg.parms.iph.protocol = uapi::IPPROTO_GRE;
    cfg.parms.iph.version = 4;
    cfg.parms.iph.ihl = 5;
    cfg.set_tun_hlen(gre_calc_hlen(cfg.parms.o_flags) as u32);
    dev.set_needed_headroom(cfg.hlen + 20, rtnl);
    cfg
}

/// The GSO types a GRE header allows: none with sequence numbers, nor
/// with a checksum under FOU/GUE (`__gre_tunnel_init`,
/// `ipgre_link_update`).
fn gre_fix_features<D: TunnelKind>(dev: &Device<D>, features: Features, rtnl: &Rtnl) -> Features {
    let cfg = dev.data().cfg_rtnl(rtnl);
    let o = cfg.parms.o_flags;
    if o.test(IP_TUNNEL_SEQ_BIT) || (o.test(IP_TUNNEL_CSUM_BIT) && cfg.encap.ty != 0) {
        features & !Features::GSO_SOFTWARE
    } else {
        features
    }
}

/// `ipgre_link_update` (after `tunnel::update` took the new flags; from
/// netlink, with `ignore_df`): the GRE header's new length moves the
/// headroom and, with `set_mtu`, the MTU; the GSO types follow the flags.
pub(crate) fn link_update<D: TunnelKind>(
    dev: &Device<D>,
    ignore_df: Option<bool>,
    set_mtu: bool,
    rtnl: &mut Rtnl,
) -> Result {
    let mut cfg = dev.data().cfg_rtnl(rtnl);
    let o_flags = cfg.parms.o_flags;
    if let Some(v) = ignore_df {
        cfg.ignore_df = v;
    }
    let old = cfg.tun_hlen as i32;
    cfg.set_tun_hlen(gre_calc_hlen(o_flags) as u32);
    let len = cfg.tun_hlen as i32 - old;
    dev.data().publish(cfg, rtnl)?;
    // The header grows where the device keeps it: in the hardware header
    // its header operations build, else in the headroom.
    if cfg.header_ops {
        let hh = dev.hard_header_len() as i32 + len;
        dev.set_hard_header_len(hh.clamp(0, u16::MAX.into()) as u16, rtnl);
    } else {
        let headroom = dev.raise_needed_headroom(0) as i32 + len;
        dev.set_needed_headroom(headroom.max(0) as u32, rtnl);
    }
    if set_mtu {
        dev.set_mtu_raw((dev.mtu() as i32 - len).max(68) as u32, rtnl);
    }
    dev.update_features(rtnl);
    Ok(())
}

/// `__gre_xmit` after the kind's checks: the GRE header with the tunnel's
/// output flags, key and next sequence number, then the outer IPv4 header
/// (`ip_tunnel_xmit`) from `tnl`. `proto` is the payload's protocol (host
/// order).
fn gre_xmit<D: TunnelKind>(
    dev: &Device<D>,
    mut skb: SkBuff,
    cfg: &Cfg,
    tnl: &IpHdr,
    proto: u16,
    tx: &XmitContext,
) {
    let o = cfg.parms.o_flags;
    let seq = match o.test(IP_TUNNEL_SEQ_BIT) {
        true => dev.data().o_seqno.fetch_add(1, Ordering::Relaxed).to_be(),
        false => 0,
    };
    skb.gre_build_header(cfg.tun_hlen, o.0, proto, cfg.parms.o_key, seq);
    ip_tunnel_xmit(dev, skb, cfg, tnl, uapi::IPPROTO_GRE, tx);
}

/// `gre_fb_xmit`: an external-mode tunnel's transmit, GRE's flags, key
/// and the outer header from the packet's tunnel key (`act_tunnel_key`,
/// BPF, OVS).
fn gre_fb_xmit<'x, D: TunnelKind>(
    dev: &Device<D>,
    mut skb: SkBuff,
    cfg: &Cfg,
    proto: u16,
    tx: &XmitContext,
) -> TxResult<'x> {
    let Some(key) = skb.md_key() else {
        return tx_dropped(dev, skb);
    };
    let tun_flags = TunFlags(key.flags);
    let tunnel_hlen = gre_calc_hlen(tun_flags) as u32;
    let headroom = dev.raise_needed_headroom(0);
    if !skb.cow_head(headroom) || gre_offloads(&mut skb, cfg).is_err() {
        return tx_dropped(dev, skb);
    }
    let flags = tun_flags.0 & (TunFlags::CSUM.0 | TunFlags::KEY.0 | TunFlags::SEQ.0);
    let seq = match tun_flags.test(IP_TUNNEL_SEQ_BIT) {
        true => dev.data().o_seqno.fetch_add(1, Ordering::Relaxed).to_be(),
        false => 0,
    };
    skb.gre_build_header(tunnel_hlen, flags, proto, key.key, seq);
    ip_md_tunnel_xmit(dev, skb, &key, uapi::IPPROTO_GRE, tunnel_hlen, tx);
    TxResult::Ok
}

/// `ipgre_tap_setup` / `erspan_setup`: an Ethernet device with lockless
/// transmit that keeps the route, `features`, immovable.
fn ether_tunnel_setup<D: TunnelKind>(dev: &mut Setup<'_, D>, features: Features) {
    dev.ether_setup();
    // `max_mtu = 0`: ip_tunnel_change_mtu checks instead.
    dev.set_mtu(uapi::ETH_DATA_LEN, uapi::ETH_MIN_MTU, 0);
    dev.no_tx_skb_sharing();
    dev.live_addr_change();
    dev.set_lltx();
    dev.keep_dst();
    // No address yet: `ip_tunnel_newlink` draws a random one unless the
    // user gave one; the fallback devices keep zeros, as C's.
    dev.set_features(features, features, Features::from_bits(0));
}

/// A packet that cannot be sent (`free_skb` of the transmit functions).
fn tx_dropped<'x, D: TunnelKind>(dev: &Device<D>, skb: SkBuff) -> TxResult<'x> {
    dev.stats_inc(DevStat::TxDropped);
    drop(skb);
    TxResult::Ok
}

/// `gre_handle_offloads`.
fn gre_offloads(skb: &mut SkBuff, cfg: &Cfg) -> Result {
    let gso = match cfg.parms.o_flags.test(IP_TUNNEL_CSUM_BIT) {
        true => TunnelGso::GreCsum,
        false => TunnelGso::Gre,
    };
    skb.tunnel_handle_offloads(gso)
}

#[vtable]
impl Driver for Gre {
    type Data = IpTunnel;

    const INFO: DriverInfo = DriverInfo {
        name: c_str!("rvnet_gre"),
        version: c_str!("1.0"),
    };
    const PCPU_STATS: bool = true;
    // The 4-byte address is the local end, any value (0 for gre0).
    const ETH_ADDR: bool = false;

    fn setup(dev: &mut Setup<'_, Self>) {
        dev.iptunnel_setup(uapi::ARPHRD_IPGRE, 4);
        // Header operations only for NBMA and multicast (`init`).
        dev.clear_header_ops();
        dev.set_features(gre_features(), gre_features(), Features::from_bits(0));
    }

    /// `ipgre_tunnel_init` + `ip_tunnel_init`.
    fn init(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        // `ipgre_netlink_parms`: an external-mode gre carries any
        // protocol, so it has no link-layer type.
        if dev.data().cfg_rtnl(rtnl).collect_md {
            dev.set_type_unregistered(uapi::ARPHRD_NONE, rtnl)?;
        }
        let mut cfg = gre_tunnel_init(dev, rtnl);
        gre_header::init(dev, &mut cfg, rtnl)?;
        dev.data().publish(cfg, rtnl)?;
        tunnel::init(dev, rtnl)
    }

    fn open(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        gre_header::open(dev, rtnl)
    }

    fn stop(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        gre_header::stop(dev, rtnl)
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

    fn fix_features(dev: &Device<Self>, features: Features, rtnl: &mut Rtnl) -> Features {
        gre_fix_features(dev, features, rtnl)
    }

    fn tunnel_ctl(dev: &Device<Self>, cmd: u32, parm: &mut [u8; 52], rtnl: &mut Rtnl) -> Result {
        crate::ip_tunnel::ioctl::tunnel_ctl(dev, cmd, parm, rtnl)
    }

    /// `ipgre_xmit`: the outer header's template is the one the header
    /// operations built (NBMA, multicast), else the tunnel's.
    fn start_xmit<'x>(dev: &Device<Self>, skb: TxSkb<'x>, tx: &XmitContext) -> TxResult<'x> {
        let mut skb = skb.into_skb();
        if !skb.inet_may_pull() {
            return tx_dropped(dev, skb);
        }
        let cfg = dev.data().cfg(tx);
        let proto = skb.protocol();
        if cfg.collect_md {
            return gre_fb_xmit(dev, skb, cfg, proto, tx);
        }
        let tnl = if cfg.header_ops {
            match gre_header::pull_built_header(&mut skb, cfg.hlen) {
                Some(tnl) => tnl,
                None => return tx_dropped(dev, skb),
            }
        } else {
            let headroom = dev.raise_needed_headroom(0);
            if !skb.cow_head(headroom) {
                return tx_dropped(dev, skb);
            }
            cfg.parms.iph
        };
        if gre_offloads(&mut skb, cfg).is_err() {
            return tx_dropped(dev, skb);
        }
        gre_xmit(dev, skb, cfg, &tnl, proto, tx);
        TxResult::Ok
    }
}

#[vtable]
impl Driver for GreTap {
    type Data = IpTunnel;

    const INFO: DriverInfo = DriverInfo {
        name: c_str!("rvnet_gre"),
        version: c_str!("1.0"),
    };
    const PCPU_STATS: bool = true;

    fn setup(dev: &mut Setup<'_, Self>) {
        ether_tunnel_setup(dev, gre_features());
    }

    fn init(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        let cfg = gre_tunnel_init(dev, rtnl);
        dev.data().publish(cfg, rtnl)?;
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

    fn fix_features(dev: &Device<Self>, features: Features, rtnl: &mut Rtnl) -> Features {
        gre_fix_features(dev, features, rtnl)
    }

    fn tunnel_ctl(dev: &Device<Self>, cmd: u32, parm: &mut [u8; 52], rtnl: &mut Rtnl) -> Result {
        crate::ip_tunnel::ioctl::tunnel_ctl(dev, cmd, parm, rtnl)
    }

    /// `gre_tap_xmit`.
    fn start_xmit<'x>(dev: &Device<Self>, skb: TxSkb<'x>, tx: &XmitContext) -> TxResult<'x> {
        let mut skb = skb.into_skb();
        if !skb.inet_may_pull() {
            return tx_dropped(dev, skb);
        }
        let cfg = dev.data().cfg(tx);
        if cfg.collect_md {
            return gre_fb_xmit(dev, skb, cfg, gre::uapi::ETH_P_TEB, tx);
        }
        if gre_offloads(&mut skb, cfg).is_err() {
            return tx_dropped(dev, skb);
        }
        let headroom = dev.raise_needed_headroom(0);
        if !skb.cow_head(headroom) {
            return tx_dropped(dev, skb);
        }
        gre_xmit(dev, skb, cfg, &cfg.parms.iph, gre::uapi::ETH_P_TEB, tx);
        TxResult::Ok
    }
}

/// `erspan_tunnel_init` + `ip_tunnel_init`: a 4-byte GRE header for type
/// I, 8 (with the sequence number) for the others, plus the ERSPAN header.
fn erspan_init(dev: &Device<Erspan>, rtnl: &mut Rtnl) -> Result {
    let mut cfg = dev.data().cfg_rtnl(rtnl);
    cfg.parms.iph.protocol = uapi::IPPROTO_GRE;
    cfg.parms.iph.version = 4;
    cfg.parms.iph.ihl = 5;
    let tun_hlen = cfg.erspan.tun_hlen();
    cfg.set_tun_hlen(tun_hlen + erspan_hdr_len(cfg.erspan.ver) as u32);
    // `tun_hlen` is the GRE header alone (gre_build_header's length).
    cfg.tun_hlen = tun_hlen;
    dev.data().publish(cfg, rtnl)?;
    tunnel::init(dev, rtnl)
}

/// `GRE_FEATURES` (no software GSO: an ERSPAN header cannot be
/// segmented).
fn erspan_features() -> Features {
    Features::SG | Features::FRAGLIST | Features::HIGHDMA | Features::HW_CSUM
}

#[vtable]
impl Driver for Erspan {
    type Data = IpTunnel;

    const INFO: DriverInfo = DriverInfo {
        name: c_str!("rvnet_gre"),
        version: c_str!("1.0"),
    };
    const PCPU_STATS: bool = true;

    fn setup(dev: &mut Setup<'_, Self>) {
        ether_tunnel_setup(dev, erspan_features());
    }

    fn init(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        erspan_init(dev, rtnl)
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

    /// `erspan_xmit`: a frame longer than the MTU is truncated and says
    /// so; the ERSPAN header of the tunnel's version, then GRE with the
    /// sequence number and no key (the key is the ERSPAN session id).
    fn start_xmit<'x>(dev: &Device<Self>, skb: TxSkb<'x>, tx: &XmitContext) -> TxResult<'x> {
        let mut skb = skb.into_skb();
        if !skb.inet_may_pull() {
            return tx_dropped(dev, skb);
        }
        let cfg = dev.data().cfg(tx);
        if cfg.collect_md {
            return erspan_fb_xmit(dev, skb, tx);
        }
        if skb.tunnel_handle_offloads(TunnelGso::Gre).is_err() {
            return tx_dropped(dev, skb);
        }
        let headroom = dev.raise_needed_headroom(0);
        if !skb.cow_head(headroom) {
            return tx_dropped(dev, skb);
        }
        let Ok(truncate) = trim_to_mtu(dev, &mut skb) else {
            return tx_dropped(dev, skb);
        };
        let mut flags = cfg.parms.o_flags;
        let id = u32::from_be(cfg.parms.o_key);
        let e = cfg.erspan;
        let proto = match e.ver {
            0 => {
                flags.assign(IP_TUNNEL_SEQ_BIT, false);
                gre::uapi::ETH_P_ERSPAN
            }
            1 => {
                skb.erspan_build_header(id, e.index, truncate);
                gre::uapi::ETH_P_ERSPAN
            }
            2 => {
                skb.erspan_build_header_v2(id, e.dir, e.hwid, truncate);
                gre::uapi::ETH_P_ERSPAN2
            }
            _ => return tx_dropped(dev, skb),
        };
        flags.assign(IP_TUNNEL_KEY_BIT, false);
        let seq = match flags.test(IP_TUNNEL_SEQ_BIT) {
            true => dev.data().o_seqno.fetch_add(1, Ordering::Relaxed).to_be(),
            false => 0,
        };
        skb.gre_build_header(cfg.tun_hlen, flags.0, proto, cfg.parms.o_key, seq);
        ip_tunnel_xmit(dev, skb, cfg, &cfg.parms.iph, uapi::IPPROTO_GRE, tx);
        TxResult::Ok
    }
}

/// A mirrored frame longer than the MTU (and the Ethernet header) is cut
/// to it: `Ok(true)` when cut, `Err` when it could not be.
fn trim_to_mtu(dev: &Device<Erspan>, skb: &mut SkBuff) -> Result<bool> {
    let max = dev.mtu() + 14;
    if skb.len() <= max {
        return Ok(false);
    }
    skb.trim(max)?;
    Ok(true)
}

/// `erspan_fb_xmit`'s check of a mirrored IP packet's own length: more
/// than the frame holds means it was truncated before it got here.
fn inner_ip_truncated(skb: &SkBuff) -> bool {
    let nhoff = skb.network_offset();
    let (field, off) = match skb.protocol() {
        uapi::ETH_P_IP => (2, nhoff),
        uapi::ETH_P_IPV6 => (4, skb.transport_offset().unwrap_or(nhoff + 40)),
        _ => return false,
    };
    let Ok(at) = usize::try_from(nhoff) else {
        return false;
    };
    match skb.head_data().get(at + field..at + field + 2) {
        Some(b) => ip_truncated(u16::from_be_bytes([b[0], b[1]]), skb.len(), off),
        None => false,
    }
}

/// `erspan_fb_xmit`: an external-mode erspan tunnel's transmit, the
/// session id, ERSPAN version and its fields from the packet's tunnel
/// key and options (`act_tunnel_key ... erspan_opts`), a frame longer
/// than the MTU truncated, GRE with a sequence number, the outer header
/// from the tunnel key.
fn erspan_fb_xmit<'x>(dev: &Device<Erspan>, mut skb: SkBuff, tx: &XmitContext) -> TxResult<'x> {
    let Some(key) = skb.md_key() else {
        return tx_dropped(dev, skb);
    };
    if !TunFlags(key.flags).test(IP_TUNNEL_ERSPAN_OPT_BIT) {
        return tx_dropped(dev, skb);
    }
    let Some(opts) = skb.md_erspan_opts() else {
        return tx_dropped(dev, skb);
    };
    let md = ErspanMd::parse(&opts);
    let headroom = dev.raise_needed_headroom(0);
    if !skb.cow_head(headroom) || skb.tunnel_handle_offloads(TunnelGso::Gre).is_err() {
        return tx_dropped(dev, skb);
    }
    let Ok(mut truncate) = trim_to_mtu(dev, &mut skb) else {
        return tx_dropped(dev, skb);
    };
    truncate |= inner_ip_truncated(&skb);
    let id = u32::from_be(key.key);
    let Some(ver) = md.xmit_version() else {
        return tx_dropped(dev, skb);
    };
    let proto = match ver {
        1 => {
            skb.erspan_build_header(id, md.index, truncate);
            gre::uapi::ETH_P_ERSPAN
        }
        _ => {
            skb.erspan_build_header_v2(id, md.dir, md.hwid, truncate);
            gre::uapi::ETH_P_ERSPAN2
        }
    };
    let seq = dev.data().o_seqno.fetch_add(1, Ordering::Relaxed).to_be();
    skb.gre_build_header(8, TunFlags::SEQ.0, proto, 0, seq);
    ip_md_tunnel_xmit(dev, skb, &key, uapi::IPPROTO_GRE, fb_tunnel_hlen(ver), tx);
    TxResult::Ok
}
