// SPDX-License-Identifier: GPL-2.0

//! Per-namespace VLAN state (C: `struct vlan_net`): the naming scheme of
//! `vconfig add` (`SET_VLAN_NAME_TYPE_CMD`).

use crate::netdev::{
    pernet::{PernetData, PernetId},
    prelude::*,
};
use crate::vlanioctl::NameType;
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::prelude::*;

/// State of one namespace.
pub(crate) struct VlanNet {
    name_type: AtomicU32,
}

/// The id of [`VlanNet`] (C: `vlan_net_id`).
pub(crate) static VLAN_NET: PernetId<VlanNet> = PernetId::new();

impl PernetData for VlanNet {
    fn id() -> &'static PernetId<Self> {
        &VLAN_NET
    }

    fn init(_net: &Net, _rtnl: &mut Rtnl) -> Result<Self> {
        Ok(VlanNet {
            name_type: AtomicU32::new(NameType::RawPlusVidNoPad.raw()),
        })
    }
}

/// The naming scheme of `net` (the default if the state is gone).
pub(crate) fn name_type(net: &Net, rtnl: &Rtnl) -> NameType {
    VLAN_NET
        .get(net, rtnl)
        .and_then(|v| NameType::from_raw(v.name_type.load(Ordering::Relaxed)))
        .unwrap_or(NameType::RawPlusVidNoPad)
}

/// Sets the naming scheme of `net`.
pub(crate) fn set_name_type(net: &Net, t: NameType, rtnl: &mut Rtnl) -> Result {
    let v = VLAN_NET.get(net, rtnl).ok_or(ENODEV)?;
    v.name_type.store(t.raw(), Ordering::Relaxed);
    Ok(())
}
