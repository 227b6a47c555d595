// SPDX-License-Identifier: GPL-2.0
//! Header operations on a device whose driver has none: the table's
//! callbacks would read the device's private data as another driver's.
//! `Device::<D>::set_header_ops` exists only for a `D: HeaderOps`.
//! expect: but its trait bounds were not satisfied

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::prelude::*;
    use kernel::{c_str, prelude::*};

    pub(crate) struct Fake;

    #[vtable]
    impl Driver for Fake {
        type Data = ();

        const INFO: DriverInfo = DriverInfo {
            name: c_str!("fake"),
            version: c_str!("0"),
        };

        fn setup(dev: &mut Setup<'_, Self>) {
            dev.ether_setup();
        }

        fn init(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
            // Misuse: `Fake` implements no `HeaderOps`.
            dev.set_header_ops(rtnl)
        }

        fn start_xmit<'x>(_dev: &Device<Self>, _skb: TxSkb<'x>, _tx: &XmitContext) -> TxResult<'x> {
            TxResult::Ok
        }
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
