// SPDX-License-Identifier: GPL-2.0

//! The transmit machine (802.3ad 43.4.15 in bond_3ad.h's numbering), with
//! C's rate limit.
//!
//! Mirrors `ad_tx_machine()` of drivers/net/bonding/bond_3ad.c (Linux
//! 6.12) as [`ad_tx_machine`]. C does not transmit as soon as `ntt` is
//! set: the port has a free-running tx timer of
//! `ad_ticks_per_sec / AD_MAX_TX_IN_SECOND` = 3 ticks (armed by
//! `bond_3ad_bind_slave()`), and only when it runs out is a LACPDU built
//! (`__update_lacpdu_from_port()`) and sent if `ntt` is set and LACP is
//! enabled on the port. So a port sends at most one LACPDU every 300 ms,
//! and a request (`ntt`) waits up to 3 ticks.
//!
//! The sending itself (`ad_lacpdu_send()`) is the caller's: when
//! [`ad_tx_machine`] returns a PDU it has already cleared `ntt`, as C does
//! after a successful send; if the caller fails to send it (C: no skb, the
//! only failure), it sets `ntt` again so that, as in C, the next
//! transmit opportunity retries.

use super::pdu::Lacpdu;
use super::port::PortState;
use super::state::{timer_expired, AD_MAX_TX_IN_SECOND, AD_PORT_LACP_ENABLED, AD_TICKS_PER_SEC};

/// The tx timer's period in ticks: `ad_ticks_per_sec / AD_MAX_TX_IN_SECOND`.
pub const AD_TX_TICKS: u16 = AD_TICKS_PER_SEC / AD_MAX_TX_IN_SECOND;

/// `ad_tx_machine(port)`: one tick of the transmit machine; the LACPDU to
/// send now, if any (the caller counts `lacpdu_tx` and sends it in
/// [`Lacpdu::encode_frame`]'s frame).
pub fn ad_tx_machine(port: &mut PortState) -> Option<Lacpdu> {
    if !timer_expired(&mut port.sm_tx_timer_counter) {
        return None;
    }
    let mut pdu = None;
    if port.ntt && port.sm_vars & AD_PORT_LACP_ENABLED != 0 {
        pdu = Some(Lacpdu::from_port(port));
        port.ntt = false;
    }
    port.sm_tx_timer_counter = AD_TX_TICKS;
    pdu
}

#[cfg(test)]
mod tests {
    use super::super::state::*;
    use super::*;

    fn port() -> PortState {
        let mut p = PortState::ZERO;
        p.initialize(&Default::default());
        p.actor_port_number = 5;
        p.sm_tx_timer_counter = AD_TX_TICKS;
        p
    }

    #[test]
    fn at_most_one_pdu_every_three_ticks() {
        let mut p = port();
        let mut sent = Vec::new();
        for t in 0..30 {
            // Ask for a transmission on every tick.
            p.ntt = true;
            if let Some(pdu) = ad_tx_machine(&mut p) {
                assert_eq!(pdu.actor.port, 5);
                sent.push(t);
            }
        }
        assert_eq!(sent, [2, 5, 8, 11, 14, 17, 20, 23, 26, 29]);
        assert_eq!(AD_TX_TICKS, 3);
    }

    #[test]
    fn ntt_waits_for_the_next_opportunity() {
        let mut p = port();
        assert_eq!(ad_tx_machine(&mut p), None);
        p.ntt = true;
        assert_eq!(ad_tx_machine(&mut p), None);
        assert!(p.ntt);
        assert!(ad_tx_machine(&mut p).is_some());
        assert!(!p.ntt);
        assert_eq!(p.sm_tx_timer_counter, 3);
        // Nothing to send: the timer still restarts.
        for _ in 0..3 {
            assert_eq!(ad_tx_machine(&mut p), None);
        }
        assert_eq!(p.sm_tx_timer_counter, 3);
    }

    #[test]
    fn lacp_disabled_keeps_ntt_and_sends_nothing() {
        let mut p = port();
        p.sm_vars &= !AD_PORT_LACP_ENABLED;
        p.ntt = true;
        for _ in 0..10 {
            assert_eq!(ad_tx_machine(&mut p), None);
        }
        assert!(p.ntt);
        // Re-enabled: the pending request goes out.
        p.sm_vars |= AD_PORT_LACP_ENABLED;
        let n = (0..3).filter(|_| ad_tx_machine(&mut p).is_some()).count();
        assert_eq!(n, 1);
    }

    #[test]
    fn stopped_timer_never_sends() {
        // A zeroed port that was never bound has no tx timer (C too).
        let mut p = port();
        p.sm_tx_timer_counter = 0;
        p.ntt = true;
        for _ in 0..10 {
            assert_eq!(ad_tx_machine(&mut p), None);
        }
    }
}
