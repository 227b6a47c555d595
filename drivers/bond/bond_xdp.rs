// SPDX-License-Identifier: GPL-2.0

//! Native XDP (C: `bond_xdp_set`, `bond_xdp_set_features` and the XDP
//! parts of `bond_enslave` and `__bond_release_one`): the program attached
//! to the bond (`ip link set BOND xdp ...`, the bond's `ndo_bpf`) is
//! installed on every slave through the slave's `ndo_bpf`, one reference
//! per slave; a slave without native XDP cannot join a bond with a
//! program; a released slave loses it. The bond holds the program (and
//! with it `bpf_master_redirect_enabled_key`, so that a slave's `XDP_TX`
//! goes out of the slave `bond_xmit::xdp_slave` chooses) in `Ctl::xdp`.
//! Which modes support it: `txsel::bondopt::xdp_native`.

use crate::bond_dev::{BondDriver, Ctl};
use crate::netdev::{
    errno,
    prelude::*,
    txsel::bondopt,
    xdp_prog::{BpfProg, MasterProg, XDP_ACT_MASK, XDP_ACT_XSK_ZEROCOPY},
};
use kernel::{c_str, prelude::*};

/// `bond_xdp_check` on the bond's configuration.
pub(crate) fn supported(ctl: &Ctl) -> bool {
    bondopt::xdp_native(ctl.cfg.mode.raw(), ctl.cfg.policy)
}

/// `SLAVE_NL_ERR`: the ack's message, or without an ack the log line
/// C's `slave_err` prints.
fn slave_nl_err(
    dev: &Device<BondDriver>,
    slave: &NetDevice,
    extack: &mut ExtAck,
    msg: &'static CStr,
) -> Error {
    if extack.is_discarded() {
        crate::netdev_err!(
            dev,
            "(slave {}): Error: {}\n",
            slave.name(),
            msg.to_str().unwrap_or("?")
        );
    }
    extack.fail(msg, errno::err(errno::EOPNOTSUPP))
}

/// `bond_xdp_set_features`: the XDP features all slaves have (none
/// without slaves or in a mode without native XDP), AF_XDP zero-copy
/// excepted.
pub(crate) fn set_features(dev: &Device<BondDriver>, rtnl: &mut Rtnl) {
    let Ok((ctl, rtnl)) = dev.data().ctl.borrow_and_rtnl(rtnl) else {
        return;
    };
    let val = if !supported(&ctl) || ctl.slaves.is_empty() {
        0
    } else {
        ctl.slaves
            .iter()
            .fold(XDP_ACT_MASK, |v, s| v & s.port.dev.xdp_features())
            & !XDP_ACT_XSK_ZEROCOPY
    };
    dev.set_xdp_features(val, rtnl);
}

/// The bond's `ndo_bpf(XDP_SETUP_PROG)` (C: `bond_xdp_set`): `prog` on
/// every slave, or none; on a failure the slaves done so far get the old
/// program back.
pub(crate) fn setup_prog(
    dev: &Device<BondDriver>,
    prog: Option<BpfProg>,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result {
    let (mut ctl, rtnl) = dev.data().ctl.borrow_mut_and_rtnl(rtnl)?;
    if !supported(&ctl) {
        // `BOND_NL_ERR`: the ack's message, or the log without an ack.
        let msg = c_str!("No native XDP support for the current bonding mode");
        if extack.is_discarded() {
            crate::netdev_err!(dev, "Error: {}\n", msg.to_str().unwrap_or("?"));
        }
        return Err(extack.fail(msg, errno::err(errno::EOPNOTSUPP)));
    }
    let mut failed = None;
    for (i, s) in ctl.slaves.iter().enumerate() {
        let sd = &*s.port.dev;
        let r = if !sd.has_native_xdp() {
            Err(slave_nl_err(
                dev,
                sd,
                extack,
                c_str!("Slave device does not support XDP"),
            ))
        } else if sd.xdp_prog_count(rtnl) > 0 {
            Err(slave_nl_err(
                dev,
                sd,
                extack,
                c_str!("Slave has XDP program loaded, please unload before enslaving"),
            ))
        } else {
            // The slave's `ndo_bpf` sets the ack's message.
            sd.xdp_propagate(prog.clone(), Some(&mut *extack), rtnl)
                .inspect_err(|e| {
                    crate::netdev_err!(
                        dev,
                        "(slave {}): Error {} calling ndo_bpf\n",
                        sd.name(),
                        e.to_errno()
                    )
                })
        };
        if let Err(e) = r {
            failed = Some((i, e));
            break;
        }
    }
    if let Some((n, e)) = failed {
        // Unwind: the old program back on the slaves before the failed one
        // (without the ack: the first error stays).
        let old = ctl.xdp.as_ref().map(|m| m.prog().clone());
        for s in ctl.slaves.iter().take(n) {
            let sd = &*s.port.dev;
            if let Err(eu) = sd.xdp_propagate(old.clone(), None, rtnl) {
                crate::netdev_err!(
                    dev,
                    "(slave {}): Error {} when unwinding XDP program change\n",
                    sd.name(),
                    eu.to_errno()
                );
            }
        }
        return Err(e);
    }
    // The old program (and its hold on the redirect key) goes after the
    // new one is held.
    let new = prog.map(|p| MasterProg::new(p, rtnl));
    ctl.xdp = new;
    Ok(())
}

/// The XDP part of `bond_enslave`: with a program on the bond, `slave`
/// must have native XDP and no program of its own, and gets the bond's.
pub(crate) fn enslave(
    dev: &Device<BondDriver>,
    slave: &NetDevice,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result {
    let prog = match dev.data().ctl.borrow(rtnl)?.xdp.as_ref() {
        Some(m) => m.prog().clone(),
        None => return Ok(()),
    };
    if !slave.has_native_xdp() {
        return Err(slave_nl_err(
            dev,
            slave,
            extack,
            c_str!("Slave does not support XDP"),
        ));
    }
    if slave.xdp_prog_count(rtnl) > 0 {
        return Err(slave_nl_err(
            dev,
            slave,
            extack,
            c_str!("Slave has XDP program loaded, please unload before enslaving"),
        ));
    }
    // The slave's `ndo_bpf` sets the ack's message (C logs at debug level).
    slave.xdp_propagate(Some(prog), Some(extack), rtnl)
}

/// The XDP part of `__bond_release_one`: a bond with a program removes it
/// from the leaving slave.
pub(crate) fn release(dev: &Device<BondDriver>, slave: &NetDevice, rtnl: &mut Rtnl) {
    if !dev.data().ctl.borrow(rtnl).is_ok_and(|c| c.xdp.is_some()) {
        return;
    }
    if slave.xdp_propagate(None, None, rtnl).is_err() {
        // C's `slave_warn`.
        crate::netdev_warn!(
            dev,
            "(slave {}): failed to unload XDP program\n",
            slave.name()
        );
    }
}
