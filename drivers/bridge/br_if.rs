// SPDX-License-Identifier: GPL-2.0

//! Adding and removing ports (C: br_if.c `br_add_if`, `br_del_if`,
//! `br_mtu_auto_adjust`; br_stp_if.c `br_stp_recalculate_bridge_id`), and
//! the port states without STP.

use crate::br_device::{BridgeDriver, FdWork, Port, PortList};
use crate::br_fdb;
use crate::br_sysfs_if::{self, PortSysfs};
use crate::brlogic::{
    flags::{self as pflags, next_state, PortState},
    port,
};
use crate::netdev::{
    bridge::{jiffies, jiffies_to_msecs},
    bridge_link,
    features::Features,
    kvec,
    prelude::*,
    rcu::RcuBox,
    rx_handler::RxHandlerRegistration,
    upper::{AddrAssign, UpperLink, ARPHRD_ETHER},
};
use core::sync::atomic::Ordering;
use kernel::{alloc::KVec, c_str, prelude::*, sync::Arc, types::ARef};

/// The RTNL-side part of a port: what must be undone when it goes.
pub(crate) struct PortSlot {
    pub(crate) port: Arc<Port>,
    rx: Option<RxHandlerRegistration<Port>>,
    upper: Option<UpperLink>,
    pub(crate) sysfs: Option<PortSysfs>,
}

/// Publishes the port list for the data path (newest first, as C's
/// `list_add_rcu` at the head).
fn publish(dev: &Device<BridgeDriver>, rtnl: &mut Rtnl) {
    let b = dev.data();
    let list = (|| -> Result<RcuBox<PortList>> {
        let ctl = b.ctl.borrow(rtnl)?;
        let mut v = PortList::with_capacity(ctl.ports.len(), GFP_KERNEL)?;
        for s in ctl.ports.iter().rev() {
            v.push(s.port.clone(), GFP_KERNEL)?;
        }
        Ok(RcuBox::new(v, GFP_KERNEL)?)
    })();
    // Memory short: no list (nothing is flooded) rather than a stale one
    // holding a removed port.
    b.ports.replace(list.ok(), rtnl).defer();
}

/// Recomputes every port's state without STP and, when one changed (C's
/// `br_port_state_selection` runs on every enable and disable) or
/// `force` (a port left), the bridge's carrier: on when a port forwards.
/// A bridge nothing ever selected for keeps its carrier on (C). A port
/// that stops forwarding forgets what was learned on it
/// (`br_stp_disable_port`).
pub(crate) fn update_states(dev: &Device<BridgeDriver>, force: bool, rtnl: &mut Rtnl) {
    states_for(dev, dev.is_up(), force, rtnl);
}

/// As [`update_states`] after an event of port device `port`; returns
/// whether the port's state changed (and was announced).
pub(crate) fn port_states(dev: &Device<BridgeDriver>, port: &NetDevice, rtnl: &mut Rtnl) -> bool {
    states_for(dev, dev.is_up(), false, rtnl)
        .iter()
        .any(|d| core::ptr::eq(&**d, port))
}

/// `br_port_carrier_check`'s cost part: a running port whose link is up
/// takes the path cost of its current speed, unless the user set one.
pub(crate) fn carrier_check(dev: &Device<BridgeDriver>, port: &NetDevice, rtnl: &mut Rtnl) {
    let p = match dev.data().ctl.borrow(rtnl) {
        Ok(ctl) => match ctl.port_of(port) {
            Some(s) => s.port.clone(),
            None => return,
        },
        Err(_) => return,
    };
    if p.flags.load(Ordering::Relaxed) & pflags::ADMIN_COST != 0
        || !(port.is_running() && port.oper_up())
    {
        return;
    }
    let speed = port.speed_duplex(rtnl).map(|(s, _)| s);
    let cost = port::port_cost(speed, port.name().as_bytes());
    p.path_cost.store(cost, Ordering::Relaxed);
}

/// As [`update_states`] with the bridge's state given: inside `ndo_open`
/// and `ndo_stop` `IFF_UP` is not changed yet.
pub(crate) fn states_for(
    dev: &Device<BridgeDriver>,
    up: bool,
    force: bool,
    rtnl: &mut Rtnl,
) -> KVec<ARef<NetDevice>> {
    let b = dev.data();
    let mut changed = force;
    let mut moved = KVec::new();
    let fd = b.opts.forward_delay.load(Ordering::Relaxed);
    let mut arm = false;
    if let Ok(ctl) = b.ctl.borrow(rtnl) {
        for s in ctl.ports.iter() {
            let enabled = up && s.port.dev.is_running() && s.port.dev.oper_up();
            let old = s.port.state();
            let st = next_state(old, enabled);
            if st != old {
                changed = true;
                s.port.set_state(st);
                if st == PortState::Disabled {
                    br_fdb::delete_dynamic_of(dev, &s.port);
                    s.port.fd_deadline.store(0, Ordering::Relaxed);
                } else if old == PortState::Disabled {
                    // `br_stp_enable_port` -> `br_become_designated_port`.
                    s.port.designated.store(b.id().0, Ordering::Relaxed);
                }
                if st != PortState::Disabled && old == PortState::Disabled && fd != 0 {
                    // C re-arms the port's forward-delay timer on every
                    // enable, STP or not (`br_make_forwarding`).
                    s.port
                        .fd_deadline
                        .store(jiffies().wrapping_add(fd).max(1), Ordering::Relaxed);
                    arm = true;
                }
                // C announces a port it enables twice
                // (`br_stp_enable_port` and `br_make_forwarding`), one it
                // disables once.
                bridge_link::notify(dev, &s.port.dev, true);
                if st == PortState::Forwarding && old == PortState::Disabled {
                    bridge_link::notify(dev, &s.port.dev, true);
                }
                let _ = moved.push(s.port.dev.clone(), GFP_KERNEL);
            }
        }
    }
    if changed {
        set_carrier_from_states(dev, rtnl);
    }
    if arm {
        dev.start_work::<FdWork>(jiffies_to_msecs(fd), rtnl);
    }
    moved
}

/// `br_forward_delay_timer_expired` for every port whose timer is due:
/// listening goes to learning (timer re-armed), learning to forwarding
/// (carrier on), and each is announced. Returns when to run again.
pub(crate) fn forward_delay_expired(dev: &Device<BridgeDriver>) -> Option<u32> {
    let b = dev.data();
    let fd = b.opts.forward_delay.load(Ordering::Relaxed);
    let now = jiffies();
    let rcu = RcuGuard::new();
    let mut next: Option<u64> = None;
    for p in b.ports.get(&rcu)?.iter() {
        let d = p.fd_deadline.load(Ordering::Relaxed);
        if d == 0 {
            continue;
        }
        let left = d.wrapping_sub(now) as i64;
        if left > 0 {
            next = Some(next.map_or(left as u64, |n| n.min(left as u64)));
            continue;
        }
        p.fd_deadline.store(0, Ordering::Relaxed);
        match p.state() {
            PortState::Listening if fd != 0 => {
                p.set_state(PortState::Learning);
                p.fd_deadline
                    .store(now.wrapping_add(fd).max(1), Ordering::Relaxed);
                next = Some(next.map_or(fd, |n| n.min(fd)));
            }
            PortState::Learning => {
                p.set_state(PortState::Forwarding);
                dev.set_carrier(true);
            }
            _ => {}
        }
        bridge_link::notify(dev, &p.dev, true);
    }
    next.map(|j| jiffies_to_msecs(j).max(1))
}

/// The bridge's carrier after a state selection: on when a port
/// forwards.
pub(crate) fn set_carrier_from_states(dev: &Device<BridgeDriver>, rtnl: &mut Rtnl) {
    let live = match dev.data().ctl.borrow(rtnl) {
        Ok(ctl) => ctl
            .ports
            .iter()
            .any(|s| s.port.state() == PortState::Forwarding),
        Err(_) => false,
    };
    dev.set_carrier(live);
}

/// `br_stp_recalculate_bridge_id`: unless the user set it, the bridge's
/// address is its lowest port address (zero without ports).
pub(crate) fn recalc_addr(dev: &Device<BridgeDriver>, rtnl: &mut Rtnl) {
    if dev.addr_assign() == AddrAssign::Set {
        return;
    }
    let b = dev.data();
    let new = match b.ctl.borrow(rtnl) {
        Ok(ctl) => port::lowest_addr(ctl.ports.iter().filter_map(|s| s.port.dev.mac())),
        Err(_) => return,
    };
    if b.bridge_id() == new {
        return;
    }
    if let Some(old) = dev.mac() {
        br_fdb::change_bridge_addr(dev, &old, &new, rtnl);
    }
    change_bridge_id(dev, &new, rtnl);
    dev.set_addr_notify(&new, rtnl);
}

/// The rest of `br_stp_change_bridge_id` once the local FDB entry moved:
/// the bridge id takes address `new`, and (C's `br_port_state_selection`
/// there) the carrier is recomputed from the ports' states: off while no
/// port forwards. This is what turns a new bridge's carrier off (its
/// address given at creation, or its first port's taken), so that the
/// carrier coming on with a forwarding port makes the operstate UP, not
/// UNKNOWN.
pub(crate) fn change_bridge_id(dev: &Device<BridgeDriver>, new: &[u8; 6], rtnl: &mut Rtnl) {
    dev.data().set_bridge_id(new);
    set_carrier_from_states(dev, rtnl);
}

/// `br_mtu_auto_adjust`: the smallest port MTU (1500 without ports),
/// unless the user set one.
pub(crate) fn mtu_auto_adjust(dev: &Device<BridgeDriver>, rtnl: &mut Rtnl) {
    let b = dev.data();
    let mtu = match b.ctl.borrow(rtnl) {
        Ok(ctl) if !ctl.mtu_set_by_user => ctl
            .ports
            .iter()
            .map(|s| s.port.dev.mtu())
            .min()
            .unwrap_or(1500),
        _ => return,
    };
    if mtu != dev.mtu() {
        // Through the core (listeners hear of it); `change_mtu` then marks
        // it as the user's, which this undoes (as C does).
        let _ = dev.set_mtu(mtu, rtnl);
        if let Ok(mut ctl) = b.ctl.borrow_mut(rtnl) {
            ctl.mtu_set_by_user = false;
        }
    }
}

fn fail(extack: &mut ExtAck, msg: &'static CStr, e: Error) -> Error {
    extack.fail(msg, e)
}

/// `ip link set DEV master BR`, `brctl addif` (C: `br_add_if`).
pub(crate) fn add_if(
    dev: &Device<BridgeDriver>,
    slave: &NetDevice,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result {
    let b = dev.data();
    // Only Ethernet-like devices with a valid address.
    let mac = slave.mac();
    if slave.is_loopback()
        || slave.dev_type() != ARPHRD_ETHER
        || !mac.is_some_and(|m| crate::brlogic::deliver::valid_source(&m))
    {
        return Err(EINVAL);
    }
    if slave.downcast::<BridgeDriver>().is_some() {
        return Err(fail(
            extack,
            c_str!("Can not enslave a bridge to a bridge"),
            crate::netdev::errno::err(crate::netdev::errno::ELOOP),
        ));
    }
    if slave.master_upper(rtnl).is_some() {
        return Err(EBUSY);
    }
    if slave.dont_bridge() {
        return Err(fail(
            extack,
            c_str!("Device does not allow enslaving to a bridge"),
            crate::netdev::errno::err(crate::netdev::errno::EOPNOTSUPP),
        ));
    }
    let port_no = {
        let ctl = b.ctl.borrow(rtnl)?;
        port::first_free(ctl.ports.iter().map(|s| s.port.port_no))
    }
    .ok_or(crate::netdev::errno::err(crate::netdev::errno::EXFULL))?;
    let speed = slave.speed_duplex(rtnl).map(|(s, _)| s);
    let cost = port::port_cost(speed, slave.name().as_bytes());
    let p = Arc::new(Port::new(slave, dev, port_no, cost, b.id()), GFP_KERNEL)?;
    // Reserve room first: nothing may fail once the port is live.
    b.ctl.borrow_mut(rtnl)?.ports.reserve(1, GFP_KERNEL)?;

    slave.set_allmulti(1, rtnl)?;
    let rx = match RxHandlerRegistration::new(slave, p.clone(), extack, rtnl) {
        Ok(r) => r,
        Err(e) => {
            let _ = slave.set_allmulti(-1, rtnl);
            return Err(e);
        }
    };
    let upper = match UpperLink::new_bridge_port(slave, dev, extack, rtnl) {
        Ok(u) => u,
        Err(e) => {
            rx.unregister(rtnl);
            let _ = slave.set_allmulti(-1, rtnl);
            return Err(e);
        }
    };
    let sysfs = match br_sysfs_if::add_port(dev, slave, rtnl) {
        Ok(s) => s,
        Err(e) => {
            upper.unlink(rtnl);
            rx.unregister(rtnl);
            let _ = slave.set_allmulti(-1, rtnl);
            return Err(e);
        }
    };
    // Every port is promiscuous on a bridge without VLAN filtering
    // (`br_manage_promisc`).
    if let Err(e) = slave.set_promiscuity(1, rtnl) {
        br_sysfs_if::del_port(dev, sysfs, rtnl);
        upper.unlink(rtnl);
        rx.unregister(rtnl);
        let _ = slave.set_allmulti(-1, rtnl);
        return Err(e);
    }
    {
        let (mut ctl, _) = b.ctl.borrow_mut_and_rtnl(rtnl)?;
        // Cannot fail: reserved above.
        let _ = ctl.ports.push(
            PortSlot {
                port: p.clone(),
                rx: Some(rx),
                upper: Some(upper),
                sysfs: Some(sysfs),
            },
            GFP_KERNEL,
        );
    }
    publish(dev, rtnl);
    if let Some(m) = mac {
        br_fdb::add_local(dev, Some(p.clone()), &m, rtnl);
    }
    recalc_addr(dev, rtnl);
    update_states(dev, false, rtnl);
    bridge_link::notify(dev, slave, true);
    dev.update_features(rtnl);
    mtu_auto_adjust(dev, rtnl);
    Ok(())
}

/// Undoes what `add_if` did to the port's device.
fn release(dev: &Device<BridgeDriver>, mut s: PortSlot, rtnl: &mut Rtnl) {
    s.port.set_state(PortState::Disabled);
    if let Some(f) = s.sysfs.take() {
        br_sysfs_if::del_port(dev, f, rtnl);
    }
    bridge_link::notify(dev, &s.port.dev, false);
    let _ = s.port.dev.set_promiscuity(-1, rtnl);
    if let Some(u) = s.upper.take() {
        u.unlink(rtnl);
    }
    if let Some(r) = s.rx.take() {
        // Waits for running handlers.
        r.unregister(rtnl);
    }
    let _ = s.port.dev.set_allmulti(-1, rtnl);
    br_fdb::delete_port(dev, &s.port, rtnl);
}

/// `ip link set DEV nomaster`, `brctl delif`, the port's unregistration
/// (C: `br_del_if`).
pub(crate) fn del_if(dev: &Device<BridgeDriver>, slave: &NetDevice, rtnl: &mut Rtnl) -> Result {
    let b = dev.data();
    let s = {
        let mut ctl = b.ctl.borrow_mut(rtnl)?;
        let Some(i) = ctl
            .ports
            .iter()
            .position(|s| core::ptr::eq(&*s.port.dev, slave))
        else {
            return Err(EINVAL);
        };
        kvec::remove(&mut ctl.ports, i).ok_or(EINVAL)?
    };
    publish(dev, rtnl);
    release(dev, s, rtnl);
    update_states(dev, true, rtnl);
    mtu_auto_adjust(dev, rtnl);
    recalc_addr(dev, rtnl);
    dev.update_features(rtnl);
    Ok(())
}

/// `br_features_recompute` (the bridge's `ndo_fix_features`): with ports,
/// what every port offers, plus what one port offering suffices for
/// (`NETIF_F_ONE_FOR_ALL`), plus TSO (done in software by the ports that
/// lack it), within the proposed `features`.
pub(crate) fn features_recompute(
    dev: &Device<BridgeDriver>,
    features: Features,
    rtnl: &mut Rtnl,
) -> Features {
    let Ok(ctl) = dev.data().ctl.borrow(rtnl) else {
        return features;
    };
    if ctl.ports.is_empty() {
        return features;
    }
    let mask = features;
    let mut f = features & !Features::ONE_FOR_ALL;
    for s in ctl.ports.iter() {
        f = f.increment(s.port.dev.features(), mask);
    }
    f.add_tso(mask)
}

/// Every port goes (the bridge is deleted, C: `br_dev_delete`).
pub(crate) fn del_all(dev: &Device<BridgeDriver>, rtnl: &mut Rtnl) {
    let b = dev.data();
    loop {
        let s = match b.ctl.borrow_mut(rtnl) {
            Ok(mut ctl) => {
                let n = ctl.ports.len();
                n.checked_sub(1)
                    .and_then(|i| kvec::remove(&mut ctl.ports, i))
            }
            Err(_) => None,
        };
        let Some(s) = s else {
            break;
        };
        publish(dev, rtnl);
        release(dev, s, rtnl);
    }
    br_fdb::flush_all(dev);
    b.gc.cancel_sync();
}
