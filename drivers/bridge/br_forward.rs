// SPDX-License-Identifier: GPL-2.0

//! Forwarding and flooding (C: br_forward.c `br_forward`, `br_flood`,
//! `maybe_deliver`, `deliver_clone`), and the bridge's own transmit
//! (br_device.c `br_dev_xmit`).

use crate::br_device::{Bridge, BridgeDriver, Port};
use crate::br_fdb;
use crate::brlogic::deliver::{classify, flood_to, should_deliver, PktKind};
use crate::netdev::{bridge::jiffies, prelude::*};
use core::sync::atomic::Ordering;

/// Where a frame comes from: a port (with its isolation) or the bridge.
#[derive(Clone, Copy)]
pub(crate) struct Ingress<'a> {
    pub(crate) port: Option<&'a Port>,
    pub(crate) isolated: bool,
}

impl Ingress<'_> {
    fn allows(&self, to: &Port) -> bool {
        let is_in = self.port.is_some_and(|p| core::ptr::eq(p, to));
        should_deliver(to.flags(), to.state(), is_in, self.isolated)
    }

    fn local_orig(&self) -> bool {
        self.port.is_none()
    }
}

/// `br_forward`: the frame goes out of `to` if it may; with `local_rcv` a
/// clone goes and the frame is handed back for local delivery.
pub(crate) fn forward(
    to: &Port,
    skb: SkBuff,
    from: Ingress<'_>,
    local_rcv: bool,
    rcu: &RcuGuard,
) -> Option<SkBuff> {
    if !from.allows(to) {
        return local_rcv.then_some(skb);
    }
    if local_rcv {
        if let Some(c) = skb.clone_atomic() {
            c.bridge_forward(&to.dev, from.local_orig(), rcu);
        }
        Some(skb)
    } else {
        skb.bridge_forward(&to.dev, from.local_orig(), rcu);
        None
    }
}

/// `br_flood`: a copy to every port that takes floods of this kind; the
/// last one gets the frame itself unless it is also for us (`local_rcv`:
/// handed back).
pub(crate) fn flood(
    b: &Bridge,
    skb: SkBuff,
    kind: PktKind,
    from: Ingress<'_>,
    local_rcv: bool,
    rcu: &RcuGuard,
) -> Option<SkBuff> {
    let mut prev: Option<&Port> = None;
    if let Some(list) = b.ports.get(rcu) {
        for p in list.iter() {
            if !flood_to(kind, p.flags(), from.local_orig()) || !from.allows(p) {
                continue;
            }
            if let Some(q) = prev {
                match skb.clone_atomic() {
                    Some(c) => c.bridge_forward(&q.dev, from.local_orig(), rcu),
                    // C gives up the flood when a clone fails.
                    None => return local_rcv.then_some(skb),
                }
            }
            prev = Some(p);
        }
    }
    match prev {
        None => local_rcv.then_some(skb),
        Some(q) if local_rcv => {
            if let Some(c) = skb.clone_atomic() {
                c.bridge_forward(&q.dev, from.local_orig(), rcu);
            }
            Some(skb)
        }
        Some(q) => {
            skb.bridge_forward(&q.dev, from.local_orig(), rcu);
            None
        }
    }
}

/// `br_dev_xmit`: a frame sent on the bridge device.
pub(crate) fn dev_xmit(dev: &Device<BridgeDriver>, mut skb: SkBuff, tx: &XmitContext) {
    let rcu: &RcuGuard = tx;
    dev.count_tx(1, skb.len(), tx);
    if !skb.pull_eth() {
        skb.drop_reason(DropReason::NotSpecified);
        return;
    }
    let b = dev.data();
    let (dest, _) = skb.eth_addrs();
    let from = Ingress {
        port: None,
        isolated: false,
    };
    let kind = classify(&dest);
    if kind == PktKind::Unicast {
        if let Some(f) = br_fdb::find(b, &dest, rcu) {
            match f.port.as_deref() {
                Some(p) => {
                    let now = jiffies();
                    if f.used.load(Ordering::Relaxed) != now {
                        f.used.store(now, Ordering::Relaxed);
                    }
                    let _ = forward(p, skb, from, false, rcu);
                }
                // C forwards to `dst->dst`, NULL for the bridge's own
                // address: dropped.
                None => skb.drop_reason(DropReason::NotSpecified),
            }
            return;
        }
    }
    let _ = flood(b, skb, kind, from, false, rcu);
}
