// SPDX-License-Identifier: GPL-2.0
//! `ndo_select_queue` keeping the skb it is asked about: the core owns it
//! and queues it after the call; the driver gets a view borrowed for the
//! call, which it cannot move out (nor build: its constructor is the
//! layer's).
//! expect: cannot move out of `*skb` which is behind a mutable reference

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::{prelude::*, txqueue::QueueSkb};
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

        fn select_queue(_dev: &Device<Self>, skb: &mut QueueSkb<'_>) -> u16 {
            // Misuse: the core's skb taken out of the call.
            let kept: QueueSkb<'_> = *skb;
            kept.queue_mapping()
        }

        fn start_xmit<'x>(_dev: &Device<Self>, _skb: TxSkb<'x>, _tx: &XmitContext) -> TxResult<'x> {
            TxResult::Ok
        }
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
