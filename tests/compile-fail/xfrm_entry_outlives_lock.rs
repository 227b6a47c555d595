// SPDX-License-Identifier: GPL-2.0
//! A master's offloaded IPsec states are moved between lower devices
//! (their `xdo_dev_state_add`, delete and free, `xso.real_dev`) only under
//! the list's lock: an entry is borrowed from the `XfrmOffloadsGuard`, so
//! offloading it to a lower device after the guard is dropped, when
//! another task may be moving or freeing the state, does not build.
//! expect: does not live long enough

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::{prelude::*, xfrm::XfrmOffloads};
    use kernel::prelude::*;

    /// Moves the first offloaded state to `lower`.
    pub(crate) fn misuse(list: &XfrmOffloads, lower: &NetDevice) -> Result {
        let mut first = {
            let mut g = list.lock();
            g.entries().next()
        };
        // Misuse: the list's lock is gone.
        if let Some(e) = first.as_mut() {
            e.offload(lower)?;
        }
        Ok(())
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
