// SPDX-License-Identifier: GPL-2.0

//! rvnet netdev abstraction layer.
//!
//! Safe Rust types over the parts of the kernel's networking core that the
//! 6.12 `kernel` crate does not cover: `net_device` with typed private data,
//! `net_device_ops`/`ethtool_ops` and `rtnl_link_ops` as traits, netlink
//! attributes and extended acks, the RTNL and RCU rules, netdevice notifiers,
//! socket buffers, and per-namespace `/proc/net` files.
//!
//! Every rvnet module includes this layer with
//! `#[path = "../../rust/netdev/mod.rs"] pub mod netdev;` (out-of-tree Rust
//! modules are single crates), so the layer is compiled into each module.
//! All `unsafe` code of the project lives here: drivers are written against
//! the safe API only and are compiled with `#![deny(unsafe_code)]` on their
//! own modules.

// One folder per part of the kernel the layer wraps; `#[path]` keeps the
// module paths flat (`netdev::rcu`, `netdev::driver`), the folders are for
// finding the type of a kernel rule by its subsystem:
//   device/   a net_device, its ops and private data, skbs, device work,
//             transmission through lower devices, module-created devices
//   netlink/  rtnl_link_ops and netlink attributes/extacks
//   sync/     the RTNL and RCU rules (and RTNL teardown deferred from drops),
//             spinlocks shared with softirq context, per-CPU data (this
//             CPU's instance only where the code cannot migrate)
//   proc/     /proc/net files and directories, per-namespace data, sysfs
//             files of devices and ports
//   stack/    hooks into the stack: notifiers, rx_handler, upper/lower
//             links, qdiscs, vlan_core, the VLAN ioctl, IPv4 addresses, the
//             flow dissector (with their C helpers)
pub mod bindings;
pub mod errno;
pub mod kvec;

#[path = "device/device.rs"]
pub mod device;
#[path = "device/driver.rs"]
pub mod driver;
#[path = "device/features.rs"]
pub mod features;
#[path = "device/header_ops.rs"]
pub mod header_ops;
#[path = "device/log.rs"]
pub mod log;
#[path = "device/lower.rs"]
pub mod lower;
#[path = "device/register.rs"]
pub mod register;
#[path = "device/skb.rs"]
pub mod skb;
#[path = "device/txqueue.rs"]
pub mod txqueue;
#[path = "device/type_change.rs"]
pub mod type_change;
#[path = "device/work.rs"]
pub mod work;

#[path = "netlink/link.rs"]
pub mod link;
#[path = "netlink/link_net.rs"]
pub mod link_net;
#[path = "netlink/nla.rs"]
pub mod nla;
#[path = "netlink/uapi.rs"]
pub mod uapi;

#[path = "sync/bh_lock.rs"]
pub mod bh_lock;
#[path = "sync/percpu.rs"]
pub mod percpu;
#[path = "sync/rcu.rs"]
pub mod rcu;
#[path = "sync/rcu_hash.rs"]
pub mod rcu_hash;
#[path = "sync/rtnl.rs"]
pub mod rtnl;
#[path = "sync/rtnl_defer.rs"]
pub(crate) mod rtnl_defer;

#[path = "proc/class_file.rs"]
pub mod class_file;
#[path = "proc/pernet.rs"]
pub mod pernet;
#[path = "proc/proc.rs"]
pub mod proc;
#[path = "proc/shared_proc.rs"]
pub mod shared_proc;
#[path = "proc/sysfs.rs"]
pub mod sysfs;

#[path = "stack/arp.rs"]
pub mod arp;
#[path = "stack/bond_ioctl.rs"]
pub mod bond_ioctl;
#[path = "stack/bridge.rs"]
pub mod bridge;
#[path = "stack/bridge_ioctl.rs"]
pub mod bridge_ioctl;
#[path = "stack/bridge_link.rs"]
pub mod bridge_link;
#[path = "stack/fdb.rs"]
pub mod fdb;
#[path = "stack/flow.rs"]
pub mod flow;
#[path = "stack/gre.rs"]
pub mod gre;
#[path = "stack/hook_owner.rs"]
pub(crate) mod hook_owner;
#[path = "stack/inet.rs"]
pub mod inet;
#[path = "stack/iptunnel.rs"]
pub mod iptunnel;
#[path = "stack/module_veto.rs"]
pub mod module_veto;
#[path = "stack/notifier.rs"]
pub mod notifier;
#[path = "stack/qdisc.rs"]
pub mod qdisc;
#[path = "stack/rx_handler.rs"]
pub mod rx_handler;
#[path = "stack/sit.rs"]
pub mod sit;
#[path = "stack/upper.rs"]
pub mod upper;
#[path = "stack/vlan.rs"]
pub mod vlan;
#[path = "stack/vlan_filter.rs"]
pub mod vlan_filter;
#[path = "stack/vlan_ioctl.rs"]
pub mod vlan_ioctl;
#[path = "stack/xdp.rs"]
pub mod xdp;
#[path = "stack/xdp_prog.rs"]
pub mod xdp_prog;
#[path = "stack/xfrm.rs"]
pub mod xfrm;

#[path = "../txsel/src/lib.rs"]
pub mod txsel;

/// Everything a driver usually needs.
pub mod prelude {
    pub use super::device::{Net, NetDevice};
    pub use super::driver::{Device, Driver, DriverInfo, MacAddrSet, Setup, TxResult, TxSkb};
    pub use super::link::{Link, LinkRegistration, NewLink};
    pub use super::lower::XmitContext;
    pub use super::nla::{Attrs, ExtAck, NlMsg, Nla};
    pub use super::notifier::{NetdevEvent, NetdevNotifier, NotifierRegistration};
    pub use super::proc::{ProcNetFile, ProcNetRegistration, SeqFile};
    pub use super::rcu::{RcuCell, RcuGuard, RcuPtr};
    pub use super::rtnl::{Rtnl, RtnlGuard, RtnlLocked};
    pub use super::skb::{DropReason, SkBuff};
}
