// SPDX-License-Identifier: GPL-2.0

//! IEEE 802.1AX scenarios on two simulated back-to-back bonds (see
//! `common`), driven tick by tick, with the outcomes C's code gives.

mod common;

use common::{check_after_tick, check_always, Wire};
use lacp::mux::MuxState;
use lacp::pdu::{decode_frame, Lacpdu, Marker, SlowPdu, MARKER_FRAME_LEN};
use lacp::periodic::PeriodicState;
use lacp::port::BondParams;
use lacp::rx::RxState;
use lacp::state::*;

fn params(active: bool, fast: bool, coupled: bool) -> BondParams {
    BondParams {
        lacp_active: active,
        lacp_fast: fast,
        coupled_control: coupled,
    }
}

/// Runs `n` ticks checking the invariants at every step.
fn run_checked(w: &mut Wire, n: usize) {
    for _ in 0..n {
        for i in 0..2 {
            w.tick_one(i);
            check_always(&w.sides[i]).unwrap();
            check_after_tick(&w.sides[i]).unwrap();
            check_always(&w.sides[1 - i]).unwrap();
        }
    }
}

#[test]
fn active_ports_converge_to_collecting_distributing() {
    for fast in [false, true] {
        let mut w = Wire::new(params(true, fast, true), params(true, fast, true));
        let t = w.run_until_converged(100).expect("no convergence");
        // WAITING holds a port for 2 s (20 ticks) before it may attach.
        assert!(t > 20, "converged after {t} ticks");
        for (i, s) in w.sides.iter().enumerate() {
            let p = &s.port;
            let peer = &w.sides[1 - i];
            assert_eq!(p.sm_rx_state, RxState::Current);
            assert_eq!(p.partner_oper.system, peer.system.sys_mac_addr);
            assert_eq!(p.partner_oper.key, peer.port.actor_oper_port_key);
            assert!(p.has(AD_PORT_SELECTED | AD_PORT_MATCHED));
            assert!(s.agg.is_active && s.agg.has_partner() && !s.agg.is_individual);
            assert!(!p.actor_has(LACP_STATE_DEFAULTED | LACP_STATE_EXPIRED));
        }
        // And it stays so, with the partner's rate of periodic LACPDUs.
        let before = w.sides[0].sent.len();
        run_checked(&mut w, 600);
        assert!(w.sides.iter().all(|s| s.converged()));
        let sent = w.sides[0].sent.len() - before;
        if fast {
            assert!((59..=61).contains(&sent), "{sent} LACPDUs in 60 s");
        } else {
            assert!((2..=3).contains(&sent), "{sent} LACPDUs in 60 s");
        }
    }
}

#[test]
fn decoupled_control_goes_through_collecting() {
    let mut w = Wire::new(params(true, true, false), params(true, true, false));
    let mut seen = Vec::new();
    for _ in 0..100 {
        w.tick();
        let m = w.sides[0].port.sm_mux_state;
        if seen.last() != Some(&m) {
            seen.push(m);
        }
    }
    assert!(w.sides.iter().all(|s| s.converged()));
    let tail = &seen[seen.len() - 3..];
    assert_eq!(
        tail,
        [
            MuxState::Attached,
            MuxState::Collecting,
            MuxState::Distributing
        ]
    );
    // A coupled actor and a decoupled partner also aggregate.
    let mut w = Wire::new(params(true, true, true), params(true, true, false));
    assert!(w.run_until_converged(100).is_some());
    assert_eq!(w.sides[1].port.sm_mux_state, MuxState::Distributing);
}

#[test]
fn short_timeout_expires_then_defaults_and_recovers() {
    let mut w = Wire::new(params(true, true, true), params(true, true, true));
    w.run_until_converged(100).unwrap();
    run_checked(&mut w, 7);
    // From now on nothing reaches side 1.
    w.drop[1] = u32::MAX;
    let mut states = Vec::new();
    for t in 1..=80u32 {
        w.tick();
        let s = &w.sides[1];
        check_always(s).unwrap();
        if states.last().map(|&(_, st)| st) != Some(s.port.sm_rx_state) {
            states.push((t, s.port.sm_rx_state));
        }
    }
    // side 0 sends every 10 ticks; the last one side 1 got restarted its
    // 30-tick current_while timer; EXPIRED then lasts 30 ticks.
    assert_eq!(states.len(), 3, "{states:?}");
    assert_eq!(states[1].1, RxState::Expired);
    assert_eq!(states[2].1, RxState::Defaulted);
    assert_eq!(states[2].0 - states[1].0, 30);
    assert!(states[1].0 <= 30);
    let s = &w.sides[1];
    assert!(s.port.actor_has(LACP_STATE_DEFAULTED));
    assert!(!s.port.actor_has(LACP_STATE_EXPIRED));
    assert_eq!(s.port.partner_oper, PortParams::PARTNER_DEFAULT);
    // Lost partner sync: the port is no longer aggregating.
    assert!(!s.converged());
    assert!(s.port.sm_mux_state != MuxState::CollectingDistributing);
    // Side 0 hears side 1 report EXPIRED/DEFAULTED and leaves too.
    assert!(!w.sides[0].converged());
    // Frames flow again: both converge again.
    w.drop[1] = 0;
    assert!(w.run_until_converged(200).is_some());
}

#[test]
fn partner_switching_to_slow_rate() {
    let mut w = Wire::new(params(true, true, true), params(true, true, true));
    w.run_until_converged(100).unwrap();
    run_checked(&mut w, 20);
    assert_eq!(
        w.sides[0].port.sm_periodic_state,
        PeriodicState::FastPeriodic
    );
    // Side 1 asks for the long timeout (lacp_rate slow).
    w.sides[1].set_fast(false);
    run_checked(&mut w, 30);
    // Side 0 learned it from side 1's next periodic LACPDU and slowed
    // down; side 1 still sends fast, as side 0 still asks for it.
    assert!(!w.sides[0]
        .port
        .partner_oper
        .state_has(LACP_STATE_LACP_TIMEOUT));
    assert_eq!(
        w.sides[0].port.sm_periodic_state,
        PeriodicState::SlowPeriodic
    );
    assert_ne!(
        w.sides[1].port.sm_periodic_state,
        PeriodicState::SlowPeriodic
    );
    let (a0, b0) = (w.sides[0].sent.len(), w.sides[1].sent.len());
    run_checked(&mut w, 1200);
    let (a, b) = (w.sides[0].sent.len() - a0, w.sides[1].sent.len() - b0);
    assert!((4..=5).contains(&a), "slow side sent {a} in 120 s");
    assert!((119..=121).contains(&b), "fast side sent {b} in 120 s");
    // Side 1's own current_while is now the long one.
    assert!(w.sides[1].port.sm_rx_timer_counter > 30);
    assert!(w.sides.iter().all(|s| s.converged()));
}

#[test]
fn passive_partner_answers_an_active_actor() {
    let mut w = Wire::new(params(true, true, true), params(false, true, true));
    assert!(!w.sides[1].port.actor_has(LACP_STATE_LACP_ACTIVITY));
    w.run(2);
    // Passive and not having heard an active partner: no periodic LACPDUs.
    assert_eq!(w.sides[1].port.sm_periodic_state, PeriodicState::NoPeriodic);
    let t = w.run_until_converged(100).expect("no convergence");
    assert!(t > 20);
    let p = &w.sides[1].port;
    assert!(!p.actor_has(LACP_STATE_LACP_ACTIVITY));
    assert!(p.partner_oper.state_has(LACP_STATE_LACP_ACTIVITY));
    assert_ne!(p.sm_periodic_state, PeriodicState::NoPeriodic);
    // The active side sees a passive partner and keeps the periodic
    // transmissions because it is active itself.
    let q = &w.sides[0].port;
    assert!(!q.partner_oper.state_has(LACP_STATE_LACP_ACTIVITY));
    run_checked(&mut w, 300);
    assert!(w.sides.iter().all(|s| s.converged()));
}

#[test]
fn passive_both_ends_aggregate_through_ntt_alone() {
    // 802.1AX: two passive ends never start LACP. In C the periodic
    // machines do stay off, but the mux machine's state entries and
    // __update_ntt() still set ntt, and the transmit machine sends
    // whatever ntt asks for, passive or not: the LACPDUs of the first mux
    // transitions are enough for the two ends to aggregate.
    let passive = params(false, false, true);
    let mut w = Wire::new(passive, passive);
    assert!(w.run_until_converged(100).is_some());
    // With no periodic LACPDUs, the first end's long current_while timer
    // runs out after 90 s: EXPIRED takes its partner's sync, the mux falls
    // to ATTACHED, whose LACPDU makes the partner answer (__update_ntt),
    // and the port is back a few ticks later.
    let mut outage = Vec::new();
    for t in 0..3000 {
        run_checked(&mut w, 1);
        for s in &w.sides {
            assert_eq!(s.port.sm_periodic_state, PeriodicState::NoPeriodic);
        }
        if !w.sides.iter().all(|s| s.converged()) {
            outage.push(t);
        }
    }
    assert!(w.sides.iter().all(|s| s.converged()));
    assert!((3..=12).contains(&outage.len()), "{outage:?}");
    for pair in outage.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap <= 3 || (880..=920).contains(&gap), "{outage:?}");
    }
    let total: usize = w.sides.iter().map(|s| s.sent.len()).sum();
    assert!(total <= 20, "{total} LACPDUs in 300 s");
}

#[test]
fn passive_both_ends_stay_down_once_their_first_lacpdus_are_lost() {
    // Without those first LACPDUs two passive ends default, attach and
    // wait for a partner that never speaks first: no ntt is pending, no
    // periodic machine runs, nothing is ever sent again.
    let passive = params(false, false, true);
    let mut w = Wire::new(passive, passive);
    w.drop = [2, 2];
    run_checked(&mut w, 100);
    let sent: Vec<usize> = w.sides.iter().map(|s| s.sent.len()).collect();
    run_checked(&mut w, 3000);
    for (s, &n) in w.sides.iter().zip(&sent) {
        assert_eq!(s.sent.len(), n);
        assert_eq!(s.port.sm_rx_state, RxState::Defaulted);
        assert_eq!(s.port.sm_mux_state, MuxState::Attached);
        assert!(!s.port.ntt);
    }
    // One end turned active starts it all again, at its next periodic
    // LACPDU: with the default (long timeout) partner, SLOW_PERIODIC, 30 s.
    w.sides[1].set_active(true);
    let t = w.run_until_converged(400).expect("no convergence");
    assert!(t > 300, "converged after {t} ticks");
}

#[test]
fn lacpdu_from_myself_is_ignored() {
    let mut w = Wire::new(params(true, true, true), params(true, true, true));
    w.run_until_converged(100).unwrap();
    let s = &mut w.sides[0];
    let own = Lacpdu::from_port(&s.port).encode_frame(&s.perm_mac);
    let partner = s.port.partner_oper;
    s.receive(&own);
    assert!(s.last_rx_loopback);
    assert_eq!(s.port.sm_rx_state, RxState::Current);
    // Not recorded, but the current_while timer has been stopped.
    assert_eq!(s.port.partner_oper, partner);
    assert_eq!(s.port.sm_rx_timer_counter, 0);
    check_always(s).unwrap();
    // The partner's next LACPDU restarts it.
    run_checked(&mut w, 12);
    assert!(!w.sides[0].last_rx_loopback);
    assert!(w.sides[0].port.sm_rx_timer_counter > 0);
    assert!(w.sides.iter().all(|s| s.converged()));
}

#[test]
fn marker_information_gets_a_byte_exact_response() {
    let mut w = Wire::new(params(true, false, true), params(true, false, true));
    w.run_until_converged(100).unwrap();
    let mut m = Marker::information(1, w.sides[0].system.sys_mac_addr, 0x01020304);
    m.reserved_90[7] = 0x77;
    let sent = m.encode_frame(&w.sides[0].perm_mac);
    let resp = w.marker_roundtrip(0, &m).expect("no response");
    assert_eq!(resp.len(), MARKER_FRAME_LEN);
    // Same multicast destination and ethertype, the responder's permanent
    // address as source, TLV type 2, everything else copied.
    assert_eq!(resp[..6], sent[..6]);
    assert_eq!(resp[6..12], w.sides[1].perm_mac);
    assert_eq!(resp[12..14], [0x88, 0x09]);
    let mut want = sent[14..].to_vec();
    want[2] = 2;
    assert_eq!(resp[14..], want[..]);
    match decode_frame(&resp) {
        Ok(SlowPdu::Marker(r)) => assert_eq!(r, m.response()),
        other => panic!("{other:?}"),
    }
    // A response is not answered, and the LACP state is untouched.
    let before = w.sides[0].port;
    assert_eq!(w.sides[0].receive(&resp), None);
    assert_eq!(w.sides[0].port, before);
}

#[test]
fn cable_pull_disables_and_reconverges() {
    let mut w = Wire::new(params(true, true, true), params(true, true, true));
    w.run_until_converged(100).unwrap();
    w.set_cable(false);
    run_checked(&mut w, 5);
    for s in &w.sides {
        assert_eq!(s.port.sm_rx_state, RxState::PortDisabled);
        assert_eq!(s.port.sm_periodic_state, PeriodicState::NoPeriodic);
        assert!(!s.agg.is_active);
        assert!(!s.converged());
        // LACP is off on the port while its key has no duplex bit.
        assert!(!s.port.has(AD_PORT_LACP_ENABLED));
    }
    w.set_cable(true);
    // The speed came back into the key: the port restarts (BEGIN).
    assert!(w.sides.iter().all(|s| s.port.has(AD_PORT_BEGIN)));
    let t = w.run_until_converged(200).expect("no convergence");
    assert!(t > 20);
}

#[test]
fn half_duplex_turns_lacp_off() {
    let mut w = Wire::new(params(true, true, true), params(true, true, true));
    w.run_until_converged(100).unwrap();
    w.sides[1].set_speed(100, false);
    run_checked(&mut w, 100);
    let s = &w.sides[1];
    assert!(!s.port.has(AD_PORT_LACP_ENABLED));
    // With LACP off the port neither runs its periodic machine nor
    // transmits; its receive machine is not told (it only enters
    // LACP_DISABLED from PORT_DISABLED) and keeps processing side 0's
    // LACPDUs.
    assert_eq!(s.port.sm_periodic_state, PeriodicState::NoPeriodic);
    let n = s.sent.len();
    run_checked(&mut w, 100);
    assert_eq!(w.sides[1].sent.len(), n);
    // Back to full duplex at a new speed: BEGIN, and LACP again.
    w.sides[1].set_speed(10000, true);
    assert!(w.sides[1].port.has(AD_PORT_BEGIN));
    assert!(w.run_until_converged(200).is_some());
}

#[test]
fn lacp_disabled_outlives_a_duplex_change_at_the_same_speed() {
    // A port that starts half duplex goes to LACP_DISABLED on its first
    // ticks. Full duplex at the same speed enables LACP in sm_vars but
    // does not restart the port (ad_update_actor_keys() restarts only on
    // a speed change), and nothing leads out of LACP_DISABLED but BEGIN or
    // a disabled port: the port transmits again, yet keeps recording the
    // default partner, so it never aggregates.
    let mut w = Wire::new(params(true, true, true), params(true, true, true));
    w.sides[0].set_speed(1000, false);
    run_checked(&mut w, 50);
    assert_eq!(w.sides[0].port.sm_rx_state, RxState::LacpDisabled);
    w.sides[0].set_speed(1000, true);
    assert!(!w.sides[0].port.has(AD_PORT_BEGIN));
    assert!(w.sides[0].port.has(AD_PORT_LACP_ENABLED));
    let n = w.sides[0].sent.len();
    run_checked(&mut w, 1000);
    let s = &w.sides[0];
    assert_eq!(s.port.sm_rx_state, RxState::LacpDisabled);
    assert!(s.sent.len() > n);
    assert_eq!(s.port.partner_oper.system, [0; 6]);
    assert!(!w.sides.iter().any(|s| s.converged()));
    // A link flap restarts it (the key loses and regains its speed).
    w.sides[0].set_link(false);
    w.sides[0].set_link(true);
    assert!(w.sides[0].port.has(AD_PORT_BEGIN));
    assert!(w.run_until_converged(200).is_some());
}
