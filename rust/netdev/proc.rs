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
    device::Net,
    driver::{Device, Driver},
    rtnl::Rtnl,
};
use core::{marker::PhantomData, mem::MaybeUninit, pin::Pin};
use kernel::{alloc::KBox, error::to_result, ffi, prelude::*, types::Opaque};

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
            // SAFETY: `net` is being set up and is live; the name is static.
            Some(dir) => unsafe { bindings::rvnet_proc_net_mkdir(net, dir.as_char_ptr()) },
            // SAFETY: as above.
            None => unsafe { bindings::rvnet_net_proc_dir(net) },
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
            // SAFETY: created by `init_callback` for this `net`; removal
            // waits for readers to finish.
            Some(dir) => unsafe { bindings::rvnet_remove_proc_subtree(dir.as_char_ptr(), net) },
            // SAFETY: as above.
            None => unsafe {
                bindings::remove_proc_entry(
                    T::NAME.as_char_ptr(),
                    bindings::rvnet_net_proc_dir(net),
                )
            },
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
/// removes them. Device files in it ([`ProcDevEntry`]) must be gone first:
/// drop the link kind (which deletes the devices) before this.
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
    /// Writes the file of `dev` (process context, may not sleep under the
    /// RCU guard it takes).
    fn show_dev(m: &mut SeqFile, dev: &Device<Self>) -> Result;
}

/// A device's file `/proc/net/DIR/<name>` whose private data is the
/// device.
///
/// Kernel rule: the file must be removed before the device's private data
/// goes; removal waits for running readers. Remove it (drop it, or
/// [`ProcDevEntry::remove`]) no later than `ndo_uninit`: bonding does it
/// there, VLAN at `NETDEV_UNREGISTER`, as their C drivers do.
///
/// # Invariants
///
/// `pde` is a live entry made by `rvnet_proc_dev_add`, or null.
pub struct ProcDevEntry {
    pde: *mut bindings::proc_dir_entry,
}

// SAFETY: the entry is a kernel object usable from any thread; we only
// remove it.
unsafe impl Send for ProcDevEntry {}
// SAFETY: no `&self` method touches the entry.
unsafe impl Sync for ProcDevEntry {}

impl ProcDevEntry {
    /// Creates `/proc/net/DIR/<name of dev>` in `dev`'s namespace, under
    /// RTNL (so the name cannot change meanwhile). `EINVAL` for a name in
    /// `T::RESERVED`, `ENOMEM` if procfs refuses (no such directory, a
    /// clash).
    pub fn new<D: ProcDevShow, T: ProcNetDir>(dev: &Device<D>, _rtnl: &Rtnl) -> Result<Self> {
        let name = dev.name();
        if T::RESERVED.iter().any(|r| r.as_bytes() == name.as_bytes()) {
            return Err(EINVAL);
        }
        // SAFETY: RTNL held; the entry's private data is the device, which
        // outlives the entry (see the type's rule); static directory name.
        let pde = unsafe {
            bindings::rvnet_proc_dev_add(
                T::NAME.as_char_ptr(),
                T::MODE,
                dev.as_raw(),
                Some(dev_show_callback::<D>),
            )
        };
        if pde.is_null() {
            return Err(ENOMEM);
        }
        // INVARIANT: a live entry.
        Ok(ProcDevEntry { pde })
    }

    /// Removes the file (waits for readers).
    pub fn remove(self) {}
}

impl Drop for ProcDevEntry {
    fn drop(&mut self) {
        // SAFETY: a live entry or null (invariant); `proc_remove` waits for
        // running `show` calls and accepts null.
        unsafe { bindings::rvnet_proc_remove(self.pde) };
    }
}

/// # Safety
///
/// Only called by procfs for a file made by `ProcDevEntry::new`, whose
/// private data is a registered device of driver `D` with live data.
unsafe extern "C" fn dev_show_callback<D: ProcDevShow>(
    m: *mut bindings::seq_file,
    _v: *mut ffi::c_void,
) -> ffi::c_int {
    // SAFETY: the private data is the device (see `new`); the file is
    // removed before the device's data is dropped.
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
