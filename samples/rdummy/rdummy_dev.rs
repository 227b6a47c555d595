// SPDX-License-Identifier: GPL-2.0

//! The rdummy device: set-up, private data and transmit.

use crate::netdev::{
    device::flags,
    prelude::*,
    work::{DevWork, DevWorkHandler},
};
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use kernel::{c_str, prelude::*};

/// The rdummy driver.
pub(crate) struct Rdummy;

/// Per-device private data.
pub(crate) struct RdummyPriv {
    /// User-chosen tag (`IFLA_RDUMMY_TAG`), shown in `/proc/net/rdummy`.
    pub(crate) tag: AtomicU32,
    /// Netdevice events seen for this device (see `rdummy_notify`).
    pub(crate) events: AtomicU32,
    /// Heartbeat period in ms while up (`IFLA_RDUMMY_HEARTBEAT_MS`; 0: off).
    pub(crate) heartbeat_ms: AtomicU32,
    /// Heartbeats so far: a delayed work item ticks while the device is up.
    pub(crate) heartbeats: AtomicU64,
    /// The heartbeat work, cancelled on close and on teardown.
    pub(crate) work: DevWork<Rdummy>,
}

impl RdummyPriv {
    pub(crate) fn new(tag: u32, heartbeat_ms: u32) -> Self {
        RdummyPriv {
            tag: AtomicU32::new(tag),
            events: AtomicU32::new(0),
            heartbeat_ms: AtomicU32::new(heartbeat_ms),
            heartbeats: AtomicU64::new(0),
            work: DevWork::new(),
        }
    }

    pub(crate) fn tag(&self) -> u32 {
        self.tag.load(Ordering::Relaxed)
    }
}

#[vtable]
impl Driver for Rdummy {
    type Data = RdummyPriv;

    const INFO: DriverInfo = DriverInfo {
        name: c_str!("rdummy"),
        version: c_str!("1.0"),
    };
    const PCPU_STATS: bool = true;

    fn setup(dev: &mut Setup<'_, Self>) {
        dev.ether_setup();
        dev.add_flags(flags::IFF_NOARP);
        dev.clear_flags(flags::IFF_MULTICAST);
        dev.live_addr_change();
        dev.no_queue();
        dev.set_lltx();
        dev.set_mtu(1500, 0, 0);
        dev.random_mac();
    }

    fn open(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        let ms = dev.data().heartbeat_ms.load(Ordering::Relaxed);
        if ms != 0 {
            dev.start_work(ms, rtnl);
        }
        Ok(())
    }

    fn stop(dev: &Device<Self>, _rtnl: &mut Rtnl) -> Result {
        dev.data().work.cancel_sync();
        Ok(())
    }

    fn start_xmit<'x>(dev: &Device<Self>, skb: TxSkb<'x>, tx: &XmitContext) -> TxResult<'x> {
        dev.count_tx(1, skb.len(), tx);
        skb.into_skb().consume();
        TxResult::Ok
    }
}

impl DevWorkHandler for Rdummy {
    fn work(d: &RdummyPriv) -> &DevWork<Self> {
        &d.work
    }

    fn run(dev: &Device<Self>) {
        let d = dev.data();
        d.heartbeats.fetch_add(1, Ordering::Relaxed);
        let ms = d.heartbeat_ms.load(Ordering::Relaxed);
        if ms != 0 && dev.is_running() {
            d.work.rearm(ms);
        }
    }
}
