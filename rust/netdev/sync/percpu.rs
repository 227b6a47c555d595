// SPDX-License-Identifier: GPL-2.0

//! Per-CPU data on the hot path, read and written inline as C's
//! `this_cpu_ptr`/`u64_stats_add`/`this_cpu_inc_return` are.
//!
//! Kernel rule: `this_cpu_ptr(p)` is only meaningful while the code cannot
//! move to another CPU (preemption or bottom halves off); the C accessors
//! check it under `DEBUG_PREEMPT`. Here the rule is a type: every access
//! takes a [`CpuPinned`] proof, which only the layer's contexts that run
//! with bottom halves off implement (the transmit path's [`XmitContext`],
//! the receive handler's [`RxContext`]). An `RcuGuard` is not one: a
//! preemptible kernel can migrate an RCU reader.
//!
//! On x86-64 the CPU's per-CPU offset is read with one `%gs`-relative load
//! of `this_cpu_off` (C's `this_cpu_read_stable`) and counters are bumped
//! with one unlocked `add` (C's `local64_add`: atomic against interrupts on
//! this CPU, and readers on other CPUs see whole values); no C helper is
//! called per packet. Only x86-64 is written (the project's kernel).
//!
//! [`XmitContext`]: super::lower::XmitContext
//! [`RxContext`]: super::rx_handler::RxContext

use super::bindings;
use core::{marker::PhantomData, ptr::NonNull};
use kernel::prelude::*;

/// Proof that the holder cannot migrate to another CPU while it is
/// borrowed (bottom halves or preemption are off).
///
/// # Safety
///
/// Only types whose every instance exists solely inside such a section may
/// implement it; it is sealed to this layer.
pub unsafe trait CpuPinned: private::Sealed {}

pub(crate) mod private {
    pub trait Sealed {}
    pub trait SealedInt {}
}

#[cfg(not(target_arch = "x86_64"))]
compile_error!("rvnet's per-CPU accessors are written for x86-64 only");

extern "C" {
    // The per-CPU variable holding each CPU's offset (arch/x86/kernel/
    // setup_percpu.c, exported); only its address is used, `%gs`-relative.
    static this_cpu_off: u64;
}

/// This CPU's per-CPU offset (`this_cpu_off`).
#[inline(always)]
fn cpu_offset(_pin: &impl CpuPinned) -> usize {
    let off: usize;
    // SAFETY: a `%gs`-relative load of the exported per-CPU variable, as
    // C's `this_cpu_read_stable(this_cpu_off)`; `_pin` keeps us on the
    // CPU whose offset this is for as long as the result is used.
    unsafe {
        core::arch::asm!(
            "movq %gs:{sym}, {off}",
            sym = sym this_cpu_off,
            off = out(reg) off,
            options(att_syntax, nostack, readonly, preserves_flags, pure)
        )
    };
    off
}

/// `this_cpu_ptr(p)`: this CPU's instance of the per-CPU object `p`.
///
/// # Safety
///
/// `p` must be a per-CPU pointer (`alloc_percpu`, a `__percpu` field) to a
/// live object of type `T`.
#[inline(always)]
pub(crate) unsafe fn this_cpu_ptr<T>(p: *mut T, pin: &impl CpuPinned) -> *mut T {
    p.cast::<u8>().wrapping_add(cpu_offset(pin)).cast::<T>()
}

/// An integer a CPU adds to its own per-CPU instance of with one unlocked
/// read-modify-write (C's `local64_add`, `this_cpu_add`): atomic against
/// interrupts on this CPU, and readers on other CPUs see whole values.
/// Sealed: `u32` and `u64`.
pub trait LocalInt: Copy + private::SealedInt {
    /// Adds `v` to `*p`.
    ///
    /// # Safety
    ///
    /// `p` must be this CPU's instance of a per-CPU counter of this type,
    /// written only by this CPU.
    unsafe fn local_add(p: *mut Self, v: Self);

    /// The value widened for sums over CPUs.
    fn widen(self) -> u64;
}

macro_rules! local_int {
    ($t:ty, $add:literal) => {
        impl private::SealedInt for $t {}

        impl LocalInt for $t {
            #[inline(always)]
            unsafe fn local_add(p: *mut $t, v: $t) {
                // SAFETY: `p` is valid and aligned (caller); one add to
                // memory, no lock prefix.
                unsafe {
                    core::arch::asm!(
                        $add,
                        p = in(reg) p,
                        v = in(reg) v,
                        options(att_syntax, nostack)
                    )
                };
            }

            #[inline(always)]
            fn widen(self) -> u64 {
                self.into()
            }
        }
    };
}

local_int!(u64, "addq {v}, ({p})");
local_int!(u32, "addl {v:e}, ({p})");

/// `local64_add(v, p)` / `this_cpu_add` on this CPU's counter `p`.
///
/// # Safety
///
/// As for [`LocalInt::local_add`].
#[inline(always)]
pub(crate) unsafe fn local_add<T: LocalInt>(p: *mut T, v: T) {
    // SAFETY: the caller's contract.
    unsafe { T::local_add(p, v) }
}

/// A per-CPU counter (C: `alloc_percpu(u32)` / `alloc_percpu(u64)`):
/// bumped inline on this CPU, summed over the possible CPUs by readers
/// (bonding's round-robin transmit counter, TEQL's per-slave packets).
///
/// INVARIANT: `ptr` is a live per-CPU allocation of one `T`, freed on drop.
pub struct PerCpu<T: LocalInt> {
    ptr: NonNull<T>,
    _p: PhantomData<T>,
}

/// Bonding's round-robin counter type.
pub type PerCpuU32 = PerCpu<u32>;

// SAFETY: each CPU only writes its own instance (under `CpuPinned`); the
// allocation may be read and freed from any thread.
unsafe impl<T: LocalInt> Send for PerCpu<T> {}
// SAFETY: as above.
unsafe impl<T: LocalInt> Sync for PerCpu<T> {}

impl<T: LocalInt> PerCpu<T> {
    /// Allocates the counter, zero on every CPU (`alloc_percpu`; the
    /// function behind its allocation-profiling macro).
    pub fn new() -> Result<Self> {
        // SAFETY: plain allocation; the memory is zeroed by the allocator.
        let p = unsafe {
            bindings::pcpu_alloc_noprof(
                core::mem::size_of::<T>(),
                core::mem::align_of::<T>(),
                false,
                bindings::RVNET_GFP_KERNEL,
            )
        };
        let ptr = NonNull::new(p.cast::<T>()).ok_or(ENOMEM)?;
        // INVARIANT: just allocated.
        Ok(PerCpu {
            ptr,
            _p: PhantomData,
        })
    }

    /// `this_cpu_add`: adds `v` to this CPU's counter.
    #[inline(always)]
    pub fn add(&self, v: T, pin: &impl CpuPinned) {
        // SAFETY: live per-CPU `T` (invariant); `pin` keeps us on this CPU,
        // the only writer of its instance.
        unsafe { local_add(this_cpu_ptr(self.ptr.as_ptr(), pin), v) }
    }

    /// The sum over the possible CPUs (not a snapshot: other CPUs may be
    /// adding meanwhile, as with C's per-CPU statistics).
    pub fn sum(&self) -> u64 {
        // SAFETY: a live per-CPU allocation of `size_of::<T>()` bytes
        // (invariant); the helper reads each CPU's instance once.
        unsafe {
            bindings::rvnet_percpu_sum(self.ptr.as_ptr().cast(), core::mem::size_of::<T>() as u32)
        }
    }
}

impl PerCpu<u32> {
    /// `this_cpu_inc_return`: adds one to this CPU's counter and returns the
    /// new value.
    #[inline(always)]
    pub fn inc_return(&self, pin: &impl CpuPinned) -> u32 {
        // SAFETY: live per-CPU `u32` (invariant); `pin` keeps us on this CPU,
        // the only writer of its instance, and softirq code does not nest
        // into itself on one CPU.
        unsafe {
            let p = this_cpu_ptr(self.ptr.as_ptr(), pin);
            local_add(p, 1);
            core::ptr::read_volatile(p)
        }
    }
}

// SAFETY: `free_percpu` "can be called from atomic context"
// (mm/percpu.c), e.g. an RCU callback freeing the struct holding it.
unsafe impl<T: LocalInt> super::rcu::AtomicDrop for PerCpu<T> {}

impl<T: LocalInt> Drop for PerCpu<T> {
    fn drop(&mut self) {
        // SAFETY: allocated by `new` (invariant), no user is left (`&mut`).
        unsafe { bindings::free_percpu(self.ptr.as_ptr().cast()) }
    }
}
