// SPDX-License-Identifier: GPL-2.0
//! A per-namespace `/sys/class/net/` file (bonding's `bonding_masters`)
//! keeps its namespace for its callbacks: only the pernet mechanism makes
//! and drops it (in the namespace's `init`/`exit`). A driver that builds
//! one itself, to keep it elsewhere (past the namespace's exit), is
//! refused: the per-namespace file type is private to the layer.
//! expect: struct `ClassFileNs` is private

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::{
        class_file::{self, ClassFileId, NetClassFile},
        pernet::PernetData,
        prelude::*,
        sysfs::SysfsBuf,
    };
    use kernel::{c_str, prelude::*, str::CStr};

    pub(crate) struct Masters;

    static ID: ClassFileId<Masters> = ClassFileId::new();

    impl NetClassFile for Masters {
        const NAME: &'static CStr = c_str!("masters");

        fn id() -> &'static ClassFileId<Self> {
            &ID
        }

        fn show(_net: &Net, _out: &mut SysfsBuf<'_>, _rcu: &RcuGuard) -> Result {
            Ok(())
        }

        fn store(_net: &Net, _text: &str, _rtnl: &mut Rtnl) -> Result {
            Ok(())
        }
    }

    /// Makes `net`'s file outside the namespace's `init`.
    pub(crate) fn misuse(net: &Net, rtnl: &mut Rtnl) -> bool {
        // Misuse: a file whose lifetime the namespace does not bound.
        class_file::ClassFileNs::<Masters>::init(net, rtnl).is_ok()
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
