// SPDX-License-Identifier: GPL-2.0
//! The lower device whose header operations a master borrows
//! (`LowerHeaders::header_lower`) taken from an RCU section of the
//! driver's own instead of the caller's: it would be used after that
//! section ended, when the lower device may be gone. The answer borrows
//! the caller's guard.
//! expect: cannot return value referencing local variable `g`

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    include!("../../tests/compile-fail/common/fake_driver.rs");

    use super::netdev::{prelude::*, type_change::LowerHeaders};
    use kernel::{c_str, prelude::*, types::ARef};

    pub(crate) struct Lower(pub(crate) RcuPtr<ARef<NetDevice>>);

    fake_driver! {
        Fake, Lower;

        fn setup(dev: &mut Setup<'_, Self>) {
            dev.ether_setup();
        }
    }

    impl LowerHeaders for Fake {
        fn header_lower<'a>(dev: &'a Device<Self>, _rcu: &'a RcuGuard) -> Option<&'a NetDevice> {
            // Misuse: a section of its own, ended on return.
            let g = RcuGuard::new();
            dev.data().0.get(&g).map(|l| &**l)
        }
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
