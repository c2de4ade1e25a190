//! Matching, as tables: a route set, then `(request, expected)` rows.
//!
//! A route is `"[options] /rule"`: `GET,POST` (methods), `ws`, `loose` (no strict
//! slashes), `nomerge`, `domain=<sub>.example.com`. A request is `"METHOD [host]/path"`,
//! `WS` for a websocket GET. Expected: the route as written, its values in brackets;
//! `redirect /path`; `404`; `404 websocket`; `405 GET, HEAD` (the allowed methods).
//! Every row is what Werkzeug 3.1's `StateMachineMatcher` answers.
use kolben_router::{quote, url_value, Outcome, RouteOptions, Router};

fn options(words: &str) -> RouteOptions {
    let mut options = RouteOptions::default();
    for word in words.split_whitespace() {
        match word {
            "ws" => options.websocket = true,
            "loose" => options.strict_slashes = false,
            "nomerge" => options.merge_slashes = false,
            "allow" => options.allow_conflict = true,
            _ => match word.strip_prefix("domain=") {
                Some(domain) => options.domain = domain.to_owned(),
                None => options.methods = Some(word.split(',').map(str::to_owned).collect()),
            },
        }
    }
    options
}

/// `"GET,POST ws /rule"`: the option words and the rule (from the first ` /`).
fn spec(route: &str) -> (&str, &str) {
    if route.starts_with('/') {
        return ("", route);
    }
    match route.find(" /") {
        Some(at) => (&route[..at], &route[at + 1..]),
        None => ("", route),
    }
}

fn router(merge_slashes: bool, routes: &[&str]) -> Router {
    let mut router = Router::new();
    router.set_merge_slashes(merge_slashes);
    for route in routes {
        let (words, rule) = spec(route);
        if let Err(e) = router.insert(rule, options(words)) {
            panic!("{route:?}: {e}");
        }
    }
    router
}

/// Routes `request` and describes the outcome in the tables' notation.
fn answer(router: &Router, routes: &[&str], request: &str) -> String {
    let (method, target) = request.split_once(' ').unwrap();
    let (method, websocket) = match method {
        "WS" => ("GET", true),
        m => (m, false),
    };
    // The host is what comes before the first `/`; without one, all is path.
    let (domain, path) = target.split_at(target.find('/').unwrap_or(0));
    match router.at(domain, path, method, websocket) {
        Outcome::Found { route, values } if values.is_empty() => routes[route].to_owned(),
        Outcome::Found { route, values } => {
            format!("{} [{}]", routes[route], values.as_slice().join(", "))
        }
        Outcome::Redirect(to) => format!("redirect {to}"),
        Outcome::NotFound {
            allowed,
            websocket_mismatch,
        } => {
            if !allowed.is_empty() {
                format!("405 {}", allowed.names().join(", "))
            } else if websocket_mismatch {
                "404 websocket".to_owned()
            } else {
                "404".to_owned()
            }
        }
    }
}

fn check_map(merge_slashes: bool, routes: &[&str], rows: &[(&str, &str)]) {
    let router = router(merge_slashes, routes);
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|&(request, expected)| {
            let got = answer(&router, routes, request);
            (got != expected).then(|| format!("{request:?}: expected {expected:?}, got {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

fn check(routes: &[&str], rows: &[(&str, &str)]) {
    check_map(true, routes, rows);
}

#[test]
fn priorities() {
    check(
        &[
            "/",
            "/a",
            "/a/",
            "/<x>",
            "/<int:n>",
            "/<path:p>",
            "/<x>/b",
            "/<int:n>/b",
            "/c/<path:p>/edit",
            "/c/<path:p>",
            "/d/<x>/e",
            "/d/<path:p>",
            "/f/<x>.json",
            "/f/<x>",
            "/f/<x>.<y>",
            "/g/<x>/<y>/h",
            "/g/<path:p>/i",
        ],
        &[
            ("GET /", "/"),
            ("GET /a", "/a"),
            ("GET /a/", "/a/"),
            ("GET /b", "/<x> [b]"),
            // int (weight 50) before string (100) before path (200).
            ("GET /42", "/<int:n> [42]"),
            ("GET /42/b", "/<int:n>/b [42]"),
            ("GET /x/b", "/<x>/b [x]"),
            ("GET /x/y", "/<path:p> [x/y]"),
            ("GET /a/b/c", "/<path:p> [a/b/c]"),
            // `f` has a static child but no rule: back to the root's `<x>`.
            ("GET /f", "/<x> [f]"),
            ("GET /c/a/b/edit", "/c/<path:p>/edit [a/b]"),
            ("GET /c/a/b", "/c/<path:p> [a/b]"),
            ("GET /c/edit", "/c/<path:p> [edit]"),
            ("GET /c/x/edit/", "/c/<path:p> [x/edit/]"),
            // A deeper segment fails: backtrack to the path converter.
            ("GET /d/x/e", "/d/<x>/e [x]"),
            ("GET /d/x/f", "/d/<path:p> [x/f]"),
            ("GET /d/x/e/f", "/d/<path:p> [x/e/f]"),
            // More static text first; `<x>` alone last.
            ("GET /f/a.json", "/f/<x>.json [a]"),
            ("GET /f/a.b", "/f/<x>.<y> [a, b]"),
            ("GET /f/a.b.c", "/f/<x>.<y> [a.b, c]"),
            ("GET /f/abc", "/f/<x> [abc]"),
            ("GET /f/.json", "/f/<x> [.json]"),
            ("GET /g/1/2/h", "/g/<x>/<y>/h [1, 2]"),
            ("GET /g/1/2/i", "/g/<path:p>/i [1/2]"),
            ("GET /g/1/2/3/h", "/<path:p> [g/1/2/3/h]"),
        ],
    );
}

#[test]
fn converter_weights() {
    check(
        &[
            "/<uuid:u>",
            "/<float:f>",
            "/<int:n>",
            "/<any(x, y):a>",
            "/<s>",
            "/<int(signed=True):n>/<s>",
            "/<s>/<int:n>",
        ],
        &[
            ("GET /15", "/<int:n> [15]"),
            ("GET /1.5", "/<float:f> [1.5]"),
            ("GET /-1", "/<s> [-1]"),
            ("GET /x", "/<any(x, y):a> [x]"),
            ("GET /z", "/<s> [z]"),
            (
                "GET /12345678-abcd-ABCD-1234-123456789abc",
                "/<uuid:u> [12345678-abcd-ABCD-1234-123456789abc]",
            ),
            (
                "GET /12345678-abcd-ABCD-1234-123456789abg",
                "/<s> [12345678-abcd-ABCD-1234-123456789abg]",
            ),
            ("GET /-1/2", "/<int(signed=True):n>/<s> [-1, 2]"),
            ("GET /a/2", "/<s>/<int:n> [a, 2]"),
            ("GET /1/a", "/<int(signed=True):n>/<s> [1, a]"),
        ],
    );
}

#[test]
fn converter_arguments() {
    check(
        &[
            "/len/<string(length=2):v>",
            "/min/<string(minlength=3):v>",
            "/max/<string(maxlength=3):v>",
            "/range/<string(2, 3):v>",
            "/fixed/<int(fixed_digits=3):v>",
            "/bounded/<int(min=10, max=20):v>",
            "/signed/<int(signed=True):v>",
            "/float/<float:v>",
            "/fbound/<float(min=0.5, max=1.5):v>",
            "/fsigned/<float(signed=True):v>",
            "/uuid/<uuid:v>",
            "/any/<any(about, 'help me', \"a.b\"):v>",
            "/path/<path:v>",
            "/int/<int:v>",
        ],
        &[
            ("GET /len/ab", "/len/<string(length=2):v> [ab]"),
            ("GET /len/äb", "/len/<string(length=2):v> [äb]"),
            ("GET /len/abc", "404"),
            ("GET /len/a", "404"),
            ("GET /min/ab", "404"),
            ("GET /min/abc", "/min/<string(minlength=3):v> [abc]"),
            ("GET /min/äöü", "/min/<string(minlength=3):v> [äöü]"),
            ("GET /max/abcd", "404"),
            ("GET /max/abc", "/max/<string(maxlength=3):v> [abc]"),
            ("GET /max/a", "/max/<string(maxlength=3):v> [a]"),
            ("GET /range/a", "404"),
            ("GET /range/ab", "/range/<string(2, 3):v> [ab]"),
            ("GET /range/abcd", "404"),
            ("GET /fixed/012", "/fixed/<int(fixed_digits=3):v> [012]"),
            ("GET /fixed/12", "404"),
            ("GET /fixed/1234", "404"),
            ("GET /bounded/15", "/bounded/<int(min=10, max=20):v> [15]"),
            ("GET /bounded/010", "/bounded/<int(min=10, max=20):v> [010]"),
            ("GET /bounded/9", "404"),
            ("GET /bounded/21", "404"),
            (
                "GET /bounded/99999999999999999999999999999999999999999999",
                "404",
            ),
            ("GET /signed/-5", "/signed/<int(signed=True):v> [-5]"),
            ("GET /signed/5", "/signed/<int(signed=True):v> [5]"),
            ("GET /signed/--5", "404"),
            ("GET /signed/-", "404"),
            ("GET /signed/+5", "404"),
            ("GET /float/1.5", "/float/<float:v> [1.5]"),
            ("GET /float/1", "404"),
            ("GET /float/-1.5", "404"),
            ("GET /float/.5", "404"),
            ("GET /float/1.", "404"),
            ("GET /float/1e5", "404"),
            ("GET /fbound/0.4", "404"),
            (
                "GET /fbound/1.0",
                "/fbound/<float(min=0.5, max=1.5):v> [1.0]",
            ),
            ("GET /fbound/1.6", "404"),
            (
                "GET /fsigned/-0.5",
                "/fsigned/<float(signed=True):v> [-0.5]",
            ),
            (
                "GET /uuid/a0b1c2d3-e4f5-A6B7-C8D9-0123456789ef",
                "/uuid/<uuid:v> [a0b1c2d3-e4f5-A6B7-C8D9-0123456789ef]",
            ),
            ("GET /uuid/a0b1c2d3e4f5A6B7C8D90123456789ef", "404"),
            ("GET /uuid/a0b1c2d3-e4f5-A6B7-C8D9-0123456789eg", "404"),
            (
                "GET /any/about",
                "/any/<any(about, 'help me', \"a.b\"):v> [about]",
            ),
            (
                "GET /any/help me",
                "/any/<any(about, 'help me', \"a.b\"):v> [help me]",
            ),
            (
                "GET /any/a.b",
                "/any/<any(about, 'help me', \"a.b\"):v> [a.b]",
            ),
            ("GET /any/axb", "404"),
            ("GET /any/help", "404"),
            ("GET /any/abouts", "404"),
            ("GET /path/a/b/c", "/path/<path:v> [a/b/c]"),
            ("GET /path/a//b", "/path/<path:v> [a//b]"),
            ("GET /path/", "404"),
            ("GET /path", "404"),
            // `.` in `[^/].*?` stops at a newline.
            ("GET /path/a\nb", "404"),
            (
                "GET /int/99999999999999999999999999999999999999999999",
                "/int/<int:v> [99999999999999999999999999999999999999999999]",
            ),
        ],
    );
}

/// Where kolben deliberately answers otherwise than Werkzeug.
#[test]
fn deliberate_differences() {
    // Python's `\d` takes any script's digits; `int` and `float` here take ASCII only.
    check(
        &["/int/<int:v>", "/float/<float:v>"],
        &[("GET /int/\u{663}", "404"), ("GET /float/\u{663}.5", "404")],
    );
}

/// Conflicting rules kept with `allow_conflict` route as in Werkzeug: the
/// earlier rule answers the methods both have, the later one only its own.
#[test]
fn allowed_conflicts_keep_the_first_rule() {
    check(
        &[
            "GET /a",
            "allow /a",
            "/u/<int:x>",
            "allow GET,POST /u/<int:y>",
            "POST /p/<path:p>",
            "allow /p/<path:q>",
        ],
        &[
            ("GET /a", "GET /a"),
            ("HEAD /a", "GET /a"),
            ("POST /a", "allow /a"),
            ("DELETE /a", "allow /a"),
            ("POST /u/3", "/u/<int:x> [3]"),
            ("POST /p/x/y", "POST /p/<path:p> [x/y]"),
            ("GET /p/x/y", "allow /p/<path:q> [x/y]"),
        ],
    );
}

#[test]
fn validation_does_not_backtrack() {
    // Werkzeug picks the rule first and converts after: a value out of bounds
    // is a 404, even when a later rule would take it.
    check(
        &[
            "/v/<int(max=5):n>",
            "/v/<x>",
            "/w/<int(max=5):n>/x",
            "/w/<y>/<z>",
        ],
        &[
            ("GET /v/3", "/v/<int(max=5):n> [3]"),
            ("GET /v/9", "404"),
            ("GET /v/a", "/v/<x> [a]"),
            ("GET /w/9/x", "404"),
            ("GET /w/9/y", "/w/<y>/<z> [9, y]"),
        ],
    );
}

#[test]
fn methods() {
    check(
        &[
            "GET /m",
            "POST /m",
            "/any",
            "PUT,DELETE /n",
            "GET /n/<int:id>",
            "PURGE /p",
            "GET /q/<int:id>",
            "POST /q/<x>",
            "HEAD /h",
        ],
        &[
            ("GET /m", "GET /m"),
            ("HEAD /m", "GET /m"),
            ("POST /m", "POST /m"),
            ("PUT /m", "405 GET, HEAD, POST"),
            ("OPTIONS /m", "405 GET, HEAD, POST"),
            ("PATCH /any", "/any"),
            ("PURGE /any", "/any"),
            ("GET /n", "405 DELETE, PUT"),
            ("PURGE /p", "PURGE /p"),
            ("GET /p", "405 PURGE"),
            ("POST /n/1", "405 GET, HEAD"),
            ("POST /n/x", "404"),
            // Collected over every rule the walk reaches, backtracking included.
            ("PUT /q/1", "405 GET, HEAD, POST"),
            ("POST /q/1", "POST /q/<x> [1]"),
            ("GET /q/x", "405 POST"),
            ("HEAD /h", "HEAD /h"),
            ("GET /h", "405 HEAD"),
        ],
    );
}

#[test]
fn strict_slashes() {
    check(
        &[
            "/s/",
            "loose /l/",
            "/t",
            "loose /t2",
            "/u/<x>/",
            "/v/<path:p>/",
            "GET /w/",
            "/z/<path:p>",
            "/",
        ],
        &[
            ("GET /s", "redirect /s/"),
            ("GET /s/", "/s/"),
            ("GET /l", "loose /l/"),
            ("GET /l/", "loose /l/"),
            ("GET /t/", "404"),
            ("GET /t2/", "loose /t2"),
            ("GET /u/x", "redirect /u/x/"),
            ("GET /u/x/", "/u/<x>/ [x]"),
            ("GET /v/a/b", "redirect /v/a/b/"),
            ("GET /v/a/b/", "/v/<path:p>/ [a/b]"),
            ("GET /v/a", "redirect /v/a/"),
            // Only the merged path matches.
            ("GET /v/a//", "redirect /v/a/"),
            // The redirect needs a rule that answers the method.
            ("GET /w", "redirect /w/"),
            ("HEAD /w", "redirect /w/"),
            ("POST /w", "404"),
            ("GET /z/a/", "/z/<path:p> [a/]"),
            ("GET /", "/"),
            // An empty path is an empty first part: `/` with its slash missing.
            ("GET ", "redirect /"),
        ],
    );
}

#[test]
fn merge_slashes() {
    check(
        &[
            "/a/b",
            "nomerge /c//d",
            "/e/",
            "/f/<path:p>",
            "nomerge /g/h",
            "/i/<x>/j",
        ],
        &[
            ("GET //a/b", "redirect /a/b"),
            ("GET /a//b", "redirect /a/b"),
            ("GET /a///b//", "404"),
            ("GET /c//d", "nomerge /c//d"),
            ("GET /c/d", "404"),
            ("GET /e//", "redirect /e/"),
            ("GET //e", "redirect /e/"),
            ("GET /f/x//y", "/f/<path:p> [x//y]"),
            ("GET /g//h", "404"),
            ("GET /g/h", "nomerge /g/h"),
            ("GET /i//x//j", "redirect /i/x/j"),
        ],
    );
    check_map(
        false,
        &["/a/b", "/e/"],
        &[("GET /a//b", "404"), ("GET /e", "redirect /e/")],
    );
}

#[test]
fn domains() {
    check(
        &[
            "domain=<sub>.example.com /x",
            "domain=www.example.com /x",
            "domain=<int:n>.example.com /y",
            "domain=<sub>.example.com /<int:id>",
            "/x",
        ],
        &[
            ("GET www.example.com/x", "domain=www.example.com /x"),
            ("GET api.example.com/x", "domain=<sub>.example.com /x [api]"),
            ("GET a.b.example.com/x", "domain=<sub>.example.com /x [a.b]"),
            ("GET 42.example.com/y", "domain=<int:n>.example.com /y [42]"),
            ("GET a.example.com/y", "404"),
            (
                "GET a.example.com/7",
                "domain=<sub>.example.com /<int:id> [a, 7]",
            ),
            ("GET /x", "/x"),
            ("GET other.org/x", "404"),
            ("GET example.com/x", "404"),
        ],
    );
}

#[test]
fn websockets() {
    check(
        &["ws /chat", "/http", "GET /both", "ws /both"],
        &[
            ("WS /chat", "ws /chat"),
            ("GET /chat", "404 websocket"),
            ("POST /chat", "404 websocket"),
            ("WS /http", "404 websocket"),
            ("GET /both", "GET /both"),
            ("WS /both", "ws /both"),
            ("POST /both", "405 GET, HEAD"),
            ("WS /none", "404"),
        ],
    );
}

#[test]
fn odd_input_gets_an_answer() {
    let routes = ["/", "/<x>", "/a/<path:p>", "/<int:n>/b/"];
    let router = router(true, &routes);
    let long = "/a/".to_owned() + &"x/".repeat(20_000);
    let big = "/".to_owned() + &"y".repeat(100_000);
    let rows: &[(&str, &str)] = &[
        ("", "redirect /"),
        ("no-slash", "404"),
        ("/\0", "/<x> [\0]"),
        ("/\u{fffd}", "/<x> [\u{fffd}]"),
        ("/%zz", "/<x> [%zz]"),
        ("//////", "redirect /"),
        ("/1/b", "redirect /1/b/"),
    ];
    for &(path, expected) in rows {
        let got = answer(&router, &routes, &format!("GET {path}"));
        assert_eq!(got, expected, "{path:?}");
    }
    assert!(matches!(
        router.at("", &long, "GET", false),
        Outcome::Found { route: 2, .. }
    ));
    assert!(matches!(
        router.at("", &big, "GET", false),
        Outcome::Found { route: 1, .. }
    ));
    let deep = "/".repeat(20_000);
    assert!(matches!(
        router.at("", &deep, "GET", false),
        Outcome::Redirect(_)
    ));
    assert!(matches!(
        router.at("x/y", "/", "", true),
        Outcome::NotFound { .. }
    ));
}

#[test]
fn static_chains() {
    // `b/c/d` below `/a` (each node's only child) is followed in one comparison;
    // the path may leave it part way, end inside it, or have runs of slashes in
    // it, and a miss below it backtracks to `/<x>`.
    check(
        &[
            "/a/b/c/d/<int:n>",
            "/a/b/c/d/<int:n>/edit",
            "/<x>/b/c/e",
            "/a/b",
            "/a/b/c/d",
        ],
        &[
            ("GET /a/b/c/d/7", "/a/b/c/d/<int:n> [7]"),
            ("GET /a/b/c/d/7/edit", "/a/b/c/d/<int:n>/edit [7]"),
            ("GET /a/b/c/d/7/view", "404"),
            ("GET /a/b/c/d/7/", "404"),
            ("GET /a/b/c/d/7/edit/", "404"),
            ("GET /a/b/c/d/7//edit", "redirect /a/b/c/d/7/edit"),
            ("GET /a//b/c/d/7", "redirect /a/b/c/d/7"),
            ("GET /a/b/c/e", "/<x>/b/c/e [a]"),
            ("GET /q/b/c/e", "/<x>/b/c/e [q]"),
            ("GET /a/b/c", "404"),
            ("GET /a/b", "/a/b"),
            ("GET /a/b/", "404"),
            ("GET /a/b/c/d", "/a/b/c/d"),
            ("GET /a/b/c/d/x", "404"),
            ("GET /a/q", "404"),
        ],
    );
}

#[test]
fn many_static_children() {
    // Past a few children a node hashes its static keys instead of scanning them.
    let mut texts: Vec<String> = (0..40).map(|i| format!("/s{i}")).collect();
    texts.extend(["/", "/ä", "/s", "/s1/", "/<x>"].map(str::to_owned));
    let routes: Vec<&str> = texts.iter().map(String::as_str).collect();
    let router = router(true, &routes);
    for (path, expected) in [
        ("/s0", "/s0"),
        ("/s39", "/s39"),
        ("/s1/", "/s1/"),
        ("/s", "/s"),
        ("/ä", "/ä"),
        ("/", "/"),
        ("/s40", "/<x> [s40]"),
        ("/s1x", "/<x> [s1x]"),
        ("/s2/", "404"),
    ] {
        assert_eq!(
            answer(&router, &routes, &format!("GET {path}")),
            expected,
            "{path}"
        );
    }
}

#[test]
fn static_keys_compare_whole() {
    // Keys are compared by length and first and last eight bytes, then whole
    // past 16 bytes: these differ only in the middle, or only in length.
    let middle = |c: char| format!("/abcdefgh{c}{c}ijklmnop");
    let mut texts: Vec<String> = ["x", "y", "z"]
        .iter()
        .map(|&c| middle(c.chars().next().unwrap()))
        .collect();
    texts.extend(
        [
            "/abcdefg",
            "/abcdefgh",
            "/abcdefghi",
            "/abcdefghijklmnop",
            "/abcdefghijklmnopq",
            "/a",
            "/ab",
            "/abc",
            "/abcd",
            "/w/abcdefgh/abcdefgh",
            "/<x>",
        ]
        .map(str::to_owned),
    );
    let routes: Vec<&str> = texts.iter().map(String::as_str).collect();
    // Scanned (a few siblings) and hashed (many): the same answers.
    let mut many = texts.clone();
    many.extend((0..20).map(|i| format!("/pad{i}")));
    let many_routes: Vec<&str> = many.iter().map(String::as_str).collect();
    for (routes, router) in [
        (&routes, router(true, &routes)),
        (&many_routes, router(true, &many_routes)),
    ] {
        for (path, expected) in [
            ("/abcdefghyyijklmnop", "/abcdefghyyijklmnop"),
            ("/abcdefghwwijklmnop", "/<x> [abcdefghwwijklmnop]"),
            ("/abcdefghyijklmnop", "/<x> [abcdefghyijklmnop]"),
            ("/abcdefg", "/abcdefg"),
            ("/abcdefgh", "/abcdefgh"),
            ("/abcdefghi", "/abcdefghi"),
            ("/abcdefghijklmnop", "/abcdefghijklmnop"),
            ("/abcdefghijklmnopq", "/abcdefghijklmnopq"),
            ("/abcdefghijklmnopqr", "/<x> [abcdefghijklmnopqr]"),
            ("/abcdefgh\0", "/<x> [abcdefgh\0]"),
            ("/a", "/a"),
            ("/ab", "/ab"),
            ("/abc", "/abc"),
            ("/abcd", "/abcd"),
            ("/abcde", "/<x> [abcde]"),
            ("/w/abcdefgh/abcdefgh", "/w/abcdefgh/abcdefgh"),
            ("/w/abcdefgh/abcdefg", "404"),
            ("/w/abcdefgh/abcdefgh/", "404"),
            ("/w//abcdefgh/abcdefgh", "redirect /w/abcdefgh/abcdefgh"),
            ("/w/abcdefgh//abcdefgh", "redirect /w/abcdefgh/abcdefgh"),
            ("/abcdefg/", "404"),
        ] {
            assert_eq!(
                answer(&router, routes, &format!("GET {path}")),
                expected,
                "{path}"
            );
        }
    }
}

#[test]
fn static_paths_of_every_length() {
    // All-static rules are looked up by their path only for the lengths that
    // some of them have; lengths from 63 bytes on share one mark.
    let lengths = [1, 5, 59, 60, 70];
    let texts: Vec<String> = lengths
        .iter()
        .map(|&n| format!("/s/{}", "x".repeat(n)))
        .chain(["/s/<x>".to_owned(), format!("/s/{}/y", "x".repeat(66))])
        .collect();
    let routes: Vec<&str> = texts.iter().map(String::as_str).collect();
    let router = router(true, &routes);
    for n in 1..=80 {
        let x = "x".repeat(n);
        let expected = match lengths.contains(&n) {
            true => format!("/s/{x}"),
            false => format!("/s/<x> [{x}]"),
        };
        assert_eq!(
            answer(&router, &routes, &format!("GET /s/{x}")),
            expected,
            "{n}"
        );
    }
    let long = format!("/s/{}/y", "x".repeat(66));
    assert_eq!(answer(&router, &routes, &format!("GET {long}")), long);
    let other = format!("/s/{}/z", "x".repeat(66));
    assert_eq!(answer(&router, &routes, &format!("GET {other}")), "404");
}

#[test]
fn many_values_spill() {
    let rule = "/<a>/<b>/<c>/<d>/<e>/<f>/<int:g>";
    let mut router = Router::new();
    router.insert(rule, RouteOptions::default()).unwrap();
    router
        .insert("/<a>/<b>/<c>/<d>/<e>/<path:f>", RouteOptions::default())
        .unwrap();
    match router.at("", "/1/2/3/4/5/6/7", "GET", false) {
        Outcome::Found { route: 0, values } => {
            assert_eq!(values.as_slice(), ["1", "2", "3", "4", "5", "6", "7"])
        }
        other => panic!("{other:?}"),
    }
    // The first rule fails at the last segment: values from the failed try are dropped.
    match router.at("", "/1/2/3/4/5/6/x", "GET", false) {
        Outcome::Found { route: 1, values } => {
            assert_eq!(values.as_slice(), ["1", "2", "3", "4", "5", "6/x"])
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn url_building() {
    // (domain, rule, values in URL form, expected (host, path)).
    type Row<'a> = (&'a str, &'a str, &'a [&'a str], Option<(&'a str, &'a str)>);
    let rows: &[Row<'_>] = &[
        ("", "/", &[], Some(("", "/"))),
        ("", "/user/<int:id>", &["42"], Some(("", "/user/42"))),
        ("", "/a b/<x>", &["y%20z"], Some(("", "/a%20b/y%20z"))),
        ("", "/ü/<x>.json", &["v"], Some(("", "/%C3%BC/v.json"))),
        ("", "/<a>-<b>/c", &["1", "2"], Some(("", "/1-2/c"))),
        ("", "/<path:p>/edit", &["a/b"], Some(("", "/a/b/edit"))),
        (
            "<sub>.example.com",
            "/<int:id>",
            &["api", "7"],
            Some(("api.example.com", "/7")),
        ),
        ("", "/<any(\"a>b\", c):x>/d", &["c"], Some(("", "/c/d"))),
        (
            "",
            "/<string(length=2):x>/<int(3):y>",
            &["ab", "007"],
            Some(("", "/ab/007")),
        ),
        ("", "/user/<int:id>", &[], None),
        ("", "/user/<int:id>", &["1", "2"], None),
    ];
    for &(domain, rule, values, expected) in rows {
        let mut router = Router::new();
        let options = RouteOptions {
            domain: domain.to_owned(),
            ..RouteOptions::default()
        };
        let index = router.insert(rule, options).unwrap();
        let got = router.url_for(index, values);
        let got = got.as_ref().map(|(d, p)| (d.as_str(), p.as_str()));
        assert_eq!(got, expected, "{rule} {values:?}");
    }
    assert_eq!(Router::new().url_for(0, &[]), None);
}

#[test]
fn quoting() {
    // Werkzeug's `quote(value, safe="!$&'()*+,/:;=@")`.
    for (text, expected) in [
        ("abc", "abc"),
        ("a b", "a%20b"),
        ("ä", "%C3%A4"),
        ("/:@!$&'()*+,;=", "/:@!$&'()*+,;="),
        ("~._-", "~._-"),
        (
            "?#%[]\"<>\\^`{|}",
            "%3F%23%25%5B%5D%22%3C%3E%5C%5E%60%7B%7C%7D",
        ),
        ("\0\n", "%00%0A"),
    ] {
        assert_eq!(quote(text), expected, "{text:?}");
    }
}

#[test]
fn url_values() {
    let converter = |variable: &str| {
        let mut router = Router::new();
        router
            .insert(&format!("/{variable}"), RouteOptions::default())
            .unwrap();
        router.routes()[0].variables[0].1.clone()
    };
    for (variable, value, expected) in [
        ("<int:x>", "7", Some("7")),
        ("<int(fixed_digits=3):x>", "7", Some("007")),
        ("<int(fixed_digits=3):x>", "-7", Some("-07")),
        ("<int(fixed_digits=3):x>", "12345", Some("12345")),
        ("<int:x>", "x", None),
        ("<any(a, b):x>", "a", Some("a")),
        ("<any(a, b):x>", "c", None),
        ("<x>", "a/b c", Some("a/b%20c")),
        ("<path:x>", "a/b c", Some("a/b%20c")),
        (
            "<uuid:x>",
            "a0b1c2d3-e4f5-a6b7-c8d9-0123456789ef",
            Some("a0b1c2d3-e4f5-a6b7-c8d9-0123456789ef"),
        ),
    ] {
        let got = url_value(&converter(variable), value);
        assert_eq!(got.as_deref(), expected, "{variable} {value:?}");
    }
}
