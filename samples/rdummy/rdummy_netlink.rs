// SPDX-License-Identifier: GPL-2.0

//! The `rdummy` link kind: `ip link add NAME type rdummy`, its one
//! attribute and its validation.

use crate::netdev::{
    nla::{check_eth_addr, nla_total_size},
    prelude::*,
};
use crate::rdummy_dev::{Rdummy, RdummyPriv};
use core::sync::atomic::Ordering;
use kernel::{c_str, error::code::*, prelude::*};

/// `IFLA_RDUMMY_TAG` (u32 below 65536) inside `IFLA_INFO_DATA`.
pub(crate) const IFLA_RDUMMY_TAG: u32 = 1;
/// `IFLA_RDUMMY_HEARTBEAT_MS` (u32, at most 60000; 0 = off).
pub(crate) const IFLA_RDUMMY_HEARTBEAT_MS: u32 = 2;
const IFLA_RDUMMY_MAX: u16 = 2;
const HEARTBEAT_MAX_MS: u32 = 60_000;
const TAG_LIMIT: u32 = 1 << 16;

fn parse_tag(data: &Attrs<'_>, extack: &mut ExtAck) -> Result<Option<u32>> {
    let Some(attr) = data.get(IFLA_RDUMMY_TAG) else {
        return Ok(None);
    };
    let Ok(tag) = attr.u32() else {
        return Err(extack.fail_attr(Some(attr), c_str!("rdummy: tag must be a u32"), EINVAL));
    };
    if tag >= TAG_LIMIT {
        return Err(extack.fail_attr(
            Some(attr),
            c_str!("rdummy: tag must be below 65536"),
            ERANGE,
        ));
    }
    Ok(Some(tag))
}

fn parse_heartbeat(data: &Attrs<'_>, extack: &mut ExtAck) -> Result<Option<u32>> {
    let Some(attr) = data.get(IFLA_RDUMMY_HEARTBEAT_MS) else {
        return Ok(None);
    };
    match attr.u32() {
        Ok(ms) if ms <= HEARTBEAT_MAX_MS => Ok(Some(ms)),
        _ => Err(extack.fail_attr(
            Some(attr),
            c_str!("rdummy: heartbeat must be a u32 of at most 60000 ms"),
            ERANGE,
        )),
    }
}

#[vtable]
impl Link for Rdummy {
    const KIND: &'static CStr = c_str!("rdummy");
    const MAX_DATA_ATTR: u16 = IFLA_RDUMMY_MAX;

    fn validate(tb: &Attrs<'_>, data: &Attrs<'_>, extack: &mut ExtAck) -> Result {
        check_eth_addr(
            tb,
            extack,
            c_str!("rdummy: MAC address must be 6 bytes"),
            c_str!("rdummy: MAC address must be unicast and non-zero"),
        )?;
        parse_tag(data, extack)?;
        parse_heartbeat(data, extack).map(|_| ())
    }

    fn newlink(req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result<RdummyPriv> {
        let tag = parse_tag(&req.data, extack)?.unwrap_or(0);
        let hb = parse_heartbeat(&req.data, extack)?.unwrap_or(0);
        Ok(RdummyPriv::new(tag, hb))
    }

    fn changelink(
        dev: &Device<Self>,
        _tb: &Attrs<'_>,
        data: &Attrs<'_>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        if let Some(tag) = parse_tag(data, extack)? {
            dev.data().tag.store(tag, Ordering::Relaxed);
        }
        if let Some(ms) = parse_heartbeat(data, extack)? {
            dev.data().heartbeat_ms.store(ms, Ordering::Relaxed);
            if ms == 0 {
                dev.data().work.cancel_sync();
            } else if dev.is_running() {
                dev.start_work(ms, rtnl);
            }
        }
        Ok(())
    }

    fn info_size(_dev: &Device<Self>) -> usize {
        2 * nla_total_size(4)
    }

    fn fill_info(dev: &Device<Self>, msg: &mut NlMsg) -> Result {
        msg.put_u32(IFLA_RDUMMY_TAG, dev.data().tag())?;
        msg.put_u32(
            IFLA_RDUMMY_HEARTBEAT_MS,
            dev.data().heartbeat_ms.load(Ordering::Relaxed),
        )
    }
}
