//! Ctrl-C during `pulse ingest`: the first SIGINT asks the ingest to stop
//! after the article it is storing (every stored article is complete, and
//! the summary says how far it got); a second one ends the process at once,
//! as Ctrl-C normally does.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// The SIGINT handler: note the request and give the next SIGINT its
/// default action back. Both calls are async-signal-safe.
#[cfg(unix)]
extern "C" fn on_sigint(_: libc::c_int) {
    REQUESTED.store(true, Ordering::SeqCst);
    // SAFETY: signal(2) is async-signal-safe; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
    }
}

/// Makes the first Ctrl-C a request to stop instead of an immediate exit.
pub fn install() {
    #[cfg(unix)]
    // SAFETY: the handler only stores to an atomic and calls signal(2),
    // both async-signal-safe; the function pointer has the C ABI signal(2)
    // expects.
    unsafe {
        let handler: extern "C" fn(libc::c_int) = on_sigint;
        libc::signal(libc::SIGINT, handler as libc::sighandler_t);
    }
}

/// Whether a stop was asked for.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}
