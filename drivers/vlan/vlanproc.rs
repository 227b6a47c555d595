// SPDX-License-Identifier: GPL-2.0

//! `/proc/net/vlan/config` and `/proc/net/vlan/<dev>`, in the format of the
//! C driver (C: `vlanproc.c`).

use crate::netdev::{
    device::flags,
    prelude::*,
    proc::{ProcDevShow, ProcDevSlot, ProcNetDir},
};
use crate::seq_print;
use crate::vlan_dev::{Vlan, VlanData};
use kernel::{c_str, prelude::*};

/// The directory `/proc/net/vlan` of the device files; `VlanConfig`'s
/// registration creates it in every namespace.
pub(crate) struct VlanDir;

impl ProcNetDir for VlanDir {
    const NAME: &'static CStr = c_str!("vlan");
    const MODE: u16 = 0o600;
    const RESERVED: &'static [&'static str] = &["config"];
    const REQUIRED: bool = true;
}

/// The `/proc/net/vlan/config` file.
pub(crate) struct VlanConfig;

impl ProcNetFile for VlanConfig {
    const NAME: &'static CStr = c_str!("config");
    const DIR: Option<&'static CStr> = Some(VlanDir::NAME);

    fn show(m: &mut SeqFile, net: &Net) -> Result {
        seq_print!(m, "VLAN Dev name\t | VLAN ID\n");
        let nt = match crate::vlan_net::name_type(net, &RtnlGuard::lock()).raw() {
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

impl ProcDevShow for Vlan {
    type Dir = VlanDir;

    fn proc_slot(data: &VlanData) -> &ProcDevSlot {
        &data.ext.proc
    }

    fn show_dev(m: &mut SeqFile, dev: &Device<Self>) -> Result {
        let v = dev.data();
        let s = dev.stats64();
        seq_print!(
            m,
            "{}  VID: {}\t REORDER_HDR: {}  dev->priv_flags: {:x}\n",
            dev.name(),
            v.vid(),
            v.flags() & 1,
            // As C prints it (8021q devices support netpoll).
            dev.priv_flags() & !flags::IFF_DISABLE_NETPOLL
        );
        for (what, n) in [
            ("total frames received", s.rx_packets),
            ("total bytes received", s.rx_bytes),
            ("Broadcast/Multicast Rcvd", s.multicast),
        ] {
            seq_print!(m, "{:>30} {:>12}\n", what, n);
        }
        seq_print!(m, "\n");
        for (what, n) in [
            ("total frames transmitted", s.tx_packets),
            ("total bytes transmitted", s.tx_bytes),
        ] {
            seq_print!(m, "{:>30} {:>12}\n", what, n);
        }
        seq_print!(m, "Device: {}", v.real_dev().name());
        seq_print!(m, "\nINGRESS priority mappings: ");
        for i in 0..8 {
            let sep = match i {
                0..=5 => "  ",
                6 => " ",
                _ => "\n",
            };
            seq_print!(m, "{}:{}{}", i, v.ingress(i), sep);
        }
        seq_print!(m, " EGRESS priority mappings: ");
        let (list, n) = v.egress_list_all::<64>();
        for &(from, to) in list.iter().take(n) {
            seq_print!(m, "{}:{} ", from, to);
        }
        seq_print!(m, "\n");
        Ok(())
    }
}
