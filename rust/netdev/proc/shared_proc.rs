// SPDX-License-Identifier: GPL-2.0

//! A `/proc/net` file that several modules write to: `/proc/net/tunnels`,
//! where rvnet_ipip, rvnet_gre and rvnet_sit each list their tunnels (C
//! has no such file; one per module would collide on the name).
//!
//! One module owns the file in every namespace and a registry of
//! providers (rvnet_tunnels: [`SharedProc`] as its [`ProcNetFile`], the
//! registry in drivers/tunnels/tunnels_registry.c, whose register and
//! unregister it exports); each provider module holds a
//! [`ProviderRegistration`] for as long as it is loaded, which makes it
//! depend on the owner (the kernel loads the owner first and keeps it
//! while a provider is loaded).
//!
//! Kernel rules: a provider's callback may not run after its module is
//! gone: the registry calls providers under a mutex that unregistering
//! takes. The callbacks run in process context, and may take RTNL (no one
//! takes the registry's mutex under RTNL). The owner's symbols are only
//! referenced from generic code here, so only the modules that instantiate
//! these types depend on rvnet_tunnels (the layer is compiled into every
//! module).

use super::{
    bindings,
    device::Net,
    proc::{ProcNetFile, SeqFile},
};
use core::{marker::PhantomData, pin::Pin};
use kernel::{alloc::KBox, error::to_result, ffi, prelude::*, types::Opaque};

/// What a provider writes: its lines of one namespace's file.
pub trait SharedProcProvider: 'static {
    /// Writes this provider's lines of namespace `net`'s file.
    fn show(m: &mut SeqFile, net: &Net) -> Result;
}

/// A registered provider; dropping it unregisters it, after any `show`
/// still running it returned.
pub struct ProviderRegistration<P: SharedProcProvider> {
    prov: Pin<KBox<Opaque<bindings::rvnet_tunnels_provider>>>,
    _p: PhantomData<P>,
}

// SAFETY: the provider record is only touched by the registry, under its
// mutex.
unsafe impl<P: SharedProcProvider> Send for ProviderRegistration<P> {}
// SAFETY: no `&self` method touches the record.
unsafe impl<P: SharedProcProvider> Sync for ProviderRegistration<P> {}

impl<P: SharedProcProvider> ProviderRegistration<P> {
    /// Adds `P` to the file's providers.
    pub fn new() -> Result<Self> {
        let prov = KBox::pin(
            Opaque::new(bindings::rvnet_tunnels_provider {
                // SAFETY: all-zero is a valid unlinked list head, which
                // the registry initialises when it links the record.
                list: unsafe { core::mem::zeroed() },
                show: Some(Self::show_callback),
            }),
            GFP_KERNEL,
        )?;
        // SAFETY: the record is pinned and live until `drop` unregisters it.
        unsafe { bindings::rvnet_tunnels_register(prov.get()) };
        Ok(ProviderRegistration {
            prov,
            _p: PhantomData,
        })
    }

    /// # Safety
    ///
    /// Only called by the registry, with the live `seq_file` of a `show`
    /// of the file of `net`, which is pinned while the file is open.
    unsafe extern "C" fn show_callback(
        m: *mut bindings::seq_file,
        net: *mut bindings::net,
    ) -> ffi::c_int {
        // SAFETY: the function's contract.
        let net = unsafe { Net::from_raw(net) };
        // SAFETY: as above.
        let mut sf = unsafe { SeqFile::from_raw(m) };
        match P::show(&mut sf, net) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }
}

impl<P: SharedProcProvider> Drop for ProviderRegistration<P> {
    fn drop(&mut self) {
        // SAFETY: registered in `new`; returns once no `show` runs it.
        unsafe { bindings::rvnet_tunnels_unregister(self.prov.get()) };
        // Module exit drops its registrations: no deferred RCU callback of
        // this module may outlive it.
        super::rcu::barrier_deferred();
    }
}

/// The owner's side: the file's name and the lines before the providers'.
pub trait SharedProcFile: 'static {
    /// File name under `/proc/net`.
    const NAME: &'static CStr;

    /// Writes what comes before the providers' lines (a header).
    fn header(m: &mut SeqFile);
}

/// The shared file, for the owner to register with
/// [`ProcNetRegistration`](super::proc::ProcNetRegistration).
pub struct SharedProc<F>(PhantomData<F>);

impl<F: SharedProcFile> ProcNetFile for SharedProc<F> {
    const NAME: &'static CStr = F::NAME;

    fn show(m: &mut SeqFile, net: &Net) -> Result {
        F::header(m);
        // SAFETY: `m` is the live `seq_file` of this `show` call and `net`
        // the namespace it pins.
        to_result(unsafe { bindings::rvnet_tunnels_show_all(m.as_raw(), net.as_raw()) })
    }
}
