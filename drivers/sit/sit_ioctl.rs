// SPDX-License-Identifier: GPL-2.0

//! sit's ioctls: the tunnel ones (`ip tunnel add/change/del/show`, C's
//! `ipip6_tunnel_ctl`: through `sit0` they address any tunnel of the
//! namespace by its endpoints and link, through a tunnel that tunnel),
//! the potential router list (`ip tunnel prl`: `ipip6_tunnel_get_prl`,
//! `ipip6_tunnel_prl_ctl`) and the 6rd prefix (`ip tunnel 6rd`:
//! `ipip6_tunnel_get6rd`, `ipip6_tunnel_6rdctl`).

use crate::ip_tunnel::tunnel::{Cfg, IpTunnel, Prl};
use crate::iptun::{
    err::TunErr,
    ioctl::{self, ipip6_ctl_validate, IFNAMSIZ, IP_TUNNEL_PARM_LEN},
    parms::TunnelParms,
    sit::{
        ip6rd_from_bytes, ip6rd_to_bytes, ipip6_tunnel_update_6rd, prl_add, prl_del,
        prl_from_bytes, prl_get, prl_to_bytes, PrlAdd, IP_TUNNEL_6RD_LEN, IP_TUNNEL_PRL_LEN,
        PRL_DATALEN_OFF,
    },
};
use crate::netdev::{
    bindings,
    device::flags,
    prelude::*,
    rcu::{Plain, RcuBox},
    sit::{SitCmd, SitUser},
};
use crate::sit_dev::{self, Sit, SIT_LINK, SIT_NET};
use kernel::{alloc::KVec, error::code::*, prelude::*, types::ARef};

fn tun_err(e: TunErr) -> Error {
    Error::from_errno(e.to_errno())
}

/// The device's name as the ioctl block carries it.
fn name_of(dev: &NetDevice) -> [u8; IFNAMSIZ] {
    ioctl::name_strscpy(dev.name().as_bytes())
}

/// `ipip6_tunnel_locate(net, p, 0)` in the device's namespace.
fn locate(dev: &Device<Sit>, p: &TunnelParms, rtnl: &Rtnl) -> Option<ARef<NetDevice>> {
    SIT_NET.get(dev.link_net(), rtnl)?.locate(p, rtnl)
}

/// `ndo_tunnel_ctl` / the tunnel ioctls (`ipip6_tunnel_ctl`).
pub(crate) fn tunnel_ctl(
    dev: &Device<Sit>,
    cmd: u32,
    buf: &mut [u8; IP_TUNNEL_PARM_LEN],
    rtnl: &mut Rtnl,
) -> Result {
    let (mut name, mut p) = ioctl::parse(buf).ok_or(EFAULT)?;
    let net = dev.link_net();
    let fallback = dev.data().fallback;
    match cmd {
        bindings::SIOCGETTUNNEL => {
            let found = if fallback {
                locate(dev, &p, rtnl)
            } else {
                None
            };
            match found.as_deref().and_then(|d| d.downcast::<Sit>()) {
                Some(t) => (p, name) = (t.data().cfg_rtnl(rtnl).parms, name_of(t)),
                None => (p, name) = (dev.data().cfg_rtnl(rtnl).parms, name_of(dev)),
            }
        }
        bindings::SIOCADDTUNNEL => {
            if !net.admin_capable() {
                return Err(EPERM);
            }
            ipip6_ctl_validate(&mut p).map_err(tun_err)?;
            // `ipip6_tunnel_locate(net, p, 1)`: an existing tunnel, a bad
            // name or a failed creation are all `ENOBUFS`.
            if locate(dev, &p, rtnl).is_some() {
                return Err(tun_err(TunErr::NoBufs));
            }
            let t = create(net, &name, &p, rtnl).map_err(|_| tun_err(TunErr::NoBufs))?;
            if name[0] == 0 {
                name = name_of(&t);
            }
        }
        bindings::SIOCCHGTUNNEL => {
            if !net.admin_capable() {
                return Err(EPERM);
            }
            ipip6_ctl_validate(&mut p).map_err(tun_err)?;
            let found = locate(dev, &p, rtnl);
            if fallback {
                // Through sit0 the tunnel must exist; nothing changes.
                found.ok_or(ENOENT)?;
            } else {
                match found {
                    Some(t) if !core::ptr::eq(&*t, dev.net_device()) => return Err(EEXIST),
                    Some(_) => {}
                    None => {
                        let p2p = dev.flags() & flags::IFF_POINTOPOINT != 0;
                        if p2p != (p.iph.daddr != 0) {
                            return Err(EINVAL);
                        }
                    }
                }
                let fwmark = dev.data().cfg_rtnl(rtnl).fwmark;
                sit_dev::update(dev, &p, fwmark, rtnl)?;
            }
        }
        bindings::SIOCDELTUNNEL => {
            if !net.admin_capable() {
                return Err(EPERM);
            }
            let victim = if fallback {
                let t = locate(dev, &p, rtnl).ok_or(ENOENT)?;
                if core::ptr::eq(&*t, dev.net_device()) {
                    return Err(EPERM);
                }
                t
            } else {
                dev.net_device().hold()
            };
            if let Some(t) = victim.downcast::<Sit>() {
                t.delete(rtnl);
            }
        }
        _ => return Err(EINVAL),
    }
    ioctl::write(&p, &name, buf).map_err(|_| EFAULT)
}

/// `ipip6_tunnel_locate`'s creation: named by the caller or `sit%d`,
/// bound, in the table with `sit0`'s 6rd prefix.
fn create(
    net: &Net,
    name: &[u8; IFNAMSIZ],
    p: &TunnelParms,
    rtnl: &mut Rtnl,
) -> Result<ARef<NetDevice>> {
    let len = name.iter().position(|&b| b == 0).unwrap_or(IFNAMSIZ);
    let name: &[u8] = if len != 0 { &name[..len] } else { b"sit%d" };
    let cfg = Cfg {
        parms: *p,
        ..Cfg::default()
    };
    let dev = SIT_LINK.create(net, name, IpTunnel::new(cfg, false)?, rtnl)?;
    if let Some(t) = dev.downcast::<Sit>() {
        let mut cfg = t.data().cfg_rtnl(rtnl);
        cfg.ip6rd = sit_dev::clone_6rd(t, rtnl);
        t.data().publish(cfg, rtnl)?;
        if let Some(sn) = SIT_NET.get(net, rtnl) {
            if let Err(e) = sn.add(t, &cfg.parms, rtnl) {
                t.delete(rtnl);
                return Err(e);
            }
        }
    }
    Ok(dev)
}

/// The PRL and 6rd ioctls.
pub(crate) fn sit_ctl(dev: &Device<Sit>, cmd: SitCmd, user: &SitUser, rtnl: &mut Rtnl) -> Result {
    match cmd {
        SitCmd::GetPrl => get_prl(dev, user, rtnl),
        SitCmd::AddPrl | SitCmd::ChgPrl | SitCmd::DelPrl => prl_ctl(dev, cmd, user, rtnl),
        SitCmd::Get6rd => get_6rd(dev, user, rtnl),
        SitCmd::Add6rd | SitCmd::Chg6rd | SitCmd::Del6rd => ctl_6rd(dev, cmd, user, rtnl),
    }
}

/// `ipip6_tunnel_get_prl`: the entries asked for (all for address 0, as
/// many as `datalen` has room for) after the request block, and the
/// bytes written in its `datalen`. Not on `sit0`.
fn get_prl(dev: &Device<Sit>, user: &SitUser, rtnl: &mut Rtnl) -> Result {
    if dev.data().fallback {
        return Err(EINVAL);
    }
    let (req, datalen) = prl_from_bytes(&user.read::<IP_TUNNEL_PRL_LEN>(0)?);
    let list = dev.data().prl.get_rtnl(rtnl);
    let mut len = 0usize;
    for e in prl_get(
        list.into_iter().flat_map(|l| l.iter().map(|e| &e.0)),
        req.addr,
        datalen,
    ) {
        user.write(IP_TUNNEL_PRL_LEN + len, &prl_to_bytes(e))?;
        len += IP_TUNNEL_PRL_LEN;
    }
    user.write(PRL_DATALEN_OFF, &(len as u32).to_ne_bytes())
}

/// `ipip6_tunnel_prl_ctl`: add, change or delete an entry (delete with
/// address 0 empties the list); the route cache is reset and the change
/// announced whatever the outcome, as C.
fn prl_ctl(dev: &Device<Sit>, cmd: SitCmd, user: &SitUser, rtnl: &mut Rtnl) -> Result {
    if !dev.link_net().admin_capable() {
        return Err(EPERM);
    }
    if dev.data().fallback {
        return Err(EINVAL);
    }
    let (req, _) = prl_from_bytes(&user.read::<IP_TUNNEL_PRL_LEN>(0)?);
    let r = prl_update(dev, cmd, req, rtnl);
    dev.data().dst_cache.reset(rtnl);
    dev.state_change(rtnl);
    r
}

fn prl_update(
    dev: &Device<Sit>,
    cmd: SitCmd,
    req: crate::iptun::sit::PrlEntry,
    rtnl: &mut Rtnl,
) -> Result {
    let old = dev.data().prl.get_rtnl(rtnl);
    let entries = || old.into_iter().flat_map(|l| l.iter().map(|e| &e.0));
    let mut new: Prl = KVec::new();
    match cmd {
        SitCmd::DelPrl => match prl_del(entries(), req.addr).map_err(tun_err)? {
            None => {
                dev.data().prl.replace(None, rtnl).defer();
                return Ok(());
            }
            Some(i) => {
                for (j, e) in entries().enumerate() {
                    if j != i {
                        new.push(Plain(*e), GFP_KERNEL)?;
                    }
                }
            }
        },
        _ => match prl_add(entries(), req.addr, cmd == SitCmd::ChgPrl).map_err(tun_err)? {
            PrlAdd::Insert => {
                new.push(Plain(req), GFP_KERNEL)
                    .map_err(|_| tun_err(TunErr::NoBufs))?;
                for e in entries() {
                    new.push(Plain(*e), GFP_KERNEL)
                        .map_err(|_| tun_err(TunErr::NoBufs))?;
                }
            }
            PrlAdd::Change(i) => {
                for (j, e) in entries().enumerate() {
                    let mut e = *e;
                    if j == i {
                        e.flags = req.flags;
                    }
                    new.push(Plain(e), GFP_KERNEL)?;
                }
            }
        },
    }
    let new = if new.is_empty() {
        None
    } else {
        Some(RcuBox::new(new, GFP_KERNEL)?)
    };
    dev.data().prl.replace(new, rtnl).defer();
    Ok(())
}

/// `ipip6_tunnel_get6rd`: the tunnel's 6rd prefix; through `sit0`, that
/// of the tunnel the block's parameters name (`sit0`'s if none).
fn get_6rd(dev: &Device<Sit>, user: &SitUser, rtnl: &mut Rtnl) -> Result {
    let mut ip6rd = dev.data().cfg_rtnl(rtnl).ip6rd;
    if dev.data().fallback {
        let (_, p) = ioctl::parse(&user.read::<IP_TUNNEL_PARM_LEN>(0)?).ok_or(EFAULT)?;
        if let Some(t) = locate(dev, &p, rtnl) {
            if let Some(t) = t.downcast::<Sit>() {
                ip6rd = t.data().cfg_rtnl(rtnl).ip6rd;
            }
        }
    }
    user.write(0, &ip6rd_to_bytes(&ip6rd))
}

/// `ipip6_tunnel_6rdctl`: a new 6rd prefix (checked), or back to the
/// namespace's default (`SIOCDEL6RD`).
fn ctl_6rd(dev: &Device<Sit>, cmd: SitCmd, user: &SitUser, rtnl: &mut Rtnl) -> Result {
    if !dev.link_net().admin_capable() {
        return Err(EPERM);
    }
    let req = ip6rd_from_bytes(&user.read::<IP_TUNNEL_6RD_LEN>(0)?);
    let ip6rd = if cmd == SitCmd::Del6rd {
        sit_dev::clone_6rd(dev, rtnl)
    } else {
        ipip6_tunnel_update_6rd(&req).map_err(tun_err)?
    };
    sit_dev::set_6rd(dev, ip6rd, rtnl)
}
