// SPDX-License-Identifier: GPL-2.0
//! A device's sysfs group whose callbacks are another driver's: they would
//! read the device's private data as the other driver's type.
//! `Setup::<D>::sysfs_group` only takes a `DevGroup<D>`.
//! expect: mismatched types

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::{
        prelude::*,
        sysfs::{AttrList, DevAttr, DevGroup, SysfsBuf},
    };
    use kernel::{c_str, prelude::*};

    pub(crate) struct Fake;
    pub(crate) struct Other;

    fn show(_dev: &Device<Other>, _out: &mut SysfsBuf<'_>) -> Result {
        Ok(())
    }

    static ATTRS: [DevAttr<Other>; 1] = [DevAttr::ro(c_str!("x"), show)];
    static LIST: AttrList<DevAttr<Other>, 1> = AttrList::<DevAttr<Other>, 1>::new(&ATTRS);
    static GROUP: DevGroup<Other> = DevGroup::new(c_str!("other"), &LIST);

    #[vtable]
    impl Driver for Fake {
        type Data = ();

        const INFO: DriverInfo = DriverInfo {
            name: c_str!("fake"),
            version: c_str!("0"),
        };

        fn setup(dev: &mut Setup<'_, Self>) {
            dev.ether_setup();
            // Misuse: `Other`'s files on a `Fake` device.
            dev.sysfs_group(&GROUP);
        }

        fn start_xmit<'x>(_dev: &Device<Self>, _skb: TxSkb<'x>, _tx: &XmitContext) -> TxResult<'x> {
            TxResult::Ok
        }
    }

    #[vtable]
    impl Driver for Other {
        type Data = u64;

        const INFO: DriverInfo = DriverInfo {
            name: c_str!("other"),
            version: c_str!("0"),
        };

        fn setup(dev: &mut Setup<'_, Self>) {
            dev.ether_setup();
        }

        fn start_xmit<'x>(_dev: &Device<Self>, _skb: TxSkb<'x>, _tx: &XmitContext) -> TxResult<'x> {
            TxResult::Ok
        }
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
