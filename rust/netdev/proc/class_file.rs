// SPDX-License-Identifier: GPL-2.0

//! Files of `/sys/class/net/` that each network namespace has its own of
//! (C: a `struct class_attribute` per namespace, created with
//! `netdev_class_create_file_ns(attr, net)` and removed with
//! `netdev_class_remove_file_ns`; bonding's `bonding_masters`).
//!
//! A driver implements [`NetClassFile`] (the name, `show`, `store`),
//! declares its [`ClassFileId`] as a `static` and keeps a
//! [`ClassFileRegistration`] in its module. The files are per-namespace
//! data of the existing mechanism ([`super::pernet`]): each namespace's
//! file is created by that namespace's `init` (for the namespaces that
//! exist at registration and every new one) and removed by its `exit`
//! (or when the registration is dropped), before the namespace goes.
//!
//! Kernel rules enforced by the types:
//! - A file's callbacks get the namespace it was created for, and it is
//!   alive: the file (and the namespace pointer it keeps) is a private
//!   type only the pernet mechanism creates and drops, so no driver can
//!   keep one past its namespace's exit (compile-fail
//!   `class_file_outside_pernet`).
//! - `show` runs under RCU ([`RcuGuard`]); `store` under RTNL taken as
//!   the layer's sysfs stores take it (`CAP_NET_ADMIN` in the namespace,
//!   then `rtnl_trylock()` or `restart_syscall()`): the namespace's
//!   `exit` removes the file holding RTNL and waits for running
//!   callbacks.

use super::{
    bindings,
    device::Net,
    pernet::{PernetData, PernetId, PernetRegistration},
    rcu::RcuGuard,
    rtnl::Rtnl,
    sysfs::{ret, store_prologue_net, store_text, SysfsBuf},
};
use core::{marker::PhantomData, mem::MaybeUninit};
use kernel::{alloc::KBox, ffi, prelude::*, str::CStr};

/// A file of `/sys/class/net/` per namespace.
pub trait NetClassFile: Sized + Send + Sync + 'static {
    /// The file's name (`bonding_masters`); mode `0644`.
    const NAME: &'static CStr;

    /// The `static` id of the files.
    fn id() -> &'static ClassFileId<Self>;

    /// The file's text in namespace `net`.
    fn show(net: &Net, out: &mut SysfsBuf<'_>, rcu: &RcuGuard) -> Result;

    /// What was written (newline included), under RTNL.
    fn store(net: &Net, text: &str, rtnl: &mut Rtnl) -> Result;
}

/// The C attribute and the namespace it was created for (found from the
/// attribute by the callbacks, as C's `container_of`).
#[repr(C)]
struct Raw {
    attr: bindings::class_attribute,
    net: *mut bindings::net,
}

/// One namespace's file (per-namespace data; private: only the pernet
/// mechanism creates and drops it).
///
/// # Invariants
///
/// `raw`, if any, is a file created in `raw.net`, which lives until this
/// value is dropped (in the namespace's pernet `exit` at the latest).
struct ClassFileNs<F: NetClassFile> {
    raw: Option<KBox<Raw>>,
    _f: PhantomData<F>,
}

// SAFETY: the raw attribute is only read by sysfs; the namespace pointer
// is only dereferenced while the file exists (type invariant).
unsafe impl<F: NetClassFile> Send for ClassFileNs<F> {}
// SAFETY: no `&self` method touches the raw data.
unsafe impl<F: NetClassFile> Sync for ClassFileNs<F> {}

/// The `static` id of a driver's class files (declare it as a `static`,
/// as [`PernetId`]).
pub struct ClassFileId<F: NetClassFile>(PernetId<ClassFileNs<F>>);

impl<F: NetClassFile> ClassFileId<F> {
    /// An id not registered yet.
    pub const fn new() -> Self {
        ClassFileId(PernetId::new())
    }
}

impl<F: NetClassFile> Default for ClassFileId<F> {
    fn default() -> Self {
        Self::new()
    }
}

impl<F: NetClassFile> ClassFileNs<F> {
    /// # Safety
    ///
    /// Only called by sysfs for a file created by [`ClassFileNs::init`].
    unsafe extern "C" fn show_callback(
        _cls: *const bindings::class,
        attr: *const bindings::class_attribute,
        buf: *mut ffi::c_char,
    ) -> isize {
        // SAFETY: `attr` is the first field of a `Raw` (`repr(C)`) whose
        // namespace lives while the file exists; sysfs passes its page.
        let (net, mut out) = unsafe {
            (
                Net::from_raw((*attr.cast::<Raw>()).net),
                SysfsBuf::from_raw(buf),
            )
        };
        let rcu = RcuGuard::new();
        ret(F::show(net, &mut out, &rcu).map(|()| out.len() as isize))
    }

    /// # Safety
    ///
    /// As `show_callback`, with `count` bytes at `buf`.
    unsafe extern "C" fn store_callback(
        _cls: *const bindings::class,
        attr: *const bindings::class_attribute,
        buf: *const ffi::c_char,
        count: usize,
    ) -> isize {
        // SAFETY: as in `show_callback`.
        let net = unsafe { Net::from_raw((*attr.cast::<Raw>()).net) };
        ret((|| {
            let mut g = store_prologue_net(net)?;
            F::store(net, store_text(buf, count)?, g.token())?;
            Ok(count as isize)
        })())
    }
}

impl<F: NetClassFile> PernetData for ClassFileNs<F> {
    fn id() -> &'static PernetId<Self> {
        &F::id().0
    }

    fn init(net: &Net, _rtnl: &mut Rtnl) -> Result<Self> {
        // SAFETY: plain data; all-zero is an attribute without callbacks.
        let mut attr = unsafe { MaybeUninit::<bindings::class_attribute>::zeroed().assume_init() };
        attr.attr.name = F::NAME.as_char_ptr();
        attr.attr.mode = 0o644;
        attr.show = Some(Self::show_callback);
        attr.store = Some(Self::store_callback);
        let raw = KBox::new(
            Raw {
                attr,
                net: net.as_raw(),
            },
            GFP_KERNEL,
        )?;
        // SAFETY: the attribute lives in its own allocation until `drop`
        // removes the file; the namespace is live (its `init`); the
        // attribute is not static, so lockdep needs its key initialised
        // (`sysfs_attr_init`, done by the helper).
        let r = unsafe {
            bindings::rvnet_sysfs_attr_init(&raw const raw.attr.attr as *mut _);
            bindings::netdev_class_create_file_ns(&raw.attr, net.as_raw().cast())
        };
        if r == EEXIST.to_errno() {
            // As C's `bond_create_sysfs`: a device of that name (or a
            // second driver's file) already there is not an error; this
            // namespace goes without the file.
            pr_err!(
                "network device named {} already exists in sysfs\n",
                F::NAME.to_str().unwrap_or("?")
            );
            return Ok(ClassFileNs {
                raw: None,
                _f: PhantomData,
            });
        }
        kernel::error::to_result(r)?;
        // INVARIANT: created in `net`, removed by `drop` (pernet exit).
        Ok(ClassFileNs {
            raw: Some(raw),
            _f: PhantomData,
        })
    }
}

impl<F: NetClassFile> Drop for ClassFileNs<F> {
    fn drop(&mut self) {
        if let Some(raw) = &self.raw {
            // SAFETY: created in `raw.net` (live: its exit runs now, or
            // the registration goes while it lives); removal waits for
            // running callbacks.
            unsafe { bindings::netdev_class_remove_file_ns(&raw.attr, raw.net.cast()) };
        }
    }
}

/// The registered files (one per namespace); dropping it removes them
/// all.
pub struct ClassFileRegistration<F: NetClassFile> {
    _pernet: PernetRegistration<ClassFileNs<F>>,
}

impl<F: NetClassFile> ClassFileRegistration<F> {
    /// Creates the file in every namespace, and in every new one. Takes
    /// RTNL: must not be called with RTNL held.
    pub fn new() -> Result<Self> {
        Ok(ClassFileRegistration {
            _pernet: PernetRegistration::new()?,
        })
    }
}
