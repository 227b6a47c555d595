// SPDX-License-Identifier: GPL-2.0

//! `/proc/net/NAME` files, one per network namespace, with `seq_file`
//! output.
//!
//! Kernel rules: files under `/proc/net` belong to a namespace and must be
//! created and removed by `pernet_operations` (so a new namespace gets the
//! file and a dying one loses it); `show` runs in process context and may
//! not keep pointers past its return; the namespace is pinned while the file
//! is open (`proc_create_net_single`).

use super::{
    bindings,
    device::{Net, NetDevice},
    driver::{Adapter, Device, Driver},
    notifier::{NetdevEvent, NetdevNotifier, NotifierRegistration, NotifyResult},
    rtnl::Rtnl,
};
use core::{
    marker::PhantomData,
    mem::MaybeUninit,
    pin::Pin,
    sync::atomic::{AtomicPtr, Ordering},
};
use kernel::{alloc::KBox, c_str, error::to_result, ffi, prelude::*, types::Opaque};

/// The output of a `seq_file` `show` callback; implements `core::fmt::Write`.
pub struct SeqFile {
    m: *mut bindings::seq_file,
}

impl SeqFile {
    /// # Safety
    ///
    /// `m` must be the live `seq_file` of the current `show` call.
    pub(crate) unsafe fn from_raw(m: *mut bindings::seq_file) -> Self {
        SeqFile { m }
    }

    /// The raw pointer, for this layer.
    pub(crate) fn as_raw(&self) -> *mut bindings::seq_file {
        self.m
    }
}

impl core::fmt::Write for SeqFile {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        // SAFETY: `m` is the live `seq_file` of the current `show` call;
        // `seq_write` copies `s` (overflow is handled by the seq core, which
        // retries with a bigger buffer).
        unsafe { bindings::rvnet_seq_write(self.m, s.as_ptr().cast(), s.len()) };
        Ok(())
    }
}

/// Writes formatted text to a [`SeqFile`] (like `seq_printf`).
#[macro_export]
macro_rules! seq_print {
    ($m:expr, $($arg:tt)*) => {
        let _ = core::fmt::Write::write_fmt($m, format_args!($($arg)*));
    };
}

/// The contents of a per-namespace `/proc/net` file.
pub trait ProcNetFile: 'static {
    /// File name under `/proc/net` (or under `/proc/net/DIR`).
    const NAME: &'static CStr;

    /// A directory under `/proc/net` to create and put the file in (e.g.
    /// `vlan` for `/proc/net/vlan/config`); removed with its contents.
    const DIR: Option<&'static CStr> = None;

    /// Writes the whole file for namespace `net`.
    fn show(m: &mut SeqFile, net: &Net) -> Result;
}

struct ProcAdapter<T: ProcNetFile>(PhantomData<T>);

impl<T: ProcNetFile> ProcAdapter<T> {
    const PERNET: bindings::pernet_operations = bindings::pernet_operations {
        init: Some(Self::init_callback),
        exit: Some(Self::exit_callback),
        // SAFETY: all-zero is valid for the rest (no id, no size, no batch
        // hooks, unlinked list head).
        ..unsafe { MaybeUninit::zeroed().assume_init() }
    };

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn init_callback(net: *mut bindings::net) -> ffi::c_int {
        let parent = match T::DIR {
            Some(dir) => {
                // SAFETY: `net` is being set up and is live; the name is
                // static.
                unsafe { bindings::rvnet_proc_net_mkdir(net, dir.as_char_ptr()) }
            }
            None => {
                // SAFETY: `net` is being set up and is live.
                unsafe { bindings::rvnet_net_proc_dir(net) }
            }
        };
        if parent.is_null() {
            return ENOMEM.to_errno();
        }
        // SAFETY: `net` is live; `parent` is its proc directory; static name.
        let pde = unsafe {
            bindings::rvnet_proc_create_net_single(
                T::NAME.as_char_ptr(),
                0o444,
                parent,
                Some(Self::show_callback),
                core::ptr::null_mut(),
            )
        };
        if pde.is_null() {
            ENOMEM.to_errno()
        } else {
            0
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn exit_callback(net: *mut bindings::net) {
        match T::DIR {
            Some(dir) => {
                // SAFETY: created by `init_callback` for this `net`;
                // removal waits for readers to finish.
                unsafe { bindings::rvnet_remove_proc_subtree(dir.as_char_ptr(), net) }
            }
            None => {
                // SAFETY: created by `init_callback` in this `net`'s proc
                // directory; removal waits for readers to finish.
                unsafe {
                    bindings::remove_proc_entry(
                        T::NAME.as_char_ptr(),
                        bindings::rvnet_net_proc_dir(net),
                    )
                }
            }
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn show_callback(
        m: *mut bindings::seq_file,
        _v: *mut ffi::c_void,
    ) -> ffi::c_int {
        // SAFETY: `proc_create_net_single` pins the namespace while the file
        // is open and passes a live `seq_file`.
        let net = unsafe { Net::from_raw(bindings::rvnet_seq_file_single_net(m)) };
        let mut sf = SeqFile { m };
        match T::show(&mut sf, net) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }
}

/// A registered `/proc/net/NAME` file in every namespace; dropping it
/// removes them all (`unregister_pernet_subsys`).
pub struct ProcNetRegistration<T: ProcNetFile> {
    ops: Pin<KBox<Opaque<bindings::pernet_operations>>>,
    _p: PhantomData<T>,
}

// SAFETY: the pernet ops are only touched by the netns core under its locks.
unsafe impl<T: ProcNetFile> Send for ProcNetRegistration<T> {}
// SAFETY: no `&self` method touches the ops.
unsafe impl<T: ProcNetFile> Sync for ProcNetRegistration<T> {}

impl<T: ProcNetFile> ProcNetRegistration<T> {
    /// Creates the file in every existing and future namespace.
    pub fn new() -> Result<Self> {
        let ops = KBox::pin(Opaque::new(ProcAdapter::<T>::PERNET), GFP_KERNEL)?;
        // SAFETY: the ops are pinned and live until `drop` unregisters them.
        to_result(unsafe { bindings::register_pernet_subsys(ops.get()) })?;
        Ok(ProcNetRegistration {
            ops,
            _p: PhantomData,
        })
    }
}

impl<T: ProcNetFile> Drop for ProcNetRegistration<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `new`; runs `exit` for every namespace.
        unsafe { bindings::unregister_pernet_subsys(self.ops.get()) };
        // Module exit drops its registrations: no deferred RCU callback of
        // this module may outlive it.
        super::rcu::barrier_deferred();
    }
}

/// A per-namespace directory `/proc/net/NAME` holding one file per device
/// (e.g. `/proc/net/bonding/bond0`).
pub trait ProcNetDir: 'static {
    /// Directory name under `/proc/net`.
    const NAME: &'static CStr;

    /// Mode of the device files (bonding: 0444, VLAN: 0600).
    const MODE: u16 = 0o444;

    /// Names in the directory that are not device files (VLAN: `config`):
    /// a device with such a name gets no file (`EINVAL`).
    const RESERVED: &'static [&'static str] = &[];

    /// A device whose file cannot be made is refused (its registration or
    /// rename is vetoed), as C 8021q does; otherwise (C bonding) it lives
    /// on without a file.
    const REQUIRED: bool = false;
}

struct DirAdapter<T: ProcNetDir>(PhantomData<T>);

impl<T: ProcNetDir> DirAdapter<T> {
    const PERNET: bindings::pernet_operations = bindings::pernet_operations {
        init: Some(Self::init_callback),
        exit: Some(Self::exit_callback),
        // SAFETY: all-zero is valid for the rest (no id, no size, no batch
        // hooks, unlinked list head).
        ..unsafe { MaybeUninit::zeroed().assume_init() }
    };

    /// # Safety
    ///
    /// Only called by the netns core for a namespace being set up.
    unsafe extern "C" fn init_callback(net: *mut bindings::net) -> ffi::c_int {
        // SAFETY: `net` is live; the name is static.
        let dir = unsafe { bindings::rvnet_proc_net_mkdir(net, T::NAME.as_char_ptr()) };
        if dir.is_null() {
            ENOMEM.to_errno()
        } else {
            0
        }
    }

    /// # Safety
    ///
    /// Only called by the netns core for a dying namespace, after its
    /// devices (and so their files) are gone.
    unsafe extern "C" fn exit_callback(net: *mut bindings::net) {
        // SAFETY: created by `init_callback`; removal waits for readers.
        unsafe { bindings::rvnet_remove_proc_subtree(T::NAME.as_char_ptr(), net) }
    }
}

/// A registered `/proc/net/NAME` directory in every namespace; dropping it
/// removes them. Device files in it ([`ProcDevFiles`]) must be gone first:
/// drop that registration before this.
pub struct ProcNetDirRegistration<T: ProcNetDir> {
    ops: Pin<KBox<Opaque<bindings::pernet_operations>>>,
    _p: PhantomData<T>,
}

// SAFETY: the pernet ops are only touched by the netns core under its locks.
unsafe impl<T: ProcNetDir> Send for ProcNetDirRegistration<T> {}
// SAFETY: no `&self` method touches the ops.
unsafe impl<T: ProcNetDir> Sync for ProcNetDirRegistration<T> {}

impl<T: ProcNetDir> ProcNetDirRegistration<T> {
    /// Creates the directory in every existing and future namespace.
    pub fn new() -> Result<Self> {
        let ops = KBox::pin(Opaque::new(DirAdapter::<T>::PERNET), GFP_KERNEL)?;
        // SAFETY: the ops are pinned and live until `drop` unregisters them.
        to_result(unsafe { bindings::register_pernet_subsys(ops.get()) })?;
        Ok(ProcNetDirRegistration {
            ops,
            _p: PhantomData,
        })
    }
}

impl<T: ProcNetDir> Drop for ProcNetDirRegistration<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `new`; runs `exit` for every namespace.
        unsafe { bindings::unregister_pernet_subsys(self.ops.get()) };
        // Module exit drops its registrations: no deferred RCU callback of
        // this module may outlive it.
        super::rcu::barrier_deferred();
    }
}

/// The contents of a device's file in a [`ProcNetDir`].
pub trait ProcDevShow: Driver {
    /// The directory the device files go in.
    type Dir: ProcNetDir;

    /// Where the layer keeps the device's entry: a [`ProcDevSlot`] inside
    /// the device's own private data (checked: a slot elsewhere gets no
    /// file).
    fn proc_slot(data: &Self::Data) -> &ProcDevSlot;

    /// Writes the file of `dev` (process context, may not sleep under the
    /// RCU guard it takes).
    fn show_dev(m: &mut SeqFile, dev: &Device<Self>) -> Result;
}

/// The place, inside a device's private data, of its file
/// `/proc/net/DIR/<name>`. Only the layer fills and empties it: drivers
/// create it empty and never touch the entry.
///
/// Kernel rules this enforces (C drivers follow them by hand): the file's
/// private data is the device, so the file must be gone before the device
/// (and its private data) is; a file under `/proc/net` belongs to the
/// device's namespace, whose `/proc/net` is torn down with it, so the file
/// must leave with the device on a namespace move. [`ProcDevFiles`] makes
/// the file at `NETDEV_REGISTER`, remakes it at `NETDEV_CHANGENAME` and
/// removes it at `NETDEV_UNREGISTER` (as C 8021q's `vlan_proc_{add,rem}_dev`):
/// unregistration and `dev_change_net_namespace` both send
/// `NETDEV_UNREGISTER` before anything of the device goes, and unregistering
/// the notifier replays it for every device; so the entry never outlives
/// the device's data nor follows it into another namespace's tree.
///
/// # Invariants
///
/// `pde` is null or a live entry whose private data is the device holding
/// this slot; it is only changed under RTNL by [`ProcDevFiles`].
pub struct ProcDevSlot {
    pde: AtomicPtr<bindings::proc_dir_entry>,
}

impl ProcDevSlot {
    /// An empty slot, for a new device's private data.
    pub fn new() -> Self {
        // INVARIANT: null.
        ProcDevSlot {
            pde: AtomicPtr::new(core::ptr::null_mut()),
        }
    }

    /// Removes the entry if there is one (waits for running readers).
    fn clear(&self) {
        let pde = self.pde.swap(core::ptr::null_mut(), Ordering::AcqRel);
        // SAFETY: a live entry or null (invariant); `proc_remove` waits for
        // running `show` calls and accepts null.
        unsafe { bindings::rvnet_proc_remove(pde) };
    }
}

impl Default for ProcDevSlot {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for ProcDevSlot {
    fn drop(&mut self) {
        // The notifier removed it at `NETDEV_UNREGISTER`; this cannot be
        // reached with an entry (say so loudly if it is).
        if !self.pde.load(Ordering::Acquire).is_null() {
            pr_warn!("rvnet: device /proc file left at free time\n");
            self.clear();
        }
    }
}

/// The notifier behind [`ProcDevFiles`].
pub struct ProcDevEvents<D: ProcDevShow>(PhantomData<fn() -> D>);

impl<D: ProcDevShow> ProcDevEvents<D> {
    /// The device's slot if it lies inside the device's private area.
    fn slot(dev: &Device<D>) -> Option<&ProcDevSlot> {
        let slot = D::proc_slot(dev.data());
        // The device was set up for `D`; its private area has
        // `priv_size()` bytes.
        let start = dev.priv_ptr() as usize;
        let end = start + Adapter::<D>::priv_size();
        let at = slot as *const ProcDevSlot as usize;
        if at < start || at + core::mem::size_of::<ProcDevSlot>() > end {
            pr_warn!("rvnet: ProcDevShow::proc_slot is not in the device\n");
            return None;
        }
        Some(slot)
    }

    /// Makes the file for the device's current name and namespace.
    fn add(dev: &Device<D>, slot: &ProcDevSlot) -> Result {
        let name = dev.name();
        let dir = <D::Dir as ProcNetDir>::RESERVED;
        if dir.iter().any(|r| r.as_bytes() == name.as_bytes()) {
            return Err(EINVAL);
        }
        // SAFETY: RTNL held (notifier); the entry's private data is the
        // device, and the slot invariant removes the entry before the
        // device's data goes; static directory name.
        let pde = unsafe {
            bindings::rvnet_proc_dev_add(
                <D::Dir as ProcNetDir>::NAME.as_char_ptr(),
                <D::Dir as ProcNetDir>::MODE,
                dev.as_raw(),
                Some(dev_show_callback::<D>),
            )
        };
        if pde.is_null() {
            return Err(ENOMEM);
        }
        // INVARIANT: a live entry for this device; the slot was emptied
        // first by the caller.
        let old = slot.pde.swap(pde, Ordering::AcqRel);
        // SAFETY: null or a live entry (invariant); normally null.
        unsafe { bindings::rvnet_proc_remove(old) };
        Ok(())
    }
}

impl<D: ProcDevShow> NetdevNotifier for ProcDevEvents<D> {
    fn event(&self, event: NetdevEvent, dev: &NetDevice, _rtnl: &mut Rtnl) -> NotifyResult {
        let Some(d) = dev.downcast::<D>() else {
            return NotifyResult::Done;
        };
        let add = match event {
            NetdevEvent::Register | NetdevEvent::ChangeName => true,
            NetdevEvent::Unregister => false,
            _ => return NotifyResult::Done,
        };
        let Some(slot) = Self::slot(d) else {
            return NotifyResult::Done;
        };
        // Removal waits for running readers of the old file.
        slot.clear();
        if add {
            if let Err(e) = Self::add(d, slot) {
                if <D::Dir as ProcNetDir>::REQUIRED {
                    return NotifyResult::Veto(e);
                }
            }
        }
        NotifyResult::Done
    }
}

/// A registration that makes a `/proc/net` directory in every namespace
/// (and removes it, with whatever is left in it, when dropped).
pub trait ProcDirOwner: Send + Sync + 'static {
    /// The directory's name under `/proc/net`.
    fn dir_name() -> &'static CStr;
}

impl<T: ProcNetDir> ProcDirOwner for ProcNetDirRegistration<T> {
    fn dir_name() -> &'static CStr {
        T::NAME
    }
}

impl<T: ProcNetFile> ProcDirOwner for ProcNetRegistration<T> {
    fn dir_name() -> &'static CStr {
        T::DIR.unwrap_or(c_str!(""))
    }
}

/// The device files of driver `D` in `D::Dir`, made and removed with the
/// devices (see [`ProcDevSlot`]), together with the registration `R` that
/// makes the directory: the files go first when this is dropped (removing
/// the directory first would free the entries under the slots).
pub struct ProcDevFiles<D: ProcDevShow, R: ProcDirOwner> {
    _files: NotifierRegistration<ProcDevEvents<D>>,
    _dir: R,
}

impl<D: ProcDevShow, R: ProcDirOwner> ProcDevFiles<D, R> {
    /// Starts following `D`'s devices in the directory `dir` makes (files
    /// for existing devices are made now, by the notifier's replay).
    /// `EINVAL` if `dir` makes another directory than `D::Dir`. Must not be
    /// called with RTNL held.
    pub fn new(dir: R) -> Result<Self> {
        if R::dir_name().as_bytes() != <D::Dir as ProcNetDir>::NAME.as_bytes() {
            return Err(EINVAL);
        }
        Ok(ProcDevFiles {
            _files: NotifierRegistration::new(ProcDevEvents(PhantomData))?,
            _dir: dir,
        })
    }
}

/// # Safety
///
/// Only called by procfs for a file made by `ProcDevEvents::add`, whose
/// private data is a registered device of driver `D` with live data.
unsafe extern "C" fn dev_show_callback<D: ProcDevShow>(
    m: *mut bindings::seq_file,
    _v: *mut ffi::c_void,
) -> ffi::c_int {
    // SAFETY: the private data is the device (see `add`); the file is
    // removed before the device's data is dropped (`ProcDevSlot`).
    let (dev, mut sf) = unsafe {
        (
            Device::<D>::from_raw(bindings::rvnet_seq_private(m).cast()),
            SeqFile::from_raw(m),
        )
    };
    match D::show_dev(&mut sf, dev) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}
