// SPDX-License-Identifier: GPL-2.0

//! The per-namespace tracked state: a mirror of the namespace's aliases
//! kept by the notifiers, counters, a generation number and a short event
//! log. Everything is read and written under RTNL (the notifiers run under
//! it; `/proc/net/ip_aliases_events` takes it).

use crate::aliaslabel::{is_alias, Label};
use crate::netdev::{
    inet::{InIfAddr, Ipv4Addr},
    pernet::{PernetData, PernetId},
    prelude::*,
};
use kernel::{
    alloc::{flags::GFP_ATOMIC, KVec},
    prelude::*,
};

/// The id of the per-namespace data.
pub(crate) static ALIAS_NET: PernetId<AliasNet> = PernetId::new();

/// One tracked alias.
#[derive(Clone, Copy)]
pub(crate) struct Tracked {
    /// Identity of the kernel's `in_ifaddr` (0: free slot).
    pub(crate) id: usize,
    pub(crate) ifindex: i32,
    pub(crate) label: Label,
    pub(crate) local: Ipv4Addr,
    pub(crate) secondary: bool,
}

/// What a log line records.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum What {
    /// An alias address was added.
    Add,
    /// An alias address was deleted.
    Remove,
    /// An alias went with its device's IPv4 state (device unregistered or
    /// moved to another namespace).
    DeviceGone,
    /// A secondary alias became primary (`promote_secondaries`).
    Promote,
    /// The device was renamed and the kernel relabelled the alias.
    Relabel,
    /// The device was renamed and the address lost its alias label (the
    /// first address of a device takes the bare name).
    Unlabel,
    /// The real device of aliases went up or down, or its carrier changed.
    DevState,
}

impl What {
    pub(crate) fn name(self) -> &'static str {
        match self {
            What::Add => "add",
            What::Remove => "remove",
            What::DeviceGone => "device-gone",
            What::Promote => "promote",
            What::Relabel => "relabel",
            What::Unlabel => "unlabel",
            What::DevState => "dev-state",
        }
    }
}

/// One log line.
#[derive(Clone, Copy)]
pub(crate) struct LogEntry {
    pub(crate) generation: u64,
    pub(crate) what: What,
    pub(crate) label: Label,
    pub(crate) local: Ipv4Addr,
    pub(crate) dev: Label,
}

/// How many events the log keeps.
pub(crate) const LOG_LEN: usize = 16;

/// Counters shown in `/proc/net/ip_aliases_events`.
#[derive(Default, Clone, Copy)]
pub(crate) struct Counters {
    /// Moves on every change of the view (an alias or its device's state).
    pub(crate) generation: u64,
    /// Aliases found when the state was created (module load or namespace
    /// creation).
    pub(crate) at_load: u64,
    pub(crate) added: u64,
    pub(crate) removed: u64,
    pub(crate) promoted: u64,
    pub(crate) relabelled: u64,
    /// Renames where the kernel's new label differs from the rule of
    /// `inetdev_changename` (always 0 unless the kernel changes the rule).
    pub(crate) mismatches: u64,
}

/// The tracked state of one namespace.
pub(crate) struct NetState {
    slots: KVec<Tracked>,
    tracked: usize,
    pub(crate) counters: Counters,
    log: [Option<LogEntry>; LOG_LEN],
    log_next: usize,
}

impl NetState {
    fn new() -> Self {
        NetState {
            slots: KVec::new(),
            tracked: 0,
            counters: Counters::default(),
            log: [None; LOG_LEN],
            log_next: 0,
        }
    }

    /// Number of aliases tracked.
    pub(crate) fn tracked(&self) -> usize {
        self.tracked
    }

    /// The tracked aliases (in no particular order).
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Tracked> {
        self.slots.iter().filter(|t| t.id != 0)
    }

    /// The log, oldest first.
    pub(crate) fn log(&self) -> impl Iterator<Item = &LogEntry> {
        (0..LOG_LEN).filter_map(move |i| self.log[(self.log_next + i) % LOG_LEN].as_ref())
    }

    pub(crate) fn find(&self, id: usize) -> Option<Tracked> {
        self.iter().find(|t| t.id == id).copied()
    }

    pub(crate) fn insert(&mut self, t: Tracked) -> Result {
        if let Some(slot) = self.slots.iter_mut().find(|s| s.id == 0) {
            *slot = t;
        } else {
            self.slots.push(t, GFP_KERNEL)?;
        }
        self.tracked += 1;
        Ok(())
    }

    pub(crate) fn update(&mut self, t: Tracked) {
        if let Some(slot) = self.slots.iter_mut().find(|s| s.id == t.id) {
            *slot = t;
        }
    }

    pub(crate) fn remove(&mut self, id: usize) -> Option<Tracked> {
        let slot = self.slots.iter_mut().find(|s| s.id == id)?;
        let t = *slot;
        slot.id = 0;
        self.tracked -= 1;
        Some(t)
    }

    /// Removes every alias of `ifindex`; returns how many there were.
    pub(crate) fn remove_dev(&mut self, ifindex: i32) -> usize {
        let mut n = 0;
        for slot in self.slots.iter_mut() {
            if slot.id != 0 && slot.ifindex == ifindex {
                slot.id = 0;
                n += 1;
            }
        }
        self.tracked -= n;
        n
    }

    /// True if `ifindex` has tracked aliases.
    pub(crate) fn has_dev(&self, ifindex: i32) -> bool {
        self.iter().any(|t| t.ifindex == ifindex)
    }

    /// Moves the generation and logs `what`.
    pub(crate) fn record(&mut self, what: What, label: Label, local: Ipv4Addr, dev: Label) {
        self.counters.generation += 1;
        self.log[self.log_next] = Some(LogEntry {
            generation: self.counters.generation,
            what,
            label,
            local,
            dev,
        });
        self.log_next = (self.log_next + 1) % LOG_LEN;
    }
}

/// A tracked entry for `ifa` if it is an alias of its device.
pub(crate) fn tracked_of(ifa: &InIfAddr) -> Option<Tracked> {
    let dev = ifa.dev();
    let label = Label::new(ifa.label().as_bytes());
    if !is_alias(label.as_bytes(), dev.name().as_bytes()) {
        return None;
    }
    Some(Tracked {
        id: ifa.id(),
        ifindex: dev.ifindex(),
        label,
        local: ifa.local(),
        secondary: ifa.is_secondary(),
    })
}

/// The per-namespace data.
pub(crate) struct AliasNet {
    pub(crate) state: RtnlLocked<NetState>,
}

impl PernetData for AliasNet {
    fn id() -> &'static PernetId<Self> {
        &ALIAS_NET
    }

    /// Seeds the mirror with the aliases that already exist (module load:
    /// every namespace; new namespace: normally none).
    fn init(net: &Net, _rtnl: &mut Rtnl) -> Result<Self> {
        let mut st = NetState::new();
        // RTNL is held, so the list cannot change between counting and
        // filling; memory is reserved outside the RCU section.
        let count = {
            let rcu = RcuGuard::new();
            NetDevice::for_each_rcu(net, &rcu)
                .filter_map(|d| d.in_device_rcu(&rcu))
                .map(|i| {
                    i.addrs_rcu(&rcu)
                        .filter(|a| tracked_of(a).is_some())
                        .count()
                })
                .sum::<usize>()
        };
        st.slots.reserve(count, GFP_KERNEL)?;
        {
            let rcu = RcuGuard::new();
            for dev in NetDevice::for_each_rcu(net, &rcu) {
                let Some(in_dev) = dev.in_device_rcu(&rcu) else {
                    continue;
                };
                for ifa in in_dev.addrs_rcu(&rcu) {
                    if let Some(t) = tracked_of(ifa) {
                        // Capacity is reserved: no allocation under RCU.
                        st.slots.push(t, GFP_ATOMIC)?;
                        st.tracked += 1;
                    }
                }
            }
        }
        st.counters.at_load = st.tracked as u64;
        Ok(AliasNet {
            state: RtnlLocked::new(st),
        })
    }
}
