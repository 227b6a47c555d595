// SPDX-License-Identifier: GPL-2.0

//! The `ipip` link kind (C's `ipip_link_ops`): `ipip_tunnel_validate`,
//! `ipip_newlink`, `ipip_changelink`, `ipip_fill_info`.

use crate::ip_tunnel::{
    netlink,
    tunnel::{self, Cfg, IpTunnel},
};
use crate::ipip_dev::{proto_ok, Ipip};
use crate::iptun::parms::{ipip_netlink_parms, NlParms};
use crate::netdev::{device::flags, iptunnel::uapi, prelude::*};
use kernel::{c_str, error::code::*, prelude::*};

/// `ipip_netlink_parms` over the request's attributes.
fn parms(data: &Attrs<'_>, fwmark: u32, extack: &mut ExtAck) -> Result<NlParms> {
    let nl = netlink::parse(data, extack)?;
    let present = netlink::present(data);
    Ok(ipip_netlink_parms(present.then_some(&nl), fwmark))
}

#[vtable]
impl Link for Ipip {
    const KIND: &'static CStr = c_str!("ipip");
    // A moved tunnel keeps its table entry, routes and receive in the
    // namespace it was created in (C's `tunnel->net`).
    const MOVABLE: bool = true;
    const MAX_DATA_ATTR: u16 = uapi::MAX;

    /// `ipip_tunnel_validate`: a protocol other than IPIP, MPLS or 0
    /// (any) is `EINVAL`, with no message (as C: the outputs are compared).
    fn validate(_tb: &Attrs<'_>, data: &Attrs<'_>, _extack: &mut ExtAck) -> Result {
        match data.get(uapi::PROTO) {
            Some(a) if !a.u8().is_ok_and(proto_ok) => Err(EINVAL),
            _ => Ok(()),
        }
    }

    fn newlink(req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result<IpTunnel> {
        let mut cfg = Cfg::default();
        if let Some(encap) = netlink::parse_encap(&req.data, &netlink::IPTUN_ENCAP, extack)? {
            cfg.set_encap(encap, 0)?;
        }
        let p = parms(&req.data, 0, extack)?;
        cfg.parms = p.parms;
        cfg.fwmark = p.fwmark;
        cfg.collect_md = p.collect_md;
        IpTunnel::new(cfg, false)
    }

    fn registered(dev: &Device<Self>, req: &mut NewLink<'_>, _extack: &mut ExtAck) -> Result {
        if dev.data().fallback {
            // Set up by the namespace's `init`.
            return Ok(());
        }
        let user_mtu = req.tb.get(flags::IFLA_MTU).is_some();
        tunnel::newlink(dev, user_mtu, true, req.rtnl)
    }

    fn changelink(
        dev: &Device<Self>,
        tb: &Attrs<'_>,
        data: &Attrs<'_>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        if let Some(encap) = netlink::parse_encap(data, &netlink::IPTUN_ENCAP, extack)? {
            dev.data().set_encap(encap, 0, rtnl)?;
        }
        let cur = dev.data().cfg_rtnl(rtnl);
        let p = parms(data, cur.fwmark, extack)?;
        if p.collect_md {
            return Err(EINVAL);
        }
        let p2p = dev.flags() & flags::IFF_POINTOPOINT != 0;
        if p2p != (p.parms.iph.daddr != 0) {
            return Err(EINVAL);
        }
        let user_mtu = tb.get(flags::IFLA_MTU).is_some();
        tunnel::changelink(dev, &p.parms, p.fwmark, user_mtu, false, rtnl)
    }

    fn info_size(_dev: &Device<Self>) -> usize {
        netlink::iptun_size()
    }

    fn fill_info(dev: &Device<Self>, msg: &mut NlMsg) -> Result {
        let guard = RcuGuard::new();
        let cfg = *dev.data().cfg(&guard);
        drop(guard);
        netlink::fill_iptun(&cfg, msg)
    }

    fn may_delete(dev: &Device<Self>) -> bool {
        // `ip_tunnel_dellink` keeps the fallback device (and says nothing);
        // a dying namespace's teardown deletes it.
        !dev.data().fallback || dev.net().is_dying()
    }
}
