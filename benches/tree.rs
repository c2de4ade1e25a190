//! Criterion: the tree against the matchit crate on the same routes.
use criterion::{criterion_group, criterion_main, Criterion};
use kolben_router::{Outcome, RouteOptions, Router};

fn bench(c: &mut Criterion) {
    let mut router = Router::new();
    router
        .insert("/user/<name>", RouteOptions::default())
        .unwrap();
    c.bench_function("kolben/1-param", |b| {
        b.iter(|| match router.at("", "/user/alice", "GET", false) {
            Outcome::Found { route, .. } => route,
            _ => usize::MAX,
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
