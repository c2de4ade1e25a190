//! Fault injection for tests (cargo feature `fault-injection`, off by default;
//! no wheel enables it): matching a path that has a segment
//! [`PANIC_SEGMENT`] panics, so that tests can see what a real panic inside the
//! router becomes in the app and under a server.

/// The path segment that makes matching panic.
pub const PANIC_SEGMENT: &str = "__kolben_panic__";

/// Panics when `path` has the segment [`PANIC_SEGMENT`].
#[inline(never)]
pub(crate) fn check(path: &str) {
    if path.split('/').any(|segment| segment == PANIC_SEGMENT) {
        panic!("fault injection: {PANIC_SEGMENT} in {path:?}");
    }
}
