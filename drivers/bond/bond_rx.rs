// SPDX-License-Identifier: GPL-2.0

//! The slaves' rx_handler (C: `bond_handle_frame`): frames received on a
//! slave are delivered as received on the bond, except on a standby slave
//! of active-backup, where only sockets bound to the slave itself see them
//! (`bond_should_deliver_exact_match`) and link-local frames (LLDP, STP)
//! pass normally. In mode 802.3ad, LACPDUs and Marker PDUs go to the LACP
//! machines first (C's `recv_probe`); under the ARP monitor every frame
//! is looked at by its receive validation first; in balance-alb ARPs teach
//! the client table and the inactive slaves' unicast frames are the
//! bond's, readdressed to the bond when it is a bridge port.

use crate::bond_3ad;
use crate::bond_dev::BondDriver;
use crate::bond_slave::SlavePort;
use crate::netdev::{
    prelude::*,
    rx_handler::{PktType, RxContext, RxHandler, RxResult},
};
use core::sync::atomic::Ordering;

impl RxHandler for SlavePort {
    fn handle<'a>(&'a self, skb: SkBuff, rx: &'a RxContext) -> RxResult<'a> {
        let bond = self.master.downcast::<BondDriver>();
        let mut skb = skb;
        // `recv_probe`: LACPDUs and Markers while the bond is up in
        // mode 802.3ad (C: `bond_3ad_lacpdu_recv`).
        if let Some(b) = bond {
            if b.data().lacp_rx.load(Ordering::Relaxed) && bond_3ad::is_lacpdu(&skb) {
                match bond_3ad::lacpdu_recv(b, self, skb) {
                    Ok(()) => return RxResult::Consumed,
                    Err(back) => skb = back,
                }
            }
        }
        // `recv_probe` of the ARP monitor (`bond_rcv_validate`): the
        // frame goes on whatever it finds.
        if let Some(b) = bond {
            if b.data().arp_rx.load(Ordering::Relaxed) {
                crate::bond_arp::rcv_validate(b, self, &skb, rx);
            }
        }
        // balance-alb: ARPs teach the client table (C: `recv_probe` is
        // `rlb_arp_recv`).
        if let Some(b) = bond {
            if b.data().alb.rlb_rx.load(Ordering::Relaxed) {
                crate::bond_alb::arp_recv(b.data(), &skb);
            }
        }
        // `bond_should_deliver_exact_match`: balance-alb delivers the
        // unicast frames of its inactive slaves (each has its clients).
        let alb_uc = || {
            bond.is_some_and(|b| b.data().alb.rlb_rx.load(Ordering::Relaxed))
                && !matches!(skb.pkt_type(), PktType::Broadcast | PktType::Multicast)
        };
        if self.inactive.load(Ordering::Relaxed) && !alb_uc() {
            if skb.is_link_local_dest() {
                return RxResult::Pass(skb);
            }
            return RxResult::Exact(skb);
        }
        if let Some(b) = bond {
            // balance-alb under a bridge: a frame for this host (sent to
            // this slave's own address, which rlb taught its client) is
            // readdressed to the bond, whose address the bridge knows as
            // its own; a head that cannot be made private drops it (C).
            // C tests the mode; `rlb_rx` is the mode while the bond is
            // open (closed, its bridge port forwards nothing anyway).
            let alb = b.data().alb.rlb_rx.load(Ordering::Relaxed);
            if alb && skb.pkt_type() == PktType::Host && self.master.is_bridge_port() {
                if let Some(mac) = self.master.mac() {
                    if !skb.set_rx_eth_dest(&mac) {
                        skb.drop_reason(DropReason::NotSpecified);
                        return RxResult::Consumed;
                    }
                }
            }
            b.count_rx(skb.len(), rx);
        }
        RxResult::Another(skb, &self.master)
    }
}
