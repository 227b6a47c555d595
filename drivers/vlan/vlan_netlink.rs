// SPDX-License-Identifier: GPL-2.0

//! The `vlan` link kind: attributes, validation, creation, changes and
//! deletion (C: `vlan_netlink.c`, `register_vlan_dev`, `unregister_vlan_dev`).

use crate::netdev::{
    device::flags,
    errno,
    nla::{check_eth_addr, nla_total_size},
    prelude::*,
    uapi::vlan,
    vlan::{
        VlanGroup, VlanId, VlanPriv, VlanSlot, ETH_P_8021AD, ETH_P_8021Q, VLAN_FLAG_BRIDGE_BINDING,
        VLAN_FLAG_GVRP, VLAN_FLAG_LOOSE_BINDING, VLAN_FLAG_MVRP, VLAN_FLAG_REORDER_HDR,
    },
};
use crate::vlan_dev::{max_mtu, Vlan, VlanData, VlanExt};
use kernel::{c_str, prelude::*};

/// The `VLAN_FLAG_*` bits userspace may change.
pub(crate) const ALLOWED_FLAGS: u32 = (VLAN_FLAG_REORDER_HDR
    | VLAN_FLAG_GVRP
    | VLAN_FLAG_LOOSE_BINDING
    | VLAN_FLAG_MVRP
    | VLAN_FLAG_BRIDGE_BINDING) as u32;

/// Can `real` take VLAN (`proto`, `vid`)? (C: `vlan_check_real_dev`.)
pub(crate) fn check_real_dev(real: &NetDevice, proto: u16, vid: VlanId, rtnl: &Rtnl) -> Result {
    if real.vlan_challenged() {
        return Err(errno::err(errno::EOPNOTSUPP));
    }
    if VlanGroup::of(real, rtnl).find(proto, vid).is_some() {
        return Err(EEXIST);
    }
    Ok(())
}

/// `struct ifla_vlan_flags`: (flags, mask).
fn parse_flags(a: &Nla) -> Result<(u32, u32)> {
    let p = a.payload();
    let b: [u8; 8] = p.get(..8).and_then(|s| s.try_into().ok()).ok_or(EINVAL)?;
    Ok((
        u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
        u32::from_ne_bytes([b[4], b[5], b[6], b[7]]),
    ))
}

/// The (from, to) pairs of a QoS map; `None` if malformed.
fn qos_pairs(a: &Nla) -> Option<impl Iterator<Item = (u32, u32)> + '_> {
    for (ty, p) in a.nested() {
        if ty != vlan::QOS_MAPPING || p.len() != 8 {
            return None;
        }
    }
    Some(a.nested().map(|(_, p)| {
        (
            u32::from_ne_bytes([p[0], p[1], p[2], p[3]]),
            u32::from_ne_bytes([p[4], p[5], p[6], p[7]]),
        )
    }))
}

/// Applies flags and QoS maps (C: `vlan_changelink`).
fn apply(v: &VlanData, data: &Attrs<'_>, extack: &mut ExtAck, rtnl: &mut Rtnl) -> Result {
    if let Some(a) = data.get(vlan::FLAGS) {
        let (f, mask) = parse_flags(a)?;
        if mask & !ALLOWED_FLAGS != 0 {
            return Err(extack.fail_attr(
                Some(a),
                c_str!("rvnet_vlan: Invalid VLAN flags"),
                EINVAL,
            ));
        }
        v.change_flags(f as u16, mask as u16, rtnl);
    }
    if let Some(a) = data.get(vlan::INGRESS_QOS) {
        for (from, to) in qos_pairs(a).ok_or(EINVAL)? {
            v.set_ingress(from as u8, to, rtnl);
        }
    }
    if let Some(a) = data.get(vlan::EGRESS_QOS) {
        for (from, to) in qos_pairs(a).ok_or(EINVAL)? {
            v.set_egress(from, to as u8, rtnl)?;
        }
    }
    Ok(())
}

#[vtable]
impl Link for Vlan {
    const KIND: &'static CStr = c_str!("vlan");
    const MAX_DATA_ATTR: u16 = vlan::MAX;

    fn validate(tb: &Attrs<'_>, data: &Attrs<'_>, extack: &mut ExtAck) -> Result {
        check_eth_addr(
            tb,
            extack,
            c_str!("rvnet_vlan: Invalid link address"),
            c_str!("rvnet_vlan: Invalid link address"),
        )?;
        if !data.is_present() {
            return Err(extack.fail(c_str!("rvnet_vlan: VLAN properties not specified"), EINVAL));
        }
        if let Some(a) = data.get(vlan::PROTOCOL) {
            match a.be16() {
                Ok(ETH_P_8021Q) | Ok(ETH_P_8021AD) => {}
                _ => {
                    return Err(extack.fail_attr(
                        Some(a),
                        c_str!("rvnet_vlan: Invalid VLAN protocol"),
                        errno::err(errno::EPROTONOSUPPORT),
                    ))
                }
            }
        }
        if let Some(a) = data.get(vlan::ID) {
            match a.u16().ok().and_then(VlanId::new) {
                Some(_) => {}
                _ => {
                    return Err(extack.fail_attr(
                        Some(a),
                        c_str!("rvnet_vlan: Invalid VLAN id"),
                        ERANGE,
                    ))
                }
            }
        }
        if let Some(a) = data.get(vlan::FLAGS) {
            let (f, mask) = parse_flags(a).map_err(|e| {
                extack.fail_attr(Some(a), c_str!("rvnet_vlan: Invalid VLAN flags"), e)
            })?;
            if f & mask & !ALLOWED_FLAGS != 0 {
                return Err(extack.fail_attr(
                    Some(a),
                    c_str!("rvnet_vlan: Invalid VLAN flags"),
                    EINVAL,
                ));
            }
        }
        if let Some(a) = data.get(vlan::INGRESS_QOS) {
            if qos_pairs(a).is_none() {
                return Err(extack.fail_attr(
                    Some(a),
                    c_str!("rvnet_vlan: Invalid ingress QOS map"),
                    EINVAL,
                ));
            }
        }
        if let Some(a) = data.get(vlan::EGRESS_QOS) {
            if qos_pairs(a).is_none() {
                return Err(extack.fail_attr(
                    Some(a),
                    c_str!("rvnet_vlan: Invalid egress QOS map"),
                    EINVAL,
                ));
            }
        }
        Ok(())
    }

    fn newlink(req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result<VlanData> {
        // `validate` refused an id >= `VLAN_VID_MASK`.
        let Some(id) = req
            .data
            .get(vlan::ID)
            .and_then(|a| a.u16().ok())
            .and_then(VlanId::new)
        else {
            return Err(extack.fail(c_str!("rvnet_vlan: VLAN id not specified"), EINVAL));
        };
        let Some(link) = req.tb.get(flags::IFLA_LINK).and_then(|a| a.u32().ok()) else {
            return Err(extack.fail(c_str!("rvnet_vlan: link not specified"), EINVAL));
        };
        let Some(real) = NetDevice::get_by_index(req.src_net, link as i32, req.rtnl) else {
            return Err(extack.fail(c_str!("rvnet_vlan: link does not exist"), ENODEV));
        };
        let proto = req
            .data
            .get(vlan::PROTOCOL)
            .and_then(|a| a.be16().ok())
            .unwrap_or(ETH_P_8021Q);
        if real.vlan_challenged() {
            return Err(extack.fail(
                c_str!("rvnet_vlan: VLANs not supported on device"),
                errno::err(errno::EOPNOTSUPP),
            ));
        }
        if VlanGroup::of(real, req.rtnl).find(proto, id).is_some() {
            return Err(extack.fail(c_str!("rvnet_vlan: VLAN device already exists"), EEXIST));
        }
        let max = max_mtu(real);
        let initial_mtu = match req.tb.get(flags::IFLA_MTU).and_then(|a| a.u32().ok()) {
            Some(m) if m > max => {
                return Err(extack.fail(
                    c_str!("rvnet_vlan: MTU larger than the lower device's"),
                    EINVAL,
                ))
            }
            Some(_) => 0,
            None => max,
        };
        let ext = VlanExt::new(initial_mtu);
        let v = VlanPriv::new(real, proto, id, VLAN_FLAG_REORDER_HDR, ext)?;
        apply(&v, &req.data, extack, req.rtnl)?;
        Ok(v)
    }

    fn registered(dev: &Device<Self>, req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result {
        let v = dev.data();
        let real = v.real_dev();
        VlanSlot::of(dev, req.rtnl).add_vid()?;
        if let Err(e) = dev.link_upper_of(real, extack, req.rtnl) {
            VlanSlot::of(dev, req.rtnl).del_vid();
            return Err(e);
        }
        if v.flags() & VLAN_FLAG_BRIDGE_BINDING == 0 {
            dev.transfer_operstate_from(real, req.rtnl);
        }
        if let Err(e) = VlanSlot::of(dev, req.rtnl).publish() {
            dev.unlink_upper_of(real, req.rtnl);
            VlanSlot::of(dev, req.rtnl).del_vid();
            return Err(e);
        }
        Ok(())
    }

    fn changelink(
        dev: &Device<Self>,
        _tb: &Attrs<'_>,
        data: &Attrs<'_>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        apply(dev.data(), data, extack, rtnl)
    }

    fn dellink(dev: &Device<Self>, rtnl: &mut Rtnl) {
        VlanSlot::of(dev, rtnl).withdraw();
        dev.unlink_upper_of(dev.data().real_dev(), rtnl);
        VlanSlot::of(dev, rtnl).del_vid();
    }

    fn info_size(dev: &Device<Self>) -> usize {
        let (ni, ne) = dev.data().nr_mappings();
        let map = |n: u32| {
            if n == 0 {
                0
            } else {
                nla_total_size(0) + n as usize * nla_total_size(8)
            }
        };
        nla_total_size(2) + nla_total_size(2) + nla_total_size(8) + map(ni) + map(ne)
    }

    fn fill_info(dev: &Device<Self>, msg: &mut NlMsg) -> Result {
        let v = dev.data();
        msg.put_be16(vlan::PROTOCOL, v.proto())?;
        msg.put_u16(vlan::ID, v.vid())?;
        if v.flags() != 0 {
            let mut f = [0u8; 8];
            f[..4].copy_from_slice(&u32::from(v.flags()).to_ne_bytes());
            f[4..].copy_from_slice(&u32::MAX.to_ne_bytes());
            msg.put_bytes(vlan::FLAGS, &f)?;
        }
        let (ni, ne) = v.nr_mappings();
        if ni != 0 {
            msg.nest(vlan::INGRESS_QOS, |msg| {
                for i in 0..8 {
                    let to = v.ingress(i);
                    if to != 0 {
                        put_mapping(msg, i as u32, to)?;
                    }
                }
                Ok(())
            })?;
        }
        if ne != 0 {
            let (list, n) = v.egress_list::<64>();
            msg.nest(vlan::EGRESS_QOS, |msg| {
                for &(from, to) in list.iter().take(n) {
                    put_mapping(msg, from, to.into())?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }
}

fn put_mapping(msg: &mut NlMsg, from: u32, to: u32) -> Result {
    let mut m = [0u8; 8];
    m[..4].copy_from_slice(&from.to_ne_bytes());
    m[4..].copy_from_slice(&to.to_ne_bytes());
    msg.put_bytes(vlan::QOS_MAPPING.into(), &m)
}
