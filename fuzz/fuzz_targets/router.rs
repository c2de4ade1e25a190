//! Parse and insert fuzz-derived rules, then match fuzz-derived requests: no panic,
//! no hang, and every answer is consistent with the routes inserted.
#![no_main]

use arbitrary::Arbitrary;
use kolben_router::{Outcome, RouteOptions, Router};
use libfuzzer_sys::fuzz_target;

/// Pieces the rule grammar cares about, so that most rules get past the parser.
#[derive(Arbitrary, Debug)]
enum Piece<'a> {
    Slash,
    Text(&'a str),
    Str,
    Int,
    Float,
    Path,
    Uuid,
    Any,
    Args(&'a str),
}

#[derive(Arbitrary, Debug)]
enum RuleText<'a> {
    Raw(&'a str),
    Pieces(Vec<Piece<'a>>),
}

#[derive(Arbitrary, Debug)]
struct Rule<'a> {
    text: RuleText<'a>,
    domain: Option<RuleText<'a>>,
    methods: Option<Vec<&'a str>>,
    implicit_methods: Vec<&'a str>,
    websocket: bool,
    strict_slashes: bool,
    merge_slashes: bool,
    allow_conflict: bool,
}

#[derive(Arbitrary, Debug)]
struct Request<'a> {
    domain: &'a str,
    path: &'a str,
    method: &'a str,
    websocket: bool,
}

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    merge_slashes: bool,
    rules: Vec<Rule<'a>>,
    requests: Vec<Request<'a>>,
}

fn text(rule: &RuleText<'_>) -> String {
    let pieces = match rule {
        RuleText::Raw(raw) => return (*raw).to_owned(),
        RuleText::Pieces(pieces) => pieces,
    };
    let mut out = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Slash => out.push('/'),
            Piece::Text(t) => out.push_str(t),
            Piece::Str => out.push_str(&format!("<v{i}>")),
            Piece::Int => out.push_str(&format!("<int:v{i}>")),
            Piece::Float => out.push_str(&format!("<float(signed=True):v{i}>")),
            Piece::Path => out.push_str(&format!("<path:v{i}>")),
            Piece::Uuid => out.push_str(&format!("<uuid:v{i}>")),
            Piece::Any => out.push_str(&format!("<any(a, 'b c', \"1\"):v{i}>")),
            Piece::Args(args) => out.push_str(&format!("<int({args}):v{i}>")),
        }
    }
    out
}

fuzz_target!(|input: Input<'_>| {
    let mut router = Router::new();
    router.set_merge_slashes(input.merge_slashes);
    for rule in input.rules.iter().take(64) {
        let options = RouteOptions {
            domain: rule.domain.as_ref().map(text).unwrap_or_default(),
            methods: rule
                .methods
                .as_ref()
                .map(|m| m.iter().map(|s| (*s).to_owned()).collect()),
            implicit_methods: rule
                .implicit_methods
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            websocket: rule.websocket,
            strict_slashes: rule.strict_slashes,
            merge_slashes: rule.merge_slashes,
            converters: Vec::new(),
            allow_conflict: rule.allow_conflict,
        };
        let before = router.routes().len();
        match router.insert(&text(&rule.text), options) {
            Ok(index) => assert_eq!(index, before),
            Err(error) => {
                assert_eq!(router.routes().len(), before);
                let _ = error.to_string();
            }
        }
    }
    for request in input.requests.iter().take(64) {
        let outcome = router.at(
            request.domain,
            request.path,
            request.method,
            request.websocket,
        );
        if let Outcome::Found { route, values } = outcome {
            let route_data = router.route(route).expect("a found route exists");
            assert_eq!(route_data.variables.len(), values.len());
            assert!(router.url_for(route, values.as_slice()).is_some());
        }
    }
});
