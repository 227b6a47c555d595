// SPDX-License-Identifier: GPL-2.0

//! Flow keys of a packet for the bonding transmit hashes, read with the
//! kernel's helpers and flow dissector into the plain-data
//! [`FlowKeys`] of `rust/txsel`, whose hash code is bit-exact with
//! `bond_xmit_hash()`.
//!
//! Kernel rules encoded here: packet bytes beyond the linear area are only
//! read through `skb_header_pointer` (copied to the stack, never by
//! pulling the skb, so a cloned or shared skb is not modified); the
//! flow dissector needs a key set initialised once in process context
//! (`skb_flow_dissector_init`) before any packet is dissected, which
//! [`FlowDissector`] proves; nothing is allocated per packet.

use super::{
    bindings,
    skb::SkBuff,
    txsel::{
        flow::{Addrs, FlowKeys, IcmpHdr, IpKeys},
        hash::XmitPolicy,
    },
};

/// Proof that bonding's flow-dissector key set is initialised
/// (`skb_flow_dissector_init` with `flow_keys_bonding`'s keys).
#[derive(Clone, Copy)]
pub struct FlowDissector {
    _priv: (),
}

impl FlowDissector {
    /// Initialises the key set (idempotent; process context, may sleep).
    pub fn new() -> Self {
        // SAFETY: process context; the helper serialises initialisation.
        unsafe { bindings::rvnet_flow_dissector_init() };
        FlowDissector { _priv: () }
    }
}

impl Default for FlowDissector {
    fn default() -> Self {
        Self::new()
    }
}

/// The `RVNET_FLOW_*` parts a policy reads.
const fn needs(policy: XmitPolicy) -> u32 {
    let eth = bindings::RVNET_FLOW_ETH;
    match policy {
        XmitPolicy::Layer2 => eth,
        XmitPolicy::Layer23 => eth | bindings::RVNET_FLOW_L3,
        XmitPolicy::Layer34 => eth | bindings::RVNET_FLOW_L3 | bindings::RVNET_FLOW_L4,
        XmitPolicy::Encap23 => eth | bindings::RVNET_FLOW_ENCAP,
        XmitPolicy::Encap34 => eth | bindings::RVNET_FLOW_ENCAP | bindings::RVNET_FLOW_L4HASH,
        XmitPolicy::VlanSrcMac => eth | bindings::RVNET_FLOW_VLAN,
    }
}

fn ip_keys(k: &bindings::rvnet_ip_keys) -> IpKeys {
    let addrs = match u32::from(k.family) {
        bindings::RVNET_FLOW_AF_V4 => Addrs::V4 {
            src: [k.src[0], k.src[1], k.src[2], k.src[3]],
            dst: [k.dst[0], k.dst[1], k.dst[2], k.dst[3]],
        },
        bindings::RVNET_FLOW_AF_V6 => Addrs::V6 {
            src: k.src,
            dst: k.dst,
        },
        bindings::RVNET_FLOW_AF_TIPC => Addrs::Tipc {
            key: [k.src[0], k.src[1], k.src[2], k.src[3]],
        },
        _ => Addrs::None,
    };
    IpKeys {
        addrs,
        ip_proto: k.ip_proto,
        is_fragment: k.is_fragment != 0,
        l4: (k.has_l4 != 0).then_some(k.l4),
        icmp: (k.has_icmp != 0).then_some(IcmpHdr {
            ty: k.icmp_type,
            code: k.icmp_code,
            echo_id: k.icmp_id,
        }),
    }
}

impl SkBuff {
    /// The flow keys `policy` hashes, from a packet about to be sent (its
    /// data starts at the Ethernet header), as `bond_xmit_hash()` reads
    /// them.
    ///
    /// A packet that is all linear (the usual case) is parsed inline by
    /// [`FlowKeys::parse`] for the non-encap policies; a paged one, and
    /// the encap policies (the flow dissector), go through the C helper.
    #[inline]
    pub fn flow_keys(&self, policy: XmitPolicy, d: &FlowDissector) -> FlowKeys {
        if !policy.is_encap() {
            if let Some((frame, nhoff)) = self.whole_linear() {
                let mut k = FlowKeys::parse(
                    frame,
                    self.protocol(),
                    nhoff,
                    policy.reads_l3(),
                    policy.reads_l4(),
                );
                if policy == XmitPolicy::VlanSrcMac {
                    k.vlan_tci = self.vlan_tag();
                }
                return k;
            }
        }
        self.flow_keys_helper(policy, d)
    }

    /// [`Self::flow_keys`] through the C helper (`skb_header_pointer`,
    /// `__skb_flow_dissect`).
    #[inline(never)]
    fn flow_keys_helper(&self, policy: XmitPolicy, _d: &FlowDissector) -> FlowKeys {
        let mut raw = bindings::rvnet_flow_keys::default();
        // SAFETY: the skb is valid and ours; the helper only reads it
        // (`skb_header_pointer`) and fills `raw`; the dissector key set is
        // initialised (the `FlowDissector` token exists).
        unsafe { bindings::rvnet_skb_flow_keys(self.as_raw(), needs(policy), &mut raw) };
        FlowKeys {
            dst_mac: raw.dst_mac,
            src_mac: raw.src_mac,
            ethertype: raw.ethertype,
            vlan_tci: (raw.has_vlan != 0).then_some(raw.vlan_tci),
            ip: (raw.has_ip != 0).then(|| ip_keys(&raw.ip)),
            icmp_inner: (raw.has_inner != 0).then(|| ip_keys(&raw.inner)),
            encap: (raw.has_encap != 0).then(|| ip_keys(&raw.encap)),
            l4_hash: (raw.has_l4_hash != 0).then_some(raw.l4_hash),
        }
    }
}
