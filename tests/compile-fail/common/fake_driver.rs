// SPDX-License-Identifier: GPL-2.0

// The driver a compile-fail case misuses the layer with (`include!`d
// inside the case's module, before use): `fake_driver!(Name, Data; items)`
// declares `Name`, a driver with private data `Data`, C-visible name
// "fake" and a `start_xmit` that accepts every packet, plus the case's own
// items (its `setup`, hooks and constants, where the misuse is). A macro
// around the whole `impl` (not inside it): `#[vtable]` must see every
// method to set the driver's `HAS_*` constants.

macro_rules! fake_driver {
    ($name:ident, $data:ty; $($items:tt)*) => {
        pub(crate) struct $name;

        #[vtable]
        impl Driver for $name {
            type Data = $data;

            const INFO: DriverInfo = DriverInfo {
                name: c_str!("fake"),
                version: c_str!("0"),
            };

            fn start_xmit<'x>(
                _dev: &Device<Self>,
                _skb: TxSkb<'x>,
                _tx: &XmitContext,
            ) -> TxResult<'x> {
                TxResult::Ok
            }

            $($items)*
        }
    };
}
