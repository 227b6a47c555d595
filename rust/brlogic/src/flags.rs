// SPDX-License-Identifier: GPL-2.0

//! Per-port flags (`BR_*`, include/linux/if_bridge.h: kernel-internal
//! bits, not uapi) and port states (`BR_STATE_*`).

/// `BR_HAIRPIN_MODE`: frames may go back out of their ingress port.
pub const HAIRPIN_MODE: u32 = 1 << 0;
/// `BR_BPDU_GUARD`.
pub const BPDU_GUARD: u32 = 1 << 1;
/// `BR_ROOT_BLOCK`.
pub const ROOT_BLOCK: u32 = 1 << 2;
/// `BR_MULTICAST_FAST_LEAVE`.
pub const MULTICAST_FAST_LEAVE: u32 = 1 << 3;
/// `BR_ADMIN_COST`: the path cost was set by the user.
pub const ADMIN_COST: u32 = 1 << 4;
/// `BR_LEARNING`.
pub const LEARNING: u32 = 1 << 5;
/// `BR_FLOOD`: unknown unicast is flooded to the port.
pub const FLOOD: u32 = 1 << 6;
/// `BR_PROMISC`.
pub const PROMISC: u32 = 1 << 7;
/// `BR_PROXYARP`.
pub const PROXYARP: u32 = 1 << 8;
/// `BR_LEARNING_SYNC`.
pub const LEARNING_SYNC: u32 = 1 << 9;
/// `BR_PROXYARP_WIFI`.
pub const PROXYARP_WIFI: u32 = 1 << 10;
/// `BR_MCAST_FLOOD`.
pub const MCAST_FLOOD: u32 = 1 << 11;
/// `BR_MULTICAST_TO_UNICAST`.
pub const MULTICAST_TO_UNICAST: u32 = 1 << 12;
/// `BR_VLAN_TUNNEL`.
pub const VLAN_TUNNEL: u32 = 1 << 13;
/// `BR_BCAST_FLOOD`.
pub const BCAST_FLOOD: u32 = 1 << 14;
/// `BR_NEIGH_SUPPRESS`.
pub const NEIGH_SUPPRESS: u32 = 1 << 15;
/// `BR_ISOLATED`: isolated ports do not talk to each other.
pub const ISOLATED: u32 = 1 << 16;
/// `BR_MRP_AWARE`.
pub const MRP_AWARE: u32 = 1 << 17;
/// `BR_MRP_LOST_CONT`.
pub const MRP_LOST_CONT: u32 = 1 << 18;
/// `BR_MRP_LOST_IN_CONT`.
pub const MRP_LOST_IN_CONT: u32 = 1 << 19;
/// `BR_TX_FWD_OFFLOAD`.
pub const TX_FWD_OFFLOAD: u32 = 1 << 20;
/// `BR_PORT_LOCKED`: only known sources may send.
pub const PORT_LOCKED: u32 = 1 << 21;
/// `BR_PORT_MAB`.
pub const PORT_MAB: u32 = 1 << 22;
/// `BR_NEIGH_VLAN_SUPPRESS`.
pub const NEIGH_VLAN_SUPPRESS: u32 = 1 << 23;

/// A new port's flags (`new_nbp`): learning and all three floods.
pub const NEW_PORT: u32 = LEARNING | FLOOD | MCAST_FLOOD | BCAST_FLOOD;

/// Port states (`BR_STATE_*`, include/uapi/linux/if_bridge.h).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum PortState {
    /// `BR_STATE_DISABLED`.
    Disabled = 0,
    /// `BR_STATE_LISTENING`.
    Listening = 1,
    /// `BR_STATE_LEARNING`.
    Learning = 2,
    /// `BR_STATE_FORWARDING`.
    Forwarding = 3,
    /// `BR_STATE_BLOCKING`.
    Blocking = 4,
}

impl PortState {
    /// From the uapi value.
    pub fn from_raw(v: u8) -> Option<Self> {
        Some(match v {
            0 => Self::Disabled,
            1 => Self::Listening,
            2 => Self::Learning,
            3 => Self::Forwarding,
            4 => Self::Blocking,
            _ => return None,
        })
    }

    /// The name `/proc` and `brctl showstp` print (`br_port_state_names`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Disabled => "disabled",
            Self::Listening => "listening",
            Self::Learning => "learning",
            Self::Forwarding => "forwarding",
            Self::Blocking => "blocking",
        }
    }

    /// `nbp_state_should_learn`: the port learns source addresses.
    pub fn learns(self) -> bool {
        matches!(self, Self::Learning | Self::Forwarding)
    }
}

/// A port's state after it was enabled or disabled, without STP (C:
/// `br_stp_enable_port`/`br_stp_disable_port` then
/// `br_port_state_selection`): a port that cannot forward (bridge down,
/// port not running or not operationally up) is disabled; an enabled one
/// leaves disabled and blocking for forwarding at once
/// (`br_make_forwarding` with `BR_NO_STP`); listening and learning set by
/// the user stick (selection only moves blocking ports).
pub fn next_state(old: PortState, enabled: bool) -> PortState {
    match (enabled, old) {
        (false, _) => PortState::Disabled,
        (true, PortState::Disabled | PortState::Blocking) => PortState::Forwarding,
        (true, s) => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_without_stp() {
        for s in 0..5 {
            let s = PortState::from_raw(s).unwrap();
            assert_eq!(next_state(s, false), PortState::Disabled);
        }
        assert_eq!(next_state(PortState::Disabled, true), PortState::Forwarding);
        assert_eq!(next_state(PortState::Blocking, true), PortState::Forwarding);
        assert_eq!(next_state(PortState::Learning, true), PortState::Learning);
        assert_eq!(next_state(PortState::Listening, true), PortState::Listening);
        assert!(PortState::from_raw(5).is_none());
        assert_eq!(NEW_PORT, 0x4860);
    }
}
