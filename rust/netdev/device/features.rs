// SPDX-License-Identifier: GPL-2.0

//! Device features (`netdev_features_t`, the `NETIF_F_*` bits) and how a
//! master derives its own from its lower devices: the driver's
//! [`Driver::fix_features`](super::driver::Driver::fix_features) runs
//! whenever the core recomputes them (`netdev_update_features`, which
//! [`Device::update_features`](super::driver::Device::update_features)
//! asks for under RTNL).

use super::bindings;
use super::device::NetDevice;
use super::rtnl::Rtnl;
use core::ops::{BitAnd, BitOr, Not};

/// A set of `NETIF_F_*` features.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Features(u64);

const fn bit(b: u32) -> Features {
    Features(1u64 << b)
}

impl Features {
    /// `NETIF_F_SG`.
    pub const SG: Features = bit(bindings::NETIF_F_SG_BIT);
    /// `NETIF_F_FRAGLIST`.
    pub const FRAGLIST: Features = bit(bindings::NETIF_F_FRAGLIST_BIT);
    /// `NETIF_F_HIGHDMA`.
    pub const HIGHDMA: Features = bit(bindings::NETIF_F_HIGHDMA_BIT);
    /// `NETIF_F_HW_CSUM`.
    pub const HW_CSUM: Features = bit(bindings::NETIF_F_HW_CSUM_BIT);
    /// `NETIF_F_GSO_MASK`: every segmentation offload.
    pub const GSO_MASK: Features = Features(bindings::RVNET_NETIF_F_GSO_MASK);
    /// `NETIF_F_ONE_FOR_ALL`: what a master offers only if one lower does.
    pub const ONE_FOR_ALL: Features = Features(bindings::RVNET_NETIF_F_ONE_FOR_ALL);
    /// `NETIF_F_ALL_TSO`.
    pub const ALL_TSO: Features = Features(bindings::RVNET_NETIF_F_ALL_TSO);
    /// `NETIF_F_GSO_SOFTWARE`: every GSO type the stack segments in software.
    pub const GSO_SOFTWARE: Features = Features(bindings::RVNET_NETIF_F_GSO_SOFTWARE);
    /// `NETIF_F_ALL_FOR_ALL`: what a master offers only if every lower does.
    pub const ALL_FOR_ALL: Features = Features(bindings::RVNET_NETIF_F_ALL_FOR_ALL);
    /// `NETIF_F_GSO_ENCAP_ALL`: segmentation of every tunnel encapsulation.
    pub const GSO_ENCAP_ALL: Features = Features(bindings::RVNET_NETIF_F_GSO_ENCAP_ALL);
    /// `NETIF_F_GSO_PARTIAL`.
    pub const GSO_PARTIAL: Features = Features(bindings::RVNET_NETIF_F_GSO_PARTIAL);
    /// `MASTER_UPPER_DEV_VLAN_FEATURES`: what a master (bond) may offer to
    /// VLANs above and lets the user toggle.
    pub const MASTER_UPPER_VLAN: Features =
        Features(bindings::RVNET_MASTER_UPPER_DEV_VLAN_FEATURES);
    /// `NETIF_F_HW_VLAN_CTAG_TX`.
    pub const HW_VLAN_CTAG_TX: Features = bit(bindings::NETIF_F_HW_VLAN_CTAG_TX_BIT);
    /// `NETIF_F_HW_VLAN_STAG_TX`.
    pub const HW_VLAN_STAG_TX: Features = bit(bindings::NETIF_F_HW_VLAN_STAG_TX_BIT);
    /// `NETIF_F_LRO`.
    pub const LRO: Features = bit(bindings::NETIF_F_LRO_BIT);
    /// `NETIF_F_VLAN_CHALLENGED`.
    pub const VLAN_CHALLENGED: Features = bit(bindings::NETIF_F_VLAN_CHALLENGED_BIT);

    /// The raw `netdev_features_t`.
    pub const fn bits(self) -> u64 {
        self.0
    }

    /// From a raw `netdev_features_t`.
    pub const fn from_bits(bits: u64) -> Self {
        Features(bits)
    }

    /// Every feature of `other` is in `self`.
    pub const fn contains(self, other: Features) -> bool {
        self.0 & other.0 == other.0
    }

    /// `netdev_increment_features`: `self` (a master's features so far)
    /// with those of one more lower device, `one`, limited to `mask`.
    pub fn increment(self, one: Features, mask: Features) -> Features {
        // SAFETY: a pure function of its arguments.
        Features(unsafe { bindings::netdev_increment_features(self.0, one.0, mask.0) })
    }

    /// `netdev_base_features`: a master's starting point before the
    /// features of its lower devices are added (`increment`): nothing of
    /// `ONE_FOR_ALL`, everything of `ALL_FOR_ALL`.
    pub const fn base(self) -> Features {
        Features((self.0 & !Self::ONE_FOR_ALL.0) | Self::ALL_FOR_ALL.0)
    }

    /// `netdev_add_tso_features`: TSO of every kind, within `mask`. As
    /// 6.12.118 defines it, `NETIF_F_ALL_FOR_ALL` goes in with the TSO
    /// bits, so a master keeps what every lower has of it (and a master
    /// without lowers what `base` gave it: FSO and nocache-copy).
    pub fn add_tso(self, mask: Features) -> Features {
        self.increment(Self::ALL_TSO | Self::ALL_FOR_ALL, mask)
    }
}

impl BitOr for Features {
    type Output = Features;
    fn bitor(self, o: Features) -> Features {
        Features(self.0 | o.0)
    }
}

impl BitAnd for Features {
    type Output = Features;
    fn bitand(self, o: Features) -> Features {
        Features(self.0 & o.0)
    }
}

impl Not for Features {
    type Output = Features;
    fn not(self) -> Features {
        Features(!self.0)
    }
}

impl NetDevice {
    /// `dev->features`.
    pub fn features(&self) -> Features {
        // SAFETY: READ_ONCE of a live device's field.
        Features(unsafe { bindings::rvnet_netdev_features(self.as_raw()) })
    }

    /// The device cannot carry VLANs (`NETIF_F_VLAN_CHALLENGED`).
    pub fn vlan_challenged(&self) -> bool {
        self.features().contains(Features::VLAN_CHALLENGED)
    }

    /// `dev_disable_lro`: LRO off on this device and, recursively, on its
    /// lower devices (their features recomputed: their drivers and
    /// `NETDEV_FEAT_CHANGE` listeners run).
    pub fn disable_lro(&self, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held (the token); the device is live.
        unsafe { bindings::dev_disable_lro(self.as_raw()) }
    }
}
