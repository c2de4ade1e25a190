//! Criterion: the kolben tree against the matchit crate on the same routes.
//!
//! Tables and probes are those of `python/kolben/bench/tables.py`: the GitHub API
//! table and synthetic REST tables of 10 to 10,000 routes; one static, 1-param,
//! 3-param and miss probe each. kolben gets one rule per `METHOD rule` line and
//! resolves the method too; matchit, which routes paths only, gets each distinct
//! rule once.
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use kolben_router::{Outcome, RouteOptions, Router};

const GITHUB: &str = include_str!("../python/kolben/bench/data/github_api.txt");

struct Probe {
    kind: &'static str,
    path: String,
    /// The rule the probe must match; `None` for a miss.
    rule: Option<String>,
}

struct Table {
    name: String,
    routes: Vec<(String, String)>,
    probes: Vec<Probe>,
}

fn probe(kind: &'static str, path: &str, rule: Option<&str>) -> Probe {
    Probe {
        kind,
        path: path.to_owned(),
        rule: rule.map(str::to_owned),
    }
}

/// `METHOD RULE` lines; `#` starts a comment line.
fn github() -> Table {
    let routes = GITHUB
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (method, rule) = line.split_once(' ').expect("METHOD RULE");
            (method.to_owned(), rule.trim().to_owned())
        })
        .collect();
    Table {
        name: "github".to_owned(),
        routes,
        probes: vec![
            probe("static", "/user/repos", Some("/user/repos")),
            probe(
                "1-param",
                "/users/julienschmidt/gists",
                Some("/users/<user>/gists"),
            ),
            probe(
                "3-param",
                "/repos/julienschmidt/httprouter/issues/42",
                Some("/repos/<owner>/<repo>/issues/<number>"),
            ),
            probe("miss", "/repos/julienschmidt/httprouter/nope", None),
        ],
    }
}

/// Resources of four routes each under `/api/v{j / 25}/res{j}`; the probes hit the
/// last resource of each shape.
fn synthetic(size: usize) -> Table {
    let shapes = [
        ("GET", ""),
        ("GET", "/<id>"),
        ("GET", "/<id>/<repo>/items/<number>"),
        ("POST", "/<id>/edit"),
    ];
    let base = |j: usize| format!("/api/v{}/res{j}", j / 25);
    let mut routes = Vec::with_capacity(size);
    let mut last = [0; 4];
    for i in 0..size {
        let (j, shape) = (i / 4, i % 4);
        let (method, tail) = shapes[shape];
        routes.push((method.to_owned(), format!("{}{tail}", base(j))));
        last[shape] = j;
    }
    let rule = |shape: usize| Some(format!("{}{}", base(last[shape]), shapes[shape].1));
    let probes = vec![
        Probe {
            kind: "static",
            path: base(last[0]),
            rule: rule(0),
        },
        Probe {
            kind: "1-param",
            path: format!("{}/7", base(last[1])),
            rule: rule(1),
        },
        Probe {
            kind: "3-param",
            path: format!("{}/7/kolben/items/42", base(last[2])),
            rule: rule(2),
        },
        Probe {
            kind: "miss",
            path: format!("{}/7/kolben/nope/42", base(last[2])),
            rule: None,
        },
    ];
    Table {
        name: format!("synthetic-{size}"),
        routes,
        probes,
    }
}

/// `/users/<user>` in matchit's syntax: `/users/{user}`, `<path:p>` as `{*p}`.
fn brace_rule(rule: &str) -> String {
    let mut out = String::with_capacity(rule.len());
    let mut rest = rule;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let end = start + rest[start..].find('>').expect("closed variable");
        let variable = &rest[start + 1..end];
        match variable.split_once(':') {
            Some(("path", name)) => out.push_str(&format!("{{*{name}}}")),
            Some((_, name)) => out.push_str(&format!("{{{name}}}")),
            None => out.push_str(&format!("{{{variable}}}")),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

struct Routers {
    kolben: Router,
    matchit: matchit::Router<usize>,
    /// matchit's value -> the rule.
    rules: Vec<String>,
}

fn routers(table: &Table) -> Routers {
    let mut kolben = Router::new();
    let mut matchit = matchit::Router::new();
    let mut rules: Vec<String> = Vec::new();
    for (method, rule) in &table.routes {
        let options = RouteOptions {
            methods: Some(vec![method.clone()]),
            ..RouteOptions::default()
        };
        kolben
            .insert(rule, options)
            .expect("the table has no conflicts");
        if !rules.contains(rule) {
            matchit
                .insert(brace_rule(rule), rules.len())
                .expect("matchit takes the table");
            rules.push(rule.clone());
        }
    }
    Routers {
        kolben,
        matchit,
        rules,
    }
}

fn kolben_at(router: &Router, path: &str) -> usize {
    match router.at("", path, "GET", false) {
        Outcome::Found { route, values } => route + values.len(),
        _ => usize::MAX,
    }
}

fn matchit_at(router: &matchit::Router<usize>, path: &str) -> usize {
    match router.at(path) {
        Ok(m) => *m.value + m.params.len(),
        Err(_) => usize::MAX,
    }
}

/// Both routers give the probe's answer (checked once, outside the timing).
fn check(table: &Table, routers: &Routers, probe: &Probe) {
    let kolben = match routers.kolben.at("", &probe.path, "GET", false) {
        Outcome::Found { route, .. } => Some(routers.kolben.routes()[route].rule.clone()),
        _ => None,
    };
    let matchit = routers
        .matchit
        .at(&probe.path)
        .ok()
        .map(|m| routers.rules[*m.value].clone());
    assert_eq!(kolben, probe.rule, "kolben, {} {}", table.name, probe.kind);
    assert_eq!(
        matchit, probe.rule,
        "matchit, {} {}",
        table.name, probe.kind
    );
}

fn bench(c: &mut Criterion) {
    let tables = std::iter::once(github())
        .chain([10, 100, 1_000, 10_000].into_iter().map(synthetic))
        .collect::<Vec<_>>();
    for table in &tables {
        let routers = routers(table);
        for probe in &table.probes {
            check(table, &routers, probe);
            let mut group = c.benchmark_group(format!("{}/{}", table.name, probe.kind));
            group.bench_function("kolben", |b| {
                b.iter(|| kolben_at(&routers.kolben, black_box(&probe.path)))
            });
            group.bench_function("matchit", |b| {
                b.iter(|| matchit_at(&routers.matchit, black_box(&probe.path)))
            });
            group.finish();
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
