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

/// `local64_add(v, p)`: adds `v` to this CPU's counter `p` with one unlocked
/// read-modify-write (atomic against interrupts on this CPU).
///
/// # Safety
///
/// `p` must be this CPU's instance of a per-CPU `u64`/`u64_stats_t`
/// counter, written only by this CPU.
#[inline(always)]
pub(crate) unsafe fn local_add(p: *mut u64, v: u64) {
    // SAFETY: `p` is valid and aligned (caller); one `addq` to memory.
    unsafe {
        core::arch::asm!(
            "addq {v}, ({p})",
            p = in(reg) p,
            v = in(reg) v,
            options(att_syntax, nostack)
        )
    };
}

/// `local_add` for a 32-bit counter (C's `this_cpu_inc` on a `u32`).
///
/// # Safety
///
/// As for [`local_add`], on a `u32`.
#[inline(always)]
pub(crate) unsafe fn local_add32(p: *mut u32, v: u32) {
    // SAFETY: `p` is valid and aligned (caller); one `addl` to memory.
    unsafe {
        core::arch::asm!(
            "addl {v:e}, ({p})",
            p = in(reg) p,
            v = in(reg) v,
            options(att_syntax, nostack)
        )
    };
}

/// A per-CPU `u32` counter (C: `alloc_percpu(u32)` read with
/// `this_cpu_inc_return`), e.g. bonding's round-robin transmit counter.
///
/// INVARIANT: `ptr` is a live per-CPU allocation of one `u32`, freed on drop.
pub struct PerCpuU32 {
    ptr: NonNull<u32>,
    _p: PhantomData<u32>,
}

// SAFETY: each CPU only writes its own instance (under `CpuPinned`); the
// allocation may be freed from any thread.
unsafe impl Send for PerCpuU32 {}
// SAFETY: as above.
unsafe impl Sync for PerCpuU32 {}

impl PerCpuU32 {
    /// Allocates the counter, zero on every CPU (`alloc_percpu`; the
    /// function behind its allocation-profiling macro).
    pub fn new() -> Result<Self> {
        // SAFETY: plain allocation; the memory is zeroed by the allocator.
        let p = unsafe {
            bindings::pcpu_alloc_noprof(
                core::mem::size_of::<u32>(),
                core::mem::align_of::<u32>(),
                false,
                bindings::RVNET_GFP_KERNEL,
            )
        };
        let ptr = NonNull::new(p.cast::<u32>()).ok_or(ENOMEM)?;
        // INVARIANT: just allocated.
        Ok(PerCpuU32 {
            ptr,
            _p: PhantomData,
        })
    }

    /// `this_cpu_inc_return`: adds one to this CPU's counter and returns the
    /// new value.
    #[inline(always)]
    pub fn inc_return(&self, pin: &impl CpuPinned) -> u32 {
        // SAFETY: live per-CPU `u32` (invariant); `pin` keeps us on this CPU,
        // the only writer of its instance, and softirq code does not nest
        // into itself on one CPU.
        unsafe {
            let p = this_cpu_ptr(self.ptr.as_ptr(), pin);
            local_add32(p, 1);
            core::ptr::read_volatile(p)
        }
    }
}

impl Drop for PerCpuU32 {
    fn drop(&mut self) {
        // SAFETY: allocated by `new` (invariant), no user is left (`&mut`).
        unsafe { bindings::free_percpu(self.ptr.as_ptr().cast()) }
    }
}
