//! Rule parsing, converter arguments and conflicts, as tables: one line per case.
use kolben_router::{
    parse_args, tokenize, ArgValue, Args, Bound, Converter, Custom, InsertError, RouteOptions,
    Router, Token,
};

/// An insert error in a short form: `rule@3`, `unknown foo@1`, `args int@1`,
/// `conflict with /a for GET, HEAD` (`for *`: every method).
fn short(error: &InsertError) -> String {
    match error {
        InsertError::InvalidRule { pos, .. } => format!("rule@{pos}"),
        InsertError::UnknownConverter { pos, name, .. } => format!("unknown {name}@{pos}"),
        InsertError::InvalidArguments { pos, converter, .. } => format!("args {converter}@{pos}"),
        InsertError::InvalidRegex { pos, .. } => format!("regex@{pos}"),
        InsertError::Conflict { with, methods, .. } if methods.is_empty() => {
            format!("conflict with {with} for *")
        }
        InsertError::Conflict { with, methods, .. } => {
            format!("conflict with {with} for {}", methods.join(", "))
        }
    }
}

/// Route options from words: `GET,POST` (methods), `ws`, `loose` (no strict
/// slashes), `nomerge`, `implicit=OPTIONS`, `domain=<sub>`.
fn options(words: &str) -> RouteOptions {
    let mut options = RouteOptions::default();
    for word in words.split_whitespace() {
        match word {
            "ws" => options.websocket = true,
            "loose" => options.strict_slashes = false,
            "nomerge" => options.merge_slashes = false,
            "allow" => options.allow_conflict = true,
            _ => {
                if let Some(names) = word.strip_prefix("implicit=") {
                    options.implicit_methods = names.split(',').map(str::to_owned).collect();
                } else if let Some(domain) = word.strip_prefix("domain=") {
                    options.domain = domain.to_owned();
                } else {
                    options.methods = Some(word.split(',').map(str::to_owned).collect());
                }
            }
        }
    }
    options
}

/// Splits `"GET,POST ws /rule"` into the option words and the rule (from the first `/`).
fn spec(route: &str) -> (&str, &str) {
    if route.starts_with('/') || !route.contains(" /") {
        return ("", route);
    }
    route
        .split_once(" /")
        .map_or(("", route), |(words, _)| (words, &route[words.len() + 1..]))
}

/// Inserts each route in order into a fresh router; reports `ok` or the error of each.
fn insert_all(routes: &[&str]) -> Vec<String> {
    let mut router = Router::new();
    routes
        .iter()
        .map(|route| {
            let (words, rule) = spec(route);
            match router.insert(rule, options(words)) {
                Ok(_) => "ok".to_owned(),
                Err(e) => short(&e),
            }
        })
        .collect()
}

fn check_single(cases: &[(&str, &str)]) {
    let mut failures = Vec::new();
    for &(route, expected) in cases {
        let got = insert_all(&[route]).remove(0);
        if got != expected {
            failures.push(format!("{route:?}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn valid_rules() {
    check_single(&[
        ("/", "ok"),
        ("/a", "ok"),
        ("/a/", "ok"),
        ("/a/b/c/", "ok"),
        ("/user/<username>", "ok"),
        ("/user/<default:username>", "ok"),
        ("/user/<string:username>", "ok"),
        ("/<int:id>", "ok"),
        ("/<_x1>", "ok"),
        ("/<int(signed=True, max=5):n>", "ok"),
        ("/<int():n>", "ok"),
        ("/<any(a, b,):n>", "ok"),
        ("/<int(3):n>", "ok"),
        ("/<int(fixed_digits=4, min=1, max=9999):n>", "ok"),
        ("/<float(min=0.5, max=1):f>", "ok"),
        ("/<float(signed=True):f>", "ok"),
        ("/<string(minlength=2, maxlength=5):s>", "ok"),
        ("/<string(length=2):s>", "ok"),
        ("/<string(2, 4):s>", "ok"),
        ("/files/<path:p>", "ok"),
        ("/files/<path:p>/edit", "ok"),
        ("/files/<path:p>/", "ok"),
        ("/<uuid:u>", "ok"),
        ("/<any(about, help):page>", "ok"),
        ("/<any('a,b', \"c d\", e):page>", "ok"),
        ("/<name>.json", "ok"),
        ("/v<int:major>.<int:minor>/x", "ok"),
        ("/<a>-<b>", "ok"),
        ("/a>b", "ok"),
        ("/a b/c%20", "ok"),
        ("/ü/<x>", "ok"),
        ("//a///b", "ok"),
        ("nomerge //a///b", "ok"),
        ("domain=<sub> /x", "ok"),
        ("domain=<sub>.example.com /<int:id>", "ok"),
        ("domain=<int:n>.example.com /x", "ok"),
        ("GET,POST ws /chat", "ok"),
    ]);
}

#[test]
fn malformed_rules() {
    check_single(&[
        ("", "rule@0"),
        ("a", "rule@0"),
        ("a/<x>", "rule@0"),
        ("/a/<int:>", "rule@3"),
        ("/<x", "rule@1"),
        ("/a/<x/b>", "rule@3"),
        ("/<1x>", "rule@1"),
        ("/<>", "rule@1"),
        ("/<:x>", "rule@1"),
        ("/<x y>", "rule@1"),
        ("/<x-y>", "rule@1"),
        ("/ok/<int::x>", "rule@4"),
        ("/<int(:x>", "rule@1"),
        ("/<int x>", "rule@1"),
        ("/<x>/<x>", "rule@5"),
        ("/<x>/<int:x>", "rule@5"),
        ("/a<", "rule@2"),
        ("/<ä>", "rule@1"),
        ("/ü/<ä>", "rule@4"),
        ("/<foo:x>", "unknown foo@1"),
        ("/a/<Int:x>", "unknown Int@3"),
        ("/<int(foo=1):x>", "args int@1"),
        ("/<int(1, 2, 3, 4, 5):x>", "args int@1"),
        ("/<int(min='a'):x>", "args int@1"),
        ("/<int(fixed_digits=-1):x>", "args int@1"),
        ("/<int(1, fixed_digits=2):x>", "args int@1"),
        ("/<int(-1):x>", "args int@1"),
        // Werkzeug's argument syntax has no negative numbers.
        ("/<int(signed=True, min=-5):x>", "args int@1"),
        ("/<int(foo bar):x>", "args int@1"),
        ("/<float(max=x):y>", "args float@1"),
        ("/<float(fixed_digits=2):y>", "args float@1"),
        ("/<string(minlength=x):y>", "args string@1"),
        ("/<string(minlength=3, maxlength=2):y>", "args string@1"),
        ("/<string(length='two'):y>", "args string@1"),
        ("/<default(width=3):y>", "args default@1"),
        ("/<path(1):p>", "args path@1"),
        ("/<uuid(version=4):u>", "args uuid@1"),
        ("/<any:x>", "args any@1"),
        ("/<any():x>", "args any@1"),
        ("/<any(a, b=c):x>", "args any@1"),
        ("/<any('open):x>", "args any@1"),
        ("domain=<path:p> /x", "rule@0"),
        ("domain=<sub /x", "rule@0"),
        ("domain=<nope:sub> /x", "unknown nope@0"),
    ]);
}

#[test]
fn error_messages_name_rule_and_position() {
    let mut router = Router::new();
    let error = router
        .insert("/a/<int:>", RouteOptions::default())
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("\"/a/<int:>\"") && text.contains("position 3"),
        "{text}"
    );

    let error = router
        .insert("/<int(foo=1):x>", RouteOptions::default())
        .unwrap_err();
    let text = error.to_string();
    assert!(text.contains("\"int\"") && text.contains("foo"), "{text}");

    router.insert("/a", RouteOptions::default()).unwrap();
    let error = router.insert("/a", RouteOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "rule \"/a\" conflicts with rule \"/a\": both match exactly the same URLs for every method"
    );
    assert_eq!(router.routes().len(), 1, "a rejected rule is not added");
}

#[test]
fn tokens() {
    use Token::{Slash, Static};
    let var = |converter, args, name, pos| {
        Token::Variable(kolben_router::Variable {
            converter,
            args,
            name,
            pos,
        })
    };
    let cases: Vec<(&str, Vec<Token<'_>>)> = vec![
        ("/", vec![Slash]),
        ("/a/bc", vec![Slash, Static("a"), Slash, Static("bc")]),
        ("/<x>", vec![Slash, var("default", None, "x", 1)]),
        ("/<int:x>/", vec![Slash, var("int", None, "x", 1), Slash]),
        (
            "/p<int(2, min=1):x>.json",
            vec![
                Slash,
                Static("p"),
                var("int", Some("2, min=1"), "x", 2),
                Static(".json"),
            ],
        ),
        // The arguments end at the first `)` that is followed by `:name>`.
        (
            "/<any('a)', b):x>",
            vec![Slash, var("any", Some("'a)', b"), "x", 1)],
        ),
        ("/a>b", vec![Slash, Static("a>b")]),
    ];
    for (rule, expected) in cases {
        assert_eq!(tokenize(rule).unwrap(), expected, "{rule}");
    }
    for (rule, pos) in [("/<x", 1), ("/a/<int:>", 3), ("/<1x>", 1), ("<", 0)] {
        assert_eq!(tokenize(rule).unwrap_err().pos, pos, "{rule}");
    }
}

#[test]
fn converter_argument_parser() {
    use ArgValue::{Bool, Float, Int, None as Nothing, Str};
    let s = |text: &str| Str(text.to_owned());
    let positional = |values: Vec<ArgValue>| Args {
        positional: values,
        keywords: Vec::new(),
    };
    let keywords = |values: Vec<(&str, ArgValue)>| Args {
        positional: Vec::new(),
        keywords: values.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
    };
    // Expected values from Werkzeug 3.1's `parse_converter_args`.
    let cases: Vec<(&str, Args)> = vec![
        ("", Args::default()),
        ("  ", Args::default()),
        ("a, b,", positional(vec![s("a"), s("b")])),
        ("1", positional(vec![Int(1)])),
        ("1, 2", positional(vec![Int(1), Int(2)])),
        (" 3 , 4 ", positional(vec![Int(3), Int(4)])),
        // Werkzeug's `\d+.\d+` takes any character between digits.
        ("1,2", positional(vec![s("1,2")])),
        ("1 2", positional(vec![s("1 2")])),
        ("1x2", positional(vec![s("1x2")])),
        ("1.5", positional(vec![Float(1.5)])),
        ("1.", positional(vec![Float(1.0)])),
        ("1e5", positional(vec![Float(100000.0)])),
        ("1_000", positional(vec![Int(1000)])),
        ("'a', \"b\"", positional(vec![s("a"), s("b")])),
        ("u'x', r\"y\"", positional(vec![s("x"), s("y")])),
        ("'a,b', c", positional(vec![s("a,b"), s("c")])),
        ("'True'", positional(vec![s("True")])),
        ("a.b", positional(vec![s("a.b")])),
        (
            "a=1, b=2.5",
            keywords(vec![("a", Int(1)), ("b", Float(2.5))]),
        ),
        (
            "x=True, y=False, z=None",
            keywords(vec![("x", Bool(true)), ("y", Bool(false)), ("z", Nothing)]),
        ),
        ("minlength=x", keywords(vec![("minlength", s("x"))])),
        (
            "2, max = 'm'",
            Args {
                positional: vec![Int(2)],
                keywords: vec![("max".to_owned(), s("m"))],
            },
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_args(text).unwrap(), expected, "{text:?}");
    }
    // Malformed: the offset of the text that does not parse. Werkzeug ignores
    // trailing text it cannot read (`a=`); kolben reports it.
    for (text, pos) in [
        ("foo bar", 0),
        ("=1", 0),
        ("-1", 0),
        ("'open", 0),
        ("1, -2", 2),
        ("a=", 0),
        ("1, a=", 2),
    ] {
        assert_eq!(parse_args(text).unwrap_err().pos, pos, "{text:?}");
    }
}

#[test]
fn converters_and_their_arguments() {
    let int = |fixed_digits, min, max, signed| Converter::Int {
        signed,
        fixed_digits,
        min,
        max,
    };
    let float = |min, max, signed| Converter::Float { signed, min, max };
    let cases: Vec<(&str, Converter)> = vec![
        ("<x>", Converter::Str { min: 1, max: None }),
        ("<string:x>", Converter::Str { min: 1, max: None }),
        (
            "<string(minlength=3):x>",
            Converter::Str { min: 3, max: None },
        ),
        (
            "<string(maxlength=3):x>",
            Converter::Str {
                min: 1,
                max: Some(3),
            },
        ),
        (
            "<string(2, 4):x>",
            Converter::Str {
                min: 2,
                max: Some(4),
            },
        ),
        (
            "<string(length=2):x>",
            Converter::Str {
                min: 2,
                max: Some(2),
            },
        ),
        (
            "<string(minlength=5, length=2):x>",
            Converter::Str {
                min: 2,
                max: Some(2),
            },
        ),
        (
            "<string(minlength=0):x>",
            Converter::Str { min: 0, max: None },
        ),
        ("<int:x>", int(0, None, None, false)),
        ("<int(3):x>", int(3, None, None, false)),
        ("<int(fixed_digits=3):x>", int(3, None, None, false)),
        (
            "<int(min=1, max=10):x>",
            int(0, Some(Bound::Int(1)), Some(Bound::Int(10)), false),
        ),
        (
            "<int(min=0.5):x>",
            int(0, Some(Bound::Float(0.5)), None, false),
        ),
        ("<int(signed=True):x>", int(0, None, None, true)),
        ("<int(signed=1):x>", int(0, None, None, true)),
        ("<int(signed=False):x>", int(0, None, None, false)),
        ("<int(max=None):x>", int(0, None, None, false)),
        (
            "<int(2, 1, 99, True):x>",
            int(2, Some(Bound::Int(1)), Some(Bound::Int(99)), true),
        ),
        ("<float:x>", float(None, None, false)),
        (
            "<float(min=0, max=1.5):x>",
            float(Some(Bound::Int(0)), Some(Bound::Float(1.5)), false),
        ),
        ("<float(signed=True):x>", float(None, None, true)),
        ("<path:x>", Converter::Path),
        ("<uuid:x>", Converter::Uuid),
        (
            "<any(a, 'b c', \"d,e\"):x>",
            Converter::Any {
                items: vec!["a".into(), "b c".into(), "d,e".into()],
            },
        ),
    ];
    for (variable, expected) in cases {
        let rule = format!("/{variable}");
        let mut router = Router::new();
        let index = router.insert(&rule, RouteOptions::default()).unwrap();
        let route = router.route(index).unwrap();
        assert_eq!(route.variables, [("x".to_owned(), expected)], "{rule}");
    }
}

#[test]
fn custom_converters() {
    let custom = |regex: &str| Custom {
        regex: regex.to_owned(),
        weight: 100,
        part_isolating: !regex.contains('/'),
    };
    let with = |name: &str, regex: &str| RouteOptions {
        converters: vec![(name.to_owned(), custom(regex))],
        ..RouteOptions::default()
    };
    let mut router = Router::new();
    // A custom converter replaces the named variable's converter, whatever it says.
    router
        .insert("/a/<list:x>", with("x", r"\d+(?:,\d+)*"))
        .unwrap();
    assert_eq!(
        router
            .insert("/b/<x>", with("x", "("))
            .map_err(|e| short(&e)),
        Err("regex@0".to_owned())
    );
    // Look-around is not linear time: the `regex` crate rejects it.
    assert_eq!(
        router
            .insert("/c/<x>", with("x", "(?=a)a"))
            .map_err(|e| short(&e)),
        Err("regex@0".to_owned())
    );
    assert_eq!(
        router
            .insert("/d/<x>", Default::default())
            .map_err(|e| short(&e)),
        Ok(1)
    );
    // Not part-isolating: not allowed in a domain.
    let mut options = with("sub", "[a-z/]+");
    options.domain = "<sub>".to_owned();
    assert_eq!(
        router.insert("/e", options).map_err(|e| short(&e)),
        Err("rule@0".to_owned())
    );
}

/// Conflicts: each row inserts its routes in order; the expected outcome of each.
#[test]
fn conflicts() {
    let cases: &[(&[&str], &[&str])] = &[
        (&["/a", "/a"], &["ok", "conflict with /a for *"]),
        (&["/a", "GET /a"], &["ok", "conflict with /a for GET, HEAD"]),
        (&["GET /a", "/a"], &["ok", "conflict with /a for GET, HEAD"]),
        (
            &["GET /a", "GET /a"],
            &["ok", "conflict with /a for GET, HEAD"],
        ),
        (&["GET /a", "HEAD /a"], &["ok", "conflict with /a for HEAD"]),
        (
            &["GET,POST /a", "POST,PUT /a"],
            &["ok", "conflict with /a for POST"],
        ),
        (
            &["get /a", "GET /a"],
            &["ok", "conflict with /a for GET, HEAD"],
        ),
        (
            &["PURGE /a", "PURGE /a"],
            &["ok", "conflict with /a for PURGE"],
        ),
        (&["GET /a", "POST /a", "PUT,DELETE /a"], &["ok", "ok", "ok"]),
        (&["PURGE /a", "LINK /a"], &["ok", "ok"]),
        (&["/a", "/a/"], &["ok", "ok"]),
        (&["/a/", "loose /a/"], &["ok", "conflict with /a/ for *"]),
        (&["/a", "ws /a"], &["ok", "ok"]),
        (&["ws /a", "ws /a"], &["ok", "conflict with /a for *"]),
        // Variables' names do not matter, only what they match.
        (&["/<a>", "/<b>"], &["ok", "conflict with /<a> for *"]),
        (
            &["/<a>", "/<string:b>"],
            &["ok", "conflict with /<a> for *"],
        ),
        (
            &["/u/<int:a>", "/u/<int:b>"],
            &["ok", "conflict with /u/<int:a> for *"],
        ),
        (
            &["/<a>", "/<int:a>", "/<path:a>", "/<uuid:a>", "/<float:a>"],
            &["ok"; 5],
        ),
        (&["/<int:a>", "/<int(signed=True):a>"], &["ok", "ok"]),
        (
            &["/<string(length=2):a>", "/<string(length=3):a>"],
            &["ok", "ok"],
        ),
        (&["/<any(a, b):x>", "/<any(b, a):x>"], &["ok", "ok"]),
        (&["/<a>.json", "/<a>.xml", "/<a>"], &["ok", "ok", "ok"]),
        (&["/<path:p>/", "/<path:p>"], &["ok", "ok"]),
        (
            &["/<path:p>/edit", "/<path:q>/edit"],
            &["ok", "conflict with /<path:p>/edit for *"],
        ),
        // Same converter expression, other bounds: Werkzeug picks the first rule and
        // never reaches the second, so it is rejected too.
        (
            &["/<int(min=5):a>", "/<int(max=4):a>"],
            &["ok", "conflict with /<int(min=5):a> for *"],
        ),
        // Merged slashes: the same rule once merged.
        (&["/a//b", "/a/b"], &["ok", "conflict with /a//b for *"]),
        (&["nomerge /a//b", "/a/b"], &["ok", "ok"]),
        // Implicit methods (Flask's OPTIONS) do not count.
        (
            &[
                "GET,OPTIONS implicit=OPTIONS /a",
                "POST,OPTIONS implicit=OPTIONS /a",
            ],
            &["ok", "ok"],
        ),
        (
            &[
                "GET,OPTIONS implicit=OPTIONS /a",
                "GET,OPTIONS implicit=OPTIONS /a",
            ],
            &["ok", "conflict with /a for GET, HEAD"],
        ),
        (
            &["GET,OPTIONS /a", "POST,OPTIONS /a"],
            &["ok", "conflict with /a for OPTIONS"],
        ),
        (&["OPTIONS implicit=OPTIONS /a", "/a"], &["ok", "ok"]),
        // Domains are part of the URL.
        (&["domain=a /x", "domain=b /x", "/x"], &["ok", "ok", "ok"]),
        (
            &["domain=<s> /x", "domain=<t> /x"],
            &["ok", "conflict with /x for *"],
        ),
        // A rejected rule leaves no trace: the same rule with other methods still fits.
        (
            &["GET /a", "GET /a", "POST /a"],
            &["ok", "conflict with /a for GET, HEAD", "ok"],
        ),
    ];
    let mut failures = Vec::new();
    for &(routes, expected) in cases {
        let got = insert_all(routes);
        if got != expected {
            failures.push(format!(
                "{routes:?}:\n  expected {expected:?}\n  got      {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// A conflict names the earlier rule by the index `insert` returned for it:
/// each row inserts its routes in order; `Ok(index)` for each added, or
/// `Err(with_index)` for each conflict.
#[test]
fn conflict_indexes() {
    /// `Ok(index)` of a route added, `Err(with_index)` of a conflict.
    type Outcome = Result<usize, usize>;
    let cases: &[(&[&str], &[Outcome])] = &[
        (&["/a", "/a"], &[Ok(0), Err(0)]),
        (&["/b", "/a", "/a"], &[Ok(0), Ok(1), Err(1)]),
        (&["GET /a", "POST /a", "POST /a"], &[Ok(0), Ok(1), Err(1)]),
        // Overlapping several, the first added is named: the one that wins.
        (
            &["GET /a", "POST /a", "GET,POST /a"],
            &[Ok(0), Ok(1), Err(0)],
        ),
        // A rejected rule takes no index.
        (
            &["GET /a", "GET /a", "POST /a", "POST /a"],
            &[Ok(0), Err(0), Ok(1), Err(1)],
        ),
        (&["/a//b", "/x", "/a/b"], &[Ok(0), Ok(1), Err(0)]),
        // An allowed conflict takes an index; later conflicts name the first.
        (&["/a", "allow /a", "/a"], &[Ok(0), Ok(1), Err(0)]),
        (
            &["domain=<s> /x", "/x", "domain=<t> /x"],
            &[Ok(0), Ok(1), Err(0)],
        ),
    ];
    let mut failures = Vec::new();
    for &(routes, expected) in cases {
        let mut router = Router::new();
        let got: Vec<Outcome> = routes
            .iter()
            .map(|route| {
                let (words, rule) = spec(route);
                match router.insert(rule, options(words)) {
                    Ok(index) => Ok(index),
                    Err(InsertError::Conflict { with_index, .. }) => Err(with_index),
                    Err(other) => panic!("{route:?}: {other}"),
                }
            })
            .collect();
        if got != expected {
            failures.push(format!(
                "{routes:?}:\n  expected {expected:?}\n  got      {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
