// SPDX-License-Identifier: GPL-2.0
//! Issue 12, hole 8: a packet queue exists only in the layer's part of a qdisc
//! instance and is reached only through that qdisc's lock proof: drivers
//! cannot build one (nor share one: it is not `Sync`).
//! expect: associated function `new` is private

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

use netdev::{
    prelude::*,
    qdisc::{Qdisc, QdiscCore, QdiscKind, QdiscLocked, QdiscRegistration, SkbQueue},
};

struct Kind;

#[vtable]
impl QdiscKind for Kind {
    type Data = u32;
    type Context = ();

    fn init(q: &QdiscCore<Self>, _extack: &mut ExtAck, _rtnl: &mut Rtnl) -> Result<u32> {
        let _ = q;
        Ok(0)
    }

    fn enqueue(q: &QdiscLocked<'_, Self>, skb: SkBuff) -> core::result::Result<(), SkBuff> {
        // Misuse: a queue of its own, outside its qdisc's root lock.
        let own: &SkbQueue = &SkbQueue::new();
        own.push(skb);
        let _ = q;
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
