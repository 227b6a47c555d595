// SPDX-License-Identifier: GPL-2.0

//! IEEE 802.1AX scenarios on simulated bonds (see `common`), driven tick
//! by tick, with the outcomes C's code gives: first two single-slave bonds
//! back to back, then bonds of several slaves, where the aggregator
//! selection decides which ports aggregate and which aggregator carries
//! the traffic.

mod common;

use common::{check_aggregators, check_always, check_tick, Bond, Net};
use lacp::aggregator::{bond_3ad_get_active_agg_info, get_active_agg, AdSelect};
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

/// Checks every bond's invariants.
fn check_all(w: &Net) {
    for b in &w.bonds {
        check_always(b).unwrap();
        check_aggregators(b, false).unwrap();
    }
}

/// Runs `n` ticks checking the invariants at every step.
fn run_checked(w: &mut Net, n: usize) {
    for _ in 0..n {
        for i in 0..w.bonds.len() {
            w.tick_one_checked(i, check_tick).unwrap();
            check_all(w);
        }
    }
}

#[test]
fn active_ports_converge_to_collecting_distributing() {
    for fast in [false, true] {
        let mut w = Net::pair(params(true, fast, true), params(true, fast, true));
        let t = w.run_until_converged(100).expect("no convergence");
        // WAITING holds a port for 2 s (20 ticks) before it may attach.
        assert!(t > 20, "converged after {t} ticks");
        for (i, s) in w.bonds.iter().enumerate() {
            let p = s.port(0);
            let peer = &w.bonds[1 - i];
            assert_eq!(p.sm_rx_state, RxState::Current);
            assert_eq!(p.partner_oper.system, peer.system.sys_mac_addr);
            assert_eq!(p.partner_oper.key, peer.port(0).actor_oper_port_key);
            assert!(p.has(AD_PORT_SELECTED | AD_PORT_MATCHED));
            let agg = s.agg_of(0).unwrap();
            assert!(agg.is_active && agg.has_partner() && !agg.is_individual);
            assert!(!p.actor_has(LACP_STATE_DEFAULTED | LACP_STATE_EXPIRED));
        }
        // And it stays so, with the partner's rate of periodic LACPDUs.
        let before = w.bonds[0].sent.len();
        run_checked(&mut w, 600);
        assert!(w.bonds.iter().all(|s| s.converged()));
        let sent = w.bonds[0].sent.len() - before;
        if fast {
            assert!((59..=61).contains(&sent), "{sent} LACPDUs in 60 s");
        } else {
            assert!((2..=3).contains(&sent), "{sent} LACPDUs in 60 s");
        }
    }
}

#[test]
fn decoupled_control_goes_through_collecting() {
    let mut w = Net::pair(params(true, true, false), params(true, true, false));
    let mut seen = Vec::new();
    for _ in 0..100 {
        w.tick();
        let m = w.bonds[0].port(0).sm_mux_state;
        if seen.last() != Some(&m) {
            seen.push(m);
        }
    }
    assert!(w.bonds.iter().all(|s| s.converged()));
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
    let mut w = Net::pair(params(true, true, true), params(true, true, false));
    assert!(w.run_until_converged(100).is_some());
    assert_eq!(w.bonds[1].port(0).sm_mux_state, MuxState::Distributing);
}

#[test]
fn short_timeout_expires_then_defaults_and_recovers() {
    let mut w = Net::pair(params(true, true, true), params(true, true, true));
    w.run_until_converged(100).unwrap();
    run_checked(&mut w, 7);
    // From now on nothing reaches side 1.
    w.cables[0].drop[1] = u32::MAX;
    let mut states = Vec::new();
    for t in 1..=80u32 {
        w.tick();
        let s = &w.bonds[1];
        check_always(s).unwrap();
        if states.last().map(|&(_, st)| st) != Some(s.port(0).sm_rx_state) {
            states.push((t, s.port(0).sm_rx_state));
        }
    }
    // side 0 sends every 10 ticks; the last one side 1 got restarted its
    // 30-tick current_while timer; EXPIRED then lasts 30 ticks.
    assert_eq!(states.len(), 3, "{states:?}");
    assert_eq!(states[1].1, RxState::Expired);
    assert_eq!(states[2].1, RxState::Defaulted);
    assert_eq!(states[2].0 - states[1].0, 30);
    assert!(states[1].0 <= 30);
    let s = &w.bonds[1];
    assert!(s.port(0).actor_has(LACP_STATE_DEFAULTED));
    assert!(!s.port(0).actor_has(LACP_STATE_EXPIRED));
    assert_eq!(s.port(0).partner_oper, PortParams::PARTNER_DEFAULT);
    // Lost partner sync: the port is no longer aggregating.
    assert!(!s.converged());
    assert!(s.port(0).sm_mux_state != MuxState::CollectingDistributing);
    // Side 0 hears side 1 report EXPIRED/DEFAULTED and leaves too.
    assert!(!w.bonds[0].converged());
    // Frames flow again: both converge again.
    w.cables[0].drop[1] = 0;
    assert!(w.run_until_converged(200).is_some());
}

#[test]
fn partner_switching_to_slow_rate() {
    let mut w = Net::pair(params(true, true, true), params(true, true, true));
    w.run_until_converged(100).unwrap();
    run_checked(&mut w, 20);
    assert_eq!(
        w.bonds[0].port(0).sm_periodic_state,
        PeriodicState::FastPeriodic
    );
    // Side 1 asks for the long timeout (lacp_rate slow).
    w.bonds[1].set_fast(false);
    run_checked(&mut w, 30);
    // Side 0 learned it from side 1's next periodic LACPDU and slowed
    // down; side 1 still sends fast, as side 0 still asks for it.
    assert!(!w.bonds[0]
        .port(0)
        .partner_oper
        .state_has(LACP_STATE_LACP_TIMEOUT));
    assert_eq!(
        w.bonds[0].port(0).sm_periodic_state,
        PeriodicState::SlowPeriodic
    );
    assert_ne!(
        w.bonds[1].port(0).sm_periodic_state,
        PeriodicState::SlowPeriodic
    );
    let (a0, b0) = (w.bonds[0].sent.len(), w.bonds[1].sent.len());
    run_checked(&mut w, 1200);
    let (a, b) = (w.bonds[0].sent.len() - a0, w.bonds[1].sent.len() - b0);
    assert!((4..=5).contains(&a), "slow side sent {a} in 120 s");
    assert!((119..=121).contains(&b), "fast side sent {b} in 120 s");
    // Side 1's own current_while is now the long one.
    assert!(w.bonds[1].port(0).sm_rx_timer_counter > 30);
    assert!(w.bonds.iter().all(|s| s.converged()));
}

#[test]
fn passive_partner_answers_an_active_actor() {
    let mut w = Net::pair(params(true, true, true), params(false, true, true));
    assert!(!w.bonds[1].port(0).actor_has(LACP_STATE_LACP_ACTIVITY));
    w.run(2);
    // Passive and not having heard an active partner: no periodic LACPDUs.
    assert_eq!(
        w.bonds[1].port(0).sm_periodic_state,
        PeriodicState::NoPeriodic
    );
    let t = w.run_until_converged(100).expect("no convergence");
    assert!(t > 20);
    let p = w.bonds[1].port(0);
    assert!(!p.actor_has(LACP_STATE_LACP_ACTIVITY));
    assert!(p.partner_oper.state_has(LACP_STATE_LACP_ACTIVITY));
    assert_ne!(p.sm_periodic_state, PeriodicState::NoPeriodic);
    // The active side sees a passive partner and keeps the periodic
    // transmissions because it is active itself.
    let q = w.bonds[0].port(0);
    assert!(!q.partner_oper.state_has(LACP_STATE_LACP_ACTIVITY));
    run_checked(&mut w, 300);
    assert!(w.bonds.iter().all(|s| s.converged()));
}

#[test]
fn passive_both_ends_aggregate_through_ntt_alone() {
    // 802.1AX: two passive ends never start LACP. In C the periodic
    // machines do stay off, but the mux machine's state entries and
    // __update_ntt() still set ntt, and the transmit machine sends
    // whatever ntt asks for, passive or not: the LACPDUs of the first mux
    // transitions are enough for the two ends to aggregate.
    let passive = params(false, false, true);
    let mut w = Net::pair(passive, passive);
    assert!(w.run_until_converged(100).is_some());
    // With no periodic LACPDUs, the first end's long current_while timer
    // runs out after 90 s: EXPIRED takes its partner's sync, the mux falls
    // to ATTACHED, whose LACPDU makes the partner answer (__update_ntt),
    // and the port is back a few ticks later.
    let mut outage = Vec::new();
    for t in 0..3000 {
        run_checked(&mut w, 1);
        for s in &w.bonds {
            assert_eq!(s.port(0).sm_periodic_state, PeriodicState::NoPeriodic);
        }
        if !w.bonds.iter().all(|s| s.converged()) {
            outage.push(t);
        }
    }
    assert!(w.bonds.iter().all(|s| s.converged()));
    assert!((3..=12).contains(&outage.len()), "{outage:?}");
    for pair in outage.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap <= 3 || (880..=920).contains(&gap), "{outage:?}");
    }
    let total: usize = w.bonds.iter().map(|s| s.sent.len()).sum();
    assert!(total <= 20, "{total} LACPDUs in 300 s");
}

#[test]
fn passive_both_ends_stay_down_once_their_first_lacpdus_are_lost() {
    // Without those first LACPDUs two passive ends default, attach and
    // wait for a partner that never speaks first: no ntt is pending, no
    // periodic machine runs, nothing is ever sent again.
    let passive = params(false, false, true);
    let mut w = Net::pair(passive, passive);
    w.cables[0].drop = [2, 2];
    run_checked(&mut w, 100);
    let sent: Vec<usize> = w.bonds.iter().map(|s| s.sent.len()).collect();
    run_checked(&mut w, 3000);
    for (s, &n) in w.bonds.iter().zip(&sent) {
        assert_eq!(s.sent.len(), n);
        assert_eq!(s.port(0).sm_rx_state, RxState::Defaulted);
        assert_eq!(s.port(0).sm_mux_state, MuxState::Attached);
        assert!(!s.port(0).ntt);
    }
    // One end turned active starts it all again, at its next periodic
    // LACPDU: with the default (long timeout) partner, SLOW_PERIODIC, 30 s.
    w.bonds[1].set_active(true);
    let t = w.run_until_converged(400).expect("no convergence");
    assert!(t > 300, "converged after {t} ticks");
}

#[test]
fn lacpdu_from_myself_is_ignored() {
    let mut w = Net::pair(params(true, true, true), params(true, true, true));
    w.run_until_converged(100).unwrap();
    let s = &mut w.bonds[0];
    let own = Lacpdu::from_port(s.port(0)).encode_frame(&s.nics[0].perm_mac);
    let partner = s.port(0).partner_oper;
    s.receive(0, &own);
    assert!(s.sim[0].last_rx_loopback);
    assert_eq!(s.port(0).sm_rx_state, RxState::Current);
    // Not recorded, but the current_while timer has been stopped.
    assert_eq!(s.port(0).partner_oper, partner);
    assert_eq!(s.port(0).sm_rx_timer_counter, 0);
    check_always(s).unwrap();
    // The partner's next LACPDU restarts it.
    run_checked(&mut w, 12);
    assert!(!w.bonds[0].sim[0].last_rx_loopback);
    assert!(w.bonds[0].port(0).sm_rx_timer_counter > 0);
    assert!(w.bonds.iter().all(|s| s.converged()));
}

#[test]
fn marker_information_gets_a_byte_exact_response() {
    let mut w = Net::pair(params(true, false, true), params(true, false, true));
    w.run_until_converged(100).unwrap();
    let mut m = Marker::information(1, w.bonds[0].system.sys_mac_addr, 0x01020304);
    m.reserved_90[7] = 0x77;
    let sent = m.encode_frame(&w.bonds[0].nics[0].perm_mac);
    let resp = w.marker_roundtrip(0, 0, &m).expect("no response");
    assert_eq!(resp.len(), MARKER_FRAME_LEN);
    // Same multicast destination and ethertype, the responder's permanent
    // address as source, TLV type 2, everything else copied.
    assert_eq!(resp[..6], sent[..6]);
    assert_eq!(resp[6..12], w.bonds[1].nics[0].perm_mac);
    assert_eq!(resp[12..14], [0x88, 0x09]);
    let mut want = sent[14..].to_vec();
    want[2] = 2;
    assert_eq!(resp[14..], want[..]);
    match decode_frame(&resp) {
        Ok(SlowPdu::Marker(r)) => assert_eq!(r, m.response()),
        other => panic!("{other:?}"),
    }
    // A response is not answered, and the LACP state is untouched.
    let before = *w.bonds[0].port(0);
    assert_eq!(w.bonds[0].receive(0, &resp), None);
    assert_eq!(*w.bonds[0].port(0), before);
}

#[test]
fn cable_pull_disables_and_reconverges() {
    let mut w = Net::pair(params(true, true, true), params(true, true, true));
    w.run_until_converged(100).unwrap();
    w.set_cables(false);
    run_checked(&mut w, 5);
    for s in &w.bonds {
        assert_eq!(s.port(0).sm_rx_state, RxState::PortDisabled);
        assert_eq!(s.port(0).sm_periodic_state, PeriodicState::NoPeriodic);
        assert!(!s.agg_of(0).unwrap().is_active);
        assert!(!s.converged());
        // LACP is off on the port while its key has no duplex bit.
        assert!(!s.port(0).has(AD_PORT_LACP_ENABLED));
    }
    w.set_cables(true);
    // The speed came back into the key: the port restarts (BEGIN).
    assert!(w.bonds.iter().all(|s| s.port(0).has(AD_PORT_BEGIN)));
    let t = w.run_until_converged(200).expect("no convergence");
    assert!(t > 20);
}

#[test]
fn half_duplex_turns_lacp_off() {
    let mut w = Net::pair(params(true, true, true), params(true, true, true));
    w.run_until_converged(100).unwrap();
    w.bonds[1].set_speed(0, 100, false);
    run_checked(&mut w, 100);
    let s = &w.bonds[1];
    assert!(!s.port(0).has(AD_PORT_LACP_ENABLED));
    // With LACP off the port neither runs its periodic machine nor
    // transmits; its receive machine is not told (it only enters
    // LACP_DISABLED from PORT_DISABLED) and keeps processing side 0's
    // LACPDUs.
    assert_eq!(s.port(0).sm_periodic_state, PeriodicState::NoPeriodic);
    let n = s.sent.len();
    run_checked(&mut w, 100);
    assert_eq!(w.bonds[1].sent.len(), n);
    // Back to full duplex at a new speed: BEGIN, and LACP again.
    w.bonds[1].set_speed(0, 10000, true);
    assert!(w.bonds[1].port(0).has(AD_PORT_BEGIN));
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
    let mut w = Net::pair(params(true, true, true), params(true, true, true));
    w.bonds[0].set_speed(0, 1000, false);
    run_checked(&mut w, 50);
    assert_eq!(w.bonds[0].port(0).sm_rx_state, RxState::LacpDisabled);
    w.bonds[0].set_speed(0, 1000, true);
    assert!(!w.bonds[0].port(0).has(AD_PORT_BEGIN));
    assert!(w.bonds[0].port(0).has(AD_PORT_LACP_ENABLED));
    let n = w.bonds[0].sent.len();
    run_checked(&mut w, 1000);
    let s = &w.bonds[0];
    assert_eq!(s.port(0).sm_rx_state, RxState::LacpDisabled);
    assert!(s.sent.len() > n);
    assert_eq!(s.port(0).partner_oper.system, [0; 6]);
    assert!(!w.bonds.iter().any(|s| s.converged()));
    // A link flap restarts it (the key loses and regains its speed).
    w.bonds[0].set_link(0, false);
    w.bonds[0].set_link(0, true);
    assert!(w.bonds[0].port(0).has(AD_PORT_BEGIN));
    assert!(w.run_until_converged(200).is_some());
}

const MODES: [AdSelect; 3] = [AdSelect::Stable, AdSelect::Bandwidth, AdSelect::Count];

/// Bond 0 of three slaves: NICs 0 and 1 to bond 1 (two slaves), NIC 2 to
/// bond 2 (one slave).
fn three_systems(mode: AdSelect, p: BondParams) -> Net {
    Net::new(
        vec![
            Bond::new(1, 3, p, mode),
            Bond::new(2, 2, p, mode),
            Bond::new(3, 1, p, mode),
        ],
        &[((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (2, 0))],
    )
}

/// Whether the slaves on `nics` of `b` have all converged.
fn nics_converged(b: &Bond, nics: &[usize]) -> bool {
    nics.iter()
        .all(|&n| b.slave_of(n).is_some_and(|i| b.slave_converged(i)))
}

#[test]
fn two_bonds_aggregate_all_ports_into_one_aggregator() {
    for n in [2, 3] {
        for mode in MODES {
            for fast in [false, true] {
                let p = params(true, fast, true);
                let mut w = Net::parallel(n, p, p, mode);
                let t = w.run_until_converged(200).expect("no convergence");
                // WAITING holds a port for 2 s (20 ticks) before it may
                // attach.
                assert!(t > 20, "converged after {t} ticks");
                run_checked(&mut w, 300);
                let all: Vec<usize> = (0..n).collect();
                for (i, b) in w.bonds.iter().enumerate() {
                    let peer = &w.bonds[1 - i];
                    assert!(b.converged());
                    assert_eq!(b.groups(), vec![all.clone()]);
                    assert_eq!(b.active_nics(), all);
                    assert_eq!(b.enabled_nics(), all);
                    assert!(b.carrier);
                    let info = bond_3ad_get_active_agg_info(&b.ad).unwrap();
                    assert_eq!(info.ports as usize, n);
                    assert_eq!(info.partner_system, peer.system.sys_mac_addr);
                    assert_eq!(info.partner_key, peer.port(0).actor_oper_port_key);
                    assert_eq!(info.actor_key, b.port(0).actor_oper_port_key);
                    for s in &b.ad {
                        assert_eq!(s.port.actor_port_aggregator_identifier, info.aggregator_id);
                    }
                }
            }
        }
    }
}

#[test]
fn port_to_another_system_gets_its_own_aggregator() {
    // NIC 2's link (to bond 2) is 10 Gb/s: against two 1 Gb/s ports to
    // bond 1, `bandwidth` prefers it, `count` does not, and `stable` keeps
    // the aggregator that first had a partner: all partners answer in the
    // same round, and NIC 0, first in slave order, takes its partner first.
    for (mode, active, other) in [
        (AdSelect::Stable, vec![0, 1], vec![2]),
        (AdSelect::Bandwidth, vec![2], vec![0, 1]),
        (AdSelect::Count, vec![0, 1], vec![2]),
    ] {
        let mut w = three_systems(mode, params(true, true, true));
        w.bonds[0].set_speed(2, 10000, true);
        w.bonds[2].set_speed(0, 10000, true);
        run_checked(&mut w, 300);
        let a = &w.bonds[0];
        assert_eq!(a.groups(), [active.clone(), other.clone()], "{mode:?}");
        assert_eq!(
            a.agg_of(0).unwrap().partner_system,
            w.bonds[1].system.sys_mac_addr
        );
        assert_eq!(
            a.agg_of(2).unwrap().partner_system,
            w.bonds[2].system.sys_mac_addr
        );
        // Only the active aggregator carries traffic. The other one's
        // ports stay ATTACHED and out of sync, and so do their partners'.
        assert_eq!(a.enabled_nics(), active);
        assert!(nics_converged(a, &active));
        for &n in &other {
            assert_eq!(a.port(n).sm_mux_state, MuxState::Attached);
            assert!(!a.port(n).actor_has(LACP_STATE_SYNCHRONIZATION));
        }
        let (b, c) = (&w.bonds[1], &w.bonds[2]);
        assert_eq!((b.groups(), c.groups()), (vec![vec![0, 1]], vec![vec![0]]));
        assert_eq!(b.converged(), active == [0, 1]);
        assert_eq!(c.converged(), active == [2]);
    }
}

#[test]
fn stable_keeps_the_first_active_aggregator() {
    // NIC 2 aggregates with bond 2 first; then the cables to bond 1 are
    // plugged and NICs 0 and 1 form a second aggregator of twice the
    // bandwidth and ports. `stable` keeps the first; `bandwidth` and
    // `count` switch to the second.
    for mode in MODES {
        let mut w = three_systems(mode, params(true, true, true));
        w.set_cable(0, false);
        w.set_cable(1, false);
        w.run_until(200, |w| w.bonds[2].converged())
            .expect("no convergence");
        assert_eq!(w.bonds[0].active_nics(), [2]);
        assert!(nics_converged(&w.bonds[0], &[2]));
        w.set_cable(0, true);
        w.set_cable(1, true);
        run_checked(&mut w, 300);
        let a = &w.bonds[0];
        if mode == AdSelect::Stable {
            assert_eq!(a.groups(), [vec![2], vec![0, 1]]);
            assert_eq!(a.enabled_nics(), [2]);
            assert!(w.bonds[2].converged() && !w.bonds[1].converged());
        } else {
            assert_eq!(a.groups(), [vec![0, 1], vec![2]], "{mode:?}");
            assert_eq!(a.enabled_nics(), [0, 1]);
            assert!(nics_converged(a, &[0, 1]) && w.bonds[1].converged());
            // As in C, the former active aggregator's port had its slave
            // disabled but its mux machine stays COLLECTING_DISTRIBUTING
            // (it is still selected and in sync): the partner keeps
            // distributing to a port that drops what it receives.
            assert_eq!(a.port(2).sm_mux_state, MuxState::CollectingDistributing);
            assert!(!a.flags(2).enabled());
            assert!(w.bonds[2].converged());
        }
    }
}

#[test]
fn unbinding_the_active_aggregators_last_port_reselects() {
    let mut w = three_systems(AdSelect::Stable, params(true, true, true));
    w.set_cable(0, false);
    w.set_cable(1, false);
    w.run_until(200, |w| w.bonds[2].converged()).unwrap();
    w.set_cable(0, true);
    w.set_cable(1, true);
    run_checked(&mut w, 300);
    assert_eq!(w.bonds[0].active_nics(), [2]);
    let updates = w.bonds[0].slave_arr_updates;
    // NIC 2 leaves bond 0: its aggregator is emptied, the selection logic
    // runs at once and activates the other one.
    w.release(0, 2);
    check_all(&w);
    let a = &w.bonds[0];
    assert_eq!(a.ad.len(), 2);
    assert_eq!(a.groups(), [vec![0, 1]]);
    assert_eq!(a.active_nics(), [0, 1]);
    assert!(a.slave_arr_updates > updates);
    // Its last LACPDU told bond 2 that it neither aggregates nor is in
    // sync any more.
    let c = &w.bonds[2].port(0).partner_oper;
    assert!(!c.state_has(LACP_STATE_AGGREGATION) && !c.state_has(LACP_STATE_SYNCHRONIZATION));
    // NICs 0 and 1 go from ATTACHED to COLLECTING_DISTRIBUTING once the
    // partner hears (at its next periodic LACPDU) that they are in sync.
    let t = w
        .run_until(100, |w| w.bonds[0].converged() && w.bonds[1].converged())
        .expect("no convergence");
    assert!(t > 1);
    run_checked(&mut w, 100);
    assert_eq!(w.bonds[0].enabled_nics(), [0, 1]);
    // Bond 2 lost its partner: defaulted, alone, and (as C's individual
    // fallback) its slave is enabled.
    let c = &w.bonds[2];
    assert_eq!(c.port(0).sm_rx_state, RxState::Defaulted);
    assert!(!c.agg_of(0).unwrap().has_partner() && c.agg_of(0).unwrap().is_active);
    assert_eq!(c.enabled_nics(), [0]);
}

#[test]
fn unbinding_the_slave_that_owns_the_lag_moves_it() {
    let p = params(true, true, true);
    let mut w = Net::parallel(3, p, p, AdSelect::Stable);
    w.run_until_converged(200).unwrap();
    let a = &w.bonds[0];
    let owner = get_active_agg(&a.ad).unwrap();
    let nic = a.sim[owner].nic;
    let id = a.agg_of(0).unwrap().aggregator_identifier;
    w.release(0, nic);
    check_all(&w);
    // The other two ports moved, with the aggregator's state, to another
    // slave's aggregator, and carry on without a hitch.
    let a = &w.bonds[0];
    let rest: Vec<usize> = (0..3).filter(|&n| n != nic).collect();
    assert_eq!(a.groups(), vec![rest.clone()]);
    assert_ne!(a.agg_of(rest[0]).unwrap().aggregator_identifier, id);
    assert!(a.converged());
    for _ in 0..200 {
        w.tick_one_checked(0, check_tick).unwrap();
        assert!(w.bonds[0].converged());
        w.tick_one_checked(1, check_tick).unwrap();
        check_all(&w);
    }
    // The partner's port that faced the released slave heard that it no
    // longer aggregates, then nothing: it expired, defaulted and sits in
    // an aggregator of its own.
    let b = &w.bonds[1];
    assert_eq!(b.groups(), [rest.clone(), vec![nic]]);
    assert_eq!(b.port(nic).sm_rx_state, RxState::Defaulted);
    assert!(nics_converged(b, &rest) && !b.flags(nic).enabled());
}

#[test]
fn half_duplex_port_gets_an_individual_aggregator() {
    for mode in MODES {
        let p = params(true, true, true);
        let mut w = Net::parallel(3, p, p, mode);
        for b in &mut w.bonds {
            b.set_speed(2, 1000, false);
        }
        run_checked(&mut w, 300);
        for b in &w.bonds {
            // LACP is off on it; it is alone in an individual aggregator,
            // which loses to the aggregator of the other two.
            assert_eq!(b.port(2).sm_rx_state, RxState::LacpDisabled);
            assert_eq!(b.groups(), [vec![0, 1], vec![2]]);
            assert!(b.agg_of(2).unwrap().is_individual);
            assert!(!b.agg_of(0).unwrap().is_individual);
            assert!(nics_converged(b, &[0, 1]));
            assert_eq!(b.enabled_nics(), [0, 1]);
        }
    }
}

#[test]
fn ports_without_an_lacp_partner_are_individual() {
    // NICs 0 and 1 are cabled to each other (every LACPDU they get is
    // their own bond's, ignored as a loopback), NIC 2 to a partner that
    // does not speak LACP. Each port keeps the default partner (no
    // system), so none shares an aggregator; the first is active, and C
    // enables the ports of an active aggregator without a partner.
    for mode in MODES {
        let p = params(true, true, true);
        let mut w = Net::new(vec![Bond::new(1, 3, p, mode)], &[((0, 0), (0, 1))]);
        run_checked(&mut w, 300);
        let a = &w.bonds[0];
        assert_eq!(a.groups(), [vec![0], vec![1], vec![2]]);
        assert!(a.ad.iter().all(|s| !s.aggregator.has_partner()));
        assert_eq!(a.enabled_nics(), [0]);
        assert!(a.carrier);
        // Nothing aggregates: the mux machines wait in ATTACHED.
        assert!(a
            .ad
            .iter()
            .all(|s| s.port.sm_mux_state == MuxState::Attached));
        // NIC 0's link goes down: the next one takes over.
        w.bonds[0].set_link(0, false);
        check_all(&w);
        assert_eq!(w.bonds[0].active_nics(), [1]);
        assert_eq!(w.bonds[0].enabled_nics(), [1]);
    }
}

#[test]
fn partner_reporting_individual_ports_still_aggregates_as_in_c() {
    // 802.1AX keeps an Individual link out of any aggregate; C's selection
    // logic does not look at the partner's AGGREGATION bit. Bond 1's ports
    // start reporting themselves individual: bond 0's ports are
    // unselected (the partner information changed), re-select into the
    // same aggregator in the same tick and never stop distributing.
    let p = params(true, true, true);
    let mut w = Net::parallel(2, p, p, AdSelect::Stable);
    w.run_until_converged(200).unwrap();
    for s in &mut w.bonds[1].ad {
        s.port.actor_oper_port_state &= !LACP_STATE_AGGREGATION;
        s.port.ntt = true;
    }
    for _ in 0..300 {
        w.tick_one_checked(0, check_tick).unwrap();
        w.tick_one_checked(1, check_tick).unwrap();
        check_all(&w);
        assert!(w.bonds[0].converged());
        assert_eq!(w.bonds[0].groups(), [vec![0, 1]]);
    }
    for s in &w.bonds[0].ad {
        assert!(!s.port.partner_oper.state_has(LACP_STATE_AGGREGATION));
    }
    assert!(w.bonds[1].converged());
}

#[test]
fn duplex_change_at_the_same_speed_strands_a_port_in_an_individual_aggregator() {
    // ad_update_actor_keys() restarts a port only when its speed changes.
    // NIC 0 of bond 0 goes half duplex: its key loses the duplex bit, LACP
    // is off (it falls silent), but it stays selected. Its partner port is
    // then replaced (released and enslaved again: a new port number), so
    // NIC 0 re-selects with its half-duplex key, into an individual
    // aggregator of its own. (Bond 0 has the long timeout, so the new
    // partner's slow periodic LACPDUs keep it CURRENT.) Full duplex comes
    // back at the same speed: the key is right again, but nothing
    // unselects the port, which stays there, ATTACHED, until its link
    // flaps.
    let mut w = Net::parallel(
        2,
        params(true, false, true),
        params(true, true, true),
        AdSelect::Stable,
    );
    w.run_until_converged(200).unwrap();
    w.bonds[0].set_speed(0, 1000, false);
    w.release(1, 0);
    w.bonds[1].enslave(0);
    run_checked(&mut w, 100);
    let a = &w.bonds[0];
    assert_eq!(a.groups(), [vec![1], vec![0]]);
    assert!(a.agg_of(0).unwrap().is_individual);
    w.bonds[0].set_speed(0, 1000, true);
    run_checked(&mut w, 1000);
    let a = &w.bonds[0];
    assert_eq!(a.groups(), [vec![1], vec![0]]);
    let agg = a.agg_of(0).unwrap();
    assert!(agg.is_individual);
    assert_ne!(agg.actor_oper_aggregator_key, a.port(0).actor_oper_port_key);
    assert!(a.port(0).has(AD_PORT_SELECTED));
    assert_eq!(a.port(0).sm_rx_state, RxState::Current);
    assert_eq!(a.port(0).sm_mux_state, MuxState::Attached);
    assert!(!w.bonds[1].converged());
    w.bonds[0].set_link(0, false);
    w.bonds[0].set_link(0, true);
    w.run_until_converged(400).expect("no convergence");
    assert_eq!(w.bonds[0].groups(), [vec![0, 1]]);
    assert_eq!(w.bonds[1].groups(), [vec![0, 1]]);
}
