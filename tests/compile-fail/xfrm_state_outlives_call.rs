// SPDX-License-Identifier: GPL-2.0
//! An `xfrm_state` is the xfrm core's, handed to the master's
//! `xfrmdev_ops` for one call: the `&XfrmState` a callback gets is
//! bounded by it, so keeping it in the driver's data (to use on a later
//! failover, after the core may have freed the state) does not build; the
//! layer's list keeps the offloaded states instead, until their free.
//! expect: lifetime may not live long enough

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::xfrm::{XfrmAdd, XfrmState};

    /// The driver's own record of its states.
    pub(crate) struct Kept {
        pub(crate) last: Option<&'static XfrmState>,
    }

    /// As `XfrmOffload::add` would.
    pub(crate) fn add(kept: &mut Kept, req: XfrmAdd<'_>) {
        // Misuse: the state outlives the call.
        kept.last = Some(req.state());
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
