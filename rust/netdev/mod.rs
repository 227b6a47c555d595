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

pub mod bindings;
pub mod device;
pub mod driver;
pub mod errno;
pub mod flow;
pub mod inet;
pub mod kvec;
pub mod link;
pub mod lower;
pub mod nla;
pub mod notifier;
pub mod pernet;
pub mod proc;
pub mod qdisc;
pub mod rcu;
pub mod register;
pub mod rtnl;
pub(crate) mod rtnl_defer;
pub mod rx_handler;
pub mod skb;
pub mod upper;
pub mod vlan;
pub mod vlan_ioctl;
pub mod work;

/// The pure transmit-selection policies (rust/txsel), shared by the
/// modules that pick lower devices; [`flow`] fills its flow keys.
#[path = "../txsel/src/lib.rs"]
pub mod txsel;

/// Everything a driver usually needs.
pub mod prelude {
    pub use super::device::{Net, NetDevice};
    pub use super::driver::{Device, Driver, DriverInfo, Setup, TxResult, TxSkb};
    pub use super::link::{Link, LinkRegistration, NewLink};
    pub use super::lower::XmitContext;
    pub use super::nla::{Attrs, ExtAck, NlMsg, Nla};
    pub use super::notifier::{NetdevEvent, NetdevNotifier, NotifierRegistration};
    pub use super::proc::{ProcNetFile, ProcNetRegistration, SeqFile};
    pub use super::rcu::{RcuGuard, RcuPtr};
    pub use super::rtnl::{Rtnl, RtnlGuard, RtnlLocked};
    pub use super::skb::{DropReason, SkBuff};
}
