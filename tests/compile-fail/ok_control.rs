// SPDX-License-Identifier: GPL-2.0

//! Positive control of the compile-fail harness: the correct use of every
//! API the failing cases misuse (busy with the call's own skb, reads under
//! RTNL ended before writes, `atomic_drop!`, header operations). It must build, or the harness
//! itself is broken.
//! expect: builds

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

use kernel::prelude::*;
use netdev::prelude::*;

module! {
    type: Control,
    name: "ok_control",
    author: "rvnet developers",
    description: "rvnet compile-fail harness: positive control",
    license: "GPL",
}

struct Control {
    _n: NotifierRegistration<driver::Watch>,
}

impl kernel::Module for Control {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Control {
            _n: NotifierRegistration::new(driver::Watch::new())?,
        })
    }
}

#[deny(unsafe_code)]
pub mod driver {
    use crate::netdev::{
        header_ops::{HardHeader, HeaderOps, MAX_ADDR_LEN},
        notifier::NotifyResult,
        prelude::*,
        rcu::RcuBox,
    };
    use kernel::{c_str, prelude::*};

    /// A transmit path that may answer "busy" with the packet it was given.
    pub struct Cf;

    #[vtable]
    impl Driver for Cf {
        type Data = ();
        const INFO: DriverInfo = DriverInfo {
            name: c_str!("cf"),
            version: c_str!("1"),
        };

        fn setup(dev: &mut Setup<'_, Self>) {
            dev.ether_setup();
        }

        fn init(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
            dev.set_header_ops(rtnl)
        }

        fn start_xmit<'x>(dev: &Device<Self>, skb: TxSkb<'x>, _tx: &XmitContext) -> TxResult<'x> {
            if dev.xmit_stopped(0) {
                return TxResult::Busy(skb);
            }
            skb.into_skb().consume();
            TxResult::Ok
        }
    }

    /// Header operations: one push filled before the next, the parsed
    /// packet only read.
    impl HeaderOps for Cf {
        fn create(
            _dev: &Device<Self>,
            hdr: &mut HardHeader<'_>,
            ty: u16,
            daddr: Option<&[u8]>,
            _saddr: Option<&[u8]>,
            _len: u32,
        ) -> bool {
            let Some(h) = hdr.push(2) else {
                return false;
            };
            h.copy_from_slice(&ty.to_be_bytes());
            let Some(a) = hdr.push(6) else {
                return false;
            };
            if let Some(d) = daddr {
                let n = d.len().min(6);
                a[..n].copy_from_slice(&d[..n]);
            }
            daddr.is_some()
        }

        fn parse(_dev: &Device<Self>, skb: &SkBuff, haddr: &mut [u8; MAX_ADDR_LEN]) -> usize {
            let mac = skb.mac_header_bytes(6).unwrap_or(&[]);
            haddr[..mac.len()].copy_from_slice(mac);
            mac.len()
        }
    }

    crate::atomic_drop! {
        /// Deferred-freeable: only `AtomicDrop` fields.
        pub struct Counter {
            pub n: u32,
        }
    }

    /// Reads under RTNL end before the writes that may free what they saw.
    pub struct Watch {
        last: RcuPtr<Counter>,
    }

    impl Watch {
        pub fn new() -> Self {
            Watch {
                last: RcuPtr::null(),
            }
        }
    }

    impl NetdevNotifier for Watch {
        fn event(&self, _event: NetdevEvent, dev: &NetDevice, rtnl: &mut Rtnl) -> NotifyResult {
            // RcuPtr: read, then publish.
            let n = self.last.get_rtnl(rtnl).map_or(0, |c| c.n);
            if let Ok(b) = RcuBox::new(Counter { n: n + 1 }, GFP_KERNEL) {
                self.last.replace(Some(b), rtnl).defer();
            }
            // in_ifaddr: read, then an MTU change (may destroy the in_device).
            let first = dev
                .in_device_rtnl(rtnl)
                .and_then(|d| d.addrs_rtnl(rtnl).next().map(|a| a.local()));
            if first.is_some_and(|a| a.is_unspecified()) {
                let _ = dev.set_mtu(dev.mtu(), rtnl);
            }
            // A route's device: used inside the RCU section it was read in.
            {
                let rcu = RcuGuard::new();
                let out = crate::netdev::arp::route_output_dev(
                    dev.net(),
                    crate::netdev::inet::Ipv4Addr([192, 0, 2, 1]),
                    &rcu,
                );
                if out.is_some_and(|d| d.mtu() == 0) {
                    let _ = dev.has_ip_here_or_above(Default::default(), &rcu);
                }
                // The uppers' walk: each device used inside its call.
                let mut mtu = 0;
                dev.walk_all_uppers_rcu(&rcu, |upper| {
                    mtu = upper.mtu();
                    upper.is_macvlan()
                });
                if mtu == 1 {
                    let _ = dev.lower_level();
                }
            }
            // Upper devices: collect references, then unlink.
            let mut uppers = KVec::new();
            for up in dev.for_each_upper(rtnl) {
                if uppers.push(up.hold(), GFP_KERNEL).is_err() {
                    break;
                }
            }
            for up in uppers.iter() {
                if up.mtu() == 0 {
                    up.unlink_upper_of(dev, rtnl);
                }
            }
            NotifyResult::Done
        }
    }
}
