// SPDX-License-Identifier: GPL-2.0

//! `/proc/net/vlan/config`, in the format of the C driver (C: `vlanproc.c`).

use crate::netdev::prelude::*;
use crate::seq_print;
use crate::vlan_dev::Vlan;
use kernel::{c_str, prelude::*};

/// The `/proc/net/vlan/config` file.
pub(crate) struct VlanConfig;

impl ProcNetFile for VlanConfig {
    const NAME: &'static CStr = c_str!("config");
    const DIR: Option<&'static CStr> = Some(c_str!("vlan"));

    fn show(m: &mut SeqFile, net: &Net) -> Result {
        seq_print!(m, "VLAN Dev name\t | VLAN ID\n");
        let nt = match crate::vlan_ioctl::name_type().raw() {
            0 => "VLAN_NAME_TYPE_PLUS_VID",
            1 => "VLAN_NAME_TYPE_RAW_PLUS_VID",
            2 => "VLAN_NAME_TYPE_PLUS_VID_NO_PAD",
            _ => "VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD",
        };
        seq_print!(m, "Name-Type: {}\n", nt);
        let rcu = RcuGuard::new();
        for dev in NetDevice::for_each_rcu(net, &rcu) {
            let Some(v) = dev.downcast::<Vlan>() else {
                continue;
            };
            seq_print!(
                m,
                "{:<15}| {}  | {}\n",
                v.name(),
                v.data().vid(),
                v.data().real_dev().name()
            );
        }
        Ok(())
    }
}
