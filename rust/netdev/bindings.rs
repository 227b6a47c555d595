// SPDX-License-Identifier: GPL-2.0

//! The rvnet bindings: generated at build time by bindgen from
//! `include/rvnet_bindings.h` with the allowlists in `bindgen/*.params`.
//! Only this layer uses them.

#![allow(
    clippy::all,
    missing_docs,
    non_camel_case_types,
    non_upper_case_globals,
    non_snake_case,
    improper_ctypes,
    unreachable_pub,
    unsafe_op_in_unsafe_fn,
    dead_code,
    unnecessary_transmutes,
    clippy::undocumented_unsafe_blocks
)]

type __kernel_size_t = usize;
type __kernel_ssize_t = isize;
type __kernel_ptrdiff_t = isize;

include!("bindings_generated.rs");
