// SPDX-License-Identifier: GPL-2.0

//! VLAN filters of a master and its lower devices (`ndo_vlan_rx_add_vid`,
//! `ndo_vlan_rx_kill_vid`, `vlan_vid_add`/`vlan_vid_del`,
//! `vlan_vids_add_by_dev`/`vlan_vids_del_by_dev`).
//!
//! Kernel rules encoded here:
//! - a device with `NETIF_F_HW_VLAN_CTAG_FILTER` or `..._STAG_FILTER` in
//!   its features has its `ndo_vlan_rx_add_vid`/`kill_vid` called without
//!   a NULL check (`vlan_add_rx_filter_info`, `vlan_kill_rx_filter_info`),
//!   so only a driver that implements both may offer them: the features
//!   come only from [`Setup::vlan_filter`] (a build error otherwise), and
//!   the layer strips them from what `fix_features` answers for a driver
//!   without the hooks ([`strip_unfiltered`]);
//! - VIDs are added to and removed from a lower device under RTNL
//!   (`&mut Rtnl`: the lower device's own hooks and notifiers run), the
//!   protocol in host order here, big-endian for the kernel.
//!
//! [`Setup::vlan_filter`]: super::driver::Setup::vlan_filter

use super::{bindings, device::NetDevice, driver::Driver, features::Features, rtnl::Rtnl};
use kernel::{error::to_result, prelude::*};

/// The VLAN filter features (`NETIF_F_HW_VLAN_CTAG_FILTER`,
/// `NETIF_F_HW_VLAN_STAG_FILTER`).
pub(crate) const FILTER: Features = Features::from_bits(
    (1u64 << bindings::NETIF_F_HW_VLAN_CTAG_FILTER_BIT)
        | (1u64 << bindings::NETIF_F_HW_VLAN_STAG_FILTER_BIT),
);

/// What [`Setup::vlan_filter`](super::driver::Setup::vlan_filter) offers:
/// the filters and tag stripping on receive (`NETIF_F_HW_VLAN_*_RX`), as
/// C bonding's `hw_features`.
pub(crate) const FILTER_AND_RX: Features = Features::from_bits(
    FILTER.bits()
        | (1u64 << bindings::NETIF_F_HW_VLAN_CTAG_RX_BIT)
        | (1u64 << bindings::NETIF_F_HW_VLAN_STAG_RX_BIT),
);

/// Checks at build time that `D` answers the VLAN filter hooks.
pub(crate) fn assert_filter_ops<D: Driver>() {
    const {
        assert!(
            D::HAS_VLAN_RX_ADD_VID && D::HAS_VLAN_RX_KILL_VID,
            "a device with VLAN filter features must implement vlan_rx_add_vid and vlan_rx_kill_vid"
        )
    };
}

/// `features` without the filter bits if `D` lacks the hooks.
pub(crate) fn strip_unfiltered<D: Driver>(features: u64) -> u64 {
    if D::HAS_VLAN_RX_ADD_VID && D::HAS_VLAN_RX_KILL_VID {
        features
    } else {
        features & !FILTER.bits()
    }
}

impl NetDevice {
    /// Adds a reference to VID `vid` of protocol `proto` (host order) on
    /// this device, which filters it if it can (`vlan_vid_add`).
    pub fn vlan_vid_add(&self, proto: u16, vid: u16, _rtnl: &mut Rtnl) -> Result {
        if vid >= 4096 {
            return Err(EINVAL);
        }
        // SAFETY: RTNL held; a live device; `vid` < 4096.
        to_result(unsafe { bindings::vlan_vid_add(self.as_raw(), proto.to_be(), vid) })
    }

    /// Drops one reference added by [`Self::vlan_vid_add`] (`vlan_vid_del`).
    pub fn vlan_vid_del(&self, proto: u16, vid: u16, _rtnl: &mut Rtnl) {
        if vid >= 4096 {
            return;
        }
        // SAFETY: as above; `vlan_vid_del` ignores a VID it does not know.
        unsafe { bindings::vlan_vid_del(self.as_raw(), proto.to_be(), vid) }
    }

    /// Adds every VID of `by` to this device (`vlan_vids_add_by_dev`: a
    /// master's VLANs to a new lower device), all or none.
    pub fn vlan_vids_add_by_dev(&self, by: &NetDevice, _rtnl: &mut Rtnl) -> Result {
        // SAFETY: RTNL held; both devices live.
        to_result(unsafe { bindings::vlan_vids_add_by_dev(self.as_raw(), by.as_raw()) })
    }

    /// Removes them again (`vlan_vids_del_by_dev`).
    pub fn vlan_vids_del_by_dev(&self, by: &NetDevice, _rtnl: &mut Rtnl) {
        // SAFETY: as above.
        unsafe { bindings::vlan_vids_del_by_dev(self.as_raw(), by.as_raw()) }
    }

    /// A VLAN device is stacked on this device (`vlan_uses_dev`: its VLAN
    /// group is not empty).
    pub fn vlan_uses_dev(&self, _rtnl: &Rtnl) -> bool {
        // SAFETY: RTNL held (the token); the device is live.
        unsafe { bindings::vlan_uses_dev(self.as_raw()) }
    }
}
