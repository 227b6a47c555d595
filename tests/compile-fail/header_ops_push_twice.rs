// SPDX-License-Identifier: GPL-2.0
//! A hardware header written through the bytes of an earlier push after
//! a second push: the second may reallocate the skb's head
//! (`pskb_expand_head`), leaving the first slice dangling. A pushed slice
//! borrows the `HardHeader` mutably until its last use.
//! expect: cannot borrow `*hdr` as mutable more than once at a time

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    include!("../../tests/compile-fail/common/fake_driver.rs");

    use super::netdev::{
        header_ops::{HardHeader, HeaderOps, MAX_ADDR_LEN},
        prelude::*,
    };
    use kernel::{c_str, prelude::*};

    fake_driver! {
        Fake, ();

        fn setup(dev: &mut Setup<'_, Self>) {
            dev.ether_setup();
        }

        fn init(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
            dev.set_header_ops(rtnl)
        }
    }

    impl HeaderOps for Fake {
        fn create(
            _dev: &Device<Self>,
            hdr: &mut HardHeader<'_>,
            _ty: u16,
            _daddr: Option<&[u8]>,
            _saddr: Option<&[u8]>,
            _len: u32,
        ) -> bool {
            let Some(first) = hdr.push(4) else {
                return false;
            };
            // Misuse: a second push while `first` is still used.
            let Some(second) = hdr.push(4) else {
                return false;
            };
            first[0] = second[0];
            true
        }

        fn parse(_dev: &Device<Self>, _skb: &SkBuff, _haddr: &mut [u8; MAX_ADDR_LEN]) -> usize {
            0
        }
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
