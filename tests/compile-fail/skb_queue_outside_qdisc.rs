// SPDX-License-Identifier: GPL-2.0
//! Issue 12, hole 8: a packet queue exists only in the layer's part of a qdisc
//! instance and is reached only through that qdisc's lock proof: drivers
//! cannot build one (nor share one: it is not `Sync`).
//! expect: associated function `new` is private

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

use kernel::prelude::*;
use netdev::{
    prelude::*,
    qdisc::{Qdisc, QdiscCore, QdiscKind, QdiscLocked, QdiscRegistration, SkbQueue},
};

module! {
    type: CaseModule,
    name: "cf_skb_queue_outside_qdisc",
    license: "GPL",
}

struct Kind;

#[vtable]
impl QdiscKind for Kind {
    type Data = u32;
    type Context = ();

    fn init(q: &QdiscCore<Self>, _extack: &mut ExtAck, _rtnl: &Rtnl) -> Result<u32> {
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

    fn destroy(_q: &Qdisc<Self>, _rtnl: &Rtnl) {}
}

struct CaseModule(QdiscRegistration<Kind>);

impl kernel::Module for CaseModule {
    fn init(module: &'static ThisModule) -> Result<Self> {
        Ok(CaseModule(QdiscRegistration::new(b"cfq", (), module)?))
    }
}
