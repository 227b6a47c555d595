// SPDX-License-Identifier: GPL-2.0

//! Netlink attributes, extended acks and message building.
//!
//! Kernel rule: attributes handed to `rtnl_link_ops` callbacks are parsed
//! but, without a policy, not length-checked; every typed accessor here
//! checks the payload length, so a malformed attribute is an `EINVAL`, never
//! an out-of-bounds read. Error messages reported through the extended ack
//! must be static strings (the ack keeps the pointer).

use super::{bindings, errno};
use core::marker::PhantomData;
use kernel::{error::code::*, prelude::*, types::Opaque};

/// One netlink attribute (`struct nlattr`) and its payload.
#[repr(transparent)]
pub struct Nla(Opaque<bindings::nlattr>);

impl Nla {
    /// # Safety
    ///
    /// `p` points to a complete attribute (header and payload) that lives
    /// for `'a`.
    pub(crate) unsafe fn from_raw<'a>(p: *const bindings::nlattr) -> &'a Nla {
        // SAFETY: `Nla` is a transparent wrapper of `nlattr`; the caller
        // guarantees the attribute.
        unsafe { &*p.cast::<Nla>() }
    }

    fn as_raw(&self) -> *mut bindings::nlattr {
        self.0.get()
    }

    /// The payload bytes.
    pub fn payload(&self) -> &[u8] {
        // SAFETY: the attribute was validated by the netlink parser, so its
        // header is readable and `nla_len` bytes of payload follow it.
        unsafe {
            let len = bindings::rvnet_nla_len(self.as_raw());
            let data = bindings::rvnet_nla_data(self.as_raw()).cast::<u8>();
            core::slice::from_raw_parts(data, usize::try_from(len).unwrap_or(0))
        }
    }

    fn fixed<const N: usize>(&self) -> Result<[u8; N]> {
        self.payload().try_into().map_err(|_| EINVAL)
    }

    /// A `u8` payload (exactly 1 byte).
    pub fn u8(&self) -> Result<u8> {
        Ok(self.fixed::<1>()?[0])
    }

    /// A host-order `u16` payload (exactly 2 bytes).
    pub fn u16(&self) -> Result<u16> {
        Ok(u16::from_ne_bytes(self.fixed()?))
    }

    /// A host-order `u32` payload (exactly 4 bytes).
    pub fn u32(&self) -> Result<u32> {
        Ok(u32::from_ne_bytes(self.fixed()?))
    }

    /// A network-order `u16` (`__be16`) payload, in host order.
    pub fn be16(&self) -> Result<u16> {
        Ok(u16::from_be_bytes(self.fixed()?))
    }

    /// The attributes nested in this one, as (type, payload) pairs. Parsing
    /// stops at the first malformed header.
    pub fn nested(&self) -> Nested<'_> {
        Nested {
            rest: self.payload(),
        }
    }

    /// A network-order `u32` (`__be32`) payload.
    pub fn be32(&self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.fixed()?))
    }
}

/// Iterator over nested attributes; see [`Nla::nested`].
pub struct Nested<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Nested<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<(u16, &'a [u8])> {
        let hdr = self.rest.get(..4)?;
        let len = u16::from_ne_bytes([hdr[0], hdr[1]]) as usize;
        let ty = u16::from_ne_bytes([hdr[2], hdr[3]]) & 0x3fff;
        if len < 4 || len > self.rest.len() {
            self.rest = &[];
            return None;
        }
        let payload = &self.rest[4..len];
        let step = (len + 3) & !3;
        self.rest = self.rest.get(step..).unwrap_or(&[]);
        Some((ty, payload))
    }
}

/// A parsed attribute table (`struct nlattr *tb[]`), indexed by type.
#[derive(Clone, Copy)]
pub struct Attrs<'a> {
    tb: *const *mut bindings::nlattr,
    len: usize,
    _p: PhantomData<&'a Nla>,
}

impl<'a> Attrs<'a> {
    /// # Safety
    ///
    /// `tb` is null or points to `maxtype + 1` entries, each null or a
    /// parsed attribute, all valid for `'a`.
    pub(crate) unsafe fn from_raw(tb: *mut *mut bindings::nlattr, maxtype: usize) -> Self {
        Attrs {
            tb,
            len: if tb.is_null() { 0 } else { maxtype + 1 },
            _p: PhantomData,
        }
    }

    /// The attribute of type `ty`, if present.
    pub fn get(&self, ty: u32) -> Option<&'a Nla> {
        let i = ty as usize;
        if i >= self.len {
            return None;
        }
        // SAFETY: `i < len`, within the table (type invariant of `from_raw`).
        let p = unsafe { *self.tb.add(i) };
        // SAFETY: non-null entries are parsed attributes valid for `'a`.
        (!p.is_null()).then(|| unsafe { &*p.cast::<Nla>() })
    }

    /// True if the table was supplied at all (e.g. `IFLA_INFO_DATA`).
    pub fn is_present(&self) -> bool {
        self.len != 0
    }
}

/// The extended ack of a netlink request: where error messages go.
pub struct ExtAck {
    raw: *mut bindings::netlink_ext_ack,
}

impl ExtAck {
    /// # Safety
    ///
    /// `raw` is null or a valid ack for the duration of the callback.
    pub(crate) unsafe fn from_raw(raw: *mut bindings::netlink_ext_ack) -> Self {
        ExtAck { raw }
    }

    /// An ack that drops every message (for requests that have none,
    /// e.g. an ioctl).
    pub fn discard() -> Self {
        ExtAck {
            raw: core::ptr::null_mut(),
        }
    }

    /// Whether messages go nowhere (no ack: an ioctl, a sysfs write, a
    /// caller that passed none), where C code often logs them instead.
    pub fn is_discarded(&self) -> bool {
        self.raw.is_null()
    }

    /// The raw pointer (may be null), for this layer's calls into C.
    pub(crate) fn as_raw(&self) -> *mut bindings::netlink_ext_ack {
        self.raw
    }

    /// Sets the error message (`NL_SET_ERR_MSG`).
    pub fn message(&mut self, msg: &'static CStr) {
        // SAFETY: `raw` is null or valid; the message is static.
        unsafe { bindings::rvnet_extack_set_msg(self.raw, msg.as_char_ptr()) }
    }

    /// Sets the message, marks `attr` as the culprit and returns `err`
    /// (`NL_SET_ERR_MSG_ATTR`), for `return Err(extack.fail(..))`.
    pub fn fail_attr(&mut self, attr: Option<&Nla>, msg: &'static CStr, err: Error) -> Error {
        self.message(msg);
        if let Some(a) = attr {
            // SAFETY: `raw` is null or valid; the attribute lives in the
            // request, which outlives the ack's use.
            unsafe { bindings::rvnet_extack_set_bad_attr(self.raw, a.as_raw()) }
        }
        err
    }

    /// Sets the message and returns `err`.
    pub fn fail(&mut self, msg: &'static CStr, err: Error) -> Error {
        self.fail_attr(None, msg, err)
    }
}

/// A netlink message being filled (`fill_info`).
pub struct NlMsg {
    skb: *mut bindings::sk_buff,
}

impl NlMsg {
    /// # Safety
    ///
    /// `skb` is a netlink message under construction, exclusively ours for
    /// the duration of the callback.
    pub(crate) unsafe fn from_raw(skb: *mut bindings::sk_buff) -> Self {
        NlMsg { skb }
    }

    fn check(ret: i32) -> Result {
        if ret == 0 {
            Ok(())
        } else {
            Err(errno::err(errno::EMSGSIZE))
        }
    }

    /// Appends a `u8` attribute.
    pub fn put_u8(&mut self, ty: u32, v: u8) -> Result {
        // SAFETY: `skb` is ours (type invariant); the helper bounds-checks.
        Self::check(unsafe { bindings::rvnet_nla_put_u8(self.skb, ty as i32, v) })
    }

    /// Appends a host-order `u16` attribute.
    pub fn put_u16(&mut self, ty: u32, v: u16) -> Result {
        // SAFETY: as for `put_u8`.
        Self::check(unsafe { bindings::rvnet_nla_put_u16(self.skb, ty as i32, v) })
    }

    /// Appends a host-order `s32` attribute.
    pub fn put_s32(&mut self, ty: u32, v: i32) -> Result {
        self.put_bytes(ty, &v.to_ne_bytes())
    }

    /// Appends a host-order `u32` attribute.
    pub fn put_u32(&mut self, ty: u32, v: u32) -> Result {
        // SAFETY: as for `put_u8`.
        Self::check(unsafe { bindings::rvnet_nla_put_u32(self.skb, ty as i32, v) })
    }
}

impl NlMsg {
    /// Appends a network-order `u16` attribute from a host-order value.
    pub fn put_be16(&mut self, ty: u32, v: u16) -> Result {
        self.put_bytes(ty, &v.to_be_bytes())
    }

    /// Appends a host-order `u64` attribute, 64-bit aligned by a `pad`
    /// attribute where needed (`nla_put_u64_64bit`).
    pub fn put_u64_64bit(&mut self, ty: u32, v: u64, pad: u32) -> Result {
        self.put_bytes_64bit(ty, &v.to_ne_bytes(), pad)
    }

    /// Appends an attribute with a raw payload (a struct of `u64`s),
    /// 64-bit aligned by a `pad` attribute where needed (`nla_put_64bit`).
    pub fn put_bytes_64bit(&mut self, ty: u32, data: &[u8], pad: u32) -> Result {
        // SAFETY: `skb` is ours; `nla_put_64bit` copies `data` and
        // bounds-checks.
        Self::check(unsafe {
            bindings::nla_put_64bit(
                self.skb,
                ty as i32,
                data.len() as i32,
                data.as_ptr().cast(),
                pad as i32,
            )
        })
    }

    /// Appends an attribute with a raw payload.
    pub fn put_bytes(&mut self, ty: u32, data: &[u8]) -> Result {
        // SAFETY: `skb` is ours; `nla_put` copies `data` and bounds-checks.
        Self::check(unsafe {
            bindings::rvnet_nla_put(self.skb, ty as i32, data.len() as i32, data.as_ptr().cast())
        })
    }

    /// Emits a nested attribute `ty` whose members `f` appends
    /// (`nla_nest_start_noflag`).
    pub fn nest(&mut self, ty: u32, f: impl FnOnce(&mut NlMsg) -> Result) -> Result {
        // SAFETY: `skb` is ours.
        let start = unsafe { bindings::rvnet_nla_nest_start(self.skb, ty as i32) };
        self.nest_with(start, f)
    }

    /// As [`NlMsg::nest`], with `NLA_F_NESTED` in the type
    /// (`nla_nest_start`).
    pub fn nest_flagged(&mut self, ty: u32, f: impl FnOnce(&mut NlMsg) -> Result) -> Result {
        // SAFETY: `skb` is ours.
        let start = unsafe { bindings::rvnet_nla_nest_start_flag(self.skb, ty as i32) };
        self.nest_with(start, f)
    }

    fn nest_with(
        &mut self,
        start: *mut bindings::nlattr,
        f: impl FnOnce(&mut NlMsg) -> Result,
    ) -> Result {
        if start.is_null() {
            return Err(errno::err(errno::EMSGSIZE));
        }
        f(self)?;
        // SAFETY: `start` was returned by `nla_nest_start` or
        // `nla_nest_start_noflag` on this message (the two callers).
        unsafe { bindings::rvnet_nla_nest_end(self.skb, start) };
        Ok(())
    }
}

/// Checks `IFLA_ADDRESS`, if present, as Ethernet link kinds' `validate`
/// does: 6 bytes (`EINVAL`, `bad_len`), unicast and non-zero
/// (`EADDRNOTAVAIL`, `bad_addr`); the attribute is marked in the ack.
pub fn check_eth_addr(
    tb: &Attrs<'_>,
    extack: &mut ExtAck,
    bad_len: &'static CStr,
    bad_addr: &'static CStr,
) -> Result {
    let Some(addr) = tb.get(bindings::IFLA_ADDRESS) else {
        return Ok(());
    };
    let mac = addr.payload();
    if mac.len() != 6 {
        return Err(extack.fail_attr(Some(addr), bad_len, EINVAL));
    }
    if mac[0] & 1 != 0 || mac.iter().all(|&b| b == 0) {
        return Err(extack.fail_attr(Some(addr), bad_addr, errno::err(errno::EADDRNOTAVAIL)));
    }
    Ok(())
}

/// The space `nla_put` needs for a payload of `payload` bytes.
pub fn nla_total_size(payload: usize) -> usize {
    // SAFETY: pure arithmetic.
    unsafe { bindings::rvnet_nla_total_size(payload as i32) }
}
