// SPDX-License-Identifier: GPL-2.0

//! Hole 1 (issue 12): `TxResult::Busy` with an skb other than the one this
//! `start_xmit` call was given. The core requeues its own pointer, so the
//! driver would have freed the packet the core requeues.
//! expect: expected `TxSkb<'_>`, found `SkBuff`

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

include!("../../tests/compile-fail/common/case_module.rs");

#[deny(unsafe_code)]
pub mod driver {
    use crate::netdev::prelude::*;
    use kernel::{c_str, prelude::*};

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

        fn start_xmit<'x>(_dev: &Device<Self>, skb: TxSkb<'x>, _tx: &XmitContext) -> TxResult<'x> {
            match skb.clone_atomic() {
                Some(copy) => {
                    skb.into_skb().consume();
                    TxResult::Busy(copy)
                }
                None => TxResult::Ok,
            }
        }
    }
}
