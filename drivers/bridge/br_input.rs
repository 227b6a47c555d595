// SPDX-License-Identifier: GPL-2.0

//! The ports' rx_handler (C: br_input.c `br_handle_frame`,
//! `br_handle_frame_finish`, `br_pass_frame_up`) for a bridge without STP,
//! VLAN filtering or multicast snooping.

use crate::br_device::{BridgeDriver, Port};
use crate::br_fdb;
use crate::br_forward::{flood, forward, Ingress};
use crate::brlogic::{
    deliver::{classify, is_link_local, link_local, valid_source, LinkLocal, PktKind},
    flags::{self as pflags, PortState},
};
use crate::netdev::{
    bridge::jiffies,
    device::flags,
    prelude::*,
    rx_handler::{PktType, RxContext, RxHandler, RxResult},
};
use core::sync::atomic::Ordering;

fn drop_frame<'a>(skb: SkBuff) -> RxResult<'a> {
    skb.drop_reason(DropReason::NotSpecified);
    RxResult::Consumed
}

impl RxHandler for Port {
    fn handle<'a>(&'a self, skb: SkBuff, rx: &'a RxContext) -> RxResult<'a> {
        let rcu: &RcuGuard = rx;
        let Some(brdev) = self.br.downcast::<BridgeDriver>() else {
            return RxResult::Pass(skb);
        };
        let b = brdev.data();
        // Looped-back frames pass (`PACKET_LOOPBACK`).
        if skb.pkt_type() == PktType::Other {
            return RxResult::Pass(skb);
        }
        let mut skb = skb;
        let (dest, src) = skb.eth_addrs();
        if !valid_source(&src) {
            return drop_frame(skb);
        }
        let pf = self.flags();
        let state = self.state();
        if is_link_local(&dest) {
            let verdict = link_local(
                dest[5],
                b.group_fwd_mask.load(Ordering::Relaxed),
                0,
                self.group_fwd_mask.load(Ordering::Relaxed),
                false,
            );
            match verdict {
                LinkLocal::Drop => return drop_frame(skb),
                LinkLocal::Local => {
                    // `__br_handle_local_finish`: learn, then the frame
                    // is the port device's own.
                    if pf & pflags::LEARNING != 0
                        && state.learns()
                        && !b.no_ll_learn.load(Ordering::Relaxed)
                    {
                        br_fdb::learn(brdev, self, &src, rcu);
                    }
                    return RxResult::Pass(skb);
                }
                LinkLocal::Forward => {}
            }
        }
        if !state.learns() {
            return drop_frame(skb);
        }
        if brdev.mac() == Some(dest) {
            skb.set_pkt_host();
        }

        // `br_handle_frame_finish`.
        if pf & pflags::PORT_LOCKED != 0 {
            match br_fdb::find(b, &src, rcu) {
                Some(f)
                    if !f.is_local()
                        && f.port.as_deref().is_some_and(|q| core::ptr::eq(q, self)) => {}
                _ => return drop_frame(skb),
            }
        }
        if pf & pflags::LEARNING != 0 {
            br_fdb::learn(brdev, self, &src, rcu);
        }
        let promisc = brdev.flags() & flags::IFF_PROMISC != 0;
        let kind = classify(&dest);
        // Without multicast snooping every multicast frame is also ours.
        let local_rcv = promisc || kind != PktKind::Unicast;
        if state == PortState::Learning {
            return drop_frame(skb);
        }
        let from = Ingress {
            port: Some(self),
            isolated: pf & pflags::ISOLATED != 0,
        };
        let rest = if kind == PktKind::Unicast {
            match br_fdb::find(b, &dest, rcu) {
                Some(f) if f.is_local() => {
                    brdev.count_rx(skb.len(), rx);
                    return RxResult::Another(skb, &self.br);
                }
                Some(f) => {
                    let now = jiffies();
                    if f.used.load(Ordering::Relaxed) != now {
                        f.used.store(now, Ordering::Relaxed);
                    }
                    match f.port.as_deref() {
                        Some(to) => forward(to, skb, from, local_rcv, rcu),
                        None => local_rcv.then_some(skb),
                    }
                }
                None => flood(b, skb, kind, from, local_rcv, rcu),
            }
        } else {
            flood(b, skb, kind, from, local_rcv, rcu)
        };
        match rest {
            // `br_pass_frame_up`.
            Some(skb) if local_rcv => {
                brdev.count_rx(skb.len(), rx);
                RxResult::Another(skb, &self.br)
            }
            Some(skb) => drop_frame(skb),
            None => RxResult::Consumed,
        }
    }
}
