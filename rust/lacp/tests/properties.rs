// SPDX-License-Identifier: GPL-2.0

//! Property tests (proptest): the PDU codec on arbitrary bytes, the
//! machines and the aggregator logic on arbitrary states, and simulated
//! bonds (see `common`) driven by arbitrary event sequences.

mod common;

use common::{check_aggregators, check_always, check_tick, Bond, Net};
use lacp::aggregator::{
    ad_agg_selection_logic, ad_port_selection_logic, agg_bandwidth, agg_ports_are_ready,
    bond_3ad_get_active_agg_info, bond_3ad_handle_link_change, bond_3ad_set_carrier,
    bond_3ad_unbind_slave, get_active_agg, lag_ports, mux_aggregator_view, remove_slave,
    set_agg_ports_ready, AdSelect, AdSlave, Aggregator,
};
use lacp::churn::{ad_churn_machine, ChurnState};
use lacp::mux::{ad_mux_machine, AggregatorView, MuxEnv, MuxState, SlaveView};
use lacp::pdu::{
    decode, decode_frame, marker_received, Lacpdu, Marker, MarkerTlv, PduInfo, SlowPdu, ETH_P_SLOW,
    LACPDU_LEN, LACPDU_MCAST_ADDR,
};
use lacp::periodic::{ad_periodic_machine, PeriodicState};
use lacp::port::{BondParams, LinkInfo, PortState};
use lacp::rx::{ad_rx_machine, RxState};
use lacp::state::PortParams;
use lacp::tx::ad_tx_machine;
use proptest::prelude::*;

prop_compose! {
    fn info()(system_priority in any::<u16>(), system in any::<[u8; 6]>(), key in any::<u16>(),
              port_priority in any::<u16>(), port in any::<u16>(), state in any::<u8>()) -> PduInfo {
        PduInfo { system_priority, system, key, port_priority, port, state }
    }
}

prop_compose! {
    fn lacpdu()(actor in info(), partner in info(), collector_max_delay in any::<u16>()) -> Lacpdu {
        Lacpdu { actor, partner, collector_max_delay }
    }
}

prop_compose! {
    fn marker()(version_number in any::<u8>(), resp in any::<bool>(), marker_length in any::<u8>(),
                requester_port in any::<u16>(), requester_system in any::<[u8; 6]>(),
                requester_transaction_id in any::<u32>(), pad in any::<u16>(),
                tlv_type_terminator in any::<u8>(), terminator_length in any::<u8>(),
                reserved in prop::collection::vec(any::<u8>(), 90)) -> Marker {
        let mut reserved_90 = [0u8; 90];
        reserved_90.copy_from_slice(&reserved);
        Marker {
            version_number,
            tlv_type: if resp { MarkerTlv::Response } else { MarkerTlv::Information },
            marker_length, requester_port, requester_system, requester_transaction_id, pad,
            tlv_type_terminator, terminator_length, reserved_90,
        }
    }
}

/// Payloads that look like slow protocol PDUs often enough to reach every
/// branch: subtype and TLV type from small sets, lengths around 110.
fn payload() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(any::<u8>(), 0..140),
        0u8..4,
        0u8..4,
        any::<bool>(),
    )
        .prop_map(|(mut v, sub, tlv, shape)| {
            if shape {
                if let Some(b) = v.get_mut(0) {
                    *b = sub;
                }
                if let Some(b) = v.get_mut(2) {
                    *b = tlv;
                }
            }
            v
        })
}

fn params() -> impl Strategy<Value = BondParams> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(a, f, c)| BondParams {
        lacp_active: a,
        lacp_fast: f,
        coupled_control: c,
    })
}

fn rx_state() -> impl Strategy<Value = RxState> {
    prop::sample::select(vec![
        RxState::Dummy,
        RxState::Initialize,
        RxState::PortDisabled,
        RxState::LacpDisabled,
        RxState::Expired,
        RxState::Defaulted,
        RxState::Current,
    ])
}

fn mux_state() -> impl Strategy<Value = MuxState> {
    prop::sample::select(vec![
        MuxState::Dummy,
        MuxState::Detached,
        MuxState::Waiting,
        MuxState::Attached,
        MuxState::Collecting,
        MuxState::Distributing,
        MuxState::CollectingDistributing,
    ])
}

fn periodic_state() -> impl Strategy<Value = PeriodicState> {
    prop::sample::select(vec![
        PeriodicState::Dummy,
        PeriodicState::NoPeriodic,
        PeriodicState::FastPeriodic,
        PeriodicState::SlowPeriodic,
        PeriodicState::PeriodicTx,
    ])
}

fn churn_state() -> impl Strategy<Value = ChurnState> {
    prop::sample::select(vec![
        ChurnState::Monitor,
        ChurnState::Churn,
        ChurnState::NoChurn,
    ])
}

fn params_block() -> impl Strategy<Value = PortParams> {
    info().prop_flat_map(|i| {
        any::<u16>().prop_map(move |state| PortParams {
            system: i.system,
            system_priority: i.system_priority,
            key: i.key,
            port_number: i.port,
            port_priority: i.port_priority,
            port_state: state,
        })
    })
}

/// Any port state at all, including ones C never reaches.
fn any_port() -> impl Strategy<Value = PortState> {
    (
        (
            any::<[u16; 8]>(),
            any::<[u8; 6]>(),
            any::<[u8; 3]>(),
            any::<[bool; 2]>(),
        ),
        (params_block(), params_block()),
        (rx_state(), periodic_state(), mux_state()),
        (
            churn_state(),
            churn_state(),
            any::<[u32; 3]>(),
            any::<[u16; 2]>(),
        ),
    )
        .prop_map(|(a, (admin, oper), (rx, per, mux), (ca, cp, c32, c16))| {
            let mut p = PortState::ZERO;
            p.actor_port_number = a.0[0];
            p.actor_port_priority = a.0[1];
            p.actor_system_priority = a.0[2];
            p.actor_admin_port_key = a.0[3];
            p.actor_oper_port_key = a.0[4];
            p.sm_vars = a.0[5];
            p.sm_rx_timer_counter = a.0[6];
            p.sm_periodic_timer_counter = a.0[7];
            p.actor_system = a.1;
            p.actor_admin_port_state = a.2[0];
            p.actor_oper_port_state = a.2[1];
            p.ntt = a.3[0];
            p.is_enabled = a.3[1];
            p.partner_admin = admin;
            p.partner_oper = oper;
            p.sm_rx_state = rx;
            p.sm_periodic_state = per;
            p.sm_mux_state = mux;
            p.sm_mux_timer_counter = a.2[2] as u16;
            p.sm_tx_timer_counter = c16[0];
            p.sm_churn_actor_timer_counter = c16[1];
            p.sm_churn_partner_timer_counter = c16[0] ^ c16[1];
            p.sm_churn_actor_state = ca;
            p.sm_churn_partner_state = cp;
            p.churn_actor_count = c32[0];
            p.churn_partner_count = c32[1];
            p.transaction_id = c32[2];
            p
        })
}

fn mux_env() -> impl Strategy<Value = MuxEnv> {
    (prop::option::of(any::<[bool; 3]>()), any::<[bool; 5]>()).prop_map(|(agg, b)| MuxEnv {
        aggregator: agg.map(|a| AggregatorView {
            is_active: a[0],
            has_partner: a[1],
            others_ready_n: a[2],
        }),
        agg_select_timer: b[0],
        coupled_control: b[1],
        slave: SlaveView {
            link_up: b[2],
            active: b[3],
            rx_disabled: b[4],
        },
    })
}

proptest! {
    #[test]
    fn decode_never_panics(bytes in payload()) {
        let r = decode(&bytes);
        if bytes.len() < LACPDU_LEN {
            prop_assert!(r.is_err());
        }
        if let Ok(pdu) = r {
            let _ = pdu.rx_stat();
            if let SlowPdu::Marker(m) = pdu {
                let _ = marker_received(&m);
            }
        }
        // The same bytes behind a slow-protocols header, and raw.
        let mut frame = Vec::from(LACPDU_MCAST_ADDR);
        frame.extend_from_slice(&[2, 0, 0, 0, 0, 1]);
        frame.extend_from_slice(&ETH_P_SLOW.to_be_bytes());
        frame.extend_from_slice(&bytes);
        prop_assert_eq!(decode_frame(&frame), r);
        let _ = decode_frame(&bytes);
        if let Err(e) = decode_frame(&bytes) {
            let _ = (e.stat(), e.consumed());
        }
    }

    #[test]
    fn lacpdu_encode_decode_roundtrip(l in lacpdu(), src in any::<[u8; 6]>()) {
        let b = l.encode();
        prop_assert_eq!(Lacpdu::decode(&b), Some(l));
        prop_assert_eq!(decode_frame(&l.encode_frame(&src)), Ok(SlowPdu::Lacpdu(l)));
    }

    #[test]
    fn lacpdu_decode_keeps_what_c_reads(mut bytes in prop::collection::vec(any::<u8>(), 110..130)) {
        bytes[0] = 1;
        let l = Lacpdu::decode(&bytes).unwrap();
        let b = l.encode();
        // Every byte C reads is kept (the actor/partner TLV values and the
        // collector delay); the rest is C's template.
        for r in [4..19, 24..39, 44..46] {
            prop_assert_eq!(&b[r.clone()], &bytes[r]);
        }
        prop_assert_eq!(Lacpdu::decode(&b), Some(l));
    }

    #[test]
    fn marker_roundtrip_is_byte_exact(m in marker(), src in any::<[u8; 6]>()) {
        let b = m.encode();
        prop_assert_eq!(Marker::decode(&b), Ok(m));
        prop_assert_eq!(decode(&b), Ok(SlowPdu::Marker(m)));
        prop_assert_eq!(Marker::decode(&b).unwrap().encode(), b);
        // The response differs from the information PDU in byte 2 only.
        let r = m.response().encode_frame(&src);
        let f = m.encode_frame(&src);
        for i in 0..f.len() {
            if i == 16 {
                prop_assert_eq!(r[i], 2);
            } else {
                prop_assert_eq!(r[i], f[i]);
            }
        }
    }

    #[test]
    fn machines_never_panic_on_any_state(mut p in any_port(), pdu in prop::option::of(lacpdu()),
                                         env in mux_env(), rounds in 1usize..40) {
        for i in 0..rounds {
            let pdu = if i == 0 { pdu } else { None };
            ad_rx_machine(pdu.as_ref(), &mut p);
            ad_periodic_machine(&mut p);
            let o = ad_mux_machine(&mut p, &env);
            prop_assert!(o.actions.iter().count() <= 2);
            if let Some(l) = ad_tx_machine(&mut p) {
                prop_assert_eq!(Lacpdu::decode(&l.encode()), Some(l));
            }
            ad_churn_machine(&mut p);
            prop_assert!(p.sm_vars & lacp::state::AD_PORT_CHURNED == 0);
        }
    }
}

fn ad_select() -> impl Strategy<Value = AdSelect> {
    prop::sample::select(vec![AdSelect::Stable, AdSelect::Bandwidth, AdSelect::Count])
}

/// An index that may be out of range of the slices below (at most 5).
fn index() -> impl Strategy<Value = Option<usize>> {
    prop::option::of(0usize..7)
}

fn any_aggregator() -> impl Strategy<Value = Aggregator> {
    (
        any::<[u16; 5]>(),
        any::<[bool; 4]>(),
        any::<[u8; 6]>(),
        index(),
        prop::sample::select(vec![[0u8; 6], [2, 0, 0, 0, 0, 9]]),
    )
        .prop_map(|(k, b, mac, lag, partner)| Aggregator {
            aggregator_mac_address: mac,
            aggregator_identifier: k[0],
            is_individual: b[0],
            actor_admin_aggregator_key: k[1],
            actor_oper_aggregator_key: k[2],
            partner_system: partner,
            partner_system_priority: k[3],
            partner_oper_aggregator_key: k[4],
            receive_state: b[1],
            transmit_state: b[2],
            lag_ports: lag,
            is_active: b[3],
            num_of_ports: k[4] % 4,
        })
}

/// Any slave entry at all: corrupt lists and counts included.
fn any_ad_slave() -> impl Strategy<Value = AdSlave> {
    (
        any_port(),
        any_aggregator(),
        index(),
        index(),
        any::<[bool; 4]>(),
        prop::sample::select(vec![1000u32, 10000, 12345]),
    )
        .prop_map(|(port, aggregator, pa, next, b, speed)| AdSlave {
            port,
            aggregator,
            port_aggregator: pa,
            next_port_in_aggregator: next,
            bound: b[0],
            link: LinkInfo {
                up: b[1],
                speed,
                full_duplex: b[2],
            },
            dev_up: b[3],
        })
}

proptest! {
    /// The aggregator logic on any slice, corrupt or not, with any
    /// indexes: no panic, no endless list walk, and after a selection at
    /// most one bound aggregator is active, the one it reports. (Not after
    /// an unbinding: on a corrupt list its selection may pick the
    /// unbinding slave's own aggregator, which C would then free.)
    #[test]
    fn aggregator_logic_never_panics(mut slaves in prop::collection::vec(any_ad_slave(), 0..6),
                                     ops in prop::collection::vec((0u8..6, 0usize..8, ad_select()), 1..24)) {
        for (op, i, mode) in ops {
            let sel = match op {
                0 => ad_port_selection_logic(&mut slaves, i, mode).selection,
                1 => Some(ad_agg_selection_logic(&mut slaves, mode)),
                2 => bond_3ad_unbind_slave(&mut slaves, i, mode).and_then(|u| u.selection),
                3 => {
                    let _ = remove_slave(&mut slaves, i);
                    None
                }
                4 => bond_3ad_handle_link_change(&mut slaves, i, mode == AdSelect::Stable, mode)
                    .map(|c| c.selection),
                _ => {
                    let _ = mux_aggregator_view(&slaves, i);
                    let _ = bond_3ad_get_active_agg_info(&slaves);
                    let _ = bond_3ad_set_carrier(&slaves, i as u32);
                    let _ = (agg_bandwidth(&slaves, i), agg_ports_are_ready(&slaves, Some(i)));
                    set_agg_ports_ready(&mut slaves, i, mode == AdSelect::Count);
                    None
                }
            };
            prop_assert!(lag_ports(&slaves, i).count() <= slaves.len());
            if let Some(sel) = sel {
                prop_assert!(sel.actions(&slaves).count() <= 2 * slaves.len());
                let active = slaves.iter().filter(|s| s.bound && s.aggregator.is_active).count();
                prop_assert!(active <= 1, "{} active", active);
                if op != 2 {
                    prop_assert_eq!(sel.active, get_active_agg(&slaves));
                }
            }
        }
    }
}

/// One event of a simulation. Bond, NIC and cable numbers are reduced
/// modulo the counts of the network they are applied to.
#[derive(Clone, Debug)]
enum Ev {
    /// Every bond runs `n` ticks (in bond order each time).
    Tick(u8),
    /// Only bond `b` runs a tick.
    TickOne(u8),
    /// The next `n` frames through cable `c` towards its end `e` are lost.
    Lose(u8, u8, u8),
    /// Cable `c` is (un)plugged: both ends see it.
    Cable(u8, bool),
    /// NIC `n` of bond `b` alone sees its link change.
    Link(u8, u8, bool),
    /// NIC `n` of bond `b` reports a new speed / duplex.
    Speed(u8, u8, u32, bool),
    /// `lacp_rate` on bond `b`.
    Fast(u8, bool),
    /// `lacp_active` on bond `b`.
    Active(u8, bool),
    /// The port on NIC `n` of bond `b` receives its own LACPDU.
    Loopback(u8, u8),
    /// NIC `n` of bond `b` sends a Marker information PDU.
    Marker(u8, u8),
    /// NIC `n` is released from bond `b`.
    Release(u8, u8),
    /// NIC `n` is enslaved (again) to bond `b`.
    Enslave(u8, u8),
}

fn event() -> impl Strategy<Value = Ev> {
    let x = any::<u8>;
    prop_oneof![
        12 => (1u8..60).prop_map(Ev::Tick),
        3 => x().prop_map(Ev::TickOne),
        2 => (x(), x(), 1u8..20).prop_map(|(c, e, n)| Ev::Lose(c, e, n)),
        1 => (x(), any::<bool>()).prop_map(|(c, u)| Ev::Cable(c, u)),
        2 => (x(), x(), any::<bool>()).prop_map(|(b, n, u)| Ev::Link(b, n, u)),
        1 => (x(), x(), prop::sample::select(vec![100u32, 1000, 10000, 12345]), any::<bool>())
            .prop_map(|(b, n, s, f)| Ev::Speed(b, n, s, f)),
        1 => (x(), any::<bool>()).prop_map(|(b, f)| Ev::Fast(b, f)),
        1 => (x(), any::<bool>()).prop_map(|(b, a)| Ev::Active(b, a)),
        1 => (x(), x()).prop_map(|(b, n)| Ev::Loopback(b, n)),
        1 => (x(), x()).prop_map(|(b, n)| Ev::Marker(b, n)),
    ]
}

/// [`event`] plus releasing and enslaving NICs.
fn bond_event() -> impl Strategy<Value = Ev> {
    let x = any::<u8>;
    prop_oneof![
        10 => event(),
        1 => (x(), x()).prop_map(|(b, n)| Ev::Release(b, n)),
        1 => (x(), x()).prop_map(|(b, n)| Ev::Enslave(b, n)),
    ]
}

fn all_ports(w: &Net) -> Vec<Vec<PortState>> {
    w.bonds
        .iter()
        .map(|b| b.ad.iter().map(|s| s.port).collect())
        .collect()
}

/// Checks every bond's invariants (see `common`).
fn check_net(w: &Net) -> Result<(), TestCaseError> {
    for b in &w.bonds {
        check_always(b).map_err(TestCaseError::fail)?;
        check_aggregators(b, false).map_err(TestCaseError::fail)?;
    }
    Ok(())
}

/// Applies `ev`, checking the invariants after every tick and event.
fn apply(w: &mut Net, ev: &Ev) -> Result<(), TestCaseError> {
    let tick = |w: &mut Net, b: usize| -> Result<(), TestCaseError> {
        w.tick_one_checked(b, check_tick)
            .map_err(TestCaseError::fail)?;
        check_net(w)
    };
    let nb = w.bonds.len();
    let bond = |b: u8| b as usize % nb;
    let nic = |w: &Net, b: usize, n: u8| n as usize % w.bonds[b].nics.len();
    match *ev {
        Ev::Tick(n) => {
            for _ in 0..n {
                for b in 0..nb {
                    tick(w, b)?;
                }
            }
        }
        Ev::TickOne(b) => tick(w, bond(b))?,
        Ev::Lose(c, e, n) => {
            let c = c as usize % w.cables.len();
            let d = &mut w.cables[c].drop[e as usize % 2];
            *d = d.saturating_add(n as u32);
        }
        Ev::Cable(c, up) => {
            let c = c as usize % w.cables.len();
            w.set_cable(c, up);
        }
        Ev::Link(b, n, up) => {
            let b = bond(b);
            let n = nic(w, b, n);
            w.bonds[b].set_link(n, up);
        }
        Ev::Speed(b, n, s, f) => {
            let b = bond(b);
            let n = nic(w, b, n);
            w.bonds[b].set_speed(n, s, f);
        }
        Ev::Fast(b, f) => w.bonds[bond(b)].set_fast(f),
        Ev::Active(b, a) => w.bonds[bond(b)].set_active(a),
        Ev::Loopback(b, n) => {
            let b = bond(b);
            let n = nic(w, b, n);
            let s = &mut w.bonds[b];
            if let Some(i) = s.slave_of(n) {
                let f = Lacpdu::from_port(&s.ad[i].port).encode_frame(&s.nics[n].perm_mac);
                s.receive(n, &f);
            }
        }
        Ev::Marker(b, n) => {
            let b = bond(b);
            let n = nic(w, b, n);
            let m = Marker::information(1, w.bonds[b].system.sys_mac_addr, 7);
            let before = all_ports(w);
            if let Some(resp) = w.marker_roundtrip(b, n, &m) {
                prop_assert_eq!(&resp[14..], &m.response().encode()[..]);
            }
            // Markers never touch the LACP state.
            prop_assert_eq!(before, all_ports(w));
        }
        Ev::Release(b, n) => {
            let b = bond(b);
            let n = nic(w, b, n);
            w.release(b, n);
        }
        Ev::Enslave(b, n) => {
            let b = bond(b);
            let n = nic(w, b, n);
            w.bonds[b].enslave(n);
        }
    }
    check_net(w)
}

/// Brings the network back to health: every NIC enslaved, every cable up
/// at 1 Gb/s full duplex, no frame lost, at least one bond LACP-active.
///
/// Three exceptions to C's self-stabilisation are worked around, all C
/// behaviour shown in the scenario tests: two passive ends can stay down
/// for good (as 802.1AX intends), so one end is made active; a port whose
/// receive machine went to LACP_DISABLED (half duplex) stays there when
/// full duplex returns at the same speed, until its link flaps; and a
/// port that re-selected while half duplex stays in its individual
/// aggregator (whose key is no longer its own) when full duplex returns
/// at the same speed, until its link flaps. Such ports' links are flapped.
fn heal(w: &mut Net) {
    for b in &mut w.bonds {
        for n in 0..b.nics.len() {
            b.enslave(n);
        }
    }
    w.set_cables(true);
    for b in &mut w.bonds {
        for n in 0..b.nics.len() {
            b.set_speed(n, 1000, true);
        }
    }
    if !w.bonds.iter().any(|s| s.params.lacp_active) {
        w.bonds[0].set_active(true);
    }
    for b in &mut w.bonds {
        for i in 0..b.ad.len() {
            let port = &b.ad[i].port;
            let stale_key = b.ad[i].port_aggregator.is_some_and(|a| {
                b.ad[a].aggregator.actor_oper_aggregator_key != port.actor_oper_port_key
            });
            if port.sm_rx_state == RxState::LacpDisabled || stale_key {
                let n = b.sim[i].nic;
                b.set_link(n, false);
                b.set_link(n, true);
            }
        }
    }
    for c in &mut w.cables {
        c.drop = [0, 0];
    }
}

/// The networks the bond properties run on.
#[derive(Clone, Copy, Debug)]
enum Topo {
    /// Two bonds of two slaves, back to back.
    Parallel2,
    /// Two bonds of three slaves, back to back.
    Parallel3,
    /// A bond of three slaves: two to a bond of two, one to a bond of one.
    ThreeSystems,
    /// A bond of three slaves: two cabled to each other, one to a bond of
    /// one.
    Looped,
}

fn topo() -> impl Strategy<Value = Topo> {
    prop::sample::select(vec![
        Topo::Parallel2,
        Topo::Parallel3,
        Topo::ThreeSystems,
        Topo::Looped,
    ])
}

fn build(t: Topo, a: BondParams, b: BondParams, mode: AdSelect) -> Net {
    match t {
        Topo::Parallel2 => Net::parallel(2, a, b, mode),
        Topo::Parallel3 => Net::parallel(3, a, b, mode),
        Topo::ThreeSystems => Net::new(
            vec![
                Bond::new(1, 3, a, mode),
                Bond::new(2, 2, b, mode),
                Bond::new(3, 1, b, mode),
            ],
            &[((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (2, 0))],
        ),
        Topo::Looped => Net::new(
            vec![Bond::new(1, 3, a, mode), Bond::new(2, 1, b, mode)],
            &[((0, 0), (0, 1)), ((0, 2), (1, 0))],
        ),
    }
}

proptest! {
    /// Two single-slave bonds under any sequence of ticks, losses, link
    /// and speed changes, option changes, looped-back LACPDUs and markers
    /// never reach a state combination the C code excludes (see
    /// `common::check_always`, `common::check_after_tick` and
    /// `common::check_aggregators`).
    #[test]
    fn two_ports_keep_invariants(a in params(), b in params(),
                                 evs in prop::collection::vec(event(), 1..60)) {
        let mut w = Net::pair(a, b);
        for ev in &evs {
            apply(&mut w, ev)?;
        }
    }

    /// Whatever happened before, once the network is healthy again (see
    /// [`heal`]), the two ports aggregate again (C's machines are
    /// self-stabilising here), within 90 s.
    #[test]
    fn two_ports_always_reconverge(a in params(), b in params(),
                                   evs in prop::collection::vec(event(), 0..60)) {
        let mut w = Net::pair(a, b);
        for ev in &evs {
            apply(&mut w, ev)?;
        }
        heal(&mut w);
        let t = w.run_until_converged(2000);
        prop_assert!(t.is_some(), "no convergence: {:?}", all_ports(&w));
        prop_assert!(t.unwrap() <= 900, "converged after {} ticks", t.unwrap());
    }

    /// Bonds of several slaves in any of the [`Topo`] networks, under any
    /// `ad_select` and any sequence of the events above plus releasing and
    /// enslaving slaves, keep every invariant, in particular the
    /// aggregator bookkeeping (`common::check_aggregators`): at most one
    /// active aggregator per bond, every port on exactly one aggregator's
    /// list after each tick, `num_of_ports` equal to the ports pointing at
    /// the aggregator.
    #[test]
    fn bonds_keep_aggregator_invariants(t in topo(), a in params(), b in params(),
                                        mode in ad_select(),
                                        evs in prop::collection::vec(bond_event(), 1..60)) {
        let mut w = build(t, a, b, mode);
        for ev in &evs {
            apply(&mut w, ev)?;
        }
    }

    /// Two bonds of two or three slaves back to back, after anything, once
    /// healthy again end with all ports of each bond in one aggregator, the
    /// active one, every port aggregating, within 90 s.
    #[test]
    fn parallel_bonds_reconverge_into_one_aggregator(
        three in any::<bool>(), a in params(), b in params(), mode in ad_select(),
        evs in prop::collection::vec(bond_event(), 0..60)
    ) {
        let n = if three { 3 } else { 2 };
        let mut w = Net::parallel(n, a, b, mode);
        for ev in &evs {
            apply(&mut w, ev)?;
        }
        heal(&mut w);
        let t = w.run_until_converged(2000);
        prop_assert!(t.is_some(), "no convergence: {:?} {:?}",
                     w.bonds.iter().map(Bond::groups).collect::<Vec<_>>(), all_ports(&w));
        prop_assert!(t.unwrap() <= 900, "converged after {} ticks", t.unwrap());
        let all: Vec<usize> = (0..n).collect();
        for bd in &w.bonds {
            prop_assert_eq!(bd.groups(), vec![all.clone()]);
            prop_assert_eq!(bd.active_nics(), all.clone());
        }
    }
}

#[test]
fn zeroed_port_is_inert() {
    // A port that was never bound (no BEGIN, no tx timer) does nothing.
    let mut p = PortState::ZERO;
    for _ in 0..100 {
        ad_rx_machine(None, &mut p);
        ad_periodic_machine(&mut p);
        assert!(ad_mux_machine(&mut p, &MuxEnv::default())
            .actions
            .is_empty());
        assert_eq!(ad_tx_machine(&mut p), None);
        ad_churn_machine(&mut p);
    }
    assert_eq!(p.sm_rx_state, RxState::PortDisabled);
    assert_eq!(p.sm_periodic_state, PeriodicState::NoPeriodic);
    assert_eq!(p.sm_mux_state, MuxState::Dummy);
}
