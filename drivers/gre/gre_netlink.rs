// SPDX-License-Identifier: GPL-2.0

//! The `gre` and `gretap` link kinds (C's `ipgre_link_ops`,
//! `ipgre_tap_ops`): `ipgre_tunnel_validate`, `ipgre_tap_validate`,
//! `ipgre_newlink`, `ipgre_changelink`, `ipgre_fill_info`,
//! `ipgre_get_size`.

use crate::gre_dev::{link_update, Erspan, Gre, GreTap};
use crate::ip_tunnel::{
    netlink::{get, parse_encap, EncapAttrs},
    tunnel::{self, Cfg, IpTunnel, TunnelKind},
};
use crate::iptun::{
    erspan::{erspan_netlink_parms, erspan_validate, ErspanParms, NlErspan},
    flags::{gre_tnl_flags_to_gre_flags_be16, TunFlags, IP_TUNNEL_KEY_BIT},
    parms::{ipgre_netlink_parms, ipgre_tunnel_validate, GreNlParms, NlGre},
};
use crate::netdev::{device::flags, errno, gre::uapi, nla::nla_total_size, prelude::*};
use kernel::{c_str, error::code::*, prelude::*};

fn tun_err(e: crate::iptun::err::TunErr) -> Error {
    Error::from_errno(e.to_errno())
}

/// The `IFLA_GRE_*` attributes `ipgre_netlink_parms` reads, each checked
/// for its size.
fn parse(data: &Attrs<'_>, extack: &mut ExtAck) -> Result<NlGre> {
    Ok(NlGre {
        link: get(data, uapi::LINK, |a| a.u32(), extack)?,
        iflags: get(data, uapi::IFLAGS, |a| a.u16(), extack)?,
        oflags: get(data, uapi::OFLAGS, |a| a.u16(), extack)?,
        ikey: get(data, uapi::IKEY, |a| a.u32(), extack)?,
        okey: get(data, uapi::OKEY, |a| a.u32(), extack)?,
        local: get(data, uapi::LOCAL, |a| a.u32(), extack)?,
        remote: get(data, uapi::REMOTE, |a| a.u32(), extack)?,
        ttl: get(data, uapi::TTL, |a| a.u8(), extack)?,
        tos: get(data, uapi::TOS, |a| a.u8(), extack)?,
        pmtudisc: get(data, uapi::PMTUDISC, |a| a.u8(), extack)?,
        collect_metadata: data.get(uapi::COLLECT_METADATA).is_some(),
        ignore_df: get(data, uapi::IGNORE_DF, |a| a.u8(), extack)?,
        fwmark: get(data, uapi::FWMARK, |a| a.u32(), extack)?,
        encap_type: get(data, uapi::ENCAP_TYPE, |a| a.u16(), extack)?,
    })
}

/// The `IFLA_GRE_ERSPAN_*` attributes and the GRE ones erspan checks.
fn parse_erspan(data: &Attrs<'_>, extack: &mut ExtAck) -> Result<NlErspan> {
    Ok(NlErspan {
        ver: get(data, uapi::ERSPAN_VER, |a| a.u8(), extack)?,
        index: get(data, uapi::ERSPAN_INDEX, |a| a.u32(), extack)?,
        dir: get(data, uapi::ERSPAN_DIR, |a| a.u8(), extack)?,
        hwid: get(data, uapi::ERSPAN_HWID, |a| a.u16(), extack)?,
        iflags: get(data, uapi::IFLAGS, |a| a.u16(), extack)?,
        oflags: get(data, uapi::OFLAGS, |a| a.u16(), extack)?,
        ikey: get(data, uapi::IKEY, |a| a.u32(), extack)?,
        okey: get(data, uapi::OKEY, |a| a.u32(), extack)?,
        collect_metadata: data.get(uapi::COLLECT_METADATA).is_some(),
    })
}

/// Whether the request has any attribute (C's `data != NULL`).
fn present(data: &Attrs<'_>) -> bool {
    (1..=uapi::MAX as u32).any(|t| data.get(t).is_some())
}

/// `IFLA_GRE_ENCAP_*` (`ipgre_netlink_encap_parms`).
const GRE_ENCAP: EncapAttrs = EncapAttrs(
    uapi::ENCAP_TYPE,
    uapi::ENCAP_FLAGS,
    uapi::ENCAP_SPORT,
    uapi::ENCAP_DPORT,
);

/// `ipgre_tunnel_validate`: `EINVAL`, no message (as C).
fn validate_gre(data: &Attrs<'_>, extack: &mut ExtAck) -> Result {
    let nl = parse(data, extack)?;
    ipgre_tunnel_validate(&nl).map_err(tun_err)
}

/// `ipgre_newlink` for both kinds.
fn newlink(req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result<IpTunnel> {
    let mut cfg = Cfg::default();
    if let Some(encap) = parse_encap(&req.data, &GRE_ENCAP, extack)? {
        cfg.set_encap(encap, 0)?;
    }
    let nl = parse(&req.data, extack)?;
    let p: GreNlParms =
        ipgre_netlink_parms(present(&req.data).then_some(&nl), false, false, 0).map_err(tun_err)?;
    cfg.collect_md = p.collect_md;
    cfg.parms = p.parms;
    cfg.fwmark = p.fwmark;
    cfg.ignore_df = p.ignore_df;
    IpTunnel::new(cfg, false)
}

/// The start of `ipgre_changelink` and `erspan_changelink`: external mode
/// cannot be switched on (`EOPNOTSUPP`), a new encapsulation is taken at
/// once, then GRE's parameters from the request over the current ones
/// (returned with the configuration they were read against).
fn change_parms<D: TunnelKind>(
    dev: &Device<D>,
    data: &Attrs<'_>,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result<(GreNlParms, Cfg)> {
    let cur = dev.data().cfg_rtnl(rtnl);
    if data.get(uapi::COLLECT_METADATA).is_some() && !cur.collect_md {
        return Err(extack.fail(
            c_str!("Enabling collect_md on an existing device is not supported"),
            errno::err(errno::EOPNOTSUPP),
        ));
    }
    if let Some(encap) = parse_encap(data, &GRE_ENCAP, extack)? {
        dev.data().set_encap(encap, cur.tun_hlen, rtnl)?;
    }
    let nl = parse(data, extack)?;
    let p = ipgre_netlink_parms(
        present(data).then_some(&nl),
        cur.collect_md,
        cur.ignore_df,
        cur.fwmark,
    )
    .map_err(tun_err)?;
    Ok((p, cur))
}

/// `ipgre_changelink` for both kinds.
fn changelink<D: TunnelKind>(
    dev: &Device<D>,
    tb: &Attrs<'_>,
    data: &Attrs<'_>,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result {
    let (p, _) = change_parms(dev, data, extack, rtnl)?;
    let user_mtu = tb.get(flags::IFLA_MTU).is_some();
    tunnel::changelink(dev, &p.parms, p.fwmark, user_mtu, true, rtnl)?;
    link_update(dev, Some(p.ignore_df), !user_mtu, rtnl)
}

/// `ipgre_get_size`.
fn info_size() -> usize {
    nla_total_size(4) // LINK
        + nla_total_size(2) // IFLAGS
        + nla_total_size(2) // OFLAGS
        + nla_total_size(4) // IKEY
        + nla_total_size(4) // OKEY
        + nla_total_size(4) // LOCAL
        + nla_total_size(4) // REMOTE
        + nla_total_size(1) // TTL
        + nla_total_size(1) // TOS
        + nla_total_size(1) // PMTUDISC
        + nla_total_size(2) // ENCAP_TYPE
        + nla_total_size(2) // ENCAP_FLAGS
        + nla_total_size(2) // ENCAP_SPORT
        + nla_total_size(2) // ENCAP_DPORT
        + nla_total_size(0) // COLLECT_METADATA
        + nla_total_size(1) // IGNORE_DF
        + nla_total_size(4) // FWMARK
        + nla_total_size(4) // ERSPAN_INDEX
        + nla_total_size(1) // ERSPAN_VER
        + nla_total_size(1) // ERSPAN_DIR
        + nla_total_size(2) // ERSPAN_HWID
}

/// `ipgre_fill_info` (after `erspan_fill_info`'s attributes for an
/// erspan tunnel: version, then index or direction and hardware id).
fn fill_info<D: TunnelKind>(dev: &Device<D>, msg: &mut NlMsg, is_erspan: bool) -> Result {
    let guard = RcuGuard::new();
    let cfg = *dev.data().cfg(&guard);
    drop(guard);
    let e = cfg.erspan;
    if is_erspan && e.ver <= 2 {
        msg.put_u8(uapi::ERSPAN_VER, e.ver)?;
        match e.ver {
            1 => msg.put_u32(uapi::ERSPAN_INDEX, e.index)?,
            2 => {
                msg.put_u8(uapi::ERSPAN_DIR, e.dir)?;
                msg.put_u16(uapi::ERSPAN_HWID, e.hwid)?;
            }
            _ => {}
        }
    }
    let p = &cfg.parms;
    let gre_flags = |f: TunFlags| gre_tnl_flags_to_gre_flags_be16(f);
    // An erspan tunnel sends its session id as the key (and shows it).
    let mut o_flags = p.o_flags;
    if e.ver != 0 && !cfg.collect_md {
        o_flags.assign(IP_TUNNEL_KEY_BIT, true);
    }
    msg.put_u32(uapi::LINK, p.link as u32)?;
    // `__be16` flags and `__be32` keys and addresses, as in memory.
    msg.put_u16(uapi::IFLAGS, gre_flags(p.i_flags))?;
    msg.put_u16(uapi::OFLAGS, gre_flags(o_flags))?;
    msg.put_u32(uapi::IKEY, p.i_key)?;
    msg.put_u32(uapi::OKEY, p.o_key)?;
    msg.put_u32(uapi::LOCAL, p.iph.saddr)?;
    msg.put_u32(uapi::REMOTE, p.iph.daddr)?;
    msg.put_u8(uapi::TTL, p.iph.ttl)?;
    msg.put_u8(uapi::TOS, p.iph.tos)?;
    msg.put_u8(uapi::PMTUDISC, p.iph.df().into())?;
    msg.put_u32(uapi::FWMARK, cfg.fwmark)?;
    msg.put_u16(uapi::ENCAP_TYPE, cfg.encap.ty)?;
    msg.put_u16(uapi::ENCAP_SPORT, cfg.encap.sport)?;
    msg.put_u16(uapi::ENCAP_DPORT, cfg.encap.dport)?;
    msg.put_u16(uapi::ENCAP_FLAGS, cfg.encap.flags)?;
    msg.put_u8(uapi::IGNORE_DF, cfg.ignore_df.into())?;
    if cfg.collect_md {
        msg.put_bytes(uapi::COLLECT_METADATA, &[])?;
    }
    Ok(())
}

/// `ip_tunnel_dellink` keeps the fallback device (and says nothing); a
/// dying namespace's teardown deletes it.
fn may_delete<D: TunnelKind>(dev: &Device<D>) -> bool {
    !dev.data().fallback || dev.net().is_dying()
}

/// `ip_tunnel_newlink` once registered (fallback devices are set up by
/// their namespace's `init`).
fn registered<D: TunnelKind>(dev: &Device<D>, req: &mut NewLink<'_>) -> Result {
    if dev.data().fallback {
        return Ok(());
    }
    let user_mtu = req.tb.get(flags::IFLA_MTU).is_some();
    let user_addr = req.tb.get(flags::IFLA_ADDRESS).is_some();
    tunnel::newlink(dev, user_mtu, user_addr, req.rtnl)
}

#[vtable]
impl Link for Gre {
    const KIND: &'static CStr = c_str!("gre");
    // A moved tunnel keeps its table entry, routes and receive in the
    // namespace it was created in (C's `tunnel->net`).
    const MOVABLE: bool = true;
    const MAX_DATA_ATTR: u16 = uapi::MAX;

    fn validate(_tb: &Attrs<'_>, data: &Attrs<'_>, extack: &mut ExtAck) -> Result {
        validate_gre(data, extack)
    }

    fn newlink(req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result<IpTunnel> {
        newlink(req, extack)
    }

    fn registered(dev: &Device<Self>, req: &mut NewLink<'_>, _extack: &mut ExtAck) -> Result {
        registered(dev, req)
    }

    fn changelink(
        dev: &Device<Self>,
        tb: &Attrs<'_>,
        data: &Attrs<'_>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        changelink(dev, tb, data, extack, rtnl)
    }

    fn info_size(_dev: &Device<Self>) -> usize {
        info_size()
    }

    fn fill_info(dev: &Device<Self>, msg: &mut NlMsg) -> Result {
        fill_info(dev, msg, false)
    }

    fn may_delete(dev: &Device<Self>) -> bool {
        may_delete(dev)
    }
}

#[vtable]
impl Link for GreTap {
    const KIND: &'static CStr = c_str!("gretap");
    // A moved tunnel keeps its table entry, routes and receive in the
    // namespace it was created in (C's `tunnel->net`).
    const MOVABLE: bool = true;
    const MAX_DATA_ATTR: u16 = uapi::MAX;

    /// `ipgre_tap_validate`: an Ethernet `address` (`EINVAL` for a wrong
    /// length, `EADDRNOTAVAIL` for multicast or zero), a remote end that
    /// is not 0 if given (`EINVAL`), then the gre checks; no messages, as
    /// C.
    fn validate(tb: &Attrs<'_>, data: &Attrs<'_>, extack: &mut ExtAck) -> Result {
        if let Some(a) = tb.get(flags::IFLA_ADDRESS) {
            let mac = a.payload();
            if mac.len() != 6 {
                return Err(EINVAL);
            }
            if mac[0] & 1 != 0 || mac.iter().all(|&b| b == 0) {
                return Err(errno::err(errno::EADDRNOTAVAIL));
            }
        }
        if let Some(a) = data.get(uapi::REMOTE) {
            if a.u32().map_or(true, |r| r == 0) {
                return Err(EINVAL);
            }
        }
        validate_gre(data, extack)
    }

    fn newlink(req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result<IpTunnel> {
        newlink(req, extack)
    }

    fn registered(dev: &Device<Self>, req: &mut NewLink<'_>, _extack: &mut ExtAck) -> Result {
        registered(dev, req)
    }

    fn changelink(
        dev: &Device<Self>,
        tb: &Attrs<'_>,
        data: &Attrs<'_>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        changelink(dev, tb, data, extack, rtnl)
    }

    fn info_size(_dev: &Device<Self>) -> usize {
        info_size()
    }

    fn fill_info(dev: &Device<Self>, msg: &mut NlMsg) -> Result {
        fill_info(dev, msg, false)
    }

    fn may_delete(dev: &Device<Self>) -> bool {
        may_delete(dev)
    }
}

/// `erspan_newlink`: GRE's parameters, then erspan's (version 1 unless
/// given), external mode included.
fn erspan_newlink(req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result<IpTunnel> {
    let mut cfg = Cfg::default();
    if let Some(encap) = parse_encap(&req.data, &GRE_ENCAP, extack)? {
        cfg.set_encap(encap, 0)?;
    }
    let nl = parse(&req.data, extack)?;
    let data = present(&req.data).then_some(&nl);
    let p = ipgre_netlink_parms(data, false, false, 0).map_err(tun_err)?;
    let e = match data {
        Some(_) => erspan_netlink_parms(&parse_erspan(&req.data, extack)?, ErspanParms::SETUP)
            .map_err(tun_err)?,
        None => ErspanParms::SETUP,
    };
    cfg.collect_md = p.collect_md;
    cfg.parms = p.parms;
    cfg.fwmark = p.fwmark;
    cfg.ignore_df = p.ignore_df;
    cfg.erspan = e;
    IpTunnel::new(cfg, false)
}

/// `erspan_changelink`: as gre's, with erspan's settings; the flags are
/// taken as they are (no header length change, as C), by the core's
/// update.
fn erspan_changelink(
    dev: &Device<Erspan>,
    tb: &Attrs<'_>,
    data: &Attrs<'_>,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result {
    let (p, cur) = change_parms(dev, data, extack, rtnl)?;
    let e = match present(data) {
        true => erspan_netlink_parms(&parse_erspan(data, extack)?, cur.erspan).map_err(tun_err)?,
        false => cur.erspan,
    };
    let user_mtu = tb.get(flags::IFLA_MTU).is_some();
    tunnel::changelink(dev, &p.parms, p.fwmark, user_mtu, true, rtnl)?;
    let mut cfg = dev.data().cfg_rtnl(rtnl);
    cfg.ignore_df = p.ignore_df;
    cfg.erspan = e;
    dev.data().publish(cfg, rtnl)
}

#[vtable]
impl Link for Erspan {
    const KIND: &'static CStr = c_str!("erspan");
    // A moved tunnel keeps its table entry, routes and receive in the
    // namespace it was created in (C's `tunnel->net`).
    const MOVABLE: bool = true;
    const MAX_DATA_ATTR: u16 = uapi::MAX;

    /// `erspan_validate`: nothing without data; gretap's checks, then
    /// (not for version 0) exactly the key and sequence flags outside
    /// external mode and 10-bit session ids. No messages, as C.
    fn validate(tb: &Attrs<'_>, data: &Attrs<'_>, extack: &mut ExtAck) -> Result {
        if !present(data) {
            return Ok(());
        }
        <GreTap as Link>::validate(tb, data, extack)?;
        erspan_validate(&parse_erspan(data, extack)?).map_err(tun_err)
    }

    fn newlink(req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result<IpTunnel> {
        erspan_newlink(req, extack)
    }

    fn registered(dev: &Device<Self>, req: &mut NewLink<'_>, _extack: &mut ExtAck) -> Result {
        registered(dev, req)
    }

    fn changelink(
        dev: &Device<Self>,
        tb: &Attrs<'_>,
        data: &Attrs<'_>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        erspan_changelink(dev, tb, data, extack, rtnl)
    }

    fn info_size(_dev: &Device<Self>) -> usize {
        info_size()
    }

    fn fill_info(dev: &Device<Self>, msg: &mut NlMsg) -> Result {
        fill_info(dev, msg, true)
    }

    fn may_delete(dev: &Device<Self>) -> bool {
        may_delete(dev)
    }
}
