// SPDX-License-Identifier: GPL-2.0
//! Issue 12, hole 4: a `DevWork` cannot be a `static` (it would outlive
//! every device and the module): `DevWork::new` is not `const`.
//! expect: cannot call non-const associated function

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

use kernel::c_str;
use netdev::{
    prelude::*,
    work::{DevWork, DevWorkHandler},
};

struct Drv;

#[vtable]
impl Driver for Drv {
    type Data = DevWork<Drv>;
    const INFO: DriverInfo = DriverInfo {
        name: c_str!("cf"),
        version: c_str!("1"),
    };

    fn setup(dev: &mut Setup<'_, Self>) {
        dev.ether_setup();
    }

    fn start_xmit<'x>(_dev: &Device<Self>, skb: TxSkb<'x>, _tx: &XmitContext) -> TxResult<'x> {
        skb.into_skb().consume();
        TxResult::Ok
    }
}

// Misuse: a work item outside any device.
static WORK: DevWork<Drv> = DevWork::new();

impl DevWorkHandler for Drv {
    fn work(_d: &DevWork<Drv>) -> &DevWork<Self> {
        &WORK
    }

    fn run(_dev: &Device<Self>) {}
}

include!("../../tests/compile-fail/common/case_module.rs");
