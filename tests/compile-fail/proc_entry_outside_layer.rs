// SPDX-License-Identifier: GPL-2.0
//! Issue 12, hole 3: a device's `/proc/net/DIR/<dev>` file points at the
//! device, so only the layer makes it (at `NETDEV_REGISTER`, in a slot inside
//! the device's private data) and removes it (at `NETDEV_UNREGISTER`, before
//! any private data goes or the device changes namespace). A driver cannot
//! make one whose lifetime it controls, e.g. one kept in a `static`.
//! expect: associated function `add` is private

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::{
        prelude::*,
        proc::{ProcDevEvents, ProcDevShow, ProcDevSlot, ProcNetDir},
    };
    use kernel::{c_str, prelude::*};

    pub(crate) struct Dir;

    impl ProcNetDir for Dir {
        const NAME: &'static CStr = c_str!("fake");
    }

    pub(crate) struct Fake;

    #[vtable]
    impl Driver for Fake {
        type Data = ProcDevSlot;

        const INFO: DriverInfo = DriverInfo {
            name: c_str!("fake"),
            version: c_str!("0"),
        };

        fn setup(dev: &mut Setup<'_, Self>) {
            dev.ether_setup();
        }

        fn start_xmit<'x>(_dev: &Device<Self>, _skb: TxSkb<'x>, _tx: &XmitContext) -> TxResult<'x> {
            TxResult::Ok
        }
    }

    impl ProcDevShow for Fake {
        type Dir = Dir;

        fn proc_slot(data: &ProcDevSlot) -> &ProcDevSlot {
            data
        }

        fn show_dev(_m: &mut SeqFile, _dev: &Device<Self>) -> Result {
            Ok(())
        }
    }

    /// Misuse: a file that outlives every device.
    pub(crate) fn misuse(dev: &Device<Fake>, keep: &'static ProcDevSlot) {
        let _ = ProcDevEvents::<Fake>::add(dev, keep);
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
