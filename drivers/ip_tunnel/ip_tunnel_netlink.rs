// SPDX-License-Identifier: GPL-2.0

//! `IFLA_IPTUN_*`: reading them into the pure `NlIptun` (C's
//! `ip_tunnel_netlink_parms` and `*_netlink_encap_parms` inputs) and
//! writing them back (`ipip_fill_info`, `ipip_get_size`).

use super::tunnel::Cfg;
use crate::iptun::parms::NlIptun;
use crate::netdev::{
    iptunnel::{uapi, TunnelEncap},
    nla::nla_total_size,
    prelude::*,
};
use kernel::{c_str, error::code::*, prelude::*};

pub(crate) fn get<T>(
    data: &Attrs<'_>,
    ty: u32,
    read: impl Fn(&Nla) -> Result<T>,
    extack: &mut ExtAck,
) -> Result<Option<T>> {
    match data.get(ty) {
        None => Ok(None),
        Some(a) => match read(a) {
            Ok(v) => Ok(Some(v)),
            Err(_) => Err(extack.fail_attr(
                Some(a),
                c_str!("tunnel: attribute of the wrong size"),
                EINVAL,
            )),
        },
    }
}

/// The `IFLA_IPTUN_*` attributes of a request, each checked for its size.
pub(crate) fn parse(data: &Attrs<'_>, extack: &mut ExtAck) -> Result<NlIptun> {
    Ok(NlIptun {
        link: get(data, uapi::LINK, |a| a.u32(), extack)?,
        local: get(data, uapi::LOCAL, |a| a.u32(), extack)?,
        remote: get(data, uapi::REMOTE, |a| a.u32(), extack)?,
        ttl: get(data, uapi::TTL, |a| a.u8(), extack)?,
        tos: get(data, uapi::TOS, |a| a.u8(), extack)?,
        pmtudisc: get(data, uapi::PMTUDISC, |a| a.u8(), extack)?,
        flags: get(data, uapi::FLAGS, |a| a.u16(), extack)?,
        proto: get(data, uapi::PROTO, |a| a.u8(), extack)?,
        collect_metadata: data.get(uapi::COLLECT_METADATA).is_some(),
        fwmark: get(data, uapi::FWMARK, |a| a.u32(), extack)?,
    })
}

/// Whether the request has any attribute (C's `data != NULL`: iproute2
/// sends `IFLA_INFO_DATA` whenever it has options).
pub(crate) fn present(data: &Attrs<'_>) -> bool {
    (1..=uapi::MAX as u32).any(|t| data.get(t).is_some())
}

/// The attribute numbers of a kind's encapsulation attributes (type,
/// flags, source port, destination port).
pub(crate) struct EncapAttrs(
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
);

/// `IFLA_IPTUN_ENCAP_*`.
pub(crate) const IPTUN_ENCAP: EncapAttrs = EncapAttrs(
    uapi::ENCAP_TYPE,
    uapi::ENCAP_FLAGS,
    uapi::ENCAP_SPORT,
    uapi::ENCAP_DPORT,
);

/// The encapsulation attributes (`ipip_netlink_encap_parms`,
/// `ipgre_netlink_encap_parms`) numbered as `ids`: `None` when the
/// request has none of them, else the encapsulation they give (absent
/// ones zero), for `ip_tunnel_encap_setup`.
pub(crate) fn parse_encap(
    data: &Attrs<'_>,
    ids: &EncapAttrs,
    extack: &mut ExtAck,
) -> Result<Option<TunnelEncap>> {
    let ty = get(data, ids.0, |a| a.u16(), extack)?;
    let flags = get(data, ids.1, |a| a.u16(), extack)?;
    let sport = get(data, ids.2, |a| a.u16(), extack)?;
    let dport = get(data, ids.3, |a| a.u16(), extack)?;
    if ty.is_none() && flags.is_none() && sport.is_none() && dport.is_none() {
        return Ok(None);
    }
    // The ports are `__be16` attributes: kept as they are in memory.
    Ok(Some(TunnelEncap {
        ty: ty.unwrap_or(0),
        flags: flags.unwrap_or(0),
        sport: sport.unwrap_or(0),
        dport: dport.unwrap_or(0),
    }))
}

/// `ipip_get_size`.
pub(crate) fn iptun_size() -> usize {
    nla_total_size(4) // LINK
        + nla_total_size(4) // LOCAL
        + nla_total_size(4) // REMOTE
        + nla_total_size(1) // TTL
        + nla_total_size(1) // TOS
        + nla_total_size(1) // PROTO
        + nla_total_size(1) // PMTUDISC
        + nla_total_size(2) // ENCAP_TYPE
        + nla_total_size(2) // ENCAP_SPORT
        + nla_total_size(2) // ENCAP_DPORT
        + nla_total_size(2) // ENCAP_FLAGS
        + nla_total_size(0) // COLLECT_METADATA
        + nla_total_size(4) // FWMARK
}

/// `ipip_fill_info`.
pub(crate) fn fill_iptun(cfg: &Cfg, msg: &mut NlMsg) -> Result {
    let p = &cfg.parms;
    msg.put_u32(uapi::LINK, p.link as u32)?;
    msg.put_u32(uapi::LOCAL, p.iph.saddr)?;
    msg.put_u32(uapi::REMOTE, p.iph.daddr)?;
    msg.put_u8(uapi::TTL, p.iph.ttl)?;
    msg.put_u8(uapi::TOS, p.iph.tos)?;
    msg.put_u8(uapi::PROTO, p.iph.protocol)?;
    msg.put_u8(uapi::PMTUDISC, p.iph.df().into())?;
    msg.put_u32(uapi::FWMARK, cfg.fwmark)?;
    msg.put_u16(uapi::ENCAP_TYPE, cfg.encap.ty)?;
    // `__be16` ports, written as they are in memory.
    msg.put_u16(uapi::ENCAP_SPORT, cfg.encap.sport)?;
    msg.put_u16(uapi::ENCAP_DPORT, cfg.encap.dport)?;
    msg.put_u16(uapi::ENCAP_FLAGS, cfg.encap.flags)?;
    if cfg.collect_md {
        msg.put_bytes(uapi::COLLECT_METADATA, &[])?;
    }
    Ok(())
}
