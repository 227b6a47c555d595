// SPDX-License-Identifier: GPL-2.0

//! What the 6.12 `KVec` lacks and drivers need without allocating: taking
//! one element out while keeping the order of the others (e.g. a slave
//! leaving a master's list during device unregistration, where an
//! allocation failure could not be reported).

use kernel::alloc::KVec;

/// Removes and returns element `i`, shifting the later ones down
/// (`Vec::remove`); `None` if `i` is out of range.
pub fn remove<T>(v: &mut KVec<T>, i: usize) -> Option<T> {
    let len = v.len();
    if i >= len {
        return None;
    }
    v.as_mut_slice()[i..].rotate_left(1);
    // SAFETY: `len - 1 < len` elements stay initialised; the last slot
    // holds element `i`, which is read out exactly once and no longer
    // counted by the vector.
    unsafe {
        let last = core::ptr::read(v.as_ptr().add(len - 1));
        v.set_len(len - 1);
        Some(last)
    }
}
