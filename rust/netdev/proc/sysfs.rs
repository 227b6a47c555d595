// SPDX-License-Identifier: GPL-2.0

//! sysfs files of devices and of their ports, as C drivers make them
//! (`/sys/class/net/br0/bridge/*`, `/sys/class/net/eth0/brport/*`, the
//! `brif/` links; later bonding's `bonding/` and `bonding_slave/`).
//!
//! A driver declares its files as statics built by `const fn`s (no
//! `unsafe` in drivers): an array of [`DevAttr`] (or [`PortAttr`]), its
//! [`AttrList`] and the [`DevGroup`] (or [`PortGroup`]) naming it.
//!
//! Kernel rules enforced by the types:
//! - A device group's callbacks get the `&Device<D>` of the device the file
//!   belongs to: [`Setup::sysfs_group`] only takes a `DevGroup<D>` of the
//!   driver setting the device up, and the core removes the files before
//!   the private data goes (`netdev_unregister_kobject` precedes
//!   `priv_destructor`).
//! - A port group's callbacks get the port object `T` of the rx_handler
//!   registered on the port device: the trampoline checks that the
//!   device's `rx_handler` is the layer's handler for `T` before it reads
//!   `rx_handler_data` (under RCU for `show`, under RTNL for `store`), so a
//!   file outliving its port finds no port (`ENODEV`) instead of freed
//!   memory.
//! - `show` runs under RCU for ports ([`RcuGuard`]) and must not sleep.
//! - `store` runs under RTNL taken as C's sysfs stores take it:
//!   `rtnl_trylock()` or `restart_syscall()` (removing the files waits for
//!   running callbacks while the remover may hold RTNL), after the
//!   `CAP_NET_ADMIN` check in the device's namespace (`EPERM`).
//! - [`SysfsDir`] (a kobject of our own) is removed when dropped, which
//!   may sleep: it is not `AtomicDrop`, so it cannot sit in data freed
//!   from an RCU callback.

use super::{
    bindings,
    device::NetDevice,
    driver::{Device, Driver, Setup},
    rcu::RcuGuard,
    rtnl::{Rtnl, RtnlGuard},
    rx_handler::RxHandler,
};
use core::{fmt, marker::PhantomData, mem::MaybeUninit, ptr::NonNull};
use kernel::{error::to_result, ffi, prelude::*, str::CStr};

/// `rw` (`0644`), `ro` (`0444`) and `wo` (`0200`) constructors of an
/// attribute type with `new(name, mode, show, store)`.
macro_rules! mode_ctors {
    ($show:ty, $store:ty) => {
        /// A file readable by all and writable by root (`0644`).
        pub const fn rw(name: &'static CStr, show: $show, store: $store) -> Self {
            Self::new(name, 0o644, Some(show), Some(store))
        }

        /// A read-only file (`0444`).
        pub const fn ro(name: &'static CStr, show: $show) -> Self {
            Self::new(name, 0o444, Some(show), None)
        }

        /// A write-only file (`0200`).
        pub const fn wo(name: &'static CStr, store: $store) -> Self {
            Self::new(name, 0o200, None, Some(store))
        }
    };
}

/// `AttrList::new` for an attribute type whose `raw.attr` is its C
/// `struct attribute`.
macro_rules! attr_list_new {
    ($attr:ty) => {
        /// The list of `attrs`, in order (the order `ls -U` shows).
        pub const fn new(attrs: &'static [$attr; N]) -> Self {
            let mut ptrs = [core::ptr::null_mut(); N];
            let mut i = 0;
            while i < N {
                ptrs[i] = (&raw const attrs[i].raw.attr).cast_mut();
                i += 1;
            }
            AttrList {
                ptrs,
                end: core::ptr::null_mut(),
                _m: PhantomData,
            }
        }
    };
}

/// The output buffer of a `show` callback (one page, as `sysfs_emit`);
/// implements `core::fmt::Write`, truncating at the page end.
pub struct SysfsBuf<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl SysfsBuf<'_> {
    /// # Safety
    ///
    /// `buf` must be the page sysfs passed to the current `show` call.
    pub(super) unsafe fn from_raw<'a>(buf: *mut ffi::c_char) -> SysfsBuf<'a> {
        // SAFETY: sysfs gives `show` a buffer of `PAGE_SIZE` bytes.
        let buf = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), PAGE_SIZE) };
        SysfsBuf { buf, len: 0 }
    }

    /// The bytes written so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True while nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends raw bytes (binary-looking files such as a MAC address are
    /// still text in sysfs: this is for callers that build bytes).
    pub fn push(&mut self, bytes: &[u8]) {
        // One byte stays free, as vscnprintf leaves room for the NUL.
        let room = PAGE_SIZE.saturating_sub(self.len + 1);
        let n = bytes.len().min(room);
        if let (Some(to), Some(from)) = (self.buf.get_mut(self.len..self.len + n), bytes.get(..n)) {
            to.copy_from_slice(from);
            self.len += n;
        }
    }
}

impl fmt::Write for SysfsBuf<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push(s.as_bytes());
        Ok(())
    }
}

use kernel::page::PAGE_SIZE;

/// A zeroed C `struct attribute` named `name` with permissions `mode`.
/// Static attributes need no `sysfs_attr_init` (lockdep keys them by
/// address).
const fn raw_attr(name: &'static CStr, mode: u16) -> bindings::attribute {
    // SAFETY: `struct attribute` is plain data; all-zero is its initial
    // state for a static attribute (no lockdep key, not ignored).
    let mut a = unsafe { MaybeUninit::<bindings::attribute>::zeroed().assume_init() };
    a.name = name.as_char_ptr();
    a.mode = mode;
    a
}

/// The text a store callback was given, without C's trailing newline.
pub(super) fn store_text<'a>(buf: *const ffi::c_char, count: usize) -> Result<&'a str> {
    // SAFETY: sysfs passes `count` bytes at `buf` for the store call.
    let b = unsafe { core::slice::from_raw_parts(buf.cast::<u8>(), count) };
    core::str::from_utf8(b).map_err(|_| EINVAL)
}

/// `kstrtoul(buf, 0, &val)` as C's sysfs stores parse numbers: decimal,
/// `0x` hexadecimal or `0` octal, one trailing newline allowed; `EINVAL`
/// for anything else, `ERANGE` on overflow.
pub fn parse_ulong(s: &str) -> Result<u64> {
    let b = s.as_bytes();
    let b = b.strip_suffix(b"\n").unwrap_or(b);
    let (digits, radix): (&[u8], u64) = match b {
        [b'0', b'x' | b'X', rest @ ..] => (rest, 16),
        [b'0', rest @ ..] if !rest.is_empty() => (rest, 8),
        _ => (b, 10),
    };
    if digits.is_empty() {
        return Err(EINVAL);
    }
    let mut v: u64 = 0;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => return Err(EINVAL),
        } as u64;
        if d >= radix {
            return Err(EINVAL);
        }
        v = v
            .checked_mul(radix)
            .and_then(|v| v.checked_add(d))
            .ok_or(super::errno::err(super::errno::ERANGE))?;
    }
    Ok(v)
}

/// Converts a callback's result into the `ssize_t` sysfs expects.
pub(super) fn ret(r: Result<isize>) -> isize {
    match r {
        Ok(n) => n,
        Err(e) => e.to_errno() as isize,
    }
}

/// A file's `show`: writes the file's text.
pub type DevShow<D> = fn(&Device<D>, &mut SysfsBuf<'_>) -> Result;
/// A file's `store`: what was written (newline included), under RTNL.
pub type DevStore<D> = fn(&Device<D>, &str, &mut Rtnl) -> Result;

/// One file of a device's attribute group (C: `struct device_attribute`).
#[repr(C)]
pub struct DevAttr<D: Driver> {
    raw: bindings::device_attribute,
    show: Option<DevShow<D>>,
    store: Option<DevStore<D>>,
}

// SAFETY: immutable after construction; the raw pointers are to `'static`
// names and to functions.
unsafe impl<D: Driver> Sync for DevAttr<D> {}

impl<D: Driver> DevAttr<D> {
    mode_ctors!(DevShow<D>, DevStore<D>);

    const fn new(
        name: &'static CStr,
        mode: u16,
        show: Option<DevShow<D>>,
        store: Option<DevStore<D>>,
    ) -> Self {
        DevAttr {
            raw: bindings::device_attribute {
                attr: raw_attr(name, mode),
                show: if show.is_some() {
                    Some(Self::show_callback)
                } else {
                    None
                },
                store: if store.is_some() {
                    Some(Self::store_callback)
                } else {
                    None
                },
            },
            show,
            store,
        }
    }

    /// # Safety
    ///
    /// Only called by sysfs for a file of a `DevGroup<D>` that
    /// [`Setup::sysfs_group`] installed on a device of `D`.
    unsafe extern "C" fn show_callback(
        d: *mut bindings::device,
        attr: *mut bindings::device_attribute,
        buf: *mut ffi::c_char,
    ) -> isize {
        // SAFETY: `attr` is the `raw` field (offset 0, `repr(C)`) of a
        // static `DevAttr<D>`; the device is registered, set up for `D`,
        // and its data lives until after its files are removed.
        let (a, dev, mut out) = unsafe {
            (
                &*attr.cast::<DevAttr<D>>(),
                Device::<D>::from_raw(bindings::rvnet_device_netdev(d)),
                SysfsBuf::from_raw(buf),
            )
        };
        ret(match a.show {
            Some(f) => f(dev, &mut out).map(|()| out.len as isize),
            None => Err(EIO),
        })
    }

    /// # Safety
    ///
    /// As for `show_callback`, with `count` bytes at `buf`.
    unsafe extern "C" fn store_callback(
        d: *mut bindings::device,
        attr: *mut bindings::device_attribute,
        buf: *const ffi::c_char,
        count: usize,
    ) -> isize {
        // SAFETY: as in `show_callback`.
        let (a, dev) = unsafe {
            (
                &*attr.cast::<DevAttr<D>>(),
                Device::<D>::from_raw(bindings::rvnet_device_netdev(d)),
            )
        };
        ret((|| {
            let f = a.store.ok_or(EIO)?;
            let mut g = store_prologue(dev)?;
            f(dev, store_text(buf, count)?, g.token())?;
            Ok(count as isize)
        })())
    }
}

/// The permission check and the RTNL of every store (C's
/// `store_bridge_parm`, `bonding_sysfs_store_option`).
fn store_prologue(dev: &NetDevice) -> Result<RtnlGuard> {
    store_prologue_net(dev.net())
}

/// [`store_prologue`] for a file of namespace `net` (a class file).
pub(super) fn store_prologue_net(net: &super::device::Net) -> Result<RtnlGuard> {
    // SAFETY: the caller's namespace is live.
    if !unsafe { bindings::rvnet_net_admin_capable(net.as_raw()) } {
        return Err(EPERM);
    }
    // SAFETY: `restart_syscall` only sets a signal flag on the current task.
    RtnlGuard::try_lock()
        .ok_or_else(|| Error::from_errno(unsafe { bindings::rvnet_restart_syscall() }))
}

/// The NULL-terminated `struct attribute *` array of a group (C:
/// `static struct attribute *bridge_attrs[]`).
#[repr(C)]
pub struct AttrList<M, const N: usize> {
    ptrs: [*mut bindings::attribute; N],
    end: *mut bindings::attribute,
    _m: PhantomData<M>,
}

// SAFETY: immutable pointers to `'static` attributes.
unsafe impl<M, const N: usize> Sync for AttrList<M, N> {}

impl<D: Driver, const N: usize> AttrList<DevAttr<D>, N> {
    attr_list_new!(DevAttr<D>);
}

/// A named group of device files (`/sys/class/net/<dev>/<name>/`).
pub struct DevGroup<D: Driver> {
    raw: bindings::attribute_group,
    _d: PhantomData<D>,
}

// SAFETY: immutable after construction; points to `'static` data only.
unsafe impl<D: Driver> Sync for DevGroup<D> {}

impl<D: Driver> DevGroup<D> {
    /// The group `name` of the files in `list`.
    pub const fn new<const N: usize>(
        name: &'static CStr,
        list: &'static AttrList<DevAttr<D>, N>,
    ) -> Self {
        // SAFETY: plain data; all-zero is an empty group.
        let mut raw = unsafe { MaybeUninit::<bindings::attribute_group>::zeroed().assume_init() };
        raw.name = name.as_char_ptr();
        raw.attrs = (list as *const AttrList<DevAttr<D>, N>)
            .cast::<*mut bindings::attribute>()
            .cast_mut();
        DevGroup {
            raw,
            _d: PhantomData,
        }
    }
}

impl<D: Driver> Setup<'_, D> {
    /// The device's own group of sysfs files (`dev->sysfs_groups[0]`),
    /// created with the device's directory at registration and removed
    /// with it.
    pub fn sysfs_group(&mut self, group: &'static DevGroup<D>) {
        // SAFETY: the device is being set up, not registered yet; the group
        // is static.
        unsafe { bindings::rvnet_dev_set_sysfs_group(self.raw(), &group.raw) };
    }
}

/// A port file's `show`, under RCU (must not sleep).
pub type PortShow<T> = fn(&T, &mut SysfsBuf<'_>, &RcuGuard) -> Result;
/// A port file's `store`, under RTNL.
pub type PortStore<T> = fn(&T, &str, &mut Rtnl) -> Result;

/// One file of a port's directory (C: `struct brport_attribute`), for the
/// port object `T` registered as the port device's rx_handler.
#[repr(C)]
pub struct PortAttr<T: RxHandler> {
    raw: bindings::kobj_attribute,
    show: Option<PortShow<T>>,
    store: Option<PortStore<T>>,
}

// SAFETY: immutable after construction; the raw pointers are to `'static`
// names and to functions.
unsafe impl<T: RxHandler> Sync for PortAttr<T> {}

impl<T: RxHandler> PortAttr<T> {
    mode_ctors!(PortShow<T>, PortStore<T>);

    const fn new(
        name: &'static CStr,
        mode: u16,
        show: Option<PortShow<T>>,
        store: Option<PortStore<T>>,
    ) -> Self {
        // Both callbacks always: a file without one answers `EINVAL`
        // (after the permission check and RTNL, for writes), as C's
        // `brport_show`/`brport_store`, not `kobj_sysfs_ops`' `EIO`.
        PortAttr {
            raw: bindings::kobj_attribute {
                attr: raw_attr(name, mode),
                show: Some(Self::show_callback),
                store: Some(Self::store_callback),
            },
            show,
            store,
        }
    }

    /// The port device of a port directory's kobject (its parent).
    ///
    /// # Safety
    ///
    /// `kobj` is a [`SysfsDir::new_port`] directory, whose parent is the
    /// port device's kobject (pinned by the child).
    unsafe fn port_dev<'a>(kobj: *mut bindings::kobject) -> &'a NetDevice {
        // SAFETY: per the contract.
        unsafe {
            NetDevice::from_raw(bindings::rvnet_kobj_netdev(bindings::rvnet_kobj_parent(
                kobj,
            )))
        }
    }

    /// # Safety
    ///
    /// Only called by sysfs (`kobj_sysfs_ops`) for a file of a
    /// `PortGroup<T>` in a [`SysfsDir::new_port`] directory.
    unsafe extern "C" fn show_callback(
        kobj: *mut bindings::kobject,
        attr: *mut bindings::kobj_attribute,
        buf: *mut ffi::c_char,
    ) -> isize {
        // SAFETY: `attr` is the `raw` field (offset 0, `repr(C)`) of a
        // static `PortAttr<T>`; the rest per the contract.
        let (a, dev, mut out) = unsafe {
            (
                &*attr.cast::<PortAttr<T>>(),
                Self::port_dev(kobj),
                SysfsBuf::from_raw(buf),
            )
        };
        let rcu = RcuGuard::new();
        ret((|| {
            let f = a.show.ok_or(EINVAL)?;
            let port = super::rx_handler::data_of::<T>(dev, &rcu).ok_or(ENODEV)?;
            f(port, &mut out, &rcu)?;
            Ok(out.len as isize)
        })())
    }

    /// # Safety
    ///
    /// As for `show_callback`, with `count` bytes at `buf`.
    unsafe extern "C" fn store_callback(
        kobj: *mut bindings::kobject,
        attr: *mut bindings::kobj_attribute,
        buf: *const ffi::c_char,
        count: usize,
    ) -> isize {
        // SAFETY: as in `show_callback`.
        let (a, dev) = unsafe { (&*attr.cast::<PortAttr<T>>(), Self::port_dev(kobj)) };
        ret((|| {
            let mut g = store_prologue(dev)?;
            let f = a.store.ok_or(EINVAL)?;
            let port = super::rx_handler::arc_of::<T>(dev, &RcuGuard::new()).ok_or(ENODEV)?;
            f(&port, store_text(buf, count)?, g.token())?;
            Ok(count as isize)
        })())
    }
}

impl<T: RxHandler, const N: usize> AttrList<PortAttr<T>, N> {
    attr_list_new!(PortAttr<T>);
}

/// The files of a port directory (unnamed: they sit in the directory
/// itself).
pub struct PortGroup<T: RxHandler> {
    raw: bindings::attribute_group,
    _t: PhantomData<T>,
}

// SAFETY: immutable after construction; points to `'static` data only.
unsafe impl<T: RxHandler> Sync for PortGroup<T> {}

impl<T: RxHandler> PortGroup<T> {
    /// The files in `list`.
    pub const fn new<const N: usize>(list: &'static AttrList<PortAttr<T>, N>) -> Self {
        // SAFETY: plain data; all-zero is an empty, unnamed group.
        let mut raw = unsafe { MaybeUninit::<bindings::attribute_group>::zeroed().assume_init() };
        raw.attrs = (list as *const AttrList<PortAttr<T>, N>)
            .cast::<*mut bindings::attribute>()
            .cast_mut();
        PortGroup {
            raw,
            _t: PhantomData,
        }
    }
}

/// A directory of our own under a device's sysfs directory (a kobject made
/// by `kobject_create_and_add`): the bridge's `brif/`, a port's `brport/`.
/// Removed, with its files and links, when dropped (may sleep).
///
/// # Invariants
///
/// `kobj` is a live kobject we hold one reference to, whose parent is the
/// kobject of a network device.
pub struct SysfsDir {
    kobj: NonNull<bindings::kobject>,
}

// SAFETY: kobjects are refcounted and their sysfs operations may be done
// from any task.
unsafe impl Send for SysfsDir {}
// SAFETY: no operation through `&SysfsDir` needs exclusive access.
unsafe impl Sync for SysfsDir {}

impl SysfsDir {
    /// An empty directory `name` under `dev`'s (C: `brif`).
    pub fn new(dev: &NetDevice, name: &CStr, _rtnl: &Rtnl) -> Result<Self> {
        // SAFETY: a registered device (RTNL held) has its kobject in sysfs;
        // `kobject_create_and_add` copies the name.
        let kobj = unsafe {
            bindings::kobject_create_and_add(
                name.as_char_ptr(),
                bindings::rvnet_dev_kobj(dev.as_raw()),
            )
        };
        // INVARIANT: created with one reference, parent `dev`'s kobject.
        Ok(SysfsDir {
            kobj: NonNull::new(kobj).ok_or(ENOMEM)?,
        })
    }

    /// A port's directory `name` under the port device `dev`, with the
    /// files of `group`, whose callbacks find the port through `dev`'s
    /// rx_handler for `T` (C: `brport/`).
    pub fn new_port<T: RxHandler>(
        dev: &NetDevice,
        name: &CStr,
        group: &'static PortGroup<T>,
        rtnl: &Rtnl,
    ) -> Result<Self> {
        let d = Self::new(dev, name, rtnl)?;
        // SAFETY: `d` is live; the group is static; its callbacks are
        // `PortAttr<T>`'s, called with this directory's kobject, whose
        // parent is `dev` as they require.
        to_result(unsafe { bindings::sysfs_create_group(d.kobj.as_ptr(), &group.raw) })?;
        Ok(d)
    }

    /// A link `name` in this directory to `target`'s device directory (C:
    /// `brport/bridge`).
    pub fn link_dev(&self, name: &CStr, target: &NetDevice) -> Result {
        // SAFETY: both kobjects are live; sysfs copies the name.
        to_result(unsafe {
            bindings::sysfs_create_link(
                self.kobj.as_ptr(),
                bindings::rvnet_dev_kobj(target.as_raw()),
                name.as_char_ptr(),
            )
        })
    }

    /// A link `name` in this directory to the directory `target` (C:
    /// `brif/<port>` to the port's `brport/`).
    pub fn link_dir(&self, name: &CStr, target: &SysfsDir) -> Result {
        // SAFETY: both kobjects are live; sysfs copies the name.
        to_result(unsafe {
            bindings::sysfs_create_link(
                self.kobj.as_ptr(),
                target.kobj.as_ptr(),
                name.as_char_ptr(),
            )
        })
    }

    /// Renames the link `old` (to `target`) to `new`.
    pub fn rename_link(&self, target: &SysfsDir, old: &CStr, new: &CStr) -> Result {
        // SAFETY: both kobjects are live; sysfs copies the names.
        to_result(unsafe {
            bindings::rvnet_sysfs_rename_link(
                self.kobj.as_ptr(),
                target.kobj.as_ptr(),
                old.as_char_ptr(),
                new.as_char_ptr(),
            )
        })
    }

    /// Removes the link `name` (no error if there is none).
    pub fn unlink(&self, name: &CStr) {
        // SAFETY: a live kobject; sysfs only looks the name up.
        unsafe { bindings::sysfs_remove_link(self.kobj.as_ptr(), name.as_char_ptr()) };
    }
}

impl Drop for SysfsDir {
    fn drop(&mut self) {
        // SAFETY: our reference (invariant). `kobject_del` removes the
        // directory now (waiting for running callbacks), whoever else
        // holds a reference; the put frees it once the last goes.
        unsafe {
            bindings::kobject_del(self.kobj.as_ptr());
            bindings::kobject_put(self.kobj.as_ptr());
        }
    }
}

/// A binary file's `read`: fills `buf` from offset `off` of the file,
/// returns the bytes written (0: end of file).
pub type DevRead<D> = fn(&Device<D>, &mut [u8], u64) -> Result<usize>;

/// A read-only binary file in a device's directory (C: `struct
/// bin_attribute`, e.g. the bridge's `brforward`).
#[repr(C)]
pub struct DevBinAttr<D: Driver> {
    raw: bindings::bin_attribute,
    read: DevRead<D>,
}

// SAFETY: immutable after construction; the raw pointers are to `'static`
// names and to functions.
unsafe impl<D: Driver> Sync for DevBinAttr<D> {}

impl<D: Driver> DevBinAttr<D> {
    /// A file readable by all (`0444`).
    pub const fn ro(name: &'static CStr, read: DevRead<D>) -> Self {
        // SAFETY: plain data; all-zero is a file without callbacks.
        let mut raw = unsafe { MaybeUninit::<bindings::bin_attribute>::zeroed().assume_init() };
        raw.attr = raw_attr(name, 0o444);
        raw.read = Some(Self::read_callback);
        DevBinAttr { raw, read }
    }

    /// # Safety
    ///
    /// Only called by sysfs for a [`DevBinFile`] of `D`, created on a
    /// registered device of `D` and removed before its unregistration.
    unsafe extern "C" fn read_callback(
        _file: *mut bindings::file,
        kobj: *mut bindings::kobject,
        attr: *mut bindings::bin_attribute,
        buf: *mut ffi::c_char,
        off: bindings::loff_t,
        count: usize,
    ) -> isize {
        // SAFETY: `attr` is the `raw` field (offset 0, `repr(C)`) of a
        // static `DevBinAttr<D>`; `kobj` is the device's own kobject; sysfs
        // passes `count` writable bytes at `buf`.
        let (a, dev, out) = unsafe {
            (
                &*attr.cast::<DevBinAttr<D>>(),
                Device::<D>::from_raw(bindings::rvnet_kobj_netdev(kobj)),
                core::slice::from_raw_parts_mut(buf.cast::<u8>(), count),
            )
        };
        ret((a.read)(dev, out, off as u64).map(|n| n.min(count) as isize))
    }
}

/// A [`DevBinAttr`] created in a registered device's directory; removed
/// when dropped, which must happen before the device is unregistered
/// (`Driver::uninit` at the latest): it keeps a reference to the device.
pub struct DevBinFile<D: Driver> {
    dev: kernel::types::ARef<NetDevice>,
    attr: &'static DevBinAttr<D>,
}

impl<D: Driver> DevBinFile<D> {
    /// Creates `attr` in `dev`'s directory (C: `sysfs_create_bin_file`).
    pub fn new(dev: &Device<D>, attr: &'static DevBinAttr<D>, _rtnl: &Rtnl) -> Result<Self> {
        // SAFETY: a registered device's kobject; the attribute is static
        // and its callback reads this device as `D`.
        to_result(unsafe {
            bindings::sysfs_create_bin_file(bindings::rvnet_dev_kobj(dev.as_raw()), &attr.raw)
        })?;
        Ok(DevBinFile {
            dev: dev.net_device().hold(),
            attr,
        })
    }
}

impl<D: Driver> Drop for DevBinFile<D> {
    fn drop(&mut self) {
        // SAFETY: created by `new` on this device; removal waits for
        // running reads.
        unsafe {
            bindings::sysfs_remove_bin_file(
                bindings::rvnet_dev_kobj(self.dev.as_raw()),
                &self.attr.raw,
            )
        };
    }
}
