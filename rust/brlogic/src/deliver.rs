// SPDX-License-Identifier: GPL-2.0

//! Where a frame goes (C: br_input.c, br_forward.c).

use super::flags::{self, PortState};

/// `enum br_pkt_type`: how a frame is classified by its destination.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PktKind {
    /// `BR_PKT_UNICAST`.
    Unicast,
    /// `BR_PKT_MULTICAST`.
    Multicast,
    /// `BR_PKT_BROADCAST`.
    Broadcast,
}

/// Classifies a destination address.
pub fn classify(dest: &[u8; 6]) -> PktKind {
    if dest == &[0xff; 6] {
        PktKind::Broadcast
    } else if dest[0] & 1 != 0 {
        PktKind::Multicast
    } else {
        PktKind::Unicast
    }
}

/// `is_valid_ether_addr`: not multicast, not all zeros.
pub fn valid_source(src: &[u8; 6]) -> bool {
    src[0] & 1 == 0 && src != &[0; 6]
}

/// `is_link_local_ether_addr`: 01:80:c2:00:00:0X.
pub fn is_link_local(dest: &[u8; 6]) -> bool {
    dest[..5] == [0x01, 0x80, 0xc2, 0x00, 0x00] && dest[5] & 0xf0 == 0
}

/// The group addresses a bridge never forwards, whatever
/// `group_fwd_mask` says (`BR_GROUPFWD_RESTRICTED`: 802.1D bridge group,
/// MAC control (pause), link aggregation).
pub const GROUPFWD_RESTRICTED: u16 = 0x0007;
/// `BR_GROUPFWD_MACPAUSE`: what a port's `group_fwd_mask` may not have.
pub const GROUPFWD_MACPAUSE: u16 = 0x0002;
/// `BR_GROUPFWD_DEFAULT`.
pub const GROUPFWD_DEFAULT: u16 = 0;
/// `BR_GROUPFWD_8021AD`: what an 802.1ad bridge forwards.
pub const GROUPFWD_8021AD: u16 = 0xB801;

/// What happens to a frame for a link-local group address
/// (`br_handle_frame`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LinkLocal {
    /// Forwarded like any multicast frame (`goto forward`).
    Forward,
    /// Learned from (if the port learns), then passed up on the port
    /// device itself (`__br_handle_local_finish`, `RX_HANDLER_PASS`).
    Local,
    /// Dropped (MAC control frames: pause).
    Drop,
}

/// The link-local decision for the group address ending in `last`
/// (01:80:c2:00:00:`last`), with the bridge's `group_fwd_mask`,
/// `group_fwd_mask_required`, the port's `group_fwd_mask` and whether STP
/// runs.
pub fn link_local(
    last: u8,
    br_mask: u16,
    br_mask_required: u16,
    port_mask: u16,
    stp: bool,
) -> LinkLocal {
    let bit = 1u16 << (last & 0xf);
    let mut mask = br_mask_required | port_mask;
    match last {
        // Bridge group address: without STP it must be forwarded to keep
        // loop detection working.
        0x00 => {
            if !stp || mask & bit != 0 {
                LinkLocal::Forward
            } else {
                LinkLocal::Local
            }
        }
        0x01 => LinkLocal::Drop,
        _ => {
            mask |= br_mask;
            if mask & bit != 0 {
                LinkLocal::Forward
            } else {
                LinkLocal::Local
            }
        }
    }
}

/// `should_deliver`: a frame goes out of a port if the port forwards, it
/// is not the ingress port (unless hairpin), and not both the ingress and
/// this port are isolated. `ingress` is false for frames the bridge itself
/// sends.
pub fn should_deliver(
    port_flags: u32,
    state: PortState,
    is_ingress: bool,
    src_isolated: bool,
) -> bool {
    (port_flags & flags::HAIRPIN_MODE != 0 || !is_ingress)
        && state == PortState::Forwarding
        && !(src_isolated && port_flags & flags::ISOLATED != 0)
}

/// `br_flood`'s per-port filter: the port takes floods of this kind (the
/// bridge's own multicast and broadcast go to every port), and no proxy
/// ARP port gets a flood.
pub fn flood_to(kind: PktKind, port_flags: u32, from_bridge: bool) -> bool {
    let allowed = match kind {
        PktKind::Unicast => port_flags & flags::FLOOD != 0,
        PktKind::Multicast => port_flags & flags::MCAST_FLOOD != 0 || from_bridge,
        PktKind::Broadcast => port_flags & flags::BCAST_FLOOD != 0 || from_bridge,
    };
    allowed && port_flags & flags::PROXYARP == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_addresses() {
        assert_eq!(classify(&[0xff; 6]), PktKind::Broadcast);
        assert_eq!(classify(&[1, 0, 0x5e, 0, 0, 1]), PktKind::Multicast);
        assert_eq!(classify(&[0x33, 0x33, 0, 0, 0, 1]), PktKind::Multicast);
        assert_eq!(classify(&[2, 0, 0, 0, 0, 1]), PktKind::Unicast);
        assert!(!valid_source(&[0; 6]));
        assert!(!valid_source(&[1, 2, 3, 4, 5, 6]));
        assert!(valid_source(&[2, 2, 3, 4, 5, 6]));
    }

    #[test]
    fn link_local_rules() {
        assert!(is_link_local(&[1, 0x80, 0xc2, 0, 0, 0x0e]));
        assert!(!is_link_local(&[1, 0x80, 0xc2, 0, 0, 0x10]));
        // STP group address: forwarded without STP, local with it.
        assert_eq!(link_local(0, 0, 0, 0, false), LinkLocal::Forward);
        assert_eq!(link_local(0, 0, 0, 0, true), LinkLocal::Local);
        // Pause frames are always dropped.
        assert_eq!(
            link_local(1, 0xffff, 0xffff, 0xffff, false),
            LinkLocal::Drop
        );
        // LACP (02) is local unless a mask says otherwise.
        assert_eq!(link_local(2, 0, 0, 0, false), LinkLocal::Local);
        assert_eq!(link_local(2, 0, 0, 1 << 2, false), LinkLocal::Forward);
        // LLDP (0e) honours the bridge's mask too.
        assert_eq!(link_local(0x0e, 1 << 0x0e, 0, 0, false), LinkLocal::Forward);
        assert_eq!(link_local(0x0e, 0, 0, 0, false), LinkLocal::Local);
        // Bridge group address with STP: only the port mask and the
        // required mask count, not the bridge's.
        assert_eq!(link_local(0, 1, 0, 0, true), LinkLocal::Local);
        assert_eq!(link_local(0, 0, 0, 1, true), LinkLocal::Forward);
    }

    #[test]
    fn delivery() {
        let f = flags::NEW_PORT;
        assert!(should_deliver(f, PortState::Forwarding, false, false));
        assert!(!should_deliver(f, PortState::Forwarding, true, false));
        assert!(should_deliver(
            f | flags::HAIRPIN_MODE,
            PortState::Forwarding,
            true,
            false
        ));
        assert!(!should_deliver(f, PortState::Disabled, false, false));
        assert!(!should_deliver(f, PortState::Learning, false, false));
        assert!(should_deliver(
            f | flags::ISOLATED,
            PortState::Forwarding,
            false,
            false
        ));
        assert!(!should_deliver(
            f | flags::ISOLATED,
            PortState::Forwarding,
            false,
            true
        ));
        assert!(should_deliver(f, PortState::Forwarding, false, true));
    }

    #[test]
    fn flooding() {
        assert!(flood_to(PktKind::Unicast, flags::FLOOD, false));
        assert!(!flood_to(PktKind::Unicast, flags::MCAST_FLOOD, true));
        assert!(!flood_to(PktKind::Multicast, 0, false));
        assert!(flood_to(PktKind::Multicast, 0, true));
        assert!(!flood_to(PktKind::Broadcast, flags::FLOOD, false));
        assert!(flood_to(PktKind::Broadcast, 0, true));
        assert!(!flood_to(
            PktKind::Broadcast,
            flags::BCAST_FLOOD | flags::PROXYARP,
            false
        ));
    }
}
