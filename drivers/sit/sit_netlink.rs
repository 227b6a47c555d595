// SPDX-License-Identifier: GPL-2.0

//! The `sit` link kind (C's `sit_link_ops`): `ipip6_validate`,
//! `ipip6_newlink`, `ipip6_changelink`, `ipip6_get_size`,
//! `ipip6_fill_info`, `ipip6_dellink`.

use crate::ip_tunnel::{
    netlink,
    tunnel::{Cfg, IpTunnel},
};
use crate::iptun::{
    flags::ip_tunnel_flags_to_be16,
    parms::{ipip6_netlink_parms, ipip6_valid_ip_proto, NlParms},
    sit::{ipip6_netlink_6rd_parms, ipip6_tunnel_update_6rd, Ip6rd, Nl6rd, IP6_MAX_MTU},
    xmit::IPV6_MIN_MTU,
};
use crate::netdev::{device::flags, iptunnel::uapi, nla::nla_total_size, prelude::*};
use crate::sit_dev::{self, Sit, SIT_NET};
use kernel::{c_str, error::code::*, prelude::*};

/// `ipip6_netlink_parms` over the request's attributes.
fn parms(data: &Attrs<'_>, fwmark: u32, extack: &mut ExtAck) -> Result<NlParms> {
    let nl = netlink::parse(data, extack)?;
    let present = netlink::present(data);
    Ok(ipip6_netlink_parms(present.then_some(&nl), fwmark))
}

/// `ipip6_netlink_6rd_parms`: the 6rd attributes, if any.
fn parms_6rd(data: &Attrs<'_>, extack: &mut ExtAck) -> Result<Option<Ip6rd>> {
    let nl = Nl6rd {
        prefix: netlink::get(
            data,
            uapi::PREFIX_6RD,
            |a| {
                a.payload()
                    .get(..16)
                    .and_then(|b| <[u8; 16]>::try_from(b).ok())
                    .ok_or(EINVAL)
            },
            extack,
        )?,
        relay_prefix: netlink::get(data, uapi::RELAY_PREFIX_6RD, |a| a.u32(), extack)?,
        prefixlen: netlink::get(data, uapi::PREFIXLEN_6RD, |a| a.u16(), extack)?,
        relay_prefixlen: netlink::get(data, uapi::RELAY_PREFIXLEN_6RD, |a| a.u16(), extack)?,
    };
    let (p, any) = ipip6_netlink_6rd_parms(Some(&nl));
    Ok(any.then_some(p))
}

/// `ipip6_tunnel_update_6rd`'s checks.
fn check_6rd(p: &Ip6rd) -> Result<Ip6rd> {
    ipip6_tunnel_update_6rd(p).map_err(|e| Error::from_errno(e.to_errno()))
}

#[vtable]
impl Link for Sit {
    const KIND: &'static CStr = c_str!("sit");
    // A moved tunnel keeps its table entry, routes and receive in the
    // namespace it was created in (C's `tunnel->net`).
    const MOVABLE: bool = true;
    const MAX_DATA_ATTR: u16 = uapi::MAX;

    /// `ipip6_validate`: a protocol other than IPv6, IPIP, MPLS or 0
    /// (any) is `EINVAL`, with no message (as C).
    fn validate(_tb: &Attrs<'_>, data: &Attrs<'_>, _extack: &mut ExtAck) -> Result {
        match data.get(uapi::PROTO) {
            Some(a) if !a.u8().is_ok_and(ipip6_valid_ip_proto) => Err(EINVAL),
            _ => Ok(()),
        }
    }

    /// The device's configuration; the 6rd attributes are checked now
    /// and applied once it is registered (C checks them after, and
    /// unregisters it again: the answer is the same).
    fn newlink(req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result<IpTunnel> {
        let mut cfg = Cfg::default();
        if let Some(encap) = netlink::parse_encap(&req.data, &netlink::IPTUN_ENCAP, extack)? {
            cfg.set_encap(encap, 0)?;
        }
        let p = parms(&req.data, 0, extack)?;
        cfg.parms = p.parms;
        cfg.fwmark = p.fwmark;
        if let Some(ip6rd) = parms_6rd(&req.data, extack)? {
            check_6rd(&ip6rd)?;
        }
        IpTunnel::new(cfg, false)
    }

    /// The rest of `ipip6_newlink`: a duplicate is `EEXIST`; the device
    /// enters the table with `sit0`'s 6rd prefix or its own, and the
    /// user's MTU when it is one sit takes.
    fn registered(dev: &Device<Self>, req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result {
        if dev.data().fallback {
            // Set up by the namespace's `init`.
            return Ok(());
        }
        let rtnl = &mut *req.rtnl;
        let cfg = dev.data().cfg_rtnl(rtnl);
        if SIT_NET
            .get(dev.link_net(), rtnl)
            .ok_or(ENODEV)?
            .locate(&cfg.parms, rtnl)
            .is_some()
        {
            return Err(EEXIST);
        }
        let ip6rd = match parms_6rd(&req.data, extack)? {
            Some(p) => check_6rd(&p)?,
            None => sit_dev::clone_6rd(dev, rtnl),
        };
        let mut cfg = cfg;
        cfg.ip6rd = ip6rd;
        dev.data().publish(cfg, rtnl)?;
        SIT_NET
            .get(dev.link_net(), rtnl)
            .ok_or(ENODEV)?
            .add(dev, &cfg.parms, rtnl)?;
        if let Some(mtu) = req.tb.get(flags::IFLA_MTU).and_then(|a| a.u32().ok()) {
            if mtu >= IPV6_MIN_MTU as u32 && mtu <= IP6_MAX_MTU {
                dev.set_mtu_raw(mtu, rtnl);
            }
        }
        Ok(())
    }

    /// `ipip6_changelink`: not on `sit0` (`EINVAL`), nor onto another
    /// tunnel's endpoints (`EEXIST`), nor changing the point-to-point
    /// nature (`EINVAL`).
    fn changelink(
        dev: &Device<Self>,
        _tb: &Attrs<'_>,
        data: &Attrs<'_>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        if dev.data().fallback {
            return Err(EINVAL);
        }
        if let Some(encap) = netlink::parse_encap(data, &netlink::IPTUN_ENCAP, extack)? {
            dev.data().set_encap(encap, 0, rtnl)?;
        }
        let cur = dev.data().cfg_rtnl(rtnl);
        let p = parms(data, cur.fwmark, extack)?;
        let p2p = dev.flags() & flags::IFF_POINTOPOINT != 0;
        if p2p != (p.parms.iph.daddr != 0) {
            return Err(EINVAL);
        }
        let sn = SIT_NET.get(dev.link_net(), rtnl).ok_or(ENODEV)?;
        if let Some(other) = sn.locate(&p.parms, rtnl) {
            if !core::ptr::eq(&*other, dev.net_device()) {
                return Err(EEXIST);
            }
        }
        sit_dev::update(dev, &p.parms, p.fwmark, rtnl)?;
        if let Some(ip6rd) = parms_6rd(data, extack)? {
            let ip6rd = check_6rd(&ip6rd)?;
            sit_dev::set_6rd(dev, ip6rd, rtnl)?;
        }
        Ok(())
    }

    /// `ipip6_get_size`.
    fn info_size(_dev: &Device<Self>) -> usize {
        nla_total_size(4) // LINK
            + nla_total_size(4) // LOCAL
            + nla_total_size(4) // REMOTE
            + nla_total_size(1) // TTL
            + nla_total_size(1) // TOS
            + nla_total_size(1) // PMTUDISC
            + nla_total_size(2) // FLAGS
            + nla_total_size(1) // PROTO
            + nla_total_size(16) // 6RD_PREFIX
            + nla_total_size(4) // 6RD_RELAY_PREFIX
            + nla_total_size(2) // 6RD_PREFIXLEN
            + nla_total_size(2) // 6RD_RELAY_PREFIXLEN
            + nla_total_size(2) // ENCAP_TYPE
            + nla_total_size(2) // ENCAP_FLAGS
            + nla_total_size(2) // ENCAP_SPORT
            + nla_total_size(2) // ENCAP_DPORT
            + nla_total_size(4) // FWMARK
    }

    /// `ipip6_fill_info`.
    fn fill_info(dev: &Device<Self>, msg: &mut NlMsg) -> Result {
        let guard = RcuGuard::new();
        let cfg = *dev.data().cfg(&guard);
        drop(guard);
        let p = &cfg.parms;
        msg.put_u32(uapi::LINK, p.link as u32)?;
        msg.put_u32(uapi::LOCAL, p.iph.saddr)?;
        msg.put_u32(uapi::REMOTE, p.iph.daddr)?;
        msg.put_u8(uapi::TTL, p.iph.ttl)?;
        msg.put_u8(uapi::TOS, p.iph.tos)?;
        msg.put_u8(uapi::PMTUDISC, p.iph.df().into())?;
        msg.put_u8(uapi::PROTO, p.iph.protocol)?;
        // `__be16` flags, written as they are in memory.
        msg.put_u16(uapi::FLAGS, ip_tunnel_flags_to_be16(p.i_flags))?;
        msg.put_u32(uapi::FWMARK, cfg.fwmark)?;
        msg.put_bytes(uapi::PREFIX_6RD, &cfg.ip6rd.prefix)?;
        msg.put_u32(uapi::RELAY_PREFIX_6RD, cfg.ip6rd.relay_prefix)?;
        msg.put_u16(uapi::PREFIXLEN_6RD, cfg.ip6rd.prefixlen)?;
        msg.put_u16(uapi::RELAY_PREFIXLEN_6RD, cfg.ip6rd.relay_prefixlen)?;
        msg.put_u16(uapi::ENCAP_TYPE, cfg.encap.ty)?;
        // `__be16` ports, written as they are in memory.
        msg.put_u16(uapi::ENCAP_SPORT, cfg.encap.sport)?;
        msg.put_u16(uapi::ENCAP_DPORT, cfg.encap.dport)?;
        msg.put_u16(uapi::ENCAP_FLAGS, cfg.encap.flags)?;
        Ok(())
    }

    fn may_delete(dev: &Device<Self>) -> bool {
        // `ipip6_dellink` keeps sit0 (and says nothing); a dying
        // namespace's teardown deletes it.
        !dev.data().fallback || dev.net().is_dying()
    }
}
