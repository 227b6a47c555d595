// SPDX-License-Identifier: GPL-2.0

//! The Slow Protocols PDUs of 802.3ad: the LACPDU and the Marker PDU.
//!
//! Mirrors, from Linux 6.12:
//!
//! * `struct lacpdu` and `struct bond_marker` (include/net/bond_3ad.h),
//!   110 bytes each after the Ethernet header, as [`Lacpdu`] and
//!   [`Marker`];
//! * the receive checks of `bond_3ad_lacpdu_recv()` (protocol
//!   `ETH_P_SLOW`, destination the Slow Protocols multicast address, at
//!   least 110 bytes readable) and the dispatch of
//!   `bond_3ad_rx_indication()` (subtype 1 LACPDU, subtype 2 Marker with
//!   TLV type 1 information or 2 response) as [`decode_frame`] and
//!   [`decode`];
//! * the frames `ad_lacpdu_send()` and `ad_marker_send()` build, with the
//!   LACPDU body of `ad_initialize_port()`'s template filled in by
//!   `__update_lacpdu_from_port()`, as [`Lacpdu::from_port`],
//!   [`Lacpdu::encode_frame`] and [`Marker::encode_frame`];
//! * `ad_marker_info_received()` / `ad_marker_response_received()` as
//!   [`marker_received`].
//!
//! Like C, decoding does not look at the version, the TLV types and
//! lengths of a LACPDU, or the reserved bytes: a 110-byte payload with
//! subtype 1 is a LACPDU. Nothing here panics on any input; multi-byte
//! fields are big-endian on the wire.

use super::port::PortState;
use super::state::{MacAddr, AD_COLLECTOR_MAX_DELAY};

/// `ETH_P_SLOW`: the Slow Protocols ethertype (`PKT_TYPE_LACPDU`).
pub const ETH_P_SLOW: u16 = 0x8809;
/// `lacpdu_mcast_addr`: the Slow Protocols multicast address.
pub const LACPDU_MCAST_ADDR: MacAddr = [0x01, 0x80, 0xc2, 0x00, 0x00, 0x02];
/// `ETH_HLEN`.
pub const ETH_HLEN: usize = 14;
/// `sizeof(struct lacpdu)`.
pub const LACPDU_LEN: usize = 110;
/// `sizeof(struct bond_marker)`.
pub const MARKER_LEN: usize = 110;
/// `sizeof(struct lacpdu_header)`: the frame `ad_lacpdu_send()` sends.
pub const LACPDU_FRAME_LEN: usize = ETH_HLEN + LACPDU_LEN;
/// `sizeof(struct bond_marker_header)`: the frame `ad_marker_send()` sends.
pub const MARKER_FRAME_LEN: usize = ETH_HLEN + MARKER_LEN;

/// `AD_TYPE_LACPDU`: the LACPDU subtype.
pub const AD_TYPE_LACPDU: u8 = 1;
/// `AD_TYPE_MARKER`: the Marker PDU subtype.
pub const AD_TYPE_MARKER: u8 = 2;
/// `AD_MARKER_INFORMATION_SUBTYPE`: Marker information TLV type.
pub const AD_MARKER_INFORMATION_SUBTYPE: u8 = 1;
/// `AD_MARKER_RESPONSE_SUBTYPE`: Marker response TLV type.
pub const AD_MARKER_RESPONSE_SUBTYPE: u8 = 2;

/// The version number C puts in the PDUs it builds.
pub const LACP_VERSION: u8 = 1;
/// Actor and partner information TLV length (`0x14`).
pub const INFO_TLV_LEN: u8 = 0x14;
/// Collector information TLV length (`0x10`).
pub const COLLECTOR_TLV_LEN: u8 = 0x10;
/// Marker information/response TLV length (`0x16`).
pub const MARKER_TLV_LEN: u8 = 0x16;

// Offsets in struct lacpdu.
const ACTOR_INFO: usize = 4;
const PARTNER_INFO: usize = 24;
const COLLECTOR_MAX_DELAY: usize = 44;

/// The 802.3ad counters (`struct bond_3ad_stats`) a PDU event bumps, on the
/// slave and on the bond.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stat {
    /// `lacpdu_rx` (bumped by `ad_rx_machine()` for every LACPDU).
    LacpduRx,
    /// `lacpdu_tx`.
    LacpduTx,
    /// `lacpdu_unknown_rx`.
    LacpduUnknownRx,
    /// `lacpdu_illegal_rx`.
    LacpduIllegalRx,
    /// `marker_rx`.
    MarkerRx,
    /// `marker_tx`.
    MarkerTx,
    /// `marker_resp_rx`.
    MarkerRespRx,
    /// `marker_resp_tx`.
    MarkerRespTx,
    /// `marker_unknown_rx`.
    MarkerUnknownRx,
}

/// Why a received frame is not a PDU for the 802.3ad code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RxError {
    /// The protocol is not `ETH_P_SLOW` (or the frame has no Ethernet
    /// header).
    NotSlowProtocol,
    /// The destination is not [`LACPDU_MCAST_ADDR`].
    NotLacpMulticast,
    /// Fewer than 110 bytes after the Ethernet header
    /// (`skb_header_pointer()` fails).
    Short,
    /// A subtype other than LACPDU or Marker.
    UnknownSubtype(u8),
    /// A Marker PDU whose TLV type is neither information nor response.
    UnknownMarkerTlv(u8),
}

impl RxError {
    /// Whether C consumes the frame (`RX_HANDLER_CONSUMED`) rather than
    /// passing it on (`RX_HANDLER_ANOTHER`).
    pub const fn consumed(&self) -> bool {
        matches!(self, RxError::UnknownMarkerTlv(_))
    }

    /// The counter C bumps, if any.
    pub const fn stat(&self) -> Option<Stat> {
        match self {
            RxError::NotSlowProtocol | RxError::NotLacpMulticast => None,
            RxError::Short => Some(Stat::LacpduIllegalRx),
            RxError::UnknownSubtype(_) => Some(Stat::LacpduUnknownRx),
            RxError::UnknownMarkerTlv(_) => Some(Stat::MarkerUnknownRx),
        }
    }
}

/// One end's information TLV in a LACPDU (the `actor_*` or `partner_*`
/// fields of `struct lacpdu`), in host order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct PduInfo {
    /// `*_system_priority`.
    pub system_priority: u16,
    /// `*_system`.
    pub system: MacAddr,
    /// `*_key`.
    pub key: u16,
    /// `*_port_priority`.
    pub port_priority: u16,
    /// `*_port`.
    pub port: u16,
    /// `*_state`: `LACP_STATE_*` bits.
    pub state: u8,
}

impl PduInfo {
    fn read(b: &[u8; LACPDU_LEN], at: usize) -> PduInfo {
        let mut system = [0; 6];
        if let Some(s) = b.get(at + 2..at + 8) {
            system.copy_from_slice(s);
        }
        PduInfo {
            system_priority: be16(b, at),
            system,
            key: be16(b, at + 8),
            port_priority: be16(b, at + 10),
            port: be16(b, at + 12),
            state: b.get(at + 14).copied().unwrap_or(0),
        }
    }

    fn write(&self, b: &mut [u8; LACPDU_LEN], at: usize) {
        put16(b, at, self.system_priority);
        if let Some(s) = b.get_mut(at + 2..at + 8) {
            s.copy_from_slice(&self.system);
        }
        put16(b, at + 8, self.key);
        put16(b, at + 10, self.port_priority);
        put16(b, at + 12, self.port);
        if let Some(s) = b.get_mut(at + 14) {
            *s = self.state;
        }
    }
}

/// A LACPDU (`struct lacpdu`): the fields C reads or writes. The fixed
/// header (subtype, version, TLV types and lengths), the reserved bytes
/// and the terminator are implied: C ignores them on receive and sends
/// its template's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Lacpdu {
    /// The sender's own information.
    pub actor: PduInfo,
    /// What the sender knows of its partner (the receiver).
    pub partner: PduInfo,
    /// `collector_max_delay` (C sends [`AD_COLLECTOR_MAX_DELAY`]).
    pub collector_max_delay: u16,
}

impl Lacpdu {
    /// `__update_lacpdu_from_port()`: the LACPDU `ad_tx_machine()` sends for
    /// `port`. The partner state, a `u16` in `struct port_params`, is
    /// truncated to its low byte as C's assignment does.
    pub fn from_port(port: &PortState) -> Lacpdu {
        let partner = &port.partner_oper;
        Lacpdu {
            actor: PduInfo {
                system_priority: port.actor_system_priority,
                system: port.actor_system,
                key: port.actor_oper_port_key,
                port_priority: port.actor_port_priority,
                port: port.actor_port_number,
                state: port.actor_oper_port_state,
            },
            partner: PduInfo {
                system_priority: partner.system_priority,
                system: partner.system,
                key: partner.key,
                port_priority: partner.port_priority,
                port: partner.port_number,
                state: partner.port_state as u8,
            },
            collector_max_delay: AD_COLLECTOR_MAX_DELAY,
        }
    }

    /// Decodes a LACPDU payload (the bytes after the Ethernet header): at
    /// least 110 bytes with subtype 1, anything else is `None`.
    pub fn decode(payload: &[u8]) -> Option<Lacpdu> {
        let b = array_ref::<LACPDU_LEN>(payload)?;
        if b[0] != AD_TYPE_LACPDU {
            return None;
        }
        Some(Lacpdu {
            actor: PduInfo::read(b, ACTOR_INFO),
            partner: PduInfo::read(b, PARTNER_INFO),
            collector_max_delay: be16(b, COLLECTOR_MAX_DELAY),
        })
    }

    /// The 110-byte `struct lacpdu` as C sends it: `ad_initialize_port()`'s
    /// template (subtype 1, version 1, actor TLV 1/20, partner TLV 2/20,
    /// collector TLV 3/16, terminator 0/0, zero reserved bytes) with this
    /// PDU's fields.
    pub fn encode(&self) -> [u8; LACPDU_LEN] {
        let mut b = [0u8; LACPDU_LEN];
        b[0] = AD_TYPE_LACPDU;
        b[1] = LACP_VERSION;
        b[2] = 0x01;
        b[3] = INFO_TLV_LEN;
        self.actor.write(&mut b, ACTOR_INFO);
        b[22] = 0x02;
        b[23] = INFO_TLV_LEN;
        self.partner.write(&mut b, PARTNER_INFO);
        b[42] = 0x03;
        b[43] = COLLECTOR_TLV_LEN;
        put16(&mut b, COLLECTOR_MAX_DELAY, self.collector_max_delay);
        b
    }

    /// The 124-byte frame of `ad_lacpdu_send()`: destination
    /// [`LACPDU_MCAST_ADDR`], source `src` (the slave's permanent address),
    /// protocol [`ETH_P_SLOW`], then [`Lacpdu::encode`].
    pub fn encode_frame(&self, src: &MacAddr) -> [u8; LACPDU_FRAME_LEN] {
        let mut f = [0u8; LACPDU_FRAME_LEN];
        put_eth_header(&mut f, src);
        if let Some(body) = f.get_mut(ETH_HLEN..) {
            body.copy_from_slice(&self.encode());
        }
        f
    }
}

/// The TLV type of a Marker PDU (`bond_marker_subtype_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerTlv {
    /// `AD_MARKER_INFORMATION_SUBTYPE`.
    Information = 1,
    /// `AD_MARKER_RESPONSE_SUBTYPE`.
    Response = 2,
}

/// A Marker PDU (`struct bond_marker`), every byte of it: C answers a
/// Marker information PDU with a copy of it whose TLV type is changed to
/// response, so even the reserved bytes go back on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Marker {
    /// `version_number`.
    pub version_number: u8,
    /// `tlv_type`.
    pub tlv_type: MarkerTlv,
    /// `marker_length`.
    pub marker_length: u8,
    /// `requester_port`, big-endian on the wire (C never byte-swaps or
    /// reads it).
    pub requester_port: u16,
    /// `requester_system`.
    pub requester_system: MacAddr,
    /// `requester_transaction_id`, big-endian on the wire.
    pub requester_transaction_id: u32,
    /// `pad`.
    pub pad: u16,
    /// `tlv_type_terminator`.
    pub tlv_type_terminator: u8,
    /// `terminator_length`.
    pub terminator_length: u8,
    /// `reserved_90`.
    pub reserved_90: [u8; 90],
}

impl Marker {
    /// A well-formed Marker information PDU (version 1, length 0x16, zero
    /// padding). C never originates one; a partner does.
    pub const fn information(port: u16, system: MacAddr, transaction_id: u32) -> Marker {
        Marker {
            version_number: LACP_VERSION,
            tlv_type: MarkerTlv::Information,
            marker_length: MARKER_TLV_LEN,
            requester_port: port,
            requester_system: system,
            requester_transaction_id: transaction_id,
            pad: 0,
            tlv_type_terminator: 0,
            terminator_length: 0,
            reserved_90: [0; 90],
        }
    }

    /// The response `ad_marker_info_received()` sends: the received PDU
    /// with its TLV type set to response, everything else unchanged.
    pub const fn response(&self) -> Marker {
        let mut m = *self;
        m.tlv_type = MarkerTlv::Response;
        m
    }

    /// Decodes a Marker payload: at least 110 bytes, subtype 2, TLV type 1
    /// or 2; anything else is the [`RxError`] C would count.
    pub fn decode(payload: &[u8]) -> Result<Marker, RxError> {
        let b = array_ref::<MARKER_LEN>(payload).ok_or(RxError::Short)?;
        if b[0] != AD_TYPE_MARKER {
            return Err(RxError::UnknownSubtype(b[0]));
        }
        let tlv_type = match b[2] {
            AD_MARKER_INFORMATION_SUBTYPE => MarkerTlv::Information,
            AD_MARKER_RESPONSE_SUBTYPE => MarkerTlv::Response,
            t => return Err(RxError::UnknownMarkerTlv(t)),
        };
        let mut requester_system = [0; 6];
        requester_system.copy_from_slice(&b[6..12]);
        let mut reserved_90 = [0; 90];
        reserved_90.copy_from_slice(&b[20..110]);
        Ok(Marker {
            version_number: b[1],
            tlv_type,
            marker_length: b[3],
            requester_port: be16(b, 4),
            requester_system,
            requester_transaction_id: u32::from_be_bytes([b[12], b[13], b[14], b[15]]),
            pad: be16(b, 16),
            tlv_type_terminator: b[18],
            terminator_length: b[19],
            reserved_90,
        })
    }

    /// The 110-byte `struct bond_marker`.
    pub fn encode(&self) -> [u8; MARKER_LEN] {
        let mut b = [0u8; MARKER_LEN];
        b[0] = AD_TYPE_MARKER;
        b[1] = self.version_number;
        b[2] = self.tlv_type as u8;
        b[3] = self.marker_length;
        put16(&mut b, 4, self.requester_port);
        b[6..12].copy_from_slice(&self.requester_system);
        b[12..16].copy_from_slice(&self.requester_transaction_id.to_be_bytes());
        put16(&mut b, 16, self.pad);
        b[18] = self.tlv_type_terminator;
        b[19] = self.terminator_length;
        b[20..110].copy_from_slice(&self.reserved_90);
        b
    }

    /// The 124-byte frame of `ad_marker_send()`: destination
    /// [`LACPDU_MCAST_ADDR`], source `src` (the slave's permanent address),
    /// protocol [`ETH_P_SLOW`], then [`Marker::encode`].
    pub fn encode_frame(&self, src: &MacAddr) -> [u8; MARKER_FRAME_LEN] {
        let mut f = [0u8; MARKER_FRAME_LEN];
        put_eth_header(&mut f, src);
        if let Some(body) = f.get_mut(ETH_HLEN..) {
            body.copy_from_slice(&self.encode());
        }
        f
    }

    /// The counter `ad_marker_send()` bumps when sending this PDU.
    pub const fn tx_stat(&self) -> Stat {
        match self.tlv_type {
            MarkerTlv::Information => Stat::MarkerTx,
            MarkerTlv::Response => Stat::MarkerRespTx,
        }
    }
}

/// A PDU accepted by `bond_3ad_rx_indication()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlowPdu {
    /// Subtype 1: for `ad_rx_machine()`.
    Lacpdu(Lacpdu),
    /// Subtype 2 with a known TLV type: for [`marker_received`].
    Marker(Marker),
}

/// The payload checks of `bond_3ad_lacpdu_recv()` and the dispatch of
/// `bond_3ad_rx_indication()`, on the bytes after the Ethernet header.
///
/// Fewer than 110 bytes is [`RxError::Short`] whatever the subtype, as C
/// reads a whole `struct lacpdu` first; bytes past the 110th (Ethernet
/// padding, trailers) are ignored.
pub fn decode(payload: &[u8]) -> Result<SlowPdu, RxError> {
    let b = array_ref::<LACPDU_LEN>(payload).ok_or(RxError::Short)?;
    match b[0] {
        AD_TYPE_LACPDU => Lacpdu::decode(b).map(SlowPdu::Lacpdu).ok_or(RxError::Short),
        AD_TYPE_MARKER => Marker::decode(b).map(SlowPdu::Marker),
        t => Err(RxError::UnknownSubtype(t)),
    }
}

/// `bond_3ad_lacpdu_recv()` on a whole Ethernet frame (as seen by the rx
/// handler: any VLAN tag already removed): the protocol must be
/// [`ETH_P_SLOW`] and the destination [`LACPDU_MCAST_ADDR`], then
/// [`decode`] the rest.
pub fn decode_frame(frame: &[u8]) -> Result<SlowPdu, RxError> {
    let h = array_ref::<ETH_HLEN>(frame).ok_or(RxError::NotSlowProtocol)?;
    if u16::from_be_bytes([h[12], h[13]]) != ETH_P_SLOW {
        return Err(RxError::NotSlowProtocol);
    }
    let dst = [h[0], h[1], h[2], h[3], h[4], h[5]];
    if dst != LACPDU_MCAST_ADDR {
        return Err(RxError::NotLacpMulticast);
    }
    decode(frame.get(ETH_HLEN..).unwrap_or(&[]))
}

impl SlowPdu {
    /// The counter C bumps on receiving this PDU.
    pub const fn rx_stat(&self) -> Stat {
        match self {
            SlowPdu::Lacpdu(_) => Stat::LacpduRx,
            SlowPdu::Marker(m) => match m.tlv_type {
                MarkerTlv::Information => Stat::MarkerRx,
                MarkerTlv::Response => Stat::MarkerRespRx,
            },
        }
    }
}

/// `ad_marker_info_received()` / `ad_marker_response_received()`: the
/// Marker response to send, if any. An information PDU is answered with
/// [`Marker::response`]; a response is only counted (C does not implement
/// the Marker requester side).
pub const fn marker_received(marker: &Marker) -> Option<Marker> {
    match marker.tlv_type {
        MarkerTlv::Information => Some(marker.response()),
        MarkerTlv::Response => None,
    }
}

fn array_ref<const N: usize>(b: &[u8]) -> Option<&[u8; N]> {
    b.get(..N)?.try_into().ok()
}

fn be16(b: &[u8], at: usize) -> u16 {
    match b.get(at..at + 2) {
        Some(&[hi, lo]) => u16::from_be_bytes([hi, lo]),
        _ => 0,
    }
}

fn put16(b: &mut [u8], at: usize, v: u16) {
    if let Some(s) = b.get_mut(at..at + 2) {
        s.copy_from_slice(&v.to_be_bytes());
    }
}

fn put_eth_header(f: &mut [u8], src: &MacAddr) {
    if let Some(h) = f.get_mut(..ETH_HLEN) {
        h[..6].copy_from_slice(&LACPDU_MCAST_ADDR);
        h[6..12].copy_from_slice(src);
        h[12..].copy_from_slice(&ETH_P_SLOW.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::super::state::*;
    use super::*;

    fn sample() -> Lacpdu {
        Lacpdu {
            actor: PduInfo {
                system_priority: 0x8000,
                system: [0x02, 0x11, 0x22, 0x33, 0x44, 0x55],
                key: 0x0009,
                port_priority: 0x00ff,
                port: 0x0001,
                state: LACP_STATE_LACP_ACTIVITY | LACP_STATE_AGGREGATION,
            },
            partner: PduInfo {
                system_priority: 0xffff,
                system: [0; 6],
                key: 1,
                port_priority: 0xff,
                port: 1,
                state: 0,
            },
            collector_max_delay: 0,
        }
    }

    #[test]
    fn lacpdu_layout_is_struct_lacpdu() {
        let b = sample().encode();
        let mut want = [0u8; 110];
        want[..4].copy_from_slice(&[1, 1, 1, 0x14]);
        want[4..19].copy_from_slice(&[
            0x80, 0x00, 0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x09, 0x00, 0xff, 0x00, 0x01,
            0x05,
        ]);
        want[22..24].copy_from_slice(&[2, 0x14]);
        want[24..39].copy_from_slice(&[
            0xff, 0xff, 0, 0, 0, 0, 0, 0, 0x00, 0x01, 0x00, 0xff, 0x00, 0x01, 0x00,
        ]);
        want[42..44].copy_from_slice(&[3, 0x10]);
        assert_eq!(b, want);
        assert_eq!(Lacpdu::decode(&b), Some(sample()));
    }

    #[test]
    fn lacpdu_frame_header() {
        let f = sample().encode_frame(&[0x52, 0x54, 0, 0, 0, 1]);
        assert_eq!(f.len(), 124);
        assert_eq!(
            f[..14],
            [0x01, 0x80, 0xc2, 0, 0, 0x02, 0x52, 0x54, 0, 0, 0, 1, 0x88, 0x09]
        );
        assert_eq!(decode_frame(&f), Ok(SlowPdu::Lacpdu(sample())));
        // Ethernet padding or a trailer after the PDU is ignored.
        let mut long = [0u8; 200];
        long[..124].copy_from_slice(&f);
        assert_eq!(decode_frame(&long), Ok(SlowPdu::Lacpdu(sample())));
    }

    #[test]
    fn from_port_is_update_lacpdu_from_port() {
        let mut p = PortState::ZERO;
        p.actor_system_priority = 7;
        p.actor_system = [2, 0, 0, 0, 0, 1];
        p.actor_oper_port_key = 0x109;
        p.actor_admin_port_key = 0x555; // not sent
        p.actor_port_priority = 0xff;
        p.actor_port_number = 4;
        p.actor_oper_port_state = 0x3d;
        p.partner_oper = PortParams {
            system: [2, 0, 0, 0, 0, 2],
            system_priority: 9,
            key: 0x11,
            port_number: 6,
            port_priority: 5,
            port_state: 0x13c, // the u16 is truncated
        };
        let l = Lacpdu::from_port(&p);
        assert_eq!(
            l.actor,
            PduInfo {
                system_priority: 7,
                system: [2, 0, 0, 0, 0, 1],
                key: 0x109,
                port_priority: 0xff,
                port: 4,
                state: 0x3d,
            }
        );
        assert_eq!(
            l.partner,
            PduInfo {
                system_priority: 9,
                system: [2, 0, 0, 0, 0, 2],
                key: 0x11,
                port_priority: 5,
                port: 6,
                state: 0x3c,
            }
        );
        assert_eq!(l.collector_max_delay, AD_COLLECTOR_MAX_DELAY);
    }

    #[test]
    fn receive_rejections_follow_c() {
        let f = sample().encode_frame(&[2, 0, 0, 0, 0, 9]);
        let mut g = f;
        g[13] = 0x00;
        assert_eq!(decode_frame(&g), Err(RxError::NotSlowProtocol));
        let mut g = f;
        g[5] = 0x03;
        assert_eq!(decode_frame(&g), Err(RxError::NotLacpMulticast));
        assert_eq!(decode_frame(&f[..123]), Err(RxError::Short));
        assert_eq!(decode_frame(&f[..10]), Err(RxError::NotSlowProtocol));
        assert_eq!(decode_frame(&[]), Err(RxError::NotSlowProtocol));
        let mut g = f;
        g[14] = 9;
        assert_eq!(decode_frame(&g), Err(RxError::UnknownSubtype(9)));
        // A marker is also read as a whole struct lacpdu first.
        let m = Marker::information(1, [2, 0, 0, 0, 0, 9], 1).encode();
        assert_eq!(decode(&m[..60]), Err(RxError::Short));
        let mut m2 = m;
        m2[2] = 3;
        assert_eq!(decode(&m2), Err(RxError::UnknownMarkerTlv(3)));
        assert!(RxError::UnknownMarkerTlv(3).consumed());
        assert!(!RxError::Short.consumed());
        assert_eq!(RxError::Short.stat(), Some(Stat::LacpduIllegalRx));
        assert_eq!(RxError::NotLacpMulticast.stat(), None);
        assert_eq!(
            RxError::UnknownSubtype(0).stat(),
            Some(Stat::LacpduUnknownRx)
        );
    }

    #[test]
    fn version_and_tlvs_are_not_checked() {
        let mut b = sample().encode();
        b[1] = 0xee;
        b[2] = 0x77;
        b[3] = 0;
        b[22] = 9;
        b[43] = 0;
        b[100] = 0xaa;
        assert_eq!(decode(&b), Ok(SlowPdu::Lacpdu(sample())));
    }

    #[test]
    fn marker_response_is_a_copy_with_tlv_2() {
        let mut info = Marker::information(0x0102, [2, 1, 2, 3, 4, 5], 0xdeadbeef);
        info.reserved_90[89] = 0x5a;
        info.pad = 0x1234;
        info.version_number = 7;
        let b = info.encode();
        assert_eq!(
            b[..20],
            [
                2, 7, 1, 0x16, 0x01, 0x02, 2, 1, 2, 3, 4, 5, 0xde, 0xad, 0xbe, 0xef, 0x12, 0x34, 0,
                0
            ]
        );
        assert_eq!(b[109], 0x5a);
        let rx = decode(&b).unwrap();
        assert_eq!(rx, SlowPdu::Marker(info));
        assert_eq!(rx.rx_stat(), Stat::MarkerRx);
        let resp = marker_received(&info).unwrap();
        assert_eq!(resp.tx_stat(), Stat::MarkerRespTx);
        let rb = resp.encode();
        let mut want = b;
        want[2] = 2;
        assert_eq!(rb, want);
        assert_eq!(marker_received(&resp), None);
        assert_eq!(SlowPdu::Marker(resp).rx_stat(), Stat::MarkerRespRx);
        let f = resp.encode_frame(&[2, 0, 0, 0, 0, 3]);
        assert_eq!(f[12..14], [0x88, 0x09]);
        assert_eq!(f[14..], rb);
    }
}
