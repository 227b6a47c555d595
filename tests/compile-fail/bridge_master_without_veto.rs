// SPDX-License-Identifier: GPL-2.0
//! A bridge (`IFF_EBRIDGE`) whose driver does not keep C `bridge.ko` out:
//! C bridge's netdevice notifier casts the private data of every
//! `IFF_EBRIDGE` device to `struct net_bridge` (and replays every device's
//! events when it loads), so `Setup::bridge_master` (and
//! `UpperLink::new_bridge_port`) only compile for a driver whose
//! `KEEP_OUT` is `KeepOut::BRIDGE` (the veto its link kind registers).
//! expect: IFF_EBRIDGE needs KEEP_OUT = Some(KeepOut::BRIDGE)

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    include!("../../tests/compile-fail/common/fake_driver.rs");

    use super::netdev::{
        fdb::{FdbDump, FdbReply, FdbReq},
        prelude::*,
    };
    use kernel::{c_str, prelude::*};

    fake_driver! {
        Fake, ();

        fn setup(dev: &mut Setup<'_, Self>) {
            dev.ether_setup();
            // Misuse: a bridge (with its FDB hooks) but no veto on C bridge.
            dev.bridge_master();
        }

        fn fdb_add(
            _dev: &Device<Self>,
            _req: &FdbReq<'_>,
            _e: &mut ExtAck,
            _r: &mut Rtnl,
        ) -> Result {
            Ok(())
        }

        fn fdb_del(
            _dev: &Device<Self>,
            _req: &FdbReq<'_>,
            _e: &mut ExtAck,
            _r: &mut Rtnl,
        ) -> Result {
            Ok(())
        }

        fn fdb_dump(
            _dev: &Device<Self>,
            _filter: Option<&NetDevice>,
            _dump: &mut FdbDump<'_>,
            _rcu: &RcuGuard,
        ) -> Result {
            Ok(())
        }

        fn fdb_get(
            _dev: &Device<Self>,
            _addr: &[u8; 6],
            _vid: u16,
            _reply: FdbReply,
            _e: &mut ExtAck,
            _rcu: &RcuGuard,
        ) -> Result {
            Ok(())
        }
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
