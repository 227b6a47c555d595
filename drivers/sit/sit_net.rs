// SPDX-License-Identifier: GPL-2.0

//! sit's per-namespace state (C's `struct sit_net`): its own tunnel
//! table, the four tables of `ipip6_tunnel_lookup` (both endpoints, remote
//! only, local only, the wildcard) as buckets of one RCU hash, the
//! fallback device `sit0` in the wildcard slot (`sit_init_net`), the
//! lookups for received packets (`ipip6_tunnel_lookup`) and for
//! configuration (`ipip6_tunnel_locate`), and the namespace's teardown
//! (`sit_destroy_tunnels`).

use crate::ip_tunnel::{
    net::delete_all,
    tunnel::{Cfg, IpTunnel},
};
use crate::iptun::{
    addr::Be32,
    parms::TunnelParms,
    sit::{ipip6_bucket, ipip6_tunnel_lookup, SitQuery, SitView, IP6_SIT_HASH_SIZE},
};
use crate::netdev::{pernet::PernetData, prelude::*, rcu::Plain, rcu_hash::RcuHash};
use crate::sit_dev::{Sit, SIT_LINK, SIT_NET};
use kernel::{prelude::*, types::ARef};

/// The hash bits of the table: four tables of [`IP6_SIT_HASH_SIZE`]
/// buckets (the wildcard table uses one).
const SIT_TABLE_BITS: u32 = 6;

/// The bucket of table `prio` (0 wildcard, 1 local, 2 remote, 3 both) and
/// hash `h` (C's `sitn->tunnels[prio][h]`).
const fn slot(prio: u32, h: u32) -> u32 {
    prio * IP6_SIT_HASH_SIZE + h
}

/// What the table keeps of a tunnel: the parameters the lookups match,
/// copied under RTNL when it enters the table.
#[derive(Clone, Copy)]
pub(crate) struct SitKey {
    saddr: Be32,
    daddr: Be32,
    link: i32,
    fallback: bool,
}

crate::atomic_drop! {
    /// One tunnel in the table.
    pub(crate) struct SitEntry {
        key: Plain<SitKey>,
        dev: ARef<NetDevice>,
    }
}

impl SitView for SitEntry {
    fn saddr(&self) -> Be32 {
        self.key.saddr
    }
    fn daddr(&self) -> Be32 {
        self.key.daddr
    }
    fn link(&self) -> i32 {
        self.key.link
    }
    fn is_up(&self) -> bool {
        self.dev.is_up()
    }
}

/// sit's per-namespace state.
pub(crate) struct SitNet {
    table: RcuHash<SitEntry>,
}

fn bucket_of(p: &TunnelParms) -> u32 {
    let (prio, h) = ipip6_bucket(p);
    slot(prio, h)
}

impl SitNet {
    /// `ipip6_tunnel_link`: `dev` with parameters `p` at the head of its
    /// bucket.
    pub(crate) fn add(&self, dev: &Device<Sit>, p: &TunnelParms, _rtnl: &Rtnl) -> Result {
        let e = SitEntry {
            key: Plain(SitKey {
                saddr: p.iph.saddr,
                daddr: p.iph.daddr,
                link: p.link,
                fallback: dev.data().fallback,
            }),
            dev: dev.net_device().hold(),
        };
        self.table
            .lock()
            .insert(bucket_of(p), e)
            .map(|_| ())
            .map_err(|_| ENOMEM)
    }

    /// `ipip6_tunnel_unlink`: `dev` leaves the table (the entry goes after
    /// a grace period).
    pub(crate) fn remove(&self, dev: &Device<Sit>, _rtnl: &Rtnl) {
        let me = dev.net_device();
        self.table
            .lock()
            .remove_where(|e| core::ptr::eq(&*e.dev, me));
    }

    /// `ipip6_tunnel_locate(net, p, 0)`: the tunnel with exactly these
    /// endpoints and link, up or not.
    pub(crate) fn locate(&self, p: &TunnelParms, _rtnl: &Rtnl) -> Option<ARef<NetDevice>> {
        let guard = RcuGuard::new();
        self.table
            .iter_hash(bucket_of(p), &guard)
            .find(|e| {
                e.key.saddr == p.iph.saddr && e.key.daddr == p.iph.daddr && e.key.link == p.link
            })
            .map(|e| e.dev.clone())
    }

    /// The fallback device's configuration (`ipip6_tunnel_clone_6rd`
    /// copies its 6rd prefix), if the namespace has one.
    pub(crate) fn fallback_cfg(&self, rtnl: &Rtnl) -> Option<Cfg> {
        let guard = RcuGuard::new();
        let e = self
            .table
            .iter_hash(slot(0, 0), &guard)
            .find(|e| e.key.fallback)?;
        Some(e.dev.downcast::<Sit>()?.data().cfg_rtnl(rtnl))
    }

    /// `ipip6_tunnel_lookup` for a received packet.
    pub(crate) fn lookup<'a>(&'a self, q: &SitQuery, rcu: &'a RcuGuard) -> Option<&'a Device<Sit>> {
        let e = ipip6_tunnel_lookup(|prio, h| self.table.iter_hash(slot(prio, h), rcu), q)?;
        e.dev.downcast::<Sit>()
    }
}

impl PernetData for SitNet {
    fn id() -> &'static crate::netdev::pernet::PernetId<Self> {
        &SIT_NET
    }

    const DEVICE: bool = true;
    const RCU_READERS: bool = true;

    /// `sit_init_net`: an empty table and, unless
    /// `fb_tunnels_only_for_init_net` says otherwise, `sit0`: protocol
    /// IPv6, TTL 64, the 6to4 prefix, immovable, in the wildcard slot.
    fn init(net: &Net, rtnl: &mut Rtnl) -> Result<Self> {
        let sn = SitNet {
            table: crate::new_rcu_hash!(SIT_TABLE_BITS, "rvnet_sit_table")?,
        };
        if !net.has_fallback_tunnels() {
            return Ok(sn);
        }
        let cfg = crate::sit_dev::fb_cfg();
        let fb = SIT_LINK.create(net, b"sit0", IpTunnel::new(cfg, true)?, rtnl)?;
        let Some(dev) = fb.downcast::<Sit>() else {
            return Err(EINVAL);
        };
        dev.set_netns_immutable(rtnl);
        if let Err(e) = sn.add(dev, &cfg.parms, rtnl) {
            dev.unregister_now(rtnl);
            return Err(e);
        }
        Ok(sn)
    }

    /// `sit_destroy_tunnels`: every tunnel of the namespace, `sit0`
    /// included.
    fn exit(&self, _net: &Net, rtnl: &mut Rtnl) {
        delete_all::<Sit, _>(&self.table, |e| &e.dev, rtnl);
    }
}
