//! Property tests: any input gets an answer, and the tree picks what a plain
//! model of Werkzeug's matcher picks.
use std::collections::BTreeSet;

use kolben_router::{Outcome, RouteOptions, Router};
use proptest::prelude::*;
use proptest::test_runner::Config;

// --- never panics ---------------------------------------------------------------

/// Rule text made of the pieces the grammar cares about, in any order.
fn rule_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("/".to_owned()),
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just(":".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just(",".to_owned()),
        Just("=".to_owned()),
        Just("'".to_owned()),
        Just("\"".to_owned()),
        Just("<x>".to_owned()),
        Just("<int:n>".to_owned()),
        Just("<path:p>".to_owned()),
        Just("<float:f>".to_owned()),
        Just("<uuid:u>".to_owned()),
        Just("<any(a, 'b'):y>".to_owned()),
        Just("<string(length=2):s>".to_owned()),
        Just("<int(fixed_digits=2, min=1, max=50, signed=True):m>".to_owned()),
        "[a-c0-9_.-]{1,3}",
        "\\PC{1,2}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

/// Paths of segments that often match the rules above, and any text at all.
fn any_path() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        Just(String::new()),
        Just("a".to_owned()),
        Just("12".to_owned()),
        Just("-3".to_owned()),
        Just("1.5".to_owned()),
        Just("12345678-1234-1234-1234-123456789abc".to_owned()),
        "[a-c0-9]{1,3}",
        "\\PC{0,3}",
        "[\\x00-\\x7f]{0,3}",
    ];
    prop_oneof![
        4 => prop::collection::vec(segment, 0..6).prop_map(|s| format!("/{}", s.join("/"))),
        1 => "\\PC{0,20}",
    ]
}

fn any_method() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "GET", "HEAD", "POST", "PUT", "OPTIONS", "PURGE", "get", "",
    ])
}

proptest! {
    #![proptest_config(Config { cases: 300, failure_persistence: None, ..Config::default() })]

    #[test]
    fn any_rules_and_paths_get_an_answer(
        rules in prop::collection::vec(
            (rule_text(), prop::option::of(prop::sample::subsequence(vec!["GET", "POST", "PURGE"], 0..3)),
             any::<bool>(), any::<bool>(), any::<bool>()),
            0..10,
        ),
        requests in prop::collection::vec((any_path(), any_method(), any::<bool>(), "\\PC{0,4}"), 1..10),
        merge in any::<bool>(),
    ) {
        let mut router = Router::new();
        router.set_merge_slashes(merge);
        for (rule, methods, websocket, strict, merge_rule) in &rules {
            let options = RouteOptions {
                methods: methods.as_ref().map(|m| m.iter().map(|s| (*s).to_owned()).collect()),
                websocket: *websocket,
                strict_slashes: *strict,
                merge_slashes: *merge_rule,
                ..RouteOptions::default()
            };
            if let Ok(index) = router.insert(rule, options) {
                let count = router.route(index).map_or(0, |r| r.variables.len());
                let values = vec!["v/ ä%"; count];
                prop_assert!(router.url_for(index, &values).is_some());
            }
        }
        for (path, method, websocket, domain) in &requests {
            match router.at(domain, path, method, *websocket) {
                Outcome::Found { route, values } => {
                    let route = router.route(route);
                    prop_assert!(route.is_some());
                    prop_assert_eq!(route.map(|r| r.variables.len()), Some(values.len()));
                }
                Outcome::Redirect(to) => prop_assert!(to.ends_with('/') || !to.contains("//")),
                Outcome::NotFound { .. } => {}
            }
        }
    }
}

// --- the model --------------------------------------------------------------------

/// One part of a rule in the restricted language, between slashes.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Static(String),
    /// `<x>`: one non-empty segment.
    Str,
    /// `<int:x>`: ASCII digits.
    Int,
    /// `<path:x>`, last: the rest of the path.
    Path,
    /// `<path:x>/`, last: the rest of the path, which may miss its final slash.
    PathSlash,
}

impl Part {
    /// Werkzeug's converter weight; statics are tried before any of these.
    fn weight(&self) -> u32 {
        match self {
            Part::Static(_) => 0,
            Part::Int => 50,
            Part::Str => 100,
            Part::Path | Part::PathSlash => 200,
        }
    }
}

#[derive(Debug, Clone)]
struct ModelRule {
    text: String,
    /// The domain's part (always empty here), then the rule split at `/`.
    parts: Vec<Part>,
    methods: Option<BTreeSet<&'static str>>,
    strict: bool,
}

impl ModelRule {
    fn new(text: String, methods: Option<&'static str>, strict: bool) -> Self {
        let pieces: Vec<&str> = text.split('/').collect();
        let mut parts = vec![Part::Static(String::new())];
        for (i, piece) in pieces.iter().enumerate() {
            let last_but_empty = i + 2 == pieces.len() && pieces[i + 1].is_empty();
            parts.push(if piece.starts_with("<path:") && last_but_empty {
                Part::PathSlash
            } else if piece.starts_with("<path:") {
                Part::Path
            } else if piece.starts_with("<int:") {
                Part::Int
            } else if piece.starts_with('<') {
                Part::Str
            } else {
                Part::Static((*piece).to_owned())
            });
        }
        let methods = methods.map(|m| {
            let mut set = BTreeSet::from([m]);
            if m == "GET" {
                set.insert("HEAD");
            }
            set
        });
        Self {
            text,
            parts,
            methods,
            strict,
        }
    }

    fn answers(&self, method: &str) -> bool {
        self.methods.as_ref().is_none_or(|m| m.contains(method))
    }
}

#[derive(Debug, PartialEq)]
enum Answer {
    Found(usize, Vec<String>),
    Redirect(String),
    NotFound(Vec<String>),
}

struct SlashRequired;

/// Werkzeug's `path` regex `[^/].*?` on a whole target.
fn path_matches(target: &str) -> bool {
    target.chars().next().is_some_and(|c| c != '/') && !target.contains('\n')
}

/// The model: Werkzeug's `StateMachineMatcher._match`, where a state is the set of
/// rules sharing their first `depth` parts, rather than a node of a tree.
struct Model {
    rules: Vec<ModelRule>,
}

impl Model {
    fn walk(
        &self,
        state: &[usize],
        depth: usize,
        parts: &[&str],
        values: &[String],
        method: &str,
        allowed: &mut BTreeSet<String>,
    ) -> Result<Option<(usize, Vec<String>)>, SlashRequired> {
        let rules = &self.rules;
        let here: Vec<usize> = state
            .iter()
            .copied()
            .filter(|&r| rules[r].parts.len() == depth)
            .collect();
        let child = |part: &Part| -> Vec<usize> {
            state
                .iter()
                .copied()
                .filter(|&r| rules[r].parts.get(depth) == Some(part))
                .collect()
        };
        let Some((&first, rest)) = parts.split_first() else {
            for &r in &here {
                if !rules[r].answers(method) {
                    allowed.extend(rules[r].methods.iter().flatten().map(|m| m.to_string()));
                } else {
                    return Ok(Some((r, values.to_vec())));
                }
            }
            for r in child(&Part::Static(String::new())) {
                if rules[r].parts.len() == depth + 1 && rules[r].answers(method) {
                    if rules[r].strict {
                        return Err(SlashRequired);
                    }
                    return Ok(Some((r, values.to_vec())));
                }
            }
            return Ok(None);
        };

        let statics = child(&Part::Static(first.to_owned()));
        if !statics.is_empty() {
            if let Some(found) = self.walk(&statics, depth + 1, rest, values, method, allowed)? {
                return Ok(Some(found));
            }
        }

        // The dynamic transitions: by weight, equal weights in order of appearance.
        let mut dynamics: Vec<(u32, usize, Part)> = Vec::new();
        for &r in state {
            if let Some(part) = rules[r].parts.get(depth) {
                if !matches!(part, Part::Static(_)) && !dynamics.iter().any(|d| &d.2 == part) {
                    dynamics.push((part.weight(), r, part.clone()));
                }
            }
        }
        dynamics.sort_by_key(|d| (d.0, d.1));
        let whole = parts.join("/");
        for (_, _, part) in dynamics {
            let (value, remaining): (&str, &[&str]) = match part {
                Part::Int if !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()) => {
                    (first, rest)
                }
                Part::Str if !first.is_empty() => (first, rest),
                Part::Path if path_matches(&whole) => (&whole, &[]),
                Part::PathSlash => match whole.strip_suffix('/') {
                    Some(body) if path_matches(body) && !body.ends_with('/') => (body, &[""]),
                    Some(_) => continue,
                    None if path_matches(&whole) => (&whole, &[]),
                    None => continue,
                },
                _ => continue,
            };
            let mut values = values.to_vec();
            values.push(value.to_owned());
            let next = child(&part);
            if let Some(found) = self.walk(&next, depth + 1, remaining, &values, method, allowed)? {
                return Ok(Some(found));
            }
        }

        if parts == [""] {
            for &r in &here {
                if rules[r].strict {
                    continue;
                }
                if !rules[r].answers(method) {
                    allowed.extend(rules[r].methods.iter().flatten().map(|m| m.to_string()));
                } else {
                    return Ok(Some((r, values.to_vec())));
                }
            }
        }
        Ok(None)
    }

    /// `StateMachineMatcher.match` with merge_slashes on, for every rule.
    fn at(&self, path: &str, method: &str) -> Answer {
        let all: Vec<usize> = (0..self.rules.len()).collect();
        let mut allowed = BTreeSet::new();
        let parts = |path: &'_ str| -> Vec<String> {
            std::iter::once(String::new())
                .chain(path.split('/').map(str::to_owned))
                .collect()
        };
        let walk = |path: &str, allowed: &mut BTreeSet<String>| {
            let owned = parts(path);
            let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
            self.walk(&all, 0, &refs, &[], method, allowed)
        };
        match walk(path, &mut allowed) {
            Err(SlashRequired) => Answer::Redirect(format!("{path}/")),
            Ok(Some((r, values))) => Answer::Found(r, values),
            Ok(None) => {
                let mut merged = path.to_owned();
                while merged.contains("//") {
                    merged = merged.replace("//", "/");
                }
                match walk(&merged, &mut allowed) {
                    Err(SlashRequired) => Answer::Redirect(format!("{merged}/")),
                    Ok(Some(_)) => Answer::Redirect(merged),
                    Ok(None) => Answer::NotFound(allowed.into_iter().collect()),
                }
            }
        }
    }
}

fn model_segment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["a", "b", "ab", "<x>", "<int:x>"])
}

/// A rule: segments, perhaps a path converter, perhaps a trailing slash; methods; strict.
fn model_rule() -> impl Strategy<Value = (String, Option<&'static str>, bool)> {
    (
        prop::collection::vec(model_segment(), 0..4),
        prop::bool::weighted(0.25),
        any::<bool>(),
        prop::sample::select(vec![None, Some("GET"), Some("POST")]),
        prop::bool::weighted(0.8),
    )
        .prop_map(|(segments, path, slash, methods, strict)| {
            let mut pieces: Vec<String> = segments
                .iter()
                .enumerate()
                .map(|(i, s)| s.replace("x>", &format!("v{i}>")))
                .collect();
            if path {
                pieces.push("<path:p>".to_owned());
            }
            let mut text = format!("/{}", pieces.join("/"));
            if slash && !pieces.is_empty() {
                text.push('/');
            }
            (text, methods, strict)
        })
}

fn model_path() -> impl Strategy<Value = String> {
    let segment = prop::sample::select(vec!["a", "b", "ab", "1", "12", "x", ""]);
    prop::collection::vec(segment, 0..6).prop_map(|s| format!("/{}", s.join("/")))
}

proptest! {
    #![proptest_config(Config { cases: 400, failure_persistence: None, ..Config::default() })]

    #[test]
    fn tree_picks_what_werkzeug_picks(
        rules in prop::collection::vec(model_rule(), 1..12),
        requests in prop::collection::vec(
            (model_path(), prop::sample::select(vec!["GET", "HEAD", "POST", "PUT"])),
            1..16,
        ),
    ) {
        let mut router = Router::new();
        let mut model = Model { rules: Vec::new() };
        for (text, methods, strict) in rules {
            let rule = ModelRule::new(text.clone(), methods, strict);
            // A conflict: the same parts and an overlapping method.
            let conflict = model.rules.iter().any(|other| {
                other.parts == rule.parts
                    && match (&other.methods, &rule.methods) {
                        (Some(a), Some(b)) => !a.is_disjoint(b),
                        _ => true,
                    }
            });
            let options = RouteOptions {
                methods: methods.map(|m| vec![m.to_owned()]),
                strict_slashes: strict,
                ..RouteOptions::default()
            };
            let inserted = router.insert(&text, options);
            prop_assert_eq!(inserted.is_err(), conflict, "{} {:?}", text, inserted);
            if !conflict {
                model.rules.push(rule);
            }
        }
        for (path, method) in requests {
            let expected = model.at(&path, method);
            let got = match router.at("", &path, method, false) {
                Outcome::Found { route, values } => {
                    Answer::Found(route, values.iter().map(str::to_owned).collect())
                }
                Outcome::Redirect(to) => Answer::Redirect(to),
                Outcome::NotFound { allowed, .. } => Answer::NotFound(allowed.names()),
            };
            let rules: Vec<&str> = model.rules.iter().map(|r| r.text.as_str()).collect();
            prop_assert_eq!(got, expected, "{} {} on {:?}", method, path, rules);
        }
    }
}
