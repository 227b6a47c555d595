// SPDX-License-Identifier: GPL-2.0
//! Per-namespace data read under RCU (a tunnel driver's table, from its
//! protocol handler) must be dropped only after a grace period: `get_rcu`
//! is refused at compile time for data that did not declare
//! `RCU_READERS`, whose exit drops it at once.
//! expect: get_rcu needs PernetData::RCU_READERS

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::{
        pernet::{PernetData, PernetId},
        prelude::*,
    };
    use kernel::prelude::*;

    pub(crate) struct Table;

    static ID: PernetId<Table> = PernetId::new();

    impl PernetData for Table {
        fn id() -> &'static PernetId<Self> {
            &ID
        }

        fn init(_net: &Net, _rtnl: &mut Rtnl) -> Result<Self> {
            Ok(Table)
        }
    }

    /// Reads the table from an RCU section.
    pub(crate) fn misuse(net: &Net) -> bool {
        let rcu = RcuGuard::new();
        // Misuse: exit drops `Table` without waiting for this reader.
        ID.get_rcu(net, &rcu).is_some()
    }

    // The assertion is evaluated where `get_rcu` is instantiated: keep
    // `misuse` (otherwise dead code, never instantiated) in the build.
    #[used]
    static KEEP: fn(&Net) -> bool = misuse;
}

include!("../../tests/compile-fail/common/case_module.rs");
