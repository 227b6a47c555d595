// SPDX-License-Identifier: GPL-2.0

//! The legacy VLAN ioctl used by `vconfig` (C: `vlan_ioctl_handler`,
//! `register_vlan_device`). Decoding and naming are the pure
//! `rust/vlanioctl` crate.

use crate::netdev::{prelude::*, vlan::*, vlan_ioctl::VlanIoctl};
use crate::vlan_dev::{Vlan, VlanExt};
use crate::vlan_net::{name_type, set_name_type};
use crate::vlan_netlink::{check_real_dev, ALLOWED_FLAGS};
use crate::vlanioctl::{vlan_name, Args, Cmd, NameType, ARGS_SIZE};
use kernel::prelude::*;

fn admin(net: &Net) -> Result {
    if net.admin_capable() {
        Ok(())
    } else {
        Err(EPERM)
    }
}

impl VlanIoctl for Vlan {
    fn ioctl(
        net: &Net,
        raw: &mut [u8; ARGS_SIZE],
        link: &LinkRegistration<Self>,
        rtnl: &mut Rtnl,
    ) -> Result<bool> {
        let mut a = Args::decode(*raw);
        let cmd = a.cmd();
        // Held: the request writes (create, delete) while using it.
        let dev = if cmd.needs_device() {
            Some(
                NetDevice::get_by_name(net, a.device1(), rtnl)
                    .ok_or(ENODEV)?
                    .hold(),
            )
        } else {
            None
        };
        let dev = dev.as_deref();
        let vlan = dev.and_then(|d| d.downcast::<Vlan>());
        if cmd.needs_device() && cmd != Cmd::Add && vlan.is_none() {
            return Err(EINVAL);
        }
        match (cmd, dev, vlan) {
            (Cmd::SetIngress, _, Some(v)) => {
                admin(net)?;
                v.data().set_ingress(a.vlan_qos() as u8, a.u_uint(), rtnl);
            }
            (Cmd::SetEgress, _, Some(v)) => {
                admin(net)?;
                v.data().set_egress(a.u_uint(), a.vlan_qos() as u8, rtnl)?;
            }
            (Cmd::SetFlag, _, Some(v)) => {
                admin(net)?;
                let flag = a.u_uint();
                if flag & !ALLOWED_FLAGS != 0 {
                    return Err(EINVAL);
                }
                let set = if a.vlan_qos() != 0 { flag } else { 0 };
                v.data().change_flags(set as u16, flag as u16, rtnl);
            }
            (Cmd::SetNameType, _, _) => {
                admin(net)?;
                let t = NameType::from_raw(a.u_uint()).ok_or(EINVAL)?;
                set_name_type(net, t, rtnl)?;
            }
            (Cmd::Add, Some(real), _) => {
                admin(net)?;
                let vid = u16::try_from(a.u_uint())
                    .ok()
                    .and_then(VlanId::new)
                    .ok_or(ERANGE)?;
                check_real_dev(real, ETH_P_8021Q, vid, rtnl)?;
                let name = vlan_name(name_type(net, rtnl), real.name().as_bytes(), vid.get());
                let ext = VlanExt::new(real.mtu());
                let data = VlanPriv::new(real, ETH_P_8021Q, vid, VLAN_FLAG_REORDER_HDR, ext)?;
                link.create(net, name.as_bytes(), data, rtnl)?;
            }
            (Cmd::Del, _, Some(v)) => {
                admin(net)?;
                v.delete(rtnl);
            }
            (Cmd::GetRealdevName, _, Some(v)) => {
                a.set_device2(v.data().real_dev().name().as_bytes());
                *raw = a.encode();
                return Ok(true);
            }
            (Cmd::GetVid, _, Some(v)) => {
                a.set_vid(v.data().vid());
                *raw = a.encode();
                return Ok(true);
            }
            _ => return Err(crate::netdev::errno::err(crate::netdev::errno::EOPNOTSUPP)),
        }
        Ok(false)
    }
}
