// SPDX-License-Identifier: GPL-2.0
//! Issue 12, hole 7: `QdiscKind::init` builds the private data, so it gets
//! a `QdiscCore`, which has no `data()` to read it before it exists.
//! expect: no method named `data` found

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

use netdev::{
    prelude::*,
    qdisc::{Qdisc, QdiscCore, QdiscKind, QdiscLocked, QdiscRegistration},
};

struct Kind;

#[vtable]
impl QdiscKind for Kind {
    type Data = u32;
    type Context = ();

    fn init(q: &QdiscCore<Self>, _extack: &mut ExtAck, _rtnl: &mut Rtnl) -> Result<u32> {
        // Misuse: the data does not exist yet.
        Ok(*q.data() + 1)
    }

    fn enqueue(q: &QdiscLocked<'_, Self>, skb: SkBuff) -> core::result::Result<(), SkBuff> {
        q.queue().push(skb);
        Ok(())
    }

    fn dequeue(q: &QdiscLocked<'_, Self>) -> Option<SkBuff> {
        q.queue().pop()
    }

    fn reset(_q: &QdiscLocked<'_, Self>) {}

    fn destroy(_q: &Qdisc<Self>, _rtnl: &mut Rtnl) {}
}

struct CaseModule(QdiscRegistration<Kind>);

include!("../../tests/compile-fail/common/case_module.rs");
