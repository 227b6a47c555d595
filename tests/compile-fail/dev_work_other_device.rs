// SPDX-License-Identifier: GPL-2.0
//! Issue 12, hole 4: a `DevWork` is started only through its own device
//! (`Device::start_work` finds it in that device's private data); it has no
//! `start` taking an arbitrary device.
//! expect: no method named `start` found

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

use kernel::c_str;
use netdev::{
    prelude::*,
    work::{DevWork, DevWorkHandler},
};

struct Drv;

struct Priv {
    work: DevWork<Drv>,
}

#[vtable]
impl Driver for Drv {
    type Data = Priv;
    const INFO: DriverInfo = DriverInfo {
        name: c_str!("cf"),
        version: c_str!("1"),
    };

    fn setup(dev: &mut Setup<'_, Self>) {
        dev.ether_setup();
    }

    fn open(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        // Misuse: queue this device's work item for some other device.
        if let Some(other) = NetDevice::get_by_index(dev.net(), 1, rtnl) {
            if let Some(other) = other.downcast::<Drv>() {
                dev.data().work.start(other, 0, rtnl);
            }
        }
        dev.start_work(0, rtnl);
        Ok(())
    }

    fn start_xmit<'x>(_dev: &Device<Self>, skb: TxSkb<'x>, _tx: &XmitContext) -> TxResult<'x> {
        skb.into_skb().consume();
        TxResult::Ok
    }
}

impl DevWorkHandler for Drv {
    fn work(d: &Priv) -> &DevWork<Self> {
        &d.work
    }

    fn run(_dev: &Device<Self>) {}
}

struct CaseModule(Priv);

include!("../../tests/compile-fail/common/case_module.rs");
