// SPDX-License-Identifier: GPL-2.0

//! Upper/lower device links and the slave side of a master: what `ip link
//! set X master Y` / `nomaster` do besides the rx_handler.
//!
//! Kernel rules encoded here:
//! - a lower device has at most one master upper device;
//!   `netdev_master_upper_dev_link` refuses a second one (`EBUSY`), a link
//!   that would close a loop (`EBUSY`: the upper is already below the
//!   lower) or nest too deep (`EMLINK`), and it sends
//!   `NETDEV_PRECHANGEUPPER`/`NETDEV_CHANGEUPPER`, which listeners may veto
//!   (with an extack message);
//! - links are made and removed under RTNL; an [`UpperLink`] is the proof
//!   that a link exists and removing it ([`UpperLink::unlink`]) needs
//!   `&mut Rtnl`; dropping it instead unlinks later, under RTNL taken by a
//!   work item of the layer (`rtnl_defer`), never inline without the lock;
//! - linking, unlinking, opening, closing, re-addressing and MTU changes
//!   are writers (`&mut Rtnl`: they free adjacency entries or run notifiers
//!   that free RTNL-protected objects), so no reference read under the
//!   same RTNL section (`master_upper`, `for_each_upper`) survives them;
//! - `IFF_SLAVE` is set on the lower device while it is enslaved;
//! - opening, closing, re-addressing and changing the MTU of another device
//!   go through the core (`dev_open`, `dev_close`, `dev_set_mac_address`,
//!   `dev_set_mtu`) under RTNL, so its notifiers run.

use super::{
    bindings,
    device::NetDevice,
    driver::{Device, Driver},
    nla::ExtAck,
    rtnl::Rtnl,
    rtnl_defer::{Deferrable, RtnlTeardown},
};
use kernel::{error::to_result, prelude::*, types::ARef};

/// A master upper link from a lower device to its master.
///
/// Removed under RTNL with [`UpperLink::unlink`]; merely dropping it
/// (possibly without RTNL) unlinks later from a work item that takes RTNL
/// (`rtnl_defer`), holding both devices until then.
///
/// # Invariants
///
/// Until the state is torn down, its `lower` is linked below its `upper`
/// as its master.
pub struct UpperLink {
    state: Deferrable<LinkState>,
}

/// What the lower device is to its master.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A slave (`IFF_SLAVE`).
    Slave,
    /// A bonding slave (`IFF_SLAVE` and `IFF_BONDING`).
    BondSlave,
    /// A bridge port (`IFF_BRIDGE_PORT`).
    BridgePort,
}

struct LinkState {
    lower: ARef<NetDevice>,
    upper: ARef<NetDevice>,
    role: Role,
}

const IFF_BONDING: u64 = bindings::netdev_priv_flags_IFF_BONDING as u64;

impl RtnlTeardown for LinkState {
    fn teardown(self, _rtnl: &Rtnl) {
        // SAFETY: linked (invariant of `UpperLink`); RTNL is held. The
        // port flag goes before the link: rtnetlink dereferences the
        // master of any `IFF_BRIDGE_PORT` device.
        unsafe {
            if self.role == Role::BridgePort {
                bindings::rvnet_dev_bridge_port_flag(self.lower.as_raw(), false);
            }
            bindings::netdev_upper_dev_unlink(self.lower.as_raw(), self.upper.as_raw());
            if self.role != Role::BridgePort {
                bindings::rvnet_set_slave_flag(self.lower.as_raw(), false);
            }
            if self.role == Role::BondSlave {
                bindings::rvnet_dev_priv_flag(self.lower.as_raw(), IFF_BONDING, false);
            }
        }
    }
}

impl UpperLink {
    /// Links `lower` below `upper` as its master
    /// (`netdev_master_upper_dev_link`), marks it `IFF_SLAVE`.
    pub fn new(
        lower: &NetDevice,
        upper: &NetDevice,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result<Self> {
        Self::link(lower, upper, Role::Slave, None, extack, rtnl)
    }

    /// Links `lower` below the bonding master `upper` (C:
    /// `bond_master_upper_dev_link`, with `lag` as the
    /// `netdev_lag_upper_info` the CHANGEUPPER listeners see) and marks it
    /// `IFF_SLAVE` and `IFF_BONDING` while linked (`netif_is_bond_slave`:
    /// the stack then calls `upper`'s `ndo_xdp_get_xmit_slave`). Only for a
    /// driver that may set `IFF_BONDING` (build error otherwise, as
    /// `Setup::bonding_master`).
    pub fn new_bond_slave<D: Driver>(
        lower: &NetDevice,
        upper: &Device<D>,
        lag: LagInfo,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result<Self> {
        super::module_veto::assert_keeps_out_bonding::<D>();
        Self::link(lower, upper, Role::BondSlave, Some(lag), extack, rtnl)
    }

    /// Links `lower` below the bridge `upper` as its port and marks it
    /// `IFF_BRIDGE_PORT` (not `IFF_SLAVE`) while linked. rtnetlink then
    /// sends the port's FDB requests to `upper`'s `ndo_fdb_*` hooks without
    /// checking them: `D` must implement them, and keep C bridge out as
    /// `Setup::bridge_master` (build errors otherwise).
    pub fn new_bridge_port<D: Driver>(
        lower: &NetDevice,
        upper: &Device<D>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result<Self> {
        super::fdb::assert_fdb_ops::<D>();
        super::module_veto::assert_keeps_out_bridge::<D>();
        Self::link(lower, upper, Role::BridgePort, None, extack, rtnl)
    }

    fn link(
        lower: &NetDevice,
        upper: &NetDevice,
        role: Role,
        lag: Option<LagInfo>,
        extack: &mut ExtAck,
        _rtnl: &mut Rtnl,
    ) -> Result<Self> {
        // Allocated first: once linked, nothing may fail.
        let state = Deferrable::new(LinkState {
            lower: lower.hold(),
            upper: upper.hold(),
            role,
        })?;
        let mut info = lag.map(LagInfo::raw);
        let info_ptr = info
            .as_mut()
            .map_or(core::ptr::null_mut(), |i| core::ptr::from_mut(i).cast());
        // SAFETY: RTNL is held; both devices are live; the ack is null or
        // valid for this request; the lag info is null or lives for the
        // call (the core passes it to the notifiers only).
        let r = to_result(unsafe {
            bindings::rvnet_master_upper_dev_link(
                lower.as_raw(),
                upper.as_raw(),
                core::ptr::null_mut(),
                info_ptr,
                extack.as_raw(),
            )
        });
        if let Err(e) = r {
            // Never linked: nothing to tear down.
            state.discard();
            return Err(e);
        }
        // SAFETY: RTNL is held.
        unsafe {
            match role {
                Role::BridgePort => bindings::rvnet_dev_bridge_port_flag(lower.as_raw(), true),
                Role::Slave => bindings::rvnet_set_slave_flag(lower.as_raw(), true),
                Role::BondSlave => {
                    bindings::rvnet_set_slave_flag(lower.as_raw(), true);
                    bindings::rvnet_dev_priv_flag(lower.as_raw(), IFF_BONDING, true);
                }
            }
        }
        // INVARIANT: linked just above.
        Ok(UpperLink { state })
    }

    /// Removes the link and clears `IFF_SLAVE` (and `IFF_BONDING`).
    pub fn unlink(self, rtnl: &mut Rtnl) {
        self.state.teardown(rtnl);
    }
}

/// A random locally administered unicast Ethernet address
/// (`eth_random_addr`).
pub fn random_ether_addr() -> [u8; 6] {
    let mut a = [0u8; 6];
    // SAFETY: `a` has the 6 bytes the helper writes.
    unsafe { bindings::rvnet_eth_random_addr(a.as_mut_ptr()) };
    a
}

/// What [`NetDevice::announce`] tells the netdevice notifiers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Announce {
    /// `NETDEV_NOTIFY_PEERS`: the stack sends gratuitous ARPs and
    /// unsolicited neighbour advertisements for the device's addresses.
    NotifyPeers,
    /// `NETDEV_BONDING_FAILOVER`: a bond changed its active slave.
    BondingFailover,
    /// `NETDEV_RESEND_IGMP`: the stack sends its multicast reports again.
    ResendIgmp,
}

/// How a bonding master transmits, as it tells the CHANGEUPPER listeners
/// (`struct netdev_lag_upper_info`: `NETDEV_LAG_TX_TYPE_*`, and the hash
/// of `NETDEV_LAG_TX_TYPE_HASH`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LagInfo {
    /// Round-robin.
    RoundRobin,
    /// One active lower device.
    ActiveBackup,
    /// Every lower device.
    Broadcast,
    /// By a hash of the packet.
    Hash(LagHash),
    /// None of these (C: `NETDEV_LAG_TX_TYPE_UNKNOWN`, balance-tlb/alb).
    Unknown,
}

/// `NETDEV_LAG_HASH_*`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LagHash {
    /// `layer2`.
    L2,
    /// `layer3+4`.
    L34,
    /// `layer2+3`.
    L23,
    /// `encap2+3`.
    E23,
    /// `encap3+4`.
    E34,
    /// `vlan+srcmac`.
    VlanSrcMac,
}

impl LagInfo {
    fn raw(self) -> bindings::netdev_lag_upper_info {
        use bindings as b;
        let (tx_type, hash_type) = match self {
            LagInfo::RoundRobin => (
                b::netdev_lag_tx_type_NETDEV_LAG_TX_TYPE_ROUNDROBIN,
                b::netdev_lag_hash_NETDEV_LAG_HASH_NONE,
            ),
            LagInfo::ActiveBackup => (
                b::netdev_lag_tx_type_NETDEV_LAG_TX_TYPE_ACTIVEBACKUP,
                b::netdev_lag_hash_NETDEV_LAG_HASH_NONE,
            ),
            LagInfo::Broadcast => (
                b::netdev_lag_tx_type_NETDEV_LAG_TX_TYPE_BROADCAST,
                b::netdev_lag_hash_NETDEV_LAG_HASH_NONE,
            ),
            LagInfo::Hash(h) => (
                b::netdev_lag_tx_type_NETDEV_LAG_TX_TYPE_HASH,
                match h {
                    LagHash::L2 => b::netdev_lag_hash_NETDEV_LAG_HASH_L2,
                    LagHash::L34 => b::netdev_lag_hash_NETDEV_LAG_HASH_L34,
                    LagHash::L23 => b::netdev_lag_hash_NETDEV_LAG_HASH_L23,
                    LagHash::E23 => b::netdev_lag_hash_NETDEV_LAG_HASH_E23,
                    LagHash::E34 => b::netdev_lag_hash_NETDEV_LAG_HASH_E34,
                    LagHash::VlanSrcMac => b::netdev_lag_hash_NETDEV_LAG_HASH_VLAN_SRCMAC,
                },
            ),
            LagInfo::Unknown => (
                b::netdev_lag_tx_type_NETDEV_LAG_TX_TYPE_UNKNOWN,
                b::netdev_lag_hash_NETDEV_LAG_HASH_NONE,
            ),
        };
        bindings::netdev_lag_upper_info { tx_type, hash_type }
    }
}

/// `ARPHRD_ETHER`.
pub const ARPHRD_ETHER: u16 = bindings::ARPHRD_ETHER as u16;
/// `ARPHRD_INFINIBAND` (IPoIB).
pub const ARPHRD_INFINIBAND: u16 = bindings::ARPHRD_INFINIBAND as u16;

/// How a device's hardware address was assigned (`NET_ADDR_*`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AddrAssign {
    /// `NET_ADDR_PERM`.
    Perm,
    /// `NET_ADDR_RANDOM`.
    Random,
    /// `NET_ADDR_STOLEN`: taken from another device.
    Stolen,
    /// `NET_ADDR_SET`: set by user space.
    Set,
}

impl NetDevice {
    /// Sets or clears `IFF_NO_ADDRCONF`: IPv6 address configuration skips
    /// the device (no link-local address, no solicited-node group), as C
    /// bonding does to a slave from before it opens it until its release.
    pub fn set_no_addrconf(&self, on: bool, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL is held; the device is live.
        unsafe {
            bindings::rvnet_dev_priv_flag(
                self.as_raw(),
                bindings::netdev_priv_flags_IFF_NO_ADDRCONF as u64,
                on,
            )
        };
    }

    /// `dev->type` (`ARPHRD_*`).
    pub fn dev_type(&self) -> u16 {
        // SAFETY: the device is live.
        unsafe { bindings::rvnet_dev_type(self.as_raw()) }
    }

    /// The hardware address if it is 6 bytes long (Ethernet). Read in
    /// place, as C's `ether_addr_equal(dev->dev_addr, ...)` does (the
    /// bridge compares every received frame's destination with it).
    #[inline]
    pub fn mac(&self) -> Option<[u8; 6]> {
        let d = self.as_raw();
        // SAFETY: the device is live; `dev_addr` holds `addr_len` bytes
        // (written under RTNL, read racily as C's readers do).
        unsafe {
            if core::ptr::addr_of!((*d).addr_len).read_volatile() != 6 {
                return None;
            }
            let p = core::ptr::addr_of!((*d).dev_addr).read_volatile();
            Some(p.cast::<[u8; 6]>().read_unaligned())
        }
    }

    /// How the address was assigned.
    pub fn addr_assign(&self) -> AddrAssign {
        // SAFETY: the device is live.
        match u32::from(unsafe { bindings::rvnet_addr_assign_type(self.as_raw()) }) {
            bindings::NET_ADDR_RANDOM => AddrAssign::Random,
            bindings::NET_ADDR_STOLEN => AddrAssign::Stolen,
            bindings::NET_ADDR_SET => AddrAssign::Set,
            _ => AddrAssign::Perm,
        }
    }

    /// The device's driver can change its address (`ndo_set_mac_address`).
    pub fn can_set_mac(&self) -> bool {
        // SAFETY: the device is live; only the ops pointer is read.
        unsafe { bindings::rvnet_dev_has_set_mac(self.as_raw()) }
    }

    /// Sets the hardware address through the core (`dev_set_mac_address`).
    pub fn set_mac(&self, mac: &[u8; 6], extack: Option<&mut ExtAck>, _rtnl: &mut Rtnl) -> Result {
        if self.mac().is_none() {
            return Err(EINVAL);
        }
        let ack = extack.map_or(core::ptr::null_mut(), |a| a.as_raw());
        // SAFETY: RTNL held; `mac` has `addr_len` (6) bytes; ack null/valid.
        to_result(unsafe { bindings::rvnet_dev_set_mac(self.as_raw(), mac.as_ptr(), ack) })
    }

    /// Writes the address field only (`dev_addr_set`): neither the driver
    /// nor any listener is told, as C balance-tlb gives each slave an
    /// address of its own while the hardware keeps the bond's
    /// (`alb_set_slave_mac_addr`). A device whose address is not 6 bytes
    /// is left alone.
    pub fn set_addr_field(&self, mac: &[u8; 6], _rtnl: &mut Rtnl) {
        if self.mac().is_none() {
            return;
        }
        // SAFETY: RTNL held (the writers' lock of `dev_addr`); the device
        // is live and its address 6 bytes long, as `mac`.
        unsafe { bindings::rvnet_eth_hw_addr_set(self.as_raw(), mac.as_ptr()) }
    }

    /// Takes `from`'s address (`NET_ADDR_STOLEN`), notifying listeners.
    pub fn take_addr_from(&self, from: &NetDevice, _rtnl: &mut Rtnl) -> Result {
        // SAFETY: RTNL held; both devices live.
        to_result(unsafe { bindings::rvnet_dev_take_addr(self.as_raw(), from.as_raw()) })
    }

    /// A new random address (`eth_hw_addr_random`), notifying listeners.
    pub fn random_addr(&self, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held.
        unsafe { bindings::rvnet_dev_random_addr(self.as_raw()) }
    }

    /// Sets the MTU without asking listeners (`__dev_set_mtu`), for a
    /// device that is going away.
    pub fn set_mtu_force(&self, mtu: u32, _rtnl: &mut Rtnl) -> Result {
        // SAFETY: RTNL held.
        to_result(unsafe { bindings::rvnet_dev_set_mtu_force(self.as_raw(), mtu) })
    }

    /// Adds `addr` to the device's multicast filter (`dev_mc_add`;
    /// references are counted: each add needs one [`NetDevice::mc_del`]).
    pub fn mc_add(&self, addr: &[u8; 6], _rtnl: &Rtnl) -> Result {
        // SAFETY: the device is live; `addr` has 6 bytes (Ethernet).
        to_result(unsafe { bindings::rvnet_dev_mc_add(self.as_raw(), addr.as_ptr()) })
    }

    /// Removes one reference to `addr` from the multicast filter
    /// (`dev_mc_del`).
    pub fn mc_del(&self, addr: &[u8; 6], _rtnl: &Rtnl) {
        // SAFETY: the device is live; `addr` has 6 bytes.
        unsafe { bindings::rvnet_dev_mc_del(self.as_raw(), addr.as_ptr()) };
    }

    /// Opens the device (`dev_open`).
    pub fn open(&self, extack: &mut ExtAck, _rtnl: &mut Rtnl) -> Result {
        // SAFETY: RTNL held; ack null or valid.
        to_result(unsafe { bindings::dev_open(self.as_raw(), extack.as_raw()) })
    }

    /// Closes the device (`dev_close`).
    pub fn close(&self, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held.
        unsafe { bindings::dev_close(self.as_raw()) }
    }

    /// The master upper device (`netdev_master_upper_dev_get`), under RTNL.
    pub fn master_upper<'a>(&'a self, _rtnl: &'a Rtnl) -> Option<&'a NetDevice> {
        // SAFETY: RTNL held, so the upper device cannot go while `'a` lasts.
        let p = unsafe { bindings::netdev_master_upper_dev_get(self.as_raw()) };
        // SAFETY: non-null results are registered devices pinned by RTNL.
        (!p.is_null()).then(|| unsafe { NetDevice::from_raw(p) })
    }

    /// Link speed (Mb/s) and full duplex as ethtool reports them
    /// (`__ethtool_get_link_ksettings`), `None` when unknown; under RTNL.
    /// May sleep (checked with `might_sleep()` as [`Self::reported_link`]).
    pub fn speed_duplex(&self, _rtnl: &Rtnl) -> Option<(u32, bool)> {
        let mut speed = 0u32;
        let mut duplex = 0u8;
        // SAFETY: RTNL held; the helper writes both outputs.
        let ok = unsafe { bindings::rvnet_speed_duplex(self.as_raw(), &mut speed, &mut duplex) };
        ok.then_some((speed, duplex == 1))
    }

    /// The link as the device's driver reports it: ethtool's `get_link`,
    /// else the MII ioctls (`SIOCGMIIPHY`, `SIOCGMIIREG` of `MII_BMSR`);
    /// `None` if neither answers (C's `bond_check_dev_link` with
    /// `use_carrier` 0). Without locks, as the bonding monitor calls it.
    ///
    /// Sleeps (ethtool's `ethtool_op_get_link` runs a pending link-watch
    /// event): never inside an [`RcuGuard`](crate::netdev::rcu::RcuGuard)
    /// or a spinlock. The helper calls `might_sleep()` first, so a test
    /// kernel reports such a caller at its first call, not only the rare
    /// time the driver does sleep. (C's `bond_miimon_inspect` of this
    /// kernel makes exactly that call under `rcu_read_lock`.)
    pub fn reported_link(&self) -> Option<bool> {
        // SAFETY: the device is live; the helper checks the ops pointers
        // and passes the ioctls a kernel `ifreq` of its own.
        match unsafe { bindings::rvnet_reported_link(self.as_raw()) } {
            r if r < 0 => None,
            r => Some(r != 0),
        }
    }

    /// `netif_is_bond_slave()`: a slave of some bond (`IFF_SLAVE` and
    /// `IFF_BONDING`), whichever driver serves the bond.
    pub fn is_bond_slave(&self) -> bool {
        // SAFETY: the device is live; only two flag words are read.
        unsafe { bindings::rvnet_is_bond_slave(self.as_raw()) }
    }

    /// A carrier change of the device waits for linkwatch
    /// (`__LINK_STATE_LINKWATCH_PENDING`).
    pub fn linkwatch_pending(&self) -> bool {
        // SAFETY: the device is live; only a bit of `state` is tested.
        unsafe { bindings::rvnet_linkwatch_pending(self.as_raw()) }
    }

    /// Tells the stack something about this device through the netdevice
    /// notifiers (`call_netdevice_notifiers`), e.g. a bond's failover:
    /// the stack then announces the device's addresses again. Nothing is
    /// sent for a device that is not registered (any longer).
    pub fn announce(&self, what: Announce, _rtnl: &mut Rtnl) {
        let ev = match what {
            Announce::NotifyPeers => bindings::netdev_cmd_NETDEV_NOTIFY_PEERS,
            Announce::BondingFailover => bindings::netdev_cmd_NETDEV_BONDING_FAILOVER,
            Announce::ResendIgmp => bindings::netdev_cmd_NETDEV_RESEND_IGMP,
        };
        // SAFETY: a live device (we hold a reference), under RTNL as the
        // notifiers require; the helper checks it is registered.
        unsafe { bindings::rvnet_netdev_announce(self.as_raw(), ev as _) };
    }

    /// Tells the listeners the state of this device as a LAG lower device
    /// of `master` (`netdev_lower_state_changed` with a
    /// `netdev_lag_lower_state_info`: `NETDEV_CHANGELOWERSTATE`, which
    /// rtnetlink turns into an `RTM_NEWLINK` of this device). Only for a
    /// bonding master, as [`UpperLink::new_bond_slave`] (build error
    /// otherwise): the listeners read the state as a LAG port's.
    pub fn lag_lower_state_changed<D: Driver>(
        &self,
        _master: &Device<D>,
        link_up: bool,
        tx_enabled: bool,
        _rtnl: &mut Rtnl,
    ) {
        super::module_veto::assert_keeps_out_bonding::<D>();
        // SAFETY: a live device, under RTNL (the token) as the notifiers
        // require; the helper builds the state the listeners read.
        unsafe { bindings::rvnet_lag_lower_state_changed(self.as_raw(), link_up, tx_enabled) };
    }

    /// Tells the listeners this bonding slave's state and its bond's
    /// (`netdev_bonding_info_change`: `NETDEV_BONDING_INFO` with a
    /// `netdev_bonding_info`; the name is this device's). Only for a
    /// bonding master, as [`NetDevice::lag_lower_state_changed`] (build
    /// error otherwise): the listeners take the device for a bonding
    /// slave.
    pub fn bonding_info_change<D: Driver>(
        &self,
        _master: &Device<D>,
        info: &BondingInfo,
        _rtnl: &mut Rtnl,
    ) {
        super::module_veto::assert_keeps_out_bonding::<D>();
        // SAFETY: a live device, under RTNL (the token) as the notifiers
        // require; the helper builds the structure the listeners read.
        unsafe {
            bindings::rvnet_bonding_info_change(
                self.as_raw(),
                info.link,
                info.state,
                info.link_failure_count,
                info.bond_mode,
                info.num_slaves,
                info.miimon,
            )
        };
    }

    /// `IFF_MASTER` is set.
    pub fn is_master(&self) -> bool {
        self.flags() & bindings::net_device_flags_IFF_MASTER != 0
    }

    /// `IFF_SLAVE` is set.
    pub fn is_slave(&self) -> bool {
        self.flags() & bindings::net_device_flags_IFF_SLAVE != 0
    }
}

/// What `NETDEV_BONDING_INFO` says of a bonding slave and its bond
/// (`struct ifslave` and `struct ifbond` of `netdev_bonding_info`, C's
/// `bond_fill_ifslave` and `bond_fill_ifbond`).
pub struct BondingInfo {
    /// `slave->link` (`BOND_LINK_UP` 0, `FAIL` 1, `DOWN` 2, `BACK` 3).
    pub link: i8,
    /// `bond_slave_state`: `BOND_STATE_ACTIVE` 0, `BOND_STATE_BACKUP` 1.
    pub state: i8,
    /// The slave's link failure count.
    pub link_failure_count: u32,
    /// The bond's mode (`BOND_MODE_*`).
    pub bond_mode: i32,
    /// The bond's slave count.
    pub num_slaves: i32,
    /// The bond's `miimon`.
    pub miimon: i32,
}
