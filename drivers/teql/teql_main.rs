// SPDX-License-Identifier: GPL-2.0

//! rvnet_teql: the true (or trivial) link equalizer, a drop-in for Linux's
//! `sch_teql`.
//!
//! The module registers `max_equalizers` (default 1) master devices
//! `teqlN` and, for each, a queueing discipline of the same name. Adding
//! that qdisc as the root of a device (`tc qdisc add dev eth0 root teql0`)
//! makes the device a slave of the master; traffic routed over the master
//! is striped across its slaves.
//!
//! Files: `teql_master.rs` (the master device and its transmit path),
//! `teql_qdisc.rs` (the slave qdisc), `teql_slaves.rs` (the RCU-published
//! slave set), `teql_notify.rs` (slave events), `teql_proc.rs`
//! (`/proc/net/teql`).

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod teql_master;
#[deny(unsafe_code)]
mod teql_notify;
#[deny(unsafe_code)]
mod teql_proc;
#[deny(unsafe_code)]
mod teql_qdisc;
#[deny(unsafe_code)]
mod teql_slaves;

use kernel::{alloc::KVec, c_str, prelude::*};
use netdev::{
    lower::module_int_param, prelude::*, qdisc::QdiscRegistration, register::DeviceRegistration,
};

module! {
    type: TeqlModule,
    name: "rvnet_teql",
    author: "rvnet developers",
    description: "True (or trivial) link equalizer qdisc, in Rust",
    license: "GPL",
}

/// One equalizer: its qdisc kind first, so that it is unregistered (and
/// drops its reference on the master) before the master device goes.
struct Equalizer {
    _qdisc: QdiscRegistration<teql_qdisc::TeqlQdisc>,
    _master: DeviceRegistration<teql_master::TeqlMaster>,
}

/// Dropped in field order: the notifier (which holds references on the
/// masters) before the equalizers.
struct TeqlModule {
    _notifier: NotifierRegistration<teql_notify::SlaveEvents>,
    _equalizers: KVec<Equalizer>,
    _proc: ProcNetRegistration<teql_proc::TeqlProc>,
}

impl kernel::Module for TeqlModule {
    fn init(module: &'static ThisModule) -> Result<Self> {
        let proc_file = ProcNetRegistration::new()?;
        let mut equalizers = KVec::new();
        let want = module_int_param();
        let mut err = ENODEV;
        for _ in 0..want.max(0) {
            let master = match DeviceRegistration::new(c_str!("teql%d"), teql_master::Master::new())
            {
                Ok(m) => m,
                Err(e) => {
                    err = e;
                    break;
                }
            };
            let name = master.device().name();
            let qdisc =
                match QdiscRegistration::new(name.as_bytes(), master.device().hold(), module) {
                    Ok(q) => q,
                    Err(e) => {
                        err = e;
                        break;
                    }
                };
            equalizers.push(
                Equalizer {
                    _qdisc: qdisc,
                    _master: master,
                },
                GFP_KERNEL,
            )?;
        }
        if equalizers.is_empty() {
            return Err(err);
        }
        let mut masters = KVec::with_capacity(equalizers.len(), GFP_KERNEL)?;
        for e in equalizers.iter() {
            masters.push(e._master.device().hold(), GFP_KERNEL)?;
        }
        let notifier = NotifierRegistration::new(teql_notify::SlaveEvents { masters })?;
        pr_info!("rvnet_teql: {} equalizer(s)\n", equalizers.len());
        Ok(TeqlModule {
            _notifier: notifier,
            _equalizers: equalizers,
            _proc: proc_file,
        })
    }
}
