// SPDX-License-Identifier: GPL-2.0

//! A tunnel device: its private data (C's `struct ip_tunnel`), the kind
//! trait each tunnel driver implements, and what C's `ip_tunnel.c` does on
//! the control path: `ip_tunnel_init`/`uninit`, `ip_tunnel_bind_dev`,
//! `ip_tunnel_newlink`/`changelink` (`ip_tunnel_update`) and
//! `ip_tunnel_change_mtu`.

use super::net::{Found, TunnelNet};
use crate::iptun::{
    err::TunErr,
    ioctl::tunnel_nflags,
    parms::{TunnelParms, IFF_POINTOPOINT},
    xmit::{self as pure, BindDev, Tdev},
};
use crate::netdev::{
    bridge::jiffies,
    device::flags,
    iptunnel::{uapi, DstCache, Flow4, GroCells, Route4, TunnelEncap, ERR_TIMEO},
    link::LinkHandle,
    lower::ll_max_header,
    pernet::PernetId,
    prelude::*,
    rcu::{Plain, RcuBox},
};
use core::sync::atomic::{AtomicI32, AtomicU32, AtomicU64, Ordering};
use kernel::{error::code::*, prelude::*};

/// A tunnel's configuration, replaced as a whole under RTNL and read
/// without locks by the data paths (an RCU-published snapshot, where C
/// reads `tunnel->parms` racily).
#[derive(Clone, Copy, Default)]
pub(crate) struct Cfg {
    /// `tunnel->parms`.
    pub(crate) parms: TunnelParms,
    /// `tunnel->fwmark`.
    pub(crate) fwmark: u32,
    /// `tunnel->collect_md` (external mode).
    pub(crate) collect_md: bool,
    /// `tunnel->ignore_df`.
    pub(crate) ignore_df: bool,
    /// `tunnel->hlen`: the tunnel's own header bytes after the outer IPv4
    /// header (`tun_hlen`), plus `encap_hlen`.
    pub(crate) hlen: u32,
    /// `tunnel->tun_hlen`: the tunnel's own header (0 for ipip, GRE's
    /// header with its options).
    pub(crate) tun_hlen: u32,
    /// `tunnel->encap`: FOU/GUE.
    pub(crate) encap: TunnelEncap,
    /// `tunnel->encap_hlen`.
    pub(crate) encap_hlen: u32,
    /// An erspan tunnel's version, index, direction and hardware id (0s
    /// for the other kinds).
    pub(crate) erspan: crate::iptun::erspan::ErspanParms,
    /// A sit tunnel's 6rd prefix (`tunnel->ip6rd`; 0s for the other
    /// kinds).
    pub(crate) ip6rd: crate::iptun::sit::Ip6rd,
    /// A gre device that builds its headers with its header operations
    /// (NBMA or multicast remote: C's `dev->header_ops` tests), fixed at
    /// `ndo_init`.
    pub(crate) header_ops: bool,
}

impl Cfg {
    /// The route lookup towards the remote end as the control path makes
    /// it (`ip_tunnel_bind_dev`: the template's TOS, no flow hash).
    pub(crate) fn route_flow(&self) -> Flow4 {
        let p = &self.parms;
        Flow4 {
            proto: p.iph.protocol,
            daddr: p.iph.daddr,
            saddr: p.iph.saddr,
            key: p.o_key,
            tos: p.iph.tos & crate::iptun::ecn::INET_DSCP_MASK,
            oif: p.link,
            mark: self.fwmark,
            hash: 0,
        }
    }

    /// `ip_tunnel_encap_setup`: takes `encap` if the kernel has a handler
    /// for its type (`EINVAL` otherwise), with the header length it adds;
    /// `tun_hlen` is the tunnel's own header length.
    pub(crate) fn set_encap(&mut self, encap: TunnelEncap, tun_hlen: u32) -> Result {
        let hlen = encap.hlen()?;
        self.encap = encap;
        self.encap_hlen = hlen;
        self.tun_hlen = tun_hlen;
        self.hlen = hlen + tun_hlen;
        Ok(())
    }

    /// A new own header length (GRE's options changed): `hlen` follows.
    pub(crate) fn set_tun_hlen(&mut self, tun_hlen: u32) {
        self.tun_hlen = tun_hlen;
        self.hlen = self.encap_hlen + tun_hlen;
    }
}

/// The private data of every IP tunnel device (C's `struct ip_tunnel`).
pub(crate) struct IpTunnel {
    cfg: RcuCell<Plain<Cfg>>,
    /// `parms.link`, for `ndo_get_iflink` (lock-free, as C's
    /// `READ_ONCE(tunnel->parms.link)`).
    link: AtomicI32,
    /// The namespace's fallback device (`tunl0`): kept by `ip link del`,
    /// not movable, takes unmatched packets.
    pub(crate) fallback: bool,
    /// The route of a tunnel with a fixed remote end.
    pub(crate) dst_cache: DstCache,
    /// Decapsulated packets go up through these.
    pub(crate) gro: GroCells,
    /// ICMP errors about the tunnel's packets still to report as link
    /// failures (`err_count`), and when the last one came (`err_time`,
    /// jiffies): racy counters, as C's.
    err_count: AtomicI32,
    err_time: AtomicU64,
    /// GRE sequence numbers: the next to send (`o_seqno`) and the next
    /// expected (`i_seqno`, 0 before the first), racy as C's.
    pub(crate) o_seqno: AtomicU32,
    pub(crate) i_seqno: AtomicU32,
    /// A sit tunnel's potential router list (`tunnel->prl`), newest
    /// first, replaced as a whole under RTNL and read by the receive path
    /// under RCU; empty for the other kinds.
    pub(crate) prl: RcuPtr<Prl>,
    /// The device a multicast gre tunnel joined its group on while up
    /// (`t->mlink`, 0: none), under RTNL.
    pub(crate) mlink: AtomicI32,
}

/// A sit tunnel's potential router list.
pub(crate) type Prl = kernel::alloc::KVec<Plain<crate::iptun::sit::PrlEntry>>;

impl IpTunnel {
    /// The private data of a new tunnel with `cfg`.
    pub(crate) fn new(cfg: Cfg, fallback: bool) -> Result<Self> {
        Ok(IpTunnel {
            cfg: RcuCell::new(RcuBox::new(Plain(cfg), GFP_KERNEL)?),
            link: AtomicI32::new(cfg.parms.link),
            fallback,
            dst_cache: DstCache::new(),
            gro: GroCells::new(),
            err_count: AtomicI32::new(0),
            err_time: AtomicU64::new(0),
            o_seqno: AtomicU32::new(0),
            i_seqno: AtomicU32::new(0),
            prl: RcuPtr::null(),
            mlink: AtomicI32::new(0),
        })
    }

    /// The configuration, for a data path: read in place (no copy).
    pub(crate) fn cfg<'a>(&'a self, rcu: &'a RcuGuard) -> &'a Cfg {
        &self.cfg.get(rcu).0
    }

    /// The configuration, under RTNL.
    pub(crate) fn cfg_rtnl(&self, rtnl: &Rtnl) -> Cfg {
        self.cfg.get_rtnl(rtnl).0
    }

    /// Publishes a new configuration (the old one is freed after a grace
    /// period).
    pub(crate) fn publish(&self, cfg: Cfg, rtnl: &mut Rtnl) -> Result {
        let new = RcuBox::new(Plain(cfg), GFP_KERNEL)?;
        self.link.store(cfg.parms.link, Ordering::Relaxed);
        self.cfg.replace(new, rtnl).defer();
        Ok(())
    }

    /// An ICMP error about one of the tunnel's packets (`ipip_err`'s tail):
    /// counted while they keep coming within `IPTUNNEL_ERR_TIMEO`.
    pub(crate) fn note_error(&self) {
        let now = jiffies();
        let last = self.err_time.load(Ordering::Relaxed);
        if now.wrapping_sub(last.wrapping_add(ERR_TIMEO)) as i64 >= 0 {
            self.err_count.store(1, Ordering::Relaxed);
        } else {
            self.err_count.fetch_add(1, Ordering::Relaxed);
        }
        self.err_time.store(now, Ordering::Relaxed);
    }

    /// The transmit path's side (`ip_tunnel_xmit`): whether to report a
    /// link failure for this packet, using up one error.
    pub(crate) fn take_error(&self) -> bool {
        let count = self.err_count.load(Ordering::Relaxed);
        let within = (jiffies().wrapping_sub(
            self.err_time
                .load(Ordering::Relaxed)
                .wrapping_add(ERR_TIMEO),
        ) as i64)
            < 0;
        let (next, fail) = pure::err_count_step(count, within);
        if next != count {
            self.err_count.store(next, Ordering::Relaxed);
        }
        fail
    }

    /// `ip_tunnel_encap_setup` on a live tunnel (changelink): the new
    /// encapsulation, published at once as C's.
    pub(crate) fn set_encap(&self, encap: TunnelEncap, tun_hlen: u32, rtnl: &mut Rtnl) -> Result {
        let mut cfg = self.cfg_rtnl(rtnl);
        cfg.set_encap(encap, tun_hlen)?;
        self.publish(cfg, rtnl)
    }

    /// `ndo_get_iflink`.
    pub(crate) fn iflink(&self) -> i32 {
        self.link.load(Ordering::Relaxed)
    }
}

/// What the transmit and receive paths (`ip_tunnel_xmit`,
/// `ip_tunnel_rcv`) need of a tunnel device's kind. Every [`TunnelKind`]
/// is one; sit, which keeps its own table (C's `sit_net`), is one
/// without being a `TunnelKind`.
pub(crate) trait TunnelDev: Link<Data = IpTunnel> {
    /// `dev->type`.
    const DEV_TYPE: u16;
    /// An Ethernet tunnel.
    const IS_ETHER: bool;
}

impl<T: TunnelKind> TunnelDev for T {
    const DEV_TYPE: u16 = <T as TunnelKind>::DEV_TYPE;
    const IS_ETHER: bool = <T as TunnelKind>::IS_ETHER;
}

/// What a tunnel driver tells the core about its kind.
pub(crate) trait TunnelKind: Link<Data = IpTunnel> {
    /// The fallback device's name (`tunl0`).
    const FB_NAME: &'static [u8];
    /// `dev->type` (`ARPHRD_TUNNEL`; `ARPHRD_ETHER`: an Ethernet tunnel,
    /// gretap).
    const DEV_TYPE: u16;
    /// An Ethernet tunnel (C's `dev->type == ARPHRD_ETHER` tests).
    const IS_ETHER: bool = Self::DEV_TYPE == uapi::ARPHRD_ETHER;
    /// The kind's per-namespace data.
    fn net_id() -> &'static PernetId<TunnelNet<Self>>;
    /// The kind's registration, for creating fallback devices.
    fn link_handle() -> &'static LinkHandle<Self>;
    /// The fallback device's configuration (`ip_tunnel_init_net`: zeroed
    /// parameters plus what the kind's `ndo_init` sets).
    fn fb_cfg() -> Cfg;
    /// The kind's own checks of an ioctl's parameters before
    /// `ip_tunnel_ctl` (`ipip_tunnel_ctl`).
    fn ctl_check(p: &mut TunnelParms, cmd: u32) -> core::result::Result<(), TunErr>;
    /// The parameters as the ioctl answers them (`ipgre_tunnel_ctl`'s
    /// flag conversion back to the user's form).
    fn ctl_answer(_p: &mut TunnelParms) {}
    /// After `SIOCCHGTUNNEL` updated `dev` with `p`, flags included (GRE
    /// recomputes its header: `ipgre_link_update`).
    fn ctl_changed(_dev: &Device<Self>, _p: &TunnelParms, _rtnl: &mut Rtnl) -> Result {
        Ok(())
    }
}

/// `ndo_init` (`ipip_tunnel_init` + `ip_tunnel_init`): the device address
/// from the endpoints, the route cache and the GRO cells.
pub(crate) fn init<D: TunnelKind>(dev: &Device<D>, rtnl: &mut Rtnl) -> Result {
    let cfg = dev.data().cfg_rtnl(rtnl);
    if !D::IS_ETHER {
        dev.set_tunnel_addr4(cfg.parms.iph.saddr, cfg.parms.iph.daddr, rtnl);
    }
    dev.data().dst_cache.init(rtnl)?;
    dev.data().gro.init(dev, rtnl)?;
    Ok(())
}

/// `ndo_uninit` (`ip_tunnel_uninit`): out of the namespace's table (and
/// no longer its fallback device), route cache dropped.
pub(crate) fn uninit<D: TunnelKind>(dev: &Device<D>, rtnl: &mut Rtnl) {
    if let Some(tn) = D::net_id().get(dev.link_net(), rtnl) {
        tn.remove(dev, rtnl);
    }
    dev.data().dst_cache.reset(rtnl);
}

/// `ip_tunnel_bind_dev`: guesses the underlay device from a route to the
/// remote end (or `link`), sets `needed_headroom` and `IFF_POINTOPOINT`,
/// and returns the MTU the tunnel should have.
pub(crate) fn bind_dev<D: TunnelKind>(dev: &Device<D>, rtnl: &mut Rtnl) -> u32 {
    let cfg = dev.data().cfg_rtnl(rtnl);
    let p = &cfg.parms;
    let net = dev.link_net();
    let mut tdev = None;
    if p.iph.daddr != 0 {
        if let Ok((rt, _)) = Route4::output(net, &cfg.route_flow()) {
            tdev = Some(tdev_of(rt.dev()));
        }
        if !D::IS_ETHER {
            dev.set_flags_raw(flags::IFF_POINTOPOINT, 0, rtnl);
        }
        dev.data().dst_cache.reset(rtnl);
    }
    if tdev.is_none() && p.link != 0 {
        tdev = NetDevice::get_by_index(net, p.link, rtnl).map(tdev_of);
    }
    let b = pure::ip_tunnel_bind_dev(&BindDev {
        hlen: cfg.hlen as i32,
        tdev,
        is_ether: D::IS_ETHER,
        hard_header_len: ether_hlen::<D>(),
        ll_max_header: ll_max_header().into(),
    });
    dev.set_needed_headroom(b.needed_headroom, rtnl);
    b.mtu as u32
}

fn tdev_of(d: &NetDevice) -> Tdev {
    Tdev {
        hard_header_len: d.lower_hlen().min(u16::MAX.into()) as u16,
        needed_headroom: 0,
        mtu: d.mtu(),
    }
}

/// `dev->hard_header_len` of an Ethernet tunnel (`ETH_HLEN`), 0 else.
pub(crate) const fn ether_hlen<D: TunnelDev>() -> i32 {
    if D::IS_ETHER {
        14
    } else {
        0
    }
}

/// The largest MTU the tunnel takes (`IP_MAX_MTU` less its headers).
pub(crate) fn max_mtu<D: TunnelKind>(cfg: &Cfg) -> i32 {
    pure::ip_tunnel_max_mtu(cfg.hlen as i32, D::IS_ETHER, ether_hlen::<D>())
}

/// `ndo_change_mtu` (`ip_tunnel_change_mtu`, strict): `EINVAL` below 68
/// or above the maximum.
pub(crate) fn change_mtu<D: TunnelKind>(dev: &Device<D>, mtu: u32, rtnl: &mut Rtnl) -> Result {
    let cfg = dev.data().cfg_rtnl(rtnl);
    let new = i32::try_from(mtu).map_err(|_| EINVAL)?;
    pure::ip_tunnel_change_mtu(new, max_mtu::<D>(&cfg), true)
        .map(|_| ())
        .map_err(|e| Error::from_errno(e.to_errno()))
}

/// The rest of `ip_tunnel_newlink` once the device is registered: refuse a
/// duplicate (`EEXIST`), give an Ethernet tunnel without the user's
/// `address` a random one, bind to the underlay, set the MTU (the user's
/// `mtu`, clamped, or the bound one), enter the table.
pub(crate) fn newlink<D: TunnelKind>(
    dev: &Device<D>,
    user_mtu: bool,
    user_addr: bool,
    rtnl: &mut Rtnl,
) -> Result {
    let cfg = dev.data().cfg_rtnl(rtnl);
    let Some(tn) = D::net_id().get(dev.link_net(), rtnl) else {
        return Err(ENODEV);
    };
    if cfg.collect_md {
        if tn.has_collect_md(rtnl) {
            return Err(EEXIST);
        }
    } else if tn.find(&cfg.parms, D::DEV_TYPE, None, rtnl) != Found::None {
        return Err(EEXIST);
    }
    if D::IS_ETHER && !user_addr {
        dev.net_device().random_addr(rtnl);
    }
    let mut mtu = bind_dev(dev, rtnl);
    if user_mtu {
        mtu = dev
            .mtu()
            .clamp(uapi::ETH_MIN_MTU, max_mtu::<D>(&cfg) as u32);
    }
    dev.set_mtu(mtu, rtnl)?;
    let Some(tn) = D::net_id().get(dev.link_net(), rtnl) else {
        return Err(ENODEV);
    };
    tn.add(dev, &cfg, rtnl)
}

/// `ip_tunnel_changelink`: the fallback device refuses (`EINVAL`),
/// another tunnel with the same endpoints too (`EEXIST`), and the
/// point-to-point nature cannot change (`EINVAL`); then [`update`].
pub(crate) fn changelink<D: TunnelKind>(
    dev: &Device<D>,
    p: &TunnelParms,
    fwmark: u32,
    user_mtu: bool,
    take_flags: bool,
    rtnl: &mut Rtnl,
) -> Result {
    if dev.data().fallback {
        return Err(EINVAL);
    }
    let Some(tn) = D::net_id().get(dev.link_net(), rtnl) else {
        return Err(ENODEV);
    };
    match tn.find(p, D::DEV_TYPE, Some(dev.net_device()), rtnl) {
        Found::Other => return Err(EEXIST),
        Found::Me => {}
        Found::None if D::IS_ETHER => {}
        Found::None => p2p_unchanged(dev, p)?,
    }
    update(dev, p, fwmark, !user_mtu, take_flags, rtnl)
}

/// The point-to-point or broadcast nature a new remote end gives must be
/// the device's (`EINVAL`).
pub(crate) fn p2p_unchanged<D: TunnelKind>(dev: &Device<D>, p: &TunnelParms) -> Result {
    let nflags = tunnel_nflags(p.iph.daddr);
    if (dev.flags() ^ nflags) & (IFF_POINTOPOINT | crate::iptun::parms::IFF_BROADCAST) != 0 {
        return Err(EINVAL);
    }
    Ok(())
}

/// `ip_tunnel_update`: new endpoints, keys, TTL, TOS, DF, link and fwmark
/// (not the protocol), with `take_flags` the receive and transmit flags
/// too (C's GRE copies them into the tunnel right after; the table
/// keeps a copy of what lookups match, so they enter it here, once); a
/// new link or fwmark rebinds to the underlay and, with `set_mtu`, takes
/// its MTU.
pub(crate) fn update<D: TunnelKind>(
    dev: &Device<D>,
    p: &TunnelParms,
    fwmark: u32,
    set_mtu: bool,
    take_flags: bool,
    rtnl: &mut Rtnl,
) -> Result {
    let old = dev.data().cfg_rtnl(rtnl);
    let mut cfg = old;
    if take_flags {
        cfg.parms.i_flags = p.i_flags;
        cfg.parms.o_flags = p.o_flags;
    }
    cfg.parms.iph.saddr = p.iph.saddr;
    cfg.parms.iph.daddr = p.iph.daddr;
    cfg.parms.i_key = p.i_key;
    cfg.parms.o_key = p.o_key;
    cfg.parms.iph.ttl = p.iph.ttl;
    cfg.parms.iph.tos = p.iph.tos;
    cfg.parms.iph.frag_off = p.iph.frag_off;
    let rebind = old.parms.link != p.link || old.fwmark != fwmark;
    cfg.parms.link = p.link;
    cfg.fwmark = fwmark;
    // ip_tunnel_del + ip_tunnel_add: the table entry carries the
    // parameters the lookups match.
    dev.data().publish(cfg, rtnl)?;
    if let Some(tn) = D::net_id().get(dev.link_net(), rtnl) {
        tn.remove(dev, rtnl);
    }
    if !D::IS_ETHER {
        dev.set_tunnel_addr4(cfg.parms.iph.saddr, cfg.parms.iph.daddr, rtnl);
    }
    if let Some(tn) = D::net_id().get(dev.link_net(), rtnl) {
        tn.add(dev, &cfg, rtnl)?;
    }
    if rebind {
        let mtu = bind_dev(dev, rtnl);
        if set_mtu {
            dev.set_mtu_raw(mtu, rtnl);
        }
    }
    dev.data().dst_cache.reset(rtnl);
    dev.state_change(rtnl);
    Ok(())
}
