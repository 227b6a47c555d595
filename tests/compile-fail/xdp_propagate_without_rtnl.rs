// SPDX-License-Identifier: GPL-2.0
//! A lower device's `ndo_bpf` runs under RTNL (`dev_xdp_propagate`
//! asserts it): `NetDevice::xdp_propagate` takes `&mut Rtnl`, so a driver
//! cannot install a program on a slave from a context without RTNL (the
//! data path, a work item that did not take it).
//! expect: this method takes 3 arguments but 2 arguments were supplied

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::{prelude::*, xdp_prog::BpfProg};
    use kernel::prelude::*;

    /// Installs `prog` on `slave` without RTNL.
    pub(crate) fn misuse(slave: &NetDevice, prog: BpfProg) -> Result {
        // Misuse: no RTNL.
        slave.xdp_propagate(Some(prog), None)
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
