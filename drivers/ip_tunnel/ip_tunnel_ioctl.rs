// SPDX-License-Identifier: GPL-2.0

//! The legacy tunnel ioctls (`ip tunnel add/change/del/show`, C's
//! `ip_tunnel_ctl` after the kind's own checks, e.g. `ipip_tunnel_ctl`):
//! through the fallback device they address any tunnel of the namespace
//! by its parameters, through a tunnel device that tunnel.

use super::tunnel::{self, Cfg, IpTunnel, TunnelKind};
use crate::iptun::{
    ioctl::{self, ip_tunnel_ctl_prepare, IFNAMSIZ},
    parms::TunnelParms,
};
use crate::netdev::{bindings, iptunnel::uapi, prelude::*};
use kernel::{error::code::*, prelude::*, types::ARef};

fn tun_err(e: crate::iptun::err::TunErr) -> Error {
    Error::from_errno(e.to_errno())
}

/// The device's name as the ioctl block carries it.
fn name_of(dev: &NetDevice) -> [u8; IFNAMSIZ] {
    ioctl::name_strscpy(dev.name().as_bytes())
}

/// Writes `p` (in the kind's user form) and `name` back into the caller's
/// block.
fn answer<D: TunnelKind>(p: &TunnelParms, name: &[u8; IFNAMSIZ], buf: &mut [u8; 52]) -> Result {
    let mut p = *p;
    D::ctl_answer(&mut p);
    ioctl::write(&p, name, buf).map_err(|_| EFAULT)
}

/// `ndo_tunnel_ctl` / the tunnel ioctls for a tunnel kind.
pub(crate) fn tunnel_ctl<D: TunnelKind>(
    dev: &Device<D>,
    cmd: u32,
    buf: &mut [u8; 52],
    rtnl: &mut Rtnl,
) -> Result {
    let (name, mut p) = ioctl::parse(buf).ok_or(EFAULT)?;
    D::ctl_check(&mut p, cmd).map_err(tun_err)?;
    let net = dev.link_net();
    match cmd {
        bindings::SIOCGETTUNNEL => {
            let found = match dev.data().fallback {
                true => find(dev, &p, rtnl),
                false => None,
            };
            let (parms, name) = match found.as_deref().and_then(|d| d.downcast::<D>()) {
                Some(t) => (t.data().cfg_rtnl(rtnl).parms, name_of(t)),
                None => (dev.data().cfg_rtnl(rtnl).parms, name_of(dev)),
            };
            answer::<D>(&parms, &name, buf)
        }
        bindings::SIOCADDTUNNEL | bindings::SIOCCHGTUNNEL => {
            if !net.admin_capable() {
                return Err(EPERM);
            }
            ip_tunnel_ctl_prepare(&mut p);
            let found = find(dev, &p, rtnl);
            if cmd == bindings::SIOCADDTUNNEL {
                if found.is_some() {
                    return Err(EEXIST);
                }
                create::<D>(net, &name, &p, rtnl)?;
                return answer::<D>(&p, &name, buf);
            }
            let target: ARef<NetDevice> = match found {
                Some(t) => {
                    if !dev.data().fallback && !core::ptr::eq(&*t, dev.net_device()) {
                        return Err(EEXIST);
                    }
                    t
                }
                None if !dev.data().fallback => {
                    tunnel::p2p_unchanged(dev, &p)?;
                    dev.net_device().hold()
                }
                None => return Err(ENOENT),
            };
            let Some(t) = target.downcast::<D>() else {
                return Err(ENOENT);
            };
            // The kind's checks cleared (ipip) or converted (GRE) the flags.
            tunnel::update(t, &p, 0, true, true, rtnl)?;
            D::ctl_changed(t, &p, rtnl)?;
            answer::<D>(&p, &name, buf)
        }
        bindings::SIOCDELTUNNEL => {
            if !net.admin_capable() {
                return Err(EPERM);
            }
            let victim = if dev.data().fallback {
                let t = find(dev, &p, rtnl).ok_or(ENOENT)?;
                if core::ptr::eq(&*t, dev.net_device()) {
                    return Err(EPERM);
                }
                t
            } else {
                dev.net_device().hold()
            };
            if let Some(t) = victim.downcast::<D>() {
                t.delete(rtnl);
            }
            answer::<D>(&p, &name, buf)
        }
        _ => Err(EINVAL),
    }
}

/// `ip_tunnel_find` in the device's namespace (the kind's type).
fn find<D: TunnelKind>(dev: &Device<D>, p: &TunnelParms, rtnl: &Rtnl) -> Option<ARef<NetDevice>> {
    D::net_id()
        .get(dev.link_net(), rtnl)?
        .find_dev(p, D::DEV_TYPE, rtnl)
}

/// `ip_tunnel_create`: a tunnel made by `SIOCADDTUNNEL`, named by the
/// caller or `KIND%d`, bound, in the table, with the MTU limits C gives
/// these (unlike netlink-made ones).
fn create<D: TunnelKind>(
    net: &Net,
    name: &[u8; IFNAMSIZ],
    p: &TunnelParms,
    rtnl: &mut Rtnl,
) -> Result {
    let len = name.iter().position(|&b| b == 0).unwrap_or(IFNAMSIZ);
    let mut auto = [0u8; IFNAMSIZ];
    let name: &[u8] = if len != 0 {
        &name[..len]
    } else {
        let kind = D::KIND.as_bytes();
        let n = kind.len().min(IFNAMSIZ - 3);
        auto[..n].copy_from_slice(&kind[..n]);
        auto[n..n + 2].copy_from_slice(b"%d");
        &auto[..n + 2]
    };
    let cfg = Cfg {
        parms: *p,
        ..Cfg::default()
    };
    let dev = D::link_handle().create(net, name, IpTunnel::new(cfg, false)?, rtnl)?;
    if let Some(t) = dev.downcast::<D>() {
        // The header length as `ndo_init` made it (GRE's options).
        let cfg = t.data().cfg_rtnl(rtnl);
        t.set_mtu_limits(uapi::ETH_MIN_MTU, tunnel::max_mtu::<D>(&cfg) as u32, rtnl);
    }
    Ok(())
}
