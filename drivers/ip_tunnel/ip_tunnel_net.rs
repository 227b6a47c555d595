// SPDX-License-Identifier: GPL-2.0

//! A tunnel kind's per-namespace state (C's `struct ip_tunnel_net`): the
//! table of its tunnels (an RCU hash of `IP_TNL_HASH_SIZE` buckets keyed as
//! `ip_bucket`), the fallback device (`ip_tunnel_init_net`), the
//! lookups (`ip_tunnel_lookup` for received packets, `ip_tunnel_find` for
//! configuration) and the namespace's teardown (`ip_tunnel_delete_nets`).

use super::tunnel::{IpTunnel, TunnelKind};
use crate::iptun::{
    addr::Be32,
    flags::TunFlags,
    lookup::{self, ip_bucket, ip_tunnel_hash, Query, TunnelView},
    parms::TunnelParms,
};
use crate::netdev::{
    pernet::PernetData,
    prelude::*,
    rcu::{AtomicDrop, Plain},
    rcu_hash::RcuHash,
};
use core::{
    marker::PhantomData,
    sync::atomic::{AtomicBool, AtomicU32, Ordering},
};
use kernel::{
    alloc::{flags::GFP_ATOMIC, KVec},
    prelude::*,
    types::ARef,
};

/// What the table keeps of a tunnel (a copy of the parameters the lookups
/// match, taken under RTNL when the tunnel enters the table).
#[derive(Clone, Copy)]
pub(crate) struct EntryKey {
    parms: TunnelParms,
    dev_type: u16,
    fallback: bool,
    collect_md: bool,
}

crate::atomic_drop! {
    /// One tunnel in the table.
    pub(crate) struct TunEntry {
        key: Plain<EntryKey>,
        dev: ARef<NetDevice>,
    }
}

impl TunnelView for TunEntry {
    fn saddr(&self) -> Be32 {
        self.key.parms.iph.saddr
    }
    fn daddr(&self) -> Be32 {
        self.key.parms.iph.daddr
    }
    fn i_key(&self) -> Be32 {
        self.key.parms.i_key
    }
    fn i_flags(&self) -> TunFlags {
        self.key.parms.i_flags
    }
    fn link(&self) -> i32 {
        self.key.parms.link
    }
    fn is_up(&self) -> bool {
        self.dev.is_up()
    }
    fn dev_type(&self) -> u16 {
        self.key.dev_type
    }
}

/// What [`TunnelNet::find`] found.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// No tunnel has those parameters.
    None,
    /// The device asking has them.
    Me,
    /// Another tunnel has them.
    Other,
}

/// A tunnel kind's per-namespace state.
pub(crate) struct TunnelNet<D> {
    table: RcuHash<TunEntry>,
    /// The external-mode tunnel (`itn->collect_md_tun`: at most one per
    /// namespace) is in the table too; these say whether there is one and
    /// in which bucket (written under RTNL, read by receive paths).
    md_bucket: AtomicU32,
    has_md: AtomicBool,
    _p: PhantomData<fn() -> D>,
}

impl<D: TunnelKind> TunnelNet<D> {
    /// Enters `dev` with `cfg` into the table (`ip_tunnel_add`).
    pub(crate) fn add(&self, dev: &Device<D>, cfg: &super::tunnel::Cfg, _rtnl: &Rtnl) -> Result {
        let e = TunEntry {
            key: Plain(EntryKey {
                parms: cfg.parms,
                dev_type: D::DEV_TYPE,
                fallback: dev.data().fallback,
                collect_md: cfg.collect_md,
            }),
            dev: dev.net_device().hold(),
        };
        let bucket = ip_bucket(&cfg.parms);
        self.table.lock().insert(bucket, e).map_err(|_| ENOMEM)?;
        if cfg.collect_md {
            self.md_bucket.store(bucket, Ordering::Relaxed);
            self.has_md.store(true, Ordering::Release);
        }
        Ok(())
    }

    /// Takes `dev` out of the table (`ip_tunnel_del`); the entry and its
    /// device reference go after a grace period.
    pub(crate) fn remove(&self, dev: &Device<D>, _rtnl: &Rtnl) {
        let me = dev.net_device();
        let mut md_gone = false;
        self.table.lock().remove_where(|e| {
            let mine = core::ptr::eq(&*e.dev, me);
            md_gone |= mine && e.key.collect_md;
            mine
        });
        if md_gone {
            self.has_md.store(false, Ordering::Release);
        }
    }

    /// `ip_tunnel_find`: whether a tunnel with these parameters
    /// (endpoints, link, type and key) exists, up or not, and whether it is
    /// `me`.
    pub(crate) fn find(
        &self,
        p: &TunnelParms,
        dev_type: u16,
        me: Option<&NetDevice>,
        _rtnl: &Rtnl,
    ) -> Found {
        let guard = RcuGuard::new();
        match lookup::ip_tunnel_find(|h| self.table.iter_hash(h, &guard), p, dev_type) {
            None => Found::None,
            Some(e) if me.is_some_and(|m| core::ptr::eq(&*e.dev, m)) => Found::Me,
            Some(_) => Found::Other,
        }
    }

    /// `ip_tunnel_find`, giving the device (a reference: the caller may
    /// then change or delete it).
    pub(crate) fn find_dev(
        &self,
        p: &TunnelParms,
        dev_type: u16,
        _rtnl: &Rtnl,
    ) -> Option<ARef<NetDevice>> {
        let guard = RcuGuard::new();
        lookup::ip_tunnel_find(|h| self.table.iter_hash(h, &guard), p, dev_type)
            .map(|e| e.dev.clone())
    }

    /// Whether an external-mode (collect_md) tunnel exists.
    pub(crate) fn has_collect_md(&self, _rtnl: &Rtnl) -> bool {
        self.has_md.load(Ordering::Relaxed)
    }

    /// `ip_tunnel_lookup` for a received packet: the tunnel device
    /// (the kind's own) that takes it, or none.
    pub(crate) fn lookup<'a>(&'a self, q: &Query, rcu: &'a RcuGuard) -> Option<&'a Device<D>> {
        let fb = self
            .table
            .iter_hash(ip_tunnel_hash(0, 0), rcu)
            .find(|e| e.key.fallback);
        let md = match self.has_md.load(Ordering::Acquire) {
            true => self
                .table
                .iter_hash(self.md_bucket.load(Ordering::Relaxed), rcu)
                .find(|e| e.key.collect_md),
            false => None,
        };
        let e = lookup::ip_tunnel_lookup(|h| self.table.iter_hash(h, rcu), q, md, fb)?;
        e.dev.downcast::<D>()
    }
}

impl<D: TunnelKind> PernetData for TunnelNet<D> {
    fn id() -> &'static crate::netdev::pernet::PernetId<Self> {
        D::net_id()
    }

    const DEVICE: bool = true;
    const RCU_READERS: bool = true;

    /// `ip_tunnel_init_net`: an empty table and, unless
    /// `fb_tunnels_only_for_init_net` says otherwise, the fallback device,
    /// immovable, in the table like any tunnel.
    fn init(net: &Net, rtnl: &mut Rtnl) -> Result<Self> {
        let tn = TunnelNet {
            table: crate::new_rcu_hash!(crate::iptun::lookup::IP_TNL_HASH_BITS, "rvnet_ip_tunnel")?,
            md_bucket: AtomicU32::new(0),
            has_md: AtomicBool::new(false),
            _p: PhantomData,
        };
        if !net.has_fallback_tunnels() {
            return Ok(tn);
        }
        let cfg = D::fb_cfg();
        let fb = D::link_handle().create(net, D::FB_NAME, IpTunnel::new(cfg, true)?, rtnl)?;
        let Some(dev) = fb.downcast::<D>() else {
            return Err(EINVAL);
        };
        let mtu = super::tunnel::bind_dev(dev, rtnl);
        dev.set_mtu_raw(mtu, rtnl);
        // C's `__ip_tunnel_create` sets limits, but its tunl0 shows
        // `min_mtu 0 max_mtu 0` (ip_tunnel_change_mtu checks anyway).
        dev.set_netns_immutable(rtnl);
        if let Err(e) = tn.add(dev, &cfg, rtnl) {
            dev.unregister_now(rtnl);
            return Err(e);
        }
        Ok(tn)
    }

    /// `ip_tunnel_delete_nets`: every tunnel of the namespace, the
    /// fallback device included (which `ip link del` keeps).
    fn exit(&self, _net: &Net, rtnl: &mut Rtnl) {
        delete_all::<D, _>(&self.table, |e| &e.dev, rtnl);
    }
}

/// A dying namespace's tunnels of kind `D` (C's `ip_tunnel_delete_nets`,
/// `sit_destroy_tunnels`): empties the kind's `table`, whose entries hold
/// their device (`dev`), and deletes every device it held, the fallback
/// one included.
pub(crate) fn delete_all<D: Link, E: AtomicDrop + Send + Sync + 'static>(
    table: &RcuHash<E>,
    dev: impl Fn(&E) -> &ARef<NetDevice>,
    rtnl: &mut Rtnl,
) {
    let mut devs = KVec::new();
    table.lock().remove_where(|e| {
        // On allocation failure the device is left to the core's
        // teardown, whose `dellink` deletes it (`may_delete` lets a
        // dying namespace's fallback go).
        let _ = devs.push(dev(e).clone(), GFP_ATOMIC);
        true
    });
    for d in devs.iter() {
        if let Some(t) = d.downcast::<D>() {
            t.unregister_now(rtnl);
        }
    }
}
