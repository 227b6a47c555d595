// SPDX-License-Identifier: GPL-2.0

// The module around a compile-fail case (`include!`d by each case after
// its `#[path]` include of the layer): no registration, only the case's
// `driver` module is under test.

use kernel::prelude::*;

module! {
    type: Case,
    name: "rvnet_cf_case",
    author: "rvnet developers",
    description: "rvnet compile-fail case",
    license: "GPL",
}

struct Case;

impl kernel::Module for Case {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Case)
    }
}
