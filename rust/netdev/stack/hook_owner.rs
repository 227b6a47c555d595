// SPDX-License-Identifier: GPL-2.0

//! The owner of a global C hook that answers for a link kind
//! (`vlan_ioctl_set`, `brioctl_set`).
//!
//! Kernel rule: the kernel has one such hook, called under its own mutex,
//! and clearing it takes that mutex, so no call runs once it is cleared.
//! The owner keeps the kind's registration boxed (it never moves while the
//! hook may read it) and a module claims the slot at most once.

use super::link::{Link, LinkRegistration};
use core::{
    ptr::NonNull,
    sync::atomic::{AtomicPtr, Ordering},
};
use kernel::{alloc::KBox, error::code::*, ffi, prelude::*};

/// The slot a hook finds its link kind in; a `static` per hook.
pub(crate) struct HookOwner(AtomicPtr<ffi::c_void>);

impl HookOwner {
    /// An empty slot.
    pub(crate) const fn new() -> Self {
        HookOwner(AtomicPtr::new(core::ptr::null_mut()))
    }

    /// Boxes `link` and makes it the slot's; `EBUSY` if the slot is taken.
    /// Install the hook after this, and `release` after clearing it.
    pub(crate) fn claim<D: Link>(
        &self,
        link: LinkRegistration<D>,
    ) -> Result<KBox<LinkRegistration<D>>> {
        let link = KBox::new(link, GFP_KERNEL)?;
        let p = (&*link as *const LinkRegistration<D>).cast_mut().cast();
        self.0
            .compare_exchange(
                core::ptr::null_mut(),
                p,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .map_err(|_| EBUSY)?;
        Ok(link)
    }

    /// The kind, for the hook.
    ///
    /// # Safety
    ///
    /// Only called from the hook this slot was claimed for (`D` is the
    /// kind that claimed it), which cannot run after the hook is cleared.
    pub(crate) unsafe fn get<'a, D: Link>(&self) -> Option<&'a LinkRegistration<D>> {
        let p = NonNull::new(self.0.load(Ordering::Acquire))?;
        // SAFETY: set by `claim` to the boxed registration, which lives
        // until `release` after the hook is cleared.
        Some(unsafe { p.cast::<LinkRegistration<D>>().as_ref() })
    }

    /// Empties the slot, once the hook is cleared.
    pub(crate) fn release(&self) {
        self.0.store(core::ptr::null_mut(), Ordering::Release);
    }
}
