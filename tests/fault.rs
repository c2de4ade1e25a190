//! The test-only fault hook (cargo feature `fault-injection`):
//! `cargo test --features fault-injection --test fault`.
#![cfg(feature = "fault-injection")]

use std::panic::catch_unwind;

use kolben_router::fault::PANIC_SEGMENT;
use kolben_router::{Outcome, RouteOptions, Router};

#[test]
fn panics_only_on_the_segment() {
    let mut router = Router::new();
    router.insert("/<path:p>", RouteOptions::default()).unwrap();
    // path, whether matching panics
    let table = [
        (format!("/{PANIC_SEGMENT}"), true),
        (format!("/a/{PANIC_SEGMENT}/b"), true),
        (format!("/a/{PANIC_SEGMENT}x"), false),
        ("/a/b".to_owned(), false),
    ];
    for (path, panics) in table {
        let outcome =
            catch_unwind(|| matches!(router.at("", &path, "GET", false), Outcome::Found { .. }));
        assert_eq!(outcome.is_err(), panics, "{path}");
    }
}
