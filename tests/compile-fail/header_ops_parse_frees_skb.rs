// SPDX-License-Identifier: GPL-2.0
//! `header_ops->parse` freeing the packet it reads: the packet is the
//! caller's (a packet socket's receive, the neighbour layer), borrowed
//! for the call; the driver only gets a shared reference to it.
//! expect: cannot move out of `*skb` which is behind a shared reference

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
            hdr.push(4).is_some()
        }

        fn parse(_dev: &Device<Self>, skb: &SkBuff, _haddr: &mut [u8; MAX_ADDR_LEN]) -> usize {
            // Misuse: the caller's packet freed.
            (*skb).consume();
            0
        }
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
